/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_abc.c - ABC-SMC calibration (src/analysis/abc.c): exact posteriors
 * of the built-in analytic models within Monte Carlo error (tolerances
 * derived from the effective sample size), a parameter the data cannot
 * inform staying at its prior, bit-identical results across thread counts
 * and across a resume, proposals inside the ranges, priors, the targets
 * file and its errors. */
#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/abc.h"
#include "check.h"
#include "legation.h"

/* A finished calibration of a test model. */
static legation_abc *calibrated(const char *model, int64_t n, int threads, uint64_t seed) {
  legation_abc *abc = legation_abc_new();
  CHECK(abc != NULL);
  CHECK_EQ_INT(legation_abc_set_particles(abc, n), LEGATION_OK);
  CHECK_EQ_INT(legation_abc_set_generations(abc, 30), LEGATION_OK);
  CHECK_EQ_INT(legation_abc_set_seed(abc, seed), LEGATION_OK);
  CHECK_EQ_INT(legation_abc_set_threads(abc, threads), LEGATION_OK);
  CHECK_EQ_INT(legation_abc_use_test_model(abc, model, NULL, 0), LEGATION_OK);
  legation_status st = legation_abc_run(abc);
  if (st != LEGATION_OK) fprintf(stderr, "  %s\n", legation_abc_errmsg(abc));
  CHECK_EQ_INT(st, LEGATION_OK);
  return abc;
}

static double last_ess(const legation_abc *abc) {
  legation_abc_generation g;
  legation_abc_generation_get(abc, legation_abc_generations_done(abc) - 1, &g);
  return g.ess;
}

/* Check the posterior mean and variance of parameter i against (m, v).
 * Monte Carlo error from the ESS: se(mean) = sqrt(v / ESS), se(var) =
 * v sqrt((2 + excess kurtosis) / ESS); 4 standard errors, plus `bias`, a
 * bound on the ABC approximation's own bias where the tolerance is > 0. */
static void check_moments(const legation_abc *abc, int i, double m, double v, double kurt,
                          double bias) {
  legation_abc_marginal mg;
  CHECK_EQ_INT(legation_abc_marginal_get(abc, i, &mg), LEGATION_OK);
  double ess = last_ess(abc);
  fprintf(stderr, "  ESS %.0f: mean %.5f (exact %.5f), var %.6f (exact %.6f)\n", ess, mg.mean, m,
          mg.sd * mg.sd, v);
  CHECK(ess > 0.3 * (double)legation_abc_particles(abc));
  CHECK_NEAR(mg.mean, m, 4 * sqrt(v / ess) + bias);
  CHECK_NEAR(mg.sd * mg.sd, v, 4 * v * sqrt((2 + kurt) / ess) + bias * v);
}

/* Uniform prior, 6 successes in 20: Beta(7, 15) exactly (tolerance 0). */
static void beta_binomial(void) {
  legation_abc *abc = calibrated("test:beta-binomial", 4000, 2, 1);
  legation_abc_generation g;
  legation_abc_generation_get(abc, legation_abc_generations_done(abc) - 1, &g);
  CHECK_EQ_STR(legation_abc_done(abc), "reached the minimum tolerance");
  CHECK(g.tolerance == 0);
  double a = 7, b = 15, m = a / (a + b), v = a * b / ((a + b) * (a + b) * (a + b + 1));
  double kurt = 6 * ((a - b) * (a - b) * (a + b + 1) - a * b * (a + b + 2)) /
                (a * b * (a + b + 2) * (a + b + 3));
  check_moments(abc, 0, m, v, kurt, 0);
  /* every particle matches the data exactly */
  for (int64_t i = 0; i < legation_abc_particles(abc); i++) {
    const double *s;
    legation_abc_particle(abc, i, NULL, NULL, NULL, &s);
    if (s[0] != 6) {
      CHECK(s[0] == 6);
      break;
    }
  }
  legation_abc_free(abc);
}

/* mu ~ N(0, 1), mean of 10 N(mu, 1) draws = 1.5: N(15/11, 1/11).  The
 * final tolerance 0.05 (in sd of the mean) widens the likelihood's
 * variance by the factor 1 + 0.05^2/3, which moves the posterior by less
 * than `bias` below. */
static void normal_normal(void) {
  legation_abc *abc = calibrated("test:normal", 4000, 2, 2);
  double s2 = 0.1, eps = 0.05, s2abc = s2 * (1 + eps * eps / 3);
  double v = 1 / (1 + 1 / s2), m = v * 1.5 / s2;
  double vabc = 1 / (1 + 1 / s2abc), mabc = vabc * 1.5 / s2abc;
  double bias = fabs(mabc - m) + fabs(vabc - v) / v;
  check_moments(abc, 0, m, v, 0, bias);
  legation_abc_free(abc);
}

