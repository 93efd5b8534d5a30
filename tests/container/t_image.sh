#!/bin/sh
# t_image.sh — the container image (design §12) against erpsim on the
# host's loopback: erpsyncd is PID 1 as uid 7100, the config and the
# credentials come from a read-only host directory, the data lives in a
# named volume; a customers sync through `podman exec erpsyncctl` matches
# erpsim row for row; the HEALTHCHECK passes with a non-default socket; a
# worker SIGKILLed mid-sync is reaped (no zombie) and its job retried to
# success; `podman stop -t 30` drains a running sync and exits 0.
# Usage: tests/container/t_image.sh [BIN [VERSION]]   (make check-container)
# Prints the image size and the container's RSS during a sync.
BIN=${1:-bin}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
VERSION=${2:-$(sed -n 's/^#define ERPSYNC_VERSION "\(.*\)"/\1/p' "$REPO/common/common.h")}
IMAGE=erpsync:$VERSION
. "$REPO/tests/e2e/lib.sh"
TEST_NAME=t_image

UID_CT=7100			# the image's erpsync user (deploy/image/Containerfile)
CT=erpsync-test-$$
VOL=erpsync-test-$$
RUNVOL=erpsync-test-run-$$	# /run/erpsync, shared with an "app backend" container
SOCK=/run/erpsync/admin.sock	# not the default: erpsync-health must read the config
PODMAN_RUN="--runtime runc --network=host --ulimit nofile=1024:1024 --ulimit nproc=4096:4096"

# The container and its volume go whatever happens; lib.sh's cleanup then
# stops erpsim and keeps $T (with the container's log) on failure.
ct_cleanup() {
	_rc=$?
	if podman container exists "$CT" 2>/dev/null; then
		podman logs "$CT" >"$T/container.log" 2>&1
		podman rm -f -t 0 "$CT" >/dev/null 2>&1
	fi
	podman volume rm -f "$VOL" "$RUNVOL" >/dev/null 2>&1
	(exit "$_rc")
	cleanup
}
trap ct_cleanup EXIT

command -v podman >/dev/null 2>&1 || fail "podman is missing: run sh deploy/deps.sh image"
podman image exists "$IMAGE" || sh "$REPO/deploy/image/build.sh" "$BIN" "$VERSION" >/dev/null ||
	fail "cannot build $IMAGE"

cx() { podman exec "$CT" "$@"; }
ctlx() { podman exec "$CT" erpsyncctl -s "$SOCK" "$@"; }

# ps_ct: "PID STATE COMM" for every process of the container, read from
# its own /proc (the image has no ps).
ps_ct() {
	cx sh -c 'for f in /proc/[0-9]*/stat; do read -r l <"$f" && echo "$l"; done' 2>/dev/null |
	    python3 -c 'import sys
for l in sys.stdin:
    head, _, tail = l.rpartition(")")
    pid, _, comm = head.partition(" (")
    print(pid, tail.split()[0], comm)'
}
worker_pid() { ps_ct | awk '$3 == "erpsync-worker" { print $1; exit }'; }

# rss_kb: the resident memory of all the container's processes, from the
# host's /proc (podman top gives their host pids).
rss_kb() {
	podman top "$CT" hpid | tail -n +2 | while read -r p; do
		awk '/^VmRSS:/ { print $2 }' "/proc/$p/status" 2>/dev/null
	done | awk '{ s += $1 } END { print s + 0 }'
}

start_sim --customers 3000 --seed 61
MPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# The host directory mounted read-only at /etc/erpsync: config and
# credentials (0600, owned by the container's uid); paths as the container
# sees them.
mkdir -p "$T/etc"
chmod 755 "$T/etc"
printf 'agent1:agent1pw\nagent2:agent2pw\nerpadmin:adminpw\n' >"$T/etc/credentials"
chmod 600 "$T/etc/credentials"
cat >"$T/etc/erpsync.conf" <<EOC
[erp]
url = $URL
credentials = /etc/erpsync/credentials
system_user = erpadmin
page_size = 200
request_timeout = 10s

