#!/bin/sh
# For two agents, all four kinds synced through erpsyncctl end exactly equal
# to erpsim's ground truth, with a varied layout (column order, extra
# columns, command cells) and every fault flag on at once; two agents'
# orders syncs run at the same time into the shared orders.db.
. "$(dirname "$0")/lib.sh"

start_sim --seed 61 --layout 7 --customers 1500 --orders 1200 --products 2500 --prices 3000 \
    --fail-rate 0.03 --drop-rate 0.02 --truncate-rate 0.02 --expire-every 12 --reset-rate 0.05
PAGE_SIZE=100 write_conf
start_daemon

# Both agents' orders at the same time: a hold keeps both queued, and its
# release starts them in the same scheduling pass.
take_hold --reason "start together"
ctl sync orders --user agent1 --wait >"$T/o1.out" 2>&1 &
o1=$!
ctl sync orders --user agent2 --wait >"$T/o2.out" 2>&1 &
o2=$!
held() { [ "$(ctl jobs | grep -c 'held by hold')" -ge 2 ]; }
wait_for 10 held || fail "the orders syncs were not both queued behind the hold: $(ctl jobs)"
ctl release "$hold" >/dev/null || fail "release"
wait "$o1" || fail "orders agent1 failed: $(tail -n 3 "$T/o1.out")"
wait "$o2" || fail "orders agent2 failed: $(tail -n 3 "$T/o2.out")"
compare orders "$T/data/orders.db" agent1 || fail "orders agent1 differ"
compare orders "$T/data/orders.db" agent2 || fail "orders agent2 differ"
# Did they overlap? The second job started before the first one ended.
overlap=$(python3 - "$T/erpsyncd.log" <<'PY'
import re, sys
start, end = {}, {}
for l in open(sys.argv[1]):
    m = re.search(r'ts=(\S+) .*job=(\d+) user=(\S+) kind=orders msg="job (\S+) -> (\S+)', l)
    if not m: continue
    ts, job, user, a, b = m.groups()
    if b == "running": start[user] = ts
    if b in ("done", "failed"): end[user] = ts
print(1 if start.get("agent2", "9") < end.get("agent1", "0") and start.get("agent1", "9") < end.get("agent2", "0") else 0)
PY
)
note "orders of both agents overlapped: $overlap"
[ "$overlap" = 1 ] || fail "the two agents' orders syncs did not run at the same time"

for u in agent1 agent2; do
	ctl sync customers --user "$u" --wait >"$T/c-$u.out" 2>&1 || fail "customers $u failed: $(tail -n 3 "$T/c-$u.out")"
	compare customers "$T/data/customers-$u.db" "$u" || fail "customers $u differ"
done
ctl sync products --wait >"$T/p.out" 2>&1 || fail "products failed: $(tail -n 3 "$T/p.out")"
compare products "$T/data/products.db" || fail "products differ"
ctl sync prices --wait >"$T/pr.out" 2>&1 || fail "prices failed: $(tail -n 3 "$T/pr.out")"
compare prices "$T/data/products.db" || fail "prices differ"
# A price whose name fits several products (packaging variants) and whose
# item is unknown gets no product and says so: match = 'ambiguous'.
amb=$(sqlite3 "$T/data/products.db" "SELECT count(*) FROM prices pr WHERE
    pr.item_id NOT IN (SELECT item_id FROM products) AND (SELECT count(*)
    FROM products p WHERE p.name = pr.item_description) > 1")
wrong=$(sqlite3 "$T/data/products.db" "SELECT count(*) FROM prices pr WHERE
    pr.item_id NOT IN (SELECT item_id FROM products) AND (SELECT count(*)
    FROM products p WHERE p.name = pr.item_description) > 1 AND
    (product_id IS NOT NULL OR match IS NOT 'ambiguous')")
none=$(sqlite3 "$T/data/products.db" "SELECT count(*) FROM prices WHERE
    match = 'ambiguous' AND product_id IS NOT NULL")
note "prices with a name shared by several products: $amb"
[ "$amb" -gt 0 ] || fail "erpsim made no price with a shared name (seed 61 has some)"
[ "$wrong" = 0 ] || fail "$wrong prices with a shared name are not marked ambiguous"
[ "$none" = 0 ] || fail "$none ambiguous prices have a product"

# Every fault fired because the schedule says so (tests/erpsim/README.md):
# of the first n requests a fault is offered, floor(n*rate + phase) are
# faulted, the first at i < ceil(1/rate); retries only add requests. With
# pages of 100 the syncs navigate (GB|PN, carried out) to at least 103 pages
# after the first: customers 2 x 14, orders 2 x 11, products 24, prices 29.
# drop-rate 0.02 is offered every callback: the first among the first 50.
sim_stat_least faults.drop.callback 1 "erpsim dropped no callback"
# fail-rate 0.03 is offered the callbacks not dropped: at least
# 103 - 3 (floor(103*0.02 + phase)) = 100; the first among 34.
sim_stat_least faults.fail.callback 1 "erpsim failed no callback"
# truncate-rate 0.02 is offered the callbacks neither dropped nor failed:
# at least 100 - 4 (floor(100*0.03 + phase)) = 96; the first among 50.
sim_stat_least faults.truncate.callback 1 "erpsim truncated no callback"
# reset-rate 0.05 is offered the navigations with a needed filter on:
# customers and orders, 50 of them; floor(50*0.05) = 2.
sim_stat_least faults.reset 2 "too few filter resets"
# expire-every 12: the worker logs in again only when the ERP ends its
# session, and the products job alone makes more than 24 callbacks.
sim_stat_least faults.expire 1 "no session expired: a job's session made 13 requests"
note "ok"
