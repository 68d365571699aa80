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
  /* Plausible range (what is not known), separate from min/max (what the
   * model accepts).  has_range 0: the value is taken as known. */
  int has_range;
  int uncertain;           /* has a range that varies (dist not "fixed") */
  const char *dist;        /* "uniform", "triangular" (mode = value),
                              "loguniform", "fixed", or "choice" for
                              weighted alternatives; NULL without range */
  double range_lo, range_hi;
  int nalternatives;       /* categorical: alternatives with weights */
  double alt_value[8];     /* enum index or 0/1 */
  double alt_weight[8];
  const char *range_source; /* why the range, for a table default's generic
                               range (else NULL: the source says) */
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
                          restore_operations, ci_capacity, vetting, turn,
                          withdraw_staff, visa_freeze, seize_property */
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

/* ------------------------------------------- uncertainty: drawn parameters */

/* What is not known, as the spread of the answer.  A parameter may carry a
 * plausible range in its scenario ({value, range: [lo, hi], dist} or
 * {value, alternatives: {choice: weight}}; see legation_param).  A run can
 * draw a parameter set per "world" instead of using the values:
 *
 *   legation_run_vary: every ranged parameter of the base (keys NULL) or
 *   the named ones vary.  World w (replications w*K .. w*K+K-1, K =
 *   legation_run_set_reps_per_world, default 1) draws each parameter by
 *   Latin hypercube over the worlds: parameter j's value is its range's
 *   inverse CDF at (perm_j(w) + jitter) / W, with perm_j a permutation of
 *   the W worlds keyed by the seed and the parameter, so the draws depend
 *   only on (seed, parameter, world): bit-identical for any thread count
 *   and on resume.  Every variant of a comparison takes the same draws in
 *   replication i (same world, same random numbers), except where a
 *   variant sets a parameter to another value than the base without a
 *   range of its own: there it is a lever and keeps its value.
 *
 *   legation_run_set_points: explicit points (a sweep or a sampling design):
 *   replication g evaluates point g / R (R = reps_per_point) with the random
 *   streams of replication g % R, so every point sees the same random
 *   numbers (common random numbers across points).  Sets the run's
 *   replications to npoints * R.  Values are in natural units, enums as
 *   their index, checked against the parameter table (LEGATION_ERANGE with
 *   the point and key in the message).
 *
 * Either way the per-replication outputs come through the rep sink in
 * replication order, and legation_run_world_stat / _world_diff summarise
 * per-world (per-point) means. */
LEGATION_API legation_status legation_run_vary(legation_run *run, const char *const *keys,
                                               int nkeys);
LEGATION_API legation_status legation_run_set_reps_per_world(legation_run *run, int64_t k);
LEGATION_API legation_status legation_run_set_points(legation_run *run, const char *const *keys,
                                                     int nkeys, const double *values,
                                                     int64_t npoints, int64_t reps_per_point);
/* A sweep: points made from a design over named parameters (then as
 * legation_run_set_points).  Each key sweeps [lo, hi] (lo, hi NaN: the
 * base scenario's plausible range, through its distribution).  GRID takes
 * `levels` evenly spaced values per key (0 = 5; the last key varies
 * fastest; npoints is their product); LHS takes npoints points by Latin
 * hypercube keyed by the run's seed; SOBOL the first npoints of GSL's Sobol
 * sequence after its corner point (at most 40 keys).  Whole-number
 * parameters are rounded.  The points are made when the run executes, so
 * the seed may be set before or after. */
typedef enum legation_design {
  LEGATION_DESIGN_GRID,
  LEGATION_DESIGN_LHS,
  LEGATION_DESIGN_SOBOL
} legation_design;
typedef struct legation_sweep_key {
  const char *key;  /* "states.a.openness" */
  double lo, hi;    /* NaN, NaN: the scenario's plausible range */
  int levels;       /* GRID only */
} legation_sweep_key;
LEGATION_API legation_status legation_run_sweep(legation_run *run, const legation_sweep_key *keys,
                                                int nkeys, legation_design design,
                                                int64_t npoints, int64_t reps_per_point);
/* The sweep's design as set (keys owned by the run). */
LEGATION_API legation_status legation_run_sweep_spec(const legation_run *run,
                                                     legation_design *design, int64_t *npoints,
                                                     int *nkeys,
                                                     const legation_sweep_key **keys);
/* Worlds drawn from a posterior (a calibration's weighted particles over
 * `keys`): `worlds` particles by systematic resampling keyed by the run's
 * seed (set it first), whole-number parameters rounded, each world run
 * reps_per_world times; then as legation_run_set_points (the run's
 * replications become worlds x reps_per_world). */
LEGATION_API legation_status legation_run_set_posterior(legation_run *run, const char *const *keys,
                                                        int nkeys, const double *values,
                                                        const double *weights,
                                                        int64_t nparticles, int64_t worlds,
                                                        int64_t reps_per_world);
/* A sweep across a posterior: after legation_run_sweep (and the seed), the
 * reps_per_point replications of every point become as many worlds
 * resampled from the posterior as in legation_run_set_posterior, one
 * replication each; replication j of every point takes world j and
 * random stream j (common worlds and random numbers across points).  Keys
 * the sweep sets keep the sweep's values (the posterior's are ignored);
 * the others follow the sweep's keys in legation_run_vary_count/_key,
 * while legation_run_sweep_spec still gives the sweep's keys only.
 * LEGATION_EINVAL when no sweep is set or the sweep sets every key. */
LEGATION_API legation_status legation_run_sweep_posterior(legation_run *run,
                                                          const char *const *keys, int nkeys,
                                                          const double *values,
                                                          const double *weights,
                                                          int64_t nparticles);
/* How the run's parameters are drawn: none (fixed), from the plausible
 * ranges (legation_run_vary), at given points (legation_run_set_points,
 * legation_run_set_posterior) or a sweep's design. */
enum { LEGATION_DRAWS_NONE, LEGATION_DRAWS_RANGES, LEGATION_DRAWS_POINTS, LEGATION_DRAWS_SWEEP };
LEGATION_API int legation_run_draws(const legation_run *run);
/* Parameters drawn per replication (0 for a run of fixed parameters), and
 * the key of the j-th (static string). */
LEGATION_API int legation_run_vary_count(const legation_run *run);
LEGATION_API const char *legation_run_vary_key(const legation_run *run, int j);
/* Replications per world or per point (0 for fixed parameters). */
LEGATION_API int64_t legation_run_reps_per_world(const legation_run *run);
/* Value of parameter `key` for variant v in replication rep (the value
 * itself when it is not drawn). */
LEGATION_API legation_status legation_run_rep_param(const legation_run *run, int v, int64_t rep,
                                                    const char *key, double *out);

/* Summary across worlds (or points) of the per-world means of an output. */
typedef struct legation_world_stat {
  int64_t worlds;          /* worlds finished */
  int64_t reps_per_world;
  legation_stat across;    /* of the per-world means: mean, sd, the 95% t
                              interval of the mean over worlds (covers
                              parameter uncertainty and noise), q05..q95
                              (the spread across worlds) */
  double noise_sd;         /* pooled sd of replications within a world
                              (Monte Carlo noise; NaN with 1 rep per world) */
  double world_sd;         /* sd of the worlds' true means, noise removed:
                              sqrt(max(0, sd^2 - noise_sd^2 / K)) */
  double noise_lo, noise_hi; /* the 95% interval of the mean from noise
                              alone (what a run of fixed parameters shows) */
  int64_t above, below;    /* worlds whose mean is > 0, < 0 */
} legation_world_stat;
/* One finished world (or point) as it is merged: per output its n, mean,
 * sd, min, max and 95% t interval over the world's replications (quantiles
 * NaN).  Called from the executing thread in world order, for variant 0,
 * 1, ... and then (diff 1) the paired differences of variants 1, 2, ...
 * Return nonzero to stop the run. */
typedef struct legation_world_result {
  int64_t world;          /* world or point index */
  int variant;            /* 0 = base, then the options */
  int diff;               /* 1: the paired difference variant minus base */
  int count;              /* outputs, indexed as legation_output_get */
  const legation_stat *stats;
} legation_world_result;
typedef int (*legation_world_fn)(void *user, const legation_world_result *w);
LEGATION_API void legation_run_set_world_sink(legation_run *run, legation_world_fn fn, void *user);

/* Output `output` of variant v, or (world_diff, v >= 1) the paired
 * difference variant v minus base.  LEGATION_EINVAL for a run of fixed
 * parameters. */
LEGATION_API legation_status legation_run_world_stat(const legation_run *run, int v, int output,
                                                     legation_world_stat *out);
LEGATION_API legation_status legation_run_world_diff(const legation_run *run, int v, int output,
                                                     legation_world_stat *out);

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
/* Schema version of the open database (6 in this version). */
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
/* legation_world_fn: buffer one finished point of a run of points (a
 * sweep) with its parameter values; rows are written with the checkpoints
 * (tables point_output and point_param, docs/STORE.md). */
LEGATION_API int legation_store_world_sink(void *store, const legation_world_result *w);
/* Call from the progress callback: when the checkpoint interval has passed
 * (or force), saves the buffered rows, legation_run_checkpoint's bytes and
 * the replications done in one transaction. */
LEGATION_API legation_status legation_store_progress(legation_store *st, const legation_run *run,
                                                     int force);
/* After legation_run_execute: save what is buffered, the final checkpoint,
 * summaries and series bands, timings and the status: "complete" for
 * LEGATION_OK, "incomplete" for LEGATION_EINTR, else "failed" (with the
 * run's message).  Ends the recording.  If a sink's write failed (a full
 * disk stops the run through the sink), the run is kept "incomplete" at its
 * last checkpoint, resumable, and the write's status and message are
 * returned (LEGATION_EIO, "... database or disk is full"). */
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

