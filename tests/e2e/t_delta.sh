#!/bin/sh
# Mutate the ERP (insert, update, delete in every kind), run delta syncs:
# inserted and updated records are exact, deleted ones are still there.
# Then full syncs: exact, deletions swept.
. "$(dirname "$0")/lib.sh"

start_sim --seed 31 --customers 900 --orders 700 --products 1200 --prices 1500 --layout 4
write_conf
start_daemon

db_of() {
	case $1 in
	customers) echo "$T/data/customers-agent1.db" ;;
	orders) echo "$T/data/orders.db" ;;
	*) echo "$T/data/products.db" ;;
	esac
}
user_of() { case $1 in customers|orders) echo agent1 ;; esac; }
sync_kind() {
	u=$(user_of "$1")
	ctl sync "$1" ${u:+--user "$u"} "$2" --wait >"$T/sync-$1.out" 2>&1 ||
		fail "$2 sync of $1 failed: $(tail -n 3 "$T/sync-$1.out")"
}

for k in customers orders products prices; do
	sync_kind "$k" --full
	compare "$k" "$(db_of "$k")" $(user_of "$k") || fail "first full sync of $k differs"
done

# A mirror deleted by hand: erpsyncd still asks for a delta (its state says
# customers were synced), and the worker, finding no watermark, runs full.
rm -f "$(db_of customers)" "$(db_of customers)-wal" "$(db_of customers)-shm"
sync_kind customers --delta
grep -q 'kind=customers msg="no watermark yet: running a full sync instead of a delta"' \
    "$T/erpsyncd.log" || fail "the delta into a deleted mirror did not say it runs full"
compare customers "$(db_of customers)" agent1 || fail "the delta into a deleted mirror differs"
[ "$(sqlite3 "$(db_of customers)" "SELECT mode FROM _sync")" = full ] ||
	fail "the delta into a deleted mirror did not run as a full run"

# Mutations get the sim's current time as modified_at, so the delta sees them.
for k in customers orders products prices; do
	u=$(user_of "$k")
	curl -sf -X POST "$ORIGIN/_sim/mutate?kind=$k${u:+&user=$u}&insert=7&update=9&delete=5" \
	    >"$T/mutate-$k.json" || fail "mutate $k"
done

for k in customers orders products prices; do
	deleted=$(python3 -c 'import json,sys; print(",".join(json.load(open(sys.argv[1]))["deleted"]))' "$T/mutate-$k.json")
	[ -n "$deleted" ] || fail "erpsim deleted no $k: the test proves nothing"
	curl -s -X POST "$ORIGIN/_sim/stats/reset" >/dev/null
	sync_kind "$k" --delta
	compare --extra "$deleted" "$k" "$(db_of "$k")" $(user_of "$k") ||
		fail "delta sync of $k: inserted/updated not exact or deleted rows gone"
	grep -q "deleted" "$T/sync-$k.out" || true
done

for k in customers orders products prices; do
	sync_kind "$k" --full
	compare "$k" "$(db_of "$k")" $(user_of "$k") || fail "full sync after delta of $k differs"
done

# The price changes of the mutation are recorded.
n=$(sqlite3 "$T/data/products.db" "SELECT count(*) FROM price_changes")
[ "$n" -gt 0 ] || fail "no price_changes rows after updating prices"
note "ok ($n price changes recorded)"
