/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * run.c - the engine: replications on a thread pool, results merged in a
 * fixed order so they are bit-identical for any number of threads.
 *
 * Replications are cut into blocks of a size that depends only on the
 * horizon.  Workers claim blocks, run them into a slot (Welford partials in
 * replication order, sketch codes, events), and the thread that called
 * legation_run_execute merges slots strictly in block order: Chan merges of
 * the partials, sketch counts, the event sink and progress.  A window of
 * slots bounds memory whatever the number of replications.
 */
#include <errno.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine/rng.h"
#include "engine/stats.h"
#include "model/model.h"
#include "scenario/scenario.h"

/* ------------------------------------------------------------ tables */

static const legation_output_info outputs[] = {
#define X_(name, kind, side, unit, desc) {#name, unit, desc, (legation_output_kind)kind, side},
    LG_OUTPUTS(X_)
#undef X_
};
static const legation_series_info series[] = {
#define X_(name, side, unit, desc) {#name, unit, desc, side},
    LG_SERIES(X_)
#undef X_
};

int legation_output_count(void) { return LG_NOUT; }
const legation_output_info *legation_output_get(int i) { return i >= 0 && i < LG_NOUT ? &outputs[i] : NULL; }
int legation_output_find(const char *name) {
  for (int i = 0; name && i < LG_NOUT; i++)
    if (strcmp(outputs[i].name, name) == 0) return i;
  return -1;
}
int legation_series_count(void) { return LG_NSER; }
const legation_series_info *legation_series_get(int i) { return i >= 0 && i < LG_NSER ? &series[i] : NULL; }
int legation_series_find(const char *name) {
  for (int i = 0; name && i < LG_NSER; i++)
    if (strcmp(series[i].name, name) == 0) return i;
  return -1;
}

/* ------------------------------------------------------------ handle */

typedef struct slot {
  int state;            /* 0 free, 1 running, 2 done */
  int64_t block;
  int count;            /* replications in the block */
  lg_welford *w;        /* [nvals] partials in replication order */
  int32_t *codes;       /* [B][nvals] sketch codes */
  double *keep;         /* [B][LG_NOUT] when keep_reps */
  lg_evbuf ev;
  int status;           /* legation_status of the block */
  char err[256];
} slot;

struct legation_run {
  legation_scenario *sc;
  int64_t reps, first;
  uint64_t seed;
  int threads, keep;
  legation_progress_fn progress;
  void *progress_user;
  legation_event_fn events;
  void *events_user;
  /* results */
  int months, nvals;
  lg_welford *tot;      /* [nvals]: outputs then series[s][month] */
  lg_sketch *sk;        /* [nvals] */
  double *rep_values;   /* [reps][LG_NOUT] when keep */
  int64_t done;
  double seconds;
  char err[512];
  /* pool state during execute */
  pthread_mutex_t mu;
  pthread_cond_t cv_work, cv_done;
  slot *slots;
  int nslots, block_size;
  int64_t nblocks, next_block, merged;
  int stop;
};

legation_run *legation_run_new(const legation_scenario *sc) {
  if (!sc) return NULL;
  lg_gsl_init();
  legation_run *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  r->sc = legation_scenario_clone(sc);
  if (!r->sc) {
    free(r);
    return NULL;
  }
  r->reps = 1000;
  r->seed = 1;
  r->threads = 0;
  return r;
}

static void free_results(legation_run *r) {
  if (r->sk)
    for (int i = 0; i < r->nvals; i++) lg_sketch_free(&r->sk[i]);
  free(r->sk);
  free(r->tot);
  free(r->rep_values);
  r->sk = NULL;
  r->tot = NULL;
  r->rep_values = NULL;
  r->done = 0;
}

void legation_run_free(legation_run *r) {
  if (!r) return;
  free_results(r);
  legation_scenario_free(r->sc);
  free(r);
}