/* b does not enter the model: its posterior is uniform[0, 1] (mean, var,
 * weighted Kolmogorov-Smirnov), learned ~ 0; a is learned. */
static void unidentifiable(void) {
  legation_abc *abc = calibrated("test:unidentifiable", 3000, 2, 3);
  check_moments(abc, 1, 0.5, 1.0 / 12, -1.2, 0);
  double ess = last_ess(abc);
  /* weighted ECDF of b against the uniform CDF */
  int64_t n = legation_abc_particles(abc);
  double *x = malloc((size_t)n * sizeof *x), *w = malloc((size_t)n * sizeof *w);
  for (int64_t i = 0; i < n; i++) {
    const double *th;
    legation_abc_particle(abc, i, &th, &w[i], NULL, NULL);
    x[i] = th[1];
  }
  double dmax = 0;
  for (int k = 1; k < 100; k++) {
    double u = k / 100.0, f = 0;
    for (int64_t i = 0; i < n; i++)
      if (x[i] <= u) f += w[i];
    if (fabs(f - u) > dmax) dmax = fabs(f - u);
  }
  fprintf(stderr, "  KS distance of b %.4f (limit %.4f)\n", dmax, 1.95 / sqrt(ess));
  CHECK(dmax < 1.95 / sqrt(ess)); /* p ~ 0.001 */
  free(x);
  free(w);
  legation_abc_marginal ma, mb;
  legation_abc_marginal_get(abc, 0, &ma);
  legation_abc_marginal_get(abc, 1, &mb);
  CHECK(ma.learned > 0.6);
  CHECK_NEAR(mb.learned, 0, 0.1);
  CHECK_NEAR(ma.mean, 0.3, 0.02);
  legation_abc_free(abc);
}


/* 0 successes in 20: the posterior Beta(1, 21) piles against the bound
 * p = 0, where every proposal is truncated: its moments and the mass next
 * to the bound. */
static void at_the_bound(void) {
  legation_abc *abc = legation_abc_new();
  CHECK_EQ_INT(legation_abc_add_target(abc, "successes", 0, 1), LEGATION_OK);
  legation_abc_set_particles(abc, 4000);
  legation_abc_set_generations(abc, 30);
  legation_abc_set_seed(abc, 11);
  CHECK_EQ_INT(legation_abc_use_test_model(abc, "test:beta-binomial", NULL, 0), LEGATION_OK);
  CHECK_EQ_INT(legation_abc_run(abc), LEGATION_OK);
  CHECK_EQ_STR(legation_abc_done(abc), "reached the minimum tolerance");
  double a = 1, b = 21, m = a / (a + b), v = a * b / ((a + b) * (a + b) * (a + b + 1));
  double kurt = 6 * ((a - b) * (a - b) * (a + b + 1) - a * b * (a + b + 2)) /
                (a * b * (a + b + 2) * (a + b + 3));
  check_moments(abc, 0, m, v, kurt, 0);
  /* the mass next to the bound: P(p < 0.01) = 1 - 0.99^21 */
  double below = 0, ess = last_ess(abc), exact = 1 - pow(0.99, 21);
  for (int64_t i = 0; i < legation_abc_particles(abc); i++) {
    const double *th;
    double w;
    legation_abc_particle(abc, i, &th, &w, NULL, NULL);
    if (th[0] < 0.01) below += w;
  }
  fprintf(stderr, "  P(p < 0.01) %.4f (exact %.4f)\n", below, exact);
  CHECK_NEAR(below, exact, 4 * sqrt(exact * (1 - exact) / ess));
  legation_abc_free(abc);
}


/* A model whose output ignores its parameter: through the generations the
 * importance weights must keep the prior, its edges included (where the
 * kernel is truncated).  (Leaving the truncation mass out of the weights
 * moves these figures by less than their Monte Carlo error at this size:
 * this case checks the weighting as a whole, not that term.) */
static legation_status flat_eval(void *user, legation_abc *abc, const double *pts, int64_t n,
                                 int np, uint64_t seed, double *stats, int nstats) {
  for (int64_t k = 0; k < n; k++) /* a distance that varies but says nothing */
    stats[k * nstats] = (double)((seed + (uint64_t)k * 0x9e3779b97f4a7c15ULL) >> 40) / 16777216.0;
  return LEGATION_OK;
}

