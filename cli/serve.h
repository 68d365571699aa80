/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * serve.h - what `legation serve` (cmd_serve.c) shares with its request
 * parser (serve_job.c), the fuzz target fuzz/fuzz_serve.c, the web
 * workbench's side (serve_page.c) and the jobs' runs in the results store
 * (serve_store.c): the limits, a job request parsed from JSON, scenario
 * loading that never reads a file, the page's files, job downloads, the
 * dry run and the record (serve_ prefix).
 */
#ifndef LEGATION_SERVE_H
#define LEGATION_SERVE_H

#include <stddef.h>
#include <stdint.h>

#include "legation.h"

/* Limits; a request beyond one gets a 4xx with a message. */
#define SERVE_MAX_BODY ((size_t)1 << 20) /* bytes of a request body (413) */
#define SERVE_MAX_REPS 100000            /* replications of one job */
#define SERVE_MAX_OPTIONS 8              /* options of one comparison */
#define SERVE_MAX_SETS 64                /* overrides ("set") of one job */
#define SERVE_MAX_QUEUED 16              /* jobs waiting for a worker (429) */
#define SERVE_MAX_KEPT 64                /* finished jobs kept for polling */
#define SERVE_MAX_WORKERS 64             /* --jobs */
#define SERVE_MAX_VARY 4                 /* swept parameters of one sweep */
#define SERVE_MAX_POINTS 10000           /* points of one sweep or discovery */
/* A study (sensitivity, discover): its design points x replications per
 * point, e.g. Sobol N (G+2) x reps, Morris r (k+1) x reps, PRIM points x
 * reps.  About 0.3 ms of one core each on the built-in scenarios. */
#define SERVE_MAX_STUDY_RUNS 1000000
#define SERVE_MAX_GROUPS_TEXT 65536      /* bytes of a study's groups */

/* What a job is: the "study" field, else run, compare or sweep. */
typedef enum serve_study { SERVE_NO_STUDY, SERVE_SENSITIVITY, SERVE_DISCOVER, SERVE_CALIBRATE } serve_study;
#define SERVE_MAX_PARTICLES 10000        /* particles of a calibration */
#define SERVE_MAX_GENERATIONS 100        /* its generations */

/* The name an uploaded scenario has in the loader's messages. */
#define SERVE_UPLOAD_NAME "upload.yaml"

/* A job request: the body of POST /api/jobs, checked.  Strings are
 * malloc'd copies (serve_spec_free). */
typedef struct serve_spec {
  char *scenario;     /* a built-in's name, or NULL when yaml is given */
  char *yaml;         /* uploaded scenario text (NUL-terminated), or NULL */
  size_t yaml_len;
  char **options;     /* built-in names of the options (a comparison) */
  int noptions;
  char **keys, **vals;/* "set": overrides applied to every scenario */
  int nsets;
  int64_t reps;       /* 1 .. SERVE_MAX_REPS, default 1000 (a sweep: per
                         point, default 100; points x reps at most
                         SERVE_MAX_REPS) */
  int reps_given;
  uint64_t seed;      /* default 1 */
  int uncertain;      /* draw every ranged parameter per world */
  /* a sweep ("vary" given): the swept parameters as `legation sweep
   * --vary KEY=LO:HI:N` (lo, hi NaN: the plausible range), the design
   * (-1: grid for up to 2 keys, else lhs) and its points (lhs, sobol) */
  legation_sweep_key vary[SERVE_MAX_VARY]; /* keys malloc'd */
  int nvary;
  int design;
  int64_t points;     /* 0: 100 (a discovery: 2000) */
  /* a study ("study": "sensitivity" or "discover", as the CLI's commands
   * of those names; the option, if any, is options[0]) */
  serve_study study;
  int morris;         /* "method": "morris" (else sobol) */
  char *params;       /* "K,K,...", or NULL: the uncertain parameters */
  char *groups;       /* groups as the groups file's text, or NULL */
  int64_t n, levels;  /* as given, 0: the default (1024 or 20; 4) */
  char *where;        /* discover: "OUTPUT OP NUMBER" */
  double threshold;   /* discover: < 0 the default */
  /* calibrate ("study": "calibrate", as `legation calibrate --targets`) */
  char *targets;      /* the targets file's text */
  int64_t particles;  /* 0: 1000 */
  int64_t generations;/* 0: 20 */
  double min_tolerance, min_acceptance; /* NaN: the library's defaults */
} serve_spec;

