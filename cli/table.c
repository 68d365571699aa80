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
    {"sweep", CLI_CMD_SWEEP, "[SCENARIO-FILE | BUILTIN-NAME]", 0, 1, cli_cmd_sweep,
     "evaluate a scenario over a grid or sample of parameter values",
     "Evaluates the scenario (default '" CLI_DEFAULT_SCENARIO "') at many "
     "points of the parameters named by --vary (or every parameter with a "
     "plausible range, --uncertain), made by a grid, a Latin hypercube or a "
     "Sobol design, with --reps replications per point and the same random "
     "numbers at every point, so differences between points are not noise.  "
     "Options given with --option are evaluated at the same points, with "
     "their paired change from the base.  Each point is written as it "
     "finishes (a readable table, tidy CSV or JSON lines) and kept in the "
     "results store with the point's parameter values, so memory stays flat "
     "however many points there are and a stopped sweep continues with "
     "--resume ID."},
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
     "ids are the citations scenarios use, e.g. [1986-04].  With --stats it "
     "prints instead the summary statistics of the record between the pair "
     "(default US-RU) per acting side and era, the targets the model is "
     "compared with and calibrated to; docs/TARGETS.md defines them."},
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
    /* games and decisions (cmd_game.c) */
    {"game", CLI_CMD_GAME, "[SCENARIO]", 0, 1, cli_cmd_game,
     "the deal as a game: all equilibria of the two sides' strategies",
     "With SCENARIO and --strategies FILE: each side's named strategies "
     "(parameter overrides and deal steps, YAML) make a payoff bimatrix; "
     "cell (i, j) is SCENARIO with A's strategy i and B's strategy j, run "
     "with the same seed in every cell (common random numbers), its payoff "
     "each side's mean utility (--utility) with a 95% interval.  Then every "
     "Nash equilibrium: the pure-strategy scan, support enumeration up to "
     "12x12 (all extreme equilibria, also of degenerate games), "
     "Lemke-Howson from every starting label above (possibly incomplete); "
     "each printed as Gambit does ('NE,' and the two mixed strategies), "
     "with its worst-case regret within the payoff intervals and whether "
     "it survives them, and for a pure equilibrium whether every deviation "
     "clearly loses replication by replication (paired test); then the "
     "zero-sum value (exact for an exact game) or the security levels by "
     "linear programming.  With --nfg FILE and no SCENARIO: solve the game "
     "of a Gambit .nfg file, in exact fractions.  Methods and formulas: "
     "docs/DECISIONS.md."},
    {"decide", CLI_CMD_DECIDE, "BASE [OPTION...]", 1, -1, cli_cmd_decide,
     "robust choice among deal options for one side",
     "Runs BASE and every OPTION (with BASE alone: the built-in BASE-* "
     "options) with the same seed, and for the side's utility (--side, "
     "--utility) reports per option the expected utility, its 5th "
     "percentile across worlds, the mean and maximum regret (the shortfall "
     "from the best option in each world) and the share of worlds in which "
     "it is best; the best option by each criterion; and the expected value "
     "of perfect information.  In this build a world is one replication of "
     "fixed parameters (the model's chance events, common to every option); "
     "the value of partial information per parameter needs parameters drawn "
     "per world and is not computed yet (docs/DECISIONS.md)."},
    {"optimize", CLI_CMD_OPTIMIZE, "SCENARIO", 1, 1, cli_cmd_optimize,
     "best lever values under constraints (noisy optimiser)",
     "Searches the box of --levers for the best value of --objective, "
     "subject to every --constraint, with NLopt's COBYLA; each evaluation "
     "runs SCENARIO with the levers set, with the same seed every time "
     "(common random numbers, so the search sees a smooth function), and "
     "expressions use the outputs' means (names as in 'legation run --csv', "
     "and utility_a, utility_b).  The best five points seen are then run on "
     "four fresh seeds each and the best feasible one is reported with its "
     "standard error, with the objective 5% of each lever's range either "
     "side."},
    /* calibration (cmd_calibrate.c) */
    {"calibrate", CLI_CMD_CALIBRATE, "[SCENARIO]", 0, 1, cli_cmd_calibrate,
     "learn parameters from targets by ABC-SMC",
     "Calibrates parameters of SCENARIO against targets (observed summary "
     "statistics) by approximate Bayesian computation with sequential Monte "
     "Carlo (ABC-SMC): a population of particles drawn from the priors (the "
     "parameters' ranges) is moved through generations of falling tolerance "
     "on a scaled distance between simulated and observed statistics, with "
     "importance weights and a perturbation kernel that never leaves the "
     "ranges.  Each generation prints its tolerance, acceptance rate, "
     "effective sample size (ESS) and simulations; the end prints, per "
     "parameter, the prior, the posterior mean and 5-95% interval and how "
     "much was learned (1 - posterior width / prior width), and names the "
     "parameters the targets cannot inform.  The result depends only on the "
     "settings and --seed, not on --threads; it is kept in the results store "
     "after every generation, and 'legation calibrate --resume ID' finishes "
     "one stopped by Ctrl-C or kill -9 with the result an uninterrupted "
     "calibration gives.  The built-in analytic models test:beta-binomial, "
     "test:normal and test:unidentifiable (docs/CALIBRATION.md) carry their "
     "own data as targets and check the method against exact posteriors.  "
     "A real scenario is calibrated to the record with --era FROM:TO (the "
     "targets of 'legation history --stats' for those years; each "
     "simulation runs the era's months) or --targets FILE; 'legation "
     "calibrate --check ID --era FROM:TO [SCENARIO]' is the posterior "
     "predictive check (in sample) or the out-of-sample check of another "
     "era, from that era's starting state.  Algorithm, distance and "
     "formulas: docs/CALIBRATION.md."},
    /* sensitivity (cmd_sensitivity.c) */
    {"sensitivity", CLI_CMD_SENSITIVITY, "SCENARIO | --resume ID", 0, 1, cli_cmd_sensitivity,
     "which uncertain inputs drive each output (Sobol indices, Morris effects)",
     "Global sensitivity analysis of every output of SCENARIO over its "
     "uncertain parameters (--params, --uncertain) or groups of them "
     "(--groups).  --method sobol (default) samples A, B and one AB matrix "
     "per group (Saltelli sampling on a randomly shifted Sobol sequence of "
     "Joe & Kuo's direction numbers, N base points, N (groups + 2) points "
     "in all) and reports each group's first-order index (Saltelli 2010) "
     "and total-order index (Jansen) with percentile bootstrap 95% "
     "intervals, ranked by total order, and the share of each output's "
     "variance that is replication noise (--reps replications per point, "
     "common random numbers across points).  --method morris reports mu*, "
     "mu and sigma of the elementary effects over --n trajectories on a "
     "grid of --levels levels, in output units per whole range of the factor.  "
     "SCENARIO is a scenario, or an analytic test model with known answers: "
     "test:ishigami, test:ishigami-noise, test:gfunction, test:gfunction60, "
     "test:linear, test:box (docs/SENSITIVITY.md).  With --posterior ID the "
     "parameters of a stored calibration are one input, 'posterior', whose "
     "coordinate picks a particle by the inverse of the weights' cumulative "
     "distribution, so their joint posterior is kept while the other factors "
     "vary over their ranges.  A study of a scenario is kept in the results "
     "store as it goes (each block of finished points; 'legation runs' lists "
     "it, 'legation export ID --what points' gives the points, 'legation "
     "report ID' its report); Ctrl-C reports the indices of the base points "
     "that finished (exit 130) and 'legation sensitivity --resume ID' "
     "finishes a study stopped by Ctrl-C or kill -9 with the indices an "
     "uninterrupted study gives."},
    {"discover", CLI_CMD_DISCOVER, "SCENARIO | --resume ID", 0, 1, cli_cmd_discover,
     "where in the uncertain inputs a condition on the outputs holds (PRIM)",
     "Scenario discovery: evaluates SCENARIO at --points points spread over "
     "its uncertain parameters (a shifted Sobol design), marks those where "
     "the --where condition holds (on each point's mean over --reps "
     "replications), and finds with PRIM (peeling 5% of the points at a "
     "time, then pasting) a box of parameter ranges where it holds most.  "
     "It prints the peeling trajectory (coverage against density), the "
     "chosen box (the first on the trajectory whose density reaches "
     "--threshold, default 0.8) with each restricted parameter's bounds "
     "and significance, the box checked on a held-out half of the points, "
     "and one sentence saying when the condition holds.  A discovery on a "
     "scenario is kept in the results store point by point and resumed "
     "with --resume ID after Ctrl-C or kill -9, as for 'legation "
     "sensitivity'."},
    {"serve", CLI_CMD_SERVE, "", 0, 0, cli_cmd_serve,
     "serve the web workbench and its JSON API on localhost",
     "Serves the web workbench at / and a JSON API under /api "
     "(docs/openapi.yaml).  The workbench is a page for analysts: pick a "
     "built-in scenario and deal options, change any parameter in a form "
     "that shows its valid and plausible range and its source, or write a "
     "scenario in YAML checked as you type; run or compare with live "
     "progress and cancel; the scorecard and charts of the HTML report; "
     "the recorded events of the pair on a timeline; downloads of the "
     "report, CSV and JSON; and a link that reopens the same form (same "
     "seed).  Its files are compiled into the binary (no Node.js needed).  "
     "The API: the built-in "
     "scenarios, every parameter with its value, valid and plausible range, "
     "unit and source, validation of uploaded YAML with the loader's "
     "messages, runs, comparisons (also --uncertain) and sweeps as "
     "asynchronous jobs on a pool of --jobs workers (progress, scorecard, "
     "cancel, resume) and the stored runs of --db, the record's events, "
     "each finished job's report and CSV.  It "
     "binds 127.0.0.1 unless --bind says otherwise, and refuses "
     "another address without --token; with a token every API request must "
     "carry 'Authorization: Bearer TOKEN' (the page asks for it once per "
     "browser tab).  Request bodies are limited to "
     "1 MiB, jobs to 100000 replications, 16 waiting jobs; no file is read "
     "on a request's behalf (only built-in names and uploaded text).  "
     "Prints the address it listens on; SIGINT or SIGTERM stops it, "
     "interrupting running jobs (with --db they resume later from their "
     "last checkpoint)."},
    {"help", CLI_CMD_HELP, "[COMMAND]", 0, 1, cli_cmd_help,
     "show help for legation or one command",
     "Prints the usage of legation, or of COMMAND, on standard output."},
};
const int cli_ncmds = (int)(sizeof cli_cmds / sizeof cli_cmds[0]);

