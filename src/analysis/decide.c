/* SPDX-License-Identifier: GPL-3.0-or-later */
/* decide.c - the numerics of a decision under uncertainty (lg_dec_):
 * replications needed for a stated accuracy (Hoeffding, empirical
 * Bernstein), robust-choice statistics and the value of information (EVPI;
 * EVPPI by Strong, Oakley & Brennan's regression with an additive P-spline
 * smoother and a bootstrap interval), and the noisy optimiser (NLopt's
 * COBYLA under common random numbers, candidates re-evaluated on fresh
 * seeds).  Formulas and references: docs/DECISIONS.md. */
#include <gsl/gsl_bspline.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <nlopt.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/game.h"
#include "engine/rng.h"

/* ---------------------------------------------------------- sample sizes */

int64_t legation_reps_hoeffding(double h, double delta, double range) {
  if (!(h > 0) || !(range > 0) || !(delta > 0) || !(delta < 1) || !isfinite(h) ||
      !isfinite(range))
    return -1;
  double n = ceil(range * range * log(2 / delta) / (2 * h * h));
  return n > 1e15 ? -1 : (int64_t)(n < 1 ? 1 : n);
}

static double bernstein_halfwidth(double n, double delta, double range, double var) {
  double l = log(4 / delta);
  return sqrt(2 * var * l / n) + 7 * range * l / (3 * (n - 1));
}

int64_t legation_reps_bernstein(double h, double delta, double range, double var) {
  if (!(h > 0) || !(range > 0) || !(delta > 0) || !(delta < 1) || !(var >= 0) || !isfinite(h) ||
      !isfinite(range) || !isfinite(var))
    return -1;
  double hi = 2;
  while (bernstein_halfwidth(hi, delta, range, var) > h) {
    hi *= 2;
    if (hi > 1e15) return -1;
  }
  double lo = hi / 2 < 2 ? 2 : hi / 2; /* bound(lo) > h unless lo == 2 */
  if (bernstein_halfwidth(lo, delta, range, var) <= h) return (int64_t)lo;
  while (hi - lo > 1) {
    double mid = floor((lo + hi) / 2);
    if (bernstein_halfwidth(mid, delta, range, var) <= h)
      hi = mid;
    else
      lo = mid;
  }
  return (int64_t)hi;
}

/* ---------------------------------------------------- robust-choice table */

