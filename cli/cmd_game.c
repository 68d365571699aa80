/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd_game.c - the deal as a game and as a decision: `legation game`
 * (payoff bimatrix of two sides' strategies estimated by simulation under
 * common random numbers, or a Gambit .nfg file; all equilibria, regret,
 * .nfg export), `legation decide` (robust choice among options across
 * worlds: expected utility, 5th percentile, regret, value of information)
 * and `legation optimize` (best lever values under constraints with a
 * noisy optimiser).  Methods: docs/DECISIONS.md.
 */
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"

#define MAX_INPUT (1 << 20)
#define MAX_CELL_REPS 200000 /* --accuracy refuses to ask for more per cell */

/* ----------------------------------------------------------- helpers */

/* Read a whole file (at most 1 MiB); prints the message and returns an exit
 * code, 0 with *text (malloc'd, NUL-terminated) on success. */
static int read_text(const char *cmd, const char *path, char **text, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    cli_err("%s: %s: %s", cmd, path, strerror(errno));
    return CLI_EXIT_IO;
  }
  char *buf = malloc(MAX_INPUT + 2);
  if (!buf) {
    fclose(f);
    cli_err("out of memory");
    return CLI_EXIT_RUN;
  }
  size_t n = fread(buf, 1, MAX_INPUT + 1, f);
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    free(buf);
    cli_err("%s: %s: read error", cmd, path);
    return CLI_EXIT_IO;
  }
  if (n > MAX_INPUT) {
    free(buf);
    cli_err("%s: %s: expected at most 1 MiB, found more", cmd, path);
    return CLI_EXIT_DATA;
  }
  buf[n] = 0;
  *text = buf;
  *len = n;
  return CLI_EXIT_OK;
}

/* The utilities of both sides: --utility FILE or the defaults. */
static int load_utility(const cli_args *a, const char *cmd, legation_utility u[2]) {
  legation_utility_default(&u[0]);
  legation_utility_default(&u[1]);
  if (!a->utility) return CLI_EXIT_OK;
  char *text, *err = NULL;
  size_t len;
  int rc = read_text(cmd, a->utility, &text, &len);
  if (rc) return rc;
  legation_status st = legation_utility_load_string(text, len, a->utility, u, &err);
  free(text);
  if (st) {
    if (err) cli_err_lines(err);
    legation_free(err);
    return cli_exit_for(st);
  }
  return CLI_EXIT_OK;
}

/* Load the operand, --set, validate. */
static int load_base(const cli_args *a, const char *cmd, const char *operand,
                     legation_scenario **out) {
  legation_scenario *sc = legation_scenario_new();
  if (!sc) {
    cli_err("out of memory");
    return CLI_EXIT_RUN;
  }
  int rc = cli_load_scenario(sc, cmd, operand);
  if (!rc) rc = cli_apply_sets(sc, cmd, a->sets, a->nsets);
  if (!rc) {
    legation_status st = legation_scenario_validate(sc);
    if (st) {
      cli_err_lines(legation_scenario_errmsg(sc));
      rc = cli_exit_for(st);
    }
  }
  if (rc) {
    legation_scenario_free(sc);
    return rc;
  }
  *out = sc;
  return CLI_EXIT_OK;
}

/* Run sc with reps replications from seed, keeping every replication. */
static int run_kept(const cli_args *a, const char *cmd, const legation_scenario *sc,
                    int64_t reps, uint64_t seed, legation_run **out) {
  legation_run *run = legation_run_new(sc);
  if (!run) {
    cli_err("out of memory");
    return CLI_EXIT_RUN;
  }
  legation_status st = legation_run_set_reps(run, reps);
  if (!st) st = legation_run_set_seed(run, seed);
  if (!st) st = legation_run_set_threads(run, a->threads);
  if (!st) st = legation_run_set_keep_reps(run, 1);
  if (!st) {
    cli_progress prog;
    cli_progress_init(&prog, !a->given[CLI_OPT_QUIET] && isatty(STDERR_FILENO));
    legation_run_set_progress(run, cli_progress_cb, &prog);
    st = legation_run_execute(run);
    cli_progress_done(&prog);
  }
  if (st) {
    const char *m = legation_run_errmsg(run);
    cli_err("%s: %s", cmd, m && *m ? m : legation_strerror(st));
    legation_run_free(run);
    return cli_exit_for(st);
  }
  *out = run;
  return CLI_EXIT_OK;
}

/* Strategy s of player p by name, or its number when unnamed. */
static const char *strat(const legation_game *g, int p, int s, char *buf, size_t n) {
  const char *t = legation_game_strategy(g, p, s);
  if (t && *t) return t;
  snprintf(buf, n, "%d", s + 1);
  return buf;
}

static const char *side_name(const legation_scenario *sc, int side) {
  const char *s = legation_scenario_state_name(sc, side);
  return s && *s ? s : side ? "B" : "A";
}

/* Mean, sd and range of x[0..n). */
static void moments(const double *x, int64_t n, double *mean, double *sd, double *range) {
  double s = 0, lo = INFINITY, hi = -INFINITY;
  for (int64_t i = 0; i < n; i++) {
    s += x[i];
    if (x[i] < lo) lo = x[i];
    if (x[i] > hi) hi = x[i];
  }
  double m = s / (double)n, v = 0;
  for (int64_t i = 0; i < n; i++) v += (x[i] - m) * (x[i] - m);
  *mean = m;
  *sd = n > 1 ? sqrt(v / (double)(n - 1)) : 0;
  *range = hi - lo;
}

/* Both sides' utilities in every replication of run into u0, u1. */
static int utilities(const char *cmd, const legation_run *run, int64_t reps,
                     const legation_utility u[2], double *u0, double *u1) {
  for (int64_t r = 0; r < reps; r++)
    for (int s = 0; s < 2; s++) {
      double *dst = s ? u1 : u0;
      if (!dst) continue;
      legation_status st = legation_run_utility(run, r, s, &u[s], &dst[r]);
      if (st) {
        cli_err("%s: utility of replication %lld: %s", cmd, (long long)r, legation_strerror(st));
        return CLI_EXIT_RUN;
      }
    }
  return CLI_EXIT_OK;
}

static void print_utility(FILE *f, const legation_scenario *sc, const legation_utility u[2],
                          const char *file) {
  fprintf(f, "Utilities (%s):\n", file ? file : "defaults: each side's gain minus the other's");
  for (int s = 0; s < 2; s++)
    fprintf(f,
            "  %-8s own_gain %g, other_gain %g, function %g, settled %g, expelled %g, spiral "
            "%g\n",
            side_name(sc, s), u[s].own_gain, u[s].other_gain, u[s].function, u[s].settled,
            u[s].expelled, u[s].spiral);
}

static json_t *utility_json(const legation_utility *u) {
  json_t *o = json_object();
  json_object_set_new(o, "own_gain", json_real(u->own_gain));
  json_object_set_new(o, "other_gain", json_real(u->other_gain));
  json_object_set_new(o, "function", json_real(u->function));
  json_object_set_new(o, "settled", json_real(u->settled));
  json_object_set_new(o, "expelled", json_real(u->expelled));
  json_object_set_new(o, "spiral", json_real(u->spiral));
  return o;
}


static int dump_json(json_t *root) {
  int rc = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) ? CLI_EXIT_RUN
                                                                               : CLI_EXIT_OK;
  json_decref(root);
  if (!rc) fputc('\n', stdout);
  return rc;
}

/* ------------------------------------------------------------- game */

/* Is row i a best response of player 1 to column j (*b1), and column j one
 * of player 2 to row i (*b2)?  At the means. */
static void best_responses(const legation_game *g, int i, int j, int *b1, int *b2) {
  double a, b, x, y;
  legation_game_payoff(g, i, j, &a, &b);
  *b1 = *b2 = 1;
  for (int k = 0; k < legation_game_rows(g); k++) {
    legation_game_payoff(g, k, j, &x, &y);
    if (x > a) *b1 = 0;
  }
  for (int k = 0; k < legation_game_cols(g); k++) {
    legation_game_payoff(g, i, k, &x, &y);
    if (y > b) *b2 = 0;
  }
}

