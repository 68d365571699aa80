/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * abc.c - ABC-SMC calibration: priors on parameter ranges, targets (and
 * their YAML file), the scaled distance, adaptive tolerances, importance
 * weights with a truncated Gaussian kernel, effective sample size, stopping
 * rules, marginal summaries and checkpoints.  docs/CALIBRATION.md gives the
 * formulas; the comments here say why each choice was made.
 *
 * Reproducibility: candidate c of generation g draws its ancestor and its
 * perturbation (or its prior draw in generation 0) from the Philox stream
 * keyed by (seed, c, g); candidates are simulated in batches of exactly N
 * (the particle count) and accepted in index order, so nothing depends on
 * threads or on where a run was stopped and resumed.
 */
#include "abc.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <yaml.h>

#include "engine/rng.h"

#define ABC_STREAM 0xABC00000u    /* stream word: ABC_STREAM | generation */
#define ABC_MAX_PARTICLES 10000000 /* memory cap: 10^7 particles */
#define ABC_MAX_GENERATIONS 1000
#define ABC_MAX_DIMS 1000          /* parameters or targets */
#define ABC_MAX_TARGETS_BYTES (4u * 1024u * 1024u)
#define ABC_CK_MAGIC "LGABC001"
#define ABC_SQRT_2PI 2.5066282746310002

enum { DONE_NONE, DONE_GMAX, DONE_EPS, DONE_ACC, DONE_STUCK };
static const char *const done_text[] = {
    NULL,
    "reached the maximum number of generations",
    "reached the minimum tolerance",
    "the acceptance rate fell below the minimum",
    "the tolerance cannot decrease further (every distance is at the tolerance)",
};

/* ------------------------------------------------------------ helpers */

legation_status lg_abc_fail(legation_abc *abc, legation_status status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(abc->err, sizeof abc->err, fmt, ap);
  va_end(ap);
  return status;
}

static char *dupstr(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d) memcpy(d, s, n);
  return d;
}

