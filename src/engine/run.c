/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * run.c - the engine: replications on a thread pool, results merged in a
 * fixed order so they are bit-identical for any number of threads.
 *
 * Replications are cut into blocks of a size that depends only on the
 * horizon.  Workers claim blocks, run them into a slot (Welford partials in
 * replication order, sketch codes, events), and the thread that called
 * legation_run_execute merges slots strictly in block order: Chan merges of
 * the partials, sketch counts, the event sink and progress.  A window of
 * slots bounds memory whatever the number of replications.
 */
#include <errno.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_qrng.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine/design.h"
#include "engine/rng.h"
#include "engine/stats.h"
#include "model/model.h"
#include "scenario/scenario.h"

/* ------------------------------------------------------------ tables */

static const legation_output_info outputs[] = {
#define X_(name, kind, side, unit, desc) {#name, unit, desc, (legation_output_kind)kind, side},
    LG_OUTPUTS(X_)
#undef X_
};
static const legation_series_info series[] = {
#define X_(name, side, unit, desc) {#name, unit, desc, side},
    LG_SERIES(X_)
#undef X_
};

int legation_output_count(void) { return LG_NOUT; }
const legation_output_info *legation_output_get(int i) { return i >= 0 && i < LG_NOUT ? &outputs[i] : NULL; }
int legation_output_find(const char *name) {
  for (int i = 0; name && i < LG_NOUT; i++)
    if (strcmp(outputs[i].name, name) == 0) return i;
  return -1;
}
int legation_series_count(void) { return LG_NSER; }
const legation_series_info *legation_series_get(int i) { return i >= 0 && i < LG_NSER ? &series[i] : NULL; }
int legation_series_find(const char *name) {
  for (int i = 0; name && i < LG_NSER; i++)
    if (strcmp(series[i].name, name) == 0) return i;
  return -1;
}

/* ------------------------------------------------------------ handle */

typedef struct slot {
  int state;            /* 0 free, 1 running, 2 done */
  int64_t block;
  int count;            /* replications in the block */
  lg_welford *w;        /* [nvals] partials in replication order */
  int32_t *codes;       /* [B][nvals] sketch codes */
  double *outs;         /* [B][nvar][LG_NOUT] outputs */
  lg_evbuf ev;          /* events of variant 0 */
  int status;           /* legation_status of the block */
  char err[400];        /* "variant V (name): " + the model's message */
} slot;

#define LG_MAX_VARIANTS 16

/*
 * Value layout (nvals doubles per replication): for each variant v,
 * LG_NOUT outputs then LG_NSER x months series values (per = LG_NOUT +
 * LG_NSER * months, at v * per); then for each variant v >= 1 the LG_NOUT
 * paired differences v - base (at nvar * per + (v - 1) * LG_NOUT).
 */
struct legation_run {
  legation_scenario *sc[LG_MAX_VARIANTS]; /* [0] base, then variants; owned */
  int nvar;
  int64_t reps, first;
  uint64_t seed;
  int threads, keep;
  legation_progress_fn progress;
  void *progress_user;
  legation_event_fn events;
  void *events_user;
  legation_rep_fn rep_sink;
  void *rep_user;
  /* results */
  int months, nvals, per;
  lg_welford *tot;      /* [nvals] */
  lg_sketch *sk;        /* [nvals] */
  double *rep_values;   /* [reps][LG_NOUT] of the base when keep */
  int64_t done;
  int restored;         /* results hold a checkpoint to continue from */
  double seconds;
  char err[512];
  /* pool state during execute */
  pthread_mutex_t mu;
  pthread_cond_t cv_work, cv_done;
  slot *slots;
  int nslots, block_size;
  int64_t nblocks, next_block, merged;
  int stop;
  /* per-replication parameters (docs/MODEL.md "Uncertainty") */
  int mode;              /* MODE_FIXED, MODE_VARY or MODE_POINTS */
  int nvary;
  int vkey[SC_MAX_KEYS]; /* expanded keys drawn or set per replication */
  int vall;              /* vary: every uncertain key of the base */
  int64_t rpw;           /* replications per world (vary) or per point */
  double *pts;           /* [npts][nvary] (points); owned */
  int64_t npts;
  int64_t nworlds;       /* worlds in the design (set by execute) */
  unsigned char vapply[LG_MAX_VARIANTS][SC_MAX_KEYS]; /* variant takes key j */
  /* per drawn key j, set by plan_apply so that the hot loop needs no
   * table lookups: byte offset of the field in lg_params, its type, the
   * LHS key, and per variant the range and mode drawn from */
  size_t voff[SC_MAX_KEYS];
  unsigned char vreal[SC_MAX_KEYS];
  int vtype[SC_MAX_KEYS];
  uint64_t vlhs[SC_MAX_KEYS];
  const sc_unc *vunc[LG_MAX_VARIANTS][SC_MAX_KEYS];
  double vmode[LG_MAX_VARIANTS][SC_MAX_KEYS];
  /* per-world statistics: LG_NOUT per variant, then the differences */
  int nw;
  lg_welford *wtot, *wcur; /* across worlds; the world being merged */
  lg_sketch *wsk;
  int64_t *wpos, *wneg;    /* worlds whose mean is > 0, < 0 */
  double *wm2;             /* pooled within-world sums of squares */
  int64_t *wdf;            /* and their degrees of freedom */
  legation_world_fn world_sink; /* each finished world or point */
  void *world_user;
  legation_stat *wrow;     /* [LG_NOUT] scratch for the sink */
  /* a sweep: the design the points are made from at execute */
  int sweep;                 /* 1 when legation_run_sweep set the design */
  legation_design design;
  int64_t sweep_points;
  legation_sweep_key skey[SC_MAX_KEYS]; /* key strings point to lg_param_fullkey */
  /* a sweep across a posterior (legation_run_sweep_posterior): the last
   * npost of the nvary keys are drawn per replication of a point, the
   * replication j = g mod rpw of every point taking posterior world j */
  int npost;
  double *ppts;          /* [rpw][npost]; owned */
};

enum { MODE_FIXED, MODE_VARY, MODE_POINTS };

/* Keys of a point (the stride of pts): the drawn keys less a sweep's
 * posterior keys. */
static int point_keys(const legation_run *r) { return r->nvary - r->npost; }

/* Forget a sweep's posterior (a new design replaces it). */
static void drop_posterior(legation_run *r) {
  r->nvary -= r->npost;
  free(r->ppts);
  r->ppts = NULL;
  r->npost = 0;
}

legation_run *legation_run_new(const legation_scenario *sc) {
  if (!sc) return NULL;
  lg_gsl_init();
  legation_run *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  r->sc[0] = legation_scenario_clone(sc);
  if (!r->sc[0]) {
    free(r);
    return NULL;
  }
  r->nvar = 1;
  r->reps = 1000;
  r->seed = 1;
  r->threads = 0;
  return r;
}

static void free_worlds(legation_run *r) {
  if (r->wsk)
    for (int i = 0; i < r->nw; i++) lg_sketch_free(&r->wsk[i]);
  free(r->wtot), free(r->wcur), free(r->wsk), free(r->wpos), free(r->wneg), free(r->wm2),
      free(r->wdf);
  r->wtot = r->wcur = NULL;
  r->wsk = NULL;
  r->wpos = r->wneg = r->wdf = NULL;
  r->wm2 = NULL;
}

static void free_results(legation_run *r) {
  free_worlds(r);
  if (r->sk)
    for (int i = 0; i < r->nvals; i++) lg_sketch_free(&r->sk[i]);
  free(r->sk);
  free(r->tot);
  free(r->rep_values);
  r->sk = NULL;
  r->tot = NULL;
  r->rep_values = NULL;
  r->done = 0;
  r->restored = 0;
}

void legation_run_free(legation_run *r) {
  if (r) free(r->pts), free(r->ppts), free(r->wrow);
  if (!r) return;
  free_results(r);
  for (int v = 0; v < r->nvar; v++) legation_scenario_free(r->sc[v]);
  free(r);
}

int legation_run_add_variant(legation_run *r, const legation_scenario *sc) {
  if (!r || !sc) return -1;
  if (r->nvar == LG_MAX_VARIANTS) {
    snprintf(r->err, sizeof r->err, "at most %d variants in one run", LG_MAX_VARIANTS - 1);
    return -1;
  }
  if (sc->p.horizon != r->sc[0]->p.horizon) {
    snprintf(r->err, sizeof r->err, "variant %s has horizon %d, the base %d: they must be equal",
             sc->name[0] ? sc->name : "(unnamed)", sc->p.horizon, r->sc[0]->p.horizon);
    return -1;
  }
  legation_scenario *c = legation_scenario_clone(sc);
  if (!c) {
    snprintf(r->err, sizeof r->err, "out of memory");
    return -1;
  }
  free_results(r);
  r->sc[r->nvar] = c;
  return r->nvar++;
}

int legation_run_variant_count(const legation_run *r) { return r ? r->nvar : 0; }
const legation_scenario *legation_run_variant_scenario(const legation_run *r, int v) {
  return r && v >= 0 && v < r->nvar ? r->sc[v] : NULL;
}
void legation_run_set_world_sink(legation_run *r, legation_world_fn fn, void *user) {
  if (!r) return;
  r->world_sink = fn;
  r->world_user = user;
}

void legation_run_set_rep_sink(legation_run *r, legation_rep_fn fn, void *user) {
  r->rep_sink = fn;
  r->rep_user = user;
}

