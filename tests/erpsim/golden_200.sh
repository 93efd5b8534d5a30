#!/bin/sh
# golden_200.sh — capture the 200-row golden pages of
# tests/unit/golden/erpsim/ (customers_l{7,11,17}_200.html,
# customers_l11_200_cb.html, customers_noisy_200{,_cb}.html) from a running
# erpsim, with curl, the way tests/erpsim/golden.sh captures the small ones.
# erpsim's randomness is seeded, so the same erpsim gives the same bytes.
# check_gridsax compares both grid parsers on them.
#
# usage: sh tests/erpsim/golden_200.sh [BIN]     (BIN holds erpsim; default bin)
BIN=${1:-bin} CUSTOMERS=250
. "$(dirname "$0")/capture.sh"
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
