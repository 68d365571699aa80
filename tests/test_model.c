/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_model.c - the reductions of MODEL.md as tests of the real model in
 * special configurations, plus determinism and the A/B mirror.  Every
 * statistical check uses a fixed seed and a tolerance of Z standard errors
 * computed from the run's own sample (Z = 4.5: a correct model fails with
 * probability below 1e-5 per check, and a fixed seed makes it repeatable).
 */
#include <stdlib.h>

#include "check.h"
#include "legation.h"

#define Z 4.5

/* A quiet world: no CI, no detection, no noise, big missions, no rotation,
 * no visa lag, caps not cut.  Tests switch on one mechanism at a time. */
static legation_scenario *quiet(void) {
  legation_scenario *sc = legation_scenario_new();
  static const char *const kv[][2] = {
      {"horizon", "120"},
      {"relations.expel_move", "0"},
      {"relations.expel_person", "0"},
      {"relations.restraint", "0"},
  };
  for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++) legation_scenario_set(sc, kv[i][0], kv[i][1]);
  for (int s = 0; s < 2; s++) {
    char key[64];
    static const char *const st[][2] = {
        {"ci_agents", "0"}, {"detect_prob", "0"}, {"false_flag", "0"}, {"source_hazard", "0"},
        {"noise", "0"},     {"forgiveness", "0"}, {"cut_cap", "false"}, {"expel_policy", "watch"},
        {"turn_prob", "0"}, {"vetting", "0"},
    };
    static const char *const ms[][2] = {
        {"cap", "60"}, {"staff", "60"}, {"officers", "0"}, {"floor", "0"},
        {"visa_lag", "0"}, {"tour", "0"},   {"walkins", "0"},
    };
    for (size_t i = 0; i < sizeof st / sizeof st[0]; i++) {
      snprintf(key, sizeof key, "states.%c.%s", 'a' + s, st[i][0]);
      if (legation_scenario_set(sc, key, st[i][1]) != LEGATION_OK)
        fprintf(stderr, "set %s: %s", key, legation_scenario_errmsg(sc));
    }
    for (size_t i = 0; i < sizeof ms / sizeof ms[0]; i++) {
      snprintf(key, sizeof key, "missions.%c.%s", 'a' + s, ms[i][0]);
      if (legation_scenario_set(sc, key, ms[i][1]) != LEGATION_OK)
        fprintf(stderr, "set %s: %s", key, legation_scenario_errmsg(sc));
    }
  }
  return sc;
}

/* Set "<prefix>a.<rest>" and "<prefix>b.<rest>"; pattern has one '%c'. */
static void set2(legation_scenario *sc, const char *pattern, const char *v) {
  char key[96];
  for (int s = 0; s < 2; s++) {
    const char *pc = strstr(pattern, "%c");
    snprintf(key, sizeof key, "%.*s%c%s", (int)(pc - pattern), pattern, 'a' + s, pc + 2);
    if (legation_scenario_set(sc, key, v) != LEGATION_OK)
      fprintf(stderr, "set %s: %s", key, legation_scenario_errmsg(sc));
  }
}

static void set1(legation_scenario *sc, const char *key, const char *v) {
  if (legation_scenario_set(sc, key, v) != LEGATION_OK)
    fprintf(stderr, "set %s: %s", key, legation_scenario_errmsg(sc));
}

static legation_run *run(legation_scenario *sc, int reps, int threads, uint64_t seed) {
  legation_run *r = legation_run_new(sc);
  legation_run_set_reps(r, reps);
  legation_run_set_threads(r, threads);
  legation_run_set_seed(r, seed);
  legation_status st = legation_run_execute(r);
  if (st != LEGATION_OK) fprintf(stderr, "run failed: %s: %s\n", legation_strerror(st), legation_run_errmsg(r));
  return r;
}

static legation_stat stat(legation_run *r, const char *name) {
  legation_stat s;
  int i = legation_output_find(name);
  if (i < 0 || legation_run_stat(r, i, &s) != LEGATION_OK) memset(&s, 0, sizeof s), s.mean = NAN;
  return s;
}

static legation_stat sstat(legation_run *r, const char *name, int month) {
  legation_stat s;
  if (legation_run_series_stat(r, legation_series_find(name), month, &s) != LEGATION_OK)
    memset(&s, 0, sizeof s), s.mean = NAN;
  return s;
}

#define SE(s) ((s).sd / sqrt((double)(s).n))

/* Load a YAML fragment over sc; a fragment without `base:` must name both
 * states, so the current names are repeated. */
static void overlay(legation_scenario *sc, const char *body) {
  char yaml[1024];
  snprintf(yaml, sizeof yaml, "states: {a: {name: \"%s\"}, b: {name: \"%s\"}}\n%s",
           legation_scenario_state_name(sc, 0), legation_scenario_state_name(sc, 1), body);
  if (legation_scenario_load_string(sc, yaml, strlen(yaml), "test") != LEGATION_OK)
    fprintf(stderr, "overlay: %s", legation_scenario_errmsg(sc));
}

