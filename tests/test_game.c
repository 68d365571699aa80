/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_game.c - the game and decision numerics (src/analysis): classic games
 * with known equilibria in exact fractions, a degenerate game without
 * duplicates, random games checked against Debian's lrsnash (skipped with a
 * message when it is absent), Lemke-Howson above the enumeration limit, the
 * zero-sum value by LP, .nfg round trip and errors, regret under payoff
 * intervals, sample-size bounds, value of information against a closed
 * form, and the noisy optimiser on a quadratic with a known optimum. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "legation.h"

/* Solve .nfg text; the NE lines joined with ';' into out. */
static legation_game *solve_text(const char *nfg, char *out, size_t cap) {
  legation_game *g = NULL;
  char *err = NULL;
  legation_status st = legation_game_read_nfg(nfg, "t.nfg", &g, &err);
  if (st) {
    fprintf(stderr, "  read failed: %s\n", err ? err : "?");
    legation_free(err);
    check_failed_++;
    return NULL;
  }
  CHECK_EQ_INT(legation_game_solve(g), LEGATION_OK);
  legation_game_info info;
  CHECK_EQ_INT(legation_game_info_get(g, &info), LEGATION_OK);
  out[0] = 0;
  for (int k = 0; k < info.count; k++) {
    char *t = legation_game_equilibrium_text(g, k);
    if (strlen(out) + strlen(t) + 2 < cap) {
      if (k) strcat(out, ";");
      strcat(out, t);
    }
    legation_free(t);
  }
  return g;
}

typedef struct classic {
  const char *name, *nfg, *expect; /* expected NE lines, sorted as solve sorts */
  int count, pure, degenerate;
} classic;

static const classic classics[] = {
    {"prisoners-dilemma",
     "NFG 1 R \"PD\" { \"1\" \"2\" } { { \"C\" \"D\" } { \"C\" \"D\" } }\n\"\"\n\n"
     "3 3 5 0 0 5 1 1\n",
     "NE,0,1,0,1", 1, 1, 0},
    {"battle-of-the-sexes", "NFG 1 R \"BoS\" { \"1\" \"2\" } { 2 2 }\n2 1 0 0 0 0 1 2\n",
     "NE,1,0,1,0;NE,2/3,1/3,1/3,2/3;NE,0,1,0,1", 3, 2, 0},
    {"matching-pennies", "NFG 1 R \"MP\" { \"1\" \"2\" } { 2 2 }\n1 -1 -1 1 -1 1 1 -1\n",
     "NE,1/2,1/2,1/2,1/2", 1, 0, 0},
    {"rock-paper-scissors",
     "NFG 1 R \"RPS\" { \"1\" \"2\" } { 3 3 }\n"
     "0 0 1 -1 -1 1  -1 1 0 0 1 -1  1 -1 -1 1 0 0\n",
     "NE,1/3,1/3,1/3,1/3,1/3,1/3", 1, 0, 0},
    /* every profile is an equilibrium: the four pure profiles are the
     * extreme ones, each listed once */
    {"degenerate-constant", "NFG 1 R \"C\" { \"1\" \"2\" } { 2 2 }\n1 1 1 1 1 1 1 1\n",
     "NE,1,0,1,0;NE,1,0,0,1;NE,0,1,1,0;NE,0,1,0,1", 4, 4, 1},
    /* A = [[1.5,0],[1.5,1]], B = I: against L the row player is
     * indifferent, and L stays a best response while x1 >= 1/2: the
     * segment of equilibria (x, L) has extreme points x = (1,0) and
     * (1/2,1/2); (D,R) is strict.  Decimals are exact. */
    {"degenerate-segment",
     "NFG 1 R \"S\" { \"1\" \"2\" } { 2 2 }\n1.5 1 1.5 0 0 0 1 1\n",
     "NE,1,0,1,0;NE,1/2,1/2,1,0;NE,0,1,0,1", 3, 2, 1},
};

static void classic_games(void) {
  for (size_t c = 0; c < sizeof classics / sizeof classics[0]; c++) {
    const classic *t = &classics[c];
    char got[1024];
    legation_game *g = solve_text(t->nfg, got, sizeof got);
    if (!g) continue;
    legation_game_info info;
    legation_game_info_get(g, &info);
    fprintf(stderr, "  %s: %s\n", t->name, got);
    if (t->count) {
      CHECK_EQ_STR(got, t->expect);
      CHECK_EQ_INT(info.count, t->count);
      CHECK_EQ_INT(info.pure, t->pure);
    }
    CHECK_EQ_INT(info.degenerate, t->degenerate);
    CHECK_EQ_INT(info.complete, 1);
    CHECK_EQ_INT(legation_game_is_exact(g), 1);
    legation_game_free(g);
  }
}

/* The segment game: reported once per extreme point, never twice (the
 * vertex (1/2,1/2) is reached from several label sets). */