/* Per-replication utilities of every cell of a simulated game: u[2*c] is
 * A's and u[2*c+1] B's in cell c = i*n + j, reps[c] of them; replication r
 * is the same world in every cell (common random numbers). */
typedef struct cell_draws {
  int m, n;
  int64_t *reps;
  double **u;
} cell_draws;

/* Largest gain of a pure deviation from the pure profile (i1, i2) for
 * player p, as the upper end of the paired 95% interval over the
 * replications the two cells share; *to the deviation.  -inf if none. */
static double paired_gain(const cell_draws *cd, int p, int i1, int i2, int *to) {
  int n = cd->n, own = p ? cd->n : cd->m;
  int base = i1 * n + i2;
  double best = -INFINITY;
  *to = -1;
  for (int d = 0; d < own; d++) {
    if (d == (p ? i2 : i1)) continue;
    int c = p ? i1 * n + d : d * n + i2;
    int64_t k = cd->reps[c] < cd->reps[base] ? cd->reps[c] : cd->reps[base];
    const double *x = cd->u[2 * c + p], *y = cd->u[2 * base + p];
    double s1 = 0, s2 = 0;
    for (int64_t r = 0; r < k; r++) {
      double v = x[r] - y[r];
      s1 += v;
      s2 += v * v;
    }
    double mean = s1 / (double)k;
    double sd = k > 1 ? sqrt(fmax(0, (s2 - s1 * s1 / (double)k) / (double)(k - 1))) : 0;
    double up = mean + 1.96 * sd / sqrt((double)k);
    if (up > best) {
      best = up;
      *to = d;
    }
  }
  return best;
}

/* Solve g and print (or add to json) its equilibria with their regret;
 * cd (NULL for a game read from a file) gives the paired deviation test. */
static int report_game(legation_game *g, const char *name0, const char *name1, json_t *root,
                       int show_regret, const cell_draws *cd) {
  legation_status st = legation_game_solve(g);
  if (st) {
    cli_err("game: %s", legation_game_errmsg(g));
    return cli_exit_for(st);
  }
  legation_game_info info;
  legation_game_info_get(g, &info);
  int m = legation_game_rows(g), n = legation_game_cols(g);
  double *p1 = malloc(sizeof(double) * m), *p2 = malloc(sizeof(double) * n);
  if (!p1 || !p2) {
    free(p1);
    free(p2);
    cli_err("out of memory");
    return CLI_EXIT_RUN;
  }
  json_t *eqs = json_array();
  if (!root) {
    printf("Equilibria: %d (%d pure) by %s%s%s\n", info.count, info.pure, info.method,
           info.complete ? ", all extreme equilibria" : ", possibly incomplete",
           info.degenerate ? "; the game is degenerate (sets of equilibria: extreme points "
                             "listed)"
                           : "");
  }
  for (int k = 0; k < info.count; k++) {
    char *t = legation_game_equilibrium_text(g, k);
    legation_game_equilibrium(g, k, p1, p2);
    double u1, u2;
    legation_game_profile_payoff(g, p1, p2, &u1, &u2);
    legation_game_regret r;
    legation_game_regret_get(g, p1, p2, &r);
    if (!root) {
      printf("%s\n", t ? t : "NE,?");
      /* pure profiles by name */
      int i1 = -1, i2 = -1;
      for (int i = 0; i < m; i++)
        if (p1[i] == 1) i1 = i;
      for (int j = 0; j < n; j++)
        if (p2[j] == 1) i2 = j;
      char b1[16], b2[16];
      if (i1 >= 0 && i2 >= 0)
        printf("  %s plays %s, %s plays %s", name0, strat(g, 0, i1, b1, sizeof b1), name1,
               strat(g, 1, i2, b2, sizeof b2));
      else
        printf("  mixed");
      printf("; payoffs %.4g, %.4g\n", u1, u2);
      if (show_regret)
        printf("  worst-case regret within the intervals %.3g, %.3g (half-widths %.3g, %.3g): "
               "%s\n",
               r.worst[0], r.worst[1], r.eps[0], r.eps[1],
               r.survives ? "survives the uncertainty" : "does not survive the uncertainty");
      if (cd && i1 >= 0 && i2 >= 0) {
        int to[2];
        double up[2] = {paired_gain(cd, 0, i1, i2, &to[0]), paired_gain(cd, 1, i1, i2, &to[1])};
        printf("  paired deviation test (common random numbers), largest gain from deviating, "
               "95%% upper bound:");
        for (int q = 0; q < 2; q++)
          if (to[q] >= 0)
            printf(" %s %.3g (to %s)%s", q ? name1 : name0, up[q],
                   strat(g, q, to[q], q ? b2 : b1, 16), q ? "" : ",");
        printf(": %s\n", up[0] < 0 && up[1] < 0 ? "every deviation clearly loses"
                                                 : "some deviation may gain");
      }
    } else {
      json_t *e = json_object(), *a1 = json_array(), *a2 = json_array();
      for (int i = 0; i < m; i++) json_array_append_new(a1, json_real(p1[i]));
      for (int j = 0; j < n; j++) json_array_append_new(a2, json_real(p2[j]));
      json_object_set_new(e, "ne", json_string(t ? t : ""));
      json_object_set_new(e, "p1", a1);
      json_object_set_new(e, "p2", a2);
      json_object_set_new(e, "payoff", json_pack("[o,o]", cli_json_num(u1), cli_json_num(u2)));
      json_object_set_new(e, "regret", json_pack("[o,o]", cli_json_num(r.regret[0]), cli_json_num(r.regret[1])));
      json_object_set_new(e, "worst_regret", json_pack("[o,o]", cli_json_num(r.worst[0]), cli_json_num(r.worst[1])));
      json_object_set_new(e, "halfwidth", json_pack("[o,o]", cli_json_num(r.eps[0]), cli_json_num(r.eps[1])));
      json_object_set_new(e, "survives", json_boolean(r.survives));
      int pi1 = -1, pi2 = -1;
      for (int i = 0; i < m; i++)
        if (p1[i] == 1) pi1 = i;
      for (int j = 0; j < n; j++)
        if (p2[j] == 1) pi2 = j;
      if (cd && pi1 >= 0 && pi2 >= 0) {
        int to[2];
        double up0 = paired_gain(cd, 0, pi1, pi2, &to[0]), up1 = paired_gain(cd, 1, pi1, pi2, &to[1]);
        json_object_set_new(e, "paired_gain_upper", json_pack("[o,o]", cli_json_num(up0), cli_json_num(up1)));
      }
      json_array_append_new(eqs, e);
    }
    legation_free(t);
  }
  int zs = legation_game_is_zero_sum(g);
  double v = NAN, sec[2] = {NAN, NAN};
  for (int s = 0; s < 2; s++)
    if (legation_game_maxmin(g, s, &sec[s], NULL)) sec[s] = NAN;
  v = sec[0];
  if (!root) {
    char *exact = zs && legation_game_is_exact(g) && info.count
                      ? legation_game_equilibrium_payoff_text(g, 0, 0)
                      : NULL;
    if (zs && exact)
      printf("Zero-sum: the value for %s is %s (%.6g by linear programming)\n", name0, exact, v);
    else if (zs)
      printf("Zero-sum: the value for %s is %.6g (linear programming)\n", name0, v);
    else
      printf("Security levels (max-min, linear programming): %s %.6g, %s %.6g\n", name0, sec[0],
             name1, sec[1]);
    legation_free(exact);
  } else {
    json_object_set_new(root, "method", json_string(info.method));
    json_object_set_new(root, "complete", json_boolean(info.complete));
    json_object_set_new(root, "degenerate", json_boolean(info.degenerate));
    json_object_set_new(root, "exact", json_boolean(legation_game_is_exact(g)));
    json_object_set_new(root, "equilibria", eqs);
    json_object_set_new(root, "zero_sum", json_boolean(zs));
    json_object_set_new(root, "maxmin", json_pack("[o,o]", cli_json_num(sec[0]), cli_json_num(sec[1])));
    eqs = NULL;
  }
  json_decref(eqs);
  free(p1);
  free(p2);
  return CLI_EXIT_OK;
}

