/* SPDX-License-Identifier: GPL-3.0-or-later */
/* scenario.c - the scenario handle: creation, copying, errors kept on the
 * handle, `--set` overrides, cross-field validation, parameter and deal
 * introspection, and the list of built-in scenarios. */
#include "scenario.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

legation_scenario *legation_scenario_new(void) {
  legation_scenario *sc = calloc(1, sizeof *sc);
  if (!sc) return NULL;
  lg_params_defaults(&sc->p);
  sc_default_ranges(sc);
  return sc;
}

static void files_free(sc_file *f, int n) {
  for (int i = 0; i < n; i++) free(f[i].key), free(f[i].text);
  free(f);
}

int sc_set_files(legation_scenario *dst, const sc_file *files, int n) {
  sc_file *c = n ? calloc((size_t)n, sizeof *c) : NULL;
  if (n && !c) return -1;
  for (int i = 0; i < n; i++) {
    size_t kl = strlen(files[i].key);
    c[i].key = malloc(kl + 1);
    c[i].text = malloc(files[i].len + 1);
    if (!c[i].key || !c[i].text) {
      files_free(c, i + 1);
      return -1;
    }
    memcpy(c[i].key, files[i].key, kl + 1);
    memcpy(c[i].text, files[i].text, files[i].len);
    c[i].text[files[i].len] = 0;
    c[i].len = files[i].len;
  }
  files_free(dst->files, dst->nfiles);
  dst->files = c;
  dst->nfiles = n;
  return 0;
}

int legation_scenario_file_count(const legation_scenario *sc) { return sc ? sc->nfiles : 0; }

legation_status legation_scenario_file_get(const legation_scenario *sc, int i, const char **key,
                                           const char **text, size_t *len) {
  if (!sc || i < 0 || i >= sc->nfiles) return LEGATION_ENOTFOUND;
  if (key) *key = sc->files[i].key;
  if (text) *text = sc->files[i].text;
  if (len) *len = sc->files[i].len;
  return LEGATION_OK;
}

void sc_release(legation_scenario *sc) {
  files_free(sc->files, sc->nfiles);
  sc->files = NULL;
  sc->nfiles = 0;
  for (int i = 0; i < SC_MAX_KEYS; i++) {
    free(sc->sources[i]);
    sc->sources[i] = NULL;
  }
  free(sc->description);
  sc->description = NULL;
}

void legation_scenario_free(legation_scenario *sc) {
  if (!sc) return;
  sc_release(sc);
  free(sc->errmsg);
  free(sc);
}

static char *dupstr(const char *s) {
  if (!s) return NULL;
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d) memcpy(d, s, n);
  return d;
}

int sc_set_source(legation_scenario *sc, int i, const char *src) {
  if (i < 0 || i >= SC_MAX_KEYS) return -1;
  char *d = NULL;
  if (src && !(d = dupstr(src))) return -1;
  free(sc->sources[i]);
  sc->sources[i] = d;
  return 0;
}

int sc_copy(legation_scenario *dst, const legation_scenario *src) {
  legation_scenario tmp;
  memset(&tmp, 0, sizeof tmp);
  tmp.p = src->p;
  if (sc_set_files(&tmp, src->files, src->nfiles) != 0) goto oom;
  memcpy(tmp.name, src->name, sizeof tmp.name);
  memcpy(tmp.title, src->title, sizeof tmp.title);
  if (src->description && !(tmp.description = dupstr(src->description))) goto oom;
  for (int i = 0; i < SC_MAX_KEYS; i++)
    if (src->sources[i] && !(tmp.sources[i] = dupstr(src->sources[i]))) goto oom;
  sc_release(dst);
  dst->p = tmp.p;
  memcpy(dst->name, tmp.name, sizeof tmp.name);
  memcpy(dst->title, tmp.title, sizeof tmp.title);
  dst->has_base = src->has_base;
  dst->description = tmp.description;
  memcpy(dst->sources, tmp.sources, sizeof tmp.sources);
  if (dst != src) memcpy(dst->unc, src->unc, sizeof dst->unc);
  dst->files = tmp.files;
  dst->nfiles = tmp.nfiles;
  return 0;
oom:
  sc_release(&tmp);
  return -1;
}

