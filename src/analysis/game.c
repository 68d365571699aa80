/* SPDX-License-Identifier: GPL-3.0-or-later */
/* game.c - two-player games in normal form: the handle, exact payoffs, and
 * the equilibrium solvers (pure scan, support enumeration in its vertex
 * form, Lemke-Howson), verification, regret under payoff intervals and the
 * max-min value by linear programming (GLPK).  docs/DECISIONS.md section 2
 * states the methods and their references. */
#include "analysis/game.h"

#include <ctype.h>
#include <glpk.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOL 1e-9 /* on payoffs rescaled to [1, 2] */

legation_status lg_game_fail(legation_game *g, legation_status status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(g->errmsg, sizeof g->errmsg, fmt, ap);
  va_end(ap);
  return status;
}

/* ---------------------------------------------------------- rationals */

int lg_game_parse_rational(mpq_t q, const char *t) {
  const char *s = t;
  if (!*s) return -1;
  const char *slash = strchr(s, '/');
  if (slash) {
    /* integer/positive integer */
    const char *p = s;
    if (*p == '-' || *p == '+') p++;
    if (!isdigit((unsigned char)*p)) return -1;
    while (isdigit((unsigned char)*p)) p++;
    if (p != slash) return -1;
    p++;
    if (!isdigit((unsigned char)*p)) return -1;
    const char *d = p;
    while (isdigit((unsigned char)*p)) p++;
    if (*p) return -1;
    size_t len = strlen(s);
    char *buf = malloc(len + 1);
    if (!buf) return -1;
    memcpy(buf, *s == '+' ? s + 1 : s, len + 1);
    int bad = mpq_set_str(q, buf, 10) != 0;
    free(buf);
    if (bad) return -1;
    int zero = 1;
    for (; *d && zero; d++) zero = *d == '0';
    if (zero) return -1;
    mpq_canonicalize(q);
    return 0;
  }
  /* [-+]digits[.digits][(e|E)[-+]digits] */
  int neg = 0;
  if (*s == '-' || *s == '+') neg = *s++ == '-';
  mpz_t num;
  mpz_init_set_ui(num, 0);
  int digits = 0;
  long scale = 0;
  while (isdigit((unsigned char)*s)) {
    mpz_mul_ui(num, num, 10);
    mpz_add_ui(num, num, (unsigned long)(*s++ - '0'));
    digits++;
  }
  if (*s == '.') {
    s++;
    while (isdigit((unsigned char)*s)) {
      mpz_mul_ui(num, num, 10);
      mpz_add_ui(num, num, (unsigned long)(*s++ - '0'));
      digits++;
      scale--;
    }
  }
  if (!digits) {
    mpz_clear(num);
    return -1;
  }
  if (*s == 'e' || *s == 'E') {
    s++;
    int eneg = 0;
    if (*s == '-' || *s == '+') eneg = *s++ == '-';
    if (!isdigit((unsigned char)*s)) {
      mpz_clear(num);
      return -1;
    }
    long e = 0;
    while (isdigit((unsigned char)*s) && e < 100000) e = e * 10 + (*s++ - '0');
    if (isdigit((unsigned char)*s) || e > 4000) {
      mpz_clear(num);
      return -1;
    }
    scale += eneg ? -e : e;
  }
  if (*s) {
    mpz_clear(num);
    return -1;
  }
  mpz_t p10;
  mpz_init(p10);
  mpz_ui_pow_ui(p10, 10, (unsigned long)labs(scale));
  if (scale >= 0) {
    mpz_mul(num, num, p10);
    mpq_set_z(q, num);
  } else {
    mpq_set_num(q, num);
    mpq_set_den(q, p10);
    mpq_canonicalize(q);
  }
  if (neg) mpq_neg(q, q);
  mpz_clear(p10);
  mpz_clear(num);
  return 0;
}

double lg_game_text_double(const char *text, const mpq_t q) {
  if (!strchr(text, '/')) return strtod(text, NULL);
  return mpq_get_d(q);
}

char *lg_game_rational_text(const mpq_t q) {
  return mpq_get_str(NULL, 10, q); /* "1/3", "-2": Gambit's form */
}

/* ------------------------------------------------------------- handle */

static void clear_results(legation_game *g) {
  if (g->eqq) {
    for (int i = 0; i < g->neq * (g->m + g->n); i++) mpq_clear(g->eqq[i]);
    free(g->eqq);
  }
  free(g->eq);
  g->eq = NULL;
  g->eqq = NULL;
  g->neq = g->npure = g->complete = g->degenerate = 0;
  g->solved = 0;
  g->method = NULL;
}

legation_game *legation_game_new(int rows, int cols) {
  if (rows < 1 || cols < 1 || rows > LEGATION_GAME_MAX_STRATEGIES ||
      cols > LEGATION_GAME_MAX_STRATEGIES)
    return NULL;
  legation_game *g = calloc(1, sizeof *g);
  if (!g) return NULL;
  g->m = rows;
  g->n = cols;
  g->exact = 1;
  size_t mn = (size_t)rows * cols;
  for (int p = 0; p < 2; p++) {
    g->a[p] = calloc(mn, sizeof(double));
    g->h[p] = calloc(mn, sizeof(double));
    g->q[p] = malloc(mn * sizeof(mpq_t));
    g->strategy[p] = calloc((size_t)(p ? cols : rows), sizeof(char *));
    if (!g->a[p] || !g->h[p] || !g->q[p] || !g->strategy[p]) {
      for (int r = 0; r <= p; r++) {
        free(g->a[r]);
        free(g->h[r]);
        free(g->q[r]);
        free(g->strategy[r]);
      }
      free(g);
      return NULL;
    }
    for (size_t i = 0; i < mn; i++) mpq_init(g->q[p][i]);
  }
  return g;
}

void legation_game_free(legation_game *g) {
  if (!g) return;
  clear_results(g);
  for (int p = 0; p < 2; p++) {
    for (int i = 0; i < g->m * g->n; i++) mpq_clear(g->q[p][i]);
    free(g->q[p]);
    free(g->a[p]);
    free(g->h[p]);
    for (int s = 0; s < (p ? g->n : g->m); s++) free(g->strategy[p][s]);
    free(g->strategy[p]);
    free(g->player[p]);
  }
  free(g->title);
  free(g);
}

int legation_game_rows(const legation_game *g) { return g ? g->m : 0; }
int legation_game_cols(const legation_game *g) { return g ? g->n : 0; }
const char *legation_game_errmsg(const legation_game *g) { return g ? g->errmsg : ""; }
int legation_game_is_exact(const legation_game *g) { return g && g->exact; }

