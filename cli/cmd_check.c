/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd_check.c - `legation calibrate --check ID --era FROM:TO`: the
 * posterior predictive check of a stored calibration against the record of
 * an era, in sample (the era it was calibrated on) or out of sample (a
 * later one).  The scenario is run over the era's length with worlds
 * resampled from the posterior (one replication each, so the spread is the
 * predictive one: parameters and chance together); each target the model
 * simulates (moves and persons expelled per year, per side) is compared
 * with its 90% predictive band.  A check counts only if it can fail:
 * tests/cli/uncertainty.t runs it on a deliberately wrong model too.
 * A SCENARIO operand replaces the calibrated scenario as the era's starting
 * state (docs/MODEL.md section 5, "Era starting states"): the posterior's
 * parameters are set on it, everything else is its own.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"

/* A statistic the model simulates: per replication, (output + plus) per
 * year of the run, for one side. */
typedef struct check_stat {
  const char *name;   /* as legation_history_stats names it */
  int side;           /* 0 = A, 1 = B */
  const char *output, *plus;
} check_stat;

static const check_stat stats[] = {
    {"moves_per_year", 0, "moves_a", NULL},
    {"moves_per_year", 1, "moves_b", NULL},
    {"persons_per_year", 0, "officers_expelled_by_a", "diplomats_expelled_by_a"},
    {"persons_per_year", 1, "officers_expelled_by_b", "diplomats_expelled_by_b"},
};
#define NSTATS ((int)(sizeof stats / sizeof stats[0]))

