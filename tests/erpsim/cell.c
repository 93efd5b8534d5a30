/*
 * cell.c — one grid cell: a stored value rendered the way the ERP shows it
 * (contract §5), and the header cells. Per-cell choices (&nbsp; or empty,
 * <br>, wrapping, a "€" suffix) come from a hash of the row uid and column,
 * so a row looks the same on every page and in every session.
 */
#include <stdio.h>
#include <string.h>

#include "tests/erpsim/erpsim.h"

#define DXR	"/DXR.axd?r=1_"

static void
td_open(struct buf *b, const char *cls, unsigned salt)
{
	struct hattr	 a[] = { { "class", cls }, { "style", NULL } };

	if (sim.layout.n > 0 && salt % 5 == 0)
		a[1].v = "white-space:nowrap;";
	html_open(b, "td", a, 2, salt);
}

static void
pad(struct buf *b, uint64_t h)
{
	if (sim.layout.n == 0)
		return;
	if (sim.layout.pretty == 2 && h % 3 == 0)
		buf_adds(b, "\n\t\t\t\t");
	else if (sim.layout.pretty == 1 && h % 11 == 0)
		buf_adds(b, "\n ");
}

static void
null_cell(struct buf *b, uint64_t h)
{
	const struct layout	*L = &sim.layout;

	if (L->n == 0 ? 1 : (L->nbsp ? h % 4 != 0 : h % 4 == 0))
		buf_adds(b, "&nbsp;");
	else if (L->pretty == 2 && h % 2)
		buf_adds(b, " \n ");
}

/* Text with maybe one space shown as <br> or a newline. */
static void
text_body(struct buf *b, const char *s, uint64_t h)
{
	const struct layout	*L = &sim.layout;
	const char		*sp;
	size_t			 n = strlen(s);

	sp = n > 12 ? strchr(s + 6, ' ') : NULL;
	if (sp != NULL && L->br && h % 3 == 0) {
		html_text(b, s, (size_t)(sp - s), L->ent, h);
		buf_adds(b, h % 2 ? html_br() : "\n");
		html_text(b, sp + 1, n - (size_t)(sp - s) - 1, L->ent, h);
	} else
		html_text(b, s, n, L->ent, h);
}

static void
text_cell(struct buf *b, const char *s, uint64_t h, int field)
{
	const struct layout	*L = &sim.layout;
	const char		*sp;
	struct hattr		 a[2];

	if (!L->wrap || (h >> 8) % 4 != 0) {
		text_body(b, s, h);
		return;
	}
	switch ((h >> 16) % 4) {
	case 0:
		if ((sp = strchr(s, ' ')) != NULL) {
			/* Only the first word in bold. */
			buf_adds(b, "<b>");
			html_text(b, s, (size_t)(sp - s), L->ent, h);
			buf_adds(b, "</b>");
			text_body(b, sp, h);
			return;
		}
		/* FALLTHROUGH */
	case 1:
		buf_adds(b, "<b>");
		text_body(b, s, h);
		buf_adds(b, "</b>");
		return;
	case 2:
		a[0].k = "class";
		a[0].v = "dxgvText";
		a[1].k = "title";
		a[1].v = NULL;
		html_open(b, "span", a, 2, (unsigned)field);
		text_body(b, s, h);
		buf_adds(b, "</span>");
		return;
	default:
		a[0].k = "href";
		a[0].v = "javascript:void(0)";
		a[1].k = "class";
		a[1].v = "dxgvLink";
		html_open(b, "a", a, 2, (unsigned)field);
		text_body(b, s, h);
		buf_adds(b, "</a>");
		return;
	}
}

static void
checkbox(struct buf *b, int on, const char *id)
{
	struct hattr	 a[] = {
		{ "class", on ? "dxWeb_edtCheckBoxChecked_XafTheme "
		    "dxICheckBox_XafTheme dxichSys" :
		    "dxWeb_edtCheckBoxUnchecked_XafTheme "
		    "dxICheckBox_XafTheme dxichSys" },
		{ "id", id },
	};

	html_open(b, "span", a, 2, (unsigned)on);
	buf_adds(b, "</span>");
}

