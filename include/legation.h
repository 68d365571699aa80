/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * legation.h - the one public header of liblegation.
 *
 * Legation simulates two rival states that keep diplomatic missions in each
 * other's capital: staffing under caps, intelligence officers under cover,
 * sources, capacity-limited counterintelligence, expulsions and retaliation,
 * relations and a linked negotiation.  Everything a front end (the CLI, the
 * server, a test) may use is declared here; nothing else is API.
 *
 * Ownership, once per family:
 *   - legation_scenario_new / legation_scenario_free: a scenario handle owns
 *     its parameters, its source text and its error list.
 *   - legation_run_new / legation_run_free: a run copies the scenario it is
 *     given (the scenario may be freed afterwards) and owns its results.
 *   - const char * returned by the library point into the handle they came
 *     from and stay valid until that handle is changed or freed, unless the
 *     comment says "free with legation_free".
 *   - void *user pointers given with callbacks are borrowed, never freed.
 * Errors: every call that can fail returns a legation_status; the last error
 * message, with file:line:col for input errors or month and entity for run
 * errors, stays on the handle (legation_scenario_errmsg, legation_run_errmsg).
 * The library never prints, never exits and never aborts on a recoverable
 * error; out of memory is reported as LEGATION_ENOMEM and leaves the handle
 * usable for freeing.
 * Threads: a handle is used by one thread at a time; distinct handles are
 * independent (the library has no mutable globals).
 */
#ifndef LEGATION_H
#define LEGATION_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(LEGATION_BUILDING) && defined(__GNUC__)
#define LEGATION_API __attribute__((visibility("default")))
#else
#define LEGATION_API
#endif

#define LEGATION_VERSION "0.1.0"

/* ------------------------------------------------------------------ status */

/* X(name, value, message): the single table of status codes. */
#define LEGATION_STATUS_MAP(X)                                                 \
  X(OK, 0, "success")                                                          \
  X(ENOMEM, 1, "out of memory")                                                \
  X(EINVAL, 2, "invalid argument")                                             \
  X(EPARSE, 3, "scenario syntax error")                                        \
  X(ESCHEMA, 4, "scenario does not match the schema")                          \
  X(EIO, 5, "input/output error")                                              \
  X(ENOTFOUND, 6, "not found")                                                 \
  X(ERANGE, 7, "value out of range")                                           \
  X(ERUNTIME, 8, "model error during a run")                                   \
  X(EINTR, 9, "interrupted")                                                   \
  X(EINTERNAL, 10, "internal error")

typedef enum legation_status {
#define LEGATION_X_(name, value, msg) LEGATION_##name = value,
  LEGATION_STATUS_MAP(LEGATION_X_)
#undef LEGATION_X_
  LEGATION_STATUS_COUNT_
} legation_status;

/* Message for a status code ("success", "out of memory", ...). Static. */
LEGATION_API const char *legation_strerror(int status);
/* Symbolic name of a status code ("OK", "ENOMEM", ...). Static. */
LEGATION_API const char *legation_status_name(int status);
/* Library version string, e.g. "0.1.0". Static. */
LEGATION_API const char *legation_version(void);
/* Free memory the library documents as "free with legation_free". */
LEGATION_API void legation_free(void *p);

/* --------------------------------------------------------------- scenarios */

typedef struct legation_scenario legation_scenario;

/* A new scenario holding the defaults of the parameter table. NULL on OOM. */
LEGATION_API legation_scenario *legation_scenario_new(void);
LEGATION_API void legation_scenario_free(legation_scenario *sc);
/* Deep copy (parameters, deal, sources, no errors). NULL on OOM. */
LEGATION_API legation_scenario *legation_scenario_clone(const legation_scenario *sc);

/* Load a YAML scenario file over the current values.  Every problem in the
 * file is collected (not just the first); on failure the scenario is left as
 * it was before the call and the messages are on the handle.  A `base:` key
 * names a built-in scenario or a file (relative to this file) loaded first. */