static void prior_kept(void) {
  legation_abc *abc = legation_abc_new();
  legation_abc_param p = {"b", "uniform", 0, 1, NAN, NAN};
  CHECK_EQ_INT(legation_abc_add_param(abc, &p), LEGATION_OK);
  CHECK_EQ_INT(legation_abc_add_target(abc, "u", 0, 1), LEGATION_OK);
  legation_abc_set_particles(abc, 10000);
  legation_abc_set_generations(abc, 4);
  legation_abc_set_evaluator(abc, flat_eval, NULL);
  CHECK_EQ_INT(legation_abc_run(abc), LEGATION_OK);
  CHECK_EQ_INT(legation_abc_generations_done(abc), 4);
  double edge = 0, ess = last_ess(abc);
  for (int64_t i = 0; i < legation_abc_particles(abc); i++) {
    const double *th;
    double w;
    legation_abc_particle(abc, i, &th, &w, NULL, NULL);
    if (th[0] < 0.05 || th[0] > 0.95) edge += w;
  }
  fprintf(stderr, "  ESS %.0f: P(b < 0.05 or b > 0.95) %.4f (exact 0.1)\n", ess, edge);
  CHECK_NEAR(edge, 0.1, 4 * sqrt(0.1 * 0.9 / ess));
  check_moments(abc, 0, 0.5, 1.0 / 12, -1.2, 0);
  legation_abc_free(abc);
}

/* Same settings -> the same bytes, whatever the thread count. */
static int same_result(const legation_abc *x, const legation_abc *y) {
  int gx = legation_abc_generations_done(x);
  if (gx != legation_abc_generations_done(y)) return 0;
  for (int g = 0; g < gx; g++) {
    legation_abc_generation a, b;
    legation_abc_generation_get(x, g, &a);
    legation_abc_generation_get(y, g, &b);
    if (memcmp(&a.tolerance, &b.tolerance, sizeof a.tolerance) || a.simulations != b.simulations ||
        memcmp(&a.acceptance, &b.acceptance, sizeof a.acceptance) ||
        memcmp(&a.ess, &b.ess, sizeof a.ess))
      return 0;
  }
  int np = legation_abc_param_count(x), nt = legation_abc_target_count(x);
  for (int64_t i = 0; i < legation_abc_particles(x); i++) {
    const double *tx, *ty, *sx, *sy;
    double wx, wy, dx, dy;
    legation_abc_particle(x, i, &tx, &wx, &dx, &sx);
    legation_abc_particle(y, i, &ty, &wy, &dy, &sy);
    if (memcmp(tx, ty, (size_t)np * sizeof *tx) || memcmp(sx, sy, (size_t)nt * sizeof *sx) ||
        memcmp(&wx, &wy, sizeof wx) || memcmp(&dx, &dy, sizeof dx))
      return 0;
  }
  return 1;
}

static void threads_identical(void) {
  legation_abc *a = calibrated("test:unidentifiable", 600, 1, 9);
  legation_abc *b = calibrated("test:unidentifiable", 600, 2, 9);
  legation_abc *c = calibrated("test:unidentifiable", 600, 2, 10);
  CHECK(legation_abc_generations_done(a) > 2);
  CHECK(same_result(a, b));
  CHECK(!same_result(a, c)); /* the comparison can fail */
  legation_abc_free(a);
  legation_abc_free(b);
  legation_abc_free(c);
}

static legation_abc *setup_unident(int64_t n, uint64_t seed) {
  legation_abc *abc = legation_abc_new();
  legation_abc_set_particles(abc, n);
  legation_abc_set_generations(abc, 30);
  legation_abc_set_seed(abc, seed);
  legation_abc_set_threads(abc, 2);
  CHECK_EQ_INT(legation_abc_use_test_model(abc, "test:unidentifiable", NULL, 0), LEGATION_OK);
  return abc;
}

/* Stopped after 2 generations, checkpointed, restored into a new handle and
 * finished: the same as an uninterrupted calibration. */
static void resume_identical(void) {
  legation_abc *whole = setup_unident(500, 4);
  CHECK_EQ_INT(legation_abc_run(whole), LEGATION_OK);
  legation_abc *part = setup_unident(500, 4);
  CHECK_EQ_INT(legation_abc_step(part), LEGATION_OK);
  CHECK_EQ_INT(legation_abc_step(part), LEGATION_OK);
  void *buf;
  size_t len;
  CHECK_EQ_INT(legation_abc_checkpoint(part, &buf, &len), LEGATION_OK);
  legation_abc_free(part);
  legation_abc *rest = setup_unident(500, 4);
  CHECK_EQ_INT(legation_abc_restore(rest, buf, len), LEGATION_OK);
  CHECK_EQ_INT(legation_abc_generations_done(rest), 2);
  CHECK_EQ_INT(legation_abc_run(rest), LEGATION_OK);
  CHECK(legation_abc_generations_done(rest) > 3);
  CHECK(same_result(whole, rest));
  /* a checkpoint refuses other settings, and damage */
  legation_abc *other = setup_unident(500, 5);
  CHECK_EQ_INT(legation_abc_restore(other, buf, len), LEGATION_EINVAL);
  CHECK(strstr(legation_abc_errmsg(other), "other settings") != NULL);
  legation_abc *cut = setup_unident(500, 4);
  CHECK_EQ_INT(legation_abc_restore(cut, buf, len - 8), LEGATION_EINVAL);
  CHECK_EQ_INT(legation_abc_generations_done(cut), 0);
  free(buf);
  legation_abc_free(other);
  legation_abc_free(cut);
  legation_abc_free(whole);
  legation_abc_free(rest);
}


