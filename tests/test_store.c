/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_store.c - the results store: schema creation and migration, foreign,
 * damaged, newer and unwritable files, a run saved, listed and read back
 * with its summaries bit for bit, per-replication rows in batches, resume
 * without duplicates, and the legation binary killed (SIGKILL) or
 * interrupted (SIGINT) mid-run then resumed to the numbers of an
 * uninterrupted run.  LEGATION_BIN names the binary (set by CMake). */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "legation.h"
/* white box: full_disk limits the store's own connection */
#include "../src/store/store.h"

/* A fresh directory per case; removed at the end of the case. */
static char dir[256];
static char *tmp_path(const char *name) {
  static char buf[4][512];
  static int k;
  k = (k + 1) % 4;
  snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
  return buf[k];
}
static void make_dir(void) {
  snprintf(dir, sizeof dir, "%s/legation-store.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    exit(2);
  }
}
static void remove_dir(void) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) fprintf(stderr, "  cannot remove %s\n", dir);
}

/* One integer from SQL on the file at path (-1 on error). */
static int64_t sql_int(const char *path, const char *sql) {
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  int64_t v = -1;
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
    sqlite3_busy_timeout(db, 5000);
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
      v = sqlite3_column_int64(q, 0);
  }
  sqlite3_finalize(q);
  sqlite3_close(db);
  return v;
}

