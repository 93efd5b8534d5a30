/*
 * check_grid.c — worker/grid.c on golden pages (hand-made ones in
 * tests/unit/golden/hand/, erpsim's in tests/unit/golden/ when present),
 * on hostile input, and on a realistic 200-row page (its speed: bench/b_grid.c).
 * Run from the repository root.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlstring.h>

#include "worker/worker.h"
#include "tests/unit/gridfix.h"
#include "tests/unit/testutil.h"

#define HAND	"tests/unit/golden/hand/"
#define NBSP	"\xc2\xa0"
#define EURO	"\xe2\x82\xac"

/* Parse a golden file; fails the test unless it parses. */
static void
parse_file(const char *path, struct grid *g)
{
	char	 err[256];
	char	*html;
	size_t	 len;

	html = test_slurp(path, &len);
	ck_assert_msg(grid_parse(html, len, g, err, sizeof(err)) == 0,
	    "%s: %s", path, err);
	free(html);
}

/* The pager says page of pages, total rows, and whether Next is disabled. */
static void
check_pager(const struct grid *g, int page, int pages, int64_t total,
    int next_disabled)
{
	ck_assert_int_eq(g->page, page);
	ck_assert_int_eq(g->pages, pages);
	ck_assert_int_eq(g->total, total);
	ck_assert_int_eq(g->next_disabled, next_disabled);
}

/*
 * A grid with its ncols columns and no rows: flagged empty, page 1 of 1,
 * no rows in all, Next disabled.
 */
static void
check_empty(const struct grid *g, size_t ncols)
{
	ck_assert_int_eq(g->empty, 1);
	ck_assert_uint_eq(g->nrows, 0);
	ck_assert_ptr_null(g->rows);
	ck_assert_uint_eq(g->ncols, ncols);
	check_pager(g, 1, 1, 0, 1);
}

/* Parse a golden file that must fail; returns the error. */
static void
parse_file_fails(const char *path, char *err, size_t errlen)
{
	struct grid	 g;
	char		*html;
	size_t		 len;

	html = test_slurp(path, &len);
	ck_assert_msg(grid_parse(html, len, &g, err, errlen) == -1,
	    "%s parsed", path);
	free(html);
	ck_assert_ptr_null(g.grid_id);
	ck_assert_ptr_null(g.rows);
	ck_assert_ptr_null(g.cols);
	ck_assert_uint_eq(g.nrows, 0);
	ck_assert(err[0] != '\0');
}

static int
parse_str(const char *html, struct grid *g, char *err, size_t errlen)
{
	return grid_parse(html, strlen(html), g, err, errlen);
}

/* The cell of row r under the column with this caption. */
static const struct grid_cell *
cell_at(const struct grid *g, size_t r, const char *caption)
{
	const struct grid_column	*c;

	c = grid_column(g, caption);
	ck_assert_msg(c != NULL, "no column '%s'", caption);
	ck_assert_uint_lt(r, g->nrows);
	ck_assert_uint_lt(c->index, g->rows[r].ncells);
	return &g->rows[r].cells[c->index];
}

static const char *
text_at(const struct grid *g, size_t r, const char *caption)
{
	return cell_at(g, r, caption)->text;
}

static const char *customer_captions[] = {
	"ID", "ID PROFILO CLIENTE", "NOME", "PARTITA IVA", "CITT\xc3\x80",
	"DATA DELL'ULTIMO ORDINE", "CONTEGGI DEGLI ORDINI EFFETTIVI",
	"VENDITE PRECEDENTE", "BLOCCATO", "MODIFICATO IL",
};

static const enum col_type customer_types[] = {
	COL_INT, COL_TEXT, COL_TEXT, COL_TEXT, COL_TEXT, COL_DATE, COL_INT,
	COL_DECIMAL, COL_BOOL, COL_DATETIME,
};

START_TEST(test_hand_customers_a)
{
	static const char *fieldnames[] = {
		"ID", "ACCOUNTNUM", "NAME", "VATNUM", "CITY", "LASTORDERDATE",
		"ORDERCOUNT", "PREVSALES", "BLOCKED", "MODIFIEDDATETIME",
	};
	struct grid	 g;
	size_t		 i;

	parse_file(HAND "customers_a.html", &g);
	ck_assert_str_eq(g.grid_id, "Vertical_v1_LE_v2");
	ck_assert_str_eq(g.filter_key, "xaf_xaf_a1Free_Customers");
	ck_assert_str_eq(g.filter_caption, "Clienti liberi");
	ck_assert_uint_eq(g.nheader, 11);
	ck_assert_uint_eq(g.ncols, nitems(customer_captions));
	for (i = 0; i < g.ncols; i++) {
		ck_assert_str_eq(g.cols[i].caption, customer_captions[i]);
		ck_assert_str_eq(g.cols[i].fieldname, fieldnames[i]);
		ck_assert_uint_eq(g.cols[i].index, i + 1);
		ck_assert_int_eq(g.cols[i].sort, i == 0 ? -1 : 0);
	}
	ck_assert_uint_eq(g.nrows, 4);
	ck_assert_str_eq(g.rows[0].id, "Vertical_v1_LE_v2_DXDataRow0");
	ck_assert_str_eq(g.rows[3].id, "Vertical_v1_LE_v2_DXDataRow3");
	for (i = 0; i < g.nrows; i++)
		ck_assert_uint_eq(g.rows[i].ncells, 11);

	/* The command cell: nested table, &nbsp;, an image. */
	ck_assert_str_eq(g.rows[0].cells[0].text, NBSP);
	ck_assert_str_eq(g.rows[0].cells[0].img_src,
	    "/Archibald/DXR.axd?r=1_30");

	ck_assert_str_eq(text_at(&g, 0, "ID"), "5.712");
	ck_assert_str_eq(text_at(&g, 0, "NOME"), "Bar & Caff\xc3\xa8 L'Angolo");
	ck_assert_str_eq(text_at(&g, 0, "CITT\xc3\x80"), "Forl\xc3\xac");
	ck_assert_str_eq(text_at(&g, 0, "VENDITE PRECEDENTE"), "1.234,56");
	ck_assert_int_eq(cell_at(&g, 0, "BLOCCATO")->checkbox, 0);
	ck_assert_int_eq(cell_at(&g, 0, "NOME")->checkbox, -1);
	ck_assert_ptr_null(cell_at(&g, 0, "NOME")->img_src);
	ck_assert_str_eq(text_at(&g, 0, "MODIFICATO IL"),
	    "31/12/1999 23:59:59");

	ck_assert_str_eq(text_at(&g, 1, "NOME"), "Rossi Mario <SRL>");
	ck_assert_str_eq(text_at(&g, 1, "PARTITA IVA"), NBSP);
	ck_assert_str_eq(text_at(&g, 1, "DATA DELL'ULTIMO ORDINE"), "");
	ck_assert_int_eq(cell_at(&g, 1, "BLOCCATO")->checkbox, 1);

	ck_assert_str_eq(text_at(&g, 2, "NOME"),
	    "Societ\xc3\xa0 Agricola \"Il Sole\"");
	ck_assert_str_eq(text_at(&g, 2, "PARTITA IVA"),
	    "IT 0987\xe2\x80\x8b" "654321");
	ck_assert_str_eq(text_at(&g, 2, "CITT\xc3\x80"),
	    "Citt\xc3\xa0 di Castello");
	ck_assert_str_eq(text_at(&g, 2, "VENDITE PRECEDENTE"),
	    "234,59" NBSP EURO);

	ck_assert_str_eq(text_at(&g, 3, "ID PROFILO CLIENTE"), "C00126");
	ck_assert_str_eq(text_at(&g, 3, "NOME"), "\xf0\x9f\x98\x80 "
	    "\xc3\x9cn\xc3\xaf" "c\xc3\xb6" "d\xc3\xa9 \xe2\x80\x94 "
	    "\xe2\x80\x9cquoted\xe2\x80\x9d a" NBSP "b");

	ck_assert_int_eq(g.has_pager, 1);
	/* Next is enabled: only Prev is disabled */
	check_pager(&g, 1, 3, 55, 0);
	ck_assert_int_eq(g.empty, 0);
	grid_free(&g);
	ck_assert_ptr_null(g.rows);
	grid_free(&g);		/* a freed grid frees again harmlessly */
}
END_TEST

