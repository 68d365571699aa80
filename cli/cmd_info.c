/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd_info.c - the commands that describe rather than run: `validate`
 * (check scenario files), `scenarios` (list the built-ins) and `params`
 * (a scenario's resolved parameters and deal, as text, Markdown or JSON).
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* ------------------------------------------------------------ tables */

/* Rows of text cells printed in aligned columns (the last column is not
 * padded), or as a GitHub Markdown table. */
typedef struct table {
  int ncols, nrows, cap;
  char **cells; /* nrows * ncols, owned */
  int failed;   /* out of memory while adding */
} table;

static void table_init(table *t, int ncols) {
  memset(t, 0, sizeof *t);
  t->ncols = ncols;
}

static void table_free(table *t) {
  for (int i = 0; i < t->nrows * t->ncols; i++) free(t->cells[i]);
  free(t->cells);
  memset(t, 0, sizeof *t);
}

/* Append a row of t->ncols strings (NULL = empty). */
static void table_add(table *t, const char *const *row) {
  if (t->failed) return;
  if (t->nrows == t->cap) {
    int cap = t->cap ? 2 * t->cap : 32;
    char **c = realloc(t->cells, (size_t)cap * (size_t)t->ncols * sizeof *c);
    if (!c) {
      t->failed = 1;
      return;
    }
    t->cells = c;
    t->cap = cap;
  }
  char **dst = t->cells + (size_t)t->nrows * (size_t)t->ncols;
  for (int k = 0; k < t->ncols; k++) {
    const char *s = row[k] ? row[k] : "";
    dst[k] = malloc(strlen(s) + 1);
    if (!dst[k]) {
      for (int j = 0; j < k; j++) free(dst[j]);
      t->failed = 1;
      return;
    }
    strcpy(dst[k], s);
  }
  t->nrows++;
}

static void table_print(FILE *f, const table *t, const char *indent) {
  int width[16] = {0};
  for (int r = 0; r < t->nrows; r++)
    for (int k = 0; k < t->ncols && k < 16; k++) {
      int w = (int)strlen(t->cells[r * t->ncols + k]);
      if (w > width[k]) width[k] = w;
    }
  for (int r = 0; r < t->nrows; r++) {
    fputs(indent, f);
    for (int k = 0; k < t->ncols; k++) {
      const char *s = t->cells[r * t->ncols + k];
      if (k == t->ncols - 1)
        fputs(s, f);
      else
        fprintf(f, "%-*s  ", width[k < 16 ? k : 15], s);
    }
    fputc('\n', f);
  }
}

static void md_cell(FILE *f, const char *s) {
  fputs("| ", f);
  for (; *s; s++) {
    if (*s == '|') fputc('\\', f);
    fputc(*s == '\n' ? ' ' : *s, f);
  }
  fputc(' ', f);
}

/* Markdown: the first row is the header. */
static void table_markdown(FILE *f, const table *t) {
  for (int r = 0; r < t->nrows; r++) {
    for (int k = 0; k < t->ncols; k++) md_cell(f, t->cells[r * t->ncols + k]);
    fputs("|\n", f);
    if (r == 0) {
      for (int k = 0; k < t->ncols; k++) fputs("| --- ", f);
      fputs("|\n", f);
    }
  }
}

/* ---------------------------------------------------------- validate */

void cli_warn_table_defaults(const legation_scenario *sc, const char *what) {
  if (legation_scenario_has_base(sc)) return;
  int np = legation_param_count(), n = 0;
  size_t len = 0;
  char *list = NULL;
  for (int i = 0; i < np; i++) {
    legation_param p;
    if (!legation_param_behavioural(sc, i) || !legation_param_from_table(sc, i) ||
        legation_param_get(sc, i, &p) != LEGATION_OK)
      continue;
    size_t kl = strlen(p.key);
    char *m = realloc(list, len + kl + 3);
    if (!m) break; /* out of memory: warn with what we have */
    list = m;
    if (n++) memcpy(list + len, ", ", 2), len += 2;
    memcpy(list + len, p.key, kl + 1);
    len += kl;
  }
  if (n)
    cli_err("warning: %s: %d behavioural parameter%s left at the table's generic "
            "default%s; set %s for this pair ('legation new' writes a template): %s",
            what, n, n == 1 ? "" : "s", n == 1 ? "" : "s", n == 1 ? "it" : "them", list);
  free(list);
}

int cli_cmd_validate(const cli_args *a) {
  int failed = 0;
  for (int i = 0; i < a->npos; i++) {
    legation_scenario *sc = legation_scenario_new();
    if (!sc) {
      cli_err("out of memory");
      return CLI_EXIT_RUN;
    }
    int rc = cli_load_scenario(sc, "validate", a->pos[i]);
    if (rc == CLI_EXIT_OK) cli_warn_table_defaults(sc, a->pos[i]);
    if (rc == CLI_EXIT_OK) {
      legation_status st = legation_scenario_validate(sc);
      if (st != LEGATION_OK) {
        const char *msg = legation_scenario_errmsg(sc);
        if (*msg)
          cli_err_lines(msg);
        else
          cli_err("%s: %s", a->pos[i], legation_strerror(st));
        rc = cli_exit_for(st);
      }
    }
    legation_scenario_free(sc);
    if (rc == CLI_EXIT_RUN) return rc; /* out of memory: stop */
    if (rc == CLI_EXIT_OK)
      printf("%s: ok\n", a->pos[i]);
    else
      failed = 1;
  }
  return failed ? CLI_EXIT_DATA : CLI_EXIT_OK;
}

/* --------------------------------------------------------- scenarios */

int cli_cmd_scenarios(const cli_args *a) {
  int n = legation_builtin_count();
  if (a->given[CLI_OPT_JSON]) {
    json_t *arr = json_array();
    int bad = 0;
    for (int i = 0; i < n; i++) {
      json_t *o = json_object();
      bad |= json_object_set_new(o, "name", json_string(legation_builtin_name(i)));
      const char *title = legation_builtin_title(i);
      bad |= json_object_set_new(o, "title", json_string(title ? title : ""));
      bad |= json_array_append_new(arr, o);
    }
    /* A failed write shows in ferror(stdout), which main() reports. */
    if (!bad && json_dumpf(arr, stdout, JSON_INDENT(2)) == 0) putchar('\n');
    json_decref(arr);
    if (bad) {
      cli_err("scenarios: out of memory");
      return CLI_EXIT_RUN;
    }
    return CLI_EXIT_OK;
  }
  table t;
  table_init(&t, 2);
  for (int i = 0; i < n; i++) {
    const char *row[2] = {legation_builtin_name(i), legation_builtin_title(i)};
    table_add(&t, row);
  }
  int rc = CLI_EXIT_OK;
  if (t.failed) {
    cli_err("scenarios: out of memory");
    rc = CLI_EXIT_RUN;
  } else {
    table_print(stdout, &t, "");
  }
  table_free(&t);
  return rc;
}

/* ------------------------------------------------------------ params */

static const char *type_name(legation_param_type t) {
  switch (t) {
  case LEGATION_PT_REAL: return "real";
  case LEGATION_PT_INT: return "int";
  case LEGATION_PT_BOOL: return "bool";
  case LEGATION_PT_ENUM: return "enum";
  case LEGATION_PT_STRING: return "string";
  }
  return "?";
}

/* Allowed values: "[min, max]", enum choices, "true|false". */
static void range_text(char *buf, size_t n, const legation_param *p) {
  switch (p->type) {
  case LEGATION_PT_ENUM:
    snprintf(buf, n, "%s", p->choices ? p->choices : "");
    break;
  case LEGATION_PT_BOOL:
    snprintf(buf, n, "true|false");
    break;
  case LEGATION_PT_STRING:
    snprintf(buf, n, "text");
    break;
  default:
    snprintf(buf, n, "[%.10g, %.10g]", p->min, p->max);
  }
}

/* Plausible range: "-" when the value is taken as known, else
 * "[lo, hi] dist" or "mirror 0.6, parity 0.4" for alternatives. */
static void plausible_text(char *buf, size_t n, const legation_param *p) {
  if (!p->has_range) {
    snprintf(buf, n, "-");
    return;
  }
  if (p->nalternatives > 0) {
    size_t used = 0;
    buf[0] = 0;
    for (int k = 0; k < p->nalternatives && used < n; k++) {
      char word[64];
      if (p->type == LEGATION_PT_BOOL) {
        snprintf(word, sizeof word, "%s", p->alt_value[k] ? "true" : "false");
      } else {
        /* the k-th choice of "a|b|c" */
        const char *c = p->choices ? p->choices : "";
        for (int j = 0; j < (int)p->alt_value[k] && *c; j++) c += strcspn(c, "|") + (c[strcspn(c, "|")] == '|');
        snprintf(word, sizeof word, "%.*s", (int)strcspn(c, "|"), c);
      }
      used += (size_t)snprintf(buf + used, n - used, "%s%s %.3g", k ? ", " : "", word, p->alt_weight[k]);
    }
    return;
  }
  snprintf(buf, n, "[%.10g, %.10g] %s", p->range_lo, p->range_hi, p->dist);
}

/* "always", or the R and P conditions a deal step waits for. */
static void when_text(char *buf, size_t n, const legation_deal_step *d) {
  int r = d->r_min > -1.0, p = d->p_min > 0.0;
  if (!r && !p)
    snprintf(buf, n, "always");
  else if (r && p)
    snprintf(buf, n, "R >= %.10g and P >= %.10g", d->r_min, d->p_min);
  else if (r)
    snprintf(buf, n, "R >= %.10g", d->r_min);
  else
    snprintf(buf, n, "P >= %.10g", d->p_min);
}

/* A number as a JSON integer when it is one (counts, enum indices, most
 * bounds), else a real; null when not finite. */
static json_t *jnumber(double x) {
  if (!isfinite(x)) return json_null();
  if (x == floor(x) && fabs(x) <= 9007199254740992.0) return json_integer((json_int_t)x);
  return json_real(x);
}

static int params_json(const legation_scenario *sc) {
  json_t *root = json_object(), *scen = json_object(), *states = json_array();
  json_t *params = json_array(), *deal = json_array();
  int bad = 0;
  bad |= json_array_append_new(states, json_string(legation_scenario_state_name(sc, 0)));
  bad |= json_array_append_new(states, json_string(legation_scenario_state_name(sc, 1)));
  bad |= json_object_set_new(scen, "name", json_string(legation_scenario_name(sc)));
  bad |= json_object_set_new(scen, "title", json_string(legation_scenario_title(sc)));
  bad |= json_object_set_new(scen, "states", states);
  bad |= json_object_set_new(root, "scenario", scen);
  int np = legation_param_count();
  for (int i = 0; i < np && !bad; i++) {
    legation_param p;
    if (legation_param_get(sc, i, &p) != LEGATION_OK) continue;
    json_t *o = json_object();
    int num = p.type != LEGATION_PT_STRING;
    bad |= json_object_set_new(o, "key", json_string(p.key));
    bad |= json_object_set_new(o, "value", json_string(p.text));
    bad |= json_object_set_new(o, "number", num ? jnumber(p.value) : json_null());
    bad |= json_object_set_new(o, "type", json_string(type_name(p.type)));
    bad |= json_object_set_new(o, "unit", p.unit ? json_string(p.unit) : json_null());
    bad |= json_object_set_new(o, "min", num ? jnumber(p.min) : json_null());
    bad |= json_object_set_new(o, "max", num ? jnumber(p.max) : json_null());
    bad |= json_object_set_new(o, "choices",
                               p.choices ? json_string(p.choices) : json_null());
    bad |= json_object_set_new(o, "default", num ? jnumber(p.default_value) : json_null());
    bad |= json_object_set_new(o, "description",
                               p.description ? json_string(p.description) : json_null());
    bad |= json_object_set_new(o, "source", p.source ? json_string(p.source) : json_null());
    if (p.has_range) {
      json_t *r = json_object();
      bad |= json_object_set_new(r, "dist", json_string(p.dist));
      bad |= json_object_set_new(r, "uncertain", json_boolean(p.uncertain));
      if (p.nalternatives > 0) {
        json_t *alts = json_array();
        for (int k = 0; k < p.nalternatives; k++) {
          json_t *al = json_object();
          json_object_set_new(al, "index", jnumber(p.alt_value[k]));
          json_object_set_new(al, "weight", jnumber(p.alt_weight[k]));
          json_array_append_new(alts, al);
        }
        bad |= json_object_set_new(r, "alternatives", alts);
      } else {
        bad |= json_object_set_new(r, "lo", jnumber(p.range_lo));
        bad |= json_object_set_new(r, "hi", jnumber(p.range_hi));
      }
      bad |= json_object_set_new(o, "plausible", r);
    } else {
      bad |= json_object_set_new(o, "plausible", json_null());
    }
    bad |= json_array_append_new(params, o);
  }
  bad |= json_object_set_new(root, "params", params);
  json_t *posts = json_array();
  for (int s = 0; s < 2 && !bad; s++)
    for (int i = 0; i < legation_post_count(sc, s); i++) {
      legation_post q;
      if (legation_post_get(sc, s, i, &q) != LEGATION_OK) continue;
      json_t *o = json_object();
      bad |= json_object_set_new(o, "mission", json_string(s ? "b" : "a"));
      bad |= json_object_set_new(o, "name", json_string(q.name));
      bad |= json_object_set_new(o, "reach", jnumber(q.reach));
      bad |= json_object_set_new(o, "open", json_boolean(q.open));
      bad |= json_array_append_new(posts, o);
    }
  bad |= json_object_set_new(root, "posts", posts);
  int nd = legation_deal_count(sc);
  for (int i = 0; i < nd && !bad; i++) {
    legation_deal_step d;
    if (legation_deal_get(sc, i, &d) != LEGATION_OK) continue;
    json_t *o = json_object();
    bad |= json_object_set_new(o, "month", json_integer(d.month));
    bad |= json_object_set_new(o, "action", d.action ? json_string(d.action) : json_null());
    bad |= json_object_set_new(o, "target", d.target ? json_string(d.target) : json_null());
    bad |= json_object_set_new(o, "value", jnumber(d.value));
    bad |= json_object_set_new(o, "post", d.post ? json_string(d.post) : json_null());
    bad |= json_object_set_new(o, "r_min", jnumber(d.r_min));
    bad |= json_object_set_new(o, "p_min", jnumber(d.p_min));
    bad |= json_object_set_new(o, "source", d.source ? json_string(d.source) : json_null());
    bad |= json_array_append_new(deal, o);
  }
  bad |= json_object_set_new(root, "deal", deal);
  /* A failed write shows in ferror(stdout), which main() reports. */
  if (!bad && json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                           JSON_REAL_PRECISION(15)) == 0)
    putchar('\n');
  json_decref(root);
  if (bad) {
    cli_err("params: out of memory");
    return CLI_EXIT_RUN;
  }
  return CLI_EXIT_OK;
}

