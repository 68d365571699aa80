/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd_sweep.c - `legation sweep`: a scenario (and options) evaluated at
 * many parameter points made from a design (grid, Latin hypercube, Sobol)
 * with common random numbers across points, streamed: each finished point
 * goes to the output (tidy CSV, JSON lines or a readable table) and to the
 * results store as it completes, so memory stays flat and a killed sweep
 * resumes from its last checkpoint (--resume ID).  With --posterior ID
 * every point's replications are worlds drawn from a stored calibration's
 * posterior (legation_run_sweep_posterior).
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"

/* The outputs the readable table shows (every output goes to CSV/JSON). */
static const char *const text_outputs[] = {"value_a", "value_b", "balance", "spiral", "settled"};

/* What the world sink needs. */
typedef struct sweep_out {
  const legation_run *run;
  legation_store *store;   /* NULL when not storing */
  FILE *f;
  int format;              /* 0 text, 1 csv, 2 json lines */
  int nvar;
  int failed;              /* a write failed */
  int64_t rows;
  json_t *report;          /* --report: the rows kept for the charts, or NULL */
  int npost;               /* parameters drawn from a posterior in each replication */
} sweep_out;

/* Parameters a sweep draws from a posterior: the drawn keys after the
 * sweep's own (legation_run_sweep_posterior). */
static int posterior_keys(const legation_run *run) {
  int nsk = 0;
  if (legation_run_sweep_spec(run, NULL, NULL, &nsk, NULL) != LEGATION_OK) return 0;
  return legation_run_vary_count(run) - nsk;
}

/* The sentence saying which uncertainty a point's interval covers. */
static void uncertainty_line(FILE *f, const cli_args *a, const legation_run *run, int npost) {
  long long r = (long long)legation_run_reps_per_world(run);
  if (!npost) {
    fprintf(f,
            "Intervals: 95%% CI of each point's mean over its %lld replications; they cover "
            "Monte Carlo noise only (parameters not swept keep the scenario's values).\n",
            r);
    return;
  }
  char cal[64] = "the stored calibration";
  if (a->posterior) snprintf(cal, sizeof cal, "calibration %lld", (long long)a->posterior);
  fprintf(f,
          "Intervals: 95%% CI of each point's mean over its %lld replications, each a world drawn "
          "from the posterior of %s (%d parameter%s), the same worlds at every point; they cover "
          "what the calibration left uncertain as well as noise.\n",
          r, cal, npost, npost == 1 ? "" : "s");
}

/* "KEY=LO:HI[:N]" or "KEY" (the scenario's plausible range). */
static int parse_vary(const cli_args *a, const char *arg, legation_sweep_key *k, char *keybuf,
                      size_t keysz) {
  const char *eq = strchr(arg, '=');
  size_t n = eq ? (size_t)(eq - arg) : strlen(arg);
  if (n == 0 || n >= keysz)
    return cli_usage_error(a->cmd, "--vary: expected KEY=LO:HI[:N] or KEY, found '%s'", arg);
  memcpy(keybuf, arg, n);
  keybuf[n] = 0;
  k->key = keybuf;
  k->lo = k->hi = NAN;
  k->levels = 0;
  if (!eq) return CLI_EXIT_OK;
  char *end;
  const char *p = eq + 1;
  k->lo = strtod(p, &end);
  if (end == p || *end != ':') goto bad;
  p = end + 1;
  k->hi = strtod(p, &end);
  if (end == p || (*end && *end != ':')) goto bad;
  if (*end == ':') {
    p = end + 1;
    long lv = strtol(p, &end, 10);
    if (end == p || *end || lv < 1 || lv > 1000000) goto bad;
    k->levels = (int)lv;
  }
  if (!isfinite(k->lo) || !isfinite(k->hi)) goto bad;
  return CLI_EXIT_OK;
bad:
  return cli_usage_error(a->cmd,
                         "--vary: expected KEY=LO:HI[:N] (numbers, N levels 1 to 1000000) or "
                         "KEY, found '%s'",
                         arg);
}

static const char *variant_name(const legation_run *run, int v) {
  const char *n = legation_scenario_name(legation_run_variant_scenario(run, v));
  return n && *n ? n : v ? "option" : "base";
}