legation_status legation_run_set_reps(legation_run *r, int64_t reps) {
  if (!r || reps < 1 || reps > ((int64_t)1 << 40)) return LEGATION_ERANGE;
  r->reps = reps;
  r->first = 0;
  return LEGATION_OK;
}
legation_status legation_run_set_range(legation_run *r, int64_t first, int64_t count) {
  if (!r || first < 0 || count < 1 || count > ((int64_t)1 << 40)) return LEGATION_ERANGE;
  r->first = first;
  r->reps = count;
  return LEGATION_OK;
}
legation_status legation_run_set_seed(legation_run *r, uint64_t seed) {
  if (!r) return LEGATION_EINVAL;
  r->seed = seed;
  return LEGATION_OK;
}
legation_status legation_run_set_threads(legation_run *r, int threads) {
  if (!r || threads < 0 || threads > 1024) return LEGATION_ERANGE;
  r->threads = threads;
  return LEGATION_OK;
}
legation_status legation_run_set_keep_reps(legation_run *r, int keep) {
  if (!r) return LEGATION_EINVAL;
  r->keep = keep != 0;
  return LEGATION_OK;
}
void legation_run_set_progress(legation_run *r, legation_progress_fn fn, void *user) {
  r->progress = fn;
  r->progress_user = user;
}
void legation_run_set_event_sink(legation_run *r, legation_event_fn fn, void *user) {
  r->events = fn;
  r->events_user = user;
}
/* ------------------------------------------------------------ uncertainty */

static int key_can_vary(legation_run *r, int i) {
  const lg_param_desc *d = lg_param_key(i, NULL, NULL, 0);
  if (d->type == LG_STRING || i >= SC_MAX_KEYS) {
    snprintf(r->err, sizeof r->err, "%s: a name cannot vary", lg_param_fullkey(i));
    return 0;
  }
  if (strcmp(d->key, "horizon") == 0) {
    snprintf(r->err, sizeof r->err, "horizon: cannot vary (every replication has the same months)");
    return 0;
  }
  return 1;
}

/* Expanded index of a parameter that may be drawn into *i; else the
 * message on the run and a status. */
static legation_status resolve_key(legation_run *r, const char *key, int *i) {
  *i = key ? lg_param_find(key) : -1;
  if (*i < 0) {
    snprintf(r->err, sizeof r->err, "%s: unknown parameter (see `legation params`)",
             key ? key : "(null)");
    return LEGATION_ENOTFOUND;
  }
  return key_can_vary(r, *i) ? LEGATION_OK : LEGATION_EINVAL;
}

legation_status legation_run_vary(legation_run *r, const char *const *keys, int nkeys) {
  if (!r || nkeys < 0 || (nkeys > 0 && !keys)) return LEGATION_EINVAL;
  r->err[0] = 0;
  int n = 0, vk[SC_MAX_KEYS];
  if (!keys) {
    for (int i = 0; i < lg_param_nkeys() && i < SC_MAX_KEYS; i++)
      if (sc_unc_varies(&r->sc[0]->unc[i]) && key_can_vary(r, i)) vk[n++] = i;
    r->err[0] = 0;
    if (n == 0) {
      snprintf(r->err, sizeof r->err, "%s: no parameter has a plausible range (range: or alternatives:)",
               r->sc[0]->name[0] ? r->sc[0]->name : "scenario");
      return LEGATION_EINVAL;
    }
  } else {
    for (int k = 0; k < nkeys; k++) {
      int i;
      legation_status ks = resolve_key(r, keys[k], &i);
      if (ks != LEGATION_OK) return ks;
      if (!sc_unc_varies(&r->sc[0]->unc[i])) {
        snprintf(r->err, sizeof r->err,
                 "%s: no plausible range in %s (give it {value, range: [lo, hi]} or alternatives)",
                 keys[k], r->sc[0]->name[0] ? r->sc[0]->name : "the scenario");
        return LEGATION_EINVAL;
      }
      int dup = 0;
      for (int j = 0; j < n; j++) dup |= vk[j] == i;
      if (!dup) vk[n++] = i;
    }
    if (n == 0) return LEGATION_EINVAL;
  }
  free(r->pts);
  r->pts = NULL;
  r->npts = 0;
  drop_posterior(r);
  r->mode = MODE_VARY;
  r->sweep = 0;
  r->vall = keys == NULL;
  r->nvary = n;
  memcpy(r->vkey, vk, (size_t)n * sizeof vk[0]);
  if (r->rpw < 1) r->rpw = 1;
  return LEGATION_OK;
}

legation_status legation_run_set_reps_per_world(legation_run *r, int64_t k) {
  if (!r || k < 1) return LEGATION_EINVAL;
  if (r->npost && k != r->rpw) {
    snprintf(r->err, sizeof r->err, "a posterior across a sweep has one world per replication");
    return LEGATION_EINVAL;
  }
  r->rpw = k;
  return LEGATION_OK;
}

/* The valid range of parameter d as a number: [min, max], 0..1 for a
 * flag, 0..choices-1 for an enum (its choice's index). */
static void valid_bounds(const lg_param_desc *d, double *lo, double *hi) {
  *lo = d->min, *hi = d->max;
  if (d->type == LG_BOOL) *lo = 0, *hi = 1;
  if (d->type == LG_ENUM) {
    int nc = 1;
    for (const char *c = d->choices; c && *c; c++) nc += *c == '|';
    *lo = 0, *hi = nc - 1;
  }
}

/* Whether x is a value expanded key i accepts (an integer for whole-number
 * parameters, within the table's bounds); else the message, naming point
 * (or world) q and key, on the run and LEGATION_ERANGE. */
static legation_status check_point_value(legation_run *r, int i, double x, const char *what,
                                         int64_t q, const char *key) {
  const lg_param_desc *d = lg_param_key(i, NULL, NULL, 0);
  int whole = d->type != LG_REAL;
  double lo, hi;
  valid_bounds(d, &lo, &hi);
  if (!isfinite(x) || x < lo || x > hi || (whole && x != floor(x))) {
    snprintf(r->err, sizeof r->err, "%s %lld: %s: expected %s in [%.15g, %.15g], found %.17g", what,
             (long long)q, key, whole ? "an integer" : "a number", lo, hi, x);
    return LEGATION_ERANGE;
  }
  return LEGATION_OK;
}

legation_status legation_run_set_points(legation_run *r, const char *const *keys, int nkeys,
                                        const double *values, int64_t npoints,
                                        int64_t reps_per_point) {
  if (!r || !keys || nkeys < 1 || nkeys > SC_MAX_KEYS || !values || npoints < 1 ||
      reps_per_point < 1 || npoints > INT64_MAX / reps_per_point)
    return LEGATION_EINVAL;
  r->err[0] = 0;
  int vk[SC_MAX_KEYS];
  for (int k = 0; k < nkeys; k++) {
    int i;
    legation_status ks = resolve_key(r, keys[k], &i);
    if (ks != LEGATION_OK) return ks;
    for (int j = 0; j < k; j++)
      if (vk[j] == i) {
        snprintf(r->err, sizeof r->err, "%s: given twice", keys[k]);
        return LEGATION_EINVAL;
      }
    vk[k] = i;
  }
  for (int64_t q = 0; q < npoints; q++)
    for (int k = 0; k < nkeys; k++) {
      legation_status vs = check_point_value(r, vk[k], values[q * nkeys + k], "point", q, keys[k]);
      if (vs != LEGATION_OK) return vs;
    }
  double *copy = malloc((size_t)npoints * (size_t)nkeys * sizeof *copy);
  if (!copy) return LEGATION_ENOMEM;
  memcpy(copy, values, (size_t)npoints * (size_t)nkeys * sizeof *copy);
  free(r->pts);
  drop_posterior(r);
  r->pts = copy;
  r->npts = npoints;
  r->mode = MODE_POINTS;
  r->sweep = 0;
  r->vall = 0;
  r->nvary = nkeys;
  memcpy(r->vkey, vk, (size_t)nkeys * sizeof vk[0]);
  r->rpw = reps_per_point;
  r->reps = npoints * reps_per_point;
  r->first = 0;
  return LEGATION_OK;
}

/* ------------------------------------------------------------ sweeps */