static int write_nfg(const cli_args *a, const char *path, legation_game *g) {
  char *t = legation_game_write_nfg(g);
  if (!t) {
    cli_err("out of memory");
    return CLI_EXIT_RUN;
  }
  cli_atomic af;
  int rc = cli_atomic_open(&af, a, path);
  if (rc) {
    legation_free(t);
    return rc;
  }
  fputs(t, af.f);
  legation_free(t);
  return cli_atomic_commit(&af, "game") ? CLI_EXIT_IO : CLI_EXIT_OK;
}

/* legation game --nfg FILE: solve an imported game. */
static int game_import(const cli_args *a) {
  char *text, *err = NULL;
  size_t len;
  int rc = read_text("game", a->nfg, &text, &len);
  if (rc) return rc;
  legation_game *g = NULL;
  legation_status st = legation_game_read_nfg(text, a->nfg, &g, &err);
  free(text);
  if (st) {
    cli_err_lines(err ? err : legation_strerror(st));
    legation_free(err);
    return cli_exit_for(st);
  }
  json_t *root = a->given[CLI_OPT_JSON] ? json_object() : NULL;
  const char *n0 = legation_game_player(g, 0), *n1 = legation_game_player(g, 1);
  if (!root)
    printf("%dx%d game from %s (exact payoffs)\n", legation_game_rows(g), legation_game_cols(g),
           a->nfg);
  else
    json_object_set_new(root, "file", json_string(a->nfg));
  rc = report_game(g, n0 && *n0 ? n0 : "player 1", n1 && *n1 ? n1 : "player 2", root, 0, NULL);
  legation_game_free(g);
  if (root) {
    if (!rc) return dump_json(root);
    json_decref(root);
  }
  return rc;
}

int cli_cmd_game(const cli_args *a) {
  if (cli_output_check(a, a->report)) return CLI_EXIT_USAGE;
  if (!a->npos) {
    if (!a->nfg)
      return cli_usage_error(a->cmd, "missing operand SCENARIO (or --nfg FILE to solve a "
                                     "Gambit game)");
    if (a->strategies || a->utility || a->given[CLI_OPT_ACCURACY] || a->given[CLI_OPT_REPS] ||
        a->nsets)
      return cli_usage_error(a->cmd, "--nfg FILE without SCENARIO solves that game: "
                                     "--strategies, --utility, --accuracy, --reps and --set "
                                     "need SCENARIO");
    return game_import(a);
  }
  if (!a->strategies) return cli_usage_error(a->cmd, "SCENARIO needs --strategies FILE");
  if (a->reps > MAX_CELL_REPS)
    return cli_usage_error(a->cmd, "--reps: expected at most %d replications per cell, found %lld",
                           MAX_CELL_REPS, (long long)a->reps);
  if (a->given[CLI_OPT_ACCURACY] && a->given[CLI_OPT_REPS])
    return cli_usage_error(a->cmd, "--accuracy and --reps cannot be combined: --accuracy "
                                   "chooses each cell's replications");
  legation_utility u[2];
  int rc = load_utility(a, "game", u);
  if (rc) return rc;
  char *text, *err = NULL;
  size_t len;
  rc = read_text("game", a->strategies, &text, &len);
  if (rc) return rc;
  legation_strategies *S = NULL;
  legation_status st = legation_strategies_load_string(text, len, a->strategies, &S, &err);
  free(text);
  if (st) {
    cli_err_lines(err ? err : legation_strerror(st));
    legation_free(err);
    return cli_exit_for(st);
  }
  legation_scenario *base = NULL;
  rc = load_base(a, "game", a->pos[0], &base);
  int m = legation_strategies_count(S, 0), n = legation_strategies_count(S, 1);
  legation_game *g = rc ? NULL : legation_game_new(m, n);
  if (!rc && !g) {
    cli_err("out of memory");
    rc = CLI_EXIT_RUN;
  }
  /* every cell's scenario first, so a bad strategy fails before any run */
  legation_scenario **cells = rc ? NULL : calloc((size_t)m * n, sizeof *cells);
  if (!rc && !cells) rc = CLI_EXIT_RUN;
  for (int i = 0; i < m && !rc; i++)
    for (int j = 0; j < n && !rc; j++) {
      legation_scenario *c = legation_scenario_clone(base);
      if (!c) {
        rc = CLI_EXIT_RUN;
        break;
      }
      cells[i * n + j] = c;
      for (int s = 0; s < 2 && !rc; s++) {
        st = legation_strategies_apply(S, s, s ? j : i, c, &err);
        if (!st) st = legation_scenario_validate(c);
        if (st) {
          if (err)
            cli_err_lines(err);
          else
            cli_err("game: cell (%s, %s): %s", legation_strategies_name(S, 0, i),
                    legation_strategies_name(S, 1, j), legation_scenario_errmsg(c));
          legation_free(err);
          err = NULL;
          rc = cli_exit_for(st);
        }
      }
    }
  const char *n0 = base ? side_name(base, 0) : "A", *n1 = base ? side_name(base, 1) : "B";
  int64_t pilot = 200;
  double hmax = 0;
  int64_t *cell_reps = rc ? NULL : calloc((size_t)m * n, sizeof(int64_t));
  double *hw = rc ? NULL : calloc((size_t)m * n * 2, sizeof(double));
  double **draws = rc ? NULL : calloc((size_t)m * n * 2, sizeof(double *));
  if (!rc && (!cell_reps || !hw || !draws)) rc = CLI_EXIT_RUN;
  for (int i = 0; i < m && !rc; i++)
    for (int j = 0; j < n && !rc; j++) {
      int c = i * n + j;
      int64_t reps = a->given[CLI_OPT_ACCURACY] ? pilot : a->reps;
      legation_run *run = NULL;
      double *x = NULL, *y = NULL;
      for (int pass = 0; pass < 2 && !rc; pass++) {
        rc = run_kept(a, "game", cells[c], reps, a->seed, &run);
        if (rc) break;
        free(x);
        free(y);
        x = malloc(sizeof(double) * reps);
        y = malloc(sizeof(double) * reps);
        if (!x || !y) {
          rc = CLI_EXIT_RUN;
          break;
        }
        rc = utilities("game", run, reps, u, x, y);
        legation_run_free(run);
        run = NULL;
        if (rc || !a->given[CLI_OPT_ACCURACY] || pass == 1) break;
        /* --accuracy: empirical Bernstein on the pilot's variance, the
         * pilot's range standing in for the a priori range */
        int64_t need = 2;
        for (int s = 0; s < 2; s++) {
          double mu, sd, range;
          moments(s ? y : x, reps, &mu, &sd, &range);
          int64_t k = range > 0 ? legation_reps_bernstein(a->accuracy, 0.05, range, sd * sd) : 2;
          if (k < 0 || k > MAX_CELL_REPS) {
            cli_err("game: --accuracy %g: cell (%s, %s) would need more than %d replications "
                    "(%s's utility ranges over %.4g in the pilot); ask for a larger accuracy",
                    a->accuracy, legation_strategies_name(S, 0, i),
                    legation_strategies_name(S, 1, j), MAX_CELL_REPS, side_name(base, s), range);
            rc = CLI_EXIT_USAGE;
            break;
          }
          if (k > need) need = k;
        }
        if (rc || need <= pilot) break;
        reps = need;
      }
      if (!rc) {
        double mu[2], sd[2], range;
        moments(x, reps, &mu[0], &sd[0], &range);
        moments(y, reps, &mu[1], &sd[1], &range);
        legation_game_set_payoff(g, i, j, mu[0], mu[1]);
        hw[2 * c] = 1.96 * sd[0] / sqrt((double)reps);
        hw[2 * c + 1] = 1.96 * sd[1] / sqrt((double)reps);
        legation_game_set_halfwidth(g, i, j, hw[2 * c], hw[2 * c + 1]);
        if (hw[2 * c] > hmax) hmax = hw[2 * c];
        if (hw[2 * c + 1] > hmax) hmax = hw[2 * c + 1];
        cell_reps[c] = reps;
        draws[2 * c] = x; /* kept for the paired deviation test */
        draws[2 * c + 1] = y;
        x = y = NULL;
      }
      free(x);
      free(y);
    }
  if (!rc) {
    legation_game_set_title(g, legation_scenario_name(base));
    legation_game_set_player(g, 0, n0);
    legation_game_set_player(g, 1, n1);
    for (int i = 0; i < m; i++) legation_game_set_strategy(g, 0, i, legation_strategies_name(S, 0, i));
    for (int j = 0; j < n; j++) legation_game_set_strategy(g, 1, j, legation_strategies_name(S, 1, j));
  }
  json_t *root = NULL;
  const int json = a->given[CLI_OPT_JSON] != 0;
  if (!rc && (json || a->report)) { /* the JSON document, also the report's data */
    root = json_object();
    json_object_set_new(root, "scenario", json_string(legation_scenario_name(base)));
    json_object_set_new(root, "seed", cli_json_seed(a->seed));
    json_object_set_new(root, "players", json_pack("[s,s]", n0, n1));
    json_t *rows = json_array(), *cols = json_array(), *cellsj = json_array();
    for (int i = 0; i < m; i++) json_array_append_new(rows, json_string(legation_strategies_name(S, 0, i)));
    for (int j = 0; j < n; j++) json_array_append_new(cols, json_string(legation_strategies_name(S, 1, j)));
    for (int i = 0; i < m; i++) {
      json_t *row = json_array();
      for (int j = 0; j < n; j++) {
        double p1, p2;
        legation_game_payoff(g, i, j, &p1, &p2);
        int b1, b2;
        best_responses(g, i, j, &b1, &b2);
        json_array_append_new(row, json_pack("{s:o,s:o,s:o,s:o,s:I,s:b,s:b}", "a", cli_json_num(p1), "b",
                                             cli_json_num(p2), "halfwidth_a", cli_json_num(hw[2 * (i * n + j)]),
                                             "halfwidth_b", cli_json_num(hw[2 * (i * n + j) + 1]), "reps",
                                             (json_int_t)cell_reps[i * n + j], "best_response_a",
                                             b1, "best_response_b", b2));
      }
      json_array_append_new(cellsj, row);
    }
    json_object_set_new(root, "strategies", json_pack("{s:o,s:o}", "a", rows, "b", cols));
    json_object_set_new(root, "payoffs", cellsj);
    json_object_set_new(root, "utility", json_pack("{s:o,s:o}", "a", utility_json(&u[0]), "b",
                                                   utility_json(&u[1])));
  }
  if (!rc && !json) {
    printf("Game: %s, strategies from %s; rows: %s, columns: %s\n", legation_scenario_name(base),
           a->strategies, n0, n1);
    print_utility(stdout, base, u, a->utility);
    if (a->given[CLI_OPT_ACCURACY])
      printf("Replications per cell for +-%g at 95%% (empirical Bernstein on a %lld-replication "
             "pilot), seed %llu, common random numbers across cells\n",
             a->accuracy, (long long)pilot, (unsigned long long)a->seed);
    else
      printf("%lld replications per cell, seed %llu, common random numbers across cells\n",
             (long long)a->reps, (unsigned long long)a->seed);
    printf("\nPayoffs (%s, %s): mean +- 95%% half-width; * marks a best response to the "
           "other side's strategy\n",
           n0, n1);
    for (int i = 0; i < m; i++) {
      printf("  %s\n", legation_strategies_name(S, 0, i));
      for (int j = 0; j < n; j++) {
        double p1, p2;
        legation_game_payoff(g, i, j, &p1, &p2);
        int b1, b2;
        best_responses(g, i, j, &b1, &b2);
        printf("    vs %-24s %10.4g%s +- %-8.3g %10.4g%s +- %-8.3g",
               legation_strategies_name(S, 1, j), p1, b1 ? "*" : " ", hw[2 * (i * n + j)], p2,
               b2 ? "*" : " ", hw[2 * (i * n + j) + 1]);
        if (a->given[CLI_OPT_ACCURACY]) printf(" (%lld reps)", (long long)cell_reps[i * n + j]);
        printf("\n");
      }
    }
    printf("\n");
  }
  cell_draws cd = {m, n, cell_reps, draws};
  if (!rc && !json) rc = report_game(g, n0, n1, NULL, 1, &cd);
  if (!rc && root) rc = report_game(g, n0, n1, root, 1, &cd);
  if (!rc && a->nfg) rc = write_nfg(a, a->nfg, g);
  if (!rc && root && a->report) { /* web/src/report.js, kind "game" */
    json_object_set_new(root, "kind", json_string("game"));
    json_object_set_new(root, "legation_version", json_string(legation_version()));
    rc = cli_report_write(a, a->report, root);
    json_object_del(root, "kind");
    json_object_del(root, "legation_version");
  }
  if (root) {
    if (!rc && json)
      rc = dump_json(root);
    else
      json_decref(root);
  }
  for (int c = 0; cells && c < m * n; c++) legation_scenario_free(cells[c]);
  free(cells);
  for (int c = 0; draws && c < 2 * m * n; c++) free(draws[c]);
  free(draws);
  free(cell_reps);
  free(hw);
  legation_game_free(g);
  legation_scenario_free(base);
  legation_strategies_free(S);
  return rc;
}

