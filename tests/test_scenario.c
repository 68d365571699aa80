/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_scenario.c - the scenario loader layer: every strictness rule of
 * src/scenario/load.c with its exact message list, good scenarios landing in
 * the right fields, bases (built-in and file), citations, and the rule that a
 * failed load leaves the scenario untouched.
 *
 * Usage: test_scenario [case]   (no argument: all cases; `list`: names)
 * Exit status 0 when every case passes; "N passed, N failed" at the end.
 */
#include "check.h"
#include "scenario/scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Exact comparison of values parsed from text. */
#define CHECK_DBL(got, want) CHECK_NEAR((got), (want), 0)

/* Text of parameter `key` in sc, as `legation params` shows it. */
static const char *ptext(const legation_scenario *sc, const char *key, char *buf) {
  legation_param p;
  int i = lg_param_find(key);
  if (i < 0 || legation_param_get(sc, i, &p) != LEGATION_OK) return "(no such key)";
  memcpy(buf, p.text, sizeof p.text);
  return buf;
}

static const char *psource(const legation_scenario *sc, const char *key) {
  legation_param p;
  int i = lg_param_find(key);
  if (i < 0 || legation_param_get(sc, i, &p) != LEGATION_OK) return "(no such key)";
  return p.source;
}

static double pval(const legation_scenario *sc, const char *key) {
  int i = lg_param_find(key);
  return i < 0 ? -12345 : lg_param_getd(&sc->p, i);
}

/* ------------------------------------------------------ temporary files */

static char tmpdir[64];

static const char *tmp_path(const char *name, char *buf, size_t bufsz) {
  snprintf(buf, bufsz, "%s/%s", tmpdir, name);
  return buf;
}

static void write_file(const char *name, const char *text) {
  char path[256];
  FILE *f = fopen(tmp_path(name, path, sizeof path), "wb");
  if (!f) {
    printf("  cannot write %s\n", path);
    check_failed_++;
    return;
  }
  fputs(text, f);
  fclose(f);
}

static void remove_files(const char *const *names) {
  char path[256];
  for (; *names; names++) unlink(tmp_path(*names, path, sizeof path));
}

/* -------------------------------------------------------- bad scenarios */

#define H "states: {a: {name: USA}, b: {name: RUS}}\n" /* line 1 of most cases */

/* A text loaded as "t.yaml" and the exact messages it must produce. */
typedef struct bad_case {
  const char *name;
  const char *yaml;
  legation_status status;
  const char *expect;
} bad_case;

