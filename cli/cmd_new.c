/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd_new.c - `legation new A-B`: a commented scenario template for a new
 * pair, generated from the parameter table (legation_param_get on the
 * defaults), so that it lists every parameter with its reason and cannot
 * drift from the table.  Behavioural parameters are commented out: the
 * analyst decides them, and `validate`/`run` name the ones left undecided.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

/* A state's display name from the user's word: "us" -> "US", "germany" ->
 * "Germany"; a word with a capital letter is kept as typed. */
static void display_name(char *out, size_t n, const char *w, size_t len) {
  if (len >= n) len = n - 1;
  memcpy(out, w, len);
  out[len] = 0;
  int upper = 0;
  for (size_t i = 0; i < len; i++) upper |= isupper((unsigned char)out[i]);
  if (upper) return;
  if (len <= 3)
    for (size_t i = 0; i < len; i++) out[i] = (char)toupper((unsigned char)out[i]);
  else
    out[0] = (char)toupper((unsigned char)out[0]);
}

/* A YAML double-quoted string body (the table's texts hold no control
 * characters; quotes and backslashes are escaped). */
static void yq(FILE *f, const char *s) {
  fputc('"', f);
  for (; s && *s; s++) {
    if (*s == '"' || *s == '\\') fputc('\\', f);
    fputc(*s, f);
  }
  fputc('"', f);
}

/* One parameter: a comment with what it is and why the default, then the
 * line itself (commented out when behavioural). */
static void param(FILE *f, const legation_param *p, const char *indent, const char *name,
                  int behavioural) {
  char range[160];
  if (p->type == LEGATION_PT_ENUM)
    snprintf(range, sizeof range, "one of %s", p->choices ? p->choices : "");
  else if (p->type == LEGATION_PT_BOOL)
    snprintf(range, sizeof range, "true or false");
  else
    snprintf(range, sizeof range, "%s, [%.10g, %.10g]", p->unit ? p->unit : "", p->min, p->max);
  fprintf(f, "%s# %s%s (%s)\n", indent, behavioural ? "DECIDE: " : "", p->description, range);
  fprintf(f, "%s#   table default %s: %s\n", indent, p->text, p->source ? p->source : "");
  fprintf(f, "%s%s%s: {value: %s, source: ", indent, behavioural ? "# " : "", name, p->text);
  yq(f, behavioural ? "cite the record or say why" : "table default (legation new); cite your own");
  fputs("}\n", f);
}

