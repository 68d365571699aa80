/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd_calibrate.c - `legation calibrate`: set up an ABC-SMC calibration
 * (a built-in test model, or a scenario once the engine can run designs),
 * run it generation by generation with a progress bar, keep each generation
 * in the results store so that --resume finishes a stopped one, and print
 * per generation the tolerance, acceptance rate and ESS, then per parameter
 * the prior, the posterior and how much the targets taught.
 */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "report.h"

#define CMD "calibrate"
/* Below this share of its prior width learned, a parameter is reported as
 * not informed by the targets (docs/CALIBRATION.md). */
#define LEARNED_MIN 0.1
#define TARGETS_MAX_BYTES (4L * 1024 * 1024)
/* Replications per parameter point of a scenario: 1, because the record
 * is one realisation; comparing it with the mean of several replications
 * would make the posterior too narrow (docs/CALIBRATION.md section 1). */
#define REPS_PER_POINT 1

/* What defines a calibration: from the command line, or from the store. */
typedef struct calib_spec {
  const char *scenario;       /* operand */
  const char *targets_origin; /* path or NULL */
  char *targets_text;         /* owned (fresh) or borrowed (resume) */
  size_t targets_len;
  const char *params;         /* "" for all */
  int64_t particles;
  int generations;
  uint64_t seed;
  double min_tolerance;       /* NaN: default */
  double min_acceptance;      /* NaN: default */
  int threads;
} calib_spec;

/* Read a whole file (text) into *out; prints and returns an exit code. */
static int read_file(const char *path, char **out, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    cli_err(CMD ": %s: cannot open: %s", path, strerror(errno));
    return CLI_EXIT_IO;
  }
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    if (n + 1 >= cap) {
      if (cap > (size_t)TARGETS_MAX_BYTES) {
        cli_err(CMD ": %s: larger than %ld bytes", path, TARGETS_MAX_BYTES);
        free(buf);
        fclose(f);
        return CLI_EXIT_DATA;
      }
      char *nb = realloc(buf, cap * 2);
      if (!nb) break;
      buf = nb;
      cap *= 2;
    }
    size_t k = fread(buf + n, 1, cap - n - 1, f);
    n += k;
    if (k == 0) break;
  }
  if (!buf) {
    fclose(f);
    cli_err("out of memory");
    return CLI_EXIT_RUN;
  }
  if (ferror(f)) {
    cli_err(CMD ": %s: cannot read: %s", path, strerror(errno));
    free(buf);
    fclose(f);
    return CLI_EXIT_IO;
  }
  fclose(f);
  buf[n] = 0;
  *out = buf;
  *len = n;
  return CLI_EXIT_OK;
}

/* Split "a,b,c" into keys (pointers into copy); usage error on an empty
 * item.  Returns an exit code. */
static int split_params(const cli_args *a, const char *params, char **copy, const char ***keys,
                        int *nkeys) {
  *copy = NULL;
  *keys = NULL;
  *nkeys = 0;
  if (!params || !*params) return CLI_EXIT_OK;
  size_t n = strlen(params);
  char *c = malloc(n + 1);
  const char **k = calloc(n + 1, sizeof *k);
  if (!c || !k) {
    free(c);
    free(k);
    cli_err("out of memory");
    return CLI_EXIT_RUN;
  }
  memcpy(c, params, n + 1);
  int m = 0;
  for (char *p = c;;) {
    char *comma = strchr(p, ',');
    if (comma) *comma = 0;
    if (!*p) {
      free(c);
      free(k);
      return cli_usage_error(a->cmd, "--params: expected KEY,KEY,... without empty items, "
                                     "found '%s'",
                             params);
    }
    k[m++] = p;
    if (!comma) break;
    p = comma + 1;
  }
  *copy = c;
  *keys = k;
  *nkeys = m;
  return CLI_EXIT_OK;
}

