#!/bin/sh
# The history says what happened, after the fact (design §5 "Runs"): a full
# sync with the ERP changing under it answers with its sweep verdict (why
# nothing was deleted) and the worker's CPU and peak RSS; `jobs --json`
# later, and `jobs JOB` after a restart of erpsyncd, say the same. A clean
# full sync after deletions says "swept 3" in the jobs table.
. "$(dirname "$0")/lib.sh"

start_sim --customers 3000 --seed 29
PAGE_SIZE=200 start_quiet_daemon

# fields FILE: the facts compared, from a job as JSON, one line.
fields() {
	python3 -c 'import json,sys
j=json.load(open(sys.argv[1]))
print("|".join(str(j[k]) for k in ("id","kind","user","mode","trigger","state",
    "attempts","pages","rows","inserted","updated","unchanged","skipped",
    "deleted","sweep","resumed_from","error_class","message","worker_cpu_ms",
    "worker_maxrss_kb","sessions","started_at","finished_at","requests",
    "request_retries","erp_wait_ms","worker_wall_ms","erp_blocked_ms",
    "parse_ms","write_ms","paused_ms","other_ms")))' "$1"
}

# times FILE: where the worker's time went adds up, and fits in the job.
adds_up() {
	python3 -c 'import json,sys
j=json.load(open(sys.argv[1]))
parts=[j[k] for k in ("erp_blocked_ms","parse_ms","write_ms","paused_ms","other_ms")]
assert all(p >= 0 for p in parts), parts
assert sum(parts) == j["worker_wall_ms"] > 0, (parts, j["worker_wall_ms"])
assert j["worker_wall_ms"] <= j["finished_at"] - j["started_at"], j
assert j["requests"] >= j["fetched"] > 0, (j["requests"], j["fetched"])
assert j["erp_wait_ms"] > 0' "$1"
}

# 1. The ERP gains a customer while the sync waits at page 5.
gate_at 5 agent1
ctl --json sync customers --user agent1 --wait >"$T/w1.json" 2>"$T/w1.err" &
wpid=$!
wait_for 60 gate_parked || fail "the sync never reached page 5"
sim_curl -sf -X POST "$ORIGIN/_sim/mutate?kind=customers&user=agent1&insert=1" >/dev/null ||
	fail "mutate"
gate_open
wait "$wpid" || fail "the sync failed: $(cat "$T/w1.err")"
# The last JSON line is the answer (progress lines come before it).
tail -n 1 "$T/w1.json" >"$T/a1.json"
j1=$(job_id "$T/a1.json")
sweep=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sweep"])' "$T/a1.json")
note "job $j1: sweep \"$sweep\""
case "$sweep" in
"ERP changed: "*"nothing deleted") ;;
*) fail "job $j1's sweep does not say the ERP changed: \"$sweep\"" ;;
esac
fields "$T/a1.json" >"$T/f-wait"
adds_up "$T/a1.json" || fail "job $j1's time breakdown does not add up: $(cat "$T/a1.json")"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1]))
sys.exit(0 if j["worker_cpu_ms"] > 0 and j["worker_maxrss_kb"] > 0 else 1)' "$T/a1.json" ||
	fail "the answer has no worker CPU or RSS: $(cat "$T/f-wait")"

# 2. Seconds later, `jobs --json` says the same.
sleep 1
ctl --json jobs "$j1" >"$T/j1.json" || fail "jobs $j1"
fields "$T/j1.json" >"$T/f-jobs"
cmp -s "$T/f-wait" "$T/f-jobs" || fail "jobs --json differs from the answer:
  $(cat "$T/f-wait")
  $(cat "$T/f-jobs")"
ctl --json jobs >"$T/all.json" || fail "jobs --json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
j=[x for x in d["jobs"] if x["id"]==int(sys.argv[2])][0]
sys.exit(0 if j["sweep"]==sys.argv[3] and j["worker_cpu_ms"]>0 else 1)' "$T/all.json" "$j1" "$sweep" ||
	fail "the jobs list lost job $j1's sweep or CPU"

# 3. Three customers leave the ERP; a full sync sweeps them.
sim_curl -sf -X POST "$ORIGIN/_sim/mutate?kind=customers&user=agent1&delete=3" >/dev/null ||
	fail "mutate"
ctl --json sync customers --user agent1 --wait >"$T/w2.json" 2>"$T/w2.err" ||
	fail "the second sync failed: $(cat "$T/w2.err")"
tail -n 1 "$T/w2.json" >"$T/a2.json"
j2=$(job_id "$T/a2.json")
fields "$T/a2.json" >"$T/f2-wait"
compare customers "$T/data/customers-agent1.db" agent1 || fail "differs after the sweep"
ctl jobs >"$T/table.out" || fail "jobs"
grep -q "^ *$j2 .*  swept 3\$" "$T/table.out" || fail "the table does not say swept 3 for job $j2:
$(cat "$T/table.out")"
grep -q "^ *$j1 .*  no sweep: ERP changed\$" "$T/table.out" || fail "the table does not say why job $j1 did not sweep:
$(cat "$T/table.out")"

# 4. After a restart, from state.db alone.
stop_daemon
start_daemon
ctl --json jobs "$j1" >"$T/r1.json" || fail "jobs $j1 after the restart"
fields "$T/r1.json" >"$T/f-restart"
cmp -s "$T/f-wait" "$T/f-restart" || fail "after a restart job $j1 differs:
  $(cat "$T/f-wait")
  $(cat "$T/f-restart")"
ctl --json jobs "$j2" >"$T/r2.json" || fail "jobs $j2 after the restart"
fields "$T/r2.json" >"$T/f2-restart"
cmp -s "$T/f2-wait" "$T/f2-restart" || fail "after a restart job $j2 differs:
  $(cat "$T/f2-wait")
  $(cat "$T/f2-restart")"
ctl jobs "$j1" >"$T/detail.out" || fail "jobs $j1"
grep -q "sweep *ERP changed: " "$T/detail.out" || fail "jobs $j1 does not show the sweep: $(cat "$T/detail.out")"
grep -q "worker *[0-9]* ms CPU, peak RSS [0-9,]* kB" "$T/detail.out" || fail "jobs $j1 does not show the worker: $(cat "$T/detail.out")"
grep -q "time *ERP [0-9.]* m*s · parse .* = .*requests" "$T/detail.out" || fail "jobs $j1 does not show where the time went: $(cat "$T/detail.out")"
note "jobs $j1 after a restart:"
sed 's/^/    /' "$T/detail.out"
note "ok"
