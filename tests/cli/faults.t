# faults.t - hostile paths and values, concurrent writers: every output
# path goes through one helper (cli/util.c) that never replaces the store,
# a device or a link; --set is checked by the loader's own scalar rules;
# scenarios must be UTF-8; the store keeps every run and says why it
# refuses.  A full disk and read-only media need a mount: `make soak`
# (scripts/soak.sh) covers those, and tests/test_store.c a store that is
# full (max_page_count) or locked.

# A store with one run, for the cases below.
$ legation run --reps 20 --months 3 --quiet --db s.db > /dev/null && legation runs --db s.db | grep -o '20/20 *complete'
20/20                  complete

# 1. An output that is the store, or its -wal/-shm file, is refused with
# exit 2 before anything runs, whatever command writes it.
$ legation run --reps 20 --months 3 --quiet --db s.db --report s.db
! legation: run: 's.db' is the results store; an output never replaces it (choose another file name)
? 2

$ legation run --reps 20 --months 3 --quiet --db s.db --events s.db-wal
! legation: run: 's.db-wal' is the results store's file s.db-wal; an output never replaces it (choose another file name)
? 2

$ legation compare us-russia-2025 us-russia-2025-readmit-150 --reps 5 --months 3 --quiet --db s.db --report ./s.db
! legation: compare: './s.db' is the results store; an output never replaces it (choose another file name)
? 2

$ legation report 1 --db s.db -o s.db
! legation: report: 's.db' is the results store; an output never replaces it (choose another file name)
? 2

# ... also through a link, and for the default store (no --db).
$ ln -s s.db alias.db && legation export 1 --db s.db -o alias.db
! legation: export: 'alias.db' is the results store; an output never replaces it (choose another file name)
? 2

$ legation run --reps 2 --months 3 --quiet > /dev/null 2>&1; legation export 1 -o legation.db
! legation: export: 'legation.db' is the results store; an output never replaces it (choose another file name)
? 2

# The store is intact: its run is still there.
$ legation runs --db s.db | grep -o '20/20 *complete'
20/20                  complete

# A scenario operand is not replaced by the run's report either.
$ cp @SRC@/tests/cli/fixtures/good.yaml mine.yaml && legation run mine.yaml --reps 2 --no-store --quiet --report mine.yaml
! legation: run: 'mine.yaml' is the scenario file 'mine.yaml'; an output never replaces it
? 2

# A character device is written in place, never replaced: /dev/full is a
# full disk (exit 4 with the cause), /dev/null takes everything.
$ legation run --reps 20 --months 3 --no-store --quiet --report /dev/full > /dev/null; echo "status $?"; test -c /dev/full && echo still a device
status 4
still a device
! legation: run: cannot write '/dev/full': No space left on device

$ ln -s /dev/full myfull && legation export 1 --db s.db -o myfull; echo "status $?"; test -L myfull && test -c myfull && echo still a link to the device
status 4
still a link to the device
! legation: export: cannot write 'myfull': No space left on device

$ legation run --reps 200 --months 3 --no-store --quiet --events /dev/full > /dev/null
! legation: run: cannot write '/dev/full': No space left on device
? 4

$ legation report 1 --db s.db -o /dev/full
! legation: report: cannot write '/dev/full': No space left on device
? 4

$ legation export 1 --db s.db -o /dev/null && test -c /dev/null && echo still a device
still a device

# Standard output on a full disk: one message, exit 4.
$ legation export 1 --db s.db > /dev/full
! legation: error writing standard output: No space left on device
? 4

# A FIFO is written in place (the reader gets the whole file; a FIFO
# replaced by a file would leave the reader waiting: hence the timeouts).
$ mkfifo pipe && { timeout 20 cat pipe > got.csv & timeout 20 legation export 1 --db s.db -o pipe; wait; } && test -p pipe && head -1 got.csv
run,variant,output,unit,kind,n,mean,sd,lo,hi,min,q05,q25,q50,q75,q95,max

# A directory is not written.
$ mkdir adir && legation export 1 --db s.db -o adir
! legation: export: cannot write 'adir': Is a directory
? 4

# A link is followed: its target is replaced (atomically) and the link
# stays a link; a dangling link creates its target.  An existing file's
# permissions are kept.
$ echo old > target.csv && chmod 600 target.csv && ln -s target.csv link.csv && legation export 1 --db s.db -o link.csv && test -L link.csv && head -1 target.csv && stat -c %a target.csv
run,variant,output,unit,kind,n,mean,sd,lo,hi,min,q05,q25,q50,q75,q95,max
600