/* Print a library message (every line prefixed); returns the exit code. */
static int abc_failed(legation_abc *abc, legation_status st) {
  const char *msg = legation_abc_errmsg(abc);
  if (msg && *msg) {
    /* "calibrate: " on each line */
    const char *p = msg;
    while (*p) {
      size_t k = strcspn(p, "\n");
      cli_err(CMD ": %.*s", (int)k, p);
      p += k;
      if (*p) p++;
    }
  } else {
    cli_err(CMD ": %s", legation_strerror(st));
  }
  return cli_exit_for(st);
}

/* Configure abc from spec; prints and returns an exit code. */
static int setup(const cli_args *a, legation_abc *abc, const calib_spec *sp) {
  legation_status st;
  struct {
    legation_status st;
    const char *opt;
  } steps[] = {
      {legation_abc_set_particles(abc, sp->particles), "--particles"},
      {legation_abc_set_generations(abc, sp->generations), "--generations"},
      {legation_abc_set_seed(abc, sp->seed), "--seed"},
      {legation_abc_set_threads(abc, sp->threads), "--threads"},
      {isnan(sp->min_tolerance) ? LEGATION_OK
                                : legation_abc_set_min_tolerance(abc, sp->min_tolerance),
       "--min-tolerance"},
      {isnan(sp->min_acceptance) ? LEGATION_OK
                                 : legation_abc_set_min_acceptance(abc, sp->min_acceptance),
       "--min-acceptance"},
  };
  for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
    if (steps[i].st != LEGATION_OK) {
      /* the library's message is "what: expected ..., found ..." */
      const char *msg = legation_abc_errmsg(abc), *colon = strchr(msg, ':');
      return cli_usage_error(a->cmd, "%s%s", steps[i].opt, colon ? colon : msg);
    }
  if (sp->targets_text) {
    st = legation_abc_load_targets(abc, sp->targets_text, sp->targets_len,
                                   sp->targets_origin ? sp->targets_origin : "targets");
    if (st != LEGATION_OK) return abc_failed(abc, st);
  }
  char *copy;
  const char **keys;
  int nkeys;
  int rc = split_params(a, sp->params, &copy, &keys, &nkeys);
  if (rc) return rc;
  if (strncmp(sp->scenario, "test:", 5) == 0) {
    st = legation_abc_use_test_model(abc, sp->scenario, nkeys ? keys : NULL, nkeys);
  } else {
    legation_scenario *sc = legation_scenario_new();
    if (!sc) {
      free(copy);
      free(keys);
      cli_err("out of memory");
      return CLI_EXIT_RUN;
    }
    rc = cli_load_scenario(sc, CMD, sp->scenario);
    if (!rc) st = legation_abc_use_scenario(abc, sc, nkeys ? keys : NULL, nkeys, REPS_PER_POINT);
    legation_scenario_free(sc);
    if (rc) {
      free(copy);
      free(keys);
      return rc;
    }
  }
  free(copy);
  free(keys);
  if (st != LEGATION_OK) return abc_failed(abc, st);
  return CLI_EXIT_OK;
}

/* "0.318", "1.2e-05": four significant digits. */
static const char *num(char *buf, size_t n, double x) {
  if (isinf(x)) snprintf(buf, n, "%s", x > 0 ? "inf" : "-inf");
  else snprintf(buf, n, "%.4g", x);
  return buf;
}

static void gen_header(void) {
  printf("%4s  %12s  %10s  %8s  %11s\n", "GEN", "TOLERANCE", "ACCEPTANCE", "ESS",
         "SIMULATIONS");
}

static void gen_line(const legation_abc *abc, int g) {
  legation_abc_generation h;
  legation_abc_generation_get(abc, g, &h);
  char t[32];
  printf("%4d  %12s  %9.2f%%  %8.1f  %11lld\n", h.generation, num(t, sizeof t, h.tolerance),
         100 * h.acceptance, h.ess, (long long)h.simulations);
  fflush(stdout);
}

static int64_t total_sims(const legation_abc *abc, double *seconds) {
  int64_t s = 0;
  double secs = 0;
  for (int g = 0; g < legation_abc_generations_done(abc); g++) {
    legation_abc_generation h;
    legation_abc_generation_get(abc, g, &h);
    s += h.simulations;
    secs += h.seconds;
  }
  if (seconds) *seconds = secs;
  return s;
}