/* Add a scheduled expulsion: the host of mission `target` expels n at month 1. */
static void opening_expulsion(legation_scenario *sc, const char *target, int n) {
  char yaml[256];
  snprintf(yaml, sizeof yaml, "deal_add:\n  - {month: 1, action: expel, target: %s, value: %d}\n", target, n);
  overlay(sc, yaml);
}

/* Exact finite-horizon mean of the per-side hostile share for a generous
 * mirror with forgiveness g and flip rate e, starting from peace:
 * p1 = e, p(t+1) = p(t)(1 - q) + (1 - p(t)) e, q = g(1-e) + (1-g)e. */
static double hostile_exact(double g, double e, int T) {
  double q = g * (1 - e) + (1 - g) * e, p = e, sum = 0;
  for (int t = 1; t <= T; t++) {
    sum += p;
    p = p * (1 - q) + (1 - p) * e;
  }
  return sum / T;
}

/* Reduction 1: mirror with noise is hostile half the time, whatever e. */
static void mirror_noise(void) {
  const double es[] = {0.02, 0.1, 0.3};
  for (int k = 0; k < 3; k++) {
    legation_scenario *sc = quiet();
    char e[32];
    snprintf(e, sizeof e, "%g", es[k]);
    set1(sc, "horizon", "600");
    set2(sc, "states.%c.doctrine", "mirror");
    set2(sc, "states.%c.noise", e);
    legation_run *r = run(sc, 300, 0, 11);
    legation_stat h = stat(r, "hostile_a"), hb = stat(r, "hostile_b");
    double exact = hostile_exact(0, es[k], 600);
    CHECK_NEAR(h.mean, exact, Z * SE(h) + 1e-12);
    CHECK_NEAR(hb.mean, exact, Z * SE(hb) + 1e-12);
    /* the long-run value is 1/2; the finite horizon differs by the transient */
    CHECK_NEAR(hostile_exact(0, es[k], 600000), 0.5, 1e-3);
    CHECK_NEAR(h.mean, 0.5, Z * SE(h) + 1.0 / (2 * es[k] * 600));
    legation_run_free(r);
    legation_scenario_free(sc);
  }
}

/* Reduction 2: generous mirror cooperates q / (e + q) of the time. */
static void generous_mirror(void) {
  const double gs[] = {0.2, 0.5}, es[] = {0.05, 0.1};
  for (int k = 0; k < 2; k++) {
    legation_scenario *sc = quiet();
    char g[32], e[32];
    snprintf(g, sizeof g, "%g", gs[k]);
    snprintf(e, sizeof e, "%g", es[k]);
    set1(sc, "horizon", "600");
    set2(sc, "states.%c.doctrine", "mirror");
    set2(sc, "states.%c.forgiveness", g);
    set2(sc, "states.%c.noise", e);
    legation_run *r = run(sc, 300, 0, 12);
    legation_stat h = stat(r, "hostile_a");
    double q = gs[k] * (1 - es[k]) + (1 - gs[k]) * es[k];
    CHECK_NEAR(1 - h.mean, 1 - hostile_exact(gs[k], es[k], 600), Z * SE(h) + 1e-12);
    CHECK_NEAR(1 - hostile_exact(gs[k], es[k], 600000), q / (es[k] + q), 1e-4);
    legation_run_free(r);
    legation_scenario_free(sc);
  }
}

/* Reduction 3: one mistaken expulsion between generous mirrors without
 * further noise: expected hostile moves, the first included, is 1/g. */
static void one_mistake(void) {
  const double gs[] = {0.25, 0.5};
  for (int k = 0; k < 2; k++) {
    legation_scenario *sc = quiet();
    char g[32];
    snprintf(g, sizeof g, "%g", gs[k]);
    set1(sc, "horizon", "120"); /* P(chain > 120) <= 0.75^119: negligible */
    set2(sc, "states.%c.doctrine", "mirror");
    set2(sc, "states.%c.forgiveness", g);
    opening_expulsion(sc, "b", 1);
    legation_run *r = run(sc, 2000, 0, 13);
    legation_stat c = stat(r, "longest_chain");
    legation_stat ma = stat(r, "moves_a"), mb = stat(r, "moves_b");
    CHECK_NEAR(c.mean, 1 / gs[k], Z * SE(c));
    CHECK_NEAR(ma.mean + mb.mean, c.mean, 1e-9); /* one chain: every move is in it */
    legation_run_free(r);
    legation_scenario_free(sc);
  }
}

/* Reduction 4: proportional answers shrink iff kA kB < 1 and the expected
 * total is e0 (1 + kB) / (1 - kA kB) while floors do not bind. */
