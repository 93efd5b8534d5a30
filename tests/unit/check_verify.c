/*
 * check_verify.c — worker/verify.c: is a parsed grid the page the sync
 * asked for? Each check against a grid that is right, then the same grid
 * wrong in one way: the filter, the sort, the pager, the page number, the
 * row count, and the cases that are not checked (an empty grid, a page past
 * the last after the ERP shrank).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "worker/worker.h"
#include "tests/unit/testutil.h"

#define SIZE	100	/* the run's page size */

static struct grid_column	 cols[] = {
	/* customers: sorted by ID descending */
	{ (char *)"ID", (char *)"ID", -1, 1 },
	{ (char *)"NOME", (char *)"NAME", 0, 2 },
	{ (char *)"MODIFICATO IL", (char *)"MODIFIEDDATETIME", 0, 3 },
};
static struct grid_row		 rows[SIZE];

/*
 * Page 3 (0-based 2) of customers: 250 elements in 3 pages, so 50 rows,
 * with the view's predefined filter, sorted as the view sorts.
 */
static struct grid
page3(void)
{
	struct grid	 g;

	memset(&g, 0, sizeof g);
	g.filter_key = (char *)"xaf_xaf_a0All_Customers";
	g.filter_caption = (char *)"Tutti i clienti";
	g.page = 3;
	g.pages = 3;
	g.total = 250;
	g.has_pager = 1;
	g.cols = cols;
	g.ncols = nitems(cols);
	g.rows = rows;
	g.nrows = 50;
	return g;
}

static const struct view *
customers(void)
{
	const struct view	*v = view_find("customers");

	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(v->sort_field, "ID");
	ck_assert_int_eq(v->sort_desc, 1);
	return v;
}

/* verify_page(g, page 2) says exactly want (NULL: the page is right). */
static void
page_is(const struct grid *g, int64_t page, const char *want)
{
	char		 why[256];
	const char	*got;

	memset(why, 'x', sizeof why);
	got = verify_page(customers(), SIZE, g, page, why, sizeof why);
	if (want == NULL)
		ck_assert_msg(got == NULL, "page %lld refused: %s",
		    (long long)page + 1, got);
	else {
		ck_assert_msg(got == why, "page %lld passed, expected \"%s\"",
		    (long long)page + 1, want);
		ck_assert_str_eq(why, want);
	}
}

START_TEST(test_right_page)
{
	struct grid	 g = page3();

	page_is(&g, 2, NULL);
	/* A full page in the middle. */
	g.page = 2;
	g.nrows = SIZE;
	page_is(&g, 1, NULL);
}
END_TEST

START_TEST(test_filter)
{
	struct grid	 g = page3();
	char		 why[128];

	g.filter_key = NULL;
	page_is(&g, 2, "the grid shows no predefined filter");
	g.filter_key = (char *)"xaf_xaf_a1Free_Customers";
	g.filter_caption = (char *)"Clienti liberi";
	page_is(&g, 2, "the filter is \"Clienti liberi\", not "
	    "\"Tutti i clienti\"");
	/* With no caption, the key names the filter. */
	g.filter_caption = NULL;
	page_is(&g, 2, "the filter is \"xaf_xaf_a1Free_Customers\", not "
	    "\"Tutti i clienti\"");
	/* A view with no predefined filter takes any grid. */
	ck_assert_ptr_null(verify_filter(view_find("products"), &g, why,
	    sizeof why));
}
END_TEST

