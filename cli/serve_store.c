/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * serve_store.c - the jobs of `legation serve --db` in the results store:
 * the run a job asks for recorded as a stored run (its scenario texts, the
 * overrides, the drawn-parameter settings, checkpoints from the progress
 * callback), so that a job that a killed or stopped server left behind is
 * resumed from its last checkpoint by a new server (POST
 * /api/jobs/{id}/resume) exactly as `legation run --resume ID` would.
 * The job rows themselves are legation_store_job_* (src/store/jobs.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "serve.h"

legation_status serve_store_begin(legation_store *st, const legation_run *run,
                                  const serve_spec *s, int64_t job_id, int64_t *run_id) {
  int nopt = s->noptions;
  legation_store_variant *var = calloc((size_t)nopt + 1, sizeof *var);
  char(*origins)[80] = calloc((size_t)nopt + 1, sizeof *origins);
  /* the overrides in the request's order, then the run settings ('@') */
  const char **sets = calloc((size_t)s->nsets + 3, sizeof *sets);
  char **own = calloc((size_t)s->nsets + 1, sizeof *own);
  char *vary = NULL, rpw[48], label[64];
  legation_status rc = LEGATION_ENOMEM;
  if (!var || !origins || !sets || !own) goto out;
  int nsets = 0;
  for (int i = 0; i < s->nsets; i++) {
    size_t len = strlen(s->keys[i]) + strlen(s->vals[i]) + 2;
    if (!(own[i] = malloc(len))) goto out;
    snprintf(own[i], len, "%s=%s", s->keys[i], s->vals[i]);
    sets[nsets++] = own[i];
  }
  if (cli_store_settings(run, 0, sets, &nsets, &vary, rpw, sizeof rpw) != 0) goto out;
  for (int i = 0; i < nopt; i++) {
    const char *t = legation_builtin_text(s->options[i]);
    snprintf(origins[i + 1], sizeof origins[0], "builtin:%s", s->options[i]);
    var[i] = (legation_store_variant){t, t ? strlen(t) : 0, origins[i + 1]};
  }
  const char *text = s->yaml;
  size_t tlen = s->yaml_len;
  if (s->scenario) {
    snprintf(origins[0], sizeof origins[0], "builtin:%s", s->scenario);
    text = legation_builtin_text(s->scenario);
    tlen = text ? strlen(text) : 0;
  } else {
    snprintf(origins[0], sizeof origins[0], "%s", SERVE_UPLOAD_NAME);
  }
  snprintf(label, sizeof label, "serve job %lld", (long long)job_id);
  /* a sweep's replications are its points x reps per point, as `legation
   * sweep` records them (a resume checks them against the checkpoint) */
  int64_t reps = s->reps, npoints;
  legation_design design;
  if (legation_run_sweep_spec(run, &design, &npoints, NULL, NULL) == LEGATION_OK)
    reps = npoints * legation_run_reps_per_world(run);
  legation_store_meta meta = {text,  tlen, origins[0], sets, nsets, reps, 1, 0, 0,
                              nopt ? var : NULL, nopt, label};
  rc = legation_store_begin(st, run, &meta, run_id);
out:
  for (int i = 0; own && i < s->nsets; i++) free(own[i]);
  free(own);
  free(sets);
  free(vary);
  free(var);
  free(origins);
  return rc;
}
