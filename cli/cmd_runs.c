/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd_runs.c - the results store in the CLI: where it is (--db,
 * $LEGATION_DB, ./legation.db), the options and messages of recording
 * `run`, `compare` and `sweep` into it (the recording itself is a
 * legation_session, src/store/session.c: the row, checkpoints,
 * --keep-reps and --store-events, --resume), and the commands that read
 * it: `runs` (list), `runs show ID` (the summary `run` prints, rebuilt from
 * the stored checkpoint) and `export ID` (tidy CSV or JSON).
 */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"

/* ------------------------------------------------------------ the store */

const char *cli_store_path(const cli_args *a) {
  if (a->db) return a->db;
  const char *env = getenv("LEGATION_DB");
  return env && *env ? env : CLI_DEFAULT_DB;
}

int cli_store_open(const cli_args *a, const char *cmd, int create, legation_store **out) {
  struct stat sb;
  *out = NULL;
  if (!create && stat(cli_store_path(a), &sb) != 0) {
    /* reading a store that is not there must not create an empty one */
    cli_err("%s: no results store at '%s' (see --db)", cmd, cli_store_path(a));
    return CLI_EXIT_IO;
  }
  legation_status s = legation_store_open(cli_store_path(a), out);
  if (s == LEGATION_OK) return CLI_EXIT_OK;
  cli_err("%s: results store %s", cmd, legation_store_errmsg(*out));
  legation_store_close(*out);
  *out = NULL;
  return cli_exit_for(s);
}

int cli_parse_run_id(const cli_args *a, const char *s, int64_t *id) {
  uint64_t u;
  if (cli_parse_u64(s, &u) != 0 || u < 1 || u > INT64_MAX)
    return cli_usage_error(a->cmd, "expected a run id (see 'legation runs'), found '%s'", s);
  *id = (int64_t)u;
  return CLI_EXIT_OK;
}

/* A library failure on the store: its message, the exit code. */
static int store_failed(const char *cmd, legation_store *st, legation_status s) {
  cli_err("%s: %s", cmd, legation_store_errmsg(st));
  return cli_exit_for(s);
}

/* The command that resumes each legation_stored_kind. */
/* By legation_stored_kind: the command that resumes it. */
static const char *const resume_by[] = {"run",         "compare",     "sweep",
                                        "sensitivity", "sensitivity", "discover"};

/* ---------------------------------------------------- recording a run */