/* ----------------------------------------- recording sessions (issue 13) */

/* A session records one run into a results store, from before its first
 * replication to its end, the same way for every front end (the CLI's run,
 * compare and sweep; the server): the new row with the full text of each
 * scenario as the user named it and the overrides, including the '@' run
 * settings (drawn parameters, a sweep's design, a posterior) that
 * legation_store_rebuild reads back, so that a resume draws the same
 * worlds; or the continuation of a stored run (--resume); the
 * per-replication and event sinks; checkpoints from the run's progress
 * callback; the outcome.  src/store/session.c.
 *
 * legation_session_new takes the store: the session owns it and closes it
 * in legation_session_free (also when new fails).  The run given to
 * legation_session_begin is borrowed until legation_session_finish.  If a
 * store write fails during the run (a full disk), the session calls the
 * front end's on_error once, stops using the store (legation_session_store
 * then returns NULL, the sinks it installed are removed) and the run goes
 * on; its row stays resumable from the last checkpoint.  Messages of the
 * last failure are on the handle (legation_session_errmsg). */
typedef struct legation_session legation_session;
/* Told once, from the progress callback, that the store failed: st and the
 * store's message (borrowed for the call). */
typedef void (*legation_session_error_fn)(void *user, legation_status st, const char *msg);

/* What a front end knows about a new run and the library cannot tell. */
typedef struct legation_session_spec {
  const char *const *operands; /* each variant's scenario as the user named
                                  it, base first: an existing file is read
                                  again and stored whole, anything else is a
                                  built-in's name; NULL entries read as
                                  default_scenario */
  int noperands;
  const char *const *texts;   /* NULL, or per operand the scenario's text as
                                 loaded (an upload, a built-in's text): then
                                 nothing is read and the operand is stored
                                 as its origin verbatim ("builtin:NAME" for
                                 a built-in, "upload.yaml") */
  const char *default_scenario; /* the built-in a NULL operand names */
  const char *const *sets;    /* "key=value" overrides applied, in order */
  int nsets;
  int64_t months;             /* a horizon given apart (stored after the
                                 sets as "horizon=M"), 0 if none */
  int64_t posterior;          /* the worlds were drawn from this stored
                                 calibration, 0 if none */
  int64_t reps;               /* replications requested */
  int threads;                /* threads asked for (0 = all cores) */
  int keep_reps, store_events;/* store every replication's outputs, events */
  int events_elsewhere;       /* the front end's own event sink takes the
                                 events (and calls legation_store_event_sink) */
  const char *label;          /* the user's name for the run, NULL or "" */
  double checkpoint;          /* seconds between checkpoints, < 0: default */
  legation_progress_fn progress; /* the front end's progress callback, called
                                    first at every progress; its nonzero
                                    return stops the run.  May be NULL. */
  void *progress_user;
  legation_session_error_fn on_error; /* may be NULL */
  void *error_user;
} legation_session_spec;

/* A session on st (taken: see above); NULL on OOM (st then closed). */
LEGATION_API legation_session *legation_session_new(legation_store *st);
/* Close the store and free the session; NULL is a no-op. */
LEGATION_API void legation_session_free(legation_session *s);
/* Message of the last failing call ("" if none). */
LEGATION_API const char *legation_session_errmsg(const legation_session *s);
/* The store while it is in use (for a front end's own sinks, e.g.
 * legation_store_world_sink); NULL after a failure or the finish. */
LEGATION_API legation_store *legation_session_store(const legation_session *s);
/* The stored run's id once begun. */
LEGATION_API int64_t legation_session_id(const legation_session *s);
/* Nonzero when the run's events go to the store. */
LEGATION_API int legation_session_store_events(const legation_session *s);
/* The status of a store failure during the run, LEGATION_OK if none. */
LEGATION_API legation_status legation_session_failure(const legation_session *s);
/* Just before legation_run_execute: record run as a new stored run
 * (resume 0), or continue stored run `resume` (run from
 * legation_store_rebuild; its own texts, overrides and settings stay, and
 * spec gives only the callbacks, events_elsewhere and checkpoint); then
 * install the sinks and the progress callback that checkpoints (replacing
 * the run's).  LEGATION_EIO when an operand file cannot be read again, the
 * store's status otherwise. */
LEGATION_API legation_status legation_session_begin(legation_session *s, legation_run *run,
                                                    const legation_session_spec *spec,
                                                    int64_t resume);
/* After legation_run_execute: save the outcome (legation_store_finish with
 * the run's status).  Returns the failure during the run if there was one,
 * else the store's status; the store is no longer used afterwards. */
LEGATION_API legation_status legation_session_finish(legation_session *s,
                                                     legation_status run_status);

/* What a stored run is, by its variants and '@' settings. */
typedef enum legation_stored_kind {
  LEGATION_STORED_RUN,     /* a run of one scenario */
  LEGATION_STORED_COMPARE, /* a comparison */
  LEGATION_STORED_SWEEP,   /* a sweep (its overrides hold "@sweep=") */
  LEGATION_STORED_SOBOL,   /* a Sobol sensitivity study ("@study=sensitivity") */
  LEGATION_STORED_MORRIS,  /* a Morris study ("@study=sensitivity", "@method=morris") */
  LEGATION_STORED_DISCOVER /* a scenario discovery ("@study=discover") */
} legation_stored_kind;
LEGATION_API legation_stored_kind legation_store_run_kind(const legation_store_run *r);
/* The kind's name as listings show it: "run", "compare", "sweep",
 * "sensitivity" (Sobol), "morris", "discover". */
LEGATION_API const char *legation_stored_kind_name(legation_stored_kind k);
/* The operands of stored run id's variants (base first) as the user named
 * them: a path, or a built-in's name.  *operands is a malloc'd array of n
 * malloc'd strings: free with legation_store_operands_free.  The store's
 * status and message; LEGATION_ENOMEM. */
LEGATION_API legation_status legation_store_operands(legation_store *st, int64_t id,
                                                     char ***operands, int *n);
LEGATION_API void legation_store_operands_free(char **operands, int n);

/* Jobs of a server (`legation serve --db`, schema version 7): what a front
 * end was asked to do, kept so that a restarted server lists the jobs its
 * predecessor left and can resume them.  The library keeps the request as
 * text and never reads it; the run a job records is an ordinary stored run
 * (run_id).  A job row belongs to the process that saved it last (pid and
 * host, as a run's row). */
typedef struct legation_store_job {
  int64_t id;
  const char *kind;     /* the front end's word: "run", "compare", "sweep" */
  const char *request;  /* the request as the front end saved it (JSON) */
  const char *state;    /* "queued", "running", "done", "failed", "cancelled"
                           or "interrupted" */
  int orphan;           /* queued or running, but its process is gone (the
                           same host, and no process with its pid) */
  int64_t run_id;       /* its stored run, 0 before it has one */
  double created, updated; /* Unix seconds */
  const char *error;    /* the message of a failed job, else "" */
  const char *result;   /* the result as the front end saved it, or NULL */
} legation_store_job;
/* A new job row in `state`, owned by this process; *id is its number
 * (ids are never reused).  kind, request and state must not be NULL. */
LEGATION_API legation_status legation_store_job_add(legation_store *st, const char *kind,
                                                    const char *request, const char *state,
                                                    int64_t *id);
/* Save job `id`'s state and take it over for this process; run_id > 0
 * sets its run (0 keeps it); error and result replace theirs unless NULL.
 * LEGATION_ENOTFOUND if there is no such job. */
LEGATION_API legation_status legation_store_job_set(legation_store *st, int64_t id,
                                                    const char *state, int64_t run_id,
                                                    const char *error, const char *result);
/* Called once per job, oldest first (strings valid during the call);
 * return nonzero to stop (LEGATION_EINTR). */
typedef int (*legation_store_job_fn)(void *user, const legation_store_job *job);
LEGATION_API legation_status legation_store_job_list(legation_store *st, legation_store_job_fn fn,
                                                     void *user);

/* ------------------------------------------------------- statistics helpers */

/* Wilson score interval for k successes out of n at confidence z (1.96). */
LEGATION_API void legation_wilson(double k, double n, double z, double *lo, double *hi);

/* --------------------------------------- analysis: the deal scorecard (issue 13) */

/* What every front end (the CLI's run, compare, runs show and report; the
 * server's jobs) shows of a finished or rebuilt run, computed once here so
 * that they print the same numbers and the same sentences: the scorecard
 * rows, the smallest change that counts (a margin), each option's paired
 * change as displayed, the narrowing of paired over independent intervals
 * and the verdict sentences.  src/analysis/scorecard.c, verdict.c.
 *
 * These functions read the run and never change it.  Text goes into the
 * caller's buffer: always NUL-terminated, truncated to fit (a verdict fits
 * in 3072 bytes).  Margins are given as the strings "OUTPUT=DELTA" (the
 * CLI's --min-effect), the last one for an output winning; NULL and 0 for
 * the defaults. */

/* Rows of the scorecard, in display order: value_a, value_b, balance,
 * spiral, function_mean_a, function_mean_b, settled. */
LEGATION_API int legation_scorecard_count(void);
/* Library output name of row r ("value_a"); NULL outside [0, count).  Static. */
LEGATION_API const char *legation_scorecard_output(int r);
/* Row r's label with sc's state names ("intelligence gained by Russia");
 * a state without a name reads "A" or "B".  LEGATION_EINVAL for a row out
 * of range (buf then ""). */
