#!/bin/sh
# tests/coverage.sh BUILD: the lines of the programs that ran, from the gcov
# counts `make coverage` left in BUILD (default build-cov): each file of
# worker/, then each folder in all. Figures only, never pass/fail.
set -eu
build=${1:-build-cov}
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
[ -d "$build/worker" ] || { echo "coverage: no $build/worker: run make coverage" >&2; exit 1; }
out=$(mktemp -d /tmp/erpsync-cov.XXXXXX)
trap 'rm -rf "$out"' EXIT
for dir in worker supervisor proto common; do
	for f in "$dir"/*.c; do
		# From the top folder, where the objects' source paths start.
		gcov -t -o "$build/$dir" "$f" >"$out/$dir.${f##*/}.gcov" 2>/dev/null ||
			rm -f "$out/$dir.${f##*/}.gcov"
	done
done
python3 - "$out" <<'PY'
import glob, os, re, sys
per = {}
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.gcov"))):
    d, f = os.path.basename(path)[:-5].split(".", 1)
    run = miss = 0
    mine = False	# gcov -t also prints the headers the file includes
    for line in open(path, errors="replace"):
        m = re.match(r"\s*([^:]+):\s*(\d+):(.*)", line)
        if not m:
            continue
        if m.group(2) == "0" and m.group(3).startswith("Source:"):
            mine = m.group(3) == "Source:%s/%s" % (d, f)
        if not mine or m.group(1).strip() == "-":
            continue
        if m.group(1).strip().startswith("#####") or m.group(1).strip().startswith("====="):
            miss += 1
        else:
            run += 1
    per.setdefault(d, []).append((f, run, miss))
def pct(r, m):
    return 100.0 * r / (r + m) if r + m else 100.0
print("worker/, per file: lines run / lines, and the lines no test runs")
for f, r, m in per.get("worker", []):
    print("  %-14s %5d / %5d  %5.1f%%  (%d not run)" % (f, r, r + m, pct(r, m), m))
print("per folder:")
for d in ("worker", "supervisor", "proto", "common"):
    r = sum(x[1] for x in per.get(d, []))
    m = sum(x[2] for x in per.get(d, []))
    print("  %-12s %6d / %6d  %5.1f%%" % (d, r, r + m, pct(r, m)))
PY
echo "coverage: one file's lines: gcov -t -o $build/DIR DIR/FILE.c"
