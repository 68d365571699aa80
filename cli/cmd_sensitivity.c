/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd_sensitivity.c - `legation sensitivity` (Sobol indices or Morris
 * effects of every output over the uncertain parameters) and `legation
 * discover` (PRIM boxes where a condition on the outputs holds), as text
 * tables or JSON, on the analytic test:* models and on scenarios.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"

/* ======================================================================
 * Real scenarios: the study's points become a design run of the engine
 * (legation_run_set_points), the factors are the scenario's plausible
 * ranges (legation_param's uncertain, range_lo, range_hi, dist).  With
 * --option FILE the option runs as a variant under the same random numbers
 * and the outputs are the base's then each output's paired change,
 * OUTPUT_change (option minus base).
 * ====================================================================== */
/* What the evaluator of a scenario needs; owned by the command, freed
 * after the study (scen_eval_free). */
typedef struct scen_eval {
  legation_scenario *sc;
  legation_scenario *opt; /* --option, or NULL */
  int *whole;        /* per factor: a whole-number parameter (rounded) */
  const char **keys; /* the factors' parameter keys (owned by the study) */
  int nkeys;
  double *out;       /* the evaluator's output buffer while a run merges */
  int64_t rows;      /* its rows: npoints x reps */
  int noutputs;
} scen_eval;

static void scen_eval_free(scen_eval *e) {
  legation_scenario_free(e->sc);
  legation_scenario_free(e->opt);
  free(e->whole);
  free(e->keys);
  memset(e, 0, sizeof *e);
}

/* legation_rep_fn: replication rep (= point rep / reps, replication
 * rep % reps) into row rep of the evaluator's buffer: the base's outputs,
 * then (with an option, variant 1, which comes after the base) each
 * output's change from the base. */
static int scen_rep(void *user, int64_t rep, int variant, const double *outputs, int count) {
  scen_eval *e = user;
  if (variant > 1 || rep < 0 || rep >= e->rows) return 1; /* not a design run's */
  double *row = e->out + rep * e->noutputs;
  int half = e->opt ? e->noutputs / 2 : e->noutputs;
  int n = count < half ? count : half;
  if (variant == 0)
    memcpy(row, outputs, (size_t)n * sizeof *outputs);
  else
    for (int i = 0; i < n; i++) row[half + i] = outputs[i] - row[i];
  return 0;
}

/* legation_eval_fn: one run of npoints x reps replications; replication g
 * evaluates point g / reps with the streams of replication g % reps. */
static legation_status scen_evaluate(void *user, const double *points, int64_t npoints,
                                     int nfactors, int64_t reps, uint64_t seed, double *out,
                                     int noutputs, char *err, size_t errsz) {
  scen_eval *e = user;
  legation_run *run = legation_run_new(e->sc);
  if (!run) return LEGATION_ENOMEM;
  e->out = out;
  e->rows = npoints * reps;
  e->noutputs = noutputs;
  /* whole-number parameters are sampled on their continuous range and
   * rounded to the nearest whole value (docs/SENSITIVITY.md) */
  double *q = malloc((size_t)npoints * (size_t)nfactors * sizeof *q);
  if (!q) {
    legation_run_free(run);
    return LEGATION_ENOMEM;
  }
  for (int64_t j = 0; j < npoints; j++)
    for (int f = 0; f < nfactors; f++) {
      double x = points[(size_t)j * nfactors + f];
      q[(size_t)j * nfactors + f] = e->whole[f] ? floor(x + 0.5) : x;
    }
  legation_status st = legation_run_set_seed(run, seed);
  if (!st && e->opt && legation_run_add_variant(run, e->opt) != 1) st = LEGATION_EINVAL;
  if (!st) st = legation_run_set_reps(run, npoints * reps);
  if (!st) st = legation_run_set_threads(run, 0);
  if (!st) st = legation_run_set_points(run, e->keys, nfactors, q, npoints, reps);
  free(q);
  if (!st) {
    legation_run_set_rep_sink(run, scen_rep, e);
    st = legation_run_execute(run);
  }
  if (st) snprintf(err, errsz, "%s", legation_run_errmsg(run));
  legation_run_free(run);
  return st;
}

/* Set up study s for scenario `operand` (a file or built-in name): its
 * factors (--params, else --uncertain: every parameter marked uncertain),
 * outputs (every legation_output) and evaluator.  Prints messages; returns
 * an exit code.  *reps_default is the replications per point when --reps
 * is not given. */
