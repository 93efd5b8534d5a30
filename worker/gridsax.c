/*
 * gridsax.c — the grid control of contract §4, read as the page arrives.
 *
 * grid.c is the reference: it has libxml2 build the tree of the whole page
 * and walks it. Here the same HTML parser runs in push mode: bytes go in
 * as libcurl hands them over and SAX callbacks keep only what struct grid
 * needs. No tree: the depths at which the grid control, the part being
 * read (header row, data row, pager) and the cell being read were opened
 * stand in for the ancestors grid.c looks at, and one buffer holds the
 * text of the cell being read. Memory is the output grid, libxml2's
 * context and the bytes held back since the last place a chunk may end
 * (hold_add()); it does not grow with the page.
 *
 * The output is grid.c's, byte for byte, and grid.c reads the tree that
 * libxml2's tree builder makes from the pull parser's events. The push
 * parser gives the same events but for a few corners, each handled where
 * it arises: chunk boundaries inside a token or a script (hold_add()), a
 * comment "<!-->" (comment_cut()), a tag cut inside a quoted value and
 * the encoding switch after invalid UTF-8 (parse()), content after
 * </html> (gave_up()), a byte order mark (head_done()), NUL bytes
 * (nul_ends_page()), a lone '<' or '&' at the end (last_bytes()). The tree
 * builder adds rules of its own: a depth limit and where elements after
 * the root go (sax_start()).
 *
 * Left as they are, because the two parsers read them differently
 * whatever the chunking: a quote in a tag that quotes no attribute value
 * (<td "class="x">: the push parser looks for the tag's end by quotes), a
 * script or style whose text starts with an end tag or <body>
 * (<script></td>), or holds "</script" and more letters, then "</"; a
 * DOCTYPE in mid-page followed by "</" or "<!". There the stream's own
 * result may also depend on where chunks end (tests/fuzz/fuzz_gridsax
 * found <tr"" id=x> and <script></ ... NUL). tests/unit/check_gridsax.c
 * compares the two parsers on everything else.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/encoding.h>
#include <libxml/parserInternals.h>

#include "worker/worker.h"

#define GRID_CLASS	"dxgvControl_XafTheme"
#define PAGER_CLASS	"dxpLite_XafTheme"
#define SUMMARY_CLASS	"dxp-summary"
#define DISABLED_CLASS	"dxp-disabled"

/* grid_parse()'s options: the same parser must see the same page. */
#define HTML_OPTIONS	(HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | \
    HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_COMPACT)

/*
 * The tree builder refuses an element when 257 are open (libxml2's
 * xmlParserMaxDepth, 256) and halts the parser: for grid.c the page ends
 * there.
 */
#define TREE_MAX_DEPTH	257

/* Bytes given to libxml2 at a time, at most (libcurl's are 16 KB). */
#define FEED_SLICE	16384

/* What the part of the grid control being read is. */
enum part {
	PART_NONE = 0,		/* none: looking for parts */
	PART_HEADER,		/* the header row */
	PART_ROW,		/* a data row */
	PART_PAGER,		/* the pager */
	PART_SKIP		/* another header row or the empty row */
};

/* Whose text is being read. */
enum col {
	COL_NONE = 0,
	COL_CAPTION,		/* a header cell with a fieldname */
	COL_CELL,		/* a cell of a data row */
	COL_SUMMARY		/* the pager's summary */
};

struct grid_stream {
	htmlParserCtxtPtr	 ctx;
	xmlCharEncodingHandlerPtr utf8;
	struct buf		 hold;		/* not given to libxml2 yet */
	unsigned char		 head[7];	/* first bytes: BOM? */
	size_t			 nhead;
	size_t			 total;		/* bytes fed */
	int			 head_done;
	int			 stopped;	/* libxml2 has seen the end */
	int			 ended;		/* grid_stream_end() done */
	char			 last;		/* last byte given libxml2 */

	/* Where the events are in the tree grid.c would walk. */
	size_t			 depth;		/* open elements */
	size_t			 shift;		/* 1: later tops under root */
	int			 have_root;
	int			 doc_other;	/* comment, PI, DTD first */
	int			 invisible;	/* past the root's tree */
	int			 halted;	/* the tree builder stopped */
	int			 script_start;	/* last: <script>, <style> */

	/* The grid control and its parts. */
	size_t			 ngrids;
	size_t			 grid;		/* its depth while open, or 0 */
	char			*grid_id;	/* raw: as in the page */
	char			*filter_caption;
	char			*filter_key;
	enum part		 part;
	size_t			 part_depth;
	int			 have_header;
	int			 empty;
	size_t			 colcap;
	size_t			 rowcap;
	size_t			 cellcap;
	struct grid_row		*row;		/* the data row being read */

	/* The pager. */
	int			 have_pager;
	int			 have_summary;
	char			*summary;	/* its text, once read */
	int			 have_next;
	int			 next_disabled;
	size_t			 disabled;	/* outer open dxp-disabled */

	/* The text being read: cell_read() of grid.c, one event at a time. */
	enum col		 col;
	size_t			 col_depth;
	size_t			 col_skip;	/* open script or style in it */
	size_t			 col_index;
	char			*fieldname;
	int			 nbsp;		/* NBSP is whitespace */
	int			 pending;	/* a space is due before more */
	struct buf		 text;
	int			 checkbox;
	char			*img_src;
	int			 sort;

