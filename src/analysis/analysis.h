/* SPDX-License-Identifier: GPL-3.0-or-later */
/* analysis.h - global sensitivity analysis and scenario discovery (la_
 * prefix): the Sobol low-discrepancy sequence on Joe & Kuo's direction
 * numbers, the study handle behind legation_study_* (factors, groups,
 * evaluator, block evaluation with replication noise), the Saltelli/Jansen
 * estimators, Morris elementary effects, PRIM, and the analytic test
 * models.  Reading order: sobol.c, study.c, saltelli.c, morris.c, prim.c,
 * testmodels.c, study_scenario.c (a scenario as the model). */
#ifndef LA_ANALYSIS_H
#define LA_ANALYSIS_H

#include <stdint.h>

#include "legation.h"

/* ------------------------------------------------------------ Sobol sequence */

#define LA_SOBOL_MAX_DIMS 1111 /* dimensions covered by sobol_dirnums.c */
#define LA_SOBOL_MAX_DEGREE 13 /* highest polynomial degree among them */
#define LA_SOBOL_BITS 32       /* bits per coordinate: 2^32 points */

/* Direction-number row of one dimension >= 2 (Joe & Kuo's s, a, m_i). */
typedef struct la_sobol_dirnum {
  unsigned char s;                      /* degree of the primitive polynomial */
  unsigned short a;                     /* its inner coefficients */
  unsigned short m[LA_SOBOL_MAX_DEGREE]; /* initial direction numbers m_1..m_s */
} la_sobol_dirnum;
extern const la_sobol_dirnum la_sobol_dirnums[LA_SOBOL_MAX_DIMS - 1];

typedef struct la_sobol {
  int dims;
  uint32_t *v;     /* dims x LA_SOBOL_BITS direction numbers, v[d*32 + k] */
  uint32_t *shift; /* dims: random digital shift XORed on (0: none) */
} la_sobol;

/* Set up the first `dims` dimensions; shift_seed 0 = no shift (the
 * published sequence), else a random digital shift drawn from it.
 * LEGATION_ERANGE when dims exceeds LA_SOBOL_MAX_DIMS (message in err). */
legation_status la_sobol_init(la_sobol *q, int dims, uint64_t shift_seed, char *err,
                              size_t errsz);
void la_sobol_free(la_sobol *q);
/* Point n (0-based; Gray-code order as Joe & Kuo's sobol.cc) as integers,
 * unshifted: coordinate d is out[d] / 2^32. */
void la_sobol_point_u32(const la_sobol *q, uint64_t n, uint32_t *out);
/* Point n, shifted, in the open unit cube: ((x ^ shift) + 0.5) / 2^32. */
void la_sobol_point(const la_sobol *q, uint64_t n, double *u);

/* ------------------------------------------------------------ random numbers */

/* splitmix64: for shifts, the bootstrap and test-model noise (a pure
 * function of its state, so results depend only on the seed). */
uint64_t la_splitmix64(uint64_t *state);
/* Uniform on [0, 1) with 53 bits. */
double la_uniform(uint64_t *state);
/* Uniform integer in [0, n). */
uint64_t la_below(uint64_t *state, uint64_t n);

/* ------------------------------------------------------------ the study */

typedef enum la_dist { LA_DIST_UNIFORM, LA_DIST_LOGUNIFORM, LA_DIST_TRIANGULAR } la_dist;

typedef struct la_factor {
  char *name;
  double lo, hi, mode;
  la_dist dist;
  int group; /* index into the study's groups */
} la_factor;

typedef struct la_group {
  char *name;
  int n;        /* factors in the group */
  int *factors; /* their indices */
} la_group;

typedef enum la_result { LA_NONE, LA_SOBOL, LA_MORRIS, LA_PRIM } la_result;

struct legation_study {
  la_factor *factors;
  int nfactors;
  la_group *groups; /* named groups first, then singletons (la_study_groups) */
  int ngroups;
  int nnamed; /* named groups (the rest are made by la_study_groups) */
  char **outputs;
  int noutputs;
  legation_eval_fn eval;
  void *eval_user;
  void *test_state; /* owned state of a built-in test model */
  void *scen_state; /* owned evaluator of a scenario (study_scenario.c) */
  void (*scen_free)(void *state);
  uint64_t seed;
  int64_t reps;
  int boot;
  legation_progress_fn progress;
  void *progress_user;
  int64_t done, total; /* evaluations, for the progress callback */
  int stop;            /* the progress callback asked to stop */
  char err[1024];

  /* streaming and resuming (legation_study_set_point_sink, _restore_points) */
  legation_study_sink_fn sink;
  void *sink_user;
  int64_t next_point;     /* global index of the next point to evaluate */
  int64_t planned;        /* points the analysis plans */
  int64_t per_row;        /* points of one design row (for the sink) */
  int64_t ncached;        /* restored points 0 .. ncached - 1 */
  double *c_mean, *c_var; /* ncached x noutputs */
  int64_t *c_n;

  la_result result; /* what the arrays below hold */
  /* Sobol */
  legation_study_var *var;    /* noutputs */
  legation_sobol_index *sidx; /* noutputs x ngroups */
  /* Morris */
  legation_morris_index *midx; /* noutputs x nfactors */
  /* PRIM */
  int prim_nsteps;
  legation_prim_step *prim_steps; /* prim_nsteps */
  double *prim_bounds;            /* prim_nsteps x nfactors x 2 */
  legation_prim_box prim_box;
  legation_prim_bound *prim_final; /* nfactors */
  int64_t prim_npoints;
  double *prim_x;      /* prim_npoints x nfactors: the sampled points */
  signed char *prim_y; /* prim_npoints: 1 holds, 0 not, -1 undefined */
};

/* Format the study's message; returns st. */
legation_status la_fail(legation_study *s, legation_status st, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Make the singleton groups of ungrouped factors (after the named ones). */
legation_status la_study_groups(legation_study *s);
/* Drop every result (before a new analysis). */
void la_study_clear(legation_study *s);
/* Map a point of the unit cube to natural units, factor by factor. */
void la_to_natural(const legation_study *s, const double *u, double *x);
/* Evaluate np points (natural units, row-major) reps times each, in calls
 * of at most about LA_EVAL_REPS replications (restored points are taken
 * from the restore instead; every block goes to the point sink), writing
 * each point's mean over its replications to means (np x noutputs) and
 * adding each point's within-point variance to noise_sum[o] (points with
 * two or more defined values; noise_n[o] counts them).  Advances and
 * reports progress; LEGATION_EINTR when the callback asks to stop. */
legation_status la_eval_points(legation_study *s, const double *x, int64_t np, double *means,
                               double *noise_sum, int64_t *noise_n);
/* Start an analysis of `planned` points in rows of per_row: the point
 * counter back to 0 (restored points are then taken first). */
void la_begin_points(legation_study *s, int64_t planned, int64_t per_row);
/* Drop the restored points (an analysis consumed them). */
void la_drop_cache(legation_study *s);
/* Base rows of per_row points to build per block: about 65536
 * replications (at least one row). */
int64_t la_block_points(const legation_study *s, int64_t per_row);
/* Replications per evaluator call: small enough that a block reaches the
 * point sink (the store's checkpoint) about every half second of a
 * scenario on two cores, large enough to keep the threads busy. */
#define LA_EVAL_REPS 4096


#endif