legation_status legation_run_set_reps(legation_run *r, int64_t reps) {
  if (!r || reps < 1 || reps > ((int64_t)1 << 40)) return LEGATION_ERANGE;
  r->reps = reps;
  r->first = 0;
  return LEGATION_OK;
}
legation_status legation_run_set_range(legation_run *r, int64_t first, int64_t count) {
  if (!r || first < 0 || count < 1 || count > ((int64_t)1 << 40)) return LEGATION_ERANGE;
  r->first = first;
  r->reps = count;
  return LEGATION_OK;
}
legation_status legation_run_set_seed(legation_run *r, uint64_t seed) {
  if (!r) return LEGATION_EINVAL;
  r->seed = seed;
  return LEGATION_OK;
}
legation_status legation_run_set_threads(legation_run *r, int threads) {
  if (!r || threads < 0 || threads > 1024) return LEGATION_ERANGE;
  r->threads = threads;
  return LEGATION_OK;
}
legation_status legation_run_set_keep_reps(legation_run *r, int keep) {
  if (!r) return LEGATION_EINVAL;
  r->keep = keep != 0;
  return LEGATION_OK;
}
void legation_run_set_progress(legation_run *r, legation_progress_fn fn, void *user) {
  r->progress = fn;
  r->progress_user = user;
}
void legation_run_set_event_sink(legation_run *r, legation_event_fn fn, void *user) {
  r->events = fn;
  r->events_user = user;
}
const char *legation_run_errmsg(const legation_run *r) { return r ? r->err : "no run"; }
int64_t legation_run_reps_done(const legation_run *r) { return r ? r->done : 0; }
double legation_run_seconds(const legation_run *r) { return r ? r->seconds : 0; }
uint64_t legation_run_seed(const legation_run *r) { return r ? r->seed : 0; }
const legation_scenario *legation_run_scenario(const legation_run *r) { return r ? r->sc : NULL; }
int legation_run_months(const legation_run *r) { return r ? r->sc->p.horizon : 0; }

/* ------------------------------------------------------------ blocks */

static int block_size_for(int months) {
  int b = months <= 64 ? 64 : 4096 / months;
  return b < 4 ? 4 : b;
}

static void slot_free(slot *s) {
  free(s->w);
  free(s->codes);
  free(s->keep);
  free(s->ev.v);
  memset(s, 0, sizeof *s);
}

static int slot_alloc(legation_run *r, slot *s) {
  memset(s, 0, sizeof *s);
  s->w = malloc((size_t)r->nvals * sizeof *s->w);
  s->codes = malloc((size_t)r->block_size * (size_t)r->nvals * sizeof *s->codes);
  if (r->keep) s->keep = malloc((size_t)r->block_size * LG_NOUT * sizeof *s->keep);
  s->ev.enabled = r->events != NULL;
  if (!s->w || !s->codes || (r->keep && !s->keep)) return -1;
  return 0;
}

/* Run block b into slot s with world w. */
static void run_block(legation_run *r, lg_world *w, slot *s, int64_t b) {
  const int T = r->months, nv = r->nvals;
  int64_t rep0 = r->first + b * r->block_size;
  int64_t left = r->first + r->reps - rep0;
  int count = left < r->block_size ? (int)left : r->block_size;
  s->block = b;
  s->count = count;
  s->ev.n = 0;
  s->ev.oom = 0;
  s->status = LEGATION_OK;
  for (int i = 0; i < nv; i++) lg_welford_reset(&s->w[i]);
  for (int k = 0; k < count; k++) {
    if (lg_world_run(w, r->seed, rep0 + k, &s->ev) != 0) {
      s->status = s->ev.oom ? LEGATION_ENOMEM : LEGATION_ERUNTIME;
      snprintf(s->err, sizeof s->err, "%s", w->err);
      s->count = k;
      return;
    }
    int32_t *c = s->codes + (size_t)k * nv;
    for (int i = 0; i < LG_NOUT; i++) {
      lg_welford_add(&s->w[i], w->out[i]);
      c[i] = lg_sketch_code(w->out[i]);
    }
    const double *sr = w->series;
    for (int i = 0; i < LG_NSER * T; i++) {
      lg_welford_add(&s->w[LG_NOUT + i], sr[i]);
      c[LG_NOUT + i] = lg_sketch_code(sr[i]);
    }
    if (s->keep) memcpy(s->keep + (size_t)k * LG_NOUT, w->out, sizeof w->out);
  }
}

/* Merge slot s (the next block in order) into the totals and deliver its
 * events.  Returns a legation_status. */
static int merge_block(legation_run *r, slot *s) {
  const int nv = r->nvals;
  if (s->status != LEGATION_OK && s->count == 0) {
    snprintf(r->err, sizeof r->err, "%s", s->err);
    return s->status;
  }
  for (int i = 0; i < nv; i++) lg_welford_merge(&r->tot[i], &s->w[i]);
  for (int k = 0; k < s->count; k++) {
    const int32_t *c = s->codes + (size_t)k * nv;
    for (int i = 0; i < nv; i++)
      if (lg_sketch_add(&r->sk[i], c[i]) != 0) {
        snprintf(r->err, sizeof r->err, "out of memory in the quantile sketch");
        return LEGATION_ENOMEM;
      }
  }
  int64_t base = s->block * r->block_size;
  if (r->keep) memcpy(r->rep_values + (size_t)base * LG_NOUT, s->keep, (size_t)s->count * LG_NOUT * sizeof(double));
  r->done += s->count;
  if (r->events) {
    const lg_params *p = &r->sc->p;
    for (size_t e = 0; e < s->ev.n; e++) {
      const lg_ev *x = &s->ev.v[e];
      legation_event ev = {x->rep, x->month, p->st[x->actor].name, p->st[1 - x->actor].name,
                           lg_event_action_names[x->action], x->persons, x->officers,
                           lg_event_reason_names[x->reason], x->chain};
      if (r->events(r->events_user, &ev)) {
        snprintf(r->err, sizeof r->err, "stopped by the event sink");
        return LEGATION_EINTR;
      }
    }
  }
  if (s->status != LEGATION_OK) {
    snprintf(r->err, sizeof r->err, "%s", s->err);
    return s->status;
  }
  return LEGATION_OK;
}

