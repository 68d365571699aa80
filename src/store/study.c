/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * study.c - sensitivity and discovery studies in the results store: each
 * block of finished design points (point_output with the exact variance,
 * point_param) saved with the replications done in one transaction, so
 * the stored points are always a prefix of the design and a study killed
 * at any moment resumes from it; reading that prefix back; resuming and
 * finishing the study's run row.  The row itself is begun by
 * legation_store_begin (store.c).
 */
#include "store.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void bind_real(sqlite3_stmt *q, int col, double x) {
  if (isnan(x))
    sqlite3_bind_null(q, col);
  else
    sqlite3_bind_double(q, col, x);
}

/* Two-sided 95% t quantile for df degrees of freedom (the table's last
 * row is the normal's); a point's interval in export, not used by the
 * analysis. */
static double t95(int64_t df) {
  static const double t[] = {0,     12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306,
                             2.262, 2.228,  2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110,
                             2.101, 2.093,  2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
                             2.052, 2.048,  2.045, 2.042};
  if (df < 1) return NAN;
  if (df <= 30) return t[df];
  return df <= 60 ? 2.000 : df <= 120 ? 1.980 : 1.960;
}

legation_status legation_store_study_block(legation_store *st, const legation_study_block *b,
                                           int nbase, int64_t keep_params,
                                           const char *const *keys) {
  if (!st || !st->db || !b || (b->count && (!b->mean || !b->var || !b->n)) || nbase < 1)
    return LEGATION_EINVAL;
  if (!st->active) return st_fail(st, LEGATION_EINVAL, "no study is being recorded");
  st->err[0] = 0;
  legation_status s = st_begin(st);
  if (s != LEGATION_OK) return s;
  sqlite3_stmt *q = NULL, *pq = NULL, *u = NULL;
  if (sqlite3_prepare_v2(st->db,
                         "INSERT OR REPLACE INTO point_output(run_id, point, variant, diff,"
                         " position, n, mean, sd, lo, hi, var) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                         -1, &q, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(st->db, "INSERT OR REPLACE INTO point_param VALUES (?,?,?,?,?)", -1,
                         &pq, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(st->db,
                         "UPDATE run SET reps_done=?, checkpoint_reps=?, updated=?, seconds=?"
                         " WHERE id=?",
                         -1, &u, NULL) != SQLITE_OK)
    goto db_fail;
  int64_t per_row = b->points_per_row > 0 ? b->points_per_row : 1;
  for (int64_t p = 0; p < b->count; p++) {
    int64_t point = b->first + p;
    for (int o = 0; o < b->noutputs; o++) {
      size_t at = (size_t)p * (size_t)b->noutputs + (size_t)o;
      double mean = b->mean[at], var = b->var[at];
      int64_t n = b->n[at];
      double sd = isnan(var) ? NAN : sqrt(var), half = sd * t95(n - 1) / sqrt((double)n);
      int opt = o >= nbase;
      sqlite3_bind_int64(q, 1, st->id);
      sqlite3_bind_int64(q, 2, point);
      sqlite3_bind_int(q, 3, opt);
      sqlite3_bind_int(q, 4, opt);
      sqlite3_bind_int(q, 5, opt ? o - nbase : o);
      sqlite3_bind_int64(q, 6, n);
      bind_real(q, 7, mean);
      bind_real(q, 8, sd);
      bind_real(q, 9, mean - half);
      bind_real(q, 10, mean + half);
      bind_real(q, 11, var);
      if (sqlite3_step(q) != SQLITE_DONE) goto db_fail;
      sqlite3_reset(q);
    }
    if (!b->x || !keys || point % per_row >= keep_params) continue;
    for (int k = 0; k < b->nfactors; k++) {
      sqlite3_bind_int64(pq, 1, st->id);
      sqlite3_bind_int64(pq, 2, point);
      sqlite3_bind_int(pq, 3, k);
      sqlite3_bind_text(pq, 4, keys[k], -1, SQLITE_STATIC);
      sqlite3_bind_double(pq, 5, b->x[(size_t)p * (size_t)b->nfactors + (size_t)k]);
      if (sqlite3_step(pq) != SQLITE_DONE) goto db_fail;
      sqlite3_reset(pq);
    }
  }
  sqlite3_bind_int64(u, 1, b->evaluations);
  sqlite3_bind_int64(u, 2, b->evaluations);
  sqlite3_bind_double(u, 3, st_wall());
  sqlite3_bind_double(u, 4, st->seconds_before + (st_mono() - st->t_begin));
  sqlite3_bind_int64(u, 5, st->id);
  if (sqlite3_step(u) != SQLITE_DONE) goto db_fail;
  sqlite3_finalize(q);
  sqlite3_finalize(pq);
  sqlite3_finalize(u);
  return st_commit(st);
db_fail:
  s = st_fail_db(st, "cannot store the study's points");
  sqlite3_finalize(q);
  sqlite3_finalize(pq);
  sqlite3_finalize(u);
  st_rollback(st);
  return s;
}

legation_status legation_store_study_resume(legation_store *st, int64_t id) {
  if (!st || !st->db) return LEGATION_EINVAL;
  if (st->active) return st_fail(st, LEGATION_EINVAL, "a run is already being recorded");
  legation_store_run r;
  legation_status s = legation_store_get(st, id, &r);
  if (s != LEGATION_OK) return s;
  if (strcmp(r.status, "complete") == 0)
    return st_fail(st, LEGATION_EINVAL, "study %lld is complete; there is nothing to resume",
                   (long long)id);
  if (strcmp(r.status, "failed") == 0)
    return st_fail(st, LEGATION_EINVAL, "study %lld failed (%s); it cannot be resumed",
                   (long long)id, r.error);
  if (strcmp(r.status, "running") == 0)
    return st_fail(st, LEGATION_EINVAL,
                   "study %lld is still running in another process; stop it first",
                   (long long)id);
  double seconds = r.seconds;
  char host[256];
  st_hostname(host, sizeof host);
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(st->db,
                         "UPDATE run SET status='running', ended=NULL, error='', pid=?, host=?,"
                         " updated=? WHERE id=?",
                         -1, &q, NULL) != SQLITE_OK)
    return st_fail_db(st, "cannot resume the study");
  sqlite3_bind_int64(q, 1, (int64_t)getpid());
  sqlite3_bind_text(q, 2, host, -1, SQLITE_TRANSIENT);
  sqlite3_bind_double(q, 3, st_wall());
  sqlite3_bind_int64(q, 4, id);
  s = sqlite3_step(q) == SQLITE_DONE ? LEGATION_OK : st_fail_db(st, "cannot resume the study");
  sqlite3_finalize(q);
  if (s != LEGATION_OK) return s;
  st->active = 1;
  st->run = NULL;
  st->id = id;
  st->seconds_before = seconds;
  st->last_ck = st->t_begin = st_mono();
  st->write_failed = 0;
  return LEGATION_OK;
}

