# Usage errors: every one is a single line on stderr, prefixed "legation: ",
# naming the command and pointing at its help, with exit status 2.

$ legation
!~ usage: legation [--version] [--help] COMMAND [ARGS]
? 2

$ legation frobnicate
! legation: unknown command 'frobnicate' (see 'legation --help')
? 2

$ legation --frobnicate
! legation: unknown option '--frobnicate' (see 'legation --help')
? 2

$ legation run --foo
! legation: run: unknown option '--foo' (see 'legation run --help')
? 2

$ legation run --foo=1
! legation: run: unknown option '--foo' (see 'legation run --help')
? 2

$ legation run -x
! legation: run: unknown option '-x' (see 'legation run --help')
? 2

# An option of another command is unknown here.
$ legation run --markdown
! legation: run: unknown option '--markdown' (see 'legation run --help')
? 2

$ legation run --reps
! legation: run: option '--reps' needs an argument N (see 'legation run --help')
? 2

$ legation run --json=yes
! legation: run: option '--json' takes no argument (see 'legation run --help')
? 2

$ legation run --reps 0
! legation: run: --reps: expected a positive integer, found '0' (see 'legation run --help')
? 2

$ legation run --reps -5
! legation: run: --reps: expected a positive integer, found '-5' (see 'legation run --help')
? 2

$ legation run --reps 12x
! legation: run: --reps: expected a positive integer, found '12x' (see 'legation run --help')
? 2

$ legation run --reps=' 12'
! legation: run: --reps: expected a positive integer, found ' 12' (see 'legation run --help')
? 2

$ legation run --reps 99999999999999999999
! legation: run: --reps: expected a positive integer, found '99999999999999999999' (see 'legation run --help')
? 2

$ legation run --seed -1
! legation: run: --seed: expected an integer from 0 to 18446744073709551615, found '-1' (see 'legation run --help')
? 2

$ legation run --seed 12x
! legation: run: --seed: expected an integer from 0 to 18446744073709551615, found '12x' (see 'legation run --help')
? 2

$ legation run --seed 1e3
! legation: run: --seed: expected an integer from 0 to 18446744073709551615, found '1e3' (see 'legation run --help')
? 2

# One past the largest 64-bit seed.
$ legation run --seed 18446744073709551616
! legation: run: --seed: expected an integer from 0 to 18446744073709551615, found '18446744073709551616' (see 'legation run --help')
? 2

$ legation run --threads -1
! legation: run: --threads: expected an integer from 0 to 1024, found '-1' (see 'legation run --help')
? 2

$ legation run --months 0
! legation: run: --months: expected a positive integer, found '0' (see 'legation run --help')
? 2

$ legation run --set states.a.openness
! legation: run: --set: expected KEY=VALUE, found 'states.a.openness' (see 'legation run --help')
? 2

$ legation run --set =0.5
! legation: run: --set: expected KEY=VALUE, found '=0.5' (see 'legation run --help')
? 2

$ legation run --events ''
! legation: run: --events: expected a file name, found '' (see 'legation run --help')
? 2

$ legation run --json --csv
! legation: run: --json and --csv cannot be combined (see 'legation run --help')
? 2

$ legation run --events - --json
! legation: run: --events - cannot share standard output with --json (see 'legation run --help')
? 2

$ legation run --events - --csv
! legation: run: --events - cannot share standard output with --csv (see 'legation run --help')
? 2

$ legation run us-russia-2025 extra
! legation: run: unexpected argument 'extra' (see 'legation run --help')
? 2

$ legation validate
! legation: validate: missing operand FILE... (see 'legation validate --help')
? 2

$ legation scenarios extra
! legation: scenarios: unexpected argument 'extra' (see 'legation scenarios --help')
? 2

$ legation params --json --markdown
! legation: params: --json and --markdown cannot be combined (see 'legation params --help')
? 2

$ legation help frobnicate
! legation: help: unknown command 'frobnicate' (see 'legation --help')
? 2

# "--" ends the options: what follows is an operand.
$ legation run -- --reps
! legation: run: '--reps': no such file or built-in scenario (see 'legation scenarios')
? 3
