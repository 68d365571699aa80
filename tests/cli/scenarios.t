# The built-in scenarios.

$ legation scenarios
~ US-Russia 2025: status quo after the Riyadh and Istanbul talks

# The 2025 deal options (scenarios/us-russia-2025-*.yaml), each a variant of
# us-russia-2025 that loads and validates.
$ legation scenarios | grep -c '^us-russia-2025-'
6

$ legation validate us-russia-2025-restore-operations us-russia-2025-readmit-50 us-russia-2025-readmit-150 us-russia-2025-readmit-300 us-russia-2025-readmit-150-countermeasures us-russia-2025-properties-consulates
us-russia-2025-restore-operations: ok
us-russia-2025-readmit-50: ok
us-russia-2025-readmit-150: ok
us-russia-2025-readmit-300: ok
us-russia-2025-readmit-150-countermeasures: ok
us-russia-2025-properties-consulates: ok

$ for s in restore-operations readmit-50 readmit-150 readmit-300 readmit-150-countermeasures properties-consulates; do legation run us-russia-2025-$s --reps 20 --quiet > /dev/null || exit 1; done; echo runs
runs

# The countermeasures option is readmit-150 plus countermeasures: its
# readmission steps must stay those of readmit-150, or a comparison of the
# two would not isolate the countermeasures.
$ legation params us-russia-2025-readmit-150 | grep '  readmit  ' > a && legation params us-russia-2025-readmit-150-countermeasures | grep '  readmit  ' > b && wc -l < a && cmp a b && echo same
3
same

$ legation scenarios --json
~ "name": "us-russia-2025",

$ legation scenarios --json | head -1
[
