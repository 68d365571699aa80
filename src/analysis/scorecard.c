/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * scorecard.c - the deal scorecard every front end shows: its rows and
 * their labels, the smallest change that counts (margins), an option's
 * paired change in an output as displayed (decimals from its interval,
 * probabilities in points, the interval over worlds when parameters are
 * drawn), and the median narrowing of paired over independent intervals.
 * The sentences built on these are in verdict.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/scorecard.h"

/* ---------------------------------------------------------- the rows */

/* One row: the outputs a reader looks at first.  {A} and {B} in a label
 * stand for the state names (legation_scorecard_label). */
static const struct {
  const char *output; /* library output name */
  const char *label;
} rows[] = {
    {"value_a", "intelligence gained by {A}"},
    {"value_b", "intelligence gained by {B}"},
    {"balance", "balance ({A} minus {B})"},
    {"spiral", "expulsion spiral (probability)"},
    {"function_mean_a", "diplomatic function of {A} (mean)"},
    {"function_mean_b", "diplomatic function of {B} (mean)"},
    {"settled", "negotiation settles (probability)"},
};
enum { NROWS = (int)(sizeof rows / sizeof rows[0]) };

int legation_scorecard_count(void) { return NROWS; }

const char *legation_scorecard_output(int r) { return r >= 0 && r < NROWS ? rows[r].output : NULL; }

const char *la_side_name(const legation_scenario *sc, int side) {
  const char *s = legation_scenario_state_name(sc, side);
  return s && *s ? s : side ? "B" : "A";
}

legation_status legation_scorecard_label(const legation_scenario *sc, int r, char *buf, size_t n) {
  size_t used = 0;
  if (!n) return r >= 0 && r < NROWS ? LEGATION_OK : LEGATION_EINVAL;
  buf[0] = 0;
  if (r < 0 || r >= NROWS) return LEGATION_EINVAL;
  for (const char *p = rows[r].label; *p && used + 1 < n;) {
    if ((strncmp(p, "{A}", 3) == 0 || strncmp(p, "{B}", 3) == 0)) {
      snprintf(buf + used, n - used, "%s", la_side_name(sc, p[1] == 'B'));
      used += strlen(buf + used);
      p += 3;
    } else {
      buf[used++] = *p++;
      buf[used] = 0;
    }
  }
  return LEGATION_OK;
}

/* ------------------------------------------------------------ numbers */

int legation_decimals_for(double mean, double lo, double hi) {
  double h = (hi - lo) / 2;
  int d;
  if (isfinite(h) && h > 0)
    d = (int)-floor(log10(h));
  else
    d = fabs(mean) >= 100 ? 0 : fabs(mean) >= 1 ? 2 : 3;
  if (d < 0) d = 0;
  if (d > 4) d = 4;
  return d;
}

const char *legation_format_fixed(char *buf, size_t n, double x, int d, int sign) {
  if (!isfinite(x)) {
    snprintf(buf, n, "n/a");
    return buf;
  }
  if (fabs(x) < 0.5 * pow(10, -d)) x = 0;
  snprintf(buf, n, sign ? "%+.*f" : "%.*f", d, x);
  return buf;
}

/* ------------------------------------------------ what counts (margins) */

double legation_min_effect(const legation_run *run, int output, const char *const *spec,
                           int nspec) {
  const legation_output_info *info = legation_output_get(output);
  if (!info) return 0;
  for (int k = nspec - 1; k >= 0; k--) { /* the last one given wins */
    const char *eq = strchr(spec[k], '=');
    if (eq && (size_t)(eq - spec[k]) == strlen(info->name) &&
        strncmp(spec[k], info->name, (size_t)(eq - spec[k])) == 0)
      return strtod(eq + 1, NULL);
  }
  if (info->kind == LEGATION_OUT_PROB) return 0.01;
  legation_stat st;
  if (strcmp(info->name, "balance") == 0) {
    legation_stat a, b;
    if (legation_run_variant_stat(run, 0, legation_output_find("value_a"), &a) != LEGATION_OK ||
        legation_run_variant_stat(run, 0, legation_output_find("value_b"), &b) != LEGATION_OK)
      return 0;
    return 0.01 * fmax(fabs(a.mean), fabs(b.mean));
  }
  if (legation_run_variant_stat(run, 0, output, &st) != LEGATION_OK || !isfinite(st.mean)) return 0;
  return 0.01 * fabs(st.mean);
}

