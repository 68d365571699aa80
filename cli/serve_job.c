/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * serve_job.c - the request side of `legation serve` that needs no HTTP:
 * a job request parsed and checked from JSON, uploaded YAML loaded without
 * touching the file system, and the run a job asks for.  Kept apart from
 * cmd_serve.c so that fuzz/fuzz_serve.c can drive it alone.
 */
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve.h"

static int fail(char *err, size_t n, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static int fail(char *err, size_t n, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  if (n) vsnprintf(err, n, fmt, ap);
  va_end(ap);
  return -1;
}

static char *dup_str(const char *s, size_t len) {
  char *d = malloc(len + 1);
  if (d) {
    memcpy(d, s, len);
    d[len] = 0;
  }
  return d;
}

void serve_spec_free(serve_spec *s) {
  if (!s) return;
  free(s->scenario);
  free(s->yaml);
  for (int i = 0; i < s->noptions; i++) free(s->options[i]);
  free(s->options);
  for (int i = 0; i < s->nsets; i++) free(s->keys[i]), free(s->vals[i]);
  for (int i = 0; i < s->nvary; i++) free((char *)s->vary[i].key);
  free(s->params);
  free(s->groups);
  free(s->where);
  free(s->targets);
  free(s->keys);
  free(s->vals);
  memset(s, 0, sizeof *s);
}

/* A built-in's name: a short string the library knows. */
static int builtin_ok(const json_t *v) {
  return json_is_string(v) && json_string_length(v) < 64 &&
         strlen(json_string_value(v)) == json_string_length(v) &&
         legation_builtin_text(json_string_value(v)) != NULL;
}

/* One entry of "vary": {"key": K, "lo": X, "hi": Y, "levels": N}, lo and
 * hi both or neither (the plausible range).  0, or -1 with err. */
static int vary_entry(const json_t *e, size_t i, legation_sweep_key *k, char *err, size_t errn) {
  const json_t *key = json_object_get(e, "key"), *lo = json_object_get(e, "lo"),
               *hi = json_object_get(e, "hi"), *lv = json_object_get(e, "levels");
  if (!json_is_object(e) || !json_is_string(key) || json_string_length(key) == 0 ||
      json_string_length(key) > 200 ||
      strlen(json_string_value(key)) != json_string_length(key))
    return fail(err, errn, "vary[%zu]: expected {\"key\": a parameter key, \"lo\": number, "
                "\"hi\": number, \"levels\": integer}", i);
  const char *f;
  json_t *x;
  json_object_foreach((json_t *)e, f, x) {
    if (strcmp(f, "key") && strcmp(f, "lo") && strcmp(f, "hi") && strcmp(f, "levels"))
      return fail(err, errn, "vary[%zu]: %.60s: unknown field (expected key, lo, hi, levels)", i,
                  f);
  }
  if (!lo != !hi || (lo && (!json_is_number(lo) || !json_is_number(hi))))
    return fail(err, errn, "vary[%zu]: expected lo and hi as numbers, or neither (the "
                "plausible range)", i);
  if (lv && (!json_is_integer(lv) || json_integer_value(lv) < 1 ||
             json_integer_value(lv) > SERVE_MAX_POINTS))
    return fail(err, errn, "vary[%zu]: levels: expected an integer from 1 to %d", i,
                SERVE_MAX_POINTS);
  k->key = dup_str(json_string_value(key), json_string_length(key));
  if (!k->key) return fail(err, errn, "out of memory");
  k->lo = lo ? json_number_value(lo) : NAN;
  k->hi = hi ? json_number_value(hi) : NAN;
  k->levels = lv ? (int)json_integer_value(lv) : 0;
  return 0;
}

/* The value of a "set" entry as the text legation_scenario_set parses. */
static char *set_text(const json_t *v) {
  char buf[64];
  if (json_is_string(v)) {
    if (strlen(json_string_value(v)) != json_string_length(v)) return NULL; /* NUL inside */
    return dup_str(json_string_value(v), json_string_length(v));
  }
  if (json_is_integer(v)) {
    snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
  } else if (json_is_real(v)) {
    snprintf(buf, sizeof buf, "%.17g", json_real_value(v));
  } else if (json_is_boolean(v)) {
    snprintf(buf, sizeof buf, "%s", json_is_true(v) ? "true" : "false");
  } else {
    return NULL;
  }
  return dup_str(buf, strlen(buf));
}

/* A name of a study's params or groups: text without the separators of
 * the groups file (',', ':', '#', line breaks), at most 200 bytes. */
static int name_ok(const json_t *v) {
  return json_is_string(v) && json_string_length(v) > 0 && json_string_length(v) <= 200 &&
         strlen(json_string_value(v)) == json_string_length(v) &&
         !strpbrk(json_string_value(v), ",:#\r\n");
}

/* A growing string (NULL on OOM: then freed). */
static char *append(char *s, size_t *len, const char *add) {
  size_t n = strlen(add);
  char *r = realloc(s, *len + n + 1);
  if (!r) {
    free(s);
    return NULL;
  }
  memcpy(r + *len, add, n + 1);
  *len += n;
  return r;
}

/* "params": a list of parameter keys into "K,K,...".  0, or -1 with err. */
static int params_field(const json_t *v, char **out, char *err, size_t errn) {
  if (!json_is_array(v) || json_array_size(v) < 1 ||
      json_array_size(v) > LEGATION_STUDY_MAX_FACTORS)
    return fail(err, errn, "params: expected a list of 1 to %d parameter keys",
                LEGATION_STUDY_MAX_FACTORS);
  size_t i, len = 0;
  json_t *k;
  char *s = NULL;
  json_array_foreach(v, i, k) {
    if (!name_ok(k)) {
      free(s);
      return fail(err, errn, "params[%zu]: expected a parameter key", i);
    }
    if ((i && !(s = append(s, &len, ","))) || !(s = append(s, &len, json_string_value(k))))
      return fail(err, errn, "out of memory");
  }
  *out = s;
  return 0;
}

/* "groups": the groups file's text, or a list of {"name": N, "factors":
 * [K, ...]} made into that text.  0, or -1 with err. */
static int groups_field(const json_t *v, char **out, char *err, size_t errn) {
  if (json_is_string(v)) {
    if (json_string_length(v) > SERVE_MAX_GROUPS_TEXT ||
        strlen(json_string_value(v)) != json_string_length(v))
      return fail(err, errn, "groups: expected at most %d bytes of text", SERVE_MAX_GROUPS_TEXT);
    *out = dup_str(json_string_value(v), json_string_length(v));
    return *out ? 0 : fail(err, errn, "out of memory");
  }
  if (!json_is_array(v) || json_array_size(v) < 1 ||
      json_array_size(v) > LEGATION_STUDY_MAX_FACTORS)
    return fail(err, errn, "groups: expected the groups as text (\"NAME: factor, factor\" "
                "lines) or a list of {\"name\": NAME, \"factors\": [KEY, ...]}");
  size_t i, len = 0;
  json_t *g;
  char *s = NULL;
  json_array_foreach(v, i, g) {
    const json_t *name = json_object_get(g, "name"), *fs = json_object_get(g, "factors");
    if (!json_is_object(g) || json_object_size(g) != 2 || !name_ok(name) || !json_is_array(fs) ||
        json_array_size(fs) < 1 || json_array_size(fs) > LEGATION_STUDY_MAX_FACTORS) {
      free(s);
      return fail(err, errn, "groups[%zu]: expected {\"name\": a name, \"factors\": [a "
                  "parameter key, ...]}", i);
    }
    if (!(s = append(s, &len, json_string_value(name))) || !(s = append(s, &len, ":")))
      return fail(err, errn, "out of memory");
    size_t j;
    json_t *f;
    json_array_foreach(fs, j, f) {
      if (!name_ok(f)) {
        free(s);
        return fail(err, errn, "groups[%zu].factors[%zu]: expected a parameter key", i, j);
      }
      if (!(s = append(s, &len, j ? ", " : " ")) || !(s = append(s, &len, json_string_value(f))))
        return fail(err, errn, "out of memory");
    }
    if (!(s = append(s, &len, "\n"))) return fail(err, errn, "out of memory");
    if (len > SERVE_MAX_GROUPS_TEXT) {
      free(s);
      return fail(err, errn, "groups: more than %d bytes", SERVE_MAX_GROUPS_TEXT);
    }
  }
  *out = s;
  return 0;
}

/* An integer field from lo to hi.  0, or -1 with err. */
static int int_field(const json_t *v, const char *name, int64_t lo, int64_t hi, int64_t *out,
                     char *err, size_t errn) {
  if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
    return fail(err, errn, "%s: expected an integer from %lld to %lld", name, (long long)lo,
                (long long)hi);
  *out = json_integer_value(v);
  return 0;
}

int serve_parse_job(const char *body, size_t len, serve_spec *out, char *err, size_t errn) {
  memset(out, 0, sizeof *out);
  out->reps = 1000;
  out->seed = 1;
  out->design = -1;
  json_error_t je;
  out->threshold = -1;
  out->min_tolerance = out->min_acceptance = NAN;
  const char *study_only = NULL; /* the first field only a study takes */
  int option_given = 0, options_given = 0;
  json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
  if (!root)
    return fail(err, errn, "malformed JSON at line %d, column %d: %s", je.line, je.column,
                je.text);
  int rc = -1;
  if (!json_is_object(root)) {
    fail(err, errn, "expected a JSON object");
    goto done;
  }
  const char *key;
  json_t *v;
  json_object_foreach(root, key, v) {
    if (strcmp(key, "scenario") == 0) {
      if (!builtin_ok(v)) {
        fail(err, errn, "scenario: expected the name of a built-in scenario (GET /api/scenarios)");
        goto done;
      }
      out->scenario = dup_str(json_string_value(v), json_string_length(v));
      if (!out->scenario) goto oom;
    } else if (strcmp(key, "yaml") == 0) {
      if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v)) {
        fail(err, errn, "yaml: expected the text of a scenario");
        goto done;
      }
      out->yaml_len = json_string_length(v);
      out->yaml = dup_str(json_string_value(v), out->yaml_len);
      if (!out->yaml) goto oom;
    } else if (strcmp(key, "options") == 0) {
      options_given = 1;
      if (option_given) continue; /* refused below */
      if (!json_is_array(v) || json_array_size(v) > SERVE_MAX_OPTIONS) {
        fail(err, errn, "options: expected a list of at most %d built-in scenario names",
             SERVE_MAX_OPTIONS);
        goto done;
      }
      out->options = calloc(json_array_size(v) + 1, sizeof *out->options);
      if (!out->options) goto oom;
      size_t i;
      json_t *o;
      json_array_foreach(v, i, o) {
        if (!builtin_ok(o)) {
          fail(err, errn, "options[%zu]: expected the name of a built-in scenario", i);
          goto done;
        }
        out->options[out->noptions] = dup_str(json_string_value(o), json_string_length(o));
        if (!out->options[out->noptions]) goto oom;
        out->noptions++;
      }
    } else if (strcmp(key, "reps") == 0) {
      if (!json_is_integer(v) || json_integer_value(v) < 1 ||
          json_integer_value(v) > SERVE_MAX_REPS) {
        fail(err, errn, "reps: expected an integer from 1 to %d", SERVE_MAX_REPS);
        goto done;
      }
      out->reps = json_integer_value(v);
      out->reps_given = 1;
    } else if (strcmp(key, "seed") == 0) {
      if (!json_is_integer(v) || json_integer_value(v) < 0) {
        fail(err, errn, "seed: expected an integer from 0 to %lld", (long long)INT64_MAX);
        goto done;
      }
      out->seed = (uint64_t)json_integer_value(v);
    } else if (strcmp(key, "uncertain") == 0) {
      if (!json_is_boolean(v)) {
        fail(err, errn, "uncertain: expected true or false");
        goto done;
      }
      out->uncertain = json_is_true(v);
    } else if (strcmp(key, "vary") == 0) {
      if (!json_is_array(v) || json_array_size(v) < 1 || json_array_size(v) > SERVE_MAX_VARY) {
        fail(err, errn, "vary: expected a list of 1 to %d parameters to sweep", SERVE_MAX_VARY);
        goto done;
      }
      size_t i;
      json_t *e;
      json_array_foreach(v, i, e) {
        if (vary_entry(e, i, &out->vary[out->nvary], err, errn) != 0) goto done;
        out->nvary++;
      }
    } else if (strcmp(key, "design") == 0) {
      static const char *const dn[] = {"grid", "lhs", "sobol"};
      for (int d = 0; d < 3 && json_is_string(v); d++)
        if (strcmp(json_string_value(v), dn[d]) == 0) out->design = d;
      if (out->design < 0) {
        fail(err, errn, "design: expected grid, lhs or sobol");
        goto done;
      }
    } else if (strcmp(key, "points") == 0) {
      if (!json_is_integer(v) || json_integer_value(v) < 1 ||
          json_integer_value(v) > SERVE_MAX_POINTS) {
        fail(err, errn, "points: expected an integer from 1 to %d", SERVE_MAX_POINTS);
        goto done;
      }
      out->points = json_integer_value(v);
    } else if (strcmp(key, "set") == 0) {
      if (!json_is_object(v) || json_object_size(v) > SERVE_MAX_SETS) {
        fail(err, errn, "set: expected an object of at most %d \"key\": value pairs",
             SERVE_MAX_SETS);
        goto done;
      }
      size_t n = json_object_size(v);
      out->keys = calloc(n + 1, sizeof *out->keys);
      out->vals = calloc(n + 1, sizeof *out->vals);
      if (!out->keys || !out->vals) goto oom;
      const char *k;
      json_t *x;
      json_object_foreach(v, k, x) {
        char *val = set_text(x);
        if (!val || !*k || strlen(k) > 200) {
          free(val);
          fail(err, errn, "set: %.60s: expected a string, number or boolean for a parameter key",
               *k ? k : "\"\"");
          goto done;
        }
        out->keys[out->nsets] = dup_str(k, strlen(k));
        out->vals[out->nsets] = val;
        if (!out->keys[out->nsets]) {
          free(val);
          goto oom;
        }
        out->nsets++;
      }
    } else if (strcmp(key, "study") == 0) {
      const char *w = json_is_string(v) ? json_string_value(v) : "";
      out->study = strcmp(w, "sensitivity") == 0 ? SERVE_SENSITIVITY
                   : strcmp(w, "discover") == 0  ? SERVE_DISCOVER
                   : strcmp(w, "calibrate") == 0 ? SERVE_CALIBRATE
                                                 : SERVE_NO_STUDY;
      if (!out->study) {
        fail(err, errn, "study: expected sensitivity, discover or calibrate");
        goto done;
      }
    } else if (strcmp(key, "method") == 0) {
      const char *w = json_is_string(v) ? json_string_value(v) : "";
      if (strcmp(w, "sobol") && strcmp(w, "morris")) {
        fail(err, errn, "method: expected sobol or morris");
        goto done;
      }
      out->morris = strcmp(w, "morris") == 0;
      study_only = study_only ? study_only : "method";
    } else if (strcmp(key, "params") == 0) {
      if (params_field(v, &out->params, err, errn) != 0) goto done;
      study_only = study_only ? study_only : "params";
    } else if (strcmp(key, "groups") == 0) {
      if (groups_field(v, &out->groups, err, errn) != 0) goto done;
      study_only = study_only ? study_only : "groups";
    } else if (strcmp(key, "n") == 0) {
      if (int_field(v, "n", 2, 1000000, &out->n, err, errn) != 0) goto done;
      study_only = study_only ? study_only : "n";
    } else if (strcmp(key, "levels") == 0) {
      if (int_field(v, "levels", 2, 1000, &out->levels, err, errn) != 0) goto done;
      if (out->levels % 2) {
        fail(err, errn, "levels: expected an even number from 2 to 1000");
        goto done;
      }
      study_only = study_only ? study_only : "levels";
    } else if (strcmp(key, "where") == 0) {
      if (!json_is_string(v) || json_string_length(v) < 1 || json_string_length(v) > 200 ||
          strlen(json_string_value(v)) != json_string_length(v)) {
        fail(err, errn, "where: expected a condition \"OUTPUT OP NUMBER\" (OP one of < <= > >=)");
        goto done;
      }
      out->where = dup_str(json_string_value(v), json_string_length(v));
      if (!out->where) goto oom;
      study_only = study_only ? study_only : "where";
    } else if (strcmp(key, "threshold") == 0) {
      if (!json_is_number(v) || !(json_number_value(v) >= 0) || json_number_value(v) > 1) {
        fail(err, errn, "threshold: expected a number from 0 to 1");
        goto done;
      }
      out->threshold = json_number_value(v);
      study_only = study_only ? study_only : "threshold";
    } else if (strcmp(key, "targets") == 0) {
      if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v)) {
        fail(err, errn, "targets: expected the text of a targets file (docs/TARGETS.md)");
        goto done;
      }
      out->targets = dup_str(json_string_value(v), json_string_length(v));
      if (!out->targets) goto oom;
      study_only = study_only ? study_only : "targets";
    } else if (strcmp(key, "particles") == 0) {
      if (int_field(v, "particles", 2, SERVE_MAX_PARTICLES, &out->particles, err, errn) != 0)
        goto done;
      study_only = study_only ? study_only : "particles";
    } else if (strcmp(key, "generations") == 0) {
      if (int_field(v, "generations", 1, SERVE_MAX_GENERATIONS, &out->generations, err, errn) !=
          0)
        goto done;
      study_only = study_only ? study_only : "generations";
    } else if (strcmp(key, "min_tolerance") == 0 || strcmp(key, "min_acceptance") == 0) {
      if (!json_is_number(v)) {
        fail(err, errn, "%s: expected a number", key);
        goto done;
      }
      *(key[4] == 't' ? &out->min_tolerance : &out->min_acceptance) = json_number_value(v);
      study_only = study_only ? study_only : key[4] == 't' ? "min_tolerance" : "min_acceptance";
    } else if (strcmp(key, "option") == 0) {
      if (!builtin_ok(v)) {
        fail(err, errn, "option: expected the name of a built-in scenario");
        goto done;
      }
      if (!out->options && !(out->options = calloc(2, sizeof *out->options))) goto oom;
      option_given = 1;
      study_only = study_only ? study_only : "option";
      if (out->noptions) continue; /* "options" given too: refused below */
      out->options[0] = dup_str(json_string_value(v), json_string_length(v));
      if (!out->options[0]) goto oom;
      out->noptions = 1;
    } else {
      fail(err, errn, "%.60s: unknown field (expected scenario, yaml, options, reps, seed, "
           "uncertain, set, vary, design, points, study, method, params, groups, n, levels, "
           "option, where, threshold, targets, particles, generations, min_tolerance, "
           "min_acceptance)", key);
      goto done;
    }
  }
  if (!out->scenario == !out->yaml) {
    fail(err, errn, "expected one of scenario (a built-in name) and yaml (a scenario's text)");
    goto done;
  }
  if (option_given && options_given) {
    fail(err, errn, "option and options: a study takes one option, a comparison options");
    goto done;
  }
  if (study_only && !out->study) {
    fail(err, errn, "%s is for a study: give study (sensitivity or discover) too", study_only);
    goto done;
  }
  int calib_field = out->targets || out->particles || out->generations ||
                    !isnan(out->min_tolerance) || !isnan(out->min_acceptance);
  if (out->study == SERVE_CALIBRATE) {
    const char *bad = out->nvary ? "vary" : out->design >= 0 ? "design" : options_given ? "options"
                      : out->noptions ? "option" : out->morris ? "method" : out->groups ? "groups"
                      : out->n ? "n" : out->levels ? "levels" : out->where ? "where"
                      : out->points ? "points" : out->threshold >= 0 ? "threshold"
                      : out->reps_given ? "reps" : NULL;
    if (bad) {
      fail(err, errn, "%s: not a field of a calibration", bad);
      goto done;
    }
    if (!out->targets) {
      fail(err, errn, "targets: a calibration needs its targets (the text of a targets file)");
      goto done;
    }
    if (!out->params == !out->uncertain) {
      fail(err, errn, "a calibration needs the parameters to calibrate: params, or uncertain "
           "true (not both)");
      goto done;
    }
    out->reps = 1; /* one replication per point, as `legation calibrate` */
    rc = 0;
    goto done;
  }
  if (out->study && calib_field) {
    fail(err, errn, "%s: a field of a calibration (study calibrate)",
         out->targets ? "targets" : out->particles ? "particles" : out->generations ? "generations"
         : !isnan(out->min_tolerance) ? "min_tolerance" : "min_acceptance");
    goto done;
  }
  if (out->study) {
    const char *bad = out->nvary ? "vary" : out->design >= 0 ? "design" : options_given ? "options" : NULL;
    if (out->study == SERVE_SENSITIVITY && !bad)
      bad = out->where ? "where" : out->points ? "points" : out->threshold >= 0 ? "threshold" : NULL;
    if (out->study == SERVE_DISCOVER && !bad)
      bad = out->morris ? "method" : out->n ? "n" : out->levels ? "levels" : out->groups ? "groups" : NULL;
    if (bad) {
      fail(err, errn, "%s: not a field of a %s study", bad,
           out->study == SERVE_SENSITIVITY ? "sensitivity" : "discover");
      goto done;
    }
    if (out->params && out->uncertain) {
      fail(err, errn, "params and uncertain cannot be combined (uncertain: every uncertain "
           "parameter, the default)");
      goto done;
    }
    if (out->morris && out->groups) {
      fail(err, errn, "groups: groups are for method sobol (Morris effects are per factor)");
      goto done;
    }
    if (!out->morris && out->levels) {
      fail(err, errn, "levels is for method morris");
      goto done;
    }
    if (out->study == SERVE_DISCOVER && !out->where) {
      fail(err, errn, "where: a discovery needs its condition \"OUTPUT OP NUMBER\"");
      goto done;
    }
    if (out->study == SERVE_DISCOVER && out->points && out->points < 20) {
      fail(err, errn, "points: a discovery takes 20 to %d points", SERVE_MAX_POINTS);
      goto done;
    }
    if (out->morris && out->n > 100000) {
      fail(err, errn, "n: expected 2 to 100000 trajectories");
      goto done;
    }
    if (!out->reps_given) out->reps = LEGATION_STUDY_SCENARIO_REPS;
    rc = 0;
    goto done;
  }
  if (!out->nvary && (out->design >= 0 || out->points)) {
    fail(err, errn, "design and points are for a sweep: give vary too");
    goto done;
  }
  if (out->nvary && out->uncertain) {
    fail(err, errn, "vary and uncertain: give one (a sweep sets the parameters it varies)");
    goto done;
  }
  if (out->nvary) {
    if (out->design < 0) out->design = out->nvary <= 2 ? LEGATION_DESIGN_GRID : LEGATION_DESIGN_LHS;
    if (out->design == LEGATION_DESIGN_GRID && out->points) {
      fail(err, errn, "points: a grid's points are set by the levels of each vary entry");
      goto done;
    }
    if (!out->reps_given) out->reps = 100; /* per point, as `legation sweep` */
  }
  rc = 0;
  goto done;