LEGATION_API legation_status legation_scenario_load_file(legation_scenario *sc,
                                                         const char *path);
/* Same, from memory; `name` is used in messages in place of a file name. */
LEGATION_API legation_status legation_scenario_load_string(legation_scenario *sc,
                                                           const char *text,
                                                           size_t len,
                                                           const char *name);
/* Load a built-in scenario by name (see legation_builtin_*). */
LEGATION_API legation_status legation_scenario_load_builtin(legation_scenario *sc,
                                                            const char *name);
/* Set one parameter from text, e.g. ("states.b.cover_share", "0.4").  The
 * value is parsed and range-checked exactly as in a file. */
LEGATION_API legation_status legation_scenario_set(legation_scenario *sc,
                                                   const char *key,
                                                   const char *value);
/* Cross-field checks (officers <= staff, floors <= caps, ...). */
LEGATION_API legation_status legation_scenario_validate(legation_scenario *sc);

/* All messages of the last failing call, one per line, each
 * "file:line:col: key: expected ..., found ...". "" if none. */
LEGATION_API const char *legation_scenario_errmsg(const legation_scenario *sc);
LEGATION_API int legation_scenario_error_count(const legation_scenario *sc);

/* Name and title of the scenario ("us-russia-2025", "US-Russia 2025 ..."). */
LEGATION_API const char *legation_scenario_name(const legation_scenario *sc);
LEGATION_API const char *legation_scenario_title(const legation_scenario *sc);
/* Display name of state 0 (A) or 1 (B). */
LEGATION_API const char *legation_scenario_state_name(const legation_scenario *sc,
                                                      int side);
/* Swap states A and B (with their missions and deal targets). */
LEGATION_API void legation_scenario_swap_sides(legation_scenario *sc);

/* Built-in scenarios (compiled into the library). */
LEGATION_API int legation_builtin_count(void);
LEGATION_API const char *legation_builtin_name(int i);
LEGATION_API const char *legation_builtin_title(int i);
/* YAML text of a built-in scenario, NULL if unknown. Static. */
LEGATION_API const char *legation_builtin_text(const char *name);

/* ---------------------------------------------------------------- parameters */

typedef enum legation_param_type {
  LEGATION_PT_REAL,
  LEGATION_PT_INT,
  LEGATION_PT_BOOL,
  LEGATION_PT_ENUM,
  LEGATION_PT_STRING
} legation_param_type;

/* Description and resolved value of one scalar parameter. All strings are
 * static or owned by the scenario. */
typedef struct legation_param {
  const char *key;         /* "states.a.openness" */
  const char *unit;        /* "probability/month", "persons", ... */
  const char *description; /* one line */
  const char *choices;     /* enum choices "absorb|mirror|...", else NULL */
  legation_param_type type;
  double min, max;         /* allowed range (numbers) */
  double default_value;    /* table default (numbers) */
  double value;            /* resolved value (numbers, enum index, bool) */
  char text[64];           /* resolved value as text (all types) */
  const char *source;      /* citation: scenario's `sources:` entry, else the
                              table's default source */
} legation_param;

/* Number of scalar parameters (the table expanded for both sides). */
LEGATION_API int legation_param_count(void);
/* Fill *out for parameter i of scenario sc (sc may be NULL for defaults). */
LEGATION_API legation_status legation_param_get(const legation_scenario *sc, int i,
                                                legation_param *out);

/* Deal schedule steps, for display. */
typedef struct legation_deal_step {
  int month;          /* first month the step may fire (1-based) */
  const char *action; /* "readmit", "cap", "expel", ... */
  const char *target; /* "a", "b" or "both" (whose mission it acts on) */
  double value;
  const char *post;   /* post name for open_post/close_post, else NULL */
  double r_min, p_min;/* conditions: fires when R >= r_min and P >= p_min */
  const char *source;
} legation_deal_step;
LEGATION_API int legation_deal_count(const legation_scenario *sc);
LEGATION_API legation_status legation_deal_get(const legation_scenario *sc, int i,
                                               legation_deal_step *out);

