#!/bin/sh
# Issue 8, item 4: `watch` said "2 running" while both jobs were paused by a
# hold, and did not list queued jobs. A long customers sync of agent1 is
# paused by a detached hold on agent1 and an orders sync of agent1 waits,
# held: `watch` (once without a terminal, then on a tmux terminal) counts
# 0 running, 1 paused, 1 queued, names the hold that pauses the first (id,
# user, pid, reason) and why the second waits. The hold keeps every state
# still, so nothing here depends on timing; state changes are bounded waits.
. "$(dirname "$0")/lib.sh"

start_sim --customers 3000 --orders 300 --seed 71 --latency 60
PAGE_SIZE=50 start_quiet_daemon

sync_to_page 3 agent1
take_hold --user agent1 --ttl 5m --reason "new order"
hpid=$(ctl --json status | python3 -c 'import json,sys
print([h for h in json.load(sys.stdin)["holds"] if h["id"]==int(sys.argv[1])][0]["pid"])' "$hold")
state_is "$job" paused || fail "job $job is $(job_field "$job" state), not paused"
ctl --json sync orders --user agent1 >"$T/s2.json" || fail "orders sync not queued"
ojob=$(job_id "$T/s2.json")
state_is "$ojob" queued || fail "orders is $(job_field "$ojob" state), not queued"

# The supervisor names the hold of both jobs, as data.
[ "$(job_field "$job" hold)" = "$hold" ] || fail "jobs --json: job $job hold is '$(job_field "$job" hold)', want $hold"
[ "$(job_field "$ojob" hold)" = "$hold" ] || fail "jobs --json: job $ojob hold is '$(job_field "$ojob" hold)', want $hold"

# section FILE TITLE: the lines of one section of a watch block.
section() { awk -v t="$2" '/^[a-z]+ \([0-9]+\)$/ { on = index($0, t " (") == 1; next } /^[0-9][0-9]:/ { on = 0 } on' "$1"; }

# 1. Not on a terminal: -n 1 prints one block and exits.
ctl watch -n 1 >"$T/watch.out" 2>&1 || fail "watch failed: $(cat "$T/watch.out")"
[ "$(grep -c '^[0-9][0-9]:[0-9][0-9]:[0-9][0-9]  ' "$T/watch.out")" = 1 ] ||
	fail "watch -n 1 did not print one block: $(cat "$T/watch.out")"
head -n 1 "$T/watch.out" | grep -q ' 0 running · 1 paused · 1 queued · 1 hold ' ||
	fail "wrong header: $(head -n 1 "$T/watch.out")"
section "$T/watch.out" running | grep -q . && fail "a running section: $(cat "$T/watch.out")"
section "$T/watch.out" paused >"$T/paused.out"
grep -q "^ *$job  customers agent1 " "$T/paused.out" || fail "job $job is not in the paused section: $(cat "$T/watch.out")"
grep -q "^ *paused by hold $hold (agent1, pid $hpid): new order$" "$T/paused.out" ||
	fail "the paused job does not show its hold: $(cat "$T/watch.out")"
section "$T/watch.out" queued >"$T/queued.out"
grep -q "^ *$ojob  orders    agent1 .* manual, queued " "$T/queued.out" || fail "job $ojob is not in the queued section: $(cat "$T/watch.out")"
grep -q "^ *held by hold $hold (agent1, pid $hpid): new order$" "$T/queued.out" ||
	fail "the queued job does not show why it waits: $(cat "$T/watch.out")"
python3 -c 'import sys
w=[len(l) for l in open(sys.argv[1], encoding="utf-8").read().splitlines()]
sys.exit(max(w) > 80)' "$T/watch.out" || fail "a line is wider than 80 columns: $(cat "$T/watch.out")"
ctl watch -n 2 >"$T/watch2.out" 2>&1 || fail "watch -n 2 failed"
[ "$(grep -c ' 0 running · 1 paused · 1 queued ' "$T/watch2.out")" = 2 ] ||
	fail "watch -n 2 did not print two blocks: $(cat "$T/watch2.out")"
ctl --json watch -n 1 | python3 -c 'import json,sys
d=json.loads(sys.stdin.readline()); s={j["id"]:j["state"] for j in d["jobs"]}
sys.exit(s != {int(sys.argv[1]): "paused", int(sys.argv[2]): "queued"})' "$job" "$ojob" ||
	fail "watch --json does not list the paused and the queued job"
note "watch without a terminal:"
sed 's/^/    /' "$T/watch.out"

# 2. On a terminal (tmux, with its own server): the screen is redrawn in
# place. deploy/deps.sh installs tmux.
command -v tmux >/dev/null 2>&1 || fail "tmux is missing: run sh deploy/deps.sh"
TMUX_SOCK=$T/tmux.sock
capture() { tmux -S "$TMUX_SOCK" capture-pane -p -t watch >"$T/screen.txt" 2>/dev/null; }
paused_shown() {
	capture && grep -q "^ *paused by hold $hold (agent1, pid $hpid): new order" "$T/screen.txt" &&
	    grep -q "^ *held by hold $hold " "$T/screen.txt"
}
env -u TMUX TERM=xterm tmux -S "$TMUX_SOCK" new-session -d -s watch -x 100 -y 30 \
    "$BIN/erpsyncctl -s $T/sock watch" || fail "tmux did not start"
wait_for 10 paused_shown || fail "the terminal does not show the paused job: $(cat "$T/screen.txt")"
grep -q ' 0 running · 1 paused · 1 queued ' "$T/screen.txt" || fail "wrong header on the terminal: $(cat "$T/screen.txt")"
[ "$(grep -c '^[0-9][0-9]:[0-9][0-9]:[0-9][0-9]  ' "$T/screen.txt")" = 1 ] ||
	fail "the terminal was not redrawn in place: $(cat "$T/screen.txt")"
[ -n "${WATCH_SCREEN:-}" ] && cp "$T/screen.txt" "$WATCH_SCREEN"
tmux -S "$TMUX_SOCK" kill-server 2>/dev/null
note "watch on a 100x30 terminal:"
sed -e '/^$/d' -e 's/^/    /' "$T/screen.txt"

# 3. After the release both jobs run to the end; then nothing is left.
ctl release "$hold" >"$T/release.out" || fail "release failed"
wait_for 60 state_is "$job" done ||
	fail "customers did not finish after the release: $(job_field "$job" state): $(job_field "$job" message)"
wait_for 60 state_is "$ojob" done ||
	fail "orders did not run after the release: $(job_field "$ojob" state): $(job_field "$ojob" message)"
compare customers "$T/data/customers-agent1.db" agent1 || fail "customers differ"
compare orders "$T/data/orders.db" agent1 || fail "orders differ"
ctl watch -n 1 >"$T/watch3.out" 2>&1 || fail "watch failed"
head -n 1 "$T/watch3.out" | grep -q ' 0 running · 0 paused · 0 queued · 0 holds ' ||
	fail "wrong header after the end: $(head -n 1 "$T/watch3.out")"
grep -q 'nothing running, paused or queued' "$T/watch3.out" || fail "watch does not say nothing is left"
note "ok"
