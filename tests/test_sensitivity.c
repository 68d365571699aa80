/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_sensitivity.c - the sensitivity and scenario-discovery layer
 * (src/analysis): the Sobol sequence against SciPy's points for Joe & Kuo's
 * direction numbers, Sobol indices of the Ishigami, G and linear functions
 * against their analytic values, groups, the replication-noise term,
 * stability across seeds, Morris effects of a linear function, PRIM on a
 * planted box, and refusals.  Every model runs through the public
 * evaluator path (legation_study_use_test). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/analysis.h"
#include "check.h"
#include "legation.h"

/* ---------------------------------------------------------------- sequence */

/* scipy.stats.qmc.Sobol(d=1111, scramble=False) (SciPy 1.10.1, Debian 12
 * python3-scipy, Joe & Kuo new-joe-kuo-6.21201 numbers): point n after
 * fast_forward(n), coordinate d as x * 2^30 (SciPy keeps 30 bits), for the
 * dimensions in ref_dims.  Produced by:
 *   python3 -c 'from scipy.stats import qmc
 *   dims = [0, 1, 2, 3, 9, 39, 40, 41, 99, 100, 500, 999, 1110]
 *   for n in [1, 2, 3, 5, 100, 1000, 12345, 65535, 1000000, 1048583]:
 *       s = qmc.Sobol(d=1111, scramble=False); s.fast_forward(n)
 *       x = s.random(1)[0]
 *       print(n, [round(x[d] * 2**30) for d in dims])' */
static const int ref_dims[13] = {0, 1, 2, 3, 9, 39, 40, 41, 99, 100, 500, 999, 1110};
static const struct {
  uint64_t n;
  uint32_t x[13];
} ref_points[] = {
    {1,
     {536870912, 536870912, 536870912, 536870912, 536870912, 536870912, 536870912,
      536870912, 536870912, 536870912, 536870912, 536870912, 536870912}},
    {2,
     {805306368, 268435456, 268435456, 268435456, 805306368, 268435456, 268435456,
      805306368, 805306368, 268435456, 268435456, 805306368, 805306368}},
    {3,
     {268435456, 805306368, 805306368, 805306368, 268435456, 805306368, 805306368,
      268435456, 268435456, 805306368, 805306368, 268435456, 268435456}},
    {5,
     {939524096, 939524096, 134217728, 402653184, 134217728, 402653184, 402653184,
      134217728, 402653184, 134217728, 939524096, 671088640, 402653184}},
    {100,
     {444596224, 276824064, 830472192, 780140544, 746586112, 142606336, 763363328,
      713031680, 947912704, 41943040, 192937984, 981467136, 494927872}},
    {1000,
     {235929600, 103809024, 556793856, 726663168, 74448896, 514850816, 980418560,
      273678336, 200278016, 825229312, 779091968, 214958080, 397410304}},
    {12345,
     {688193536, 873398272, 172163072, 565641216, 461307904, 1018101760, 231407616,
      859504640, 578617344, 579272704, 324861952, 140705792, 462880768}},
    {65535,
     {16384, 1073725440, 605372416, 817971200, 175980544, 467681280, 445464576,
      412631040, 507625472, 700104704, 502874112, 696664064, 67223552}},
    {1000000,
     {28427264, 334920704, 889054208, 717523968, 273161216, 549121024, 173714432,
      369736704, 321696768, 42327040, 570690560, 311122944, 434852864}},
    {1048583,
     {134219264, 905977344, 863903232, 1029123584, 418504192, 503429632, 661355008,
      20739584, 419296768, 213094912, 983798272, 662051328, 983674368}},
};

static void sobol_reference(void) {
  la_sobol q;
  char err[256];
  CHECK_EQ_INT(la_sobol_init(&q, LA_SOBOL_MAX_DIMS, 0, err, sizeof err), LEGATION_OK);
  uint32_t *x = malloc(LA_SOBOL_MAX_DIMS * sizeof *x);
  la_sobol_point_u32(&q, 0, x);
  for (int d = 0; d < LA_SOBOL_MAX_DIMS; d++) CHECK_EQ_INT(x[d], 0);
  for (size_t i = 0; i < sizeof ref_points / sizeof ref_points[0]; i++) {
    la_sobol_point_u32(&q, ref_points[i].n, x);
    for (int j = 0; j < 13; j++) {
      /* 32-bit direction numbers are SciPy's 30-bit ones shifted by 2 */
      CHECK_EQ_INT(x[ref_dims[j]] >> 2, ref_points[i].x[j]);
      CHECK_EQ_INT(x[ref_dims[j]] & 3u, 0);
    }
  }
  free(x);
  la_sobol_free(&q);
}

/* Every dimension's first 2^m points put exactly one point in each dyadic
 * interval [i/2^m, (i+1)/2^m), a property of any valid direction numbers
 * (odd m_k < 2^k), and the shifted points stay one per interval. */
