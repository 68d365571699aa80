/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ranges.c - generic plausible ranges of the parameter table's defaults:
 * what a parameter left at its table default may plausibly be for an
 * unspecified pair of states.  A new scenario starts with them; a
 * scenario that sets the value without a range of its own makes it a known
 * value (docs/MODEL.md "Uncertainty").  Wide on purpose: they say how
 * little the table's numbers rest on, not what any one pair is like. */
#include <string.h>

#include "scenario.h"

typedef struct default_range {
  int scope;          /* LG_G, LG_S (both states), LG_M (both missions) */
  const char *key;    /* relative key for S and M */
  double lo, hi;
  int dist;           /* SC_DIST_* */
  const char *why;
} default_range;

#define U SC_DIST_UNIFORM
#define T SC_DIST_TRIANGULAR
#define L SC_DIST_LOGUNIFORM
#define F SC_DIST_FIXED
static const default_range ranges[] = {
    {LG_G, "intel.recruit_rate", 0.01, 0.15, L, "one source per 7 to 100 unwatched officer-months"},
    {LG_G, "intel.overt_value", 0.03, 0.3, L, "a thirtieth to a third of a source"},
    {LG_G, "intel.recontact_rate", 0.02, 0.15, L, "re-contact within 7 to 50 months"},
    {LG_G, "intel.dormant_loss", 0.005, 0.05, L, "a dormant source lasts 2 to 16 years"},
    {LG_G, "function.officer_weight", 0.2, 0.8, T, "officers do a fifth to most of a diplomat's work"},
    {LG_G, "function.local_weight", 0.1, 0.5, T, "a local employee does a tenth to half a diplomat's work"},
    {LG_G, "relations.initial", -0.9, 0.3, T, "from near rupture to cordial"},
    {LG_G, "relations.baseline", -0.8, 0.3, T, "from deep hostility to a warm peace"},
    {LG_G, "relations.decay", 0.02, 0.1, L, "events fade over 10 to 50 months"},
    {LG_G, "relations.expel_move", 0.02, 0.1, L, "10 to 50 moves take R from 0 to -1"},
    {LG_G, "relations.expel_person", 0.0005, 0.005, L, "a 60-person expulsion weighs 0.6 to 6 moves"},
    {LG_G, "relations.readmit", 0.02, 0.1, L, "a concession weighs about as much as a move"},
    {LG_G, "relations.property", 0.03, 0.2, L, "property is symbolic, by how much is unknown"},
    {LG_G, "relations.restraint", 0, 1, T, "goodwill from none to strong"},
    {LG_G, "negotiation.initial", 0, 0.2, T, "from no talks to a framework in view"},
    {LG_G, "negotiation.rate", 0.01, 0.1, L, "settling takes 10 months to 8 years"},
    {LG_G, "negotiation.setback", 0.005, 0.06, L, "an expulsion costs a week to a season"},
    {LG_G, "negotiation.settle_at", 0.4, 1, T, "from a framework to full agreement"},
    {LG_S, "openness", 0.1, 0.95, T, "from a closed police state to a wide-open society"},
    {LG_S, "pool", 200, 50000, L, "a small circle to a whole capital's officialdom"},
    {LG_S, "ci_agents", 50, 5000, L, "from a thin service to one that watches every foreigner"},
    {LG_S, "agents_per_target", 5, 20, T, "round-the-clock watch of one person takes 5 to 20 people"},
    {LG_S, "uncapped_value", 0.3, 3, L, "collection outside the missions a third to three sources"},
    {LG_S, "retaliation_k", 0.5, 2, T, "a proportional answer from half to twice the expulsion"},
    {LG_S, "noise_size", 1, 5, T, "a mistaken expulsion of one to five persons"},
    {LG_S, "detect_prob", 0.005, 0.1, L, "a watched officer is caught in 10 months to 16 years"},
    {LG_S, "false_flag", 0.0005, 0.01, L, "one watched diplomat in 100 to 2000 a month"},
    {LG_S, "suspicion_bias", 0, 3, T, "from telling officers apart not at all to well"},
    {LG_S, "deterrence", 0.4, 0.95, T, "being watched stops 40% to nearly all recruiting"},
    {LG_S, "source_hazard", 0.002, 0.05, L, "a source is caught in 2 to 40 years"},
    {LG_S, "exposure", 0.2, 0.8, T, "a fifth to most caught sources name their handler"},
    {LG_S, "tradecraft", 0.7, 1.4, T, "skill abroad within about a third of the reference"},
    {LG_S, "vetting", 0.05, 0.6, T, "a twentieth to most known officers refused"},
    {LG_S, "uncapped_elasticity", 0, 3, T, "from no shift to strong shift to uncapped channels"},
    {LG_S, "value_weight", 0.5, 2, T, "intelligence worth half to twice the other side's"},
    {LG_S, "forgiveness", 0.05, 0.9, T, "from answering nearly everything to almost nothing"},
    {LG_S, "noise", 0, 0.03, T, "up to one mistaken move in three years"},
    {LG_S, "batch_interval", 3, 24, T, "batches from quarterly to every two years"},
    {LG_S, "shock_rate", 0.002, 0.05, L, "a political shock every 2 to 40 years"},
    {LG_S, "turn_prob", 0, 0.15, T, "turning an identified officer is rare"},
    {LG_S, "turned_value", 0.1, 2, L, "a turned officer worth a tenth to two sources"},
    {LG_S, "shock_suspected", 0, 0.6, T, "at a shock, from identified staff only to most suspects"},
    {LG_S, "shock_identified", 0.3, 1, T, "at a shock, a third to all of the identified expelled"},
    {LG_S, "answer_ban_local", 0, 0.5, T, "answers in another currency: from never to every other time"},
    {LG_S, "answer_close_post", 0, 0.5, T, "answers in another currency: from never to every other time"},
    {LG_S, "answer_property", 0, 0.5, T, "answers in another currency: from never to every other time"},
    {LG_S, "answer_travel", 0, 0.5, T, "answers in another currency: from never to every other time"},
    {LG_S, "answer_visa_freeze", 0, 0.5, T, "answers in another currency: from never to every other time"},
    {LG_S, "travel_rule", 0.3, 0.8, T, "a travel rule leaves a third to most of normal travel"},
    {LG_S, "property_cut", 0.03, 0.3, L, "a seized compound costs 3% to 30% of operations"},
    {LG_S, "freeze_months", 2, 12, T, "a visa freeze lasts a season to a year"},
    {LG_M, "cap", 200, 400, T, "a mid-size mission's ceiling"},
    {LG_M, "staff", 150, 200, T, "a mid-size mission below its ceiling"},
    {LG_M, "officers", 30, 90, T, "a fifth to nearly half of the staff under cover"},
    {LG_M, "local_staff", 0, 100, F, "local hires are a scenario's decision (not drawn)"},
    {LG_M, "floor", 5, 50, T, "a skeleton embassy"},
    {LG_M, "functional_min", 100, 300, T, "diplomat-equivalents a mid-size mission needs"},
    {LG_M, "visa_lag", 1, 9, T, "visas in a month to most of a year"},
    {LG_M, "travel", 0.5, 1, T, "from notification rules to free travel"},
    {LG_M, "operations", 0.5, 1, T, "from seized property and banking trouble to normal"},
    {LG_M, "walkins", 0.01, 0.2, L, "a walk-in every 5 months to 8 years"},
};
#undef U
#undef T
#undef L
#undef F

