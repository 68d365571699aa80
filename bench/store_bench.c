/* SPDX-License-Identifier: GPL-3.0-or-later */
/* store_bench.c - benchmark of the results store, called from bench.c's
 * main: what storing a run's summaries adds to a default run (target
 * < 5%), the time to store 10^6 replications' outputs (target < 5 s), and
 * the time and size of a study's points (a Sobol design of the default
 * scenario's size, stored block by block as legation sensitivity does).
 * Figures go to the FILE given (stderr when bench prints JSON). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "legation.h"

void store_bench(FILE *f);

static double sb_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Progress with checkpoints as `legation run` does; time in the store. */
typedef struct sb_prog {
  legation_store *st;
  const legation_run *run;
  double in_store;
} sb_prog;

static int sb_progress(void *user, int64_t done, int64_t total) {
  sb_prog *p = user;
  double t = sb_now();
  legation_store_progress(p->st, p->run, 0);
  p->in_store += sb_now() - t;
  return 0;
}

static legation_run *sb_run(int64_t reps) {
  legation_scenario *sc = legation_scenario_new();
  legation_scenario_load_builtin(sc, "us-russia-2025");
  legation_run *r = legation_run_new(sc);
  legation_scenario_free(sc);
  legation_run_set_reps(r, reps);
  return r;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

void store_bench(FILE *f) {
  char dir[] = "/tmp/legation-store-bench.XXXXXX";
  if (!mkdtemp(dir)) {
    fprintf(f, "\nresults store: cannot make a temporary directory\n");
    return;
  }
  char path[128];
  snprintf(path, sizeof path, "%s/bench.db", dir);
  legation_store *st;
  if (legation_store_open(path, &st) != LEGATION_OK) {
    fprintf(f, "\nresults store: %s\n", legation_store_errmsg(st));
    legation_store_close(st);
    return;
  }
  const char *text = legation_builtin_text("us-russia-2025");
  legation_store_meta meta = {text, strlen(text), "builtin:us-russia-2025", NULL, 0, 2000, 0, 0, 0};

  /* 1. a default run (2000 replications, all cores) with and without the
   * store, alternated; the store's own calls are timed too. */
  enum { N = 7 };
  double plain[N], stored[N], share[N];
  for (int i = 0; i < N; i++) {
    legation_run *r = sb_run(2000);
    double t0 = sb_now();
    legation_run_execute(r);
    plain[i] = sb_now() - t0;
    legation_run_free(r);

    r = sb_run(2000);
    sb_prog p = {st, r, 0};
    legation_run_set_progress(r, sb_progress, &p);
    int64_t id;
    t0 = sb_now();
    legation_store_begin(st, r, &meta, &id);
    p.in_store += sb_now() - t0;
    double t1 = sb_now();
    legation_run_execute(r);
    double t2 = sb_now();
    legation_store_finish(st, r, LEGATION_OK);
    double t3 = sb_now();
    p.in_store += t3 - t2;
    stored[i] = t3 - t0;
    share[i] = p.in_store / (t2 - t1);
    legation_run_free(r);
  }
  qsort(plain, N, sizeof plain[0], cmp_double);
  qsort(stored, N, sizeof stored[0], cmp_double);
  qsort(share, N, sizeof share[0], cmp_double);
  fprintf(f, "\nresults store (SQLite, WAL, %s)\n", path);
  fprintf(f, "  default run, 2000 replications: %.3f s plain, %.3f s stored (medians of %d)\n",
          plain[N / 2], stored[N / 2], N);
  fprintf(f, "  time in store calls / run time: %.1f%% median (target < 5%%); end to end %+.1f%%\n",
          100 * share[N / 2], 100 * (stored[N / 2] / plain[N / 2] - 1));

  /* 2. 10^6 replications' outputs through the sink, flushed, committed. */
  legation_run *r = sb_run(1);
  meta.reps = 1;
  meta.keep_reps = 1;
  int64_t id;
  legation_store_begin(st, r, &meta, &id);
  int nout = legation_output_count();
  double *v = calloc((size_t)nout, sizeof *v);
  double t0 = sb_now();
  int bad = 0;
  for (int64_t k = 0; k < 1000000 && !bad; k++) {
    for (int i = 0; i < nout; i++) v[i] = (double)k * 0.001 + i;
    bad = legation_store_rep_sink(st, k, 0, v, nout);
  }
  legation_run_execute(r);
  legation_store_finish(st, r, LEGATION_OK);
  double secs = sb_now() - t0;
  free(v);
  legation_run_free(r);
  fprintf(f, "  10^6 replications x %d outputs stored: %.2f s%s (target < 5 s)\n", nout, secs,
          bad ? " (FAILED)" : "");

  /* 3. A study's points: N = 64 base rows of 98 points (96 factors), the
   * outputs' mean, variance and count per point, in blocks of 204 points
   * (4096 replications at 20 per point), the A and B points' factors. */
  {
    const int k = 96, per_row = k + 2;
    const int64_t npts = 64 * (int64_t)per_row, B = 204;
    const char *ssets[] = {"@study=sensitivity"};
    legation_store_meta sm = meta;
    sm.sets = ssets, sm.nsets = 1, sm.reps = npts * 20, sm.keep_reps = 0;
    legation_run *sr = sb_run(1);
    double *x = malloc((size_t)B * k * sizeof *x), *mean = malloc((size_t)B * nout * sizeof *mean);
    double *var = malloc((size_t)B * nout * sizeof *var);
    int64_t *n = malloc((size_t)B * nout * sizeof *n);
    const char **keys = malloc((size_t)k * sizeof *keys);
    char (*kb)[32] = malloc((size_t)k * sizeof *kb);
    /* the file's growth, measured with the WAL folded in (closing does) */
    struct stat sb2;
    legation_store_close(st);
    st = NULL;
    double before = stat(path, &sb2) == 0 ? (double)sb2.st_size : NAN;
    int ok = sr && x && mean && var && n && keys && kb &&
             legation_store_open(path, &st) == LEGATION_OK &&
             legation_store_begin(st, sr, &sm, &id) == LEGATION_OK;
    for (int i = 0; ok && i < k; i++) {
      snprintf(kb[i], sizeof kb[i], "factor.%d", i);
      keys[i] = kb[i];
    }
    for (int64_t i = 0; ok && i < B * nout; i++) {
      mean[i] = 1000.0 / (double)(i + 1);
      var[i] = 10.0 / (double)(i + 3);
      n[i] = 20;
    }
    for (int64_t i = 0; ok && i < B * k; i++) x[i] = (double)i / 7;
    t0 = sb_now();
    for (int64_t p = 0; ok && p < npts; p += B) {
      int64_t c = npts - p < B ? npts - p : B;
      legation_study_block b = {p, c, k, nout, x, mean, var, n, per_row, (p + c) * 20};
      ok = legation_store_study_block(st, &b, nout, 2, keys) == LEGATION_OK;
    }
    if (ok) ok = legation_store_study_finish(st, LEGATION_OK, npts * 20, NULL) == LEGATION_OK;
    secs = sb_now() - t0;
    legation_store_close(st);
    st = NULL;
    double mb = stat(path, &sb2) == 0 ? ((double)sb2.st_size - before) / 1048576.0 : NAN;
    fprintf(f, "  a study's %lld points x %d outputs (Sobol, 96 factors, N = 64) stored: %.2f s, "
               "%.1f MB%s\n",
            (long long)npts, nout, secs, mb, ok ? "" : " (FAILED)");
    legation_run_free(sr);
    free(x), free(mean), free(var), free(n), free(keys), free(kb);
  }
  legation_store_close(st);
  char cmd[200];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) fprintf(f, "  (could not remove %s)\n", dir);
}
