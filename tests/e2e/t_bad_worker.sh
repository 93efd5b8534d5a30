#!/bin/sh
# A worker that breaks the protocol (design §5: "a bad frame from a worker
# kills that worker (job failed, class protocol)"). worker_path names
# tests/e2e/fake_worker.py, which answers the job with a frame that is no
# map, an oversize frame header, a hello naming another pid, a done with
# an error class no one knows, or silence. Each job fails with its class
# and a message that says what the worker did; erpsyncd goes on serving,
# and with the real worker again the next sync is exact.
. "$(dirname "$0")/lib.sh"

start_sim --customers 200 --seed 81
FAKE=$REPO/tests/e2e/fake_worker.py
[ -x "$FAKE" ] || fail "$FAKE is not executable"
# A crash is retried (class crashed): soon, so that the silent worker's
# three tries end in seconds.
write_conf "retry_backoff = 1s" "retry_backoff_max = 2s"
sed -i "s|^worker_path = .*|worker_path = $FAKE|" "$T/erpsync.conf"
no_schedules
FAKE_WORKER_MODE=$T/mode
export FAKE_WORKER_MODE
echo garbage >"$T/mode"
start_daemon

# bad MODE CLASS TEXT: a sync run by the fake worker in MODE fails with
# CLASS and a message holding TEXT; erpsyncd still answers.
bad() {
	echo "$1" >"$T/mode"
	sync_fails customers agent1
	[ "$CLASS" = "$2" ] || fail "$1: class $CLASS, not $2: $MSG"
	case $MSG in
	*"$3"*) ;;
	*) fail "$1: the message \"$MSG\" does not say \"$3\"" ;;
	esac
	ctl status >/dev/null || fail "$1: erpsyncd no longer answers"
}

bad garbage protocol "bad frame from worker"
bad oversize protocol "bad frame from worker"
bad badhello protocol "hello does not match"
bad unknownclass protocol "done with an unknown error class \"nonsense\""
bad silent crashed "worker exited with code 0 before finishing"
# No fake worker is left running.
pgrep -f "$FAKE" >/dev/null && fail "a fake worker is still running"

sed -i "s|^worker_path = .*|worker_path = $BIN/erpsync-worker|" "$T/erpsync.conf"
ctl reload >/dev/null || fail "erpsyncd did not reload its config"
ctl sync customers --user agent1 --wait >"$T/real.out" 2>&1 ||
	fail "the sync with the real worker failed: $(tail -n 3 "$T/real.out")"
compare customers "$T/data/customers-agent1.db" agent1 || fail "the mirror differs"
note "ok: five broken workers failed their jobs with their class; erpsyncd went on"
