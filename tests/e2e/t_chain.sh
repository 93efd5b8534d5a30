#!/bin/sh
# The end of a run overlaps its last page (issue 11): once every page has
# been asked for, a session with nothing left takes the final probe and
# logs out while the last page is still on its way. erpsim's gate holds
# back the answer of the last page (page 10 of 10): while it is held, the
# other session must already have logged out (after its probe), and the
# sync then ends exact and sweeps (the probe taken beside the last page
# counts). Before, the final probe and the logouts waited for the last page.
. "$(dirname "$0")/lib.sh"

start_sim --customers 2000 --seed 33
write_conf
sed -i "s/^page_size = .*/page_size = 200\nsessions_per_job = 2/" "$T/erpsync.conf"
no_schedules
start_daemon
gate_at 10 agent1
ctl --json sync customers --user agent1 --wait >"$T/sync.out" 2>&1 &
waiter=$!
wait_for 30 gate_parked || fail "the last page was never asked for"
# (the gate lets go by itself after a while: the check is made while held)
logout_while_held() { gate_parked && [ "$(sim_stat logouts)" -ge 1 ]; }
wait_for 8 logout_while_held ||
	fail "no session logged out while the last page was held (logouts $(sim_stat logouts))"
[ "$(sim_stat logouts)" = 1 ] || fail "$(sim_stat logouts) logouts while a session still reads"
[ "$(sim_stat sessions.agent1)" = 1 ] ||
	fail "agent1 has $(sim_stat sessions.agent1) ERP sessions while the last page is held, not 1"
gate_parked || fail "the last page was answered before the check"
gate_open
wait "$waiter" || fail "the sync failed: $(tail -n 3 "$T/sync.out")"
compare customers "$T/data/customers-agent1.db" agent1 || fail "the mirror differs"
sweep=$(tail -n 1 "$T/sync.out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["sweep"])')
case $sweep in swept*) ;; *) fail "no sweep with the final probe beside the last page: $sweep" ;; esac
[ "$(sim_stat logouts)" = 2 ] || fail "$(sim_stat logouts) logouts at the end, not 2"
[ "$(sim_stat sessions.agent1)" = 0 ] || fail "sessions left logged in: $(sim_stat sessions.agent1)"
note "ok: the probe and a logout went out while page 10 was held; $sweep"
