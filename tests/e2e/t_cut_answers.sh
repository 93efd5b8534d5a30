#!/bin/sh
# A proxy that gives up cuts answers anywhere, with a Content-Length that
# matches the cut (regression: a cut login page, login answer, view page or
# GB|PSP/FILTER/SORT answer ended the job as "contract"). erpsim cuts every
# kind of answer on a seeded schedule; all four kinds for two agents must
# end exact at 12%, and at 30% end exact or fail as erp, never contract.
. "$(dirname "$0")/lib.sh"

jobs_json() { ctl --json jobs -n 200 >"$T/jobs.json" || fail "jobs"; }
# classes KIND...: the error class of every ended job, one per line.
classes() {
	jobs_json
	python3 -c 'import json,sys
for j in json.load(open(sys.argv[1]))["jobs"]:
    if j["state"] in ("done", "failed", "cancelled"):
        print(j["kind"], j.get("user", ""), j["state"], j.get("error_class", "") or "-", j.get("message", "")[:160])' "$T/jobs.json"
}

# sync_wave UKIND KIND: UKIND for agent1 and agent2 and KIND at once, each
# with --wait; returns when all three have ended.
sync_wave() {
	pids=""
	for u in agent1 agent2; do
		ctl sync "$1" --user "$u" --wait >"$T/$1-$u.out" 2>&1 &
		pids="$pids $!"
	done
	ctl sync "$2" --wait >"$T/$2.out" 2>&1 &
	pids="$pids $!"
	for p in $pids; do wait "$p"; done
}
sync_all() { sync_wave customers products && sync_wave orders prices; }

# 1. 12% of every kind of answer cut. Two sessions per job and sessions
# that expire every 15 requests make at least 12 login pages, login
# answers, view pages and logouts, and hundreds of callbacks: at rate 0.12
# the schedule cuts one in every 9 consecutive answers of a kind at least.
start_sim --seed 33 --layout 7 --customers 1500 --orders 1200 --products 2500 \
    --prices 3000 --cut-rate 0.12 --expire-every 15
PAGE_SIZE=100 write_conf
sed -i 's/^page_size = .*/&\nsessions_per_job = 2/' "$T/erpsync.conf"
start_daemon
sync_all
classes >"$T/classes-12.txt"
cat "$T/classes-12.txt" >>"$T/erpsyncd.log"
grep -v ' done - ' "$T/classes-12.txt" && fail "at 12% cut answers a job did not end done (above)"
for u in agent1 agent2; do
	compare customers "$T/data/customers-$u.db" "$u" || fail "customers $u differ"
	compare orders "$T/data/orders.db" "$u" || fail "orders $u differ"
done
compare products "$T/data/products.db" || fail "products differ"
compare prices "$T/data/products.db" || fail "prices differ"
for k in login_page login_post page callback logout; do
	n=$(sim_stat "faults.cut.$k")
	[ "$n" -gt 0 ] || fail "erpsim cut no $k answer: the test proves nothing"
	note "12%: $n $k answers cut"
done
grep -q 'contract' "$T/erpsyncd.log" && fail "a contract error was logged at 12% cuts"
note "12%: $(sim_stat faults.cut) answers cut, all six jobs exact"
stop_daemon
stop_sim

# 2. 30%: a job may run out of tries (class erp), never call it contract.
rm -rf "$T/data" "$T/state"
start_sim --seed 34 --layout 3 --customers 800 --orders 600 --products 1200 \
    --prices 1500 --cut-rate 0.30
PAGE_SIZE=50 write_conf
start_daemon
sync_all
classes >"$T/classes-30.txt"
cat "$T/classes-30.txt" >>"$T/erpsyncd.log"
[ "$(sim_stat faults.cut)" -gt 50 ] || fail "only $(sim_stat faults.cut) cuts at 30%"
while read -r kind user state class msg; do
	case "$state $class" in
	"done -")
		case $kind in
		customers|orders) compare "$kind" "$T/data/$([ "$kind" = customers ] && echo "customers-$user" || echo orders).db" "$user" ||
			fail "$kind $user ended done but differs" ;;
		*) compare "$kind" "$T/data/products.db" || fail "$kind ended done but differs" ;;
		esac ;;
	"failed erp") note "30%: $kind $user failed as erp: $msg" ;;
	*) fail "30%: $kind $user ended $state with class $class: $msg" ;;
	esac
done <"$T/classes-30.txt"
grep -q 'class=contract\|error contract' "$T/erpsyncd.log" && fail "contract at 30% cuts"
note "30%: $(sim_stat faults.cut) answers cut; $(grep -c ' done - ' "$T/classes-30.txt") of $(wc -l <"$T/classes-30.txt") jobs exact, the rest erp"