[supervisor]
socket = $SOCK
socket_group = $UID_CT
heartbeat_timeout = 30s
retry_backoff = 1s
poison_crashes = 10
$(schedules_off)
[metrics]
listen = 127.0.0.1:$MPORT
EOC
chown -R "$UID_CT:$UID_CT" "$T/etc"
podman volume create "$VOL" >/dev/null || fail "podman volume create $VOL"
podman volume create "$RUNVOL" >/dev/null || fail "podman volume create $RUNVOL"

# The healthcheck runs on demand only (no systemd timer here).
# shellcheck disable=SC2086
podman run -d --name "$CT" $PODMAN_RUN --health-interval=disable \
    -v "$T/etc:/etc/erpsync:ro" -v "$VOL:/var/lib/erpsync" -v "$RUNVOL:/run/erpsync" \
    "$IMAGE" >"$T/run.out" 2>&1 || fail "podman run: $(cat "$T/run.out")"
wait_for 20 ctlx status || { podman logs "$CT" >"$T/container.log" 2>&1; fail "erpsyncd did not answer in the container"; }

# PID 1 is erpsyncd, as the pinned uid; no password in its config.
[ "$(cx cat /proc/1/comm)" = erpsyncd ] || fail "PID 1 is $(cx cat /proc/1/comm), not erpsyncd"
[ "$(cx id -u)" = "$UID_CT" ] || fail "the container runs as uid $(cx id -u), not $UID_CT"
podman inspect "$CT" | grep -qE 'agent1pw|agent2pw|adminpw' && fail "a password is in the container's config"
podman healthcheck run "$CT" >"$T/health.out" 2>&1 || fail "podman healthcheck run: $(cat "$T/health.out")"
# /healthz (the Kubernetes probes, deploy/k8s) answers on the metrics port.
curl -sf "http://127.0.0.1:$MPORT/healthz" >"$T/healthz.out" 2>&1 || fail "GET /healthz: $(cat "$T/healthz.out")"
curl -sf "http://127.0.0.1:$MPORT/metrics" | grep -q '^erpsync_' || fail "GET /metrics has no erpsync_ series"
# ...and erpsync-health fails when nothing answers on the socket it is given.
podman exec -e ERPSYNC_SOCKET=/run/erpsync/none.sock "$CT" erpsync-health >/dev/null 2>&1 &&
	fail "erpsync-health passed with no daemon on its socket"
note "PID 1 is erpsyncd (uid $UID_CT); healthcheck passes on $SOCK"

# Another container (the agents' app backend, another uid) sharing the
# socket volume gets in with the socket group's gid, and not without it.
app() {
	# shellcheck disable=SC2086
	podman run --rm $PODMAN_RUN --no-healthcheck --user 8000:8000 "$@" \
	    -v "$RUNVOL:/run/erpsync" --entrypoint erpsyncctl "$IMAGE" -s "$SOCK" status
}
app --group-add "$UID_CT" >"$T/app.out" 2>&1 || fail "the app container (gid $UID_CT) cannot talk to erpsyncd: $(cat "$T/app.out")"
app >"$T/app-nogroup.out" 2>&1 && fail "a container of another uid and group talks to erpsyncd"
note "an app container of uid 8000 reaches the socket with --group-add $UID_CT, not without"

# 1. A customers sync through erpsyncctl in the container; the database
# in the volume equals erpsim's. The RSS is sampled while it runs.
data=$(podman volume inspect --format '{{.Mountpoint}}' "$VOL")/data
gate_at 5 agent1
ctlx sync customers --user agent1 --wait >"$T/sync1.out" 2>&1 &
s1=$!
wait_for 60 gate_parked || fail "the sync never reached page 5: $(cat "$T/sync1.out")"
rss=$(rss_kb)
gate_open
wait "$s1" || fail "sync customers agent1: $(cat "$T/sync1.out")"
compare customers "$data/customers-agent1.db" agent1 >"$T/compare1.out" 2>&1 ||
	fail "customers-agent1.db differs from erpsim: $(tail -n 5 "$T/compare1.out")"
