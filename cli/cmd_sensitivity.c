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
 * Real scenarios: the study's factors, outputs and evaluator are the
 * library's (legation_study_use_scenario, src/analysis/study_scenario.c);
 * here the scenarios are loaded from the command line (or the store on
 * resume and replay) and the posterior is read from the store.  With
 * --option FILE the option runs as a variant under the same random numbers
 * and the outputs are the base's then each output's paired change,
 * OUTPUT_change (option minus base).
 * ====================================================================== */
/* The scenarios as the command loaded them (the store records them) and
 * the factors' keys for the stored points; owned by the command, freed
 * after the study (scen_eval_free). */
typedef struct scen_eval {
  legation_scenario *sc;
  legation_scenario *opt; /* --option, or NULL */
  const char **keys;      /* the factors' parameter keys (owned by the study) */
  int64_t post_id;        /* --posterior, or 0 */
} scen_eval;

static void scen_eval_free(scen_eval *e) {
  legation_scenario_free(e->sc);
  legation_scenario_free(e->opt);
  free(e->keys);
  memset(e, 0, sizeof *e);
}


/* ======================================================================
 * Studies in the results store (docs/STORE.md, "Studies").  A scenario
 * study is a run row (its scenarios and overrides as for a run, its
 * settings as '@' lines); each block of finished points is saved as it
 * completes; --resume ID restores the stored points and evaluates the
 * rest, so the indices equal an uninterrupted study's; `runs show ID` and
 * `report ID` replay a complete study from its points alone.
 * ====================================================================== */
typedef enum { STUDY_NEW, STUDY_RESUME, STUDY_REPLAY } study_mode;
typedef struct study_ctx {
  study_mode mode;
  legation_store *st;     /* the store: while recording, resuming, replaying */
  legation_session *ses;  /* a new study's recording session, which owns st */
  const char *path;       /* its file */
  int64_t id;             /* the study's run id (0: not stored) */
  legation_run *stored;   /* resume, replay: the stored scenarios, rebuilt */
  char *sets;             /* resume, replay: the stored overrides (copy) */
  char *pos[1];           /* resume, replay: the operand as named */
  const char **keys;      /* while recording: the factors' names */
  int nbase;              /* outputs of the base (the rest are changes) */
  int64_t keep_params;    /* parameters stored for this many points per row */
  int failed;             /* exit code of a store failure while running */
  int no_text;            /* replay for a report: no tables */
} study_ctx;

/* Close the store: through the session that owns it, if any. */
static void study_store_close(study_ctx *c) {
  if (c->ses)
    legation_session_free(c->ses);
  else
    legation_store_close(c->st);
  c->ses = NULL;
  c->st = NULL;
}

static void study_ctx_free(study_ctx *c) {
  study_store_close(c);
  legation_run_free(c->stored);
  free(c->sets);
  free(c->pos[0]);
  memset(c, 0, sizeof *c);
}

/* The value of stored setting "@NAME=" in ctx's overrides, as a malloc'd
 * string, or NULL; with `from` the search starts there and *next is set
 * past the line (to walk repeated lines). */
static char *stored_setting(const char *sets, const char *name, const char **next) {
  size_t k = strlen(name);
  for (const char *p = sets; p && *p;) {
    size_t n = strcspn(p, "\n");
    const char *q = p;
    p += n;
    if (*p) p++;
    if (n > k + 1 && q[0] == '@' && strncmp(q + 1, name, k) == 0 && q[k + 1] == '=') {
      char *v = malloc(n - k - 1);
      if (!v) return NULL;
      memcpy(v, q + k + 2, n - k - 2);
      v[n - k - 2] = 0;
      if (next) *next = p;
      return v;
    }
  }
  return NULL;
}

/* --posterior ID: the calibration's weighted particles into e (keys,
 * values, cumulative weights); its keys must be parameters of sc.  Prints
 * messages; an exit code. */
/* --posterior ID: the calibration's weighted particles from the store into
 * *p (arrays malloc'd: free with posterior_free).  Prints messages; an
 * exit code. */