static void header(sweep_out *o) {
  const legation_run *run = o->run;
  int nk = legation_run_vary_count(run) - o->npost;
  if (o->format == 1) {
    fputs("point,scenario,kind", o->f);
    for (int k = 0; k < nk; k++) {
      fputc(',', o->f);
      cli_csv_field(o->f, legation_run_vary_key(run, k));
    }
    for (int i = 0; i < legation_output_count(); i++) {
      const char *nm = legation_output_get(i)->name;
      fprintf(o->f, ",%s_mean,%s_lo,%s_hi,%s_n", nm, nm, nm, nm);
    }
    fputc('\n', o->f);
  } else if (o->format == 0) {
    fprintf(o->f, "%6s  %-28s", "point", "scenario");
    for (int k = 0; k < nk; k++) {
      const char *key = legation_run_vary_key(run, k), *dot = strrchr(key, '.');
      char shortk[40];
      /* "states.a.openness" -> "a.openness" */
      const char *s = key;
      if (dot && dot - key > 2 && (strncmp(key, "states.", 7) == 0 || strncmp(key, "missions.", 9) == 0))
        s = strchr(key, '.') + 1;
      snprintf(shortk, sizeof shortk, "%.14s", s);
      fprintf(o->f, " %14s", shortk);
    }
    for (size_t i = 0; i < sizeof text_outputs / sizeof text_outputs[0]; i++)
      fprintf(o->f, " %18s", text_outputs[i]);
    fputc('\n', o->f);
  }
}

