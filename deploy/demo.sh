#!/bin/sh
# make demo: start erpsim (a few thousand customers for two agents) and
# erpsyncd in a temporary directory, run a real customers sync with progress
# on screen, show a summary and a few rows, stop what was started.
BIN=${1:-bin}
KEEP_T=1
REPO=$(cd "$(dirname "$0")/.." && pwd)
. "$(dirname "$0")/../tests/e2e/lib.sh"
TEST_NAME=demo

echo "== starting erpsim on 127.0.0.1 (3,000 customers per agent, 2 agents)"
start_sim --customers 3000 --seed 42
echo "   ERP at $URL"
write_conf
echo "== starting erpsyncd (config $T/erpsync.conf, log $T/erpsyncd.log)"
start_daemon
ctl status

echo
echo "== erpsyncctl sync customers --user agent1 --wait"
t0=$(date +%s.%N)
ctl sync customers --user agent1 --wait || fail "the sync failed"
t1=$(date +%s.%N)

db="$T/data/customers-agent1.db"
rows=$(sqlite3 "$db" "SELECT count(*) FROM customers")
echo
echo "== summary"
printf "   %s customers in %s s\n" "$rows" "$(python3 -c "print(round($t1 - $t0, 2))")"
echo "   database: $db"
compare customers "$db" agent1 && echo "   equal to the ERP's ground truth, row for row"
echo
echo "== a few rows (sqlite3 $db)"
sqlite3 -header -column "$db" \
    "SELECT account, name, city, previous_sales, blocked, modified_at
     FROM customers ORDER BY internal_id DESC LIMIT 5"
echo
ctl jobs
echo
echo "== stopping erpsyncd and erpsim; files kept in $T"