static double now_mono(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* splitmix64: decorrelates the seeds of the evaluator's batches. */
static uint64_t mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/* ------------------------------------------------------------ priors */

static const char *const dist_names[] = {"uniform", "loguniform", "triangular", "normal"};

double lg_abc_trunc_mass(double mu, double sigma, double lo, double hi) {
  /* upper tails are computed with Q so that far tails keep their digits */
  double a = (lo - mu) / sigma, b = (hi - mu) / sigma;
  if (a > 0) return gsl_cdf_ugaussian_Q(a) - gsl_cdf_ugaussian_Q(b);
  return gsl_cdf_ugaussian_P(b) - gsl_cdf_ugaussian_P(a);
}

double lg_abc_trunc_normal(double mu, double sigma, double lo, double hi, double u) {
  double a = (lo - mu) / sigma, b = (hi - mu) / sigma, x;
  if (a > 0) { /* mirror so that the interval's CDF values stay away from 1 */
    double pa = gsl_cdf_ugaussian_P(-b), pb = gsl_cdf_ugaussian_P(-a);
    x = mu - sigma * gsl_cdf_ugaussian_Pinv(pa + u * (pb - pa));
  } else {
    double pa = gsl_cdf_ugaussian_P(a), pb = gsl_cdf_ugaussian_P(b);
    x = mu + sigma * gsl_cdf_ugaussian_Pinv(pa + u * (pb - pa));
  }
  /* rounding (or an infinite Pinv at a CDF of exactly 0 or 1) may step
   * outside by an ulp: the range is a hard constraint, not a hint */
  if (!(x >= lo)) x = lo;
  if (!(x <= hi)) x = hi;
  return x;
}

double lg_abc_prior_pdf(const lg_abc_prior *p, double x) {
  if (!(x >= p->lo && x <= p->hi)) return 0;
  double w = p->hi - p->lo;
  switch (p->dist) {
  case LG_ABC_UNIFORM:
    return 1 / w;
  case LG_ABC_LOGUNIFORM:
    return 1 / (x * log(p->hi / p->lo));
  case LG_ABC_TRIANGULAR:
    if (x < p->mode) return 2 * (x - p->lo) / (w * (p->mode - p->lo));
    if (x > p->mode) return 2 * (p->hi - x) / (w * (p->hi - p->mode));
    return 2 / w;
  case LG_ABC_NORMAL: {
    double z = (x - p->mode) / p->sd;
    return exp(-0.5 * z * z) / (p->sd * ABC_SQRT_2PI * (p->pb - p->pa));
  }
  }
  return 0;
}

double lg_abc_prior_quantile(const lg_abc_prior *p, double u) {
  double w = p->hi - p->lo, x = p->lo;
  switch (p->dist) {
  case LG_ABC_UNIFORM:
    x = p->lo + u * w;
    break;
  case LG_ABC_LOGUNIFORM:
    x = exp(log(p->lo) + u * log(p->hi / p->lo));
    break;
  case LG_ABC_TRIANGULAR: {
    double fm = (p->mode - p->lo) / w;
    x = u < fm ? p->lo + sqrt(u * w * (p->mode - p->lo))
               : p->hi - sqrt((1 - u) * w * (p->hi - p->mode));
    break;
  }
  case LG_ABC_NORMAL:
    x = lg_abc_trunc_normal(p->mode, p->sd, p->lo, p->hi, u);
    break;
  }
  if (!(x >= p->lo)) x = p->lo;
  if (!(x <= p->hi)) x = p->hi;
  return x;
}

double lg_abc_prior_mean(const lg_abc_prior *p) {
  switch (p->dist) {
  case LG_ABC_UNIFORM:
    return 0.5 * (p->lo + p->hi);
  case LG_ABC_LOGUNIFORM:
    return (p->hi - p->lo) / log(p->hi / p->lo);
  case LG_ABC_TRIANGULAR:
    return (p->lo + p->hi + p->mode) / 3;
  case LG_ABC_NORMAL: {
    double a = (p->lo - p->mode) / p->sd, b = (p->hi - p->mode) / p->sd;
    double phi_a = exp(-0.5 * a * a), phi_b = exp(-0.5 * b * b);
    return p->mode + p->sd * (phi_a - phi_b) / (ABC_SQRT_2PI * (p->pb - p->pa));
  }
  }
  return NAN;
}

/* ------------------------------------------------------------ handle */

legation_abc *legation_abc_new(void) {
  legation_abc *abc = calloc(1, sizeof *abc);
  if (!abc) return NULL;
  abc->n = 1000;
  abc->gmax = 10;
  abc->seed = 1;
  abc->alpha = 0.5;
  abc->eps_min = 0;
  abc->acc_min = 0.001;
  lg_gsl_init();
  return abc;
}

static void free_state(legation_abc *abc) {
  free(abc->theta);
  free(abc->w);
  free(abc->dist);
  free(abc->stats);
  free(abc->hist);
  abc->theta = abc->w = abc->dist = abc->stats = NULL;
  abc->hist = NULL;
  abc->caph = 0;
}

void legation_abc_free(legation_abc *abc) {
  if (!abc) return;
  for (int i = 0; i < abc->np; i++) free(abc->prior[i].key);
  for (int i = 0; i < abc->nt; i++) free(abc->tg[i].name);
  free(abc->prior);
  free(abc->tg);
  free_state(abc);
  lg_abc_model_free(abc->model);
  if (abc->owned_free) abc->owned_free(abc->owned);
  free(abc);
}

const char *legation_abc_errmsg(const legation_abc *abc) {
  return abc ? abc->err : "no calibration (out of memory)";
}

void legation_abc_set_error(legation_abc *abc, const char *msg) {
  if (abc) snprintf(abc->err, sizeof abc->err, "%s", msg ? msg : "");
}

static legation_status not_started(legation_abc *abc, const char *what) {
  if (!abc) return LEGATION_EINVAL;
  if (abc->started)
    return lg_abc_fail(abc, LEGATION_EINVAL, "%s: cannot change after the first generation",
                       what);
  return LEGATION_OK;
}

legation_status legation_abc_add_param(legation_abc *abc, const legation_abc_param *p) {
  legation_status s = not_started(abc, "parameters");
  if (s) return s;
  if (!p || !p->key || !*p->key) return lg_abc_fail(abc, LEGATION_EINVAL, "parameter: no key");
  for (int i = 0; i < abc->np; i++)
    if (strcmp(abc->prior[i].key, p->key) == 0)
      return lg_abc_fail(abc, LEGATION_EINVAL, "%s: parameter given twice", p->key);
  if (abc->np >= ABC_MAX_DIMS)
    return lg_abc_fail(abc, LEGATION_ERANGE, "%s: more than %d parameters", p->key,
                       ABC_MAX_DIMS);
  lg_abc_prior pr;
  memset(&pr, 0, sizeof pr);
  int d = -1;
  for (int i = 0; i < 4; i++)
    if (p->dist && strcmp(p->dist, dist_names[i]) == 0) d = i;
  if (d < 0)
    return lg_abc_fail(abc, LEGATION_ERANGE,
                       "%s: prior: expected uniform, loguniform, triangular or normal, found "
                       "'%s'",
                       p->key, p->dist ? p->dist : "");
  pr.dist = (lg_abc_dist)d;
  pr.lo = p->lo;
  pr.hi = p->hi;
  if (!isfinite(p->lo) || !isfinite(p->hi) || !(p->lo < p->hi))
    return lg_abc_fail(abc, LEGATION_ERANGE,
                       "%s: range: expected finite lo < hi, found [%g, %g]", p->key, p->lo,
                       p->hi);
  if (pr.dist == LG_ABC_LOGUNIFORM && !(p->lo > 0))
    return lg_abc_fail(abc, LEGATION_ERANGE,
                       "%s: loguniform prior: expected lo > 0, found %g", p->key, p->lo);
  if (pr.dist == LG_ABC_TRIANGULAR) {
    pr.mode = isnan(p->mode) ? 0.5 * (p->lo + p->hi) : p->mode;
    if (!(pr.mode >= p->lo && pr.mode <= p->hi))
      return lg_abc_fail(abc, LEGATION_ERANGE,
                         "%s: triangular prior: expected a mode in [%g, %g], found %g", p->key,
                         p->lo, p->hi, pr.mode);
  }
  if (pr.dist == LG_ABC_NORMAL) {
    pr.mode = p->mode;
    pr.sd = p->sd;
    if (!isfinite(p->mode) || !(p->sd > 0) || !isfinite(p->sd))
      return lg_abc_fail(abc, LEGATION_ERANGE,
                         "%s: normal prior: expected a finite mean and sd > 0, found %g, %g",
                         p->key, p->mode, p->sd);
    pr.pa = gsl_cdf_ugaussian_P((p->lo - p->mode) / p->sd);
    pr.pb = gsl_cdf_ugaussian_P((p->hi - p->mode) / p->sd);
    if (!(lg_abc_trunc_mass(p->mode, p->sd, p->lo, p->hi) > 1e-12))
      return lg_abc_fail(abc, LEGATION_ERANGE,
                         "%s: normal prior: no probability on [%g, %g] (mean %g, sd %g)",
                         p->key, p->lo, p->hi, p->mode, p->sd);
  }
  if (abc->np == abc->capp) {
    int cap = abc->capp ? 2 * abc->capp : 8;
    lg_abc_prior *np = realloc(abc->prior, (size_t)cap * sizeof *np);
    if (!np) return lg_abc_fail(abc, LEGATION_ENOMEM, "out of memory");
    abc->prior = np;
    abc->capp = cap;
  }
  if (!(pr.key = dupstr(p->key))) return lg_abc_fail(abc, LEGATION_ENOMEM, "out of memory");
  abc->prior[abc->np++] = pr;
  return LEGATION_OK;
}

legation_status legation_abc_add_target(legation_abc *abc, const char *name, double value,
                                        double sd) {
  legation_status s = not_started(abc, "targets");
  if (s) return s;
  if (!name || !*name) return lg_abc_fail(abc, LEGATION_EINVAL, "target: no name");
  if (!isfinite(value))
    return lg_abc_fail(abc, LEGATION_ERANGE, "%s: value: expected a finite number", name);
  if (!isnan(sd) && !(sd > 0 && isfinite(sd)))
    return lg_abc_fail(abc, LEGATION_ERANGE, "%s: sd: expected a number > 0, found %g", name,
                       sd);
  for (int i = 0; i < abc->nt; i++)
    if (strcmp(abc->tg[i].name, name) == 0)
      return lg_abc_fail(abc, LEGATION_EINVAL, "%s: target given twice", name);
  if (abc->nt >= ABC_MAX_DIMS)
    return lg_abc_fail(abc, LEGATION_ERANGE, "%s: more than %d targets", name, ABC_MAX_DIMS);
  if (abc->nt == abc->capt) {
    int cap = abc->capt ? 2 * abc->capt : 8;
    lg_abc_target *nt = realloc(abc->tg, (size_t)cap * sizeof *nt);
    if (!nt) return lg_abc_fail(abc, LEGATION_ENOMEM, "out of memory");
    abc->tg = nt;
    abc->capt = cap;
  }
  lg_abc_target t = {dupstr(name), value, sd, NAN};
  if (!t.name) return lg_abc_fail(abc, LEGATION_ENOMEM, "out of memory");
  abc->tg[abc->nt++] = t;
  return LEGATION_OK;
}

legation_status legation_abc_set_particles(legation_abc *abc, int64_t n) {
  legation_status s = not_started(abc, "particles");
  if (s) return s;
  if (n < 2 || n > ABC_MAX_PARTICLES)
    return lg_abc_fail(abc, LEGATION_ERANGE, "particles: expected 2 to %d, found %lld",
                       ABC_MAX_PARTICLES, (long long)n);
  abc->n = n;
  return LEGATION_OK;
}

legation_status legation_abc_set_generations(legation_abc *abc, int g) {
  /* may grow after a resume: a finished calibration continues */
  if (!abc) return LEGATION_EINVAL;
  if (g < 1 || g > ABC_MAX_GENERATIONS)
    return lg_abc_fail(abc, LEGATION_ERANGE, "generations: expected 1 to %d, found %d",
                       ABC_MAX_GENERATIONS, g);
  abc->gmax = g;
  if (abc->done == DONE_GMAX && abc->gdone < g) abc->done = DONE_NONE;
  return LEGATION_OK;
}

legation_status legation_abc_set_seed(legation_abc *abc, uint64_t seed) {
  legation_status s = not_started(abc, "seed");
  if (s) return s;
  abc->seed = seed;
  return LEGATION_OK;
}

legation_status legation_abc_set_alpha(legation_abc *abc, double alpha) {
  legation_status s = not_started(abc, "alpha");
  if (s) return s;
  if (!(alpha > 0 && alpha < 1))
    return lg_abc_fail(abc, LEGATION_ERANGE, "alpha: expected 0 < alpha < 1, found %g", alpha);
  abc->alpha = alpha;
  return LEGATION_OK;
}

legation_status legation_abc_set_min_tolerance(legation_abc *abc, double eps) {
  legation_status s = not_started(abc, "minimum tolerance");
  if (s) return s;
  if (!(eps >= 0 && isfinite(eps)))
    return lg_abc_fail(abc, LEGATION_ERANGE,
                       "minimum tolerance: expected a number >= 0, found %g", eps);
  abc->eps_min = eps;
  abc->eps_set = 1;
  return LEGATION_OK;
}

legation_status legation_abc_set_min_acceptance(legation_abc *abc, double r) {
  legation_status s = not_started(abc, "minimum acceptance");
  if (s) return s;
  if (!(r > 0 && r <= 1))
    return lg_abc_fail(abc, LEGATION_ERANGE,
                       "minimum acceptance: expected 0 < r <= 1, found %g", r);
  abc->acc_min = r;
  return LEGATION_OK;
}

legation_status legation_abc_set_threads(legation_abc *abc, int threads) {
  if (!abc) return LEGATION_EINVAL;
  if (threads < 0 || threads > 1024)
    return lg_abc_fail(abc, LEGATION_ERANGE, "threads: expected 0 to 1024, found %d", threads);
  abc->threads = threads;
  return LEGATION_OK;
}

void legation_abc_set_evaluator(legation_abc *abc, legation_abc_eval_fn fn, void *user) {
  if (!abc) return;
  abc->eval = fn;
  abc->eval_user = user;
}

void legation_abc_set_progress(legation_abc *abc, legation_progress_fn fn, void *user) {
  if (!abc) return;
  abc->progress = fn;
  abc->progress_user = user;
}

/* ------------------------------------------------------------ targets file */

typedef struct tctx {
  legation_abc *abc;
  const char *name;
  char *msgs;      /* collected messages, one per line */
  size_t len, cap;
  int count;
  int oom;
} tctx;

static void terr(tctx *c, const yaml_node_t *n, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static void terr(tctx *c, const yaml_node_t *n, const char *fmt, ...) {
  char line[512];
  int k = snprintf(line, sizeof line, "%s:%lu:%lu: ", c->name,
                   n ? (unsigned long)n->start_mark.line + 1 : 1UL,
                   n ? (unsigned long)n->start_mark.column + 1 : 1UL);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line + k, sizeof line - (size_t)k, fmt, ap);
  va_end(ap);
  c->count++;
  if (c->count > 20) return;
  size_t add = strlen(line) + 1;
  if (c->len + add + 1 > c->cap) {
    size_t cap = (c->len + add + 1) * 2;
    char *m = realloc(c->msgs, cap);
    if (!m) {
      c->oom = 1;
      return;
    }
    c->msgs = m;
    c->cap = cap;
  }
  memcpy(c->msgs + c->len, line, add - 1);
  c->len += add - 1;
  c->msgs[c->len++] = '\n';
  c->msgs[c->len] = 0;
}

static const char *scalar(const yaml_node_t *n) {
  return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* A plain (unquoted) YAML scalar read strictly as a finite number. */
static int number(const yaml_node_t *n, double *out) {
  const char *s = scalar(n);
  if (!s || !*s || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) return -1;
  char *end;
  double x = strtod(s, &end);
  if (*end || !isfinite(x) || strspn(s, "+-0123456789.eE") != strlen(s)) return -1;
  *out = x;
  return 0;
}

/* Check one `{name, value, sd, era, side}` item and add it. */
static void target_item(tctx *c, yaml_document_t *doc, yaml_node_t *item) {
  if (item->type != YAML_MAPPING_NODE) {
    terr(c, item, "targets: expected a mapping {name, value, sd}, found %s",
         item->type == YAML_SCALAR_NODE ? "a scalar" : "a list");
    return;
  }
  const char *name = NULL, *era = NULL, *side = NULL;
  double value = NAN, sd = NAN;
  int have_value = 0, bad = 0;
  for (yaml_node_pair_t *p = item->data.mapping.pairs.start; p < item->data.mapping.pairs.top;
       p++) {
    yaml_node_t *k = yaml_document_get_node(doc, p->key);
    yaml_node_t *v = yaml_document_get_node(doc, p->value);
    const char *key = scalar(k);
    if (!key) {
      terr(c, k, "targets: expected a key, found a collection");
      bad = 1;
      continue;
    }
    if (strcmp(key, "name") == 0 || strcmp(key, "era") == 0 || strcmp(key, "side") == 0) {
      const char *s = scalar(v);
      if (!s || !*s || strpbrk(s, "@/\n")) {
        terr(c, v, "targets: %s: expected a non-empty word without '@' or '/', found %s", key,
             s ? (*s ? s : "''") : "a collection");
        bad = 1;
        if (key[0] == 'n') name = "";
        continue;
      }
      if (key[0] == 'n') name = s;
      else if (key[0] == 'e') era = s;
      else side = s;
    } else if (strcmp(key, "value") == 0) {
      if (number(v, &value) != 0) {
        if (scalar(v))
          terr(c, v, "targets: value: expected a number, found '%s'", scalar(v));
        else
          terr(c, v, "targets: value: expected a number, found a collection");
        bad = 1;
      }
      have_value = 1;
    } else if (strcmp(key, "sd") == 0) {
      if (number(v, &sd) != 0 || !(sd > 0)) {
        if (scalar(v))
          terr(c, v, "targets: sd: expected a number > 0, found '%s'", scalar(v));
        else
          terr(c, v, "targets: sd: expected a number > 0, found a collection");
        bad = 1;
        sd = NAN;
      }
    }
    /* other keys: ignored (agreed with `history --stats --format targets`) */
  }
  if (!name) {
    terr(c, item, "targets: missing key 'name'");
    bad = 1;
  }
  if (!have_value) {
    terr(c, item, "targets: %s: missing key 'value'", name && *name ? name : "(no name)");
    bad = 1;
  }
  if (bad) return;
  char full[512];
  snprintf(full, sizeof full, "%s%s%s%s%s", name, era ? "@" : "", era ? era : "",
           side ? "/" : "", side ? side : "");
  if (legation_abc_add_target(c->abc, full, value, sd) != LEGATION_OK)
    terr(c, item, "targets: %s", c->abc->err);
}

legation_status legation_abc_load_targets(legation_abc *abc, const char *text, size_t len,
                                          const char *name) {
  legation_status s = not_started(abc, "targets");
  if (s) return s;
  if (!name) name = "targets";
  if (!text) return lg_abc_fail(abc, LEGATION_EINVAL, "%s: no text", name);
  if (len > ABC_MAX_TARGETS_BYTES)
    return lg_abc_fail(abc, LEGATION_ERANGE, "%s: larger than %u bytes", name,
                       ABC_MAX_TARGETS_BYTES);
  if (memchr(text, 0, len))
    return lg_abc_fail(abc, LEGATION_EPARSE, "%s: a NUL byte: not a text file", name);
  yaml_parser_t ps;
  yaml_document_t doc;
  if (!yaml_parser_initialize(&ps)) return lg_abc_fail(abc, LEGATION_ENOMEM, "out of memory");
  yaml_parser_set_input_string(&ps, (const unsigned char *)text, len);
  if (!yaml_parser_load(&ps, &doc)) {
    s = lg_abc_fail(abc, LEGATION_EPARSE, "%s:%lu:%lu: %s", name,
                    (unsigned long)ps.problem_mark.line + 1,
                    (unsigned long)ps.problem_mark.column + 1,
                    ps.problem ? ps.problem : "YAML syntax error");
    yaml_parser_delete(&ps);
    return s;
  }
  yaml_parser_delete(&ps);
  int nt0 = abc->nt;
  tctx c = {abc, name, NULL, 0, 0, 0, 0};
  yaml_node_t *root = yaml_document_get_root_node(&doc);
  yaml_node_t *list = NULL;
  if (!root) {
    terr(&c, NULL, "expected a mapping with the key 'targets', found an empty file");
  } else if (root->type != YAML_MAPPING_NODE) {
    terr(&c, root, "expected a mapping with the key 'targets'");
  } else {
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         p++) {
      const char *key = scalar(yaml_document_get_node(&doc, p->key));
      if (key && strcmp(key, "targets") == 0) list = yaml_document_get_node(&doc, p->value);
    }
    if (!list)
      terr(&c, root, "missing key 'targets'");
    else if (list->type != YAML_SEQUENCE_NODE)
      terr(&c, list, "targets: expected a list of {name, value, sd}");
    else if (list->data.sequence.items.top == list->data.sequence.items.start)
      terr(&c, list, "targets: expected at least one target, found an empty list");
    else
      for (yaml_node_item_t *it = list->data.sequence.items.start;
           it < list->data.sequence.items.top; it++)
        target_item(&c, &doc, yaml_document_get_node(&doc, *it));
  }
  yaml_document_delete(&doc);
  if (c.oom) {
    free(c.msgs);
    return lg_abc_fail(abc, LEGATION_ENOMEM, "out of memory");
  }
  if (c.count) {
    /* all or nothing: drop what this file added */
    while (abc->nt > nt0) free(abc->tg[--abc->nt].name);
    if (c.msgs && c.len) c.msgs[c.len - 1] = 0;
    snprintf(abc->err, sizeof abc->err, "%s%s", c.msgs ? c.msgs : "",
             c.count > 20 ? "\n(more errors not shown)" : "");
    free(c.msgs);
    return LEGATION_ESCHEMA;
  }
  free(c.msgs);
  abc->err[0] = 0;
  return LEGATION_OK;
}

/* ------------------------------------------------------------ statistics */

typedef struct wv {
  double x, w;
  int64_t i;
} wv;

static int wv_cmp(const void *a, const void *b) {
  const wv *p = a, *q = b;
  if (p->x < q->x) return -1;
  if (p->x > q->x) return 1;
  return (p->i > q->i) - (p->i < q->i);
}

/* Weighted quantiles q[k] of n values (weights summing to 1) into out[k]:
 * the smallest value whose cumulative weight reaches q.  -1 on OOM. */
static int wquantiles(const double *x, size_t stride, const double *w, int64_t n,
                      const double *q, int nq, double *out) {
  wv *v = malloc((size_t)n * sizeof *v);
  if (!v) return -1;
  double tot = 0;
  for (int64_t i = 0; i < n; i++) {
    v[i].x = x[(size_t)i * stride];
    v[i].w = w ? w[i] : 1.0;
    v[i].i = i;
    tot += v[i].w;
  }
  qsort(v, (size_t)n, sizeof *v, wv_cmp);
  for (int k = 0; k < nq; k++) {
    double target = q[k] * tot, cum = 0;
    out[k] = v[n - 1].x;
    for (int64_t i = 0; i < n; i++) {
      cum += v[i].w;
      if (cum >= target) {
        out[k] = v[i].x;
        break;
      }
    }
  }
  free(v);
  return 0;
}

static double ess_of(const double *w, int64_t n) {
  double s = 0, s2 = 0;
  for (int64_t i = 0; i < n; i++) {
    s += w[i];
    s2 += w[i] * w[i];
  }
  return s2 > 0 ? s * s / s2 : 0;
}

/* ------------------------------------------------------------ distance */

/* Scales of the targets: the stated sd, else 1.4826 x the MAD of the
 * finite simulated values of generation 0's first batch (the normal-
 * consistent MAD, robust to outlying simulations), else their standard
 * deviation, else 1 (every simulation gave the same value). */
static int fix_scales(legation_abc *abc, const double *stats, int64_t n) {
  double *x = malloc((size_t)n * sizeof *x);
  if (!x) return -1;
  for (int t = 0; t < abc->nt; t++) {
    lg_abc_target *tg = &abc->tg[t];
    if (!isnan(tg->sd)) {
      tg->scale = tg->sd;
      continue;
    }
    int64_t m = 0;
    for (int64_t i = 0; i < n; i++) {
      double v = stats[(size_t)i * (size_t)abc->nt + (size_t)t];
      if (isfinite(v)) x[m++] = v;
    }
    double scale = 0;
    if (m > 1) {
      static const double half = 0.5;
      double med, mad;
      wquantiles(x, 1, NULL, m, &half, 1, &med);
      double mean = 0, ss = 0;
      for (int64_t i = 0; i < m; i++) mean += x[i];
      mean /= (double)m;
      for (int64_t i = 0; i < m; i++) ss += (x[i] - mean) * (x[i] - mean);
      for (int64_t i = 0; i < m; i++) x[i] = fabs(x[i] - med);
      wquantiles(x, 1, NULL, m, &half, 1, &mad);
      scale = 1.482602218505602 * mad;
      if (!(scale > 0)) scale = sqrt(ss / (double)(m - 1));
    }
    tg->scale = scale > 0 && isfinite(scale) ? scale : 1.0;
  }
  free(x);
  abc->scaled = 1;
  return 0;
}

/* Euclidean distance of the scaled differences; +inf when a statistic is
 * not finite (such a simulation is never accepted). */
static double distance(const legation_abc *abc, const double *s) {
  double d2 = 0;
  for (int t = 0; t < abc->nt; t++) {
    if (!isfinite(s[t])) return INFINITY;
    double z = (s[t] - abc->tg[t].value) / abc->tg[t].scale;
    d2 += z * z;
  }
  return sqrt(d2);
}

/* ------------------------------------------------------------ one generation */

/* Per-dimension kernel scale: sqrt(2 x weighted variance) (Beaumont et al.
 * 2009), floored at 1e-9 of the range so that a collapsed dimension still
 * has a proper density. */
static void kernel_scales(const legation_abc *abc, double *sig) {
  int np = abc->np;
  for (int d = 0; d < np; d++) {
    double m = 0, v = 0;
    for (int64_t i = 0; i < abc->n; i++) m += abc->w[i] * abc->theta[(size_t)i * np + d];
    for (int64_t i = 0; i < abc->n; i++) {
      double z = abc->theta[(size_t)i * np + d] - m;
      v += abc->w[i] * z * z;
    }
    double floor = 1e-9 * (abc->prior[d].hi - abc->prior[d].lo);
    sig[d] = sqrt(2 * v);
    if (!(sig[d] > floor)) sig[d] = floor;
  }
}

/* Draw candidate c of generation g into theta (np values). */
static void propose(const legation_abc *abc, int g, int64_t c, const double *cum,
                    const double *sig, double *theta) {
  lg_rng r;
  lg_rng_seed(&r, abc->seed, (uint64_t)c, ABC_STREAM | (uint32_t)g);
  int np = abc->np;
  if (g == 0) {
    for (int d = 0; d < np; d++) theta[d] = lg_abc_prior_quantile(&abc->prior[d], lg_rng_uniform(&r));
    return;
  }
  /* ancestor by its weight: first j with cum[j] > u (cum[n-1] == 1) */
  double u = lg_rng_uniform(&r) * cum[abc->n - 1];
  int64_t lo = 0, hi = abc->n - 1;
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;
    if (cum[mid] > u) hi = mid;
    else lo = mid + 1;
  }
  const double *a = &abc->theta[(size_t)lo * np];
  for (int d = 0; d < np; d++)
    theta[d] = lg_abc_trunc_normal(a[d], sig[d], abc->prior[d].lo, abc->prior[d].hi,
                                   lg_rng_uniform(&r));
}