LEGATION_API legation_status legation_scorecard_label(const legation_scenario *sc, int r,
                                                      char *buf, size_t n);

/* The smallest change in output (variant minus base) that counts: the last
 * margin given for it, else 0.01 (1 point) for a probability and 1% of the
 * base's mean for a quantity (the balance: 1% of the larger side's gain).
 * 0 when the output or the base's statistics are missing. */
LEGATION_API double legation_min_effect(const legation_run *run, int output,
                                        const char *const *margins, int nmargins);

/* One cell of the scorecard: option v's paired change in an output, as
 * displayed.  Probabilities are in percentage points.  With parameters drawn
 * per world the interval is that of the mean over worlds (it covers what is
 * not known and the noise) and the spread across worlds is filled in. */
typedef struct legation_score {
  char mean[40], lo[40], hi[40]; /* "+12.3" with the decimals the interval
                                    supports; "n/a" when undefined */
  char margin[40];               /* the margin, two significant digits */
  char q05[40], q95[40];         /* 5th-95th percentile across worlds, "n/a"
                                    without drawn parameters */
  double value, value_lo, value_hi, value_margin; /* the same, unrounded */
  int decimals;                  /* of mean, lo, hi, q05, q95 */
  int prob;                      /* a probability (shown in points) */
  int clear;                     /* the interval excludes 0 */
  int counts;                    /* the interval lies beyond the margin */
  int equiv;                     /* the interval lies inside the margin */
  int none;                      /* 0 in every replication: no change at all */
  int up;                        /* the mean is above 0 */
  int worlds;                    /* w is filled (parameters drawn per world) */
  legation_world_stat w;         /* the change across worlds */
} legation_score;
/* Fill *out for option v (>= 1) and output; LEGATION_EINVAL for a bad
 * variant or output (the run has no paired difference there). */
LEGATION_API legation_status legation_score_get(const legation_run *run, int v, int output,
                                                const char *const *margins, int nmargins,
                                                legation_score *out);

/* Median over every output and option of legation_diff.narrowing (finite
 * positive values only): how much narrower paired intervals are than two
 * independent runs'.  NaN when there is none; *count (may be NULL) gets the
 * number of values. */
LEGATION_API double legation_run_narrowing(const legation_run *run, int *count);
/* Decimals that show a mean to the precision its 95% interval supports:
 * one significant digit of the half-width, 0 to 4; from the magnitude when
 * the interval is empty or undefined. */
LEGATION_API int legation_decimals_for(double mean, double lo, double hi);
/* x with d decimals into buf ("%+.*f" when sign), "n/a" when not finite,
 * never "-0"; returns buf. */
LEGATION_API const char *legation_format_fixed(char *buf, size_t n, double x, int d, int sign);

/* Name of variant v for people: the scenario's name without the base's
 * name as prefix ("readmit-150" for us-russia-2025-readmit-150), else
 * "option V". */
LEGATION_API void legation_variant_label(const legation_run *run, int v, char *buf, size_t n);
/* The verdict on option v (>= 1) of a comparison: whom it favours against
 * the balance's margin (favours A, favours B, no meaningful difference
 * inside the margin, or not clearly either), what it does to each side's
 * gain, the spiral and the settlement, the share of worlds it favours each
 * side in when parameters are drawn, and which uncertainty the intervals
 * cover.  LEGATION_EINVAL for a bad v (buf then ""). */
LEGATION_API legation_status legation_compare_verdict(const legation_run *run, int v,
                                                      const char *const *margins, int nmargins,
                                                      char *buf, size_t n);
/* The verdict on the balance of a run's own scenario (variant 0): which
 * side gains more intelligence, against 1% of the larger side's gain. */
LEGATION_API void legation_run_verdict(const legation_run *run, char *buf, size_t n);

/* ------------------------------------------- analysis: report data (issue 13) */

/* What a report shows, as one JSON document (its shape is documented at
 * the top of web/src/report.js): for a run, a comparison (every variant,
 * paired against the base) or stored runs side by side, the parameters
 * with their sources, deal steps, statistics, paired differences, monthly
 * bands of every series, the scorecard's rows, the verdicts and the
 * histograms of the balance and of expulsions.  src/analysis/report_data.c.
 * JSON text is returned in a malloc'd string: free with legation_free.
 * Reals are written with 17 significant digits, so they read back exactly;
 * NaN and infinities are null. */

/* Per-replication values of the histogram outputs (the balance and total
 * expelled) for each part of a report, gathered while a run executes
 * (legation_repvals_sink), from a run that kept its replications, or from a
 * store; without them a report draws its histograms from the quantiles and
 * says so.  legation_repvals_new / legation_repvals_free. */
typedef struct legation_repvals legation_repvals;
/* Slots for nparts x nreps replications from replication `first`, all
 * missing; NULL on OOM or when more than 4e6 values would be kept. */
LEGATION_API legation_repvals *legation_repvals_new(int nparts, int64_t first, int64_t nreps);
LEGATION_API void legation_repvals_free(legation_repvals *rv);
/* legation_rep_fn keeping the values of variant v in part v (user = the
 * legation_repvals); never stops the run. */
LEGATION_API int legation_repvals_sink(void *rv, int64_t rep, int variant, const double *outputs,
                                       int count);
/* Part 0 from a run made with legation_run_set_keep_reps.
 * LEGATION_ENOTFOUND when a replication is missing (a resumed run keeps
 * only this session's): then use none. */
LEGATION_API legation_status legation_repvals_from_run(legation_repvals *rv,
                                                       const legation_run *run);
/* Part `part` from the "reps" table of stored run id (variant 0); *rows
 * (may be NULL) gets the number of values read.  The store's status. */
LEGATION_API legation_status legation_repvals_load(legation_repvals *rv, int part,
                                                   legation_store *st, int64_t id,
                                                   int64_t *rows);

typedef enum legation_report_kind {
  LEGATION_REPORT_RUN,     /* one part: a run of one scenario */
  LEGATION_REPORT_COMPARE, /* the variants of one run, paired against part 0 */
  LEGATION_REPORT_RUNS     /* stored runs side by side, independent */
} legation_report_kind;
/* One scenario shown: variant v of a finished (or rebuilt) run. */
typedef struct legation_report_part {
  const legation_run *run;
  int v;
  const char *label;       /* what the user named it (an operand, "run 12");
                              NULL: the scenario's name */
} legation_report_part;
typedef struct legation_report_spec {
  legation_report_kind kind;
  const legation_report_part *parts;
  int nparts;
  int64_t reps_asked;      /* of part 0's run */
  int threads_asked;
  legation_status status;  /* of part 0's legation_run_execute */
  const legation_repvals *rv; /* one part each, or NULL: the quantiles */
  double seconds;          /* > 0: shown instead of legation_run_seconds */
  int options_by_effect;   /* compare: the options were not named, so the
                              page sorts them by effect */
} legation_report_spec;
/* The report's data; LEGATION_EINVAL for an empty spec, LEGATION_ENOMEM. */
LEGATION_API legation_status legation_report_data(const legation_report_spec *spec, char **json);
/* Every output's statistics of variant v ({"balance": {"n", "mean", "sd",
 * "lo", "hi", "min", "max", "q05" .. "q95"}, ...}), and the paired
 * differences of option v >= 1 (n, mean, sd, lo, hi, indep_lo, indep_hi,
 * narrowing), as in the report and `compare --json`. */
LEGATION_API legation_status legation_run_stats_json(const legation_run *run, int v, char **json);
LEGATION_API legation_status legation_run_diffs_json(const legation_run *run, int v, char **json);
/* With drawn parameters: one output across worlds ({"worlds", "mean", "lo",
 * "hi", "q05", "q50", "q95", "sd_across_worlds", "world_sd", "noise_sd",
 * "noise_lo", "noise_hi", "worlds_above_0", "worlds_below_0"}), and every
 * output of variant v across worlds ({"varied": [keys], "reps_per_world",
 * "outputs": {name: ...}}): its values, or with paired (v >= 1) its paired
 * change against the base.  LEGATION_EINVAL for a bad v. */
LEGATION_API legation_status legation_world_stat_json(const legation_world_stat *w, char **json);
LEGATION_API legation_status legation_run_worlds_json(const legation_run *run, int v, int paired,
                                                      char **json);

/* ----------------------------------------------- games and decisions (issue 12) */

/* Two-player games in normal form (a bimatrix), their Nash equilibria, the
 * zero-sum value, Gambit .nfg files; then the numerics of a decision under
 * uncertainty: replications needed for an accuracy, value of information,
 * and a noisy optimiser.  Methods, formulas and references: docs/DECISIONS.md.
 *
 * legation_game_new / legation_game_read_nfg .. legation_game_free: the
 * handle owns its payoffs, names, equilibria and error message.  Strings
 * "free with legation_free" are the caller's.
 *
 * Exactness: a game whose every payoff was given as text (an integer, a
 * decimal or a fraction "1/3", as in .nfg files) is exact: its equilibria
 * are computed in rational arithmetic (GMP) and printed as fractions.  A
 * payoff given as a double makes the game floating point (tolerance 1e-9
 * on payoffs rescaled to [1, 2]). */
typedef struct legation_game legation_game;

/* Largest size solved by support enumeration; above, Lemke-Howson. */
#define LEGATION_GAME_ENUM_MAX 12
/* Largest number of strategies per player accepted. */
#define LEGATION_GAME_MAX_STRATEGIES 200

/* A rows x cols game with all payoffs 0 (exact) and no uncertainty; rows
 * are player 1's strategies.  NULL on OOM or a size outside
 * [1, LEGATION_GAME_MAX_STRATEGIES]. */
