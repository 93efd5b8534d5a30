#!/bin/sh
# Full syncs through erpsyncd against erpsim: 5,700 customers at 0 ms and
# 100 ms of added latency with K = 1, 2, 4 sessions per job, and 50,000
# products at 0 ms. Prints rows/s, pages/s, the worker's CPU time and peak
# RSS (from wait4 in erpsyncd). Figures only, never pass/fail.
REPO=$(cd "$(dirname "$0")/.." && pwd)
. "$REPO/tests/e2e/lib.sh"
TEST_NAME=bench-sync

# run KIND ROWS LATENCY_MS SESSIONS
run() {
	kind=$1 rows=$2 latency=$3 sessions=$4
	stop_daemon
	stop_sim
	case $kind in
	customers) start_sim --customers "$rows" --seed 21 --latency "$latency" ;;
	products) start_sim --products "$rows" --seed 21 --latency "$latency" ;;
	esac
	rm -rf "$T/data" "$T/state" "$T/sock"
	write_conf "max_sessions_per_user = 8" "max_erp_sessions = 16"
	sed -i "s/^page_size = .*/page_size = 200\nsessions_per_job = $sessions/" "$T/erpsync.conf"
	start_daemon
	user=$( [ "$kind" = customers ] && echo "--user agent1" )
	t0=$(date +%s.%N)
	ctl --json sync "$kind" $user --wait >"$T/bench.out" 2>&1 ||
		fail "sync failed: $(tail -n 3 "$T/bench.out")"
	t1=$(date +%s.%N)
	python3 - "$t0" "$t1" "$kind" "$latency" "$sessions" "$T/bench.out" <<'PY'
import json, sys
t0, t1 = float(sys.argv[1]), float(sys.argv[2])
kind, lat, k, path = sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
job = None
for line in open(path):
    try:
        o = json.loads(line)
    except ValueError:
        continue
    if isinstance(o, dict) and o.get("state") == "done":
        job = o
if job is None:
    sys.exit("no final job in the output")
secs = (job["finished_at"] - job["started_at"]) / 1000.0
print("%-9s %6d rows, latency %3s ms, K=%s: %6.2f s job (%5.2f s wall) "
      "%8.0f rows/s %6.1f pages/s, %3d grid requests, worker cpu %5d ms, peak rss %d KiB"
      % (kind, job["rows"], lat, k, secs, t1 - t0, job["rows"] / secs, job["pages"] / secs,
         job["fetched"], job["worker_cpu_ms"], job["worker_maxrss_kb"]))
PY
}

run customers 5700 0 1
run customers 5700 100 1
run customers 5700 100 2
run customers 5700 100 4
run products 50000 0 1
