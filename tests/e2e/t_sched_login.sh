#!/bin/sh
# Login events against freshness: an agent never synced gets customers,
# then orders (orders waits for the first customers sync); an agent last
# synced 3h ago gets customers then orders; one synced 1h ago gets nothing,
# and is told why; `sync --force` always runs.
#
# "Last synced 3h ago" without waiting: the daemon is stopped, state.db's
# freshness rows are moved back in time with sqlite3, and it is started
# again (state.db is read only at boot).
. "$(dirname "$0")/lib.sh"

start_sim --customers 600 --orders 400 --seed 81 --latency 5
PAGE_SIZE=100 write_conf
# The schedule and the stale check off: only the events under test run.
no_schedules
start_daemon

jobs_json() { ctl --json jobs -n 100 >"$T/jobs.json" || fail "jobs --json"; }
# event_jobs FILE: "kind:outcome:job" per result of an `event --json`
results() {
	python3 -c 'import json,sys
for r in json.load(open(sys.argv[1]))["results"]:
    print("%s:%s:%s" % (r["kind"], r["outcome"], r["job"]))' "$1"
}
active_count() {
	jobs_json
	python3 -c 'import json,sys
print(sum(1 for j in json.load(open(sys.argv[1]))["jobs"] if j["state"] in ("queued","starting","running","paused")))' "$T/jobs.json"
}

# 1. Never synced: customers, then orders once customers is done.
ctl --json event login agent1 >"$T/e1.json" || fail "event login failed"
results "$T/e1.json" >"$T/e1.txt"
grep -q "^customers:queued:" "$T/e1.txt" || fail "customers not queued: $(cat "$T/e1.txt")"
grep -q "^orders:queued:" "$T/e1.txt" || fail "orders not queued: $(cat "$T/e1.txt")"
c1=$(sed -n 's/^customers:queued://p' "$T/e1.txt")
o1=$(sed -n 's/^orders:queued://p' "$T/e1.txt")
wait_for 30 state_is "$o1" done || fail "orders did not finish: $(job_field "$o1" state) $(job_field "$o1" message)"
state_is "$c1" done || fail "customers did not finish"
[ "$(job_field "$c1" mode)" = full ] || fail "the first customers run is not full"
cfin=$(job_field "$c1" finished_at)
ostart=$(job_field "$o1" started_at)
[ "$ostart" -ge "$cfin" ] || fail "orders started ($ostart) before the first customers sync ended ($cfin)"
note "never synced: customers job $c1 then orders job $o1 (started $((ostart - cfin)) ms after customers ended)"
compare customers "$T/data/customers-agent1.db" agent1 || fail "customers differ"
compare orders "$T/data/orders.db" agent1 || fail "orders differ"
ctl sync customers --user agent2 --wait >/dev/null 2>&1 || fail "agent2 customers"
ctl sync orders --user agent2 --wait >/dev/null 2>&1 || fail "agent2 orders"

# 2. Move the clock back: agent1 last synced 3h ago, agent2 1h ago.
stop_daemon
now=$(date +%s)000
sqlite3 "$T/state/state.db" "
    UPDATE freshness SET last_full_ok = $now - 3*3600*1000,
        last_delta_ok = NULL WHERE user = 'agent1';
    UPDATE freshness SET last_full_ok = $now - 3600*1000,
        last_delta_ok = NULL WHERE user = 'agent2';" || fail "editing state.db"
start_daemon
ctl users >"$T/users.out" || fail "users"
grep -E "^agent1 .*customers +3h ago" "$T/users.out" >/dev/null ||
	fail "users does not show agent1 3h old: $(cat "$T/users.out")"

ctl --json event login agent2 >"$T/e2.json" || fail "event login agent2"
results "$T/e2.json" >"$T/e2.txt"
[ "$(grep -c ":skipped:0$" "$T/e2.txt")" = 2 ] || fail "agent2 (1h old) was not skipped: $(cat "$T/e2.txt")"
ctl event login agent2 >"$T/e2.out" || fail "event login agent2 (text)"
grep -q "fresh: last success 1h ago, within login_after 2h" "$T/e2.out" ||
	fail "the skip does not say why: $(cat "$T/e2.out")"
[ "$(active_count)" = 0 ] || fail "a job started for agent2"

ctl --json event login agent1 >"$T/e3.json" || fail "event login agent1"
results "$T/e3.json" >"$T/e3.txt"
c2=$(sed -n 's/^customers:queued://p' "$T/e3.txt")
o2=$(sed -n 's/^orders:queued://p' "$T/e3.txt")
[ -n "$c2" ] && [ -n "$o2" ] || fail "agent1 (3h old) did not get both kinds: $(cat "$T/e3.txt")"
wait_for 30 state_is "$c2" done || fail "customers did not finish"
wait_for 30 state_is "$o2" done || fail "orders did not finish"
[ "$(job_field "$c2" trigger)" = login ] || fail "customers trigger is $(job_field "$c2" trigger)"
[ "$(job_field "$c2" mode)" = delta ] || fail "a 3h-old agent got a $(job_field "$c2" mode) run, want delta"
cst=$(job_field "$c2" started_at)
ost=$(job_field "$o2" started_at)
[ "$cst" -le "$ost" ] || fail "orders started before customers"
first=$(grep -E "job=($c2|$o2) .*worker pid [0-9]+ started" "$T/erpsyncd.log" | head -n 1 | sed 's/.*job=\([0-9]*\).*/\1/')
[ "$first" = "$c2" ] || fail "the first worker started was for job $first, not customers ($c2)"
note "3h old: customers job $c2 then orders job $o2 (delta); 1h old: both skipped"

# 3. --force always runs, fresh or not.
ctl sync customers --user agent2 --force --wait >"$T/f.out" 2>&1 || fail "forced sync failed: $(cat "$T/f.out")"
grep -q "done" "$T/f.out" || fail "the forced sync did not run: $(cat "$T/f.out")"
compare customers "$T/data/customers-agent2.db" agent2 || fail "agent2 differs"
compare customers "$T/data/customers-agent1.db" agent1 || fail "agent1 differs"
compare orders "$T/data/orders.db" agent1 || fail "orders agent1 differ"
note "ok"
