# SIGINT stops a run cleanly: the finished replications are reported, a
# note goes to stderr, the event log is not left behind, exit status 130.
# A long run is started in the background; once its redirections exist
# (so the shell has set SIGINT to ignored in the child, see POSIX on
# asynchronous lists) it is sent SIGINT every second until it ends: a
# signal that comes before legation installs its handler is ignored.  The
# run stays in the results store (legation.db) as incomplete (store.t).

$ legation run --reps 100000000 --quiet --events ev.csv > out.txt 2> err.txt & pid=$!; until [ -e err.txt ]; do sleep 1; done; while kill -INT $pid 2>/dev/null; do sleep 1; done; wait $pid; echo "status $?"; grep -c 'replications, seed 1' out.txt; grep -o 'interrupted after [0-9]* of 100000000 replications' err.txt | sed 's/[0-9]* of/N of/'; ls
status 130
1
interrupted after N of 100000000 replications
err.txt
legation.db
out.txt