legation_status legation_store_study_load(legation_store *st, int64_t id, int nbase,
                                          int noutputs, int64_t *npoints, double **mean,
                                          double **var, int64_t **n) {
  if (!st || !st->db || !npoints || !mean || !var || !n || nbase < 1 || noutputs < nbase)
    return LEGATION_EINVAL;
  *npoints = 0, *mean = *var = NULL, *n = NULL;
  st->err[0] = 0;
  sqlite3_stmt *q = NULL;
  /* the prefix: blocks are committed whole, so points 0 .. max are all there */
  if (sqlite3_prepare_v2(st->db,
                         "SELECT count(DISTINCT point), max(point) FROM point_output WHERE run_id=?",
                         -1, &q, NULL) != SQLITE_OK)
    return st_fail_db(st, "cannot read the study's points");
  sqlite3_bind_int64(q, 1, id);
  int64_t np = 0, maxp = -1;
  if (sqlite3_step(q) == SQLITE_ROW) {
    np = sqlite3_column_int64(q, 0);
    if (sqlite3_column_type(q, 1) != SQLITE_NULL) maxp = sqlite3_column_int64(q, 1);
  }
  sqlite3_finalize(q);
  if (np == 0) return LEGATION_OK;
  if (maxp + 1 != np)
    return st_fail(st, LEGATION_EIO, "study %lld: its stored points are not a prefix of the design",
                   (long long)id);
  size_t cells = (size_t)np * (size_t)noutputs;
  double *m = malloc(cells * sizeof *m), *v = malloc(cells * sizeof *v);
  int64_t *c = calloc(cells, sizeof *c);
  char *seen = calloc(cells, 1);
  if (!m || !v || !c || !seen) {
    free(m), free(v), free(c), free(seen);
    return st_fail(st, LEGATION_ENOMEM, "out of memory");
  }
  legation_status s = LEGATION_OK;
  if (sqlite3_prepare_v2(st->db,
                         "SELECT point, variant, diff, position, n, mean, var FROM point_output"
                         " WHERE run_id=?",
                         -1, &q, NULL) != SQLITE_OK)
    s = st_fail_db(st, "cannot read the study's points");
  else {
    sqlite3_bind_int64(q, 1, id);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
      int64_t p = sqlite3_column_int64(q, 0);
      int variant = sqlite3_column_int(q, 1), diff = sqlite3_column_int(q, 2);
      int pos = sqlite3_column_int(q, 3);
      int o = variant == 0 && !diff ? pos : variant == 1 && diff ? nbase + pos : -1;
      if (p < 0 || p >= np || o < 0 || o >= noutputs || (variant == 0 && pos >= nbase)) continue;
      size_t at = (size_t)p * (size_t)noutputs + (size_t)o;
      c[at] = sqlite3_column_int64(q, 4);
      m[at] = sqlite3_column_type(q, 5) == SQLITE_NULL ? NAN : sqlite3_column_double(q, 5);
      v[at] = sqlite3_column_type(q, 6) == SQLITE_NULL ? NAN : sqlite3_column_double(q, 6);
      seen[at] = 1;
    }
    if (rc != SQLITE_DONE) s = st_fail_db(st, "cannot read the study's points");
    sqlite3_finalize(q);
  }
  for (size_t i = 0; s == LEGATION_OK && i < cells; i++)
    if (!seen[i])
      s = st_fail(st, LEGATION_EIO, "study %lld: point %lld lacks output %d", (long long)id,
                  (long long)(i / (size_t)noutputs), (int)(i % (size_t)noutputs));
  free(seen);
  if (s != LEGATION_OK) {
    free(m), free(v), free(c);
    return s;
  }
  *npoints = np, *mean = m, *var = v, *n = c;
  return LEGATION_OK;
}

