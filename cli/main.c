/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * main.c - entry point of the legation CLI: picks the command, parses its
 * options by the rows of table.c (checking every argument before the
 * command runs), runs it, and turns a failed write to standard output into
 * the I/O exit code.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* The option row named `name` (long, with its dashes) or short letter `c`
 * that command bit `bit` accepts; NULL if none. */
static const cli_opt *find_opt(unsigned bit, const char *name, size_t len, char c) {
  for (int i = 0; i < cli_nopts; i++) {
    const cli_opt *o = &cli_opts[i];
    if (!(o->cmds & bit)) continue;
    if (c ? o->shortname == c
          : strlen(o->name) == len && strncmp(o->name, name, len) == 0)
      return o;
  }
  return NULL;
}

/* Parse a signed quantity as an unsigned decimal within [lo, hi]. */
static int parse_range(const char *s, uint64_t lo, uint64_t hi, uint64_t *out) {
  uint64_t v;
  if (cli_parse_u64(s, &v) != 0 || v < lo || v > hi) return -1;
  *out = v;
  return 0;
}

/* Check and store the argument of option o; returns 0 or a usage exit. */
static int take_value(cli_args *a, const cli_opt *o, const char *v) {
  uint64_t u = 0;
  switch (o->kind) {
  case CLI_ARG_NONE:
    break;
  case CLI_ARG_COUNT:
    if (parse_range(v, 1, INT64_MAX, &u) != 0)
      return cli_usage_error(a->cmd, "%s: expected a positive integer, found '%s'",
                             o->name, v);
    if (o->id == CLI_OPT_MAX_EVALS) a->max_evals = (int64_t)u;
    else if (o->id == CLI_OPT_PARTICLES) a->particles = (int64_t)u;
    else if (o->id == CLI_OPT_GENERATIONS) a->generations = (int64_t)u;
    else a->reps = (int64_t)u;
    break;
  case CLI_ARG_U64:
    if (cli_parse_u64(v, &u) != 0)
      return cli_usage_error(a->cmd,
                             "%s: expected an integer from 0 to %llu, found '%s'",
                             o->name, (unsigned long long)UINT64_MAX, v);
    a->seed = u;
    break;
  case CLI_ARG_THREADS:
    if (parse_range(v, 0, CLI_MAX_THREADS, &u) != 0)
      return cli_usage_error(a->cmd, "%s: expected an integer from 0 to %d, found '%s'",
                             o->name, CLI_MAX_THREADS, v);
    a->threads = (int)u;
    break;
  case CLI_ARG_MONTHS:
    if (parse_range(v, 1, INT32_MAX, &u) != 0)
      return cli_usage_error(a->cmd, "%s: expected a positive integer, found '%s'",
                             o->name, v);
    a->months = (int64_t)u;
    break;
  case CLI_ARG_KEYVAL: {
    const char *eq = strchr(v, '=');
    if (!eq || eq == v)
      return cli_usage_error(a->cmd, "%s: expected KEY=VALUE, found '%s'", o->name, v);
    a->sets[a->nsets++] = v;
    break;
  }
  case CLI_ARG_PATH:
    if (!*v)
      return cli_usage_error(a->cmd, "%s: expected a file name, found ''", o->name);
    if (o->id == CLI_OPT_EVENTS) a->events = v;
    if (o->id == CLI_OPT_REPORT) a->report = v;
    if (o->id == CLI_OPT_OUTPUT) a->output = v;
    if (o->id == CLI_OPT_DB) a->db = v;
    if (o->id == CLI_OPT_STRATEGIES) a->strategies = v;
    if (o->id == CLI_OPT_UTILITY) a->utility = v;
    if (o->id == CLI_OPT_NFG) a->nfg = v;
    if (o->id == CLI_OPT_TARGETS) a->targets = v;
    if (o->id == CLI_OPT_GROUPS) a->groups = v;
    break;
  /* history (cmd_history.c) */
  case CLI_ARG_TEXT:
    if (!*v) return cli_usage_error(a->cmd, "%s: expected %s, found ''", o->name, o->arg);
    if (o->id == CLI_OPT_PAIR) a->pair = v;
    if (o->id == CLI_OPT_ACTION) a->action = v;
    if (o->id == CLI_OPT_OBJECTIVE) a->objective = v;
    if (o->id == CLI_OPT_ERA) a->era = v;
    if (o->id == CLI_OPT_PARAMS) a->params = v;
    if (o->id == CLI_OPT_WHERE) a->where = v;
    if (o->id == CLI_OPT_BIND) a->bind = v;
    if (o->id == CLI_OPT_PORT) a->port = v;
    if (o->id == CLI_OPT_TOKEN) a->token = v;
    if (o->id == CLI_OPT_LABEL) {
      if (strlen(v) > 200 || strpbrk(v, "\n\r\t"))
        return cli_usage_error(a->cmd, "%s: expected one line of at most 200 characters",
                               o->name);
      a->label = v;
    }
    break;
  case CLI_ARG_YEAR:
    if (parse_range(v, 1, 9999, &u) != 0)
      return cli_usage_error(a->cmd, "%s: expected a year from 1 to 9999, found '%s'",
                             o->name, v);
    if (o->id == CLI_OPT_FROM) a->from = (int)u;
    if (o->id == CLI_OPT_TO) a->to = (int)u;
    break;
  /* results store (cmd_runs.c) */
  case CLI_ARG_ID:
    if (parse_range(v, 1, INT64_MAX, &u) != 0)
      return cli_usage_error(a->cmd, "%s: expected a run id (see 'legation runs'), found '%s'",
                             o->name, v);
    a->resume = (int64_t)u;
    break;
  case CLI_ARG_SECONDS: {
    char *end;
    double x = strtod(v, &end);
    if (!*v || *end || !(x >= 0) || x > 1e6 || strspn(v, "0123456789.") != strlen(v))
      return cli_usage_error(a->cmd, "%s: expected seconds, a number from 0 to 1000000, "
                             "found '%s'", o->name, v);
    a->checkpoint = x;
    break;
  }
  case CLI_ARG_CHOICE: {
    size_t n = strlen(v);
    const char *w = o->arg;
    int ok = 0;
    while (*w && !ok) {
      size_t k = strcspn(w, "|");
      ok = k == n && strncmp(w, v, n) == 0;
      w += k;
      if (*w == '|') w++;
    }
    if (!ok)
      return cli_usage_error(a->cmd, "%s: expected %s, found '%s'", o->name, o->arg, v);
    if (o->id == CLI_OPT_FORMAT) a->format = v;
    if (o->id == CLI_OPT_WHAT) a->what = v;
    if (o->id == CLI_OPT_DESIGN) a->design = v;
    if (o->id == CLI_OPT_SIDE) a->side = v;
    if (o->id == CLI_OPT_METHOD) a->method = v;
    break;
  }
  case CLI_ARG_POSINT:
    if (parse_range(v, 1, INT64_MAX, &u) != 0)
      return cli_usage_error(a->cmd, "%s: expected a positive integer, found '%s'",
                             o->name, v);
    if (o->id == CLI_OPT_REPS_PER_WORLD) a->reps_per_world = (int64_t)u;
    if (o->id == CLI_OPT_POINTS) a->points = (int64_t)u;
    if (o->id == CLI_OPT_POSTERIOR) a->posterior = (int64_t)u;
    if (o->id == CLI_OPT_CHECK) a->check = (int64_t)u;
    if (o->id == CLI_OPT_JOBS) a->jobs = (int64_t)u;
    break;
  /* games and decisions (cmd_game.c) */
  case CLI_ARG_POSREAL: {
    char *end;
    double x = strtod(v, &end);
    if (!*v || *end || !(x > 0) || !isfinite(x) || strspn(v, "0123456789.eE-+") != strlen(v))
      return cli_usage_error(a->cmd, "%s: expected a number > 0, found '%s'", o->name, v);
    a->accuracy = x;
    break;
  }
  case CLI_ARG_LIST:
    if (!*v) return cli_usage_error(a->cmd, "%s: expected %s, found ''", o->name, o->arg);
    if (o->id == CLI_OPT_VARY) a->vary[a->nvary++] = v;
    if (o->id == CLI_OPT_MIN_EFFECT) a->min_effects[a->nmin_effects++] = v;
    if (o->id == CLI_OPT_OPTION) a->options[a->noptions++] = v;
    if (o->id == CLI_OPT_LEVERS) a->levers[a->nlevers++] = v;
    if (o->id == CLI_OPT_CONSTRAINT) a->constraints[a->nconstraints++] = v;
    break;
  /* calibration (cmd_calibrate.c) */
  case CLI_ARG_NUMBER: {
    char *end;
    double x = strtod(v, &end);
    if (!*v || *end || !(x >= 0) || !isfinite(x) ||
        strspn(v, "0123456789.eE+-") != strlen(v) || v[0] == '-' || v[0] == '+')
      return cli_usage_error(a->cmd, "%s: expected a number >= 0, found '%s'", o->name, v);
    if (o->id == CLI_OPT_MIN_TOLERANCE) a->min_tolerance = x;
    if (o->id == CLI_OPT_MIN_ACCEPTANCE) a->min_acceptance = x;
    break;
  }
  /* sensitivity (cmd_sensitivity.c) */
  case CLI_ARG_SIZE:
    if (parse_range(v, 1, INT64_MAX, &u) != 0)
      return cli_usage_error(a->cmd, "%s: expected a positive integer, found '%s'",
                             o->name, v);
    if (o->id == CLI_OPT_N) a->n = (int64_t)u;
    if (o->id == CLI_OPT_POINTS) a->points = (int64_t)u;
    if (o->id == CLI_OPT_BOX) a->box = (int64_t)u;
    if (o->id == CLI_OPT_LEVELS) a->levels = (int64_t)u;
    break;
  case CLI_ARG_SHARE: {
    char *end;
    double x = strtod(v, &end);
    if (!*v || *end || !(x >= 0 && x <= 1) || strspn(v, "0123456789.") != strlen(v))
      return cli_usage_error(a->cmd, "%s: expected a number from 0 to 1, found '%s'",
                             o->name, v);
    a->threshold = x;
    break;
  }
  }
  a->given[o->id]++;
  return 0;
}

