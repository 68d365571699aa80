/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd_history.c - `legation history`: the record compiled into the library
 * (data/events.csv) filtered by pair of countries, years and action, as
 * aligned text or JSON.  A client of the legation_history_* API only.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

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

static int print_json(const legation_history *h, const cli_args *a, const char *ca,
                      const char *cb) {
  json_t *arr = json_array();
  int bad = !arr;
  for (int i = 0; !bad && i < legation_history_count(h); i++) {
    legation_history_event ev;
    legation_history_get(h, i, &ev);
    if (!selected(a, &ev, ca, cb)) continue;
    json_t *o = json_object();
    bad |= !o;
    bad |= json_object_set_new(o, "id", json_string(ev.id));
    bad |= json_object_set_new(o, "date", json_string(ev.date));
    bad |= json_object_set_new(o, "acting_state", json_string(ev.acting_state));
    bad |= json_object_set_new(o, "target_state", json_string(ev.target_state));
    bad |= json_object_set_new(o, "action", json_string(ev.action));
    bad |= json_object_set_new(o, "persons",
                               ev.persons < 0 ? json_null() : json_integer(ev.persons));
    bad |= json_object_set_new(o, "posts", json_string(ev.posts));
    bad |= json_object_set_new(o, "stated_reason", json_string(ev.stated_reason));
    bad |= json_object_set_new(o, "responds_to",
                               *ev.responds_to ? json_string(ev.responds_to) : json_null());
    bad |= json_object_set_new(o, "source_url", json_string(ev.source_url));
    bad |= json_object_set_new(o, "confidence", json_string(ev.confidence));
    bad |= json_object_set_new(o, "notes", json_string(ev.notes));
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
  int rc = a->action ? check_action(a, h) : 0;
  if (!rc) rc = a->given[CLI_OPT_JSON] ? print_json(h, a, ca, cb) : print_text(h, a, ca, cb);
  legation_history_free(h);
  return rc;
}
