/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * table.c - the one description of the CLI: commands, their options, worked
 * examples.  The parser (main.c), `--help` and the man page (help.c,
 * docs/legation.1 is `legation help --man`) are all generated from these
 * rows, so they cannot drift apart.  Exit codes live in CLI_EXIT_MAP (cli.h).
 */
#include "cli.h"

#include <string.h>

const char cli_program_description[] =
    "Legation simulates two rival states that keep diplomatic missions in "
    "each other's capital: staffing under caps, intelligence officers under "
    "diplomatic cover, the sources they recruit, counterintelligence of "
    "limited capacity, expulsions and retaliation, relations, and a linked "
    "negotiation.  A scenario file (YAML) or a built-in scenario sets the "
    "parameters and the deal schedule; legation runs many independent "
    "replications and reports, for each side, the intelligence gained, the "
    "expulsions, the sources recruited and caught and how well the missions "
    "function, with the probability of an expulsion spiral and of a "
    "settlement, and which side the deal favours.";

const cli_cmd cli_cmds[] = {
    {"run", CLI_CMD_RUN, "[SCENARIO-FILE | BUILTIN-NAME]", 0, 1, cli_cmd_run,
     "run a scenario and summarise the replications",
     "Runs the replications of a scenario and prints a summary.  The operand "
     "names a scenario file if such a file exists, else a built-in scenario "
     "(see 'legation scenarios'); without it the built-in "
     "'" CLI_DEFAULT_SCENARIO "' is run.  Results do not depend on the "
     "number of threads: the same seed gives the same numbers.  On SIGINT "
     "(Ctrl-C) the run stops after the replications in progress and the "
     "finished ones are reported; a second Ctrl-C ends the program at once.  "
     "The run is kept in the results store (see 'legation runs') unless "
     "--no-store; it is saved before the first replication and checkpointed "
     "as it goes, so that a run stopped by Ctrl-C or killed can be finished "
     "with --resume ID, with the same numbers as an uninterrupted run."},
    {"validate", CLI_CMD_VALIDATE, "FILE...", 1, -1, cli_cmd_validate,
     "check scenario files",
     "Loads each scenario file (or built-in name) and runs the cross-field "
     "checks.  Prints 'FILE: ok' on standard output for each good one and "
     "every problem of a bad one on standard error, each as "
     "'file:line:col: key: expected ..., found ...'.  The exit status is 0 "
     "when all are good, else 3 (also for a file that cannot be read)."},
    {"new", CLI_CMD_NEW, "A-B | A B", 1, 2, cli_cmd_new,
     "write a commented scenario template for a new pair",
     "Writes to standard output a scenario file for states A and B (one "
     "operand split at its first '-', e.g. germany-russia, or two operands) "
     "with every parameter of the model: its description, unit, range, the "
     "table's generic default and the reason for it.  Behavioural parameters "
     "(each state's answers to expulsions, its policy for identified "
     "officers, the pair's relations) are left commented out and marked "
     "DECIDE: 'legation validate' and 'legation run' name those a scenario "
     "without a base leaves at the default.  Lower-case names of three "
     "letters or fewer are upper-cased (us-china: US and China), others get "
     "a capital first letter."},
    {"scenarios", CLI_CMD_SCENARIOS, "", 0, 0, cli_cmd_scenarios,
     "list the built-in scenarios",
     "Lists the built-in scenarios, one per line: name and title."},
    {"params", CLI_CMD_PARAMS, "[SCENARIO-FILE | BUILTIN-NAME]", 0, 1,
     cli_cmd_params, "show a scenario's resolved parameters and deal",
     "Prints every parameter of the scenario (default "
     "'" CLI_DEFAULT_SCENARIO "') after loading and --set: key, value, unit, "
     "allowed range or choices and the source the value rests on, then the "
     "steps of the deal schedule."},
    {"compare", CLI_CMD_COMPARE, "[BASE [OPTION...]]", 0, -1, cli_cmd_compare,
     "compare deal options with a base scenario (common random numbers)",
     "Runs BASE and every OPTION (scenario files or built-in names) as one "
     "run in which replication i of every scenario draws the same random "
     "numbers, and reports for every output the paired difference option "
     "minus base with its 95% interval.  The scorecard comes first: per "
     "option, the change in the intelligence each side gains, in the "
     "balance, in the probability of an expulsion spiral, in each side's "
     "diplomatic function and in the chance the negotiation settles, with a "
     "one-line verdict; then how much narrower the paired intervals are "
     "than two independent runs would give.  Options must have the base's "
     "horizon and state names.  --set and --months apply to every "
     "scenario.  With BASE alone the options are the built-in scenarios "
     "named BASE-*; with no operand BASE is '" CLI_DEFAULT_SCENARIO "', "
     "so 'legation compare' weighs the built-in 2025 deal options against "
     "the status quo.  The comparison is kept in the results store like a "
     "run (--db, --no-store): 'legation runs show ID' prints its scorecard "
     "again, 'legation report ID' writes its report, and 'legation compare "
     "--resume ID' finishes one stopped by Ctrl-C or a crash."},
    {"report", CLI_CMD_REPORT, "ID...", 1, -1, cli_cmd_report,
     "write the HTML report of stored runs",
     "Writes one self-contained HTML file (-o, required) with the scenario "
     "and its parameters with their sources, the scorecard, fan charts of "
     "the monthly series, histograms of the balance and of expulsions and "
     "the spiral probability, for the runs with the given IDs in the "
     "results store (see 'legation runs'); several IDs are shown side by "
     "side, and a stored comparison (given alone) gives the report 'legation "
     "compare --report' writes: its options side by side with the paired "
     "differences.  The file opens offline and makes no network request: the "
     "charting script is compiled into legation."},
    /* history (cmd_history.c) */
    {"history", CLI_CMD_HISTORY, "", 0, 0, cli_cmd_history,
     "list the record of expulsions, caps and talks (data/events.csv)",
     "Lists the events of the record compiled into legation "
     "(data/events.csv: expulsions, staff caps, post closures, local-staff "
     "bans, travel rules, talks and agreements since 1986, each with its "
     "source URLs and a confidence), oldest first, one per line: id, date, "
     "acting state -> target state, action, persons (the number expelled, "
     "or the new ceiling of a cap; '-' when not reported) and the stated "
     "reason, shortened.  The options select events; all must hold.  The "
     "ids are the citations scenarios use, e.g. [1986-04]."},
    /* results store (cmd_runs.c) */
    {"runs", CLI_CMD_RUNS, "[show ID]", 0, 2, cli_cmd_runs,
     "list the runs in the results store, or show one",
     "Lists the runs kept in the results store (an SQLite file: --db, else "
     "$LEGATION_DB, else ./legation.db), newest first: id, start time (UTC), "
     "kind (run, or compare with the number of options), scenario (the "
     "base of a comparison), replications done and requested, status and "
     "seconds.  The status is complete, incomplete (stopped by Ctrl-C, or "
     "killed: a run recorded as running whose process is gone), running or "
     "failed; an incomplete run can be finished with 'legation run --resume "
     "ID' ('legation compare --resume ID' for a comparison).  'runs show "
     "ID' prints the run's header, its overrides and the summary 'legation "
     "run' prints (for a comparison its options and the scorecard "
     "'legation compare' prints), rebuilt from the stored checkpoint."},
    {"export", CLI_CMD_EXPORT, "ID", 1, 1, cli_cmd_export,
     "write a stored run's data as CSV or JSON",
     "Writes one table of stored run ID for pandas, R or a spreadsheet, in "
     "tidy (long) form with a header: the summaries of every output "
     "(default), the monthly series bands, every replication's outputs "
     "(runs made with --keep-reps), the event log (runs made with "
     "--store-events) or the resolved parameters.  Numbers are written "
     "with the digits that read back as the same double; a missing value "
     "is empty in CSV and null in JSON (an array of objects)."},
    {"help", CLI_CMD_HELP, "[COMMAND]", 0, 1, cli_cmd_help,
     "show help for legation or one command",
     "Prints the usage of legation, or of COMMAND, on standard output."},
};
const int cli_ncmds = (int)(sizeof cli_cmds / sizeof cli_cmds[0]);

