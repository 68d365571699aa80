/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd_serve.c - `legation serve`: a JSON API over HTTP (libmicrohttpd) for
 * a web front end: built-in scenarios, parameters with their ranges and
 * sources, validation of uploaded YAML, runs, comparisons, sweeps and
 * studies (sensitivity, discover: the library's legation_study on a
 * scenario, as the CLI's commands) as jobs on a bounded pool of worker threads (progress, cancel, the
 * scorecard), and the stored runs.  With --db every job and its run are
 * kept in the store with checkpoints (serve_store.c, src/store/jobs.c): a
 * new server lists the jobs a stopped or killed one left as interrupted and
 * resumes them from their last checkpoint.  One route table drives dispatch and GET /api, and
 * docs/openapi.yaml follows it (tests/cli/serve.t checks both ways).
 *
 * Safety: binds loopback unless told, and then only with a token (Bearer,
 * compared in constant time); without a token the Host header must name
 * the loopback address (no DNS rebinding); POST bodies need their content
 * type (a cross-site form cannot post without a preflight, which is never
 * granted); bodies are limited to SERVE_MAX_BODY, jobs to SERVE_MAX_REPS
 * replications and SERVE_MAX_QUEUED waiting; slow clients are dropped by
 * MHD's connection timeout.  No file is read for a request: only built-in
 * names and uploaded text (serve_job.c).
 *
 * Threads: MHD's one polling thread runs every handler; --jobs workers run
 * the jobs, each with its own store handle; the main thread waits for
 * SIGINT/SIGTERM.  Jobs and the requests' store handle are shared under
 * srv.mu / srv.store_mu.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "report.h"
#include "serve.h"

/* ------------------------------------------------------------- the state */

/* J_INTERRUPTED: stopped with its server (SIGTERM, or a kill found by the
 * next server on the same --db); resumable.  From J_DONE on, finished. */
typedef enum jstate { J_QUEUED, J_RUNNING, J_INTERRUPTED, J_DONE, J_FAILED, J_CANCELLED } jstate;
static const char *const jstate_name[] = {"queued", "running", "interrupted",
                                          "done",   "failed",  "cancelled"};

typedef struct job {
  int64_t id;
  jstate state;
  int cancel;           /* DELETE asked it to stop */
  int64_t done, total;  /* replications, from the progress callback */
  int noptions;         /* 0: a run, else a comparison */
  int sweep;            /* a sweep ("vary"): points of the swept parameters */
  serve_study study;    /* a sensitivity or discover study: built and run by a
                           worker from its request (run stays NULL) */
  char *scenario;       /* the base's name */
  char *request;        /* the body of its POST (JSON), kept for the store */
  int64_t run_id;       /* its run in the store (--db), 0 before it has one */
  legation_run *run;    /* built at POST (or a resume), run and freed by a worker */
  char *result;         /* JSON text of the result once finished */
  char *error;          /* the run's message when failed */
  serve_artifacts art;  /* report data and CSV once done (serve_page.c) */
  double created;       /* Unix seconds */
  struct server *srv;
} job;

typedef struct server {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  job **jobs;           /* oldest first */
  int njobs;
  int64_t next_id;
  int stopping;
  const char *token;    /* NULL: none */
  char hosts[4][96];    /* Host headers accepted without a token */
  int nhosts;
  json_t **params;      /* GET /api/params of each built-in, made once
                           (a built-in never changes); under mu */
  legation_store *store;/* --db, NULL without: requests' handle */
  const char *db;       /* its path: each running job opens its own handle */
  pthread_mutex_t store_mu;
} server;

/* A request being received: its body. */
typedef struct req {
  char *body;
  size_t len;
  int too_big;
} req;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void job_free(job *j) {
  if (!j) return;
  legation_run_free(j->run);
  free(j->scenario);
  free(j->request);
  free(j->result);
  free(j->error);
  serve_artifacts_free(&j->art);
  free(j);
}

static job *job_find(server *s, int64_t id) {
  for (int i = 0; i < s->njobs; i++)
    if (s->jobs[i]->id == id) return s->jobs[i];
  return NULL;
}

/* -------------------------------------------------------------- results */

static json_t *jstr(const char *s) { return json_string(s ? s : ""); }

/* The outputs the scorecard shows (the brief of the page). */
static const char *const score_outputs[] = {"value_a", "value_b", "balance", "spiral", "settled"};
#define NSCORE ((int)(sizeof score_outputs / sizeof score_outputs[0]))

static void score_label(char *buf, size_t n, const char *output, const legation_scenario *sc) {
  for (int r = 0; r < legation_scorecard_count(); r++)
    if (strcmp(legation_scorecard_output(r), output) == 0) {
      legation_scorecard_label(sc, r, buf, n);
      return;
    }
  snprintf(buf, n, "%s", output);
}

/* The result of a finished run or comparison, from the library's
 * scorecard and verdicts (src/analysis, as the CLI prints them): per
 * option the paired change (option minus base) of each scorecard output
 * with its 95% interval, the margin that counts and the verdict; for a run
 * of one scenario the means and the verdict. */
/* What every job's result starts with: replications done of those asked,
 * whether complete, seed, months, seconds, the states and the base. */
static json_t *result_head(const legation_run *run, int64_t reps_asked, legation_status st) {
  const legation_scenario *base = legation_run_variant_scenario(run, 0);
  json_t *o = json_object(), *states = json_array();
  json_object_set_new(o, "reps", json_integer((json_int_t)legation_run_reps_done(run)));
  json_object_set_new(o, "reps_requested", json_integer((json_int_t)reps_asked));
  json_object_set_new(o, "complete", json_boolean(st == LEGATION_OK));
  json_object_set_new(o, "seed", cli_json_seed(legation_run_seed(run)));
  json_object_set_new(o, "months", json_integer(legation_run_months(run)));
  json_object_set_new(o, "seconds", cli_json_num(legation_run_seconds(run)));
  for (int k = 0; k < 2; k++) {
    const char *n = legation_scenario_state_name(base, k);
    json_array_append_new(states, jstr(n && *n ? n : k ? "B" : "A"));
  }
  json_object_set_new(o, "states", states);
  json_object_set_new(o, "scenario", jstr(legation_scenario_name(base)));
  json_object_set_new(o, "title", jstr(legation_scenario_title(base)));
  return o;
}

static json_t *result_json(const legation_run *run, int64_t reps_asked, legation_status st) {
  const legation_scenario *base = legation_run_variant_scenario(run, 0);
  json_t *o = result_head(run, reps_asked, st);
  int nv = legation_run_variant_count(run);
  int worlds = legation_run_vary_count(run) > 0;
  if (nv == 1) {
    json_t *outs = json_array();
    for (int r = 0; r < NSCORE; r++) {
      int i = legation_output_find(score_outputs[r]);
      legation_stat sst;
      if (i < 0 || legation_run_variant_stat(run, 0, i, &sst) != LEGATION_OK) continue;
      char label[256];
      score_label(label, sizeof label, score_outputs[r], base);
      json_t *e = json_object();
      json_object_set_new(e, "output", json_string(score_outputs[r]));
      json_object_set_new(e, "label", json_string(label));
      json_object_set_new(e, "mean", cli_json_num(sst.mean));
      json_object_set_new(e, "lo", cli_json_num(sst.lo));
      json_object_set_new(e, "hi", cli_json_num(sst.hi));
      json_object_set_new(e, "n", json_integer((json_int_t)sst.n));
      json_array_append_new(outs, e);
    }
    json_object_set_new(o, "outputs", outs);
    char verdict[1024];
    legation_run_verdict(run, verdict, sizeof verdict);
    json_object_set_new(o, "verdict", json_string(verdict));
    return o;
  }
  int cnt = 0;
  json_object_set_new(o, "narrowing", cli_json_num(legation_run_narrowing(run, &cnt)));
  json_t *opts = json_array();
  for (int v = 1; v < nv; v++) {
    const legation_scenario *sc = legation_run_variant_scenario(run, v);
    json_t *e = json_object(), *card = json_array();
    json_object_set_new(e, "name", jstr(legation_scenario_name(sc)));
    json_object_set_new(e, "title", jstr(legation_scenario_title(sc)));
    char verdict[3072];
    legation_compare_verdict(run, v, NULL, 0, verdict, sizeof verdict);
    json_object_set_new(e, "verdict", json_string(verdict));
    for (int r = 0; r < NSCORE; r++) {
      int i = legation_output_find(score_outputs[r]);
      legation_diff d;
      if (i < 0 || legation_run_diff(run, v, i, &d) != LEGATION_OK) continue;
      char label[256];
      score_label(label, sizeof label, score_outputs[r], base);
      const legation_output_info *info = legation_output_get(i);
      json_t *row = json_object();
      json_object_set_new(row, "output", json_string(score_outputs[r]));
      json_object_set_new(row, "label", json_string(label));
      json_object_set_new(row, "kind", json_string(info && info->kind == LEGATION_OUT_PROB
                                                       ? "probability" : "quantity"));
      json_object_set_new(row, "mean", cli_json_num(d.paired.mean));
      json_object_set_new(row, "lo", cli_json_num(d.paired.lo));
      json_object_set_new(row, "hi", cli_json_num(d.paired.hi));
      json_object_set_new(row, "min_effect", cli_json_num(legation_min_effect(run, i, NULL, 0)));
      legation_world_stat w;
      if (worlds && legation_run_world_diff(run, v, i, &w) == LEGATION_OK)
        json_object_set_new(row, "worlds", cli_json_world(&w));
      json_array_append_new(card, row);
    }
    json_object_set_new(e, "scorecard", card);
    json_array_append_new(opts, e);
  }
  json_object_set_new(o, "options", opts);
  return o;
}

/* -------------------------------------------------------------- workers */

/* What the progress callback of a running job needs. */
typedef struct jrun {
  job *j;
  const legation_run *run;
  legation_session *sess; /* recording the job's run (--db), or NULL */
  json_t *rows;         /* a sweep's finished points (sweep_row) */
} jrun;

/* legation_world_fn of a sweep job: one finished point of a variant (or
 * the change of an option) as `legation sweep --json` prints it, with the
 * scorecard's outputs; to the store too. */
