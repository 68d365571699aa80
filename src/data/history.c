/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * history.c - the record (data/events.csv) behind a legation_history handle:
 * a strict RFC 4180 CSV reader, the row checks that make every field safe to
 * use (ids, dates, counts, source URLs, links between rows), and the table of
 * country aliases used to select a pair of states.
 *
 * The CSV dialect is RFC 4180: fields separated by commas, records by CRLF
 * (a bare LF is accepted too, a bare CR is not), a field that holds a comma,
 * a quote or a line break is enclosed in double quotes and its quotes are
 * doubled.  A quote inside an unquoted field, anything but a comma or a line
 * end after a closing quote, an unterminated quoted field, a NUL byte and a
 * record with a number of fields other than 12 are errors.  The text is
 * copied once into the handle and fields are unescaped in place, so every
 * const char * of an event points into that one buffer.
 */
#include "history.h"

#include <ctype.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "legation.h"

#define H_NCOLS 12
#define H_MAX_BYTES (16u * 1024u * 1024u) /* input cap */
#define H_MAX_SHOWN 20                    /* messages kept per load */

static const char *const h_cols[H_NCOLS] = {
    "id",          "date",          "acting_state", "target_state",
    "action",      "persons",       "posts",        "stated_reason",
    "responds_to", "source_url",    "confidence",   "notes"};

struct legation_history {
  char *buf;                  /* the loaded text, fields unescaped in place; owned */
  legation_history_event *ev; /* n events pointing into buf; owned */
  int n;
  char *errmsg;               /* messages of the last failing load; owned, NULL = "" */
  legation_history_stat *st;  /* statistics of the last legation_history_stats; owned */
  int nst;
};

/* ------------------------------------------------------------ messages */

/* Messages of one load, one per line, capped at H_MAX_SHOWN lines. */
typedef struct msgs {
  const char *name; /* file name used in messages */
  char *text;
  size_t len, cap;
  int count;        /* all problems, shown or not */
  int oom;
} msgs;