static void proportional(void) {
  legation_scenario *sc = quiet();
  set1(sc, "horizon", "80"); /* the chain shrinks by 0.6 every two months */
  set2(sc, "states.%c.doctrine", "proportional");
  set1(sc, "states.a.retaliation_k", "0.5");
  set1(sc, "states.b.retaliation_k", "1.2");
  set2(sc, "missions.%c.cap", "1000");
  set2(sc, "missions.%c.staff", "1000");
  opening_expulsion(sc, "b", 10); /* A expels 10 of B's staff */
  legation_run *r = run(sc, 2000, 0, 14);
  legation_stat tot = stat(r, "total_expelled");
  CHECK_NEAR(tot.mean, 10 * (1 + 1.2) / (1 - 0.5 * 1.2), Z * SE(tot));
  legation_run_free(r);
  /* kA kB > 1: each round is larger than the last until floors bind */
  set1(sc, "states.a.retaliation_k", "1.5");
  set1(sc, "states.b.retaliation_k", "1.5");
  set1(sc, "horizon", "12");
  set2(sc, "missions.%c.cap", "3000"); /* 10 * 1.5^11 = 865 < 3000: floors never bind */
  set2(sc, "missions.%c.staff", "3000");
  r = run(sc, 400, 0, 15);
  legation_stat m1 = sstat(r, "expelled_by_a", 1), m11 = sstat(r, "expelled_by_a", 11);
  legation_stat m2 = sstat(r, "expelled_by_b", 2), m12 = sstat(r, "expelled_by_b", 12);
  CHECK_NEAR(m11.mean, 10 * pow(1.5, 10), Z * SE(m11) + 1e-9);
  CHECK_NEAR(m12.mean, 10 * pow(1.5, 11), Z * SE(m12) + 1e-9);
  CHECK(m11.mean > m1.mean && m12.mean > m2.mean);
  legation_run_free(r);
  legation_scenario_free(sc);
}

/* Reduction 5: parity doctrine equalises the missions after one exchange. */
static void parity(void) {
  legation_scenario *sc = quiet();
  set1(sc, "horizon", "24");
  set1(sc, "states.a.doctrine", "absorb");
  set1(sc, "states.b.doctrine", "parity");
  set1(sc, "states.a.cut_cap", "true");
  set1(sc, "missions.a.cap", "300");
  set1(sc, "missions.a.staff", "300");
  set1(sc, "missions.b.cap", "200");
  set1(sc, "missions.b.staff", "200");
  opening_expulsion(sc, "b", 20);
  legation_run *r = run(sc, 50, 0, 16);
  for (int m = 2; m <= 24; m += 11) {
    legation_stat a = sstat(r, "staff_a", m), b = sstat(r, "staff_b", m);
    CHECK_NEAR(a.min, b.min, 0);
    CHECK_NEAR(a.max, b.max, 0);
    CHECK_NEAR(a.mean, 180, 0);
  }
  legation_stat ca = stat(r, "final_cap_a"), cb = stat(r, "final_cap_b");
  CHECK_NEAR(ca.mean, cb.mean, 0);
  legation_run_free(r);
  legation_scenario_free(sc);
}

/* Reduction 6: with capacity K spread evenly and deterrence d, expected
 * recruitment per month is r (n - d min(n, K/a)): its slope jumps from
 * r(1-d) to r at n = K/a officers. */
static void ci_saturation(void) {
  const int ns[] = {4, 8, 12, 16, 20};
  double got[5], se[5];
  for (int k = 0; k < 5; k++) {
    legation_scenario *sc = quiet();
    char n[16];
    snprintf(n, sizeof n, "%d", ns[k]);
    set1(sc, "horizon", "12");
    set1(sc, "intel.recruit_rate", "0.1");
    set2(sc, "states.%c.openness", "1");
    set2(sc, "states.%c.pool", "10000000");
    set2(sc, "states.%c.ci_agents", "100"); /* 10 targets at 10 agents each */
    set2(sc, "states.%c.suspicion_bias", "0");
    set2(sc, "states.%c.deterrence", "0.9");
    set2(sc, "missions.%c.staff", n);
    set2(sc, "missions.%c.officers", n);
    set2(sc, "missions.%c.cap", n);
    legation_run *r = run(sc, 2000, 0, 17);
    legation_stat s = stat(r, "sources_recruited_a");
    got[k] = s.mean;
    se[k] = SE(s);
    double expect = 12 * 0.1 * (ns[k] - 0.9 * (ns[k] < 10 ? ns[k] : 10));
    CHECK_NEAR(s.mean, expect, Z * se[k] + 0.01 * expect); /* 1% for pool depletion */
    legation_run_free(r);
    legation_scenario_free(sc);
  }
  double below = (got[1] - got[0]) / 4, above = (got[4] - got[3]) / 4;
  CHECK(above > 5 * below); /* the marginal officer is worth 10x more past K/a */
}