int cli_store_rebuild(cli_store_rec *rec, const cli_args *a, legation_run **run) {
  memset(rec, 0, sizeof *rec);
  rec->cmd = a->cmd->name;
  rec->reps = a->reps;
  rec->quiet = a->given[CLI_OPT_QUIET] != 0;
  if (!a->resume) return CLI_EXIT_OK;
  static const struct {
    cli_opt_id id;
    const char *name;
  } refused[] = {{CLI_OPT_REPS, "--reps"},         {CLI_OPT_SEED, "--seed"},
                 {CLI_OPT_MONTHS, "--months"},     {CLI_OPT_SET, "--set"},
                 {CLI_OPT_NO_STORE, "--no-store"}, {CLI_OPT_KEEP_REPS, "--keep-reps"},
                 {CLI_OPT_STORE_EVENTS, "--store-events"}};
  for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
    if (a->given[refused[i].id])
      return cli_usage_error(a->cmd, "--resume takes the run's own settings; %s cannot be given",
                             refused[i].name);
  if (a->npos)
    return cli_usage_error(a->cmd, "--resume takes the run's own scenario; '%s' cannot be given",
                           a->pos[0]);
  int rc = cli_store_open(a, rec->cmd, 0, &rec->st);
  if (rc) return rc;
  rec->path = cli_store_path(a);
  legation_store_run info;
  legation_status s = legation_store_get(rec->st, a->resume, &info);
  if (s == LEGATION_OK) {
    /* a sweep is resumed by sweep, a comparison by compare (its
     * scorecard), a run by run */
    int kind = (int)legation_store_run_kind(&info);
    if (kind >= LEGATION_STORED_SOBOL) {
      cli_err("%s: run %lld is a %s study; resume it with 'legation %s --resume %lld'", rec->cmd,
              (long long)a->resume, legation_stored_kind_name(kind), resume_by[kind],
              (long long)a->resume);
      legation_store_close(rec->st);
      rec->st = NULL;
      return CLI_EXIT_USAGE;
    }
    int want = a->cmd->bit == CLI_CMD_SWEEP ? 2 : a->cmd->bit == CLI_CMD_COMPARE;
    static const char *const what[] = {"a run of one scenario", "a comparison", "a sweep"};
    if (kind != want) {
      cli_err("%s: run %lld is %s; resume it with 'legation %s --resume %lld%s%s'", rec->cmd,
              (long long)a->resume, what[kind], legation_stored_kind_name(kind),
              (long long)a->resume, strcmp(rec->path, CLI_DEFAULT_DB) ? " --db " : "",
              strcmp(rec->path, CLI_DEFAULT_DB) ? rec->path : "");
      legation_store_close(rec->st);
      rec->st = NULL;
      return CLI_EXIT_USAGE;
    }
    /* nothing to resume: a usage error, as is any wrong operand */
    int complete = strcmp(info.status, "complete") == 0;
    if (complete || strcmp(info.status, "failed") == 0) {
      if (complete)
        cli_err("%s: run %lld is complete; there is nothing to resume (see 'legation runs "
                "show %lld')", rec->cmd, (long long)a->resume, (long long)a->resume);
      else
        cli_err("%s: run %lld failed (%s); it cannot be resumed", rec->cmd,
                (long long)a->resume, info.error);
      legation_store_close(rec->st);
      rec->st = NULL;
      return CLI_EXIT_USAGE;
    }
    rec->reps = info.reps_requested;
    s = legation_store_rebuild(rec->st, a->resume, run);
  }
  if (s == LEGATION_OK && a->given[CLI_OPT_THREADS]) s = legation_run_set_threads(*run, a->threads);
  if (s != LEGATION_OK) {
    rc = store_failed(rec->cmd, rec->st, s);
    legation_run_free(*run);
    *run = NULL;
    legation_store_close(rec->st);
    rec->st = NULL;
    return rc;
  }
  /* the session records the resumed run into this store (cli_store_begin) */
  if (!(rec->ses = legation_session_new(rec->st))) {
    rec->st = NULL;
    legation_run_free(*run);
    *run = NULL;
    cli_err("out of memory");
    return CLI_EXIT_RUN;
  }
  return CLI_EXIT_OK;
}

/* "kept as run N in PATH up to its last checkpoint" after a store failure. */
static void kept_hint(const cli_store_rec *rec) {
  cli_err("%s: kept as run %lld in %s up to its last checkpoint; once the store can be "
          "written, finish it with 'legation %s --resume %lld%s%s'",
          rec->cmd, (long long)rec->id, rec->path, rec->cmd, (long long)rec->id,
          strcmp(rec->path, CLI_DEFAULT_DB) ? " --db " : "",
          strcmp(rec->path, CLI_DEFAULT_DB) ? rec->path : "");
}

/* legation_session_error_fn: a store that fails during the run (a full
 * disk) is reported once; the run goes on without it, its row stays
 * resumable from the last checkpoint, and the command ends with the
 * store's exit code. */
static void store_dropped(void *user, legation_status s, const char *msg) {
  cli_store_rec *rec = user;
  cli_progress_done(rec->prog);
  cli_err("%s: results store %s; the %s goes on without it", rec->cmd, msg,
          strcmp(rec->cmd, "compare") ? "run" : "comparison");
  kept_hint(rec);
  rec->failed = cli_exit_for(s);
  rec->st = NULL;
}