static void degenerate_no_duplicates(void) {
  char got[1024];
  legation_game *g = solve_text(classics[5].nfg, got, sizeof got);
  if (!g) return;
  legation_game_info info;
  legation_game_info_get(g, &info);
  CHECK_EQ_INT(info.degenerate, 1);
  for (int a = 0; a < info.count; a++)
    for (int b = a + 1; b < info.count; b++) {
      char *s = legation_game_equilibrium_text(g, a), *t = legation_game_equilibrium_text(g, b);
      CHECK(strcmp(s, t) != 0);
      legation_free(s);
      legation_free(t);
    }
  legation_game_free(g);
}

/* --------------------------------------------------------- lrsnash */

static int have_lrsnash(void) { return system("command -v lrsnash >/dev/null 2>&1") == 0; }

typedef struct profset {
  int count;
  char line[512][256];
} profset;

/* Run lrsnash on the game; equilibria as "x...;y..." strings. */
static int run_lrsnash(int m, int n, const int *A, const int *B, profset *out) {
  char in[] = "/tmp/lg_lrsXXXXXX";
  int fd = mkstemp(in);
  if (fd < 0) return -1;
  FILE *f = fdopen(fd, "w");
  fprintf(f, "%d %d\n\n", m, n);
  for (int w = 0; w < 2; w++) {
    const int *M = w ? B : A;
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) fprintf(f, "%d ", M[i * n + j]);
      fprintf(f, "\n");
    }
    fprintf(f, "\n");
  }
  fclose(f);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "lrsnash %s 2>/dev/null", in);
  FILE *p = popen(cmd, "r");
  if (!p) return -1;
  char ys[64][256];
  int ny = 0, last1 = 0;
  char buf[4096];
  out->count = 0;
  while (fgets(buf, sizeof buf, p)) {
    if (buf[0] != '1' && buf[0] != '2') continue;
    if (buf[1] != ' ') continue;
    int who = buf[0] - '0', k = who == 1 ? m : n;
    char vec[256] = "", *s = buf + 2, *tok;
    for (int i = 0; i < k && (tok = strtok(i ? NULL : s, " \n")); i++) {
      strcat(vec, ",");
      strcat(vec, tok);
    }
    if (who == 2) {
      if (last1) ny = 0;
      last1 = 0;
      if (ny < 64) snprintf(ys[ny++], sizeof ys[0], "%.250s", vec);
    } else {
      last1 = 1;
      for (int y = 0; y < ny && out->count < 512; y++)
        snprintf(out->line[out->count++], sizeof out->line[0], "NE%.120s%.120s", vec, ys[y]);
    }
  }
  pclose(p);
  unlink(in);
  return 0;
}

static int cmp_str(const void *a, const void *b) { return strcmp(a, b); }

static void random_vs_lrsnash(void) {
  if (!have_lrsnash()) {
    fprintf(stderr, "  SKIP: lrsnash not found (Debian package lrslib; scripts/install-deps.sh "
                    "installs it)\n");
    return;
  }
  uint64_t s = 12345;
  int games = 0, degenerate = 0, total = 0;
  for (int t = 0; t < 60; t++) {
    int m = 2 + t % 7, n = 2 + (t / 7) % 7;
    int range = t % 3 == 0 ? 4 : 100; /* small ranges make degenerate games */
    int A[64], B[64];
    for (int i = 0; i < m * n; i++) {
      s = s * 6364136223846793005ull + 1442695040888963407ull;
      A[i] = (int)((s >> 33) % range);
      s = s * 6364136223846793005ull + 1442695040888963407ull;
      B[i] = (int)((s >> 33) % range);
    }
    legation_game *g = legation_game_new(m, n);
    for (int i = 0; i < m; i++)
      for (int j = 0; j < n; j++) {
        char a[16], b[16];
        snprintf(a, sizeof a, "%d", A[i * n + j]);
        snprintf(b, sizeof b, "%d", B[i * n + j]);
        legation_game_set_payoff_text(g, i, j, a, b);
      }
    CHECK_EQ_INT(legation_game_solve(g), LEGATION_OK);
    legation_game_info info;
    legation_game_info_get(g, &info);
    static profset ref;
    if (run_lrsnash(m, n, A, B, &ref)) {
      CHECK(0);
      legation_game_free(g);
      continue;
    }
    static char mine[512][256];
    int nm = 0;
    for (int k = 0; k < info.count && nm < 512; k++) {
      char *e = legation_game_equilibrium_text(g, k);
      snprintf(mine[nm++], sizeof mine[0], "%.250s", e);
      legation_free(e);
    }
    qsort(mine, nm, sizeof mine[0], cmp_str);
    qsort(ref.line, ref.count, sizeof ref.line[0], cmp_str);
    int same = nm == ref.count;
    for (int k = 0; same && k < nm; k++) same = strcmp(mine[k], ref.line[k]) == 0;
    if (!same) {
      fprintf(stderr, "  game %d (%dx%d): %d equilibria, lrsnash %d\n", t, m, n, nm, ref.count);
      for (int k = 0; k < nm; k++) fprintf(stderr, "    mine %s\n", mine[k]);
      for (int k = 0; k < ref.count; k++) fprintf(stderr, "    lrs  %s\n", ref.line[k]);
    }
    CHECK(same);
    games++;
    total += nm;
    degenerate += info.degenerate;
    legation_game_free(g);
  }
  fprintf(stderr, "  %d games (%d degenerate), %d equilibria, all as lrsnash\n", games, degenerate,
          total);
  CHECK(degenerate > 0); /* the degenerate path was exercised */
}