static void
known_value(struct buf *b, const struct coldef *cd, union val v, uint64_t h)
{
	char		 tmp[FMT_MAX];
	struct hattr	 a[3];

	switch (cd->type) {
	case CT_TEXT:
		if (v.s == NULL)
			null_cell(b, h);
		else
			text_cell(b, v.s, h, (int)(h & 0xff));
		return;
	case CT_IMAGE:
		if (v.s == NULL) {
			null_cell(b, h);
			return;
		}
		a[0].k = "src";
		a[0].v = v.s;
		a[1].k = "alt";
		a[1].v = "";
		a[2].k = "style";
		a[2].v = "height:48px;width:48px;";
		html_open(b, "img", a, 3, (unsigned)h);
		return;
	case CT_BOOL:
		checkbox(b, v.i != VNULL && v.i != 0, NULL);
		return;
	default:
		break;
	}
	if (v.i == VNULL) {
		null_cell(b, h);
		return;
	}
	switch (cd->type) {
	case CT_INT:
		fmt_int(tmp, v.i);
		break;
	case CT_DEC:
		fmt_dec(tmp, v.i, cd->flags & COL_MONEY);
		break;
	case CT_DATE:
		fmt_date(tmp, v.i, 0);
		break;
	default:
		fmt_datetime(tmp, v.i, 0);
		break;
	}
	if (sim.layout.noisy)
		html_text(b, tmp, strlen(tmp), sim.layout.ent, h);
	else
		buf_adds(b, tmp);
	if ((cd->flags & COL_MONEY) && h % 4 == 0)
		html_text(b, " €", strlen(" €"), sim.layout.ent, h);
}

/*
 * --noisy: the value inside two spans, one in eight with a tooltip, as
 * heavy ERP themes render every cell. Neither span has a checkbox class,
 * so the first span a reader looks at for one is still the checkbox's own.
 */
static void
noisy_open(struct buf *b, uint64_t h, unsigned salt)
{
	struct hattr	 outer[] = { { "class", "dxgvCellWrap" },
			    { "title", h % 8 == 0 ? "Apri & modifica" : NULL } };
	struct hattr	 inner[] = { { "class", "dx-vam" } };

	html_open(b, "span", outer, (int)nitems(outer), salt);
	html_open(b, "span", inner, (int)nitems(inner), salt + 1);
}

/*
 * --noisy: an inline script in one cell in ten, with markup in a string
 * written the way ASP.NET writes it (<\/span>).
 */
static void
noisy_script(struct buf *b, uint32_t uid, int ci, uint64_t h)
{
	if ((h >> 24) % 10 != 0)
		return;
	buf_addf(b, "<script type=\"text/javascript\">ASPx.GVCellInit(%u,%d,"
	    "'<span>'+v+'<\\/span>',a<b&&c>0);</script>", uid, ci);
}

/*
 * Append the <td> of row's cell for layout column lc (ci = its position,
 * used to vary markup). The text a parser reads back is the stored value.
 */
void
cell_td(struct buf *b, const struct table *t, size_t row,
    const struct lcol *lc, int ci)
{
	const struct coldef	*cd;
	struct buf		 x;
	uint32_t		 uid = t->hdr[row].uid;
	uint64_t		 h = mix64((uint64_t)uid * 0x9e3779b1ULL +
				    (uint64_t)ci * 131 + (uint64_t)lc->col);
	int			 isbool;

	if (lc->kind == LC_KNOWN) {
		cd = &t->def->cols[lc->col];
		td_open(b, cd->type == CT_TEXT || cd->type == CT_IMAGE ||
		    cd->type == CT_BOOL ? "dxgv" : "dxgv dx-ar",
		    (unsigned)(ci + (int)row));
		pad(b, h);
		if (sim.layout.noisy)
			noisy_open(b, h, (unsigned)ci);
		if (fault_bad_value(t, row, cd))
			buf_adds(b, "n.d.");
		else
			known_value(b, cd, CELL(t, row, lc->col), h);
		if (sim.layout.noisy) {
			buf_adds(b, "</span></span>");
			noisy_script(b, uid, ci, h);
		}
		pad(b, h >> 3);
	} else if (lc->kind == LC_EXTRA) {
		td_open(b, "dxgv", (unsigned)ci);
		buf_init(&x);
		extra_value(&x, lc, uid, &isbool);
		if (isbool)
			checkbox(b, x.data[0] == '1', NULL);
		else if (x.len == 0)
			null_cell(b, h);
		else
			html_text(b, x.data, x.len, sim.layout.ent, h);
		buf_free(&x);
	} else {
		td_open(b, "dxgv dxgvCommandColumnItem_XafTheme", (unsigned)ci);
		if (h % 3 == 0)
			buf_adds(b, "&nbsp;");
		else
			buf_adds(b, "<a class=\"dxbButton_XafTheme\" "
			    "href=\"javascript:;\">Apri</a>");
	}
	buf_adds(b, "</td>");
}