static void sobol_every_dimension_stratifies(void) {
  enum { M = 10, NP = 1 << M };
  la_sobol q, qs;
  char err[256];
  CHECK_EQ_INT(la_sobol_init(&q, LA_SOBOL_MAX_DIMS, 0, err, sizeof err), LEGATION_OK);
  CHECK_EQ_INT(la_sobol_init(&qs, LA_SOBOL_MAX_DIMS, 12345, err, sizeof err), LEGATION_OK);
  uint32_t *x = malloc(LA_SOBOL_MAX_DIMS * sizeof *x);
  double *u = malloc(LA_SOBOL_MAX_DIMS * sizeof *u);
  unsigned char *seen = calloc((size_t)LA_SOBOL_MAX_DIMS * NP, 1);
  unsigned char *seen2 = calloc((size_t)LA_SOBOL_MAX_DIMS * NP, 1);
  for (int n = 0; n < NP; n++) {
    la_sobol_point_u32(&q, (uint64_t)n, x);
    la_sobol_point(&qs, (uint64_t)n, u);
    for (int d = 0; d < LA_SOBOL_MAX_DIMS; d++) {
      seen[(size_t)d * NP + (x[d] >> (32 - M))]++;
      CHECK(u[d] > 0 && u[d] < 1);
      seen2[(size_t)d * NP + (size_t)(u[d] * NP)]++;
    }
  }
  int bad = 0, bad2 = 0;
  for (size_t i = 0; i < (size_t)LA_SOBOL_MAX_DIMS * NP; i++) {
    bad += seen[i] != 1;
    bad2 += seen2[i] != 1;
  }
  CHECK_EQ_INT(bad, 0);
  CHECK_EQ_INT(bad2, 0);
  free(x);
  free(u);
  free(seen);
  free(seen2);
  la_sobol_free(&q);
  la_sobol_free(&qs);
}

static void sobol_refuses_more_dimensions(void) {
  la_sobol q;
  char err[256] = "";
  CHECK_EQ_INT(la_sobol_init(&q, LA_SOBOL_MAX_DIMS + 1, 0, err, sizeof err), LEGATION_ERANGE);
  CHECK(strstr(err, "cover 1 to 1111") != NULL);
  /* a study refuses the 556th factor (its design needs 2 dimensions each) */
  legation_study *s = legation_study_new();
  int st = LEGATION_OK;
  for (int i = 0; i <= LEGATION_STUDY_MAX_FACTORS && st == LEGATION_OK; i++) {
    char nm[16];
    snprintf(nm, sizeof nm, "f%d", i);
    st = legation_study_add_factor(s, nm, 0, 1, 0, "uniform");
  }
  CHECK_EQ_INT(st, LEGATION_EINVAL);
  CHECK_EQ_INT(legation_study_factor_count(s), LEGATION_STUDY_MAX_FACTORS);
  CHECK(strstr(legation_study_errmsg(s), "at most 555") != NULL);
  legation_study_free(s);
}

/* ------------------------------------------------------------ Sobol indices */

typedef struct known {
  const char *group; /* group name (a factor's own name when ungrouped) */
  double s1, st;
} known;

static legation_study *sobol_study(const char *model, int64_t n, uint64_t seed, int64_t reps) {
  legation_study *s = legation_study_new();
  CHECK_EQ_INT(legation_study_use_test(s, model), LEGATION_OK);
  legation_study_set_seed(s, seed);
  legation_study_set_reps(s, reps);
  legation_status st = legation_study_sobol(s, n);
  if (st != LEGATION_OK) fprintf(stderr, "  %s\n", legation_study_errmsg(s));
  CHECK_EQ_INT(st, LEGATION_OK);
  return s;
}

/* Each analytic index inside its bootstrap interval, and the estimate
 * within tol of it. */
static void check_known(const legation_study *s, int output, const known *k, int nk,
                        double tol) {
  CHECK_EQ_INT(legation_study_group_count(s), nk);
  for (int i = 0; i < nk; i++) {
    int g = -1;
    for (int j = 0; j < legation_study_group_count(s); j++)
      if (strcmp(legation_study_group_name(s, j), k[i].group) == 0) g = j;
    CHECK(g >= 0);
    if (g < 0) continue;
    legation_sobol_index x;
    CHECK_EQ_INT(legation_study_sobol_index(s, output, g, &x), LEGATION_OK);
    fprintf(stderr, "    %-6s S1 %.4f [%.4f, %.4f] (%.4f)  ST %.4f [%.4f, %.4f] (%.4f)\n",
            k[i].group, x.s1, x.s1_lo, x.s1_hi, k[i].s1, x.st, x.st_lo, x.st_hi, k[i].st);
    CHECK(x.s1_lo <= k[i].s1 && k[i].s1 <= x.s1_hi);
    CHECK(x.st_lo <= k[i].st && k[i].st <= x.st_hi);
    CHECK_NEAR(x.s1, k[i].s1, tol);
    CHECK_NEAR(x.st, k[i].st, tol);
  }
}

/* Analytic Ishigami indices, a = 7, b = 0.1 (Saltelli et al. 2008, 4.6):
 * V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2, V1 = (1 + b pi^4/5)^2 / 2,
 * V2 = a^2/8, V13 = b^2 pi^8 (1/18 - 1/50), V3 = 0. */
static void ishigami_terms(double *v, double *v1, double *v2, double *v13) {
  double pi4 = pow(3.14159265358979323846, 4), pi8 = pow(3.14159265358979323846, 8), a = 7, b = 0.1;
  *v = a * a / 8 + b * pi4 / 5 + b * b * pi8 / 18 + 0.5;
  *v1 = 0.5 * (1 + b * pi4 / 5) * (1 + b * pi4 / 5);
  *v2 = a * a / 8;
  *v13 = b * b * pi8 * (1.0 / 18 - 1.0 / 50);
}

/* N = 2^14 base points: the bootstrap half-widths come out near 0.01-0.02,
 * so the stated tolerance on the estimate is 0.03. */