static int on_world(void *user, const legation_world_result *w) {
  jrun *x = user;
  legation_store *db = x->sess ? legation_session_store(x->sess) : NULL;
  if (db && legation_store_world_sink(db, w)) {
    cli_err("serve: job %lld: %s", (long long)x->j->id, legation_store_errmsg(db));
    return 1;
  }
  const legation_run *run = x->run;
  int64_t rpp = legation_run_reps_per_world(run);
  const char *n = legation_scenario_name(legation_run_variant_scenario(run, w->variant));
  json_t *row = json_object(), *params = json_object(), *outs = json_object();
  json_object_set_new(row, "point", json_integer((json_int_t)w->world));
  json_object_set_new(row, "scenario", json_string(n && *n ? n : w->variant ? "option" : "base"));
  json_object_set_new(row, "kind", json_string(w->diff ? "change" : "value"));
  for (int k = 0; k < legation_run_vary_count(run); k++) {
    double v;
    legation_run_rep_param(run, w->variant, w->world * rpp, legation_run_vary_key(run, k), &v);
    json_object_set_new(params, legation_run_vary_key(run, k), json_real(v));
  }
  json_object_set_new(row, "params", params);
  for (int r = 0; r < NSCORE; r++) {
    int i = legation_output_find(score_outputs[r]);
    if (i < 0 || i >= w->count) continue;
    const legation_stat *st = &w->stats[i];
    json_t *e = json_object();
    json_object_set_new(e, "mean", cli_json_num(st->mean));
    json_object_set_new(e, "lo", cli_json_num(st->lo));
    json_object_set_new(e, "hi", cli_json_num(st->hi));
    json_object_set_new(e, "n", json_integer((json_int_t)st->n));
    json_object_set_new(outs, score_outputs[r], e);
  }
  json_object_set_new(row, "outputs", outs);
  json_array_append_new(x->rows, row);
  return 0;
}

/* A resumed sweep's points finished before its checkpoint, read back from
 * its stored run (tables "points" and "point_params", in the order the
 * world sink gave them: point, then values before changes, then variant)
 * as on_world made them. */
typedef struct stored_rows {
  const legation_run *run;
  json_t *rows;         /* x->rows */
  json_t *params;       /* point -> {key: value} */
  json_t *row;          /* the row being filled */
  int64_t point;
  int variant, diff;
} stored_rows;

static int on_point_param(void *user, int ncols, const char *const *names,
                          const legation_store_cell *c) {
  stored_rows *r = user;
  (void)names;
  if (!c || ncols < 4) return 0; /* header: run, point, key, value */
  char pt[24];
  snprintf(pt, sizeof pt, "%lld", (long long)c[1].i);
  json_t *p = json_object_get(r->params, pt);
  if (!p) json_object_set_new(r->params, pt, p = json_object());
  json_object_set_new(p, c[2].text ? c[2].text : "",
                      c[3].type == LEGATION_CELL_REAL ? json_real(c[3].r)
                      : c[3].type == LEGATION_CELL_INT ? json_real((double)c[3].i)
                                                       : json_null());
  return 0;
}

static json_t *cell_num(const legation_store_cell *c) {
  return c->type == LEGATION_CELL_REAL  ? cli_json_num(c->r)
         : c->type == LEGATION_CELL_INT ? cli_json_num((double)c->i)
                                        : json_null();
}

static int on_point_row(void *user, int ncols, const char *const *names,
                        const legation_store_cell *c) {
  stored_rows *r = user;
  (void)names;
  if (!c || ncols < 10) return 0; /* run, point, variant, diff, output, n, mean, sd, lo, hi */
  const char *out = c[4].text ? c[4].text : "";
  int keep = 0;
  for (int k = 0; k < NSCORE; k++) keep |= strcmp(out, score_outputs[k]) == 0;
  if (!r->row || c[1].i != r->point || (int)c[2].i != r->variant || (int)c[3].i != r->diff) {
    r->point = c[1].i, r->variant = (int)c[2].i, r->diff = (int)c[3].i;
    const char *n =
        legation_scenario_name(legation_run_variant_scenario(r->run, r->variant));
    char pt[24];
    snprintf(pt, sizeof pt, "%lld", (long long)r->point);
    json_t *par = json_object_get(r->params, pt);
    r->row = json_object();
    json_object_set_new(r->row, "point", json_integer((json_int_t)r->point));
    json_object_set_new(r->row, "scenario",
                        json_string(n && *n ? n : r->variant ? "option" : "base"));
    json_object_set_new(r->row, "kind", json_string(r->diff ? "change" : "value"));
    json_object_set_new(r->row, "params", par ? json_incref(par) : json_object());
    json_object_set_new(r->row, "outputs", json_object());
    json_array_append_new(r->rows, r->row);
  }
  if (!keep) return 0;
  json_t *e = json_object();
  json_object_set_new(e, "mean", cell_num(&c[6]));
  json_object_set_new(e, "lo", cell_num(&c[8]));
  json_object_set_new(e, "hi", cell_num(&c[9]));
  json_object_set_new(e, "n", json_integer((json_int_t)c[5].i));
  json_object_set_new(json_object_get(r->row, "outputs"), out, e);
  return 0;
}

/* Fill rows with the stored points of run_id; the outputs keep the
 * scorecard's order. */
static legation_status stored_points(legation_store *st, int64_t run_id, const legation_run *run,
                                     json_t *rows) {
  stored_rows r = {run, rows, json_object(), NULL, -1, -1, -1};
  legation_status s = legation_store_table(st, run_id, "point_params", on_point_param, &r);
  if (s == LEGATION_OK) s = legation_store_table(st, run_id, "points", on_point_row, &r);
  json_decref(r.params);
  /* the store lists a point's outputs in the run's order: put them in the
   * scorecard's, as on_world does */
  size_t i;
  json_t *row;
  json_array_foreach(rows, i, row) {
    json_t *outs = json_object_get(row, "outputs"), *sorted = json_object();
    for (int k = 0; k < NSCORE; k++) {
      json_t *e = json_object_get(outs, score_outputs[k]);
      if (e) json_object_set(sorted, score_outputs[k], e);
    }
    json_object_set_new(row, "outputs", sorted);
  }
  return s;
}

/* The result of a finished sweep: the design and every point's rows. */
static json_t *sweep_result_json(const legation_run *run, json_t *rows, legation_status st) {
  static const char *const dn[] = {"grid", "lhs", "sobol"};
  legation_design design = LEGATION_DESIGN_GRID;
  int64_t npoints = 0;
  legation_run_sweep_spec(run, &design, &npoints, NULL, NULL);
  json_t *o = result_head(run, npoints * legation_run_reps_per_world(run), st),
         *keys = json_array();
  json_object_set_new(o, "design", json_string(dn[design]));
  json_object_set_new(o, "points", json_integer((json_int_t)npoints));
  json_object_set_new(o, "reps_per_point",
                      json_integer((json_int_t)legation_run_reps_per_world(run)));
  for (int k = 0; k < legation_run_vary_count(run); k++)
    json_array_append_new(keys, json_string(legation_run_vary_key(run, k)));
  json_object_set_new(o, "keys", keys);
  json_object_set_new(o, "rows", json_incref(rows));
  return o;
}

static int on_progress(void *user, int64_t done, int64_t total) {
  jrun *x = user;
  job *j = x->j;
  server *s = j->srv;
  pthread_mutex_lock(&s->mu);
  j->done = done;
  j->total = total;
  int stop = j->cancel || s->stopping;
  pthread_mutex_unlock(&s->mu);
  return stop;
}

/* legation_session_error_fn: a full disk during a job; the run goes on
 * without the store, its row resumable from the last checkpoint. */
static void on_store_error(void *user, legation_status st, const char *msg) {
  job *j = user;
  (void)st;
  cli_err("serve: job %lld: results store %s; the job goes on without it", (long long)j->id, msg);
}

/* With --db: record the job's run through a recording session of the
 * worker's own (a new stored run, or the one being resumed), its progress
 * callback chained after on_progress.  NULL, said on stderr, when the
 * store cannot be written: the job then runs without it. */
static legation_session *job_session_open(server *s, job *j, legation_run *run, jrun *x) {
  if (!s->db) return NULL;
  pthread_mutex_lock(&s->mu);
  int64_t run_id = j->run_id;
  pthread_mutex_unlock(&s->mu);
  serve_spec spec;
  char err[300] = "";
  legation_session *sess = NULL;
  if (serve_parse_job(j->request, strlen(j->request), &spec, err, sizeof err) == 0) {
    sess = serve_session_begin(s->db, run, &spec, j->id, run_id, on_progress, x, on_store_error,
                               j, err, sizeof err);
    serve_spec_free(&spec);
  }
  legation_store *st = sess ? legation_session_store(sess) : NULL;
  legation_status rc = st ? LEGATION_OK : LEGATION_EIO;
  if (st && run_id > 0 && x->rows) rc = stored_points(st, run_id, run, x->rows);
  if (st && rc == LEGATION_OK) {
    run_id = legation_session_id(sess);
    rc = legation_store_job_set(st, j->id, "running", run_id, "", NULL);
  }
  if (rc != LEGATION_OK) {
    cli_err("serve: job %lld runs without the results store: %s", (long long)j->id,
            st ? legation_store_errmsg(st) : err);
    legation_session_free(sess);
    legation_run_set_progress(run, on_progress, x); /* the session's is gone */
    return NULL;
  }
  pthread_mutex_lock(&s->mu);
  j->run_id = run_id;
  pthread_mutex_unlock(&s->mu);
  return sess;
}

/* ------------------------------------------------------------ study jobs */

/* What a study job's point sink needs: the store it records into (--db),
 * the factor names and what legation_store_study_block keeps. */
typedef struct jstudy {
  job *j;
  legation_store *st;   /* the session's store, or the resume's own; NULL after a failure */
  const char **keys;
  int nbase;
  int64_t keep_params;
} jstudy;

/* legation_study_sink_fn: each block of finished points into the store.  A
 * store that fails is said once and dropped; the study goes on. */
static int on_study_block(void *user, const legation_study_block *b) {
  jstudy *y = user;
  if (!y->st) return 0;
  if (legation_store_study_block(y->st, b, y->nbase, y->keep_params, y->keys) != LEGATION_OK) {
    cli_err("serve: job %lld: results store %s; the job goes on without it",
            (long long)y->j->id, legation_store_errmsg(y->st));
    y->st = NULL;
  }
  return 0;
}

