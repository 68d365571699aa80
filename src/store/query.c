/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * query.c - reading the results store: listing runs, one run's row, its
 * data as tidy tables (summary, series, reps, events, params), and
 * rebuilding a run from its stored scenario and checkpoint, to show it or
 * to resume it (after deleting rows beyond the checkpoint so that none is
 * stored twice).
 */
#include "store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Columns of the run row, in the order fill_run reads them. */
#define RUN_COLUMNS                                                                         \
  "id, status, created, started, coalesce(ended, 0), seconds, scenario_name,"             \
  " scenario_title, origin, scenario_text, sets, hash, seed, reps_requested, reps_done,"  \
  " months, threads, variants, keep_reps, store_events, version, error, pid, host, updated,"  \
  " label"

static const char *col_text(sqlite3_stmt *q, int i) {
  const unsigned char *t = sqlite3_column_text(q, i);
  return t ? (const char *)t : "";
}

/* Fill *r from the current row of a RUN_COLUMNS query; strings point into
 * the statement (valid until the next step). */
static void fill_run(sqlite3_stmt *q, legation_store_run *r) {
  memset(r, 0, sizeof *r);
  r->id = sqlite3_column_int64(q, 0);
  r->status = col_text(q, 1);
  r->created = col_text(q, 2);
  r->started = sqlite3_column_double(q, 3);
  r->ended = sqlite3_column_double(q, 4);
  r->seconds = sqlite3_column_double(q, 5);
  r->scenario_name = col_text(q, 6);
  r->scenario_title = col_text(q, 7);
  r->origin = col_text(q, 8);
  r->scenario_text = col_text(q, 9);
  r->sets = col_text(q, 10);
  r->hash = col_text(q, 11);
  r->seed = strtoull(col_text(q, 12), NULL, 10);
  r->reps_requested = sqlite3_column_int64(q, 13);
  r->reps_done = sqlite3_column_int64(q, 14);
  r->months = sqlite3_column_int(q, 15);
  r->threads = sqlite3_column_int(q, 16);
  r->variants = sqlite3_column_int(q, 17);
  r->keep_reps = sqlite3_column_int(q, 18);
  r->store_events = sqlite3_column_int(q, 19);
  r->version = col_text(q, 20);
  r->error = col_text(q, 21);
  r->label = col_text(q, 25);
  if (strcmp(r->status, "running") == 0 &&
      st_is_stale(sqlite3_column_int64(q, 22), col_text(q, 23), sqlite3_column_double(q, 24))) {
    r->stale = 1;
    r->status = "incomplete";
  }
}

legation_status legation_store_list(legation_store *st, legation_store_run_fn fn, void *user) {
  if (!st || !st->db || !fn) return LEGATION_EINVAL;
  st->err[0] = 0;
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(st->db, "SELECT " RUN_COLUMNS " FROM run ORDER BY id DESC", -1, &q,
                         NULL) != SQLITE_OK)
    return st_fail_db(st, "cannot list runs");
  int rc;
  legation_status s = LEGATION_OK;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    legation_store_run r;
    fill_run(q, &r);
    if (fn(user, &r)) {
      s = LEGATION_EINTR;
      break;
    }
  }
  if (s == LEGATION_OK && rc != SQLITE_DONE) s = st_fail_db(st, "cannot list runs");
  sqlite3_finalize(q);
  return s;
}

/* Copy the strings of *r into the store's arena so they outlive the
 * statement. 0 or -1 on OOM. */
static int keep_strings(legation_store *st, legation_store_run *r) {
  const char **f[] = {&r->status, &r->created,       &r->scenario_name, &r->scenario_title,
                      &r->origin, &r->scenario_text, &r->sets,          &r->hash,
                      &r->version, &r->error,  &r->label};
  size_t n = 0;
  for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) n += strlen(*f[i]) + 1;
  char *a = malloc(n), *p = a;
  if (!a) return -1;
  for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
    size_t k = strlen(*f[i]) + 1;
    memcpy(p, *f[i], k);
    *f[i] = p;
    p += k;
  }
  free(st->arena);
  st->arena = a;
  return 0;
}