/* ------------------------------------------------------- a cell, shown */

int la_show_diff(const legation_run *run, int v, const char *output, int sign,
                 const char *const *spec, int nspec, legation_score *s) {
  int i = legation_output_find(output);
  legation_diff d;
  memset(s, 0, sizeof *s);
  if (i < 0 || legation_run_diff(run, v, i, &d) != LEGATION_OK) return -1;
  const legation_output_info *info = legation_output_get(i);
  s->prob = info->kind == LEGATION_OUT_PROB;
  legation_stat ps = d.paired;
  if (legation_run_vary_count(run) > 0 && legation_run_world_diff(run, v, i, &s->w) == LEGATION_OK &&
      s->w.worlds > 0) {
    s->worlds = 1;
    ps = s->w.across;
    ps.sd = d.paired.sd; /* for "none": every replication unchanged */
    ps.n = s->w.worlds > 1 ? s->w.worlds : ps.n;
  }
  double k = s->prob ? 100.0 : 1.0;
  double m = ps.mean * k, lo = ps.lo * k, hi = ps.hi * k;
  double mg = legation_min_effect(run, i, spec, nspec) * k;
  int dec = s->prob ? 1 : legation_decimals_for(m, lo, hi);
  int defined = ps.n > 1 && isfinite(lo) && isfinite(hi);
  s->clear = defined && (lo > 0 || hi < 0);
  s->counts = defined && (lo > mg || hi < -mg);
  s->equiv = defined && lo >= -mg && hi <= mg;
  s->none = d.paired.n > 1 && d.paired.mean == 0 && d.paired.sd == 0;
  s->up = m > 0;
  double q05 = s->worlds ? s->w.across.q05 * k : NAN, q95 = s->worlds ? s->w.across.q95 * k : NAN;
  if (!sign && s->clear && !s->up) { /* "lowers X by 1.2 (0.4 to 2.0)" */
    double t = -lo;
    lo = -hi;
    hi = t;
    m = -m;
    t = -q05;
    q05 = -q95;
    q95 = t;
  }
  s->value = d.paired.n > 0 ? m : NAN;
  s->value_lo = defined ? lo : NAN;
  s->value_hi = defined ? hi : NAN;
  s->value_margin = mg;
  s->decimals = dec;
  legation_format_fixed(s->mean, sizeof s->mean, s->value, dec, sign);
  legation_format_fixed(s->lo, sizeof s->lo, s->value_lo, dec, sign);
  legation_format_fixed(s->hi, sizeof s->hi, s->value_hi, dec, sign);
  legation_format_fixed(s->q05, sizeof s->q05, q05, dec, sign);
  legation_format_fixed(s->q95, sizeof s->q95, q95, dec, sign);
  /* the margin to two significant digits */
  int dm = s->prob || mg <= 0 ? 1 : (int)fmax(0, 1 - floor(log10(mg)));
  legation_format_fixed(s->margin, sizeof s->margin, mg, dm, 0);
  return 0;
}

legation_status legation_score_get(const legation_run *run, int v, int output,
                                   const char *const *margins, int nmargins,
                                   legation_score *out) {
  const legation_output_info *info = legation_output_get(output);
  if (!info || !run || v < 1 || v >= legation_run_variant_count(run)) {
    memset(out, 0, sizeof *out);
    return LEGATION_EINVAL;
  }
  return la_show_diff(run, v, info->name, 1, margins, nmargins, out) == 0 ? LEGATION_OK
                                                                          : LEGATION_EINVAL;
}

/* ---------------------------------------------------------- narrowing */

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

double legation_run_narrowing(const legation_run *run, int *count) {
  int nv = legation_run_variant_count(run), no = legation_output_count();
  double *w = malloc(sizeof *w * (size_t)(nv > 1 ? nv - 1 : 1) * (size_t)no);
  int k = 0;
  for (int v = 1; w && v < nv; v++)
    for (int i = 0; i < no; i++) {
      legation_diff d;
      if (legation_run_diff(run, v, i, &d) == LEGATION_OK && isfinite(d.narrowing) &&
          d.narrowing > 0)
        w[k++] = d.narrowing;
    }
  double med = NAN;
  if (k > 0) {
    qsort(w, (size_t)k, sizeof *w, cmp_double);
    med = k % 2 ? w[k / 2] : (w[k / 2 - 1] + w[k / 2]) / 2;
  }
  free(w);
  if (count) *count = k;
  return med;
}
