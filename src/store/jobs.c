/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * jobs.c - the jobs of `legation serve --db` in the results store (table
 * serve_job, schema version 7): a job's request as the server saved it,
 * its state, the stored run it records, and its result.  A queued or
 * running row whose process is gone is an orphan: the server that starts
 * next lists it as interrupted and may resume it from its run's last
 * checkpoint (legation_store_rebuild).
 */
#include "store.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int job_state_ok(const char *s) {
  static const char *const ok[] = {"queued", "running",   "done",
                                   "failed", "cancelled", "interrupted"};
  for (size_t i = 0; s && i < sizeof ok / sizeof ok[0]; i++)
    if (strcmp(s, ok[i]) == 0) return 1;
  return 0;
}

legation_status legation_store_job_add(legation_store *st, const char *kind, const char *request,
                                       const char *state, int64_t *id) {
  if (!st || !st->db || !kind || !request || !job_state_ok(state) || !id) return LEGATION_EINVAL;
  st->err[0] = 0;
  char host[256];
  st_hostname(host, sizeof host);
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(st->db,
                         "INSERT INTO serve_job(kind, request, state, created, updated, pid, host)"
                         " VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6)",
                         -1, &q, NULL) != SQLITE_OK)
    return st_fail_db(st, "cannot record a job");
  double now = st_wall();
  sqlite3_bind_text(q, 1, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 2, request, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 3, state, -1, SQLITE_STATIC);
  sqlite3_bind_double(q, 4, now);
  sqlite3_bind_int64(q, 5, (int64_t)getpid());
  sqlite3_bind_text(q, 6, host, -1, SQLITE_STATIC);
  legation_status s = LEGATION_OK;
  if (sqlite3_step(q) != SQLITE_DONE)
    s = st_fail_db(st, "cannot record a job");
  else
    *id = sqlite3_last_insert_rowid(st->db);
  sqlite3_finalize(q);
  return s;
}

legation_status legation_store_job_set(legation_store *st, int64_t id, const char *state,
                                       int64_t run_id, const char *error, const char *result) {
  if (!st || !st->db || !job_state_ok(state) || run_id < 0) return LEGATION_EINVAL;
  st->err[0] = 0;
  char host[256];
  st_hostname(host, sizeof host);
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(st->db,
                         "UPDATE serve_job SET state=?2, updated=?3, pid=?4, host=?5,"
                         " run_id=CASE WHEN ?6 > 0 THEN ?6 ELSE run_id END,"
                         " error=coalesce(?7, error), result=CASE WHEN ?8 IS NULL THEN result"
                         " ELSE ?8 END WHERE id=?1",
                         -1, &q, NULL) != SQLITE_OK)
    return st_fail_db(st, "cannot save a job");
  sqlite3_bind_int64(q, 1, id);
  sqlite3_bind_text(q, 2, state, -1, SQLITE_STATIC);
  sqlite3_bind_double(q, 3, st_wall());
  sqlite3_bind_int64(q, 4, (int64_t)getpid());
  sqlite3_bind_text(q, 5, host, -1, SQLITE_STATIC);
  sqlite3_bind_int64(q, 6, run_id);
  if (error) sqlite3_bind_text(q, 7, error, -1, SQLITE_STATIC);
  if (result) sqlite3_bind_text(q, 8, result, -1, SQLITE_STATIC);
  legation_status s = LEGATION_OK;
  if (sqlite3_step(q) != SQLITE_DONE)
    s = st_fail_db(st, "cannot save a job");
  else if (sqlite3_changes(st->db) == 0)
    s = st_fail(st, LEGATION_ENOTFOUND, "no job %lld", (long long)id);
  sqlite3_finalize(q);
  return s;
}

static const char *text_or(sqlite3_stmt *q, int col, const char *dflt) {
  const char *t = (const char *)sqlite3_column_text(q, col);
  return t ? t : dflt;
}

legation_status legation_store_job_list(legation_store *st, legation_store_job_fn fn, void *user) {
  if (!st || !st->db || !fn) return LEGATION_EINVAL;
  st->err[0] = 0;
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(st->db,
                         "SELECT id, kind, request, state, run_id, created, updated, pid, host,"
                         " error, result FROM serve_job ORDER BY id",
                         -1, &q, NULL) != SQLITE_OK)
    return st_fail_db(st, "cannot list jobs");
  int rc;
  legation_status s = LEGATION_OK;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    legation_store_job j;
    memset(&j, 0, sizeof j);
    j.id = sqlite3_column_int64(q, 0);
    j.kind = text_or(q, 1, "");
    j.request = text_or(q, 2, "");
    j.state = text_or(q, 3, "");
    j.run_id = sqlite3_column_int64(q, 4);
    j.created = sqlite3_column_double(q, 5);
    j.updated = sqlite3_column_double(q, 6);
    /* the time clause of st_is_stale does not apply: a job may wait long
     * in a live server's queue */
    j.orphan = (strcmp(j.state, "queued") == 0 || strcmp(j.state, "running") == 0) &&
               st_is_stale(sqlite3_column_int64(q, 7), text_or(q, 8, NULL), st_wall());
    j.error = text_or(q, 9, "");
    j.result = text_or(q, 10, NULL);
    if (fn(user, &j)) {
      s = LEGATION_EINTR;
      break;
    }
  }
  if (s == LEGATION_OK && rc != SQLITE_DONE) s = st_fail_db(st, "cannot list jobs");
  sqlite3_finalize(q);
  return s;
}
