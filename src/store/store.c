/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * store.c - the results store: opening an SQLite file (WAL, foreign keys,
 * busy timeout), the schema and its migrations, and recording a run as it
 * goes: the row before the first replication, buffered replications and
 * events written in batches, checkpoints from the progress callback, and
 * the summaries and status at the end.  Reading lives in query.c.
 *
 * Durability: synchronous=NORMAL in WAL mode, so a crash of the process
 * (kill -9) never loses a committed checkpoint; a power cut may lose the
 * last few, never corrupt the file.
 */
#include "store.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------ helpers */

legation_status st_fail(legation_store *st, legation_status status, const char *fmt, ...) {
  char msg[sizeof st->err];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  snprintf(st->err, sizeof st->err, "%.200s: %.800s", st->path ? st->path : "store", msg);
  return status;
}

legation_status st_fail_db(legation_store *st, const char *what) {
  int code = st->db ? sqlite3_errcode(st->db) : SQLITE_ERROR;
  const char *m = st->db ? sqlite3_errmsg(st->db) : "no database";
  /* the system's word too when SQLite has one and does not say it already
   * ("disk I/O error: No space left on device") */
  int sys = st->db ? sqlite3_system_errno(st->db) : 0;
  const char *hint = "";
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
    hint = " (another process kept it locked for longer than the 5 s wait)";
  else if (code == SQLITE_READONLY)
    hint = " (the file or its directory is read-only)";
  if (sys && (code == SQLITE_IOERR || code == SQLITE_CANTOPEN || code == SQLITE_FULL) &&
      !strstr(m, strerror(sys)))
    return st_fail(st, LEGATION_EIO, "%s: %s: %s", what, m, strerror(sys));
  return st_fail(st, code == SQLITE_NOMEM ? LEGATION_ENOMEM : LEGATION_EIO, "%s: %s%s", what, m,
                 hint);
}

legation_status st_exec(legation_store *st, const char *sql, const char *what) {
  if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK) return st_fail_db(st, what);
  return LEGATION_OK;
}

legation_status st_begin(legation_store *st) {
  return st_exec(st, "BEGIN IMMEDIATE", "cannot start a transaction");
}

legation_status st_commit(legation_store *st) {
  legation_status s = st_exec(st, "COMMIT", "cannot commit");
  if (s != LEGATION_OK) st_rollback(st);
  return s;
}

