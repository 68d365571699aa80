#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""ranges-from-prose.py - one-off migration (kept for the record): turn the
plausible ranges that scenario sources stated in prose ("...; range 0.7-0.95")
into structured `range:` and `dist:` fields of the same parameter line.

Distribution rule (docs/MODEL.md "Uncertainty"): a positive range spanning a
factor of 5 or more is loguniform (the source is unsure of the order of
magnitude); otherwise triangular with its mode at the stated value when the
value lies strictly inside the range, else uniform.

Usage: scripts/ranges-from-prose.py scenarios/*.yaml   (rewrites in place,
prints every line it could not convert)."""
import re
import sys

NUM = r"-?\d+(?:\.\d+)?"
PAT = re.compile(r"range (%s)\s*(?:-|to)\s*(%s)" % (NUM, NUM))
LINE = re.compile(r"^(\s*[\w.]+: \{value: )([^,}]+)(, source: \"([^\"]*)\"\})\s*$")


def fmt(x):
    return ("%.10g" % x)


def main():
    for path in sys.argv[1:]:
        out = []
        for no, line in enumerate(open(path), 1):
            m = LINE.match(line.rstrip("\n"))
            if not m or "range:" in line:
                out.append(line)
                continue
            src = m.group(4)
            r = PAT.search(src)
            if not r:
                if "assumption" in src:
                    print("%s:%d: assumption without a range: %s" % (path, no, line.strip()))
                out.append(line)
                continue
            try:
                value = float(m.group(2))
            except ValueError:
                print("%s:%d: not a number: %s" % (path, no, line.strip()))
                out.append(line)
                continue
            lo, hi = float(r.group(1)), float(r.group(2))
            if lo > hi:
                lo, hi = hi, lo
            if not (lo <= value <= hi):
                print("%s:%d: value %g outside range [%g, %g]" % (path, no, value, lo, hi))
                out.append(line)
                continue
            if lo > 0 and hi / lo >= 5:
                dist = "loguniform"
            elif lo < value < hi:
                dist = "triangular"
            else:
                dist = "uniform"
            out.append("%s%s, range: [%s, %s], dist: %s%s\n" % (
                m.group(1), m.group(2), fmt(lo), fmt(hi), dist, m.group(3)))
        open(path, "w").write("".join(out))


if __name__ == "__main__":
    main()
