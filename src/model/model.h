/* SPDX-License-Identifier: GPL-3.0-or-later */
/* model.h - one replication of the Legation model (MODEL.md) and the tables
 * of its outputs: scalar outputs per replication and monthly series.  The
 * engine (src/engine/run.c) drives it; nothing here knows about threads. */
#ifndef LG_MODEL_H
#define LG_MODEL_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

#include "core/params.h"
#include "engine/rng.h"

/* X(name, kind, side, unit, description); kind 0 = quantity, 1 = 0/1 indicator.
 * "by a" means acts taken by state A; "_a" alone means A's own mission,
 * sources or gains. */
#define LG_OUTPUTS(X)                                                                       \
  X(value_a, 0, 0, "value", "Intelligence value gained by A over the horizon")              \
  X(value_b, 0, 1, "value", "Intelligence value gained by B over the horizon")              \
  X(balance, 0, -1, "value", "value_a minus value_b (positive favours A)")                  \
  X(value_officer_a, 0, 0, "value", "A's value from sources its officers recruited")       \
  X(value_walkin_a, 0, 0, "value", "A's value from walk-in sources")                        \
  X(value_recontact_a, 0, 0, "value", "A's value from re-contacted dormant sources")        \
  X(value_overt_a, 0, 0, "value", "A's value from its officers' overt collection")          \
  X(value_uncapped_a, 0, 0, "value", "A's value from channels outside the missions")        \
  X(value_turned_a, 0, 0, "value", "A's value from B's officers A turned")                  \
  X(value_officer_b, 0, 1, "value", "B's value from sources its officers recruited")       \
  X(value_walkin_b, 0, 1, "value", "B's value from walk-in sources")                        \
  X(value_recontact_b, 0, 1, "value", "B's value from re-contacted dormant sources")        \
  X(value_overt_b, 0, 1, "value", "B's value from its officers' overt collection")          \
  X(value_uncapped_b, 0, 1, "value", "B's value from channels outside the missions")        \
  X(value_turned_b, 0, 1, "value", "B's value from A's officers B turned")                  \
  X(officers_expelled_by_a, 0, 0, "persons", "B's officers expelled by A")                  \
  X(officers_expelled_by_b, 0, 1, "persons", "A's officers expelled by B")                  \
  X(diplomats_expelled_by_a, 0, 0, "persons", "B's non-officers expelled by A (collateral)") \
  X(diplomats_expelled_by_b, 0, 1, "persons", "A's non-officers expelled by B (collateral)") \
  X(sources_recruited_a, 0, 0, "sources", "Sources recruited by A's officers (incl. walk-ins)") \
  X(sources_recruited_b, 0, 1, "sources", "Sources recruited by B's officers (incl. walk-ins)") \
  X(sources_caught_a, 0, 0, "sources", "A's sources caught by B (incl. those burned by turning their handler)") \
  X(sources_caught_b, 0, 1, "sources", "B's sources caught by A (incl. those burned by turning their handler)") \
  X(sources_final_a, 0, 0, "sources", "A's active sources at the horizon")                  \
  X(sources_final_b, 0, 1, "sources", "B's active sources at the horizon")                  \
  X(turned_by_a, 0, 0, "persons", "B's officers turned by A")                               \
  X(turned_by_b, 0, 1, "persons", "A's officers turned by B")                               \
  X(refusals_a, 0, 0, "persons", "Visas A refused to B's officers")                         \
  X(refusals_b, 0, 1, "persons", "Visas B refused to A's officers")                         \
  X(moves_a, 0, 0, "months", "Months in which A expelled anyone")                           \
  X(moves_b, 0, 1, "months", "Months in which B expelled anyone")                           \
  X(hostile_a, 0, 0, "share", "Share of months in which A expelled anyone")                 \
  X(hostile_b, 0, 1, "share", "Share of months in which B expelled anyone")                 \
  X(total_expelled, 0, -1, "persons", "Persons expelled by both sides")                     \
  X(longest_chain, 0, -1, "moves", "Moves in the longest retaliation chain")                \
  X(spiral, 1, -1, "indicator", "A spiral happened (spiral.moves alternating moves within spiral.window months)") \
  X(final_staff_a, 0, 0, "persons", "Staff of A's mission at the horizon")                  \
  X(final_staff_b, 0, 1, "persons", "Staff of B's mission at the horizon")                  \
  X(final_cap_a, 0, 0, "persons", "Cap on A's mission at the horizon")                      \
  X(final_cap_b, 0, 1, "persons", "Cap on B's mission at the horizon")                      \
  X(function_mean_a, 0, 0, "0..1", "Mean diplomatic function of A's mission")               \
  X(function_mean_b, 0, 1, "0..1", "Mean diplomatic function of B's mission")               \
  X(function_min_a, 0, 0, "0..1", "Lowest monthly diplomatic function of A's mission")      \
  X(function_min_b, 0, 1, "0..1", "Lowest monthly diplomatic function of B's mission")      \
  X(relations_final, 0, -1, "index", "Relations index R at the horizon")                    \
  X(progress_final, 0, -1, "fraction", "Negotiation progress P at the horizon")             \
  X(settled, 1, -1, "indicator", "The negotiation settled within the horizon")              \
  X(settle_month, 0, -1, "month", "Month the negotiation settled (runs that settled)")