/* ------------------------------------------------------------ decide */

/*
 * The worlds of a decision.  Fills u[w*K + k] with the side's utility of
 * option k in world w, and theta[w*P + j] with the value of uncertain
 * parameter j in world w (names in keys[j]); *W, *P set.
 *
 * With --uncertain (or --vary), a world is one draw of the plausible
 * ranges (legation_run_vary, Latin hypercube keyed by seed, parameter and
 * world, so every option's run draws the same worlds) and the utility is
 * the mean over its --reps-per-world replications; a parameter an option
 * sets as a lever keeps its value in that option's run.  Without, a world
 * is one replication of fixed parameters (common random numbers across
 * options) and no parameter varies (P = 0).
 */
static int decide_worlds(const cli_args *a, legation_scenario **opts, int K, int side,
                         const legation_utility *u, double **uo, int *W, double **theta, int *P,
                         char ***keys) {
  int64_t reps = a->reps;
  int drawn = a->given[CLI_OPT_UNCERTAIN] || a->nvary || a->posterior;
  int64_t rpw = drawn ? (a->reps_per_world ? a->reps_per_world : 10) : 1;
  if (reps > 2000000)
    return cli_usage_error(a->cmd, "--reps: expected at most 2000000, found %lld",
                           (long long)reps);
  if (!drawn && a->reps_per_world)
    return cli_usage_error(a->cmd, "--reps-per-world: only with --uncertain or --vary");
  int64_t nw = (reps + rpw - 1) / rpw;
  if (nw < 2)
    return cli_usage_error(a->cmd, "--reps: %lld replications make %lld world; give at least two",
                           (long long)reps, (long long)nw);
  double *U = calloc((size_t)nw * K, sizeof(double));
  double *col = malloc(sizeof(double) * (size_t)reps);
  int64_t *cnt = calloc((size_t)nw, sizeof *cnt);
  double *th = NULL;
  char **kn = NULL;
  int np = 0;
  if (!U || !col || !cnt) {
    free(U), free(col), free(cnt);
    cli_err("out of memory");
    return CLI_EXIT_RUN;
  }
  legation_utility both[2] = {u[0], u[1]};
  int rc = 0;
  for (int k = 0; k < K && !rc; k++) {
    legation_run *run = legation_run_new(opts[k]);
    if (!run) {
      rc = CLI_EXIT_RUN;
      break;
    }
    if (drawn) {
      /* the draws of the base's uncertain parameters (cli_configure_uncertainty
       * wants the run's own options; here the reps are set by decide) */
      rc = cli_configure_uncertainty(run, a);
      if (!rc && legation_run_set_reps_per_world(run, rpw) != LEGATION_OK) rc = CLI_EXIT_USAGE;
    }
    legation_status st = rc ? LEGATION_OK : legation_run_set_reps(run, reps);
    if (!rc && !st) st = legation_run_set_seed(run, a->seed);
    if (!rc && !st) st = legation_run_set_threads(run, a->threads);
    if (!rc && !st) st = legation_run_set_keep_reps(run, 1);
    if (!rc && !st) {
      cli_progress prog;
      cli_progress_init(&prog, !a->given[CLI_OPT_QUIET] && isatty(STDERR_FILENO));
      legation_run_set_progress(run, cli_progress_cb, &prog);
      st = legation_run_execute(run);
      cli_progress_done(&prog);
    }
    if (!rc && st) {
      const char *m = legation_run_errmsg(run);
      cli_err("decide: %s: %s", legation_scenario_name(opts[k]), m && *m ? m : legation_strerror(st));
      rc = cli_exit_for(st);
    }
    if (!rc) rc = utilities("decide", run, reps, both, side ? NULL : col, side ? col : NULL);
    if (!rc && k == 0 && drawn) {
      /* the parameters of each world, from the base's run */
      np = legation_run_vary_count(run);
      th = malloc(sizeof(double) * (size_t)nw * (size_t)(np ? np : 1));
      kn = calloc((size_t)np + 1, sizeof *kn);
      if (!th || !kn) rc = CLI_EXIT_RUN;
      for (int j = 0; !rc && j < np; j++) {
        const char *key = legation_run_vary_key(run, j);
        kn[j] = malloc(strlen(key) + 1);
        if (!kn[j]) {
          rc = CLI_EXIT_RUN;
          break;
        }
        strcpy(kn[j], key);
        for (int64_t w = 0; w < nw; w++)
          legation_run_rep_param(run, 0, w * rpw, key, &th[(size_t)w * np + j]);
      }
    }
    legation_run_free(run);
    if (!rc) {
      for (int64_t w = 0; w < nw; w++) cnt[w] = 0;
      for (int64_t r = 0; r < reps; r++) {
        U[(size_t)(r / rpw) * K + k] += col[r];
        cnt[r / rpw]++;
      }
      for (int64_t w = 0; w < nw; w++) U[(size_t)w * K + k] /= (double)cnt[w];
    }
  }
  free(col);
  free(cnt);
  if (rc) {
    free(U);
    free(th);
    for (int j = 0; kn && j < np; j++) free(kn[j]);
    free(kn);
    if (rc == CLI_EXIT_RUN) cli_err("decide: out of memory");
    return rc;
  }
  *uo = U;
  *W = (int)nw;
  *theta = th;
  *P = np;
  *keys = kn;
  return CLI_EXIT_OK;
}

