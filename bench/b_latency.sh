#!/bin/sh
# Wall time against the ERP's latency floor (issue 11). For K = 1, 2, 4
# sessions at 50, 100 and 200 ms added per request, a full sync of 5,700
# customers (page size 200) through erpsyncd and erpsim, then a delta sync
# with 10 changed records (1 session). For each: the worker's wall time,
# the floor, and their ratio. Figures only, never pass/fail.
#
# The floor is the chain of dependent round trips times the latency, plus
# the ERP's own serving time along it:
#  - with 1 session every request waits for the one before: the chain is
#    all of the run's requests;
#  - with K sessions the pages spread over them: the 1-session run's chain
#    less its P pages, plus ceil(P / K);
#  - serving time: each request's own time less the added latency,
#    averaged, times the chain's length.
# Where the rest went is the job's breakdown (ERP, parse, write, other).
REPO=$(cd "$(dirname "$0")/.." && pwd)
. "$REPO/tests/e2e/lib.sh"
TEST_NAME=bench-latency

# run LATENCY SESSIONS [--delta]: one sync; its job as JSON in $T/job.json.
run() {
	latency=$1 sessions=$2 mode=${3:-}
	if [ -z "$mode" ]; then
		stop_daemon
		stop_sim
		start_sim --customers 5700 --seed 21 --latency "$latency"
		rm -rf "$T/data" "$T/state" "$T/sock"
		write_conf "max_sessions_per_user = 8" "max_erp_sessions = 16"
		sed -i "s/^page_size = .*/page_size = 200\nsessions_per_job = $sessions/" "$T/erpsync.conf"
		no_schedules
		start_daemon
	fi
	ctl --json sync customers --user agent1 $mode --wait >"$T/bench.out" 2>&1 ||
		fail "sync failed: $(tail -n 3 "$T/bench.out")"
	tail -n 1 "$T/bench.out" >"$T/job.json"
}

python_report() {
	python3 - "$@" <<'PY'
import json, math, sys
lat, k, one, job = int(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3]), json.loads(sys.argv[4])
pages = job["pages"]
serve = max(0.0, (job["erp_wait_ms"] - job["requests"] * lat) / max(1, job["requests"]))
chain = one["requests"] - one["pages"] + math.ceil(one["pages"] / k) if k > 1 else job["requests"]
floor = chain * (lat + serve)
wall = job["worker_wall_ms"]
print("  %-6s K=%d %4d ms: wall %6d ms, floor %6d ms (%2d round trips, %3.0f ms serving each), "
      "%.2fx; %d requests; ERP %d · parse %d · write %d · other %d ms" % (
      sys.argv[5], k, lat, wall, floor, chain, serve, wall / floor if floor else 0,
      job["requests"], job["erp_blocked_ms"], job["parse_ms"], job["write_ms"], job["other_ms"]))
PY
}

echo "b_latency: worker wall time against the latency floor (5,700 customers, page size 200)"
for lat in 50 100 200; do
	run "$lat" 1
	one=$(cat "$T/job.json")
	python_report "$lat" 1 "$one" "$one" full
	sim_curl -sf -X POST "$ORIGIN/_sim/mutate?kind=customers&user=agent1&update=10" >/dev/null ||
		fail "mutate"
	run "$lat" 1 --delta
	python_report "$lat" 1 "$(cat "$T/job.json")" "$(cat "$T/job.json")" delta
	for k in 2 4; do
		run "$lat" "$k"
		python_report "$lat" "$k" "$one" "$(cat "$T/job.json")" full
	done
done