/* The table per parameter and the sentence on what the targets inform. */
static void final_text(const legation_abc *abc, const calib_spec *sp) {
  int np = legation_abc_param_count(abc), g = legation_abc_generations_done(abc);
  if (!g) {
    printf("No generation completed.\n");
    return;
  }
  const char *why = legation_abc_done(abc);
  double secs;
  int64_t sims = total_sims(abc, &secs);
  printf("\nPosterior of %s after %d generation%s (%s), %lld particles, seed %llu:\n",
         sp->scenario, g, g == 1 ? "" : "s", why ? why : "stopped", (long long)sp->particles,
         (unsigned long long)sp->seed);
  size_t w = 9;
  for (int i = 0; i < np; i++) {
    legation_abc_param p;
    legation_abc_param_get(abc, i, &p);
    if (strlen(p.key) > w) w = strlen(p.key);
  }
  printf("%-*s  %-26s  %10s  %21s  %7s\n", (int)w, "PARAMETER", "PRIOR", "MEAN", "5-95%",
         "LEARNED");
  char *uninformed = NULL;
  size_t ulen = 0;
  for (int i = 0; i < np; i++) {
    legation_abc_param p;
    legation_abc_marginal m;
    legation_abc_param_get(abc, i, &p);
    legation_abc_marginal_get(abc, i, &m);
    char prior[160], a[32], b[32], c[32], d[32], iv[96];
    if (strcmp(p.dist, "normal") == 0)
      snprintf(prior, sizeof prior, "normal(%s, %s) [%s, %s]", num(c, sizeof c, p.mode),
               num(d, sizeof d, p.sd), num(a, sizeof a, p.lo), num(b, sizeof b, p.hi));
    else if (strcmp(p.dist, "triangular") == 0)
      snprintf(prior, sizeof prior, "triangular(%s) [%s, %s]", num(c, sizeof c, p.mode),
               num(a, sizeof a, p.lo), num(b, sizeof b, p.hi));
    else
      snprintf(prior, sizeof prior, "%s [%s, %s]", p.dist, num(a, sizeof a, p.lo),
               num(b, sizeof b, p.hi));
    double pct = 100 * m.learned;
    if (pct > -0.5 && pct < 0.5) pct = 0; /* no "-0%" */
    snprintf(iv, sizeof iv, "[%s, %s]", num(c, sizeof c, m.q05), num(d, sizeof d, m.q95));
    printf("%-*s  %-26s  %10s  %21s  %6.0f%%%s\n", (int)w, p.key, prior,
           num(a, sizeof a, m.mean), iv, pct,
           m.learned < LEARNED_MIN ? "  not informed" : "");
    if (m.learned < LEARNED_MIN) {
      size_t k = strlen(p.key);
      char *nu = realloc(uninformed, ulen + k + 3);
      if (nu) {
        uninformed = nu;
        memcpy(uninformed + ulen, ulen ? ", " : "", ulen ? 2 : 0);
        ulen += ulen ? 2 : 0;
        memcpy(uninformed + ulen, p.key, k + 1);
        ulen += k;
      }
    }
  }
  if (uninformed)
    printf("The targets cannot inform %s: the posterior is about as wide as the prior "
           "(learned < %.0f%%).\n",
           uninformed, 100 * LEARNED_MIN);
  else
    printf("Every parameter is informed by the targets (learned >= %.0f%%).\n",
           100 * LEARNED_MIN);
  printf("%lld simulations in %.2f s of generations (%.0f simulations/s).\n", (long long)sims,
         secs, secs > 0 ? (double)sims / secs : 0.0);
  free(uninformed);
}


/* The final document (final_json prints it; --report draws it). */
static json_t *final_doc(const legation_abc *abc, const calib_spec *sp, int64_t id);

