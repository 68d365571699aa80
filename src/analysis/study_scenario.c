/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * study_scenario.c - a scenario as the model of a study (sensitivity,
 * discovery), for every front end (`legation sensitivity`/`discover`, the
 * server's study jobs): the factors (the chosen parameters or every
 * uncertain one, over their plausible ranges; a calibration's posterior as
 * the one factor "posterior"), the outputs (every legation_output, and with
 * an option each output's paired change) and the evaluator that runs the
 * study's points as one design run of the engine (legation_run_set_points),
 * plus the '@' settings a stored study keeps (docs/STORE.md, "Studies").
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"

/* The evaluator's state, owned by the study (s->scen_state). */
typedef struct scen_eval {
  legation_scenario *sc;
  legation_scenario *opt; /* the option, or NULL */
  int *whole;        /* per factor: a whole-number parameter (rounded) */
  const char **keys; /* the factors' parameter keys (owned by the study) */
  int nkeys;
  double *out;       /* the evaluator's output buffer while a run merges */
  int64_t rows;      /* its rows: npoints x reps */
  int noutputs;
  /* a posterior: the calibrated parameters as one factor "posterior"
   * (index post_factor) whose value u in [0, 1] picks particle i, the
   * first whose cumulative weight exceeds u times the total */
  int post_factor;   /* -1 without */
  int post_nkeys;
  char **post_keys;
  int *post_whole;
  int64_t post_n;
  double *post_values; /* post_n x post_nkeys */
  double *post_cum;    /* post_n cumulative weights */
  int64_t post_id;
} scen_eval;

static void scen_eval_free(void *p) {
  scen_eval *e = p;
  if (!e) return;
  legation_scenario_free(e->sc);
  legation_scenario_free(e->opt);
  free(e->whole);
  free(e->keys);
  for (int j = 0; j < e->post_nkeys; j++) free(e->post_keys[j]);
  free(e->post_keys);
  free(e->post_whole);
  free(e->post_values);
  free(e->post_cum);
  free(e);
}

/* The particle coordinate u in [0, 1] stands for: the inverse of the
 * weights' cumulative distribution. */
static int64_t post_particle(const scen_eval *e, double u) {
  double t = u * e->post_cum[e->post_n - 1];
  int64_t lo = 0, hi = e->post_n - 1;
  while (lo < hi) { /* first i with cum[i] > t */
    int64_t mid = lo + (hi - lo) / 2;
    if (e->post_cum[mid] > t)
      hi = mid;
    else
      lo = mid + 1;
  }
  return lo;
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
   * rounded to the nearest whole value (docs/SENSITIVITY.md); with a
   * posterior the factor "posterior" becomes the calibrated parameters'
   * values of the particle it picks */
  int post = e->post_factor >= 0;
  int nk = post ? nfactors - 1 + e->post_nkeys : nfactors;
  double *q = malloc((size_t)npoints * (size_t)nk * sizeof *q);
  const char **keys = malloc((size_t)nk * sizeof *keys);
  if (!q || !keys) {
    free(q), free(keys);
    legation_run_free(run);
    return LEGATION_ENOMEM;
  }
  int c = 0;
  for (int f = 0; f < nfactors; f++)
    if (f != e->post_factor) keys[c++] = e->keys[f];
  for (int j = 0; post && j < e->post_nkeys; j++) keys[c++] = e->post_keys[j];
  for (int64_t j = 0; j < npoints; j++) {
    double *row = q + (size_t)j * (size_t)nk;
    c = 0;
    for (int f = 0; f < nfactors; f++) {
      if (f == e->post_factor) continue;
      double x = points[(size_t)j * nfactors + f];
      row[c++] = e->whole[f] ? floor(x + 0.5) : x;
    }
    if (post) {
      int64_t i = post_particle(e, points[(size_t)j * nfactors + e->post_factor]);
      for (int k = 0; k < e->post_nkeys; k++) {
        double x = e->post_values[(size_t)i * (size_t)e->post_nkeys + (size_t)k];
        row[c++] = e->post_whole[k] ? floor(x + 0.5) : x;
      }
    }
  }
  legation_status st = legation_run_set_seed(run, seed);
  if (!st && e->opt && legation_run_add_variant(run, e->opt) != 1) st = LEGATION_EINVAL;
  if (!st) st = legation_run_set_reps(run, npoints * reps);
  if (!st) st = legation_run_set_threads(run, 0);
  if (!st) st = legation_run_set_points(run, keys, nk, q, npoints, reps);
  free(q);
  free(keys);
  if (!st) {
    legation_run_set_rep_sink(run, scen_rep, e);
    st = legation_run_execute(run);
  }
  if (st) snprintf(err, errsz, "%s", legation_run_errmsg(run));
  legation_run_free(run);
  return st;
}

/* Is parameter key one of sc's whole-number ones?  -1 if not a parameter. */
static int whole_param(const legation_scenario *sc, const char *key) {
  for (int i = 0; i < legation_param_count(); i++) {
    legation_param p;
    if (legation_param_get(sc, i, &p) == LEGATION_OK && strcmp(p.key, key) == 0)
      return p.type != LEGATION_PT_REAL;
  }
  return -1;
}

/* The posterior's particles into e (copied), checked against sc. */
static legation_status take_posterior(legation_study *s, scen_eval *e,
                                      const legation_study_posterior *p,
                                      const legation_scenario *sc, const char *name) {
  long long id = (long long)p->id;
  if (p->nkeys < 1 || p->n < 1 || !p->keys || !p->values || !p->weights)
    return la_fail(s, LEGATION_ERANGE, "--posterior %lld: no particles", id);
  e->post_id = p->id;
  e->post_keys = calloc((size_t)p->nkeys, sizeof *e->post_keys);
  e->post_whole = calloc((size_t)p->nkeys, sizeof *e->post_whole);
  e->post_values = malloc((size_t)p->n * (size_t)p->nkeys * sizeof *e->post_values);
  e->post_cum = malloc((size_t)p->n * sizeof *e->post_cum);
  if (!e->post_keys || !e->post_whole || !e->post_values || !e->post_cum)
    return la_fail(s, LEGATION_ENOMEM, "out of memory");
  for (int k = 0; k < p->nkeys; k++) {
    if (!(e->post_keys[k] = malloc(strlen(p->keys[k]) + 1)))
      return la_fail(s, LEGATION_ENOMEM, "out of memory");
    strcpy(e->post_keys[k], p->keys[k]);
    e->post_nkeys = k + 1;
  }
  e->post_n = p->n;
  memcpy(e->post_values, p->values, (size_t)p->n * (size_t)p->nkeys * sizeof *p->values);
  double cum = 0;
  for (int64_t i = 0; i < p->n; i++) {
    if (!(p->weights[i] >= 0) || !isfinite(p->weights[i]))
      return la_fail(s, LEGATION_ERANGE, "--posterior %lld: particle %lld has weight %g", id,
                     (long long)i, p->weights[i]);
    e->post_cum[i] = cum += p->weights[i];
  }
  if (!(cum > 0))
    return la_fail(s, LEGATION_ERANGE, "--posterior %lld: the particles' weights sum to 0", id);
  for (int k = 0; k < p->nkeys; k++) {
    int w = whole_param(sc, p->keys[k]);
    if (w < 0)
      return la_fail(s, LEGATION_ENOTFOUND,
                     "--posterior %lld: its parameter '%s' is not a parameter of %s (a "
                     "calibration of a test model?)",
                     id, p->keys[k], name);
    e->post_whole[k] = w;
  }
  return LEGATION_OK;
}

static int post_has(const scen_eval *e, const char *key) {
  for (int k = 0; k < e->post_nkeys; k++)
    if (strcmp(e->post_keys[k], key) == 0) return 1;
  return 0;
}

/* Is key in the comma-separated list w? */
static int listed(const char *w, const char *key) {
  size_t n = strlen(key);
  while (*w) {
    size_t k = strcspn(w, ",");
    if (k == n && strncmp(w, key, n) == 0) return 1;
    w += k;
    if (*w == ',') w++;
  }
  return 0;
}

/* The factors, outputs and evaluator once e holds the scenarios. */
static legation_status bind(legation_study *s, scen_eval *e, const char *params,
                            const char *name) {
  const legation_scenario *sc = e->sc;
  int np = legation_param_count();
  for (int i = 0; i < np; i++) {
    legation_param p;
    if (legation_param_get(sc, i, &p) != LEGATION_OK) continue;
    /* weighted alternatives (choices) are not factors of a variance
     * decomposition on ranges: they stay at their values */
    int take = params ? listed(params, p.key)
                      : p.uncertain && strcmp(p.dist, "fixed") != 0 && !p.nalternatives;
    if (take && e->post_nkeys && post_has(e, p.key)) {
      if (params)
        return la_fail(s, LEGATION_EINVAL,
                       "--params: %s is calibrated: with --posterior it comes from the "
                       "posterior (the factor 'posterior')",
                       p.key);
      continue;
    }
    if (!take) continue;
    if (!p.has_range || p.nalternatives || !(p.range_lo < p.range_hi))
      return la_fail(s, LEGATION_ERANGE, "--params: %s has no numeric plausible range in %s",
                     p.key, name);
    if (legation_study_add_factor(s, p.key, p.range_lo, p.range_hi, p.value, p.dist))
      return LEGATION_ERANGE; /* its message is on s */
  }
  /* every listed key must name a parameter */
  for (const char *w = params; w && *w;) {
    size_t k = strcspn(w, ",");
    int found = 0;
    for (int f = 0; f < s->nfactors; f++)
      if (strlen(s->factors[f].name) == k && strncmp(s->factors[f].name, w, k) == 0) found = 1;
    if (!found)
      return la_fail(s, LEGATION_ENOTFOUND,
                     "--params: unknown parameter '%.*s' (see 'legation params')", (int)k, w);
    w += k;
    if (*w == ',') w++;
  }
  /* the posterior as one factor, after the others */
  if (e->post_nkeys) {
    if (legation_study_add_factor(s, "posterior", 0, 1, 0, "uniform")) return LEGATION_ERANGE;
    e->post_factor = s->nfactors - 1;
  }
  if (s->nfactors == 0)
    return la_fail(s, LEGATION_ENOTFOUND,
                   "%s: no uncertain parameter to vary (give --params K,K,...)", name);
  int no = legation_output_count(), nt = e->opt ? 2 * no : no, nf = s->nfactors;
  const char **names = calloc((size_t)nt, sizeof *names);
  char(*changed)[64] = calloc((size_t)no, sizeof *changed);
  e->keys = calloc((size_t)nf, sizeof *e->keys);
  e->whole = calloc((size_t)nf, sizeof *e->whole);
  legation_status st = LEGATION_OK;
  if (!names || !changed || !e->keys || !e->whole) {
    st = la_fail(s, LEGATION_ENOMEM, "out of memory");
  } else {
    for (int o = 0; o < no; o++) names[o] = legation_output_get(o)->name;
    for (int o = 0; e->opt && o < no; o++) {
      snprintf(changed[o], sizeof changed[o], "%s_change", legation_output_get(o)->name);
      names[no + o] = changed[o];
    }
    for (int f = 0; f < nf; f++) {
      e->keys[f] = s->factors[f].name;
      e->whole[f] = whole_param(sc, e->keys[f]) == 1;
    }
    e->nkeys = nf;
    if (legation_study_set_evaluator(s, names, nt, scen_evaluate, e) != LEGATION_OK)
      st = LEGATION_EINTERNAL; /* its message is on s */
  }
  free(names);
  free(changed);
  return st;
}

legation_status legation_study_use_scenario(legation_study *s, const legation_scenario *base,
                                            const legation_scenario *option, const char *params,
                                            const legation_study_posterior *posterior,
                                            const char *name) {
  if (!s || !base) return LEGATION_EINVAL;
  if (s->nfactors > 0 || s->eval || s->scen_state)
    return la_fail(s, LEGATION_EINVAL, "a scenario needs a new study");
  if (!name) name = legation_scenario_name(base);
  scen_eval *e = calloc(1, sizeof *e);
  if (!e) return la_fail(s, LEGATION_ENOMEM, "out of memory");
  e->post_factor = -1;
  s->scen_state = e; /* freed with the study, also on failure below */
  s->scen_free = scen_eval_free;
  e->sc = legation_scenario_clone(base);
  e->opt = option ? legation_scenario_clone(option) : NULL;
  if (!e->sc || (option && !e->opt)) return la_fail(s, LEGATION_ENOMEM, "out of memory");
  legation_status st = LEGATION_OK;
  if (posterior) st = take_posterior(s, e, posterior, e->sc, name);
  if (st == LEGATION_OK) st = bind(s, e, params, name);
  return st;
}

int legation_study_posterior_note(const legation_study *s, char *buf, size_t n) {
  const scen_eval *e = s ? s->scen_state : NULL;
  if (n) buf[0] = 0;
  if (!e || !e->post_nkeys || !n) return 0;
  int used = snprintf(buf, n, "The %d calibrated parameter%s (", e->post_nkeys,
                      e->post_nkeys == 1 ? "" : "s");
  for (int k = 0; k < e->post_nkeys && used > 0 && (size_t)used < n; k++)
    used += snprintf(buf + used, n - (size_t)used, "%s%s", k ? ", " : "", e->post_keys[k]);
  if (used > 0 && (size_t)used < n)
    snprintf(buf + used, n - (size_t)used,
             ") come from the posterior of calibration %lld (%lld weighted particles), taken "
             "together as the one input 'posterior' so that their dependence is kept; the "
             "other factors vary over their plausible ranges.",
             (long long)e->post_id, (long long)e->post_n);
  return 1;
}

int legation_study_base_outputs(const legation_study *s) {
  const scen_eval *e = s ? s->scen_state : NULL;
  if (!s) return 0;
  return e && e->opt ? s->noutputs / 2 : s->noutputs;
}

/* ------------------------------------------------ the stored settings */

/* Append a formatted line to v (n lines); -1 on OOM. */
static int add_line(char **v, int *n, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static int add_line(char **v, int *n, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int len = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (len < 0 || !(v[*n] = malloc((size_t)len + 1))) return -1;
  va_start(ap, fmt);
  vsnprintf(v[*n], (size_t)len + 1, fmt, ap);
  va_end(ap);
  (*n)++;
  return 0;
}

void legation_study_settings_free(char **lines, int n) {
  for (int i = 0; lines && i < n; i++) free(lines[i]);
  free(lines);
}

legation_status legation_study_settings(const legation_study *s, const legation_study_request *r,
                                        char ***lines, int *nlines) {
  *lines = NULL;
  *nlines = 0;
  if (!s || !r || !r->kind) return LEGATION_EINVAL;
  int G = legation_study_group_count(s);
  char **v = calloc(16 + (size_t)G, sizeof *v);
  int k = 0, bad = !v;
  if (!bad) bad = add_line(v, &k, "@study=%s", r->kind);
  if (!bad && strcmp(r->kind, "sensitivity") == 0) {
    int morris = r->method && strcmp(r->method, "morris") == 0;
    bad = add_line(v, &k, "@method=%s", morris ? "morris" : "sobol");
    if (!bad && r->n) bad = add_line(v, &k, "@n=%lld", (long long)r->n);
    if (!bad && r->levels) bad = add_line(v, &k, "@levels=%lld", (long long)r->levels);
  } else if (!bad) {
    bad = add_line(v, &k, "@where=%s", r->where ? r->where : "");
    if (!bad && r->points) bad = add_line(v, &k, "@points=%lld", (long long)r->points);
    if (!bad && r->threshold >= 0) bad = add_line(v, &k, "@threshold=%.17g", r->threshold);
    if (!bad && r->box) bad = add_line(v, &k, "@box=%lld", (long long)r->box);
  }
  if (!bad) bad = add_line(v, &k, "@reps=%lld", (long long)r->reps);
  if (!bad && r->params) bad = add_line(v, &k, "@params=%s", r->params);
  if (!bad && r->posterior)
    bad = add_line(v, &k, "@study_posterior=%lld", (long long)r->posterior);
  /* named groups (a singleton named as its factor is the default) */
  for (int g = 0; g < G && !bad; g++) {
    int m = legation_study_group_size(s, g);
    const char *name = legation_study_group_name(s, g);
    if (m == 1 &&
        strcmp(name, legation_study_factor_name(s, legation_study_group_factor(s, g, 0))) == 0)
      continue;
    size_t len = strlen(name) + 16;
    for (int j = 0; j < m; j++)
      len += strlen(legation_study_factor_name(s, legation_study_group_factor(s, g, j))) + 1;
    if (!(v[k] = malloc(len))) {
      bad = 1;
      break;
    }
    int used = snprintf(v[k], len, "@group=%s:", name);
    for (int j = 0; j < m; j++)
      used += snprintf(v[k] + used, len - (size_t)used, "%s%s", j ? "," : "",
                       legation_study_factor_name(s, legation_study_group_factor(s, g, j)));
    k++;
  }
  if (bad) {
    legation_study_settings_free(v, k);
    return LEGATION_ENOMEM;
  }
  *lines = v;
  *nlines = k;
  return LEGATION_OK;
}
