/* SPDX-License-Identifier: GPL-3.0-or-later */
/* saltelli.c - variance-based (Sobol) sensitivity indices: Saltelli
 * sampling of A, B and the AB_g matrices (A with group g's columns taken
 * from B) on a 2k-dimensional shifted Sobol sequence, streamed in blocks of
 * base rows; Saltelli et al. (2010) first-order and Jansen (1999)
 * total-order estimators; percentile bootstrap intervals over base rows;
 * the replication noise as its own term.  The first-order estimator is
 * applied to outputs centred on their mean (as SALib does): the same
 * expectation, less error when the mean is large next to the spread, and
 * blind to a shift common to every point (the noise of common random
 * numbers). */
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"

/* Indices of one output from the rows listed in idx (n of them, repeats
 * allowed).  f holds each row's G+2 values [A, B, AB_0 .. AB_{G-1}] for
 * this output at stride G+2. */
static void estimate(const double *f, int G, const int64_t *idx, int64_t n, double *s1,
                     double *st, double *var) {
  size_t w = (size_t)G + 2;
  double sa = 0, sb = 0;
  for (int64_t t = 0; t < n; t++) {
    const double *r = f + (size_t)idx[t] * w;
    sa += r[0];
    sb += r[1];
  }
  double mean = (sa + sb) / (2.0 * (double)n);
  double v = 0;
  for (int64_t t = 0; t < n; t++) {
    const double *r = f + (size_t)idx[t] * w;
    v += (r[0] - mean) * (r[0] - mean) + (r[1] - mean) * (r[1] - mean);
  }
  v /= 2.0 * (double)n;
  *var = v;
  for (int g = 0; g < G; g++) {
    double a1 = 0, a2 = 0;
    for (int64_t t = 0; t < n; t++) {
      const double *r = f + (size_t)idx[t] * w;
      double fa = r[0], fb = r[1], fab = r[2 + g];
      a1 += (fb - mean) * (fab - fa);  /* Saltelli 2010, centred */
      a2 += (fa - fab) * (fa - fab);   /* Jansen */
    }
    s1[g] = v > 0 ? a1 / (double)n / v : NAN;
    st[g] = v > 0 ? a2 / (2.0 * (double)n) / v : NAN;
  }
}

/* 2.5% and 97.5% points of x (n values, sorted in place). */
static void interval(double *x, int n, double *lo, double *hi) {
  int m = 0;
  for (int i = 0; i < n; i++)
    if (!isnan(x[i])) x[m++] = x[i];
  if (m == 0) {
    *lo = *hi = NAN;
    return;
  }
  gsl_sort(x, 1, (size_t)m);
  *lo = gsl_stats_quantile_from_sorted_data(x, 1, (size_t)m, 0.025);
  *hi = gsl_stats_quantile_from_sorted_data(x, 1, (size_t)m, 0.975);
}

/* Indices, intervals and variance of every output from rows [0, rows). */
static legation_status analyse(legation_study *s, const double *f, int64_t rows) {
  int G = s->ngroups, no = s->noutputs, B = s->boot;
  size_t w = (size_t)G + 2;
  double *fo = malloc((size_t)rows * w * sizeof *fo);
  int64_t *idx = malloc((size_t)rows * sizeof *idx);
  int64_t *draw = malloc((size_t)rows * sizeof *draw);
  double *s1 = malloc((size_t)G * sizeof *s1), *st = malloc((size_t)G * sizeof *st);
  double *b1 = malloc((size_t)B * (size_t)G * sizeof *b1);
  double *bt = malloc((size_t)B * (size_t)G * sizeof *bt);
  double *col = malloc((size_t)B * sizeof *col);
  legation_status rc = LEGATION_OK;
  if (!fo || !idx || !draw || !s1 || !st || !b1 || !bt || !col) {
    rc = la_fail(s, LEGATION_ENOMEM, "out of memory");
    goto done;
  }
  for (int o = 0; o < no; o++) {
    /* this output's values; rows where any is undefined are left out */
    int64_t n = 0;
    for (int64_t j = 0; j < rows; j++) {
      const double *r = f + ((size_t)j * w) * (size_t)no;
      int ok = 1;
      for (size_t c = 0; c < w; c++) {
        fo[j * (int64_t)w + (int64_t)c] = r[c * (size_t)no + (size_t)o];
        if (isnan(r[c * (size_t)no + (size_t)o])) ok = 0;
      }
      if (ok) idx[n++] = j;
    }
    legation_study_var *vr = &s->var[o];
    legation_sobol_index *out = s->sidx + (size_t)o * (size_t)G;
    double v = NAN;
    if (n >= 2) {
      estimate(fo, G, idx, n, s1, st, &v);
      double m = 0;
      for (int64_t t = 0; t < n; t++) m += fo[idx[t] * (int64_t)w] + fo[idx[t] * (int64_t)w + 1];
      vr->mean = m / (2.0 * (double)n);
    } else {
      for (int g = 0; g < G; g++) s1[g] = st[g] = NAN;
      vr->mean = NAN;
    }
    vr->var = v;
    vr->noise_share = vr->noise_var / v;
    /* bootstrap over base rows, its own stream per output */
    uint64_t rng = s->seed ^ (0xb0075712a9ULL + (uint64_t)o * 0x9e3779b97f4a7c15ULL);
    for (int b = 0; b < B; b++) {
      if (n < 2) {
        for (int g = 0; g < G; g++) b1[b * G + g] = bt[b * G + g] = NAN;
        continue;
      }
      for (int64_t t = 0; t < n; t++) draw[t] = idx[la_below(&rng, (uint64_t)n)];
      double vb;
      estimate(fo, G, draw, n, b1 + (size_t)b * (size_t)G, bt + (size_t)b * (size_t)G, &vb);
    }
    for (int g = 0; g < G; g++) {
      out[g].s1 = s1[g];
      out[g].st = st[g];
      for (int b = 0; b < B; b++) col[b] = b1[b * G + g];
      interval(col, B, &out[g].s1_lo, &out[g].s1_hi);
      for (int b = 0; b < B; b++) col[b] = bt[b * G + g];
      interval(col, B, &out[g].st_lo, &out[g].st_hi);
    }
  }
done:
  free(fo);
  free(idx);
  free(draw);
  free(s1);
  free(st);
  free(b1);
  free(bt);
  free(col);
  return rc;
}