/* One integer from SQL on the store file (-1 on error). */
static int64_t sql_int(const char *path, const char *sql) {
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  int64_t v = -1;
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
    v = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  sqlite3_close(db);
  return v;
}

static int count_calib(void *user, const legation_store_calib *c) {
  CHECK_EQ_STR(c->status, "complete");
  CHECK_EQ_STR(c->scenario, "test:unidentifiable");
  (*(int *)user)++;
  return 0;
}

/* The store keeps every generation's row and particles, and a checkpoint
 * that restores to the same state; a finished calibration is complete and
 * cannot be resumed. */
static void store_roundtrip(void) {
  char dir[512], path[600];
  snprintf(dir, sizeof dir, "%s/legation-abc.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  if (!mkdtemp(dir)) {
    CHECK(0);
    return;
  }
  snprintf(path, sizeof path, "%s/c.db", dir);
  legation_store *st;
  CHECK_EQ_INT(legation_store_open(path, &st), LEGATION_OK);
  CHECK_EQ_INT(legation_store_schema_version(st), 7);
  legation_abc *abc = setup_unident(200, 6);
  legation_store_calib_meta m = {"test:unidentifiable", NULL, 0, NULL, NULL, 0, "", 6, 30, 2, NAN, NAN};
  int64_t id = 0;
  CHECK_EQ_INT(legation_store_calib_begin(st, abc, &m, &id), LEGATION_OK);
  CHECK_EQ_INT(id, 1);
  for (int g = 0; g < 3; g++) {
    CHECK_EQ_INT(legation_abc_step(abc), LEGATION_OK);
    CHECK_EQ_INT(legation_store_calib_save(st, id, abc), LEGATION_OK);
  }
  CHECK_EQ_INT(sql_int(path, "SELECT count(*) FROM calibration_generation"), 3);
  CHECK_EQ_INT(sql_int(path, "SELECT count(*) FROM posterior"), 3 * 200);
  CHECK_EQ_INT(sql_int(path, "SELECT count(*) FROM posterior_value"), 3 * 200 * 2);
  CHECK_EQ_INT(sql_int(path, "SELECT count(*) FROM calibration_param"), 2);
  CHECK_EQ_INT(sql_int(path, "SELECT round(sum(weight) * 1e6) FROM posterior WHERE generation=2"),
               1000000);
  /* while its process lives it is running, and cannot be resumed */
  legation_store_calib c;
  CHECK_EQ_INT(legation_store_calib_get(st, id, &c), LEGATION_OK);
  CHECK_EQ_STR(c.status, "running");
  CHECK_EQ_INT(c.generations_done, 3);
  /* (c's strings and checkpoint last until the next call on the store) */
  legation_abc *back = setup_unident(200, 6);
  CHECK_EQ_INT(legation_abc_restore(back, c.checkpoint, c.checkpoint_len), LEGATION_OK);
  CHECK(same_result(abc, back));
  CHECK_EQ_INT(legation_store_calib_resume(st, id), LEGATION_EINVAL);
  CHECK_EQ_INT(legation_store_calib_touch(st, id), LEGATION_OK);
  CHECK_EQ_INT(legation_store_calib_finish(st, id, LEGATION_EINTR, NULL), LEGATION_OK);
  CHECK_EQ_INT(legation_store_calib_get(st, id, &c), LEGATION_OK);
  CHECK_EQ_STR(c.status, "incomplete");
  CHECK_EQ_INT(legation_store_calib_resume(st, id), LEGATION_OK);
  CHECK_EQ_INT(legation_store_calib_finish(st, id, LEGATION_OK, NULL), LEGATION_OK);
  CHECK_EQ_INT(legation_store_calib_resume(st, id), LEGATION_EINVAL);
  CHECK(strstr(legation_store_errmsg(st), "is complete") != NULL);
  CHECK_EQ_INT(legation_store_calib_get(st, 2, &c), LEGATION_ENOTFOUND);
  int listed = 0;
  CHECK_EQ_INT(legation_store_calib_list(st, count_calib, &listed), LEGATION_OK);
  CHECK_EQ_INT(listed, 1);
  legation_abc_free(abc);
  legation_abc_free(back);
  legation_store_close(st);
  char cmd[700];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  CHECK(system(cmd) == 0);
}

