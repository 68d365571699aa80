/* SPDX-License-Identifier: GPL-3.0-or-later */
/* study.c - the legation_study handle: factors with their distributions,
 * groups (also from a groups file), outputs and evaluator, settings, the
 * block evaluation that turns replications into point means and the
 * replication-noise term, and the result getters. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "engine/rng.h"

legation_status la_fail(legation_study *s, legation_status st, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(s->err, sizeof s->err, fmt, ap);
  va_end(ap);
  return st;
}

static char *dupstr(const char *x) {
  size_t n = strlen(x) + 1;
  char *p = malloc(n);
  if (p) memcpy(p, x, n);
  return p;
}

legation_study *legation_study_new(void) {
  lg_gsl_init(); /* GSL's abort-on-error handler off (rng.c) */
  legation_study *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->seed = 1;
  s->reps = 1;
  s->boot = 1000;
  return s;
}

void la_study_clear(legation_study *s) {
  free(s->var);
  free(s->sidx);
  free(s->midx);
  free(s->prim_steps);
  free(s->prim_bounds);
  free(s->prim_final);
  free(s->prim_x);
  free(s->prim_y);
  s->prim_x = NULL;
  s->prim_y = NULL;
  s->prim_npoints = 0;
  s->var = NULL;
  s->sidx = NULL;
  s->midx = NULL;
  s->prim_steps = NULL;
  s->prim_bounds = NULL;
  s->prim_final = NULL;
  s->prim_nsteps = 0;
  s->result = LA_NONE;
}

static void free_groups(legation_study *s, int from) {
  for (int g = from; g < s->ngroups; g++) {
    free(s->groups[g].name);
    free(s->groups[g].factors);
  }
  s->ngroups = from;
}

void legation_study_free(legation_study *s) {
  if (!s) return;
  la_study_clear(s);
  for (int i = 0; i < s->nfactors; i++) free(s->factors[i].name);
  free(s->factors);
  free_groups(s, 0);
  free(s->groups);
  for (int o = 0; o < s->noutputs; o++) free(s->outputs[o]);
  free(s->outputs);
  free(s->test_state);
  if (s->scen_free) s->scen_free(s->scen_state);
  la_drop_cache(s);
  free(s);
}

const char *legation_study_errmsg(const legation_study *s) { return s ? s->err : ""; }

/* ------------------------------------------------------------------ factors */

static int find_factor(const legation_study *s, const char *name, size_t len) {
  for (int i = 0; i < s->nfactors; i++)
    if (strlen(s->factors[i].name) == len && strncmp(s->factors[i].name, name, len) == 0)
      return i;
  return -1;
}

legation_status legation_study_add_factor(legation_study *s, const char *name, double lo,
                                          double hi, double mode, const char *dist) {
  s->err[0] = 0;
  if (!name || !*name) return la_fail(s, LEGATION_EINVAL, "a factor needs a name");
  la_dist d;
  if (!dist || strcmp(dist, "uniform") == 0)
    d = LA_DIST_UNIFORM;
  else if (strcmp(dist, "loguniform") == 0)
    d = LA_DIST_LOGUNIFORM;
  else if (strcmp(dist, "triangular") == 0)
    d = LA_DIST_TRIANGULAR;
  else
    return la_fail(s, LEGATION_EINVAL,
                   "factor %s: distribution: expected uniform, loguniform or triangular, "
                   "found '%s'", name, dist);
  if (!isfinite(lo) || !isfinite(hi) || !(lo < hi))
    return la_fail(s, LEGATION_ERANGE,
                   "factor %s: range: expected finite lo < hi, found [%g, %g]", name, lo, hi);
  if (d == LA_DIST_LOGUNIFORM && !(lo > 0))
    return la_fail(s, LEGATION_ERANGE,
                   "factor %s: a loguniform range needs lo > 0, found [%g, %g]", name, lo, hi);
  if (d == LA_DIST_TRIANGULAR && !(mode >= lo && mode <= hi))
    return la_fail(s, LEGATION_ERANGE,
                   "factor %s: triangular mode %g is outside [%g, %g]", name, mode, lo, hi);
  if (find_factor(s, name, strlen(name)) >= 0)
    return la_fail(s, LEGATION_EINVAL, "factor %s: given twice", name);
  if (s->nfactors >= LEGATION_STUDY_MAX_FACTORS)
    return la_fail(s, LEGATION_EINVAL,
                   "factor %s: too many factors: at most %d (the Sobol design uses two of "
                   "the %d dimensions of its direction numbers per factor)",
                   name, LEGATION_STUDY_MAX_FACTORS, LA_SOBOL_MAX_DIMS);
  if (s->nnamed > 0)
    return la_fail(s, LEGATION_EINVAL, "factor %s: add factors before groups", name);
  la_factor *f = realloc(s->factors, (size_t)(s->nfactors + 1) * sizeof *f);
  if (!f) return la_fail(s, LEGATION_ENOMEM, "out of memory");
  s->factors = f;
  char *nm = dupstr(name);
  if (!nm) return la_fail(s, LEGATION_ENOMEM, "out of memory");
  f[s->nfactors] = (la_factor){nm, lo, hi, d == LA_DIST_TRIANGULAR ? mode : lo, d, -1};
  s->nfactors++;
  la_study_clear(s);
  return la_study_groups(s);
}

