/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * serve_page.c - the web workbench side of `legation serve`: the page's
 * three files (web/dist/workbench.{html,js,css}, compiled in by CMake),
 * what a finished job keeps for its downloads (the report's data and the
 * CSV the CLI writes for the same run), the dry run of a job request
 * (POST /api/check), and the record's events (GET /api/history).
 * cmd_serve.c owns the server, the jobs and the route table; the
 * functions here take only what they need from it.
 */
#include <jansson.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report.h"
#include "serve.h"

/* ---------------------------------------------------------- the page */

/* The page may load only its own script and style, and talk only to this
 * server; nothing inline (the bundle carries no inline handler). */
#define PAGE_CSP                                                                             \
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "           \
  "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

typedef struct asset {
  const char *path;
  const char *type;
  const char *body;
  const size_t *len;
} asset;

static const asset assets[] = {
    {"/", "text/html; charset=utf-8", serve_page_html, &serve_page_html_len},
    {"/app.js", "text/javascript; charset=utf-8", serve_page_js, &serve_page_js_len},
    {"/app.css", "text/css; charset=utf-8", serve_page_css, &serve_page_css_len},
};
#define NASSETS ((int)(sizeof assets / sizeof assets[0]))

static const asset *asset_find(const char *url) {
  for (int i = 0; url && i < NASSETS; i++)
    if (strcmp(assets[i].path, url) == 0) return &assets[i];
  if (url && strcmp(url, "/index.html") == 0) return &assets[0];
  return NULL;
}

int serve_page_is_asset(const char *url) { return asset_find(url) != NULL; }

static void common_headers(struct MHD_Response *resp, const char *type, const char *csp) {
  MHD_add_response_header(resp, "Content-Type", type);
  MHD_add_response_header(resp, "Content-Security-Policy", csp);
  MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(resp, "X-Frame-Options", "DENY");
  MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
}

int serve_page_send(struct MHD_Connection *c, const char *url, const char *method) {
  const asset *a = asset_find(url);
  int get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
  static const char refused[] = "{\"error\":\"method not allowed on this path (GET only)\"}";
  struct MHD_Response *resp =
      get && a ? MHD_create_response_from_buffer(*a->len, (void *)a->body, MHD_RESPMEM_PERSISTENT)
               : MHD_create_response_from_buffer(sizeof refused - 1, (void *)refused,
                                                 MHD_RESPMEM_PERSISTENT);
  if (!resp) return MHD_NO;
  if (get && a) {
    common_headers(resp, a->type, PAGE_CSP);
    /* the files change with the binary: revalidate, never store stale */
    MHD_add_response_header(resp, "Cache-Control", "no-cache");
  } else {
    common_headers(resp, "application/json; charset=utf-8",
                   "default-src 'none'; frame-ancestors 'none'");
    MHD_add_response_header(resp, "Allow", "GET, HEAD");
  }
  enum MHD_Result rc = MHD_queue_response(c, get && a ? 200 : 405, resp);
  MHD_destroy_response(resp);
  return rc;
}

int serve_send_download(struct MHD_Connection *c, unsigned code, serve_download *d) {
  struct MHD_Response *resp = MHD_create_response_from_buffer(d->len, d->body,
                                                              MHD_RESPMEM_MUST_FREE);
  if (!resp) {
    free(d->body);
    d->body = NULL;
    return MHD_NO;
  }
  d->body = NULL; /* the response owns it now */
  /* the report runs its own inline script: allowed only inside a sandbox
   * (a unique origin that can reach neither this server nor its token) */
  common_headers(resp, d->type,
                 d->html ? "default-src 'none'; script-src 'unsafe-inline'; "
                           "style-src 'unsafe-inline'; img-src data:; sandbox allow-scripts"
                         : "default-src 'none'; frame-ancestors 'none'");
  MHD_add_response_header(resp, "Cache-Control", "no-store");
  if (d->filename[0]) {
    char cd[160];
    snprintf(cd, sizeof cd, "attachment; filename=\"%s\"", d->filename);
    MHD_add_response_header(resp, "Content-Disposition", cd);
  }
  enum MHD_Result rc = MHD_queue_response(c, code, resp);
  MHD_destroy_response(resp);
  return rc;
}

/* ------------------------------------------------------- job downloads */

struct serve_capture {
  legation_repvals *rv; /* balance and expulsions of every replication */
};

