/* SPDX-License-Identifier: GPL-3.0-or-later */
/* store.h - the results store's handle and the helpers shared by store.c
 * (open, schema, recording a run) and query.c (listing, export, rebuild and
 * resume), st_ prefix.  Not API: front ends use legation.h. */
#ifndef LG_STORE_H
#define LG_STORE_H

#include <sqlite3.h>
#include <stdint.h>

#include "legation.h"

/* Schema version this build writes; store.c holds the migrations. */
#define ST_SCHEMA_VERSION 7
/* Buffered replications or events before a batch is written on its own. */
#define ST_BATCH_ROWS 65536
/* Replications per row of rep_output. */
#define ST_CHUNK_REPS 1024
/* How long a statement waits for another process's lock. */
#define ST_BUSY_SECONDS 5.0
/* A "running" row not updated for this long is stale even if a process
 * with its pid exists (pid reuse, or a run on another host). */
#define ST_STALE_SECONDS 600.0

/* One buffered event; the strings point into the run being recorded,
 * which outlives the buffer (legation_store_finish comes before the free). */
typedef struct st_event {
  legation_event ev;
} st_event;

struct legation_store {
  sqlite3 *db;
  char *path;          /* as given, for messages */
  char err[1024];      /* last error, "" if none */
  int version;         /* schema version of the file */
  double interval;     /* seconds between checkpoints */

  /* the run being recorded (begin/resume .. finish) */
  int active;
  int64_t id;
  int keep_reps, store_events;
  int nout;            /* doubles per replication */
  int write_failed;    /* a batch could not be written (message in err) */
  legation_status write_status; /* its status (EIO, ENOMEM) */
  double last_ck;      /* monotonic time of the last checkpoint */
  double seconds_before; /* seconds of earlier sessions (resume) */
  double t_begin;      /* monotonic time this session began recording */

  int64_t *rep_rep;    /* buffered replications: index, variant, bytes */
  int *rep_var;
  unsigned char *rep_data; /* nout little-endian doubles per row */
  size_t nrep, caprep;
  st_event *ev;        /* buffered events */
  size_t nev, capev;

  char *arena;         /* strings of the last legation_store_get */

  /* finished points of a sweep (legation_store_world_sink), buffered */
  const legation_run *run; /* the run being recorded (its parameters) */
  struct st_point *pt;
  size_t npt, cappt;
};

/* One buffered point row: output `pos` of variant/diff at point `point`. */
typedef struct st_point {
  int64_t point;
  int variant, diff, pos;
  int64_t n;
  double mean, sd, lo, hi;
} st_point;

/* Write the buffered point rows and their parameter values (store.c). */
legation_status st_flush_points(legation_store *st);
/* files.c: save every file each variant's scenario was read from, and the
 * label (NULL or "" for none), for run id (inside the caller's
 * transaction). */
legation_status st_save_files(legation_store *st, int64_t id, const legation_run *run,
                              const char *label);
/* files.c: load variant v of run id from its stored files into sc; *found
 * is 0 (sc untouched) when the run has none (stored before schema 3).
 * Messages are the scenario's (the caller reports them). */
legation_status st_load_files(legation_store *st, int64_t id, int variant, legation_scenario *sc,
                              int *found);

/* Set the message "PATH: fmt..." and return status. */
legation_status st_fail(legation_store *st, legation_status status, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* st_fail with ": " + the SQLite message appended; status by SQLite code. */
legation_status st_fail_db(legation_store *st, const char *what);
/* Execute SQL without results; a status. */
legation_status st_exec(legation_store *st, const char *sql, const char *what);
/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. */
legation_status st_begin(legation_store *st);
legation_status st_commit(legation_store *st);
void st_rollback(legation_store *st);
/* Clock readings: Unix seconds and monotonic seconds. */
double st_wall(void);
double st_mono(void);
/* Nonzero when a "running" row (pid, host, updated) no longer has a live
 * process: same host and kill(pid, 0) says ESRCH, or not updated for
 * ST_STALE_SECONDS. */
int st_is_stale(int64_t pid, const char *host, double updated);
/* This host's name into buf ("" if unknown). */
void st_hostname(char *buf, size_t n);
/* IEEE-754 doubles as 8 little-endian bytes each, whatever the host. */
void st_put_le(unsigned char *p, double x);
double st_get_le(const unsigned char *p);
/* A checkpoint with its zero runs encoded, and back (store.c); malloc'd,
 * NULL on OOM or (decode) a damaged encoding. */
unsigned char *st_ck_encode(const void *buf, size_t len, size_t *outlen);
unsigned char *st_ck_decode(const void *buf, size_t len, size_t *outlen);
/* Write buffered replications and events (inside a transaction). */
legation_status st_flush_rows(legation_store *st);

#endif
