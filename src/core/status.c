/* SPDX-License-Identifier: GPL-3.0-or-later */
/* status.c - status names and messages from the one table in legation.h,
 * version, legation_free, and small statistics helpers of the public API. */
#include "legation.h"

#include <math.h>
#include <stdlib.h>

static const char *const messages[] = {
#define X_(name, value, msg) [value] = msg,
    LEGATION_STATUS_MAP(X_)
#undef X_
};
static const char *const names[] = {
#define X_(name, value, msg) [value] = #name,
    LEGATION_STATUS_MAP(X_)
#undef X_
};

const char *legation_strerror(int status) {
  if (status < 0 || status >= LEGATION_STATUS_COUNT_) return "unknown status";
  return messages[status];
}

const char *legation_status_name(int status) {
  if (status < 0 || status >= LEGATION_STATUS_COUNT_) return "UNKNOWN";
  return names[status];
}

const char *legation_version(void) { return LEGATION_VERSION; }

void legation_free(void *p) { free(p); }

void legation_wilson(double k, double n, double z, double *lo, double *hi) {
  if (n <= 0) {
    *lo = 0;
    *hi = 1;
    return;
  }
  double p = k / n, z2 = z * z;
  double denom = 1 + z2 / n;
  double centre = (p + z2 / (2 * n)) / denom;
  double half = z * sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom;
  *lo = centre - half < 0 ? 0 : centre - half;
  *hi = centre + half > 1 ? 1 : centre + half;
}