int cli_store_begin(cli_store_rec *rec, const cli_args *a, legation_run *run, cli_progress *prog,
                    const char *const *operands, int noperands) {
  rec->prog = prog;
  if (a->given[CLI_OPT_NO_STORE]) return CLI_EXIT_OK;
  int rc;
  if (!a->resume) {
    if ((rc = cli_store_open(a, rec->cmd, 1, &rec->st)) != 0) {
      cli_err("%s: use --no-store to run without the results store", rec->cmd);
      return rc;
    }
    rec->path = cli_store_path(a);
    if (!(rec->ses = legation_session_new(rec->st))) {
      rec->st = NULL;
      cli_err("out of memory");
      return CLI_EXIT_RUN;
    }
  }
  legation_session_spec spec = {
      .operands = operands, .noperands = noperands, .default_scenario = CLI_DEFAULT_SCENARIO,
      .sets = a->sets, .nsets = a->nsets, .months = a->months, .posterior = a->posterior,
      .reps = rec->reps, .threads = a->threads, .keep_reps = a->given[CLI_OPT_KEEP_REPS] != 0,
      .store_events = a->given[CLI_OPT_STORE_EVENTS] != 0, .events_elsewhere = a->events != NULL,
      .label = a->label, .checkpoint = a->checkpoint, .progress = cli_progress_cb,
      .progress_user = prog, .on_error = store_dropped, .error_user = rec};
  legation_status s = legation_session_begin(rec->ses, run, &spec, a->resume);
  if (s != LEGATION_OK) {
    if (s == LEGATION_ENOMEM)
      cli_err("out of memory");
    else
      cli_err("%s: %s", rec->cmd, legation_session_errmsg(rec->ses));
    legation_session_free(rec->ses);
    rec->ses = NULL;
    rec->st = NULL;
    return cli_exit_for(s);
  }
  rec->id = legation_session_id(rec->ses);
  rec->store_events = legation_session_store_events(rec->ses);
  return CLI_EXIT_OK;
}

int cli_store_end(cli_store_rec *rec, const legation_run *run, legation_status st) {
  (void)run; /* the session's */
  if (!rec->ses) return rec->failed;
  int rc = CLI_EXIT_OK;
  if (legation_session_failure(rec->ses) != LEGATION_OK) {
    rc = rec->failed; /* said when it happened */
  } else {
    legation_status s = legation_session_finish(rec->ses, st);
    if (s != LEGATION_OK) {
      /* a full disk: the run stays resumable from its last checkpoint */
      cli_err("%s: results store %s", rec->cmd, legation_session_errmsg(rec->ses));
      rc = cli_exit_for(s);
      kept_hint(rec);
    } else if (st == LEGATION_EINTR) {
      cli_err("%s: kept as run %lld in %s; finish it with 'legation %s --resume %lld%s%s'",
              rec->cmd, (long long)rec->id, rec->path, rec->cmd, (long long)rec->id,
              strcmp(rec->path, CLI_DEFAULT_DB) ? " --db " : "",
              strcmp(rec->path, CLI_DEFAULT_DB) ? rec->path : "");
    } else if (!rec->quiet) {
      cli_err("stored as run %lld in %s", (long long)rec->id, rec->path);
    }
  }
  legation_session_free(rec->ses);
  rec->ses = NULL;
  rec->st = NULL;
  return rc;
}

int cli_store_labels(legation_store *st, const char *cmd, int64_t id, char ***labels, int *n) {
  legation_status s = legation_store_operands(st, id, labels, n);
  if (s == LEGATION_OK) return CLI_EXIT_OK;
  if (s == LEGATION_ENOMEM)
    cli_err("out of memory");
  else
    cli_err("%s: %s", cmd, legation_store_errmsg(st));
  return cli_exit_for(s);
}

/* ------------------------------------------------------------ runs */

static void fmt_when(char *buf, size_t n, double t) {
  time_t s = (time_t)t;
  struct tm tm;
  gmtime_r(&s, &tm);
  strftime(buf, n, "%Y-%m-%d %H:%M:%S", &tm);
}