const cli_opt cli_opts[] = {
    {CLI_OPT_REPS, "--reps", 0, "N", CLI_ARG_COUNT, CLI_CMD_RUN | CLI_CMD_COMPARE,
     "number of replications (default 2000)"},
    {CLI_OPT_SEED, "--seed", 0, "S", CLI_ARG_U64, CLI_CMD_RUN | CLI_CMD_COMPARE | CLI_CMD_SWEEP,
     "random seed, an integer from 0 to 18446744073709551615 (default 1)"},
    {CLI_OPT_THREADS, "--threads", 0, "T", CLI_ARG_THREADS,
     CLI_CMD_RUN | CLI_CMD_COMPARE | CLI_CMD_SWEEP,
     "worker threads, 0 for one per online core (default 0); results do not "
     "depend on it"},
    {CLI_OPT_MONTHS, "--months", 0, "M", CLI_ARG_MONTHS,
     CLI_CMD_RUN | CLI_CMD_COMPARE | CLI_CMD_SWEEP,
     "months to simulate (sets the parameter 'horizon')"},
    {CLI_OPT_SET, "--set", 0, "KEY=VALUE", CLI_ARG_KEYVAL,
     CLI_CMD_RUN | CLI_CMD_PARAMS | CLI_CMD_COMPARE | CLI_CMD_SWEEP | CLI_CMD_SENSITIVITY |
         CLI_CMD_DISCOVER,
     "override one parameter, e.g. states.a.openness=0.6; may be repeated; "
     "values are checked exactly as in a scenario file (see 'legation params')"},
    {CLI_OPT_UNCERTAIN, "--uncertain", 0, NULL, CLI_ARG_NONE,
     CLI_CMD_RUN | CLI_CMD_COMPARE | CLI_CMD_SWEEP | CLI_CMD_DECIDE,
     "draw every parameter that has a plausible range (see 'legation params "
     "--uncertain') afresh in each world, by Latin hypercube over the worlds, "
     "so intervals cover what is not known as well as Monte Carlo noise"},
    {CLI_OPT_UNCERTAIN, "--uncertain", 0, NULL, CLI_ARG_NONE, CLI_CMD_PARAMS,
     "list only the parameters with a plausible range: value, range, "
     "distribution and source"},
    {CLI_OPT_VARY, "--vary", 0, "KEY[,KEY...]", CLI_ARG_LIST,
     CLI_CMD_RUN | CLI_CMD_COMPARE | CLI_CMD_DECIDE,
     "like --uncertain for the named parameters only (each must have a "
     "plausible range); may be repeated"},
    {CLI_OPT_POSTERIOR, "--posterior", 0, "ID", CLI_ARG_POSINT,
     CLI_CMD_RUN | CLI_CMD_COMPARE | CLI_CMD_DECIDE,
     "draw the worlds from the posterior of stored calibration ID ('legation "
     "calibrate --list'): its weighted particles, resampled, one per world "
     "(--reps-per-world replications each); the calibrated parameters take "
     "their posterior values, the others keep theirs"},
    {CLI_OPT_REPS_PER_WORLD, "--reps-per-world", 0, "K", CLI_ARG_POSINT,
     CLI_CMD_RUN | CLI_CMD_COMPARE | CLI_CMD_DECIDE,
     "with --uncertain or --vary: replications in each drawn world (default "
     "10), so that the spread across worlds can be told from noise"},
    {CLI_OPT_MIN_EFFECT, "--min-effect", 0, "OUTPUT=DELTA", CLI_ARG_LIST, CLI_CMD_COMPARE,
     "the smallest change in OUTPUT that counts (margin of practical "
     "equivalence); defaults: 1% of the base's value for gains and counts, "
     "1 point (0.01) for probabilities; may be repeated"},
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
    {CLI_OPT_REPORT, "--report", 0, "FILE", CLI_ARG_PATH, CLI_CMD_OPTIMIZE,
     "also write an HTML report to FILE: the optimum of each lever in its "
     "range, the objective there with its standard error, and its "
     "neighbourhood (the objective 5% of the range either side)"},
    {CLI_OPT_REPORT, "--report", 0, "FILE", CLI_ARG_PATH, CLI_CMD_CALIBRATE,
     "also write an HTML report to FILE: each parameter's posterior against its "
     "prior (weighted histogram), how much the targets taught (learned), the "
     "pairwise scatter of the weighted particles, and the generations' "
     "tolerance, acceptance and effective sample size; with --check, each "
     "statistic of the era against the model's 90% predictive band"},
    {CLI_OPT_REPORT, "--report", 0, "FILE", CLI_ARG_PATH, CLI_CMD_GAME,
     "also write an HTML report to FILE: the payoff bimatrix as heat maps for "
     "each side with the 95% half-widths, best responses marked and the "
     "equilibria listed"},
    {CLI_OPT_REPORT, "--report", 0, "FILE", CLI_ARG_PATH, CLI_CMD_DECIDE,
     "also write an HTML report to FILE: the options' expected utility, 5th "
     "percentile and regret, the share of worlds each is best in, and bars of "
     "the value of learning each parameter first (EVPPI) with their intervals"},
    {CLI_OPT_REPORT, "--report", 0, "FILE", CLI_ARG_PATH, CLI_CMD_SENSITIVITY | CLI_CMD_DISCOVER,
     "also write an HTML report to FILE: for sensitivity (sobol) a tornado chart "
     "of each output's total-order indices with their intervals beside the "
     "first-order ones, and the sentence naming what drives it (morris: the "
     "mu*-sigma plane of every factor); for discover "
     "the peeling trajectory (coverage against density, the chosen box "
     "marked), the box's bounds, and the sampled points on the two most "
     "significant factors with the box drawn over them"},
    {CLI_OPT_REPORT, "--report", 0, "FILE", CLI_ARG_PATH, CLI_CMD_SWEEP,
     "also write an HTML report of the sweep to FILE: for one swept parameter "
     "line charts of each side's gain, the balance, the spiral and settlement "
     "probabilities with their 95% bands; for two a heat map of the balance; "
     "for more, small multiples of the balance against each parameter"},
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
    {CLI_OPT_QUIET, "--quiet", 'q', NULL, CLI_ARG_NONE,
     CLI_CMD_RUN | CLI_CMD_COMPARE | CLI_CMD_SWEEP,
     "no progress bar (it is drawn only when standard error is a terminal)"},
    {CLI_OPT_JSON, "--json", 0, NULL, CLI_ARG_NONE, CLI_CMD_SCENARIOS,
     "print a JSON array of {\"name\", \"title\"} objects"},
    {CLI_OPT_JSON, "--json", 0, NULL, CLI_ARG_NONE, CLI_CMD_PARAMS,
     "print a JSON object {\"scenario\", \"params\": [...], \"deal\": [...]}"},
    {CLI_OPT_MARKDOWN, "--markdown", 0, NULL, CLI_ARG_NONE, CLI_CMD_COMPARE,
     "print the scorecard as a Markdown table (with --uncertain: the spread "
     "across worlds and the share of worlds each side is favoured in), then "
     "the verdicts"},
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
     "null when not reported); with --stats, the statistics as a JSON array"},
    {CLI_OPT_STATS, "--stats", 0, NULL, CLI_ARG_NONE, CLI_CMD_HISTORY,
     "print the summary statistics the model is compared with, per acting "
     "side and era, each with its 90% interval (docs/TARGETS.md): moves and "
     "persons expelled per year, persons per move, the share of moves "
     "answered and the delay, acts in another currency, caps, and source "
     "arrests per decade (US-RU); the pair defaults to US-RU"},
    {CLI_OPT_ERA, "--era", 0, "FROM:TO", CLI_ARG_TEXT, CLI_CMD_HISTORY,
     "with --stats, the years of one era (also FROM-TO), inclusive; default "
     "the two eras 1986:2013 and 2014:2024"},
    {CLI_OPT_FORMAT, "--format", 0, "text|json|targets", CLI_ARG_CHOICE, CLI_CMD_HISTORY,
     "with --stats: text (default), json (as --json) or targets, the YAML "
     "file 'targets: [{name, side, era, value, sd, interval, n}]' that "
     "calibration reads"},
    /* results store (cmd_runs.c) */
    {CLI_OPT_DB, "--db", 0, "PATH", CLI_ARG_PATH,
     CLI_CMD_RUN | CLI_CMD_COMPARE | CLI_CMD_RUNS | CLI_CMD_EXPORT | CLI_CMD_REPORT | CLI_CMD_DECIDE |
         CLI_CMD_SWEEP | CLI_CMD_SENSITIVITY | CLI_CMD_DISCOVER,
     "the results store, an SQLite file (default $LEGATION_DB, else "
     "legation.db in the current directory)"},
    {CLI_OPT_LABEL, "--label", 0, "TEXT", CLI_ARG_TEXT,
     CLI_CMD_RUN | CLI_CMD_COMPARE | CLI_CMD_SENSITIVITY | CLI_CMD_DISCOVER,
     "a name for the stored run, shown by 'legation runs' and 'runs show' (one line, "
     "at most 200 characters)"},
    {CLI_OPT_NO_STORE, "--no-store", 0, NULL, CLI_ARG_NONE,
     CLI_CMD_RUN | CLI_CMD_COMPARE | CLI_CMD_SWEEP | CLI_CMD_SENSITIVITY | CLI_CMD_DISCOVER,
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
     CLI_CMD_RUN | CLI_CMD_COMPARE | CLI_CMD_SWEEP,
     "seconds between checkpoints saved to the store while running "
     "(default 1; 0 saves one after every block of replications)"},
    {CLI_OPT_JSON, "--json", 0, NULL, CLI_ARG_NONE, CLI_CMD_RUNS,
     "print a JSON array of runs, or for 'runs show ID' the JSON document "
     "'legation run --json' (for a comparison 'legation compare --json') "
     "prints, with a \"run\" object added"},
    {CLI_OPT_FORMAT, "--format", 0, "csv|json", CLI_ARG_CHOICE, CLI_CMD_EXPORT,
     "output format (default csv)"},
    {CLI_OPT_WHAT, "--what", 0,
     "summary|series|reps|events|params|variants|diffs|points|point_params|files",
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
     "narrowing; points (each finished point of a sweep; diff 1 for an "
     "option minus base): run,point,variant,diff,output,n,mean,sd,lo,hi; "
     "point_params: run,point,key,value; files (the full text of every file "
     "each scenario was read from, bases included, as used to rebuild the "
     "run): run,variant,position,key,text"},
    {CLI_OPT_OUTPUT, "--output", 'o', "FILE", CLI_ARG_PATH, CLI_CMD_EXPORT,
     "write to FILE instead of standard output (the file appears whole or "
     "not at all)"},
    /* sweep (cmd_sweep.c) */
    {CLI_OPT_VARY, "--vary", 0, "KEY=LO:HI[:N]", CLI_ARG_LIST, CLI_CMD_SWEEP,
     "sweep KEY from LO to HI (N levels in a grid, default 5), or KEY alone "
     "for its plausible range and distribution from the scenario; may be "
     "repeated"},
    {CLI_OPT_DESIGN, "--design", 0, "grid|lhs|sobol", CLI_ARG_CHOICE, CLI_CMD_SWEEP,
     "how points are made: every combination of the levels (grid, the "
     "default for one or two keys), a Latin hypercube (lhs, the default "
     "above) or a Sobol sequence (sobol, at most 40 keys)"},
    {CLI_OPT_POINTS, "--points", 0, "N", CLI_ARG_POSINT, CLI_CMD_SWEEP,
     "points of an lhs or sobol design (default 100)"},
    {CLI_OPT_REPS, "--reps", 0, "R", CLI_ARG_COUNT, CLI_CMD_SWEEP,
     "replications per point (default 100), with common random numbers "
     "across points and options"},
    {CLI_OPT_POSTERIOR, "--posterior", 0, "ID", CLI_ARG_POSINT, CLI_CMD_SWEEP,
     "also draw the parameters of stored calibration ID ('legation calibrate "
     "--list') from its posterior: each of a point's --reps replications is "
     "a world resampled from the weighted particles, the same worlds at every "
     "point, so a point's interval covers what the calibration left uncertain "
     "as well as noise; the swept keys keep the sweep's values"},
    {CLI_OPT_OPTION, "--option", 0, "FILE", CLI_ARG_LIST, CLI_CMD_SENSITIVITY | CLI_CMD_DISCOVER,
     "a deal option (scenario file or built-in) run with the base under common "
     "random numbers: the outputs then include each output's paired change, "
     "OUTPUT_change (option minus base), e.g. --where \"balance_change > 0\""},
    {CLI_OPT_OPTION, "--option", 0, "FILE", CLI_ARG_LIST, CLI_CMD_SWEEP,
     "also evaluate this deal option (a scenario file or built-in) at every "
     "point, with its paired change from the base; may be repeated"},
    {CLI_OPT_CSV, "--csv", 0, NULL, CLI_ARG_NONE, CLI_CMD_SWEEP,
     "tidy CSV, one row per point and scenario (kind value) or option "
     "minus base (kind change): point,scenario,kind, the swept parameters, "
     "then OUTPUT_mean,OUTPUT_lo,OUTPUT_hi,OUTPUT_n for every output"},
    {CLI_OPT_JSON, "--json", 0, NULL, CLI_ARG_NONE, CLI_CMD_SWEEP,
     "JSON lines, one object per point and scenario: {point, scenario, kind, "
     "params, outputs}"},
    {CLI_OPT_OUTPUT, "--output", 'o', "FILE", CLI_ARG_PATH, CLI_CMD_SWEEP,
     "write the rows to FILE instead of standard output (the file appears "
     "whole or not at all)"},
    {CLI_OPT_RESUME, "--resume", 0, "ID", CLI_ARG_ID, CLI_CMD_SWEEP,
     "finish stored sweep ID after Ctrl-C or a crash, from its last "
     "checkpoint; the rows of points finished before are in the store "
     "('legation export ID --what points')"},
    /* games and decisions (cmd_game.c) */
    {CLI_OPT_STRATEGIES, "--strategies", 0, "FILE", CLI_ARG_PATH, CLI_CMD_GAME,
     "each side's named strategies (YAML: a: and b: lists of {name, set: "
     "{KEY: VALUE}, deal_add: [steps]}; docs/DECISIONS.md)"},
    {CLI_OPT_UTILITY, "--utility", 0, "FILE", CLI_ARG_PATH,
     CLI_CMD_GAME | CLI_CMD_DECIDE | CLI_CMD_OPTIMIZE,
     "each side's utility weights (YAML: a: and b: mappings of own_gain, "
     "other_gain, function, settled, expelled, spiral); default: own gain "
     "minus the other's"},
    {CLI_OPT_REPS, "--reps", 0, "N", CLI_ARG_COUNT, CLI_CMD_GAME,
     "replications per cell (default 2000)"},
    {CLI_OPT_REPS, "--reps", 0, "N", CLI_ARG_COUNT, CLI_CMD_DECIDE,
     "replications, i.e. worlds, per option (default 2000)"},
    {CLI_OPT_REPS, "--reps", 0, "N", CLI_ARG_COUNT, CLI_CMD_OPTIMIZE,
     "replications per evaluation (default 500)"},
    {CLI_OPT_SEED, "--seed", 0, "S", CLI_ARG_U64,
     CLI_CMD_GAME | CLI_CMD_DECIDE | CLI_CMD_OPTIMIZE,
     "random seed, shared by every cell, option or search evaluation (default 1)"},
    {CLI_OPT_THREADS, "--threads", 0, "T", CLI_ARG_THREADS,
     CLI_CMD_GAME | CLI_CMD_DECIDE | CLI_CMD_OPTIMIZE,
     "worker threads, 0 for one per online core (default 0)"},
    {CLI_OPT_SET, "--set", 0, "KEY=VALUE", CLI_ARG_KEYVAL,
     CLI_CMD_GAME | CLI_CMD_DECIDE | CLI_CMD_OPTIMIZE,
     "override one parameter of every scenario; may be repeated"},
    {CLI_OPT_ACCURACY, "--accuracy", 0, "H", CLI_ARG_POSREAL, CLI_CMD_GAME,
     "choose each cell's replications so that both payoffs are within +-H "
     "with 95% confidence (empirical Bernstein bound on a 200-replication "
     "pilot; not with --reps)"},
    {CLI_OPT_NFG, "--nfg", 0, "FILE", CLI_ARG_PATH, CLI_CMD_GAME,
     "with SCENARIO, also write the estimated game to FILE as Gambit .nfg; "
     "without, solve the game in FILE"},
    {CLI_OPT_JSON, "--json", 0, NULL, CLI_ARG_NONE,
     CLI_CMD_GAME | CLI_CMD_DECIDE | CLI_CMD_OPTIMIZE,
     "print one JSON document instead of the text"},
    {CLI_OPT_QUIET, "--quiet", 'q', NULL, CLI_ARG_NONE,
     CLI_CMD_GAME | CLI_CMD_DECIDE | CLI_CMD_OPTIMIZE,
     "no progress bar"},
    {CLI_OPT_SIDE, "--side", 0, "A|B", CLI_ARG_CHOICE, CLI_CMD_DECIDE,
     "the side that decides (default A)"},
    {CLI_OPT_LEVERS, "--levers", 0, "KEY=LO:HI", CLI_ARG_LIST, CLI_CMD_OPTIMIZE,
     "a numeric parameter to choose within [LO, HI] (inside its allowed "
     "range); may be repeated"},
    {CLI_OPT_OBJECTIVE, "--objective", 0, "EXPR", CLI_ARG_TEXT, CLI_CMD_OPTIMIZE,
     "what to maximise ('max EXPR', the default) or minimise ('min EXPR'): "
     "output means with + - * / and parentheses, e.g. 'max value_a - "
     "value_b'"},
    {CLI_OPT_CONSTRAINT, "--constraint", 0, "EXPR", CLI_ARG_LIST, CLI_CMD_OPTIMIZE,
     "a condition on output means, 'EXPR < EXPR' or 'EXPR > EXPR', e.g. "
     "'spiral < 0.1'; may be repeated"},
    {CLI_OPT_MAX_EVALS, "--max-evals", 0, "N", CLI_ARG_COUNT, CLI_CMD_OPTIMIZE,
     "evaluations of the search (default 60)"},
    /* calibration (cmd_calibrate.c) */
    {CLI_OPT_TARGETS, "--targets", 0, "FILE", CLI_ARG_PATH, CLI_CMD_CALIBRATE,
     "the targets, YAML 'targets: [{name, value, sd}]' (optional era and "
     "side; other keys ignored), as 'legation history --stats --format "
     "targets' writes; a test model's own data when not given"},
    {CLI_OPT_ERA, "--era", 0, "FROM:TO", CLI_ARG_TEXT, CLI_CMD_CALIBRATE,
     "the targets: the record's statistics of the years FROM to TO "
     "('legation history --stats'); each simulation runs the era's months"},
    {CLI_OPT_PARAMS, "--params", 0, "KEY,...", CLI_ARG_TEXT, CLI_CMD_CALIBRATE,
     "the parameters to calibrate, comma-separated (a test model's others "
     "stay at the middle of their ranges)"},
    {CLI_OPT_UNCERTAIN, "--uncertain", 0, NULL, CLI_ARG_NONE, CLI_CMD_CALIBRATE,
     "calibrate every parameter the scenario marks uncertain (every "
     "parameter of a test model)"},
    {CLI_OPT_PARTICLES, "--particles", 0, "N", CLI_ARG_COUNT, CLI_CMD_CALIBRATE,
     "particles per generation, 2 or more (default 1000)"},
    {CLI_OPT_GENERATIONS, "--generations", 0, "G", CLI_ARG_COUNT, CLI_CMD_CALIBRATE,
     "at most G generations, generation 0 (the prior) included (default 20)"},
    {CLI_OPT_MIN_TOLERANCE, "--min-tolerance", 0, "EPS", CLI_ARG_NUMBER, CLI_CMD_CALIBRATE,
     "stop after the generation whose tolerance reaches EPS (default 0; a "
     "test model's own)"},
    {CLI_OPT_MIN_ACCEPTANCE, "--min-acceptance", 0, "R", CLI_ARG_NUMBER, CLI_CMD_CALIBRATE,
     "stop when a generation's acceptance rate falls below R, a number in (0, 1] "
     "(default 0.001); a generation that would need more than N/R simulations "
     "is abandoned and the previous one is the result"},
    {CLI_OPT_SEED, "--seed", 0, "S", CLI_ARG_U64, CLI_CMD_CALIBRATE,
     "random seed, an integer from 0 to 18446744073709551615 (default 1)"},
    {CLI_OPT_THREADS, "--threads", 0, "T", CLI_ARG_THREADS, CLI_CMD_CALIBRATE,
     "worker threads, 0 for one per online core (default 0); results do not "
     "depend on it"},
    {CLI_OPT_JSON, "--json", 0, NULL, CLI_ARG_NONE, CLI_CMD_CALIBRATE,
     "print one JSON document: settings, targets, every generation, every "
     "parameter's marginal posterior and the final particles with weights"},
    {CLI_OPT_QUIET, "--quiet", 'q', NULL, CLI_ARG_NONE, CLI_CMD_CALIBRATE,
     "no progress bar and no note of the calibration's id on standard error"},
    {CLI_OPT_DB, "--db", 0, "PATH", CLI_ARG_PATH, CLI_CMD_CALIBRATE,
     "the results store (default $LEGATION_DB, else legation.db in the "
     "current directory)"},
    {CLI_OPT_NO_STORE, "--no-store", 0, NULL, CLI_ARG_NONE, CLI_CMD_CALIBRATE,
     "do not keep the calibration in the results store (it cannot be "
     "resumed)"},
    {CLI_OPT_CHECK, "--check", 0, "ID", CLI_ARG_POSINT, CLI_CMD_CALIBRATE,
     "posterior predictive check of stored calibration ID against the record "
     "of --era FROM:TO (the era it was calibrated on, or a later one for an "
     "out-of-sample check): worlds drawn from the posterior over the era's "
     "length, each simulated statistic's 90% predictive band, and whether the "
     "record falls inside it; a SCENARIO operand is the era's starting state "
     "(e.g. us-russia-2016 for --era 2016:2024), the posterior's parameters "
     "set on it; without it, the calibrated scenario"},
    {CLI_OPT_REPS, "--reps", 0, "N", CLI_ARG_COUNT, CLI_CMD_CALIBRATE,
     "with --check: worlds drawn from the posterior (default 2000)"},
    {CLI_OPT_SET, "--set", 0, "KEY=VALUE", CLI_ARG_KEYVAL, CLI_CMD_CALIBRATE,
     "with --check: override a parameter of the calibrated scenario (e.g. a "
     "deliberately wrong model, to see the check fail)"},
    {CLI_OPT_LIST, "--list", 0, NULL, CLI_ARG_NONE, CLI_CMD_CALIBRATE,
     "list the calibrations in the results store, newest first: id, start "
     "(UTC), scenario, particles, generations done and asked for, status "
     "(incomplete ones can be resumed) and why it stopped"},
    {CLI_OPT_RESUME, "--resume", 0, "ID", CLI_ARG_ID, CLI_CMD_CALIBRATE,
     "finish stored calibration ID after Ctrl-C or kill -9: scenario, "
     "targets, parameters, particles, generations and seed come from the "
     "store (so none of those options), and the result equals an "
     "uninterrupted calibration's"},
    /* sensitivity (cmd_sensitivity.c) */
    {CLI_OPT_PARAMS, "--params", 0, "K,K,...", CLI_ARG_TEXT,
     CLI_CMD_SENSITIVITY | CLI_CMD_DISCOVER,
     "the parameters to vary, over their plausible ranges (see 'legation "
     "params'); not for test:* models, whose factors are fixed"},
    {CLI_OPT_UNCERTAIN, "--uncertain", 0, NULL, CLI_ARG_NONE,
     CLI_CMD_SENSITIVITY | CLI_CMD_DISCOVER,
     "vary every parameter the scenario marks uncertain (the default)"},
    {CLI_OPT_GROUPS, "--groups", 0, "FILE", CLI_ARG_PATH, CLI_CMD_DECIDE,
     "with --uncertain: also the value of learning each group of parameters "
     "first (EVPPI of the group, learned together), groups in the format of "
     "'legation sensitivity --groups' (docs/examples/groups-2025.txt)"},
    {CLI_OPT_GROUPS, "--groups", 0, "FILE", CLI_ARG_PATH, CLI_CMD_SENSITIVITY,
     "groups of factors, one a line 'NAME: factor, factor, ...' ('#' "
     "comments); each group's columns are swapped together and get one "
     "pair of indices; a factor in no group is its own group (sobol only)"},
    {CLI_OPT_METHOD, "--method", 0, "sobol|morris", CLI_ARG_CHOICE, CLI_CMD_SENSITIVITY,
     "Sobol indices (default) or Morris elementary effects"},
    {CLI_OPT_N, "--n", 0, "N", CLI_ARG_SIZE, CLI_CMD_SENSITIVITY,
     "sobol: base points N, best a power of two (default 1024); morris: "
     "trajectories (default 20)"},
    {CLI_OPT_LEVELS, "--levels", 0, "P", CLI_ARG_SIZE, CLI_CMD_SENSITIVITY,
     "morris: grid levels, even (default 4; the jump is P / (2 (P - 1)) of "
     "the range)"},
    {CLI_OPT_REPS, "--reps", 0, "R", CLI_ARG_COUNT, CLI_CMD_SENSITIVITY | CLI_CMD_DISCOVER,
     "replications per point (default 1 for test:* models, 20 for a "
     "scenario); replication r of every point draws the same random numbers"},
    {CLI_OPT_WHERE, "--where", 0, "\"OUTPUT OP NUMBER\"", CLI_ARG_TEXT, CLI_CMD_DISCOVER,
     "the condition to explain, OP one of < <= > >=, e.g. \"balance_change > "
     "0\" (required)"},
    {CLI_OPT_POINTS, "--points", 0, "N", CLI_ARG_SIZE, CLI_CMD_DISCOVER,
     "points to evaluate, half to find the box and half to check it "
     "(default 2000)"},
    {CLI_OPT_THRESHOLD, "--threshold", 0, "D", CLI_ARG_SHARE, CLI_CMD_DISCOVER,
     "choose the first box on the trajectory whose density reaches D "
     "(default 0.8); the densest if none does"},
    {CLI_OPT_BOX, "--box", 0, "STEP", CLI_ARG_SIZE, CLI_CMD_DISCOVER,
     "choose this step of the peeling trajectory instead (after looking at "
     "the trade-off between coverage and density)"},
    {CLI_OPT_SEED, "--seed", 0, "S", CLI_ARG_U64, CLI_CMD_SENSITIVITY | CLI_CMD_DISCOVER,
     "random seed (default 1): the design's digital shift, the bootstrap, "
     "the trajectories, the held-out split and the simulation's streams"},
    {CLI_OPT_JSON, "--json", 0, NULL, CLI_ARG_NONE, CLI_CMD_SENSITIVITY | CLI_CMD_DISCOVER,
     "print one JSON document instead of the tables (docs/SENSITIVITY.md)"},
    {CLI_OPT_POSTERIOR, "--posterior", 0, "ID", CLI_ARG_POSINT, CLI_CMD_SENSITIVITY,
     "take the parameters of stored calibration ID ('legation calibrate --list') "
     "from its posterior, as one input 'posterior' whose coordinate u in [0, 1) "
     "picks the particle where the weights' cumulative distribution passes u, so "
     "their dependence is kept; the other uncertain parameters vary over their "
     "ranges, and the calibrated ones are no factors of their own"},
    {CLI_OPT_RESUME, "--resume", 0, "ID", CLI_ARG_ID, CLI_CMD_SENSITIVITY | CLI_CMD_DISCOVER,
     "finish stored study ID after Ctrl-C or kill -9: scenario, option, "
     "overrides, factors, groups, method, sizes and seed come from the store "
     "(so no operand and none of those options); its stored points are taken "
     "as they are and the rest evaluated, so the result equals an "
     "uninterrupted study's"},
    {CLI_OPT_QUIET, "--quiet", 'q', NULL, CLI_ARG_NONE, CLI_CMD_SENSITIVITY | CLI_CMD_DISCOVER,
     "no progress bar (it is drawn only when standard error is a terminal)"},
    /* the web server (cmd_serve.c) */
    {CLI_OPT_BIND, "--bind", 0, "ADDR", CLI_ARG_TEXT, CLI_CMD_SERVE,
     "the IPv4 or IPv6 address to listen on (default 127.0.0.1); an address "
     "other than loopback needs --token"},
    {CLI_OPT_PORT, "--port", 0, "N", CLI_ARG_TEXT, CLI_CMD_SERVE,
     "the TCP port, 0 to 65535 (default 8080; 0 picks a free port, printed "
     "at start)"},
    {CLI_OPT_TOKEN, "--token", 0, "T", CLI_ARG_TEXT, CLI_CMD_SERVE,
     "require 'Authorization: Bearer T' on every request (16 to 256 "
     "printable characters)"},
    {CLI_OPT_DB, "--db", 0, "PATH", CLI_ARG_PATH, CLI_CMD_SERVE,
     "keep every job and its run in this results store (an existing "
     "SQLite file), checkpointed, and list its runs at /api/runs; a server "
     "started again on it lists the jobs left queued or running as "
     "interrupted, resumable (POST /api/jobs/ID/resume).  Without it jobs "
     "live in memory and the list of runs is empty"},
    {CLI_OPT_JOBS, "--jobs", 0, "N", CLI_ARG_POSINT, CLI_CMD_SERVE,
     "jobs run at once, each on one thread (default 2, at most 64)"},
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
    {"legation history --stats --era 1986-2015 --format targets > t.yaml",
     "The record's summary statistics for 1986-2015 as a targets file."},
    {"legation runs", "List the stored runs; 'legation run --resume ID' finishes an "
                      "incomplete one."},
    {"legation export 3 --what series -o series.csv",
     "The monthly bands of run 3 as a tidy CSV for pandas or R."},
    {"legation game us-russia-2025 --strategies strategies.yaml --reps 500 --nfg deal.nfg",
     "All equilibria of the two sides' strategies, with the game saved for Gambit."},
    {"legation decide us-russia-2025 --side A",
     "The robust US choice among the built-in 2025 options."},
    {"legation optimize us-russia-2025 --levers states.a.ci_agents=300:1200 "
     "--objective 'max balance' --constraint 'spiral < 0.4'",
     "The counterintelligence budget that maximises the US balance, keeping the spiral "
     "probability under 40%."},
    {"legation calibrate test:beta-binomial --particles 2000 --seed 7",
     "Check the calibration against an exact posterior: Beta(7, 15)."},
    {"legation sensitivity test:ishigami --n 16384",
     "Sobol indices of the Ishigami function, to check against the known answer."},
    {"legation discover test:box --where \"y > 0.5\"",
     "Find the planted box of the PRIM test model."},
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
