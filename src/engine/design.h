/* SPDX-License-Identifier: GPL-3.0-or-later */
/* design.h - per-replication parameter draws: a keyed pseudo-random
 * permutation and Latin hypercube coordinates that need no stored design,
 * so any replication's parameters are a pure function of (seed, key,
 * world) and runs stay bit-identical for any thread count and on resume
 * (docs/MODEL.md "Uncertainty"). */
#ifndef LG_DESIGN_H
#define LG_DESIGN_H

#include <stdint.h>

/* Mix of up to four 64-bit words into one (a keyed hash). */
uint64_t lg_hash4(uint64_t a, uint64_t b, uint64_t c, uint64_t d);
/* Image of i under a pseudo-random permutation of [0, n) chosen by key:
 * a four-round Feistel network on the smallest even number of bits that
 * holds n, with cycle walking.  n >= 1, i < n. */
uint64_t lg_perm(uint64_t n, uint64_t key, uint64_t i);
/* Latin hypercube coordinate in [0, 1) of world w (of n worlds) in
 * dimension dim: (perm_dim(w) + jitter) / n, so each of the n strata
 * [k/n, (k+1)/n) of every dimension holds exactly one world. */
double lg_lhs(uint64_t seed, uint32_t dim, uint64_t n, uint64_t w);
/* The same with its permutation key, hash4(seed, dim, 0x1a7e5, 0), given. */
double lg_lhs_keyed(uint64_t seed, uint64_t key, uint32_t dim, uint64_t n, uint64_t w);

#endif
