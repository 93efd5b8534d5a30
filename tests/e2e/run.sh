#!/bin/sh
# Run the end-to-end scripts with BIN=$1 (default bin): all of
# tests/e2e/t_*.sh, or only the names given after it. Each is bounded in
# time; prints one line per test and a summary.
set -u
bin=${1:-bin}
[ $# -gt 0 ] && shift
cd "$(dirname "$0")/../.." || exit 1
pass=0 fail=0 failed=""
if [ $# -gt 0 ]; then
	tests=$(for n in "$@"; do echo "tests/e2e/$n.sh"; done)
else
	tests=$(ls tests/e2e/t_*.sh)
fi
for t in $tests; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	start=$(date +%s)
	out=$(mktemp /tmp/e2e-$name.XXXXXX)
	if BIN="$bin" timeout 300 sh "$t" >"$out" 2>&1; then
		pass=$((pass + 1))
		echo "ok   $name ($(( $(date +%s) - start ))s)"
	else
		fail=$((fail + 1))
		failed="$failed $name"
		echo "FAIL $name ($(( $(date +%s) - start ))s)"
		sed 's/^/    /' "$out" | tail -n 60
	fi
	rm -f "$out"
done
echo "e2e ($bin): $pass passed, $fail failed"
[ "$fail" -eq 0 ] || { echo "failed:$failed"; exit 1; }
[ "$pass" -gt 0 ] || { echo "no e2e tests ran"; exit 1; }