static int cell_ok(legation_game *g, int r, int c) {
  if (r < 0 || r >= g->m || c < 0 || c >= g->n) {
    lg_game_fail(g, LEGATION_EINVAL, "cell (%d, %d) outside the %dx%d game", r + 1, c + 1, g->m,
                 g->n);
    return 0;
  }
  return 1;
}

legation_status legation_game_set_payoff(legation_game *g, int r, int c, double p1, double p2) {
  if (!g) return LEGATION_EINVAL;
  if (!cell_ok(g, r, c)) return LEGATION_EINVAL;
  if (!isfinite(p1) || !isfinite(p2))
    return lg_game_fail(g, LEGATION_ERANGE, "cell (%d, %d): payoffs must be finite", r + 1,
                        c + 1);
  clear_results(g);
  g->a[0][r * g->n + c] = p1;
  g->a[1][r * g->n + c] = p2;
  mpq_set_d(g->q[0][r * g->n + c], p1);
  mpq_set_d(g->q[1][r * g->n + c], p2);
  g->exact = 0;
  return LEGATION_OK;
}

legation_status legation_game_set_payoff_text(legation_game *g, int r, int c, const char *p1,
                                              const char *p2) {
  if (!g || !p1 || !p2) return LEGATION_EINVAL;
  if (!cell_ok(g, r, c)) return LEGATION_EINVAL;
  mpq_t v[2];
  mpq_init(v[0]);
  mpq_init(v[1]);
  const char *t[2] = {p1, p2};
  for (int p = 0; p < 2; p++)
    if (lg_game_parse_rational(v[p], t[p]) != 0 || !isfinite(lg_game_text_double(t[p], v[p]))) {
      mpq_clear(v[0]);
      mpq_clear(v[1]);
      return lg_game_fail(g, LEGATION_EPARSE,
                          "cell (%d, %d): expected a number (integer, decimal or p/q), found "
                          "\"%.40s\"",
                          r + 1, c + 1, t[p]);
    }
  clear_results(g);
  for (int p = 0; p < 2; p++) {
    mpq_set(g->q[p][r * g->n + c], v[p]);
    g->a[p][r * g->n + c] = lg_game_text_double(t[p], v[p]);
    mpq_clear(v[p]);
  }
  return LEGATION_OK;
}

legation_status legation_game_payoff(const legation_game *g, int r, int c, double *p1,
                                     double *p2) {
  if (!g || r < 0 || r >= g->m || c < 0 || c >= g->n) return LEGATION_EINVAL;
  if (p1) *p1 = g->a[0][r * g->n + c];
  if (p2) *p2 = g->a[1][r * g->n + c];
  return LEGATION_OK;
}

legation_status legation_game_set_halfwidth(legation_game *g, int r, int c, double h1,
                                            double h2) {
  if (!g) return LEGATION_EINVAL;
  if (!cell_ok(g, r, c)) return LEGATION_EINVAL;
  if (!(h1 >= 0) || !(h2 >= 0) || !isfinite(h1) || !isfinite(h2))
    return lg_game_fail(g, LEGATION_ERANGE, "cell (%d, %d): half-widths must be finite and >= 0",
                        r + 1, c + 1);
  g->h[0][r * g->n + c] = h1;
  g->h[1][r * g->n + c] = h2;
  return LEGATION_OK;
}

static legation_status set_name(legation_game *g, char **slot, const char *name) {
  char *d = strdup(name ? name : "");
  if (!d) return lg_game_fail(g, LEGATION_ENOMEM, "out of memory");
  free(*slot);
  *slot = d;
  return LEGATION_OK;
}

legation_status legation_game_set_title(legation_game *g, const char *title) {
  return g ? set_name(g, &g->title, title) : LEGATION_EINVAL;
}
legation_status legation_game_set_player(legation_game *g, int p, const char *name) {
  if (!g || p < 0 || p > 1) return LEGATION_EINVAL;
  return set_name(g, &g->player[p], name);
}
legation_status legation_game_set_strategy(legation_game *g, int p, int s, const char *name) {
  if (!g || p < 0 || p > 1 || s < 0 || s >= (p ? g->n : g->m)) return LEGATION_EINVAL;
  return set_name(g, &g->strategy[p][s], name);
}
const char *legation_game_strategy(const legation_game *g, int p, int s) {
  if (!g || p < 0 || p > 1 || s < 0 || s >= (p ? g->n : g->m)) return NULL;
  return g->strategy[p][s];
}
const char *legation_game_player(const legation_game *g, int p) {
  if (!g || p < 0 || p > 1) return NULL;
  return g->player[p];
}

/* -------------------------------------------------- exact linear algebra */

/* Solve the (possibly overdetermined) system M z = r (rows x p, row-major,
 * rhs in r) exactly; 1 when it is consistent with a unique solution (then
 * z[p] holds it), 0 otherwise.  M and r are destroyed. */
static int solve_q(int rows, int p, mpq_t *M, mpq_t *r, mpq_t *z) {
  mpq_t t;
  mpq_init(t);
  int row = 0, ok = 1;
  for (int col = 0; col < p && ok; col++) {
    int piv = -1;
    for (int i = row; i < rows; i++)
      if (mpq_sgn(M[i * p + col]) != 0) {
        piv = i;
        break;
      }
    if (piv < 0) {
      ok = 0; /* rank < p: not unique */
      break;
    }
    if (piv != row) {
      for (int c = 0; c < p; c++) mpq_swap(M[piv * p + c], M[row * p + c]);
      mpq_swap(r[piv], r[row]);
    }
    for (int i = 0; i < rows; i++) {
      if (i == row || mpq_sgn(M[i * p + col]) == 0) continue;
      mpq_div(t, M[i * p + col], M[row * p + col]);
      for (int c = col; c < p; c++) {
        mpq_t u;
        mpq_init(u);
        mpq_mul(u, t, M[row * p + c]);
        mpq_sub(M[i * p + c], M[i * p + c], u);
        mpq_clear(u);
      }
      mpq_t u;
      mpq_init(u);
      mpq_mul(u, t, r[row]);
      mpq_sub(r[i], r[i], u);
      mpq_clear(u);
    }
    row++;
  }
  if (ok)
    for (int i = p; i < rows; i++)
      if (mpq_sgn(r[i]) != 0) ok = 0; /* inconsistent */
  if (ok)
    for (int c = 0; c < p; c++) mpq_div(z[c], r[c], M[c * p + c]);
  mpq_clear(t);
  return ok;
}

/* ------------------------------------------------------------ polytopes */

/* The best-response polytope of one player, {z >= 0 : C z <= 1}: p own
 * strategies, q rows (the other player's strategies), C q x p row-major
 * with positive entries (the other player's payoffs, shifted).  Local
 * labels: 0..p-1 for z_i = 0, p..p+q-1 for row j tight. */
