# Help exists for the program and for every command, on stdout, exit 0;
# these check a line or two, not the whole text.

$ legation --help
~ usage: legation [--version] [--help] COMMAND [ARGS]
~   run         run a scenario and summarise the replications
~   130 interrupted (SIGINT)
~   3   scenario or data error

$ legation -h
~ usage: legation [--version] [--help] COMMAND [ARGS]

$ legation help
~ usage: legation [--version] [--help] COMMAND [ARGS]

$ legation --version
~ legation 0.1.0

$ legation run --help
~ usage: legation run [options] [SCENARIO-FILE | BUILTIN-NAME]
~       --reps N          number of replications (default 2000)
~       --seed S
~   -q, --quiet
~ exit status:

$ legation help run
~ usage: legation run [options] [SCENARIO-FILE | BUILTIN-NAME]

# --help wins over the other arguments.
$ legation run --reps 5 nosuch --help
~ usage: legation run [options] [SCENARIO-FILE | BUILTIN-NAME]

$ legation validate --help
~ usage: legation validate [options] FILE...

$ legation help validate
~ usage: legation validate [options] FILE...

$ legation scenarios --help
~ usage: legation scenarios [options]
~       --json

$ legation help scenarios
~ usage: legation scenarios [options]

$ legation params --help
~ usage: legation params [options] [SCENARIO-FILE | BUILTIN-NAME]
~       --markdown
~       --set KEY=VALUE

$ legation help params
~ usage: legation params [options] [SCENARIO-FILE | BUILTIN-NAME]

$ legation help help
~ usage: legation help [options] [COMMAND]
~       --man

$ legation help --man
~ .TH LEGATION 1
~ .SH EXIT STATUS
