# lib.sh — shared by the end-to-end scripts: a private erpsim and erpsyncd
# on loopback, with a temporary directory that is kept only on failure.
# Source it with BIN set to the folder holding the four programs.

set -u
BIN=${BIN:-bin}
REPO=${REPO:-$(cd "$(dirname "$0")/../.." && pwd)}
case "$BIN" in /*) ;; *) BIN="$REPO/$BIN" ;; esac
T=$(mktemp -d /tmp/erpsync-e2e.XXXXXX)
SIM_PID="" DAEMON_PID="" SIM_CA=""
TEST_NAME=$(basename "$0" .sh)

note() { printf '%s: %s\n' "$TEST_NAME" "$*"; }

cleanup() {
	rc=$?
	[ -n "$DAEMON_PID" ] && kill "$DAEMON_PID" 2>/dev/null && wait "$DAEMON_PID" 2>/dev/null
	[ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null && wait "$SIM_PID" 2>/dev/null
	# Secrets never appear in logs or command output.
	if [ "$rc" -eq 0 ] && grep -rqsE 'agent1pw|agent2pw|adminpw' "$T"/*.log "$T"/*.out; then
		note "FAIL: a password appears in $(grep -rlsE 'agent1pw|agent2pw|adminpw' "$T"/*.log "$T"/*.out)"
		rc=1
	fi
	if [ "$rc" -eq 0 ]; then
		[ -n "${KEEP_T:-}" ] || rm -rf "$T"
	else
		note "FAILED; logs kept in $T"
		for f in "$T"/*.log; do
			[ -f "$f" ] || continue
			echo "--- last lines of $f"
			tail -n 25 "$f"
		done
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() { note "FAIL: $*"; exit 1; }

# wait_for SECONDS COMMAND...: poll until COMMAND succeeds, or fail.
wait_for() {
	_limit=$1; shift
	_i=0
	while ! "$@" >/dev/null 2>&1; do
		_i=$((_i + 1))
		[ "$_i" -gt $((_limit * 10)) ] && return 1
		sleep 0.1
	done
	return 0
}

# start_sim [ERPSIM FLAGS...]: start erpsim on a free port; sets PORT, ORIGIN, URL.
start_sim() {
	rm -f "$T/port"
	"$BIN/erpsim" -p 0 --port-file "$T/port" "$@" >>"$T/erpsim.log" 2>&1 &
	SIM_PID=$!
	wait_for 10 test -s "$T/port" || fail "erpsim did not start"
	PORT=$(cat "$T/port")
	ORIGIN="http://127.0.0.1:$PORT"
	URL="$ORIGIN/Archibald"
}

stop_sim() {
	[ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null && wait "$SIM_PID" 2>/dev/null
	SIM_PID=""
}

# write_conf [EXTRA INI LINES for [supervisor]]: credentials and config in $T.
write_conf() {
	mkdir -p "$T/state" "$T/data"
	cat >"$T/credentials" <<EOC
agent1:agent1pw
agent2:agent2pw
erpadmin:adminpw
EOC
	chmod 600 "$T/credentials"
	cat >"$T/erpsync.conf" <<EOC
[erp]
url = $URL
credentials = $T/credentials
system_user = erpadmin
page_size = ${PAGE_SIZE:-200}
request_timeout = 10s

[supervisor]
state_dir = $T/state
data_dir = $T/data
socket = $T/sock
max_workers = 4
heartbeat_timeout = 30s
job_timeout = 10m
worker_path = $BIN/erpsync-worker
log_level = ${LOG_LEVEL:-info}
$(printf "%s\n" "$@")
EOC
}

start_daemon() {
	"$BIN/erpsyncd" -f "$T/erpsync.conf" -d >>"$T/erpsyncd.log" 2>&1 &
	DAEMON_PID=$!
	wait_for 10 "$BIN/erpsyncctl" -s "$T/sock" status ||
		fail "erpsyncd did not answer on $T/sock"
}

stop_daemon() {
	[ -n "$DAEMON_PID" ] && kill "$DAEMON_PID" 2>/dev/null && wait "$DAEMON_PID" 2>/dev/null
	DAEMON_PID=""
}

ctl() { "$BIN/erpsyncctl" -s "$T/sock" "$@"; }

# compare KIND DB [USER]: the database equals erpsim's dump.
compare() {
	env ${SIM_CA:+SSL_CERT_FILE="$SIM_CA"} \
	    python3 "$REPO/tests/e2e/compare.py" "$ORIGIN" "$@"
}

# sim_stat KEY: a number from /_sim/stats (dotted path into the JSON; a
# key that itself holds dots, such as faults' "cut.login_page", is found
# too: faults.cut.login_page).
sim_stat() {
	env ${SIM_CA:+SSL_CERT_FILE="$SIM_CA"} python3 -c 'import json,sys,urllib.request
d=json.load(urllib.request.urlopen(sys.argv[1]+"/_sim/stats"))
ks=sys.argv[2].split(".")
while ks:
    if not isinstance(d,dict): d=0; break
    for n in range(len(ks),0,-1):
        k=".".join(ks[:n])
        if k in d: d=d[k]; ks=ks[n:]; break
    else: d=0; break
print(d)' "$ORIGIN" "$1"
}

# sim_stat_least KEY N WHAT: erpsim's counter KEY is at least N (what a
# seeded fault schedule guarantees); otherwise fail with WHAT and the count.
sim_stat_least() {
	v=$(sim_stat "$1")
	[ "$v" -ge "$2" ] ||
		fail "$3: erpsim's $1 is $v, the schedule says at least $2"
}

# sim_curl ARGS...: curl that trusts erpsim's certificate under start_sim_tls.
sim_curl() { curl ${SIM_CA:+--cacert "$SIM_CA"} "$@"; }

# make_cert DIR: a self-signed certificate for 127.0.0.1 (DIR/cert.pem,
# DIR/key.pem), for erpsim --tls-cert and the worker's ca_file.
make_cert() {
	mkdir -p "$1"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
	    -nodes -days 2 -subj "/CN=127.0.0.1" \
	    -addext "subjectAltName=IP:127.0.0.1" \
	    -keyout "$1/key.pem" -out "$1/cert.pem" >>"$T/openssl.log" 2>&1 ||
		fail "openssl could not make a certificate in $1"
}

# start_sim_tls [ERPSIM FLAGS...]: start_sim serving HTTPS with a fresh
# self-signed certificate; ORIGIN and URL are https://127.0.0.1:PORT...,
# SIM_CA the certificate (sim_stat, compare and sim_curl trust it).
start_sim_tls() {
	[ -s "$T/tls/cert.pem" ] || make_cert "$T/tls"
	start_sim --tls-cert "$T/tls/cert.pem" --tls-key "$T/tls/key.pem" "$@"
	SIM_CA=$T/tls/cert.pem
	ORIGIN="https://127.0.0.1:$PORT"
	URL="$ORIGIN/Archibald"
}

# schedules_off [KIND...]: the config sections that turn off the schedule
# and the stale check of KINDs (default customers and orders) and disable
# products and prices, so only the test's own syncs run.
schedules_off() {
	for _k in ${*:-customers orders}; do
		printf '[%s]\nfull_every = 0\ndelta_every = 0\nstale_after = 0\n' "$_k"
	done
	[ $# -gt 0 ] || printf '[products]\nenabled = no\n[prices]\nenabled = no\n'
}

# no_schedules [KIND...]: schedules_off appended to $T/erpsync.conf.
no_schedules() { schedules_off "$@" >>"$T/erpsync.conf"; }

# start_quiet_daemon [EXTRA INI LINES for [supervisor]]: write_conf (with
# PAGE_SIZE), no_schedules, start_daemon: erpsyncd that runs only what the
# test asks of it.
start_quiet_daemon() {
	write_conf "$@"
	no_schedules
	start_daemon
}

# sessions_per_job N: the config write_conf wrote asks for N ERP sessions
# per job.
sessions_per_job() {
	sed -i "s/^page_size = .*/&\nsessions_per_job = $1/" "$T/erpsync.conf"
	grep -q "^sessions_per_job = $1\$" "$T/erpsync.conf" ||
		fail "could not set sessions_per_job = $1"
}

