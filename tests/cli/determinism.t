# Results depend on the seed, never on the number of threads.  The JSON
# differs only in "threads" and "seconds", which are removed before the
# comparison; CSV and the event log must match byte for byte.

$ for t in 1 2; do legation run --no-store --reps 50 --seed 7 --json --threads $t | grep -v -e '"threads":' -e '"seconds":' > t$t.json || exit 1; done; cmp t1.json t2.json && echo same
same

$ legation run --no-store --reps 50 --seed 7 --csv --threads 1 > a.csv && legation run --no-store --reps 50 --seed 7 --csv --threads 2 > b.csv && cmp a.csv b.csv && echo same
same

$ legation run --no-store --reps 30 --seed 7 --threads 1 --events a.ev > /dev/null && legation run --no-store --reps 30 --seed 7 --threads 2 --events b.ev > /dev/null && cmp a.ev b.ev && echo same
same

# A different seed gives different numbers.
$ legation run --no-store --reps 50 --seed 7 --csv > a.csv && legation run --no-store --reps 50 --seed 8 --csv > b.csv && ! cmp -s a.csv b.csv && echo differ
differ
