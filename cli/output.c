/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * output.c - a finished run as a readable summary, as one JSON document
 * (schema in docs/JSON.md) or as CSV, plus the one-sentence verdict.  The
 * summary looks outputs up by name and skips any the library lacks; JSON
 * and CSV walk the library's output and series tables, so their schema
 * follows the library.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "report.h"

/* Summary of output `name`; 0 on success, -1 if the library lacks it. */
static int stat_by_name(const cli_result *r, const char *name, legation_stat *st,
                        const legation_output_info **info) {
  int i = legation_output_find(name);
  if (i < 0 || legation_run_stat(r->run, i, st) != LEGATION_OK) return -1;
  if (info) *info = legation_output_get(i);
  return 0;
}

/* x times scale with d decimals and the suffix, "n/a" when undefined. */
static const char *fmt_fixed(char *buf, size_t n, double x, int d, double scale,
                             const char *suffix) {
  legation_format_fixed(buf, n, x * scale, d, 0);
  if (isfinite(x)) {
    size_t used = strlen(buf);
    snprintf(buf + used, n - used, "%s", suffix);
  }
  return buf;
}

/* Mean and interval of st as text, same decimals for all three. */
static void fmt_estimate(const legation_stat *st, int prob, char *m, char *lo, char *hi,
                         size_t n) {
  double scale = prob ? 100.0 : 1.0;
  const char *suf = prob ? "%" : "";
  int d = prob ? 1 : legation_decimals_for(st->mean, st->lo, st->hi);
  fmt_fixed(m, n, st->n > 0 ? st->mean : NAN, d, scale, suf);
  fmt_fixed(lo, n, st->n > 0 ? st->lo : NAN, d, scale, suf);
  fmt_fixed(hi, n, st->n > 0 ? st->hi : NAN, d, scale, suf);
}

/* With parameters drawn per world: the interval of the mean over worlds
 * (which covers what is not known and the noise) replaces the
 * replication interval, and the spread across worlds follows. */
static int world_by_name(const cli_result *r, const char *name, legation_world_stat *w) {
  int i = legation_output_find(name);
  return i >= 0 && legation_run_vary_count(r->run) > 0 &&
                 legation_run_world_stat(r->run, 0, i, w) == LEGATION_OK && w->worlds > 0
             ? 0
             : -1;
}

static void text_row(FILE *f, const cli_result *r, int width, const char *label,
                     const char *name) {
  legation_stat st;
  legation_world_stat w;
  const legation_output_info *info = NULL;
  if (stat_by_name(r, name, &st, &info) != 0) return;
  int worlds = world_by_name(r, name, &w) == 0;
  if (worlds) st = w.across;
  char m[48], lo[48], hi[48];
  int prob = info->kind == LEGATION_OUT_PROB;
  fmt_estimate(&st, prob, m, lo, hi, sizeof m);
  fprintf(f, "  %-*s %9s", width, label, m);
  if (isfinite(st.lo) && isfinite(st.hi) && st.n > 1)
    fprintf(f, "  (95%% CI %s to %s)", lo, hi);
  if (worlds) {
    legation_stat q = w.across;
    q.mean = q.q05, q.lo = q.q05, q.hi = q.q95;
    char a[48], b[48], c[48];
    int d = prob ? 1 : legation_decimals_for(st.mean, st.lo, st.hi);
    fmt_fixed(a, sizeof a, q.q05, d, prob ? 100 : 1, prob ? "%" : "");
    fmt_fixed(b, sizeof b, q.q95, d, prob ? 100 : 1, prob ? "%" : "");
    (void)c;
    fprintf(f, "  worlds %s to %s", a, b);
  }
  if (!prob && info->unit && *info->unit) fprintf(f, "  %s", info->unit);
  fputc('\n', f);
}

/* Display name of a side, "A" or "B" if the scenario has none. */
static const char *side_name(const cli_result *r, int side) {
  const char *s = legation_scenario_state_name(r->sc, side);
  return s && *s ? s : side ? "B" : "A";
}

/* Fill `text` to 79 columns. */

