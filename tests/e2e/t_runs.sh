#!/bin/sh
# Runs are what was asked (design §5 "Runs"): a full sync cancelled half
# way, then `sync --full`, reads every page again and ends exact; cancelled
# again, `sync --resume` reads only the pages left, says where it resumed
# and reports the whole run's rows. erpsim's gate stops each sync at a
# page the test names, so nothing here races the sync.
. "$(dirname "$0")/lib.sh"

start_sim --customers 4000 --seed 83
PAGE_SIZE=200 start_quiet_daemon
pages=20

committed() {
	sqlite3 "$T/data/customers-agent2.db" \
	    "SELECT next_page FROM _sync WHERE kind = 'customers'"
}

# cancel_at N: a full sync of agent2 held back at page N, then cancelled;
# prints the job id.
cancel_at() {
	gate_at "$1" agent2
	ctl --json sync customers --user agent2 --full >"$T/c$1.json" ||
		fail "sync not queued"
	_j=$(job_id "$T/c$1.json")
	wait_for 60 gate_parked || fail "the sync never reached page $1"
	ctl cancel "$_j" >"$T/cancel$1.out" 2>&1 || fail "cancel: $(cat "$T/cancel$1.out")"
	gate_open
	wait_for 60 state_is "$_j" cancelled ||
		fail "job $_j is $(job_field "$_j" state), not cancelled"
	echo "$_j"
}

# 1. A first full sync, stopped at page 11 of 20 and cancelled.
j1=$(cancel_at 11) || exit 1
c1=$(committed)
note "job $j1 cancelled with $c1 of $pages pages committed"
[ "$c1" -ge 10 ] && [ "$c1" -lt "$pages" ] || fail "$c1 pages committed, not 10..19"

# 2. `sync --full`: a new run, every page.
ctl sync customers --user agent2 --full --wait >"$T/full.out" 2>&1 ||
	fail "the full sync failed: $(cat "$T/full.out")"
j2=$(sed -n 's/^job \([0-9]*\) .*/\1/p' "$T/full.out" | head -n 1)
[ -n "$j2" ] || fail "no job id in: $(cat "$T/full.out")"
grep -q "not resuming run" "$T/full.out" ||
	fail "sync --wait did not say the unfinished run was left: $(cat "$T/full.out")"
[ "$(job_field "$j2" resumed_from)" = 0 ] || fail "the full sync resumed at page $(job_field "$j2" resumed_from)"
[ "$(job_field "$j2" rows)" = 4000 ] || fail "the full sync read $(job_field "$j2" rows) rows, not 4000"
f2=$(job_field "$j2" fetched)
[ "$f2" -ge "$pages" ] || fail "the full sync fetched $f2 grid pages, fewer than the $pages pages"
compare customers "$T/data/customers-agent2.db" agent2 || fail "differs after the full sync"
note "job $j2 (sync --full): a new run, $f2 grid pages fetched, 4000 rows"

# 3. Cancelled again at page 8, then `sync --resume`: only the pages left.
j3=$(cancel_at 8) || exit 1
c3=$(committed)
[ "$c3" -ge 7 ] && [ "$c3" -lt "$pages" ] || fail "$c3 pages committed, not 7..19"
ctl sync customers --user agent2 --resume --wait >"$T/resume.out" 2>&1 ||
	fail "the resumed sync failed: $(cat "$T/resume.out")"
j4=$(sed -n 's/^job \([0-9]*\) .*/\1/p' "$T/resume.out" | head -n 1)
grep -q "resuming run .* at page $((c3 + 1)) of $pages" "$T/resume.out" ||
	fail "sync --wait did not say where it resumed: $(cat "$T/resume.out")"
[ "$(job_field "$j4" resumed_from)" = $((c3 + 1)) ] ||
	fail "resumed_from is $(job_field "$j4" resumed_from), not $((c3 + 1))"
[ "$(job_field "$j4" rows)" = 4000 ] ||
	fail "the resumed job reports $(job_field "$j4" rows) rows, not the whole run's 4000"
f4=$(job_field "$j4" fetched)
# At most the full run's requests less the pages committed (a resumed run
# keeps its start probe), at least the pages left.
[ "$f4" -le $((f2 - c3)) ] || fail "the resumed sync fetched $f4 grid pages; the full one $f2, less $c3 committed, is $((f2 - c3))"
[ "$f4" -ge $((pages - c3)) ] || fail "the resumed sync fetched $f4 grid pages, fewer than the $((pages - c3)) pages left"
compare customers "$T/data/customers-agent2.db" agent2 || fail "differs after the resumed sync"
ctl jobs "$j4" >"$T/j4.out" || fail "jobs $j4"
grep -q "resumed .* at page $((c3 + 1))" "$T/j4.out" || fail "jobs $j4 does not show the resume: $(cat "$T/j4.out")"
ctl jobs >"$T/jobs.out" || fail "jobs"
grep -q "^ *$j4 .*resumed at page $((c3 + 1))" "$T/jobs.out" || fail "the jobs table does not show the resume: $(cat "$T/jobs.out")"
note "job $j4 (sync --resume): resumed at page $((c3 + 1)), $f4 grid pages fetched ($f2 - $c3), 4000 rows in the run"
note "ok"
