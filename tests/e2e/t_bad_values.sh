#!/bin/sh
# Unreadable cells: erpsim's bad-values fault shows "n.d." in the number
# and date cells of two records, as a real ERP's computed column does when
# its formula fails. A full sync goes on without those two rows: each is
# logged with its key and column, the job ends done with 2 rows skipped,
# the mirror keeps both rows as they were, and the sweep deletes nothing
# ("rows unreadable"), not even a record the ERP did delete meanwhile.
# The watermark stops at the older skipped row's modification time, so
# once the cells read again the next delta reads both rows; the next full
# sync is exact and sweeps the deleted record.
. "$(dirname "$0")/lib.sh"

DB=$T/data/customers-agent1.db
PAGE_SIZE=100
export PAGE_SIZE

start_sim --customers 600 --seed 52
start_quiet_daemon

# full_sync LABEL: a full customers sync of agent1 that must end done; its
# last JSON line in $T/LABEL.out.
full_sync() {
	ctl --json sync customers --user agent1 --full --wait >"$T/$1.out" 2>&1 ||
		fail "$1: the sync failed: $(tail -n 3 "$T/$1.out")"
}
# last LABEL KEY: a field of the last JSON line of $T/LABEL.out.
last() {
	tail -n 1 "$T/$1.out" | python3 -c 'import json,sys
print(json.load(sys.stdin).get(sys.argv[1], ""))' "$2"
}

full_sync first
compare customers "$DB" agent1 || fail "the first mirror differs from erpsim"

# Two records that stay, and one the ERP deletes.
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
curl -sf -X POST "$ORIGIN/_sim/mutate?kind=customers&user=agent1&delete=1" \
    >"$T/mutate.out" || fail "erpsim refused the mutation"
D=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["deleted"][0])' \
    "$T/mutate.out")
[ "$D" != "$K1" ] && [ "$D" != "$K2" ] || fail "erpsim deleted a record the test breaks: $D"

# A bad list is refused, and changes nothing.
code=$(curl -s -o /dev/null -w '%{http_code}' "$ORIGIN/_sim/faults?bad-values=a;b")
[ "$code" = 400 ] || fail "erpsim took the bad-values list 'a;b' (HTTP $code)"
curl -sf "$ORIGIN/_sim/faults?bad-values=$K1,$K2" >"$T/faults.out" ||
	fail "erpsim refused bad-values=$K1,$K2"
grep -q "\"bad-values\":\"$K1,$K2\"" "$T/faults.out" ||
	fail "erpsim does not say it breaks $K1,$K2: $(cat "$T/faults.out")"

full_sync bad
[ "$(last bad state)" = done ] || fail "the sync with bad cells: state $(last bad state)"
[ "$(last bad skipped)" = 2 ] || fail "rows skipped: $(last bad skipped), not 2"
case $(last bad sweep) in
"rows unreadable: 2 rows could not be read; nothing deleted") ;;
*) fail "the sweep after unreadable rows: $(last bad sweep)" ;;
esac
for k in "$K1" "$K2"; do
	grep -q "(key $k): column [a-z_]*: .*; row skipped" "$T/erpsyncd.log" ||
		fail "no log line names the skipped row $k and its column"
done
kept after
cmp -s "$T/kept.before" "$T/kept.after" ||
	fail "the rows of $K1 and $K2 changed though they could not be read"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM customers WHERE account = '$D'")" = 1 ] ||
	fail "the sweep deleted $D though two rows could not be read"

# The watermark stops at the older skipped row's modification, so the
# next delta asks for both rows again.
wm() { sqlite3 "$DB" "SELECT watermark FROM _sync WHERE kind = 'customers'"; }
OLDEST=$(sqlite3 "$DB" "SELECT min(modified_at) FROM customers WHERE account IN ('$K1','$K2')")
NEWEST=$(sqlite3 "$DB" "SELECT max(modified_at) FROM customers")
[ "$OLDEST" != "$NEWEST" ] || fail "the test needs skipped rows older than the newest"
[ "$(wm)" = "$OLDEST" ] ||
	fail "watermark $(wm) after skipping rows modified at $OLDEST (newest $NEWEST)"
grep -q "2 rows skipped: the watermark stops at $OLDEST" "$T/erpsyncd.log" ||
	fail "the log does not say where the watermark stopped"

curl -sf "$ORIGIN/_sim/faults?bad-values=" >/dev/null || fail "cannot clear bad-values"
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
full_sync good
[ "$(last good skipped)" = 0 ] || fail "rows skipped once the cells read: $(last good skipped)"
case $(last good sweep) in swept\ 1*) ;; *) fail "no sweep of $D: $(last good sweep)" ;; esac
compare customers "$DB" agent1 || fail "the mirror differs from erpsim after the cells read again"
note "ok: $K1 and $K2 skipped and kept, $D kept until the cells read; then swept 1"