static int cli_study_scenario(legation_study *s, scen_eval *e, const cli_args *a,
                              const char *cmd, const char *operand, int64_t *reps_default) {
  *reps_default = 20;
  legation_scenario *sc = legation_scenario_new();
  if (!sc) {
    cli_err("out of memory");
    return CLI_EXIT_RUN;
  }
  e->sc = sc;
  int rc = cli_load_scenario(sc, cmd, operand);
  if (rc) return rc;
  if (a->nsets) {
    rc = cli_apply_sets(sc, cmd, a->sets, a->nsets);
    if (rc) return rc;
  }
  if (a->noptions > 1) return cli_usage_error(a->cmd, "--option: give one option");
  if (a->noptions == 1) {
    if (!(e->opt = legation_scenario_new())) return CLI_EXIT_RUN;
    rc = cli_load_scenario(e->opt, cmd, a->options[0]);
    if (!rc && a->nsets) rc = cli_apply_sets(e->opt, cmd, a->sets, a->nsets);
    if (rc) return rc;
  }
  /* factors: --params K,K,... or every uncertain parameter */
  int np = legation_param_count();
  for (int i = 0; i < np && !rc; i++) {
    legation_param p;
    if (legation_param_get(sc, i, &p) != LEGATION_OK) continue;
    int take;
    if (a->params) {
      size_t n = strlen(p.key);
      const char *w = a->params;
      take = 0;
      while (*w && !take) {
        size_t k = strcspn(w, ",");
        take = k == n && strncmp(w, p.key, n) == 0;
        w += k;
        if (*w == ',') w++;
      }
    } else {
      /* weighted alternatives (choices) are not factors of a variance
       * decomposition on ranges: they stay at their values */
      take = p.uncertain && strcmp(p.dist, "fixed") != 0 && !p.nalternatives;
    }
    if (!take) continue;
    if (!p.has_range || p.nalternatives || !(p.range_lo < p.range_hi)) {
      cli_err("%s: --params: %s has no numeric plausible range in %s", cmd, p.key, operand);
      rc = CLI_EXIT_DATA;
      continue;
    }
    if (legation_study_add_factor(s, p.key, p.range_lo, p.range_hi, p.value, p.dist)) {
      cli_err("%s: %s", cmd, legation_study_errmsg(s));
      rc = CLI_EXIT_DATA;
    }
  }
  /* every --params key must name a parameter */
  for (const char *w = a->params; w && *w && !rc;) {
    size_t k = strcspn(w, ",");
    int found = 0;
    for (int f = 0; f < legation_study_factor_count(s); f++)
      if (strlen(legation_study_factor_name(s, f)) == k &&
          strncmp(legation_study_factor_name(s, f), w, k) == 0)
        found = 1;
    if (!found) {
      cli_err("%s: --params: unknown parameter '%.*s' (see 'legation params')", cmd, (int)k, w);
      rc = CLI_EXIT_DATA;
    }
    w += k;
    if (*w == ',') w++;
  }
  if (!rc && legation_study_factor_count(s) == 0) {
    cli_err("%s: %s: no uncertain parameter to vary (give --params K,K,...)", cmd, operand);
    rc = CLI_EXIT_DATA;
  }
  if (!rc) {
    int no = legation_output_count(), nt = e->opt ? 2 * no : no;
    const char **names = calloc((size_t)nt, sizeof *names);
    char (*changed)[64] = calloc((size_t)no, sizeof *changed);
    int nf = legation_study_factor_count(s);
    e->keys = calloc((size_t)nf, sizeof *e->keys);
    e->whole = calloc((size_t)nf, sizeof *e->whole);
    if (!names || !changed || !e->keys || !e->whole) {
      cli_err("out of memory");
      rc = CLI_EXIT_RUN;
    } else {
      for (int o = 0; o < no; o++) names[o] = legation_output_get(o)->name;
      for (int o = 0; e->opt && o < no; o++) {
        snprintf(changed[o], sizeof changed[o], "%s_change", legation_output_get(o)->name);
        names[no + o] = changed[o];
      }
      for (int f = 0; f < nf; f++) {
        e->keys[f] = legation_study_factor_name(s, f);
        for (int i = 0; i < np; i++) {
          legation_param p;
          if (legation_param_get(sc, i, &p) == LEGATION_OK && strcmp(p.key, e->keys[f]) == 0)
            e->whole[f] = p.type != LEGATION_PT_REAL;
        }
      }
      e->nkeys = nf;
      if (legation_study_set_evaluator(s, names, nt, scen_evaluate, e)) {
        cli_err("%s: %s", cmd, legation_study_errmsg(s));
        rc = CLI_EXIT_RUN;
      }
    }
    free(names);
    free(changed);
  }
  return rc;
}
/* ====================================================================== */

