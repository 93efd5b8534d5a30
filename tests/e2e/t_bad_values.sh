#!/bin/sh
# Unreadable cells: erpsim's bad-values fault shows "n.d." in the number
# and date cells of named records, as a real ERP's computed column does
# when its formula fails (contract §5: the row is skipped, counted and
# logged with its key; the sync goes on).
#  1. Two records of the mirror turn unreadable and the ERP deletes a
#     third. A full sync skips the two (logged with key and column, job
#     done, skipped 2), keeps their rows as they were, and still sweeps the
#     deleted record: the two keys were seen. The watermark stops at the
#     older skipped row's modification, so the next delta, once the cells
#     read again, reads both rows again.
#  2. A new record the mirror never had is unreadable, and the ERP deletes
#     another. The run cannot account for the new record, so it deletes
#     nothing ("rows unreadable"). Once it reads, the next full sync is
#     exact and sweeps.
. "$(dirname "$0")/lib.sh"

DB=$T/data/customers-agent1.db
PAGE_SIZE=100
export PAGE_SIZE

start_sim --customers 600 --seed 52
start_quiet_daemon

# full_sync LABEL: a full customers sync of agent1 that must end done; its
# job's JSON is the last line of $T/LABEL.out.
full_sync() {
	ctl --json sync customers --user agent1 --full --wait >"$T/$1.out" 2>&1 ||
		fail "$1: the sync failed: $(tail -n 3 "$T/$1.out")"
	[ "$(last "$1" state)" = done ] || fail "$1: the job ended $(last "$1" state)"
}
# last LABEL KEY: a field of the last JSON line of $T/LABEL.out.
last() {
	tail -n 1 "$T/$1.out" | python3 -c 'import json,sys
print(json.load(sys.stdin).get(sys.argv[1], ""))' "$2"
}
# mutate WHAT: POST /_sim/mutate for agent1's customers (insert=1 or
# delete=1); the key it inserted or deleted.
mutate() {
	curl -sf -X POST "$ORIGIN/_sim/mutate?kind=customers&user=agent1&$1" \
	    >"$T/mutate.out" || fail "erpsim refused the mutation $1"
	python3 -c 'import json,sys
m = json.load(open(sys.argv[1]))
print((m["inserted"] + m["deleted"])[0])' "$T/mutate.out"
}
# bad_values KEYS: erpsim shows the records KEYS ("" = none) unreadably.
bad_values() {
	curl -sf "$ORIGIN/_sim/faults?bad-values=$1" >"$T/faults.out" ||
		fail "erpsim refused bad-values=$1"
	grep -q "\"bad-values\":\"$1\"" "$T/faults.out" ||
		fail "erpsim does not say it breaks '$1': $(cat "$T/faults.out")"
}
in_mirror() {
	sqlite3 "$DB" "SELECT count(*) FROM customers WHERE account = '$1'"
}
wm() { sqlite3 "$DB" "SELECT watermark FROM _sync WHERE kind = 'customers'"; }

full_sync first
compare customers "$DB" agent1 || fail "the first mirror differs from erpsim"

# 1. Two records of the mirror unreadable, a third deleted.
set -- $(sqlite3 "$DB" "SELECT account FROM customers ORDER BY account LIMIT 2 OFFSET 100")
K1=$1 K2=$2
[ -n "$K1" ] && [ -n "$K2" ] || fail "no rows to break"
# kept LABEL: their data columns (not the run that last saw them).
COLS=$(sqlite3 "$DB" "SELECT group_concat(name) FROM pragma_table_info('customers')
    WHERE name NOT IN ('seen_run', 'synced_at')")
kept() {
	sqlite3 "$DB" "SELECT $COLS FROM customers WHERE account IN ('$K1','$K2')
	    ORDER BY account" >"$T/kept.$1"
	[ "$(wc -l <"$T/kept.$1")" = 2 ] || fail "$1: the mirror does not have both rows"
}
kept before
D=$(mutate delete=1)
[ "$D" != "$K1" ] && [ "$D" != "$K2" ] || fail "erpsim deleted a record the test breaks: $D"
# A bad list is refused.
code=$(curl -s -o /dev/null -w '%{http_code}' "$ORIGIN/_sim/faults?bad-values=a;b")
[ "$code" = 400 ] || fail "erpsim took the bad-values list 'a;b' (HTTP $code)"
bad_values "$K1,$K2"

full_sync bad
[ "$(last bad skipped)" = 2 ] || fail "rows skipped: $(last bad skipped), not 2"
for k in "$K1" "$K2"; do
	grep -q "(key $k): column [a-z_]*: .*; row skipped" "$T/erpsyncd.log" ||
		fail "no log line names the skipped row $k and its column"
done
kept after
cmp -s "$T/kept.before" "$T/kept.after" ||
	fail "the rows of $K1 and $K2 changed though they could not be read"
case $(last bad sweep) in
"swept 1: "*) ;;
*) fail "no sweep of $D though the unreadable rows were seen: $(last bad sweep)" ;;
esac
[ "$(in_mirror "$D")" = 0 ] || fail "$D, deleted in the ERP, is still in the mirror"

