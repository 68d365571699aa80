/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_session.c - recording sessions (src/store/session.c, issue 13): a
 * new run's row (texts as named, overrides in order, the horizon, the '@'
 * settings read back by a rebuild), the front end's progress chained before
 * the checkpoints, an interrupted run resumed through a second session to
 * the numbers of an uninterrupted one, a store that fills up mid-run
 * (reported once, dropped, the run goes on), an operand that cannot be
 * read again, the kind and operands of stored runs.
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include <ftw.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "legation.h"
/* white box: fill_up limits the store's own connection */
#include "../src/store/store.h"

/* Each case works in its own directory under $TMPDIR, made by make_dir
 * and removed, with what the case left in it, by remove_dir. */
static char dir[256];
/* name inside the case's directory, into buf (512 bytes). */
static const char *in_dir(char *buf, const char *name) {
  snprintf(buf, 512, "%s/%s", dir, name);
  return buf;
}
static void make_dir(void) {
  const char *t = getenv("TMPDIR");
  snprintf(dir, sizeof dir, "%s/legation-session.XXXXXX", t && *t ? t : "/tmp");
  CHECK(mkdtemp(dir) != NULL);
}
static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
  (void)sb, (void)flag, (void)ftw;
  return remove(path);
}
static void remove_dir(void) { CHECK_EQ_INT(nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS), 0); }

/* Stored run id of the store at db, whose status must be `status`, into
 * *r; the store is left open for more (close it). */
static legation_store *stored(const char *db, int64_t id, const char *status,
                              legation_store_run *r) {
  legation_store *st = NULL;
  char path[512];
  CHECK_EQ_INT(legation_store_open(in_dir(path, db), &st), LEGATION_OK);
  CHECK_EQ_INT(legation_store_get(st, id, r), LEGATION_OK);
  CHECK_EQ_STR(r->status, status);
  return st;
}

static legation_scenario *load(const char *builtin_or_path, const char *months) {
  legation_scenario *sc = legation_scenario_new();
  struct stat sb;
  if (stat(builtin_or_path, &sb) == 0)
    CHECK_EQ_INT(legation_scenario_load_file(sc, builtin_or_path), LEGATION_OK);
  else
    CHECK_EQ_INT(legation_scenario_load_builtin(sc, builtin_or_path), LEGATION_OK);
  CHECK_EQ_INT(legation_scenario_set(sc, "horizon", months), LEGATION_OK);
  return sc;
}

/* Apply "key=value" overrides (NULL-terminated, may be NULL). */
static void apply(legation_scenario *sc, const char *const *sets) {
  for (; sets && *sets; sets++) {
    char key[128];
    const char *eq = strchr(*sets, '=');
    snprintf(key, sizeof key, "%.*s", (int)(eq - *sets), *sets);
    CHECK_EQ_INT(legation_scenario_set(sc, key, eq + 1), LEGATION_OK);
  }
}

/* A run of base (and option, if not NULL) over `months` with overrides. */
static legation_run *make_run_sets(const char *base, const char *option, int64_t reps,
                                   const char *months, const char *const *sets) {
  legation_scenario *sc = load(base, months);
  apply(sc, sets);
  legation_run *run = legation_run_new(sc);
  legation_scenario_free(sc);
  if (option) {
    legation_scenario *o = load(option, months);
    apply(o, sets);
    CHECK_EQ_INT(legation_run_add_variant(run, o), 1);
    legation_scenario_free(o);
  }
  legation_run_set_reps(run, reps);
  legation_run_set_seed(run, 11);
  legation_run_set_threads(run, 1);
  return run;
}

static legation_run *make_run(const char *base, const char *option, int64_t reps,
                              const char *months) {
  return make_run_sets(base, option, reps, months, NULL);
}

static legation_session *open_session(const char *name) {
  legation_store *st = NULL;
  char path[512];
  CHECK_EQ_INT(legation_store_open(in_dir(path, name), &st), LEGATION_OK);
  legation_session *s = legation_session_new(st);
  CHECK(s != NULL);
  return s;
}

/* ------------------------------------------------------ a new run's row */

