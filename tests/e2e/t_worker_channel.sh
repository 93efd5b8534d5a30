#!/bin/sh
# erpsync-worker on a channel that breaks the protocol (design §5):
# started by hand with no channel, or by a supervisor (worker_channel.py)
# that hangs up, sends a frame that is no map, speaks another protocol
# version, or sends a job with fields missing. Each time the worker says
# what was wrong, sends its hello first, and exits with the code for
# "retrying won't help" (100), or 2 for a bad start; never a crash.
. "$(dirname "$0")/lib.sh"

W=$BIN/erpsync-worker

"$W" >"$T/noch.out" 2>"$T/noch.err" </dev/null
rc=$?
[ "$rc" = 2 ] || fail "the worker with no channel exited $rc, not 2"
grep -q "fd 3 is not a socket: erpsync-worker is started by erpsyncd" "$T/noch.err" ||
	fail "the worker with no channel says: $(cat "$T/noch.err")"
"$W" --version | grep -q '^erpsync-worker ' || fail "--version"
"$W" --help | grep -qi usage || fail "--help does not print the usage on stdout"

# case CASE TEXT: worker_channel.py CASE ends with exit 100, the hello
# sent, and TEXT in the worker's log.
case_is() {
	python3 "$REPO/tests/e2e/worker_channel.py" "$W" "$1" >"$T/$1.out" 2>&1 ||
		fail "$1: the harness failed: $(cat "$T/$1.out")"
	[ "$(sed -n 1p "$T/$1.out")" = "exit 100" ] ||
		fail "$1: the worker $(sed -n 1p "$T/$1.out"), not exit 100: $(cat "$T/$1.out")"
	[ "$(sed -n 2p "$T/$1.out")" = "hello yes" ] || fail "$1: the worker sent no hello"
	grep -qF "$2" "$T/$1.out" || fail "$1: the worker does not say \"$2\": $(cat "$T/$1.out")"
}

case_is close "cannot read the job: supervisor closed the channel"
case_is garbage "cannot read the job: frame is not a map"
case_is version "cannot read the job: protocol version 2, want 1"
case_is nojob 'cannot read the job: missing field \"mode\" in job message'
note "ok: no channel, a hang-up, a bad frame, another version and a short job: each said, exit 100"
