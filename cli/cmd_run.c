/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd_run.c - `legation run`: load the scenario, apply --set and --months,
 * run the replications with a progress bar and an optional event log, and
 * print the result as a summary, JSON or CSV.  SIGINT stops the run
 * cleanly through the progress callback; what finished is reported.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* The --events writer, handed to the library as the sink's user pointer. */
typedef struct event_sink {
  FILE *f;
  int failed; /* a write failed; the run was asked to stop */
  legation_store *store; /* --store-events: events go there too */
} event_sink;

static int on_event(void *user, const legation_event *ev) {
  event_sink *s = user;
  fprintf(s->f, "%lld,%d,", (long long)ev->rep, ev->month);
  cli_csv_field(s->f, ev->actor);
  fputc(',', s->f);
  cli_csv_field(s->f, ev->target);
  fputc(',', s->f);
  cli_csv_field(s->f, ev->action);
  fprintf(s->f, ",%d,%d,", ev->persons, ev->officers);
  cli_csv_field(s->f, ev->reason);
  fprintf(s->f, ",%d\n", ev->chain);
  if (ferror(s->f)) {
    s->failed = 1;
    return 1;
  }
  if (s->store && legation_store_event_sink(s->store, ev)) return 1;
  return cli_interrupted();
}

/* Load, override and check the scenario; returns an exit code. */
static int prepare(legation_scenario *sc, const cli_args *a) {
  int rc = cli_load_scenario(sc, "run", a->npos ? a->pos[0] : NULL);
  if (rc) return rc;
  rc = cli_apply_sets(sc, "run", a->sets, a->nsets);
  if (rc) return rc;
  if (a->months && (rc = cli_set_months(sc, "run", a->months)) != 0) return rc;
  legation_status st = legation_scenario_validate(sc);
  if (st != LEGATION_OK) {
    const char *msg = legation_scenario_errmsg(sc);
    if (*msg)
      cli_err_lines(msg);
    else
      cli_err("run: %s", legation_strerror(st));
    return cli_exit_for(st);
  }
  cli_warn_table_defaults(sc, a->npos ? a->pos[0] : legation_scenario_name(sc));
  return CLI_EXIT_OK;
}

/* Pass the run options to the library; it may refuse values the CLI let
 * through (e.g. a replication count above its limit). */
int cli_configure_run(legation_run *run, const cli_args *a) {
  struct {
    legation_status st;
    const char *opt;
  } steps[] = {
      {legation_run_set_reps(run, a->reps), "--reps"},
      {legation_run_set_seed(run, a->seed), "--seed"},
      {legation_run_set_threads(run, a->threads), "--threads"},
  };
  for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
    if (steps[i].st == LEGATION_OK) continue;
    const char *msg = legation_run_errmsg(run);
    return cli_usage_error(a->cmd, "%s: %s", steps[i].opt,
                           msg && *msg ? msg : legation_strerror(steps[i].st));
  }
  return CLI_EXIT_OK;
}

/* --posterior ID: worlds resampled from a stored calibration's particles. */
static int posterior_worlds(legation_run *run, const cli_args *a) {
  const char *cmd = a->cmd->name;
  legation_store *st = NULL;
  int rc = cli_store_open(a, cmd, 0, &st);
  if (rc) return rc;
  int np = 0;
  char **keys = NULL;
  int64_t npart = 0;
  double *values = NULL, *weights = NULL;
  legation_status s = legation_store_calib_posterior(st, a->posterior, &np, &keys, &npart, &values,
                                                     &weights);
  if (s != LEGATION_OK) {
    cli_err("%s: --posterior %lld: %s", cmd, (long long)a->posterior, legation_store_errmsg(st));
    legation_store_close(st);
    return cli_exit_for(s) == CLI_EXIT_RUN ? CLI_EXIT_DATA : cli_exit_for(s);
  }
  legation_store_close(st);
  int64_t k = a->reps_per_world ? a->reps_per_world : 10;
  int64_t worlds = (a->reps + k - 1) / k;
  if (legation_run_set_seed(run, a->seed) == LEGATION_OK)
    s = legation_run_set_posterior(run, (const char *const *)keys, np, values, weights, npart,
                                   worlds, k);
  if (s != LEGATION_OK) {
    const char *m = legation_run_errmsg(run);
    cli_err("%s: --posterior %lld: %s", cmd, (long long)a->posterior, m && *m ? m : legation_strerror(s));
    rc = CLI_EXIT_DATA;
  }
  for (int j = 0; j < np; j++) free(keys[j]);
  free(keys), free(values), free(weights);
  return rc;
}