static const bad_case bad_cases[] = {
    {"unknown_key_suggest",
     "states:\n  a: { name: USA, opennes: 0.2 }\n  b: { name: RUS }\n", LEGATION_ESCHEMA,
     "t.yaml:2:19: states.a.opennes: unknown key; did you mean \"openness\"?\n"},
    {"unknown_key_root_suggest", H "horizn: 12\n", LEGATION_ESCHEMA,
     "t.yaml:2:1: horizn: unknown key; did you mean \"horizon\"?\n"},
    {"unknown_key_list", H "missions: {foreign: {cap: 3}}\n", LEGATION_ESCHEMA,
     "t.yaml:2:12: missions.foreign: unknown key; expected one of: a, b, usa, rus\n"},
    {"unknown_key_none", H "colour: blue\n", LEGATION_ESCHEMA,
     "t.yaml:2:1: colour: unknown key\n"},
    {"wrong_kind_mapping", H "intel: [1, 2]\n", LEGATION_ESCHEMA,
     "t.yaml:2:8: intel: expected a mapping, found a sequence\n"},
    {"wrong_kind_sequence", H "deal: {month: 1}\n", LEGATION_ESCHEMA,
     "t.yaml:2:7: deal: expected a sequence, found a mapping\n"},
    {"wrong_kind_scalar", H "horizon: [12]\nmissions: {a: {posts: [Embassy]}}\n", LEGATION_ESCHEMA,
     "t.yaml:2:10: horizon: expected an integer in [1, 600], found a sequence\n"
     "t.yaml:3:24: missions.a.posts[0]: expected a mapping, found \"Embassy\"\n"},
    {"root_not_mapping", "- horizon: 12\n", LEGATION_ESCHEMA,
     "t.yaml:1:1: expected a mapping, found a sequence\n"},
    {"quoted_number", H "intel: { recruit_rate: \"0.3\" }\nmissions: {b: {cap: '455'}}\n",
     LEGATION_ESCHEMA,
     "t.yaml:2:24: intel.recruit_rate: expected a number in [0, 1], found string \"0.3\"\n"
     "t.yaml:3:21: missions.b.cap: expected an integer in [0, 1000000], found string \"455\"\n"},
    {"out_of_range", H "relations: { initial: -1.5 }\nstates: {}\nmissions: {a: {cap: 1000001}}\n",
     LEGATION_ESCHEMA,
     "t.yaml:2:23: relations.initial: expected a number in [-1, 1], found -1.5\n"
     "t.yaml:3:1: states: duplicate key (first at line 1)\n"
     "t.yaml:4:21: missions.a.cap: expected an integer in [0, 1000000], found 1000001\n"},
    {"fraction_for_int", H "horizon: 3.5\n", LEGATION_ESCHEMA,
     "t.yaml:2:10: horizon: expected an integer in [1, 600], found \"3.5\"\n"},
    {"trailing_garbage", H "missions: {a: {cap: 12abc}}\n", LEGATION_ESCHEMA,
     "t.yaml:2:21: missions.a.cap: expected an integer in [0, 1000000], found \"12abc\"\n"},
    {"not_finite_or_hex", H "intel: {recruit_rate: .nan, dormant_loss: inf, overt_value: 0x10, "
                            "source_value: 1e999}\n",
     LEGATION_ESCHEMA,
     "t.yaml:2:23: intel.recruit_rate: expected a number in [0, 1], found \".nan\"\n"
     "t.yaml:2:43: intel.dormant_loss: expected a number in [0, 1], found \"inf\"\n"
     "t.yaml:2:61: intel.overt_value: expected a number in [0, 1000], found \"0x10\"\n"
     "t.yaml:2:81: intel.source_value: expected a number in [0, 1000], found \"1e999\"\n"},
    {"empty_value", H "horizon:\nspiral: {moves: ~}\n", LEGATION_ESCHEMA,
     "t.yaml:2:9: horizon: expected an integer in [1, 600], found nothing\n"
     "t.yaml:3:17: spiral.moves: expected an integer in [2, 8], found nothing\n"},
    {"duplicate_key", H "horizon: 12\nrelations:\n  decay: 0.1\n  decay: 0.2\nhorizon: 24\n",
     LEGATION_ESCHEMA,
     "t.yaml:5:3: relations.decay: duplicate key (first at line 4)\n"
     "t.yaml:6:1: horizon: duplicate key (first at line 2)\n"},
    {"missing_names", "horizon: 12\n", LEGATION_ESCHEMA,
     "t.yaml:1:1: states.a.name: expected a name of 1 to 47 bytes (required without base), "
     "found nothing\n"
     "t.yaml:1:1: states.b.name: expected a name of 1 to 47 bytes (required without base), "
     "found nothing\n"},
    {"missing_deal_fields", H "deal:\n  - { value: 3 }\n  - { month: 2, action: open_post, target: a }\n",
     LEGATION_ESCHEMA,
     "t.yaml:3:5: deal[0].month: expected an integer in [1, 600] (required), found nothing\n"
     "t.yaml:3:5: deal[0].action: expected one of cap|readmit|local_staff|travel|open_post|"
     "close_post|property|operations|ci|vetting|expel (required), found nothing\n"
     "t.yaml:3:5: deal[0].target: expected one of a|b|both|USA|RUS (required), found nothing\n"
     "t.yaml:4:5: deal[1].post: expected a post name for action open_post (required), found nothing\n"},
    {"missing_value_and_post_name",
     H "horizon: {source: \"a book\"}\nmissions: {a: {posts: [{reach: 2}]}}\n", LEGATION_ESCHEMA,
     "t.yaml:2:10: horizon.value: expected an integer in [1, 600] (required), found nothing\n"
     "t.yaml:3:24: missions.a.posts[0].name: expected a name of 1 to 47 bytes (required), "
     "found nothing\n"},
    {"value_source_unknown_key", H "horizon: {value: 12, sorce: x}\n", LEGATION_ESCHEMA,
     "t.yaml:2:22: horizon.sorce: unknown key; did you mean \"source\"?\n"},
    {"bad_enums", "states:\n  a: {name: USA, doctrine: mirrorr, expel_policy: 3}\n  b: {name: RUS}\n"
                  "deal: [{month: 1, action: readmitt, target: c}]\n",
     LEGATION_ESCHEMA,
     "t.yaml:2:28: states.a.doctrine: expected one of absorb|mirror|proportional|parity, found "
     "\"mirrorr\"\n"
     "t.yaml:2:51: states.a.expel_policy: expected one of immediate|batch|shock|watch, found \"3\"\n"
     "t.yaml:4:27: deal[0].action: expected one of cap|readmit|local_staff|travel|open_post|"
     "close_post|property|operations|ci|vetting|expel, found \"readmitt\"\n"
     "t.yaml:4:45: deal[0].target: expected one of a|b|both|USA|RUS, found \"c\"\n"},
    {"bad_booleans", "states:\n  a: {name: USA, cut_cap: \"true\"}\n  b: {name: RUS, cut_cap: on}\n"
                     "missions: {a: {posts: [{name: E, open: 1}]}}\n",
     LEGATION_ESCHEMA,
     "t.yaml:2:27: states.a.cut_cap: expected true or false, found string \"true\"\n"
     "t.yaml:3:27: states.b.cut_cap: expected true or false, found \"on\"\n"
     "t.yaml:4:40: missions.a.posts[0].open: expected true or false, found 1\n"},
    {"anchor_alias", H "horizon: &h 12\nspiral: {window: *h}\n", LEGATION_ESCHEMA,
     "t.yaml:2:10: horizon: expected a value, found an anchor (&h); anchors are not supported\n"
     "t.yaml:3:18: spiral.window: expected a value, found an alias (*h); aliases are not "
     "supported\n"},
    {"tag", H "horizon: !!int 12\n", LEGATION_ESCHEMA,
     "t.yaml:2:10: horizon: expected an untagged value, found tag \"tag:yaml.org,2002:int\"\n"},
    {"syntax_error", H "horizon: 12\nintel: {recruit_rate: 0.1\n", LEGATION_EPARSE,
     "t.yaml:4:1: syntax error: did not find expected ',' or '}' (while parsing a flow mapping "
     "at 3:8)\n"},
    {"syntax_error_tab", H "missions:\n\ta: {cap: 3}\n", LEGATION_EPARSE,
     "t.yaml:3:1: syntax error: found character that cannot start any token (while scanning for "
     "the next token at 3:1)\n"},
    {"syntax_bad_utf8", H "title: \"caf\xe9\"\n", LEGATION_EPARSE,
     "t.yaml:2:13: syntax error: invalid trailing UTF-8 octet (byte 0x22)\n"},
    {"two_documents", H "---\nhorizon: 3\n", LEGATION_ESCHEMA,
     "t.yaml:2:1: expected one YAML document, found a second one\n"},
    {"many_errors_all_reported",
     "title: [x]\nstates:\n  a: {name: USA, openness: 2}\n  b: {name: RUS, detect_prob: \"9\"}\n"
     "missions:\n  a: {cap: -1, staf: 3}\ndeal:\n  - {month: 1.5, action: cap, target: a, value: 3.5}\n"
     "horizon: 0\n",
     LEGATION_ESCHEMA,
     "t.yaml:1:8: title: expected a title of 1 to 199 bytes (UTF-8), found a sequence\n"
     "t.yaml:3:28: states.a.openness: expected a number in [0, 1], found 2\n"
     "t.yaml:4:31: states.b.detect_prob: expected a number in [0, 1], found string \"9\"\n"
     "t.yaml:6:12: missions.a.cap: expected an integer in [0, 1000000], found -1\n"
     "t.yaml:6:16: missions.a.staf: unknown key; did you mean \"staff\"?\n"
     "t.yaml:8:13: deal[0].month: expected an integer in [1, 600], found \"1.5\"\n"
     "t.yaml:8:49: deal[0].value: expected an integer in [0, 1000000], found \"3.5\"\n"
     "t.yaml:9:10: horizon: expected an integer in [1, 600], found 0\n"},
    {"deal_value_by_action",
     H "deal:\n  - {month: 1, action: travel, target: a, value: 2}\n"
       "  - {month: 1, action: cap, target: b, value: -3}\n"
       "  - {month: 1, action: property, target: b, value: x}\n"
       "  - {month: 1, action: cap, target: a, post: Embassy}\n"
       "  - {month: 1, action: cap, target: a, when: {relations: -2, progres: 0}}\n",
     LEGATION_ESCHEMA,
     "t.yaml:3:50: deal[0].value: expected a number in [0, 1], found 2\n"
     "t.yaml:4:47: deal[1].value: expected an integer in [0, 1000000], found -3\n"
     "t.yaml:5:52: deal[2].value: expected a number, found \"x\"\n"
     "t.yaml:6:46: deal[3].post: expected no post for action cap (only open_post and close_post "
     "name one), found \"Embassy\"\n"
     "t.yaml:7:58: deal[4].when.relations: expected a number in [-1, 1], found -2\n"
     "t.yaml:7:62: deal[4].when.progres: unknown key; did you mean \"progress\"?\n"},
    {"posts_rules",
     H "missions:\n  a:\n    posts:\n      - {name: Embassy, reach: 3.5}\n      - {name: Embassy}\n"
       "      - {name: \"\"}\n",
     LEGATION_ESCHEMA,
     "t.yaml:5:32: missions.a.posts[0].reach: expected a number in [0, 3], found 3.5\n"
     "t.yaml:6:16: missions.a.posts[1].name: expected a post name not used before, found "
     "\"Embassy\" (first at line 5)\n"
     "t.yaml:7:16: missions.a.posts[2].name: expected a name of 1 to 47 bytes (UTF-8), found 0 "
     "bytes\n"},
    {"long_name", "states: {a: {name: " "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz" "}, b: {name: RUS}}\n",
     LEGATION_ESCHEMA,
     "t.yaml:1:20: states.a.name: expected a name of 1 to 47 bytes (UTF-8), found "
     "\"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz\"\n"},
    {"control_characters", H "title: \"a\\nb\"\n", LEGATION_ESCHEMA,
     "t.yaml:2:8: title: expected a title without control characters, found string \"a?b\"\n"},
    {"key_not_scalar", H "? [a]\n: 1\n", LEGATION_ESCHEMA,
     "t.yaml:2:3: expected a key name, found a sequence\n"},
    {"too_deep", H "intel: [[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]\n", LEGATION_EPARSE,
     "t.yaml:2:23: expected at most 16 levels of nesting, found more\n"},
    {"too_deep_block", H "intel:\n - - - - - - - - - - - - - - - - 1\n", LEGATION_EPARSE,
     "t.yaml:3:32: expected at most 16 levels of nesting, found more\n"},
    {"cross_officers_over_staff", H "missions:\n  a:\n    staff: 10\n    officers: 20\n",
     LEGATION_ESCHEMA,
     "t.yaml:5:15: missions.a.officers: expected at most staff (10), found 20\n"},
    {"cross_not_set_here", H "missions: {b: {cap: 5}}\n", LEGATION_ESCHEMA,
     "t.yaml:1:1: missions.b.staff: expected at most cap (5), found 200\n"
     "t.yaml:1:1: missions.b.floor: expected at most cap (5), found 10\n"},
    /* states by name: unknown names get the nearest name, a state written
     * under two words is refused, deal targets list the names */
    {"state_name_suggest_base", "base: us-russia-2025\nstates: {usaa: {openness: 0.2}}\n",
     LEGATION_ESCHEMA, "t.yaml:2:10: states.usaa: unknown key; did you mean \"usa\"?\n"},
    {"state_name_twice", "states:\n  a: {name: Germany, short: DE}\n  b: {name: Russia}\n"
                         "  de: {openness: 0.9}\n",
     LEGATION_ESCHEMA,
     "t.yaml:4:3: states.de: expected each state once, found \"de\" naming a again (first at line 2)\n"},
    {"state_name_mission_list", H "missions: {germany: {cap: 3}}\n", LEGATION_ESCHEMA,
     "t.yaml:2:12: missions.germany: unknown key; expected one of: a, b, usa, rus\n"},
    {"state_name_deal_target", H "deal: [{month: 1, action: cap, target: china, value: 1}]\n",
     LEGATION_ESCHEMA,
     "t.yaml:2:40: deal[0].target: expected one of a|b|both|USA|RUS, found \"china\"\n"},
    {"state_short_clash", "states: {a: {name: USA, short: RU}, b: {name: Ru}}\n", LEGATION_ESCHEMA,
     "t.yaml:1:47: states.b.name: expected a name that differs (in any case) from states.a.short, found \"Ru\"\n"},
    {"cross_staff_above_cap", H "missions:\n  b: {cap: 10, staff: 11, officers: 2, floor: 5}\n",
     LEGATION_ESCHEMA, "t.yaml:3:23: missions.b.staff: expected at most cap (10), found 11\n"},
    {"cross_same_names", "states: {a: {name: USA}, b: {name: USA}}\n", LEGATION_ESCHEMA,
     "t.yaml:1:36: states.b.name: expected a name different from states.a.name, found \"USA\"\n"},
    {"cross_deal_post_not_found",
     H "missions: {a: {posts: [{name: Embassy}]}, b: {posts: []}}\n"
       "deal_add:\n  - {month: 2, action: close_post, target: both, post: Consulate}\n",
     LEGATION_ESCHEMA,
     "t.yaml:2:54: missions.b.posts: expected at least one post, found none\n"
     "t.yaml:4:56: deal_add[0].post: expected a post of missions.a, found \"Consulate\"\n"
     "t.yaml:4:56: deal_add[0].post: expected a post of missions.b, found \"Consulate\"\n"},
};

