/* SPDX-License-Identifier: GPL-3.0-or-later */
/* stats.c - Welford accumulators and the mergeable quantile sketch. */
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void lg_welford_reset(lg_welford *w) {
  w->n = 0;
  w->mean = w->m2 = 0;
  w->min = INFINITY;
  w->max = -INFINITY;
}

void lg_welford_add(lg_welford *w, double x) {
  if (isnan(x)) return;
  w->n++;
  double d = x - w->mean;
  w->mean += d / (double)w->n;
  w->m2 += d * (x - w->mean);
  if (x < w->min) w->min = x;
  if (x > w->max) w->max = x;
}

void lg_welford_merge(lg_welford *a, const lg_welford *b) {
  if (b->n == 0) return;
  if (a->n == 0) {
    *a = *b;
    return;
  }
  double n = (double)(a->n + b->n);
  double d = b->mean - a->mean;
  a->mean += d * ((double)b->n / n);
  a->m2 += b->m2 + d * d * ((double)a->n * (double)b->n / n);
  a->n += b->n;
  if (b->min < a->min) a->min = b->min;
  if (b->max > a->max) a->max = b->max;
}

double lg_welford_sd(const lg_welford *w) {
  return w->n > 1 ? sqrt(w->m2 / (double)(w->n - 1)) : 0;
}

/* Code space: [0, 2E] exact integers -E..E; then positive log bins
 * k in [-KMAX, KMAX]; then negative log bins. */
#define E LG_SKETCH_EXACT
#define KMAX 1400
#define POS0 (2 * E + 1)
#define NEG0 (POS0 + 2 * KMAX + 1)

static double gamma_(void) { return (1 + LG_SKETCH_ALPHA) / (1 - LG_SKETCH_ALPHA); }

int32_t lg_sketch_code(double x) {
  if (isnan(x)) return LG_SKETCH_NAN;
  if (x == floor(x) && fabs(x) <= E) return (int32_t)(E + x);
  double a = fabs(x);
  if (a < 1e-12) return E; /* zero */
  int k = (int)ceil(log(a) / log(gamma_()));
  if (k < -KMAX) k = -KMAX;
  if (k > KMAX) k = KMAX;
  return (x > 0 ? POS0 : NEG0) + k + KMAX;
}

double lg_sketch_value(int32_t c) {
  if (c < POS0) return (double)(c - E);
  double g = gamma_();
  int neg = c >= NEG0;
  int k = c - (neg ? NEG0 : POS0) - KMAX;
  double v = 2 * pow(g, k) / (g + 1);
  return neg ? -v : v;
}

int lg_sketch_add(lg_sketch *s, int32_t c) {
  if (c < 0) return 0;
  if (s->len == 0 || c < s->lo || c >= s->lo + s->len) {
    int32_t lo = s->len ? (c < s->lo ? c : s->lo) : c;
    int32_t hi = s->len ? (c >= s->lo + s->len ? c + 1 : s->lo + s->len) : c + 1;
    /* grow with slack so neighbouring codes do not reallocate each time */
    int32_t slack = (hi - lo) / 2 + 8;
    if (s->len) {
      if (c < s->lo) lo = lo - slack < 0 ? 0 : lo - slack;
      else hi += slack;
    }
    uint32_t *v = calloc((size_t)(hi - lo), sizeof *v);
    if (!v) return -1;
    if (s->len) memcpy(v + (s->lo - lo), s->counts, (size_t)s->len * sizeof *v);
    free(s->counts);
    s->counts = v;
    s->lo = lo;
    s->len = hi - lo;
  }
  s->counts[c - s->lo]++;
  s->n++;
  return 0;
}

int lg_sketch_merge(lg_sketch *a, const lg_sketch *b) {
  for (int32_t i = 0; i < b->len; i++) {
    if (!b->counts[i]) continue;
    if (lg_sketch_add(a, b->lo + i) != 0) return -1;
    a->counts[b->lo + i - a->lo] += b->counts[i] - 1;
    a->n += b->counts[i] - 1;
  }
  return 0;
}

typedef struct bin {
  double v;
  uint32_t c;
} bin;

static int cmp_bin(const void *x, const void *y) {
  double a = ((const bin *)x)->v, b = ((const bin *)y)->v;
  return (a > b) - (a < b);
}

void lg_sketch_quantiles(const lg_sketch *s, const double *qs, int n, double *out) {
  for (int i = 0; i < n; i++) out[i] = NAN;
  if (s->n == 0) return;
  if (s->lo + s->len <= POS0) {
    /* only exact integers: codes are already in value order, no sort */
    int64_t acc = 0;
    int32_t k = 0;
    for (int j = 0; j < n; j++) {
      int64_t rank = (int64_t)ceil(qs[j] * (double)s->n);
      if (rank < 1) rank = 1;
      while (k < s->len && acc + s->counts[k] < rank) acc += s->counts[k++];
      out[j] = lg_sketch_value(s->lo + (k < s->len ? k : s->len - 1));
    }
    return;
  }
  int nb = 0;
  for (int32_t i = 0; i < s->len; i++) nb += s->counts[i] != 0;
  bin *b = malloc((size_t)nb * sizeof *b);
  if (!b) return;
  nb = 0;
  for (int32_t i = 0; i < s->len; i++)
    if (s->counts[i]) b[nb++] = (bin){lg_sketch_value(s->lo + i), s->counts[i]};
  qsort(b, (size_t)nb, sizeof *b, cmp_bin);
  int64_t acc = 0;
  int k = 0;
  for (int j = 0; j < n; j++) {
    int64_t rank = (int64_t)ceil(qs[j] * (double)s->n);
    if (rank < 1) rank = 1;
    while (k < nb && acc + b[k].c < rank) acc += b[k++].c;
    out[j] = b[k < nb ? k : nb - 1].v;
  }
  free(b);
}

double lg_sketch_quantile(const lg_sketch *s, double q) {
  double v;
  lg_sketch_quantiles(s, &q, 1, &v);
  return v;
}

void lg_sketch_free(lg_sketch *s) {
  free(s->counts);
  memset(s, 0, sizeof *s);
}
