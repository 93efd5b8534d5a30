#!/bin/sh
# golden_200.sh — capture the 200-row golden pages of
# tests/unit/golden/erpsim/ (customers_l{7,11,17}_200.html,
# customers_l11_200_cb.html, customers_noisy_200{,_cb}.html) from a running
# erpsim, with curl, the way tests/erpsim/golden.sh captures the small ones.
# erpsim's randomness is seeded, so the same erpsim gives the same bytes.
# check_gridsax compares both grid parsers on them.
#
# usage: sh tests/erpsim/golden_200.sh [BIN]     (BIN holds erpsim; default bin)
set -eu
cd "$(dirname "$0")/../.."
BIN=${1:-bin}
OUT=tests/unit/golden/erpsim
T=$(mktemp -d /tmp/erpsim-golden.XXXXXX)
SIM=""
trap '[ -n "$SIM" ] && kill "$SIM" 2>/dev/null; rm -rf "$T"' EXIT
mkdir -p "$OUT"

# start FLAGS...: a private erpsim with 250 customers per agent; sets URL.
start() {
	[ -n "$SIM" ] && kill "$SIM" && wait "$SIM" 2>/dev/null || true
	rm -f "$T/port" "$T/jar"
	"$BIN/erpsim" -p 0 --port-file "$T/port" --seed 7 --customers 250 \
	    --orders 90 --products 60 --prices 45 "$@" >"$T/sim.log" 2>&1 &
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

C=CUSTTABLE_ListView_Agent

# Per layout: all customers, page size 200; the callback that sets the
# size (layout 11 only), then the full page with the 200 rows.
for L in 7 11 17; do
	start --layout "$L"
	login agent1 agent1pw
	get "$C/" >"$T/c.html"
	G=$(grid "$T/c.html")
	cb "$C" "$G" "GB|FILTER|xaf_xaf_a0All_Customers" >/dev/null
	cb "$C" "$G" "GB|PSP200" >"$T/cb.html"
	[ "$L" = 11 ] && cp "$T/cb.html" "$OUT/customers_l11_200_cb.html"
	get "$C/" >"$OUT/customers_l${L}_200.html"
done

# --noisy (nested spans, references, inline scripts, a 60 KB view state and
# callback state), layout 0: the 200-row callback and the full page.
start --layout 0 --noisy
login agent1 agent1pw
get "$C/" >"$T/c.html"
G=$(grid "$T/c.html")
cb "$C" "$G" "GB|FILTER|xaf_xaf_a0All_Customers" >/dev/null
cb "$C" "$G" "GB|PSP200" >"$OUT/customers_noisy_200_cb.html"
get "$C/" >"$OUT/customers_noisy_200.html"

ls -l "$OUT"/*_200*