legation_status legation_study_sobol(legation_study *s, int64_t n) {
  s->err[0] = 0;
  la_study_clear(s);
  if (!s->eval) return la_fail(s, LEGATION_EINVAL, "the study has no evaluator");
  if (s->nfactors < 1) return la_fail(s, LEGATION_EINVAL, "the study has no factors");
  if (n < 2 || n > ((int64_t)1 << 30))
    return la_fail(s, LEGATION_ERANGE, "base points: expected 2 to %lld, found %lld",
                   (long long)1 << 30, (long long)n);
  int k = s->nfactors, G = s->ngroups, no = s->noutputs;
  size_t w = (size_t)G + 2;
  if ((double)n * (double)w * (double)no > 4e8)
    return la_fail(s, LEGATION_ERANGE,
                   "base points: %lld x %zu design points x %d outputs would keep more than "
                   "3.2 GB of point means; use fewer", (long long)n, w, no);
  la_sobol q;
  uint64_t st0 = s->seed;
  legation_status rc = la_sobol_init(&q, 2 * k, la_splitmix64(&st0) | 1u, s->err, sizeof s->err);
  if (rc != LEGATION_OK) return rc;
  s->var = calloc((size_t)no, sizeof *s->var);
  s->sidx = calloc((size_t)no * (size_t)G, sizeof *s->sidx);
  double *f = malloc((size_t)n * w * (size_t)no * sizeof *f);
  int64_t nb = la_block_points(s, (int64_t)w);
  double *u = malloc(2 * (size_t)k * sizeof *u);
  double *ux = malloc((size_t)k * sizeof *ux);
  double *x = malloc((size_t)nb * w * (size_t)k * sizeof *x);
  double *noise = calloc((size_t)no, sizeof *noise);
  int64_t *noise_n = calloc((size_t)no, sizeof *noise_n);
  if (!s->var || !s->sidx || !f || !u || !ux || !x || !noise || !noise_n) {
    rc = la_fail(s, LEGATION_ENOMEM, "out of memory");
    goto done;
  }
  s->done = 0;
  s->stop = 0;
  s->total = n * (int64_t)w * s->reps;
  la_begin_points(s, n * (int64_t)w, (int64_t)w);
  int64_t rows = 0;
  while (rows < n) {
    int64_t m = n - rows < nb ? n - rows : nb;
    for (int64_t j = 0; j < m; j++) {
      la_sobol_point(&q, (uint64_t)(rows + j), u);
      double *row = x + (size_t)j * w * (size_t)k;
      la_to_natural(s, u, row);                    /* A */
      la_to_natural(s, u + k, row + k);            /* B */
      for (int g = 0; g < G; g++) {                /* AB_g */
        memcpy(ux, u, (size_t)k * sizeof *ux);
        for (int t = 0; t < s->groups[g].n; t++) {
          int c = s->groups[g].factors[t];
          ux[c] = u[k + c];
        }
        la_to_natural(s, ux, row + (size_t)(2 + g) * (size_t)k);
      }
    }
    rc = la_eval_points(s, x, m * (int64_t)w, f + (size_t)rows * w * (size_t)no, noise,
                        noise_n);
    if (rc != LEGATION_OK && rc != LEGATION_EINTR) goto done;
    if (rc == LEGATION_EINTR) { /* the whole rows evaluated before the stop */
      rows = s->next_point / (int64_t)w;
      break;
    }
    rows += m;
  }
  for (int o = 0; o < no; o++) {
    s->var[o].points = rows;
    s->var[o].evaluations = s->done;
    s->var[o].noise_var = noise_n[o] ? noise[o] / (double)noise_n[o] / (double)s->reps : 0.0;
  }
  if (rows >= 2) {
    legation_status rc2 = analyse(s, f, rows);
    if (rc2 != LEGATION_OK) {
      rc = rc2;
      goto done;
    }
    s->result = LA_SOBOL;
  }
  if (rc == LEGATION_EINTR)
    la_fail(s, rc, "interrupted after %lld of %lld base points", (long long)rows,
            (long long)n);
done:
  la_drop_cache(s);
  la_sobol_free(&q);
  free(f);
  free(u);
  free(ux);
  free(x);
  free(noise);
  free(noise_n);
  if (s->result != LA_SOBOL) la_study_clear(s);
  return rc;
}
