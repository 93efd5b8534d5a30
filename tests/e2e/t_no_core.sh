#!/bin/sh
# A crashing worker leaves no core file (regression: a SIGSEGV left a
# 4.3 MB core holding the ERP password). The worker sets RLIMIT_CORE 0 and
# PR_SET_DUMPABLE 0 before it reads its job. The daemon runs with core
# dumps allowed, from a folder where a crashing process does leave a core
# (checked first, so the test can fail).
. "$(dirname "$0")/lib.sh"

mkdir -p "$T/cwd"
case $(cat /proc/sys/kernel/core_pattern) in
'|'*|/*) fail "core_pattern is '$(cat /proc/sys/kernel/core_pattern)': cores do not land in the working folder, so this test cannot see them" ;;
esac
# The control: an ordinary process killed with SIGSEGV there dumps core.
(cd "$T/cwd" && ulimit -c unlimited && exec sleep 30) &
ctrl=$!
sleep 0.2
kill -SEGV "$ctrl"
wait "$ctrl" 2>/dev/null
ls "$T/cwd" | grep -q '^core' || fail "control: sleep killed with SIGSEGV left no core in $T/cwd; cannot test"
rm -f "$T"/cwd/core*

start_sim --customers 3000 --seed 3 --latency 40
PAGE_SIZE=20 write_conf
no_schedules
(cd "$T/cwd" && ulimit -c unlimited && exec "$BIN/erpsyncd" -f "$T/erpsync.conf" -d) >>"$T/erpsyncd.log" 2>&1 &
DAEMON_PID=$!
wait_for 10 "$BIN/erpsyncctl" -s "$T/sock" status || fail "erpsyncd did not answer"


ctl --json sync customers --user agent1 >"$T/s.json" || fail "sync"
job=$(job_id "$T/s.json")
wait_for 30 running_past "$job" 3 || fail "the sync did not get going: $(job_field "$job" state)"
pid=$(job_field "$job" pid)
[ "${pid:-0}" -gt 1 ] || fail "no worker pid"
grep -q '^Max core file size *unlimited' "/proc/$pid/limits" &&
	fail "the worker's core limit is unlimited"
kill -SEGV "$pid"
wait_for 10 sh -c "! kill -0 $pid 2>/dev/null" || fail "worker $pid survived SIGSEGV"
wait_for 10 grep -q "worker pid $pid exited with signal 11" "$T/erpsyncd.log" ||
	fail "erpsyncd did not see the worker die of SIGSEGV"
sleep 0.5
cores=$(find "$T" -name 'core*' -type f)
[ -z "$cores" ] || fail "a crashed worker left a core file: $cores"
note "ok: worker $pid died of SIGSEGV and left no core"
