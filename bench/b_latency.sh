#!/bin/sh
# Wall time against the ERP's latency floor (issue 11). For K = 1, 2, 4
# sessions at 50, 100 and 200 ms added per request, a full sync of 5,700
# customers (page size 200) through erpsyncd and erpsim, then a delta sync
# with 10 changed records (1 session). For each: the worker's wall time,
# the floor, and their ratio. Figures only, never pass/fail.
#
# The floor is the shortest chain of dependent round trips the ERP
# contract and the worker's rules allow, times the latency, plus the ERP's
# own serving time along it. For a full run of P pages with S setup
# commands (customers: page size, filter, sort) on K sessions:
#  - the first session: login page, login form, list view, the S-1 setup
#    commands before the sort, the starting probe (sorted by MODIFICATO
#    IL), the run's sort, whose answer is page 1: S + 4 round trips;
#  - the other sessions fetch their login page meanwhile but post their
#    form only once the first login worked (a wrong password is tried
#    once), so they too are ready after S + 4;
#  - then the P - 1 other pages and the final probe spread over the K
#    sessions: ceil(P / K) round trips; then the logout: 1.
#  floor = S + 5 + ceil(P / K) round trips. A delta (one session, its
#  column filter a fourth setup command, page 1 the last setup answer):
#  3 + S + (P - 1) + 1.
#  Serving time: each request's own time less the added latency,
#  averaged, times the chain's length.
# Where the rest went is the job's breakdown (ERP, parse, write, other),
# and how much of the job's own span (started to finished, as erpsyncd saw
# it: exec and exit included) those parts cover.
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
lat, mode, job = int(sys.argv[1]), sys.argv[2], json.loads(sys.argv[3])
pages, k = max(1, job["pages"]), max(1, job["sessions"])
serve = max(0.0, (job["erp_wait_ms"] - job["requests"] * lat) / max(1, job["requests"]))
if mode == "delta":
    chain = 3 + 4 + (pages - 1) + 1
else:
    chain = 3 + 5 + math.ceil(pages / k)
floor = chain * (lat + serve)
wall = job["worker_wall_ms"]
span = job["finished_at"] - job["started_at"]
parts = sum(job[p] for p in ("erp_blocked_ms", "parse_ms", "write_ms", "paused_ms", "other_ms"))
print("  %-6s K=%d %4d ms: wall %6d ms, floor %6d ms (%2d round trips, %3.0f ms serving each), "
      "%.2fx; %d requests; ERP %d · parse %d · write %d · other %d ms = %.1f%% of the job's %d ms" % (
      mode, k, lat, wall, floor, chain, serve, wall / floor if floor else 0,
      job["requests"], job["erp_blocked_ms"], job["parse_ms"], job["write_ms"], job["other_ms"],
      100.0 * parts / span if span else 0, span))
PY
}

echo "b_latency: worker wall time against the latency floor (5,700 customers, page size 200)"
for lat in ${LATENCIES:-50 100 200}; do
	run "$lat" 1
	python_report "$lat" full "$(cat "$T/job.json")"
	sim_curl -sf -X POST "$ORIGIN/_sim/mutate?kind=customers&user=agent1&update=10" >/dev/null ||
		fail "mutate"
	run "$lat" 1 --delta
	python_report "$lat" delta "$(cat "$T/job.json")"
	for k in 2 4; do
		run "$lat" "$k"
		python_report "$lat" full "$(cat "$T/job.json")"
	done
done
