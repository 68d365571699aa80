/* SPDX-License-Identifier: GPL-3.0-or-later */
/* names.c - states by name: resolving `a`, `b`, a state's name or its
 * declared short name (case-insensitive) to a side, canonical key paths for
 * `--set`, and the "did you mean" suggestions shared by the loader and
 * `--set`. */
#include "scenario.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <strings.h>
#include <stdio.h>
#include <string.h>

int sc_distance(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 40 || lb > 40 || (la > lb ? la - lb : lb - la) > 2) return 3;
  int d[42][42];
  for (size_t i = 0; i <= la; i++) d[i][0] = (int)i;
  for (size_t j = 0; j <= lb; j++) d[0][j] = (int)j;
  for (size_t i = 1; i <= la; i++)
    for (size_t j = 1; j <= lb; j++) {
      int cost = a[i - 1] != b[j - 1];
      int v = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
      if (d[i - 1][j - 1] + cost < v) v = d[i - 1][j - 1] + cost;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
          d[i - 2][j - 2] + 1 < v)
        v = d[i - 2][j - 2] + 1;
      d[i][j] = v;
    }
  return d[la][lb] > 2 ? 3 : d[la][lb];
}

/* Case-insensitive equality of w[0..len) and the NUL-terminated s. */
static int same(const char *w, size_t len, const char *s) {
  if (!s || !*s || strlen(s) != len) return 0;
  for (size_t i = 0; i < len; i++)
    if (tolower((unsigned char)w[i]) != tolower((unsigned char)s[i])) return 0;
  return 1;
}

int sc_side_word(const char *const names[4], const char *w, size_t len) {
  if (len == 1 && (w[0] == 'a' || w[0] == 'b')) return w[0] - 'a';
  if (same(w, len, "both")) return -1;
  int side = -1;
  for (int k = 0; k < 4; k++)
    if (same(w, len, names[k])) {
      if (side >= 0 && side != k / 2) return -1; /* both states answer to it */
      side = k / 2;
    }
  return side;
}

void sc_side_names(const lg_params *p, const char *names[4]) {
  names[0] = p->st[0].name, names[1] = p->st[0].short_name;
  names[2] = p->st[1].name, names[3] = p->st[1].short_name;
}

int sc_canonical_key(const lg_params *p, const char *key, char *out, size_t outsz) {
  const char *names[4];
  sc_side_names(p, names);
  snprintf(out, outsz, "%s", key);
  size_t pre = strncmp(key, "states.", 7) == 0     ? 7
               : strncmp(key, "missions.", 9) == 0 ? 9
                                                   : 0;
  if (!pre) return 0;
  const char *w = key + pre, *dot = strchr(w, '.');
  if (!dot) return 0;
  int side = sc_side_word(names, w, (size_t)(dot - w));
  if (side < 0) return -1;
  snprintf(out, outsz, "%.*s%c%s", (int)pre, key, 'a' + side, dot);
  return 0;
}

void sc_suggest_key(const lg_params *p, const char *key, char *out, size_t outsz) {
  out[0] = 0;
  char canon[128];
  const char *names[4];
  sc_side_names(p, names);
  int bad_side = sc_canonical_key(p, key, canon, sizeof canon) != 0;
  if (bad_side) {
    /* the state word is the problem: suggest the nearest a state answers to */
    size_t pre = key[0] == 's' ? 7 : 9;
    const char *w = key + pre, *dot = strchr(w, '.');
    char word[64], low[64];
    snprintf(word, sizeof word, "%.*s", (int)(dot - w), w);
    for (char *q = word; *q; q++) *q = (char)tolower((unsigned char)*q);
    int best = -1, bd = 3;
    for (int k = 0; k < 4; k++) {
      if (!names[k] || !*names[k]) continue;
      snprintf(low, sizeof low, "%s", names[k]);
      for (char *q = low; *q; q++) *q = (char)tolower((unsigned char)*q);
      int d = sc_distance(word, low);
      if (d < bd) bd = d, best = k;
    }
    if (best >= 0)
      snprintf(out, outsz, "%.*s%s%s", (int)pre, key, names[best], dot);
    return;
  }
  int n = lg_param_nkeys(), bd = 3, best = -1;
  for (int i = 0; i < n; i++) {
    int d = sc_distance(canon, lg_param_fullkey(i));
    if (d < bd) bd = d, best = i;
  }
  if (best < 0) return;
  const char *k = lg_param_fullkey(best);
  size_t pre = strncmp(k, "states.", 7) == 0 ? 7 : strncmp(k, "missions.", 9) == 0 ? 9 : 0;
  if (pre && strncmp(key, k, pre) == 0 && strchr(key + pre, '.')) {
    /* keep the user's word for the state: states.usa.opennes -> states.usa.openness */
    const char *w = key + pre;
    snprintf(out, outsz, "%.*s%.*s%s", (int)pre, k, (int)(strchr(w, '.') - w), w, k + pre + 1);
  } else {
    snprintf(out, outsz, "%s", k);
  }
}

legation_status sc_set_post(legation_scenario *sc, const char *key, const char *canon,
                            const char *value) {
  int side = canon[9] - 'a';
  lg_mission *m = &sc->p.ms[side];
  const char *rest = canon + 16, *field = strrchr(canon, '.');
  char msg[300];
  int q = -1;
  if (field && field > rest) {
    if (rest[0] == '[') {
      char *end;
      long n = strtol(rest + 1, &end, 10);
      if (end != rest + 1 && end[0] == ']' && end + 1 == field && n >= 0 && n < m->n_posts)
        q = (int)n;
    } else if (rest[0] == '.') {
      for (int k = 0; k < m->n_posts && q < 0; k++)
        if (strlen(m->posts[k].name) == (size_t)(field - rest - 1) &&
            strncasecmp(m->posts[k].name, rest + 1, (size_t)(field - rest - 1)) == 0)
          q = k;
    }
  }
  if (q < 0 || (strcmp(field, ".reach") != 0 && strcmp(field, ".open") != 0)) {
    char list[LG_MAX_POSTS * (LG_NAME_MAX + 2)] = "";
    for (int k = 0; k < m->n_posts; k++) {
      size_t l = strlen(list);
      snprintf(list + l, sizeof list - l, "%s%s", k ? ", " : "", m->posts[k].name);
    }
    snprintf(msg, sizeof msg,
             "expected missions.%c.posts.NAME.reach or .open (or posts[N]) with NAME one of: %.200s",
             'a' + side, list);
    sc_error(sc, "--set", key, msg);
    return LEGATION_ENOTFOUND;
  }
  lg_post *p = &m->posts[q];
  if (strcmp(field, ".reach") == 0) {
    char *end;
    errno = 0;
    double v = strtod(value, &end);
    if (!*value || *end || errno == ERANGE || !isfinite(v) || v < 0 || v > 3) {
      snprintf(msg, sizeof msg, "expected a number in [0, 3], found \"%.60s\"", value);
      sc_error(sc, "--set", key, msg);
      return LEGATION_ERANGE;
    }
    p->reach = v;
  } else {
    int v = strcmp(value, "true") == 0 || strcmp(value, "yes") == 0 ? 1
            : strcmp(value, "false") == 0 || strcmp(value, "no") == 0 ? 0 : -1;
    if (v < 0) {
      snprintf(msg, sizeof msg, "expected true or false, found \"%.60s\"", value);
      sc_error(sc, "--set", key, msg);
      return LEGATION_ERANGE;
    }
    p->open = v;
  }
  return LEGATION_OK;
}
