# Sensitivity and discovery studies in the results store (docs/STORE.md,
# "Studies"): each block of finished points is saved as it completes; a
# study killed with kill -9 or stopped by Ctrl-C is finished by --resume ID
# with the indices of an uninterrupted study; runs lists a study with its
# kind, export gives its points, report and runs show replay it from the
# store.  The studies vary two parameters of the default scenario (N = 256
# base points, 4 points a row, 20 replications each: 1024 points in blocks
# of 204, about 2 s).

# The uninterrupted study, not stored: the reference.
$ legation sensitivity us-russia-2025 --params states.a.ci_agents,states.b.openness --n 256 --reps 20 --json --no-store > full.json && grep '"complete"' full.json
|   "complete": true,

# kill -9 once the first block of points is in the store (polled with
# export), then resume: the indices are those of the uninterrupted study,
# every design point is stored once and the study is complete.
$ legation sensitivity us-russia-2025 --params states.a.ci_agents,states.b.openness --n 256 --reps 20 --json --quiet --db k.db > part.json 2>/dev/null & pid=$!; until [ "$(legation export 1 --what points --db k.db 2>/dev/null | wc -l)" -gt 1 ]; do sleep 0.1; done; kill -9 $pid; wait $pid 2>/dev/null; echo "status $?"; legation runs --db k.db --json | grep -o '"kind": "sensitivity"\|"status": "incomplete"'; legation sensitivity --resume 1 --db k.db --json > resumed.json 2> err.txt; echo "resume $?"; cmp full.json resumed.json && echo identical; grep -o 'resuming run 1: [0-9]* of 1024 points are stored' err.txt | sed 's/: [0-9]* of/: N of/'; legation export 1 --what points --db k.db | tail -n +2 | cut -d, -f2 | sort -un | wc -l; legation runs --db k.db | tail -1 | grep -o '20480/20480 *complete' | tr -s ' '
status 137
"kind": "sensitivity"
"status": "incomplete"
resume 0
identical
resuming run 1: N of 1024 points are stored
1024
20480/20480 complete

# Ctrl-C: the study stops at the next block, reports the base points that
# finished and says how to finish it (exit 130); the resumed study is the
# uninterrupted one.  One SIGINT, once points are stored (so legation's
# handler is installed; a second one would end the program at once).
$ legation sensitivity us-russia-2025 --params states.a.ci_agents,states.b.openness --n 256 --reps 20 --json --quiet --db i.db > part.json 2> err.txt & pid=$!; until [ "$(legation export 1 --what points --db i.db 2>/dev/null | wc -l)" -gt 1 ]; do sleep 0.1; done; kill -INT $pid; wait $pid; echo "status $?"; grep -o "kept as run 1 in i.db ([0-9]* of 1024 points finished); finish it with 'legation sensitivity --resume 1 --db i.db'" err.txt | sed 's/([0-9]* of/(N of/'; grep -o '"complete": false' part.json; legation sensitivity --resume 1 --db i.db --json --quiet | cmp - full.json && echo identical
status 130
kept as run 1 in i.db (N of 1024 points finished); finish it with 'legation sensitivity --resume 1 --db i.db'
"complete": false
identical

# runs shows the kind; runs show and report replay the stored points (the
# same JSON as the study printed, nothing simulated); the points and the
# A and B points' parameters export as tidy CSV.
$ legation runs --db k.db | grep -o '^ *1 .* sensitivity ' | tr -s ' ' | cut -d' ' -f5
sensitivity
$ legation runs --db k.db --json | grep -o '"kind": "sensitivity"'
"kind": "sensitivity"
$ legation runs show 1 --db k.db --json | cmp - full.json && echo identical
identical
$ legation report 1 --db k.db -o study.html && grep -c '"kind":"sensitivity"' study.html
1
$ legation export 1 --what points --db k.db | head -2 | cut -d, -f1-6
run,point,variant,diff,output,n
1,0,0,0,value_a,20
$ legation export 1 --what point_params --db k.db | tail -n +2 | cut -d, -f2 | sort -un | wc -l
512

# Refusals: a finished study, a study resumed by the wrong command, a run
# resumed as a study, settings that would change the study.
$ legation sensitivity --resume 1 --db k.db
? 2
! legation: sensitivity: study 1 is complete; there is nothing to resume (see 'legation report 1 -o FILE')
$ legation discover --resume 1 --db k.db
? 2
! legation: discover: run 1 is not a discover study (it is a sensitivity study)
$ legation run --resume 1 --db k.db
? 2
! legation: run: run 1 is a sensitivity study; resume it with 'legation sensitivity --resume 1'
$ legation sensitivity --resume 1 --db k.db --n 64
? 2
!~ --resume takes the study's own settings; --n cannot be given
$ legation sensitivity --db k.db
? 2
!~ missing operand SCENARIO

# Discovery: killed and resumed to the uninterrupted box and trajectory.
$ legation discover us-russia-2025 --where "balance < -700" --params states.a.ci_agents,states.b.openness --points 1200 --reps 10 --json --no-store > dfull.json; legation discover us-russia-2025 --where "balance < -700" --params states.a.ci_agents,states.b.openness --points 1200 --reps 10 --json --quiet --db d.db > /dev/null 2>&1 & pid=$!; until [ "$(legation export 1 --what points --db d.db 2>/dev/null | wc -l)" -gt 1 ]; do sleep 0.1; done; kill -9 $pid; wait $pid 2>/dev/null; legation discover --resume 1 --db d.db --json --quiet | cmp - dfull.json && echo identical; legation runs --db d.db | grep -o 'discover '
identical
discover 

# --posterior RUN_ID: the calibrated parameters are one input, "posterior",
# whose index is reported; the study is deterministic for a seed; the
# report says where the calibrated values come from; an id that is not a
# calibration is refused.
$ legation calibrate us-russia-2025 --era 2014:2024 --params states.a.shock_rate,states.b.shock_rate --particles 40 --generations 2 --db c.db --quiet > /dev/null && legation sensitivity us-russia-2025 --posterior 1 --params states.a.ci_agents --n 32 --reps 5 --db c.db --quiet > p1.txt && [ "$(grep -c '^  posterior  .*\[.*\]' p1.txt)" = "$(grep -c '^What drives' p1.txt)" ] && echo "posterior in every output" && grep -c 'come' p1.txt && legation sensitivity us-russia-2025 --posterior 1 --params states.a.ci_agents --n 32 --reps 5 --db c.db --no-store --quiet | cmp - p1.txt && echo deterministic
posterior in every output
1
deterministic
$ legation sensitivity us-russia-2025 --posterior 1 --params states.a.ci_agents --n 32 --reps 5 --db c.db --quiet --json | grep -o '"posterior_note": "The 2 calibrated parameters (states.a.shock_rate, states.b.shock_rate) come from the posterior of calibration 1'
"posterior_note": "The 2 calibrated parameters (states.a.shock_rate, states.b.shock_rate) come from the posterior of calibration 1
$ legation sensitivity us-russia-2025 --posterior 9 --params states.a.ci_agents --n 32 --db c.db --quiet
? 3
! legation: sensitivity: --posterior 9: c.db: calibration 9: no stored posterior (see 'legation calibrate --list')
$ legation sensitivity us-russia-2025 --posterior 1 --params states.a.shock_rate --n 32 --db c.db --quiet
? 2
! legation: sensitivity: --params: states.a.shock_rate is calibrated: with --posterior it comes from the posterior (the factor 'posterior')
$ legation sensitivity test:ishigami --posterior 1 --db c.db
? 2
! legation: sensitivity: --posterior: test:ishigami has no calibrated parameters
