/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_scorecard.c - the analysis layer every front end shows (issue 13):
 * scorecard rows and labels, margins, a cell against the paired difference
 * it displays, the narrowing median, number formatting, the verdict
 * sentences for a table of comparisons (favours A, favours B, inside the
 * margin, unchanged, which uncertainty the intervals cover), and the
 * report's data against the statistics and sentences it carries.  Runs are
 * small (24 months, a few hundred replications, one thread, fixed seed);
 * every expectation is derived from the run's own statistics, so a wrong
 * formula or a flipped sign fails.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "legation.h"

/* A scenario: a built-in with overrides "key=value" (NULL-terminated). */
static legation_scenario *scenario(const char *builtin, const char *const *sets) {
  legation_scenario *sc = legation_scenario_new();
  CHECK(sc && legation_scenario_load_builtin(sc, builtin) == LEGATION_OK);
  CHECK(legation_scenario_set(sc, "horizon", "24") == LEGATION_OK);
  for (; sets && *sets; sets++) {
    char key[128];
    const char *eq = strchr(*sets, '=');
    snprintf(key, sizeof key, "%.*s", (int)(eq - *sets), *sets);
    CHECK(legation_scenario_set(sc, key, eq + 1) == LEGATION_OK);
  }
  CHECK(legation_scenario_validate(sc) == LEGATION_OK);
  return sc;
}

/* Base us-russia-2025 and one option, run with `reps`; vary: draw every
 * ranged parameter per world. */
static legation_run *compare(const char *option, const char *const *sets, int64_t reps,
                             int vary) {
  legation_scenario *b = scenario("us-russia-2025", NULL), *o = scenario(option, sets);
  legation_run *run = legation_run_new(b);
  CHECK(run != NULL);
  CHECK_EQ_INT(legation_run_add_variant(run, o), 1);
  CHECK(legation_run_set_reps(run, reps) == LEGATION_OK);
  CHECK(legation_run_set_seed(run, 7) == LEGATION_OK);
  CHECK(legation_run_set_threads(run, 1) == LEGATION_OK);
  if (vary) {
    CHECK(legation_run_vary(run, NULL, 0) == LEGATION_OK);
    CHECK(legation_run_set_reps_per_world(run, 5) == LEGATION_OK);
  }
  CHECK(legation_run_execute(run) == LEGATION_OK);
  legation_scenario_free(b);
  legation_scenario_free(o);
  return run;
}