/* --------------------------------------------------------------------- runs */

typedef struct legation_run legation_run;

/* A run of scenario sc (copied).  NULL on OOM. */
LEGATION_API legation_run *legation_run_new(const legation_scenario *sc);
LEGATION_API void legation_run_free(legation_run *run);

LEGATION_API legation_status legation_run_set_reps(legation_run *run, int64_t reps);
LEGATION_API legation_status legation_run_set_seed(legation_run *run, uint64_t seed);
/* 0 = one thread per online core. Results do not depend on the count. */
LEGATION_API legation_status legation_run_set_threads(legation_run *run, int threads);
/* Keep every replication's scalar outputs (legation_run_rep_value). */
LEGATION_API legation_status legation_run_set_keep_reps(legation_run *run, int keep);
/* Replications [first, first+count) only; for resume and distributed runs. */
LEGATION_API legation_status legation_run_set_range(legation_run *run, int64_t first,
                                                    int64_t count);

/* Progress: called from the thread that runs legation_run_execute, with the
 * replications done and the total.  Return nonzero to stop the run (status
 * LEGATION_EINTR; what finished is kept). */
typedef int (*legation_progress_fn)(void *user, int64_t done, int64_t total);
LEGATION_API void legation_run_set_progress(legation_run *run, legation_progress_fn fn,
                                            void *user);

/* One logged event, in the vocabulary of data/events.csv. */
typedef struct legation_event {
  int64_t rep;         /* replication index */
  int month;           /* 1-based month */
  const char *actor;   /* acting state's name */
  const char *target;  /* target state's name */
  const char *action;  /* expel, cap_staff, close_post, open_post, readmit,
                          ban_local_staff, allow_local_staff,
                          travel_restriction, refuse_visa, return_property,
                          restore_operations, ci_capacity, vetting, turn */
  int persons;         /* persons concerned (0 if not applicable) */
  int officers;        /* of which intelligence officers (expel, refuse) */
  const char *reason;  /* identified, retaliation, parity, noise, shock,
                          scheduled, false_flag, exposed_by_source */
  int chain;           /* position in a retaliation chain (1 = opening) */
} legation_event;
/* Called from the executing thread, in replication order then month order.
 * Return nonzero to stop the run. */
typedef int (*legation_event_fn)(void *user, const legation_event *ev);
LEGATION_API void legation_run_set_event_sink(legation_run *run, legation_event_fn fn,
                                              void *user);

/* Run all replications.  Returns LEGATION_OK, LEGATION_EINTR (stopped by a
 * callback; results cover what finished), or an error with the message on
 * the handle (run-time errors name the month, replication and entity). */
LEGATION_API legation_status legation_run_execute(legation_run *run);
LEGATION_API const char *legation_run_errmsg(const legation_run *run);
/* Replications done and wall seconds of the last execute. */
LEGATION_API int64_t legation_run_reps_done(const legation_run *run);
LEGATION_API double legation_run_seconds(const legation_run *run);
LEGATION_API uint64_t legation_run_seed(const legation_run *run);
/* The run's own copy of the scenario (owned by the run). */
LEGATION_API const legation_scenario *legation_run_scenario(const legation_run *run);

/* ------------------------------------------------------------------ outputs */

typedef enum legation_output_kind {
  LEGATION_OUT_REAL,  /* a quantity: mean with a t interval */
  LEGATION_OUT_PROB   /* a 0/1 indicator: probability with a Wilson interval */
} legation_output_kind;

/* Static description of a per-replication output. */
typedef struct legation_output_info {
  const char *name;        /* "value_a", "spiral", ... */
  const char *unit;
  const char *description;
  legation_output_kind kind;
  int side;                /* 0 = A, 1 = B, -1 = both/neither */
} legation_output_info;
LEGATION_API int legation_output_count(void);
LEGATION_API const legation_output_info *legation_output_get(int i);
/* Index of an output by name, -1 if unknown. */
LEGATION_API int legation_output_find(const char *name);