	struct grid		 g;
};

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f';
}

/* Is tok one of the whitespace-separated tokens of a class value? */
static int
has_class(const char *c, const char *tok)
{
	const char	*p;
	size_t		 len = strlen(tok);

	if (c == NULL)
		return 0;
	for (p = c; (p = strstr(p, tok)) != NULL; p += len) {
		if ((p == c || is_space(p[-1])) &&
		    (p[len] == '\0' || is_space(p[len])))
			return 1;
	}
	return 0;
}

static int
class_contains(const char *c, const char *sub)
{
	return c != NULL && strstr(c, sub) != NULL;
}


/*
 * An attribute's value, "" for a bare one, NULL when absent. The parser
 * drops repeated attributes, so the first is the only one.
 */
static const char *
att(const xmlChar **atts, const char *name)
{
	if (atts == NULL)
		return NULL;
	for (; atts[0] != NULL; atts += 2)
		if (strcmp((const char *)atts[0], name) == 0)
			return atts[1] != NULL ? (const char *)atts[1] : "";
	return NULL;
}


/* A copy of n bytes of page text, bytes that are not UTF-8 as U+FFFD. */
static char *
text_dup(const char *s, size_t n)
{
	const unsigned char	*u = (const unsigned char *)s;
	struct buf		 b;
	size_t			 i, k;
	char			*t;

	for (i = 0; i < n; i += k) {
		if (u[i] < 0x80)
			k = 1;
		else if ((k = utf8_len(u + i, n - i)) == 0)
			break;
	}
	if (i == n) {
		t = xmalloc(n + 1);
		memcpy(t, s, n);
		t[n] = '\0';
		return t;
	}
	buf_init(&b);
	buf_add(&b, s, i);
	while (i < n) {
		if ((k = utf8_len(u + i, n - i)) > 0) {
			buf_add(&b, s + i, k);
			i += k;
		} else {
			buf_adds(&b, "\xef\xbf\xbd");
			i++;
		}
	}
	return buf_steal(&b);
}

/* Replace a raw string by its text_dup(), in place. */
static void
text_fix(char **s)
{
	char	*t;

	if (*s == NULL)
		return;
	t = text_dup(*s, strlen(*s));
	free(*s);
	*s = t;
}

/*
 * Text: grid.c's text_add(), one text event at a time. grid.c reads the
 * tree builder's text nodes, runs of text events joined, but libxml2
 * hands over whole characters and never a NUL (it reads one as a space,
 * or as the end), so event by event reads the same.
 */
static void
text_add(struct grid_stream *s, const char *p, size_t n)
{
	struct buf	*b = &s->text;
	const char	*end = p + n;
	char		*o;

	/* At most a space and every byte. */
	buf_reserve(b, n + 1);
	for (o = b->data + b->len; p < end; p++) {
		if (is_space(*p)) {
			s->pending = 1;
			continue;
		}
		if (s->nbsp && *p == '\xc2' && p + 1 < end &&
		    p[1] == '\xa0') {
			s->pending = 1;
			p++;
			continue;
		}
		if (s->pending) {
			if (o > b->data)
				*o++ = ' ';
			s->pending = 0;
		}
		*o++ = *p;
	}
	b->len = (size_t)(o - b->data);
	b->data[b->len] = '\0';
}

/* Start reading the text of the element at depth d. */
static void
col_start(struct grid_stream *s, enum col what, size_t d, int nbsp)
{
	s->col = what;
	s->col_depth = d;
	s->col_skip = 0;
	s->nbsp = nbsp;
	s->pending = 0;
	buf_reset(&s->text);
	s->checkbox = -1;
	s->img_src = NULL;
	s->sort = 0;
}

/* An element inside the one being read: cell_read() of grid.c. */
static void
col_element(struct grid_stream *s, size_t d, const char *name,
    const xmlChar **atts, const char *cls)
{
	const char	*src;

	if (s->col_skip != 0)
		return;
	if (strcmp(name, "br") == 0)
		s->pending = 1;
	else if (strcmp(name, "script") == 0 || strcmp(name, "style") == 0)
		s->col_skip = d;
	else if (strcmp(name, "span") == 0 && s->checkbox == -1) {
		if (class_contains(cls, "CheckBoxChecked"))
			s->checkbox = 1;
		else if (class_contains(cls, "CheckBoxUnchecked"))
			s->checkbox = 0;
	} else if (strcmp(name, "img") == 0) {
		if (s->img_src == NULL && (src = att(atts, "src")) != NULL)
			s->img_src = xstrdup(src);
		if (s->sort != 0)
			return;
		if (class_contains(cls, "gvHeaderSortUp"))
			s->sort = 1;
		else if (class_contains(cls, "gvHeaderSortDown"))
			s->sort = -1;
	}
}

static void
add_column(struct grid_stream *s)
{
	struct grid		*g = &s->g;
	struct grid_column	*c;

	if (g->ncols == s->colcap) {
		s->colcap = s->colcap ? s->colcap * 2 : 32;
		g->cols = xreallocarray(g->cols, s->colcap, sizeof(*g->cols));
	}
	c = &g->cols[g->ncols++];
	c->caption = text_dup(s->text.len > 0 ? s->text.data : "",
	    s->text.len);
	c->fieldname = s->fieldname;		/* takes ownership */
	s->fieldname = NULL;
	text_fix(&c->fieldname);
	c->sort = s->sort;
	c->index = s->col_index;
}

