/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd_compare.c - `legation compare`: one run of a base scenario and its
 * options as variants under common random numbers; the deal scorecard with
 * a verdict per option, the narrowing of paired over independent intervals
 * (computed by the library: legation_score_get, legation_compare_verdict,
 * legation_run_narrowing), every output's paired difference, as text,
 * Markdown, JSON or CSV, and the HTML report.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"

/* Display name of a side, "A" or "B" if the scenario has none. */
static const char *side_name(const legation_scenario *sc, int side) {
  const char *s = legation_scenario_state_name(sc, side);
  return s && *s ? s : side ? "B" : "A";
}

/* ------------------------------------------------ what counts (margins) */

int cli_check_min_effects(const cli_args *a) {
  for (int k = 0; k < a->nmin_effects; k++) {
    const char *s = a->min_effects[k], *eq = strchr(s, '=');
    char name[64];
    size_t n = eq ? (size_t)(eq - s) : 0;
    if (!eq || n == 0 || n >= sizeof name)
      return cli_usage_error(a->cmd, "--min-effect: expected OUTPUT=DELTA, found '%s'", s);
    memcpy(name, s, n);
    name[n] = 0;
    if (legation_output_find(name) < 0)
      return cli_usage_error(a->cmd, "--min-effect: unknown output '%s' (see 'legation run --json')",
                             name);
    char *end;
    double d = strtod(eq + 1, &end);
    if (!eq[1] || *end || !(d >= 0) || !isfinite(d) || strspn(eq + 1, "0123456789.eE+-") != strlen(eq + 1))
      return cli_usage_error(a->cmd, "--min-effect: %s: expected a number >= 0, found '%s'", name,
                             eq + 1);
  }
  return CLI_EXIT_OK;
}

/* --------------------------------------------------------- the scenarios */

/* The operands resolved to a list: [0] the base, then the options. */
typedef struct operands {
  const char **names; /* borrowed from argv or the built-in table */
  int n;
} operands;

/* Base and options from the operands; built-ins BASE-* when only BASE (or
 * nothing) is given.  Returns an exit code. */
static int resolve(operands *ops, const cli_args *a) {
  const char *base = a->npos ? a->pos[0] : CLI_DEFAULT_SCENARIO;
  int nb = legation_builtin_count();
  ops->names = calloc((size_t)(a->npos + nb + 1), sizeof *ops->names);
  if (!ops->names) {
    cli_err("out of memory");
    return CLI_EXIT_RUN;
  }
  ops->names[0] = base;
  ops->n = 1;
  if (a->npos > 1) {
    for (int i = 1; i < a->npos; i++) ops->names[ops->n++] = a->pos[i];
    return CLI_EXIT_OK;
  }
  size_t bl = strlen(base);
  for (int i = 0; i < nb; i++) {
    const char *nm = legation_builtin_name(i);
    if (nm && strncmp(nm, base, bl) == 0 && nm[bl] == '-') ops->names[ops->n++] = nm;
  }
  if (ops->n == 1 && !legation_builtin_text(base) && access(base, F_OK) != 0) {
    cli_err("compare: '%s': no such file or built-in scenario (see 'legation scenarios')",
            base);
    return CLI_EXIT_DATA;
  }
  if (ops->n == 1)
    return cli_usage_error(a->cmd, "no OPTION given, and no built-in scenario is named '%s-*'",
                           base);
  return CLI_EXIT_OK;
}

/* Print a scenario's messages or a generic line; returns the exit code. */
static int scenario_error(const legation_scenario *sc, legation_status st, const char *what) {
  const char *msg = legation_scenario_errmsg(sc);
  if (msg && *msg)
    cli_err_lines(msg);
  else
    cli_err("compare: %s: %s", what, legation_strerror(st));
  return cli_exit_for(st);
}

/* Load one scenario, apply --set and --months, validate. */
static int prepare(legation_scenario *sc, const cli_args *a, const char *operand) {
  int rc = cli_load_scenario(sc, "compare", operand);
  if (rc) return rc;
  rc = cli_apply_sets(sc, "compare", a->sets, a->nsets);
  if (rc) return rc;
  if (a->months && (rc = cli_set_months(sc, "compare", a->months)) != 0) return rc;
  legation_status st = legation_scenario_validate(sc);
  if (st != LEGATION_OK) return scenario_error(sc, st, operand);
  return CLI_EXIT_OK;
}

