# legation game, decide and optimize (cli/cmd_game.c): a Gambit game solved
# in exact fractions, a small simulated game and its .nfg export, bad input
# with file:line:col messages and exit codes.

# Battle of the sexes: three equilibria, the mixed one in fractions.
$ legation game --nfg @SRC@/tests/cli/fixtures/game-bos.nfg
2x2 game from @SRC@/tests/cli/fixtures/game-bos.nfg (exact payoffs)
Equilibria: 3 (2 pure) by support-enumeration, all extreme equilibria
NE,1,0,1,0
  Alice plays 1, Bob plays 1; payoffs 2, 1
NE,2/3,1/3,1/3,2/3
  mixed; payoffs 0.6667, 0.6667
NE,0,1,0,1
  Alice plays 2, Bob plays 2; payoffs 1, 2
Security levels (max-min, linear programming): Alice 0.666667, Bob 0.666667

$ legation game --nfg @SRC@/tests/cli/fixtures/game-bos.nfg --json | grep -c '"ne"'
3

# Bad input: a payoff that is not a number, with its position.
$ legation game --nfg @SRC@/tests/cli/fixtures/game-bad.nfg
! legation: @SRC@/tests/cli/fixtures/game-bad.nfg:2:7: expected a payoff (integer, decimal or p/q): two per cell, player 1's strategy varying fastest, found zero
? 3

$ legation game --nfg missing.nfg
! legation: game: missing.nfg: No such file or directory
? 4

$ legation game
! legation: game: missing operand SCENARIO (or --nfg FILE to solve a Gambit game) (see 'legation game --help')
? 2

$ legation game us-russia-2025
! legation: game: SCENARIO needs --strategies FILE (see 'legation game --help')
? 2

$ legation game --nfg x.nfg --reps 10
! legation: game: --nfg FILE without SCENARIO solves that game: --strategies, --utility, --accuracy, --reps and --set need SCENARIO (see 'legation game --help')
? 2

$ legation game us-russia-2025 --strategies s.yaml --reps 10 --accuracy 5
! legation: game: --accuracy and --reps cannot be combined: --accuracy chooses each cell's replications (see 'legation game --help')
? 2

$ legation game us-russia-2025 --strategies s.yaml --accuracy 0
! legation: game: --accuracy: expected a number > 0, found '0' (see 'legation game --help')
? 2

# Strategies files: every problem, each at its place.
$ legation game us-russia-2025 --strategies @SRC@/tests/cli/fixtures/game-strategies-bad.yaml
! legation: @SRC@/tests/cli/fixtures/game-strategies-bad.yaml:3:5: a[0].sett: expected one of name, set, deal_add, found an unknown key
! legation: @SRC@/tests/cli/fixtures/game-strategies-bad.yaml:4:5: a[1].name: expected a name (required), found nothing
! legation: @SRC@/tests/cli/fixtures/game-strategies-bad.yaml:5:1: c: expected a or b (a side), found an unknown key
! legation: @SRC@/tests/cli/fixtures/game-strategies-bad.yaml:1:1: b: expected side b's strategies (required), found nothing
? 3

$ legation game us-russia-2025 --strategies @SRC@/tests/cli/fixtures/game-strategies-badset.yaml
! legation: @SRC@/tests/cli/fixtures/game-strategies-badset.yaml:4:30: strategy a.too-open: states.a.openness: expected a number in [0, 1], found 1.5
? 3

$ legation game us-russia-2025 --strategies @SRC@/tests/cli/fixtures/game-strategies-badstep.yaml
! legation: @SRC@/tests/cli/fixtures/game-strategies-badstep.yaml:8:9: strategy b.odd: deal_add[1].month: expected an integer in [1, 600], found 0
! legation: @SRC@/tests/cli/fixtures/game-strategies-badstep.yaml:8:9: strategy b.odd: deal_add[1].action: expected one of cap|readmit|local_staff|travel|open_post|close_post|property|operations|ci|vetting|expel, found "readmitt"
? 3

$ legation game us-russia-2025 --strategies @SRC@/tests/cli/fixtures/game-strategies.yaml --utility @SRC@/tests/cli/fixtures/game-utility-bad.yaml
! legation: @SRC@/tests/cli/fixtures/game-utility-bad.yaml:1:18: a.otther_gain: expected one of own_gain, other_gain, function, settled, expelled, spiral, found an unknown key
! legation: @SRC@/tests/cli/fixtures/game-utility-bad.yaml:2:13: b.spiral: expected a finite number, found '2'
? 3