static int list_text(void *user, const legation_store_run *r) {
  int *count = user;
  if ((*count)++ == 0)
    printf("%6s  %-19s  %-12s  %-32s  %-21s  %-10s  %9s  %s\n", "ID", "STARTED (UTC)", "KIND",
           "SCENARIO", "REPS DONE/REQUESTED", "STATUS", "SECONDS", "LABEL; OVERRIDES");
  char when[32], reps[48], kind[32];
  fmt_when(when, sizeof when, r->started);
  snprintf(reps, sizeof reps, "%lld/%lld", (long long)r->reps_done,
           (long long)r->reps_requested);
  legation_stored_kind k = legation_store_run_kind(r);
  if (k >= LEGATION_STORED_SOBOL)
    snprintf(kind, sizeof kind, r->variants > 1 ? "%s (1)" : "%s", legation_stored_kind_name(k));
  else if (k == LEGATION_STORED_SWEEP)
    snprintf(kind, sizeof kind, r->variants > 1 ? "sweep (%d)" : "sweep", r->variants - 1);
  else if (r->variants > 1)
    snprintf(kind, sizeof kind, "compare (%d)", r->variants - 1);
  else
    snprintf(kind, sizeof kind, "run");
  printf("%6lld  %-19s  %-12s  %-32s  %-21s  %-10s  %9.2f  %s", (long long)r->id, when, kind,
         *r->scenario_name ? r->scenario_name : r->origin, reps, r->status, r->seconds,
         r->label);
  /* the overrides on the same line, after the label */
  for (const char *p = r->sets; *p;) {
    size_t n = strcspn(p, "\n");
    printf("%s%.*s", p == r->sets ? (*r->label ? "; " : "") : ", ", (int)n, p);
    p += n;
    if (*p) p++;
  }
  putchar('\n');
  return 0;
}

static json_t *jseed(uint64_t seed) {
  if (seed <= (uint64_t)INT64_MAX) return json_integer((json_int_t)seed);
  char buf[32];
  snprintf(buf, sizeof buf, "%llu", (unsigned long long)seed);
  return json_string(buf);
}

/* The run's row as a JSON object; with_text adds the scenario text. */
static json_t *run_json(const legation_store_run *r, int with_text) {
  json_t *o = json_object();
  json_object_set_new(o, "id", json_integer((json_int_t)r->id));
  json_object_set_new(o, "kind",
                      json_string(legation_stored_kind_name(legation_store_run_kind(r))));
  json_object_set_new(o, "options", json_integer(r->variants > 1 ? r->variants - 1 : 0));
  json_object_set_new(o, "status", json_string(r->status));
  json_object_set_new(o, "created", json_string(r->created));
  json_object_set_new(o, "seconds", json_real(r->seconds));
  json_object_set_new(o, "scenario", json_string(r->scenario_name));
  json_object_set_new(o, "title", json_string(r->scenario_title));
  json_object_set_new(o, "origin", json_string(r->origin));
  json_t *sets = json_array();
  for (const char *p = r->sets; *p;) {
    size_t n = strcspn(p, "\n");
    json_array_append_new(sets, json_stringn(p, n));
    p += n;
    if (*p) p++;
  }
  json_object_set_new(o, "sets", sets);
  json_object_set_new(o, "label", *r->label ? json_string(r->label) : json_null());
  json_object_set_new(o, "hash", json_string(r->hash));
  json_object_set_new(o, "seed", jseed(r->seed));
  json_object_set_new(o, "reps", json_integer((json_int_t)r->reps_done));
  json_object_set_new(o, "reps_requested", json_integer((json_int_t)r->reps_requested));
  json_object_set_new(o, "months", json_integer(r->months));
  json_object_set_new(o, "threads", json_integer(r->threads));
  json_object_set_new(o, "keep_reps", json_boolean(r->keep_reps));
  json_object_set_new(o, "store_events", json_boolean(r->store_events));
  json_object_set_new(o, "legation_version", json_string(r->version));
  json_object_set_new(o, "error", *r->error ? json_string(r->error) : json_null());
  if (with_text) json_object_set_new(o, "scenario_text", json_string(r->scenario_text));
  return o;
}

