/* SPDX-License-Identifier: GPL-3.0-or-later */
/* prim.c - scenario discovery by PRIM, the patient rule induction method
 * (Friedman & Fisher 1999): on one random half of a shifted Sobol design,
 * peel off alpha of the box's points at a time along the factor and side
 * that leaves the densest box, down to a minimum mass; choose a box on the
 * trajectory, paste it back out while that raises its density, give each
 * restriction the significance the EMA workbench gives (a hypergeometric
 * test of dropping it; Kwakkel 2017), and check the box on the other half. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"

void legation_prim_defaults(legation_prim_options *opt) {
  opt->alpha = 0.05;
  opt->min_mass = 0.05;
  opt->threshold = 0.8;
  opt->box = -1;
}

typedef enum { OP_LT, OP_LE, OP_GT, OP_GE } cmp_op;

/* Parse "OUTPUT OP NUMBER". */
static legation_status parse_where(legation_study *s, const char *w, int *out, cmp_op *op,
                                   double *val) {
  const char *p = w;
  while (*p == ' ') p++;
  const char *ns = p;
  while (*p && *p != ' ' && *p != '<' && *p != '>' && *p != '=') p++;
  size_t nlen = (size_t)(p - ns);
  if (!nlen)
    return la_fail(s, LEGATION_EINVAL,
                   "--where: column %d: expected 'OUTPUT OP NUMBER' (OP one of < <= > >=), "
                   "found '%s'", (int)(ns - w) + 1, w);
  int o = -1;
  for (int i = 0; i < s->noutputs; i++)
    if (strlen(s->outputs[i]) == nlen && strncmp(s->outputs[i], ns, nlen) == 0) o = i;
  if (o < 0) {
    char list[512] = "";
    size_t used = 0;
    for (int i = 0; i < s->noutputs && used + 2 < sizeof list; i++) {
      int n = snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", s->outputs[i]);
      if (n < 0) break;
      used += (size_t)n;
      if (used >= sizeof list) used = sizeof list - 1;
    }
    return la_fail(s, LEGATION_ENOTFOUND, "--where: column %d: unknown output '%.*s' (outputs: %s)",
                   (int)(ns - w) + 1, (int)nlen, ns, list);
  }
  while (*p == ' ') p++;
  const char *os = p;
  if (p[0] == '<' && p[1] == '=') *op = OP_LE, p += 2;
  else if (p[0] == '>' && p[1] == '=') *op = OP_GE, p += 2;
  else if (p[0] == '<') *op = OP_LT, p++;
  else if (p[0] == '>') *op = OP_GT, p++;
  else
    return la_fail(s, LEGATION_EINVAL,
                   "--where: column %d: expected one of < <= > >=, found '%s'",
                   (int)(os - w) + 1, os);
  while (*p == ' ') p++;
  char *end;
  double v = strtod(p, &end);
  const char *e = end;
  while (*e == ' ') e++;
  if (end == p || *e || !isfinite(v))
    return la_fail(s, LEGATION_EINVAL, "--where: column %d: expected a number, found '%s'",
                   (int)(p - w) + 1, p);
  *out = o;
  *val = v;
  return LEGATION_OK;
}

static int holds(double x, cmp_op op, double v) {
  switch (op) {
  case OP_LT: return x < v;
  case OP_LE: return x <= v;
  case OP_GT: return x > v;
  case OP_GE: return x >= v;
  }
  return 0;
}

typedef struct prim_data {
  int k;
  const double *x;   /* npoints x k, natural units */
  const signed char *y;
  const int64_t *pts; /* the half's point indices */
  int64_t n;
} prim_data;

/* Points of the half inside box [lo, hi] (all factors but `skip`, -1 none):
 * count and points of interest. */
static void count_box(const prim_data *d, const double *lo, const double *hi, int skip,
                      int64_t *n, int64_t *h) {
  *n = *h = 0;
  for (int64_t t = 0; t < d->n; t++) {
    const double *p = d->x + d->pts[t] * d->k;
    int in = 1;
    for (int f = 0; f < d->k && in; f++)
      if (f != skip && (p[f] < lo[f] || p[f] > hi[f])) in = 0;
    if (in) {
      (*n)++;
      *h += d->y[d->pts[t]];
    }
  }
}