serve_capture *serve_capture_begin(legation_run *run, int64_t reps) {
  serve_capture *cap = calloc(1, sizeof *cap);
  if (!cap) return NULL;
  /* as `compare --report`: one slot per variant; too many replications
   * and the report draws its histograms from the quantiles instead */
  if (!(cap->rv = legation_repvals_new(legation_run_variant_count(run), 0, reps))) {
    free(cap);
    return NULL;
  }
  legation_run_set_rep_sink(run, legation_repvals_sink, cap->rv);
  return cap;
}

void serve_capture_free(serve_capture *cap) {
  if (!cap) return;
  legation_repvals_free(cap->rv);
  free(cap);
}

void serve_artifacts_free(serve_artifacts *a) {
  if (!a) return;
  free(a->data);
  free(a->title);
  free(a->csv);
  memset(a, 0, sizeof *a);
}

/* Text written by fn into memory; NULL on failure. */
static char *mem_text(void (*fn)(FILE *, const void *), const void *arg) {
  char *buf = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&buf, &n);
  if (!f) return NULL;
  fn(f, arg);
  if (fclose(f) != 0) {
    free(buf);
    return NULL;
  }
  return buf;
}

static void csv_run(FILE *f, const void *arg) { cli_output_csv(f, arg); }
static void csv_compare(FILE *f, const void *arg) { cli_compare_csv(f, arg); }

int serve_artifacts_make(serve_artifacts *out, legation_run *run, int64_t reps,
                         legation_status st, serve_capture *cap) {
  memset(out, 0, sizeof *out);
  legation_run_set_rep_sink(run, NULL, NULL);
  const legation_repvals *rv = cap ? cap->rv : NULL;
  int nv = legation_run_variant_count(run);
  json_t *data = NULL;
  char **labels = NULL;
  if (nv == 1) {
    /* what `run --report` and `run --csv` write */
    cli_result r = {run, legation_run_scenario(run), reps, 1, st, 0};
    legation_report_part part = {run, 0, NULL};
    legation_report_spec in = {.kind = LEGATION_REPORT_RUN, .parts = &part, .nparts = 1,
                               .reps_asked = reps, .threads_asked = 1, .status = st, .rv = rv};
    char *text = NULL;
    legation_status made = legation_report_data(&in, &text);
    data = cli_json_lib(made, text);
    if (data && legation_run_vary_count(run) > 0)
      json_object_set_new(data, "uncertainty", cli_json_worlds(run, 0));
    out->csv = mem_text(csv_run, &r);
  } else {
    /* what `compare --report` and `compare --csv` write, the options
     * labelled by their names, in the order asked */
    labels = calloc((size_t)nv, sizeof *labels);
    for (int v = 0; labels && v < nv; v++)
      labels[v] = (char *)legation_scenario_name(legation_run_variant_scenario(run, v));
    cli_compare_view view = {run, reps, 1, st, (const char *const *)labels, labels ? nv : 0,
                             0, NULL, 0, 0};
    data = cli_compare_report_data(&view, rv);
    out->csv = mem_text(csv_compare, &view);
    free(labels);
  }
  serve_capture_free(cap);
  const char *title = data ? cli_report_title(data) : NULL;
  out->title = strdup(title ? title : "");
  out->data = data ? json_dumps(data, CLI_REPORT_JSON_FLAGS) : NULL;
  json_decref(data);
  if (!out->data || !out->title || !out->csv) {
    serve_artifacts_free(out);
    return -1;
  }
  return 0;
}

/* "legation-job-ID-NAME.EXT", NAME reduced to [A-Za-z0-9._-]. */
static void file_name(char *buf, size_t n, const char *kind, int64_t id, const char *name,
                      const char *ext) {
  char safe[64];
  size_t k = 0;
  for (const char *p = name ? name : ""; *p && k + 1 < sizeof safe; p++) {
    char ch = *p;
    int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
             ch == '.' || ch == '_' || ch == '-';
    safe[k++] = ok ? ch : '_';
  }
  safe[k] = 0;
  snprintf(buf, n, "legation-%s-%lld%s%s.%s", kind, (long long)id, k ? "-" : "", safe, ext);
}

static void page_of(FILE *f, const void *arg) {
  const serve_artifacts *a = arg;
  cli_report_page(f, a->data, a->title);
}