typedef struct worker {
  legation_run *r;
  pthread_t tid;
  lg_world w;
  int ok;
} worker;

static void *worker_main(void *arg) {
  worker *wk = arg;
  legation_run *r = wk->r;
  for (;;) {
    pthread_mutex_lock(&r->mu);
    while (!r->stop && r->next_block < r->nblocks && r->next_block >= r->merged + r->nslots)
      pthread_cond_wait(&r->cv_work, &r->mu);
    if (r->stop || r->next_block >= r->nblocks) {
      pthread_mutex_unlock(&r->mu);
      return NULL;
    }
    int64_t b = r->next_block++;
    slot *s = &r->slots[b % r->nslots];
    s->state = 1;
    pthread_mutex_unlock(&r->mu);
    run_block(r, &wk->w, s, b);
    pthread_mutex_lock(&r->mu);
    s->state = 2;
    pthread_cond_broadcast(&r->cv_done);
    pthread_mutex_unlock(&r->mu);
  }
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

legation_status legation_run_execute(legation_run *r) {
  if (!r) return LEGATION_EINVAL;
  double t0 = now();
  r->err[0] = 0;
  free_results(r);
  if (legation_scenario_validate(r->sc) != LEGATION_OK) {
    snprintf(r->err, sizeof r->err, "%s", legation_scenario_errmsg(r->sc));
    return LEGATION_ESCHEMA;
  }
  const lg_params *p = &r->sc->p;
  r->months = p->horizon;
  r->nvals = LG_NOUT + LG_NSER * r->months;
  r->block_size = block_size_for(r->months);
  r->nblocks = (r->reps + r->block_size - 1) / r->block_size;
  int threads = r->threads;
  if (threads == 0) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    threads = n > 0 ? (int)n : 1;
  }
  if (threads > r->nblocks) threads = (int)r->nblocks;
  r->tot = malloc((size_t)r->nvals * sizeof *r->tot);
  r->sk = calloc((size_t)r->nvals, sizeof *r->sk);
  if (r->keep) r->rep_values = malloc((size_t)r->reps * LG_NOUT * sizeof(double));
  if (!r->tot || !r->sk || (r->keep && !r->rep_values)) {
    free_results(r);
    snprintf(r->err, sizeof r->err, "out of memory for results");
    return LEGATION_ENOMEM;
  }
  for (int i = 0; i < r->nvals; i++) lg_welford_reset(&r->tot[i]);

  legation_status st = LEGATION_OK;
  r->nslots = threads == 1 ? 1 : 2 * threads + 2;
  r->slots = calloc((size_t)r->nslots, sizeof *r->slots);
  worker *wk = calloc((size_t)threads, sizeof *wk);
  if (!r->slots || !wk) {
    st = LEGATION_ENOMEM;
    goto out;
  }
  for (int i = 0; i < r->nslots; i++)
    if (slot_alloc(r, &r->slots[i]) != 0) {
      st = LEGATION_ENOMEM;
      goto out;
    }
  for (int i = 0; i < threads; i++) {
    wk[i].r = r;
    if (lg_world_init(&wk[i].w, p) != 0) {
      st = LEGATION_ENOMEM;
      goto out;
    }
    wk[i].ok = 1;
  }
  r->next_block = r->merged = 0;
  r->stop = 0;

  if (threads == 1) {
    /* single thread: run and merge inline, no pool */
    for (int64_t b = 0; b < r->nblocks && st == LEGATION_OK; b++) {
      run_block(r, &wk[0].w, &r->slots[0], b);
      st = merge_block(r, &r->slots[0]);
      if (st == LEGATION_OK && r->progress && r->progress(r->progress_user, r->done, r->reps)) {
        st = LEGATION_EINTR;
        snprintf(r->err, sizeof r->err, "stopped after %lld of %lld replications", (long long)r->done,
                 (long long)r->reps);
      }
    }
    goto out;
  }

  pthread_mutex_init(&r->mu, NULL);
  pthread_cond_init(&r->cv_work, NULL);
  pthread_cond_init(&r->cv_done, NULL);
  int started = 0;
  for (int i = 0; i < threads; i++, started++)
    if (pthread_create(&wk[i].tid, NULL, worker_main, &wk[i]) != 0) break;
  if (started == 0) st = LEGATION_EINTERNAL, snprintf(r->err, sizeof r->err, "cannot start threads");
  for (int64_t b = 0; b < r->nblocks && st == LEGATION_OK; b++) {
    slot *s = &r->slots[b % r->nslots];
    pthread_mutex_lock(&r->mu);
    while (!(s->state == 2 && s->block == b)) pthread_cond_wait(&r->cv_done, &r->mu);
    pthread_mutex_unlock(&r->mu);
    st = merge_block(r, s);
    pthread_mutex_lock(&r->mu);
    s->state = 0;
    r->merged++;
    pthread_cond_broadcast(&r->cv_work);
    pthread_mutex_unlock(&r->mu);
    if (st == LEGATION_OK && r->progress && r->progress(r->progress_user, r->done, r->reps)) {
      st = LEGATION_EINTR;
      snprintf(r->err, sizeof r->err, "stopped after %lld of %lld replications", (long long)r->done,
               (long long)r->reps);
    }
  }
  pthread_mutex_lock(&r->mu);
  r->stop = 1;
  pthread_cond_broadcast(&r->cv_work);
  pthread_mutex_unlock(&r->mu);
  for (int i = 0; i < started; i++) pthread_join(wk[i].tid, NULL);
  pthread_mutex_destroy(&r->mu);
  pthread_cond_destroy(&r->cv_work);
  pthread_cond_destroy(&r->cv_done);

out:
  if (st == LEGATION_ENOMEM && !r->err[0]) snprintf(r->err, sizeof r->err, "out of memory");
  if (wk)
    for (int i = 0; i < threads; i++)
      if (wk[i].ok) lg_world_free(&wk[i].w);
  free(wk);
  if (r->slots)
    for (int i = 0; i < r->nslots; i++) slot_free(&r->slots[i]);
  free(r->slots);
  r->slots = NULL;
  r->seconds = now() - t0;
  if (st != LEGATION_OK && st != LEGATION_EINTR && r->done == 0) free_results(r);
  return st;
}

