/*
 * gridref.c — the reference the worker's SAX parser (worker/gridsax.c,
 * gridread.c) is compared with: the tree parser the worker used before,
 * kept for tests only. It reads the grid control of contract §4 out of a
 * full view page or a callback body: grid id, active predefined filter, columns, rows and
 * pager. Everything is found by the stable parts of the markup (class
 * tokens, id suffixes), never by position in the page, ids or attribute
 * order. libxml2's HTML parser builds a tree; one walk over the page finds
 * the grid control, one over the control notes its parts, then each part
 * is read once: linear in the page. (A single XPath query from the root
 * costs more than all of this, so there is none.) The main table
 * (_DXMainTable) is not relied on: rows are found by id anywhere in the
 * control, which also holds if the headers move to a table of their own.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "worker/worker.h"
#include "tests/unit/ref.h"

#define GRID_CLASS	"dxgvControl_XafTheme"
#define PAGER_CLASS	"dxpLite_XafTheme"
#define SUMMARY_CLASS	"dxp-summary"
#define DISABLED_CLASS	"dxp-disabled"

/* What the walk over the grid control found, before it is read. */
struct grid_parts {
	xmlNode		*header;
	xmlNode		*pager;
	xmlNode		*filter_caption;
	xmlNode		*filter_key;
	xmlNode		**rows;
	size_t		 nrows;
	size_t		 rowcap;
	int		 empty;
};

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f';
}

/* Is tok one of the whitespace-separated tokens of the class attribute? */
static int
has_class(const xmlNode *n, const char *tok)
{
	return n->type == XML_ELEMENT_NODE &&
	    class_has(dom_attr(n, "class"), tok);
}

/* Does the class attribute contain sub anywhere? */
static int
class_contains(const xmlNode *n, const char *sub)
{
	const char	*c;

	return (c = dom_attr(n, "class")) != NULL && strstr(c, sub) != NULL;
}

/* Length of the whitespace at s: ASCII, and NBSP too when nbsp is set. */
static size_t
ws_len(const char *s, int nbsp)
{
	if (is_space(*s))
		return 1;
	if (nbsp && s[0] == '\xc2' && s[1] == '\xa0')
		return 2;
	return 0;
}

/* Append text, whitespace runs as one space, none at the start. */
static void
text_add(struct buf *b, const char *s, int nbsp, int *pending)
{
	const char	*run;
	size_t		 k;

	while (*s != '\0') {
		if ((k = ws_len(s, nbsp)) > 0) {
			*pending = 1;
			s += k;
			continue;
		}
		if (*pending && b->len > 0)
			buf_addc(b, ' ');
		*pending = 0;
		for (run = s; *s != '\0' && ws_len(s, nbsp) == 0; s++)
			;
		buf_add(b, run, (size_t)(s - run));
	}
}

/* text_dup of a NUL-terminated string. */
static char *
text_dups(const char *s)
{
	return utf8_dup(s, strlen(s));
}

/* A copy of the buffer's text ("" when nothing was added). */
static char *
buf_dup(const struct buf *b)
{
	return utf8_dup(b->len > 0 ? b->data : "", b->len);
}

/* A cell as read from one walk of its subtree. */
struct cell_scan {
	int		 nbsp;		/* in: NBSP is whitespace (captions) */
	int		 checkbox;
	const char	*img_src;
	int		 sort;
};

/*
 * Read a cell's subtree: normalized text into b (reset first) — entities
 * are decoded by the parser, <br> is a space, script and style are not
 * text — and the first checkbox span, img source and sort image. NBSP is
 * text in data cells (a cell of only &nbsp; is how the ERP shows NULL);
 * in captions, where it only pads, it is whitespace.
 */
static void
cell_read(xmlNode *td, struct buf *b, struct cell_scan *cs)
{
	xmlNode		*n;
	int		 pending = 0, skip;
	const char	*src;

	buf_reset(b);
	cs->checkbox = -1;
	cs->img_src = NULL;
	cs->sort = 0;
	for (n = td->children; n != NULL; n = dom_next(n, td, skip)) {
		skip = 0;
		if (n->type == XML_TEXT_NODE ||
		    n->type == XML_CDATA_SECTION_NODE) {
			if (n->content != NULL)
				text_add(b, (const char *)n->content, cs->nbsp,
				    &pending);
			continue;
		}
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (dom_is(n, "br"))
			pending = 1;
		else if (dom_is(n, "script") || dom_is(n, "style"))
			skip = 1;
		else if (dom_is(n, "span") && cs->checkbox == -1) {
			if (class_contains(n, "CheckBoxChecked"))
				cs->checkbox = 1;
			else if (class_contains(n, "CheckBoxUnchecked"))
				cs->checkbox = 0;
		} else if (dom_is(n, "img")) {
			if (cs->img_src == NULL &&
			    (src = dom_attr(n, "src")) != NULL)
				cs->img_src = src;
			if (cs->sort != 0)
				continue;
			if (class_contains(n, "gvHeaderSortUp"))
				cs->sort = 1;
			else if (class_contains(n, "gvHeaderSortDown"))
				cs->sort = -1;
		}
	}
}

