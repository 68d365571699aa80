# legation calibrate: ABC-SMC on the built-in analytic test models (the
# library's own checks against exact posteriors are tests/test_abc.c).
# The line with the wall time ("... s of generations") is filtered out.

# 6 successes in 20 with a uniform prior: the tolerance falls to 0 (exact
# matching), the posterior is Beta(7, 15) (mean 0.318, 5-95% 0.167-0.484).
$ legation calibrate test:beta-binomial --particles 500 --seed 7 --quiet --db c.db | grep -v ' s of generations'
 GEN     TOLERANCE  ACCEPTANCE       ESS  SIMULATIONS
   0           inf     100.00%     500.0          500
   1             5      56.37%     495.8          937
   2             3      45.00%     493.2         1120
   3             2      40.49%     487.4         1273
   4             1      28.64%     483.5         1747
   5             0       9.56%     479.4         5344
|
Posterior of test:beta-binomial after 6 generations (reached the minimum tolerance), 500 particles, seed 7:
PARAMETER  PRIOR                             MEAN                  5-95%  LEARNED
p          uniform [0, 1]                   0.319       [0.1681, 0.4873]      65%
Every parameter is informed by the targets (learned >= 10%).

# A parameter the output does not depend on is named as not informed.
$ legation calibrate test:unidentifiable --particles 400 --quiet --no-store | tail -5 | grep -v ' s of generations'
PARAMETER  PRIOR                             MEAN                  5-95%  LEARNED
a          uniform [0, 1]                  0.3025       [0.2139, 0.3879]      81%
b          uniform [0, 1]                  0.5137      [0.06328, 0.9592]       0%  not informed
The targets cannot inform b: the posterior is about as wide as the prior (learned < 10%).

# The same numbers for any thread count.
$ legation calibrate test:unidentifiable --particles 400 --threads 1 --quiet --no-store | grep -v ' s of generations' > one && legation calibrate test:unidentifiable --particles 400 --threads 2 --quiet --no-store | grep -v ' s of generations' > two && cmp one two && echo same
same

# Killed with -9 after its second generation, then resumed from the store:
# the same result as an uninterrupted calibration.
$ legation calibrate test:normal --particles 6000 --generations 7 --seed 5 --quiet --db w.db | grep -v ' s of generations' > whole; rm -f part; legation calibrate test:normal --particles 6000 --generations 7 --seed 5 --quiet --db k.db > part & pid=$!; until [ -e part ] && [ "$(wc -l < part)" -ge 3 ]; do sleep 0.05; done; kill -9 $pid; { wait $pid; } 2>/dev/null; grep -c Posterior part; legation calibrate --resume 1 --db k.db 2> err | grep -v ' s of generations' > resumed; cmp whole resumed && echo same; sed 's/generation [2-6]$/generation N/' err
0
same
legation: calibrate: resuming calibration 1 at generation N
legation: calibrate: stored as calibration 1 in k.db

# Ctrl-C (SIGINT, sent once the handler is surely installed: after a
# generation line; the files of the case before are removed first, or the
# wait could see their lines before this run truncates them) stops it at the end of the batch in progress, exit 130;
# the generations before are kept, and the resumed result is again the same.
$ rm -f part err; legation calibrate test:normal --particles 6000 --generations 7 --seed 5 --db i.db > part 2> err & pid=$!; until [ -e part ] && [ "$(wc -l < part)" -ge 3 ]; do sleep 0.05; done; kill -INT $pid; wait $pid; echo "status $?"; sed 's/interrupted; [1-6] generations/interrupted; N generations/' err; legation calibrate --resume 1 --db i.db --quiet | grep -v ' s of generations' > resumed; cmp whole resumed && echo same
status 130
legation: calibrate: recording as calibration 1 in i.db (after a stop: 'legation calibrate --resume 1')
legation: calibrate: interrupted; N generations kept ('legation calibrate --resume 1' finishes it)
same

$ legation calibrate --resume 1 --db k.db
! legation: calibrate: k.db: calibration 1 is complete; there is nothing to resume
? 2

$ legation calibrate --resume 9 --db k.db
! legation: calibrate: k.db: no calibration 9
? 3

# --list: the stored calibrations, newest first.
$ legation calibrate --list --db k.db | awk '{print $1, $3, $4, $5, $6}'
ID SCENARIO PARTICLES GENERATIONS STATUS
1 test:normal 6000 7/7 complete

$ legation calibrate --list --db none.db
! legation: calibrate: no results store at 'none.db' (see --db)
? 4

$ legation calibrate --list --seed 2 --db k.db
! legation: calibrate: --list takes only --db (see 'legation calibrate --help')
? 2

