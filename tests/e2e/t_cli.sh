#!/bin/sh
# erpsyncctl's command line (issue 9, item 5): --help on every command
# with a line per option, help, --version on the four programs, "did you
# mean" for a typo, a reason on every usage error, global options after
# the command, jobs --user/--kind/--state (filtered before -n), users of
# an unknown user, logs --since, columns as wide as a 64-character user
# id, the socket from -f CONF, hints when the socket is wrong or nobody
# listens, and colour only on a terminal without NO_COLOR.
. "$(dirname "$0")/lib.sh"

LONGU=a234567890b234567890c234567890d234567890e234567890f234567890wxyz
[ ${#LONGU} = 64 ] || fail "the long user id is ${#LONGU} characters"
start_sim --customers 300 --orders 60 --seed 11 \
    --users "agent1:agent1pw,$LONGU:longpw"
PAGE_SIZE=100 write_conf
printf '%s:longpw\n' "$LONGU" >>"$T/credentials"
no_schedules
start_daemon
unset ERPSYNC_SOCKET NO_COLOR
C="$BIN/erpsyncctl"
esc=$(printf '\033')

# --version on every program.
version=$(sed -n 's/^#define ERPSYNC_VERSION "\(.*\)"$/\1/p' "$REPO/common/common.h")
for p in erpsyncctl erpsyncd erpsync-worker erpsim; do
	out=$("$BIN/$p" --version) || fail "$p --version exited $?"
	[ "$out" = "$p $version" ] || fail "$p --version said \"$out\""
done
"$BIN/erpsyncd" --help >"$T/d.help" || fail "erpsyncd --help exited $?"
grep -q -- "--version" "$T/d.help" || fail "erpsyncd --help: $(cat "$T/d.help")"

# help lists every command with a line about it; CMD --help and help CMD
# exit 0 and give a line to every option of the command's usage.
"$C" help >"$T/help.out" || fail "help exited $?"
cmds=$(sed -n 's/^  \([a-z]*\)  *[A-Z].*/\1/p' "$T/help.out")
[ "$(echo "$cmds" | wc -l)" -ge 15 ] || fail "help lists: $(cat "$T/help.out")"
"$C" --help >"$T/usage.out" || fail "--help exited $?"
for c in $cmds; do
	"$C" "$c" --help >"$T/h.out" 2>&1 || fail "$c --help exited $?"
	"$C" help "$c" >"$T/h2.out" 2>&1 || fail "help $c exited $?"
	cmp -s "$T/h.out" "$T/h2.out" || fail "help $c is not $c --help"
	grep -q "^options:" "$T/h.out" || fail "$c --help: $(cat "$T/h.out")"
	opts=$(grep "^  $c " "$T/usage.out" | grep -o -- ' -[a-z]\| --[a-z][-a-z]*' | sort -u)
	for o in $opts; do
		[ "$(sed -n '/^options:/,/^global/p' "$T/h.out" | grep -c -- "^  .*$o\( \|,\|\$\)")" = 1 ] ||
			fail "$c --help has no line of its own for $o: $(cat "$T/h.out")"
	done
	grep -q -- "^  -h, --help " "$T/h.out" || fail "$c --help does not list -h"
done
"$C" sync customers --help >/dev/null || fail "sync customers --help"

# A typo: did you mean, exit 2.
"$C" statsu >"$T/typo.out" 2>&1; rc=$?
[ "$rc" = 2 ] || fail "statsu exited $rc"
[ "$(cat "$T/typo.out")" = 'erpsyncctl: unknown command "statsu"; did you mean "status"?' ] ||
	fail "statsu: $(cat "$T/typo.out")"

# A reason on every usage error, exit 2.
usage_err() {
	"$C" -s "$T/sock" "$@" >"$T/u.out" 2>&1; _rc=$?
	[ "$_rc" = 2 ] || fail "$* exited $_rc: $(cat "$T/u.out")"
	head -n 1 "$T/u.out" | grep -q '^erpsyncctl: ' || fail "$*: no reason: $(cat "$T/u.out")"
}
usage_err sync customers --user agent1 --full --delta
grep -q "exclude each other" "$T/u.out" || fail "--full --delta: $(cat "$T/u.out")"
usage_err hold --ttl 2d
grep -q "out of range" "$T/u.out" || fail "hold --ttl 2d: $(cat "$T/u.out")"
usage_err cancel abc
usage_err jobs -n many
grep -q -- "-n" "$T/u.out" || fail "jobs -n many: $(cat "$T/u.out")"
usage_err jobs --state sleeping
usage_err logs --since soon
grep -q -- "--since" "$T/u.out" || fail "logs --since soon: $(cat "$T/u.out")"
usage_err sync --wait
usage_err sync customers --bogus
usage_err status extra
usage_err event login
usage_err release
usage_err watch -n x

# Global options after the command.
"$C" status --json -s "$T/sock" >"$T/st.json" || fail "status --json -s"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))["pid"]' "$T/st.json" ||
	fail "status --json: $(head -c 300 "$T/st.json")"