int legation_study_factor_count(const legation_study *s) { return s->nfactors; }

const char *legation_study_factor_name(const legation_study *s, int i) {
  return i >= 0 && i < s->nfactors ? s->factors[i].name : NULL;
}

legation_status legation_study_factor_range(const legation_study *s, int i, double *lo,
                                            double *hi, const char **dist) {
  static const char *const names[] = {"uniform", "loguniform", "triangular"};
  if (i < 0 || i >= s->nfactors) return LEGATION_EINVAL;
  if (lo) *lo = s->factors[i].lo;
  if (hi) *hi = s->factors[i].hi;
  if (dist) *dist = names[s->factors[i].dist];
  return LEGATION_OK;
}

void la_to_natural(const legation_study *s, const double *u, double *x) {
  for (int i = 0; i < s->nfactors; i++) {
    const la_factor *f = &s->factors[i];
    double p = u[i];
    switch (f->dist) {
    case LA_DIST_UNIFORM:
      x[i] = f->lo + p * (f->hi - f->lo);
      break;
    case LA_DIST_LOGUNIFORM:
      x[i] = exp(log(f->lo) + p * (log(f->hi) - log(f->lo)));
      break;
    case LA_DIST_TRIANGULAR: {
      /* inverse CDF of the triangular distribution (lo, mode, hi) */
      double w = f->hi - f->lo, c = (f->mode - f->lo) / w;
      x[i] = p < c ? f->lo + sqrt(p * c) * w : f->hi - sqrt((1 - p) * (1 - c)) * w;
      break;
    }
    }
    /* keep rounding inside the range */
    if (x[i] < f->lo) x[i] = f->lo;
    if (x[i] > f->hi) x[i] = f->hi;
  }
}

/* ------------------------------------------------------------------- groups */

/* Add a named group; the singleton groups are dropped (the caller remakes
 * them). */
static legation_status add_named_group(legation_study *s, const char *name,
                                       const char *const *factors, int n) {
  free_groups(s, s->nnamed);
  if (!name || !*name) return la_fail(s, LEGATION_EINVAL, "a group needs a name");
  if (n < 1) return la_fail(s, LEGATION_EINVAL, "group %s: no factors", name);
  for (int g = 0; g < s->nnamed; g++)
    if (strcmp(s->groups[g].name, name) == 0)
      return la_fail(s, LEGATION_EINVAL, "group %s: given twice", name);
  int *idx = malloc((size_t)n * sizeof *idx);
  la_group *gs = realloc(s->groups, (size_t)(s->nnamed + 1) * sizeof *gs);
  if (gs) s->groups = gs;
  char *nm = dupstr(name);
  if (!idx || !gs || !nm) {
    free(idx);
    free(nm);
    return la_fail(s, LEGATION_ENOMEM, "out of memory");
  }
  for (int j = 0; j < n; j++) {
    int i = find_factor(s, factors[j], strlen(factors[j]));
    const char *bad = i < 0 ? "is not a factor of the study" : NULL;
    if (i >= 0 && s->factors[i].group >= 0) bad = "is already in a group";
    for (int k = 0; k < j && !bad; k++)
      if (idx[k] == i) bad = "is named twice";
    if (bad) {
      free(idx);
      free(nm);
      return la_fail(s, LEGATION_EINVAL, "group %s: %s %s", name, factors[j], bad);
    }
    idx[j] = i;
  }
  for (int j = 0; j < n; j++) s->factors[idx[j]].group = s->nnamed;
  s->groups[s->nnamed] = (la_group){nm, n, idx};
  s->nnamed++;
  s->ngroups = s->nnamed;
  la_study_clear(s);
  return LEGATION_OK;
}

