#!/bin/sh
# erpsim itself, with curl only: faults follow the documented schedule
# (exactly the requests it names, the same for the same seed, not for
# another, each kind of answer on its own); a cut answer's Content-Length is
# what arrives, shorter than the whole answer (plain and gzip'd: a prefix
# of the bytes on the wire), on every kind of answer; HTTPS is served with
# a certificate curl trusts only when told to.
. "$(dirname "$0")/lib.sh"

# The schedule of tests/erpsim/README.md, redone here from its definition.
cat >"$T/sched.py" <<'EOF'
import sys
M = (1 << 64) - 1
G = 0x9e3779b97f4a7c15
FAULTS = {"drop": 1, "fail": 2, "truncate": 3, "cut": 4}
KINDS = {"login_page": 0, "login_post": 1, "logout": 2, "default": 3,
         "page": 4, "callback": 5, "other": 6}
def mix64(z):
    z = ((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9) & M
    z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) & M
    return z ^ (z >> 31)
def hit(seed, rate, f, k, i):
    r = 0 if rate <= 0 else 1 << 32 if rate >= 1 else int(rate * 2**32 + 0.5)
    p = mix64((mix64(seed) + G * (16 * f + k + 1)) & M) >> 32
    return ((i * r + p) & 0xffffffff) + r >= 1 << 32
# sched.py SEED KIND N drop=R fail=R ...: the fault of each of the first N
# requests of KIND, in the order drop, fail, truncate, cut.
seed, kind, n = int(sys.argv[1]), KINDS[sys.argv[2]], int(sys.argv[3])
rates = dict((a.split("=")[0], float(a.split("=")[1])) for a in sys.argv[4:])
count = dict((f, 0) for f in FAULTS)
for _ in range(n):
    out = "none"
    for f in ("drop", "fail", "truncate", "cut"):
        i = count[f]
        count[f] += 1
        if hit(seed, rates.get(f, 0), FAULTS[f], kind, i):
            out = f
            break
    print(out)
EOF

# What curl saw: drop (empty reply), fail (500), truncate (fewer bytes than
# promised), cut (a complete HTTP answer, Content-Length = bytes received,
# and a document that does not end), none (the whole document).
classify() {	# classify NAME: reads $T/NAME.{hdr,body,rc,code}
	_rc=$(cat "$T/$1.rc") _code=$(cat "$T/$1.code")
	case "$_rc" in
	52) echo drop; return ;;
	18|56) echo truncate; return ;;
	0) ;;
	*) fail "$1: curl exit $_rc" ;;
	esac
	[ "$_code" = 500 ] && { echo fail; return; }
	_len=$(tr -d '\r' <"$T/$1.hdr" | sed -n 's/^[Cc]ontent-[Ll]ength: *//p' | tail -n 1)
	_got=$(wc -c <"$T/$1.body")
	[ "$_len" = "$_got" ] || fail "$1: Content-Length $_len but $_got bytes"
	# Every whole ERP document ends with "</html>" and a newline.
	if [ "$(tail -c 8 "$T/$1.body" | tr '\n' '#')" = '</html>#' ]; then echo none; else echo cut; fi
}

get() {	# get NAME URL [CURL ARGS...]
	_n=$1 _u=$2; shift 2
	_code=$(sim_curl -s -D "$T/$_n.hdr" -o "$T/$_n.body" -w '%{http_code}' "$@" "$_u")
	echo $? >"$T/$_n.rc"
	echo "$_code" >"$T/$_n.code"
}

RATES="drop=0.15 fail=0.2 truncate=0.1 cut=0.25"
N=24