/* The normalized text of a caption-like element, newly allocated. */
static char *
node_text(xmlNode *n, struct buf *b)
{
	struct cell_scan	 cs;

	cs.nbsp = 1;
	cell_read(n, b, &cs);
	return buf_dup(b);
}

/* Find every grid control in the document; more than one is an error. */
static xmlNode *
find_grid(xmlNode *root, char *err, size_t errlen)
{
	xmlNode		*n, *found = NULL;
	size_t		 count = 0;

	for (n = root; n != NULL; n = dom_next(n, root, 0)) {
		if (!has_class(n, GRID_CLASS))
			continue;
		if (count++ == 0)
			found = n;
	}
	if (count == 0) {
		snprintf(err, errlen, "no grid control (class " GRID_CLASS
		    ") in the page");
		return NULL;
	}
	if (count > 1) {
		snprintf(err, errlen, "%zu grid controls (class " GRID_CLASS
		    ") in the page, expected one", count);
		return NULL;
	}
	return found;
}

static void
add_row(struct grid_parts *p, xmlNode *tr)
{
	if (p->nrows == p->rowcap) {
		p->rowcap = p->rowcap ? p->rowcap * 2 : 64;
		p->rows = xreallocarray(p->rows, p->rowcap, sizeof(*p->rows));
	}
	p->rows[p->nrows++] = tr;
}

/* One walk over the grid control, noting where each part is. */
static void
find_parts(xmlNode *grid, struct grid_parts *p)
{
	xmlNode		*n;
	const char	*id;
	int		 skip;

	for (n = grid->children; n != NULL; n = dom_next(n, grid, skip)) {
		skip = 0;
		if (n->type != XML_ELEMENT_NODE)
			continue;
		id = dom_attr(n, "id");
		if (dom_is(n, "tr") && id != NULL) {
			if (strstr(id, "_DXDataRow") != NULL) {
				add_row(p, n);
				skip = 1;
			} else if (ends_with(id, "_DXHeadersRow0")) {
				if (p->header == NULL)
					p->header = n;
				skip = 1;
			} else if (ends_with(id, "_DXEmptyRow")) {
				p->empty = 1;
				skip = 1;
			}
		} else if (dom_is(n, "input") && id != NULL) {
			if (ends_with(id, "_Cb_I") && p->filter_caption == NULL)
				p->filter_caption = n;
			else if (ends_with(id, "_Cb_VI") &&
			    p->filter_key == NULL)
				p->filter_key = n;
		} else if (p->pager == NULL && has_class(n, PAGER_CLASS)) {
			p->pager = n;
			skip = 1;
		}
	}
}

/* Read the header row: nheader and the data columns. */
static void
read_header(xmlNode *tr, struct grid *g, struct buf *b)
{
	xmlNode			*td;
	struct cell_scan	 cs;
	struct grid_column	*col;
	const char		*fieldname;
	size_t			 cap = 0;

	for (td = tr->children; td != NULL; td = td->next) {
		if (!dom_is(td, "td"))
			continue;
		g->nheader++;
		fieldname = dom_attr(td, "fieldname");
		if (fieldname == NULL || *fieldname == '\0')
			continue;
		if (g->ncols == cap) {
			cap = cap ? cap * 2 : 32;
			g->cols = xreallocarray(g->cols, cap, sizeof(*g->cols));
		}
		col = &g->cols[g->ncols++];
		cs.nbsp = 1;
		cell_read(td, b, &cs);
		col->caption = buf_dup(b);
		col->fieldname = text_dups(fieldname);
		col->sort = cs.sort;
		col->index = g->nheader - 1;
	}
}

/* Read one data row; its direct tds must line up with the header's. */
static int
read_row(xmlNode *tr, struct grid *g, struct buf *b, char *err,
    size_t errlen)
{
	xmlNode			*td;
	struct grid_row		*row = &g->rows[g->nrows];
	struct grid_cell	*cell;
	struct cell_scan	 cs;
	size_t			 ntd = 0;

	for (td = tr->children; td != NULL; td = td->next)
		if (dom_is(td, "td"))
			ntd++;
	if (ntd != g->nheader) {
		snprintf(err, errlen, "data row '%.100s' has %zu cells, the "
		    "header row has %zu", dom_attr(tr, "id"), ntd, g->nheader);
		return -1;
	}
	row->id = text_dups(dom_attr(tr, "id"));
	row->ncells = 0;
	row->cells = ntd ? xcalloc(ntd, sizeof(*row->cells)) : NULL;
	g->nrows++;
	for (td = tr->children; td != NULL; td = td->next) {
		if (!dom_is(td, "td"))
			continue;
		cell = &row->cells[row->ncells++];
		cs.nbsp = 0;
		cell_read(td, b, &cs);
		cell->text = buf_dup(b);
		cell->checkbox = cs.checkbox;
		cell->img_src = cs.img_src ? text_dups(cs.img_src) : NULL;
	}
	return 0;
}

