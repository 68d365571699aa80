#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# run.sh - run one CLI test case file against the legation binary.
#
#   sh tests/cli/run.sh /path/to/legation tests/cli/CASE.t
#
# LEGATION_SOURCE_DIR names the repository root (default: two levels up
# from this script).  Exit 0 if every command of the case behaves as
# written, else 1 after printing a diff for each failure.
#
# Case file format (one file holds any number of commands):
#
#   # text          a comment (only at the start of a line)
#   $ COMMAND       start a command; it runs with `sh -c` in a fresh empty
#                   directory (shared by the commands of one file, so a
#                   later command can read what an earlier one wrote),
#                   with `legation` on PATH pointing at the binary under
#                   test.  Pipes, redirections, && and $(...) all work.
#   TEXT            an expected line of standard output (exact)
#   | TEXT          the same, for lines that start with $ # ? ! | ~ or are
#                   empty ("|" alone expects an empty line)
#   ~ TEXT          standard output has a line containing TEXT; once a
#                   command has a ~ line, its stdout is checked only by
#                   its ~ lines (use this for help and results, whose
#                   wording or numbers may change)
#   ! TEXT          an expected line of standard error (exact)
#   !~ TEXT         standard error has a line containing TEXT; as with ~,
#                   stderr is then checked only by its !~ lines
#   ? N             the expected exit status (default 0)
#   (blank line)    ignored
#
# Without any stdout lines the command must print nothing on stdout; the
# same holds for stderr.  The token @SRC@ in commands and expected lines is
# replaced by the repository root, so fixtures are @SRC@/tests/cli/fixtures.
#
# Cases that need more than one command's output (determinism across
# thread counts, SIGINT) are written as shell pipelines inside one `$`
# line that print a fixed word when the check passes.

set -u

if [ $# -ne 2 ]; then
  echo "usage: sh run.sh /path/to/legation CASE.t" >&2
  exit 2
fi
bin=$1
case_file=$2
here=$(cd "$(dirname "$0")" && pwd)
src=${LEGATION_SOURCE_DIR:-$(cd "$here/../.." && pwd)}

case $bin in
/*) ;;
*) bin=$(pwd)/$bin ;;
esac
if [ ! -x "$bin" ]; then
  echo "run.sh: $bin: not an executable" >&2
  exit 2
fi
if [ ! -r "$case_file" ]; then
  echo "run.sh: $case_file: cannot read" >&2
  exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/legation-cli.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
mkdir "$tmp/bin" "$tmp/work" || exit 2
ln -s "$bin" "$tmp/bin/legation" || exit 2

failures=0
ncmds=0
cmd=
cmd_line=0

# Replace @SRC@ in $1 (sed with a delimiter that paths rarely hold).
subst() {
  printf '%s\n' "$1" | sed "s#@SRC@#$src#g"
}

reset_expect() {
  : >"$tmp/exp_out"
  : >"$tmp/exp_err"
  : >"$tmp/has_out"
  : >"$tmp/has_err"
  want_code=0
}

# Check that every pattern in file $1 occurs in a line of file $2.
check_contains() {
  missing=0
  while IFS= read -r pat || [ -n "$pat" ]; do
    if ! grep -F -e "$pat" "$2" >/dev/null 2>&1; then
      echo "    no line contains: $pat"
      missing=1
    fi
  done <"$1"
  return $missing
}

show_diff() {
  # $1 expected file, $2 actual file, $3 stream name
  echo "    $3 differs (--- expected, +++ actual):"
  diff -u "$1" "$2" | sed -e '1,2d' -e 's/^/    /' ||
    true
}

run_cmd() {
  [ -n "$cmd" ] || return 0
  ncmds=$((ncmds + 1))
  (cd "$tmp/work" && PATH="$tmp/bin:$PATH" LEGATION_SOURCE_DIR="$src" \
    sh -c "$cmd" >"$tmp/out" 2>"$tmp/err" </dev/null)
  got_code=$?
  bad=0
  report=
  if [ "$got_code" != "$want_code" ]; then
    bad=1
    report="$report    exit status: expected $want_code, got $got_code
"
  fi
  if [ -s "$tmp/has_out" ]; then
    if ! msg=$(check_contains "$tmp/has_out" "$tmp/out"); then
      bad=1
      report="$report    stdout:
$msg
"
      report="$report$(sed 's/^/    | /' "$tmp/out")
"
    fi
  elif ! cmp -s "$tmp/exp_out" "$tmp/out"; then
    bad=1
    report="$report$(show_diff "$tmp/exp_out" "$tmp/out" stdout)
"
  fi
  if [ -s "$tmp/has_err" ]; then
    if ! msg=$(check_contains "$tmp/has_err" "$tmp/err"); then
      bad=1
      report="$report    stderr:
$msg
"
      report="$report$(sed 's/^/    | /' "$tmp/err")
"
    fi
  elif ! cmp -s "$tmp/exp_err" "$tmp/err"; then
    bad=1
    report="$report$(show_diff "$tmp/exp_err" "$tmp/err" stderr)
"
  fi
  if [ $bad -ne 0 ]; then
    failures=$((failures + 1))
    echo "FAIL $case_file:$cmd_line: \$ $cmd"
    printf '%s' "$report"
  fi
}

reset_expect
lineno=0
while IFS= read -r line || [ -n "$line" ]; do
  lineno=$((lineno + 1))
  case $line in
  '$ '*)
    run_cmd
    reset_expect
    cmd=$(subst "${line#'$ '}")
    cmd_line=$lineno
    ;;
  '#'*) ;;
  '') ;;
  '? '*)
    want_code=${line#'? '}
    ;;
  '!~ '*) subst "${line#'!~ '}" >>"$tmp/has_err" ;;
  '! '*) subst "${line#'! '}" >>"$tmp/exp_err" ;;
  '~ '*) subst "${line#'~ '}" >>"$tmp/has_out" ;;
  '|') echo >>"$tmp/exp_out" ;;
  '| '*) subst "${line#'| '}" >>"$tmp/exp_out" ;;
  *)
    if [ -z "$cmd" ]; then
      echo "run.sh: $case_file:$lineno: expected output before any '\$ ' command" >&2
      exit 2
    fi
    subst "$line" >>"$tmp/exp_out"
    ;;
  esac
done <"$case_file"
run_cmd

if [ $ncmds -eq 0 ]; then
  echo "run.sh: $case_file: no commands" >&2
  exit 2
fi
if [ $failures -ne 0 ]; then
  echo "$case_file: $failures of $ncmds commands failed"
  exit 1
fi
echo "$case_file: $ncmds commands passed"
exit 0