/* Tolerance of generation g >= 1 from the current population; sets
 * abc->done and returns NAN when it cannot decrease. */
static double next_tolerance(legation_abc *abc) {
  double eps;
  if (wquantiles(abc->dist, 1, abc->w, abc->n, &abc->alpha, 1, &eps) != 0) return -1;
  double prev = abc->hist[abc->gdone - 1].tolerance;
  if (isfinite(prev) && eps >= prev) {
    /* a discrete distance: the quantile sits at the tolerance; step down to
     * the largest distance below it */
    double best = -1;
    for (int64_t i = 0; i < abc->n; i++)
      if (abc->dist[i] < prev && abc->dist[i] > best) best = abc->dist[i];
    if (best < 0) {
      abc->done = DONE_STUCK;
      return NAN;
    }
    eps = best;
  }
  if (eps < abc->eps_min) eps = abc->eps_min;
  return eps;
}

static legation_status oom(legation_abc *abc) {
  return lg_abc_fail(abc, LEGATION_ENOMEM, "out of memory");
}

legation_status legation_abc_step(legation_abc *abc) {
  if (!abc) return LEGATION_EINVAL;
  if (abc->done) return LEGATION_OK;
  if (abc->np < 1) return lg_abc_fail(abc, LEGATION_EINVAL, "no parameter to calibrate");
  if (abc->nt < 1) return lg_abc_fail(abc, LEGATION_EINVAL, "no target to calibrate against");
  if (!abc->eval) return lg_abc_fail(abc, LEGATION_EINVAL, "no evaluator (model) set");
  if (abc->gdone >= abc->gmax) {
    abc->done = DONE_GMAX;
    return LEGATION_OK;
  }
  abc->started = 1;
  double t0 = now_mono();
  int g = abc->gdone, np = abc->np, nt = abc->nt;
  int64_t n = abc->n;
  double eps = INFINITY;
  if (g > 0) {
    eps = next_tolerance(abc);
    if (eps < 0) return oom(abc);
    if (isnan(eps)) return LEGATION_OK;
  }
  legation_status st = LEGATION_OK;
  double *sig = malloc((size_t)np * sizeof *sig);
  double *cum = malloc((size_t)n * sizeof *cum);
  /* a batch holds up to 4 N candidates */
  int64_t bmax = 4 * n;
  double *cand = malloc((size_t)bmax * (size_t)np * sizeof *cand);
  double *cstat = malloc((size_t)bmax * (size_t)nt * sizeof *cstat);
  double *ntheta = malloc((size_t)n * (size_t)np * sizeof *ntheta);
  double *nstat = malloc((size_t)n * (size_t)nt * sizeof *nstat);
  double *ndist = malloc((size_t)n * sizeof *ndist);
  double *nw = malloc((size_t)n * sizeof *nw);
  if (!sig || !cum || !cand || !cstat || !ntheta || !nstat || !ndist || !nw) {
    st = oom(abc);
    goto out;
  }
  if (g > 0) {
    kernel_scales(abc, sig);
    double c = 0;
    for (int64_t i = 0; i < n; i++) cum[i] = c += abc->w[i];
  }
  /* Candidates in batches sized to fill the population with about 10% to
   * spare at the expected acceptance rate (the previous generation's, then
   * this generation's so far), accepted in index order.  The
   * sizes depend only on what was accepted, so they are the same for any
   * thread count and after a resume. */
  int64_t accepted = 0, tried = 0, last_index = -1;
  int64_t max_tried = (int64_t)ceil((double)n / abc->acc_min);
  double rate = g == 0 ? 1.0 : abc->hist[g - 1].acceptance;
  while (accepted < n) {
    if (tried >= max_tried) {
      abc->done = DONE_ACC; /* abandoned: the previous generation stands */
      st = LEGATION_OK;
      goto out;
    }
    int64_t c0 = tried, rem = n - accepted, b = rem;
    if (tried > 0) rate = accepted > 0 ? (double)accepted / (double)tried : rate / 4;
    if (rate < abc->acc_min) rate = abc->acc_min;
    if (g > 0) {
      double want = ceil(1.1 * (double)rem / rate);
      b = want > (double)bmax ? bmax : (int64_t)want;
      if (b < n / 10) b = n / 10;
      if (b < 1) b = 1;
    }
    for (int64_t k = 0; k < b; k++) propose(abc, g, c0 + k, cum, sig, &cand[(size_t)k * np]);
    for (size_t k = 0; k < (size_t)b * (size_t)nt; k++) cstat[k] = NAN;
    abc->err[0] = 0;
    uint64_t sim_seed = mix64(abc->seed ^ mix64(((uint64_t)g << 48) ^ (uint64_t)c0));
    st = abc->eval(abc->eval_user, abc, cand, b, np, sim_seed, cstat, nt);
    if (st != LEGATION_OK) {
      if (!abc->err[0]) lg_abc_fail(abc, st, "the model failed: %s", legation_strerror(st));
      goto out;
    }
    tried += b;
    if (!abc->scaled && fix_scales(abc, cstat, b) != 0) {
      st = oom(abc);
      goto out;
    }
    for (int64_t k = 0; k < b && accepted < n; k++) {
      double d = distance(abc, &cstat[(size_t)k * nt]);
      if (!(d <= eps) || !isfinite(d)) continue;
      memcpy(&ntheta[(size_t)accepted * np], &cand[(size_t)k * np], (size_t)np * sizeof(double));
      memcpy(&nstat[(size_t)accepted * nt], &cstat[(size_t)k * nt], (size_t)nt * sizeof(double));
      ndist[accepted] = d;
      accepted++;
      last_index = c0 + k;
    }
    if (abc->progress && abc->progress(abc->progress_user, accepted, n)) {
      st = lg_abc_fail(abc, LEGATION_EINTR, "interrupted in generation %d", g);
      goto out;
    }
  }
  /* Importance weights: prior / sum_j w_j K(theta | theta_j), with K the
   * product of truncated normals; the constants common to every i cancel
   * in the normalisation, the truncation masses do not. */
  if (g == 0) {
    for (int64_t i = 0; i < n; i++) nw[i] = 1.0 / (double)n;
  } else {
    double *zinv = cum; /* reuse: 1 / truncation mass of each ancestor */
    for (int64_t j = 0; j < n; j++) {
      double m = 1;
      for (int d = 0; d < np; d++)
        m *= lg_abc_trunc_mass(abc->theta[(size_t)j * np + d], sig[d], abc->prior[d].lo,
                               abc->prior[d].hi);
      zinv[j] = abc->w[j] / m;
    }
    double tot = 0;
    for (int64_t i = 0; i < n; i++) {
      const double *x = &ntheta[(size_t)i * np];
      double pr = 1;
      for (int d = 0; d < np; d++) pr *= lg_abc_prior_pdf(&abc->prior[d], x[d]);
      double den = 0;
      for (int64_t j = 0; j < n; j++) {
        const double *y = &abc->theta[(size_t)j * np];
        double q = 0;
        for (int d = 0; d < np; d++) {
          double z = (x[d] - y[d]) / sig[d];
          q += z * z;
        }
        den += zinv[j] * exp(-0.5 * q);
      }
      nw[i] = den > 0 ? pr / den : 0;
      tot += nw[i];
    }
    if (!(tot > 0) || !isfinite(tot)) {
      st = lg_abc_fail(abc, LEGATION_ERUNTIME,
                       "generation %d: the importance weights vanished (all zero)", g);
      goto out;
    }
    for (int64_t i = 0; i < n; i++) nw[i] /= tot;
  }
  /* commit the generation */
  if (abc->gdone == abc->caph) {
    int cap = abc->caph ? 2 * abc->caph : 16;
    legation_abc_generation *h = realloc(abc->hist, (size_t)cap * sizeof *h);
    if (!h) {
      st = oom(abc);
      goto out;
    }
    abc->hist = h;
    abc->caph = cap;
  }
  double *tmp;
  tmp = abc->theta; abc->theta = ntheta; ntheta = tmp;
  tmp = abc->stats; abc->stats = nstat; nstat = tmp;
  tmp = abc->dist; abc->dist = ndist; ndist = tmp;
  tmp = abc->w; abc->w = nw; nw = tmp;
  legation_abc_generation *h = &abc->hist[abc->gdone++];
  h->generation = g;
  h->tolerance = eps;
  h->simulations = tried;
  h->accepted = n;
  h->acceptance = (double)n / (double)(last_index + 1);
  h->ess = ess_of(abc->w, n);
  h->seconds = now_mono() - t0;
  abc->err[0] = 0;
  if (abc->gdone >= abc->gmax) abc->done = DONE_GMAX;
  else if (eps <= abc->eps_min) abc->done = DONE_EPS;
  else if (h->acceptance < abc->acc_min) abc->done = DONE_ACC;
out:
  free(sig);
  free(cum);
  free(cand);
  free(cstat);
  free(ntheta);
  free(nstat);
  free(ndist);
  free(nw);
  return st;
}