START_TEST(test_hand_customers_b)
{
	struct grid			 g;
	const struct grid_column	*c;

	parse_file(HAND "customers_b.html", &g);
	ck_assert_str_eq(g.grid_id, "Vertical_v1_LE_v2");
	ck_assert_str_eq(g.filter_key, "xaf_xaf_a1Free_Customers");
	ck_assert_str_eq(g.filter_caption, "Clienti liberi");
	ck_assert_uint_eq(g.nheader, 14);
	ck_assert_uint_eq(g.ncols, 11);
	/* A second "NOME" header without fieldname is not a data column. */
	ck_assert_ptr_nonnull(c = grid_column(&g, "NOME"));
	ck_assert_str_eq(c->fieldname, "NAME");
	ck_assert_uint_eq(c->index, 3);
	ck_assert_ptr_nonnull(c = grid_column(&g, "NOTE"));
	ck_assert_str_eq(c->fieldname, "NOTES");
	ck_assert_uint_eq(c->index, 4);
	ck_assert_ptr_nonnull(c = grid_column(&g, "ID"));
	ck_assert_str_eq(c->fieldname, "ID");
	ck_assert_int_eq(c->sort, 1);
	ck_assert_uint_eq(c->index, 9);
	ck_assert_ptr_nonnull(c = grid_column(&g, "MODIFICATO IL"));
	ck_assert_str_eq(c->fieldname, "MODIFIEDDATETIME");	/* FieldName= */
	ck_assert_int_eq(c->sort, 0);
	ck_assert_ptr_nonnull(c = grid_column(&g, "NOME"));
	ck_assert_int_eq(c->sort, 0);		/* an img, but no sort class */
	ck_assert_ptr_nonnull(grid_column(&g, "ID PROFILO CLIENTE"));
	ck_assert_ptr_nonnull(grid_column(&g, "VENDITE PRECEDENTE"));
	ck_assert_uint_eq(g.nrows, 4);
	ck_assert_str_eq(g.rows[0].id, "Vertical_v1_LE_v2_DXDataRow20");
	ck_assert_str_eq(text_at(&g, 0, "NOTE"), "nota lunga su due righe");
	ck_assert_str_eq(g.rows[0].cells[7].text, "Apri");
	check_pager(&g, 1, 3, 55, 0);
	grid_free(&g);
}
END_TEST

/* Compare two grids of the same data, column by column, by caption. */
static void
same_by_caption(const struct grid *a, const struct grid *b,
    const char **captions, const enum col_type *types, size_t n)
{
	struct value	 va, vb;
	char		 err[128];
	size_t		 r, i;

	ck_assert_uint_eq(a->nrows, b->nrows);
	for (r = 0; r < a->nrows; r++) {
		for (i = 0; i < n; i++) {
			const struct grid_cell *ca = cell_at(a, r, captions[i]);
			const struct grid_cell *cb = cell_at(b, r, captions[i]);

			ck_assert_msg(strcmp(ca->text, cb->text) == 0,
			    "row %zu '%s': '%s' vs '%s'", r, captions[i],
			    ca->text, cb->text);
			ck_assert_int_eq(ca->checkbox, cb->checkbox);
			ck_assert_int_eq(value_parse(types[i], ca, "http://h",
			    &va, err, sizeof(err)), 0);
			ck_assert_int_eq(value_parse(types[i], cb, "http://h",
			    &vb, err, sizeof(err)), 0);
			ck_assert_int_eq(va.kind, vb.kind);
			ck_assert(va.i == vb.i);
			ck_assert(va.r == vb.r);
			if (va.kind == VAL_TEXT)
				ck_assert_str_eq(va.s, vb.s);
			value_clear(&va);
			value_clear(&vb);
		}
	}
}

