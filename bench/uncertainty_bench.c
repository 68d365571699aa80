/* SPDX-License-Identifier: GPL-3.0-or-later */
/* uncertainty_bench.c - benchmark of drawn parameters and sweeps, called
 * from bench.c's main after the store figures:
 *   1. replications per second with every plausible range drawn per world
 *      (--uncertain) against fixed parameters, same scenario and seed, one
 *      thread (target: drawing costs under 10%);
 *   2. peak memory of sweeps of growing size (points x replications per
 *      point), each in a forked child, with every finished point written to
 *      a results store: memory must stay flat (a few tens of MB).
 * LEGATION_BENCH_SWEEP="POINTS:REPS[,POINTS:REPS...]" replaces the sweep
 * sizes (the 10^4 x 10^3 is "10000:1000", about 12 minutes here). */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "legation.h"

static double mono(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

double bench_status_mib(const char *field); /* bench.c */
int bench_read_child(int fd, pid_t pid, void *msg, size_t size, int *wst);

/* The default scenario with every uncertain real parameter's range
 * narrowed to [v, v + 1e-9 v]: the drawing does all its work (a Latin
 * hypercube coordinate and a quantile per parameter and replication) while
 * the model meets the same world as with fixed values, so the difference in
 * time is the cost of drawing alone. */
static legation_scenario *narrowed(void) {
  legation_scenario *sc = legation_scenario_new();
  legation_scenario_load_builtin(sc, "us-russia-2025");
  char *text = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&text, &n);
  fprintf(f, "base: us-russia-2025\n");
  const char *prev[3] = {"", "", ""};
  char parts[3][64];
  for (int i = 0; i < legation_param_count(); i++) {
    legation_param p;
    if (legation_param_get(sc, i, &p) != LEGATION_OK || !p.uncertain || p.type != LEGATION_PT_REAL ||
        p.nalternatives || !(p.value > 0))
      continue;
    int k = sscanf(p.key, "%63[^.].%63[^.].%63s", parts[0], parts[1], parts[2]);
    for (int d = 0; d < k - 1; d++)
      if (strcmp(prev[d], parts[d]) != 0 || (d > 0 && strcmp(prev[d - 1], parts[d - 1]) != 0))
        fprintf(f, "%*s%s:\n", 2 * d, "", parts[d]);
    fprintf(f, "%*s%s: {value: %.17g, range: [%.17g, %.17g]}\n", 2 * (k - 1), "", parts[k - 1],
            p.value, p.value, p.value * (1 + 1e-9));
    static char keep[3][64];
    for (int d = 0; d < 3; d++) {
      snprintf(keep[d], sizeof keep[d], "%s", d < k ? parts[d] : "");
      prev[d] = keep[d];
    }
  }
  fclose(f);
  legation_scenario *out = legation_scenario_new();
  if (legation_scenario_load_string(out, text, n, "narrowed") != LEGATION_OK)
    fprintf(stderr, "uncertainty_bench: %s\n", legation_scenario_errmsg(out));
  free(text);
  legation_scenario_free(sc);
  return out;
}

/* Seconds for reps replications at one thread: vary 0 the default scenario,
 * 1 the default scenario with every range drawn, 2 the narrowed one drawn. */
static double timed(int vary, int64_t reps) {
  legation_scenario *sc = vary == 2 ? narrowed() : legation_scenario_new();
  if (vary != 2) legation_scenario_load_builtin(sc, "us-russia-2025");
  legation_run *r = legation_run_new(sc);
  legation_scenario_free(sc);
  legation_run_set_reps(r, reps);
  legation_run_set_threads(r, 1);
  legation_run_set_seed(r, 1);
  if (vary) {
    legation_run_vary(r, NULL, 0);
    legation_run_set_reps_per_world(r, 10);
  }
  double t0 = mono();
  legation_status st = legation_run_execute(r);
  double t = mono() - t0;
  legation_run_free(r);
  return st == LEGATION_OK ? t : NAN;
}

typedef struct sweep_msg {
  int ok;
  double secs, start_mib, peak_mib;
  int64_t points;
} sweep_msg;

static int count_points(void *user, const legation_world_result *w) {
  sweep_msg *m = user;
  if (w->variant == 0 && !w->diff) m->points++;
  return 0;
}

typedef struct sink2 {
  legation_store *st;
  sweep_msg *m;
} sink2;

static int both(void *user, const legation_world_result *w) {
  sink2 *s = user;
  count_points(s->m, w);
  return legation_store_world_sink(s->st, w);
}

/* A sweep of P points x R replications of the default scenario (48
 * months, two uncertain keys by LHS, both threads), stored, in a child. */
