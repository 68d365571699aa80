/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * abc_models.c - what the calibration simulates: the built-in analytic test
 * models (exact posteriors known, so the ABC-SMC code path can be checked
 * end to end), their threaded batch evaluator, and the binding to a real
 * scenario (the table from target names to simulated statistics, and the
 * one function waiting for the engine's design-run API).
 */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "abc.h"
#include "engine/rng.h"

/* ------------------------------------------------------------ test models */

#define TM_MAXP 2

typedef struct tm_spec {
  const char *name;
  int np;
  legation_abc_param params[TM_MAXP]; /* key, dist, lo, hi, mode, sd */
  const char *target;                 /* the one summary statistic */
  double observed, sd;                /* its observed value and scale */
  double eps_min;                     /* default minimum tolerance */
  /* one simulation: full parameter vector -> the statistic */
  double (*sim)(const double *theta, gsl_rng *r);
} tm_spec;

/* Binomial(20, p): the number of successes. */
static double sim_beta_binomial(const double *theta, gsl_rng *r) {
  return (double)gsl_ran_binomial(r, theta[0], 20);
}

/* Mean of 10 draws N(mu, 1), drawn directly as N(mu, 1/10). */
static double sim_normal(const double *theta, gsl_rng *r) {
  return theta[0] + gsl_ran_gaussian(r, 1 / sqrt(10.0));
}

/* y ~ N(a, 0.05^2); b does not enter. */
static double sim_unidentifiable(const double *theta, gsl_rng *r) {
  return theta[0] + gsl_ran_gaussian(r, 0.05);
}

static const tm_spec test_models[] = {
    {"test:beta-binomial", 1, {{"p", "uniform", 0, 1, NAN, NAN}}, "successes", 6, 1, 0,
     sim_beta_binomial},
    /* the tolerance stops at 0.05 sd of the sample mean: the ABC posterior's
     * variance then exceeds the exact one by under 0.1% (docs) */
    {"test:normal", 1, {{"mu", "normal", -10, 10, 0, 1}}, "mean", 1.5, 0.31622776601683794,
     0.05, sim_normal},
    {"test:unidentifiable", 2,
     {{"a", "uniform", 0, 1, NAN, NAN}, {"b", "uniform", 0, 1, NAN, NAN}}, "y", 0.3, 0.05, 0.1,
     sim_unidentifiable},
};
#define N_TEST_MODELS ((int)(sizeof test_models / sizeof test_models[0]))

struct lg_abc_model {
  const tm_spec *spec;
  int idx[TM_MAXP]; /* calibrated parameter k is the model's idx[k] */
  int nk;
};

void lg_abc_model_free(lg_abc_model *m) { free(m); }

const char *legation_abc_test_model_name(int i) {
  return i >= 0 && i < N_TEST_MODELS ? test_models[i].name : NULL;
}

typedef struct tm_job {
  const lg_abc_model *m;
  const double *points;
  int np;
  uint64_t seed;
  double *stats;
  int nstats;
  int64_t first, count;
  int failed;
} tm_job;

/* Point k of the batch draws from the stream (sim_seed, k): the thread that
 * happens to simulate it does not matter. */
static void *tm_work(void *arg) {
  tm_job *j = arg;
  gsl_rng *r = gsl_rng_alloc(lg_gsl_philox);
  if (!r) {
    j->failed = 1;
    return NULL;
  }
  const tm_spec *s = j->m->spec;
  double full[TM_MAXP];
  for (int64_t k = j->first; k < j->first + j->count; k++) {
    for (int d = 0; d < s->np; d++) full[d] = 0.5 * (s->params[d].lo + s->params[d].hi);
    for (int d = 0; d < j->m->nk; d++) full[j->m->idx[d]] = j->points[(size_t)k * j->np + d];
    lg_rng_seed(lg_rng_of(r), j->seed, (uint64_t)k, 0);
    double y = s->sim(full, r);
    for (int t = 0; t < j->nstats; t++) j->stats[(size_t)k * j->nstats + t] = y;
  }
  gsl_rng_free(r);
  return NULL;
}

static legation_status tm_eval(void *user, legation_abc *abc, const double *points,
                               int64_t npoints, int np, uint64_t sim_seed, double *stats,
                               int nstats) {
  const lg_abc_model *m = user;
  int nth = abc->threads;
  if (nth == 0) {
    long c = sysconf(_SC_NPROCESSORS_ONLN);
    nth = c > 0 ? (int)c : 1;
  }
  if (nth > 64) nth = 64;
  if (npoints < 2 * nth) nth = 1;
  tm_job jobs[64];
  pthread_t tid[64];
  int started = 0;
  for (int t = 0; t < nth; t++) {
    int64_t a = npoints * t / nth, b = npoints * (t + 1) / nth;
    jobs[t] = (tm_job){m, points, np, sim_seed, stats, nstats, a, b - a, 0};
  }
  for (int t = 1; t < nth; t++) {
    if (pthread_create(&tid[t], NULL, tm_work, &jobs[t]) != 0) break;
    started = t;
  }
  tm_work(&jobs[0]);
  for (int t = 1; t <= started; t++) pthread_join(tid[t], NULL);
  /* a thread that could not start: its share runs here */
  for (int t = started + 1; t < nth; t++) tm_work(&jobs[t]);
  for (int t = 0; t < nth; t++)
    if (jobs[t].failed) return lg_abc_fail(abc, LEGATION_ENOMEM, "out of memory");
  return LEGATION_OK;
}

legation_status legation_abc_use_test_model(legation_abc *abc, const char *name,
                                            const char *const *keys, int nkeys) {
  if (!abc || !name) return LEGATION_EINVAL;
  const tm_spec *s = NULL;
  for (int i = 0; i < N_TEST_MODELS; i++)
    if (strcmp(test_models[i].name, name) == 0) s = &test_models[i];
  if (!s) {
    char list[256] = "";
    for (int i = 0; i < N_TEST_MODELS; i++) {
      strncat(list, i ? ", " : "", sizeof list - strlen(list) - 1);
      strncat(list, test_models[i].name, sizeof list - strlen(list) - 1);
    }
    return lg_abc_fail(abc, LEGATION_ENOTFOUND, "%s: no such test model (there are %s)", name,
                       list);
  }
  if (abc->started || abc->np || abc->model)
    return lg_abc_fail(abc, LEGATION_EINVAL, "%s: the calibration already has parameters",
                       name);
  lg_abc_model *m = calloc(1, sizeof *m);
  if (!m) return lg_abc_fail(abc, LEGATION_ENOMEM, "out of memory");
  m->spec = s;
  if (!keys) {
    for (int d = 0; d < s->np; d++) m->idx[m->nk++] = d;
  } else {
    for (int k = 0; k < nkeys; k++) {
      int found = -1;
      for (int d = 0; d < s->np; d++)
        if (strcmp(s->params[d].key, keys[k]) == 0) found = d;
      if (found < 0) {
        char list[128] = "";
        for (int d = 0; d < s->np; d++) {
          strncat(list, d ? ", " : "", sizeof list - strlen(list) - 1);
          strncat(list, s->params[d].key, sizeof list - strlen(list) - 1);
        }
        free(m);
        return lg_abc_fail(abc, LEGATION_ENOTFOUND, "%s: no parameter '%s' (it has %s)", name,
                           keys[k], list);
      }
      for (int j = 0; j < m->nk; j++)
        if (m->idx[j] == found) {
          free(m);
          return lg_abc_fail(abc, LEGATION_EINVAL, "%s: parameter '%s' given twice", name,
                             keys[k]);
        }
      m->idx[m->nk++] = found;
    }
  }
  legation_status st = LEGATION_OK;
  for (int k = 0; k < m->nk && st == LEGATION_OK; k++)
    st = legation_abc_add_param(abc, &s->params[m->idx[k]]);
  if (st == LEGATION_OK && abc->nt == 0)
    st = legation_abc_add_target(abc, s->target, s->observed, s->sd);
  if (st == LEGATION_OK && !abc->eps_set) {
    st = legation_abc_set_min_tolerance(abc, s->eps_min);
    abc->eps_set = 0; /* the model's default, not the caller's choice */
  }
  if (st != LEGATION_OK) {
    free(m);
    return st;
  }
  /* targets from a file must name the model's statistic */
  for (int t = 0; t < abc->nt; t++)
    if (strcmp(abc->tg[t].name, s->target) != 0) {
      free(m);
      return lg_abc_fail(abc, LEGATION_ENOTFOUND,
                         "%s: target '%s': this model simulates only '%s'", name,
                         abc->tg[t].name, s->target);
    }
  abc->model = m;
  legation_abc_set_evaluator(abc, tm_eval, m);
  return LEGATION_OK;
}

/* ------------------------------------------------------------ real scenarios */

/* THE table from target names (as `legation history --stats --format
 * targets` writes them, before any @era or /side) to the simulated
 * statistic of a run that is compared with them: one per-replication
 * output of the engine (legation_output_find), averaged over the
 * replications of a point and multiplied by `per_year` x 12 / months when
 * set.  The statistics comparable with the record are being defined (issue
 * 9, item 1); rows are added here and nowhere else. */
typedef struct lg_abc_stat_row {
  const char *target;  /* target name */
  int side;            /* 0 = state A, 1 = state B, -1 = either or both */
  const char *output;  /* engine output */
  int per_year;        /* divide by the years simulated */
  const char *plus;    /* a second output added to the first, or NULL */
} lg_abc_stat_row;

static const lg_abc_stat_row lg_abc_stat_map[] = {
    {"moves_per_year", 0, "moves_a", 1, NULL},   /* months in which A expelled anyone */
    {"moves_per_year", 1, "moves_b", 1, NULL},
    {"persons_per_year", 0, "officers_expelled_by_a", 1, "diplomats_expelled_by_a"},
    {"persons_per_year", 1, "officers_expelled_by_b", 1, "diplomats_expelled_by_b"},
    {"persons_expelled_per_year", -1, "total_expelled", 1, NULL},
};
#define N_STAT_ROWS ((int)(sizeof lg_abc_stat_map / sizeof lg_abc_stat_map[0]))

/* Row of lg_abc_stat_map for target `name` (name[@era][/side]) of a
 * scenario whose states are sc's; -1 (message set) if none. */
static int stat_row(legation_abc *abc, const legation_scenario *sc, const char *name) {
  size_t len = strcspn(name, "@/");
  const char *slash = strchr(name, '/');
  int side = -1;
  if (slash) {
    const char *code = legation_country_code(slash + 1);
    for (int k = 0; k < 2 && code; k++) {
      const char *mine = legation_country_code(legation_scenario_state_name(sc, k));
      if (mine && strcmp(mine, code) == 0) side = k;
    }
    if (side < 0 && (strcmp(slash + 1, "A") == 0 || strcmp(slash + 1, "B") == 0))
      side = slash[1] - 'A';
    if (side < 0) {
      lg_abc_fail(abc, LEGATION_ENOTFOUND, "target '%s': side '%s' is neither state of %s",
                  name, slash + 1, legation_scenario_name(sc));
      return -1;
    }
  }
  for (int i = 0; i < N_STAT_ROWS; i++)
    if (strlen(lg_abc_stat_map[i].target) == len &&
        strncmp(lg_abc_stat_map[i].target, name, len) == 0 && lg_abc_stat_map[i].side == side)
      return i;
  lg_abc_fail(abc, LEGATION_ENOTFOUND, "target '%s': no simulated statistic corresponds to it",
              name);
  return -1;
}

/* ---- The scenario evaluator, on the engine's design runs
 * (legation_run_set_points) and legation_param's ranges (uncertain,
 * range_lo, range_hi, dist).  A batch is one run of npoints x reps
 * replications with seed sim_seed: replication g evaluates point g / reps
 * with the streams of replication g % reps, so the points of a batch share
 * common random numbers and nothing depends on threads. */
typedef struct sc_eval {
  legation_scenario *sc; /* owned copy */
  const char **keys;     /* owned array; the strings are abc's priors' keys */
  int nkeys;
  int64_t reps;          /* replications per point */
  int nt;
  int *out;              /* per target: engine output index */
  int *out2;             /* per target: a second output added, or -1 */
  int *per_year;         /* per target: divide by the years simulated */
  double *sum;           /* npoints x nt sums and counts of the batch */
  int64_t *cnt;
  int64_t npoints;
} sc_eval;

static void sc_eval_free(void *p) {
  sc_eval *e = p;
  if (!e) return;
  legation_scenario_free(e->sc);
  free(e->keys);
  free(e->out);
  free(e->out2);
  free(e->per_year);
  free(e);
}

/* legation_rep_fn: add replication rep's outputs to its point's sums. */
static int sc_sink(void *user, int64_t rep, int variant, const double *o, int count) {
  sc_eval *e = user;
  int64_t p = rep / e->reps;
  if (variant != 0 || p < 0 || p >= e->npoints) return 0;
  for (int t = 0; t < e->nt; t++) {
    double v = e->out[t] < count ? o[e->out[t]] : NAN;
    if (e->out2[t] >= 0) v += e->out2[t] < count ? o[e->out2[t]] : NAN;
    if (!isfinite(v)) continue;
    e->sum[(size_t)p * e->nt + t] += v;
    e->cnt[(size_t)p * e->nt + t]++;
  }
  return 0;
}

/* The points with whole-number parameters (integers, booleans, choices)
 * rounded to the nearest allowed value: their priors are continuous over
 * the range (docs/CALIBRATION.md). */
static legation_status set_points_rounded(legation_run *run, const sc_eval *e, const double *pts,
                                          int64_t npoints) {
  double *q = malloc((size_t)npoints * (size_t)e->nkeys * sizeof *q);
  if (!q) return LEGATION_ENOMEM;
  for (int k = 0; k < e->nkeys; k++) {
    int whole = 0;
    for (int i = 0; i < legation_param_count(); i++) {
      legation_param p;
      if (legation_param_get(e->sc, i, &p) == LEGATION_OK && strcmp(p.key, e->keys[k]) == 0)
        whole = p.type != LEGATION_PT_REAL;
    }
    for (int64_t j = 0; j < npoints; j++) {
      double x = pts[(size_t)j * e->nkeys + k];
      q[(size_t)j * e->nkeys + k] = whole ? floor(x + 0.5) : x;
    }
  }
  legation_status st = legation_run_set_points(run, e->keys, e->nkeys, q, npoints, e->reps);
  free(q);
  return st;
}

static legation_status sc_evaluate(void *user, legation_abc *abc, const double *pts,
                                   int64_t npoints, int np, uint64_t sim_seed, double *stats,
                                   int nstats) {
  sc_eval *e = user;
  (void)np;
  legation_run *run = legation_run_new(e->sc);
  e->sum = calloc((size_t)npoints * (size_t)nstats, sizeof *e->sum);
  e->cnt = calloc((size_t)npoints * (size_t)nstats, sizeof *e->cnt);
  e->npoints = npoints;
  legation_status st = LEGATION_ENOMEM;
  if (run && e->sum && e->cnt) {
    if ((st = legation_run_set_seed(run, sim_seed)) == LEGATION_OK &&
        (st = legation_run_set_threads(run, abc->threads)) == LEGATION_OK &&
        (st = set_points_rounded(run, e, pts, npoints)) == LEGATION_OK) {
      legation_run_set_rep_sink(run, sc_sink, e);
      st = legation_run_execute(run);
    }
    if (st != LEGATION_OK) {
      lg_abc_fail(abc, st, "%s", legation_run_errmsg(run));
    } else {
      double years = legation_run_months(run) / 12.0;
      for (size_t k = 0; k < (size_t)npoints * (size_t)nstats; k++) {
        int t = (int)(k % (size_t)nstats);
        stats[k] = e->cnt[k] ? e->sum[k] / (double)e->cnt[k] : NAN;
        if (e->per_year[t]) stats[k] /= years;
      }
    }
  } else {
    lg_abc_fail(abc, st, "out of memory");
  }
  free(e->sum);
  free(e->cnt);
  e->sum = NULL;
  e->cnt = NULL;
  legation_run_free(run);
  return st;
}

/* Add parameter key of sc as a prior (its range and dist; a triangular
 * peak at the scenario's value). */
static legation_status sc_add_param(legation_abc *abc, const legation_scenario *sc,
                                    const char *key) {
  for (int i = 0; i < legation_param_count(); i++) {
    legation_param p;
    if (legation_param_get(sc, i, &p) != LEGATION_OK || strcmp(p.key, key) != 0) continue;
    if (!(p.range_lo < p.range_hi))
      return lg_abc_fail(abc, LEGATION_ERANGE,
                         "%s: no range to calibrate over (give the parameter a range in the "
                         "scenario)",
                         key);
    legation_abc_param a = {p.key, p.dist && *p.dist ? p.dist : "uniform", p.range_lo,
                            p.range_hi, p.value, NAN};
    return legation_abc_add_param(abc, &a);
  }
  return lg_abc_fail(abc, LEGATION_ENOTFOUND, "%s: no such parameter (see 'legation params')",
                     key);
}

/* The era FROM-TO (or a single year) that target name[@era][/side] names,
 * in *from and *to; 0 if it names none or its era is not years. */
static int target_era(const char *name, int *from, int *to) {
  const char *at = strchr(name, '@');
  if (!at) return 0;
  char era[64];
  size_t n = strcspn(at + 1, "/");
  if (n == 0 || n >= sizeof era) return 0;
  memcpy(era, at + 1, n);
  era[n] = 0;
  char tail;
  if (sscanf(era, "%d-%d%c", from, to, &tail) == 2 && *from >= 1 && *to >= *from) return 1;
  if (sscanf(era, "%d%c", from, &tail) == 1 && *from >= 1) {
    *to = *from;
    return 1;
  }
  return 0;
}

/* The months a simulation must run to be compared with the targets: their
 * era's (12 per year) when they name one, so that a rate per year and its
 * sd (the record's, over that era) are compared with the same rate over as
 * many simulated months; 0 (the scenario's horizon) when none names an
 * era; -1 (message set) when they name different eras, which one run
 * cannot simulate. */
static int targets_months(legation_abc *abc) {
  int months = 0, first = -1;
  for (int t = 0; t < abc->nt; t++) {
    int from, to;
    if (!target_era(abc->tg[t].name, &from, &to)) continue;
    int m = 12 * (to - from + 1);
    if (first < 0) {
      first = t;
      months = m;
    } else if (m != months) {
      lg_abc_fail(abc, LEGATION_EINVAL,
                  "targets '%s' and '%s' are of eras of different lengths: one calibration "
                  "simulates one era",
                  abc->tg[first].name, abc->tg[t].name);
      return -1;
    }
  }
  return months;
}

/* The body of legation_abc_use_scenario once the design runs exist. */
static legation_status sc_bind(legation_abc *abc, const legation_scenario *sc,
                               const char *const *keys, int nkeys, int64_t reps) {
  legation_status st = LEGATION_OK;
  if (keys) {
    for (int k = 0; k < nkeys && st == LEGATION_OK; k++) st = sc_add_param(abc, sc, keys[k]);
  } else {
    for (int i = 0; i < legation_param_count() && st == LEGATION_OK; i++) {
      legation_param p;
      if (legation_param_get(sc, i, &p) == LEGATION_OK && p.uncertain)
        st = sc_add_param(abc, sc, p.key);
    }
    if (st == LEGATION_OK && abc->np == 0)
      st = lg_abc_fail(abc, LEGATION_ENOTFOUND, "%s: no parameter is marked uncertain",
                       legation_scenario_name(sc));
  }
  if (st != LEGATION_OK) return st;
  sc_eval *e = calloc(1, sizeof *e);
  if (!e) return lg_abc_fail(abc, LEGATION_ENOMEM, "out of memory");
  e->sc = legation_scenario_clone(sc);
  int months = targets_months(abc);
  if (months < 0) {
    sc_eval_free(e);
    return LEGATION_EINVAL;
  }
  if (months > 0 && e->sc) {
    /* simulate the targets' era, not the scenario's own horizon */
    char text[32];
    snprintf(text, sizeof text, "%d", months);
    legation_status hs = legation_scenario_set(e->sc, "horizon", text);
    if (hs != LEGATION_OK) {
      lg_abc_fail(abc, hs, "horizon of %d months (the targets' era): %s", months,
                  legation_scenario_errmsg(e->sc));
      sc_eval_free(e);
      return hs;
    }
  }
  e->keys = calloc((size_t)abc->np, sizeof *e->keys);
  e->out = calloc((size_t)abc->nt, sizeof *e->out);
  e->out2 = calloc((size_t)abc->nt, sizeof *e->out2);
  e->per_year = calloc((size_t)abc->nt, sizeof *e->per_year);
  if (!e->sc || !e->keys || !e->out || !e->out2 || !e->per_year) {
    sc_eval_free(e);
    return lg_abc_fail(abc, LEGATION_ENOMEM, "out of memory");
  }
  e->nkeys = abc->np;
  e->reps = reps;
  e->nt = abc->nt;
  for (int i = 0; i < abc->np; i++) e->keys[i] = abc->prior[i].key;
  for (int t = 0; t < abc->nt; t++) {
    int row = stat_row(abc, sc, abc->tg[t].name);
    e->out[t] = legation_output_find(lg_abc_stat_map[row].output);
    e->out2[t] = lg_abc_stat_map[row].plus ? legation_output_find(lg_abc_stat_map[row].plus) : -1;
    e->per_year[t] = lg_abc_stat_map[row].per_year;
  }
  abc->owned = e;
  abc->owned_free = sc_eval_free;
  legation_abc_set_evaluator(abc, sc_evaluate, e);
  return LEGATION_OK;
}

/* A scenario as the model: its targets checked against lg_abc_stat_map,
 * then its ranged parameters as priors and the design-run evaluator. */
legation_status legation_abc_use_scenario(legation_abc *abc, const legation_scenario *sc,
                                          const char *const *keys, int nkeys,
                                          int64_t reps_per_point) {
  if (!abc || !sc || reps_per_point < 1 || (nkeys && !keys)) return LEGATION_EINVAL;
  if (abc->started || abc->np || abc->eval)
    return lg_abc_fail(abc, LEGATION_EINVAL, "the calibration already has a model");
  if (abc->nt < 1) return lg_abc_fail(abc, LEGATION_EINVAL, "no target to calibrate against");
  for (int t = 0; t < abc->nt; t++) {
    int row = stat_row(abc, sc, abc->tg[t].name);
    if (row < 0) return LEGATION_ENOTFOUND;
    if (legation_output_find(lg_abc_stat_map[row].output) < 0)
      return lg_abc_fail(abc, LEGATION_EINTERNAL, "target '%s': the engine has no output '%s'",
                         abc->tg[t].name, lg_abc_stat_map[row].output);
  }
  return sc_bind(abc, sc, keys, nkeys, reps_per_point);
}
