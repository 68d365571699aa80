/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_uncertainty.c - plausible ranges and drawn parameters: the loader's
 * rules for range/dist/alternatives, Latin hypercube stratification, draws
 * that match each distribution (Kolmogorov-Smirnov), the lever rule, bit-
 * identical results for 1 and 2 threads and after resume, a comparison
 * whose share of favouring worlds is known by construction, and sweeps. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "engine/design.h"
#include "legation.h"
#include "scenario/scenario.h"

/* ------------------------------------------------------------ loader */

static const struct {
  const char *yaml;
  const char *message; /* expected substring of the error, NULL = loads */
} load_cases[] = {
    {"base: us-russia-2025\nstates:\n  a:\n    openness: {value: 0.5, range: [0.2, 0.8]}\n", NULL},
    {"base: us-russia-2025\nstates:\n  a:\n    openness: {value: 0.5, range: [0.2, 0.8], dist: triangular}\n", NULL},
    {"base: us-russia-2025\nstates:\n  a:\n    pool: {value: 500, range: [100, 5000], dist: loguniform}\n", NULL},
    {"base: us-russia-2025\nstates:\n  a:\n    doctrine: {value: mirror, alternatives: {mirror: 2, parity: 1}}\n", NULL},
    {"base: us-russia-2025\nstates:\n  a:\n    cut_cap: {value: true, alternatives: {true: 0.7, false: 0.3}}\n", NULL},
    {"base: us-russia-2025\nstates:\n  a:\n    openness: {value: 0.5, range: [0.2, 1.5]}\n",
     "t.yaml:4:41: states.a.openness.range[1]: expected a number in [0, 1], found 1.5"},
    {"base: us-russia-2025\nstates:\n  a:\n    openness: {value: 0.9, range: [0.2, 0.8]}\n",
     "t.yaml:4:35: states.a.openness.range: expected a range holding the value 0.9, found [0.2, 0.8]"},
    {"base: us-russia-2025\nstates:\n  a:\n    openness: {value: 0.5, range: [0.8, 0.2]}\n",
     "states.a.openness.range: expected lo <= hi, found [0.8, 0.2]"},
    {"base: us-russia-2025\nstates:\n  a:\n    openness: {value: 0.5, range: [0.2, 0.8], dist: normal}\n",
     "t.yaml:4:53: states.a.openness.dist: expected uniform, triangular, loguniform or fixed, found \"normal\""},
    {"base: us-russia-2025\nstates:\n  a:\n    openness: {value: 0.5, range: [0, 0.8], dist: loguniform}\n",
     "states.a.openness.range: expected lo > 0 for dist loguniform, found 0"},
    {"base: us-russia-2025\nstates:\n  a:\n    openness: {value: 0.5, dist: uniform}\n",
     "states.a.openness.range: expected [lo, hi] (required with dist), found nothing"},
    {"base: us-russia-2025\nstates:\n  a:\n    openness: {value: 0.5, range: [0.2]}\n",
     "states.a.openness.range: expected [lo, hi] (two numbers), found 1 item"},
    {"base: us-russia-2025\nstates:\n  a:\n    openness: {value: 0.5, alternatives: {0.5: 1}}\n",
     "states.a.openness.alternatives: expected range: [lo, hi] for a number, found alternatives"},
    {"base: us-russia-2025\nstates:\n  a:\n    doctrine: {value: mirror, range: [0, 1]}\n",
     "states.a.doctrine.range: expected alternatives: {choice: weight, ...} for a choice, found a range"},
    {"base: us-russia-2025\nstates:\n  a:\n    doctrine: {value: mirror, alternatives: {parity: 1}}\n",
     "states.a.doctrine.alternatives: expected the value (mirror) among the alternatives"},
    {"base: us-russia-2025\nstates:\n  a:\n    doctrine: {value: mirror, alternatives: {mirror: 1, spite: 1}}\n",
     "states.a.doctrine.alternatives.spite: expected one of absorb|mirror|proportional|parity"},
    {"base: us-russia-2025\nstates:\n  a:\n    doctrine: {value: mirror, alternatives: {mirror: 0}}\n",
     "states.a.doctrine.alternatives.mirror: expected a weight above 0, found 0"},
    {"base: us-russia-2025\nstates:\n  a:\n    name: {value: X, range: [0, 1]}\n",
     "states.a.name.range: expected no range (a name is not uncertain), found one"},
    {"base: us-russia-2025\nmissions:\n  a:\n    staff: {value: 50, range: [40.5, 60]}\n",
     "missions.a.staff.range[0]: expected an integer in [0, 1000000], found \"40.5\""},
};

