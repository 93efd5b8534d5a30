#!/bin/sh
# An ERP (or a proxy) that answers a page navigation with a stale grid: the
# command is carried out, but the answer shows the page before (erpsim's
# stale fault, on a seeded schedule). The worker checks the page number of
# every answer (verify_page: "the grid is on page X, not Y"), sets the grid
# state again and reads the page again, so a full sync with stale answers
# ends exact; one whose pages can never be verified fails as erp (a page
# read again SYNC_PAGE_RETRIES times, as a filter that keeps resetting
# does), names the page, saves the answer under state_dir/debug, and
# leaves the database as it was.
. "$(dirname "$0")/lib.sh"

DB=$T/data/customers-agent1.db
VIEW=CUSTTABLE_ListView_Agent

# 4,000 customers in pages of 100: 40 pages, read by two sessions.
start_sim --seed 61 --customers 4000 --stale-rate 0.25
PAGE_SIZE=100 write_conf "retry_attempts = 1"
sessions_per_job 2
no_schedules
start_daemon

# 1. One navigation answer in four is stale: the sync ends exact.
sync_done customers agent1 --full
compare customers "$DB" agent1 || fail "customers differ after stale answers"
# The stale schedule is offered every GB|PN that no other fault took (none
# is on here) of a grid of two pages or more. Pages 2..40 each need one
# answer that was not stale, and each stale answer costs one navigation
# more, so n >= 39 + s navigations are offered, of which the schedule makes
# s = floor(n/4 + phase) >= floor((39 + s)/4) stale: true of no s below 12.
callback_faults_least stale 12 "stale answers at rate 0.25"
# Every stale answer the worker read was seen for what it is.
grep -E "msg=\"page [0-9]+: the grid is on page [0-9]+, not [0-9]+; setting the grid state again\"" \
    "$T/erpsyncd.log" >"$T/stale-lines.txt" || fail "no page was found on the wrong page"
awk '{ if (match($0, /on page [0-9]+, not [0-9]+/)) { split(substr($0, RSTART + 8, RLENGTH - 8), a, ", not ");
    if (a[1] == a[2]) bad = 1 } } END { exit bad }' "$T/stale-lines.txt" ||
	fail "a page was reported on the page it was asked for"
note "rate 0.25: $(sim_stat faults.stale) stale answers, $(wc -l <"$T/stale-lines.txt") pages asked again, exact"

# What the failing run must leave alone: every data column of every row.
BEFORE=$(mirror_sum "$DB" customers account)
[ "${BEFORE%% *}" = 4000 ] || fail "the mirror has ${BEFORE%% *} customers, want 4000"

# 2. Every navigation answer stale: no page past the first can be verified.
sim_curl -sf "$ORIGIN/_sim/faults?stale-rate=1" >/dev/null || fail "erpsim refused stale-rate=1"
sim_curl -sf -X POST "$ORIGIN/_sim/stats/reset" >/dev/null || fail "cannot reset erpsim's stats"
sync_fails customers agent1 --full
class=$CLASS msg=$MSG
[ "$class" = erp ] || fail "job $JOB failed as $class, not erp: $msg"
echo "$msg" | grep -Eq "^page [0-9]+ of $VIEW could not be verified: the grid is on page [0-9]+, not [0-9]+$" ||
	fail "the message does not name the page and where the grid is: $msg"
shown=$(echo "$msg" | sed 's/.*the grid is on page \([0-9]*\), not.*/\1/')
# The worker gives up on a page after SYNC_PAGE_RETRIES (8) re-reads; at
# rate 1 every navigation answer it read was stale.
sim_stat_least faults.stale 9 "stale answers at rate 1"
# The answer it gave up on is saved: the customers grid, on the page named.
saved=$(grep -l "Pagina $shown di 40 " "$T"/state/debug/customers-agent1-*.html 2>/dev/null | head -n 1)
[ -n "$saved" ] || fail "no saved answer showing page $shown under $T/state/debug/: $(ls "$T/state/debug" 2>&1)"
grep -q 'dxgvControl_XafTheme' "$saved" || fail "$saved is not a grid"
grep -q 'fieldname="ACCOUNTNUM"' "$saved" || fail "$saved is not the customers grid"
note "rate 1: failed as $class: $msg (saved ${saved#"$T"/})"

[ "$(mirror_sum "$DB" customers account)" = "$BEFORE" ] ||
	fail "the failed run changed customer rows"
compare customers "$DB" agent1 || fail "the database no longer matches the ERP"
note "ok"