/* One finished point of variant v (or difference): to the store and out. */
static int on_world(void *user, const legation_world_result *w) {
  sweep_out *o = user;
  if (o->store && legation_store_world_sink(o->store, w)) return 1;
  const legation_run *run = o->run;
  int nk = legation_run_vary_count(run) - o->npost; /* the swept keys */
  int64_t rpp = legation_run_reps_per_world(run);
  char label[160];
  snprintf(label, sizeof label, "%s", variant_name(run, w->variant));
  const char *kind = w->diff ? "change" : "value";
  double x;
  if (o->format == 1) {
    fprintf(o->f, "%lld,", (long long)w->world);
    cli_csv_field(o->f, label);
    fprintf(o->f, ",%s", kind);
    for (int k = 0; k < nk; k++) {
      char buf[40];
      legation_run_rep_param(run, w->variant, w->world * rpp, legation_run_vary_key(run, k), &x);
      fprintf(o->f, ",%s", cli_fmt_real(buf, sizeof buf, x));
    }
    for (int i = 0; i < w->count; i++) {
      char b1[40], b2[40], b3[40];
      const legation_stat *s = &w->stats[i];
      fprintf(o->f, ",%s,%s,%s,%lld", cli_fmt_real(b1, sizeof b1, s->mean),
              cli_fmt_real(b2, sizeof b2, s->lo), cli_fmt_real(b3, sizeof b3, s->hi),
              (long long)s->n);
    }
    fputc('\n', o->f);
  } else if (o->format == 2) {
    json_t *j = json_object(), *params = json_object(), *outs = json_object();
    json_object_set_new(j, "point", json_integer((json_int_t)w->world));
    json_object_set_new(j, "scenario", json_string(label));
    json_object_set_new(j, "kind", json_string(kind));
    for (int k = 0; k < nk; k++) {
      legation_run_rep_param(run, w->variant, w->world * rpp, legation_run_vary_key(run, k), &x);
      json_object_set_new(params, legation_run_vary_key(run, k), json_real(x));
    }
    json_object_set_new(j, "params", params);
    json_object_set_new(j, "uncertainty", json_string(o->npost ? "posterior and noise" : "noise"));
    for (int i = 0; i < w->count; i++) {
      const legation_stat *s = &w->stats[i];
      json_t *e = json_object();
      json_object_set_new(e, "mean", isfinite(s->mean) ? json_real(s->mean) : json_null());
      json_object_set_new(e, "lo", isfinite(s->lo) ? json_real(s->lo) : json_null());
      json_object_set_new(e, "hi", isfinite(s->hi) ? json_real(s->hi) : json_null());
      json_object_set_new(e, "n", json_integer((json_int_t)s->n));
      json_object_set_new(outs, legation_output_get(i)->name, e);
    }
    json_object_set_new(j, "outputs", outs);
    if (json_dumpf(j, o->f, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15)) == 0)
      fputc('\n', o->f);
    json_decref(j);
  } else {
    char lab[192];
    snprintf(lab, sizeof lab, "%s%s", w->diff ? "change: " : "", label);
    fprintf(o->f, "%6lld  %-28.28s", (long long)w->world, lab);
    for (int k = 0; k < nk; k++) {
      char buf[40];
      legation_run_rep_param(run, w->variant, w->world * rpp, legation_run_vary_key(run, k), &x);
      snprintf(buf, sizeof buf, "%.4g", x);
      fprintf(o->f, " %14s", buf);
    }
    for (size_t t = 0; t < sizeof text_outputs / sizeof text_outputs[0]; t++) {
      int i = legation_output_find(text_outputs[t]);
      if (i < 0) continue;
      const legation_stat *s = &w->stats[i];
      int prob = legation_output_get(i)->kind == LEGATION_OUT_PROB;
      double k = prob ? 100 : 1, half = (s->hi - s->lo) / 2 * k;
      int d = prob ? 1 : legation_decimals_for(s->mean, s->lo, s->hi);
      char cell[64];
      if (isfinite(half))
        snprintf(cell, sizeof cell, "%.*f+/-%.*f%s", d, s->mean * k, d, half, prob ? "%" : "");
      else
        snprintf(cell, sizeof cell, "%.*f%s", d, s->mean * k, prob ? "%" : "");
      fprintf(o->f, " %18s", cell);
    }
    fputc('\n', o->f);
  }
  if (o->report) {
    json_t *row = json_object(), *par = json_array(), *m = json_array(), *l = json_array(),
           *h = json_array();
    for (int k = 0; k < nk; k++) {
      legation_run_rep_param(run, w->variant, w->world * rpp, legation_run_vary_key(run, k), &x);
      json_array_append_new(par, json_real(x));
    }
    for (size_t t = 0; t < sizeof text_outputs / sizeof text_outputs[0]; t++) {
      int i = legation_output_find(text_outputs[t]);
      const legation_stat *st = &w->stats[i];
      json_array_append_new(m, isfinite(st->mean) ? json_real(st->mean) : json_null());
      json_array_append_new(l, isfinite(st->lo) ? json_real(st->lo) : json_null());
      json_array_append_new(h, isfinite(st->hi) ? json_real(st->hi) : json_null());
    }
    json_object_set_new(row, "point", json_integer((json_int_t)w->world));
    json_object_set_new(row, "scenario", json_string(label));
    json_object_set_new(row, "kind", json_string(kind));
    json_object_set_new(row, "params", par);
    json_object_set_new(row, "mean", m);
    json_object_set_new(row, "lo", l);
    json_object_set_new(row, "hi", h);
    json_array_append_new(json_object_get(o->report, "rows"), row);
  }
  o->rows++;
  if (ferror(o->f)) {
    o->failed = 1;
    return 1;
  }
  return cli_interrupted();
}

/* --posterior ID: the stored calibration's particles across the sweep's
 * points (after legation_run_sweep); an exit code. */
static int sweep_posterior(legation_run *run, const cli_args *a) {
  legation_store *st = NULL;
  int rc = cli_store_open(a, "sweep", 0, &st);
  if (rc) return rc;
  int np = 0;
  char **keys = NULL;
  int64_t npart = 0;
  double *values = NULL, *weights = NULL;
  legation_status s =
      legation_store_calib_posterior(st, a->posterior, &np, &keys, &npart, &values, &weights);
  if (s != LEGATION_OK) {
    cli_err("sweep: --posterior %lld: %s", (long long)a->posterior, legation_store_errmsg(st));
    legation_store_close(st);
    return cli_exit_for(s) == CLI_EXIT_RUN ? CLI_EXIT_DATA : cli_exit_for(s);
  }
  legation_store_close(st);
  int nsk = 0;
  const legation_sweep_key *sk = NULL;
  legation_run_sweep_spec(run, NULL, NULL, &nsk, &sk);
  s = legation_run_sweep_posterior(run, (const char *const *)keys, np, values, weights, npart);
  if (s != LEGATION_OK) {
    const char *m = legation_run_errmsg(run);
    cli_err("sweep: --posterior %lld: %s", (long long)a->posterior, m && *m ? m : legation_strerror(s));
    rc = CLI_EXIT_DATA;
  } else if (!a->given[CLI_OPT_QUIET]) {
    for (int j = 0; j < np; j++)
      for (int k = 0; k < nsk; k++)
        if (strcmp(keys[j], sk[k].key) == 0)
          fprintf(stderr,
                  "legation: sweep: %s is swept; its posterior values in calibration %lld are "
                  "not used\n",
                  keys[j], (long long)a->posterior);
  }
  for (int j = 0; j < np; j++) free(keys[j]);
  free(keys), free(values), free(weights);
  return rc;
}