[ "$(stat -c %u "$data/customers-agent1.db")" = "$UID_CT" ] || fail "the database is not owned by uid $UID_CT"
note "synced customers for agent1 equal to erpsim; container RSS during the sync: $rss kB"

# 2. A worker SIGKILLed mid-sync: reaped, and the job retried to success.
gate_at 4 agent2
ctlx sync customers --user agent2 --wait >"$T/sync2.out" 2>&1 &
s2=$!
wait_for 60 gate_parked || fail "the agent2 sync never reached page 4: $(cat "$T/sync2.out")"
w=$(worker_pid)
[ -n "$w" ] || fail "no erpsync-worker in the container: $(ps_ct)"
cx sh -c "kill -KILL $w" || fail "cannot kill worker $w"
gate_open
wait_for 10 sh -c "! podman exec $CT test -e /proc/$w" || fail "worker $w was not reaped: $(ps_ct)"
zombies=$(ps_ct | awk '$2 == "Z"')
[ -z "$zombies" ] || fail "zombies in the container: $zombies"
wait_for 120 sh -c "! kill -0 $s2 2>/dev/null" || fail "sync --wait did not end: $(cat "$T/sync2.out")"
wait "$s2" || fail "the retried sync failed: $(cat "$T/sync2.out")"
grep -q "attempt 2 of" "$T/sync2.out" || fail "no retry shown: $(cat "$T/sync2.out")"
compare customers "$data/customers-agent2.db" agent2 >"$T/compare2.out" 2>&1 ||
	fail "customers-agent2.db differs from erpsim: $(tail -n 5 "$T/compare2.out")"
podman healthcheck run "$CT" >"$T/health.out" 2>&1 || fail "healthcheck after the crash: $(cat "$T/health.out")"
note "worker $w killed mid-sync: reaped, no zombie, job retried and equal to erpsim"

# 3. podman stop -t 30 during a sync: erpsyncd drains (the worker stops at
# a page boundary once its page arrives) and exits 0, well before 30 s.
gate_at 3 agent1
ctlx sync customers --user agent1 --full --force >"$T/sync3.out" 2>&1 ||
	fail "sync --full: $(cat "$T/sync3.out")"
wait_for 60 gate_parked || fail "the full sync never reached page 3"
t0=$(date +%s)
podman stop -t 30 "$CT" >"$T/stop.out" 2>&1 &
st=$!
wait_for 10 sh -c "podman logs $CT 2>&1 | grep -q 'stopping: 1 workers running'" ||
	fail "erpsyncd did not start draining: $(podman logs "$CT" 2>&1 | tail -n 5)"
gate_open
wait "$st" || fail "podman stop: $(cat "$T/stop.out")"
took=$(( $(date +%s) - t0 ))
code=$(podman inspect --format '{{.State.ExitCode}}' "$CT")
podman logs "$CT" >"$T/container.log" 2>&1
[ "$code" = 0 ] || fail "erpsyncd exited $code after podman stop"
[ "$took" -lt 25 ] || fail "podman stop took $took s"
grep -q 'did not stop in time' "$T/container.log" && fail "the worker was killed, not drained"
grep -q 'proc=erpsyncd msg=stopped$' "$T/container.log" || fail "erpsyncd did not log its stop"
note "podman stop -t 30 drained in $took s, exit code 0"

size=$(podman image inspect --format '{{.Size}}' "$IMAGE")
note "image $IMAGE: $size bytes ($((size / 1000000)) MB); container RSS during a sync: $rss kB"
note "ok"
