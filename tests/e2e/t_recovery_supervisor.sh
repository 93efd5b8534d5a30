#!/bin/sh
# The supervisor killed with SIGKILL mid-sync: its worker dies with it (no
# orphan), and the next erpsyncd requeues the interrupted job, which resumes
# from its checkpoint and ends exact; `status` says the last one did not
# stop cleanly. SIGTERM drains: the worker stops at a page boundary, the
# daemon exits 0 in bounded time, and the next start resumes the job.
. "$(dirname "$0")/lib.sh"

start_sim --customers 3000 --seed 93 --latency 60
PAGE_SIZE=50 start_quiet_daemon "drain_timeout = 5s"

committed() { sqlite3 "$T/data/customers-$1.db" "SELECT next_page FROM _sync WHERE kind='customers'" 2>/dev/null; }
customers_done() {
	[ "$(sqlite3 "$T/state/state.db" "SELECT count(*) FROM jobs WHERE kind='customers' AND user='$1' AND state='done'")" -ge 1 ]
}

# 1. SIGKILL the supervisor.
ctl --json sync customers --user agent1 >"$T/s1.json" || fail "sync"
job=$(job_id "$T/s1.json")
# 20 of 60 pages committed first, so that a resumed run (40 pages and a
# few setup requests) and a fresh one (60 and more) cannot be confused.
committed_20() { [ "$(committed agent1)" -ge 20 ] 2>/dev/null; }
wait_for 60 committed_20 || fail "the sync did not commit 20 pages"
wpid=$(job_field "$job" pid)
[ "${wpid:-0}" -gt 1 ] || fail "job $job has no worker (pid '$wpid'): $(job_field "$job" state)"
kill -KILL "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null
DAEMON_PID=""
wait_for 5 sh -c "! kill -0 $wpid 2>/dev/null" || fail "worker $wpid outlived its supervisor (orphan)"
before=$(committed agent1)
note "supervisor killed; its worker $wpid died with it after $before pages"
curl -s -X POST "$ORIGIN/_sim/stats/reset" >/dev/null
start_daemon
wait_for 60 customers_done agent1 || fail "the interrupted job was not finished after the restart"
compare customers "$T/data/customers-agent1.db" agent1 || fail "agent1 differs after the restart"
served=$(sim_stat grid_requests.agent1)
# The pages left, the view, page size, filter and sort, and a re-read.
most=$((60 - before + 6))
[ "$served" -le "$most" ] || fail "the requeued job fetched $served pages, more than the $most a resume from page $before needs"
[ "$(status_field counters.requeued_at_boot)" = 1 ] || fail "status: $(status_field counters.requeued_at_boot) requeued"
[ "$(status_field counters.unclean_previous_pid)" -gt 0 ] || fail "status does not say the last erpsyncd died"
ctl status >"$T/status1.out"
grep -q "did not stop cleanly; 1 interrupted jobs requeued" "$T/status1.out" || fail "status: $(cat "$T/status1.out")"
ctl jobs | grep -q "crashed: supervisor restarted" || fail "jobs does not show the interrupted run"
note "restarted: the job resumed with $served grid requests and ended exact"

# 2. SIGTERM drains.
ctl --json sync customers --user agent2 >"$T/s2.json" || fail "sync agent2"
job=$(job_id "$T/s2.json")
wait_for 30 running_past "$job" 5 || fail "agent2's sync did not reach page 5"
wpid=$(job_field "$job" pid)
[ "${wpid:-0}" -gt 1 ] || fail "job $job has no worker (pid '$wpid'): $(job_field "$job" state)"
t0=$(date +%s%N)
kill -TERM "$DAEMON_PID"
wait "$DAEMON_PID"
rc=$?
DAEMON_PID=""
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$rc" = 0 ] || fail "erpsyncd exited $rc after SIGTERM"
[ "$ms" -lt 5000 ] || fail "the drain took $ms ms"
kill -0 "$wpid" 2>/dev/null && fail "worker $wpid still runs after the drain"
grep -q "job=$job .*supervisor stopping; requeued at next start" "$T/erpsyncd.log" || fail "the log does not say the job will resume"
note "SIGTERM: drained in $ms ms, exit 0, checkpoint at page $(committed agent2)"
start_daemon
wait_for 60 customers_done agent2 || fail "agent2's job was not resumed"
compare customers "$T/data/customers-agent2.db" agent2 || fail "agent2 differs after the drain"
[ "$(status_field counters.unclean_previous_pid)" = 0 ] || fail "a clean stop was reported as unclean"
ctl shutdown >/dev/null || fail "shutdown"
wait "$DAEMON_PID"
rc=$?
DAEMON_PID=""
[ "$rc" = 0 ] || fail "erpsyncd exited $rc after shutdown"
note "ok"