/* Read the pager: summary numbers and whether Next is disabled. */
static int
read_pager(xmlNode *pager, struct grid *g, struct buf *b, char *err,
    size_t errlen)
{
	xmlNode		*n, *up, *summary = NULL, *next = NULL;
	const char	*alt;
	char		*text;

	for (n = pager; n != NULL; n = dom_next(n, pager, 0)) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (summary == NULL && has_class(n, SUMMARY_CLASS))
			summary = n;
		else if (next == NULL && dom_is(n, "img") &&
		    (alt = dom_attr(n, "alt")) != NULL && strcmp(alt, "Next") == 0)
			next = n;
	}
	if (summary == NULL) {
		snprintf(err, errlen, "pager has no summary (class "
		    SUMMARY_CLASS ")");
		return -1;
	}
	text = node_text(summary, b);
	if (parse_summary(text, g) == -1) {
		snprintf(err, errlen, "pager summary does not parse: "
		    "'%.100s'", text);
		free(text);
		return -1;
	}
	free(text);
	g->has_pager = 1;
	/* No Next button at all: nowhere to go either. */
	g->next_disabled = next == NULL;
	for (up = next; up != NULL; up = up->parent) {
		if (has_class(up, DISABLED_CLASS)) {
			g->next_disabled = 1;
			break;
		}
		if (up == pager)
			break;
	}
	return 0;
}

/* Read the parts found in the grid control into g. */
static int
read_parts(xmlNode *grid, struct grid_parts *p, struct grid *g,
    char *err, size_t errlen)
{
	struct buf	 b;
	const char	*v, *id;
	size_t		 i;
	int		 rc = -1;

	if ((id = dom_attr(grid, "id")) == NULL || *id == '\0') {
		snprintf(err, errlen, "grid control has no id");
		return -1;
	}
	if (p->header == NULL) {
		snprintf(err, errlen, "no header row (id ending in "
		    "_DXHeadersRow0) in grid '%.100s'", id);
		return -1;
	}
	g->grid_id = text_dups(id);
	if (p->filter_caption != NULL) {
		v = dom_attr(p->filter_caption, "value");
		g->filter_caption = text_dups(v != NULL ? v : "");
	}
	if (p->filter_key != NULL) {
		v = dom_attr(p->filter_key, "value");
		g->filter_key = text_dups(v != NULL ? v : "");
	}

	buf_init(&b);
	read_header(p->header, g, &b);
	if (p->nrows > 0)
		g->rows = xcalloc(p->nrows, sizeof(*g->rows));
	for (i = 0; i < p->nrows; i++)
		if (read_row(p->rows[i], g, &b, err, errlen) == -1)
			goto out;
	g->empty = p->empty && g->nrows == 0;
	if (p->pager != NULL) {
		if (read_pager(p->pager, g, &b, err, errlen) == -1)
			goto out;
	} else {
		/* No pager: everything is on this one page. */
		g->page = g->pages = 1;
		g->total = (int64_t)g->nrows;
		g->next_disabled = 1;
	}
	rc = 0;
out:
	buf_free(&b);
	return rc;
}

/*
 * Parse a view page or a callback body into g through libxml2's tree.
 * Returns 0, or -1 with a sentence in err and g left empty (nothing to
 * free): what grid_parse() must answer for the same bytes.
 */
int
gridref_parse(const char *html, size_t len, struct grid *g, char *err,
    size_t errlen)
{
	struct grid_parts	 parts;
	htmlDocPtr		 doc;
	xmlNode			*root, *grid;
	char			 dummy[1];
	int			 rc = -1;

	memset(g, 0, sizeof(*g));
	if (page_start(html, len, &err, &errlen, dummy) == -1)
		return -1;
	if ((doc = dom_read(html, len)) == NULL) {
		snprintf(err, errlen, "page is not HTML");
		goto out;
	}
	root = xmlDocGetRootElement(doc);
	if ((grid = find_grid(root, err, errlen)) == NULL)
		goto out;
	memset(&parts, 0, sizeof(parts));
	find_parts(grid, &parts);
	rc = read_parts(grid, &parts, g, err, errlen);
	free(parts.rows);
out:
	if (doc != NULL)
		xmlFreeDoc(doc);
	if (rc == -1)
		grid_free(g);
	return rc;
}