static void run_bad(const bad_case *bc) {
  legation_scenario *sc = legation_scenario_new();
  if (!sc) {
    check_failed_++;
    return;
  }
  legation_status st = legation_scenario_load_string(sc, bc->yaml, strlen(bc->yaml), "t.yaml");
  CHECK_EQ_INT(st, bc->status);
  CHECK_EQ_STR(legation_scenario_errmsg(sc), bc->expect);
  int lines = 0;
  for (const char *p = bc->expect; *p; p++) lines += *p == '\n';
  CHECK_EQ_INT(legation_scenario_error_count(sc), lines);
  legation_scenario_free(sc);
}

enum { NBAD = sizeof bad_cases / sizeof bad_cases[0] };

/* The bad texts run as cases named bad_<name>: check_main calls them in
 * table order, or only the one named on the command line. */
static const char *selected; /* argv[1], if any */
static int bad_next;

static void t_bad(void) {
  if (!selected) {
    run_bad(&bad_cases[bad_next++]);
    return;
  }
  for (int i = 0; i < NBAD; i++)
    if (strncmp(selected, "bad_", 4) == 0 && strcmp(selected + 4, bad_cases[i].name) == 0)
      run_bad(&bad_cases[i]);
}

/* ------------------------------------------------------- good scenarios */

static const char full_yaml[] =
    "name: full-test\n"
    "title: \"A full scenario\"\n"
    "description: |\n"
    "  Two lines\n"
    "  of text.\n"
    "horizon: 36\n"
    "intel: { recruit_rate: 0.07, overt_value: 0.2 }\n"
    "function: { officer_weight: 0.4 }\n"
    "relations: { initial: -0.6, decay: 0.1 }\n"
    "negotiation: { rate: 0.05 }\n"
    "spiral: { moves: 4, window: 9 }\n"
    "states:\n"
    "  a: { name: USA, openness: 0.9, doctrine: proportional, cut_cap: false, expel_policy: watch }\n"
    "  b:\n"
    "    name: \"Russia\"\n"
    "    openness: { value: 0.3, source: \"FACTS.md s5: Moscow rules\" }\n"
    "    doctrine: 'mirror'\n"
    "    cut_cap: yes\n"
    "    retaliation_delay: 2\n"
    "missions:\n"
    "  a:\n"
    "    cap: 455\n"
    "    staff: 400\n"
    "    officers: 100\n"
    "    travel: 0.5\n"
    "    posts:\n"
    "      - { name: Embassy Moscow, reach: 1.5 }\n"
    "      - { name: CG Yekaterinburg, reach: 0.5, open: false }\n"
    "  b: { cap: 300, staff: 250, officers: 80, floor: 20 }\n"
    "deal:\n"
    "  - { month: 3, action: readmit, target: both, value: 50, when: { relations: -0.2, "
    "progress: 0.1 }, source: \"events.csv 2025-04\" }\n"
    "  - { month: 6, action: open_post, target: a, post: CG Yekaterinburg }\n"
    "  - { month: 7, action: travel, target: b, value: 0.75 }\n";

