/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * files.c - the files a stored run was read from (schema 3, table
 * run_file): saved when the run is recorded, from the scenarios the run
 * holds (the file itself, then every base, built-ins included, full text),
 * and used instead of the disk whenever the run is rebuilt (runs show,
 * report, resume), so that a changed directory or an edited base file
 * cannot change or break a stored run.
 */
#include "store.h"

#include <stdlib.h>
#include <string.h>

legation_status st_save_files(legation_store *st, int64_t id, const legation_run *run,
                              const char *label) {
  sqlite3_stmt *q = NULL;
  if (label && *label) {
    if (sqlite3_prepare_v2(st->db, "UPDATE run SET label=? WHERE id=?", -1, &q, NULL) !=
        SQLITE_OK)
      return st_fail_db(st, "cannot record the label");
    sqlite3_bind_text(q, 1, label, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 2, id);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) return st_fail_db(st, "cannot record the label");
  }
  if (sqlite3_prepare_v2(st->db, "INSERT INTO run_file VALUES (?,?,?,?,?)", -1, &q, NULL) !=
      SQLITE_OK)
    return st_fail_db(st, "cannot record the scenario files");
  int nv = legation_run_variant_count(run);
  for (int v = 0; v < nv; v++) {
    const legation_scenario *sc = legation_run_variant_scenario(run, v);
    int nf = legation_scenario_file_count(sc);
    for (int i = 0; i < nf; i++) {
      const char *key, *text;
      size_t len;
      if (legation_scenario_file_get(sc, i, &key, &text, &len) != LEGATION_OK) continue;
      sqlite3_bind_int64(q, 1, id);
      sqlite3_bind_int(q, 2, v);
      sqlite3_bind_int(q, 3, i);
      sqlite3_bind_text(q, 4, key, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(q, 5, text, (int)len, SQLITE_TRANSIENT);
      int rc = sqlite3_step(q);
      sqlite3_reset(q);
      if (rc != SQLITE_DONE) {
        sqlite3_finalize(q);
        return st_fail_db(st, "cannot record the scenario files");
      }
    }
  }
  sqlite3_finalize(q);
  return LEGATION_OK;
}

legation_status st_load_files(legation_store *st, int64_t id, int variant, legation_scenario *sc,
                              int *found) {
  *found = 0;
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(st->db,
                         "SELECT key, text FROM run_file WHERE run_id=? AND variant=?"
                         " ORDER BY position",
                         -1, &q, NULL) != SQLITE_OK)
    return st_fail_db(st, "cannot read the scenario files");
  sqlite3_bind_int64(q, 1, id);
  sqlite3_bind_int(q, 2, variant);
  legation_scenario_file *f = NULL;
  int n = 0, cap = 0, rc;
  legation_status s = LEGATION_OK;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    if (n == cap) {
      cap = cap ? 2 * cap : 8;
      legation_scenario_file *g = realloc(f, (size_t)cap * sizeof *g);
      if (!g) {
        s = st_fail(st, LEGATION_ENOMEM, "out of memory");
        break;
      }
      f = g;
    }
    /* copies: the row's strings live only until the next step */
    const char *k = (const char *)sqlite3_column_text(q, 0);
    const char *t = (const char *)sqlite3_column_text(q, 1);
    size_t kl = k ? strlen(k) : 0, tl = (size_t)sqlite3_column_bytes(q, 1);
    char *kc = malloc(kl + 1), *tc = malloc(tl + 1);
    if (!kc || !tc) {
      free(kc), free(tc);
      s = st_fail(st, LEGATION_ENOMEM, "out of memory");
      break;
    }
    memcpy(kc, k ? k : "", kl + 1);
    if (tl) memcpy(tc, t, tl);
    tc[tl] = 0;
    f[n++] = (legation_scenario_file){kc, tc, tl};
  }
  if (s == LEGATION_OK && rc != SQLITE_DONE) s = st_fail_db(st, "cannot read the scenario files");
  sqlite3_finalize(q);
  if (s == LEGATION_OK && n > 0) {
    *found = 1;
    s = legation_scenario_load_files(sc, f, n);
  }
  for (int i = 0; i < n; i++) free((char *)f[i].key), free((char *)f[i].text);
  free(f);
  return s;
}
