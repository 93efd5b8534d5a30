/*
 * gridsax.c — the grid control of contract §4 (gridread.c reads it) and
 * a page's form (form.c: the login page's, a view page's hidden inputs),
 * in one SAX pass of libxml2's HTML parser over the whole body (design.md
 * §6, "Parsing cost"). It is the worker's only parser.
 *
 * Public libxml2 API only: a parser context made with our SAX handler,
 * the pull parser over the bytes libcurl buffered, no tree. With libxml2
 * 2.9 a page that is valid UTF-8 without NUL or byte order mark (every
 * real one) is read through htmlCtxtReadIO() a few KB at a time, which
 * spares the two copies of the whole body htmlCtxtReadMemory() makes
 * (about 1.2 MB of the worker's peak RSS on a 580 KB page) for the same
 * CPU; any other page through htmlCtxtReadMemory(), because after a bad
 * byte or a NUL libxml2 decodes what it has not read yet otherwise when
 * it reads piece by piece (sax_pass()). The pull parser is used, not the push parser fed
 * libcurl's chunks: on noisy 200-row pages libxml2 2.9.14's push parser
 * costs about what one pull pass costs (bench/b_cpu.sh prints both), so
 * it would save no CPU, and the pull parser gives the events libxml2's
 * own tree builder gets from htmlReadMemory(), so what is read here is
 * what a walk of that tree reads (tests/unit/gridref.c is that walk;
 * check_gridsax and fuzz_gridsax compare the two).
 *
 * No tree: gridread.c reads the grid control from the events and form.c
 * the form; this file keeps the depth each event is at. Two
 * rules of the tree builder are followed here because its tree decides
 * what is "in the page": it refuses an element when 257 are open (and the
 * page ends there), and once the root is closed it hangs a new top-level
 * element under the root when the root is the document's first child, and
 * outside it (where nothing is read) when a comment, PI or DOCTYPE came
 * first (sax_start()). Both changed in later libxml2 (2.12, 2.14): the
 * rules follow the version built against. libxml2 2.9's parser reads the tree only where
 * that changes no event (areBlanks()), so a handler without a tree gets
 * the tree builder's events.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/xmlversion.h>

#include "worker/worker.h"

/* The options the reference tree walks (tests/unit/dom.c) read with too. */
#define HTML_OPTIONS	(HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | \
    HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_COMPACT)

/*
 * The tree builder refuses an element when 257 are open (libxml2's
 * xmlParserMaxDepth, 256; from 2.14 when 256 are) and halts the parser:
 * the page ends there.
 */
#if LIBXML_VERSION >= 21400
#define TREE_MAX_DEPTH	256
#else
#define TREE_MAX_DEPTH	257
#endif

/*
 * Once the root is closed, libxml2 < 2.12 hangs a new top-level element
 * under the root when the root is the document's first child; from 2.12
 * every one goes beside the root, outside what is read.
 */
#if LIBXML_VERSION >= 21200
#define TOPS_UNDER_ROOT	0
#else
#define TOPS_UNDER_ROOT	1
#endif

struct gsax {
	htmlParserCtxtPtr	 ctx;

	/* Where the events are in the tree the tree builder would make. */
	size_t			 open;		/* elements libxml2 has open */
	size_t			 depth;		/* tree depth of the last one */
	size_t			 shift;		/* 1: later tops under root */
	int			 have_root;
	int			 doc_other;	/* comment, PI, DTD first */
	int			 invisible;	/* past the root's tree */
	int			 halted;	/* the tree builder stopped */

	struct formread		*fr;		/* reads the form, or NULL */
	struct gread		*r;		/* reads the grid control, or NULL */
};

/* Close every element deeper than k. */
static void
close_to(struct gsax *s, size_t k)
{
	if (s->depth <= k)
		return;
	if (s->r != NULL)
		gread_close_to(s->r, k);
	if (s->fr != NULL)
		formread_close_to(s->fr, k);
	s->depth = k;
}

/* An element of the tree, at depth d. */
static void
element(struct gsax *s, size_t d, const char *name, const xmlChar **atts)
{
	if (s->fr != NULL)
		formread_element(s->fr, d, name, atts);
	if (s->r != NULL)
		gread_element(s->r, d, name, atts);
}

/* An element starts. */
static void
sax_start(void *ud, const xmlChar *xname, const xmlChar **atts)
{
	struct gsax	*s = ud;
	size_t		 d;

	if (s->halted || s->invisible)
		return;
	if (s->open + 1 > TREE_MAX_DEPTH) {
		s->halted = 1;
		xmlStopParser(s->ctx);
		return;
	}
	if (s->open == 0 && s->have_root) {
		if (s->doc_other || !TOPS_UNDER_ROOT) {
			close_to(s, 0);
			s->invisible = 1;
			return;
		}
		s->shift = 1;
	}
	s->open++;
	d = s->open + s->shift;
	close_to(s, d - 1);
	s->depth = d;
	s->have_root = 1;
	element(s, d, (const char *)xname, atts);
}

