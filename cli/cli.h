/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli.h - internal declarations shared by the files of the legation CLI
 * (cli_ prefix).  The CLI is a client of include/legation.h only; nothing
 * here is library API.  What it shows is computed by the library (the
 * scorecard and verdicts in src/analysis/scorecard.c and verdict.c, the
 * report's data in report_data.c, the recording in src/store/session.c),
 * so that the server shows the same; the CLI parses and prints.
 *
 * Reading order: table.c (commands, options, exit codes: the one table that
 * drives parsing, --help and the man page), main.c (dispatch and option
 * parsing), cmd_run.c, cmd_compare.c (compare under common random
 * numbers), cmd_info.c (validate, scenarios, params), report.h/report.c/
 * report_cmd.c (the HTML report and `report`), output.c
 * (results as text, JSON or CSV), progress.c (progress bar and SIGINT),
 * help.c (help text and the man page), util.c (messages, numbers, files).
 */
#ifndef LEGATION_CLI_H
#define LEGATION_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "legation.h"

/* ------------------------------------------------------------ exit codes */

/* X(enum, code, meaning): documented in --help, the man page and docs. */
#define CLI_EXIT_MAP(X)                                                        \
  X(CLI_EXIT_OK, 0, "success")                                                 \
  X(CLI_EXIT_RUN, 1,                                                           \
    "the run failed: a model or run-time error, or out of memory")             \
  X(CLI_EXIT_USAGE, 2,                                                         \
    "usage error: unknown command or option, missing or malformed argument")   \
  X(CLI_EXIT_DATA, 3,                                                          \
    "scenario or data error: syntax, schema, value out of range, unknown "     \
    "scenario or parameter")                                                   \
  X(CLI_EXIT_IO, 4, "input/output error: a file could not be read or written") \
  X(CLI_EXIT_INTR, 130,                                                        \
    "interrupted (SIGINT): the replications that finished are reported")

enum {
#define CLI_X_(e, code, msg) e = code,
  CLI_EXIT_MAP(CLI_X_)
#undef CLI_X_
};

/* ---------------------------------------------------------- the table */

/* Commands, as bits so that one option row can serve several commands. */
enum {
  CLI_CMD_RUN = 1 << 0,
  CLI_CMD_VALIDATE = 1 << 1,
  CLI_CMD_SCENARIOS = 1 << 2,
  CLI_CMD_PARAMS = 1 << 3,
  CLI_CMD_HELP = 1 << 4,
  CLI_CMD_COMPARE = 1 << 5,
  CLI_CMD_REPORT = 1 << 6,
  CLI_CMD_HISTORY = 1 << 7, /* cmd_history.c */
  CLI_CMD_RUNS = 1 << 8,    /* cmd_runs.c */
  CLI_CMD_EXPORT = 1 << 9,  /* cmd_runs.c */
  CLI_CMD_SWEEP = 1 << 10,  /* cmd_sweep.c */
  CLI_CMD_GAME = 1 << 11,    /* cmd_game.c */
  CLI_CMD_DECIDE = 1 << 12,  /* cmd_game.c */
  CLI_CMD_OPTIMIZE = 1 << 13, /* cmd_game.c */
  CLI_CMD_CALIBRATE = 1 << 14, /* cmd_calibrate.c */
  CLI_CMD_SENSITIVITY = 1 << 15, /* cmd_sensitivity.c */
  CLI_CMD_DISCOVER = 1 << 16,    /* cmd_sensitivity.c */
  CLI_CMD_NEW = 1 << 17,    /* cmd_new.c */
  CLI_CMD_SERVE = 1 << 18,  /* cmd_serve.c */
  /* every command, present and future (--help) */
  CLI_CMD_ALL = 0x7fffffff
};

/* What an option does with its argument; the parser checks the argument
 * by this kind before the command sees it. */
typedef enum cli_argkind {
  CLI_ARG_NONE,    /* a flag */
  CLI_ARG_COUNT,   /* integer in [1, INT64_MAX] */
  CLI_ARG_U64,     /* integer in [0, UINT64_MAX], every bit exact */
  CLI_ARG_THREADS, /* integer in [0, CLI_MAX_THREADS] */
  CLI_ARG_MONTHS,  /* integer in [1, INT32_MAX]; the library checks the range */
  CLI_ARG_KEYVAL,  /* key.path=value (repeatable) */
  CLI_ARG_PATH,    /* a file name, "-" for standard output where documented */
  /* history (cmd_history.c) */
  CLI_ARG_TEXT,    /* non-empty text the command checks (--pair, --action) */
  CLI_ARG_YEAR,    /* integer in [1, 9999] */
  /* results store (cmd_runs.c) */
  CLI_ARG_ID,      /* a stored run's id, integer in [1, INT64_MAX] */
  CLI_ARG_SECONDS, /* seconds, a decimal number >= 0 */
  CLI_ARG_CHOICE,  /* one of the words in the row's metavariable "a|b|c" */
  /* uncertainty and sweeps (cmd_sweep.c) */
  CLI_ARG_LIST,    /* non-empty text, repeatable: kept in order per option
                      (--vary, --min-effect, --option, --levers, --constraint) */
  CLI_ARG_POSINT,  /* integer in [1, INT64_MAX] for a count other than --reps */
  /* games and decisions (cmd_game.c) */
  CLI_ARG_POSREAL, /* a finite decimal number > 0 */
  /* calibration (cmd_calibrate.c) */
  CLI_ARG_NUMBER,  /* a finite decimal number >= 0 */
  /* sensitivity (cmd_sensitivity.c) */
  CLI_ARG_SIZE,    /* integer in [1, INT64_MAX] (--n, --points, --box, --levels) */
  CLI_ARG_SHARE    /* a decimal number in [0, 1] (--threshold) */
} cli_argkind;

/* The library refuses more (legation_run_set_threads); not in its header yet. */
#define CLI_MAX_THREADS 1024

typedef enum cli_opt_id {
  CLI_OPT_HELP,
  CLI_OPT_REPS,
  CLI_OPT_SEED,
  CLI_OPT_THREADS,
  CLI_OPT_MONTHS,
  CLI_OPT_SET,
  CLI_OPT_JSON,
  CLI_OPT_CSV,
  CLI_OPT_MARKDOWN,
  CLI_OPT_EVENTS,
  CLI_OPT_REPORT,
  CLI_OPT_QUIET,
  CLI_OPT_MAN,
  CLI_OPT_OUTPUT,
  /* history (cmd_history.c) */
  CLI_OPT_PAIR,
  CLI_OPT_FROM,
  CLI_OPT_TO,
  CLI_OPT_ACTION,
  CLI_OPT_STATS,
  CLI_OPT_ERA,
  /* results store (cmd_runs.c) */
  CLI_OPT_DB,
  CLI_OPT_NO_STORE,
  CLI_OPT_KEEP_REPS,
  CLI_OPT_STORE_EVENTS,
  CLI_OPT_RESUME,
  CLI_OPT_CHECKPOINT,
  CLI_OPT_FORMAT,
  CLI_OPT_WHAT,
  /* uncertainty and sweeps */
  CLI_OPT_UNCERTAIN,
  CLI_OPT_VARY,
  CLI_OPT_REPS_PER_WORLD,
  CLI_OPT_MIN_EFFECT,
  CLI_OPT_DESIGN,
  CLI_OPT_POINTS,
  CLI_OPT_OPTION,
  /* games and decisions (cmd_game.c) */
  CLI_OPT_STRATEGIES,
  CLI_OPT_UTILITY,
  CLI_OPT_ACCURACY,
  CLI_OPT_NFG,
  CLI_OPT_SIDE,
  CLI_OPT_LEVERS,
  CLI_OPT_OBJECTIVE,
  CLI_OPT_CONSTRAINT,
  CLI_OPT_MAX_EVALS,
  /* calibration (cmd_calibrate.c) */
  CLI_OPT_TARGETS,
  CLI_OPT_PARAMS,
  CLI_OPT_PARTICLES,
  CLI_OPT_GENERATIONS,
  CLI_OPT_MIN_TOLERANCE,
  CLI_OPT_MIN_ACCEPTANCE,
  CLI_OPT_LIST,
  /* sensitivity (cmd_sensitivity.c) */
  CLI_OPT_GROUPS,
  CLI_OPT_METHOD,
  CLI_OPT_N,
  CLI_OPT_WHERE,
  CLI_OPT_THRESHOLD,
  CLI_OPT_BOX,
  CLI_OPT_LEVELS,
  /* calibrated uncertainty */
  CLI_OPT_POSTERIOR,
  CLI_OPT_CHECK,
  CLI_OPT_LABEL,
  /* the web server (cmd_serve.c) */
  CLI_OPT_BIND,
  CLI_OPT_PORT,
  CLI_OPT_TOKEN,
  CLI_OPT_JOBS,
  CLI_OPT_COUNT_
} cli_opt_id;

/* One option row: a flag of the commands in `cmds`. */
typedef struct cli_opt {
  cli_opt_id id;
  const char *name;  /* "--reps" */
  char shortname;    /* 'h' for -h, 0 if none */
  const char *arg;   /* metavariable "N", NULL for a flag */
  cli_argkind kind;
  unsigned cmds;     /* CLI_CMD_* bits of the commands that take it */
  const char *help;  /* one sentence, no trailing newline */
} cli_opt;

struct cli_args;
typedef int (*cli_cmd_fn)(const struct cli_args *a);

/* One command row. */
typedef struct cli_cmd {
  const char *name;     /* "run" */
  unsigned bit;         /* CLI_CMD_RUN */
  const char *operands; /* synopsis of the positional arguments */
  int min_pos, max_pos; /* positional argument count; max -1 = unbounded */
  cli_cmd_fn fn;
  const char *summary;     /* one line for the command list */
  const char *description; /* a paragraph; help.c wraps it */
} cli_cmd;

/* A worked example for --help and the man page. */
typedef struct cli_example {
  const char *command; /* "legation run --reps 500" */
  const char *what;
} cli_example;

extern const cli_cmd cli_cmds[];
extern const int cli_ncmds;
extern const cli_opt cli_opts[];
extern const int cli_nopts;
extern const cli_example cli_examples[];
extern const int cli_nexamples;
/* One-paragraph description of the program (help and man page). */
extern const char cli_program_description[];

/* Find a command by name; NULL if unknown. */
const cli_cmd *cli_cmd_find(const char *name);

/* ------------------------------------------------------ parsed arguments */

typedef struct cli_args {
  const cli_cmd *cmd;
  char **pos;           /* positional arguments (borrowed from argv) */
  int npos;
  const char **sets;    /* --set arguments in order (borrowed from argv) */
  int nsets;
  int given[CLI_OPT_COUNT_]; /* how often each option was given */
  int64_t reps;         /* --reps, default 2000 */
  uint64_t seed;        /* --seed, default 1 */
  int threads;          /* --threads, default 0 = all cores */
  int64_t months;       /* --months, 0 if not given */
  const char *events;   /* --events FILE or NULL */
  const char *report;   /* --report FILE or NULL */
  const char *output;   /* -o/--output FILE or NULL */
  /* history (cmd_history.c) */
  const char *pair;     /* --pair A-B or NULL */
  const char *action;   /* --action NAME or NULL */
  const char *label;    /* --label TEXT or NULL (results store) */
  int from, to;         /* --from/--to years, 0 if not given */
  const char *era;      /* --era FROM:TO or NULL (history --stats) */
  /* results store (cmd_runs.c) */
  const char *db;       /* --db PATH or NULL (then $LEGATION_DB, ./legation.db) */
  int64_t resume;       /* --resume ID, 0 if not given */
  double checkpoint;    /* --checkpoint SECONDS, -1 if not given */
  const char *format;   /* --format WORD or NULL */
  const char *what;     /* --what WORD or NULL */
  /* uncertainty and sweeps */
  const char **vary;    /* --vary arguments in order */
  int nvary;
  const char **min_effects; /* --min-effect OUTPUT=DELTA in order */
  int nmin_effects;
  const char **options; /* --option FILE in order (sweep) */
  int noptions;
  int64_t reps_per_world; /* --reps-per-world, 0 if not given */
  int64_t points;       /* --points, 0 if not given */
  const char *design;   /* --design WORD or NULL */
  /* games and decisions (cmd_game.c) */
  const char *strategies; /* --strategies FILE or NULL */
  const char *utility;  /* --utility FILE or NULL */
  const char *nfg;      /* --nfg FILE or NULL */
  const char *side;     /* --side A|B or NULL (A) */
  const char *objective;/* --objective EXPR or NULL */
  double accuracy;      /* --accuracy H, 0 if not given */
  int64_t max_evals;    /* --max-evals N, 0 if not given */
  const char **levers;  /* --levers arguments in order (borrowed from argv) */
  int nlevers;
  const char **constraints; /* --constraint arguments in order */
  int nconstraints;
  /* calibration (cmd_calibrate.c) */
  const char *targets;  /* --targets FILE or NULL */
  const char *params;   /* --params K,... or NULL */
  int64_t particles;    /* --particles, default 1000 */
  int64_t generations;  /* --generations, default 20 */
  double min_tolerance; /* --min-tolerance, NaN if not given */
  double min_acceptance; /* --min-acceptance, NaN if not given */
  /* sensitivity (cmd_sensitivity.c; also --params, --points) */
  const char *groups;   /* --groups FILE or NULL */
  const char *method;   /* --method WORD or NULL (sobol) */
  const char *where;    /* --where EXPR or NULL */
  int64_t n;            /* --n, 0 if not given */
  double threshold;     /* --threshold, -1 if not given */
  int64_t box;          /* --box STEP, 0 if not given */
  int64_t levels;       /* --levels P, 0 if not given */
  int64_t posterior;    /* --posterior ID (a calibration), 0 if not given */
  int64_t check;        /* calibrate --check ID, 0 if not given */
  /* the web server (cmd_serve.c) */
  const char *bind;     /* --bind ADDR or NULL (127.0.0.1) */
  const char *port;     /* --port N as given, or NULL (8080) */
  const char *token;    /* --token T or NULL */
  int64_t jobs;         /* --jobs N, 0 if not given */
} cli_args;

/* ------------------------------------------------------------- commands */

int cli_cmd_run(const cli_args *a);
int cli_cmd_sweep(const cli_args *a);
/* Pass --reps, --seed and --threads to a run; a refused value is a usage
 * error (returns the exit code, 0 when all were accepted). */
int cli_configure_run(legation_run *run, const cli_args *a);
/* --uncertain, --vary and --reps-per-world (cmd_run.c); an exit code. */
int cli_configure_uncertainty(legation_run *run, const cli_args *a);
/* The seed as an exact JSON integer, or a decimal string above INT64_MAX. */
struct json_t;
struct json_t *cli_json_seed(uint64_t seed);
/* x as a JSON real, or null when it is not finite (NaN, inf). */
struct json_t *cli_json_num(double x);
/* Write text filled to 79 columns: the first line continues at column col,
 * later lines start at column indent; ends with a newline. */
void cli_wrap(FILE *f, const char *text, int col, int indent);
/* "2 threads", "2 threads (all cores)" for a --threads value. */
void cli_threads_text(char *buf, size_t n, int threads);
int cli_cmd_validate(const cli_args *a);
int cli_cmd_scenarios(const cli_args *a);
int cli_cmd_params(const cli_args *a);
int cli_cmd_new(const cli_args *a);
int cli_cmd_help(const cli_args *a);
int cli_cmd_compare(const cli_args *a); /* cmd_compare.c */
int cli_cmd_report(const cli_args *a);  /* report_cmd.c */
int cli_cmd_history(const cli_args *a); /* cmd_history.c */
int cli_cmd_runs(const cli_args *a);    /* cmd_runs.c */
int cli_cmd_export(const cli_args *a);  /* cmd_runs.c */
/* Table `what` of stored run id as CSV to f, as `legation export ID --what
 * WHAT` prints it (cmd_runs.c; also GET /api/runs/{id}/export).
 * LEGATION_ENOTFOUND: no such run, or its replications or events were not
 * stored; LEGATION_EINVAL: an unknown table (err lists the tables);
 * LEGATION_EINTR: f failed.  err gets the message. */
legation_status cli_export_csv(legation_store *st, int64_t id, const char *what, FILE *f,
                               char *err, size_t errn);
int cli_cmd_game(const cli_args *a);    /* cmd_game.c */
int cli_cmd_decide(const cli_args *a);  /* cmd_game.c */
int cli_cmd_optimize(const cli_args *a); /* cmd_game.c */
int cli_cmd_calibrate(const cli_args *a); /* cmd_calibrate.c */
int cli_calibrate_check(const cli_args *a); /* cmd_check.c: calibrate --check */
int cli_cmd_sensitivity(const cli_args *a); /* cmd_sensitivity.c */
int cli_cmd_discover(const cli_args *a);    /* cmd_sensitivity.c */
int cli_cmd_serve(const cli_args *a);       /* cmd_serve.c */

/* ----------------------------------------------------------------- help */

/* Usage and options of command c (NULL = the program) on f. */
void cli_help(FILE *f, const cli_cmd *c);
/* The manual page, troff, generated from the table. */
void cli_manpage(FILE *f);
/* "see 'legation run --help'" hint after a usage error. */
int cli_usage_error(const cli_cmd *c, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* ----------------------------------------------------------------- util */

/* Print "legation: " + message + newline on stderr; a message of several
 * lines gets the prefix on each, control characters are shown as '?'. */
void cli_err(const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 1, 2)))
#endif
    ;
