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
	char	 why[512];

	FZ_CHECK(a->rc == b->rc, "%s: rc %d ('%s') vs %d ('%s')", how, a->rc,
	    a->err, b->rc, b->err);
	if (a->rc == 0)
		FZ_CHECK(grid_diff(&a->g, &b->g, why, sizeof why) == 0, "%s: %s",
		    how, why);
	else
		FZ_CHECK(str_diff(a->err, b->err, "error", why, sizeof why) == 0,
		    "%s: %s", how, why);
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct result		 ref, r;
	struct form		 f;
	char			 why[512];

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
		FZ_CHECK(hidden_diff(&f, (const char *)d, n, why,
		    sizeof why) == 0, "grid_parse_page: %s", why);
		grid_free(&r.g);
		form_free(&f);
	} else
		FZ_CHECK(f.fields == NULL && f.nfields == 0,
		    "hidden inputs after a failure");
	if (ref.rc == 0)
		grid_free(&ref.g);
	return 0;
}
