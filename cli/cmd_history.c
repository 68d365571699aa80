/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd_history.c - `legation history`: the record compiled into the library
 * (data/events.csv) filtered by pair of countries, years and action, as
 * aligned text or JSON.  A client of the legation_history_* API only.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define ACTOR_MAX 30  /* characters of "actor -> target" shown */
#define REASON_MAX 60 /* characters of the stated reason shown */

/* Characters (UTF-8 code points) in s. */
static int u8_len(const char *s) {
  int n = 0;
  for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

/* Copy s into buf (bufsz bytes), control characters as spaces, shortened
 * to at most max characters with "..." when longer; never splits a UTF-8
 * sequence. */
static void shorten(char *buf, size_t bufsz, const char *s, int max) {
  int chars = u8_len(s);
  int keep = chars <= max ? chars : max - 3;
  size_t j = 0;
  int n = 0;
  for (; *s && j + 8 < bufsz; s++) {
    int lead = ((unsigned char)*s & 0xC0) != 0x80;
    if (lead && n == keep) break;
    n += lead;
    buf[j++] = (unsigned char)*s < 0x20 ? ' ' : *s;
  }
  if (chars > max) {
    memcpy(buf + j, "...", 3);
    j += 3;
  }
  buf[j] = 0;
}

/* Print s padded with spaces to `width` characters. */
static void put_padded(const char *s, int width) {
  fputs(s, stdout);
  for (int k = u8_len(s); k < width; k++) putchar(' ');
}

/* The two countries of --pair "A-B" (also "A,B" or "A/B") as codes. */
static int parse_pair(const cli_args *a, const char **ca, const char **cb) {
  const char *s = a->pair;
  size_t cut = strcspn(s, "-,/");
  if (!s[cut])
    return cli_usage_error(a->cmd, "--pair: expected two countries as A-B (e.g. US-RU), found '%s'",
                           s);
  char left[128];
  snprintf(left, sizeof left, "%.*s", (int)(cut < sizeof left - 1 ? cut : sizeof left - 1), s);
  const char *right = s + cut + 1;
  *ca = legation_country_code(left);
  *cb = legation_country_code(right);
  const char *bad = !*ca ? left : !*cb ? right : NULL;
  if (bad)
    return cli_usage_error(a->cmd,
                           "--pair: expected a country code or name (US, RU, UK, CZ, CN, DE, "
                           "FR, PL, ...), found '%s'",
                           bad);
  if (strcmp(*ca, *cb) == 0)
    return cli_usage_error(a->cmd, "--pair: expected two different countries, found '%s'", s);
  return 0;
}

/* --action must be an action the record uses; the message lists them. */
static int check_action(const cli_args *a, const legation_history *h) {
  char list[512] = "";
  size_t len = 0;
  int n = legation_history_count(h);
  for (int i = 0; i < n; i++) {
    legation_history_event ev;
    legation_history_get(h, i, &ev);
    if (strcmp(ev.action, a->action) == 0) return 0;
  }
  /* the record's actions in alphabetical order, each once */
  const char *last = "";
  for (;;) {
    const char *next = NULL;
    for (int i = 0; i < n; i++) {
      legation_history_event ev;
      legation_history_get(h, i, &ev);
      if (strcmp(ev.action, last) > 0 && (!next || strcmp(ev.action, next) < 0)) next = ev.action;
    }
    if (!next) break;
    int k = snprintf(list + len, sizeof list - len, "%s%s", len ? ", " : "", next);
    if (k < 0 || (size_t)k >= sizeof list - len) break;
    len += (size_t)k;
    last = next;
  }
  return cli_usage_error(a->cmd, "--action: expected one of %s, found '%s'", list, a->action);
}

static int selected(const cli_args *a, const legation_history_event *ev, const char *ca,
                    const char *cb) {
  if (a->from && ev->year < a->from) return 0;
  if (a->to && ev->year > a->to) return 0;
  if (a->action && strcmp(ev->action, a->action) != 0) return 0;
  if (a->pair && !legation_history_involves(ev, ca, cb)) return 0;
  return 1;
}

json_t *cli_history_event_json(const legation_history_event *ev) {
  json_t *o = json_object();
  int bad = !o;
  bad |= json_object_set_new(o, "id", json_string(ev->id));
  bad |= json_object_set_new(o, "date", json_string(ev->date));
  bad |= json_object_set_new(o, "acting_state", json_string(ev->acting_state));
  bad |= json_object_set_new(o, "target_state", json_string(ev->target_state));
  bad |= json_object_set_new(o, "action", json_string(ev->action));
  bad |= json_object_set_new(o, "persons",
                             ev->persons < 0 ? json_null() : json_integer(ev->persons));
  bad |= json_object_set_new(o, "posts", json_string(ev->posts));
  bad |= json_object_set_new(o, "stated_reason", json_string(ev->stated_reason));
  bad |= json_object_set_new(o, "responds_to",
                             *ev->responds_to ? json_string(ev->responds_to) : json_null());
  bad |= json_object_set_new(o, "source_url", json_string(ev->source_url));
  bad |= json_object_set_new(o, "confidence", json_string(ev->confidence));
  bad |= json_object_set_new(o, "notes", json_string(ev->notes));
  if (bad) {
    json_decref(o);
    return NULL;
  }
  return o;
}

static int print_json(const legation_history *h, const cli_args *a, const char *ca,
                      const char *cb) {
  json_t *arr = json_array();
  int bad = !arr;
  for (int i = 0; !bad && i < legation_history_count(h); i++) {
    legation_history_event ev;
    legation_history_get(h, i, &ev);
    if (!selected(a, &ev, ca, cb)) continue;
    json_t *o = cli_history_event_json(&ev);
    bad |= !o;
    bad |= json_array_append_new(arr, o);
  }
  if (!bad && json_dumpf(arr, stdout, JSON_INDENT(2)) == 0) putchar('\n');
  else bad = 1;
  json_decref(arr);
  if (bad) {
    cli_err("history: out of memory");
    return CLI_EXIT_RUN;
  }
  return CLI_EXIT_OK;
}

static void actor_target(char *buf, size_t bufsz, const legation_history_event *ev) {
  char both[512];
  snprintf(both, sizeof both, "%s -> %s", ev->acting_state, ev->target_state);
  shorten(buf, bufsz, both, ACTOR_MAX);
}

static int print_text(const legation_history *h, const cli_args *a, const char *ca,
                      const char *cb) {
  int wa = (int)strlen("ACTOR -> TARGET"), wact = (int)strlen("ACTION"), n = 0;
  char buf[512];
  for (int i = 0; i < legation_history_count(h); i++) {
    legation_history_event ev;
    legation_history_get(h, i, &ev);
    if (!selected(a, &ev, ca, cb)) continue;
    n++;
    actor_target(buf, sizeof buf, &ev);
    if (u8_len(buf) > wa) wa = u8_len(buf);
    if (u8_len(ev.action) > wact) wact = u8_len(ev.action);
  }
  if (!n) {
    cli_err("history: no event matches the selection");
    return CLI_EXIT_OK;
  }
  printf("%-7s  %-10s  ", "ID", "DATE");
  put_padded("ACTOR -> TARGET", wa);
  fputs("  ", stdout);
  put_padded("ACTION", wact);
  printf("  %7s  %s\n", "PERSONS", "STATED REASON");
  for (int i = 0; i < legation_history_count(h); i++) {
    legation_history_event ev;
    legation_history_get(h, i, &ev);
    if (!selected(a, &ev, ca, cb)) continue;
    printf("%-7s  %-10s  ", ev.id, ev.date);
    actor_target(buf, sizeof buf, &ev);
    put_padded(buf, wa);
    fputs("  ", stdout);
    put_padded(ev.action, wact);
    if (ev.persons < 0)
      printf("  %7s  ", "-");
    else
      printf("  %7d  ", ev.persons);
    shorten(buf, sizeof buf, ev.stated_reason, REASON_MAX);
    puts(buf);
  }
  return CLI_EXIT_OK;
}

/* ------------------------------------------------------------ --stats */

typedef struct era {
  int from, to;
} era;

/* --era FROM:TO (or FROM-TO); years 1..9999, FROM <= TO. */
static int parse_era(const cli_args *a, era *e) {
  int f, t, used = 0;
  char sep;
  if (sscanf(a->era, "%d%c%d%n", &f, &sep, &t, &used) != 3 || a->era[used] ||
      (sep != ':' && sep != '-') || f < 1 || t > 9999 || f > t)
    return cli_usage_error(a->cmd,
                           "--era: expected two years FROM:TO with FROM <= TO (e.g. 1986:2015), "
                           "found '%s'", a->era);
  e->from = f;
  e->to = t;
  return 0;
}

/* A number for text and YAML: up to 4 significant digits, "nan" never
 * (callers test). */
static void num(char *buf, size_t n, double x) { snprintf(buf, n, "%.4g", x); }

static int stats_text(const legation_history *h, int first) {
  char v[32], lo[32], hi[32];
  if (first)
    printf("%-9s  %-4s  %-25s  %9s  %-19s  %4s  %s\n", "ERA", "SIDE", "STATISTIC", "VALUE",
           "90% INTERVAL", "N", "UNIT");
  for (int i = 0; i < legation_history_stat_count(h); i++) {
    legation_history_stat s;
    legation_history_stat_get(h, i, &s);
    char eb[32], ib[96];
    snprintf(eb, sizeof eb, "%d-%d", s.from, s.to);
    if (isnan(s.value)) snprintf(v, sizeof v, "-");
    else num(v, sizeof v, s.value);
    if (isnan(s.lo) || isnan(s.hi)) snprintf(ib, sizeof ib, "-");
    else {
      num(lo, sizeof lo, s.lo);
      num(hi, sizeof hi, s.hi);
      snprintf(ib, sizeof ib, "%s %s-%s", strcmp(s.method, "none") ? "" : "range", lo, hi);
      if (ib[0] == ' ') memmove(ib, ib + 1, strlen(ib));
    }
    printf("%-9s  %-4s  %-25s  %9s  %-19s  %4d  %s\n", eb, s.side, s.name, v, ib, s.n, s.unit);
  }
  return CLI_EXIT_OK;
}


static int stats_json(const legation_history *h, json_t *arr) {
  int bad = 0;
  for (int i = 0; !bad && i < legation_history_stat_count(h); i++) {
    legation_history_stat s;
    legation_history_stat_get(h, i, &s);
    json_t *o = json_object();
    bad |= !o;
    char eb[16];
    snprintf(eb, sizeof eb, "%d-%d", s.from, s.to);
    bad |= json_object_set_new(o, "name", json_string(s.name));
    bad |= json_object_set_new(o, "side", json_string(s.side));
    bad |= json_object_set_new(o, "era", json_string(eb));
    bad |= json_object_set_new(o, "value", cli_json_num(s.value));
    bad |= json_object_set_new(o, "lo", cli_json_num(s.lo));
    bad |= json_object_set_new(o, "hi", cli_json_num(s.hi));
    bad |= json_object_set_new(o, "sd", cli_json_num(s.sd));
    bad |= json_object_set_new(o, "n", json_integer(s.n));
    bad |= json_object_set_new(o, "unit", json_string(s.unit));
    bad |= json_object_set_new(o, "method", json_string(s.method));
    bad |= json_array_append_new(arr, o);
  }
  return bad;
}

/* The targets file: only statistics with a value and a standard error (the
 * descriptive ones, method "none", have no sampling model to weigh them). */
static void stats_targets(const legation_history *h) {
  char v[32], sd[32], lo[32], hi[32];
  for (int i = 0; i < legation_history_stat_count(h); i++) {
    legation_history_stat s;
    legation_history_stat_get(h, i, &s);
    if (!isfinite(s.value) || !isfinite(s.sd)) continue;
    snprintf(v, sizeof v, "%.6g", s.value);
    snprintf(sd, sizeof sd, "%.6g", s.sd);
    snprintf(lo, sizeof lo, "%.6g", s.lo);
    snprintf(hi, sizeof hi, "%.6g", s.hi);
    printf("  - {name: %s, side: %s, era: \"%d-%d\", value: %s, sd: %s, interval: [%s, %s], "
           "n: %d, unit: \"%s\", method: %s}\n",
           s.name, s.side, s.from, s.to, v, sd, lo, hi, s.n, s.unit, s.method);
  }
}

static int cmd_stats(const cli_args *a, legation_history *h) {
  const char *ca = "US", *cb = "RU";
  if (a->pair) {
    int rc = parse_pair(a, &ca, &cb);
    if (rc) return rc;
  }
  if (a->action || a->from || a->to)
    return cli_usage_error(a->cmd, "--stats selects by --pair and --era, not by %s",
                           a->action ? "--action" : a->from ? "--from" : "--to");
  era eras[2] = {{1986, 2013}, {2014, 2024}};
  int ne = 2;
  if (a->era) {
    int rc = parse_era(a, &eras[0]);
    if (rc) return rc;
    ne = 1;
  }
  const char *fmt = a->format ? a->format : a->given[CLI_OPT_JSON] ? "json" : "text";
  if (a->given[CLI_OPT_JSON] && strcmp(fmt, "json") != 0)
    return cli_usage_error(a->cmd, "--json and --format %s cannot be combined", fmt);
  json_t *arr = strcmp(fmt, "json") == 0 ? json_array() : NULL;
  if (!strcmp(fmt, "targets")) {
    printf("# Targets from the record (data/events.csv, data/FACTS.md), pair %s-%s.\n", ca, cb);
    printf("# Regenerate: legation history --stats --pair %s-%s", ca, cb);
    if (a->era) printf(" --era %d:%d", eras[0].from, eras[0].to);
    printf(" --format targets\n# Each statistic, its interval (90%%) and sd: docs/TARGETS.md.\n");
    printf("targets:\n");
  }
  int bad = !strcmp(fmt, "json") && !arr;
  for (int k = 0; k < ne && !bad; k++) {
    legation_status st = legation_history_stats(h, ca, cb, eras[k].from, eras[k].to);
    if (st != LEGATION_OK) {
      cli_err("history: %s", *legation_history_errmsg(h) ? legation_history_errmsg(h)
                                                           : legation_strerror(st));
      json_decref(arr);
      return cli_exit_for(st);
    }
    if (!strcmp(fmt, "json")) bad |= stats_json(h, arr);
    else if (!strcmp(fmt, "targets")) stats_targets(h);
    else stats_text(h, k == 0);
  }
  if (arr && !bad) {
    if (json_dumpf(arr, stdout, JSON_INDENT(2)) == 0) putchar('\n');
    else bad = 1;
  }
  json_decref(arr);
  if (bad) {
    cli_err("history: out of memory");
    return CLI_EXIT_RUN;
  }
  return CLI_EXIT_OK;
}

int cli_cmd_history(const cli_args *a) {
  const char *ca = NULL, *cb = NULL;
  if (a->pair) {
    int rc = parse_pair(a, &ca, &cb);
    if (rc) return rc;
  }
  if (a->from && a->to && a->from > a->to)
    return cli_usage_error(a->cmd, "--from %d is after --to %d", a->from, a->to);
  legation_history *h = legation_history_new();
  if (!h) {
    cli_err("history: out of memory");
    return CLI_EXIT_RUN;
  }
  legation_status st = legation_history_load_builtin(h);
  if (st != LEGATION_OK) {
    const char *msg = legation_history_errmsg(h);
    if (*msg)
      cli_err_lines(msg);
    else
      cli_err("history: %s", legation_strerror(st));
    legation_history_free(h);
    return cli_exit_for(st);
  }
  if (a->given[CLI_OPT_STATS]) {
    int rc = cmd_stats(a, h);
    legation_history_free(h);
    return rc;
  }
  if (a->era || a->format) {
    legation_history_free(h);
    return cli_usage_error(a->cmd, "%s needs --stats", a->era ? "--era" : "--format");
  }
  int rc = a->action ? check_action(a, h) : 0;
  if (!rc) rc = a->given[CLI_OPT_JSON] ? print_json(h, a, ca, cb) : print_text(h, a, ca, cb);
  legation_history_free(h);
  return rc;
}