# A 2x2 simulated game, exported to .nfg and solved again from the file:
# the same equilibrium (the export keeps every digit of the payoffs).
$ legation game us-russia-2025 --strategies @SRC@/tests/cli/fixtures/game-strategies.yaml --reps 100 --quiet --nfg g.nfg
~ 100 replications per cell, seed 1, common random numbers across cells
~ Equilibria: 1 (1 pure) by support-enumeration, all extreme equilibria
~ NE,0,1,0,1
~   USA plays more-ci, Russia plays readmit; payoffs
~ every deviation clearly loses

$ legation game --nfg g.nfg | grep '^NE'
NE,0,1,0,1

$ head -2 g.nfg
NFG 1 R "us-russia-2025" { "USA" "Russia" }
{ { "status-quo" "more-ci" } { "mirror" "readmit" } }

# An accuracy no run can reach is refused, not run.
$ legation game us-russia-2025 --strategies @SRC@/tests/cli/fixtures/game-strategies.yaml --accuracy 0.01 --quiet
!~ --accuracy 0.01: cell (status-quo, mirror) would need more than 200000 replications (USA's utility ranges over
? 2

# decide
$ legation decide us-russia-2025 us-russia-2025-readmit-50 --reps 100 --quiet
~ Decision for USA among 2 options, 100 worlds
~ Best by expected utility: us-russia-2025
~   ahead of us-russia-2025-readmit-50 by
~ In words: us-russia-2025 is USA's robust choice, best by all three criteria.
~ Expected value of perfect information:

$ legation decide @SRC@/tests/cli/fixtures/good.yaml
! legation: decide: one option only: give BASE and OPTION... (or a built-in BASE with BASE-* options) (see 'legation decide --help')
? 2

$ legation decide us-russia-2025 --side C
! legation: decide: --side: expected A|B, found 'C' (see 'legation decide --help')
? 2

# optimize: bad levers and expressions are usage or data errors.
$ legation optimize us-russia-2025 --objective 'max balance'
! legation: optimize: missing --levers KEY=LO:HI (see 'legation optimize --help')
? 2

$ legation optimize us-russia-2025 --levers states.a.vetting=0.5:0.2 --objective balance
! legation: optimize: --levers: expected KEY=LO:HI with LO < HI, found 'states.a.vetting=0.5:0.2' (see 'legation optimize --help')
? 2

$ legation optimize us-russia-2025 --levers states.a.vetting=0:2 --objective balance
! legation: optimize: --levers states.a.vetting=0:2: expected a range within the parameter's [0, 1]
? 3

$ legation optimize us-russia-2025 --levers states.a.nothing=0:1 --objective balance
! legation: optimize: --levers states.a.nothing: no such parameter (see 'legation params')
? 3

$ legation optimize us-russia-2025 --levers states.a.vetting=0:1 --objective 'max balanse'
! legation: optimize: --objective 'max balanse': expected an output name (see 'legation run --csv') or utility_a, utility_b at column 1, found 'balanse' (see 'legation optimize --help')
? 2

$ legation optimize us-russia-2025 --levers states.a.vetting=0:1 --objective 'balance' --constraint 'spiral = 0.1'
! legation: optimize: --constraint 'spiral = 0.1': expected EXPR < EXPR or EXPR > EXPR (see 'legation optimize --help')
? 2

$ legation optimize us-russia-2025 --levers states.a.vetting=0:1 --objective 'max (balance' 
! legation: optimize: --objective 'max (balance': expected ')' at column 9 (see 'legation optimize --help')
? 2

# A one-lever search (small, for speed): the answer stays in its range.
$ legation optimize us-russia-2025 --levers states.a.vetting=0:0.9 --objective 'max balance' --constraint 'spiral < 0.6' --reps 50 --max-evals 8 --json | grep -c '"feasible": true'
1

# An exact zero-sum game: the value as a fraction, and by LP.
$ printf 'NFG 1 R "z" { "1" "2" } { 2 2 }\n3 -3 -2 2 -1 1 1 -1\n' > z.nfg && legation game --nfg z.nfg | tail -2
  mixed; payoffs 0.1429, -0.1429
Zero-sum: the value for 1 is 1/7 (0.142857 by linear programming)

# Two players only; replication limits; numeric levers only.
$ printf 'NFG 1 R "3p" { "1" "2" "3" } { 2 2 2 }\n' > p3.nfg && legation game --nfg p3.nfg
! legation: p3.nfg:1:24: expected '}': Legation solves two-player games only, found "3"
? 3

$ legation game us-russia-2025 --strategies x.yaml --reps 300000
! legation: game: --reps: expected at most 200000 replications per cell, found 300000 (see 'legation game --help')
? 2

$ legation decide us-russia-2025 --reps 3000000
! legation: decide: --reps: expected at most 2000000, found 3000000 (see 'legation decide --help')
? 2

$ legation optimize us-russia-2025 --levers states.a.doctrine=0:1 --objective balance
! legation: optimize: --levers states.a.doctrine: expected a numeric parameter (see 'legation optimize --help')
? 2