legation_status legation_abc_run(legation_abc *abc) {
  if (!abc) return LEGATION_EINVAL;
  while (!abc->done) {
    legation_status st = legation_abc_step(abc);
    if (st != LEGATION_OK) return st;
  }
  return LEGATION_OK;
}

const char *legation_abc_done(const legation_abc *abc) {
  return abc && abc->done ? done_text[abc->done] : NULL;
}

/* ------------------------------------------------------------ results */

int legation_abc_generations_done(const legation_abc *abc) { return abc ? abc->gdone : 0; }

legation_status legation_abc_generation_get(const legation_abc *abc, int g,
                                            legation_abc_generation *out) {
  if (!abc || !out || g < 0 || g >= abc->gdone) return LEGATION_EINVAL;
  *out = abc->hist[g];
  return LEGATION_OK;
}

int legation_abc_param_count(const legation_abc *abc) { return abc ? abc->np : 0; }

legation_status legation_abc_param_get(const legation_abc *abc, int i, legation_abc_param *out) {
  if (!abc || !out || i < 0 || i >= abc->np) return LEGATION_EINVAL;
  const lg_abc_prior *p = &abc->prior[i];
  out->key = p->key;
  out->dist = dist_names[p->dist];
  out->lo = p->lo;
  out->hi = p->hi;
  out->mode = p->dist == LG_ABC_TRIANGULAR || p->dist == LG_ABC_NORMAL ? p->mode : NAN;
  out->sd = p->dist == LG_ABC_NORMAL ? p->sd : NAN;
  return LEGATION_OK;
}

