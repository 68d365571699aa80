/* SPDX-License-Identifier: GPL-3.0-or-later */
/* files.c - the YAML files of games and decisions (lg_dec_): utilities
 * (per-side weights over outputs) and strategies (per-side named parameter
 * overrides and deal steps), read strictly with file:line:col messages,
 * and a side's utility per replication of a run. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "analysis/game.h"

#define MAX_TEXT (1 << 20) /* as scenario files */
#define FRAG "@strategy-steps@" /* name of the deal-step fragment in messages */

/* Messages collected one per line. */
typedef struct msgs {
  char *s;
  size_t len;
  int count;
} msgs;

static void addmsg(msgs *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void addmsg(msgs *m, const char *fmt, ...) {
  char line[768];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  size_t n = strlen(line);
  char *ns = realloc(m->s, m->len + n + 2);
  if (!ns) return;
  m->s = ns;
  if (m->len) m->s[m->len++] = '\n';
  memcpy(m->s + m->len, line, n + 1);
  m->len += n;
  m->count++;
}

#define AT(n) (int)(n)->start_mark.line + 1, (int)(n)->start_mark.column + 1

static const char *kind_name(const yaml_node_t *n) {
  if (!n) return "nothing";
  return n->type == YAML_MAPPING_NODE    ? "a mapping"
         : n->type == YAML_SEQUENCE_NODE ? "a list"
                                         : "a scalar";
}

/* Parse text as one YAML document; NULL root (with a message) on error. */
static yaml_node_t *parse_doc(yaml_document_t *doc, const char *text, size_t len,
                              const char *name, msgs *m) {
  yaml_parser_t ps;
  if (len > MAX_TEXT) {
    addmsg(m, "%s: expected at most 1 MiB, found %zu bytes", name, len);
    return NULL;
  }
  if (!yaml_parser_initialize(&ps)) {
    addmsg(m, "%s: out of memory", name);
    return NULL;
  }
  yaml_parser_set_input_string(&ps, (const unsigned char *)text, len);
  if (!yaml_parser_load(&ps, doc)) {
    addmsg(m, "%s:%d:%d: YAML syntax error: %s", name, (int)ps.problem_mark.line + 1,
           (int)ps.problem_mark.column + 1, ps.problem ? ps.problem : "?");
    yaml_parser_delete(&ps);
    memset(doc, 0, sizeof *doc);
    return NULL;
  }
  yaml_parser_delete(&ps);
  yaml_node_t *root = yaml_document_get_root_node(doc);
  if (!root || root->type != YAML_MAPPING_NODE) {
    addmsg(m, "%s:1:1: expected a mapping with keys a and/or b, found %s", name,
           kind_name(root));
    return NULL;
  }
  return root;
}

static const char *scalar(const yaml_node_t *n) {
  return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* The side of a top-level key: 0 for a, 1 for b, -1 otherwise. */
static int side_of(const char *k) {
  if (!k) return -1;
  if (!strcmp(k, "a")) return 0;
  if (!strcmp(k, "b")) return 1;
  return -1;
}

/* ------------------------------------------------------------ utilities */

void legation_utility_default(legation_utility *u) {
  if (!u) return;
  *u = (legation_utility){.own_gain = 1, .other_gain = -1};
}

static const char *const wnames[] = {"own_gain", "other_gain", "function",
                                     "settled",  "expelled",   "spiral"};

legation_status legation_utility_load_string(const char *text, size_t len, const char *name,
                                             legation_utility out[2], char **errmsg) {
  if (errmsg) *errmsg = NULL;
  if (!text || !out) return LEGATION_EINVAL;
  name = name ? name : "utility";
  msgs m = {0};
  legation_utility u[2];
  legation_utility_default(&u[0]);
  legation_utility_default(&u[1]);
  yaml_document_t doc;
  memset(&doc, 0, sizeof doc);
  yaml_node_t *root = parse_doc(&doc, text, len, name, &m);
  int seen[2] = {0, 0};
  if (root) {
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         p++) {
      yaml_node_t *k = yaml_document_get_node(&doc, p->key), *v = yaml_document_get_node(&doc, p->value);
      int side = side_of(scalar(k));
      if (side < 0) {
        addmsg(&m, "%s:%d:%d: %s: expected a or b (a side), found an unknown key", name, AT(k),
               scalar(k) ? scalar(k) : "?");
        continue;
      }
      if (seen[side]++) {
        addmsg(&m, "%s:%d:%d: %s: expected each side once, found a duplicate key", name, AT(k),
               scalar(k));
        continue;
      }
      if (v->type != YAML_MAPPING_NODE) {
        addmsg(&m, "%s:%d:%d: %s: expected a mapping of weights, found %s", name, AT(v),
               scalar(k), kind_name(v));
        continue;
      }
      int wseen[6] = {0};
      for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top;
           q++) {
        yaml_node_t *wk = yaml_document_get_node(&doc, q->key),
                    *wv = yaml_document_get_node(&doc, q->value);
        const char *key = scalar(wk);
        int w = -1;
        for (int i = 0; i < 6 && key; i++)
          if (!strcmp(key, wnames[i])) w = i;
        if (w < 0) {
          addmsg(&m,
                 "%s:%d:%d: %s.%s: expected one of own_gain, other_gain, function, settled, "
                 "expelled, spiral, found an unknown key",
                 name, AT(wk), scalar(k), key ? key : "?");
          continue;
        }
        if (wseen[w]++) {
          addmsg(&m, "%s:%d:%d: %s.%s: expected each weight once, found a duplicate key", name,
                 AT(wk), scalar(k), key);
          continue;
        }
        const char *t = scalar(wv);
        char *end = NULL;
        double x = t && *t ? strtod(t, &end) : NAN;
        if (!t || !*t || *end || !isfinite(x) ||
            wv->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
          addmsg(&m, "%s:%d:%d: %s.%s: expected a finite number, found %s%.40s%s", name, AT(wv),
                 scalar(k), key, t ? "'" : "", t ? t : kind_name(wv), t ? "'" : "");
          continue;
        }
        double *dst = &u[side].own_gain;
        dst[w] = x;
      }
    }
  }
  yaml_document_delete(&doc);
  if (m.count) {
    if (errmsg)
      *errmsg = m.s;
    else
      free(m.s);
    return LEGATION_ESCHEMA;
  }
  out[0] = u[0];
  out[1] = u[1];
  return LEGATION_OK;
}