/* Summary of one output across replications. */
typedef struct legation_stat {
  int64_t n;        /* replications with a defined value */
  double mean, sd;  /* Welford mean and sample standard deviation */
  double lo, hi;    /* 95% interval of the mean (t), or Wilson for PROB */
  double min, max;
  double q05, q25, q50, q75, q95; /* quantiles from the sketch (see docs) */
} legation_stat;
LEGATION_API legation_status legation_run_stat(const legation_run *run, int output,
                                               legation_stat *out);
/* Value of output `output` in replication `rep` (needs keep_reps). NaN
 * when undefined (e.g. settle_month when it never settled). */
LEGATION_API legation_status legation_run_rep_value(const legation_run *run, int64_t rep,
                                                    int output, double *out);

/* Monthly series. */
typedef struct legation_series_info {
  const char *name;  /* "staff_a", "relations", ... */
  const char *unit;
  const char *description;
  int side;
} legation_series_info;
LEGATION_API int legation_series_count(void);
LEGATION_API const legation_series_info *legation_series_get(int i);
LEGATION_API int legation_series_find(const char *name);
/* Number of months in the run's series (the horizon). */
LEGATION_API int legation_run_months(const legation_run *run);
/* Summary of series `series` at month (1-based) across replications. */
LEGATION_API legation_status legation_run_series_stat(const legation_run *run, int series,
                                                      int month, legation_stat *out);

/* ------------------------------------------- comparisons (common random numbers) */

/* Add a variant scenario (copied) to run.  Replication i of every variant
 * draws the same random streams as replication i of the run's own scenario
 * (variant 0, the base), as long as the states keep their names (a stream is
 * keyed by the state's name): paired differences then cancel most noise.
 * All variants must have the same horizon.  Returns the variant index
 * (1, 2, ...), or -1 (message on the handle). */
LEGATION_API int legation_run_add_variant(legation_run *run, const legation_scenario *sc);
/* 1 + the number of variants added. */
LEGATION_API int legation_run_variant_count(const legation_run *run);
/* Scenario of variant v (0 = base), owned by the run. */
LEGATION_API const legation_scenario *legation_run_variant_scenario(const legation_run *run, int v);
/* legation_run_stat / legation_run_series_stat for variant v. */
LEGATION_API legation_status legation_run_variant_stat(const legation_run *run, int v, int output,
                                                       legation_stat *out);
LEGATION_API legation_status legation_run_variant_series_stat(const legation_run *run, int v,
                                                              int series, int month,
                                                              legation_stat *out);

/* Paired difference of an output, variant v minus the base. */
typedef struct legation_diff {
  legation_stat paired;      /* of the per-replication differences; for a
                                PROB output lo/hi is a normal interval */
  double indep_lo, indep_hi; /* the 95% interval two independent runs of the
                                same size would give for the difference */
  double narrowing;          /* (indep_hi - indep_lo) / (paired.hi - paired.lo) */
} legation_diff;
LEGATION_API legation_status legation_run_diff(const legation_run *run, int v, int output,
                                               legation_diff *out);

/* ------------------------------------------------------ checkpoint, resume */

/* Per-replication outputs as they are merged: called from the executing
 * thread in replication order with the outputs of variant v (count values,
 * indexed as legation_output_get).  Return nonzero to stop the run. */
typedef int (*legation_rep_fn)(void *user, int64_t rep, int variant, const double *outputs,
                               int count);
LEGATION_API void legation_run_set_rep_sink(legation_run *run, legation_rep_fn fn, void *user);

/* Snapshot of everything merged so far (statistics of every variant), as an
 * opaque byte string to persist; free with legation_free.  Consistent when
 * taken from the progress callback or after execute returns. */
LEGATION_API legation_status legation_run_checkpoint(const legation_run *run, void **buf,
                                                     size_t *len);
/* Load a checkpoint into a run set up with the same scenario(s), seed and
 * replications (checked by a fingerprint: LEGATION_EINVAL otherwise).  The
 * next legation_run_execute runs only the replications the checkpoint lacks
 * and merges them onto it; the result is bit-identical to an uninterrupted
 * run.  Replications done (legation_run_reps_done) start at the checkpoint's. */