/* The element being read is closed: keep what it was read for. */
static void
col_end(struct grid_stream *s)
{
	struct grid_cell	*cell;

	switch (s->col) {
	case COL_CAPTION:
		add_column(s);
		break;
	case COL_CELL:
		cell = &s->row->cells[s->col_index];
		cell->text = text_dup(s->text.len > 0 ? s->text.data : "",
		    s->text.len);
		cell->checkbox = s->checkbox;
		cell->img_src = s->img_src;	/* takes ownership */
		s->img_src = NULL;
		text_fix(&cell->img_src);
		break;
	case COL_SUMMARY:
		s->summary = text_dup(s->text.len > 0 ? s->text.data : "",
		    s->text.len);
		break;
	case COL_NONE:
		break;
	}
	free(s->img_src);
	s->img_src = NULL;
	s->col = COL_NONE;
	s->col_depth = 0;
	s->col_skip = 0;
}

/* A data row starts: its id, raw until the page is known good. */
static void
row_start(struct grid_stream *s, const char *id)
{
	struct grid	*g = &s->g;

	if (g->nrows == s->rowcap) {
		s->rowcap = s->rowcap ? s->rowcap * 2 : 64;
		g->rows = xreallocarray(g->rows, s->rowcap, sizeof(*g->rows));
	}
	s->row = &g->rows[g->nrows++];
	memset(s->row, 0, sizeof(*s->row));
	s->row->id = xstrdup(id);
	s->cellcap = 0;
}

/* A direct td of the data row: one more cell. */
static void
row_cell(struct grid_stream *s, size_t d)
{
	struct grid_row	*r = s->row;

	if (r->ncells == s->cellcap) {
		s->cellcap = s->cellcap ? s->cellcap * 2 : 32;
		r->cells = xreallocarray(r->cells, s->cellcap,
		    sizeof(*r->cells));
	}
	memset(&r->cells[r->ncells], 0, sizeof(*r->cells));
	s->col_index = r->ncells++;
	col_start(s, COL_CELL, d, 0);
}

/* An element in the pager (the pager too): read_pager() of grid.c. */
static void
pager_element(struct grid_stream *s, size_t d, const char *name,
    const xmlChar **atts, const char *cls)
{
	const char	*alt;

	if (s->disabled == 0 && has_class(cls, DISABLED_CLASS))
		s->disabled = d;
	if (!s->have_summary && has_class(cls, SUMMARY_CLASS)) {
		s->have_summary = 1;
		col_start(s, COL_SUMMARY, d, 1);
	} else if (!s->have_next && strcmp(name, "img") == 0 &&
	    (alt = att(atts, "alt")) != NULL && strcmp(alt, "Next") == 0) {
		s->have_next = 1;
		s->next_disabled = s->disabled != 0;
	}
}

/* An element directly under the grid's parts: find_parts() of grid.c. */
static void
scan_element(struct grid_stream *s, size_t d, const char *name,
    const xmlChar **atts, const char *cls, const char *id)
{
	const char	*v;

	if (strcmp(name, "tr") == 0 && id != NULL) {
		if (strstr(id, "_DXDataRow") != NULL) {
			s->part = PART_ROW;
			row_start(s, id);
		} else if (ends_with(id, "_DXHeadersRow0")) {
			s->part = s->have_header ? PART_SKIP : PART_HEADER;
			s->have_header = 1;
		} else if (ends_with(id, "_DXEmptyRow")) {
			s->part = PART_SKIP;
			s->empty = 1;
		} else
			return;
		s->part_depth = d;
	} else if (strcmp(name, "input") == 0 && id != NULL) {
		v = att(atts, "value");
		if (ends_with(id, "_Cb_I") && s->filter_caption == NULL)
			s->filter_caption = xstrdup(v != NULL ? v : "");
		else if (ends_with(id, "_Cb_VI") && s->filter_key == NULL)
			s->filter_key = xstrdup(v != NULL ? v : "");
	} else if (!s->have_pager && has_class(cls, PAGER_CLASS)) {
		s->have_pager = 1;
		s->part = PART_PAGER;
		s->part_depth = d;
		pager_element(s, d, name, atts, cls);
	}
}

/* A second grid control: the page fails, only the count matters now. */
static void
drop_parts(struct grid_stream *s)
{
	if (s->col != COL_NONE)
		col_end(s);
	grid_free(&s->g);
	s->colcap = s->rowcap = s->cellcap = 0;
	s->row = NULL;
	s->part = PART_NONE;
	s->part_depth = 0;
	s->grid = 0;
}

