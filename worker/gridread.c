/*
 * gridread.c — reading the grid control of contract §4 from the events of
 * one SAX pass (gridsax.c drives the parser and says where in the tree each
 * event is). What a walk of libxml2's tree reads (tests/unit/gridref.c),
 * read one event at a time: the depths at which the grid control, the part
 * being read (header row, data row, pager) and the cell being read were
 * opened stand in for the ancestors the walk looks at, and one buffer holds
 * the text of the cell being read. Memory is the output grid: it does not
 * grow with the rest of the page.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>

#include "worker/worker.h"

#define GRID_CLASS	"dxgvControl_XafTheme"
#define PAGER_CLASS	"dxpLite_XafTheme"
#define SUMMARY_CLASS	"dxp-summary"
#define DISABLED_CLASS	"dxp-disabled"

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


struct gread {
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

	/* The text being read: a tree walk's cell text, event by event. */
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

/* Is tok one of the whitespace-separated tokens of class value c? */
int
class_has(const char *c, const char *tok)
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
const char *
sax_attr(const unsigned char **atts, const char *name)
{
	if (atts == NULL)
		return NULL;
	for (; atts[0] != NULL; atts += 2)
		if (strcmp((const char *)atts[0], name) == 0)
			return atts[1] != NULL ? (const char *)atts[1] : "";
	return NULL;
}


/* Replace a raw string by its utf8_dup(), in place. */
static void
text_fix(char **s)
{
	char	*t;

	if (*s == NULL)
		return;
	t = utf8_dup(*s, strlen(*s));
	free(*s);
	*s = t;
}

/*
 * Text: the reference walk's text_add(), one text event at a time. The
 * walk reads the tree builder's text nodes, runs of text events joined, but libxml2
 * hands over whole characters and never a NUL (it reads one as a space,
 * or as the end), so event by event reads the same.
 */
static void
text_add(struct gread *s, const char *p, size_t n)
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
col_start(struct gread *s, enum col what, size_t d, int nbsp)
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