legation_status legation_run_sweep(legation_run *r, const legation_sweep_key *keys, int nkeys,
                                   legation_design design, int64_t npoints,
                                   int64_t reps_per_point) {
  if (!r || !keys || nkeys < 1 || nkeys > SC_MAX_KEYS || reps_per_point < 1) return LEGATION_EINVAL;
  r->err[0] = 0;
  if (design != LEGATION_DESIGN_GRID && design != LEGATION_DESIGN_LHS &&
      design != LEGATION_DESIGN_SOBOL) {
    snprintf(r->err, sizeof r->err, "unknown design %d", (int)design);
    return LEGATION_EINVAL;
  }
  if (design == LEGATION_DESIGN_SOBOL && nkeys > 40) {
    snprintf(r->err, sizeof r->err,
             "sobol design: at most 40 parameters (GSL's direction numbers), found %d; use lhs",
             nkeys);
    return LEGATION_EINVAL;
  }
  int64_t n = design == LEGATION_DESIGN_GRID ? 1 : npoints;
  if (n < 1) {
    snprintf(r->err, sizeof r->err, "expected at least 1 point, found %lld", (long long)npoints);
    return LEGATION_EINVAL;
  }
  for (int k = 0; k < nkeys; k++) {
    int i;
    legation_status ks = resolve_key(r, keys[k].key, &i);
    if (ks != LEGATION_OK) return ks;
    for (int j = 0; j < k; j++)
      if (lg_param_find(r->skey[j].key) == i) {
        snprintf(r->err, sizeof r->err, "%s: given twice", keys[k].key);
        return LEGATION_EINVAL;
      }
    const lg_param_desc *d = lg_param_key(i, NULL, NULL, 0);
    legation_sweep_key sk = keys[k];
    sk.key = lg_param_fullkey(i);
    if (isnan(sk.lo) || isnan(sk.hi)) {
      if (!sc_unc_varies(&r->sc[0]->unc[i]) || r->sc[0]->unc[i].nalt > 0) {
        snprintf(r->err, sizeof r->err, "%s: no numeric plausible range in the scenario; give LO:HI",
                 sk.key);
        return LEGATION_EINVAL;
      }
      sk.lo = sk.hi = NAN;
    } else {
      double lo, hi;
      valid_bounds(d, &lo, &hi);
      if (!(sk.lo <= sk.hi) || sk.lo < lo || sk.hi > hi ||
          (d->type != LG_REAL && (sk.lo != floor(sk.lo) || sk.hi != floor(sk.hi)))) {
        snprintf(r->err, sizeof r->err, "%s: expected LO <= HI within [%.15g, %.15g]%s, found %.15g:%.15g",
                 sk.key, lo, hi, d->type != LG_REAL ? " (whole numbers)" : "", sk.lo, sk.hi);
        return LEGATION_ERANGE;
      }
    }
    if (design == LEGATION_DESIGN_GRID) {
      if (sk.levels < 0 || sk.levels > 1000000) {
        snprintf(r->err, sizeof r->err, "%s: expected 1 to 1000000 levels, found %d", sk.key, sk.levels);
        return LEGATION_ERANGE;
      }
      if (sk.levels == 0) sk.levels = 5;
      if (n > INT64_MAX / sk.levels) return LEGATION_ERANGE;
      n *= sk.levels;
    }
    r->skey[k] = sk;
    r->vkey[k] = i;
  }
  if (n > INT64_MAX / reps_per_point || n * (int64_t)nkeys > (int64_t)1 << 31) {
    snprintf(r->err, sizeof r->err, "too many points (%lld)", (long long)n);
    return LEGATION_ERANGE;
  }
  free(r->pts);
  drop_posterior(r);
  r->pts = NULL;
  r->npts = n;
  r->sweep = 1;
  r->design = design;
  r->sweep_points = n;
  r->mode = MODE_POINTS;
  r->vall = 0;
  r->nvary = nkeys;
  r->rpw = reps_per_point;
  r->reps = n * reps_per_point;
  r->first = 0;
  return LEGATION_OK;
}

/* Coordinate u in [0, 1] of key k to a value: on [lo, hi] (integers and
 * choices rounded down to whole steps), or through the scenario's range. */
static double sweep_value(const legation_run *r, int k, double u) {
  const legation_sweep_key *sk = &r->skey[k];
  int i = r->vkey[k];
  const lg_param_desc *d = lg_param_key(i, NULL, NULL, 0);
  if (isnan(sk->lo))
    return sc_unc_quantile(&r->sc[0]->unc[i], d->type, lg_param_getd(&r->sc[0]->p, i), u);
  if (d->type == LG_REAL) return sk->lo + u * (sk->hi - sk->lo);
  double x = floor(sk->lo + u * (sk->hi - sk->lo + 1));
  return x > sk->hi ? sk->hi : x;
}

/* The points of the sweep design (at execute, with the run's seed). */
static int make_sweep_points(legation_run *r) {
  const int nk = point_keys(r);
  const int64_t n = r->sweep_points;
  double *pts = malloc((size_t)n * (size_t)nk * sizeof *pts);
  if (!pts) return -1;
  if (r->design == LEGATION_DESIGN_GRID) {
    for (int64_t q = 0; q < n; q++) {
      int64_t rest = q;
      for (int k = nk - 1; k >= 0; k--) { /* the last key varies fastest */
        int L = r->skey[k].levels, l = (int)(rest % L);
        rest /= L;
        const lg_param_desc *d = lg_param_key(r->vkey[k], NULL, NULL, 0);
        double u = L > 1 ? (double)l / (L - 1) : 0;
        double x;
        if (isnan(r->skey[k].lo))
          x = sweep_value(r, k, u);
        else if (d->type == LG_REAL)
          x = r->skey[k].lo + u * (r->skey[k].hi - r->skey[k].lo);
        else
          x = floor(r->skey[k].lo + u * (r->skey[k].hi - r->skey[k].lo) + 0.5);
        pts[(size_t)q * (size_t)nk + (size_t)k] = x;
      }
    }
  } else if (r->design == LEGATION_DESIGN_LHS) {
    for (int64_t q = 0; q < n; q++)
      for (int k = 0; k < nk; k++)
        pts[(size_t)q * (size_t)nk + (size_t)k] =
            sweep_value(r, k, lg_lhs(r->seed ^ 0x53574545ull, (uint32_t)r->vkey[k], (uint64_t)n, (uint64_t)q));
  } else {
    gsl_qrng *g = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)nk);
    if (!g) {
      free(pts);
      return -1;
    }
    double u[40];
    gsl_qrng_get(g, u); /* the first point is the corner (0, ..., 0): skipped */
    for (int64_t q = 0; q < n; q++) {
      gsl_qrng_get(g, u);
      for (int k = 0; k < nk; k++) pts[(size_t)q * (size_t)nk + (size_t)k] = sweep_value(r, k, u[k]);
    }
    gsl_qrng_free(g);
  }
  free(r->pts);
  r->pts = pts;
  return 0;
}

/* ------------------------------------------------------------ posteriors */

/* Systematic resampling of `worlds` worlds from a posterior's weighted
 * particles over keys (resolved into vk), keyed by the run's seed: world w
 * takes the particle whose cumulative weight first exceeds (w + u0) /
 * worlds; whole-number parameters are rounded half up.  *out: malloc'd
 * [worlds][nkeys].  A status, with the message on the run. */
static legation_status resample_posterior(legation_run *r, const char *const *keys, int nkeys,
                                          const double *values, const double *weights,
                                          int64_t nparticles, int64_t worlds, int *vk,
                                          double **out) {
  double tot = 0;
  for (int64_t i = 0; i < nparticles; i++) {
    if (!(weights[i] >= 0) || !isfinite(weights[i])) {
      snprintf(r->err, sizeof r->err, "particle %lld: a weight that is not a finite number >= 0",
               (long long)i);
      return LEGATION_ERANGE;
    }
    tot += weights[i];
  }
  if (!(tot > 0)) {
    snprintf(r->err, sizeof r->err, "the posterior's weights sum to 0");
    return LEGATION_ERANGE;
  }
  int whole[SC_MAX_KEYS];
  for (int k = 0; k < nkeys; k++) {
    legation_status ks = resolve_key(r, keys[k], &vk[k]);
    if (ks != LEGATION_OK) return ks;
    whole[k] = lg_param_key(vk[k], NULL, NULL, 0)->type != LG_REAL;
  }
  double *pts = malloc((size_t)worlds * (size_t)nkeys * sizeof *pts);
  if (!pts) return LEGATION_ENOMEM;
  double u0 = (double)(lg_hash4(r->seed, 0x9057e, 0, 0) >> 11) * 0x1p-53, acc = weights[0] / tot;
  int64_t i = 0;
  for (int64_t w = 0; w < worlds; w++) {
    double u = ((double)w + u0) / (double)worlds;
    while (acc <= u && i + 1 < nparticles) acc += weights[++i] / tot;
    for (int k = 0; k < nkeys; k++) {
      double x = values[(size_t)i * nkeys + k];
      pts[(size_t)w * nkeys + k] = whole[k] ? floor(x + 0.5) : x;
    }
  }
  *out = pts;
  return LEGATION_OK;
}

legation_status legation_run_set_posterior(legation_run *r, const char *const *keys, int nkeys,
                                           const double *values, const double *weights,
                                           int64_t nparticles, int64_t worlds,
                                           int64_t reps_per_world) {
  if (!r || !keys || nkeys < 1 || nkeys > SC_MAX_KEYS || !values || !weights || nparticles < 1 ||
      worlds < 1 || reps_per_world < 1)
    return LEGATION_EINVAL;
  r->err[0] = 0;
  int vk[SC_MAX_KEYS];
  double *pts = NULL;
  legation_status st =
      resample_posterior(r, keys, nkeys, values, weights, nparticles, worlds, vk, &pts);
  if (st != LEGATION_OK) return st;
  st = legation_run_set_points(r, keys, nkeys, pts, worlds, reps_per_world);
  free(pts);
  return st;
}