/* An element of the tree, at depth d. */
static void
element(struct grid_stream *s, size_t d, const char *name,
    const xmlChar **atts)
{
	const char	*cls = NULL, *id = NULL;
	const xmlChar	**a;
	const char	*fieldname;

	for (a = atts; a != NULL && a[0] != NULL; a += 2) {
		if (cls == NULL && strcmp((const char *)a[0], "class") == 0)
			cls = a[1] != NULL ? (const char *)a[1] : "";
		else if (id == NULL && strcmp((const char *)a[0], "id") == 0)
			id = a[1] != NULL ? (const char *)a[1] : "";
	}
	if (has_class(cls, GRID_CLASS)) {
		if (s->ngrids++ == 0) {
			s->grid = d;
			s->grid_id = id != NULL ? xstrdup(id) : NULL;
			return;
		}
		drop_parts(s);
	}
	if (s->grid == 0)
		return;

	if (s->col != COL_NONE)
		col_element(s, d, name, atts, cls);
	switch (s->part) {
	case PART_NONE:
		scan_element(s, d, name, atts, cls, id);
		break;
	case PART_HEADER:
		if (d != s->part_depth + 1 || strcmp(name, "td") != 0)
			break;
		s->g.nheader++;
		fieldname = att(atts, "fieldname");
		if (fieldname == NULL || *fieldname == '\0')
			break;
		s->fieldname = xstrdup(fieldname);
		s->col_index = s->g.nheader - 1;
		col_start(s, COL_CAPTION, d, 1);
		break;
	case PART_ROW:
		if (d == s->part_depth + 1 && strcmp(name, "td") == 0)
			row_cell(s, d);
		break;
	case PART_PAGER:
		pager_element(s, d, name, atts, cls);
		break;
	case PART_SKIP:
		break;
	}
}

/* Close every element deeper than k. */
static void
close_to(struct grid_stream *s, size_t k)
{
	if (s->depth <= k)
		return;
	if (s->col_skip > k)
		s->col_skip = 0;
	if (s->col_depth > k)
		col_end(s);
	if (s->disabled > k)
		s->disabled = 0;
	if (s->part_depth > k) {
		s->part = PART_NONE;
		s->part_depth = 0;
		s->row = NULL;
	}
	if (s->grid > k)
		s->grid = 0;
	s->depth = k;
}

/*
 * Where libxml2's open elements (nr of them) are in grid.c's tree. Once
 * the root is closed, the tree builder hangs a new top-level element
 * under the root when the root is the document's first child, and leaves
 * it outside (where grid.c does not look) when a comment, PI or DTD is.
 */
static size_t
tree_depth(struct grid_stream *s, int nr)
{
	return (size_t)nr + s->shift;
}

/* An element starts (libxml2 has pushed its name already). */
static void
sax_start(void *ud, const xmlChar *xname, const xmlChar **atts)
{
	struct grid_stream	*s = ud;
	int			 nr = s->ctx->nameNr;
	size_t			 d;

	s->script_start = 0;
	if (s->halted || s->invisible)
		return;
	if (nr > TREE_MAX_DEPTH) {
		s->halted = 1;
		xmlStopParser(s->ctx);
		return;
	}
	if (nr == 1 && s->have_root) {
		if (s->doc_other) {
			close_to(s, 0);
			s->invisible = 1;
			return;
		}
		s->shift = 1;
	}
	d = tree_depth(s, nr);
	close_to(s, d - 1);
	s->depth = d;
	s->have_root = 1;
	element(s, d, (const char *)xname, atts);
	if (strcmp((const char *)xname, "script") == 0 ||
	    strcmp((const char *)xname, "style") == 0)
		s->script_start = 1;
}

/*
 * An element ends (libxml2 pops its name after), with any below it that
 * libxml2 popped without a word (a start tag cut short).
 */
static void
sax_end(void *ud, const xmlChar *xname)
{
	struct grid_stream	*s = ud;
	size_t			 d;

	(void)xname;
	s->script_start = 0;
	if (s->halted || s->invisible)
		return;
	d = tree_depth(s, s->ctx->nameNr);
	if (d == 0)
		return;
	/* The root stays open: later top-level elements may go under it. */
	if (d == 1) {
		close_to(s, 1);
		return;
	}
	close_to(s, d - 1);
}

/* Text, or the text of a script or style; none outside the root. */
static void
sax_text(void *ud, const xmlChar *p, int n)
{
	struct grid_stream	*s = ud;
	int			 nr = s->ctx->nameNr;

	s->script_start = 0;
	if (s->halted || s->invisible || nr == 0)
		return;
	close_to(s, tree_depth(s, nr));
	if (s->col != COL_NONE && s->col_skip == 0)
		text_add(s, (const char *)p, (size_t)n);
}

/* A comment or PI: a node of its own, a document child before the root. */
static void
other_node(struct grid_stream *s)
{
	int	 nr = s->ctx->nameNr;

	s->script_start = 0;
	if (s->halted || s->invisible)
		return;
	if (nr == 0) {
		if (!s->have_root)
			s->doc_other = 1;
		return;
	}
	close_to(s, tree_depth(s, nr));
}

static void
sax_comment(void *ud, const xmlChar *p)
{
	(void)p;
	other_node(ud);
}

static void
sax_pi(void *ud, const xmlChar *target, const xmlChar *data)
{
	(void)target;
	(void)data;
	other_node(ud);
}

/*
 * A DOCTYPE, anywhere: the tree builder makes the first one the
 * document's first child, before the root.
 */
static void
sax_doctype(void *ud, const xmlChar *name, const xmlChar *eid,
    const xmlChar *sid)
{
	struct grid_stream	*s = ud;

	(void)name;
	(void)eid;
	(void)sid;
	s->doc_other = 1;
}

/* Never called with blanks kept; the tree builder drops them anyway. */
static void
sax_blanks(void *ud, const xmlChar *p, int n)
{
	(void)ud;
	(void)p;
	(void)n;
}