legation_scenario *legation_scenario_clone(const legation_scenario *sc) {
  legation_scenario *c = legation_scenario_new();
  if (!c) return NULL;
  if (sc_copy(c, sc) != 0) {
    legation_scenario_free(c);
    return NULL;
  }
  return c;
}

void sc_clear_errors(legation_scenario *sc) {
  sc->nerr = 0;
  sc->errlen = 0;
  if (sc->errmsg) sc->errmsg[0] = 0;
}

void sc_error(legation_scenario *sc, const char *where, const char *key, const char *msg) {
  char line[1024];
  int n;
  if (key && *key)
    n = snprintf(line, sizeof line, "%s%s%s: %s\n", where ? where : "", where ? ": " : "", key, msg);
  else
    n = snprintf(line, sizeof line, "%s%s%s\n", where ? where : "", where ? ": " : "", msg);
  if (n < 0) return;
  if ((size_t)n >= sizeof line) n = sizeof line - 1;
  sc->nerr++;
  if (sc->errlen + (size_t)n + 1 > sc->errcap) {
    size_t cap = sc->errcap ? sc->errcap * 2 : 1024;
    while (cap < sc->errlen + (size_t)n + 1) cap *= 2;
    char *m = realloc(sc->errmsg, cap);
    if (!m) return; /* message dropped; nerr still counts */
    sc->errmsg = m;
    sc->errcap = cap;
  }
  memcpy(sc->errmsg + sc->errlen, line, (size_t)n + 1);
  sc->errlen += (size_t)n;
}

const char *legation_scenario_errmsg(const legation_scenario *sc) {
  return sc && sc->errmsg ? sc->errmsg : "";
}

int legation_scenario_error_count(const legation_scenario *sc) { return sc ? sc->nerr : 0; }

legation_status legation_scenario_set(legation_scenario *sc, const char *key, const char *value) {
  if (!sc || !key || !value) return LEGATION_EINVAL;
  sc_clear_errors(sc);
  char canon[160], near[160], m[400];
  int i = sc_canonical_key(&sc->p, key, canon, sizeof canon) == 0 ? lg_param_find(canon) : -1;
  if (i < 0 && strncmp(canon, "missions.", 9) == 0 && strncmp(canon + 10, ".posts", 6) == 0)
    return sc_set_post(sc, key, canon, value);
  if (i < 0) {
    sc_suggest_key(&sc->p, key, near, sizeof near);
    if (near[0])
      snprintf(m, sizeof m, "unknown parameter; did you mean \"%s\"? (see `legation params`)", near);
    else
      snprintf(m, sizeof m, "unknown parameter (see `legation params`)");
    sc_error(sc, "--set", key, m);
    return LEGATION_ENOTFOUND;
  }
  /* exactly as a plain value in a scenario file (load.c) */
  legation_status st = sc_set_scalar(sc, i, key, value);
  if (st == LEGATION_ESCHEMA) return LEGATION_ERANGE; /* a refused value, as documented */
  if (st != LEGATION_OK) return st;
  if (sc_set_source(sc, i, "set on the command line") != 0) return LEGATION_ENOMEM;
  if (i < SC_MAX_KEYS) sc->unc[i].has = 0; /* a lever now: fixed at this value */
  return LEGATION_OK;
}

static void check_cb(void *user, const char *key, const char *msg) {
  legation_scenario *sc = user;
  sc_error(sc, sc->name[0] ? sc->name : "scenario", key, msg);
}

legation_status legation_scenario_validate(legation_scenario *sc) {
  if (!sc) return LEGATION_EINVAL;
  sc_clear_errors(sc);
  return lg_params_check(&sc->p, check_cb, sc) ? LEGATION_ESCHEMA : LEGATION_OK;
}

const char *legation_scenario_name(const legation_scenario *sc) { return sc->name; }
const char *legation_scenario_title(const legation_scenario *sc) { return sc->title; }
const char *legation_scenario_state_name(const legation_scenario *sc, int side) {
  return side == 0 || side == 1 ? sc->p.st[side].name : "?";
}

