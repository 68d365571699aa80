/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * progress.c - the progress bar on stderr (only on a terminal, at most ten
 * redraws a second, with an ETA from a monotonic clock) and the SIGINT flag
 * that makes the progress callback ask the library to stop cleanly.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"

/* The one global: set by the SIGINT handler, read by the progress
 * callback.  A signal handler can share nothing else safely. */
static volatile sig_atomic_t cli_sigint_flag = 0;

static void on_sigint(int sig) {
  (void)sig;
  cli_sigint_flag = 1;
}

void cli_sigint_install(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  /* SA_RESETHAND: a second Ctrl-C gets the default action and ends the
   * program, for when the replications in progress take too long. */
  sa.sa_flags = SA_RESETHAND;
  sigaction(SIGINT, &sa, NULL);
}

int cli_interrupted(void) { return cli_sigint_flag != 0; }

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void cli_progress_init(cli_progress *p, int show) {
  memset(p, 0, sizeof *p);
  p->show = show;
  p->start = now_seconds();
  p->last = -1.0;
}

/* "1:02:03" or "2:03". */
static void fmt_duration(char *buf, size_t n, double s) {
  if (!(s >= 0) || s > 359999.0) {
    snprintf(buf, n, "--:--");
    return;
  }
  long t = (long)(s + 0.5);
  if (t >= 3600)
    snprintf(buf, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
  else
    snprintf(buf, n, "%ld:%02ld", t / 60, t % 60);
}

int cli_progress_cb(void *user, int64_t done, int64_t total) {
  cli_progress *p = user;
  if (cli_sigint_flag) return 1;
  if (!p->show || total <= 0) return 0;
  double now = now_seconds();
  if (done < total && p->last >= 0 && now - p->last < 0.1) return 0;
  p->last = now;
  enum { BAR = 30 };
  char bar[BAR + 1];
  int fill = (int)((double)BAR * (double)done / (double)total);
  if (fill < 0) fill = 0;
  if (fill > BAR) fill = BAR;
  memset(bar, '#', (size_t)fill);
  memset(bar + fill, '.', (size_t)(BAR - fill));
  bar[BAR] = 0;
  double elapsed = now - p->start;
  char eta[32];
  if (done > 0)
    fmt_duration(eta, sizeof eta, elapsed * (double)(total - done) / (double)done);
  else
    snprintf(eta, sizeof eta, "--:--");
  fprintf(stderr, "\r[%s] %3d%%  %lld/%lld  ETA %s ", bar,
          (int)(100.0 * (double)done / (double)total), (long long)done,
          (long long)total, eta);
  fflush(stderr);
  p->drawn = 1;
  return 0;
}

void cli_progress_done(cli_progress *p) {
  if (p->drawn) {
    fputs("\r\033[K", stderr);
    fflush(stderr);
    p->drawn = 0;
  }
}