static void ishigami_indices(void) {
  double v, v1, v2, v13;
  ishigami_terms(&v, &v1, &v2, &v13);
  known k[] = {{"x1", v1 / v, (v1 + v13) / v}, {"x2", v2 / v, v2 / v}, {"x3", 0, v13 / v}};
  CHECK_NEAR(k[0].s1, 0.3139, 1e-4); /* the published values */
  CHECK_NEAR(k[1].s1, 0.4424, 1e-4);
  CHECK_NEAR(k[2].st, 0.2437, 1e-4);
  legation_study *s = sobol_study("test:ishigami", 1 << 14, 1, 1);
  check_known(s, 0, k, 3, 0.03);
  legation_study_var var;
  CHECK_EQ_INT(legation_study_output_var(s, 0, &var), LEGATION_OK);
  CHECK_EQ_INT(var.points, 1 << 14);
  CHECK_EQ_INT(var.evaluations, (1 << 14) * 5);
  CHECK(fabs(var.var - v) < 0.02 * v);
  CHECK_EQ_INT(var.noise_var == 0, 1); /* deterministic, one replication */
  legation_study_free(s);
}

/* Sobol G-function, a = (0, 1, 4.5, 9, 99, 99, 99, 99): V_i = 1 / (3 (1 +
 * a_i)^2), V = prod (1 + V_i) - 1, S_i = V_i / V, ST_i = V_i prod_{j != i}
 * (1 + V_j) / V.  N = 2^13; tolerance 0.03. */
static void gfunction_indices(void) {
  static const double a[8] = {0, 1, 4.5, 9, 99, 99, 99, 99};
  double vi[8], prod = 1;
  for (int i = 0; i < 8; i++) {
    vi[i] = 1.0 / (3 * (1 + a[i]) * (1 + a[i]));
    prod *= 1 + vi[i];
  }
  double v = prod - 1;
  known k[8];
  static const char *const names[8] = {"x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8"};
  for (int i = 0; i < 8; i++) k[i] = (known){names[i], vi[i] / v, vi[i] * prod / (1 + vi[i]) / v};
  CHECK_NEAR(k[0].s1, 0.7165, 1e-3); /* Saltelli et al. 2008 */
  legation_study *s = sobol_study("test:gfunction", 1 << 13, 1, 1);
  check_known(s, 0, k, 8, 0.03);
  legation_study_free(s);
}

/* Two outputs at once: y = x1 + 2 x2 - 3 x3 (variances 1/12, 16/12, 36/12
 * of 53/12) and z = x1 x2 with x1 ~ U(0,1), x2 ~ U(0,2): Var z = 7/36,
 * V1 = V2 = 3/36, V12 = 1/36. */
static void linear_two_outputs(void) {
  legation_study *s = sobol_study("test:linear", 1 << 12, 3, 1);
  known ky[] = {{"x1", 1.0 / 53, 1.0 / 53},
                {"x2", 16.0 / 53, 16.0 / 53},
                {"x3", 36.0 / 53, 36.0 / 53},
                {"x4", 0, 0}};
  known kz[] = {{"x1", 3.0 / 7, 4.0 / 7}, {"x2", 3.0 / 7, 4.0 / 7}, {"x3", 0, 0}, {"x4", 0, 0}};
  CHECK_EQ_INT(legation_study_output_count(s), 2);
  check_known(s, 0, ky, 4, 0.03);
  check_known(s, 1, kz, 4, 0.03);
  legation_study_free(s);
}

/* Groups: {x1, x3} of the Ishigami function swapped together have
 * S1 = (V1 + V13) / V = ST (all of their effect is theirs alone), and x2
 * stays its own group. */
static void ishigami_groups(void) {
  double v, v1, v2, v13;
  ishigami_terms(&v, &v1, &v2, &v13);
  legation_study *s = legation_study_new();
  CHECK_EQ_INT(legation_study_use_test(s, "test:ishigami"), LEGATION_OK);
  const char *g[] = {"x1", "x3"};
  CHECK_EQ_INT(legation_study_add_group(s, "pair", g, 2), LEGATION_OK);
  CHECK_EQ_INT(legation_study_group_count(s), 2);
  CHECK_EQ_INT(legation_study_sobol(s, 1 << 13), LEGATION_OK);
  known k[] = {{"pair", (v1 + v13) / v, (v1 + v13) / v}, {"x2", v2 / v, v2 / v}};
  check_known(s, 0, k, 2, 0.03);
  legation_study_free(s);
}

/* Replication noise: Ishigami plus N(0, 2^2) per replication, R = 4:
 * noise variance of a point mean 4 / 4 = 1, share 1 / (V + 1).  It is the
 * mean of 5 N within-point variances of 3 degrees of freedom: relative sd
 * sqrt(2/3 / (5 N)) = 0.6% at N = 2^12, so tolerance 0.05 (8 sd). */
static void noise_term(void) {
  double v, v1, v2, v13;
  ishigami_terms(&v, &v1, &v2, &v13);
  legation_study *s = sobol_study("test:ishigami-noise", 1 << 12, 1, 4);
  legation_study_var var;
  CHECK_EQ_INT(legation_study_output_var(s, 0, &var), LEGATION_OK);
  CHECK_EQ_INT(var.evaluations, (1 << 12) * 5 * 4);
  CHECK_NEAR(var.noise_var, 1.0, 0.05);
  CHECK_NEAR(var.noise_share, 1.0 / (v + 1.0), 0.01);
  /* the first-order indices see the noise only in their denominator */
  legation_sobol_index x;
  CHECK_EQ_INT(legation_study_sobol_index(s, 0, 1, &x), LEGATION_OK);
  CHECK_NEAR(x.s1, v2 / (v + 1.0), 0.04);
  legation_study_free(s);
}