static void t_full(void) {
  legation_scenario *sc = legation_scenario_new();
  char b[64];
  CHECK_EQ_INT(legation_scenario_load_string(sc, full_yaml, strlen(full_yaml), "x.yaml"), LEGATION_OK);
  CHECK_EQ_STR(legation_scenario_errmsg(sc), "");
  CHECK_EQ_STR(legation_scenario_name(sc), "full-test");
  CHECK_EQ_STR(legation_scenario_title(sc), "A full scenario");
  CHECK_EQ_STR(sc->description, "Two lines\nof text.\n");
  CHECK_EQ_STR(ptext(sc, "horizon", b), "36");
  CHECK_DBL(pval(sc, "horizon"), 36);
  CHECK_DBL(pval(sc, "intel.recruit_rate"), 0.07);
  CHECK_DBL(pval(sc, "intel.overt_value"), 0.2);
  CHECK_DBL(pval(sc, "intel.source_value"), 1); /* untouched default */
  CHECK_DBL(pval(sc, "function.officer_weight"), 0.4);
  CHECK_DBL(pval(sc, "relations.initial"), -0.6);
  CHECK_DBL(pval(sc, "relations.decay"), 0.1);
  CHECK_DBL(pval(sc, "negotiation.rate"), 0.05);
  CHECK_DBL(pval(sc, "spiral.moves"), 4);
  CHECK_DBL(pval(sc, "spiral.window"), 9);
  CHECK_EQ_STR(legation_scenario_state_name(sc, 0), "USA");
  CHECK_EQ_STR(legation_scenario_state_name(sc, 1), "Russia");
  CHECK_DBL(pval(sc, "states.a.openness"), 0.9);
  CHECK_DBL(pval(sc, "states.b.openness"), 0.3);
  CHECK_EQ_STR(ptext(sc, "states.a.doctrine", b), "proportional");
  CHECK_EQ_STR(ptext(sc, "states.b.doctrine", b), "mirror");
  CHECK_EQ_STR(ptext(sc, "states.a.expel_policy", b), "watch");
  CHECK_EQ_STR(ptext(sc, "states.a.cut_cap", b), "false");
  CHECK_EQ_STR(ptext(sc, "states.b.cut_cap", b), "true");
  CHECK_DBL(pval(sc, "states.b.retaliation_delay"), 2);
  CHECK_DBL(pval(sc, "missions.a.cap"), 455);
  CHECK_DBL(pval(sc, "missions.a.staff"), 400);
  CHECK_DBL(pval(sc, "missions.a.officers"), 100);
  CHECK_DBL(pval(sc, "missions.a.travel"), 0.5);
  CHECK_DBL(pval(sc, "missions.b.cap"), 300);
  CHECK_DBL(pval(sc, "missions.b.floor"), 20);
  CHECK_EQ_INT(sc->p.ms[0].n_posts, 2);
  CHECK_EQ_STR(sc->p.ms[0].posts[0].name, "Embassy Moscow");
  CHECK_DBL(sc->p.ms[0].posts[0].reach, 1.5);
  CHECK_EQ_INT(sc->p.ms[0].posts[0].open, 1);
  CHECK_EQ_STR(sc->p.ms[0].posts[1].name, "CG Yekaterinburg");
  CHECK_DBL(sc->p.ms[0].posts[1].reach, 0.5);
  CHECK_EQ_INT(sc->p.ms[0].posts[1].open, 0);
  CHECK_EQ_INT(sc->p.ms[1].n_posts, 1); /* default list kept */
  CHECK_EQ_INT(legation_deal_count(sc), 3);
  legation_deal_step d;
  CHECK_EQ_INT(legation_deal_get(sc, 0, &d), LEGATION_OK);
  CHECK_EQ_INT(d.month, 3);
  CHECK_EQ_STR(d.action, "readmit");
  CHECK_EQ_STR(d.target, "both");
  CHECK_DBL(d.value, 50);
  CHECK_DBL(d.r_min, -0.2);
  CHECK_DBL(d.p_min, 0.1);
  CHECK_EQ_STR(d.source, "events.csv 2025-04");
  CHECK(d.post == NULL);
  CHECK_EQ_INT(legation_deal_get(sc, 1, &d), LEGATION_OK);
  CHECK_EQ_STR(d.action, "open_post");
  CHECK_EQ_STR(d.target, "a");
  CHECK_EQ_STR(d.post, "CG Yekaterinburg");
  CHECK_DBL(d.r_min, -1); /* default: no condition */
  CHECK_DBL(d.p_min, 0);
  CHECK_DBL(d.value, 0);
  CHECK_EQ_INT(legation_deal_get(sc, 2, &d), LEGATION_OK);
  CHECK_EQ_STR(d.target, "b");
  CHECK_DBL(d.value, 0.75);
  /* citations: given, and "assumption (set in ...)" for plain values */
  CHECK_EQ_STR(psource(sc, "states.b.openness"), "FACTS.md s5: Moscow rules");
  CHECK_EQ_STR(psource(sc, "states.a.openness"), "assumption (set in x.yaml)");
  legation_scenario_free(sc);
}

/* The name defaults to the file stem (files) or the name argument. */
static void t_default_names(void) {
  legation_scenario *sc = legation_scenario_new();
  char path[256];
  write_file("my-scenario.yaml", H "horizon: 12\n");
  CHECK_EQ_INT(legation_scenario_load_file(sc, tmp_path("my-scenario.yaml", path, sizeof path)),
            LEGATION_OK);
  CHECK_EQ_STR(legation_scenario_name(sc), "my-scenario");
  CHECK_DBL(pval(sc, "horizon"), 12);
  CHECK_EQ_INT(legation_scenario_load_string(sc, H, strlen(H), "from-memory"), LEGATION_OK);
  CHECK_EQ_STR(legation_scenario_name(sc), "from-memory");
  remove_files((const char *const[]){"my-scenario.yaml", NULL});
  legation_scenario_free(sc);
}

/* A file base: overrides, deal_add appends, deal replaces, citations and
 * title are inherited, messages from a base name the base file. */
