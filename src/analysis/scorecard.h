/* SPDX-License-Identifier: GPL-3.0-or-later */
/* scorecard.h - what scorecard.c (rows, margins, cells as displayed) shares
 * with verdict.c (the sentences), la_ prefix.  Not API: front ends use the
 * legation_scorecard_* / legation_*_verdict functions of legation.h. */
#ifndef LA_SCORECARD_H
#define LA_SCORECARD_H

#include "legation.h"

/* Display name of a side, "A" or "B" if the scenario has none. */
const char *la_side_name(const legation_scenario *sc, int side);

/* Option v's change in the output named `output` as displayed (see
 * legation_score).  sign = 0 words it for a sentence: a clear decrease is
 * shown as a positive amount ("lowers X by 1.2 (0.4 to 2.0)").  0, or -1
 * when the run has no such difference. */
int la_show_diff(const legation_run *run, int v, const char *output, int sign,
                 const char *const *spec, int nspec, legation_score *s);

#endif