/* Set up the study for the operand: a test model or a scenario. */
static int setup_study(legation_study *s, scen_eval *e, const cli_args *a, const char *cmd) {
  const char *operand = a->pos[0];
  int64_t reps_default = 1;
  int rc;
  if (strncmp(operand, "test:", 5) == 0) {
    if (a->params) {
      cli_err("%s: --params: the factors of %s are fixed (x1, x2, ...); use --groups", cmd,
              operand);
      return CLI_EXIT_USAGE;
    }
    if (a->nsets) {
      cli_err("%s: --set: %s has no scenario parameters", cmd, operand);
      return CLI_EXIT_USAGE;
    }
    if (legation_study_use_test(s, operand) != LEGATION_OK) {
      cli_err("%s: %s", cmd, legation_study_errmsg(s));
      return CLI_EXIT_DATA;
    }
  } else {
    rc = cli_study_scenario(s, e, a, cmd, operand, &reps_default);
    if (rc) return rc;
  }
  if (a->groups && legation_study_load_groups(s, a->groups) != LEGATION_OK) {
    cli_err("%s: %s", cmd, legation_study_errmsg(s));
    return strstr(legation_study_errmsg(s), "cannot read") ? CLI_EXIT_IO : CLI_EXIT_DATA;
  }
  legation_study_set_seed(s, a->seed);
  if (legation_study_set_reps(s, a->given[CLI_OPT_REPS] ? a->reps : reps_default)) {
    cli_err("%s: --reps: %s", cmd, legation_study_errmsg(s));
    return CLI_EXIT_USAGE;
  }
  return 0;
}

/* A JSON number, null for NaN and infinities. */

static int print_json(json_t *doc) {
  int bad = json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
  json_decref(doc);
  fputc('\n', stdout);
  if (bad) {
    cli_err("out of memory");
    return CLI_EXIT_RUN;
  }
  return CLI_EXIT_OK;
}

/* "0.442 [0.422, 0.460]" */
static void fmt_ci(char *buf, size_t n, double x, double lo, double hi) {
  snprintf(buf, n, "%6.3f [%6.3f, %6.3f]", x, lo, hi);
}

/* -------------------------------------------------------------- Sobol */

typedef struct ranked {
  int g;
  double st;
} ranked;

static int by_st(const void *pa, const void *pb) {
  const ranked *x = pa, *y = pb;
  double a = isnan(x->st) ? -1 : x->st, b = isnan(y->st) ? -1 : y->st;
  if (a != b) return a < b ? 1 : -1;
  return x->g - y->g;
}

static int sobol_text(const legation_study *s, const cli_args *a, int64_t n, legation_status st) {
  int G = legation_study_group_count(s), no = legation_study_output_count(s);
  legation_study_var v0;
  legation_study_output_var(s, 0, &v0);
  int64_t reps = no ? v0.evaluations / (v0.points * (G + 2)) : 0;
  printf("Sobol indices of %s: %d factor%s in %d group%s, N = %lld base points x %d = %lld "
         "points, %lld replication%s each (%lld runs), seed %llu\n",
         a->pos[0], legation_study_factor_count(s), legation_study_factor_count(s) == 1 ? "" : "s",
         G, G == 1 ? "" : "s", (long long)v0.points, G + 2, (long long)(v0.points * (G + 2)),
         (long long)reps, reps == 1 ? "" : "s", (long long)v0.evaluations,
         (unsigned long long)a->seed);
  if (st == LEGATION_EINTR)
    printf("INTERRUPTED: the indices cover %lld of %lld base points\n", (long long)v0.points,
           (long long)n);
  printf("S1 first order (Saltelli 2010), ST total order (Jansen), with percentile bootstrap\n"
         "95%% intervals over base points; ranked by ST.\n");
  ranked *r = malloc((size_t)G * sizeof *r);
  if (!r) {
    cli_err("out of memory");
    return CLI_EXIT_RUN;
  }
  int width = 6;
  for (int g = 0; g < G; g++) {
    int l = (int)strlen(legation_study_group_name(s, g));
    if (l > width) width = l;
  }
  if (width > 40) width = 40;
  for (int o = 0; o < no; o++) {
    legation_study_var v;
    legation_study_output_var(s, o, &v);
    printf("\n%s: mean %.4g, variance %.4g", legation_study_output_name(s, o), v.mean, v.var);
    if (reps > 1)
      printf(", replication noise %.3g (%.1f%% of the variance)", v.noise_var,
             100 * v.noise_share);
    printf("\n  %-*s  %-22s  %s\n", width, "factor", "S1 [95%]", "ST [95%]");
    for (int g = 0; g < G; g++) {
      legation_sobol_index x;
      legation_study_sobol_index(s, o, g, &x);
      r[g] = (ranked){g, x.st};
    }
    qsort(r, (size_t)G, sizeof *r, by_st);
    for (int i = 0; i < G; i++) {
      legation_sobol_index x;
      legation_study_sobol_index(s, o, r[i].g, &x);
      char b1[64], b2[64], bar[32];
      fmt_ci(b1, sizeof b1, x.s1, x.s1_lo, x.s1_hi);
      fmt_ci(b2, sizeof b2, x.st, x.st_lo, x.st_hi);
      int len = isfinite(x.st) ? (int)lround(20 * (x.st < 0 ? 0 : x.st > 1 ? 1 : x.st)) : 0;
      memset(bar, '#', (size_t)len);
      bar[len] = 0;
      printf("  %-*.*s  %s  %s%s%s\n", width, width, legation_study_group_name(s, r[i].g), b1,
             b2, len ? "  " : "", bar);
    }
    if (reps > 1)
      printf("  %-*s  %6.3f  (noise variance / variance; each ST includes up to this much)\n",
             width, "(noise)", v.noise_share);
    /* one sentence: the groups whose total effect is at least 5% */
    char line[1024];
    size_t used = (size_t)snprintf(line, sizeof line, "What drives %s: ",
                                   legation_study_output_name(s, o));
    int named = 0;
    for (int i = 0; i < G && named < 5; i++) {
      legation_sobol_index x;
      legation_study_sobol_index(s, o, r[i].g, &x);
      if (!(x.st >= 0.05)) break;
      if (used < sizeof line)
        used += (size_t)snprintf(line + used, sizeof line - used, "%s%s (ST %.2f%s)",
                                 named ? ", " : "", legation_study_group_name(s, r[i].g), x.st,
                                 x.s1 < 0.5 * x.st ? ", mostly through interactions" : "");
      named++;
    }
    if (!named && used < sizeof line)
      snprintf(line + used, sizeof line - used, "no factor has a total index of 5%% or more");
    else if (used < sizeof line)
      snprintf(line + used, sizeof line - used, ".");
    cli_wrap(stdout, line, 0, 2);
  }
  free(r);
  return CLI_EXIT_OK;
}