/* The run of the sweep from the command line into *out; an exit code. */
static int make_sweep(const cli_args *a, legation_run **out) {
  legation_scenario *sc = legation_scenario_new();
  if (!sc) return cli_err("out of memory"), CLI_EXIT_RUN;
  int rc = cli_load_scenario(sc, "sweep", a->npos ? a->pos[0] : NULL);
  if (!rc) rc = cli_apply_sets(sc, "sweep", a->sets, a->nsets);
  if (!rc && a->months) rc = cli_set_months(sc, "sweep", a->months);
  if (rc) {
    legation_scenario_free(sc);
    return rc;
  }
  legation_run *run = legation_run_new(sc);
  if (!run) {
    legation_scenario_free(sc);
    return cli_err("out of memory"), CLI_EXIT_RUN;
  }
  for (int i = 0; i < a->noptions && !rc; i++) {
    legation_scenario *opt = legation_scenario_new();
    if (!opt) {
      rc = CLI_EXIT_RUN;
      break;
    }
    rc = cli_load_scenario(opt, "sweep", a->options[i]);
    if (!rc) rc = cli_apply_sets(opt, "sweep", a->sets, a->nsets);
    if (!rc && a->months) rc = cli_set_months(opt, "sweep", a->months);
    if (!rc && legation_run_add_variant(run, opt) < 0) {
      cli_err("sweep: option '%s': %s", a->options[i], legation_run_errmsg(run));
      rc = CLI_EXIT_DATA;
    }
    legation_scenario_free(opt);
  }
  /* the keys: --vary, or every uncertain parameter of the base */
  int nk = 0, cap = a->nvary;
  if (a->given[CLI_OPT_UNCERTAIN])
    for (int i = 0; i < legation_param_count(); i++) {
      legation_param p;
      if (legation_param_get(sc, i, &p) == LEGATION_OK && p.uncertain && !p.nalternatives) cap++;
    }
  legation_sweep_key *keys = calloc((size_t)cap + 1, sizeof *keys);
  char(*names)[128] = calloc((size_t)cap + 1, sizeof *names);
  if (!keys || !names) rc = rc ? rc : (cli_err("out of memory"), CLI_EXIT_RUN);
  for (int i = 0; !rc && i < a->nvary; i++)
    rc = parse_vary(a, a->vary[i], &keys[nk], names[nk], sizeof names[nk]), nk += !rc;
  if (!rc && a->given[CLI_OPT_UNCERTAIN])
    for (int i = 0; i < legation_param_count(); i++) {
      legation_param p;
      if (legation_param_get(sc, i, &p) != LEGATION_OK || !p.uncertain || p.nalternatives) continue;
      keys[nk++] = (legation_sweep_key){p.key, NAN, NAN, 0};
    }
  if (!rc && nk == 0)
    rc = cli_usage_error(a->cmd, "give --vary KEY=LO:HI[:N] (or KEY) or --uncertain");
  legation_design design = LEGATION_DESIGN_GRID;
  if (!rc) {
    const char *d = a->design ? a->design : (nk <= 2 ? "grid" : "lhs");
    design = strcmp(d, "grid") == 0 ? LEGATION_DESIGN_GRID
             : strcmp(d, "lhs") == 0 ? LEGATION_DESIGN_LHS
                                     : LEGATION_DESIGN_SOBOL;
    if (design == LEGATION_DESIGN_GRID && a->points)
      rc = cli_usage_error(a->cmd, "--points: a grid's points are set by the levels (KEY=LO:HI:N)");
  }
  int64_t rpp = a->given[CLI_OPT_REPS] ? a->reps : 100;
  if (!rc) {
    if (legation_run_set_seed(run, a->seed) != LEGATION_OK ||
        legation_run_set_threads(run, a->threads) != LEGATION_OK)
      rc = cli_usage_error(a->cmd, "%s", legation_run_errmsg(run));
  }
  if (!rc) {
    legation_status st =
        legation_run_sweep(run, keys, nk, design, a->points ? a->points : 100, rpp);
    if (st != LEGATION_OK) {
      cli_err("sweep: %s", legation_run_errmsg(run));
      rc = st == LEGATION_EINVAL && !strstr(legation_run_errmsg(run), "range") ? CLI_EXIT_USAGE
                                                                               : CLI_EXIT_DATA;
    }
  }
  if (!rc && a->posterior) rc = sweep_posterior(run, a);
  free(keys);
  free(names);
  legation_scenario_free(sc);
  if (rc) {
    legation_run_free(run);
    return rc;
  }
  *out = run;
  return CLI_EXIT_OK;
}