legation_status legation_run_sweep_posterior(legation_run *r, const char *const *keys, int nkeys,
                                             const double *values, const double *weights,
                                             int64_t nparticles) {
  if (!r || !keys || nkeys < 1 || nkeys > SC_MAX_KEYS || !values || !weights || nparticles < 1)
    return LEGATION_EINVAL;
  r->err[0] = 0;
  if (!r->sweep) {
    snprintf(r->err, sizeof r->err, "a posterior across a sweep needs the sweep first");
    return LEGATION_EINVAL;
  }
  drop_posterior(r);
  const int nsk = r->nvary;
  int64_t worlds = r->rpw;
  int vk[SC_MAX_KEYS];
  double *pts = NULL;
  legation_status st =
      resample_posterior(r, keys, nkeys, values, weights, nparticles, worlds, vk, &pts);
  if (st != LEGATION_OK) return st;
  /* the posterior's keys the sweep does not set, in the posterior's order */
  int take[SC_MAX_KEYS], nt = 0;
  for (int k = 0; k < nkeys; k++) {
    int dup = 0;
    for (int j = 0; j < nsk; j++) dup |= r->vkey[j] == vk[k];
    for (int j = 0; j < nt; j++) dup |= vk[take[j]] == vk[k];
    if (!dup) take[nt++] = k;
  }
  if (nt == 0 || nsk + nt > SC_MAX_KEYS) {
    free(pts);
    snprintf(r->err, sizeof r->err, nt ? "too many parameters" :
             "the sweep sets every parameter of the posterior: nothing is left to draw");
    return LEGATION_EINVAL;
  }
  double *pp = malloc((size_t)worlds * (size_t)nt * sizeof *pp);
  if (!pp) {
    free(pts);
    return LEGATION_ENOMEM;
  }
  for (int64_t w = 0; w < worlds; w++)
    for (int j = 0; j < nt; j++) {
      double x = pts[(size_t)w * nkeys + take[j]];
      st = check_point_value(r, vk[take[j]], x, "posterior world", w, keys[take[j]]);
      if (st != LEGATION_OK) {
        free(pts), free(pp);
        return st;
      }
      pp[(size_t)w * nt + j] = x;
    }
  free(pts);
  for (int j = 0; j < nt; j++) r->vkey[nsk + j] = vk[take[j]];
  r->ppts = pp;
  r->npost = nt;
  r->nvary = nsk + nt;
  return LEGATION_OK;
}

int legation_run_draws(const legation_run *r) {
  if (!r || r->mode == MODE_FIXED) return LEGATION_DRAWS_NONE;
  if (r->mode == MODE_VARY) return LEGATION_DRAWS_RANGES;
  return r->sweep ? LEGATION_DRAWS_SWEEP : LEGATION_DRAWS_POINTS;
}

int legation_run_vary_count(const legation_run *r) { return r && r->mode != MODE_FIXED ? r->nvary : 0; }
legation_status legation_run_sweep_spec(const legation_run *r, legation_design *design,
                                       int64_t *npoints, int *nkeys, const legation_sweep_key **keys) {
  if (!r || !r->sweep) return LEGATION_EINVAL;
  if (design) *design = r->design;
  if (npoints) *npoints = r->sweep_points;
  if (nkeys) *nkeys = point_keys(r);
  if (keys) *keys = r->skey;
  return LEGATION_OK;
}

const char *legation_run_vary_key(const legation_run *r, int j) {
  return r && r->mode != MODE_FIXED && j >= 0 && j < r->nvary ? lg_param_fullkey(r->vkey[j]) : NULL;
}
int64_t legation_run_reps_per_world(const legation_run *r) {
  return r && r->mode != MODE_FIXED ? r->rpw : 0;
}

/* Design size: worlds (vary) or points. */
static int64_t design_worlds(const legation_run *r) {
  if (r->mode == MODE_POINTS) return r->npts;
  int64_t total = r->first + r->reps;
  return (total + r->rpw - 1) / r->rpw;
}

/* Which variants take which drawn key: a variant keeps its own value (a
 * lever) where it sets the key to another value than the base without a
 * range of its own. */
static void plan_apply(legation_run *r) {
  memset(r->vapply, 0, sizeof r->vapply);
  for (int j = 0; j < r->nvary; j++) {
    int i = r->vkey[j];
    const lg_param_desc *d = lg_param_key(i, NULL, NULL, 0);
    r->voff[j] = (size_t)((char *)lg_param_ptr(&r->sc[0]->p, i) - (char *)&r->sc[0]->p);
    r->vreal[j] = d->type == LG_REAL;
    r->vtype[j] = d->type;
    r->vlhs[j] = lg_hash4(r->seed, (uint64_t)i, 0x1a7e5, 0);
  }
  for (int v = 0; v < r->nvar; v++)
    for (int j = 0; j < r->nvary; j++) {
      int i = r->vkey[j];
      const legation_scenario *sv = r->sc[v];
      r->vapply[v][j] =
          v == 0 || sv->unc[i].has || lg_param_getd(&sv->p, i) == lg_param_getd(&r->sc[0]->p, i);
      r->vunc[v][j] = sv->unc[i].has ? &sv->unc[i] : &r->sc[0]->unc[i];
      r->vmode[v][j] = lg_param_getd(&sv->p, i);
    }
}

/* Value of drawn key j for variant v in replication g (plan_apply first). */
static double drawn(const legation_run *r, int v, int j, int64_t g) {
  const int nk = point_keys(r);
  if (r->mode == MODE_POINTS && j >= nk)
    return r->ppts[(size_t)(g % r->rpw) * (size_t)r->npost + (size_t)(j - nk)];
  if (r->mode == MODE_POINTS) return r->pts[(size_t)(g / r->rpw) * (size_t)nk + (size_t)j];
  double q = lg_lhs_keyed(r->seed, r->vlhs[j], (uint32_t)r->vkey[j], (uint64_t)r->nworlds,
                          (uint64_t)(g / r->rpw));
  return sc_unc_quantile(r->vunc[v][j], r->vtype[j], r->vmode[v][j], q);
}


/* Parameters of variant v for replication g into p (a copy of the
 * variant's own). */
/* The drawn values of one world for every variant, kept by a worker: the
 * replications of a world (or point) reuse them. */
typedef struct world_cache {
  int64_t world;                            /* -1: none yet */
  double val[LG_MAX_VARIANTS][SC_MAX_KEYS];
} world_cache;

static void apply_params(const legation_run *r, world_cache *c, int v, int64_t g, lg_params *p) {
  int64_t w = r->npost ? g : g / r->rpw; /* a posterior across a sweep: a world per replication */
  if (c->world != w) {
    for (int u = 0; u < r->nvar; u++)
      for (int j = 0; j < r->nvary; j++)
        if (r->vapply[u][j]) c->val[u][j] = drawn(r, u, j, g);
    c->world = w;
  }
  char *base = (char *)p;
  for (int j = 0; j < r->nvary; j++) {
    if (!r->vapply[v][j]) continue;
    if (r->vreal[j])
      *(double *)(base + r->voff[j]) = c->val[v][j];
    else
      *(int *)(base + r->voff[j]) = (int)c->val[v][j];
  }
}

legation_status legation_run_rep_param(const legation_run *r, int v, int64_t rep, const char *key,
                                       double *out) {
  if (!r || !key || !out || v < 0 || v >= r->nvar) return LEGATION_EINVAL;
  int i = lg_param_find(key);
  if (i < 0) return LEGATION_ENOTFOUND;
  *out = lg_param_getd(&r->sc[v]->p, i);
  if (r->mode == MODE_FIXED) return LEGATION_OK;
  if (rep < 0 || rep >= r->first + r->reps) return LEGATION_ENOTFOUND;
  legation_run *m = (legation_run *)r; /* plan, points and design size are pure functions of the setup */
  if (r->sweep && !r->pts && make_sweep_points(m) != 0) return LEGATION_ENOMEM;
  m->nworlds = design_worlds(r);
  plan_apply(m);
  for (int j = 0; j < r->nvary; j++)
    if (r->vkey[j] == i && r->vapply[v][j]) *out = drawn(r, v, j, rep);
  return LEGATION_OK;
}

/* Range of expanded key i over the worlds of variant v: [lo, hi]. */
static void span(const legation_run *r, int v, int i, double *lo, double *hi) {
  *lo = *hi = lg_param_getd(&r->sc[v]->p, i);
  for (int j = 0; j < r->nvary; j++) {
    if (r->vkey[j] != i || !r->vapply[v][j]) continue;
    if (r->mode == MODE_POINTS) {
      const int nk = point_keys(r), post = j >= nk;
      for (int64_t q = 0; q < (post ? r->rpw : r->npts); q++) {
        double x = post ? r->ppts[(size_t)q * (size_t)r->npost + (size_t)(j - nk)]
                        : r->pts[(size_t)q * (size_t)nk + (size_t)j];
        if (x < *lo) *lo = x;
        if (x > *hi) *hi = x;
      }
    } else {
      const sc_unc *u = r->sc[v]->unc[i].has ? &r->sc[v]->unc[i] : &r->sc[0]->unc[i];
      const lg_param_desc *d = lg_param_key(i, NULL, NULL, 0);
      *lo = sc_unc_quantile(u, d->type, *lo, 0);
      *hi = sc_unc_quantile(u, d->type, *hi, 1);
    }
  }
}

/* The cross-field rules that drawn values could break (officers <= staff,
 * floor <= cap), checked for the worst world before any replication. */
static double point_value(const legation_run *r, int v, int64_t q, int64_t pw, int i) {
  const int nk = point_keys(r);
  for (int j = 0; j < r->nvary; j++)
    if (r->vkey[j] == i && r->vapply[v][j])
      return j < nk ? r->pts[(size_t)q * (size_t)nk + (size_t)j]
                    : r->ppts[(size_t)pw * (size_t)r->npost + (size_t)(j - nk)];
  return lg_param_getd(&r->sc[v]->p, i);
}

