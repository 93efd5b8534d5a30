/*
 * render.c — the grid control of contract §4 for a session's view state:
 * predefined filter combo, main table (header row, data rows or the empty
 * row) and the pager. A callback answers with exactly this element; the
 * full page wraps it (page.c). A column named by --drop-column is left out
 * of the header and of every row.
 */
#include <stdio.h>
#include <string.h>

#include "tests/erpsim/erpsim.h"

static void
dollar_name(char *out, size_t len, const char *id, const char *suffix)
{
	size_t	 i;

	snprintf(out, len, "%s%s", id, suffix);
	for (i = 0; out[i] != '\0'; i++)
		if (out[i] == '_')
			out[i] = '$';
}

static void
filter_combo(struct buf *b, const struct viewdef *v, const char *g,
    int filter)
{
	char		 id[192], name[192], vid[192], vname[192];
	struct hattr	 in[] = {
		{ "class", "dxeEditArea_XafTheme dxeEditAreaSys" },
		{ "id", id }, { "name", name },
		{ "value", v->filters[filter].caption },
		{ "type", "text" }, { "readonly", "readonly" },
	};
	struct hattr	 hid[] = {
		{ "type", "hidden" }, { "id", vid }, { "name", vname },
		{ "value", v->filters[filter].key },
	};
	int		 i;

	snprintf(id, sizeof(id), "%s_Cb_I", g);
	dollar_name(name, sizeof(name), g, "_Cb");
	snprintf(vid, sizeof(vid), "%s_Cb_VI", g);
	dollar_name(vname, sizeof(vname), g, "_Cb_VI");
	buf_addf(b, "<div class=\"dxgvTitlePanel_XafTheme\"><span>Filtro:"
	    "</span><table class=\"dxeButtonEditSys dxeButtonEdit_XafTheme\" "
	    "cellspacing=\"1\" cellpadding=\"0\" id=\"%s_Cb\" border=\"0\" "
	    "style=\"width:220px;\"><tr><td class=\"dxic\" style=\"width:100%%;"
	    "\">", g);
	html_open(b, "input", in, (int)nitems(in), 3);
	buf_addf(b, "</td><td id=\"%s_Cb_B-1\" class=\"dxeButton "
	    "dxeButtonEditButton_XafTheme\"><img class=\"dxEditors_edtDropDown_"
	    "XafTheme\" src=\"%s/DXR.axd?r=1_12-eOxAd\" alt=\"v\" /></td></tr>"
	    "</table>", g, sim.conf.base);
	html_nl(b, 2);
	html_open(b, "input", hid, (int)nitems(hid), 1);
	html_nl(b, 2);
	buf_addf(b, "<div id=\"%s_Cb_DDD_PW-1\" class=\"dxpcDropDown_XafTheme\" "
	    "style=\"display:none;\"><table id=\"%s_Cb_DDD_L_LBT\" "
	    "class=\"dxeListBoxItemRow_XafTheme\">", g, g);
	for (i = 0; i < v->nfilters; i++) {
		buf_addf(b, "<tr><td class=\"dxeListBoxItem_XafTheme%s\" "
		    "id=\"%s_Cb_DDD_L_LBI%dT0\">", i == filter ?
		    " dxeListBoxItemSelected_XafTheme" : "", g, i);
		html_text(b, v->filters[i].caption,
		    strlen(v->filters[i].caption), sim.layout.ent, (uint64_t)i);
		buf_adds(b, "</td></tr>");
	}
	buf_adds(b, "</table></div></div>");
	html_nl(b, 1);
}

static void
pager_button(struct buf *b, const char *g, int next, int disabled)
{
	const char	*alt = next ? "Next" : "Prev";

	if (disabled)
		buf_addf(b, "<b class=\"dxp-button dxp-bi dxp-disabled\"><img "
		    "class=\"dxWeb_p%sDisabled_XafTheme\" src=\"%s/DXR.axd?r=1_"
		    "5-2xUTl\" alt=\"%s\" /></b>", alt, sim.conf.base, alt);
	else
		buf_addf(b, "<a class=\"dxp-button dxp-bi\" onclick=\"ASPx."
		    "GVPagerOnClick('%s','%s');\"><img class=\"dxWeb_p%s_XafTheme"
		    "\" src=\"%s/DXR.axd?r=1_5-2xUTl\" alt=\"%s\" /></a>", g,
		    next ? "PBN" : "PBP", alt, sim.conf.base, alt);
}

static void
pager(struct buf *b, const char *g, const struct gridstate *gs, int pages)
{
	char	 total[FMT_MAX];
	int	 i, gap = 0;

	fmt_int(total, (int64_t)gs->nidx);
	buf_addf(b, "<div class=\"dxgvPagerBottomPanel_XafTheme\"><div "
	    "class=\"dxpLite_XafTheme\" id=\"%s_DXPagerBottom\" "
	    "style=\"width:100%%;\">", g);
	html_nl(b, 2);
	buf_addf(b, "<b class=\"dxp-lead dxp-summary\">Pagina %d di %d "
	    "(%s elementi)</b>", gs->page + 1, pages, total);
	html_nl(b, 2);
	pager_button(b, g, 0, gs->page == 0);
	for (i = 0; i < pages; i++) {
		if (i != 0 && i != pages - 1 &&
		    (i < gs->page - 2 || i > gs->page + 2)) {
			if (!gap)
				buf_adds(b, "<b class=\"dxp-ellip\">...</b>");
			gap = 1;
			continue;
		}
		gap = 0;
		if (i == gs->page)
			buf_addf(b, "<b class=\"dxp-num dxp-current\">%d</b>",
			    i + 1);
		else
			buf_addf(b, "<a class=\"dxp-num\" onclick=\"ASPx."
			    "GVPagerOnClick('%s','PN%d');\">%d</a>", g, i,
			    i + 1);
	}
	pager_button(b, g, 1, gs->page >= pages - 1);
	html_nl(b, 2);
	buf_addf(b, "<div class=\"dxp-pageSizeItem\"><span class=\"dxp-"
	    "comboBoxLabel\">Dimensione pagina:</span><input id=\"%s_DXPagerBot"
	    "tom_PSI\" class=\"dxeEditArea_XafTheme\" type=\"text\" value=\"%d\""
	    " readonly=\"readonly\" /></div></div></div>", g, gs->size);
	html_nl(b, 1);
}