/* With --db: record the study as `legation sensitivity`/`discover` do (a run
 * row of its scenarios, never executed, with the '@' settings; each block
 * of points as it finishes), or with run_id > 0 continue that row from its
 * stored points (restored into st, so the result equals an uninterrupted
 * study's).  Sets y->st (and *sess or *own, which hold it); said on stderr
 * and the job runs without the store when it cannot be written.  Returns
 * -1 only when a resume cannot read its points (the job then fails). */
static int study_store_open(server *s, job *j, const serve_spec *spec, legation_study *st,
                            const legation_scenario *base, const legation_scenario *opt,
                            jrun *x, jstudy *y, legation_session **sess, legation_store **own,
                            char **error) {
  if (!s->db) return 0;
  pthread_mutex_lock(&s->mu);
  int64_t run_id = j->run_id;
  pthread_mutex_unlock(&s->mu);
  int64_t planned = serve_study_points(spec, st) * spec->reps;
  char err[300] = "";
  if (run_id > 0) {
    legation_store *db = NULL;
    legation_status rc = legation_store_open(s->db, &db);
    if (rc == LEGATION_OK) rc = legation_store_study_resume(db, run_id);
    int resumed = rc == LEGATION_OK;
    int64_t np = 0, *n = NULL;
    double *m = NULL, *v = NULL;
    if (rc == LEGATION_OK)
      rc = legation_store_study_load(db, run_id, y->nbase, legation_study_output_count(st), &np,
                                     &m, &v, &n);
    if (rc == LEGATION_OK) rc = legation_study_restore_points(st, np, m, v, n);
    legation_free(m), legation_free(v), legation_free(n);
    if (rc == LEGATION_OK) rc = legation_store_job_set(db, j->id, "running", run_id, "", NULL);
    if (rc != LEGATION_OK) {
      const char *msg = db ? legation_store_errmsg(db) : "";
      char b[400];
      snprintf(b, sizeof b, "the results store cannot resume this study: %s",
               *msg ? msg : legation_strerror(rc));
      *error = strdup(b);
      if (resumed) legation_store_study_finish(db, LEGATION_EINTR, 0, NULL); /* resumable again */
      legation_store_close(db);
      return -1;
    }
    *own = y->st = db;
    return 0;
  }
  legation_run *rec = legation_run_new(base);
  if (!rec || (opt && legation_run_add_variant(rec, opt) != 1) ||
      legation_run_set_seed(rec, spec->seed) != LEGATION_OK) {
    legation_run_free(rec);
    cli_err("serve: job %lld runs without the results store: out of memory", (long long)j->id);
    return 0;
  }
  legation_study_request sreq = {spec->study == SERVE_DISCOVER ? "discover" : "sensitivity",
                                spec->morris ? "morris" : NULL, spec->n, spec->levels,
                                spec->where, spec->points, spec->threshold, 0, spec->reps,
                                spec->params, 0};
  char **lines = NULL;
  int nl = 0;
  legation_session *se = NULL;
  if (legation_study_settings(st, &sreq, &lines, &nl) == LEGATION_OK)
    se = serve_session_begin_with(s->db, rec, spec, j->id, 0, (const char *const *)lines, nl,
                                  planned, on_progress, x, on_store_error, j, err, sizeof err);
  else
    snprintf(err, sizeof err, "out of memory");
  legation_study_settings_free(lines, nl);
  legation_store *db = se ? legation_session_store(se) : NULL;
  legation_status rc = db ? legation_store_job_set(db, j->id, "running",
                                                   legation_session_id(se), "", NULL)
                          : LEGATION_EIO;
  if (rc != LEGATION_OK) {
    cli_err("serve: job %lld runs without the results store: %s", (long long)j->id,
            db ? legation_store_errmsg(db) : err);
    legation_session_free(se);
    legation_run_free(rec);
    return 0;
  }
  legation_run_free(rec); /* described the row; never executed */
  pthread_mutex_lock(&s->mu);
  j->run_id = legation_session_id(se);
  pthread_mutex_unlock(&s->mu);
  *sess = se;
  y->st = db;
  return 0;
}

/* A study job: built from its request (serve_build_study), run with the
 * job's progress and cancel, its result the JSON `legation sensitivity
 * --json` or `discover --json` prints (cli_sobol_doc, cli_morris_doc,
 * cli_discover_doc) with the CLI's 10 significant digits. */
/* How a study or calibration job ended: done with doc as its result (doc
 * is taken; written with the given real precision), cancelled or
 * interrupted when st is LEGATION_EINTR, else failed with msg (or the
 * status's message).  *result and *error are malloc'd or NULL. */
static jstate job_outcome(server *s, job *j, legation_status st, json_t *doc, size_t precision,
                          const char *msg, char **result, char **error) {
  jstate state;
  if (st == LEGATION_OK) {
    *result = doc ? json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER | precision) : NULL;
    state = *result ? J_DONE : J_FAILED;
    if (!*result) *error = strdup("out of memory");
  } else if (st == LEGATION_EINTR) {
    pthread_mutex_lock(&s->mu);
    state = j->cancel ? J_CANCELLED : J_INTERRUPTED;
    pthread_mutex_unlock(&s->mu);
  } else {
    *error = strdup(msg && *msg ? msg : legation_strerror(st));
    state = J_FAILED;
  }
  json_decref(doc);
  return state;
}

/* A study or calibration job has ended: its row in the store (--db,
 * through the server's handle) and its fields; result and error are
 * taken. */
static void job_save(server *s, job *j, jstate state, char *result, char *error) {
  if (s->store) {
    pthread_mutex_lock(&s->store_mu);
    if (legation_store_job_set(s->store, j->id, jstate_name[state], 0, error ? error : "",
                               result) != LEGATION_OK)
      cli_err("serve: job %lld: %s", (long long)j->id, legation_store_errmsg(s->store));
    pthread_mutex_unlock(&s->store_mu);
  }
  pthread_mutex_lock(&s->mu);
  j->result = result;
  j->error = error;
  if (state == J_FAILED && !error) j->error = strdup("out of memory");
  j->state = state;
  pthread_mutex_unlock(&s->mu);
}

static void run_study_job(server *s, job *j) {
  serve_spec spec;
  char err[300];
  legation_study *st = NULL;
  legation_scenario *base = NULL, *opt = NULL;
  char *msg = NULL, *result = NULL, *error = NULL;
  jstate state = J_FAILED;
  jrun x = {j, NULL, NULL, NULL};
  jstudy y = {j, NULL, NULL, 0, 0};
  legation_session *sess = NULL;
  legation_store *own = NULL;
  legation_status rs = LEGATION_EINTERNAL;
  int parsed = serve_parse_job(j->request, strlen(j->request), &spec, err, sizeof err) == 0;
  if (!parsed) {
    error = strdup(err);
  } else if (serve_build_study(&spec, &st, &base, &opt, &msg) != 0) {
    error = msg;
  } else {
    int nf = legation_study_factor_count(st);
    y.keys = calloc((size_t)nf + 1, sizeof *y.keys);
    for (int f = 0; y.keys && f < nf; f++) y.keys[f] = legation_study_factor_name(st, f);
    y.nbase = legation_study_base_outputs(st);
    y.keep_params = spec.study == SERVE_DISCOVER ? 1 : spec.morris ? nf + 1 : 2;
    legation_study_set_progress(st, on_progress, &x);
    if (!y.keys) {
      error = strdup("out of memory");
    } else if (study_store_open(s, j, &spec, st, base, opt, &x, &y, &sess, &own, &error) == 0) {
      legation_study_set_point_sink(st, on_study_block, &y);
      int64_t n = spec.n ? spec.n : spec.morris ? 20 : 1024;
      int levels = spec.levels ? (int)spec.levels : 4;
      int64_t points = spec.points ? spec.points : 2000;
      if (spec.study == SERVE_DISCOVER) {
        legation_prim_options o;
        legation_prim_defaults(&o);
        if (spec.threshold >= 0) o.threshold = spec.threshold;
        rs = legation_study_discover(st, spec.where, points, &o);
      } else {
        rs = spec.morris ? legation_study_morris(st, (int)n, levels) : legation_study_sobol(st, n);
      }
      const char *name = serve_study_scenario(&spec);
      json_t *doc = rs != LEGATION_OK ? NULL
                    : spec.study == SERVE_DISCOVER
                        ? cli_discover_doc(st, name, spec.seed, spec.where, points)
                    : spec.morris ? cli_morris_doc(st, name, spec.seed, (int)n, levels, rs)
                                  : cli_sobol_doc(st, name, spec.seed, n, rs);
      state = job_outcome(s, j, rs, doc, JSON_REAL_PRECISION(10), legation_study_errmsg(st),
                          &result, &error);
      if (y.st) {
        legation_status fs = legation_store_study_finish(
            y.st, rs, legation_study_points_done(st) * spec.reps, error ? error : "");
        if (fs != LEGATION_OK)
          cli_err("serve: job %lld: %s", (long long)j->id, legation_store_errmsg(y.st));
      }
    }
  }
  legation_session_free(sess);
  legation_store_close(own);
  free(y.keys);
  legation_study_free(st);
  legation_scenario_free(base);
  legation_scenario_free(opt);
  if (parsed) serve_spec_free(&spec);
  job_save(s, j, state, result, error);
}

/* Progress of a calibration over all its generations: a generation's
 * accepted particles offset by the generations before it. */
typedef struct jcalib {
  jrun x;
  int gen, generations;
} jcalib;

static int on_calib_progress(void *user, int64_t done, int64_t total) {
  jcalib *c = user;
  return on_progress(&c->x, (int64_t)c->gen * total + done, (int64_t)c->generations * total);
}

/* A calibration job: built from its request (serve_build_calibration), its
 * generations run with the job's progress and cancel, its result the JSON
 * `legation calibrate --no-store --json` prints (cli_calibrate_doc).  Not
 * kept in the store's calibrations (it is not a posterior for
 * --posterior) and not resumable: a stopped one starts again. */