/* Table: what is recorded for the operands, overrides and settings given. */
static void rows(void) {
  make_dir();
  /* a scenario file beside the built-ins */
  char file[512];
  in_dir(file, "deal.yaml");
  FILE *f = fopen(file, "w");
  static const char yaml[] = "name: my-deal\nbase: us-russia-2025\n";
  fputs(yaml, f);
  fclose(f);
  static const struct {
    const char *base, *option;
    const char *sets[3];
    int64_t months;
    int vary;
    const char *want_sets;   /* stored overrides, one per line */
    const char *want_origin; /* of the base */
    legation_stored_kind kind;
    int texts; /* the texts given: the operand is the origin, nothing read */
  } cases[] = {
      {NULL, NULL, {NULL}, 12, 0, "horizon=12\n", "builtin:us-russia-2025",
       LEGATION_STORED_RUN, 0},
      {"us-russia-2025", "us-russia-2025-readmit-50", {"states.a.ci_agents=500", NULL}, 12, 0,
       "states.a.ci_agents=500\nhorizon=12\n", "builtin:us-russia-2025",
       LEGATION_STORED_COMPARE, 0},
      /* the horizon among the sets, drawn parameters after them */
      {"FILE", NULL, {"horizon=12", NULL}, 0, 1, "horizon=12\n@vary=", "FILE",
       LEGATION_STORED_RUN, 0},
      /* as a server would: texts given, "builtin:" origins, no file read */
      {"builtin:us-russia-2025", "builtin:us-russia-2025-readmit-50", {NULL}, 12, 0,
       "horizon=12\n", "builtin:us-russia-2025", LEGATION_STORED_COMPARE, 1},
  };
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    const char *base = cases[c].base && !strcmp(cases[c].base, "FILE") ? file : cases[c].base;
    const char *bname = base && !strncmp(base, "builtin:", 8) ? base + 8 : base;
    const char *oname = cases[c].option && !strncmp(cases[c].option, "builtin:", 8)
                            ? cases[c].option + 8
                            : cases[c].option;
    legation_run *run =
        make_run_sets(bname ? bname : "us-russia-2025", oname, 40, "12", cases[c].sets);
    const char *texts[2] = {bname ? legation_builtin_text(bname) : NULL,
                            oname ? legation_builtin_text(oname) : NULL};
    if (cases[c].vary) {
      CHECK_EQ_INT(legation_run_vary(run, NULL, 0), LEGATION_OK);
      CHECK_EQ_INT(legation_run_set_reps_per_world(run, 4), LEGATION_OK);
    }
    const char *ops[2] = {base, cases[c].option};
    int nsets = 0;
    while (cases[c].sets[nsets]) nsets++;
    legation_session *s = open_session("rows.db");
    legation_session_spec spec = {.operands = ops, .noperands = cases[c].option ? 2 : 1,
                                  .texts = cases[c].texts ? texts : NULL,
                                  .default_scenario = "us-russia-2025",
                                  .sets = cases[c].sets, .nsets = nsets,
                                  .months = cases[c].months, .reps = 40, .threads = 1,
                                  .label = "t", .checkpoint = -1};
    CHECK_EQ_INT(legation_session_begin(s, run, &spec, 0), LEGATION_OK);
    int64_t id = legation_session_id(s);
    CHECK(id > 0);
    CHECK(legation_session_store(s) != NULL);
    CHECK_EQ_INT(legation_run_execute(run), LEGATION_OK);
    CHECK_EQ_INT(legation_session_finish(s, LEGATION_OK), LEGATION_OK);
    CHECK(legation_session_store(s) == NULL); /* finished */
    CHECK_EQ_STR(legation_session_errmsg(s), "");
    legation_session_free(s);

    legation_store_run r;
    legation_store *st = stored("rows.db", id, "complete", &r);
    CHECK_EQ_STR(r.label, "t");
    CHECK_EQ_INT(legation_store_run_kind(&r), cases[c].kind);
    CHECK_EQ_STR(r.origin, strcmp(cases[c].want_origin, "FILE") ? cases[c].want_origin : file);
    if (strcmp(cases[c].want_origin, "FILE") == 0) CHECK_EQ_STR(r.scenario_text, yaml);
    if (cases[c].texts) CHECK_EQ_STR(r.scenario_text, texts[0]);
    if (cases[c].vary) { /* every drawn key, then the replications per world */
      char want[4096];
      snprintf(want, sizeof want, "%s", cases[c].want_sets);
      for (int j = 0; j < legation_run_vary_count(run); j++)
        snprintf(want + strlen(want), sizeof want - strlen(want), "%s%s", j ? "," : "",
                 legation_run_vary_key(run, j));
      strcat(want, "\n@reps_per_world=4\n");
      CHECK_EQ_STR(r.sets, want);
    } else {
      CHECK_EQ_STR(r.sets, cases[c].want_sets);
    }
    char **opsback = NULL;
    int n = 0;
    CHECK_EQ_INT(legation_store_operands(st, id, &opsback, &n), LEGATION_OK);
    CHECK_EQ_INT(n, cases[c].option ? 2 : 1);
    CHECK_EQ_STR(opsback[0], bname ? bname : "us-russia-2025");
    if (n > 1) CHECK_EQ_STR(opsback[1], oname);
    legation_store_operands_free(opsback, n);
    /* the rebuild reads the settings back: the same worlds */
    legation_run *again = NULL;
    CHECK_EQ_INT(legation_store_rebuild(st, id, &again), LEGATION_OK);
    CHECK_EQ_INT(legation_run_vary_count(again), legation_run_vary_count(run));
    CHECK_EQ_INT(legation_run_variant_count(again), legation_run_variant_count(run));
    legation_stat a, b;
    int bal = legation_output_find("balance");
    CHECK_EQ_INT(legation_run_stat(run, bal, &a), LEGATION_OK);
    CHECK_EQ_INT(legation_run_stat(again, bal, &b), LEGATION_OK);
    CHECK(a.mean == b.mean);
    legation_run_free(again);
    legation_store_close(st);
    legation_run_free(run);
  }
  remove_dir();
}