LEGATION_API legation_status legation_run_restore(legation_run *run, const void *buf, size_t len);

/* ------------------------------------------------------------ results store */

/* A results store: an SQLite database (default ./legation.db) that keeps
 * every run: the scenario text and its --set overrides (with a hash), the
 * resolved parameters with their sources, seed, replications requested and
 * done, version, timings, status, the summaries of every output of every
 * variant, monthly bands of every series, the checkpoint to resume from,
 * and on request the per-replication outputs and the event log.  Schema in
 * docs/STORE.md.  WAL journal, foreign keys on, a 5 s busy timeout, writes
 * batched in short transactions (never one per row).
 *
 * legation_store_open / legation_store_close: the handle owns the database
 * connection.  Strings in structs filled by the store (legation_store_run,
 * legation_store_cell) stay valid until the next call on the same store.
 * One thread at a time per handle; several processes may share a file (one
 * writes at a time, readers never wait). */
typedef struct legation_store legation_store;

/* Open (creating if needed) and migrate the store at path to the current
 * schema.  *out is set even when the call fails (except on OOM, when it is
 * NULL), so that legation_store_errmsg can say why; close it either way.
 * LEGATION_EIO: cannot open or write the file, not an SQLite database, or a
 * database of another program; LEGATION_ERANGE: made by a newer Legation. */
LEGATION_API legation_status legation_store_open(const char *path, legation_store **out);
LEGATION_API void legation_store_close(legation_store *st);
/* Message of the last failing call ("" if none), naming the file. */
LEGATION_API const char *legation_store_errmsg(const legation_store *st);
/* Schema version of the open database (3 in this version). */
LEGATION_API int legation_store_schema_version(const legation_store *st);
/* Seconds between checkpoints saved by legation_store_progress (default 1;
 * 0 = at every call). */
LEGATION_API void legation_store_set_checkpoint_interval(legation_store *st, double seconds);

/* Where an option of a comparison came from: variant v (>= 1) of the run
 * was loaded from this text, then the run's overrides (meta sets) applied. */
typedef struct legation_store_variant {
  const char *scenario_text;  /* YAML the option was loaded from */
  size_t scenario_len;
  const char *origin;         /* "builtin:NAME" or the file's path */
} legation_store_variant;

/* What the caller knows about a run and the library cannot tell. */
typedef struct legation_store_meta {
  const char *scenario_text;  /* YAML the scenario was loaded from */
  size_t scenario_len;
  const char *origin;         /* "builtin:NAME" or the file's path */
  const char *const *sets;    /* "key=value" applied after loading, in order */
  int nsets;
  int64_t reps;               /* replications requested */
  int threads;                /* threads asked for (0 = all cores) */
  int keep_reps;              /* per-replication outputs will be stored */
  int store_events;           /* events will be stored */
  /* a comparison (legation_run_add_variant): variants[v - 1] is variant v,
   * nvariants = legation_run_variant_count - 1; the overrides apply to
   * every variant.  NULL and 0 for a run of one scenario. */
  const legation_store_variant *variants;
  int nvariants;
  /* the user's name for the run ('--label'), NULL or "" for none; the
   * files every scenario was read from are taken from the run itself
   * (legation_scenario_file_get) */
  const char *label;
} legation_store_meta;

/* Record a new run of `run` (not yet executed): its row (status "running",
 * with this process's id), parameters and output names, and for a
 * comparison every option's text and origin (meta->variants).  *id is the run's
 * number.  The store then records this run until legation_store_finish; to
 * store replications or events, give legation_store_rep_sink /
 * legation_store_event_sink to the run (user = the store), or call them
 * from your own sinks. */
LEGATION_API legation_status legation_store_begin(legation_store *st, const legation_run *run,
                                                  const legation_store_meta *meta, int64_t *id);
/* legation_rep_fn and legation_event_fn: buffer one replication's outputs
 * or one event of the run being recorded (user = the store).  Rows go to
 * the database in batches; return nonzero (stop the run) when a write fails. */