/* Above 12x12: Lemke-Howson from every label; every equilibrium it finds
 * is one of lrsnash's, and it finds at least one. */
static void lemke_howson_large(void) {
  if (!have_lrsnash()) {
    fprintf(stderr, "  SKIP: lrsnash not found (Debian package lrslib)\n");
    return;
  }
  enum { M = 13, N = 14 };
  int A[M * N], B[M * N];
  uint64_t s = 777;
  for (int i = 0; i < M * N; i++) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    A[i] = (int)((s >> 33) % 1000);
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    B[i] = (int)((s >> 33) % 1000);
  }
  legation_game *g = legation_game_new(M, N);
  for (int i = 0; i < M * N; i++) {
    char a[16], b[16];
    snprintf(a, sizeof a, "%d", A[i]);
    snprintf(b, sizeof b, "%d", B[i]);
    legation_game_set_payoff_text(g, i / N, i % N, a, b);
  }
  CHECK_EQ_INT(legation_game_solve(g), LEGATION_OK);
  legation_game_info info;
  legation_game_info_get(g, &info);
  CHECK_EQ_STR(info.method, "lemke-howson");
  CHECK_EQ_INT(info.complete, 0);
  CHECK(info.count >= 1);
  static profset ref;
  CHECK_EQ_INT(run_lrsnash(M, N, A, B, &ref), 0);
  for (int k = 0; k < info.count; k++) {
    char *e = legation_game_equilibrium_text(g, k);
    int found = 0;
    for (int r = 0; r < ref.count && !found; r++) found = strcmp(e, ref.line[r]) == 0;
    if (!found) fprintf(stderr, "  not in lrsnash: %s\n", e);
    CHECK(found);
    legation_free(e);
  }
  fprintf(stderr, "  LH found %d of lrsnash's %d\n", info.count, ref.count);
  legation_game_free(g);
}

/* ------------------------------------------------------ zero-sum, nfg */

static void zero_sum_value(void) {
  /* A = [[3,-1],[-2,1]]: value (3*1 - (-1)(-2)) / (3+1+2+1) = 1/7, row
   * strategy (3/7, 4/7) */
  legation_game *g = legation_game_new(2, 2);
  const char *A[4] = {"3", "-1", "-2", "1"}, *B[4] = {"-3", "1", "2", "-1"};
  for (int c = 0; c < 4; c++) legation_game_set_payoff_text(g, c / 2, c % 2, A[c], B[c]);
  CHECK_EQ_INT(legation_game_is_zero_sum(g), 1);
  double v, x[3];
  CHECK_EQ_INT(legation_game_maxmin(g, 0, &v, x), LEGATION_OK);
  CHECK_NEAR(v, 1.0 / 7, 1e-12);
  CHECK_NEAR(x[0], 3.0 / 7, 1e-12);
  double v2;
  CHECK_EQ_INT(legation_game_maxmin(g, 1, &v2, NULL), LEGATION_OK);
  CHECK_NEAR(v2, -1.0 / 7, 1e-12);
  /* the equilibrium agrees */
  legation_game_solve(g);
  char *e = legation_game_equilibrium_text(g, 0);
  CHECK_EQ_STR(e, "NE,3/7,4/7,2/7,5/7");
  legation_free(e);
  e = legation_game_equilibrium_payoff_text(g, 0, 0);
  CHECK_EQ_STR(e, "1/7");
  legation_free(e);
  e = legation_game_equilibrium_payoff_text(g, 0, 1);
  CHECK_EQ_STR(e, "-1/7");
  legation_free(e);
  legation_game_free(g);
  /* RPS: value 0 */
  char got[256];
  g = solve_text(classics[3].nfg, got, sizeof got);
  CHECK_EQ_INT(legation_game_maxmin(g, 0, &v, x), LEGATION_OK);
  CHECK_NEAR(v, 0, 1e-12);
  legation_game_free(g);
  /* not zero-sum: PD */
  g = solve_text(classics[0].nfg, got, sizeof got);
  CHECK_EQ_INT(legation_game_is_zero_sum(g), 0);
  CHECK_EQ_INT(legation_game_maxmin(g, 0, &v, x), LEGATION_OK);
  CHECK_NEAR(v, 1, 1e-12); /* defecting guarantees 1 */
  legation_game_free(g);
}

