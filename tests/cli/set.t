# --set and --months go through the library, which checks a value exactly
# as in a scenario file; its message is printed as is, exit status 3.

$ legation run --reps 1 --set states.a.openness=1.5
! legation: --set: states.a.openness: expected a number in [0, 1], found 1.5
? 3

$ legation run --reps 1 --set states.a.openness=abc
!~ --set: states.a.openness: expected a number in [0, 1], found
? 3

$ legation run --reps 1 --set states.a.nosuch=1
!~ --set: states.a.nosuch:
? 3

# The first bad --set stops the command.
$ legation run --reps 1 --set horizon=12 --set missions.a.cap=-1 --set states.a.openness=2
!~ --set: missions.a.cap:
? 3

# --months is named as the option, not as the parameter it sets.
$ legation run --reps 1 --months 601
! legation: run: --months: expected an integer in [1, 600], found 601
? 3

$ legation params --set states.a.openness=1.5
! legation: --set: states.a.openness: expected a number in [0, 1], found 1.5
? 3

# A good --set shows in the resolved parameters.
$ legation params --set horizon=24 --json | grep -A 1 '"key": "horizon"'
|       "key": "horizon",
|       "value": "24",

$ legation run --reps 2 --months 7 --json --quiet | grep '"months": 7,'
|   "months": 7,

# States by name: a state's name or short name, in any case, stands for a
# or b in --set keys; a near miss gets a suggestion, as in files.
$ legation params --set states.russia.openness=0.35 --set missions.USA.travel=0.4 | grep -E '^  (states.b.openness|missions.a.travel) '
~ states.b.openness             0.35
~ missions.a.travel             0.4

$ legation run --reps 1 --set states.russia.opennes=0.3
! legation: --set: states.russia.opennes: unknown parameter; did you mean "states.russia.openness"? (see `legation params`)
? 3

$ legation run --reps 1 --set states.rusia.openness=0.3
! legation: --set: states.rusia.openness: unknown parameter; did you mean "states.Russia.openness"? (see `legation params`)
? 3