static void t_file_base(void) {
  char path[256], want[512];
  write_file("base.yaml",
             "title: The base\n"
             "horizon: 24\n"
             "states:\n  a: {name: USA, openness: {value: 0.8, source: \"base cite\"}}\n"
             "  b: {name: RUS}\n"
             "missions: {a: {posts: [{name: Embassy}, {name: Consulate, open: false}]}}\n"
             "deal:\n  - {month: 1, action: cap, target: a, value: 300}\n"
             "  - {month: 2, action: readmit, target: b, value: 10}\n");
  write_file("add.yaml", "base: base.yaml\nhorizon: 30\n"
                         "deal_add:\n  - {month: 5, action: open_post, target: a, post: Consulate}\n");
  write_file("repl.yaml", "base: ./base.yaml\nstates: {b: {openness: 0.1}}\n"
                          "deal:\n  - {month: 9, action: expel, target: b, value: 4}\n");
  legation_scenario *sc = legation_scenario_new();
  CHECK_EQ_INT(legation_scenario_load_file(sc, tmp_path("add.yaml", path, sizeof path)), LEGATION_OK);
  CHECK_EQ_STR(legation_scenario_errmsg(sc), "");
  CHECK_EQ_STR(legation_scenario_name(sc), "add");
  CHECK_EQ_STR(legation_scenario_title(sc), "The base");
  CHECK_DBL(pval(sc, "horizon"), 30);
  CHECK_DBL(pval(sc, "states.a.openness"), 0.8);
  CHECK_EQ_STR(psource(sc, "states.a.openness"), "base cite");
  CHECK_EQ_STR(legation_scenario_state_name(sc, 1), "RUS");
  CHECK_EQ_INT(sc->p.ms[0].n_posts, 2);
  CHECK_EQ_INT(legation_deal_count(sc), 3);
  CHECK_EQ_INT(sc->p.deal[0].month, 1);
  CHECK_EQ_INT(sc->p.deal[1].month, 2);
  CHECK_EQ_INT(sc->p.deal[2].month, 5);
  CHECK_EQ_STR(sc->p.deal[2].post, "Consulate");

  legation_scenario *sc2 = legation_scenario_new();
  CHECK_EQ_INT(legation_scenario_load_file(sc2, tmp_path("repl.yaml", path, sizeof path)), LEGATION_OK);
  CHECK_EQ_STR(legation_scenario_errmsg(sc2), "");
  CHECK_DBL(pval(sc2, "horizon"), 24);
  CHECK_DBL(pval(sc2, "states.b.openness"), 0.1);
  CHECK_EQ_INT(legation_deal_count(sc2), 1);
  CHECK_EQ_INT(sc2->p.deal[0].action, LG_ACT_EXPEL);
  CHECK_DBL(sc2->p.deal[0].value, 4);

  /* an error in the base is reported in the base's name, the child's too */
  write_file("badbase.yaml", "states: {a: {name: USA}, b: {name: RUS}}\nhorizon: 0\n");
  write_file("child.yaml", "base: badbase.yaml\nhorizon: -1\n");
  CHECK_EQ_INT(legation_scenario_load_file(sc2, tmp_path("child.yaml", path, sizeof path)),
            LEGATION_ESCHEMA);
  /* the base's path is the child's directory joined with the base value */
  snprintf(want, sizeof want,
           "%s/badbase.yaml:2:10: horizon: expected an integer in [1, 600], found 0\n"
           "%s/child.yaml:2:10: horizon: expected an integer in [1, 600], found -1\n",
           tmpdir, tmpdir);
  CHECK_EQ_STR(legation_scenario_errmsg(sc2), want);
  CHECK_EQ_INT(legation_deal_count(sc2), 1); /* unchanged by the failed load */
  remove_files((const char *const[]){"base.yaml", "add.yaml", "repl.yaml", "badbase.yaml",
                                     "child.yaml", NULL});
  legation_scenario_free(sc);
  legation_scenario_free(sc2);
}

static void t_base_not_found(void) {
  char path[256], want[512];
  write_file("orphan.yaml", "title: x\nbase: no-such-scenario\n");
  legation_scenario *sc = legation_scenario_new();
  CHECK_EQ_INT(legation_scenario_load_file(sc, tmp_path("orphan.yaml", path, sizeof path)),
            LEGATION_ENOTFOUND);
  snprintf(want, sizeof want,
           "%s/orphan.yaml:2:7: base: expected a built-in scenario or a file, found "
           "\"no-such-scenario\" (no file %s/no-such-scenario)\n",
           tmpdir, tmpdir);
  CHECK_EQ_STR(legation_scenario_errmsg(sc), want);
  remove_files((const char *const[]){"orphan.yaml", NULL});
  legation_scenario_free(sc);
}

static void t_base_cycle(void) {
  char path[256], want[512];
  write_file("one.yaml", "base: two.yaml\nhorizon: 5\n");
  write_file("two.yaml", "horizon: 6\nbase: one.yaml\n");
  legation_scenario *sc = legation_scenario_new();
  CHECK_EQ_INT(legation_scenario_load_file(sc, tmp_path("one.yaml", path, sizeof path)),
            LEGATION_ESCHEMA);
  snprintf(want, sizeof want,
           "%s/two.yaml:2:7: base: expected a scenario that is not its own base, found a cycle "
           "through \"one.yaml\"\n",
           tmpdir);
  CHECK_EQ_STR(legation_scenario_errmsg(sc), want);
  CHECK_DBL(pval(sc, "horizon"), 48); /* unchanged */
  /* a file that is its own base */
  write_file("self.yaml", "base: self.yaml\n");
  CHECK_EQ_INT(legation_scenario_load_file(sc, tmp_path("self.yaml", path, sizeof path)),
            LEGATION_ESCHEMA);
  snprintf(want, sizeof want,
           "%s/self.yaml:1:7: base: expected a scenario that is not its own base, found a cycle "
           "through \"self.yaml\"\n",
           tmpdir);
  CHECK_EQ_STR(legation_scenario_errmsg(sc), want);
  remove_files((const char *const[]){"one.yaml", "two.yaml", "self.yaml", NULL});
  legation_scenario_free(sc);
}

/* A chain of 8 bases loads; 9 is refused. */
static void t_base_depth(void) {
  char path[256], name[32], text[64], want[512];
  for (int i = 0; i <= 9; i++) {
    snprintf(name, sizeof name, "d%d.yaml", i);
    if (i == 9) snprintf(text, sizeof text, H);
    else snprintf(text, sizeof text, "base: d%d.yaml\nspiral: {window: %d}\n", i + 1, 10 + i);
    write_file(name, text);
  }
  legation_scenario *sc = legation_scenario_new();
  CHECK_EQ_INT(legation_scenario_load_file(sc, tmp_path("d1.yaml", path, sizeof path)), LEGATION_OK);
  CHECK_EQ_STR(legation_scenario_errmsg(sc), "");
  CHECK_DBL(pval(sc, "spiral.window"), 11);
  CHECK_EQ_INT(legation_scenario_load_file(sc, tmp_path("d0.yaml", path, sizeof path)),
            LEGATION_ESCHEMA);
  snprintf(want, sizeof want,
           "%s/d8.yaml:1:7: base: expected at most 8 levels of base scenarios, found more\n", tmpdir);
  CHECK_EQ_STR(legation_scenario_errmsg(sc), want);
  CHECK_DBL(pval(sc, "spiral.window"), 11);
  for (int i = 0; i <= 9; i++) {
    snprintf(name, sizeof name, "d%d.yaml", i);
    remove_files((const char *const[]){name, NULL});
  }
  legation_scenario_free(sc);
}

static void t_unreadable(void) {
  char path[256], want[512];
  legation_scenario *sc = legation_scenario_new();
  CHECK_EQ_INT(legation_scenario_load_file(sc, tmp_path("absent.yaml", path, sizeof path)),
            LEGATION_EIO);
  snprintf(want, sizeof want, "%s/absent.yaml: cannot read: No such file or directory\n", tmpdir);
  CHECK_EQ_STR(legation_scenario_errmsg(sc), want);
  CHECK_EQ_INT(legation_scenario_load_file(sc, tmpdir), LEGATION_EIO);
  snprintf(want, sizeof want, "%s: cannot read: not a regular file\n", tmpdir);
  CHECK_EQ_STR(legation_scenario_errmsg(sc), want);
  legation_scenario_free(sc);
}

