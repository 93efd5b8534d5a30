/*
 * gridfix.c — page fixtures for worker/grid.c and worker/gridsax.c, shared by
 * check_grid.c, check_gridsax.c and bench/b_grid.c. No Check here: the
 * bench program links this file too.
 */
#include <stddef.h>

#include "common/common.h"
#include "tests/unit/gridfix.h"

/*
 * A page like production, ~450 KB with 200 rows: view state, scripts, a
 * grid of rows rows and 22 columns (a command column and COLONNA 0..20),
 * a pager saying page 1 of 29 and 5,712 rows. Appended to b.
 */
void
big_page(struct buf *b, size_t rows)
{
	size_t	 r, c, i;

	buf_adds(b, "<!DOCTYPE html><html><head><title>Clienti</title>"
	    "<script type=\"text/javascript\">");
	for (i = 0; i < 600; i++)
		buf_addf(b, "ASPx.AddHoverItems('Vertical_mainMenu',"
		    "[[['dxm-hovered'],[''],['DXI%zu_']]]);\n", i);
	buf_adds(b, "</script></head><body><form method=\"post\" action=\"./\">"
	    "<input type=\"hidden\" name=\"__VIEWSTATE\" value=\"");
	for (i = 0; i < 60000; i++)
		buf_addc(b, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "abcdefghijklmnopqrstuvwxyz0123456789+/"[i * 7 % 64]);
	buf_adds(b, "\" /><table id=\"Vertical_v1_LE_v2\" class=\"dxgvControl_"
	    "XafTheme dxgv\" cellspacing=\"0\"><tr><td>"
	    "<input id=\"Vertical_v1_LE_v2_Cb_I\" value=\"Tutti i clienti\">"
	    "<input type=\"hidden\" id=\"Vertical_v1_LE_v2_Cb_VI\" "
	    "value=\"xaf_xaf_a0All_Customers\">"
	    "<table id=\"Vertical_v1_LE_v2_DXMainTable\" class=\"dxgvTable_"
	    "XafTheme\"><tr id=\"Vertical_v1_LE_v2_DXHeadersRow0\">"
	    "<td class=\"dxgvCommandColumn_XafTheme dxgvHeader_XafTheme\">"
	    "&nbsp;</td>");
	for (c = 0; c < 21; c++)
		buf_addf(b, "<td id=\"Vertical_v1_LE_v2_col%zu\" class=\""
		    "dxgvHeader_XafTheme\" fieldname=\"F%zu\" style=\"cursor:"
		    "pointer;\"><table cellspacing=\"0\" "
		    "style=\"width:100%%;\"><tr><td>COLONNA %zu</td>"
		    "<td style=\"width:1px;\"></td></tr></table></td>",
		    c, c, c);
	buf_adds(b, "</tr>");
	for (r = 0; r < rows; r++) {
		buf_addf(b, "<tr id=\"Vertical_v1_LE_v2_DXDataRow%zu\" class="
		    "\"dxgvDataRow_XafTheme\"><td class=\"dxgvCommandColumn_"
		    "XafTheme dxgv\" onclick=\"ASPx.GVCommand("
		    "'Vertical_v1_LE_v2',%zu)\"><img src=\"/Archibald/DXR.axd"
		    "?r=1_30\" alt=\"Modifica\" class=\"dxGridView_gvEdit_"
		    "XafTheme\" /></td>", r, r);
		for (c = 0; c < 21; c++)
			buf_addf(b, "<td class=\"dxgv\">Valore %zu&nbsp;r%zu "
			    "&amp; Caff&egrave; %zu.%03zu,%02zu</td>", c, r, r,
			    c, c);
		buf_adds(b, "</tr>");
	}
	buf_addf(b, "</table><div class=\"dxpLite_XafTheme\"><div class=\""
	    "dxp-summary\">Pagina 1 di 29 (5.712 elementi)</div><a class=\""
	    "dxp-button\"><img alt=\"Next\" src=\"n.gif\"></a></div></td></tr>"
	    "</table></form></body></html>");
}