/* The resolved horizon of a scenario (months), -1 if not found. */
static int horizon_of(const legation_scenario *sc) {
  int np = legation_param_count();
  for (int i = 0; i < np; i++) {
    legation_param p;
    if (legation_param_get(sc, i, &p) == LEGATION_OK && strcmp(p.key, "horizon") == 0)
      return (int)p.value;
  }
  return -1;
}

/* Common random numbers pair replications month by month and key streams
 * by state name: an option must match the base in both. */
static int check_pairable(const legation_scenario *base, const char *bname,
                          const legation_scenario *opt, const char *oname) {
  int hb = horizon_of(base), ho = horizon_of(opt);
  if (hb != ho) {
    cli_err("compare: option '%s' runs %d months but the base '%s' runs %d: "
            "options must have the base's horizon (set it in the file, or use "
            "--months for all)",
            oname, ho, bname, hb);
    return CLI_EXIT_DATA;
  }
  for (int s = 0; s < 2; s++) {
    const char *x = side_name(base, s), *y = side_name(opt, s);
    if (strcmp(x, y) != 0) {
      cli_err("compare: option '%s' names state %c '%s' but the base '%s' names "
              "it '%s': options must keep the base's state names (random "
              "streams are keyed by them)",
              oname, s ? 'B' : 'A', y, bname, x);
      return CLI_EXIT_DATA;
    }
  }
  return CLI_EXIT_OK;
}

/* Build the run: base plus every option as a variant. */
static int build_run(legation_run **out, const operands *ops, const cli_args *a) {
  *out = NULL;
  legation_scenario *base = legation_scenario_new();
  if (!base) {
    cli_err("out of memory");
    return CLI_EXIT_RUN;
  }
  int rc = prepare(base, a, ops->names[0]);
  legation_run *run = NULL;
  if (!rc) {
    run = legation_run_new(base);
    if (!run) {
      cli_err("out of memory");
      rc = CLI_EXIT_RUN;
    }
  }
  for (int i = 1; !rc && i < ops->n; i++) {
    legation_scenario *opt = legation_scenario_new();
    if (!opt) {
      cli_err("out of memory");
      rc = CLI_EXIT_RUN;
      break;
    }
    rc = prepare(opt, a, ops->names[i]);
    if (!rc) rc = check_pairable(base, ops->names[0], opt, ops->names[i]);
    if (!rc && legation_run_add_variant(run, opt) < 0) {
      const char *msg = legation_run_errmsg(run);
      cli_err("compare: option '%s': %s", ops->names[i],
              msg && *msg ? msg : "cannot be added to the run");
      rc = CLI_EXIT_DATA;
    }
    legation_scenario_free(opt);
  }
  legation_scenario_free(base);
  if (rc) {
    legation_run_free(run);
    return rc;
  }
  rc = cli_configure_run(run, a);
  if (!rc) rc = cli_configure_uncertainty(run, a);
  if (rc) {
    legation_run_free(run);
    return rc;
  }
  *out = run;
  return CLI_EXIT_OK;
}

/* ---------------------------------------------------------------- text */