static void msg_add(msgs *m, int line, int col, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void msg_add(msgs *m, int line, int col, const char *fmt, ...) {
  m->count++;
  if (m->count > H_MAX_SHOWN || m->oom) return;
  char body[600];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(body, sizeof body, fmt, ap);
  va_end(ap);
  char one[800];
  int k = snprintf(one, sizeof one, "%s:%d:%d: %s\n", m->name, line, col, body);
  if (k < 0) return;
  size_t need = m->len + (size_t)k + 1;
  if (need > m->cap) {
    size_t cap = m->cap ? 2 * m->cap : 512;
    while (cap < need) cap *= 2;
    char *t = realloc(m->text, cap);
    if (!t) {
      m->oom = 1;
      return;
    }
    m->text = t;
    m->cap = cap;
  }
  memcpy(m->text + m->len, one, (size_t)k + 1);
  m->len += (size_t)k;
}

/* Show at most 40 bytes of a found value, with unprintable bytes as '?'. */
static const char *shown(char *out, size_t outsz, const char *s) {
  size_t j = 0;
  for (; *s && j + 4 < outsz && j < 40; s++)
    out[j++] = (unsigned char)*s < 0x20 ? '?' : *s;
  if (*s) {
    memcpy(out + j, "...", 3);
    j += 3;
  }
  out[j] = 0;
  return out;
}

/* ---------------------------------------------------------- CSV reader */

typedef struct field {
  char *s;        /* unescaped, NUL-terminated, inside the buffer */
  int line, col;  /* 1-based position of the field's first byte */
} field;

typedef struct reader {
  char *p, *end;          /* read position and end of the text */
  char *w;                /* write position: unescaped bytes go here (w <= p) */
  int line;               /* line of p */
  const char *line_start; /* first byte of p's line */
} reader;

static int col_of(const reader *r) { return (int)(r->p - r->line_start) + 1; }

/* Read one record into f[0..H_NCOLS).  Returns 1 and the field count in
 * *nf, 0 at the end of the text, -1 after a structural error (reported). */
static int read_record(reader *r, field *f, int *nf, msgs *m) {
  if (r->p >= r->end) return 0;
  int n = 0;
  int rec_line = r->line;
  for (;;) {
    int line = r->line, col = col_of(r);
    char *start = r->w;
    if (r->p < r->end && *r->p == '"') {
      r->p++;
      for (;;) {
        if (r->p >= r->end) {
          msg_add(m, line, col, "%s: unterminated quoted field (no closing quote before the end)",
                  n < H_NCOLS ? h_cols[n] : "field");
          return -1;
        }
        char c = *r->p;
        if (c == '"') {
          if (r->p + 1 < r->end && r->p[1] == '"') {
            *r->w++ = '"';
            r->p += 2;
            continue;
          }
          r->p++;
          break;
        }
        if (c == 0) {
          msg_add(m, r->line, col_of(r), "NUL byte in the text");
          return -1;
        }
        if (c == '\n') {
          r->line++;
          r->line_start = r->p + 1;
        }
        *r->w++ = c;
        r->p++;
      }
      if (r->p < r->end && *r->p != ',' && *r->p != '\r' && *r->p != '\n') {
        msg_add(m, r->line, col_of(r),
                "%s: expected ',' or the end of the line after a closing quote, found '%c'",
                n < H_NCOLS ? h_cols[n] : "field", isprint((unsigned char)*r->p) ? *r->p : '?');
        return -1;
      }
    } else {
      while (r->p < r->end && *r->p != ',' && *r->p != '\r' && *r->p != '\n') {
        char c = *r->p;
        if (c == '"') {
          msg_add(m, r->line, col_of(r),
                  "%s: a quote inside an unquoted field (quote the whole field and double "
                  "the quote)",
                  n < H_NCOLS ? h_cols[n] : "field");
          return -1;
        }
        if (c == 0) {
          msg_add(m, r->line, col_of(r), "NUL byte in the text");
          return -1;
        }
        *r->w++ = c;
        r->p++;
      }
    }
    /* The delimiter: read it before the NUL below may overwrite it. */
    char d = r->p < r->end ? *r->p : 0;
    int adv = d ? 1 : 0;
    if (d == '\r') {
      if (r->p + 1 >= r->end || r->p[1] != '\n') {
        msg_add(m, r->line, col_of(r), "a carriage return not followed by a line feed");
        return -1;
      }
      adv = 2;
    }
    *r->w = 0;
    if (n < H_NCOLS) f[n] = (field){start, line, col};
    n++;
    r->w++;
    r->p += adv;
    if (d == ',') {
      if (n == H_NCOLS) {
        msg_add(m, r->line, col_of(r), "expected %d fields, found more", H_NCOLS);
        return -1;
      }
      continue;
    }
    if (d) {
      r->line++;
      r->line_start = r->p;
    }
    if (n != H_NCOLS) {
      msg_add(m, rec_line, 1, "expected %d fields, found %d", H_NCOLS, n);
      return -1;
    }
    *nf = n;
    return 1;
  }
}

/* ---------------------------------------------------------- row checks */

static int is_digits(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!isdigit((unsigned char)s[i])) return 0;
  return 1;
}

/* "YYYY-NN" */
static int is_id(const char *s) {
  return strlen(s) == 7 && is_digits(s, 4) && s[4] == '-' && is_digits(s + 5, 2);
}

static int days_in(int y, int mo) {
  static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return d[mo - 1];
}

/* "YYYY-MM-DD" or "YYYY-MM"; 0 and the parts, or -1. */
static int parse_date(const char *s, int *y, int *mo, int *d) {
  size_t n = strlen(s);
  if ((n != 7 && n != 10) || !is_digits(s, 4) || s[4] != '-' || !is_digits(s + 5, 2)) return -1;
  *y = atoi(s);
  *mo = (s[5] - '0') * 10 + (s[6] - '0');
  *d = 0;
  if (*mo < 1 || *mo > 12) return -1;
  if (n == 10) {
    if (s[7] != '-' || !is_digits(s + 8, 2)) return -1;
    *d = (s[8] - '0') * 10 + (s[9] - '0');
    if (*d < 1 || *d > days_in(*y, *mo)) return -1;
  }
  return 0;
}

/* Every " ; "-separated part an http(s) URL without spaces. */
static int urls_ok(const char *s) {
  if (!*s) return 0;
  for (;;) {
    const char *e = strstr(s, " ; ");
    size_t len = e ? (size_t)(e - s) : strlen(s);
    size_t pre = strncmp(s, "https://", 8) == 0 ? 8 : strncmp(s, "http://", 7) == 0 ? 7 : 0;
    if (!pre || len <= pre) return 0;
    for (size_t i = 0; i < len; i++)
      if (isspace((unsigned char)s[i])) return 0;
    if (!e) return 1;
    s = e + 3;
  }
}

