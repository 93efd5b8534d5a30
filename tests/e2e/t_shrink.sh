#!/bin/sh
# The ERP shrinks under a full run: erpsim's gate holds the answer of page
# 8 of 10 while a quarter of the records are deleted, so pages 9 and 10 no
# longer exist when the run asks for them (the ERP clamps a page past the
# last to the last). The run ends at page 8 and says why, deletes nothing
# (the ERP changed under it) and keeps every row it had; the next full run
# is exact and sweeps the deleted records.
. "$(dirname "$0")/lib.sh"

DB=$T/data/customers-agent1.db
start_sim --customers 1000 --seed 71
PAGE_SIZE=100 write_conf
sessions_per_job 1
no_schedules
start_daemon

# last LABEL KEY: a field of the job in the last JSON line of $T/LABEL.out.
last() {
	tail -n 1 "$T/$1.out" | python3 -c 'import json,sys
print(json.load(sys.stdin).get(sys.argv[1], ""))' "$2"
}

ctl --json sync customers --user agent1 --wait >"$T/first.out" 2>&1 ||
	fail "the first sync failed: $(tail -n 3 "$T/first.out")"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM customers")" = 1000 ] || fail "the first sync is not whole"

gate_at 8 agent1
ctl --json sync customers --user agent1 --wait >"$T/shrunk.out" 2>&1 &
waiter=$!
wait_for 30 gate_parked || fail "page 8 was never asked for"
curl -sf -X POST "$ORIGIN/_sim/mutate?kind=customers&user=agent1&delete=250" \
    >"$T/mutate.out" || fail "erpsim refused to delete 250 customers"
gate_open
wait "$waiter" || fail "the sync of the shrinking ERP failed: $(tail -n 3 "$T/shrunk.out")"

[ "$(last shrunk state)" = done ] || fail "the job ended $(last shrunk state)"
[ "$(last shrunk page)" = 8 ] || fail "the run ended at page $(last shrunk page), not 8"
grep -q 'msg="page 9 of CUSTTABLE_ListView_Agent: the ERP has 8 pages now (750 elements): the run ends at page 8"' \
    "$T/erpsyncd.log" || fail "the log does not say the run ends at page 8"
case $(last shrunk sweep) in
"ERP changed: 1000 elements"*"; 750, "*"; nothing deleted") ;;
*) fail "the sweep of a run the ERP shrank under: $(last shrunk sweep)" ;;
esac
[ "$(sqlite3 "$DB" "SELECT count(*) FROM customers")" = 1000 ] ||
	fail "rows were deleted by a run the ERP changed under"

ctl --json sync customers --user agent1 --wait >"$T/after.out" 2>&1 ||
	fail "the sync after the ERP shrank failed: $(tail -n 3 "$T/after.out")"
case $(last after sweep) in "swept 250: "*) ;; *) fail "the next run did not sweep 250: $(last after sweep)" ;; esac
compare customers "$DB" agent1 || fail "the mirror differs from erpsim after the ERP shrank"
note "ok: the run ended at page 8 of the 10 it started with, deleted nothing; the next swept 250"