legation_status legation_study_add_group(legation_study *s, const char *name,
                                         const char *const *factors, int n) {
  s->err[0] = 0;
  legation_status st = add_named_group(s, name, factors, n);
  legation_status st2 = la_study_groups(s);
  return st != LEGATION_OK ? st : st2;
}

legation_status la_study_groups(legation_study *s) {
  free_groups(s, s->nnamed);
  int extra = 0;
  for (int i = 0; i < s->nfactors; i++)
    if (s->factors[i].group < 0 || s->factors[i].group >= s->nnamed) extra++;
  la_group *gs = realloc(s->groups, (size_t)(s->nnamed + extra + 1) * sizeof *gs);
  if (!gs) return la_fail(s, LEGATION_ENOMEM, "out of memory");
  s->groups = gs;
  for (int i = 0; i < s->nfactors; i++) {
    if (s->factors[i].group >= 0 && s->factors[i].group < s->nnamed) continue;
    int *idx = malloc(sizeof *idx);
    char *nm = dupstr(s->factors[i].name);
    if (!idx || !nm) {
      free(idx);
      free(nm);
      return la_fail(s, LEGATION_ENOMEM, "out of memory");
    }
    idx[0] = i;
    s->groups[s->ngroups++] = (la_group){nm, 1, idx};
  }
  return LEGATION_OK;
}

/* One line of a groups file: "NAME: a, b, c". */
static legation_status group_line(legation_study *s, const char *path, int line, char *text) {
  char *colon = strchr(text, ':');
  char *p = text;
  while (*p == ' ' || *p == '\t') p++;
  if (!colon)
    return la_fail(s, LEGATION_ESCHEMA, "%s:%d:%d: expected 'NAME: factor, factor, ...'",
                   path, line, (int)(p - text) + 1);
  char *ne = colon;
  while (ne > p && (ne[-1] == ' ' || ne[-1] == '\t')) ne--;
  if (ne == p)
    return la_fail(s, LEGATION_ESCHEMA, "%s:%d:%d: expected a group name before ':'", path,
                   line, (int)(p - text) + 1);
  *ne = 0;
  const char *names[LEGATION_STUDY_MAX_FACTORS];
  int n = 0;
  char *q = colon + 1;
  for (;;) {
    while (*q == ' ' || *q == '\t') q++;
    char *start = q;
    while (*q && *q != ',' && *q != ' ' && *q != '\t') q++;
    char *end = q;
    while (*q == ' ' || *q == '\t') q++;
    int col = (int)(start - text) + 1;
    if (end == start)
      return la_fail(s, LEGATION_ESCHEMA, "%s:%d:%d: group %s: expected a factor name", path,
                     line, col, p);
    if (*q && *q != ',')
      return la_fail(s, LEGATION_ESCHEMA, "%s:%d:%d: group %s: expected ',' between factors",
                     path, line, (int)(q - text) + 1, p);
    char sep = *q;
    *end = 0;
    if (find_factor(s, start, strlen(start)) < 0)
      return la_fail(s, LEGATION_ENOTFOUND, "%s:%d:%d: group %s: unknown factor '%s'", path,
                     line, col, p, start);
    if (n >= LEGATION_STUDY_MAX_FACTORS)
      return la_fail(s, LEGATION_ESCHEMA, "%s:%d:%d: group %s: too many factors", path, line,
                     col, p);
    names[n++] = start;
    if (!sep) break;
    q++;
  }
  legation_status st = legation_study_add_group(s, p, names, n);
  if (st != LEGATION_OK) {
    char msg[sizeof s->err];
    snprintf(msg, sizeof msg, "%s", s->err);
    la_fail(s, st == LEGATION_ENOMEM ? st : LEGATION_ESCHEMA, "%s:%d:1: %s", path, line, msg);
    return st == LEGATION_ENOMEM ? st : LEGATION_ESCHEMA;
  }
  return LEGATION_OK;
}

