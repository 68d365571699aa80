/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * verdict.c - the verdict sentences: for an option of a comparison, whom it
 * favours against the balance's margin and what it does to each side's
 * gain, the spiral and the settlement (scorecard.c gives the numbers as
 * displayed); for a run of one scenario, which side gains more.  Both say
 * which uncertainty their intervals cover.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analysis/scorecard.h"

/* z of a two-sided 95% interval */
#define Z95 1.959963984540054

/* "the USA's" for an acronym, "Russia's" otherwise: a state named by its
 * initials reads with an article in English. */
static int acronym(const char *name) {
  size_t len = strlen(name);
  int a = len >= 2 && len <= 4;
  for (size_t i = 0; i < len && a; i++)
    if (name[i] < 'A' || name[i] > 'Z') a = 0;
  return a;
}

static void possessive(char *buf, size_t n, const char *name) {
  snprintf(buf, n, "%s%s's", acronym(name) ? "the " : "", name);
}

/* "the USA", "Russia": a state's name as the object of a sentence. */
static const char *the_name(char *buf, size_t n, const char *name) {
  snprintf(buf, n, "%s%s", acronym(name) ? "the " : "", name);
  return buf;
}

/* "raises NOUN by X (95% CI a to b)", "lowers ...", "makes no meaningful
 * difference to NOUN (...)" or "does not clearly change NOUN (...)";
 * appended to buf. */
static void phrase(char *buf, size_t n, const legation_run *run, int v, const char *output,
                   const char *noun, const char *const *spec, int nspec) {
  size_t used = strlen(buf);
  if (used >= n) return;
  legation_score s;
  if (la_show_diff(run, v, output, 0, spec, nspec, &s) != 0) {
    snprintf(buf + used, n - used, "does not report %s", noun);
    return;
  }
  const char *unit = s.prob ? " points" : "";
  if (s.none) {
    snprintf(buf + used, n - used, "leaves %s unchanged in every replication", noun);
  } else if (s.counts) {
    snprintf(buf + used, n - used, "%s %s by %s%s (95%% CI %s to %s)",
             s.up ? "raises" : "lowers", noun, s.mean, unit, s.lo, s.hi);
  } else {
    legation_score t;
    la_show_diff(run, v, output, 1, spec, nspec, &t);
    if (s.equiv)
      snprintf(buf + used, n - used,
               "makes no meaningful difference to %s (%s%s, 95%% CI %s to %s, inside +/-%s)", noun,
               t.mean, unit, t.lo, t.hi, t.margin);
    else if (s.clear)
      snprintf(buf + used, n - used,
               "%s %s slightly (%s%s, 95%% CI %s to %s, not clearly beyond the %s that counts)",
               s.up ? "raises" : "lowers", noun, t.mean, unit, t.lo, t.hi, t.margin);
    else
      snprintf(buf + used, n - used, "does not clearly change %s (%s%s, 95%% CI %s to %s)",
               noun, t.mean, unit, t.lo, t.hi);
  }
}

void legation_variant_label(const legation_run *run, int v, char *buf, size_t n) {
  const char *name = legation_scenario_name(legation_run_variant_scenario(run, v));
  const char *base = legation_scenario_name(legation_run_variant_scenario(run, 0));
  size_t bl = base ? strlen(base) : 0;
  if (v > 0 && name && bl && strncmp(name, base, bl) == 0 && name[bl] == '-' && name[bl + 1])
    name += bl + 1;
  if (name && *name)
    snprintf(buf, n, "%s", name);
  else
    snprintf(buf, n, "option %d", v);
}

#define APPEND(...)                                                                   \
  do {                                                                                \
    size_t u_ = strlen(buf);                                                          \
    if (u_ < n) snprintf(buf + u_, n - u_, __VA_ARGS__);                              \
  } while (0)

