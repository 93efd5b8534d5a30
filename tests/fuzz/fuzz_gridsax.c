/*
 * fuzz_gridsax.c — the grid stream parser (worker/gridsax.c) on arbitrary
 * pages: grid_parse_sax() on the whole input, then a grid_stream fed the
 * same bytes all at once, one byte at a time and in chunks of sizes derived
 * from the input (with empty feeds between). gridsax.c promises the same
 * result whatever the chunking (its top comment lists only differences
 * with grid.c's pull parser, which this target does not compare against),
 * so every run must give the same return code, error sentence and grid,
 * field by field. Also checked: a failure has error text and leaves the
 * grid empty; a grid's strings are valid UTF-8 and its counts agree;
 * grid_free() frees everything (LeakSanitizer); an ended stream refuses
 * to end again.
 */
#include <string.h>
#include <strings.h>

#include "tests/fuzz/fuzz.h"
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
		FZ_CHECK((k = utf8_len(u + i, n - i)) > 0,
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

/*
 * The corners gridsax.c leaves as they are (its top comment): markup the
 * push and pull parsers read differently, and where the stream's result
 * may also depend on where chunks end. First, a quote in a start tag that
 * quotes no attribute value (<td "class="x">, <tr"" id=x>). While it waits
 * for a start tag to be complete, libxml2's push parser (2.9.14) looks for
 * its '>' taking any quote for the start of a value; its tag parser
 * (htmlParseStartTag) opens a value only with a quote after '='. Where the
 * tag parser reads on past the '>' the lookup found, what it reads depends
 * on the bytes it has been given: that is the corner.
 */
static int
is_blank(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int
html_name_start(uint8_t c)
{
	return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '_' ||
	    c == ':' || c == '.';
}

static int
html_name_char(uint8_t c)
{
	return html_name_start(c) || (c >= '0' && c <= '9') || c == '-';
}

/* Past a name at d[j]; sets *longname when libxml2 would cut it (100). */
static size_t
skip_name(const uint8_t *d, size_t j, size_t n, int *longname)
{
	size_t	 from = j;

	while (j < n && html_name_char(d[j]))
		j++;
	if (j - from >= 100)
		*longname = 1;
	return j;
}

/* Where htmlParseStartTag stops on the tag at d[i]: '>', "/>" or n. */
static size_t
tag_end_parser(const uint8_t *d, size_t i, size_t n, int *longname)
{
	size_t	 j;
	uint8_t	 q;

	j = skip_name(d, i + 1, n, longname);
	while (j < n && is_blank(d[j]))
		j++;
	while (j < n && d[j] != '>' && !(d[j] == '/' && j + 1 < n &&
	    d[j + 1] == '>')) {
		if (html_name_start(d[j])) {
			j = skip_name(d, j, n, longname);
			while (j < n && is_blank(d[j]))
				j++;
			if (j < n && d[j] == '=') {
				for (j++; j < n && is_blank(d[j]); j++)
					;
				if (j < n && (d[j] == '"' || d[j] == '\'')) {
					q = d[j];
					for (j++; j < n && d[j] != q; j++)
						;
					if (j < n)
						j++;
				} else
					while (j < n && !is_blank(d[j]) &&
					    d[j] != '>')
						j++;
			}
		} else {
			/* A bogus attribute: dumped up to a blank or the end. */
			while (j < n && !is_blank(d[j]) && d[j] != '>' &&
			    !(d[j] == '/' && j + 1 < n && d[j + 1] == '>'))
				j++;
		}
		while (j < n && is_blank(d[j]))
			j++;
	}
	return j;
}

/* Where the push parser's lookup finds the tag's '>', or n. */
static size_t
tag_end_lookup(const uint8_t *d, size_t i, size_t n)
{
	size_t	 j;
	uint8_t	 q = 0;

	for (j = i; j < n; j++) {
		if (q != 0) {
			if (d[j] == q)
				q = 0;
		} else if (d[j] == '"' || d[j] == '\'')
			q = d[j];
		else if (d[j] == '>')
			return j;
	}
	return n;
}

/* Where "</name" starts in d[from..n), case aside, or n. */
static size_t
end_tag(const uint8_t *d, size_t from, size_t n, const char *name)
{
	size_t	 k = strlen(name), i;

	for (i = from; i + 2 + k <= n; i++)
		if (d[i] == '<' && d[i + 1] == '/' &&
		    strncasecmp((const char *)d + i + 2, name, k) == 0)
			return i;
	return n;
}

static int
stray_quote(const uint8_t *d, size_t n)
{
	static const char	*raw[] = { "script", "style" };
	size_t			 i, p, l, r;
	int			 longname = 0;

	for (i = 0; i + 1 < n; i++) {
		if (d[i] != '<' || !((d[i + 1] | 0x20) >= 'a' &&
		    (d[i + 1] | 0x20) <= 'z'))
			continue;
		p = tag_end_parser(d, i, n, &longname);
		l = tag_end_lookup(d, i, n);
		if (longname || (l < n && p > l) ||
		    memchr(d + i, '\0', (p > l ? p : l) - i) != NULL)
			return 1;
		/* Script and style text is not markup. */
		for (r = 0; r < nitems(raw); r++)
			if (n - i > strlen(raw[r]) &&
			    strncasecmp((const char *)d + i + 1, raw[r],
			    strlen(raw[r])) == 0)
				p = end_tag(d, p, n, raw[r]);
		i = p < n ? p : n;
	}
	return 0;
}

static int
name_char(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == ':' || c == '_' || c == '.' ||
	    c == '-';
}

/*
 * The other corners, as tests/unit/check_gridsax.c's known_difference()
 * spots them: a script or style whose text starts with "</" (not its own
 * end), <body>, <frameset> or <noscript>; "</script" or "</style" and
 * more letters. And a DOCTYPE after anything but blanks.
 */
static int
other_corner(const uint8_t *d, size_t n)
{
	static const char	*raw[] = { "script", "style" };
	const char		*p = (const char *)d, *end = p + n, *q, *gt;
	size_t			 i, k;

	for (q = p; q < end && (q = memchr(q, '<', (size_t)(end - q))) != NULL;
	    q++) {
		if ((size_t)(end - q) >= 9 &&
		    strncasecmp(q + 1, "!DOCTYPE", 8) == 0 &&
		    strspn(p, " \t\r\n\f\xef\xbb\xbf") < (size_t)(q - p))
			return 1;
		for (i = 0; i < nitems(raw); i++) {
			k = strlen(raw[i]);
			if ((size_t)(end - q) < k + 3)
				continue;
			if (q[1] == '/' && strncasecmp(q + 2, raw[i], k) == 0 &&
			    name_char((uint8_t)q[k + 2]))
				return 1;
			if (strncasecmp(q + 1, raw[i], k) != 0 ||
			    (gt = memchr(q, '>', (size_t)(end - q))) == NULL ||
			    end - gt < 3 || gt[1] != '<')
				continue;
			if ((gt[2] == '/' && ((size_t)(end - gt) < k + 3 ||
			    strncasecmp(gt + 3, raw[i], k) != 0)) ||
			    strncasecmp(gt + 2, "body", 4) == 0 ||
			    strncasecmp(gt + 2, "frameset", 8) == 0 ||
			    strncasecmp(gt + 2, "noscript", 8) == 0)
				return 1;
		}
	}
	return 0;
}

/*
 * Feed the input to a stream: 0 all at once, 1 byte by byte, 2 in chunks
 * of random sizes, 3 in small chunks with empty feeds between.
 */
static void
run_stream(const uint8_t *d, size_t n, int how, struct result *r)
{
	struct grid_stream	*s;
	uint32_t		 seed = fz_hash(d, n) + (uint32_t)how;
	size_t			 at, k;
	char			 err2[ERRLEN];
	struct grid		 g2;

	s = grid_stream_new();
	for (at = 0; at < n; at += k) {
		switch (how) {
		case 0:
			k = n;
			break;
		case 1:
			k = 1;
			break;
		case 2:
			k = 1 + fz_rand(&seed) % (fz_rand(&seed) % 2 ?
			    16 : 4096);
			break;
		default:
			k = 1 + fz_rand(&seed) % 8;
			grid_stream_feed(s, (const char *)d + at, 0);
			grid_stream_feed(s, NULL, 5);
			break;
		}
		if (k > n - at)
			k = n - at;
		grid_stream_feed(s, (const char *)d + at, k);
	}
	r->rc = grid_stream_end(s, &r->g, r->err, sizeof(r->err));
	/* Ended: more bytes are ignored, a second end refused. */
	grid_stream_feed(s, "<p>", 3);
	FZ_CHECK(grid_stream_end(s, &g2, err2, sizeof(err2)) == -1 &&
	    err2[0] != '\0' && g2.grid_id == NULL, "a second end");
	grid_stream_free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static const char	*hows[] = {
		"all at once", "byte by byte", "random chunks",
		"small chunks and empty feeds"
	};
	struct result		 whole, r;
	struct grid_stream	*s;
	int			 i, corner;

	memset(&whole, 0, sizeof(whole));
	whole.rc = grid_parse_sax((const char *)d, n, &whole.g, whole.err,
	    sizeof(whole.err));
	result_sane(&whole);
	corner = stray_quote(d, n) || other_corner(d, n);
	for (i = 0; i < 4; i++) {
		/* Byte by byte costs a call per byte: skip it on big pages. */
		if (i == 1 && n > 16384)
			continue;
		memset(&r, 0, sizeof(r));
		run_stream(d, n, i, &r);
		result_sane(&r);
		if (!corner)
			same_result(&whole, &r, hows[i]);
		if (r.rc == 0)
			grid_free(&r.g);
	}
	if (whole.rc == 0)
		grid_free(&whole.g);

	/* A stream freed without an end frees what it read. */
	s = grid_stream_new();
	grid_stream_feed(s, (const char *)d, n / 2);
	grid_stream_free(s);
	return 0;
}