#define LG_SERIES(X)                                                                  \
  X(staff_a, 0, "persons", "Staff of A's mission in B")                               \
  X(staff_b, 1, "persons", "Staff of B's mission in A")                               \
  X(officers_a, 0, "persons", "A's officers in post in B")                            \
  X(officers_b, 1, "persons", "B's officers in post in A")                            \
  X(sources_a, 0, "sources", "A's active sources in B")                               \
  X(sources_b, 1, "sources", "B's active sources in A")                               \
  X(watched_a, 0, "share", "Share of A's mission watched by B's counterintelligence") \
  X(watched_b, 1, "share", "Share of B's mission watched by A's counterintelligence") \
  X(expelled_by_a, 0, "persons", "Persons A expelled this month")                     \
  X(expelled_by_b, 1, "persons", "Persons B expelled this month")                     \
  X(relations, -1, "index", "Relations index R")                                      \
  X(progress, -1, "fraction", "Negotiation progress P")

enum {
#define X_(name, ...) LG_OUT_##name,
  LG_OUTPUTS(X_)
#undef X_
  LG_NOUT
};
enum {
#define X_(name, ...) LG_SER_##name,
  LG_SERIES(X_)
#undef X_
  LG_NSER
};

/* Event as the model logs it (names are resolved by the engine). */
#define LG_EVENT_ACTIONS(X) X(expel) X(cap_staff) X(close_post) X(open_post) X(readmit) \
  X(ban_local_staff) X(allow_local_staff) X(travel_restriction) X(refuse_visa)          \
  X(return_property) X(restore_operations) X(ci_capacity) X(vetting) X(turn) X(withdraw_staff) \
  X(visa_freeze) X(seize_property)
#define LG_EVENT_REASONS(X) X(identified) X(retaliation) X(parity) X(noise) X(shock) \
  X(scheduled) X(false_flag) X(batch) X(cap) X(vetting)
enum {
#define X_(n) LG_EV_##n,
  LG_EVENT_ACTIONS(X_)
#undef X_
  LG_EV_COUNT
};
enum {
#define X_(n) LG_RS_##n,
  LG_EVENT_REASONS(X_)
#undef X_
  LG_RS_COUNT
};
extern const char *const lg_event_action_names[];
extern const char *const lg_event_reason_names[];

typedef struct lg_ev {
  int64_t rep;
  int32_t month;
  int8_t actor;  /* acting side 0/1 */
  uint8_t action, reason;
  int32_t persons, officers, chain;
} lg_ev;

typedef struct lg_evbuf {
  lg_ev *v;
  size_t n, cap;
  int enabled;
  int oom; /* set when an append failed */
} lg_evbuf;

/* Channels of value (value_officer_a ... value_turned_a, in this order; the
 * first three are also the origins of a source an officer handles). */
