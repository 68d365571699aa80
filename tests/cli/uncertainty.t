# Plausible ranges and drawn parameters: params --uncertain, run and compare
# with --uncertain/--vary, what counts (--min-effect), and sweeps with their
# store rows and resume.  The shape of the output, not its numbers.

# every uncertain parameter, with its range, distribution and source
$ legation params --uncertain | head -1
~ Uncertain parameters of us-russia-2025:

$ legation params --uncertain | grep '^  states.a.pool '
~ [1000, 20000] loguniform

# the count in the header is the number of parameters JSON marks uncertain
$ n=$(legation params --json | grep -c '"uncertain": true'); legation params --uncertain | head -1 | grep -q ": $n (drawn by" && echo same
same

# a run across plausible worlds: the spread across worlds and a verdict
# that says which uncertainty its interval covers
$ legation run --uncertain --reps 60 --no-store --quiet | tr '\n' ' ' | grep -o 'plausible worlds (95% CI\|The interval covers the plausible ranges of the drawn parameters as well as Monte Carlo noise'
plausible worlds (95% CI
The interval covers the plausible ranges of the drawn parameters as well as Monte Carlo noise

$ legation run --reps 30 --no-store --quiet | tr '\n' ' ' | grep -o 'The interval covers Monte Carlo noise only, with every parameter at its value'
The interval covers Monte Carlo noise only, with every parameter at its value

$ legation run --uncertain --reps 40 --reps-per-world 4 --no-store --json | grep -c '"reps_per_world": 4'
1

$ legation compare us-russia-2025 us-russia-2025-readmit-150 --uncertain --reps 60 --no-store --quiet | tr '\n' ' ' | tr -s ' ' | grep -o 'readmit-150 favours Russia\|Intervals cover the plausible ranges of [0-9]* drawn parameters and Monte Carlo noise' | sed 's/of [0-9]* drawn/of N drawn/'
readmit-150 favours Russia
Intervals cover the plausible ranges of N drawn parameters and Monte Carlo noise

$ legation compare us-russia-2025 us-russia-2025 --vary states.a.openness --reps 20 --no-store --quiet | tr '\n' ' ' | tr -s ' ' | grep -o "leaves both sides' gains, the spiral probability and the chance of a settlement exactly as in the base"
leaves both sides' gains, the spiral probability and the chance of a settlement exactly as in the base

# what counts: an option that changes nothing measurable inside a wide
# margin is "no meaningful difference"
$ legation compare us-russia-2025 us-russia-2025-restore-operations --reps 200 --no-store --quiet --min-effect value_b=1000 --min-effect value_a=1000 --min-effect balance=1000 | tr '\n' ' ' | tr -s ' ' | grep -o "makes no meaningful difference to Russia's gain\|favours neither side meaningfully"
favours neither side meaningfully
makes no meaningful difference to Russia's gain

# refusals
$ legation run --vary intel.source_value --no-store
! legation: run: --vary: intel.source_value: no plausible range in us-russia-2025 (give it {value, range: [lo, hi]} or alternatives)
? 3

$ legation run --vary states.q.openness --no-store
! legation: run: --vary: states.q.openness: unknown parameter (see `legation params`)
? 3

$ legation run --uncertain --vary states.a.openness --no-store
!~ --uncertain, --vary and --posterior: give one
? 2

$ legation run --reps-per-world 3 --no-store
!~ --reps-per-world: only with --uncertain or --vary
? 2

$ legation compare --min-effect spiral=-1 --no-store
!~ --min-effect: spiral: expected a number >= 0, found '-1'
? 2

$ legation compare --min-effect nothing=1 --no-store
!~ --min-effect: unknown output 'nothing'
? 2

# --months reaches every point of a sweep (it was once ignored): a single
# point at 12 months agrees with a plain run at 12 months within 10% (each
# mean's 95% half-width is about 2% at 400 replications; a 60-month
# horizon gives a balance several times larger)
$ s=$(legation sweep --vary intel.recruit_rate=0.15:0.15:1 --reps 400 --months 12 --json --no-store --quiet | jq '.outputs.balance.mean'); r=$(legation run --set intel.recruit_rate=0.15 --reps 400 --months 12 --seed 2 --json --no-store --quiet | jq '.outputs.balance.mean'); awk -v s="$s" -v r="$r" 'BEGIN { d = s - r; if (d < 0) d = -d; print (d < 0.1 * (-r) ? "agree" : "differ " s " " r) }'
agree

# sweeps: a grid (the last key fastest), tidy CSV, rows in the store
$ legation sweep --vary states.a.openness=0.2:0.8:3 --vary missions.b.officers=10:40:2 --reps 5 --months 6 --csv --db s.db --quiet 2>/dev/null | cut -d, -f1-5
point,scenario,kind,states.a.openness,missions.b.officers
0,us-russia-2025,value,0.2,10
1,us-russia-2025,value,0.2,40
2,us-russia-2025,value,0.5,10
3,us-russia-2025,value,0.5,40
4,us-russia-2025,value,0.8,10
5,us-russia-2025,value,0.8,40

$ legation export 1 --what point_params --db s.db | head -3
run,point,key,value
1,0,states.a.openness,0.2
1,0,missions.b.officers,10

$ legation export 1 --what points --db s.db | grep -c ',value_a,'
6

$ legation runs --db s.db | tail -1 | cut -c1-45
~ sweep

# options at every point, with their paired change; JSON lines
$ legation sweep --vary states.b.openness --design lhs --points 3 --reps 4 --months 6 --option us-russia-2025-readmit-50 --json --no-store --quiet 2>/dev/null | grep -c '"kind":"change"'
3

$ legation sweep --vary states.a.openness=0.9:0.1 --no-store
!~ states.a.openness: expected LO <= HI within [0, 1], found 0.9:0.1
? 3

$ legation sweep --vary states.a.openness=abc --no-store
!~ --vary: expected KEY=LO:HI[:N]
? 2

$ legation sweep --no-store
!~ give --vary KEY=LO:HI[:N] (or KEY) or --uncertain
? 2

# a run is resumed by its own command
$ legation run --resume 1 --db s.db
! legation: run: run 1 is a sweep; resume it with 'legation sweep --resume 1 --db s.db'
? 2

# calibrated uncertainty: worlds drawn from a stored calibration's posterior
$ legation calibrate us-russia-2025 --era 2014:2024 --params states.a.shock_rate,states.b.shock_rate --particles 40 --generations 2 --db c.db --quiet >/dev/null && legation compare us-russia-2025 us-russia-2025-readmit-50 --posterior 1 --reps 200 --db c.db --quiet | tr '\n' ' ' | tr -s ' ' | grep -o 'drawn worlds (95% CI\|the given distribution of 2 parameters (a posterior or a design)'
drawn worlds (95% CI
the given distribution of 2 parameters (a posterior or a design)

$ legation runs --db c.db | tail -1 | grep -o '@posterior=1, @reps_per_world=10'
@posterior=1, @reps_per_world=10

$ legation run --posterior 7 --db c.db --no-store
!~ --posterior 7: c.db: calibration 7: no stored posterior
? 3

$ legation run --posterior 1 --uncertain --db c.db --no-store
!~ --uncertain, --vary and --posterior: give one
? 2

# a sweep across the posterior: each point's replications are worlds drawn
# from calibration 1, the same for a seed (1 and 2 threads), different from
# the sweep without them; the output says which uncertainty it covers
$ legation sweep --vary states.a.openness=0.2:0.8:3 --reps 40 --months 24 --posterior 1 --db c.db --no-store --quiet --csv > p1.csv && legation sweep --vary states.a.openness=0.2:0.8:3 --reps 40 --months 24 --posterior 1 --db c.db --no-store --quiet --csv --threads 2 > p2.csv && legation sweep --vary states.a.openness=0.2:0.8:3 --reps 40 --months 24 --db c.db --no-store --quiet --csv > p0.csv && cmp -s p1.csv p2.csv && echo same; cmp -s p1.csv p0.csv || echo differ; wc -l < p1.csv
same
differ
4

$ legation sweep --vary states.a.openness=0.2:0.8:3 --reps 40 --months 24 --posterior 1 --db c.db --no-store --quiet --seed 9 --csv | cmp -s - p1.csv || echo "another seed, other worlds"
another seed, other worlds

$ legation sweep --vary states.a.openness=0.2:0.8:2 --reps 10 --months 6 --posterior 1 --db c.db --no-store --quiet | tail -1
~ each a world drawn from the posterior of calibration 1 (2 parameters), the same worlds at every point; they cover what the calibration left uncertain as well as noise.

$ legation sweep --vary states.a.openness=0.2:0.8:2 --reps 10 --months 6 --db c.db --no-store --quiet | tail -1
~ they cover Monte Carlo noise only (parameters not swept keep the scenario's values).

$ legation sweep --vary states.a.openness=0.2:0.8:2 --reps 10 --months 6 --posterior 1 --db c.db --no-store --quiet --json | jq -r .uncertainty | sort -u
posterior and noise

# a swept key keeps the sweep's values; a sweep of every calibrated key has nothing to draw
$ legation sweep --vary states.b.shock_rate=0.01:0.02:2 --reps 10 --months 6 --posterior 1 --db c.db --no-store
!~ states.b.shock_rate is swept; its posterior values in calibration 1 are not used
~ us-russia-2025

$ legation sweep --vary states.a.shock_rate=0.01:0.02:2 --vary states.b.shock_rate=0.01:0.02:2 --reps 10 --months 6 --posterior 1 --db c.db --no-store
! legation: sweep: --posterior 1: the sweep sets every parameter of the posterior: nothing is left to draw
? 3

# an id that is not a calibration (run 2 exists, calibration 2 does not)
$ legation sweep --vary states.a.openness=0.2:0.8:2 --reps 10 --posterior 2 --db c.db --no-store
!~ --posterior 2: c.db: calibration 2: no stored posterior
? 3

# stored with its posterior and resumed from it: the rebuilt sweep draws the same worlds
$ legation sweep --vary states.a.openness=0.2:0.8:3 --reps 40 --months 24 --posterior 1 --db c.db --quiet --csv | cmp -s - p1.csv && legation runs --db c.db | sed -n 2p | grep -o '@posterior=1, horizon=24, @sweep=grid;3;40'
@posterior=1, horizon=24, @sweep=grid;3;40

$ legation runs show $(legation runs --db c.db | sed -n 2p | awk '{print $1}') --db c.db | head -1
~ complete, 120 of 120 replications

# posterior predictive checks (calibrate --check): calibrated on 1986-2015
# from the missions of January 1986 (us-russia-1986, docs/MODEL.md section
# 5), each simulation over the era's 360 months (not the scenario's 48), the
# record's four statistics fall inside the model's 90% bands in sample; a
# deliberately wrong model (Russia expelling every officer it identifies at
# once) fails the same check, so the check can fail
$ legation calibrate us-russia-1986 --era 1986:2015 --params states.a.shock_rate,states.b.shock_rate,states.a.shock_suspected,states.b.forgiveness,states.a.forgiveness --particles 300 --generations 4 --db q.db --quiet >/dev/null && legation calibrate --check 1 --era 1986:2015 --reps 1000 --db q.db --quiet | grep '_per_year' | awk '{print $1, $2, $NF}'
moves_per_year US yes
moves_per_year RU yes
persons_per_year US yes
persons_per_year RU yes

$ legation calibrate --check 1 --era 1986:2015 --reps 1000 --db q.db --quiet --set states.b.expel_policy=immediate | grep '^  moves_per_year' | awk '{print $1, $2, $NF}'
moves_per_year US NO
moves_per_year RU NO

# out of sample from the missions of January 2016 (the operand): the
# 2016-2024 record inside the bands; from the depleted missions of 2025 the
# US cannot expel what the record shows (docs/CALIBRATION.md)
$ legation calibrate --check 1 --era 2016:2024 --reps 1000 --db q.db --quiet us-russia-2016 | sed -n '2p;$p'
1000 worlds drawn from the posterior, one replication each, over 108 months from us-russia-2016:
4 of 4 statistics of 2016-2024 inside the model's 90% predictive band.

$ legation calibrate --check 1 --era 2016:2024 --reps 1000 --db q.db --quiet us-russia-2025 | grep '^  persons_per_year *US' | awk '{print $1, $2, $NF}'
persons_per_year US NO

# the check as an HTML report: one record per statistic (4) with its band
$ legation calibrate --check 1 --era 2016:2024 --reps 200 --db q.db --quiet --report chk.html > /dev/null && grep -o '"kind":"check"' chk.html && grep -o '"inside":[tf][a-z]*' chk.html | wc -l
"kind":"check"
4

$ legation calibrate --check 1 --db q.db
!~ --check needs --era FROM:TO
? 2

# decide across worlds drawn from the posterior of calibration 1
$ legation decide us-russia-2025 us-russia-2025-readmit-50 --posterior 1 --db q.db --reps 200 --quiet | head -1
~ 20 worlds drawn from the posterior of calibration 1 (5 parameters, 10 replications each)

# the value of learning a group of parameters first
$ printf 'US counterintelligence: states.a.ci_agents, states.a.detect_prob\nnot drawn: horizon\n' > g.txt && legation decide us-russia-2025 us-russia-2025-readmit-50 --uncertain --reps 200 --groups g.txt --quiet | sed -n '/group of parameters/,$p' | sed 's/ *[0-9.e+-]*  (.*), 2 parameters/ V, 2 parameters/'
~ Value of learning a group of parameters first (EVPPI per group):
~   US counterintelligence
~ , 2 parameters
~   not drawn                                    (none of its parameters is drawn)