/* Parse and check body (len bytes, any content) as a job request.  0 and
 * *out filled, or -1 with a one-line message in err (nothing to free).
 * Only the shape is checked here; scenario values by serve_build_run. */
int serve_parse_job(const char *body, size_t len, serve_spec *out, char *err, size_t errn);
void serve_spec_free(serve_spec *s);

/* Load a scenario from uploaded YAML: a `base:` may name a built-in only;
 * nothing is read from disk.  The loader's status; messages on sc, each
 * "upload.yaml:LINE:COL: key: ...". */
legation_status serve_load_upload(legation_scenario *sc, const char *text, size_t len);

/* The run a spec asks for: its base (built-in or upload), every option as a
 * variant, the overrides, seed, replications, one thread, and the drawn
 * parameters when uncertain.  0 with *out set (legation_run_free), or -1
 * with the loader's or the run's messages in *msg (malloc'd, free it). */
int serve_build_run(const serve_spec *s, legation_run **out, char **msg);

/* The study a spec asks for (s->study set): the base and the option loaded
 * and overridden as for a run, then legation_study_use_scenario (params,
 * else the uncertain parameters), the groups, seed and replications per
 * point (default LEGATION_STUDY_SCENARIO_REPS); its design checked against
 * SERVE_MAX_STUDY_RUNS.  0 with *out set (legation_study_free) and, when
 * base/option are not NULL, the scenarios as loaded (legation_scenario_free;
 * *option NULL without one), or -1 with the messages in *msg (malloc'd). */
int serve_build_study(const serve_spec *s, legation_study **out, legation_scenario **base,
                      legation_scenario **option, char **msg);
/* The calibration a spec asks for (s->study SERVE_CALIBRATE): the
 * targets, then legation_abc_use_scenario on the scenario as loaded for a
 * run (params, else every uncertain parameter; one replication per point
 * as `legation calibrate`), one thread.  0 with *out set
 * (legation_abc_free), or -1 with the messages in *msg (malloc'd). */
int serve_build_calibration(const serve_spec *s, legation_abc **out, char **msg);
/* The design points a built study plans: Sobol n (G+2), Morris n (k+1),
 * discover points (defaults applied). */
int64_t serve_study_points(const serve_spec *s, const legation_study *st);
/* The name the study's JSON gives its scenario: the built-in's, or
 * SERVE_UPLOAD_NAME. */
const char *serve_study_scenario(const serve_spec *s);

/* ------------------------------------------- the workbench (serve_page.c) */

struct MHD_Connection;
struct json_t;

/* The page's files, compiled in from web/dist by CMake (embed_data.cmake);
 * the lengths exclude the final NUL. */
extern const char serve_page_html[], serve_page_js[], serve_page_css[];
extern const size_t serve_page_html_len, serve_page_js_len, serve_page_css_len;

/* Is url one of the page's files (/, /index.html, /app.js, /app.css)?
 * They hold no data, so they are served without the token: the page asks
 * for it and sends it with every API request. */
int serve_page_is_asset(const char *url);
/* Answer a request for one of them: 200 with the file and the page's CSP
 * for GET and HEAD, else 405; MHD_YES or MHD_NO. */
int serve_page_send(struct MHD_Connection *c, const char *url, const char *method);

/* A download's body (malloc'd) and headers. */
typedef struct serve_download {
  char *body;
  size_t len;
  const char *type;   /* Content-Type */
  int html;           /* the report page: served with a sandboxing CSP */
  char filename[96];  /* Content-Disposition: attachment; "" for none */
} serve_download;
/* Send d (its body is taken over, d->body becomes NULL). */
int serve_send_download(struct MHD_Connection *c, unsigned code, serve_download *d);

