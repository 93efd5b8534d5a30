#!/bin/sh
# Regression: with a low open-files limit, 80 idle admin connections made
# erpsyncd spin at 100% CPU logging "accept: Too many open files" and
# `status` timed out. Now, under `ulimit -n 64`: erpsyncd stays nearly idle
# while the connections sit there, logs a bounded number of lines, closes
# the idle ones after admin_idle_timeout and answers `status`. A
# connection beyond max_clients gets a clear error; refusals are logged
# rate-limited with a count; `logs -f` and `hold -- CMD` connections are
# never closed as idle.
. "$(dirname "$0")/lib.sh"

# No job runs here, so no ERP is needed: a port nothing listens on.
URL="http://127.0.0.1:9/Archibald"
write_conf "admin_idle_timeout = 8s"
"$BIN/erpsyncd" -n -f "$T/erpsync.conf" >"$T/check.out" 2>&1 ||
	fail "config refused: $(cat "$T/check.out")"

sh -c 'ulimit -n 64 && exec "$0" -f "$1" -d' "$BIN/erpsyncd" \
    "$T/erpsync.conf" >>"$T/erpsyncd.log" 2>&1 &
DAEMON_PID=$!
wait_for 10 "$BIN/erpsyncctl" -s "$T/sock" status ||
	fail "erpsyncd did not answer on $T/sock"
[ "$(awk '/^Max open files/ {print $4}' /proc/$DAEMON_PID/limits)" = 64 ] ||
	fail "erpsyncd does not run with 64 open files at most"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$DAEMON_PID/stat"; }

# idle_open NAME N SECONDS: N connections that send nothing, watched for
# SECONDS at most by $IDLE_PID, which writes $T/NAME.json as it ends.
idle_open() {
	python3 "$REPO/tests/e2e/idle_clients.py" "$T/sock" "$2" \
	    "$T/$1.ready" "$T/$1.json" "$3" &
	IDLE_PID=$!
	wait_for 15 test -s "$T/$1.ready" || fail "$2 connections did not open"
}

# all_closed NAME N TEXT: erpsyncd closed each of the N connections of
# idle_open NAME with an error saying TEXT, and none is left open.
all_closed() {
	python3 - "$T/$1.json" "$2" "$3" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
n, text = int(sys.argv[2]), sys.argv[3]
said = [m for m in d["closed"] if text in m]
print("%s: opened %d, closed by erpsyncd %d (%d saying \"%s\"), open %d"
      % (sys.argv[1], d["opened"], len(d["closed"]), len(said), text, d["open"]))
assert d["opened"] == n and len(said) == n and d["open"] == 0
PY
}

# --- 80 idle connections: more than the fds erpsyncd has.
idle_open idle1 80 60
wait_for 5 grep -q "Too many open files" "$T/erpsyncd.log" ||
	fail "erpsyncd never ran out of fds: the test does not test the bug"

hz=$(getconf CLK_TCK)
c0=$(cpu_ticks)
sleep 5
c1=$(cpu_ticks)
pct=$(( (c1 - c0) * 100 * 100 / (5 * hz) ))	# hundredths of a percent
note "erpsyncd CPU over 5s with 80 idle connections: $((pct / 100)).$(printf %02d $((pct % 100)))% ($((c1 - c0)) ticks of $hz/s)"
[ "$pct" -lt 500 ] || fail "erpsyncd used $((pct / 100))% CPU with idle connections (max 5%)"

# status waits in the listen backlog for fds; idle clients are closed
# after 8s, which frees them.
timeout 40 "$BIN/erpsyncctl" -s "$T/sock" status >"$T/status1.out" 2>&1 ||
	fail "status did not answer with 80 idle connections: $(cat "$T/status1.out")"
wait "$IDLE_PID"
all_closed idle1 80 admin_idle_timeout ||
	fail "idle connections were not all closed by erpsyncd"

