/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nfg.c - Gambit's .nfg strategic-form files ("NFG 1 R"), two players:
 * reading both the payoff-list and the outcome form, writing the
 * payoff-list form with strategy names, so a game can be checked in Gambit
 * (gambit-enummixed, gambit-lcp).  Payoffs are read as exact rationals. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/game.h"

typedef enum { T_END, T_OPEN, T_CLOSE, T_STRING, T_WORD } tkind;

typedef struct lexer {
  const char *s, *name;
  int line, col;
  tkind kind;
  char *text; /* T_STRING (unescaped) and T_WORD */
  int tline, tcol;
  char *err;  /* first message */
  int oom;    /* an allocation failed */
} lexer;

static void lx_fail(lexer *lx, const char *what) {
  if (lx->err) return;
  const char *found = lx->kind == T_END      ? "end of file"
                      : lx->kind == T_OPEN   ? "'{'"
                      : lx->kind == T_CLOSE  ? "'}'"
                      : lx->text             ? lx->text
                                             : "?";
  size_t n = strlen(what) + strlen(found) + strlen(lx->name) + 96;
  lx->err = malloc(n);
  if (lx->err)
    snprintf(lx->err, n, "%s:%d:%d: expected %s, found %s%.60s%s", lx->name, lx->tline, lx->tcol,
             what, lx->kind == T_STRING ? "\"" : "", found, lx->kind == T_STRING ? "\"" : "");
}

static void adv(lexer *lx) {
  if (*lx->s == '\n') {
    lx->line++;
    lx->col = 1;
  } else {
    lx->col++;
  }
  lx->s++;
}

/* Next token; commas count as blanks (the outcome form uses them). */
static int next(lexer *lx) {
  free(lx->text);
  lx->text = NULL;
  while (*lx->s && (isspace((unsigned char)*lx->s) || *lx->s == ',')) adv(lx);
  lx->tline = lx->line;
  lx->tcol = lx->col;
  if (!*lx->s) {
    lx->kind = T_END;
    return 0;
  }
  if (*lx->s == '{' || *lx->s == '}') {
    lx->kind = *lx->s == '{' ? T_OPEN : T_CLOSE;
    adv(lx);
    return 0;
  }
  if (*lx->s == '"') {
    adv(lx);
    size_t cap = 16, len = 0;
    char *b = malloc(cap);
    if (!b) {
      lx->oom = 1;
      lx->kind = T_END;
      return -1;
    }
    while (*lx->s && *lx->s != '"') {
      if (*lx->s == '\\' && lx->s[1]) adv(lx);
      if (len + 2 > cap) {
        char *nb = realloc(b, cap *= 2);
        if (!nb) {
          free(b);
          lx->oom = 1;
          lx->kind = T_END;
          return -1;
        }
        b = nb;
      }
      b[len++] = *lx->s;
      adv(lx);
    }
    b[len] = 0;
    lx->kind = T_STRING;
    lx->text = b;
    if (!*lx->s) {
      lx->kind = T_END;
      lx_fail(lx, "a closing '\"'");
      return -1;
    }
    adv(lx);
    return 0;
  }
  const char *st = lx->s;
  while (*lx->s && !isspace((unsigned char)*lx->s) && !strchr("{}\",", *lx->s)) adv(lx);
  size_t len = (size_t)(lx->s - st);
  lx->text = malloc(len + 1);
  if (!lx->text) {
    lx->oom = 1;
    lx->kind = T_END;
    return -1;
  }
  memcpy(lx->text, st, len);
  lx->text[len] = 0;
  lx->kind = T_WORD;
  return 0;
}

static int expect(lexer *lx, tkind k, const char *what) {
  if (lx->kind != k) {
    lx_fail(lx, what);
    return -1;
  }
  return next(lx);
}

static int word_is(lexer *lx, const char *w) {
  return lx->kind == T_WORD && strcmp(lx->text, w) == 0;
}

/* A positive integer token <= max. */
static int read_count(lexer *lx, int max, const char *what, long *out) {
  char *end = NULL;
  long v = lx->kind == T_WORD ? strtol(lx->text, &end, 10) : 0;
  if (lx->kind != T_WORD || *end || v < 1 || v > max) {
    lx_fail(lx, what);
    return -1;
  }
  *out = v;
  return next(lx);
}