static int list_json(void *user, const legation_store_run *r) {
  json_array_append_new(user, run_json(r, 0));
  return 0;
}

static void dump_json(json_t *j) {
  if (json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15)) == 0)
    putchar('\n');
}

/* legation_store_row_fn printing a comparison's options (the "variants"
 * table without the base). */
static int option_row(void *user, int ncols, const char *const *names,
                      const legation_store_cell *c) {
  (void)user;
  (void)names;
  if (!c || ncols < 6 || c[1].type != LEGATION_CELL_INT || c[1].i == 0) return 0;
  char label[32];
  snprintf(label, sizeof label, "option %lld", (long long)c[1].i);
  printf("  %-10s %s (%s), %s\n", label, c[2].text && *c[2].text ? c[2].text : "unnamed",
         c[4].text ? c[4].text : "", c[5].text ? c[5].text : "");
  return 0;
}

/* legation_store_row_fn printing the stored files (run, variant, position,
 * key, text): one line each, a base indented under what it is the base of. */
static int file_row(void *user, int ncols, const char *const *names,
                    const legation_store_cell *c) {
  (void)names;
  int *n = user;
  if (!c || ncols < 5 || c[1].type != LEGATION_CELL_INT || c[2].type != LEGATION_CELL_INT)
    return 0;
  if ((*n)++ == 0)
    printf("  files      kept in full; rebuilding the run reads only these\n");
  char what[32];
  if (c[2].i > 0)
    snprintf(what, sizeof what, "  base");
  else if (c[1].i == 0)
    snprintf(what, sizeof what, "scenario");
  else
    snprintf(what, sizeof what, "option %lld", (long long)c[1].i);
  printf("    %-10s %s (%zu bytes)\n", what, c[3].text ? c[3].text : "",
         c[4].type == LEGATION_CELL_TEXT && c[4].text ? strlen(c[4].text) : (size_t)0);
  return 0;
}

/* Header lines of `runs show`.  Reads the store (the options of a
 * comparison), so r's strings are not valid afterwards. */
static void show_header(legation_store *st, const legation_store_run *r, const char *path) {
  int cmp = r->variants > 1;
  printf("%s %lld: %s, %lld of %lld replications%s\n",
         legation_store_run_kind(r) >= LEGATION_STORED_SOBOL ? "Study" : cmp ? "Comparison" : "Run",
         (long long)r->id, r->status, (long long)r->reps_done, (long long)r->reps_requested,
         cmp ? " of each" : "");
  printf("  started    %s, %.2f s, Legation %s\n", r->created, r->seconds, r->version);
  if (*r->label) printf("  label      %s\n", r->label);
  printf("  %-10s %s (%s), %s\n", cmp ? "base" : "scenario",
         *r->scenario_name ? r->scenario_name : "unnamed", r->origin, r->hash);
  printf("  overrides  ");
  if (!*r->sets) printf("none");
  for (const char *p = r->sets; *p;) {
    size_t n = strcspn(p, "\n");
    printf("%s%.*s", p == r->sets ? "" : ", ", (int)n, p);
    p += n;
    if (*p) p++;
  }
  printf("\n  stored     seed %llu, %d months, %s%s%s\n", (unsigned long long)r->seed, r->months,
         legation_store_run_kind(r) >= LEGATION_STORED_SOBOL ? "the design's points ('export ID --what points')"
                             : "summaries and series",
         r->keep_reps ? ", replications" : "",
         r->store_events ? ", events" : "");
  if (*r->error) printf("  error      %s\n", r->error);
  if (strcmp(r->status, "incomplete") == 0)
    printf("  resume     legation %s --resume %lld%s%s\n", resume_by[legation_store_run_kind(r)],
           (long long)r->id, strcmp(path, CLI_DEFAULT_DB) ? " --db " : "",
           strcmp(path, CLI_DEFAULT_DB) ? path : "");
  if (cmp && legation_store_table(st, r->id, "variants", option_row, NULL) != LEGATION_OK)
    cli_err("runs: %s", legation_store_errmsg(st));
  int nfiles = 0;
  if (legation_store_table(st, r->id, "files", file_row, &nfiles) != LEGATION_OK)
    cli_err("runs: %s", legation_store_errmsg(st));
  else if (!nfiles)
    printf("  files      none stored (recorded before schema 3): rebuilt from the text above "
           "and bases read again\n");
}