int cli_cmd_new(const cli_args *a) {
  const char *wa, *wb;
  size_t la, lb;
  if (a->npos == 1) {
    const char *dash = strchr(a->pos[0], '-');
    if (!dash || dash == a->pos[0] || !dash[1]) {
      cli_err("new: expected a pair A-B (e.g. germany-russia) or two names, found '%s'",
              a->pos[0]);
      return CLI_EXIT_USAGE;
    }
    wa = a->pos[0], la = (size_t)(dash - a->pos[0]);
    wb = dash + 1, lb = strlen(wb);
  } else {
    wa = a->pos[0], la = strlen(wa);
    wb = a->pos[1], lb = strlen(wb);
  }
  char na[64], nb[64];
  if (!la || !lb || la > 47 || lb > 47) {
    cli_err("new: expected state names of 1 to 47 characters");
    return CLI_EXIT_USAGE;
  }
  for (size_t i = 0; i < la + lb; i++) {
    unsigned char ch = (unsigned char)(i < la ? wa[i] : wb[i - la]);
    if (ch < 0x20 || ch == '"' || ch == '\\' || ch == 0x7f) {
      cli_err("new: expected state names without control characters, quotes or backslashes");
      return CLI_EXIT_USAGE;
    }
  }
  display_name(na, sizeof na, wa, la);
  display_name(nb, sizeof nb, wb, lb);
  if (strcasecmp(na, nb) == 0) {
    cli_err("new: expected two different states, found '%s' twice", na);
    return CLI_EXIT_USAGE;
  }
  char slug[128];
  snprintf(slug, sizeof slug, "%s-%s", na, nb);
  for (char *q = slug; *q; q++)
    *q = isalnum((unsigned char)*q) ? (char)tolower((unsigned char)*q) : '-';
  const char *names[2] = {na, nb};
  FILE *f = stdout;
  fprintf(f,
          "# %s-%s: a new pair, written by `legation new`.\n"
          "#\n"
          "# Every parameter of the model follows with its description, unit,\n"
          "# range, the table's generic default and the reason for it.  The\n"
          "# defaults are neutral (relations at their baseline, half of the\n"
          "# expulsions answered, identified officers watched rather than\n"
          "# expelled): they describe no real pair.  Lines marked DECIDE are\n"
          "# how each state behaves; they are commented out, and `legation\n"
          "# validate` and `legation run` name those still undecided.  Replace\n"
          "# each value and its source with the record of this pair (see\n"
          "# `legation history --pair` and data/events.csv), or delete a line\n"
          "# to keep the table's default.\n"
          "#\n"
          "# State A = %s, state B = %s.  states.%s is %s as host (its\n"
          "# openness, counterintelligence, answers); missions.%s is %s's\n"
          "# mission in %s.  A state's name (any case) or `short` name works\n"
          "# wherever a or b does, here, in --set keys and in deal targets.\n\n",
          na, nb, na, nb, "a", na, "a", na, nb);
  fprintf(f, "name: %s\ntitle: ", slug);
  char title[256];
  snprintf(title, sizeof title, "%s-%s: status quo (draft from legation new)", na, nb);
  yq(f, title);
  fputs("\n\n", f);
  int np = legation_param_count();
  legation_param p;
  /* global keys, grouped by their first component */
  char group[64] = "";
  for (int i = 0; i < np; i++) {
    if (legation_param_get(NULL, i, &p) != LEGATION_OK) continue;
    if (!strncmp(p.key, "states.", 7) || !strncmp(p.key, "missions.", 9)) continue;
    const char *dot = strchr(p.key, '.');
    int beh = legation_param_behavioural(NULL, i);
    if (!dot) {
      group[0] = 0;
      param(f, &p, "", p.key, beh);
      fputc('\n', f);
      continue;
    }
    size_t gl = (size_t)(dot - p.key);
    if (strlen(group) != gl || strncmp(group, p.key, gl) != 0) {
      snprintf(group, sizeof group, "%.*s", (int)gl, p.key);
      fprintf(f, "%s:\n", group);
    }
    param(f, &p, "  ", dot + 1, beh);
  }
  /* per state, then per mission */
  for (int scope = 0; scope < 2; scope++) {
    fprintf(f, "\n%s:\n", scope ? "missions" : "states");
    for (int s = 0; s < 2; s++) {
      char lower[64];
      snprintf(lower, sizeof lower, "%s", names[s]);
      for (char *q = lower; *q; q++) *q = (char)tolower((unsigned char)*q);
      if (scope == 0)
        fprintf(f, "  %c:   # %s: as host to %s's mission, and how it decides\n", 'a' + s,
                names[s], names[1 - s]);
      else
        fprintf(f, "  %s:   # missions.%c: %s's mission in %s\n", strchr(lower, ' ') ? (s ? "b" : "a") : lower,
                'a' + s, names[s], names[1 - s]);
      char prefix[16];
      snprintf(prefix, sizeof prefix, "%s.%c.", scope ? "missions" : "states", 'a' + s);
      size_t pl = strlen(prefix);
      for (int i = 0; i < np; i++) {
        if (legation_param_get(NULL, i, &p) != LEGATION_OK || strncmp(p.key, prefix, pl) != 0)
          continue;
        const char *k = p.key + pl;
        if (strcmp(k, "name") == 0) {
          fprintf(f, "    name: ");
          yq(f, names[s]);
          fputc('\n', f);
          continue;
        }
        if (strcmp(k, "short") == 0) {
          fprintf(f, "    # %s\n    # short: %.2s\n", p.description, names[s]);
          continue;
        }
        param(f, &p, "    ", k, legation_param_behavioural(NULL, i));
      }
      if (scope == 1)
        fprintf(f,
                "    # Posts (default: one embassy of reach 1); reach multiplies the\n"
                "    # recruiting of officers there, from 0 to 3:\n"
                "    # posts:\n"
                "    #   - {name: \"Embassy\", reach: 1.0, open: true}\n"
                "    #   - {name: \"Consulate\", reach: 1.2, open: false}\n");
    }
  }
  fprintf(f,
          "\n# The deal under study, if any (actions: cap readmit local_staff travel\n"
          "# open_post close_post property operations ci vetting expel; target a,\n"
          "# b, both or a state's name).  Variants of this file say `base:` and\n"
          "# change a few lines.\n"
          "# deal:\n"
          "#   - {month: 3, action: readmit, target: both, value: 20, source: \"proposal\"}\n");
  return CLI_EXIT_OK;
}