static void t_too_large(void) {
  size_t n = 1024 * 1024 + 1;
  char *big = malloc(n + 1), path[256], want[512];
  if (!big) return (void)check_failed_++;
  memset(big, '#', n); /* a comment: valid YAML, just too long */
  big[n] = 0;
  legation_scenario *sc = legation_scenario_new();
  CHECK_EQ_INT(legation_scenario_load_string(sc, big, n, "big.yaml"), LEGATION_EPARSE);
  CHECK_EQ_STR(legation_scenario_errmsg(sc),
            "big.yaml: expected at most 1048576 bytes (1 MiB), found 1048577 bytes\n");
  write_file("big.yaml", big);
  CHECK_EQ_INT(legation_scenario_load_file(sc, tmp_path("big.yaml", path, sizeof path)),
            LEGATION_EPARSE);
  snprintf(want, sizeof want,
           "%s/big.yaml: expected at most 1048576 bytes (1 MiB), found 1048577 bytes\n", tmpdir);
  CHECK_EQ_STR(legation_scenario_errmsg(sc), want);
  /* exactly 1 MiB is accepted */
  memcpy(big, H, strlen(H));
  CHECK_EQ_INT(legation_scenario_load_string(sc, big, n - 1, "big.yaml"), LEGATION_OK);
  remove_files((const char *const[]){"big.yaml", NULL});
  free(big);
  legation_scenario_free(sc);
}

/* More problems than LD_MAX_SHOWN: 100 lines, then a count. */
static void t_error_cap(void) {
  char *text = malloc(200 * 16 + 64), line[32];
  if (!text) return (void)check_failed_++;
  strcpy(text, H);
  for (int i = 0; i < 150; i++) {
    snprintf(line, sizeof line, "zz%d: 1\n", i);
    strcat(text, line);
  }
  legation_scenario *sc = legation_scenario_new();
  CHECK_EQ_INT(legation_scenario_load_string(sc, text, strlen(text), "t.yaml"), LEGATION_ESCHEMA);
  CHECK_EQ_INT(legation_scenario_error_count(sc), 101);
  const char *m = legation_scenario_errmsg(sc);
  CHECK(strncmp(m, "t.yaml:2:1: zz0: unknown key\n", 29) == 0);
  const char *last = strstr(m, "t.yaml: 50 more problems not shown\n");
  CHECK(last != NULL && last[strlen("t.yaml: 50 more problems not shown\n")] == 0);
  free(text);
  legation_scenario_free(sc);
}

/* A failed load leaves every byte of the scenario as it was. */
static void t_failed_load_unchanged(void) {
  legation_scenario *sc = legation_scenario_new();
  CHECK_EQ_INT(legation_scenario_load_string(sc, full_yaml, strlen(full_yaml), "x.yaml"), LEGATION_OK);
  lg_params before = sc->p;
  char name[sizeof sc->name], title[sizeof sc->title];
  memcpy(name, sc->name, sizeof name);
  memcpy(title, sc->title, sizeof title);
  static const char *const bad[] = {
      "name: other\ntitle: Other\ndescription: changed\nhorizon: 12\n"
      "states: {a: {name: X, openness: {value: 0.1, source: new}}, b: {name: Y}}\n"
      "missions: {a: {posts: [{name: P}]}}\ndeal: []\nspiral: {moves: 99}\n",
      ("horizon: 12\ndeal_add: [{month: 1, action: cap, target: a, value: 1}]\n"
       "intel: {recruit_rate: ["),
      "base: no-such-base-anywhere\nhorizon: 12\n",
  };
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    CHECK(legation_scenario_load_string(sc, bad[k], strlen(bad[k]), "b.yaml") != LEGATION_OK);
    CHECK(legation_scenario_error_count(sc) > 0);
    CHECK_EQ_INT(memcmp(&before, &sc->p, sizeof before), 0);
    CHECK_EQ_STR(sc->name, name);
    CHECK_EQ_STR(sc->title, title);
    CHECK_EQ_STR(sc->description, "Two lines\nof text.\n");
    CHECK_EQ_STR(psource(sc, "states.a.openness"), "assumption (set in x.yaml)");
    CHECK_EQ_STR(psource(sc, "states.b.openness"), "FACTS.md s5: Moscow rules");
  }
  /* and errors of a previous load are cleared by the next one */
  CHECK_EQ_INT(legation_scenario_load_string(sc, H, strlen(H), "ok.yaml"), LEGATION_OK);
  CHECK_EQ_STR(legation_scenario_errmsg(sc), "");
  CHECK_EQ_INT(legation_scenario_error_count(sc), 0);
  legation_scenario_free(sc);
}

static void t_set(void) {
  legation_scenario *sc = legation_scenario_new();
  char b[64];
  CHECK_EQ_INT(legation_scenario_set(sc, "states.b.cover_share", "0.4"), LEGATION_OK);
  CHECK_DBL(pval(sc, "states.b.cover_share"), 0.4);
  CHECK_EQ_STR(psource(sc, "states.b.cover_share"), "set on the command line");
  CHECK_EQ_INT(legation_scenario_set(sc, "states.b.cover_shar", "0.4"), LEGATION_ENOTFOUND);
  CHECK_EQ_STR(legation_scenario_errmsg(sc),
            "--set: states.b.cover_shar: unknown parameter; did you mean \"states.b.cover_share\"? "
            "(see `legation params`)\n");
  CHECK_EQ_INT(legation_scenario_set(sc, "horizon", "3.5"), LEGATION_ERANGE);
  CHECK_EQ_STR(legation_scenario_errmsg(sc),
            "--set: horizon: expected an integer in [1, 600], found \"3.5\"\n");
  CHECK_EQ_INT(legation_scenario_set(sc, "states.a.openness", "1.5"), LEGATION_ERANGE);
  CHECK_EQ_STR(legation_scenario_errmsg(sc),
            "--set: states.a.openness: expected a number in [0, 1], found 1.5\n");
  CHECK_DBL(pval(sc, "states.a.openness"), 0.5); /* not clamped, not changed */
  CHECK_EQ_INT(legation_scenario_set(sc, "states.a.doctrine", "parity"), LEGATION_OK);
  CHECK_EQ_STR(ptext(sc, "states.a.doctrine", b), "parity");
  CHECK_EQ_STR(legation_scenario_errmsg(sc), "");
  legation_scenario_free(sc);
}

/* States by name: a state's name or short name (any case) works wherever a
 * and b do - key paths in files (names declared in the same file or in the
 * base), deal targets and --set - and means the same side as its letter. */
