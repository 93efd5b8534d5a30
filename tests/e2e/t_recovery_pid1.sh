#!/bin/sh
# erpsyncd as PID 1 of its own PID namespace (as in a container): every
# child is reaped, orphans included. The worker is started through a
# wrapper that leaves an orphan behind; it is re-parented to erpsyncd,
# which must reap it. No zombie remains, the sync is exact, and SIGTERM
# still drains and exits 0.
. "$(dirname "$0")/lib.sh"

command -v unshare >/dev/null || fail "unshare (util-linux) is needed"
unshare --pid --fork true 2>/dev/null || { note "SKIP: cannot create a PID namespace here"; exit 0; }

start_sim --customers 1000 --seed 95 --latency 10
PAGE_SIZE=100 write_conf
# A worker wrapper that orphans a short-lived child (fd 3 closed for it).
cat >"$T/worker.sh" <<EOW
#!/bin/sh
( sleep 1 3>&- & )
exec "$BIN/erpsync-worker"
EOW
chmod 755 "$T/worker.sh"
sed -i "s|^worker_path = .*|worker_path = $T/worker.sh|" "$T/erpsync.conf"
for k in customers orders; do
	printf '[%s]\nfull_every = 0\ndelta_every = 0\nstale_after = 0\n' "$k"
done >>"$T/erpsync.conf"
printf '[products]\nenabled = no\n[prices]\nenabled = no\n' >>"$T/erpsync.conf"

unshare --pid --fork --kill-child "$BIN/erpsyncd" -f "$T/erpsync.conf" -d >>"$T/erpsyncd.log" 2>&1 &
UNSHARE_PID=$!
wait_for 10 "$BIN/erpsyncctl" -s "$T/sock" status || fail "erpsyncd did not answer"
DAEMON_PID=$(pgrep -P "$UNSHARE_PID")
[ -n "$DAEMON_PID" ] || fail "no erpsyncd under unshare"
[ "$(status_field pid)" = 1 ] || fail "erpsyncd is pid $(status_field pid) in its namespace, not 1"

ctl sync customers --user agent1 --wait >"$T/s1.out" 2>&1 || fail "sync failed: $(cat "$T/s1.out")"
ctl sync customers --user agent2 --wait >"$T/s2.out" 2>&1 || fail "sync failed: $(cat "$T/s2.out")"
compare customers "$T/data/customers-agent1.db" agent1 || fail "agent1 differs"
compare customers "$T/data/customers-agent2.db" agent2 || fail "agent2 differs"
orphans_reaped() { [ "$(status_field counters.orphans_reaped)" -ge 2 ]; }
wait_for 10 orphans_reaped || fail "erpsyncd reaped $(status_field counters.orphans_reaped) orphans, want 2"
z=$(ps -o stat=,pid= --ppid "$DAEMON_PID" | awk '$1 ~ /^Z/ {print $2}')
[ -z "$z" ] || fail "zombies under erpsyncd (PID 1): $z"
left=$(ps -o pid= --ppid "$DAEMON_PID" | wc -l)
[ "$left" = 0 ] || fail "$left children left under erpsyncd"
grep -q "reaped pid [0-9]*, not a worker" "$T/erpsyncd.log" || fail "the log does not mention the orphans"
note "as PID 1: $(status_field counters.orphans_reaped) orphans reaped, no zombie"

kill -TERM "$DAEMON_PID"
wait "$UNSHARE_PID"
rc=$?
DAEMON_PID=""
[ "$rc" = 0 ] || fail "erpsyncd as PID 1 exited $rc after SIGTERM"
note "ok"