int cli_cmd_sweep(const cli_args *a) {
  cli_store_rec rec;
  legation_run *run = NULL;
  int rc = cli_store_rebuild(&rec, a, &run);
  if (rc == CLI_EXIT_OK && !run) rc = make_sweep(a, &run);
  if (rc) return rc;
  legation_design design;
  int64_t npoints;
  if (legation_run_sweep_spec(run, &design, &npoints, NULL, NULL) != LEGATION_OK) {
    legation_run_free(run);
    cli_err("sweep: not a sweep");
    return CLI_EXIT_USAGE;
  }
  rec.reps = npoints * legation_run_reps_per_world(run);

  cli_atomic outf = {0};
  if ((rc = cli_output_check(a, a->report)) != 0 || (rc = cli_output_check(a, a->output)) != 0 ||
      (rc = cli_atomic_open(&outf, a, a->output ? a->output : "-")) != 0) {
    legation_run_free(run);
    return rc;
  }
  sweep_out o = {run, NULL, outf.f, a->given[CLI_OPT_CSV] ? 1 : a->given[CLI_OPT_JSON] ? 2 : 0,
                 legation_run_variant_count(run), 0, 0, NULL, posterior_keys(run)};
  cli_progress prog;
  cli_progress_init(&prog, !a->given[CLI_OPT_QUIET] && isatty(STDERR_FILENO));
  legation_run_set_progress(run, cli_progress_cb, &prog);
  cli_sigint_install();
  /* the operands as the store records them: the base, then the options */
  const char **ops = calloc((size_t)a->noptions + 1, sizeof *ops);
  if (!ops) {
    cli_atomic_abort(&outf);
    legation_run_free(run);
    cli_err("out of memory");
    return CLI_EXIT_RUN;
  }
  ops[0] = a->npos ? a->pos[0] : NULL;
  for (int i = 0; i < a->noptions; i++) ops[i + 1] = a->options[i];
  /* the store records a sweep's design as @sweep; its posterior goes with
   * it as an '@posterior=ID' override (docs/STORE.md), which resume reads
   * back after the design (a run's --posterior is recorded instead of a
   * design, so it is not passed as such) */
  cli_args sa = *a;
  char post[48];
  const char **sets = NULL;
  if (a->posterior) {
    sets = calloc((size_t)a->nsets + 1, sizeof *sets);
    if (!sets) {
      free(ops);
      cli_atomic_abort(&outf);
      legation_run_free(run);
      cli_err("out of memory");
      return CLI_EXIT_RUN;
    }
    for (int i = 0; i < a->nsets; i++) sets[i] = a->sets[i];
    snprintf(post, sizeof post, "@posterior=%lld", (long long)a->posterior);
    sets[a->nsets] = post;
    sa.sets = sets;
    sa.nsets = a->nsets + 1;
    sa.posterior = 0;
  }
  rc = cli_store_begin(&rec, &sa, run, &prog, ops, a->resume ? 1 : a->noptions + 1);
  free(sets);
  free(ops);
  if (rc != 0) {
    cli_atomic_abort(&outf);
    legation_run_free(run);
    return rc;
  }
  o.store = rec.st;
  if (a->report) { /* the data block of the report (web/src/report.js, kind "sweep") */
    json_t *keys = json_array(), *outs = json_array(), *states = json_array();
    for (int k = 0; k < legation_run_vary_count(run); k++)
      json_array_append_new(keys, json_string(legation_run_vary_key(run, k)));
    for (size_t t = 0; t < sizeof text_outputs / sizeof text_outputs[0]; t++) {
      const legation_output_info *oi = legation_output_get(legation_output_find(text_outputs[t]));
      json_array_append_new(outs, json_pack("{s:s,s:s,s:s,s:s}", "name", oi->name, "unit", oi->unit,
                                            "description", oi->description, "kind",
                                            oi->kind == LEGATION_OUT_PROB ? "prob" : "real"));
    }
    const legation_scenario *sc0 = legation_run_scenario(run);
    json_array_append_new(states, json_string(legation_scenario_state_name(sc0, 0)));
    json_array_append_new(states, json_string(legation_scenario_state_name(sc0, 1)));
    static const char *const dn[] = {"grid", "lhs", "sobol"};
    o.report = json_pack("{s:s,s:s,s:o,s:s,s:s,s:s,s:I,s:I,s:o,s:o,s:[]}", "kind", "sweep",
                         "legation_version", legation_version(), "states", states, "name",
                         legation_scenario_name(sc0), "title", legation_scenario_title(sc0),
                         "design", dn[design], "points", (json_int_t)npoints, "reps_per_point",
                         (json_int_t)legation_run_reps_per_world(run), "keys", keys, "outputs",
                         outs, "rows");
  }
  legation_run_set_world_sink(run, on_world, &o);
  if (!a->given[CLI_OPT_QUIET] && !a->resume)
    fprintf(stderr, "legation: sweep: %lld points x %lld replications (%s design)%s\n",
            (long long)npoints, (long long)legation_run_reps_per_world(run),
            design == LEGATION_DESIGN_GRID ? "grid" : design == LEGATION_DESIGN_LHS ? "lhs" : "sobol",
            o.npost ? ", each replication a world drawn from the posterior" : "");
  if (a->resume && !a->given[CLI_OPT_QUIET])
    fprintf(stderr,
            "legation: sweep: points finished before the interruption are in the store "
            "('legation export %lld --what points'); the new ones follow\n",
            (long long)a->resume);
  header(&o);
  legation_status st = legation_run_execute(run);
  cli_progress_done(&prog);
  int rc_store = cli_store_end(&rec, run, st);
  if (o.failed || (st != LEGATION_OK && st != LEGATION_EINTR)) {
    json_decref(o.report);
    o.report = NULL;
  }
  if (o.failed) {
    cli_err("sweep: cannot write '%s': write error", a->output ? a->output : "standard output");
    cli_atomic_abort(&outf);
    legation_run_free(run);
    return CLI_EXIT_IO;
  }
  if (st != LEGATION_OK && st != LEGATION_EINTR) {
    const char *msg = legation_run_errmsg(run);
    cli_err_lines(msg && *msg ? msg : legation_strerror(st));
    cli_atomic_abort(&outf);
    legation_run_free(run);
    return cli_exit_for(st);
  }
  if (o.format == 0 && st == LEGATION_OK) uncertainty_line(o.f, a, run, o.npost);
  if (cli_atomic_commit(&outf, "sweep") != 0) {
    legation_run_free(run);
    return CLI_EXIT_IO;
  }
  if (o.report) {
    int rrc = cli_report_write(a, a->report, o.report);
    json_decref(o.report);
    o.report = NULL;
    if (rrc && !rc_store) rc_store = rrc;
  }
  if (st == LEGATION_EINTR) {
    cli_err("sweep: interrupted after %lld of %lld replications (%lld rows written)",
            (long long)legation_run_reps_done(run), (long long)rec.reps, (long long)o.rows);
    legation_run_free(run);
    return CLI_EXIT_INTR;
  }
  legation_run_free(run);
  return rc_store;
}