static int push_step(legation_study *s, const prim_data *d, const double *lo, const double *hi,
                     int64_t interest) {
  int k = s->nfactors, i = s->prim_nsteps;
  legation_prim_step *ns = realloc(s->prim_steps, (size_t)(i + 1) * sizeof *ns);
  if (!ns) return -1;
  s->prim_steps = ns;
  double *nb = realloc(s->prim_bounds, (size_t)(i + 1) * (size_t)k * 2 * sizeof *nb);
  if (!nb) return -1;
  s->prim_bounds = nb;
  int64_t n, h;
  count_box(d, lo, hi, -1, &n, &h);
  int restricted = 0;
  for (int f = 0; f < k; f++) {
    nb[((size_t)i * (size_t)k + (size_t)f) * 2] = lo[f];
    nb[((size_t)i * (size_t)k + (size_t)f) * 2 + 1] = hi[f];
    if (lo[f] > s->factors[f].lo || hi[f] < s->factors[f].hi) restricted++;
  }
  ns[i].coverage = interest ? (double)h / (double)interest : NAN;
  ns[i].density = n ? (double)h / (double)n : NAN;
  ns[i].mass = (double)n / (double)d->n;
  ns[i].restricted = restricted;
  s->prim_nsteps++;
  return 0;
}

/* Peel: the trajectory of boxes into s->prim_steps. */
static legation_status peel(legation_study *s, const prim_data *d, const legation_prim_options *opt,
                            int64_t interest, double *lo, double *hi, double *vals) {
  int k = d->k;
  if (push_step(s, d, lo, hi, interest)) return la_fail(s, LEGATION_ENOMEM, "out of memory");
  for (;;) {
    int64_t nb, hb;
    count_box(d, lo, hi, -1, &nb, &hb);
    if (nb == 0 || hb == nb) break;
    int64_t m = (int64_t)floor(opt->alpha * (double)nb);
    if (m < 1) m = 1;
    double best = -1;
    int best_f = -1, best_side = 0;
    double best_cut = 0;
    int64_t best_left = 0;
    for (int f = 0; f < k; f++) {
      int64_t c = 0;
      for (int64_t t = 0; t < d->n; t++) {
        const double *p = d->x + d->pts[t] * k;
        int in = 1;
        for (int g = 0; g < k && in; g++)
          if (p[g] < lo[g] || p[g] > hi[g]) in = 0;
        if (in) vals[c++] = p[f];
      }
      gsl_sort(vals, 1, (size_t)c);
      if (m >= c) continue;
      for (int side = 0; side < 2; side++) {
        double cut = side == 0 ? vals[m] : vals[c - 1 - m];
        if (side == 0 ? !(cut > vals[0]) : !(cut < vals[c - 1])) continue; /* ties */
        double nlo = side == 0 ? cut : lo[f], nhi = side == 0 ? hi[f] : cut;
        double olo = lo[f], ohi = hi[f];
        lo[f] = nlo;
        hi[f] = nhi;
        int64_t n2, h2;
        count_box(d, lo, hi, -1, &n2, &h2);
        lo[f] = olo;
        hi[f] = ohi;
        if (n2 == 0) continue;
        double dens = (double)h2 / (double)n2;
        if (dens > best || (dens == best && n2 > best_left)) {
          best = dens;
          best_f = f;
          best_side = side;
          best_cut = cut;
          best_left = n2;
        }
      }
    }
    if (best_f < 0 || (double)best_left < opt->min_mass * (double)d->n) break;
    if (best_side == 0) lo[best_f] = best_cut;
    else hi[best_f] = best_cut;
    if (push_step(s, d, lo, hi, interest)) return la_fail(s, LEGATION_ENOMEM, "out of memory");
  }
  return LEGATION_OK;
}

/* Paste: widen the box alpha of its points at a time while that raises its
 * density. */
static void paste(const prim_data *d, const legation_prim_options *opt, double *lo, double *hi,
                  double *vals) {
  int k = d->k;
  for (;;) {
    int64_t nb, hb;
    count_box(d, lo, hi, -1, &nb, &hb);
    if (nb == 0) return;
    double cur = (double)hb / (double)nb;
    int64_t m = (int64_t)floor(opt->alpha * (double)nb);
    if (m < 1) m = 1;
    double best = cur;
    int best_f = -1, best_side = 0;
    double best_cut = 0;
    for (int f = 0; f < k; f++)
      for (int side = 0; side < 2; side++) {
        /* points inside on every other factor, outside on this side of f */
        int64_t c = 0;
        for (int64_t t = 0; t < d->n; t++) {
          const double *p = d->x + d->pts[t] * k;
          int in = 1;
          for (int g = 0; g < k && in; g++)
            if (g != f && (p[g] < lo[g] || p[g] > hi[g])) in = 0;
          if (in && (side == 0 ? p[f] < lo[f] : p[f] > hi[f])) vals[c++] = p[f];
        }
        if (c == 0) continue;
        gsl_sort(vals, 1, (size_t)c);
        double cut = side == 0 ? vals[c - (m < c ? m : c)] : vals[(m < c ? m : c) - 1];
        double olo = lo[f], ohi = hi[f];
        if (side == 0) lo[f] = cut;
        else hi[f] = cut;
        int64_t n2, h2;
        count_box(d, lo, hi, -1, &n2, &h2);
        lo[f] = olo;
        hi[f] = ohi;
        double dens = (double)h2 / (double)n2;
        if (dens > best) {
          best = dens;
          best_f = f;
          best_side = side;
          best_cut = cut;
        }
      }
    if (best_f < 0) return;
    if (best_side == 0) lo[best_f] = best_cut;
    else hi[best_f] = best_cut;
  }
}