START_TEST(test_hand_layouts_agree)
{
	struct grid	 a, b;
	struct value	 v;
	char		 err[128];

	parse_file(HAND "customers_a.html", &a);
	parse_file(HAND "customers_b.html", &b);
	same_by_caption(&a, &b, customer_captions, customer_types,
	    nitems(customer_captions));

	/* And the values are the right ones. */
	ck_assert_int_eq(value_parse(COL_INT, cell_at(&b, 0, "ID"), NULL, &v,
	    err, sizeof(err)), 0);
	ck_assert_int_eq(v.i, 5712);
	ck_assert_int_eq(value_parse(COL_DECIMAL, cell_at(&b, 2,
	    "VENDITE PRECEDENTE"), NULL, &v, err, sizeof(err)), 0);
	ck_assert_double_eq(v.r, 234.59);
	ck_assert_int_eq(value_parse(COL_TEXT, cell_at(&b, 1, "PARTITA IVA"),
	    NULL, &v, err, sizeof(err)), 0);
	ck_assert_int_eq(v.kind, VAL_NULL);
	ck_assert_int_eq(value_parse(COL_DATE, cell_at(&b, 3,
	    "DATA DELL'ULTIMO ORDINE"), NULL, &v, err, sizeof(err)), 0);
	ck_assert_int_eq(v.kind, VAL_NULL);
	ck_assert_int_eq(value_parse(COL_BOOL, cell_at(&b, 3, "BLOCCATO"),
	    NULL, &v, err, sizeof(err)), 0);
	ck_assert_int_eq(v.i, 1);
	ck_assert_int_eq(value_parse(COL_DATETIME, cell_at(&a, 2,
	    "MODIFICATO IL"), NULL, &v, err, sizeof(err)), 0);
	ck_assert_str_eq(v.s, "2023-06-15T08:05:09");
	value_clear(&v);
	grid_free(&a);
	grid_free(&b);
}
END_TEST

START_TEST(test_hand_products_callback)
{
	struct grid	 g;
	struct value	 v;
	char		 err[128];

	parse_file(HAND "products_callback.html", &g);
	ck_assert_str_eq(g.grid_id, "Vertical_v3_LE_v9");
	ck_assert_ptr_null(g.filter_key);
	ck_assert_ptr_null(g.filter_caption);
	ck_assert_uint_eq(g.nheader, 5);
	ck_assert_uint_eq(g.ncols, 5);
	ck_assert_int_eq(grid_column(&g, "NOME ARTICOLO")->sort, -1);
	ck_assert_uint_eq(grid_column(&g, "NOME ARTICOLO")->index, 1);
	ck_assert_ptr_nonnull(grid_column(&g, "QT\xc3\x80 MINIMA"));
	ck_assert_uint_eq(g.nrows, 4);
	ck_assert_str_eq(text_at(&g, 0, "NOME ARTICOLO"), "Vite 3x10 <inox>");
	ck_assert_str_eq(cell_at(&g, 0, "IMMAGINE")->img_src,
	    "/Archibald/Images/A-001.jpg");
	ck_assert_str_eq(cell_at(&g, 1, "IMMAGINE")->img_src,
	    "Images/A-002.jpg?w=64&h=64");
	ck_assert_str_eq(cell_at(&g, 2, "IMMAGINE")->img_src,
	    "https://cdn.example.com/A-003.png");
	ck_assert_ptr_null(cell_at(&g, 3, "IMMAGINE")->img_src);

	ck_assert_int_eq(value_parse(COL_IMAGE, cell_at(&g, 0, "IMMAGINE"),
	    "http://127.0.0.1:8181", &v, err, sizeof(err)), 0);
	ck_assert_str_eq(v.s,
	    "http://127.0.0.1:8181/Archibald/Images/A-001.jpg");
	value_clear(&v);
	ck_assert_int_eq(value_parse(COL_IMAGE, cell_at(&g, 3, "IMMAGINE"),
	    "http://127.0.0.1:8181", &v, err, sizeof(err)), 0);
	ck_assert_int_eq(v.kind, VAL_NULL);
	ck_assert_int_eq(value_parse(COL_DECIMAL, cell_at(&g, 3,
	    "QT\xc3\x80 MINIMA"), NULL, &v, err, sizeof(err)), 0);
	ck_assert_double_eq(v.r, 1234567.89);

	ck_assert_int_eq(g.has_pager, 1);
	/* Next is disabled: its grandparent is */
	check_pager(&g, 12, 12, 2204, 1);
	grid_free(&g);
}
END_TEST

START_TEST(test_hand_empty)
{
	struct grid	 g;

	parse_file(HAND "empty.html", &g);
	check_empty(&g, 2);
	ck_assert_uint_eq(g.nheader, 3);
	ck_assert_str_eq(g.filter_key, "xaf_xaf_a1ListViewSalesTableOrdersAll");
	ck_assert_str_eq(g.filter_caption, "Tutti gli ordini");
	grid_free(&g);
}
END_TEST

START_TEST(test_hand_errors)
{
	char	 err[256];

	parse_file_fails(HAND "err_mismatch.html", err, sizeof(err));
	ck_assert_str_eq(err, "data row 'G_DXDataRow1' has 2 cells, the header "
	    "row has 3");
	parse_file_fails(HAND "err_nogrid.html", err, sizeof(err));
	ck_assert_ptr_nonnull(strstr(err, "no grid control"));
	parse_file_fails(HAND "err_twogrids.html", err, sizeof(err));
	ck_assert_ptr_nonnull(strstr(err, "2 grid controls"));
	parse_file_fails(HAND "err_pager.html", err, sizeof(err));
	ck_assert_ptr_nonnull(strstr(err, "'Page 1 of 3 (55 items)'"));
	parse_file_fails(HAND "err_noheader.html", err, sizeof(err));
	ck_assert_ptr_nonnull(strstr(err, "no header row"));
}
END_TEST

/* A small grid page around a pager summary. */
static char *
pager_page(const char *summary, const char *next)
{
	char	*s;

	xasprintf(&s, "<div class=\"dxgvControl_XafTheme\" id=\"G\"><table>"
	    "<tr id=\"G_DXHeadersRow0\"><td fieldname=\"ID\">ID</td></tr>"
	    "<tr id=\"G_DXDataRow0\"><td>1</td></tr></table>"
	    "<div class=\"dxpLite_XafTheme\"><b class=\"dxp-summary\">%s</b>"
	    "%s</div></div>", summary, next);
	return s;
}