static json_t *sobol_doc(const legation_study *s, const cli_args *a, int64_t n, legation_status st) {
  json_t *doc = json_object(), *groups = json_array(), *outs = json_array();
  int G = legation_study_group_count(s), no = legation_study_output_count(s);
  legation_study_var v0;
  legation_study_output_var(s, 0, &v0);
  json_object_set_new(doc, "scenario", json_string(a->pos[0]));
  json_object_set_new(doc, "method", json_string("sobol"));
  json_object_set_new(doc, "n", json_integer((json_int_t)n));
  json_object_set_new(doc, "points_done", json_integer((json_int_t)v0.points));
  json_object_set_new(doc, "complete", json_boolean(st == LEGATION_OK));
  json_object_set_new(doc, "evaluations", json_integer((json_int_t)v0.evaluations));
  json_object_set_new(doc, "seed", cli_json_seed(a->seed));
  for (int g = 0; g < G; g++) {
    json_t *jg = json_object(), *fs = json_array();
    json_object_set_new(jg, "name", json_string(legation_study_group_name(s, g)));
    for (int j = 0; j < legation_study_group_size(s, g); j++)
      json_array_append_new(
          fs, json_string(legation_study_factor_name(s, legation_study_group_factor(s, g, j))));
    json_object_set_new(jg, "factors", fs);
    json_array_append_new(groups, jg);
  }
  json_object_set_new(doc, "groups", groups);
  for (int o = 0; o < no; o++) {
    legation_study_var v;
    legation_study_output_var(s, o, &v);
    json_t *jo = json_object(), *idx = json_array();
    json_object_set_new(jo, "name", json_string(legation_study_output_name(s, o)));
    json_object_set_new(jo, "mean", cli_json_num(v.mean));
    json_object_set_new(jo, "var", cli_json_num(v.var));
    json_object_set_new(jo, "noise_var", cli_json_num(v.noise_var));
    json_object_set_new(jo, "noise_share", cli_json_num(v.noise_share));
    for (int g = 0; g < G; g++) {
      legation_sobol_index x;
      legation_study_sobol_index(s, o, g, &x);
      json_t *ji = json_object();
      json_object_set_new(ji, "group", json_string(legation_study_group_name(s, g)));
      json_object_set_new(ji, "s1", cli_json_num(x.s1));
      json_object_set_new(ji, "s1_lo", cli_json_num(x.s1_lo));
      json_object_set_new(ji, "s1_hi", cli_json_num(x.s1_hi));
      json_object_set_new(ji, "st", cli_json_num(x.st));
      json_object_set_new(ji, "st_lo", cli_json_num(x.st_lo));
      json_object_set_new(ji, "st_hi", cli_json_num(x.st_hi));
      json_array_append_new(idx, ji);
    }
    json_object_set_new(jo, "indices", idx);
    json_array_append_new(outs, jo);
  }
  json_object_set_new(doc, "outputs", outs);
  return doc;
}

static int sobol_json(const legation_study *s, const cli_args *a, int64_t n, legation_status st) {
  return print_json(sobol_doc(s, a, n, st));
}

/* --report FILE: the document as the data block of an HTML report
 * (web/src/report.js, kind "sensitivity" or "discover"). */
static int study_report(const cli_args *a, json_t *doc, const char *kind) {
  if (!doc) {
    cli_err("out of memory");
    return CLI_EXIT_RUN;
  }
  json_object_set_new(doc, "kind", json_string(kind));
  json_object_set_new(doc, "legation_version", json_string(legation_version()));
  int rc = cli_report_write(a, a->report, doc);
  json_decref(doc);
  return rc;
}

/* ------------------------------------------------------------- Morris */