legation_status legation_run_utility(const legation_run *run, int64_t rep, int side,
                                     const legation_utility *u, double *out) {
  if (!run || !u || !out || side < 0 || side > 1) return LEGATION_EINVAL;
  const char *own = side ? "b" : "a", *oth = side ? "a" : "b";
  char nm[6][48];
  snprintf(nm[0], sizeof nm[0], "value_%s", own);
  snprintf(nm[1], sizeof nm[1], "value_%s", oth);
  snprintf(nm[2], sizeof nm[2], "function_mean_%s", own);
  snprintf(nm[3], sizeof nm[3], "settled");
  snprintf(nm[4], sizeof nm[4], "officers_expelled_by_%s", oth);
  snprintf(nm[5], sizeof nm[5], "spiral");
  const double *w = &u->own_gain;
  double s = 0;
  for (int i = 0; i < 6; i++) {
    if (w[i] == 0) continue;
    double v;
    int o = legation_output_find(nm[i]);
    legation_status st = legation_run_rep_value(run, rep, o, &v);
    if (st) return st;
    if (i == 4) {
      /* expulsions suffered: officers and other diplomats */
      char d[48];
      double v2;
      snprintf(d, sizeof d, "diplomats_expelled_by_%s", oth);
      st = legation_run_rep_value(run, rep, legation_output_find(d), &v2);
      if (st) return st;
      v += v2;
    }
    if (isnan(v)) v = 0;
    s += w[i] * v;
  }
  *out = s;
  return LEGATION_OK;
}

/* ----------------------------------------------------------- strategies */

typedef struct kv {
  char *key, *value;
  int line, col;
} kv;

typedef struct strategy {
  char *name;
  kv *sets;
  int nsets;
  char **steps; /* each a YAML flow mapping on one line */
  int *sline, *scol;
  int nsteps;
} strategy;

struct legation_strategies {
  char *file;
  strategy *s[2];
  int n[2];
};

static void strategy_clear(strategy *t) {
  free(t->name);
  for (int i = 0; i < t->nsets; i++) {
    free(t->sets[i].key);
    free(t->sets[i].value);
  }
  free(t->sets);
  for (int i = 0; i < t->nsteps; i++) free(t->steps[i]);
  free(t->steps);
  free(t->sline);
  free(t->scol);
}

void legation_strategies_free(legation_strategies *s) {
  if (!s) return;
  for (int w = 0; w < 2; w++) {
    for (int k = 0; k < s->n[w]; k++) strategy_clear(&s->s[w][k]);
    free(s->s[w]);
  }
  free(s->file);
  free(s);
}

int legation_strategies_count(const legation_strategies *s, int side) {
  return s && side >= 0 && side < 2 ? s->n[side] : 0;
}