static int cmp_d(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

legation_status legation_voi_options(const double *u, int W, int K, legation_voi_option *out,
                                     double *evpi) {
  if (!u || !out || W < 2 || K < 1) return LEGATION_EINVAL;
  for (long i = 0; i < (long)W * K; i++)
    if (!isfinite(u[i])) return LEGATION_ERANGE;
  double *col = malloc(sizeof(double) * W);
  if (!col) return LEGATION_ENOMEM;
  double emax = 0;
  for (int k = 0; k < K; k++) out[k] = (legation_voi_option){0};
  for (int w = 0; w < W; w++) {
    const double *r = u + (size_t)w * K;
    double best = r[0];
    int nb = 0;
    for (int k = 1; k < K; k++)
      if (r[k] > best) best = r[k];
    for (int k = 0; k < K; k++) nb += r[k] == best;
    emax += best;
    for (int k = 0; k < K; k++) {
      double reg = best - r[k];
      out[k].mean += r[k];
      out[k].mean_regret += reg;
      if (reg > out[k].max_regret) out[k].max_regret = reg;
      if (r[k] == best) out[k].share_best += 1.0 / nb;
    }
  }
  double maxmean = -INFINITY;
  for (int k = 0; k < K; k++) {
    out[k].mean /= W;
    out[k].mean_regret /= W;
    out[k].share_best /= W;
    if (out[k].mean > maxmean) maxmean = out[k].mean;
    for (int w = 0; w < W; w++) col[w] = u[(size_t)w * K + k];
    qsort(col, W, sizeof(double), cmp_d);
    /* type-7 quantile (R's default) at 0.05 */
    double pos = 0.05 * (W - 1);
    int lo = (int)floor(pos);
    double fr = pos - lo;
    out[k].q05 = col[lo] + (lo + 1 < W ? fr * (col[lo + 1] - col[lo]) : 0);
  }
  free(col);
  if (evpi) {
    double e = emax / W - maxmean;
    *evpi = e < 0 ? 0 : e;
  }
  return LEGATION_OK;
}

/* ------------------------------------------------------------- EVPPI */

#define NB 10 /* cubic B-spline basis functions per parameter */

/* Additive P-spline design: column 0 the intercept, then NB columns per
 * parameter (equally spaced knots over its range, Eilers & Marx 1996). */
typedef struct design {
  int W, d, ncols;
  double *X;   /* W x d */
  double *P;   /* d x d penalty (second differences, block diagonal) */
} design;

static int make_design(design *D, const double *theta, int W, int P, const int *cols,
                       int ncols) {
  D->W = W;
  D->ncols = ncols;
  D->d = 1 + NB * ncols;
  D->X = calloc((size_t)W * D->d, sizeof(double));
  D->P = calloc((size_t)D->d * D->d, sizeof(double));
  gsl_bspline_workspace *bw = gsl_bspline_alloc(4, NB - 2);
  gsl_vector *B = gsl_vector_alloc(NB);
  if (!D->X || !D->P || !bw || !B) {
    if (bw) gsl_bspline_free(bw);
    if (B) gsl_vector_free(B);
    return -1;
  }
  for (int w = 0; w < W; w++) D->X[(size_t)w * D->d] = 1;
  for (int c = 0; c < ncols; c++) {
    double lo = INFINITY, hi = -INFINITY;
    for (int w = 0; w < W; w++) {
      double t = theta[(size_t)w * P + cols[c]];
      if (t < lo) lo = t;
      if (t > hi) hi = t;
    }
    int off = 1 + NB * c;
    if (hi > lo) {
      gsl_bspline_knots_uniform(lo, hi, bw);
      for (int w = 0; w < W; w++) {
        double t = theta[(size_t)w * P + cols[c]];
        gsl_bspline_eval(t, B, bw);
        for (int b = 0; b < NB; b++) D->X[(size_t)w * D->d + off + b] = gsl_vector_get(B, b);
      }
    } /* a constant parameter carries no information: zero columns */
    /* P = D2' D2 on this block */
    for (int r = 0; r + 2 < NB; r++) {
      double dv[3] = {1, -2, 1};
      for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++) D->P[(size_t)(off + r + a) * D->d + off + r + b] += dv[a] * dv[b];
    }
  }
  gsl_bspline_free(bw);
  gsl_vector_free(B);
  return 0;
}

/* Penalised least squares on rows idx[0..W) of the design: fitted values in
 * fit[W].  lambda < 0: choose it by GCV over a grid (written back). */
