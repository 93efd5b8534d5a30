#!/bin/sh
# A full customers sync of 5,700 customers through erpsyncd and erpsyncctl
# ends equal, row for row and column for column, to erpsim's ground truth;
# a second agent's database holds only that agent's customers.
. "$(dirname "$0")/lib.sh"

start_sim --customers 5700 --seed 11
write_conf
start_daemon

ctl sync customers --user agent1 --wait >"$T/sync1.out" 2>&1 ||
	fail "sync agent1 failed: $(cat "$T/sync1.out")"
compare customers "$T/data/customers-agent1.db" agent1 || fail "agent1 differs"

ctl sync customers --user agent2 --wait >"$T/sync2.out" 2>&1 ||
	fail "sync agent2 failed: $(cat "$T/sync2.out")"
compare customers "$T/data/customers-agent2.db" agent2 || fail "agent2 differs"

# No account of agent1 may appear in agent2's database.
n=$(python3 - "$ORIGIN" "$T/data/customers-agent2.db" <<'PY'
import json, sqlite3, sys, urllib.request
a1 = {json.loads(l)["account"] for l in urllib.request.urlopen(
    sys.argv[1] + "/_sim/dump/customers?user=agent1").read().decode().splitlines() if l}
db = sqlite3.connect(sys.argv[2])
print(sum(1 for (a,) in db.execute("SELECT account FROM customers") if a in a1))
PY
)
[ "$n" = 0 ] || fail "$n of agent1's customers are in agent2's database"

# A second sync of unchanged data changes nothing and stays exact.
ctl sync customers --user agent1 --wait >"$T/sync3.out" 2>&1 ||
	fail "second sync failed: $(cat "$T/sync3.out")"
compare customers "$T/data/customers-agent1.db" agent1 || fail "agent1 differs after resync"
note "ok"