static void text_scorecard(FILE *f, const cli_compare_view *c, int v) {
  const legation_run *run = c->run;
  const legation_scenario *base = legation_run_variant_scenario(run, 0);
  const legation_scenario *sc = legation_run_variant_scenario(run, v);
  char label[256];
  legation_variant_label(run, v, label, sizeof label);
  const char *title = legation_scenario_title(sc);
  fprintf(f, "\n%s%s%s\n", label, title && *title ? ": " : "", title ? title : "");
  for (int r = 0; r < legation_scorecard_count(); r++) {
    legation_score s;
    char row[256];
    if (legation_score_get(run, v, legation_output_find(legation_scorecard_output(r)),
                           c->min_effects, c->nmin_effects, &s) != LEGATION_OK)
      continue;
    legation_scorecard_label(base, r, row, sizeof row);
    fprintf(f, "  %-40s %9s%s", row, s.mean, s.prob ? " points" : "");
    if (strcmp(s.lo, "n/a") != 0)
      fprintf(f, "%s (95%% CI %s to %s)", s.prob ? "" : "       ", s.lo, s.hi);
    if (s.worlds) fprintf(f, "  worlds %s to %s", s.q05, s.q95);
    fputc('\n', f);
  }
  char verdict[3072];
  legation_compare_verdict(run, v, c->min_effects, c->nmin_effects, verdict, sizeof verdict);
  fputs("  ", f);
  cli_wrap(f, verdict, 0, 2);
}

/* Every output of option v: base mean, option mean, change, CI, narrowing. */
static void text_every_output(FILE *f, const legation_run *run, int v) {
  char label[256];
  legation_variant_label(run, v, label, sizeof label);
  fprintf(f, "\n%s\n  %-26s %10s %10s %10s  %-23s %s\n", label, "output", "base", "option",
          "change", "95% CI", "narrower");
  int no = legation_output_count();
  for (int i = 0; i < no; i++) {
    const legation_output_info *info = legation_output_get(i);
    legation_stat b, o;
    legation_diff d;
    if (!info || legation_run_variant_stat(run, 0, i, &b) != LEGATION_OK ||
        legation_run_variant_stat(run, v, i, &o) != LEGATION_OK ||
        legation_run_diff(run, v, i, &d) != LEGATION_OK)
      continue;
    int dec = legation_decimals_for(d.paired.mean, d.paired.lo, d.paired.hi);
    int dm = legation_decimals_for(b.mean, b.lo, b.hi);
    char bm[40], om[40], dmn[40], lo[40], hi[40], ci[96], nw[32];
    legation_format_fixed(bm, sizeof bm, b.n ? b.mean : NAN, dm, 0);
    legation_format_fixed(om, sizeof om, o.n ? o.mean : NAN, dm, 0);
    legation_format_fixed(dmn, sizeof dmn, d.paired.n ? d.paired.mean : NAN, dec, 1);
    legation_format_fixed(lo, sizeof lo, d.paired.n > 1 ? d.paired.lo : NAN, dec, 1);
    legation_format_fixed(hi, sizeof hi, d.paired.n > 1 ? d.paired.hi : NAN, dec, 1);
    snprintf(ci, sizeof ci, "%s to %s", lo, hi);
    if (isfinite(d.narrowing))
      snprintf(nw, sizeof nw, "%.1fx", d.narrowing);
    else
      snprintf(nw, sizeof nw, "-");
    fprintf(f, "  %-26s %10s %10s %10s  %-23s %s\n", info->name, bm, om, dmn, ci, nw);
  }
}

void cli_compare_text(FILE *f, const cli_compare_view *c) {
  const legation_run *run = c->run;
  const legation_scenario *base = legation_run_variant_scenario(run, 0);
  int nv = legation_run_variant_count(run);
  const char *title = legation_scenario_title(base);
  const char *name = legation_scenario_name(base);
  fprintf(f, "Comparison with %s", title && *title ? title : "an untitled scenario");
  if (name && *name) fprintf(f, " (%s)", name);
  fputc('\n', f);
  char thr[64];
  cli_threads_text(thr, sizeof thr, c->threads_asked);
  int64_t done = legation_run_reps_done(run);
  fprintf(f, "%d option%s; ", nv - 1, nv == 2 ? "" : "s");
  if (done == c->reps_asked)
    fprintf(f, "%lld replications", (long long)done);
  else
    fprintf(f, "%lld of %lld replications", (long long)done, (long long)c->reps_asked);
  fprintf(f, " of each with common random numbers, seed %llu, %s, %d months, %.2f s\n",
          (unsigned long long)legation_run_seed(run), thr, legation_run_months(run),
          c->seconds > 0 ? c->seconds : legation_run_seconds(run));

  fputs("\nScorecard: change from the base (option minus base; probabilities "
        "in\npercentage points)\n",
        f);
  for (int v = 1; v < nv; v++) text_scorecard(f, c, v);

  int cnt = 0;
  double med = legation_run_narrowing(run, &cnt);
  fputc('\n', f);
  if (isfinite(med)) {
    char line[512];
    snprintf(line, sizeof line,
             "Paired intervals are %.1fx narrower than two independent runs of "
             "the same size would give (median over %d outputs and options).",
             med, cnt);
    cli_wrap(f, line, 0, 0);
  } else {
    fputs("Too few replications to compare paired with independent intervals.\n", f);
  }

  fputs("\nEvery output: means of base and option, paired change (option minus "
        "base)\nwith its 95% CI, and how much narrower that CI is than "
        "independent runs'\n",
        f);
  for (int v = 1; v < nv; v++) text_every_output(f, run, v);
}

