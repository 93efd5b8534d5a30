#!/bin/sh
# Metrics and health (design §11): [metrics] listen serves /metrics in the
# Prometheus text format, which Debian's prometheus-client parser reads
# (every family with HELP and TYPE, histograms with buckets); after a sync
# its job, row, page and request counters moved by what the job did;
# `erpsyncctl metrics` prints the same series; /healthz answers 200, and
# 503 with why while state.db takes no write.
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3	# Debian's, where python3-prometheus-client is
$PY -c 'import prometheus_client' 2>/dev/null ||
	fail "python3-prometheus-client is missing: sh deploy/deps.sh"
start_sim --customers 1000 --seed 3
write_conf
no_schedules
printf '[metrics]\nlisten = 127.0.0.1:0\n' >>"$T/erpsync.conf"
start_daemon
url=$(ctl --json status | python3 -c 'import json,sys; print(json.load(sys.stdin)["metrics"])')
case "$url" in http://127.0.0.1:[0-9]*) ;; *) fail "status has no metrics address: $url" ;; esac
note "metrics at $url"

# value FILE SERIES LABELS: one sample from a scrape, parsed by the client.
value() {
	$PY - "$1" "$2" "$3" <<'PYEOF'
import sys
from prometheus_client.parser import text_string_to_metric_families
text = open(sys.argv[1]).read()
want = dict(kv.split("=") for kv in sys.argv[3].split(",") if kv)
for fam in text_string_to_metric_families(text):
    for s in fam.samples:
        if s.name == sys.argv[2] and all(s.labels.get(k) == v for k, v in want.items()):
            v = s.value
            print("inf" if v == float("inf") else int(v) if v == int(v) else v)
            sys.exit(0)
sys.exit(1)
PYEOF
}

curl -sf "$url/metrics" >"$T/m0.txt" || fail "GET /metrics"
# Every family parses and has HELP and TYPE.
$PY - "$T/m0.txt" <<'PYEOF' || fail "the scrape does not parse as Prometheus text: $(head -5 "$T/m0.txt")"
import sys
from prometheus_client.parser import text_string_to_metric_families
text = open(sys.argv[1]).read()
fams = list(text_string_to_metric_families(text))
assert len(fams) >= 15, len(fams)
for f in fams:
    assert f.documentation, f.name
    assert f.type in ("counter", "gauge", "histogram"), (f.name, f.type)
    assert "# TYPE erpsync_" in text
hist = [f for f in fams if f.type == "histogram"]
assert {f.name for f in hist} >= {"erpsync_job_duration_seconds", "erpsync_erp_request_seconds", "erpsync_run_part_seconds"}, [f.name for f in hist]
for f in hist:
    assert any(s.name.endswith("_bucket") and s.labels.get("le") == "+Inf" for s in f.samples), f.name
PYEOF
grep -q '^# TYPE erpsync_jobs_total counter$' "$T/m0.txt" || fail "no TYPE line for erpsync_jobs_total"

jobs0=$(value "$T/m0.txt" erpsync_jobs_total kind=customers,trigger=manual,outcome=done)
[ "$jobs0" = 0 ] || fail "jobs_total starts at $jobs0"

ctl sync customers --user agent1 --wait >"$T/sync.out" 2>&1 || fail "sync: $(cat "$T/sync.out")"
curl -sf "$url/metrics" >"$T/m1.txt" || fail "GET /metrics after the sync"
job=$(sed -n 's/^job \([0-9]*\) .*/\1/p' "$T/sync.out" | head -n 1)
[ "$(value "$T/m1.txt" erpsync_jobs_total kind=customers,trigger=manual,outcome=done)" = 1 ] ||
	fail "jobs_total did not count the sync"
[ "$(value "$T/m1.txt" erpsync_rows_total kind=customers,change=inserted)" = 1000 ] ||
	fail "rows_total inserted is $(value "$T/m1.txt" erpsync_rows_total kind=customers,change=inserted), not 1000"
