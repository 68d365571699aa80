/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_replays.c - historical replays: does the recorded episode lie inside
 * the model's central 90%?  Each case runs a built-in replay scenario
 * (scenarios/replay-*.yaml and the other pairs) for REPS replications with a
 * fixed seed, computes per-replication episode statistics through the public
 * API (legation_run_set_keep_reps + legation_run_rep_value for the outputs,
 * an event sink for the month of the last expulsion), takes their empirical
 * 5% and 95% quantiles (the ceil(q n)-th smallest value) and checks that the
 * value from data/events.csv lies in [q05, q95].
 *
 * A feature marked KNOWN_MISS is one the model cannot reproduce; the reason
 * is in docs/MODEL.md, "Historical replays and calibration notes".  For
 * those the check is reversed (the record must lie OUTSIDE the interval), so
 * a model change that fixes one fails here as a reminder to update the notes
 * and the table.  Run one case alone with `test_replays replay_1986`; add
 * `-v` (`test_replays replay_1986 -v`) to print every feature's quantiles.
 *
 * The case doc_tables regenerates the two results tables of docs/MODEL.md
 * section 11 from the same runs (the replays above, and us-russia-2025
 * against `legation history --stats`) and fails when the committed tables
 * differ; `test_replays doc_tables --print` prints them for pasting (the
 * command is in MODEL.md).  The check "stopped" (no expulsion at the end)
 * was dropped: with the record at 1 and the model's q05..q95 spanning 0..1
 * it could not fail.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "legation.h"

#define REPS 2000
#ifndef SEED
#define SEED 1986 /* fixed: the quantiles are reproducible */
#endif

/* Per-replication statistics of an episode. */
enum {
  F_EXPELLED_A, /* persons A expelled (scripted + answers + host decisions) */
  F_EXPELLED_B, /* persons B expelled */
  F_MOVES_A,    /* months in which A expelled anyone */
  F_MOVES_B,    /* months in which B expelled anyone */
  F_CHAIN,      /* moves in the longest retaliation chain */
  F_CAP_A,      /* cap on A's mission at the horizon */
  F_CAP_B,      /* cap on B's mission at the horizon */
  F_OTHER,      /* answers in another currency: closures, local-staff bans and
                   travel rules not scripted (the doctrines make none) */
  F_COUNT
};
static const char *const feature_names[F_COUNT] = {
    "expelled_by_a", "expelled_by_b", "moves_a", "moves_b",
    "longest_chain", "final_cap_a",   "final_cap_b", "other_answers"};

enum { CHECK_INSIDE = 0, KNOWN_MISS = 1 };

typedef struct feature {
  int kind;        /* F_* */
  double recorded; /* the value the record gives */
  int expect;      /* CHECK_INSIDE or KNOWN_MISS */
  const char *why; /* the record rows it comes from */
} feature;

typedef struct replay {
  const char *scenario; /* built-in name */
  int quiet;            /* months at the end of the horizon that must be quiet for "stopped" */
  feature f[F_COUNT + 1];
} replay;

static int verbose;

/* The replay results table (MODEL.md section 11), filled as replays run. */
static char doc_rows[16384];
static size_t doc_len;
static void doc_add(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int k = vsnprintf(doc_rows + doc_len, sizeof doc_rows - doc_len, fmt, ap);
  va_end(ap);
  if (k > 0 && (size_t)k < sizeof doc_rows - doc_len) doc_len += (size_t)k;
}

/* Event sink: per replication, the last month with an expulsion and the
 * number of closures, local-staff bans and travel rules not scripted. */
typedef struct sink {
  int64_t reps;
  int *last;
  int *other;
} sink;

