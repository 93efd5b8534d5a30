#!/bin/sh
# With erpsim's faults on (5xx, dropped connections, cut responses, session
# expiry, filter resets) and a varied layout, the sync still ends exact.
. "$(dirname "$0")/lib.sh"

start_sim --customers 5700 --seed 12 --layout 3 --fail-rate 0.05 \
    --drop-rate 0.03 --truncate-rate 0.03 --expire-every 25 --reset-rate 0.1
PAGE_SIZE=100 write_conf
start_daemon

ctl sync customers --user agent1 --wait >"$T/sync.out" 2>&1 ||
	fail "sync failed: $(cat "$T/sync.out")"
compare customers "$T/data/customers-agent1.db" agent1 || fail "differs with faults on"

for f in fail drop truncate expire reset; do
	n=$(sim_stat "faults.$f")
	note "faults.$f = $n"
done
[ "$(sim_stat faults.reset)" -gt 0 ] || fail "erpsim injected no filter reset: the test proves nothing"
[ "$(sim_stat faults.fail)" -gt 0 ] || fail "erpsim injected no 5xx: the test proves nothing"
note "ok"