static void loader_rules(void) {
  for (size_t k = 0; k < sizeof load_cases / sizeof load_cases[0]; k++) {
    legation_scenario *sc = legation_scenario_new();
    legation_status st =
        legation_scenario_load_string(sc, load_cases[k].yaml, strlen(load_cases[k].yaml), "t.yaml");
    if (!load_cases[k].message) {
      CHECK_EQ_INT(st, LEGATION_OK);
      if (st != LEGATION_OK) fprintf(stderr, "    case %zu: %s\n", k, legation_scenario_errmsg(sc));
    } else {
      CHECK(st != LEGATION_OK);
      if (!strstr(legation_scenario_errmsg(sc), load_cases[k].message)) {
        fprintf(stderr, "    case %zu: got \"%s\"\n    expected to contain \"%s\"\n", k,
                legation_scenario_errmsg(sc), load_cases[k].message);
        CHECK(0);
      }
    }
    legation_scenario_free(sc);
  }
}

/* A value set later without a range drops the inherited range (a lever). */
static void lever_drops_range(void) {
  const char *base = "base: us-russia-2025\nstates:\n  a:\n    openness: {value: 0.5, range: [0.2, 0.8]}\n";
  legation_scenario *sc = legation_scenario_new();
  CHECK_EQ_INT(legation_scenario_load_string(sc, base, strlen(base), "b.yaml"), LEGATION_OK);
  int i = -1;
  for (int k = 0; k < legation_param_count(); k++) {
    legation_param p;
    legation_param_get(sc, k, &p);
    if (strcmp(p.key, "states.a.openness") == 0) i = k;
  }
  legation_param p;
  CHECK_EQ_INT(legation_param_get(sc, i, &p), LEGATION_OK);
  CHECK_EQ_INT(p.has_range, 1);
  CHECK_EQ_INT(p.uncertain, 1);
  CHECK_EQ_STR(p.dist, "uniform");
  CHECK_NEAR(p.range_lo, 0.2, 0);
  CHECK_NEAR(p.range_hi, 0.8, 0);
  CHECK_EQ_INT(legation_scenario_set(sc, "states.a.openness", "0.7"), LEGATION_OK);
  CHECK_EQ_INT(legation_param_get(sc, i, &p), LEGATION_OK);
  CHECK_EQ_INT(p.has_range, 0);
  legation_scenario_free(sc);
}

/* Every parameter of a built-in scenario whose source calls it an
 * assumption carries a plausible range (issue: ranges as data). */
static void builtins_assumptions_ranged(void) {
  for (int b = 0; b < legation_builtin_count(); b++) {
    legation_scenario *sc = legation_scenario_new();
    CHECK_EQ_INT(legation_scenario_load_builtin(sc, legation_builtin_name(b)), LEGATION_OK);
    for (int i = 0; i < legation_param_count(); i++) {
      legation_param p;
      legation_param_get(sc, i, &p);
      if (p.source && strstr(p.source, "assumption") && !p.has_range) {
        fprintf(stderr, "    %s: %s = %s has no range (%s)\n", legation_builtin_name(b), p.key,
                p.text, p.source);
        CHECK(0);
      }
    }
    legation_scenario_free(sc);
  }
}

/* Every generic range of the table's defaults holds its default (a range
 * that does not is skipped by sc_default_ranges, so this catches a default
 * moved out of its range). */
static void default_ranges_hold_defaults(void) {
  legation_scenario *sc = legation_scenario_new();
  int n = 0;
  for (int i = 0; i < legation_param_count(); i++) {
    if (!sc_default_range_why(i)) continue;
    n++;
    legation_param p;
    legation_param_get(sc, i, &p);
    if (!p.has_range) fprintf(stderr, "    %s: default %s outside its generic range\n", p.key, p.text);
    CHECK(p.has_range);
    CHECK(p.range_source != NULL);
  }
  CHECK(n > 60);
  legation_scenario_free(sc);
}

/* ------------------------------------------------------------ designs */

