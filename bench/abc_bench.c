/* SPDX-License-Identifier: GPL-3.0-or-later */
/* abc_bench.c - benchmark of the ABC-SMC calibration, called from bench.c's
 * main (or alone: legation_bench --abc): particles and simulations per
 * second on the built-in test models, and the calibration machinery's own
 * cost (proposals, distances, importance weights) for 8 parameters and 1000
 * particles with a model that costs nothing, with the simulations it used:
 * the real model's share is then simulations x its cost per simulation. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "legation.h"

void abc_bench(FILE *f);

static double ab_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* 8 parameters on [0, 1], each observed through its own statistic with a
 * little deterministic "noise" from the seed: a model of negligible cost. */
static legation_status ab_eval(void *user, legation_abc *abc, const double *pts, int64_t n,
                               int np, uint64_t seed, double *stats, int nstats) {
  (void)user;
  (void)abc;
  for (int64_t k = 0; k < n; k++) {
    uint64_t h = seed ^ (uint64_t)k * 0x9e3779b97f4a7c15ULL;
    for (int t = 0; t < nstats; t++) {
      h = (h ^ (h >> 31)) * 0xbf58476d1ce4e5b9ULL;
      double u = (double)(h >> 11) / 9007199254740992.0;
      stats[k * nstats + t] = pts[k * np + t] + 0.05 * (u - 0.5);
    }
  }
  return LEGATION_OK;
}

/* One calibration; prints a row. */
static void ab_row(FILE *f, const char *label, legation_abc *abc) {
  double t0 = ab_now();
  legation_status st = legation_abc_run(abc);
  double secs = ab_now() - t0;
  if (st != LEGATION_OK) {
    fprintf(f, "%-28s failed: %s\n", label, legation_abc_errmsg(abc));
    return;
  }
  int g = legation_abc_generations_done(abc);
  int64_t sims = 0;
  for (int i = 0; i < g; i++) {
    legation_abc_generation h;
    legation_abc_generation_get(abc, i, &h);
    sims += h.simulations;
  }
  double parts = (double)g * (double)legation_abc_particles(abc);
  fprintf(f, "%-28s %3d %10lld %8.2f %12.0f %12.0f\n", label, g, (long long)sims, secs,
          parts / secs, (double)sims / secs);
}

void abc_bench(FILE *f) {
  fprintf(f, "\nABC-SMC calibration (legation calibrate), 1000 particles, seed 1\n");
  fprintf(f, "%-28s %3s %10s %8s %12s %12s\n", "model", "gen", "sims", "seconds",
          "particles/s", "sims/s");
  static const char *const models[] = {"test:beta-binomial", "test:normal",
                                       "test:unidentifiable"};
  for (int m = 0; m < 3; m++) {
    legation_abc *abc = legation_abc_new();
    legation_abc_set_particles(abc, 1000);
    legation_abc_set_generations(abc, 20);
    legation_abc_use_test_model(abc, models[m], NULL, 0);
    ab_row(f, models[m], abc);
    legation_abc_free(abc);
  }
  legation_abc *abc = legation_abc_new();
  legation_abc_set_particles(abc, 1000);
  legation_abc_set_generations(abc, 10);
  for (int d = 0; d < 8; d++) {
    char key[16], name[16];
    snprintf(key, sizeof key, "theta%d", d);
    snprintf(name, sizeof name, "s%d", d);
    legation_abc_param p = {key, d % 2 ? "uniform" : "triangular", 0, 1, NAN, NAN};
    legation_abc_add_param(abc, &p);
    legation_abc_add_target(abc, name, 0.3 + 0.05 * d, 0.05);
  }
  legation_abc_set_evaluator(abc, ab_eval, NULL);
  ab_row(f, "8 params, free model, G=10", abc);
  legation_abc_free(abc);
}