static int pspline_fit(const design *D, const int *idx, const double *y, double *lambda,
                       double *fit) {
  int d = D->d, W = D->W;
  gsl_matrix *XtX = gsl_matrix_calloc(d, d), *A = gsl_matrix_alloc(d, d);
  gsl_vector *Xty = gsl_vector_calloc(d), *beta = gsl_vector_alloc(d);
  gsl_permutation *perm = gsl_permutation_alloc(d);
  gsl_matrix *Ainv = gsl_matrix_alloc(d, d);
  if (!XtX || !A || !Xty || !beta || !perm || !Ainv) {
    gsl_matrix_free(XtX);
    gsl_matrix_free(A);
    gsl_vector_free(Xty);
    gsl_vector_free(beta);
    gsl_permutation_free(perm);
    gsl_matrix_free(Ainv);
    return -1;
  }
  for (int w = 0; w < W; w++) {
    const double *x = D->X + (size_t)idx[w] * d;
    double yw = y[idx[w]];
    for (int a = 0; a < d; a++) {
      if (x[a] == 0) continue;
      *gsl_vector_ptr(Xty, a) += x[a] * yw;
      for (int b = 0; b < d; b++) *gsl_matrix_ptr(XtX, a, b) += x[a] * x[b];
    }
  }
  double tr = 0;
  for (int a = 0; a < d; a++) tr += gsl_matrix_get(XtX, a, a);
  double ridge = 1e-10 * (tr > 0 ? tr : 1) / d;
  double grid_lo = -6, grid_hi = 6;
  double best_l = *lambda, best_gcv = INFINITY;
  int ngrid = *lambda < 0 ? 25 : 1;
  for (int g = 0; g < ngrid; g++) {
    double lam = *lambda < 0 ? pow(10, grid_lo + (grid_hi - grid_lo) * g / (ngrid - 1)) * tr / d
                             : *lambda;
    for (int a = 0; a < d; a++)
      for (int b = 0; b < d; b++)
        gsl_matrix_set(A, a, b,
                       gsl_matrix_get(XtX, a, b) + lam * D->P[(size_t)a * d + b] +
                           (a == b ? ridge : 0));
    int sg;
    if (gsl_linalg_LU_decomp(A, perm, &sg) || gsl_linalg_LU_solve(A, perm, Xty, beta)) continue;
    double rss = 0;
    for (int w = 0; w < W; w++) {
      const double *x = D->X + (size_t)idx[w] * d;
      double f = 0;
      for (int a = 0; a < d; a++) f += x[a] * gsl_vector_get(beta, a);
      fit[w] = f;
      rss += (y[idx[w]] - f) * (y[idx[w]] - f);
    }
    if (ngrid == 1) {
      best_l = lam;
      break;
    }
    /* effective degrees of freedom tr((X'X + lam P)^-1 X'X) */
    gsl_linalg_LU_invert(A, perm, Ainv);
    double edf = 0;
    for (int a = 0; a < d; a++)
      for (int b = 0; b < d; b++) edf += gsl_matrix_get(Ainv, a, b) * gsl_matrix_get(XtX, b, a);
    double den = W - edf;
    double gcv = den > 0.5 ? W * rss / (den * den) : INFINITY;
    if (gcv < best_gcv) {
      best_gcv = gcv;
      best_l = lam;
    }
  }
  int rc = 0;
  if (ngrid > 1) {
    *lambda = best_l;
    rc = pspline_fit(D, idx, y, lambda, fit);
  }
  gsl_matrix_free(XtX);
  gsl_matrix_free(A);
  gsl_vector_free(Xty);
  gsl_vector_free(beta);
  gsl_permutation_free(perm);
  gsl_matrix_free(Ainv);
  return rc;
}

/* EVPPI from fitted incremental benefits g[k*W + w] (k = 1..K-1). */
static double evppi_of(const double *g, int W, int K) {
  double emax = 0, maxmean = 0; /* option 0's increment is 0 */
  for (int w = 0; w < W; w++) {
    double b = 0;
    for (int k = 1; k < K; k++)
      if (g[(size_t)k * W + w] > b) b = g[(size_t)k * W + w];
    emax += b;
  }
  for (int k = 1; k < K; k++) {
    double s = 0;
    for (int w = 0; w < W; w++) s += g[(size_t)k * W + w];
    if (s / W > maxmean) maxmean = s / W;
  }
  double e = emax / W - maxmean;
  return e < 0 ? 0 : e;
}

