#!/bin/sh
# An ERP on HTTPS with a self-signed certificate (regression: the untrusted
# certificate was retried 8 times, 12 s, as class erp). Without ca_file the
# job fails at once with class config and a message naming the certificate
# and the keys to set; with ca_file it ends exact; tls_verify = no too. A url
# that is not http(s) is refused by erpsyncd -n.
. "$(dirname "$0")/lib.sh"

jf() {
	ctl --json jobs -n 100 | python3 -c 'import json,sys
d=json.load(sys.stdin); j=[x for x in d["jobs"] if x["kind"]==sys.argv[1]]
print(j[0].get(sys.argv[2],"") if j else "")' customers "$1"
}

start_sim_tls --seed 5 --customers 700
write_conf
start_daemon

t0=$(date +%s%N)
ctl sync customers --user agent1 --wait >"$T/untrusted.out" 2>&1 &&
	fail "a sync against an untrusted certificate succeeded"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
class=$(jf error_class)
msg=$(jf message)
note "untrusted: failed in $ms ms, class $class: $msg"
[ "$class" = config ] || fail "class is '$class', want config"
[ "$ms" -lt 5000 ] || fail "the job took $ms ms to fail, want under 5 s"
case $msg in *certificate*ca_file*tls_verify*) ;; *) fail "the message does not name the certificate, ca_file and tls_verify: $msg" ;; esac
[ "$(jf attempts)" = 1 ] || fail "a config failure was retried: $(jf attempts) attempts"

# With ca_file: exact.
sed -i "s|^url = .*|&\nca_file = $SIM_CA|" "$T/erpsync.conf"
ctl reload >/dev/null || fail "reload"
ctl sync customers --user agent1 --wait >"$T/trusted.out" 2>&1 ||
	fail "the sync with ca_file failed: $(tail -n 3 "$T/trusted.out")"
compare customers "$T/data/customers-agent1.db" agent1 || fail "customers differ (ca_file)"

# With tls_verify = no and no ca_file: exact too.
sed -i "/^ca_file = /d; s|^url = .*|&\ntls_verify = no|" "$T/erpsync.conf"
ctl reload >/dev/null || fail "reload"
ctl sync customers --user agent2 --wait >"$T/noverify.out" 2>&1 ||
	fail "the sync with tls_verify = no failed: $(tail -n 3 "$T/noverify.out")"
compare customers "$T/data/customers-agent2.db" agent2 || fail "customers differ (tls_verify = no)"
stop_daemon

# A url that is not http(s) never reaches libcurl.
for bad in file:///etc/passwd ftp://127.0.0.1/x; do
	sed "s|^url = .*|url = $bad|" "$T/erpsync.conf" >"$T/bad.conf"
	"$BIN/erpsyncd" -n -f "$T/bad.conf" >"$T/bad.out" 2>&1 &&
		fail "erpsyncd -n accepted url = $bad"
	grep -q 'url' "$T/bad.out" || fail "erpsyncd -n does not name url: $(cat "$T/bad.out")"
done
note "ok"