legation_status legation_game_read_nfg(const char *text, const char *name, legation_game **out,
                                       char **errmsg) {
  if (out) *out = NULL;
  if (errmsg) *errmsg = NULL;
  if (!text || !out) return LEGATION_EINVAL;
  lexer lx = {.s = text, .name = name ? name : "nfg", .line = 1, .col = 1};
  legation_game *g = NULL;
  char *title = NULL, *pl[2] = {NULL, NULL};
  char **sn[2] = {NULL, NULL};
  long cnt[2] = {0, 0};
  mpq_t *outc = NULL;
  long nout = 0;
  legation_status st = LEGATION_EPARSE;
  next(&lx);
  if (lx.oom) goto oom;
  if (!word_is(&lx, "NFG")) {
    lx_fail(&lx, "\"NFG\" (a Gambit strategic-form file)");
    goto fail;
  }
  next(&lx);
  if (!word_is(&lx, "1")) {
    lx_fail(&lx, "version 1");
    goto fail;
  }
  next(&lx);
  if (!word_is(&lx, "R") && !word_is(&lx, "D")) {
    lx_fail(&lx, "R (rational payoffs) or D");
    goto fail;
  }
  next(&lx);
  if (lx.kind != T_STRING) {
    lx_fail(&lx, "the game's title in quotes");
    goto fail;
  }
  title = lx.text;
  lx.text = NULL;
  next(&lx);
  if (expect(&lx, T_OPEN, "'{' before the player names")) goto fail;
  int np = 0;
  while (lx.kind == T_STRING) {
    if (np == 2) {
      lx_fail(&lx, "'}': Legation solves two-player games only");
      goto fail;
    }
    pl[np++] = lx.text;
    lx.text = NULL;
    next(&lx);
  }
  if (np != 2) {
    lx_fail(&lx, np < 2 ? "two player names (two-player games only)" : "'}'");
    goto fail;
  }
  if (expect(&lx, T_CLOSE, "'}' after the player names")) goto fail;
  if (expect(&lx, T_OPEN, "'{' before the strategies")) goto fail;
  if (lx.kind == T_OPEN) {
    for (int p = 0; p < 2; p++) {
      if (expect(&lx, T_OPEN, "'{' before a player's strategy names")) goto fail;
      int cap = 0;
      while (lx.kind == T_STRING) {
        if (cnt[p] == LEGATION_GAME_MAX_STRATEGIES) {
          lx_fail(&lx, "'}': at most 200 strategies per player");
          goto fail;
        }
        if (cnt[p] == cap) {
          cap = cap ? cap * 2 : 8;
          char **ns = realloc(sn[p], sizeof(char *) * cap);
          if (!ns) goto oom;
          sn[p] = ns;
        }
        sn[p][cnt[p]++] = lx.text;
        lx.text = NULL;
        next(&lx);
      }
      if (!cnt[p]) {
        lx_fail(&lx, "a strategy name in quotes");
        goto fail;
      }
      if (expect(&lx, T_CLOSE, "'}' after the strategy names")) goto fail;
    }
  } else {
    for (int p = 0; p < 2; p++)
      if (read_count(&lx, LEGATION_GAME_MAX_STRATEGIES,
                     "a number of strategies in [1, 200] for each of the two players", &cnt[p]))
        goto fail;
  }
  if (expect(&lx, T_CLOSE, "'}' after the strategies (two players)")) goto fail;
  if (lx.kind == T_STRING) next(&lx); /* comment */
  g = legation_game_new((int)cnt[0], (int)cnt[1]);
  if (!g) goto oom;
  if (legation_game_set_title(g, title) || legation_game_set_player(g, 0, pl[0]) ||
      legation_game_set_player(g, 1, pl[1]))
    goto oom;
  for (int p = 0; p < 2; p++)
    for (long s = 0; s < cnt[p] && sn[p]; s++)
      if (legation_game_set_strategy(g, p, (int)s, sn[p][s])) goto oom;
  long cells = cnt[0] * cnt[1];
  if (lx.kind == T_OPEN) {
    /* outcome form: { { "name" p1 p2 } ... } then one outcome index per cell */
    next(&lx);
    long cap = 0;
    while (lx.kind == T_OPEN) {
      next(&lx);
      if (lx.kind == T_STRING) next(&lx);
      if (nout == cap) {
        cap = cap ? cap * 2 : 16;
        mpq_t *no = realloc(outc, sizeof(mpq_t) * 2 * cap);
        if (!no) goto oom;
        outc = no;
      }
      for (int p = 0; p < 2; p++) {
        mpq_init(outc[2 * nout + p]);
        if (lx.kind != T_WORD || lg_game_parse_rational(outc[2 * nout + p], lx.text)) {
          for (int r = 0; r <= p; r++) mpq_clear(outc[2 * nout + r]);
          lx_fail(&lx, "an outcome's payoff (integer, decimal or p/q) for each of two players");
          goto fail;
        }
        next(&lx);
      }
      nout++;
      if (expect(&lx, T_CLOSE, "'}' after an outcome's two payoffs")) goto fail;
    }
    if (expect(&lx, T_CLOSE, "'}' after the outcomes")) goto fail;
    for (long c = 0; c < cells; c++) {
      long k;
      char *end = NULL;
      k = lx.kind == T_WORD ? strtol(lx.text, &end, 10) : -1;
      if (lx.kind != T_WORD || *end || k < 0 || k > nout) {
        lx_fail(&lx, "an outcome number (0 for none, or 1 to the number of outcomes) for every "
                     "cell");
        goto fail;
      }
      long i = c % cnt[0], j = c / cnt[0];
      for (int p = 0; p < 2; p++) {
        if (k) mpq_set(g->q[p][i * cnt[1] + j], outc[2 * (k - 1) + p]);
        g->a[p][i * cnt[1] + j] = mpq_get_d(g->q[p][i * cnt[1] + j]);
      }
      next(&lx);
    }
  } else {
    for (long c = 0; c < cells * 2; c++) {
      long cell = c / 2, i = cell % cnt[0], j = cell / cnt[0];
      int p = (int)(c % 2);
      if (lx.kind != T_WORD || lg_game_parse_rational(g->q[p][i * cnt[1] + j], lx.text)) {
        lx_fail(&lx, "a payoff (integer, decimal or p/q): two per cell, player 1's strategy "
                     "varying fastest");
        goto fail;
      }
      g->a[p][i * cnt[1] + j] = lg_game_text_double(lx.text, g->q[p][i * cnt[1] + j]);
      if (!isfinite(g->a[p][i * cnt[1] + j])) {
        lx_fail(&lx, "a payoff within the range of a double");
        goto fail;
      }
      next(&lx);
    }
  }
  if (lx.kind != T_END) {
    lx_fail(&lx, "end of file after the payoffs");
    goto fail;
  }
  if (lx.oom) goto oom;
  if (lx.err) goto fail; /* a token failed where its caller did not look */
  st = LEGATION_OK;
  goto done;
oom:
  st = LEGATION_ENOMEM;
  free(lx.err);
  lx.err = strdup("out of memory");
  goto done_fail;
fail:
  if (lx.oom) {
    st = LEGATION_ENOMEM;
    free(lx.err);
    lx.err = strdup("out of memory");
  }
done_fail:
  legation_game_free(g);
  g = NULL;
done:
  if (errmsg) {
    *errmsg = lx.err;
    lx.err = NULL;
  }
  free(lx.err);
  free(lx.text);
  free(title);
  for (int p = 0; p < 2; p++) {
    free(pl[p]);
    for (long s = 0; s < cnt[p] && sn[p]; s++) free(sn[p][s]);
    free(sn[p]);
  }
  for (long k = 0; k < 2 * nout; k++) mpq_clear(outc[k]);
  free(outc);
  *out = g;
  return st;
}