const char *legation_strategies_name(const legation_strategies *s, int side, int k) {
  if (!s || side < 0 || side > 1 || k < 0 || k >= s->n[side]) return NULL;
  return s->s[side][k].name;
}

/* Append node n as one line of flow YAML (scalars as written: plain, or
 * double-quoted with escapes). */
typedef struct sbuf {
  char *s;
  size_t len, cap;
  int oom;
} sbuf;
static void sput(sbuf *b, const char *t, size_t n) {
  if (b->oom) return;
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 128;
    while (cap < b->len + n + 1) cap *= 2;
    char *ns = realloc(b->s, cap);
    if (!ns) {
      b->oom = 1;
      return;
    }
    b->s = ns;
    b->cap = cap;
  }
  memcpy(b->s + b->len, t, n);
  b->len += n;
  b->s[b->len] = 0;
}
static void sputs(sbuf *b, const char *t) { sput(b, t, strlen(t)); }

static void emit(yaml_document_t *doc, yaml_node_t *n, sbuf *b, int depth) {
  if (!n || depth > 16) {
    sputs(b, "~");
    return;
  }
  if (n->type == YAML_SCALAR_NODE) {
    const char *t = (const char *)n->data.scalar.value;
    if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !strpbrk(t, "\n\r")) {
      sputs(b, t);
    } else {
      sputs(b, "\"");
      for (; *t; t++) {
        if (*t == '"' || *t == '\\') sputs(b, "\\");
        if (*t == '\n') {
          sputs(b, "\\n");
          continue;
        }
        sput(b, t, 1);
      }
      sputs(b, "\"");
    }
  } else if (n->type == YAML_MAPPING_NODE) {
    sputs(b, "{");
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
      if (p != n->data.mapping.pairs.start) sputs(b, ", ");
      emit(doc, yaml_document_get_node(doc, p->key), b, depth + 1);
      sputs(b, ": ");
      emit(doc, yaml_document_get_node(doc, p->value), b, depth + 1);
    }
    sputs(b, "}");
  } else {
    sputs(b, "[");
    for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top; i++) {
      if (i != n->data.sequence.items.start) sputs(b, ", ");
      emit(doc, yaml_document_get_node(doc, *i), b, depth + 1);
    }
    sputs(b, "]");
  }
}

static int read_strategy(yaml_document_t *doc, yaml_node_t *v, const char *name, const char *side,
                         int idx, strategy *t, msgs *m) {
  if (v->type != YAML_MAPPING_NODE) {
    addmsg(m, "%s:%d:%d: %s[%d]: expected a mapping with name, set, deal_add, found %s", name,
           AT(v), side, idx, kind_name(v));
    return 0;
  }
  int seen[3] = {0, 0, 0};
  for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
    yaml_node_t *k = yaml_document_get_node(doc, p->key), *x = yaml_document_get_node(doc, p->value);
    const char *key = scalar(k);
    int which = !key                      ? -1
                : !strcmp(key, "name")     ? 0
                : !strcmp(key, "set")      ? 1
                : !strcmp(key, "deal_add") ? 2
                                           : -1;
    if (which < 0) {
      addmsg(m, "%s:%d:%d: %s[%d].%s: expected one of name, set, deal_add, found an unknown key",
             name, AT(k), side, idx, key ? key : "?");
      continue;
    }
    if (seen[which]++) {
      addmsg(m, "%s:%d:%d: %s[%d].%s: expected once, found a duplicate key", name, AT(k), side,
             idx, key);
      continue;
    }
    if (which == 0) {
      const char *s = scalar(x);
      if (!s || !*s || strlen(s) > 47) {
        addmsg(m, "%s:%d:%d: %s[%d].name: expected a name of 1 to 47 characters, found %s", name,
               AT(x), side, idx, s ? "a longer or empty text" : kind_name(x));
        continue;
      }
      t->name = strdup(s);
      if (!t->name) return -1;
    } else if (which == 1) {
      if (x->type != YAML_MAPPING_NODE) {
        addmsg(m, "%s:%d:%d: %s[%d].set: expected a mapping of KEY: VALUE, found %s", name,
               AT(x), side, idx, kind_name(x));
        continue;
      }
      int n = (int)(x->data.mapping.pairs.top - x->data.mapping.pairs.start);
      t->sets = calloc((size_t)(n ? n : 1), sizeof(kv));
      if (!t->sets) return -1;
      for (yaml_node_pair_t *q = x->data.mapping.pairs.start; q < x->data.mapping.pairs.top;
           q++) {
        yaml_node_t *sk = yaml_document_get_node(doc, q->key),
                    *sv = yaml_document_get_node(doc, q->value);
        if (!scalar(sk) || !scalar(sv)) {
          addmsg(m, "%s:%d:%d: %s[%d].set: expected KEY: VALUE with a scalar value, found %s",
                 name, AT(scalar(sk) ? sv : sk), side, idx, kind_name(scalar(sk) ? sv : sk));
          continue;
        }
        kv *e = &t->sets[t->nsets++];
        e->key = strdup(scalar(sk));
        e->value = strdup(scalar(sv));
        e->line = (int)sv->start_mark.line + 1;
        e->col = (int)sv->start_mark.column + 1;
        if (!e->key || !e->value) return -1;
      }
    } else {
      if (x->type != YAML_SEQUENCE_NODE) {
        addmsg(m, "%s:%d:%d: %s[%d].deal_add: expected a list of deal steps, found %s", name,
               AT(x), side, idx, kind_name(x));
        continue;
      }
      int n = (int)(x->data.sequence.items.top - x->data.sequence.items.start);
      t->steps = calloc((size_t)(n ? n : 1), sizeof(char *));
      t->sline = calloc((size_t)(n ? n : 1), sizeof(int));
      t->scol = calloc((size_t)(n ? n : 1), sizeof(int));
      if (!t->steps || !t->sline || !t->scol) return -1;
      for (yaml_node_item_t *i = x->data.sequence.items.start; i < x->data.sequence.items.top;
           i++) {
        yaml_node_t *st = yaml_document_get_node(doc, *i);
        sbuf b = {0};
        emit(doc, st, &b, 0);
        if (b.oom) {
          free(b.s);
          return -1;
        }
        t->sline[t->nsteps] = (int)st->start_mark.line + 1;
        t->scol[t->nsteps] = (int)st->start_mark.column + 1;
        t->steps[t->nsteps++] = b.s;
      }
    }
  }
  if (!t->name)
    addmsg(m, "%s:%d:%d: %s[%d].name: expected a name (required), found nothing", name, AT(v),
           side, idx);
  return 0;
}