/* Reduction 7: without CI, expulsions and negotiation, expected active
 * sources follow S(t) = n r b (b^t - a^t) / (b - a), a = 1 - n r / N,
 * b = 1 - h (derivation in docs/MODEL.md). */
static void sources_closed_form(void) {
  legation_scenario *sc = quiet();
  set1(sc, "horizon", "36");
  set1(sc, "intel.recruit_rate", "0.1");
  set1(sc, "intel.recontact_rate", "0");
  set2(sc, "states.%c.openness", "1");
  set2(sc, "states.%c.pool", "200");
  set2(sc, "states.%c.source_hazard", "0.05");
  set2(sc, "states.%c.exposure", "0");
  set2(sc, "missions.%c.staff", "20");
  set2(sc, "missions.%c.officers", "20");
  set2(sc, "missions.%c.cap", "20");
  legation_run *r = run(sc, 4000, 0, 18);
  const double n = 20, rr = 0.1, N = 200, a = 1 - n * rr / N, b = 0.95;
  const int months[] = {1, 6, 12, 24, 36};
  for (int k = 0; k < 5; k++) {
    int t = months[k];
    double expect = n * rr * b * (pow(b, t) - pow(a, t)) / (b - a);
    legation_stat s = sstat(r, "sources_a", t), sb = sstat(r, "sources_b", t);
    CHECK_NEAR(s.mean, expect, Z * SE(s));
    CHECK_NEAR(sb.mean, expect, Z * SE(sb));
  }
  legation_run_free(r);
  legation_scenario_free(sc);
}

/* A lively asymmetric scenario exercising every mechanism. */
static legation_scenario *lively(void) {
  legation_scenario *sc = legation_scenario_new();
  set1(sc, "states.a.name", "Alpha");
  set1(sc, "states.b.name", "Beta");
  set1(sc, "states.a.openness", "0.8");
  set1(sc, "states.b.openness", "0.3");
  set1(sc, "states.b.ci_agents", "1500");
  set1(sc, "states.a.expel_policy", "shock");
  set1(sc, "states.b.expel_policy", "immediate");
  set1(sc, "states.b.doctrine", "proportional");
  set1(sc, "states.b.retaliation_k", "1.3");
  set1(sc, "missions.a.walkins", "0.5");
  overlay(sc, "deal:\n  - {month: 6, action: readmit, target: both, value: 50}\n"
              "  - {month: 12, action: ci, target: b, value: 900}\n");
  return sc;
}

static int same_stats(legation_run *x, legation_run *y, int verbose) {
  int same = 1;
  for (int i = 0; i < legation_output_count(); i++) {
    legation_stat a, b;
    legation_run_stat(x, i, &a);
    legation_run_stat(y, i, &b);
    if (memcmp(&a, &b, sizeof a) != 0) {
      if (verbose) fprintf(stderr, "  output %s differs: %.17g vs %.17g\n", legation_output_get(i)->name, a.mean, b.mean);
      same = 0;
    }
  }
  for (int s = 0; s < legation_series_count(); s++)
    for (int m = 1; m <= legation_run_months(x); m++) {
      legation_stat a, b;
      legation_run_series_stat(x, s, m, &a);
      legation_run_series_stat(y, s, m, &b);
      if (memcmp(&a, &b, sizeof a) != 0) same = 0;
    }
  return same;
}

/* Same seed, same bytes, for 1, 2 and 3 threads. */
static void determinism(void) {
  legation_scenario *sc = lively();
  legation_run *r1 = run(sc, 300, 1, 99), *r2 = run(sc, 300, 2, 99), *r3 = run(sc, 300, 3, 99);
  CHECK(same_stats(r1, r2, 1));
  CHECK(same_stats(r1, r3, 1));
  legation_run *r4 = run(sc, 300, 2, 100);
  CHECK(!same_stats(r1, r4, 0)); /* and the seed matters */
  legation_stat v = stat(r1, "value_a");
  CHECK(v.mean > 0);
  legation_run_free(r1);
  legation_run_free(r2);
  legation_run_free(r3);
  legation_run_free(r4);
  legation_scenario_free(sc);
}

/* Reduction 8a: swapping A and B mirrors every output, replication by
 * replication. */
