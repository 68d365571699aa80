/* SPDX-License-Identifier: GPL-3.0-or-later */
/* design.c - keyed permutations and Latin hypercube coordinates (design.h). */
#include "engine/design.h"

/* SplitMix64's finaliser: a bijective avalanche of 64 bits. */
static uint64_t mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

uint64_t lg_hash4(uint64_t a, uint64_t b, uint64_t c, uint64_t d) {
  uint64_t h = mix(a + 0x9e3779b97f4a7c15ull);
  h = mix(h ^ (b + 0x632be59bd9b4e019ull));
  h = mix(h ^ (c + 0x85157af5ull));
  return mix(h ^ (d + 0x2545f4914f6cdd1dull));
}

uint64_t lg_perm(uint64_t n, uint64_t key, uint64_t i) {
  if (n <= 1) return 0;
  int bits = 2;
  while (bits < 64 && (1ull << bits) < n) bits++;
  if (bits & 1) bits++;
  const int half = bits / 2;
  const uint64_t mask = (1ull << half) - 1;
  uint64_t x = i;
  do { /* cycle walking: the permutation of [0, 2^bits) restricted to [0, n) */
    uint64_t l = x >> half, r = x & mask;
    for (uint64_t round = 0; round < 4; round++) {
      uint64_t f = lg_hash4(key, round, r, 0x5eed) & mask;
      uint64_t t = l ^ f;
      l = r;
      r = t;
    }
    x = (l << half) | r;
  } while (x >= n);
  return x;
}

double lg_lhs(uint64_t seed, uint32_t dim, uint64_t n, uint64_t w) {
  return lg_lhs_keyed(seed, lg_hash4(seed, dim, 0x1a7e5, 0), dim, n, w);
}

double lg_lhs_keyed(uint64_t seed, uint64_t key, uint32_t dim, uint64_t n, uint64_t w) {
  uint64_t stratum = lg_perm(n, key, w);
  double jitter = (double)(lg_hash4(seed, dim, w, 0x717e7) >> 11) * 0x1p-53;
  double u = ((double)stratum + jitter) / (double)n;
  return u < 1 ? u : 0x1.fffffffffffffp-1;
}