LEGATION_API legation_game *legation_game_new(int rows, int cols);
LEGATION_API void legation_game_free(legation_game *g);
LEGATION_API int legation_game_rows(const legation_game *g);
LEGATION_API int legation_game_cols(const legation_game *g);
/* Message of the last failing call, "" if none. */
LEGATION_API const char *legation_game_errmsg(const legation_game *g);
/* Payoffs of cell (row, col) to player 1 and 2, as doubles (the game is
 * then floating point) or as exact text ("3", "-1.25", "2/3"). */
LEGATION_API legation_status legation_game_set_payoff(legation_game *g, int row, int col,
                                                      double p1, double p2);
LEGATION_API legation_status legation_game_set_payoff_text(legation_game *g, int row, int col,
                                                           const char *p1, const char *p2);
LEGATION_API legation_status legation_game_payoff(const legation_game *g, int row, int col,
                                                  double *p1, double *p2);
/* Half-widths of the cell's payoff intervals (>= 0, default 0): the true
 * payoff lies in mean +- half-width (e.g. a 95% interval from simulation). */
LEGATION_API legation_status legation_game_set_halfwidth(legation_game *g, int row, int col,
                                                         double h1, double h2);
/* Names: title, players (player 0 or 1), strategies.  Copied. */
LEGATION_API legation_status legation_game_set_title(legation_game *g, const char *title);
LEGATION_API legation_status legation_game_set_player(legation_game *g, int player,
                                                      const char *name);
LEGATION_API legation_status legation_game_set_strategy(legation_game *g, int player, int s,
                                                        const char *name);
/* Strategy or player name as set (NULL when never set; .nfg files set all). */
LEGATION_API const char *legation_game_strategy(const legation_game *g, int player, int s);
LEGATION_API const char *legation_game_player(const legation_game *g, int player);
LEGATION_API int legation_game_is_exact(const legation_game *g);

/* Parse a Gambit .nfg file (format "NFG 1 R", two players, payoff-list or
 * outcome form) from text; `name` is used in messages ("name:line:col:
 * expected ..., found ...").  *out is NULL on failure; the message goes to
 * *errmsg (free with legation_free) when errmsg is not NULL. */
LEGATION_API legation_status legation_game_read_nfg(const char *text, const char *name,
                                                    legation_game **out, char **errmsg);
/* The game as .nfg text (payoff-list form, exact fractions when exact);
 * free with legation_free.  NULL on OOM. */
LEGATION_API char *legation_game_write_nfg(const legation_game *g);

/* Compute all equilibria: the pure-strategy scan always; for games up to
 * LEGATION_GAME_ENUM_MAX x LEGATION_GAME_ENUM_MAX support enumeration (every
 * support of player 1 paired with an equal-size set of tight labels: all
 * extreme equilibria, also of degenerate games); above, Lemke-Howson from
 * every one of the rows+cols starting labels (possibly incomplete).
 * Duplicates are removed; equilibria are sorted in decreasing lexicographic
 * order of (p1, p2), so pure profiles of the first strategies come first. */
LEGATION_API legation_status legation_game_solve(legation_game *g);
typedef struct legation_game_info {
  int count;        /* equilibria found */
  int pure;         /* how many of them are pure */
  int complete;     /* 1: every extreme equilibrium was found; 0: LH */
  int degenerate;   /* 1: some mixed strategy has more pure best responses
                       than its support size */
  const char *method; /* "support-enumeration" or "lemke-howson" */
} legation_game_info;
LEGATION_API legation_status legation_game_info_get(const legation_game *g,
                                                    legation_game_info *out);
/* Equilibrium k as probabilities: p1[rows], p2[cols] (either may be NULL). */
LEGATION_API legation_status legation_game_equilibrium(const legation_game *g, int k,
                                                       double *p1, double *p2);
/* Equilibrium k as Gambit prints it: "NE,1/3,2/3,2/3,1/3" (fractions when
 * exact, else %.10g).  Free with legation_free. */
LEGATION_API char *legation_game_equilibrium_text(const legation_game *g, int k);
/* Player's expected payoff at equilibrium k as text: an exact fraction
 * ("1/7") for an exact game, else %.10g.  Free with legation_free. */
LEGATION_API char *legation_game_equilibrium_payoff_text(const legation_game *g, int k,
                                                         int player);
/* Expected payoffs of a profile (p1, p2 probability vectors). */
LEGATION_API legation_status legation_game_profile_payoff(const legation_game *g,
                                                          const double *p1, const double *p2,
                                                          double *u1, double *u2);

/* Regret of a profile given the payoff intervals. */
typedef struct legation_game_regret {
  double regret[2];     /* max gain from a pure deviation, at the means */
  double worst[2];      /* the same in the worst game within the intervals:
                           the profile is an eps-equilibrium of every such
                           game for eps = max(worst) */
  double eps[2];        /* the player's largest payoff half-width */
  int survives;         /* worst[p] <= eps[p] for both players: in every game
                           within the intervals no deviation gains more than
                           the payoffs' own uncertainty */
} legation_game_regret;
LEGATION_API legation_status legation_game_regret_get(const legation_game *g, const double *p1,
                                                      const double *p2,
                                                      legation_game_regret *out);
/* Security (max-min) value of `player` and a strategy achieving it (out
 * may be NULL), by linear programming (GLPK's simplex, then its exact
 * rational simplex for an exact game).  For a zero-sum game the value of
 * player 0 is the value of the game. */
LEGATION_API legation_status legation_game_maxmin(legation_game *g, int player, double *value,
                                                  double *strategy);
/* 1 when p1 + p2 = 0 in every cell (exactly, or within 1e-12 relative). */
LEGATION_API int legation_game_is_zero_sum(const legation_game *g);

/* Replications needed so that a mean lies within +-h of its expectation
 * with probability >= 1 - delta: Hoeffding for values in a range of width
 * `range`: n = ceil(range^2 ln(2/delta) / (2 h^2)); empirical Bernstein
 * (Maurer & Pontil 2009, two-sided) given the sample variance `var`: the
 * least n with sqrt(2 var ln(4/delta)/n) + 7 range ln(4/delta)/(3(n-1)) <= h.
 * -1 for bad arguments (h, range > 0, delta in (0,1), var >= 0). */
LEGATION_API int64_t legation_reps_hoeffding(double h, double delta, double range);
LEGATION_API int64_t legation_reps_bernstein(double h, double delta, double range, double var);

/* Value of information of a decision among K options over W worlds:
 * u[w*K + k] is option k's utility in world w (equally likely worlds, e.g.
 * Monte Carlo draws), theta[w*P + j] the value of uncertain parameter j in
 * world w. */
typedef struct legation_voi_option {
  double mean;      /* expected utility */
  double q05;       /* 5th percentile across worlds */
  double max_regret;/* max over worlds of (best utility - this one) */
  double mean_regret;
  double share_best;/* share of worlds where this option is best (ties split) */
} legation_voi_option;
/* Per option (out[K]) and EVPI = E[max_k u] - max_k E[u].  W >= 2, K >= 1. */
LEGATION_API legation_status legation_voi_options(const double *u, int W, int K,
                                                  legation_voi_option *out, double *evpi);
/* EVPPI of the parameters `cols` (ncols of the P columns) by the
 * non-parametric regression of Strong, Oakley & Brennan (2014): each
 * option's utility minus option 0's is regressed on the parameters with an
 * additive penalised cubic regression spline (P-spline, smoothing chosen by
 * GCV), and EVPPI = mean_w max_k fitted - max_k mean fitted.  The interval
 * is the 2.5-97.5% percentile over `boot` bootstrap resamples of worlds
 * (seeded; boot 0 gives lo = hi = the estimate). */
LEGATION_API legation_status legation_voi_evppi(const double *u, int W, int K, const double *theta,
                                                int P, const int *cols, int ncols, int boot,
                                                uint64_t seed, double *evppi, double *lo,
                                                double *hi);

/* Utilities: a side's utility per replication is the weighted sum
 *   own_gain * value_own + other_gain * value_other + function *
 *   function_mean_own + settled * settled + expelled * (own officers and
 *   diplomats expelled by the other side) + spiral * spiral
 * Defaults (legation_utility_default, docs/DECISIONS.md): own_gain 1,
 * other_gain -1, every other weight 0, i.e. the intelligence balance seen
 * from that side, which makes the default game zero-sum. */
typedef struct legation_utility {
  double own_gain, other_gain, function, settled, expelled, spiral;
} legation_utility;
LEGATION_API void legation_utility_default(legation_utility *u);
/* Read a utilities YAML file's text: top-level keys `a` and/or `b` (side),
 * each a mapping of the weights above (numbers; a side or weight not given
 * keeps its default).  out[2] receives both sides.  Messages go to *errmsg
 * ("name:line:col: key: expected ..., found ..."; free with legation_free). */
LEGATION_API legation_status legation_utility_load_string(const char *text, size_t len,
                                                          const char *name,
                                                          legation_utility out[2],
                                                          char **errmsg);
/* Side's utility in replication rep of a run made with keep_reps. */
LEGATION_API legation_status legation_run_utility(const legation_run *run, int64_t rep, int side,
                                                  const legation_utility *u, double *out);

/* Strategies: each side's named strategies, as parameter overrides and
 * deal steps, from YAML:
 *   a:                           # side A's strategies (the game's rows)
 *     - name: status-quo
 *     - name: countermeasures
 *       set: {states.a.ci_agents: 800, missions.b.travel_radius: 25}
 *       deal_add:
 *         - {month: 3, action: vetting, target: b, value: 0.5}
 *   b:                           # side B's (the columns)
 *     - name: comply
 * legation_strategies_load_string .. legation_strategies_free: the handle
 * owns the names and the steps. */