legation_status legation_store_get(legation_store *st, int64_t id, legation_store_run *out) {
  if (!st || !st->db || !out) return LEGATION_EINVAL;
  st->err[0] = 0;
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(st->db, "SELECT " RUN_COLUMNS " FROM run WHERE id=?", -1, &q, NULL) !=
      SQLITE_OK)
    return st_fail_db(st, "cannot read runs");
  sqlite3_bind_int64(q, 1, id);
  int rc = sqlite3_step(q);
  legation_status s = LEGATION_OK;
  if (rc == SQLITE_ROW) {
    fill_run(q, out);
    if (keep_strings(st, out) != 0) s = st_fail(st, LEGATION_ENOMEM, "out of memory");
  } else if (rc == SQLITE_DONE) {
    s = st_fail(st, LEGATION_ENOTFOUND, "no run %lld (see 'legation runs')", (long long)id);
  } else {
    s = st_fail_db(st, "cannot read runs");
  }
  sqlite3_finalize(q);
  return s;
}

/* The stored checkpoint of run id into malloc'd *buf (NULL if none). */
static legation_status load_checkpoint(legation_store *st, int64_t id, void **buf, size_t *len) {
  *buf = NULL;
  *len = 0;
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(st->db, "SELECT checkpoint FROM run WHERE id=?", -1, &q, NULL) !=
      SQLITE_OK)
    return st_fail_db(st, "cannot read the checkpoint");
  sqlite3_bind_int64(q, 1, id);
  legation_status s = LEGATION_OK;
  if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) == SQLITE_BLOB) {
    int n = sqlite3_column_bytes(q, 0);
    const void *b = sqlite3_column_blob(q, 0);
    if (n > 0 && b) {
      *buf = st_ck_decode(b, (size_t)n, len);
      if (!*buf) s = st_fail(st, LEGATION_EIO, "run %lld: its checkpoint is damaged", (long long)id);
    }
  }
  sqlite3_finalize(q);
  return s;
}

/* A scenario of stored run `id` (the base or an option): its text loaded
 * the way it was (a built-in by name, so that its own base resolves the
 * same), then the run's overrides. */
static legation_status stored_scenario(legation_store *st, int64_t id, int variant,
                                       const char *origin, const char *text, const char *sets,
                                       legation_scenario *sc) {
  legation_status s;
  const char *bname = strncmp(origin, "builtin:", 8) == 0 ? origin + 8 : NULL;
  const char *btext = bname ? legation_builtin_text(bname) : NULL;
  int from_files = 0;
  /* schema 3: the stored texts of the file and all its bases, nothing else */
  s = st_load_files(st, id, variant, sc, &from_files);
  if (s == LEGATION_ENOMEM || (s != LEGATION_OK && !from_files)) return s;
  if (from_files)
    ; /* loaded (or failed with the scenario's messages, reported below) */
  else if (btext && strcmp(btext, text) == 0)
    s = legation_scenario_load_builtin(sc, bname);
  else
    s = legation_scenario_load_string(sc, text, strlen(text), origin);
  const char *p = sets;
  while (s == LEGATION_OK && *p) {
    size_t n = strcspn(p, "\n");
    char *kv = malloc(n + 1);
    if (!kv) return st_fail(st, LEGATION_ENOMEM, "out of memory");
    memcpy(kv, p, n);
    kv[n] = 0;
    char *eq = strchr(kv, '=');
    if (eq && kv[0] != '@') { /* '@' lines are run settings (apply_run_settings) */
      *eq = 0;
      s = legation_scenario_set(sc, kv, eq + 1);
    }
    free(kv);
    p += n;
    if (*p == '\n') p++;
  }
  if (s == LEGATION_OK) s = legation_scenario_validate(sc);
  if (s != LEGATION_OK) {
    const char *m = legation_scenario_errmsg(sc);
    return st_fail(st, s, "run %lld: its scenario %s no longer loads: %s", (long long)id,
                   origin, m && *m ? m : legation_strerror(s));
  }
  return LEGATION_OK;
}

/* "@sweep=DESIGN;NPOINTS;REPS_PER_POINT;KEY:LO:HI:LEVELS;..." (LO and HI
 * "-" for the scenario's range), as session.c writes it. */