/* Reason of the generic range of expanded key i, NULL if none. */
const char *sc_default_range_why(int i) {
  int side;
  const lg_param_desc *d = lg_param_key(i, &side, NULL, 0);
  if (!d) return NULL;
  for (size_t k = 0; k < sizeof ranges / sizeof ranges[0]; k++)
    if (ranges[k].scope == d->scope && strcmp(ranges[k].key, d->key) == 0) return ranges[k].why;
  return NULL;
}

void sc_default_ranges(legation_scenario *sc) {
  int n = lg_param_nkeys();
  for (int i = 0; i < n && i < SC_MAX_KEYS; i++) {
    int side;
    const lg_param_desc *d = lg_param_key(i, &side, NULL, 0);
    for (size_t k = 0; k < sizeof ranges / sizeof ranges[0]; k++) {
      const default_range *r = &ranges[k];
      if (r->scope != d->scope || strcmp(r->key, d->key) != 0) continue;
      double v = lg_param_getd(&sc->p, i);
      /* only a range that holds the table's default (tests/test_uncertainty.c
       * checks that every one does) */
      if (v < r->lo || v > r->hi || r->lo < d->min || r->hi > d->max) break;
      sc_unc *u = &sc->unc[i];
      memset(u, 0, sizeof *u);
      u->has = 1;
      u->dist = r->dist;
      u->lo = r->lo;
      u->hi = r->hi;
      break;
    }
  }
}
