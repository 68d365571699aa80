/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * util.c - small services shared by the commands: messages on stderr,
 * library status to exit code, strict number parsing, scenario loading by
 * file or built-in name, number and CSV formatting, and the one helper
 * every output file goes through (cli_atomic_*): never the results store,
 * links followed, devices written in place, regular files written whole or
 * not at all, every write error reported with its cause.
 */
/* fopencookie: the first write error of an output, with its errno */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

void cli_err(const char *fmt, ...) {
  char small[512], *msg = small;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if ((size_t)n >= sizeof small && (msg = malloc((size_t)n + 1)) != NULL) {
    va_start(ap, fmt);
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    va_end(ap);
  }
  cli_err_lines(msg ? msg : small); /* on OOM: the first 511 bytes */
  if (msg != small) free(msg);
}

void cli_err_lines(const char *msg) {
  /* every line prefixed; no control character (an ESC from a file name or
   * a stored name) reaches the terminal */
  while (msg && *msg) {
    size_t n = strcspn(msg, "\n");
    if (n) {
      fputs("legation: ", stderr);
      for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)msg[i];
        fputc(c < 0x20 && c != '\t' ? '?' : c == 0x7f ? '?' : c, stderr);
      }
      fputc('\n', stderr);
    }
    msg += n;
    if (*msg == '\n') msg++;
  }
}

int cli_set_months(legation_scenario *sc, const char *cmd, int64_t months) {
  char text[32];
  snprintf(text, sizeof text, "%lld", (long long)months);
  legation_status st = legation_scenario_set(sc, "horizon", text);
  if (st == LEGATION_OK) return CLI_EXIT_OK;
  /* the library names the parameter as --set would: name the option */
  const char *msg = legation_scenario_errmsg(sc);
  const char *prefix = "--set: horizon: ";
  if (msg && strncmp(msg, prefix, strlen(prefix)) == 0)
    cli_err("%s: --months: %.*s", cmd, (int)strcspn(msg + strlen(prefix), "\n"),
            msg + strlen(prefix));
  else
    cli_err("%s: --months %s: %s", cmd, text, msg && *msg ? msg : legation_strerror(st));
  return cli_exit_for(st);
}

int cli_exit_for(legation_status st) {
  switch (st) {
  case LEGATION_OK:
    return CLI_EXIT_OK;
  case LEGATION_EPARSE:
  case LEGATION_ESCHEMA:
  case LEGATION_ENOTFOUND:
  case LEGATION_ERANGE:
    return CLI_EXIT_DATA;
  case LEGATION_EIO:
    return CLI_EXIT_IO;
  case LEGATION_EINTR:
    return CLI_EXIT_INTR;
  default: /* ENOMEM, EINVAL, ERUNTIME, EINTERNAL */
    return CLI_EXIT_RUN;
  }
}

int cli_parse_u64(const char *s, uint64_t *out) {
  if (!s || !*s) return -1;
  uint64_t v = 0;
  for (const char *p = s; *p; p++) {
    if (*p < '0' || *p > '9') return -1;
    unsigned d = (unsigned)(*p - '0');
    if (v > (UINT64_MAX - d) / 10) return -2;
    v = v * 10 + d;
  }
  *out = v;
  return 0;
}

/* Print the library's messages for a failed scenario call, or a generic
 * line when the library left none. */
static int scenario_failed(const legation_scenario *sc, legation_status st,
                           const char *cmd, const char *what) {
  const char *msg = legation_scenario_errmsg(sc);
  if (msg && *msg)
    cli_err_lines(msg);
  else
    cli_err("%s: %s: %s", cmd, what, legation_strerror(st));
  return cli_exit_for(st);
}

int cli_load_scenario(legation_scenario *sc, const char *cmd, const char *operand) {
  const char *name = operand ? operand : CLI_DEFAULT_SCENARIO;
  struct stat stbuf;
  legation_status st;
  if (operand && stat(operand, &stbuf) == 0) {
    st = legation_scenario_load_file(sc, operand);
  } else if (legation_builtin_text(name)) {
    st = legation_scenario_load_builtin(sc, name);
  } else {
    cli_err("%s: '%s': no such file or built-in scenario (see 'legation scenarios')",
            cmd, name);
    return CLI_EXIT_DATA;
  }
  if (st != LEGATION_OK) return scenario_failed(sc, st, cmd, name);
  return CLI_EXIT_OK;
}

