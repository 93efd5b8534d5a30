#!/bin/sh
# A full sync of 5,700 customers for one agent through erpsyncd, against
# erpsim with 0 ms and with 100 ms of added latency per request. Prints
# rows/s, pages/s, the worker's CPU time and peak RSS. Figures only.
REPO=$(cd "$(dirname "$0")/.." && pwd)
. "$REPO/tests/e2e/lib.sh"
TEST_NAME=bench-customers
N=${N:-5700}

run() {
	latency=$1 sessions=$2
	stop_daemon
	stop_sim
	start_sim --customers "$N" --seed 21 --latency "$latency" >/dev/null
	rm -rf "$T/data" "$T/state" "$T/sock"
	write_conf
	sed -i "s/^page_size = .*/page_size = 200\nsessions_per_job = $sessions/" "$T/erpsync.conf"
	sed -i "s/^max_workers = .*/max_workers = 4\nmax_sessions_per_user = 8\nmax_erp_sessions = 16/" "$T/erpsync.conf"
	start_daemon
	t0=$(date +%s.%N)
	ctl --json sync customers --user agent1 --wait >"$T/bench.out" 2>&1 ||
		fail "sync failed: $(tail -n 3 "$T/bench.out")"
	t1=$(date +%s.%N)
	python3 - "$t0" "$t1" "$latency" "$sessions" "$T/bench.out" <<'PY'
import json, sys
t0, t1, lat, k, path = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
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
print("customers %6d rows, latency %3s ms, K=%s: %6.2f s job (%5.2f s wall) "
      "%8.0f rows/s %6.1f pages/s, %3d requests, worker cpu %4d ms, peak rss %d KiB"
      % (job["rows"], lat, k, secs, t1 - t0, job["rows"] / secs, job["pages"] / secs,
         job["fetched"], job["worker_cpu_ms"], job["worker_maxrss_kb"]))
PY
}

run 0 1
run 100 1
run 100 2
run 100 4
