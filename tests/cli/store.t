# The results store: `legation run` keeps every run in ./legation.db (or
# --db, or $LEGATION_DB) unless --no-store; `runs` lists and shows them,
# `export` writes their data; an interrupted run is finished by --resume
# with the numbers of an uninterrupted run.  The C side (schema, damaged
# files, kill -9) is tests/test_store.c.

$ legation run --reps 20 --months 6
~ 20 replications, seed 1,
! legation: stored as run 1 in legation.db

$ legation run --reps 10 --months 6 --quiet --keep-reps --store-events --set states.a.openness=0.6 > /dev/null && ls
legation.db

$ legation runs
~ ID  STARTED (UTC)        KIND          SCENARIO
~ run           us-russia-2025                    20/20                  complete
~ run           us-russia-2025                    10/10                  complete

$ legation runs --json | grep -e '"id"' -e '"kind"' -e '"status"' -e '"reps"'
|     "id": 2,
|     "kind": "run",
|     "status": "complete",
|     "reps": 10,
|     "id": 1,
|     "kind": "run",
|     "status": "complete",
|     "reps": 20,

$ legation runs show 2
~ Run 2: complete, 10 of 10 replications
~   overrides  states.a.openness=0.6, horizon=6
~   stored     seed 1, 6 months, summaries and series, replications, events
~ US-Russia 2025
~ 10 replications, seed 1,
~   balance (USA minus Russia)