static int cmp_d(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

/* q-quantile of sorted v[0..n) (inverse empirical CDF). */
static double quant(const double *v, int64_t n, double q) {
  int64_t k = (int64_t)ceil(q * (double)n) - 1;
  if (k < 0) k = 0;
  if (k >= n) k = n - 1;
  return v[k];
}

int cli_calibrate_check(const cli_args *a) {
  const char *cmd = "calibrate";
  int orc = cli_output_check(a, a->report);
  if (orc) return orc;
  if (!a->era)
    return cli_usage_error(a->cmd, "--check needs --era FROM:TO, the record to check against");
  int from = 0, to = 0;
  char tail;
  if (sscanf(a->era, "%4d:%4d%c", &from, &to, &tail) != 2 || from < 1 || to < from)
    return cli_usage_error(a->cmd, "--era: expected FROM:TO years, found '%s'", a->era);
  legation_store *st = NULL;
  int rc = cli_store_open(a, cmd, 0, &st);
  if (rc) return rc;
  legation_store_calib c;
  legation_status s = legation_store_calib_get(st, a->check, &c);
  int np = 0;
  char **keys = NULL;
  int64_t npart = 0;
  double *values = NULL, *weights = NULL, *col = NULL;
  legation_scenario *sc = legation_scenario_new();
  legation_history *h = legation_history_new();
  legation_run *run = NULL;
  if (s != LEGATION_OK || !sc || !h) {
    cli_err("%s: --check %lld: %s", cmd, (long long)a->check,
            s != LEGATION_OK ? legation_store_errmsg(st) : "out of memory");
    rc = s != LEGATION_OK ? cli_exit_for(s) : CLI_EXIT_RUN;
    goto out;
  }
  char scen[256];
  snprintf(scen, sizeof scen, "%s", c.scenario); /* c's strings last until the next store call */
  if (strncmp(scen, "test:", 5) == 0) {
    cli_err("%s: --check %lld: a test model has no record to check against", cmd,
            (long long)a->check);
    rc = CLI_EXIT_USAGE;
    goto out;
  }
  /* the era's starting state: the operand, else the scenario as calibrated
   * (the stored text, else the built-in) */
  char start[256] = "";
  if (a->npos) {
    if ((rc = cli_load_scenario(sc, cmd, a->pos[0])) != 0) goto out;
    snprintf(start, sizeof start, "%s", legation_scenario_name(sc));
  } else {
    if (c.scenario_text && c.scenario_len)
      s = legation_scenario_load_string(sc, c.scenario_text, c.scenario_len, scen);
    else
      s = legation_scenario_load_builtin(sc, scen);
    if (s != LEGATION_OK) {
      cli_err_lines(legation_scenario_errmsg(sc));
      rc = CLI_EXIT_DATA;
      goto out;
    }
  }
  if ((rc = cli_apply_sets(sc, cmd, a->sets, a->nsets)) != 0) goto out;
  char months[32];
  snprintf(months, sizeof months, "%d", 12 * (to - from + 1));
  if (legation_scenario_set(sc, "horizon", months) != LEGATION_OK) {
    cli_err_lines(legation_scenario_errmsg(sc));
    rc = CLI_EXIT_DATA;
    goto out;
  }
  s = legation_store_calib_posterior(st, a->check, &np, &keys, &npart, &values, &weights);
  if (s != LEGATION_OK) {
    cli_err("%s: --check %lld: %s", cmd, (long long)a->check, legation_store_errmsg(st));
    rc = cli_exit_for(s);
    goto out;
  }
  /* the record's statistics of the era, for the scenario's pair */
  const char *ca = legation_country_code(legation_scenario_state_name(sc, 0));
  const char *cb = legation_country_code(legation_scenario_state_name(sc, 1));
  if (!ca || !cb || legation_history_load_builtin(h) != LEGATION_OK ||
      legation_history_stats(h, ca, cb, from, to) != LEGATION_OK) {
    cli_err("%s: --check: the record has no statistics for %s and %s in %d-%d", cmd,
            legation_scenario_state_name(sc, 0), legation_scenario_state_name(sc, 1), from, to);
    rc = CLI_EXIT_DATA;
    goto out;
  }
  int64_t reps = a->given[CLI_OPT_REPS] ? a->reps : 2000;
  run = legation_run_new(sc);
  if (!run || legation_run_set_seed(run, a->seed) != LEGATION_OK ||
      legation_run_set_threads(run, a->threads) != LEGATION_OK ||
      legation_run_set_keep_reps(run, 1) != LEGATION_OK ||
      (s = legation_run_set_posterior(run, (const char *const *)keys, np, values, weights, npart,
                                      reps, 1)) != LEGATION_OK) {
    cli_err("%s: --check: %s", cmd, run ? legation_run_errmsg(run) : "out of memory");
    rc = CLI_EXIT_DATA;
    goto out;
  }
  cli_progress prog;
  cli_progress_init(&prog, !a->given[CLI_OPT_QUIET] && isatty(STDERR_FILENO));
  legation_run_set_progress(run, cli_progress_cb, &prog);
  s = legation_run_execute(run);
  cli_progress_done(&prog);
  if (s != LEGATION_OK) {
    cli_err_lines(legation_run_errmsg(run));
    rc = cli_exit_for(s);
    goto out;
  }
  col = malloc((size_t)reps * sizeof *col);
  if (!col) {
    rc = CLI_EXIT_RUN;
    goto out;
  }
  double years = to - from + 1;
  json_t *rows = json_array();
  int inside_n = 0, total = 0;
  if (!a->given[CLI_OPT_JSON])
    printf("Posterior predictive check of calibration %lld (%s, %lld particles) against the record "
           "%d-%d,\n%lld worlds drawn from the posterior, one replication each, over %d months%s%s:"
           "\n\n  %-18s %-6s %9s %9s %21s %8s  %s\n",
           (long long)a->check, scen, (long long)npart, from, to, (long long)reps,
           12 * (to - from + 1), *start ? " from " : "", start, "statistic", "side", "record",
           "median", "90% band", "width", "inside");
  for (int k = 0; k < NSTATS; k++) {
    const char *code = stats[k].side ? cb : ca;
    legation_history_stat hs;
    int found = 0;
    for (int i = 0; i < legation_history_stat_count(h); i++)
      if (legation_history_stat_get(h, i, &hs) == LEGATION_OK && !strcmp(hs.name, stats[k].name) &&
          !strcmp(hs.side, code) && isfinite(hs.value)) {
        found = 1;
        break;
      }
    if (!found) continue;
    int o1 = legation_output_find(stats[k].output), o2 = stats[k].plus ? legation_output_find(stats[k].plus) : -1;
    for (int64_t r = 0; r < reps; r++) {
      double x = 0, y = 0;
      legation_run_rep_value(run, r, o1, &x);
      if (o2 >= 0) legation_run_rep_value(run, r, o2, &y);
      col[r] = (x + y) / years;
    }
    qsort(col, (size_t)reps, sizeof *col, cmp_d);
    double lo = quant(col, reps, 0.05), med = quant(col, reps, 0.5), hi = quant(col, reps, 0.95);
    int inside = hs.value >= lo && hs.value <= hi;
    inside_n += inside;
    total++;
    if (a->given[CLI_OPT_JSON] || a->report)
      json_array_append_new(rows, json_pack("{s:s,s:s,s:f,s:f,s:f,s:f,s:b}", "statistic",
                                            stats[k].name, "side", code, "record", hs.value,
                                            "median", med, "q05", lo, "q95", hi, "inside", inside));
    if (!a->given[CLI_OPT_JSON]) {
      char band[64];
      snprintf(band, sizeof band, "[%.3g, %.3g]", lo, hi);
      printf("  %-18s %-6s %9.3g %9.3g %21s %8.3g  %s\n", stats[k].name, code, hs.value, med, band,
             hi - lo, inside ? "yes" : "NO");
    }
  }
  if (a->given[CLI_OPT_JSON] || a->report) {
    json_t *root = json_pack("{s:I,s:s,s:i,s:i,s:I,s:o,s:i,s:i}", "calibration", (json_int_t)a->check,
                             "scenario", scen, "from", from, "to", to, "worlds",
                             (json_int_t)reps, "targets", rows, "inside", inside_n, "total", total);
    if (root && *start) json_object_set_new(root, "start", json_string(start));
    if (root && a->report) { /* web/src/report.js, kind "check" */
      json_object_set_new(root, "kind", json_string("check"));
      json_object_set_new(root, "legation_version", json_string(legation_version()));
      rc = cli_report_write(a, a->report, root);
      json_object_del(root, "kind");
      json_object_del(root, "legation_version");
    }
    if (root && a->given[CLI_OPT_JSON] &&
        json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0)
      putchar('\n');
    json_decref(root);
  } else {
    json_decref(rows); /* text only: the rows were never filled */
  }
  if (!a->given[CLI_OPT_JSON]) {
    printf("\n%d of %d statistics of %d-%d inside the model's 90%% predictive band%s\n", inside_n,
           total, from, to,
           inside_n == total ? "." : "; the model does not reproduce the others.");
  }
out:
  free(col);
  for (int j = 0; j < np; j++) free(keys[j]);
  free(keys), free(values), free(weights);
  legation_run_free(run);
  legation_history_free(h);
  legation_scenario_free(sc);
  legation_store_close(st);
  return rc;
}
