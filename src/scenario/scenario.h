/* SPDX-License-Identifier: GPL-3.0-or-later */
/* scenario.h - the scenario handle's layout and the loader's internal entry
 * points (sc_ prefix).  Not API: front ends use legation.h. */
#ifndef LG_SCENARIO_H
#define LG_SCENARIO_H

#include "../core/params.h"
#include "legation.h"

#define SC_MAX_KEYS 160

struct legation_scenario {
  lg_params p;                 /* resolved parameters */
  char name[64];               /* scenario name, "" if unnamed */
  char title[200];             /* one-line title */
  char *description;           /* free text, may be NULL; owned */
  char *sources[SC_MAX_KEYS];  /* citation per expanded key, NULL = table's; owned */
  char *errmsg;                /* messages of the last failing call; owned */
  size_t errlen, errcap;
  int nerr;
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
/* Release owned strings (not the handle). */
void sc_release(legation_scenario *sc);

/* Set table parameter i (named key) from `value` as the loader sets a
 * plain scalar of a scenario file (load.c): decimal numbers only, true/
 * false/yes/no, names and choices without control characters, UTF-8.
 * Messages "--set: KEY: ..." go to sc; returns a status. */
legation_status sc_set_scalar(legation_scenario *sc, int i, const char *key, const char *value);

/* Built-in scenario texts (generated from scenarios/ *.yaml at build time). */
typedef struct sc_builtin {
  const char *name;
  const char *title;
  const char *text;
} sc_builtin;
extern const sc_builtin sc_builtins[];
extern const int sc_nbuiltins;

#endif
