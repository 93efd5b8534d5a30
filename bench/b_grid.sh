#!/bin/sh
# The grid parsers on a ~450 KB 200-row page and erpsim's 200-row pages:
# ms per page, and the heap a stream needs (bench/b_grid.c, built by
# make bench into $B/bench/). Figures only, never pass/fail.
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO" || exit 1
prog=${B:-build}/bench/b_grid
[ -x "$prog" ] || { echo "b_grid: $prog is missing: run make bench" >&2; exit 1; }
"$prog" "${GRID_RUNS:-20}"