legation_status legation_compare_verdict(const legation_run *run, int v,
                                         const char *const *spec, int nspec, char *buf,
                                         size_t n) {
  if (!n) return LEGATION_EINVAL;
  buf[0] = 0;
  if (!run || v < 1 || v >= legation_run_variant_count(run)) return LEGATION_EINVAL;
  const legation_scenario *sc = legation_run_variant_scenario(run, 0);
  char label[256], pa[96], pb[96], noun_a[128], noun_b[128];
  legation_variant_label(run, v, label, sizeof label);
  possessive(pa, sizeof pa, la_side_name(sc, 0));
  possessive(pb, sizeof pb, la_side_name(sc, 1));
  snprintf(noun_a, sizeof noun_a, "%s gain", pa);
  snprintf(noun_b, sizeof noun_b, "%s gain", pb);
  static const char *const keys[] = {"value_a", "value_b", "spiral", "settled"};
  int same = 1;
  for (size_t k = 0; k < sizeof keys / sizeof keys[0] && same; k++) {
    legation_score s;
    same = la_show_diff(run, v, keys[k], 1, spec, nspec, &s) == 0 && s.none;
  }
  if (same) {
    snprintf(buf, n,
             "%s leaves both sides' gains, the spiral probability and the "
             "chance of a settlement exactly as in the base, in every "
             "replication.",
             label);
    return LEGATION_OK;
  }
  /* whom it favours: the change in the balance against what counts */
  legation_score bal;
  int have_bal = la_show_diff(run, v, "balance", 1, spec, nspec, &bal) == 0;
  char ta[96], tb[96];
  const char *a = the_name(ta, sizeof ta, la_side_name(sc, 0));
  const char *b = the_name(tb, sizeof tb, la_side_name(sc, 1));
  if (!have_bal)
    snprintf(buf, n, "%s ", label);
  else if (bal.counts)
    snprintf(buf, n, "%s favours %s: it ", label, bal.up ? a : b);
  else if (bal.equiv)
    snprintf(buf, n, "%s favours neither side meaningfully (the balance moves by %s, 95%% CI %s to %s, inside +/-%s): it ",
             label, bal.mean, bal.lo, bal.hi, bal.margin);
  else
    snprintf(buf, n, "%s does not clearly favour either side (the balance moves by %s, 95%% CI %s to %s, against +/-%s that counts): it ",
             label, bal.mean, bal.lo, bal.hi, bal.margin);
  phrase(buf, n, run, v, "value_a", noun_a, spec, nspec);
  APPEND(" and ");
  phrase(buf, n, run, v, "value_b", noun_b, spec, nspec);
  APPEND("; it ");
  phrase(buf, n, run, v, "spiral", "the spiral probability", spec, nspec);
  APPEND(" and ");
  phrase(buf, n, run, v, "settled", "the chance of a settlement", spec, nspec);
  APPEND(".");
  if (have_bal && bal.worlds && bal.w.worlds > 0) {
    double k = (double)bal.w.worlds, lo, hi;
    int fav_b = bal.w.below >= bal.w.above;
    double c = (double)(fav_b ? bal.w.below : bal.w.above);
    legation_wilson(c, k, Z95, &lo, &hi);
    APPEND(" It favours %s in %.0f%% of %lld %s worlds (95%% CI %.0f%% to %.0f%%); across "
           "worlds the balance moves by %s to %s (5th to 95th percentile).",
           fav_b ? b : a, 100 * c / k, (long long)bal.w.worlds,
           legation_run_draws(run) == LEGATION_DRAWS_RANGES ? "plausible" : "drawn", 100 * lo,
           100 * hi, bal.q05, bal.q95);
    if (legation_run_draws(run) == LEGATION_DRAWS_RANGES)
      APPEND(" Intervals cover the plausible ranges of %d drawn parameter%s and Monte Carlo noise.",
             legation_run_vary_count(run), legation_run_vary_count(run) == 1 ? "" : "s");
    else
      APPEND(" Intervals cover the given distribution of %d parameter%s (a posterior or a "
             "design) and Monte Carlo noise.",
             legation_run_vary_count(run), legation_run_vary_count(run) == 1 ? "" : "s");
  } else {
    APPEND(" Intervals cover Monte Carlo noise only, with every parameter at its value; "
           "--uncertain adds what is not known.");
  }
  return LEGATION_OK;
}

/* ------------------------------------------------- a run of one scenario */

/* Variant 0's statistics of output `name`; 0, or -1 if the library lacks it. */
static int stat_by_name(const legation_run *run, const char *name, legation_stat *st) {
  int i = legation_output_find(name);
  return i >= 0 && legation_run_stat(run, i, st) == LEGATION_OK ? 0 : -1;
}