static void swap_mirror(void) {
  legation_scenario *sc = lively();
  /* with the mechanisms of issue 9 on, unequally on the two sides */
  set1(sc, "states.a.shock_suspected", "0.5");
  set1(sc, "states.b.answer_ban_local", "0.5");
  set1(sc, "states.b.answer_close_post", "0.3");
  set1(sc, "states.a.answer_property", "0.4");
  set1(sc, "states.a.answer_travel", "0.6");
  set1(sc, "states.b.answer_visa_freeze", "0.3");
  set1(sc, "missions.a.local_staff", "30");
  legation_scenario *sw = legation_scenario_clone(sc);
  legation_scenario_swap_sides(sw);
  legation_run *x = legation_run_new(sc), *y = legation_run_new(sw);
  legation_run_set_reps(x, 200);
  legation_run_set_reps(y, 200);
  legation_run_set_keep_reps(x, 1);
  legation_run_set_keep_reps(y, 1);
  CHECK_EQ_INT(legation_run_execute(x), LEGATION_OK);
  CHECK_EQ_INT(legation_run_execute(y), LEGATION_OK);
  int n = legation_output_count(), bad = 0;
  for (int i = 0; i < n; i++) {
    const char *name = legation_output_get(i)->name;
    char mirror[64];
    size_t len = strlen(name);
    snprintf(mirror, sizeof mirror, "%s", name);
    if (len > 2 && name[len - 2] == '_' && (name[len - 1] == 'a' || name[len - 1] == 'b'))
      mirror[len - 1] = name[len - 1] == 'a' ? 'b' : 'a';
    int j = legation_output_find(mirror);
    for (int64_t rep = 0; rep < 200; rep++) {
      double u, v;
      legation_run_rep_value(x, rep, i, &u);
      legation_run_rep_value(y, rep, j, &v);
      if (strcmp(name, "balance") == 0) v = -v;
      if (!(u == v || (isnan(u) && isnan(v)))) {
        if (bad++ < 5) fprintf(stderr, "  rep %lld %s: %.17g vs %s %.17g\n", (long long)rep, name, u, mirror, v);
      }
    }
  }
  CHECK_EQ_INT(bad, 0);
  legation_run_free(x);
  legation_run_free(y);
  legation_scenario_free(sc);
  legation_scenario_free(sw);
}

/* Reduction 8b: symmetric states give a balance interval containing 0. */
static void symmetric_balance(void) {
  legation_scenario *sc = legation_scenario_new();
  legation_run *r = run(sc, 2000, 0, 21);
  legation_stat b = stat(r, "balance");
  CHECK(b.lo <= 0 && b.hi >= 0);
  CHECK(b.sd > 0);
  legation_run_free(r);
  legation_scenario_free(sc);
}

/* Pattern 5: at equal reciprocal numbers, the side in the more open society
 * gains more. */
static void openness_asymmetry(void) {
  legation_scenario *sc = legation_scenario_new();
  set1(sc, "states.a.openness", "0.3"); /* A is closed: B's officers gain less */
  set1(sc, "states.b.openness", "0.9");
  legation_run *r = run(sc, 1000, 0, 22);
  legation_stat b = stat(r, "balance");
  CHECK(b.hi < 0 || b.lo > 0);
  CHECK(b.mean > 0); /* A operates in open B */
  legation_run_free(r);
  legation_scenario_free(sc);
}

/* Pattern 4: a cap alone does not bound collection: cutting the cap moves
 * value to uncapped channels.  Checked in a world of batch expulsions (the
 * table's defaults before issue 10 made them neutral), where officers are
 * lost anyway: under the neutral defaults nobody is expelled, sources
 * accumulate, and value falls faster than officers whatever the channels. */
static void uncapped_channels(void) {
  legation_scenario *sc = legation_scenario_new();
  set2(sc, "states.%c.uncapped_elasticity", "3");
  set2(sc, "states.%c.expel_policy", "batch");
  set2(sc, "states.%c.forgiveness", "0.1");
  set2(sc, "states.%c.cut_cap", "true");
  set1(sc, "relations.initial", "-0.5");
  set1(sc, "relations.baseline", "-0.3");
  legation_run *r0 = run(sc, 500, 0, 23);
  overlay(sc, "deal:\n  - {month: 1, action: cap, target: a, value: 100}\n");
  legation_run *r1 = run(sc, 500, 0, 23);
  legation_stat o0 = sstat(r0, "officers_a", 24), o1 = sstat(r1, "officers_a", 24);
  legation_stat v0 = stat(r0, "value_a"), v1 = stat(r1, "value_a");
  CHECK(o1.mean < 0.7 * o0.mean);                     /* the cap removed officers */
  CHECK(v1.mean > (o1.mean / o0.mean) * v0.mean);     /* value fell less than officers */
  legation_run_free(r0);
  legation_run_free(r1);
  legation_scenario_free(sc);
}

/* Turned officers' sources are burned when he is turned (MODEL.md step 6):
 * with every officer watched, identified and turned in month 1 after he has
 * recruited, no source survives and every recruited source is counted as
 * caught, in every replication (before the fix the turned officers kept
 * theirs in sources_final, outside the hazard and worth nothing). */