static const htmlSAXHandler sax = {
	.internalSubset = sax_doctype,
	.startElement = sax_start,
	.endElement = sax_end,
	.characters = sax_text,
	.ignorableWhitespace = sax_blanks,
	.processingInstruction = sax_pi,
	.comment = sax_comment,
	.cdataBlock = sax_text,		/* script and style text */
};

/*
 * A push parser that reads as htmlReadMemory(..., "UTF-8", ...) does:
 * UTF-8 forced by an encoder, so libxml2 neither guesses nor obeys a meta
 * charset.
 */
static htmlParserCtxtPtr
parser_new(struct grid_stream *s)
{
	htmlParserCtxtPtr	 ctx;

	ctx = htmlCreatePushParserCtxt((htmlSAXHandlerPtr)&sax, s, NULL, 0,
	    NULL, XML_CHAR_ENCODING_NONE);
	if (ctx == NULL)
		fatalx("%s: htmlCreatePushParserCtxt failed", __func__);
	htmlCtxtUseOptions(ctx, HTML_OPTIONS);
	if (xmlSwitchToEncoding(ctx, s->utf8) != 0)
		fatalx("%s: cannot force UTF-8", __func__);
	if (ctx->input->encoding != NULL)
		xmlFree((xmlChar *)ctx->input->encoding);
	ctx->input->encoding = xmlStrdup((const xmlChar *)"UTF-8");
	return ctx;
}

/* Bytes libxml2 holds and has not parsed yet. */
static size_t
parser_avail(htmlParserCtxtPtr ctx)
{
	if (ctx->input == NULL || ctx->input->buf == NULL ||
	    ctx->input->cur == NULL || ctx->input->end < ctx->input->cur)
		return 0;
	return (size_t)(ctx->input->end - ctx->input->cur);
}

/*
 * Has the push parser given up on content it was given? After the root
 * is closed (</html>, or a stray end tag at the start) it only takes
 * comments, PIs and blanks, and drops anything else or waits for ever;
 * the pull parser reads it as content, opening a new root.
 */
static int
gave_up(struct grid_stream *s)
{
	htmlParserCtxtPtr	 ctx = s->ctx;

	return (ctx->instate == XML_PARSER_EPILOG ||
	    ctx->instate == XML_PARSER_EOF) && parser_avail(ctx) > 0;
}

/*
 * A new push parser in the old one's state, for n bytes that may be the
 * old one's (they are copied first). Returns the copy, to free once
 * parsed.
 */
static char *
renew(struct grid_stream *s, const char *p, size_t n)
{
	htmlParserCtxtPtr	 old = s->ctx;
	char			*copy;

	copy = xmalloc(n > 0 ? n : 1);
	memcpy(copy, p, n);
	s->ctx = parser_new(s);
	s->ctx->html = old->html;
	s->ctx->depth = old->depth;
	s->ctx->charset = old->charset;
	htmlFreeParserCtxt(old);
	return copy;
}

/*
 * Give libxml2 n bytes, and with terminate set the end of the page.
 *
 * After invalid UTF-8, libxml2 may swap the input's encoder for Latin-1 or
 * for a charset named in the page. The pull parser has decoded the whole
 * page by then, so there the swap changes nothing; here the UTF-8 encoder
 * goes back before more bytes come.
 *
 * When the push parser gives up on content (gave_up()), it is set back to
 * reading content, as the pull parser does.
 */
static void
parse(struct grid_stream *s, const char *p, size_t n, int terminate)
{
	xmlParserInputBufferPtr	 in;
	size_t			 left = SIZE_MAX, now;

	if (s->stopped || (n == 0 && !terminate))
		return;
	if (n > 0)
		s->last = p[n - 1];
	htmlParseChunk(s->ctx, p, (int)n, terminate);
	for (;;) {
		if (s->halted) {
			s->stopped = 1;
			return;
		}
		/*
		 * Waiting for the end of a tag, libxml2 goes on where it
		 * stopped looking, but forgets which quote it was in: it
		 * would never find the end of a tag cut inside a quoted
		 * value. Have it look again from the start of the token.
		 */
		s->ctx->checkIndex = 0;
		s->ctx->hasPErefs &= ~1;
		in = s->ctx->input != NULL ? s->ctx->input->buf : NULL;
		if (in != NULL && in->encoder != s->utf8) {
			xmlCharEncCloseFunc(in->encoder);
			in->encoder = s->utf8;
		}
		if (!gave_up(s) || (now = parser_avail(s->ctx)) >= left)
			break;
		left = now;
		s->ctx->instate = XML_PARSER_CONTENT;
		htmlParseChunk(s->ctx, NULL, 0, terminate);
	}
	if (terminate)
		s->stopped = 1;
}

/* Parse what is held back. */
static void
hold_flush(struct grid_stream *s)
{
	if (s->hold.len > 0)
		parse(s, s->hold.data, s->hold.len, 0);
	buf_reset(&s->hold);
}

/*
 * May a chunk end just before this '<' (n bytes from it on)? 1 yes, 0 no,
 * -1 not known yet. The push parser has bugs when a chunk ends inside a
 * token ("</S" "CRIPT>" in a script is read as script text), and when
 * script or style text goes on in a new chunk that starts with "</": it
 * takes what follows for an end tag. It has none when every chunk ends
 * just before a '<' that does not start "</", or starts "</script" (which
 * ends a script where a chunk may end).
 */