/* Print every line of a library message, each prefixed "legation: ". */
void cli_err_lines(const char *msg);
/* Warn on stderr, naming them, about the behavioural parameters (a state's
 * decision rules, the pair's relations) that sc leaves at the table's
 * generic defaults, when sc has no base (a new pair).  what names the
 * scenario in the message.  Prints nothing otherwise. */
void cli_warn_table_defaults(const legation_scenario *sc, const char *what);
/* Exit code for a library status. */
int cli_exit_for(legation_status st);

/* Strict decimal parsers: digits only, no sign, no space, no junk;
 * 0 on success, -1 on junk, -2 on overflow. */
int cli_parse_u64(const char *s, uint64_t *out);

/* Resolve a scenario operand: an existing file is loaded as a file, else a
 * built-in name.  NULL loads the default built-in.  Messages are printed
 * (prefixed with the command name); returns an exit code. */
#define CLI_DEFAULT_SCENARIO "us-russia-2025"
int cli_load_scenario(legation_scenario *sc, const char *cmd, const char *operand);
/* Apply --months (the horizon parameter); a refused value is reported as
 * "CMD: --months: ..."; returns an exit code. */
int cli_set_months(legation_scenario *sc, const char *cmd, int64_t months);
/* Apply --set arguments in order; prints messages; returns an exit code. */
int cli_apply_sets(legation_scenario *sc, const char *cmd, const char *const *sets,
                   int nsets);