oom:
  fail(err, errn, "out of memory");
done:
  json_decref(root);
  if (rc) serve_spec_free(out);
  return rc;
}

legation_status serve_load_upload(legation_scenario *sc, const char *text, size_t len) {
  int nb = legation_builtin_count();
  legation_scenario_file *files = calloc((size_t)nb + 1, sizeof *files);
  char(*keys)[80] = calloc((size_t)nb + 1, sizeof *keys);
  if (!files || !keys) {
    free(files);
    free(keys);
    return LEGATION_ENOMEM;
  }
  files[0].key = SERVE_UPLOAD_NAME;
  files[0].text = text;
  files[0].len = len;
  int n = 1;
  /* every built-in may be a base; nothing else is among the files */
  for (int i = 0; i < nb; i++) {
    const char *name = legation_builtin_name(i), *t = name ? legation_builtin_text(name) : NULL;
    if (!t) continue;
    snprintf(keys[n], sizeof keys[n], "builtin:%s", name);
    files[n].key = keys[n];
    files[n].text = t;
    files[n].len = strlen(t);
    n++;
  }
  legation_status st = legation_scenario_load_files(sc, files, n);
  free(files);
  free(keys);
  return st;
}

/* msg = prefix + text (malloc'd); never NULL unless out of memory. */
static char *message(const char *prefix, const char *text) {
  size_t a = strlen(prefix), b = text ? strlen(text) : 0;
  char *m = malloc(a + b + 1);
  if (m) {
    memcpy(m, prefix, a);
    if (b) memcpy(m + a, text, b);
    m[a + b] = 0;
  }
  return m;
}