int legation_abc_target_count(const legation_abc *abc) { return abc ? abc->nt : 0; }

legation_status legation_abc_target_get(const legation_abc *abc, int i, const char **name,
                                        double *value, double *sd, double *scale) {
  if (!abc || i < 0 || i >= abc->nt) return LEGATION_EINVAL;
  if (name) *name = abc->tg[i].name;
  if (value) *value = abc->tg[i].value;
  if (sd) *sd = abc->tg[i].sd;
  if (scale) *scale = abc->scaled ? abc->tg[i].scale : NAN;
  return LEGATION_OK;
}

int64_t legation_abc_particles(const legation_abc *abc) { return abc ? abc->n : 0; }

legation_status legation_abc_particle(const legation_abc *abc, int64_t i, const double **theta,
                                      double *weight, double *dist, const double **stats) {
  if (!abc || !abc->gdone || i < 0 || i >= abc->n) return LEGATION_EINVAL;
  if (theta) *theta = &abc->theta[(size_t)i * abc->np];
  if (weight) *weight = abc->w[i];
  if (dist) *dist = abc->dist[i];
  if (stats) *stats = &abc->stats[(size_t)i * abc->nt];
  return LEGATION_OK;
}

legation_status legation_abc_marginal_get(const legation_abc *abc, int i,
                                          legation_abc_marginal *out) {
  if (!abc || !out || i < 0 || i >= abc->np || !abc->gdone) return LEGATION_EINVAL;
  const lg_abc_prior *p = &abc->prior[i];
  int np = abc->np;
  double m = 0, v = 0;
  for (int64_t k = 0; k < abc->n; k++) m += abc->w[k] * abc->theta[(size_t)k * np + i];
  for (int64_t k = 0; k < abc->n; k++) {
    double z = abc->theta[(size_t)k * np + i] - m;
    v += abc->w[k] * z * z;
  }
  static const double qs[3] = {0.05, 0.5, 0.95};
  double q[3];
  if (wquantiles(abc->theta + i, (size_t)np, abc->w, abc->n, qs, 3, q) != 0)
    return LEGATION_ENOMEM;
  out->mean = m;
  /* the weighted variance with the ESS correction for bias */
  double ess = ess_of(abc->w, abc->n);
  out->sd = sqrt(ess > 1 ? v * ess / (ess - 1) : v);
  out->q05 = q[0];
  out->q50 = q[1];
  out->q95 = q[2];
  out->prior_mean = lg_abc_prior_mean(p);
  out->prior_q05 = lg_abc_prior_quantile(p, 0.05);
  out->prior_q95 = lg_abc_prior_quantile(p, 0.95);
  out->learned = 1 - (q[2] - q[0]) / (out->prior_q95 - out->prior_q05);
  return LEGATION_OK;
}

