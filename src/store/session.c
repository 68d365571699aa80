/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * session.c - recording one run into the results store, for every front
 * end: the new row with the full text of each scenario as the user named
 * it and the overrides (the '@' run settings that query.c reads back, so a
 * resume draws the same worlds), or a resumed row; the per-replication and
 * event sinks; checkpoints from the run's progress callback, with a store
 * that fails mid-run dropped while the run goes on; the outcome.  Also the
 * kind of a stored run and its options' operands.  Front ends print; this
 * file only keeps the message on the handle.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "legation.h"

struct legation_session {
  legation_store *st;     /* owned; closed by legation_session_free */
  int dropped;            /* a write failed during the run: no longer used */
  legation_status failure;/* that write's status, LEGATION_OK if none */
  legation_run *run;      /* borrowed from legation_session_begin */
  int64_t id;             /* the stored run */
  int store_events;       /* events go to the store */
  legation_progress_fn progress; /* the front end's, called first */
  void *progress_user;
  legation_session_error_fn on_error;
  void *error_user;
  char *err;              /* message of the last failure, malloc'd */
};

static void set_err(legation_session *s, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void set_err(legation_session *s, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  free(s->err);
  s->err = n >= 0 ? malloc((size_t)n + 1) : NULL;
  if (!s->err) return;
  va_start(ap, fmt);
  vsnprintf(s->err, (size_t)n + 1, fmt, ap);
  va_end(ap);
}

legation_session *legation_session_new(legation_store *st) {
  legation_session *s = calloc(1, sizeof *s);
  if (!s) {
    legation_store_close(st);
    return NULL;
  }
  s->st = st;
  return s;
}

void legation_session_free(legation_session *s) {
  if (!s) return;
  legation_store_close(s->st);
  free(s->err);
  free(s);
}

const char *legation_session_errmsg(const legation_session *s) {
  return s && s->err ? s->err : "";
}

legation_store *legation_session_store(const legation_session *s) {
  return s && !s->dropped ? s->st : NULL;
}

int64_t legation_session_id(const legation_session *s) { return s ? s->id : 0; }

int legation_session_store_events(const legation_session *s) { return s && s->store_events; }

legation_status legation_session_failure(const legation_session *s) {
  return s ? s->failure : LEGATION_EINVAL;
}

/* ------------------------------------------------------ recording a run */

/* Read a whole file into a malloc'd buffer; NULL on failure. */
static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    n += fread(buf + n, 1, cap - n, f);
    if (n < cap) break;
    char *b = realloc(buf, cap * 2);
    if (!b) {
      free(buf);
      buf = NULL;
      break;
    }
    buf = b;
    cap *= 2;
  }
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    free(buf);
    return NULL;
  }
  *len = n;
  return buf;
}

/* A scenario's text and origin, found the way a front end loads an
 * operand: an existing file is read again, else the built-in text. */
typedef struct scenario_source {
  char *file_text;     /* malloc'd, for a file */
  const char *text;    /* file_text or the built-in text (NULL if unknown) */
  size_t len;
  char origin[4096];   /* the path, or "builtin:NAME" */
} scenario_source;

static legation_status scenario_source_of(legation_session *s, scenario_source *src,
                                          const char *operand, const char *dflt) {
  const char *name = operand ? operand : dflt;
  struct stat sb;
  memset(src, 0, sizeof *src);
  if (operand && stat(operand, &sb) == 0) {
    src->file_text = read_file(operand, &src->len);
    if (!src->file_text) {
      set_err(s, "cannot read '%s' again to store it", operand);
      return LEGATION_EIO;
    }
    src->text = src->file_text;
    snprintf(src->origin, sizeof src->origin, "%s", operand);
  } else {
    src->text = name ? legation_builtin_text(name) : NULL;
    src->len = src->text ? strlen(src->text) : 0;
    snprintf(src->origin, sizeof src->origin, "builtin:%s", name ? name : "");
  }
  return LEGATION_OK;
}

/* The run settings kept as '@' overrides (docs/STORE.md) into a malloc'd
 * line, *rpw the @reps_per_world line (or ""); NULL line when there are
 * none.  LEGATION_ENOMEM. */