/* Shortest text that reads back as the same double ("%.15g" .. "%.17g");
 * "" for NaN and infinities. buf needs 32 bytes. */
const char *cli_fmt_real(char *buf, size_t bufsz, double x);
/* Write s as one CSV field (quoted when it holds , " CR or LF). */
void cli_csv_field(FILE *f, const char *s);

/* Every output file (--report, --events, -o) goes through these.  An
 * output that is the results store (or its -wal, -shm, -journal file) or a
 * scenario operand is refused (exit 2).  A symbolic link is followed and
 * its target written.  A regular or new file is written whole or not at
 * all: data goes to TARGET.tmp.PID, fsync'd and renamed over TARGET on
 * commit (keeping TARGET's permissions), removed on abort.  A character
 * device or FIFO is written in place, never replaced; other file types are
 * refused.  "-" (where allowed) writes to stdout directly. */
typedef struct cli_atomic {
  FILE *f;
  int fd;             /* the descriptor under f, -1 if none */
  int inplace;        /* writing a device or FIFO directly */
  int err;            /* first write error (errno), 0 if none */
  const char *shown;  /* the name as given, for messages (borrowed) */
  char *path;         /* the file written (links followed), NULL for stdout */
  char *tmp;          /* temporary name, NULL when in place */
} cli_atomic;
/* Refuse an output path early, before a run (the store, a scenario
 * operand); prints the message, returns an exit code.  NULL and "-" pass. */