static int load_posterior(legation_study_posterior *p, char ***keys, const cli_args *a,
                          study_ctx *ctx, const char *cmd) {
  legation_store *st = ctx->st;
  int rc = st ? 0 : cli_store_open(a, cmd, 0, &st);
  if (rc) return rc;
  int np = 0;
  int64_t npart = 0;
  double *values = NULL, *weights = NULL;
  legation_status s =
      legation_store_calib_posterior(st, a->posterior, &np, keys, &npart, &values, &weights);
  if (s != LEGATION_OK) {
    cli_err("%s: --posterior %lld: %s", cmd, (long long)a->posterior, legation_store_errmsg(st));
    if (st != ctx->st) legation_store_close(st);
    return cli_exit_for(s) == CLI_EXIT_RUN ? CLI_EXIT_DATA : cli_exit_for(s);
  }
  if (st != ctx->st) legation_store_close(st);
  *p = (legation_study_posterior){a->posterior, np, (const char *const *)*keys, npart, values,
                                  weights};
  return CLI_EXIT_OK;
}

static void posterior_free(legation_study_posterior *p, char **keys) {
  for (int k = 0; keys && k < p->nkeys; k++) free(keys[k]);
  free(keys);
  free((double *)p->values);
  free((double *)p->weights);
}

/* Set up study s for scenario `operand` (a file or built-in name; on
 * resume or replay the stored scenarios): load it and the option, apply
 * --set, read --posterior, then the library's factors, outputs and
 * evaluator (legation_study_use_scenario: --params, else --uncertain).
 * Prints messages; returns an exit code.  *reps_default is the
 * replications per point when --reps is not given. */
static int cli_study_scenario(legation_study *s, scen_eval *e, const cli_args *a,
                              const char *cmd, const char *operand, int64_t *reps_default,
                              study_ctx *ctx) {
  *reps_default = LEGATION_STUDY_SCENARIO_REPS;
  int rc = 0;
  if (ctx->stored) {
    /* resume, replay: the scenarios exactly as stored, overrides applied */
    e->sc = legation_scenario_clone(legation_run_scenario(ctx->stored));
    if (legation_run_variant_count(ctx->stored) > 1)
      e->opt = legation_scenario_clone(legation_run_variant_scenario(ctx->stored, 1));
    if (!e->sc || (legation_run_variant_count(ctx->stored) > 1 && !e->opt)) {
      cli_err("out of memory");
      return CLI_EXIT_RUN;
    }
  } else {
    legation_scenario *sc = legation_scenario_new();
    if (!sc) {
      cli_err("out of memory");
      return CLI_EXIT_RUN;
    }
    e->sc = sc;
    rc = cli_load_scenario(sc, cmd, operand);
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
  }
  legation_study_posterior post = {0};
  char **post_keys = NULL;
  if (a->posterior && (rc = load_posterior(&post, &post_keys, a, ctx, cmd)) != 0) return rc;
  e->post_id = a->posterior;
  legation_status st = legation_study_use_scenario(s, e->sc, e->opt, a->params,
                                                   a->posterior ? &post : NULL, operand);
  posterior_free(&post, post_keys);
  if (st == LEGATION_ENOMEM) {
    cli_err("out of memory");
    return CLI_EXIT_RUN;
  }
  if (st != LEGATION_OK) {
    cli_err("%s: %s", cmd, legation_study_errmsg(s));
    return st == LEGATION_EINVAL ? CLI_EXIT_USAGE : cli_exit_for(st);
  }
  int nf = legation_study_factor_count(s);
  if (!(e->keys = calloc((size_t)nf, sizeof *e->keys))) {
    cli_err("out of memory");
    return CLI_EXIT_RUN;
  }
  for (int f = 0; f < nf; f++) e->keys[f] = legation_study_factor_name(s, f);
  return 0;
}
/* ====================================================================== */