static void
header_row(struct buf *b, const struct vlayout *vl,
    const struct gridstate *gs)
{
	char		 id[192];
	struct hattr	 a[] = { { "id", id }, { "class", NULL } };
	int		 i;

	snprintf(id, sizeof(id), "%s_DXHeadersRow0", vl->grid);
	if (sim.layout.n > 0)
		a[1].v = "dxgvHeaderRow_XafTheme";
	html_open(b, "tr", a, 2, 0);
	for (i = 0; i < vl->ncmd; i++) {
		html_nl(b, 4);
		command_td(b, vl, i, -1);
	}
	for (i = 0; i < vl->ncols; i++) {
		if (fault_col_dropped(&vl->cols[i]))
			continue;
		html_nl(b, 4);
		header_cell(b, vl, i, gs->sortcol == i ? 1 + gs->desc : 0);
	}
	html_nl(b, 3);
	buf_adds(b, "</tr>");
}

static void
data_row(struct buf *b, const struct vlayout *vl, const struct table *t,
    size_t row, long vi)
{
	char		 id[192];
	struct hattr	 a[] = { { "id", id }, { "class", vi % 2 ?
			    "dxgvDataRow_XafTheme dxgvDataRowAlt_XafTheme" :
			    "dxgvDataRow_XafTheme" } };
	int		 i;

	snprintf(id, sizeof(id), "%s_DXDataRow%ld", vl->grid, vi);
	html_nl(b, 3);
	html_open(b, "tr", a, 2, (unsigned)vi);
	for (i = 0; i < vl->ncmd; i++) {
		html_nl(b, 4);
		command_td(b, vl, i, vi);
	}
	for (i = 0; i < vl->ncols; i++) {
		if (fault_col_dropped(&vl->cols[i]))
			continue;
		html_nl(b, 4);
		cell_td(b, t, row, &vl->cols[i], i);
	}
	html_nl(b, 3);
	buf_adds(b, "</tr>");
}

/* Append the grid control element of view k as session s sees it now. */
void
render_grid(struct buf *b, struct session *s, enum kind k)
{
	const struct viewdef	*v = &views[k];
	const struct vlayout	*vl = &sim.layout.v[k];
	const struct table	*t = data_table(k, s->user);
	struct gridstate	*gs;
	char			 id[192], state[192];
	struct hattr		 ga[] = { { "class", "dxgvControl_XafTheme dxgv" },
				    { "id", vl->grid },
				    { "style", "width:100%;" } };
	struct hattr		 ta[] = { { "id", id },
				    { "class", "dxgvTable_XafTheme" },
				    { "cellspacing", "0" }, { "cellpadding", "0" },
				    { "border", "0" }, { "style",
				    "empty-cells:show;table-layout:fixed;"
				    "overflow:hidden;width:100%;" } };
	size_t			 first, i;
	int			 pages, shown = vl->ncmd, c;

	for (c = 0; c < vl->ncols; c++)
		if (!fault_col_dropped(&vl->cols[c]))
			shown++;
	view_prepare(s, k);
	gs = view_state(s, k);
	pages = view_pages(gs);
	html_open(b, "div", ga, 3, 0);
	html_nl(b, 1);
	if (v->nfilters > 0)
		filter_combo(b, v, vl->grid, gs->filter);
	dollar_name(state, sizeof(state), vl->grid, "_CallbackState");
	buf_addf(b, "<input type=\"hidden\" id=\"%s_CallbackState\" name=\"%s\" "
	    "value=\"", vl->grid, state);
	/* --noisy: a callback state as large as a heavy page's view state. */
	random_b64(b, sim.layout.noisy ? sim.conf.viewstate_bytes :
	    96 + (size_t)gs->size * 4, NULL);
	buf_adds(b, "\" />");
	html_nl(b, 1);
	snprintf(id, sizeof(id), "%s_DXMainTable", vl->grid);
	html_open(b, "table", ta, (int)nitems(ta), 1);
	html_nl(b, 2);
	if (sim.layout.tbody)
		buf_adds(b, "<tbody>");
	header_row(b, vl, gs);
	first = (size_t)gs->page * (size_t)gs->size;
	if (gs->nidx == 0) {
		html_nl(b, 3);
		buf_addf(b, "<tr id=\"%s_DXEmptyRow\" class=\"dxgvEmptyDataRow_"
		    "XafTheme\"><td class=\"dxgv\" colspan=\"%d\">Nessun dato da "
		    "visualizzare</td></tr>", vl->grid, shown);
	}
	for (i = first; i < gs->nidx && i < first + (size_t)gs->size; i++)
		data_row(b, vl, t, gs->idx[i], (long)i);
	html_nl(b, 2);
	if (sim.layout.tbody)
		buf_adds(b, "</tbody>");
	buf_adds(b, "</table>");
	html_nl(b, 1);
	pager(b, vl->grid, gs, pages);
	buf_adds(b, "</div>");
}
