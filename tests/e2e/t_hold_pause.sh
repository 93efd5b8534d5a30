#!/bin/sh
# A hold taken during a long sync is granted within about a page: the job
# pauses at a page boundary and logs out, the ERP sees no request from it
# while held, nothing else of that user starts; after release it resumes
# from its checkpoint and ends exact. A hold whose client dies is released,
# and a detached one ends with its TTL.
. "$(dirname "$0")/lib.sh"

start_sim --customers 3000 --orders 300 --seed 71 --latency 60
PAGE_SIZE=50 start_quiet_daemon


# 1. A hold during a long sync.
sync_to_page 5 agent1
t0=$(date +%s%N)
take_hold --user agent1 --reason "new order"
t1=$(date +%s%N)
grep -q "granted" "$T/hold.out" || fail "hold not granted: $(cat "$T/hold.out")"
ms=$(( (t1 - t0) / 1000000 ))
granted=$(sed -n "s/.*hold $hold granted after \([0-9]*\) ms.*/\1/p" "$T/erpsyncd.log")
note "hold $hold granted after ${granted} ms in the daemon (${ms} ms for erpsyncctl); a page takes ~70 ms"
[ "$granted" -le 1000 ] || fail "the hold took $granted ms: more than a page or two"
[ "$(job_field "$job" state)" = paused ] || fail "job $job is $(job_field "$job" state), not paused"
page=$(job_field "$job" page)
g1=$(sim_stat grid_requests.agent1)
[ "$(sim_stat sessions.agent1)" = 0 ] || fail "the paused job is still logged in to the ERP"
ctl status >"$T/status.out" || fail "status"
grep -q "hold $hold on agent1 by pid" "$T/status.out" || fail "status does not show the hold: $(cat "$T/status.out")"
grep -q "new order" "$T/status.out" || fail "status does not show the reason"
# Nothing else of agent1 starts while held.
ctl --json sync orders --user agent1 >"$T/s2.json" || fail "orders sync not queued"
ojob=$(job_id "$T/s2.json")
sleep 2
g2=$(sim_stat grid_requests.agent1)
[ "$g1" = "$g2" ] || fail "the ERP served $((g2 - g1)) grid pages to agent1 while held"
[ "$(job_field "$ojob" state)" = queued ] || fail "orders started while held"
job_field "$ojob" blocked | grep -q "held by hold $hold" || fail "orders is not shown as held: $(job_field "$ojob" blocked)"
ctl jobs | grep -q "paused by hold $hold" || fail "jobs does not show who paused the job"
note "held 2 s: grid requests for agent1 stayed at $g1, job $job paused at page $page"

ctl release "$hold" >"$T/release.out" || fail "release failed"
ctl sync customers --user agent1 --wait >"$T/w1.out" 2>&1 || fail "the resumed sync failed: $(cat "$T/w1.out")"
grep -q "attached" "$T/w1.out" || fail "the second request did not attach to the running job: $(cat "$T/w1.out")"
compare customers "$T/data/customers-agent1.db" agent1 || fail "customers differ after the hold"
wait_for 30 state_is "$ojob" done || fail "orders did not run after the release"
compare orders "$T/data/orders.db" agent1 || fail "orders differ"
fetched=$(job_field "$job" fetched)
note "after release: the job ended exact with $fetched grid pages fetched in all (60 pages)"

# 2. A hold whose client dies is released.
ctl --json sync customers --user agent2 >"$T/s3.json" || fail "sync agent2 not queued"
job2=$(job_id "$T/s3.json")
wait_for 30 page_at_least "$job2" 3 || fail "agent2's sync did not start"
"$BIN/erpsyncctl" -s "$T/sock" hold --user agent2 -- sleep 60 >"$T/hold2.out" 2>&1 &
hpid=$!
wait_for 10 state_is "$job2" paused || fail "agent2's job did not pause"
[ "$(hold_count)" = 1 ] || fail "status shows $(hold_count) holds, want 1"
spid=$(pgrep -P "$hpid")
kill -KILL "$hpid"
wait "$hpid" 2>/dev/null
[ -n "$spid" ] && kill "$spid" 2>/dev/null
wait_for 5 sh -c "[ \"\$(\"$BIN/erpsyncctl\" -s \"$T/sock\" --json status | python3 -c 'import json,sys; print(len(json.load(sys.stdin)[\"holds\"]))')\" = 0 ]" ||
	fail "the hold of a dead client was not released"
grep -q "released: its client's connection closed" "$T/erpsyncd.log" || fail "the log does not say why the hold ended"
wait_for 30 state_is "$job2" done || fail "agent2's job did not resume"
compare customers "$T/data/customers-agent2.db" agent2 || fail "agent2 differs after its hold"

# 3. A detached hold ends with its TTL.
ctl hold --ttl 2s --reason maintenance >"$T/hold3.out" 2>&1 || fail "global hold failed"
[ "$(hold_count)" = 1 ] || fail "the detached hold is not listed"
wait_for 6 sh -c "grep -q 'released: its TTL ran out' '$T/erpsyncd.log'" || fail "the TTL did not end the hold"
[ "$(hold_count)" = 0 ] || fail "the expired hold is still listed"
note "ok"