/* ------------------------------------------------------------ results */

static void fill_stat(const lg_welford *w, const lg_sketch *sk, int prob, legation_stat *o) {
  memset(o, 0, sizeof *o);
  o->n = w->n;
  if (w->n == 0) {
    o->mean = o->sd = o->lo = o->hi = o->min = o->max = NAN;
    o->q05 = o->q25 = o->q50 = o->q75 = o->q95 = NAN;
    return;
  }
  o->mean = w->mean;
  o->sd = lg_welford_sd(w);
  o->min = w->min;
  o->max = w->max;
  if (prob) {
    legation_wilson(round(w->mean * (double)w->n), (double)w->n, 1.959963984540054, &o->lo, &o->hi);
  } else if (w->n > 1) {
    double t = gsl_cdf_tdist_Pinv(0.975, (double)(w->n - 1));
    double half = t * o->sd / sqrt((double)w->n);
    o->lo = o->mean - half;
    o->hi = o->mean + half;
  } else {
    o->lo = o->hi = o->mean;
  }
  o->q05 = lg_sketch_quantile(sk, 0.05);
  o->q25 = lg_sketch_quantile(sk, 0.25);
  o->q50 = lg_sketch_quantile(sk, 0.50);
  o->q75 = lg_sketch_quantile(sk, 0.75);
  o->q95 = lg_sketch_quantile(sk, 0.95);
}

legation_status legation_run_stat(const legation_run *r, int i, legation_stat *out) {
  if (!r || !out || i < 0 || i >= LG_NOUT) return LEGATION_ENOTFOUND;
  if (!r->tot) return LEGATION_EINVAL;
  fill_stat(&r->tot[i], &r->sk[i], outputs[i].kind == LEGATION_OUT_PROB, out);
  return LEGATION_OK;
}

legation_status legation_run_series_stat(const legation_run *r, int s, int month, legation_stat *out) {
  if (!r || !out || s < 0 || s >= LG_NSER || month < 1 || month > r->months) return LEGATION_ENOTFOUND;
  if (!r->tot) return LEGATION_EINVAL;
  int i = LG_NOUT + s * r->months + (month - 1);
  fill_stat(&r->tot[i], &r->sk[i], 0, out);
  return LEGATION_OK;
}

legation_status legation_run_rep_value(const legation_run *r, int64_t rep, int output, double *out) {
  if (!r || !out || output < 0 || output >= LG_NOUT) return LEGATION_ENOTFOUND;
  if (!r->rep_values) return LEGATION_EINVAL;
  int64_t k = rep - r->first;
  if (k < 0 || k >= r->done) return LEGATION_ENOTFOUND;
  *out = r->rep_values[(size_t)k * LG_NOUT + (size_t)output];
  return LEGATION_OK;
}