static void turned_sources_burned(void) {
  legation_scenario *sc = quiet();
  set2(sc, "missions.%c.officers", "20");
  set2(sc, "states.%c.ci_agents", "100000");
  set2(sc, "states.%c.detect_prob", "1");
  set2(sc, "states.%c.turn_prob", "1");
  set2(sc, "states.%c.deterrence", "0");
  set2(sc, "states.%c.openness", "1");
  set2(sc, "states.%c.pool", "1000000000");
  set1(sc, "intel.recruit_rate", "1");
  set1(sc, "horizon", "6");
  legation_run *r = legation_run_new(sc);
  legation_run_set_reps(r, 50);
  legation_run_set_seed(r, 5);
  legation_run_set_keep_reps(r, 1);
  CHECK_EQ_INT(legation_run_execute(r), LEGATION_OK);
  int fin = legation_output_find("sources_final_a"), rec = legation_output_find("sources_recruited_a"),
      cau = legation_output_find("sources_caught_a"), tur = legation_output_find("turned_by_b");
  for (int64_t k = 0; k < 50; k++) {
    double f, n, c, t;
    legation_run_rep_value(r, k, fin, &f);
    legation_run_rep_value(r, k, rec, &n);
    legation_run_rep_value(r, k, cau, &c);
    legation_run_rep_value(r, k, tur, &t);
    CHECK_EQ_INT(t, 20);
    CHECK_EQ_INT(n, 20); /* recruit_rate 1: each recruits once, then is turned */
    CHECK_EQ_INT(f, 0);
    CHECK_EQ_INT(c, n);
  }
  legation_run_free(r);
  legation_scenario_free(sc);
}

/* Value by channel (MODEL.md section 7): in every replication the six
 * channels of each side add up to its value exactly (in channel order, as
 * the model adds them), none is negative, and in a lively world every
 * channel carries value; switching a channel's mechanism off empties it
 * and only it. */
static const char *const channels[] = {"officer", "walkin", "recontact", "overt", "uncapped",
                                       "turned"};
static void channel_sums(legation_run *r, int64_t reps, double mean_out[2][6]) {
  memset(mean_out, 0, sizeof(double) * 12);
  for (int side = 0; side < 2; side++) {
    char name[48];
    snprintf(name, sizeof name, "value_%c", 'a' + side);
    int tot = legation_output_find(name);
    int idx[6];
    for (int c = 0; c < 6; c++) {
      snprintf(name, sizeof name, "value_%s_%c", channels[c], 'a' + side);
      idx[c] = legation_output_find(name);
      CHECK(idx[c] >= 0);
    }
    int bad = 0;
    for (int64_t k = 0; k < reps; k++) {
      double v, sum = 0, x;
      legation_run_rep_value(r, k, tot, &v);
      for (int c = 0; c < 6; c++) {
        legation_run_rep_value(r, k, idx[c], &x);
        sum += x;
        bad += x < 0;
        mean_out[side][c] += x / (double)reps;
      }
      bad += sum != v;
    }
    CHECK_EQ_INT(bad, 0);
  }
}

static void value_channels(void) {
  legation_scenario *sc = lively();
  set2(sc, "states.%c.turn_prob", "0.3");
  legation_run *r = legation_run_new(sc);
  legation_run_set_reps(r, 200);
  legation_run_set_seed(r, 9);
  legation_run_set_keep_reps(r, 1);
  CHECK_EQ_INT(legation_run_execute(r), LEGATION_OK);
  double m[2][6];
  channel_sums(r, 200, m);
  for (int c = 0; c < 6; c++) {
    if (!(m[0][c] > 0)) fprintf(stderr, "  channel %s of A empty\n", channels[c]);
    CHECK(m[0][c] > 0);
  }
  legation_run_free(r);
  /* walk-ins, re-contacts, uncapped channels and turning off: those empty */
  set2(sc, "missions.%c.walkins", "0");
  set1(sc, "intel.recontact_rate", "0");
  set2(sc, "states.%c.uncapped_value", "0");
  set2(sc, "states.%c.turn_prob", "0");
  r = legation_run_new(sc);
  legation_run_set_reps(r, 200);
  legation_run_set_seed(r, 9);
  legation_run_set_keep_reps(r, 1);
  CHECK_EQ_INT(legation_run_execute(r), LEGATION_OK);
  channel_sums(r, 200, m);
  for (int side = 0; side < 2; side++) {
    CHECK(m[side][0] > 0);
    CHECK(m[side][3] > 0);
    CHECK_EQ_INT(m[side][1], 0);
    CHECK_EQ_INT(m[side][2], 0);
    CHECK_EQ_INT(m[side][4], 0);
    CHECK_EQ_INT(m[side][5], 0);
  }
  legation_run_free(r);
  legation_scenario_free(sc);
}

/* Mass expulsion at a shock (MODEL.md step 7): a host that can watch x of a
 * mission of n > x diplomats (no officers, nobody identified) and has a
 * shock every month expels Binomial(watched, q) at the first: its mean is
 * q x exactly, since each of the n is watched with probability x / n.  A
 * floor f caps the suspected part at n - f. */