static void t_state_names(void) {
  static const char text[] =
      "states:\n"
      "  a: {name: Germany, short: DE}\n"
      "  b: {name: Russia, short: RU}\n"
      "  RUSSIA: ~\n" /* rejected below: b twice */;
  legation_scenario *sc = legation_scenario_new();
  CHECK_EQ_INT(legation_scenario_load_string(sc, text, strlen(text), "n.yaml"), LEGATION_ESCHEMA);
  static const char good[] =
      "states:\n"
      "  a: {name: Germany, short: DE, openness: 0.9}\n"
      "  b: {name: Russia, short: RU, openness: 0.25}\n"
      "missions:\n"
      "  de: {cap: 40, staff: 30, officers: 5}\n"
      "  ru: {travel: 0.5}\n"
      "deal:\n"
      "  - {month: 2, action: readmit, target: germany, value: 3}\n"
      "  - {month: 2, action: travel, target: Ru, value: 0.75}\n"
      "  - {month: 3, action: cap, target: both, value: 45}\n";
  CHECK_EQ_INT(legation_scenario_load_string(sc, good, strlen(good), "g.yaml"), LEGATION_OK);
  CHECK_EQ_STR(legation_scenario_errmsg(sc), "");
  CHECK_DBL(pval(sc, "states.a.openness"), 0.9);
  CHECK_DBL(pval(sc, "states.b.openness"), 0.25);
  CHECK_DBL(pval(sc, "missions.a.cap"), 40);
  CHECK_DBL(pval(sc, "missions.b.travel"), 0.5);
  CHECK_DBL(pval(sc, "missions.a.travel"), 1);
  legation_deal_step d;
  static const char *const want[] = {"a", "b", "both"};
  for (int i = 0; i < 3; i++) {
    CHECK_EQ_INT(legation_deal_get(sc, i, &d), LEGATION_OK);
    CHECK_EQ_STR(d.target, want[i]);
  }
  /* a variant names the states by its base's names */
  legation_scenario *v = legation_scenario_new();
  static const char var[] = "base: us-russia-2025\nstates: {usa: {openness: 0.8}}\n"
                            "missions: {RUSSIA: {cap: 410}}\n";
  CHECK_EQ_INT(legation_scenario_load_string(v, var, strlen(var), "v.yaml"), LEGATION_OK);
  CHECK_DBL(pval(v, "states.a.openness"), 0.8);
  CHECK_DBL(pval(v, "missions.b.cap"), 410);
  legation_scenario_free(v);
  /* --set: names, short names, any case; suggestions keep the user's word */
  CHECK_EQ_INT(legation_scenario_set(sc, "states.RU.forgiveness", "0.4"), LEGATION_OK);
  CHECK_DBL(pval(sc, "states.b.forgiveness"), 0.4);
  CHECK_EQ_INT(legation_scenario_set(sc, "missions.germany.travel", "0.3"), LEGATION_OK);
  CHECK_DBL(pval(sc, "missions.a.travel"), 0.3);
  CHECK_EQ_INT(legation_scenario_set(sc, "states.de.opennes", "0.3"), LEGATION_ENOTFOUND);
  CHECK_EQ_STR(legation_scenario_errmsg(sc),
               "--set: states.de.opennes: unknown parameter; did you mean \"states.de.openness\"? "
               "(see `legation params`)\n");
  CHECK_EQ_INT(legation_scenario_set(sc, "states.germny.openness", "0.3"), LEGATION_ENOTFOUND);
  CHECK_EQ_STR(legation_scenario_errmsg(sc),
               "--set: states.germny.openness: unknown parameter; did you mean "
               "\"states.Germany.openness\"? (see `legation params`)\n");
  CHECK_EQ_INT(legation_scenario_set(sc, "states.china.openness", "0.3"), LEGATION_ENOTFOUND);
  CHECK_EQ_STR(legation_scenario_errmsg(sc),
               "--set: states.china.openness: unknown parameter (see `legation params`)\n");
  CHECK_DBL(pval(sc, "states.a.openness"), 0.9); /* unchanged by the failures */
  legation_scenario_free(sc);
}

/* The files a load read are kept (the file, then its bases: a file base and
 * its built-in base), and load_files rebuilds the same scenario from them
 * alone after the base file has been edited and then deleted. */
static void t_stored_files(void) {
  char path[256], bpath[256];
  write_file("sbase.yaml", "base: us-russia-2025\nhorizon: 20\nstates: {usa: {openness: 0.7}}\n");
  write_file("sopt.yaml", "base: sbase.yaml\nmissions: {russia: {travel: 0.4}}\n");
  legation_scenario *sc = legation_scenario_new();
  CHECK_EQ_INT(legation_scenario_load_file(sc, tmp_path("sopt.yaml", path, sizeof path)), LEGATION_OK);
  CHECK_EQ_INT(legation_scenario_file_count(sc), 3);
  const char *key, *text;
  size_t len;
  legation_scenario_file f[3];
  for (int i = 0; i < 3; i++) {
    CHECK_EQ_INT(legation_scenario_file_get(sc, i, &key, &text, &len), LEGATION_OK);
    f[i] = (legation_scenario_file){key, text, len};
  }
  CHECK_EQ_STR(f[0].key, path);
  /* the base's key is the path the loader opened: the option's directory
   * joined with the base value */
  snprintf(bpath, sizeof bpath, "%s/sbase.yaml", tmpdir);
  CHECK_EQ_STR(f[1].key, bpath);
  CHECK_EQ_STR(f[1].text, "base: us-russia-2025\nhorizon: 20\nstates: {usa: {openness: 0.7}}\n");
  CHECK_EQ_STR(f[2].key, "builtin:us-russia-2025");
  CHECK_EQ_STR(f[2].text, legation_builtin_text("us-russia-2025"));
  CHECK_EQ_INT(legation_scenario_file_get(sc, 3, &key, &text, &len), LEGATION_ENOTFOUND);
  /* a clone keeps them */
  legation_scenario *cl = legation_scenario_clone(sc);
  CHECK_EQ_INT(legation_scenario_file_count(cl), 3);
  legation_scenario_free(cl);

  /* the base edited, then gone: the stored files still give the same */
  write_file("sbase.yaml", "base: us-russia-2025\nhorizon: 30\n");
  remove_files((const char *const[]){"sbase.yaml", NULL});
  legation_scenario *re = legation_scenario_new();
  CHECK_EQ_INT(legation_scenario_load_files(re, f, 3), LEGATION_OK);
  CHECK_EQ_STR(legation_scenario_errmsg(re), "");
  CHECK_EQ_STR(legation_scenario_name(re), "sopt");
  CHECK_DBL(pval(re, "horizon"), 20);
  CHECK_DBL(pval(re, "states.a.openness"), 0.7);
  CHECK_DBL(pval(re, "missions.b.travel"), 0.4);
  CHECK(memcmp(&re->p, &sc->p, sizeof re->p) == 0);
  CHECK_EQ_INT(legation_scenario_file_count(re), 3);
  /* a built-in base is taken from the stored text, not the binary */
  static const char changed[] = "states: {a: {name: USA}, b: {name: Russia}}\nhorizon: 11\n";
  legation_scenario_file g[3] = {f[0], f[1], {"builtin:us-russia-2025", changed, sizeof changed - 1}};
  legation_scenario *fresh = legation_scenario_new();
  CHECK_EQ_INT(legation_scenario_load_files(fresh, g, 3), LEGATION_OK);
  CHECK_DBL(pval(fresh, "horizon"), 20); /* sbase's, over the stored built-in's 11 */
  CHECK_DBL(pval(fresh, "states.a.openness"), 0.7);
  CHECK_DBL(pval(fresh, "missions.a.cap"), 300); /* the table's: the stored built-in sets none */
  legation_scenario_free(fresh);
  /* a base missing from the files is an error, even if it is on disk */
  write_file("sbase.yaml", "base: us-russia-2025\n");
  CHECK_EQ_INT(legation_scenario_load_files(re, f, 1), LEGATION_ENOTFOUND);
  char want[600];
  snprintf(want, sizeof want,
           "%s:1:7: base: expected a base among the stored files, found \"sbase.yaml\" (%s was "
           "not stored)\n", path, bpath);
  CHECK_EQ_STR(legation_scenario_errmsg(re), want);
  CHECK_EQ_INT(legation_scenario_load_files(re, NULL, 0), LEGATION_EINVAL);
  remove_files((const char *const[]){"sbase.yaml", "sopt.yaml", NULL});
  legation_scenario_free(re);
  legation_scenario_free(sc);
}

