/* SPDX-License-Identifier: GPL-3.0-or-later */
/* store_bench.c - benchmark of the results store, called from bench.c's
 * main: what storing a run's summaries adds to a default run (target
 * < 5%), and the time to store 10^6 replications' outputs (target < 5 s).
 * Figures go to the FILE given (stderr when bench prints JSON). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
  legation_store_close(st);
  char cmd[200];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) fprintf(f, "  (could not remove %s)\n", dir);
}