/* Stable across seeds: with three seeds (different digital shifts,
 * bootstraps and noise) every index's intervals overlap and the estimates
 * agree within 0.03. */
static void stable_across_seeds(void) {
  legation_study *s[3];
  for (int i = 0; i < 3; i++) s[i] = sobol_study("test:ishigami-noise", 1 << 12, 11 + (uint64_t)i * 1000, 4);
  for (int g = 0; g < 3; g++) {
    legation_sobol_index x[3];
    for (int i = 0; i < 3; i++) CHECK_EQ_INT(legation_study_sobol_index(s[i], 0, g, &x[i]), LEGATION_OK);
    for (int i = 1; i < 3; i++) {
      CHECK(x[i].s1 != x[0].s1); /* the seed changed something */
      CHECK_NEAR(x[i].s1, x[0].s1, 0.03);
      CHECK_NEAR(x[i].st, x[0].st, 0.03);
      CHECK(x[i].s1_lo <= x[0].s1_hi && x[0].s1_lo <= x[i].s1_hi);
      CHECK(x[i].st_lo <= x[0].st_hi && x[0].st_lo <= x[i].st_hi);
    }
  }
  for (int i = 0; i < 3; i++) legation_study_free(s[i]);
  /* the same seed gives the same numbers */
  legation_study *a = sobol_study("test:ishigami-noise", 256, 5, 2);
  legation_study *b = sobol_study("test:ishigami-noise", 256, 5, 2);
  legation_sobol_index xa, xb;
  legation_study_sobol_index(a, 0, 0, &xa);
  legation_study_sobol_index(b, 0, 0, &xb);
  CHECK(memcmp(&xa, &xb, sizeof xa) == 0);
  legation_study_free(a);
  legation_study_free(b);
}

static int stop_after(void *user, int64_t done, int64_t total) {
  (void)total;
  return done >= *(int64_t *)user;
}

/* Ctrl-C: the progress callback stops the analysis; the indices cover the
 * base points that finished. */
static void interrupted_keeps_what_finished(void) {
  legation_study *s = legation_study_new();
  CHECK_EQ_INT(legation_study_use_test(s, "test:ishigami"), LEGATION_OK);
  int64_t limit = 5 * 5000;
  legation_study_set_progress(s, stop_after, &limit);
  CHECK_EQ_INT(legation_study_sobol(s, 1 << 14), LEGATION_EINTR);
  legation_study_var var;
  CHECK_EQ_INT(legation_study_output_var(s, 0, &var), LEGATION_OK);
  CHECK(var.points >= 5000 && var.points < (1 << 14));
  CHECK(strstr(legation_study_errmsg(s), "interrupted after") != NULL);
  legation_sobol_index x;
  CHECK_EQ_INT(legation_study_sobol_index(s, 0, 1, &x), LEGATION_OK);
  CHECK(x.s1_lo <= 0.4424 && 0.4424 <= x.s1_hi);
  legation_study_free(s);
}


/* ------------------------------------------------- a caller's own evaluator */

/* A simulation-like evaluator: Ishigami plus noise z_r that depends only on
 * (seed, replication r), as under common random numbers: every point's
 * replication r draws the same number.  The noise then shifts every point
 * mean by the same amount, so it cancels from the indices (the first-order
 * estimator centres the outputs), while the noise term still reports it. */
static legation_status crn_eval(void *user, const double *points, int64_t npoints, int nfactors,
                                int64_t reps, uint64_t seed, double *out, int noutputs,
                                char *err, size_t errsz) {
  (void)user;
  (void)err;
  (void)errsz;
  for (int64_t p = 0; p < npoints; p++) {
    const double *x = points + p * nfactors;
    double y = sin(x[0]) + 7 * sin(x[1]) * sin(x[1]) + 0.1 * pow(x[2], 4) * sin(x[0]);
    for (int64_t r = 0; r < reps; r++) {
      uint64_t st = seed * 1000003u + (uint64_t)r;
      out[(p * reps + r) * noutputs] = y + 2.0 * (la_uniform(&st) - 0.5) * 3.4641016;
    }
  }
  return LEGATION_OK;
}

static void common_random_numbers_cancel(void) {
  legation_study *s = legation_study_new(), *ref = legation_study_new();
  const double pi = 3.14159265358979323846;
  const char *outs[] = {"y"};
  for (int i = 0; i < 3; i++) {
    char nm[4] = {'x', (char)('1' + i), 0};
    CHECK_EQ_INT(legation_study_add_factor(s, nm, -pi, pi, 0, "uniform"), LEGATION_OK);
  }
  CHECK_EQ_INT(legation_study_set_evaluator(s, outs, 1, crn_eval, NULL), LEGATION_OK);
  CHECK_EQ_INT(legation_study_set_reps(s, 8), LEGATION_OK);
  CHECK_EQ_INT(legation_study_sobol(s, 1024), LEGATION_OK);
  CHECK_EQ_INT(legation_study_use_test(ref, "test:ishigami"), LEGATION_OK);
  CHECK_EQ_INT(legation_study_sobol(ref, 1024), LEGATION_OK);
  legation_study_var v;
  legation_study_output_var(s, 0, &v);
  /* the within-point variance is the sample variance of the 8 shared
   * draws, the same at every point */
  double z[8], zm = 0, zv = 0;
  for (int r = 0; r < 8; r++) {
    uint64_t st = 1 * 1000003u + (uint64_t)r;
    z[r] = 2.0 * (la_uniform(&st) - 0.5) * 3.4641016;
    zm += z[r] / 8;
  }
  for (int r = 0; r < 8; r++) zv += (z[r] - zm) * (z[r] - zm) / 7;
  CHECK_NEAR(v.noise_var, zv / 8, 1e-9);
  CHECK(v.noise_share > 0.005);
  for (int g = 0; g < 3; g++) {
    legation_sobol_index a, b;
    legation_study_sobol_index(s, 0, g, &a);
    legation_study_sobol_index(ref, 0, g, &b);
    CHECK_NEAR(a.s1, b.s1, 1e-9);
    CHECK_NEAR(a.st, b.st, 1e-9);
  }
  legation_study_free(s);
  legation_study_free(ref);
}