static void nfg_round_trip(void) {
  const char *outcome =
      "NFG 1 R \"Outcome form\" { \"Row\" \"Col\" }\n"
      "{ { \"U\" \"D\" } { \"L\" \"R\" } }\n\"a comment\"\n\n"
      "{\n{ \"\" 1/2, -3 }\n{ \"x\" 0.25, 7 }\n}\n1 2 0 1\n";
  legation_game *g = NULL;
  char *err = NULL;
  CHECK_EQ_INT(legation_game_read_nfg(outcome, "o.nfg", &g, &err), LEGATION_OK);
  if (!g) return;
  double a, b;
  legation_game_payoff(g, 1, 0, &a, &b); /* second profile (D,L) = outcome 2 */
  CHECK_NEAR(a, 0.25, 0);
  CHECK_NEAR(b, 7, 0);
  legation_game_payoff(g, 0, 1, &a, &b); /* third profile (U,R) = null outcome */
  CHECK_NEAR(a, 0, 0);
  char *text = legation_game_write_nfg(g);
  CHECK_EQ_STR(text, "NFG 1 R \"Outcome form\" { \"Row\" \"Col\" }\n"
                     "{ { \"U\" \"D\" } { \"L\" \"R\" } }\n\"\"\n\n"
                     "1/2 -3 1/4 7 0 0 1/2 -3\n");
  legation_game *h = NULL;
  CHECK_EQ_INT(legation_game_read_nfg(text, "w.nfg", &h, NULL), LEGATION_OK);
  char *again = legation_game_write_nfg(h);
  CHECK_EQ_STR(again, text);
  CHECK_EQ_STR(legation_game_strategy(h, 1, 1), "R");
  CHECK_EQ_STR(legation_game_player(h, 0), "Row");
  legation_free(again);
  legation_free(text);
  legation_game_free(h);
  legation_game_free(g);
  /* a floating-point game round-trips its doubles */
  g = legation_game_new(1, 2);
  legation_game_set_payoff(g, 0, 0, 0.1, 1.0 / 3);
  text = legation_game_write_nfg(g);
  CHECK_EQ_INT(legation_game_read_nfg(text, "f.nfg", &h, NULL), LEGATION_OK);
  legation_game_payoff(h, 0, 0, &a, &b);
  CHECK(a == 0.1 && b == 1.0 / 3);
  legation_free(text);
  legation_game_free(h);
  legation_game_free(g);
}

static const struct {
  const char *text, *msg;
} bad_nfg[] = {
    {"EFG 2 R \"x\" { \"1\" \"2\" }", "b.nfg:1:1: expected \"NFG\" (a Gambit strategic-form file), found EFG"},
    {"NFG 1 R \"x\" { \"1\" \"2\" \"3\" } { 2 2 2 }",
     "b.nfg:1:23: expected '}': Legation solves two-player games only, found \"3\""},
    {"NFG 1 R \"x\" { \"1\" \"2\" } { 2 0 }\n",
     "b.nfg:1:29: expected a number of strategies in [1, 200] for each of the two players, found 0"},
    {"NFG 1 R \"x\" { \"1\" \"2\" } { 1 2 }\n1 2 3\n",
     "b.nfg:3:1: expected a payoff (integer, decimal or p/q): two per cell, player 1's strategy "
     "varying fastest, found end of file"},
    {"NFG 1 R \"x\" { \"1\" \"2\" } { 1 1 }\n1 2/0\n",
     "b.nfg:2:3: expected a payoff (integer, decimal or p/q): two per cell, player 1's strategy "
     "varying fastest, found 2/0"},
    {"NFG 1 R \"x\" { \"1\" \"2\" } { 1 1 }\n1 2 3\n",
     "b.nfg:2:5: expected end of file after the payoffs, found 3"},
    {"NFG 1 R \"x\" { \"1\" \"2\" } { 1 1 }\n{ { \"\" 1 2 } }\n2\n",
     "b.nfg:3:1: expected an outcome number (0 for none, or 1 to the number of outcomes) for "
     "every cell, found 2"},
    {"NFG 1 R \"unclosed", "b.nfg:1:9: expected a closing '\"', found end of file"},
};

static void nfg_errors(void) {
  for (size_t i = 0; i < sizeof bad_nfg / sizeof bad_nfg[0]; i++) {
    legation_game *g = (legation_game *)1;
    char *err = NULL;
    legation_status st = legation_game_read_nfg(bad_nfg[i].text, "b.nfg", &g, &err);
    CHECK(st != LEGATION_OK);
    CHECK(g == NULL);
    CHECK_EQ_STR(err, bad_nfg[i].msg);
    legation_free(err);
  }
}

/* Mutated files never crash the reader: each is read into a game or
 * refused with a message naming the file. */
