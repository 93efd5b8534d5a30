#!/bin/sh
# `sync --wait` is not blind while its job retries (design §8): a manual
# sync whose worker is killed twice prints both retries ("attempt 2 of 5
# in ...: crashed: ...") and the final verdict; `wait JOB` from a second
# client shows the same end and exit code; Ctrl-C detaches and says how to
# come back. erpsim's gate stops each run at a known page and a hold keeps
# each retry from starting until the test is ready: nothing races.
. "$(dirname "$0")/lib.sh"

start_sim --customers 3000 --seed 47
PAGE_SIZE=200 start_quiet_daemon "retry_backoff = 1s" "poison_crashes = 10"

worker_pid() { pgrep -P "$DAEMON_PID" -f erpsync-worker | head -n 1; }

# kill_at N: once the gate (armed at page N) holds the job's run, kill its
# worker and keep the retry from starting (a hold on agent1) until
# release_retry.
kill_at() {
	wait_for 60 gate_parked || fail "the run never reached page $1"
	_w=$(worker_pid)
	[ -n "$_w" ] || fail "no worker under erpsyncd"
	ctl hold --user agent1 --reason "test: no retry yet" >"$T/hold$1.out" 2>&1 &
	_h=$!
	kill -KILL "$_w"
	gate_open
	wait "$_h" || fail "hold: $(cat "$T/hold$1.out")"
	HOLD=$(sed -n 's/^hold \([0-9]*\) .*/\1/p' "$T/hold$1.out")
	[ -n "$HOLD" ] || fail "no hold id: $(cat "$T/hold$1.out")"
}
release_retry() { ctl release "$HOLD" >/dev/null || fail "release $HOLD"; }

gate_at 4 agent1
ctl sync customers --user agent1 --wait >"$T/w1.out" 2>&1 &
w1=$!
wait_for 10 grep -q '^job [0-9]* ' "$T/w1.out" || fail "no job line: $(cat "$T/w1.out")"
job=$(sed -n 's/^job \([0-9]*\) .*/\1/p' "$T/w1.out" | head -n 1)

kill_at 4
# A second client attaches to the job while it waits for its retry, and a
# third one is interrupted.
ctl wait "$job" >"$T/w2.out" 2>&1 &
w2=$!
# (the program itself, not the ctl function's subshell, gets the signal)
"$BIN/erpsyncctl" -s "$T/sock" wait "$job" >"$T/w3.out" 2>&1 &
w3=$!
wait_for 10 grep -q "attempt 2 of 5" "$T/w1.out" || fail "sync --wait did not print the first retry: $(cat "$T/w1.out")"
# wait says where the job stands once it listens for Ctrl-C.
wait_for 10 grep -q "^job $job customers agent1: queued; attempt 2 of 5 in " "$T/w3.out" ||
	fail "wait did not say where job $job stands: $(cat "$T/w3.out")"
kill -INT "$w3"
wait_for 10 sh -c "! kill -0 $w3 2>/dev/null" || fail "wait $job ignored Ctrl-C"
wait "$w3"
rc3=$?
[ "$rc3" = 130 ] || fail "wait after Ctrl-C exited $rc3, not 130"
grep -q "detached; job $job goes on (erpsyncctl wait $job)" "$T/w3.out" ||
	fail "Ctrl-C did not say how to come back: $(cat "$T/w3.out")"
gate_at 9 agent1
release_retry

kill_at 9
wait_for 10 grep -q "attempt 3 of 5" "$T/w1.out" || fail "sync --wait did not print the second retry: $(cat "$T/w1.out")"
release_retry

wait_for 60 sh -c "! kill -0 $w1 2>/dev/null && ! kill -0 $w2 2>/dev/null" ||
	fail "sync --wait or wait did not end: $(cat "$T/w1.out")"
wait "$w1"
rc1=$?
wait "$w2"
rc2=$?
[ "$rc1" = 0 ] || fail "sync --wait exited $rc1: $(cat "$T/w1.out")"
[ "$rc2" = "$rc1" ] || fail "wait $job exited $rc2, sync --wait $rc1"
grep -q "^job $job: warn: attempt 2 of 5 in [0-9a-z]*: crashed: worker exited with signal 9" "$T/w1.out" ||
	fail "the first retry line is not as expected: $(cat "$T/w1.out")"
grep -q "^job $job: warn: attempt 3 of 5 in [0-9a-z]*: crashed: " "$T/w1.out" ||
	fail "the second retry line is not as expected: $(cat "$T/w1.out")"
grep -q "^job $job: resuming run " "$T/w1.out" || fail "sync --wait did not say the retry resumed: $(cat "$T/w1.out")"
end1=$(grep "^job $job customers agent1: " "$T/w1.out" | tail -n 1)
end2=$(grep "^job $job customers agent1: " "$T/w2.out" | tail -n 1)
case "$end1" in
*": done in "*"3 attempts"*) ;;
*) fail "sync --wait's verdict: $end1" ;;
esac
[ "$end1" = "$end2" ] || fail "the verdicts differ:
  sync --wait: $end1
  wait $job:   $end2"
grep -q "attempt 3 of 5" "$T/w2.out" || fail "wait $job did not print the retry it saw: $(cat "$T/w2.out")"
[ "$(job_field "$job" attempts)" = 3 ] || fail "job $job has $(job_field "$job" attempts) attempts, not 3"
compare customers "$T/data/customers-agent1.db" agent1 || fail "differs after the retries"
# After the end, wait answers at once with the same verdict.
ctl wait "$job" >"$T/w4.out" 2>&1 || fail "wait on an ended job: $(cat "$T/w4.out")"
[ "$(tail -n 1 "$T/w4.out")" = "$end1" ] || fail "wait after the end: $(cat "$T/w4.out")"
note "sync --wait printed:"
sed 's/^/    /' "$T/w1.out"
note "ok"