legation_status legation_study_check_where(legation_study *s, const char *where) {
  if (!s) return LEGATION_EINVAL;
  s->err[0] = 0;
  int o;
  cmp_op op;
  double val;
  return parse_where(s, where ? where : "", &o, &op, &val);
}

legation_status legation_study_discover(legation_study *s, const char *where, int64_t npoints,
                                        const legation_prim_options *optin) {
  s->err[0] = 0;
  la_study_clear(s);
  legation_prim_options opt;
  legation_prim_defaults(&opt);
  if (optin) opt = *optin;
  if (!s->eval) return la_fail(s, LEGATION_EINVAL, "the study has no evaluator");
  if (s->nfactors < 1) return la_fail(s, LEGATION_EINVAL, "the study has no factors");
  if (!(opt.alpha > 0 && opt.alpha < 0.5))
    return la_fail(s, LEGATION_ERANGE, "alpha: expected a number in (0, 0.5), found %g", opt.alpha);
  if (!(opt.min_mass > 0 && opt.min_mass < 1))
    return la_fail(s, LEGATION_ERANGE, "min_mass: expected a number in (0, 1), found %g",
                   opt.min_mass);
  if (!(opt.threshold >= 0 && opt.threshold <= 1))
    return la_fail(s, LEGATION_ERANGE, "threshold: expected a number in [0, 1], found %g",
                   opt.threshold);
  if (npoints < 20 || npoints > 10000000)
    return la_fail(s, LEGATION_ERANGE, "points: expected 20 to 10000000, found %lld",
                   (long long)npoints);
  int o = -1;
  cmp_op op = OP_GT;
  double val = 0;
  legation_status rc = parse_where(s, where ? where : "", &o, &op, &val);
  if (rc != LEGATION_OK) return rc;
  int k = s->nfactors, no = s->noutputs;
  if ((double)npoints * (double)k > 1e8)
    return la_fail(s, LEGATION_ERANGE,
                   "points: %lld points x %d factors would not fit in memory; use fewer",
                   (long long)npoints, k);
  la_sobol q;
  uint64_t st0 = s->seed;
  rc = la_sobol_init(&q, k, la_splitmix64(&st0) | 1u, s->err, sizeof s->err);
  if (rc != LEGATION_OK) return rc;
  double *x = malloc((size_t)npoints * (size_t)k * sizeof *x);
  double *u = malloc((size_t)k * sizeof *u);
  int64_t nb = la_block_points(s, 1);
  double *means = malloc((size_t)nb * (size_t)no * sizeof *means);
  signed char *y = malloc((size_t)npoints);
  int64_t *order = malloc((size_t)npoints * sizeof *order);
  double *vals = malloc((size_t)npoints * sizeof *vals);
  double *lo = malloc((size_t)k * sizeof *lo), *hi = malloc((size_t)k * sizeof *hi);
  s->prim_final = calloc((size_t)k, sizeof *s->prim_final);
  if (!x || !u || !means || !y || !order || !vals || !lo || !hi || !s->prim_final) {
    rc = la_fail(s, LEGATION_ENOMEM, "out of memory");
    goto done;
  }
  for (int64_t p = 0; p < npoints; p++) {
    la_sobol_point(&q, (uint64_t)p, u);
    la_to_natural(s, u, x + p * k);
  }
  s->done = 0;
  s->stop = 0;
  s->total = npoints * s->reps;
  la_begin_points(s, npoints, 1);
  for (int64_t p0 = 0; p0 < npoints; p0 += nb) {
    int64_t m = npoints - p0 < nb ? npoints - p0 : nb;
    rc = la_eval_points(s, x + p0 * k, m, means, NULL, NULL);
    if (rc != LEGATION_OK) goto done; /* PRIM needs every point */
    for (int64_t j = 0; j < m; j++) {
      double v = means[j * no + o];
      y[p0 + j] = isnan(v) ? -1 : (signed char)holds(v, op, val);
    }
  }
  /* random halves (points whose output is undefined are left out) */
  int64_t nv = 0;
  for (int64_t p = 0; p < npoints; p++)
    if (y[p] >= 0) order[nv++] = p;
  uint64_t rng = s->seed ^ 0x7072696dULL;
  for (int64_t i = nv - 1; i > 0; i--) {
    int64_t j = (int64_t)la_below(&rng, (uint64_t)i + 1);
    int64_t t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  prim_data train = {k, x, y, order, nv / 2}, test = {k, x, y, order + nv / 2, nv - nv / 2};
  int64_t it = 0, is = 0;
  for (int64_t t = 0; t < train.n; t++) it += y[train.pts[t]];
  for (int64_t t = 0; t < test.n; t++) is += y[test.pts[t]];
  if (it == 0) {
    rc = la_fail(s, LEGATION_ERANGE,
                 "--where: the condition holds at none of the %lld training points; nothing to "
                 "find", (long long)train.n);
    goto done;
  }
  for (int f = 0; f < k; f++) {
    lo[f] = s->factors[f].lo;
    hi[f] = s->factors[f].hi;
  }
  rc = peel(s, &train, &opt, it, lo, hi, vals);
  if (rc != LEGATION_OK) goto done;
  int chosen = -1;
  if (opt.box >= 0) {
    if (opt.box >= s->prim_nsteps) {
      rc = la_fail(s, LEGATION_ERANGE, "--box: expected a step from 0 to %d, found %d",
                   s->prim_nsteps - 1, opt.box);
      goto done;
    }
    chosen = opt.box;
  } else {
    for (int i = 0; i < s->prim_nsteps && chosen < 0; i++)
      if (s->prim_steps[i].density >= opt.threshold) chosen = i;
    if (chosen < 0) {
      chosen = 0;
      for (int i = 1; i < s->prim_nsteps; i++)
        if (s->prim_steps[i].density > s->prim_steps[chosen].density) chosen = i;
    }
  }
  for (int f = 0; f < k; f++) {
    lo[f] = s->prim_bounds[((size_t)chosen * (size_t)k + (size_t)f) * 2];
    hi[f] = s->prim_bounds[((size_t)chosen * (size_t)k + (size_t)f) * 2 + 1];
  }
  paste(&train, &opt, lo, hi, vals);
  legation_prim_box *b = &s->prim_box;
  b->step = chosen;
  b->n_train = train.n;
  b->n_test = test.n;
  b->interest_train = it;
  b->interest_test = is;
  int64_t tb, hbx, nt, ht;
  count_box(&train, lo, hi, -1, &tb, &hbx);
  count_box(&test, lo, hi, -1, &nt, &ht);
  int restricted = 0;
  for (int f = 0; f < k; f++) {
    legation_prim_bound *pb = &s->prim_final[f];
    pb->lo = lo[f];
    pb->hi = hi[f];
    pb->restricted = lo[f] > s->factors[f].lo || hi[f] < s->factors[f].hi;
    pb->p_value = 1.0;
    if (!pb->restricted) continue;
    restricted++;
    int64_t tj, hj;
    count_box(&train, lo, hi, f, &tj, &hj);
    /* P(X >= Hbox), X hypergeometric: Tbox draws from Tj points of which
     * Hj are of interest (the box with this restriction dropped) */
    if (hbx >= 1)
      pb->p_value = gsl_cdf_hypergeometric_Q((unsigned)(hbx - 1), (unsigned)hj,
                                             (unsigned)(tj - hj), (unsigned)tb);
  }
  b->train = (legation_prim_step){(double)hbx / (double)it, tb ? (double)hbx / (double)tb : NAN,
                                  (double)tb / (double)train.n, restricted};
  b->test = (legation_prim_step){is ? (double)ht / (double)is : NAN,
                                 nt ? (double)ht / (double)nt : NAN,
                                 test.n ? (double)nt / (double)test.n : NAN, restricted};
  s->result = LA_PRIM;
  s->prim_npoints = npoints; /* the study keeps the points for the report */
  s->prim_x = x;
  s->prim_y = y;
  x = NULL;
  y = NULL;
done:
  la_drop_cache(s);
  la_sobol_free(&q);
  free(x);
  free(u);
  free(means);
  free(y);
  free(order);
  free(vals);
  free(lo);
  free(hi);
  if (s->result != LA_PRIM) la_study_clear(s);
  return rc;
}
