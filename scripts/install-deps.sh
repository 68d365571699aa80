#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# install-deps.sh - install the Debian 12 packages Legation needs, only those
# missing.  Runs apt-get as root (or through sudo when not root).
#
#   scripts/install-deps.sh          what building and `make demo` need: the
#                                    compiler, CMake, pkg-config and the
#                                    libraries (libyaml, GSL, Random123,
#                                    jansson, SQLite, libmicrohttpd).  No Node.js, no
#                                    browser: the report's script is
#                                    committed (web/dist) and compiled in.
#   scripts/install-deps.sh --test   also what the tests and `make web`
#                                    need: Debian's chromium (the browser
#                                    test), Node.js and npm from Debian when
#                                    no `node`/`npm` is on PATH (Debian 12's
#                                    Node 18 runs the pinned esbuild and
#                                    playwright-core), then `npm ci` in web/.
#   scripts/install-deps.sh --bench  what building needs and the load bench
#                                    of `legation serve` (`make bench-serve`:
#                                    wrk, curl, jq); not needed by the tests.
set -eu
cd "$(dirname "$0")/.."
TEST=0
BENCH=0
[ "${1:-}" = "--test" ] && TEST=1
[ "${1:-}" = "--bench" ] && BENCH=1
PKGS="build-essential cmake pkg-config libyaml-dev libgsl-dev librandom123-dev libjansson-dev libsqlite3-dev libgmp-dev libglpk-dev libnlopt-dev libmicrohttpd-dev"
if [ "$TEST" = 1 ]; then
  PKGS="$PKGS chromium lrslib curl jq"
  command -v node >/dev/null 2>&1 || PKGS="$PKGS nodejs"
  command -v npm >/dev/null 2>&1 || PKGS="$PKGS npm"
fi
[ "$BENCH" = 1 ] && PKGS="$PKGS wrk curl jq"
[ "${LEGATION_WITH_CLANG:-0}" = 1 ] && PKGS="$PKGS clang libclang-rt-14-dev"
# Only to regenerate src/analysis/sobol_dirnums.c (Joe & Kuo's table from
# Boost) and its test's reference points (SciPy): not needed to build.
[ "${LEGATION_WITH_SOBOL_TOOLS:-0}" = 1 ] && PKGS="$PKGS libboost-dev python3-scipy"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
  echo "install-deps: all packages present"
else
  echo "install-deps: installing$missing"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
fi
[ "$TEST" = 1 ] || exit 0
# web/node_modules from the committed lock file; skipped when it is current.
if [ ! -f web/node_modules/.package-lock.json ] ||
  ! cmp -s web/package-lock.json web/node_modules/.legation-lock; then
  echo "install-deps: npm ci in web/"
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
  cp web/package-lock.json web/node_modules/.legation-lock
else
  echo "install-deps: web/node_modules current"
fi
