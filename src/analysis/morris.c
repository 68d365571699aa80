/* SPDX-License-Identifier: GPL-3.0-or-later */
/* morris.c - Morris (1991) elementary effects: r random trajectories of
 * k+1 points on a grid of p levels, each moving one factor at a time by
 * the jump p / (2 (p - 1)) in a random order and direction; mu, mu* and
 * sigma per factor and output (Campolongo et al. 2007 for mu*), with a
 * bootstrap interval of mu* over trajectories. */
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>

#include "analysis/analysis.h"

legation_status legation_study_morris(legation_study *s, int r, int levels) {
  s->err[0] = 0;
  la_study_clear(s);
  if (!s->eval) return la_fail(s, LEGATION_EINVAL, "the study has no evaluator");
  if (s->nfactors < 1) return la_fail(s, LEGATION_EINVAL, "the study has no factors");
  if (s->nnamed > 0)
    return la_fail(s, LEGATION_EINVAL,
                   "Morris elementary effects are per factor: groups are for the Sobol method");
  if (r < 2 || r > 100000)
    return la_fail(s, LEGATION_ERANGE, "trajectories: expected 2 to 100000, found %d", r);
  if (levels < 2 || levels > 1000 || levels % 2)
    return la_fail(s, LEGATION_ERANGE, "levels: expected an even number from 2 to 1000, found %d",
                   levels);
  int k = s->nfactors, no = s->noutputs, B = s->boot;
  if ((double)r * (double)k * (double)no > 1e8)
    return la_fail(s, LEGATION_ERANGE,
                   "trajectories: %d x %d factors x %d outputs effects would not fit in memory; "
                   "use fewer", r, k, no);
  double delta = (double)levels / (2.0 * (levels - 1));
  size_t pts = (size_t)k + 1;
  double *u = malloc(pts * (size_t)k * sizeof *u);
  double *x = malloc(pts * (size_t)k * sizeof *x);
  double *f = malloc(pts * (size_t)no * sizeof *f);
  double *ee = malloc((size_t)r * (size_t)k * (size_t)no * sizeof *ee);
  int *perm = malloc((size_t)k * sizeof *perm);
  double *col = malloc((size_t)r * sizeof *col), *boot = malloc((size_t)B * sizeof *boot);
  s->midx = calloc((size_t)no * (size_t)k, sizeof *s->midx);
  legation_status rc = LEGATION_OK;
  if (!u || !x || !f || !ee || !perm || !col || !boot || !s->midx) {
    rc = la_fail(s, LEGATION_ENOMEM, "out of memory");
    goto done;
  }
  uint64_t rng = s->seed ^ 0x6d6f72726973ULL;
  s->done = 0;
  s->stop = 0;
  s->total = (int64_t)r * (int64_t)pts * s->reps;
  la_begin_points(s, (int64_t)r * (int64_t)pts, (int64_t)pts);
  int done_r = 0;
  for (int t = 0; t < r; t++) {
    /* start on the grid so that every jump stays in [0, 1]; the direction
     * of each factor's jump is random */
    double *u0 = u;
    int half = levels / 2;
    double sign[LEGATION_STUDY_MAX_FACTORS];
    for (int i = 0; i < k; i++) {
      double lv = (double)la_below(&rng, (uint64_t)half) / (double)(levels - 1);
      sign[i] = la_below(&rng, 2) ? 1.0 : -1.0;
      u0[i] = sign[i] > 0 ? lv : lv + delta;
      perm[i] = i;
    }
    for (int i = k - 1; i > 0; i--) { /* Fisher-Yates */
      int j = (int)la_below(&rng, (uint64_t)i + 1);
      int tmp = perm[i];
      perm[i] = perm[j];
      perm[j] = tmp;
    }
    for (int m = 1; m <= k; m++) {
      double *prev = u + (size_t)(m - 1) * (size_t)k, *cur = u + (size_t)m * (size_t)k;
      for (int i = 0; i < k; i++) cur[i] = prev[i];
      int i = perm[m - 1];
      cur[i] = prev[i] + sign[i] * delta;
      if (cur[i] < 0) cur[i] = 0; /* rounding only */
      if (cur[i] > 1) cur[i] = 1;
    }
    for (size_t p = 0; p < pts; p++) la_to_natural(s, u + p * (size_t)k, x + p * (size_t)k);
    rc = la_eval_points(s, x, (int64_t)pts, f, NULL, NULL);
    if (rc != LEGATION_OK && rc != LEGATION_EINTR) goto done;
    if (rc == LEGATION_EINTR && s->next_point < (int64_t)(t + 1) * (int64_t)pts)
      break; /* stopped inside this trajectory: it does not count */
    for (int m = 1; m <= k; m++) {
      int i = perm[m - 1];
      for (int o = 0; o < no; o++)
        ee[((size_t)o * (size_t)k + (size_t)i) * (size_t)r + (size_t)t] =
            (f[(size_t)m * (size_t)no + (size_t)o] - f[(size_t)(m - 1) * (size_t)no + (size_t)o]) /
            (sign[i] * delta);
    }
    done_r++;
    if (rc == LEGATION_EINTR) break; /* this trajectory finished too */
  }
  if (done_r < 2) {
    if (rc == LEGATION_OK) rc = la_fail(s, LEGATION_EINTERNAL, "no trajectory finished");
    else la_fail(s, rc, "interrupted before two trajectories finished");
    goto done;
  }
  for (int o = 0; o < no; o++)
    for (int i = 0; i < k; i++) {
      const double *e = ee + ((size_t)o * (size_t)k + (size_t)i) * (size_t)r;
      legation_morris_index *mi = &s->midx[(size_t)o * (size_t)k + (size_t)i];
      int n = 0;
      for (int t = 0; t < done_r; t++)
        if (!isnan(e[t])) col[n++] = e[t];
      mi->n = n;
      double sum = 0, sabs = 0;
      for (int t = 0; t < n; t++) {
        sum += col[t];
        sabs += fabs(col[t]);
      }
      mi->mu = n ? sum / n : NAN;
      mi->mu_star = n ? sabs / n : NAN;
      mi->sigma = n >= 2 ? gsl_stats_sd_m(col, 1, (size_t)n, mi->mu) : NAN;
      if (n >= 2) {
        uint64_t br = s->seed ^ (0x6d756b ^ ((uint64_t)o << 32 | (uint64_t)i));
        for (int b = 0; b < B; b++) {
          double a = 0;
          for (int t = 0; t < n; t++) a += fabs(col[la_below(&br, (uint64_t)n)]);
          boot[b] = a / n;
        }
        gsl_sort(boot, 1, (size_t)B);
        mi->mu_star_lo = gsl_stats_quantile_from_sorted_data(boot, 1, (size_t)B, 0.025);
        mi->mu_star_hi = gsl_stats_quantile_from_sorted_data(boot, 1, (size_t)B, 0.975);
      } else {
        mi->mu_star_lo = mi->mu_star_hi = NAN;
      }
    }
  s->result = LA_MORRIS;
  if (rc == LEGATION_EINTR)
    la_fail(s, rc, "interrupted after %d of %d trajectories", done_r, r);
done:
  la_drop_cache(s);
  free(u);
  free(x);
  free(f);
  free(ee);
  free(perm);
  free(col);
  free(boot);
  if (s->result != LA_MORRIS) la_study_clear(s);
  return rc;
}
