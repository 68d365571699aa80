#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Regenerate the generated parts of the docs from a built legation:
# the parameter table in docs/MODEL.md and the man page docs/legation.1.
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
# docs/GUIDE.md section 5.4: the 2025 options across plausible worlds
"$B/legation" compare --uncertain --reps 1000 --markdown --no-store --quiet > /tmp/compare.$$.md
awk -v f=/tmp/compare.$$.md '/^<!-- compare-uncertain:end -->$/{while((getline l < f)>0) print l; skip=0}
  !skip{print} /^<!-- compare-uncertain:begin -->$/{skip=1}' docs/GUIDE.md > /tmp/GUIDE.$$.md
mv /tmp/GUIDE.$$.md docs/GUIDE.md
rm -f /tmp/compare.$$.md
