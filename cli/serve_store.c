/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * serve_store.c - the jobs of `legation serve --db` in the results store:
 * the run a job asks for is recorded by a recording session
 * (legation_session, the same code that records the CLI's runs: scenario
 * texts, the overrides, the '@' settings of drawn parameters or a sweep,
 * checkpoints chained after the server's progress callback), so that a job
 * that a killed or stopped server left behind is resumed from its last
 * checkpoint by a new server (POST /api/jobs/{id}/resume) exactly as
 * `legation run --resume ID` would.  The job rows themselves are
 * legation_store_job_* (src/store/jobs.c).  A study job's row is begun the
 * same way with the study's '@' settings (legation_study_settings), as
 * `legation sensitivity`/`discover` store theirs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve.h"

legation_session *serve_session_begin(const char *db, legation_run *run, const serve_spec *s,
                                      int64_t job_id, int64_t resume, legation_progress_fn progress,
                                      void *user, legation_session_error_fn on_error,
                                      void *error_user, char *err, size_t errn) {
  return serve_session_begin_with(db, run, s, job_id, resume, NULL, 0, 0, progress, user,
                                  on_error, error_user, err, errn);
}

legation_session *serve_session_begin_with(const char *db, legation_run *run,
                                           const serve_spec *s, int64_t job_id, int64_t resume,
                                           const char *const *settings, int nsettings,
                                           int64_t reps_planned, legation_progress_fn progress,
                                           void *user, legation_session_error_fn on_error,
                                           void *error_user, char *err, size_t errn) {
  legation_store *st = NULL;
  legation_status rc = legation_store_open(db, &st);
  if (rc != LEGATION_OK) {
    snprintf(err, errn, "%s", st ? legation_store_errmsg(st) : legation_strerror(rc));
    legation_store_close(st);
    return NULL;
  }
  legation_session *sess = legation_session_new(st); /* owns st from here */
  int n = s->noptions + 1;
  char(*origins)[80] = calloc((size_t)n, sizeof *origins);
  const char **ops = calloc((size_t)n, sizeof *ops), **texts = calloc((size_t)n, sizeof *texts);
  const char **sets = calloc((size_t)(s->nsets + nsettings) + 1, sizeof *sets);
  char **own = calloc((size_t)s->nsets + 1, sizeof *own);
  rc = LEGATION_ENOMEM;
  if (!sess || !origins || !ops || !texts || !sets || !own) goto out;
  /* the overrides in the request's order; the session adds the '@' ones */
  for (int i = 0; i < s->nsets; i++) {
    size_t len = strlen(s->keys[i]) + strlen(s->vals[i]) + 2;
    if (!(own[i] = malloc(len))) goto out;
    snprintf(own[i], len, "%s=%s", s->keys[i], s->vals[i]);
    sets[i] = own[i];
  }
  for (int i = 0; i < nsettings; i++) sets[s->nsets + i] = settings[i];
  /* what the request named, stored verbatim: nothing is read from disk */
  if (s->scenario) {
    snprintf(origins[0], sizeof origins[0], "builtin:%s", s->scenario);
    texts[0] = legation_builtin_text(s->scenario);
  } else {
    snprintf(origins[0], sizeof origins[0], "%s", SERVE_UPLOAD_NAME);
    texts[0] = s->yaml;
  }
  for (int i = 1; i < n; i++) {
    snprintf(origins[i], sizeof origins[0], "builtin:%s", s->options[i - 1]);
    texts[i] = legation_builtin_text(s->options[i - 1]);
  }
  for (int i = 0; i < n; i++) ops[i] = origins[i];
  char label[64];
  snprintf(label, sizeof label, "serve job %lld", (long long)job_id);
  /* a sweep's replications are its points x reps per point, as `legation
   * sweep` records them (a resume checks them against the checkpoint) */
  int64_t reps = s->reps, npoints;
  legation_design design;
  if (legation_run_sweep_spec(run, &design, &npoints, NULL, NULL) == LEGATION_OK)
    reps = npoints * legation_run_reps_per_world(run);
  if (reps_planned > 0) reps = reps_planned; /* a study: its design's replications */
  legation_session_spec spec = {.operands = ops, .noperands = n, .texts = texts,
                                .sets = sets, .nsets = s->nsets + nsettings, .reps = reps, .threads = 1,
                                .label = label, .checkpoint = -1, .progress = progress,
                                .progress_user = user, .on_error = on_error,
                                .error_user = error_user};
  rc = legation_session_begin(sess, run, &spec, resume);
out:
  if (rc != LEGATION_OK) {
    snprintf(err, errn, "%s",
             sess && *legation_session_errmsg(sess) ? legation_session_errmsg(sess)
                                                    : legation_strerror(rc));
    legation_session_free(sess);
    sess = NULL;
  }
  for (int i = 0; own && i < s->nsets; i++) free(own[i]);
  free(own);
  free(sets);
  free(texts);
  free(ops);
  free(origins);
  return sess;
}