/* An evaluator that counts points outside their ranges; the model's output
 * depends on both parameters, which sit against their bounds. */
typedef struct range_check {
  double lo[3], hi[3];
  int64_t outside, seen;
} range_check;

static legation_status range_eval(void *user, legation_abc *abc, const double *pts,
                                  int64_t npoints, int np, uint64_t seed, double *stats,
                                  int nstats) {
  range_check *r = user;
  for (int64_t k = 0; k < npoints; k++) {
    const double *x = &pts[(size_t)k * np];
    for (int d = 0; d < np; d++)
      if (!(x[d] >= r->lo[d] && x[d] <= r->hi[d])) r->outside++;
    r->seen++;
    /* the data prefer the corner (hi0, lo1, lo2): mass piles on the bounds */
    stats[(size_t)k * nstats] = (x[0] - r->lo[0]) / (r->hi[0] - r->lo[0]) -
                                (x[1] - r->lo[1]) / (r->hi[1] - r->lo[1]) +
                                0.01 * (double)(seed % 7) * 0;
    stats[(size_t)k * nstats + 1] = log(x[2]);
  }
  return LEGATION_OK;
}

static void kernel_in_range(void) {
  range_check r = {{0, 5, 1e-3}, {1e-3, 5.0001, 1e3}, 0, 0};
  legation_abc *abc = legation_abc_new();
  legation_abc_param p[3] = {{"x", "uniform", 0, 1e-3, NAN, NAN},
                             {"y", "triangular", 5, 5.0001, 5.00001, NAN},
                             {"z", "loguniform", 1e-3, 1e3, NAN, NAN}};
  for (int i = 0; i < 3; i++) CHECK_EQ_INT(legation_abc_add_param(abc, &p[i]), LEGATION_OK);
  CHECK_EQ_INT(legation_abc_add_target(abc, "s", 1, 0.01), LEGATION_OK);
  CHECK_EQ_INT(legation_abc_add_target(abc, "logz", log(1e-3), 0.1), LEGATION_OK);
  legation_abc_set_particles(abc, 300);
  legation_abc_set_generations(abc, 8);
  legation_abc_set_evaluator(abc, range_eval, &r);
  CHECK_EQ_INT(legation_abc_run(abc), LEGATION_OK);
  CHECK_EQ_INT(legation_abc_generations_done(abc), 8);
  CHECK(r.seen >= 8 * 300);
  CHECK_EQ_INT(r.outside, 0);
  legation_abc_marginal m;
  legation_abc_marginal_get(abc, 0, &m);
  CHECK(m.mean > 0.7e-3); /* moved towards its upper bound */
  legation_abc_free(abc);
  /* the sampler alone, at extreme centres, scales and uniforms */
  double us[] = {1e-300, 1e-12, 0.5, 1 - 1e-12, 1 - 1e-17};
  double sig[] = {1e-300, 1e-9, 1, 1e9, 1e300};
  double mus[] = {0, 1e-9, 0.5, 1 - 1e-16, 1};
  int bad = 0;
  for (int a = 0; a < 5; a++)
    for (int b = 0; b < 5; b++)
      for (int c = 0; c < 5; c++) {
        double x = lg_abc_trunc_normal(mus[c], sig[b], 0, 1, us[a]);
        if (!(x >= 0 && x <= 1)) bad++;
      }
  CHECK_EQ_INT(bad, 0);
  /* the kernel's mass inside the range (known answers from the normal CDF) */
  CHECK_NEAR(lg_abc_trunc_mass(0, 1, 0, 1), 0.3413447460685429, 1e-12);
  CHECK_NEAR(lg_abc_trunc_mass(5, 1, 6, 7), 0.1359051219832778, 1e-12);
  CHECK_NEAR(lg_abc_trunc_mass(0, 1, 40, 41), 0, 1e-300);
  CHECK(lg_abc_trunc_mass(0, 1, 30, 31) > 0); /* the upper tail keeps its digits */
}