/* A point evaluator that returns the point: the design's means follow each
 * distribution's inverse CDF.  2N = 8192 quasi-random points put the mean
 * within 1e-3 of the exact one (a loose bound for a shifted Sobol design). */
static legation_status identity_eval(void *user, const double *points, int64_t npoints,
                                     int nfactors, int64_t reps, uint64_t seed, double *out,
                                     int noutputs, char *err, size_t errsz) {
  (void)user;
  (void)seed;
  (void)err;
  (void)errsz;
  for (int64_t p = 0; p < npoints; p++)
    for (int64_t r = 0; r < reps; r++)
      for (int o = 0; o < noutputs; o++) out[(p * reps + r) * noutputs + o] = points[p * nfactors + o];
  return LEGATION_OK;
}

static void distributions(void) {
  legation_study *s = legation_study_new();
  const char *outs[] = {"u", "l", "t"};
  CHECK_EQ_INT(legation_study_add_factor(s, "u", 2, 6, 0, "uniform"), LEGATION_OK);
  CHECK_EQ_INT(legation_study_add_factor(s, "l", 1, 100, 0, "loguniform"), LEGATION_OK);
  CHECK_EQ_INT(legation_study_add_factor(s, "t", 0, 3, 2, "triangular"), LEGATION_OK);
  CHECK_EQ_INT(legation_study_set_evaluator(s, outs, 3, identity_eval, NULL), LEGATION_OK);
  CHECK_EQ_INT(legation_study_sobol(s, 4096), LEGATION_OK);
  static const double want[3] = {4.0, 99.0 / 4.605170185988091 /* (hi - lo) / ln(hi/lo) */,
                                 5.0 / 3 /* (lo + mode + hi) / 3 */};
  static const double tol[3] = {1e-3, 2e-2, 1e-3};
  for (int o = 0; o < 3; o++) {
    legation_study_var v;
    CHECK_EQ_INT(legation_study_output_var(s, o, &v), LEGATION_OK);
    CHECK_NEAR(v.mean, want[o], tol[o]);
    /* each output is its own factor: S1 = ST = 1 for it (estimated), 0
     * exactly for the others (AB_g equals A in that column) */
    for (int g = 0; g < 3; g++) {
      legation_sobol_index x;
      legation_study_sobol_index(s, o, g, &x);
      CHECK_NEAR(x.st, g == o ? 1.0 : 0.0, g == o ? 1e-3 : 0.0);
      CHECK_NEAR(x.s1, g == o ? 1.0 : 0.0, g == o ? 2e-2 : 0.0);
    }
  }
  legation_study_free(s);
}

/* ------------------------------------------------------------------ Morris */

/* y = x1 + 2 x2 - 3 x3 + 0 x4 over ranges of width 1, 2, 2, 10: every
 * elementary effect (per whole range) is 1, 4, -6, 0 exactly; z = x1 x2
 * does not depend on x3, x4 and has varying effects of x1, x2. */
static void morris_linear(void) {
  legation_study *s = legation_study_new();
  CHECK_EQ_INT(legation_study_use_test(s, "test:linear"), LEGATION_OK);
  CHECK_EQ_INT(legation_study_morris(s, 50, 4), LEGATION_OK);
  static const double ee[4] = {1, 4, -6, 0};
  for (int i = 0; i < 4; i++) {
    legation_morris_index m;
    CHECK_EQ_INT(legation_study_morris_index(s, 0, i, &m), LEGATION_OK);
    CHECK_EQ_INT(m.n, 50);
    CHECK_NEAR(m.mu, ee[i], 1e-9);
    CHECK_NEAR(m.mu_star, fabs(ee[i]), 1e-9);
    CHECK_NEAR(m.sigma, 0, 1e-9);
    CHECK_NEAR(m.mu_star_lo, fabs(ee[i]), 1e-9);
    CHECK_EQ_INT(legation_study_morris_index(s, 1, i, &m), LEGATION_OK);
    if (i >= 2) {
      CHECK_NEAR(m.mu_star, 0, 1e-12);
    } else {
      /* dz/dx1 per range = x2 in [0, 2] on the grid {0, 2/3, 4/3, 2} (+ a
       * jump of 2/3 of the range): mean over the grid near 1; sd > 0 */
      CHECK(m.mu_star > 0.5 && m.mu_star < 1.5);
      CHECK(m.sigma > 0.2);
    }
  }
  /* groups are refused */
  legation_study *g = legation_study_new();
  legation_study_use_test(g, "test:linear");
  const char *grp[] = {"x1", "x2"};
  legation_study_add_group(g, "a", grp, 2);
  CHECK_EQ_INT(legation_study_morris(g, 10, 4), LEGATION_EINVAL);
  CHECK(strstr(legation_study_errmsg(g), "groups are for the Sobol method") != NULL);
  CHECK_EQ_INT(legation_study_morris(s, 10, 5), LEGATION_ERANGE);
  legation_study_free(g);
  legation_study_free(s);
}