int cli_output_check(const cli_args *a, const char *path);
/* Open path for command a->cmd; prints the message and returns an exit
 * code (0, 2 for a refused path, 4 when it cannot be written). */
int cli_atomic_open(cli_atomic *af, const cli_args *a, const char *path);
/* Flush, fsync, close and rename; prints the message with its cause and
 * returns -1 on failure (an exit 4). */
int cli_atomic_commit(cli_atomic *af, const char *cmd);
/* Close and remove the temporary file (no message). */
void cli_atomic_abort(cli_atomic *af);

/* ------------------------------------------------------------- progress */

/* Install the SIGINT handler (sets the flag; a second ^C kills). */
void cli_sigint_install(void);
/* Nonzero once SIGINT arrived. */
int cli_interrupted(void);

typedef struct cli_progress {
  int show;          /* draw a bar (stderr is a tty and not --quiet) */
  int drawn;         /* something is on the line, clear it at the end */
  double start;      /* monotonic seconds at start */
  double last;       /* monotonic seconds of the last redraw */
} cli_progress;
void cli_progress_init(cli_progress *p, int show);
/* legation_progress_fn: draws, and returns nonzero after SIGINT. */
int cli_progress_cb(void *user, int64_t done, int64_t total);
/* Clear the bar's line. */
void cli_progress_done(cli_progress *p);