/* pdf integrates to the CDF the quantile function inverts. */
static void priors(void) {
  legation_abc *abc = legation_abc_new();
  legation_abc_param p[4] = {{"u", "uniform", -1, 3, NAN, NAN},
                             {"l", "loguniform", 0.01, 100, NAN, NAN},
                             {"t", "triangular", 0, 10, 2, NAN},
                             {"n", "normal", -1, 4, 0.5, 1.5}};
  for (int i = 0; i < 4; i++) CHECK_EQ_INT(legation_abc_add_param(abc, &p[i]), LEGATION_OK);
  for (int i = 0; i < 4; i++) {
    const lg_abc_prior *pr = &abc->prior[i];
    for (double u = 0.1; u < 1; u += 0.2) {
      double q = lg_abc_prior_quantile(pr, u), s = 0;
      int steps = 200000;
      for (int k = 0; k < steps; k++) { /* midpoint rule on [lo, q] */
        double x = pr->lo + (q - pr->lo) * (k + 0.5) / steps;
        s += lg_abc_prior_pdf(pr, x) * (q - pr->lo) / steps;
      }
      CHECK_NEAR(s, u, 1e-4);
    }
    /* the mean by the same rule */
    double mean = 0;
    int steps = 200000;
    for (int k = 0; k < steps; k++) {
      double x = pr->lo + (pr->hi - pr->lo) * (k + 0.5) / steps;
      mean += x * lg_abc_prior_pdf(pr, x) * (pr->hi - pr->lo) / steps;
    }
    CHECK_NEAR(lg_abc_prior_mean(pr), mean, 1e-3 * (pr->hi - pr->lo));
  }
  /* bad priors are refused with the key named, never clamped */
  legation_abc_param bad[] = {{"a", "gamma", 0, 1, NAN, NAN},
                              {"b", "uniform", 1, 1, NAN, NAN},
                              {"c", "loguniform", 0, 1, NAN, NAN},
                              {"d", "triangular", 0, 1, 2, NAN},
                              {"e", "normal", 0, 1, 0.5, 0},
                              {"f", "uniform", 0, INFINITY, NAN, NAN}};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    CHECK_EQ_INT(legation_abc_add_param(abc, &bad[i]), LEGATION_ERANGE);
    CHECK(strncmp(legation_abc_errmsg(abc), bad[i].key, 1) == 0);
  }
  CHECK_EQ_INT(legation_abc_param_count(abc), 4);
  legation_abc_free(abc);
}

static void targets_file(void) {
  legation_abc *abc = legation_abc_new();
  const char *good = "# from legation history --stats --format targets\n"
                     "targets:\n"
                     "  - {name: moves_per_year, value: 0.44, sd: 0.1, era: 1986-2013, side: US}\n"
                     "  - name: persons_per_move\n"
                     "    value: 5\n"
                     "    source: data/events.csv\n"; /* unknown keys are ignored */
  CHECK_EQ_INT(legation_abc_load_targets(abc, good, strlen(good), "t.yaml"), LEGATION_OK);
  CHECK_EQ_INT(legation_abc_target_count(abc), 2);
  const char *name;
  double v, sd;
  legation_abc_target_get(abc, 0, &name, &v, &sd, NULL);
  CHECK_EQ_STR(name, "moves_per_year@1986-2013/US");
  CHECK(v == 0.44 && sd == 0.1);
  legation_abc_target_get(abc, 1, &name, &v, &sd, NULL);
  CHECK_EQ_STR(name, "persons_per_move");
  CHECK(isnan(sd));
  legation_abc_free(abc);

  struct {
    const char *text, *msg;
    legation_status st;
  } bad[] = {
      {"targets: [", "t.yaml:2:1: did not find expected node content", LEGATION_EPARSE},
      {"- 1\n", "t.yaml:1:1: expected a mapping with the key 'targets'", LEGATION_ESCHEMA},
      {"other: 1\n", "t.yaml:1:1: missing key 'targets'", LEGATION_ESCHEMA},
      {"targets: []\n", "t.yaml:1:10: targets: expected at least one target, found an empty list",
       LEGATION_ESCHEMA},
      {"targets:\n  - {name: a, value: '3'}\n",
       "t.yaml:2:22: targets: value: expected a number, found '3'", LEGATION_ESCHEMA},
      {"targets:\n  - {name: a, value: 3, sd: -1}\n",
       "t.yaml:2:29: targets: sd: expected a number > 0, found '-1'", LEGATION_ESCHEMA},
      {"targets:\n  - {value: 3}\n", "t.yaml:2:5: targets: missing key 'name'", LEGATION_ESCHEMA},
      {"targets:\n  - {name: a, value: 1}\n  - {name: a, value: 2}\n",
       "t.yaml:3:5: targets: a: target given twice", LEGATION_ESCHEMA},
      {"targets:\n  - {name: a/b, value: 1}\n",
       "t.yaml:2:12: targets: name: expected a non-empty word without '@' or '/', found a/b",
       LEGATION_ESCHEMA},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    abc = legation_abc_new();
    CHECK_EQ_INT(legation_abc_load_targets(abc, bad[i].text, strlen(bad[i].text), "t.yaml"),
                 bad[i].st);
    CHECK_EQ_STR(legation_abc_errmsg(abc), bad[i].msg);
    CHECK_EQ_INT(legation_abc_target_count(abc), 0);
    legation_abc_free(abc);
  }
}