static void perm_is_bijection(void) {
  static const uint64_t ns[] = {1, 2, 3, 5, 16, 17, 100, 1000, 4097};
  for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) {
    uint64_t n = ns[k];
    char *seen = calloc(n, 1);
    int bad = 0;
    for (uint64_t i = 0; i < n; i++) {
      uint64_t j = lg_perm(n, 12345 + k, i);
      if (j >= n || seen[j]) bad++;
      else seen[j] = 1;
    }
    CHECK_EQ_INT(bad, 0);
    free(seen);
  }
  /* different keys give different permutations */
  int same = 0;
  for (uint64_t i = 0; i < 100; i++) same += lg_perm(100, 1, i) == lg_perm(100, 2, i);
  CHECK(same < 20);
}

/* Each of the N strata of every dimension holds exactly one world. */
static void lhs_stratified(void) {
  static const uint64_t ns[] = {1, 7, 64, 1000};
  static const uint32_t dims[] = {0, 5, 77, 150};
  for (size_t a = 0; a < sizeof ns / sizeof ns[0]; a++)
    for (size_t b = 0; b < sizeof dims / sizeof dims[0]; b++) {
      uint64_t n = ns[a];
      int *count = calloc(n, sizeof *count), bad = 0;
      for (uint64_t w = 0; w < n; w++) {
        double u = lg_lhs(99, dims[b], n, w);
        if (!(u >= 0 && u < 1)) bad++;
        else count[(uint64_t)(u * (double)n)]++;
      }
      for (uint64_t s = 0; s < n; s++) bad += count[s] != 1;
      CHECK_EQ_INT(bad, 0);
      free(count);
    }
}

/* CDFs of the distributions on [lo, hi] (triangular with mode c). */
static double cdf(int dist, double lo, double hi, double c, double x) {
  if (x <= lo) return 0;
  if (x >= hi) return 1;
  switch (dist) {
  case SC_DIST_TRIANGULAR:
    return x <= c ? (x - lo) * (x - lo) / ((hi - lo) * (c - lo))
                  : 1 - (hi - x) * (hi - x) / ((hi - lo) * (hi - c));
  case SC_DIST_LOGUNIFORM: return log(x / lo) / log(hi / lo);
  default: return (x - lo) / (hi - lo);
  }
}

static int cmp_d(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Draws through the Latin hypercube match each distribution: the
 * Kolmogorov-Smirnov distance is below its 0.1% critical value 1.95/sqrt(N)
 * (an LHS sample is far closer than that; a wrong inverse CDF is not). */
static void draws_match_distributions(void) {
  static const struct {
    int dist;
    double lo, hi, mode;
  } cases[] = {{SC_DIST_UNIFORM, 2, 5, 3},
               {SC_DIST_TRIANGULAR, 0, 10, 3},
               {SC_DIST_TRIANGULAR, 0, 1, 0.9},
               {SC_DIST_LOGUNIFORM, 0.01, 1, 0.1}};
  const int n = 2000;
  double *x = malloc(n * sizeof *x);
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    sc_unc u = {1, cases[k].dist, cases[k].lo, cases[k].hi, 0, {0}, {0}};
    for (int w = 0; w < n; w++)
      x[w] = sc_unc_quantile(&u, 0 /* LG_REAL */, cases[k].mode, lg_lhs(7, 3, n, (uint64_t)w));
    qsort(x, n, sizeof *x, cmp_d);
    double d = 0;
    for (int i = 0; i < n; i++) {
      double f = cdf(cases[k].dist, cases[k].lo, cases[k].hi, cases[k].mode, x[i]);
      d = fmax(d, fmax(fabs(f - (double)i / n), fabs(f - (double)(i + 1) / n)));
    }
    if (!(d < 1.95 / sqrt((double)n))) fprintf(stderr, "    case %zu: KS distance %g\n", k, d);
    CHECK(d < 1.95 / sqrt((double)n));
    /* and a wrong distribution is told apart: uniform draws against the
     * triangular or loguniform CDF */
    if (cases[k].dist != SC_DIST_UNIFORM) {
      double e = 0;
      for (int i = 0; i < n; i++) {
        double xi = cases[k].lo + (cases[k].hi - cases[k].lo) * (i + 0.5) / n;
        double f = cdf(cases[k].dist, cases[k].lo, cases[k].hi, cases[k].mode, xi);
        e = fmax(e, fabs(f - (double)(i + 0.5) / n));
      }
      CHECK(e > 1.95 / sqrt((double)n));
    }
  }
  free(x);
}