static int check_design(legation_run *r) {
  static const char *const pairs[2][2] = {{"officers", "staff"}, {"floor", "cap"}};
  if (r->mode == MODE_POINTS) {
    /* with a posterior across a sweep, every point with every world */
    const int64_t npw = r->npost ? r->rpw : 1;
    for (int64_t q = 0; q < r->npts; q++)
      for (int64_t pw = 0; pw < npw; pw++)
        for (int v = 0; v < r->nvar; v++)
          for (int s = 0; s < 2; s++)
            for (int k = 0; k < 2; k++) {
              char a[64], b[64];
              snprintf(a, sizeof a, "missions.%c.%s", 'a' + s, pairs[k][0]);
              snprintf(b, sizeof b, "missions.%c.%s", 'a' + s, pairs[k][1]);
              double x = point_value(r, v, q, pw, lg_param_find(a)),
                     y = point_value(r, v, q, pw, lg_param_find(b));
              if (x > y) {
                if (r->npost)
                  snprintf(r->err, sizeof r->err,
                           "point %lld, posterior world %lld: %s (%.15g) above %s (%.15g)",
                           (long long)q, (long long)pw, a, x, b, y);
                else
                  snprintf(r->err, sizeof r->err, "point %lld: %s (%.15g) above %s (%.15g)",
                           (long long)q, a, x, b, y);
                return -1;
              }
            }
    return 0;
  }
  for (int v = 0; v < r->nvar; v++)
    for (int s = 0; s < 2; s++)
      for (int k = 0; k < 2; k++) {
        char a[64], b[64];
        snprintf(a, sizeof a, "missions.%c.%s", 'a' + s, pairs[k][0]);
        snprintf(b, sizeof b, "missions.%c.%s", 'a' + s, pairs[k][1]);
        double alo, ahi, blo, bhi;
        span(r, v, lg_param_find(a), &alo, &ahi);
        span(r, v, lg_param_find(b), &blo, &bhi);
        if (ahi > blo) {
          snprintf(r->err, sizeof r->err,
                   "%s%s%s: the ranges allow %s up to %.15g above %s down to %.15g; narrow them",
                   v ? "variant " : "", v ? r->sc[v]->name : "", v ? ": " : "", a, ahi, b, blo);
          return -1;
        }
      }
  return 0;
}

const char *legation_run_errmsg(const legation_run *r) { return r ? r->err : "no run"; }
int64_t legation_run_reps_done(const legation_run *r) { return r ? r->done : 0; }
double legation_run_seconds(const legation_run *r) { return r ? r->seconds : 0; }
uint64_t legation_run_seed(const legation_run *r) { return r ? r->seed : 0; }
const legation_scenario *legation_run_scenario(const legation_run *r) { return r ? r->sc[0] : NULL; }
int legation_run_months(const legation_run *r) { return r ? r->sc[0]->p.horizon : 0; }

/* ------------------------------------------------------------ blocks */

static int block_size_for(int months) {
  int b = months <= 64 ? 64 : 4096 / months;
  return b < 4 ? 4 : b;
}

static void slot_free(slot *s) {
  free(s->w);
  free(s->codes);
  free(s->outs);
  free(s->ev.v);
  memset(s, 0, sizeof *s);
}

static int slot_alloc(legation_run *r, slot *s) {
  memset(s, 0, sizeof *s);
  s->w = malloc((size_t)r->nvals * sizeof *s->w);
  s->codes = malloc((size_t)r->block_size * (size_t)r->nvals * sizeof *s->codes);
  s->outs = malloc((size_t)r->block_size * (size_t)r->nvar * LG_NOUT * sizeof *s->outs);
  s->ev.enabled = r->events != NULL;
  if (!s->w || !s->codes || !s->outs) return -1;
  return 0;
}

/* Run block b into slot s with worlds w[0..nvar). */
static void run_block(legation_run *r, lg_world *w, world_cache *wc, slot *s, int64_t b) {
  const int T = r->months, nv = r->nvals, per = r->per, nvar = r->nvar;
  int64_t rep0 = r->first + b * r->block_size;
  int64_t left = r->first + r->reps - rep0;
  int count = left < r->block_size ? (int)left : r->block_size;
  s->block = b;
  s->count = count;
  s->ev.n = 0;
  s->ev.oom = 0;
  s->status = LEGATION_OK;
  for (int i = 0; i < nv; i++) lg_welford_reset(&s->w[i]);
  for (int k = 0; k < count; k++) {
    int32_t *c = s->codes + (size_t)k * nv;
    double *outs = s->outs + (size_t)k * nvar * LG_NOUT;
    for (int v = 0; v < nvar; v++) {
      int64_t g = rep0 + k, stream = g;
      if (r->mode != MODE_FIXED) {
        apply_params(r, wc, v, g, (lg_params *)w[v].p);
        if (r->mode == MODE_POINTS) stream = g % r->rpw; /* common random numbers across points */
        if (lg_world_prepare(&w[v]) != 0) {
          s->status = LEGATION_ENOMEM;
          snprintf(s->err, sizeof s->err, "%s", w[v].err);
          s->count = k;
          return;
        }
      }
      if (lg_world_run(&w[v], r->seed, stream, v == 0 ? &s->ev : NULL) != 0) {
        s->status = v == 0 && s->ev.oom ? LEGATION_ENOMEM : LEGATION_ERUNTIME;
        if (nvar > 1)
          snprintf(s->err, sizeof s->err, "variant %d (%s): %s", v, r->sc[v]->name, w[v].err);
        else
          snprintf(s->err, sizeof s->err, "%s", w[v].err);
        s->count = k;
        return;
      }
      lg_welford *wv = s->w + (size_t)v * per;
      int32_t *cv = c + (size_t)v * per;
      for (int i = 0; i < LG_NOUT; i++) {
        lg_welford_add(&wv[i], w[v].out[i]);
        cv[i] = lg_sketch_code(w[v].out[i]);
      }
      const double *sr = w[v].series;
      for (int i = 0; i < LG_NSER * T; i++) {
        lg_welford_add(&wv[LG_NOUT + i], sr[i]);
        cv[LG_NOUT + i] = lg_sketch_code(sr[i]);
      }
      memcpy(outs + (size_t)v * LG_NOUT, w[v].out, sizeof w[v].out);
    }
    for (int v = 1; v < nvar; v++) {
      lg_welford *wd = s->w + (size_t)nvar * per + (size_t)(v - 1) * LG_NOUT;
      int32_t *cd = c + (size_t)nvar * per + (size_t)(v - 1) * LG_NOUT;
      for (int i = 0; i < LG_NOUT; i++) {
        double d = outs[(size_t)v * LG_NOUT + i] - outs[i];
        lg_welford_add(&wd[i], d);
        cd[i] = lg_sketch_code(d);
      }
    }
  }
}

/* Add replication g's outputs (all variants) to the world being merged;
 * when g ends its world (or the run), the world's means join the
 * across-world statistics.  0, or -1 on OOM. */
static int add_world(legation_run *r, int64_t g, const double *outs) {
  const int nvar = r->nvar;
  for (int v = 0; v < nvar; v++)
    for (int i = 0; i < LG_NOUT; i++) lg_welford_add(&r->wcur[v * LG_NOUT + i], outs[v * LG_NOUT + i]);
  for (int v = 1; v < nvar; v++)
    for (int i = 0; i < LG_NOUT; i++)
      lg_welford_add(&r->wcur[(nvar + v - 1) * LG_NOUT + i], outs[v * LG_NOUT + i] - outs[i]);
  int64_t end = r->first + r->reps;
  if ((g + 1) % r->rpw != 0 && g + 1 != end) return 0;
  if (r->world_sink) {
    if (!r->wrow && !(r->wrow = malloc(LG_NOUT * sizeof *r->wrow))) return -1;
    for (int v = 0; v < 2 * nvar - 1; v++) {
      for (int i = 0; i < LG_NOUT; i++) {
        const lg_welford *c = &r->wcur[v * LG_NOUT + i];
        legation_stat *o = &r->wrow[i];
        memset(o, 0, sizeof *o);
        o->n = c->n;
        o->mean = c->n ? c->mean : NAN;
        o->sd = lg_welford_sd(c);
        o->min = c->n ? c->min : NAN;
        o->max = c->n ? c->max : NAN;
        double half = c->n > 1 ? gsl_cdf_tdist_Pinv(0.975, (double)(c->n - 1)) * o->sd / sqrt((double)c->n) : NAN;
        o->lo = o->mean - half;
        o->hi = o->mean + half;
        o->q05 = o->q25 = o->q50 = o->q75 = o->q95 = NAN;
      }
      legation_world_result res = {g / r->rpw, v < nvar ? v : v - nvar + 1, v >= nvar, LG_NOUT,
                                   r->wrow};
      if (r->world_sink(r->world_user, &res)) return 1;
    }
  }
  for (int k = 0; k < r->nw; k++) {
    lg_welford *c = &r->wcur[k];
    if (c->n > 0) {
      lg_welford_add(&r->wtot[k], c->mean);
      if (lg_sketch_add(&r->wsk[k], lg_sketch_code(c->mean)) != 0) return -1;
      r->wpos[k] += c->mean > 0;
      r->wneg[k] += c->mean < 0;
      r->wm2[k] += c->m2;
      r->wdf[k] += c->n - 1;
    }
    lg_welford_reset(c);
  }
  return 0;
}

/* Merge slot s (the next block in order) into the totals and deliver its
 * events.  Returns a legation_status. */
