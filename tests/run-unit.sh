#!/bin/sh
# Run every Check unit test binary in BUILD/tests (default build).
# Tests open golden files relative to the repository root, so run from there.
set -u
build=${1:-build}
cd "$(dirname "$0")/.." || exit 1
pass=0 fail=0 failed=""
for t in "$build"/tests/check_*; do
	[ -x "$t" ] || continue
	# A binary left from a suite that no longer exists (renamed, split).
	[ -f "tests/unit/$(basename "$t").c" ] || continue
	if "$t"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		failed="$failed $(basename "$t")"
	fi
done
echo "unit ($build): $pass passed, $fail failed"
[ "$fail" -eq 0 ] || { echo "failed:$failed"; exit 1; }
[ "$pass" -gt 0 ] || { echo "no unit tests ran"; exit 1; }
