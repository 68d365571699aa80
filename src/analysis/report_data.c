/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * report_data.c - what a report shows, as one JSON document for every
 * front end (the CLI's --report and `report`, the server): a finished run,
 * a comparison or stored runs side by side - parameters with sources, deal
 * steps, every output's statistics and paired differences, monthly
 * quantiles of every series, the scorecard's rows and the verdicts
 * (scorecard.c, verdict.c), histograms binned from per-replication values
 * or drawn from the quantiles.  Its shape is documented at the top of
 * web/src/report.js; the page around it is the front end's.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "legation.h"

/* The histogram outputs, by their library names. */
#define NHIST 2
static const char *const hist_outputs[NHIST] = {"balance", "total_expelled"};

/* Above this many kept values (8 bytes each) the histograms are drawn from
 * the quantiles instead: 4e6 values are 32 MB. */
#define REPVALS_MAX 4000000

/* Bins of a histogram drawn from real values (integers get unit bins when
 * their range is narrow enough). */
#define HIST_BINS 40

/* ------------------------------------------------- per-replication values */

struct legation_repvals {
  int nvar;       /* parts (1 for a plain run) */
  int64_t first;  /* replication index of slot 0 */
  int64_t nreps;  /* slots per part and output */
  double *v;      /* [part][hist output][rep]; NaN where not delivered */
};

legation_repvals *legation_repvals_new(int nparts, int64_t first, int64_t nreps) {
  if (nparts < 1 || nreps < 1 || nreps > REPVALS_MAX / NHIST / nparts) return NULL;
  legation_repvals *rv = calloc(1, sizeof *rv);
  size_t n = (size_t)nparts * NHIST * (size_t)nreps;
  if (!rv || !(rv->v = malloc(n * sizeof *rv->v))) {
    free(rv);
    return NULL;
  }
  for (size_t i = 0; i < n; i++) rv->v[i] = NAN;
  rv->nvar = nparts;
  rv->first = first;
  rv->nreps = nreps;
  return rv;
}

void legation_repvals_free(legation_repvals *rv) {
  if (!rv) return;
  free(rv->v);
  free(rv);
}

/* Slot of (part, histogram output, replication). */
static double *slot(const legation_repvals *rv, int v, int h, int64_t k) {
  return rv->v + ((size_t)v * NHIST + (size_t)h) * (size_t)rv->nreps + (size_t)k;
}

int legation_repvals_sink(void *user, int64_t rep, int variant, const double *outputs, int count) {
  legation_repvals *rv = user;
  int64_t k = rep - rv->first;
  if (variant < 0 || variant >= rv->nvar || k < 0 || k >= rv->nreps) return 0;
  for (int h = 0; h < NHIST; h++) {
    int i = legation_output_find(hist_outputs[h]);
    if (i >= 0 && i < count) *slot(rv, variant, h, k) = outputs[i];
  }
  return 0;
}

legation_status legation_repvals_from_run(legation_repvals *rv, const legation_run *run) {
  int64_t done = legation_run_reps_done(run);
  for (int h = 0; h < NHIST; h++) {
    int i = legation_output_find(hist_outputs[h]);
    if (i < 0) continue;
    for (int64_t k = 0; k < rv->nreps && k < done; k++) {
      double x;
      if (legation_run_rep_value(run, rv->first + k, i, &x) == LEGATION_OK)
        *slot(rv, 0, h, k) = x;
    }
  }
  /* a resumed run keeps only this session's replications: then none */
  for (int64_t k = 0; k < rv->nreps; k++)
    if (!isfinite(*slot(rv, 0, 0, k))) return LEGATION_ENOTFOUND;
  return LEGATION_OK;
}

/* legation_store_row_fn filling one part's slots from the "reps" table
 * (run,rep,variant,output,value). */
typedef struct reps_reader {
  legation_repvals *rv;
  int part;      /* slot of this run */
  int col[4];    /* indices of rep, variant, output, value; -1 if absent */
  int64_t rows;  /* values stored */
} reps_reader;

static int on_rep_row(void *user, int ncols, const char *const *names,
                      const legation_store_cell *cells) {
  reps_reader *r = user;
  static const char *const want[4] = {"rep", "variant", "output", "value"};
  if (!cells) { /* the header */
    for (int k = 0; k < 4; k++) {
      r->col[k] = -1;
      for (int c = 0; c < ncols; c++)
        if (strcmp(names[c], want[k]) == 0) r->col[k] = c;
    }
    return 0;
  }
  for (int k = 0; k < 4; k++)
    if (r->col[k] < 0) return 1;
  const legation_store_cell *rep = &cells[r->col[0]], *var = &cells[r->col[1]];
  const legation_store_cell *out = &cells[r->col[2]], *val = &cells[r->col[3]];
  if (rep->type != LEGATION_CELL_INT || var->type != LEGATION_CELL_INT || var->i != 0 ||
      out->type != LEGATION_CELL_TEXT)
    return 0;
  int h = -1;
  for (int k = 0; k < NHIST; k++)
    if (strcmp(out->text, hist_outputs[k]) == 0) h = k;
  if (h < 0) return 0;
  int64_t k = rep->i - r->rv->first;
  if (k < 0 || k >= r->rv->nreps) return 0;
  double x = val->type == LEGATION_CELL_REAL  ? val->r
             : val->type == LEGATION_CELL_INT ? (double)val->i
                                              : NAN;
  *slot(r->rv, r->part, h, k) = x;
  r->rows++;
  return 0;
}

legation_status legation_repvals_load(legation_repvals *rv, int part, legation_store *st,
                                      int64_t id, int64_t *rows) {
  reps_reader r = {rv, part, {-1, -1, -1, -1}, 0};
  if (part < 0 || part >= rv->nvar) return LEGATION_EINVAL;
  legation_status s = legation_store_table(st, id, "reps", on_rep_row, &r);
  if (rows) *rows = r.rows;
  return s;
}

/* --------------------------------------------------------- JSON helpers */

static json_t *json_num(double x) { return isfinite(x) ? json_real(x) : json_null(); }

/* The seed as an exact JSON integer, or a decimal string above INT64_MAX. */
static json_t *json_seed(uint64_t seed) {
  if (seed <= (uint64_t)INT64_MAX) return json_integer((json_int_t)seed);
  char buf[32];
  snprintf(buf, sizeof buf, "%llu", (unsigned long long)seed);
  return json_string(buf);
}

/* o as JSON text into *out (free with legation_free), stealing o: reals
 * with 17 significant digits, so the text reads back as the same doubles. */
static legation_status dump(json_t *o, char **out) {
  *out = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
  json_decref(o);
  return *out ? LEGATION_OK : LEGATION_ENOMEM;
}

static json_t *jstr(const char *s) { return s ? json_string(s) : json_null(); }

/* Set key to value, stealing value; nonzero when either is NULL or the set
 * failed (out of memory), so a chain of calls can OR their results. */
static int put(json_t *o, const char *key, json_t *value) {
  if (!o || !value) {
    json_decref(value);
    return 1;
  }
  return json_object_set_new(o, key, value) != 0;
}

static int push(json_t *a, json_t *value) {
  if (!a || !value) {
    json_decref(value);
    return 1;
  }
  return json_array_append_new(a, value) != 0;
}

static json_t *stat_json(const legation_stat *st) {
  json_t *o = json_object();
  int defined = st->n > 0;
  int bad = put(o, "n", json_integer((json_int_t)st->n));
  bad |= put(o, "mean", json_num(defined ? st->mean : NAN));
  bad |= put(o, "sd", json_num(st->n > 1 ? st->sd : NAN));
  bad |= put(o, "lo", json_num(st->n > 1 ? st->lo : NAN));
  bad |= put(o, "hi", json_num(st->n > 1 ? st->hi : NAN));
  bad |= put(o, "min", json_num(defined ? st->min : NAN));
  bad |= put(o, "max", json_num(defined ? st->max : NAN));
  bad |= put(o, "q05", json_num(defined ? st->q05 : NAN));
  bad |= put(o, "q25", json_num(defined ? st->q25 : NAN));
  bad |= put(o, "q50", json_num(defined ? st->q50 : NAN));
  bad |= put(o, "q75", json_num(defined ? st->q75 : NAN));
  bad |= put(o, "q95", json_num(defined ? st->q95 : NAN));
  if (bad) {
    json_decref(o);
    return NULL;
  }
  return o;
}

static json_t *stats_json(const legation_run *run, int v) {
  json_t *o = json_object();
  int bad = !o;
  int no = legation_output_count();
  for (int i = 0; i < no && !bad; i++) {
    const legation_output_info *info = legation_output_get(i);
    legation_stat st;
    if (!info || legation_run_variant_stat(run, v, i, &st) != LEGATION_OK) continue;
    bad |= put(o, info->name, stat_json(&st));
  }
  if (bad) {
    json_decref(o);
    return NULL;
  }
  return o;
}

static json_t *diffs_json(const legation_run *run, int v) {
  json_t *o = json_object();
  int bad = !o;
  int no = legation_output_count();
  for (int i = 0; i < no && !bad; i++) {
    const legation_output_info *info = legation_output_get(i);
    legation_diff d;
    if (!info || legation_run_diff(run, v, i, &d) != LEGATION_OK) continue;
    json_t *r = json_object();
    int ok = d.paired.n > 1;
    bad |= put(r, "n", json_integer((json_int_t)d.paired.n));
    bad |= put(r, "mean", json_num(d.paired.n > 0 ? d.paired.mean : NAN));
    bad |= put(r, "sd", json_num(ok ? d.paired.sd : NAN));
    bad |= put(r, "lo", json_num(ok ? d.paired.lo : NAN));
    bad |= put(r, "hi", json_num(ok ? d.paired.hi : NAN));
    bad |= put(r, "indep_lo", json_num(ok ? d.indep_lo : NAN));
    bad |= put(r, "indep_hi", json_num(ok ? d.indep_hi : NAN));
    bad |= put(r, "narrowing", json_num(d.narrowing));
    bad |= put(o, info->name, r);
  }
  if (bad) {
    json_decref(o);
    return NULL;
  }
  return o;
}

/* One output across worlds (docs/JSON.md "uncertainty"). */
static json_t *world_json(const legation_world_stat *w) {
  json_t *o = json_object();
  int bad = !o;
  bad |= put(o, "worlds", json_integer((json_int_t)w->worlds));
  bad |= put(o, "mean", json_num(w->across.mean));
  bad |= put(o, "lo", json_num(w->across.lo));
  bad |= put(o, "hi", json_num(w->across.hi));
  bad |= put(o, "q05", json_num(w->across.q05));
  bad |= put(o, "q50", json_num(w->across.q50));
  bad |= put(o, "q95", json_num(w->across.q95));
  bad |= put(o, "sd_across_worlds", json_num(w->across.sd));
  bad |= put(o, "world_sd", json_num(w->world_sd));
  bad |= put(o, "noise_sd", json_num(w->noise_sd));
  bad |= put(o, "noise_lo", json_num(w->noise_lo));
  bad |= put(o, "noise_hi", json_num(w->noise_hi));
  bad |= put(o, "worlds_above_0", json_integer((json_int_t)w->above));
  bad |= put(o, "worlds_below_0", json_integer((json_int_t)w->below));
  if (bad) {
    json_decref(o);
    return NULL;
  }
  return o;
}

/* The drawn parameters and every output of variant v across worlds: its
 * values, or (paired) its paired change against the base. */
static json_t *worlds_json(const legation_run *run, int v, int paired) {
  json_t *o = json_object(), *keys = json_array(), *outs = json_object();
  int bad = !o || !keys || !outs;
  for (int j = 0; j < legation_run_vary_count(run) && !bad; j++)
    bad |= json_array_append_new(keys, json_string(legation_run_vary_key(run, j))) != 0;
  for (int i = 0; i < legation_output_count() && !bad; i++) {
    legation_world_stat w;
    legation_status st = paired ? legation_run_world_diff(run, v, i, &w)
                                : legation_run_world_stat(run, v, i, &w);
    if (st == LEGATION_OK) bad |= put(outs, legation_output_get(i)->name, world_json(&w));
  }
  bad |= put(o, "varied", keys);
  keys = NULL;
  bad |= put(o, "reps_per_world",
             json_integer((json_int_t)legation_run_reps_per_world(run)));
  bad |= put(o, "outputs", outs);
  outs = NULL;
  if (bad) {
    json_decref(o);
    return NULL;
  }
  return o;
}

/* ------------------------------------------------------ the scenario */

/* Parameters of sc with their sources.  With `base` set, only those whose
 * value or source differ from base (an option shows what it changes). */
static json_t *params_json(const legation_scenario *sc, const legation_scenario *base) {
  json_t *arr = json_array();
  int bad = !arr;
  int np = legation_param_count();
  for (int i = 0; i < np && !bad; i++) {
    legation_param p, q;
    if (legation_param_get(sc, i, &p) != LEGATION_OK) continue;
    int hq = base && legation_param_get(base, i, &q) == LEGATION_OK;
    if (hq && strcmp(p.text, q.text) == 0 &&
        strcmp(p.source ? p.source : "", q.source ? q.source : "") == 0)
      continue;
    json_t *o = json_object();
    bad |= put(o, "key", jstr(p.key));
    bad |= put(o, "value", jstr(p.text));
    bad |= put(o, "unit", jstr(p.unit));
    bad |= put(o, "description", jstr(p.description));
    bad |= put(o, "source", jstr(p.source));
    if (p.has_range) {
      /* the plausible range, as `legation params` writes it */
      char r[160];
      if (p.nalternatives > 0)
        snprintf(r, sizeof r, "%d weighted alternatives", p.nalternatives);
      else
        snprintf(r, sizeof r, "[%.10g, %.10g] %s", p.range_lo, p.range_hi, p.dist);
      bad |= put(o, "plausible", json_string(r));
    }
    if (hq) bad |= put(o, "base_value", jstr(q.text));
    bad |= push(arr, o);
  }
  if (bad) {
    json_decref(arr);
    return NULL;
  }
  return arr;
}

static json_t *deal_json(const legation_scenario *sc) {
  json_t *arr = json_array();
  int bad = !arr;
  int nd = legation_deal_count(sc);
  for (int i = 0; i < nd && !bad; i++) {
    legation_deal_step d;
    if (legation_deal_get(sc, i, &d) != LEGATION_OK) continue;
    json_t *o = json_object();
    bad |= put(o, "month", json_integer(d.month));
    bad |= put(o, "action", jstr(d.action));
    bad |= put(o, "target", jstr(d.target));
    bad |= put(o, "value", json_num(d.value));
    bad |= put(o, "post", jstr(d.post));
    bad |= put(o, "r_min", json_num(d.r_min));
    bad |= put(o, "p_min", json_num(d.p_min));
    bad |= put(o, "source", jstr(d.source));
    bad |= push(arr, o);
  }
  if (bad) {
    json_decref(arr);
    return NULL;
  }
  return arr;
}

/* Monthly quantiles of every series of variant v, as parallel arrays. */
static json_t *series_json(const legation_run *run, int v) {
  static const char *const keys[] = {"mean", "q05", "q25", "q50", "q75", "q95"};
  enum { NK = sizeof keys / sizeof keys[0] };
  json_t *o = json_object();
  int bad = !o;
  int ns = legation_series_count(), nm = legation_run_months(run);
  for (int s = 0; s < ns && !bad; s++) {
    const legation_series_info *info = legation_series_get(s);
    if (!info) continue;
    json_t *arr[NK], *so = json_object();
    bad |= !so;
    for (int k = 0; k < NK; k++) {
      arr[k] = json_array();
      bad |= put(so, keys[k], arr[k]);
    }
    for (int m = 1; m <= nm && !bad; m++) {
      legation_stat st;
      int ok = legation_run_variant_series_stat(run, v, s, m, &st) == LEGATION_OK && st.n > 0;
      const double x[NK] = {st.mean, st.q05, st.q25, st.q50, st.q75, st.q95};
      for (int k = 0; k < NK; k++) bad |= push(arr[k], json_num(ok ? x[k] : NAN));
    }
    bad |= put(o, info->name, so);
  }
  if (bad) {
    json_decref(o);
    return NULL;
  }
  return o;
}

/* ----------------------------------------------------------- histograms */

/* Fraction of the distribution at or below x, from a piecewise-linear CDF
 * through (min,0) (q05,.05) (q25,.25) (q50,.5) (q75,.75) (q95,.95) (max,1). */
static double cdf_from_quantiles(const legation_stat *st, double x) {
  const double p[7] = {0, .05, .25, .5, .75, .95, 1};
  double q[7] = {st->min, st->q05, st->q25, st->q50, st->q75, st->q95, st->max};
  for (int k = 1; k < 7; k++)
    if (!(q[k] >= q[k - 1])) q[k] = q[k - 1]; /* the sketch is not always monotone */
  if (x < q[0]) return 0;
  if (x >= q[6]) return 1;
  int k = 0;
  while (k < 5 && q[k + 1] <= x) k++;
  double w = q[k + 1] - q[k];
  return w > 0 ? p[k] + (p[k + 1] - p[k]) * (x - q[k]) / w : p[k + 1];
}

static int is_integral(double x) { return !isfinite(x) || x == floor(x); }

/* Statistics of output oi of part p; -1 if it has none. */
static int part_stat(const legation_report_spec *in, int p, int oi, legation_stat *st) {
  const legation_report_part *pt = &in->parts[p];
  return legation_run_variant_stat(pt->run, pt->v, oi, st) == LEGATION_OK && st->n > 0 ? 0 : -1;
}

/* One histogram over every part on shared bins. */
static json_t *hist_json(const legation_report_spec *in, int h) {
  const char *name = hist_outputs[h];
  int oi = legation_output_find(name);
  if (oi < 0) return json_null();
  const legation_output_info *info = legation_output_get(oi);
  int nv = in->nparts;
  const legation_repvals *rv = in->rv && in->rv->nvar >= nv ? in->rv : NULL;
  double lo = INFINITY, hi = -INFINITY;
  int integral = 1;
  for (int v = 0; v < nv; v++) {
    legation_stat st;
    if (part_stat(in, v, oi, &st) != 0) continue;
    lo = fmin(lo, st.min);
    hi = fmax(hi, st.max);
    if (!rv)
      integral &= is_integral(st.min) && is_integral(st.max) && is_integral(st.q05) &&
                  is_integral(st.q25) && is_integral(st.q50) && is_integral(st.q75) &&
                  is_integral(st.q95);
  }
  if (rv)
    for (int v = 0; v < nv && integral; v++)
      for (int64_t k = 0; k < rv->nreps && integral; k++)
        integral = is_integral(*slot(rv, v, h, k));
  json_t *o = json_object();
  int bad = put(o, "output", json_string(name));
  bad |= put(o, "unit", jstr(info->unit));
  bad |= put(o, "description", jstr(info->description));
  bad |= put(o, "from", json_string(rv ? "replications" : "quantiles"));
  if (!(lo <= hi)) { /* nothing finished */
    bad |= put(o, "edges", json_array());
    bad |= put(o, "counts", json_array());
    goto done;
  }
  /* bins: unit bins for narrow integer data, else HIST_BINS equal ones */
  int nb;
  double start, width;
  if (integral && hi - lo <= 60) {
    nb = (int)(hi - lo) + 1;
    start = lo - 0.5;
    width = 1;
  } else if (integral) {
    width = ceil((hi - lo + 1) / HIST_BINS);
    nb = (int)ceil((hi - lo + 1) / width);
    start = lo - 0.5;
  } else if (hi > lo) {
    nb = HIST_BINS;
    start = lo;
    width = (hi - lo) / nb;
  } else {
    nb = 1;
    start = lo - 0.5;
    width = 1;
  }
  json_t *edges = json_array();
  bad |= put(o, "edges", edges);
  for (int b = 0; b <= nb && !bad; b++) bad |= push(edges, json_real(start + b * width));
  json_t *counts = json_array();
  bad |= put(o, "counts", counts);
  double *c = calloc((size_t)nb, sizeof *c);
  bad |= !c;
  for (int v = 0; v < nv && !bad; v++) {
    memset(c, 0, (size_t)nb * sizeof *c);
    legation_stat st;
    int have = part_stat(in, v, oi, &st) == 0;
    if (have && rv) {
      for (int64_t k = 0; k < rv->nreps; k++) {
        double x = *slot(rv, v, h, k);
        if (!isfinite(x)) continue;
        int b = (int)floor((x - start) / width);
        c[b < 0 ? 0 : b >= nb ? nb - 1 : b] += 1;
      }
    } else if (have) {
      double prev = 0;
      for (int b = 0; b < nb; b++) {
        double f = b == nb - 1 ? 1 : cdf_from_quantiles(&st, start + (b + 1) * width);
        c[b] = (double)st.n * (f - prev);
        prev = f;
      }
    }
    json_t *row = json_array();
    for (int b = 0; b < nb && !bad; b++) bad |= push(row, json_real(c[b]));
    bad |= push(counts, row);
  }
  free(c);
done:
  if (bad) {
    json_decref(o);
    return NULL;
  }
  return o;
}

static json_t *tables_json(const legation_scenario *base, json_t **series_info) {
  json_t *outs = json_array();
  int bad = !outs;
  int no = legation_output_count();
  for (int i = 0; i < no && !bad; i++) {
    const legation_output_info *info = legation_output_get(i);
    if (!info) continue;
    json_t *o = json_object();
    bad |= put(o, "name", jstr(info->name));
    bad |= put(o, "unit", jstr(info->unit));
    bad |= put(o, "description", jstr(info->description));
    bad |= put(o, "kind", json_string(info->kind == LEGATION_OUT_PROB ? "prob" : "real"));
    bad |= put(o, "side", json_integer(info->side));
    bad |= push(outs, o);
  }
  json_t *ser = json_array();
  bad |= !ser;
  int ns = legation_series_count();
  for (int i = 0; i < ns && !bad; i++) {
    const legation_series_info *info = legation_series_get(i);
    if (!info) continue;
    json_t *o = json_object();
    bad |= put(o, "name", jstr(info->name));
    bad |= put(o, "unit", jstr(info->unit));
    bad |= put(o, "description", jstr(info->description));
    bad |= put(o, "side", json_integer(info->side));
    bad |= push(ser, o);
  }
  if (bad) {
    json_decref(outs);
    json_decref(ser);
    return NULL;
  }
  *series_info = ser;
  return outs;
}

static json_t *scorecard_json(const legation_scenario *base) {
  json_t *arr = json_array();
  int bad = !arr;
  for (int r = 0; r < legation_scorecard_count() && !bad; r++) {
    char label[256];
    legation_scorecard_label(base, r, label, sizeof label);
    json_t *o = json_object();
    bad |= put(o, "output", json_string(legation_scorecard_output(r)));
    bad |= put(o, "label", json_string(label));
    bad |= push(arr, o);
  }
  if (bad) {
    json_decref(arr);
    return NULL;
  }
  return arr;
}

static json_t *variant_json(const legation_report_spec *in, int p) {
  const legation_report_part *pt = &in->parts[p];
  const legation_run *run = pt->run;
  int v = pt->v;
  const legation_scenario *sc = legation_run_variant_scenario(run, v);
  const legation_scenario *base =
      legation_run_variant_scenario(in->parts[0].run, in->parts[0].v);
  json_t *o = json_object();
  const char *name = legation_scenario_name(sc);
  int bad = put(o, "role", json_string(p ? "option" : "base"));
  bad |= put(o, "name", jstr(name && *name ? name : pt->label));
  bad |= put(o, "operand", jstr(pt->label));
  bad |= put(o, "title", jstr(legation_scenario_title(sc)));
  json_t *states = json_array();
  for (int s = 0; s < 2; s++) bad |= push(states, jstr(legation_scenario_state_name(sc, s)));
  bad |= put(o, "states", states);
  bad |= put(o, "reps", json_integer((json_int_t)legation_run_reps_done(run)));
  bad |= put(o, "seed", json_seed(legation_run_seed(run)));
  bad |= put(o, "params", params_json(sc, p ? base : NULL));
  bad |= put(o, "deal", deal_json(sc));
  bad |= put(o, "stats", stats_json(run, v));
  bad |= put(o, "series", series_json(run, v));
  char verdict[2048];
  if (in->kind == LEGATION_REPORT_COMPARE && v > 0) {
    legation_compare_verdict(run, v, NULL, 0, verdict, sizeof verdict);
    bad |= put(o, "diffs", diffs_json(run, v));
    /* drawn parameters: the change across worlds, whose interval is the
     * one the verdict uses */
    if (legation_run_vary_count(run) > 0) bad |= put(o, "worlds", worlds_json(run, v, 1));
    bad |= put(o, "verdict", json_string(verdict));
  } else if (in->kind == LEGATION_REPORT_RUNS) {
    legation_run_verdict(run, verdict, sizeof verdict);
    bad |= put(o, "verdict", json_string(verdict));
  }
  if (bad) {
    json_decref(o);
    return NULL;
  }
  return o;
}

static json_t *report_json(const legation_report_spec *in) {
  static const char *const kinds[] = {"run", "compare", "runs"};
  const legation_run *run = in->parts[0].run;
  const legation_scenario *base = legation_run_variant_scenario(run, in->parts[0].v);
  int nv = in->nparts;
  json_t *root = json_object();
  int bad = put(root, "format", json_integer(1));
  bad |= put(root, "kind", json_string(kinds[in->kind]));
  bad |= put(root, "legation_version", json_string(legation_version()));
  /* stored runs of different pairs: the page's A and B are generic (each
   * variant carries its own states), and so are the scorecard's labels */
  int mixed = 0;
  for (int p = 1; p < nv; p++) {
    const legation_scenario *o = legation_run_variant_scenario(in->parts[p].run, in->parts[p].v);
    for (int s = 0; s < 2; s++)
      mixed |= strcmp(legation_scenario_state_name(o, s), legation_scenario_state_name(base, s)) != 0;
  }
  legation_scenario *generic = mixed ? legation_scenario_new() : NULL; /* states A and B */
  if (mixed && !generic) bad = 1;
  const legation_scenario *names = generic ? generic : base;
  json_t *states = json_array();
  for (int s = 0; s < 2; s++) bad |= push(states, jstr(legation_scenario_state_name(names, s)));
  bad |= put(root, "states", states);
  if (in->kind == LEGATION_REPORT_COMPARE)
    bad |= put(root, "options_order", json_string(in->options_by_effect ? "effect" : "given"));
  bad |= put(root, "reps", json_integer((json_int_t)legation_run_reps_done(run)));
  bad |= put(root, "reps_requested", json_integer((json_int_t)in->reps_asked));
  bad |= put(root, "complete", json_boolean(in->status == LEGATION_OK));
  bad |= put(root, "seed", json_seed(legation_run_seed(run)));
  bad |= put(root, "threads", json_integer(in->threads_asked));
  bad |= put(root, "seconds", json_num(in->seconds > 0 ? in->seconds : legation_run_seconds(run)));
  bad |= put(root, "months", json_integer(legation_run_months(run)));
  json_t *series_info = NULL;
  bad |= put(root, "outputs", tables_json(base, &series_info));
  bad |= put(root, "series", series_info);
  bad |= put(root, "scorecard", scorecard_json(names));
  legation_scenario_free(generic);
  if (in->kind == LEGATION_REPORT_RUN) {
    char verdict[1024];
    legation_run_verdict(run, verdict, sizeof verdict);
    bad |= put(root, "verdict", json_string(verdict));
  } else if (in->kind == LEGATION_REPORT_COMPARE) {
    int cnt = 0;
    double med = legation_run_narrowing(run, &cnt);
    json_t *nar = json_object();
    bad |= put(nar, "median", json_num(med));
    bad |= put(nar, "count", json_integer(cnt));
    bad |= put(root, "narrowing", nar);
  }
  json_t *vars = json_array();
  bad |= put(root, "variants", vars);
  for (int v = 0; v < nv && !bad; v++) bad |= push(vars, variant_json(in, v));
  json_t *hist = json_array();
  bad |= put(root, "hist", hist);
  for (int h = 0; h < NHIST && !bad; h++) bad |= push(hist, hist_json(in, h));
  if (bad) {
    json_decref(root);
    return NULL;
  }
  return root;
}


legation_status legation_report_data(const legation_report_spec *in, char **json) {
  *json = NULL;
  if (!in || !in->parts || in->nparts < 1 || in->kind < LEGATION_REPORT_RUN ||
      in->kind > LEGATION_REPORT_RUNS)
    return LEGATION_EINVAL;
  return dump(report_json(in), json);
}

legation_status legation_run_stats_json(const legation_run *run, int v, char **json) {
  *json = NULL;
  if (!run || v < 0 || v >= legation_run_variant_count(run)) return LEGATION_EINVAL;
  return dump(stats_json(run, v), json);
}

legation_status legation_world_stat_json(const legation_world_stat *w, char **json) {
  if (!w) return LEGATION_EINVAL;
  return dump(world_json(w), json);
}

legation_status legation_run_worlds_json(const legation_run *run, int v, int paired,
                                         char **json) {
  if (!run || v < 0 || v >= legation_run_variant_count(run) || (paired && v == 0))
    return LEGATION_EINVAL;
  return dump(worlds_json(run, v, paired), json);
}

legation_status legation_run_diffs_json(const legation_run *run, int v, char **json) {
  *json = NULL;
  if (!run || v < 1 || v >= legation_run_variant_count(run)) return LEGATION_EINVAL;
  return dump(diffs_json(run, v), json);
}