int legation_post_count(const legation_scenario *sc, int side) {
  return sc && (side == 0 || side == 1) ? sc->p.ms[side].n_posts : 0;
}

legation_status legation_post_get(const legation_scenario *sc, int side, int i,
                                  legation_post *out) {
  if (!sc || !out || (side != 0 && side != 1) || i < 0 || i >= sc->p.ms[side].n_posts)
    return LEGATION_EINVAL;
  const lg_post *q = &sc->p.ms[side].posts[i];
  *out = (legation_post){q->name, q->reach, q->open};
  return LEGATION_OK;
}

void legation_scenario_swap_sides(legation_scenario *sc) {
  lg_state st = sc->p.st[0];
  sc->p.st[0] = sc->p.st[1];
  sc->p.st[1] = st;
  lg_mission m = sc->p.ms[0];
  sc->p.ms[0] = sc->p.ms[1];
  sc->p.ms[1] = m;
  for (int k = 0; k < sc->p.n_deal; k++)
    if (sc->p.deal[k].target < 2) sc->p.deal[k].target = 1 - sc->p.deal[k].target;
  /* swap per-side citations: keys "states.a.x" <-> "states.b.x" */
  int n = lg_param_nkeys();
  char key[128];
  for (int i = 0; i < n && i < SC_MAX_KEYS; i++) {
    int side;
    lg_param_key(i, &side, key, sizeof key);
    if (side != 0) continue;
    key[key[0] == 's' ? 7 : 9] = 'b';
    int j = lg_param_find(key);
    if (j >= 0 && j < SC_MAX_KEYS) {
      char *t = sc->sources[i];
      sc->sources[i] = sc->sources[j];
      sc->sources[j] = t;
      sc_unc u = sc->unc[i];
      sc->unc[i] = sc->unc[j];
      sc->unc[j] = u;
    }
  }
}

/* ------------------------------------------------------------ ranges */

static const char *const dist_names[] = {
#define X_(e, s) s,
    SC_DISTS(X_)
#undef X_
};

const char *sc_dist_name(int d) { return d >= 0 && d < SC_DIST_COUNT ? dist_names[d] : "?"; }

int sc_dist_find(const char *s) {
  for (int d = 0; s && d < SC_DIST_COUNT; d++)
    if (strcmp(dist_names[d], s) == 0) return d;
  return -1;
}

int sc_unc_varies(const sc_unc *u) {
  if (!u->has) return 0;
  if (u->nalt > 0) return u->nalt > 1;
  return u->dist != SC_DIST_FIXED && u->hi > u->lo;
}

double sc_unc_quantile(const sc_unc *u, int type, double value, double q) {
  if (!sc_unc_varies(u)) return value;
  if (q < 0) q = 0;
  if (q >= 1) q = 0x1.fffffffffffffp-1;
  if (u->nalt > 0) {
    double tot = 0, acc = 0;
    for (int k = 0; k < u->nalt; k++) tot += u->w[k];
    for (int k = 0; k < u->nalt; k++) {
      acc += u->w[k];
      if (q * tot < acc) return u->alt[k];
    }
    return u->alt[u->nalt - 1];
  }
  double lo = u->lo, hi = u->hi, x;
  switch (u->dist) {
  case SC_DIST_TRIANGULAR: {
    double c = value, f = (c - lo) / (hi - lo);
    x = q < f ? lo + sqrt(q * (hi - lo) * (c - lo)) : hi - sqrt((1 - q) * (hi - lo) * (hi - c));
    break;
  }
  case SC_DIST_LOGUNIFORM: x = exp(log(lo) + q * (log(hi) - log(lo))); break;
  default: x = lo + q * (hi - lo);
  }
  if (type == LG_INT) {
    /* whole numbers: uniform gives each integer of [lo, hi] an equal share */
    x = u->dist == SC_DIST_UNIFORM ? floor(lo + q * (hi - lo + 1)) : floor(x + 0.5);
  }
  if (x < lo) x = lo;
  if (x > hi) x = hi;
  return x;
}