typedef struct poly {
  int p, q;
  double *C;  /* rescaled to [1, 2] */
  mpq_t *Cq;  /* shifted to >= 1, exact games only */
} poly;

typedef struct vlist {
  int count, cap, p;
  double *z;       /* count*p */
  mpq_t *zq;       /* count*p when exact */
  uint32_t *mask;  /* local labels */
} vlist;

static int vlist_push(vlist *v, const double *z, uint32_t mask) {
  if (v->count == v->cap) {
    int cap = v->cap ? v->cap * 2 : 64;
    double *nz = realloc(v->z, (size_t)cap * v->p * sizeof *nz);
    if (!nz) return -1;
    v->z = nz;
    uint32_t *nm = realloc(v->mask, (size_t)cap * sizeof *nm);
    if (!nm) return -1;
    v->mask = nm;
    v->cap = cap;
  }
  memcpy(v->z + (size_t)v->count * v->p, z, (size_t)v->p * sizeof *z);
  v->mask[v->count++] = mask;
  return 0;
}

static void vlist_free(vlist *v) {
  if (v->zq) {
    for (int i = 0; i < v->count * v->p; i++) mpq_clear(v->zq[i]);
    free(v->zq);
  }
  free(v->z);
  free(v->mask);
}

/* Gaussian elimination with partial pivoting on k x k M, rhs in b (solution
 * returned in b); 0 when (numerically) singular. */
static int solve_d(int k, double *M, double *b) {
  for (int c = 0; c < k; c++) {
    int piv = c;
    for (int i = c + 1; i < k; i++)
      if (fabs(M[i * k + c]) > fabs(M[piv * k + c])) piv = i;
    if (fabs(M[piv * k + c]) < 1e-11) return 0;
    if (piv != c) {
      for (int j = 0; j < k; j++) {
        double t = M[c * k + j];
        M[c * k + j] = M[piv * k + j];
        M[piv * k + j] = t;
      }
      double t = b[c];
      b[c] = b[piv];
      b[piv] = t;
    }
    for (int i = c + 1; i < k; i++) {
      double f = M[i * k + c] / M[c * k + c];
      if (f == 0) continue;
      for (int j = c; j < k; j++) M[i * k + j] -= f * M[c * k + j];
      b[i] -= f * b[c];
    }
  }
  for (int c = k - 1; c >= 0; c--) {
    double s = b[c];
    for (int j = c + 1; j < k; j++) s -= M[c * k + j] * b[j];
    b[c] = s / M[c * k + c];
  }
  return 1;
}

/* Local label mask of z (doubles, with tolerance); -1 if z is outside. */
static int64_t labels_d(const poly *P, const double *z) {
  uint32_t mask = 0;
  for (int i = 0; i < P->p; i++) {
    if (z[i] < -TOL) return -1;
    if (z[i] <= TOL) mask |= 1u << i;
  }
  for (int j = 0; j < P->q; j++) {
    double s = 0;
    for (int i = 0; i < P->p; i++) s += P->C[j * P->p + i] * z[i];
    if (s > 1 + TOL) return -1;
    if (s >= 1 - TOL) mask |= 1u << (P->p + j);
  }
  return mask;
}

/* Next k-subset of {0..n-1} in lexicographic order; 0 after the last. */
static int next_comb(int *c, int k, int n) {
  int i = k - 1;
  while (i >= 0 && c[i] == n - k + i) i--;
  if (i < 0) return 0;
  c[i]++;
  for (int j = i + 1; j < k; j++) c[j] = c[j - 1] + 1;
  return 1;
}

static int cmp_mask(const void *x, const void *y) {
  uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
  return (a > b) - (a < b);
}

/* Every nonzero vertex of P: each support I of size k paired with each set
 * K of k rows made tight, solved, kept when feasible; duplicates (the same
 * label set) removed.  -1 on OOM. */
static int venum(const poly *P, vlist *out) {
  int p = P->p, q = P->q, kmax = p < q ? p : q;
  int I[32], K[32];
  double M[32 * 32], b[32], z[32];
  for (int k = 1; k <= kmax; k++) {
    for (int i = 0; i < k; i++) I[i] = i;
    do {
      for (int i = 0; i < k; i++) K[i] = i;
      do {
        for (int r = 0; r < k; r++) {
          for (int c = 0; c < k; c++) M[r * k + c] = P->C[K[r] * p + I[c]];
          b[r] = 1;
        }
        if (!solve_d(k, M, b)) continue;
        int neg = 0;
        for (int c = 0; c < k && !neg; c++) neg = b[c] < -TOL;
        if (neg) continue;
        memset(z, 0, sizeof(double) * p);
        for (int c = 0; c < k; c++) z[I[c]] = b[c] > 0 ? b[c] : 0;
        int64_t mask = labels_d(P, z);
        if (mask < 0) continue;
        if (vlist_push(out, z, (uint32_t)mask)) return -1;
      } while (next_comb(K, k, q));
    } while (next_comb(I, k, p));
  }
  /* dedupe by label set: a vertex is the one point with its tight set */
  int n = out->count;
  if (!n) return 0;
  size_t rec = sizeof(uint32_t) + sizeof(double) * p;
  char *buf = malloc(rec * n);
  if (!buf) return -1;
  /* sort (mask, z) records by mask, stable enough: equal masks are equal points */
  for (int i = 0; i < n; i++) {
    memcpy(buf + rec * i, &out->mask[i], sizeof(uint32_t));
    memcpy(buf + rec * i + sizeof(uint32_t), out->z + (size_t)i * p, sizeof(double) * p);
  }
  qsort(buf, n, rec, cmp_mask);
  int w = 0;
  for (int i = 0; i < n; i++) {
    uint32_t mk;
    memcpy(&mk, buf + rec * i, sizeof mk);
    if (w > 0 && out->mask[w - 1] == mk) continue;
    out->mask[w] = mk;
    memcpy(out->z + (size_t)w * p, buf + rec * i + sizeof(uint32_t), sizeof(double) * p);
    w++;
  }
  out->count = w;
  free(buf);
  return 0;
}

/* Exact point with the local tight set `tight` (p + q flags) of polytope P:
 * solved from those constraints, then checked inside P; its exact tight set
 * in tight_out.  1 if it is a vertex of P, 0 otherwise. */