const cli_opt cli_opts[] = {
    {CLI_OPT_REPS, "--reps", 0, "N", CLI_ARG_COUNT, CLI_CMD_RUN | CLI_CMD_COMPARE,
     "number of replications (default 2000)"},
    {CLI_OPT_SEED, "--seed", 0, "S", CLI_ARG_U64, CLI_CMD_RUN | CLI_CMD_COMPARE,
     "random seed, an integer from 0 to 18446744073709551615 (default 1)"},
    {CLI_OPT_THREADS, "--threads", 0, "T", CLI_ARG_THREADS, CLI_CMD_RUN | CLI_CMD_COMPARE,
     "worker threads, 0 for one per online core (default 0); results do not "
     "depend on it"},
    {CLI_OPT_MONTHS, "--months", 0, "M", CLI_ARG_MONTHS, CLI_CMD_RUN | CLI_CMD_COMPARE,
     "months to simulate (sets the parameter 'horizon')"},
    {CLI_OPT_SET, "--set", 0, "KEY=VALUE", CLI_ARG_KEYVAL,
     CLI_CMD_RUN | CLI_CMD_PARAMS | CLI_CMD_COMPARE,
     "override one parameter, e.g. states.a.openness=0.6; may be repeated; "
     "values are checked exactly as in a scenario file (see 'legation params')"},
    {CLI_OPT_JSON, "--json", 0, NULL, CLI_ARG_NONE, CLI_CMD_RUN,
     "print one JSON document with every output and series instead of the "
     "summary (schema in docs/JSON.md)"},
    {CLI_OPT_CSV, "--csv", 0, NULL, CLI_ARG_NONE, CLI_CMD_RUN,
     "print one CSV row per output instead of the summary: "
     "output,unit,kind,n,mean,sd,lo,hi,min,q05,q25,q50,q75,q95,max"},
    {CLI_OPT_EVENTS, "--events", 0, "FILE", CLI_ARG_PATH, CLI_CMD_RUN,
     "write every event of every replication to FILE as CSV "
     "(rep,month,acting_state,target_state,action,persons,officers,reason,"
     "chain); FILE appears only when the run succeeds; '-' writes to "
     "standard output (not with --json or --csv)"},
    {CLI_OPT_REPORT, "--report", 0, "FILE", CLI_ARG_PATH,
     CLI_CMD_RUN | CLI_CMD_COMPARE,
     "also write the HTML report to FILE: one self-contained file with the "
     "parameters and their sources, the scorecard and charts, that opens "
     "offline (the summary still goes to standard output)"},
    {CLI_OPT_JSON, "--json", 0, NULL, CLI_ARG_NONE, CLI_CMD_COMPARE,
     "print one JSON document with every scenario's outputs and every "
     "paired difference instead of the summary (schema in docs/JSON.md)"},
    {CLI_OPT_CSV, "--csv", 0, NULL, CLI_ARG_NONE, CLI_CMD_COMPARE,
     "print one CSV row per scenario and output instead of the summary: "
     "variant,role,operand,name,output,unit,kind,n,mean,sd,lo,hi,min,q05,q25,"
     "q50,q75,q95,max, then for an option its paired difference from the "
     "base: diff_mean,diff_lo,diff_hi,indep_lo,indep_hi,narrowing"},
    {CLI_OPT_OUTPUT, "--output", 'o', "FILE", CLI_ARG_PATH, CLI_CMD_REPORT,
     "write the HTML report to FILE (required)"},
    {CLI_OPT_QUIET, "--quiet", 'q', NULL, CLI_ARG_NONE, CLI_CMD_RUN | CLI_CMD_COMPARE,
     "no progress bar (it is drawn only when standard error is a terminal)"},
    {CLI_OPT_JSON, "--json", 0, NULL, CLI_ARG_NONE, CLI_CMD_SCENARIOS,
     "print a JSON array of {\"name\", \"title\"} objects"},
    {CLI_OPT_JSON, "--json", 0, NULL, CLI_ARG_NONE, CLI_CMD_PARAMS,
     "print a JSON object {\"scenario\", \"params\": [...], \"deal\": [...]}"},
    {CLI_OPT_MARKDOWN, "--markdown", 0, NULL, CLI_ARG_NONE, CLI_CMD_PARAMS,
     "print GitHub-flavoured Markdown tables (used for the docs)"},
    {CLI_OPT_MAN, "--man", 0, NULL, CLI_ARG_NONE, CLI_CMD_HELP,
     "print the manual page (troff) generated from the command table; "
     "docs/legation.1 is this output"},
    /* history (cmd_history.c) */
    {CLI_OPT_PAIR, "--pair", 0, "A-B", CLI_ARG_TEXT, CLI_CMD_HISTORY,
     "only events between countries A and B, in either direction, "
     "including their joint (bilateral) talks; each a code or a name: US "
     "or USA, RU or Russia (USSR counts as Russia), UK, CZ or 'Czech "
     "Republic', CN or China, DE or Germany, FR, PL, ... e.g. US-RU"},
    {CLI_OPT_FROM, "--from", 0, "YEAR", CLI_ARG_YEAR, CLI_CMD_HISTORY,
     "only events in YEAR or later"},
    {CLI_OPT_TO, "--to", 0, "YEAR", CLI_ARG_YEAR, CLI_CMD_HISTORY,
     "only events in YEAR or earlier"},
    {CLI_OPT_ACTION, "--action", 0, "ACTION", CLI_ARG_TEXT, CLI_CMD_HISTORY,
     "only events of this kind: expel, cap_staff, close_post, "
     "ban_local_staff, travel_restriction, readmit, talks or agreement"},
    {CLI_OPT_JSON, "--json", 0, NULL, CLI_ARG_NONE, CLI_CMD_HISTORY,
     "print a JSON array with every field of every selected event (persons "
     "null when not reported)"},
    /* results store (cmd_runs.c) */
    {CLI_OPT_DB, "--db", 0, "PATH", CLI_ARG_PATH,
     CLI_CMD_RUN | CLI_CMD_COMPARE | CLI_CMD_RUNS | CLI_CMD_EXPORT | CLI_CMD_REPORT,
     "the results store, an SQLite file (default $LEGATION_DB, else "
     "legation.db in the current directory)"},
    {CLI_OPT_LABEL, "--label", 0, "TEXT", CLI_ARG_TEXT, CLI_CMD_RUN | CLI_CMD_COMPARE,
     "a name for the stored run, shown by 'legation runs' and 'runs show' (one line, "
     "at most 200 characters)"},
    {CLI_OPT_NO_STORE, "--no-store", 0, NULL, CLI_ARG_NONE, CLI_CMD_RUN | CLI_CMD_COMPARE,
     "do not keep the run in the results store"},
    {CLI_OPT_KEEP_REPS, "--keep-reps", 0, NULL, CLI_ARG_NONE, CLI_CMD_RUN,
     "also store every replication's outputs ('legation export ID --what "
     "reps')"},
    {CLI_OPT_STORE_EVENTS, "--store-events", 0, NULL, CLI_ARG_NONE, CLI_CMD_RUN,
     "also store the event log of every replication ('legation export ID "
     "--what events')"},
    {CLI_OPT_RESUME, "--resume", 0, "ID", CLI_ARG_ID, CLI_CMD_RUN,
     "finish stored run ID after Ctrl-C or a crash: scenario, overrides, "
     "seed and replications come from the store (so no operand, --set, "
     "--months, --reps or --seed), the last checkpoint is restored and the "
     "result equals an uninterrupted run's; a stored comparison is finished "
     "by 'legation compare --resume ID'"},
    {CLI_OPT_RESUME, "--resume", 0, "ID", CLI_ARG_ID, CLI_CMD_COMPARE,
     "finish stored comparison ID after Ctrl-C or a crash: the base, the "
     "options, overrides, seed and replications come from the store (so no "
     "operand, --set, --months, --reps or --seed), the last checkpoint is "
     "restored and the result equals an uninterrupted comparison's"},
    {CLI_OPT_CHECKPOINT, "--checkpoint", 0, "SECONDS", CLI_ARG_SECONDS,
     CLI_CMD_RUN | CLI_CMD_COMPARE,
     "seconds between checkpoints saved to the store while running "
     "(default 1; 0 saves one after every block of replications)"},
    {CLI_OPT_JSON, "--json", 0, NULL, CLI_ARG_NONE, CLI_CMD_RUNS,
     "print a JSON array of runs, or for 'runs show ID' the JSON document "
     "'legation run --json' (for a comparison 'legation compare --json') "
     "prints, with a \"run\" object added"},
    {CLI_OPT_FORMAT, "--format", 0, "csv|json", CLI_ARG_CHOICE, CLI_CMD_EXPORT,
     "output format (default csv)"},
    {CLI_OPT_WHAT, "--what", 0, "summary|series|reps|events|params|variants|diffs|files",
     CLI_ARG_CHOICE,
     CLI_CMD_EXPORT,
     "the table to write (default summary); columns: summary: "
     "run,variant,output,unit,kind,n,mean,sd,lo,hi,min,q05,q25,q50,q75,q95,max; "
     "series: run,variant,series,month,n,mean,q05,q25,q50,q75,q95; reps: "
     "run,rep,variant,output,value; events: run,rep,month,acting_state,"
     "target_state,action,persons,officers,reason,chain; params: "
     "run,key,value,source; variants (the base 0 and a comparison's "
     "options): run,variant,name,title,origin,hash; diffs (a comparison's "
     "paired differences, option minus base): run,variant,output,unit,kind,"
     "n,mean,sd,lo,hi,min,q05,q25,q50,q75,q95,max,indep_lo,indep_hi,"
     "narrowing; files (the full text of every file each scenario was read "
     "from, bases included, as used to rebuild the run): "
     "run,variant,position,key,text"},
    {CLI_OPT_OUTPUT, "--output", 'o', "FILE", CLI_ARG_PATH, CLI_CMD_EXPORT,
     "write to FILE instead of standard output (the file appears whole or "
     "not at all)"},
    {CLI_OPT_HELP, "--help", 'h', NULL, CLI_ARG_NONE, CLI_CMD_ALL,
     "show this command's help and exit"},
};
const int cli_nopts = (int)(sizeof cli_opts / sizeof cli_opts[0]);