int cli_apply_sets(legation_scenario *sc, const char *cmd, const char *const *sets,
                   int nsets) {
  for (int i = 0; i < nsets; i++) {
    const char *eq = strchr(sets[i], '=');
    size_t klen = (size_t)(eq - sets[i]);
    char *key = malloc(klen + 1);
    if (!key) {
      cli_err("out of memory");
      return CLI_EXIT_RUN;
    }
    memcpy(key, sets[i], klen);
    key[klen] = 0;
    legation_status st = legation_scenario_set(sc, key, eq + 1);
    int rc = st == LEGATION_OK ? CLI_EXIT_OK : scenario_failed(sc, st, cmd, sets[i]);
    free(key);
    if (rc) return rc;
  }
  return CLI_EXIT_OK;
}

const char *cli_fmt_real(char *buf, size_t bufsz, double x) {
  if (!isfinite(x)) {
    if (bufsz) buf[0] = 0;
    return buf;
  }
  for (int prec = 15; prec <= 17; prec++) {
    snprintf(buf, bufsz, "%.*g", prec, x);
    if (strtod(buf, NULL) == x) break;
  }
  return buf;
}

void cli_csv_field(FILE *f, const char *s) {
  if (!s) return;
  if (!s[strcspn(s, ",\"\r\n")]) {
    fputs(s, f);
    return;
  }
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '"') fputc('"', f);
    fputc(*s, f);
  }
  fputc('"', f);
}

/* --------------------------------------------------------- output files */

/* The first write error of a file written through the cookie below, so
 * that the message names the cause (ENOSPC from /dev/full) even when the
 * stream's buffer was flushed long before the commit. */
static ssize_t out_write(void *cookie, const char *buf, size_t n) {
  cli_atomic *af = cookie;
  size_t done = 0;
  while (done < n) {
    ssize_t w = write(af->fd, buf + done, n - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      if (!af->err) af->err = w < 0 ? errno : EIO;
      errno = af->err;
      return done ? (ssize_t)done : -1;
    }
    done += (size_t)w;
  }
  return (ssize_t)done;
}

static int out_close(void *cookie) {
  (void)cookie; /* the descriptor is closed by the commit, which checks it */
  return 0;
}

/* Nonzero when st describes the same file as path (which may not exist). */
static int same_file(const struct stat *st, const char *path) {
  struct stat o;
  return stat(path, &o) == 0 && o.st_dev == st->st_dev && o.st_ino == st->st_ino;
}

/* Refuse an output that is one of the files the command keeps or reads: the
 * results store with its -wal, -shm and -journal files, and (run, compare)
 * the scenario files given as operands.  Prints the message; returns an
 * exit code. */
static int check_protected(const cli_args *a, const char *path) {
  const char *cmd = a->cmd->name;
  const char *db = cli_store_path(a);
  struct stat st;
  int exists = stat(path, &st) == 0;
  static const char *const side[] = {"", "-wal", "-shm", "-journal"};
  for (size_t i = 0; i < sizeof side / sizeof side[0]; i++) {
    char name[4200];
    if (snprintf(name, sizeof name, "%s%s", db, side[i]) >= (int)sizeof name) continue;
    if ((exists && same_file(&st, name)) || strcmp(path, name) == 0) {
      cli_err("%s: '%s' is the results store%s%s; an output never replaces it (choose "
              "another file name)",
              cmd, path, i ? "'s file " : "", i ? name : "");
      return CLI_EXIT_USAGE;
    }
  }
  if (exists && (a->cmd->bit & (CLI_CMD_RUN | CLI_CMD_COMPARE)))
    for (int i = 0; i < a->npos; i++)
      if (same_file(&st, a->pos[i])) {
        cli_err("%s: '%s' is the scenario file '%s'; an output never replaces it", cmd, path,
                a->pos[i]);
        return CLI_EXIT_USAGE;
      }
  return CLI_EXIT_OK;
}

/* The file a path names once its symbolic links are followed (the path
 * itself if it is not a link), malloc'd; a dangling link gives its
 * target, which is then created.  NULL with errno set (ELOOP, ENOMEM). */
static char *follow_links(const char *path) {
  size_t len = strlen(path);
  char *p = malloc(len + 1);
  if (!p) return NULL;
  memcpy(p, path, len + 1);
  for (int hops = 0;; hops++) {
    struct stat st;
    if (lstat(p, &st) != 0 || !S_ISLNK(st.st_mode)) return p;
    if (hops == 40) {
      free(p);
      errno = ELOOP;
      return NULL;
    }
    size_t cap = (size_t)(st.st_size > 0 ? st.st_size : 255) + 1;
    char *t = malloc(cap);
    ssize_t n = t ? readlink(p, t, cap) : -1;
    if (n < 0 || (size_t)n >= cap) { /* changed meanwhile: read it next time round */
      free(t);
      if (n < 0 && errno != EINVAL) {
        free(p);
        return NULL;
      }
      continue;
    }
    t[n] = 0;
    const char *slash = strrchr(p, '/');
    size_t dir = t[0] == '/' || !slash ? 0 : (size_t)(slash - p) + 1;
    char *q = malloc(dir + (size_t)n + 1);
    if (!q) {
      free(t);
      free(p);
      errno = ENOMEM;
      return NULL;
    }
    memcpy(q, p, dir);
    memcpy(q + dir, t, (size_t)n + 1);
    free(t);
    free(p);
    p = q;
  }
}