static legation_status run_settings(const legation_run *run, int64_t posterior, char **line,
                                    char *rpw, size_t rpwn) {
  *line = NULL;
  rpw[0] = 0;
  int nv = legation_run_vary_count(run);
  legation_design design;
  int64_t npoints;
  int nsk;
  const legation_sweep_key *sk;
  if (posterior) {
    if (!(*line = malloc(64))) return LEGATION_ENOMEM;
    snprintf(*line, 64, "@posterior=%lld", (long long)posterior);
    snprintf(rpw, rpwn, "@reps_per_world=%lld", (long long)legation_run_reps_per_world(run));
  } else if (legation_run_sweep_spec(run, &design, &npoints, &nsk, &sk) == LEGATION_OK) {
    static const char *const dn[] = {"grid", "lhs", "sobol"};
    size_t len = 96;
    for (int j = 0; j < nsk; j++) len += strlen(sk[j].key) + 80;
    char *vary = malloc(len);
    if (!(*line = vary)) return LEGATION_ENOMEM;
    int used = snprintf(vary, len, "@sweep=%s;%lld;%lld", dn[design], (long long)npoints,
                        (long long)legation_run_reps_per_world(run));
    for (int j = 0; j < nsk; j++) {
      if (isnan(sk[j].lo))
        used += snprintf(vary + used, len - (size_t)used, ";%s:-:-:%d", sk[j].key, sk[j].levels);
      else
        used += snprintf(vary + used, len - (size_t)used, ";%s:%.17g:%.17g:%d", sk[j].key, sk[j].lo,
                         sk[j].hi, sk[j].levels);
    }
  } else if (nv > 0) {
    size_t len = 8;
    for (int j = 0; j < nv; j++) len += strlen(legation_run_vary_key(run, j)) + 1;
    char *vary = malloc(len);
    if (!(*line = vary)) return LEGATION_ENOMEM;
    strcpy(vary, "@vary=");
    for (int j = 0; j < nv; j++) {
      if (j) strcat(vary, ",");
      strcat(vary, legation_run_vary_key(run, j));
    }
    snprintf(rpw, rpwn, "@reps_per_world=%lld", (long long)legation_run_reps_per_world(run));
  }
  return LEGATION_OK;
}

/* Record a new run: the sources of its scenarios, the overrides, the row. */
static legation_status record_new(legation_session *s, legation_run *run,
                                  const legation_session_spec *spec) {
  legation_status st = LEGATION_OK;
  int nop = spec->noperands > 0 ? spec->noperands : 1;
  scenario_source *src = calloc((size_t)nop, sizeof *src);
  legation_store_variant *var = calloc((size_t)nop, sizeof *var);
  /* the overrides: in order, then the horizon, then the run settings */
  const char **sets = calloc((size_t)(spec->nsets > 0 ? spec->nsets : 0) + 3, sizeof *sets);
  char months[48], rpw[48];
  char *vary = NULL;
  if (!src || !var || !sets) {
    st = LEGATION_ENOMEM;
    goto out;
  }
  for (int i = 0; i < nop && st == LEGATION_OK; i++) {
    const char *operand = spec->noperands > 0 ? spec->operands[i] : NULL;
    if (spec->texts && spec->texts[i]) { /* given: nothing is read */
      memset(&src[i], 0, sizeof src[i]);
      src[i].text = spec->texts[i];
      src[i].len = strlen(spec->texts[i]);
      snprintf(src[i].origin, sizeof src[i].origin, "%s", operand ? operand : "");
    } else {
      st = scenario_source_of(s, &src[i], operand, spec->default_scenario);
    }
  }
  if (st != LEGATION_OK) goto out;
  for (int i = 1; i < nop; i++)
    var[i - 1] = (legation_store_variant){src[i].text, src[i].len, src[i].origin};
  int nsets = 0;
  for (int i = 0; i < spec->nsets; i++) sets[nsets++] = spec->sets[i];
  if (spec->months) {
    snprintf(months, sizeof months, "horizon=%lld", (long long)spec->months);
    sets[nsets++] = months;
  }
  if ((st = run_settings(run, spec->posterior, &vary, rpw, sizeof rpw)) != LEGATION_OK) goto out;
  if (vary) sets[nsets++] = vary;
  if (*rpw) sets[nsets++] = rpw;
  legation_store_meta meta = {src[0].text, src[0].len, src[0].origin, sets, nsets, spec->reps,
                              spec->threads, spec->keep_reps != 0, spec->store_events != 0,
                              var, nop - 1, spec->label};
  s->store_events = meta.store_events;
  st = legation_store_begin(s->st, run, &meta, &s->id);
  if (st != LEGATION_OK) set_err(s, "%s", legation_store_errmsg(s->st));
out:
  if (st == LEGATION_ENOMEM) set_err(s, "out of memory");
  for (int i = 0; src && i < nop; i++) free(src[i].file_text);
  free(src);
  free(var);
  free(sets);
  free(vary);
  return st;
}

/* legation_progress_fn: the front end's callback first, then a checkpoint
 * when one is due.  A store that fails (a full disk) is reported once and
 * dropped; the run goes on, its row stays resumable from the last
 * checkpoint. */
static int session_progress(void *user, int64_t done, int64_t total) {
  legation_session *s = user;
  int stop = s->progress ? s->progress(s->progress_user, done, total) : 0;
  if (!s->dropped) {
    legation_status st = legation_store_progress(s->st, s->run, 0);
    if (st != LEGATION_OK) {
      set_err(s, "%s", legation_store_errmsg(s->st));
      s->failure = st;
      s->dropped = 1;
      if (s->on_error) s->on_error(s->error_user, st, legation_session_errmsg(s));
      legation_run_set_rep_sink(s->run, NULL, NULL);
      if (s->store_events) legation_run_set_event_sink(s->run, NULL, NULL);
    }
  }
  return stop;
}