legation_status legation_voi_evppi(const double *u, int W, int K, const double *theta, int P,
                                   const int *cols, int ncols, int boot, uint64_t seed,
                                   double *evppi, double *lo, double *hi) {
  if (!u || !theta || !cols || !evppi || W < 20 || K < 1 || P < 1 || ncols < 1 || ncols > P ||
      boot < 0)
    return LEGATION_EINVAL;
  for (int c = 0; c < ncols; c++)
    if (cols[c] < 0 || cols[c] >= P) return LEGATION_EINVAL;
  lg_gsl_init(); /* GSL must never abort (engine/rng.c) */
  if (K == 1) {
    *evppi = 0;
    if (lo) *lo = 0;
    if (hi) *hi = 0;
    return LEGATION_OK;
  }
  design D = {0};
  legation_status st = LEGATION_OK;
  double *y = malloc(sizeof(double) * (size_t)W * K);
  double *g = malloc(sizeof(double) * (size_t)W * K);
  int *idx = malloc(sizeof(int) * W);
  double *lam = malloc(sizeof(double) * K);
  double *bs = malloc(sizeof(double) * (boot ? boot : 1));
  if (!y || !g || !idx || !lam || !bs || make_design(&D, theta, W, P, cols, ncols)) {
    st = LEGATION_ENOMEM;
    goto out;
  }
  /* incremental benefit of option k over option 0 */
  for (int k = 1; k < K; k++)
    for (int w = 0; w < W; w++)
      y[(size_t)k * W + w] = u[(size_t)w * K + k] - u[(size_t)w * K];
  for (int w = 0; w < W; w++) idx[w] = w;
  for (int k = 1; k < K; k++) {
    lam[k] = -1;
    if (pspline_fit(&D, idx, y + (size_t)k * W, &lam[k], g + (size_t)k * W)) {
      st = LEGATION_ENOMEM;
      goto out;
    }
  }
  *evppi = evppi_of(g, W, K);
  if (lo) *lo = *evppi;
  if (hi) *hi = *evppi;
  if (boot > 0) {
    lg_rng r;
    lg_rng_seed(&r, seed, 0, 0x766f69u);
    for (int b = 0; b < boot; b++) {
      for (int w = 0; w < W; w++) idx[w] = (int)lg_rng_below(&r, (uint32_t)W);
      for (int k = 1; k < K; k++) {
        /* y indexed by world; the fit reads y[idx[w]] */
        if (pspline_fit(&D, idx, y + (size_t)k * W, &lam[k], g + (size_t)k * W)) {
          st = LEGATION_ENOMEM;
          goto out;
        }
      }
      bs[b] = evppi_of(g, W, K);
    }
    qsort(bs, boot, sizeof(double), cmp_d);
    if (lo) *lo = bs[(int)floor(0.025 * (boot - 1))];
    if (hi) *hi = bs[(int)ceil(0.975 * (boot - 1))];
  }
out:
  free(D.X);
  free(D.P);
  free(y);
  free(g);
  free(idx);
  free(lam);
  free(bs);
  return st;
}

/* ------------------------------------------------------------ optimiser */

typedef struct opt_ctx {
  legation_noisy_fn fn;
  void *user;
  int n, m;
  int64_t reps;
  uint64_t seed;
  int stopped;
  /* cache: COBYLA asks for f and c at the same x separately */
  double *cx, cf, *cc;
  int cached;
  /* history of evaluated points */
  int count, cap;
  double *hx, *hf, *hc; /* hc = max constraint */
} opt_ctx;

static int ctx_eval(opt_ctx *o, const double *x) {
  if (o->cached && memcmp(o->cx, x, sizeof(double) * o->n) == 0) return 0;
  if (o->fn(x, o->n, o->seed, o->reps, &o->cf, o->cc, o->m, o->user)) {
    o->stopped = 1;
    return -1;
  }
  memcpy(o->cx, x, sizeof(double) * o->n);
  o->cached = 1;
  if (o->count == o->cap) {
    int cap = o->cap ? o->cap * 2 : 64;
    double *nx = realloc(o->hx, sizeof(double) * cap * o->n);
    if (nx) o->hx = nx;
    double *nf = realloc(o->hf, sizeof(double) * cap);
    if (nf) o->hf = nf;
    double *nc = realloc(o->hc, sizeof(double) * cap);
    if (nc) o->hc = nc;
    if (!nx || !nf || !nc) return 0; /* history full: keep searching */
    o->cap = cap;
  }
  double cm = -INFINITY;
  for (int j = 0; j < o->m; j++)
    if (o->cc[j] > cm) cm = o->cc[j];
  memcpy(o->hx + (size_t)o->count * o->n, x, sizeof(double) * o->n);
  o->hf[o->count] = o->cf;
  o->hc[o->count] = o->m ? cm : 0;
  o->count++;
  return 0;
}

