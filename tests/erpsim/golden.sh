#!/bin/sh
# golden.sh — regenerate tests/unit/golden/erpsim/*.html from a running
# erpsim, with curl. erpsim's randomness is seeded, so the same erpsim and
# the same requests give the same bytes.
#
# usage: sh tests/erpsim/golden.sh [BIN]     (BIN holds erpsim; default bin)
set -eu
cd "$(dirname "$0")/../.."
BIN=${1:-bin}
OUT=tests/unit/golden/erpsim
T=$(mktemp -d /tmp/erpsim-golden.XXXXXX)
SIM=""
trap '[ -n "$SIM" ] && kill "$SIM" 2>/dev/null; rm -rf "$T"' EXIT
mkdir -p "$OUT"

# start FLAGS...: a private erpsim with small data; sets URL.
start() {
	[ -n "$SIM" ] && kill "$SIM" && wait "$SIM" 2>/dev/null || true
	rm -f "$T/port" "$T/jar"
	"$BIN/erpsim" -p 0 --port-file "$T/port" --seed 7 --customers 120 \
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

C=CUSTTABLE_ListView_Agent O=SALESTABLE_ListView_Agent
P=INVENTTABLE_ListView R=PRICEDISCTABLE_ListView

# 1. The login page, layout 0.
start --layout 0
get Login.aspx >"$OUT/login.html"

# 2. Customers, full page, layout 0: page size 20, default filter.
login agent1 agent1pw
get "$C/" >"$OUT/customers_l0.html"

# 3. An empty grid: a column filter nothing passes (callback).
G=$(grid "$OUT/customers_l0.html")
cb "$C" "$G" "GB|COLFILTER|MODIFIEDDATETIME|ge|01/01/2030 00:00:00" \
    >"$OUT/customers_empty_cb.html"

# 4. The last page (Next disabled): prices, GB|PN beyond the end (callback).
get "$R/" >"$T/prices.html"
cb "$R" "$(grid "$T/prices.html")" "GB|PN999" >"$OUT/prices_last_cb.html"

# 5. Products, full page, layout 0: the IMMAGINE column holds images.
login erpadmin adminpw
get "$P/" >"$OUT/products_l0.html"

# 6. Customers, full page, layout 3.
start --layout 3
login agent1 agent1pw
get "$C/" >"$OUT/customers_l3.html"

# 7. Customers callback, layout 5, sorted by ID descending (all customers).
start --layout 5
login agent2 agent2pw
get "$C/" >"$T/c5.html"
G=$(grid "$T/c5.html")
cb "$C" "$G" "GB|FILTER|xaf_xaf_a0All_Customers" >/dev/null
cb "$C" "$G" "GB|SORT|ID|DESC" >"$OUT/customers_l5_sorted_cb.html"

# 8. Orders after a filter reset: all orders chosen, then a page navigation
#    falls back to the default filter "Ordini aperti" (--reset-rate 1).
start --layout 0 --reset-rate 1
login agent1 agent1pw
get "$O/" >"$T/o.html"
G=$(grid "$T/o.html")
cb "$O" "$G" "GB|FILTER|xaf_xaf_a1ListViewSalesTableOrdersAll" >/dev/null
cb "$O" "$G" "GB|PN1" >"$OUT/orders_reset_cb.html"

ls -l "$OUT"