/* ---------------------------------------------------------- results store */

/* cmd_runs.c.  The store's file: --db, else $LEGATION_DB, else
 * CLI_DEFAULT_DB. */
#define CLI_DEFAULT_DB "legation.db"
const char *cli_store_path(const cli_args *a);
/* Open the store for command `cmd`, creating it only when `create` (reading
 * commands refuse a missing file instead of leaving an empty one); prints the
 * message and returns an exit code (0 with *out set on success; close it
 * with legation_store_close). */
int cli_store_open(const cli_args *a, const char *cmd, int create, legation_store **out);
/* Parse a run id operand ("12"); prints a usage error and returns an exit
 * code, 0 on success. */
int cli_parse_run_id(const cli_args *a, const char *s, int64_t *id);

/* `legation run`, `compare` and `sweep` recording into the store
 * (cmd_runs.c) through a legation_session. */
typedef struct cli_store_rec {
  const char *cmd;       /* "run", "compare" or "sweep", for messages */
  legation_session *ses; /* NULL: not storing (--no-store, or it failed) */
  legation_store *st;    /* the session's store while it is used (borrowed);
                            NULL when not storing or after a failure */
  const char *path;      /* the store's file */
  int64_t id;            /* the run's id in the store */
  int64_t reps;          /* replications requested (from the store on --resume) */
  int store_events;      /* events go to the store */
  cli_progress *prog;    /* the progress bar the callback draws */
  int quiet;
  int failed;            /* exit code of a store failure during the run, 0 */
} cli_store_rec;
/* For --resume: check the options, open the store and rebuild run ID with
 * its checkpoint into *run (a comparison only by `compare`, a run of one
 * scenario only by `run`), and make the session that will record it.  Else
 * does nothing.  Returns an exit code. */