/* Check the fields of one row and fill *ev; problems are reported. */
static void check_row(const field *f, legation_history_event *ev, msgs *m) {
  char b[64];
  memset(ev, 0, sizeof *ev);
  ev->id = f[0].s;
  ev->date = f[1].s;
  ev->acting_state = f[2].s;
  ev->target_state = f[3].s;
  ev->action = f[4].s;
  ev->posts = f[6].s;
  ev->stated_reason = f[7].s;
  ev->responds_to = f[8].s;
  ev->source_url = f[9].s;
  ev->confidence = f[10].s;
  ev->notes = f[11].s;
  ev->persons = -1;
  if (!is_id(ev->id))
    msg_add(m, f[0].line, f[0].col, "id: expected YYYY-NN, found '%s'", shown(b, sizeof b, ev->id));
  if (parse_date(ev->date, &ev->year, &ev->month, &ev->day) != 0)
    msg_add(m, f[1].line, f[1].col, "date: expected a date YYYY-MM-DD or YYYY-MM, found '%s'",
            shown(b, sizeof b, ev->date));
  else if (is_id(ev->id) && strncmp(ev->id, ev->date, 4) != 0)
    msg_add(m, f[0].line, f[0].col, "id: expected the year of the date (%.4s), found '%s'",
            ev->date, ev->id);
  for (int k = 2; k <= 4; k++)
    if (!*f[k].s) msg_add(m, f[k].line, f[k].col, "%s: expected a value, found nothing", h_cols[k]);
  for (const char *s = ev->action; *s; s++)
    if (!islower((unsigned char)*s) && *s != '_') {
      msg_add(m, f[4].line, f[4].col, "action: expected a lower-case word such as expel, found '%s'",
              shown(b, sizeof b, ev->action));
      break;
    }
  if (*f[5].s) {
    if (strlen(f[5].s) > 9 || !is_digits(f[5].s, strlen(f[5].s)))
      msg_add(m, f[5].line, f[5].col, "persons: expected a whole number or nothing, found '%s'",
              shown(b, sizeof b, f[5].s));
    else
      ev->persons = atoi(f[5].s);
  }
  if (*ev->responds_to && !is_id(ev->responds_to))
    msg_add(m, f[8].line, f[8].col, "responds_to: expected an id YYYY-NN or nothing, found '%s'",
            shown(b, sizeof b, ev->responds_to));
  if (!urls_ok(ev->source_url))
    msg_add(m, f[9].line, f[9].col,
            "source_url: expected one or more http(s) URLs separated by ' ; ', found '%s'",
            shown(b, sizeof b, ev->source_url));
  if (strcmp(ev->confidence, "high") != 0 && strcmp(ev->confidence, "medium") != 0 &&
      strcmp(ev->confidence, "low") != 0)
    msg_add(m, f[10].line, f[10].col, "confidence: expected high, medium or low, found '%s'",
            shown(b, sizeof b, ev->confidence));
}

/* ------------------------------------------------------------------ API */

legation_history *legation_history_new(void) { return calloc(1, sizeof(legation_history)); }

void legation_history_free(legation_history *h) {
  if (!h) return;
  free(h->buf);
  free(h->ev);
  free(h->errmsg);
  free(h->st);
  free(h);
}

const char *legation_history_errmsg(const legation_history *h) {
  return h && h->errmsg ? h->errmsg : "";
}

int legation_history_count(const legation_history *h) { return h ? h->n : 0; }

legation_status legation_history_get(const legation_history *h, int i,
                                     legation_history_event *out) {
  if (!h || !out || i < 0 || i >= h->n) return LEGATION_EINVAL;
  *out = h->ev[i];
  return LEGATION_OK;
}

/* Replace the handle's messages with m's (and a count line if some were
 * not shown); returns st. */
static legation_status fail(legation_history *h, msgs *m, legation_status st) {
  free(h->errmsg);
  h->errmsg = NULL;
  if (m->oom) {
    free(m->text);
    h->errmsg = NULL;
    return LEGATION_ENOMEM;
  }
  if (m->count > H_MAX_SHOWN) {
    char more[80];
    snprintf(more, sizeof more, "%s: %d more problems not shown\n", m->name,
             m->count - H_MAX_SHOWN);
    size_t k = strlen(more);
    char *t = realloc(m->text, m->len + k + 1);
    if (t) {
      memcpy(t + m->len, more, k + 1);
      m->text = t;
      m->len += k;
    }
  }
  /* one message per line, without the final newline */
  if (m->len && m->text[m->len - 1] == '\n') m->text[--m->len] = 0;
  h->errmsg = m->text;
  return st;
}