# run_schedule SEED: N login pages interleaved with N Default.aspx (an
# anonymous one: a 302), fresh connections; the outcomes of each kind go to
# $T/seed-SEED.login_page and .default.
run_schedule() {
	start_sim --seed "$1" --drop-rate 0.15 --fail-rate 0.2 --truncate-rate 0.1 --cut-rate 0.25
	: >"$T/seed-$1.login_page"
	: >"$T/seed-$1.default"
	i=0
	while [ $i -lt $N ]; do
		get lp "$URL/Login.aspx"
		classify lp >>"$T/seed-$1.login_page"
		get df "$URL/Default.aspx"
		classify df >>"$T/seed-$1.default"
		i=$((i + 1))
	done
	for k in login_page default; do
		python3 "$T/sched.py" "$1" $k $N $RATES >"$T/want-$1.$k"
		cmp -s "$T/want-$1.$k" "$T/seed-$1.$k" ||
			fail "seed $1, $k: faults not as scheduled: $(paste -d' ' "$T/want-$1.$k" "$T/seed-$1.$k" | tr '\n' ',')"
		for f in drop fail truncate cut; do
			want=$(grep -c "^$f\$" "$T/want-$1.$k")
			got=$(sim_stat "faults.$f.$k")
			[ "$got" = "$want" ] || fail "seed $1: faults.$f.$k = $got, the schedule says $want"
		done
	done
	stop_sim
	note "seed $1: login pages $(tr '\n' ' ' <"$T/seed-$1.login_page")"
}

run_schedule 5
cp "$T/seed-5.login_page" "$T/first.login_page"
cp "$T/seed-5.default" "$T/first.default"
run_schedule 5
cmp -s "$T/first.login_page" "$T/seed-5.login_page" || fail "seed 5 twice: login pages faulted differently"
cmp -s "$T/first.default" "$T/seed-5.default" || fail "seed 5 twice: Default.aspx faulted differently"
run_schedule 6
cmp -s "$T/seed-5.login_page" "$T/seed-6.login_page" && fail "seeds 5 and 6 fault the same login pages"
# Every fault fired: the schedule says so for seed 5 (checked above).
for f in drop fail truncate cut; do
	grep -q "^$f\$" "$T/want-5.login_page" "$T/want-5.default" || fail "seed 5 schedules no $f in $N requests"
done

# Cuts on every kind of answer. One session: an uncut login page to log in
# with, then every answer cut (cut-rate 1).
start_sim --seed 7 --users u1:pw1 --customers 120
faults() { sim_curl -sf "$ORIGIN/_sim/faults?$1" >/dev/null || fail "erpsim refused faults $1"; }
J=$T/jar
get login "$URL/Login.aspx" -c "$J" -b "$J"
[ "$(classify login)" = none ] || fail "the login page without faults is not whole"
faults "cut-rate=1"
# Another session's login page (this one's hidden values must stay valid).
get lp "$URL/Login.aspx"
[ "$(classify lp)" = cut ] || fail "login page: not cut"
echo pw1 | python3 "$REPO/tests/e2e/login_form.py" "$T/login.body" u1 >"$T/form"
get post "$URL/Login.aspx" -c "$J" -b "$J" -H 'Content-Type: application/x-www-form-urlencoded' --data-binary @"$T/form"
[ "$(cat "$T/post.code")" = 302 ] || fail "login POST: HTTP $(cat "$T/post.code"), want 302"
[ "$(classify post)" = cut ] || fail "login POST: the 302 is not cut"
grep -qi '^Location: .*/Default.aspx' "$T/post.hdr" || fail "login POST: no Location"
grep -q 'ASPXAUTH' "$J" || fail "login POST: no .ASPXAUTH cookie (a cut body keeps its headers)"

V=$URL/CUSTTABLE_ListView_Agent/
get page "$V" -c "$J" -b "$J"
[ "$(cat "$T/page.code")" = 200 ] && [ "$(classify page)" = cut ] || fail "view page: not a cut 200"
get pagez "$V" -c "$J" -b "$J" -H 'Accept-Encoding: gzip'
grep -qi '^Content-Encoding: gzip' "$T/pagez.hdr" || fail "gzip'd view page: not gzip'd"
[ "$(classify pagez)" = cut ] || fail "gzip'd view page: Content-Length differs from the bytes received"