$ ln -s new.html dangling.html && legation report 1 --db s.db -o dangling.html && test -L dangling.html && grep -c '<!DOCTYPE html>' new.html
1

$ legation export 1 --db s.db -o nodir/out.csv
! legation: export: cannot write 'nodir/out.csv': No such file or directory
? 4

# Nothing is left behind by the writes above.
$ ls | grep -c '\.tmp\.' || true
0

# 2. --set is checked exactly as a plain value in a scenario file.
$ legation run --reps 1 --no-store --set horizon=0x10
! legation: --set: horizon: expected an integer in [1, 600], found "0x10"
? 3

$ legation run --reps 1 --no-store --set states.a.openness=0x1p-1
! legation: --set: states.a.openness: expected a number in [0, 1], found "0x1p-1"
? 3

$ legation run --reps 1 --no-store --set "states.a.openness=$(printf '\v')0.5"
! legation: --set: states.a.openness: expected a value of one line without control characters, found "?0.5"
? 3

$ legation run --reps 1 --no-store --set states.a.cut_cap=1
! legation: --set: states.a.cut_cap: expected true or false, found 1
? 3

$ legation run --reps 1 --no-store --set states.a.cut_cap=on
! legation: --set: states.a.cut_cap: expected true or false, found "on"
? 3

$ legation run --reps 1 --no-store --set "states.a.name=$(printf 'Red\033[31mland')"
! legation: --set: states.a.name: expected a value of one line without control characters, found "Red?[31mland"
? 3

$ legation run --reps 1 --no-store --set "states.a.name=$(printf 'A\nhorizon=2')"
! legation: --set: states.a.name: expected a value of one line without control characters, found "A?horizon=2"
? 3

$ legation run --reps 1 --no-store --set "states.a.name=$(printf 'A\377')"
! legation: --set: states.a.name: expected UTF-8 text, found bytes that are not UTF-8
? 3

# Name limits are in bytes, and say so: 25 Cyrillic letters are 50 bytes.
$ legation run --reps 1 --no-store --set states.a.name=ДДДДДДДДДДДДДДДДДДДДДДДДД
! legation: --set: states.a.name: expected a name of 1 to 47 bytes (UTF-8), found "ДДДДДДДДДДДДДДДДДДДДДДДДД"
? 3

# What --set accepts round-trips through the store: shown as given, and
# resumed under the same checkpoint.
$ legation run --reps 2 --months 3 --quiet --db o.db --set 'states.a.name=Ru=ß' --set states.a.cut_cap=yes > /dev/null && legation runs show 1 --db o.db | grep overrides
  overrides  states.a.name=Ru=ß, states.a.cut_cap=yes, horizon=3

# 3. A scenario that is not UTF-8 is refused at load, with the reason.
$ printf '\377\376n\000a\000' > u16.yaml && legation validate u16.yaml
! legation: u16.yaml:1:1: expected UTF-8 text, found UTF-16LE (byte order mark); convert the file to UTF-8
? 3

$ printf 'name: x\000\n' > nul.yaml && legation run nul.yaml --reps 1 --no-store
! legation: nul.yaml:1:8: expected UTF-8 text, found a NUL byte (a UTF-16 or UTF-32 file?); convert the file to UTF-8
? 3

# 5. Eight processes creating one new store at once, five times: every
# run is stored (the WAL switch waits for the others).
$ for t in 1 2 3 4 5; do for i in 1 2 3 4 5 6 7 8; do legation run --reps 2 --months 2 --threads 1 --quiet --db c$t.db > /dev/null & done; wait; done; for t in 1 2 3 4 5; do legation runs --db c$t.db --json | grep -c '"id"'; done
8
8
8
8
8

# 6. Messages that tell the truth.  A store on a device is refused before
# SQLite touches the directory: no NAME-journal is left.
$ ln -s /dev/zero z.db && legation run --reps 2 --db z.db; echo "status $?"; ls | grep -c journal || true
status 4
0
! legation: run: results store z.db: cannot open: a device, FIFO or socket, not a regular file
! legation: run: use --no-store to run without the results store

$ echo junk > bad.db && legation runs --db bad.db
! legation: runs: results store bad.db: not a Legation store: file is not a database
? 4

# A message of several lines has the prefix on each, and a control
# character from the command line does not reach the terminal.
$ legation run "$(printf 'no\nsuch\033')" --no-store
! legation: run: 'no
! legation: such?': no such file or built-in scenario (see 'legation scenarios')
? 3
