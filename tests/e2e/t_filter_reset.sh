#!/bin/sh
# A full sync during which the ERP silently resets the filter every few
# pages still ends exact; one whose filter can never be verified fails and
# deletes nothing.
. "$(dirname "$0")/lib.sh"

start_sim --seed 51 --customers 3000 --orders 2000 --reset-rate 0.3
PAGE_SIZE=100 write_conf
start_daemon

ctl sync customers --user agent1 --wait >"$T/s1.out" 2>&1 || fail "sync with resets failed: $(tail -3 "$T/s1.out")"
compare customers "$T/data/customers-agent1.db" agent1 || fail "customers differ with filter resets"
ctl sync orders --user agent1 --wait >"$T/s2.out" 2>&1 || fail "orders sync with resets failed"
compare orders "$T/data/orders.db" agent1 || fail "orders differ with filter resets"
resets=$(sim_stat faults.reset)
note "$resets filter resets survived"
# reset-rate 0.3: of the first n navigations with a needed filter on,
# floor(n*0.3 + phase) reset (tests/erpsim/README.md). With pages of 100 the
# syncs navigate to 29 customer pages and 19 order pages after the first
# (more after each reset), so n >= 48 and at least floor(48*0.3) = 14.
[ "$resets" -ge 14 ] || fail "only $resets resets: the schedule says at least 14"

# Delete customers in the ERP, then make every navigation reset the filter.
curl -sf -X POST "$ORIGIN/_sim/mutate?kind=customers&user=agent1&delete=10" >"$T/m.json" || fail "mutate"
curl -sf "$ORIGIN/_sim/faults?reset-rate=1" >/dev/null || fail "faults"
before=$(sqlite3 "$T/data/customers-agent1.db" "SELECT count(*) FROM customers")
if ctl sync customers --user agent1 --wait >"$T/s3.out" 2>&1; then
	fail "a sync whose filter cannot be verified succeeded"
fi
grep -q "filter" "$T/s3.out" || fail "the error does not say the filter is wrong: $(cat "$T/s3.out")"
after=$(sqlite3 "$T/data/customers-agent1.db" "SELECT count(*) FROM customers")
[ "$before" = "$after" ] || fail "rows were deleted ($before -> $after) although the filter was never verified"

curl -sf "$ORIGIN/_sim/faults?reset-rate=0" >/dev/null || fail "faults"
ctl sync customers --user agent1 --wait >"$T/s4.out" 2>&1 || fail "quiet sync failed"
compare customers "$T/data/customers-agent1.db" agent1 || fail "not exact after the filter came back"
note "ok"