static int
cut_ok(const char *p, size_t n)
{
	if (n < 2)
		return -1;
	if (p[1] != '/')
		return 1;
	if (n < 8)
		return -1;
	return strncasecmp(p + 2, "script", 6) == 0;
}

/*
 * Where a chunk of n bytes (at most len held) must end instead, so that
 * no comment "<!-->" or "<!--->" (or with "!>") is cut off from its end.
 * Looking ahead for "-->", the push parser takes such a start for a whole
 * comment, then reads it as a comment never closed, to the end of what
 * it has; the pull parser reads on to the "-->" after it.
 */
static size_t
comment_cut(const char *p, size_t n, size_t len)
{
	const char	*q, *e, *end = p + len;

	/* '!' is rare outside comments: look for it, not for "<!--". */
	for (q = p; q < p + n &&
	    (q = memchr(q, '!', n - (size_t)(q - p))) != NULL; q++) {
		if (q == p || q[-1] != '<' || q + 3 >= end ||
		    q[1] != '-' || q[2] != '-')
			continue;
		e = q + 3;
		if (e < end && *e == '-')
			e++;
		if (e < end && *e == '!')
			e++;
		if (e >= end || *e != '>')
			continue;
		if (e >= p + n)
			return (size_t)(q - 1 - p);
		/* Its end: "--" after the "<!--", then '>' or "!>". */
		for (e = q + 3; (e = memmem(e, n - (size_t)(e - p), "--",
		    2)) != NULL; e++)
			if ((e + 2 < p + n && e[2] == '>') ||
			    (e + 3 < p + n && e[2] == '!' && e[3] == '>'))
				break;
		if (e == NULL)
			return (size_t)(q - 1 - p);
	}
	return n;
}

/*
 * Bytes for libxml2, held back from the last place a chunk may end. What
 * is held back is a token or so: a tag, a comment, some text, a few end
 * tags.
 */
static void
hold_add(struct grid_stream *s, const char *p, size_t n)
{
	size_t	 from, end, at;
	char	*lt;

	if (n == 0 || s->stopped)
		return;
	/* The bytes held already have no place to end, but near their end. */
	from = s->hold.len > 8 ? s->hold.len - 8 : 0;
	buf_add(&s->hold, p, n);
	for (end = s->hold.len; end > from; end = at) {
		lt = memrchr(s->hold.data + from, '<', end - from);
		if (lt == NULL)
			return;
		at = (size_t)(lt - s->hold.data);
		if (cut_ok(lt, s->hold.len - at) == 1)
			break;
	}
	if (end <= from || at == 0)
		return;
	if ((at = comment_cut(s->hold.data, at, s->hold.len)) == 0)
		return;
	parse(s, s->hold.data, at, 0);
	buf_consume(&s->hold, at);
}

/* Is libxml2 in a script or style, whose text is read raw? */
static int
in_script(htmlParserCtxtPtr ctx)
{
	const char	*name = (const char *)ctx->name;

	return name != NULL &&
	    (strcmp(name, "script") == 0 || strcmp(name, "style") == 0);
}

/*
 * The end of the page, where the push parser drops what the pull parser
 * reads as text: a last '<' or '&' on its own ("a<", "</&"), and before
 * or after the root "<!" and a few bytes ("<!DOCTY": '<', then text that
 * opens a root). A space after the '<' or '&' has the push parser read it
 * and changes nothing else, the page ending there: but not in a start tag,
 * where it would be part of an attribute value.
 */
static void
last_bytes(struct grid_stream *s)
{
	htmlParserCtxtPtr	 ctx = s->ctx;
	const char		*c;
	char			*copy;
	size_t			 n;

	if ((s->last == '<' || s->last == '&') &&
	    ctx->instate != XML_PARSER_START_TAG) {
		parse(s, " ", 1, 0);
		return;
	}
	if ((n = parser_avail(ctx)) == 0)
		return;
	c = (const char *)ctx->input->cur;
	if (ctx->nameNr == 0 && ctx->instate != XML_PARSER_CONTENT &&
	    n >= 2 && n < 9 && c[0] == '<' && c[1] == '!' &&
	    !(n >= 4 && c[2] == '-' && c[3] == '-')) {
		copy = renew(s, c + 1, n - 1);
		parse(s, copy, n - 1, 0);
		free(copy);
	}
}

/* The page ends: everything held back, then libxml2's end. */
static void
finish(struct grid_stream *s)
{
	hold_flush(s);
	if (!s->stopped)
		last_bytes(s);
	parse(s, NULL, 0, 1);
	s->stopped = 1;
}

static int
name_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    c == '_' || c == ':' || c >= 0x80;
}

static int
name_char(unsigned char c)
{
	return name_start(c) || (c >= '0' && c <= '9') || c == '.' ||
	    c == '-';
}

static int
is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

/*
 * Does text (without '<') end with an entity or character reference, or
 * the start of one ("&", "&amp", "&#x4")? The pull parser reads text and
 * references as separate tokens.
 */