/* Built-in scenarios: every one loads cleanly; one can be a base; an
 * unknown name is refused. */
static void t_builtins(void) {
  legation_scenario *sc = legation_scenario_new();
  for (int i = 0; i < legation_builtin_count(); i++) {
    const char *name = legation_builtin_name(i);
    legation_status st = legation_scenario_load_builtin(sc, name);
    if (st != LEGATION_OK) printf("  built-in %s:\n%s", name, legation_scenario_errmsg(sc));
    CHECK_EQ_INT(st, LEGATION_OK);
    CHECK_EQ_STR(legation_scenario_name(sc), name);
    CHECK_EQ_STR(legation_scenario_title(sc), legation_builtin_title(i));
    /* as a base, with one override */
    legation_scenario *b = legation_scenario_new();
    char text[200];
    snprintf(text, sizeof text, "base: %s\nhorizon: 7\n", name);
    CHECK_EQ_INT(legation_scenario_load_string(b, text, strlen(text), "over"), LEGATION_OK);
    CHECK_DBL(pval(b, "horizon"), 7);
    CHECK_EQ_STR(legation_scenario_state_name(b, 0), legation_scenario_state_name(sc, 0));
    CHECK_EQ_STR(legation_scenario_state_name(b, 1), legation_scenario_state_name(sc, 1));
    CHECK_EQ_INT(legation_deal_count(b), legation_deal_count(sc));
    legation_scenario_free(b);
  }
  CHECK_EQ_INT(legation_scenario_load_builtin(sc, "no-such-builtin"), LEGATION_ENOTFOUND);
  CHECK_EQ_STR(legation_scenario_errmsg(sc),
            "builtin: expected the name of a built-in scenario, found \"no-such-builtin\"\n");
  legation_scenario_free(sc);
}

/* Empty input and a comment-only file: the names are still required; with
 * them, an empty-valued scenario keeps the current values. */
static void t_empty(void) {
  legation_scenario *sc = legation_scenario_new();
  CHECK_EQ_INT(legation_scenario_load_string(sc, "", 0, "e.yaml"), LEGATION_ESCHEMA);
  CHECK_EQ_INT(legation_scenario_error_count(sc), 2);
  CHECK_EQ_INT(legation_scenario_load_string(sc, NULL, 0, "e.yaml"), LEGATION_ESCHEMA);
  CHECK_EQ_INT(legation_scenario_load_string(sc, "# only a comment\n", 17, "e.yaml"), LEGATION_ESCHEMA);
  CHECK_EQ_INT(legation_scenario_load_string(NULL, "", 0, "e.yaml"), LEGATION_EINVAL);
  CHECK_EQ_INT(legation_scenario_load_file(sc, NULL), LEGATION_EINVAL);
  legation_scenario_free(sc);
}

/* The files in tests/scenarios (also the fuzzing seeds). */
static void t_fixtures(void) {
  static const struct {
    const char *file;
    legation_status status;
    int errors;
  } fx[] = {
      {"good-full.yaml", LEGATION_OK, 0},
      {"good-variant.yaml", LEGATION_OK, 0},
      {"bad-many.yaml", LEGATION_ESCHEMA, 8},
      {"bad-alias.yaml", LEGATION_ESCHEMA, 2},
  };
  const char *root = getenv("LEGATION_SOURCE_DIR");
  if (!root) root = LEGATION_SOURCE_DIR_DEFAULT; /* when run by hand */
  char path[512];
  for (size_t i = 0; i < sizeof fx / sizeof fx[0]; i++) {
    legation_scenario *sc = legation_scenario_new();
    snprintf(path, sizeof path, "%s/tests/scenarios/%s", root ? root : ".", fx[i].file);
    legation_status st = legation_scenario_load_file(sc, path);
    if (st != fx[i].status) fprintf(stderr, "  %s:\n%s", path, legation_scenario_errmsg(sc));
    CHECK_EQ_INT(st, fx[i].status);
    CHECK_EQ_INT(legation_scenario_error_count(sc), fx[i].errors);
    legation_scenario_free(sc);
  }
  legation_scenario *sc = legation_scenario_new();
  snprintf(path, sizeof path, "%s/tests/scenarios/good-variant.yaml", root ? root : ".");
  CHECK_EQ_INT(legation_scenario_load_file(sc, path), LEGATION_OK);
  CHECK_EQ_STR(legation_scenario_name(sc), "good-variant");
  CHECK_EQ_STR(legation_scenario_title(sc), "Fixture: readmit 50 each way");
  CHECK_EQ_INT(legation_deal_count(sc), 1);
  legation_scenario_free(sc);
}

/* ------------------------------------------------------------ the table */

static const check_case fn_cases[] = {
    {"full", t_full},
    {"default_names", t_default_names},
    {"file_base", t_file_base},
    {"base_not_found", t_base_not_found},
    {"base_cycle", t_base_cycle},
    {"base_depth", t_base_depth},
    {"unreadable", t_unreadable},
    {"too_large", t_too_large},
    {"error_cap", t_error_cap},
    {"failed_load_unchanged", t_failed_load_unchanged},
    {"set", t_set},
    {"state_names", t_state_names},
    {"stored_files", t_stored_files},
    {"builtins", t_builtins},
    {"empty", t_empty},
    {"fixtures", t_fixtures},
};
enum { NFN = sizeof fn_cases / sizeof fn_cases[0] };

int main(int argc, char **argv) {
  static check_case all[NFN + NBAD + 1];
  static char names[NBAD][64];
  for (int i = 0; i < NFN; i++) all[i] = fn_cases[i];
  for (int i = 0; i < NBAD; i++) {
    snprintf(names[i], sizeof names[i], "bad_%s", bad_cases[i].name);
    all[NFN + i] = (check_case){names[i], t_bad};
  }
  selected = argc > 1 ? argv[1] : NULL;
  snprintf(tmpdir, sizeof tmpdir, "/tmp/legation-test-XXXXXX");
  if (!mkdtemp(tmpdir)) {
    perror("mkdtemp");
    return 1;
  }
  int rc = check_main(all, argc, argv);
  rmdir(tmpdir);
  return rc;
}