/* -------------------------------------------------------------------- PRIM */

/* The planted box 0.2 <= x1 <= 0.6, 0.5 <= x4 <= 0.9 (volume 0.16) in
 * [0,1]^6 from 4000 points: the box chosen at density 0.95 has density > 0.9 on the
 * held-out half, restricts exactly x1 and x4, both significant, with
 * bounds within 0.05 of the planted ones (the peeling step at the box's
 * edge moves a bound by about alpha of ~320 points: 16 points, 0.02 of the
 * range). */
static void prim_planted_box(void) {
  legation_study *s = legation_study_new();
  CHECK_EQ_INT(legation_study_use_test(s, "test:box"), LEGATION_OK);
  legation_prim_options opt;
  legation_prim_defaults(&opt);
  opt.threshold = 0.95;
  legation_status st = legation_study_discover(s, "y > 0.5", 4000, &opt);
  if (st) fprintf(stderr, "  %s\n", legation_study_errmsg(s));
  CHECK_EQ_INT(st, LEGATION_OK);
  legation_prim_box b;
  CHECK_EQ_INT(legation_study_prim_box(s, &b), LEGATION_OK);
  CHECK_EQ_INT(b.n_train + b.n_test, 4000);
  fprintf(stderr, "    step %d train cov %.3f dens %.3f  test cov %.3f dens %.3f\n", b.step,
          b.train.coverage, b.train.density, b.test.coverage, b.test.density);
  CHECK(b.test.density > 0.9);
  CHECK(b.test.coverage > 0.8);
  CHECK(b.train.density > 0.9);
  CHECK_EQ_INT(b.train.restricted, 2);
  static const double want[6][2] = {{0.2, 0.6}, {0, 1}, {0, 1}, {0.5, 0.9}, {0, 1}, {0, 1}};
  for (int f = 0; f < 6; f++) {
    legation_prim_bound pb;
    CHECK_EQ_INT(legation_study_prim_bound(s, f, &pb), LEGATION_OK);
    fprintf(stderr, "    x%d [%.3f, %.3f] p %.2g\n", f + 1, pb.lo, pb.hi, pb.p_value);
    CHECK_EQ_INT(pb.restricted, f == 0 || f == 3);
    if (pb.restricted) {
      CHECK_NEAR(pb.lo, want[f][0], 0.05);
      CHECK_NEAR(pb.hi, want[f][1], 0.05);
      CHECK(pb.p_value < 1e-6);
    }
  }
  /* the trajectory starts from every point and loses coverage as it peels */
  int n = legation_study_prim_steps(s);
  CHECK(n > 5);
  legation_prim_step p0, pl;
  legation_study_prim_step(s, 0, &p0);
  legation_study_prim_step(s, n - 1, &pl);
  CHECK_NEAR(p0.mass, 1.0, 1e-12);
  CHECK_NEAR(p0.coverage, 1.0, 1e-12);
  CHECK(pl.density > p0.density);
  CHECK(pl.mass >= 0.05);
  /* the sampled points are kept: in the unit cube, as many holding as the
   * two halves count, and mostly holding inside the planted box only */
  CHECK_EQ_INT((int)legation_study_prim_points(s), 4000);
  int64_t holding = 0, in_box = 0, in_box_holding = 0, out_holding = 0;
  for (int64_t p = 0; p < 4000; p++) {
    double x[6];
    int h;
    CHECK_EQ_INT(legation_study_prim_point(s, p, x, &h), LEGATION_OK);
    for (int f = 0; f < 6; f++) CHECK(x[f] >= 0 && x[f] <= 1);
    int inside = x[0] >= 0.2 && x[0] <= 0.6 && x[3] >= 0.5 && x[3] <= 0.9;
    holding += h == 1;
    in_box += inside;
    in_box_holding += inside && h == 1;
    out_holding += !inside && h == 1;
  }
  CHECK_EQ_INT((int)holding, (int)(b.interest_train + b.interest_test));
  CHECK(in_box > 0 && (double)in_box_holding / (double)in_box > 0.9);
  CHECK((double)out_holding / (double)(4000 - in_box) < 0.1);
  double x[6];
  int h;
  CHECK_EQ_INT(legation_study_prim_point(s, 4000, x, &h), LEGATION_EINVAL);
  legation_study_free(s);
}

/* -------------------------------------------------------------- refusals */