static json_t *morris_doc(const legation_study *s, const cli_args *a, int r, int levels,
                          legation_status st) {
  int k = legation_study_factor_count(s), no = legation_study_output_count(s);
  {
    json_t *doc = json_object(), *outs = json_array();
    json_object_set_new(doc, "scenario", json_string(a->pos[0]));
    json_object_set_new(doc, "method", json_string("morris"));
    json_object_set_new(doc, "trajectories", json_integer(r));
    json_object_set_new(doc, "levels", json_integer(levels));
    json_object_set_new(doc, "complete", json_boolean(st == LEGATION_OK));
    json_object_set_new(doc, "seed", cli_json_seed(a->seed));
    for (int o = 0; o < no; o++) {
      json_t *jo = json_object(), *es = json_array();
      json_object_set_new(jo, "name", json_string(legation_study_output_name(s, o)));
      for (int f = 0; f < k; f++) {
        legation_morris_index m;
        legation_study_morris_index(s, o, f, &m);
        json_t *je = json_object();
        json_object_set_new(je, "factor", json_string(legation_study_factor_name(s, f)));
        json_object_set_new(je, "mu_star", cli_json_num(m.mu_star));
        json_object_set_new(je, "mu_star_lo", cli_json_num(m.mu_star_lo));
        json_object_set_new(je, "mu_star_hi", cli_json_num(m.mu_star_hi));
        json_object_set_new(je, "mu", cli_json_num(m.mu));
        json_object_set_new(je, "sigma", cli_json_num(m.sigma));
        json_object_set_new(je, "n", json_integer((json_int_t)m.n));
        json_array_append_new(es, je);
      }
      json_object_set_new(jo, "effects", es);
      json_array_append_new(outs, jo);
    }
    json_object_set_new(doc, "outputs", outs);
    return doc;
  }
}

static int morris_out(const legation_study *s, const cli_args *a, int r, int levels,
                      legation_status st) {
  int k = legation_study_factor_count(s), no = legation_study_output_count(s);
  if (a->given[CLI_OPT_JSON]) return print_json(morris_doc(s, a, r, levels, st));
  printf("Morris elementary effects of %s: %d factors, %d trajectories on a %d-level grid "
         "(%d points), seed %llu\n",
         a->pos[0], k, r, levels, r * (k + 1), (unsigned long long)a->seed);
  if (st == LEGATION_EINTR) printf("INTERRUPTED: %s\n", legation_study_errmsg(s));
  printf("Effects in output units per whole range of the factor; mu* = mean |effect| with a\n"
         "bootstrap 95%% interval, sigma = sd of the effects (interactions, non-linearity).\n");
  int width = 6;
  for (int f = 0; f < k; f++) {
    int l = (int)strlen(legation_study_factor_name(s, f));
    if (l > width) width = l;
  }
  if (width > 40) width = 40;
  for (int o = 0; o < no; o++) {
    printf("\n%s:\n  %-*s  %-30s  %10s  %10s\n", legation_study_output_name(s, o), width,
           "factor", "mu* [95%]", "mu", "sigma");
    for (int f = 0; f < k; f++) {
      legation_morris_index m;
      legation_study_morris_index(s, o, f, &m);
      char b[96];
      snprintf(b, sizeof b, "%.4g [%.4g, %.4g]", m.mu_star, m.mu_star_lo, m.mu_star_hi);
      printf("  %-*.*s  %-30s  %10.4g  %10.4g\n", width, width, legation_study_factor_name(s, f),
             b, m.mu, m.sigma);
    }
  }
  return CLI_EXIT_OK;
}

/* A study set up for the command line (setup_study) with its progress
 * bar and Ctrl-C; NULL with *rc the exit code when it cannot be. */
static legation_study *open_study(scen_eval *e, const cli_args *a, const char *cmd,
                                  cli_progress *prog, int *rc) {
  if ((*rc = cli_output_check(a, a->report)) != 0) return NULL;
  legation_study *s = legation_study_new();
  if (!s) {
    cli_err("out of memory");
    *rc = CLI_EXIT_RUN;
    return NULL;
  }
  *rc = setup_study(s, e, a, cmd);
  if (*rc) {
    legation_study_free(s);
    scen_eval_free(e);
    return NULL;
  }
  cli_progress_init(prog, !a->given[CLI_OPT_QUIET] && isatty(STDERR_FILENO));
  cli_sigint_install();
  legation_study_set_progress(s, cli_progress_cb, prog);
  return s;
}