static void run_calib_job(server *s, job *j) {
  serve_spec spec;
  char err[300];
  legation_abc *abc = NULL;
  char *result = NULL, *error = NULL;
  jstate state = J_FAILED;
  jcalib c = {{j, NULL, NULL, NULL}, 0, 20};
  int parsed = serve_parse_job(j->request, strlen(j->request), &spec, err, sizeof err) == 0;
  if (!parsed) {
    error = strdup(err);
  } else if (serve_build_calibration(&spec, &abc, &error) == 0) {
    c.generations = spec.generations ? (int)spec.generations : 20;
    legation_abc_set_progress(abc, on_calib_progress, &c);
    legation_status st = LEGATION_OK;
    while (!legation_abc_done(abc)) {
      c.gen = legation_abc_generations_done(abc);
      if ((st = legation_abc_step(abc)) != LEGATION_OK) break;
    }
    json_t *doc = st != LEGATION_OK
                      ? NULL
                      : cli_calibrate_doc(abc, serve_study_scenario(&spec), spec.seed,
                                          spec.particles ? spec.particles : 1000, c.generations, 0);
    state = job_outcome(s, j, st, doc, JSON_REAL_PRECISION(17), legation_abc_errmsg(abc), &result,
                        &error);
  }
  legation_abc_free(abc);
  if (parsed) serve_spec_free(&spec);
  job_save(s, j, state, result, error);
}

static void run_job(server *s, job *j) {
  if (j->study == SERVE_CALIBRATE) {
    run_calib_job(s, j);
    return;
  }
  if (j->study) {
    run_study_job(s, j);
    return;
  }
  legation_run *run = j->run;
  int64_t reps = j->total;
  jrun x = {j, run, NULL, j->sweep ? json_array() : NULL};
  legation_run_set_progress(run, on_progress, &x); /* a session chains it */
  pthread_mutex_lock(&s->mu);
  int resumed = j->run_id > 0;
  pthread_mutex_unlock(&s->mu);
  x.sess = job_session_open(s, j, run, &x);
  if (x.rows && resumed && !x.sess) {
    /* its points before the checkpoint are in the store only */
    json_decref(x.rows);
    pthread_mutex_lock(&s->mu);
    j->run = NULL;
    j->error = strdup("the results store cannot be read to resume this sweep");
    j->state = J_FAILED;
    pthread_mutex_unlock(&s->mu);
    legation_run_free(run);
    return;
  }
  if (x.rows) legation_run_set_world_sink(run, on_world, &x);
  /* the report's histograms and the CSV download: runs and comparisons */
  serve_capture *cap = x.rows ? NULL : serve_capture_begin(run, reps);
  legation_status st = legation_run_execute(run);
  char *result = NULL, *error = NULL;
  serve_artifacts art = {0};
  jstate state;
  if (st == LEGATION_OK) {
    json_t *r = x.rows ? sweep_result_json(run, x.rows, st) : result_json(run, reps, st);
    result = r ? json_dumps(r, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))
               : NULL;
    json_decref(r);
    if (!result || x.rows) {
      serve_capture_free(cap); /* a sweep has its rows, no report */
    } else if (serve_artifacts_make(&art, run, reps, st, cap) != 0) { /* frees cap */
      free(result);
      result = NULL;
    }
    cap = NULL;
    state = result ? J_DONE : J_FAILED;
    if (!result) error = strdup("out of memory");
  } else if (st == LEGATION_EINTR) {
    pthread_mutex_lock(&s->mu);
    state = j->cancel ? J_CANCELLED : J_INTERRUPTED; /* else the server stops */
    pthread_mutex_unlock(&s->mu);
  } else {
    const char *m = legation_run_errmsg(run);
    error = strdup(m && *m ? m : legation_strerror(st));
    state = J_FAILED;
  }
  if (x.sess) {
    legation_status fs = legation_session_finish(x.sess, st);
    if (fs != LEGATION_OK)
      cli_err("serve: job %lld: %s", (long long)j->id, legation_session_errmsg(x.sess));
    legation_session_free(x.sess);
    /* the job's row, through the server's handle */
    pthread_mutex_lock(&s->store_mu);
    if (fs == LEGATION_OK &&
        legation_store_job_set(s->store, j->id, jstate_name[state], 0, error ? error : "",
                               result) != LEGATION_OK)
      cli_err("serve: job %lld: %s", (long long)j->id, legation_store_errmsg(s->store));
    pthread_mutex_unlock(&s->store_mu);
  }
  json_decref(x.rows);
  pthread_mutex_lock(&s->mu);
  j->done = legation_run_reps_done(run);
  j->run = NULL;
  j->result = result;
  j->error = error;
  j->art = art;
  j->state = state;
  pthread_mutex_unlock(&s->mu);
  serve_capture_free(cap);
  legation_run_free(run);
}

static void *worker(void *arg) {
  server *s = arg;
  pthread_mutex_lock(&s->mu);
  for (;;) {
    job *j = NULL;
    while (!s->stopping) {
      for (int i = 0; i < s->njobs && !j; i++)
        if (s->jobs[i]->state == J_QUEUED) j = s->jobs[i];
      if (j) break;
      pthread_cond_wait(&s->cv, &s->mu);
    }
    if (s->stopping) break;
    j->state = J_RUNNING;
    pthread_mutex_unlock(&s->mu);
    run_job(s, j);
    pthread_mutex_lock(&s->mu);
  }
  pthread_mutex_unlock(&s->mu);
  return NULL;
}

/* ------------------------------------------------------------- handlers */

/* A handler answers with an HTTP status and a JSON body (*out), or a
 * status >= 400 and a message in err (and optionally *out for details). */
typedef struct hctx {
  server *s;
  struct MHD_Connection *c;
  const req *r;
  int64_t id;           /* {id} of the path */
  json_t *out;
  char err[512];
  char location[64];    /* a Location header, "" for none */
  serve_download dl;    /* a download instead of JSON: dl.body set */
} hctx;
typedef unsigned (*handler_fn)(hctx *h);