/* --uncertain / --vary / --reps-per-world: parameters drawn per world.
 * Returns an exit code. */
int cli_configure_uncertainty(legation_run *run, const cli_args *a) {
  const char *cmd = a->cmd->name;
  int unc = a->given[CLI_OPT_UNCERTAIN] > 0, vary = a->nvary > 0;
  if (unc + vary + (a->posterior > 0) > 1)
    return cli_usage_error(a->cmd, "--uncertain, --vary and --posterior: give one (--uncertain "
                                   "draws every ranged parameter)");
  if (a->posterior) return posterior_worlds(run, a);
  if (!unc && !vary) {
    if (a->reps_per_world)
      return cli_usage_error(a->cmd, "--reps-per-world: only with --uncertain or --vary");
    return CLI_EXIT_OK;
  }
  legation_status st;
  if (unc) {
    st = legation_run_vary(run, NULL, 0);
  } else {
    size_t total = 0;
    for (int i = 0; i < a->nvary; i++) total += strlen(a->vary[i]) + 1;
    char *buf = malloc(total + 1);
    const char **keys = calloc(total + 1, sizeof *keys);
    if (!buf || !keys) {
      free(buf);
      free(keys);
      cli_err("out of memory");
      return CLI_EXIT_RUN;
    }
    int n = 0;
    char *w = buf;
    for (int i = 0; i < a->nvary; i++) {
      strcpy(w, a->vary[i]);
      for (char *t = strtok(w, ","); t; t = strtok(NULL, ",")) keys[n++] = t;
      w += strlen(a->vary[i]) + 1;
    }
    st = n ? legation_run_vary(run, keys, n) : LEGATION_EINVAL;
    free(keys);
    free(buf);
  }
  if (st != LEGATION_OK) {
    const char *msg = legation_run_errmsg(run);
    cli_err("%s: %s: %s", cmd, unc ? "--uncertain" : "--vary",
            msg && *msg ? msg : legation_strerror(st));
    return st == LEGATION_ENOTFOUND || st == LEGATION_EINVAL ? CLI_EXIT_DATA : cli_exit_for(st);
  }
  int64_t k = a->reps_per_world ? a->reps_per_world : 10;
  if (legation_run_set_reps_per_world(run, k) != LEGATION_OK)
    return cli_usage_error(a->cmd, "--reps-per-world: refused");
  return CLI_EXIT_OK;
}

/* Print the result in the format asked for, and the --report copy. */
static int emit(const cli_args *a, const cli_result *res) {
  if (a->given[CLI_OPT_JSON]) {
    if (cli_output_json(stdout, res) != 0) {
      cli_err("run: out of memory while writing JSON");
      return CLI_EXIT_RUN;
    }
  } else if (a->given[CLI_OPT_CSV]) {
    cli_output_csv(stdout, res);
  } else {
    cli_output_text(stdout, res);
  }
  if (a->report) return cli_report_run(a, a->report, res);
  return CLI_EXIT_OK;
}

/* The run of the scenario and options on the command line into *out;
 * returns an exit code. */
static int make_run(const cli_args *a, legation_run **out) {
  legation_scenario *sc = legation_scenario_new();
  if (!sc) {
    cli_err("out of memory");
    return CLI_EXIT_RUN;
  }
  int rc = prepare(sc, a);
  if (rc) {
    legation_scenario_free(sc);
    return rc;
  }
  legation_run *run = legation_run_new(sc);
  legation_scenario_free(sc); /* the run holds its own copy */
  if (!run) {
    cli_err("out of memory");
    return CLI_EXIT_RUN;
  }
  rc = cli_configure_run(run, a);
  if (!rc) rc = cli_configure_uncertainty(run, a);
  if (rc) {
    legation_run_free(run);
    return rc;
  }
  *out = run;
  return CLI_EXIT_OK;
}