void cli_threads_text(char *buf, size_t n, int threads) {
  if (threads > 0) {
    snprintf(buf, n, "%d thread%s", threads, threads == 1 ? "" : "s");
    return;
  }
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  if (cores > 0)
    snprintf(buf, n, "%ld threads (all cores)", cores);
  else
    snprintf(buf, n, "all cores");
}

void cli_output_text(FILE *f, const cli_result *r) {
  const char *names[2] = {side_name(r, 0), side_name(r, 1)};
  const char *title = legation_scenario_title(r->sc);
  const char *name = legation_scenario_name(r->sc);
  fprintf(f, "%s", title && *title ? title : "Untitled scenario");
  if (name && *name) fprintf(f, " (%s)", name);
  fputc('\n', f);
  char thr[64];
  cli_threads_text(thr, sizeof thr, r->threads_asked);
  int64_t done = legation_run_reps_done(r->run);
  if (done == r->reps_asked)
    fprintf(f, "%lld replications", (long long)done);
  else
    fprintf(f, "%lld of %lld replications", (long long)done, (long long)r->reps_asked);
  fprintf(f, ", seed %llu, %s, %d months, %.2f s\n",
          (unsigned long long)legation_run_seed(r->run), thr,
          legation_run_months(r->run),
          r->seconds > 0 ? r->seconds : legation_run_seconds(r->run));

  /* Grouped by who acts and on whom: under each state, what it gains and
   * what its mission in the other state does, then what it does as host to
   * the other's mission (so what happened to the USA's mission in Russia is
   * under Russia, "as host").  Every number appears once.  The label column
   * fits the longest label, which holds a state name. */
  int width = 36;
  for (int s = 0; s < 2; s++) {
    int w = (int)strlen(names[s]) + (int)strlen("  's diplomats expelled (collateral)");
    if (w > width) width = w;
  }
  int wb = (int)(strlen(names[0]) + strlen(names[1]) + strlen("balance ( minus )"));
  if (wb > width) width = wb;
  if (width > 70) width = 70;

  for (int s = 0; s < 2; s++) {
    char label[256], out[64];
    const char *ab = s ? "b" : "a", *ba = s ? "a" : "b";
    const char *me = names[s], *other = names[1 - s];
    fprintf(f, "\n%s (side %c)\n", me, s ? 'B' : 'A');
    snprintf(out, sizeof out, "value_%s", ab);
    text_row(f, r, width, "intelligence value gained", out);
    /* the same value by channel (they add up to it in every replication) */
    static const char *const ch[][2] = {
        {"officer", "    from sources its officers recruited"},
        {"walkin", "    from walk-ins"},
        {"recontact", "    from re-contacted dormant sources"},
        {"overt", "    from overt collection"},
        {"uncapped", "    from channels outside the missions"},
        {"turned", "    from the rival's officers it turned"}};
    for (size_t c = 0; c < sizeof ch / sizeof ch[0]; c++) {
      snprintf(out, sizeof out, "value_%s_%s", ch[c][0], ab);
      text_row(f, r, width, ch[c][1], out);
    }
    fprintf(f, "  its mission in %s\n", other);
    snprintf(out, sizeof out, "sources_recruited_%s", ab);
    text_row(f, r, width, "  sources recruited", out);
    snprintf(out, sizeof out, "function_mean_%s", ab);
    text_row(f, r, width, "  diplomatic function (mean)", out);
    fprintf(f, "  as host to %s's mission\n", other);
    snprintf(label, sizeof label, "  %s's officers expelled", other);
    snprintf(out, sizeof out, "officers_expelled_by_%s", ab);
    text_row(f, r, width, label, out);
    snprintf(label, sizeof label, "  %s's diplomats expelled (collateral)", other);
    snprintf(out, sizeof out, "diplomats_expelled_by_%s", ab);
    text_row(f, r, width, label, out);
    snprintf(label, sizeof label, "  %s's sources caught", other);
    snprintf(out, sizeof out, "sources_caught_%s", ba);
    text_row(f, r, width, label, out);
  }
  fputs("\nBoth sides\n", f);
  text_row(f, r, width, "expulsion spiral (probability)", "spiral");
  text_row(f, r, width, "negotiation settles (probability)", "settled");
  char label[256];
  snprintf(label, sizeof label, "balance (%s minus %s)", names[0], names[1]);
  text_row(f, r, width, label, "balance");

  char verdict[1024];
  legation_run_verdict(r->run, verdict, sizeof verdict);
  fputc('\n', f);
  cli_wrap(f, verdict, 0, 0);
}