/* Remove the named groups from `keep` on (a groups file that failed). */
static void drop_named(legation_study *s, int keep) {
  free_groups(s, s->nnamed);
  for (int i = 0; i < s->nfactors; i++)
    if (s->factors[i].group >= keep) s->factors[i].group = -1;
  s->ngroups = s->nnamed;
  free_groups(s, keep);
  s->nnamed = keep;
  la_study_groups(s);
}

/* One line of a groups file or text (buf, NUL-terminated, writable):
 * comments and blanks skipped, else a group.  *any set when it was one. */
static legation_status groups_line(legation_study *s, const char *path, int line, char *buf,
                                   int *any) {
  char *hash = strchr(buf, '#');
  if (hash) *hash = 0;
  size_t len = strlen(buf);
  while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r' || buf[len - 1] == ' ' ||
                 buf[len - 1] == '\t'))
    buf[--len] = 0;
  if (strspn(buf, " \t") == len) return LEGATION_OK;
  *any = 1;
  return group_line(s, path, line, buf);
}

legation_status legation_study_load_groups(legation_study *s, const char *path) {
  s->err[0] = 0;
  int keep = s->nnamed;
  FILE *f = fopen(path, "r");
  if (!f) return la_fail(s, LEGATION_EIO, "%s: cannot read: %s", path, strerror(errno));
  char buf[8192];
  int line = 0, any = 0;
  legation_status st = LEGATION_OK;
  while (fgets(buf, sizeof buf, f)) {
    line++;
    size_t len = strlen(buf);
    if (len == sizeof buf - 1 && buf[len - 1] != '\n') {
      st = la_fail(s, LEGATION_ESCHEMA, "%s:%d:1: line longer than %d bytes", path, line,
                   (int)sizeof buf - 2);
      break;
    }
    st = groups_line(s, path, line, buf, &any);
    if (st != LEGATION_OK) break;
  }
  if (st == LEGATION_OK && ferror(f))
    st = la_fail(s, LEGATION_EIO, "%s: read error", path);
  fclose(f);
  if (st == LEGATION_OK && !any)
    st = la_fail(s, LEGATION_ESCHEMA, "%s:%d:1: no group in the file", path, line ? line : 1);
  if (st != LEGATION_OK) drop_named(s, keep); /* all of the file or nothing */
  return st;
}

legation_status legation_study_parse_groups(legation_study *s, const char *text, size_t len,
                                            const char *name) {
  s->err[0] = 0;
  if (!text || !name) return la_fail(s, LEGATION_EINVAL, "groups: no text");
  int keep = s->nnamed;
  char buf[8192];
  int line = 0, any = 0;
  legation_status st = LEGATION_OK;
  for (size_t i = 0; i < len && st == LEGATION_OK;) {
    size_t n = 0;
    while (i + n < len && text[i + n] != '\n') n++;
    line++;
    if (n > sizeof buf - 2) {
      st = la_fail(s, LEGATION_ESCHEMA, "%s:%d:1: line longer than %d bytes", name, line,
                   (int)sizeof buf - 2);
      break;
    }
    if (memchr(text + i, 0, n)) {
      st = la_fail(s, LEGATION_ESCHEMA, "%s:%d:1: a NUL byte in the text", name, line);
      break;
    }
    memcpy(buf, text + i, n);
    buf[n] = 0;
    st = groups_line(s, name, line, buf, &any);
    i += n + 1;
  }
  if (st == LEGATION_OK && !any)
    st = la_fail(s, LEGATION_ESCHEMA, "%s:%d:1: no group in the text", name, line ? line : 1);
  if (st != LEGATION_OK) drop_named(s, keep);
  return st;
}