static void nfg_mutations(void) {
  const char *base = "NFG 1 R \"x\" { \"A\" \"B\" }\n{ { \"u\" \"d\" } { \"l\" \"r\" } }\n"
                     "\"c\"\n{ { \"\" 1/2, -3 } { \"o\" 0.25, 7e1 } }\n1 2 0 1\n";
  const char alphabet[] = "{}\",/ -0123456789.eRNFG\n\\";
  size_t len = strlen(base);
  char buf[256];
  uint64_t s = 99;
  int ok = 0, refused = 0;
  for (int t = 0; t < 3000; t++) {
    memcpy(buf, base, len + 1);
    for (int k = 0; k < 1 + t % 4; k++) {
      s = s * 6364136223846793005ull + 1442695040888963407ull;
      size_t at = (size_t)(s >> 33) % len;
      buf[at] = alphabet[(s >> 20) % (sizeof alphabet - 1)];
    }
    legation_game *g = NULL;
    char *err = NULL;
    legation_status st = legation_game_read_nfg(buf, "m.nfg", &g, &err);
    if (st == LEGATION_OK) {
      ok++;
      CHECK(g != NULL && err == NULL);
      CHECK_EQ_INT(legation_game_solve(g), LEGATION_OK);
      legation_game_free(g);
    } else {
      refused++;
      CHECK(g == NULL && err != NULL && strncmp(err, "m.nfg:", 6) == 0);
      legation_free(err);
    }
  }
  fprintf(stderr, "  3000 mutated files: %d read, %d refused\n", ok, refused);
  CHECK(ok > 0 && refused > 0);
}

/* The same for the strategies and utilities files. */
static void yaml_mutations(void) {
  const char *base[2] = {
      "a:\n  - name: x\n    set: {states.a.vetting: 0.5}\n    deal_add:\n"
      "      - {month: 3, action: readmit, target: both, value: 5, when: {relations: 0}}\n"
      "b:\n  - {name: y}\n",
      "a: {own_gain: 1, spiral: -2.5}\nb: {settled: 3}\n"};
  const char alphabet[] = "{}[]:,-&*!| \n\"'ab1.";
  uint64_t s = 5;
  int ok = 0, refused = 0;
  for (int t = 0; t < 4000; t++) {
    char buf[256];
    const char *b = base[t % 2];
    size_t len = strlen(b);
    memcpy(buf, b, len + 1);
    for (int k = 0; k < 1 + t % 3; k++) {
      s = s * 6364136223846793005ull + 1442695040888963407ull;
      buf[(s >> 33) % len] = alphabet[(s >> 20) % (sizeof alphabet - 1)];
    }
    char *err = NULL;
    legation_status st;
    if (t % 2 == 0) {
      legation_strategies *S = NULL;
      st = legation_strategies_load_string(buf, len, "m.yaml", &S, &err);
      CHECK((st == LEGATION_OK) == (S != NULL));
      legation_strategies_free(S);
    } else {
      legation_utility u[2];
      st = legation_utility_load_string(buf, len, "m.yaml", u, &err);
    }
    if (st == LEGATION_OK) {
      ok++;
      CHECK(err == NULL);
    } else {
      refused++;
      CHECK(err != NULL && strncmp(err, "m.yaml", 6) == 0);
    }
    legation_free(err);
  }
  fprintf(stderr, "  4000 mutated files: %d read, %d refused\n", ok, refused);
  CHECK(ok > 0 && refused > 0);
}

/* --------------------------------------------------------------- regret */

static void regret_intervals(void) {
  char got[256];
  legation_game *g = solve_text(classics[1].nfg, got, sizeof got); /* BoS */
  double x[2] = {1, 0}, y[2] = {1, 0};
  legation_game_regret r;
  /* at the means: (U, L) is an equilibrium, deviating loses 2 (player 1) */
  CHECK_EQ_INT(legation_game_regret_get(g, x, y, &r), LEGATION_OK);
  CHECK_NEAR(r.regret[0], 0, 0);
  /* half-width h everywhere: worst deviation gain for player 1 is
   * 0 - 2 + 2h (deviation's cell up by h, own cell down by h) */
  const double hs[3] = {0.5, 1.5, 3};
  const int survives[3] = {1, 0, 0}; /* player 2: -1 + 3 > 1.5 */
  for (int k = 0; k < 3; k++) {
    for (int c = 0; c < 4; c++) legation_game_set_halfwidth(g, c / 2, c % 2, hs[k], hs[k]);
    legation_game_regret_get(g, x, y, &r);
    CHECK_NEAR(r.worst[0], fmax(0, -2 + 2 * hs[k]), 1e-12);
    CHECK_NEAR(r.worst[1], fmax(0, -1 + 2 * hs[k]), 1e-12);
    CHECK_NEAR(r.eps[0], hs[k], 0);
    CHECK_EQ_INT(r.survives, survives[k]);
  }
  /* a non-equilibrium: (U, R) in BoS; player 1 gains 1 by going to D */
  double y2[2] = {0, 1};
  for (int c = 0; c < 4; c++) legation_game_set_halfwidth(g, c / 2, c % 2, 0, 0);
  legation_game_regret_get(g, x, y2, &r);
  CHECK_NEAR(r.regret[0], 1, 1e-12);
  CHECK_NEAR(r.regret[1], 1, 1e-12); /* at U, L pays 1 instead of 0 */
  CHECK_EQ_INT(r.survives, 0);
  /* bad profile refused */
  double bad[2] = {0.5, 0.6};
  CHECK_EQ_INT(legation_game_regret_get(g, bad, y, &r), LEGATION_EINVAL);
  legation_game_free(g);
}

/* ------------------------------------------------------------- samples */