static void
sort_img(struct buf *b, int desc)
{
	char		 src[128];
	struct hattr	 a[] = {
		{ "class", desc ? "dxGridView_gvHeaderSortDown_XafTheme" :
		    "dxGridView_gvHeaderSortUp_XafTheme" },
		{ "src", src },
		{ "alt", desc ? "(Decrescente)" : "(Crescente)" },
		{ "style", "vertical-align:middle;" },
	};

	snprintf(src, sizeof(src), "%s" DXR "85-2xUT%c", sim.conf.base,
	    desc ? 'l' : 'k');
	html_open(b, "img", a, 4, (unsigned)desc);
}

/*
 * Append the header <td> of layout column ci; sorted is 0, or 1 ascending,
 * 2 descending.
 */
void
header_cell(struct buf *b, const struct vlayout *vl, int ci, int sorted)
{
	const struct lcol	*lc = &vl->cols[ci];
	char			 id[192], click[256];
	struct hattr		 a[5];

	snprintf(id, sizeof(id), "%s_col%d", vl->grid, ci);
	snprintf(click, sizeof(click),
	    "ASPx.GHeaderMouseDown('%s', this, event);", vl->grid);
	a[0].k = "id";
	a[0].v = id;
	a[1].k = "class";
	a[1].v = "dxgvHeader_XafTheme";
	a[2].k = "fieldname";
	a[2].v = lc->field;
	a[3].k = "style";
	a[3].v = "border-top-width:0px;border-left-width:0px;cursor:pointer;";
	a[4].k = "onclick";
	a[4].v = lc->kind == LC_NOFIELD ? NULL : click;
	html_open(b, "td", a, 5, (unsigned)ci);
	if (sim.layout.nested) {
		buf_adds(b, "<table cellspacing=\"0\" cellpadding=\"0\" "
		    "border=\"0\" style=\"width:100%;border-collapse:collapse;\">"
		    "<tr><td class=\"dx-wrap\">");
		html_nl(b, 6);
		html_text(b, lc->caption, strlen(lc->caption), sim.layout.ent,
		    (uint64_t)ci);
		html_nl(b, 5);
		buf_adds(b, "</td><td style=\"width:1px;text-align:right;\">");
		if (sorted)
			sort_img(b, sorted == 2);
		else
			buf_adds(b, "&nbsp;");
		buf_adds(b, "</td></tr></table>");
	} else {
		html_text(b, lc->caption, strlen(lc->caption), sim.layout.ent,
		    (uint64_t)ci);
		if (sorted) {
			bput(b, ' ');
			sort_img(b, sorted == 2);
		}
	}
	buf_adds(b, "</td>");
}

/* Append command cell i of the header row or (row >= 0) of a data row. */
void
command_td(struct buf *b, const struct vlayout *vl, int i, long row)
{
	char		 id[192];
	struct hattr	 a[] = {
		{ "class", row < 0 && vl->cmd_header ?
		    "dxgvCommandColumn_XafTheme dxgvHeader_XafTheme" :
		    "dxgvCommandColumn_XafTheme dxgv" },
		{ "style", "width:32px;" },
	};

	html_open(b, "td", a, 2, (unsigned)i);
	if (i == 0) {
		if (row < 0)
			snprintf(id, sizeof(id), "%s_DXSelAllBtn0", vl->grid);
		else
			snprintf(id, sizeof(id), "%s_DXSelBtn%ld", vl->grid,
			    row);
		checkbox(b, 0, id);
	} else if (row < 0)
		buf_adds(b, "&nbsp;");
	else
		buf_addf(b, "<a class=\"dxbButton_XafTheme dxgvCommandColumnItem"
		    "_XafTheme\" href=\"javascript:ASPx.GVCommandCustomButton("
		    "'%s','Edit',%ld)\"><img class=\"dxWeb_edtEdit_XafTheme\" "
		    "src=\"%s" DXR "12-Edit\" alt=\"Modifica\" /></a>",
		    vl->grid, row, sim.conf.base);
	buf_adds(b, "</td>");
}
