#!/bin/sh
# One job reading with K = 3 ERP sessions at once (libcurl multi) writes
# pages in order and ends exact, also with session expiry, filter resets,
# 5xx and drops; a session the ERP refuses (too many sessions) only makes
# the job use fewer.
. "$(dirname "$0")/lib.sh"

start_sim --seed 71 --customers 5700 --latency 5 --layout 5 \
    --fail-rate 0.03 --drop-rate 0.02 --expire-every 15 --reset-rate 0.05
PAGE_SIZE=100 write_conf "max_sessions_per_user = 4"
sed -i "s/^page_size = .*/page_size = 100\nsessions_per_job = 3/" "$T/erpsync.conf"
start_daemon

ctl sync customers --user agent1 --wait >"$T/s1.out" 2>&1 || fail "sync with 3 sessions failed: $(tail -n 3 "$T/s1.out")"
compare customers "$T/data/customers-agent1.db" agent1 || fail "not exact with 3 sessions"
sessions=$(sim_stat logins_ok)
note "erpsim saw $sessions logins"
[ "$sessions" -ge 3 ] || fail "only $sessions ERP sessions: the job did not use 3"

# The ERP allows 2 sessions per user: the job goes on with 2.
curl -sf "$ORIGIN/_sim/faults?max-sessions=2&fail-rate=0&drop-rate=0&expire-every=0&reset-rate=0" >/dev/null || fail "faults"
curl -sf -X POST "$ORIGIN/_sim/mutate?kind=customers&user=agent1&insert=3&update=3&delete=3" >/dev/null || fail "mutate"
ctl sync customers --user agent1 --wait >"$T/s2.out" 2>&1 || fail "sync with a session refused failed: $(tail -n 3 "$T/s2.out")"
compare customers "$T/data/customers-agent1.db" agent1 || fail "not exact with a session refused"
grep -q "fewer sessions" "$T/erpsyncd.log" || fail "no word that the job went on with fewer sessions"
note "ok"
