# compare: options against a base under common random numbers.  The shape
# of the output, not its numbers (the model evolves).

# No operand: the built-in 2025 deal options against the status quo.
$ legation compare --reps 20 --quiet
~ Comparison with US-Russia 2025
~ options; 20 replications of each with common random numbers, seed 1,
~ Scorecard: change from the base (option minus base; probabilities in
~ readmit-150: Deal option
~   intelligence gained by USA
~   intelligence gained by Russia
~   balance (USA minus Russia)
~   expulsion spiral (probability)
~   diplomatic function of USA (mean)
~   diplomatic function of Russia (mean)
~   negotiation settles (probability)
~ Paired intervals are
~ narrower than two independent runs of
~ Every output: means of base and option, paired change
~   value_a

# BASE alone: its built-in options BASE-*, the same as no operand.
$ legation compare us-russia-2025 --reps 10 --quiet | head -2 | tail -1 | cut -d';' -f1
6 options

$ legation compare us-russia-2025 @SRC@/tests/cli/fixtures/compare-readmit.yaml @SRC@/tests/cli/fixtures/compare-open.yaml --reps 30 --threads 1
~ 2 options; 30 replications of each with common random numbers, seed 1, 1 thread, 48 months
~ cli-compare-readmit: CLI test: readmit 150
~ cli-compare-open: CLI test: a more open Russia
~   cli-compare-open
~ (95% CI
!~ stored as run 3 in legation.db

# The verdict names the side whose gain a readmission raises (the sentence
# wraps, so it is joined first).
$ legation compare us-russia-2025 @SRC@/tests/cli/fixtures/compare-readmit.yaml --reps 100 --quiet | tr -s ' \n' '  ' | grep -o "raises Russia's gain by" | head -1
raises Russia's gain by

# Options that change nothing are said to change nothing.
$ legation compare us-russia-2025 us-russia-2025 --reps 10 --quiet
~ us-russia-2025 leaves both sides' gains, the spiral probability and the
~ Too few replications to compare paired with independent intervals.

# --set and --months apply to every scenario.
$ legation compare us-russia-2025 @SRC@/tests/cli/fixtures/good.yaml --months 24 --set states.a.openness=0.8 --reps 5 --quiet
~ 1 option; 5 replications of each with common random numbers, seed 1,
~ 24 months

$ legation compare us-russia-2025 @SRC@/tests/cli/fixtures/compare-readmit.yaml --reps 10 --json --no-store
~ "legation_version": "0.1.0",
~ "kind": "compare",
~ "reps": 10,
~ "narrowing": {
~ "scenarios": [
~ "role": "base",
~ "role": "option",
~ "operand": "@SRC@/tests/cli/fixtures/compare-readmit.yaml",
~ "verdict": "cli-compare-readmit
~ "scorecard": [
~ "diffs": {
~ "indep_lo":

# A paired difference for every output the library reports.
$ n=$(legation run --reps 2 --no-store --csv | tail -n +2 | wc -l); m=$(legation compare us-russia-2025 @SRC@/tests/cli/fixtures/compare-readmit.yaml --reps 10 --json --no-store | grep -c '"indep_hi":'); [ "$n" -eq "$m" ] && echo every output
every output

# Results do not depend on the thread count.
$ a=$(legation compare us-russia-2025 @SRC@/tests/cli/fixtures/compare-readmit.yaml --reps 40 --threads 1 --json --no-store | grep -v seconds | grep -v '"threads"'); b=$(legation compare us-russia-2025 @SRC@/tests/cli/fixtures/compare-readmit.yaml --reps 40 --threads 3 --json --no-store | grep -v seconds | grep -v '"threads"'); [ "$a" = "$b" ] && echo same
same

# --report: one self-contained HTML file; the summary still on stdout.
$ legation compare us-russia-2025 @SRC@/tests/cli/fixtures/compare-readmit.yaml --reps 10 --quiet --report c.html | head -1 && head -1 c.html && grep -c 'id="legation-data"' c.html && (grep -Eq '<script[^>]* src=|<link' c.html || echo no external resources)
Comparison with US-Russia 2025: status quo after the Riyadh and Istanbul talks (us-russia-2025)
<!DOCTYPE html>
1
no external resources

# ------------------------------------------------------- results store

# A comparison is stored like a run: its options, their texts and the
# paired differences of every output.
$ legation compare us-russia-2025 @SRC@/tests/cli/fixtures/compare-readmit.yaml --reps 20 --months 12 --quiet --db s.db > c.txt && legation runs --db s.db | grep -o 'compare (1) *us-russia-2025 *20/20 *complete'
compare (1)   us-russia-2025                    20/20                  complete

$ legation export 1 --db s.db --what variants | cut -d, -f1,2,3,5
run,variant,name,origin
1,0,us-russia-2025,builtin:us-russia-2025
1,1,cli-compare-readmit,@SRC@/tests/cli/fixtures/compare-readmit.yaml

$ n=$(legation run --reps 2 --no-store --csv | tail -n +2 | wc -l); m=$(legation export 1 --db s.db --what diffs | tail -n +2 | wc -l); [ "$n" -eq "$m" ] && legation export 1 --db s.db --what diffs | head -1
run,variant,output,unit,kind,n,mean,sd,lo,hi,min,q05,q25,q50,q75,q95,max,indep_lo,indep_hi,narrowing

# runs show prints the same scorecard, rebuilt from the store.
$ legation runs show 1 --db s.db > show.txt && sed -n '/^Comparison with/,$p' show.txt | sed 's/, [0-9.]* s$//' > a && sed 's/, [0-9.]* s$//' c.txt > b && cmp a b && head -1 show.txt && grep -c '^  option 1   cli-compare-readmit' show.txt
Comparison 1: complete, 20 of 20 replications of each
1

$ legation runs show 1 --db s.db --json | grep -e '"kind"' -e '"operand"' -e '"options"'
|   "kind": "compare",
|       "operand": "us-russia-2025",
|       "operand": "@SRC@/tests/cli/fixtures/compare-readmit.yaml",
|     "kind": "compare",
|     "options": 1,

# A comparison is resumed by compare, a run by run.
$ legation run --resume 1 --db s.db
! legation: run: run 1 is a comparison; resume it with 'legation compare --resume 1 --db s.db'
? 2

$ legation run --reps 2 --months 2 --quiet --db s.db > /dev/null && legation compare --resume 2 --db s.db
! legation: compare: run 2 is a run of one scenario; resume it with 'legation run --resume 2 --db s.db'
? 2

$ legation compare --resume 1 --db s.db
! legation: compare: run 1 is complete; there is nothing to resume (see 'legation runs show 1')
? 2

$ legation compare --resume 1 us-russia-2025 --db s.db
! legation: compare: --resume takes the run's own scenario; 'us-russia-2025' cannot be given (see 'legation compare --help')
? 2

# Ctrl-C: the comparison is kept as incomplete; compare --resume finishes
# it with the numbers of an uninterrupted comparison (the JSON without
# "seconds").
$ legation compare us-russia-2025 @SRC@/tests/cli/fixtures/compare-readmit.yaml --reps 100000 --months 12 --seed 3 --quiet --checkpoint 0.05 --db i.db > /dev/null 2> err.txt & pid=$!; until legation runs --db i.db 2>/dev/null | grep -q ' [1-9][0-9]*/100000 '; do kill -0 $pid || break; sleep 0.1; done; kill -INT $pid; wait $pid; echo "status $?"; grep -o "kept as run 1 in i.db; finish it with 'legation compare --resume 1 --db i.db'" err.txt; legation runs --db i.db | grep -o 'incomplete'; legation runs show 1 --db i.db | grep -o 'resume .*'
status 130
kept as run 1 in i.db; finish it with 'legation compare --resume 1 --db i.db'
incomplete
resume     legation compare --resume 1 --db i.db

$ legation compare --resume 1 --db i.db --json | grep -v '"seconds":' > a.json && legation compare us-russia-2025 @SRC@/tests/cli/fixtures/compare-readmit.yaml --reps 100000 --months 12 --seed 3 --json --no-store | grep -v '"seconds":' > b.json && cmp a.json b.json && legation runs --db i.db | grep -o '100000/100000 *complete'
100000/100000          complete
! legation: stored as run 1 in i.db

# ------------------------------------------------------------- errors

$ legation compare us-russia-2025 @SRC@/tests/cli/fixtures/good.yaml
! legation: compare: option '@SRC@/tests/cli/fixtures/good.yaml' runs 36 months but the base 'us-russia-2025' runs 48: options must have the base's horizon (set it in the file, or use --months for all)
? 3

$ legation compare us-russia-2025 @SRC@/tests/cli/fixtures/compare-renamed.yaml
! legation: compare: option '@SRC@/tests/cli/fixtures/compare-renamed.yaml' names state B 'Muscovy' but the base 'us-russia-2025' names it 'Russia': options must keep the base's state names (random streams are keyed by them)
? 3

$ legation compare nosuch
! legation: compare: 'nosuch': no such file or built-in scenario (see 'legation scenarios')
? 3

$ legation compare us-russia-2025-readmit-50
! legation: compare: no OPTION given, and no built-in scenario is named 'us-russia-2025-readmit-50-*' (see 'legation compare --help')
? 2

$ legation compare us-russia-2025 nosuch
! legation: compare: 'nosuch': no such file or built-in scenario (see 'legation scenarios')
? 3

$ legation compare us-russia-2025 @SRC@/tests/cli/fixtures/bad.yaml
!~ legation: @SRC@/tests/cli/fixtures/bad.yaml:
? 3

$ legation compare --reps 0
! legation: compare: --reps: expected a positive integer, found '0' (see 'legation compare --help')
? 2

$ legation compare --csv --json
! legation: compare: --json and --csv cannot be combined (see 'legation compare --help')
? 2

$ legation compare --set states.a.nosuch=1
!~ states.a.nosuch
? 3

$ legation compare --report -
! legation: compare: --report needs a file name, not '-' (see 'legation compare --help')
? 2

$ legation compare us-russia-2025 @SRC@/tests/cli/fixtures/compare-readmit.yaml --reps 5 --quiet --report nodir/c.html > /dev/null
! legation: compare: cannot write 'nodir/c.html': No such file or directory
? 4

$ legation compare --help
~ usage: legation compare [options] [BASE [OPTION...]]
~ --report FILE
~ --json

# --csv: one row per scenario and output; an option's rows carry the paired
# difference, whose mean is the difference of the two means; the base's
# difference columns are empty.
$ legation compare us-russia-2025 @SRC@/tests/cli/fixtures/compare-readmit.yaml --reps 30 --threads 1 --no-store --quiet --csv > c.csv && head -1 c.csv && cut -d, -f1,2,5 c.csv | grep -c ',balance$' && awk -F, 'NR>1 && $5=="balance" {m[$1]=$9; d[$1]=$20; e[$1]=$25} END {x=m[1]-m[0]-d[1]; print (x<1e-6 && x>-1e-6) ? "paired mean = difference of means" : "differ " x; print (d[0]=="" && e[0]=="") ? "base has no difference" : "base differs"}' c.csv
variant,role,operand,name,output,unit,kind,n,mean,sd,lo,hi,min,q05,q25,q50,q75,q95,max,diff_mean,diff_lo,diff_hi,indep_lo,indep_hi,narrowing
2
paired mean = difference of means
base has no difference