[ "$(value "$T/m1.txt" erpsync_pages_total kind=customers)" = "$(job_field "$job" pages)" ] ||
	fail "pages_total is not the job's pages"
[ "$(value "$T/m1.txt" erpsync_job_duration_seconds_count kind=customers)" = 1 ] ||
	fail "the duration histogram did not count the job"
req=$(value "$T/m1.txt" erpsync_erp_request_seconds_count "")
[ "$req" -ge "$(job_field "$job" fetched)" ] || fail "$req ERP requests timed, fewer than the $(job_field "$job" fetched) grid pages fetched"
[ "$(value "$T/m1.txt" erpsync_worker_peak_rss_bytes kind=customers)" -gt 1000000 ] ||
	fail "no worker peak RSS"
# agent2 never synced: the stalest customers are infinitely old; then not.
[ "$(value "$T/m1.txt" erpsync_freshest_sync_age_seconds kind=customers)" = inf ] ||
	fail "customers freshness is $(value "$T/m1.txt" erpsync_freshest_sync_age_seconds kind=customers) with agent2 never synced"
ctl sync customers --user agent2 --wait >/dev/null 2>&1 || fail "sync agent2"
curl -sf "$url/metrics" >"$T/m1b.txt" || fail "GET /metrics"
age=$(value "$T/m1b.txt" erpsync_freshest_sync_age_seconds kind=customers)
[ "$age" -ge 0 ] && [ "$age" -le 600 ] || fail "customers freshness age $age after both synced"
! value "$T/m1b.txt" erpsync_freshest_sync_age_seconds kind=products >/dev/null ||
	fail "products (disabled: no scope) has a freshness sample"
[ "$(value "$T/m1b.txt" erpsync_jobs_total kind=customers,trigger=manual,outcome=done)" = 2 ] ||
	fail "jobs_total did not count the second sync"
# Where the two runs' time went: one sample per part per run.
for part in erp parse write paused other; do
	[ "$(value "$T/m1b.txt" erpsync_run_part_seconds_count part=$part)" = 2 ] ||
		fail "run_part_seconds{part=$part} did not count both runs"
done
note "after one sync: 1 job, 1000 rows inserted, $req ERP requests timed"

# erpsyncctl metrics prints the same series.
ctl metrics >"$T/m2.txt" || fail "erpsyncctl metrics"
[ "$(value "$T/m2.txt" erpsync_rows_total kind=customers,change=inserted)" = 2000 ] ||
	fail "erpsyncctl metrics differs"
[ "$(grep -c '^# TYPE' "$T/m2.txt")" = "$(grep -c '^# TYPE' "$T/m1.txt")" ] ||
	fail "erpsyncctl metrics has other families than /metrics"

# /healthz: 200, then 503 while another process holds state.db's write lock.
[ "$(curl -s -o "$T/h.txt" -w '%{http_code}' "$url/healthz")" = 200 ] || fail "/healthz not 200"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/nothing")" = 404 ] || fail "/nothing not 404"
python3 - "$T/state/state.db" "$T/locked" <<'PYEOF' &
import sqlite3, sys, time, os
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
db.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
while os.path.exists(sys.argv[2]):
    time.sleep(0.05)
db.execute("ROLLBACK")
PYEOF
locker=$!
wait_for 10 test -e "$T/locked" || fail "could not lock state.db"
code=$(curl -s -o "$T/h503.txt" -w '%{http_code}' "$url/healthz")
rm -f "$T/locked"
wait "$locker"
[ "$code" = 503 ] || fail "/healthz answered $code while state.db was locked"
grep -q "state.db is not writable: database is locked" "$T/h503.txt" || fail "503 without why: $(cat "$T/h503.txt")"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/healthz")" = 200 ] || fail "/healthz not 200 again after the lock"
note "ok"