# A callback answer is the same document for the same state, but for its
# random CallbackState: masked, a cut one is a strict prefix of a whole one,
# and a gzip'd cut one is a gzip stream that stops early (cut on the wire).
cat >"$T/prefix.py" <<'EOF'
import re, sys, zlib
whole, cut = open(sys.argv[1], "rb").read(), open(sys.argv[2], "rb").read()
if sys.argv[3] == "gzip":
    whole = zlib.decompress(whole, 31)
    d = zlib.decompressobj(31)
    cut = d.decompress(cut)
    if d.eof:
        sys.exit("the cut gzip stream is complete")
mask = lambda b: re.sub(rb'(CallbackState" value=")[^"]*', rb"\1#", b)
if not (len(cut) < len(whole) and mask(whole).startswith(mask(cut))):
    sys.exit("the cut document (%d bytes) is not the start of the whole one (%d)" % (len(cut), len(whole)))
print(len(cut), len(whole))
EOF
CB="__CALLBACKID=Vertical_v1_LE_v2&__CALLBACKPARAM=GB%7CPN0"
faults "cut-rate=0"
get cb0 "$V" -c "$J" -b "$J" --data "$CB"
get cbz0 "$V" -c "$J" -b "$J" --data "$CB" -H 'Accept-Encoding: gzip'
grep -qi '^Content-Encoding: gzip' "$T/cbz0.hdr" || fail "callback: not gzip'd"
faults "cut-rate=1"
get cb1 "$V" -c "$J" -b "$J" --data "$CB"
get cbz1 "$V" -c "$J" -b "$J" --data "$CB" -H 'Accept-Encoding: gzip'
for p in cb cbz; do
	[ "$(cat "$T/${p}1.code")" = 200 ] && [ "$(classify ${p}1)" = cut ] ||
		fail "$p: not a cut 200 whose Content-Length is the bytes received"
	[ $p = cbz ] && mode=gzip || mode=plain
	r=$(python3 "$T/prefix.py" "$T/${p}0.body" "$T/${p}1.body" $mode) || fail "$p: $r"
	note "$p: $(wc -c <"$T/${p}1.body") of $(wc -c <"$T/${p}0.body") bytes on the wire, document cut at ${r% *} of ${r#* }"
done
grep -qi '^Content-Encoding: gzip' "$T/cbz1.hdr" || fail "cut callback: the gzip'd one lost its Content-Encoding"

get out "$URL/Logout.aspx" -c "$J" -b "$J"
[ "$(cat "$T/out.code")" = 302 ] && [ "$(classify out)" = cut ] || fail "logout: not a cut 302"
for k in login_page login_post page callback logout; do
	n=$(sim_stat "faults.cut.$k")
	[ "$n" -ge 1 ] || fail "faults.cut.$k = $n"
done
# Seven answers were cut: a login page, the login POST, two view pages,
# two callbacks, the logout.
[ "$(sim_stat faults.cut)" = 7 ] || fail "faults.cut = $(sim_stat faults.cut), want 7"
stop_sim

# HTTPS: trusted with --cacert, refused without; faults as over HTTP.
start_sim_tls --seed 8 --cut-rate 1
get tls "$URL/Login.aspx" -H 'Accept-Encoding: gzip'
[ "$(cat "$T/tls.rc")" = 0 ] || fail "https with --cacert: curl exit $(cat "$T/tls.rc")"
[ "$(cat "$T/tls.code")" = 200 ] || fail "https: HTTP $(cat "$T/tls.code")"
[ "$(classify tls)" = cut ] || fail "https: a cut answer's Content-Length differs from the bytes received"
curl -s -o /dev/null "$URL/Login.aspx"
rc=$?
[ "$rc" = 60 ] || fail "https without --cacert: curl exit $rc, want 60 (certificate not trusted)"
curl -s -o /dev/null "http://127.0.0.1:$PORT/Archibald/Login.aspx" && fail "plain HTTP answered on the HTTPS port"
[ "$(sim_stat faults.cut.login_page)" = 1 ] || fail "https: /_sim/stats says $(sim_stat faults.cut.login_page) cut login pages"
note "ok"