static int cmp_d(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* A target without sd is scaled by 1.4826 x the MAD of generation 0's
 * simulations (all accepted, in candidate order). */
static void mad_scale(void) {
  legation_abc *abc = legation_abc_new();
  const char *t = "targets:\n  - {name: y, value: 0.3}\n";
  CHECK_EQ_INT(legation_abc_load_targets(abc, t, strlen(t), "t.yaml"), LEGATION_OK);
  legation_abc_set_particles(abc, 1001);
  CHECK_EQ_INT(legation_abc_use_test_model(abc, "test:unidentifiable", NULL, 0), LEGATION_OK);
  double scale;
  legation_abc_target_get(abc, 0, NULL, NULL, NULL, &scale);
  CHECK(isnan(scale));
  CHECK_EQ_INT(legation_abc_step(abc), LEGATION_OK);
  legation_abc_target_get(abc, 0, NULL, NULL, NULL, &scale);
  double y[1001];
  for (int i = 0; i < 1001; i++) {
    const double *s;
    legation_abc_particle(abc, i, NULL, NULL, NULL, &s);
    y[i] = s[0];
  }
  qsort(y, 1001, sizeof y[0], cmp_d);
  double med = y[500];
  for (int i = 0; i < 1001; i++) y[i] = fabs(y[i] - med);
  qsort(y, 1001, sizeof y[0], cmp_d);
  CHECK_NEAR(scale, 1.482602218505602 * y[500], 1e-12);
  CHECK(scale > 0.3 && scale < 0.45); /* y is about uniform on [0, 1]: MAD 0.25 */
  legation_abc_free(abc);
}

/* Settings refused, test model errors, the scenario binding not yet there. */
static void errors(void) {
  legation_abc *abc = legation_abc_new();
  CHECK_EQ_INT(legation_abc_set_particles(abc, 1), LEGATION_ERANGE);
  CHECK_EQ_INT(legation_abc_set_generations(abc, 0), LEGATION_ERANGE);
  CHECK_EQ_INT(legation_abc_set_alpha(abc, 1), LEGATION_ERANGE);
  CHECK_EQ_INT(legation_abc_use_test_model(abc, "test:nope", NULL, 0), LEGATION_ENOTFOUND);
  const char *k[] = {"q"};
  CHECK_EQ_INT(legation_abc_use_test_model(abc, "test:unidentifiable", k, 1), LEGATION_ENOTFOUND);
  CHECK_EQ_STR(legation_abc_errmsg(abc), "test:unidentifiable: no parameter 'q' (it has a, b)");
  CHECK_EQ_INT(legation_abc_step(abc), LEGATION_EINVAL);
  legation_abc_free(abc);
  /* one parameter of two: b stays at its midpoint */
  abc = legation_abc_new();
  const char *a[] = {"a"};
  CHECK_EQ_INT(legation_abc_use_test_model(abc, "test:unidentifiable", a, 1), LEGATION_OK);
  CHECK_EQ_INT(legation_abc_param_count(abc), 1);
  CHECK(abc->eps_min == 0.1); /* the model's default minimum tolerance */
  legation_abc_free(abc);
  /* a minimum tolerance the caller set, even 0, is kept */
  abc = legation_abc_new();
  CHECK_EQ_INT(legation_abc_set_min_tolerance(abc, 0), LEGATION_OK);
  CHECK_EQ_INT(legation_abc_use_test_model(abc, "test:normal", NULL, 0), LEGATION_OK);
  CHECK(abc->eps_min == 0);
  legation_abc_free(abc);

  legation_scenario *sc = legation_scenario_new();
  CHECK_EQ_INT(legation_scenario_load_builtin(sc, "us-russia-2025"), LEGATION_OK);
  abc = legation_abc_new();
  CHECK_EQ_INT(legation_abc_add_target(abc, "moves_per_year@1986-2013/US", 0.44, 0.1),
               LEGATION_OK);
  /* a scenario binds its uncertain parameters as priors */
  CHECK_EQ_INT(legation_abc_use_scenario(abc, sc, NULL, 0, 100), LEGATION_OK);
  CHECK(abc->np > 50);
  legation_abc_free(abc);
  /* a named parameter without a range cannot be calibrated */
  abc = legation_abc_new();
  legation_abc_add_target(abc, "moves_per_year@1986-2013/US", 0.44, 0.1);
  CHECK_EQ_INT(legation_abc_use_scenario(abc, sc, (const char *[]){"intel.source_value"}, 1, 100),
               LEGATION_ERANGE);
  CHECK(strstr(legation_abc_errmsg(abc), "intel.source_value: no range to calibrate over") != NULL);
  legation_abc_free(abc);
  /* targets are checked against the table of simulated statistics first */
  abc = legation_abc_new();
  CHECK_EQ_INT(legation_abc_add_target(abc, "moves_per_year/UK", 0.44, 0.1), LEGATION_OK);
  CHECK_EQ_INT(legation_abc_use_scenario(abc, sc, NULL, 0, 100), LEGATION_ENOTFOUND);
  CHECK(strstr(legation_abc_errmsg(abc), "side 'UK' is neither state") != NULL);
  legation_abc_free(abc);
  abc = legation_abc_new();
  CHECK_EQ_INT(legation_abc_add_target(abc, "cap_level", 150, NAN), LEGATION_OK);
  CHECK_EQ_INT(legation_abc_use_scenario(abc, sc, NULL, 0, 100), LEGATION_ENOTFOUND);
  CHECK_EQ_STR(legation_abc_errmsg(abc),
               "target 'cap_level': no simulated statistic corresponds to it");
  legation_abc_free(abc);
  legation_scenario_free(sc);
}

/* Mean of target 0's simulated value over a one-generation calibration of
 * sc (4 particles of states.a.shock_rate) against a target named `target`. */
static double era_stat(const legation_scenario *sc, const char *target) {
  legation_abc *abc = legation_abc_new();
  CHECK_EQ_INT(legation_abc_add_target(abc, target, 0.2, 0.1), LEGATION_OK);
  CHECK_EQ_INT(legation_abc_set_particles(abc, 4), LEGATION_OK);
  CHECK_EQ_INT(legation_abc_set_generations(abc, 1), LEGATION_OK);
  CHECK_EQ_INT(legation_abc_set_threads(abc, 1), LEGATION_OK);
  const char *k[] = {"states.a.shock_rate"};
  CHECK_EQ_INT(legation_abc_use_scenario(abc, sc, k, 1, 1), LEGATION_OK);
  CHECK_EQ_INT(legation_abc_step(abc), LEGATION_OK);
  double sum = 0;
  for (int64_t i = 0; i < 4; i++) {
    const double *st = NULL;
    CHECK_EQ_INT(legation_abc_particle(abc, i, NULL, NULL, NULL, &st), LEGATION_OK);
    sum += st ? st[0] : NAN;
  }
  legation_abc_free(abc);
  return sum / 4;
}

/* Targets of an era are compared with simulations of that era's length,
 * not of the scenario's horizon (docs/CALIBRATION.md section 4).  A's host
 * expels its identified staff every 60 months and nothing else moves: in
 * the scenario's 48 months A never moves; over 1986-2015 (360 months) it
 * moves at months 60, 120, ..., 360 (every batch finds someone identified,
 * and B's answers may add A's answers), so at least 6 moves in 30 years. */
static void era_horizon(void) {
  legation_scenario *sc = legation_scenario_new();
  CHECK_EQ_INT(legation_scenario_load_builtin(sc, "us-russia-2025"), LEGATION_OK);
  const char *sets[][2] = {{"horizon", "48"},          {"states.a.expel_policy", "batch"},
                           {"states.a.batch_interval", "60"}, {"states.b.expel_policy", "watch"},
                           {"states.a.noise", "0"},       {"states.b.noise", "0"}};
  for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++)
    CHECK_EQ_INT(legation_scenario_set(sc, sets[i][0], sets[i][1]), LEGATION_OK);
  CHECK(era_stat(sc, "moves_per_year/US") == 0);
  CHECK(era_stat(sc, "moves_per_year@1986-2015/US") >= 6.0 / 30);
  CHECK(era_stat(sc, "moves_per_year@1986-2015/US") <= 1);
  /* targets of eras of different lengths cannot share one simulation */
  legation_abc *abc = legation_abc_new();
  CHECK_EQ_INT(legation_abc_add_target(abc, "moves_per_year@1986-2015/US", 0.2, 0.1), LEGATION_OK);
  CHECK_EQ_INT(legation_abc_add_target(abc, "moves_per_year@2016-2024/RU", 0.5, 0.1), LEGATION_OK);
  const char *k[] = {"states.a.shock_rate"};
  CHECK_EQ_INT(legation_abc_use_scenario(abc, sc, k, 1, 1), LEGATION_EINVAL);
  CHECK(strstr(legation_abc_errmsg(abc), "eras of different lengths") != NULL);
  legation_abc_free(abc);
  legation_scenario_free(sc);
}

static const check_case cases[] = {
    {"beta_binomial", beta_binomial},
    {"normal_normal", normal_normal},
    {"unidentifiable", unidentifiable},
    {"at_the_bound", at_the_bound},
    {"prior_kept", prior_kept},
    {"threads_identical", threads_identical},
    {"resume_identical", resume_identical},
    {"store_roundtrip", store_roundtrip},
    {"kernel_in_range", kernel_in_range},
    {"priors", priors},
    {"targets_file", targets_file},
    {"mad_scale", mad_scale},
    {"errors", errors},
    {"era_horizon", era_horizon},
    {NULL, NULL},
};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
