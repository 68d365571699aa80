#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Regenerate the generated parts of the docs from a built legation:
# the parameter table in docs/MODEL.md, the man page docs/legation.1 and
# the generated blocks of docs/GUIDE.md (needs jq).
# Usage: scripts/regen-docs.sh [BUILD-DIR]   (default build)
set -eu
cd "$(dirname "$0")/.."
B=${1:-build}
"$B/legation" params us-russia-2025 --markdown > /tmp/params.$$.md
awk -v f=/tmp/params.$$.md '/^<!-- params:end -->$/{while((getline l < f)>0) print l; skip=0}
  !skip{print} /^<!-- params:begin -->$/{skip=1}' docs/MODEL.md > /tmp/MODEL.$$.md
mv /tmp/MODEL.$$.md docs/MODEL.md
rm -f /tmp/params.$$.md
"$B/legation" help --man > docs/legation.1
# docs/GUIDE.md sections 5.4 to 5.6: each block between <!-- NAME:begin -->
# and <!-- NAME:end --> is the output of scripts/guide-block.sh NAME (the
# command the guide names, its --json through jq); tests/cli/guide-*.t fail
# when one is stale.
for name in $(scripts/guide-block.sh --list); do
  scripts/guide-block.sh "$name" "$B/legation" > /tmp/block.$$.md
  grep -qx "<!-- $name:begin -->" docs/GUIDE.md || { echo "$0: docs/GUIDE.md has no block $name" >&2; exit 1; }
  awk -v f=/tmp/block.$$.md -v b="<!-- $name:begin -->" -v e="<!-- $name:end -->" \
    '$0==e{while((getline l < f)>0) print l; skip=0} !skip{print} $0==b{skip=1}' docs/GUIDE.md > /tmp/GUIDE.$$.md
  mv /tmp/GUIDE.$$.md docs/GUIDE.md
done
rm -f /tmp/block.$$.md
