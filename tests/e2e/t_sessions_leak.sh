#!/bin/sh
# Killed workers must not leak ERP sessions (regression: on an ERP allowing
# 2 sessions per user, after 3 workers were SIGKILLed mid-sync the next sync
# failed at once with "login refused for agent1: too many ERP sessions").
# Each worker tells erpsyncd its sessions; when one dies without logging
# out, the next job of that ERP user logs those sessions out first.
. "$(dirname "$0")/lib.sh"

# Sessions never expire by themselves here, as on a real ERP within its
# 20 minutes: only a logout frees them.
start_sim --customers 3000 --seed 17 --latency 20 --max-sessions 2 --session-idle 0
PAGE_SIZE=20 write_conf "retry_backoff = 1s
retry_backoff_max = 1s
retry_attempts = 10
poison_crashes = 0"
no_schedules
start_daemon

ctl --json sync customers --user agent1 >"$T/s.json" || fail "sync"
job=$(job_id "$T/s.json")
# Three workers of the same job, each killed mid-sync: every attempt is a
# new worker (the job is retried after a crash) with the page it reached
# checkpointed, so each kill waits for a page further on.
page=3
for round in 1 2 3; do
	wait_for 60 running_past "$job" "$page" ||
		fail "round $round: job $job not running past page $page: $(job_field "$job" state) $(job_field "$job" message)"
	pid=$(job_field "$job" pid)
	[ "${pid:-0}" -gt 1 ] || fail "round $round: no worker pid"
	kill -KILL "$pid"
	wait_for 10 sh -c "! kill -0 $pid 2>/dev/null" || fail "worker $pid survived SIGKILL"
	note "round $round: worker $pid killed past page $page"
	page=$((page + 3))
done
wait_for 120 state_is "$job" done ||
	fail "job $job did not end done after 3 killed workers: $(job_field "$job" state): $(job_field "$job" message)"
compare customers "$T/data/customers-agent1.db" agent1 || fail "agent1 differs"
# The run's rows are the whole run's, across its 4 attempts (regression:
# sync --wait and jobs reported only the last attempt's rows).
want=$(sim_stat rows.customers.agent1)
[ "$(job_field "$job" rows)" = "$want" ] || fail "job $job reports $(job_field "$job" rows) rows, the run read $want"
[ "$(job_field "$job" inserted)" = "$want" ] || fail "job $job reports $(job_field "$job" inserted) inserted, want $want"
grep -q "job=$job .*resuming run 1 at page" "$T/erpsyncd.log" || fail "job $job's attempts did not resume"

# A fresh sync logs in at once, and ends exact.
ctl sync customers --user agent1 --full --wait >"$T/final.out" 2>&1 ||
	fail "the sync after 3 killed workers failed: $(tail -n 3 "$T/final.out")"
compare customers "$T/data/customers-agent1.db" agent1 || fail "agent1 differs after the final sync"

# The schedule of the test says why: 3 workers died logged in, and the ERP
# allows 2 sessions, so only handing their sessions over can explain it.
handed=$(grep -c 'handing 1 ERP session of agent1 left by a dead worker' "$T/erpsyncd.log")
[ "$handed" -eq 3 ] || fail "erpsyncd handed over $handed leaked sessions, want 3"
busy=$(sim_stat logins_busy)
[ "$busy" -eq 0 ] || fail "the ERP refused $busy logins as too many sessions"
[ "$(sim_stat sessions.agent1)" -le 1 ] || fail "agent1 still has $(sim_stat sessions.agent1) ERP sessions after the last sync logged out"
grep -qE 'ASP.NET_SessionId|ASPXAUTH' "$T"/*.log && fail "a session cookie appears in a log"
note "ok: 3 leaked sessions handed over and logged out; $(sim_stat logouts) logouts"