/* Fallback when the run cannot be rebuilt: the stored summaries as rows. */
static int summary_row(void *user, int ncols, const char *const *names,
                       const legation_store_cell *c) {
  (void)user;
  (void)names;
  if (!c) {
    printf("  %-32s %14s %14s %14s %8s\n", "output", "mean", "lo", "hi", "n");
    return 0;
  }
  if (ncols < 10 || c[1].i != 0) return 0; /* the base scenario only */
  char m[40], lo[40], hi[40];
  printf("  %-32s %14s %14s %14s %8lld\n", c[2].text ? c[2].text : "",
         c[6].type == LEGATION_CELL_REAL ? cli_fmt_real(m, sizeof m, c[6].r) : "",
         c[8].type == LEGATION_CELL_REAL ? cli_fmt_real(lo, sizeof lo, c[8].r) : "",
         c[9].type == LEGATION_CELL_REAL ? cli_fmt_real(hi, sizeof hi, c[9].r) : "",
         (long long)c[5].i);
  return 0;
}

/* `runs show ID [--json]`. */
static int runs_show(const cli_args *a, legation_store *st, int64_t id) {
  legation_store_run r;
  legation_status s = legation_store_get(st, id, &r);
  if (s != LEGATION_OK) return store_failed("runs", st, s);
  if (legation_store_run_kind(&r) >= LEGATION_STORED_SOBOL) { /* replayed from its points (cmd_sensitivity.c) */
    if (strcmp(r.status, "complete") != 0) { /* the header says how to resume */
      if (!a->given[CLI_OPT_JSON]) {
        show_header(st, &r, cli_store_path(a));
      } else {
        json_t *j = run_json(&r, 0);
        dump_json(j);
        json_decref(j);
      }
      return CLI_EXIT_OK;
    }
    if (!a->given[CLI_OPT_JSON]) show_header(st, &r, cli_store_path(a));
    if (!a->given[CLI_OPT_JSON]) putchar('\n');
    fflush(stdout);
    return cli_study_replay(a, id, NULL);
  }
  json_t *meta = a->given[CLI_OPT_JSON] ? run_json(&r, 1) : NULL;
  int64_t reps = r.reps_requested;
  int threads = r.threads;
  double seconds = r.seconds;
  int cmp = r.variants > 1;
  legation_status run_status = strcmp(r.status, "complete") == 0 ? LEGATION_OK : LEGATION_EINTR;
  if (!a->given[CLI_OPT_JSON]) show_header(st, &r, cli_store_path(a)); /* r invalid now */
  legation_run *run = NULL;
  s = legation_store_rebuild(st, id, &run);
  if (s != LEGATION_OK) {
    cli_err("runs: %s; showing the stored summaries", legation_store_errmsg(st));
    if (meta) {
      dump_json(meta);
      json_decref(meta);
      return CLI_EXIT_OK;
    }
    putchar('\n');
    legation_store_table(st, id, "summary", summary_row, NULL);
    return CLI_EXIT_OK;
  }
  cli_result res = {run, legation_run_scenario(run), reps, threads, run_status, seconds};
  char **labels = NULL;
  int nlabels = 0;
  int rc = cmp ? cli_store_labels(st, "runs", id, &labels, &nlabels) : CLI_EXIT_OK;
  cli_compare_view view = {run, reps, threads, run_status, (const char *const *)labels, nlabels,
                           seconds, NULL, 0, 0};
  if (rc) {
    json_decref(meta);
  } else if (!meta) {
    putchar('\n');
    if (cmp)
      cli_compare_text(stdout, &view);
    else
      cli_output_text(stdout, &res);
  } else {
    char *buf = NULL;
    size_t len = 0;
    FILE *mf = open_memstream(&buf, &len);
    json_t *doc = NULL;
    if (mf && (cmp ? cli_compare_json(mf, &view) : cli_output_json(mf, &res)) == 0 &&
        fclose(mf) == 0) {
      mf = NULL;
      doc = json_loadb(buf, len, 0, NULL);
    }
    if (mf) fclose(mf);
    free(buf);
    if (doc && json_object_set_new(doc, "run", meta) == 0) {
      dump_json(doc);
    } else {
      if (!doc) json_decref(meta); /* else json_object_set_new took it */
      cli_err("runs: out of memory while writing JSON");
      rc = CLI_EXIT_RUN;
    }
    json_decref(doc);
  }
  legation_store_operands_free(labels, nlabels);
  legation_run_free(run);
  return rc;
}