/* An element inside the one being read: the walk's cell_read(). */
static void
col_element(struct gread *s, size_t d, const char *name,
    const xmlChar **atts, const char *cls)
{
	const char	*src;

	if (s->col_skip != 0)
		return;
	switch (name[0]) {
	case 'b':
		if (strcmp(name, "br") == 0)
			s->pending = 1;
		return;
	case 's':
		if (strcmp(name, "script") == 0 || strcmp(name, "style") == 0)
			s->col_skip = d;
		else if (strcmp(name, "span") == 0 && s->checkbox == -1 &&
		    class_contains(cls, "CheckBox")) {
			if (class_contains(cls, "CheckBoxChecked"))
				s->checkbox = 1;
			else if (class_contains(cls, "CheckBoxUnchecked"))
				s->checkbox = 0;
		}
		return;
	case 'i':
		break;
	default:
		return;
	}
	if (strcmp(name, "img") == 0) {
		if (s->img_src == NULL && (src = sax_attr(atts, "src")) != NULL)
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
add_column(struct gread *s)
{
	struct grid		*g = &s->g;
	struct grid_column	*c;

	if (g->ncols == s->colcap) {
		s->colcap = s->colcap ? s->colcap * 2 : 32;
		g->cols = xreallocarray(g->cols, s->colcap, sizeof(*g->cols));
	}
	c = &g->cols[g->ncols++];
	c->caption = utf8_dup(s->text.len > 0 ? s->text.data : "",
	    s->text.len);
	c->fieldname = s->fieldname;		/* takes ownership */
	s->fieldname = NULL;
	text_fix(&c->fieldname);
	c->sort = s->sort;
	c->index = s->col_index;
}

/* The element being read is closed: keep what it was read for. */
static void
col_end(struct gread *s)
{
	struct grid_cell	*cell;

	switch (s->col) {
	case COL_CAPTION:
		add_column(s);
		break;
	case COL_CELL:
		cell = &s->row->cells[s->col_index];
		cell->text = grid_text(&s->g, s->text.len > 0 ? s->text.data :
		    "", s->text.len);
		cell->checkbox = s->checkbox;
		cell->img_src = s->img_src;	/* takes ownership */
		s->img_src = NULL;
		text_fix(&cell->img_src);
		break;
	case COL_SUMMARY:
		s->summary = utf8_dup(s->text.len > 0 ? s->text.data : "",
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
row_start(struct gread *s, const char *id)
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
row_cell(struct gread *s, size_t d)
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

/* An element in the pager (the pager too): the walk's read_pager(). */
static void
pager_element(struct gread *s, size_t d, const char *name,
    const xmlChar **atts, const char *cls)
{
	const char	*alt;

	if (s->disabled == 0 && class_has(cls, DISABLED_CLASS))
		s->disabled = d;
	if (!s->have_summary && class_has(cls, SUMMARY_CLASS)) {
		s->have_summary = 1;
		col_start(s, COL_SUMMARY, d, 1);
	} else if (!s->have_next && strcmp(name, "img") == 0 &&
	    (alt = sax_attr(atts, "alt")) != NULL && strcmp(alt, "Next") == 0) {
		s->have_next = 1;
		s->next_disabled = s->disabled != 0;
	}
}

/* An element directly under the grid's parts: the walk's find_parts(). */
static void
scan_element(struct gread *s, size_t d, const char *name,
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
		v = sax_attr(atts, "value");
		if (ends_with(id, "_Cb_I") && s->filter_caption == NULL)
			s->filter_caption = xstrdup(v != NULL ? v : "");
		else if (ends_with(id, "_Cb_VI") && s->filter_key == NULL)
			s->filter_key = xstrdup(v != NULL ? v : "");
	} else if (!s->have_pager && class_has(cls, PAGER_CLASS)) {
		s->have_pager = 1;
		s->part = PART_PAGER;
		s->part_depth = d;
		pager_element(s, d, name, atts, cls);
	}
}

/* A second grid control: the page fails, only the count matters now. */
static void
drop_parts(struct gread *s)
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


/* An element of the tree, at depth d (the root is 1). */
void
gread_element(struct gread *s, size_t d, const char *name,
    const xmlChar **atts)
{
	const char	*cls = NULL, *id = NULL;
	const xmlChar	**a;
	const char	*fieldname;

	for (a = atts; a != NULL && a[0] != NULL; a += 2) {
		if (a[0][0] == 'c' && cls == NULL &&
		    strcmp((const char *)a[0], "class") == 0)
			cls = a[1] != NULL ? (const char *)a[1] : "";
		else if (a[0][0] == 'i' && id == NULL &&
		    strcmp((const char *)a[0], "id") == 0)
			id = a[1] != NULL ? (const char *)a[1] : "";
	}
	/* Most elements have a class: look for the grid's only when it fits. */
	if (cls != NULL && strlen(cls) >= sizeof(GRID_CLASS) - 1 &&
	    class_has(cls, GRID_CLASS)) {
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
		fieldname = sax_attr(atts, "fieldname");
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


/* Every element deeper than k is closed. */
void
gread_close_to(struct gread *s, size_t k)
{
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
}


/*
 * What was read, checked in the reference walk's order so that a bad page
 * gets the same sentence: 0 with g filled (the caller owns it), or -1.
 */
int
gread_result(struct gread *s, struct grid *out, char *err,
    size_t errlen)
{
	struct grid	*g = &s->g;
	size_t		 i;

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
	g->grid_id = utf8_dup(s->grid_id, strlen(s->grid_id));
	if (s->filter_caption != NULL)
		g->filter_caption = utf8_dup(s->filter_caption,
		    strlen(s->filter_caption));
	if (s->filter_key != NULL)
		g->filter_key = utf8_dup(s->filter_key, strlen(s->filter_key));
	for (i = 0; i < g->nrows; i++)
		text_fix(&g->rows[i].id);
	*out = *g;
	memset(g, 0, sizeof(*g));
	return 0;
}


/* Text of the element at the current depth. */
void
gread_text(struct gread *s, const char *p, size_t n)
{
	if (s->col != COL_NONE && s->col_skip == 0)
		text_add(s, p, n);
}

/* A reader for one page; gread_free() it. */
struct gread *
gread_new(void)
{
	struct gread	*s;

	s = xcalloc(1, sizeof(*s));
	buf_init(&s->text);
	s->checkbox = -1;
	return s;
}

/* Free a reader, whatever it has read. */
void
gread_free(struct gread *s)
{
	if (s == NULL)
		return;
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