/* `params --uncertain`: only the parameters with a plausible range that
 * varies: key, value, range, distribution and source. */
static int params_uncertain(const legation_scenario *sc, int markdown, int count) {
  table t;
  table_init(&t, 5);
  const char *h[] = {"key", "value", "plausible", "unit", "source"};
  table_add(&t, h);
  for (int i = 0; i < legation_param_count(); i++) {
    legation_param p;
    if (legation_param_get(sc, i, &p) != LEGATION_OK || !p.uncertain) continue;
    char plaus[512];
    plausible_text(plaus, sizeof plaus, &p);
    const char *row[] = {p.key, p.text, plaus, p.unit, p.source};
    table_add(&t, row);
  }
  int rc = CLI_EXIT_OK;
  if (t.failed) {
    cli_err("params: out of memory");
    rc = CLI_EXIT_RUN;
  } else {
    const char *name = legation_scenario_name(sc);
    if (markdown) {
      printf("### Uncertain parameters of %s (%d)\n\n", name && *name ? name : "the scenario", count);
      table_markdown(stdout, &t);
    } else {
      printf("Uncertain parameters of %s: %d (drawn by --uncertain)\n\n",
             name && *name ? name : "the scenario", count);
      if (count) table_print(stdout, &t, "  ");
    }
  }
  table_free(&t);
  return rc;
}