/* EVPPI of every drawn parameter, largest first, as text or JSON. */
typedef struct voi_row {
  int j;
  double v, lo, hi;
} voi_row;

static int cmp_voi(const void *x, const void *y) {
  const voi_row *a = x, *b = y;
  return (a->v < b->v) - (a->v > b->v);
}

static voi_row *evppi_all(const double *U, int W, int K, const double *theta, int P, uint64_t seed) {
  voi_row *rows = calloc((size_t)(P ? P : 1), sizeof *rows);
  if (!rows) return NULL;
  for (int j = 0; j < P; j++) {
    rows[j].j = j;
    if (legation_voi_evppi(U, W, K, theta, P, &j, 1, 100, seed, &rows[j].v, &rows[j].lo,
                           &rows[j].hi) != LEGATION_OK)
      rows[j].v = rows[j].lo = rows[j].hi = NAN;
  }
  qsort(rows, (size_t)P, sizeof *rows, cmp_voi);
  return rows;
}

/* --groups FILE (the format of `legation sensitivity --groups`: lines
 * "NAME: key, key, ..."; '#' comments): the EVPPI of each group of drawn
 * parameters, learned together.  Keys not drawn are skipped; a group with
 * none is reported as such.  Text or (when arr is not NULL) JSON rows. */
static int evppi_groups(const cli_args *a, const double *U, int W, int K, const double *theta,
                        int P, char **keys, json_t *arr) {
  FILE *f = fopen(a->groups, "r");
  if (!f) {
    cli_err("decide: --groups: cannot read '%s'", a->groups);
    return CLI_EXIT_IO;
  }
  char line[4096];
  int lineno = 0, rc = CLI_EXIT_OK, *cols = malloc(sizeof(int) * (size_t)(P ? P : 1));
  if (!cols) {
    fclose(f);
    return CLI_EXIT_RUN;
  }
  if (!arr) printf("\nValue of learning a group of parameters first (EVPPI per group):\n");
  while (fgets(line, sizeof line, f)) {
    lineno++;
    char *h = strchr(line, '#');
    if (h) *h = 0;
    char *colon = strchr(line, ':');
    if (!colon) {
      if (strspn(line, " \t\r\n") != strlen(line)) {
        cli_err("decide: %s:%d: expected 'NAME: key, key, ...'", a->groups, lineno);
        rc = CLI_EXIT_DATA;
        break;
      }
      continue;
    }
    *colon = 0;
    int n = 0;
    char *save = NULL;
    for (char *t = strtok_r(colon + 1, ", \t\r\n", &save); t; t = strtok_r(NULL, ", \t\r\n", &save))
      for (int j = 0; j < P; j++)
        if (!strcmp(keys[j], t)) cols[n++] = j;
    double v = NAN, lo = NAN, hi = NAN;
    if (n > 0) legation_voi_evppi(U, W, K, theta, P, cols, n, 100, a->seed, &v, &lo, &hi);
    if (arr)
      json_array_append_new(arr, json_pack("{s:s,s:i,s:o,s:o,s:o}", "group", line, "parameters", n,
                                           "evppi", cli_json_num(v), "lo", cli_json_num(lo), "hi", cli_json_num(hi)));
    else if (n > 0)
      printf("  %-44s %10.4g  (%.4g to %.4g), %d parameter%s\n", line, v, lo, hi, n, n == 1 ? "" : "s");
    else
      printf("  %-44s (none of its parameters is drawn)\n", line);
  }
  fclose(f);
  free(cols);
  return rc;
}