static int refine_q(const poly *P, const char *tight, mpq_t *z, char *tight_out) {
  int p = P->p, q = P->q, rows = 0;
  for (int l = 0; l < p + q; l++) rows += tight[l] != 0;
  if (rows < p) return 0;
  mpq_t *M = malloc(sizeof(mpq_t) * ((size_t)rows * p + rows));
  if (!M) return 0;
  mpq_t *r = M + (size_t)rows * p;
  for (int i = 0; i < rows * p + rows; i++) mpq_init(M[i]);
  int row = 0;
  for (int l = 0; l < p + q; l++) {
    if (!tight[l]) continue;
    if (l < p) {
      mpq_set_ui(M[row * p + l], 1, 1);
      mpq_set_ui(r[row], 0, 1);
    } else {
      for (int i = 0; i < p; i++) mpq_set(M[row * p + i], P->Cq[(l - p) * p + i]);
      mpq_set_ui(r[row], 1, 1);
    }
    row++;
  }
  int ok = solve_q(rows, p, M, r, z);
  for (int i = 0; i < rows * p + rows; i++) mpq_clear(M[i]);
  free(M);
  if (!ok) return 0;
  mpq_t s, t;
  mpq_init(s);
  mpq_init(t);
  for (int i = 0; i < p && ok; i++) {
    if (mpq_sgn(z[i]) < 0) ok = 0;
    tight_out[i] = mpq_sgn(z[i]) == 0;
  }
  for (int j = 0; j < q && ok; j++) {
    mpq_set_ui(s, 0, 1);
    for (int i = 0; i < p; i++) {
      mpq_mul(t, P->Cq[j * p + i], z[i]);
      mpq_add(s, s, t);
    }
    int c = mpq_cmp_ui(s, 1, 1);
    if (c > 0) ok = 0;
    tight_out[p + j] = c == 0;
  }
  mpq_clear(s);
  mpq_clear(t);
  return ok;
}

/* ------------------------------------------------------- equilibria list */

typedef struct eqlist {
  int count, cap, d; /* d = m + n */
  double *x;
  mpq_t *xq;         /* when exact */
  int exact;
} eqlist;

static int eq_same(const eqlist *L, int k, const double *x, mpq_t *xq) {
  if (L->exact) {
    for (int i = 0; i < L->d; i++)
      if (!mpq_equal(L->xq[(size_t)k * L->d + i], xq[i])) return 0;
    return 1;
  }
  for (int i = 0; i < L->d; i++)
    if (fabs(L->x[(size_t)k * L->d + i] - x[i]) > 1e-7) return 0;
  return 1;
}

/* Add a profile unless already present; -1 on OOM. */
static int eq_add(eqlist *L, const double *x, mpq_t *xq) {
  for (int k = 0; k < L->count; k++)
    if (eq_same(L, k, x, xq)) return 0;
  if (L->count == L->cap) {
    int cap = L->cap ? 2 * L->cap : 16;
    double *nx = realloc(L->x, sizeof(double) * (size_t)cap * L->d);
    if (!nx) return -1;
    L->x = nx;
    if (L->exact) {
      mpq_t *nq = realloc(L->xq, sizeof(mpq_t) * (size_t)cap * L->d);
      if (!nq) return -1;
      L->xq = nq;
    }
    L->cap = cap;
  }
  memcpy(L->x + (size_t)L->count * L->d, x, sizeof(double) * L->d);
  if (L->exact)
    for (int i = 0; i < L->d; i++) {
      mpq_init(L->xq[(size_t)L->count * L->d + i]);
      mpq_set(L->xq[(size_t)L->count * L->d + i], xq[i]);
    }
  L->count++;
  return 0;
}

/* Is (x, y) a Nash equilibrium of g?  Exactly for exact games (xq), else
 * with a tolerance relative to the payoff range. */
static int verify(const legation_game *g, const double *x, mpq_t *xq) {
  int m = g->m, n = g->n;
  if (g->exact) {
    int ok = 1;
    mpq_t s, t, best;
    mpq_init(s);
    mpq_init(t);
    mpq_init(best);
    mpq_t *u = malloc(sizeof(mpq_t) * (size_t)(m > n ? m : n));
    if (!u) ok = 0;
    for (int p = 0; p < 2 && ok; p++) {
      int own = p ? n : m, oth = p ? m : n;
      for (int i = 0; i < own; i++) {
        mpq_init(u[i]);
        for (int j = 0; j < oth; j++) {
          int cell = p ? j * n + i : i * n + j;
          mpq_mul(t, g->q[p][cell], xq[p ? j : m + j]);
          mpq_add(u[i], u[i], t);
        }
      }
      mpq_set(best, u[0]);
      for (int i = 1; i < own; i++)
        if (mpq_cmp(u[i], best) > 0) mpq_set(best, u[i]);
      for (int i = 0; i < own; i++)
        if (mpq_sgn(xq[p ? m + i : i]) > 0 && !mpq_equal(u[i], best)) ok = 0;
      for (int i = 0; i < own; i++) mpq_clear(u[i]);
    }
    free(u);
    mpq_clear(s);
    mpq_clear(t);
    mpq_clear(best);
    return ok;
  }
  double lo = INFINITY, hi = -INFINITY;
  for (int p = 0; p < 2; p++)
    for (int c = 0; c < m * n; c++) {
      if (g->a[p][c] < lo) lo = g->a[p][c];
      if (g->a[p][c] > hi) hi = g->a[p][c];
    }
  double tol = 1e-7 * (hi - lo > 1 ? hi - lo : 1);
  for (int p = 0; p < 2; p++) {
    int own = p ? n : m, oth = p ? m : n;
    double best = -INFINITY, u[LEGATION_GAME_MAX_STRATEGIES];
    for (int i = 0; i < own; i++) {
      u[i] = 0;
      for (int j = 0; j < oth; j++)
        u[i] += g->a[p][p ? j * n + i : i * n + j] * x[p ? j : m + j];
      if (u[i] > best) best = u[i];
    }
    for (int i = 0; i < own; i++)
      if (x[p ? m + i : i] > 1e-9 && u[i] < best - tol) return 0;
  }
  return 1;
}