int legation_param_count(void) { return lg_param_nkeys(); }

legation_status legation_param_get(const legation_scenario *sc, int i, legation_param *out) {
  int side;
  const lg_param_desc *d = lg_param_key(i, &side, NULL, 0);
  if (!d || !out) return LEGATION_ENOTFOUND;
  memset(out, 0, sizeof *out);
  out->key = lg_param_fullkey(i);
  out->unit = d->unit;
  out->description = d->desc;
  out->choices = d->choices;
  out->type = (legation_param_type)d->type;
  out->min = d->min;
  out->max = d->max;
  out->default_value = d->def;
  out->source = (sc && i < SC_MAX_KEYS && sc->sources[i]) ? sc->sources[i] : d->source;
  lg_params defaults;
  const lg_params *p = sc ? &sc->p : (lg_params_defaults(&defaults), &defaults);
  out->value = lg_param_getd(p, i);
  lg_param_format(p, i, out->text, sizeof out->text);
  if (sc && i < SC_MAX_KEYS && sc->unc[i].has) {
    const sc_unc *u = &sc->unc[i];
    out->has_range = 1;
    if (!sc->sources[i]) out->range_source = sc_default_range_why(i);
    out->uncertain = sc_unc_varies(u);
    if (u->nalt > 0) {
      out->dist = "choice";
      out->range_lo = out->range_hi = out->value;
      out->nalternatives = u->nalt;
      for (int k = 0; k < u->nalt; k++) {
        out->alt_value[k] = u->alt[k];
        out->alt_weight[k] = u->w[k];
      }
    } else {
      out->dist = sc_dist_name(u->dist);
      out->range_lo = u->lo;
      out->range_hi = u->hi;
    }
  }
  return LEGATION_OK;
}

int legation_deal_count(const legation_scenario *sc) { return sc ? sc->p.n_deal : 0; }

legation_status legation_deal_get(const legation_scenario *sc, int i, legation_deal_step *out) {
  static const char *const targets[] = {"a", "b", "both"};
  if (!sc || i < 0 || i >= sc->p.n_deal || !out) return LEGATION_ENOTFOUND;
  const lg_deal_step *d = &sc->p.deal[i];
  out->month = d->month;
  out->action = lg_action_name(d->action);
  out->target = targets[d->target];
  out->value = d->value;
  out->post = d->post[0] ? d->post : NULL;
  out->r_min = d->r_min;
  out->p_min = d->p_min;
  out->source = d->source[0] ? d->source : NULL;
  return LEGATION_OK;
}

int legation_builtin_count(void) { return sc_nbuiltins; }
const char *legation_builtin_name(int i) { return i >= 0 && i < sc_nbuiltins ? sc_builtins[i].name : NULL; }
const char *legation_builtin_title(int i) { return i >= 0 && i < sc_nbuiltins ? sc_builtins[i].title : NULL; }
const char *legation_builtin_text(const char *name) {
  for (int i = 0; name && i < sc_nbuiltins; i++)
    if (strcmp(sc_builtins[i].name, name) == 0) return sc_builtins[i].text;
  return NULL;
}


int legation_param_behavioural(const legation_scenario *sc, int i) {
  int side;
  const lg_param_desc *d = lg_param_key(i, &side, NULL, 0);
  if (!d || !lg_param_behavioural(i)) return 0;
  if (!sc || side < 0) return 1;
  const lg_state *st = &sc->p.st[side];
  if (strcmp(d->key, "batch_interval") == 0) return st->expel_policy == LG_POL_BATCH;
  if (strcmp(d->key, "shock_rate") == 0) return st->expel_policy == LG_POL_SHOCK;
  if (strcmp(d->key, "retaliation_k") == 0) return st->doctrine == LG_DOC_PROPORTIONAL;
  return 1;
}

int legation_param_from_table(const legation_scenario *sc, int i) {
  if (!sc || i < 0 || i >= lg_param_nkeys()) return 0;
  return i >= SC_MAX_KEYS || !sc->sources[i];
}

int legation_scenario_has_base(const legation_scenario *sc) { return sc ? sc->has_base : 0; }