int cli_store_rebuild(cli_store_rec *rec, const cli_args *a, legation_run **run);
/* `runs show ID` (report NULL: the tables, or JSON with --json) and
 * `report ID -o FILE` of stored study ID (a Sobol, Morris or discover kind
 * of legation_store_run_kind), replayed from its points alone (nothing is
 * simulated; cmd_sensitivity.c).  Returns an exit code. */
int cli_study_replay(const cli_args *a, int64_t id, const char *report);
/* Just before legation_run_execute: record the run (a new row, or the
 * resumed one; legation_session_begin) with the progress bar chained
 * before the checkpoints, the replication sink and, when no --events file
 * takes them, the event sink.  operands: the scenario operand of each
 * variant as given (NULL: the default built-in), whose texts are stored.
 * Returns an exit code. */
int cli_store_begin(cli_store_rec *rec, const cli_args *a, legation_run *run, cli_progress *prog,
                    const char *const *operands, int noperands);
/* After legation_run_execute: save the outcome, print "stored as run N"
 * (unless --quiet) and free the session.  Returns an exit code; nonzero
 * (4, message printed) when the store could not be written, which is what
 * stopped a run that returned LEGATION_EINTR without a SIGINT. */
int cli_store_end(cli_store_rec *rec, const legation_run *run, legation_status st);
/* legation_store_operands with its message printed (prefixed by cmd);
 * returns an exit code.  Free with legation_store_operands_free. */