/* ------------------------------------------------------------ Markdown */

/* The scorecard as Markdown (docs/GUIDE.md embeds it): per option the
 * change in each scorecard output with its interval and, with drawn
 * parameters, the 5th-95th percentile across worlds and the share of
 * worlds the option favours each side in; then the verdicts. */
void cli_compare_markdown(FILE *f, const cli_compare_view *c) {
  const legation_run *run = c->run;
  const legation_scenario *base = legation_run_variant_scenario(run, 0);
  int nv = legation_run_variant_count(run), worlds = legation_run_vary_count(run) > 0;
  fprintf(f, "| option |");
  for (int r = 0; r < legation_scorecard_count(); r++) {
    char row[256];
    legation_scorecard_label(base, r, row, sizeof row);
    fprintf(f, " %s |", row);
  }
  if (worlds) fprintf(f, " worlds favouring %s / %s |", side_name(base, 0), side_name(base, 1));
  fprintf(f, "\n| --- |");
  for (int r = 0; r < legation_scorecard_count() + worlds; r++) fprintf(f, " --- |");
  fputc('\n', f);
  for (int v = 1; v < nv; v++) {
    char label[256];
    legation_variant_label(run, v, label, sizeof label);
    fprintf(f, "| `%s` |", label);
    legation_score bal = {0};
    for (int r = 0; r < legation_scorecard_count(); r++) {
      legation_score s;
      if (legation_score_get(run, v, legation_output_find(legation_scorecard_output(r)),
                             c->min_effects, c->nmin_effects, &s) != LEGATION_OK) {
        fprintf(f, " n/a |");
        continue;
      }
      if (strcmp(legation_scorecard_output(r), "balance") == 0) bal = s;
      fprintf(f, " %s%s (%s to %s)", s.mean, s.prob ? " pts" : "", s.lo, s.hi);
      if (s.worlds) fprintf(f, "; worlds %s to %s", s.q05, s.q95);
      fprintf(f, " |");
    }
    if (worlds && bal.worlds) {
      double k = (double)bal.w.worlds;
      fprintf(f, " %.0f%% / %.0f%% of %lld |", 100 * (double)bal.w.above / k,
              100 * (double)bal.w.below / k, (long long)bal.w.worlds);
    } else if (worlds) {
      fprintf(f, " n/a |");
    }
    fputc('\n', f);
  }
  fputc('\n', f);
  for (int v = 1; v < nv; v++) {
    char verdict[3072];
    legation_compare_verdict(run, v, c->min_effects, c->nmin_effects, verdict, sizeof verdict);
    fprintf(f, "- %s\n", verdict);
  }
}

/* ---------------------------------------------------------------- JSON */

static json_t *jstr(const char *s) { return s ? json_string(s) : json_null(); }