# Bounded logging: pauses and idle closes are rate-limited.
n=$(grep -c "control: accept" "$T/erpsyncd.log")
note "$n accept lines, $(grep -c "idle for" "$T/erpsyncd.log") idle lines in the log"
[ "$n" -le 6 ] || fail "$n accept lines in the log (max 6)"
[ "$(grep -c "idle for" "$T/erpsyncd.log")" -le 6 ] || fail "too many idle lines"
[ "$(wc -l <"$T/erpsyncd.log")" -le 60 ] || fail "the log grew to $(wc -l <"$T/erpsyncd.log") lines"

# --- max_clients = 5 (reloaded): 5 followers (never idle) fill it.
sed -i 's/^admin_idle_timeout = .*/admin_idle_timeout = 3s\nmax_clients = 5/' "$T/erpsync.conf"
ctl reload >"$T/reload.out" 2>&1 || fail "reload: $(cat "$T/reload.out")"
FOLLOW_PIDS=""
for i in 1 2 3 4 5; do
	"$BIN/erpsyncctl" -s "$T/sock" logs -f >"$T/follow$i.out" 2>&1 &
	FOLLOW_PIDS="$FOLLOW_PIDS $!"
	# its backlog printed: it holds a slot
	wait_for 10 test -s "$T/follow$i.out" || fail "logs -f $i did not start"
done

idle_open idle2 20 30
ctl status >"$T/status2.out" 2>&1 && fail "status was served beyond max_clients"
grep -q "too many admin clients (max_clients = 5); try again later" "$T/status2.out" ||
	fail "no clear error beyond max_clients: $(cat "$T/status2.out")"
wait "$IDLE_PID"
all_closed idle2 20 "too many admin clients (max_clients = 5)" ||
	fail "wrong answers to 20 connections beyond max_clients"

# Refusals: one line at once, then one line with the count held back.
wait_for 15 grep -q "20 more admin clients refused in the last 10s" "$T/erpsyncd.log" ||
	fail "no count of the refusals held back: $(grep "refused" "$T/erpsyncd.log")"
[ "$(grep -c "refused client" "$T/erpsyncd.log")" -eq 1 ] ||
	fail "refusals are not rate-limited: $(grep -c "refused client" "$T/erpsyncd.log") lines"

# A slot freed is a slot served.
set -- $FOLLOW_PIDS
kill "$1"; wait "$1" 2>/dev/null
wait_for 10 ctl status || fail "status refused with a free slot"

# A hold with a command is never idle, however long the command runs;
# followers neither (admin_idle_timeout is 3s now).
ctl hold --reason "order in progress" -- sh -c 'sleep 7; echo cmd-done' \
    >"$T/hold.out" 2>&1 || fail "hold -- CMD failed: $(cat "$T/hold.out")"
grep -q cmd-done "$T/hold.out" || fail "the held command did not finish"
grep -q "released by pid" "$T/erpsyncd.log" ||
	fail "the hold was not released by its client"
grep -q "released: its client's connection closed" "$T/erpsyncd.log" &&
	fail "the hold's connection was closed while its command ran"
shift
for p in "$@"; do
	kill -0 "$p" 2>/dev/null || fail "logs -f (pid $p) was closed as idle"
	kill "$p"; wait "$p" 2>/dev/null
done
grep -q "released by pid" "$T/follow2.out" || fail "logs -f missed the release"

# Text from peers reaches the terminal without its control characters.
esc=$(printf 'x\033[2Jy')
ctl hold --ttl 60s --reason "$esc" >"$T/hold2.out" 2>&1 || fail "hold: $(cat "$T/hold2.out")"
grep -qF 'x\x1b[2Jy' "$T/hold2.out" || fail "reason not escaped: $(cat -v "$T/hold2.out")"
ctl --json status >"$T/status4.json" 2>&1 || fail "status --json failed"
ctl status >"$T/status4.out" 2>&1 || fail "status failed"
if grep -q "$(printf '\033')" "$T/hold2.out" "$T/status4.out" "$T/status4.json"; then
	fail "a raw ESC reached the output"
fi
python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
assert any(h["reason"] == "x\x1b[2Jy" for h in d["holds"]), d["holds"]' \
    "$T/status4.json" || fail "status --json is not valid JSON carrying the reason"
note "ok"