int cli_output_check(const cli_args *a, const char *path) {
  if (!path || strcmp(path, "-") == 0) return CLI_EXIT_OK;
  return check_protected(a, path);
}

int cli_atomic_open(cli_atomic *af, const cli_args *a, const char *path) {
  const char *cmd = a->cmd->name;
  memset(af, 0, sizeof *af);
  af->fd = -1;
  if (strcmp(path, "-") == 0) {
    af->f = stdout;
    return CLI_EXIT_OK;
  }
  int rc = check_protected(a, path);
  if (rc) return rc;
  af->shown = path;
  af->path = follow_links(path);
  if (!af->path) {
    cli_err("%s: cannot write '%s': %s", cmd, path, strerror(errno));
    return CLI_EXIT_IO;
  }
  struct stat st;
  int exists = stat(af->path, &st) == 0;
  if (exists && S_ISDIR(st.st_mode)) {
    errno = EISDIR;
    goto fail;
  }
  if (exists && !S_ISREG(st.st_mode)) {
    /* A device or FIFO is written in place (as the shell's > would), never
     * replaced; a block device or socket is refused. */
    if (!S_ISCHR(st.st_mode) && !S_ISFIFO(st.st_mode)) {
      cli_err("%s: cannot write '%s': not a regular file, a character device or a FIFO", cmd,
              path);
      cli_atomic_abort(af);
      return CLI_EXIT_IO;
    }
    af->inplace = 1;
    af->fd = open(af->path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
  } else {
    /* A new file beside the target, renamed over it at the commit: readers
     * see the old file or the whole new one.  It keeps an existing file's
     * permissions. */
    size_t n = strlen(af->path) + 32;
    if (!(af->tmp = malloc(n))) {
      errno = ENOMEM;
      goto fail;
    }
    snprintf(af->tmp, n, "%s.tmp.%ld", af->path, (long)getpid());
    af->fd = open(af->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOCTTY | O_CLOEXEC, 0666);
    if (af->fd < 0 && errno == EEXIST && unlink(af->tmp) == 0) /* left by a dead process */
      af->fd = open(af->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOCTTY | O_CLOEXEC, 0666);
    if (af->fd >= 0 && exists) (void)fchmod(af->fd, st.st_mode & 07777);
  }
  if (af->fd < 0) goto fail;
  cookie_io_functions_t io = {NULL, out_write, NULL, out_close};
  af->f = fopencookie(af, "w", io);
  if (!af->f) goto fail;
  return CLI_EXIT_OK;
fail:
  cli_err("%s: cannot write '%s': %s", cmd, path, strerror(errno));
  cli_atomic_abort(af);
  return CLI_EXIT_IO;
}

int cli_atomic_commit(cli_atomic *af, const char *cmd) {
  if (!af->f) return -1;
  if (!af->path) { /* stdout */
    af->f = NULL;
    if (fflush(stdout) != 0 || ferror(stdout)) {
      cli_err("%s: error writing standard output: %s", cmd, strerror(errno));
      return -1;
    }
    return 0;
  }
  /* Every write error counts, the ones at fsync and close too (a full disk
   * or quota may only show there). */
  if (fflush(af->f) != 0 && !af->err) af->err = errno ? errno : EIO;
  if (ferror(af->f) && !af->err) af->err = EIO;
  fclose(af->f);
  af->f = NULL;
  if (!af->err && !af->inplace && fsync(af->fd) != 0) af->err = errno;
  if (close(af->fd) != 0 && !af->err && errno != EINTR) af->err = errno;
  af->fd = -1;
  if (!af->err && af->tmp && rename(af->tmp, af->path) != 0) af->err = errno;
  int bad = af->err != 0;
  if (bad) cli_err("%s: cannot write '%s': %s", cmd, af->shown, strerror(af->err));
  if (!bad && af->tmp) {
    free(af->tmp); /* renamed: nothing to remove */
    af->tmp = NULL;
  }
  cli_atomic_abort(af);
  return bad ? -1 : 0;
}

void cli_atomic_abort(cli_atomic *af) {
  if (af->f && af->path) fclose(af->f);
  if (af->path && af->fd >= 0) close(af->fd);
  if (af->tmp) unlink(af->tmp);
  af->f = NULL;
  af->fd = -1;
  free(af->path);
  free(af->tmp);
  af->path = af->tmp = NULL;
}
