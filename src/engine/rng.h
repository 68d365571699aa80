/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rng.h - counter-based random streams: Random123 Philox4x32-10 keyed by the
 * run seed, with the counter holding (block, stream, replication).  One
 * stream per (seed, replication, side), so results do not depend on threads
 * or processes.  Also exposed to GSL as a gsl_rng type, so GSL's
 * distributions draw from the same stream. */
#ifndef LG_RNG_H
#define LG_RNG_H

#include <Random123/philox.h>
#include <gsl/gsl_rng.h>
#include <stdint.h>

#define LG_RNG_BATCH 16 /* Philox blocks generated per refill */

typedef struct lg_rng {
  uint32_t buf[4 * LG_RNG_BATCH]; /* outputs of the current batch */
  unsigned idx;         /* next unused output in buf (4*BATCH = empty) */
  philox4x32_ctr_t ctr; /* v[0] block counter, v[1] stream, v[2..3] replication */
  philox4x32_key_t key; /* seed */
  uint64_t blocks;      /* blocks generated since seeding (for benchmarks) */
} lg_rng;

/* Generate the next batch.  The sequence is the same as one block at a
 * time: batching only lets the compiler overlap the rounds. */
void lg_rng_refill(lg_rng *r);

/* Position the stream at the start of (seed, rep, stream). */
static inline void lg_rng_seed(lg_rng *r, uint64_t seed, uint64_t rep, uint32_t stream) {
  r->key.v[0] = (uint32_t)seed;
  r->key.v[1] = (uint32_t)(seed >> 32);
  r->ctr.v[0] = 0;
  r->ctr.v[1] = stream;
  r->ctr.v[2] = (uint32_t)rep;
  r->ctr.v[3] = (uint32_t)(rep >> 32);
  r->idx = 4 * LG_RNG_BATCH;
  r->blocks = 0;
}

static inline __attribute__((always_inline)) uint32_t lg_rng_u32(lg_rng *r) {
  if (__builtin_expect(r->idx == 4 * LG_RNG_BATCH, 0)) lg_rng_refill(r);
  return r->buf[r->idx++];
}

/* Uniform in the open interval (0, 1), 32-bit resolution. */
static inline __attribute__((always_inline)) double lg_rng_uniform(lg_rng *r) {
  return ((double)lg_rng_u32(r) + 0.5) * (1.0 / 4294967296.0);
}

/* 1 with probability p. Draws nothing when p <= 0 or p >= 1. */
static inline __attribute__((always_inline)) int lg_rng_bernoulli(lg_rng *r, double p) {
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  return lg_rng_uniform(r) < p;
}

/* Threshold form of a probability for lg_rng_hit: 2^32 p, so that a draw
 * u < threshold has probability p (to 2^-32).  0 and >= 2^32 never draw. */
static inline uint64_t lg_rng_threshold(double p) {
  if (!(p > 0)) return 0;
  if (p >= 1) return (uint64_t)1 << 32;
  return (uint64_t)(p * 4294967296.0);
}

/* 1 with the probability of threshold thr (see lg_rng_threshold). */
static inline __attribute__((always_inline)) int lg_rng_hit(lg_rng *r, uint64_t thr) {
  if (thr == 0) return 0;
  if (thr >> 32) return 1;
  return lg_rng_u32(r) < thr;
}

/* Uniform integer in [0, n), n >= 1 (Lemire's multiply, tiny bias < n/2^32). */
static inline uint32_t lg_rng_below(lg_rng *r, uint32_t n) {
  return (uint32_t)(((uint64_t)lg_rng_u32(r) * n) >> 32);
}

/* The gsl_rng type whose state is an lg_rng. */
extern const gsl_rng_type *lg_gsl_philox;
/* The lg_rng inside a gsl_rng of that type. */
static inline lg_rng *lg_rng_of(gsl_rng *g) { return (lg_rng *)g->state; }

/* Turn GSL's abort-on-error handler off, once per process. */
void lg_gsl_init(void);

#endif
