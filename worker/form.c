/*
 * form.c — the login form of contract §2 and any page's hidden inputs.
 * The ERP wants every hidden input (view state, event validation) posted
 * back unchanged, with login and grid callbacks alike, so form_parse()
 * works on any page: login fields are reported when present and their
 * absence is for the caller to judge.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "worker/worker.h"

/* Whether n is an element named name (libxml2's tree). */
int
dom_is(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0;
}

/*
 * An attribute's value without copying, or NULL when absent. The HTML
 * parser stores each attribute value as one decoded text node (or none,
 * for a bare attribute like "disabled", read as "").
 */
const char *
dom_attr(const xmlNode *n, const char *name)
{
	const xmlAttr	*a;

	for (a = n->properties; a != NULL; a = a->next) {
		if (strcmp((const char *)a->name, name) != 0)
			continue;
		if (a->children == NULL || a->children->content == NULL)
			return "";
		return (const char *)a->children->content;
	}
	return NULL;
}

/*
 * libxml2's tree of a page (len checked by page_start()), read as
 * gridsax.c reads it: UTF-8 forced, the same options. NULL when it has no
 * root element.
 */
xmlDoc *
dom_read(const char *html, size_t len)
{
	xmlDoc	*doc;

	doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
	    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	    HTML_PARSE_NONET | HTML_PARSE_COMPACT);
	if (doc != NULL && xmlDocGetRootElement(doc) == NULL) {
		xmlFreeDoc(doc);
		doc = NULL;
	}
	return doc;
}

/*
 * The next node of a depth-first walk of root's subtree; with skip set,
 * n's own children are not visited.
 */
xmlNode *
dom_next(xmlNode *n, const xmlNode *root, int skip)
{
	if (!skip && n->type == XML_ELEMENT_NODE && n->children != NULL)
		return n->children;
	while (n != root) {
		if (n->next != NULL)
			return n->next;
		n = n->parent;
	}
	return NULL;
}

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

static void
add_field(struct form *f, size_t *cap, const char *name, const char *value)
{
	if (f->nfields == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		f->fields = xreallocarray(f->fields, *cap, sizeof(*f->fields));
	}
	f->fields[f->nfields].name = xstrdup(name);
	f->fields[f->nfields].value = xstrdup(value != NULL ? value : "");
	f->nfields++;
}

/* Read one input of the form: hidden field or one of the login fields. */
static void
read_input(xmlNode *n, struct form *f, size_t *cap)
{
	const char	*type, *name, *value;

	if ((name = dom_attr(n, "name")) == NULL || *name == '\0')
		return;	/* a nameless input is never posted */
	if ((type = dom_attr(n, "type")) == NULL || *type == '\0')
		type = "text";
	value = dom_attr(n, "value");
	if (strcasecmp(type, "hidden") == 0)
		add_field(f, cap, name, value);
	else if (strcasecmp(type, "password") == 0) {
		if (f->password_field == NULL &&
		    ends_with(name, "Password_Edit"))
			f->password_field = xstrdup(name);
	} else if (ends_with(name, "LogonButton")) {
		if (f->submit_field == NULL) {
			f->submit_field = xstrdup(name);
			f->submit_value = xstrdup(value != NULL ? value : "");
		}
	} else if (strcasecmp(type, "text") == 0) {
		if (f->user_field == NULL && ends_with(name, "UserName_Edit"))
			f->user_field = xstrdup(name);
	}
}

/*
 * Parse a page's first form (or the whole page when it has none): its
 * hidden inputs in page order, the login fields if any, and the text of
 * the LogonErrorText element. Returns 0, or -1 with err set when the
 * bytes are not HTML at all.
 */
int
form_parse(const char *html, size_t len, struct form *f, char *err,
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
			read_input(n, f, &cap);
	xmlFreeDoc(doc);
	return 0;
}

/* Free everything form_parse allocated. */
void
form_free(struct form *f)
{
	size_t	 i;

	for (i = 0; i < f->nfields; i++) {
		free(f->fields[i].name);
		free(f->fields[i].value);
	}
	free(f->fields);
	free(f->user_field);
	free(f->password_field);
	free(f->submit_field);
	free(f->submit_value);
	free(f->error_text);
	memset(f, 0, sizeof(*f));
}

/* The value of the first hidden input with this name, or NULL. */
const char *
form_get(const struct form *f, const char *name)
{
	size_t	 i;

	for (i = 0; i < f->nfields; i++)
		if (strcmp(f->fields[i].name, name) == 0)
			return f->fields[i].value;
	return NULL;
}
