# report: the HTML report of stored runs, and `run --report`.

# run --report writes HTML; the summary still goes to standard output.
$ legation run --reps 10 --quiet --no-store --report r.html | head -1 && head -1 r.html && grep -c '"kind":"run"' r.html
US-Russia 2025: status quo after the Riyadh and Istanbul talks (us-russia-2025)
<!DOCTYPE html>
1

# With every replication at hand, the histograms bin them.
$ grep -o '"from":"replications"' r.html | head -1
"from":"replications"

# The page forbids every network request and holds no external resource.
$ grep -c "Content-Security-Policy\" content=\"default-src 'none'" r.html && (grep -Eq '<script[^>]* src=|<link|https?://[^"]*\.(js|css)' r.html || echo none)
1
none

# Stored runs: with --keep-reps the histograms bin the stored replications,
# without it they are drawn from the quantiles (and the page says so).
$ legation run --reps 20 --quiet --keep-reps > /dev/null && legation run us-russia-2025-readmit-50 --reps 20 --quiet > /dev/null && legation report 1 -o one.html && grep -o '"from":"[a-z]*"' one.html | sort -u
"from":"replications"

$ legation report 2 -o two.html && grep -o '"from":"[a-z]*"' two.html | sort -u
"from":"quantiles"

$ legation report 1 2 -o both.html && grep -o '"kind":"runs"' both.html && grep -o '"operand":"run [12]"' both.html
"kind":"runs"
"operand":"run 1"
"operand":"run 2"

# A stored comparison: the report `compare --report` writes, rebuilt from
# the store (its histograms from the quantiles: a comparison keeps no
# replications).
$ legation compare us-russia-2025 us-russia-2025-readmit-150 --reps 20 --months 12 --quiet > /dev/null && legation report 3 -o cmp.html && grep -o '"kind":"compare"' cmp.html && grep -o '"operand":"us-russia-2025[a-z0-9-]*"' cmp.html && grep -q '"indep_hi":' cmp.html && echo paired differences
"kind":"compare"
"operand":"us-russia-2025"
"operand":"us-russia-2025-readmit-150"
paired differences

$ legation report 1 3 -o x.html
! legation: report: run 3 in 'legation.db' is a comparison; report it alone ('legation report 3 -o FILE')
? 2

# ------------------------------------------------------------- errors

$ legation report
! legation: report: missing operand ID... (see 'legation report --help')
? 2

$ legation report 1
! legation: report: missing -o FILE (the HTML report to write) (see 'legation report --help')
? 2

$ legation report abc -o x.html
! legation: report: expected a run id (see 'legation runs'), found 'abc' (see 'legation report --help')
? 2

$ legation report 9 -o x.html
! legation: report: no run 9 in 'legation.db' (see 'legation runs')
? 3

$ legation report 1 -o nodir/x.html
! legation: report: cannot write 'nodir/x.html': No such file or directory
? 4

$ legation report --help
~ usage: legation report [options] ID...
~ -o, --output FILE

# a stored --uncertain run rebuilt by `report ID` keeps its spread across
# worlds: the same "uncertainty" block as the report written by the run
$ legation run --uncertain --reps 100 --seed 3 --db u.db --quiet --report a.html >/dev/null; legation report 1 --db u.db -o b.html; for f in a b; do grep 'id="legation-data"' $f.html | sed 's/.*id="legation-data">//; s/<\/script>.*//' | jq -c '.uncertainty | [.reps_per_world, .outputs.balance.worlds, .outputs.balance.mean, (.varied | length)]' ; done | uniq -c | sed 's/^ *//' | cut -c1-9
2 [10,10,
