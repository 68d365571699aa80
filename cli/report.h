/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * report.h - internal to the CLI (cli_ prefix): the scorecard and paired
 * differences of a comparison (cmd_compare.c) and the self-contained HTML
 * report (report.c) shared by `run --report`, `compare --report` and
 * `report`.  Only the files that build JSON include this header, so cli.h
 * stays free of jansson.
 */
#ifndef LEGATION_CLI_REPORT_H
#define LEGATION_CLI_REPORT_H

#include <jansson.h>

#include "cli.h"

/* ------------------------------------------------------------- report */

/* Per-replication values of the histogram outputs (balance, expulsions),
 * per variant, gathered while a run executes; without them the report
 * draws each histogram from the quantiles and says so. */
typedef struct cli_repvals {
  int nvar;       /* variants (1 for a plain run) */
  int64_t first;  /* replication index of slot 0 */
  int64_t nreps;  /* slots per variant and output */
  double *v;      /* [variant][hist output][rep]; NaN where not delivered */
} cli_repvals;

/* Number of histogram outputs and their library output names. */
#define CLI_REPORT_NHIST 2
extern const char *const cli_report_hist_outputs[CLI_REPORT_NHIST];

/* Allocate slots for nvar variants x nreps replications (all NaN); -1 on
 * OOM or when the run is too large to keep (the report then falls back to
 * the quantiles), with rv left empty. */
int cli_repvals_init(cli_repvals *rv, int nvar, int64_t first, int64_t nreps);
void cli_repvals_free(cli_repvals *rv);
/* legation_rep_fn that stores into a cli_repvals (user); never stops. */
int cli_repvals_sink(void *user, int64_t rep, int variant, const double *outputs,
                     int count);
/* Fill rv (variant 0 only) from a run made with keep_reps. */
void cli_repvals_from_run(cli_repvals *rv, const legation_run *run);

/* One scenario shown in a report: variant v of a finished run. */
typedef struct cli_report_part {
  const legation_run *run;
  int v;
  const char *label; /* what the user named it (an operand, "run 12");
                        NULL: the scenario's name */
} cli_report_part;

/* What a report shows: a run (one part), a comparison (the variants of
 * one run, in order: paired differences against part 0), or several
 * stored runs side by side (independent: no paired differences). */
typedef enum cli_report_kind {
  CLI_REPORT_RUN,
  CLI_REPORT_COMPARE,
  CLI_REPORT_RUNS
} cli_report_kind;

typedef struct cli_report_in {
  cli_report_kind kind;
  const cli_report_part *parts;
  int nparts;
  int64_t reps_asked;     /* of part 0's run */
  int threads_asked;
  legation_status status; /* of part 0's legation_run_execute */
  const cli_repvals *rv;  /* one slot per part (rv->nvar == nparts), or
                             NULL: histograms from the quantiles */
  double seconds;         /* > 0: shown instead of legation_run_seconds
                             (a run rebuilt from the store) */
  int options_by_effect;  /* compare: the options were not named (the
                             built-in BASE-*), so the page sorts them by
                             effect rather than keep the built-ins' order */
} cli_report_in;

/* The report's data: one JSON object (the blob the page renders; its
 * shape is documented in web/src/report.js).  NULL on OOM. */
json_t *cli_report_data(const cli_report_in *in);
/* The report's data of a comparison (every variant, paired against the
 * base); rv: one slot per variant, or NULL.  NULL on OOM. */
json_t *cli_compare_report_data(const cli_compare_view *c, const cli_repvals *rv);
/* Per-variant parts, also used by `compare --json`. */
json_t *cli_report_stats(const legation_run *run, int v);
json_t *cli_report_diffs(const legation_run *run, int v);

/* Write the HTML page for `data` to path (cli_atomic_open: never over the
 * store, atomically); prints messages prefixed by a's command; returns an
 * exit code. */
int cli_report_write(const cli_args *a, const char *path, const json_t *data);

/* The chart script web/dist/legation-report.js, compiled in by CMake
 * (cmake/embed_data.cmake); cli_report_js_len excludes the final NUL. */
extern const char cli_report_js[];
extern const size_t cli_report_js_len;

#endif