legation_status legation_session_begin(legation_session *s, legation_run *run,
                                       const legation_session_spec *spec, int64_t resume) {
  if (!s || !run || !spec || !s->st) return LEGATION_EINVAL;
  s->run = run;
  s->progress = spec->progress;
  s->progress_user = spec->progress_user;
  s->on_error = spec->on_error;
  s->error_user = spec->error_user;
  legation_status st;
  legation_store_run info;
  if (resume) {
    st = legation_store_get(s->st, resume, &info);
    if (st == LEGATION_OK) {
      s->store_events = info.store_events;
      st = legation_store_resume(s->st, resume, run);
    }
    if (st != LEGATION_OK) {
      set_err(s, "%s", legation_store_errmsg(s->st));
      return st;
    }
    s->id = resume;
  } else if ((st = record_new(s, run, spec)) != LEGATION_OK) {
    return st;
  }
  if (spec->checkpoint >= 0) legation_store_set_checkpoint_interval(s->st, spec->checkpoint);
  int keep = legation_store_get(s->st, s->id, &info) == LEGATION_OK && info.keep_reps;
  if (keep) legation_run_set_rep_sink(run, legation_store_rep_sink, s->st);
  if (s->store_events && !spec->events_elsewhere)
    legation_run_set_event_sink(run, legation_store_event_sink, s->st);
  legation_run_set_progress(run, session_progress, s);
  return LEGATION_OK;
}

legation_status legation_session_finish(legation_session *s, legation_status run_status) {
  if (!s || !s->run) return LEGATION_EINVAL;
  if (s->dropped) return s->failure;
  legation_status st = legation_store_finish(s->st, s->run, run_status);
  if (st != LEGATION_OK) {
    /* a full disk: the run stays resumable from its last checkpoint */
    set_err(s, "%s", legation_store_errmsg(s->st));
    s->failure = st;
  }
  s->dropped = 1;
  return st;
}

/* ------------------------------------------------------- stored runs */

/* The value of setting "@NAME=" in r's overrides (one per line), or NULL. */
static const char *at_setting(const legation_store_run *r, const char *name) {
  size_t n = strlen(name);
  for (const char *p = r->sets; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
    if (p[0] == '@' && strncmp(p + 1, name, n) == 0 && p[1 + n] == '=') return p + 2 + n;
  return NULL;
}

const char *legation_stored_kind_name(legation_stored_kind k) {
  static const char *const names[] = {"run", "compare", "sweep", "sensitivity", "morris",
                                      "discover"};
  return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "run";
}

legation_stored_kind legation_store_run_kind(const legation_store_run *r) {
  const char *study = at_setting(r, "study");
  if (study && strncmp(study, "discover", 8) == 0) return LEGATION_STORED_DISCOVER;
  if (study) {
    const char *m = at_setting(r, "method");
    return m && strncmp(m, "morris", 6) == 0 ? LEGATION_STORED_MORRIS : LEGATION_STORED_SOBOL;
  }
  if (at_setting(r, "sweep")) return LEGATION_STORED_SWEEP;
  return r->variants > 1 ? LEGATION_STORED_COMPARE : LEGATION_STORED_RUN;
}

/* legation_store_row_fn of the "variants" table: each origin as the user
 * named it ("builtin:NAME" -> NAME, a path as is). */
typedef struct labels_ctx {
  char **v;
  int n, cap;
  int oom;
} labels_ctx;

static int on_variant(void *user, int ncols, const char *const *names,
                      const legation_store_cell *c) {
  labels_ctx *x = user;
  (void)names;
  if (!c || ncols < 5) return 0;
  const char *o = c[4].type == LEGATION_CELL_TEXT ? c[4].text : "";
  if (strncmp(o, "builtin:", 8) == 0) o += 8;
  if (x->n == x->cap) {
    int cap = x->cap ? 2 * x->cap : 8;
    char **v = realloc(x->v, (size_t)cap * sizeof *v);
    if (!v) return x->oom = 1;
    x->v = v;
    x->cap = cap;
  }
  size_t len = strlen(o) + 1;
  if (!(x->v[x->n] = malloc(len))) return x->oom = 1;
  memcpy(x->v[x->n++], o, len);
  return 0;
}

legation_status legation_store_operands(legation_store *st, int64_t id, char ***operands,
                                        int *n) {
  labels_ctx x = {0};
  legation_status s = legation_store_table(st, id, "variants", on_variant, &x);
  if (s != LEGATION_OK) {
    legation_store_operands_free(x.v, x.n);
    *operands = NULL;
    *n = 0;
    return x.oom ? LEGATION_ENOMEM : s;
  }
  *operands = x.v;
  *n = x.n;
  return LEGATION_OK;
}

void legation_store_operands_free(char **operands, int n) {
  for (int i = 0; i < n; i++) free(operands[i]);
  free(operands);
}
