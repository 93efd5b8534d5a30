#!/bin/sh
# golden.sh — regenerate tests/unit/golden/erpsim/*.html from a running
# erpsim, with curl. erpsim's randomness is seeded, so the same erpsim and
# the same requests give the same bytes.
#
# usage: sh tests/erpsim/golden.sh [BIN]     (BIN holds erpsim; default bin)
BIN=${1:-bin} CUSTOMERS=120
. "$(dirname "$0")/capture.sh"
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