static int
ends_in_reference(const unsigned char *p, size_t n)
{
	const unsigned char	*amp;
	size_t			 i, m;

	if ((amp = memrchr(p, '&', n)) == NULL)
		return 0;
	m = n - (size_t)(amp - p) - 1;
	p = amp + 1;
	i = 0;
	if (m > 0 && p[0] == '#') {
		i = 1;
		if (i < m && (p[i] == 'x' || p[i] == 'X')) {
			for (i++; i < m && is_hex(p[i]); i++)
				;
		} else {
			for (; i < m && p[i] >= '0' && p[i] <= '9'; i++)
				;
		}
	} else if (m > 0 && name_start(p[0])) {
		for (i = 1; i < m && name_char(p[i]); i++)
			;
	} else
		return m == 0;		/* a bare '&' is text */
	if (i < m && p[i] == ';')
		i++;
	return i == m;
}

/*
 * A NUL byte comes; everything before it is parsed. The pull parser (whose
 * tree grid.c reads) takes a NUL where a token would start for the end of
 * the page, and a NUL inside text, a comment, a PI or a script for a
 * space; a NUL inside a tag cuts the tag, and then the page, short. The
 * push parser takes every NUL for a space, so which it is must be worked
 * out here, from what libxml2 has not parsed yet: the start of the token
 * the NUL is in.
 */
static int
nul_ends_page(struct grid_stream *s)
{
	htmlParserCtxtPtr	 ctx = s->ctx;
	const unsigned char	*p;
	size_t			 n;

	n = parser_avail(ctx);
	if (ctx->instate == XML_PARSER_CONTENT && in_script(ctx))
		return n == 0 && s->script_start;
	if (n == 0)
		return 1;
	p = ctx->input->cur;
	if (p[0] != '<')
		return ends_in_reference(p, n);
	if (n == 1)
		return 1;
	switch (p[1]) {
	case '!':
		if (n >= 4 && p[2] == '-' && p[3] == '-')
			return 0;
		return n >= 9 &&
		    strncasecmp((const char *)p + 2, "DOCTYPE", 7) == 0;
	case '?':
		return 0;
	case '/':
		/* "</" and no name: the rest is text. */
		if (n == 2 || name_start(p[2]) || p[2] == '.' ||
		    memchr(p + 2, '<', n - 2) != NULL)
			return 1;
		return ends_in_reference(p + 2, n - 2);
	default:
		return 1;
	}
}

/* Bytes of the page after the byte order mark. */
static void
input(struct grid_stream *s, const char *p, size_t n)
{
	const char	*z;
	size_t		 k, c;

	while (n > 0 && !s->stopped) {
		if ((z = memchr(p, '\0', n)) == NULL) {
			hold_add(s, p, n);
			return;
		}
		k = (size_t)(z - p);
		hold_add(s, p, k);
		/*
		 * Inside a "<!-->" comment not closed yet: a space. (Nothing
		 * held, as when the page starts with a NUL: no hold.data.)
		 */
		if (s->hold.len > 0 && (c = comment_cut(s->hold.data,
		    s->hold.len, s->hold.len)) < s->hold.len) {
			parse(s, s->hold.data, c, 0);
			buf_consume(&s->hold, c);
		} else {
			hold_flush(s);
			if (s->stopped)
				return;
			if (nul_ends_page(s)) {
				finish(s);
				return;
			}
		}
		buf_addc(&s->hold, '\0');
		p = z + 1;
		n -= k + 1;
	}
}

/*
 * The first bytes are in. Like htmlReadMemory(), skip a UTF-8 byte order
 * mark, and a second one when 4 bytes or more follow the first (libxml2
 * then sniffs them, finds UTF-8 and skips its mark again).
 */
static void
head_done(struct grid_stream *s)
{
	static const unsigned char	 bom[3] = { 0xef, 0xbb, 0xbf };
	size_t				 off = 0;

	s->head_done = 1;
	if (s->nhead >= 3 && memcmp(s->head, bom, 3) == 0) {
		off = 3;
		if (s->nhead >= 7 && memcmp(s->head + 3, bom, 3) == 0)
			off = 6;
	}
	input(s, (const char *)s->head + off, s->nhead - off);
}

/* A stream for one page; feed it, end it, free it. */
struct grid_stream *
grid_stream_new(void)
{
	struct grid_stream	*s;

	xmlInitParser();		/* as htmlReadMemory() does; once */
	s = xcalloc(1, sizeof(*s));
	buf_init(&s->hold);
	buf_init(&s->text);
	s->checkbox = -1;
	if ((s->utf8 = xmlFindCharEncodingHandler("UTF-8")) == NULL)
		fatalx("%s: no UTF-8 encoder in libxml2", __func__);
	s->ctx = parser_new(s);
	return s;
}

/* More bytes of the page, as they arrive. */
void
grid_stream_feed(struct grid_stream *s, const char *data, size_t len)
{
	size_t	 k;

	if (s->ended || data == NULL || len == 0)
		return;
	s->total = len > SIZE_MAX - s->total ? SIZE_MAX : s->total + len;
	if (s->stopped)
		return;
	if (s->total > INT_MAX) {
		/* grid_parse() refuses such a page; so will the end. */
		s->stopped = 1;
		return;
	}
	if (!s->head_done) {
		k = sizeof(s->head) - s->nhead;
		if (k > len)
			k = len;
		memcpy(s->head + s->nhead, data, k);
		s->nhead += k;
		data += k;
		len -= k;
		if (s->nhead < sizeof(s->head))
			return;
		head_done(s);
	}
	/* A whole page at once: in slices, which libxml2 parses faster. */
	for (; len > 0 && !s->stopped; data += k, len -= k) {
		k = len > FEED_SLICE ? FEED_SLICE : len;
		input(s, data, k);
	}
}



