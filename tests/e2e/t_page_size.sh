#!/bin/sh
# An ERP that offers fewer page sizes than the contract (erpsim
# --max-page-size 50 refuses GB|PSP200 and GB|PSP100 with a 500) used to
# fail every job after 8 tries of the same command. The worker asks for the
# largest size the ERP accepts: a refused size is asked once more (a 500
# may be a fault), then the next smaller one of the contract's. The sync
# ends exact on 50-row pages and says what to set.
. "$(dirname "$0")/lib.sh"

start_sim --customers 1230 --seed 31 --max-page-size 50
write_conf
sed -i "s/^page_size = .*/page_size = 200\nsessions_per_job = 2/" "$T/erpsync.conf"
start_daemon
ctl --json sync customers --user agent1 --wait >"$T/sync.out" 2>&1 ||
	fail "sync against an ERP without page size 200 failed: $(tail -n 3 "$T/sync.out")"
compare customers "$T/data/customers-agent1.db" agent1 || fail "the mirror differs"
grep -q "refused page size 200 twice (HTTP 500); asking for 100" "$T/erpsyncd.log" ||
	fail "no word of page size 200 refused"
grep -q "refused page size 100 twice (HTTP 500); asking for 50: set page_size = 50" "$T/erpsyncd.log" ||
	fail "no word of page size 100 refused"
pages=$(tail -n 1 "$T/sync.out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["pages"])')
[ "$pages" = 25 ] || fail "the run read $pages pages, not the 25 pages of 50 rows"
sweep=$(tail -n 1 "$T/sync.out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["sweep"])')
case $sweep in swept*) ;; *) fail "no sweep on 50-row pages: $sweep" ;; esac

note "ok: $pages pages of 50 rows, $sweep"
