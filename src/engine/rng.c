/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rng.c - the Philox-backed gsl_rng type and GSL error-handler policy. */
#include "rng.h"

#include <gsl/gsl_errno.h>
#include <pthread.h>
#include <string.h>

void lg_rng_refill(lg_rng *r) {
  /* Four independent counters per step so the inlined rounds of the four
   * blocks interleave (the rounds of one block form a latency chain). */
  philox4x32_ctr_t c0 = r->ctr, c1 = c0, c2 = c0, c3 = c0;
  for (int b = 0; b < LG_RNG_BATCH; b += 4) {
    c1.v[0] = c0.v[0] + 1;
    c2.v[0] = c0.v[0] + 2;
    c3.v[0] = c0.v[0] + 3;
    philox4x32_ctr_t o0 = philox4x32(c0, r->key), o1 = philox4x32(c1, r->key),
                     o2 = philox4x32(c2, r->key), o3 = philox4x32(c3, r->key);
    memcpy(r->buf + 4 * b, o0.v, sizeof o0.v);
    memcpy(r->buf + 4 * b + 4, o1.v, sizeof o1.v);
    memcpy(r->buf + 4 * b + 8, o2.v, sizeof o2.v);
    memcpy(r->buf + 4 * b + 12, o3.v, sizeof o3.v);
    c0.v[0] += 4; /* 2^32 blocks per stream per replication: never reached */
  }
  r->ctr = c0;
  r->idx = 0;
  r->blocks += LG_RNG_BATCH;
}

static void philox_set(void *state, unsigned long seed) {
  lg_rng_seed((lg_rng *)state, (uint64_t)seed, 0, 0);
}
static unsigned long philox_get(void *state) { return lg_rng_u32((lg_rng *)state); }
static double philox_get_double(void *state) {
  /* GSL wants [0,1); (k + 0.5) / 2^32 is in (0,1) which is inside it. */
  return lg_rng_uniform((lg_rng *)state);
}

static const gsl_rng_type philox_type = {"philox4x32-10", 0xffffffffUL, 0, sizeof(lg_rng),
                                         philox_set, philox_get, philox_get_double};
const gsl_rng_type *lg_gsl_philox = &philox_type;

static pthread_once_t gsl_once = PTHREAD_ONCE_INIT;
static void gsl_off(void) { gsl_set_error_handler_off(); }
/* GSL's default handler calls abort(); the library must never abort, so the
 * handler is switched off process-wide the first time a run is created.  We
 * only use GSL functions whose failure modes we check ourselves. */
void lg_gsl_init(void) { pthread_once(&gsl_once, gsl_off); }