/* An operand that exists but cannot be read (a directory): EIO, the
 * message on the handle, nothing recorded. */
static void unreadable(void) {
  make_dir();
  legation_run *run = make_run("us-russia-2025", NULL, 10, "6");
  const char *ops[1] = {dir};
  legation_session *s = open_session("u.db");
  legation_session_spec spec = {.operands = ops, .noperands = 1, .reps = 10, .checkpoint = -1};
  CHECK_EQ_INT(legation_session_begin(s, run, &spec, 0), LEGATION_EIO);
  char want[600];
  snprintf(want, sizeof want, "cannot read '%s' again to store it", dir);
  CHECK_EQ_STR(legation_session_errmsg(s), want);
  CHECK_EQ_INT(legation_session_id(s), 0);
  legation_session_free(s);
  legation_run_free(run);
  CHECK_EQ_INT(legation_session_begin(NULL, NULL, NULL, 0), LEGATION_EINVAL);
  legation_session_free(NULL);
  remove_dir();
}

/* ------------------------------------------- progress, stop and resume */

typedef struct front {
  int calls;      /* the front end's progress callback */
  int64_t stop_at;/* return 1 from here (0: never) */
  int errors;     /* on_error calls */
  legation_status err_st;
  char err_msg[1024];
  legation_store *fill; /* make this store full after the first call */
} front;

static int front_progress(void *user, int64_t done, int64_t total) {
  front *f = user;
  (void)total;
  f->calls++;
  /* no page beyond those the file has: SQLite never lowers the limit
   * below the current size, so 1 means "as it is now" (a full disk) */
  if (f->fill && f->calls == 1)
    CHECK_EQ_INT(sqlite3_exec(f->fill->db, "PRAGMA max_page_count=1", NULL, NULL, NULL),
                 SQLITE_OK);
  return f->stop_at && done >= f->stop_at;
}

static void front_error(void *user, legation_status st, const char *msg) {
  front *f = user;
  f->errors++;
  f->err_st = st;
  snprintf(f->err_msg, sizeof f->err_msg, "%s", msg);
}

/* Stopped by the front end's callback, then resumed by a second session:
 * the numbers of an uninterrupted run. */
static void resume(void) {
  make_dir();
  legation_run *run = make_run("us-russia-2025", "us-russia-2025-readmit-150", 3000, "12");
  legation_session *s = open_session("r.db");
  front f = {.stop_at = 500};
  legation_session_spec spec = {.noperands = 0, .default_scenario = "us-russia-2025",
                                .months = 12, .reps = 3000, .checkpoint = 0,
                                .progress = front_progress,
                                .progress_user = &f, .on_error = front_error, .error_user = &f};
  const char *ops[2] = {NULL, "us-russia-2025-readmit-150"};
  spec.operands = ops;
  spec.noperands = 2;
  CHECK_EQ_INT(legation_session_begin(s, run, &spec, 0), LEGATION_OK);
  int64_t id = legation_session_id(s);
  CHECK_EQ_INT(legation_run_execute(run), LEGATION_EINTR);
  CHECK(f.calls > 0);
  int64_t done = legation_run_reps_done(run);
  CHECK(done >= 500 && done < 3000);
  CHECK_EQ_INT(legation_session_finish(s, LEGATION_EINTR), LEGATION_OK);
  legation_session_free(s);
  legation_run_free(run);

  legation_store_run r;
  legation_store *st = stored("r.db", id, "incomplete", &r);
  legation_run *again = NULL;
  CHECK_EQ_INT(legation_store_rebuild(st, id, &again), LEGATION_OK);
  s = legation_session_new(st);
  front g = {0};
  legation_session_spec rspec = {.checkpoint = -1, .progress = front_progress,
                                 .progress_user = &g};
  CHECK_EQ_INT(legation_session_begin(s, again, &rspec, id), LEGATION_OK);
  CHECK_EQ_INT(legation_session_id(s), id);
  CHECK_EQ_INT(legation_run_execute(again), LEGATION_OK);
  CHECK(g.calls > 0);
  CHECK_EQ_INT(legation_session_finish(s, LEGATION_OK), LEGATION_OK);
  legation_session_free(s);

  legation_run *whole = make_run("us-russia-2025", "us-russia-2025-readmit-150", 3000, "12");
  CHECK_EQ_INT(legation_run_execute(whole), LEGATION_OK);
  for (int i = 0; i < legation_output_count(); i++) {
    legation_diff a, b;
    CHECK_EQ_INT(legation_run_diff(whole, 1, i, &a), LEGATION_OK);
    CHECK_EQ_INT(legation_run_diff(again, 1, i, &b), LEGATION_OK);
    CHECK(a.paired.mean == b.paired.mean || (isnan(a.paired.mean) && isnan(b.paired.mean)));
  }
  legation_run_free(whole);
  legation_run_free(again);

  st = stored("r.db", id, "complete", &r);
  CHECK_EQ_INT(r.reps_done, 3000);
  /* a complete run cannot be resumed again: the store's message */
  legation_run *third = NULL;
  CHECK_EQ_INT(legation_store_rebuild(st, id, &third), LEGATION_OK);
  s = legation_session_new(st);
  CHECK(legation_session_begin(s, third, &rspec, id) != LEGATION_OK);
  CHECK(strlen(legation_session_errmsg(s)) > 0);
  legation_session_free(s);
  legation_run_free(third);
  remove_dir();
}