typedef struct legation_strategies legation_strategies;
LEGATION_API legation_status legation_strategies_load_string(const char *text, size_t len,
                                                             const char *name,
                                                             legation_strategies **out,
                                                             char **errmsg);
LEGATION_API void legation_strategies_free(legation_strategies *s);
LEGATION_API int legation_strategies_count(const legation_strategies *s, int side);
LEGATION_API const char *legation_strategies_name(const legation_strategies *s, int side, int k);
/* Apply strategy k of side to sc: every override (legation_scenario_set),
 * then the deal steps appended.  Messages (free with legation_free) name
 * the strategies file's line and column. */
LEGATION_API legation_status legation_strategies_apply(const legation_strategies *s, int side,
                                                       int k, legation_scenario *sc,
                                                       char **errmsg);

/* A noisy objective for legation_optimize: evaluate the point x (n values)
 * with `reps` replications from random seed `seed`; set *f (to minimise)
 * and c[0..m) (constraints, satisfied when <= 0).  Return nonzero to stop. */
typedef int (*legation_noisy_fn)(const double *x, int n, uint64_t seed, int64_t reps, double *f,
                                 double *c, int m, void *user);
typedef struct legation_opt_result {
  double f;          /* mean objective at x on fresh replications */
  double f_se;       /* its standard error (across fresh seeds) */
  double c_max;      /* largest constraint mean on fresh replications */
  int feasible;      /* c_max <= 0 */
  int evaluations;   /* calls during the search */
  int candidates;    /* candidates re-evaluated */
} legation_opt_result;
/* Minimise f over the box [lo, hi] subject to c <= 0 with COBYLA (NLopt):
 * every search evaluation uses the same seed (common random numbers, so the
 * search sees a deterministic function), `reps` replications; then the best
 * `candidates` points seen are re-evaluated on `fresh` new seeds each and
 * the best feasible mean wins.  x holds the start on entry (inside the
 * box) and the answer on return.  errmsg (may be NULL) gets a static text
 * on failure. */
LEGATION_API legation_status legation_optimize(legation_noisy_fn fn, void *user, int n,
                                               const double *lo, const double *hi, int m,
                                               double *x, int64_t reps, uint64_t seed,
                                               int max_evals, int candidates, int fresh,
                                               legation_opt_result *out, const char **errmsg);
/* ----------------------------------------------- scenario posts (issue 9) */

/* The posts of each mission (missions.a.posts in a scenario file): their
 * reach multiplies the recruitment chance (the mean reach of the open posts,
 * docs/MODEL.md section 3.1) and a mission with no open post cannot keep
 * staff.  Strings point into the scenario and stay valid until it changes. */
typedef struct legation_post {
  const char *name; /* "Embassy Moscow" */
  double reach;     /* 0..3 */
  int open;         /* 1 open at month 0, 0 closed */
} legation_post;
/* Posts of side's mission (side 0: A's mission in B); 0 for a bad side. */
LEGATION_API int legation_post_count(const legation_scenario *sc, int side);
LEGATION_API legation_status legation_post_get(const legation_scenario *sc, int side, int i,
                                               legation_post *out);
/* ------------------------------------------------- calibration (ABC-SMC) */

/* Approximate Bayesian computation by sequential Monte Carlo (Beaumont et
 * al. 2009, with Del Moral et al. 2012's adaptive tolerances): a population
 * of N weighted particles (parameter points) moves from the prior towards
 * the posterior given targets (observed summary statistics) through
 * generations of decreasing tolerance.  Algorithm, distance and formulas:
 * docs/CALIBRATION.md.
 *
 * legation_abc_new / legation_abc_free: the handle owns its parameters,
 * targets, particles, history and error message.  Strings it returns point
 * into it and stay valid until the handle is changed or freed.
 *
 * Determinism: candidate c of generation g draws from the counter-based
 * stream keyed by (seed, g, c), candidates are accepted in index order and
 * batches have a size fixed by N alone, so the result depends only on the
 * settings and the seed: not on threads, nor on a resume from a
 * checkpoint (bit-identical). */
typedef struct legation_abc legation_abc;

/* One calibrated parameter and its prior.  dist is one of:
 *   "uniform"     flat on [lo, hi];
 *   "loguniform"  flat in log on [lo, hi] (0 < lo < hi);
 *   "triangular"  on [lo, hi] with its peak at mode (NaN: the midpoint);
 *   "normal"      Normal(mode, sd^2) truncated to [lo, hi] (sd > 0).
 * Proposals never leave [lo, hi]. */
typedef struct legation_abc_param {
  const char *key;   /* "states.a.openness" (copied) */
  const char *dist;  /* as above (copied) */
  double lo, hi;     /* the range, lo < hi, both finite */
  double mode;       /* triangular: the peak; normal: the mean */
  double sd;         /* normal: the standard deviation; else ignored */
} legation_abc_param;

/* Simulate a batch: for each of npoints points (row-major npoints x nparams,
 * in the order the parameters were added), write the nstats summary
 * statistics (in the order of the targets) to stats (npoints x nstats).  A
 * statistic a simulation cannot define is NaN (that point is never
 * accepted).  The simulation of point k must depend only on (sim_seed, k)
 * and the point, never on threads or on other points, so that the result is
 * reproducible.  Return LEGATION_OK, or an error (message through
 * legation_abc_set_error) that stops the calibration. */
typedef legation_status (*legation_abc_eval_fn)(void *user, legation_abc *abc,
                                                const double *points, int64_t npoints,
                                                int nparams, uint64_t sim_seed,
                                                double *stats, int nstats);

LEGATION_API legation_abc *legation_abc_new(void);
LEGATION_API void legation_abc_free(legation_abc *abc);
/* Message of the last failing call, "" if none. */
LEGATION_API const char *legation_abc_errmsg(const legation_abc *abc);
/* For an evaluator: set the message returned by legation_abc_errmsg. */
LEGATION_API void legation_abc_set_error(legation_abc *abc, const char *msg);

/* Setting up (before the first generation; LEGATION_EINVAL afterwards).
 * Ranges and priors are checked: LEGATION_ERANGE with the key named. */
LEGATION_API legation_status legation_abc_add_param(legation_abc *abc,
                                                    const legation_abc_param *p);
/* A target: the observed value of statistic `name` and its standard
 * deviation sd (> 0), or NaN when unknown (the distance then scales it by
 * the spread of generation 0's simulations). */
LEGATION_API legation_status legation_abc_add_target(legation_abc *abc, const char *name,
                                                     double value, double sd);
/* Targets from YAML text, the format `legation history --stats --format
 * targets` writes:
 *   targets:
 *     - {name: moves_per_year, value: 0.44, sd: 0.1, era: 1986-2013, side: US}
 * name and value are required; sd (> 0), era and side are optional; other
 * keys are ignored (room for later fields).  A target's full name is
 * name[@era][/side] ("moves_per_year@1986-2013/US").  Every problem is
 * reported "name:line:col: ..." (LEGATION_EPARSE or LEGATION_ESCHEMA). */
LEGATION_API legation_status legation_abc_load_targets(legation_abc *abc, const char *text,
                                                       size_t len, const char *name);
LEGATION_API legation_status legation_abc_set_particles(legation_abc *abc, int64_t n);
/* Maximum generations, including generation 0 drawn from the prior. */
LEGATION_API legation_status legation_abc_set_generations(legation_abc *abc, int g);
LEGATION_API legation_status legation_abc_set_seed(legation_abc *abc, uint64_t seed);
/* Tolerance of generation g+1: the alpha-quantile (0 < alpha < 1, default
 * 0.5) of generation g's weighted distances. */
LEGATION_API legation_status legation_abc_set_alpha(legation_abc *abc, double alpha);
/* Stop once a generation ran at a tolerance <= eps (default 0). */
LEGATION_API legation_status legation_abc_set_min_tolerance(legation_abc *abc, double eps);
/* Stop when a generation's acceptance rate falls below r (default 0.001);
 * a generation that would need more than N / r candidates is abandoned and
 * the previous one is the result. */
LEGATION_API legation_status legation_abc_set_min_acceptance(legation_abc *abc, double r);
/* Threads for the built-in models' evaluator (0 = one per online core).
 * The result does not depend on it. */
LEGATION_API legation_status legation_abc_set_threads(legation_abc *abc, int threads);
LEGATION_API void legation_abc_set_evaluator(legation_abc *abc, legation_abc_eval_fn fn,
                                             void *user);
/* Called with (accepted, N) as a generation fills; nonzero stops the
 * generation (LEGATION_EINTR; the last complete generation is kept). */
LEGATION_API void legation_abc_set_progress(legation_abc *abc, legation_progress_fn fn,
                                            void *user);

/* Built-in analytic test models (docs/CALIBRATION.md), which set their
 * parameters, priors, observed data as targets and evaluator:
 *   "test:beta-binomial"  p ~ uniform[0,1]; 6 successes in 20 Binomial(20, p);
 *                         the posterior is Beta(7, 15);
 *   "test:normal"         mu ~ Normal(0, 1) (truncated to [-10, 10]); the mean
 *                         of 10 draws N(mu, 1) observed 1.5; the posterior is
 *                         Normal(15/11, 1/11);
 *   "test:unidentifiable" a, b ~ uniform[0,1]; y ~ Normal(a, 0.05^2) observed
 *                         0.3; b does not enter, its posterior is its prior.
 * keys (NULL = all) selects the model's parameters to calibrate; the others
 * stay at their midpoints.  LEGATION_ENOTFOUND for an unknown name or key. */