static unsigned fail(hctx *h, unsigned code, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static unsigned fail(hctx *h, unsigned code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(h->err, sizeof h->err, fmt, ap);
  va_end(ap);
  return code;
}

/* The loader's messages as [{text, line, col}] ("FILE:LINE:COL: ..."). */
static json_t *messages_json(const char *msg) {
  json_t *arr = json_array();
  const char *p = msg ? msg : "";
  while (*p) {
    size_t n = strcspn(p, "\n");
    json_t *e = json_object();
    json_object_set_new(e, "text", json_stringn(p, n));
    const char *c1 = memchr(p, ':', n);
    long line = 0, col = 0;
    if (c1) {
      char *end;
      line = strtol(c1 + 1, &end, 10);
      if (end > c1 + 1 && *end == ':' && isdigit((unsigned char)end[1]))
        col = strtol(end + 1, NULL, 10);
      else
        line = 0;
    }
    json_object_set_new(e, "line", line > 0 ? json_integer(line) : json_null());
    json_object_set_new(e, "col", col > 0 ? json_integer(col) : json_null());
    json_array_append_new(arr, e);
    p += n;
    if (*p) p++;
  }
  return arr;
}

static unsigned h_index(hctx *h);

static unsigned h_scenarios(hctx *h) {
  json_t *arr = json_array();
  for (int i = 0; i < legation_builtin_count(); i++) {
    json_t *e = json_object();
    json_object_set_new(e, "name", jstr(legation_builtin_name(i)));
    json_object_set_new(e, "title", jstr(legation_builtin_title(i)));
    json_array_append_new(arr, e);
  }
  h->out = json_object();
  json_object_set_new(h->out, "default", json_string(CLI_DEFAULT_SCENARIO));
  json_object_set_new(h->out, "scenarios", arr);
  return 200;
}

static const char *const ptype_name[] = {"real", "int", "bool", "enum", "string"};

static unsigned h_params(hctx *h) {
  const char *name = MHD_lookup_connection_value(h->c, MHD_GET_ARGUMENT_KIND, "scenario");
  if (!name) name = CLI_DEFAULT_SCENARIO;
  if (strlen(name) > 63 || !legation_builtin_text(name))
    return fail(h, 404, "scenario: no built-in scenario of that name (GET /api/scenarios)");
  int bi = -1;
  for (int i = 0; i < legation_builtin_count() && bi < 0; i++)
    if (strcmp(legation_builtin_name(i), name) == 0) bi = i;
  if (bi >= 0 && h->s->params) {
    pthread_mutex_lock(&h->s->mu);
    h->out = json_incref(h->s->params[bi]);
    pthread_mutex_unlock(&h->s->mu);
    if (h->out) return 200;
  }
  legation_scenario *sc = legation_scenario_new();
  if (!sc) return fail(h, 500, "out of memory");
  legation_status st = legation_scenario_load_builtin(sc, name);
  if (st != LEGATION_OK) {
    legation_scenario_free(sc);
    return fail(h, 500, "%s: %s", name, legation_strerror(st));
  }
  json_t *arr = json_array();
  for (int i = 0; i < legation_param_count(); i++) {
    legation_param p;
    if (legation_param_get(sc, i, &p) != LEGATION_OK) continue;
    json_t *e = json_object();
    json_object_set_new(e, "key", jstr(p.key));
    json_object_set_new(e, "type", json_string(ptype_name[p.type <= LEGATION_PT_STRING ? p.type : 0]));
    json_object_set_new(e, "text", json_string(p.text));
    json_object_set_new(e, "value", p.type == LEGATION_PT_STRING ? json_null() : cli_json_num(p.value));
    json_object_set_new(e, "unit", jstr(p.unit));
    json_object_set_new(e, "description", jstr(p.description));
    if (p.choices) json_object_set_new(e, "choices", json_string(p.choices));
    /* numbers; for a choice the index range, as `legation params --json` */
    int num = p.type != LEGATION_PT_STRING;
    json_object_set_new(e, "min", num ? cli_json_num(p.min) : json_null());
    json_object_set_new(e, "max", num ? cli_json_num(p.max) : json_null());
    json_object_set_new(e, "default", num ? cli_json_num(p.default_value) : json_null());
    json_object_set_new(e, "source", jstr(p.source));
    if (p.has_range) {
      json_t *pr = json_object();
      json_object_set_new(pr, "dist", jstr(p.dist));
      if (p.nalternatives > 0) { /* a choice: weighted alternatives, as `params --json` */
        json_t *alts = json_array();
        for (int k = 0; k < p.nalternatives && k < 8; k++) {
          json_t *al = json_object();
          json_object_set_new(al, "index", cli_json_num(p.alt_value[k]));
          json_object_set_new(al, "weight", cli_json_num(p.alt_weight[k]));
          json_array_append_new(alts, al);
        }
        json_object_set_new(pr, "alternatives", alts);
      } else {
        json_object_set_new(pr, "lo", cli_json_num(p.range_lo));
        json_object_set_new(pr, "hi", cli_json_num(p.range_hi));
      }
      json_object_set_new(pr, "uncertain", json_boolean(p.uncertain));
      if (p.range_source) json_object_set_new(pr, "source", json_string(p.range_source));
      json_object_set_new(e, "plausible", pr);
    } else {
      json_object_set_new(e, "plausible", json_null());
    }
    json_array_append_new(arr, e);
  }
  h->out = json_object();
  json_object_set_new(h->out, "scenario", json_string(name));
  json_object_set_new(h->out, "title", jstr(legation_scenario_title(sc)));
  json_object_set_new(h->out, "params", arr);
  legation_scenario_free(sc);
  if (bi >= 0 && h->s->params) {
    pthread_mutex_lock(&h->s->mu);
    if (!h->s->params[bi]) h->s->params[bi] = json_incref(h->out);
    pthread_mutex_unlock(&h->s->mu);
  }
  return 200;
}

static unsigned h_validate(hctx *h) {
  legation_scenario *sc = legation_scenario_new();
  if (!sc) return fail(h, 500, "out of memory");
  legation_status st = serve_load_upload(sc, h->r->body ? h->r->body : "", h->r->len);
  if (st == LEGATION_OK) st = legation_scenario_validate(sc);
  h->out = json_object();
  json_object_set_new(h->out, "ok", json_boolean(st == LEGATION_OK));
  if (st == LEGATION_OK) {
    json_object_set_new(h->out, "name", jstr(legation_scenario_name(sc)));
    json_object_set_new(h->out, "title", jstr(legation_scenario_title(sc)));
  } else {
    const char *m = legation_scenario_errmsg(sc);
    json_object_set_new(h->out, "messages",
                        messages_json(m && *m ? m : legation_strerror(st)));
  }
  legation_scenario_free(sc);
  return 200;
}

static const char *job_kind(const job *j) {
  return j->study == SERVE_SENSITIVITY ? "sensitivity"
         : j->study == SERVE_DISCOVER  ? "discover"
         : j->study == SERVE_CALIBRATE ? "calibrate"
         : j->sweep                    ? "sweep"
         : j->noptions                 ? "compare"
                                       : "run";
}

static json_t *job_json(const job *j) {
  json_t *o = json_object();
  json_object_set_new(o, "id", json_integer((json_int_t)j->id));
  json_object_set_new(o, "kind", json_string(job_kind(j)));
  json_object_set_new(o, "scenario", jstr(j->scenario));
  json_object_set_new(o, "status", json_string(jstate_name[j->state]));
  json_object_set_new(o, "cancel_requested", json_boolean(j->cancel));
  json_object_set_new(o, "done", json_integer((json_int_t)j->done));
  json_object_set_new(o, "total", json_integer((json_int_t)j->total));
  json_object_set_new(o, "run_id", j->run_id > 0 ? json_integer((json_int_t)j->run_id)
                                                 : json_null());
  if (j->error) json_object_set_new(o, "error", json_string(j->error));
  return o;
}

/* Drop the oldest finished jobs beyond SERVE_MAX_KEPT (under s->mu); the
 * store keeps them (--db). */
static void evict(server *s) {
  int finished = 0;
  for (int i = 0; i < s->njobs; i++) finished += s->jobs[i]->state >= J_DONE;
  for (int i = 0; i < s->njobs && finished > SERVE_MAX_KEPT;) {
    if (s->jobs[i]->state >= J_DONE) {
      job_free(s->jobs[i]);
      memmove(&s->jobs[i], &s->jobs[i + 1], (size_t)(s->njobs - i - 1) * sizeof *s->jobs);
      s->njobs--;
      finished--;
    } else {
      i++;
    }
  }
}

static unsigned h_job_post(hctx *h) {
  serve_spec spec;
  char err[300];
  if (serve_parse_job(h->r->body ? h->r->body : "", h->r->len, &spec, err, sizeof err) != 0)
    return fail(h, 400, "%s", err);
  server *s = h->s;
  pthread_mutex_lock(&s->mu);
  int queued = 0;
  for (int i = 0; i < s->njobs; i++) queued += s->jobs[i]->state == J_QUEUED;
  int stopping = s->stopping;
  pthread_mutex_unlock(&s->mu);
  if (stopping) {
    serve_spec_free(&spec);
    return fail(h, 503, "the server is stopping");
  }
  if (queued >= SERVE_MAX_QUEUED) {
    serve_spec_free(&spec);
    return fail(h, 429, "%d jobs are waiting already (at most %d): try again later",
                queued, SERVE_MAX_QUEUED);
  }
  legation_run *run = NULL;
  legation_study *study = NULL;
  legation_scenario *sbase = NULL;
  char *msg = NULL;
  /* a study is built here to check it (and count its design), and again
   * by the worker that runs it */
  legation_abc *calib = NULL;
  if (spec.study == SERVE_CALIBRATE ? serve_build_calibration(&spec, &calib, &msg) != 0
      : spec.study                  ? serve_build_study(&spec, &study, &sbase, NULL, &msg) != 0
                                    : serve_build_run(&spec, &run, &msg) != 0) {
    serve_spec_free(&spec);
    h->out = json_object();
    json_object_set_new(h->out, "messages", messages_json(msg));
    free(msg);
    return fail(h, 422, spec.study ? "the study cannot be run as asked (see messages)"
                                   : "the scenario or its overrides have errors (see messages)");
  }
  job *j = calloc(1, sizeof *j);
  const char *bn = calib ? serve_study_scenario(&spec)
                         : legation_scenario_name(run ? legation_run_variant_scenario(run, 0)
                                                      : sbase);
  legation_abc_free(calib);
  if (j) j->scenario = strdup(bn ? bn : "");
  if (j) j->request = strndup(h->r->body ? h->r->body : "", h->r->len);
  int64_t study_total = study ? serve_study_points(&spec, study) * spec.reps : 0;
  legation_study_free(study);
  legation_scenario_free(sbase);
  if (!j || !j->scenario || !j->request) {
    if (j) free(j->scenario), free(j->request);
    free(j);
    legation_run_free(run);
    serve_spec_free(&spec);
    return fail(h, 500, "out of memory");
  }
  j->study = spec.study;
  j->srv = s;
  j->run = run;
  j->noptions = spec.noptions;
  j->sweep = spec.nvary > 0;
  j->total = spec.reps; /* replications of each scenario, as the progress says */
  legation_design design;
  int64_t npoints;
  if (j->sweep && legation_run_sweep_spec(run, &design, &npoints, NULL, NULL) == LEGATION_OK)
    j->total = npoints * spec.reps;
  if (j->study) j->total = study_total; /* design points x reps */
  if (j->study == SERVE_CALIBRATE) /* accepted particles of every generation */
    j->total = (spec.particles ? spec.particles : 1000) * (spec.generations ? spec.generations : 20);
  j->created = now_s();
  serve_spec_free(&spec);
  int64_t stored_id = 0;
  if (s->store) { /* the store numbers the jobs, across restarts */
    pthread_mutex_lock(&s->store_mu);
    legation_status st =
        legation_store_job_add(s->store, job_kind(j), j->request, "queued",
                               &stored_id);
    char m[300];
    snprintf(m, sizeof m, "%s", legation_store_errmsg(s->store));
    pthread_mutex_unlock(&s->store_mu);
    if (st != LEGATION_OK) {
      job_free(j);
      return fail(h, 500, "the results store: %s", *m ? m : legation_strerror(st));
    }
  }
  pthread_mutex_lock(&s->mu);
  evict(s);
  job **nj = realloc(s->jobs, (size_t)(s->njobs + 1) * sizeof *nj);
  if (!nj) {
    pthread_mutex_unlock(&s->mu);
    job_free(j);
    return fail(h, 500, "out of memory");
  }
  s->jobs = nj;
  j->id = stored_id ? stored_id : s->next_id++;
  s->jobs[s->njobs++] = j;
  h->out = job_json(j);
  pthread_cond_signal(&s->cv);
  pthread_mutex_unlock(&s->mu);
  snprintf(h->location, sizeof h->location, "/api/jobs/%lld", (long long)j->id);
  return 202;
}

static unsigned h_job_list(hctx *h) {
  server *s = h->s;
  json_t *arr = json_array();
  pthread_mutex_lock(&s->mu);
  for (int i = s->njobs - 1; i >= 0; i--) json_array_append_new(arr, job_json(s->jobs[i]));
  pthread_mutex_unlock(&s->mu);
  h->out = json_object();
  json_object_set_new(h->out, "jobs", arr);
  return 200;
}

static unsigned h_job_get(hctx *h) {
  server *s = h->s;
  pthread_mutex_lock(&s->mu);
  job *j = job_find(s, h->id);
  if (j) {
    h->out = job_json(j);
    if (j->result) json_object_set_new(h->out, "result", json_loads(j->result, 0, NULL));
  }
  pthread_mutex_unlock(&s->mu);
  if (!j) return fail(h, 404, "no job %lld (finished jobs are kept until %d newer ones finish)",
                      (long long)h->id, SERVE_MAX_KEPT);
  return 200;
}

/* Save a job's new state in the store (--db) from a request's thread. */
static void store_state(server *s, int64_t id, jstate state) {
  if (!s->store) return;
  pthread_mutex_lock(&s->store_mu);
  if (legation_store_job_set(s->store, id, jstate_name[state], 0, NULL, NULL) != LEGATION_OK)
    cli_err("serve: job %lld: %s", (long long)id, legation_store_errmsg(s->store));
  pthread_mutex_unlock(&s->store_mu);
}

static unsigned h_job_delete(hctx *h) {
  server *s = h->s;
  unsigned code = 202;
  int saved = 0;
  pthread_mutex_lock(&s->mu);
  job *j = job_find(s, h->id);
  if (j && (j->state == J_QUEUED || j->state == J_INTERRUPTED)) {
    j->state = J_CANCELLED;
    j->cancel = 1;
    legation_run_free(j->run);
    j->run = NULL;
    saved = 1;
  } else if (j && j->state == J_RUNNING) {
    j->cancel = 1; /* the progress callback stops the run */
  } else if (j) {
    code = 409;
  }
  if (j) h->out = job_json(j);
  pthread_mutex_unlock(&s->mu);
  if (!j) return fail(h, 404, "no job %lld", (long long)h->id);
  if (code == 409) return fail(h, 409, "job %lld has finished", (long long)h->id);
  if (saved) store_state(s, h->id, J_CANCELLED);
  return code;
}

/* POST /api/jobs/{id}/resume: an interrupted or cancelled job queued again
 * (--db).  With a stored run, the run is rebuilt at its last checkpoint and
 * goes on from there (legation_store_rebuild, as `legation run --resume`),
 * so the result is that of the uninterrupted job; a job stopped before it
 * had a run starts from its request. */
static unsigned h_job_resume(hctx *h) {
  server *s = h->s;
  pthread_mutex_lock(&s->mu);
  job *j = job_find(s, h->id);
  jstate state = j ? j->state : J_DONE;
  int64_t run_id = j ? j->run_id : 0;
  char *request = j ? strdup(j->request) : NULL;
  int queued = 0;
  for (int i = 0; i < s->njobs; i++) queued += s->jobs[i]->state == J_QUEUED;
  pthread_mutex_unlock(&s->mu);
  if (!j) return fail(h, 404, "no job %lld", (long long)h->id);
  unsigned code = 0;
  if (!request)
    code = fail(h, 500, "out of memory");
  else if (state != J_INTERRUPTED && state != J_CANCELLED)
    code = fail(h, 409, "job %lld is %s: only an interrupted or cancelled job can be resumed",
                (long long)h->id, jstate_name[state]);
  else if (!s->store)
    code = fail(h, 409, "job %lld: resuming needs the results store (start the server with --db)",
                (long long)h->id);
  else if (queued >= SERVE_MAX_QUEUED)
    code = fail(h, 429, "%d jobs are waiting already (at most %d): try again later", queued,
                SERVE_MAX_QUEUED);
  if (code) {
    free(request);
    return code;
  }
  legation_run *run = NULL;
  char *msg = NULL;
  pthread_mutex_lock(&s->mu);
  int study = j->study;
  pthread_mutex_unlock(&s->mu);
  if (study) {
    /* a study is built by its worker, which restores its stored points */
  } else if (run_id > 0) {
    pthread_mutex_lock(&s->store_mu);
    legation_status st = legation_store_rebuild(s->store, run_id, &run);
    if (st != LEGATION_OK) {
      const char *m = legation_store_errmsg(s->store);
      msg = strdup(m && *m ? m : legation_strerror(st));
    }
    pthread_mutex_unlock(&s->store_mu);
  } else {
    serve_spec spec;
    char err[300];
    if (serve_parse_job(request, strlen(request), &spec, err, sizeof err) != 0)
      msg = strdup(err);
    else if (serve_build_run(&spec, &run, &msg) != 0)
      run = NULL;
    serve_spec_free(&spec);
  }
  free(request);
  if (!run && !study) {
    code = fail(h, 500, "job %lld cannot be resumed: %s", (long long)h->id,
                msg ? msg : "out of memory");
    free(msg);
    return code;
  }
  free(msg);
  pthread_mutex_lock(&s->mu);
  j = job_find(s, h->id); /* another request may have resumed it meanwhile */
  if (!j || (j->state != J_INTERRUPTED && j->state != J_CANCELLED) || s->stopping) {
    pthread_mutex_unlock(&s->mu);
    legation_run_free(run);
    return fail(h, 409, "job %lld changed meanwhile", (long long)h->id);
  }
  j->run = run;
  j->state = J_QUEUED;
  j->cancel = 0;
  j->run_id = run_id; /* 0: a new stored run */
  free(j->error);
  j->error = NULL;
  j->done = run ? legation_run_reps_done(run) : j->done;
  h->out = job_json(j);
  pthread_cond_signal(&s->cv);
  pthread_mutex_unlock(&s->mu);
  store_state(s, h->id, J_QUEUED);
  snprintf(h->location, sizeof h->location, "/api/jobs/%lld", (long long)h->id);
  return 202;
}

typedef struct runs_acc {
  json_t *arr;
  int n;
} runs_acc;

static int on_stored(void *user, const legation_store_run *r) {
  runs_acc *a = user;
  json_t *e = json_object();
  json_object_set_new(e, "id", json_integer((json_int_t)r->id));
  json_object_set_new(e, "kind",
                      json_string(legation_stored_kind_name(legation_store_run_kind(r))));
  json_object_set_new(e, "status", jstr(r->status));
  json_object_set_new(e, "created", jstr(r->created));
  json_object_set_new(e, "scenario", jstr(r->scenario_name));
  json_object_set_new(e, "title", jstr(r->scenario_title));
  json_object_set_new(e, "label", jstr(r->label));
  json_object_set_new(e, "variants", json_integer(r->variants));
  json_object_set_new(e, "seed", cli_json_seed(r->seed));
  json_object_set_new(e, "reps_requested", json_integer((json_int_t)r->reps_requested));
  json_object_set_new(e, "reps_done", json_integer((json_int_t)r->reps_done));
  json_object_set_new(e, "months", json_integer(r->months));
  json_object_set_new(e, "seconds", cli_json_num(r->seconds));
  json_array_append_new(a->arr, e);
  return ++a->n >= 1000; /* newest first; the page shows the latest */
}

static unsigned h_runs(hctx *h) {
  server *s = h->s;
  runs_acc a = {json_array(), 0};
  if (s->store) {
    pthread_mutex_lock(&s->store_mu);
    legation_status st = legation_store_list(s->store, on_stored, &a);
    char m[300];
    snprintf(m, sizeof m, "%s", legation_store_errmsg(s->store));
    pthread_mutex_unlock(&s->store_mu);
    if (st != LEGATION_OK) {
      json_decref(a.arr);
      return fail(h, 500, "the results store: %s", *m ? m : legation_strerror(st));
    }
  }
  h->out = json_object();
  json_object_set_new(h->out, "store", json_boolean(s->store != NULL));
  json_object_set_new(h->out, "runs", a.arr);
  return 200;
}

/* ------------------------------------- the workbench's routes (serve_page.c) */

static unsigned h_check(hctx *h) {
  char *msg = NULL;
  unsigned code = serve_check(h->r->body, h->r->len, &h->out, &msg, h->err, sizeof h->err);
  if (msg) json_object_set_new(h->out, "messages", messages_json(msg));
  free(msg);
  return code;
}

static unsigned h_history(hctx *h) { return serve_history(h->c, &h->out, h->err, sizeof h->err); }

/* GET /api/jobs/{id}/report and /csv: what the finished job kept. */
static unsigned job_download(hctx *h, const char *what) {
  server *s = h->s;
  const char *format = MHD_lookup_connection_value(h->c, MHD_GET_ARGUMENT_KIND, "format");
  unsigned code;
  pthread_mutex_lock(&s->mu);
  job *j = job_find(s, h->id);
  if (!j)
    code = fail(h, 404, "no job %lld (finished jobs are kept until %d newer ones finish)",
                (long long)h->id, SERVE_MAX_KEPT);
  else if (j->state != J_DONE)
    code = fail(h, 409, "job %lld is %s: only a finished job has a %s", (long long)h->id,
                jstate_name[j->state], what);
  else if (!j->art.data)
    code = fail(h, 409, "job %lld has no %s: %s", (long long)h->id, what,
                j->study ? "a study's result is its JSON (GET /api/jobs/{id}; `legation "
                           "report RUN` makes its report from the store)"
                : j->sweep ? "a sweep's result is its rows (GET /api/jobs/{id})"
                         : "it finished before this server started (its run is in the store)");
  else
    code = serve_download_make(&h->dl, &j->art, "job", j->id, j->scenario, what, format, h->err,
                               sizeof h->err);
  pthread_mutex_unlock(&s->mu);
  return code;
}
static unsigned h_job_report(hctx *h) { return job_download(h, "report"); }
static unsigned h_job_csv(hctx *h) { return job_download(h, "csv"); }

/* GET /api/runs/{id}/report and /export: a stored run's report and tables. */
static unsigned run_download(hctx *h, const char *what) {
  server *s = h->s;
  const char *format = MHD_lookup_connection_value(h->c, MHD_GET_ARGUMENT_KIND, "format");
  const char *table = MHD_lookup_connection_value(h->c, MHD_GET_ARGUMENT_KIND, "what");
  if (!s->store) return fail(h, 404, "this server has no results store (start it with --db)");
  pthread_mutex_lock(&s->store_mu);
  unsigned code =
      serve_stored_download(&h->dl, s->store, h->id, what, table, format, h->err, sizeof h->err);
  pthread_mutex_unlock(&s->store_mu);
  return code;
}
static unsigned h_run_report(hctx *h) { return run_download(h, "report"); }
static unsigned h_run_export(hctx *h) { return run_download(h, "csv"); }

/* ---------------------------------------------------------- route table */

typedef struct route {
  const char *method;
  const char *path;   /* "/api/jobs/{id}": {id} is a positive integer */
  const char *ctype;  /* the body's media type (POST), NULL for none */
  handler_fn fn;
  const char *summary;
} route;

#define YAML_TYPES "application/yaml|application/x-yaml|text/yaml|text/x-yaml"
static const route routes[] = {
    {"GET", "/api", NULL, h_index, "this list of routes and the limits"},
    {"GET", "/api/scenarios", NULL, h_scenarios, "the built-in scenarios: name and title"},
    {"GET", "/api/params", NULL, h_params,
     "every parameter of a built-in scenario (?scenario=NAME): value, valid range, plausible "
     "range, unit, source"},
    {"POST", "/api/validate", YAML_TYPES, h_validate,
     "check a scenario's YAML: ok, or the loader's messages with line and column"},
    {"POST", "/api/jobs", "application/json", h_job_post,
     "start a run (no options), a comparison, a sweep (vary) or a study (study: sensitivity "
     "or discover) as a job; answers its id"},
    {"GET", "/api/jobs", NULL, h_job_list, "the jobs kept, newest first"},
    {"GET", "/api/jobs/{id}", NULL, h_job_get,
     "a job's status and progress, and its result (the scorecard) once done"},
    {"DELETE", "/api/jobs/{id}", NULL, h_job_delete, "cancel a job"},
    {"POST", "/api/jobs/{id}/resume", "application/json", h_job_resume,
     "resume an interrupted or cancelled job from its last checkpoint (--db)"},
    {"GET", "/api/runs", NULL, h_runs, "the runs of the results store (--db), newest first"},
    {"POST", "/api/check", "application/json", h_check,
     "check a job request as POST /api/jobs would, without running it: ok, or the loader's "
     "messages"},
    {"GET", "/api/jobs/{id}/report", NULL, h_job_report,
     "a finished job's HTML report, as `run --report` or `compare --report` writes it "
     "(?format=json: the report's data)"},
    {"GET", "/api/jobs/{id}/csv", NULL, h_job_csv,
     "a finished job's results as CSV, as `run --csv` or `compare --csv` prints them"},
    {"GET", "/api/runs/{id}/report", NULL, h_run_report,
     "a stored run's HTML report (a run or a comparison), as `legation report ID -o FILE` "
     "writes it (?format=json: the report's data)"},
    {"GET", "/api/runs/{id}/export", NULL, h_run_export,
     "a stored run's table as CSV (?what=summary|series|reps|events|params|variants|diffs|"
     "points|point_params|files; summary by default), as `legation export ID --what TABLE` "
     "prints it"},
    {"GET", "/api/history", NULL, h_history,
     "the record's events (?pair=A-B&from=YEAR&to=YEAR&action=A), as `history --json`"},
};
#define NROUTES ((int)(sizeof routes / sizeof routes[0]))

static unsigned h_index(hctx *h) {
  json_t *arr = json_array();
  for (int i = 0; i < NROUTES; i++) {
    json_t *e = json_object();
    json_object_set_new(e, "method", json_string(routes[i].method));
    json_object_set_new(e, "path", json_string(routes[i].path));
    json_object_set_new(e, "summary", json_string(routes[i].summary));
    json_array_append_new(arr, e);
  }
  json_t *lim = json_object();
  json_object_set_new(lim, "body_bytes", json_integer((json_int_t)SERVE_MAX_BODY));
  json_object_set_new(lim, "reps", json_integer(SERVE_MAX_REPS));
  json_object_set_new(lim, "options", json_integer(SERVE_MAX_OPTIONS));
  json_object_set_new(lim, "queued_jobs", json_integer(SERVE_MAX_QUEUED));
  json_object_set_new(lim, "study_runs", json_integer(SERVE_MAX_STUDY_RUNS));
  h->out = json_object();
  json_object_set_new(h->out, "name", json_string("legation"));
  json_object_set_new(h->out, "version", json_string(legation_version()));
  json_object_set_new(h->out, "routes", arr);
  json_object_set_new(h->out, "limits", lim);
  return 200;
}

/* Does url match the route's path?  Sets *id for "{id}" (anywhere in it). */
static int path_match(const char *pattern, const char *url, int64_t *id) {
  const char *br = strstr(pattern, "{id}");
  if (!br) return strcmp(pattern, url) == 0;
  size_t n = (size_t)(br - pattern);
  if (strncmp(pattern, url, n) != 0) return 0;
  const char *d = url + n;
  size_t k = strspn(d, "0123456789");
  if (k == 0 || k > 18 || strcmp(d + k, br + 4) != 0 || d[0] == '0') return 0;
  *id = strtoll(d, NULL, 10);
  return 1;
}

/* Is the request's media type one of the '|'-separated types? */
static int ctype_ok(const char *want, const char *got) {
  if (!got) return 0;
  size_t gl = strcspn(got, ";");
  while (gl && got[gl - 1] == ' ') gl--;
  for (const char *w = want; *w;) {
    size_t k = strcspn(w, "|");
    if (k == gl && strncasecmp(w, got, k) == 0) return 1;
    w += k;
    if (*w == '|') w++;
  }
  return 0;
}

/* ------------------------------------------------------------- HTTP */

static enum MHD_Result send_json(struct MHD_Connection *c, unsigned code, json_t *body,
                                 const char *location) {
  char *txt = body ? json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER |
                                          JSON_REAL_PRECISION(15))
                   : NULL;
  json_decref(body);
  if (!txt) {
    code = 500;
    txt = strdup("{\"error\":\"out of memory\"}");
    if (!txt) return MHD_NO;
  }
  struct MHD_Response *resp =
      MHD_create_response_from_buffer(strlen(txt), txt, MHD_RESPMEM_MUST_FREE);
  if (!resp) {
    free(txt);
    return MHD_NO;
  }
  MHD_add_response_header(resp, "Content-Type", "application/json; charset=utf-8");
  MHD_add_response_header(resp, "Content-Security-Policy",
                          "default-src 'none'; frame-ancestors 'none'");
  MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(resp, "X-Frame-Options", "DENY");
  MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
  MHD_add_response_header(resp, "Cache-Control", "no-store");
  if (code == 401) MHD_add_response_header(resp, "WWW-Authenticate", "Bearer");
  if (location && *location) MHD_add_response_header(resp, "Location", location);
  enum MHD_Result rc = MHD_queue_response(c, code, resp);
  MHD_destroy_response(resp);
  return rc;
}