/*
 * What was read, checked in grid_parse()'s order so that a bad page gets
 * the same sentence.
 */
static int
result(struct grid_stream *s, char *err, size_t errlen)
{
	struct grid	*g = &s->g;
	size_t		 i;

	if (!s->have_root) {
		snprintf(err, errlen, "page is not HTML");
		return -1;
	}
	if (s->ngrids == 0) {
		snprintf(err, errlen, "no grid control (class " GRID_CLASS
		    ") in the page");
		return -1;
	}
	if (s->ngrids > 1) {
		snprintf(err, errlen, "%zu grid controls (class " GRID_CLASS
		    ") in the page, expected one", s->ngrids);
		return -1;
	}
	if (s->grid_id == NULL || *s->grid_id == '\0') {
		snprintf(err, errlen, "grid control has no id");
		return -1;
	}
	if (!s->have_header) {
		snprintf(err, errlen, "no header row (id ending in "
		    "_DXHeadersRow0) in grid '%.100s'", s->grid_id);
		return -1;
	}
	for (i = 0; i < g->nrows; i++) {
		if (g->rows[i].ncells == g->nheader)
			continue;
		snprintf(err, errlen, "data row '%.100s' has %zu cells, the "
		    "header row has %zu", g->rows[i].id, g->rows[i].ncells,
		    g->nheader);
		return -1;
	}
	if (s->have_pager) {
		if (!s->have_summary) {
			snprintf(err, errlen, "pager has no summary (class "
			    SUMMARY_CLASS ")");
			return -1;
		}
		if (parse_summary(s->summary, g) == -1) {
			snprintf(err, errlen, "pager summary does not parse: "
			    "'%.100s'", s->summary);
			return -1;
		}
		g->has_pager = 1;
		g->next_disabled = !s->have_next || s->next_disabled;
	} else {
		g->page = g->pages = 1;
		g->total = (int64_t)g->nrows;
		g->next_disabled = 1;
	}
	g->empty = s->empty && g->nrows == 0;
	g->grid_id = text_dup(s->grid_id, strlen(s->grid_id));
	if (s->filter_caption != NULL)
		g->filter_caption = text_dup(s->filter_caption,
		    strlen(s->filter_caption));
	if (s->filter_key != NULL)
		g->filter_key = text_dup(s->filter_key, strlen(s->filter_key));
	for (i = 0; i < g->nrows; i++)
		text_fix(&g->rows[i].id);
	return 0;
}

/*
 * The page is complete: parse what is left and hand over the grid. Returns
 * 0 with g filled (the caller frees it with grid_free()), or -1 with a
 * sentence in err and g empty — grid_parse()'s result for the same bytes.
 */
int
grid_stream_end(struct grid_stream *s, struct grid *g, char *err,
    size_t errlen)
{
	char	 dummy[1];

	memset(g, 0, sizeof(*g));
	if (err == NULL || errlen == 0) {
		err = dummy;
		errlen = sizeof(dummy);
	}
	err[0] = '\0';
	if (s->ended) {
		snprintf(err, errlen, "grid stream already ended");
		return -1;
	}
	s->ended = 1;
	if (s->total == 0) {
		snprintf(err, errlen, "empty page");
		return -1;
	}
	if (s->total > INT_MAX) {
		snprintf(err, errlen, "page too large (%zu bytes)", s->total);
		return -1;
	}
	if (!s->head_done)
		head_done(s);
	finish(s);
	close_to(s, 0);
	if (result(s, err, errlen) == -1)
		return -1;
	*g = s->g;			/* the caller owns it now */
	memset(&s->g, 0, sizeof(s->g));
	return 0;
}

/* Free a stream, ended or not. */
void
grid_stream_free(struct grid_stream *s)
{
	if (s == NULL)
		return;
	if (s->ctx != NULL)
		htmlFreeParserCtxt(s->ctx);
	buf_free(&s->hold);
	buf_free(&s->text);
	grid_free(&s->g);
	free(s->grid_id);
	free(s->filter_caption);
	free(s->filter_key);
	free(s->summary);
	free(s->fieldname);
	free(s->img_src);
	free(s);
}

/* grid_parse() of a whole page, through a stream. */
int
grid_parse_sax(const char *html, size_t len, struct grid *g, char *err,
    size_t errlen)
{
	struct grid_stream	*s;
	char			 dummy[1];
	int			 rc;

	memset(g, 0, sizeof(*g));
	if (err == NULL || errlen == 0) {
		err = dummy;
		errlen = sizeof(dummy);
	}
	err[0] = '\0';
	if (html == NULL || len == 0) {
		snprintf(err, errlen, "empty page");
		return -1;
	}
	if (len > INT_MAX) {
		snprintf(err, errlen, "page too large (%zu bytes)", len);
		return -1;
	}
	s = grid_stream_new();
	grid_stream_feed(s, html, len);
	rc = grid_stream_end(s, g, err, errlen);
	grid_stream_free(s);
	return rc;
}
