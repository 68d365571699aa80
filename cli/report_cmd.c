/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * report_cmd.c - `legation report ID... -o FILE`: the HTML report of runs
 * kept in the results store.  Each run is rebuilt from its last checkpoint
 * (legation_store_rebuild), which restores every statistic and series band;
 * the histograms bin the stored per-replication outputs when the run kept
 * them (--keep-reps), else they are drawn from the quantiles and labelled
 * so.  Several IDs are shown side by side as independent runs; a stored
 * comparison (alone) gives the report `compare --report` writes.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* Everything one report holds, freed by report_free. */
typedef struct report_state {
  legation_store *st;
  int n;                    /* runs */
  legation_run **runs;
  legation_report_part *parts;
  char (*labels)[32];       /* "run 12" */
  int64_t *ids;
  int64_t max_reps;         /* most replications done by one run */
  int all_kept;             /* every run stored its replications */
  int64_t reps_requested;   /* of the first run */
  int complete;             /* the first run is complete */
  double seconds;           /* the first run's wall seconds */
  int threads;              /* the first run's threads */
  int compare;              /* the one run is a comparison */
} report_state;

static void report_free(report_state *s) {
  for (int i = 0; s->runs && i < s->n; i++) legation_run_free(s->runs[i]);
  free(s->runs);
  free(s->parts);
  free(s->labels);
  free(s->ids);
  if (s->st) legation_store_close(s->st);
}

/* Rebuild stored run i (s->ids[i]), whose row is info, into s->runs[i]
 * with its label. */
static legation_status load_one(report_state *s, int i, const legation_store_run *info) {
  if (i == 0) {
    s->reps_requested = info->reps_requested;
    s->complete = strcmp(info->status, "complete") == 0;
    s->seconds = info->seconds;
    s->threads = info->threads;
    s->compare = info->variants > 1;
  }
  if (!info->keep_reps) s->all_kept = 0;
  if (info->reps_done > s->max_reps) s->max_reps = info->reps_done;
  legation_status st = legation_store_rebuild(s->st, s->ids[i], &s->runs[i]);
  if (st != LEGATION_OK) return st;
  snprintf(s->labels[i], sizeof s->labels[i], "run %lld", (long long)s->ids[i]);
  s->parts[i].run = s->runs[i];
  s->parts[i].v = 0;
  s->parts[i].label = s->labels[i];
  return LEGATION_OK;
}

/* The arrays for n runs; 0, or -1 on OOM. */
static int alloc_state(report_state *s, int n) {
  s->n = n;
  s->runs = calloc((size_t)n, sizeof *s->runs);
  s->parts = calloc((size_t)n, sizeof *s->parts);
  s->labels = calloc((size_t)n, sizeof *s->labels);
  s->ids = calloc((size_t)n, sizeof *s->ids);
  s->all_kept = 1;
  return s->runs && s->parts && s->labels && s->ids ? 0 : -1;
}

/* Rebuild every run named on the command line; returns an exit code. */
static int load_runs(report_state *s, const cli_args *a) {
  if (alloc_state(s, a->npos) != 0) {
    cli_err("out of memory");
    return CLI_EXIT_RUN;
  }
  for (int i = 0; i < s->n; i++) {
    int rc = cli_parse_run_id(a, a->pos[i], &s->ids[i]);
    if (rc) return rc;
  }
  int rc = cli_store_open(a, "report", 0, &s->st);
  if (rc) return rc;
  for (int i = 0; i < s->n; i++) {
    legation_store_run info;
    legation_status st = legation_store_get(s->st, s->ids[i], &info);
    if (st == LEGATION_OK && info.reps_done < 1) {
      cli_err("report: run %lld in '%s' finished no replication, so there is "
              "nothing to report",
              (long long)s->ids[i], cli_store_path(a));
      return CLI_EXIT_DATA;
    }
    if (st == LEGATION_OK && legation_store_run_kind(&info) >= LEGATION_STORED_SOBOL) {
      cli_err("report: run %lld in '%s' is a study; report it alone ('legation report %lld -o "
              "FILE')", (long long)s->ids[i], cli_store_path(a), (long long)s->ids[i]);
      return CLI_EXIT_USAGE;
    }
    if (st == LEGATION_OK && info.variants > 1 && s->n > 1) {
      cli_err("report: run %lld in '%s' is a comparison; report it alone "
              "('legation report %lld -o FILE')",
              (long long)s->ids[i], cli_store_path(a), (long long)s->ids[i]);
      return CLI_EXIT_USAGE;
    }
    if (st == LEGATION_OK) st = load_one(s, i, &info);
    if (st != LEGATION_OK) {
      const char *msg = legation_store_errmsg(s->st);
      if (st == LEGATION_ENOTFOUND)
        cli_err("report: no run %lld in '%s' (see 'legation runs')", (long long)s->ids[i],
                cli_store_path(a));
      else
        cli_err("report: run %lld: %s", (long long)s->ids[i],
                msg && *msg ? msg : legation_strerror(st));
      return cli_exit_for(st);
    }
  }
  return CLI_EXIT_OK;
}

/* The stored replications of every run; NULL when any run lacks them
 * (the report then draws every histogram from the quantiles). */
static legation_repvals *load_reps(report_state *s) {
  legation_repvals *rv = s->all_kept ? legation_repvals_new(s->n, 0, s->max_reps) : NULL;
  for (int i = 0; rv && i < s->n; i++) {
    int64_t rows = 0;
    if (legation_repvals_load(rv, i, s->st, s->ids[i], &rows) != LEGATION_OK ||
        rows < legation_run_reps_done(s->runs[i])) {
      legation_repvals_free(rv);
      rv = NULL;
    }
  }
  return rv;
}

