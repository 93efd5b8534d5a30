#!/bin/sh
# Access for the agents' app backend (design §8): with socket_group set,
# the socket file belongs to that group (mode 0660) and a uid in it (by a
# supplementary or its primary group) runs erpsyncctl; a uid outside is
# stopped by the file's mode, and, with the mode opened, refused by
# erpsyncd with a message saying why; 1,000 refusals make a few log lines;
# every request is logged with the peer's uid (changes at info).
. "$(dirname "$0")/lib.sh"

command -v setpriv >/dev/null || fail "setpriv (util-linux) is needed"
start_sim --customers 200 --seed 5
write_conf "socket_group = 4242"
no_schedules
chmod 755 "$T"		# the socket's directory, for the other uids
start_daemon

as() {	# as UID GID GROUPS CMD...: run as another uid (groups "" = none)
	_u=$1 _g=$2 _gs=$3; shift 3
	if [ -n "$_gs" ]; then
		setpriv --reuid="$_u" --regid="$_g" --groups="$_gs" "$@"
	else
		setpriv --reuid="$_u" --regid="$_g" --clear-groups "$@"
	fi
}

[ "$(stat -c '%a %g' "$T/sock")" = "660 4242" ] ||
	fail "the socket is $(stat -c '%a %g' "$T/sock"), want mode 660 group 4242"

# 1. In the group: by a supplementary group, and by the primary one.
as 4243 4243 4242 "$BIN/erpsyncctl" -s "$T/sock" status >"$T/in1.out" 2>&1 ||
	fail "uid 4243 in group 4242 was refused: $(cat "$T/in1.out")"
as 4244 4242 "" "$BIN/erpsyncctl" -s "$T/sock" status >"$T/in2.out" 2>&1 ||
	fail "uid 4244 with primary group 4242 was refused: $(cat "$T/in2.out")"
as 4243 4243 4242 "$BIN/erpsyncctl" -s "$T/sock" sync customers --user agent1 --wait >"$T/sync.out" 2>&1 ||
	fail "the app's uid could not sync: $(cat "$T/sync.out")"
compare customers "$T/data/customers-agent1.db" agent1 || fail "differs"
grep -q 'msg="control: uid 4243 (pid [0-9]*) asks sync"' "$T/erpsyncd.log" ||
	fail "the sync request is not logged with the peer's uid"

# 2. Outside the group: the file's mode stops it, and erpsyncctl says so.
as 4245 4245 "" "$BIN/erpsyncctl" -s "$T/sock" status >"$T/out1.out" 2>&1
rc=$?
[ "$rc" = 3 ] || fail "uid 4245 outside the group got exit $rc: $(cat "$T/out1.out")"
grep -qi "permission denied" "$T/out1.out" || fail "no reason given: $(cat "$T/out1.out")"

# 3. With the mode opened, erpsyncd itself refuses, and says why.
sed -i 's/^socket_group = 4242$/socket_group = 4242\nsocket_mode = 0666/' "$T/erpsync.conf"
ctl reload >/dev/null || fail "reload"
[ "$(stat -c '%a %g' "$T/sock")" = "666 4242" ] || fail "reload did not apply socket_mode"
as 4245 4245 "" "$BIN/erpsyncctl" -s "$T/sock" status >"$T/out2.out" 2>&1
rc=$?
[ "$rc" = 3 ] || fail "uid 4245 got exit $rc: $(cat "$T/out2.out")"
grep -q "permission denied: uid 4245 (gid 4245) is not root, not erpsyncd's uid 0 and not in socket_group 4242 (gid 4242)" "$T/out2.out" ||
	fail "the refusal does not say why: $(cat "$T/out2.out")"

# 4. 1,000 refused connections: a few log lines, and one that counts the
# rest (one line per 10 s window, the rest counted at its end).
before=$(grep -c 'control: .*refused' "$T/erpsyncd.log")
as 4245 4245 "" /usr/bin/python3 - "$T/sock" <<'PY' || fail "the refused client loop failed"
import socket, sys
refused = 0
for i in range(1000):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sys.argv[1])
    if s.recv(4096):		# the error frame, then the close
        refused += 1
    s.close()
sys.exit(0 if refused == 1000 else 1)
PY
# The window ends within 10 s: then the count is logged.
counted() {
	sed -n 's/.*control: \([0-9]*\) more admin clients refused in the last.*/\1/p' \
	    "$T/erpsyncd.log" | awk '{ n += $1 } END { exit !(n >= 1000) }'
}
wait_for 30 counted || fail "the 1,000 refusals were never counted in the log"
after=$(grep -c 'control: .*refused' "$T/erpsyncd.log")
lines=$((after - before))
note "1,000 refused connections made $lines log lines: $(grep 'more admin clients refused' "$T/erpsyncd.log" | sed 's/.*msg=//' | tr '\n' ' ')"
[ "$lines" -ge 1 ] && [ "$lines" -le 4 ] || fail "$lines log lines for 1,000 refusals"
ctl status >/dev/null || fail "erpsyncd stopped answering after the refusals"
note "ok"