static legation_status apply_sweep(legation_run *run, const char *text, size_t n) {
  char *buf = malloc(n + 1);
  legation_sweep_key *keys = calloc(n + 1, sizeof *keys);
  if (!buf || !keys) {
    free(buf), free(keys);
    return LEGATION_ENOMEM;
  }
  memcpy(buf, text, n);
  buf[n] = 0;
  char *save = NULL, *f[4];
  char *design = strtok_r(buf, ";", &save), *np = strtok_r(NULL, ";", &save),
       *rpp = strtok_r(NULL, ";", &save);
  int nk = 0;
  legation_status s = design && np && rpp ? LEGATION_OK : LEGATION_EINVAL;
  for (char *t = strtok_r(NULL, ";", &save); t && s == LEGATION_OK; t = strtok_r(NULL, ";", &save)) {
    char *s2 = NULL;
    int k = 0;
    for (char *u = strtok_r(t, ":", &s2); u && k < 4; u = strtok_r(NULL, ":", &s2)) f[k++] = u;
    if (k != 4) {
      s = LEGATION_EINVAL;
      break;
    }
    keys[nk].key = f[0];
    keys[nk].lo = strcmp(f[1], "-") == 0 ? NAN : strtod(f[1], NULL);
    keys[nk].hi = strcmp(f[2], "-") == 0 ? NAN : strtod(f[2], NULL);
    keys[nk].levels = atoi(f[3]);
    nk++;
  }
  if (s == LEGATION_OK) {
    legation_design d = strcmp(design, "grid") == 0  ? LEGATION_DESIGN_GRID
                        : strcmp(design, "lhs") == 0 ? LEGATION_DESIGN_LHS
                                                     : LEGATION_DESIGN_SOBOL;
    s = legation_run_sweep(run, keys, nk, d, strtoll(np, NULL, 10), strtoll(rpp, NULL, 10));
  }
  free(buf);
  free(keys);
  return s;
}

/* The '@' overrides of a stored run (docs/STORE.md): @vary=KEY,KEY,...
 * and @reps_per_world=K, parameters drawn per world. */
static legation_status apply_run_settings(legation_store *st, int64_t id, const char *sets,
                                          int64_t reps, legation_run *run) {
  legation_status s = LEGATION_OK;
  /* @posterior=CID with @reps_per_world=K: worlds resampled from a
   * calibration of this store (set after both are read) */
  int64_t post = 0, k = 1;
  const char *sweep = NULL; /* a sweep across the posterior: its @sweep line */
  size_t sweep_len = 0;
  for (const char *p = sets; *p;) {
    size_t n = strcspn(p, "\n");
    if (n > 11 && strncmp(p, "@posterior=", 11) == 0) post = strtoll(p + 11, NULL, 10);
    if (n > 16 && strncmp(p, "@reps_per_world=", 16) == 0) k = strtoll(p + 16, NULL, 10);
    if (n > 7 && strncmp(p, "@sweep=", 7) == 0) sweep = p + 7, sweep_len = n - 7;
    p += n;
    if (*p == '\n') p++;
  }
  if (post > 0 && sweep) {
    int np = 0;
    char **keys = NULL;
    int64_t npart = 0;
    double *values = NULL, *weights = NULL;
    s = apply_sweep(run, sweep, sweep_len);
    if (s == LEGATION_OK)
      s = legation_store_calib_posterior(st, post, &np, &keys, &npart, &values, &weights);
    if (s == LEGATION_OK)
      s = legation_run_sweep_posterior(run, (const char *const *)keys, np, values, weights, npart);
    for (int j = 0; j < np; j++) free(keys[j]);
    free(keys), free(values), free(weights);
    if (s != LEGATION_OK)
      return st_fail(st, s, "run %lld: its sweep across a posterior no longer applies: %s",
                     (long long)id, legation_run_errmsg(run));
    return LEGATION_OK;
  }
  if (post > 0) {
    int np = 0;
    char **keys = NULL;
    int64_t npart = 0;
    double *values = NULL, *weights = NULL;
    s = legation_store_calib_posterior(st, post, &np, &keys, &npart, &values, &weights);
    if (s != LEGATION_OK) return s;
    if (k < 1) k = 1;
    s = legation_run_set_posterior(run, (const char *const *)keys, np, values, weights, npart,
                                   (reps + k - 1) / k, k);
    for (int j = 0; j < np; j++) free(keys[j]);
    free(keys), free(values), free(weights);
    if (s != LEGATION_OK)
      return st_fail(st, s, "run %lld: its posterior no longer applies: %s", (long long)id,
                     legation_run_errmsg(run));
    return LEGATION_OK;
  }
  for (const char *p = sets; s == LEGATION_OK && *p;) {
    size_t n = strcspn(p, "\n");
    if (n > 6 && strncmp(p, "@vary=", 6) == 0) {
      char *list = malloc(n);
      const char **keys = calloc(n, sizeof *keys);
      if (!list || !keys) {
        free(list), free(keys);
        return st_fail(st, LEGATION_ENOMEM, "out of memory");
      }
      memcpy(list, p + 6, n - 6);
      list[n - 6] = 0;
      int nk = 0;
      char *save = NULL;
      for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) keys[nk++] = t;
      s = legation_run_vary(run, keys, nk);
      free(list), free(keys);
    } else if (n > 7 && strncmp(p, "@sweep=", 7) == 0) {
      s = apply_sweep(run, p + 7, n - 7);
    } else if (n > 16 && strncmp(p, "@reps_per_world=", 16) == 0) {
      s = legation_run_set_reps_per_world(run, strtoll(p + 16, NULL, 10));
    }
    p += n;
    if (*p == '\n') p++;
  }
  if (s != LEGATION_OK)
    return st_fail(st, s, "run %lld: its drawn parameters no longer apply: %s", (long long)id,
                   legation_run_errmsg(run));
  return LEGATION_OK;
}