int cli_cmd_runs(const cli_args *a) {
  int64_t id = 0;
  if (a->npos >= 1) {
    if (strcmp(a->pos[0], "show") != 0)
      return cli_usage_error(a->cmd, "expected 'show ID' or nothing, found '%s'", a->pos[0]);
    if (a->npos < 2) return cli_usage_error(a->cmd, "missing operand ID after 'show'");
    int rc = cli_parse_run_id(a, a->pos[1], &id);
    if (rc) return rc;
  }
  legation_store *st;
  int rc = cli_store_open(a, "runs", 0, &st);
  if (rc) return rc;
  if (id) {
    rc = runs_show(a, st, id);
  } else if (a->given[CLI_OPT_JSON]) {
    json_t *arr = json_array();
    legation_status s = legation_store_list(st, list_json, arr);
    if (s != LEGATION_OK)
      rc = store_failed("runs", st, s);
    else
      dump_json(arr);
    json_decref(arr);
  } else {
    int count = 0;
    legation_status s = legation_store_list(st, list_text, &count);
    if (s != LEGATION_OK)
      rc = store_failed("runs", st, s);
    else if (!count)
      cli_err("runs: no runs in %s", cli_store_path(a));
  }
  legation_store_close(st);
  return rc;
}

/* ------------------------------------------------------------ export */

typedef struct export_ctx {
  FILE *f;
  int json;
  int64_t rows;
} export_ctx;

static void json_text(FILE *f, const char *s) {
  fputc('"', f);
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\')
      fprintf(f, "\\%c", c);
    else if (c == '\n')
      fputs("\\n", f);
    else if (c < 0x20)
      fprintf(f, "\\u%04x", c);
    else
      fputc(c, f);
  }
  fputc('"', f);
}

static int export_row(void *user, int ncols, const char *const *names,
                      const legation_store_cell *c) {
  export_ctx *x = user;
  if (!c) {
    if (x->json) {
      fputc('[', x->f);
      return 0;
    }
    for (int i = 0; i < ncols; i++) {
      if (i) fputc(',', x->f);
      cli_csv_field(x->f, names[i]);
    }
    fputc('\n', x->f);
    return 0;
  }
  if (x->json) fputs(x->rows ? ",\n  {" : "\n  {", x->f);
  for (int i = 0; i < ncols; i++) {
    char buf[40];
    if (x->json) fprintf(x->f, "%s\"%s\": ", i ? ", " : "", names[i]);
    else if (i) fputc(',', x->f);
    switch (c[i].type) {
    case LEGATION_CELL_INT:
      fprintf(x->f, "%lld", (long long)c[i].i);
      break;
    case LEGATION_CELL_REAL:
      cli_fmt_real(buf, sizeof buf, c[i].r);
      fputs(*buf ? buf : x->json ? "null" : "", x->f);
      break;
    case LEGATION_CELL_TEXT:
      if (x->json)
        json_text(x->f, c[i].text);
      else
        cli_csv_field(x->f, c[i].text);
      break;
    default:
      if (x->json) fputs("null", x->f);
      break;
    }
  }
  fputs(x->json ? "}" : "\n", x->f);
  x->rows++;
  return ferror(x->f) != 0;
}