/* Parse argv[first..argc) for command a->cmd.  Returns -1 when the command
 * may run, else the exit code (0 after --help). */
static int parse(cli_args *a, int argc, char **argv, int first) {
  int only_pos = 0;
  for (int i = first; i < argc; i++) {
    char *s = argv[i];
    if (only_pos || s[0] != '-' || strcmp(s, "-") == 0) {
      a->pos[a->npos++] = s;
      continue;
    }
    if (strcmp(s, "--") == 0) {
      only_pos = 1;
      continue;
    }
    const cli_opt *o;
    const char *inline_val = NULL;
    if (s[1] == '-') {
      const char *eq = strchr(s, '=');
      size_t len = eq ? (size_t)(eq - s) : strlen(s);
      o = find_opt(a->cmd->bit, s, len, 0);
      if (!o)
        return cli_usage_error(a->cmd, "unknown option '%.*s'", (int)len, s);
      if (eq) inline_val = eq + 1;
    } else {
      o = s[2] == 0 ? find_opt(a->cmd->bit, NULL, 0, s[1]) : NULL;
      if (!o) return cli_usage_error(a->cmd, "unknown option '%s'", s);
    }
    if (o->kind == CLI_ARG_NONE) {
      if (inline_val)
        return cli_usage_error(a->cmd, "option '%s' takes no argument", o->name);
      a->given[o->id]++;
      continue;
    }
    const char *v = inline_val;
    if (!v) {
      if (i + 1 >= argc)
        return cli_usage_error(a->cmd, "option '%s' needs an argument %s", o->name,
                               o->arg);
      v = argv[++i];
    }
    int rc = take_value(a, o, v);
    if (rc) return rc;
  }
  if (a->given[CLI_OPT_HELP]) {
    cli_help(stdout, a->cmd);
    return CLI_EXIT_OK;
  }
  if (a->npos < a->cmd->min_pos)
    return cli_usage_error(a->cmd, "missing operand %s", a->cmd->operands);
  if (a->cmd->max_pos >= 0 && a->npos > a->cmd->max_pos)
    return cli_usage_error(a->cmd, "unexpected argument '%s'", a->pos[a->cmd->max_pos]);
  if (a->given[CLI_OPT_JSON] && a->given[CLI_OPT_CSV])
    return cli_usage_error(a->cmd, "--json and --csv cannot be combined");
  if (a->given[CLI_OPT_JSON] && a->given[CLI_OPT_MARKDOWN])
    return cli_usage_error(a->cmd, "--json and --markdown cannot be combined");
  if (a->events && strcmp(a->events, "-") == 0 &&
      (a->given[CLI_OPT_JSON] || a->given[CLI_OPT_CSV]))
    return cli_usage_error(a->cmd,
                           "--events - cannot share standard output with %s",
                           a->given[CLI_OPT_JSON] ? "--json" : "--csv");
  if (a->report && strcmp(a->report, "-") == 0)
    return cli_usage_error(a->cmd, "--report needs a file name, not '-'");
  return -1;
}

