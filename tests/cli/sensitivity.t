# legation sensitivity and legation discover on the analytic test models
# (docs/SENSITIVITY.md gives their known answers), and their refusals.

# Ishigami at N = 2^12: x1, x2, x3 ranked by total order; analytic ST
# (0.558, 0.442, 0.244) and S1 (0.314, 0.442, 0): the rows are checked to
# two decimals, which the bootstrap half-widths (< 0.04) allow.
$ legation sensitivity test:ishigami --n 4096
~ N = 4096 base points x 5 = 20480 points, 1 replication each (20480 runs), seed 1
~   x1       0.31
~ ]   0.55
~   x2       0.44
~   x3      -0.0
~ What drives y: x1 (ST 0.5

# JSON for scripts: every index with its interval; the noise term with
# reps: noise sd 2, 4 replications, so 4 / 4 = 1 (estimated within 1%).
$ legation sensitivity test:ishigami-noise --n 1024 --reps 4 --json > s.json && grep -c '"group"' s.json && grep '"noise_var"' s.json | tr -dc '0-9.\n' | awk '{print ($1 > 0.95 && $1 < 1.05) ? "noise near 1" : $1}' && grep '"complete"' s.json
3
noise near 1
  "complete": true,

# Groups: x1 and x3 swapped together.
$ printf '# x1 and x3 act together\npair: x1, x3\n' > g.txt && legation sensitivity test:ishigami --groups g.txt --n 1024 --json | grep -A1 '"name": "pair"'
|       "name": "pair",
|       "factors": [

# Morris on y = x1 + 2 x2 - 3 x3: effects 1, 4, -6, 0 per range, sigma 0.
$ legation sensitivity test:linear --method morris --n 10
~   x2      4 [4, 4]
~   x3      6 [6, 6]                                -6
~   x4      0 [0, 0]                                 0           0

# PRIM finds the planted box 0.2 <= x1 <= 0.6, 0.5 <= x4 <= 0.9.
$ legation discover test:box --where "y > 0.5" --points 4000 --threshold 0.95
~ PRIM scenario discovery on test:box: 4000 points (seed 1)
~ <- chosen
~   held-out half: coverage
~ 'y > 0.5' holds mostly when 0.1
~ <= x1 <=
~ <= x4 <=

$ legation discover test:box --where "y>0.5" --json | grep -c '"p_value"'
2

# Refusals.
$ legation discover test:box
! legation: discover: --where "OUTPUT OP NUMBER" is required (see 'legation discover --help')
? 2

$ legation discover test:box --where "q > 1"
! legation: discover: --where: column 1: unknown output 'q' (outputs: y)
? 2

$ legation discover test:box --where "y > x"
! legation: discover: --where: column 5: expected a number, found 'x'
? 2

# out-of-range values are refused with the value given, never clamped
$ legation sensitivity test:linear --method morris --levels 5000 --quiet
! legation: sensitivity: --levels: expected an even number from 2 to 1000, found 5000
? 2

$ legation discover test:box --where "y > 0.5" --points 100 --box 100000000000
! legation: discover: --box: expected a step of the peeling trajectory (below the 100 points), found 100000000000
? 2

$ legation sensitivity test:nope
! legation: sensitivity: unknown test model 'test:nope' (known: test:ishigami, test:ishigami-noise, test:gfunction, test:gfunction60, test:linear, test:box)
? 3

$ legation sensitivity test:ishigami --n 1
! legation: sensitivity: base points: expected 2 to 1073741824, found 1
? 2

$ legation sensitivity test:ishigami --method sobel
! legation: sensitivity: --method: expected sobol|morris, found 'sobel' (see 'legation sensitivity --help')
? 2

$ legation sensitivity test:linear --method morris --groups g.txt
! legation: sensitivity: --groups: groups are for --method sobol (Morris effects are per factor)
? 2

$ printf 'a: x1, x9\n' > bad.txt && legation sensitivity test:ishigami --groups bad.txt
! legation: sensitivity: bad.txt:1:8: group a: unknown factor 'x9'
? 3

$ legation sensitivity test:ishigami --groups missing.txt
!~ legation: sensitivity: missing.txt: cannot read
? 4

$ legation sensitivity test:ishigami --params x1
! legation: sensitivity: --params: the factors of test:ishigami are fixed (x1, x2, ...); use --groups
? 2

# A scenario: its plausible ranges are the factors, an option adds the
# paired changes (OUTPUT_change); small N, so only the shape is checked.
$ legation sensitivity us-russia-2025 --params states.a.openness,states.b.cover_share --n 16 --reps 2 --set horizon=12 --option us-russia-2025-readmit-50 --quiet
~ Sobol indices of us-russia-2025: 2 factors in 2 groups, N = 16 base points
~ value_b_change: mean
~   states.b.cover_share

$ legation discover us-russia-2025 --option us-russia-2025-readmit-50 --params states.a.openness,states.b.cover_share --where "balance_change > 0" --points 40 --reps 2 --set horizon=12 --quiet
~ balance_change > 0

$ legation sensitivity us-russia-2025 --params intel.source_value --n 16
! legation: sensitivity: --params: intel.source_value has no numeric plausible range in us-russia-2025
? 3

$ legation sensitivity test:ishigami --set states.a.openness=0.5
! legation: sensitivity: --set: test:ishigami has no scenario parameters
? 2

# A box chosen by step; a step past the trajectory's end is refused.
$ legation discover test:box --where "y > 0.5" --box 20
~ Chosen box (step 20, then pasted):

$ legation discover test:box --where "y > 0.5" --box 99
!~ legation: discover: --box: expected a step from 0 to
? 2

$ legation discover test:box --where "y > 0.5" --box 2 --threshold 0.5
! legation: discover: --box and --threshold cannot be combined (see 'legation discover --help')
? 2

# SIGINT stops a study cleanly: the indices of the base points that
# finished are printed, a note goes to stderr, exit status 130 (the same
# background-and-signal pattern as interrupt.t).
$ legation sensitivity test:ishigami-noise --n 1048576 --reps 200 --quiet > out.txt 2> err.txt & pid=$!; until [ -e err.txt ]; do sleep 1; done; while kill -INT $pid 2>/dev/null; do sleep 1; done; wait $pid; echo "status $?"; grep -o 'INTERRUPTED: the indices cover [0-9]* of 1048576' out.txt | sed 's/[0-9]* of/N of/'; grep -c '^  x2 ' out.txt; grep -o 'interrupted after [0-9]* of 1048576 base points' err.txt | sed 's/[0-9]* of/N of/'
status 130
INTERRUPTED: the indices cover N of 1048576
1
interrupted after N of 1048576 base points

$ legation sensitivity test:linear --method morris --levels 5
! legation: sensitivity: levels: expected an even number from 2 to 1000, found 5
? 2

$ legation sensitivity test:linear --method morris --levels 6 --n 5
~ 5 trajectories on a 6-level grid (25 points)
~   x3      6 [6, 6]                                -6
