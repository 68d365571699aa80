/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rng.c - the Philox-backed gsl_rng type and GSL error-handler policy. */
#include "rng.h"

#include <gsl/gsl_errno.h>
#include <pthread.h>

void lg_rng_refill(lg_rng *r) {
  philox4x32_ctr_t c = r->ctr;
  for (int b = 0; b < LG_RNG_BATCH; b++) {
    philox4x32_ctr_t o = philox4x32(c, r->key);
    c.v[0]++; /* 2^32 blocks per stream per replication: never reached */
    r->buf[4 * b] = o.v[0];
    r->buf[4 * b + 1] = o.v[1];
    r->buf[4 * b + 2] = o.v[2];
    r->buf[4 * b + 3] = o.v[3];
  }
  r->ctr = c;
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