unsigned serve_download_make(serve_download *d, const serve_artifacts *a, const char *kind,
                             int64_t id, const char *scenario, const char *what, const char *format,
                             char *err, size_t errn) {
  memset(d, 0, sizeof *d);
  if (strcmp(what, "csv") == 0) {
    if (format) {
      snprintf(err, errn, "format: the CSV has no other format (drop ?format)");
      return 400;
    }
    d->body = strdup(a->csv);
    d->type = "text/csv; charset=utf-8";
    file_name(d->filename, sizeof d->filename, kind, id, scenario, "csv");
  } else if (!format || strcmp(format, "html") == 0) {
    d->body = mem_text(page_of, a);
    d->type = "text/html; charset=utf-8";
    d->html = 1;
    file_name(d->filename, sizeof d->filename, kind, id, scenario, "html");
  } else if (strcmp(format, "json") == 0) {
    /* the report's data: the object the page renders (web/src/report.js) */
    d->body = strdup(a->data);
    d->type = "application/json; charset=utf-8";
  } else {
    snprintf(err, errn, "format: expected html or json, found '%.40s'", format);
    return 400;
  }
  if (!d->body) {
    snprintf(err, errn, "out of memory");
    return 500;
  }
  d->len = strlen(d->body);
  return 200;
}

/* ------------------------------------------------ a stored run's files */

typedef struct export_arg {
  legation_store *st;
  int64_t id;
  const char *what;
  char *err;
  size_t errn;
  legation_status s;
} export_arg;

static void export_of(FILE *f, const void *arg) {
  export_arg *x = (export_arg *)arg;
  x->s = cli_export_csv(x->st, x->id, x->what, f, x->err, x->errn);
}

unsigned serve_stored_download(serve_download *d, legation_store *st, int64_t id,
                               const char *what, const char *table, const char *format,
                               char *err, size_t errn) {
  memset(d, 0, sizeof *d);
  legation_store_run info;
  legation_status s = legation_store_get(st, id, &info);
  if (s == LEGATION_ENOTFOUND) {
    snprintf(err, errn, "no stored run %lld (GET /api/runs lists them)", (long long)id);
    return 404;
  }
  if (s != LEGATION_OK) {
    snprintf(err, errn, "the results store: %s", legation_store_errmsg(st));
    return 500;
  }
  char scen[64]; /* info's strings are the store's until its next call */
  snprintf(scen, sizeof scen, "%s", info.scenario_name ? info.scenario_name : "");
  if (strcmp(what, "csv") == 0) {
    if (format) {
      snprintf(err, errn, "format: the CSV has no other format (drop ?format)");
      return 400;
    }
    export_arg x = {st, id, table ? table : "summary", err, errn, LEGATION_OK};
    char *csv = mem_text(export_of, &x);
    if (x.s != LEGATION_OK || !csv) {
      free(csv);
      if (x.s == LEGATION_EINVAL) {
        char m[300];
        snprintf(m, sizeof m, "%s", err);
        snprintf(err, errn, "what: %s", m);
        return 400;
      }
      if (x.s == LEGATION_OK) snprintf(err, errn, "out of memory");
      return x.s == LEGATION_ENOTFOUND ? 404 : 500;
    }
    char name[80];
    snprintf(name, sizeof name, "%s-%s", scen, x.what);
    serve_artifacts a = {NULL, NULL, csv};
    unsigned code = serve_download_make(d, &a, "run", id, name, "csv", NULL, err, errn);
    free(csv);
    return code;
  }
  if (table) {
    snprintf(err, errn, "what: the report has no tables (drop ?what)");
    return 400;
  }
  json_t *data = NULL;
  s = cli_report_stored(st, id, &data, err, errn);
  if (s != LEGATION_OK)
    return s == LEGATION_ENOTFOUND ? 404 : s == LEGATION_EINVAL ? 409 : 500;
  serve_artifacts a = {json_dumps(data, CLI_REPORT_JSON_FLAGS), NULL, NULL};
  const char *title = cli_report_title(data);
  a.title = title ? strdup(title) : NULL;
  json_decref(data);
  unsigned code;
  if (!a.data) {
    snprintf(err, errn, "out of memory");
    code = 500;
  } else
    code = serve_download_make(d, &a, "run", id, scen, "report", format, err, errn);
  free(a.data);
  free(a.title);
  return code;
}

/* ---------------------------------------------------------- dry run */

unsigned serve_check(const char *body, size_t len, json_t **out, char **msg, char *err,
                     size_t errn) {
  serve_spec spec;
  *msg = NULL;
  if (serve_parse_job(body ? body : "", len, &spec, err, errn) != 0) return 400;
  legation_run *run = NULL;
  legation_study *study = NULL;
  legation_scenario *base = NULL;
  legation_abc *calib = NULL;
  int rc = spec.study == SERVE_CALIBRATE ? serve_build_calibration(&spec, &calib, msg)
           : spec.study                  ? serve_build_study(&spec, &study, &base, NULL, msg)
                                         : serve_build_run(&spec, &run, msg);
  *out = json_object();
  json_object_set_new(*out, "ok", json_boolean(rc == 0));
  if (rc == 0 && calib) {
    json_object_set_new(*out, "name", json_string(serve_study_scenario(&spec)));
  } else if (rc == 0) {
    const legation_scenario *sc = run ? legation_run_variant_scenario(run, 0) : base;
    json_object_set_new(*out, "name", json_string(legation_scenario_name(sc)));
    json_object_set_new(*out, "title", json_string(legation_scenario_title(sc)));
  }
  serve_spec_free(&spec);
  legation_run_free(run);
  legation_study_free(study);
  legation_scenario_free(base);
  legation_abc_free(calib);
  return 200;
}

