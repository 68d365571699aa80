/* SPDX-License-Identifier: GPL-3.0-or-later */
/* testmodels.c - analytic test models selectable as "test:NAME" scenarios
 * of `legation sensitivity` and `legation discover`, evaluated through the
 * same evaluator callback a simulation uses, so the estimators are tested
 * exactly as they are used.  Known answers in docs/SENSITIVITY.md. */
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"

enum { TM_ISHIGAMI, TM_ISHIGAMI_NOISE, TM_GFUNCTION, TM_GFUNCTION60, TM_LINEAR, TM_BOX, TM_COUNT_ };

typedef struct test_model {
  const char *name;
  const char *description;
  int k;
  double lo, hi;            /* every factor's range unless ranges[] is set */
  const double *ranges;     /* k pairs, or NULL */
  const char *const *outputs;
  int noutputs;
} test_model;

static const char *const out_y[] = {"y"};
static const char *const out_yz[] = {"y", "z"};
static const double linear_ranges[] = {0, 1, 0, 2, -1, 1, 0, 10};
/* Sobol G-function coefficients (Saltelli et al. 2008, p. 123 uses these). */
static const double g_a[8] = {0, 1, 4.5, 9, 99, 99, 99, 99};
/* Ishigami constants and the noise of the noisy variant */
#define ISH_A 7.0
#define ISH_B 0.1
#define ISH_NOISE_SD 2.0
#define PI 3.14159265358979323846

static const test_model models[TM_COUNT_] = {
    {"test:ishigami",
     "Ishigami function y = sin x1 + 7 sin^2 x2 + 0.1 x3^4 sin x1, x in [-pi, pi]^3; "
     "S1 = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437)",
     3, -PI, PI, NULL, out_y, 1},
    {"test:ishigami-noise",
     "the Ishigami function plus normal noise of sd 2, independent between replications "
     "and points: noise variance 4 / reps per point mean",
     3, -PI, PI, NULL, out_y, 1},
    {"test:gfunction",
     "Sobol G-function y = prod (|4 x_i - 2| + a_i) / (1 + a_i), x in [0, 1]^8, "
     "a = (0, 1, 4.5, 9, 99, 99, 99, 99)",
     8, 0, 1, NULL, out_y, 1},
    {"test:gfunction60",
     "the G-function in 60 dimensions, a = (0, 1, 4.5, 9, then 99 x 56): the size of the "
     "default scenario's uncertain set, for timing the estimators",
     60, 0, 1, NULL, out_y, 1},
    {"test:linear",
     "y = x1 + 2 x2 - 3 x3 + 0 x4 with x1 in [0,1], x2 in [0,2], x3 in [-1,1], x4 in [0,10] "
     "(elementary effects per whole range 1, 4, -6, 0); z = x1 x2",
     4, 0, 1, linear_ranges, out_yz, 2},
    {"test:box",
     "y = 1 inside the planted box 0.2 <= x1 <= 0.6 and 0.5 <= x4 <= 0.9 of [0, 1]^6, "
     "else 0 (for discover --where \"y > 0.5\")",
     6, 0, 1, NULL, out_y, 1},
};

int legation_test_model_count(void) { return TM_COUNT_; }
const char *legation_test_model_name(int i) {
  return i >= 0 && i < TM_COUNT_ ? models[i].name : NULL;
}
const char *legation_test_model_description(int i) {
  return i >= 0 && i < TM_COUNT_ ? models[i].description : NULL;
}

/* Standard normal from a hash of (seed, replication, the point's bits):
 * independent between points and replications, reproducible. */
static double noise(uint64_t seed, int64_t rep, const double *x, int k) {
  uint64_t h = seed ^ 0x6e6f697365ULL;
  for (int i = 0; i < k; i++) {
    uint64_t b;
    memcpy(&b, &x[i], sizeof b);
    h ^= b;
    la_splitmix64(&h);
  }
  h ^= (uint64_t)rep * 0xd1b54a32d192ed03ULL;
  double u1 = la_uniform(&h), u2 = la_uniform(&h);
  return sqrt(-2.0 * log(1.0 - u1)) * cos(2.0 * PI * u2);
}

static legation_status test_eval(void *user, const double *points, int64_t npoints,
                                 int nfactors, int64_t reps, uint64_t seed, double *out,
                                 int noutputs, char *err, size_t errsz) {
  int id = *(const int *)user;
  (void)err;
  (void)errsz;
  if (nfactors != models[id].k || noutputs != models[id].noutputs) return LEGATION_EINVAL;
  for (int64_t p = 0; p < npoints; p++) {
    const double *x = points + p * nfactors;
    double y = 0, z = 0;
    switch (id) {
    case TM_ISHIGAMI:
    case TM_ISHIGAMI_NOISE:
      y = sin(x[0]) + ISH_A * sin(x[1]) * sin(x[1]) + ISH_B * pow(x[2], 4) * sin(x[0]);
      break;
    case TM_GFUNCTION:
    case TM_GFUNCTION60:
      y = 1;
      for (int i = 0; i < nfactors; i++) {
        double a = i < 8 ? g_a[i] : 99;
        y *= (fabs(4 * x[i] - 2) + a) / (1 + a);
      }
      break;
    case TM_LINEAR:
      y = x[0] + 2 * x[1] - 3 * x[2] + 0 * x[3];
      z = x[0] * x[1];
      break;
    case TM_BOX:
      y = x[0] >= 0.2 && x[0] <= 0.6 && x[3] >= 0.5 && x[3] <= 0.9;
      break;
    }
    for (int64_t r = 0; r < reps; r++) {
      double *o = out + (p * reps + r) * noutputs;
      o[0] = y;
      if (id == TM_ISHIGAMI_NOISE) o[0] += ISH_NOISE_SD * noise(seed, r, x, nfactors);
      if (noutputs > 1) o[1] = z;
    }
  }
  return LEGATION_OK;
}

legation_status legation_study_use_test(legation_study *s, const char *name) {
  s->err[0] = 0;
  int id = -1;
  for (int i = 0; i < TM_COUNT_; i++)
    if (name && strcmp(models[i].name, name) == 0) id = i;
  if (id < 0) {
    char list[256] = "";
    for (int i = 0; i < TM_COUNT_; i++) {
      if (i) strcat(list, ", ");
      strcat(list, models[i].name);
    }
    return la_fail(s, LEGATION_ENOTFOUND, "unknown test model '%s' (known: %s)",
                   name ? name : "", list);
  }
  if (s->nfactors > 0 || s->eval)
    return la_fail(s, LEGATION_EINVAL, "a test model needs a new study");
  const test_model *m = &models[id];
  for (int i = 0; i < m->k; i++) {
    char nm[16];
    snprintf(nm, sizeof nm, "x%d", i + 1);
    double lo = m->ranges ? m->ranges[2 * i] : m->lo, hi = m->ranges ? m->ranges[2 * i + 1] : m->hi;
    legation_status st = legation_study_add_factor(s, nm, lo, hi, lo, "uniform");
    if (st != LEGATION_OK) return st;
  }
  int *state = malloc(sizeof *state);
  if (!state) return la_fail(s, LEGATION_ENOMEM, "out of memory");
  *state = id;
  free(s->test_state);
  s->test_state = state;
  return legation_study_set_evaluator(s, m->outputs, m->noutputs, test_eval, state);
}