/* --------------------------------------------------------------- JSON */


/* What a world summary holds, as JSON (docs/JSON.md "uncertainty"; built
 * by the library, as the report's). */
json_t *cli_json_world(const legation_world_stat *w) {
  char *text = NULL;
  legation_status st = legation_world_stat_json(w, &text);
  return cli_json_lib(st, text);
}

/* The drawn parameters and every output of variant v across worlds. */
json_t *cli_json_worlds(const legation_run *run, int v) {
  char *text = NULL;
  legation_status st = legation_run_worlds_json(run, v, 0, &text);
  return cli_json_lib(st, text);
}

/* A number, or null for NaN and infinities (JSON has neither). */

static json_t *jstr(const char *s) { return s ? json_string(s) : json_null(); }

static json_t *json_stat(const legation_output_info *info, const legation_stat *st) {
  json_t *o = json_object();
  int bad = 0;
  bad |= json_object_set_new(o, "unit", jstr(info->unit));
  bad |= json_object_set_new(o, "kind",
                             json_string(info->kind == LEGATION_OUT_PROB ? "prob" : "real"));
  bad |= json_object_set_new(o, "description", jstr(info->description));
  bad |= json_object_set_new(o, "n", json_integer((json_int_t)st->n));
  bad |= json_object_set_new(o, "mean", cli_json_num(st->mean));
  bad |= json_object_set_new(o, "sd", cli_json_num(st->sd));
  bad |= json_object_set_new(o, "lo", cli_json_num(st->lo));
  bad |= json_object_set_new(o, "hi", cli_json_num(st->hi));
  bad |= json_object_set_new(o, "min", cli_json_num(st->min));
  bad |= json_object_set_new(o, "max", cli_json_num(st->max));
  bad |= json_object_set_new(o, "q05", cli_json_num(st->q05));
  bad |= json_object_set_new(o, "q25", cli_json_num(st->q25));
  bad |= json_object_set_new(o, "q50", cli_json_num(st->q50));
  bad |= json_object_set_new(o, "q75", cli_json_num(st->q75));
  bad |= json_object_set_new(o, "q95", cli_json_num(st->q95));
  if (bad) {
    json_decref(o);
    return NULL;
  }
  return o;
}

static json_t *json_series(const cli_result *r, int i, const legation_series_info *info) {
  json_t *o = json_object();
  json_t *months = json_array();
  int bad = 0;
  bad |= json_object_set_new(o, "unit", jstr(info->unit));
  bad |= json_object_set_new(o, "description", jstr(info->description));
  int nm = legation_run_months(r->run);
  for (int m = 1; m <= nm && !bad; m++) {
    legation_stat st;
    if (legation_run_series_stat(r->run, i, m, &st) != LEGATION_OK) continue;
    json_t *row = json_object();
    bad |= json_object_set_new(row, "month", json_integer(m));
    bad |= json_object_set_new(row, "mean", cli_json_num(st.n > 0 ? st.mean : NAN));
    bad |= json_object_set_new(row, "q05", cli_json_num(st.n > 0 ? st.q05 : NAN));
    bad |= json_object_set_new(row, "q50", cli_json_num(st.n > 0 ? st.q50 : NAN));
    bad |= json_object_set_new(row, "q95", cli_json_num(st.n > 0 ? st.q95 : NAN));
    bad |= json_array_append_new(months, row);
  }
  bad |= json_object_set_new(o, "months", months);
  if (bad) {
    json_decref(o);
    return NULL;
  }
  return o;
}

/* The seed as an exact integer; as a decimal string above INT64_MAX, which
 * JSON integers in jansson (and most readers) cannot hold. */
json_t *cli_json_num(double x) { return isfinite(x) ? json_real(x) : json_null(); }

json_t *cli_json_seed(uint64_t seed) {
  if (seed <= (uint64_t)INT64_MAX) return json_integer((json_int_t)seed);
  char buf[32];
  snprintf(buf, sizeof buf, "%llu", (unsigned long long)seed);
  return json_string(buf);
}

