#!/bin/sh
# Regression: sessions_per_job = 4 with the default max_sessions_per_user
# = 2 left every job queued forever ("max_sessions_per_user (2) in use by
# alice" while nothing ran). A job now runs with what the limits leave (2
# here) and ends exact; `erpsyncd -n` warns about the setting. With
# sessions_per_job = auto a job takes what the limits leave (3 of 4 here),
# without a warning.
. "$(dirname "$0")/lib.sh"

start_sim --customers 5700 --seed 23
write_conf
sed -i "s/^page_size = .*/&\nsessions_per_job = 4/" "$T/erpsync.conf"

"$BIN/erpsyncd" -n -f "$T/erpsync.conf" >"$T/check.out" 2>&1 ||
	fail "erpsyncd -n refused the config: $(cat "$T/check.out")"
grep -q "sessions_per_job: 4 is more than \[supervisor\] max_sessions_per_user (2): jobs will run with at most 2 sessions" "$T/check.out" ||
	fail "no warning from erpsyncd -n: $(cat "$T/check.out")"
grep -q "configuration OK" "$T/check.out" || fail "erpsyncd -n did not say OK"

start_daemon
grep -q "max_sessions_per_user (2): jobs will run with at most 2" "$T/erpsyncd.log" ||
	fail "no warning at start-up"
timeout 120 "$BIN/erpsyncctl" -s "$T/sock" sync customers --user agent1 --wait \
    >"$T/sync1.out" 2>&1 || fail "sync with sessions_per_job 4 failed: $(tail -n 3 "$T/sync1.out")"
compare customers "$T/data/customers-agent1.db" agent1 || fail "agent1 differs"
logins=$(sim_stat logins_ok)
note "erpsim saw $logins logins for a job asking for 4 sessions"
[ "$logins" -eq 2 ] || fail "the job logged in $logins times, not with the 2 sessions granted"

# sessions_per_job = auto, max_sessions_per_user = 3: 3 sessions, no warning.
stop_daemon
sed -i "s/^sessions_per_job = 4$/sessions_per_job = auto/; s/^\[supervisor\]$/&\nmax_sessions_per_user = 3/" "$T/erpsync.conf"
"$BIN/erpsyncd" -n -f "$T/erpsync.conf" >"$T/check2.out" 2>&1 ||
	fail "erpsyncd -n refused sessions_per_job = auto: $(cat "$T/check2.out")"
! grep -q "sessions_per_job" "$T/check2.out" || fail "a warning for auto: $(cat "$T/check2.out")"
start_daemon
curl -sf -X POST "$ORIGIN/_sim/stats/reset" >/dev/null || fail "stats reset"
ctl --json sync customers --user agent2 --wait >"$T/sync2.out" 2>&1 ||
	fail "sync with sessions_per_job auto failed: $(tail -n 3 "$T/sync2.out")"
compare customers "$T/data/customers-agent2.db" agent2 || fail "agent2 differs"
job=$(tail -n 1 "$T/sync2.out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
[ "$(job_field "$job" sessions)" = 3 ] || fail "auto got $(job_field "$job" sessions) sessions, not the 3 the limit leaves"
[ "$(sim_stat logins_ok)" -eq 3 ] || fail "auto logged in $(sim_stat logins_ok) times, not 3"
note "auto: 3 sessions granted and used"
note "ok"
