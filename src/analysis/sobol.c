/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sobol.c - the Sobol low-discrepancy sequence in up to LA_SOBOL_MAX_DIMS
 * dimensions on Joe & Kuo's direction numbers (sobol_dirnums.c), with 32
 * bits per coordinate, random access by point index (Gray code), and an
 * optional random digital shift; also the small splitmix64 generator the
 * analyses draw from.  GSL's gsl_qrng_sobol stops at 40 dimensions and uses
 * older direction numbers, hence this file. */
#include <stdio.h>
#include <stdlib.h>

#include "analysis/analysis.h"

uint64_t la_splitmix64(uint64_t *state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

double la_uniform(uint64_t *state) {
  return (double)(la_splitmix64(state) >> 11) * 0x1.0p-53;
}

uint64_t la_below(uint64_t *state, uint64_t n) {
  /* Rejection keeps every value equally likely. */
  uint64_t lim = UINT64_MAX - UINT64_MAX % n;
  uint64_t x;
  do x = la_splitmix64(state);
  while (x >= lim);
  return x % n;
}

legation_status la_sobol_init(la_sobol *q, int dims, uint64_t shift_seed, char *err,
                              size_t errsz) {
  q->dims = 0;
  q->v = NULL;
  q->shift = NULL;
  if (dims < 1 || dims > LA_SOBOL_MAX_DIMS) {
    snprintf(err, errsz,
             "the Sobol sequence needs %d dimensions; the direction numbers compiled in "
             "(Joe & Kuo new-joe-kuo-6.21201) cover 1 to %d",
             dims, LA_SOBOL_MAX_DIMS);
    return LEGATION_ERANGE;
  }
  q->v = malloc((size_t)dims * LA_SOBOL_BITS * sizeof *q->v);
  q->shift = calloc((size_t)dims, sizeof *q->shift);
  if (!q->v || !q->shift) {
    la_sobol_free(q);
    snprintf(err, errsz, "out of memory");
    return LEGATION_ENOMEM;
  }
  q->dims = dims;
  /* Dimension 1: every m_k = 1, so v_k = 2^(32-k). */
  for (int k = 0; k < LA_SOBOL_BITS; k++) q->v[k] = 1u << (31 - k);
  for (int d = 1; d < dims; d++) {
    const la_sobol_dirnum *dn = &la_sobol_dirnums[d - 1];
    uint32_t *v = q->v + (size_t)d * LA_SOBOL_BITS;
    int s = dn->s;
    for (int k = 0; k < s && k < LA_SOBOL_BITS; k++) v[k] = (uint32_t)dn->m[k] << (31 - k);
    /* v_k = a_1 v_{k-1} ^ ... ^ a_{s-1} v_{k-s+1} ^ v_{k-s} ^ (v_{k-s} >> s) */
    for (int k = s; k < LA_SOBOL_BITS; k++) {
      uint32_t x = v[k - s] ^ (v[k - s] >> s);
      for (int j = 1; j < s; j++)
        if ((dn->a >> (s - 1 - j)) & 1u) x ^= v[k - j];
      v[k] = x;
    }
  }
  if (shift_seed) {
    uint64_t st = shift_seed;
    for (int d = 0; d < dims; d++) q->shift[d] = (uint32_t)(la_splitmix64(&st) >> 32);
  }
  return LEGATION_OK;
}

void la_sobol_free(la_sobol *q) {
  free(q->v);
  free(q->shift);
  q->v = NULL;
  q->shift = NULL;
  q->dims = 0;
}

void la_sobol_point_u32(const la_sobol *q, uint64_t n, uint32_t *out) {
  /* Point n of the Gray-code ordering is the XOR of v_k over the set bits
   * k of gray(n) = n ^ (n >> 1). */
  uint64_t g = n ^ (n >> 1);
  for (int d = 0; d < q->dims; d++) out[d] = 0;
  for (int k = 0; k < LA_SOBOL_BITS && g; k++, g >>= 1) {
    if (!(g & 1u)) continue;
    for (int d = 0; d < q->dims; d++) out[d] ^= q->v[(size_t)d * LA_SOBOL_BITS + k];
  }
}

void la_sobol_point(const la_sobol *q, uint64_t n, double *u) {
  uint64_t g = n ^ (n >> 1);
  for (int d = 0; d < q->dims; d++) {
    uint32_t x = 0;
    uint64_t h = g;
    for (int k = 0; k < LA_SOBOL_BITS && h; k++, h >>= 1)
      if (h & 1u) x ^= q->v[(size_t)d * LA_SOBOL_BITS + k];
    u[d] = ((double)(x ^ q->shift[d]) + 0.5) * 0x1.0p-32;
  }
}
