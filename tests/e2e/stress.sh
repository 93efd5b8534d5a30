#!/bin/sh
# Run end-to-end scripts N times in a row and count passes and failures per
# script: a test that fails once in N is a defect to fix, not to re-run.
#   sh tests/e2e/stress.sh BIN N t_name...
# Prints one line per round and a table; exits 1 if anything failed. The
# output of every failed run is kept in /tmp/e2e-stress.*/.
set -u
bin=${1:-bin}
n=${2:-20}
shift 2
cd "$(dirname "$0")/../.." || exit 1
[ $# -gt 0 ] || { echo "usage: $0 BIN N t_name..." >&2; exit 2; }
keep=$(mktemp -d /tmp/e2e-stress.XXXXXX)
start=$(date +%s)
for t in "$@"; do
	[ -f "tests/e2e/$t.sh" ] || { echo "no tests/e2e/$t.sh" >&2; exit 2; }
	eval "pass_$t=0 fail_$t=0"
done
round=1
while [ "$round" -le "$n" ]; do
	line="round $round/$n:"
	for t in "$@"; do
		out="$keep/$t.$round.out"
		if BIN="$bin" timeout 300 sh "tests/e2e/$t.sh" >"$out" 2>&1; then
			eval "pass_$t=\$((pass_$t + 1))"
			rm -f "$out"
		else
			eval "fail_$t=\$((fail_$t + 1))"
			line="$line FAIL $t"
		fi
	done
	echo "$line ($(( $(date +%s) - start ))s)"
	round=$((round + 1))
done
total_fail=0
printf '%-24s %6s %6s\n' script passed failed
for t in "$@"; do
	eval "p=\$pass_$t f=\$fail_$t"
	printf '%-24s %6d %6d\n' "$t" "$p" "$f"
	total_fail=$((total_fail + f))
done
echo "stress ($bin): $n rounds of $# scripts in $(( $(date +%s) - start ))s, $total_fail failed runs"
if [ "$total_fail" -gt 0 ]; then
	echo "outputs of the failed runs: $keep"
	exit 1
fi
rmdir "$keep"