int cli_store_labels(legation_store *st, const char *cmd, int64_t id, char ***labels, int *n);

/* A finished (or rebuilt) comparison, for its text and JSON (cmd_compare.c;
 * also `runs show` and `report` of a stored comparison). */
typedef struct cli_compare_view {
  const legation_run *run;
  int64_t reps_asked;
  int threads_asked;
  legation_status status;      /* of legation_run_execute */
  const char *const *labels;   /* each variant's operand as given */
  int nlabels;
  double seconds;              /* > 0: shown instead of legation_run_seconds */
  const char *const *min_effects; /* --min-effect OUTPUT=DELTA, NULL = defaults */
  int nmin_effects;
  int options_default;         /* the options are the built-in BASE-* (none
                                  named): the report sorts them by effect */
} cli_compare_view;
/* Check --min-effect arguments before running; an exit code. */
int cli_check_min_effects(const cli_args *a);
/* The scorecard, narrowing and every output's paired difference. */
void cli_compare_text(FILE *f, const cli_compare_view *c);
/* The scorecard as a Markdown table and the verdicts (compare --markdown). */
void cli_compare_markdown(FILE *f, const cli_compare_view *c);
/* The `compare --csv` table: one row per scenario and output, with the
 * paired difference of each option. */
void cli_compare_csv(FILE *f, const cli_compare_view *c);
/* The `compare --json` document; 0 or -1 (out of memory). */
int cli_compare_json(FILE *f, const cli_compare_view *c);

/* --------------------------------------------------------------- output */

/* Everything the output writers need to describe a finished run. */
typedef struct cli_result {
  const legation_run *run;
  const legation_scenario *sc; /* the run's scenario */
  int64_t reps_asked;
  int threads_asked;
  legation_status status;      /* of legation_run_execute */
  double seconds;              /* > 0: shown instead of legation_run_seconds
                                  (a run rebuilt from the store) */
} cli_result;

/* Readable summary. */
void cli_output_text(FILE *f, const cli_result *r);
/* A world summary, and every output of variant v across worlds, as JSON
 * (output.c; docs/JSON.md "uncertainty"). */
struct json_t *cli_json_world(const legation_world_stat *w);
struct json_t *cli_json_worlds(const legation_run *run, int v);
/* One JSON document (docs/JSON.md); returns 0 or -1 (out of memory). */
int cli_output_json(FILE *f, const cli_result *r);
/* One row per output. */
void cli_output_csv(FILE *f, const cli_result *r);

/* The HTML report (report.c).  Before executing a run whose report is
 * wanted: keep every replication's outputs for the histograms when they fit
 * in memory.  After: write the report of r to path; returns an exit code. */
void cli_report_prepare(legation_run *run, int64_t reps);
int cli_report_run(const cli_args *a, const char *path, const cli_result *r);

#endif