static enum MHD_Result send_error(struct MHD_Connection *c, unsigned code, const char *msg,
                                  json_t *extra) {
  json_t *o = extra ? extra : json_object();
  json_object_set_new(o, "error", json_string(msg));
  return send_json(c, code, o, NULL);
}

/* Constant time in the token's content: every byte is compared. */
static int token_equal(const char *given, size_t gl, const char *token) {
  size_t tl = strlen(token);
  unsigned char d = (unsigned char)(gl != tl);
  for (size_t i = 0; i < tl; i++) d |= (unsigned char)((i < gl ? given[i] : 0) ^ token[i]);
  return d == 0;
}

/* 0, or the status (and message) refusing the request before its body. */
static unsigned check_access(server *s, struct MHD_Connection *c, const char **msg) {
  if (s->token) {
    const char *a = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (!a || strncasecmp(a, "Bearer ", 7) != 0 || !token_equal(a + 7, strlen(a + 7), s->token)) {
      *msg = "this server needs 'Authorization: Bearer TOKEN' (the --token it was started with)";
      return 401;
    }
    return 0;
  }
  const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
  if (!host) return 0;
  for (int i = 0; i < s->nhosts; i++)
    if (strcasecmp(host, s->hosts[i]) == 0) return 0;
  *msg = "the Host header does not name this server's loopback address (start it with "
         "--token to serve other names)";
  return 421;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls) {
  (void)version;
  server *s = cls;
  req *r = *con_cls;
  if (!r) {
    if (!(r = calloc(1, sizeof *r))) return MHD_NO;
    *con_cls = r;
    const char *msg = NULL;
    unsigned code = check_access(s, c, &msg);
    if (code == 401 && serve_page_is_asset(url)) code = 0; /* the page asks for the token */
    if (code) return send_error(c, code, msg, NULL);
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                 MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl && (strlen(cl) > 12 || strtoull(cl, NULL, 10) > SERVE_MAX_BODY))
      r->too_big = 1;
    if (r->too_big) goto too_big;
    return MHD_YES;
  }
  if (*upload_size) {
    size_t n = *upload_size;
    *upload_size = 0;
    if (r->too_big) return MHD_YES;
    if (r->len + n > SERVE_MAX_BODY) {
      r->too_big = 1;
      free(r->body);
      r->body = NULL;
      r->len = 0;
      return MHD_YES;
    }
    char *nb = realloc(r->body, r->len + n + 1);
    if (!nb) return MHD_NO;
    memcpy(nb + r->len, upload, n);
    r->len += n;
    nb[r->len] = 0;
    r->body = nb;
    return MHD_YES;
  }
  if (r->too_big) goto too_big;

  if (serve_page_is_asset(url)) return (enum MHD_Result)serve_page_send(c, url, method);
  hctx h = {.s = s, .c = c, .r = r};
  const route *rt = NULL;
  int path_known = 0;
  for (int i = 0; i < NROUTES && !rt; i++) {
    int64_t id = 0;
    if (!path_match(routes[i].path, url, &id)) continue;
    path_known = 1;
    if (strcmp(routes[i].method, method) == 0) {
      rt = &routes[i];
      h.id = id;
    }
  }
  if (!rt) {
    if (path_known) return send_error(c, 405, "method not allowed on this path (GET /api)", NULL);
    return send_error(c, 404, "no such route (GET /api lists them)", NULL);
  }
  if (rt->ctype &&
      !ctype_ok(rt->ctype, MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                       MHD_HTTP_HEADER_CONTENT_TYPE))) {
    char m[200];
    snprintf(m, sizeof m, "expected a body of Content-Type %s", rt->ctype);
    for (char *p = m; *p; p++)
      if (*p == '|') *p = ',';
    return send_error(c, 415, m, NULL);
  }
  if (!rt->ctype && r->len) return send_error(c, 400, "this route takes no body", NULL);
  unsigned code = rt->fn(&h);
  if (h.dl.body && code < 400) return (enum MHD_Result)serve_send_download(c, code, &h.dl);
  free(h.dl.body);
  if (code >= 400) return send_error(c, code, h.err, h.out);
  return send_json(c, code, h.out, h.location);