/* Load one scenario of the job (built-in or upload), apply the overrides
 * and check it.  0, or -1 with *msg. */
static int prepare(legation_scenario *sc, const serve_spec *s, const char *builtin, char **msg) {
  legation_status st = builtin ? legation_scenario_load_builtin(sc, builtin)
                               : serve_load_upload(sc, s->yaml, s->yaml_len);
  for (int i = 0; st == LEGATION_OK && i < s->nsets; i++)
    st = legation_scenario_set(sc, s->keys[i], s->vals[i]);
  if (st == LEGATION_OK) st = legation_scenario_validate(sc);
  if (st == LEGATION_OK) return 0;
  const char *e = legation_scenario_errmsg(sc);
  /* an override's message names the CLI's option: "--set: key: ..." is
   * the request's field "set" here */
  if (e && strncmp(e, "--set: ", 7) == 0) e += 2;
  *msg = message("", e && *e ? e : legation_strerror(st));
  return -1;
}

static const char *side(const legation_scenario *sc, int k) {
  const char *n = legation_scenario_state_name(sc, k);
  return n && *n ? n : k ? "B" : "A";
}

int serve_build_run(const serve_spec *s, legation_run **out, char **msg) {
  *out = NULL;
  *msg = NULL;
  legation_scenario *base = legation_scenario_new();
  legation_run *run = NULL;
  int rc = base ? prepare(base, s, s->scenario, msg) : -1;
  if (!rc && !(run = legation_run_new(base))) rc = -1;
  for (int i = 0; !rc && i < s->noptions; i++) {
    legation_scenario *opt = legation_scenario_new();
    if (!opt) {
      rc = -1;
      break;
    }
    rc = prepare(opt, s, s->options[i], msg);
    for (int k = 0; !rc && k < 2; k++)
      if (strcmp(side(base, k), side(opt, k)) != 0) {
        char b[300];
        snprintf(b, sizeof b,
                 "options[%d]: %.63s names state %c '%.40s' but the base names it '%.40s': "
                 "options must keep the base's state names",
                 i, s->options[i], k ? 'B' : 'A', side(opt, k), side(base, k));
        *msg = message(b, "");
        rc = -1;
      }
    if (!rc && legation_run_add_variant(run, opt) < 0) {
      char b[120];
      snprintf(b, sizeof b, "options[%d]: %.63s: ", i, s->options[i]);
      *msg = message(b, legation_run_errmsg(run));
      rc = -1;
    }
    legation_scenario_free(opt);
  }
  legation_scenario_free(base);
  legation_status st = LEGATION_OK;
  /* a sweep's replications are its points x reps (legation_run_sweep) */
  if (!rc && !s->nvary && (st = legation_run_set_reps(run, s->reps)) != LEGATION_OK) rc = -1;
  if (!rc && (st = legation_run_set_seed(run, s->seed)) != LEGATION_OK) rc = -1;
  if (!rc && (st = legation_run_set_threads(run, 1)) != LEGATION_OK) rc = -1;
  /* drawn parameters: every ranged one, 10 replications per world, as
   * `legation run/compare --uncertain` */
  if (!rc && s->uncertain &&
      ((st = legation_run_vary(run, NULL, 0)) != LEGATION_OK ||
       (st = legation_run_set_reps_per_world(run, 10)) != LEGATION_OK))
    rc = -1;
  if (!rc && s->nvary &&
      (st = legation_run_sweep(run, s->vary, s->nvary, (legation_design)s->design,
                               s->points ? s->points : 100, s->reps)) != LEGATION_OK)
    rc = -1;
  legation_design design;
  int64_t npoints = 0;
  if (!rc && s->nvary &&
      legation_run_sweep_spec(run, &design, &npoints, NULL, NULL) == LEGATION_OK &&
      (npoints > SERVE_MAX_POINTS || npoints * s->reps > SERVE_MAX_REPS)) {
    char b[200];
    snprintf(b, sizeof b,
             "vary: %lld points x %lld replications: at most %d points and %d replications "
             "in all",
             (long long)npoints, (long long)s->reps, SERVE_MAX_POINTS, SERVE_MAX_REPS);
    *msg = message(b, "");
    rc = -1;
  }
  if (rc) {
    if (!*msg && run && st != LEGATION_OK) *msg = message("", legation_run_errmsg(run));
    if (*msg && !**msg) {
      free(*msg);
      *msg = NULL;
    }
    if (!*msg) *msg = message("", st != LEGATION_OK ? legation_strerror(st) : "out of memory");
    legation_run_free(run);
    return -1;
  }
  *out = run;
  return 0;
}

