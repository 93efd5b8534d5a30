/*
 * fuzz_gridsax.c — the worker's grid parser (worker/gridsax.c, gridread.c:
 * one SAX pass of libxml2's pull parser) on arbitrary pages, against
 * tests/unit/gridref.c, the walk of libxml2's tree of the same bytes that
 * it must match: grid_parse() and grid_parse_page() must give exactly
 * gridref_parse()'s return code, error sentence and grid, field by field,
 * and grid_parse_page()'s hidden inputs must be the fields the reference
 * form reader (tests/unit/formref.c) reads.
 * Nothing is skipped: both read the same parser's events. Also checked: a
 * failure has error text and leaves the grid and hidden inputs empty; a
 * grid's strings are valid UTF-8 and its counts agree; grid_free() and
 * form_free() free everything (LeakSanitizer).
 */
#include <string.h>

#include "tests/fuzz/fuzz.h"
#include "tests/unit/ref.h"
#include "worker/worker.h"

#define ERRLEN	256

struct result {
	int		 rc;
	char		 err[ERRLEN];
	struct grid	 g;
};

static void
str_same(const char *a, const char *b, const char *what, const char *how)
{
	if (a == NULL || b == NULL)
		FZ_CHECK(a == b, "%s: %s '%s' vs '%s'", how, what,
		    a ? a : "(null)", b ? b : "(null)");
	else
		FZ_CHECK(strcmp(a, b) == 0, "%s: %s '%.200s' vs '%.200s'", how,
		    what, a, b);
}

static void
utf8_ok(const char *s, const char *what)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 n, i, k;

	if (s == NULL)
		return;
	n = strlen(s);
	for (i = 0; i < n; i += k)
		FZ_CHECK((k = utf8_char(u + i, n - i, NULL)) > 0,
		    "%s not UTF-8 at byte %zu", what, i);
}

/* What a good grid always holds. */
static void
grid_sane(const struct grid *g)
{
	size_t	 i, j;

	FZ_CHECK(g->grid_id != NULL && *g->grid_id != '\0', "no grid id");
	utf8_ok(g->grid_id, "grid_id");
	utf8_ok(g->filter_key, "filter_key");
	utf8_ok(g->filter_caption, "filter_caption");
	FZ_CHECK(g->ncols <= g->nheader, "%zu columns, %zu header cells",
	    g->ncols, g->nheader);
	for (i = 0; i < g->ncols; i++) {
		FZ_CHECK(g->cols[i].caption != NULL &&
		    g->cols[i].fieldname != NULL && *g->cols[i].fieldname,
		    "column %zu", i);
		FZ_CHECK(g->cols[i].index < g->nheader, "column %zu index", i);
		FZ_CHECK(i == 0 || g->cols[i].index > g->cols[i - 1].index,
		    "column %zu index not increasing", i);
		FZ_CHECK(g->cols[i].sort >= -1 && g->cols[i].sort <= 1,
		    "column %zu sort", i);
		utf8_ok(g->cols[i].caption, "caption");
		utf8_ok(g->cols[i].fieldname, "fieldname");
	}
	for (i = 0; i < g->nrows; i++) {
		FZ_CHECK(g->rows[i].id != NULL, "row %zu id", i);
		FZ_CHECK(g->rows[i].ncells == g->nheader, "row %zu cells", i);
		utf8_ok(g->rows[i].id, "row id");
		for (j = 0; j < g->rows[i].ncells; j++) {
			FZ_CHECK(g->rows[i].cells[j].text != NULL,
			    "row %zu cell %zu text", i, j);
			FZ_CHECK(g->rows[i].cells[j].checkbox >= -1 &&
			    g->rows[i].cells[j].checkbox <= 1, "checkbox");
			utf8_ok(g->rows[i].cells[j].text, "cell text");
			utf8_ok(g->rows[i].cells[j].img_src, "img_src");
		}
	}
	FZ_CHECK(!g->empty || g->nrows == 0, "empty with rows");
	if (!g->has_pager)
		FZ_CHECK(g->page == 1 && g->pages == 1 &&
		    g->total == (int64_t)g->nrows && g->next_disabled,
		    "no pager, but not one page");
	else
		FZ_CHECK(g->page >= 0 && g->pages >= 0 && g->total >= 0,
		    "negative pager numbers");
}