int cli_cmd_decide(const cli_args *a) {
  int side = a->side && (a->side[0] == 'B' || a->side[0] == 'b') ? 1 : 0;
  legation_utility u[2];
  int rc = cli_output_check(a, a->report);
  if (!rc) rc = load_utility(a, "decide", u);
  if (rc) return rc;
  /* options: the operands, or BASE and the built-in BASE-* */
  int K = 0;
  const char **names = calloc((size_t)(a->npos + legation_builtin_count() + 1), sizeof(char *));
  if (!names) return CLI_EXIT_RUN;
  for (int i = 0; i < a->npos; i++) names[K++] = a->pos[i];
  if (a->npos == 1) {
    size_t bl = strlen(a->pos[0]);
    for (int i = 0; i < legation_builtin_count(); i++) {
      const char *b = legation_builtin_name(i);
      if (strncmp(b, a->pos[0], bl) == 0 && b[bl] == '-') names[K++] = b;
    }
    if (K == 1) {
      free(names);
      return cli_usage_error(a->cmd, "one option only: give BASE and OPTION... (or a built-in "
                                     "BASE with BASE-* options)");
    }
  }
  legation_scenario **opts = calloc((size_t)K, sizeof *opts);
  if (!opts) {
    free(names);
    return CLI_EXIT_RUN;
  }
  for (int k = 0; k < K && !rc; k++) rc = load_base(a, "decide", names[k], &opts[k]);
  double *U = NULL, *theta = NULL;
  int W = 0, P = 0;
  char **keys = NULL;
  if (!rc) rc = decide_worlds(a, opts, K, side, u, &U, &W, &theta, &P, &keys);
  legation_voi_option *res = rc ? NULL : calloc((size_t)K, sizeof *res);
  double evpi = 0;
  if (!rc && (!res || legation_voi_options(U, W, K, res, &evpi))) {
    cli_err("decide: out of memory");
    rc = CLI_EXIT_RUN;
  }
  if (!rc) {
    int best_eu = 0, best_q = 0, best_mr = 0;
    for (int k = 1; k < K; k++) {
      if (res[k].mean > res[best_eu].mean) best_eu = k;
      if (res[k].q05 > res[best_q].q05) best_q = k;
      if (res[k].max_regret < res[best_mr].max_regret) best_mr = k;
    }
    /* the best option's margin over the runner-up, paired world by world
     * (common random numbers make it much tighter than the two means') */
    int second = best_eu == 0 ? 1 : 0;
    for (int k = 0; k < K; k++)
      if (k != best_eu && res[k].mean > res[second].mean) second = k;
    double s1 = 0, s2 = 0;
    for (int w = 0; w < W; w++) {
      double d = U[(size_t)w * K + best_eu] - U[(size_t)w * K + second];
      s1 += d;
      s2 += d * d;
    }
    double md = s1 / W, sdd = W > 1 ? sqrt(fmax(0, (s2 - s1 * s1 / W) / (W - 1))) : 0;
    double hw = 1.96 * sdd / sqrt((double)W);
    const char *sname = side_name(opts[0], side);
    if (a->given[CLI_OPT_JSON] || a->report) {
      json_t *root = json_object(), *arr = json_array();
      json_object_set_new(root, "side", json_string(sname));
      json_object_set_new(root, "worlds", json_integer(W));
      json_object_set_new(root, "world", json_string(P ? "a draw of the plausible ranges"
                                                          : "replication (fixed parameters)"));
      json_object_set_new(root, "seed", cli_json_seed(a->seed));
      json_object_set_new(root, "utility", utility_json(&u[side]));
      for (int k = 0; k < K; k++)
        json_array_append_new(
            arr, json_pack("{s:s,s:o,s:o,s:o,s:o,s:o}", "option", legation_scenario_name(opts[k]),
                           "expected_utility", cli_json_num(res[k].mean), "q05", cli_json_num(res[k].q05),
                           "mean_regret", cli_json_num(res[k].mean_regret), "max_regret",
                           cli_json_num(res[k].max_regret), "share_best", cli_json_num(res[k].share_best)));
      json_object_set_new(root, "options", arr);
      json_object_set_new(root, "best",
                          json_pack("{s:s,s:s,s:s}", "expected_utility",
                                    legation_scenario_name(opts[best_eu]), "q05",
                                    legation_scenario_name(opts[best_q]), "max_regret",
                                    legation_scenario_name(opts[best_mr])));
      json_object_set_new(root, "margin",
                          json_pack("{s:s,s:o,s:o,s:o}", "runner_up",
                                    legation_scenario_name(opts[second]), "mean", cli_json_num(md), "lo",
                                    cli_json_num(md - hw), "hi", cli_json_num(md + hw)));
      json_object_set_new(root, "evpi", cli_json_num(evpi));
      if (P) {
        voi_row *rows = evppi_all(U, W, K, theta, P, a->seed);
        json_t *ev = json_array();
        for (int q = 0; rows && q < P; q++)
          json_array_append_new(ev, json_pack("{s:s,s:o,s:o,s:o}", "parameter", keys[rows[q].j],
                                              "evppi", cli_json_num(rows[q].v), "lo", cli_json_num(rows[q].lo),
                                              "hi", cli_json_num(rows[q].hi)));
        free(rows);
        json_object_set_new(root, "evppi", ev);
        if (a->groups) {
          json_t *ga = json_array();
          int grc = evppi_groups(a, U, W, K, theta, P, keys, ga);
          json_object_set_new(root, "evppi_groups", ga);
          if (!rc) rc = grc;
        }
      } else {
        json_object_set_new(root, "evppi", json_array());
      }
      /* --report: the same document drawn (web/src/report.js, kind "decide") */
      if (a->report) {
        json_object_set_new(root, "kind", json_string("decide"));
        json_object_set_new(root, "legation_version", json_string(legation_version()));
        rc = cli_report_write(a, a->report, root);
      }
      if (!rc && a->given[CLI_OPT_JSON]) {
        json_object_del(root, "kind");
        json_object_del(root, "legation_version");
        rc = dump_json(root);
      } else {
        json_decref(root);
      }
    }
    if (!a->given[CLI_OPT_JSON]) {
      if (P && a->posterior)
        printf("Decision for %s among %d options, %d worlds drawn from the posterior of "
               "calibration %lld (%d parameters, %lld replications each), seed %llu\n",
               sname, K, W, (long long)a->posterior, P,
               (long long)(a->reps_per_world ? a->reps_per_world : 10), (unsigned long long)a->seed);
      else if (P)
        printf("Decision for %s among %d options, %d plausible worlds (%d parameters drawn by "
               "Latin hypercube, %lld replications each), seed %llu\n",
               sname, K, W, P, (long long)(a->reps_per_world ? a->reps_per_world : 10),
               (unsigned long long)a->seed);
      else
        printf("Decision for %s among %d options, %d worlds (replications of fixed parameters, "
               "common random numbers), seed %llu\n",
               sname, K, W, (unsigned long long)a->seed);
      legation_utility one[2] = {u[0], u[1]};
      print_utility(stdout, opts[0], one, a->utility);
      printf("\n  %-44s %12s %12s %12s %12s %8s\n", "option", "E[utility]", "5th pct",
             "mean regret", "max regret", "best in");
      for (int k = 0; k < K; k++)
        printf("  %-44s %12.5g %12.5g %12.5g %12.5g %7.1f%%\n", legation_scenario_name(opts[k]),
               res[k].mean, res[k].q05, res[k].mean_regret, res[k].max_regret,
               100 * res[k].share_best);
      printf("\nBest by expected utility: %s\n", legation_scenario_name(opts[best_eu]));
      printf("  ahead of %s by %.4g (95%% CI %.4g to %.4g, paired over worlds): %s\n",
             legation_scenario_name(opts[second]), md, md - hw, md + hw,
             md - hw > 0 ? "a clear lead" : "not a clear lead at this number of worlds");
      printf("Best by 5th percentile:   %s\n", legation_scenario_name(opts[best_q]));
      printf("Best by maximum regret:   %s\n", legation_scenario_name(opts[best_mr]));
      if (best_eu == best_q && best_eu == best_mr)
        printf("\nIn words: %s is %s's robust choice, best by all three criteria.\n",
               legation_scenario_name(opts[best_eu]), sname);
      else
        printf("\nIn words: the criteria disagree; %s is best on average, %s in bad worlds "
               "(5th percentile) and %s against regret.\n",
               legation_scenario_name(opts[best_eu]), legation_scenario_name(opts[best_q]),
               legation_scenario_name(opts[best_mr]));
      printf("\nExpected value of perfect information: %.5g (utility units of %s): what knowing "
             "in advance which world occurs would add to the best option's expected utility.\n",
             evpi, sname);
      if (!P) {
        printf("Partial information (EVPPI) needs parameters drawn per world: run with "
               "--uncertain.\n");
      } else {
        voi_row *rows = evppi_all(U, W, K, theta, P, a->seed);
        if (rows) {
          printf("\nValue of learning one parameter first (EVPPI, Strong-Oakley regression, 95%% "
                 "bootstrap interval), largest first:\n");
          int shown = 0;
          for (int q = 0; q < P && shown < 12; q++, shown++)
            printf("  %-34s %10.4g  (%.4g to %.4g)\n", keys[rows[q].j], rows[q].v, rows[q].lo,
                   rows[q].hi);
          if (P > 12) printf("  ... and %d more (--json lists all)\n", P - 12);
          printf("\nIn words: learning %s is worth %.3g of the %.3g that perfect information "
                 "would be worth; learning %s is worth %.3g.\n",
                 keys[rows[0].j], rows[0].v, evpi, keys[rows[P - 1].j], rows[P - 1].v);
          free(rows);
        }
        if (a->groups) {
          int grc = evppi_groups(a, U, W, K, theta, P, keys, NULL);
          if (!rc) rc = grc;
        }
      }
    }
  }
  for (int k = 0; k < K; k++) legation_scenario_free(opts[k]);
  free(opts);
  free(names);
  free(U);
  free(theta);
  free(res);
  for (int j = 0; keys && j < P; j++) free(keys[j]);
  free(keys);
  return rc;
}

/* ---------------------------------------------------------- optimize */

/* Expressions over output means: numbers, output names (legation outputs,
 * utility_a, utility_b), + - * / and parentheses, compiled to RPN. */
enum { OP_NUM, OP_VAR, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_NEG };
typedef struct op {
  int kind;
  double num;
  int var; /* output index, or -1/-2 for utility_a/utility_b */
} op;
typedef struct expr {
  op ops[128];
  int n;
  const char *text;
  const char *pos;
  char err[200];
} expr;