/* Whole numbers: every integer of [lo, hi] an equal share (uniform);
 * weighted alternatives in proportion to their weights. */
static void integers_and_choices(void) {
  const int n = 1200;
  sc_unc u = {1, SC_DIST_UNIFORM, 3, 8, 0, {0}, {0}};
  int count[10] = {0};
  for (int w = 0; w < n; w++) {
    double x = sc_unc_quantile(&u, 1 /* LG_INT */, 5, lg_lhs(3, 9, n, (uint64_t)w));
    CHECK(x == floor(x) && x >= 3 && x <= 8);
    count[(int)x]++;
  }
  for (int v = 3; v <= 8; v++) CHECK_EQ_INT(count[v], n / 6); /* stratified: exact */
  sc_unc c = {1, 0, 0, 0, 3, {1, 3, 0}, {1, 2, 3}};
  int got[4] = {0};
  for (int w = 0; w < n; w++) got[(int)sc_unc_quantile(&c, 3 /* LG_ENUM */, 1, lg_lhs(5, 2, n, (uint64_t)w))]++;
  CHECK_EQ_INT(got[1], n / 6);
  CHECK_EQ_INT(got[3], n / 3);
  CHECK_EQ_INT(got[0], n / 2);
}

/* ------------------------------------------------------------ runs */

static legation_scenario *uncertain_base(void) {
  const char *y = "base: us-russia-2025\n"
                  "horizon: 24\n"
                  "states:\n  a:\n    openness: {value: 0.5, range: [0.1, 0.9]}\n";
  legation_scenario *sc = legation_scenario_new();
  if (legation_scenario_load_string(sc, y, strlen(y), "u.yaml") != LEGATION_OK)
    fprintf(stderr, "%s\n", legation_scenario_errmsg(sc));
  return sc;
}

/* The deal changes only A's openness: B's officers operate in A, so the
 * option (openness 0.7, a lever) raises B's gain exactly in the worlds
 * where the drawn openness is below 0.7: 75% of U[0.1, 0.9]. */
static void known_share_of_worlds(void) {
  legation_scenario *base = uncertain_base();
  legation_scenario *opt = legation_scenario_clone(base);
  CHECK_EQ_INT(legation_scenario_set(opt, "states.a.openness", "0.7"), LEGATION_OK);
  legation_run *run = legation_run_new(base);
  CHECK_EQ_INT(legation_run_add_variant(run, opt), 1);
  const char *keys[] = {"states.a.openness"};
  CHECK_EQ_INT(legation_run_vary(run, keys, 1), LEGATION_OK);
  CHECK_EQ_INT(legation_run_set_reps_per_world(run, 4), LEGATION_OK);
  const int W = 400;
  legation_run_set_reps(run, 4 * W);
  legation_run_set_seed(run, 11);
  CHECK_EQ_INT(legation_run_execute(run), LEGATION_OK);
  legation_world_stat w;
  CHECK_EQ_INT(legation_run_world_diff(run, 1, legation_output_find("value_b"), &w), LEGATION_OK);
  CHECK_EQ_INT(w.worlds, W);
  double share = (double)w.above / (double)w.worlds;
  CHECK_NEAR(share, 0.75, 4.5 * sqrt(0.75 * 0.25 / W));
  /* the lever keeps its value; the base takes the drawn one */
  double xb, xo;
  CHECK_EQ_INT(legation_run_rep_param(run, 0, 5, "states.a.openness", &xb), LEGATION_OK);
  CHECK_EQ_INT(legation_run_rep_param(run, 1, 5, "states.a.openness", &xo), LEGATION_OK);
  CHECK_NEAR(xo, 0.7, 0);
  CHECK(xb >= 0.1 && xb <= 0.9);
  /* replications of one world share its draw */
  double x4, x7;
  legation_run_rep_param(run, 0, 4, "states.a.openness", &x4);
  legation_run_rep_param(run, 0, 7, "states.a.openness", &x7);
  CHECK(x4 == x7);
  legation_run_free(run);
  /* an option equal to the base changes nothing in any world */
  run = legation_run_new(base);
  legation_run_add_variant(run, base);
  legation_run_vary(run, NULL, 0);
  legation_run_set_reps(run, 200);
  CHECK_EQ_INT(legation_run_execute(run), LEGATION_OK);
  CHECK_EQ_INT(legation_run_world_diff(run, 1, legation_output_find("balance"), &w), LEGATION_OK);
  CHECK_EQ_INT(w.above + w.below, 0);
  legation_run_free(run);
  legation_scenario_free(opt);
  legation_scenario_free(base);
}