/* --------------------------------------------------------------- writing */

typedef struct buf {
  char *s;
  size_t len, cap;
  int oom;
} buf;

static void put(buf *b, const char *t) {
  size_t n = strlen(t);
  if (b->oom) return;
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n + 1) cap *= 2;
    char *ns = realloc(b->s, cap);
    if (!ns) {
      b->oom = 1;
      return;
    }
    b->s = ns;
    b->cap = cap;
  }
  memcpy(b->s + b->len, t, n + 1);
  b->len += n;
}

static void put_string(buf *b, const char *t) {
  put(b, "\"");
  char one[2] = {0, 0};
  for (; t && *t; t++) {
    if (*t == '"' || *t == '\\') put(b, "\\");
    one[0] = *t;
    put(b, one);
  }
  put(b, "\"");
}

char *legation_game_write_nfg(const legation_game *g) {
  if (!g) return NULL;
  buf b = {0};
  put(&b, "NFG 1 R ");
  put_string(&b, g->title ? g->title : "");
  put(&b, " { ");
  for (int p = 0; p < 2; p++) {
    char def[16];
    snprintf(def, sizeof def, "Player %d", p + 1);
    put_string(&b, g->player[p] ? g->player[p] : def);
    put(&b, " ");
  }
  put(&b, "}\n{ ");
  for (int p = 0; p < 2; p++) {
    put(&b, "{ ");
    for (int s = 0; s < (p ? g->n : g->m); s++) {
      char def[16];
      snprintf(def, sizeof def, "%d", s + 1);
      put_string(&b, g->strategy[p][s] ? g->strategy[p][s] : def);
      put(&b, " ");
    }
    put(&b, "} ");
  }
  put(&b, "}\n\"\"\n\n");
  for (int j = 0; j < g->n; j++)
    for (int i = 0; i < g->m; i++)
      for (int p = 0; p < 2; p++) {
        char num[40];
        if (g->exact) {
          char *t = lg_game_rational_text(g->q[p][i * g->n + j]);
          if (!t) {
            b.oom = 1;
            break;
          }
          put(&b, t);
          free(t);
        } else {
          /* exact decimal expansion of the double would be long; %.17g
           * round-trips the double */
          snprintf(num, sizeof num, "%.17g", g->a[p][i * g->n + j]);
          put(&b, num);
        }
        put(&b, j == g->n - 1 && i == g->m - 1 && p == 1 ? "\n" : " ");
      }
  if (b.oom) {
    free(b.s);
    return NULL;
  }
  return b.s;
}