enum { LG_CH_OFFICER, LG_CH_WALKIN, LG_CH_RECONTACT, LG_CH_OVERT, LG_CH_UNCAPPED, LG_CH_TURNED,
       LG_NCHAN };

typedef struct lg_person {
  int32_t tour_end;  /* month at whose start the person rotates out */
  int32_t sources;   /* active sources this officer handles (all origins) */
  int32_t src_walkin, src_recontact; /* of which walk-ins and re-contacted */
  uint8_t officer;   /* 1 = intelligence officer under cover */
  uint8_t flags;     /* LG_P_* */
} lg_person;
enum { LG_P_WATCHED = 1, LG_P_IDENT = 2, LG_P_TURNED = 4, LG_P_FALSE = 8 };

#define LG_HIST 128 /* ring of recent months for delayed answers (>= 24 + 1) */

/* Staff of one kind, kept in tour_end order (initial staff sorted, arrivals
 * appended with the latest end, removals stable), so rotations are a prefix. */
typedef struct lg_group {
  lg_person *v;
  int n, alloc;
} lg_group;

/* One side's mission and the state around it during a replication.
 * Officers and diplomats are kept apart (grp[0], grp[1]) so the hot loops
 * run over one kind at a time without unpredictable branches. */
typedef struct lg_mstate {
  lg_group grp[2];       /* [0] officers, [1] diplomats */
  int n;                 /* grp[0].n + grp[1].n */
  int cap, local_staff;
  double travel, operations;
  int post_open[LG_MAX_POSTS];
  double reach;          /* mean reach of open posts */
  int open_posts;
  int *pipe_off, *pipe_dip; /* arrivals by month mod (visa_lag+1) */
  int pipe_len, in_pipe;
  double pool_left;      /* host people not yet recruited by this side */
  int active_sources, dormant;
  int officers;          /* officers in post (= grp[0].n) */
  int c_turned;          /* turned officers in post */
  int c_id_off, c_id_dip;/* identified, not turned, officers and diplomats in post */
  int init_officers;
  /* the host's CI and vetting facing this mission (deal steps change them) */
  double host_ci, host_vetting;
  /* expulsions suffered by this mission, by month mod LG_HIST */
  int suffered[LG_HIST];
  int suffered_parity[LG_HIST]; /* persons lost to the other side's parity cuts */
  int suffered_chain[LG_HIST];
  int suffered_m0[LG_HIST][8]; /* months of earlier moves in that chain */
  int watched;
  int freeze_until;      /* the host grants this mission no visa through this month */
} lg_mstate;

typedef struct lg_world {
  const lg_params *p;
  lg_mstate m[2];
  gsl_rng *g[2];          /* one stream per side (see stream ids) */
  uint32_t stream[2];
  double R, P;
  int settled_month;
  int deal_done[LG_MAX_DEAL];
  double out[LG_NOUT];
  double *series;         /* [LG_NSER][horizon] */
  int series_cap;
  lg_evbuf *ev;
  int64_t rep;
  char err[256];
} lg_world;

/* Prepare a world for parameters p (borrowed, must outlive the world).
 * Returns 0, or -1 on OOM. */
int lg_world_init(lg_world *w, const lg_params *p);
void lg_world_free(lg_world *w);
/* After w->p's values changed (per-replication draws): resize what
 * lg_world_init sized from them (visa pipeline, staff arrays).  0, or -1
 * on OOM with the message in w->err. */
int lg_world_prepare(lg_world *w);
/* Run replication rep with seed; outputs land in w->out and w->series.
 * Events go to ev when ev && ev->enabled.  Returns 0, or -1 with a message
 * naming month and entity in w->err. */
int lg_world_run(lg_world *w, uint64_t seed, int64_t rep, lg_evbuf *ev);
/* Random blocks drawn by the last run (both streams), for benchmarks. */
uint64_t lg_world_blocks(const lg_world *w);
/* Stream id for a state: a hash of its name, so swapping A and B swaps streams. */
uint32_t lg_stream_id(const char *name, int side);

#endif
