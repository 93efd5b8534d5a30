#!/bin/sh
# erpsyncd with 10,000 configured agents: its RSS, the CPU time of one
# schedule pass over every (kind, scope), and how long `status` takes while
# 4 workers stream progress. Figures only, never pass/fail.
#
# Every fake agent is marked synced a moment ago in state.db, so passes are
# the steady state (a scan that finds nothing due); the first pass after
# boot, which also stamps and writes 20,000 first-seen rows, is shown too.
REPO=$(cd "$(dirname "$0")/.." && pwd)
. "$REPO/tests/e2e/lib.sh"
TEST_NAME=bench-supervisor
N=${N:-10000}

start_sim --customers 4000 --orders 4000 --products 4000 --seed 31 --latency 60 >/dev/null
PAGE_SIZE=20 write_conf "check_every = 1s"
python3 - "$T/credentials" "$N" <<'PY'
import sys
with open(sys.argv[1], "a") as f:
    for i in range(int(sys.argv[2])):
        f.write("fake%05d:pw%05d\n" % (i, i))
PY
start_daemon
sleep 1.5
ctl --json status >"$T/boot.json"
stop_daemon
now=$(date +%s)000
sqlite3 "$T/state/state.db" "UPDATE freshness SET last_full_ok = $now, last_delta_ok = $now
    WHERE user LIKE 'fake%' OR (user IN ('agent1','agent2') AND kind = 'customers')
    OR user = '*';"
rows=$(sqlite3 "$T/state/state.db" "SELECT count(*) FROM freshness")
start_daemon
sleep 3

rss() { awk '/^VmRSS/ {print $2}' "/proc/$DAEMON_PID/status"; }
hwm() { awk '/^VmHWM/ {print $2}' "/proc/$DAEMON_PID/status"; }
cpu_ms() { awk '{print int(($14 + $15) * 1000 / '"$(getconf CLK_TCK)"')}' "/proc/$DAEMON_PID/stat"; }
# lat N FILE: N `status` round trips on one connection, timed inside a
# small client (µs, one per line): the daemon's answer time, not a process
# start. The client hand-packs its two msgpack maps.
lat() {
	python3 - "$T/sock" "$1" "$2" <<'PY'
import os, socket, struct, sys, time
def s(x):
    b = x.encode()
    return bytes([0xa0 | len(b)]) + b
def i(n):
    return bytes([n]) if n < 128 else b"\xce" + struct.pack(">I", n)
def frame(body):
    return struct.pack(">I", len(body)) + body
def read(sock):
    hdr = b""
    while len(hdr) < 4:
        hdr += sock.recv(4 - len(hdr))
    n, = struct.unpack(">I", hdr)
    got = 0
    while got < n:
        got += len(sock.recv(n - got))
c = socket.socket(socket.AF_UNIX)
c.connect(sys.argv[1])
c.sendall(frame(b"\x84" + s("t") + s("hello") + s("v") + i(1) + s("role") + s("ctl") + s("pid") + i(os.getpid())))
read(c)
with open(sys.argv[3], "w") as out:
    for k in range(int(sys.argv[2])):
        req = b"\x84" + s("t") + s("req") + s("id") + i(k + 1) + s("cmd") + s("status") + s("args") + b"\x80"
        t0 = time.perf_counter()
        c.sendall(frame(req))
        read(c)
        out.write("%d\n" % ((time.perf_counter() - t0) * 1e6))
PY
}
pct() { sort -n "$1" | awk '{a[NR]=$1} END {printf "p50 %.1f ms, p95 %.1f ms, max %.1f ms", a[int(NR*0.5)+1]/1000, a[int(NR*0.95)]/1000, a[NR]/1000}'; }

rss_idle=$(rss)
lat 200 "$T/lat-idle"
ctl sync customers --user agent1 --force >/dev/null
ctl sync customers --user agent2 --force >/dev/null
ctl sync orders --user agent1 >/dev/null
ctl sync products >/dev/null
running() { [ "$(ctl --json status | python3 -c 'import json,sys; print(json.load(sys.stdin)["running"])')" = 4 ]; }
wait_for 20 running || fail "4 workers did not start"
cpu0=$(cpu_ms)
t0=$(date +%s%N)
lat 500 "$T/lat-busy"
t1=$(date +%s%N)
cpu1=$(cpu_ms)
ctl --json status >"$T/busy.json"
python3 - "$T/boot.json" "$T/busy.json" "$N" "$rows" "$rss_idle" "$(rss)" "$(hwm)" \
    "$(pct "$T/lat-idle")" "$(pct "$T/lat-busy")" "$((cpu1 - cpu0))" "$(( (t1 - t0) / 1000000 ))" <<'PY'
import json, sys
boot, busy = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
n, rows, rss_idle, rss, hwm, lidle, lbusy, cpu, wall = sys.argv[3:]
bc, c = boot["counters"], busy["counters"]
print("supervisor, %s agents + 2 real, %s freshness rows" % (n, rows))
print("  RSS %s KiB idle, %s KiB with 4 workers (peak %s KiB)" % (rss_idle, rss, hwm))
print("  schedule pass: first after first boot %d us CPU (stamps and writes every first-seen row)"
      % bc["schedule_cpu_us"]["max"])
print("  schedule pass, steady: mean %d us, max %d us CPU over %d passes (check_every 1s)"
      % (c["schedule_cpu_us"]["mean"], c["schedule_cpu_us"]["max"], c["schedule_passes"]))
print("  status round trip on one connection, idle: %s" % lidle)
print("  status round trip with %d workers streaming progress: %s" % (busy["running"], lbusy))
print("  daemon CPU while answering those 500 status and relaying progress: %s ms"
      " (%s ms wall, client start included)" % (cpu, wall))
PY
