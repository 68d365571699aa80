#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# install-deps.sh - install the Debian 12 packages Legation needs, only those
# missing, then the web tools (npm ci in web/: esbuild, uPlot, playwright-core
# for the browser test).  Runs apt-get as root (or through sudo when not
# root).  Node.js and npm come from apt only when no `node`/`npm` is on PATH
# (Debian 12's Node 18 builds the bundle; the browser test's playwright-core
# wants Node 20).  chromium is Debian's, for tests/browser.
set -eu
cd "$(dirname "$0")/.."
PKGS="build-essential cmake pkg-config libyaml-dev libgsl-dev librandom123-dev libjansson-dev libsqlite3-dev libgmp-dev libglpk-dev libnlopt-dev lrslib chromium"
command -v node >/dev/null 2>&1 || PKGS="$PKGS nodejs"
command -v npm >/dev/null 2>&1 || PKGS="$PKGS npm"
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
# web/node_modules from the committed lock file; skipped when it is current.
if [ ! -f web/node_modules/.package-lock.json ] ||
  ! cmp -s web/package-lock.json web/node_modules/.legation-lock; then
  echo "install-deps: npm ci in web/"
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
  cp web/package-lock.json web/node_modules/.legation-lock
else
  echo "install-deps: web/node_modules current"
fi