/* Add the stored options of comparison `id` (run_variant, in order) to
 * run; `sets` are the run's overrides.  nvar: the run's variant count. */
static legation_status add_stored_variants(legation_store *st, int64_t id, int nvar,
                                           const char *sets, legation_run *run) {
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(st->db,
                         "SELECT variant, origin, scenario_text FROM run_variant"
                         " WHERE run_id=? ORDER BY variant",
                         -1, &q, NULL) != SQLITE_OK)
    return st_fail_db(st, "cannot read the options");
  sqlite3_bind_int64(q, 1, id);
  legation_status s = LEGATION_OK;
  int added = 1, rc;
  while (s == LEGATION_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
    if (sqlite3_column_int(q, 0) != added) break; /* a gap: counted below */
    legation_scenario *sc = legation_scenario_new();
    if (!sc) {
      s = st_fail(st, LEGATION_ENOMEM, "out of memory");
      break;
    }
    s = stored_scenario(st, id, added, col_text(q, 1), col_text(q, 2), sets, sc);
    if (s == LEGATION_OK && legation_run_add_variant(run, sc) != added) {
      const char *m = legation_run_errmsg(run);
      s = st_fail(st, LEGATION_EINVAL, "run %lld: option %d (%s) cannot be added: %s",
                  (long long)id, added, col_text(q, 1), m && *m ? m : "refused");
    }
    legation_scenario_free(sc);
    if (s == LEGATION_OK) added++;
  }
  if (s == LEGATION_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
    s = st_fail_db(st, "cannot read the options");
  sqlite3_finalize(q);
  if (s == LEGATION_OK && added != nvar)
    s = st_fail(st, LEGATION_EIO, "run %lld compares %d scenarios but %d are stored",
                (long long)id, nvar, added);
  return s;
}

legation_status legation_store_rebuild(legation_store *st, int64_t id, legation_run **out) {
  if (!st || !st->db || !out) return LEGATION_EINVAL;
  *out = NULL;
  legation_store_run r;
  legation_status s = legation_store_get(st, id, &r);
  if (s != LEGATION_OK) return s;
  legation_scenario *sc = legation_scenario_new();
  if (!sc) return st_fail(st, LEGATION_ENOMEM, "out of memory");
  if ((s = stored_scenario(st, id, 0, r.origin, r.scenario_text, r.sets, sc)) != LEGATION_OK) {
    legation_scenario_free(sc);
    return s;
  }
  legation_run *run = legation_run_new(sc);
  legation_scenario_free(sc);
  if (!run) return st_fail(st, LEGATION_ENOMEM, "out of memory");
  /* r's strings live in the arena, which the reads below do not touch */
  if (r.variants > 1 &&
      (s = add_stored_variants(st, id, r.variants, r.sets, run)) != LEGATION_OK) {
    legation_run_free(run);
    return s;
  }
  if ((s = legation_run_set_seed(run, r.seed)) == LEGATION_OK)
    s = apply_run_settings(st, id, r.sets, r.reps_requested, run);
  if (s != LEGATION_OK) {
    legation_run_free(run);
    return s;
  }
  if (legation_run_set_reps(run, r.reps_requested) != LEGATION_OK ||
      legation_run_set_seed(run, r.seed) != LEGATION_OK ||
      legation_run_set_threads(run, r.threads) != LEGATION_OK) {
    s = st_fail(st, LEGATION_EINVAL, "run %lld: %s", (long long)id, legation_run_errmsg(run));
    legation_run_free(run);
    return s;
  }
  void *buf;
  size_t len;
  if ((s = load_checkpoint(st, id, &buf, &len)) != LEGATION_OK) {
    legation_run_free(run);
    return s;
  }
  if (buf) {
    s = legation_run_restore(run, buf, len);
    free(buf);
    if (s != LEGATION_OK) {
      s = st_fail(st, s, "run %lld: cannot restore its checkpoint: %s", (long long)id,
                  legation_run_errmsg(run));
      legation_run_free(run);
      return s;
    }
  }
  *out = run;
  return LEGATION_OK;
}