static void shock_mass_expulsion(void) {
  static const struct {
    const char *q, *floor;
    double expect;
  } cases[] = {{"1", "0", 20}, {"0.5", "0", 10}, {"1", "50", -1}, {"0", "0", 0}};
  /* with the floor: E[min(W, 10)], W ~ Binomial(60, 1/3) the watched count */
  double capped = 0, pmf = pow(2.0 / 3, 60);
  for (int w = 0; w <= 60; w++) {
    capped += pmf * (w < 10 ? w : 10);
    pmf *= (60.0 - w) / (w + 1) * 0.5;
  }
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    legation_scenario *sc = quiet();
    set1(sc, "horizon", "1");
    set1(sc, "states.a.expel_policy", "shock");
    set1(sc, "states.a.shock_rate", "1");
    set1(sc, "states.a.shock_suspected", cases[c].q);
    set1(sc, "states.a.ci_agents", "200"); /* x = 200 / 10 = 20 of 60 */
    set1(sc, "missions.b.floor", cases[c].floor);
    legation_run *r = run(sc, 4000, 0, 31);
    legation_stat e = stat(r, "diplomats_expelled_by_a");
    double want = cases[c].expect < 0 ? capped : cases[c].expect;
    if (want == 0) CHECK_EQ_INT(e.max, 0);
    else CHECK_NEAR(e.mean, want, Z * SE(e) + 1e-9);
    if (!strcmp(cases[c].floor, "50")) CHECK(e.max <= 10);
    legation_run_free(r);
    legation_scenario_free(sc);
  }
}

/* Identified staff at a shock (MODEL.md step 7, shock_identified = q): A
 * watches all 60 of B's staff, all officers, and identifies every one in
 * month 1 (detect_prob 1); its shock that month expels Binomial(60, q) of
 * them, so E = 60 q; at q = 1 exactly 60 (and no draw), at 0 none. */
static void shock_identified_share(void) {
  static const struct {
    const char *q;
    double expect;
  } cases[] = {{"1", 60}, {"0.25", 15}, {"0.6", 36}, {"0", 0}};
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    legation_scenario *sc = quiet();
    set1(sc, "horizon", "1");
    set1(sc, "states.a.expel_policy", "shock");
    set1(sc, "states.a.shock_rate", "1");
    set1(sc, "states.a.shock_identified", cases[c].q);
    set1(sc, "states.a.ci_agents", "600"); /* x = 600 / 10 = 60: every one watched */
    set1(sc, "states.a.detect_prob", "1");
    set1(sc, "missions.b.officers", "60");
    legation_run *r = run(sc, 4000, 0, 37);
    legation_stat e = stat(r, "officers_expelled_by_a");
    if (cases[c].expect == 0 || cases[c].expect == 60) {
      CHECK_NEAR(e.min, cases[c].expect, 0);
      CHECK_NEAR(e.max, cases[c].expect, 0);
    } else {
      CHECK_NEAR(e.mean, cases[c].expect, Z * SE(e));
      /* the binomial's spread: sd sqrt(60 q (1 - q)) */
      double q = atof(cases[c].q);
      CHECK_NEAR(e.sd, sqrt(60 * q * (1 - q)), 0.1 * sqrt(60 * q * (1 - q)));
    }
    legation_run_free(r);
    legation_scenario_free(sc);
  }
}

/* Answers in another currency (MODEL.md step 8): A expels 5 of B's staff at
 * month 1; B (mirror, never forgiving) answers at month 2, the horizon, and
 * with each option's probability also acts in that currency on A's mission
 * (which has local staff, two open posts and free travel).  The share of
 * replications with each act is that probability. */
