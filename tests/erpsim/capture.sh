# capture.sh — sourced by golden.sh and golden_200.sh: a private erpsim
# (start), and curl helpers that log in, find the grid and make callbacks,
# to capture golden pages into OUT. Set BIN and CUSTOMERS first.
set -eu
cd "$(dirname "$0")/../.."
OUT=tests/unit/golden/erpsim
T=$(mktemp -d /tmp/erpsim-golden.XXXXXX)
SIM=""
trap '[ -n "$SIM" ] && kill "$SIM" 2>/dev/null; rm -rf "$T"' EXIT
mkdir -p "$OUT"

# start FLAGS...: a private erpsim with CUSTOMERS customers per agent and
# small other data; sets URL.
start() {
	[ -n "$SIM" ] && kill "$SIM" && wait "$SIM" 2>/dev/null || true
	rm -f "$T/port" "$T/jar"
	"$BIN/erpsim" -p 0 --port-file "$T/port" --seed 7 \
	    --customers "$CUSTOMERS" --orders 90 --products 60 --prices 45 "$@" \
	    >"$T/sim.log" 2>&1 &
	SIM=$!
	i=0
	while [ ! -s "$T/port" ]; do
		i=$((i + 1)); [ $i -gt 100 ] && { echo "erpsim did not start"; exit 1; }
		sleep 0.05
	done
	URL="http://127.0.0.1:$(cat "$T/port")/Archibald"
}

get() { curl -sS -b "$T/jar" -c "$T/jar" "$URL/$1"; }

# login USER PASSWORD: GET the form, POST it back filled in (expects 302).
login() {
	get Login.aspx >"$T/login.html"
	python3 - "$T/login.html" "$1" "$2" >"$T/form" <<'PY'
import html, re, sys, urllib.parse
page, user, pw = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2], sys.argv[3]
form = []
for tag in re.findall(r"<input[^>]*>", page):
    a = {k: html.unescape(v1 or v2 or v3) for k, v1, v2, v3 in re.findall(
        r"""([\w$:.-]+)=(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", tag)}
    n = a.get("name", "")
    if a.get("type") == "hidden":
        form.append((n, a.get("value", "")))
    elif n.endswith("UserName_Edit"):
        form.append((n, user))
    elif n.endswith("Password_Edit"):
        form.append((n, pw))
    elif n.endswith("LogonButton"):
        form.append((n, a.get("value", "")))
print(urllib.parse.urlencode(form), end="")
PY
	code=$(curl -sS -o /dev/null -w '%{http_code}' -b "$T/jar" -c "$T/jar" \
	    --data @"$T/form" "$URL/Login.aspx")
	[ "$code" = 302 ] || { echo "login $1: HTTP $code"; exit 1; }
}

# grid PAGEFILE: the grid control's id in a page.
grid() {
	python3 -c 'import re,sys
t = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"<[^>]*\bdxgvControl_XafTheme\b[^>]*>", t).group(0)
print(re.search(r"""\bid=["\x27]?([\w]+)""", m).group(1))' "$1"
}

# cb VIEW GRID COMMAND: a callback; the body is the grid control alone.
cb() {
	curl -sS -b "$T/jar" -c "$T/jar" --data-urlencode "__CALLBACKID=$2" \
	    --data-urlencode "__CALLBACKPARAM=$3" "$URL/$1/"
}