static void ex_skip(expr *e) {
  while (isspace((unsigned char)*e->pos)) e->pos++;
}
static int ex_emit(expr *e, op o) {
  if (e->n >= 128) {
    snprintf(e->err, sizeof e->err, "expected at most 128 terms");
    return -1;
  }
  e->ops[e->n++] = o;
  return 0;
}
static int ex_sum(expr *e);
static int ex_atom(expr *e) {
  ex_skip(e);
  const char *p = e->pos;
  if (*p == '(') {
    e->pos++;
    if (ex_sum(e)) return -1;
    ex_skip(e);
    if (*e->pos != ')') {
      snprintf(e->err, sizeof e->err, "expected ')' at column %d", (int)(e->pos - e->text) + 1);
      return -1;
    }
    e->pos++;
    return 0;
  }
  if (*p == '-') {
    e->pos++;
    if (ex_atom(e)) return -1;
    return ex_emit(e, (op){OP_NEG, 0, 0});
  }
  if (isdigit((unsigned char)*p) || *p == '.') {
    char *end;
    double x = strtod(p, &end);
    if (end == p || !isfinite(x)) {
      snprintf(e->err, sizeof e->err, "expected a number at column %d", (int)(p - e->text) + 1);
      return -1;
    }
    e->pos = end;
    return ex_emit(e, (op){OP_NUM, x, 0});
  }
  if (isalpha((unsigned char)*p) || *p == '_') {
    char name[64];
    size_t k = 0;
    while ((isalnum((unsigned char)*p) || *p == '_') && k < sizeof name - 1) name[k++] = *p++;
    name[k] = 0;
    int v = !strcmp(name, "utility_a") ? -1 : !strcmp(name, "utility_b") ? -2
                                                                           : legation_output_find(name);
    if (v == -1 && strcmp(name, "utility_a")) v = -3;
    if (v == -3) {
      snprintf(e->err, sizeof e->err,
               "expected an output name (see 'legation run --csv') or utility_a, utility_b at "
               "column %d, found '%.40s'",
               (int)(e->pos - e->text) + 1, name);
      return -1;
    }
    e->pos = p;
    return ex_emit(e, (op){OP_VAR, 0, v});
  }
  snprintf(e->err, sizeof e->err, "expected a number, an output name or '(' at column %d",
           (int)(p - e->text) + 1);
  return -1;
}
static int ex_prod(expr *e) {
  if (ex_atom(e)) return -1;
  for (;;) {
    ex_skip(e);
    char c = *e->pos;
    if (c != '*' && c != '/') return 0;
    e->pos++;
    if (ex_atom(e)) return -1;
    if (ex_emit(e, (op){c == '*' ? OP_MUL : OP_DIV, 0, 0})) return -1;
  }
}
static int ex_sum(expr *e) {
  if (ex_prod(e)) return -1;
  for (;;) {
    ex_skip(e);
    char c = *e->pos;
    if (c != '+' && c != '-') return 0;
    e->pos++;
    if (ex_prod(e)) return -1;
    if (ex_emit(e, (op){c == '+' ? OP_ADD : OP_SUB, 0, 0})) return -1;
  }
}
/* Parse text[0..len) fully. */
static int ex_parse(expr *e, const char *text, size_t len) {
  char *t = malloc(len + 1);
  if (!t) return -1;
  memcpy(t, text, len);
  t[len] = 0;
  e->text = e->pos = t;
  e->n = 0;
  e->err[0] = 0;
  int rc = ex_sum(e);
  ex_skip(e);
  if (!rc && *e->pos) {
    snprintf(e->err, sizeof e->err, "expected an operator or the end at column %d, found '%c'",
             (int)(e->pos - e->text) + 1, *e->pos);
    rc = -1;
  }
  free(t);
  e->text = e->pos = NULL;
  return rc;
}
static double ex_eval(const expr *e, const double *means, const double *util) {
  double st[128];
  int sp = 0;
  for (int i = 0; i < e->n; i++) {
    const op *o = &e->ops[i];
    switch (o->kind) {
    case OP_NUM: st[sp++] = o->num; break;
    case OP_VAR: st[sp++] = o->var >= 0 ? means[o->var] : util[-o->var - 1]; break;
    case OP_NEG: st[sp - 1] = -st[sp - 1]; break;
    default: {
      double b = st[--sp], x = st[sp - 1];
      st[sp - 1] = o->kind == OP_ADD ? x + b : o->kind == OP_SUB ? x - b
                                            : o->kind == OP_MUL ? x * b : x / b;
    }
    }
  }
  return sp ? st[0] : NAN;
}

typedef struct lever {
  char key[128];
  double lo, hi;
  int integer;
} lever;

typedef struct opt_problem {
  const cli_args *a;
  const legation_scenario *base;
  lever *lv;
  int n;
  expr obj;
  int maximise;
  expr *cons;  /* each "lhs - rhs" with the sense folded in */
  int m;
  legation_utility u[2];
  int failed;  /* exit code of a failed evaluation */
} opt_problem;

/* Evaluate the scenario at x: objective (negated when maximising) and
 * constraints c <= 0. */
static int opt_eval(const double *x, int n, uint64_t seed, int64_t reps, double *f, double *c,
                    int m, void *user) {
  opt_problem *p = user;
  legation_scenario *sc = legation_scenario_clone(p->base);
  if (!sc) {
    p->failed = CLI_EXIT_RUN;
    return 1;
  }
  for (int i = 0; i < n; i++) {
    char v[64];
    if (p->lv[i].integer)
      snprintf(v, sizeof v, "%.0f", round(x[i]));
    else
      snprintf(v, sizeof v, "%.17g", x[i]);
    legation_status st = legation_scenario_set(sc, p->lv[i].key, v);
    if (!st) st = legation_scenario_validate(sc);
    if (st) {
      cli_err_lines(legation_scenario_errmsg(sc));
      legation_scenario_free(sc);
      p->failed = cli_exit_for(st);
      return 1;
    }
  }
  legation_run *run = NULL;
  cli_args quiet = *p->a;
  quiet.given[CLI_OPT_QUIET] = 1;
  int rc = run_kept(&quiet, "optimize", sc, reps, seed, &run);
  legation_scenario_free(sc);
  if (rc) {
    p->failed = rc;
    return 1;
  }
  int no = legation_output_count();
  double *means = malloc(sizeof(double) * no), util[2] = {0, 0};
  if (!means) {
    legation_run_free(run);
    p->failed = CLI_EXIT_RUN;
    return 1;
  }
  for (int i = 0; i < no; i++) {
    legation_stat s;
    means[i] = legation_run_stat(run, i, &s) == LEGATION_OK ? s.mean : NAN;
  }
  for (int s = 0; s < 2; s++) {
    double acc = 0, v;
    for (int64_t r = 0; r < reps; r++)
      if (legation_run_utility(run, r, s, &p->u[s], &v) == LEGATION_OK) acc += v;
    util[s] = acc / (double)reps;
  }
  legation_run_free(run);
  double fv = ex_eval(&p->obj, means, util);
  *f = p->maximise ? -fv : fv;
  if (!isfinite(*f)) *f = 1e300;
  for (int j = 0; j < m; j++) {
    c[j] = ex_eval(&p->cons[j], means, util);
    if (!isfinite(c[j])) c[j] = 1e300;
  }
  free(means);
  return cli_interrupted();
}

/* "EXPR < NUM" etc. into e as lhs - rhs (<) or rhs - lhs (>). */
static int parse_constraint(const char *text, expr *e) {
  const char *lt = strchr(text, '<'), *gt = strchr(text, '>');
  if ((!lt && !gt) || (lt && gt)) {
    snprintf(e->err, sizeof e->err, "expected EXPR < EXPR or EXPR > EXPR");
    return -1;
  }
  const char *opp = lt ? lt : gt;
  size_t skip = opp[1] == '=' ? 2 : 1;
  size_t ll = (size_t)(opp - text), rl = strlen(opp + skip);
  size_t tot = ll + rl + 8;
  char *t = malloc(tot);
  if (!t) return -1;
  /* (lhs) - (rhs) for <, (rhs) - (lhs) for > */
  if (lt)
    snprintf(t, tot, "(%.*s)-(%s)", (int)ll, text, opp + skip);
  else
    snprintf(t, tot, "(%s)-(%.*s)", opp + skip, (int)ll, text);
  int rc = ex_parse(e, t, strlen(t));
  free(t);
  return rc;
}