# runs show --json is the document of run --json with the stored row added.
$ legation runs show 1 --json | grep -e '"reps":' -e '"complete":' -e '"run":' -e '"sets":'
|   "reps": 20,
|   "complete": true,
|   "run": {
|     "sets": [
|     "reps": 20,

$ legation export 1 | head -2 | cut -d, -f1-6
run,variant,output,unit,kind,n
1,0,value_a,value,real,20

$ legation export 2 --what reps | wc -l
~ 481

$ legation export 2 --what reps --format json | head -2
~ [
~   {"run": 2, "rep": 0, "variant": 0, "output": "value_a", "value": 

$ legation export 2 --what series -o series.csv && head -1 series.csv && grep -c ',staff_a,' series.csv
run,variant,series,month,n,mean,q05,q25,q50,q75,q95
6

$ legation export 2 --what events | head -1
run,rep,month,acting_state,target_state,action,persons,officers,reason,chain

$ legation export 2 --what params | grep -c '^2,'
~ 1

$ legation export 1 --what reps
! legation: export: run 1 was made without --keep-reps, so its replications were not stored
? 3

$ legation export 1 --format xml
! legation: export: --format: expected csv|json, found 'xml' (see 'legation export --help')
? 2

$ legation runs show 99
! legation: runs: legation.db: no run 99 (see 'legation runs')
? 3

$ legation runs foo
! legation: runs: expected 'show ID' or nothing, found 'foo' (see 'legation runs --help')
? 2

$ legation run --resume 1
! legation: run: run 1 is complete; there is nothing to resume (see 'legation runs show 1')
? 2

$ legation run --resume 1 --reps 5
! legation: run: --resume takes the run's own settings; --reps cannot be given (see 'legation run --help')
? 2

# compare is stored too (--db, --no-store and --quiet as for run), listed
# with its number of options; export writes its options and paired
# differences (tests/cli/compare.t has the rest).
$ legation compare us-russia-2025 us-russia-2025-readmit-50 --reps 10 --months 6 --db c.db > /dev/null && legation compare us-russia-2025 us-russia-2025-readmit-50 --reps 10 --months 6 --db c.db --quiet --no-store > /dev/null && legation runs --db c.db | grep -c 'compare (1)'
! legation: stored as run 1 in c.db
1

$ legation export 1 --db c.db --what variants --format json | grep -o '"origin": "[^"]*"'
"origin": "builtin:us-russia-2025"
"origin": "builtin:us-russia-2025-readmit-50"

$ legation export 1 --db c.db --what diffs | cut -d, -f2,3 | sed -n 2p
1,value_a

$ legation export 2 --what diffs | wc -l
1

# --db and LEGATION_DB choose the file; --no-store writes none.
$ mkdir d && legation run --reps 2 --months 2 --db d/a.db --quiet > /dev/null && LEGATION_DB=d/b.db legation run --reps 2 --months 2 --quiet --no-store > /dev/null && LEGATION_DB=d/a.db legation runs | grep -c complete && ls d
1
a.db

$ echo junk > bad.db && legation runs --db bad.db
! legation: runs: results store bad.db: not a Legation store: file is not a database
? 4

$ legation run --reps 2 --db /proc/legation.db
! legation: run: results store /proc/legation.db: cannot open: unable to open database file: No such file or directory
! legation: run: use --no-store to run without the results store
? 4

# Ctrl-C: the run is kept as incomplete with its checkpoint; --resume
# finishes it, and the result equals an uninterrupted run's (the JSON
# without "seconds", which differs).  The run cannot finish before the
# signal whatever the load: its event log goes to a FIFO that nobody reads
# until after the kill, so it stops once the pipe is full.  The signal is
# sent once the run's row is in the store (the handler is installed by
# then); an interrupt before the first checkpoint resumes from the start.
# The shell holds the FIFO open read-write (so nothing waits on its open),
# and the reader started after the kill is stopped once the run has ended.
$ mkfifo ev && { legation run --reps 100000 --months 12 --seed 3 --quiet --checkpoint 0.05 --db i.db --events ev > /dev/null 2> err.txt & pid=$!; exec 3<>ev; until legation runs --db i.db 2>/dev/null | grep -q ' running '; do kill -0 $pid || break; sleep 0.1; done; kill -INT $pid; cat <&3 > /dev/null & cpid=$!; wait $pid; echo "status $?"; kill $cpid; }; grep -o 'kept as run 1 in i.db' err.txt; legation runs --db i.db | grep -o 'incomplete'
status 130
kept as run 1 in i.db
incomplete

$ legation run --resume 1 --db i.db --json | grep -v '"seconds":' > a.json && legation run --reps 100000 --months 12 --seed 3 --json --no-store | grep -v '"seconds":' > b.json && cmp a.json b.json && legation runs --db i.db | grep -o '100000/100000 *complete'
100000/100000          complete
! legation: stored as run 1 in i.db

# Reading a store that is not there is an error and creates nothing.
$ legation runs --db none.db; ls none.db 2>/dev/null; echo "listed $?"
! legation: runs: no results store at 'none.db' (see --db)
listed 2

# Stored runs survive their files: every file a scenario was read from (the
# option, its file base, the built-in base) is kept in full, and show,
# report and resume use only those.  The base is edited and the directory
# changed; runs show prints the same, report still works.
$ mkdir -p w/sub && cd w && printf 'base: us-russia-2025\nhorizon: 6\nstates: {usa: {openness: 0.7}}\n' > sub/base.yaml && printf 'base: base.yaml\nmissions: {russia: {travel: 0.4}}\n' > sub/opt.yaml && legation compare us-russia-2025 sub/opt.yaml --reps 20 --months 6 --quiet --db s.db --label 'travel rule' --set states.russia.forgiveness=0.3 > /dev/null 2>&1 && legation runs show 1 --db s.db > ../show1.txt && legation runs --db s.db | grep -o 'travel rule; states.russia.forgiveness=0.3, horizon=6' && grep -e '  label' -e ' bytes)$' ../show1.txt | sed 's/([0-9]* bytes)/(N bytes)/'
travel rule; states.russia.forgiveness=0.3, horizon=6
  label      travel rule
    scenario   builtin:us-russia-2025 (N bytes)
    option 1   sub/opt.yaml (N bytes)
      base     sub/base.yaml (N bytes)
      base     builtin:us-russia-2025 (N bytes)

$ printf 'base: us-russia-2025\nhorizon: 6\n' > w/sub/base.yaml && cd w/sub && legation runs show 1 --db ../s.db | cmp - ../../show1.txt && legation report 1 --db ../s.db -o r.html && echo same && legation export 1 --db ../s.db --what files --format json | grep -o '"key": "[^"]*"'
same
"key": "builtin:us-russia-2025"
"key": "sub/opt.yaml"
"key": "sub/base.yaml"
"key": "builtin:us-russia-2025"

# An interrupted run whose base was edited meanwhile resumes from the
# stored files (before, the edited base gave "checkpoint does not match").
$ mkdir -p r/sub && cd r && printf 'base: us-russia-2025\nhorizon: 12\n' > sub/base.yaml && printf 'base: base.yaml\nstates: {usa: {openness: 0.7}}\n' > sub/opt.yaml && (legation run sub/opt.yaml --reps 200000 --seed 3 --quiet --checkpoint 0.05 --db i.db > /dev/null 2>&1 & pid=$!; until legation runs --db i.db 2>/dev/null | grep -q ' [1-9][0-9]*/200000 '; do kill -0 $pid || break; sleep 0.1; done; kill -INT $pid; wait $pid; echo "status $?") && printf 'base: us-russia-2025\nhorizon: 30\n' > sub/base.yaml && cd sub && legation run --resume 1 --db ../i.db --quiet > /dev/null 2>&1; echo "resumed $?"; legation runs --db ../i.db | grep -o 'complete'
status 130
resumed 0
complete