# The watermark stops at the older skipped row's modification.
OLDEST=$(sqlite3 "$DB" "SELECT min(modified_at) FROM customers WHERE account IN ('$K1','$K2')")
NEWEST=$(sqlite3 "$DB" "SELECT max(modified_at) FROM customers")
[ "$OLDEST" != "$NEWEST" ] || fail "the test needs skipped rows older than the newest"
[ "$(wm)" = "$OLDEST" ] ||
	fail "watermark $(wm) after skipping rows modified at $OLDEST (newest $NEWEST)"
grep -q "2 rows skipped: the watermark stops at $OLDEST" "$T/erpsyncd.log" ||
	fail "the log does not say where the watermark stopped"

bad_values ""
ctl --json sync customers --user agent1 --delta --wait >"$T/delta.out" 2>&1 ||
	fail "the delta failed: $(tail -n 3 "$T/delta.out")"
grep -q "delta: records modified since .* (watermark $OLDEST less 600s)" "$T/erpsyncd.log" ||
	fail "the delta did not start from watermark $OLDEST"
# It read every record modified since then, the two among them.
want=$(curl -sf "$ORIGIN/_sim/dump/customers?user=agent1" | python3 -c 'import datetime,json,sys
t = datetime.datetime.fromisoformat(sys.argv[1]) - datetime.timedelta(seconds=600)
rows = [json.loads(l) for l in sys.stdin if l.strip()]
keys = {r["account"] for r in rows if datetime.datetime.fromisoformat(r["modified_at"]) >= t}
assert set(sys.argv[2:]) <= keys, "the two are not in the delta"
print(len(keys))' "$OLDEST" "$K1" "$K2") || fail "cannot count the delta's records in erpsim's dump"
[ "$(last delta rows)" = "$want" ] ||
	fail "the delta read $(last delta rows) records, not the $want modified since $OLDEST less 600s"
[ "$(wm)" = "$NEWEST" ] || fail "watermark $(wm) after the delta read every row, not $NEWEST"
compare customers "$DB" agent1 || fail "the mirror differs from erpsim after the delta"

# 2. A new record unreadable, another deleted.
N=$(mutate insert=1)
D2=$(mutate delete=1)
[ "$D2" != "$N" ] || fail "erpsim deleted the record it inserted"
bad_values "$N"
full_sync new
[ "$(last new skipped)" = 1 ] || fail "rows skipped: $(last new skipped), not 1"
total=$(last new total)
case $(last new sweep) in
"rows unreadable: 1 rows could not be read, and the run saw $((total - 1)) distinct rows of the $total the ERP reports; nothing deleted") ;;
*) fail "the sweep with a new unreadable record: $(last new sweep)" ;;
esac
[ "$(in_mirror "$D2")" = 1 ] || fail "the sweep deleted $D2 though $N could not be read"
[ "$(in_mirror "$N")" = 0 ] || fail "$N, unreadable, was written"

bad_values ""
full_sync good
[ "$(last good skipped)" = 0 ] || fail "rows skipped once the cells read: $(last good skipped)"
case $(last good sweep) in "swept 1: "*) ;; *) fail "no sweep of $D2: $(last good sweep)" ;; esac
compare customers "$DB" agent1 || fail "the mirror differs from erpsim after the cells read again"
note "ok: $K1 and $K2 skipped and kept while $D was swept; the delta read them again; new $N kept $D2 until it read"