static void sample_sizes(void) {
  /* ln(2/0.05) / (2 * 0.1^2) = 184.44 -> 185 */
  CHECK_EQ_INT(legation_reps_hoeffding(0.1, 0.05, 1), 185);
  CHECK_EQ_INT(legation_reps_hoeffding(0.2, 0.05, 2), 185); /* scale invariant */
  CHECK_EQ_INT(legation_reps_hoeffding(0, 0.05, 1), -1);
  CHECK_EQ_INT(legation_reps_hoeffding(0.1, 1, 1), -1);
  /* Bernstein: the least n meeting the bound (Maurer & Pontil, two-sided) */
  const double vars[3] = {0, 0.01, 0.25};
  for (int k = 0; k < 3; k++) {
    int64_t n = legation_reps_bernstein(0.05, 0.05, 1, vars[k]);
    double l = log(4 / 0.05);
#define BOUND(nn) (sqrt(2 * vars[k] * l / (nn)) + 7 * l / (3 * ((nn)-1)))
    CHECK(n >= 2);
    CHECK(BOUND((double)n) <= 0.05);
    CHECK(n == 2 || BOUND((double)(n - 1)) > 0.05);
#undef BOUND
  }
  /* small variance needs fewer replications than Hoeffding */
  CHECK(legation_reps_bernstein(0.05, 0.05, 1, 0.001) < legation_reps_hoeffding(0.05, 0.05, 1));
  CHECK_EQ_INT(legation_reps_bernstein(0.05, 0.05, 1, -1), -1);
}

/* ------------------------------------------------------------- VOI */

/* E[max(0, Z)] - max(0, mu) for Z ~ N(mu, s^2) */
static double evpi_normal(double mu, double s) {
  double z = mu / s;
  return mu * gsl_cdf_ugaussian_P(z) + s * gsl_ran_ugaussian_pdf(z) - fmax(0, mu);
}

/* A hand-computed table: 4 worlds, 3 options, a tie in world 3. */
static void voi_table(void) {
  const double u[4 * 3] = {1, 2, 0,   /* best 1 */
                           3, 0, 1,   /* best 0 */
                           2, 2, 1,   /* tie 0 and 1 */
                           0, 1, 5};  /* best 2 */
  legation_voi_option o[3];
  double evpi;
  CHECK_EQ_INT(legation_voi_options(u, 4, 3, o, &evpi), LEGATION_OK);
  CHECK_NEAR(o[0].mean, 1.5, 1e-15);
  CHECK_NEAR(o[2].mean, 1.75, 1e-15);
  /* E[max] = (2 + 3 + 2 + 5) / 4 = 3; max E = 1.75 */
  CHECK_NEAR(evpi, 1.25, 1e-15);
  CHECK_NEAR(o[0].max_regret, 5, 0);
  CHECK_NEAR(o[1].max_regret, 4, 0);
  CHECK_NEAR(o[2].mean_regret, (2 + 2 + 1 + 0) / 4.0, 1e-15);
  CHECK_NEAR(o[0].share_best, 1.5 / 4, 1e-15);
  CHECK_NEAR(o[1].share_best, 1.5 / 4, 1e-15);
  CHECK_NEAR(o[2].share_best, 1.0 / 4, 1e-15);
  /* 5th percentile, type 7: position 0.15 between the two lowest */
  CHECK_NEAR(o[2].q05, 0 + 0.15 * (1 - 0), 1e-15);
  CHECK_EQ_INT(legation_voi_options(u, 1, 3, o, &evpi), LEGATION_EINVAL);
}

