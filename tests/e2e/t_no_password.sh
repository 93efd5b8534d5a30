#!/bin/sh
# A worker keeps no ERP password in memory between logins: the job's copy
# serves the first login and is wiped; every later login (another session,
# a session the ERP expired) asks erpsyncd again. Checked by reading a
# running worker's whole memory, well after its two sessions logged in,
# when no login is in flight; and a sync whose sessions the ERP expires
# still ends exact (the later logins got the password).
. "$(dirname "$0")/lib.sh"

start_sim --customers 3000 --seed 8 --latency 30
PAGE_SIZE=20 write_conf
sed -i 's/^page_size = .*/&\nsessions_per_job = 2/' "$T/erpsync.conf"
no_schedules
start_daemon

ctl --json sync customers --user agent1 >"$T/s.json" || fail "sync"
job=$(job_id "$T/s.json")
wait_for 30 running_past "$job" 20 || fail "the sync did not reach page 20: $(job_field "$job" state)"
pid=$(job_field "$job" pid)
[ "${pid:-0}" -gt 1 ] || fail "no worker pid"
[ "$(sim_stat logins_ok)" -eq 2 ] || fail "$(sim_stat logins_ok) logins, want 2 (both sessions in)"
python3 "$REPO/tests/e2e/memscan.py" "$pid" agent1pw >"$T/scan.out" 2>"$T/scan.err"
rc=$?
[ "$rc" -eq 2 ] && fail "could not read worker $pid's memory: $(cat "$T/scan.err")"
[ "$rc" -eq 0 ] || fail "worker $pid holds the password between logins: $(head -n 5 "$T/scan.out")"
note "worker $pid: $(cat "$T/scan.err")"
# The control: the scanner does find the password where it is (erpsim).
python3 "$REPO/tests/e2e/memscan.py" "$SIM_PID" agent1pw >/dev/null 2>&1
[ $? -eq 1 ] || fail "memscan does not find the password in erpsim's memory: it proves nothing"
wait_for 60 state_is "$job" done || fail "job $job did not end done: $(job_field "$job" state) $(job_field "$job" message)"
compare customers "$T/data/customers-agent1.db" agent1 || fail "customers differ"

# Sessions the ERP ends every 10 requests: every login after the first
# asks erpsyncd for the password, and the sync still ends exact.
curl -s -X POST "$ORIGIN/_sim/faults?expire-every=10&latency=0" >/dev/null || fail "faults"
before=$(sim_stat logins_ok)
ctl sync customers --user agent2 --full --wait >"$T/expire.out" 2>&1 ||
	fail "the sync with expiring sessions failed: $(tail -n 3 "$T/expire.out")"
compare customers "$T/data/customers-agent2.db" agent2 || fail "customers agent2 differ"
logins=$(( $(sim_stat logins_ok) - before ))
[ "$logins" -ge 10 ] || fail "only $logins logins with sessions expiring every 10 requests"
note "ok: no password in a running worker; $logins logins with expiring sessions"