int cli_cmd_optimize(const cli_args *a) {
  if (cli_output_check(a, a->report)) return CLI_EXIT_USAGE;
  if (!a->nlevers) return cli_usage_error(a->cmd, "missing --levers KEY=LO:HI");
  if (!a->objective) return cli_usage_error(a->cmd, "missing --objective EXPR");
  opt_problem p = {.a = a, .n = a->nlevers, .m = a->nconstraints, .maximise = 1};
  lever lv[64];
  expr cons[32];
  if (p.n > 64) return cli_usage_error(a->cmd, "--levers: at most 64");
  if (p.m > 32) return cli_usage_error(a->cmd, "--constraint: at most 32");
  p.lv = lv;
  p.cons = cons;
  const char *o = a->objective;
  while (isspace((unsigned char)*o)) o++;
  if (!strncmp(o, "max ", 4) || !strncmp(o, "min ", 4)) {
    p.maximise = o[1] == 'a';
    o += 4;
  }
  if (ex_parse(&p.obj, o, strlen(o)))
    return cli_usage_error(a->cmd, "--objective '%s': %s", a->objective, p.obj.err);
  for (int j = 0; j < p.m; j++)
    if (parse_constraint(a->constraints[j], &cons[j]))
      return cli_usage_error(a->cmd, "--constraint '%s': %s", a->constraints[j], cons[j].err);
  legation_scenario *base = NULL;
  int rc = load_base(a, "optimize", a->pos[0], &base);
  if (rc) return rc;
  p.base = base;
  rc = load_utility(a, "optimize", p.u);
  double x[64], lo[64], hi[64];
  for (int i = 0; i < p.n && !rc; i++) {
    const char *t = a->levers[i], *eq = strchr(t, '='), *colon = eq ? strchr(eq, ':') : NULL;
    char *e1 = NULL, *e2 = NULL;
    double l = colon ? strtod(eq + 1, &e1) : NAN, h = colon ? strtod(colon + 1, &e2) : NAN;
    if (!eq || !colon || eq == t || (size_t)(eq - t) >= sizeof lv[i].key || e1 != colon ||
        *e2 || !(l < h) || !isfinite(l) || !isfinite(h)) {
      rc = cli_usage_error(a->cmd, "--levers: expected KEY=LO:HI with LO < HI, found '%s'", t);
      break;
    }
    memcpy(lv[i].key, t, (size_t)(eq - t));
    lv[i].key[eq - t] = 0;
    lv[i].lo = lo[i] = l;
    lv[i].hi = hi[i] = h;
    /* the parameter's type, range and current value */
    int found = 0;
    for (int k = 0; k < legation_param_count() && !found; k++) {
      legation_param pm;
      if (legation_param_get(base, k, &pm) || strcmp(pm.key, lv[i].key)) continue;
      found = 1;
      if (pm.type != LEGATION_PT_REAL && pm.type != LEGATION_PT_INT) {
        rc = cli_usage_error(a->cmd, "--levers %s: expected a numeric parameter", lv[i].key);
        break;
      }
      if (l < pm.min || h > pm.max) {
        cli_err("optimize: --levers %s=%g:%g: expected a range within the parameter's [%g, %g]",
                lv[i].key, l, h, pm.min, pm.max);
        rc = CLI_EXIT_DATA;
        break;
      }
      lv[i].integer = pm.type == LEGATION_PT_INT;
      x[i] = pm.value >= l && pm.value <= h ? pm.value : (l + h) / 2;
    }
    if (!found && !rc) {
      cli_err("optimize: --levers %s: no such parameter (see 'legation params')", lv[i].key);
      rc = CLI_EXIT_DATA;
    }
  }
  if (rc) {
    legation_scenario_free(base);
    return rc;
  }
  int64_t reps = a->given[CLI_OPT_REPS] ? a->reps : 500;
  legation_opt_result res;
  const char *err = NULL;
  legation_status st = legation_optimize(opt_eval, &p, p.n, lo, hi, p.m, x, reps, a->seed,
                                         a->max_evals ? (int)a->max_evals : 60, 5, 4, &res, &err);
  if (st) {
    if (p.failed) rc = p.failed;
    else {
      cli_err("optimize: %s", err ? err : legation_strerror(st));
      rc = cli_exit_for(st);
    }
    legation_scenario_free(base);
    return rc;
  }
  /* the neighbourhood: each lever 5% of its range either side, search seed */
  double nb[64][2];
  for (int i = 0; i < p.n; i++)
    for (int s = 0; s < 2; s++) {
      double y[64], f, c[32];
      memcpy(y, x, sizeof(double) * p.n);
      y[i] += (s ? 1 : -1) * 0.05 * (hi[i] - lo[i]);
      if (y[i] < lo[i] || y[i] > hi[i] || opt_eval(y, p.n, a->seed, reps, &f, c, p.m, &p))
        nb[i][s] = NAN;
      else
        nb[i][s] = p.maximise ? -f : f;
    }
  double fbest = p.maximise ? -res.f : res.f;
  if (a->given[CLI_OPT_JSON] || a->report) {
    json_t *root = json_object(), *L = json_array();
    for (int i = 0; i < p.n; i++)
      json_array_append_new(L, json_pack("{s:s,s:o,s:o,s:o,s:o,s:o}", "key", lv[i].key, "value",
                                         cli_json_num(lv[i].integer ? round(x[i]) : x[i]), "lo",
                                         cli_json_num(lo[i]), "hi", cli_json_num(hi[i]), "objective_minus",
                                         cli_json_num(nb[i][0]), "objective_plus", cli_json_num(nb[i][1])));
    json_object_set_new(root, "levers", L);
    json_object_set_new(root, "objective", json_string(a->objective));
    json_object_set_new(root, "value", cli_json_num(fbest));
    json_object_set_new(root, "se", cli_json_num(res.f_se));
    json_object_set_new(root, "feasible", json_boolean(res.feasible));
    json_object_set_new(root, "max_constraint", cli_json_num(res.c_max));
    json_object_set_new(root, "evaluations", json_integer(res.evaluations));
    json_object_set_new(root, "reps", json_integer(reps));
    if (a->report) { /* web/src/report.js, kind "optimize" */
      json_object_set_new(root, "kind", json_string("optimize"));
      json_object_set_new(root, "legation_version", json_string(legation_version()));
      rc = cli_report_write(a, a->report, root);
      json_object_del(root, "kind");
      json_object_del(root, "legation_version");
    }
    if (!rc && a->given[CLI_OPT_JSON])
      rc = dump_json(root);
    else
      json_decref(root);
  }
  if (!a->given[CLI_OPT_JSON]) {
    printf("Optimum of %s (%s) over %d lever%s, %lld replications per evaluation, seed %llu\n",
           o, p.maximise ? "maximised" : "minimised", p.n, p.n > 1 ? "s" : "",
           (long long)reps, (unsigned long long)a->seed);
    for (int i = 0; i < p.n; i++) {
      char v[32];
      snprintf(v, sizeof v, lv[i].integer ? "%.0f" : "%.4g", lv[i].integer ? round(x[i]) : x[i]);
      printf("  %-36s %s  (range %g to %g)\n", lv[i].key, v, lo[i], hi[i]);
    }
    printf("Objective on fresh replications: %.5g (standard error %.2g over 4 new seeds; "
           "%d search evaluations, %d candidates re-evaluated)\n",
           fbest, res.f_se, res.evaluations, res.candidates);
    if (p.m)
      printf("Constraints: %s (largest constraint excess %.3g on fresh replications)\n",
             res.feasible ? "met" : "NOT met", res.c_max);
    printf("Neighbourhood (each lever 5%% of its range lower / higher, search seed):\n");
    for (int i = 0; i < p.n; i++) {
      char l[40], h[40];
      snprintf(l, sizeof l, isfinite(nb[i][0]) ? "%.5g" : "(at the bound)", nb[i][0]);
      snprintf(h, sizeof h, isfinite(nb[i][1]) ? "%.5g" : "(at the bound)", nb[i][1]);
      printf("  %-36s %s / %s\n", lv[i].key, l, h);
    }
  }
  legation_scenario_free(base);
  return rc;
}
