#!/bin/sh
# Every admin command of design §8 answers, in text and with --json; the
# socket has socket_mode and refuses other uids; a login event's password
# is used and forgotten at logout and never logged; an auth failure marks
# the user needs-login until the credentials change; reload keeps the old
# config when the new one is invalid; logs filters; watch draws bars;
# shutdown exits 0.
. "$(dirname "$0")/lib.sh"

start_sim --customers 1500 --orders 200 --seed 97 --latency 20 \
    --users agent1:agent1pw,agent2:agent2pw,agent3:agent3pw
PAGE_SIZE=50 start_quiet_daemon

isjson() { python3 -c 'import json,sys
for l in open(sys.argv[1]):
    json.loads(l)' "$1" || fail "not JSON: $(head -c 300 "$1")"; }

# Socket: default mode 0660; another uid is refused (SO_PEERCRED).
[ "$(stat -c %a "$T/sock")" = 660 ] || fail "socket mode $(stat -c %a "$T/sock"), want 660"
chmod 755 "$T"
chmod 666 "$T/sock"
setpriv --reuid=65534 --regid=65534 --clear-groups "$BIN/erpsyncctl" -s "$T/sock" status >"$T/nobody.out" 2>&1
rc=$?
[ "$rc" = 3 ] || fail "uid 65534 got exit $rc: $(cat "$T/nobody.out")"
grep -q "permission denied: uid 65534 is neither root nor erpsyncd's" "$T/nobody.out" ||
	fail "the refusal does not say why: $(cat "$T/nobody.out")"
chmod 660 "$T/sock"
chmod 700 "$T"

# Exit codes: usage 2, unreachable 3.
ctl frobnicate >/dev/null 2>&1; [ $? = 2 ] || fail "unknown command: not exit 2"
ctl sync widgets >/dev/null 2>&1; [ $? = 2 ] || fail "bad kind: not exit 2"
"$BIN/erpsyncctl" -s "$T/nosock" status >/dev/null 2>&1; [ $? = 3 ] || fail "no daemon: not exit 3"

# A login event with a password over stdin (agent3 is not in the file).
printf 'agent3pw\n' | ctl event login agent3 --password-stdin >"$T/login3.out" 2>&1 || fail "event login: $(cat "$T/login3.out")"
grep -q "customers  queued" "$T/login3.out" || fail "agent3 not queued: $(cat "$T/login3.out")"
job=$(sed -n 's/^  customers  queued     job \([0-9]*\).*/\1/p' "$T/login3.out")
wait_for 30 state_is "$job" done || fail "agent3's sync: $(job_field "$job" state) $(job_field "$job" message)"
compare customers "$T/data/customers-agent3.db" agent3 || fail "agent3 differs"
ctl --json event logout agent3 >"$T/logout3.json" || fail "logout"
isjson "$T/logout3.json"
grep -q '"credentials":false' "$T/logout3.json" || fail "logout did not forget: $(cat "$T/logout3.json")"
ctl event login agent3 >"$T/login3b.out" || fail "event login (no password)"
grep -q "skipped.*no credentials" "$T/login3b.out" || fail "after logout: $(cat "$T/login3b.out")"
ctl --json event reconnect agent1 --cache-age 3h >"$T/rec.json" || fail "reconnect"
isjson "$T/rec.json"
ctl --json event access agent1 orders >"$T/acc.json" || fail "access"
isjson "$T/acc.json"
ctl event access agent1 widgets >/dev/null 2>&1; [ $? = 2 ] || fail "access with a bad kind: not exit 2"

# watch and logs -f while syncs run.
ctl logs -f --user agent2 -n 0 >"$T/follow.out" 2>&1 &
fpid=$!
curl -sf "$ORIGIN/_sim/faults?latency=120" >/dev/null || fail "faults"
ctl --json sync customers --user agent2 >"$T/s2.json" || fail "sync agent2"
isjson "$T/s2.json"
j2=$(job_id "$T/s2.json")
wait_for 20 running_past "$j2" 2 || fail "agent2's sync did not start"
ctl watch -n 2 >"$T/watch.out" 2>&1 || fail "watch: $(cat "$T/watch.out")"
# The job's bar, and its page under it.
grep -EA1 "^ +$j2  customers +agent2 +full +\[#*-*\] +[0-9]+%$" "$T/watch.out" |
    grep -Eq "^ +page [0-9]+/30 " || fail "watch shows no bar: $(cat "$T/watch.out")"
ctl --json watch -n 1 >"$T/watch.json" 2>&1 || fail "watch --json"
isjson "$T/watch.json"
curl -sf "$ORIGIN/_sim/faults?latency=20" >/dev/null || fail "faults"
ctl sync customers --user agent2 --wait >/dev/null 2>&1 || fail "agent2's sync failed"
ctl sync customers --user agent1 --wait >/dev/null 2>&1 || fail "agent1's sync failed"
sleep 0.3
kill "$fpid"; wait "$fpid" 2>/dev/null
grep -q "user=agent2 kind=customers msg=\"job starting -> running" "$T/follow.out" || fail "logs -f missed agent2: $(head -5 "$T/follow.out")"
grep -q "user=agent1" "$T/follow.out" && fail "logs -f --user agent2 showed agent1"
ctl logs --job "$j2" --level info -n 500 >"$T/logs.out" || fail "logs"
grep -vq "job=$j2 " "$T/logs.out" && fail "logs --job $j2 showed other lines: $(grep -v "job=$j2 " "$T/logs.out" | head -3)"
ctl --json logs -n 5 >"$T/logs.json" || fail "logs --json"
isjson "$T/logs.json"

# An auth failure marks needs-login until the credentials change.
sed -i 's/^agent2:.*/agent2:wrong/' "$T/credentials"
ctl reload >/dev/null || fail "reload"
ctl sync customers --user agent2 --wait >"$T/bad.out" 2>&1 && fail "a wrong password succeeded"
grep -q "error auth" "$T/bad.out" || fail "not an auth failure: $(cat "$T/bad.out")"
ctl users --user agent2 | grep -q "NEEDS" || fail "users does not say agent2 needs a login"
ctl event login agent2 >"$T/l2.out"
grep -q "skipped.*needs a login" "$T/l2.out" || fail "login event for a needs-login user: $(cat "$T/l2.out")"
sed -i 's/^agent2:.*/agent2:agent2pw/' "$T/credentials"
ctl reload >/dev/null || fail "reload"
ctl users --user agent2 | grep -q "NEEDS" && fail "new credentials did not clear needs-login"

# Reload: an invalid config is refused and the running one kept; SIGHUP too.
cp "$T/erpsync.conf" "$T/good.conf"
printf '[supervisor]\ncheck_every = often\n' >>"$T/erpsync.conf"
ctl reload >"$T/reload.out" 2>&1; rc=$?
[ "$rc" = 1 ] || fail "an invalid reload exited $rc"
grep -q "check_every: bad value \"often\"" "$T/reload.out" || fail "reload does not say why: $(cat "$T/reload.out")"
kill -HUP "$DAEMON_PID"
wait_for 5 grep -q "reload failed; keeping the running configuration" "$T/erpsyncd.log" || fail "SIGHUP with a bad config"
ctl status >/dev/null || fail "the daemon died on a bad reload"
cp "$T/good.conf" "$T/erpsync.conf"
ctl --json reload >"$T/reload.json" || fail "a valid reload failed"
isjson "$T/reload.json"

# Every command with --json.
for c in status jobs users "users --user agent1" "logs -n 3" "event login agent1"; do
	# shellcheck disable=SC2086
	ctl --json $c >"$T/j.json" 2>&1 || fail "--json $c failed: $(cat "$T/j.json")"
	isjson "$T/j.json"
done
ctl --json hold --ttl 5s >"$T/hold.json" || fail "hold --json"
isjson "$T/hold.json"
hid=$(job_id "$T/hold.json")
ctl --json release "$hid" >"$T/rel.json" || fail "release --json"
isjson "$T/rel.json"
ctl release "$hid" >/dev/null 2>&1; [ $? = 1 ] || fail "releasing twice did not fail"
ctl --json cancel 99999 >/dev/null 2>&1; [ $? = 1 ] || fail "cancel of no job did not fail"
ctl hold -- sh -c 'test -n "$ERPSYNC_HOLD" && exit 7' 2>"$T/holdcmd.err"; rc=$?
[ "$rc" = 7 ] || fail "hold -- CMD did not pass CMD's status (got $rc): $(cat "$T/holdcmd.err")"

grep -rqs agent3pw "$T"/*.log "$T"/*.out "$T"/*.json "$T/state/state.db" && fail "agent3's password leaked"
ctl --json shutdown >"$T/shutdown.json" || fail "shutdown"
isjson "$T/shutdown.json"
wait "$DAEMON_PID"; rc=$?
DAEMON_PID=""
[ "$rc" = 0 ] || fail "erpsyncd exited $rc after shutdown"
note "ok"
