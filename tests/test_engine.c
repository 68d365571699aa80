/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_engine.c - the engine's contracts: variants under common random
 * numbers and their paired differences, per-replication sink order,
 * checkpoint and resume bit-identical to an uninterrupted run. */
#include <stdlib.h>

#include "check.h"
#include "legation.h"

static legation_scenario *base(void) {
  legation_scenario *sc = legation_scenario_new();
  legation_scenario_set(sc, "states.a.name", "Alpha");
  legation_scenario_set(sc, "states.b.name", "Beta");
  legation_scenario_set(sc, "states.a.openness", "0.4");
  return sc;
}

static int same_output_stats(const legation_run *x, int vx, const legation_run *y, int vy) {
  int same = 1;
  for (int i = 0; i < legation_output_count(); i++) {
    legation_stat a, b;
    legation_run_variant_stat(x, vx, i, &a);
    legation_run_variant_stat(y, vy, i, &b);
    if (memcmp(&a, &b, sizeof a) != 0) {
      fprintf(stderr, "  %s: %.17g vs %.17g\n", legation_output_get(i)->name, a.mean, b.mean);
      same = 0;
    }
  }
  for (int s = 0; s < legation_series_count(); s++)
    for (int m = 1; m <= legation_run_months(x); m++) {
      legation_stat a, b;
      legation_run_variant_series_stat(x, vx, s, m, &a);
      legation_run_variant_series_stat(y, vy, s, m, &b);
      if (memcmp(&a, &b, sizeof a) != 0) same = 0;
    }
  return same;
}

/* A variant identical to the base differs by exactly zero in every
 * replication; a variant's statistics equal a separate run of it with the
 * same seed (common random numbers). */
static void variants_crn(void) {
  legation_scenario *sc = base(), *opt = base();
  legation_scenario_set(opt, "states.b.openness", "0.8");
  legation_run *r = legation_run_new(sc);
  legation_run_set_reps(r, 300);
  CHECK_EQ_INT(legation_run_add_variant(r, sc), 1);
  CHECK_EQ_INT(legation_run_add_variant(r, opt), 2);
  CHECK_EQ_INT(legation_run_variant_count(r), 3);
  CHECK_EQ_INT(legation_run_execute(r), LEGATION_OK);
  for (int i = 0; i < legation_output_count(); i++) {
    legation_diff d;
    CHECK_EQ_INT(legation_run_diff(r, 1, i, &d), LEGATION_OK);
    if (d.paired.n) CHECK(d.paired.mean == 0 && d.paired.sd == 0);
  }
  CHECK(same_output_stats(r, 0, r, 1));
  legation_run *alone = legation_run_new(opt);
  legation_run_set_reps(alone, 300);
  legation_run_set_threads(alone, 1);
  CHECK_EQ_INT(legation_run_execute(alone), LEGATION_OK);
  CHECK(same_output_stats(r, 2, alone, 0));
  /* opening B raises A's gain; the paired interval is narrower */
  legation_diff d;
  legation_run_diff(r, 2, legation_output_find("value_a"), &d);
  legation_stat a, b;
  legation_run_variant_stat(r, 2, legation_output_find("value_a"), &a);
  legation_run_variant_stat(r, 0, legation_output_find("value_a"), &b);
  CHECK_NEAR(d.paired.mean, a.mean - b.mean, 1e-9 * fabs(a.mean));
  CHECK(d.paired.lo > 0);
  CHECK(d.narrowing > 1);
  CHECK(d.indep_lo < d.paired.lo && d.indep_hi > d.paired.hi);
  legation_run_free(alone);
  legation_run_free(r);
  legation_scenario_free(sc);
  legation_scenario_free(opt);
}

static void variant_horizon(void) {
  legation_scenario *sc = base(), *opt = base();
  legation_scenario_set(opt, "horizon", "12");
  legation_run *r = legation_run_new(sc);
  CHECK_EQ_INT(legation_run_add_variant(r, opt), -1);
  CHECK(strstr(legation_run_errmsg(r), "horizon 12") != NULL);
  legation_run_free(r);
  legation_scenario_free(sc);
  legation_scenario_free(opt);
}