static int on_event(void *user, const legation_event *ev) {
  sink *s = user;
  if (ev->rep < 0 || ev->rep >= s->reps) return 0;
  if (ev->persons > 0 && strcmp(ev->action, "expel") == 0 && ev->month > s->last[ev->rep])
    s->last[ev->rep] = ev->month;
  if ((strcmp(ev->action, "close_post") == 0 || strcmp(ev->action, "ban_local_staff") == 0 ||
       strcmp(ev->action, "travel_restriction") == 0 || strcmp(ev->action, "visa_freeze") == 0 ||
       strcmp(ev->action, "seize_property") == 0) &&
      strcmp(ev->reason, "scheduled") != 0)
    s->other[ev->rep]++;
  return 0;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The ceil(q n)-th smallest of v[0..n) (v sorted). */
static double quantile(const double *v, int64_t n, double q) {
  int64_t k = (int64_t)ceil(q * (double)n - 1e-9);
  if (k < 1) k = 1;
  if (k > n) k = n;
  return v[k - 1];
}

static double rep_out(const legation_run *r, int64_t rep, const char *name) {
  double x = NAN;
  int i = legation_output_find(name);
  if (i < 0 || legation_run_rep_value(r, rep, i, &x) != LEGATION_OK) return NAN;
  return x;
}

/* Run one replay and check its features.  With set_key, the parameter is
 * overridden first (a deliberately wrong model): then nothing is checked or
 * tabled, and *outside counts the CHECK_INSIDE features that fall outside. */
static void run_replay_ex(const replay *rp, const char *set_key, const char *set_value,
                          int *outside);
static void run_replay(const replay *rp) { run_replay_ex(rp, NULL, NULL, NULL); }

static void run_replay_ex(const replay *rp, const char *set_key, const char *set_value,
                          int *outside) {
  legation_scenario *sc = legation_scenario_new();
  CHECK(sc != NULL);
  if (!sc) return;
  legation_status st = legation_scenario_load_builtin(sc, rp->scenario);
  if (st != LEGATION_OK) {
    fprintf(stderr, "  %s: %s\n", rp->scenario, legation_scenario_errmsg(sc));
    CHECK_EQ_INT(st, LEGATION_OK);
    legation_scenario_free(sc);
    return;
  }
  if (set_key) CHECK_EQ_INT(legation_scenario_set(sc, set_key, set_value), LEGATION_OK);
  CHECK_EQ_INT(legation_scenario_validate(sc), LEGATION_OK);
  legation_run *r = legation_run_new(sc);
  sink sk = {REPS, calloc(REPS, sizeof(int)), calloc(REPS, sizeof(int))};
  double *v = malloc((size_t)REPS * F_COUNT * sizeof *v);
  CHECK(r && sk.last && sk.other && v);
  if (!r || !sk.last || !sk.other || !v) goto done;
  legation_run_set_reps(r, REPS);
  legation_run_set_seed(r, SEED);
  legation_run_set_threads(r, 0);
  legation_run_set_keep_reps(r, 1);
  legation_run_set_event_sink(r, on_event, &sk);
  st = legation_run_execute(r);
  if (st != LEGATION_OK) fprintf(stderr, "  run: %s\n", legation_run_errmsg(r));
  CHECK_EQ_INT(st, LEGATION_OK);
  if (st != LEGATION_OK) goto done;
  int T = legation_run_months(r);
  for (int64_t i = 0; i < REPS; i++) {
    double *x = &v[F_COUNT * i];
    x[F_EXPELLED_A] = rep_out(r, i, "officers_expelled_by_a") + rep_out(r, i, "diplomats_expelled_by_a");
    x[F_EXPELLED_B] = rep_out(r, i, "officers_expelled_by_b") + rep_out(r, i, "diplomats_expelled_by_b");
    x[F_MOVES_A] = rep_out(r, i, "moves_a");
    x[F_MOVES_B] = rep_out(r, i, "moves_b");
    x[F_CHAIN] = rep_out(r, i, "longest_chain");
    x[F_CAP_A] = rep_out(r, i, "final_cap_a");
    x[F_CAP_B] = rep_out(r, i, "final_cap_b");
    (void)T;
    x[F_OTHER] = sk.other[i];
  }
  double *col = malloc(REPS * sizeof *col);
  CHECK(col != NULL);
  if (!col) goto done;
  for (const feature *f = rp->f; f->why; f++) {
    for (int64_t i = 0; i < REPS; i++) col[i] = v[F_COUNT * i + f->kind];
    qsort(col, REPS, sizeof *col, cmp_double);
    double q05 = quantile(col, REPS, 0.05), q50 = quantile(col, REPS, 0.5),
           q95 = quantile(col, REPS, 0.95);
    int inside = f->recorded >= q05 && f->recorded <= q95;
    if (set_key) {
      if (f->expect == CHECK_INSIDE && !inside) {
        (*outside)++;
        if (verbose)
          fprintf(stderr, "  %s with %s=%s: %s recorded %g outside [%g, %g]\n", rp->scenario,
                  set_key, set_value, feature_names[f->kind], f->recorded, q05, q95);
      }
      continue;
    }
    int ok = f->expect == KNOWN_MISS ? !inside : inside;
    if (verbose || !ok)
      fprintf(stderr, "  %-16s %-14s recorded %7g  model [q05 %g, q50 %g, q95 %g]%s%s  (%s)\n",
              rp->scenario, feature_names[f->kind], f->recorded, q05, q50, q95,
              f->expect == KNOWN_MISS ? "  known miss" : "", ok ? "" : "  <-- FAIL", f->why);
    doc_add("| %s | %s | %g | %g, %g, %g | %s |\n", f == rp->f ? rp->scenario : "",
            feature_names[f->kind], f->recorded, q05, q50, q95,
            f->expect == KNOWN_MISS ? (inside ? "**known miss, now inside**" : "known miss")
                                    : (inside ? "inside" : "**outside**"));
    if (f->expect == KNOWN_MISS)
      CHECK(!inside); /* reproduced now: update docs/MODEL.md and this table */
    else
      CHECK(inside);
  }
  free(col);
done:
  free(v);
  free(sk.last);
  free(sk.other);
  legation_run_free(r);
  legation_scenario_free(sc);
}

/* ------------------------------------------------------------------ cases */

/* Recorded values are from data/events.csv; "derived" ones are sums or
 * differences of its rows, explained in the scenario files. */

static const replay replay_1986_t = {
    "replay-1986", 6,
    {/* the scripted 25 came from the UN mission, outside the bilateral
        parity count: the model's US parity answer is ~28, not 55; since
        mass expulsions at shocks the 80 is inside (in the upper tail) */
     {F_EXPELLED_A, 80, CHECK_INSIDE, "[1986-02] 25 + [1986-04] 55"},
     {F_EXPELLED_B, 10, CHECK_INSIDE, "[1986-03] 5 + [1986-06] 5"},
     /* since parity cuts are answered by caps and other currencies only, the
        Soviet 5 answering the US 55 (5 retaliation + 50 parity, one move in
        the record, a parity answer in the model) no longer extends the chain */
     {F_CHAIN, 4, KNOWN_MISS, "25, 5, 55, 5 then the US cease-fire [1986-09]"},
     {F_MOVES_A, 2, CHECK_INSIDE, "[1986-02], [1986-04]"},
     {F_MOVES_B, 2, CHECK_INSIDE, "[1986-03], [1986-06]"},
     {F_CAP_A, 251, CHECK_INSIDE, "[1986-08] Soviet cap on the US mission"},
     {F_CAP_B, 251, CHECK_INSIDE, "[1986-05] US cap on the Soviet mission"},
     {F_OTHER, 2, CHECK_INSIDE, "[1986-07] 260 locals withdrawn, [1986-09] Americans barred"},
     {0, 0, 0, NULL}}};

static const replay replay_2016_2018_t = {
    "replay-2016-2018", 2,
    {{F_EXPELLED_A, 95, CHECK_INSIDE, "[2016-02] 35 + [2018-04] 60"},
     {F_EXPELLED_B, 815, CHECK_INSIDE, "[2017-02] 755 to stop work + [2018-33] 60"},
     {F_CHAIN, 2, CHECK_INSIDE, "35 -> cap; 60 -> 60; no third move"},
     {F_MOVES_A, 2, CHECK_INSIDE, "[2016-02], [2018-04]"},
     {F_MOVES_B, 2, CHECK_INSIDE, "[2017-02], [2018-33]"},
     {F_CAP_A, 395, CHECK_INSIDE, "derived: cap 455 [2017-02] less 60 not refilled [2018-33]"},
     {F_CAP_B, 395, CHECK_INSIDE, "derived: 455 less 60 not refilled [2018-04]"},
     {F_OTHER, 3, CHECK_INSIDE, "[2017-03] dacha, [2017-04] CG SF, [2018-34] CG St Petersburg"},
     {0, 0, 0, NULL}}};

static const replay replay_2021_t = {
    "replay-2021", 2,
    {{F_EXPELLED_A, 10, CHECK_INSIDE, "[2021-01]"},
     {F_EXPELLED_B, 10, CHECK_INSIDE, "[2021-02]"},
     {F_CHAIN, 2, CHECK_INSIDE, "10 for 10, no US counter-expulsion"},
     {F_MOVES_A, 1, CHECK_INSIDE, "[2021-01]"},
     {F_MOVES_B, 1, CHECK_INSIDE, "[2021-02]"},
     {F_CAP_A, 120, CHECK_INSIDE, "derived: ~130 less the 10 [2021-02] (FACTS s2: ~120)"},
     {F_CAP_B, 224, CHECK_INSIDE, "derived: ~234 less the 10 [2021-01]"},
     {F_OTHER, 2, CHECK_INSIDE, "[2021-03] travel arrangement ended, [2021-08..11] local-staff ban"},
     {0, 0, 0, NULL}}};

static const replay uk_russia_2018_t = {
    "uk-russia-2018", 3,
    {{F_EXPELLED_A, 23, CHECK_INSIDE, "[2018-01]"},
     {F_EXPELLED_B, 73, CHECK_INSIDE, "[2018-02] 23 + [2018-35] 'a little over 50'"},
     {F_CHAIN, 2, CHECK_INSIDE, "23 -> 23 + parity; no UK answer"},
     {F_MOVES_A, 1, CHECK_INSIDE, "[2018-01]"},
     {F_MOVES_B, 1, CHECK_INSIDE, "[2018-02], [2018-35] in the same month"},
     {F_CAP_A, 77, CHECK_INSIDE, "[2018-35]: UK staff cut to the Russian level (assumed 100 - 23)"},
     {F_OTHER, 1, KNOWN_MISS, "[2018-03] CG St Petersburg and British Council closed"},
     {0, 0, 0, NULL}}};

static const replay czech_russia_2021_t = {
    "czech-russia-2021", 3,
    {{F_EXPELLED_A, 81, CHECK_INSIDE, "[2021-04] 18 + [2021-06] 63 (Czech headline)"},
     {F_EXPELLED_B, 20, CHECK_INSIDE, "[2021-05]"},
     {F_CHAIN, 3, CHECK_INSIDE, "18 -> 20 -> parity cap -> mirror cap, no expulsion"},
     {F_MOVES_A, 2, CHECK_INSIDE, "[2021-04], [2021-06]"},
     {F_MOVES_B, 1, CHECK_INSIDE, "[2021-05]"},
     {F_CAP_A, 32, CHECK_INSIDE, "[2021-07]: 7 diplomats + 25 admin/technical"},
     {F_CAP_B, 32, CHECK_INSIDE, "[2021-06], [2021-07]: the same"},
     {F_OTHER, 1, KNOWN_MISS, "[2021-10] Czech local staff capped at 19"},
     {0, 0, 0, NULL}}};

static const replay us_china_2020_t = {
    "us-china-2020", 12,
    {{F_EXPELLED_A, 0, CHECK_INSIDE, "no expulsion of Chinese diplomats in events.csv"},
     {F_EXPELLED_B, 0, CHECK_INSIDE, "no expulsion of US diplomats in events.csv"},
     {F_CHAIN, 0, CHECK_INSIDE, "no expulsion chain"},
     {F_OTHER, 3, KNOWN_MISS, "[2019-02] counter-rule, [2020-02] Chengdu closed, [2020-03] approval rule"},
     {0, 0, 0, NULL}}};

static void t_replay_1986(void) { run_replay(&replay_1986_t); }
static void t_replay_2016_2018(void) { run_replay(&replay_2016_2018_t); }
static void t_replay_2021(void) { run_replay(&replay_2021_t); }
static void t_uk_russia_2018(void) { run_replay(&uk_russia_2018_t); }
static void t_czech_russia_2021(void) { run_replay(&czech_russia_2021_t); }
static void t_us_china_2020(void) { run_replay(&us_china_2020_t); }

/* The checks can fail: a deliberately wrong model (Russia forgiving 95% of
 * expulsions, or never answering) puts at least one recorded feature of the
 * 2016-2018 replay outside the model's range.  Not every wrong model is
 * caught: a US that never answers (states.a.doctrine=absorb) passes every
 * check of this replay, since the US answered nothing in it (MODEL.md
 * section 11). */
static void t_wrong_model_fails(void) {
  static const char *const wrong[][2] = {{"states.b.forgiveness", "0.95"},
                                         {"states.b.doctrine", "absorb"}};
  for (size_t k = 0; k < sizeof wrong / sizeof wrong[0]; k++) {
    int outside = 0;
    run_replay_ex(&replay_2016_2018_t, wrong[k][0], wrong[k][1], &outside);
    if (!outside) fprintf(stderr, "  %s=%s: every check still passes\n", wrong[k][0], wrong[k][1]);
    CHECK(outside > 0);
  }
}

/* ---------------------------------------------- the model against targets */

/* Per replication of us-russia-2025 over the record's 2014-2024 era (132
 * months): moves and persons per year per side, sizes of moves, answers and
 * acts in another currency, from the event log (names resolve sides). */
#define T_ERA_FROM 2014
#define T_ERA_TO 2024
#define T_REPS 1000
typedef struct tsink {
  const char *name[2];
  double *moves[2], *persons[2], *other[2];
  int64_t nsize[2], cap;
  double *size_v[2];      /* every move's size, per side */
  int64_t answers[2], suffered[2];
  int64_t last_rep[2];
  int last_month[2];
} tsink;

static int t_event(void *user, const legation_event *ev) {
  tsink *t = user;
  int s = strcmp(ev->actor, t->name[0]) == 0 ? 0 : strcmp(ev->actor, t->name[1]) == 0 ? 1 : -1;
  if (s < 0 || ev->rep < 0 || ev->rep >= T_REPS) return 0;
  if (!strcmp(ev->action, "expel") && ev->persons > 0) {
    t->persons[s][ev->rep] += ev->persons;
    if (t->last_rep[s] != ev->rep || t->last_month[s] != ev->month) {
      t->moves[s][ev->rep] += 1;
      t->suffered[1 - s]++;
      if (t->nsize[s] < t->cap) t->size_v[s][t->nsize[s]++] = ev->persons;
      if (ev->chain > 1) t->answers[s]++;
      t->last_rep[s] = ev->rep;
      t->last_month[s] = ev->month;
    } else if (t->nsize[s] > 0) {
      t->size_v[s][t->nsize[s] - 1] += ev->persons;
    }
  }
  if (!strcmp(ev->reason, "retaliation") &&
      (!strcmp(ev->action, "ban_local_staff") || !strcmp(ev->action, "close_post") ||
       !strcmp(ev->action, "travel_restriction") || !strcmp(ev->action, "visa_freeze") ||
       !strcmp(ev->action, "seize_property")))
    t->other[s][ev->rep] += 1;
  return 0;
}

static char targets_rows[8192];
static size_t targets_len;

/* One row: the record's value and 90% interval against the model's mean and
 * [q05, q95] over replications of a per-replication statistic v. */
static void target_row(const char *name, const char *side, const legation_history_stat *rec,
                       double *v, int64_t n, int pooled) {
  qsort(v, (size_t)n, sizeof *v, cmp_double);
  double mean = 0;
  for (int64_t i = 0; i < n; i++) mean += v[i] / (double)n;
  double q05 = quantile(v, n, 0.05), q50 = quantile(v, n, 0.5), q95 = quantile(v, n, 0.95);
  int inside = rec->value >= q05 && rec->value <= q95;
  int k = snprintf(targets_rows + targets_len, sizeof targets_rows - targets_len,
                   "| %s | %s | %.3g (%.3g-%.3g) | %.3g | %.3g, %.3g, %.3g | %s |\n", name, side,
                   rec->value, rec->lo, rec->hi, pooled ? q50 : mean, q05, q50, q95,
                   inside ? "inside" : "**outside**");
  if (k > 0 && (size_t)k < sizeof targets_rows - targets_len) targets_len += (size_t)k;
}

static legation_history_stat rec_stat(legation_history *h, const char *name, const char *side) {
  legation_history_stat s = {0};
  s.value = NAN;
  for (int i = 0; i < legation_history_stat_count(h); i++) {
    legation_history_stat x;
    legation_history_stat_get(h, i, &x);
    if (!strcmp(x.name, name) && !strcmp(x.side, side)) return x;
  }
  return s;
}

static void targets_table(void) {
  targets_len = 0;
  legation_history *h = legation_history_new();
  CHECK_EQ_INT(legation_history_load_builtin(h), LEGATION_OK);
  CHECK_EQ_INT(legation_history_stats(h, "US", "RU", T_ERA_FROM, T_ERA_TO), LEGATION_OK);
  legation_scenario *sc = legation_scenario_new();
  CHECK_EQ_INT(legation_scenario_load_builtin(sc, "us-russia-2025"), LEGATION_OK);
  int months = 12 * (T_ERA_TO - T_ERA_FROM + 1);
  char hz[16];
  snprintf(hz, sizeof hz, "%d", months);
  CHECK_EQ_INT(legation_scenario_set(sc, "horizon", hz), LEGATION_OK);
  tsink t;
  memset(&t, 0, sizeof t);
  t.name[0] = legation_scenario_state_name(sc, 0);
  t.name[1] = legation_scenario_state_name(sc, 1);
  t.cap = 200000;
  for (int s = 0; s < 2; s++) {
    t.moves[s] = calloc(T_REPS, sizeof(double));
    t.persons[s] = calloc(T_REPS, sizeof(double));
    t.other[s] = calloc(T_REPS, sizeof(double));
    t.size_v[s] = calloc((size_t)t.cap, sizeof(double));
    t.last_rep[s] = -1;
  }
  legation_run *r = legation_run_new(sc);
  legation_run_set_reps(r, T_REPS);
  legation_run_set_seed(r, SEED);
  legation_run_set_event_sink(r, t_event, &t);
  CHECK_EQ_INT(legation_run_execute(r), LEGATION_OK);
  double years = months / 12.0;
  static const char *const code[2] = {"US", "RU"};
  for (int s = 0; s < 2; s++) {
    for (int64_t i = 0; i < T_REPS; i++) {
      t.moves[s][i] /= years;
      t.persons[s][i] /= years;
      t.other[s][i] /= years;
    }
    legation_history_stat rs;
    rs = rec_stat(h, "moves_per_year", code[s]);
    target_row("moves per year", code[s], &rs, t.moves[s], T_REPS, 0);
    rs = rec_stat(h, "persons_per_year", code[s]);
    target_row("persons expelled per year", code[s], &rs, t.persons[s], T_REPS, 0);
    rs = rec_stat(h, "persons_per_move_median", code[s]);
    if (t.nsize[s] > 0) target_row("persons per move (model: all moves pooled)", code[s], &rs, t.size_v[s], t.nsize[s], 1);
    rs = rec_stat(h, "other_currency_per_year", code[s]);
    target_row("acts in another currency per year", code[s], &rs, t.other[s], T_REPS, 0);
    double share = t.suffered[s] ? (double)t.answers[s] / (double)t.suffered[s] : NAN;
    rs = rec_stat(h, "answered_share", code[s]);
    int k = snprintf(targets_rows + targets_len, sizeof targets_rows - targets_len,
                     "| share of the other's moves answered (model: pooled) | %s | %.3g (%.3g-%.3g) | %.3g | - | %s |\n",
                     code[s], rs.value, rs.lo, rs.hi, share,
                     share >= rs.lo && share <= rs.hi ? "model inside the record's interval"
                                                      : "**model outside the record's interval**");
    if (k > 0 && (size_t)k < sizeof targets_rows - targets_len) targets_len += (size_t)k;
  }
  /* the ratio of persons expelled, US over Russia (issue 9: record 2.4) */
  double ru = rec_stat(h, "persons_per_year", "RU").value, us = rec_stat(h, "persons_per_year", "US").value;
  double mus = 0, mru = 0;
  for (int64_t i = 0; i < T_REPS; i++) mus += t.persons[0][i], mru += t.persons[1][i];
  int k = snprintf(targets_rows + targets_len, sizeof targets_rows - targets_len,
                   "| persons expelled, US / Russia (ratio of means) | - | %.3g | %.3g | - | - |\n",
                   us / ru, mus / mru);
  if (k > 0 && (size_t)k < sizeof targets_rows - targets_len) targets_len += (size_t)k;
  for (int s = 0; s < 2; s++) {
    free(t.moves[s]), free(t.persons[s]), free(t.other[s]), free(t.size_v[s]);
  }
  legation_run_free(r);
  legation_scenario_free(sc);
  legation_history_free(h);
}

/* The block of path between "<!-- NAME:begin -->" and "<!-- NAME:end -->"
 * lines, malloc'd ("" if absent). */
static char *doc_block(const char *name) {
  const char *src = getenv("LEGATION_SOURCE_DIR");
  if (!src) src = LEGATION_SOURCE_DIR_DEFAULT;
  char path[4096], begin[64], end[64];
  snprintf(path, sizeof path, "%s/docs/MODEL.md", src);
  snprintf(begin, sizeof begin, "<!-- %s:begin -->\n", name);
  snprintf(end, sizeof end, "<!-- %s:end -->\n", name);
  FILE *f = fopen(path, "rb");
  char *buf = calloc(1, 1 << 20);
  if (f && buf) {
    size_t n = fread(buf, 1, (1 << 20) - 1, f);
    buf[n] = 0;
  }
  if (f) fclose(f);
  char *out = calloc(1, 1 << 16);
  const char *b = buf ? strstr(buf, begin) : NULL;
  const char *e = b ? strstr(b, end) : NULL;
  if (b && e && out) {
    b += strlen(begin);
    size_t n = (size_t)(e - b);
    if (n >= (1 << 16)) n = (1 << 16) - 1;
    memcpy(out, b, n);
  }
  free(buf);
  return out;
}

static int print_tables;

static void t_doc_tables(void) {
  doc_len = 0;
  doc_rows[0] = 0;
  extern const check_case cases[];
  for (const check_case *c = cases; c->name; c++)
    if (strncmp(c->name, "doc_", 4) != 0 && strncmp(c->name, "wrong_", 6) != 0) c->fn();
  targets_table();
  char replays[sizeof doc_rows + 256], targets[sizeof targets_rows + 256];
  snprintf(replays, sizeof replays,
           "| scenario | feature | record | model q05, q50, q95 | check |\n| --- | --- | --- | --- | --- |\n%s",
           doc_rows);
  snprintf(targets, sizeof targets,
           "| statistic (2014-2024) | side | record (90%% interval) | model mean | model q05, q50, q95 | record in the model's 90%% band |\n"
           "| --- | --- | --- | --- | --- | --- |\n%.*s",
           (int)targets_len, targets_rows);
  if (print_tables) {
    printf("<!-- replays:begin -->\n%s<!-- replays:end -->\n", replays);
    printf("<!-- targets:begin -->\n%s<!-- targets:end -->\n", targets);
    return;
  }
  char *d1 = doc_block("replays"), *d2 = doc_block("targets");
  CHECK_EQ_STR(d1, replays);
  CHECK_EQ_STR(d2, targets);
  if (strcmp(d1, replays) || strcmp(d2, targets))
    fprintf(stderr, "  docs/MODEL.md section 11 is stale: regenerate it with the command there\n");
  free(d1);
  free(d2);
}

const check_case cases[] = {
    {"replay_1986", t_replay_1986},
    {"replay_2016_2018", t_replay_2016_2018},
    {"replay_2021", t_replay_2021},
    {"uk_russia_2018", t_uk_russia_2018},
    {"czech_russia_2021", t_czech_russia_2021},
    {"us_china_2020", t_us_china_2020},
    {"wrong_model_fails", t_wrong_model_fails},
    {"doc_tables", t_doc_tables},
    {NULL, NULL},
};

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[argc - 1], "-v") == 0) verbose = 1, argc--;
  if (argc > 1 && strcmp(argv[argc - 1], "--print") == 0) print_tables = 1, argc--;
  return check_main(cases, argc, argv);
}