# sync_wait KIND USER [SYNC ARGS...]: queue a sync of KIND for USER and
# wait for it to end (retries and all); its job id in JOB. 0 when it ended
# done.
sync_wait() {
	_kind=$1 _user=$2
	shift 2
	ctl --json sync "$_kind" --user "$_user" "$@" >"$T/sync-wait.json" ||
		fail "the sync of $_kind for $_user was not queued"
	JOB=$(job_id "$T/sync-wait.json")
	ctl wait "$JOB" >"$T/sync-wait.out" 2>&1
}

# sync_done KIND USER [SYNC ARGS...]: sync_wait, and the job must end done
# (else fail with its class and message).
sync_done() {
	sync_wait "$@"
	[ "$(job_field "$JOB" state)" = done ] ||
		fail "job $JOB ($1 for $2) ended $(job_field "$JOB" state): $(job_field "$JOB" error_class): $(job_field "$JOB" message)"
}

# callback_faults_least FAULT N WHAT: erpsim sent at least N answers with
# FAULT, all of them to grid callbacks (see sim_stat_least).
callback_faults_least() {
	sim_stat_least "faults.$1" "$2" "$3"
	[ "$(sim_stat "faults.$1")" = "$(sim_stat "faults.$1.callback")" ] ||
		fail "$3: faults.$1 $(sim_stat "faults.$1") != faults.$1.callback $(sim_stat "faults.$1.callback")"
}

