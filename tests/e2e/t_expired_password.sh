#!/bin/sh
# An ERP user whose password has expired: the login, though right, is
# answered with a page to change the password (200, no LogonErrorText, no
# auth cookie; erpsim's expired-users). The worker logs in once more, then
# fails the job with class contract and a message that says what to do,
# and saves the page. Other users go on syncing; once the password is
# changed (the fault cleared), the user's sync is exact.
. "$(dirname "$0")/lib.sh"

start_sim --customers 150 --seed 91
start_quiet_daemon

curl -sf "$ORIGIN/_sim/faults?expired-users=agent1" >"$T/faults.out" ||
	fail "erpsim refused expired-users=agent1"
grep -q '"expired-users":"agent1"' "$T/faults.out" ||
	fail "erpsim does not say agent1's password expired: $(cat "$T/faults.out")"

sync_fails customers agent1
[ "$CLASS" = contract ] || fail "class $CLASS, not contract: $MSG"
[ "$MSG" = "login for agent1: HTTP 200 with a page that is neither the application nor a login error, twice (a password to change? terms to accept?): log in to the ERP in a browser as agent1; the page is saved in $T/state/debug" ] ||
	fail "the message: $MSG"
# Logged in twice (once more after the first odd answer), then stopped.
[ "$(sim_stat logins_expired)" = 2 ] ||
	fail "$(sim_stat logins_expired) logins of agent1 got the password page, not 2"
set -- "$T"/state/debug/login-answer-agent1-*.html
[ "$#" = 1 ] && [ -f "$1" ] || fail "the password page was not saved once: $*"
grep -q "Cambio password" "$1" || fail "the saved page is not the password page"
grep -q "agent1pw" "$1" && fail "the saved page holds the password"
[ "$(sim_stat sessions.agent1)" = 0 ] || fail "agent1 has $(sim_stat sessions.agent1) ERP sessions left"

ctl sync customers --user agent2 --wait >"$T/agent2.out" 2>&1 ||
	fail "agent2's sync failed while agent1's password was expired: $(tail -n 3 "$T/agent2.out")"
compare customers "$T/data/customers-agent2.db" agent2 || fail "agent2's mirror differs"

curl -sf "$ORIGIN/_sim/faults?expired-users=" >/dev/null || fail "cannot clear expired-users"
ctl sync customers --user agent1 --wait >"$T/changed.out" 2>&1 ||
	fail "agent1's sync failed after the password change: $(tail -n 3 "$T/changed.out")"
compare customers "$T/data/customers-agent1.db" agent1 || fail "agent1's mirror differs"
note "ok: contract, with what to do and the page saved; agent2 unaffected; exact once changed"