LEGATION_API legation_status legation_abc_use_test_model(legation_abc *abc, const char *name,
                                                         const char *const *keys, int nkeys);
/* Names of the built-in test models (i from 0; NULL past the end). */
LEGATION_API const char *legation_abc_test_model_name(int i);
/* Calibrate scenario sc's parameters `keys` (NULL: those marked uncertain)
 * against the targets (added before) with reps_per_point replications per
 * point.  Targets naming an era (name@FROM-TO) are simulated over that
 * era's months, whatever sc's horizon; targets of eras of different
 * lengths are refused (LEGATION_EINVAL). */
LEGATION_API legation_status legation_abc_use_scenario(legation_abc *abc,
                                                       const legation_scenario *sc,
                                                       const char *const *keys, int nkeys,
                                                       int64_t reps_per_point);

/* Run one generation.  LEGATION_OK when it completed (or when the
 * calibration was already finished: see legation_abc_done), LEGATION_EINTR
 * when the progress callback stopped it, else an error. */
LEGATION_API legation_status legation_abc_step(legation_abc *abc);
/* Generations until done; same statuses. */
LEGATION_API legation_status legation_abc_run(legation_abc *abc);
/* Why the calibration is finished: NULL while it is not, else a static
 * sentence ("reached the minimum tolerance", ...). */
LEGATION_API const char *legation_abc_done(const legation_abc *abc);

/* What happened in generation g (0 .. legation_abc_generations_done - 1). */
typedef struct legation_abc_generation {
  int generation;
  double tolerance;     /* INFINITY for generation 0 */
  int64_t simulations;  /* candidates simulated */
  int64_t accepted;     /* = N */
  double acceptance;    /* accepted / candidates up to the N-th acceptance */
  double ess;           /* effective sample size (sum w)^2 / sum w^2 */
  double seconds;       /* wall time of the generation */
} legation_abc_generation;
LEGATION_API int legation_abc_generations_done(const legation_abc *abc);
LEGATION_API legation_status legation_abc_generation_get(const legation_abc *abc, int g,
                                                         legation_abc_generation *out);

LEGATION_API int legation_abc_param_count(const legation_abc *abc);
LEGATION_API legation_status legation_abc_param_get(const legation_abc *abc, int i,
                                                    legation_abc_param *out);
LEGATION_API int legation_abc_target_count(const legation_abc *abc);
/* Target i: full name, value, sd (NaN if not given) and the scale the
 * distance uses (NaN until generation 0 has run). */
LEGATION_API legation_status legation_abc_target_get(const legation_abc *abc, int i,
                                                     const char **name, double *value,
                                                     double *sd, double *scale);
LEGATION_API int64_t legation_abc_particles(const legation_abc *abc);
/* The current population (the last complete generation): particle i's
 * parameters (nparams values, owned by the handle), normalised weight,
 * distance and summary statistics (ntargets values). */
LEGATION_API legation_status legation_abc_particle(const legation_abc *abc, int64_t i,
                                                   const double **theta, double *weight,
                                                   double *distance, const double **stats);

/* Marginal posterior of parameter i against its prior.  learned = 1 -
 * (q95 - q05) / (prior_q95 - prior_q05): 0 when the targets say nothing
 * about the parameter, near 1 when they pin it down. */
typedef struct legation_abc_marginal {
  double mean, sd;             /* weighted */
  double q05, q50, q95;        /* weighted quantiles */
  double prior_mean, prior_q05, prior_q95;
  double learned;
} legation_abc_marginal;
LEGATION_API legation_status legation_abc_marginal_get(const legation_abc *abc, int i,
                                                       legation_abc_marginal *out);

/* The state after the last complete generation (settings fingerprint,
 * particles, weights, distances, statistics, tolerance, history) as an
 * opaque byte string; free with legation_free. */
LEGATION_API legation_status legation_abc_checkpoint(const legation_abc *abc, void **buf,
                                                     size_t *len);
/* Load a checkpoint into a handle set up the same way (else
 * LEGATION_EINVAL); the next legation_abc_step continues where it left off
 * and the result is bit-identical to an uninterrupted calibration. */
LEGATION_API legation_status legation_abc_restore(legation_abc *abc, const void *buf,
                                                  size_t len);


/* Calibrations in the results store (schema version 3; docs/STORE.md):
 * legation_store_calib_begin records a new one (status "running") with
 * its priors and targets; legation_store_calib_save, called after each
 * generation, stores the generations not yet stored, the newest
 * generation's weighted particles (table posterior) and the checkpoint in
 * one transaction; legation_store_calib_finish sets the status.  Strings
 * in legation_store_calib stay valid until the next call on the store. */
typedef struct legation_store_calib_meta {
  const char *scenario;       /* operand: "test:normal", a built-in or a path */
  const char *scenario_text;  /* YAML of a real scenario, else NULL */
  size_t scenario_len;
  const char *targets_origin; /* --targets path, else NULL */
  const char *targets_text;   /* its text, else NULL */
  size_t targets_len;
  const char *params;         /* --params as given, "" for all or --uncertain */
  uint64_t seed;
  int generations;            /* maximum asked for */
  int threads;
  double min_tolerance;       /* as asked for, NaN for the default */
  double min_acceptance;      /* as asked for, NaN for the default */
} legation_store_calib_meta;
LEGATION_API legation_status legation_store_calib_begin(legation_store *st,
                                                        const legation_abc *abc,
                                                        const legation_store_calib_meta *m,
                                                        int64_t *id);
LEGATION_API legation_status legation_store_calib_save(legation_store *st, int64_t id,
                                                       const legation_abc *abc);
/* "complete" for LEGATION_OK, "incomplete" for LEGATION_EINTR, else
 * "failed" with the message error. */
LEGATION_API legation_status legation_store_calib_finish(legation_store *st, int64_t id,
                                                         legation_status status,
                                                         const char *error);
typedef struct legation_store_calib {
  int64_t id;
  const char *status;         /* as legation_store_run's, stale rows "incomplete" */
  int stale;
  const char *created;
  const char *scenario, *scenario_text;
  size_t scenario_len;
  const char *targets_origin, *targets_text;
  size_t targets_len;
  const char *params;
  uint64_t seed;
  int64_t particles;
  int generations, threads;
  double min_tolerance;       /* NaN: the default */
  double min_acceptance;      /* NaN: the default */
  const char *version, *error;
  int generations_done;
  const char *stopped;        /* why it stopped (legation_abc_done), or "" */
  const void *checkpoint;     /* legation_abc_checkpoint's bytes, or NULL */
  size_t checkpoint_len;
  double seconds;             /* in generations, all sessions */
} legation_store_calib;
/* LEGATION_ENOTFOUND if there is no calibration id. */
LEGATION_API legation_status legation_store_calib_get(legation_store *st, int64_t id,
                                                      legation_store_calib *out);
/* Note that calibration id's process is alive (from a progress callback,
 * at most every minute or so): a "running" row not updated for 10 minutes
 * reads as stale, and a generation of a real model may take longer. */
LEGATION_API legation_status legation_store_calib_touch(legation_store *st, int64_t id);
/* Called once per calibration, newest first (the strings valid during the
 * call); return nonzero to stop (LEGATION_EINTR). */
typedef int (*legation_store_calib_fn)(void *user, const legation_store_calib *c);
LEGATION_API legation_status legation_store_calib_list(legation_store *st,
                                                       legation_store_calib_fn fn, void *user);
/* Mark calibration id running again in this process; LEGATION_EINVAL for
 * a complete one or one whose process is alive. */
LEGATION_API legation_status legation_store_calib_resume(legation_store *st, int64_t id);
/* The posterior of calibration id, its last stored generation: nparams
 * parameter keys and nparticles particles (values row-major, nparticles x
 * nparams) with normalised weights.  The arrays and each key are malloc'd:
 * free each key, then keys, values and weights with legation_free.
 * LEGATION_ENOTFOUND when the calibration stored no posterior. */
LEGATION_API legation_status legation_store_calib_posterior(legation_store *st, int64_t id,
                                                            int *nparams, char ***keys,
                                                            int64_t *nparticles, double **values,
                                                            double **weights);
/* ------------------------------------------- sensitivity and scenario discovery */

/* A study asks which uncertain inputs ("factors") drive each output, and in
 * which region of them a condition on the outputs holds.  It holds the
 * factors (each a range and a distribution), optional groups of factors,
 * the outputs and an evaluator that computes the outputs at design points;
 * on it run the Sobol analysis (Saltelli sampling, Saltelli 2010 first-order
 * and Jansen total-order estimators, bootstrap intervals, the replication
 * noise as its own term), Morris elementary effects, and PRIM scenario
 * discovery.  Formulas and references: docs/SENSITIVITY.md.
 *
 * legation_study_new / legation_study_free: the study owns its factors,
 * groups, outputs, results and messages; the evaluator's user pointer is
 * borrowed.  Strings returned point into the study and stay valid until it
 * is changed or freed.  Memory: the Sobol analysis keeps one mean per design
 * point and output (8 (G+2) N outputs bytes), never the replications. */
typedef struct legation_study legation_study;

/* Most factors a Sobol study takes: its design uses 2 per factor of the
 * 1111 dimensions of the Joe & Kuo direction numbers compiled in. */
#define LEGATION_STUDY_MAX_FACTORS 555