int cli_cmd_sensitivity(const cli_args *a) {
  const char *cmd = "sensitivity";
  int morris = a->method && strcmp(a->method, "morris") == 0;
  if (a->params && a->given[CLI_OPT_UNCERTAIN])
    return cli_usage_error(a->cmd, "--params and --uncertain cannot be combined");
  if (morris && a->groups) {
    cli_err("%s: --groups: groups are for --method sobol (Morris effects are per factor)", cmd);
    return CLI_EXIT_USAGE;
  }
  scen_eval e = {0};
  cli_progress prog;
  int rc;
  legation_study *s = open_study(&e, a, cmd, &prog, &rc);
  if (!s) return rc;
  int64_t n = a->n ? a->n : morris ? 20 : 1024;
  if (morris && n > 100000) {
    cli_err("%s: trajectories: expected 2 to 100000, found %lld", cmd, (long long)n);
    legation_study_free(s);
    scen_eval_free(&e);
    return CLI_EXIT_USAGE;
  }
  if (a->levels > 1000) { /* refused here, before narrowing to int */
    cli_err("%s: --levels: expected an even number from 2 to 1000, found %lld", cmd,
            (long long)a->levels);
    legation_study_free(s);
    scen_eval_free(&e);
    return CLI_EXIT_USAGE;
  }
  int levels = a->levels ? (int)a->levels : 4;
  if (!morris && a->levels) {
    cli_err("%s: --levels is for --method morris", cmd);
    legation_study_free(s);
    scen_eval_free(&e);
    return CLI_EXIT_USAGE;
  }
  legation_status st =
      morris ? legation_study_morris(s, (int)n, levels) : legation_study_sobol(s, n);
  cli_progress_done(&prog);
  if (st != LEGATION_OK && st != LEGATION_EINTR) {
    cli_err("%s: %s", cmd, legation_study_errmsg(s));
    legation_study_free(s);
    scen_eval_free(&e);
    return st == LEGATION_ERANGE || st == LEGATION_EINVAL ? CLI_EXIT_USAGE : cli_exit_for(st);
  }
  if (st == LEGATION_EINTR) {
    legation_study_var v;
    legation_morris_index m;
    int have = morris ? legation_study_morris_index(s, 0, 0, &m) == LEGATION_OK
                      : legation_study_output_var(s, 0, &v) == LEGATION_OK;
    if (!have) {
      cli_err("%s: interrupted before any point finished", cmd);
      legation_study_free(s);
      scen_eval_free(&e);
      return CLI_EXIT_INTR;
    }
  }
  if (morris) {
    rc = morris_out(s, a, (int)n, levels, st);
    if (!rc && a->report) rc = study_report(a, morris_doc(s, a, (int)n, levels, st), "morris");
  } else {
    rc = a->given[CLI_OPT_JSON] ? sobol_json(s, a, n, st) : sobol_text(s, a, n, st);
    if (!rc && a->report) rc = study_report(a, sobol_doc(s, a, n, st), "sensitivity");
  }
  if (st == LEGATION_EINTR) {
    cli_err("%s: %s", cmd, legation_study_errmsg(s));
    if (!rc) rc = CLI_EXIT_INTR;
  }
  legation_study_free(s);
  scen_eval_free(&e);
  return rc;
}

/* ------------------------------------------------------------- discover */

static json_t *discover_doc(const legation_study *s, const cli_args *a, int64_t points) {
  int k = legation_study_factor_count(s), ns = legation_study_prim_steps(s);
  legation_prim_box b;
  legation_study_prim_box(s, &b);
  json_t *doc = json_object(), *traj = json_array(), *bounds = json_array();
  json_object_set_new(doc, "scenario", json_string(a->pos[0]));
  json_object_set_new(doc, "where", json_string(a->where));
  json_object_set_new(doc, "points", json_integer((json_int_t)points));
  json_object_set_new(doc, "seed", cli_json_seed(a->seed));
  for (int i = 0; i < ns; i++) {
    legation_prim_step p;
    legation_study_prim_step(s, i, &p);
    json_t *js = json_object(), *box = json_object();
    json_object_set_new(js, "step", json_integer(i));
    json_object_set_new(js, "coverage", cli_json_num(p.coverage));
    json_object_set_new(js, "density", cli_json_num(p.density));
    json_object_set_new(js, "mass", cli_json_num(p.mass));
    json_object_set_new(js, "restricted", json_integer(p.restricted));
    for (int f = 0; f < k; f++) {
      double lo, hi, flo, fhi;
      legation_study_prim_step_bounds(s, i, f, &lo, &hi);
      legation_study_factor_range(s, f, &flo, &fhi, NULL);
      if (lo > flo || hi < fhi)
        json_object_set_new(box, legation_study_factor_name(s, f), json_pack("[f,f]", lo, hi));
    }
    json_object_set_new(js, "box", box);
    json_array_append_new(traj, js);
  }
  json_object_set_new(doc, "trajectory", traj);
  json_t *jb = json_object();
  json_object_set_new(jb, "step", json_integer(b.step));
  json_object_set_new(jb, "train", json_pack("{s:o,s:o,s:o,s:I,s:I}", "coverage",
                                             cli_json_num(b.train.coverage), "density",
                                             cli_json_num(b.train.density), "mass", cli_json_num(b.train.mass),
                                             "points", (json_int_t)b.n_train, "interest",
                                             (json_int_t)b.interest_train));
  json_object_set_new(jb, "test", json_pack("{s:o,s:o,s:o,s:I,s:I}", "coverage",
                                            cli_json_num(b.test.coverage), "density",
                                            cli_json_num(b.test.density), "mass", cli_json_num(b.test.mass),
                                            "points", (json_int_t)b.n_test, "interest",
                                            (json_int_t)b.interest_test));
  for (int f = 0; f < k; f++) {
    legation_prim_bound pb;
    legation_study_prim_bound(s, f, &pb);
    if (!pb.restricted) continue;
    json_array_append_new(bounds, json_pack("{s:s,s:o,s:o,s:o}", "factor",
                                            legation_study_factor_name(s, f), "lo", cli_json_num(pb.lo),
                                            "hi", cli_json_num(pb.hi), "p_value", cli_json_num(pb.p_value)));
  }
  json_object_set_new(jb, "bounds", bounds);
  json_object_set_new(doc, "box", jb);
  return doc;
}