legation_status legation_history_load_string(legation_history *h, const char *text, size_t len,
                                             const char *name) {
  if (!h || (!text && len)) return LEGATION_EINVAL;
  msgs m = {name && *name ? name : "<string>", NULL, 0, 0, 0, 0};
  if (len > H_MAX_BYTES) {
    msg_add(&m, 1, 1, "input of %zu bytes exceeds the cap of %u bytes", len, H_MAX_BYTES);
    return fail(h, &m, LEGATION_ERANGE);
  }
  char *buf = malloc(len + 1);
  if (!buf) return LEGATION_ENOMEM;
  if (len) memcpy(buf, text, len);
  buf[len] = 0;
  reader r = {buf, buf + len, buf, 1, buf};
  field f[H_NCOLS];
  int nf = 0;
  int rc = read_record(&r, f, &nf, &m);
  if (rc == 0) msg_add(&m, 1, 1, "expected the header line id,date,...,notes, found nothing");
  if (rc == 1)
    for (int k = 0; k < H_NCOLS; k++)
      if (strcmp(f[k].s, h_cols[k]) != 0) {
        char b[64];
        msg_add(&m, f[k].line, f[k].col, "header: expected column '%s', found '%s'", h_cols[k],
                shown(b, sizeof b, f[k].s));
      }
  if (rc != 1 || m.count) {
    free(buf);
    return fail(h, &m, rc < 0 || rc == 0 ? LEGATION_EPARSE : LEGATION_ESCHEMA);
  }

  legation_history_event *ev = NULL;
  int *lines = NULL; /* line of each row, for messages about links */
  int *cols8 = NULL; /* column of each row's responds_to */
  int n = 0, cap = 0;
  legation_status st = LEGATION_OK;
  while ((rc = read_record(&r, f, &nf, &m)) == 1) {
    if (n == cap) {
      int c = cap ? 2 * cap : 256;
      legation_history_event *e2 = realloc(ev, (size_t)c * sizeof *e2);
      if (e2) ev = e2;
      int *l2 = e2 ? realloc(lines, (size_t)c * sizeof *l2) : NULL;
      if (l2) lines = l2;
      int *c2 = l2 ? realloc(cols8, (size_t)c * sizeof *c2) : NULL;
      if (c2) cols8 = c2;
      if (!e2 || !l2 || !c2) {
        st = LEGATION_ENOMEM;
        break;
      }
      cap = c;
    }
    check_row(f, &ev[n], &m);
    lines[n] = f[0].line;
    cols8[n] = f[8].col;
    n++;
  }
  if (rc < 0) st = LEGATION_EPARSE;
  if (st == LEGATION_OK) {
    /* ids unique; responds_to names an earlier row (an answer follows what it answers) */
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++)
        if (strcmp(ev[i].id, ev[j].id) == 0) {
          msg_add(&m, lines[i], 1, "id: '%s' is already the id of line %d", ev[i].id, lines[j]);
          break;
        }
      if (!*ev[i].responds_to) continue;
      int found = 0;
      for (int j = 0; j < i && !found; j++) found = strcmp(ev[i].responds_to, ev[j].id) == 0;
      if (!found)
        msg_add(&m, lines[i], cols8[i], "responds_to: expected the id of an earlier row, found '%s'",
                ev[i].responds_to);
    }
    if (m.count) st = LEGATION_ESCHEMA;
  }
  free(lines);
  free(cols8);
  if (st != LEGATION_OK || m.oom) {
    free(ev);
    free(buf);
    return fail(h, &m, st == LEGATION_OK ? LEGATION_ENOMEM : st);
  }
  free(m.text);
  free(h->buf);
  free(h->ev);
  free(h->errmsg);
  h->errmsg = NULL;
  h->buf = buf;
  h->ev = ev;
  h->n = n;
  free(h->st); /* statistics of the previous record */
  h->st = NULL;
  h->nst = 0;
  return LEGATION_OK;
}

legation_status legation_history_load_builtin(legation_history *h) {
  return legation_history_load_string(h, lg_history_csv, lg_history_csv_len, "data/events.csv");
}

