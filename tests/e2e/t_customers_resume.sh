#!/bin/sh
# A worker killed with SIGKILL mid-sync: `sync --resume` (or the automatic
# retry it merges into) resumes from the checkpoint (fewer grid pages
# fetched than a fresh run) and ends exact.
. "$(dirname "$0")/lib.sh"

start_sim --customers 5700 --seed 13 --latency 20
PAGE_SIZE=50 write_conf
start_daemon

pages=$(( (5700 + 49) / 50 ))
ctl sync customers --user agent1 >"$T/start.out" 2>&1 || fail "sync not queued"

# Wait until at least 20 pages are committed, then kill the worker.
committed() {
	n=$(sqlite3 "$T/data/customers-agent1.db" \
	    "SELECT next_page FROM _sync WHERE kind='customers'" 2>/dev/null)
	[ "${n:-0}" -ge 20 ]
}
wait_for 60 committed || fail "the sync did not reach page 20"
wpid=$(pgrep -P "$DAEMON_PID" -f erpsync-worker | head -n 1)
[ -n "$wpid" ] || fail "no worker process under erpsyncd"
kill -KILL "$wpid"
done_before=$(sqlite3 "$T/data/customers-agent1.db" \
    "SELECT next_page FROM _sync WHERE kind='customers'")
note "killed worker $wpid after $done_before of $pages pages"

# Let the supervisor record the crash, then run again and count requests.
wait_for 20 sh -c "! kill -0 $wpid 2>/dev/null" || fail "worker survived SIGKILL"
sleep 0.5
curl -s -X POST "$ORIGIN/_sim/stats/reset" >/dev/null || fail "stats reset"
ctl sync customers --user agent1 --resume --wait >"$T/sync2.out" 2>&1 ||
	fail "resumed sync failed: $(cat "$T/sync2.out")"
served=$(sim_stat grid_requests.agent1)
note "resumed run made $served grid requests (a fresh run needs at least $pages)"
[ "$served" -gt 0 ] || fail "no grid requests counted"
[ "$served" -lt "$pages" ] || fail "the resumed run fetched $served pages: no resume"
compare customers "$T/data/customers-agent1.db" agent1 || fail "differs after resume"
note "ok"