static double nl_obj(unsigned n, const double *x, double *grad, void *data) {
  opt_ctx *o = data;
  (void)n;
  (void)grad;
  if (ctx_eval(o, x)) return HUGE_VAL;
  return o->cf;
}

static void nl_cons(unsigned m, double *result, unsigned n, const double *x, double *grad,
                    void *data) {
  opt_ctx *o = data;
  (void)n;
  (void)grad;
  if (ctx_eval(o, x)) {
    for (unsigned j = 0; j < m; j++) result[j] = HUGE_VAL;
    return;
  }
  memcpy(result, o->cc, sizeof(double) * m);
}

legation_status legation_optimize(legation_noisy_fn fn, void *user, int n, const double *lo,
                                  const double *hi, int m, double *x, int64_t reps, uint64_t seed,
                                  int max_evals, int candidates, int fresh,
                                  legation_opt_result *out, const char **errmsg) {
  static const char *const bad = "optimize: bad arguments (need n >= 1, lo < hi, x in the box, "
                                 "reps >= 1, max_evals >= 1, candidates >= 1, fresh >= 2)";
  if (errmsg) *errmsg = NULL;
  if (!fn || !lo || !hi || !x || !out || n < 1 || n > 64 || m < 0 || m > 64 || reps < 1 ||
      max_evals < 1 || candidates < 1 || fresh < 2) {
    if (errmsg) *errmsg = bad;
    return LEGATION_EINVAL;
  }
  for (int i = 0; i < n; i++)
    if (!(lo[i] < hi[i]) || !(x[i] >= lo[i]) || !(x[i] <= hi[i])) {
      if (errmsg) *errmsg = bad;
      return LEGATION_EINVAL;
    }
  opt_ctx o = {.fn = fn, .user = user, .n = n, .m = m, .reps = reps, .seed = seed};
  o.cx = malloc(sizeof(double) * n);
  o.cc = malloc(sizeof(double) * (m ? m : 1));
  double *tol = malloc(sizeof(double) * (m ? m : 1));
  double *step = malloc(sizeof(double) * n);
  nlopt_opt opt = nlopt_create(NLOPT_LN_COBYLA, (unsigned)n);
  legation_status st = LEGATION_OK;
  double *cf = NULL, *cs = NULL, *cmax = NULL, *fv = NULL, *cv = NULL;
  int *order = NULL;
  if (!o.cx || !o.cc || !tol || !step || !opt) {
    st = LEGATION_ENOMEM;
    goto done;
  }
  for (int j = 0; j < m; j++) tol[j] = 0;
  for (int i = 0; i < n; i++) step[i] = 0.25 * (hi[i] - lo[i]);
  nlopt_set_lower_bounds(opt, lo);
  nlopt_set_upper_bounds(opt, hi);
  nlopt_set_min_objective(opt, nl_obj, &o);
  if (m) nlopt_add_inequality_mconstraint(opt, (unsigned)m, nl_cons, &o, tol);
  nlopt_set_initial_step(opt, step);
  nlopt_set_xtol_rel(opt, 1e-4);
  nlopt_set_maxeval(opt, max_evals);
  double fmin;
  double *xs = malloc(sizeof(double) * n);
  if (!xs) {
    st = LEGATION_ENOMEM;
    goto done;
  }
  memcpy(xs, x, sizeof(double) * n);
  nlopt_result r = nlopt_optimize(opt, xs, &fmin);
  free(xs);
  if (o.stopped) {
    st = LEGATION_EINTR;
    if (errmsg) *errmsg = "optimize: stopped by the objective";
    goto done;
  }
  if (r < 0 && r != NLOPT_ROUNDOFF_LIMITED) {
    st = LEGATION_EINTERNAL;
    if (errmsg) *errmsg = "optimize: NLopt failed (COBYLA)";
    goto done;
  }
  if (!o.count) {
    st = LEGATION_EINTERNAL;
    if (errmsg) *errmsg = "optimize: no point evaluated";
    goto done;
  }
  /* rank the history: feasible (c <= 0) by f, then infeasible by c */
  order = malloc(sizeof(int) * o.count);
  if (!order) {
    st = LEGATION_ENOMEM;
    goto done;
  }
  for (int i = 0; i < o.count; i++) order[i] = i;
  for (int a = 1; a < o.count; a++) {
    int v = order[a], b = a - 1;
    while (b >= 0) {
      int u = order[b];
      int fu = o.hc[u] <= 0, fvv = o.hc[v] <= 0;
      int before = fvv != fu ? fvv : fvv ? o.hf[v] < o.hf[u] : o.hc[v] < o.hc[u];
      if (!before) break;
      order[b + 1] = u;
      b--;
    }
    order[b + 1] = v;
  }
  int nc = 0;
  int *pick = malloc(sizeof(int) * candidates);
  if (!pick) {
    st = LEGATION_ENOMEM;
    goto done;
  }
  for (int i = 0; i < o.count && nc < candidates; i++) {
    int dup = 0;
    for (int k = 0; k < nc && !dup; k++)
      dup = memcmp(o.hx + (size_t)order[i] * n, o.hx + (size_t)pick[k] * n,
                   sizeof(double) * n) == 0;
    if (!dup) pick[nc++] = order[i];
  }
  cf = calloc(nc, sizeof(double));
  cs = calloc(nc, sizeof(double));
  cmax = calloc(nc, sizeof(double));
  fv = malloc(sizeof(double) * fresh);
  cv = calloc((size_t)(m ? m : 1), sizeof(double));
  double *cc = malloc(sizeof(double) * (m ? m : 1));
  if (!cf || !cs || !cmax || !fv || !cv || !cc) {
    free(pick);
    free(cc);
    st = LEGATION_ENOMEM;
    goto done;
  }
  int best = -1;
  for (int k = 0; k < nc; k++) {
    const double *px = o.hx + (size_t)pick[k] * n;
    for (int j = 0; j < m; j++) cv[j] = 0;
    double s = 0;
    for (int r2 = 0; r2 < fresh; r2++) {
      /* fresh seeds: never the search's seed */
      uint64_t sd = seed + 0x9e3779b97f4a7c15ull * (uint64_t)(1 + k * fresh + r2);
      if (fn(px, n, sd, reps, &fv[r2], cc, m, user)) {
        free(pick);
        free(cc);
        st = LEGATION_EINTR;
        if (errmsg) *errmsg = "optimize: stopped by the objective";
        goto done;
      }
      s += fv[r2];
      for (int j = 0; j < m; j++) cv[j] += cc[j] / fresh;
    }
    cf[k] = s / fresh;
    double v = 0;
    for (int r2 = 0; r2 < fresh; r2++) v += (fv[r2] - cf[k]) * (fv[r2] - cf[k]);
    cs[k] = sqrt(v / (fresh - 1) / fresh);
    cmax[k] = -INFINITY;
    for (int j = 0; j < m; j++)
      if (cv[j] > cmax[k]) cmax[k] = cv[j];
    if (!m) cmax[k] = 0;
    if (best < 0) {
      best = k;
      continue;
    }
    int fk = cmax[k] <= 0, fb = cmax[best] <= 0;
    if (fk != fb ? fk : fk ? cf[k] < cf[best] : cmax[k] < cmax[best]) best = k;
  }
  memcpy(x, o.hx + (size_t)pick[best] * n, sizeof(double) * n);
  out->f = cf[best];
  out->f_se = cs[best];
  out->c_max = cmax[best];
  out->feasible = cmax[best] <= 0;
  out->evaluations = o.count;
  out->candidates = nc;
  free(pick);
  free(cc);
done:
  if (opt) nlopt_destroy(opt);
  free(o.cx);
  free(o.cc);
  free(o.hx);
  free(o.hf);
  free(o.hc);
  free(tol);
  free(step);
  free(order);
  free(cf);
  free(cs);
  free(cmax);
  free(fv);
  free(cv);
  return st;
}
