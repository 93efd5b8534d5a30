#!/bin/sh
# A login storm (issue 11): N agents log in within one second (`event
# login`), each has never been synced, so each login queues a full
# customers job and a full orders job. erpsim adds LATENCY ms to every ERP
# answer; erpsyncd may use S ERP sessions at once (max_erp_sessions), with
# max_workers = 2 * S so that sessions, not workers, are the limit, and
# sessions_per_job = auto. Figures only, never pass/fail.
#
#   [N=40] [S=8] [CUSTOMERS=300] [ORDERS=200] [LATENCY=20] [PAGE_SIZE=200]
#   [SESSIONS=auto] [PER_USER=] [TIMEOUT=900] [KEEP_T=1] sh bench/b_storm.sh
# SESSIONS is sessions_per_job; PER_USER is max_sessions_per_user (empty:
# the config's default); TIMEOUT bounds the wait for the storm, in seconds;
# KEEP_T keeps the temporary directory, with every job in timeline.txt.
# CUSTOMERS and ORDERS are per agent (erpsim's --customers and --orders).
#
# Every time comes from the jobs' history (`erpsyncctl --json jobs`), in
# erpsyncd's clock, not from polling:
#  - an agent's login is the created_at of the jobs its event queued;
#  - "fresh customers" is its customers job's finished_at less the login,
#    "fresh customers+orders" the later finished_at of its two jobs less
#    the login; p50, p95 (nearest rank) and max over the N agents, and
#    max / p50;
#  - the last finish is the latest finished_at less the first login;
#  - the ideal is perfect packing of the work actually done into S
#    sessions: sum over jobs of worker_wall_ms x sessions the job was
#    granted, divided by S. Also shown: sum of worker_wall_ms / S (as if
#    every job had used one session; differs when sessions per job vary),
#    and the session time erpsyncd reserved, sum of (finished_at -
#    started_at) x sessions / S (includes exec, login, logout and exit).
# Then where the gap to the ideal went: session-seconds left free while
# some job was queued, and the sessions each job got.
REPO=$(cd "$(dirname "$0")/.." && pwd)
. "$REPO/tests/e2e/lib.sh"
TEST_NAME=bench-storm
N=${N:-40}
S=${S:-8}
CUSTOMERS=${CUSTOMERS:-300}
ORDERS=${ORDERS:-200}
LATENCY=${LATENCY:-20}
SESSIONS=${SESSIONS:-auto}
PER_USER=${PER_USER:-}
TIMEOUT=${TIMEOUT:-900}
export PAGE_SIZE=${PAGE_SIZE:-200}
[ "$N" -ge 1 ] && [ "$N" -le 60 ] || fail "N must be 1..60 (erpsim keeps 64 users)"

users=""
i=1
while [ "$i" -le "$N" ]; do
	users="$users${users:+,}agent$i:agent${i}pw"
	i=$((i + 1))
done
start_sim --users "$users" --customers "$CUSTOMERS" --orders "$ORDERS" \
    --products 10 --prices 10 --seed 41 --latency "$LATENCY"
write_conf "max_erp_sessions = $S" ${PER_USER:+"max_sessions_per_user = $PER_USER"}
sed -i "s/^max_workers = .*/max_workers = $((2 * S))/; s/^page_size = .*/&\nsessions_per_job = $SESSIONS/" \
    "$T/erpsync.conf"
i=3
while [ "$i" -le "$N" ]; do
	echo "agent$i:agent${i}pw" >>"$T/credentials"
	i=$((i + 1))
done
no_schedules
"$BIN/erpsyncd" -n -f "$T/erpsync.conf" >"$T/check.out" 2>&1 ||
	fail "config refused: $(cat "$T/check.out")"
start_daemon
per_user=$(sed -n 's/^max_sessions_per_user = //p' "$T/erpsync.conf")

load0=$(cut -d' ' -f1-3 /proc/loadavg)
t0=$(date +%s%N)
i=1
while [ "$i" -le "$N" ]; do
	ctl event login "agent$i" >>"$T/events.out" 2>&1 || fail "event login agent$i"
	i=$((i + 1))
done
t1=$(date +%s%N)

idle() {
	ctl --json status | python3 -c 'import json,sys
s=json.load(sys.stdin); sys.exit(0 if s["queued"]+s["running"]+s["paused"]==0 else 1)'
}
# Bounded: poll every 0.5 s for at most TIMEOUT seconds.
n=0
until idle; do
	n=$((n + 1))
	[ "$n" -gt $((TIMEOUT * 2)) ] && fail "jobs still live after ${TIMEOUT}s"
	sleep 0.5
done
ctl --json jobs -n $((4 * N)) >"$T/jobs.json" || fail "jobs"
logins=$(sim_stat logins_ok)
load1=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$T/jobs.json" "$N" "$S" "$CUSTOMERS" "$ORDERS" "$LATENCY" "$PAGE_SIZE" \
    "${per_user:-2 (default)}" "$(( (t1 - t0) / 1000000 ))" "$logins" \
    "$load0" "$load1" "$T/timeline.txt" "$SESSIONS" <<'PY'
