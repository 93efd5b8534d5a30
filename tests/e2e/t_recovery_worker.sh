#!/bin/sh
# A worker killed with SIGKILL, and one stopped with SIGSTOP, mid-sync: the
# supervisor sees the crash (exit by signal) and the stall (no heartbeat:
# SIGTERM, then SIGKILL of its process group), retries each after a short
# backoff from its checkpoint, and every sync ends exact. No zombie is
# left, and `status` tells what happened.
. "$(dirname "$0")/lib.sh"

start_sim --customers 3000 --seed 91 --latency 60
PAGE_SIZE=50 write_conf "retry_backoff = 1s
retry_backoff_max = 2s"
sed -i 's/^heartbeat_timeout = .*/heartbeat_timeout = 3s/' "$T/erpsync.conf"
no_schedules
start_daemon

counter() { status_field "counters.$1"; }
no_zombies() {
	z=$(ps -o stat=,pid= --ppid "$DAEMON_PID" | awk '$1 ~ /^Z/ {print $2}')
	[ -z "$z" ] || fail "zombie children of erpsyncd: $z"
}
start_job() {
	ctl --json sync customers --user "$1" >"$T/s-$1.json" || fail "sync $1"
	job_id "$T/s-$1.json"
}

# 1. SIGKILL.
job=$(start_job agent1)
wait_for 30 running_past "$job" 5 || fail "the sync did not reach page 5"
pid=$(job_field "$job" pid)
[ "${pid:-0}" -gt 1 ] || fail "job $job has no worker (pid '$pid'): $(job_field "$job" state)"
kill -KILL "$pid" || fail "no worker $pid"
wait_for 10 sh -c "! kill -0 $pid 2>/dev/null" || fail "worker $pid survived SIGKILL"
wait_for 60 state_is "$job" done || fail "job $job did not end done: $(job_field "$job" state) $(job_field "$job" message)"
[ "$(job_field "$job" attempts)" = 2 ] || fail "job $job took $(job_field "$job" attempts) attempts, want 2"
grep -q "job=$job .*attempt 2 of 5 in [0-9a-z]*: crashed: worker exited with signal 9 before finishing" "$T/erpsyncd.log" ||
	fail "the log does not tell of the crash and the retry"
compare customers "$T/data/customers-agent1.db" agent1 || fail "agent1 differs after SIGKILL"
[ "$(counter crashed)" = 1 ] || fail "status counts $(counter crashed) crashes"
note "SIGKILL: worker $pid crashed at page >= 5, job $job retried and resumed: $(job_field "$job" fetched) grid pages fetched by the last run"
no_zombies

# 2. SIGSTOP: silent, so the watchdog kills it after heartbeat_timeout.
job=$(start_job agent2)
wait_for 30 running_past "$job" 5 || fail "the sync did not reach page 5"
pid=$(job_field "$job" pid)
[ "${pid:-0}" -gt 1 ] || fail "job $job has no worker (pid '$pid'): $(job_field "$job" state)"
t0=$(date +%s)
kill -STOP "$pid" || fail "no worker $pid"
wait_for 20 sh -c "! kill -0 $pid 2>/dev/null" || fail "stopped worker $pid was not killed"
note "SIGSTOP: worker $pid killed after $(( $(date +%s) - t0 ))s (heartbeat_timeout 3s)"
wait_for 60 state_is "$job" done || fail "job $job did not end done: $(job_field "$job" state) $(job_field "$job" message)"
grep -q "job=$job .*stalled: worker sent nothing for 3s" "$T/erpsyncd.log" ||
	fail "the log does not tell of the stall"
compare customers "$T/data/customers-agent2.db" agent2 || fail "agent2 differs after SIGSTOP"
[ "$(counter stalled)" = 1 ] || fail "status counts $(counter stalled) stalls"
[ "$(counter retries)" = 2 ] || fail "status counts $(counter retries) retries"
ctl status >"$T/status.out"
grep -q "1 crashed, 1 stalled (killed), 2 retries" "$T/status.out" || fail "status does not tell: $(cat "$T/status.out")"
grep -q "stalled: worker sent nothing" "$T/status.out" || fail "status events miss the stall"
no_zombies
note "ok"
