/* SPDX-License-Identifier: GPL-3.0-or-later */
/* stats.h - streaming statistics whose partial results merge exactly:
 * Welford mean/variance (merged with Chan's formula in a fixed block order,
 * so the result does not depend on the number of threads) and a quantile
 * sketch of integer bin counts (exact integers |x| <= 1024, otherwise
 * logarithmic bins of 1% relative accuracy), whose merge is addition. */
#ifndef LG_STATS_H
#define LG_STATS_H

#include <stdint.h>

typedef struct lg_welford {
  int64_t n;
  double mean, m2, min, max;
} lg_welford;

void lg_welford_reset(lg_welford *w);
/* Add x; NaN is skipped (an undefined value, e.g. no settlement). */
void lg_welford_add(lg_welford *w, double x);
/* a := a merged with b (Chan et al.); a then b order. */
void lg_welford_merge(lg_welford *a, const lg_welford *b);
double lg_welford_sd(const lg_welford *w);

#define LG_SKETCH_ALPHA 0.01 /* relative accuracy of log bins */
#define LG_SKETCH_EXACT 1024 /* integers with |x| <= this are kept exactly */
#define LG_SKETCH_NAN (-1)

typedef struct lg_sketch {
  int32_t lo;       /* code of counts[0] */
  int32_t len;      /* codes lo .. lo+len-1 allocated */
  uint32_t *counts;
  int64_t n;
} lg_sketch;

/* Bin code of x (LG_SKETCH_NAN for NaN). Pure function: the same x always
 * gets the same code. */
int32_t lg_sketch_code(double x);
/* Representative value of a bin code. */
double lg_sketch_value(int32_t code);
/* Count one value by its code. Returns 0, or -1 on OOM (nothing counted). */
int lg_sketch_add(lg_sketch *s, int32_t code);
/* a += b. 0 or -1 on OOM. */
int lg_sketch_merge(lg_sketch *a, const lg_sketch *b);
/* q-quantile, q in [0,1]: the value of the bin holding the ceil(q n)-th
 * smallest value (inverse of the empirical CDF).  NaN when empty. */
double lg_sketch_quantile(const lg_sketch *s, double q);
/* Several quantiles in one pass: qs ascending, out[i] for qs[i]. */
void lg_sketch_quantiles(const lg_sketch *s, const double *qs, int n, double *out);
void lg_sketch_free(lg_sketch *s);

#endif