import json, os, sys
jobs = json.load(open(sys.argv[1]))["jobs"]
n, S, cust, orde, lat, ps, per_user, span, logins, load0, load1, tl, spj = sys.argv[2:]
n, S = int(n), int(S)

def pct(xs, p):
    xs = sorted(xs)
    k = max(1, -(-len(xs) * p // 100))      # nearest rank
    return xs[int(k) - 1]

agents = {}
for j in jobs:
    agents.setdefault(j["user"], {}).setdefault(j["kind"], []).append(j)
notdone = [j for j in jobs if j["state"] != "done"]
fc, fco = [], []
for u, a in agents.items():
    if "customers" not in a or "orders" not in a:
        continue
    c = max(a["customers"], key=lambda j: j["finished_at"])
    o = max(a["orders"], key=lambda j: j["finished_at"])
    login = min(j["created_at"] for js in a.values() for j in js)
    fc.append(c["finished_at"] - login)
    fco.append(max(c["finished_at"], o["finished_at"]) - login)

first = min(j["created_at"] for j in jobs)
last = max(j["finished_at"] for j in jobs)
span_all = last - first
ws = sum(j["worker_wall_ms"] * j["sessions"] for j in jobs)
w1 = sum(j["worker_wall_ms"] for j in jobs)
held = sum((j["finished_at"] - j["started_at"]) * j["sessions"] for j in jobs)

# Session-seconds free while a job was queued (created, not yet started),
# from a sweep over every start, finish and creation.
ev = []
for j in jobs:
    ev.append((j["started_at"], j["sessions"], 0))
    ev.append((j["finished_at"], -j["sessions"], 0))
    ev.append((j["created_at"], 0, 1))
    ev.append((j["started_at"], 0, -1))
ev.sort()
inuse = waiting = 0
free_wait = busy = 0
t_prev = first
for t, ds, dw in ev:
    dt = t - t_prev
    if waiting > 0:
        free_wait += max(0, S - inuse) * dt
    busy += inuse * dt
    inuse += ds
    waiting += dw
    t_prev = t

def line(name, xs):
    m = pct(xs, 50)
    return "  %-24s p50 %6.2f s  p95 %6.2f s  max %6.2f s  max/p50 %.2f" % (
        name, m / 1000, pct(xs, 95) / 1000, max(xs) / 1000, max(xs) / m if m else 0)

print("b_storm: %d agents log in within %.2f s; S = max_erp_sessions %d, "
      "max_sessions_per_user %s, sessions_per_job %s" % (n, int(span) / 1000, S, per_user, spj))
print("  per agent %s customers, %s orders, page size %s, latency %s ms; "
      "%d jobs, %d not done, %s ERP logins" % (cust, orde, ps, lat, len(jobs), len(notdone), logins))
if fc:
    print(line("login -> customers", fc))
    print(line("login -> customers+orders", fco))
print("  last finish %.2f s after the first login" % (span_all / 1000))
print("  ideal sum(wall x sessions)/S %.2f s: last finish %.2fx" % (ws / S / 1000, span_all / (ws / S)))
print("  ideal sum(wall)/S            %.2f s: last finish %.2fx" % (w1 / S / 1000, span_all / (w1 / S)))
print("  sessions held sum((finished-started) x sessions)/S %.2f s: last finish %.2fx" % (
      held / S / 1000, span_all / (held / S)))
print("  session use %.0f%% of S over the storm; %.1f session-s free while jobs were queued" % (
      100 * busy / (S * span_all), free_wait / 1000))
for k in ("customers", "orders"):
    ks = [j for j in jobs if j["kind"] == k]
    if not ks:
        continue
    grants = {}
    for j in ks:
        grants[j["sessions"]] = grants.get(j["sessions"], 0) + 1
    print("  %-9s %2d jobs: sessions %s; worker wall mean %d ms, held (finished-started) "
          "mean %d ms, queued mean %d ms" % (k, len(ks),
          " ".join("%dx%d" % (g, c) for g, c in sorted(grants.items())),
          sum(j["worker_wall_ms"] for j in ks) / len(ks),
          sum(j["finished_at"] - j["started_at"] for j in ks) / len(ks),
          sum(j["started_at"] - j["created_at"] for j in ks) / len(ks)))
print("  load average before %s, after %s (%d CPUs)" % (load0, load1, os.cpu_count()))
with open(tl, "w") as f:
    for j in sorted(jobs, key=lambda j: (j["started_at"], j["id"])):
        f.write("%4d %-9s %-8s created %6d started %6d finished %6d sessions %d wall %5d "
                "requests %3d pages %d\n" % (j["id"], j["kind"], j["user"], j["created_at"] - first,
                j["started_at"] - first, j["finished_at"] - first, j["sessions"],
                j["worker_wall_ms"], j["requests"], j["pages"]))
for j in notdone:
    print("  job %d %s %s: %s %s" % (j["id"], j["kind"], j["user"], j["state"], j["message"]))
PY
[ -z "${KEEP_T:-}" ] || note "every job in $T/timeline.txt"
