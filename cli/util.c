/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * util.c - small services shared by the commands: messages on stderr,
 * library status to exit code, strict number parsing, scenario loading by
 * file or built-in name, number and CSV formatting, and files that are
 * written whole or not at all.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

void cli_err(const char *fmt, ...) {
  va_list ap;
  fputs("legation: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

void cli_err_lines(const char *msg) {
  while (msg && *msg) {
    size_t n = strcspn(msg, "\n");
    if (n) fprintf(stderr, "legation: %.*s\n", (int)n, msg);
    msg += n;
    if (*msg == '\n') msg++;
  }
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

/* --------------------------------------------------------- atomic files */

int cli_atomic_open(cli_atomic *af, const char *cmd, const char *path) {
  memset(af, 0, sizeof *af);
  if (strcmp(path, "-") == 0) {
    af->f = stdout;
    return 0;
  }
  size_t n = strlen(path) + 32;
  af->path = malloc(strlen(path) + 1);
  af->tmp = malloc(n);
  if (!af->path || !af->tmp) {
    free(af->path);
    free(af->tmp);
    af->path = af->tmp = NULL;
    cli_err("out of memory");
    return -1;
  }
  strcpy(af->path, path);
  snprintf(af->tmp, n, "%s.tmp.%ld", path, (long)getpid());
  af->f = fopen(af->tmp, "w");
  if (!af->f) {
    cli_err("%s: cannot write '%s': %s", cmd, path, strerror(errno));
    free(af->path);
    free(af->tmp);
    af->path = af->tmp = NULL;
    return -1;
  }
  return 0;
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
  errno = 0;
  int bad = fflush(af->f) != 0 || ferror(af->f);
  int err = errno ? errno : EIO;
  if (fclose(af->f) != 0) {
    bad = 1;
    err = errno;
  }
  af->f = NULL;
  if (!bad && rename(af->tmp, af->path) != 0) {
    bad = 1;
    err = errno;
  }
  if (bad) {
    cli_err("%s: cannot write '%s': %s", cmd, af->path, strerror(err));
    remove(af->tmp);
  }
  free(af->path);
  free(af->tmp);
  af->path = af->tmp = NULL;
  return bad ? -1 : 0;
}

void cli_atomic_abort(cli_atomic *af) {
  if (af->f && af->path) {
    fclose(af->f);
    remove(af->tmp);
  }
  af->f = NULL;
  free(af->path);
  free(af->tmp);
  af->path = af->tmp = NULL;
}