/* The report's data of the loaded runs into *data (NULL on OOM); *rv: the
 * stored replications used (the caller frees them).  Returns an exit code. */
static int report_json(report_state *sp, legation_repvals **rvp, json_t **datap) {
  report_state s = *sp;
  legation_repvals *rv = NULL;
  json_t *data = NULL;
  int rc;
  if (s.compare) {
    /* the report `compare --report` writes, from the rebuilt comparison;
     * its histograms from the quantiles (a comparison keeps no
     * replications) */
    char **labels = NULL;
    int nlabels = 0;
    if ((rc = cli_store_labels(s.st, "report", s.ids[0], &labels, &nlabels)) != 0) return rc;
    cli_compare_view view = {s.runs[0], s.reps_requested, s.threads,
                             s.complete ? LEGATION_OK : LEGATION_EINTR,
                             (const char *const *)labels, nlabels, s.seconds, NULL, 0, 0};
    data = cli_compare_report_data(&view, NULL);
    legation_store_operands_free(labels, nlabels);
  } else {
    rv = load_reps(&s);
    legation_report_spec in = {.kind = s.n > 1 ? LEGATION_REPORT_RUNS : LEGATION_REPORT_RUN,
                               .parts = s.parts,
                               .nparts = s.n,
                               .reps_asked = s.reps_requested,
                               .status = s.complete ? LEGATION_OK : LEGATION_EINTR,
                               .rv = rv,
                               .seconds = s.seconds};
    char *text = NULL;
    legation_status made = legation_report_data(&in, &text);
    data = cli_json_lib(made, text);
    /* a stored --uncertain run: its spread across worlds, as `run
     * --uncertain --report` draws it (the worlds' accumulators come back
     * with the run's last checkpoint) */
    if (data && s.n == 1 && legation_run_vary_count(s.runs[0]) > 0)
      json_object_set_new(data, "uncertainty", cli_json_worlds(s.runs[0], 0));
  }
  *rvp = rv;
  *datap = data;
  return CLI_EXIT_OK;
}

legation_status cli_report_stored(legation_store *st, int64_t id, json_t **data, char *err,
                                  size_t errn) {
  *data = NULL;
  report_state s = {0};
  legation_status rc = LEGATION_ENOMEM;
  snprintf(err, errn, "out of memory while building the report");
  if (alloc_state(&s, 1) == 0) {
    s.st = st;
    s.ids[0] = id;
    legation_store_run info;
    rc = legation_store_get(st, id, &info);
    if (rc == LEGATION_ENOTFOUND)
      snprintf(err, errn, "no stored run %lld (GET /api/runs lists them)", (long long)id);
    else if (rc != LEGATION_OK)
      snprintf(err, errn, "the results store: %s", legation_store_errmsg(st));
    else if (info.reps_done < 1) {
      snprintf(err, errn, "run %lld finished no replication, so there is nothing to report",
               (long long)id);
      rc = LEGATION_EINVAL;
    } else if (legation_store_run_kind(&info) >= LEGATION_STORED_SOBOL) {
      snprintf(err, errn, "run %lld is a study: its report is made by 'legation report %lld "
               "-o FILE' (GET /api/runs/%lld/export?what=points gives its points)",
               (long long)id, (long long)id, (long long)id);
      rc = LEGATION_EINVAL;
    } else if ((rc = load_one(&s, 0, &info)) != LEGATION_OK) {
      const char *m = legation_store_errmsg(st);
      snprintf(err, errn, "run %lld: %s", (long long)id, m && *m ? m : legation_strerror(rc));
    } else {
      legation_repvals *rv = NULL;
      if (report_json(&s, &rv, data) != CLI_EXIT_OK) {
        snprintf(err, errn, "run %lld: its operands cannot be read from the store", (long long)id);
        rc = LEGATION_EIO;
      } else if (!*data)
        rc = LEGATION_ENOMEM;
      legation_repvals_free(rv);
    }
  }
  s.st = NULL; /* borrowed */
  report_free(&s);
  return rc;
}

int cli_cmd_report(const cli_args *a) {
  if (!a->output)
    return cli_usage_error(a->cmd, "missing -o FILE (the HTML report to write)");
  int rc = cli_output_check(a, a->output);
  if (rc) return rc;
  if (a->npos == 1) { /* a stored study: replayed from its points (cmd_sensitivity.c) */
    int64_t id;
    legation_store *st;
    if ((rc = cli_parse_run_id(a, a->pos[0], &id)) != 0) return rc;
    if ((rc = cli_store_open(a, "report", 0, &st)) != 0) return rc;
    legation_store_run info;
    int study = legation_store_get(st, id, &info) == LEGATION_OK &&
                legation_store_run_kind(&info) >= LEGATION_STORED_SOBOL;
    legation_store_close(st);
    if (study) return cli_study_replay(a, id, a->output);
  }
  report_state s = {0};
  rc = load_runs(&s, a);
  if (rc) {
    report_free(&s);
    return rc;
  }
  legation_repvals *rv = NULL;
  json_t *data = NULL;
  if ((rc = report_json(&s, &rv, &data)) != 0) {
    report_free(&s);
    return rc;
  }
  if (!data) {
    cli_err("report: out of memory while building the report");
    rc = CLI_EXIT_RUN;
  } else {
    rc = cli_report_write(a, a->output, data);
    json_decref(data);
  }
  legation_repvals_free(rv);
  report_free(&s);
  return rc;
}