/* ------------------------------------------------------------- studies */

const char *serve_study_scenario(const serve_spec *s) {
  return s->scenario ? s->scenario : SERVE_UPLOAD_NAME;
}

int64_t serve_study_points(const serve_spec *s, const legation_study *st) {
  if (s->study == SERVE_DISCOVER) return s->points ? s->points : 2000;
  if (s->morris) return (s->n ? s->n : 20) * (legation_study_factor_count(st) + 1);
  return (s->n ? s->n : 1024) * (legation_study_group_count(st) + 2);
}

int serve_build_study(const serve_spec *s, legation_study **out, legation_scenario **base_out,
                      legation_scenario **option_out, char **msg) {
  *out = NULL;
  *msg = NULL;
  if (base_out) *base_out = NULL;
  if (option_out) *option_out = NULL;
  legation_scenario *base = legation_scenario_new(), *opt = NULL;
  legation_study *st = legation_study_new();
  int rc = base && st ? prepare(base, s, s->scenario, msg) : -1;
  if (!rc && s->noptions) {
    if (!(opt = legation_scenario_new()))
      rc = -1;
    else if (prepare(opt, s, s->options[0], msg) != 0) {
      char b[120];
      snprintf(b, sizeof b, "option: %.63s: ", s->options[0]);
      char *m = message(b, *msg);
      free(*msg);
      *msg = m;
      rc = -1;
    }
  }
  legation_status ls = LEGATION_OK;
  if (!rc) {
    ls = legation_study_use_scenario(st, base, opt, s->params, NULL, serve_study_scenario(s));
    if (ls == LEGATION_OK && s->where) ls = legation_study_check_where(st, s->where);
    if (ls == LEGATION_OK && s->groups)
      ls = legation_study_parse_groups(st, s->groups, strlen(s->groups), "groups");
    if (ls == LEGATION_OK) ls = legation_study_set_seed(st, s->seed);
    if (ls == LEGATION_OK) ls = legation_study_set_reps(st, s->reps);
    if (ls != LEGATION_OK) {
      /* the library's messages name the CLI's options (--params): here
       * they are the request's fields */
      const char *e = legation_study_errmsg(st);
      if (e && strncmp(e, "--", 2) == 0) e += 2;
      *msg = message("", e && *e ? e : legation_strerror(ls));
      rc = -1;
    }
  }
  if (!rc) {
    int64_t np = serve_study_points(s, st);
    if (np > SERVE_MAX_STUDY_RUNS / s->reps) {
      char b[300];
      snprintf(b, sizeof b,
               "the study's design has %lld points x %lld replications: at most %d in all "
               "(fewer params, a smaller n or points, or fewer reps)",
               (long long)np, (long long)s->reps, SERVE_MAX_STUDY_RUNS);
      *msg = message(b, "");
      rc = -1;
    }
  }
  if (rc) {
    if (!*msg) *msg = message("", "out of memory");
    legation_study_free(st);
    legation_scenario_free(base);
    legation_scenario_free(opt);
    return -1;
  }
  *out = st;
  if (base_out)
    *base_out = base;
  else
    legation_scenario_free(base);
  if (option_out)
    *option_out = opt;
  else
    legation_scenario_free(opt);
  return 0;
}