/* The scorecard rows of option v: label and paired difference. */
static json_t *json_scorecard(const cli_compare_view *c, int v) {
  const legation_run *run = c->run;
  const legation_scenario *base = legation_run_variant_scenario(run, 0);
  json_t *arr = json_array();
  int bad = !arr;
  for (int r = 0; r < legation_scorecard_count() && !bad; r++) {
    int i = legation_output_find(legation_scorecard_output(r));
    legation_diff d;
    if (i < 0 || legation_run_diff(run, v, i, &d) != LEGATION_OK) continue;
    char label[256];
    legation_scorecard_label(base, r, label, sizeof label);
    json_t *o = json_object();
    bad |= !o;
    bad |= json_object_set_new(o, "output", json_string(legation_scorecard_output(r)));
    bad |= json_object_set_new(o, "label", json_string(label));
    bad |= json_object_set_new(o, "mean", cli_json_num(d.paired.mean));
    bad |= json_object_set_new(o, "lo", cli_json_num(d.paired.lo));
    bad |= json_object_set_new(o, "hi", cli_json_num(d.paired.hi));
    bad |= json_object_set_new(o, "min_effect", cli_json_num(legation_min_effect(run, i, c->min_effects, c->nmin_effects)));
    legation_world_stat w;
    if (legation_run_vary_count(run) > 0 && legation_run_world_diff(run, v, i, &w) == LEGATION_OK)
      bad |= json_object_set_new(o, "worlds", cli_json_world(&w));
    bad |= json_array_append_new(arr, o);
  }
  if (bad) {
    json_decref(arr);
    return NULL;
  }
  return arr;
}

int cli_compare_json(FILE *f, const cli_compare_view *c) {
  const legation_run *run = c->run;
  const legation_scenario *base = legation_run_variant_scenario(run, 0);
  json_t *root = json_object();
  json_t *states = json_array();
  json_t *scen = json_array();
  int bad = !root || !states || !scen;
  bad |= json_object_set_new(root, "legation_version", json_string(legation_version()));
  bad |= json_object_set_new(root, "kind", json_string("compare"));
  bad |= json_array_append_new(states, jstr(side_name(base, 0)));
  bad |= json_array_append_new(states, jstr(side_name(base, 1)));
  bad |= json_object_set_new(root, "states", states);
  bad |= json_object_set_new(root, "reps",
                             json_integer((json_int_t)legation_run_reps_done(run)));
  bad |= json_object_set_new(root, "reps_requested", json_integer((json_int_t)c->reps_asked));
  bad |= json_object_set_new(root, "complete", json_boolean(c->status == LEGATION_OK));
  bad |= json_object_set_new(root, "seed", cli_json_seed(legation_run_seed(run)));
  bad |= json_object_set_new(root, "threads", json_integer(c->threads_asked));
  bad |= json_object_set_new(root, "seconds",
                             cli_json_num(c->seconds > 0 ? c->seconds : legation_run_seconds(run)));
  bad |= json_object_set_new(root, "months", json_integer(legation_run_months(run)));
  int cnt = 0;
  double med = legation_run_narrowing(run, &cnt);
  json_t *nar = json_object();
  bad |= !nar;
  bad |= json_object_set_new(nar, "median", cli_json_num(med));
  bad |= json_object_set_new(nar, "count", json_integer(cnt));
  bad |= json_object_set_new(root, "narrowing", nar);
  int nv = legation_run_variant_count(run);
  for (int v = 0; v < nv && !bad; v++) {
    const legation_scenario *sc = legation_run_variant_scenario(run, v);
    json_t *o = json_object();
    bad |= !o;
    bad |= json_object_set_new(o, "role", json_string(v ? "option" : "base"));
    bad |= json_object_set_new(o, "operand", jstr(v < c->nlabels ? c->labels[v] : NULL));
    bad |= json_object_set_new(o, "name", jstr(legation_scenario_name(sc)));
    bad |= json_object_set_new(o, "title", jstr(legation_scenario_title(sc)));
    if (v) {
      char verdict[3072];
      legation_compare_verdict(run, v, c->min_effects, c->nmin_effects, verdict, sizeof verdict);
      bad |= json_object_set_new(o, "verdict", json_string(verdict));
      bad |= json_object_set_new(o, "scorecard", json_scorecard(c, v));
    }
    char *text = NULL;
    legation_status s = legation_run_stats_json(run, v, &text);
    bad |= json_object_set_new(o, "outputs", cli_json_lib(s, text));
    if (v) {
      s = legation_run_diffs_json(run, v, &text);
      bad |= json_object_set_new(o, "diffs", cli_json_lib(s, text));
    }
    bad |= json_array_append_new(scen, o);
  }
  bad |= json_object_set_new(root, "scenarios", scen);
  if (!bad && json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                      JSON_REAL_PRECISION(15)) == 0)
    fputc('\n', f);
  json_decref(root);
  return bad ? -1 : 0;
}