/* Text or Markdown tables of the parameters and the deal. */
static int params_tables(const legation_scenario *sc, int markdown, int only_uncertain) {
  table pt, dt;
  table_init(&pt, markdown ? 7 : 6);
  table_init(&dt, 7);
  if (markdown) {
    const char *h[] = {"key", "value", "unit", "valid", "plausible", "description", "source"};
    table_add(&pt, h);
  } else {
    const char *h[] = {"key", "value", "unit", "valid", "plausible", "source"};
    table_add(&pt, h);
  }
  int np = legation_param_count(), shown = 0;
  for (int i = 0; i < np; i++) {
    legation_param p;
    if (legation_param_get(sc, i, &p) != LEGATION_OK) continue;
    if (only_uncertain && !p.uncertain) continue;
    shown++;
    char range[256], plaus[512];
    range_text(range, sizeof range, &p);
    plausible_text(plaus, sizeof plaus, &p);
    if (markdown) {
      const char *row[] = {p.key, p.text, p.unit, range, plaus, p.description, p.source};
      table_add(&pt, row);
    } else {
      const char *row[] = {p.key, p.text, p.unit, range, plaus, p.source};
      table_add(&pt, row);
    }
  }
  if (only_uncertain) {
    table_free(&pt);
    table_free(&dt);
    return params_uncertain(sc, markdown, shown);
  }
  const char *dh[] = {"month", "action", "target", "value", "post", "when", "source"};
  table_add(&dt, dh);
  int nd = legation_deal_count(sc);
  for (int i = 0; i < nd; i++) {
    legation_deal_step d;
    if (legation_deal_get(sc, i, &d) != LEGATION_OK) continue;
    char month[16], value[32], when[96];
    snprintf(month, sizeof month, "%d", d.month);
    snprintf(value, sizeof value, "%.10g", d.value);
    when_text(when, sizeof when, &d);
    const char *row[] = {month, d.action, d.target, value, d.post, when, d.source};
    table_add(&dt, row);
  }
  /* posts: a list per mission, so not rows of the parameter table */
  table qt;
  table_init(&qt, 4);
  const char *qh[] = {"mission", "post", "reach", "open"};
  table_add(&qt, qh);
  for (int side = 0; side < 2; side++)
    for (int i = 0; i < legation_post_count(sc, side); i++) {
      legation_post q;
      if (legation_post_get(sc, side, i, &q) != LEGATION_OK) continue;
      char reach[32];
      snprintf(reach, sizeof reach, "%.10g", q.reach);
      const char *row[] = {side ? "missions.b" : "missions.a", q.name, reach,
                           q.open ? "yes" : "no"};
      table_add(&qt, row);
    }
  int rc = CLI_EXIT_OK;
  if (pt.failed || dt.failed || qt.failed) {
    cli_err("params: out of memory");
    rc = CLI_EXIT_RUN;
  } else {
    const char *name = legation_scenario_name(sc), *title = legation_scenario_title(sc);
    if (markdown) {
      printf("### Parameters of %s\n\n", name && *name ? name : "the scenario");
      table_markdown(stdout, &pt);
      printf("\n### Posts (missions.X.posts; reach multiplies an officer's recruiting)\n\n");
      table_markdown(stdout, &qt);
      printf("\n### Deal schedule (%d step%s)\n\n", dt.nrows - 1, dt.nrows == 2 ? "" : "s");
      if (dt.nrows > 1) table_markdown(stdout, &dt);
    } else {
      printf("Parameters of %s%s%s%s\n\n", name && *name ? name : "the scenario",
             title && *title ? " (" : "", title ? title : "", title && *title ? ")" : "");
      table_print(stdout, &pt, "  ");
      printf("\nPosts (missions.X.posts; reach multiplies an officer's recruiting)\n\n");
      table_print(stdout, &qt, "  ");
      printf("\nDeal schedule (%d step%s)\n", dt.nrows - 1, dt.nrows == 2 ? "" : "s");
      if (dt.nrows > 1) {
        fputc('\n', stdout);
        table_print(stdout, &dt, "  ");
      }
    }
  }
  table_free(&pt);
  table_free(&qt);
  table_free(&dt);
  table_free(&qt);
  return rc;
}

int cli_cmd_params(const cli_args *a) {
  legation_scenario *sc = legation_scenario_new();
  if (!sc) {
    cli_err("out of memory");
    return CLI_EXIT_RUN;
  }
  int rc = cli_load_scenario(sc, "params", a->npos ? a->pos[0] : NULL);
  if (!rc) rc = cli_apply_sets(sc, "params", a->sets, a->nsets);
  if (!rc) {
    if (a->given[CLI_OPT_JSON])
      rc = params_json(sc);
    else
      rc = params_tables(sc, a->given[CLI_OPT_MARKDOWN] != 0, a->given[CLI_OPT_UNCERTAIN] != 0);
  }
  legation_scenario_free(sc);
  return rc;
}