legation_status legation_store_resume(legation_store *st, int64_t id, const legation_run *run) {
  if (!st || !st->db || !run) return LEGATION_EINVAL;
  if (st->active) return st_fail(st, LEGATION_EINVAL, "a run is already being recorded");
  legation_store_run r;
  legation_status s = legation_store_get(st, id, &r);
  if (s != LEGATION_OK) return s;
  if (strcmp(r.status, "complete") == 0)
    return st_fail(st, LEGATION_EINVAL, "run %lld is complete; there is nothing to resume",
                   (long long)id);
  if (strcmp(r.status, "failed") == 0)
    return st_fail(st, LEGATION_EINVAL, "run %lld failed (%s); it cannot be resumed",
                   (long long)id, r.error);
  if (strcmp(r.status, "running") == 0)
    return st_fail(st, LEGATION_EINVAL,
                   "run %lld is still running in another process; stop it first",
                   (long long)id);
  int keep = r.keep_reps, events = r.store_events;
  double seconds = r.seconds;
  int64_t done = legation_run_reps_done(run);
  char host[256];
  st_hostname(host, sizeof host);
  if ((s = st_begin(st)) != LEGATION_OK) return s;
  sqlite3_stmt *q = NULL;
  const char *sql[] = {"DELETE FROM rep_output WHERE run_id=?1 AND first_rep>=?2",
                       ("UPDATE rep_output SET outputs=substr(outputs, 1, (?2 - first_rep) *"
                        " (length(outputs) / count)), count=?2 - first_rep WHERE run_id=?1"
                        " AND first_rep<?2 AND first_rep + count>?2"),
                       "DELETE FROM event WHERE run_id=?1 AND rep>=?2",
                       "DELETE FROM point_output WHERE run_id=?1 AND (point + 1) * ?6 > ?2",
                       "DELETE FROM point_param WHERE run_id=?1 AND (point + 1) * ?6 > ?2",
                       ("UPDATE run SET status='running', ended=NULL, reps_done=?2, pid=?3,"
                        " host=?4, updated=?5 WHERE id=?1")};
  for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
    if (sqlite3_prepare_v2(st->db, sql[i], -1, &q, NULL) != SQLITE_OK) goto db_fail;
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_int64(q, 2, done);
    if (i == 3 || i == 4) {
      int64_t rpw = legation_run_reps_per_world(run);
      sqlite3_bind_int64(q, 6, rpw > 0 ? rpw : 1);
    }
    if (i == 5) {
      sqlite3_bind_int64(q, 3, (int64_t)getpid());
      sqlite3_bind_text(q, 4, host, -1, SQLITE_TRANSIENT);
      sqlite3_bind_double(q, 5, st_wall());
    }
    if (sqlite3_step(q) != SQLITE_DONE) goto db_fail;
    sqlite3_finalize(q);
    q = NULL;
  }
  if ((s = st_commit(st)) != LEGATION_OK) return s;
  st->active = 1;
  st->run = run;
  st->id = id;
  st->keep_reps = keep;
  st->store_events = events;
  st->nout = legation_output_count();
  st->seconds_before = seconds;
  st->last_ck = st->t_begin = st_mono();
  st->write_failed = 0;
  return LEGATION_OK;
db_fail:
  s = st_fail_db(st, "cannot resume the run");
  sqlite3_finalize(q);
  st_rollback(st);
  return s;
}

/* ------------------------------------------------------------ tables */

