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
     "finished ones are reported; a second Ctrl-C ends the program at once."},
    {"validate", CLI_CMD_VALIDATE, "FILE...", 1, -1, cli_cmd_validate,
     "check scenario files",
     "Loads each scenario file (or built-in name) and runs the cross-field "
     "checks.  Prints 'FILE: ok' on standard output for each good one and "
     "every problem of a bad one on standard error, each as "
     "'file:line:col: key: expected ..., found ...'.  The exit status is 0 "
     "when all are good, else 3 (also for a file that cannot be read)."},
    {"scenarios", CLI_CMD_SCENARIOS, "", 0, 0, cli_cmd_scenarios,
     "list the built-in scenarios",
     "Lists the built-in scenarios, one per line: name and title."},
    {"params", CLI_CMD_PARAMS, "[SCENARIO-FILE | BUILTIN-NAME]", 0, 1,
     cli_cmd_params, "show a scenario's resolved parameters and deal",
     "Prints every parameter of the scenario (default "
     "'" CLI_DEFAULT_SCENARIO "') after loading and --set: key, value, unit, "
     "allowed range or choices and the source the value rests on, then the "
     "steps of the deal schedule."},
    {"help", CLI_CMD_HELP, "[COMMAND]", 0, 1, cli_cmd_help,
     "show help for legation or one command",
     "Prints the usage of legation, or of COMMAND, on standard output."},
};
const int cli_ncmds = (int)(sizeof cli_cmds / sizeof cli_cmds[0]);

const cli_opt cli_opts[] = {
    {CLI_OPT_REPS, "--reps", 0, "N", CLI_ARG_COUNT, CLI_CMD_RUN,
     "number of replications (default 2000)"},
    {CLI_OPT_SEED, "--seed", 0, "S", CLI_ARG_U64, CLI_CMD_RUN,
     "random seed, an integer from 0 to 18446744073709551615 (default 1)"},
    {CLI_OPT_THREADS, "--threads", 0, "T", CLI_ARG_THREADS, CLI_CMD_RUN,
     "worker threads, 0 for one per online core (default 0); results do not "
     "depend on it"},
    {CLI_OPT_MONTHS, "--months", 0, "M", CLI_ARG_MONTHS, CLI_CMD_RUN,
     "months to simulate (sets the parameter 'horizon')"},
    {CLI_OPT_SET, "--set", 0, "KEY=VALUE", CLI_ARG_KEYVAL,
     CLI_CMD_RUN | CLI_CMD_PARAMS,
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
    {CLI_OPT_REPORT, "--report", 0, "FILE", CLI_ARG_PATH, CLI_CMD_RUN,
     "also write the readable summary to FILE"},
    {CLI_OPT_QUIET, "--quiet", 'q', NULL, CLI_ARG_NONE, CLI_CMD_RUN,
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