void st_rollback(legation_store *st) {
  if (!sqlite3_get_autocommit(st->db)) sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

double st_wall(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

double st_mono(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void st_hostname(char *buf, size_t n) {
  if (gethostname(buf, n) != 0) buf[0] = 0;
  buf[n - 1] = 0;
}

int st_is_stale(int64_t pid, const char *host, double updated) {
  if (st_wall() - updated > ST_STALE_SECONDS) return 1;
  char me[256];
  st_hostname(me, sizeof me);
  if (!host || strcmp(host, me) != 0 || pid <= 0) return 0;
  return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

void st_put_le(unsigned char *p, double x) {
  uint64_t u;
  memcpy(&u, &x, sizeof u);
  for (int i = 0; i < 8; i++) p[i] = (unsigned char)(u >> (8 * i));
}

double st_get_le(const unsigned char *p) {
  uint64_t u = 0;
  for (int i = 0; i < 8; i++) u |= (uint64_t)p[i] << (8 * i);
  double x;
  memcpy(&x, &u, sizeof x);
  return x;
}

/* ------------------------------------------------------------ checkpoints */

/* A checkpoint is mostly zero counts of the quantile sketches (95% of the
 * words of a default run's 2.5 MB), so the store keeps it with zero runs
 * encoded: "LGZ1", the length as 8 little-endian bytes, then 32-bit words
 * where a zero word is followed by the count of zero words it stands for;
 * a tail of fewer than 4 bytes is kept as is.  16 times smaller, and it
 * keeps a default run's store overhead under 5%. */
#define ST_CK_MAGIC "LGZ1"

unsigned char *st_ck_encode(const void *buf, size_t len, size_t *outlen) {
  const unsigned char *in = buf;
  size_t nw = len / 4;
  unsigned char *out = malloc(12 + 8 * nw + 4), *p = out;
  if (!out) return NULL;
  memcpy(p, ST_CK_MAGIC, 4);
  for (int i = 0; i < 8; i++) p[4 + i] = (unsigned char)((uint64_t)len >> (8 * i));
  p += 12;
  for (size_t i = 0; i < nw;) {
    uint32_t w;
    memcpy(&w, in + 4 * i, 4);
    if (w) {
      memcpy(p, &w, 4), p += 4, i++;
      continue;
    }
    uint32_t run = 0;
    while (i < nw && run < UINT32_MAX && memcmp(in + 4 * i, "\0\0\0\0", 4) == 0) i++, run++;
    memcpy(p, &w, 4), p += 4;
    memcpy(p, &run, 4), p += 4;
  }
  memcpy(p, in + 4 * nw, len % 4), p += len % 4;
  *outlen = (size_t)(p - out);
  return out;
}

unsigned char *st_ck_decode(const void *buf, size_t len, size_t *outlen) {
  const unsigned char *in = buf;
  if (len < 12 || memcmp(in, ST_CK_MAGIC, 4) != 0) return NULL;
  uint64_t n = 0;
  for (int i = 0; i < 8; i++) n |= (uint64_t)in[4 + i] << (8 * i);
  if (n > ((uint64_t)1 << 40)) return NULL;
  unsigned char *out = malloc(n ? (size_t)n : 1);
  if (!out) return NULL;
  unsigned char *p = out, *end = out + n;
  const unsigned char *q = in + 12, *qend = in + len;
  while ((size_t)(end - p) >= 4 && qend - q >= 4) {
    uint32_t w;
    memcpy(&w, q, 4), q += 4;
    if (w) {
      memcpy(p, &w, 4), p += 4;
      continue;
    }
    uint32_t run;
    if (qend - q < 4) break;
    memcpy(&run, q, 4), q += 4;
    if ((uint64_t)run * 4 > (uint64_t)(end - p)) break;
    memset(p, 0, (size_t)run * 4), p += (size_t)run * 4;
  }
  size_t tail = (size_t)(end - p);
  if (tail >= 4 || (size_t)(qend - q) != tail) {
    free(out);
    return NULL;
  }
  memcpy(p, q, tail);
  *outlen = (size_t)n;
  return out;
}

/* ------------------------------------------------------------ schema */

/* Migration to version `version`: SQL run in one transaction together with
 * its row in legation_schema.  To change the schema, append a row (version
 * 2, ...) with the ALTER/CREATE statements and raise ST_SCHEMA_VERSION;
 * never edit a released row. */
typedef struct migration {
  int version;
  const char *sql;
} migration;

static const migration migrations[] = {
    {1,
     "CREATE TABLE legation_schema(\n"
     "  version INTEGER PRIMARY KEY,\n"
     "  applied TEXT NOT NULL,\n"
     "  legation_version TEXT NOT NULL);\n"
     "CREATE TABLE run(\n"
     "  id INTEGER PRIMARY KEY,\n"
     "  status TEXT NOT NULL CHECK (status IN\n"
     "    ('running','complete','incomplete','failed')),\n"
     "  created TEXT NOT NULL,\n"
     "  started REAL NOT NULL,\n"
     "  updated REAL NOT NULL,\n"
     "  ended REAL,\n"
     "  seconds REAL NOT NULL DEFAULT 0,\n"
     "  pid INTEGER,\n"
     "  host TEXT,\n"
     "  scenario_name TEXT NOT NULL,\n"
     "  scenario_title TEXT NOT NULL,\n"
     "  origin TEXT NOT NULL,\n"
     "  scenario_text TEXT NOT NULL,\n"
     "  sets TEXT NOT NULL,\n"
     "  hash TEXT NOT NULL,\n"
     "  seed TEXT NOT NULL,\n"
     "  reps_requested INTEGER NOT NULL,\n"
     "  reps_done INTEGER NOT NULL DEFAULT 0,\n"
     "  months INTEGER NOT NULL,\n"
     "  threads INTEGER NOT NULL,\n"
     "  variants INTEGER NOT NULL,\n"
     "  keep_reps INTEGER NOT NULL,\n"
     "  store_events INTEGER NOT NULL,\n"
     "  version TEXT NOT NULL,\n"
     "  error TEXT NOT NULL DEFAULT '',\n"
     "  checkpoint BLOB,\n"
     "  checkpoint_reps INTEGER);\n"
     "CREATE TABLE run_param(\n"
     "  run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,\n"
     "  position INTEGER NOT NULL,\n"
     "  key TEXT NOT NULL,\n"
     "  value TEXT NOT NULL,\n"
     "  source TEXT,\n"
     "  PRIMARY KEY (run_id, position)) WITHOUT ROWID;\n"
     "CREATE TABLE run_output(\n"
     "  run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,\n"
     "  position INTEGER NOT NULL,\n"
     "  name TEXT NOT NULL,\n"
     "  unit TEXT,\n"
     "  kind TEXT NOT NULL,\n"
     "  PRIMARY KEY (run_id, position)) WITHOUT ROWID;\n"
     "CREATE TABLE summary(\n"
     "  run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,\n"
     "  variant INTEGER NOT NULL,\n"
     "  position INTEGER NOT NULL,\n"
     "  output TEXT NOT NULL,\n"
     "  n INTEGER NOT NULL,\n"
     "  mean REAL, sd REAL, lo REAL, hi REAL, min REAL, max REAL,\n"
     "  q05 REAL, q25 REAL, q50 REAL, q75 REAL, q95 REAL,\n"
     "  PRIMARY KEY (run_id, variant, position)) WITHOUT ROWID;\n"
     "CREATE TABLE series_band(\n"
     "  run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,\n"
     "  variant INTEGER NOT NULL,\n"
     "  position INTEGER NOT NULL,\n"
     "  series TEXT NOT NULL,\n"
     "  month INTEGER NOT NULL,\n"
     "  n INTEGER NOT NULL,\n"
     "  mean REAL, q05 REAL, q25 REAL, q50 REAL, q75 REAL, q95 REAL,\n"
     "  PRIMARY KEY (run_id, variant, position, month)) WITHOUT ROWID;\n"
     "CREATE TABLE rep_output(\n"
     "  run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,\n"
     "  variant INTEGER NOT NULL,\n"
     "  first_rep INTEGER NOT NULL,\n"
     "  count INTEGER NOT NULL CHECK (count > 0),\n"
     "  outputs BLOB NOT NULL,\n"
     "  PRIMARY KEY (run_id, variant, first_rep));\n"
     "CREATE TABLE event(\n"
     "  run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,\n"
     "  rep INTEGER NOT NULL,\n"
     "  month INTEGER NOT NULL,\n"
     "  acting_state TEXT NOT NULL,\n"
     "  target_state TEXT NOT NULL,\n"
     "  action TEXT NOT NULL,\n"
     "  persons INTEGER NOT NULL,\n"
     "  officers INTEGER NOT NULL,\n"
     "  reason TEXT NOT NULL,\n"
     "  chain INTEGER NOT NULL);\n"
     "CREATE INDEX event_run_rep ON event(run_id, rep);\n"},
    /* 2: comparisons.  The options of a run with variants (variant 0, the
     * base, is the run row itself) and the paired differences. */
    {2,
     "CREATE TABLE run_variant(\n"
     "  run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,\n"
     "  variant INTEGER NOT NULL CHECK (variant >= 1),\n"
     "  name TEXT NOT NULL,\n"
     "  title TEXT NOT NULL,\n"
     "  origin TEXT NOT NULL,\n"
     "  scenario_text TEXT NOT NULL,\n"
     "  scenario_hash TEXT NOT NULL,\n"
     "  PRIMARY KEY (run_id, variant)) WITHOUT ROWID;\n"
     "CREATE TABLE summary_diff(\n"
     "  run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,\n"
     "  variant INTEGER NOT NULL,\n"
     "  position INTEGER NOT NULL,\n"
     "  output TEXT NOT NULL,\n"
     "  n INTEGER NOT NULL,\n"
     "  mean REAL, sd REAL, lo REAL, hi REAL, min REAL, max REAL,\n"
     "  q05 REAL, q25 REAL, q50 REAL, q75 REAL, q95 REAL,\n"
     "  indep_lo REAL, indep_hi REAL, narrowing REAL,\n"
     "  PRIMARY KEY (run_id, variant, position)) WITHOUT ROWID;\n"},
    /* 3: sweeps and other runs of many points (legation_run_set_points):
     * each finished point's summary, and its parameter values */
    {3,
     "CREATE TABLE point_output(\n"
     "  run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,\n"
     "  point INTEGER NOT NULL,\n"
     "  variant INTEGER NOT NULL,\n"
     "  diff INTEGER NOT NULL,\n"
     "  position INTEGER NOT NULL,\n"
     "  n INTEGER NOT NULL,\n"
     "  mean REAL, sd REAL, lo REAL, hi REAL,\n"
     "  PRIMARY KEY (run_id, point, variant, diff, position)) WITHOUT ROWID;\n"
     "CREATE TABLE point_param(\n"
     "  run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,\n"
     "  point INTEGER NOT NULL,\n"
     "  position INTEGER NOT NULL,\n"
     "  key TEXT NOT NULL,\n"
     "  value REAL NOT NULL,\n"
     "  PRIMARY KEY (run_id, point, position)) WITHOUT ROWID;\n"},
    /* 4: calibrations (ABC-SMC, legation calibrate): the settings, each
     * generation's tolerance, acceptance and ESS, and every generation's
     * weighted particles (the posterior is the last generation's). */
    {4,
     "CREATE TABLE calibration(\n"
     "  id INTEGER PRIMARY KEY,\n"
     "  status TEXT NOT NULL CHECK (status IN\n"
     "    ('running','complete','incomplete','failed')),\n"
     "  created TEXT NOT NULL,\n"
     "  started REAL NOT NULL,\n"
     "  updated REAL NOT NULL,\n"
     "  ended REAL,\n"
     "  seconds REAL NOT NULL DEFAULT 0,\n"
     "  pid INTEGER,\n"
     "  host TEXT,\n"
     "  scenario TEXT NOT NULL,\n"
     "  scenario_text TEXT,\n"
     "  targets_origin TEXT,\n"
     "  targets_text TEXT,\n"
     "  params TEXT NOT NULL,\n"
     "  seed TEXT NOT NULL,\n"
     "  particles INTEGER NOT NULL,\n"
     "  generations INTEGER NOT NULL,\n"
     "  threads INTEGER NOT NULL,\n"
     "  min_tolerance REAL,\n"
     "  min_acceptance REAL,\n"
     "  version TEXT NOT NULL,\n"
     "  error TEXT NOT NULL DEFAULT '',\n"
     "  generations_done INTEGER NOT NULL DEFAULT 0,\n"
     "  stopped TEXT NOT NULL DEFAULT '',\n"
     "  checkpoint BLOB);\n"
     "CREATE TABLE calibration_param(\n"
     "  calibration_id INTEGER NOT NULL REFERENCES calibration(id) ON DELETE CASCADE,\n"
     "  position INTEGER NOT NULL,\n"
     "  key TEXT NOT NULL,\n"
     "  dist TEXT NOT NULL,\n"
     "  lo REAL NOT NULL, hi REAL NOT NULL, mode REAL, sd REAL,\n"
     "  PRIMARY KEY (calibration_id, position)) WITHOUT ROWID;\n"
     "CREATE TABLE calibration_target(\n"
     "  calibration_id INTEGER NOT NULL REFERENCES calibration(id) ON DELETE CASCADE,\n"
     "  position INTEGER NOT NULL,\n"
     "  name TEXT NOT NULL,\n"
     "  value REAL NOT NULL, sd REAL, scale REAL,\n"
     "  PRIMARY KEY (calibration_id, position)) WITHOUT ROWID;\n"
     "CREATE TABLE calibration_generation(\n"
     "  calibration_id INTEGER NOT NULL REFERENCES calibration(id) ON DELETE CASCADE,\n"
     "  generation INTEGER NOT NULL,\n"
     "  tolerance REAL,\n"
     "  simulations INTEGER NOT NULL,\n"
     "  acceptance REAL NOT NULL,\n"
     "  ess REAL NOT NULL,\n"
     "  seconds REAL NOT NULL,\n"
     "  PRIMARY KEY (calibration_id, generation)) WITHOUT ROWID;\n"
     "CREATE TABLE posterior(\n"
     "  calibration_id INTEGER NOT NULL REFERENCES calibration(id) ON DELETE CASCADE,\n"
     "  generation INTEGER NOT NULL,\n"
     "  particle INTEGER NOT NULL,\n"
     "  weight REAL NOT NULL,\n"
     "  distance REAL NOT NULL,\n"
     "  PRIMARY KEY (calibration_id, generation, particle)) WITHOUT ROWID;\n"
     "CREATE TABLE posterior_value(\n"
     "  calibration_id INTEGER NOT NULL REFERENCES calibration(id) ON DELETE CASCADE,\n"
     "  generation INTEGER NOT NULL,\n"
     "  particle INTEGER NOT NULL,\n"
     "  position INTEGER NOT NULL,\n"
     "  value REAL NOT NULL,\n"
     "  PRIMARY KEY (calibration_id, generation, particle, position)) WITHOUT ROWID;\n"},
    /* 5: stored runs survive their files (issue 10).  The full text of
     * every file each scenario of a run was read from (the file, then its
     * bases, built-ins included), so that show, report, export and resume
     * never read the disk again; and an optional label. */
    {5,
     "CREATE TABLE run_file(\n"
     "  run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,\n"
     "  variant INTEGER NOT NULL,\n"
     "  position INTEGER NOT NULL,\n"
     "  key TEXT NOT NULL,\n"
     "  text TEXT NOT NULL,\n"
     "  PRIMARY KEY (run_id, variant, position)) WITHOUT ROWID;\n"
     "ALTER TABLE run ADD COLUMN label TEXT NOT NULL DEFAULT '';\n"},
    /* 6: sensitivity and discovery studies (legation_store_study_*): a
     * study is a run row whose points go to point_output; their exact
     * within-point variance (sd is its square root), so that a resumed
     * study adds the same replication noise bit for bit. */
    {6, "ALTER TABLE point_output ADD COLUMN var REAL;\n"},
    /* 7: the jobs of `legation serve --db` (jobs.c): the request, the
     * state and the stored run, so that a restarted server lists the jobs
     * left queued or running as interrupted and can resume them. */
    {7,
     "CREATE TABLE serve_job(\n"
     "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
     "  kind TEXT NOT NULL,\n"
     "  request TEXT NOT NULL,\n"
     "  state TEXT NOT NULL CHECK (state IN\n"
     "    ('queued','running','done','failed','cancelled','interrupted')),\n"
     "  run_id INTEGER REFERENCES run(id) ON DELETE SET NULL,\n"
     "  created REAL NOT NULL,\n"
     "  updated REAL NOT NULL,\n"
     "  pid INTEGER,\n"
     "  host TEXT,\n"
     "  error TEXT NOT NULL DEFAULT '',\n"
     "  result TEXT);\n"},
};
static const int nmigrations = (int)(sizeof migrations / sizeof migrations[0]);

/* Schema version of the file: 0 for an empty database, -1 (message set)
 * for a database of another program or one that cannot be read. */
static int read_version(legation_store *st) {
  sqlite3_stmt *q = NULL;
  int version = -1;
  if (sqlite3_prepare_v2(st->db,
                         "SELECT (SELECT count(*) FROM sqlite_master),"
                         " (SELECT count(*) FROM sqlite_master WHERE type='table'"
                         "  AND name='legation_schema')",
                         -1, &q, NULL) != SQLITE_OK ||
      sqlite3_step(q) != SQLITE_ROW) {
    /* only a file SQLite cannot read as a database is "not a store"; a
     * locked, unreadable or damaged one says so */
    int code = sqlite3_errcode(st->db);
    if (code == SQLITE_CANTOPEN && sqlite3_db_readonly(st->db, "main") == 1)
      st_fail(st, LEGATION_EIO,
              "cannot read the store: the file or its directory is read-only, and its -shm "
              "file (WAL mode) cannot be made beside it");
    else
      st_fail_db(st, code == SQLITE_NOTADB    ? "not a Legation store"
                     : code == SQLITE_CORRUPT ? "the store is damaged"
                                              : "cannot read the store");
    sqlite3_finalize(q);
    return -1;
  }
  int objects = sqlite3_column_int(q, 0), ours = sqlite3_column_int(q, 1);
  sqlite3_finalize(q);
  if (!ours) {
    if (objects == 0) return 0;
    st_fail(st, LEGATION_EIO,
            "not a Legation store: an SQLite database of another program "
            "(no legation_schema table)");
    return -1;
  }
  if (sqlite3_prepare_v2(st->db, "SELECT max(version) FROM legation_schema", -1, &q, NULL) !=
          SQLITE_OK ||
      sqlite3_step(q) != SQLITE_ROW) {
    st_fail_db(st, "cannot read the schema version");
    sqlite3_finalize(q);
    return -1;
  }
  version = sqlite3_column_int(q, 0);
  sqlite3_finalize(q);
  return version;
}

static void iso_time(char *buf, size_t n, double t) {
  time_t s = (time_t)t;
  struct tm tm;
  gmtime_r(&s, &tm);
  strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Bring the file to ST_SCHEMA_VERSION, one migration per transaction; the
 * version is read again inside each so two processes creating the same
 * file do not both migrate. */
static legation_status migrate(legation_store *st) {
  int v = read_version(st);
  if (v < 0) return LEGATION_EIO;
  if (v > ST_SCHEMA_VERSION)
    return st_fail(st, LEGATION_ERANGE,
                   "made by a newer Legation: schema version %d, this version reads up to %d", v,
                   ST_SCHEMA_VERSION);
  while (v < ST_SCHEMA_VERSION) {
    legation_status s = st_begin(st);
    if (s != LEGATION_OK) return s;
    v = read_version(st);
    if (v < 0) {
      st_rollback(st);
      return LEGATION_EIO;
    }
    if (v >= ST_SCHEMA_VERSION) { /* another process migrated meanwhile */
      st_rollback(st);
      break;
    }
    const migration *m = NULL;
    for (int i = 0; i < nmigrations; i++)
      if (migrations[i].version == v + 1) m = &migrations[i];
    if (!m) {
      st_rollback(st);
      return st_fail(st, LEGATION_EINTERNAL, "no migration to schema version %d", v + 1);
    }
    char what[64], when[32], sql[256];
    snprintf(what, sizeof what, "cannot migrate to schema version %d", m->version);
    if ((s = st_exec(st, m->sql, what)) != LEGATION_OK) {
      st_rollback(st);
      return s;
    }
    iso_time(when, sizeof when, st_wall());
    snprintf(sql, sizeof sql,
             "INSERT INTO legation_schema(version, applied, legation_version) "
             "VALUES (%d, '%s', '%s')",
             m->version, when, LEGATION_VERSION);
    if ((s = st_exec(st, sql, what)) != LEGATION_OK) {
      st_rollback(st);
      return s;
    }
    if ((s = st_commit(st)) != LEGATION_OK) return s;
    v = m->version;
  }
  st->version = read_version(st);
  return st->version < 0 ? LEGATION_EIO : LEGATION_OK;
}

/* ------------------------------------------------------------ open, close */

/* Nonzero when path and its directory can both be written (WAL mode makes
 * files beside the store). */
static int writable(const char *path) {
  if (access(path, W_OK) != 0) return 0;
  const char *slash = strrchr(path, '/');
  if (!slash) return access(".", W_OK) == 0;
  if (slash == path) return access("/", W_OK) == 0;
  size_t n = (size_t)(slash - path);
  char *dir = malloc(n + 1);
  if (!dir) return 1;
  memcpy(dir, path, n);
  dir[n] = 0;
  int ok = access(dir, W_OK) == 0;
  free(dir);
  return ok;
}

/* PRAGMA journal_mode=WAL.  Changing the mode of a new file takes an
 * exclusive lock without calling the busy handler, so processes creating
 * one store at once get SQLITE_BUSY here: wait and retry, up to the busy
 * timeout, as every other statement does. */
static legation_status set_wal(legation_store *st) {
  double until = st_mono() + ST_BUSY_SECONDS;
  for (int tries = 0;; tries++) {
    int rc = sqlite3_exec(st->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
    if (rc == SQLITE_OK) return LEGATION_OK;
    if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || st_mono() > until)
      return st_fail_db(st, "cannot switch to WAL");
    /* 1 ms, growing to 50 ms: no lockstep between the waiting processes */
    struct timespec ts = {0, (long)(tries < 50 ? tries + 1 : 50) * 1000000L};
    nanosleep(&ts, NULL);
  }
}

legation_status legation_store_open(const char *path, legation_store **out) {
  if (!out) return LEGATION_EINVAL;
  *out = NULL;
  legation_store *st = calloc(1, sizeof *st);
  if (!st) return LEGATION_ENOMEM;
  *out = st;
  st->interval = 1.0;
  if (!path || !*path) return st_fail(st, LEGATION_EINVAL, "expected a file name, found none");
  st->path = malloc(strlen(path) + 1);
  if (!st->path) return LEGATION_ENOMEM;
  strcpy(st->path, path);
  /* SQLite would open a device or FIFO and leave NAME-journal beside it:
   * refuse anything but a regular file (or none) before it touches the
   * directory. */
  struct stat sb;
  if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
    return st_fail(st, LEGATION_EIO, "cannot open: %s, not a regular file",
                   S_ISDIR(sb.st_mode) ? "a directory" : "a device, FIFO or socket");
  /* A store that exists where nothing can be written (read-only file, or
   * a directory where its -wal and -shm cannot be made) is opened
   * read-only: it can be listed and shown, and writing says why not. */
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  if (stat(path, &sb) == 0 && !writable(path)) flags = SQLITE_OPEN_READONLY;
  int rc = sqlite3_open_v2(path, &st->db, flags, NULL);
  if (rc != SQLITE_OK) {
    legation_status s = st_fail(st, rc == SQLITE_NOMEM ? LEGATION_ENOMEM : LEGATION_EIO,
                                "cannot open: %s%s%s",
                                st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc),
                                st->db && sqlite3_system_errno(st->db) ? ": " : "",
                                st->db && sqlite3_system_errno(st->db)
                                    ? strerror(sqlite3_system_errno(st->db))
                                    : "");
    sqlite3_close(st->db);
    st->db = NULL;
    return s;
  }
  sqlite3_extended_result_codes(st->db, 0);
  sqlite3_busy_timeout(st->db, (int)(ST_BUSY_SECONDS * 1000));
  legation_status s;
  /* The first statement reads the header: a damaged or foreign file fails
   * here ("file is not a database"). */
  if ((s = st_exec(st, "PRAGMA foreign_keys=ON", "cannot configure")) != LEGATION_OK) return s;
  int version = read_version(st);
  if (version < 0) return LEGATION_EIO;
  if (!sqlite3_db_readonly(st->db, "main")) {
    if ((s = set_wal(st)) != LEGATION_OK) return s;
    if ((s = st_exec(st, "PRAGMA synchronous=NORMAL", "cannot configure")) != LEGATION_OK)
      return s;
  } else if (version < ST_SCHEMA_VERSION) {
    return st_fail(st, LEGATION_EIO, "cannot write: the file is read-only");
  }
  return migrate(st);
}

static void clear_recording(legation_store *st) {
  free(st->pt);
  st->pt = NULL;
  st->npt = st->cappt = 0;
  st->run = NULL;
  free(st->rep_rep);
  free(st->rep_var);
  free(st->rep_data);
  free(st->ev);
  st->rep_rep = NULL;
  st->rep_var = NULL;
  st->rep_data = NULL;
  st->ev = NULL;
  st->nrep = st->caprep = st->nev = st->capev = 0;
  st->active = 0;
  st->write_failed = 0;
}

void legation_store_close(legation_store *st) {
  if (!st) return;
  clear_recording(st);
  if (st->db) sqlite3_close_v2(st->db);
  free(st->path);
  free(st->arena);
  free(st);
}

const char *legation_store_errmsg(const legation_store *st) {
  return st ? st->err : "no store (out of memory)";
}

int legation_store_schema_version(const legation_store *st) { return st ? st->version : 0; }

void legation_store_set_checkpoint_interval(legation_store *st, double seconds) {
  if (st && seconds >= 0 && isfinite(seconds)) st->interval = seconds;
}

/* ------------------------------------------------------------ recording */

static uint64_t fnv1a(uint64_t h, const void *p, size_t n) {
  const unsigned char *c = p;
  for (size_t i = 0; i < n; i++) h = (h ^ c[i]) * 1099511628211ull;
  return h;
}

static int bind_text(sqlite3_stmt *q, int i, const char *s) {
  return sqlite3_bind_text(q, i, s ? s : "", -1, SQLITE_TRANSIENT);
}

/* "fnv1a64:" + 16 hex digits of a scenario text and the overrides. */
static void text_hash(char *buf, size_t n, const char *text, size_t tlen, const char *sets) {
  uint64_t h = fnv1a(14695981039346656037ull, text, tlen);
  h = fnv1a(h, "", 1);
  h = fnv1a(h, sets, strlen(sets));
  snprintf(buf, n, "fnv1a64:%016llx", (unsigned long long)h);
}

/* The options of a comparison being begun: one run_variant row each. */
static legation_status insert_variants(legation_store *st, const legation_run *run,
                                       const legation_store_meta *m, const char *sets) {
  if (!m->nvariants) return LEGATION_OK;
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(st->db, "INSERT INTO run_variant VALUES (?,?,?,?,?,?,?)", -1, &q,
                         NULL) != SQLITE_OK)
    return st_fail_db(st, "cannot store the options");
  for (int v = 1; v <= m->nvariants; v++) {
    const legation_store_variant *x = &m->variants[v - 1];
    const legation_scenario *sc = legation_run_variant_scenario(run, v);
    const char *text = x->scenario_text ? x->scenario_text : "";
    size_t tlen = x->scenario_text ? x->scenario_len : 0;
    char hash[32];
    text_hash(hash, sizeof hash, text, tlen, sets);
    sqlite3_bind_int64(q, 1, st->id);
    sqlite3_bind_int(q, 2, v);
    bind_text(q, 3, legation_scenario_name(sc));
    bind_text(q, 4, legation_scenario_title(sc));
    bind_text(q, 5, x->origin);
    sqlite3_bind_text(q, 6, text, (int)tlen, SQLITE_TRANSIENT);
    bind_text(q, 7, hash);
    if (sqlite3_step(q) != SQLITE_DONE) {
      sqlite3_finalize(q);
      return st_fail_db(st, "cannot store the options");
    }
    sqlite3_reset(q);
  }
  sqlite3_finalize(q);
  return LEGATION_OK;
}

/* Insert the parameters and the output table of the run being begun. */
static legation_status insert_params(legation_store *st, const legation_run *run) {
  sqlite3_stmt *q = NULL;
  const legation_scenario *sc = legation_run_scenario(run);
  if (sqlite3_prepare_v2(st->db, "INSERT INTO run_param VALUES (?,?,?,?,?)", -1, &q, NULL) !=
      SQLITE_OK)
    return st_fail_db(st, "cannot store parameters");
  int np = legation_param_count();
  for (int i = 0; i < np; i++) {
    legation_param p;
    if (legation_param_get(sc, i, &p) != LEGATION_OK) continue;
    sqlite3_bind_int64(q, 1, st->id);
    sqlite3_bind_int(q, 2, i);
    bind_text(q, 3, p.key);
    bind_text(q, 4, p.text);
    if (p.source)
      bind_text(q, 5, p.source);
    else
      sqlite3_bind_null(q, 5);
    if (sqlite3_step(q) != SQLITE_DONE) {
      sqlite3_finalize(q);
      return st_fail_db(st, "cannot store parameters");
    }
    sqlite3_reset(q);
  }
  sqlite3_finalize(q);
  if (sqlite3_prepare_v2(st->db, "INSERT INTO run_output VALUES (?,?,?,?,?)", -1, &q, NULL) !=
      SQLITE_OK)
    return st_fail_db(st, "cannot store output names");
  for (int i = 0; i < legation_output_count(); i++) {
    const legation_output_info *o = legation_output_get(i);
    sqlite3_bind_int64(q, 1, st->id);
    sqlite3_bind_int(q, 2, i);
    bind_text(q, 3, o->name);
    bind_text(q, 4, o->unit);
    bind_text(q, 5, o->kind == LEGATION_OUT_PROB ? "prob" : "real");
    if (sqlite3_step(q) != SQLITE_DONE) {
      sqlite3_finalize(q);
      return st_fail_db(st, "cannot store output names");
    }
    sqlite3_reset(q);
  }
  sqlite3_finalize(q);
  return LEGATION_OK;
}

/* Overrides joined one per line into a malloc'd string; NULL on OOM. */
static char *join_sets(const legation_store_meta *m) {
  size_t n = 1;
  for (int i = 0; i < m->nsets; i++) n += strlen(m->sets[i]) + 1;
  char *s = malloc(n), *p = s;
  if (!s) return NULL;
  for (int i = 0; i < m->nsets; i++) {
    size_t k = strlen(m->sets[i]);
    memcpy(p, m->sets[i], k);
    p += k;
    *p++ = '\n';
  }
  *p = 0;
  return s;
}

legation_status legation_store_begin(legation_store *st, const legation_run *run,
                                     const legation_store_meta *m, int64_t *id) {
  if (!st || !run || !m || !st->db || (m->nsets && !m->sets)) return LEGATION_EINVAL;
  if (st->active) return st_fail(st, LEGATION_EINVAL, "a run is already being recorded");
  st->err[0] = 0;
  int nvar = legation_run_variant_count(run);
  if (m->nvariants != nvar - 1 || (m->nvariants && !m->variants))
    return st_fail(st, LEGATION_EINVAL,
                   "the run compares %d scenarios but %d option%s described", nvar,
                   m->nvariants, m->nvariants == 1 ? " is" : "s are");
  /* overrides are stored one per line as KEY=VALUE: one that holds a
   * newline (or no '=') would read back as something else */
  for (int i = 0; i < m->nsets; i++)
    if (!m->sets[i] || strchr(m->sets[i], '\n') || !strchr(m->sets[i], '='))
      return st_fail(st, LEGATION_EINVAL,
                     "override %d: expected one line KEY=VALUE, found %s", i + 1,
                     !m->sets[i] ? "nothing" : strchr(m->sets[i], '\n') ? "a newline"
                                                                      : "no '='");
  clear_recording(st);
  char *sets = join_sets(m);
  if (!sets) return st_fail(st, LEGATION_ENOMEM, "out of memory");
  const char *text = m->scenario_text ? m->scenario_text : "";
  size_t tlen = m->scenario_text ? m->scenario_len : 0;
  char hash[32], seed[32], when[32], host[256];
  text_hash(hash, sizeof hash, text, tlen, sets);
  snprintf(seed, sizeof seed, "%llu", (unsigned long long)legation_run_seed(run));
  double now = st_wall();
  iso_time(when, sizeof when, now);
  st_hostname(host, sizeof host);
  const legation_scenario *sc = legation_run_scenario(run);

  legation_status s = st_begin(st);
  if (s != LEGATION_OK) {
    free(sets);
    return s;
  }
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(st->db,
                         "INSERT INTO run(status, created, started, updated, pid, host,"
                         " scenario_name, scenario_title, origin, scenario_text, sets, hash,"
                         " seed, reps_requested, months, threads, variants, keep_reps,"
                         " store_events, version)"
                         " VALUES ('running',?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                         -1, &q, NULL) != SQLITE_OK) {
    s = st_fail_db(st, "cannot record the run");
    goto fail;
  }
  bind_text(q, 1, when);
  sqlite3_bind_double(q, 2, now);
  sqlite3_bind_double(q, 3, now);
  sqlite3_bind_int64(q, 4, (int64_t)getpid());
  bind_text(q, 5, host);
  bind_text(q, 6, legation_scenario_name(sc));
  bind_text(q, 7, legation_scenario_title(sc));
  bind_text(q, 8, m->origin);
  sqlite3_bind_text(q, 9, text, (int)tlen, SQLITE_TRANSIENT);
  bind_text(q, 10, sets);
  bind_text(q, 11, hash);
  bind_text(q, 12, seed);
  sqlite3_bind_int64(q, 13, m->reps);
  sqlite3_bind_int(q, 14, legation_run_months(run));
  sqlite3_bind_int(q, 15, m->threads);
  sqlite3_bind_int(q, 16, legation_run_variant_count(run));
  sqlite3_bind_int(q, 17, m->keep_reps != 0);
  sqlite3_bind_int(q, 18, m->store_events != 0);
  bind_text(q, 19, legation_version());
  if (sqlite3_step(q) != SQLITE_DONE) {
    s = st_fail_db(st, "cannot record the run");
    goto fail;
  }
  sqlite3_finalize(q);
  q = NULL;
  st->id = sqlite3_last_insert_rowid(st->db);
  if ((s = insert_params(st, run)) != LEGATION_OK) goto fail;
  if ((s = insert_variants(st, run, m, sets)) != LEGATION_OK) goto fail;
  if ((s = st_save_files(st, st->id, run, m->label)) != LEGATION_OK) goto fail;
  if ((s = st_commit(st)) != LEGATION_OK) goto fail;
  free(sets);
  st->active = 1;
  st->run = run;
  st->keep_reps = m->keep_reps != 0;
  st->store_events = m->store_events != 0;
  st->nout = legation_output_count();
  st->seconds_before = 0;
  st->last_ck = st->t_begin = st_mono();
  if (id) *id = st->id;
  return LEGATION_OK;
fail:
  sqlite3_finalize(q);
  st_rollback(st);
  free(sets);
  return s;
}

/* Write the buffered replications as chunks: consecutive replications of
 * one variant, at most ST_CHUNK_REPS, one row each (a row per replication
 * costs 2.5 times as much for 10^6 of them). */
static legation_status flush_reps(legation_store *st) {
  if (!st->nrep) return LEGATION_OK;
  size_t rowbytes = (size_t)st->nout * 8;
  unsigned char *chunk = malloc(ST_CHUNK_REPS * rowbytes);
  if (!chunk) return st_fail(st, LEGATION_ENOMEM, "out of memory storing replications");
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(st->db, "INSERT INTO rep_output VALUES (?,?,?,?,?)", -1, &q, NULL) !=
      SQLITE_OK) {
    free(chunk);
    return st_fail_db(st, "cannot store replications");
  }
  int maxvar = 0;
  for (size_t i = 0; i < st->nrep; i++)
    if (st->rep_var[i] > maxvar) maxvar = st->rep_var[i];
  legation_status s = LEGATION_OK;
  for (int v = 0; v <= maxvar && s == LEGATION_OK; v++) {
    size_t n = 0;
    int64_t first = 0;
    for (size_t i = 0; i <= st->nrep && s == LEGATION_OK; i++) {
      int take = i < st->nrep && st->rep_var[i] == v;
      if (i < st->nrep && !take) continue;
      /* write the chunk at the end, at a gap, or when it is full */
      if (n && (!take || st->rep_rep[i] != first + (int64_t)n || n == ST_CHUNK_REPS)) {
        sqlite3_bind_int64(q, 1, st->id);
        sqlite3_bind_int(q, 2, v);
        sqlite3_bind_int64(q, 3, first);
        sqlite3_bind_int64(q, 4, (int64_t)n);
        sqlite3_bind_blob(q, 5, chunk, (int)(n * rowbytes), SQLITE_STATIC);
        if (sqlite3_step(q) != SQLITE_DONE) s = st_fail_db(st, "cannot store replications");
        sqlite3_reset(q);
        n = 0;
      }
      if (!take) continue;
      if (!n) first = st->rep_rep[i];
      memcpy(chunk + n * rowbytes, st->rep_data + i * rowbytes, rowbytes);
      n++;
    }
  }
  sqlite3_finalize(q);
  free(chunk);
  if (s == LEGATION_OK) st->nrep = 0;
  return s;
}

legation_status st_flush_rows(legation_store *st) {
  sqlite3_stmt *q = NULL;
  legation_status s = flush_reps(st);
  if (s == LEGATION_OK) s = st_flush_points(st);
  if (s != LEGATION_OK) return s;
  if (st->nev) {
    if (sqlite3_prepare_v2(st->db, "INSERT INTO event VALUES (?,?,?,?,?,?,?,?,?,?)", -1, &q,
                           NULL) != SQLITE_OK)
      return st_fail_db(st, "cannot store events");
    for (size_t i = 0; i < st->nev; i++) {
      const legation_event *e = &st->ev[i].ev;
      sqlite3_bind_int64(q, 1, st->id);
      sqlite3_bind_int64(q, 2, e->rep);
      sqlite3_bind_int(q, 3, e->month);
      sqlite3_bind_text(q, 4, e->actor ? e->actor : "", -1, SQLITE_STATIC);
      sqlite3_bind_text(q, 5, e->target ? e->target : "", -1, SQLITE_STATIC);
      sqlite3_bind_text(q, 6, e->action ? e->action : "", -1, SQLITE_STATIC);
      sqlite3_bind_int(q, 7, e->persons);
      sqlite3_bind_int(q, 8, e->officers);
      sqlite3_bind_text(q, 9, e->reason ? e->reason : "", -1, SQLITE_STATIC);
      sqlite3_bind_int(q, 10, e->chain);
      if (sqlite3_step(q) != SQLITE_DONE) {
        sqlite3_finalize(q);
        return st_fail_db(st, "cannot store events");
      }
      sqlite3_reset(q);
    }
    sqlite3_finalize(q);
    st->nev = 0;
  }
  return LEGATION_OK;
}

/* Write the buffers in a transaction of their own (the buffers are full,
 * between checkpoints).  Rows past the next checkpoint are harmless: a
 * resume deletes rows beyond the checkpoint it restores. */
static int flush_alone(legation_store *st) {
  legation_status s = st_begin(st);
  if (s == LEGATION_OK && (s = st_flush_rows(st)) == LEGATION_OK) s = st_commit(st);
  if (s != LEGATION_OK) {
    st_rollback(st);
    st->write_failed = 1;
    st->write_status = s;
    return 1;
  }
  return 0;
}

int legation_store_rep_sink(void *user, int64_t rep, int variant, const double *outputs,
                            int count) {
  legation_store *st = user;
  if (!st || !st->active || st->write_failed) return 1;
  if (count != st->nout) {
    st_fail(st, LEGATION_EINVAL, "replication %lld has %d outputs, expected %d", (long long)rep,
            count, st->nout);
    st->write_failed = 1;
    st->write_status = LEGATION_EINVAL;
    return 1;
  }
  if (st->nrep == st->caprep) {
    /* three arrays of one capacity, raised only when all three grew */
    size_t n = st->caprep ? 2 * st->caprep : 1024;
    int64_t *a = realloc(st->rep_rep, n * sizeof *a);
    if (a) st->rep_rep = a;
    int *b = a ? realloc(st->rep_var, n * sizeof *b) : NULL;
    if (b) st->rep_var = b;
    unsigned char *c = b ? realloc(st->rep_data, n * (size_t)st->nout * 8) : NULL;
    if (!c) {
      st_fail(st, LEGATION_ENOMEM, "out of memory buffering replications");
      st->write_failed = 1;
      st->write_status = LEGATION_ENOMEM;
      return 1;
    }
    st->rep_data = c;
    st->caprep = n;
  }
  st->rep_rep[st->nrep] = rep;
  st->rep_var[st->nrep] = variant;
  unsigned char *p = st->rep_data + st->nrep * (size_t)st->nout * 8;
  for (int i = 0; i < count; i++) st_put_le(p + 8 * i, outputs[i]);
  st->nrep++;
  if (st->nrep >= ST_BATCH_ROWS) return flush_alone(st);
  return 0;
}

int legation_store_event_sink(void *user, const legation_event *ev) {
  legation_store *st = user;
  if (!st || !st->active || st->write_failed || !ev) return 1;
  if (st->nev == st->capev) {
    size_t n = st->capev ? 2 * st->capev : 1024;
    st_event *e = realloc(st->ev, n * sizeof *e);
    if (!e) {
      st_fail(st, LEGATION_ENOMEM, "out of memory buffering events");
      st->write_failed = 1;
      st->write_status = LEGATION_ENOMEM;
      return 1;
    }
    st->ev = e;
    st->capev = n;
  }
  st->ev[st->nev++].ev = *ev;
  if (st->nev >= ST_BATCH_ROWS) return flush_alone(st);
  return 0;
}

/* Save buffered rows, a checkpoint of run and the replications done, in
 * the open transaction. */
static legation_status save_checkpoint(legation_store *st, const legation_run *run) {
  legation_status s = st_flush_rows(st);
  if (s != LEGATION_OK) return s;
  void *buf = NULL;
  size_t len = 0;
  legation_status ck = legation_run_checkpoint(run, &buf, &len);
  if (ck == LEGATION_OK) {
    size_t elen;
    unsigned char *enc = st_ck_encode(buf, len, &elen);
    legation_free(buf);
    buf = enc;
    len = elen;
    if (!enc) ck = LEGATION_ENOMEM;
  }
  if (ck == LEGATION_ENOMEM) return st_fail(st, LEGATION_ENOMEM, "out of memory for a checkpoint");
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(st->db,
                         "UPDATE run SET checkpoint=?, checkpoint_reps=?, reps_done=?,"
                         " updated=?, seconds=? WHERE id=?",
                         -1, &q, NULL) != SQLITE_OK) {
    free(buf);
    return st_fail_db(st, "cannot save a checkpoint");
  }
  int64_t done = legation_run_reps_done(run);
  if (ck == LEGATION_OK) {
    sqlite3_bind_blob64(q, 1, buf, (sqlite3_uint64)len, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, done);
  }
  sqlite3_bind_int64(q, 3, done);
  sqlite3_bind_double(q, 4, st_wall());
  /* while running the run's own clock is not set yet; finish overwrites */
  sqlite3_bind_double(q, 5, st->seconds_before + (st_mono() - st->t_begin));
  sqlite3_bind_int64(q, 6, st->id);
  int rc = sqlite3_step(q);
  sqlite3_finalize(q);
  free(buf);
  if (rc != SQLITE_DONE) return st_fail_db(st, "cannot save a checkpoint");
  return LEGATION_OK;
}

legation_status legation_store_progress(legation_store *st, const legation_run *run, int force) {
  if (!st || !run) return LEGATION_EINVAL;
  if (!st->active) return LEGATION_OK;
  /* a failed batch stopped the run; legation_store_finish reports it */
  if (st->write_failed) return LEGATION_OK;
  double now = st_mono();
  if (!force && now - st->last_ck < st->interval) return LEGATION_OK;
  legation_status s = st_begin(st);
  if (s == LEGATION_OK && (s = save_checkpoint(st, run)) == LEGATION_OK) s = st_commit(st);
  if (s != LEGATION_OK) {
    st_rollback(st);
    return s;
  }
  st->last_ck = st_mono(); /* after the write: a slow disk widens the gap */
  return LEGATION_OK;
}

/* Bind the 11 numbers of a legation_stat from column `col` on (NULL for
 * NaN). */
static void bind_stat(sqlite3_stmt *q, int col, const legation_stat *x) {
  const double d[] = {x->mean, x->sd, x->lo, x->hi, x->min, x->max,
                      x->q05, x->q25, x->q50, x->q75, x->q95};
  for (int k = 0; k < 11; k++)
    if (isnan(d[k]))
      sqlite3_bind_null(q, col + k);
    else
      sqlite3_bind_double(q, col + k, d[k]);
}

static void bind_real(sqlite3_stmt *q, int col, double x) {
  if (isnan(x))
    sqlite3_bind_null(q, col);
  else
    sqlite3_bind_double(q, col, x);
}

/* Paired differences of every output of every option (variants >= 1). */
static legation_status save_diffs(legation_store *st, const legation_run *run) {
  int nv = legation_run_variant_count(run);
  if (nv < 2) return LEGATION_OK;
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(st->db,
                         "INSERT INTO summary_diff VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                         -1, &q, NULL) != SQLITE_OK)
    return st_fail_db(st, "cannot store paired differences");
  for (int v = 1; v < nv; v++)
    for (int i = 0; i < legation_output_count(); i++) {
      legation_diff d;
      if (legation_run_diff(run, v, i, &d) != LEGATION_OK) continue;
      sqlite3_bind_int64(q, 1, st->id);
      sqlite3_bind_int(q, 2, v);
      sqlite3_bind_int(q, 3, i);
      bind_text(q, 4, legation_output_get(i)->name);
      sqlite3_bind_int64(q, 5, d.paired.n);
      bind_stat(q, 6, &d.paired);
      bind_real(q, 17, d.indep_lo);
      bind_real(q, 18, d.indep_hi);
      bind_real(q, 19, d.narrowing);
      if (sqlite3_step(q) != SQLITE_DONE) {
        sqlite3_finalize(q);
        return st_fail_db(st, "cannot store paired differences");
      }
      sqlite3_reset(q);
    }
  sqlite3_finalize(q);
  return LEGATION_OK;
}

/* Summaries of every output and bands of every series, every variant, and
 * the paired differences of a comparison. */
static legation_status save_summaries(legation_store *st, const legation_run *run) {
  char sql[192];
  snprintf(sql, sizeof sql, "DELETE FROM summary WHERE run_id=%lld;"
                            "DELETE FROM series_band WHERE run_id=%lld;"
                            "DELETE FROM summary_diff WHERE run_id=%lld",
           (long long)st->id, (long long)st->id, (long long)st->id);
  legation_status s = st_exec(st, sql, "cannot store summaries");
  if (s != LEGATION_OK) return s;
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(st->db, "INSERT INTO summary VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                         -1, &q, NULL) != SQLITE_OK)
    return st_fail_db(st, "cannot store summaries");
  int nv = legation_run_variant_count(run);
  for (int v = 0; v < nv; v++)
    for (int i = 0; i < legation_output_count(); i++) {
      legation_stat x;
      if (legation_run_variant_stat(run, v, i, &x) != LEGATION_OK) continue;
      sqlite3_bind_int64(q, 1, st->id);
      sqlite3_bind_int(q, 2, v);
      sqlite3_bind_int(q, 3, i);
      bind_text(q, 4, legation_output_get(i)->name);
      sqlite3_bind_int64(q, 5, x.n);
      bind_stat(q, 6, &x);
      if (sqlite3_step(q) != SQLITE_DONE) {
        sqlite3_finalize(q);
        return st_fail_db(st, "cannot store summaries");
      }
      sqlite3_reset(q);
    }
  sqlite3_finalize(q);
  if (sqlite3_prepare_v2(st->db, "INSERT INTO series_band VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", -1,
                         &q, NULL) != SQLITE_OK)
    return st_fail_db(st, "cannot store series");
  int months = legation_run_months(run);
  for (int v = 0; v < nv; v++)
    for (int i = 0; i < legation_series_count(); i++)
      for (int mo = 1; mo <= months; mo++) {
        legation_stat x;
        if (legation_run_variant_series_stat(run, v, i, mo, &x) != LEGATION_OK) continue;
        const double d[] = {x.mean, x.q05, x.q25, x.q50, x.q75, x.q95};
        sqlite3_bind_int64(q, 1, st->id);
        sqlite3_bind_int(q, 2, v);
        sqlite3_bind_int(q, 3, i);
        bind_text(q, 4, legation_series_get(i)->name);
        sqlite3_bind_int(q, 5, mo);
        sqlite3_bind_int64(q, 6, x.n);
        for (int k = 0; k < 6; k++)
          if (isnan(d[k]) || x.n == 0)
            sqlite3_bind_null(q, 7 + k);
          else
            sqlite3_bind_double(q, 7 + k, d[k]);
        if (sqlite3_step(q) != SQLITE_DONE) {
          sqlite3_finalize(q);
          return st_fail_db(st, "cannot store series");
        }
        sqlite3_reset(q);
      }
  sqlite3_finalize(q);
  return save_diffs(st, run);
}

/* The end of a recording whose replications or events could not all be
 * written (a full disk): the rows after the last checkpoint are not all
 * there, so the run stays resumable from that checkpoint: "incomplete",
 * its replications done those of the checkpoint, the cause in error.  If
 * even that cannot be written the row stays "running" with this process's
 * id, which reads as incomplete once the process is gone.  Returns the
 * failure's status with its message ("database or disk is full"). */
static legation_status finish_unwritten(legation_store *st) {
  legation_status status = st->write_status ? st->write_status : LEGATION_EIO;
  char saved[sizeof st->err];
  memcpy(saved, st->err, sizeof saved);
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(st->db,
                         "UPDATE run SET status='incomplete', updated=?, error=?,"
                         " reps_done=coalesce(checkpoint_reps, 0) WHERE id=?",
                         -1, &q, NULL) == SQLITE_OK) {
    char error[600];
    /* the message without the "PATH: " prefix */
    size_t plen = st->path ? strlen(st->path) : 0;
    const char *m = strncmp(saved, st->path ? st->path : "", plen) == 0 &&
                            strncmp(saved + plen, ": ", 2) == 0
                        ? saved + plen + 2
                        : saved;
    snprintf(error, sizeof error, "stopped: %.500s", m);
    sqlite3_bind_double(q, 1, st_wall());
    bind_text(q, 2, error);
    sqlite3_bind_int64(q, 3, st->id);
    (void)sqlite3_step(q); /* may fail too on a full disk: see above */
  }
  sqlite3_finalize(q);
  memcpy(st->err, saved, sizeof st->err);
  clear_recording(st);
  return status;
}

legation_status legation_store_finish(legation_store *st, const legation_run *run,
                                      legation_status run_status) {
  if (!st || !run) return LEGATION_EINVAL;
  if (!st->active) return st_fail(st, LEGATION_EINVAL, "no run is being recorded");
  if (st->write_failed) return finish_unwritten(st);
  const char *status = run_status == LEGATION_OK      ? "complete"
                       : run_status == LEGATION_EINTR ? "incomplete"
                                                      : "failed";
  char error[600] = "";
  if (strcmp(status, "failed") == 0) {
    snprintf(error, sizeof error, "%s", legation_run_errmsg(run));
  }
  legation_status s = st_begin(st);
  if (s != LEGATION_OK) goto out;
  if ((s = save_checkpoint(st, run)) != LEGATION_OK) goto out;
  if ((s = save_summaries(st, run)) != LEGATION_OK) goto out;
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(st->db,
                         "UPDATE run SET status=?, ended=?, updated=?, error=?, reps_done=?,"
                         " seconds=? WHERE id=?",
                         -1, &q, NULL) != SQLITE_OK) {
    s = st_fail_db(st, "cannot finish the run");
    goto out;
  }
  double now = st_wall();
  bind_text(q, 1, status);
  sqlite3_bind_double(q, 2, now);
  sqlite3_bind_double(q, 3, now);
  bind_text(q, 4, error);
  sqlite3_bind_int64(q, 5, legation_run_reps_done(run));
  sqlite3_bind_double(q, 6, st->seconds_before + legation_run_seconds(run));
  sqlite3_bind_int64(q, 7, st->id);
  int rc = sqlite3_step(q);
  sqlite3_finalize(q);
  if (rc != SQLITE_DONE) {
    s = st_fail_db(st, "cannot finish the run");
    goto out;
  }
  s = st_commit(st);
out:
  if (s != LEGATION_OK) st_rollback(st);
  clear_recording(st);
  return s;
}

/* ------------------------------------------------------------ points */

int legation_store_world_sink(void *user, const legation_world_result *w) {
  legation_store *st = user;
  if (!st || !st->active || st->write_failed || !w) return 1;
  if (st->npt + (size_t)w->count > st->cappt) {
    size_t n = st->cappt ? 2 * st->cappt : 4096;
    while (n < st->npt + (size_t)w->count) n *= 2;
    st_point *p = realloc(st->pt, n * sizeof *p);
    if (!p) {
      st_fail(st, LEGATION_ENOMEM, "out of memory buffering points");
      st->write_failed = 1;
      return 1;
    }
    st->pt = p;
    st->cappt = n;
  }
  for (int i = 0; i < w->count; i++) {
    const legation_stat *o = &w->stats[i];
    st->pt[st->npt++] = (st_point){w->world, w->variant, w->diff, i, o->n, o->mean, o->sd, o->lo, o->hi};
  }
  if (st->npt >= ST_BATCH_ROWS) return flush_alone(st);
  return 0;
}


legation_status st_flush_points(legation_store *st) {
  if (!st->npt) return LEGATION_OK;
  sqlite3_stmt *q = NULL, *pq = NULL;
  if (sqlite3_prepare_v2(st->db, "INSERT OR REPLACE INTO point_output(run_id, point, variant, diff, position, n,"
                         " mean, sd, lo, hi) VALUES (?,?,?,?,?,?,?,?,?,?)",
                         -1, &q, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(st->db, "INSERT OR REPLACE INTO point_param VALUES (?,?,?,?,?)", -1, &pq,
                         NULL) != SQLITE_OK) {
    sqlite3_finalize(q);
    return st_fail_db(st, "cannot store points");
  }
  legation_status s = LEGATION_OK;
  int nk = st->run ? legation_run_vary_count(st->run) : 0;
  int64_t rpw = st->run ? legation_run_reps_per_world(st->run) : 1;
  for (size_t i = 0; i < st->npt && s == LEGATION_OK; i++) {
    const st_point *p = &st->pt[i];
    sqlite3_bind_int64(q, 1, st->id);
    sqlite3_bind_int64(q, 2, p->point);
    sqlite3_bind_int(q, 3, p->variant);
    sqlite3_bind_int(q, 4, p->diff);
    sqlite3_bind_int(q, 5, p->pos);
    sqlite3_bind_int64(q, 6, p->n);
    bind_real(q, 7, p->mean);
    bind_real(q, 8, p->sd);
    bind_real(q, 9, p->lo);
    bind_real(q, 10, p->hi);
    if (sqlite3_step(q) != SQLITE_DONE) s = st_fail_db(st, "cannot store points");
    sqlite3_reset(q);
    /* the point's parameters, once (with its base's first output) */
    if (p->variant == 0 && !p->diff && p->pos == 0)
      for (int k = 0; k < nk && s == LEGATION_OK; k++) {
        const char *key = legation_run_vary_key(st->run, k);
        double x;
        if (legation_run_rep_param(st->run, 0, p->point * rpw, key, &x) != LEGATION_OK) continue;
        sqlite3_bind_int64(pq, 1, st->id);
        sqlite3_bind_int64(pq, 2, p->point);
        sqlite3_bind_int(pq, 3, k);
        sqlite3_bind_text(pq, 4, key, -1, SQLITE_STATIC);
        sqlite3_bind_double(pq, 5, x);
        if (sqlite3_step(pq) != SQLITE_DONE) s = st_fail_db(st, "cannot store points");
        sqlite3_reset(pq);
      }
  }
  sqlite3_finalize(q);
  sqlite3_finalize(pq);
  if (s == LEGATION_OK) st->npt = 0;
  return s;
}

/* ------------------------------------------------ calibrations (ABC-SMC) */

/* A calibration is recorded apart from runs: its row before the first
 * generation, then after each generation (legation_store_calib_save) the
 * generation's row, its particles and the checkpoint in one transaction, so
 * that kill -9 loses at most the generation in progress. */

static int calib_bind_text(sqlite3_stmt *q, int i, const char *s, size_t n) {
  if (!s) return sqlite3_bind_null(q, i);
  return sqlite3_bind_text(q, i, s, (int)n, SQLITE_TRANSIENT);
}

static void calib_bind_real(sqlite3_stmt *q, int i, double x) {
  if (isnan(x)) sqlite3_bind_null(q, i);
  else sqlite3_bind_double(q, i, x);
}

legation_status legation_store_calib_begin(legation_store *st, const legation_abc *abc,
                                           const legation_store_calib_meta *m, int64_t *id) {
  if (!st || !st->db || !abc || !m || !m->scenario || !id) return LEGATION_EINVAL;
  st->err[0] = 0;
  char when[32], host[256], seed[32];
  double now = st_wall();
  iso_time(when, sizeof when, now);
  st_hostname(host, sizeof host);
  snprintf(seed, sizeof seed, "%llu", (unsigned long long)m->seed);
  legation_status s = st_begin(st);
  if (s != LEGATION_OK) return s;
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(st->db,
                         "INSERT INTO calibration(status, created, started, updated, pid, host,"
                         " scenario, scenario_text, targets_origin, targets_text, params, seed,"
                         " particles, generations, threads, min_tolerance, min_acceptance,"
                         " version)"
                         " VALUES ('running',?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                         -1, &q, NULL) != SQLITE_OK)
    goto db_fail;
  calib_bind_text(q, 1, when, strlen(when));
  sqlite3_bind_double(q, 2, now);
  sqlite3_bind_double(q, 3, now);
  sqlite3_bind_int64(q, 4, (int64_t)getpid());
  calib_bind_text(q, 5, host, strlen(host));
  calib_bind_text(q, 6, m->scenario, strlen(m->scenario));
  calib_bind_text(q, 7, m->scenario_text, m->scenario_len);
  calib_bind_text(q, 8, m->targets_origin, m->targets_origin ? strlen(m->targets_origin) : 0);
  calib_bind_text(q, 9, m->targets_text, m->targets_len);
  calib_bind_text(q, 10, m->params ? m->params : "", m->params ? strlen(m->params) : 0);
  calib_bind_text(q, 11, seed, strlen(seed));
  sqlite3_bind_int64(q, 12, legation_abc_particles(abc));
  sqlite3_bind_int(q, 13, m->generations);
  sqlite3_bind_int(q, 14, m->threads);
  calib_bind_real(q, 15, m->min_tolerance);
  calib_bind_real(q, 16, m->min_acceptance);
  calib_bind_text(q, 17, LEGATION_VERSION, strlen(LEGATION_VERSION));
  if (sqlite3_step(q) != SQLITE_DONE) goto db_fail;
  sqlite3_finalize(q);
  q = NULL;
  *id = sqlite3_last_insert_rowid(st->db);
  if (sqlite3_prepare_v2(st->db,
                         "INSERT INTO calibration_param VALUES (?,?,?,?,?,?,?,?)", -1, &q,
                         NULL) != SQLITE_OK)
    goto db_fail;
  for (int i = 0; i < legation_abc_param_count(abc); i++) {
    legation_abc_param p;
    legation_abc_param_get(abc, i, &p);
    sqlite3_bind_int64(q, 1, *id);
    sqlite3_bind_int(q, 2, i);
    calib_bind_text(q, 3, p.key, strlen(p.key));
    calib_bind_text(q, 4, p.dist, strlen(p.dist));
    sqlite3_bind_double(q, 5, p.lo);
    sqlite3_bind_double(q, 6, p.hi);
    calib_bind_real(q, 7, p.mode);
    calib_bind_real(q, 8, p.sd);
    if (sqlite3_step(q) != SQLITE_DONE) goto db_fail;
    sqlite3_reset(q);
  }
  sqlite3_finalize(q);
  if (sqlite3_prepare_v2(st->db, "INSERT INTO calibration_target VALUES (?,?,?,?,?,NULL)", -1,
                         &q, NULL) != SQLITE_OK)
    goto db_fail;
  for (int i = 0; i < legation_abc_target_count(abc); i++) {
    const char *name;
    double v, sd;
    legation_abc_target_get(abc, i, &name, &v, &sd, NULL);
    sqlite3_bind_int64(q, 1, *id);
    sqlite3_bind_int(q, 2, i);
    calib_bind_text(q, 3, name, strlen(name));
    sqlite3_bind_double(q, 4, v);
    calib_bind_real(q, 5, sd);
    if (sqlite3_step(q) != SQLITE_DONE) goto db_fail;
    sqlite3_reset(q);
  }
  sqlite3_finalize(q);
  return st_commit(st);
db_fail:
  s = st_fail_db(st, "cannot record the calibration");
  sqlite3_finalize(q);
  st_rollback(st);
  return s;
}

legation_status legation_store_calib_save(legation_store *st, int64_t id,
                                          const legation_abc *abc) {
  if (!st || !st->db || !abc) return LEGATION_EINVAL;
  st->err[0] = 0;
  void *ck = NULL;
  size_t cklen = 0;
  legation_status s = legation_abc_checkpoint(abc, &ck, &cklen);
  if (s != LEGATION_OK) return st_fail(st, s, "cannot save the calibration: out of memory");
  if ((s = st_begin(st)) != LEGATION_OK) {
    free(ck);
    return s;
  }
  sqlite3_stmt *q = NULL;
  int gdone = legation_abc_generations_done(abc), stored = -1;
  if (sqlite3_prepare_v2(st->db, "SELECT generations_done FROM calibration WHERE id=?", -1, &q,
                         NULL) != SQLITE_OK)
    goto db_fail;
  sqlite3_bind_int64(q, 1, id);
  if (sqlite3_step(q) == SQLITE_ROW) stored = sqlite3_column_int(q, 0);
  sqlite3_finalize(q);
  q = NULL;
  if (stored < 0) {
    st_rollback(st);
    free(ck);
    return st_fail(st, LEGATION_ENOTFOUND, "no calibration %lld", (long long)id);
  }
  /* generation rows not yet stored; the particles of the newest */
  if (sqlite3_prepare_v2(st->db,
                         "INSERT OR REPLACE INTO calibration_generation VALUES (?,?,?,?,?,?,?)",
                         -1, &q, NULL) != SQLITE_OK)
    goto db_fail;
  for (int g = stored; g < gdone; g++) {
    legation_abc_generation h;
    legation_abc_generation_get(abc, g, &h);
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_int(q, 2, g);
    calib_bind_real(q, 3, isfinite(h.tolerance) ? h.tolerance : NAN);
    sqlite3_bind_int64(q, 4, h.simulations);
    sqlite3_bind_double(q, 5, h.acceptance);
    sqlite3_bind_double(q, 6, h.ess);
    sqlite3_bind_double(q, 7, h.seconds);
    if (sqlite3_step(q) != SQLITE_DONE) goto db_fail;
    sqlite3_reset(q);
  }
  sqlite3_finalize(q);
  q = NULL;
  if (gdone > stored && gdone > 0) {
    sqlite3_stmt *v = NULL;
    if (sqlite3_prepare_v2(st->db, "INSERT OR REPLACE INTO posterior VALUES (?,?,?,?,?)", -1,
                           &q, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(st->db, "INSERT OR REPLACE INTO posterior_value VALUES (?,?,?,?,?)",
                           -1, &v, NULL) != SQLITE_OK) {
      sqlite3_finalize(v);
      goto db_fail;
    }
    int np = legation_abc_param_count(abc);
    for (int64_t i = 0; i < legation_abc_particles(abc); i++) {
      const double *th;
      double w, d;
      legation_abc_particle(abc, i, &th, &w, &d, NULL);
      sqlite3_bind_int64(q, 1, id);
      sqlite3_bind_int(q, 2, gdone - 1);
      sqlite3_bind_int64(q, 3, i);
      sqlite3_bind_double(q, 4, w);
      sqlite3_bind_double(q, 5, d);
      int ok = sqlite3_step(q) == SQLITE_DONE;
      sqlite3_reset(q);
      for (int k = 0; ok && k < np; k++) {
        sqlite3_bind_int64(v, 1, id);
        sqlite3_bind_int(v, 2, gdone - 1);
        sqlite3_bind_int64(v, 3, i);
        sqlite3_bind_int(v, 4, k);
        sqlite3_bind_double(v, 5, th[k]);
        ok = sqlite3_step(v) == SQLITE_DONE;
        sqlite3_reset(v);
      }
      if (!ok) {
        sqlite3_finalize(v);
        goto db_fail;
      }
    }
    sqlite3_finalize(v);
    sqlite3_finalize(q);
    q = NULL;
  }
  if (sqlite3_prepare_v2(st->db, "UPDATE calibration_target SET scale=? WHERE "
                                 "calibration_id=? AND position=?",
                         -1, &q, NULL) != SQLITE_OK)
    goto db_fail;
  for (int t = 0; t < legation_abc_target_count(abc); t++) {
    double scale;
    legation_abc_target_get(abc, t, NULL, NULL, NULL, &scale);
    calib_bind_real(q, 1, scale);
    sqlite3_bind_int64(q, 2, id);
    sqlite3_bind_int(q, 3, t);
    if (sqlite3_step(q) != SQLITE_DONE) goto db_fail;
    sqlite3_reset(q);
  }
  sqlite3_finalize(q);
  const char *why = legation_abc_done(abc);
  double secs = 0;
  for (int g = 0; g < gdone; g++) {
    legation_abc_generation h;
    legation_abc_generation_get(abc, g, &h);
    secs += h.seconds;
  }
  if (sqlite3_prepare_v2(st->db,
                         "UPDATE calibration SET generations_done=?, checkpoint=?, updated=?,"
                         " stopped=?, seconds=? WHERE id=?",
                         -1, &q, NULL) != SQLITE_OK)
    goto db_fail;
  sqlite3_bind_int(q, 1, gdone);
  sqlite3_bind_blob(q, 2, ck, (int)cklen, SQLITE_TRANSIENT);
  sqlite3_bind_double(q, 3, st_wall());
  calib_bind_text(q, 4, why ? why : "", why ? strlen(why) : 0);
  sqlite3_bind_double(q, 5, secs);
  sqlite3_bind_int64(q, 6, id);
  if (sqlite3_step(q) != SQLITE_DONE) goto db_fail;
  sqlite3_finalize(q);
  free(ck);
  return st_commit(st);
db_fail:
  s = st_fail_db(st, "cannot save the calibration");
  sqlite3_finalize(q);
  st_rollback(st);
  free(ck);
  return s;
}

legation_status legation_store_calib_finish(legation_store *st, int64_t id,
                                            legation_status status, const char *error) {
  if (!st || !st->db) return LEGATION_EINVAL;
  st->err[0] = 0;
  const char *what = status == LEGATION_OK     ? "complete"
                     : status == LEGATION_EINTR ? "incomplete"
                                                : "failed";
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(st->db,
                         "UPDATE calibration SET status=?, ended=?, updated=?, error=? WHERE id=?",
                         -1, &q, NULL) != SQLITE_OK)
    return st_fail_db(st, "cannot finish the calibration");
  double now = st_wall();
  calib_bind_text(q, 1, what, strlen(what));
  sqlite3_bind_double(q, 2, now);
  sqlite3_bind_double(q, 3, now);
  const char *e = status == LEGATION_OK || status == LEGATION_EINTR || !error ? "" : error;
  calib_bind_text(q, 4, e, strlen(e));
  sqlite3_bind_int64(q, 5, id);
  legation_status s = LEGATION_OK;
  if (sqlite3_step(q) != SQLITE_DONE) s = st_fail_db(st, "cannot finish the calibration");
  sqlite3_finalize(q);
  return s;
}

legation_status legation_store_calib_get(legation_store *st, int64_t id,
                                         legation_store_calib *out) {
  if (!st || !st->db || !out) return LEGATION_EINVAL;
  st->err[0] = 0;
  memset(out, 0, sizeof *out);
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(st->db,
                         "SELECT status, created, scenario, scenario_text, targets_origin,"
                         " targets_text, params, seed, particles, generations, threads,"
                         " min_tolerance, version, error, generations_done, stopped, checkpoint,"
                         " pid, host, updated, seconds, min_acceptance FROM calibration"
                         " WHERE id=?",
                         -1, &q, NULL) != SQLITE_OK)
    return st_fail_db(st, "cannot read calibrations");
  sqlite3_bind_int64(q, 1, id);
  int rc = sqlite3_step(q);
  if (rc != SQLITE_ROW) {
    legation_status s = rc == SQLITE_DONE
                            ? st_fail(st, LEGATION_ENOTFOUND, "no calibration %lld",
                                      (long long)id)
                            : st_fail_db(st, "cannot read calibrations");
    sqlite3_finalize(q);
    return s;
  }
  /* every text and the checkpoint copied into the arena */
  static const int cols[] = {0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 15, 16};
  size_t n = 0, len[12];
  for (int i = 0; i < 12; i++) {
    len[i] = (size_t)sqlite3_column_bytes(q, cols[i]);
    n += len[i] + 1;
  }
  char *a = malloc(n), *p = a;
  if (!a) {
    sqlite3_finalize(q);
    return st_fail(st, LEGATION_ENOMEM, "out of memory");
  }
  const char *f[12];
  for (int i = 0; i < 12; i++) {
    const void *src = cols[i] == 16 ? sqlite3_column_blob(q, 16)
                                    : (const void *)sqlite3_column_text(q, cols[i]);
    f[i] = sqlite3_column_type(q, cols[i]) == SQLITE_NULL ? NULL : p;
    if (len[i]) memcpy(p, src, len[i]);
    p[len[i]] = 0;
    p += len[i] + 1;
  }
  out->id = id;
  out->status = f[0];
  out->created = f[1];
  out->scenario = f[2];
  out->scenario_text = f[3];
  out->scenario_len = f[3] ? len[3] : 0;
  out->targets_origin = f[4];
  out->targets_text = f[5];
  out->targets_len = f[5] ? len[5] : 0;
  out->params = f[6];
  unsigned long long seed = strtoull(f[7] ? f[7] : "0", NULL, 10);
  out->seed = (uint64_t)seed;
  out->particles = sqlite3_column_int64(q, 8);
  out->generations = sqlite3_column_int(q, 9);
  out->threads = sqlite3_column_int(q, 10);
  out->min_tolerance =
      sqlite3_column_type(q, 11) == SQLITE_NULL ? NAN : sqlite3_column_double(q, 11);
  out->version = f[8];
  out->error = f[9];
  out->generations_done = sqlite3_column_int(q, 14);
  out->stopped = f[10];
  out->checkpoint = f[11];
  out->checkpoint_len = f[11] ? len[11] : 0;
  out->seconds = sqlite3_column_double(q, 20);
  out->min_acceptance =
      sqlite3_column_type(q, 21) == SQLITE_NULL ? NAN : sqlite3_column_double(q, 21);
  if (strcmp(out->status, "running") == 0) {
    const char *host = (const char *)sqlite3_column_text(q, 18);
    out->stale = st_is_stale(sqlite3_column_int64(q, 17), host, sqlite3_column_double(q, 19));
    if (out->stale) out->status = "incomplete";
  }
  sqlite3_finalize(q);
  free(st->arena);
  st->arena = a;
  return LEGATION_OK;
}

legation_status legation_store_calib_resume(legation_store *st, int64_t id) {
  legation_store_calib c;
  legation_status s = legation_store_calib_get(st, id, &c);
  if (s != LEGATION_OK) return s;
  if (strcmp(c.status, "complete") == 0)
    return st_fail(st, LEGATION_EINVAL,
                   "calibration %lld is complete; there is nothing to resume", (long long)id);
  if (strcmp(c.status, "running") == 0)
    return st_fail(st, LEGATION_EINVAL,
                   "calibration %lld is still running in another process; stop it first",
                   (long long)id);
  char host[256];
  st_hostname(host, sizeof host);
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(st->db,
                         "UPDATE calibration SET status='running', ended=NULL, error='', pid=?,"
                         " host=?, updated=? WHERE id=?",
                         -1, &q, NULL) != SQLITE_OK)
    return st_fail_db(st, "cannot resume the calibration");
  sqlite3_bind_int64(q, 1, (int64_t)getpid());
  sqlite3_bind_text(q, 2, host, -1, SQLITE_TRANSIENT);
  sqlite3_bind_double(q, 3, st_wall());
  sqlite3_bind_int64(q, 4, id);
  s = sqlite3_step(q) == SQLITE_DONE ? LEGATION_OK
                                     : st_fail_db(st, "cannot resume the calibration");
  sqlite3_finalize(q);
  return s;
}

legation_status legation_store_calib_touch(legation_store *st, int64_t id) {
  if (!st || !st->db) return LEGATION_EINVAL;
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(st->db, "UPDATE calibration SET updated=? WHERE id=?", -1, &q, NULL) !=
      SQLITE_OK)
    return st_fail_db(st, "cannot update the calibration");
  sqlite3_bind_double(q, 1, st_wall());
  sqlite3_bind_int64(q, 2, id);
  legation_status s = sqlite3_step(q) == SQLITE_DONE
                          ? LEGATION_OK
                          : st_fail_db(st, "cannot update the calibration");
  sqlite3_finalize(q);
  return s;
}