static int same_world_stats(const legation_run *a, const legation_run *b) {
  int bad = 0;
  for (int i = 0; i < legation_output_count(); i++) {
    legation_world_stat x, y;
    legation_stat s, t;
    legation_run_world_stat(a, 0, i, &x);
    legation_run_world_stat(b, 0, i, &y);
    legation_run_stat(a, i, &s);
    legation_run_stat(b, i, &t);
    bad += memcmp(&x.across.mean, &y.across.mean, sizeof(double)) != 0 ||
           memcmp(&x.across.sd, &y.across.sd, sizeof(double)) != 0 || x.above != y.above ||
           memcmp(&x.noise_sd, &y.noise_sd, sizeof(double)) != 0 ||
           memcmp(&x.across.q50, &y.across.q50, sizeof(double)) != 0 ||
           memcmp(&s.mean, &t.mean, sizeof(double)) != 0 || memcmp(&s.sd, &t.sd, sizeof(double)) != 0;
  }
  return bad;
}

static legation_run *uncertain_run(int threads, int64_t reps) {
  legation_scenario *sc = legation_scenario_new();
  legation_scenario_load_builtin(sc, "us-russia-2025");
  legation_scenario_set(sc, "horizon", "18");
  legation_run *run = legation_run_new(sc);
  legation_scenario_free(sc);
  legation_run_vary(run, NULL, 0);
  legation_run_set_reps_per_world(run, 3);
  legation_run_set_reps(run, reps);
  legation_run_set_threads(run, threads);
  legation_run_set_seed(run, 5);
  return run;
}

static void threads_identical(void) {
  legation_run *a = uncertain_run(1, 700), *b = uncertain_run(2, 700);
  CHECK_EQ_INT(legation_run_execute(a), LEGATION_OK);
  CHECK_EQ_INT(legation_run_execute(b), LEGATION_OK);
  CHECK_EQ_INT(same_world_stats(a, b), 0);
  legation_world_stat w;
  legation_run_world_stat(a, 0, 0, &w);
  CHECK_EQ_INT(w.worlds, 234); /* ceil(700 / 3) */
  CHECK(w.noise_sd > 0 && w.world_sd > 0);
  legation_run_free(a);
  legation_run_free(b);
}

static int stop_at_half(void *user, int64_t done, int64_t total) {
  (void)user;
  return done >= total / 2;
}

static void resume_identical(void) {
  legation_run *whole = uncertain_run(2, 1000), *part = uncertain_run(2, 1000);
  CHECK_EQ_INT(legation_run_execute(whole), LEGATION_OK);
  legation_run_set_progress(part, stop_at_half, NULL);
  CHECK_EQ_INT(legation_run_execute(part), LEGATION_EINTR);
  void *buf;
  size_t len;
  CHECK_EQ_INT(legation_run_checkpoint(part, &buf, &len), LEGATION_OK);
  legation_run *again = uncertain_run(1, 1000);
  CHECK_EQ_INT(legation_run_restore(again, buf, len), LEGATION_OK);
  CHECK_EQ_INT(legation_run_execute(again), LEGATION_OK);
  CHECK_EQ_INT(same_world_stats(whole, again), 0);
  /* a checkpoint of fixed parameters does not restore into a drawn run */
  legation_run *fixed = uncertain_run(1, 1000);
  legation_run_set_points(fixed, (const char *[]){"states.a.openness"}, 1, (double[]){0.5}, 1, 1000);
  CHECK_EQ_INT(legation_run_restore(fixed, buf, len), LEGATION_EINVAL);
  legation_free(buf);
  legation_run_free(whole);
  legation_run_free(part);
  legation_run_free(again);
  legation_run_free(fixed);
}

