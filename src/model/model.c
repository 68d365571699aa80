/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * model.c - one replication of the model, month by month, in the order of
 * MODEL.md "Process overview": deal schedule, staffing, CI allocation,
 * recruitment, collection, detection, host decisions, retaliation, relations
 * and linkage, observation.  docs/MODEL.md gives the equations.
 *
 * Randomness: everything that concerns mission s (its staffing, the host's
 * watch and detection of it, side s's answers) draws from stream g[s], whose
 * id is a hash of state s's name.  Within a phase the two sides never read
 * what the other changed in that phase (moves are decided first and applied
 * after), so swapping A and B swaps every output exactly.
 */
#include "model.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the value_*_a (and _b) outputs are contiguous and in channel order */
_Static_assert(LG_OUT_value_turned_a - LG_OUT_value_officer_a == LG_NCHAN - 1 &&
                   LG_OUT_value_turned_b - LG_OUT_value_officer_b == LG_NCHAN - 1,
               "value channels out of order in LG_OUTPUTS");

const char *const lg_event_action_names[] = {
#define X_(n) #n,
    LG_EVENT_ACTIONS(X_)
#undef X_
};
const char *const lg_event_reason_names[] = {
#define X_(n) #n,
    LG_EVENT_REASONS(X_)
#undef X_
};

enum { LG_P_GONE = 16 };

uint32_t lg_stream_id(const char *name, int side) {
  uint32_t h = 2166136261u; /* FNV-1a */
  for (const unsigned char *c = (const unsigned char *)name; *c; c++) h = (h ^ *c) * 16777619u;
  (void)side;
  return h;
}

/* ------------------------------------------------------------ event log */

static void ev_add(lg_world *w, int month, int actor, int action, int reason, int persons,
                   int officers, int chain) {
  lg_evbuf *b = w->ev;
  if (!b || !b->enabled) return;
  if (b->n == b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 64;
    lg_ev *v = realloc(b->v, cap * sizeof *v);
    if (!v) {
      b->oom = 1;
      return;
    }
    b->v = v;
    b->cap = cap;
  }
  b->v[b->n++] = (lg_ev){w->rep, month, (int8_t)actor, (uint8_t)action, (uint8_t)reason,
                         persons, officers, chain};
}

/* ------------------------------------------------------------ staff */

/* Room for `need` persons of each kind. */
static int ensure_staff(lg_world *w, lg_mstate *m, int need, int month, int s) {
  for (int g = 0; g < 2; g++) {
    lg_group *G = &m->grp[g];
    if (need <= G->alloc) continue;
    int cap = G->alloc ? G->alloc : 64;
    while (cap < need) cap *= 2;
    lg_person *v = realloc(G->v, (size_t)cap * sizeof *v);
    if (!v) {
      snprintf(w->err, sizeof w->err, "month %d, replication %lld, %s mission in %s: out of memory for %d staff",
               month, (long long)w->rep, w->p->st[s].name, w->p->st[1 - s].name, need);
      return -1;
    }
    G->v = v;
    G->alloc = cap;
  }
  return 0;
}

static void add_person(lg_mstate *m, int officer, int tour_end) {
  lg_group *G = &m->grp[officer ? 0 : 1];
  lg_person *q = &G->v[G->n++];
  q->tour_end = tour_end;
  q->sources = q->src_walkin = q->src_recontact = 0;
  q->officer = (uint8_t)officer;
  q->flags = 0;
  m->officers += officer;
  m->n++;
}

static void apply_for_visas(lg_world *w, int t, int s, int vac, int arrive, int count);

/* Account for a person leaving the mission: sources go dormant (a turned
 * officer has none: they were burned when he was turned), identification
 * counters drop. */
static void forget(lg_mstate *m, const lg_person *q) {
  m->active_sources -= q->sources;
  if (q->flags & LG_P_TURNED) m->c_turned--;
  else {
    m->dormant += q->sources;
    if (q->flags & LG_P_IDENT) {
      if (q->officer) m->c_id_off--;
      else m->c_id_dip--;
    }
  }
}

/* Drop persons flagged GONE (stable); the sources of departing officers go
 * dormant (turned officers have none left). */
static void compact(lg_mstate *m) {
  for (int g = 0; g < 2; g++) {
    lg_group *G = &m->grp[g];
    int j = 0;
    for (int i = 0; i < G->n; i++) {
      lg_person *q = &G->v[i];
      if (q->flags & LG_P_GONE) {
        forget(m, q);
        continue;
      }
      G->v[j++] = *q;
    }
    G->n = j;
  }
  m->officers = m->grp[0].n;
  m->n = m->grp[0].n + m->grp[1].n;
}

/* Flag `need` of the `left` persons not yet GONE, uniformly at random
 * (selection sampling, Knuth's algorithm S).  Returns officers flagged. */
static int flag_random(lg_mstate *m, lg_rng *r, int need, int left) {
  int offs = 0;
  for (int g = 0; g < 2 && need > 0; g++) {
    lg_group *G = &m->grp[g];
    for (int i = 0; i < G->n && need > 0; i++) {
      lg_person *q = &G->v[i];
      if (q->flags & LG_P_GONE) continue;
      if (lg_rng_below(r, (uint32_t)left) < (uint32_t)need) {
        q->flags |= LG_P_GONE;
        need--;
        offs += q->officer;
      }
      left--;
    }
  }
  return offs;
}

static void update_reach(const lg_mission *mp, lg_mstate *m) {
  double sum = 0;
  int open = 0;
  for (int k = 0; k < mp->n_posts; k++)
    if (m->post_open[k]) sum += mp->posts[k].reach, open++;
  m->open_posts = open;
  m->reach = open ? sum / open : 0;
}

static int effective_cap(const lg_mstate *m) { return m->open_posts ? m->cap : 0; }

/* Stochastic rounding: floor(x) + Bernoulli(frac(x)), so E = x. */
static int stoch_round(lg_rng *r, double x) {
  if (x <= 0) return 0;
  double f = floor(x);
  return (int)f + lg_rng_bernoulli(r, x - f);
}

/* ------------------------------------------------------------ expulsions */

typedef struct move {
  int persons, officers;
  int chain;
  int hist[8];
} move;

/* Host h expels up to k staff of mission s: identified (not turned) staff
 * first, then `suspected` of the watched staff (a shock's mass expulsion,
 * MODEL.md step 7), then at random; never below the mission's floor when
 * respect_floor.  Records the move against mission s for the answer.
 * Returns persons expelled. */
static int expel(lg_world *w, int month, int h, int k, int suspected, int reason, const move *mv,
                 int respect_floor, move *done) {
  const lg_params *p = w->p;
  int s = 1 - h;
  lg_mstate *m = &w->m[s];
  lg_rng *r = lg_rng_of(w->g[h]);
  int limit = respect_floor ? m->n - p->ms[s].floor : m->n;
  if (limit < 0) limit = 0;
  if (k > limit) k = limit;
  done->persons = done->officers = 0;
  if (k <= 0) return 0;
  int chosen = 0, offs = 0;
  /* identified (not turned) first */
  for (int g = 0; g < 2; g++)
    for (int i = 0; i < m->grp[g].n && chosen < k; i++) {
      lg_person *q = &m->grp[g].v[i];
      if ((q->flags & LG_P_IDENT) && !(q->flags & LG_P_TURNED)) {
        q->flags |= LG_P_GONE;
        chosen++;
        offs += q->officer;
      }
    }
  /* then suspected: watched (this month), not identified, not turned staff,
   * uniformly among them (selection sampling).  Drawn from the mission's
   * stream, like the watch itself: this happens inside the host phase of
   * mission s, so a draw from the host's stream would depend on which
   * mission's phase runs first (and break the exact A/B mirror). */
  if (suspected > 0 && chosen < k) {
    lg_rng *rs = lg_rng_of(w->g[s]);
    int pool = 0;
    for (int g = 0; g < 2; g++)
      for (int i = 0; i < m->grp[g].n; i++) {
        const lg_person *q = &m->grp[g].v[i];
        pool += (q->flags & (LG_P_WATCHED | LG_P_IDENT | LG_P_TURNED | LG_P_GONE)) == LG_P_WATCHED;
      }
    int need = suspected < k - chosen ? suspected : k - chosen;
    if (need > pool) need = pool;
    for (int g = 0; g < 2 && need > 0; g++)
      for (int i = 0; i < m->grp[g].n && need > 0; i++) {
        lg_person *q = &m->grp[g].v[i];
        if ((q->flags & (LG_P_WATCHED | LG_P_IDENT | LG_P_TURNED | LG_P_GONE)) != LG_P_WATCHED) continue;
        if (lg_rng_below(rs, (uint32_t)pool) < (uint32_t)need) {
          q->flags |= LG_P_GONE;
          need--;
          chosen++;
          offs += q->officer;
        }
        pool--;
      }
  }
  /* then at random among the rest */
  if (chosen < k) {
    offs += flag_random(m, r, k - chosen, m->n - chosen);
    chosen = k;
  }
  compact(m);
  if (p->st[h].cut_cap) {
    m->cap -= chosen;
    if (m->cap < 0) m->cap = 0;
  }
  int slot = month % LG_HIST;
  done->persons = chosen;
  done->officers = offs;
  done->chain = mv->chain;
  memcpy(done->hist, mv->hist, sizeof done->hist);
  /* a parity cut is answered by a matching cap (parity sets both caps) and
   * in another currency, not by expulsions (MODEL.md step 8) */
  if (reason == LG_RS_parity) {
    m->suffered_parity[slot] += chosen;
    goto logged;
  }
  m->suffered[slot] += chosen;
  if (mv->chain > m->suffered_chain[slot]) {
    m->suffered_chain[slot] = mv->chain;
    memcpy(m->suffered_m0[slot], mv->hist, sizeof mv->hist);
  }
logged:
  w->out[h == 0 ? LG_OUT_officers_expelled_by_a : LG_OUT_officers_expelled_by_b] += offs;
  w->out[h == 0 ? LG_OUT_diplomats_expelled_by_a : LG_OUT_diplomats_expelled_by_b] += chosen - offs;
  ev_add(w, month, h, LG_EV_expel, reason, chosen, offs, mv->chain);
  return chosen;
}

/* Staff of mission s whose tour ends by month `by` (a prefix of each
 * group, which is in tour_end order); 0 without rotation. */
static int leaving_within(const lg_world *w, int s, int by) {
  const lg_mstate *m = &w->m[s];
  int n = 0;
  if (!w->p->ms[s].tour) return 0;
  for (int g = 0; g < 2; g++)
    for (int k = 0; k < m->grp[g].n && m->grp[g].v[k].tour_end <= by; k++) n++;
  return n;
}

/* Withdraw staff above the cap (sender's choice, at random). */
static void enforce_cap(lg_world *w, int month, int s) {
  lg_mstate *m = &w->m[s];
  int cap = effective_cap(m);
  /* cancel pipeline first: it may hold replacements for staff about to
   * leave, so those staff do not count against the cap here */
  int over = m->n - leaving_within(w, s, month + w->p->ms[s].visa_lag) + m->in_pipe - cap;
  for (int k = 0; k < m->pipe_len && over > 0 && m->in_pipe > 0; k++) {
    int c = m->pipe_dip[k] < over ? m->pipe_dip[k] : over;
    m->pipe_dip[k] -= c, m->in_pipe -= c, over -= c;
    c = m->pipe_off[k] < over ? m->pipe_off[k] : over;
    m->pipe_off[k] -= c, m->in_pipe -= c, over -= c;
  }
  int excess = m->n - cap;
  if (excess <= 0) return;
  int offs = flag_random(m, lg_rng_of(w->g[s]), excess, m->n);
  compact(m);
  ev_add(w, month, s, LG_EV_withdraw_staff, LG_RS_cap, excess, offs, 0);
}

/* ------------------------------------------------------------ deal steps */

static void apply_step(lg_world *w, int month, const lg_deal_step *d, int s, int *grants,
                       int *props, move *mv_out, int *moved) {
  const lg_params *p = w->p;
  lg_mstate *m = &w->m[s];
  int h = 1 - s;
  switch (d->action) {
  case LG_ACT_CAP:
    m->cap = (int)d->value;
    ev_add(w, month, h, LG_EV_cap_staff, LG_RS_scheduled, m->cap, 0, 0);
    enforce_cap(w, month, s);
    break;
  case LG_ACT_READMIT:
    m->cap += (int)d->value;
    (*grants)++;
    ev_add(w, month, h, LG_EV_readmit, LG_RS_scheduled, (int)d->value, 0, 0);
    break;
  case LG_ACT_LOCAL_STAFF:
    if ((int)d->value > m->local_staff) (*grants)++;
    m->local_staff = (int)d->value;
    ev_add(w, month, h, m->local_staff ? LG_EV_allow_local_staff : LG_EV_ban_local_staff,
           LG_RS_scheduled, m->local_staff, 0, 0);
    break;
  case LG_ACT_TRAVEL:
    if (d->value > m->travel) (*grants)++;
    m->travel = d->value;
    ev_add(w, month, h, LG_EV_travel_restriction, LG_RS_scheduled, 0, 0, 0);
    break;
  case LG_ACT_OPEN_POST:
  case LG_ACT_CLOSE_POST:
    for (int k = 0; k < p->ms[s].n_posts; k++)
      if (strcmp(p->ms[s].posts[k].name, d->post) == 0)
        m->post_open[k] = d->action == LG_ACT_OPEN_POST;
    update_reach(&p->ms[s], m);
    if (d->action == LG_ACT_OPEN_POST) (*grants)++;
    ev_add(w, month, h, d->action == LG_ACT_OPEN_POST ? LG_EV_open_post : LG_EV_close_post,
           LG_RS_scheduled, 0, 0, 0);
    enforce_cap(w, month, s);
    break;
  case LG_ACT_PROPERTY:
    (*props)++;
    ev_add(w, month, h, LG_EV_return_property, LG_RS_scheduled, 0, 0, 0);
    break;
  case LG_ACT_OPERATIONS:
    if (d->value > m->operations) (*grants)++;
    m->operations = d->value;
    ev_add(w, month, h, LG_EV_restore_operations, LG_RS_scheduled, 0, 0, 0);
    break;
  case LG_ACT_CI:
    m->host_ci = d->value;
    ev_add(w, month, h, LG_EV_ci_capacity, LG_RS_scheduled, (int)d->value, 0, 0);
    break;
  case LG_ACT_VETTING:
    m->host_vetting = d->value;
    ev_add(w, month, h, LG_EV_vetting, LG_RS_scheduled, 0, 0, 0);
    break;
  case LG_ACT_EXPEL: {
    move mv = {0, 0, 1, {month}};
    move done;
    if (expel(w, month, h, (int)d->value, 0, LG_RS_scheduled, &mv, 1, &done) > 0) moved[h] = 1;
    mv_out[h].persons += done.persons;
    break;
  }
  }
}

/* ------------------------------------------------------------ init */

int lg_world_init(lg_world *w, const lg_params *p) {
  memset(w, 0, sizeof *w);
  w->p = p;
  for (int s = 0; s < 2; s++) {
    w->g[s] = gsl_rng_alloc(lg_gsl_philox);
    if (!w->g[s]) goto oom;
    w->stream[s] = lg_stream_id(p->st[s].name, s);
    lg_mstate *m = &w->m[s];
    m->pipe_len = p->ms[s].visa_lag + 1;
    m->pipe_off = calloc((size_t)m->pipe_len, sizeof(int));
    m->pipe_dip = calloc((size_t)m->pipe_len, sizeof(int));
    if (!m->pipe_off || !m->pipe_dip) goto oom;
    int need = p->ms[s].staff > p->ms[s].cap ? p->ms[s].staff : p->ms[s].cap;
    if (ensure_staff(w, m, need + 16, 0, s) != 0) goto oom;
  }
  /* distinct names could hash alike (about 1 in 4e9): keep the streams apart */
  if (w->stream[0] == w->stream[1]) w->stream[1] ^= 0x9e3779b9u;
  w->series_cap = p->horizon;
  w->series = calloc((size_t)LG_NSER * (size_t)p->horizon, sizeof(double));
  if (!w->series) goto oom;
  return 0;
oom:
  lg_world_free(w);
  return -1;
}

void lg_world_free(lg_world *w) {
  for (int s = 0; s < 2; s++) {
    if (w->g[s]) gsl_rng_free(w->g[s]);
    free(w->m[s].pipe_off);
    free(w->m[s].pipe_dip);
    free(w->m[s].grp[0].v);
    free(w->m[s].grp[1].v);
  }
  free(w->series);
  memset(w, 0, sizeof *w);
}

uint64_t lg_world_blocks(const lg_world *w) {
  return lg_rng_of(w->g[0])->blocks + lg_rng_of(w->g[1])->blocks;
}

/* Counting sort of each group by tour_end (values 0..tour), stable. */
static int sort_by_tour_end(lg_mstate *m, int tour) {
  int *count = calloc((size_t)tour + 2, sizeof *count);
  if (!count) return -1;
  for (int g = 0; g < 2; g++) {
    lg_group *G = &m->grp[g];
    lg_person *tmp = malloc((size_t)(G->n ? G->n : 1) * sizeof *tmp);
    if (!tmp) {
      free(count);
      return -1;
    }
    memset(count, 0, ((size_t)tour + 2) * sizeof *count);
    for (int i = 0; i < G->n; i++) count[G->v[i].tour_end + 1]++;
    for (int k = 1; k <= tour + 1; k++) count[k] += count[k - 1];
    for (int i = 0; i < G->n; i++) tmp[count[G->v[i].tour_end]++] = G->v[i];
    memcpy(G->v, tmp, (size_t)G->n * sizeof *tmp);
    free(tmp);
  }
  free(count);
  return 0;
}

static int reset(lg_world *w, uint64_t seed, int64_t rep) {
  const lg_params *p = w->p;
  w->rep = rep;
  w->R = p->r_initial;
  w->P = p->p_initial;
  w->settled_month = 0;
  memset(w->deal_done, 0, sizeof w->deal_done);
  memset(w->out, 0, sizeof w->out);
  w->out[LG_OUT_function_min_a] = w->out[LG_OUT_function_min_b] = 1;
  w->err[0] = 0;
  for (int s = 0; s < 2; s++) {
    const lg_mission *mp = &p->ms[s];
    lg_mstate *m = &w->m[s];
    lg_rng *r = lg_rng_of(w->g[s]);
    lg_rng_seed(r, seed, (uint64_t)rep, w->stream[s]);
    m->n = m->grp[0].n = m->grp[1].n = 0;
    m->officers = m->c_turned = m->c_id_off = m->c_id_dip = 0;
    m->cap = mp->cap;
    m->local_staff = mp->local_staff;
    m->travel = mp->travel;
    m->operations = mp->operations;
    for (int k = 0; k < mp->n_posts; k++) m->post_open[k] = mp->posts[k].open;
    update_reach(mp, m);
    memset(m->pipe_off, 0, (size_t)m->pipe_len * sizeof(int));
    memset(m->pipe_dip, 0, (size_t)m->pipe_len * sizeof(int));
    m->in_pipe = 0;
    m->freeze_until = 0;
    m->pool_left = p->st[1 - s].pool;
    m->active_sources = m->dormant = 0;
    m->host_ci = p->st[1 - s].ci_agents;
    m->host_vetting = p->st[1 - s].vetting;
    memset(m->suffered, 0, sizeof m->suffered);
    memset(m->suffered_parity, 0, sizeof m->suffered_parity);
    memset(m->suffered_chain, 0, sizeof m->suffered_chain);
    /* initial staff: officers exactly as given; remaining tours uniform */
    for (int i = 0; i < mp->staff; i++) {
      int end = mp->tour ? 1 + (int)lg_rng_below(r, (uint32_t)mp->tour) : 0;
      add_person(m, i < mp->officers, end);
    }
    if (mp->tour && sort_by_tour_end(m, mp->tour) != 0) {
      snprintf(w->err, sizeof w->err, "replication %lld, %s mission: out of memory", (long long)rep, p->st[s].name);
      return -1;
    }
    m->init_officers = m->officers;
    /* replacements for staff leaving in months 1..visa_lag were requested
     * before month 1: the mission starts in its steady rotation */
    if (mp->tour)
      for (int k = 1; k <= mp->visa_lag; k++) {
        int due = 0;
        for (int g = 0; g < 2; g++)
          for (int i = 0; i < m->grp[g].n; i++) due += m->grp[g].v[i].tour_end == k;
        int room = effective_cap(m) - m->in_pipe; /* never above the cap */
        if (due > room) due = room;
        if (due > 0) apply_for_visas(w, 0, s, due, k, 0);
      }
  }
  return 0;
}

/* ------------------------------------------------------------ phases */

/* Mission s applies for `vac` visas in month t (0 = before the horizon) for
 * arrivals in month `arrive`: Binomial(vac, cover_share) applicants are
 * officers, of whom Binomial(officers, vetting) are refused by the host
 * (counted and logged when `count`); refused slots reapply later. */
static void apply_for_visas(lg_world *w, int t, int s, int vac, int arrive, int count) {
  const lg_params *p = w->p;
  const lg_mission *mp = &p->ms[s];
  lg_mstate *m = &w->m[s];
  int offs = (int)gsl_ran_binomial(w->g[s], p->st[s].cover_share, (unsigned)vac);
  int refused = offs ? (int)gsl_ran_binomial(w->g[s], m->host_vetting, (unsigned)offs) : 0;
  if (refused && count) {
    w->out[s == 0 ? LG_OUT_refusals_b : LG_OUT_refusals_a] += refused;
    ev_add(w, t, 1 - s, LG_EV_refuse_visa, LG_RS_vetting, refused, refused, 0);
  }
  int end = mp->tour ? arrive + mp->tour : 0;
  if (arrive == t) {
    for (int k = 0; k < offs - refused; k++) add_person(m, 1, end);
    for (int k = 0; k < vac - offs; k++) add_person(m, 0, end);
  } else {
    int slot = arrive % m->pipe_len;
    m->pipe_off[slot] += offs - refused;
    m->pipe_dip[slot] += vac - offs;
    m->in_pipe += vac - refused;
  }
}

static void phase_staffing(lg_world *w, int t, int s) {
  const lg_params *p = w->p;
  const lg_mission *mp = &p->ms[s];
  lg_mstate *m = &w->m[s];
  /* rotations: staff are kept in tour_end order (initial staff sorted,
   * arrivals appended with the latest end, removals stable), so those due
   * form a prefix */
  if (mp->tour) {
    for (int g = 0; g < 2; g++) {
      lg_group *G = &m->grp[g];
      int k = 0;
      for (; k < G->n && G->v[k].tour_end <= t; k++) forget(m, &G->v[k]);
      if (k) {
        memmove(G->v, G->v + k, (size_t)(G->n - k) * sizeof *G->v);
        G->n -= k;
      }
    }
    m->officers = m->grp[0].n;
    m->n = m->grp[0].n + m->grp[1].n;
  }
  /* arrivals due this month */
  int slot = t % m->pipe_len;
  int end = mp->tour ? t + mp->tour : 0;
  for (int k = 0; k < m->pipe_off[slot]; k++) add_person(m, 1, end);
  for (int k = 0; k < m->pipe_dip[slot]; k++) add_person(m, 0, end);
  m->in_pipe -= m->pipe_off[slot] + m->pipe_dip[slot];
  m->pipe_off[slot] = m->pipe_dip[slot] = 0;
  /* vacancies, counting staff whose tour ends within the visa lag as gone
   * already: replacements are requested visa_lag months ahead, so a post
   * rotates without a gap (staff are in tour_end order: a prefix) */
  int vac = effective_cap(m) - (m->n - leaving_within(w, s, t + mp->visa_lag)) - m->in_pipe;
  /* under a visa freeze (an answer in another currency) nobody applies:
   * the vacancies wait for the month after it ends */
  if (vac > 0 && t > m->freeze_until) apply_for_visas(w, t, s, vac, t + mp->visa_lag, 1);
}

/* Give `count` sources to operating (not turned) officers of mission s,
 * each to one chosen uniformly at random (rejection of turned officers:
 * O(1) expected per source, since turned officers are few). */
static void give_source(lg_world *w, int s, int count, int channel) {
  lg_mstate *m = &w->m[s];
  lg_rng *r = lg_rng_of(w->g[s]);
  lg_group *G = &m->grp[0];
  if (G->n - m->c_turned <= 0) return;
  for (int c = 0; c < count; c++) {
    lg_person *q;
    do q = &G->v[lg_rng_below(r, (uint32_t)G->n)];
    while (q->flags & LG_P_TURNED);
    q->sources++;
    q->src_walkin += channel == LG_CH_WALKIN;
    q->src_recontact += channel == LG_CH_RECONTACT;
    m->active_sources++;
  }
}

/* A person of mission s has just been identified: the host may turn a real
 * officer (once, at identification), burning his sources.  Called inside
 * phase_mission's officer loop: m->active_sources there lacks this month's
 * new sources and caught ones until the loop ends, and subtracting his
 * q->sources here keeps the sum of q->sources equal to it after the loop. */
static void identified(lg_world *w, int t, int s, lg_person *q) {
  const lg_state *host = &w->p->st[1 - s];
  int h = 1 - s;
  lg_mstate *m = &w->m[s];
  if (q->officer && host->turn_prob > 0 && lg_rng_bernoulli(lg_rng_of(w->g[s]), host->turn_prob)) {
    q->flags |= LG_P_TURNED;
    m->c_turned++;
    /* his sources are burned at once: the host learns them from him, so they
     * leave the active count and count as caught (MODEL.md step 6) */
    m->active_sources -= q->sources;
    w->out[s == 0 ? LG_OUT_sources_caught_a : LG_OUT_sources_caught_b] += q->sources;
    q->sources = q->src_walkin = q->src_recontact = 0;
    w->out[h == 0 ? LG_OUT_turned_by_a : LG_OUT_turned_by_b] += 1;
    ev_add(w, t, h, LG_EV_turn, LG_RS_identified, 1, 1, 0);
  } else if (q->officer) {
    m->c_id_off++;
  }
}

/*
 * Steps 3-7 for mission s (of sender s in host h = 1-s), fused into one pass
 * over the staff; each person's draws happen in step order, and no person's
 * outcome depends on another's within the month, so fusing changes nothing
 * but speed.
 *   3 CI: the host watches identified staff first (capacity x = agents /
 *     agents_per_target targets), then spreads the rest over officers and
 *     diplomats with weights (1 + suspicion_bias) : 1.
 *   4 recruitment: walk-ins and re-contacts first, then each operating
 *     officer recruits with p = recruit_rate o_h tradecraft travel reach
 *     (1 - deterrence if watched) U/N, U the host pool not yet recruited.
 *   5 collection: productive sources, overt work, uncapped channels.
 *   6 detection: watched officers identified with detect_prob, watched
 *     non-officers falsely flagged; each active source is caught with the
 *     host's hazard, exposing its handler with 1 - (1 - exposure)^caught.
 *   7 the host's decision on identified staff, per its expel policy.
 * Own collection goes to chan[s][channel]; value from officers of s that
 * the host turned goes to chan[h][LG_CH_TURNED]; each accumulator receives
 * from one mission only, so the sums are the same whichever side runs
 * first (exact A/B mirror).
 */
static double mood(const lg_world *w);

static void phase_mission(lg_world *w, int t, int s, double (*chan)[LG_NCHAN], move *moves,
                          int *moved) {
  const lg_params *p = w->p;
  const lg_state *me = &p->st[s], *host = &p->st[1 - s];
  const int h = 1 - s;
  lg_mstate *m = &w->m[s];
  lg_rng *r = lg_rng_of(w->g[s]);

  /* 4a. walk-ins (need an officer to handle them) and re-contacts */
  int recruited = 0;
  if (p->ms[s].walkins > 0 && m->officers > 0) {
    int k = (int)gsl_ran_poisson(w->g[s], p->ms[s].walkins);
    if (k > m->pool_left) k = (int)m->pool_left;
    if (k > 0) {
      give_source(w, s, k, LG_CH_WALKIN);
      m->pool_left -= k;
      recruited += k;
    }
  }
  if (m->dormant > 0 && p->recontact_rate > 0 && m->officers > 0) {
    int k = (int)gsl_ran_binomial(w->g[s], p->recontact_rate, (unsigned)m->dormant);
    if (k) {
      m->dormant -= k;
      give_source(w, s, k, LG_CH_RECONTACT);
    }
  }

  /* 3. watch probabilities per class: identified, officers, diplomats */
  const int n_id = m->c_id_off + m->c_id_dip;
  const int n_o = m->grp[0].n - m->c_turned - m->c_id_off; /* turned are all officers */
  const int n_d = m->grp[1].n - m->c_id_dip;
  double x = m->host_ci / host->agents_per_target;
  double rest = x - n_id;
  double p_id = n_id ? (x >= n_id ? 1 : x / n_id) : 0;
  double p_o = 0, p_d = 0;
  if (rest > 0) {
    double b = 1 + host->suspicion_bias;
    double wsum = n_o * b + n_d;
    if (rest >= n_o + n_d) p_o = p_d = 1;
    else if (wsum > 0) {
      p_o = rest * b / wsum;
      if (p_o > 1) p_o = 1;
      p_d = n_d ? (rest - p_o * n_o) / n_d : 0;
      if (p_d > 1) p_d = 1;
      if (p_d < 0) p_d = 0;
    }
  }

  /* per-person probabilities fixed for the month */
  double pool_frac = host->pool > 0 ? m->pool_left / host->pool : 0;
  double p_rec = p->recruit_rate * host->openness * me->tradecraft * m->travel * m->reach * pool_frac;
  double deter = 1 - host->deterrence;
  double hazard = host->source_hazard;
  /* thresholds for the hot loops (lg_rng_hit) */
  const uint64_t t_id = lg_rng_threshold(p_id), t_o = lg_rng_threshold(p_o), t_d = lg_rng_threshold(p_d),
                 t_rec = lg_rng_threshold(p_rec), t_rec_w = lg_rng_threshold(p_rec * deter),
                 t_det = lg_rng_threshold(host->detect_prob), t_ff = lg_rng_threshold(host->false_flag),
                 t_haz = lg_rng_threshold(hazard);
  int watched = 0, caught_total = 0, productive = 0, turned = 0, ident = 0, new_src = 0;
  int prod_walk = 0, prod_rec = 0; /* of productive: walk-ins, re-contacted */
  double overt_sum = 0;
  /* officers: watch, recruit, collect, detect, lose sources */
  lg_group *O = &m->grp[0];
  for (int i = 0; i < O->n; i++) {
    lg_person *q = &O->v[i];
    if (q->flags & LG_P_TURNED) {
      turned++;
      continue;
    }
    int wt = lg_rng_hit(r, (q->flags & LG_P_IDENT) ? t_id : t_o);
    q->flags = (uint8_t)((q->flags & ~LG_P_WATCHED) | (wt ? LG_P_WATCHED : 0));
    watched += wt;
    double f = wt ? deter : 1;
    overt_sum += f;
    if (lg_rng_hit(r, wt ? t_rec_w : t_rec)) {
      q->sources++;
      new_src++;
    }
    prod_walk += q->src_walkin;
    prod_rec += q->src_recontact;
    productive += q->sources;
    if (wt && !(q->flags & LG_P_IDENT) && lg_rng_hit(r, t_det)) {
      q->flags |= LG_P_IDENT;
      identified(w, t, s, q);
    }
    if (q->sources && hazard > 0) {
      /* one draw per source, in the order officer-recruited, walk-ins,
       * re-contacted (the draws are exchangeable, so the order only
       * labels the caught ones) */
      int c = 0, c_walk = 0, c_rec = 0;
      const int n_own = q->sources - q->src_walkin - q->src_recontact;
      for (int k = 0; k < n_own; k++) c += lg_rng_hit(r, t_haz);
      for (int k = 0; k < q->src_walkin; k++) c_walk += lg_rng_hit(r, t_haz);
      for (int k = 0; k < q->src_recontact; k++) c_rec += lg_rng_hit(r, t_haz);
      c += c_walk + c_rec;
      if (c) {
        q->sources -= c;
        q->src_walkin -= c_walk;
        q->src_recontact -= c_rec;
        caught_total += c;
        if (!(q->flags & LG_P_IDENT) && lg_rng_bernoulli(r, 1 - pow(1 - host->exposure, c))) {
          q->flags |= LG_P_IDENT;
          identified(w, t, s, q);
        }
      }
    }
  }
  /* diplomats: watch, false flags */
  lg_group *D = &m->grp[1];
  for (int i = 0; i < D->n; i++) {
    lg_person *q = &D->v[i];
    int idf = (q->flags & LG_P_IDENT) != 0;
    int wt = lg_rng_hit(r, idf ? t_id : t_d);
    q->flags = (uint8_t)((q->flags & ~LG_P_WATCHED) | (wt ? LG_P_WATCHED : 0));
    watched += wt;
    if (wt && !idf && lg_rng_hit(r, t_ff)) q->flags |= LG_P_IDENT | LG_P_FALSE, m->c_id_dip++;
  }
  m->watched = watched;
  ident = m->c_id_off + m->c_id_dip;
  m->active_sources += new_src - caught_total;
  m->pool_left -= new_src;
  recruited += new_src;
  w->out[s == 0 ? LG_OUT_sources_recruited_a : LG_OUT_sources_recruited_b] += recruited;
  w->out[s == 0 ? LG_OUT_sources_caught_a : LG_OUT_sources_caught_b] += caught_total;

  /* 5. value of the month */
  double lost = m->init_officers > 0 ? 1 - (double)m->officers / m->init_officers : 0;
  if (lost < 0) lost = 0;
  double uncapped = me->uncapped_value * host->openness * (1 + me->uncapped_elasticity * lost);
  double overt = p->overt_value * host->openness * m->travel;
  const double vw = me->value_weight;
  chan[s][LG_CH_OFFICER] += vw * ((productive - prod_walk - prod_rec) * p->source_value);
  chan[s][LG_CH_WALKIN] += vw * (prod_walk * p->source_value);
  chan[s][LG_CH_RECONTACT] += vw * (prod_rec * p->source_value);
  chan[s][LG_CH_OVERT] += vw * (overt_sum * overt);
  chan[s][LG_CH_UNCAPPED] += vw * uncapped;
  chan[h][LG_CH_TURNED] += host->value_weight * turned * host->turned_value;

  if (m->dormant && p->dormant_loss > 0)
    m->dormant -= (int)gsl_ran_binomial(w->g[s], p->dormant_loss, (unsigned)m->dormant);

  /* 7. host policy */
  int expel_now = 0, reason = LG_RS_identified;
  switch (host->expel_policy) {
  case LG_POL_IMMEDIATE: expel_now = 1; break;
  case LG_POL_BATCH:
    expel_now = t % host->batch_interval == 0;
    reason = LG_RS_batch;
    break;
  case LG_POL_SHOCK:
    expel_now = lg_rng_bernoulli(r, host->shock_rate * (1 - p->r_restraint * mood(w)));
    reason = LG_RS_shock;
    break;
  default: break;
  }
  if (!expel_now) return;
  /* a shock expels Binomial(identified, shock_identified) of the identified
   * staff, the first in stored order (MODEL.md s3.1), and keeps the others
   * watched; drawn only below 1, so scenarios without it draw as before */
  int out = ident;
  if (host->expel_policy == LG_POL_SHOCK && host->shock_identified < 1 && ident > 0)
    out = (int)gsl_ran_binomial(w->g[s], host->shock_identified, (unsigned)ident);
  /* a shock also expels a share of the suspected staff (watched this month,
   * not identified): Binomial(suspected, shock_suspected), down to the floor
   * only (the identified go whatever the floor) */
  int extra = 0;
  if (host->expel_policy == LG_POL_SHOCK && host->shock_suspected > 0) {
    int sus = 0;
    for (int g = 0; g < 2; g++)
      for (int i = 0; i < m->grp[g].n; i++)
        sus += (m->grp[g].v[i].flags & (LG_P_WATCHED | LG_P_IDENT | LG_P_TURNED)) == LG_P_WATCHED;
    if (sus > 0) extra = (int)gsl_ran_binomial(w->g[s], host->shock_suspected, (unsigned)sus);
    int room = m->n - out - p->ms[s].floor;
    if (extra > room) extra = room > 0 ? room : 0;
  }
  if (!out && !extra) return;
  move mv = {0, 0, 1, {t}};
  move done;
  if (expel(w, t, h, out + extra, extra, reason, &mv, 0, &done) > 0) moved[h] = 1;
  moves[h].persons += done.persons;
}

/* R relative to its baseline, in [-1, 1]. */
static double mood(const lg_world *w) {
  double d = w->R - w->p->r_baseline;
  return d > 1 ? 1 : d < -1 ? -1 : d;
}

/* Side s decides its answer to what its mission suffered `delay` months ago. */
static void decide_answer(lg_world *w, int t, int s, int *size, move *mv, int *reason,
                          int *answering) {
  const lg_params *p = w->p;
  const lg_state *me = &p->st[s];
  lg_mstate *m = &w->m[s];
  lg_rng *r = lg_rng_of(w->g[s]);
  int u = t - me->retaliation_delay;
  int suffered = u >= 1 ? m->suffered[u % LG_HIST] : 0;
  int intended = 0;
  *reason = LG_RS_retaliation;
  /* relations temper the answer: g moves toward 1 as R rises above its
   * baseline and toward 0 as it falls below (relations.restraint = strength);
   * at the baseline g is the doctrine's own */
  double c = p->r_restraint * mood(w);
  double g = me->forgiveness + c * (c > 0 ? 1 - me->forgiveness : me->forgiveness);
  int answered_any = 0;
  if (suffered > 0 && !lg_rng_bernoulli(r, g)) {
    answered_any = me->doctrine != LG_DOC_ABSORB;
    switch (me->doctrine) {
    case LG_DOC_MIRROR: intended = suffered; break;
    case LG_DOC_PROPORTIONAL: intended = stoch_round(r, me->retaliation_k * suffered); break;
    case LG_DOC_PARITY: {
      /* cut the other mission to our size; the gap already counts what we
       * just lost, so between equal missions this mirrors, and a cut that
       * left us the larger (or equal) is accepted */
      int gap = w->m[1 - s].n - m->n;
      intended = gap > 0 ? gap : 0;
      *reason = LG_RS_parity;
      break;
    }
    default: intended = 0;
    }
  }
  if (lg_rng_bernoulli(r, me->noise)) {
    answered_any = 0;
    if (intended > 0) intended = 0;
    else {
      intended = me->noise_size;
      *reason = LG_RS_noise;
      suffered = 0;
    }
  }
  *size = intended;
  /* an answer in another currency goes with an answer decided (not forgiven,
   * not dropped by noise), even one whose expulsion is 0 (parity at par) */
  *answering = suffered > 0 && *reason != LG_RS_noise && (intended > 0 || answered_any);
  /* a parity cut alone: answered (unless forgiven) in another currency only */
  int par = u >= 1 ? m->suffered_parity[u % LG_HIST] : 0;
  if (par > 0 && suffered == 0 && *reason != LG_RS_noise && intended == 0)
    *answering = !lg_rng_bernoulli(r, g);
  if (intended > 0 && suffered > 0 && *reason != LG_RS_noise) {
    mv->chain = m->suffered_chain[u % LG_HIST] + 1;
    memcpy(mv->hist, m->suffered_m0[u % LG_HIST], sizeof mv->hist);
  } else {
    mv->chain = 1;
    memset(mv->hist, 0, sizeof mv->hist);
  }
  mv->hist[(mv->chain - 1) % 8] = t;
}

/* Side s answers also in another currency against mission o = 1-s (MODEL.md
 * step 8): each option with its own probability, drawn from stream s only
 * when that probability is above 0 (so scenarios without them draw as
 * before).  Logged only when the act changes something. */
static void answer_other(lg_world *w, int t, int s) {
  const lg_state *me = &w->p->st[s];
  const lg_mission *op = &w->p->ms[1 - s];
  lg_mstate *o = &w->m[1 - s];
  lg_rng *r = lg_rng_of(w->g[s]);
  if (me->answer_ban_local > 0 && lg_rng_bernoulli(r, me->answer_ban_local) && o->local_staff > 0) {
    ev_add(w, t, s, LG_EV_ban_local_staff, LG_RS_retaliation, o->local_staff, 0, 0);
    o->local_staff = 0;
  }
  if (me->answer_close_post > 0 && lg_rng_bernoulli(r, me->answer_close_post) && o->open_posts > 1) {
    int best = -1;
    for (int k = 0; k < op->n_posts; k++)
      if (o->post_open[k] && (best < 0 || op->posts[k].reach > op->posts[best].reach)) best = k;
    o->post_open[best] = 0;
    update_reach(op, o);
    ev_add(w, t, s, LG_EV_close_post, LG_RS_retaliation, 0, 0, 0);
  }
  if (me->answer_property > 0 && lg_rng_bernoulli(r, me->answer_property) && o->operations > 0 &&
      me->property_cut > 0) {
    o->operations *= 1 - me->property_cut;
    ev_add(w, t, s, LG_EV_seize_property, LG_RS_retaliation, 0, 0, 0);
  }
  if (me->answer_travel > 0 && lg_rng_bernoulli(r, me->answer_travel) && o->travel > me->travel_rule) {
    o->travel = me->travel_rule;
    ev_add(w, t, s, LG_EV_travel_restriction, LG_RS_retaliation, 0, 0, 0);
  }
  if (me->answer_visa_freeze > 0 && lg_rng_bernoulli(r, me->answer_visa_freeze)) {
    o->freeze_until = t + me->freeze_months;
    ev_add(w, t, s, LG_EV_visa_freeze, LG_RS_retaliation, 0, 0, 0);
  }
}

static void check_spiral(lg_world *w, int t, const move *mv) {
  const lg_params *p = w->p;
  int K = p->spiral_moves;
  if (mv->chain > w->out[LG_OUT_longest_chain]) w->out[LG_OUT_longest_chain] = mv->chain;
  if (mv->chain >= K && t - mv->hist[(mv->chain - K) % 8] < p->spiral_window)
    w->out[LG_OUT_spiral] = 1;
}

static double function_of(const lg_world *w, int s) {
  const lg_params *p = w->p;
  const lg_mstate *m = &w->m[s];
  double eq = (m->n - m->officers) + p->officer_weight * m->officers + p->local_weight * m->local_staff;
  double f = m->operations * eq / p->ms[s].functional_min;
  return f > 1 ? 1 : f;
}

/* ------------------------------------------------------------ run */

int lg_world_run(lg_world *w, uint64_t seed, int64_t rep, lg_evbuf *ev) {
  const lg_params *p = w->p;
  const int T = p->horizon;
  w->ev = ev;
  if (reset(w, seed, rep) != 0) return -1;
  double chan[2][LG_NCHAN] = {{0}};
  double fsum[2] = {0, 0};
  for (int s = 0; s < 2; s++) {
    if (ensure_staff(w, &w->m[s], w->m[s].n + 1, 0, s) != 0) return -1;
  }
  for (int t = 1; t <= T; t++) {
    move moves[2] = {{0}, {0}};
    int moved[2] = {0, 0};
    int grants = 0, props = 0;
    for (int s = 0; s < 2; s++) {
      w->m[s].suffered[t % LG_HIST] = 0;
      w->m[s].suffered_parity[t % LG_HIST] = 0;
      w->m[s].suffered_chain[t % LG_HIST] = 0;
    }
    /* 1. deal schedule */
    for (int k = 0; k < p->n_deal; k++) {
      const lg_deal_step *d = &p->deal[k];
      if (w->deal_done[k] || t < d->month || w->R < d->r_min || w->P < d->p_min) continue;
      w->deal_done[k] = 1;
      int g0 = grants, p0 = props;
      for (int s = 0; s < 2; s++)
        if (d->target == 2 || d->target == s) {
          int need = w->m[s].n + (d->action == LG_ACT_READMIT ? (int)d->value : 0);
          if (ensure_staff(w, &w->m[s], need + 1, t, s) != 0) return -1;
          apply_step(w, t, d, s, &grants, &props, moves, moved);
        }
      /* a reciprocal step is one gesture for relations */
      if (grants > g0) grants = g0 + 1;
      if (props > p0) props = p0 + 1;
    }
    /* 2. staffing */
    for (int s = 0; s < 2; s++) {
      int need = effective_cap(&w->m[s]) > w->m[s].n ? effective_cap(&w->m[s]) : w->m[s].n;
      if (ensure_staff(w, &w->m[s], need + 1, t, s) != 0) return -1;
      enforce_cap(w, t, s);
      phase_staffing(w, t, s);
    }
    /* 3-7. CI, recruitment, collection, detection, host decisions */
    for (int s = 0; s < 2; s++) phase_mission(w, t, s, chan, moves, moved);
    /* 8. retaliation: both decide on last state, then both act */
    int size[2], reason[2];
    move mv[2];
    int parity_level[2] = {-1, -1}, answering[2];
    for (int s = 0; s < 2; s++) {
      decide_answer(w, t, s, &size[s], &mv[s], &reason[s], &answering[s]);
      if (reason[s] == LG_RS_parity && size[s] > 0) parity_level[s] = w->m[s].n;
    }
    for (int s = 0; s < 2; s++) {
      if (size[s] <= 0) continue;
      move done;
      /* side s expels from the other mission 1-s: s is the host there */
      if (expel(w, t, s, size[s], 0, reason[s], &mv[s], 1, &done) > 0) {
        moved[s] = 1;
        moves[s].persons += done.persons;
        check_spiral(w, t, &mv[s]);
      }
    }
    for (int s = 0; s < 2; s++)
      if (parity_level[s] >= 0) {
        /* parity: both caps set to the enforcing side's own size */
        int lvl = parity_level[s];
        w->m[1 - s].cap = lvl;
        if (w->m[s].cap > lvl) w->m[s].cap = lvl;
        ev_add(w, t, s, LG_EV_cap_staff, LG_RS_parity, lvl, 0, 0);
      }
    /* answers in another currency, after both sides' expulsions */
    for (int s = 0; s < 2; s++)
      if (answering[s]) answer_other(w, t, s);
    /* opening moves of host decisions and scheduled expulsions count as chains of 1 */
    for (int s = 0; s < 2; s++)
      if (moved[s] && moves[s].persons > 0 && w->out[LG_OUT_longest_chain] < 1)
        w->out[LG_OUT_longest_chain] = 1;
    /* 9. relations and linkage */
    double f[2];
    for (int s = 0; s < 2; s++) {
      f[s] = function_of(w, s);
      fsum[s] += f[s];
      double *fmin = &w->out[s == 0 ? LG_OUT_function_min_a : LG_OUT_function_min_b];
      if (f[s] < *fmin) *fmin = f[s];
      w->out[s == 0 ? LG_OUT_moves_a : LG_OUT_moves_b] += moved[s];
      w->out[LG_OUT_total_expelled] += moves[s].persons;
    }
    double hit[2];
    for (int s = 0; s < 2; s++) hit[s] = moved[s] * p->r_expel_move + moves[s].persons * p->r_expel_person;
    double dR = p->r_decay * (p->r_baseline - w->R) - (hit[0] + hit[1]) + grants * p->r_readmit +
                props * p->r_property;
    w->R += dR;
    if (w->R > 1) w->R = 1;
    if (w->R < -1) w->R = -1;
    double dP = p->p_rate * ((f[0] + f[1]) / 2) * ((1 + w->R) / 2) - p->p_setback * (moved[0] + moved[1]);
    w->P += dP;
    if (w->P > 1) w->P = 1;
    if (w->P < 0) w->P = 0;
    if (!isfinite(w->R) || !isfinite(w->P)) {
      snprintf(w->err, sizeof w->err, "month %d, replication %lld, relations: non-finite value (R=%g, P=%g)",
               t, (long long)rep, w->R, w->P);
      return -1;
    }
    if (!w->settled_month && w->P >= p->p_settle) w->settled_month = t;
    /* 10. observation */
    double *sr = w->series;
#define SER(name, v) sr[(size_t)LG_SER_##name * (size_t)T + (size_t)(t - 1)] = (v)
    SER(staff_a, w->m[0].n);
    SER(staff_b, w->m[1].n);
    SER(officers_a, w->m[0].officers);
    SER(officers_b, w->m[1].officers);
    SER(sources_a, w->m[0].active_sources);
    SER(sources_b, w->m[1].active_sources);
    SER(watched_a, w->m[0].n ? (double)w->m[0].watched / w->m[0].n : 0);
    SER(watched_b, w->m[1].n ? (double)w->m[1].watched / w->m[1].n : 0);
    SER(expelled_by_a, moves[0].persons);
    SER(expelled_by_b, moves[1].persons);
    SER(relations, w->R);
    SER(progress, w->P);
#undef SER
  }
  if (ev && ev->oom) {
    snprintf(w->err, sizeof w->err, "replication %lld: out of memory for the event log", (long long)rep);
    return -1;
  }
  double *o = w->out;
  /* value by channel; the total is their sum in channel order (the order
   * tests/test_model.c value_channels adds them in) */
  for (int s = 0; s < 2; s++) {
    double *v = &o[s == 0 ? LG_OUT_value_officer_a : LG_OUT_value_officer_b];
    double sum = 0;
    for (int c = 0; c < LG_NCHAN; c++) {
      v[c] = chan[s][c];
      sum += chan[s][c];
    }
    o[s == 0 ? LG_OUT_value_a : LG_OUT_value_b] = sum;
  }
  o[LG_OUT_balance] = o[LG_OUT_value_a] - o[LG_OUT_value_b];
  o[LG_OUT_sources_final_a] = w->m[0].active_sources;
  o[LG_OUT_sources_final_b] = w->m[1].active_sources;
  o[LG_OUT_hostile_a] = o[LG_OUT_moves_a] / T;
  o[LG_OUT_hostile_b] = o[LG_OUT_moves_b] / T;
  o[LG_OUT_final_staff_a] = w->m[0].n;
  o[LG_OUT_final_staff_b] = w->m[1].n;
  o[LG_OUT_final_cap_a] = w->m[0].cap;
  o[LG_OUT_final_cap_b] = w->m[1].cap;
  o[LG_OUT_function_mean_a] = fsum[0] / T;
  o[LG_OUT_function_mean_b] = fsum[1] / T;
  o[LG_OUT_relations_final] = w->R;
  o[LG_OUT_progress_final] = w->P;
  o[LG_OUT_settled] = w->settled_month > 0;
  o[LG_OUT_settle_month] = w->settled_month > 0 ? w->settled_month : NAN;
  return 0;
}

int lg_world_prepare(lg_world *w) {
  const lg_params *p = w->p;
  for (int s = 0; s < 2; s++) {
    lg_mstate *m = &w->m[s];
    int len = p->ms[s].visa_lag + 1;
    if (len != m->pipe_len) {
      int *a = realloc(m->pipe_off, (size_t)len * sizeof(int));
      if (a) m->pipe_off = a;
      int *b = a ? realloc(m->pipe_dip, (size_t)len * sizeof(int)) : NULL;
      if (b) m->pipe_dip = b;
      if (!a || !b) {
        snprintf(w->err, sizeof w->err, "replication %lld, %s mission: out of memory",
                 (long long)w->rep, p->st[s].name);
        return -1;
      }
    }
    m->pipe_len = len;
    int need = p->ms[s].staff > p->ms[s].cap ? p->ms[s].staff : p->ms[s].cap;
    if (ensure_staff(w, m, need + 16, 0, s) != 0) return -1;
  }
  return 0;
}