/* An element ends, the one opened last. */
static void
sax_end(void *ud, const xmlChar *xname)
{
	struct gsax	*s = ud;
	size_t		 d;

	(void)xname;
	if (s->halted || s->invisible || s->open == 0)
		return;
	d = s->open + s->shift;
	s->open--;
	/* The root stays open: later top-level elements may go under it. */
	close_to(s, d == 1 ? 1 : d - 1);
}

/*
 * Text; none outside the root. The text of a script or style (cdata) is a
 * CDATA node in libxml2's tree, which a cell's text includes and a form's
 * error text does not.
 */
static void
text(struct gsax *s, const xmlChar *p, int n, int cdata)
{
	if (s->halted || s->invisible || s->open == 0)
		return;
	close_to(s, s->open + s->shift);
	if (s->r != NULL)
		gread_text(s->r, (const char *)p, (size_t)n);
	if (s->fr != NULL && !cdata)
		formread_text(s->fr, (const char *)p, (size_t)n);
}

static void
sax_text(void *ud, const xmlChar *p, int n)
{
	text(ud, p, n, 0);
}

static void
sax_cdata(void *ud, const xmlChar *p, int n)
{
	text(ud, p, n, 1);
}

/* A comment or PI: a node of its own, a document child before the root. */
static void
other_node(struct gsax *s)
{
	if (s->halted || s->invisible)
		return;
	if (s->open == 0) {
		if (!s->have_root)
			s->doc_other = 1;
		return;
	}
	close_to(s, s->open + s->shift);
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
	struct gsax	*s = ud;

	(void)name;
	(void)eid;
	(void)sid;
	s->doc_other = 1;
}

/*
 * Without HTML_PARSE_NOBLANKS libxml2 hands every blank to characters();
 * this one is here so that no default handler ever runs.
 */
static void
sax_blanks(void *ud, const xmlChar *p, int n)
{
	sax_text(ud, p, n);
}

static const htmlSAXHandler sax = {
	.internalSubset = sax_doctype,
	.startElement = sax_start,
	.endElement = sax_end,
	.characters = sax_text,
	.ignorableWhitespace = sax_blanks,
	.processingInstruction = sax_pi,
	.comment = sax_comment,
	.cdataBlock = sax_cdata,	/* script and style text */
};

/* The page handed to libxml2 a piece at a time (htmlCtxtReadIO()). */
struct page_reader {
	const char	*p;
	size_t		 left;
};

static int
page_read(void *arg, char *buf, int len)
{
	struct page_reader	*r = arg;
	size_t			 n = r->left < (size_t)len ? r->left : (size_t)len;

	memcpy(buf, r->p, n);
	r->p += n;
	r->left -= n;
	return (int)n;
}

static int
page_close(void *arg)
{
	(void)arg;
	return 0;
}

#define BOM	"\xef\xbb\xbf"

/*
 * Plain pages through htmlCtxtReadIO() where that was measured to spare
 * memory: libxml2 2.9 (Debian 12). Later libxml2 reworked its memory
 * input; there every page goes through htmlCtxtReadMemory() until
 * measured (check_gridsax and fuzz_gridsax hold either way).
 */
#if LIBXML_VERSION < 21200
#define READ_IO	1
#else
#define READ_IO	0
#endif

/*
 * Whether libxml2 reads the page the same piece by piece as whole: it is
 * valid UTF-8 and holds no NUL and no byte order mark (after a bad byte or
 * a NUL, what libxml2 has not yet converted is read otherwise through
 * htmlCtxtReadIO(), and it skips byte order marks otherwise).
 */
static int
page_plain(const char *html, size_t len)
{
	const unsigned char	*u = (const unsigned char *)html;
	size_t			 i = 0, k;
	uint64_t		 w;

	while (i < len) {
		if (len - i >= 8) {
			memcpy(&w, u + i, 8);
			if ((w & 0x8080808080808080ULL) == 0 &&
			    ((w - 0x0101010101010101ULL) & ~w &
			    0x8080808080808080ULL) == 0) {
				i += 8;
				continue;
			}
		}
		if (u[i] == 0)
			return 0;
		if ((k = utf8_char(u + i, len - i, NULL)) == 0 ||
		    (k == 3 && memcmp(u + i, BOM, 3) == 0))
			return 0;
		i += k;
	}
	return 1;
}

