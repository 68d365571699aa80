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
 * replications of a point.  The statistics comparable with the record are
 * being defined (issue 9, item 1); rows are added here and nowhere else. */
typedef struct lg_abc_stat_row {
  const char *target;  /* target name */
  const char *side;    /* "A", "B" or NULL: which side's output */
  const char *output;  /* engine output */
  const char *meaning;
} lg_abc_stat_row;

static const lg_abc_stat_row lg_abc_stat_map[] = {
    {"moves_per_year", "A", "moves_a", "months in which A expelled anyone, per year"},
    {"moves_per_year", "B", "moves_b", "months in which B expelled anyone, per year"},
    {"persons_expelled", NULL, "total_expelled", "persons expelled by both sides"},
};

/* Checks that every target has a row in lg_abc_stat_map; the message names
 * the first that has none. */
static legation_status check_stat_map(legation_abc *abc) {
  for (int t = 0; t < abc->nt; t++) {
    const char *name = abc->tg[t].name;
    size_t len = strcspn(name, "@/");
    int found = 0;
    for (size_t i = 0; i < sizeof lg_abc_stat_map / sizeof lg_abc_stat_map[0]; i++)
      if (strlen(lg_abc_stat_map[i].target) == len &&
          strncmp(lg_abc_stat_map[i].target, name, len) == 0)
        found = 1;
    if (!found)
      return lg_abc_fail(abc, LEGATION_ENOTFOUND,
                         "target '%s': no simulated statistic corresponds to it", name);
  }
  return LEGATION_OK;
}

/* NOT YET AVAILABLE: the one place waiting for the engine's design-run API
 * (legation_run_set_points, and legation_param's uncertain, range_lo,
 * range_hi, dist).  When it exists: add the scenario's (chosen or uncertain)
 * parameters with their ranges and dist as priors, and an evaluator that
 * runs a batch as one run of npoints x reps_per_point replications with
 * seed sim_seed and maps each point's mean outputs to the targets through
 * lg_abc_stat_map. */
legation_status legation_abc_use_scenario(legation_abc *abc, const legation_scenario *sc,
                                          const char *const *keys, int nkeys,
                                          int64_t reps_per_point) {
  (void)keys;
  (void)nkeys;
  if (!abc || !sc || reps_per_point < 1) return LEGATION_EINVAL;
  legation_status st = check_stat_map(abc);
  if (st != LEGATION_OK) return st;
  return lg_abc_fail(abc, LEGATION_ENOTFOUND,
                     "%s: calibrating a scenario is not yet available (it needs the "
                     "engine's design runs); the built-in test models are: "
                     "test:beta-binomial, test:normal, test:unidentifiable",
                     legation_scenario_name(sc));
}
