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
# The faults fired because the schedule says so (tests/erpsim/README.md):
# of the first n requests a fault is offered, floor(n*rate + phase) are
# faulted, the first at i < ceil(1/rate). The job navigates (GB|PN, carried
# out, "Tutti i clienti" on) to the 56 pages after the first, or more.
# drop-rate 0.02 is offered every callback: the first among 50.
sim_stat_least faults.drop.callback 1 "erpsim dropped no callback"
# fail-rate 0.03 is offered the callbacks not dropped (54 or more): the
# first among 34.
sim_stat_least faults.fail.callback 1 "erpsim failed no callback"
# reset-rate 0.05 is offered the 56 navigations: floor(56*0.05) = 2.
sim_stat_least faults.reset 2 "too few filter resets"
# expire-every 15: the worker opens a session again only when the ERP ends
# one; 3 sessions that never expire serve at most 45 requests, fewer than
# the 57 pages.
sim_stat_least faults.expire 1 "no session expired in 57 pages over 3 sessions"

# The ERP allows 2 sessions per user: the job goes on with 2.
curl -sf "$ORIGIN/_sim/faults?max-sessions=2&fail-rate=0&drop-rate=0&expire-every=0&reset-rate=0" >/dev/null || fail "faults"
curl -sf -X POST "$ORIGIN/_sim/mutate?kind=customers&user=agent1&insert=3&update=3&delete=3" >/dev/null || fail "mutate"
ctl sync customers --user agent1 --wait >"$T/s2.out" 2>&1 || fail "sync with a session refused failed: $(tail -n 3 "$T/s2.out")"
compare customers "$T/data/customers-agent1.db" agent1 || fail "not exact with a session refused"
grep -q "fewer sessions" "$T/erpsyncd.log" || fail "no word that the job went on with fewer sessions"
note "ok"