# Jobs of two users and two kinds; the long user's customers last.
ctl sync orders --user agent1 --wait >/dev/null 2>&1 || fail "orders agent1"
ctl sync customers --user agent1 --wait >/dev/null 2>&1 || fail "customers agent1"
ctl sync customers --user "$LONGU" --wait >"$T/long.out" 2>&1 || fail "customers $LONGU: $(cat "$T/long.out")"
ids() { python3 -c 'import json,sys
d=json.load(sys.stdin); print(" ".join("%s:%s:%s:%s" % (j["id"], j["kind"], j["user"][:6], j["state"]) for j in d["jobs"]))'; }
got=$(ctl jobs --json --kind customers --state done | ids)
[ "$got" = "3:customers:a23456:done 2:customers:agent1:done" ] || fail "jobs --kind customers --state done: $got"
got=$(ctl jobs --kind customers -n 1 --json | ids)
[ "$got" = "3:customers:a23456:done" ] || fail "jobs --kind customers -n 1 (filter before the limit): $got"
got=$(ctl jobs --json --user agent1 --kind orders | ids)
[ "$got" = "1:orders:agent1:done" ] || fail "jobs --user agent1 --kind orders: $got"
got=$(ctl jobs --json --state failed | ids)
[ -z "$got" ] || fail "jobs --state failed: $got"

# Columns as wide as the data: STATE and KIND start where their header does.
column_ok() { # FILE HEADER VALUES-REGEX
	awk -v h="$2" -v re="$3" 'NR == 1 { at = index($0, h); next }
	    /system user/ { next }
	    { if (at == 0 || substr($0, at) !~ ("^(" re ")( |$)")) { bad = 1; print "bad: " $0 } }
	    END { exit bad || NR < 2 }' "$1"
}
ctl jobs >"$T/jobs.out" || fail "jobs"
grep -q "$LONGU" "$T/jobs.out" || fail "jobs cut the long user id: $(cat "$T/jobs.out")"
column_ok "$T/jobs.out" STATE done || fail "jobs columns out of line: $(cat "$T/jobs.out")"
column_ok "$T/jobs.out" TRIGGER manual || fail "jobs columns out of line: $(cat "$T/jobs.out")"
ctl users >"$T/users.out" || fail "users"
grep -q "^$LONGU " "$T/users.out" || fail "users cut the long user id: $(cat "$T/users.out")"
column_ok "$T/users.out" KIND "customers|orders|products|prices" || fail "users columns out of line: $(cat "$T/users.out")"
# FAILS is right-aligned: its last character is the count's.
awk 'NR == 1 { at = index($0, "FAILS") + 4; next } /system user/ { next }
    substr($0, at, 1) != "0" { bad = 1 } END { exit bad }' "$T/users.out" ||
	fail "users FAILS column out of line: $(cat "$T/users.out")"

# An unknown user: said, exit 1.
ctl users --user nobody >"$T/nobody.out" 2>&1; rc=$?
[ "$rc" = 1 ] || fail "users --user nobody exited $rc"
grep -q 'no user "nobody"' "$T/nobody.out" || fail "users --user nobody: $(cat "$T/nobody.out")"

# logs --since: only the lines of the last second.
sleep 2
ctl reload >/dev/null || fail "reload"
ctl --json logs --since 1s >"$T/since.json" || fail "logs --since 1s"
python3 - "$T/since.json" <<'PY' || fail "logs --since 1s: $(cat "$T/since.json")"
import json, sys, time
lines = [json.loads(l) for l in open(sys.argv[1])]
logs = [l for l in lines if "ts_ms" in l]
now = time.time() * 1000
assert logs, "no line"
assert all(now - l["ts_ms"] < 1900 for l in logs), "old lines"
assert any("reload" in l.get("msg", "") for l in logs), "no reload line"
PY
[ "$(ctl logs --since 1h | grep -c "job running -> done")" = 3 ] ||
	fail "logs --since 1h lacks the three jobs: $(ctl logs --since 1h | tail -5)"
ctl logs --since 1s | grep -q "job running -> done" && fail "logs --since 1s shows old lines"

# The socket from -f CONF (before or after the command) and ERPSYNC_SOCKET.
"$C" -f "$T/erpsync.conf" status >/dev/null || fail "-f CONF did not find the socket"
"$C" status --config "$T/erpsync.conf" >/dev/null || fail "status --config CONF"
ERPSYNC_SOCKET="$T/sock" "$C" status >/dev/null || fail "ERPSYNC_SOCKET"
"$C" -f "$T/none.conf" status >"$T/nc.out" 2>&1; rc=$?
[ "$rc" = 3 ] && grep -q "cannot read $T/none.conf" "$T/nc.out" || fail "-f a missing file ($rc): $(cat "$T/nc.out")"

# Hints: a directory, a missing path, a regular file, a dead socket.
hint() { # EXPECTED-TEXT ARGS...
	_want=$1; shift
	"$C" "$@" status >"$T/hint.out" 2>&1; _rc=$?
	[ "$_rc" = 3 ] || fail "$* status exited $_rc"
	[ "$(cat "$T/hint.out")" = "erpsyncctl: $_want" ] || fail "$*: $(cat "$T/hint.out")"
}
hint "$T is a directory, not a socket; give the socket's path with -s" -s "$T"
hint "no socket at $T/nosock (socket path from -s): is erpsyncd running? (systemctl status erpsyncd)" -s "$T/nosock"
hint "$T/erpsync.conf is not a socket; give the socket's path with -s" -s "$T/erpsync.conf"
python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$T/dead.sock"
hint "no erpsyncd is listening on $T/dead.sock (connection refused): is it running? (systemctl status erpsyncd)" -s "$T/dead.sock"
if [ "$(id -u)" = 0 ]; then
	chmod 755 "$T"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$C" -s "$T/sock" status >"$T/perm.out" 2>&1; rc=$?
	chmod 700 "$T"
	[ "$rc" = 3 ] || fail "uid 65534 exited $rc"
	grep -qx "erpsyncctl: permission denied on $T/sock: ask for access to socket_group $(stat -c %G "$T/sock")" "$T/perm.out" ||
		fail "EACCES: $(cat "$T/perm.out")"
fi

# Colour: on a terminal only, never with NO_COLOR, TERM=dumb or --json.
ctl jobs >"$T/pipe.out"
grep -q "$esc" "$T/pipe.out" && fail "escape codes into a pipe"
tty_run() { env "$@" script -qec "$C -s $T/sock jobs" /dev/null </dev/null; }
tty_run TERM=xterm >"$T/tty.out" 2>&1
grep -q "${esc}\[32mdone${esc}\[0m" "$T/tty.out" || fail "no colour on a terminal: $(od -c "$T/tty.out" | head)"
tty_run TERM=xterm NO_COLOR=1 >"$T/tty2.out" 2>&1
grep -q "${esc}\[" "$T/tty2.out" && fail "colour with NO_COLOR"
grep -q "done" "$T/tty2.out" || fail "the terminal run showed nothing: $(cat "$T/tty2.out")"
tty_run TERM=dumb >"$T/tty3.out" 2>&1
grep -q "${esc}\[" "$T/tty3.out" && fail "colour with TERM=dumb"
env TERM=xterm script -qec "$C -s $T/sock --json jobs" /dev/null </dev/null >"$T/tty4.out" 2>&1
grep -q "${esc}\[" "$T/tty4.out" && fail "colour with --json"

# A stopped daemon: the hint, exit 3.
ctl shutdown >/dev/null || fail "shutdown"
wait "$DAEMON_PID"
DAEMON_PID=""
"$C" -s "$T/sock" status >"$T/down.out" 2>&1; rc=$?
[ "$rc" = 3 ] || fail "a stopped daemon: exit $rc"
grep -q "is erpsyncd running? (systemctl status erpsyncd)" "$T/down.out" || fail "stopped: $(cat "$T/down.out")"
note "ok"