/*
 * One pull-parser pass over the page, events to s; no tree. A plain page
 * (page_plain()) is read through htmlCtxtReadIO(): libxml2 then holds a
 * few KB of it at a time instead of two copies of the whole body (its own
 * and the one converted from "UTF-8"), for the same events and CPU.
 *
 * Not the push parser fed libcurl's chunks as they come, though it costs
 * 3% fewer instructions (callgrind, 29 noisy pages): in libxml2 2.9 its
 * events depend on where the chunks split. Fed tests/unit/golden/hand/
 * customers_b.html 7 bytes at a time, it misses a "</script>" split
 * across two chunks and reads the rest of the page as script text; a
 * page's rows must not depend on how the network cut it.
 */
static void
sax_pass(struct gsax *s, const char *html, size_t len)
{
	htmlParserCtxtPtr	 ctx;
	struct page_reader	 r;

#if LIBXML_VERSION >= 21100
	ctx = htmlNewSAXParserCtxt(&sax, s);
#else
	/*
	 * libxml2 < 2.11 has no htmlNewSAXParserCtxt(): a new context is
	 * given our handler as libxml2 2.9's own htmlSAXParseDoc() does.
	 */
	if ((ctx = htmlNewParserCtxt()) != NULL) {
		memcpy(ctx->sax, &sax, sizeof(sax));
		ctx->userData = s;
	}
#endif
	if (ctx == NULL)
		fatalx("%s: no libxml2 parser context", __func__);
	s->ctx = ctx;
	/* UTF-8 forced: libxml2 neither guesses nor obeys a meta charset. */
	if (READ_IO && page_plain(html, len)) {
		r.p = html;
		r.left = len;
		(void)htmlCtxtReadIO(ctx, page_read, page_close, &r, NULL,
		    "UTF-8", HTML_OPTIONS);
	} else
		(void)htmlCtxtReadMemory(ctx, html, (int)len, NULL, "UTF-8",
		    HTML_OPTIONS);
	s->ctx = NULL;
	htmlFreeParserCtxt(ctx);
}

/* The pass, every element closed at its end; -1 when there was none. */
static int
gsax_run(struct gsax *s, const char *html, size_t len, char *err,
    size_t errlen)
{
	sax_pass(s, html, len);
	close_to(s, 0);
	if (!s->have_root) {
		snprintf(err, errlen, "page is not HTML");
		return -1;
	}
	return 0;
}

static void
gsax_free(struct gsax *s)
{
	formread_free(s->fr);
	gread_free(s->r);
}

/*
 * Parse a view page or a callback body into g and, when hidden is not
 * NULL, its form into hidden (as form_parse() reads it: the first form's
 * hidden inputs, or the page's when it has no form). Returns 0 with g
 * (and hidden) filled, for grid_free() (and form_free()); or -1 with a
 * sentence in err and both left empty.
 */
int
grid_parse_page(const char *html, size_t len, struct grid *g,
    struct form *hidden, char *err, size_t errlen)
{
	struct gsax	 s;
	char		 dummy[1];
	int		 rc = -1;

	memset(g, 0, sizeof(*g));
	if (hidden != NULL)
		memset(hidden, 0, sizeof(*hidden));
	if (page_start(html, len, &err, &errlen, dummy) == -1)
		return -1;
	memset(&s, 0, sizeof(s));
	s.r = gread_new();
	if (hidden != NULL)
		s.fr = formread_new();
	if (gsax_run(&s, html, len, err, errlen) == 0 &&
	    gread_result(s.r, g, err, errlen) == 0) {
		rc = 0;
		if (hidden != NULL)
			formread_result(s.fr, hidden);
	}
	gsax_free(&s);
	return rc;
}

/* Parse a view page or a callback body into g: grid_parse_page(). */
int
grid_parse(const char *html, size_t len, struct grid *g, char *err,
    size_t errlen)
{
	return grid_parse_page(html, len, g, NULL, err, errlen);
}

/*
 * Parse a page's form (form.c): 0 with f filled, for form_free(); or -1
 * with a sentence in err when the bytes are not HTML at all, f empty.
 */
int
form_parse(const char *html, size_t len, struct form *f, char *err,
    size_t errlen)
{
	struct gsax	 s;
	char		 dummy[1];
	int		 rc = -1;

	memset(f, 0, sizeof(*f));
	if (page_start(html, len, &err, &errlen, dummy) == -1)
		return -1;
	memset(&s, 0, sizeof(s));
	s.fr = formread_new();
	if (gsax_run(&s, html, len, err, errlen) == 0) {
		formread_result(s.fr, f);
		rc = 0;
	}
	gsax_free(&s);
	return rc;
}