legation_status legation_strategies_load_string(const char *text, size_t len, const char *name,
                                                legation_strategies **out, char **errmsg) {
  if (errmsg) *errmsg = NULL;
  if (out) *out = NULL;
  if (!text || !out) return LEGATION_EINVAL;
  name = name ? name : "strategies";
  msgs m = {0};
  legation_strategies *s = calloc(1, sizeof *s);
  if (!s || !(s->file = strdup(name))) {
    free(s);
    return LEGATION_ENOMEM;
  }
  yaml_document_t doc;
  memset(&doc, 0, sizeof doc);
  yaml_node_t *root = parse_doc(&doc, text, len, name, &m);
  int oom = 0, present[2] = {0, 0};
  for (yaml_node_pair_t *p = root ? root->data.mapping.pairs.start : NULL;
       root && p < root->data.mapping.pairs.top && !oom; p++) {
    yaml_node_t *k = yaml_document_get_node(&doc, p->key), *v = yaml_document_get_node(&doc, p->value);
    int side = side_of(scalar(k));
    if (side < 0) {
      addmsg(&m, "%s:%d:%d: %s: expected a or b (a side), found an unknown key", name, AT(k),
             scalar(k) ? scalar(k) : "?");
      continue;
    }
    if (present[side]) {
      addmsg(&m, "%s:%d:%d: %s: expected each side once, found a duplicate key", name, AT(k),
             scalar(k));
      continue;
    }
    int n = v->type == YAML_SEQUENCE_NODE
                ? (int)(v->data.sequence.items.top - v->data.sequence.items.start)
                : 0;
    present[side] = 1;
    if (n < 1 || n > LEGATION_GAME_MAX_STRATEGIES) {
      char found[48];
      if (v->type != YAML_SEQUENCE_NODE)
        snprintf(found, sizeof found, "%s", kind_name(v));
      else
        snprintf(found, sizeof found, "%d", n);
      addmsg(&m, "%s:%d:%d: %s: expected a list of 1 to %d strategies, found %s", name, AT(v),
             scalar(k), LEGATION_GAME_MAX_STRATEGIES, found);
      continue;
    }
    s->s[side] = calloc((size_t)n, sizeof(strategy));
    if (!s->s[side]) {
      oom = 1;
      break;
    }
    s->n[side] = n;
    int i = 0;
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top;
         it++, i++)
      if (read_strategy(&doc, yaml_document_get_node(&doc, *it), name, scalar(k), i,
                        &s->s[side][i], &m))
        oom = 1;
    for (int a = 0; a < n && !oom; a++)
      for (int b = a + 1; b < n; b++)
        if (s->s[side][a].name && s->s[side][b].name &&
            !strcmp(s->s[side][a].name, s->s[side][b].name))
          addmsg(&m, "%s: %s[%d].name: expected names unique within a side, found '%s' again",
                 name, scalar(k), b, s->s[side][b].name);
  }
  if (root && !oom)
    for (int w = 0; w < 2; w++)
      if (!present[w])
        addmsg(&m, "%s:1:1: %s: expected side %s's strategies (required), found nothing", name,
               w ? "b" : "a", w ? "b" : "a");
  yaml_document_delete(&doc);
  if (oom) {
    free(m.s);
    legation_strategies_free(s);
    return LEGATION_ENOMEM;
  }
  if (m.count) {
    if (errmsg)
      *errmsg = m.s;
    else
      free(m.s);
    legation_strategies_free(s);
    return LEGATION_ESCHEMA;
  }
  free(m.s);
  *out = s;
  return LEGATION_OK;
}