int legation_study_group_count(const legation_study *s) { return s->ngroups; }
const char *legation_study_group_name(const legation_study *s, int g) {
  return g >= 0 && g < s->ngroups ? s->groups[g].name : NULL;
}
int legation_study_group_size(const legation_study *s, int g) {
  return g >= 0 && g < s->ngroups ? s->groups[g].n : 0;
}
int legation_study_group_factor(const legation_study *s, int g, int j) {
  return g >= 0 && g < s->ngroups && j >= 0 && j < s->groups[g].n ? s->groups[g].factors[j]
                                                                     : -1;
}

/* ------------------------------------------------------ outputs, evaluator */

legation_status legation_study_set_evaluator(legation_study *s, const char *const *outputs,
                                             int noutputs, legation_eval_fn fn, void *user) {
  s->err[0] = 0;
  if (!fn || noutputs < 1)
    return la_fail(s, LEGATION_EINVAL, "an evaluator needs a function and an output");
  char **o = calloc((size_t)noutputs, sizeof *o);
  if (!o) return la_fail(s, LEGATION_ENOMEM, "out of memory");
  for (int i = 0; i < noutputs; i++) {
    o[i] = dupstr(outputs[i]);
    if (!o[i]) {
      for (int j = 0; j < i; j++) free(o[j]);
      free(o);
      return la_fail(s, LEGATION_ENOMEM, "out of memory");
    }
  }
  for (int i = 0; i < s->noutputs; i++) free(s->outputs[i]);
  free(s->outputs);
  s->outputs = o;
  s->noutputs = noutputs;
  s->eval = fn;
  s->eval_user = user;
  la_study_clear(s);
  return LEGATION_OK;
}

int legation_study_output_count(const legation_study *s) { return s->noutputs; }
const char *legation_study_output_name(const legation_study *s, int o) {
  return o >= 0 && o < s->noutputs ? s->outputs[o] : NULL;
}
int legation_study_output_find(const legation_study *s, const char *name) {
  for (int o = 0; o < s->noutputs; o++)
    if (strcmp(s->outputs[o], name) == 0) return o;
  return -1;
}

/* ----------------------------------------------------------------- settings */

legation_status legation_study_set_seed(legation_study *s, uint64_t seed) {
  s->seed = seed;
  return LEGATION_OK;
}
legation_status legation_study_set_reps(legation_study *s, int64_t reps) {
  if (reps < 1 || reps > 1000000)
    return la_fail(s, LEGATION_ERANGE,
                   "replications per point: expected 1 to 1000000, found %lld",
                   (long long)reps);
  s->reps = reps;
  return LEGATION_OK;
}
legation_status legation_study_set_bootstrap(legation_study *s, int resamples) {
  if (resamples < 100 || resamples > 100000)
    return la_fail(s, LEGATION_ERANGE,
                   "bootstrap resamples: expected 100 to 100000, found %d", resamples);
  s->boot = resamples;
  return LEGATION_OK;
}
void legation_study_set_progress(legation_study *s, legation_progress_fn fn, void *user) {
  s->progress = fn;
  s->progress_user = user;
}

/* ---------------------------------------------------------------- evaluation */

int64_t la_block_points(const legation_study *s, int64_t per_row) {
  int64_t rows = 65536 / (s->reps * per_row);
  return rows < 1 ? 1 : rows;
}

void la_begin_points(legation_study *s, int64_t planned, int64_t per_row) {
  s->next_point = 0;
  s->planned = planned;
  s->per_row = per_row;
}

void la_drop_cache(legation_study *s) {
  free(s->c_mean);
  free(s->c_var);
  free(s->c_n);
  s->c_mean = s->c_var = NULL;
  s->c_n = NULL;
  s->ncached = 0;
}