/* Build both polytopes: P for player 1 (C = B^T), Q for player 2 (C = A). */
static int make_polys(const legation_game *g, poly *P, poly *Q) {
  int m = g->m, n = g->n;
  poly *pp[2] = {P, Q};
  for (int w = 0; w < 2; w++) {
    poly *T = pp[w];
    int other = 1 - w; /* P's constraints use player 2's payoffs */
    T->p = w ? n : m;
    T->q = w ? m : n;
    T->C = malloc(sizeof(double) * (size_t)m * n);
    T->Cq = NULL;
    if (!T->C) return -1;
    double lo = INFINITY, hi = -INFINITY;
    for (int c = 0; c < m * n; c++) {
      if (g->a[other][c] < lo) lo = g->a[other][c];
      if (g->a[other][c] > hi) hi = g->a[other][c];
    }
    double span = hi > lo ? hi - lo : 1;
    for (int i = 0; i < m; i++)
      for (int j = 0; j < n; j++) {
        double v = 1 + (g->a[other][i * n + j] - lo) / span;
        if (w == 0)
          T->C[j * m + i] = v; /* row j of P: sum_i B_ij x_i */
        else
          T->C[i * n + j] = v; /* row i of Q: sum_j A_ij y_j */
      }
    if (g->exact) {
      T->Cq = malloc(sizeof(mpq_t) * (size_t)m * n);
      if (!T->Cq) return -1;
      mpq_t qlo;
      mpq_init(qlo);
      mpq_set(qlo, g->q[other][0]);
      for (int c = 1; c < m * n; c++)
        if (mpq_cmp(g->q[other][c], qlo) < 0) mpq_set(qlo, g->q[other][c]);
      mpq_t one;
      mpq_init(one);
      mpq_set_ui(one, 1, 1);
      for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) {
          int at = w == 0 ? j * m + i : i * n + j;
          mpq_init(T->Cq[at]);
          mpq_sub(T->Cq[at], g->q[other][i * n + j], qlo);
          mpq_add(T->Cq[at], T->Cq[at], one);
        }
      mpq_clear(qlo);
      mpq_clear(one);
    }
  }
  return 0;
}

static void free_poly(poly *T, int mn) {
  free(T->C);
  if (T->Cq) {
    for (int i = 0; i < mn; i++) mpq_clear(T->Cq[i]);
    free(T->Cq);
  }
}

/* Normalise vertex coordinates into a profile part (doubles and exact). */
static void normalise(int p, const double *z, mpq_t *zq, double *x, mpq_t *xq, int exact) {
  double s = 0;
  for (int i = 0; i < p; i++) s += z[i];
  if (exact) {
    mpq_t t;
    mpq_init(t);
    for (int i = 0; i < p; i++) mpq_add(t, t, zq[i]);
    for (int i = 0; i < p; i++) {
      mpq_div(xq[i], zq[i], t);
      x[i] = mpq_get_d(xq[i]);
    }
    mpq_clear(t);
  } else {
    for (int i = 0; i < p; i++) x[i] = z[i] / s;
  }
}

/* Support enumeration (vertex form): all vertex pairs of P x Q whose
 * labels cover every label. */
static int solve_enum(legation_game *g, const poly *P, const poly *Q, eqlist *L) {
  int m = g->m, n = g->n, rc = 0;
  vlist V[2] = {{.p = m}, {.p = n}};
  const poly *T[2] = {P, Q};
  char *tight = malloc((size_t)(m + n) * 2);
  double *x = malloc(sizeof(double) * (m + n));
  mpq_t *xq = malloc(sizeof(mpq_t) * (m + n));
  if (!tight || !x || !xq) {
    free(tight);
    free(x);
    free(xq);
    return -1;
  }
  for (int i = 0; i < m + n; i++) mpq_init(xq[i]);
  for (int w = 0; w < 2 && !rc; w++) {
    if (venum(T[w], &V[w])) rc = -1;
    if (rc || !g->exact) continue;
    /* refine every vertex exactly; drop the ones that are not vertices */
    int p = T[w]->p, q = T[w]->q;
    V[w].zq = malloc(sizeof(mpq_t) * (size_t)(V[w].count ? V[w].count : 1) * p);
    if (!V[w].zq) {
      rc = -1;
      break;
    }
    int keep = 0;
    for (int v = 0; v < V[w].count; v++) {
      for (int l = 0; l < p + q; l++) tight[l] = (V[w].mask[v] >> l) & 1;
      mpq_t *z = V[w].zq + (size_t)keep * p;
      for (int i = 0; i < p; i++) mpq_init(z[i]);
      if (!refine_q(T[w], tight, z, tight + p + q)) {
        for (int i = 0; i < p; i++) mpq_clear(z[i]);
        continue;
      }
      uint32_t mk = 0;
      for (int l = 0; l < p + q; l++)
        if (tight[p + q + l]) mk |= 1u << l;
      V[w].mask[keep] = mk;
      for (int i = 0; i < p; i++) V[w].z[(size_t)keep * p + i] = mpq_get_d(z[i]);
      keep++;
    }
    V[w].count = keep;
  }
  /* degeneracy: a vertex with more than p labels */
  for (int w = 0; w < 2 && !rc; w++)
    for (int v = 0; v < V[w].count; v++)
      if (__builtin_popcount(V[w].mask[v]) > T[w]->p) g->degenerate = 1;
  /* game labels: P's local labels are the game's; Q's are rotated */
  uint32_t full = (uint32_t)((1ull << (m + n)) - 1);
  for (int a = 0; a < V[0].count && !rc; a++) {
    uint32_t la = V[0].mask[a];
    for (int b = 0; b < V[1].count && !rc; b++) {
      uint32_t lq = V[1].mask[b], lb = 0;
      /* Q local: 0..n-1 = y_j zero (game m+j), n..n+m-1 = row i (game i) */
      lb = ((lq & ((1u << n) - 1)) << m) | (lq >> n);
      if ((la | lb) != full) continue;
      normalise(m, V[0].z + (size_t)a * m, g->exact ? V[0].zq + (size_t)a * m : NULL, x, xq,
                g->exact);
      normalise(n, V[1].z + (size_t)b * n, g->exact ? V[1].zq + (size_t)b * n : NULL, x + m,
                xq + m, g->exact);
      if (!verify(g, x, xq)) continue;
      if (eq_add(L, x, xq)) rc = -1;
    }
  }
  for (int i = 0; i < m + n; i++) mpq_clear(xq[i]);
  free(xq);
  free(x);
  free(tight);
  vlist_free(&V[0]);
  vlist_free(&V[1]);
  return rc;
}

/* ---------------------------------------------------------- Lemke-Howson */

/* One tableau: rows basic variables, cols = p + q variables + rhs.
 * P: vars 0..m-1 = x_i (label i), m..m+n-1 = r_j (label m+j).
 * Q: vars 0..n-1 = y_j (label m+j), n..n+m-1 = s_i (label i). */
typedef struct tab {
  int rows, nv;   /* nv = p + q */
  int p;          /* first slack column */
  double *T;      /* rows x (nv + 1) */
  int *basis;
} tab;

static void tab_pivot(tab *t, int row, int col) {
  int w = t->nv + 1;
  double pv = t->T[row * w + col];
  for (int c = 0; c < w; c++) t->T[row * w + c] /= pv;
  for (int r = 0; r < t->rows; r++) {
    if (r == row) continue;
    double f = t->T[r * w + col];
    if (f == 0) continue;
    for (int c = 0; c < w; c++) t->T[r * w + c] -= f * t->T[row * w + c];
  }
  t->basis[row] = col;
}