legation_status cli_export_csv(legation_store *st, int64_t id, const char *what, FILE *f,
                               char *err, size_t errn) {
  legation_store_run r;
  legation_status s = legation_store_get(st, id, &r);
  if (s == LEGATION_ENOTFOUND) {
    snprintf(err, errn, "no stored run %lld (GET /api/runs lists them)", (long long)id);
    return s;
  }
  if (s != LEGATION_OK) {
    snprintf(err, errn, "the results store: %s", legation_store_errmsg(st));
    return s;
  }
  if ((strcmp(what, "reps") == 0 && !r.keep_reps) ||
      (strcmp(what, "events") == 0 && !r.store_events)) {
    snprintf(err, errn, "run %lld was made without %s, so its %s were not stored",
             (long long)id, strcmp(what, "reps") == 0 ? "--keep-reps" : "--store-events",
             strcmp(what, "reps") == 0 ? "replications" : "events");
    return LEGATION_ENOTFOUND;
  }
  export_ctx x = {f, 0, 0};
  s = legation_store_table(st, id, what, export_row, &x);
  if (s == LEGATION_EINVAL) /* the store's message names its file */
    snprintf(err, errn, "expected summary, series, reps, events, params, variants, diffs, "
             "points, point_params or files, found '%.40s'", what);
  else if (s != LEGATION_OK)
    snprintf(err, errn, "%s", s == LEGATION_EINTR ? "cannot write the CSV"
                                                  : legation_store_errmsg(st));
  return s;
}

int cli_cmd_export(const cli_args *a) {
  int64_t id = 0;
  int rc = cli_parse_run_id(a, a->pos[0], &id);
  if (!rc) rc = cli_output_check(a, a->output);
  if (rc) return rc;
  const char *what = a->what ? a->what : "summary";
  legation_store *st;
  if ((rc = cli_store_open(a, "export", 0, &st)) != 0) return rc;
  legation_store_run r;
  legation_status s = legation_store_get(st, id, &r);
  if (s != LEGATION_OK) {
    rc = store_failed("export", st, s);
    legation_store_close(st);
    return rc;
  }
  if ((strcmp(what, "reps") == 0 && !r.keep_reps) ||
      (strcmp(what, "events") == 0 && !r.store_events)) {
    cli_err("export: run %lld was made without %s, so its %s were not stored", (long long)id,
            strcmp(what, "reps") == 0 ? "--keep-reps" : "--store-events",
            strcmp(what, "reps") == 0 ? "replications" : "events");
    legation_store_close(st);
    return CLI_EXIT_DATA;
  }
  cli_atomic out;
  if ((rc = cli_atomic_open(&out, a, a->output ? a->output : "-")) != 0) {
    legation_store_close(st);
    return rc;
  }
  export_ctx x = {out.f, a->format && strcmp(a->format, "json") == 0, 0};
  s = legation_store_table(st, id, what, export_row, &x);
  if (s == LEGATION_OK && x.json) fputs(x.rows ? "\n]\n" : "]\n", x.f);
  if (s != LEGATION_OK) {
    if (s == LEGATION_EINTR) {
      /* standard output's error is reported once, by main */
      if (out.path) cli_err("export: cannot write '%s': %s", a->output,
                            strerror(out.err ? out.err : EIO));
    } else
      cli_err("export: %s", legation_store_errmsg(st));
    cli_atomic_abort(&out);
    rc = s == LEGATION_EINTR ? CLI_EXIT_IO : cli_exit_for(s);
  } else if (cli_atomic_commit(&out, "export") != 0) {
    rc = CLI_EXIT_IO;
  }
  legation_store_close(st);
  return rc;
}