legation_status legation_study_restore_points(legation_study *s, int64_t npoints,
                                              const double *mean, const double *var,
                                              const int64_t *n) {
  s->err[0] = 0;
  la_drop_cache(s);
  if (npoints == 0) return LEGATION_OK;
  if (npoints < 0 || !mean || !var || !n || s->noutputs < 1)
    return la_fail(s, LEGATION_EINVAL, "restore: expected points with the study's outputs");
  size_t m = (size_t)npoints * (size_t)s->noutputs;
  s->c_mean = malloc(m * sizeof *s->c_mean);
  s->c_var = malloc(m * sizeof *s->c_var);
  s->c_n = malloc(m * sizeof *s->c_n);
  if (!s->c_mean || !s->c_var || !s->c_n) {
    la_drop_cache(s);
    return la_fail(s, LEGATION_ENOMEM, "out of memory");
  }
  memcpy(s->c_mean, mean, m * sizeof *mean);
  memcpy(s->c_var, var, m * sizeof *var);
  memcpy(s->c_n, n, m * sizeof *n);
  s->ncached = npoints;
  return LEGATION_OK;
}

void legation_study_set_point_sink(legation_study *s, legation_study_sink_fn fn, void *user) {
  s->sink = fn;
  s->sink_user = user;
}

int64_t legation_study_points_planned(const legation_study *s) { return s->planned; }
int64_t legation_study_points_done(const legation_study *s) { return s->next_point; }

legation_status la_eval_points(legation_study *s, const double *x, int64_t np, double *means,
                               double *noise_sum, int64_t *noise_n) {
  int no = s->noutputs;
  int64_t R = s->reps;
  /* at most about LA_EVAL_REPS replications per call (at least one point),
   * so the buffer stays small and the sink hears of points often */
  int64_t chunk = LA_EVAL_REPS / R < 1 ? 1 : LA_EVAL_REPS / R;
  if (chunk > np) chunk = np;
  size_t cells = (size_t)chunk * (size_t)no;
  double *out = malloc((size_t)(chunk * R) * (size_t)no * sizeof *out);
  double *var = malloc(cells * sizeof *var);
  int64_t *cnt = malloc(cells * sizeof *cnt);
  if (!out || !var || !cnt) {
    free(out), free(var), free(cnt);
    return la_fail(s, LEGATION_ENOMEM, "out of memory");
  }
  legation_status rc = LEGATION_OK;
  for (int64_t p0 = 0; p0 < np; p0 += chunk) {
    int64_t m = np - p0 < chunk ? np - p0 : chunk;
    int64_t g0 = s->next_point; /* global index of point p0 */
    /* restored points first: their values as stored */
    int64_t c = s->ncached > g0 ? s->ncached - g0 : 0;
    if (c > m) c = m;
    for (int64_t p = 0; p < c; p++)
      for (int o = 0; o < no; o++) {
        size_t at = (size_t)(g0 + p) * (size_t)no + (size_t)o;
        means[(p0 + p) * no + o] = s->c_mean[at];
        var[p * no + o] = s->c_var[at];
        cnt[p * no + o] = s->c_n[at];
      }
    if (c < m) {
      int64_t e = m - c; /* points to evaluate */
      for (int64_t i = 0; i < e * R * no; i++) out[i] = NAN;
      char err[512] = "";
      legation_status st = s->eval(s->eval_user, x + (p0 + c) * s->nfactors, e, s->nfactors, R,
                                   s->seed, out, no, err, sizeof err);
      if (st != LEGATION_OK) {
        rc = la_fail(s, st, "%s", err[0] ? err : legation_strerror(st));
        break;
      }
      for (int64_t p = 0; p < e; p++)
        for (int o = 0; o < no; o++) {
          /* Welford over the point's replications */
          double mean = 0, m2 = 0;
          int64_t n = 0;
          for (int64_t r = 0; r < R; r++) {
            double v = out[((size_t)(p * R + r)) * (size_t)no + (size_t)o];
            if (isnan(v)) continue;
            n++;
            double d = v - mean;
            mean += d / (double)n;
            m2 += d * (v - mean);
          }
          means[(p0 + c + p) * no + o] = n ? mean : NAN;
          var[(c + p) * no + o] = n >= 2 ? m2 / (double)(n - 1) : NAN;
          cnt[(c + p) * no + o] = n;
        }
    }
    if (noise_sum)
      for (int64_t p = 0; p < m; p++)
        for (int o = 0; o < no; o++)
          if (cnt[p * no + o] >= 2) {
            noise_sum[o] += var[p * no + o];
            noise_n[o]++;
          }
    s->next_point += m;
    s->done += m * R;
    if (s->sink && c < m) {
      /* the newly evaluated points (restored ones are stored already) */
      legation_study_block b = {g0 + c, m - c, s->nfactors, no, x + (p0 + c) * s->nfactors,
                                means + (p0 + c) * no, var + c * no, cnt + c * no, s->per_row,
                                s->done};
      if (s->sink(s->sink_user, &b)) s->stop = 1;
    }
    if (s->progress && s->progress(s->progress_user, s->done, s->total)) s->stop = 1;
    /* a stop request ends the block here: the callers count whole design
     * rows from next_point (the points past them are in the sink) */
    if (s->stop) break;
  }
  free(out);
  free(var);
  free(cnt);
  if (rc != LEGATION_OK) return rc;
  if (s->stop) return la_fail(s, LEGATION_EINTR, "interrupted");
  return LEGATION_OK;
}