/* Evaluate the outputs at npoints points (row-major npoints x nfactors, in
 * natural units: the factors' own values, not the unit cube), reps
 * replications each, into out: row p * reps + r holds the noutputs values of
 * replication r at point p (NaN where undefined).  Replication r of every
 * point must draw the same random numbers (common random numbers), fixed by
 * seed and r.  Return LEGATION_OK, or a status with a message written to
 * err (errsz bytes).  Called from the thread that runs the analysis. */
typedef legation_status (*legation_eval_fn)(void *user, const double *points, int64_t npoints,
                                            int nfactors, int64_t reps, uint64_t seed,
                                            double *out, int noutputs, char *err,
                                            size_t errsz);

LEGATION_API legation_study *legation_study_new(void);
LEGATION_API void legation_study_free(legation_study *s);
/* Message of the last failing call ("" if none). */
LEGATION_API const char *legation_study_errmsg(const legation_study *s);

/* Add a factor: its name (a parameter key), range lo < hi and distribution
 * "uniform", "loguniform" (0 < lo) or "triangular" (mode in [lo, hi]; mode
 * is ignored otherwise).  LEGATION_ERANGE for a bad range, LEGATION_EINVAL
 * for an unknown distribution, a duplicate name or too many factors. */
LEGATION_API legation_status legation_study_add_factor(legation_study *s, const char *name,
                                                       double lo, double hi, double mode,
                                                       const char *dist);
LEGATION_API int legation_study_factor_count(const legation_study *s);
LEGATION_API const char *legation_study_factor_name(const legation_study *s, int i);
/* The factor's range and distribution name. */
LEGATION_API legation_status legation_study_factor_range(const legation_study *s, int i,
                                                         double *lo, double *hi,
                                                         const char **dist);

/* Groups: the Sobol analysis then gives one pair of indices per group
 * (its factors' columns swapped together).  A factor in no group is a group
 * of its own.  Add after the factors.  The groups file has one group a
 * line, "NAME: factor, factor, ...", '#' starting a comment; every problem
 * is reported as file:line:col. */
LEGATION_API legation_status legation_study_add_group(legation_study *s, const char *name,
                                                      const char *const *factors, int n);
LEGATION_API legation_status legation_study_load_groups(legation_study *s, const char *path);
/* The same from text (len bytes, lines as in the file; a front end's
 * upload), its messages as name:line:col. */
LEGATION_API legation_status legation_study_parse_groups(legation_study *s, const char *text,
                                                         size_t len, const char *name);
/* Groups as analysed: the named ones, then one per ungrouped factor. */
LEGATION_API int legation_study_group_count(const legation_study *s);
LEGATION_API const char *legation_study_group_name(const legation_study *s, int g);
/* Factors of group g: their count, and factor j of it. */
LEGATION_API int legation_study_group_size(const legation_study *s, int g);
LEGATION_API int legation_study_group_factor(const legation_study *s, int g, int j);

/* The outputs (names copied) and the evaluator. */
LEGATION_API legation_status legation_study_set_evaluator(legation_study *s,
                                                          const char *const *outputs,
                                                          int noutputs, legation_eval_fn fn,
                                                          void *user);
LEGATION_API int legation_study_output_count(const legation_study *s);
LEGATION_API const char *legation_study_output_name(const legation_study *s, int o);
LEGATION_API int legation_study_output_find(const legation_study *s, const char *name);

/* Built-in analytic test models, evaluated through the same code path:
 * "test:ishigami", "test:ishigami-noise", "test:gfunction", "test:gfunction60",
 * "test:linear", "test:box".  legation_study_use_test sets a new study's factors, outputs
 * and evaluator (LEGATION_ENOTFOUND for an unknown name). */
LEGATION_API int legation_test_model_count(void);
LEGATION_API const char *legation_test_model_name(int i);
LEGATION_API const char *legation_test_model_description(int i);
LEGATION_API legation_status legation_study_use_test(legation_study *s, const char *name);

/* Settings: seed (default 1: it fixes the design's random digital shift,
 * the bootstrap, the Morris trajectories and the PRIM split), replications
 * per point (default 1), bootstrap resamples (default 1000), progress
 * (called with evaluations done and planned; nonzero stops the analysis,
 * which then returns LEGATION_EINTR with the results of what finished). */
LEGATION_API legation_status legation_study_set_seed(legation_study *s, uint64_t seed);
LEGATION_API legation_status legation_study_set_reps(legation_study *s, int64_t reps);
LEGATION_API legation_status legation_study_set_bootstrap(legation_study *s, int resamples);
LEGATION_API void legation_study_set_progress(legation_study *s, legation_progress_fn fn,
                                              void *user);

/* Sobol analysis with n base points (N; the design has N (G+2) points for G
 * groups, each evaluated reps times; N a power of two is best).  On
 * LEGATION_EINTR the indices cover the base points that finished
 * (legation_study_var.points). */
LEGATION_API legation_status legation_study_sobol(legation_study *s, int64_t n);

/* Variance of an output over the design and the replication noise in it. */
typedef struct legation_study_var {
  int64_t points;      /* base points used (N, or fewer after EINTR) */
  int64_t evaluations; /* replications run in all */
  double mean, var;    /* over the A and B points' means (each the mean of
                          reps replications) */
  double noise_var;    /* mean within-point variance / reps: the part of var
                          that replication noise contributes (0 if reps 1) */
  double noise_share;  /* noise_var / var: the noise's own term */
} legation_study_var;
LEGATION_API legation_status legation_study_output_var(const legation_study *s, int output,
                                                       legation_study_var *out);

/* Indices of group g for an output, with percentile bootstrap 95% intervals. */
typedef struct legation_sobol_index {
  double s1, s1_lo, s1_hi; /* first order (Saltelli 2010) */
  double st, st_lo, st_hi; /* total order (Jansen) */
} legation_sobol_index;
LEGATION_API legation_status legation_study_sobol_index(const legation_study *s, int output,
                                                        int group, legation_sobol_index *out);

/* Morris elementary effects: r trajectories on a grid of `levels` levels
 * (even, >= 2; jump levels / (2 (levels - 1))).  Effects are in output
 * units per whole range of the factor.  Not with groups (EINVAL). */
LEGATION_API legation_status legation_study_morris(legation_study *s, int r, int levels);
typedef struct legation_morris_index {
  double mu, mu_star, sigma;     /* mean, mean of |effect|, sd of effect */
  double mu_star_lo, mu_star_hi; /* bootstrap 95% interval of mu_star */
  int64_t n;                     /* effects with a defined value */
} legation_morris_index;
LEGATION_API legation_status legation_study_morris_index(const legation_study *s, int output,
                                                         int factor,
                                                         legation_morris_index *out);

/* PRIM scenario discovery.  `where` is "OUTPUT OP NUMBER" (OP one of < <=
 * > >=), tested on each point's mean over its replications; npoints points
 * (a shifted Sobol design) are split at random into halves: PRIM peels
 * (alpha of the box's points at a time, to min_mass of the half) and pastes
 * on one half, and the chosen box is checked on the other. */
typedef struct legation_prim_options {
  double alpha;     /* peeling and pasting fraction (default 0.05) */
  double min_mass;  /* stop peeling below this share of points (0.05) */
  double threshold; /* chosen box: the first on the trajectory whose
                       density reaches this (0.8); else the densest */
  int box;          /* >= 0: choose this step of the trajectory instead */
} legation_prim_options;
/* Defaults into *opt. */
LEGATION_API void legation_prim_defaults(legation_prim_options *opt);
LEGATION_API legation_status legation_study_discover(legation_study *s, const char *where,
                                                     int64_t npoints,
                                                     const legation_prim_options *opt);
/* Check a condition as legation_study_discover would, against the study's
 * outputs, without running (a front end refusing a request early); the
 * same statuses and messages ("--where: column C: ..."). */
LEGATION_API legation_status legation_study_check_where(legation_study *s, const char *where);
/* Step i of the peeling trajectory (0 = every point), on the training half. */
typedef struct legation_prim_step {
  double coverage;  /* share of the points of interest inside the box */
  double density;   /* share of the box's points that are of interest */
  double mass;      /* share of the points inside the box */
  int restricted;   /* factors whose range the box narrows */
} legation_prim_step;
LEGATION_API int legation_study_prim_steps(const legation_study *s);
LEGATION_API legation_status legation_study_prim_step(const legation_study *s, int i,
                                                      legation_prim_step *out);
/* Bounds of factor f in the box of step i (natural units). */
LEGATION_API legation_status legation_study_prim_step_bounds(const legation_study *s, int i,
                                                             int f, double *lo, double *hi);
/* The chosen box, after pasting. */
typedef struct legation_prim_box {
  int step;                          /* trajectory step it was chosen from */
  int64_t n_train, n_test;           /* points in each half */
  int64_t interest_train, interest_test; /* points of interest in each half */
  legation_prim_step train, test;    /* the box on each half */
} legation_prim_box;
LEGATION_API legation_status legation_study_prim_box(const legation_study *s,
                                                     legation_prim_box *out);
/* Factor f in the chosen box: restricted or not, bounds, and the
 * significance of the restriction: the hypergeometric probability of at
 * least the box's points of interest when the restriction is dropped
 * (small = the restriction matters; 1 for an unrestricted factor). */
typedef struct legation_prim_bound {
  int restricted;
  double lo, hi;
  double p_value;
} legation_prim_bound;
LEGATION_API legation_status legation_study_prim_bound(const legation_study *s, int f,
                                                       legation_prim_bound *out);
/* The sampled points of the last discovery (0 if none) and point p: its
 * factors' values into x (legation_study_factor_count of them, natural
 * units) and *holds 1 if the condition holds there, 0 if not, -1 if the
 * output was undefined (left out of PRIM). */