/* For the report: the sampled points projected on the two factors the box
 * restricts most significantly (smallest p-value; an unrestricted factor,
 * the first, completes the pair), with each point's outcome and at most
 * DISCOVER_SAMPLE of them (a prefix of the Sobol design, so spread out).
 * NULL when there is a single factor. */
#define DISCOVER_SAMPLE 2000
static json_t *discover_sample(const legation_study *s) {
  int k = legation_study_factor_count(s), pick[2] = {-1, -1};
  int64_t n = legation_study_prim_points(s);
  if (k < 2 || n <= 0) return NULL;
  double pv[2] = {2, 2};
  for (int f = 0; f < k; f++) {
    legation_prim_bound pb;
    legation_study_prim_bound(s, f, &pb);
    double v = pb.restricted ? pb.p_value : 1.5; /* restricted before unrestricted */
    if (v < pv[0]) {
      pick[1] = pick[0], pv[1] = pv[0];
      pick[0] = f, pv[0] = v;
    } else if (v < pv[1]) {
      pick[1] = f, pv[1] = v;
    }
  }
  double *x = malloc((size_t)k * sizeof *x);
  if (!x) return NULL;
  json_t *doc = json_object(), *axes = json_array(), *pts = json_array();
  for (int j = 0; j < 2; j++) {
    double flo, fhi;
    legation_prim_bound pb;
    legation_study_factor_range(s, pick[j], &flo, &fhi, NULL);
    legation_study_prim_bound(s, pick[j], &pb);
    json_array_append_new(axes, json_pack("{s:s,s:o,s:o,s:o,s:o}", "factor",
                                          legation_study_factor_name(s, pick[j]), "lo",
                                          cli_json_num(flo), "hi", cli_json_num(fhi), "box_lo", cli_json_num(pb.lo),
                                          "box_hi", cli_json_num(pb.hi)));
  }
  int64_t m = n < DISCOVER_SAMPLE ? n : DISCOVER_SAMPLE;
  for (int64_t p = 0; p < m; p++) {
    int holds;
    if (legation_study_prim_point(s, p, x, &holds) != LEGATION_OK || holds < 0) continue;
    json_array_append_new(pts, json_pack("[o,o,i]", cli_json_num(x[pick[0]]), cli_json_num(x[pick[1]]), holds));
  }
  free(x);
  json_object_set_new(doc, "axes", axes);
  json_object_set_new(doc, "points", pts);
  json_object_set_new(doc, "of", json_integer((json_int_t)n));
  return doc;
}

static int discover_json(const legation_study *s, const cli_args *a, int64_t points) {
  return print_json(discover_doc(s, a, points));
}