static void vary_refusals(void) {
  legation_scenario *sc = legation_scenario_new();
  legation_scenario_load_builtin(sc, "us-russia-2025");
  legation_run *run = legation_run_new(sc);
  CHECK_EQ_INT(legation_run_vary(run, (const char *[]){"intel.source_value"}, 1), LEGATION_EINVAL);
  CHECK(strstr(legation_run_errmsg(run), "intel.source_value: no plausible range") != NULL);
  CHECK_EQ_INT(legation_run_vary(run, (const char *[]){"horizon"}, 1), LEGATION_EINVAL);
  CHECK_EQ_INT(legation_run_vary(run, (const char *[]){"states.c.openness"}, 1), LEGATION_ENOTFOUND);
  double bad[] = {0.5, 1.5};
  CHECK_EQ_INT(legation_run_set_points(run, (const char *[]){"states.a.openness"}, 1, bad, 2, 10),
               LEGATION_ERANGE);
  CHECK_EQ_STR(legation_run_errmsg(run),
               "point 1: states.a.openness: expected a number in [0, 1], found 1.5");
  /* ranges that allow more officers than staff are refused before running */
  legation_scenario_set(sc, "missions.a.staff", "20");
  legation_run_free(run);
  run = legation_run_new(sc);
  legation_run_vary(run, (const char *[]){"missions.a.officers"}, 1);
  legation_run_set_reps(run, 10);
  CHECK_EQ_INT(legation_run_execute(run), LEGATION_ESCHEMA);
  CHECK(strstr(legation_run_errmsg(run), "missions.a.officers up to 36 above missions.a.staff") != NULL);
  legation_run_free(run);
  legation_scenario_free(sc);
}

/* Points see the same random numbers: two identical points give identical
 * results; a grid sweep makes every combination, the last key fastest. */
typedef struct rows {
  int n;
  double mean[16];
  int64_t world[16];
} rows;

static int collect(void *user, const legation_world_result *w) {
  rows *r = user;
  if (w->variant == 0 && !w->diff && r->n < 16) {
    r->world[r->n] = w->world;
    r->mean[r->n++] = w->stats[legation_output_find("value_b")].mean;
  }
  return 0;
}

static void points_and_sweeps(void) {
  legation_scenario *sc = legation_scenario_new();
  legation_scenario_load_builtin(sc, "us-russia-2025");
  legation_scenario_set(sc, "horizon", "12");
  legation_run *run = legation_run_new(sc);
  double pts[] = {0.5, 0.9, 0.5};
  rows r = {0};
  legation_run_set_world_sink(run, collect, &r);
  CHECK_EQ_INT(legation_run_set_points(run, (const char *[]){"states.a.openness"}, 1, pts, 3, 50),
               LEGATION_OK);
  CHECK_EQ_INT(legation_run_execute(run), LEGATION_OK);
  CHECK_EQ_INT(r.n, 3);
  CHECK(r.mean[0] == r.mean[2]); /* common random numbers */
  CHECK(r.mean[1] > r.mean[0]);  /* more openness, more for B */
  legation_run_free(run);

  run = legation_run_new(sc);
  legation_sweep_key keys[] = {{"states.a.openness", 0.2, 0.8, 3}, {"missions.b.officers", 10, 40, 2}};
  CHECK_EQ_INT(legation_run_sweep(run, keys, 2, LEGATION_DESIGN_GRID, 0, 5), LEGATION_OK);
  legation_run_set_reps(run, 30);
  CHECK_EQ_INT(legation_run_execute(run), LEGATION_OK);
  static const double want[6][2] = {{0.2, 10}, {0.2, 40}, {0.5, 10}, {0.5, 40}, {0.8, 10}, {0.8, 40}};
  for (int q = 0; q < 6; q++) {
    double a, b;
    legation_run_rep_param(run, 0, q * 5, "states.a.openness", &a);
    legation_run_rep_param(run, 0, q * 5, "missions.b.officers", &b);
    CHECK_NEAR(a, want[q][0], 1e-12);
    CHECK_NEAR(b, want[q][1], 0);
  }
  legation_run_free(run);
  /* an LHS sweep of the scenario's plausible range stays inside it */
  run = legation_run_new(sc);
  legation_sweep_key k2[] = {{"states.b.openness", NAN, NAN, 0}};
  CHECK_EQ_INT(legation_run_sweep(run, k2, 1, LEGATION_DESIGN_LHS, 40, 1), LEGATION_OK);
  int inside = 0;
  for (int q = 0; q < 40; q++) {
    double x;
    legation_run_rep_param(run, 0, q, "states.b.openness", &x);
    inside += x >= 0.15 && x <= 0.45;
  }
  CHECK_EQ_INT(inside, 40);
  legation_sweep_key k3[] = {{"states.b.openness", 0.9, 0.1, 0}};
  CHECK_EQ_INT(legation_run_sweep(run, k3, 1, LEGATION_DESIGN_LHS, 4, 1), LEGATION_ERANGE);
  legation_run_free(run);
  legation_scenario_free(sc);
}