/* ------------------------------------------------------------ countries */

/* Code and the names it answers to ('|'-separated, compared without case).
 * USSR counts as Russia: the record continues the Soviet Union's missions
 * as Russia's. */
static const struct {
  const char *code;
  const char *names;
} h_countries[] = {
    {"US", "USA|United States|United States of America|America"},
    {"RU", "Russia|Russian Federation|USSR|Soviet Union"},
    {"UK", "GB|United Kingdom|Britain|Great Britain"},
    {"CZ", "Czech Republic|Czechia"},
    {"CN", "China|PRC"},
    {"DE", "Germany"},
    {"FR", "France"},
    {"IT", "Italy"},
    {"ES", "Spain"},
    {"PL", "Poland"},
    {"NL", "Netherlands"},
    {"BE", "Belgium"},
    {"DK", "Denmark"},
    {"SE", "Sweden"},
    {"NO", "Norway"},
    {"FI", "Finland"},
    {"EE", "Estonia"},
    {"LV", "Latvia"},
    {"LT", "Lithuania"},
    {"IE", "Ireland"},
    {"CA", "Canada"},
    {"AU", "Australia"},
    {"UA", "Ukraine"},
    {"MD", "Moldova"},
    {"RO", "Romania"},
    {"HU", "Hungary"},
    {"HR", "Croatia"},
    {"AL", "Albania"},
    {"ME", "Montenegro"},
    {"MK", "North Macedonia|Macedonia"},
    {"GR", "Greece"},
    {"GE", "Georgia"},
    {"NATO", "North Atlantic Treaty Organization"},
    {"EU", "European Union"},
};

/* Case-insensitive equality of s[0..n) and the NUL-terminated t. */
static int eq_nocase(const char *s, size_t n, const char *t) {
  size_t k = 0;
  for (; k < n && t[k]; k++)
    if (tolower((unsigned char)s[k]) != tolower((unsigned char)t[k])) return 0;
  return k == n && !t[k];
}

/* Code of the name s[0..n), surrounding spaces ignored; NULL if unknown. */
static const char *code_of(const char *s, size_t n) {
  while (n && isspace((unsigned char)*s)) s++, n--;
  while (n && isspace((unsigned char)s[n - 1])) n--;
  if (!n) return NULL;
  for (size_t i = 0; i < sizeof h_countries / sizeof h_countries[0]; i++) {
    if (eq_nocase(s, n, h_countries[i].code)) return h_countries[i].code;
    for (const char *p = h_countries[i].names;;) {
      const char *bar = strchr(p, '|');
      size_t len = bar ? (size_t)(bar - p) : strlen(p);
      char name[64];
      if (len < sizeof name) {
        memcpy(name, p, len);
        name[len] = 0;
        if (eq_nocase(s, n, name)) return h_countries[i].code;
      }
      if (!bar) break;
      p = bar + 1;
    }
  }
  return NULL;
}

const char *legation_country_code(const char *name) {
  return name ? code_of(name, strlen(name)) : NULL;
}

/* Nonzero when the ';'-separated list of states holds the country `code`. */
static int list_has(const char *list, const char *code) {
  for (const char *p = list;;) {
    const char *semi = strchr(p, ';');
    size_t len = semi ? (size_t)(semi - p) : strlen(p);
    const char *c = code_of(p, len);
    if (c && strcmp(c, code) == 0) return 1;
    if (!semi) return 0;
    p = semi + 1;
  }
}

int legation_history_involves(const legation_history_event *ev, const char *a, const char *b) {
  const char *ca = legation_country_code(a), *cb = legation_country_code(b);
  if (!ev || !ca || !cb || strcmp(ca, cb) == 0) return 0;
  if (strcmp(ev->target_state, "(bilateral)") == 0)
    return list_has(ev->acting_state, ca) && list_has(ev->acting_state, cb);
  return (list_has(ev->acting_state, ca) && list_has(ev->target_state, cb)) ||
         (list_has(ev->acting_state, cb) && list_has(ev->target_state, ca));
}

/* ------------------------------------------------------------ statistics */

/*
 * Targets for the model (docs/TARGETS.md).  A "move" is a calendar month in
 * which one side expelled staff of the other (the model's moves_a/moves_b);
 * its size is the sum of the persons of that month's expel rows with a
 * reported count.  An answer is a row of the other side whose responds_to
 * names the row answered.  "Another currency" is any answer or act that is
 * not an expulsion or a cap: local-staff bans, post and property closures,
 * travel rules (and visa freezes, which the record holds only in notes).
 */