const cli_example cli_examples[] = {
    {"legation run", "Run the default scenario (" CLI_DEFAULT_SCENARIO
                     ") with 2000 replications and print the summary."},
    {"legation run --reps 500 --set states.b.openness=0.6 --set "
     "missions.a.cap=300",
     "A quick what-if: a more open host for A's mission and a larger cap."},
    {"legation run my-deal.yaml --months 24 --json > result.json",
     "Run a scenario file for two years and keep every statistic as JSON."},
    {"legation run --reps 100 --events events.csv --quiet",
     "Keep the event log of 100 replications for inspection."},
    {"legation compare --reps 1000 --report deal.html",
     "Weigh the built-in 2025 deal options against the status quo and keep "
     "the charts."},
    {"legation compare us-russia-2025 my-deal.yaml --json > diff.json",
     "Paired differences of one option against the default scenario."},
    {"legation history --pair US-RU --from 1986 --to 1986 --action expel",
     "The 1986 spiral of expulsions between the US and the USSR."},
    {"legation runs", "List the stored runs; 'legation run --resume ID' finishes an "
                      "incomplete one."},
    {"legation export 3 --what series -o series.csv",
     "The monthly bands of run 3 as a tidy CSV for pandas or R."},
    {"legation new germany-russia > de-ru.yaml",
     "Start a scenario for a new pair from a template that gives every "
     "parameter's reason; decide the DECIDE lines, then validate it."},
    {"legation validate scenarios/*.yaml",
     "Check scenario files before running them."},
    {"legation params --markdown",
     "The parameter table of the default scenario, for the docs."},
};
const int cli_nexamples = (int)(sizeof cli_examples / sizeof cli_examples[0]);

const cli_cmd *cli_cmd_find(const char *name) {
  for (int i = 0; i < cli_ncmds; i++)
    if (strcmp(cli_cmds[i].name, name) == 0) return &cli_cmds[i];
  return NULL;
}