static void voi_normal(void) {
  /* two options: 0 pays 0, 1 pays t1 + t2, t1 ~ N(0.2, 1), t2 ~ N(0, 0.5^2);
   * t3 ~ N(0, 1) does not enter */
  enum { W = 5000 };
  static double u[W * 2], th[W * 3];
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 2024);
  for (int w = 0; w < W; w++) {
    th[w * 3] = 0.2 + gsl_ran_gaussian(r, 1);
    th[w * 3 + 1] = gsl_ran_gaussian(r, 0.5);
    th[w * 3 + 2] = gsl_ran_gaussian(r, 1);
    u[w * 2] = 0;
    u[w * 2 + 1] = th[w * 3] + th[w * 3 + 1];
  }
  gsl_rng_free(r);
  legation_voi_option opt[2];
  double evpi;
  CHECK_EQ_INT(legation_voi_options(u, W, 2, opt, &evpi), LEGATION_OK);
  /* Monte Carlo error of the EVPI estimate: sd of max(0,U) - U across
   * worlds (option 1 is best on average) over sqrt(W); 4 sd */
  double s = 0, s2 = 0;
  for (int w = 0; w < W; w++) {
    double d = fmax(0, u[w * 2 + 1]) - u[w * 2 + 1];
    s += d;
    s2 += d * d;
  }
  double sd = sqrt((s2 - s * s / W) / (W - 1)) / sqrt(W);
  double truth = evpi_normal(0.2, sqrt(1 + 0.25));
  fprintf(stderr, "  EVPI %.4f closed form %.4f (MC sd %.4f)\n", evpi, truth, sd);
  CHECK_NEAR(evpi, truth, 4 * sd);
  CHECK_NEAR(opt[1].mean, 0.2, 4 * sqrt(1.25 / W));
  CHECK_NEAR(opt[0].share_best + opt[1].share_best, 1, 1e-12);
  CHECK(opt[0].max_regret > 2 && opt[1].max_regret > 2);
  /* EVPPI per parameter against E[max(0, mu + t)] for the parameter alone */
  const double sig[3] = {1, 0.5, 0};
  for (int j = 0; j < 3; j++) {
    int col = j;
    double e, lo, hi;
    CHECK_EQ_INT(legation_voi_evppi(u, W, 2, th, 3, &col, 1, 100, 7, &e, &lo, &hi), LEGATION_OK);
    double want = sig[j] > 0 ? evpi_normal(0.2, sig[j]) : 0;
    fprintf(stderr, "  EVPPI t%d %.4f [%.4f, %.4f] closed form %.4f\n", j + 1, e, lo, hi, want);
    CHECK_NEAR(e, want, 4 * sd + 0.03); /* + an allowance for the smoother's bias */
    CHECK(lo <= e && e <= hi);
    CHECK(e <= evpi + 1e-9);
  }
  /* the group of both relevant parameters carries all the information */
  int both[2] = {0, 1};
  double e;
  CHECK_EQ_INT(legation_voi_evppi(u, W, 2, th, 3, both, 2, 0, 7, &e, NULL, NULL), LEGATION_OK);
  CHECK_NEAR(e, evpi, 0.02);
  CHECK_EQ_INT(legation_voi_evppi(u, 10, 2, th, 3, both, 2, 0, 7, &e, NULL, NULL),
               LEGATION_EINVAL);
}

/* ----------------------------------------------------------- optimiser */

typedef struct quad {
  int constrained;
} quad;

/* f = (x0 - 0.3)^2 + 2 (x1 + 0.2)^2 + (1 + x0^2) * mean of reps N(0, 0.1^2)
 * draws from the seed's stream: common random numbers make f smooth in x
 * for one seed; the optimum is (0.3, -0.2) up to the noise's pull. */
static int quad_fn(const double *x, int n, uint64_t seed, int64_t reps, double *f, double *c,
                   int m, void *user) {
  quad *q = user;
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, (unsigned long)(seed ^ (seed >> 32)));
  double e = 0;
  for (int64_t k = 0; k < reps; k++) e += gsl_ran_gaussian(r, 0.1);
  gsl_rng_free(r);
  e /= (double)reps;
  *f = (x[0] - 0.3) * (x[0] - 0.3) + 2 * (x[1] + 0.2) * (x[1] + 0.2) + (1 + x[0] * x[0]) * e;
  if (q->constrained) c[0] = 0.5 - x[0]; /* x0 >= 0.5 */
  (void)n;
  (void)m;
  return 0;
}

static void optimiser_quadratic(void) {
  double lo[2] = {-1, -1}, hi[2] = {1, 1};
  for (int k = 0; k < 2; k++) {
    quad q = {k};
    double x[2] = {0.9, 0.9};
    legation_opt_result res;
    const char *err = NULL;
    CHECK_EQ_INT(legation_optimize(quad_fn, &q, 2, lo, hi, k, x, 200, 11, 300, 5, 20, &res, &err),
                 LEGATION_OK);
    double want0 = k ? 0.5 : 0.3, fwant = k ? 0.04 : 0;
    fprintf(stderr, "  %s: x = (%.4f, %.4f) f = %.4f +- %.4f, %d evaluations\n",
            k ? "constrained" : "free", x[0], x[1], res.f, res.f_se, res.evaluations);
    /* noise pull on x0: |d/dx0 (x0^2 e)| / 2 with |e| <= 4 * 0.1/sqrt(200) */
    CHECK_NEAR(x[0], want0, 0.03);
    CHECK_NEAR(x[1], -0.2, 0.01);
    CHECK_NEAR(res.f, fwant, 5 * res.f_se + 1e-3);
    CHECK_EQ_INT(res.feasible, 1);
    CHECK(res.candidates >= 1 && res.candidates <= 5);
  }
  double x[2] = {2, 0};
  legation_opt_result res;
  const char *err = NULL;
  quad q = {0};
  CHECK_EQ_INT(legation_optimize(quad_fn, &q, 2, lo, hi, 0, x, 10, 1, 10, 1, 2, &res, &err),
               LEGATION_EINVAL);
  CHECK(err != NULL);
}


/* ------------------------------------------------ utilities, strategies */