/* Lexicographic minimum-ratio row for entering column col; -1 if none. */
static int tab_ratio(const tab *t, int col) {
  int w = t->nv + 1, best = -1;
  for (int r = 0; r < t->rows; r++) {
    double a = t->T[r * w + col];
    if (a <= 1e-12) continue;
    if (best < 0) {
      best = r;
      continue;
    }
    double b = t->T[best * w + col];
    /* compare (rhs, slack columns) / pivot lexicographically */
    double d = t->T[r * w + t->nv] / a - t->T[best * w + t->nv] / b;
    int c = t->p;
    while (fabs(d) <= 1e-12 && c < t->nv) {
      d = t->T[r * w + c] / a - t->T[best * w + c] / b;
      c++;
    }
    if (d < -1e-12) best = r;
  }
  return best;
}

/* Lemke-Howson from the artificial equilibrium, first dropping label k0.
 * On success fills x (m+n) and the nonbasic (tight) sets; returns 0, or -1
 * if the path did not end within its pivot budget. */
static int lemke_howson(const poly *P, const poly *Q, int k0, double *x, char *tightP,
                        char *tightQ) {
  int m = P->p, n = Q->p;
  tab t[2];
  t[0].rows = n;
  t[0].nv = m + n;
  t[0].p = m;
  t[1].rows = m;
  t[1].nv = n + m;
  t[1].p = n;
  int rc = 0;
  for (int w = 0; w < 2; w++) {
    t[w].T = calloc((size_t)t[w].rows * (t[w].nv + 1), sizeof(double));
    t[w].basis = malloc(sizeof(int) * t[w].rows);
    if (!t[w].T || !t[w].basis) rc = -1;
  }
  if (!rc) {
    for (int w = 0; w < 2; w++) {
      const poly *T = w ? Q : P;
      int wd = t[w].nv + 1;
      for (int r = 0; r < t[w].rows; r++) {
        for (int c = 0; c < T->p; c++) t[w].T[r * wd + c] = T->C[r * T->p + c];
        t[w].T[r * wd + T->p + r] = 1;
        t[w].T[r * wd + t[w].nv] = 1;
        t[w].basis[r] = T->p + r;
      }
    }
    /* label -> (tableau, var) */
    int w = k0 < m ? 0 : 1;
    int col = k0 < m ? k0 : k0 - m;
    int steps = 0, done = 0;
    while (!done && steps++ < 100000) {
      int row = tab_ratio(&t[w], col);
      if (row < 0) {
        rc = -1;
        break;
      }
      int leave = t[w].basis[row];
      tab_pivot(&t[w], row, col);
      /* label of the leaving variable */
      int lab = w == 0 ? leave : (leave < n ? m + leave : leave - n);
      if (lab == k0) {
        done = 1;
        break;
      }
      w = 1 - w;
      col = w == 0 ? lab : (lab >= m ? lab - m : n + lab);
    }
    if (!done) rc = -1;
    if (!rc) {
      for (int i = 0; i < m + n; i++) x[i] = 0;
      memset(tightP, 1, (size_t)(m + n));
      memset(tightQ, 1, (size_t)(m + n));
      for (int r = 0; r < n; r++) {
        int v = t[0].basis[r];
        tightP[v] = 0;
        if (v < m) x[v] = t[0].T[r * (t[0].nv + 1) + t[0].nv];
      }
      for (int r = 0; r < m; r++) {
        int v = t[1].basis[r];
        tightQ[v] = 0;
        if (v < n) x[m + v] = t[1].T[r * (t[1].nv + 1) + t[1].nv];
      }
    }
  }
  for (int w = 0; w < 2; w++) {
    free(t[w].T);
    free(t[w].basis);
  }
  return rc;
}

static int solve_lh(legation_game *g, const poly *P, const poly *Q, eqlist *L) {
  int m = g->m, n = g->n, rc = 0;
  double *z = malloc(sizeof(double) * (m + n) * 2);
  char *tight = malloc((size_t)(m + n) * 4);
  mpq_t *zq = malloc(sizeof(mpq_t) * (m + n) * 2);
  if (!z || !tight || !zq) {
    free(z);
    free(tight);
    free(zq);
    return -1;
  }
  for (int i = 0; i < 2 * (m + n); i++) mpq_init(zq[i]);
  double *x = z + m + n;
  mpq_t *xq = zq + m + n;
  for (int k = 0; k < m + n && !rc; k++) {
    if (lemke_howson(P, Q, k, z, tight, tight + m + n)) continue;
    if (g->exact) {
      char *out = tight + 2 * (m + n);
      if (!refine_q(P, tight, zq, out) || !refine_q(Q, tight + m + n, zq + m, out)) continue;
      for (int i = 0; i < m + n; i++) z[i] = mpq_get_d(zq[i]);
    }
    normalise(m, z, zq, x, xq, g->exact);
    normalise(n, z + m, zq + m, x + m, xq + m, g->exact);
    if (!verify(g, x, xq)) continue;
    if (eq_add(L, x, xq)) rc = -1;
  }
  for (int i = 0; i < 2 * (m + n); i++) mpq_clear(zq[i]);
  free(zq);
  free(z);
  free(tight);
  return rc;
}

/* Pure profiles where each strategy is a best response. */
static int solve_pure(legation_game *g, eqlist *L) {
  int m = g->m, n = g->n, rc = 0;
  double *x = calloc((size_t)(m + n), sizeof(double));
  mpq_t *xq = malloc(sizeof(mpq_t) * (m + n));
  if (!x || !xq) {
    free(x);
    free(xq);
    return -1;
  }
  for (int i = 0; i < m + n; i++) mpq_init(xq[i]);
  for (int i = 0; i < m && !rc; i++)
    for (int j = 0; j < n && !rc; j++) {
      memset(x, 0, sizeof(double) * (m + n));
      for (int k = 0; k < m + n; k++) mpq_set_ui(xq[k], 0, 1);
      x[i] = x[m + j] = 1;
      mpq_set_ui(xq[i], 1, 1);
      mpq_set_ui(xq[m + j], 1, 1);
      if (!verify(g, x, xq)) continue;
      g->npure++;
      if (eq_add(L, x, xq)) rc = -1;
    }
  for (int i = 0; i < m + n; i++) mpq_clear(xq[i]);
  free(xq);
  free(x);
  return rc;
}