/* ----------------------------------------------------------------- CSV */

/* One row per scenario and output: its statistics, and for an option the
 * paired difference from the base (empty for the base row).  Columns:
 * variant,role,operand,name,output,unit,kind,n,mean,sd,lo,hi,min,q05,q25,
 * q50,q75,q95,max,diff_mean,diff_lo,diff_hi,indep_lo,indep_hi,narrowing */
void cli_compare_csv(FILE *f, const cli_compare_view *c) {
  fputs("variant,role,operand,name,output,unit,kind,n,mean,sd,lo,hi,min,q05,q25,q50,q75,"
        "q95,max,diff_mean,diff_lo,diff_hi,indep_lo,indep_hi,narrowing\n", f);
  int nv = legation_run_variant_count(c->run), no = legation_output_count();
  for (int v = 0; v < nv; v++) {
    const legation_scenario *sc = legation_run_variant_scenario(c->run, v);
    for (int i = 0; i < no; i++) {
      const legation_output_info *info = legation_output_get(i);
      legation_stat st;
      if (!info || legation_run_variant_stat(c->run, v, i, &st) != LEGATION_OK) continue;
      fprintf(f, "%d,%s,", v, v ? "option" : "base");
      cli_csv_field(f, v < c->nlabels ? c->labels[v] : "");
      fputc(',', f);
      cli_csv_field(f, legation_scenario_name(sc));
      fputc(',', f);
      cli_csv_field(f, info->name);
      fputc(',', f);
      cli_csv_field(f, info->unit);
      fprintf(f, ",%s,%lld", info->kind == LEGATION_OUT_PROB ? "prob" : "real", (long long)st.n);
      const double x[] = {st.mean, st.sd,  st.lo,  st.hi,  st.min, st.q05,
                          st.q25,  st.q50, st.q75, st.q95, st.max};
      char buf[40];
      for (size_t k = 0; k < sizeof x / sizeof x[0]; k++)
        fprintf(f, ",%s", cli_fmt_real(buf, sizeof buf, x[k]));
      legation_diff d;
      if (v && legation_run_diff(c->run, v, i, &d) == LEGATION_OK) {
        const double y[] = {d.paired.mean, d.paired.lo, d.paired.hi, d.indep_lo, d.indep_hi,
                            d.narrowing};
        for (size_t k = 0; k < sizeof y / sizeof y[0]; k++)
          fprintf(f, ",%s", cli_fmt_real(buf, sizeof buf, y[k]));
      } else {
        fputs(",,,,,,", f);
      }
      fputc('\n', f);
    }
  }
}

/* ------------------------------------------------------------- command */

json_t *cli_compare_report_data(const cli_compare_view *c, const legation_repvals *rv) {
  int nv = legation_run_variant_count(c->run);
  legation_report_part *parts = calloc((size_t)nv, sizeof *parts);
  if (!parts) return NULL;
  for (int v = 0; v < nv; v++) {
    parts[v].run = c->run;
    parts[v].v = v;
    parts[v].label = v < c->nlabels ? c->labels[v] : NULL;
  }
  legation_report_spec in = {.kind = LEGATION_REPORT_COMPARE, .parts = parts, .nparts = nv,
                             .reps_asked = c->reps_asked, .threads_asked = c->threads_asked,
                             .status = c->status, .rv = rv, .seconds = c->seconds,
                             .options_by_effect = c->options_default};
  char *text = NULL;
  legation_status made = legation_report_data(&in, &text);
  json_t *data = cli_json_lib(made, text);
  free(parts);
  return data;
}