static void utility_file(void) {
  legation_utility u[2];
  legation_utility d;
  legation_utility_default(&d);
  CHECK(d.own_gain == 1 && d.other_gain == -1 && d.spiral == 0 && d.function == 0);
  const char *t = "a: {spiral: -200, function: 50}\n";
  char *err = NULL;
  CHECK_EQ_INT(legation_utility_load_string(t, strlen(t), "u.yaml", u, &err), LEGATION_OK);
  CHECK(u[0].spiral == -200 && u[0].function == 50 && u[0].own_gain == 1);
  CHECK(u[1].spiral == 0 && u[1].other_gain == -1); /* b keeps its defaults */
  const char *bad = "a: [1, 2]\nb: {own_gain: .inf}\n";
  CHECK_EQ_INT(legation_utility_load_string(bad, strlen(bad), "u.yaml", u, &err),
               LEGATION_ESCHEMA);
  CHECK_EQ_STR(err, "u.yaml:1:4: a: expected a mapping of weights, found a list\n"
                    "u.yaml:2:15: b.own_gain: expected a finite number, found '.inf'");
  legation_free(err);
}

/* A strategy's overrides and steps land in the scenario; the default
 * utility of A in every replication is value_a - value_b. */
static void strategies_apply(void) {
  const char *t = "a:\n  - name: quiet\n  - name: vetted\n    set: {states.a.vetting: 0.7}\n"
                  "    deal_add:\n      - {month: 2, action: readmit, target: both, value: 20,"
                  " when: {relations: -0.5}}\nb:\n  - name: mirror\n";
  legation_strategies *S = NULL;
  char *err = NULL;
  CHECK_EQ_INT(legation_strategies_load_string(t, strlen(t), "s.yaml", &S, &err), LEGATION_OK);
  if (!S) {
    fprintf(stderr, "  %s\n", err ? err : "?");
    legation_free(err);
    return;
  }
  CHECK_EQ_INT(legation_strategies_count(S, 0), 2);
  CHECK_EQ_INT(legation_strategies_count(S, 1), 1);
  CHECK_EQ_STR(legation_strategies_name(S, 0, 1), "vetted");
  legation_scenario *sc = legation_scenario_new();
  CHECK_EQ_INT(legation_scenario_load_builtin(sc, "us-russia-2025"), LEGATION_OK);
  int deal0 = legation_deal_count(sc);
  CHECK_EQ_INT(legation_strategies_apply(S, 0, 1, sc, &err), LEGATION_OK);
  CHECK_EQ_INT(legation_deal_count(sc), deal0 + 1);
  legation_deal_step step;
  legation_deal_get(sc, deal0, &step);
  CHECK_EQ_INT(step.month, 2);
  CHECK_EQ_STR(step.action, "readmit");
  CHECK_NEAR(step.value, 20, 0);
  CHECK_NEAR(step.r_min, -0.5, 0);
  CHECK_EQ_STR(legation_scenario_name(sc), "us-russia-2025");
  CHECK_EQ_STR(legation_scenario_state_name(sc, 0), "USA");
  for (int i = 0; i < legation_param_count(); i++) {
    legation_param pm;
    legation_param_get(sc, i, &pm);
    if (!strcmp(pm.key, "states.a.vetting")) CHECK_NEAR(pm.value, 0.7, 0);
  }
  /* utility per replication */
  legation_run *run = legation_run_new(sc);
  legation_run_set_reps(run, 20);
  legation_run_set_threads(run, 1);
  legation_run_set_keep_reps(run, 1);
  CHECK_EQ_INT(legation_run_execute(run), LEGATION_OK);
  legation_utility u;
  legation_utility_default(&u);
  int va = legation_output_find("value_a"), vb = legation_output_find("value_b");
  for (int r = 0; r < 20; r++) {
    double x, a, b;
    CHECK_EQ_INT(legation_run_utility(run, r, 0, &u, &x), LEGATION_OK);
    legation_run_rep_value(run, r, va, &a);
    legation_run_rep_value(run, r, vb, &b);
    CHECK_NEAR(x, a - b, 1e-9 * (1 + fabs(a - b)));
  }
  legation_run_free(run);
  legation_scenario_free(sc);
  legation_strategies_free(S);
  /* duplicate names and an empty side */
  const char *bad = "a:\n  - name: x\n  - name: x\nb: []\n";
  CHECK_EQ_INT(legation_strategies_load_string(bad, strlen(bad), "s.yaml", &S, &err),
               LEGATION_ESCHEMA);
  CHECK(S == NULL);
  CHECK_EQ_STR(err, "s.yaml: a[1].name: expected names unique within a side, found 'x' again\n"
                    "s.yaml:4:4: b: expected a list of 1 to 200 strategies, found 0");
  legation_free(err);
}

static const check_case cases[] = {
    {"classic_games", classic_games},
    {"degenerate_no_duplicates", degenerate_no_duplicates},
    {"random_vs_lrsnash", random_vs_lrsnash},
    {"lemke_howson_large", lemke_howson_large},
    {"zero_sum_value", zero_sum_value},
    {"nfg_round_trip", nfg_round_trip},
    {"nfg_errors", nfg_errors},
    {"nfg_mutations", nfg_mutations},
    {"yaml_mutations", yaml_mutations},
    {"regret_intervals", regret_intervals},
    {"sample_sizes", sample_sizes},
    {"voi_table", voi_table},
    {"voi_normal", voi_normal},
    {"optimiser_quadratic", optimiser_quadratic},
    {"utility_file", utility_file},
    {"strategies_apply", strategies_apply},
    {NULL, NULL},
};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