/* Every field, column, row id and cell of two grids is the same. */
static void
grid_same(const struct grid *a, const struct grid *b, const char *how)
{
	const struct grid_cell	*x, *y;
	size_t			 i, j;

	str_same(a->grid_id, b->grid_id, "grid_id", how);
	str_same(a->filter_key, b->filter_key, "filter_key", how);
	str_same(a->filter_caption, b->filter_caption, "filter_caption", how);
	FZ_CHECK(a->page == b->page && a->pages == b->pages &&
	    a->total == b->total, "%s: pager", how);
	FZ_CHECK(a->has_pager == b->has_pager, "%s", how);
	FZ_CHECK(a->next_disabled == b->next_disabled, "%s", how);
	FZ_CHECK(a->empty == b->empty, "%s", how);
	FZ_CHECK(a->nheader == b->nheader, "%s: nheader %zu vs %zu", how,
	    a->nheader, b->nheader);
	FZ_CHECK(a->ncols == b->ncols, "%s: ncols %zu vs %zu", how, a->ncols,
	    b->ncols);
	for (i = 0; i < a->ncols; i++) {
		str_same(a->cols[i].caption, b->cols[i].caption, "caption",
		    how);
		str_same(a->cols[i].fieldname, b->cols[i].fieldname,
		    "fieldname", how);
		FZ_CHECK(a->cols[i].sort == b->cols[i].sort, "%s: sort", how);
		FZ_CHECK(a->cols[i].index == b->cols[i].index, "%s: index",
		    how);
	}
	FZ_CHECK(a->nrows == b->nrows, "%s: nrows %zu vs %zu", how, a->nrows,
	    b->nrows);
	for (i = 0; i < a->nrows; i++) {
		str_same(a->rows[i].id, b->rows[i].id, "row id", how);
		FZ_CHECK(a->rows[i].ncells == b->rows[i].ncells,
		    "%s: row %zu ncells", how, i);
		for (j = 0; j < a->rows[i].ncells; j++) {
			x = &a->rows[i].cells[j];
			y = &b->rows[i].cells[j];
			str_same(x->text, y->text, "cell text", how);
			str_same(x->img_src, y->img_src, "img_src", how);
			FZ_CHECK(x->checkbox == y->checkbox, "%s: checkbox",
			    how);
		}
	}
}

/* A result holds its promises: error text on failure, nothing to free. */
static void
result_sane(const struct result *r)
{
	static const struct grid	 zero;

	FZ_CHECK(r->rc == 0 || r->rc == -1, "rc %d", r->rc);
	if (r->rc == 0) {
		grid_sane(&r->g);
		return;
	}
	FZ_CHECK(r->err[0] != '\0', "a failure without error text");
	FZ_CHECK(memchr(r->err, '\0', sizeof(r->err)) != NULL, "err");
	FZ_CHECK(memcmp(&r->g, &zero, sizeof(zero)) == 0,
	    "a failure left the grid filled");
}

static void
same_result(const struct result *a, const struct result *b, const char *how)
{
	FZ_CHECK(a->rc == b->rc, "%s: rc %d ('%s') vs %d ('%s')", how, a->rc,
	    a->err, b->rc, b->err);
	if (a->rc == 0)
		grid_same(&a->g, &b->g, how);
	else
		str_same(a->err, b->err, "error", how);
}

/* The hidden inputs are the reference form reader's fields. */
static void
hidden_same(const struct form *f, const uint8_t *d, size_t n)
{
	struct form	 ref;
	size_t		 i;

	FZ_CHECK(formref_parse((const char *)d, n, &ref, NULL, 0) == 0,
	    "the grid parses, formref_parse() fails");
	FZ_CHECK(f->nfields == ref.nfields, "%zu hidden inputs vs "
	    "formref_parse's %zu", f->nfields, ref.nfields);
	for (i = 0; i < f->nfields; i++) {
		str_same(f->fields[i].name, ref.fields[i].name, "hidden name",
		    "grid_parse_page");
		str_same(f->fields[i].value, ref.fields[i].value,
		    "hidden value", "grid_parse_page");
	}
	form_free(&ref);
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct result		 ref, r;
	struct form		 f;

	memset(&ref, 0, sizeof(ref));
	ref.rc = gridref_parse((const char *)d, n, &ref.g, ref.err,
	    sizeof(ref.err));
	result_sane(&ref);

	memset(&r, 0, sizeof(r));
	r.rc = grid_parse((const char *)d, n, &r.g, r.err, sizeof(r.err));
	result_sane(&r);
	same_result(&ref, &r, "grid_parse");
	if (r.rc == 0)
		grid_free(&r.g);

	memset(&r, 0, sizeof(r));
	r.rc = grid_parse_page((const char *)d, n, &r.g, &f, r.err,
	    sizeof(r.err));
	result_sane(&r);
	same_result(&ref, &r, "grid_parse_page");
	if (r.rc == 0) {
		hidden_same(&f, d, n);
		grid_free(&r.g);
		form_free(&f);
	} else
		FZ_CHECK(f.fields == NULL && f.nfields == 0,
		    "hidden inputs after a failure");
	if (ref.rc == 0)
		grid_free(&ref.g);
	return 0;
}