legation_status legation_store_study_finish(legation_store *st, legation_status status,
                                            int64_t evaluations, const char *error) {
  if (!st || !st->db) return LEGATION_EINVAL;
  if (!st->active) return st_fail(st, LEGATION_EINVAL, "no study is being recorded");
  st->err[0] = 0;
  const char *what = status == LEGATION_OK      ? "complete"
                     : status == LEGATION_EINTR ? "incomplete"
                                                : "failed";
  sqlite3_stmt *q = NULL;
  legation_status s = LEGATION_OK;
  if (sqlite3_prepare_v2(st->db,
                         "UPDATE run SET status=?, ended=?, updated=?, error=?, seconds=?,"
                         " reps_done=max(reps_done, ?) WHERE id=?",
                         -1, &q, NULL) != SQLITE_OK)
    s = st_fail_db(st, "cannot finish the study");
  else {
    double now = st_wall();
    const char *e = status == LEGATION_OK || status == LEGATION_EINTR || !error ? "" : error;
    sqlite3_bind_text(q, 1, what, -1, SQLITE_STATIC);
    sqlite3_bind_double(q, 2, now);
    sqlite3_bind_double(q, 3, now);
    sqlite3_bind_text(q, 4, e, -1, SQLITE_TRANSIENT);
    sqlite3_bind_double(q, 5, st->seconds_before + (st_mono() - st->t_begin));
    sqlite3_bind_int64(q, 6, status == LEGATION_OK ? evaluations : 0);
    sqlite3_bind_int64(q, 7, st->id);
    if (sqlite3_step(q) != SQLITE_DONE) s = st_fail_db(st, "cannot finish the study");
    sqlite3_finalize(q);
  }
  st->active = 0;
  st->run = NULL;
  return s;
}
