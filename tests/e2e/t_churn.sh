#!/bin/sh
# A full sync while the ERP inserts, updates and deletes records never
# deletes a record that existed both before and after it; the next quiet
# full sync ends exact.
. "$(dirname "$0")/lib.sh"

start_sim --seed 41 --products 3000 --customers 2000 --latency 15
PAGE_SIZE=50 write_conf
start_daemon

dump_keys() {
	curl -sf "$ORIGIN/_sim/dump/$1${2:+?user=$2}" | python3 -c '
import json, sys
key = {"products": "item_id", "customers": "account"}[sys.argv[1]]
for l in sys.stdin:
    if l.strip(): print(json.loads(l)[key])' "$1" | sort
}

check_kind() {
	kind=$1 db=$2 user=${3:-}
	ctl sync "$kind" ${user:+--user "$user"} --wait >"$T/quiet1.out" 2>&1 || fail "quiet sync of $kind failed"
	compare "$kind" "$db" $user || fail "quiet sync of $kind differs"

	dump_keys "$kind" "$user" >"$T/before"
	# Churn in the background, bounded: 60 rounds of insert+update+delete.
	(
		i=0
		while [ $i -lt 60 ]; do
			curl -sf -X POST "$ORIGIN/_sim/mutate?kind=$kind${user:+&user=$user}&insert=1&update=1&delete=1" >/dev/null
			sleep 0.05
			i=$((i + 1))
		done
	) &
	churn=$!
	ctl sync "$kind" ${user:+--user "$user"} --wait >"$T/churn.out" 2>&1 || fail "sync of $kind under churn failed"
	wait "$churn"
	dump_keys "$kind" "$user" >"$T/after"
	comm -12 "$T/before" "$T/after" >"$T/both"
	key=$( [ "$kind" = products ] && echo item_id || echo account )
	table=$kind
	sqlite3 "$db" "SELECT $key FROM $table" | sort >"$T/db"
	missing=$(comm -23 "$T/both" "$T/db" | wc -l)
	note "$kind: $(wc -l <"$T/both") records existed before and after; $missing of them missing from the database"
	[ "$missing" -eq 0 ] || fail "the sync under churn deleted $missing records that still exist: $(comm -23 "$T/both" "$T/db" | head -5 | tr '\n' ' ')"
	grep -q "nothing deleted" "$T/erpsyncd.log" || note "(the churny run was allowed to sweep)"

	ctl sync "$kind" ${user:+--user "$user"} --wait >"$T/quiet2.out" 2>&1 || fail "second quiet sync failed"
	compare "$kind" "$db" $user || fail "the quiet full sync after churn is not exact"
}

check_kind products "$T/data/products.db"
check_kind customers "$T/data/customers-agent1.db" agent1
note "ok"