# sync_fails KIND USER [SYNC ARGS...]: sync_wait, and the job must end
# failed; its error class and message in CLASS and MSG.
sync_fails() {
	sync_wait "$@" && fail "job $JOB ($1 for $2) did not fail"
	[ "$(job_field "$JOB" state)" = failed ] ||
		fail "job $JOB ended $(job_field "$JOB" state), not failed"
	CLASS=$(job_field "$JOB" error_class)
	MSG=$(job_field "$JOB" message)
}

# mirror_sum DB TABLE KEY: how many rows TABLE of DB holds, and a digest of
# every data column (not seen_run or synced_at) of them all, by KEY.
mirror_sum() {
	_cols=$(sqlite3 "$1" "SELECT group_concat(name) FROM
	    pragma_table_info('$2') WHERE name NOT IN ('seen_run', 'synced_at')")
	echo "$(sqlite3 "$1" "SELECT count(*) FROM $2")" \
	    "$(sqlite3 "$1" "SELECT $_cols FROM $2 ORDER BY $3" | md5sum)"
}

# job_field JOB KEY: one field of job JOB from `jobs --json JOB` ("" if none).
job_field() {
	ctl --json jobs "$1" 2>/dev/null | python3 -c 'import json,sys
try: j=json.load(sys.stdin)
except ValueError: j={}
print(j.get(sys.argv[1],""))' "$2"
}

# state_is JOB STATE: job JOB is in STATE. page_at_least JOB N: it has
# read N pages. running_past JOB N: both, running.
state_is() { [ "$(job_field "$1" state)" = "$2" ]; }
page_at_least() { [ "$(job_field "$1" page)" -ge "$2" ]; }
running_past() { state_is "$1" running && page_at_least "$1" "$2"; }

# sync_to_page N USER [ARGS...]: queue a customers sync of USER (ARGS such
# as --full go to `sync`) and wait until its job, whose id goes to $job,
# has read N pages.
sync_to_page() {
	n=$1
	shift
	ctl --json sync customers --user "$@" >"$T/sync.json" ||
		fail "sync $1 not queued"
	job=$(job_id "$T/sync.json")
	wait_for 30 page_at_least "$job" "$n" ||
		fail "job $job did not reach page $n"
}

# take_hold [ARGS...]: a detached `hold ARGS`; its output goes to
# $T/hold.out and its id to $hold.
take_hold() {
	ctl hold "$@" >"$T/hold.out" 2>&1 || fail "hold $*: $(cat "$T/hold.out")"
	hold=$(sed -n 's/^hold \([0-9]*\) .*/\1/p' "$T/hold.out")
	[ -n "$hold" ] || fail "no hold id in: $(cat "$T/hold.out")"
}

# hold_count: how many holds `status` lists.
hold_count() {
	ctl --json status | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["holds"]))'
}

# status_field KEY: a value from `status --json` (a dotted path:
# counters.crashed).
status_field() {
	ctl --json status | python3 -c 'import json,sys
d=json.load(sys.stdin)
for k in sys.argv[1].split("."): d=d[k]
print(d)' "$1"
}

# The erpsim gate (tests/erpsim/gate.c): gate_at N [USER] holds back the
# next grid answer showing page N, gate_parked is true once one is held,
# gate_open sends it. A sync stops at a known page, without a race.
gate_at() {
	sim_curl -sf -X POST "$ORIGIN/_sim/gate?page=$1${2:+&user=$2}" >/dev/null ||
		fail "cannot arm erpsim's gate at page $1"
}
gate_parked() {
	sim_curl -sf "$ORIGIN/_sim/gate" | python3 -c 'import json,sys
sys.exit(0 if json.load(sys.stdin)["parked"] else 1)'
}
gate_open() {
	sim_curl -sf -X POST "$ORIGIN/_sim/gate/open" >/dev/null ||
		fail "cannot open erpsim's gate"
}

# job_id FILE: the id in a `sync --json` answer.
job_id() {
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$1"
}