static sweep_msg sweep_child(int64_t points, int64_t reps) {
  sweep_msg msg;
  memset(&msg, 0, sizeof msg);
  int fd[2];
  if (pipe(fd) != 0) return msg;
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) return msg;
  if (pid == 0) {
    close(fd[0]);
    FILE *cr = fopen("/proc/self/clear_refs", "w");
    if (cr) fputs("5", cr), fclose(cr);
    msg.start_mib = bench_status_mib("VmRSS");
    char db[64];
    snprintf(db, sizeof db, "/tmp/legation-bench-sweep-%d.db", (int)getpid());
    legation_store *st = NULL;
    legation_scenario *sc = legation_scenario_new();
    legation_scenario_load_builtin(sc, "us-russia-2025");
    legation_run *r = legation_run_new(sc);
    legation_sweep_key keys[] = {{"states.a.openness", NAN, NAN, 0}, {"states.b.ci_agents", NAN, NAN, 0}};
    legation_run_sweep(r, keys, 2, LEGATION_DESIGN_LHS, points, reps);
    legation_run_set_threads(r, 0);
    if (legation_store_open(db, &st) == LEGATION_OK) {
      const char *text = legation_builtin_text("us-russia-2025");
      legation_store_meta m = {text, strlen(text), "builtin:us-russia-2025", NULL, 0, points * reps,
                               0, 0, 0, NULL, 0};
      int64_t id;
      sink2 s2 = {st, &msg};
      if (legation_store_begin(st, r, &m, &id) == LEGATION_OK) {
        legation_run_set_world_sink(r, both, &s2);
        double t0 = mono();
        legation_status rs = legation_run_execute(r);
        msg.secs = mono() - t0;
        msg.ok = legation_store_finish(st, r, rs) == LEGATION_OK && rs == LEGATION_OK;
      }
    }
    legation_store_close(st);
    legation_run_free(r);
    legation_scenario_free(sc);
    unlink(db);
    char side[80];
    snprintf(side, sizeof side, "%s-wal", db), unlink(side);
    snprintf(side, sizeof side, "%s-shm", db), unlink(side);
    msg.peak_mib = bench_status_mib("VmHWM");
    ssize_t wr = write(fd[1], &msg, sizeof msg);
    _exit(wr == (ssize_t)sizeof msg ? 0 : 1);
  }
  close(fd[1]);
  int wst;
  if (!bench_read_child(fd[0], pid, &msg, sizeof msg, &wst)) msg.ok = 0;
  return msg;
}

void uncertainty_bench(FILE *f, int quick) {
  fprintf(f, "\n7. Drawn parameters (--uncertain) and sweeps\n");
  int64_t reps = quick ? 4000 : 12000;
  /* alternate to spread machine noise over all three */
  double fixed = 0, drawn = 0, same = 0;
  for (int k = 0; k < 2; k++) {
    fixed += timed(0, reps);
    same += timed(2, reps);
    drawn += timed(1, reps);
  }
  double cost = same / fixed - 1;
  fprintf(f, "  %-52s %10.0f reps/s\n", "fixed parameters (1 thread)", 2 * reps / fixed);
  fprintf(f, "  %-52s %10.0f reps/s\n", "every real range drawn, ranges narrowed to the value", 2 * reps / same);
  fprintf(f, "  %-52s %+9.1f%%   %s (target < +10%%)\n", "cost of drawing (same worlds)", 100 * cost,
          cost < 0.10 ? "PASS" : "MISS");
  fprintf(f, "  %-52s %10.0f reps/s\n", "--uncertain as shipped (other worlds: other work)", 2 * reps / drawn);

  const char *env = getenv("LEGATION_BENCH_SWEEP");
  const char *sizes = env && *env ? env : quick ? "1000:10,10000:10" : "1000:10,10000:10,10000:100";
  fprintf(f, "  sweep memory (LHS over 2 ranges, every point stored; forked child, VmHWM):\n");
  fprintf(f, "  %8s %8s %12s %9s %10s %10s\n", "points", "reps/pt", "replications", "seconds",
          "peak MiB", "start MiB");
  double lo = INFINITY, hi = 0;
  for (const char *p = sizes; *p;) {
    long long P = 0, R = 0;
    if (sscanf(p, "%lld:%lld", &P, &R) != 2 || P < 1 || R < 1) break;
    sweep_msg m = sweep_child(P, R);
    if (m.ok) {
      fprintf(f, "  %8lld %8lld %12lld %9.1f %10.1f %10.1f\n", P, R, P * R, m.secs, m.peak_mib,
              m.start_mib);
      lo = fmin(lo, m.peak_mib);
      hi = fmax(hi, m.peak_mib);
    } else {
      fprintf(f, "  %8lld %8lld   failed\n", P, R);
    }
    p = strchr(p, ',');
    if (!p) break;
    p++;
  }
  if (hi > 0)
    fprintf(f, "  %-44s %.1f-%.1f MiB   %s (target: below 64 MiB, a few tens of MB, whatever the size)\n",
            "sweep peak memory", lo, hi, hi < 64 ? "PASS" : "MISS");
}
