/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * serve.h - what `legation serve` (cmd_serve.c) shares with its request
 * parser (serve_job.c) and the fuzz target fuzz/fuzz_serve.c: the limits,
 * a job request parsed from JSON, scenario loading that never reads a
 * file, and a job's run in the results store (serve_ prefix).
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
#define SERVE_MAX_POINTS 10000           /* points of one sweep */

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
  int64_t points;     /* 0: 100 */
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

/* serve_store.c: record the run (from serve_build_run(s)) of job job_id
 * as a new stored run (legation_store_begin): the scenario texts, the
 * overrides, the drawn-parameter settings, one thread, labelled "serve job
 * N".  *run_id is its number; messages on st. */
legation_status serve_store_begin(legation_store *st, const legation_run *run,
                                  const serve_spec *s, int64_t job_id, int64_t *run_id);

#endif
