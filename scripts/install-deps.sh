#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# install-deps.sh - install the Debian 12 packages Legation needs, only those
# missing.  Runs apt-get as root (or through sudo when not root).
set -eu
PKGS="build-essential cmake pkg-config libyaml-dev libgsl-dev librandom123-dev libjansson-dev libsqlite3-dev"
[ "${LEGATION_WITH_CLANG:-0}" = 1 ] && PKGS="$PKGS clang libclang-rt-14-dev"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
  echo "install-deps: all packages present"
  exit 0
fi
echo "install-deps: installing$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