/* ------------------------------------------------------------ checkpoints */

/* Layout (little-endian): magic "LGABC001", u64 fingerprint of the
 * settings, u64 gdone, done, scaled, n, np, nt; nt scales; per generation
 * its 7 history fields; then theta, w, dist, stats of the population. */

typedef struct wbuf {
  unsigned char *p;
  size_t len, cap;
  int oom;
} wbuf;

static void put_u64(wbuf *b, uint64_t u) {
  if (b->oom) return;
  if (b->len + 8 > b->cap) {
    size_t cap = b->cap ? 2 * b->cap : 4096;
    while (cap < b->len + 8) cap *= 2;
    unsigned char *p = realloc(b->p, cap);
    if (!p) {
      b->oom = 1;
      return;
    }
    b->p = p;
    b->cap = cap;
  }
  for (int i = 0; i < 8; i++) b->p[b->len++] = (unsigned char)(u >> (8 * i));
}

static void put_f64(wbuf *b, double x) {
  uint64_t u;
  memcpy(&u, &x, sizeof u);
  put_u64(b, u);
}

static uint64_t fnv(uint64_t h, const void *p, size_t n) {
  const unsigned char *s = p;
  for (size_t i = 0; i < n; i++) h = (h ^ s[i]) * 0x100000001b3ULL;
  return h;
}