/* Print the result and write the report; returns an exit code. */
static int emit(const cli_args *a, const cli_compare_view *c, const legation_repvals *rv) {
  if (a->given[CLI_OPT_JSON]) {
    if (cli_compare_json(stdout, c) != 0) {
      cli_err("compare: out of memory while writing JSON");
      return CLI_EXIT_RUN;
    }
  } else if (a->given[CLI_OPT_MARKDOWN]) {
    cli_compare_markdown(stdout, c);
  } else if (a->given[CLI_OPT_CSV]) {
    cli_compare_csv(stdout, c);
  } else {
    cli_compare_text(stdout, c);
  }
  if (!a->report) return CLI_EXIT_OK;
  json_t *data = cli_compare_report_data(c, rv);
  if (!data) {
    cli_err("compare: out of memory while building the report");
    return CLI_EXIT_RUN;
  }
  int rc = cli_report_write(a, a->report, data);
  json_decref(data);
  return rc;
}

int cli_cmd_compare(const cli_args *a) {
  /* --resume: the results store rebuilds the comparison (cmd_runs.c), and
   * the operands are the stored options' origins */
  cli_store_rec rec;
  legation_run *run = NULL;
  operands ops = {0};
  char **stored = NULL;
  int nstored = 0;
  /* an output that would replace the store is refused before the run */
  int rc = cli_check_min_effects(a);
  if (!rc) rc = cli_output_check(a, a->report);
  if (rc) return rc;
  rc = cli_store_rebuild(&rec, a, &run);
  if (rc) return rc;
  if (run) {
    rc = cli_store_labels(rec.st, "compare", a->resume, &stored, &nstored);
    ops.names = (const char **)stored;
    ops.n = nstored;
  } else {
    rc = resolve(&ops, a);
    if (!rc) rc = build_run(&run, &ops, a);
  }
  if (rc) {
    legation_session_free(rec.ses);
    legation_run_free(run);
    if (stored)
      legation_store_operands_free(stored, nstored);
    else
      free(ops.names);
    return rc;
  }
  int nv = legation_run_variant_count(run);
  /* The report's histograms need every replication's balance and
   * expulsions of every variant; keep_reps holds the base only.  A resumed
   * comparison lacks those of the replications before its checkpoint, so
   * its report draws them from the quantiles. */
  legation_repvals *rv = a->report && !a->resume ? legation_repvals_new(nv, 0, rec.reps) : NULL;
  if (rv) legation_run_set_rep_sink(run, legation_repvals_sink, rv);
  cli_progress prog;
  cli_progress_init(&prog, !a->given[CLI_OPT_QUIET] && isatty(STDERR_FILENO));
  legation_run_set_progress(run, cli_progress_cb, &prog);
  cli_sigint_install();
  rc = cli_store_begin(&rec, a, run, &prog, ops.names, ops.n);
  legation_status st = LEGATION_OK;
  if (!rc) {
    st = legation_run_execute(run);
    cli_progress_done(&prog);
  }
  int rc_store = rc ? CLI_EXIT_OK : cli_store_end(&rec, run, st);

  if (rc) {
    /* the store could not record it: nothing ran */
  } else if (st == LEGATION_EINTR && !cli_interrupted() && rc_store) {
    rc = rc_store; /* stopped by the store's sink (a full disk): said */
  } else if (st != LEGATION_OK && st != LEGATION_EINTR) {
    const char *msg = legation_run_errmsg(run);
    if (msg && *msg)
      cli_err_lines(msg);
    else
      cli_err("compare: %s", legation_strerror(st));
    rc = cli_exit_for(st);
  } else {
    cli_compare_view view = {run, rec.reps, a->threads, st,
                             ops.names, ops.n, 0, a->min_effects, a->nmin_effects,
                             !a->resume && a->npos <= 1};
    rc = emit(a, &view, rv);
    if (st == LEGATION_EINTR) {
      cli_err("compare: interrupted after %lld of %lld replications; the results "
              "above cover those",
              (long long)legation_run_reps_done(run), (long long)rec.reps);
      if (!rc) rc = CLI_EXIT_INTR;
    }
    if (!rc) rc = rc_store;
  }
  legation_repvals_free(rv);
  legation_run_free(run);
  if (stored)
    legation_store_operands_free(stored, nstored);
  else
    free(ops.names);
  return rc;
}
