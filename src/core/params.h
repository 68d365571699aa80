/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * params.h - the parameter table: every scalar parameter of the model is
 * described once here (key, field, type, unit, default, range, description,
 * default source).  Validation, `legation params`, `--set`, the scenario
 * loader and docs/MODEL.md's table are all generated from it.
 *
 * Scopes: G = global (struct lg_params), S = per state (lg_state, expanded as
 * states.a.* and states.b.*), M = per mission (lg_mission; missions.a is A's
 * mission in B, missions.b is B's mission in A).
 */
#ifndef LG_PARAMS_H
#define LG_PARAMS_H

#include <stddef.h>

#define LG_NAME_MAX 48
#define LG_MAX_POSTS 16
#define LG_MAX_DEAL 64
#define LG_SOURCE_MAX 200

/* Retaliation doctrines (MODEL.md step 8). */
#define LG_DOCTRINES(X) X(ABSORB, "absorb") X(MIRROR, "mirror") \
  X(PROPORTIONAL, "proportional") X(PARITY, "parity")
enum {
#define X_(e, s) LG_DOC_##e,
  LG_DOCTRINES(X_)
#undef X_
  LG_DOC_COUNT
};

/* What a host does with identified officers (MODEL.md step 7). */
#define LG_POLICIES(X) X(IMMEDIATE, "immediate") X(BATCH, "batch") \
  X(SHOCK, "shock") X(WATCH, "watch")
enum {
#define X_(e, s) LG_POL_##e,
  LG_POLICIES(X_)
#undef X_
  LG_POL_COUNT
};

typedef struct lg_post {
  char name[LG_NAME_MAX]; /* "Embassy Moscow" */
  double reach;           /* officer reach factor of this post, 0..3 */
  int open;               /* 1 open, 0 closed */
} lg_post;

/* Per-state parameters. */
typedef struct lg_state {
  char name[LG_NAME_MAX];
  char short_name[LG_NAME_MAX]; /* "" = none; another name keys may use */
  double openness, pool, ci_agents, agents_per_target, detect_prob,
      false_flag, suspicion_bias, deterrence, source_hazard, exposure,
      tradecraft, cover_share, vetting, uncapped_value, uncapped_elasticity,
      value_weight, retaliation_k, forgiveness, noise, shock_rate, turn_prob,
      turned_value;
  int doctrine, retaliation_delay, noise_size, expel_policy, batch_interval,
      cut_cap;
  /* issue 9: mass expulsions at shocks and answers in another currency
   * (MODEL.md steps 7 and 8); 0 leaves the model as it was */
  double shock_suspected, shock_identified, answer_ban_local, answer_close_post, answer_property,
      answer_travel, answer_visa_freeze, travel_rule, property_cut;
  int freeze_months;
} lg_state;

/* Per-mission parameters: the mission of state s in the other state. */
typedef struct lg_mission {
  int cap, staff, officers, local_staff, floor, functional_min, visa_lag,
      tour;
  double travel, operations, walkins;
  int n_posts;
  lg_post posts[LG_MAX_POSTS];
} lg_mission;

/* Deal step actions (MODEL.md step 1). */
#define LG_ACTIONS(X)                                                        \
  X(CAP, "cap", "set the mission's staff cap to value")                     \
  X(READMIT, "readmit", "raise the cap by value; vacancies fill via visas") \
  X(LOCAL_STAFF, "local_staff", "set locally employed staff to value (0 bans)") \
  X(TRAVEL, "travel", "set the travel freedom factor to value (0..1)")      \
  X(OPEN_POST, "open_post", "open the named post")                           \
  X(CLOSE_POST, "close_post", "close the named post")                        \
  X(PROPERTY, "property", "return seized property (relations bonus)")       \
  X(OPERATIONS, "operations", "set the operations factor (banking, visas)") \
  X(CI, "ci", "set the host's counterintelligence agents to value")         \
  X(VETTING, "vetting", "set the host's visa vetting probability to value") \
  X(EXPEL, "expel", "the host expels value staff of the mission")
enum {
#define X_(e, s, d) LG_ACT_##e,
  LG_ACTIONS(X_)
#undef X_
  LG_ACT_COUNT
};

typedef struct lg_deal_step {
  int month;      /* first month it may fire, 1-based */
  int action;     /* LG_ACT_* */
  int target;     /* 0 = A's mission, 1 = B's mission, 2 = both */
  double value;
  char post[LG_NAME_MAX];
  double r_min, p_min; /* fire at the first month >= month with R>=r_min and P>=p_min */
  char source[LG_SOURCE_MAX];
} lg_deal_step;

/* All parameters of a scenario: plain data, copyable by assignment. */
typedef struct lg_params {
  int horizon;
  double recruit_rate, source_value, overt_value, recontact_rate,
      dormant_loss, officer_weight, local_weight;
  double r_initial, r_baseline, r_decay, r_expel_move, r_expel_person,
      r_readmit, r_property, r_restraint;
  double p_initial, p_rate, p_setback, p_settle;
  int spiral_moves, spiral_window;
  lg_state st[2];
  lg_mission ms[2];
  int n_deal;
  lg_deal_step deal[LG_MAX_DEAL];
} lg_params;

enum { LG_G, LG_S, LG_M };
enum { LG_REAL, LG_INT, LG_BOOL, LG_ENUM, LG_STRING };

/*
 * X(scope, key, field, type, unit, default, min, max, choices, description,
 *   source).  For scope S and M, key is the part after "states.a." or
 * "missions.a.".  The defaults are generic and neutral (issue 10): no
 * default cites one pair's record, relations start at their baseline, a
 * state answers half of the expulsions it suffers and watches rather than
 * expels the officers it identifies, so a new pair written from the table
 * does not spiral by construction.  The built-in scenarios set and cite
 * their own values (`legation params NAME` shows which); `legation new`
 * writes a template with every parameter and its reason, and `validate` and
 * `run` name the behavioural ones (lg_param_behavioural) a scenario without
 * a base leaves at these defaults.
 */
#define LG_PARAM_TABLE(X)                                                     \
  X(LG_G, "horizon", horizon, LG_INT, "months", 48, 1, 600, NULL,             \
    "Months simulated", "MODEL.md: default horizon 48 months")                \
  X(LG_G, "intel.recruit_rate", recruit_rate, LG_REAL, "probability/officer-month", 0.05, 0, 1, NULL, \
    "Chance an unwatched officer with full access recruits a source in a month", \
    "assumption: no published rate; wide range for sensitivity")              \
  X(LG_G, "intel.source_value", source_value, LG_REAL, "value/source-month", 1, 0, 1000, NULL, \
    "Intelligence value of one active source for one month (the unit of value)", \
    "definition: value is measured in source-months (the unit)")                        \
  X(LG_G, "intel.overt_value", overt_value, LG_REAL, "value/officer-month", 0.1, 0, 1000, NULL, \
    "Overt collection of one officer for a month at full openness and travel", \
    "assumption: overt collection worth a tenth of a source")                \
  X(LG_G, "intel.recontact_rate", recontact_rate, LG_REAL, "probability/month", 0.05, 0, 1, NULL, \
    "Chance per month a dormant source is re-contacted while officers are in post", \
    "assumption: re-contact is faster than recruiting anew")                 \
  X(LG_G, "intel.dormant_loss", dormant_loss, LG_REAL, "probability/month", 0.02, 0, 1, NULL, \
    "Chance per month a dormant source is lost for good",                    \
    "assumption: a source left without a handler drifts away within a few years")                                                            \
  X(LG_G, "function.officer_weight", officer_weight, LG_REAL, "diplomat-equivalents", 0.5, 0, 1, NULL, \
    "Diplomatic work done by an officer under cover, relative to a diplomat", \
    "assumption: officers hold real diplomatic jobs part of the time")       \
  X(LG_G, "function.local_weight", local_weight, LG_REAL, "diplomat-equivalents", 0.25, 0, 1, NULL, \
    "Diplomatic function supplied by one locally employed staff member",     \
    "assumption: a local employee does a quarter of a diplomat's work")        \
  X(LG_G, "relations.initial", r_initial, LG_REAL, "index", 0, -1, 1, NULL, \
    "Relations index R at month 0",                                          \
    "assumption: neutral, equal to the baseline so nothing drifts; set the pair's own")                                                            \
  X(LG_G, "relations.baseline", r_baseline, LG_REAL, "index", 0, -1, 1, NULL, \
    "Level R decays toward without events",                                  \
    "assumption: neutral, equal to the initial level; set the pair's own")                                                            \
  X(LG_G, "relations.decay", r_decay, LG_REAL, "1/month", 0.05, 0, 1, NULL,  \
    "Share of the gap to the baseline closed each month",                    \
    "assumption: the effect of an event fades over about 20 months")                                                            \
  X(LG_G, "relations.expel_move", r_expel_move, LG_REAL, "index/move", 0.05, 0, 1, NULL, \
    "Drop in R for each expulsion move",                                     \
    "assumption: twenty expulsion moves would take R from 0 to -1")                                                            \
  X(LG_G, "relations.expel_person", r_expel_person, LG_REAL, "index/person", 0.002, 0, 0.1, NULL, \
    "Further drop in R per person expelled",                                 \
    "assumption: a mass expulsion (60) weighs about 2.4 ordinary moves")                                                            \
  X(LG_G, "relations.readmit", r_readmit, LG_REAL, "index/step", 0.05, 0, 1, NULL, \
    "Rise in R for each deal step that grants something",                    \
    "assumption: a concession weighs as much as an expulsion move, opposite sign")                                                            \
  X(LG_G, "relations.property", r_property, LG_REAL, "index/step", 0.1, 0, 1, NULL, \
    "Rise in R when seized property is returned",                            \
    "assumption: returning property weighs twice an ordinary concession")                                                            \
  X(LG_G, "relations.restraint", r_restraint, LG_REAL, "0..1", 0.5, 0, 1, NULL, \
    "How much R above (below) its baseline raises (lowers) forgiveness and lowers (raises) the shock rate", \
    "assumption: goodwill is what both sides claim the talks buy")         \
  X(LG_G, "negotiation.initial", p_initial, LG_REAL, "fraction", 0, 0, 1, NULL, \
    "Progress P of the linked negotiation at month 0",                       \
    "assumption: no linked negotiation under way")                                                            \
  X(LG_G, "negotiation.rate", p_rate, LG_REAL, "fraction/month", 0.03, 0, 1, NULL, \
    "Monthly progress at full diplomatic function on both sides and R = 1",  \
    "assumption: about three years to settle with working missions and R = 1")                                                            \
  X(LG_G, "negotiation.setback", p_setback, LG_REAL, "fraction/move", 0.02, 0, 1, NULL, \
    "Progress lost for each expulsion move",                                 \
    "assumption: an expulsion costs about a month of progress at full function")                                                            \
  X(LG_G, "negotiation.settle_at", p_settle, LG_REAL, "fraction", 1, 0.01, 1, NULL, \
    "Progress at which the negotiation counts as settled",                   \
    "assumption: settlement means full agreement unless a scenario says less")                                                            \
  X(LG_G, "spiral.moves", spiral_moves, LG_INT, "moves", 3, 2, 8, NULL,      \
    "Alternating moves in one retaliation chain that make a spiral",        \
    "MODEL.md: three or more alternating moves within 12 months")            \
  X(LG_G, "spiral.window", spiral_window, LG_INT, "months", 12, 1, 120, NULL, \
    "Months within which those moves must fall",                            \
    "MODEL.md: three or more alternating moves within 12 months")            \
  X(LG_S, "name", name, LG_STRING, "name", 0, 0, 0, NULL,                    \
    "Display name of the state", "scenario")                                 \
  X(LG_S, "short", short_name, LG_STRING, "name", 0, 0, 0, NULL,             \
    "Optional short name: key paths, --set and deal targets accept it, or the name, for a/b (any case)", \
    "scenario")                                                              \
  X(LG_S, "openness", openness, LG_REAL, "0..1", 0.5, 0, 1, NULL,            \
    "How freely foreigners move, meet and recruit in this state",            \
    "assumption: halfway between closed and open; set each state's own")        \
  X(LG_S, "pool", pool, LG_REAL, "persons", 2000, 1, 1e9, NULL,              \
    "People in this state accessible to the rival's officers (recruitment pool)", \
    "assumption: officials, officers and experts a foreign diplomat can meet; wide range")                                                            \
  X(LG_S, "ci_agents", ci_agents, LG_REAL, "agents", 500, 0, 1e8, NULL,      \
    "Counterintelligence agents assigned to the rival's mission",            \
    "assumption: a generic counterintelligence effort; set each state's own")                                \
  X(LG_S, "agents_per_target", agents_per_target, LG_REAL, "agents/target", 10, 1, 100, NULL, \
    "Agents needed to keep one target under full watch",                    \
    "assumption: round-the-clock watch of one person takes about ten people") \
  X(LG_S, "detect_prob", detect_prob, LG_REAL, "probability/month", 0.03, 0, 1, NULL, \
    "Chance a watched officer who operates is identified in a month",        \
    "assumption: a watched officer is identified within about three years")                                                            \
  X(LG_S, "false_flag", false_flag, LG_REAL, "probability/month", 0.003, 0, 1, NULL, \
    "Chance a watched non-officer is wrongly identified in a month",        \
    "assumption: one watched diplomat in 300 a month is wrongly identified")                                                            \
  X(LG_S, "suspicion_bias", suspicion_bias, LG_REAL, "odds factor - 1", 1, 0, 100, NULL, \
    "Extra watch weight CI puts on officers over diplomats (0 = cannot tell)", \
    "assumption: CI tells officers from diplomats somewhat better than chance")                                                            \
  X(LG_S, "deterrence", deterrence, LG_REAL, "0..1", 0.7, 0, 1, NULL,        \
    "Share of a watched officer's recruiting that watching suppresses",      \
    "assumption: being watched stops most, not all, of an officer's recruiting")                                                            \
  X(LG_S, "source_hazard", source_hazard, LG_REAL, "probability/month", 0.01, 0, 1, NULL, \
    "Chance per month this state's internal security catches a rival's source", \
    "assumption: a source is caught within about eight years on average")                                                            \
  X(LG_S, "exposure", exposure, LG_REAL, "probability", 0.5, 0, 1, NULL,     \
    "Chance a caught source exposes the rival officer who handles it",       \
    "assumption: half of caught sources name or lead to their handler")                                                            \
  X(LG_S, "tradecraft", tradecraft, LG_REAL, "factor", 1, 0, 2, NULL,        \
    "This state's recruiting skill abroad (multiplies recruit_rate)",        \
    "assumption: equal skill unless a scenario says otherwise")                                                            \
  X(LG_S, "cover_share", cover_share, LG_REAL, "fraction", 0.3, 0, 1, NULL,  \
    "Fraction of this state's arriving mission staff who are officers",      \
    "assumption: about a third of a rival's mission; set each state's own")      \
  X(LG_S, "vetting", vetting, LG_REAL, "probability", 0.2, 0, 1, NULL,       \
    "Chance this state refuses a visa to a rival officer who applies",       \
    "assumption: one known officer in five is refused a visa")                                                            \
  X(LG_S, "uncapped_value", uncapped_value, LG_REAL, "value/month", 1, 0, 1000, NULL, \
    "This state's collection outside the capped missions at full openness (visitors, UN, cyber)", \
    "assumption: collection outside missions equal to one source; set each state's own")      \
  X(LG_S, "uncapped_elasticity", uncapped_elasticity, LG_REAL, "factor", 1, 0, 10, NULL, \
    "Growth of uncapped collection per unit share of cover slots lost",      \
    "assumption: lost cover slots shift collection to other channels one for one")         \
  X(LG_S, "value_weight", value_weight, LG_REAL, "factor", 1, 0, 10, NULL,   \
    "Weight this state gives to intelligence from the rival (scales its value)", \
    "assumption: both states value a source-month alike")                                                            \
  X(LG_S, "doctrine", doctrine, LG_ENUM, "choice", LG_DOC_MIRROR, 0, LG_DOC_COUNT - 1, \
    "absorb|mirror|proportional|parity",                                     \
    "How this state answers an expulsion of its staff",                      \
    "assumption: tit for tat, the commonest answer in data/events.csv; set each state's own")            \
  X(LG_S, "retaliation_k", retaliation_k, LG_REAL, "factor", 1, 0, 10, NULL, \
    "Size of a proportional answer relative to the expulsion suffered",      \
    "assumption: like for like (used by doctrine proportional only)") \
  X(LG_S, "retaliation_delay", retaliation_delay, LG_INT, "months", 1, 1, 24, NULL, \
    "Months between suffering an expulsion and answering it",               \
    "assumption: an answer comes in the next month; set each state's own")      \
  X(LG_S, "forgiveness", forgiveness, LG_REAL, "probability", 0.5, 0, 1, NULL, \
    "Chance an expulsion is left unanswered (g)",                            \
    "assumption: neutral, half of expulsions answered; set each state's own")                   \
  X(LG_S, "noise", noise, LG_REAL, "probability/month", 0.005, 0, 1, NULL,   \
    "Chance per month the intended move is flipped (a mistaken expulsion or a missed answer)", \
    "assumption: about one mistaken or missed move per side every sixteen years")                                                            \
  X(LG_S, "noise_size", noise_size, LG_INT, "persons", 1, 1, 1000, NULL,     \
    "Persons expelled in a mistaken expulsion",                              \
    "assumption: a mistaken expulsion is of one person")                        \
  X(LG_S, "expel_policy", expel_policy, LG_ENUM, "choice", LG_POL_WATCH, 0, LG_POL_COUNT - 1, \
    "immediate|batch|shock|watch",                                           \
    "What this state does with rival officers it identifies",                \
    "assumption: neutral, identified officers are watched, not expelled; set each state's own") \
  X(LG_S, "batch_interval", batch_interval, LG_INT, "months", 12, 1, 120, NULL, \
    "Months between batch expulsions (policy batch)",                        \
    "assumption: identified officers expelled once a year")                                                            \
  X(LG_S, "shock_rate", shock_rate, LG_REAL, "probability/month", 0.02, 0, 1, NULL, \
    "Chance per month of a political shock that expels all identified officers (policy shock)", \
    "assumption: a political shock about every four years (policy shock only)")   \
  X(LG_S, "turn_prob", turn_prob, LG_REAL, "probability", 0.05, 0, 1, NULL,  \
    "Chance an identified officer is turned instead of expelled",            \
    "assumption: turning an identified officer is rare")                                                            \
  X(LG_S, "turned_value", turned_value, LG_REAL, "value/month", 0.5, 0, 1000, NULL, \
    "Value this state gains per month from a rival officer it turned",      \
    "assumption: a turned officer is worth half a source to the host")                                                            \
  X(LG_S, "cut_cap", cut_cap, LG_BOOL, "yes/no", 0, 0, 1, NULL,              \
    "Whether this state's expulsions also cut the rival mission's cap",     \
    "assumption: neutral, expelled slots may be refilled; set each state's own")                       \
  X(LG_S, "shock_suspected", shock_suspected, LG_REAL, "probability", 0, 0, 1, NULL, \
    "Share of the suspected (watched, not identified) rival staff also expelled at a political shock (policy shock)", \
    "assumption: 0, a shock expels identified staff only; scenarios set their own") \
  X(LG_S, "shock_identified", shock_identified, LG_REAL, "probability", 1, 0, 1, NULL, \
    "Share of the identified (not turned) rival staff expelled at a political shock; the rest stay watched (policy shock)", \
    "assumption: 1, a shock expels every identified staff member; scenarios set their own") \
  X(LG_S, "answer_ban_local", answer_ban_local, LG_REAL, "probability", 0, 0, 1, NULL, \
    "Chance an answer also bans the rival mission's local staff",           \
    "assumption: 0, answers are expulsions only; scenarios set their own")   \
  X(LG_S, "answer_close_post", answer_close_post, LG_REAL, "probability", 0, 0, 1, NULL, \
    "Chance an answer also closes the rival's open post of greatest reach (never its last)", \
    "assumption: 0, answers are expulsions only; scenarios set their own")   \
  X(LG_S, "answer_property", answer_property, LG_REAL, "probability", 0, 0, 1, NULL, \
    "Chance an answer also seizes rival mission property (operations cut by property_cut)", \
    "assumption: 0, answers are expulsions only; scenarios set their own")   \
  X(LG_S, "answer_travel", answer_travel, LG_REAL, "probability", 0, 0, 1, NULL, \
    "Chance an answer also imposes a travel rule (rival mission's travel at most travel_rule)", \
    "assumption: 0, answers are expulsions only; scenarios set their own")   \
  X(LG_S, "answer_visa_freeze", answer_visa_freeze, LG_REAL, "probability", 0, 0, 1, NULL, \
    "Chance an answer also freezes visas for the rival mission for freeze_months", \
    "assumption: 0, answers are expulsions only; scenarios set their own")   \
  X(LG_S, "travel_rule", travel_rule, LG_REAL, "0..1", 0.5, 0, 1, NULL,      \
    "Travel freedom this state's travel rule leaves the rival mission (answer_travel)", \
    "FACTS.md s3: 25-mile notice rules; level assumed")                      \
  X(LG_S, "property_cut", property_cut, LG_REAL, "fraction", 0.1, 0, 1, NULL, \
    "Share of the rival mission's operations factor one property seizure takes (answer_property)", \
    "assumption: a seized compound or dacha costs a tenth of operations")    \
  X(LG_S, "freeze_months", freeze_months, LG_INT, "months", 6, 1, 120, NULL, \
    "Months a visa freeze lasts: the rival mission's vacancies get no visa (answer_visa_freeze)", \
    "assumption: events.csv 2017-02 notes: US visa suspension from Aug 2017 lasted months") \
  X(LG_M, "cap", cap, LG_INT, "persons", 300, 0, 1000000, NULL,              \
    "Staff cap of the mission",                                              \
    "assumption: a generic mid-size mission; scenarios set their own")                                                            \
  X(LG_M, "staff", staff, LG_INT, "persons", 200, 0, 1000000, NULL,          \
    "Staff in post at month 0 (diplomats and officers)",                    \
    "assumption: a generic mission below its cap; scenarios set their own")                                                            \
  X(LG_M, "officers", officers, LG_INT, "persons", 60, 0, 1000000, NULL,     \
    "Officers under cover among the staff at month 0",                      \
    "assumption: the generic 30% cover share of the generic 200 staff")                                                            \
  X(LG_M, "local_staff", local_staff, LG_INT, "persons", 0, 0, 100000, NULL, \
    "Locally employed staff (host nationals); 0 means banned",              \
    "assumption: none unless a scenario allows local hires")                                                            \
  X(LG_M, "floor", floor, LG_INT, "persons", 10, 0, 1000000, NULL,           \
    "Staff level retaliation will not cut below",                           \
    "assumption: a skeleton embassy; scenarios set their own")                                                            \
  X(LG_M, "functional_min", functional_min, LG_INT, "persons", 150, 1, 1000000, NULL, \
    "Diplomat-equivalents the mission needs to function fully",             \
    "assumption: a generic mission needs 150 diplomat-equivalents")                                                            \
  X(LG_M, "visa_lag", visa_lag, LG_INT, "months", 3, 0, 36, NULL,            \
    "Months an arrival waits for a visa",                                   \
    "assumption: three months for a diplomatic visa")                        \
  X(LG_M, "tour", tour, LG_INT, "months", 36, 0, 120, NULL,                 \
    "Tour length; staff rotate out at its end (0 = no rotation)",            \
    "assumption: a three-year tour, common in diplomatic services")           \
  X(LG_M, "travel", travel, LG_REAL, "0..1", 1, 0, 1, NULL,                  \
    "Travel freedom the host allows (1 free; notification rules lower it)", \
    "assumption: no travel rule unless a scenario imposes one")                                                            \
  X(LG_M, "operations", operations, LG_REAL, "0..1", 1, 0, 1, NULL,          \
    "How well banking, visas and property let the mission operate",         \
    "assumption: banking, visas and property work unless a scenario says not")                                                            \
  X(LG_M, "walkins", walkins, LG_REAL, "persons/month", 0.05, 0, 100, NULL,  \
    "Volunteers from the host society who walk in to the mission",          \
    "assumption: about one walk-in every two years")

typedef struct lg_param_desc {
  int scope;           /* LG_G, LG_S, LG_M */
  const char *key;     /* relative key for S and M */
  size_t offset;       /* in lg_params (G), lg_state (S) or lg_mission (M) */
  int type;            /* LG_REAL ... */
  const char *unit;
  double def, min, max;
  const char *choices; /* "a|b|c" for enums */
  const char *desc;
  const char *source;
} lg_param_desc;

/* The table, in declaration order; lg_param_ndesc entries. */
extern const lg_param_desc lg_param_descs[];
extern const int lg_param_ndesc;

/* Expanded view: index i in [0, lg_param_nkeys()) maps to a descriptor,
 * a side (-1 for G) and a full key such as "states.b.openness". */
int lg_param_nkeys(void);
const lg_param_desc *lg_param_key(int i, int *side, char *key, size_t keysz);
/* Full key of expanded parameter i as a static string, NULL if out of range. */
const char *lg_param_fullkey(int i);
/* Find by full key; returns expanded index or -1. */
int lg_param_find(const char *key);
/* Address of the field of expanded parameter i inside p. */
void *lg_param_ptr(lg_params *p, int i);
/* Read parameter i as a double (int, bool and enum as their number). */
double lg_param_getd(const lg_params *p, int i);
/* Set parameter i from text.  Returns 0, or -1 with a message "expected
 * ..., found ..." written to err (errsz bytes). Never clamps. */
int lg_param_set_text(lg_params *p, int i, const char *text, char *err, size_t errsz);
/* Format the value of parameter i into buf. */
void lg_param_format(const lg_params *p, int i, char *buf, size_t bufsz);
/* 1 if expanded parameter i is behavioural (a state's decision rule or the
 * pair's relations: lg_behavioural_keys in params.c), else 0. */
int lg_param_behavioural(int i);
/* Fill p with the table defaults (names "A" and "B", one embassy each). */
void lg_params_defaults(lg_params *p);
/* Cross-field checks; returns number of problems, each appended to err via
 * the callback with the full key and message. */
typedef void (*lg_problem_fn)(void *user, const char *key, const char *msg);
int lg_params_check(const lg_params *p, lg_problem_fn fn, void *user);
/* Names for enums. */
const char *lg_action_name(int a);
int lg_action_find(const char *s);

#endif