/* A cell from column i of the current row (REAL NULL stays NULL). */
static legation_store_cell cell_of(sqlite3_stmt *q, int i) {
  legation_store_cell c = {LEGATION_CELL_NULL, 0, 0, NULL};
  switch (sqlite3_column_type(q, i)) {
  case SQLITE_INTEGER:
    c.type = LEGATION_CELL_INT;
    c.i = sqlite3_column_int64(q, i);
    break;
  case SQLITE_FLOAT:
    c.type = LEGATION_CELL_REAL;
    c.r = sqlite3_column_double(q, i);
    break;
  case SQLITE_TEXT:
    c.type = LEGATION_CELL_TEXT;
    c.text = col_text(q, i);
    break;
  default:
    break;
  }
  return c;
}

#define ST_MAX_COLS 20

typedef struct table_def {
  const char *what;
  const char *sql; /* ?1 = run id; selects the columns after "run" */
  const char *cols[ST_MAX_COLS];
} table_def;

static const table_def tables[] = {
    {"summary",
     "SELECT s.variant, s.output, o.unit, o.kind, s.n, s.mean, s.sd, s.lo, s.hi, s.min,"
     " s.q05, s.q25, s.q50, s.q75, s.q95, s.max FROM summary s LEFT JOIN run_output o"
     " ON o.run_id=s.run_id AND o.position=s.position WHERE s.run_id=?1"
     " ORDER BY s.variant, s.position",
     {"run", "variant", "output", "unit", "kind", "n", "mean", "sd", "lo", "hi", "min", "q05",
      "q25", "q50", "q75", "q95", "max"}},
    {"series",
     "SELECT variant, series, month, n, mean, q05, q25, q50, q75, q95 FROM series_band"
     " WHERE run_id=?1 ORDER BY variant, position, month",
     {"run", "variant", "series", "month", "n", "mean", "q05", "q25", "q50", "q75", "q95"}},
    {"events",
     "SELECT rep, month, acting_state, target_state, action, persons, officers, reason, chain"
     " FROM event WHERE run_id=?1 ORDER BY rep, rowid",
     {"run", "rep", "month", "acting_state", "target_state", "action", "persons", "officers",
      "reason", "chain"}},
    {"params",
     "SELECT key, value, source FROM run_param WHERE run_id=?1 ORDER BY position",
     {"run", "key", "value", "source"}},
    {"reps",
     "SELECT first_rep, variant, count, outputs FROM rep_output WHERE run_id=?1"
     " ORDER BY variant, first_rep",
     {"run", "rep", "variant", "output", "value"}},
    {"variants",
     "SELECT 0, scenario_name, scenario_title, origin, hash FROM run WHERE id=?1"
     " UNION ALL SELECT variant, name, title, origin, scenario_hash FROM run_variant"
     " WHERE run_id=?1 ORDER BY 1",
     {"run", "variant", "name", "title", "origin", "hash"}},
    {"diffs",
     "SELECT d.variant, d.output, o.unit, o.kind, d.n, d.mean, d.sd, d.lo, d.hi, d.min,"
     " d.q05, d.q25, d.q50, d.q75, d.q95, d.max, d.indep_lo, d.indep_hi, d.narrowing"
     " FROM summary_diff d LEFT JOIN run_output o ON o.run_id=d.run_id AND"
     " o.position=d.position WHERE d.run_id=?1 ORDER BY d.variant, d.position",
     {"run", "variant", "output", "unit", "kind", "n", "mean", "sd", "lo", "hi", "min", "q05",
      "q25", "q50", "q75", "q95", "max", "indep_lo", "indep_hi", "narrowing"}},
    {"points",
     "SELECT p.point, p.variant, p.diff, o.name, p.n, p.mean, p.sd, p.lo, p.hi"
     " FROM point_output p LEFT JOIN run_output o ON o.run_id=p.run_id AND"
     " o.position=p.position WHERE p.run_id=?1 ORDER BY p.point, p.diff, p.variant, p.position",
     {"run", "point", "variant", "diff", "output", "n", "mean", "sd", "lo", "hi"}},
    {"point_params",
     "SELECT point, key, value FROM point_param WHERE run_id=?1 ORDER BY point, position",
     {"run", "point", "key", "value"}},
    {"files",
     "SELECT variant, position, key, text FROM run_file WHERE run_id=?1"
     " ORDER BY variant, position",
     {"run", "variant", "position", "key", "text"}},
};

