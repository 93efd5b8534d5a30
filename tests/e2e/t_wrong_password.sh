#!/bin/sh
# A wrong password fails the job with an error that says so (class auth),
# and leaves the database as it was. A job with 4 sessions tries the wrong
# password once: the other sessions post their login form only after the
# first login worked.
. "$(dirname "$0")/lib.sh"

start_sim --customers 500 --seed 14
write_conf
start_daemon
ctl sync customers --user agent1 --wait >"$T/sync1.out" 2>&1 || fail "first sync failed"
compare customers "$T/data/customers-agent1.db" agent1 || fail "first sync differs"
before=$(sqlite3 "$T/data/customers-agent1.db" "SELECT count(*), sum(length(name)) FROM customers")

stop_daemon
sed -i 's/^agent1:.*/agent1:not-the-password/' "$T/credentials"
sed -i "s/^page_size = .*/&\nsessions_per_job = 4/; s/^\[supervisor\]$/&\nmax_sessions_per_user = 4/" "$T/erpsync.conf"
start_daemon
sim_curl -sf -X POST "$ORIGIN/_sim/stats/reset" >/dev/null || fail "stats reset"
if ctl sync customers --user agent1 --wait >"$T/sync2.out" 2>&1; then
	fail "sync with a wrong password succeeded"
fi
grep -qi "password" "$T/sync2.out" || fail "the error does not mention the password: $(cat "$T/sync2.out")"
grep -q "auth" "$T/sync2.out" || fail "the error class is not auth: $(cat "$T/sync2.out")"
grep -q "not-the-password" "$T/sync2.out" "$T/erpsyncd.log" && fail "the password leaked into output or logs"
[ "$(sim_stat logins_failed)" = 1 ] ||
	fail "a job of 4 sessions tried the wrong password $(sim_stat logins_failed) times, not once"
[ "$(sim_stat logins_ok)" = 0 ] || fail "a login worked with the wrong password"
after=$(sqlite3 "$T/data/customers-agent1.db" "SELECT count(*), sum(length(name)) FROM customers")
[ "$before" = "$after" ] || fail "database changed: $before -> $after"
compare customers "$T/data/customers-agent1.db" agent1 || fail "database damaged"
note "ok"