static int starts_with(const char *s, const char *prefix) {
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* ------------------------------------------------------------- numbers */

static void t_decimals(void) {
  static const struct {
    double mean, lo, hi;
    int d;
  } cases[] = {
      {10, 9, 11, 0},        /* half-width 1 */
      {10, 9.8, 10.2, 1},    /* 0.2 */
      {10, 9.95, 10.05, 2},  /* 0.05: one significant digit */
      {1e6, 0, 2e6, 0},      /* never negative */
      {1, 1 - 1e-9, 1 + 1e-9, 4}, /* at most 4 */
      {250, NAN, NAN, 0},    /* undefined: by magnitude */
      {2.5, 2.5, 2.5, 2},
      {0.5, NAN, NAN, 3},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    CHECK_EQ_INT(legation_decimals_for(cases[i].mean, cases[i].lo, cases[i].hi), cases[i].d);
}

static void t_format(void) {
  static const struct {
    double x;
    int d, sign;
    const char *want;
  } cases[] = {
      {1.25, 1, 0, "1.2"},  {-0.04, 1, 1, "+0.0"}, {-0.04, 1, 0, "0.0"},
      {-3.5, 0, 1, "-4"},   {12, 2, 1, "+12.00"},  {NAN, 1, 1, "n/a"},
      {INFINITY, 0, 0, "n/a"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char buf[40];
    CHECK_EQ_STR(legation_format_fixed(buf, sizeof buf, cases[i].x, cases[i].d, cases[i].sign),
                 cases[i].want);
  }
}

/* ---------------------------------------------------------------- rows */

static void t_rows(void) {
  static const char *const want[] = {"value_a", "value_b", "balance", "spiral",
                                     "function_mean_a", "function_mean_b", "settled"};
  CHECK_EQ_INT(legation_scorecard_count(), 7);
  for (int r = 0; r < legation_scorecard_count(); r++) {
    CHECK_EQ_STR(legation_scorecard_output(r), want[r]);
    CHECK(legation_output_find(legation_scorecard_output(r)) >= 0);
  }
  CHECK(legation_scorecard_output(-1) == NULL);
  CHECK(legation_scorecard_output(7) == NULL);
  legation_scenario *sc = scenario("us-russia-2025", NULL), *none = legation_scenario_new();
  char buf[128];
  static const struct {
    int generic, row;
    const char *want;
  } labels[] = {
      {0, 0, "intelligence gained by USA"},
      {0, 2, "balance (USA minus Russia)"},
      {0, 5, "diplomatic function of Russia (mean)"},
      {1, 2, "balance (A minus B)"},
      {0, 3, "expulsion spiral (probability)"},
  };
  for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
    CHECK(legation_scorecard_label(labels[i].generic ? none : sc, labels[i].row, buf,
                                   sizeof buf) == LEGATION_OK);
    CHECK_EQ_STR(buf, labels[i].want);
  }
  CHECK(legation_scorecard_label(sc, 7, buf, sizeof buf) == LEGATION_EINVAL);
  CHECK_EQ_STR(buf, "");
  /* truncated, still terminated */
  CHECK(legation_scorecard_label(sc, 0, buf, 10) == LEGATION_OK);
  CHECK_EQ_STR(buf, "intellige");
  legation_scenario_free(sc);
  legation_scenario_free(none);
}

/* ------------------------------------------------- margins and cells */

static void t_margins(void) {
  legation_run *run = compare("us-russia-2025-readmit-150", NULL, 300, 0);
  int bal = legation_output_find("balance"), sp = legation_output_find("spiral"),
      va = legation_output_find("value_a");
  legation_stat a, b, s;
  CHECK(legation_run_variant_stat(run, 0, va, &a) == LEGATION_OK);
  CHECK(legation_run_variant_stat(run, 0, legation_output_find("value_b"), &b) == LEGATION_OK);
  CHECK_NEAR(legation_min_effect(run, bal, NULL, 0), 0.01 * fmax(fabs(a.mean), fabs(b.mean)),
             1e-12);
  CHECK_NEAR(legation_min_effect(run, sp, NULL, 0), 0.01, 0);
  CHECK(legation_run_variant_stat(run, 0, va, &s) == LEGATION_OK);
  CHECK_NEAR(legation_min_effect(run, va, NULL, 0), 0.01 * fabs(s.mean), 1e-12);
  static const char *const spec[] = {"balance=5", "spiral=0.2", "balance=7.5"};
  CHECK_NEAR(legation_min_effect(run, bal, spec, 3), 7.5, 0); /* the last one wins */
  CHECK_NEAR(legation_min_effect(run, sp, spec, 3), 0.2, 0);
  CHECK_NEAR(legation_min_effect(run, va, spec, 3), 0.01 * fabs(s.mean), 1e-12);
  CHECK_NEAR(legation_min_effect(run, -1, NULL, 0), 0, 0);
  legation_run_free(run);
}

/* Every cell of the scorecard against the paired difference it shows. */
static void t_cells(void) {
  legation_run *run = compare("us-russia-2025-readmit-150", NULL, 300, 0);
  for (int r = 0; r < legation_scorecard_count(); r++) {
    int i = legation_output_find(legation_scorecard_output(r));
    legation_diff d;
    legation_score s;
    CHECK(legation_run_diff(run, 1, i, &d) == LEGATION_OK);
    CHECK(legation_score_get(run, 1, i, NULL, 0, &s) == LEGATION_OK);
    int prob = legation_output_get(i)->kind == LEGATION_OUT_PROB;
    double k = prob ? 100 : 1, mg = legation_min_effect(run, i, NULL, 0) * k;
    CHECK_EQ_INT(s.prob, prob);
    CHECK_NEAR(s.value, d.paired.mean * k, 1e-9 * fabs(d.paired.mean * k) + 1e-12);
    CHECK_NEAR(s.value_lo, d.paired.lo * k, 1e-9 * fabs(d.paired.lo * k) + 1e-12);
    CHECK_NEAR(s.value_hi, d.paired.hi * k, 1e-9 * fabs(d.paired.hi * k) + 1e-12);
    CHECK_NEAR(s.value_margin, mg, 1e-12);
    int dec = prob ? 1 : legation_decimals_for(s.value, s.value_lo, s.value_hi);
    CHECK_EQ_INT(s.decimals, dec);
    char m[40];
    snprintf(m, sizeof m, "%+.*f", dec, s.value);
    if (fabs(s.value) < 0.5 * pow(10, -dec)) snprintf(m, sizeof m, "%+.*f", dec, 0.0);
    CHECK_EQ_STR(s.mean, m);
    CHECK_EQ_INT(s.clear, s.value_lo > 0 || s.value_hi < 0);
    CHECK_EQ_INT(s.counts, s.value_lo > mg || s.value_hi < -mg);
    CHECK_EQ_INT(s.equiv, s.value_lo >= -mg && s.value_hi <= mg);
    CHECK_EQ_INT(s.up, s.value > 0);
    CHECK_EQ_INT(s.none, d.paired.mean == 0 && d.paired.sd == 0);
    CHECK_EQ_INT(s.worlds, 0);
    CHECK_EQ_STR(s.q05, "n/a");
  }
  legation_score s;
  CHECK(legation_score_get(run, 0, 0, NULL, 0, &s) == LEGATION_EINVAL); /* the base */
  CHECK(legation_score_get(run, 2, 0, NULL, 0, &s) == LEGATION_EINVAL);
  CHECK(legation_score_get(run, 1, -1, NULL, 0, &s) == LEGATION_EINVAL);
  legation_run_free(run);
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void t_narrowing(void) {
  legation_run *run = compare("us-russia-2025-readmit-50", NULL, 200, 0);
  double v[256];
  int k = 0, cnt = -1;
  for (int i = 0; i < legation_output_count() && k < 256; i++) {
    legation_diff d;
    if (legation_run_diff(run, 1, i, &d) == LEGATION_OK && isfinite(d.narrowing) &&
        d.narrowing > 0)
      v[k++] = d.narrowing;
  }
  qsort(v, (size_t)k, sizeof v[0], cmp);
  double med = legation_run_narrowing(run, &cnt);
  CHECK_EQ_INT(cnt, k);
  CHECK(k > 0);
  CHECK_NEAR(med, k % 2 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2, 0);
  CHECK_NEAR(legation_run_narrowing(run, NULL), med, 0);
  legation_run_free(run);
}

/* ------------------------------------------------------------ verdicts */

/* A table of comparisons and what their verdict must say.  The expected
 * side and class are also checked against the balance's own cell, so the
 * table cannot pass with the sentence and the numbers disagreeing. */
typedef enum { FAV_A, FAV_B, INSIDE, SAME } vclass;
static const struct vcase {
  const char *name;
  const char *option;
  const char *sets[3];
  const char *margins[2];
  int vary;
  vclass want;
  const char *prefix; /* the verdict starts with this */
} vcases[] = {
    /* Russia gains more staff to recruit with: it favours Russia */
    {"favours B", "us-russia-2025-readmit-150", {NULL}, {NULL}, 0, FAV_B,
     "readmit-150 favours Russia: it "},
    /* the FBI watches far more: Russia's gain falls, the balance rises */
    {"favours A", "us-russia-2025", {"states.a.ci_agents=5000", NULL}, {NULL}, 0, FAV_A,
     "us-russia-2025 favours the USA: it "},
    /* the same option against a margin wider than any change */
    {"inside the margin", "us-russia-2025-readmit-150", {NULL}, {"balance=1e9", NULL}, 0, INSIDE,
     "readmit-150 favours neither side meaningfully (the balance moves by "},
    /* the base against itself */
    {"unchanged", "us-russia-2025", {NULL}, {NULL}, 0, SAME,
     "us-russia-2025 leaves both sides' gains, the spiral probability and the chance of a "
     "settlement exactly as in the base, in every replication."},
    /* parameters drawn per world: the intervals cover them */
    {"worlds", "us-russia-2025-readmit-150", {NULL}, {NULL}, 1, FAV_B,
     "readmit-150 favours Russia: it "},
};

static void t_verdicts(void) {
  for (size_t c = 0; c < sizeof vcases / sizeof vcases[0]; c++) {
    const struct vcase *k = &vcases[c];
    fprintf(stderr, "  case %s\n", k->name);
    int nm = 0;
    while (nm < 2 && k->margins[nm]) nm++;
    legation_run *run = compare(k->option, k->sets, 400, k->vary);
    char v[3072];
    CHECK(legation_compare_verdict(run, 1, k->margins, nm, v, sizeof v) == LEGATION_OK);
    if (!starts_with(v, k->prefix)) {
      fprintf(stderr, "    verdict: %s\n    expected prefix: %s\n", v, k->prefix);
      check_failed_++;
    }
    legation_score bal;
    CHECK(legation_score_get(run, 1, legation_output_find("balance"), k->margins, nm, &bal) ==
          LEGATION_OK);
    switch (k->want) {
    case FAV_A: CHECK(bal.counts && bal.up); break;
    case FAV_B: CHECK(bal.counts && !bal.up); break;
    case INSIDE:
      CHECK(bal.equiv && !bal.counts);
      /* the sentence quotes the cell's numbers and margin */
      char want[256];
      snprintf(want, sizeof want, "moves by %s, 95%% CI %s to %s, inside +/-%s)", bal.mean,
               bal.lo, bal.hi, bal.margin);
      CHECK(strstr(v, want) != NULL);
      break;
    case SAME: CHECK(bal.none); break;
    }
    /* which uncertainty the intervals cover */
    if (k->want == SAME) {
      CHECK(strstr(v, "Intervals cover") == NULL);
    } else if (k->vary) {
      char want[160];
      int n = legation_run_vary_count(run);
      CHECK(n > 1);
      snprintf(want, sizeof want,
               " Intervals cover the plausible ranges of %d drawn parameters and Monte Carlo "
               "noise.", n);
      CHECK(strstr(v, want) != NULL);
      CHECK(strstr(v, "plausible worlds (95% CI ") != NULL);
      CHECK(bal.worlds);
    } else {
      CHECK(strstr(v, " Intervals cover Monte Carlo noise only, with every parameter at its "
                      "value; --uncertain adds what is not known.") != NULL);
    }
    CHECK(legation_compare_verdict(run, 0, NULL, 0, v, sizeof v) == LEGATION_EINVAL);
    CHECK_EQ_STR(v, "");
    /* a short buffer: truncated and terminated */
    char small[16];
    legation_compare_verdict(run, 1, k->margins, nm, small, sizeof small);
    CHECK_EQ_INT((long long)strlen(small), 15);
    legation_run_free(run);
  }
}

/* The verdict on one scenario's balance, against its own statistics. */
static void t_run_verdict(void) {
  static const struct {
    const char *builtin;
    const char *set; /* NULL: none */
    int reps;
  } cases[] = {
      {"us-russia-2025-readmit-150", NULL, 400},
      {"us-russia-2025", "states.a.ci_agents=5000", 400},
      {"us-russia-2025", NULL, 1}, /* a single replication */
  };
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    const char *sets[] = {cases[c].set, NULL};
    legation_scenario *sc = scenario(cases[c].builtin, sets);
    legation_run *run = legation_run_new(sc);
    legation_run_set_reps(run, cases[c].reps);
    legation_run_set_seed(run, 7);
    legation_run_set_threads(run, 1);
    CHECK(legation_run_execute(run) == LEGATION_OK);
    legation_stat st, a, b;
    legation_run_stat(run, legation_output_find("balance"), &st);
    legation_run_stat(run, legation_output_find("value_a"), &a);
    legation_run_stat(run, legation_output_find("value_b"), &b);
    double mg = 0.01 * fmax(fabs(a.mean), fabs(b.mean));
    char v[2048];
    legation_run_verdict(run, v, sizeof v);
    if (cases[c].reps < 2)
      CHECK(starts_with(v, "The balance (the USA minus Russia) is ") &&
            strstr(v, "from a single replication") != NULL);
    else if (st.lo > mg)
      CHECK(starts_with(v, "The USA gains more intelligence than Russia under this scenario"));
    else if (st.hi < -mg)
      CHECK(starts_with(v, "Russia gains more intelligence than the USA under this scenario"));
    else
      CHECK(starts_with(v, "Neither the USA nor Russia"));
    if (cases[c].reps >= 2)
      CHECK(strstr(v, "The interval covers Monte Carlo noise only") != NULL);
    legation_run_free(run);
    legation_scenario_free(sc);
  }
}

/* ---------------------------------------------------------- report data */

static json_t *parse(legation_status st, char *text) {
  CHECK_EQ_INT(st, LEGATION_OK);
  json_t *o = text ? json_loads(text, 0, NULL) : NULL;
  CHECK(o != NULL);
  legation_free(text);
  return o;
}

/* A comparison's report data carries the run's own numbers and sentences;
 * histograms from kept replications count every one. */
static void report(void) {
  legation_scenario *b = scenario("us-russia-2025", NULL),
                    *o = scenario("us-russia-2025-readmit-50", NULL);
  legation_run *run = legation_run_new(b);
  legation_run_add_variant(run, o);
  legation_run_set_reps(run, 300);
  legation_run_set_seed(run, 3);
  legation_run_set_threads(run, 1);
  legation_repvals *rv = legation_repvals_new(2, 0, 300);
  CHECK(rv != NULL);
  legation_run_set_rep_sink(run, legation_repvals_sink, rv);
  CHECK_EQ_INT(legation_run_execute(run), LEGATION_OK);
  legation_report_part parts[2] = {{run, 0, "base"}, {run, 1, NULL}};
  static const struct {
    int with_rv;
    const char *from;
  } cases[] = {{1, "replications"}, {0, "quantiles"}};
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    legation_report_spec spec = {.kind = LEGATION_REPORT_COMPARE, .parts = parts, .nparts = 2,
                                 .reps_asked = 300, .threads_asked = 1,
                                 .status = LEGATION_OK, .rv = cases[c].with_rv ? rv : NULL};
    char *text = NULL;
    legation_status st = legation_report_data(&spec, &text);
    json_t *d = parse(st, text);
    CHECK_EQ_STR(json_string_value(json_object_get(d, "kind")), "compare");
    CHECK_EQ_INT(json_integer_value(json_object_get(d, "reps")), 300);
    json_t *vars = json_object_get(d, "variants");
    CHECK_EQ_INT((long long)json_array_size(vars), 2);
    CHECK_EQ_STR(json_string_value(json_object_get(json_array_get(vars, 0), "operand")), "base");
    char v[3072];
    legation_compare_verdict(run, 1, NULL, 0, v, sizeof v);
    CHECK_EQ_STR(json_string_value(json_object_get(json_array_get(vars, 1), "verdict")), v);
    /* statistics exactly as the run holds them */
    legation_stat bal;
    legation_run_variant_stat(run, 1, legation_output_find("balance"), &bal);
    json_t *jb = json_object_get(json_object_get(json_array_get(vars, 1), "stats"), "balance");
    CHECK(json_real_value(json_object_get(jb, "mean")) == bal.mean);
    CHECK_NEAR(json_real_value(json_object_get(json_object_get(d, "narrowing"), "median")),
               legation_run_narrowing(run, NULL), 0);
    /* the histograms: every replication of every part counted */
    json_t *h = json_array_get(json_object_get(d, "hist"), 0);
    CHECK_EQ_STR(json_string_value(json_object_get(h, "output")), "balance");
    CHECK_EQ_STR(json_string_value(json_object_get(h, "from")), cases[c].from);
    for (size_t p = 0; p < 2; p++) {
      json_t *row = json_array_get(json_object_get(h, "counts"), p);
      double sum = 0;
      for (size_t k = 0; k < json_array_size(row); k++)
        sum += json_real_value(json_array_get(row, k));
      CHECK_NEAR(sum, 300, 1e-6);
    }
    json_decref(d);
  }
  /* the per-variant documents of `compare --json` */
  char *text = NULL;
  legation_status st = legation_run_stats_json(run, 1, &text);
  json_t *sj = parse(st, text);
  legation_stat va;
  legation_run_variant_stat(run, 1, legation_output_find("value_a"), &va);
  CHECK(json_real_value(json_object_get(json_object_get(sj, "value_a"), "q95")) == va.q95);
  json_decref(sj);
  st = legation_run_diffs_json(run, 1, &text);
  json_t *dj = parse(st, text);
  legation_diff df;
  legation_run_diff(run, 1, legation_output_find("spiral"), &df);
  CHECK(json_real_value(json_object_get(json_object_get(dj, "spiral"), "hi")) == df.paired.hi);
  json_decref(dj);
  CHECK_EQ_INT(legation_run_diffs_json(run, 0, &text), LEGATION_EINVAL); /* the base */
  CHECK(text == NULL);
  legation_report_spec empty = {0};
  CHECK_EQ_INT(legation_report_data(&empty, &text), LEGATION_EINVAL);
  legation_repvals_free(rv);
  legation_run_free(run);
  legation_scenario_free(b);
  legation_scenario_free(o);
}

/* Kept replications: from a run that kept them, not from one that did
 * not; too many to keep is refused. */
static void repvals(void) {
  CHECK(legation_repvals_new(1, 0, 3000000) == NULL); /* 6e6 values */
  CHECK(legation_repvals_new(0, 0, 10) == NULL);
  legation_repvals_free(NULL);
  for (int keep = 0; keep < 2; keep++) {
    legation_scenario *sc = scenario("us-russia-2025", NULL);
    legation_run *run = legation_run_new(sc);
    legation_run_set_reps(run, 50);
    legation_run_set_threads(run, 1);
    legation_run_set_keep_reps(run, keep);
    CHECK_EQ_INT(legation_run_execute(run), LEGATION_OK);
    legation_repvals *rv = legation_repvals_new(1, 0, 50);
    CHECK_EQ_INT(legation_repvals_from_run(rv, run), keep ? LEGATION_OK : LEGATION_ENOTFOUND);
    legation_repvals_free(rv);
    legation_run_free(run);
    legation_scenario_free(sc);
  }
}

int main(int argc, char **argv) {
  static const check_case cases[] = {
      {"decimals", t_decimals},   {"format", t_format},       {"rows", t_rows},
      {"margins", t_margins},     {"cells", t_cells},         {"narrowing", t_narrowing},
      {"verdicts", t_verdicts},   {"run_verdict", t_run_verdict},
      {"report", report},         {"repvals", repvals},
      {NULL, NULL},
  };
  return check_main(cases, argc, argv);
}
