/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * load.c - the strict YAML scenario loader (libyaml event API, our own tree).
 *
 * The schema below is the contract; docs and tests follow it.
 *
 *   name: us-russia-2025-readmit-50  # optional; default: the file stem, the
 *                                    # `name` argument of load_string, or
 *                                    # the built-in's name (1-63 characters)
 *   title: "One line"                # optional, 1-199 characters
 *   description: |                   # optional free text
 *     ...
 *   base: us-russia-2025             # optional: a built-in scenario name,
 *                                    # else a file path relative to this
 *                                    # file's directory (the current
 *                                    # directory for strings; built-ins may
 *                                    # only name built-ins).  Loaded first;
 *                                    # this file overrides it.  At most 8
 *                                    # levels; a cycle is an error.
 *   horizon: 48                      # G-scope keys of the parameter table,
 *   intel: { recruit_rate: 0.05 }    # nested by their dots (intel.*,
 *                                    # function.*, relations.*,
 *                                    # negotiation.*, spiral.*)
 *   states:
 *     a: { name: USA, openness: 0.9, doctrine: mirror, cut_cap: true }
 *     b: { name: Russia, openness: { value: 0.3, source: "FACTS.md s5" } }
 *   missions:                        # missions.a = A's mission in B
 *     a:
 *       cap: 455                     # M-scope keys
 *       posts:                       # optional; REPLACES the list (1-16
 *         - { name: Embassy Moscow, reach: 1.0, open: true }
 *                                    # name required (unique, 1-47 chars),
 *                                    # reach number in [0, 3] default 1,
 *                                    # open true/false default true
 *     b: { ... }
 *   deal:                            # optional; REPLACES the inherited list
 *     - { month: 3, action: readmit, target: both, value: 50,
 *         when: { relations: -0.2, progress: 0.1 },
 *         post: "CG San Francisco", source: "events.csv 2025-04" }
 *   deal_add:                        # optional; APPENDS to the inherited list
 *     - ...                          # (applied after `deal`); 64 steps in all
 *
 * States by name: under `states:` and `missions:`, and as a deal target, a
 * state's name or short name (states.a.short), compared case-insensitively,
 * stands for its letter (resolve_sides, sc_side_word).  The names are those
 * of the base, overlaid for `states:` by names the file declares under a
 * and b.  Messages name the side by its letter; one state written under two
 * words is an error.
 *
 * Parameter values: any table parameter may be written plain (`openness:
 * 0.3`) or as `{value: 0.3, source: "citation"}` (value required); the
 * citation is kept per key (sc_set_source).  A plain value replaces any
 * inherited citation with "assumption (set in <file>)".
 *
 * Deal step: month integer in [1, 600] (required); action one of cap readmit
 * local_staff travel open_post close_post property operations ci vetting
 * expel (required); target a|b|both or a state's name (required); value a number, default 0:
 * an integer >= 0 for cap, readmit, local_staff, expel and ci (at most
 * 1000000, local_staff 100000), in [0, 1] for travel, operations and vetting,
 * any finite number otherwise; post (1-47 chars) required for open_post and
 * close_post and refused for other actions, and must name a post of each
 * targeted mission; when.relations in [-1, 1] (default -1, no condition);
 * when.progress in [0, 1] (default 0); source, 1-199 characters.
 *
 * Strictness: numbers are plain (unquoted) decimal scalars (no hex, .nan,
 * .inf, 12abc; 3.5 is not an integer); out-of-range values are refused, never
 * clamped; booleans are plain true/false/yes/no; names and enum choices may
 * be plain or quoted; `~`, `null` and an empty value count as nothing.
 * Unknown keys (with a "did you mean" within edit distance 2), duplicate
 * keys, wrong node kinds, missing required keys, anchors, aliases, tags and
 * a second document are errors.  states.a.name and states.b.name are
 * required in a file without `base`.  Input is capped at 1 MiB and nesting at
 * 16 levels.  Every schema problem is reported (up to 100 lines per load,
 * then a count), one line each:
 *   <file>:<line>:<col>: <key.path>: expected <what>, found <what>
 * with key paths such as states.a.openness, deal[2].month,
 * missions.a.posts[0].reach; a base's problems name the base's file.  A
 * syntax error (libyaml's position and text) or nesting past 16 stops the
 * file there.  After a clean load the cross-field checks (lg_params_check)
 * run, reported where the key was set in the loaded file (else at
 * <file>:1:1).  On any error the scenario is left exactly as it was.
 * Status: LEGATION_EPARSE syntax, nesting or size; LEGATION_ESCHEMA schema and
 * values; LEGATION_ENOTFOUND unknown base or built-in; LEGATION_EIO unreadable
 * file; LEGATION_ENOMEM (the worst one found wins).
 */
#include "scenario.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#define LD_MAX_BYTES (1024 * 1024) /* input cap */
#define LD_MAX_DEPTH 16            /* nesting cap (the root mapping is 1) */
#define LD_MAX_BASE 8              /* base levels below the loaded file */
#define LD_MAX_SHOWN 100           /* messages per load call, then a count */
#define LD_MAX_KEPT 1000           /* messages kept per file before sorting */
#define LD_MONTH_MAX 600           /* = the table's maximum horizon */
#define LD_MAX_CAND 64             /* keys one mapping may allow */
#define LD_PATH 256

/* ------------------------------------------------------------------ tree */

enum { N_SCALAR, N_SEQ, N_MAP, N_ALIAS };

/* One YAML node.  Built from libyaml events so that aliases, anchors and
 * tags can be refused where they appear, and so that `base:` can be applied
 * before the rest of the file whatever its position. */
typedef struct node {
  int kind;          /* N_* */
  int line, col;     /* 1-based start mark */
  int plain;         /* scalar written without quotes */
  char *text;        /* scalar value (NUL-terminated), or an alias's anchor */
  size_t len;        /* scalar length (the value may hold NUL bytes) */
  char *anchor, *tag;/* refused if present */
  struct node **kid; /* sequence items, or mapping key, value, key, value */
  int n, cap;
} node;

static void node_free(node *n) {
  if (!n) return;
  for (int i = 0; i < n->n; i++) node_free(n->kid[i]);
  free(n->kid);
  free(n->text);
  free(n->anchor);
  free(n->tag);
  free(n);
}

static char *dupn(const char *s, size_t n) {
  char *d = malloc(n + 1);
  if (!d) return NULL;
  if (n) memcpy(d, s, n);
  d[n] = 0;
  return d;
}

/* ---------------------------------------------------------- load contexts */

/* A message collected while loading one file, emitted sorted by position. */
typedef struct lmsg {
  int line, col; /* 0 = no position (file-level message) */
  int seq;       /* order of discovery, for a stable sort */
  char *key;     /* key path, may be "" */
  char *text;    /* same allocation as key */
} lmsg;

/* Where a key was set in the loaded file (for the cross-field checks). */
typedef struct lmark {
  char key[96];  /* key as lg_params_check names it ("deal[3].post") */
  char disp[96]; /* key path as written in this file ("deal_add[0].post") */
  int line, col;
} lmark;

/* A scenario already on the chain of bases (cycle detection). */
typedef struct chainlink {
  int kind; /* 0 string (never matches), 1 file, 2 built-in */
  dev_t dev;
  ino_t ino;
  char name[64];
} chainlink;

/* State shared by one public load call and all its bases. */
typedef struct shared {
  legation_scenario *sc;  /* receives the messages */
  legation_scenario *tmp; /* receives the values; copied to sc on success */
  int status;             /* worst status so far */
  int shown, hidden;      /* messages emitted / over LD_MAX_SHOWN */
  chainlink chain[LD_MAX_BASE + 2];
  int nchain;
  const char **keys;      /* full key of each expanded parameter, computed
                             once: lg_param_fullkey is linear in the table */
  int nkeys;
  int top_has_base;       /* the file the caller named has a `base:` */
  sc_file *rec;           /* every text loaded, top first (keys and texts
                             borrowed from the load's callers) */
  int nrec, caprec;
  const legation_scenario_file *vfs; /* stored files: bases are looked up */
  int nvfs;                          /* here only (load_files), else NULL */
} shared;

/* Remember (a copy of) a text this load read, for
 * legation_scenario_file_get.  0, or -1 on OOM. */
static int record(shared *sh, const char *key, const char *text, size_t len) {
  if (sh->nrec == sh->caprec) {
    int cap = sh->caprec ? 2 * sh->caprec : 4;
    sc_file *r = realloc(sh->rec, (size_t)cap * sizeof *r);
    if (!r) return -1;
    sh->rec = r, sh->caprec = cap;
  }
  size_t kl = strlen(key);
  char *k = malloc(kl + 1), *t = malloc(len + 1);
  if (!k || !t) {
    free(k), free(t);
    return -1;
  }
  memcpy(k, key, kl + 1);
  if (len) memcpy(t, text, len);
  t[len] = 0;
  sh->rec[sh->nrec++] = (sc_file){k, t, len};
  return 0;
}

/* The stored file with this key, or NULL (also when there are none). */
static const legation_scenario_file *vfs_find(const shared *sh, const char *key, int *index) {
  for (int i = 0; sh->vfs && i < sh->nvfs; i++)
    if (sh->vfs[i].key && strcmp(sh->vfs[i].key, key) == 0) {
      if (index) *index = i;
      return &sh->vfs[i];
    }
  return NULL;
}

/* One file being loaded. */
typedef struct ctx {
  shared *sh;
  const char *file;  /* display name in messages */
  const char *dir;   /* directory for relative bases, NULL = current */
  int builtin_only;  /* bases must be built-ins */
  const char *text;  /* input, for reader-error positions */
  size_t len;
  lmsg *msgs;
  int nmsgs, capmsgs, dropped;
  lmark *marks;
  int nmarks, capmarks;
  int has_base;      /* the file names a base (even a failing one) */
  int name_set[2];   /* states.a.name / states.b.name set in this file */
  char name[64];     /* explicit `name:`, "" if none */
} ctx;

static int rank(int st) {
  switch (st) {
  case LEGATION_OK: return 0;
  case LEGATION_ESCHEMA: return 1;
  case LEGATION_ENOTFOUND: return 2;
  case LEGATION_EPARSE: return 3;
  case LEGATION_EIO: return 4;
  case LEGATION_ENOMEM: return 6;
  default: return 5;
  }
}

static void set_status(shared *sh, int st) {
  if (rank(st) > rank(sh->status)) sh->status = st;
}

static void oom(ctx *c) { set_status(c->sh, LEGATION_ENOMEM); }

#if defined(__GNUC__)
#define LD_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define LD_PRINTF(a, b)
#endif

/* Collect a message at line:col (0 = none) for key path `key`. */
LD_PRINTF(6, 0)
static void vmsg(ctx *c, int st, int line, int col, const char *key, const char *fmt, va_list ap) {
  set_status(c->sh, st);
  if (c->nmsgs >= LD_MAX_KEPT) {
    c->dropped++;
    return;
  }
  char text[600];
  vsnprintf(text, sizeof text, fmt, ap);
  if (!key) key = "";
  size_t kl = strlen(key), tl = strlen(text);
  if (kl > 200) kl = 200;
  if (c->nmsgs == c->capmsgs) {
    int cap = c->capmsgs ? 2 * c->capmsgs : 16;
    lmsg *m = realloc(c->msgs, (size_t)cap * sizeof *m);
    if (!m) { oom(c); return; }
    c->msgs = m;
    c->capmsgs = cap;
  }
  char *buf = malloc(kl + tl + 2);
  if (!buf) { oom(c); return; }
  memcpy(buf, key, kl);
  buf[kl] = 0;
  memcpy(buf + kl + 1, text, tl + 1);
  /* one message, one line: no control characters from the input */
  for (char *p = buf; p < buf + kl + tl + 1; p++)
    if ((unsigned char)*p < 0x20 && p != buf + kl) *p = '?';
  lmsg *m = &c->msgs[c->nmsgs];
  m->line = line;
  m->col = col;
  m->seq = c->nmsgs++;
  m->key = buf;
  m->text = buf + kl + 1;
}

/* Schema error at node n (or 1:1 when n is NULL). */
LD_PRINTF(4, 5)
static void err(ctx *c, const node *n, const char *key, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vmsg(c, LEGATION_ESCHEMA, n ? n->line : 1, n ? n->col : 1, key, fmt, ap);
  va_end(ap);
}

/* Error with an explicit status and position. */
LD_PRINTF(6, 7)
static void err_at(ctx *c, int st, int line, int col, const char *key, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vmsg(c, st, line, col, key, fmt, ap);
  va_end(ap);
}

static int msg_cmp(const void *a, const void *b) {
  const lmsg *x = a, *y = b;
  if (x->line != y->line) return x->line < y->line ? -1 : 1;
  if (x->col != y->col) return x->col < y->col ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Sort this file's messages by position and hand them to the scenario. */
static void emit(ctx *c) {
  if (c->nmsgs > 1) qsort(c->msgs, (size_t)c->nmsgs, sizeof *c->msgs, msg_cmp);
  shared *sh = c->sh;
  for (int i = 0; i < c->nmsgs; i++) {
    if (sh->shown >= LD_MAX_SHOWN) {
      sh->hidden++;
      continue;
    }
    char where[LD_PATH + 32];
    if (c->msgs[i].line > 0)
      snprintf(where, sizeof where, "%.*s:%d:%d", LD_PATH, c->file, c->msgs[i].line,
               c->msgs[i].col);
    else
      snprintf(where, sizeof where, "%.*s", LD_PATH, c->file);
    for (char *p = where; *p; p++) /* a caller's name with a newline */
      if ((unsigned char)*p < 0x20) *p = '?';
    sc_error(sh->sc, where, c->msgs[i].key, c->msgs[i].text);
    sh->shown++;
  }
  sh->hidden += c->dropped;
}

static void ctx_free(ctx *c) {
  for (int i = 0; i < c->nmsgs; i++) free(c->msgs[i].key);
  free(c->msgs);
  free(c->marks);
}

/* Remember that `key` was set at n (display path `disp`). */
static void mark(ctx *c, const char *key, const char *disp, const node *n) {
  if (c->nmarks == c->capmarks) {
    int cap = c->capmarks ? 2 * c->capmarks : 32;
    lmark *m = realloc(c->marks, (size_t)cap * sizeof *m);
    if (!m) { oom(c); return; }
    c->marks = m;
    c->capmarks = cap;
  }
  lmark *m = &c->marks[c->nmarks++];
  snprintf(m->key, sizeof m->key, "%s", key);
  snprintf(m->disp, sizeof m->disp, "%s", disp ? disp : key);
  m->line = n->line;
  m->col = n->col;
}

/* ------------------------------------------------------------ describing */

static int is_null(const node *n) {
  return n->kind == N_SCALAR && n->plain &&
         (n->len == 0 || strcmp(n->text, "~") == 0 || strcmp(n->text, "null") == 0 ||
          strcmp(n->text, "Null") == 0 || strcmp(n->text, "NULL") == 0);
}

/* Plain decimal number: [+-] digits [. digits] [e [+-] digits]. */
static int is_decimal(const char *s, size_t len) {
  const char *e = s + len;
  int digits = 0;
  if (s < e && (*s == '+' || *s == '-')) s++;
  while (s < e && isdigit((unsigned char)*s)) s++, digits++;
  if (s < e && *s == '.') {
    s++;
    while (s < e && isdigit((unsigned char)*s)) s++, digits++;
  }
  if (!digits) return 0;
  if (s < e && (*s == 'e' || *s == 'E')) {
    s++;
    if (s < e && (*s == '+' || *s == '-')) s++;
    if (!(s < e && isdigit((unsigned char)*s))) return 0;
    while (s < e && isdigit((unsigned char)*s)) s++;
  }
  return s == e;
}

/* `"text"` shortened to 60 characters, for messages. */
static const char *quote(const char *s, size_t len, char *buf, size_t bufsz) {
  if (len > 60) snprintf(buf, bufsz, "\"%.57s...\"", s);
  else snprintf(buf, bufsz, "\"%.*s\"", (int)len, s);
  return buf;
}

/* What was found at n, for "expected ..., found <this>". */
static const char *found(const node *n, char *buf, size_t bufsz) {
  char q[80];
  switch (n->kind) {
  case N_MAP: return "a mapping";
  case N_SEQ: return "a sequence";
  case N_ALIAS: return "an alias";
  default: break;
  }
  if (is_null(n)) return "nothing";
  quote(n->text, n->len, q, sizeof q);
  if (!n->plain) snprintf(buf, bufsz, "string %s", q);
  else if (is_decimal(n->text, n->len)) snprintf(buf, bufsz, "%s", n->text);
  else snprintf(buf, bufsz, "%s", q);
  return buf;
}

/* Refuse aliases, anchors and tags at n.  Returns 1 if n may be used. */
static int usable(ctx *c, const node *n, const char *path) {
  if (n->kind == N_ALIAS) {
    err(c, n, path, "expected a value, found an alias (*%.40s); aliases are not supported",
        n->text);
    return 0;
  }
  if (n->anchor) {
    err(c, n, path, "expected a value, found an anchor (&%.40s); anchors are not supported",
        n->anchor);
    return 0;
  }
  if (n->tag) {
    err(c, n, path, "expected an untagged value, found tag \"%.40s\"", n->tag);
    return 0;
  }
  return 1;
}

/* Check that n is a mapping (or a sequence); report otherwise. */
static int want(ctx *c, const node *n, const char *path, int kind) {
  char b[100];
  if (!usable(c, n, path)) return 0;
  if (n->kind == kind) return 1;
  err(c, n, path, "expected %s, found %s", kind == N_MAP ? "a mapping" : "a sequence",
      found(n, b, sizeof b));
  return 0;
}

/* Does the text hold control characters (NUL included)?  Newlines and tabs
 * are allowed in free text only. */
static int has_ctrl(const node *n, int free_text) {
  for (size_t i = 0; i < n->len; i++) {
    unsigned char ch = (unsigned char)n->text[i];
    if (ch == 0x7f || (ch < 0x20 && !(free_text && (ch == '\n' || ch == '\t')))) return 1;
  }
  return 0;
}

/* A string value of 1..max characters into out (outsz >= max+1).  `what`
 * names it in messages ("a name"). */
static int get_string(ctx *c, const node *n, const char *path, const char *what, size_t max,
                      char *out, size_t outsz) {
  char b[100];
  if (!usable(c, n, path)) return -1;
  if (n->kind != N_SCALAR || is_null(n)) {
    err(c, n, path, "expected %s of 1 to %zu bytes (UTF-8), found %s", what, max,
        found(n, b, sizeof b));
    return -1;
  }
  if (n->len == 0 || n->len > max) {
    err(c, n, path, "expected %s of 1 to %zu bytes (UTF-8), found %zu bytes", what, max, n->len);
    return -1;
  }
  if (has_ctrl(n, 0)) {
    err(c, n, path, "expected %s without control characters, found %s", what,
        found(n, b, sizeof b));
    return -1;
  }
  snprintf(out, outsz, "%s", n->text);
  return 0;
}

/* Check number text against [min, max] (integer if is_int).  Messages as
 * lg_param_set_text's, with bounds printed in full (1000000, not 1e+06). */
static int check_number(ctx *c, const node *n, const char *path, double min, double max,
                        int is_int, double *out) {
  char b[100];
  const char *what = is_int ? "an integer" : "a number";
  char lo[32], hi[32];
  snprintf(lo, sizeof lo, "%.15g", min);
  snprintf(hi, sizeof hi, "%.15g", max);
  if (!usable(c, n, path)) return -1;
  if (n->kind != N_SCALAR || is_null(n)) {
    err(c, n, path, "expected %s in [%s, %s], found %s", what, lo, hi, found(n, b, sizeof b));
    return -1;
  }
  if (!n->plain) {
    err(c, n, path, "expected %s in [%s, %s], found %s", what, lo, hi, found(n, b, sizeof b));
    return -1;
  }
  double v = 0;
  char *end = NULL;
  if (is_decimal(n->text, n->len)) {
    errno = 0;
    v = strtod(n->text, &end);
  }
  if (!end || *end || errno == ERANGE || !isfinite(v) || (is_int && v != floor(v))) {
    err(c, n, path, "expected %s in [%s, %s], found %s", what, lo, hi,
        quote(n->text, n->len, b, sizeof b));
    return -1;
  }
  if (v < min || v > max) {
    err(c, n, path, "expected %s in [%s, %s], found %s", what, lo, hi, n->text);
    return -1;
  }
  *out = v;
  return 0;
}

/* A plain true/false/yes/no. */
static int get_bool(ctx *c, const node *n, const char *path, int *out) {
  char b[100];
  if (!usable(c, n, path)) return -1;
  if (n->kind == N_SCALAR && n->plain) {
    if (strcmp(n->text, "true") == 0 || strcmp(n->text, "yes") == 0) return *out = 1, 0;
    if (strcmp(n->text, "false") == 0 || strcmp(n->text, "no") == 0) return *out = 0, 0;
  }
  err(c, n, path, "expected true or false, found %s", found(n, b, sizeof b));
  return -1;
}

/* ----------------------------------------------------------- key matching */

/* out = path "." key (or key at the root), truncated to LD_PATH - 1. */
static void join(char *out, const char *path, const char *key) {
  size_t n = 0;
  for (const char *p = path; p && *p && n < LD_PATH - 1; p++) out[n++] = *p;
  if (n && n < LD_PATH - 1) out[n++] = '.';
  for (const char *p = key; *p && n < LD_PATH - 1; p++) out[n++] = *p;
  out[n] = 0;
}

/* Walk mapping m whose allowed keys are names[0..nn): for each known key
 * seen first, vals[k] and keys[k] get its value and key nodes.  Unknown,
 * duplicate and non-scalar keys are reported.  m must be a usable mapping. */
static void fields(ctx *c, const node *m, const char *path, const char *const *names, int nn,
                   node **vals, node **keys) {
  char sub[LD_PATH], b[100];
  for (int k = 0; k < nn; k++) vals[k] = keys[k] = NULL;
  for (int i = 0; i + 1 < m->n; i += 2) {
    node *kn = m->kid[i];
    if (!usable(c, kn, path)) continue;
    if (kn->kind != N_SCALAR || is_null(kn)) {
      err(c, kn, path, "expected a key name, found %s", found(kn, b, sizeof b));
      continue;
    }
    join(sub, path, kn->text);
    int k = 0;
    while (k < nn && !(strlen(names[k]) == kn->len && strcmp(names[k], kn->text) == 0)) k++;
    if (k == nn) {
      int best = -1, bd = 3;
      for (int j = 0; j < nn; j++) {
        int dd = sc_distance(kn->text, names[j]);
        if (dd < bd) bd = dd, best = j;
      }
      if (best >= 0) {
        err(c, kn, sub, "unknown key; did you mean \"%s\"?", names[best]);
      } else if (nn <= 8) {
        char list[300] = "";
        for (int j = 0; j < nn; j++) {
          size_t l = strlen(list);
          snprintf(list + l, sizeof list - l, "%s%s", j ? ", " : "", names[j]);
        }
        err(c, kn, sub, "unknown key; expected one of: %s", list);
      } else {
        err(c, kn, sub, "unknown key");
      }
      continue;
    }
    if (keys[k]) {
      err(c, kn, sub, "duplicate key (first at line %d)", keys[k]->line);
      continue;
    }
    keys[k] = kn;
    vals[k] = m->kid[i + 1];
  }
}

/* Keys allowed directly under `prefix` ("" = the root): the next component
 * of every table key below it. */
static int children(const shared *sh, const char *prefix, char cand[][48], int max) {
  int n = 0;
  size_t pl = strlen(prefix);
  for (int i = 0; i < sh->nkeys; i++) {
    const char *key = sh->keys[i], *rest;
    if (!pl) rest = key;
    else if (strncmp(key, prefix, pl) == 0 && key[pl] == '.') rest = key + pl + 1;
    else continue;
    size_t l = strcspn(rest, ".");
    if (l >= 48) continue;
    int dup = 0;
    for (int j = 0; j < n && !dup; j++) dup = strlen(cand[j]) == l && strncmp(cand[j], rest, l) == 0;
    if (dup || n >= max) continue;
    memcpy(cand[n], rest, l);
    cand[n++][l] = 0;
  }
  return n;
}

/* ------------------------------------------------------------ parameters */

static void expectation(const lg_param_desc *d, char *buf, size_t bufsz) {
  switch (d->type) {
  case LG_REAL: snprintf(buf, bufsz, "a number in [%.15g, %.15g]", d->min, d->max); break;
  case LG_INT: snprintf(buf, bufsz, "an integer in [%.15g, %.15g]", d->min, d->max); break;
  case LG_BOOL: snprintf(buf, bufsz, "true or false"); break;
  case LG_ENUM: snprintf(buf, bufsz, "one of %s", d->choices); break;
  default: snprintf(buf, bufsz, "a name of 1 to %d bytes (UTF-8)", LG_NAME_MAX - 1);
  }
}

/* Set table parameter i from scalar n (path names n).  0 on success. */
static int set_scalar(ctx *c, const node *n, const char *path, int i) {
  const lg_param_desc *d = lg_param_key(i, NULL, NULL, 0);
  char want_[160], b[100], e[300];
  if (!usable(c, n, path)) return -1;
  expectation(d, want_, sizeof want_);
  if (n->kind != N_SCALAR || is_null(n)) {
    err(c, n, path, "expected %s, found %s", want_, found(n, b, sizeof b));
    return -1;
  }
  switch (d->type) {
  case LG_REAL:
  case LG_INT: {
    double v;
    if (check_number(c, n, path, d->min, d->max, d->type == LG_INT, &v) != 0) return -1;
    break;
  }
  case LG_BOOL: {
    int v;
    if (get_bool(c, n, path, &v) != 0) return -1;
    if (lg_param_set_text(&c->sh->tmp->p, i, v ? "true" : "false", e, sizeof e) != 0) {
      err(c, n, path, "%s", e);
      return -1;
    }
    return 0;
  }
  default:
    if (has_ctrl(n, 0)) {
      err(c, n, path, "expected %s, found %s", want_, found(n, b, sizeof b));
      return -1;
    }
  }
  if (lg_param_set_text(&c->sh->tmp->p, i, n->text, e, sizeof e) != 0) {
    /* lg_param_set_text echoes the text: keep that part short */
    if (n->len > 60) err(c, n, path, "expected %s, found %s", want_, quote(n->text, n->len, b, sizeof b));
    else err(c, n, path, "%s", e);
    return -1;
  }
  return 0;
}

/* The plausible range of parameter i from a `{value, range, dist}` or
 * `{value, alternatives}` mapping (docs/MODEL.md "Uncertainty"): numbers
 * take range: [lo, hi] inside the table's validity bounds, holding the
 * value, with dist uniform (default), triangular (mode = value),
 * loguniform (lo > 0) or fixed; enums and booleans take alternatives:
 * {choice: weight, ...} with positive weights, the value among them.
 * Returns 0 and fills *u (u->has 0 when neither key is given), or -1. */
static int get_range(ctx *c, const node *map, node *rng, node *dist, node *alts, const char *path,
                     int i, sc_unc *u) {
  const lg_param_desc *d = lg_param_key(i, NULL, NULL, 0);
  const double value = lg_param_getd(&c->sh->tmp->p, i);
  char sub[LD_PATH], b[100];
  memset(u, 0, sizeof *u);
  if (!rng && !dist && !alts) return 0;
  int numeric = d->type == LG_REAL || d->type == LG_INT;
  node *first = rng ? rng : dist ? dist : alts;
  join(sub, path, rng ? "range" : dist ? "dist" : "alternatives");
  if (d->type == LG_STRING) {
    err(c, first, sub, "expected no range (a name is not uncertain), found one");
    return -1;
  }
  if (numeric && alts) {
    join(sub, path, "alternatives");
    err(c, alts, sub, "expected range: [lo, hi] for a number, found alternatives");
    return -1;
  }
  if (!numeric && (rng || dist)) {
    err(c, first, sub, "expected alternatives: {choice: weight, ...} for a choice, found %s",
        rng ? "a range" : "a dist");
    return -1;
  }
  u->has = 1;
  if (!numeric) {
    join(sub, path, "alternatives");
    if (!want(c, alts, sub, N_MAP)) return -1;
    int bad = 0, seen_value = 0;
    for (int k = 0; k + 1 < alts->n; k += 2) {
      node *kn = alts->kid[k], *wn = alts->kid[k + 1];
      char item[LD_PATH], e[300];
      if (!usable(c, kn, sub)) { bad = 1; continue; }
      if (kn->kind != N_SCALAR || is_null(kn) || has_ctrl(kn, 0)) {
        err(c, kn, sub, "expected %s, found %s", d->choices ? d->choices : "true or false",
            found(kn, b, sizeof b));
        bad = 1;
        continue;
      }
      join(item, sub, kn->text);
      lg_params probe = c->sh->tmp->p;
      if (lg_param_set_text(&probe, i, kn->text, e, sizeof e) != 0) {
        err(c, kn, item, "%s", e);
        bad = 1;
        continue;
      }
      double w;
      if (check_number(c, wn, item, 0, 1e6, 0, &w) != 0) { bad = 1; continue; }
      if (!(w > 0)) {
        err(c, wn, item, "expected a weight above 0, found %s", wn->text);
        bad = 1;
        continue;
      }
      int idx = (int)lg_param_getd(&probe, i);
      for (int q = 0; q < u->nalt; q++)
        if (u->alt[q] == idx) {
          err(c, kn, item, "duplicate alternative");
          bad = 1;
          idx = -1;
        }
      if (idx < 0) continue;
      if (u->nalt == SC_MAX_ALT) {
        err(c, kn, item, "expected at most %d alternatives", SC_MAX_ALT);
        bad = 1;
        continue;
      }
      seen_value |= idx == (int)value;
      u->alt[u->nalt] = idx;
      u->w[u->nalt++] = w;
    }
    if (bad) return -1;
    if (u->nalt == 0) {
      err(c, alts, sub, "expected at least one alternative, found none");
      return -1;
    }
    if (!seen_value) {
      char t[64];
      lg_param_format(&c->sh->tmp->p, i, t, sizeof t);
      err(c, alts, sub, "expected the value (%s) among the alternatives", t);
      return -1;
    }
    return 0;
  }
  u->dist = SC_DIST_UNIFORM;
  if (dist) {
    join(sub, path, "dist");
    if (!usable(c, dist, sub)) return -1;
    int k = dist->kind == N_SCALAR && !is_null(dist) ? sc_dist_find(dist->text) : -1;
    if (k < 0) {
      err(c, dist, sub, "expected uniform, triangular, loguniform or fixed, found %s",
          found(dist, b, sizeof b));
      return -1;
    }
    u->dist = k;
  }
  join(sub, path, "range");
  if (!rng) {
    err(c, map, sub, "expected [lo, hi] (required with dist), found nothing");
    return -1;
  }
  if (!want(c, rng, sub, N_SEQ)) return -1;
  if (rng->n != 2) {
    err(c, rng, sub, "expected [lo, hi] (two numbers), found %d item%s", rng->n,
        rng->n == 1 ? "" : "s");
    return -1;
  }
  char item[LD_PATH + 8];
  snprintf(item, sizeof item, "%s[0]", sub);
  int bad = check_number(c, rng->kid[0], item, d->min, d->max, d->type == LG_INT, &u->lo) != 0;
  snprintf(item, sizeof item, "%s[1]", sub);
  bad |= check_number(c, rng->kid[1], item, d->min, d->max, d->type == LG_INT, &u->hi) != 0;
  if (bad) return -1;
  if (u->lo > u->hi) {
    err(c, rng, sub, "expected lo <= hi, found [%.15g, %.15g]", u->lo, u->hi);
    return -1;
  }
  if (value < u->lo || value > u->hi) {
    err(c, rng, sub, "expected a range holding the value %.15g, found [%.15g, %.15g]", value,
        u->lo, u->hi);
    return -1;
  }
  if (u->dist == SC_DIST_LOGUNIFORM && !(u->lo > 0)) {
    err(c, rng, sub, "expected lo > 0 for dist loguniform, found %.15g", u->lo);
    return -1;
  }
  return 0;
}

/* The citation of a value given without a source: a name is just set; a
 * number is the file author's assumption. */
static void default_source(const ctx *c, int i, char *src, size_t n) {
  const lg_param_desc *d = lg_param_key(i, NULL, NULL, 0);
  snprintf(src, n, "%s (set in %.150s)", d->type == LG_STRING ? "named" : "assumption", c->file);
}

/* Parameter i written at v, plain or as {value, source, range, dist,
 * alternatives}.  A value without a range drops an inherited range. */
static void set_param(ctx *c, node *v, const char *path, int i) {
  static const char *const names[] = {"value", "source", "range", "dist", "alternatives"};
  node *vals[5], *keys[5];
  char sub[LD_PATH], src[LG_SOURCE_MAX];
  const node *at = v;
  sc_unc unc;
  memset(&unc, 0, sizeof unc);
  if (!usable(c, v, path)) return;
  if (v->kind == N_MAP) {
    fields(c, v, path, names, 5, vals, keys);
    int ok = 1;
    if (vals[1]) {
      join(sub, path, "source");
      ok = get_string(c, vals[1], sub, "a citation", LG_SOURCE_MAX - 1, src, sizeof src) == 0;
    }
    join(sub, path, "value");
    if (!vals[0]) {
      const lg_param_desc *d = lg_param_key(i, NULL, NULL, 0);
      char w[160];
      expectation(d, w, sizeof w);
      err(c, v, sub, "expected %s (required), found nothing", w);
      return;
    }
    if (set_scalar(c, vals[0], sub, i) != 0 || !ok) return;
    if (get_range(c, v, vals[2], vals[3], vals[4], path, i, &unc) != 0) return;
    at = vals[0];
    if (!vals[1]) default_source(c, i, src, sizeof src);
  } else {
    if (set_scalar(c, v, path, i) != 0) return;
    default_source(c, i, src, sizeof src);
  }
  if (i < SC_MAX_KEYS) {
    if (sc_set_source(c->sh->tmp, i, src) != 0) oom(c);
    c->sh->tmp->unc[i] = unc;
  }
  mark(c, c->sh->keys[i], NULL, at);
}

/* ------------------------------------------------------------------ posts */

static void set_posts(ctx *c, node *v, const char *path, int side) {
  static const char *const names[] = {"name", "reach", "open"};
  lg_mission *m = &c->sh->tmp->p.ms[side];
  lg_post posts[LG_MAX_POSTS];
  const node *name_at[LG_MAX_POSTS];
  char item[LD_PATH], sub[LD_PATH];
  if (!want(c, v, path, N_SEQ)) return;
  if (v->n > LG_MAX_POSTS) {
    err(c, v->kid[LG_MAX_POSTS], path, "expected at most %d posts, found %d", LG_MAX_POSTS, v->n);
  }
  int np = 0;
  for (int j = 0; j < v->n && j < LG_MAX_POSTS; j++) {
    node *it = v->kid[j], *vals[3], *keys[3];
    snprintf(item, sizeof item, "%s[%d]", path, j);
    if (!want(c, it, item, N_MAP)) continue;
    fields(c, it, item, names, 3, vals, keys);
    lg_post p = {.reach = 1.0, .open = 1};
    join(sub, item, "name");
    if (!vals[0]) {
      err(c, it, sub, "expected a name of 1 to %d bytes (required), found nothing",
          LG_NAME_MAX - 1);
    } else if (get_string(c, vals[0], sub, "a name", LG_NAME_MAX - 1, p.name, sizeof p.name) == 0) {
      for (int q = 0; q < np; q++)
        if (strcmp(posts[q].name, p.name) == 0) {
          char b[100];
          err(c, vals[0], sub, "expected a post name not used before, found %s (first at line %d)",
              quote(p.name, strlen(p.name), b, sizeof b), name_at[q]->line);
          break;
        }
    }
    if (vals[1]) {
      join(sub, item, "reach");
      check_number(c, vals[1], sub, 0, 3, 0, &p.reach);
    }
    if (vals[2]) {
      join(sub, item, "open");
      get_bool(c, vals[2], sub, &p.open);
    }
    name_at[np] = vals[0] ? vals[0] : it;
    posts[np++] = p;
  }
  m->n_posts = np;
  memcpy(m->posts, posts, (size_t)np * sizeof *posts);
  mark(c, path, NULL, v);
}

/* ------------------------------------------------------------------- deal */

/* Range of a deal step's value by action: integer actions, fractions, or
 * any finite number. */
static void value_range(int action, double *min, double *max, int *is_int) {
  *min = -1e300, *max = 1e300, *is_int = 0;
  switch (action) {
  case LG_ACT_CAP:
  case LG_ACT_READMIT:
  case LG_ACT_EXPEL:
  case LG_ACT_CI: *min = 0, *max = 1000000, *is_int = 1; break;
  case LG_ACT_LOCAL_STAFF: *min = 0, *max = 100000, *is_int = 1; break;
  case LG_ACT_TRAVEL:
  case LG_ACT_OPERATIONS:
  case LG_ACT_VETTING: *min = 0, *max = 1; break;
  default: break;
  }
}

static void set_deal(ctx *c, node *v, const char *list, int replace) {
  static const char *const names[] = {"month", "action", "target", "value", "when", "post", "source"};
  static const char *const wnames[] = {"relations", "progress"};
  lg_params *p = &c->sh->tmp->p;
  char item[LD_PATH], sub[LD_PATH], b[100], acts[300] = "";
  if (!want(c, v, list, N_SEQ)) return;
  if (replace) p->n_deal = 0;
  for (int a = 0; a < LG_ACT_COUNT; a++) {
    size_t l = strlen(acts);
    snprintf(acts + l, sizeof acts - l, "%s%s", a ? "|" : "", lg_action_name(a));
  }
  /* targets: a, b, both, or a state's name or short name */
  const char *nm[4];
  char targets[4 * LG_NAME_MAX + 16] = "a|b|both";
  sc_side_names(p, nm);
  for (int k = 0; k < 4; k++)
    if (nm[k] && *nm[k] && sc_side_word(nm, nm[k], strlen(nm[k])) == k / 2 &&
        !(strlen(nm[k]) == 1 && (tolower((unsigned char)nm[k][0]) == 'a' ||
                                 tolower((unsigned char)nm[k][0]) == 'b'))) {
      size_t l = strlen(targets);
      snprintf(targets + l, sizeof targets - l, "|%s", nm[k]);
    }
  int full_reported = 0;
  for (int j = 0; j < v->n; j++) {
    node *it = v->kid[j], *vals[7], *keys[7];
    snprintf(item, sizeof item, "%s[%d]", list, j);
    if (!want(c, it, item, N_MAP)) continue;
    fields(c, it, item, names, 7, vals, keys);
    lg_deal_step s;
    memset(&s, 0, sizeof s);
    s.action = -1, s.target = -1, s.r_min = -1, s.p_min = 0;
    double x;
    join(sub, item, "month");
    if (!vals[0])
      err(c, it, sub, "expected an integer in [1, %d] (required), found nothing", LD_MONTH_MAX);
    else if (check_number(c, vals[0], sub, 1, LD_MONTH_MAX, 1, &x) == 0)
      s.month = (int)x;
    join(sub, item, "action");
    if (!vals[1]) {
      err(c, it, sub, "expected one of %s (required), found nothing", acts);
    } else if (usable(c, vals[1], sub)) {
      if (vals[1]->kind == N_SCALAR && !is_null(vals[1]) && !has_ctrl(vals[1], 0))
        s.action = lg_action_find(vals[1]->text);
      if (s.action < 0) err(c, vals[1], sub, "expected one of %s, found %s", acts, found(vals[1], b, sizeof b));
    }
    join(sub, item, "target");
    if (!vals[2]) {
      err(c, it, sub, "expected one of %s (required), found nothing", targets);
    } else if (usable(c, vals[2], sub)) {
      const node *t = vals[2];
      if (t->kind == N_SCALAR && !has_ctrl(t, 0) && strlen(t->text) == t->len)
        s.target = strcmp(t->text, "both") == 0 ? 2 : sc_side_word(nm, t->text, t->len);
      if (s.target < 0) err(c, t, sub, "expected one of %s, found %s", targets, found(t, b, sizeof b));
    }
    if (vals[3]) {
      join(sub, item, "value");
      if (s.action >= 0) {
        double lo, hi;
        int is_int;
        value_range(s.action, &lo, &hi, &is_int);
        if (hi < 1e300) check_number(c, vals[3], sub, lo, hi, is_int, &s.value);
        else if (usable(c, vals[3], sub)) {
          /* any finite number: reuse the check with an unprinted range */
          const node *vn = vals[3];
          char *end = NULL;
          double val = 0;
          if (vn->kind == N_SCALAR && vn->plain && is_decimal(vn->text, vn->len)) {
            errno = 0;
            val = strtod(vn->text, &end);
          }
          if (!end || *end || errno == ERANGE || !isfinite(val))
            err(c, vn, sub, "expected a number, found %s", found(vn, b, sizeof b));
          else
            s.value = val;
        }
      }
    }
    if (vals[4]) {
      join(sub, item, "when");
      if (want(c, vals[4], sub, N_MAP)) {
        node *wv[2], *wk[2];
        char wsub[LD_PATH];
        fields(c, vals[4], sub, wnames, 2, wv, wk);
        join(wsub, sub, "relations");
        if (wv[0]) check_number(c, wv[0], wsub, -1, 1, 0, &s.r_min);
        join(wsub, sub, "progress");
        if (wv[1]) check_number(c, wv[1], wsub, 0, 1, 0, &s.p_min);
      }
    }
    join(sub, item, "post");
    int wants_post = s.action == LG_ACT_OPEN_POST || s.action == LG_ACT_CLOSE_POST;
    if (vals[5]) {
      if (get_string(c, vals[5], sub, "a post name", LG_NAME_MAX - 1, s.post, sizeof s.post) == 0 &&
          s.action >= 0 && !wants_post) {
        err(c, vals[5], sub, "expected no post for action %s (only open_post and close_post name one), found %s",
            lg_action_name(s.action), found(vals[5], b, sizeof b));
        s.post[0] = 0;
      }
    } else if (wants_post) {
      err(c, it, sub, "expected a post name for action %s (required), found nothing",
          lg_action_name(s.action));
    }
    if (vals[6]) {
      join(sub, item, "source");
      get_string(c, vals[6], sub, "a citation", LG_SOURCE_MAX - 1, s.source, sizeof s.source);
    }
    if (p->n_deal >= LG_MAX_DEAL) {
      if (!full_reported)
        err(c, it, item, "expected at most %d deal steps in all, found more", LG_MAX_DEAL);
      full_reported = 1;
      continue;
    }
    if (s.action < 0) s.action = 0;
    if (s.target < 0) s.target = 0;
    if (wants_post && s.post[0]) {
      char key[64];
      snprintf(key, sizeof key, "deal[%d].post", p->n_deal);
      mark(c, key, sub, vals[5]);
    }
    p->deal[p->n_deal++] = s;
  }
}

/* ------------------------------------------------------------- reading */

/* Read a regular file of at most LD_MAX_BYTES.  Returns 0, or -1 with
 * *errnum set (errno value, or -2 too large, -3 not a regular file, -4 out of
 * memory).  *st gets the file's identity. */
static int read_file(const char *path, char **out, size_t *len, struct stat *st, int *errnum,
                     long long *size) {
  *out = NULL;
  *len = 0;
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return *errnum = errno, -1;
  if (fstat(fd, st) != 0) {
    *errnum = errno;
    close(fd);
    return -1;
  }
  if (!S_ISREG(st->st_mode)) {
    close(fd);
    return *errnum = -3, -1;
  }
  *size = (long long)st->st_size;
  if (st->st_size > LD_MAX_BYTES) {
    close(fd);
    return *errnum = -2, -1;
  }
  size_t cap = (size_t)st->st_size + 1, n = 0;
  char *buf = malloc(cap + 1);
  if (!buf) {
    close(fd);
    return *errnum = -4, -1;
  }
  for (;;) {
    if (n == cap) { /* files that grow, or /proc files of size 0 */
      if (cap > LD_MAX_BYTES) {
        free(buf);
        close(fd);
        *size = -1;
        return *errnum = -2, -1;
      }
      size_t ncap = cap * 2 > LD_MAX_BYTES + 1 ? LD_MAX_BYTES + 1 : cap * 2;
      if (ncap <= cap) ncap = cap + 1;
      char *nb = realloc(buf, ncap + 1);
      if (!nb) {
        free(buf);
        close(fd);
        return *errnum = -4, -1;
      }
      buf = nb;
      cap = ncap;
    }
    ssize_t r = read(fd, buf + n, cap - n);
    if (r < 0) {
      if (errno == EINTR) continue;
      *errnum = errno;
      free(buf);
      close(fd);
      return -1;
    }
    if (r == 0) break;
    n += (size_t)r;
  }
  close(fd);
  if (n > LD_MAX_BYTES) {
    free(buf);
    *size = -1;
    return *errnum = -2, -1;
  }
  buf[n] = 0;
  *out = buf;
  *len = n;
  return 0;
}

static const char *read_error(int errnum, long long size, char *buf, size_t bufsz) {
  if (errnum == -2) {
    if (size >= 0)
      snprintf(buf, bufsz, "expected at most %d bytes (1 MiB), found %lld bytes", LD_MAX_BYTES, size);
    else
      snprintf(buf, bufsz, "expected at most %d bytes (1 MiB), found more", LD_MAX_BYTES);
  } else if (errnum == -3) {
    snprintf(buf, bufsz, "cannot read: not a regular file");
  } else {
    snprintf(buf, bufsz, "cannot read: %s", strerror(errnum));
  }
  return buf;
}

/* ----------------------------------------------------------- YAML to tree */

/* Report libyaml's error with its own position and text. */
static void syntax(ctx *c, yaml_parser_t *ps) {
  if (ps->error == YAML_MEMORY_ERROR) { oom(c); return; }
  int line = (int)ps->problem_mark.line + 1, col = (int)ps->problem_mark.column + 1;
  const char *problem = ps->problem ? ps->problem : "unknown problem";
  if (ps->error == YAML_READER_ERROR) {
    size_t off = ps->problem_offset < c->len ? ps->problem_offset : c->len;
    line = 1, col = 1;
    for (size_t i = 0; i < off; i++) {
      if (c->text[i] == '\n') line++, col = 1;
      else col++;
    }
    if (ps->problem_value >= 0)
      err_at(c, LEGATION_EPARSE, line, col, NULL, "syntax error: %s (byte 0x%02x)", problem,
             (unsigned)ps->problem_value & 0xffu);
    else
      err_at(c, LEGATION_EPARSE, line, col, NULL, "syntax error: %s", problem);
  } else if (ps->context) {
    err_at(c, LEGATION_EPARSE, line, col, NULL, "syntax error: %s (%s at %d:%d)", problem,
           ps->context, (int)ps->context_mark.line + 1, (int)ps->context_mark.column + 1);
  } else {
    err_at(c, LEGATION_EPARSE, line, col, NULL, "syntax error: %s", problem);
  }
}

static int add_kid(node *n, node *k) {
  if (n->n == n->cap) {
    int cap = n->cap ? 2 * n->cap : 4;
    node **kid = realloc(n->kid, (size_t)cap * sizeof *kid);
    if (!kid) return -1;
    n->kid = kid;
    n->cap = cap;
  }
  n->kid[n->n++] = k;
  return 0;
}

/* Build the node starting with event *ev (consumed), reading the rest of a
 * collection from ps.  0, or -1 after a syntax error or OOM (reported). */
static int build(ctx *c, yaml_parser_t *ps, yaml_event_t *ev, int depth, node **out) {
  *out = NULL;
  node *n = calloc(1, sizeof *n);
  if (!n) {
    yaml_event_delete(ev);
    return oom(c), -1;
  }
  n->line = (int)ev->start_mark.line + 1;
  n->col = (int)ev->start_mark.column + 1;
  const yaml_char_t *anchor = NULL, *tag = NULL;
  yaml_event_type_t end = YAML_NO_EVENT;
  int fail = 0;
  switch (ev->type) {
  case YAML_ALIAS_EVENT:
    n->kind = N_ALIAS;
    fail = !(n->text = dupn((const char *)ev->data.alias.anchor, strlen((const char *)ev->data.alias.anchor)));
    break;
  case YAML_SCALAR_EVENT:
    n->kind = N_SCALAR;
    n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    n->len = ev->data.scalar.length;
    fail = !(n->text = dupn((const char *)ev->data.scalar.value, n->len));
    anchor = ev->data.scalar.anchor, tag = ev->data.scalar.tag;
    break;
  case YAML_SEQUENCE_START_EVENT:
    n->kind = N_SEQ, end = YAML_SEQUENCE_END_EVENT;
    anchor = ev->data.sequence_start.anchor, tag = ev->data.sequence_start.tag;
    break;
  case YAML_MAPPING_START_EVENT:
    n->kind = N_MAP, end = YAML_MAPPING_END_EVENT;
    anchor = ev->data.mapping_start.anchor, tag = ev->data.mapping_start.tag;
    break;
  default: /* cannot happen inside a document */
    n->kind = N_ALIAS;
    fail = !(n->text = dupn("?", 1));
    break;
  }
  if (anchor && !(n->anchor = dupn((const char *)anchor, strlen((const char *)anchor)))) fail = 1;
  if (tag && !(n->tag = dupn((const char *)tag, strlen((const char *)tag)))) fail = 1;
  yaml_event_delete(ev);
  if (fail) {
    node_free(n);
    return oom(c), -1;
  }
  if (end == YAML_NO_EVENT) return *out = n, 0;
  if (depth > LD_MAX_DEPTH) {
    /* stop here: libyaml 0.2.5 spends time linear in the flow depth on every
     * token, so reading on through deep nesting is quadratic */
    err_at(c, LEGATION_EPARSE, n->line, n->col, NULL,
           "expected at most %d levels of nesting, found more", LD_MAX_DEPTH);
    node_free(n);
    return -1;
  }
  for (;;) {
    yaml_event_t e;
    node *k;
    if (!yaml_parser_parse(ps, &e)) {
      syntax(c, ps);
      node_free(n);
      return -1;
    }
    if (e.type == end) {
      yaml_event_delete(&e);
      break;
    }
    if (build(c, ps, &e, depth + 1, &k) != 0) {
      node_free(n);
      return -1;
    }
    if (add_kid(n, k) != 0) {
      node_free(k);
      node_free(n);
      return oom(c), -1;
    }
  }
  return *out = n, 0;
}

/* Parse the text into a tree.  *root is NULL for an empty stream.  Returns
 * 0, or -1 after a syntax error or OOM (no tree). */
static int parse(ctx *c, node **root) {
  yaml_parser_t ps;
  yaml_event_t ev;
  int rc = -1;
  *root = NULL;
  if (!yaml_parser_initialize(&ps)) return oom(c), -1;
  yaml_parser_set_input_string(&ps, (const unsigned char *)c->text, c->len);
  if (!yaml_parser_parse(&ps, &ev)) goto syn; /* STREAM-START */
  yaml_event_delete(&ev);
  if (!yaml_parser_parse(&ps, &ev)) goto syn;
  if (ev.type == YAML_STREAM_END_EVENT) {
    yaml_event_delete(&ev);
    rc = 0;
    goto done;
  }
  yaml_event_delete(&ev); /* DOCUMENT-START */
  if (!yaml_parser_parse(&ps, &ev)) goto syn;
  if (build(c, &ps, &ev, 1, root) != 0) goto done;
  if (!yaml_parser_parse(&ps, &ev)) goto syn; /* DOCUMENT-END */
  yaml_event_delete(&ev);
  if (!yaml_parser_parse(&ps, &ev)) goto syn;
  if (ev.type == YAML_DOCUMENT_START_EVENT)
    err_at(c, LEGATION_ESCHEMA, (int)ev.start_mark.line + 1, (int)ev.start_mark.column + 1, NULL,
           "expected one YAML document, found a second one");
  yaml_event_delete(&ev);
  rc = 0;
  goto done;
syn:
  syntax(c, &ps);
done:
  if (rc != 0) {
    node_free(*root);
    *root = NULL;
  }
  yaml_parser_delete(&ps);
  return rc;
}

/* ---------------------------------------------------------------- a file */

static int load_text(shared *sh, const char *text, size_t len, const char *file, const char *dir,
                     int builtin_only, int top, char *name_out);

static void check_cb(void *user, const char *key, const char *msg) {
  ctx *c = user;
  for (int i = c->nmarks - 1; i >= 0; i--)
    if (strcmp(c->marks[i].key, key) == 0) {
      err_at(c, LEGATION_ESCHEMA, c->marks[i].line, c->marks[i].col, c->marks[i].disp, "%s", msg);
      return;
    }
  err_at(c, LEGATION_ESCHEMA, 1, 1, key, "%s", msg);
}

/* Directory part of path ("." if none), malloc'd. */
static char *dir_of(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash) return dupn(".", 1);
  if (slash == path) return dupn("/", 1);
  return dupn(path, (size_t)(slash - path));
}

/* Load the scenario named by the `base:` value v before this file. */
static void load_base(ctx *c, node *v) {
  shared *sh = c->sh;
  char name[4096], b[100];
  c->has_base = 1;
  if (get_string(c, v, "base", "a scenario name or path", sizeof name - 1, name, sizeof name) != 0)
    return;
  if (sh->nchain > LD_MAX_BASE) {
    err(c, v, "base", "expected at most %d levels of base scenarios, found more", LD_MAX_BASE);
    return;
  }
  chainlink *l = &sh->chain[sh->nchain];
  memset(l, 0, sizeof *l);
  const char *btext = legation_builtin_text(name);
  size_t blen = btext ? strlen(btext) : 0;
  if (sh->vfs) {
    /* stored files only: a built-in base as it was when the run was stored */
    char key[80];
    snprintf(key, sizeof key, "builtin:%.63s", name);
    const legation_scenario_file *f = strlen(name) < 64 ? vfs_find(sh, key, NULL) : NULL;
    btext = f ? f->text : NULL;
    blen = f ? f->len : 0;
  }
  if (btext) {
    l->kind = 2;
    snprintf(l->name, sizeof l->name, "%.63s", name);
    for (int i = 0; i < sh->nchain; i++)
      if (sh->chain[i].kind == 2 && strcmp(sh->chain[i].name, name) == 0) {
        err(c, v, "base", "expected a scenario that is not its own base, found a cycle through %s",
            quote(name, strlen(name), b, sizeof b));
        return;
      }
    char file[80];
    snprintf(file, sizeof file, "builtin:%s", l->name);
    sh->nchain++;
    load_text(sh, btext, blen, file, NULL, 1, 0, NULL);
    sh->nchain--;
    return;
  }
  if (c->builtin_only) {
    err_at(c, LEGATION_ENOTFOUND, v->line, v->col, "base",
           "expected the name of a built-in scenario, found %s", quote(name, strlen(name), b, sizeof b));
    return;
  }
  char *path = NULL;
  if (name[0] == '/' || !c->dir) {
    path = dupn(name, strlen(name));
  } else {
    size_t dl = strlen(c->dir), nl = strlen(name);
    if ((path = malloc(dl + nl + 2))) {
      memcpy(path, c->dir, dl);
      path[dl] = '/';
      memcpy(path + dl + 1, name, nl + 1);
    }
  }
  if (!path) { oom(c); return; }
  char *text = NULL;
  size_t len;
  struct stat st;
  int e = 0;
  long long size = 0;
  if (sh->vfs) {
    /* stored files only: the base as it was, whatever the disk holds now;
     * identity for cycles: the file's index */
    int at = -1;
    const legation_scenario_file *f = vfs_find(sh, path, &at);
    if (f && (text = malloc(f->len + 1))) {
      memcpy(text, f->text, f->len);
      text[f->len] = 0;
      len = f->len;
      memset(&st, 0, sizeof st);
      st.st_dev = (dev_t)-1;
      st.st_ino = (ino_t)(at + 1);
    } else {
      e = f ? -4 : ENOENT;
    }
  }
  if (text) {
    /* read from the stored files above */
  } else if (sh->vfs || read_file(path, &text, &len, &st, &e, &size) != 0) {
    char m[200];
    if (e == -4) oom(c);
    else if (sh->vfs)
      err_at(c, LEGATION_ENOTFOUND, v->line, v->col, "base",
             "expected a base among the stored files, found %s (%.100s was not stored)",
             quote(name, strlen(name), b, sizeof b), path);
    else if (e == ENOENT || e == ENOTDIR)
      err_at(c, LEGATION_ENOTFOUND, v->line, v->col, "base",
             "expected a built-in scenario or a file, found %s (no file %.100s)",
             quote(name, strlen(name), b, sizeof b), path);
    else
      err_at(c, e == -2 ? LEGATION_EPARSE : LEGATION_EIO, v->line, v->col, "base", "%.100s: %s",
             path, read_error(e, size, m, sizeof m));
    free(path);
    return;
  }
  for (int i = 0; i < sh->nchain; i++)
    if (sh->chain[i].kind == 1 && sh->chain[i].dev == st.st_dev && sh->chain[i].ino == st.st_ino) {
      err(c, v, "base", "expected a scenario that is not its own base, found a cycle through %s",
          quote(name, strlen(name), b, sizeof b));
      free(text);
      free(path);
      return;
    }
  char *dir = dir_of(path);
  if (!dir) {
    free(text);
    free(path);
    { oom(c); return; }
  }
  l->kind = 1, l->dev = st.st_dev, l->ino = st.st_ino;
  sh->nchain++;
  load_text(sh, text, len, path, dir, 0, 0, NULL);
  sh->nchain--;
  free(dir);
  free(text);
  free(path);
}

/* Walk a parameter mapping below `prefix` (a table key prefix). */
static void walk_prefix(ctx *c, node *m, const char *prefix);

static void dispatch(ctx *c, node *v, const char *full) {
  int i = -1;
  for (int k = 0; k < c->sh->nkeys && i < 0; k++)
    if (strcmp(c->sh->keys[k], full) == 0) i = k;
  /* a name that is present but wrong is reported once, not also as missing */
  if (strcmp(full, "states.a.name") == 0) c->name_set[0] = 1;
  if (strcmp(full, "states.b.name") == 0) c->name_set[1] = 1;
  if (i >= 0) set_param(c, v, full, i);
  else if (strcmp(full, "missions.a.posts") == 0) set_posts(c, v, full, 0);
  else if (strcmp(full, "missions.b.posts") == 0) set_posts(c, v, full, 1);
  else if (want(c, v, full, N_MAP)) walk_prefix(c, v, full);
}

/* Scalar text of key `key` in mapping m, or NULL. */
static const char *map_text(const node *m, const char *key) {
  if (!m || m->kind != N_MAP) return NULL;
  for (int i = 0; i + 1 < m->n; i += 2) {
    const node *k = m->kid[i], *v = m->kid[i + 1];
    if (k->kind == N_SCALAR && strcmp(k->text, key) == 0)
      return v->kind == N_SCALAR && !is_null(v) ? v->text : NULL;
  }
  return NULL;
}

/* States by name: in the `states` or `missions` mapping m, rewrite each key
 * that is a state's name or short name (any case) to its letter, so the rest
 * of the loader sees a and b only.  The names are those loaded so far (the
 * base's), overlaid for `states` by names this mapping declares under a and
 * b.  Adds to names[2..n) the names in lower case, for "did you mean" and
 * the list of expected keys; returns the new n. */
static int resolve_sides(ctx *c, node *m, int states, char low[4][LG_NAME_MAX],
                         const char **names, int n) {
  const char *nm[4];
  sc_side_names(&c->sh->tmp->p, nm);
  if (states)
    for (int i = 0; i + 1 < m->n; i += 2) {
      const node *k = m->kid[i];
      if (k->kind != N_SCALAR || k->len != 1 || (k->text[0] != 'a' && k->text[0] != 'b')) continue;
      int s = k->text[0] - 'a';
      const char *t = map_text(m->kid[i + 1], "name");
      if (t) nm[2 * s] = t;
      if ((t = map_text(m->kid[i + 1], "short"))) nm[2 * s + 1] = t;
    }
  const node *seen[2] = {NULL, NULL};
  int literal[2] = {0, 0};
  for (int i = 0; i + 1 < m->n; i += 2) {
    node *k = m->kid[i];
    if (k->kind != N_SCALAR || is_null(k) || strlen(k->text) != k->len) continue;
    int lit = k->len == 1 && (k->text[0] == 'a' || k->text[0] == 'b');
    int s = lit ? k->text[0] - 'a' : sc_side_word(nm, k->text, k->len);
    if (s < 0) continue;
    if (seen[s] && !(lit && literal[s])) {
      /* one state written under two words: refuse the second, once */
      char b[100], sub[LD_PATH];
      join(sub, states ? "states" : "missions", k->text);
      err(c, k, sub, "expected each state once, found %s naming %c again (first at line %d)",
          quote(k->text, k->len, b, sizeof b), 'a' + s, seen[s]->line);
      node_free(m->kid[i]);
      node_free(m->kid[i + 1]);
      memmove(&m->kid[i], &m->kid[i + 2], (size_t)(m->n - i - 2) * sizeof *m->kid);
      m->n -= 2, i -= 2;
      continue;
    }
    if (!seen[s]) seen[s] = k, literal[s] = lit;
    if (lit) continue;
    char *t = dupn(s ? "b" : "a", 1);
    if (!t) { oom(c); return n; }
    free(k->text);
    k->text = t, k->len = 1;
  }
  for (int j = 0; j < 4; j++) {
    if (!nm[j] || !*nm[j] || strlen(nm[j]) >= LG_NAME_MAX) continue;
    snprintf(low[j], LG_NAME_MAX, "%s", nm[j]);
    for (char *q = low[j]; *q; q++) *q = (char)tolower((unsigned char)*q);
    int dup = 0;
    for (int k = 0; k < n && !dup; k++) dup = strcmp(names[k], low[j]) == 0;
    if (!dup) names[n++] = low[j];
  }
  return n;
}

static void walk_prefix(ctx *c, node *m, const char *prefix) {
  char cand[LD_MAX_CAND][48], full[LD_PATH], low[4][LG_NAME_MAX];
  const char *names[LD_MAX_CAND] = {0};
  node *vals[LD_MAX_CAND], *keys[LD_MAX_CAND];
  int n = children(c->sh, prefix, cand, LD_MAX_CAND - 5);
  if (strcmp(prefix, "missions.a") == 0 || strcmp(prefix, "missions.b") == 0)
    snprintf(cand[n++], 48, "posts");
  for (int k = 0; k < n; k++) names[k] = cand[k];
  int nwalk = n;
  if (strcmp(prefix, "states") == 0 || strcmp(prefix, "missions") == 0)
    n = resolve_sides(c, m, prefix[0] == 's', low, names, n);
  fields(c, m, prefix, names, n, vals, keys);
  for (int k = 0; k < nwalk; k++)
    if (vals[k]) {
      join(full, prefix, names[k]);
      dispatch(c, vals[k], full);
    }
}

/* The root mapping: specials, then the parameter keys. */
static void walk_root(ctx *c, node *root) {
  static const char *const special[] = {"name", "title", "description", "base", "deal", "deal_add"};
  enum { NSPECIAL = 6 };
  char cand[LD_MAX_CAND][48];
  const char *names[LD_MAX_CAND] = {0};
  node *vals[LD_MAX_CAND], *keys[LD_MAX_CAND];
  int n = 0;
  for (int k = 0; k < NSPECIAL; k++) names[n++] = special[k];
  int np = children(c->sh, "", cand, LD_MAX_CAND - NSPECIAL);
  for (int k = 0; k < np; k++) names[n++] = cand[k];
  fields(c, root, "", names, n, vals, keys);
  if (vals[3]) load_base(c, vals[3]); /* before anything else */
  if (vals[0]) get_string(c, vals[0], "name", "a name", sizeof c->name - 1, c->name, sizeof c->name);
  if (vals[1]) {
    char title[sizeof c->sh->tmp->title];
    if (get_string(c, vals[1], "title", "a title", sizeof title - 1, title, sizeof title) == 0)
      memcpy(c->sh->tmp->title, title, sizeof title);
  }
  if (vals[2]) {
    node *d = vals[2];
    char b[100];
    if (usable(c, d, "description")) {
      if (d->kind != N_SCALAR || is_null(d))
        err(c, d, "description", "expected text, found %s", found(d, b, sizeof b));
      else if (has_ctrl(d, 1))
        err(c, d, "description", "expected text without control characters, found %s",
            found(d, b, sizeof b));
      else {
        char *t = dupn(d->text, d->len);
        if (!t) { oom(c); return; }
        free(c->sh->tmp->description);
        c->sh->tmp->description = t;
      }
    }
  }
  for (int k = NSPECIAL; k < n; k++)
    if (vals[k]) dispatch(c, vals[k], names[k]);
  if (vals[4]) set_deal(c, vals[4], "deal", 1);
  if (vals[5]) set_deal(c, vals[5], "deal_add", 0);
}

/* Load one file's text into sh->tmp (its base first).  top: the file the
 * caller named; runs the cross-field checks and returns its explicit name
 * in name_out. */
static int not_utf8(ctx *c, const char *text, size_t len); /* at the end */

static int load_text(shared *sh, const char *text, size_t len, const char *file, const char *dir,
                     int builtin_only, int top, char *name_out) {
  ctx c;
  memset(&c, 0, sizeof c);
  c.sh = sh, c.file = file, c.dir = dir, c.builtin_only = builtin_only, c.text = text, c.len = len;
  int before = sh->status;
  sh->status = LEGATION_OK;
  if (len <= LD_MAX_BYTES && record(sh, file, text, len) != 0) oom(&c);
  node *root = NULL;
  if (len > LD_MAX_BYTES) {
    err_at(&c, LEGATION_EPARSE, 0, 0, NULL, "expected at most %d bytes (1 MiB), found %zu bytes",
           LD_MAX_BYTES, len);
  } else if (not_utf8(&c, text, len)) {
    /* refused: the message is collected */
  } else if (parse(&c, &root) == 0 && sh->status != LEGATION_ENOMEM) {
    int walked = 1;
    if (!root || is_null(root)) {
      node empty = {.kind = N_MAP, .line = 1, .col = 1};
      walk_root(&c, &empty);
    } else if (want(&c, root, "", N_MAP)) {
      walk_root(&c, root);
    } else {
      walked = 0;
    }
    if (walked && !c.has_base)
      for (int s = 0; s < 2; s++)
        if (!c.name_set[s]) {
          char key[32];
          snprintf(key, sizeof key, "states.%c.name", 'a' + s);
          err_at(&c, LEGATION_ESCHEMA, 1, 1, key,
                 "expected a name of 1 to %d bytes (required without base), found nothing",
                 LG_NAME_MAX - 1);
        }
    if (top && sh->status == LEGATION_OK) lg_params_check(&sh->tmp->p, check_cb, &c);
  }
  node_free(root);
  if (top && name_out) memcpy(name_out, c.name, sizeof c.name);
  if (top) sh->top_has_base = c.has_base;
  emit(&c);
  ctx_free(&c);
  int st = sh->status;
  set_status(sh, before);
  return st;
}

/* ----------------------------------------------------------- public API */

/* The scenario's default name: the file's base name without extension. */
static void stem(const char *path, char *out, size_t outsz) {
  const char *b = strrchr(path, '/');
  b = b ? b + 1 : path;
  const char *dot = strrchr(b, '.');
  size_t n = dot && dot != b ? (size_t)(dot - b) : strlen(b);
  if (n >= outsz) n = outsz - 1;
  memcpy(out, b, n);
  out[n] = 0;
}

/* Common driver: load into a copy of sc; copy back on success. */
static legation_status load(legation_scenario *sc, const char *text, size_t len, const char *file,
                            const char *dir, int builtin_only, const chainlink *self,
                            const char *default_name, const legation_scenario_file *vfs,
                            int nvfs) {
  shared sh;
  memset(&sh, 0, sizeof sh);
  sh.sc = sc;
  sh.vfs = vfs, sh.nvfs = nvfs;
  if (self) sh.chain[sh.nchain++] = *self;
  else sh.nchain++; /* a string: never matches */
  sh.nkeys = lg_param_nkeys();
  if (!(sh.keys = malloc((size_t)sh.nkeys * sizeof *sh.keys))) return LEGATION_ENOMEM;
  for (int i = 0; i < sh.nkeys; i++) sh.keys[i] = lg_param_fullkey(i);
  if (!(sh.tmp = legation_scenario_new()) || sc_copy(sh.tmp, sc) != 0) {
    legation_scenario_free(sh.tmp);
    free(sh.keys);
    return LEGATION_ENOMEM;
  }
  char name[64] = "";
  int st = load_text(&sh, text, len, file, dir, builtin_only, 1, name);
  if (sh.hidden) {
    char m[80];
    snprintf(m, sizeof m, "%d more problems not shown", sh.hidden);
    sc_error(sc, file, NULL, m);
  }
  if (st == LEGATION_OK) {
    snprintf(sh.tmp->name, sizeof sh.tmp->name, "%s", name[0] ? name : default_name);
    sh.tmp->has_base = sh.top_has_base;
    if (sc_set_files(sh.tmp, sh.rec, sh.nrec) != 0 || sc_copy(sc, sh.tmp) != 0)
      st = LEGATION_ENOMEM;
  }
  for (int i = 0; i < sh.nrec; i++) free(sh.rec[i].key), free(sh.rec[i].text);
  free(sh.rec);
  legation_scenario_free(sh.tmp);
  free(sh.keys);
  return (legation_status)st;
}

legation_status legation_scenario_load_string(legation_scenario *sc, const char *text,
                                              size_t len, const char *name) {
  if (!sc || (!text && len)) return LEGATION_EINVAL;
  sc_clear_errors(sc);
  return load(sc, text ? text : "", len, name ? name : "<string>", NULL, 0, NULL,
              name ? name : "", NULL, 0);
}

legation_status legation_scenario_load_builtin(legation_scenario *sc, const char *name) {
  if (!sc || !name) return LEGATION_EINVAL;
  sc_clear_errors(sc);
  const char *text = legation_builtin_text(name);
  char b[100];
  if (!text) {
    char m[200];
    snprintf(m, sizeof m, "expected the name of a built-in scenario, found %s",
             quote(name, strlen(name), b, sizeof b));
    for (char *p = m; *p; p++)
      if ((unsigned char)*p < 0x20) *p = '?';
    sc_error(sc, "builtin", NULL, m);
    return LEGATION_ENOTFOUND;
  }
  chainlink self;
  memset(&self, 0, sizeof self);
  self.kind = 2;
  snprintf(self.name, sizeof self.name, "%s", name);
  char file[80];
  snprintf(file, sizeof file, "builtin:%s", self.name);
  return load(sc, text, strlen(text), file, NULL, 1, &self, self.name, NULL, 0);
}

legation_status legation_scenario_load_file(legation_scenario *sc, const char *path) {
  if (!sc || !path) return LEGATION_EINVAL;
  sc_clear_errors(sc);
  char *text, m[200];
  size_t len;
  struct stat st;
  int e = 0;
  long long size = 0;
  if (read_file(path, &text, &len, &st, &e, &size) != 0) {
    if (e == -4) return LEGATION_ENOMEM;
    sc_error(sc, path, NULL, read_error(e, size, m, sizeof m));
    return e == -2 ? LEGATION_EPARSE : LEGATION_EIO;
  }
  char *dir = dir_of(path);
  if (!dir) {
    free(text);
    return LEGATION_ENOMEM;
  }
  chainlink self;
  memset(&self, 0, sizeof self);
  self.kind = 1, self.dev = st.st_dev, self.ino = st.st_ino;
  char name[64];
  stem(path, name, sizeof name);
  legation_status rc = load(sc, text, len, path, dir, 0, &self, name, NULL, 0);
  free(dir);
  free(text);
  return rc;
}

/* ------------------------------------------- encoding and --set (scenario.c) */

/* Refuse a text that is not UTF-8 (exit 3 with the reason).  libyaml would
 * convert UTF-16 with a byte order mark, but the text is stored as bytes and
 * everything else reads it as UTF-8: a UTF-16 scenario that validates
 * could not be resumed from the store.  NUL bytes (UTF-16 or UTF-32 without
 * a mark) are refused here too; invalid UTF-8 sequences are libyaml's to
 * report.  Returns 1 (message collected) if refused. */
static int not_utf8(ctx *c, const char *text, size_t len) {
  const unsigned char *u = (const unsigned char *)text;
  const char *enc = NULL;
  if (len >= 4 && u[0] == 0 && u[1] == 0 && u[2] == 0xfe && u[3] == 0xff) enc = "UTF-32BE";
  else if (len >= 4 && u[0] == 0xff && u[1] == 0xfe && u[2] == 0 && u[3] == 0) enc = "UTF-32LE";
  else if (len >= 2 && u[0] == 0xfe && u[1] == 0xff) enc = "UTF-16BE";
  else if (len >= 2 && u[0] == 0xff && u[1] == 0xfe) enc = "UTF-16LE";
  if (enc) {
    err_at(c, LEGATION_EPARSE, 1, 1, NULL,
           "expected UTF-8 text, found %s (byte order mark); convert the file to UTF-8", enc);
    return 1;
  }
  const char *nul = memchr(text, 0, len);
  if (nul) {
    int line = 1, col = 1;
    for (const char *p = text; p < nul; p++) {
      if (*p == '\n') line++, col = 1;
      else if (((unsigned char)*p & 0xc0) != 0x80) col++;
    }
    err_at(c, LEGATION_EPARSE, line, col, NULL,
           "expected UTF-8 text, found a NUL byte (a UTF-16 or UTF-32 file?); convert the file "
           "to UTF-8");
    return 1;
  }
  return 0;
}

/* Nonzero when s is well-formed UTF-8 (no overlong forms, surrogates or
 * code points above U+10FFFF). */
static int utf8_valid(const unsigned char *s, size_t n) {
  for (size_t i = 0; i < n;) {
    unsigned char b = s[i];
    size_t k = b < 0x80 ? 1 : (b & 0xe0) == 0xc0 ? 2 : (b & 0xf0) == 0xe0 ? 3 : (b & 0xf8) == 0xf0 ? 4 : 0;
    if (!k || i + k > n) return 0;
    uint32_t cp = k == 1 ? b : k == 2 ? (b & 0x1fu) : k == 3 ? (b & 0x0fu) : (b & 0x07u);
    for (size_t j = 1; j < k; j++) {
      if ((s[i + j] & 0xc0) != 0x80) return 0;
      cp = (cp << 6) | (s[i + j] & 0x3fu);
    }
    static const uint32_t least[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < least[k] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
    i += k;
  }
  return 1;
}

legation_status sc_set_scalar(legation_scenario *sc, int i, const char *key, const char *value) {
  shared sh;
  memset(&sh, 0, sizeof sh);
  sh.sc = sc;
  sh.tmp = sc; /* set_scalar changes parameter i only, and only when valid */
  ctx c;
  memset(&c, 0, sizeof c);
  c.sh = &sh;
  c.file = "--set";
  size_t len = strlen(value);
  node n;
  memset(&n, 0, sizeof n); /* line 0: messages say "--set: KEY: ..." */
  n.kind = N_SCALAR;
  n.plain = 1;
  n.text = (char *)value;
  n.len = len;
  int rc;
  size_t ctrl = 0;
  while (ctrl < len && (unsigned char)value[ctrl] >= 0x20 && value[ctrl] != 0x7f) ctrl++;
  if (ctrl < len) { /* a newline would also split the stored overrides */
    char b[100];
    err(&c, &n, key, "expected a value of one line without control characters, found %s",
        quote(value, len, b, sizeof b));
    rc = -1;
  } else if (!utf8_valid((const unsigned char *)value, len)) {
    err(&c, &n, key, "expected UTF-8 text, found bytes that are not UTF-8");
    rc = -1;
  } else {
    rc = set_scalar(&c, &n, key, i);
  }
  emit(&c);
  ctx_free(&c);
  if (rc == 0 && sh.status == LEGATION_OK) return LEGATION_OK;
  return sh.status != LEGATION_OK ? (legation_status)sh.status : LEGATION_ESCHEMA;
}

legation_status legation_scenario_load_files(legation_scenario *sc,
                                             const legation_scenario_file *files, int n) {
  if (!sc || !files || n < 1 || !files[0].key || (!files[0].text && files[0].len))
    return LEGATION_EINVAL;
  for (int i = 0; i < n; i++)
    if (!files[i].key || (!files[i].text && files[i].len)) return LEGATION_EINVAL;
  sc_clear_errors(sc);
  const char *key = files[0].key, *text = files[0].text ? files[0].text : "";
  chainlink self;
  memset(&self, 0, sizeof self);
  if (strncmp(key, "builtin:", 8) == 0) {
    self.kind = 2;
    snprintf(self.name, sizeof self.name, "%s", key + 8);
    return load(sc, text, files[0].len, key, NULL, 1, &self, self.name, files, n);
  }
  char *dir = dir_of(key);
  if (!dir) return LEGATION_ENOMEM;
  self.kind = 1, self.dev = (dev_t)-1, self.ino = 1; /* index 0 + 1, as in load_base */
  char name[64];
  stem(key, name, sizeof name);
  legation_status rc = load(sc, text, files[0].len, key, dir, 0, &self, name, files, n);
  free(dir);
  return rc;
}
