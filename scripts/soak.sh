#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# soak.sh - the results store under repeated faults (make soak; not part of
# make check: it takes minutes).  Prints counts; exits 1 if any case lost
# or changed a run.
#
#   sh scripts/soak.sh [path/to/legation]
#
#   SOAK_KILLS     kill -9 rounds (default 20): a run killed at a random
#                  moment, resumed and killed again, then finished; the
#                  result must equal an uninterrupted run's
#   SOAK_WRITERS   rounds of 8 processes creating one new store at once
#                  while a reader lists it (default 20); every run stored
#   a small full file system (tmpfs, size=4m) where the machine lets this
#                  user mount one (root): a run with --keep-reps fills it
#                  (exit 4, "database or disk is full", run resumable), the
#                  file system is grown and the run resumed to the
#                  uninterrupted numbers; then remounted read-only and read
set -u
bin=${1:-build/legation}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
[ -x "$bin" ] || { echo "soak: $bin: not an executable (make build first)" >&2; exit 2; }
kills=${SOAK_KILLS:-20}
writers=${SOAK_WRITERS:-20}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/legation-soak.XXXXXX") || exit 2
# the writers race on a RAM file system when there is one: the lock
# windows are shorter there and a missed busy wait shows about 10x as often
wdir=$(mktemp -d /dev/shm/legation-soak.XXXXXX 2>/dev/null) || wdir=$tmp
mnt=
cleanup() {
  [ -n "$mnt" ] && umount "$mnt" 2>/dev/null
  rm -rf "$tmp"
  [ "$wdir" != "$tmp" ] && rm -rf "$wdir"
}
trap cleanup EXIT HUP INT TERM
cd "$tmp" || exit 2
L=$bin
bad=0

# JSON of a run without its timing, for comparison.
strip() { grep -v '"seconds":'; }

# The number of replications done of run 1 in store $1 (0 if none yet).
done_of() {
  "$L" runs --db "$1" --json 2>/dev/null | sed -n 's/^ *"reps": \([0-9]*\),$/\1/p' | head -1
}

# ------------------------------------------------------------ kill -9
reps=100000
"$L" run --reps $reps --months 12 --seed 5 --json --no-store --quiet | strip > whole.json
# outputs per replication, for the count of stored rows
"$L" run --reps 1 --months 2 --quiet --keep-reps --db n.db > /dev/null 2>&1
nout=$(($("$L" export 1 --what reps --db n.db | wc -l) - 1))
ok=0 lost=0 differ=0 ntotal=0 partial=0
i=0
while [ $i -lt "$kills" ]; do
  i=$((i + 1))
  db=k$i.db
  "$L" run --reps $reps --months 12 --seed 5 --quiet --keep-reps --store-events \
    --checkpoint 0.02 --db $db > /dev/null 2>&1 &
  pid=$!
  # wait for the first checkpoint, then kill at a random moment after it
  until [ "$(done_of $db)" -gt 0 ] 2>/dev/null; do kill -0 $pid 2>/dev/null || break; sleep 0.02; done
  sleep "0.$(od -An -N1 -tu1 /dev/urandom | tr -d ' ' | cut -c1)"
  kill -9 $pid 2>/dev/null
  wait $pid 2>/dev/null
  ntotal=$((ntotal + 1))
  # a resume killed too, once in two rounds
  if [ $((i % 2)) -eq 0 ]; then
    "$L" run --resume 1 --db $db --quiet > /dev/null 2>&1 &
    pid=$!
    sleep 0.1
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    ntotal=$((ntotal + 1))
  fi
  status=$("$L" runs --db $db --json 2>/dev/null | sed -n 's/^ *"status": "\(.*\)",$/\1/p' | head -1)
  [ "$status" = incomplete ] && partial=$((partial + 1))
  if [ "$status" = complete ]; then
    "$L" runs show 1 --db $db --json 2>/dev/null > /dev/null || lost=$((lost + 1))
    ok=$((ok + 1))
    continue
  fi
  if ! "$L" run --resume 1 --db $db --json --quiet 2>/dev/null | strip > r.json; then
    lost=$((lost + 1))
    continue
  fi
  # the stored replications: each once (a row per output)
  n=$("$L" export 1 --what reps --db $db | wc -l)
  if ! cmp -s r.json whole.json; then
    differ=$((differ + 1))
  elif [ "$n" -ne $((reps * nout + 1)) ]; then
    differ=$((differ + 1))
  else
    ok=$((ok + 1))
  fi
done
echo "soak: kill -9: $kills runs ($partial left incomplete), $ntotal kills: $ok resumed to the uninterrupted result, $differ differed, $lost lost"
[ $differ -eq 0 ] && [ $lost -eq 0 ] || bad=1

# ------------------------------------------------------------ concurrent writers
stored=0 failed=0
j=0
while [ $j -lt "$writers" ]; do
  j=$((j + 1))
  db=$wdir/w$j.db
  for p in 1 2 3 4 5 6 7 8; do
    "$L" run --reps 2 --months 2 --threads 1 --quiet --db $db > /dev/null 2>> writers.err &
  done
  "$L" runs --db $db > /dev/null 2>&1 &
  wait
  n=$("$L" runs --db $db --json | grep -c '"id"')
  rm -f $db $db-wal $db-shm
  stored=$((stored + n))
  failed=$((failed + 8 - n))
done
echo "soak: concurrent writers: $((writers * 8)) runs in $writers new stores ($wdir): $stored stored, $failed lost"
[ -s writers.err ] && sed 's/^/soak:   /' writers.err | sort | uniq -c
[ $failed -eq 0 ] || bad=1

# ------------------------------------------------------------ a full file system
mkdir fs
if mount -t tmpfs -o size=4m tmpfs fs 2>/dev/null; then
  mnt=$tmp/fs
  "$L" run --reps 200000 --months 24 --seed 9 --keep-reps --quiet --checkpoint 30 \
    --db fs/f.db > /dev/null 2> full.err
  code=$?
  grep -q 'database or disk is full' full.err && msg=yes || msg=no
  status=$("$L" runs --db fs/f.db --json 2>/dev/null | sed -n 's/^ *"status": "\(.*\)",$/\1/p' | head -1)
  mount -o remount,size=128m "$mnt"
  "$L" run --resume 1 --db fs/f.db --json --quiet 2>/dev/null | strip > r.json
  "$L" run --reps 200000 --months 24 --seed 9 --json --no-store --quiet | strip > w.json
  cmp -s r.json w.json && same=yes || same=no
  mount -o remount,ro "$mnt"
  "$L" runs --db fs/f.db > /dev/null 2> ro.err
  ro=$?
  grep -q 'read-only' ro.err && romsg=yes || romsg=no
  echo "soak: full file system (tmpfs 4 MB): exit $code, says 'database or disk is full': $msg," \
    "left $status; resumed on 128 MB to the uninterrupted result: $same"
  echo "soak: read-only file system: runs exit $ro, says read-only: $romsg"
  [ $code -eq 4 ] && [ $msg = yes ] && [ "$status" = incomplete ] && [ $same = yes ] || bad=1
  umount "$mnt" && mnt=
else
  echo "soak: full file system: skipped, this user cannot mount a tmpfs (needs root)"
fi

[ $bad -eq 0 ] && echo "soak: passed" || echo "soak: FAILED"
exit $bad