static void sql_exec(const char *path, const char *sql) {
  sqlite3 *db = NULL;
  CHECK_EQ_INT(sqlite3_open(path, &db), SQLITE_OK);
  CHECK_EQ_INT(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(db);
}

static legation_run *small_run(int64_t reps, const char *months) {
  legation_scenario *sc = legation_scenario_new();
  legation_scenario_load_builtin(sc, "us-russia-2025");
  legation_scenario_set(sc, "horizon", months);
  legation_run *r = legation_run_new(sc);
  legation_scenario_free(sc);
  legation_run_set_reps(r, reps);
  legation_run_set_seed(r, 7);
  legation_run_set_threads(r, 2);
  return r;
}

static legation_store_meta meta_for(int64_t reps, const char *const *sets, int nsets) {
  const char *text = legation_builtin_text("us-russia-2025");
  legation_store_meta m = {text, strlen(text), "builtin:us-russia-2025", sets, nsets, reps, 2, 0, 0,
                           NULL, 0, NULL};
  return m;
}

/* ------------------------------------------------------------ cases */

static void open_migrate(void) {
  make_dir();
  legation_store *st;
  CHECK_EQ_INT(legation_store_open(tmp_path("a.db"), &st), LEGATION_OK);
  CHECK_EQ_INT(legation_store_schema_version(st), 7);
  CHECK_EQ_STR(legation_store_errmsg(st), "");
  legation_store_close(st);
  /* reopening does not migrate again */
  CHECK_EQ_INT(legation_store_open(tmp_path("a.db"), &st), LEGATION_OK);
  CHECK_EQ_INT(legation_store_schema_version(st), 7);
  legation_store_close(st);
  CHECK_EQ_INT(sql_int(tmp_path("a.db"), "SELECT count(*) FROM legation_schema"), 7);
  CHECK_EQ_INT(sql_int(tmp_path("a.db"), "SELECT count(*) FROM pragma_journal_mode WHERE journal_mode='wal'"), 1);
  /* a newer schema is refused with a message */
  sql_exec(tmp_path("a.db"),
           "INSERT INTO legation_schema VALUES (99, '2099-01-01T00:00:00Z', '9.9')");
  CHECK_EQ_INT(legation_store_open(tmp_path("a.db"), &st), LEGATION_ERANGE);
  CHECK(strstr(legation_store_errmsg(st), "schema version 99") != NULL);
  CHECK(strstr(legation_store_errmsg(st), "a.db") != NULL);
  legation_store_close(st);
  remove_dir();
}

static void bad_files(void) {
  make_dir();
  legation_store *st;
  /* damaged: not an SQLite file */
  FILE *f = fopen(tmp_path("junk.db"), "w");
  for (int i = 0; i < 200; i++) fputs("this is not a database\n", f);
  fclose(f);
  CHECK_EQ_INT(legation_store_open(tmp_path("junk.db"), &st), LEGATION_EIO);
  CHECK(strstr(legation_store_errmsg(st), "junk.db: ") != NULL);
  CHECK(strstr(legation_store_errmsg(st), "not a database") != NULL);
  legation_store_close(st);
  /* a database of another program */
  sql_exec(tmp_path("other.db"), "CREATE TABLE customers(name TEXT)");
  CHECK_EQ_INT(legation_store_open(tmp_path("other.db"), &st), LEGATION_EIO);
  CHECK(strstr(legation_store_errmsg(st), "another program") != NULL);
  legation_store_close(st);
  CHECK_EQ_INT(sql_int(tmp_path("other.db"), "SELECT count(*) FROM sqlite_master"), 1);
  /* a path that cannot be created */
  CHECK_EQ_INT(legation_store_open(tmp_path("no/such/dir/x.db"), &st), LEGATION_EIO);
  CHECK(strstr(legation_store_errmsg(st), "x.db: cannot open") != NULL);
  legation_store_close(st);
  CHECK_EQ_INT(legation_store_open("/proc/legation-test.db", &st), LEGATION_EIO);
  CHECK(strstr(legation_store_errmsg(st), "/proc/legation-test.db: ") != NULL);
  legation_store_close(st);
  /* a directory */
  CHECK_EQ_INT(legation_store_open(dir, &st), LEGATION_EIO);
  legation_store_close(st);
  CHECK_EQ_INT(legation_store_open("", &st), LEGATION_EINVAL);
  legation_store_close(st);
  remove_dir();
}

typedef struct collect {
  int rows, header_cols;
  int64_t ids[8];
  int nids;
  legation_store_cell last[17];
  const legation_run *run; /* compare summaries with it */
  int mismatches;
} collect;

static int on_run(void *user, const legation_store_run *r) {
  collect *c = user;
  if (c->nids < 8) c->ids[c->nids++] = r->id;
  return 0;
}

/* summary rows must equal legation_run_variant_stat bit for bit */
static int on_summary(void *user, int ncols, const char *const *names,
                      const legation_store_cell *cells) {
  collect *c = user;
  if (!cells) {
    c->header_cols = ncols;
    CHECK_EQ_STR(names[0], "run");
    CHECK_EQ_STR(names[6], "mean");
    return 0;
  }
  c->rows++;
  int i = legation_output_find(cells[2].text);
  legation_stat s;
  CHECK(i >= 0);
  if (i < 0) return 0;
  legation_run_variant_stat(c->run, (int)cells[1].i, i, &s);
  const double want[] = {s.mean, s.sd, s.lo, s.hi, s.min, s.q05, s.q25, s.q50, s.q75, s.q95, s.max};
  CHECK_EQ_INT(cells[5].i, s.n);
  for (int k = 0; k < 11; k++) {
    const legation_store_cell *x = &cells[6 + k];
    int same = isnan(want[k]) ? x->type == LEGATION_CELL_NULL
                              : x->type == LEGATION_CELL_REAL && memcmp(&x->r, &want[k], 8) == 0;
    if (!same) {
      fprintf(stderr, "  %s %s: stored %.17g, run %.17g\n", cells[2].text, names[6 + k], x->r,
              want[k]);
      c->mismatches++;
    }
  }
  return 0;
}

static int count_rows(void *user, int ncols, const char *const *names,
                      const legation_store_cell *cells) {
  collect *c = user;
  if (!cells) {
    c->header_cols = ncols;
    return 0;
  }
  c->rows++;
  memcpy(c->last, cells, (size_t)ncols * sizeof *cells);
  return 0;
}

static void save_list_show(void) {
  make_dir();
  legation_store *st;
  CHECK_EQ_INT(legation_store_open(tmp_path("s.db"), &st), LEGATION_OK);
  const char *sets[] = {"horizon=12", "states.a.openness=0.6"};
  legation_scenario *sc = legation_scenario_new();
  legation_scenario_load_builtin(sc, "us-russia-2025");
  legation_scenario_set(sc, "horizon", "12");
  legation_scenario_set(sc, "states.a.openness", "0.6");
  legation_run *run = legation_run_new(sc);
  legation_scenario_free(sc);
  legation_run_set_reps(run, 300);
  legation_run_set_seed(run, 18446744073709551615ull);
  legation_store_meta m = meta_for(300, sets, 2);
  int64_t id = 0;
  CHECK_EQ_INT(legation_store_begin(st, run, &m, &id), LEGATION_OK);
  CHECK_EQ_INT(id, 1);
  /* the row exists, running, before any replication */
  legation_store_run r;
  CHECK_EQ_INT(legation_store_get(st, 1, &r), LEGATION_OK);
  CHECK_EQ_STR(r.status, "running");
  CHECK_EQ_INT(r.stale, 0);
  CHECK_EQ_INT(legation_run_execute(run), LEGATION_OK);
  CHECK_EQ_INT(legation_store_finish(st, run, LEGATION_OK), LEGATION_OK);
  CHECK_EQ_INT(legation_store_get(st, 1, &r), LEGATION_OK);
  CHECK_EQ_STR(r.status, "complete");
  CHECK_EQ_INT(r.reps_done, 300);
  CHECK_EQ_INT(r.reps_requested, 300);
  CHECK_EQ_INT(r.months, 12);
  CHECK(r.seed == 18446744073709551615ull);
  CHECK_EQ_STR(r.sets, "horizon=12\nstates.a.openness=0.6\n");
  CHECK_EQ_STR(r.scenario_name, "us-russia-2025");
  CHECK_EQ_STR(r.version, legation_version());
  CHECK(strncmp(r.hash, "fnv1a64:", 8) == 0 && strlen(r.hash) == 24);
  CHECK(r.ended >= r.started && r.seconds >= 0);
  CHECK_EQ_STR(r.scenario_text, legation_builtin_text("us-russia-2025"));
  CHECK_EQ_INT(legation_store_get(st, 2, &r), LEGATION_ENOTFOUND);
  CHECK(strstr(legation_store_errmsg(st), "no run 2") != NULL);

  /* a second run, listed newest first */
  legation_run *run2 = small_run(50, "6");
  m = meta_for(50, NULL, 0);
  CHECK_EQ_INT(legation_store_begin(st, run2, &m, &id), LEGATION_OK);
  CHECK_EQ_INT(legation_run_execute(run2), LEGATION_OK);
  CHECK_EQ_INT(legation_store_finish(st, run2, LEGATION_OK), LEGATION_OK);
  collect c = {0};
  CHECK_EQ_INT(legation_store_list(st, on_run, &c), LEGATION_OK);
  CHECK_EQ_INT(c.nids, 2);
  CHECK_EQ_INT(c.ids[0], 2);
  CHECK_EQ_INT(c.ids[1], 1);

  /* summaries: exact round trip */
  memset(&c, 0, sizeof c);
  c.run = run;
  CHECK_EQ_INT(legation_store_table(st, 1, "summary", on_summary, &c), LEGATION_OK);
  CHECK_EQ_INT(c.header_cols, 17);
  CHECK_EQ_INT(c.rows, legation_output_count());
  CHECK_EQ_INT(c.mismatches, 0);
  memset(&c, 0, sizeof c);
  CHECK_EQ_INT(legation_store_table(st, 1, "series", count_rows, &c), LEGATION_OK);
  CHECK_EQ_INT(c.rows, legation_series_count() * 12);
  memset(&c, 0, sizeof c);
  CHECK_EQ_INT(legation_store_table(st, 1, "params", count_rows, &c), LEGATION_OK);
  CHECK_EQ_INT(c.rows, legation_param_count());
  memset(&c, 0, sizeof c);
  CHECK_EQ_INT(legation_store_table(st, 1, "reps", count_rows, &c), LEGATION_OK);
  CHECK_EQ_INT(c.rows, 0);
  CHECK_EQ_INT(legation_store_table(st, 1, "nonsense", count_rows, &c), LEGATION_EINVAL);
  CHECK_EQ_INT(legation_store_table(st, 9, "summary", count_rows, &c), LEGATION_ENOTFOUND);

  /* rebuilt from the store: the same statistics */
  legation_run *back = NULL;
  CHECK_EQ_INT(legation_store_rebuild(st, 1, &back), LEGATION_OK);
  CHECK_EQ_INT(legation_run_reps_done(back), 300);
  for (int i = 0; i < legation_output_count(); i++) {
    legation_stat a, b;
    legation_run_stat(run, i, &a);
    legation_run_stat(back, i, &b);
    CHECK(memcmp(&a, &b, sizeof a) == 0);
  }
  /* a complete run cannot be resumed */
  CHECK_EQ_INT(legation_store_resume(st, 1, back), LEGATION_EINVAL);
  CHECK(strstr(legation_store_errmsg(st), "complete") != NULL);
  legation_run_free(back);
  legation_run_free(run);
  legation_run_free(run2);
  legation_store_close(st);
  CHECK_EQ_INT(sql_int(tmp_path("s.db"), "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check='ok'"), 1);
  CHECK_EQ_INT(sql_int(tmp_path("s.db"), "SELECT count(*) FROM pragma_foreign_key_check"), 0);
  remove_dir();
}

/* 70000 replications: more than one batch of buffered rows. */
static void reps_batched(void) {
  make_dir();
  legation_store *st;
  CHECK_EQ_INT(legation_store_open(tmp_path("r.db"), &st), LEGATION_OK);
  legation_run *run = small_run(70000, "3");
  legation_run_set_keep_reps(run, 1);
  legation_store_meta m = meta_for(70000, NULL, 0);
  m.keep_reps = 1;
  int64_t id;
  CHECK_EQ_INT(legation_store_begin(st, run, &m, &id), LEGATION_OK);
  legation_run_set_rep_sink(run, legation_store_rep_sink, st);
  CHECK_EQ_INT(legation_run_execute(run), LEGATION_OK);
  CHECK_EQ_INT(legation_store_finish(st, run, LEGATION_OK), LEGATION_OK);
  CHECK_EQ_INT(sql_int(tmp_path("r.db"), "SELECT sum(count) FROM rep_output"), 70000);
  CHECK_EQ_INT(sql_int(tmp_path("r.db"), "SELECT max(first_rep + count) FROM rep_output"), 70000);
  CHECK(sql_int(tmp_path("r.db"), "SELECT count(*) FROM rep_output") < 100);
  collect c = {0};
  CHECK_EQ_INT(legation_store_table(st, id, "reps", count_rows, &c), LEGATION_OK);
  CHECK_EQ_INT(c.rows, 70000 * legation_output_count());
  /* the last row: the last output of replication 69999, exact */
  double v;
  CHECK_EQ_INT(legation_run_rep_value(run, 69999, legation_output_count() - 1, &v), LEGATION_OK);
  CHECK_EQ_INT(c.last[1].i, 69999);
  CHECK(isnan(v) ? c.last[4].type == LEGATION_CELL_NULL : memcmp(&c.last[4].r, &v, 8) == 0);
  legation_run_free(run);
  legation_store_close(st);
  remove_dir();
}

/* reps rows must equal legation_run_rep_value of c->run bit for bit */
static int on_rep(void *user, int ncols, const char *const *names,
                  const legation_store_cell *cells) {
  collect *c = user;
  if (!cells) return 0;
  c->rows++;
  double v;
  int o = legation_output_find(cells[3].text);
  if (o < 0 || legation_run_rep_value(c->run, cells[1].i, o, &v) != LEGATION_OK) {
    c->mismatches++;
    return 0;
  }
  if (isnan(v) ? cells[4].type != LEGATION_CELL_NULL : memcmp(&cells[4].r, &v, 8) != 0) {
    if (c->mismatches++ < 3)
      fprintf(stderr, "  rep %lld %s: stored %.17g, run %.17g\n", (long long)cells[1].i,
              cells[3].text, cells[4].r, v);
  }
  return 0;
}

typedef struct stopper {
  legation_store *st;
  const legation_run *run;
  int64_t stop_at;
} stopper;

static int stop_progress(void *user, int64_t done, int64_t total) {
  stopper *s = user;
  CHECK_EQ_INT(legation_store_progress(s->st, s->run, 1), LEGATION_OK);
  return done >= s->stop_at;
}

/* Stopped half way, resumed in a new run: summaries equal an uninterrupted
 * run's, and no replication or event is stored twice. */
static void resume_no_duplicates(void) {
  make_dir();
  legation_store *st;
  CHECK_EQ_INT(legation_store_open(tmp_path("u.db"), &st), LEGATION_OK);
  const char *sets[] = {"horizon=12"};
  legation_run *run = small_run(3000, "12");
  legation_store_meta m = meta_for(3000, sets, 1);
  m.keep_reps = m.store_events = 1;
  int64_t id;
  CHECK_EQ_INT(legation_store_begin(st, run, &m, &id), LEGATION_OK);
  legation_run_set_rep_sink(run, legation_store_rep_sink, st);
  legation_run_set_event_sink(run, legation_store_event_sink, st);
  stopper sp = {st, run, 1000};
  legation_run_set_progress(run, stop_progress, &sp);
  CHECK_EQ_INT(legation_run_execute(run), LEGATION_EINTR);
  int64_t half = legation_run_reps_done(run);
  CHECK(half >= 1000 && half < 3000);
  CHECK_EQ_INT(legation_store_finish(st, run, LEGATION_EINTR), LEGATION_OK);
  legation_run_free(run);
  legation_store_run r;
  CHECK_EQ_INT(legation_store_get(st, id, &r), LEGATION_OK);
  CHECK_EQ_STR(r.status, "incomplete");
  CHECK_EQ_INT(r.reps_done, half);
  /* rows past the checkpoint (as a crash between batches leaves them) */
  legation_store_close(st);
  char sql[600];
  snprintf(sql, sizeof sql,
           "UPDATE rep_output SET outputs = CAST(outputs || substr(outputs, 1, 10 * "
           "length(outputs) / count) AS BLOB), count = count + 10 "
           "WHERE first_rep + count = %lld; "
           "INSERT INTO rep_output SELECT run_id, variant, first_rep + %lld, count, outputs "
           "FROM rep_output WHERE first_rep = 0; "
           "INSERT INTO event SELECT run_id, rep + %lld, month, acting_state, "
           "target_state, action, persons, officers, reason, chain FROM event WHERE rep < 10",
           (long long)half, (long long)half + 10, (long long)half);
  sql_exec(tmp_path("u.db"), sql);
  CHECK_EQ_INT(sql_int(tmp_path("u.db"), "SELECT count(*) FROM rep_output WHERE "
                                         "typeof(outputs) <> 'blob' OR length(outputs) <> "
                                         "count * 8 * (SELECT count(*) FROM run_output)"),
               0);
  CHECK(sql_int(tmp_path("u.db"), "SELECT sum(count) FROM rep_output") > half + 10);
  CHECK_EQ_INT(legation_store_open(tmp_path("u.db"), &st), LEGATION_OK);

  legation_run *again = NULL;
  CHECK_EQ_INT(legation_store_rebuild(st, id, &again), LEGATION_OK);
  CHECK_EQ_INT(legation_run_reps_done(again), half);
  CHECK_EQ_INT(legation_store_resume(st, id, again), LEGATION_OK);
  legation_run_set_rep_sink(again, legation_store_rep_sink, st);
  legation_run_set_event_sink(again, legation_store_event_sink, st);
  CHECK_EQ_INT(legation_run_execute(again), LEGATION_OK);
  CHECK_EQ_INT(legation_store_finish(st, again, LEGATION_OK), LEGATION_OK);
  CHECK_EQ_INT(legation_store_get(st, id, &r), LEGATION_OK);
  CHECK_EQ_STR(r.status, "complete");
  CHECK_EQ_INT(r.reps_done, 3000);
  CHECK_EQ_INT(sql_int(tmp_path("u.db"), "SELECT sum(count) FROM rep_output"), 3000);
  CHECK_EQ_INT(sql_int(tmp_path("u.db"), "SELECT count(*) FROM rep_output a JOIN rep_output b "
                                         "ON a.rowid <> b.rowid AND a.variant = b.variant AND "
                                         "a.first_rep < b.first_rep + b.count AND "
                                         "b.first_rep < a.first_rep + a.count"),
               0);

  /* the uninterrupted run */
  legation_run *whole = small_run(3000, "12");
  int64_t nev = 0;
  legation_run_set_keep_reps(whole, 1);
  CHECK_EQ_INT(legation_run_execute(whole), LEGATION_OK);
  collect c = {0};
  c.run = whole;
  CHECK_EQ_INT(legation_store_table(st, id, "summary", on_summary, &c), LEGATION_OK);
  CHECK_EQ_INT(c.mismatches, 0);
  /* every stored replication value equals the uninterrupted run's */
  memset(&c, 0, sizeof c);
  c.run = whole;
  CHECK_EQ_INT(legation_store_table(st, id, "reps", on_rep, &c), LEGATION_OK);
  CHECK_EQ_INT(c.rows, 3000 * legation_output_count());
  CHECK_EQ_INT(c.mismatches, 0);
  /* events: the same count as a store of the whole run */
  legation_store *st2;
  CHECK_EQ_INT(legation_store_open(tmp_path("w.db"), &st2), LEGATION_OK);
  legation_run *whole2 = small_run(3000, "12");
  CHECK_EQ_INT(legation_store_begin(st2, whole2, &m, &id), LEGATION_OK);
  legation_run_set_event_sink(whole2, legation_store_event_sink, st2);
  CHECK_EQ_INT(legation_run_execute(whole2), LEGATION_OK);
  CHECK_EQ_INT(legation_store_finish(st2, whole2, LEGATION_OK), LEGATION_OK);
  nev = sql_int(tmp_path("w.db"), "SELECT count(*) FROM event");
  CHECK(nev > 0);
  CHECK_EQ_INT(sql_int(tmp_path("u.db"), "SELECT count(*) FROM event"), nev);
  legation_run_free(whole);
  legation_run_free(whole2);
  legation_run_free(again);
  legation_store_close(st);
  legation_store_close(st2);
  remove_dir();
}

/* A file at schema version 1 (made by this build, then the version 2
 * tables and row removed: exactly what version 1 wrote) with a run in it
 * is upgraded in place on open; the run stays readable and rebuildable. */
static void migrate_v1_to_v2(void) {
  make_dir();
  const char *db = tmp_path("v1.db");
  legation_store *st;
  CHECK_EQ_INT(legation_store_open(db, &st), LEGATION_OK);
  legation_run *run = small_run(100, "6");
  const char *sets[] = {"horizon=6"};
  legation_store_meta m = meta_for(100, sets, 1);
  int64_t id;
  CHECK_EQ_INT(legation_store_begin(st, run, &m, &id), LEGATION_OK);
  CHECK_EQ_INT(legation_run_execute(run), LEGATION_OK);
  CHECK_EQ_INT(legation_store_finish(st, run, LEGATION_OK), LEGATION_OK);
  legation_store_close(st);
  sql_exec(db, "DROP TABLE serve_job; DROP TABLE run_variant; DROP TABLE summary_diff;"
               " DROP TABLE point_output; DROP TABLE point_param;"
               " DROP TABLE posterior_value; DROP TABLE posterior;"
               " DROP TABLE calibration_generation; DROP TABLE calibration_target;"
               " DROP TABLE calibration_param; DROP TABLE calibration;"
               " DROP TABLE run_file; ALTER TABLE run DROP COLUMN label;"
               " DELETE FROM legation_schema WHERE version >= 2");
  CHECK_EQ_INT(sql_int(db, "SELECT max(version) FROM legation_schema"), 1);
  CHECK_EQ_INT(sql_int(db, "SELECT count(*) FROM sqlite_master WHERE name='run_variant'"), 0);

  CHECK_EQ_INT(legation_store_open(db, &st), LEGATION_OK);
  CHECK_EQ_INT(legation_store_schema_version(st), 7);
  CHECK_EQ_INT(sql_int(db, "SELECT count(*) FROM legation_schema"), 7);
  CHECK_EQ_INT(sql_int(db, "SELECT count(*) FROM sqlite_master WHERE name IN"
                           " ('run_variant', 'summary_diff', 'point_output', 'point_param')"),
               4);
  legation_store_run r;
  CHECK_EQ_INT(legation_store_get(st, id, &r), LEGATION_OK);
  CHECK_EQ_STR(r.status, "complete");
  collect c = {0};
  CHECK_EQ_INT(legation_store_table(st, id, "variants", count_rows, &c), LEGATION_OK);
  CHECK_EQ_INT(c.rows, 1); /* the base, from the run row */
  memset(&c, 0, sizeof c);
  CHECK_EQ_INT(legation_store_table(st, id, "diffs", count_rows, &c), LEGATION_OK);
  CHECK_EQ_INT(c.rows, 0);
  legation_run *back = NULL;
  CHECK_EQ_INT(legation_store_rebuild(st, id, &back), LEGATION_OK);
  legation_stat a, b;
  legation_run_stat(run, 0, &a);
  legation_run_stat(back, 0, &b);
  CHECK(memcmp(&a, &b, sizeof a) == 0);
  legation_run_free(back);
  /* a comparison can be stored in the upgraded file */
  legation_store_close(st);
  CHECK_EQ_INT(sql_int(db, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check='ok'"), 1);
  legation_run_free(run);
  remove_dir();
}

/* Schema 3 keeps every file a run's scenarios were read from: a comparison
 * whose option is a file with a file base is rebuilt, with the same
 * statistics, after the base was edited and the working directory changed
 * (relative paths no longer resolve); the label is kept; a run stored before
 * schema 3 (no files) still rebuilds from its text. */
static void files_survive(void) {
  make_dir();
  char cwd[1024];
  CHECK(getcwd(cwd, sizeof cwd) != NULL);
  CHECK_EQ_INT(chdir(dir), 0);
  CHECK_EQ_INT(mkdir("sub", 0700), 0);
  FILE *f = fopen("sub/base.yaml", "w");
  fputs("base: us-russia-2025\nhorizon: 6\nstates: {usa: {openness: 0.7}}\n", f);
  fclose(f);
  f = fopen("sub/opt.yaml", "w");
  fputs("base: base.yaml\nmissions: {russia: {travel: 0.4}}\n", f);
  fclose(f);
  legation_scenario *base = legation_scenario_new(), *opt = legation_scenario_new();
  CHECK_EQ_INT(legation_scenario_load_builtin(base, "us-russia-2025"), LEGATION_OK);
  CHECK_EQ_INT(legation_scenario_set(base, "horizon", "6"), LEGATION_OK);
  CHECK_EQ_INT(legation_scenario_load_file(opt, "sub/opt.yaml"), LEGATION_OK);
  legation_run *run = legation_run_new(base);
  CHECK_EQ_INT(legation_run_add_variant(run, opt), 1);
  legation_run_set_reps(run, 60);
  legation_run_set_seed(run, 7);
  legation_run_set_threads(run, 2);
  legation_store *st;
  CHECK_EQ_INT(legation_store_open("x.db", &st), LEGATION_OK);
  const char *sets[] = {"horizon=6"};
  legation_store_meta m = meta_for(60, sets, 1);
  const char *otext = "base: base.yaml\nmissions: {russia: {travel: 0.4}}\n";
  legation_store_variant var = {otext, strlen(otext), "sub/opt.yaml"};
  m.variants = &var, m.nvariants = 1, m.label = "survives";
  int64_t id;
  CHECK_EQ_INT(legation_store_begin(st, run, &m, &id), LEGATION_OK);
  CHECK_EQ_INT(legation_run_execute(run), LEGATION_OK);
  CHECK_EQ_INT(legation_store_finish(st, run, LEGATION_OK), LEGATION_OK);
  legation_store_close(st);
  CHECK_EQ_INT(sql_int("x.db", "SELECT count(*) FROM run_file WHERE variant=0"), 1);
  CHECK_EQ_INT(sql_int("x.db", "SELECT count(*) FROM run_file WHERE variant=1"), 3);
  /* the base edited, the directory changed */
  f = fopen("sub/base.yaml", "w");
  fputs("base: us-russia-2025\nhorizon: 9\n", f);
  fclose(f);
  CHECK_EQ_INT(chdir("sub"), 0);
  CHECK_EQ_INT(legation_store_open("../x.db", &st), LEGATION_OK);
  legation_store_run r;
  CHECK_EQ_INT(legation_store_get(st, id, &r), LEGATION_OK);
  CHECK_EQ_STR(r.label, "survives");
  legation_run *back = NULL;
  CHECK_EQ_INT(legation_store_rebuild(st, id, &back), LEGATION_OK);
  CHECK_EQ_STR(legation_store_errmsg(st), "");
  for (int v = 0; back && v < 2; v++) {
    legation_stat a, b;
    CHECK_EQ_INT(legation_run_variant_stat(run, v, 0, &a), LEGATION_OK);
    CHECK_EQ_INT(legation_run_variant_stat(back, v, 0, &b), LEGATION_OK);
    CHECK(memcmp(&a, &b, sizeof a) == 0);
  }
  legation_run_free(back);
  /* without the files (as stored before schema 3) the option's relative
   * base resolves against the current directory, which now holds the
   * edited base: the failure of issue 10 that the files prevent */
  legation_store_close(st);
  sql_exec("../x.db", "DELETE FROM run_file");
  CHECK_EQ_INT(legation_store_open("../x.db", &st), LEGATION_OK);
  CHECK(legation_store_rebuild(st, id, &back) != LEGATION_OK);
  CHECK(strstr(legation_store_errmsg(st), "checkpoint does not match") != NULL);
  legation_store_close(st);
  CHECK_EQ_INT(chdir(cwd), 0);
  legation_run_free(run);
  legation_scenario_free(base);
  legation_scenario_free(opt);
  remove_dir();
}

/* A comparison of the base and two options, 12 months, seed 7. */
static legation_run *compare_run(int64_t reps) {
  legation_run *r = small_run(reps, "12");
  const char *opts[] = {"us-russia-2025-readmit-150", "us-russia-2025-restore-operations"};
  for (int i = 0; i < 2; i++) {
    legation_scenario *sc = legation_scenario_new();
    legation_scenario_load_builtin(sc, opts[i]);
    legation_scenario_set(sc, "horizon", "12");
    CHECK_EQ_INT(legation_run_add_variant(r, sc), i + 1);
    legation_scenario_free(sc);
  }
  return r;
}

static legation_store_meta compare_meta(int64_t reps, const char *const *sets,
                                        legation_store_variant *var) {
  const char *opts[] = {"us-russia-2025-readmit-150", "us-russia-2025-restore-operations"};
  static char origin[2][64];
  for (int i = 0; i < 2; i++) {
    snprintf(origin[i], sizeof origin[i], "builtin:%s", opts[i]);
    var[i].scenario_text = legation_builtin_text(opts[i]);
    var[i].scenario_len = strlen(var[i].scenario_text);
    var[i].origin = origin[i];
  }
  legation_store_meta m = meta_for(reps, sets, 1);
  m.variants = var;
  m.nvariants = 2;
  return m;
}

/* diffs rows must equal legation_run_diff of c->run bit for bit */
static int on_diff(void *user, int ncols, const char *const *names,
                   const legation_store_cell *cells) {
  collect *c = user;
  if (!cells) {
    c->header_cols = ncols;
    return 0;
  }
  c->rows++;
  int i = legation_output_find(cells[2].text);
  legation_diff d;
  if (i < 0 || legation_run_diff(c->run, (int)cells[1].i, i, &d) != LEGATION_OK) {
    c->mismatches++;
    return 0;
  }
  const legation_stat *s = &d.paired;
  const double want[] = {s->mean, s->sd,  s->lo,  s->hi,  s->min,     s->q05,     s->q25,
                         s->q50,  s->q75, s->q95, s->max, d.indep_lo, d.indep_hi, d.narrowing};
  if (cells[5].i != s->n) c->mismatches++;
  for (int k = 0; k < 14; k++) {
    const legation_store_cell *x = &cells[6 + k];
    int same = isnan(want[k]) ? x->type == LEGATION_CELL_NULL
                              : x->type == LEGATION_CELL_REAL && memcmp(&x->r, &want[k], 8) == 0;
    if (!same && c->mismatches++ < 3)
      fprintf(stderr, "  diff %s %s: stored %.17g, run %.17g\n", cells[2].text, names[6 + k],
              x->r, want[k]);
  }
  return 0;
}

/* rows of the "variants" table of compare_run: variant, name, origin */
static int on_variant(void *user, int ncols, const char *const *names,
                      const legation_store_cell *cells) {
  static const char *const want[] = {"us-russia-2025", "us-russia-2025-readmit-150",
                                     "us-russia-2025-restore-operations"};
  collect *c = user;
  (void)names;
  if (!cells) {
    c->header_cols = ncols;
    return 0;
  }
  char origin[80];
  snprintf(origin, sizeof origin, "builtin:%s", want[c->rows % 3]);
  if (cells[1].i != c->rows || strcmp(cells[2].text, want[c->rows % 3]) != 0 ||
      strcmp(cells[4].text, origin) != 0 || strncmp(cells[5].text, "fnv1a64:", 8) != 0)
    c->mismatches++;
  c->rows++;
  return 0;
}

/* A comparison stored, read back (options, summaries of every variant,
 * paired differences) and rebuilt with every variant, bit for bit. */
static void compare_round_trip(void) {
  make_dir();
  legation_store *st;
  CHECK_EQ_INT(legation_store_open(tmp_path("c.db"), &st), LEGATION_OK);
  const char *sets[] = {"horizon=12"};
  legation_store_variant var[2];
  legation_run *run = compare_run(400);
  legation_store_meta m = compare_meta(400, sets, var);
  int64_t id;
  /* the options must be described, all of them */
  m.nvariants = 1;
  CHECK_EQ_INT(legation_store_begin(st, run, &m, &id), LEGATION_EINVAL);
  CHECK(strstr(legation_store_errmsg(st), "compares 3 scenarios but 1 option is described"));
  m.nvariants = 2;
  CHECK_EQ_INT(legation_store_begin(st, run, &m, &id), LEGATION_OK);
  CHECK_EQ_INT(legation_run_execute(run), LEGATION_OK);
  CHECK_EQ_INT(legation_store_finish(st, run, LEGATION_OK), LEGATION_OK);
  legation_store_run r;
  CHECK_EQ_INT(legation_store_get(st, id, &r), LEGATION_OK);
  CHECK_EQ_INT(r.variants, 3);
  collect c = {0};
  CHECK_EQ_INT(legation_store_table(st, id, "variants", on_variant, &c), LEGATION_OK);
  CHECK_EQ_INT(c.header_cols, 6);
  CHECK_EQ_INT(c.rows, 3);
  CHECK_EQ_INT(c.mismatches, 0);
  CHECK_EQ_INT(sql_int(tmp_path("c.db"), "SELECT count(*) FROM run_variant WHERE scenario_text ="
                                         " (SELECT scenario_text FROM run)"),
               0);
  memset(&c, 0, sizeof c);
  c.run = run;
  CHECK_EQ_INT(legation_store_table(st, id, "summary", on_summary, &c), LEGATION_OK);
  CHECK_EQ_INT(c.rows, 3 * legation_output_count());
  CHECK_EQ_INT(c.mismatches, 0);
  memset(&c, 0, sizeof c);
  c.run = run;
  CHECK_EQ_INT(legation_store_table(st, id, "diffs", on_diff, &c), LEGATION_OK);
  CHECK_EQ_INT(c.header_cols, 20);
  CHECK_EQ_INT(c.rows, 2 * legation_output_count());
  CHECK_EQ_INT(c.mismatches, 0);
  /* rebuilt: the base and both options, every statistic and difference */
  legation_run *back = NULL;
  CHECK_EQ_INT(legation_store_rebuild(st, id, &back), LEGATION_OK);
  CHECK_EQ_INT(legation_run_variant_count(back), 3);
  CHECK_EQ_STR(legation_scenario_name(legation_run_variant_scenario(back, 1)),
               "us-russia-2025-readmit-150");
  memset(&c, 0, sizeof c);
  c.run = back;
  CHECK_EQ_INT(legation_store_table(st, id, "diffs", on_diff, &c), LEGATION_OK);
  CHECK_EQ_INT(c.mismatches, 0);
  /* an option that was not stored: the rebuild says so */
  legation_run_free(back);
  legation_store_close(st);
  sql_exec(tmp_path("c.db"), "DELETE FROM run_variant WHERE variant = 2");
  CHECK_EQ_INT(legation_store_open(tmp_path("c.db"), &st), LEGATION_OK);
  CHECK_EQ_INT(legation_store_rebuild(st, id, &back), LEGATION_EIO);
  CHECK(strstr(legation_store_errmsg(st), "compares 3 scenarios but 2 are stored"));
  CHECK(back == NULL);
  legation_store_close(st);
  legation_run_free(run);
  remove_dir();
}

/* A comparison stopped part-way and resumed from the store: every summary,
 * band and paired difference equals an uninterrupted comparison's. */
static void compare_resume(void) {
  make_dir();
  legation_store *st;
  CHECK_EQ_INT(legation_store_open(tmp_path("cr.db"), &st), LEGATION_OK);
  const char *sets[] = {"horizon=12"};
  legation_store_variant var[2];
  legation_store_meta m = compare_meta(3000, sets, var);
  legation_run *run = compare_run(3000);
  int64_t id;
  CHECK_EQ_INT(legation_store_begin(st, run, &m, &id), LEGATION_OK);
  stopper sp = {st, run, 1000};
  legation_run_set_progress(run, stop_progress, &sp);
  CHECK_EQ_INT(legation_run_execute(run), LEGATION_EINTR);
  int64_t half = legation_run_reps_done(run);
  CHECK(half >= 1000 && half < 3000);
  CHECK_EQ_INT(legation_store_finish(st, run, LEGATION_EINTR), LEGATION_OK);
  legation_run_free(run);

  legation_run *again = NULL;
  CHECK_EQ_INT(legation_store_rebuild(st, id, &again), LEGATION_OK);
  CHECK_EQ_INT(legation_run_variant_count(again), 3);
  CHECK_EQ_INT(legation_run_reps_done(again), half);
  CHECK_EQ_INT(legation_store_resume(st, id, again), LEGATION_OK);
  CHECK_EQ_INT(legation_run_execute(again), LEGATION_OK);
  CHECK_EQ_INT(legation_store_finish(st, again, LEGATION_OK), LEGATION_OK);
  legation_store_run r;
  CHECK_EQ_INT(legation_store_get(st, id, &r), LEGATION_OK);
  CHECK_EQ_STR(r.status, "complete");
  CHECK_EQ_INT(r.reps_done, 3000);

  /* the uninterrupted comparison, stored too, compared in SQL with IS */
  legation_run *whole = compare_run(3000);
  int64_t id2;
  CHECK_EQ_INT(legation_store_begin(st, whole, &m, &id2), LEGATION_OK);
  CHECK_EQ_INT(legation_run_execute(whole), LEGATION_OK);
  CHECK_EQ_INT(legation_store_finish(st, whole, LEGATION_OK), LEGATION_OK);
  collect c = {0};
  c.run = whole;
  CHECK_EQ_INT(legation_store_table(st, id, "diffs", on_diff, &c), LEGATION_OK);
  CHECK_EQ_INT(c.rows, 2 * legation_output_count());
  CHECK_EQ_INT(c.mismatches, 0);
  memset(&c, 0, sizeof c);
  c.run = whole;
  CHECK_EQ_INT(legation_store_table(st, id, "summary", on_summary, &c), LEGATION_OK);
  CHECK_EQ_INT(c.rows, 3 * legation_output_count());
  CHECK_EQ_INT(c.mismatches, 0);
  const char *db = tmp_path("cr.db");
  CHECK_EQ_INT(sql_int(db, "SELECT count(*) FROM series_band a JOIN series_band b ON b.run_id=2 "
                           "AND b.variant=a.variant AND b.position=a.position AND "
                           "b.month=a.month WHERE a.run_id=1 AND a.n=b.n AND a.mean IS b.mean "
                           "AND a.q05 IS b.q05 AND a.q50 IS b.q50 AND a.q95 IS b.q95"),
               sql_int(db, "SELECT count(*) FROM series_band WHERE run_id=1"));
  CHECK(sql_int(db, "SELECT count(*) FROM series_band WHERE run_id=1 AND variant=2") > 0);
  legation_run_free(whole);
  legation_run_free(again);
  legation_store_close(st);
  remove_dir();
}

/* ------------------------------------------------ the binary, killed */

/* Start `legation ARGS...` with stdout and stderr to files; its pid. */
static pid_t spawn(const char *const *args) {
  const char *bin = getenv("LEGATION_BIN");
  pid_t pid = fork();
  if (pid == 0) {
    if (!freopen(tmp_path("out.txt"), "w", stdout) || !freopen(tmp_path("err.txt"), "a", stderr))
      _exit(127);
    char *argv[32];
    int n = 0;
    argv[n++] = (char *)"legation";
    for (; *args && n < 31; args++) argv[n++] = (char *)*args;
    argv[n] = NULL;
    execv(bin, argv);
    _exit(127);
  }
  return pid;
}

static int wait_status(pid_t pid) {
  int status;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  return status;
}

static void sleep_ms(int ms) {
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

/* Start a long run, signal it once checkpoints are stored, check the file,
 * resume it, and compare with an uninterrupted run's stored summaries. */
static void killed_then_resumed(int sig) {
  const char *bin = getenv("LEGATION_BIN");
  if (!bin) {
    fprintf(stderr, "  LEGATION_BIN not set: skipped\n");
    return;
  }
  make_dir();
  const char *db = tmp_path("t.db");
  const char *run_args[] = {"run",        "--reps",  "50000", "--months", "12",   "--seed",
                            "11",         "--quiet", "--db",   db,         "--keep-reps",
                            "--checkpoint", "0.05",  "--threads", "2",     NULL};
  pid_t pid = spawn(run_args);
  int64_t done = 0;
  for (int i = 0; i < 3000 && done <= 0; i++) {
    sleep_ms(10);
    done = sql_int(db, "SELECT coalesce(max(reps_done), 0) FROM run");
  }
  CHECK(done > 0);
  kill(pid, sig);
  int status = wait_status(pid);
  if (sig == SIGKILL) {
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  } else {
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 130);
  }
  /* consistent: integrity ok; the row with its checkpoint */
  CHECK_EQ_INT(sql_int(db, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check='ok'"), 1);
  CHECK_EQ_INT(sql_int(db, "SELECT count(*) FROM run WHERE checkpoint IS NOT NULL AND checkpoint_reps = reps_done AND reps_done > 0"), 1);
  CHECK(sql_int(db, "SELECT reps_done FROM run") < 50000);
  CHECK(sql_int(db, "SELECT sum(count) FROM rep_output") >= sql_int(db, "SELECT reps_done FROM run"));
  legation_store *st;
  CHECK_EQ_INT(legation_store_open(db, &st), LEGATION_OK);
  legation_store_run r;
  CHECK_EQ_INT(legation_store_get(st, 1, &r), LEGATION_OK);
  CHECK_EQ_STR(r.status, "incomplete");
  CHECK_EQ_INT(r.stale, sig == SIGKILL);
  legation_store_close(st);

  const char *resume_args[] = {"run", "--resume", "1", "--db", db, "--quiet", NULL};
  status = wait_status(spawn(resume_args));
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  const char *whole_args[] = {"run",  "--reps", "50000", "--months", "12", "--seed", "11",
                              "--quiet", "--db", db, NULL};
  status = wait_status(spawn(whole_args));
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  CHECK_EQ_INT(sql_int(db, "SELECT count(*) FROM run WHERE status='complete' AND reps_done=50000"), 2);
  CHECK_EQ_INT(sql_int(db, "SELECT sum(count) FROM rep_output"), 50000);
  CHECK_EQ_INT(sql_int(db, "SELECT max(first_rep + count) FROM rep_output"), 50000);
  CHECK_EQ_INT(sql_int(db, "SELECT count(DISTINCT hash) FROM run"), 1);
  /* every statistic identical, bit for bit (IS compares NULLs too) */
  int64_t nsum = sql_int(db, "SELECT count(*) FROM summary WHERE run_id=1");
  CHECK(nsum > 0);
  CHECK_EQ_INT(sql_int(db, "SELECT count(*) FROM summary a JOIN summary b ON b.run_id=2 AND "
                           "b.variant=a.variant AND b.position=a.position WHERE a.run_id=1 AND "
                           "a.n=b.n AND a.mean IS b.mean AND a.sd IS b.sd AND a.lo IS b.lo AND "
                           "a.hi IS b.hi AND a.min IS b.min AND a.max IS b.max AND a.q05 IS b.q05 "
                           "AND a.q25 IS b.q25 AND a.q50 IS b.q50 AND a.q75 IS b.q75 AND "
                           "a.q95 IS b.q95"),
               nsum);
  CHECK_EQ_INT(sql_int(db, "SELECT count(*) FROM series_band a JOIN series_band b ON b.run_id=2 "
                           "AND b.variant=a.variant AND b.position=a.position AND "
                           "b.month=a.month WHERE a.run_id=1 AND a.n=b.n AND a.mean IS b.mean "
                           "AND a.q05 IS b.q05 AND a.q50 IS b.q50 AND a.q95 IS b.q95"),
               sql_int(db, "SELECT count(*) FROM series_band WHERE run_id=1"));
  CHECK_EQ_INT(sql_int(db, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check='ok'"), 1);
  remove_dir();
}

/* ------------------------------------------------------ faults (issue 11) */

/* The progress callback of full_disk: a checkpoint at `at` replications,
 * then the store is made full (max_page_count on its own connection: the
 * SQLITE_FULL a full disk gives). */
typedef struct filler {
  legation_store *st;
  const legation_run *run;
  int64_t at, checkpointed;
} filler;

static int fill_progress(void *user, int64_t done, int64_t total) {
  filler *f = user;
  (void)total;
  if (!f->checkpointed && done >= f->at) {
    CHECK_EQ_INT(legation_store_progress(f->st, f->run, 1), LEGATION_OK);
    f->checkpointed = legation_run_reps_done(f->run);
    sqlite3_stmt *q = NULL;
    int64_t pages = 0;
    if (sqlite3_prepare_v2(f->st->db, "PRAGMA page_count", -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
      pages = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA max_page_count=%lld", (long long)pages + 1);
    CHECK_EQ_INT(sqlite3_exec(f->st->db, sql, NULL, NULL, NULL), SQLITE_OK);
  }
  return 0;
}

/* The store fills up while events are stored: legation_store_finish says
 * "database or disk is full" (EIO, not an interrupt), the run stays
 * incomplete at its last checkpoint, and a resume once there is room
 * stores every event exactly once. */
static void full_disk(void) {
  make_dir();
  const char *sets[] = {"horizon=12"};
  legation_store_meta m = meta_for(10000, sets, 1);
  m.store_events = 1;
  int64_t id = 1;
  /* The run that meets the full store is a child process, as a `legation
   * run` would be: its row can only be marked once it is gone when not
   * even that update fits. */
  pid_t pid = fork();
  CHECK(pid >= 0);
  if (pid == 0) {
    legation_store *cst;
    if (legation_store_open(tmp_path("f.db"), &cst) != LEGATION_OK) _exit(10);
    legation_store_set_checkpoint_interval(cst, 1e9); /* only the forced one */
    legation_run *run = small_run(10000, "12");
    if (legation_store_begin(cst, run, &m, &id) != LEGATION_OK) _exit(11);
    legation_run_set_event_sink(run, legation_store_event_sink, cst);
    filler f = {cst, run, 500, 0};
    legation_run_set_progress(run, fill_progress, &f);
    if (legation_run_execute(run) != LEGATION_EINTR) _exit(12); /* stopped by the sink */
    if (f.checkpointed < 500 || f.checkpointed >= 10000) _exit(13);
    if (legation_store_finish(cst, run, LEGATION_EINTR) != LEGATION_EIO) _exit(14);
    if (!strstr(legation_store_errmsg(cst), "database or disk is full")) _exit(15);
    legation_run_free(run);
    legation_store_close(cst);
    _exit(0);
  }
  int wst = 0;
  CHECK_EQ_INT(waitpid(pid, &wst, 0), pid);
  CHECK(WIFEXITED(wst));
  CHECK_EQ_INT(WEXITSTATUS(wst), 0);
  int64_t ck = sql_int(tmp_path("f.db"), "SELECT checkpoint_reps FROM run");
  CHECK(ck >= 500 && ck < 10000);

  legation_store *st;
  CHECK_EQ_INT(legation_store_open(tmp_path("f.db"), &st), LEGATION_OK);
  legation_store_run r;
  CHECK_EQ_INT(legation_store_get(st, id, &r), LEGATION_OK);
  CHECK_EQ_STR(r.status, "incomplete");
  legation_run *again = NULL;
  CHECK_EQ_INT(legation_store_rebuild(st, id, &again), LEGATION_OK);
  CHECK_EQ_INT(legation_run_reps_done(again), ck);
  CHECK_EQ_INT(legation_store_resume(st, id, again), LEGATION_OK);
  legation_run_set_event_sink(again, legation_store_event_sink, st);
  CHECK_EQ_INT(legation_run_execute(again), LEGATION_OK);
  CHECK_EQ_INT(legation_store_finish(st, again, LEGATION_OK), LEGATION_OK);
  CHECK_EQ_INT(legation_store_get(st, id, &r), LEGATION_OK);
  CHECK_EQ_STR(r.status, "complete");
  legation_run_free(again);
  legation_store_close(st);

  /* the same events as a store of the uninterrupted run */
  CHECK_EQ_INT(legation_store_open(tmp_path("w.db"), &st), LEGATION_OK);
  legation_run *whole = small_run(10000, "12");
  CHECK_EQ_INT(legation_store_begin(st, whole, &m, &id), LEGATION_OK);
  legation_run_set_event_sink(whole, legation_store_event_sink, st);
  CHECK_EQ_INT(legation_run_execute(whole), LEGATION_OK);
  CHECK_EQ_INT(legation_store_finish(st, whole, LEGATION_OK), LEGATION_OK);
  legation_run_free(whole);
  legation_store_close(st);
  int64_t nev = sql_int(tmp_path("w.db"), "SELECT count(*) FROM event");
  CHECK(nev > 65536); /* more than one batch: the sink's write failed */
  CHECK_EQ_INT(sql_int(tmp_path("f.db"), "SELECT count(*) FROM event"), nev);
  CHECK_EQ_INT(sql_int(tmp_path("f.db"), "SELECT count(*) FROM (SELECT rep, count(*) FROM event"
                                         " GROUP BY rep EXCEPT SELECT rep, count(*) FROM"
                                         " event GROUP BY rep)"),
               0);
  remove_dir();
}

/* A store another process holds locked is "locked", not "not a Legation
 * store"; a store on a FIFO is refused and nothing is created beside it. */
static void locked_and_devices(void) {
  make_dir();
  legation_store *st;
  CHECK_EQ_INT(legation_store_open(tmp_path("l.db"), &st), LEGATION_OK);
  legation_store_close(st);
  sqlite3 *db = NULL;
  CHECK_EQ_INT(sqlite3_open(tmp_path("l.db"), &db), SQLITE_OK);
  CHECK_EQ_INT(sqlite3_exec(db, "PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE;"
                                " CREATE TABLE hold(x)", NULL, NULL, NULL),
               SQLITE_OK);
  CHECK_EQ_INT(legation_store_open(tmp_path("l.db"), &st), LEGATION_EIO); /* after 5 s */
  CHECK(strstr(legation_store_errmsg(st), "database is locked") != NULL);
  CHECK(strstr(legation_store_errmsg(st), "not a Legation store") == NULL);
  legation_store_close(st);
  sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close(db);

  CHECK_EQ_INT(mkfifo(tmp_path("p.db"), 0600), 0);
  CHECK_EQ_INT(legation_store_open(tmp_path("p.db"), &st), LEGATION_EIO);
  CHECK(strstr(legation_store_errmsg(st), "not a regular file") != NULL);
  legation_store_close(st);
  struct stat sb;
  CHECK(stat(tmp_path("p.db-journal"), &sb) != 0 && errno == ENOENT);
  CHECK(stat(tmp_path("p.db-wal"), &sb) != 0 && errno == ENOENT);
  remove_dir();
}

/* legation_store_begin refuses an override that would not read back as
 * itself (a newline splits the stored list). */
static void sets_round_trip(void) {
  make_dir();
  legation_store *st;
  CHECK_EQ_INT(legation_store_open(tmp_path("s.db"), &st), LEGATION_OK);
  legation_run *run = small_run(2, "3");
  const char *bad[] = {"horizon=3", "states.a.name=A\nhorizon=2"};
  legation_store_meta m = meta_for(2, bad, 2);
  int64_t id;
  CHECK_EQ_INT(legation_store_begin(st, run, &m, &id), LEGATION_EINVAL);
  CHECK(strstr(legation_store_errmsg(st), "override 2") != NULL);
  const char *noeq[] = {"horizon"};
  m = meta_for(2, noeq, 1);
  CHECK_EQ_INT(legation_store_begin(st, run, &m, &id), LEGATION_EINVAL);
  CHECK_EQ_INT(sql_int(tmp_path("s.db"), "SELECT count(*) FROM run"), 0);
  legation_run_free(run);
  legation_store_close(st);
  remove_dir();
}


/* A file at schema version 5 (this build's file with the versions 6 and 7
 * column, table and rows removed: what version 5 wrote) holding a run and a
 * sweep point is upgraded in place on open: point_output gains `var`, the
 * jobs table comes back, the old point
 * keeps its numbers with var NULL, the run still rebuilds, and a study can
 * then be stored in the file. */
static void migrate_v5_to_v6(void) {
  make_dir();
  const char *db = tmp_path("v5.db");
  legation_store *st;
  CHECK_EQ_INT(legation_store_open(db, &st), LEGATION_OK);
  legation_run *run = small_run(20, "6");
  const char *sets[] = {"horizon=6"};
  legation_store_meta m = meta_for(20, sets, 1);
  int64_t id;
  CHECK_EQ_INT(legation_store_begin(st, run, &m, &id), LEGATION_OK);
  CHECK_EQ_INT(legation_run_execute(run), LEGATION_OK);
  CHECK_EQ_INT(legation_store_finish(st, run, LEGATION_OK), LEGATION_OK);
  legation_store_close(st);
  sql_exec(db, "DROP TABLE serve_job; ALTER TABLE point_output DROP COLUMN var;"
               " DELETE FROM legation_schema WHERE version >= 6;"
               " INSERT INTO point_output VALUES (1, 0, 0, 0, 2, 20, -1.5, 0.25, -1.6, -1.4)");
  CHECK_EQ_INT(sql_int(db, "SELECT max(version) FROM legation_schema"), 5);
  CHECK_EQ_INT(sql_int(db, "SELECT count(*) FROM pragma_table_info('point_output')"
                           " WHERE name='var'"), 0);

  CHECK_EQ_INT(legation_store_open(db, &st), LEGATION_OK);
  CHECK_EQ_INT(legation_store_schema_version(st), 7);
  CHECK_EQ_INT(sql_int(db, "SELECT count(*) FROM pragma_table_info('point_output')"
                           " WHERE name='var'"), 1);
  CHECK_EQ_INT(sql_int(db, "SELECT count(*) FROM point_output WHERE mean=-1.5 AND sd=0.25"
                           " AND var IS NULL"), 1);
  legation_run *back = NULL;
  CHECK_EQ_INT(legation_store_rebuild(st, id, &back), LEGATION_OK);
  legation_stat a, b;
  legation_run_stat(run, 0, &a);
  legation_run_stat(back, 0, &b);
  CHECK(memcmp(&a, &b, sizeof a) == 0);
  legation_run_free(back);
  /* a study's block in the upgraded file: its variance kept exactly */
  const char *st_sets[] = {"@study=sensitivity"};
  m = meta_for(20, st_sets, 1);
  int64_t sid;
  CHECK_EQ_INT(legation_store_begin(st, run, &m, &sid), LEGATION_OK);
  double x[2] = {0.5, 2}, mean[2] = {1.0 / 3, NAN}, var[2] = {2.0 / 3, NAN};
  int64_t n[2] = {3, 0};
  const char *keys[] = {"k1", "k2"};
  legation_study_block blk = {0, 1, 2, 2, x, mean, var, n, 1, 3};
  CHECK_EQ_INT(legation_store_study_block(st, &blk, 2, 1, keys), LEGATION_OK);
  CHECK_EQ_INT(legation_store_study_finish(st, LEGATION_EINTR, 3, NULL), LEGATION_OK);
  int64_t np;
  double *lm, *lv;
  int64_t *ln;
  CHECK_EQ_INT(legation_store_study_load(st, sid, 2, 2, &np, &lm, &lv, &ln), LEGATION_OK);
  CHECK_EQ_INT(np, 1);
  CHECK(lm[0] == 1.0 / 3 && lv[0] == 2.0 / 3 && ln[0] == 3 && isnan(lm[1]) && isnan(lv[1]));
  legation_free(lm), legation_free(lv), legation_free(ln);
  legation_store_close(st);
  CHECK_EQ_INT(sql_int(db, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check='ok'"), 1);
  legation_run_free(run);
  remove_dir();
}

/* A study streamed to the store, stopped after its first block, resumed
 * from the stored points in a new study gives the indices (and the
 * replication-noise term) of an uninterrupted study bit for bit. */
typedef struct study_sink_ctx {
  legation_store *st;
  int blocks;
} study_sink_ctx;

static int to_store(void *user, const legation_study_block *b) {
  study_sink_ctx *c = user;
  c->blocks++;
  return legation_store_study_block(c->st, b, 1, 2, NULL) != LEGATION_OK;
}

static int stop_at_once(void *user, int64_t done, int64_t total) {
  (void)user, (void)done, (void)total;
  return 1;
}

static legation_study *noisy_study(void) {
  legation_study *s = legation_study_new();
  CHECK_EQ_INT(legation_study_use_test(s, "test:ishigami-noise"), LEGATION_OK);
  legation_study_set_seed(s, 11);
  legation_study_set_reps(s, 3);
  return s;
}

static void study_resume(void) {
  make_dir();
  legation_study *whole = noisy_study();
  CHECK_EQ_INT(legation_study_sobol(whole, 1024), LEGATION_OK);

  legation_store *st;
  CHECK_EQ_INT(legation_store_open(tmp_path("s.db"), &st), LEGATION_OK);
  legation_run *run = small_run(20, "6");
  const char *sets[] = {"@study=sensitivity"};
  legation_store_meta m = meta_for(20, sets, 1);
  int64_t id;
  CHECK_EQ_INT(legation_store_begin(st, run, &m, &id), LEGATION_OK);
  legation_study *part = noisy_study();
  study_sink_ctx c = {st, 0};
  legation_study_set_point_sink(part, to_store, &c);
  legation_study_set_progress(part, stop_at_once, NULL);
  CHECK_EQ_INT(legation_study_sobol(part, 1024), LEGATION_EINTR);
  CHECK_EQ_INT(c.blocks, 1);
  int64_t done = legation_study_points_done(part);
  CHECK(done > 0 && done < legation_study_points_planned(part));
  CHECK_EQ_INT(legation_store_study_finish(st, LEGATION_EINTR, done * 3, NULL), LEGATION_OK);
  legation_study_free(part);

  CHECK_EQ_INT(legation_store_study_resume(st, id), LEGATION_OK);
  int64_t np, *n;
  double *mean, *var;
  CHECK_EQ_INT(legation_store_study_load(st, id, 1, 1, &np, &mean, &var, &n), LEGATION_OK);
  CHECK_EQ_INT(np, done);
  legation_study *again = noisy_study();
  CHECK_EQ_INT(legation_study_restore_points(again, np, mean, var, n), LEGATION_OK);
  legation_free(mean), legation_free(var), legation_free(n);
  c.blocks = 0;
  legation_study_set_point_sink(again, to_store, &c);
  CHECK_EQ_INT(legation_study_sobol(again, 1024), LEGATION_OK);
  CHECK(c.blocks > 0);
  CHECK_EQ_INT(legation_store_study_finish(st, LEGATION_OK, 5120 * 3, NULL), LEGATION_OK);
  /* every point once, and the indices and noise bit-identical */
  CHECK_EQ_INT(sql_int(tmp_path("s.db"), "SELECT count(DISTINCT point) FROM point_output"), 5120);
  legation_study_var va, vb;
  CHECK_EQ_INT(legation_study_output_var(whole, 0, &va), LEGATION_OK);
  CHECK_EQ_INT(legation_study_output_var(again, 0, &vb), LEGATION_OK);
  CHECK(va.noise_var > 0);
  CHECK(memcmp(&va, &vb, sizeof va) == 0);
  for (int g = 0; g < legation_study_group_count(whole); g++) {
    legation_sobol_index xa, xb;
    legation_study_sobol_index(whole, 0, g, &xa);
    legation_study_sobol_index(again, 0, g, &xb);
    CHECK(memcmp(&xa, &xb, sizeof xa) == 0);
  }
  /* the study is complete: nothing to resume */
  CHECK_EQ_INT(legation_store_study_resume(st, id), LEGATION_EINVAL);
  CHECK(strstr(legation_store_errmsg(st), "complete") != NULL);
  legation_study_free(whole);
  legation_study_free(again);
  legation_run_free(run);
  legation_store_close(st);
  remove_dir();
}

static void killed_sigkill(void) { killed_then_resumed(SIGKILL); }
static void killed_sigint(void) { killed_then_resumed(SIGINT); }

/* The jobs of `legation serve --db`: added, saved and listed oldest
 * first with what was saved; a queued or running job whose process is gone
 * (a child that exited) is an orphan, one of this live process is not, nor
 * is a finished one; ids are never reused. */
typedef struct jobs_seen {
  int n;
  int64_t id[4];
  char state[4][16], kind[4][16], request[4][64], error[4][32], result[4][32];
  int64_t run_id[4];
  int orphan[4], has_result[4];
} jobs_seen;

static int on_job(void *user, const legation_store_job *j) {
  jobs_seen *x = user;
  if (x->n >= 4) return 1;
  int i = x->n++;
  x->id[i] = j->id;
  snprintf(x->state[i], sizeof x->state[i], "%s", j->state);
  snprintf(x->kind[i], sizeof x->kind[i], "%s", j->kind);
  snprintf(x->request[i], sizeof x->request[i], "%s", j->request);
  snprintf(x->error[i], sizeof x->error[i], "%s", j->error);
  x->has_result[i] = j->result != NULL;
  snprintf(x->result[i], sizeof x->result[i], "%s", j->result ? j->result : "");
  x->run_id[i] = j->run_id;
  x->orphan[i] = j->orphan;
  return 0;
}

static void serve_jobs(void) {
  make_dir();
  const char *db = tmp_path("jobs.db");
  legation_store *st;
  CHECK_EQ_INT(legation_store_open(db, &st), LEGATION_OK);
  int64_t a = 0, b = 0, c = 0;
  CHECK_EQ_INT(legation_store_job_add(st, "run", "{\"reps\": 5}", "queued", &a), LEGATION_OK);
  CHECK_EQ_INT(legation_store_job_add(st, "compare", "{}", "queued", &b), LEGATION_OK);
  CHECK_EQ_INT(legation_store_job_add(st, "run", "{}", "queued", &c), LEGATION_OK);
  CHECK(a > 0 && b == a + 1 && c == b + 1);
  CHECK_EQ_INT(legation_store_job_add(st, "run", "{}", "paused", &c), LEGATION_EINVAL);
  CHECK_EQ_INT(legation_store_job_set(st, a, "done", 0, "", "{\"ok\":1}"), LEGATION_OK);
  CHECK_EQ_INT(legation_store_job_set(st, b, "running", 0, "", NULL), LEGATION_OK);
  CHECK_EQ_INT(legation_store_job_set(st, c + 7, "done", 0, NULL, NULL), LEGATION_ENOTFOUND);
  /* job c was saved last by a process that is gone */
  pid_t pid = fork();
  if (pid == 0) _exit(0);
  waitpid(pid, NULL, 0);
  char sql[128];
  snprintf(sql, sizeof sql, "UPDATE serve_job SET pid=%d WHERE id=%lld", (int)pid, (long long)c);
  sql_exec(db, sql);
  jobs_seen x;
  memset(&x, 0, sizeof x);
  CHECK_EQ_INT(legation_store_job_list(st, on_job, &x), LEGATION_OK);
  CHECK_EQ_INT(x.n, 3);
  CHECK(x.id[0] == a && x.id[1] == b && x.id[2] == c);
  CHECK_EQ_STR(x.state[0], "done");
  CHECK_EQ_STR(x.kind[1], "compare");
  CHECK_EQ_STR(x.request[0], "{\"reps\": 5}");
  CHECK_EQ_STR(x.result[0], "{\"ok\":1}");
  CHECK_EQ_INT(x.has_result[1], 0);
  CHECK_EQ_INT(x.orphan[0], 0); /* finished */
  CHECK_EQ_INT(x.orphan[1], 0); /* this live process */
  CHECK_EQ_INT(x.orphan[2], 1);
  /* taken over (interrupted, with a run and an error kept): no longer an
   * orphan; a run that is not in the store is refused */
  CHECK_EQ_INT(legation_store_job_set(st, c, "interrupted", 4242, "x", NULL), LEGATION_EIO);
  legation_run *run = small_run(10, "6");
  const char *sets[] = {"horizon=6"};
  legation_store_meta m = meta_for(10, sets, 1);
  int64_t rid = 0;
  CHECK_EQ_INT(legation_store_begin(st, run, &m, &rid), LEGATION_OK);
  CHECK_EQ_INT(legation_run_execute(run), LEGATION_OK);
  CHECK_EQ_INT(legation_store_finish(st, run, LEGATION_OK), LEGATION_OK);
  legation_run_free(run);
  CHECK_EQ_INT(legation_store_job_set(st, c, "interrupted", rid, "stopped", NULL), LEGATION_OK);
  CHECK_EQ_INT(legation_store_job_set(st, c, "queued", 0, NULL, NULL), LEGATION_OK);
  memset(&x, 0, sizeof x);
  CHECK_EQ_INT(legation_store_job_list(st, on_job, &x), LEGATION_OK);
  CHECK(x.run_id[2] == rid);
  CHECK_EQ_STR(x.error[2], "stopped");
  CHECK_EQ_INT(x.orphan[2], 0);
  /* ids are never reused, even after the newest row goes */
  sql_exec(db, "DELETE FROM serve_job WHERE id=3");
  int64_t d = 0;
  CHECK_EQ_INT(legation_store_job_add(st, "run", "{}", "queued", &d), LEGATION_OK);
  CHECK(d == c + 1);
  legation_store_close(st);
  remove_dir();
}

static const check_case cases[] = {
    {"open_migrate", open_migrate},
    {"bad_files", bad_files},
    {"save_list_show", save_list_show},
    {"reps_batched", reps_batched},
    {"resume_no_duplicates", resume_no_duplicates},
    {"migrate_v1_to_v2", migrate_v1_to_v2},
    {"migrate_v5_to_v6", migrate_v5_to_v6},
    {"study_resume", study_resume},
    {"files_survive", files_survive},
    {"compare_round_trip", compare_round_trip},
    {"compare_resume", compare_resume},
    {"killed_sigkill", killed_sigkill},
    {"killed_sigint", killed_sigint},
    {"full_disk", full_disk},
    {"locked_and_devices", locked_and_devices},
    {"sets_round_trip", sets_round_trip},
    {"serve_jobs", serve_jobs},
    {NULL, NULL},
};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