static int merge_block(legation_run *r, slot *s) {
  const int nv = r->nvals;
  if (s->status != LEGATION_OK && s->count == 0) {
    snprintf(r->err, sizeof r->err, "%s", s->err);
    return s->status;
  }
  for (int i = 0; i < nv; i++) lg_welford_merge(&r->tot[i], &s->w[i]);
  for (int k = 0; k < s->count; k++) {
    const int32_t *c = s->codes + (size_t)k * nv;
    for (int i = 0; i < nv; i++)
      if (lg_sketch_add(&r->sk[i], c[i]) != 0) {
        snprintf(r->err, sizeof r->err, "out of memory in the quantile sketch");
        return LEGATION_ENOMEM;
      }
  }
  int64_t base = s->block * r->block_size;
  for (int k = 0; k < s->count; k++) {
    const double *outs = s->outs + (size_t)k * r->nvar * LG_NOUT;
    int wst = r->nw ? add_world(r, r->first + base + k, outs) : 0;
    if (wst < 0) {
      snprintf(r->err, sizeof r->err, "out of memory in the quantile sketch");
      return LEGATION_ENOMEM;
    }
    if (wst > 0) {
      r->done += s->count;
      snprintf(r->err, sizeof r->err, "stopped by the world sink");
      return LEGATION_EINTR;
    }
    if (r->keep) memcpy(r->rep_values + (size_t)(base + k) * LG_NOUT, outs, LG_NOUT * sizeof(double));
    if (r->rep_sink)
      for (int v = 0; v < r->nvar; v++)
        if (r->rep_sink(r->rep_user, r->first + base + k, v, outs + (size_t)v * LG_NOUT, LG_NOUT)) {
          r->done += s->count;
          snprintf(r->err, sizeof r->err, "stopped by the replication sink");
          return LEGATION_EINTR;
        }
  }
  r->done += s->count;
  if (r->events) {
    const lg_params *p = &r->sc[0]->p;
    for (size_t e = 0; e < s->ev.n; e++) {
      const lg_ev *x = &s->ev.v[e];
      legation_event ev = {x->rep, x->month, p->st[x->actor].name, p->st[1 - x->actor].name,
                           lg_event_action_names[x->action], x->persons, x->officers,
                           lg_event_reason_names[x->reason], x->chain};
      if (r->events(r->events_user, &ev)) {
        snprintf(r->err, sizeof r->err, "stopped by the event sink");
        return LEGATION_EINTR;
      }
    }
  }
  if (s->status != LEGATION_OK) {
    snprintf(r->err, sizeof r->err, "%s", s->err);
    return s->status;
  }
  return LEGATION_OK;
}

typedef struct worker {
  legation_run *r;
  pthread_t tid;
  lg_world w[LG_MAX_VARIANTS];
  lg_params p[LG_MAX_VARIANTS]; /* per-replication parameters (not fixed mode) */
  world_cache wc;               /* the drawn values of the world in hand */
  int ok;            /* worlds initialised */
} worker;

static void *worker_main(void *arg) {
  worker *wk = arg;
  legation_run *r = wk->r;
  for (;;) {
    pthread_mutex_lock(&r->mu);
    while (!r->stop && r->next_block < r->nblocks && r->next_block >= r->merged + r->nslots)
      pthread_cond_wait(&r->cv_work, &r->mu);
    if (r->stop || r->next_block >= r->nblocks) {
      pthread_mutex_unlock(&r->mu);
      return NULL;
    }
    int64_t b = r->next_block++;
    slot *s = &r->slots[b % r->nslots];
    s->state = 1;
    pthread_mutex_unlock(&r->mu);
    run_block(r, wk->w, &wk->wc, s, b);
    pthread_mutex_lock(&r->mu);
    s->state = 2;
    pthread_cond_broadcast(&r->cv_done);
    pthread_mutex_unlock(&r->mu);
  }
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Sizes of the result arrays for the current scenarios. */
static void layout(legation_run *r) {
  r->months = r->sc[0]->p.horizon;
  r->per = LG_NOUT + LG_NSER * r->months;
  r->nvals = r->nvar * r->per + (r->nvar - 1) * LG_NOUT;
  r->block_size = block_size_for(r->months);
  r->nw = r->mode == MODE_FIXED ? 0 : (2 * r->nvar - 1) * LG_NOUT;
}

static int alloc_results(legation_run *r) {
  r->tot = malloc((size_t)r->nvals * sizeof *r->tot);
  r->sk = calloc((size_t)r->nvals, sizeof *r->sk);
  if (r->keep) {
    r->rep_values = malloc((size_t)r->reps * LG_NOUT * sizeof(double));
    if (r->rep_values)
      for (int64_t i = 0; i < r->reps * LG_NOUT; i++) r->rep_values[i] = NAN;
  }
  if (!r->tot || !r->sk || (r->keep && !r->rep_values)) {
    free_results(r);
    return -1;
  }
  for (int i = 0; i < r->nvals; i++) lg_welford_reset(&r->tot[i]);
  if (r->nw) {
    size_t n = (size_t)r->nw;
    r->wtot = malloc(n * sizeof *r->wtot);
    r->wcur = malloc(n * sizeof *r->wcur);
    r->wsk = calloc(n, sizeof *r->wsk);
    r->wpos = calloc(n, sizeof *r->wpos);
    r->wneg = calloc(n, sizeof *r->wneg);
    r->wm2 = calloc(n, sizeof *r->wm2);
    r->wdf = calloc(n, sizeof *r->wdf);
    if (!r->wtot || !r->wcur || !r->wsk || !r->wpos || !r->wneg || !r->wm2 || !r->wdf) {
      free_results(r);
      return -1;
    }
    for (size_t i = 0; i < n; i++) lg_welford_reset(&r->wtot[i]), lg_welford_reset(&r->wcur[i]);
  }
  return 0;
}

legation_status legation_run_execute(legation_run *r) {
  if (!r) return LEGATION_EINVAL;
  double t0 = now();
  r->err[0] = 0;
  for (int v = 0; v < r->nvar; v++)
    if (legation_scenario_validate(r->sc[v]) != LEGATION_OK) {
      snprintf(r->err, sizeof r->err, "%s", legation_scenario_errmsg(r->sc[v]));
      if (!r->restored) free_results(r);
      return LEGATION_ESCHEMA;
    }
  if (r->mode != MODE_FIXED) {
    if (r->mode == MODE_POINTS && r->reps != r->npts * r->rpw) {
      snprintf(r->err, sizeof r->err, "replications (%lld) differ from points x replications per point",
               (long long)r->reps);
      return LEGATION_EINVAL;
    }
    if (r->sweep && make_sweep_points(r) != 0) {
      snprintf(r->err, sizeof r->err, "out of memory for the sweep's points");
      return LEGATION_ENOMEM;
    }
    r->nworlds = design_worlds(r);
    plan_apply(r);
    if (check_design(r) != 0) {
      if (!r->restored) free_results(r);
      return LEGATION_ESCHEMA;
    }
  }
  layout(r);
  int64_t b0 = 0;
  if (r->restored) {
    b0 = r->done / r->block_size; /* checkpoints are taken at block ends */
    r->restored = 0;
  } else {
    free_results(r);
    if (alloc_results(r) != 0) {
      snprintf(r->err, sizeof r->err, "out of memory for results");
      return LEGATION_ENOMEM;
    }
  }
  r->nblocks = (r->reps + r->block_size - 1) / r->block_size;
  int threads = r->threads;
  if (threads == 0) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    threads = n > 0 ? (int)n : 1;
  }
  if (threads > r->nblocks - b0) threads = (int)(r->nblocks - b0);
  if (threads < 1) threads = 1;

  legation_status st = LEGATION_OK;
  r->nslots = threads == 1 ? 1 : 2 * threads + 2;
  r->slots = calloc((size_t)r->nslots, sizeof *r->slots);
  worker *wk = calloc((size_t)threads, sizeof *wk);
  if (!r->slots || !wk) {
    st = LEGATION_ENOMEM;
    goto out;
  }
  for (int i = 0; i < r->nslots; i++)
    if (slot_alloc(r, &r->slots[i]) != 0) {
      st = LEGATION_ENOMEM;
      goto out;
    }
  for (int i = 0; i < threads; i++) {
    wk[i].r = r;
    for (int v = 0; v < r->nvar; v++) {
      wk[i].p[v] = r->sc[v]->p;
      wk[i].wc.world = -1;
      if (lg_world_init(&wk[i].w[v], r->mode == MODE_FIXED ? &r->sc[v]->p : &wk[i].p[v]) != 0) {
        st = LEGATION_ENOMEM;
        goto out;
      }
      wk[i].ok = v + 1;
    }
  }
  r->next_block = r->merged = b0;
  r->stop = 0;

  if (threads == 1) {
    /* single thread: run and merge inline, no pool */
    for (int64_t b = b0; b < r->nblocks && st == LEGATION_OK; b++) {
      run_block(r, wk[0].w, &wk[0].wc, &r->slots[0], b);
      st = merge_block(r, &r->slots[0]);
      if (st == LEGATION_OK && r->progress && r->progress(r->progress_user, r->done, r->reps)) {
        st = LEGATION_EINTR;
        snprintf(r->err, sizeof r->err, "stopped after %lld of %lld replications", (long long)r->done,
                 (long long)r->reps);
      }
    }
    goto out;
  }

  pthread_mutex_init(&r->mu, NULL);
  pthread_cond_init(&r->cv_work, NULL);
  pthread_cond_init(&r->cv_done, NULL);
  int started = 0;
  for (int i = 0; i < threads; i++, started++)
    if (pthread_create(&wk[i].tid, NULL, worker_main, &wk[i]) != 0) break;
  if (started == 0) st = LEGATION_EINTERNAL, snprintf(r->err, sizeof r->err, "cannot start threads");
  for (int64_t b = b0; b < r->nblocks && st == LEGATION_OK; b++) {
    slot *s = &r->slots[b % r->nslots];
    pthread_mutex_lock(&r->mu);
    while (!(s->state == 2 && s->block == b)) pthread_cond_wait(&r->cv_done, &r->mu);
    pthread_mutex_unlock(&r->mu);
    st = merge_block(r, s);
    pthread_mutex_lock(&r->mu);
    s->state = 0;
    r->merged++;
    pthread_cond_broadcast(&r->cv_work);
    pthread_mutex_unlock(&r->mu);
    if (st == LEGATION_OK && r->progress && r->progress(r->progress_user, r->done, r->reps)) {
      st = LEGATION_EINTR;
      snprintf(r->err, sizeof r->err, "stopped after %lld of %lld replications", (long long)r->done,
               (long long)r->reps);
    }
  }
  pthread_mutex_lock(&r->mu);
  r->stop = 1;
  pthread_cond_broadcast(&r->cv_work);
  pthread_mutex_unlock(&r->mu);
  for (int i = 0; i < started; i++) pthread_join(wk[i].tid, NULL);
  pthread_mutex_destroy(&r->mu);
  pthread_cond_destroy(&r->cv_work);
  pthread_cond_destroy(&r->cv_done);

out:
  if (st == LEGATION_ENOMEM && !r->err[0]) snprintf(r->err, sizeof r->err, "out of memory");
  if (wk)
    for (int i = 0; i < threads; i++)
      for (int v = 0; v < wk[i].ok; v++) lg_world_free(&wk[i].w[v]);
  free(wk);
  if (r->slots)
    for (int i = 0; i < r->nslots; i++) slot_free(&r->slots[i]);
  free(r->slots);
  r->slots = NULL;
  r->seconds = now() - t0;
  if (st != LEGATION_OK && st != LEGATION_EINTR && r->done == 0) free_results(r);
  return st;
}

