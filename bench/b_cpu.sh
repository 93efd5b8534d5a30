#!/bin/sh
# Worker CPU per 200-row page on erpsim --noisy pages (nested spans in
# cells, character references, inline scripts, a 60 KB view state and
# callback state, gzip), against the floor of design.md §6: one SAX pass of
# libxml2's pull parser over the same bytes. In one run:
#   1. a customers sync of 5,700 customers, page size 200, one session:
#      the worker's CPU (worker_cpu_ms of `erpsyncctl --json jobs JOB`,
#      login and setup included) divided by the job's pages, and its peak
#      RSS (worker_maxrss_kb);
#   2. the same pages fetched with curl from the same erpsim (gzip, sorted
#      as the worker sorts), then build/bench/parsefloor times on them, in
#      process CPU: the floor (htmlCtxtReadMemory, empty SAX handler), the
#      push parser fed 16 KB chunks (empty handler), and the worker's own
#      parser (grid_parse_page) alone.
# Figures only, never pass/fail. RUNS=N repeats it (default 1); on a shared
# machine run it 3 times and take medians.
REPO=$(cd "$(dirname "$0")/.." && pwd)
. "$REPO/tests/e2e/lib.sh"
TEST_NAME=bench-cpu
CUSTOMERS=${CUSTOMERS:-5700}
C=CUSTTABLE_ListView_Agent

make -s -C "$REPO" build/bench/parsefloor >/dev/null ||
	fail "cannot build build/bench/parsefloor"

# cb GRID COMMAND: a grid callback of the curl session; the body on stdout.
cb() {
	curl -sS --compressed -b "$T/jar" -c "$T/jar" \
	    --data-urlencode "__CALLBACKID=$1" \
	    --data-urlencode "__CALLBACKPARAM=$2" "$URL/$C/"
}

# fetch_pages: log in as agent1 with curl and save every 200-row page of
# all customers, sorted by ID descending, as pages/NNN.html.
fetch_pages() {
	rm -rf "$T/pages" "$T/jar"
	mkdir -p "$T/pages"
	curl -sS -b "$T/jar" -c "$T/jar" "$URL/Login.aspx" >"$T/login.html"
	python3 - "$T/login.html" >"$T/form" <<'PY'
import html, re, sys, urllib.parse
page = open(sys.argv[1], encoding="utf-8").read()
form = []
for tag in re.findall(r"<input[^>]*>", page):
    a = {k: html.unescape(v1 or v2 or v3) for k, v1, v2, v3 in re.findall(
        r"""([\w$:.-]+)=(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", tag)}
    n = a.get("name", "")
    if a.get("type") == "hidden":
        form.append((n, a.get("value", "")))
    elif n.endswith("UserName_Edit"):
        form.append((n, "agent1"))
    elif n.endswith("Password_Edit"):
        form.append((n, "agent1pw"))
    elif n.endswith("LogonButton"):
        form.append((n, a.get("value", "")))
print(urllib.parse.urlencode(form), end="")
PY
	code=$(curl -sS -o /dev/null -w '%{http_code}' -b "$T/jar" \
	    -c "$T/jar" --data @"$T/form" "$URL/Login.aspx")
	[ "$code" = 302 ] || fail "curl login: HTTP $code"
	curl -sS --compressed -b "$T/jar" -c "$T/jar" "$URL/$C/" \
	    >"$T/view.html"
	G=$(python3 -c 'import re,sys
t = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"<[^>]*\bdxgvControl_XafTheme\b[^>]*>", t).group(0)
print(re.search(r"""\bid=["\x27]?([\w]+)""", m).group(1))' "$T/view.html")
	cb "$G" "GB|FILTER|xaf_xaf_a0All_Customers" >/dev/null
	cb "$G" "GB|SORT|ID|DESC" >/dev/null
	cb "$G" "GB|PSP200" >"$T/pages/000.html"
	n=$(python3 -c 'import re,sys
t = open(sys.argv[1], encoding="utf-8").read()
print(re.search(r"Pagina 1 di (\d+)", t).group(1))' "$T/pages/000.html")
	i=1
	while [ "$i" -lt "$n" ]; do
		cb "$G" "GB|PN$i" >"$T/pages/$(printf %03d "$i").html"
		i=$((i + 1))
	done
	curl -sS -o /dev/null -b "$T/jar" "$URL/Logout.aspx"
}

run_once() {
	stop_daemon
	stop_sim
	start_sim --customers "$CUSTOMERS" --seed 21 --noisy
	rm -rf "$T/data" "$T/state" "$T/sock"
	write_conf
	sed -i "s/^page_size = .*/page_size = 200\nsessions_per_job = 1/" \
	    "$T/erpsync.conf"
	start_daemon
	ctl --json sync customers --user agent1 --wait >"$T/sync.out" 2>&1 ||
		fail "sync failed: $(tail -n 3 "$T/sync.out")"
	id=$(python3 -c 'import json,sys
for l in open(sys.argv[1]):
    try: o = json.loads(l)
    except ValueError: continue
    if isinstance(o, dict) and o.get("state") == "done": print(o["id"])' \
	    "$T/sync.out" | tail -n 1)
	[ -n "$id" ] || fail "no finished job in $T/sync.out"
	ctl --json jobs "$id" >"$T/job.json" || fail "jobs $id failed"
	fetch_pages
	"$REPO/build/bench/parsefloor" "$T"/pages/*.html >"$T/floor.out" ||
		fail "parsefloor failed"
	python3 - "$T/job.json" "$T/floor.out" <<'PY'
import json, sys
job = None
for line in open(sys.argv[1]):
    try:
        o = json.loads(line)
    except ValueError:
        continue
    if isinstance(o, dict) and "worker_cpu_ms" in o:
        job = o
if job is None:
    sys.exit("no job in the jobs answer")
f = dict(zip(*[iter(open(sys.argv[2]).read().split())] * 2))
floor, push, parse = (float(f[k]) for k in ("floor_ms", "push_ms",
                                           "worker_parse_ms"))
pages = job["pages"]
cpu = job["worker_cpu_ms"] / pages
print("customers %d rows, %d pages (%d requests; curl: %s pages of %s bytes): "
      "worker %.2f ms CPU/page, peak RSS %d KiB (%.1f MiB); floor %.2f ms/page "
      "(worker %.2fx the floor); push parser %.2f ms; worker's parser alone "
      "%.2f ms (%.2fx)" % (job["rows"], pages, job["fetched"], f["pages"],
      f["avg_bytes"],
      cpu, job["worker_maxrss_kb"], job["worker_maxrss_kb"] / 1024.0, floor,
      cpu / floor, push, parse, parse / floor))
PY
}

# (fetch_pages counts with i: the runs with r.)
r=0
while [ "$r" -lt "${RUNS:-1}" ]; do
	run_once
	r=$((r + 1))
done
