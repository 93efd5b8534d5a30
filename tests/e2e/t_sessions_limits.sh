#!/bin/sh
# Regression: sessions_per_job = 4 with the default max_sessions_per_user
# = 2 left every job queued forever ("max_sessions_per_user (2) in use by
# alice" while nothing ran). A job now runs with what the limits leave (2
# here) and ends exact; `erpsyncd -n` warns about the setting.
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
note "ok"