legation_status legation_game_solve(legation_game *g) {
  if (!g) return LEGATION_EINVAL;
  clear_results(g);
  g->errmsg[0] = 0;
  int m = g->m, n = g->n;
  eqlist L = {.d = m + n, .exact = g->exact};
  poly P = {0}, Q = {0};
  int rc = make_polys(g, &P, &Q);
  int enumerate = m <= LEGATION_GAME_ENUM_MAX && n <= LEGATION_GAME_ENUM_MAX;
  if (!rc) rc = solve_pure(g, &L);
  if (!rc) rc = enumerate ? solve_enum(g, &P, &Q, &L) : solve_lh(g, &P, &Q, &L);
  free_poly(&P, m * n);
  free_poly(&Q, m * n);
  if (rc) {
    if (L.xq)
      for (int i = 0; i < L.count * L.d; i++) mpq_clear(L.xq[i]);
    free(L.xq);
    free(L.x);
    return lg_game_fail(g, LEGATION_ENOMEM, "out of memory while solving the game");
  }
  /* sort lexicographically (descending, as Gambit lists pure first-row
   * profiles first) by insertion sort on indices; counts are small */
  int *ord = malloc(sizeof(int) * (L.count ? L.count : 1));
  if (!ord) return lg_game_fail(g, LEGATION_ENOMEM, "out of memory");
  for (int k = 0; k < L.count; k++) ord[k] = k;
  for (int a = 1; a < L.count; a++) {
    int v = ord[a], b = a - 1;
    while (b >= 0) {
      int c = 0;
      for (int i = 0; i < L.d && !c; i++) {
        double u = L.x[(size_t)ord[b] * L.d + i], w = L.x[(size_t)v * L.d + i];
        c = u < w - 1e-12 ? -1 : u > w + 1e-12 ? 1 : 0;
      }
      if (c >= 0) break;
      ord[b + 1] = ord[b];
      b--;
    }
    ord[b + 1] = v;
  }
  g->eq = malloc(sizeof(double) * (size_t)(L.count ? L.count : 1) * L.d);
  if (g->exact) g->eqq = malloc(sizeof(mpq_t) * (size_t)(L.count ? L.count : 1) * L.d);
  if (!g->eq || (g->exact && !g->eqq)) {
    free(ord);
    return lg_game_fail(g, LEGATION_ENOMEM, "out of memory");
  }
  for (int k = 0; k < L.count; k++) {
    memcpy(g->eq + (size_t)k * L.d, L.x + (size_t)ord[k] * L.d, sizeof(double) * L.d);
    if (g->exact)
      for (int i = 0; i < L.d; i++) {
        mpq_init(g->eqq[(size_t)k * L.d + i]);
        mpq_set(g->eqq[(size_t)k * L.d + i], L.xq[(size_t)ord[k] * L.d + i]);
      }
  }
  free(ord);
  if (L.xq)
    for (int i = 0; i < L.count * L.d; i++) mpq_clear(L.xq[i]);
  free(L.xq);
  free(L.x);
  g->neq = L.count;
  g->complete = enumerate;
  g->method = enumerate ? "support-enumeration" : "lemke-howson";
  g->solved = 1;
  return LEGATION_OK;
}

legation_status legation_game_info_get(const legation_game *g, legation_game_info *out) {
  if (!g || !out || !g->solved) return LEGATION_EINVAL;
  out->count = g->neq;
  out->pure = g->npure;
  out->complete = g->complete;
  out->degenerate = g->degenerate;
  out->method = g->method;
  return LEGATION_OK;
}

legation_status legation_game_equilibrium(const legation_game *g, int k, double *p1,
                                          double *p2) {
  if (!g || !g->solved || k < 0 || k >= g->neq) return LEGATION_EINVAL;
  const double *x = g->eq + (size_t)k * (g->m + g->n);
  if (p1) memcpy(p1, x, sizeof(double) * g->m);
  if (p2) memcpy(p2, x + g->m, sizeof(double) * g->n);
  return LEGATION_OK;
}

char *legation_game_equilibrium_text(const legation_game *g, int k) {
  if (!g || !g->solved || k < 0 || k >= g->neq) return NULL;
  int d = g->m + g->n;
  size_t cap = 8, len = 0;
  char *s = malloc(cap);
  if (!s) return NULL;
  len = (size_t)snprintf(s, cap, "NE");
  for (int i = 0; i < d; i++) {
    char num[64], *big = NULL;
    const char *t = num;
    if (g->exact) {
      big = lg_game_rational_text(g->eqq[(size_t)k * d + i]);
      if (!big) {
        free(s);
        return NULL;
      }
      t = big;
    } else {
      double v = g->eq[(size_t)k * d + i];
      snprintf(num, sizeof num, "%.10g", fabs(v) < 5e-15 ? 0.0 : v);
    }
    size_t need = len + strlen(t) + 2;
    if (need > cap) {
      while (cap < need) cap *= 2;
      char *ns = realloc(s, cap);
      if (!ns) {
        free(big);
        free(s);
        return NULL;
      }
      s = ns;
    }
    len += (size_t)snprintf(s + len, cap - len, ",%s", t);
    free(big);
  }
  return s;
}

char *legation_game_equilibrium_payoff_text(const legation_game *g, int k, int player) {
  if (!g || !g->solved || k < 0 || k >= g->neq || player < 0 || player > 1) return NULL;
  int m = g->m, n = g->n, d = m + n;
  if (!g->exact) {
    const double *x = g->eq + (size_t)k * d;
    double u = 0;
    for (int i = 0; i < m; i++)
      for (int j = 0; j < n; j++) u += x[i] * x[m + j] * g->a[player][i * n + j];
    char buf[40];
    snprintf(buf, sizeof buf, "%.10g", u);
    return strdup(buf);
  }
  mpq_t u, t;
  mpq_init(u);
  mpq_init(t);
  const mpq_t *x = (const mpq_t *)(g->eqq + (size_t)k * d);
  for (int i = 0; i < m; i++)
    for (int j = 0; j < n; j++) {
      if (!mpq_sgn(x[i]) || !mpq_sgn(x[m + j])) continue;
      mpq_mul(t, x[i], x[m + j]);
      mpq_mul(t, t, g->q[player][i * n + j]);
      mpq_add(u, u, t);
    }
  char *s = lg_game_rational_text(u);
  mpq_clear(u);
  mpq_clear(t);
  return s;
}

/* --------------------------------------------------------------- regret */

static legation_status check_profile(const legation_game *g, const double *p1, const double *p2) {
  if (!g || !p1 || !p2) return LEGATION_EINVAL;
  for (int w = 0; w < 2; w++) {
    const double *x = w ? p2 : p1;
    double s = 0;
    for (int i = 0; i < (w ? g->n : g->m); i++) {
      if (!(x[i] >= 0)) return LEGATION_EINVAL;
      s += x[i];
    }
    if (fabs(s - 1) > 1e-9) return LEGATION_EINVAL;
  }
  return LEGATION_OK;
}