static int discover_text(const legation_study *s, const cli_args *a, int64_t points) {
  int k = legation_study_factor_count(s), ns = legation_study_prim_steps(s);
  legation_prim_box b;
  legation_study_prim_box(s, &b);
  int64_t interest = b.interest_train + b.interest_test, n = b.n_train + b.n_test;
  printf("PRIM scenario discovery on %s: %lld points (seed %llu); '%s' holds at %lld of "
         "them (%.1f%%)\n",
         a->pos[0], (long long)points, (unsigned long long)a->seed, a->where,
         (long long)interest, n ? 100.0 * (double)interest / (double)n : 0.0);
  printf("\nPeeling trajectory on the training half (%lld points):\n", (long long)b.n_train);
  printf("  step  coverage  density    mass  restricted\n");
  for (int i = 0; i < ns; i++) {
    legation_prim_step p;
    legation_study_prim_step(s, i, &p);
    printf("  %4d  %7.1f%%  %6.1f%%  %5.1f%%  %d%s\n", i, 100 * p.coverage, 100 * p.density,
           100 * p.mass, p.restricted, i == b.step ? "   <- chosen" : "");
  }
  printf("\nChosen box (step %d, then pasted):\n", b.step);
  int width = 6;
  for (int f = 0; f < k; f++) {
    int l = (int)strlen(legation_study_factor_name(s, f));
    if (l > width) width = l;
  }
  if (width > 40) width = 40;
  printf("  %-*s  %12s  %12s  %10s\n", width, "factor", "from", "to", "p-value");
  char sentence[2048];
  size_t used = (size_t)snprintf(sentence, sizeof sentence, "'%s' holds mostly when ", a->where);
  int nr = 0;
  for (int f = 0; f < k; f++) {
    legation_prim_bound pb;
    legation_study_prim_bound(s, f, &pb);
    if (!pb.restricted) continue;
    printf("  %-*.*s  %12.4g  %12.4g  %10.2g\n", width, width, legation_study_factor_name(s, f),
           pb.lo, pb.hi, pb.p_value);
    double flo, fhi;
    legation_study_factor_range(s, f, &flo, &fhi, NULL);
    if (used < sizeof sentence) {
      const char *nm = legation_study_factor_name(s, f);
      const char *sep = nr ? " and " : "";
      if (pb.lo > flo && pb.hi < fhi)
        used += (size_t)snprintf(sentence + used, sizeof sentence - used, "%s%.3g <= %s <= %.3g",
                                 sep, pb.lo, nm, pb.hi);
      else if (pb.lo > flo)
        used += (size_t)snprintf(sentence + used, sizeof sentence - used, "%s%s >= %.3g", sep,
                                 nm, pb.lo);
      else
        used += (size_t)snprintf(sentence + used, sizeof sentence - used, "%s%s <= %.3g", sep,
                                 nm, pb.hi);
    }
    nr++;
  }
  if (!nr) printf("  (no restriction: the box is the whole space)\n");
  printf("  training half: coverage %.1f%%, density %.1f%%, mass %.1f%%\n",
         100 * b.train.coverage, 100 * b.train.density, 100 * b.train.mass);
  printf("  held-out half: coverage %.1f%%, density %.1f%%, mass %.1f%% (%lld points)\n",
         100 * b.test.coverage, 100 * b.test.density, 100 * b.test.mass, (long long)b.n_test);
  printf("p-value: chance of at least the box's points of interest if that restriction were "
         "dropped\n(hypergeometric; small = the restriction matters).\n\n");
  if (nr && used < sizeof sentence)
    snprintf(sentence + used, sizeof sentence - used,
             " (on held-out points: coverage %.0f%%, density %.0f%%).", 100 * b.test.coverage,
             100 * b.test.density);
  else
    snprintf(sentence, sizeof sentence,
             "No box does better than the whole space: '%s' holds at %.0f%% of the points.",
             a->where, n ? 100.0 * (double)interest / (double)n : 0.0);
  cli_wrap(stdout, sentence, 0, 0);
  return CLI_EXIT_OK;
}

int cli_cmd_discover(const cli_args *a) {
  const char *cmd = "discover";
  if (!a->where) return cli_usage_error(a->cmd, "--where \"OUTPUT OP NUMBER\" is required");
  if (a->params && a->given[CLI_OPT_UNCERTAIN])
    return cli_usage_error(a->cmd, "--params and --uncertain cannot be combined");
  if (a->box && a->given[CLI_OPT_THRESHOLD])
    return cli_usage_error(a->cmd, "--box and --threshold cannot be combined");
  scen_eval e = {0};
  cli_progress prog;
  int rc;
  legation_study *s = open_study(&e, a, cmd, &prog, &rc);
  if (!s) return rc;
  legation_prim_options opt;
  legation_prim_defaults(&opt);
  if (a->threshold >= 0) opt.threshold = a->threshold;
  int64_t points = a->points ? a->points : 2000;
  if (a->box >= points) { /* a trajectory has fewer steps than points */
    cli_err("%s: --box: expected a step of the peeling trajectory (below the %lld points), "
            "found %lld", cmd, (long long)points, (long long)a->box);
    legation_study_free(s);
    scen_eval_free(&e);
    return CLI_EXIT_USAGE;
  }
  if (a->box) opt.box = (int)a->box;
  legation_status st = legation_study_discover(s, a->where, points, &opt);
  cli_progress_done(&prog);
  if (st != LEGATION_OK) {
    cli_err("%s: %s", cmd, legation_study_errmsg(s));
    legation_study_free(s);
    scen_eval_free(&e);
    if (st == LEGATION_EINTR) return CLI_EXIT_INTR;
    return st == LEGATION_ERANGE || st == LEGATION_EINVAL || st == LEGATION_ENOTFOUND
               ? CLI_EXIT_USAGE
               : cli_exit_for(st);
  }
  rc = a->given[CLI_OPT_JSON] ? discover_json(s, a, points) : discover_text(s, a, points);
  if (!rc && a->report) {
    json_t *doc = discover_doc(s, a, points), *sample = discover_sample(s);
    if (sample) json_object_set_new(doc, "sample", sample);
    rc = study_report(a, doc, "discover");
  }
  legation_study_free(s);
  scen_eval_free(&e);
  return rc;
}