/* ------------------------------------------------------------ results */

static void fill_stat(const lg_welford *w, const lg_sketch *sk, int prob, legation_stat *o) {
  memset(o, 0, sizeof *o);
  o->n = w->n;
  if (w->n == 0) {
    o->mean = o->sd = o->lo = o->hi = o->min = o->max = NAN;
    o->q05 = o->q25 = o->q50 = o->q75 = o->q95 = NAN;
    return;
  }
  o->mean = w->mean;
  o->sd = lg_welford_sd(w);
  o->min = w->min;
  o->max = w->max;
  if (prob) {
    legation_wilson(round(w->mean * (double)w->n), (double)w->n, 1.959963984540054, &o->lo, &o->hi);
  } else if (w->n > 1) {
    double t = gsl_cdf_tdist_Pinv(0.975, (double)(w->n - 1));
    double half = t * o->sd / sqrt((double)w->n);
    o->lo = o->mean - half;
    o->hi = o->mean + half;
  } else {
    o->lo = o->hi = o->mean;
  }
  static const double qs[5] = {0.05, 0.25, 0.50, 0.75, 0.95};
  double q[5];
  lg_sketch_quantiles(sk, qs, 5, q);
  o->q05 = q[0];
  o->q25 = q[1];
  o->q50 = q[2];
  o->q75 = q[3];
  o->q95 = q[4];
}

legation_status legation_run_variant_stat(const legation_run *r, int v, int i, legation_stat *out) {
  if (!r || !out || i < 0 || i >= LG_NOUT || v < 0 || v >= r->nvar) return LEGATION_ENOTFOUND;
  if (!r->tot) return LEGATION_EINVAL;
  size_t k = (size_t)v * r->per + (size_t)i;
  fill_stat(&r->tot[k], &r->sk[k], outputs[i].kind == LEGATION_OUT_PROB, out);
  return LEGATION_OK;
}

legation_status legation_run_stat(const legation_run *r, int i, legation_stat *out) {
  return legation_run_variant_stat(r, 0, i, out);
}

legation_status legation_run_variant_series_stat(const legation_run *r, int v, int s, int month,
                                                 legation_stat *out) {
  if (!r || !out || s < 0 || s >= LG_NSER || month < 1 || month > r->months || v < 0 || v >= r->nvar)
    return LEGATION_ENOTFOUND;
  if (!r->tot) return LEGATION_EINVAL;
  size_t k = (size_t)v * r->per + LG_NOUT + (size_t)s * r->months + (size_t)(month - 1);
  fill_stat(&r->tot[k], &r->sk[k], 0, out);
  return LEGATION_OK;
}

legation_status legation_run_series_stat(const legation_run *r, int s, int month, legation_stat *out) {
  return legation_run_variant_series_stat(r, 0, s, month, out);
}

legation_status legation_run_diff(const legation_run *r, int v, int i, legation_diff *out) {
  if (!r || !out || i < 0 || i >= LG_NOUT || v < 1 || v >= r->nvar) return LEGATION_ENOTFOUND;
  if (!r->tot) return LEGATION_EINVAL;
  size_t k = (size_t)r->nvar * r->per + (size_t)(v - 1) * LG_NOUT + (size_t)i;
  memset(out, 0, sizeof *out);
  fill_stat(&r->tot[k], &r->sk[k], 0, &out->paired);
  /* independent runs: var(a - b) = var a / n + var b / n */
  const lg_welford *a = &r->tot[(size_t)v * r->per + (size_t)i], *b = &r->tot[(size_t)i];
  double se = sqrt(lg_welford_sd(a) * lg_welford_sd(a) / (double)(a->n ? a->n : 1) +
                   lg_welford_sd(b) * lg_welford_sd(b) / (double)(b->n ? b->n : 1));
  double t = r->tot[k].n > 1 ? gsl_cdf_tdist_Pinv(0.975, (double)(r->tot[k].n - 1)) : 0;
  out->indep_lo = (a->mean - b->mean) - t * se;
  out->indep_hi = (a->mean - b->mean) + t * se;
  double pw = out->paired.hi - out->paired.lo;
  out->narrowing = pw > 0 ? (out->indep_hi - out->indep_lo) / pw : NAN;
  return LEGATION_OK;
}


static legation_status world_stat(const legation_run *r, size_t k, legation_world_stat *out) {
  memset(out, 0, sizeof *out);
  fill_stat(&r->wtot[k], &r->wsk[k], 0, &out->across);
  out->worlds = r->wtot[k].n;
  out->reps_per_world = r->rpw;
  out->above = r->wpos[k];
  out->below = r->wneg[k];
  double noise_var = r->wdf[k] > 0 ? r->wm2[k] / (double)r->wdf[k] : NAN;
  out->noise_sd = sqrt(noise_var);
  double between = out->across.sd * out->across.sd - (r->rpw > 1 ? noise_var / (double)r->rpw : NAN);
  out->world_sd = isnan(between) ? NAN : sqrt(between > 0 ? between : 0);
  /* Monte Carlo noise alone: the interval the mean would have if every
   * world were the same */
  int64_t n = r->wdf[k] + r->wtot[k].n;
  double half = n > 1 && r->wdf[k] > 0 ? 1.959963984540054 * out->noise_sd / sqrt((double)n) : NAN;
  out->noise_lo = out->across.mean - half;
  out->noise_hi = out->across.mean + half;
  return LEGATION_OK;
}

legation_status legation_run_world_stat(const legation_run *r, int v, int i, legation_world_stat *out) {
  if (!r || !out || i < 0 || i >= LG_NOUT || v < 0 || v >= r->nvar) return LEGATION_ENOTFOUND;
  if (!r->wtot) return LEGATION_EINVAL;
  return world_stat(r, (size_t)v * LG_NOUT + (size_t)i, out);
}

legation_status legation_run_world_diff(const legation_run *r, int v, int i, legation_world_stat *out) {
  if (!r || !out || i < 0 || i >= LG_NOUT || v < 1 || v >= r->nvar) return LEGATION_ENOTFOUND;
  if (!r->wtot) return LEGATION_EINVAL;
  return world_stat(r, (size_t)(r->nvar + v - 1) * LG_NOUT + (size_t)i, out);
}

legation_status legation_run_rep_value(const legation_run *r, int64_t rep, int output, double *out) {
  if (!r || !out || output < 0 || output >= LG_NOUT) return LEGATION_ENOTFOUND;
  if (!r->rep_values) return LEGATION_EINVAL;
  int64_t k = rep - r->first;
  if (k < 0 || k >= r->done) return LEGATION_ENOTFOUND;
  *out = r->rep_values[(size_t)k * LG_NOUT + (size_t)output];
  return LEGATION_OK;
}

/* ------------------------------------------------------------ checkpoints */

/* Fingerprint of what determines the results: seed, replication range and
 * every parameter and deal step of every variant, as text (FNV-1a 64). */
static uint64_t fnv(uint64_t h, const void *p, size_t n) {
  const unsigned char *c = p;
  for (size_t i = 0; i < n; i++) h = (h ^ c[i]) * 1099511628211ull;
  return h;
}