typedef struct sinkst {
  int64_t next, calls, bad;
} sinkst;
static int rep_sink(void *user, int64_t rep, int variant, const double *o, int n) {
  sinkst *s = user;
  if (rep != s->next || n != legation_output_count() || variant != (int)(s->calls % 2)) s->bad++;
  if (variant == 1) s->next++;
  s->calls++;
  (void)o;
  return 0;
}

/* The replication sink sees every replication once, in order, each
 * variant in turn, whatever the number of threads. */
static void sink_order(void) {
  legation_scenario *sc = base();
  legation_run *r = legation_run_new(sc);
  legation_run_add_variant(r, sc);
  legation_run_set_reps(r, 1000);
  legation_run_set_threads(r, 2);
  sinkst st = {0, 0, 0};
  legation_run_set_rep_sink(r, rep_sink, &st);
  CHECK_EQ_INT(legation_run_execute(r), LEGATION_OK);
  CHECK_EQ_INT(st.calls, 2000);
  CHECK_EQ_INT(st.bad, 0);
  legation_run_free(r);
  legation_scenario_free(sc);
}

static int stop_at(void *user, int64_t done, int64_t total) {
  (void)total;
  return done >= *(int64_t *)user;
}

/* Stop part-way, checkpoint, resume in a new run: the results equal an
 * uninterrupted run's, bit for bit, with 1 or 2 threads. */
static void checkpoint_resume(void) {
  legation_scenario *sc = base(), *opt = base();
  legation_scenario_set(opt, "missions.a.cap", "400");
  for (int threads = 1; threads <= 2; threads++) {
    legation_run *full = legation_run_new(sc);
    legation_run_add_variant(full, opt);
    legation_run_set_reps(full, 1000);
    legation_run_set_threads(full, threads);
    CHECK_EQ_INT(legation_run_execute(full), LEGATION_OK);

    legation_run *part = legation_run_new(sc);
    legation_run_add_variant(part, opt);
    legation_run_set_reps(part, 1000);
    legation_run_set_threads(part, threads);
    int64_t stop = 300;
    legation_run_set_progress(part, stop_at, &stop);
    CHECK_EQ_INT(legation_run_execute(part), LEGATION_EINTR);
    int64_t done = legation_run_reps_done(part);
    CHECK(done >= 300 && done < 1000);
    void *buf;
    size_t len;
    CHECK_EQ_INT(legation_run_checkpoint(part, &buf, &len), LEGATION_OK);

    legation_run *rest = legation_run_new(sc);
    legation_run_add_variant(rest, opt);
    legation_run_set_reps(rest, 1000);
    legation_run_set_threads(rest, 3 - threads);
    CHECK_EQ_INT(legation_run_restore(rest, buf, len), LEGATION_OK);
    CHECK_EQ_INT(legation_run_reps_done(rest), done);
    CHECK_EQ_INT(legation_run_execute(rest), LEGATION_OK);
    CHECK_EQ_INT(legation_run_reps_done(rest), 1000);
    CHECK(same_output_stats(full, 0, rest, 0));
    CHECK(same_output_stats(full, 1, rest, 1));

    /* a checkpoint does not fit another seed, and damage is detected */
    legation_run *other = legation_run_new(sc);
    legation_run_add_variant(other, opt);
    legation_run_set_reps(other, 1000);
    legation_run_set_seed(other, 2);
    CHECK_EQ_INT(legation_run_restore(other, buf, len), LEGATION_EINVAL);
    CHECK(strstr(legation_run_errmsg(other), "does not match") != NULL);
    legation_run_set_seed(other, 1);
    CHECK_EQ_INT(legation_run_restore(other, buf, len - 1), LEGATION_EINVAL);
    ((unsigned char *)buf)[0] ^= 0xff;
    CHECK_EQ_INT(legation_run_restore(other, buf, len), LEGATION_EINVAL);
    legation_free(buf);
    legation_run_free(other);
    legation_run_free(rest);
    legation_run_free(part);
    legation_run_free(full);
  }
  legation_scenario_free(sc);
  legation_scenario_free(opt);
}

static const check_case cases[] = {
    {"variants_crn", variants_crn},
    {"variant_horizon", variant_horizon},
    {"sink_order", sink_order},
    {"checkpoint_resume", checkpoint_resume},
    {NULL, NULL},
};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
