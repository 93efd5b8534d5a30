/*
 * cut.c — did an answer arrive whole? A proxy that gives up sends a body
 * cut anywhere, with a Content-Length that matches the cut, so HTTP looks
 * fine (erp-contract.md §1). A document is whole when its root element (the
 * first start tag: html for pages, the grid control for callbacks) is
 * closed by an explicit end tag; what follows the end tag does not matter.
 * Comments and the insides of script and style elements are skipped, so a
 * "<div" in a script string does not count.
 */
#include <string.h>
#include <strings.h>

#include "worker/worker.h"

#define TAG_MAX	16

static int
is_name_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == ':';
}

/*
 * The end tag that closes the element named p[0..len) when its content is
 * raw text (script, style), or NULL: a length test first, since most tags
 * are neither (a noisy page has about 27,000).
 */
static const char *
raw_text_end(const char *p, size_t len)
{
	if (len == 6 && strncasecmp(p, "script", 6) == 0)
		return "</script";
	if (len == 5 && strncasecmp(p, "style", 5) == 0)
		return "</style";
	return NULL;
}

/*
 * Skip past the first occurrence of what (any case), or to the end. Its
 * first byte is never a letter ("-->", ">", "</script"), so memchr() finds
 * the candidates: a script or a comment is skipped at memchr()'s speed.
 */
static size_t
skip_past(const char *p, size_t n, size_t i, const char *what)
{
	const char	*q;
	size_t		 w = strlen(what);

	for (; i + w <= n; i++) {
		if ((q = memchr(p + i, what[0], n - w + 1 - i)) == NULL)
			break;
		i = (size_t)(q - p);
		if (strncasecmp(p + i, what, w) == 0)
			return i + w;
	}
	return n;
}

/* Whether the end tag whose name ends at i has its '>' within the body. */
static int
end_tag_closed(const char *p, size_t n, size_t i)
{
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' ||
	    p[i] == '\n'))
		i++;
	return i < n && p[i] == '>';
}

/*
 * Whether the document in p[0..n) is whole: its root element was closed.
 * An empty body, or one with no element at all, is not.
 */
int
body_complete(const char *p, size_t n)
{
	char		 root[TAG_MAX + 1];
	const char	*q, *end;
	size_t		 i = 0, len, rootlen = 0, depth = 0;
	int		 close;

	root[0] = '\0';
	while (i < n) {
		if (p[i] != '<') {
			q = memchr(p + i, '<', n - i);	/* text: at memchr()'s speed */
			if (q == NULL)
				break;
			i = (size_t)(q - p);
		}
		if (n - i >= 4 && memcmp(p + i, "<!--", 4) == 0) {
			i = skip_past(p, n, i + 4, "-->");
			continue;
		}
		if (i + 1 < n && (p[i + 1] == '!' || p[i + 1] == '?')) {
			i = skip_past(p, n, i + 2, ">");	/* doctype, pi */
			continue;
		}
		close = i + 1 < n && p[i + 1] == '/';
		i += close ? 2 : 1;
		for (len = 0; i + len < n && is_name_char(p[i + len]); len++)
			;
		if (len == 0)
			continue;		/* a stray '<' in text */
		if (!close && (end = raw_text_end(p + i, len)) != NULL) {
			i = skip_past(p, n, i, end);
			continue;
		}
		if (rootlen == 0 && !close) {
			if (len > TAG_MAX)
				return 0;
			memcpy(root, p + i, len);
			root[len] = '\0';
			rootlen = len;
		}
		if (len == rootlen &&
		    strncasecmp(p + i, root, len) == 0) {
			if (!close)
				depth++;
			else if (depth > 0 && --depth == 0)
				return end_tag_closed(p, n, i + len);
		}
		i += len;
	}
	return 0;
}
