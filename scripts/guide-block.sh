#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# guide-block.sh - print one generated block of docs/GUIDE.md: runs the
# command the guide names (its --json, through jq) and prints the Markdown
# that stands between <!-- NAME:begin --> and <!-- NAME:end -->.  Used by
# scripts/regen-docs.sh to rewrite the block and by tests/cli/guide-*.t to
# check that the guide is not stale, so the command and the formatting live
# in one place.
# Usage: scripts/guide-block.sh NAME [LEGATION]   (default: legation on PATH)
#        scripts/guide-block.sh --list            (the block names)
set -eu
NAMES="compare-uncertain sensitivity-readmit-150 discover-readmit-150
discover-readmit-150-params decide-uncertain decide-groups game-strategies"
if [ "${1:-}" = --list ]; then echo $NAMES; exit 0; fi
[ $# -ge 1 ] || { echo "usage: $0 NAME [LEGATION] | --list" >&2; exit 2; }
name=$1
L=${2:-legation}
case $L in /*) ;; */*) L=$(pwd)/$L ;; *) L=$(command -v "$L") ;; esac
cd "$(dirname "$0")/.."
command -v jq >/dev/null || { echo "$0: jq is needed (make deps-test)" >&2; exit 2; }
tmp=$(mktemp "${TMPDIR:-/tmp}/guide-block.XXXXXX")
trap 'rm -f "$tmp"' EXIT

# jq helpers: fix(d) a number with d decimals; sg(d) with a sign; pc(d) a
# share as a percentage.
J='def fix($d): . as $x | pow(10; $d) as $m | (($x | fabs) * $m | round) as $n
     | (if $x < 0 and $n > 0 then "-" else "" end) + (($n / $m | floor) | tostring)
     + (if $d > 0 then "." + (($n % $m) | tostring | ("0" * ($d - length) // "") + .) else "" end);
   def sg($d): (if . > 0 then "+" else "" end) + fix($d);
   def pc($d): (. * 100 | fix($d)) + "%";
   def big: if fabs >= 100 then fix(0) elif fabs >= 10 then fix(1) else fix(2) end;
   def sig: if . == 0 then "0" else fix([0, 2 - (fabs | log10 | floor)] | max) end;
   def opt: sub("^us-russia-2025-"; "") | if . == "us-russia-2025" then "status quo" else . end;'

PARAMS9=intel.recruit_rate,states.a.openness,states.a.ci_agents,states.a.detect_prob,states.b.cover_share,states.b.tradecraft,states.b.uncapped_elasticity,states.a.value_weight,states.b.value_weight
R150=us-russia-2025-readmit-150

# The shown command (as a reader types it) and the same with --json.
show() { printf '`legation %s`\n\n' "$*"; }

discover_block() {
  jq -r "$J"'
    .box as $b | ($b.train.interest + $b.test.interest) as $k
    | "- `\(.where)` holds at \($k) of \(.points) points (\($k / .points | pc(1))): \($b.train.interest) of \($b.train.points) on the half PRIM searches, \($b.test.interest) of \($b.test.points) on the held-out half.",
      "- The chosen box (peeling step \($b.step), \($b.bounds | length) parameters restricted, \($b.train.mass | pc(1)) of the points) has density \($b.train.density | pc(1)) on the half it was found on (coverage \($b.train.coverage | pc(0))) and \($b.test.density | pc(1)) on the held-out half (coverage \($b.test.coverage | pc(0))), where the base rate is \($b.test.interest / $b.test.points | pc(1)).",
      "",
      "| restricted parameter | from | to | p-value |",
      "| --- | --- | --- | --- |",
      ($b.bounds | sort_by(.p_value) | (.[0:8][]
        | "| `\(.factor)` | \(.lo | sig) | \(.hi | sig) | \(.p_value | if . < 0.001 then "< 0.001" else fix(3) end) |"),
        (if length > 8 then "| (\(length - 8) more, p of \(.[8].p_value | fix(2)) or more) | | | |" else empty end))'
}

decide_head() {
  jq -r "$J"'
    "- Best by expected utility: \(.best.expected_utility | opt); by the 5th percentile over worlds: \(.best.q05 | opt); by maximum regret: \(.best.max_regret | opt).",
    "- \(.best.expected_utility | opt) is ahead of the runner-up (\(.margin.runner_up | opt)) by \(.margin.mean | fix(0)) (95% CI \(.margin.lo | fix(0)) to \(.margin.hi | fix(0)), paired over \(.worlds) worlds).",
    "- Expected value of perfect information: \(.evpi | fix(0))."'
}

case $name in
compare-uncertain)
  "$L" compare --uncertain --reps 1000 --markdown --no-store --quiet ;;

sensitivity-readmit-150)
  set -- sensitivity us-russia-2025 --groups docs/examples/groups-2025.txt --option $R150 --n 512 --reps 8
  show "$@"
  "$L" "$@" --no-store --quiet --json | jq -r "$J"'
    ([.groups[].factors[]] | length) as $np | (.evaluations / .n / (.groups | length + 2)) as $reps
    | "\(.groups | length) groups of \($np) uncertain parameters, \(.n) base points (\(.n * (.groups | length + 2)) points), \($reps) replications per point. Groups with a total-order index (ST) of 0.05 or more, largest first, with 95% bootstrap intervals; the noise share is the part of the variance that is replication noise at this budget:",
      "",
      "| output | mean | what drives it (ST) | noise share |",
      "| --- | --- | --- | --- |",
      (.outputs[] | select(.name as $n | ["balance", "balance_change", "spiral", "spiral_change", "settled_change"] | index($n))
       | ([.indices[] | select(.st >= 0.05)] | sort_by(-.st)) as $d
       | ([.indices[] | select(.st < 0.05)] | length) as $rest
       | "| `\(.name)` | \(.name as $n | .mean | if ($n | test("_change$")) then (if fabs >= 10 then sg(0) else sg(2) end) else big end) | "
         + ([$d[] | "\(.group) \(.st | fix(2)) (\(.st_lo | fix(2))-\(.st_hi | fix(2)))"] | join(", "))
         + (if $rest > 0 then "; \($rest) other\(if $rest > 1 then "s" else "" end) below 0.05" else "" end)
         + " | \(.noise_share | pc(0)) |")' ;;

discover-readmit-150)
  set -- discover us-russia-2025 --option $R150 --where "balance_change > 0" --points 3000 --reps 4
  printf '`legation discover us-russia-2025 --option %s --where "balance_change > 0" --points 3000 --reps 4`\n\n' $R150
  "$L" "$@" --no-store --json | discover_block ;;