LEGATION_API int64_t legation_study_prim_points(const legation_study *s);
LEGATION_API legation_status legation_study_prim_point(const legation_study *s, int64_t p,
                                                       double *x, int *holds);

/* Streaming and resuming a study.  Every analysis evaluates its design
 * points in a fixed order (point 0, 1, ...; a pure function of the
 * settings and the seed), in blocks.  After each block the point sink
 * (if set) gets the block's points: their index range, factor values,
 * each output's mean over the replications, within-point variance (NaN
 * with fewer than two defined values) and count of defined values.  A
 * nonzero return stops the analysis as the progress callback does.
 * legation_study_restore_points gives the study the first npoints points
 * of an earlier analysis with the same settings (arrays npoints x
 * noutputs, copied); the next analysis takes them instead of evaluating
 * them, so its results are bit-identical to an uninterrupted analysis.
 * A restore is consumed by the next analysis. */
typedef struct legation_study_block {
  int64_t first, count;   /* points first .. first + count - 1 */
  int nfactors, noutputs;
  const double *x;        /* count x nfactors, natural units */
  const double *mean;     /* count x noutputs */
  const double *var;      /* count x noutputs */
  const int64_t *n;       /* count x noutputs */
  int64_t points_per_row; /* points of one design row: G+2 (Sobol), k+1
                             (Morris), 1 (PRIM) */
  int64_t evaluations;    /* replications done, restored ones included */
} legation_study_block;
typedef int (*legation_study_sink_fn)(void *user, const legation_study_block *b);
LEGATION_API void legation_study_set_point_sink(legation_study *s, legation_study_sink_fn fn,
                                                void *user);
LEGATION_API legation_status legation_study_restore_points(legation_study *s, int64_t npoints,
                                                           const double *mean,
                                                           const double *var,
                                                           const int64_t *n);
/* Points the last analysis planned and those it has (evaluated or
 * restored). */
LEGATION_API int64_t legation_study_points_planned(const legation_study *s);
LEGATION_API int64_t legation_study_points_done(const legation_study *s);

/* A scenario as the study's model (src/analysis/study_scenario.c), the
 * same for every front end (`legation sensitivity` and `discover`, the
 * server's study jobs).  legation_study_use_scenario sets a new study's
 * factors, outputs and evaluator:
 * - factors: the parameters listed in `params` ("K,K,...", each needing a
 *   numeric plausible range), or with params NULL every parameter marked
 *   uncertain (not fixed, not a weighted choice), each over its plausible
 *   range and distribution; whole-number parameters are rounded;
 * - with a posterior (a stored calibration's weighted particles, copied)
 *   its parameters become the one factor "posterior", last, whose value
 *   u in [0, 1] picks the particle where the weights' cumulative share
 *   first exceeds u, so that their dependence is kept;
 * - outputs: every legation_output of base; with an option (a variant run
 *   under the same random numbers) then each output's paired change
 *   "OUTPUT_change" (option minus base), legation_study_base_outputs
 *   telling where the changes start;
 * - the evaluator runs all of an evaluation's points x replications as one
 *   design run (legation_run_set_points, all cores).
 * base and option are copied (the caller keeps and frees its own); name is
 * the scenario as the user named it, for messages (NULL: base's name).
 * Messages name the CLI's options (--params, --posterior) as the
 * scenario loader's name --set.  LEGATION_EINVAL for a request that cannot
 * be (a calibrated parameter listed in params, a study that already has a
 * model), LEGATION_ERANGE or LEGATION_ENOTFOUND for what the scenario or
 * posterior does not allow (no plausible range, an unknown key, no
 * uncertain parameter, bad weights), LEGATION_ENOMEM, LEGATION_EINTERNAL;
 * the message is on s.  Replications per point a front end should default
 * to: LEGATION_STUDY_SCENARIO_REPS. */
#define LEGATION_STUDY_SCENARIO_REPS 20
typedef struct legation_study_posterior {
  int64_t id;               /* the calibration's stored run id (messages, the note) */
  int nkeys;                /* calibrated parameters */
  const char *const *keys;  /* their keys */
  int64_t n;                /* particles */
  const double *values;     /* n x nkeys */
  const double *weights;    /* n, finite, >= 0, not all 0 */
} legation_study_posterior;
LEGATION_API legation_status legation_study_use_scenario(legation_study *s,
                                                         const legation_scenario *base,
                                                         const legation_scenario *option,
                                                         const char *params,
                                                         const legation_study_posterior *posterior,
                                                         const char *name);
/* Outputs before an option's changes (all of them without an option). */
LEGATION_API int legation_study_base_outputs(const legation_study *s);
/* A sentence saying which parameters come from the posterior (as the CLI
 * prints it under the tables) into buf; 1, or 0 and "" without one. */
LEGATION_API int legation_study_posterior_note(const legation_study *s, char *buf, size_t n);

/* What a study was asked (the front end's options), for its '@' settings
 * in the store: legation_study_settings makes the lines a stored study
 * keeps among its overrides ("@study=KIND", the method or condition, the
 * replications, params, posterior, the named groups of s), in the order
 * `legation sensitivity`/`discover` store them and `--resume` reads them
 * back.  *lines is a malloc'd array of n malloc'd strings: free with
 * legation_study_settings_free. */
typedef struct legation_study_request {
  const char *kind;     /* "sensitivity" or "discover" */
  const char *method;   /* sensitivity: "sobol" (NULL) or "morris" */
  int64_t n, levels;    /* sensitivity: as given, 0 for the default */
  const char *where;    /* discover: "OUTPUT OP NUMBER" */
  int64_t points;       /* discover: 0 for the default */
  double threshold;     /* discover: < 0 for the default */
  int64_t box;          /* discover: 0 for the default */
  int64_t reps;         /* replications per point */
  const char *params;   /* as given, NULL for the uncertain parameters */
  int64_t posterior;    /* the calibration's id, 0 for none */
} legation_study_request;
LEGATION_API legation_status legation_study_settings(const legation_study *s,
                                                     const legation_study_request *r,
                                                     char ***lines, int *n);
LEGATION_API void legation_study_settings_free(char **lines, int n);

/* A study in the results store (docs/STORE.md, "Studies").  It is a run
 * row begun with legation_store_begin (the run describing its scenarios,
 * never executed; its settings as '@' overrides); then
 * legation_store_study_block saves each block of points (point_output
 * with the exact variance, point_param for the first `keep_params` points
 * of each design row, factor names `keys`) with the replications done, in
 * one transaction, so the stored points are always a prefix; outputs
 * nbase and on are an option's paired changes (variant 1, diff 1).
 * legation_store_study_resume marks incomplete study id running again and
 * records into it; legation_store_study_load reads its stored prefix
 * (arrays malloc'd, freed with legation_free; npoints 0 for none);
 * legation_store_study_finish sets the status (LEGATION_OK complete,
 * LEGATION_EINTR incomplete, else failed with error). */
LEGATION_API legation_status legation_store_study_block(legation_store *st,
                                                        const legation_study_block *b,
                                                        int nbase, int64_t keep_params,
                                                        const char *const *keys);
LEGATION_API legation_status legation_store_study_resume(legation_store *st, int64_t id);
LEGATION_API legation_status legation_store_study_load(legation_store *st, int64_t id, int nbase,
                                                       int noutputs, int64_t *npoints,
                                                       double **mean, double **var,
                                                       int64_t **n);
LEGATION_API legation_status legation_store_study_finish(legation_store *st,
                                                         legation_status status,
                                                         int64_t evaluations, const char *error);
/* ============================================ issue 10: posts, new pairs */

/* A mission's posts: legation_post_count / legation_post_get above. */

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

/* ---------------------------------------------- history: targets (issue 9) */

/* Summary statistics of the record between two countries, per acting side
 * and era, for comparison with the model and for calibration: docs/TARGETS.md
 * defines each one, its interval and what the record leaves out.  Every
 * interval is a 90% interval; sd is the interval's half-width / 1.645 (NAN
 * for descriptive statistics with no sampling model). */
typedef struct legation_history_stat {
  const char *name;   /* "moves_per_year", "persons_per_move_median", ... */
  const char *side;   /* code of the acting country ("US"), whose acts are counted */
  int from, to;       /* the era (or decade), years inclusive */
  double value;       /* NAN when the era holds nothing to compute it from */
  double lo, hi;      /* 90% interval, NAN when none */
  double sd;          /* standard error for a scaled distance, NAN when none */
  int n;              /* the count it rests on (moves, answers, caps, arrests) */
  const char *unit;   /* "moves/year", "persons", "share", "months", ... */
  const char *method; /* "poisson", "compound-poisson", "wilson", "order", "none" */
} legation_history_stat;

/* Compute the statistics of the loaded record for countries a and b (names
 * or codes as legation_history_involves takes them) over years from..to;
 * they replace the handle's previous statistics.  LEGATION_EINVAL for an
 * unknown or repeated country or from > to (message on the handle). */
LEGATION_API legation_status legation_history_stats(legation_history *h, const char *a,
                                                    const char *b, int from, int to);
/* The statistics of the last legation_history_stats call, in a fixed order
 * (per side a then b: expulsions, answers, other currency, caps; then the
 * source arrests of FACTS.md when the pair is US-RU).  Strings are static. */
LEGATION_API int legation_history_stat_count(const legation_history *h);
LEGATION_API legation_status legation_history_stat_get(const legation_history *h, int i,
                                                       legation_history_stat *out);

#ifdef __cplusplus
}
#endif
#endif /* LEGATION_H */