#define H_Z90 1.6448536269514722 /* standard normal 95th percentile */

/* Source arrests from FACTS.md section 4 (Van Cleave, 2012): Russian
 * espionage arrests in the US, 9 in the 1980s, 7 in the 1990s, 1 in 2001,
 * none to 2012.  Acting side: the US (the host that caught Russia's
 * sources); the last row covers 2010-2012 only. */
static const struct {
  int from, to, arrests;
} h_arrests[] = {{1980, 1989, 9}, {1990, 1999, 7}, {2000, 2009, 1}, {2010, 2012, 0}};

/* Actions that answer in "another currency" (neither expel nor cap). */
static int other_currency(const char *action) {
  return strcmp(action, "ban_local_staff") == 0 || strcmp(action, "close_post") == 0 ||
         strcmp(action, "travel_restriction") == 0 || strcmp(action, "visa_freeze") == 0 ||
         strcmp(action, "seize_property") == 0;
}

/* Months since year 0 of an event, mid-month (day 15) when the day is unknown,
 * as a real number of months (30.4375 days each). */
static double month_of(const legation_history_event *e) {
  double d = e->day ? e->day : 15;
  return e->year * 12.0 + (e->month - 1) + (d - 1) / 30.4375;
}

static int dir_is(const legation_history_event *e, const char *x, const char *y) {
  return strcmp(e->target_state, "(bilateral)") != 0 && list_has(e->acting_state, x) &&
         list_has(e->target_state, y);
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

typedef struct stat_buf {
  legation_history_stat *v;
  int n, cap;
  int oom;
} stat_buf;

/* Append one statistic; its sd is the 90% interval's half-width / 1.645
 * unless given (sd_given finite). */
static void put_sd(stat_buf *b, const char *name, const char *side, int from, int to,
                   double value, double lo, double hi, double sd_given, int n, const char *unit,
                   const char *method) {
  if (b->oom) return;
  if (b->n == b->cap) {
    int c = b->cap ? 2 * b->cap : 32;
    legation_history_stat *v = realloc(b->v, (size_t)c * sizeof *v);
    if (!v) {
      b->oom = 1;
      return;
    }
    b->v = v;
    b->cap = c;
  }
  double sd = isfinite(sd_given) ? sd_given
              : isfinite(lo) && isfinite(hi) && strcmp(method, "none") != 0
                  ? (hi - lo) / (2 * H_Z90)
                  : NAN;
  b->v[b->n++] = (legation_history_stat){name, side, from, to, value, lo, hi, sd, n, unit, method};
}

static void put(stat_buf *b, const char *name, const char *side, int from, int to, double value,
                double lo, double hi, int n, const char *unit, const char *method) {
  put_sd(b, name, side, from, to, value, lo, hi, NAN, n, unit, method);
}

/* Exact (Garwood) 90% interval of a Poisson mean given k events. */
static void poisson90(int k, double *lo, double *hi) {
  *lo = k ? gsl_cdf_chisq_Pinv(0.05, 2.0 * k) / 2 : 0;
  *hi = gsl_cdf_chisq_Pinv(0.95, 2.0 * k + 2) / 2;
}

/* Wilson 90% interval of k successes in n. */
static void wilson90(int k, int n, double *lo, double *hi) {
  if (n <= 0) {
    *lo = *hi = NAN;
    return;
  }
  double z = H_Z90, p = (double)k / n, z2 = z * z;
  double c = (p + z2 / (2 * n)) / (1 + z2 / n);
  double w = z * sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / (1 + z2 / n);
  *lo = c - w < 0 ? 0 : c - w;
  *hi = c + w > 1 ? 1 : c + w;
}

/* Median of x[0..n) (sorted in place) with the distribution-free interval
 * [x(l), x(n+1-l)], l the largest order with P(Binomial(n, 1/2) < l) <= 0.05
 * (coverage >= 90%); for n < 5 no l >= 1 qualifies and the interval is the
 * range, whose coverage is 1 - 2^(1-n) (method "order" either way). */
static void median90(double *x, int n, double *med, double *lo, double *hi) {
  if (n <= 0) {
    *med = *lo = *hi = NAN;
    return;
  }
  qsort(x, (size_t)n, sizeof *x, cmp_double);
  *med = n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
  int l = 1;
  for (int j = 1; j <= n / 2; j++)
    if (gsl_cdf_binomial_P((unsigned)(j - 1), 0.5, (unsigned)n) <= 0.05) l = j;
  *lo = x[l - 1];
  *hi = x[n - l];
}

/* Statistics of side x acting on y over [from, to] into b. */
static void side_stats(const legation_history *h, const char *x, const char *y, int from, int to,
                       stat_buf *b) {
  double years = to - from + 1;
  /* moves: calendar months with an expulsion by x of y's staff */
  double *size = calloc((size_t)h->n + 1, sizeof *size);
  double *delay = calloc((size_t)h->n + 1, sizeof *delay);
  int *known = calloc((size_t)h->n + 1, sizeof *known);
  if (!size || !delay || !known) {
    free(size), free(delay), free(known);
    b->oom = 1;
    return;
  }
  int moves = 0, unknown_rows = 0, last_ym = -1, rows = 0;
  double persons = 0, persons_sq = 0;
  for (int i = 0; i < h->n; i++) {
    const legation_history_event *e = &h->ev[i];
    if (e->year < from || e->year > to || strcmp(e->action, "expel") != 0 || !dir_is(e, x, y))
      continue;
    rows++;
    int ym = e->year * 12 + e->month - 1;
    if (ym != last_ym) { /* rows are in date order: a new month is a new move */
      moves++;
      last_ym = ym;
    }
    if (e->persons < 0) {
      unknown_rows++;
      continue;
    }
    size[moves - 1] += e->persons;
    known[moves - 1] = 1;
    persons += e->persons;
    persons_sq += (double)e->persons * e->persons;
  }
  double lo, hi;
  poisson90(moves, &lo, &hi);
  put(b, "moves_per_year", x, from, to, moves / years, lo / years, hi / years, moves,
      "moves/year", "poisson");
  double sd = sqrt(persons_sq) / years;
  double v = persons / years;
  /* a compound Poisson sum: Var = sum of squared sizes; the interval is
   * the normal one, cut at 0 (sd stays the unclipped standard error) */
  put_sd(b, "persons_per_year", x, from, to, v, v - H_Z90 * sd < 0 ? 0 : v - H_Z90 * sd,
         v + H_Z90 * sd, sd, rows - unknown_rows, "persons/year", "compound-poisson");
  int nk = 0;
  for (int k = 0; k < moves; k++)
    if (known[k]) size[nk++] = size[k];
  double med;
  median90(size, nk, &med, &lo, &hi);
  put(b, "persons_per_move_median", x, from, to, med, lo, hi, nk, "persons", "order");
  put(b, "persons_per_move_max", x, from, to, nk ? size[nk - 1] : NAN, NAN, NAN, nk, "persons",
      "none");
  put(b, "moves_size_unknown", x, from, to, unknown_rows, NAN, NAN, rows, "rows", "none");

  /* answers by x to y's moves in the era (the answer may fall later): a
   * move (a month of y's expulsions) is answered when x answers any of its
   * rows; the delay runs from that row to x's first answer to it */
  int suffered = 0, answered = 0, nd = 0, answers = 0, other = 0;
  int ym_prev = -1, this_answered = 0;
  for (int i = 0; i < h->n; i++) {
    const legation_history_event *e = &h->ev[i];
    if (e->year < from || e->year > to || strcmp(e->action, "expel") != 0 || !dir_is(e, y, x))
      continue;
    int ym = e->year * 12 + e->month - 1;
    if (ym != ym_prev) {
      suffered++;
      ym_prev = ym;
      this_answered = 0;
    }
    if (this_answered) continue;
    for (int j = i + 1; j < h->n; j++) {
      const legation_history_event *r = &h->ev[j];
      if (strcmp(r->responds_to, e->id) != 0 || !list_has(r->acting_state, x)) continue;
      answered++;
      this_answered = 1;
      delay[nd++] = month_of(r) - month_of(e);
      break;
    }
  }
  wilson90(answered, suffered, &lo, &hi);
  put(b, "answered_share", x, from, to, suffered ? (double)answered / suffered : NAN, lo, hi,
      suffered, "share", "wilson");
  median90(delay, nd, &med, &lo, &hi);
  put(b, "answer_delay_months", x, from, to, med, lo, hi, nd, "months", "order");
  /* answers of x (to anything y did) and acts of x in another currency */
  int acts = 0;
  for (int i = 0; i < h->n; i++) {
    const legation_history_event *e = &h->ev[i];
    if (e->year < from || e->year > to || !dir_is(e, x, y)) continue;
    int oc = other_currency(e->action);
    acts += oc;
    if (!*e->responds_to) continue;
    int to_y = 0;
    for (int j = 0; j < i && !to_y; j++)
      to_y = strcmp(h->ev[j].id, e->responds_to) == 0 && list_has(h->ev[j].acting_state, y);
    if (!to_y) continue;
    answers++;
    other += oc;
  }
  poisson90(acts, &lo, &hi);
  put(b, "other_currency_per_year", x, from, to, acts / years, lo / years, hi / years, acts,
      "acts/year", "poisson");
  wilson90(other, answers, &lo, &hi);
  put(b, "other_currency_share", x, from, to, answers ? (double)other / answers : NAN, lo, hi,
      answers, "share", "wilson");
  /* caps x set on y's mission: the last level and the range */
  int caps = 0;
  double last = NAN, cmin = NAN, cmax = NAN;
  for (int i = 0; i < h->n; i++) {
    const legation_history_event *e = &h->ev[i];
    if (e->year < from || e->year > to || strcmp(e->action, "cap_staff") != 0 || !dir_is(e, x, y) ||
        e->persons < 0)
      continue;
    caps++;
    last = e->persons;
    if (caps == 1 || e->persons < cmin) cmin = e->persons;
    if (caps == 1 || e->persons > cmax) cmax = e->persons;
  }
  put(b, "cap_level_last", x, from, to, last, cmin, cmax, caps, "persons", "none");
  free(size);
  free(delay);
  free(known);
}

static legation_status stats_fail(legation_history *h, legation_status st, const char *what,
                                  const char *arg) {
  char buf[300];
  snprintf(buf, sizeof buf, "stats: %s%s%s", what, *arg ? " " : "", arg);
  free(h->errmsg);
  h->errmsg = malloc(strlen(buf) + 1);
  if (h->errmsg) memcpy(h->errmsg, buf, strlen(buf) + 1);
  return st;
}

legation_status legation_history_stats(legation_history *h, const char *a, const char *b,
                                       int from, int to) {
  if (!h) return LEGATION_EINVAL;
  const char *ca = a ? legation_country_code(a) : NULL, *cb = b ? legation_country_code(b) : NULL;
  if (!ca) return stats_fail(h, LEGATION_EINVAL, "unknown country", a ? a : "");
  if (!cb) return stats_fail(h, LEGATION_EINVAL, "unknown country", b ? b : "");
  if (strcmp(ca, cb) == 0)
    return stats_fail(h, LEGATION_EINVAL, "expected two different countries, found twice", ca);
  if (from > to) return stats_fail(h, LEGATION_EINVAL, "the era's first year is after its last", "");
  stat_buf sb = {0};
  side_stats(h, ca, cb, from, to, &sb);
  side_stats(h, cb, ca, from, to, &sb);
  int us_ru = (!strcmp(ca, "US") && !strcmp(cb, "RU")) || (!strcmp(ca, "RU") && !strcmp(cb, "US"));
  for (size_t k = 0; us_ru && k < sizeof h_arrests / sizeof h_arrests[0]; k++) {
    /* a decade's count is not divisible by year: every decade that
     * overlaps the era is given whole, with its own years */
    int f = h_arrests[k].from, t = h_arrests[k].to;
    if (t < from || f > to) continue;
    double yrs = t - f + 1, lo, hi;
    int k_ = h_arrests[k].arrests;
    poisson90(k_, &lo, &hi);
    put(&sb, "source_arrests_per_decade", "US", f, t, k_ * 10 / yrs, lo * 10 / yrs,
        hi * 10 / yrs, k_, "arrests/decade", "poisson");
  }
  if (sb.oom) {
    free(sb.v);
    return LEGATION_ENOMEM;
  }
  free(h->st);
  h->st = sb.v;
  h->nst = sb.n;
  return LEGATION_OK;
}

int legation_history_stat_count(const legation_history *h) { return h ? h->nst : 0; }

legation_status legation_history_stat_get(const legation_history *h, int i,
                                          legation_history_stat *out) {
  if (!h || !out || i < 0 || i >= h->nst) return LEGATION_EINVAL;
  *out = h->st[i];
  return LEGATION_OK;
}