legation_status legation_strategies_apply(const legation_strategies *s, int side, int k,
                                          legation_scenario *sc, char **errmsg) {
  if (errmsg) *errmsg = NULL;
  if (!s || !sc || side < 0 || side > 1 || k < 0 || k >= s->n[side]) return LEGATION_EINVAL;
  const strategy *t = &s->s[side][k];
  msgs m = {0};
  legation_status st = LEGATION_OK;
  for (int i = 0; i < t->nsets; i++) {
    legation_status r = legation_scenario_set(sc, t->sets[i].key, t->sets[i].value);
    if (r) {
      const char *e = legation_scenario_errmsg(sc);
      if (!strncmp(e, "--set: ", 7)) e += 7;
      addmsg(&m, "%s:%d:%d: strategy %s.%s: %s", s->file, t->sets[i].line, t->sets[i].col,
             side ? "b" : "a", t->name, e);
      st = r;
    }
  }
  if (t->nsteps && !st) {
    /* the steps as a scenario fragment loaded over sc: the loader checks
     * them; its line L >= 6 is step L - 6 (mapped back to the file) */
    sbuf b = {0};
    const char *nm = legation_scenario_name(sc);
    sputs(&b, "name: \"");
    sputs(&b, nm && *nm ? nm : "scenario");
    sputs(&b, "\"\nstates:\n");
    for (int w = 0; w < 2; w++) {
      sputs(&b, w ? "  b: {name: \"" : "  a: {name: \"");
      sputs(&b, legation_scenario_state_name(sc, w));
      sputs(&b, "\"}\n");
    }
    sputs(&b, "deal_add:\n");
    for (int i = 0; i < t->nsteps; i++) {
      sputs(&b, "  - ");
      sputs(&b, t->steps[i]);
      sputs(&b, "\n");
    }
    if (b.oom) {
      free(b.s);
      free(m.s);
      return LEGATION_ENOMEM;
    }
    st = legation_scenario_load_string(sc, b.s, b.len, FRAG);
    if (st) {
      /* rewrite "\x01:L:C: rest" to the step's position in the file */
      const char *e = legation_scenario_errmsg(sc);
      while (e && *e) {
        const char *nl = strchr(e, '\n');
        size_t n = nl ? (size_t)(nl - e) : strlen(e);
        int line = 0, col = 0, used = 0;
        char one[600];
        snprintf(one, sizeof one, "%.*s", (int)(n < 599 ? n : 599), e);
        if (!strncmp(one, FRAG ":", sizeof FRAG) &&
            sscanf(one + sizeof FRAG, "%d:%d: %n", &line, &col, &used) == 2 && used) {
          used += (int)sizeof FRAG;
          int i = line - 6;
          if (i >= 0 && i < t->nsteps)
            addmsg(&m, "%s:%d:%d: strategy %s.%s: %s", s->file, t->sline[i], t->scol[i],
                   side ? "b" : "a", t->name, one + used);
          else
            addmsg(&m, "%s: strategy %s.%s: %s", s->file, side ? "b" : "a", t->name, one + used);
        } else {
          addmsg(&m, "%s: strategy %s.%s: %s", s->file, side ? "b" : "a", t->name, one);
        }
        e = nl ? nl + 1 : NULL;
      }
    }
    free(b.s);
  }
  if (m.count) {
    if (errmsg)
      *errmsg = m.s;
    else
      free(m.s);
    return st ? st : LEGATION_ESCHEMA;
  }
  free(m.s);
  return st;
}