discover-readmit-150-params)
  set -- discover us-russia-2025 --option $R150 --where "balance_change > 0" --points 3000 --reps 4 --params $PARAMS9
  printf '`legation discover us-russia-2025 --option %s --where "balance_change > 0" --points 3000 --reps 4 --params %s`\n\n' $R150 $PARAMS9
  "$L" "$@" --no-store --json | discover_block ;;

decide-uncertain)
  set -- decide us-russia-2025 --uncertain --reps 2000
  show "$@"
  "$L" "$@" --quiet --json > "$tmp"
  jq -r "$J"'
    "The USA'"'"'s utility (its gain minus Russia'"'"'s) in \(.worlds) worlds, best first:",
    "",
    "| option | expected utility | 5th percentile | mean regret | maximum regret | best in |",
    "| --- | --- | --- | --- | --- | --- |",
    (.options | sort_by(-.expected_utility)[]
     | "| \(.option | opt) | \(.expected_utility | fix(0)) | \(.q05 | fix(0)) | \(.mean_regret | fix(0)) | \(.max_regret | fix(0)) | \(.share_best | pc(0)) |"),
    ""' < "$tmp"
  decide_head < "$tmp"
  jq -r "$J"'
    "- Value of learning one parameter first (EVPPI, 95% CI), the largest: "
      + ([.evppi | sort_by(-.evppi)[0:6][] | "`\(.parameter)` \(.evppi | fix(0)) (\(.lo | fix(0)) to \(.hi | fix(0)))"] | join(", "))
      + "; \([.evppi[] | select(.evppi == 0)] | length) of \(.evppi | length) parameters are worth 0."' < "$tmp" ;;

decide-groups)
  set -- decide us-russia-2025 --uncertain --reps 1000 --groups docs/examples/groups-2025.txt
  show "$@"
  "$L" "$@" --quiet --json > "$tmp"
  decide_head < "$tmp"
  jq -r "$J"'
    "",
    "| group of parameters (learned together) | parameters | EVPPI (95% CI) |",
    "| --- | --- | --- |",
    (.evppi_groups | sort_by(-.evppi)[] | "| \(.group) | \(.parameters) | \(.evppi | fix(0)) (\(.lo | fix(0)) to \(.hi | fix(0))) |")' \
    < "$tmp" ;;

game-strategies)
  set -- game us-russia-2025 --strategies docs/examples/strategies-2025.yaml --reps 500
  show "$@"
  "$L" "$@" --quiet --json | jq -r "$J"'
    .strategies as $s | .players as $p
    | "Mean payoffs, \($p[0]) / \($p[1]), with the 95% half-width (\(.payoffs[0][0].reps) replications a cell); a star marks a best response of that side:",
      "",
      "| \($p[0])'"'"'s strategy | " + ($s.b | map("\($p[1]): \(.)") | join(" | ")) + " |",
      "| --- |" + ($s.b | map(" --- |") | join("")),
      (range($s.a | length) as $i
       | "| \($s.a[$i]) | " + ([.payoffs[$i][] | "\(.a | fix(0))\(if .best_response_a then "*" else "" end) / \(.b | fix(0))\(if .best_response_b then "*" else "" end) (±\(.halfwidth_a | fix(0)))"] | join(" | ")) + " |"),
      "",
      "Equilibria (\(.method)\(if .complete then ", complete" else "" end)):",
      "",
      (.equilibria[]
       | "- \(.ne): \($p[0]) plays "
         + ([range(.p1 | length) as $i | select(.p1[$i] > 0) | "\($s.a[$i])\(if .p1[$i] < 1 then " \(.p1[$i] | fix(2))" else "" end)"] | join(", "))
         + ", \($p[1]) "
         + ([range(.p2 | length) as $j | select(.p2[$j] > 0) | "\($s.b[$j])\(if .p2[$j] < 1 then " \(.p2[$j] | fix(2))" else "" end)"] | join(", "))
         + "; payoffs \(.payoff[0] | fix(0)) / \(.payoff[1] | fix(0)); worst-case regret within the intervals \(.worst_regret[0] | fix(0)) / \(.worst_regret[1] | fix(0)) against half-widths \(.halfwidth[0] | fix(0)) / \(.halfwidth[1] | fix(0)): \(if .survives then "survives" else "does not survive" end) the payoff uncertainty"
         + (if .paired_gain_upper then "; the most tempting deviation gains at most \(.paired_gain_upper[0] | sg(0)) (\($p[0])) and \(.paired_gain_upper[1] | sg(0)) (\($p[1])) at 95%, paired replication by replication" else "" end)
         + "."),
      (if .zero_sum then "", "The game is zero-sum; security levels \(.maxmin[0] | fix(0)) / \(.maxmin[1] | fix(0))." else empty end)' ;;

*) echo "$0: unknown block '$name' (one of: $(echo $NAMES))" >&2; exit 2 ;;
esac
