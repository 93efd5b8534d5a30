/*
 * formref.c — the reference the worker's form reader (worker/form.c, fed
 * by gridsax.c's SAX pass) is compared with: the tree walk form_parse()
 * was before, kept for tests only. A page's first form (or the whole page
 * when it has none): its hidden inputs in page order, the login fields,
 * and the text of the first non-empty LogonErrorText element. What each
 * input is (hidden, a login field or nothing) is worker/form.c's
 * form_input() for both: this walk checks which inputs the SAX reader
 * sees and with what attributes; check_form checks the rules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "worker/worker.h"
#include "tests/unit/ref.h"

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f';
}

/* An element's text, whitespace runs collapsed, trimmed; NULL when empty. */
static char *
node_text(xmlNode *el)
{
	struct buf	 b;
	xmlNode		*n;
	const char	*s;
	int		 pending = 0;

	buf_init(&b);
	for (n = el->children; n != NULL; n = dom_next(n, el, 0)) {
		if (dom_is(n, "br"))
			pending = 1;
		if (n->type != XML_TEXT_NODE || n->content == NULL)
			continue;
		for (s = (const char *)n->content; *s != '\0'; s++) {
			if (is_space(*s)) {
				pending = 1;
				continue;
			}
			if (pending && b.len > 0)
				buf_addc(&b, ' ');
			pending = 0;
			buf_addc(&b, *s);
		}
	}
	if (b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

/*
 * Parse a page's first form (or the whole page when it has none): its
 * hidden inputs in page order, the login fields if any, and the text of
 * the LogonErrorText element. Returns 0, or -1 with err set when the
 * bytes are not HTML at all.
 */
int
formref_parse(const char *html, size_t len, struct form *f, char *err,
    size_t errlen)
{
	htmlDocPtr	 doc;
	xmlNode		*root, *scope, *n;
	const char	*cls;
	char		 dummy[1];
	size_t		 cap = 0;

	memset(f, 0, sizeof(*f));
	if (page_start(html, len, &err, &errlen, dummy) == -1)
		return -1;
	if ((doc = dom_read(html, len)) == NULL) {
		snprintf(err, errlen, "page is not HTML");
		return -1;
	}
	root = xmlDocGetRootElement(doc);

	/* One walk: the first form, and the first non-empty error text. */
	scope = NULL;
	for (n = root; n != NULL; n = dom_next(n, root, 0)) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (scope == NULL && dom_is(n, "form"))
			scope = n;
		if (f->error_text == NULL && (cls = dom_attr(n, "class")) != NULL &&
		    strstr(cls, "LogonErrorText") != NULL)
			f->error_text = node_text(n);
	}
	if (scope == NULL)
		scope = root;
	for (n = scope; n != NULL; n = dom_next(n, scope, 0))
		if (dom_is(n, "input"))
			form_input(f, &cap, dom_attr(n, "name"),
			    dom_attr(n, "type"), dom_attr(n, "value"));
	xmlFreeDoc(doc);
	return 0;
}

