/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check.h - the tiny test harness shared by tests/test_*.c: a table of named
 * cases, each runnable alone (`test_model mirror_noise`), assertions that
 * print both sides, and the closing line "N passed, N failed". */
#ifndef LG_CHECK_H
#define LG_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct check_case {
  const char *name;
  void (*fn)(void);
} check_case;

static int check_failed_; /* failures in the running case (test binary only) */

#define CHECK(cond)                                                                     \
  do {                                                                                  \
    if (!(cond)) {                                                                      \
      fprintf(stderr, "  %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);       \
      check_failed_++;                                                                  \
    }                                                                                   \
  } while (0)

#define CHECK_EQ_INT(a, b)                                                              \
  do {                                                                                  \
    long long a_ = (long long)(a), b_ = (long long)(b);                                 \
    if (a_ != b_) {                                                                     \
      fprintf(stderr, "  %s:%d: %s == %s: %lld != %lld\n", __FILE__, __LINE__, #a, #b, \
              a_, b_);                                                                  \
      check_failed_++;                                                                  \
    }                                                                                   \
  } while (0)

#define CHECK_EQ_STR(a, b)                                                              \
  do {                                                                                  \
    const char *a_ = (a), *b_ = (b);                                                    \
    if (!a_ || !b_ || strcmp(a_, b_) != 0) {                                            \
      fprintf(stderr, "  %s:%d: %s == %s:\n    got:      \"%s\"\n    expected: \"%s\"\n", \
              __FILE__, __LINE__, #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)");      \
      check_failed_++;                                                                  \
    }                                                                                   \
  } while (0)

/* |a - b| <= tol */
#define CHECK_NEAR(a, b, tol)                                                           \
  do {                                                                                  \
    double a_ = (a), b_ = (b), t_ = (tol);                                              \
    if (!(fabs(a_ - b_) <= t_)) {                                                       \
      fprintf(stderr, "  %s:%d: %s ~ %s: %.9g vs %.9g (diff %.3g > tol %.3g)\n",        \
              __FILE__, __LINE__, #a, #b, a_, b_, fabs(a_ - b_), t_);                   \
      check_failed_++;                                                                  \
    }                                                                                   \
  } while (0)

/* Run all cases, or only the one named in argv[1]. */
static int check_main(const check_case *cases, int argc, char **argv) {
  int passed = 0, failed = 0, ran = 0;
  for (const check_case *c = cases; c->name; c++) {
    if (argc > 1 && strcmp(argv[1], c->name) != 0) continue;
    ran++;
    check_failed_ = 0;
    c->fn();
    if (check_failed_) {
      failed++;
      fprintf(stderr, "FAIL %s\n", c->name);
    } else {
      passed++;
      fprintf(stderr, "ok   %s\n", c->name);
    }
  }
  if (argc > 1 && !ran) {
    fprintf(stderr, "no case named %s\n", argv[1]);
    return 2;
  }
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}

#endif
