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
# Every fault fired because the schedule says so (tests/erpsim/README.md):
# of the first n requests a fault is offered, floor(n*rate + phase) are
# faulted, the first at i < ceil(1/rate). The sync reads 57 pages of 100,
# the 56 after the first through a callback that navigates (GB|PN) and was
# carried out with "Tutti i clienti" on; retries only add requests.
# drop-rate 0.03 is offered every callback: the first among the first 34.
sim_stat_least faults.drop.callback 1 "erpsim dropped no callback"
# fail-rate 0.05 is offered the callbacks not dropped: at most 2 of the
# first 56 (floor(56*0.03 + phase)), so 54 or more, and the first fail is
# among the first 20.
sim_stat_least faults.fail.callback 1 "erpsim injected no 5xx"
# truncate-rate 0.03 is offered the callbacks neither dropped nor failed:
# at least 54 - 3 (floor(54*0.05 + phase)) = 51; the first among 34.
sim_stat_least faults.truncate.callback 1 "erpsim truncated no callback"
# reset-rate 0.1 is offered the 56 navigations or more: floor(56*0.1) = 5.
sim_stat_least faults.reset 5 "too few filter resets"
# expire-every 25: the worker logs in again only when the ERP ends its
# session, and the job makes more than 57 authenticated requests.
sim_stat_least faults.expire 1 "no session expired: the job's session made 26 requests"
note "ok"