LEGATION_API int legation_store_rep_sink(void *store, int64_t rep, int variant,
                                         const double *outputs, int count);
LEGATION_API int legation_store_event_sink(void *store, const legation_event *ev);
/* Call from the progress callback: when the checkpoint interval has passed
 * (or force), saves the buffered rows, legation_run_checkpoint's bytes and
 * the replications done in one transaction. */
LEGATION_API legation_status legation_store_progress(legation_store *st, const legation_run *run,
                                                     int force);
/* After legation_run_execute: save what is buffered, the final checkpoint,
 * summaries and series bands, timings and the status: "complete" for
 * LEGATION_OK, "incomplete" for LEGATION_EINTR, else "failed" (with the
 * run's message).  Ends the recording. */
LEGATION_API legation_status legation_store_finish(legation_store *st, const legation_run *run,
                                                   legation_status run_status);

/* One stored run. */
typedef struct legation_store_run {
  int64_t id;
  const char *status;        /* "running", "complete", "incomplete" or
                                "failed"; a "running" row whose process is
                                gone reads "incomplete" (see stale) */
  int stale;                 /* stored as running, but its process is gone */
  const char *created;       /* start, ISO 8601 UTC "2026-01-31T12:00:00Z" */
  double started, ended;     /* Unix seconds (ended 0 if not ended) */
  double seconds;            /* wall seconds spent running (all sessions) */
  const char *scenario_name, *scenario_title;
  const char *origin;        /* "builtin:NAME" or a path */
  const char *scenario_text; /* YAML as loaded */
  const char *sets;          /* overrides, one "key=value" per line */
  const char *hash;          /* "fnv1a64:" + 16 hex digits, of text and sets */
  uint64_t seed;
  int64_t reps_requested, reps_done;
  int months, threads, variants;
  int keep_reps, store_events;
  const char *version;       /* Legation version that made it */
  const char *error;         /* message of a failed run, else "" */
  const char *label;         /* the user's label, "" if none */
} legation_store_run;

/* Called once per run, newest first; return nonzero to stop. */
typedef int (*legation_store_run_fn)(void *user, const legation_store_run *run);
LEGATION_API legation_status legation_store_list(legation_store *st, legation_store_run_fn fn,
                                                 void *user);
/* Run `id` into *out; LEGATION_ENOTFOUND if there is none. */
LEGATION_API legation_status legation_store_get(legation_store *st, int64_t id,
                                                legation_store_run *out);

/* A new run of stored run `id` (its scenario text and overrides, seed,
 * replications and threads; for a comparison the base and every option
 * added as variants, in order) with its last checkpoint restored, so that
 * its statistics are those of the replications that finished, and
 * legation_run_execute would run only the rest.  Free with
 * legation_run_free.  Messages (e.g. a scenario this version no longer
 * loads) are on the store. */
LEGATION_API legation_status legation_store_rebuild(legation_store *st, int64_t id,
                                                    legation_run **out);
/* Continue recording stored run `id` into `run` (from
 * legation_store_rebuild): stored replications and events beyond the
 * checkpoint are deleted so none is stored twice, and the row is "running"
 * again.  LEGATION_EINVAL for a complete run or one whose process is alive. */
LEGATION_API legation_status legation_store_resume(legation_store *st, int64_t id,
                                                   const legation_run *run);

/* Stored data as tidy tables. */
typedef enum legation_cell_type {
  LEGATION_CELL_NULL,  /* missing (also NaN) */
  LEGATION_CELL_INT,
  LEGATION_CELL_REAL,
  LEGATION_CELL_TEXT
} legation_cell_type;
typedef struct legation_store_cell {
  legation_cell_type type;
  int64_t i;           /* LEGATION_CELL_INT */
  double r;            /* LEGATION_CELL_REAL, exactly as stored */
  const char *text;    /* LEGATION_CELL_TEXT */
} legation_store_cell;
/* Called first with cells NULL (the header: ncols and the column names),
 * then once per row with the cells. */