legation_status legation_store_calib_list(legation_store *st, legation_store_calib_fn fn,
                                          void *user) {
  if (!st || !st->db || !fn) return LEGATION_EINVAL;
  st->err[0] = 0;
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(st->db, "SELECT id FROM calibration ORDER BY id DESC", -1, &q, NULL) !=
      SQLITE_OK)
    return st_fail_db(st, "cannot list calibrations");
  /* ids first, then each row by legation_store_calib_get (which reuses the
   * arena), so that fn may not see a statement in progress */
  int64_t *ids = NULL;
  size_t n = 0, cap = 0;
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    if (n == cap) {
      cap = cap ? 2 * cap : 64;
      int64_t *ni = realloc(ids, cap * sizeof *ni);
      if (!ni) {
        free(ids);
        sqlite3_finalize(q);
        return st_fail(st, LEGATION_ENOMEM, "out of memory");
      }
      ids = ni;
    }
    ids[n++] = sqlite3_column_int64(q, 0);
  }
  sqlite3_finalize(q);
  legation_status s = rc == SQLITE_DONE ? LEGATION_OK : st_fail_db(st, "cannot list calibrations");
  for (size_t i = 0; i < n && s == LEGATION_OK; i++) {
    legation_store_calib c;
    s = legation_store_calib_get(st, ids[i], &c);
    if (s == LEGATION_OK && fn(user, &c)) s = LEGATION_EINTR;
  }
  free(ids);
  return s;
}