START_TEST(test_pager_summaries)
{
	static const struct {
		const char	*summary;
		int64_t		 page, pages, total;
	} good[] = {
		{ "Pagina 1 di 3 (55 elementi)", 1, 3, 55 },
		{ "Pagina 286 di 286 (5.712 elementi)", 286, 286, 5712 },
		{ "Pagina 1 di 1.234 (24.680 elementi)", 1, 1234, 24680 },
		{ "Pagina 1 di 1 (1 elemento)", 1, 1, 1 },
		{ "Pagina 1 di 1 (0 elementi)", 1, 1, 0 },
		{ " Pagina\n1  di\t3 (55\nelementi) ", 1, 3, 55 },
		{ "Pagina" NBSP "2 di 3" NBSP "(55 elementi)" NBSP, 2, 3, 55 },
		{ "Pagina 1 di 3 (1.234.567 elementi)", 1, 3, 1234567 },
	};
	static const char *bad[] = {
		"",
		"Pagina 0 di 3 (55 elementi)",
		"Pagina 4 di 3 (55 elementi)",
		"Pagina 1 di 3 (5,5 elementi)",
		"Pagina 1 di 3 (55 elementi) x",
		"Pagina 1 di 3",
		"Pagina 1 di 3 (55)",
		"Pagina -1 di 3 (55 elementi)",
		"Pagina 1 di 3 (55.12 elementi)",
		"Page 1 of 3 (55 items)",
		"Pagina uno di 3 (55 elementi)",
		"Pagina 1 di 3 (99999999999999999999 elementi)",
		"pagina 1 di 3 (55 elementi)",
		"Pagina 1 di 3 (-55 elementi)",
		"Pagina 1di 3 (55 elementi)",
	};
	struct grid	 g;
	char		 err[256];
	char		*page;
	size_t		 i;

	for (i = 0; i < nitems(good); i++) {
		page = pager_page(good[i].summary, "");
		ck_assert_msg(parse_str(page, &g, err, sizeof(err)) == 0,
		    "'%s': %s", good[i].summary, err);
		ck_assert_int_eq(g.page, good[i].page);
		ck_assert_int_eq(g.pages, good[i].pages);
		ck_assert_int_eq(g.total, good[i].total);
		ck_assert_int_eq(g.has_pager, 1);
		grid_free(&g);
		free(page);
	}
	for (i = 0; i < nitems(bad); i++) {
		page = pager_page(bad[i], "");
		ck_assert_msg(parse_str(page, &g, err, sizeof(err)) == -1,
		    "'%s' parsed", bad[i]);
		ck_assert_ptr_nonnull(strstr(err, "pager"));
		ck_assert_ptr_null(g.rows);
		free(page);
	}
}
END_TEST

START_TEST(test_pager_next)
{
	static const struct {
		const char	*markup;
		int		 disabled;
	} cases[] = {
		{ "<a class=\"dxp-button\"><img alt=\"Next\" src=n></a>", 0 },
		{ "<a class=\"dxp-button dxp-disabled\"><img alt=Next></a>",
		  1 },
		{ "<img class=\"dxp-disabled\" alt=\"Next\">", 1 },
		{ "<div class=dxp-disabled><p><a><img alt=Next></a></p></div>",
		  1 },
		{ "<a class=\"dxp-disabledX\"><img alt=\"Next\"></a>", 0 },
		{ "<a class=\"xdxp-disabled\"><img alt=\"Next\"></a>", 0 },
		{ "<a class=\"dxp-disabled\"><img alt=\"Prev\"></a>"
		  "<a><img alt=\"Next\"></a>", 0 },
		{ "<a><img alt=\"next\"></a>", 1 },	/* no Next at all */
		{ "", 1 },
	};
	struct grid	 g;
	char		 err[256];
	char		*page;
	size_t		 i;

	for (i = 0; i < nitems(cases); i++) {
		page = pager_page("Pagina 1 di 3 (55 elementi)",
		    cases[i].markup);
		ck_assert_int_eq(parse_str(page, &g, err, sizeof(err)), 0);
		ck_assert_msg(g.next_disabled == cases[i].disabled,
		    "%s: next_disabled %d", cases[i].markup, g.next_disabled);
		grid_free(&g);
		free(page);
	}

	/* A disabled element around the whole grid is outside the pager. */
	xasprintf(&page, "<div class=\"dxp-disabled\">%s</div>",
	    "<div class=\"dxgvControl_XafTheme\" id=\"G\"><table>"
	    "<tr id=\"G_DXHeadersRow0\"><td fieldname=\"ID\">ID</td></tr>"
	    "</table><div class=\"dxpLite_XafTheme\"><b class=\"dxp-summary\">"
	    "Pagina 1 di 3 (55 elementi)</b><a><img alt=\"Next\"></a>"
	    "</div></div>");
	ck_assert_int_eq(parse_str(page, &g, err, sizeof(err)), 0);
	ck_assert_int_eq(g.next_disabled, 0);
	grid_free(&g);
	free(page);
}
END_TEST

START_TEST(test_no_pager)
{
	struct grid	 g;
	char		 err[256];

	/* A pager class that is only a prefix is not a pager. */
	ck_assert_int_eq(parse_str("<div class=\"dxgvControl_XafTheme\" id=G>"
	    "<table><tr id=G_DXHeadersRow0><td fieldname=A>A</td></tr>"
	    "<tr id=G_DXDataRow0><td>x</td></tr>"
	    "<tr id=G_DXDataRow1><td>y</td></tr></table>"
	    "<div class=\"dxpLite_XafThemeOld\"><b class=dxp-summary>junk</b>"
	    "</div></div>", &g, err, sizeof(err)), 0);
	ck_assert_int_eq(g.has_pager, 0);
	check_pager(&g, 1, 1, 2, 1);
	grid_free(&g);

	ck_assert_int_eq(parse_str("<div class=\"dxgvControl_XafTheme\" id=G>"
	    "<div class=dxpLite_XafTheme><b>no summary</b></div></div>",
	    &g, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "no header row"));
	ck_assert_int_eq(parse_str("<div class=\"dxgvControl_XafTheme\" id=G>"
	    "<table><tr id=G_DXHeadersRow0><td fieldname=A>A</td></tr></table>"
	    "<div class=dxpLite_XafTheme><b>no summary</b></div></div>",
	    &g, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "no summary"));
}
END_TEST

