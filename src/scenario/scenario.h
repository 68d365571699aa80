/* SPDX-License-Identifier: GPL-3.0-or-later */
/* scenario.h - the scenario handle's layout and the loader's internal entry
 * points (sc_ prefix).  Not API: front ends use legation.h. */
#ifndef LG_SCENARIO_H
#define LG_SCENARIO_H

#include "../core/params.h"
#include "legation.h"

#define SC_MAX_KEYS 160
#define SC_MAX_ALT 8 /* weighted alternatives of one categorical parameter */

/* Distributions of a plausible range (docs/MODEL.md, "Uncertainty"). */
#define SC_DISTS(X) X(UNIFORM, "uniform") X(TRIANGULAR, "triangular") \
  X(LOGUNIFORM, "loguniform") X(FIXED, "fixed")
enum {
#define X_(e, s) SC_DIST_##e,
  SC_DISTS(X_)
#undef X_
  SC_DIST_COUNT
};
const char *sc_dist_name(int d);
int sc_dist_find(const char *s);

/* The plausible range of one expanded parameter, separate from the table's
 * validity bounds.  Numbers: [lo, hi] with a distribution (triangular has
 * its mode at the value).  Enums and booleans: weighted alternatives (value
 * index, weight > 0), drawn in proportion to the weights.  A value set
 * without a range (in a later file, a variant or by --set) drops the
 * inherited range: the parameter is then a lever, fixed at that value. */
typedef struct sc_unc {
  int has;                 /* 1 when the parameter carries a range */
  int dist;                /* SC_DIST_* (numbers) */
  double lo, hi;           /* numbers */
  int nalt;                /* > 0 for categorical alternatives */
  int alt[SC_MAX_ALT];     /* value index (enum index, 0/1 for bool) */
  double w[SC_MAX_ALT];    /* weights, > 0 */
} sc_unc;

/* A file the scenario was read from (legation_scenario_file_get). */
typedef struct sc_file {
  char *key;   /* path as opened, or "builtin:NAME"; owned */
  char *text;  /* full text; owned */
  size_t len;
} sc_file;
/* Replace dst's files by a copy of files[0..n).  0, or -1 on OOM (dst
 * unchanged). */
int sc_set_files(legation_scenario *dst, const sc_file *files, int n);

struct legation_scenario {
  lg_params p;                 /* resolved parameters */
  char name[64];               /* scenario name, "" if unnamed */
  char title[200];             /* one-line title */
  char *description;           /* free text, may be NULL; owned */
  char *sources[SC_MAX_KEYS];  /* citation per expanded key, NULL = table's; owned */
  sc_unc unc[SC_MAX_KEYS];     /* plausible range per expanded key */
  char *errmsg;                /* messages of the last failing call; owned */
  size_t errlen, errcap;
  int nerr;
  int has_base;                /* the last file loaded named a `base:` */
  sc_file *files;              /* files of the last load (owned), top first */
  int nfiles;
};

/* Append one message line "where: key: msg" to the handle's error list.
 * Safe on OOM (the message is dropped but nerr still counts). */
void sc_error(legation_scenario *sc, const char *where, const char *key, const char *msg);
/* Forget previous messages. */
void sc_clear_errors(legation_scenario *sc);
/* Set the citation of expanded key i (copied; NULL clears). 0 or -1 on OOM. */
int sc_set_source(legation_scenario *sc, int i, const char *src);
/* Copy params, names and sources of src into dst (not errors). 0 / -1 OOM. */
int sc_copy(legation_scenario *dst, const legation_scenario *src);
/* Map u in [0, 1) to a value of expanded parameter i through its range
 * (inverse CDF; integers rounded to the nearest whole number inside the
 * range; categorical alternatives by cumulative weight).  Used by the
 * engine for Latin hypercube draws and by tests. */
double sc_unc_quantile(const sc_unc *u, int type, double value, double q);
/* Uncertain: has a range that varies (not dist fixed). */
int sc_unc_varies(const sc_unc *u);
/* Give a scenario holding the table defaults the generic plausible ranges
 * of src/scenario/ranges.c; sc_default_range_why: the reason of key i's
 * generic range, NULL if none. */
void sc_default_ranges(legation_scenario *sc);
const char *sc_default_range_why(int i);
/* Release owned strings (not the handle). */
void sc_release(legation_scenario *sc);

/* Set table parameter i (named key) from `value` as the loader sets a
 * plain scalar of a scenario file (load.c): decimal numbers only, true/
 * false/yes/no, names and choices without control characters, UTF-8.
 * Messages "--set: KEY: ..." go to sc; returns a status. */
legation_status sc_set_scalar(legation_scenario *sc, int i, const char *key, const char *value);
/* States by name (names.c).  names[4] = {a.name, a.short, b.name, b.short}
 * ("" or NULL for none), filled from p by sc_side_names.  sc_side_word: the
 * side (0, 1) that w[0..len) names - the letters a and b, else a name or
 * short name compared case-insensitively - or -1 (unknown, "both", or a
 * word both states answer to). */
void sc_side_names(const lg_params *p, const char *names[4]);
int sc_side_word(const char *const names[4], const char *w, size_t len);
/* Rewrite key's state word (states.usa.x, missions.Russia.y) to its letter
 * into out.  0 (out written, unchanged if there is no state word), -1 if the
 * word names no state (out holds key). */
int sc_canonical_key(const lg_params *p, const char *key, char *out, size_t outsz);
/* The nearest parameter key to key (edit distance <= 2 after resolving the
 * state word, keeping the user's word), or the key with the nearest state
 * word; "" if nothing is near. */
void sc_suggest_key(const lg_params *p, const char *key, char *out, size_t outsz);
/* --set of a post: canon is missions.X.posts[N].FIELD or
 * missions.X.posts.NAME.FIELD (NAME any case), FIELD reach (a number in
 * [0, 3]) or open (true/false); key is what the user wrote, for messages. */
legation_status sc_set_post(legation_scenario *sc, const char *key, const char *canon,
                            const char *value);
/* Optimal string alignment distance of a and b, capped: 3 means > 2. */
int sc_distance(const char *a, const char *b);

/* Built-in scenario texts (generated from scenarios/ *.yaml at build time). */
typedef struct sc_builtin {
  const char *name;
  const char *title;
  const char *text;
} sc_builtin;
extern const sc_builtin sc_builtins[];
extern const int sc_nbuiltins;

#endif