int cli_output_json(FILE *f, const cli_result *r) {
  json_t *root = json_object();
  json_t *scen = json_object();
  json_t *states = json_array();
  json_t *outputs = json_object();
  json_t *series = json_object();
  int bad = 0;
  bad |= json_object_set_new(root, "legation_version", json_string(legation_version()));
  bad |= json_array_append_new(states, jstr(legation_scenario_state_name(r->sc, 0)));
  bad |= json_array_append_new(states, jstr(legation_scenario_state_name(r->sc, 1)));
  bad |= json_object_set_new(scen, "name", jstr(legation_scenario_name(r->sc)));
  bad |= json_object_set_new(scen, "title", jstr(legation_scenario_title(r->sc)));
  bad |= json_object_set_new(scen, "states", states);
  bad |= json_object_set_new(root, "scenario", scen);
  int64_t done = legation_run_reps_done(r->run);
  bad |= json_object_set_new(root, "reps", json_integer((json_int_t)done));
  bad |= json_object_set_new(root, "reps_requested", json_integer((json_int_t)r->reps_asked));
  bad |= json_object_set_new(root, "complete", json_boolean(r->status == LEGATION_OK));
  bad |= json_object_set_new(root, "seed", cli_json_seed(legation_run_seed(r->run)));
  bad |= json_object_set_new(root, "threads", json_integer(r->threads_asked));
  bad |= json_object_set_new(root, "seconds", cli_json_num(r->seconds > 0 ? r->seconds
                                                                   : legation_run_seconds(r->run)));
  bad |= json_object_set_new(root, "months", json_integer(legation_run_months(r->run)));

  int no = legation_output_count();
  for (int i = 0; i < no && !bad; i++) {
    const legation_output_info *info = legation_output_get(i);
    legation_stat st;
    if (!info || legation_run_stat(r->run, i, &st) != LEGATION_OK) continue;
    bad |= json_object_set_new(outputs, info->name, json_stat(info, &st));
  }
  bad |= json_object_set_new(root, "outputs", outputs);
  int ns = legation_series_count();
  for (int i = 0; i < ns && !bad; i++) {
    const legation_series_info *info = legation_series_get(i);
    if (!info) continue;
    bad |= json_object_set_new(series, info->name, json_series(r, i, info));
  }
  bad |= json_object_set_new(root, "series", series);
  if (!bad && legation_run_vary_count(r->run) > 0) bad |= json_object_set_new(root, "uncertainty", cli_json_worlds(r->run, 0));
  char verdict[1024];
  legation_run_verdict(r->run, verdict, sizeof verdict);
  bad |= json_object_set_new(root, "verdict", json_string(verdict));
  /* A failed write is not reported here: the caller sees ferror(f). */
  if (!bad && json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                      JSON_REAL_PRECISION(15)) == 0)
    fputc('\n', f);
  json_decref(root);
  return bad ? -1 : 0;
}

/* ---------------------------------------------------------------- CSV */

void cli_output_csv(FILE *f, const cli_result *r) {
  fputs("output,unit,kind,n,mean,sd,lo,hi,min,q05,q25,q50,q75,q95,max\n", f);
  int no = legation_output_count();
  for (int i = 0; i < no; i++) {
    const legation_output_info *info = legation_output_get(i);
    legation_stat st;
    if (!info || legation_run_stat(r->run, i, &st) != LEGATION_OK) continue;
    cli_csv_field(f, info->name);
    fputc(',', f);
    cli_csv_field(f, info->unit);
    fprintf(f, ",%s,%lld", info->kind == LEGATION_OUT_PROB ? "prob" : "real",
            (long long)st.n);
    const double v[] = {st.mean, st.sd,  st.lo,  st.hi,  st.min, st.q05,
                        st.q25,  st.q50, st.q75, st.q95, st.max};
    for (size_t k = 0; k < sizeof v / sizeof v[0]; k++) {
      char buf[40];
      fprintf(f, ",%s", cli_fmt_real(buf, sizeof buf, v[k]));
    }
    fputc('\n', f);
  }
}