/* Run the command; afterwards a failed flush of stdout (a full disk, a
 * closed pipe) becomes exit 4 unless something worse happened. */
static int finish(int rc) {
  if (fflush(stdout) != 0 || ferror(stdout)) {
    cli_err("error writing standard output: %s", strerror(errno));
    if (rc == CLI_EXIT_OK) rc = CLI_EXIT_IO;
  }
  return rc;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    cli_help(stderr, NULL);
    return CLI_EXIT_USAGE;
  }
  const char *first = argv[1];
  if (strcmp(first, "--help") == 0 || strcmp(first, "-h") == 0) {
    cli_help(stdout, NULL);
    return finish(CLI_EXIT_OK);
  }
  if (strcmp(first, "--version") == 0 || strcmp(first, "-V") == 0) {
    printf("legation %s (library %s)\n", LEGATION_VERSION, legation_version());
    return finish(CLI_EXIT_OK);
  }
  if (first[0] == '-') {
    cli_err("unknown option '%s' (see 'legation --help')", first);
    return CLI_EXIT_USAGE;
  }
  const cli_cmd *c = cli_cmd_find(first);
  if (!c) {
    cli_err("unknown command '%s' (see 'legation --help')", first);
    return CLI_EXIT_USAGE;
  }

  cli_args a;
  memset(&a, 0, sizeof a);
  a.cmd = c;
  a.reps = 2000;
  a.seed = 1;
  a.threads = 0;
  a.checkpoint = -1;
  a.threshold = -1;
  /* argc bounds every array: each argument is at most one of each. */
  const char ***lists[] = {(const char ***)&a.pos, &a.sets, &a.vary, &a.min_effects,
                           &a.options, &a.levers, &a.constraints};
  const size_t nlists = sizeof lists / sizeof lists[0];
  int oom = 0;
  for (size_t i = 0; i < nlists; i++) oom |= !(*lists[i] = calloc((size_t)argc, sizeof(char *)));
  if (oom) {
    for (size_t i = 0; i < nlists; i++) free((void *)*lists[i]);
    cli_err("out of memory");
    return CLI_EXIT_RUN;
  }
  a.particles = 1000;
  a.generations = 20;
  a.min_tolerance = NAN;
  a.min_acceptance = NAN;
  int rc = parse(&a, argc, argv, 2);
  if (rc < 0) rc = c->fn(&a);
  for (size_t i = 0; i < nlists; i++) free((void *)*lists[i]);
  return finish(rc);
}