static uint64_t fingerprint(const legation_run *r) {
  uint64_t h = 14695981039346656037ull;
  int64_t head[4] = {(int64_t)r->seed, r->reps, r->first, r->nvar};
  h = fnv(h, head, sizeof head);
  char buf[128];
  if (r->mode != MODE_FIXED) {
    int64_t d[3] = {r->mode, r->rpw, r->nvary};
    h = fnv(h, d, sizeof d);
    h = fnv(h, r->vkey, (size_t)r->nvary * sizeof r->vkey[0]);
    if (r->sweep) {
      int64_t sw[2] = {r->design, r->sweep_points};
      h = fnv(h, sw, sizeof sw);
      for (int k = 0; k < point_keys(r); k++) {
        snprintf(buf, sizeof buf, "%.17g|%.17g|%d", r->skey[k].lo, r->skey[k].hi, r->skey[k].levels);
        h = fnv(h, buf, strlen(buf) + 1);
      }
      if (r->npost) h = fnv(h, r->ppts, (size_t)r->rpw * (size_t)r->npost * sizeof *r->ppts);
    } else if (r->pts) {
      h = fnv(h, r->pts, (size_t)r->npts * (size_t)r->nvary * sizeof *r->pts);
    }
    for (int v = 0; v < r->nvar; v++)
      for (int j = 0; j < r->nvary; j++) {
        const sc_unc *u = &r->sc[v]->unc[r->vkey[j]];
        snprintf(buf, sizeof buf, "%d|%d|%.17g|%.17g|%d", u->has, u->dist, u->lo, u->hi, u->nalt);
        h = fnv(h, buf, strlen(buf) + 1);
        for (int k = 0; k < u->nalt; k++) {
          snprintf(buf, sizeof buf, "%d|%.17g", u->alt[k], u->w[k]);
          h = fnv(h, buf, strlen(buf) + 1);
        }
      }
  }
  for (int v = 0; v < r->nvar; v++) {
    const lg_params *p = &r->sc[v]->p;
    for (int i = 0; i < lg_param_nkeys(); i++) {
      lg_param_format(p, i, buf, sizeof buf);
      h = fnv(h, buf, strlen(buf) + 1);
    }
    for (int s = 0; s < 2; s++)
      for (int k = 0; k < p->ms[s].n_posts; k++) {
        const lg_post *q = &p->ms[s].posts[k];
        snprintf(buf, sizeof buf, "%s|%.17g|%d", q->name, q->reach, q->open);
        h = fnv(h, buf, strlen(buf) + 1);
      }
    for (int k = 0; k < p->n_deal; k++) {
      const lg_deal_step *d = &p->deal[k];
      snprintf(buf, sizeof buf, "%d|%d|%d|%.17g|%s|%.17g|%.17g", d->month, d->action, d->target,
               d->value, d->post, d->r_min, d->p_min);
      h = fnv(h, buf, strlen(buf) + 1);
    }
  }
  return h;
}

#define CK_MAGIC 0x4b43474cu /* "LGCK" */
#define CK_VERSION 1u

typedef struct ck_head {
  uint32_t magic, version;
  uint64_t fingerprint;
  int64_t done;
  int32_t nvals, months;
} ck_head;

static unsigned char *put_sketches(unsigned char *p, const lg_sketch *sk, size_t n) {
  for (size_t i = 0; i < n; i++) {
    const lg_sketch *s = &sk[i];
    memcpy(p, &s->lo, sizeof s->lo), p += sizeof s->lo;
    memcpy(p, &s->len, sizeof s->len), p += sizeof s->len;
    memcpy(p, &s->n, sizeof s->n), p += sizeof s->n;
    if (s->len) memcpy(p, s->counts, (size_t)s->len * sizeof(uint32_t));
    p += (size_t)s->len * sizeof(uint32_t);
  }
  return p;
}

/* Read n sketches into sk (zeroed); returns the new position, NULL when
 * the buffer is short or damaged, or (unsigned char *)1 on OOM. */
static const unsigned char *get_sketches(const unsigned char *p, const unsigned char *end,
                                         lg_sketch *sk, size_t n, int *oom) {
  for (size_t i = 0; i < n; i++) {
    lg_sketch *s = &sk[i];
    int32_t lo, n32;
    int64_t cnt;
    if ((size_t)(end - p) < 2 * sizeof(int32_t) + sizeof(int64_t)) return NULL;
    memcpy(&lo, p, sizeof lo), p += sizeof lo;
    memcpy(&n32, p, sizeof n32), p += sizeof n32;
    memcpy(&cnt, p, sizeof cnt), p += sizeof cnt;
    if (n32 < 0 || lo < 0 || (size_t)(end - p) < (size_t)n32 * sizeof(uint32_t)) return NULL;
    if (n32) {
      s->counts = malloc((size_t)n32 * sizeof(uint32_t));
      if (!s->counts) {
        *oom = 1;
        return NULL;
      }
      memcpy(s->counts, p, (size_t)n32 * sizeof(uint32_t));
    }
    p += (size_t)n32 * sizeof(uint32_t);
    s->lo = lo;
    s->len = n32;
    s->n = cnt;
  }
  return p;
}

legation_status legation_run_checkpoint(const legation_run *r, void **buf, size_t *len) {
  if (!r || !buf || !len) return LEGATION_EINVAL;
  *buf = NULL;
  *len = 0;
  if (!r->tot) return LEGATION_EINVAL;
  const size_t nw = (size_t)r->nw;
  size_t n = sizeof(ck_head) + (size_t)r->nvals * sizeof(lg_welford);
  for (int i = 0; i < r->nvals; i++) n += 2 * sizeof(int32_t) + sizeof(int64_t) + (size_t)r->sk[i].len * sizeof(uint32_t);
  if (nw) {
    n += nw * (2 * sizeof(lg_welford) + 3 * sizeof(int64_t) + sizeof(double));
    for (size_t i = 0; i < nw; i++) n += 2 * sizeof(int32_t) + sizeof(int64_t) + (size_t)r->wsk[i].len * sizeof(uint32_t);
  }
  unsigned char *b = malloc(n), *p = b;
  if (!b) return LEGATION_ENOMEM;
  ck_head h = {CK_MAGIC, nw ? 2u : CK_VERSION, fingerprint(r), r->done, r->nvals, r->months};
  memcpy(p, &h, sizeof h);
  p += sizeof h;
  memcpy(p, r->tot, (size_t)r->nvals * sizeof(lg_welford));
  p += (size_t)r->nvals * sizeof(lg_welford);
  p = put_sketches(p, r->sk, (size_t)r->nvals);
  if (nw) {
    memcpy(p, r->wtot, nw * sizeof(lg_welford)), p += nw * sizeof(lg_welford);
    memcpy(p, r->wcur, nw * sizeof(lg_welford)), p += nw * sizeof(lg_welford);
    memcpy(p, r->wpos, nw * sizeof(int64_t)), p += nw * sizeof(int64_t);
    memcpy(p, r->wneg, nw * sizeof(int64_t)), p += nw * sizeof(int64_t);
    memcpy(p, r->wdf, nw * sizeof(int64_t)), p += nw * sizeof(int64_t);
    memcpy(p, r->wm2, nw * sizeof(double)), p += nw * sizeof(double);
    p = put_sketches(p, r->wsk, nw);
  }
  *buf = b;
  *len = n;
  return LEGATION_OK;
}

legation_status legation_run_restore(legation_run *r, const void *buf, size_t len) {
  if (!r || !buf) return LEGATION_EINVAL;
  const unsigned char *p = buf, *end = p + len;
  ck_head h;
  if (len < sizeof h) goto bad;
  memcpy(&h, p, sizeof h);
  p += sizeof h;
  layout(r);
  const size_t nw = (size_t)r->nw;
  if (h.magic != CK_MAGIC || h.version != (nw ? 2u : CK_VERSION)) goto bad;
  if (h.fingerprint != fingerprint(r) || h.nvals != r->nvals || h.months != r->months) {
    snprintf(r->err, sizeof r->err,
             "checkpoint does not match this run (scenario, seed or replications differ)");
    return LEGATION_EINVAL;
  }
  if (h.done < 0 || h.done > r->reps || (h.done % r->block_size && h.done != r->reps)) goto bad;
  free_results(r);
  if (alloc_results(r) != 0) {
    snprintf(r->err, sizeof r->err, "out of memory");
    return LEGATION_ENOMEM;
  }
  if ((size_t)(end - p) < (size_t)r->nvals * sizeof(lg_welford)) goto bad_free;
  memcpy(r->tot, p, (size_t)r->nvals * sizeof(lg_welford));
  p += (size_t)r->nvals * sizeof(lg_welford);
  int oom = 0;
  p = get_sketches(p, end, r->sk, (size_t)r->nvals, &oom);
  if (!p) goto fail;
  if (nw) {
    size_t need = nw * (2 * sizeof(lg_welford) + 3 * sizeof(int64_t) + sizeof(double));
    if ((size_t)(end - p) < need) goto bad_free;
    memcpy(r->wtot, p, nw * sizeof(lg_welford)), p += nw * sizeof(lg_welford);
    memcpy(r->wcur, p, nw * sizeof(lg_welford)), p += nw * sizeof(lg_welford);
    memcpy(r->wpos, p, nw * sizeof(int64_t)), p += nw * sizeof(int64_t);
    memcpy(r->wneg, p, nw * sizeof(int64_t)), p += nw * sizeof(int64_t);
    memcpy(r->wdf, p, nw * sizeof(int64_t)), p += nw * sizeof(int64_t);
    memcpy(r->wm2, p, nw * sizeof(double)), p += nw * sizeof(double);
    p = get_sketches(p, end, r->wsk, nw, &oom);
    if (!p) goto fail;
  }
  if (p != end) goto bad_free;
  r->done = h.done;
  r->restored = 1;
  return LEGATION_OK;
fail:
  if (oom) {
    free_results(r);
    return LEGATION_ENOMEM;
  }
bad_free:
  free_results(r);
bad:
  snprintf(r->err, sizeof r->err, "checkpoint is damaged or from another version");
  return LEGATION_EINVAL;
}