typedef int (*legation_store_row_fn)(void *user, int ncols, const char *const *names,
                                     const legation_store_cell *cells);
/* Rows of table `what` of run `id`, in a fixed order:
 *   "summary": run,variant,output,unit,kind,n,mean,sd,lo,hi,min,q05,q25,q50,q75,q95,max
 *   "series":  run,variant,series,month,n,mean,q05,q25,q50,q75,q95
 *   "reps":    run,rep,variant,output,value        (long format; by
 *              variant, then replication, then output)
 *   "events":  run,rep,month,acting_state,target_state,action,persons,
 *              officers,reason,chain
 *   "params":  run,key,value,source
 *   "variants": run,variant,name,title,origin,hash   (variant 0 is the
 *              base; the options of a comparison follow)
 *   "diffs":   run,variant,output,unit,kind,n,mean,sd,lo,hi,min,q05,q25,
 *              q50,q75,q95,max,indep_lo,indep_hi,narrowing  (the paired
 *              differences variant minus base of a comparison,
 *              legation_run_diff; no rows for a run of one scenario)
 * LEGATION_EINVAL for another `what`; a nonzero return of fn stops with
 * LEGATION_EINTR. */
LEGATION_API legation_status legation_store_table(legation_store *st, int64_t id,
                                                  const char *what, legation_store_row_fn fn,
                                                  void *user);

/* ------------------------------------------------------- statistics helpers */

/* Wilson score interval for k successes out of n at confidence z (1.96). */
LEGATION_API void legation_wilson(double k, double n, double z, double *lo, double *hi);

/* ============================================ issue 10: posts, new pairs */

/* A mission's posts (embassy, consulates), for display.  side 0 is A's
 * mission in B, 1 B's mission in A.  name is owned by the scenario (valid
 * until it is changed or freed). */
typedef struct legation_post {
  const char *name; /* "Embassy Moscow" */
  double reach;     /* officer reach factor of the post, 0..3 */
  int open;         /* 1 open, 0 closed */
} legation_post;
LEGATION_API int legation_post_count(const legation_scenario *sc, int side);
LEGATION_API legation_status legation_post_get(const legation_scenario *sc, int side, int i,
                                               legation_post *out);

/* 1 if parameter i is behavioural: a decision rule of a state (doctrine,
 * retaliation, forgiveness, expulsion policy, ...) or the pair's relations,
 * which a scenario for a new pair should set rather than inherit from the
 * table, and if it takes effect in sc (batch_interval only under policy
 * batch, shock_rate under shock, retaliation_k under doctrine
 * proportional; sc NULL: every behavioural parameter); 0 otherwise (also
 * for i out of range). */
LEGATION_API int legation_param_behavioural(const legation_scenario *sc, int i);
/* 1 if parameter i of sc still has the table's default source, i.e. no
 * scenario file in its chain and no --set gave it a value. */
LEGATION_API int legation_param_from_table(const legation_scenario *sc, int i);
/* 1 if sc was loaded from a text that names a `base:`, else 0. */
LEGATION_API int legation_scenario_has_base(const legation_scenario *sc);

/* The files a scenario was read from, so that a stored run can be rebuilt
 * without them: file 0 is the one loaded (a path as given, "builtin:NAME",
 * or a load_string's name), then every base in the order loaded, each with
 * its key (the path the loader opened, relative to the directory it ran in,
 * or "builtin:NAME") and its full text.  Strings are owned by the scenario
 * and valid until it is loaded again or freed.  A scenario that was not
 * loaded from text has none. */
LEGATION_API int legation_scenario_file_count(const legation_scenario *sc);
LEGATION_API legation_status legation_scenario_file_get(const legation_scenario *sc, int i,
                                                        const char **key, const char **text,
                                                        size_t *len);