legation_status legation_game_profile_payoff(const legation_game *g, const double *p1,
                                             const double *p2, double *u1, double *u2) {
  legation_status st = check_profile(g, p1, p2);
  if (st) return st;
  double u[2] = {0, 0};
  for (int i = 0; i < g->m; i++)
    for (int j = 0; j < g->n; j++)
      for (int w = 0; w < 2; w++) u[w] += p1[i] * p2[j] * g->a[w][i * g->n + j];
  if (u1) *u1 = u[0];
  if (u2) *u2 = u[1];
  return LEGATION_OK;
}

/* Player w's deviation to pure strategy d from profile (x own, y other):
 * gain at the means, and in the worst game within the intervals: each
 * payoff moves by its half-width in the direction that helps the deviation,
 * coefficient (1 - x_d) on the deviation's cells and x_k on the others. */
legation_status legation_game_regret_get(const legation_game *g, const double *p1,
                                         const double *p2, legation_game_regret *out) {
  legation_status st = check_profile(g, p1, p2);
  if (st || !out) return st ? st : LEGATION_EINVAL;
  int m = g->m, n = g->n;
  for (int w = 0; w < 2; w++) {
    const double *x = w ? p2 : p1, *y = w ? p1 : p2;
    int own = w ? n : m, oth = w ? m : n;
#define CELL(i, j) (w ? (j) * n + (i) : (i) * n + (j))
    double base = 0, eps = 0;
    for (int i = 0; i < own; i++)
      for (int j = 0; j < oth; j++) {
        base += x[i] * y[j] * g->a[w][CELL(i, j)];
        if (g->h[w][CELL(i, j)] > eps) eps = g->h[w][CELL(i, j)];
      }
    double reg = 0, worst = 0;
    for (int d = 0; d < own; d++) {
      double gain = -base, wg = -base;
      for (int j = 0; j < oth; j++) {
        gain += y[j] * g->a[w][CELL(d, j)];
        wg += y[j] * g->a[w][CELL(d, j)];
        /* worst case: deviation cell up, own mix's cells down */
        double hw = (1 - x[d]) * g->h[w][CELL(d, j)];
        for (int k = 0; k < own; k++)
          if (k != d) hw += x[k] * g->h[w][CELL(k, j)];
        wg += y[j] * hw;
      }
      if (gain > reg) reg = gain;
      if (wg > worst) worst = wg;
    }
#undef CELL
    out->regret[w] = reg < 1e-12 ? 0 : reg;
    out->worst[w] = worst;
    out->eps[w] = eps;
  }
  out->survives = out->worst[0] <= out->eps[0] + 1e-12 && out->worst[1] <= out->eps[1] + 1e-12;
  return LEGATION_OK;
}

/* ------------------------------------------------------ max-min by LP */

int legation_game_is_zero_sum(const legation_game *g) {
  if (!g) return 0;
  for (int c = 0; c < g->m * g->n; c++) {
    if (g->exact) {
      mpq_t s;
      mpq_init(s);
      mpq_add(s, g->q[0][c], g->q[1][c]);
      int z = mpq_sgn(s) == 0;
      mpq_clear(s);
      if (!z) return 0;
    } else {
      double s = g->a[0][c] + g->a[1][c];
      double sc = fabs(g->a[0][c]) + fabs(g->a[1][c]);
      if (fabs(s) > 1e-12 * (sc > 1 ? sc : 1)) return 0;
    }
  }
  return 1;
}

/* maximise v s.t. sum_i a_ij x_i - v >= 0 for every opponent strategy j,
 * sum x = 1, x >= 0 (GLPK, messages off; glp_exact refines an exact game). */
legation_status legation_game_maxmin(legation_game *g, int player, double *value,
                                     double *strategy) {
  if (!g || player < 0 || player > 1 || !value) return LEGATION_EINVAL;
  int own = player ? g->n : g->m, oth = player ? g->m : g->n, n = g->n;
  glp_prob *lp = glp_create_prob();
  glp_set_obj_dir(lp, GLP_MAX);
  glp_add_rows(lp, oth + 1);
  glp_add_cols(lp, own + 1);
  for (int i = 1; i <= own; i++) glp_set_col_bnds(lp, i, GLP_LO, 0, 0);
  glp_set_col_bnds(lp, own + 1, GLP_FR, 0, 0);
  glp_set_obj_coef(lp, own + 1, 1);
  for (int j = 1; j <= oth; j++) glp_set_row_bnds(lp, j, GLP_LO, 0, 0);
  glp_set_row_bnds(lp, oth + 1, GLP_FX, 1, 1);
  size_t nz = (size_t)(own + 1) * oth + own + 1;
  int *ia = malloc(sizeof(int) * (nz + 1)), *ja = malloc(sizeof(int) * (nz + 1));
  double *ar = malloc(sizeof(double) * (nz + 1));
  if (!ia || !ja || !ar) {
    free(ia);
    free(ja);
    free(ar);
    glp_delete_prob(lp);
    return lg_game_fail(g, LEGATION_ENOMEM, "out of memory");
  }
  int k = 0;
  for (int j = 0; j < oth; j++) {
    for (int i = 0; i < own; i++) {
      k++;
      ia[k] = j + 1;
      ja[k] = i + 1;
      ar[k] = g->a[player][player ? j * n + i : i * n + j];
    }
    k++;
    ia[k] = j + 1;
    ja[k] = own + 1;
    ar[k] = -1;
  }
  for (int i = 0; i < own; i++) {
    k++;
    ia[k] = oth + 1;
    ja[k] = i + 1;
    ar[k] = 1;
  }
  glp_load_matrix(lp, k, ia, ja, ar);
  free(ia);
  free(ja);
  free(ar);
  glp_smcp parm;
  glp_init_smcp(&parm);
  parm.msg_lev = GLP_MSG_OFF;
  int ret = glp_simplex(lp, &parm);
  if (!ret && g->exact) ret = glp_exact(lp, &parm);
  legation_status st = LEGATION_OK;
  if (ret || glp_get_status(lp) != GLP_OPT) {
    st = lg_game_fail(g, LEGATION_EINTERNAL, "linear program not solved (GLPK code %d)", ret);
  } else {
    *value = glp_get_obj_val(lp);
    if (strategy)
      for (int i = 0; i < own; i++) {
        double v = glp_get_col_prim(lp, i + 1);
        strategy[i] = v < 0 ? 0 : v;
      }
  }
  glp_delete_prob(lp);
  return st;
}
