/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_stats.c - known-answer tests of the engine's statistics and random
 * streams: Welford and its merge, the quantile sketch's accuracy and exact
 * merge, Wilson intervals, and Philox stream independence. */
#include <stdlib.h>

#include "check.h"
#include "engine/rng.h"
#include "engine/stats.h"
#include "legation.h"

/* Merging blocks equals one pass (to rounding), and merging is exact when
 * repeated in the same order. */
static void welford_merge(void) {
  lg_welford all, a, b, c;
  lg_welford_reset(&all);
  lg_welford_reset(&a);
  lg_welford_reset(&b);
  double sum = 0, sum2 = 0;
  for (int i = 0; i < 1000; i++) {
    double x = sin(i * 0.37) * 100 + i * 0.01;
    lg_welford_add(&all, x);
    lg_welford_add(i < 370 ? &a : &b, x);
    sum += x;
    sum2 += x * x;
  }
  c = a;
  lg_welford_merge(&c, &b);
  CHECK_EQ_INT(c.n, 1000);
  CHECK_NEAR(c.mean, sum / 1000, 1e-12 * fabs(sum));
  double var = (sum2 - sum * sum / 1000) / 999;
  CHECK_NEAR(lg_welford_sd(&c) * lg_welford_sd(&c), var, 1e-9 * var);
  CHECK_NEAR(c.mean, all.mean, 1e-12);
  CHECK_EQ_INT(c.min == all.min && c.max == all.max, 1);
  /* NaN is skipped */
  lg_welford_add(&c, NAN);
  CHECK_EQ_INT(c.n, 1000);
}

static int cmp(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

/* Quantiles are within the sketch's relative accuracy for reals and exact
 * for small integers; merging two sketches equals sketching the union. */
static void sketch_accuracy(void) {
  enum { N = 20001 };
  static double v[N];
  lg_sketch s = {0}, s1 = {0}, s2 = {0}, si = {0};
  lg_rng r;
  lg_rng_seed(&r, 42, 0, 0);
  for (int i = 0; i < N; i++) {
    v[i] = exp(6 * lg_rng_uniform(&r) - 3) * (i % 7 == 0 ? -1 : 1);
    int32_t c = lg_sketch_code(v[i]);
    lg_sketch_add(&s, c);
    lg_sketch_add(i % 2 ? &s1 : &s2, c);
    lg_sketch_add(&si, lg_sketch_code((double)(i % 101) - 50));
  }
  qsort(v, N, sizeof v[0], cmp);
  const double qs[] = {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99};
  for (int k = 0; k < 7; k++) {
    double exact = v[(int)ceil(qs[k] * N) - 1];
    CHECK_NEAR(lg_sketch_quantile(&s, qs[k]), exact, LG_SKETCH_ALPHA * fabs(exact) * 1.0001);
  }
  lg_sketch_merge(&s1, &s2);
  CHECK_EQ_INT(s1.n, s.n);
  for (int k = 0; k < 7; k++) CHECK_EQ_INT(lg_sketch_quantile(&s1, qs[k]) == lg_sketch_quantile(&s, qs[k]), 1);
  /* integers -50..50, 198 or 199 of each: exact */
  CHECK_NEAR(lg_sketch_quantile(&si, 0.5), 0, 0);
  CHECK_NEAR(lg_sketch_quantile(&si, 0.0), -50, 0);
  CHECK_NEAR(lg_sketch_quantile(&si, 1.0), 50, 0);
  CHECK_EQ_INT(lg_sketch_code(NAN), LG_SKETCH_NAN);
  CHECK_NEAR(lg_sketch_value(lg_sketch_code(1e6)), 1e6, 1e6 * LG_SKETCH_ALPHA);
  lg_sketch_free(&s);
  lg_sketch_free(&s1);
  lg_sketch_free(&s2);
  lg_sketch_free(&si);
}

/* Wilson interval against a hand-computed value (k = 8, n = 20, z = 1.96). */
static void wilson(void) {
  double lo, hi;
  legation_wilson(8, 20, 1.959963984540054, &lo, &hi);
  CHECK_NEAR(lo, 0.2188, 1e-4);
  CHECK_NEAR(hi, 0.6134, 1e-4);
  legation_wilson(0, 50, 1.959963984540054, &lo, &hi);
  CHECK_NEAR(lo, 0, 1e-12);
  CHECK(hi > 0.05 && hi < 0.08);
}

/* Philox streams: the known-answer vector of Random123 (kat_vectors:
 * philox4x32 10 rounds, zero counter and key), a mean near 1/2, and
 * different (rep, stream) pairs give different sequences. */
static void philox(void) {
  philox4x32_ctr_t c = {{0, 0, 0, 0}};
  philox4x32_key_t k = {{0, 0}};
  philox4x32_ctr_t o = philox4x32(c, k);
  CHECK_EQ_INT(o.v[0], 0x6627e8d5u);
  CHECK_EQ_INT(o.v[1], 0xe169c58du);
  CHECK_EQ_INT(o.v[2], 0xbc57ac4cu);
  CHECK_EQ_INT(o.v[3], 0x9b00dbd8u);
  lg_rng a, b;
  lg_rng_seed(&a, 1, 0, 0);
  lg_rng_seed(&b, 1, 1, 0);
  int same = 0;
  double sum = 0;
  for (int i = 0; i < 100000; i++) {
    same += lg_rng_u32(&a) == lg_rng_u32(&b);
    sum += lg_rng_uniform(&a);
  }
  CHECK(same < 5);
  CHECK_NEAR(sum / 100000, 0.5, 4.5 * sqrt(1.0 / 12 / 100000));
  /* the GSL view draws the same stream */
  gsl_rng *g = gsl_rng_alloc(lg_gsl_philox);
  lg_rng_seed(lg_rng_of(g), 7, 3, 9);
  lg_rng_seed(&a, 7, 3, 9);
  CHECK_EQ_INT(gsl_rng_get(g), lg_rng_u32(&a));
  gsl_rng_free(g);
}

/* Status table: names and messages come from the one X-macro table. */
static void status_table(void) {
  CHECK_EQ_STR(legation_status_name(LEGATION_ENOMEM), "ENOMEM");
  CHECK_EQ_STR(legation_strerror(LEGATION_OK), "success");
  CHECK_EQ_STR(legation_strerror(9999), "unknown status");
  for (int i = 0; i < LEGATION_STATUS_COUNT_; i++) CHECK(legation_strerror(i) != NULL);
}

static const check_case cases[] = {
    {"welford_merge", welford_merge},
    {"sketch_accuracy", sketch_accuracy},
    {"wilson", wilson},
    {"philox", philox},
    {"status_table", status_table},
    {NULL, NULL},
};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
