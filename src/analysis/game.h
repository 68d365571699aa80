/* SPDX-License-Identifier: GPL-3.0-or-later */
/* game.h - internal declarations of the game and decision numerics
 * (lg_game_ for bimatrix games and .nfg files, lg_dec_ for decisions): the
 * game handle's layout, shared by game.c (solving), nfg.c (Gambit files)
 * and decide.c (sample sizes, value of information, the optimiser). */
#ifndef LG_ANALYSIS_GAME_H
#define LG_ANALYSIS_GAME_H

#include <gmp.h>

#include "legation.h"

struct legation_game {
  int m, n;           /* strategies of player 1 (rows) and 2 (columns) */
  int exact;          /* every payoff was given as exact text */
  mpq_t *q[2];        /* exact payoffs, m*n each, row-major (valid if exact) */
  double *a[2];       /* payoffs as doubles, m*n each */
  double *h[2];       /* interval half-widths, m*n each */
  char *title;
  char *player[2];
  char **strategy[2]; /* m and n names, NULL = default "1", "2", ... */
  /* results of legation_game_solve */
  int solved;
  int neq, npure, complete, degenerate;
  const char *method;
  double *eq;         /* neq*(m+n) probabilities */
  mpq_t *eqq;         /* neq*(m+n) exact probabilities (exact games) */
  char errmsg[512];
};

/* Set the handle's message (printf format); returns status. */
legation_status lg_game_fail(legation_game *g, legation_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Parse exact decimal or fraction text ("-3", "1.25", "2/3", "1e-2") into q;
 * 0 on success, -1 if the text is not such a number. */
int lg_game_parse_rational(mpq_t q, const char *text);
/* The double nearest to number text already parsed into q: strtod for a
 * decimal (correctly rounded, so %.17g round-trips), else mpq_get_d. */
double lg_game_text_double(const char *text, const mpq_t q);
/* Append q as Gambit writes it ("1/3", "-2") to a growing buffer. */
char *lg_game_rational_text(const mpq_t q);

#endif
