#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# serve_bench.sh - the load bench of `legation serve` (issue 13, item 6;
# `make bench-serve`, needs wrk, curl and jq: scripts/install-deps.sh
# --bench).  Not a test: it prints figures, docs/SERVE.md quotes them.
#   sh bench/serve_bench.sh [LEGATION] [REQUESTS] [JOBS_REPS]
# 1. 10^5 API requests (REQUESTS) at concurrency 64 with wrk (2 threads,
#    bench/serve_bench.lua: GET /api/scenarios and /api/params alternately):
#    requests per second, errors, latency p50/p90/p99.
# 2. The server's memory (VmRSS and VmHWM of /proc/PID/status) after a
#    warm-up of 2000 requests, then after the 10^5: flat if equal.
# 3. 8 equal jobs (runs of us-russia-2025, JOBS_REPS replications each)
#    started at once on a server with --jobs 8 (one thread each, sharing
#    the machine's cores): each job's finish time and, when the first one
#    finishes, how far each got; fairness = max/min of both.
set -eu
LEGATION=${1:-build/legation}
REQUESTS=${2:-100000}
JOBS_REPS=${3:-20000}
DIR=$(cd "$(dirname "$0")" && pwd)
for t in wrk curl jq; do
  command -v $t >/dev/null 2>&1 || { echo "serve_bench: $t is missing (scripts/install-deps.sh --bench)" >&2; exit 2; }
done
TMP=$(mktemp -d)
trap 'kill $P 2>/dev/null; rm -rf "$TMP"' EXIT
"$LEGATION" serve --port 0 --jobs 8 >"$TMP/srv.out" 2>"$TMP/srv.err" &
P=$!
i=0
until grep -q '^listening on' "$TMP/srv.out" 2>/dev/null; do
  i=$((i + 1))
  [ $i -gt 100 ] && { echo "serve_bench: the server did not start" >&2; cat "$TMP/srv.err" >&2; exit 1; }
  sleep 0.1
done
B=$(sed -n 's/^listening on \(http:[^ ]*\)\/api .*/\1/p' "$TMP/srv.out")
mem() { awk '/^VmRSS|^VmHWM/ { printf "%s %s kB  ", $1, $2 }' /proc/$P/status; }

echo "serve_bench: $(uname -m), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $("$LEGATION" --version 2>/dev/null | head -1)"
echo "memory at start:        $(mem)"
# wrk N: N requests over 64 connections (2 threads), its figures line
wrk_n() {
  rm -f "$TMP/mark".*
  wrk -t 2 -c 64 -d 3600s --timeout 10s -s "$DIR/serve_bench.lua" "$B" -- $(($1 / 2)) "$TMP/mark" \
    >"$TMP/wrk.out" &
  W=$!
  until [ -e "$TMP/mark.1" ] && [ -e "$TMP/mark.2" ]; do
    kill -0 $W 2>/dev/null || break
    sleep 0.05
  done
  kill -INT $W 2>/dev/null || true
  wait $W || true
  grep '^wrk:' "$TMP/wrk.out"
}
wrk_n 2000 >/dev/null
sleep 2 # the warm-up's connections close (64 per client address at most)
echo "memory after warm-up:   $(mem)"
wrk_n "$REQUESTS"
echo "memory after $REQUESTS: $(mem)"

# 3. eight equal jobs at once
J="{\"scenario\": \"us-russia-2025\", \"reps\": $JOBS_REPS, \"seed\": 1}"
t0=$(date +%s.%N)
for k in 1 2 3 4 5 6 7 8; do
  curl -s -o /dev/null -H 'Content-Type: application/json' -d "$J" "$B/api/jobs"
done
: >"$TMP/fin"
first=""
while :; do
  now=$(date +%s.%N)
  curl -s "$B/api/jobs" >"$TMP/jobs.json"
  for id in $(jq -r '.jobs[] | select(.status == "done") | .id' "$TMP/jobs.json"); do
    grep -q "^$id " "$TMP/fin" || echo "$id $(awk -v a="$now" -v b="$t0" 'BEGIN { printf "%.3f", a - b }')" >>"$TMP/fin"
  done
  if [ -z "$first" ] && [ -s "$TMP/fin" ]; then
    first=$(jq -r '[.jobs[] | .done] | "\(min) \(max)"' "$TMP/jobs.json")
  fi
  [ "$(wc -l <"$TMP/fin")" -ge 8 ] && break
  if [ "$(jq '[.jobs[] | select(.status == "failed" or .status == "cancelled")] | length' "$TMP/jobs.json")" != 0 ]; then
    echo "serve_bench: a job failed" >&2
    exit 1
  fi
  sleep 0.2
done
sort -k2 -n "$TMP/fin" | awk -v first="$first" '
  { t[NR] = $2 }
  END {
    split(first, f, " ")
    printf "jobs: 8 x %s replications, --jobs 8: finish seconds min=%.2f max=%.2f ratio=%.3f; ", '"$JOBS_REPS"', t[1], t[NR], t[NR] / t[1]
    printf "progress when the first finished min=%d max=%d ratio=%.3f\n", f[1], f[2], f[2] / f[1]
  }'
echo "memory after the jobs:  $(mem)"
kill -TERM $P
wait $P || true