too_big: {
  char m[120];
  snprintf(m, sizeof m, "the request body is larger than %zu bytes", SERVE_MAX_BODY);
  return send_error(c, 413, m, NULL);
}
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe) {
  (void)cls, (void)c, (void)toe;
  req *r = *con_cls;
  if (r) free(r->body);
  free(r);
  *con_cls = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap) {
  (void)cls;
  char m[512];
  vsnprintf(m, sizeof m, fmt, ap);
  size_t n = strlen(m);
  while (n && (m[n - 1] == '\n' || m[n - 1] == ' ')) m[--n] = 0;
  cli_err("serve: %s", m);
}

/* ------------------------------------------------------------- command */

/* The jobs of the store (--db) as a new server finds them: those a server
 * that is gone left queued or running are interrupted (saved so); those of
 * another live server on the same store are not ours and are skipped. */
typedef struct loaded {
  server *s;
  int64_t *orphans;     /* ids to save as interrupted once the list ends */
  int norphans;
  int oom;
} loaded;

static int on_job_loaded(void *user, const legation_store_job *sj) {
  loaded *L = user;
  server *s = L->s;
  jstate state = J_DONE;
  int known = 0;
  for (int k = 0; k < (int)(sizeof jstate_name / sizeof jstate_name[0]); k++)
    if (strcmp(sj->state, jstate_name[k]) == 0) state = (jstate)k, known = 1;
  if (!known) return 0;
  if (state == J_QUEUED || state == J_RUNNING) {
    if (!sj->orphan) return 0;
    int64_t *o = realloc(L->orphans, (size_t)(L->norphans + 1) * sizeof *o);
    if (!o) return L->oom = 1;
    L->orphans = o;
    o[L->norphans++] = sj->id;
    state = J_INTERRUPTED;
  }
  serve_spec spec;
  char err[300];
  int parsed = serve_parse_job(sj->request, strlen(sj->request), &spec, err, sizeof err) == 0;
  job *j = calloc(1, sizeof *j);
  job **nj = j ? realloc(s->jobs, (size_t)(s->njobs + 1) * sizeof *nj) : NULL;
  if (!nj) {
    free(j);
    if (parsed) serve_spec_free(&spec);
    return L->oom = 1;
  }
  s->jobs = nj;
  j->id = sj->id;
  j->srv = s;
  j->state = state;
  j->run_id = sj->run_id;
  j->created = sj->created;
  j->request = strdup(sj->request);
  j->scenario = strdup(parsed && spec.scenario ? spec.scenario : "");
  j->noptions = parsed ? spec.noptions : strcmp(sj->kind, "compare") == 0;
  j->sweep = parsed ? spec.nvary > 0 : strcmp(sj->kind, "sweep") == 0;
  j->study = parsed                                   ? spec.study
             : strcmp(sj->kind, "sensitivity") == 0 ? SERVE_SENSITIVITY
             : strcmp(sj->kind, "discover") == 0    ? SERVE_DISCOVER
             : strcmp(sj->kind, "calibrate") == 0   ? SERVE_CALIBRATE
                                                    : SERVE_NO_STUDY;
  j->total = parsed && !spec.study ? spec.reps : 0; /* a study's: from its stored run */
  j->done = state == J_DONE ? j->total : 0;
  if (*sj->error) j->error = strdup(sj->error);
  if (sj->result) j->result = strdup(sj->result);
  if (parsed && spec.nvary) { /* points x reps: the points of a grid are its levels' product */
    int64_t np = 1;
    for (int k = 0; k < spec.nvary; k++) np *= spec.vary[k].levels ? spec.vary[k].levels : 5;
    j->total = (spec.design == LEGATION_DESIGN_GRID ? np : spec.points ? spec.points : 100) *
               spec.reps;
  }
  if (parsed) serve_spec_free(&spec);
  s->jobs[s->njobs++] = j;
  if (!j->request || !j->scenario) return L->oom = 1;
  /* where a stored run stopped: its base's name and the replications done */
  legation_store_run r;
  if (j->run_id > 0 && (state != J_DONE || j->study) &&
      legation_store_get(s->store, j->run_id, &r) == LEGATION_OK) {
    j->done = r.reps_done;
    if (j->study) j->total = r.reps_requested;
    if (!*j->scenario && r.scenario_name) {
      free(j->scenario);
      j->scenario = strdup(r.scenario_name);
      if (!j->scenario) return L->oom = 1;
    }
  }
  evict(s);
  return 0;
}