static int ncols_of(const table_def *t) {
  int n = 0;
  while (n < ST_MAX_COLS && t->cols[n]) n++;
  return n;
}

/* Output names of run id, in position order, into *names (malloc'd array
 * of malloc'd strings). */
static legation_status output_names(legation_store *st, int64_t id, char ***names, int *n) {
  *names = NULL;
  *n = 0;
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(st->db, "SELECT name FROM run_output WHERE run_id=? ORDER BY position",
                         -1, &q, NULL) != SQLITE_OK)
    return st_fail_db(st, "cannot read output names");
  sqlite3_bind_int64(q, 1, id);
  int cap = 0;
  while (sqlite3_step(q) == SQLITE_ROW) {
    if (*n == cap) {
      cap = cap ? 2 * cap : 32;
      char **p = realloc(*names, (size_t)cap * sizeof *p);
      if (!p) goto oom;
      *names = p;
    }
    const char *t = col_text(q, 0);
    (*names)[*n] = malloc(strlen(t) + 1);
    if (!(*names)[*n]) goto oom;
    strcpy((*names)[*n], t);
    (*n)++;
  }
  sqlite3_finalize(q);
  return LEGATION_OK;
oom:
  sqlite3_finalize(q);
  return st_fail(st, LEGATION_ENOMEM, "out of memory");
}

legation_status legation_store_table(legation_store *st, int64_t id, const char *what,
                                     legation_store_row_fn fn, void *user) {
  if (!st || !st->db || !what || !fn) return LEGATION_EINVAL;
  const table_def *t = NULL;
  for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
    if (strcmp(tables[i].what, what) == 0) t = &tables[i];
  if (!t)
    return st_fail(st, LEGATION_EINVAL,
                   "expected summary, series, reps, events, params, variants, diffs or"
                   " files, found '%s'",
                   what);
  legation_store_run r;
  legation_status s = legation_store_get(st, id, &r);
  if (s != LEGATION_OK) return s;
  int reps = strcmp(what, "reps") == 0;
  char **names = NULL;
  int nnames = 0;
  if (reps && (s = output_names(st, id, &names, &nnames)) != LEGATION_OK) goto out;
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(st->db, t->sql, -1, &q, NULL) != SQLITE_OK) {
    s = st_fail_db(st, "cannot read the run's data");
    goto out;
  }
  sqlite3_bind_int64(q, 1, id);
  int nc = ncols_of(t), rc = SQLITE_DONE;
  legation_store_cell cells[ST_MAX_COLS];
  if (fn(user, nc, t->cols, NULL)) s = LEGATION_EINTR;
  cells[0].type = LEGATION_CELL_INT;
  cells[0].i = id;
  while (s == LEGATION_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
    if (!reps) {
      for (int i = 1; i < nc; i++) cells[i] = cell_of(q, i - 1);
      if (fn(user, nc, t->cols, cells)) s = LEGATION_EINTR;
      continue;
    }
    /* one row per output of each replication of the chunk (long format) */
    int64_t first = sqlite3_column_int64(q, 0);
    cells[2] = cell_of(q, 1);
    int64_t count = sqlite3_column_int64(q, 2);
    const unsigned char *b = sqlite3_column_blob(q, 3);
    int64_t bytes = sqlite3_column_bytes(q, 3);
    int per = count > 0 ? (int)(bytes / 8 / count) : 0;
    for (int64_t k = 0; k < count && s == LEGATION_OK; k++) {
      cells[1].type = LEGATION_CELL_INT;
      cells[1].i = first + k;
      for (int o = 0; o < per && s == LEGATION_OK; o++) {
        cells[3].type = LEGATION_CELL_TEXT;
        cells[3].text = o < nnames ? names[o] : "";
        double v = st_get_le(b + 8 * ((size_t)k * (size_t)per + (size_t)o));
        cells[4].type = v == v ? LEGATION_CELL_REAL : LEGATION_CELL_NULL;
        cells[4].r = v;
        if (fn(user, nc, t->cols, cells)) s = LEGATION_EINTR;
      }
    }
  }
  if (s == LEGATION_OK && rc != SQLITE_DONE) s = st_fail_db(st, "cannot read the run's data");
  sqlite3_finalize(q);
out:
  for (int i = 0; i < nnames; i++) free(names[i]);
  free(names);
  return s;
}
