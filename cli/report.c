/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * report.c - the HTML report's page: the report's data (a JSON document
 * built by the library, legation_report_data) as an inert data block plus
 * the chart script compiled into the binary (web/dist/legation-report.js,
 * embedded by cmake/embed_data.cmake), written as one self-contained file.
 * The page's Content-Security-Policy forbids every network request.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

json_t *cli_json_lib(legation_status st, char *text) {
  json_t *o = st == LEGATION_OK && text ? json_loads(text, 0, NULL) : NULL;
  legation_free(text);
  return o;
}

/* ----------------------------------------------------------- the page */

static void html_text(FILE *f, const char *s) {
  for (; s && *s; s++) {
    switch (*s) {
    case '&': fputs("&amp;", f); break;
    case '<': fputs("&lt;", f); break;
    case '>': fputs("&gt;", f); break;
    case '"': fputs("&quot;", f); break;
    default: fputc(*s, f);
    }
  }
}

/* JSON inside <script>: '<' only occurs in strings, where \u003c is the
 * same character, and without it no "</script>" or "<!--" can end or
 * confuse the data block. */
static void script_json(FILE *f, const char *s) {
  for (; *s; s++) {
    if (*s == '<')
      fputs("\\u003c", f);
    else
      fputc(*s, f);
  }
}

void cli_report_page(FILE *f, const char *data_text, const char *title) {
  fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        /* the report reads nothing from anywhere: no fetch, image or font */
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">\n"
        "<meta name=\"generator\" content=\"legation ",
        f);
  html_text(f, legation_version());
  fputs("\">\n<title>Legation report: ", f);
  html_text(f, title && *title ? title : "untitled scenario");
  fputs("</title>\n</head>\n<body>\n"
        "<noscript>This report draws its tables and charts with JavaScript, "
        "which is turned off.</noscript>\n"
        "<main id=\"legation-report\"></main>\n"
        "<script type=\"application/json\" id=\"legation-data\">",
        f);
  script_json(f, data_text);
  fputs("</script>\n<script>\n", f);
  fwrite(cli_report_js, 1, cli_report_js_len, f);
  fputs("\n</script>\n</body>\n</html>\n", f);
}

const char *cli_report_title(const json_t *data) {
  const json_t *vars = json_object_get(data, "variants");
  return json_string_value(json_object_get(json_array_get(vars, 0), "title"));
}

int cli_report_write(const cli_args *a, const char *path, const json_t *data) {
  const char *cmd = a->cmd->name;
  char *text = json_dumps(data, CLI_REPORT_JSON_FLAGS);
  if (!text) {
    cli_err("%s: out of memory while writing the report", cmd);
    return CLI_EXIT_RUN;
  }
  cli_atomic af;
  int rc = cli_atomic_open(&af, a, path);
  if (rc) {
    free(text);
    return rc;
  }
  cli_report_page(af.f, text, cli_report_title(data));
  free(text);
  if (cli_atomic_commit(&af, cmd) != 0) return CLI_EXIT_IO;
  return CLI_EXIT_OK;
}

/* ------------------------------------------------------- `run --report` */

/* keep_reps holds every output (36 doubles) of every replication: above
 * this many replications (72 MB) the histograms come from the quantiles. */
#define KEEP_REPS_MAX 250000

void cli_report_prepare(legation_run *run, int64_t reps) {
  if (reps <= KEEP_REPS_MAX) legation_run_set_keep_reps(run, 1);
}

int cli_report_run(const cli_args *a, const char *path, const cli_result *r) {
  const char *cmd = a->cmd->name;
  int64_t done = legation_run_reps_done(r->run);
  legation_repvals *rv = done > 0 ? legation_repvals_new(1, 0, done) : NULL;
  if (rv && legation_repvals_from_run(rv, r->run) != LEGATION_OK) {
    legation_repvals_free(rv); /* a resumed run: the quantiles */
    rv = NULL;
  }
  legation_report_part part = {r->run, 0, NULL};
  legation_report_spec in = {.kind = LEGATION_REPORT_RUN, .parts = &part, .nparts = 1,
                             .reps_asked = r->reps_asked, .threads_asked = r->threads_asked,
                             .status = r->status, .rv = rv, .seconds = r->seconds};
  char *text = NULL;
  legation_status made = legation_report_data(&in, &text);
  json_t *data = cli_json_lib(made, text);
  legation_repvals_free(rv);
  if (!data) {
    cli_err("%s: out of memory while building the report", cmd);
    return CLI_EXIT_RUN;
  }
  /* drawn parameters: the spread across worlds (as in the JSON output) */
  if (legation_run_vary_count(r->run) > 0)
    json_object_set_new(data, "uncertainty", cli_json_worlds(r->run, 0));
  int rc = cli_report_write(a, path, data);
  json_decref(data);
  return rc;
}