/* The store fills up during the run: the front end is told once, the
 * store is dropped, the run goes on to the end, and the finish returns
 * that failure. */
static void fills_up(void) {
  make_dir();
  legation_run *run = make_run("us-russia-2025", NULL, 4000, "12");
  legation_session *s = open_session("f.db");
  front f = {.fill = legation_session_store(s)};
  const char *ops[1] = {NULL};
  legation_session_spec spec = {.operands = ops, .noperands = 1,
                                .default_scenario = "us-russia-2025", .months = 12, .reps = 4000,
                                .keep_reps = 1, .checkpoint = 0, .progress = front_progress,
                                .progress_user = &f, .on_error = front_error,
                                .error_user = &f};
  CHECK_EQ_INT(legation_session_begin(s, run, &spec, 0), LEGATION_OK);
  CHECK_EQ_INT(legation_run_execute(run), LEGATION_OK);
  CHECK_EQ_INT(legation_run_reps_done(run), 4000);
  CHECK_EQ_INT(f.errors, 1);
  CHECK_EQ_INT(f.err_st, LEGATION_EIO);
  CHECK(strstr(f.err_msg, "full") != NULL);
  CHECK(legation_session_store(s) == NULL);
  CHECK_EQ_INT(legation_session_failure(s), LEGATION_EIO);
  CHECK_EQ_INT(legation_session_finish(s, LEGATION_OK), LEGATION_EIO);
  CHECK_EQ_STR(legation_session_errmsg(s), f.err_msg);
  legation_session_free(s);
  legation_run_free(run);
  remove_dir();
}

/* The kind of a stored run from its variants and '@' settings: a setting
 * counts only at the start of a line, and a study's method picks Morris. */
static void kinds(void) {
  static const struct {
    const char *sets;
    int variants;
    legation_stored_kind want;
  } cases[] = {
      {"", 1, LEGATION_STORED_RUN},
      {"horizon=12\n", 2, LEGATION_STORED_COMPARE},
      {"@sweep=a.b:0:1:3\n", 1, LEGATION_STORED_SWEEP},
      {"x=1\n@sweep=a.b:0:1:3\n", 3, LEGATION_STORED_SWEEP},
      {"label=@sweep=\n", 1, LEGATION_STORED_RUN},
      {"@study=sensitivity\n@method=sobol\n", 1, LEGATION_STORED_SOBOL},
      {"@study=sensitivity\n@method=morris\n@n=8\n", 2, LEGATION_STORED_MORRIS},
      {"@study=discover\n@where=balance_change > 0\n", 2, LEGATION_STORED_DISCOVER},
      {"@sweep=a.b:0:1:3\n@study=discover\n", 1, LEGATION_STORED_DISCOVER},
  };
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    legation_store_run r;
    memset(&r, 0, sizeof r);
    r.sets = cases[c].sets;
    r.variants = cases[c].variants;
    CHECK_EQ_INT(legation_store_run_kind(&r), cases[c].want);
  }
}

int main(int argc, char **argv) {
  static const check_case cases[] = {
      {"kinds", kinds},
      {"rows", rows},
      {"unreadable", unreadable},
      {"resume", resume},
      {"fills_up", fills_up},
      {NULL, NULL},
  };
  return check_main(cases, argc, argv);
}