void legation_run_verdict(const legation_run *run, char *buf, size_t n) {
  if (!n) return;
  const legation_scenario *sc = legation_run_scenario(run);
  char ta[96], tb[96];
  const char *a = the_name(ta, sizeof ta, la_side_name(sc, 0));
  const char *b = the_name(tb, sizeof tb, la_side_name(sc, 1));
  legation_stat st, va, vb;
  legation_world_stat w;
  if (stat_by_name(run, "balance", &st) != 0 || stat_by_name(run, "value_a", &va) != 0 ||
      stat_by_name(run, "value_b", &vb) != 0) {
    snprintf(buf, n, "This library reports no balance, so there is no verdict.");
    return;
  }
  if (st.n <= 0 || !isfinite(st.mean)) {
    snprintf(buf, n, "No replication finished, so there is no verdict.");
    return;
  }
  /* with parameters drawn per world: the interval of the mean over worlds
   * (what is not known and the noise) */
  int worlds = legation_run_vary_count(run) > 0 &&
               legation_run_world_stat(run, 0, legation_output_find("balance"), &w) ==
                   LEGATION_OK &&
               w.worlds > 0;
  if (worlds) st = w.across;
  /* what counts: 1% of the larger side's gain (legation_min_effect) */
  double margin = 0.01 * fmax(fabs(va.mean), fabs(vb.mean));
  char m[48], lo[48], hi[48], mg[48];
  int d = legation_decimals_for(st.mean, st.lo, st.hi);
  legation_format_fixed(m, sizeof m, st.n > 0 ? st.mean : NAN, d, 0);
  legation_format_fixed(lo, sizeof lo, st.n > 0 ? st.lo : NAN, d, 0);
  legation_format_fixed(hi, sizeof hi, st.n > 0 ? st.hi : NAN, d, 0);
  legation_format_fixed(mg, sizeof mg, margin,
                        margin > 0 ? (int)fmax(0, 1 - floor(log10(margin))) : 1, 0);
  const char *covers =
      worlds ? "The interval covers the plausible ranges of the drawn parameters as well as "
               "Monte Carlo noise."
             : "The interval covers Monte Carlo noise only, with every parameter at its "
               "value; run with --uncertain to include what is not known.";
  size_t used;
  if (st.n < 2 || !isfinite(st.lo) || !isfinite(st.hi)) {
    snprintf(buf, n,
             "The balance (%s minus %s) is %s from a single %s, which "
             "cannot say which side gains; run more replications.",
             a, b, m, worlds ? "world" : "replication");
    return;
  } else if (st.lo > margin || st.hi < -margin) {
    snprintf(buf, n,
             "%s gains more intelligence than %s under this scenario: the balance "
             "is %s (95%% CI %s to %s), beyond the %s that counts.",
             st.lo > 0 ? a : b, st.lo > 0 ? b : a, m, lo, hi, mg);
    if (buf[0] == 't') buf[0] = 'T'; /* "The USA gains ..." */
  } else if (st.lo >= -margin && st.hi <= margin) {
    snprintf(buf, n,
             "Neither %s nor %s gains meaningfully more intelligence under this "
             "scenario: the balance is %s (95%% CI %s to %s), inside the +/-%s "
             "that counts (1%% of the larger gain).",
             a, b, m, lo, hi, mg);
  } else {
    snprintf(buf, n,
             "Neither %s nor %s clearly gains more intelligence under this "
             "scenario: the balance is %s (95%% CI %s to %s), which does not "
             "clear the +/-%s that counts; run more replications or treat the "
             "sides as even.",
             a, b, m, lo, hi, mg);
  }
  used = strlen(buf);
  if (used < n && worlds && w.worlds > 0) {
    double k = (double)w.worlds, plo, phi;
    int fav = st.mean < 0;
    double c = (double)(fav ? w.below : w.above);
    legation_wilson(c, k, Z95, &plo, &phi);
    used += (size_t)snprintf(buf + used, n - used,
                             " %s gains more in %.0f%% of %lld plausible worlds (95%% CI %.0f%% "
                             "to %.0f%%).",
                             fav ? b : a, 100 * c / k, (long long)w.worlds, 100 * plo, 100 * phi);
  }
  if (used < n) snprintf(buf + used, n - used, " %s", covers);
}
