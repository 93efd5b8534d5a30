/*
 * verify.c — is this grid the page the sync asked for (design §6)? Pure
 * checks of a parsed grid against the view: the predefined filter, the
 * sort, the pager (page size, page number) and the row count. Each returns
 * why not, or NULL; the run decides what to do about it (sync.c, pages.c).
 */
#include <stdio.h>
#include <string.h>

#include "worker/worker.h"

/* Does the grid have a column with this fieldname? */
int
verify_has_field(const struct grid *g, const char *field)
{
	size_t	 i;

	for (i = 0; i < g->ncols; i++)
		if (strcmp(g->cols[i].fieldname, field) == 0)
			return 1;
	return 0;
}

/* Why the grid does not show the view's predefined filter, or NULL. */
const char *
verify_filter(const struct view *v, const struct grid *g, char *why,
    size_t len)
{
	if (v->filter_key == NULL)
		return NULL;
	if (g->filter_key == NULL) {
		snprintf(why, len, "the grid shows no predefined filter");
		return why;
	}
	if (strcmp(g->filter_key, v->filter_key) != 0) {
		snprintf(why, len, "the filter is \"%s\", not \"%s\"",
		    g->filter_caption ? g->filter_caption : g->filter_key,
		    v->filter_caption);
		return why;
	}
	return NULL;
}

/* Why the grid is not sorted by field in that direction, or NULL. */
const char *
verify_sort(const struct grid *g, const char *field, int desc, char *why,
    size_t len)
{
	size_t	 i;

	for (i = 0; i < g->ncols; i++)
		if (strcmp(g->cols[i].fieldname, field) == 0)
			break;
	if (i == g->ncols || g->cols[i].sort != (desc ? -1 : 1)) {
		snprintf(why, len, "the grid is not sorted by %s %s", field,
		    desc ? "descending" : "ascending");
		return why;
	}
	return NULL;
}

/*
 * Why the grid is not page (0-based) of the view at page_size, or NULL
 * when it is: filter, sort, pager, page number, rows on the page. A page
 * past the last is not checked for its number and rows (the ERP shrank).
 */
const char *
verify_page(const struct view *v, int64_t page_size, const struct grid *g,
    int64_t page, char *why, size_t len)
{
	int64_t	 want_pages, want_rows;

	if (verify_filter(v, g, why, len) != NULL ||
	    verify_sort(g, v->sort_field, v->sort_desc, why, len) != NULL)
		return why;
	if (g->empty && g->nrows == 0)
		return NULL;
	if (!g->has_pager) {
		snprintf(why, len, "the grid has no pager");
		return why;
	}
	want_pages = (g->total + page_size - 1) / page_size;
	if (g->pages != want_pages) {
		snprintf(why, len, "%lld pages for %lld elements: the page size "
		    "is not %lld", (long long)g->pages, (long long)g->total,
		    (long long)page_size);
		return why;
	}
	if (page >= g->pages)
		return NULL;
	if (g->page != page + 1) {
		snprintf(why, len, "the grid is on page %lld, not %lld",
		    (long long)g->page, (long long)page + 1);
		return why;
	}
	want_rows = g->total - page * page_size;
	if (want_rows > page_size)
		want_rows = page_size;
	if ((int64_t)g->nrows != want_rows) {
		snprintf(why, len, "page %lld has %zu rows, expected %lld",
		    (long long)page + 1, g->nrows, (long long)want_rows);
		return why;
	}
	return NULL;
}