/* Everything that shapes the sequence of generations (not gmax, which may
 * grow on a resume, nor threads, which change nothing). */
static uint64_t fingerprint(const legation_abc *abc) {
  uint64_t h = 0xcbf29ce484222325ULL;
  h = fnv(h, &abc->n, sizeof abc->n);
  h = fnv(h, &abc->seed, sizeof abc->seed);
  h = fnv(h, &abc->alpha, sizeof abc->alpha);
  h = fnv(h, &abc->eps_min, sizeof abc->eps_min);
  h = fnv(h, &abc->acc_min, sizeof abc->acc_min);
  for (int i = 0; i < abc->np; i++) {
    const lg_abc_prior *p = &abc->prior[i];
    h = fnv(h, p->key, strlen(p->key) + 1);
    h = fnv(h, &p->dist, sizeof p->dist);
    double v[4] = {p->lo, p->hi, p->mode, p->sd};
    h = fnv(h, v, sizeof v);
  }
  for (int i = 0; i < abc->nt; i++) {
    const lg_abc_target *t = &abc->tg[i];
    h = fnv(h, t->name, strlen(t->name) + 1);
    double v[2] = {t->value, t->sd};
    h = fnv(h, v, sizeof v);
  }
  return h;
}

legation_status legation_abc_checkpoint(const legation_abc *abc, void **buf, size_t *len) {
  if (!abc || !buf || !len) return LEGATION_EINVAL;
  *buf = NULL;
  *len = 0;
  wbuf b = {NULL, 0, 0, 0};
  uint64_t magic;
  memcpy(&magic, ABC_CK_MAGIC, 8);
  put_u64(&b, magic);
  put_u64(&b, fingerprint(abc));
  put_u64(&b, (uint64_t)abc->gdone);
  put_u64(&b, (uint64_t)abc->done);
  put_u64(&b, (uint64_t)abc->scaled);
  put_u64(&b, (uint64_t)abc->n);
  put_u64(&b, (uint64_t)abc->np);
  put_u64(&b, (uint64_t)abc->nt);
  for (int t = 0; t < abc->nt; t++) put_f64(&b, abc->tg[t].scale);
  for (int g = 0; g < abc->gdone; g++) {
    const legation_abc_generation *h = &abc->hist[g];
    put_u64(&b, (uint64_t)h->generation);
    put_f64(&b, h->tolerance);
    put_u64(&b, (uint64_t)h->simulations);
    put_u64(&b, (uint64_t)h->accepted);
    put_f64(&b, h->acceptance);
    put_f64(&b, h->ess);
    put_f64(&b, h->seconds);
  }
  if (abc->gdone) {
    size_t n = (size_t)abc->n;
    for (size_t i = 0; i < n * (size_t)abc->np; i++) put_f64(&b, abc->theta[i]);
    for (size_t i = 0; i < n; i++) put_f64(&b, abc->w[i]);
    for (size_t i = 0; i < n; i++) put_f64(&b, abc->dist[i]);
    for (size_t i = 0; i < n * (size_t)abc->nt; i++) put_f64(&b, abc->stats[i]);
  }
  if (b.oom) {
    free(b.p);
    return LEGATION_ENOMEM;
  }
  *buf = b.p;
  *len = b.len;
  return LEGATION_OK;
}