/* One file for legation_scenario_load_files (strings borrowed). */
typedef struct legation_scenario_file {
  const char *key;  /* as legation_scenario_file_get gives it */
  const char *text;
  size_t len;
} legation_scenario_file;
/* Load files[0] as legation_scenario_load_file / _builtin would (by its
 * key), but look every `base:` up in files only, by the key the loader
 * computes (a built-in base too): nothing is read from disk, and edits or a
 * change of directory since the files were recorded make no difference.  A
 * base not among files is LEGATION_ENOTFOUND.  Same messages and status as
 * the other loaders otherwise. */
LEGATION_API legation_status legation_scenario_load_files(legation_scenario *sc,
                                                          const legation_scenario_file *files,
                                                          int n);

/* ------------------------------------------------------------------ history */

/* The record: data/events.csv (dated expulsions, caps, closures, bans,
 * travel rules, talks 1986-2025, each with its source URLs), compiled into
 * the library.  legation_history_new / legation_history_free: the handle
 * owns the parsed text; every const char * of an event points into it and
 * stays valid until the next load or the free.  Strings are never NULL
 * ("" when the field is blank). */
typedef struct legation_history legation_history;

typedef struct legation_history_event {
  const char *id;            /* "1986-02", the citation key [YYYY-NN] */
  const char *date;          /* "1986-09-17", or "1986-09" when the day is unknown */
  int year, month, day;      /* the date parsed; day 0 when unknown */
  const char *acting_state;  /* "USA", "USSR", "USA; Russia" (bilateral rows) */
  const char *target_state;  /* "USSR", ... or "(bilateral)" */
  const char *action;        /* expel, close_post, cap_staff, ban_local_staff,
                                travel_restriction, readmit, talks, agreement */
  int persons;               /* persons expelled, or the new cap; -1 if blank */
  const char *posts;         /* posts or missions affected */
  const char *stated_reason;
  const char *responds_to;   /* id of the event this one answers, or "" */
  const char *source_url;    /* one or more URLs separated by " ; " */
  const char *confidence;    /* "high", "medium" or "low" */
  const char *notes;
} legation_history_event;

/* An empty handle; NULL on OOM. */
LEGATION_API legation_history *legation_history_new(void);
LEGATION_API void legation_history_free(legation_history *h);
/* Parse the built-in record (data/events.csv as compiled in). */
LEGATION_API legation_status legation_history_load_builtin(legation_history *h);
/* Parse a record in the same 12-column format from memory (strict RFC 4180
 * CSV; every row checked: id YYYY-NN unique and of the date's year, date
 * YYYY-MM-DD or YYYY-MM, persons a whole number or blank, http(s) source
 * URLs, confidence high|medium|low, responds_to an earlier row's id).  On
 * failure (LEGATION_EPARSE for the CSV structure, LEGATION_ESCHEMA for
 * field values, LEGATION_ENOMEM) the handle keeps what it held and the
 * messages, one per line "name:line:col: column: expected ..., found ...",
 * are on it. */
LEGATION_API legation_status legation_history_load_string(legation_history *h, const char *text,
                                                          size_t len, const char *name);
/* Messages of the last failing load, "" if none. */
LEGATION_API const char *legation_history_errmsg(const legation_history *h);
/* Events in record order (by id, hence by date). */
LEGATION_API int legation_history_count(const legation_history *h);
LEGATION_API legation_status legation_history_get(const legation_history *h, int i,
                                                  legation_history_event *out);

/* Canonical code of a country name or code, compared without case:
 * "USA", "United States" -> "US"; "Russia", "USSR" -> "RU" (the Soviet
 * Union counts as Russia); "Czech Republic" -> "CZ"; "UK", "China",
 * "Germany", ...  NULL if unknown.  Static. */
LEGATION_API const char *legation_country_code(const char *name);
/* Nonzero when the event is between countries a and b (names or codes),
 * in either direction: one of them acts and the other is the target, or
 * both act together on a "(bilateral)" row.  0 if a or b is unknown or they
 * are the same country. */
LEGATION_API int legation_history_involves(const legation_history_event *ev, const char *a,
                                           const char *b);

#ifdef __cplusplus
}
#endif
#endif /* LEGATION_H */