START_TEST(test_sort)
{
	struct grid	 g = page3();
	char		 why[128];

	cols[0].sort = 1;
	page_is(&g, 2, "the grid is not sorted by ID descending");
	cols[0].sort = 0;
	page_is(&g, 2, "the grid is not sorted by ID descending");
	cols[0].sort = -1;
	/* Sorted by another column only. */
	cols[0].sort = 0;
	cols[2].sort = -1;
	page_is(&g, 2, "the grid is not sorted by ID descending");
	ck_assert_ptr_null(verify_sort(&g, "MODIFIEDDATETIME", 1, why,
	    sizeof why));
	ck_assert_ptr_nonnull(verify_sort(&g, "MODIFIEDDATETIME", 0, why,
	    sizeof why));
	ck_assert_str_eq(why, "the grid is not sorted by MODIFIEDDATETIME "
	    "ascending");
	cols[2].sort = 0;
	cols[0].sort = -1;
	/* A field the grid does not have is not sorted either. */
	ck_assert_ptr_nonnull(verify_sort(&g, "NOPE", 1, why, sizeof why));
	ck_assert_str_eq(why, "the grid is not sorted by NOPE descending");
}
END_TEST

/*
 * The pager and the rows of page3() changed, and what verify_page() says
 * of the page asked for (NULL: right, or not checked).
 */
static const struct pager_case {
	int64_t		 asked;		/* 0-based */
	int64_t		 page, pages, total;
	size_t		 nrows;
	int		 has_pager, empty;
	const char	*want;
} pager_cases[] = {
	{ 2, 3, 3, 250, 50, 0, 0, "the grid has no pager" },
	/* 250 elements in 13 pages: pages of 20, not 100. */
	{ 2, 3, 13, 250, 50, 1, 0,
	    "13 pages for 250 elements: the page size is not 100" },
	{ 2, 2, 3, 250, 50, 1, 0, "the grid is on page 2, not 3" },
	{ 2, 3, 3, 250, 49, 1, 0, "page 3 has 49 rows, expected 50" },
	{ 0, 1, 3, 250, 99, 1, 0, "page 1 has 99 rows, expected 100" },
	/* Not checked: page 3 after the ERP shrank to 2 pages ... */
	{ 2, 2, 2, 190, 90, 1, 0, NULL },
	/* ... and a grid with no rows at all, which has no pager. */
	{ 0, 0, 0, 0, 0, 0, 1, NULL },
	/* An empty row beside data rows is no empty grid. */
	{ 2, 3, 3, 250, 50, 0, 1, "the grid has no pager" },
};

START_TEST(test_pager)
{
	const struct pager_case	*c = &pager_cases[_i];
	struct grid		 g = page3();

	g.page = c->page;
	g.pages = c->pages;
	g.total = c->total;
	g.nrows = c->nrows;
	g.has_pager = c->has_pager;
	g.empty = c->empty;
	page_is(&g, c->asked, c->want);
}
END_TEST

/* An empty grid still shows the filter and the sort, and they count. */
START_TEST(test_empty_grid)
{
	struct grid	 g = page3();

	g.has_pager = 0;
	g.empty = 1;
	g.nrows = 0;
	g.total = 0;
	page_is(&g, 0, NULL);
	g.filter_key = NULL;
	page_is(&g, 0, "the grid shows no predefined filter");
}
END_TEST

START_TEST(test_has_field)
{
	struct grid	 g = page3();

	ck_assert_int_eq(verify_has_field(&g, "MODIFIEDDATETIME"), 1);
	ck_assert_int_eq(verify_has_field(&g, "ID"), 1);
	ck_assert_int_eq(verify_has_field(&g, "id"), 0);
	ck_assert_int_eq(verify_has_field(&g, "ACCOUNTNUM"), 0);
	g.ncols = 0;
	ck_assert_int_eq(verify_has_field(&g, "ID"), 0);
}
END_TEST

/* A short buffer gets a cut, terminated why. */
START_TEST(test_short_buffer)
{
	struct grid	 g = page3();
	char		 why[12];

	g.page = 2;
	ck_assert_ptr_eq(verify_page(customers(), SIZE, &g, 2, why,
	    sizeof why), why);
	ck_assert_str_eq(why, "the grid is");
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("verify");
	TCase	*tc;

	tc = test_case(s, "page", test_right_page, test_filter, test_sort,
	    test_empty_grid, test_has_field, test_short_buffer, NULL);
	tcase_add_loop_test(tc, test_pager, 0, nitems(pager_cases));
	return test_run(s);
}