typedef struct rbuf {
  const unsigned char *p;
  size_t len, pos;
  int bad;
} rbuf;

static uint64_t get_u64(rbuf *b) {
  if (b->bad || b->len - b->pos < 8) {
    b->bad = 1;
    return 0;
  }
  uint64_t u = 0;
  for (int i = 0; i < 8; i++) u |= (uint64_t)b->p[b->pos + i] << (8 * i);
  b->pos += 8;
  return u;
}

static double get_f64(rbuf *b) {
  uint64_t u = get_u64(b);
  double x;
  memcpy(&x, &u, sizeof x);
  return x;
}

legation_status legation_abc_restore(legation_abc *abc, const void *buf, size_t len) {
  if (!abc || !buf) return LEGATION_EINVAL;
  rbuf b = {buf, len, 0, 0};
  uint64_t magic;
  memcpy(&magic, ABC_CK_MAGIC, 8);
  if (get_u64(&b) != magic)
    return lg_abc_fail(abc, LEGATION_EINVAL, "checkpoint: not a calibration checkpoint");
  if (get_u64(&b) != fingerprint(abc))
    return lg_abc_fail(abc, LEGATION_EINVAL,
                       "checkpoint: made with other settings (particles, seed, priors or "
                       "targets)");
  uint64_t gdone = get_u64(&b), done = get_u64(&b), scaled = get_u64(&b);
  uint64_t n = get_u64(&b), np = get_u64(&b), nt = get_u64(&b);
  if (b.bad || n != (uint64_t)abc->n || np != (uint64_t)abc->np || nt != (uint64_t)abc->nt ||
      gdone > ABC_MAX_GENERATIONS || done > DONE_STUCK || scaled > 1 ||
      (gdone > 0 && !scaled))
    return lg_abc_fail(abc, LEGATION_EINVAL, "checkpoint: damaged header");
  size_t need = 8 * (nt + 7 * gdone + (gdone ? n * (np + 2 + nt) : 0));
  if (len - b.pos != need)
    return lg_abc_fail(abc, LEGATION_EINVAL, "checkpoint: damaged (%zu bytes, expected %zu)",
                       len - b.pos, need);
  legation_abc_generation *hist = gdone ? malloc(gdone * sizeof *hist) : NULL;
  double *theta = NULL, *w = NULL, *dist = NULL, *stats = NULL;
  if (gdone) {
    theta = malloc(n * np * sizeof *theta);
    w = malloc(n * sizeof *w);
    dist = malloc(n * sizeof *dist);
    stats = malloc(n * nt * sizeof *stats);
    if (!hist || !theta || !w || !dist || !stats) {
      free(hist);
      free(theta);
      free(w);
      free(dist);
      free(stats);
      return oom(abc);
    }
  }
  for (int t = 0; t < abc->nt; t++) abc->tg[t].scale = get_f64(&b);
  for (uint64_t g = 0; g < gdone; g++) {
    legation_abc_generation *h = &hist[g];
    h->generation = (int)get_u64(&b);
    h->tolerance = get_f64(&b);
    h->simulations = (int64_t)get_u64(&b);
    h->accepted = (int64_t)get_u64(&b);
    h->acceptance = get_f64(&b);
    h->ess = get_f64(&b);
    h->seconds = get_f64(&b);
  }
  for (uint64_t i = 0; gdone && i < n * np; i++) theta[i] = get_f64(&b);
  for (uint64_t i = 0; gdone && i < n; i++) w[i] = get_f64(&b);
  for (uint64_t i = 0; gdone && i < n; i++) dist[i] = get_f64(&b);
  for (uint64_t i = 0; gdone && i < n * nt; i++) stats[i] = get_f64(&b);
  free_state(abc);
  abc->hist = hist;
  abc->caph = (int)gdone;
  abc->theta = theta;
  abc->w = w;
  abc->dist = dist;
  abc->stats = stats;
  abc->gdone = (int)gdone;
  abc->done = (int)done;
  if (abc->done == DONE_GMAX && abc->gdone < abc->gmax) abc->done = DONE_NONE;
  abc->scaled = (int)scaled;
  abc->started = 1;
  abc->err[0] = 0;
  return LEGATION_OK;
}
