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


# A run's checkpoint counts pages of the size they were read at. A full
# run at page_size 20 is cancelled at page 9 (8 to 24 pages of 20 rows
# committed), then resumed after page_size was set to 50: it goes on at 20,
# the size of its pages, reads every row it had not read, ends exact and
# sweeps. Before, the resume asked for 50 and jumped to the same page
# number of 50-row pages: the rows in between were never read, and the run
# ended with "rows missing".
stop_daemon
sed -i "s/^page_size = .*/page_size = 20/" "$T/erpsync.conf"
start_daemon
gate_at 9 agent1
ctl --json sync customers --user agent1 --full >"$T/c.json" || fail "sync not queued"
j=$(job_id "$T/c.json")
wait_for 60 gate_parked || fail "the sync never reached page 9"
ctl cancel "$j" >/dev/null 2>&1 || fail "cancel"
gate_open
wait_for 60 state_is "$j" cancelled || fail "job $j is $(job_field "$j" state), not cancelled"
ps=$(sqlite3 "$T/data/customers-agent1.db" "SELECT page_size FROM _sync WHERE kind = 'customers'")
np=$(sqlite3 "$T/data/customers-agent1.db" "SELECT next_page FROM _sync WHERE kind = 'customers'")
[ "$ps" = 20 ] || fail "the checkpoint says page size $ps, not 20"
[ "$np" -ge 8 ] && [ "$np" -lt 62 ] || fail "$np pages committed, not 8..61"
stop_daemon
sed -i "s/^page_size = .*/page_size = 50/" "$T/erpsync.conf"
start_daemon
ctl --json sync customers --user agent1 --resume --wait >"$T/resume.out" 2>&1 ||
	fail "the resumed sync failed: $(tail -n 3 "$T/resume.out")"
grep -q "was read at page size 20: it goes on at that size (page_size is 50)" "$T/resume.out" ||
	fail "the resume did not say it goes on at page size 20: $(cat "$T/resume.out")"
field() { tail -n 1 "$T/resume.out" | python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
[ "$(field resumed_from)" = $((np + 1)) ] || fail "the resume did not start at page $((np + 1)): $(field resumed_from)"
[ "$(field rows)" = 1230 ] || fail "the resumed run saw $(field rows) rows, not 1230"
case $(field sweep) in swept*) ;; *) fail "no sweep after the resume: $(field sweep)" ;; esac
compare customers "$T/data/customers-agent1.db" agent1 || fail "the mirror differs after the resume"
note "ok: $pages pages of 50 rows, $sweep; resumed at page $((np + 1)) of 20-row pages with page_size = 50: $(field sweep)"