/* Set up the study for the operand: a test model or a scenario. */
static int setup_study(legation_study *s, scen_eval *e, const cli_args *a, const char *cmd,
                       study_ctx *ctx) {
  const char *operand = a->pos[0];
  int64_t reps_default = 1;
  int rc;
  if (strncmp(operand, "test:", 5) == 0) {
    if (a->posterior) {
      cli_err("%s: --posterior: %s has no calibrated parameters", cmd, operand);
      return CLI_EXIT_USAGE;
    }
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
    rc = cli_study_scenario(s, e, a, cmd, operand, &reps_default, ctx);
    if (rc) return rc;
  }
  /* resume, replay: the groups as stored ("@group=NAME:f,f,...") */
  const char *next = ctx->sets;
  char *g;
  while (ctx->sets && (g = stored_setting(next, "group", &next)) != NULL) {
    char *colon = strchr(g, ':');
    const char *names[LEGATION_STUDY_MAX_FACTORS];
    int n = 0;
    if (colon) {
      *colon = 0;
      char *save = NULL;
      for (char *t = strtok_r(colon + 1, ",", &save); t && n < LEGATION_STUDY_MAX_FACTORS;
           t = strtok_r(NULL, ",", &save))
        names[n++] = t;
    }
    legation_status gs = colon ? legation_study_add_group(s, g, names, n) : LEGATION_EINVAL;
    free(g);
    if (gs != LEGATION_OK) {
      cli_err("%s: run %lld: its stored groups no longer apply: %s", cmd, (long long)ctx->id,
              legation_study_errmsg(s));
      return CLI_EXIT_DATA;
    }
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

json_t *cli_sobol_doc(const legation_study *s, const char *scenario, uint64_t seed, int64_t n,
                      legation_status st) {
  json_t *doc = json_object(), *groups = json_array(), *outs = json_array();
  int G = legation_study_group_count(s), no = legation_study_output_count(s);
  legation_study_var v0;
  legation_study_output_var(s, 0, &v0);
  json_object_set_new(doc, "scenario", json_string(scenario));
  json_object_set_new(doc, "method", json_string("sobol"));
  json_object_set_new(doc, "n", json_integer((json_int_t)n));
  json_object_set_new(doc, "points_done", json_integer((json_int_t)v0.points));
  json_object_set_new(doc, "complete", json_boolean(st == LEGATION_OK));
  json_object_set_new(doc, "evaluations", json_integer((json_int_t)v0.evaluations));
  json_object_set_new(doc, "seed", cli_json_seed(seed));
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

static json_t *sobol_doc(const legation_study *s, const cli_args *a, int64_t n, legation_status st) {
  return cli_sobol_doc(s, a->pos[0], a->seed, n, st);
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

json_t *cli_morris_doc(const legation_study *s, const char *scenario, uint64_t seed, int r,
                       int levels, legation_status st) {
  int k = legation_study_factor_count(s), no = legation_study_output_count(s);
  {
    json_t *doc = json_object(), *outs = json_array();
    json_object_set_new(doc, "scenario", json_string(scenario));
    json_object_set_new(doc, "method", json_string("morris"));
    json_object_set_new(doc, "trajectories", json_integer(r));
    json_object_set_new(doc, "levels", json_integer(levels));
    json_object_set_new(doc, "complete", json_boolean(st == LEGATION_OK));
    json_object_set_new(doc, "seed", cli_json_seed(seed));
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

static json_t *morris_doc(const legation_study *s, const cli_args *a, int r, int levels,
                          legation_status st) {
  return cli_morris_doc(s, a->pos[0], a->seed, r, levels, st);
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

/* ------------------------------------------------------- the store */

/* What a study's run row and its flow need beyond study_ctx. */
typedef struct study_run {
  legation_run *rec;      /* the run describing the scenarios (never executed) */
  cli_progress *prog;
  const char *cmd;
  int64_t reps;           /* replications per point */
  char *owned[16];        /* resume, replay: settings read back */
  int nowned;
} study_run;

/* "kept as run N in PATH" + how to finish it. */
static void resume_hint(const study_ctx *c, const char *cmd, const char *what) {
  cli_err("%s: kept as run %lld in %s%s; finish it with 'legation %s --resume %lld%s%s'", cmd,
          (long long)c->id, c->path, what, cmd, (long long)c->id,
          strcmp(c->path, CLI_DEFAULT_DB) ? " --db " : "",
          strcmp(c->path, CLI_DEFAULT_DB) ? c->path : "");
}

/* legation_study_sink_fn: each block of finished points into the store.
 * A store that fails (a full disk) is reported once and dropped; the
 * study goes on, its row resumable from the last block saved. */
typedef struct sink_ctx {
  study_ctx *c;
  study_run *r;
} sink_ctx;

static int study_sink(void *user, const legation_study_block *b) {
  sink_ctx *x = user;
  study_ctx *c = x->c;
  if (!c->st || !c->id || c->mode == STUDY_REPLAY) return 0;
  legation_status s = legation_store_study_block(c->st, b, c->nbase, c->keep_params, c->keys);
  if (s != LEGATION_OK) {
    cli_progress_done(x->r->prog);
    cli_err("%s: results store %s; the study goes on without it", x->r->cmd,
            legation_store_errmsg(c->st));
    resume_hint(c, x->r->cmd, " up to its last saved points");
    c->failed = cli_exit_for(s);
    study_store_close(c);
  }
  return 0;
}

/* Record the study before its analysis: a new run row (unless --no-store
 * or a test model), or the resumed one with its stored points restored
 * into s; replay restores every point.  Returns an exit code. */
static int study_store_begin(study_ctx *c, study_run *r, const cli_args *a, const char *kind,
                             legation_study *s, scen_eval *e, int64_t planned_evals) {
  const char *cmd = r->cmd;
  if (c->mode == STUDY_NEW) {
    if (!e->sc || a->given[CLI_OPT_NO_STORE]) return CLI_EXIT_OK;
    r->rec = legation_run_new(e->sc);
    if (!r->rec || (e->opt && legation_run_add_variant(r->rec, e->opt) != 1) ||
        legation_run_set_seed(r->rec, a->seed) != LEGATION_OK) {
      cli_err("%s: %s", cmd, r->rec ? legation_run_errmsg(r->rec) : "out of memory");
      return CLI_EXIT_RUN;
    }
    /* the '@' settings of a new study (docs/STORE.md), the library's */
    char **lines = NULL;
    int nl = 0;
    legation_study_request req = {kind, a->method, a->n, a->levels, a->where, a->points,
                                  a->threshold, a->box, r->reps, a->params, a->posterior};
    if (legation_study_settings(s, &req, &lines, &nl) != LEGATION_OK) {
      cli_err("out of memory");
      return CLI_EXIT_RUN;
    }
    const char **sets = calloc((size_t)(a->nsets + nl) + 1, sizeof *sets);
    int rc = CLI_EXIT_OK;
    if (!sets) {
      cli_err("out of memory");
      rc = CLI_EXIT_RUN;
    } else {
      for (int i = 0; i < a->nsets; i++) sets[i] = a->sets[i];
      for (int i = 0; i < nl; i++) sets[a->nsets + i] = lines[i];
      cli_args b = *a;
      b.sets = sets;
      b.nsets = a->nsets + nl;
      b.posterior = 0; /* kept as @study_posterior: a run's @posterior draws worlds */
      b.months = 0;
      b.resume = 0;
      const char *ops[2] = {a->pos[0], a->noptions ? a->options[0] : NULL};
      cli_store_rec rec;
      memset(&rec, 0, sizeof rec);
      rec.cmd = cmd;
      rec.reps = planned_evals;
      rec.quiet = 1;
      rc = cli_store_begin(&rec, &b, r->rec, r->prog, ops, e->opt ? 2 : 1);
      if (!rc) {
        c->ses = rec.ses;
        c->st = rec.st;
        c->id = rec.id;
        c->path = rec.path;
      }
    }
    free(sets);
    legation_study_settings_free(lines, nl);
    return rc;
  }
  /* resume or replay: the stored points */
  if (c->mode == STUDY_RESUME && legation_store_study_resume(c->st, c->id) != LEGATION_OK) {
    cli_err("%s: %s", cmd, legation_store_errmsg(c->st));
    return CLI_EXIT_USAGE;
  }
  int64_t np = 0, *n = NULL;
  double *m = NULL, *v = NULL;
  legation_status ls = legation_store_study_load(c->st, c->id, c->nbase,
                                                 legation_study_output_count(s), &np, &m, &v, &n);
  if (ls == LEGATION_OK) ls = legation_study_restore_points(s, np, m, v, n);
  legation_free(m), legation_free(v), legation_free(n);
  if (ls != LEGATION_OK) {
    cli_err("%s: %s", cmd, c->st ? legation_store_errmsg(c->st) : legation_study_errmsg(s));
    if (c->mode == STUDY_RESUME) legation_store_study_finish(c->st, LEGATION_EINTR, 0, NULL);
    return cli_exit_for(ls);
  }
  if (c->mode == STUDY_RESUME && !a->given[CLI_OPT_QUIET])
    fprintf(stderr, "legation: %s: resuming run %lld: %lld of %lld points are stored\n", cmd,
            (long long)c->id, (long long)np, (long long)(planned_evals / r->reps));
  return CLI_EXIT_OK;
}

/* After the analysis: the status, and "stored as run N" or how to finish
 * it.  Returns an exit code (a store failure), else 0. */
static int study_store_end(study_ctx *c, study_run *r, const legation_study *s,
                           legation_status st, int quiet) {
  if (c->mode == STUDY_REPLAY || !c->st || !c->id) return c->failed;
  legation_status fs = legation_store_study_finish(
      c->st, st, legation_study_points_done(s) * r->reps, legation_study_errmsg(s));
  if (fs != LEGATION_OK) {
    cli_err("%s: results store %s", r->cmd, legation_store_errmsg(c->st));
    resume_hint(c, r->cmd, " up to its last saved points");
    return cli_exit_for(fs);
  }
  if (st == LEGATION_EINTR) {
    char what[96];
    snprintf(what, sizeof what, " (%lld of %lld points finished)",
             (long long)legation_study_points_done(s),
             (long long)legation_study_points_planned(s));
    resume_hint(c, r->cmd, what);
  } else if (st == LEGATION_OK && !quiet) {
    cli_err("stored as run %lld in %s", (long long)c->id, c->path);
  }
  return c->failed;
}

/* Resume or replay: open the store, check that run id is a complete (replay)
 * or unfinished (resume) study of `kind` (NULL: any, set to the stored
 * one), rebuild its scenarios and make *b, the command line it was made
 * with plus a's --json, --report, --quiet and --db.  Returns an exit code. */
static int study_from_store(study_ctx *c, study_run *r, const cli_args *a, int64_t id,
                            const char **kind, cli_args *b) {
  const char *cmd = r->cmd;
  int rc = cli_store_open(a, cmd, 0, &c->st);
  if (rc) return rc;
  c->path = cli_store_path(a);
  c->id = id;
  legation_store_run info;
  legation_status s = legation_store_get(c->st, id, &info);
  if (s != LEGATION_OK) {
    cli_err("%s: %s", cmd, legation_store_errmsg(c->st));
    return cli_exit_for(s) == CLI_EXIT_RUN ? CLI_EXIT_USAGE : cli_exit_for(s);
  }
  char *k = stored_setting(info.sets, "study", NULL);
  if (!k || (*kind && strcmp(k, *kind) != 0)) {
    cli_err("%s: run %lld is not a %s study%s%s%s", cmd, (long long)id, *kind ? *kind : "stored",
            k ? " (it is a " : "", k ? k : "", k ? " study)" : "");
    free(k);
    return CLI_EXIT_USAGE;
  }
  r->owned[r->nowned++] = k;
  *kind = k;
  int complete = strcmp(info.status, "complete") == 0;
  if (c->mode == STUDY_REPLAY && !complete) {
    cli_err("%s: study %lld is %s (%lld of %lld replications); %s", cmd, (long long)id,
            info.status, (long long)info.reps_done, (long long)info.reps_requested,
            strcmp(info.status, "failed") == 0 ? "it cannot be shown"
                                               : "finish it with --resume first");
    return CLI_EXIT_USAGE;
  }
  if (c->mode == STUDY_RESUME && (complete || strcmp(info.status, "failed") == 0)) {
    if (complete)
      cli_err("%s: study %lld is complete; there is nothing to resume (see 'legation report "
              "%lld -o FILE')", cmd, (long long)id, (long long)id);
    else
      cli_err("%s: study %lld failed (%s); it cannot be resumed", cmd, (long long)id, info.error);
    return CLI_EXIT_USAGE;
  }
  const char *o = strncmp(info.origin, "builtin:", 8) == 0 ? info.origin + 8 : info.origin;
  c->pos[0] = malloc(strlen(o) + 1);
  c->sets = malloc(strlen(info.sets) + 1);
  if (!c->pos[0] || !c->sets) {
    cli_err("out of memory");
    return CLI_EXIT_RUN;
  }
  strcpy(c->pos[0], o);
  strcpy(c->sets, info.sets);
  uint64_t seed = info.seed;
  s = legation_store_rebuild(c->st, id, &c->stored);
  if (s != LEGATION_OK) {
    cli_err("%s: %s", cmd, legation_store_errmsg(c->st));
    return cli_exit_for(s);
  }
  *b = *a;
  b->pos = c->pos;
  b->npos = 1;
  b->sets = NULL;
  b->nsets = 0;
  b->options = NULL;
  b->noptions = 0;
  b->groups = NULL;
  b->seed = seed;
  b->resume = 0;
  static const char *const names[] = {"method", "n", "levels", "reps", "params", "where",
                                      "points", "threshold", "box", "study_posterior"};
  char *v[10];
  for (int i = 0; i < 10; i++) {
    v[i] = stored_setting(c->sets, names[i], NULL);
    if (v[i]) r->owned[r->nowned++] = v[i];
  }
  b->method = v[0];
  b->n = v[1] ? strtoll(v[1], NULL, 10) : 0;
  b->levels = v[2] ? strtoll(v[2], NULL, 10) : 0;
  b->given[CLI_OPT_REPS] = v[3] != NULL;
  b->reps = v[3] ? strtoll(v[3], NULL, 10) : b->reps;
  b->params = v[4];
  b->where = v[5];
  b->points = v[6] ? strtoll(v[6], NULL, 10) : 0;
  b->threshold = v[7] ? strtod(v[7], NULL) : -1;
  b->box = v[8] ? strtoll(v[8], NULL, 10) : 0;
  b->posterior = v[9] ? strtoll(v[9], NULL, 10) : 0;
  return CLI_EXIT_OK;
}

/* --resume ID takes everything from the store: refuse what would change
 * the study.  Returns an exit code. */
static int resume_refused(const cli_args *a) {
  static const struct {
    cli_opt_id id;
    const char *name;
  } refused[] = {{CLI_OPT_SET, "--set"},         {CLI_OPT_PARAMS, "--params"},
                 {CLI_OPT_UNCERTAIN, "--uncertain"}, {CLI_OPT_GROUPS, "--groups"},
                 {CLI_OPT_METHOD, "--method"},   {CLI_OPT_N, "--n"},
                 {CLI_OPT_LEVELS, "--levels"},   {CLI_OPT_REPS, "--reps"},
                 {CLI_OPT_SEED, "--seed"},       {CLI_OPT_OPTION, "--option"},
                 {CLI_OPT_WHERE, "--where"},     {CLI_OPT_POINTS, "--points"},
                 {CLI_OPT_THRESHOLD, "--threshold"}, {CLI_OPT_BOX, "--box"},
                 {CLI_OPT_POSTERIOR, "--posterior"}, {CLI_OPT_NO_STORE, "--no-store"},
                 {CLI_OPT_LABEL, "--label"}};
  for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
    if (a->given[refused[i].id])
      return cli_usage_error(a->cmd, "--resume takes the study's own settings; %s cannot be given",
                             refused[i].name);
  if (a->npos)
    return cli_usage_error(a->cmd, "--resume takes the study's own scenario; '%s' cannot be given",
                           a->pos[0]);
  return CLI_EXIT_OK;
}

static void study_run_free(study_run *r) {
  legation_run_free(r->rec);
  for (int i = 0; i < r->nowned; i++) free(r->owned[i]);
  memset(r, 0, sizeof *r);
}

/* A study set up for the command line (setup_study) with its progress
 * bar and Ctrl-C; NULL with *rc the exit code when it cannot be. */
static legation_study *open_study(scen_eval *e, const cli_args *a, const char *cmd,
                                  cli_progress *prog, int *rc, study_ctx *ctx) {
  if ((*rc = cli_output_check(a, a->report)) != 0) return NULL;
  legation_study *s = legation_study_new();
  if (!s) {
    cli_err("out of memory");
    *rc = CLI_EXIT_RUN;
    return NULL;
  }
  *rc = setup_study(s, e, a, cmd, ctx);
  if (*rc) {
    legation_study_free(s);
    scen_eval_free(e);
    return NULL;
  }
  ctx->nbase = legation_study_base_outputs(s);
  ctx->keys = (const char **)e->keys;
  cli_progress_init(prog, !a->given[CLI_OPT_QUIET] && ctx->mode != STUDY_REPLAY &&
                              isatty(STDERR_FILENO));
  cli_sigint_install();
  legation_study_set_progress(s, cli_progress_cb, prog);
  return s;
}

static int sensitivity_main(const cli_args *a, study_ctx *ctx) {
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
  legation_study *s = open_study(&e, a, cmd, &prog, &rc, ctx);
  if (!s) return rc;
  study_run r = {0};
  r.prog = &prog;
  r.cmd = cmd;
  r.reps = a->given[CLI_OPT_REPS] ? a->reps : e.sc ? LEGATION_STUDY_SCENARIO_REPS : 1;
  int64_t n = a->n ? a->n : morris ? 20 : 1024;
  if (morris && n > 100000) {
    cli_err("%s: trajectories: expected 2 to 100000, found %lld", cmd, (long long)n);
    rc = CLI_EXIT_USAGE;
    goto out;
  }
  if (a->levels > 1000) { /* refused here, before narrowing to int */
    cli_err("%s: --levels: expected an even number from 2 to 1000, found %lld", cmd,
            (long long)a->levels);
    rc = CLI_EXIT_USAGE;
    goto out;
  }
  int levels = a->levels ? (int)a->levels : 4;
  if (!morris && a->levels) {
    cli_err("%s: --levels is for --method morris", cmd);
    rc = CLI_EXIT_USAGE;
    goto out;
  }
  int k = legation_study_factor_count(s), G = legation_study_group_count(s);
  int64_t per_row = morris ? k + 1 : G + 2;
  ctx->keep_params = morris ? per_row : 2; /* Sobol: the A and B points of each row */
  if ((rc = study_store_begin(ctx, &r, a, "sensitivity", s, &e, n * per_row * r.reps)) != 0)
    goto out;
  sink_ctx sk = {ctx, &r};
  if (ctx->st) legation_study_set_point_sink(s, study_sink, &sk);
  legation_status st =
      morris ? legation_study_morris(s, (int)n, levels) : legation_study_sobol(s, n);
  cli_progress_done(&prog);
  int rc_store = study_store_end(ctx, &r, s, st, a->given[CLI_OPT_QUIET]);
  if (st != LEGATION_OK && st != LEGATION_EINTR) {
    cli_err("%s: %s", cmd, legation_study_errmsg(s));
    rc = st == LEGATION_ERANGE || st == LEGATION_EINVAL ? CLI_EXIT_USAGE : cli_exit_for(st);
    goto out;
  }
  if (st == LEGATION_EINTR) {
    legation_study_var v;
    legation_morris_index m;
    int have = morris ? legation_study_morris_index(s, 0, 0, &m) == LEGATION_OK
                      : legation_study_output_var(s, 0, &v) == LEGATION_OK;
    if (!have) {
      cli_err("%s: interrupted before any point finished", cmd);
      rc = rc_store ? rc_store : CLI_EXIT_INTR;
      goto out;
    }
  }
  char note[2048];
  legation_study_posterior_note(s, note, sizeof note);
  if (morris) {
    if (!ctx->no_text) rc = morris_out(s, a, (int)n, levels, st);
    if (!rc && !ctx->no_text && *note && !a->given[CLI_OPT_JSON]) cli_wrap(stdout, note, 0, 0);
    if (!rc && a->report) {
      json_t *doc = morris_doc(s, a, (int)n, levels, st);
      if (doc && *note) json_object_set_new(doc, "posterior_note", json_string(note));
      rc = study_report(a, doc, "morris");
    }
  } else {
    if (!ctx->no_text) {
      if (a->given[CLI_OPT_JSON]) {
        json_t *doc = sobol_doc(s, a, n, st);
        if (doc && *note) json_object_set_new(doc, "posterior_note", json_string(note));
        rc = print_json(doc);
      } else {
        rc = sobol_text(s, a, n, st);
        if (!rc && *note) {
          putchar('\n');
          cli_wrap(stdout, note, 0, 0);
        }
      }
    }
    if (!rc && a->report) {
      json_t *doc = sobol_doc(s, a, n, st);
      if (doc && *note) {
        /* the report's heading names the scenario: say where the
         * calibrated values come from there too */
        char title[1024];
        snprintf(title, sizeof title, "%s, calibrated parameters from the posterior of "
                 "calibration %lld", a->pos[0], (long long)e.post_id);
        json_object_set_new(doc, "scenario", json_string(title));
        json_object_set_new(doc, "posterior_note", json_string(note));
      }
      rc = study_report(a, doc, "sensitivity");
    }
  }
  if (st == LEGATION_EINTR) {
    cli_err("%s: %s", cmd, legation_study_errmsg(s));
    if (!rc) rc = CLI_EXIT_INTR;
  }
  if (!rc) rc = rc_store;
out:
  legation_study_free(s);
  scen_eval_free(&e);
  study_run_free(&r);
  return rc;
}

/* A study command: a new study of operand SCENARIO, or (--resume ID) the
 * stored one finished; kind names the command, run_main does the study. */
static int study_cmd(const cli_args *a, const char *kind,
                     int (*run_main)(const cli_args *, study_ctx *)) {
  study_ctx ctx = {0};
  int rc;
  if (!a->resume) {
    if (!a->npos) return cli_usage_error(a->cmd, "missing operand SCENARIO");
    rc = run_main(a, &ctx);
  } else {
    cli_args b;
    study_run r = {0};
    r.cmd = kind;
    const char *stored = kind;
    ctx.mode = STUDY_RESUME;
    rc = resume_refused(a);
    if (!rc) rc = study_from_store(&ctx, &r, a, a->resume, &stored, &b);
    if (!rc) rc = run_main(&b, &ctx);
    study_run_free(&r);
  }
  study_ctx_free(&ctx);
  return rc;
}

int cli_cmd_sensitivity(const cli_args *a) { return study_cmd(a, "sensitivity", sensitivity_main); }

/* ------------------------------------------------------------- discover */

json_t *cli_discover_doc(const legation_study *s, const char *scenario, uint64_t seed,
                         const char *where, int64_t points) {
  int k = legation_study_factor_count(s), ns = legation_study_prim_steps(s);
  legation_prim_box b;
  legation_study_prim_box(s, &b);
  json_t *doc = json_object(), *traj = json_array(), *bounds = json_array();
  json_object_set_new(doc, "scenario", json_string(scenario));
  json_object_set_new(doc, "where", json_string(where));
  json_object_set_new(doc, "points", json_integer((json_int_t)points));
  json_object_set_new(doc, "seed", cli_json_seed(seed));
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

static json_t *discover_doc(const legation_study *s, const cli_args *a, int64_t points) {
  return cli_discover_doc(s, a->pos[0], a->seed, a->where, points);
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

static int discover_main(const cli_args *a, study_ctx *ctx) {
  const char *cmd = "discover";
  if (!a->where) return cli_usage_error(a->cmd, "--where \"OUTPUT OP NUMBER\" is required");
  if (a->params && a->given[CLI_OPT_UNCERTAIN])
    return cli_usage_error(a->cmd, "--params and --uncertain cannot be combined");
  if (a->box && a->threshold >= 0)
    return cli_usage_error(a->cmd, "--box and --threshold cannot be combined");
  scen_eval e = {0};
  cli_progress prog;
  int rc;
  legation_study *s = open_study(&e, a, cmd, &prog, &rc, ctx);
  if (!s) return rc;
  study_run r = {0};
  r.prog = &prog;
  r.cmd = cmd;
  r.reps = a->given[CLI_OPT_REPS] ? a->reps : e.sc ? LEGATION_STUDY_SCENARIO_REPS : 1;
  legation_prim_options opt;
  legation_prim_defaults(&opt);
  if (a->threshold >= 0) opt.threshold = a->threshold;
  int64_t points = a->points ? a->points : 2000;
  legation_status st = LEGATION_OK;
  int rc_store = 0;
  if (a->box >= points) { /* a trajectory has fewer steps than points */
    cli_err("%s: --box: expected a step of the peeling trajectory (below the %lld points), "
            "found %lld", cmd, (long long)points, (long long)a->box);
    rc = CLI_EXIT_USAGE;
    goto out;
  }
  if (a->box) opt.box = (int)a->box;
  ctx->keep_params = 1;
  if ((rc = study_store_begin(ctx, &r, a, "discover", s, &e, points * r.reps)) != 0) goto out;
  sink_ctx sk = {ctx, &r};
  if (ctx->st) legation_study_set_point_sink(s, study_sink, &sk);
  st = legation_study_discover(s, a->where, points, &opt);
  cli_progress_done(&prog);
  rc_store = study_store_end(ctx, &r, s, st, a->given[CLI_OPT_QUIET]);
  if (st != LEGATION_OK) {
    cli_err("%s: %s", cmd, legation_study_errmsg(s));
    rc = st == LEGATION_EINTR ? CLI_EXIT_INTR
         : st == LEGATION_ERANGE || st == LEGATION_EINVAL || st == LEGATION_ENOTFOUND
             ? CLI_EXIT_USAGE
             : cli_exit_for(st);
    if (st == LEGATION_EINTR && rc_store) rc = rc_store;
    goto out;
  }
  if (!ctx->no_text)
    rc = a->given[CLI_OPT_JSON] ? discover_json(s, a, points) : discover_text(s, a, points);
  if (!rc && a->report) {
    json_t *doc = discover_doc(s, a, points), *sample = discover_sample(s);
    if (sample) json_object_set_new(doc, "sample", sample);
    rc = study_report(a, doc, "discover");
  }
  if (!rc) rc = rc_store;
out:
  legation_study_free(s);
  scen_eval_free(&e);
  study_run_free(&r);
  return rc;
}

int cli_cmd_discover(const cli_args *a) { return study_cmd(a, "discover", discover_main); }

/* ------------------------------------------------ stored studies (cli.h) */

int cli_study_replay(const cli_args *a, int64_t id, const char *report) {
  study_ctx ctx = {0};
  study_run r = {0};
  cli_args b;
  const char *kind = NULL;
  ctx.mode = STUDY_REPLAY;
  ctx.no_text = report != NULL;
  r.cmd = report ? "report" : "runs";
  int rc = study_from_store(&ctx, &r, a, id, &kind, &b);
  if (!rc) {
    b.report = report;
    b.given[CLI_OPT_QUIET] = 1;
    rc = strcmp(kind, "discover") == 0 ? discover_main(&b, &ctx) : sensitivity_main(&b, &ctx);
  }
  study_run_free(&r);
  study_ctx_free(&ctx);
  return rc;
}
