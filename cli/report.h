/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * report.h - internal to the CLI (cli_ prefix): the self-contained HTML
 * report (report.c) around the library's report data, shared by `run
 * --report`, `compare --report`, `report` and the analyses' reports.  Only
 * the files that build JSON include this header, so cli.h stays free of
 * jansson.
 */
#ifndef LEGATION_CLI_REPORT_H
#define LEGATION_CLI_REPORT_H

#include <jansson.h>

#include "cli.h"

/* ------------------------------------------------------------- report */

/* A JSON document the library returned as text (legation_report_data,
 * legation_run_stats_json ...), parsed; text is freed.  NULL when st is
 * not LEGATION_OK or on OOM. */
json_t *cli_json_lib(legation_status st, char *text);
/* The report's data of a comparison (every variant, paired against the
 * base); rv: one slot per variant, or NULL.  NULL on OOM. */
json_t *cli_compare_report_data(const cli_compare_view *c, const legation_repvals *rv);

/* How the report's data is written into the page (7 significant digits). */
#define CLI_REPORT_JSON_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(7))
/* Write the HTML page to f: data_text (the report's data as JSON text,
 * escaped here for the <script> block), the chart script, and title
 * (NULL: "untitled scenario").  Used by cli_report_write and by serve's
 * report download (serve_page.c). */
void cli_report_page(FILE *f, const char *data_text, const char *title);
/* The title of the report's first scenario, borrowed from data; NULL if none. */
const char *cli_report_title(const json_t *data);
/* The record's event as `legation history --json` prints it (cmd_history.c;
 * also GET /api/history).  NULL on OOM. */
json_t *cli_history_event_json(const legation_history_event *ev);

/* Write the HTML page for `data` to path (cli_atomic_open: never over the
 * store, atomically); prints messages prefixed by a's command; returns an
 * exit code. */
int cli_report_write(const cli_args *a, const char *path, const json_t *data);
/* The report's data of stored run id (a run or a comparison), as
 * `legation report ID -o FILE` writes it (report_cmd.c; also GET
 * /api/runs/{id}/report), into *data (the caller's).  st is borrowed.
 * LEGATION_ENOTFOUND: no such run; LEGATION_EINVAL: a study (its report
 * is replayed by `legation report ID`) or a run with no replication; else
 * the store's status.  err gets the message. */
legation_status cli_report_stored(legation_store *st, int64_t id, json_t **data, char *err,
                                  size_t errn);

/* The chart script web/dist/legation-report.js, compiled in by CMake
 * (cmake/embed_data.cmake); cli_report_js_len excludes the final NUL. */
extern const char cli_report_js[];
extern const size_t cli_report_js_len;

/* ------------------------------------------- studies (cmd_sensitivity.c) */

/* The documents `legation sensitivity --json` (Sobol: n base points, or
 * Morris: r trajectories on `levels` levels) and `legation discover
 * --json` print for a finished (or, st LEGATION_EINTR, partial) study;
 * the server's study jobs answer the same.  scenario is the operand as
 * named. */
json_t *cli_sobol_doc(const legation_study *s, const char *scenario, uint64_t seed, int64_t n,
                      legation_status st);
json_t *cli_morris_doc(const legation_study *s, const char *scenario, uint64_t seed, int r,
                       int levels, legation_status st);
json_t *cli_discover_doc(const legation_study *s, const char *scenario, uint64_t seed,
                         const char *where, int64_t points);
/* What `legation calibrate --json` prints for a calibration (cmd_calibrate.c;
 * id 0: not stored, "calibration": null); the server's calibrate jobs
 * answer the same. */
json_t *cli_calibrate_doc(const legation_abc *abc, const char *scenario, uint64_t seed,
                          int64_t particles, int generations, int64_t id);

#endif