/* A sweep across a posterior: every point's replications are the same
 * worlds resampled from the particles (systematic resampling gives a
 * particle of weight w exactly w x worlds of them when that is whole), a
 * swept key keeps the sweep's values, and the worlds change the results. */
static void sweep_across_posterior(void) {
  legation_scenario *sc = legation_scenario_new();
  legation_scenario_load_builtin(sc, "us-russia-2025");
  legation_scenario_set(sc, "horizon", "24");
  const char *pk[] = {"states.a.openness", "states.b.shock_rate"};
  double vals[] = {0.9, 0.01, 0.9, 0.02, 0.9, 0.3}, wts[] = {0, 1, 3};
  legation_sweep_key keys[] = {{"states.a.openness", 0.2, 0.8, 3}};
  legation_run *run = legation_run_new(sc);
  /* without a sweep, or when the sweep sets every key: refused */
  CHECK_EQ_INT(legation_run_sweep_posterior(run, pk, 2, vals, wts, 3), LEGATION_EINVAL);
  CHECK_EQ_INT(legation_run_sweep(run, keys, 1, LEGATION_DESIGN_GRID, 0, 8), LEGATION_OK);
  CHECK_EQ_INT(legation_run_sweep_posterior(run, pk, 1, vals, wts, 3), LEGATION_EINVAL);
  CHECK_EQ_INT(legation_run_sweep_posterior(run, pk, 2, vals, wts, 3), LEGATION_OK);
  CHECK_EQ_INT(legation_run_vary_count(run), 2);
  int nsk = 0;
  legation_run_sweep_spec(run, NULL, NULL, &nsk, NULL);
  CHECK_EQ_INT(nsk, 1);
  CHECK_EQ_INT(legation_run_set_reps_per_world(run, 4), LEGATION_EINVAL);
  int high = 0;
  for (int q = 0; q < 3; q++)
    for (int j = 0; j < 8; j++) {
      double a, b, b0;
      legation_run_rep_param(run, 0, q * 8 + j, "states.a.openness", &a);
      legation_run_rep_param(run, 0, q * 8 + j, "states.b.shock_rate", &b);
      legation_run_rep_param(run, 0, j, "states.b.shock_rate", &b0);
      CHECK_NEAR(a, 0.2 + 0.3 * q, 1e-12);
      CHECK(b == b0); /* the same worlds at every point */
      CHECK(b == 0.02 || b == 0.3);
      high += q == 0 && b == 0.3;
    }
  CHECK_EQ_INT(high, 6);
  rows r1 = {0}, r2 = {0};
  legation_run_set_world_sink(run, collect, &r1);
  CHECK_EQ_INT(legation_run_execute(run), LEGATION_OK);
  legation_run_free(run);
  run = legation_run_new(sc);
  legation_run_sweep(run, keys, 1, LEGATION_DESIGN_GRID, 0, 8);
  legation_run_set_world_sink(run, collect, &r2);
  CHECK_EQ_INT(legation_run_execute(run), LEGATION_OK);
  CHECK_EQ_INT(r1.n, 3);
  CHECK_EQ_INT(r2.n, 3);
  int differ = 0;
  for (int q = 0; q < 3; q++) differ += r1.mean[q] != r2.mean[q];
  CHECK(differ > 0);
  legation_run_free(run);
  legation_scenario_free(sc);
}

static const check_case cases[] = {
    {"loader_rules", loader_rules},
    {"lever_drops_range", lever_drops_range},
    {"builtins_assumptions_ranged", builtins_assumptions_ranged},
    {"default_ranges_hold_defaults", default_ranges_hold_defaults},
    {"perm_is_bijection", perm_is_bijection},
    {"lhs_stratified", lhs_stratified},
    {"draws_match_distributions", draws_match_distributions},
    {"integers_and_choices", integers_and_choices},
    {"known_share_of_worlds", known_share_of_worlds},
    {"threads_identical", threads_identical},
    {"resume_identical", resume_identical},
    {"vary_refusals", vary_refusals},
    {"points_and_sweeps", points_and_sweeps},
    {"sweep_across_posterior", sweep_across_posterior},
    {NULL, NULL},
};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