static void refusals(void) {
  legation_study *s = legation_study_new();
  CHECK_EQ_INT(legation_study_use_test(s, "test:nope"), LEGATION_ENOTFOUND);
  CHECK(strstr(legation_study_errmsg(s), "known: test:ishigami") != NULL);
  CHECK_EQ_INT(legation_study_add_factor(s, "a", 1, 1, 0, "uniform"), LEGATION_ERANGE);
  CHECK_EQ_INT(legation_study_add_factor(s, "a", 0, 1, 0, "loguniform"), LEGATION_ERANGE);
  CHECK_EQ_INT(legation_study_add_factor(s, "a", 0, 1, 2, "triangular"), LEGATION_ERANGE);
  CHECK_EQ_INT(legation_study_add_factor(s, "a", 0, 1, 0, "normal"), LEGATION_EINVAL);
  CHECK_EQ_INT(legation_study_add_factor(s, "a", 0, NAN, 0, "uniform"), LEGATION_ERANGE);
  CHECK_EQ_INT(legation_study_sobol(s, 64), LEGATION_EINVAL); /* no evaluator */
  legation_study_free(s);

  s = legation_study_new();
  CHECK_EQ_INT(legation_study_use_test(s, "test:box"), LEGATION_OK);
  static const struct {
    const char *where, *msg;
  } bad[] = {
      {"", "column 1: expected 'OUTPUT OP NUMBER'"},
      {"q > 1", "column 1: unknown output 'q' (outputs: y)"},
      {"y = 1", "column 3: expected one of < <= > >="},
      {"y > one", "column 5: expected a number, found 'one'"},
      {"y > 1 2", "column 5: expected a number"},
      {"y > 2", "holds at none of the"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    CHECK(legation_study_discover(s, bad[i].where, 100, NULL) != LEGATION_OK);
    if (!strstr(legation_study_errmsg(s), bad[i].msg))
      fprintf(stderr, "    '%s': %s\n", bad[i].where, legation_study_errmsg(s));
    CHECK(strstr(legation_study_errmsg(s), bad[i].msg) != NULL);
  }
  CHECK_EQ_INT(legation_study_prim_steps(s), 0);
  legation_study_free(s);
}

/* A groups file: one group a line; problems named file:line:col. */
static void groups_file(void) {
  static const struct {
    const char *text;
    legation_status st;
    const char *msg;
  } cases[] = {
      {"# comment\nfirst: x1, x3   # trailing\n\n", LEGATION_OK, ""},
      {"first x1\n", LEGATION_ESCHEMA, ":1:1: expected 'NAME: factor, factor, ...'"},
      {"g: x1,\n", LEGATION_ESCHEMA, ":1:7: group g: expected a factor name"},
      {"g: x1 x2\n", LEGATION_ESCHEMA, ":1:7: group g: expected ',' between factors"},
      {"g: x1\nh: x9\n", LEGATION_ENOTFOUND, ":2:4: group h: unknown factor 'x9'"},
      {"g: x1\nh: x1\n", LEGATION_ESCHEMA, ":2:1: group h: x1 is already in a group"},
      {"# nothing\n", LEGATION_ESCHEMA, ":1:1: no group in the file"},
  };
  char path[] = "/tmp/lg-groups-XXXXXX";
  int fd = mkstemp(path);
  CHECK(fd >= 0);
  if (fd < 0) return;
  close(fd);
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    FILE *f = fopen(path, "w");
    fputs(cases[i].text, f);
    fclose(f);
    legation_study *s = legation_study_new();
    legation_study_use_test(s, "test:ishigami");
    CHECK_EQ_INT(legation_study_load_groups(s, path), cases[i].st);
    if (cases[i].st == LEGATION_OK) {
      CHECK_EQ_INT(legation_study_group_count(s), 2);
      CHECK_EQ_STR(legation_study_group_name(s, 0), "first");
      CHECK_EQ_INT(legation_study_group_size(s, 0), 2);
      CHECK_EQ_STR(legation_study_group_name(s, 1), "x2");
    } else {
      if (!strstr(legation_study_errmsg(s), cases[i].msg))
        fprintf(stderr, "    case %zu: %s\n", i, legation_study_errmsg(s));
      CHECK(strstr(legation_study_errmsg(s), cases[i].msg) != NULL);
      CHECK(strncmp(legation_study_errmsg(s), path, strlen(path)) == 0);
      /* all of the file or nothing: every factor is its own group again */
      CHECK_EQ_INT(legation_study_group_count(s), 3);
      CHECK_EQ_STR(legation_study_group_name(s, 0), "x1");
    }
    legation_study_free(s);
  }
  remove(path);
}

/* A scenario as the model (legation_study_use_scenario): the factors, the
 * outputs with an option's changes, the refusals with their statuses, a
 * posterior that puts all its weight on one particle (so the factor
 * "posterior" has no effect at all under common random numbers), groups
 * from text, the stored settings and the check of a condition. */