# JSON: settings, generations, marginals and the weighted particles.
$ legation calibrate test:beta-binomial --particles 300 --json --no-store > out.json && grep -c '"learned"' out.json && grep -o '"stopped": "[a-z ]*"' out.json && grep -A1 '"weights"' out.json | tail -1 | grep -c '[0-9]'
1
"stopped": "reached the minimum tolerance"
1

# A targets file: name, value and sd; era and side optional; other keys
# are ignored.  A test model's targets must name its statistic.
$ printf 'targets:\n  - {name: mean, value: 1.5, sd: 0.3162, note: ignored}\n' > t.yaml && legation calibrate test:normal --targets t.yaml --particles 200 --generations 2 --quiet --no-store | grep -c '^mu '
1

$ printf 'targets:\n  - {name: mean, value: 1.5, sd: 0}\n  - {name: x}\n' > bad.yaml && legation calibrate test:normal --targets bad.yaml --no-store
! legation: calibrate: bad.yaml:2:34: targets: sd: expected a number > 0, found '0'
! legation: calibrate: bad.yaml:3:5: targets: x: missing key 'value'
? 3

$ printf 'targets:\n  - {name: successes, value: 6, era: 1986-2013}\n' > s.yaml && legation calibrate test:normal --targets s.yaml --no-store
! legation: calibrate: test:normal: target 'successes@1986-2013': this model simulates only 'mean'
? 3

$ legation calibrate test:normal --targets missing.yaml --no-store
! legation: calibrate: missing.yaml: cannot open: No such file or directory
? 4

# Usage and model errors.
$ legation calibrate
! legation: calibrate: missing operand SCENARIO (see 'legation calibrate --help')
? 2

$ legation calibrate test:nope --no-store
! legation: calibrate: test:nope: no such test model (there are test:beta-binomial, test:normal, test:unidentifiable)
? 3

$ legation calibrate test:unidentifiable --params a,q --no-store
! legation: calibrate: test:unidentifiable: no parameter 'q' (it has a, b)
? 3

$ legation calibrate test:unidentifiable --params a,,b
! legation: calibrate: --params: expected KEY,KEY,... without empty items, found 'a,,b' (see 'legation calibrate --help')
? 2

$ legation calibrate test:normal --params mu --uncertain
! legation: calibrate: --params and --uncertain cannot be combined (see 'legation calibrate --help')
? 2

$ legation calibrate test:beta-binomial --particles 1
! legation: calibrate: --particles: expected at least 2, found 1 (see 'legation calibrate --help')
? 2

$ legation calibrate test:normal --generations 0
! legation: calibrate: --generations: expected a positive integer, found '0' (see 'legation calibrate --help')
? 2

$ legation calibrate test:normal --min-tolerance -1
! legation: calibrate: --min-tolerance: expected a number >= 0, found '-1' (see 'legation calibrate --help')
? 2

$ legation calibrate test:normal --min-acceptance 0
! legation: calibrate: --min-acceptance: expected 0 < r <= 1, found 0 (see 'legation calibrate --help')
? 2

# A generation that would need more than N / R simulations is abandoned.
$ legation calibrate test:unidentifiable --params b --min-acceptance 0.01 --quiet --no-store | grep -o 'after [0-9]* generations (the acceptance rate fell below the minimum)'
after 7 generations (the acceptance rate fell below the minimum)

$ legation calibrate test:beta-binomial --targets t.yaml --era 1986:2015
! legation: calibrate: --targets and --era cannot be combined (see 'legation calibrate --help')
? 2

$ legation calibrate --resume 1 --seed 3
! legation: calibrate: --resume takes the settings from the store, not --seed (see 'legation calibrate --help')
? 2

# Real scenarios: the options are checked; the calibration itself waits
# for the engine's design runs and the record's statistics.
$ legation calibrate us-russia-2025
! legation: calibrate: a scenario needs targets: --targets FILE or --era FROM:TO (see 'legation calibrate --help')
? 2

$ legation calibrate us-russia-2025 --era 1986 --uncertain
! legation: calibrate: --era: expected FROM:TO years (e.g. 1986:2015), found '1986' (see 'legation calibrate --help')
? 2

# a real scenario against the record's statistics (--era), two
# parameters, a few particles: the posterior table and what the record
# cannot inform
$ legation calibrate us-russia-2025 --era 2014:2024 --params states.a.shock_rate,states.b.shock_rate --particles 40 --generations 2 --no-store --quiet
~ GEN     TOLERANCE  ACCEPTANCE
~ Posterior of us-russia-2025 after 2 generations
~ states.a.shock_rate
~ states.b.shock_rate

$ printf 'targets:\n  - {name: answered_share, value: 0.4, sd: 0.1, side: US}\n' > r.yaml && legation calibrate us-russia-2025 --targets r.yaml --uncertain --no-store
!~ no simulated statistic corresponds to it
? 3