typedef struct acts {
  int64_t n[5]; /* ban_local_staff, close_post, seize_property, travel_restriction, visa_freeze */
  int64_t other;
} acts;
static int count_acts(void *user, const legation_event *ev) {
  acts *a = user;
  static const char *const names[5] = {"ban_local_staff", "close_post", "seize_property",
                                       "travel_restriction", "visa_freeze"};
  for (int k = 0; k < 5; k++)
    if (!strcmp(ev->action, names[k])) {
      a->n[k]++;
      if (strcmp(ev->actor, "B") != 0 || strcmp(ev->reason, "retaliation") != 0 || ev->month != 2)
        a->other++;
    }
  return 0;
}
static void answers_other_currency(void) {
  static const char *const keys[5] = {"answer_ban_local", "answer_close_post", "answer_property",
                                      "answer_travel", "answer_visa_freeze"};
  static const double prob[5] = {0.3, 0.5, 0.2, 1, 0.4};
  legation_scenario *sc = quiet();
  set1(sc, "horizon", "2");
  set1(sc, "missions.a.local_staff", "40");
  overlay(sc, "missions:\n  a:\n    posts:\n      - {name: E, reach: 1, open: true}\n"
              "      - {name: C, reach: 2, open: true}\n");
  opening_expulsion(sc, "b", 5);
  for (int k = 0; k < 5; k++) {
    char v[16];
    snprintf(v, sizeof v, "%g", prob[k]);
    char key[64];
    snprintf(key, sizeof key, "states.b.%s", keys[k]);
    set1(sc, key, v);
  }
  const int reps = 4000;
  acts a = {{0}, 0};
  legation_run *r = legation_run_new(sc);
  legation_run_set_reps(r, reps);
  legation_run_set_seed(r, 17);
  legation_run_set_event_sink(r, count_acts, &a);
  CHECK_EQ_INT(legation_run_execute(r), LEGATION_OK);
  for (int k = 0; k < 5; k++) {
    double share = (double)a.n[k] / reps, se = sqrt(prob[k] * (1 - prob[k]) / reps);
    CHECK_NEAR(share, prob[k], Z * se + 1e-12);
  }
  CHECK_EQ_INT(a.other, 0);
  legation_run_free(r);
  /* with every option at 0 (the table default) there is no such act */
  for (int k = 0; k < 5; k++) {
    char key[64];
    snprintf(key, sizeof key, "states.b.%s", keys[k]);
    set1(sc, key, "0");
  }
  acts z = {{0}, 0};
  r = legation_run_new(sc);
  legation_run_set_reps(r, 500);
  legation_run_set_event_sink(r, count_acts, &z);
  CHECK_EQ_INT(legation_run_execute(r), LEGATION_OK);
  for (int k = 0; k < 5; k++) CHECK_EQ_INT(z.n[k], 0);
  legation_run_free(r);
  legation_scenario_free(sc);
}

/* Events arrive in replication order, then month order, with names. */
static int count_events(void *user, const legation_event *ev) {
  int64_t *st = user; /* [0] count, [1] last rep, [2] last month, [3] disorder */
  if (ev->rep < st[1] || (ev->rep == st[1] && ev->month < st[2])) st[3]++;
  st[0]++;
  st[1] = ev->rep;
  st[2] = ev->month;
  if (!ev->actor || !ev->target || !ev->action || !ev->reason) st[3]++;
  return 0;
}
static void events_order(void) {
  legation_scenario *sc = lively();
  int64_t st1[4] = {0, 0, 0, 0}, st2[4] = {0, 0, 0, 0};
  legation_run *r = legation_run_new(sc);
  legation_run_set_reps(r, 150);
  legation_run_set_threads(r, 2);
  legation_run_set_event_sink(r, count_events, st1);
  CHECK_EQ_INT(legation_run_execute(r), LEGATION_OK);
  legation_run_set_threads(r, 1);
  legation_run_set_event_sink(r, count_events, st2);
  CHECK_EQ_INT(legation_run_execute(r), LEGATION_OK);
  CHECK(st1[0] > 150);
  CHECK_EQ_INT(st1[0], st2[0]);
  CHECK_EQ_INT(st1[3], 0);
  legation_run_free(r);
  legation_scenario_free(sc);
}

/* A progress callback that asks to stop ends the run with EINTR and keeps
 * what finished. */
static int stop_early(void *user, int64_t done, int64_t total) {
  (void)user;
  (void)total;
  return done >= 128;
}
static void interrupt(void) {
  legation_scenario *sc = legation_scenario_new();
  legation_run *r = legation_run_new(sc);
  legation_run_set_reps(r, 10000);
  legation_run_set_threads(r, 2);
  legation_run_set_progress(r, stop_early, NULL);
  CHECK_EQ_INT(legation_run_execute(r), LEGATION_EINTR);
  CHECK(legation_run_reps_done(r) >= 128 && legation_run_reps_done(r) < 10000);
  legation_stat s;
  CHECK_EQ_INT(legation_run_stat(r, 0, &s), LEGATION_OK);
  CHECK_EQ_INT(s.n, legation_run_reps_done(r));
  legation_run_free(r);
  legation_scenario_free(sc);
}

static const check_case cases[] = {
    {"mirror_noise", mirror_noise},
    {"generous_mirror", generous_mirror},
    {"one_mistake", one_mistake},
    {"proportional", proportional},
    {"parity", parity},
    {"ci_saturation", ci_saturation},
    {"sources_closed_form", sources_closed_form},
    {"determinism", determinism},
    {"swap_mirror", swap_mirror},
    {"symmetric_balance", symmetric_balance},
    {"openness_asymmetry", openness_asymmetry},
    {"uncapped_channels", uncapped_channels},
    {"turned_sources_burned", turned_sources_burned},
    {"value_channels", value_channels},
    {"shock_mass_expulsion", shock_mass_expulsion},
    {"shock_identified_share", shock_identified_share},
    {"answers_other_currency", answers_other_currency},
    {"events_order", events_order},
    {"interrupt", interrupt},
    {NULL, NULL},
};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