/* 0, or -1 with the message said. */
static int load_jobs(server *s) {
  loaded L = {s, NULL, 0, 0};
  legation_status st = legation_store_job_list(s->store, on_job_loaded, &L);
  for (int i = 0; st == LEGATION_OK && i < L.norphans; i++)
    st = legation_store_job_set(s->store, L.orphans[i], "interrupted", 0, NULL, NULL);
  free(L.orphans);
  if (L.oom) {
    cli_err("serve: out of memory reading the jobs of the store");
    return -1;
  }
  if (st != LEGATION_OK) {
    cli_err("serve: %s", legation_store_errmsg(s->store));
    return -1;
  }
  return 0;
}

int cli_cmd_serve(const cli_args *a) {
  const char *bind = a->bind ? a->bind : "127.0.0.1";
  unsigned port = 8080;
  if (a->port) {
    uint64_t u;
    if (cli_parse_u64(a->port, &u) != 0 || u > 65535)
      return cli_usage_error(a->cmd, "--port: expected an integer from 0 to 65535, found '%s'",
                             a->port);
    port = (unsigned)u;
  }
  int jobs = a->jobs ? (int)(a->jobs > SERVE_MAX_WORKERS ? -1 : a->jobs) : 2;
  if (jobs < 0)
    return cli_usage_error(a->cmd, "--jobs: expected an integer from 1 to %d, found %lld",
                           SERVE_MAX_WORKERS, (long long)a->jobs);
  if (a->token) {
    size_t tl = strlen(a->token);
    int ok = tl >= 16 && tl <= 256;
    for (size_t i = 0; i < tl && ok; i++) ok = a->token[i] > 0x20 && a->token[i] < 0x7f;
    if (!ok)
      return cli_usage_error(a->cmd, "--token: expected 16 to 256 printable characters "
                                     "without spaces");
  }
  struct sockaddr_in in4;
  struct sockaddr_in6 in6;
  memset(&in4, 0, sizeof in4);
  memset(&in6, 0, sizeof in6);
  int v6 = 0, loopback;
  if (inet_pton(AF_INET, bind, &in4.sin_addr) == 1) {
    in4.sin_family = AF_INET;
    in4.sin_port = htons((uint16_t)port);
    loopback = (ntohl(in4.sin_addr.s_addr) >> 24) == 127;
  } else if (inet_pton(AF_INET6, bind, &in6.sin6_addr) == 1) {
    v6 = 1;
    in6.sin6_family = AF_INET6;
    in6.sin6_port = htons((uint16_t)port);
    loopback = IN6_IS_ADDR_LOOPBACK(&in6.sin6_addr);
  } else {
    return cli_usage_error(a->cmd, "--bind: expected an IPv4 or IPv6 address, found '%s'", bind);
  }
  if (!loopback && !a->token) {
    cli_err("serve: refusing to listen on %s without --token: other machines could run "
            "jobs and read results; give --token, or bind 127.0.0.1",
            bind);
    return CLI_EXIT_USAGE;
  }

  server srv;
  memset(&srv, 0, sizeof srv);
  srv.next_id = 1;
  srv.token = a->token;
  if (a->db) {
    if (access(a->db, F_OK) != 0) {
      cli_err("serve: %s: no such results store", a->db);
      return CLI_EXIT_IO;
    }
    legation_status st = legation_store_open(a->db, &srv.store);
    if (st != LEGATION_OK) {
      cli_err("serve: %s", srv.store ? legation_store_errmsg(srv.store) : legation_strerror(st));
      legation_store_close(srv.store);
      return CLI_EXIT_IO;
    }
    srv.db = a->db;
    if (load_jobs(&srv) != 0) {
      for (int i = 0; i < srv.njobs; i++) job_free(srv.jobs[i]);
      free(srv.jobs);
      legation_store_close(srv.store);
      return CLI_EXIT_IO;
    }
  }
  srv.params = calloc((size_t)legation_builtin_count() + 1, sizeof *srv.params);
  pthread_mutex_init(&srv.mu, NULL);
  pthread_mutex_init(&srv.store_mu, NULL);
  pthread_cond_init(&srv.cv, NULL);

  /* SIGINT and SIGTERM are taken by sigwait below: blocked in every thread */
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGINT);
  sigaddset(&sigs, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &sigs, NULL);
  signal(SIGPIPE, SIG_IGN);

  unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG | (v6 ? MHD_USE_IPv6 : 0);
  struct MHD_Daemon *d = MHD_start_daemon(
      flags, (uint16_t)port, NULL, NULL, handle, &srv, MHD_OPTION_EXTERNAL_LOGGER, mhd_log,
      (void *)NULL, MHD_OPTION_SOCK_ADDR,
      v6 ? (struct sockaddr *)&in6 : (struct sockaddr *)&in4, MHD_OPTION_CONNECTION_TIMEOUT,
      (unsigned)10, MHD_OPTION_CONNECTION_LIMIT, (unsigned)256,
      MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)64,
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)65536, MHD_OPTION_NOTIFY_COMPLETED, completed,
      (void *)NULL, MHD_OPTION_END);
  int rc = CLI_EXIT_OK;
  pthread_t *workers = NULL;
  int nworkers = 0;
  if (!d) {
    cli_err("serve: cannot listen on %s port %u", bind, port);
    rc = CLI_EXIT_IO;
    goto out;
  }
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
  unsigned bound = info ? info->port : port;
  /* Host headers a browser sends for this address */
  const char *names[] = {bind, "localhost", v6 ? "::1" : "127.0.0.1"};
  for (int i = 0; i < 3 && loopback; i++) {
    int br = strchr(names[i], ':') != NULL;
    snprintf(srv.hosts[srv.nhosts++], sizeof srv.hosts[0], "%s%s%s:%u", br ? "[" : "", names[i],
             br ? "]" : "", bound);
  }
  workers = calloc((size_t)jobs, sizeof *workers);
  for (int i = 0; workers && i < jobs; i++)
    if (pthread_create(&workers[i], NULL, worker, &srv) == 0) nworkers++;
  if (nworkers == 0) {
    cli_err("serve: cannot start the worker threads");
    rc = CLI_EXIT_RUN;
  } else {
    printf("listening on http://%s%s%s:%u/api (%d job worker%s%s)\n", v6 ? "[" : "", bind,
           v6 ? "]" : "", bound, nworkers, nworkers == 1 ? "" : "s",
           a->token ? ", token required" : "");
    printf("the workbench: open http://%s%s%s:%u/ in a browser\n", v6 ? "[" : "", bind,
           v6 ? "]" : "", bound);
    fflush(stdout);
    int sig = 0;
    sigwait(&sigs, &sig);
    printf("stopping (%s)\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    fflush(stdout);
  }
  MHD_stop_daemon(d);
out:
  pthread_mutex_lock(&srv.mu);
  srv.stopping = 1;
  pthread_cond_broadcast(&srv.cv);
  pthread_mutex_unlock(&srv.mu);
  for (int i = 0; i < nworkers; i++) pthread_join(workers[i], NULL);
  free(workers);
  for (int i = 0; i < srv.njobs; i++) job_free(srv.jobs[i]);
  free(srv.jobs);
  for (int i = 0; srv.params && i < legation_builtin_count(); i++) json_decref(srv.params[i]);
  free(srv.params);
  legation_store_close(srv.store);
  pthread_cond_destroy(&srv.cv);
  pthread_mutex_destroy(&srv.mu);
  pthread_mutex_destroy(&srv.store_mu);
  pthread_sigmask(SIG_UNBLOCK, &sigs, NULL);
  return rc;
}