static void scenario_model(void) {
  legation_scenario *sc = legation_scenario_new(), *opt = legation_scenario_new();
  CHECK(legation_scenario_load_builtin(sc, "us-russia-2025") == LEGATION_OK);
  CHECK(legation_scenario_load_builtin(opt, "us-russia-2025-readmit-50") == LEGATION_OK);
  int no = legation_output_count();
  legation_study *s = legation_study_new();
  CHECK_EQ_INT(legation_study_use_scenario(s, sc, opt, "states.b.openness,intel.recruit_rate",
                                           NULL, "us-russia-2025"),
               LEGATION_OK);
  CHECK_EQ_INT(legation_study_factor_count(s), 2);
  CHECK_EQ_INT(legation_study_output_count(s), 2 * no);
  CHECK_EQ_INT(legation_study_base_outputs(s), no);
  char want[80];
  snprintf(want, sizeof want, "%s_change", legation_output_get(0)->name);
  CHECK_EQ_STR(legation_study_output_name(s, no), want);
  CHECK_EQ_INT(legation_study_use_scenario(s, sc, NULL, NULL, NULL, "x"), LEGATION_EINVAL);
  /* groups from text, and the settings a stored study keeps */
  const char *text = "# openness and recruiting\nboth: states.b.openness, intel.recruit_rate\n";
  CHECK_EQ_INT(legation_study_parse_groups(s, text, strlen(text), "groups"), LEGATION_OK);
  CHECK_EQ_INT(legation_study_group_count(s), 1);
  legation_study_request req = {"sensitivity", NULL, 16, 0, NULL, 0, -1, 0, 4,
                                "states.b.openness,intel.recruit_rate", 0};
  char **lines = NULL;
  int nl = 0;
  CHECK_EQ_INT(legation_study_settings(s, &req, &lines, &nl), LEGATION_OK);
  CHECK_EQ_INT(nl, 6);
  if (nl == 6) {
    CHECK_EQ_STR(lines[0], "@study=sensitivity");
    CHECK_EQ_STR(lines[1], "@method=sobol");
    CHECK_EQ_STR(lines[2], "@n=16");
    CHECK_EQ_STR(lines[3], "@reps=4");
    CHECK_EQ_STR(lines[5], "@group=both:states.b.openness,intel.recruit_rate");
  }
  legation_study_settings_free(lines, nl);
  CHECK_EQ_INT(legation_study_check_where(s, "spiral_change < 0"), LEGATION_OK);
  CHECK_EQ_INT(legation_study_check_where(s, "nothing > 1"), LEGATION_ENOTFOUND);
  CHECK(strstr(legation_study_errmsg(s), "unknown output 'nothing'") != NULL);
  legation_study_free(s);
  /* refusals */
  static const struct {
    const char *params;
    legation_status st;
    const char *msg;
  } bad[] = {{"states.b.nope", LEGATION_ENOTFOUND, "unknown parameter 'states.b.nope'"},
             {"horizon", LEGATION_ERANGE, "horizon has no numeric plausible range in sc"}};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    s = legation_study_new();
    CHECK_EQ_INT(legation_study_use_scenario(s, sc, NULL, bad[i].params, NULL, "sc"), bad[i].st);
    CHECK(strstr(legation_study_errmsg(s), bad[i].msg) != NULL);
    legation_study_free(s);
  }
  const char *keys[] = {"states.b.openness"};
  double values[] = {0.2, 0.8}, weights[] = {1, 0}, zero[] = {0, 0};
  legation_study_posterior post = {7, 1, keys, 2, values, weights};
  s = legation_study_new();
  CHECK_EQ_INT(legation_study_use_scenario(s, sc, NULL, "states.b.openness", &post, "sc"),
               LEGATION_EINVAL);
  CHECK(strstr(legation_study_errmsg(s), "is calibrated") != NULL);
  legation_study_free(s);
  s = legation_study_new();
  legation_study_posterior none = {7, 1, keys, 2, values, zero};
  CHECK_EQ_INT(legation_study_use_scenario(s, sc, NULL, "intel.recruit_rate", &none, "sc"),
               LEGATION_ERANGE);
  CHECK(strstr(legation_study_errmsg(s), "weights sum to 0") != NULL);
  legation_study_free(s);
  /* the posterior as one factor: every value of it picks particle 0 */
  s = legation_study_new();
  CHECK_EQ_INT(legation_study_use_scenario(s, sc, NULL, "intel.recruit_rate", &post, "sc"),
               LEGATION_OK);
  CHECK_EQ_INT(legation_study_factor_count(s), 2);
  CHECK_EQ_STR(legation_study_factor_name(s, 1), "posterior");
  char note[1024];
  CHECK_EQ_INT(legation_study_posterior_note(s, note, sizeof note), 1);
  CHECK(strstr(note, "posterior of calibration 7 (2 weighted particles)") != NULL);
  legation_study_set_reps(s, 2);
  CHECK_EQ_INT(legation_study_morris(s, 4, 4), LEGATION_OK);
  int o = legation_study_output_find(s, "sources_recruited_a");
  legation_morris_index m0, m1;
  CHECK(o >= 0);
  CHECK_EQ_INT(legation_study_morris_index(s, o, 0, &m0), LEGATION_OK);
  CHECK_EQ_INT(legation_study_morris_index(s, o, 1, &m1), LEGATION_OK);
  CHECK(m0.mu_star > 0);     /* recruiting matters to the sources recruited */
  CHECK(m1.mu_star == 0.0);  /* one particle: the same worlds at every value */
  legation_study_free(s);
  legation_scenario_free(sc);
  legation_scenario_free(opt);
}

int main(int argc, char **argv) {
  static const check_case cases[] = {
      {"sobol_reference", sobol_reference},
      {"sobol_every_dimension_stratifies", sobol_every_dimension_stratifies},
      {"sobol_refuses_more_dimensions", sobol_refuses_more_dimensions},
      {"ishigami_indices", ishigami_indices},
      {"gfunction_indices", gfunction_indices},
      {"linear_two_outputs", linear_two_outputs},
      {"ishigami_groups", ishigami_groups},
      {"noise_term", noise_term},
      {"stable_across_seeds", stable_across_seeds},
      {"interrupted_keeps_what_finished", interrupted_keeps_what_finished},
      {"common_random_numbers_cancel", common_random_numbers_cancel},
      {"distributions", distributions},
      {"morris_linear", morris_linear},
      {"prim_planted_box", prim_planted_box},
      {"refusals", refusals},
      {"groups_file", groups_file},
      {"scenario_model", scenario_model},
      {NULL, NULL},
  };
  return check_main(cases, argc, argv);
}
