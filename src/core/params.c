/* SPDX-License-Identifier: GPL-3.0-or-later */
/* params.c - the parameter table expanded for both sides, and typed access to
 * parameters by key: parse from text (strict, never clamped), format, check. */
#include "params.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LG_OFF_LG_G(field) offsetof(lg_params, field)
#define LG_OFF_LG_S(field) offsetof(lg_state, field)
#define LG_OFF_LG_M(field) offsetof(lg_mission, field)
const lg_param_desc lg_param_descs[] = {
#define X_(scope, key, field, type, unit, def, min, max, choices, desc, src)    \
  {scope, key, LG_OFF_##scope(field), type, unit, def, min, max, choices, desc, src},
    LG_PARAM_TABLE(X_)
#undef X_
};
const int lg_param_ndesc = (int)(sizeof lg_param_descs / sizeof lg_param_descs[0]);

/* Full keys per table entry for side a and side b (static strings). */
static const char *const keys_side[2][sizeof lg_param_descs / sizeof lg_param_descs[0]] = {
    {
#define X_(scope, key, ...) scope == LG_G ? key : scope == LG_S ? "states.a." key : "missions.a." key,
        LG_PARAM_TABLE(X_)
#undef X_
    },
    {
#define X_(scope, key, ...) scope == LG_G ? key : scope == LG_S ? "states.b." key : "missions.b." key,
        LG_PARAM_TABLE(X_)
#undef X_
    }};

const char *lg_param_fullkey(int i) {
  int side;
  const lg_param_desc *d = lg_param_key(i, &side, NULL, 0);
  return d ? keys_side[side < 0 ? 0 : side][d - lg_param_descs] : NULL;
}

static const char *const doctrine_names[] = {
#define X_(e, s) s,
    LG_DOCTRINES(X_)
#undef X_
};
static const char *const policy_names[] = {
#define X_(e, s) s,
    LG_POLICIES(X_)
#undef X_
};
static const char *const action_names[] = {
#define X_(e, s, d) s,
    LG_ACTIONS(X_)
#undef X_
};

const char *lg_action_name(int a) {
  return a >= 0 && a < LG_ACT_COUNT ? action_names[a] : "?";
}

int lg_action_find(const char *s) {
  for (int i = 0; i < LG_ACT_COUNT; i++)
    if (strcmp(s, action_names[i]) == 0) return i;
  return -1;
}

/* Expanded order: globals in table order, then for each scope S and M the
 * table entries for side a, then for side b. */
static int count_scope(int scope) {
  int n = 0;
  for (int i = 0; i < lg_param_ndesc; i++) n += lg_param_descs[i].scope == scope;
  return n;
}

int lg_param_nkeys(void) {
  return count_scope(LG_G) + 2 * count_scope(LG_S) + 2 * count_scope(LG_M);
}

static const lg_param_desc *nth_of_scope(int scope, int k) {
  for (int i = 0; i < lg_param_ndesc; i++)
    if (lg_param_descs[i].scope == scope && k-- == 0) return &lg_param_descs[i];
  return NULL;
}

const lg_param_desc *lg_param_key(int i, int *side, char *key, size_t keysz) {
  int ng = count_scope(LG_G), ns = count_scope(LG_S), nm = count_scope(LG_M);
  const lg_param_desc *d = NULL;
  int s = -1;
  if (i < 0) return NULL;
  if (i < ng) {
    d = nth_of_scope(LG_G, i);
    if (key) snprintf(key, keysz, "%s", d->key);
  } else if ((i -= ng) < 2 * ns) {
    s = i / ns;
    d = nth_of_scope(LG_S, i % ns);
    if (key) snprintf(key, keysz, "states.%c.%s", 'a' + s, d->key);
  } else if ((i -= 2 * ns) < 2 * nm) {
    s = i / nm;
    d = nth_of_scope(LG_M, i % nm);
    if (key) snprintf(key, keysz, "missions.%c.%s", 'a' + s, d->key);
  } else {
    return NULL;
  }
  if (side) *side = s;
  return d;
}

int lg_param_find(const char *key) {
  char buf[128];
  int n = lg_param_nkeys();
  for (int i = 0; i < n; i++) {
    lg_param_key(i, NULL, buf, sizeof buf);
    if (strcmp(buf, key) == 0) return i;
  }
  return -1;
}

void *lg_param_ptr(lg_params *p, int i) {
  int side;
  const lg_param_desc *d = lg_param_key(i, &side, NULL, 0);
  if (!d) return NULL;
  char *base = d->scope == LG_G   ? (char *)p
               : d->scope == LG_S ? (char *)&p->st[side]
                                  : (char *)&p->ms[side];
  return base + d->offset;
}

double lg_param_getd(const lg_params *p, int i) {
  int side;
  const lg_param_desc *d = lg_param_key(i, &side, NULL, 0);
  const void *ptr = lg_param_ptr((lg_params *)p, i);
  if (!d || !ptr) return NAN;
  if (d->type == LG_REAL) return *(const double *)ptr;
  if (d->type == LG_STRING) return NAN;
  return *(const int *)ptr;
}

static const char *const *enum_names(const lg_param_desc *d, int *n) {
  if (strcmp(d->key, "doctrine") == 0) {
    *n = LG_DOC_COUNT;
    return doctrine_names;
  }
  *n = LG_POL_COUNT;
  return policy_names;
}

/* Strict number parse: the whole text must be a finite number. */
static int parse_double(const char *t, double *out) {
  char *end;
  if (!*t || strchr(" \t\n", *t)) return -1;
  errno = 0;
  double v = strtod(t, &end);
  if (*end || errno == ERANGE || !isfinite(v)) return -1;
  *out = v;
  return 0;
}

int lg_param_set_text(lg_params *p, int i, const char *text, char *err, size_t errsz) {
  int side;
  const lg_param_desc *d = lg_param_key(i, &side, NULL, 0);
  void *ptr = lg_param_ptr(p, i);
  if (!d || !ptr) {
    snprintf(err, errsz, "unknown parameter");
    return -1;
  }
  switch (d->type) {
  case LG_STRING: {
    size_t len = strlen(text);
    if (len == 0 || len >= LG_NAME_MAX) {
      snprintf(err, errsz, "expected a name of 1 to %d bytes (UTF-8), found \"%s\"",
               LG_NAME_MAX - 1, text);
      return -1;
    }
    memcpy(ptr, text, len + 1);
    return 0;
  }
  case LG_BOOL: {
    static const char *yes[] = {"true", "yes", "on", "1"}, *no[] = {"false", "no", "off", "0"};
    for (int k = 0; k < 4; k++) {
      if (strcmp(text, yes[k]) == 0) return *(int *)ptr = 1, 0;
      if (strcmp(text, no[k]) == 0) return *(int *)ptr = 0, 0;
    }
    snprintf(err, errsz, "expected true or false, found \"%s\"", text);
    return -1;
  }
  case LG_ENUM: {
    int n;
    const char *const *names = enum_names(d, &n);
    for (int k = 0; k < n; k++)
      if (strcmp(text, names[k]) == 0) return *(int *)ptr = k, 0;
    snprintf(err, errsz, "expected one of %s, found \"%s\"", d->choices, text);
    return -1;
  }
  case LG_INT: {
    double v;
    if (parse_double(text, &v) != 0 || v != floor(v)) {
      snprintf(err, errsz, "expected an integer in [%.15g, %.15g], found \"%s\"", d->min, d->max, text);
      return -1;
    }
    if (v < d->min || v > d->max) {
      snprintf(err, errsz, "expected an integer in [%.15g, %.15g], found %s", d->min, d->max, text);
      return -1;
    }
    *(int *)ptr = (int)v;
    return 0;
  }
  default: {
    double v;
    if (parse_double(text, &v) != 0) {
      snprintf(err, errsz, "expected a number in [%.15g, %.15g], found \"%s\"", d->min, d->max, text);
      return -1;
    }
    if (v < d->min || v > d->max) {
      snprintf(err, errsz, "expected a number in [%.15g, %.15g], found %s", d->min, d->max, text);
      return -1;
    }
    *(double *)ptr = v;
    return 0;
  }
  }
}

void lg_param_format(const lg_params *p, int i, char *buf, size_t bufsz) {
  int side;
  const lg_param_desc *d = lg_param_key(i, &side, NULL, 0);
  const void *ptr = lg_param_ptr((lg_params *)p, i);
  if (!d) {
    snprintf(buf, bufsz, "?");
    return;
  }
  switch (d->type) {
  case LG_STRING: snprintf(buf, bufsz, "%s", (const char *)ptr); break;
  case LG_BOOL: snprintf(buf, bufsz, "%s", *(const int *)ptr ? "true" : "false"); break;
  case LG_ENUM: {
    int n;
    const char *const *names = enum_names(d, &n);
    int v = *(const int *)ptr;
    snprintf(buf, bufsz, "%s", v >= 0 && v < n ? names[v] : "?");
    break;
  }
  case LG_INT: snprintf(buf, bufsz, "%d", *(const int *)ptr); break;
  default: {
    double v = *(const double *)ptr;
    snprintf(buf, bufsz, "%.17g", v);
    /* shortest round-trip form, written out in full (5000, not 5e+03)
     * when a plain decimal of at most 12 places round-trips */
    for (int prec = 1; prec <= 17; prec++) {
      char t[64];
      snprintf(t, sizeof t, "%.*g", prec, v);
      if (strtod(t, NULL) != v) continue;
      if (strchr(t, 'e') && fabs(v) < 1e15)
        for (int dec = 0; dec <= 12; dec++) {
          char f[64];
          snprintf(f, sizeof f, "%.*f", dec, v);
          if (strtod(f, NULL) == v) {
            snprintf(t, sizeof t, "%s", f);
            break;
          }
        }
      snprintf(buf, bufsz, "%s", t);
      break;
    }
  }
  }
}

void lg_params_defaults(lg_params *p) {
  memset(p, 0, sizeof *p);
  int n = lg_param_nkeys();
  for (int i = 0; i < n; i++) {
    int side;
    const lg_param_desc *d = lg_param_key(i, &side, NULL, 0);
    void *ptr = lg_param_ptr(p, i);
    if (d->type == LG_REAL) *(double *)ptr = d->def;
    else if (d->type != LG_STRING) *(int *)ptr = (int)d->def;
  }
  for (int s = 0; s < 2; s++) {
    snprintf(p->st[s].name, LG_NAME_MAX, "%c", 'A' + s);
    p->ms[s].n_posts = 1;
    snprintf(p->ms[s].posts[0].name, LG_NAME_MAX, "Embassy");
    p->ms[s].posts[0].reach = 1.0;
    p->ms[s].posts[0].open = 1;
  }
}

int lg_params_check(const lg_params *p, lg_problem_fn fn, void *user) {
  int bad = 0;
  char key[96], msg[160];
  for (int s = 0; s < 2; s++) {
    const lg_mission *m = &p->ms[s];
    if (m->officers > m->staff) {
      snprintf(key, sizeof key, "missions.%c.officers", 'a' + s);
      snprintf(msg, sizeof msg, "expected at most staff (%d), found %d", m->staff, m->officers);
      fn(user, key, msg), bad++;
    }
    if (m->staff > m->cap) {
      /* a mission starts within its cap: the model never sends staff home
       * for being over it (only expulsions, rotation and caps that a deal
       * lowers later shrink a mission), so staff above cap at month 0 would
       * stay there silently */
      snprintf(key, sizeof key, "missions.%c.staff", 'a' + s);
      snprintf(msg, sizeof msg, "expected at most cap (%d), found %d", m->cap, m->staff);
      fn(user, key, msg), bad++;
    }
    if (m->floor > m->cap) {
      snprintf(key, sizeof key, "missions.%c.floor", 'a' + s);
      snprintf(msg, sizeof msg, "expected at most cap (%d), found %d", m->cap, m->floor);
      fn(user, key, msg), bad++;
    }
    int open = 0;
    for (int k = 0; k < m->n_posts; k++) open += m->posts[k].open;
    if (m->n_posts < 1) {
      snprintf(key, sizeof key, "missions.%c.posts", 'a' + s);
      fn(user, key, "expected at least one post, found none"), bad++;
    }
    (void)open;
  }
  if (strcmp(p->st[0].name, p->st[1].name) == 0) {
    snprintf(msg, sizeof msg, "expected a name different from states.a.name, found \"%s\"",
             p->st[1].name);
    fn(user, "states.b.name", msg), bad++;
  }
  /* a state's names (name, short) must tell the states apart in any case,
   * since key paths, --set and deal targets accept them for a and b */
  {
    const char *an[2] = {p->st[0].name, p->st[0].short_name};
    const char *bn[2] = {p->st[1].name, p->st[1].short_name};
    static const char *const field[2] = {"name", "short"};
    for (int j = 0; j < 2; j++)
      for (int i = 0; i < 2; i++) {
        if (!*an[i] || !*bn[j] || (i == 0 && j == 0 && strcmp(an[0], bn[0]) == 0)) continue;
        if (strcasecmp(an[i], bn[j]) != 0) continue;
        snprintf(key, sizeof key, "states.b.%s", field[j]);
        snprintf(msg, sizeof msg, "expected a name that differs (in any case) from states.a.%s, found \"%s\"",
                 field[i], bn[j]);
        fn(user, key, msg), bad++;
      }
  }
  for (int k = 0; k < p->n_deal; k++) {
    const lg_deal_step *d = &p->deal[k];
    snprintf(key, sizeof key, "deal[%d].post", k);
    if (d->action == LG_ACT_OPEN_POST || d->action == LG_ACT_CLOSE_POST) {
      for (int s = 0; s < 2; s++) {
        if (d->target != 2 && d->target != s) continue;
        int found = 0;
        for (int q = 0; q < p->ms[s].n_posts; q++)
          found |= strcmp(p->ms[s].posts[q].name, d->post) == 0;
        if (!found) {
          snprintf(msg, sizeof msg, "expected a post of missions.%c, found \"%s\"", 'a' + s, d->post);
          fn(user, key, msg), bad++;
        }
      }
    }
  }
  return bad;
}

/* The behavioural parameters: how each state decides (answers expulsions,
 * treats identified officers, makes mistakes) and where the pair's relations
 * start and settle.  These drove a new pair into a spiral when left at the
 * old table defaults (issue 10), so `validate` and `run` name those a
 * scenario without a base leaves at the table default, and `legation new`
 * marks them.  Relative keys for scope S, full keys for G. */
static const char *const lg_behavioural_keys[] = {
    "relations.initial", "relations.baseline", "doctrine", "retaliation_k",
    "retaliation_delay", "forgiveness", "noise", "noise_size", "expel_policy",
    "batch_interval", "shock_rate", "turn_prob", "cut_cap",
};

int lg_param_behavioural(int i) {
  const lg_param_desc *d = lg_param_key(i, NULL, NULL, 0);
  if (!d || d->scope == LG_M) return 0;
  for (size_t k = 0; k < sizeof lg_behavioural_keys / sizeof *lg_behavioural_keys; k++)
    if (strcmp(d->key, lg_behavioural_keys[k]) == 0) return 1;
  return 0;
}