/* What a finished job keeps for its downloads (malloc'd strings). */
typedef struct serve_artifacts {
  char *data;   /* the report's data as JSON text (cli_report_data) */
  char *title;  /* the first scenario's title */
  char *csv;    /* what `run --csv` or `compare --csv` prints */
} serve_artifacts;
/* Per-replication values gathered while a job runs, for the report's
 * histograms (as `compare --report`); opaque. */
typedef struct serve_capture serve_capture;
/* Before legation_run_execute: install the capture on run (its rep sink).
 * NULL when the run is too large to keep (the histograms then come from
 * the quantiles) or on OOM; both are fine to pass on. */
serve_capture *serve_capture_begin(legation_run *run, int64_t reps);
void serve_capture_free(serve_capture *cap);
/* After execute returned st (LEGATION_OK or a partial LEGATION_EINTR):
 * fill *out from the finished run and free cap (also on failure).  0, or
 * -1 on OOM with *out empty. */
int serve_artifacts_make(serve_artifacts *out, legation_run *run, int64_t reps,
                         legation_status st, serve_capture *cap);
void serve_artifacts_free(serve_artifacts *a);
/* The download `what` ("report" or "csv") of job id in ?format (NULL,
 * "html" or "json" for the report).  200 with *d filled, or a 4xx/5xx with
 * a message in err. */
unsigned serve_download_make(serve_download *d, const serve_artifacts *a, const char *kind,
                             int64_t id, const char *scenario, const char *what, const char *format,
                             char *err, size_t errn);

/* GET /api/runs/{id}/report (what "report"; ?format=html|json) and
 * /api/runs/{id}/export (what "csv"; table: ?what=TABLE, NULL for
 * summary): stored run id's report, as `legation report ID -o FILE`
 * writes it, or its table as `legation export ID --what TABLE` prints it.
 * st is borrowed (the caller holds the store's lock).  200 with d, or
 * 400 (unknown table or format), 404 (no such run, or the table was not
 * stored), 409 (a study's report, a run with no replication) or 500 with
 * err. */
unsigned serve_stored_download(serve_download *d, legation_store *st, int64_t id,
                               const char *what, const char *table, const char *format,
                               char *err, size_t errn);

/* POST /api/check: a job request checked as POST /api/jobs would, without
 * running it.  200 with *out {ok, name, title} and, when not ok, the
 * loader's messages in *msg (malloc'd); 400 with err for a malformed
 * request. */
unsigned serve_check(const char *body, size_t len, struct json_t **out, char **msg, char *err,
                     size_t errn);
/* GET /api/history?pair=A-B&from=YEAR&to=YEAR&action=A: the record's
 * events, as `legation history --json`.  200 with *out, or 400 with err. */
unsigned serve_history(struct MHD_Connection *c, struct json_t **out, char *err, size_t errn);

/* serve_store.c: record the run (from serve_build_run(s)) of job job_id in
 * the store at db through a recording session (legation_session_begin):
 * a new stored run labelled "serve job N" with the scenario texts (nothing
 * read from disk), the overrides and the run settings, one thread; or, with
 * resume > 0, the continuation of that stored run from its checkpoint.
 * progress is called first at every progress (the session checkpoints
 * after it), on_error once if the store fails during the run.  The session
 * (legation_session_free), or NULL with a message in err. */
legation_session *serve_session_begin(const char *db, legation_run *run, const serve_spec *s,
                                      int64_t job_id, int64_t resume, legation_progress_fn progress,
                                      void *user, legation_session_error_fn on_error,
                                      void *error_user, char *err, size_t errn);

/* The same with '@' settings appended to the overrides (a study's,
 * legation_study_settings) and, when reps_planned > 0, those replications
 * recorded as requested (a study's design points x reps). */
legation_session *serve_session_begin_with(const char *db, legation_run *run,
                                           const serve_spec *s, int64_t job_id, int64_t resume,
                                           const char *const *settings, int nsettings,
                                           int64_t reps_planned, legation_progress_fn progress,
                                           void *user, legation_session_error_fn on_error,
                                           void *error_user, char *err, size_t errn);

#endif