static int final_json(const legation_abc *abc, const calib_spec *sp, int64_t id) {
  json_t *o = final_doc(abc, sp, id);
  if (!o) {
    cli_err(CMD ": out of memory");
    return CLI_EXIT_RUN;
  }
  int rc = json_dumpf(o, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
  fputc('\n', stdout);
  json_decref(o);
  return rc == 0 ? CLI_EXIT_OK : CLI_EXIT_RUN;
}

json_t *cli_calibrate_doc(const legation_abc *abc, const char *scenario, uint64_t seed,
                          int64_t particles, int generations, int64_t id) {
  json_t *o = json_object(), *gens = json_array(), *tg = json_array(), *ps = json_array();
  json_t *post = json_object(), *wts = json_array(), *vals = json_array();
  if (!o || !gens || !tg || !ps || !post || !wts || !vals) goto oom;
  const char *why = legation_abc_done(abc);
  json_object_set_new(o, "calibration", id ? json_integer(id) : json_null());
  json_object_set_new(o, "scenario", json_string(scenario));
  json_object_set_new(o, "seed", cli_json_seed(seed));
  json_object_set_new(o, "particles", json_integer(particles));
  json_object_set_new(o, "max_generations", json_integer(generations));
  json_object_set_new(o, "stopped", why ? json_string(why) : json_null());
  json_object_set_new(o, "simulations", json_integer(total_sims(abc, NULL)));
  for (int g = 0; g < legation_abc_generations_done(abc); g++) {
    legation_abc_generation h;
    legation_abc_generation_get(abc, g, &h);
    json_array_append_new(gens, json_pack("{s:i, s:o, s:I, s:f, s:f, s:f}", "generation",
                                          h.generation, "tolerance", cli_json_num(h.tolerance),
                                          "simulations", (json_int_t)h.simulations,
                                          "acceptance", h.acceptance, "ess", h.ess, "seconds",
                                          h.seconds));
  }
  for (int t = 0; t < legation_abc_target_count(abc); t++) {
    const char *name;
    double v, sd, scale;
    legation_abc_target_get(abc, t, &name, &v, &sd, &scale);
    json_array_append_new(tg, json_pack("{s:s, s:f, s:o, s:o}", "name", name, "value", v, "sd",
                                        cli_json_num(sd), "scale", cli_json_num(scale)));
  }
  int has = legation_abc_generations_done(abc) > 0;
  for (int i = 0; i < legation_abc_param_count(abc); i++) {
    legation_abc_param p;
    legation_abc_marginal m;
    legation_abc_param_get(abc, i, &p);
    json_t *x = json_pack("{s:s, s:s, s:f, s:f, s:o, s:o}", "key", p.key, "dist", p.dist, "lo",
                          p.lo, "hi", p.hi, "mode", cli_json_num(p.mode), "prior_sd", cli_json_num(p.sd));
    if (x && has && legation_abc_marginal_get(abc, i, &m) == LEGATION_OK) {
      json_object_set_new(x, "prior_mean", cli_json_num(m.prior_mean));
      json_object_set_new(x, "prior_q05", cli_json_num(m.prior_q05));
      json_object_set_new(x, "prior_q95", cli_json_num(m.prior_q95));
      json_object_set_new(x, "mean", cli_json_num(m.mean));
      json_object_set_new(x, "sd", cli_json_num(m.sd));
      json_object_set_new(x, "q05", cli_json_num(m.q05));
      json_object_set_new(x, "q50", cli_json_num(m.q50));
      json_object_set_new(x, "q95", cli_json_num(m.q95));
      json_object_set_new(x, "learned", cli_json_num(m.learned));
      json_object_set_new(x, "informed", json_boolean(m.learned >= LEARNED_MIN));
    }
    json_array_append_new(ps, x);
  }
  for (int64_t i = 0; has && i < legation_abc_particles(abc); i++) {
    const double *th;
    double w;
    legation_abc_particle(abc, i, &th, &w, NULL, NULL);
    json_array_append_new(wts, json_real(w));
    json_t *row = json_array();
    for (int k = 0; row && k < legation_abc_param_count(abc); k++)
      json_array_append_new(row, json_real(th[k]));
    json_array_append_new(vals, row);
  }
  json_object_set_new(o, "generations", gens);
  json_object_set_new(o, "targets", tg);
  json_object_set_new(o, "params", ps);
  json_object_set_new(post, "weights", wts);
  json_object_set_new(post, "values", vals);
  json_object_set_new(o, "posterior", post);
  return o;
oom:
  json_decref(o);
  json_decref(gens);
  json_decref(tg);
  json_decref(ps);
  json_decref(post);
  json_decref(wts);
  json_decref(vals);
  return NULL;
}

static json_t *final_doc(const legation_abc *abc, const calib_spec *sp, int64_t id) {
  return cli_calibrate_doc(abc, sp->scenario, sp->seed, sp->particles, sp->generations, id);
}

/* --list: one line per stored calibration. */
static int list_row(void *user, const legation_store_calib *c) {
  int *n = user;
  if (!(*n)++)
    printf("%4s  %-20s  %-20s  %9s  %11s  %-10s  %s\n", "ID", "CREATED", "SCENARIO",
           "PARTICLES", "GENERATIONS", "STATUS", "STOPPED");
  char gens[32];
  snprintf(gens, sizeof gens, "%d/%d", c->generations_done, c->generations);
  printf("%4lld  %-20s  %-20s  %9lld  %11s  %-10s  %s\n", (long long)c->id, c->created,
         c->scenario, (long long)c->particles, gens, c->status, c->stopped);
  return 0;
}

static int list_calibrations(const cli_args *a) {
  static const cli_opt_id others[] = {CLI_OPT_TARGETS,     CLI_OPT_ERA,
                                      CLI_OPT_PARAMS,      CLI_OPT_UNCERTAIN,
                                      CLI_OPT_PARTICLES,   CLI_OPT_SEED,
                                      CLI_OPT_GENERATIONS, CLI_OPT_MIN_TOLERANCE,
                                      CLI_OPT_MIN_ACCEPTANCE, CLI_OPT_NO_STORE,
                                      CLI_OPT_RESUME,      CLI_OPT_JSON,
                                      CLI_OPT_THREADS};
  for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
    if (a->given[others[i]] || a->npos)
      return cli_usage_error(a->cmd, "--list takes only --db");
  legation_store *st;
  int rc = cli_store_open(a, CMD, 0, &st);
  if (rc) return rc;
  int n = 0;
  legation_status s = legation_store_calib_list(st, list_row, &n);
  if (s != LEGATION_OK) {
    cli_err(CMD ": %s", legation_store_errmsg(st));
    rc = cli_exit_for(s);
  } else if (!n) {
    cli_err(CMD ": no calibration in %s", cli_store_path(a));
  }
  legation_store_close(st);
  return rc;
}

/* Check the option combinations; returns an exit code, or -1 to go on. */
static int check_options(const cli_args *a) {
  if (a->resume) {
    static const cli_opt_id fixed[] = {CLI_OPT_TARGETS,   CLI_OPT_ERA,         CLI_OPT_PARAMS,
                                       CLI_OPT_UNCERTAIN, CLI_OPT_PARTICLES,   CLI_OPT_SEED,
                                       CLI_OPT_GENERATIONS, CLI_OPT_MIN_TOLERANCE,
                                       CLI_OPT_MIN_ACCEPTANCE, CLI_OPT_NO_STORE};
    static const char *const names[] = {"--targets",   "--era",  "--params",
                                        "--uncertain", "--particles", "--seed",
                                        "--generations", "--min-tolerance", "--min-acceptance",
                                        "--no-store"};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
      if (a->given[fixed[i]])
        return cli_usage_error(a->cmd, "--resume takes the settings from the store, not %s",
                               names[i]);
    if (a->npos) return cli_usage_error(a->cmd, "--resume takes no SCENARIO operand");
    return -1;
  }
  if (!a->npos) return cli_usage_error(a->cmd, "missing operand SCENARIO");
  if (a->targets && a->era)
    return cli_usage_error(a->cmd, "--targets and --era cannot be combined");
  if (a->params && a->given[CLI_OPT_UNCERTAIN])
    return cli_usage_error(a->cmd, "--params and --uncertain cannot be combined");
  if (a->particles < 2)
    return cli_usage_error(a->cmd, "--particles: expected at least 2, found %lld",
                           (long long)a->particles);
  if (a->generations > 1000)
    return cli_usage_error(a->cmd, "--generations: expected 1 to 1000, found %lld",
                           (long long)a->generations);
  if (strncmp(a->pos[0], "test:", 5) != 0) {
    if (!a->targets && !a->era)
      return cli_usage_error(a->cmd, "a scenario needs targets: --targets FILE or --era FROM:TO");
    if (!a->params && !a->given[CLI_OPT_UNCERTAIN])
      return cli_usage_error(a->cmd, "a scenario needs the parameters to calibrate: --params "
                                     "KEY,... or --uncertain");
  }
  if (a->era) {
    int from, to;
    char tail;
    if (sscanf(a->era, "%4d:%4d%c", &from, &to, &tail) != 2 || from < 1 || to < from ||
        strspn(a->era, "0123456789:") != strlen(a->era))
      return cli_usage_error(a->cmd, "--era: expected FROM:TO years (e.g. 1986:2015), found "
                                     "'%s'",
                             a->era);
  }
  int rc = cli_output_check(a, a->report);
  return rc ? rc : -1;
}

/* --era FROM:TO: the record's statistics that the model simulates
 * (moves and persons expelled per year, per side; docs/TARGETS.md) for the
 * scenario's pair, as a targets file in memory (*text malloc'd). */
static int era_targets(const cli_args *a, char **text, size_t *len) {
  static const char *const wanted[] = {"moves_per_year", "persons_per_year"};
  int from = 0, to = 0;
  sscanf(a->era, "%d:%d", &from, &to);
  legation_scenario *sc = legation_scenario_new();
  legation_history *h = legation_history_new();
  int rc = sc && h ? cli_load_scenario(sc, CMD, a->pos[0]) : CLI_EXIT_RUN;
  if (!rc && legation_history_load_builtin(h) != LEGATION_OK) rc = CLI_EXIT_RUN;
  const char *ca = rc ? NULL : legation_country_code(legation_scenario_state_name(sc, 0));
  const char *cb = rc ? NULL : legation_country_code(legation_scenario_state_name(sc, 1));
  if (!rc && (!ca || !cb)) {
    cli_err(CMD ": --era: the record has no country for %s or %s; give --targets FILE",
            legation_scenario_state_name(sc, 0), legation_scenario_state_name(sc, 1));
    rc = CLI_EXIT_DATA;
  }
  if (!rc && legation_history_stats(h, ca, cb, from, to) != LEGATION_OK) {
    cli_err(CMD ": --era: %s", legation_history_errmsg(h));
    rc = CLI_EXIT_DATA;
  }
  char *buf = NULL;
  size_t n = 0;
  FILE *f = rc ? NULL : open_memstream(&buf, &n);
  if (!rc && !f) rc = CLI_EXIT_RUN;
  int count = 0;
  if (!rc) {
    fprintf(f, "# the record's statistics %d-%d (legation history --stats --era %d:%d)\ntargets:\n",
            from, to, from, to);
    for (int i = 0; i < legation_history_stat_count(h); i++) {
      legation_history_stat st;
      legation_history_stat_get(h, i, &st);
      int want = 0;
      for (size_t k = 0; k < sizeof wanted / sizeof wanted[0]; k++) want |= !strcmp(st.name, wanted[k]);
      if (!want || !isfinite(st.value) || !isfinite(st.sd) || !(st.sd > 0)) continue;
      fprintf(f, "  - {name: %s, side: %s, era: \"%d-%d\", value: %.6g, sd: %.6g}\n", st.name,
              st.side, st.from, st.to, st.value, st.sd);
      count++;
    }
    fclose(f);
    if (count == 0) {
      cli_err(CMD ": --era %s: the record holds no expulsion between %s and %s then", a->era, ca, cb);
      rc = CLI_EXIT_DATA;
    }
  }
  legation_history_free(h);
  legation_scenario_free(sc);
  if (rc) {
    free(buf);
    return rc;
  }
  *text = buf;
  *len = n;
  return CLI_EXIT_OK;
}

/* Progress of one generation: the bar, Ctrl-C, and the store told every
 * minute that this process is alive. */
typedef struct calib_prog {
  cli_progress bar;
  legation_store *st;  /* NULL: not storing */
  int64_t id;
  time_t touched;
} calib_prog;

static int on_progress(void *user, int64_t done, int64_t total) {
  calib_prog *p = user;
  time_t now = time(NULL);
  if (p->st && now - p->touched >= 60) {
    legation_store_calib_touch(p->st, p->id); /* best effort: a failure shows at the save */
    p->touched = now;
  }
  return cli_progress_cb(&p->bar, done, total);
}

int cli_cmd_calibrate(const cli_args *a) {
  if (a->given[CLI_OPT_LIST]) return list_calibrations(a);
  if (a->check) return cli_calibrate_check(a);
  int rc = check_options(a);
  if (rc >= 0) return rc;
  calib_spec sp;
  memset(&sp, 0, sizeof sp);
  legation_store *st = NULL;
  legation_store_calib stored;
  int64_t id = 0;
  char *owned = NULL;
  legation_abc *abc = legation_abc_new();
  if (!abc) {
    cli_err("out of memory");
    return CLI_EXIT_RUN;
  }
  int quiet = a->given[CLI_OPT_QUIET] != 0, json = a->given[CLI_OPT_JSON] != 0;
  if (a->resume) {
    rc = cli_store_open(a, CMD, 0, &st);
    if (rc) goto out;
    legation_status s = legation_store_calib_get(st, a->resume, &stored);
    if (s != LEGATION_OK) {
      cli_err(CMD ": %s", legation_store_errmsg(st));
      rc = cli_exit_for(s);
      goto out;
    }
    if (strcmp(stored.status, "complete") == 0 || strcmp(stored.status, "running") == 0) {
      s = legation_store_calib_resume(st, a->resume); /* for its message */
      cli_err(CMD ": %s", legation_store_errmsg(st));
      rc = CLI_EXIT_USAGE;
      goto out;
    }
    /* the strings live in the store's arena until its next call: copy what
     * outlives it */
    sp.scenario = stored.scenario;
    sp.targets_origin = stored.targets_origin;
    sp.targets_text = (char *)stored.targets_text;
    sp.targets_len = stored.targets_len;
    sp.params = stored.params;
    sp.particles = stored.particles;
    sp.generations = stored.generations;
    sp.seed = stored.seed;
    sp.min_tolerance = stored.min_tolerance;
    sp.min_acceptance = stored.min_acceptance;
    sp.threads = a->threads;
    rc = setup(a, abc, &sp);
    if (rc) goto out;
    if (stored.checkpoint && (s = legation_abc_restore(abc, stored.checkpoint,
                                                       stored.checkpoint_len)) != LEGATION_OK) {
      rc = abc_failed(abc, s);
      goto out;
    }
    /* copies for after the next store call */
    size_t k = strlen(sp.scenario) + 1;
    owned = malloc(k);
    if (!owned) {
      cli_err("out of memory");
      rc = CLI_EXIT_RUN;
      goto out;
    }
    memcpy(owned, sp.scenario, k);
    sp.scenario = owned;
    sp.targets_text = NULL;
    sp.targets_origin = NULL;
    sp.params = NULL;
    if ((s = legation_store_calib_resume(st, a->resume)) != LEGATION_OK) {
      cli_err(CMD ": %s", legation_store_errmsg(st));
      rc = cli_exit_for(s);
      goto out;
    }
    id = a->resume;
  } else {
    sp.scenario = a->pos[0];
    sp.targets_origin = a->targets;
    sp.params = a->params ? a->params : "";
    sp.particles = a->particles;
    sp.generations = (int)a->generations;
    sp.seed = a->seed;
    sp.min_tolerance = a->min_tolerance;
    sp.min_acceptance = a->min_acceptance;
    sp.threads = a->threads;
    if (a->targets) {
      rc = read_file(a->targets, &owned, &sp.targets_len);
      if (rc) goto out;
      sp.targets_text = owned;
    } else if (a->era) {
      rc = era_targets(a, &owned, &sp.targets_len);
      if (rc) goto out;
      sp.targets_text = owned;
      sp.targets_origin = "record";
    }
    rc = setup(a, abc, &sp);
    if (rc) goto out;
    if (!a->given[CLI_OPT_NO_STORE]) {
      rc = cli_store_open(a, CMD, 1, &st);
      if (rc) goto out;
      legation_store_calib_meta m = {sp.scenario, NULL, 0, sp.targets_origin, sp.targets_text,
                                     sp.targets_len, sp.params, sp.seed, sp.generations,
                                     sp.threads, sp.min_tolerance, sp.min_acceptance};
      legation_status s = legation_store_calib_begin(st, abc, &m, &id);
      if (s != LEGATION_OK) {
        cli_err(CMD ": %s", legation_store_errmsg(st));
        rc = cli_exit_for(s);
        goto out;
      }
    }
  }
  if (id && !quiet && a->resume)
    cli_err(CMD ": resuming calibration %lld at generation %d", (long long)id,
            legation_abc_generations_done(abc));
  else if (id && !quiet)
    cli_err(CMD ": recording as calibration %lld in %s (after a stop: 'legation calibrate "
            "--resume %lld')",
            (long long)id, cli_store_path(a), (long long)id);

  calib_prog prog = {.st = st, .id = id, .touched = time(NULL)};
  cli_progress_init(&prog.bar, !quiet && isatty(STDERR_FILENO));
  cli_sigint_install();
  legation_abc_set_progress(abc, on_progress, &prog);
  if (!json) {
    gen_header();
    for (int g = 0; g < legation_abc_generations_done(abc); g++) gen_line(abc, g);
  }
  legation_status s = LEGATION_OK;
  while (!legation_abc_done(abc)) {
    int before = legation_abc_generations_done(abc);
    /* one bar per generation: accepted particles of N, ETA of this one */
    cli_progress_init(&prog.bar, !quiet && isatty(STDERR_FILENO));
    s = legation_abc_step(abc);
    cli_progress_done(&prog.bar);
    if (s != LEGATION_OK) break;
    if (st) {
      legation_status ss = legation_store_calib_save(st, id, abc);
      if (ss != LEGATION_OK) {
        cli_err(CMD ": %s", legation_store_errmsg(st));
        s = ss;
        break;
      }
    }
    if (!json && legation_abc_generations_done(abc) > before)
      gen_line(abc, legation_abc_generations_done(abc) - 1);
  }
  if (st) legation_store_calib_finish(st, id, s, legation_abc_errmsg(abc));
  if (s == LEGATION_EINTR) {
    if (id)
      cli_err(CMD ": interrupted; %d generation%s kept ('legation calibrate --resume %lld' "
              "finishes it)",
              legation_abc_generations_done(abc),
              legation_abc_generations_done(abc) == 1 ? "" : "s", (long long)id);
    else
      cli_err(CMD ": interrupted; %d generation%s done", legation_abc_generations_done(abc),
              legation_abc_generations_done(abc) == 1 ? "" : "s");
    rc = CLI_EXIT_INTR;
  } else if (s != LEGATION_OK) {
    rc = abc_failed(abc, s);
    goto out;
  }
  if (json) {
    int jrc = final_json(abc, &sp, id);
    if (!rc) rc = jrc;
  } else {
    final_text(abc, &sp);
  }
  if (a->report && (rc == CLI_EXIT_OK || rc == CLI_EXIT_INTR)) {
    /* web/src/report.js, kind "calibration" */
    json_t *doc = final_doc(abc, &sp, id);
    int rrc = CLI_EXIT_RUN;
    if (doc) {
      json_object_set_new(doc, "kind", json_string("calibration"));
      json_object_set_new(doc, "legation_version", json_string(legation_version()));
      rrc = cli_report_write(a, a->report, doc);
      json_decref(doc);
    } else {
      cli_err(CMD ": out of memory");
    }
    if (!rc) rc = rrc;
  }
  if (id && !quiet && rc == CLI_EXIT_OK)
    cli_err(CMD ": stored as calibration %lld in %s", (long long)id, cli_store_path(a));
out:
  free(owned);
  legation_store_close(st);
  legation_abc_free(abc);
  return rc;
}
