/*
 * html.c — writing markup the way --layout asks: entity style for text
 * (raw UTF-8, &#232;, &#xE8;, &egrave; or a mix), attribute quoting and
 * order, whitespace. Whatever the style, what a parser decodes is the same.
 */
#include <string.h>

#include "tests/erpsim/erpsim.h"

/* HTML 4 names of U+00A0..U+00FF. */
static const char *const latin1[96] = {
	"nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect",
	"uml", "copy", "ordf", "laquo", "not", "shy", "reg", "macr", "deg",
	"plusmn", "sup2", "sup3", "acute", "micro", "para", "middot", "cedil",
	"sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest",
	"Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig",
	"Ccedil", "Egrave", "Eacute", "Ecirc", "Euml", "Igrave", "Iacute",
	"Icirc", "Iuml", "ETH", "Ntilde", "Ograve", "Oacute", "Ocirc", "Otilde",
	"Ouml", "times", "Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml",
	"Yacute", "THORN", "szlig", "agrave", "aacute", "acirc", "atilde",
	"auml", "aring", "aelig", "ccedil", "egrave", "eacute", "ecirc", "euml",
	"igrave", "iacute", "icirc", "iuml", "eth", "ntilde", "ograve",
	"oacute", "ocirc", "otilde", "ouml", "divide", "oslash", "ugrave",
	"uacute", "ucirc", "uuml", "yacute", "thorn", "yuml",
};

static const char *
entity_name(uint32_t cp)
{
	if (cp >= 0xa0 && cp <= 0xff)
		return latin1[cp - 0xa0];
	switch (cp) {
	case 0x20ac:
		return "euro";
	case 0x2019:
		return "rsquo";
	case 0x2013:
		return "ndash";
	case '&':
		return "amp";
	case '<':
		return "lt";
	case '>':
		return "gt";
	case '"':
		return "quot";
	default:
		return NULL;
	}
}

static void
entity(struct buf *b, uint32_t cp, int mode)
{
	const char	*name;

	switch (mode) {
	case 1:
		buf_addf(b, "&#%u;", cp);
		break;
	case 2:
		buf_addf(b, "&#x%X;", cp);
		break;
	default:
		if ((name = entity_name(cp)) != NULL && cp != '\'')
			buf_addf(b, "&%s;", name);
		else
			buf_addf(b, "&#%u;", cp);
		break;
	}
}

/*
 * --noisy writes these as character references too, one in three: what
 * heavy ERP themes do to punctuation and quotes. Text decodes the same.
 */
static int
noisy_char(unsigned char c)
{
	return c == '.' || c == ',' || c == '/' || c == ':' || c == '-' ||
	    c == '"' || c == '\'' || c == '(' || c == ')' || c == '%';
}

/*
 * Append n bytes of UTF-8 text as element content in entity style mode
 * (see struct layout); h varies the per-character choice of mode 4.
 */
void
html_text(struct buf *b, const char *s, size_t n, int mode, uint64_t h)
{
	const unsigned char	*p = (const unsigned char *)s, *end = p + n;
	const unsigned char	*run = p;
	uint32_t		 cp;
	size_t			 len;
	int			 m;

	while (p < end) {
		if (*p < 0x80 && *p != '&' && *p != '<' && *p != '>' &&
		    (mode == 0 || (*p != '"' && *p != '\'')) &&
		    !(sim.layout.noisy && noisy_char(*p) &&
		    (h + (uint64_t)(p - (const unsigned char *)s)) % 3 == 0)) {
			p++;
			continue;
		}
		buf_add(b, run, (size_t)(p - run));
		if ((len = utf8_char(p, (size_t)(end - p), &cp)) == 0) {
			len = 1;	/* not UTF-8: the byte as it is */
			cp = *p;
		}
		m = mode == 4 ? (int)((h + (uint64_t)(p - (const unsigned char *)s)) % 4) :
		    mode;
		/* --noisy: references for all of it, never raw. */
		if (sim.layout.noisy && (m == 0 || cp < 0x80))
			m = 1 + (int)((h + (uint64_t)(p -
			    (const unsigned char *)s)) % 3);
		if (m == 0 && cp >= 0x80)
			buf_add(b, p, len);
		else if (m == 0)
			buf_adds(b, cp == '&' ? "&amp;" : cp == '<' ? "&lt;" :
			    cp == '>' ? "&gt;" : cp == '"' ? "&quot;" : "&#39;");
		else
			entity(b, cp, m);
		p += len;
		run = p;
	}
	buf_add(b, run, (size_t)(p - run));
}

static int
bare_ok(const char *v)
{
	if (*v == '\0')
		return 0;
	for (; *v != '\0'; v++)
		if (!((*v >= 'a' && *v <= 'z') || (*v >= 'A' && *v <= 'Z') ||
		    (*v >= '0' && *v <= '9') || *v == '_' || *v == '-' ||
		    *v == '.' || *v == ':'))
			return 0;
	return 1;
}

static void
attr_value(struct buf *b, const char *v, char q)
{
	const char	*p, *run = v;

	for (p = v; *p != '\0'; p++) {
		if (*p != '&' && *p != q && *p != '<')
			continue;
		buf_add(b, run, (size_t)(p - run));
		buf_adds(b, *p == '&' ? "&amp;" : *p == '<' ? "&lt;" :
		    *p == '"' ? "&quot;" : "&#39;");
		run = p + 1;
	}
	buf_add(b, run, (size_t)(p - run));
}

/*
 * Append <tag a="v" ...>, attributes rotated and quoted as the layout says;
 * salt varies the rotation between elements. NULL values are left out.
 */
void
html_open(struct buf *b, const char *tag, const struct hattr *a, int n,
    unsigned salt)
{
	const struct layout	*L = &sim.layout;
	int			 i, j, start;
	char			 q;

	bput(b, '<');
	buf_adds(b, tag);
	start = n > 0 && L->rot ?
	    (int)(((unsigned)L->rot + salt) % (unsigned)n) : 0;
	for (j = 0; j < n; j++) {
		i = (start + j) % n;
		if (a[i].v == NULL)
			continue;
		bput(b, ' ');
		buf_adds(b, a[i].k);
		bput(b, '=');
		switch (L->quote) {
		case 1:
			q = '\'';
			break;
		case 2:
			q = bare_ok(a[i].v) ? 0 : '"';
			break;
		case 3:
			q = ((unsigned)i + salt) % 3 == 0 && bare_ok(a[i].v) ?
			    0 : ((unsigned)i + salt) % 2 ? '\'' : '"';
			break;
		default:
			q = '"';
			break;
		}
		if (q == 0) {
			buf_adds(b, a[i].v);
			continue;
		}
		bput(b, q);
		attr_value(b, a[i].v, q);
		bput(b, q);
	}
	bput(b, '>');
}

/* Whitespace between elements: none, a newline, or an indented one. */
void
html_nl(struct buf *b, int depth)
{
	static const char tabs[] = "\t\t\t\t\t\t\t\t\t\t\t\t";

	if (sim.layout.pretty == 0)
		return;
	bput(b, '\n');
	if (sim.layout.pretty == 2 && depth > 0)
		buf_add(b, tabs, (size_t)depth < sizeof(tabs) - 1 ?
		    (size_t)depth : sizeof(tabs) - 1);
}

/* The line break tag of this layout (<br>, <br/> or <BR />). */
const char *
html_br(void)
{
	return sim.layout.brtag != NULL ? sim.layout.brtag : "<br>";
}
