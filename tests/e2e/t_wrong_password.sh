#!/bin/sh
# A wrong password fails the job with an error that says so (class auth),
# and leaves the database as it was.
. "$(dirname "$0")/lib.sh"

start_sim --customers 500 --seed 14
write_conf
start_daemon
ctl sync customers --user agent1 --wait >"$T/sync1.out" 2>&1 || fail "first sync failed"
compare customers "$T/data/customers-agent1.db" agent1 || fail "first sync differs"
before=$(sqlite3 "$T/data/customers-agent1.db" "SELECT count(*), sum(length(name)) FROM customers")

stop_daemon
sed -i 's/^agent1:.*/agent1:not-the-password/' "$T/credentials"
start_daemon
if ctl sync customers --user agent1 --wait >"$T/sync2.out" 2>&1; then
	fail "sync with a wrong password succeeded"
fi
grep -qi "password" "$T/sync2.out" || fail "the error does not mention the password: $(cat "$T/sync2.out")"
grep -q "auth" "$T/sync2.out" || fail "the error class is not auth: $(cat "$T/sync2.out")"
grep -q "not-the-password" "$T/sync2.out" "$T/erpsyncd.log" && fail "the password leaked into output or logs"
after=$(sqlite3 "$T/data/customers-agent1.db" "SELECT count(*), sum(length(name)) FROM customers")
[ "$before" = "$after" ] || fail "database changed: $before -> $after"
compare customers "$T/data/customers-agent1.db" agent1 || fail "database damaged"
note "ok"
