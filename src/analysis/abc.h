/* SPDX-License-Identifier: GPL-3.0-or-later */
/* abc.h - internals of the ABC-SMC calibration (lg_abc_ prefix): the
 * handle, the priors and the truncated Gaussian kernel, shared by abc.c (the
 * algorithm, targets, checkpoints) and abc_models.c (the built-in analytic
 * test models and the scenario evaluator).  Not API: front ends use
 * legation.h. */
#ifndef LG_ABC_H
#define LG_ABC_H

#include <stdint.h>

#include "legation.h"

/* Prior families; the names are the `dist` values of parameter ranges. */
typedef enum lg_abc_dist {
  LG_ABC_UNIFORM,
  LG_ABC_LOGUNIFORM,
  LG_ABC_TRIANGULAR,
  LG_ABC_NORMAL
} lg_abc_dist;

/* One parameter with its prior, checked and with the constants precomputed. */
typedef struct lg_abc_prior {
  char *key;          /* owned */
  lg_abc_dist dist;
  double lo, hi;      /* support */
  double mode, sd;    /* triangular peak; normal mean and sd */
  double pa, pb;      /* normal: Phi((lo-mode)/sd), Phi((hi-mode)/sd) */
} lg_abc_prior;

typedef struct lg_abc_target {
  char *name;         /* full name name[@era][/side], owned */
  double value;
  double sd;          /* NaN when not given */
  double scale;       /* the distance's scale (sd, or MAD of generation 0) */
} lg_abc_target;

/* Built-in test model bound to a handle (abc_models.c). */
typedef struct lg_abc_model lg_abc_model;

struct legation_abc {
  char err[2048];            /* last error, "" if none */
  /* settings */
  lg_abc_prior *prior;
  int np, capp;
  lg_abc_target *tg;
  int nt, capt;
  int64_t n;                 /* particles */
  int gmax;                  /* generations, including generation 0 */
  uint64_t seed;
  double alpha, eps_min, acc_min;
  int eps_set;               /* eps_min was set (a test model keeps it) */
  int threads;
  legation_abc_eval_fn eval;
  void *eval_user;
  legation_progress_fn progress;
  void *progress_user;
  lg_abc_model *model;       /* owned; NULL unless a test model is in use */
  void *owned;               /* evaluator state owned by the handle (a */
  void (*owned_free)(void *);/* scenario's), freed with it by owned_free */

  /* state after the last complete generation */
  int started;               /* a generation ran or a checkpoint was loaded */
  int gdone;                 /* complete generations */
  int done;                  /* lg_abc_done_* code, 0 while running */
  int scaled;                /* target scales fixed (after generation 0) */
  double *theta;             /* n x np */
  double *w;                 /* n, normalised */
  double *dist;              /* n */
  double *stats;             /* n x nt */
  legation_abc_generation *hist;
  int caph;
};

/* Prior density at x (0 outside the range), inverse CDF at u in (0,1) and
 * mean. */
double lg_abc_prior_pdf(const lg_abc_prior *p, double x);
double lg_abc_prior_quantile(const lg_abc_prior *p, double u);
double lg_abc_prior_mean(const lg_abc_prior *p);

/* Draw from Normal(mu, sigma^2) truncated to [lo, hi] (lo <= mu <= hi) by
 * the inverse CDF at u in (0,1); the result is always inside [lo, hi]. */
double lg_abc_trunc_normal(double mu, double sigma, double lo, double hi, double u);
/* Probability mass of Normal(mu, sigma^2) on [lo, hi]. */
double lg_abc_trunc_mass(double mu, double sigma, double lo, double hi);

/* Message "fmt..." on the handle; returns status. */
legation_status lg_abc_fail(legation_abc *abc, legation_status status, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Free a test model (abc_models.c). */
void lg_abc_model_free(lg_abc_model *m);

#endif