int serve_build_calibration(const serve_spec *s, legation_abc **out, char **msg) {
  *out = NULL;
  *msg = NULL;
  legation_abc *abc = legation_abc_new();
  legation_scenario *sc = legation_scenario_new();
  int rc = abc && sc ? 0 : -1;
  legation_status st = LEGATION_OK;
  const char *what = "";
  if (!rc) {
    what = "particles";
    st = legation_abc_set_particles(abc, s->particles ? s->particles : 1000);
    if (st == LEGATION_OK) what = "generations", st = legation_abc_set_generations(abc, s->generations ? (int)s->generations : 20);
    if (st == LEGATION_OK) what = "seed", st = legation_abc_set_seed(abc, s->seed);
    if (st == LEGATION_OK) what = "threads", st = legation_abc_set_threads(abc, 1);
    if (st == LEGATION_OK && !isnan(s->min_tolerance))
      what = "min_tolerance", st = legation_abc_set_min_tolerance(abc, s->min_tolerance);
    if (st == LEGATION_OK && !isnan(s->min_acceptance))
      what = "min_acceptance", st = legation_abc_set_min_acceptance(abc, s->min_acceptance);
    if (st == LEGATION_OK)
      what = "", st = legation_abc_load_targets(abc, s->targets, strlen(s->targets), "targets");
    if (st != LEGATION_OK) rc = -1;
  }
  if (!rc) rc = prepare(sc, s, s->scenario, msg);
  if (!rc) {
    /* params: "K,K,..." into keys */
    const char *keys[LEGATION_STUDY_MAX_FACTORS];
    int nkeys = 0;
    char *copy = s->params ? dup_str(s->params, strlen(s->params)) : NULL;
    char *save = NULL;
    for (char *k = copy ? strtok_r(copy, ",", &save) : NULL;
         k && nkeys < LEGATION_STUDY_MAX_FACTORS; k = strtok_r(NULL, ",", &save))
      keys[nkeys++] = k;
    if (s->params && !copy) {
      rc = -1;
    } else {
      what = "";
      st = legation_abc_use_scenario(abc, sc, nkeys ? keys : NULL, nkeys, 1);
      if (st != LEGATION_OK) rc = -1;
    }
    free(copy);
  }
  if (rc && !*msg && abc) {
    /* the library's message is "what: expected ..." or the targets' and
     * scenario's own lines */
    const char *e = legation_abc_errmsg(abc);
    if (e && strncmp(e, "--", 2) == 0) e += 2;
    const char *colon = *what && e ? strchr(e, ':') : NULL;
    char b[200];
    snprintf(b, sizeof b, "%s", *what ? what : "");
    *msg = message(colon ? b : "", colon ? colon : e && *e ? e : legation_strerror(st));
  }
  legation_scenario_free(sc);
  if (rc) {
    if (!*msg) *msg = message("", "out of memory");
    legation_abc_free(abc);
    return -1;
  }
  *out = abc;
  return 0;
}
