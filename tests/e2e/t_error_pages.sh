#!/bin/sh
# An ERP that answers a page navigation with its error page instead of the
# grid: HTTP 200, a whole HTML document (ASP.NET's "Errore del server"
# page), no grid control, the command not carried out (erpsim's errorpage
# fault, on a seeded schedule). The worker reads such an answer as "not a
# grid" and asks for the page again (slot_read: "page N of VIEW: WHY;
# asking again"), so a full sync with error pages now and then ends exact;
# the same page answered so twice in a row fails the job as contract,
# names the page and what is wrong, saves the answer under state_dir/debug,
# and leaves the database as it was.
. "$(dirname "$0")/lib.sh"

DB=$T/data/customers-agent1.db
VIEW=CUSTTABLE_ListView_Agent

# 4,000 customers in pages of 100: 40 pages, read by one session.
start_sim --seed 67 --customers 4000 --errorpage-rate 0.25
PAGE_SIZE=100 write_conf "retry_attempts = 1"
sessions_per_job 1
no_schedules
start_daemon

# 1. One navigation answer in four is an error page: the sync ends exact.
#
# Why no page can get two in a row: the errorpage schedule is offered every
# GB|PN that no other fault took (none is on here), and at rate 1/4 exactly
# (R = 2^30) consecutive error pages are exactly 4 navigations apart. One
# session sends its navigations one at a time, the next one (page p+1) as
# soon as the answer to page p is in and before it is read; a page p read
# as an error page is asked for again by the navigation after that, so if
# page p was navigation i, its second answer is navigation i+2 (i+1 when
# p+1 was not sent). 2 < 4: never an error page too.
sync_done customers agent1 --full
compare customers "$DB" agent1 || fail "customers differ after error pages"
# Page 1 comes with the last setup answer; pages 2..40 each need one
# answer that was not an error page, and each error page costs one
# navigation more, so n >= 39 + e navigations are offered, of which the
# schedule makes e = floor(n/4 + phase) >= floor((39 + e)/4) error pages:
# true of no e below 12.
callback_faults_least errorpage 12 "error pages at rate 0.25"
# Every error page was read for what it is, and the page asked for again.
grep -E "msg=\"page [0-9]+ of $VIEW: no grid control \(class dxgvControl_XafTheme\) in the page; asking again\"" \
    "$T/erpsyncd.log" >"$T/again-lines.txt" || fail "no page was asked for again"
[ "$(wc -l <"$T/again-lines.txt")" -eq "$(sim_stat faults.errorpage)" ] ||
	fail "$(wc -l <"$T/again-lines.txt") pages asked for again, erpsim sent $(sim_stat faults.errorpage) error pages"
note "rate 0.25: $(sim_stat faults.errorpage) error pages, $(wc -l <"$T/again-lines.txt") pages asked again, exact"

# What the failing run must leave alone: every data column of every row.
BEFORE=$(mirror_sum "$DB" customers account)
[ "${BEFORE%% *}" = 4000 ] || fail "the mirror has ${BEFORE%% *} customers, want 4000"

# 2. Every navigation answered with the error page: the first page asked
# for gets it twice in a row.
sim_curl -sf "$ORIGIN/_sim/faults?errorpage-rate=1" >/dev/null || fail "erpsim refused errorpage-rate=1"
sim_curl -sf -X POST "$ORIGIN/_sim/stats/reset" >/dev/null || fail "cannot reset erpsim's stats"
sync_fails customers agent1 --full
class=$CLASS msg=$MSG
[ "$class" = contract ] || fail "job $JOB failed as $class, not contract: $msg"
echo "$msg" | grep -Eq "^page [0-9]+ of $VIEW: no grid control \(class dxgvControl_XafTheme\) in the page$" ||
	fail "the message does not name the page and what is wrong: $msg"
page=$(echo "$msg" | sed 's/^page \([0-9]*\) of.*/\1/')
[ "$page" -ge 2 ] || fail "page $page failed, but page 1 comes with the setup answers"
grep -q "msg=\"page $page of $VIEW: no grid control .*; asking again\"" "$T/erpsyncd.log" ||
	fail "page $page failed without being asked for again first"
# Page $page was answered with the error page twice.
sim_stat_least faults.errorpage 2 "error pages at rate 1"
# The answer it gave up on is saved: the error page, whole, no grid in it.
saved=$(grep -l "Errore del server nell'applicazione" "$T"/state/debug/customers-agent1-*.html 2>/dev/null | head -n 1)
[ -n "$saved" ] || fail "no saved error page under $T/state/debug/: $(ls "$T/state/debug" 2>&1)"
grep -q 'System.NullReferenceException' "$saved" || fail "$saved is not erpsim's error page"
grep -q '</html>' "$saved" || fail "$saved is not the whole error page"
grep -q 'dxgvControl_XafTheme' "$saved" && fail "$saved holds a grid"
note "rate 1: failed as $class: $msg (saved ${saved#"$T"/})"

[ "$(mirror_sum "$DB" customers account)" = "$BEFORE" ] ||
	fail "the failed run changed customer rows"
compare customers "$DB" agent1 || fail "the database no longer matches the ERP"
note "ok"
