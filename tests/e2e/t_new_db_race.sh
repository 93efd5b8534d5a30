#!/bin/sh
# Workers opening a brand-new database at the same instant (regression: two
# first orders syncs racing on a new orders.db failed 8 times in 20 with
# "database is locked" or "table orders already exists"). Eight rounds on
# a fresh data_dir: a hold keeps both agents' first orders syncs and the
# products and prices syncs queued, and its release starts them in the same
# scheduling pass. Every job must end done and exact.
. "$(dirname "$0")/lib.sh"

start_sim --seed 71 --customers 40 --orders 300 --products 400 --prices 600
PAGE_SIZE=50 write_conf
no_schedules customers orders products prices

held() { [ "$(ctl jobs | grep -c 'held by hold')" -ge 3 ]; }
round=1
while [ "$round" -le 8 ]; do
	rm -rf "$T/data" "$T/state"
	mkdir -p "$T/data" "$T/state"
	start_daemon
	take_hold --reason "round $round"
	pids=""
	for what in "orders --user agent1" "orders --user agent2" products prices; do
		# shellcheck disable=SC2086
		ctl sync $what --wait >"$T/r$round-$(echo "$what" | tr -d ' -').out" 2>&1 &
		pids="$pids $!"
	done
	# All four are queued (and held) before the release.
	wait_for 10 held ||
		fail "round $round: the jobs were not all queued behind the hold: $(ctl jobs)"
	ctl release "$hold" >/dev/null || fail "release"
	for p in $pids; do
		wait "$p" || fail "round $round: a sync failed: $(cat "$T"/r$round-*.out | grep -v '^$' | tail -n 8)"
	done
	for u in agent1 agent2; do
		compare orders "$T/data/orders.db" "$u" || fail "round $round: orders $u differ"
	done
	compare products "$T/data/products.db" || fail "round $round: products differ"
	compare prices "$T/data/products.db" || fail "round $round: prices differ"
	stop_daemon
	round=$((round + 1))
done
grep -E 'database is locked|already exists' "$T/erpsyncd.log" && fail "a storage race was logged"
note "ok: 8 rounds of 4 first syncs started together, all exact"