START_TEST(test_markup_corners)
{
	struct grid			 g;
	const struct grid_column	*c;
	char				 err[256];

	/* Whole class tokens; script text is not cell text; rows by id. */
	ck_assert_int_eq(parse_str(
	    "<table class='a\tdxgvControl_XafTheme\nb' id='G'>"
	    "<tr id='G_DXHeadersRow0'>"
	    "<td class='dxgvHeader_XafTheme' fieldname=''>EMPTY</td>"
	    "<td class='dxgvHeader_XafTheme' fieldname='A'></td>"
	    "<td fieldname='B'>  B  <br> b <script>var x='<td>';</script></td>"
	    "<th fieldname='C'>C</th>"
	    "</tr>"
	    "<tr id='G_DXDataRowX'><td>1<script>document.write('2')</script>"
	    "<style>td{}</style></td>"
	    "<td><span class='CheckBoxChecked'>a</span>"
	    "<span class='CheckBoxUnchecked'>b</span></td>"
	    "<td><img><img src=''><img src='/second'></td><th>ignored</th></tr>"
	    "<tr id='G_DXDataRow'><td></td><td></td><td></td></tr>"
	    "<tr id='other'><td>not a row</td></tr>"
	    "<tr><td>no id</td></tr>"
	    "</table>", &g, err, sizeof(err)), 0);
	ck_assert_str_eq(g.grid_id, "G");
	ck_assert_uint_eq(g.nheader, 3);	/* th is not a td */
	ck_assert_uint_eq(g.ncols, 2);		/* empty fieldname is none */
	ck_assert_ptr_nonnull(c = grid_column(&g, ""));
	ck_assert_str_eq(c->fieldname, "A");
	ck_assert_ptr_nonnull(c = grid_column(&g, "B b"));
	ck_assert_uint_eq(c->index, 2);
	ck_assert_ptr_null(grid_column(&g, "b b"));	/* exact caption */
	ck_assert_ptr_null(grid_column(&g, "B"));	/* not a fieldname */
	ck_assert_uint_eq(g.nrows, 2);
	ck_assert_str_eq(g.rows[0].cells[0].text, "1");
	ck_assert_int_eq(g.rows[0].cells[1].checkbox, 1);	/* first span */
	ck_assert_str_eq(g.rows[0].cells[1].text, "ab");
	ck_assert_str_eq(g.rows[0].cells[2].img_src, "");	/* first src */
	ck_assert_str_eq(g.rows[1].id, "G_DXDataRow");
	ck_assert_int_eq(g.empty, 0);
	grid_free(&g);

	/* An empty row next to data rows: not empty. */
	ck_assert_int_eq(parse_str("<div class=dxgvControl_XafTheme id=G>"
	    "<table><tr id=G_DXHeadersRow0><td fieldname=A>A</td></tr>"
	    "<tr id=G_DXEmptyRow><td>Nessun dato</td></tr>"
	    "<tr id=G_DXDataRow0><td>x</td></tr></table></div>",
	    &g, err, sizeof(err)), 0);
	ck_assert_int_eq(g.empty, 0);
	ck_assert_uint_eq(g.nrows, 1);
	grid_free(&g);

	/* A grid control without an id cannot take callbacks. */
	ck_assert_int_eq(parse_str("<div class=dxgvControl_XafTheme><table>"
	    "<tr id=G_DXHeadersRow0><td fieldname=A>A</td></tr></table></div>",
	    &g, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "grid control has no id");

	/* A grid nested in a cell is a second grid. */
	ck_assert_int_eq(parse_str("<div class=dxgvControl_XafTheme id=G>"
	    "<table><tr id=G_DXHeadersRow0><td fieldname=A>A</td></tr>"
	    "<tr id=G_DXDataRow0><td><div class=dxgvControl_XafTheme id=H>"
	    "</div></td></tr></table></div>", &g, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "2 grid controls"));

	/* Filter inputs outside the grid control are not the grid's. */
	ck_assert_int_eq(parse_str("<input id=X_Cb_I value=Fuori>"
	    "<input type=hidden id=X_Cb_VI value=fuori>"
	    "<div class=dxgvControl_XafTheme id=G><table>"
	    "<tr id=G_DXHeadersRow0><td fieldname=A>A</td></tr></table>"
	    "<input id=G_Cb_I><input type=hidden id=G_Cb_VI value=''></div>",
	    &g, err, sizeof(err)), 0);
	ck_assert_str_eq(g.filter_caption, "");
	ck_assert_str_eq(g.filter_key, "");
	grid_free(&g);
}
END_TEST

/* Every string of a parsed grid is valid UTF-8 (libxml2's own check). */
static void
check_utf8(const struct grid *g)
{
	size_t	 i, j;

	ck_assert(xmlCheckUTF8((const xmlChar *)g->grid_id));
	for (i = 0; i < g->ncols; i++) {
		ck_assert(xmlCheckUTF8((const xmlChar *)g->cols[i].caption));
		ck_assert(xmlCheckUTF8((const xmlChar *)g->cols[i].fieldname));
	}
	for (i = 0; i < g->nrows; i++) {
		ck_assert(xmlCheckUTF8((const xmlChar *)g->rows[i].id));
		for (j = 0; j < g->rows[i].ncells; j++)
			ck_assert(xmlCheckUTF8(
			    (const xmlChar *)g->rows[i].cells[j].text));
	}
}

START_TEST(test_hostile)
{
	static const struct {
		const char	*html;
		int		 rc;
	} pages[] = {
		{ "<", -1 },
		{ "<<<>>>", -1 },
		{ "\0\0\0", -1 },
		{ "</div></table></tr>", -1 },
		{ "<div class=dxgvControl_XafTheme id=G", -1 },
		{ "<div class=\"dxgvControl_XafTheme id=G>", -1 },
		{ "<!-- <div class=dxgvControl_XafTheme id=G> -->", -1 },
		{ "<![CDATA[<div class=dxgvControl_XafTheme id=G>]]>", -1 },
		{ "<?xml version='1.0' encoding='ISO-8859-1'?><div "
		  "class=dxgvControl_XafTheme id=G></div>", -1 },
		/* Not UTF-8 (and a charset that is not obeyed): U+FFFD. */
		{ "<div class=dxgvControl_XafTheme id=G><table>"
		  "<tr id=G_DXHeadersRow0>"
		  "<td fieldname=A>\xff\xfe\xc3(\xe2\x82</td></tr>"
		  "<tr id=G_DXDataRow0>"
		  "<td>\xed\xa0\x80\xf4\x90\x80\x80\xc0\xaf</td></tr>", 0 },
		{ "<meta charset=\"windows-1252\">"
		  "<div class=dxgvControl_XafTheme id=G><table>"
		  "<tr id=G_DXHeadersRow0><td fieldname=\xe8>\xe8 ok</td>"
		  "</tr></table></div>", 0 },
	};
	struct grid	 g;
	char		 err[256];
	size_t		 i, len;

	ck_assert_int_eq(grid_parse(NULL, 0, &g, err, sizeof(err)), -1);
	ck_assert_int_eq(grid_parse("", 0, &g, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "empty page");
	ck_assert_int_eq(grid_parse("x", 1, &g, NULL, 0), -1);
	for (i = 0; i < nitems(pages); i++) {
		len = strlen(pages[i].html) ? strlen(pages[i].html) : 3;
		err[0] = '\0';
		ck_assert_msg(grid_parse(pages[i].html, len, &g, err,
		    sizeof(err)) == pages[i].rc, "page %zu: '%s'", i, err);
		if (pages[i].rc == -1) {
			ck_assert(err[0] != '\0');
			continue;
		}
		check_utf8(&g);
		grid_free(&g);
	}

	ck_assert_int_eq(grid_parse(pages[10].html, strlen(pages[10].html),
	    &g, err, sizeof(err)), 0);
	ck_assert_str_eq(g.cols[0].caption, "\xef\xbf\xbd ok");
	grid_free(&g);
}
END_TEST

/* Every prefix of a real page parses or fails cleanly (cut responses). */
START_TEST(test_truncated)
{
	struct grid	 g;
	char		 err[256];
	char		*html;
	size_t		 len, cut, ok = 0;

	html = test_slurp(HAND "customers_a.html", &len);
	for (cut = 1; cut < len; cut += 7) {
		if (grid_parse(html, cut, &g, err, sizeof(err)) == 0) {
			ck_assert_uint_le(g.nrows, 4);
			ok++;
			grid_free(&g);
		}
	}
	ck_assert_uint_gt(ok, 0);	/* late cuts still find the grid */
	free(html);
}
END_TEST

/* Deep nesting inside a cell neither crashes nor blows the stack. */
START_TEST(test_deep)
{
	struct grid	 g;
	struct buf	 b;
	char		 err[256];
	int		 i;

	buf_init(&b);
	buf_adds(&b, "<div class=dxgvControl_XafTheme id=G><table>"
	    "<tr id=G_DXHeadersRow0><td fieldname=A>A</td></tr>"
	    "<tr id=G_DXDataRow0><td>");
	for (i = 0; i < 100000; i++)
		buf_adds(&b, "<span><b>");
	buf_adds(&b, "deep");
	buf_adds(&b, "</td></tr></table></div>");
	if (grid_parse(b.data, b.len, &g, err, sizeof(err)) == 0)
		grid_free(&g);
	buf_free(&b);
}
END_TEST

START_TEST(test_big_page)
{
	struct grid	 g;
	struct buf	 b;
	char		 err[256], want[64];

	buf_init(&b);
	big_page(&b, 200);
	ck_assert_uint_gt(b.len, 400000);
	ck_assert_msg(grid_parse(b.data, b.len, &g, err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert_uint_eq(g.nrows, 200);
	ck_assert_uint_eq(g.ncols, 21);
	ck_assert_uint_eq(g.nheader, 22);
	ck_assert_int_eq(g.total, 5712);
	ck_assert_str_eq(g.filter_key, "xaf_xaf_a0All_Customers");
	ck_assert_str_eq(text_at(&g, 199, "COLONNA 20"),
	    "Valore 20" NBSP "r199 & Caff\xc3\xa8 199.020,20");
	snprintf(want, sizeof(want), "Valore 7" NBSP "r123 & Caff\xc3\xa8 "
	    "123.007,07");
	ck_assert_str_eq(text_at(&g, 123, "COLONNA 7"), want);
	grid_free(&g);
	buf_free(&b);
}
END_TEST

/* erpsim's golden pages (tests/unit/golden/README has the recipe). */
#define SIM	"tests/unit/golden/erpsim/"

/* Customers columns of contract §6: caption, fieldname, type. */
static const struct {
	const char	*caption;
	const char	*fieldname;
	enum col_type	 type;
} customer_cols[] = {
	{ "ID", "ID", COL_INT },
	{ "ID PROFILO CLIENTE", "ACCOUNTNUM", COL_TEXT },
	{ "NOME", "NAME", COL_TEXT },
	{ "PARTITA IVA", "VATNUM", COL_TEXT },
	{ "PEC", "PEC", COL_TEXT },
	{ "SDI", "SDI", COL_TEXT },
	{ "CODICE FISCALE", "FISCALCODE", COL_TEXT },
	{ "TERMINI DI CONSEGNA", "DLVTERM", COL_TEXT },
	{ "VIA", "STREET", COL_TEXT },
	{ "CAP", "ZIPCODE", COL_TEXT },
	{ "CITT\xc3\x80", "CITY", COL_TEXT },
	{ "TELEFONO", "PHONE", COL_TEXT },
	{ "CELLULARE", "CELLPHONE", COL_TEXT },
	{ "URL", "URL", COL_TEXT },
	{ "ALL'ATTENZIONE DI", "ATTENTION", COL_TEXT },
	{ "DATA DELL'ULTIMO ORDINE", "LASTORDERDATE", COL_DATE },
	{ "CONTEGGI DEGLI ORDINI EFFETTIVI", "ORDERCOUNT", COL_INT },
	{ "VENDITE PRECEDENTE", "PREVSALES", COL_DECIMAL },
	{ "BLOCCATO", "BLOCKED", COL_BOOL },
	{ "MODIFICATO IL", "MODIFIEDDATETIME", COL_DATETIME },
};

/* Every contract column is there, under its caption and fieldname. */
static void
check_customer_columns(const struct grid *g)
{
	const struct grid_column	*c;
	size_t				 i;

	for (i = 0; i < nitems(customer_cols); i++) {
		c = grid_column(g, customer_cols[i].caption);
		ck_assert_msg(c != NULL, "no column '%s'",
		    customer_cols[i].caption);
		ck_assert_str_eq(c->fieldname, customer_cols[i].fieldname);
	}
}

/* The value of row r's cell under caption; fails the test on a parse error. */
static void
value_at(const struct grid *g, size_t r, const char *caption,
    enum col_type type, struct value *v)
{
	char	 err[128];

	ck_assert_msg(value_parse(type, cell_at(g, r, caption),
	    "http://127.0.0.1:8181", v, err, sizeof(err)) == 0,
	    "row %zu '%s': %s", r, caption, err);
}

/* Every typed cell of every row parses. */
static void
check_customer_values(const struct grid *g)
{
	struct value	 v;
	size_t		 r, i;

	for (r = 0; r < g->nrows; r++)
		for (i = 0; i < nitems(customer_cols); i++) {
			value_at(g, r, customer_cols[i].caption,
			    customer_cols[i].type, &v);
			value_clear(&v);
		}
}

START_TEST(test_sim_customers_l0)
{
	struct grid	 g;
	struct value	 v;

	parse_file(SIM "customers_l0.html", &g);
	ck_assert_str_eq(g.grid_id, "Vertical_v1_LE_v2");
	ck_assert_str_eq(g.filter_key, "xaf_xaf_a1Free_Customers");
	ck_assert_str_eq(g.filter_caption, "Clienti liberi");
	check_pager(&g, 1, 2, 33, 0);
	ck_assert_int_eq(g.empty, 0);
	ck_assert_uint_eq(g.nheader, 21);	/* one command cell */
	ck_assert_uint_eq(g.ncols, 20);
	ck_assert_uint_eq(g.nrows, 20);
	check_customer_columns(&g);
	check_customer_values(&g);
	ck_assert_str_eq(g.rows[0].id, "Vertical_v1_LE_v2_DXDataRow0");
	ck_assert_int_eq(g.rows[0].cells[0].checkbox, 0);	/* select box */

	value_at(&g, 0, "ID", COL_INT, &v);
	ck_assert_int_eq(v.i, 11065);
	ck_assert_str_eq(text_at(&g, 0, "ID PROFILO CLIENTE"), "C00392");
	ck_assert_str_eq(text_at(&g, 0, "NOME"),
	    "Studio Associato Colombo S.R.L.");
	ck_assert_str_eq(text_at(&g, 0, "CITT\xc3\x80"), "Patern\xc3\xb2");
	value_at(&g, 0, "URL", COL_TEXT, &v);
	ck_assert_int_eq(v.kind, VAL_NULL);	/* &nbsp; */
	value_at(&g, 0, "DATA DELL'ULTIMO ORDINE", COL_DATE, &v);
	ck_assert_str_eq(v.s, "2022-12-31");
	value_clear(&v);
	value_at(&g, 0, "CONTEGGI DEGLI ORDINI EFFETTIVI", COL_INT, &v);
	ck_assert_int_eq(v.i, 1);
	value_at(&g, 0, "VENDITE PRECEDENTE", COL_DECIMAL, &v);
	ck_assert_double_eq(v.r, 95.0);
	value_at(&g, 0, "BLOCCATO", COL_BOOL, &v);
	ck_assert_int_eq(v.i, 1);
	value_at(&g, 0, "MODIFICATO IL", COL_DATETIME, &v);
	ck_assert_str_eq(v.s, "2023-02-13T23:57:26");
	value_clear(&v);

	value_at(&g, 1, "VENDITE PRECEDENTE", COL_DECIMAL, &v);
	ck_assert_double_eq(v.r, -26320.0);
	value_at(&g, 1, "BLOCCATO", COL_BOOL, &v);
	ck_assert_int_eq(v.i, 0);
	value_at(&g, 1, "TERMINI DI CONSEGNA", COL_TEXT, &v);
	ck_assert_int_eq(v.kind, VAL_NULL);
	ck_assert_str_eq(text_at(&g, 2, "TERMINI DI CONSEGNA"),
	    "Franco destino (spese > 150,00 \xe2\x82\xac a carico ns.)");
	ck_assert_str_eq(text_at(&g, 2, "ALL'ATTENZIONE DI"),
	    "Sig. Benedetta Sciarr\xc3\xa0");
	grid_free(&g);
}
END_TEST

/*
 * Layouts 0 and 3 of the same data: other columns, order, ids, markup and
 * entities, and (the ERP's order not being stable) partly other rows. Every
 * row both show must read the same, column by column, by caption.
 */
START_TEST(test_sim_layouts_agree)
{
	struct grid	 a, b;
	struct value	 va, vb;
	size_t		 ra, rb, i, shared = 0;
	const char	*key = "ID PROFILO CLIENTE";

	parse_file(SIM "customers_l0.html", &a);
	parse_file(SIM "customers_l3.html", &b);
	ck_assert_str_eq(b.grid_id, "Vertical_v17_LE_v18");
	ck_assert_uint_eq(b.nheader, 24);
	ck_assert_uint_gt(b.ncols, 20);		/* extra columns */
	ck_assert_str_eq(b.filter_key, a.filter_key);
	ck_assert_int_eq(b.total, a.total);
	ck_assert_uint_eq(b.nrows, a.nrows);
	check_customer_columns(&b);
	check_customer_values(&b);
	/* Another layout, really: the columns are elsewhere. */
	ck_assert_uint_ne(grid_column(&a, "NOME")->index,
	    grid_column(&b, "NOME")->index);

	for (ra = 0; ra < a.nrows; ra++) {
		for (rb = 0; rb < b.nrows; rb++)
			if (strcmp(text_at(&a, ra, key), text_at(&b, rb, key))
			    == 0)
				break;
		if (rb == b.nrows)
			continue;
		shared++;
		for (i = 0; i < nitems(customer_cols); i++) {
			value_at(&a, ra, customer_cols[i].caption,
			    customer_cols[i].type, &va);
			value_at(&b, rb, customer_cols[i].caption,
			    customer_cols[i].type, &vb);
			ck_assert_msg(va.kind == vb.kind && va.i == vb.i &&
			    va.r == vb.r && (va.kind != VAL_TEXT ||
			    strcmp(va.s, vb.s) == 0), "%s '%s': '%s' vs '%s'",
			    text_at(&a, ra, key), customer_cols[i].caption,
			    cell_at(&a, ra, customer_cols[i].caption)->text,
			    cell_at(&b, rb, customer_cols[i].caption)->text);
			value_clear(&va);
			value_clear(&vb);
		}
	}
	ck_assert_uint_ge(shared, 5);
	grid_free(&a);
	grid_free(&b);
}
END_TEST

START_TEST(test_sim_sorted_callback)
{
	struct grid			 g;
	struct value			 v;
	const struct grid_column	*c;
	int64_t				 prev = INT64_MAX;
	size_t				 r, i;

	parse_file(SIM "customers_l5_sorted_cb.html", &g);
	ck_assert_str_eq(g.grid_id, "Vertical_v9_LE_v10");
	ck_assert_str_eq(g.filter_key, "xaf_xaf_a0All_Customers");
	ck_assert_str_eq(g.filter_caption, "Tutti i clienti");
	check_pager(&g, 1, 6, 120, 0);
	ck_assert_uint_eq(g.nrows, 20);
	check_customer_columns(&g);
	check_customer_values(&g);
	for (i = 0; i < g.ncols; i++) {
		c = &g.cols[i];
		ck_assert_int_eq(c->sort, strcmp(c->caption, "ID") == 0 ?
		    -1 : 0);
	}
	for (r = 0; r < g.nrows; r++) {
		value_at(&g, r, "ID", COL_INT, &v);
		ck_assert_int_lt(v.i, prev);
		prev = v.i;
	}
	ck_assert_int_eq(prev, 11410);
	grid_free(&g);
}
END_TEST

START_TEST(test_sim_empty)
{
	struct grid	 g;

	parse_file(SIM "customers_empty_cb.html", &g);
	check_empty(&g, 20);
	check_customer_columns(&g);
	grid_free(&g);
}
END_TEST

START_TEST(test_sim_prices_last)
{
	struct grid	 g;
	struct value	 v;

	parse_file(SIM "prices_last_cb.html", &g);
	ck_assert_ptr_null(g.filter_key);
	check_pager(&g, 3, 3, 45, 1);
	ck_assert_uint_eq(g.nrows, 5);
	ck_assert_str_eq(text_at(&g, 0, "ID"), "5637169915");
	value_at(&g, 0, "IMPORTO", COL_DECIMAL, &v);
	ck_assert_double_eq(v.r, 62111.95);
	value_at(&g, 1, "DATA", COL_DATE, &v);
	ck_assert_int_eq(v.kind, VAL_NULL);
	value_at(&g, 4, "DA DATA", COL_DATE, &v);
	ck_assert_str_eq(v.s, "2022-04-18");
	value_clear(&v);
	grid_free(&g);
}
END_TEST

/* The filter fell back to the default: the page says so. */
START_TEST(test_sim_orders_reset)
{
	struct grid	 g;
	struct value	 v;

	parse_file(SIM "orders_reset_cb.html", &g);
	ck_assert_str_eq(g.filter_key,
	    "xaf_xaf_a0ListViewSalesTableOrdersOpen");
	ck_assert_str_eq(g.filter_caption, "Ordini aperti");
	check_pager(&g, 2, 2, 37, 1);
	ck_assert_uint_eq(g.nrows, 17);
	/* The order id stays text, as shown. */
	ck_assert_str_eq(text_at(&g, 0, "ID"), "57.060");
	value_at(&g, 0, "IMPORTO TOTALE", COL_DECIMAL, &v);
	ck_assert_double_eq(v.r, 590.93);
	value_at(&g, 0, "APPLICA SCONTO %", COL_DECIMAL, &v);
	ck_assert_double_eq(v.r, 10.0);
	value_at(&g, 0, "DATA DI CREAZIONE", COL_DATETIME, &v);
	ck_assert_str_eq(v.s, "2024-04-12T13:44:45");
	value_clear(&v);
	grid_free(&g);
}
END_TEST

START_TEST(test_sim_products)
{
	struct grid	 g;
	struct value	 v;
	size_t		 r, images = 0;

	parse_file(SIM "products_l0.html", &g);
	ck_assert_ptr_null(g.filter_key);
	ck_assert_int_eq(g.total, 60);
	ck_assert_uint_eq(g.nrows, 20);
	ck_assert_str_eq(text_at(&g, 0, "ID ARTICOLO"), "H1SE.100.212");
	value_at(&g, 0, "IMMAGINE", COL_IMAGE, &v);
	ck_assert_str_eq(v.s,
	    "http://127.0.0.1:8181/Archibald/img/H1SE.100.212.jpg");
	value_clear(&v);
	value_at(&g, 1, "IMMAGINE", COL_IMAGE, &v);
	ck_assert_int_eq(v.kind, VAL_NULL);
	value_at(&g, 2, "QT\xc3\x80 MINIMA", COL_DECIMAL, &v);
	ck_assert_double_eq(v.r, 0.5);
	ck_assert_str_eq(text_at(&g, 4, "NOME ARTICOLO"),
	    "FRESA \xc3\x98 1,4 & LUC. FG.XF 9-271.400");
	ck_assert_str_eq(text_at(&g, 6, "NOME ARTICOLO"),
	    "KIT \"ENDO\" <PRO> - RA 378");
	for (r = 0; r < g.nrows; r++) {
		value_at(&g, r, "IMMAGINE", COL_IMAGE, &v);
		if (v.kind == VAL_TEXT) {
			images++;
			ck_assert(strncmp(v.s, "http://127.0.0.1:8181/", 22)
			    == 0);
		}
		value_clear(&v);
	}
	ck_assert_uint_gt(images, 0);
	ck_assert_uint_lt(images, g.nrows);
	grid_free(&g);
}
END_TEST

/* A login page has no grid: a contract error, not a crash. */
START_TEST(test_sim_login_no_grid)
{
	char	 err[256];

	parse_file_fails(SIM "login.html", err, sizeof(err));
	ck_assert_ptr_nonnull(strstr(err, "no grid control"));
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("grid");

	test_case(s, "hand", test_hand_customers_a, test_hand_customers_b,
	    test_hand_layouts_agree, test_hand_products_callback,
	    test_hand_empty, test_hand_errors, NULL);
	test_case(s, "erpsim", test_sim_customers_l0, test_sim_layouts_agree,
	    test_sim_sorted_callback, test_sim_empty, test_sim_prices_last,
	    test_sim_orders_reset, test_sim_products, test_sim_login_no_grid,
	    NULL);
	test_case(s, "markup", test_pager_summaries, test_pager_next,
	    test_no_pager, test_markup_corners, NULL);
	tcase_set_timeout(test_case(s, "hostile", test_hostile, test_truncated,
	    test_deep, NULL), 60);
	tcase_set_timeout(test_case(s, "speed", test_big_page, NULL), 60);
	return test_run(s);
}