/* ------------------------------------------------------------ history */

/* A year of ?from / ?to: 1 to 9999, or *y = 0 when absent. */
static int year_arg(const char *s, int *y, const char *what, char *err, size_t errn) {
  *y = 0;
  if (!s) return 0;
  size_t n = strlen(s);
  long v = n >= 1 && n <= 4 && strspn(s, "0123456789") == n ? strtol(s, NULL, 10) : 0;
  if (v < 1) {
    snprintf(err, errn, "%s: expected a year from 1 to 9999, found '%.20s'", what, s);
    return -1;
  }
  *y = (int)v;
  return 0;
}

unsigned serve_history(struct MHD_Connection *c, json_t **out, char *err, size_t errn) {
  const char *pair = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "pair");
  const char *action = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "action");
  int from, to;
  if (year_arg(MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "from"), &from, "from",
               err, errn) ||
      year_arg(MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "to"), &to, "to", err,
               errn))
    return 400;
  const char *ca = NULL, *cb = NULL;
  if (pair) {
    /* "A-B" (also "A,B" or "A/B"), names or codes, as `history --pair` */
    size_t cut = strcspn(pair, "-,/");
    char left[64];
    if (!pair[cut] || cut >= sizeof left) {
      snprintf(err, errn, "pair: expected two countries as A-B (e.g. US-RU), found '%.60s'",
               pair);
      return 400;
    }
    memcpy(left, pair, cut);
    left[cut] = 0;
    ca = legation_country_code(left);
    cb = legation_country_code(pair + cut + 1);
    if (!ca || !cb || strcmp(ca, cb) == 0) {
      snprintf(err, errn,
               "pair: expected two different countries (codes or names: US, RU, UK, CZ, CN, "
               "...), found '%.60s'",
               pair);
      return 400;
    }
  }
  legation_history *h = legation_history_new();
  legation_status st = h ? legation_history_load_builtin(h) : LEGATION_ENOMEM;
  if (st != LEGATION_OK) {
    snprintf(err, errn, "the record: %s", legation_strerror(st));
    legation_history_free(h);
    return 500;
  }
  json_t *arr = json_array(), *actions = json_array();
  int known = !action, bad = !arr || !actions;
  for (int i = 0; !bad && i < legation_history_count(h); i++) {
    legation_history_event ev;
    if (legation_history_get(h, i, &ev) != LEGATION_OK) continue;
    int seen = 0;
    for (size_t k = 0; k < json_array_size(actions) && !seen; k++)
      seen = strcmp(json_string_value(json_array_get(actions, k)), ev.action) == 0;
    if (!seen) bad |= json_array_append_new(actions, json_string(ev.action));
    if (action && strcmp(action, ev.action) == 0) known = 1;
    if ((from && ev.year < from) || (to && ev.year > to) ||
        (action && strcmp(action, ev.action) != 0) ||
        (ca && !legation_history_involves(&ev, ca, cb)))
      continue;
    json_t *o = cli_history_event_json(&ev);
    if (o && ca) {
      /* who acts, for the page's timeline: a, b or both (a bilateral row) */
      const char *who = legation_country_code(ev.acting_state);
      json_object_set_new(o, "side", json_string(!who                ? "both"
                                                 : strcmp(who, ca) == 0 ? "a"
                                                                        : "b"));
    }
    bad |= !o || json_array_append_new(arr, o);
  }
  legation_history_free(h);
  if (bad || !known) {
    json_decref(arr);
    json_decref(actions);
    if (bad) {
      snprintf(err, errn, "out of memory");
      return 500;
    }
    snprintf(err, errn, "action: the record has no action '%.40s' (see \"actions\" of "
                        "GET /api/history)", action);
    return 400;
  }
  *out = json_object();
  json_object_set_new(*out, "pair", ca ? json_pack("[ss]", ca, cb) : json_null());
  json_object_set_new(*out, "actions", actions);
  json_object_set_new(*out, "events", arr);
  return 200;
}