int cli_cmd_run(const cli_args *a) {
  /* --resume: the results store rebuilds the run (cmd_runs.c) */
  cli_store_rec rec;
  legation_run *run = NULL;
  /* outputs that would replace the store are refused before the run */
  int rc = cli_output_check(a, a->report);
  if (!rc) rc = cli_output_check(a, a->events);
  if (rc) return rc;
  rc = cli_store_rebuild(&rec, a, &run);
  if (rc == CLI_EXIT_OK && !run) rc = make_run(a, &run);
  if (rc) return rc;

  cli_atomic events = {0};
  event_sink sink = {0};
  if (a->events) {
    if ((rc = cli_atomic_open(&events, a, a->events)) != 0) {
      legation_session_free(rec.ses); /* --resume: the store it opened */
      legation_run_free(run);
      return rc;
    }
    sink.f = events.f;
    fputs("rep,month,acting_state,target_state,action,persons,officers,reason,chain\n",
          sink.f);
    legation_run_set_event_sink(run, on_event, &sink);
  }
  cli_progress prog;
  cli_progress_init(&prog, !a->given[CLI_OPT_QUIET] && isatty(STDERR_FILENO));
  legation_run_set_progress(run, cli_progress_cb, &prog);
  if (a->report) cli_report_prepare(run, a->reps); /* histograms (report.c) */
  cli_sigint_install();
  const char *operand = a->npos ? a->pos[0] : NULL;
  if ((rc = cli_store_begin(&rec, a, run, &prog, &operand, 1)) != 0) {
    cli_atomic_abort(&events);
    legation_run_free(run);
    return rc;
  }
  sink.store = rec.store_events ? rec.st : NULL;

  legation_status st = legation_run_execute(run);
  cli_progress_done(&prog);
  int rc_store = cli_store_end(&rec, run, st);

  if (sink.failed) {
    if (strcmp(a->events, "-") != 0) /* standard output's error: main says it */
      cli_err("run: cannot write '%s': %s", a->events,
            strerror(events.err ? events.err : errno ? errno : EIO));
    cli_atomic_abort(&events);
    legation_run_free(run);
    return CLI_EXIT_IO;
  }
  if (st == LEGATION_EINTR && !cli_interrupted() && rc_store) {
    /* stopped by the store's sink (a full disk), not by ^C: said above */
    cli_atomic_abort(&events);
    legation_run_free(run);
    return rc_store;
  }
  if (st != LEGATION_OK && st != LEGATION_EINTR) {
    const char *msg = legation_run_errmsg(run);
    if (msg && *msg)
      cli_err_lines(msg);
    else
      cli_err("run: %s", legation_strerror(st));
    cli_atomic_abort(&events);
    legation_run_free(run);
    return cli_exit_for(st);
  }

  cli_result res = {run, legation_run_scenario(run), rec.reps, a->threads, st, 0};
  if (st == LEGATION_EINTR) {
    /* An interrupted event log would look complete; it is not kept. */
    cli_atomic_abort(&events);
    rc = emit(a, &res);
    cli_err("run: interrupted after %lld of %lld replications; the results "
            "above cover those%s",
            (long long)legation_run_reps_done(run), (long long)rec.reps,
            a->events && strcmp(a->events, "-") != 0
                ? " and the event log was not written"
                : "");
    legation_run_free(run);
    return rc ? rc : CLI_EXIT_INTR;
  }
  if (a->events && cli_atomic_commit(&events, "run") != 0) rc = CLI_EXIT_IO;
  int rc2 = emit(a, &res);
  legation_run_free(run);
  return rc ? rc : rc2 ? rc2 : rc_store;
}