/* ------------------------------------------- a posterior as parameter sets */

legation_status legation_store_calib_posterior(legation_store *st, int64_t id, int *nparams,
                                               char ***keys, int64_t *nparticles,
                                               double **values, double **weights) {
  if (!st || !st->db || !nparams || !keys || !nparticles || !values || !weights)
    return LEGATION_EINVAL;
  *nparams = 0, *keys = NULL, *nparticles = 0, *values = NULL, *weights = NULL;
  sqlite3_stmt *q = NULL;
  legation_status s = LEGATION_OK;
  int64_t gen = -1;
  if (sqlite3_prepare_v2(st->db, "SELECT max(generation) FROM posterior WHERE calibration_id=?",
                         -1, &q, NULL) != SQLITE_OK)
    return st_fail_db(st, "cannot read the posterior");
  sqlite3_bind_int64(q, 1, id);
  if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL)
    gen = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  if (gen < 0)
    return st_fail(st, LEGATION_ENOTFOUND, "calibration %lld: no stored posterior (see 'legation calibrate --list')",
                   (long long)id);
  int np = 0, cap = 0;
  char **k = NULL;
  if (sqlite3_prepare_v2(st->db, "SELECT key FROM calibration_param WHERE calibration_id=? ORDER BY position",
                         -1, &q, NULL) != SQLITE_OK)
    return st_fail_db(st, "cannot read the posterior");
  sqlite3_bind_int64(q, 1, id);
  while (s == LEGATION_OK && sqlite3_step(q) == SQLITE_ROW) {
    if (np == cap) {
      cap = cap ? 2 * cap : 16;
      char **t = realloc(k, (size_t)cap * sizeof *t);
      if (!t) {
        s = st_fail(st, LEGATION_ENOMEM, "out of memory");
        break;
      }
      k = t;
    }
    const char *t = (const char *)sqlite3_column_text(q, 0);
    size_t n = strlen(t ? t : "") + 1;
    if (!(k[np] = malloc(n))) {
      s = st_fail(st, LEGATION_ENOMEM, "out of memory");
      break;
    }
    memcpy(k[np++], t ? t : "", n);
  }
  sqlite3_finalize(q);
  int64_t npart = 0;
  if (s == LEGATION_OK) {
    if (sqlite3_prepare_v2(st->db, "SELECT count(*) FROM posterior WHERE calibration_id=? AND generation=?",
                           -1, &q, NULL) != SQLITE_OK)
      s = st_fail_db(st, "cannot read the posterior");
    else {
      sqlite3_bind_int64(q, 1, id);
      sqlite3_bind_int64(q, 2, gen);
      if (sqlite3_step(q) == SQLITE_ROW) npart = sqlite3_column_int64(q, 0);
      sqlite3_finalize(q);
    }
  }
  double *v = NULL, *w = NULL;
  if (s == LEGATION_OK && (np < 1 || npart < 1))
    s = st_fail(st, LEGATION_ENOTFOUND, "calibration %lld: an empty posterior", (long long)id);
  if (s == LEGATION_OK) {
    v = calloc((size_t)npart * (size_t)np, sizeof *v);
    w = calloc((size_t)npart, sizeof *w);
    if (!v || !w) s = st_fail(st, LEGATION_ENOMEM, "out of memory");
  }
  if (s == LEGATION_OK &&
      sqlite3_prepare_v2(st->db, "SELECT particle, weight FROM posterior WHERE calibration_id=? AND generation=?"
                         " ORDER BY particle", -1, &q, NULL) == SQLITE_OK) {
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_int64(q, 2, gen);
    while (sqlite3_step(q) == SQLITE_ROW) {
      int64_t i = sqlite3_column_int64(q, 0);
      if (i >= 0 && i < npart) w[i] = sqlite3_column_double(q, 1);
    }
    sqlite3_finalize(q);
  }
  if (s == LEGATION_OK &&
      sqlite3_prepare_v2(st->db, "SELECT particle, position, value FROM posterior_value"
                         " WHERE calibration_id=? AND generation=?", -1, &q, NULL) == SQLITE_OK) {
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_int64(q, 2, gen);
    while (sqlite3_step(q) == SQLITE_ROW) {
      int64_t i = sqlite3_column_int64(q, 0);
      int j = sqlite3_column_int(q, 1);
      if (i >= 0 && i < npart && j >= 0 && j < np) v[(size_t)i * np + j] = sqlite3_column_double(q, 2);
    }
    sqlite3_finalize(q);
  }
  if (s != LEGATION_OK) {
    for (int j = 0; j < np; j++) free(k[j]);
    free(k), free(v), free(w);
    return s;
  }
  *nparams = np, *keys = k, *nparticles = npart, *values = v, *weights = w;
  return LEGATION_OK;
}
