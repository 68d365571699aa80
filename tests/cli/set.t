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