/* ------------------------------------------------------------------ results */

legation_status legation_study_output_var(const legation_study *s, int output,
                                          legation_study_var *out) {
  if (s->result != LA_SOBOL || output < 0 || output >= s->noutputs) return LEGATION_EINVAL;
  *out = s->var[output];
  return LEGATION_OK;
}

legation_status legation_study_sobol_index(const legation_study *s, int output, int group,
                                           legation_sobol_index *out) {
  if (s->result != LA_SOBOL || output < 0 || output >= s->noutputs || group < 0 ||
      group >= s->ngroups)
    return LEGATION_EINVAL;
  *out = s->sidx[(size_t)output * (size_t)s->ngroups + (size_t)group];
  return LEGATION_OK;
}

legation_status legation_study_morris_index(const legation_study *s, int output, int factor,
                                            legation_morris_index *out) {
  if (s->result != LA_MORRIS || output < 0 || output >= s->noutputs || factor < 0 ||
      factor >= s->nfactors)
    return LEGATION_EINVAL;
  *out = s->midx[(size_t)output * (size_t)s->nfactors + (size_t)factor];
  return LEGATION_OK;
}

int legation_study_prim_steps(const legation_study *s) {
  return s->result == LA_PRIM ? s->prim_nsteps : 0;
}
legation_status legation_study_prim_step(const legation_study *s, int i,
                                         legation_prim_step *out) {
  if (s->result != LA_PRIM || i < 0 || i >= s->prim_nsteps) return LEGATION_EINVAL;
  *out = s->prim_steps[i];
  return LEGATION_OK;
}
legation_status legation_study_prim_step_bounds(const legation_study *s, int i, int f,
                                                double *lo, double *hi) {
  if (s->result != LA_PRIM || i < 0 || i >= s->prim_nsteps || f < 0 || f >= s->nfactors)
    return LEGATION_EINVAL;
  const double *b = s->prim_bounds + ((size_t)i * (size_t)s->nfactors + (size_t)f) * 2;
  *lo = b[0];
  *hi = b[1];
  return LEGATION_OK;
}
legation_status legation_study_prim_box(const legation_study *s, legation_prim_box *out) {
  if (s->result != LA_PRIM) return LEGATION_EINVAL;
  *out = s->prim_box;
  return LEGATION_OK;
}
int64_t legation_study_prim_points(const legation_study *s) {
  return s->result == LA_PRIM ? s->prim_npoints : 0;
}
legation_status legation_study_prim_point(const legation_study *s, int64_t p, double *x,
                                          int *holds) {
  if (s->result != LA_PRIM || p < 0 || p >= s->prim_npoints || !x || !holds)
    return LEGATION_EINVAL;
  memcpy(x, s->prim_x + p * s->nfactors, (size_t)s->nfactors * sizeof *x);
  *holds = s->prim_y[p];
  return LEGATION_OK;
}
legation_status legation_study_prim_bound(const legation_study *s, int f,
                                          legation_prim_bound *out) {
  if (s->result != LA_PRIM || f < 0 || f >= s->nfactors) return LEGATION_EINVAL;
  *out = s->prim_final[f];
  return LEGATION_OK;
}
