/*
 * form.c — the login form of contract §2 and any page's hidden inputs.
 * The ERP wants every hidden input (view state, event validation) posted
 * back unchanged, with login and grid callbacks alike, so form_parse()
 * works on any page: login fields are reported when present and their
 * absence is for the caller to judge.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "worker/worker.h"

static int
is_elem(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0;
}

/* An attribute's value, not copied (the HTML parser keeps one text node). */
static const char *
attr(const xmlNode *n, const char *name)
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

/* The next node of a depth-first walk of root's subtree. */
static xmlNode *
walk_next(xmlNode *n, const xmlNode *root)
{
	if (n->type == XML_ELEMENT_NODE && n->children != NULL)
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
	for (n = el->children; n != NULL; n = walk_next(n, el)) {
		if (is_elem(n, "br"))
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

	if ((name = attr(n, "name")) == NULL || *name == '\0')
		return;	/* a nameless input is never posted */
	if ((type = attr(n, "type")) == NULL || *type == '\0')
		type = "text";
	value = attr(n, "value");
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
	doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
	    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	    HTML_PARSE_NONET | HTML_PARSE_COMPACT);
	if (doc == NULL || (root = xmlDocGetRootElement(doc)) == NULL) {
		if (doc != NULL)
			xmlFreeDoc(doc);
		snprintf(err, errlen, "page is not HTML");
		return -1;
	}

	/* One walk: the first form, and the first non-empty error text. */
	scope = NULL;
	for (n = root; n != NULL; n = walk_next(n, root)) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (scope == NULL && is_elem(n, "form"))
			scope = n;
		if (f->error_text == NULL && (cls = attr(n, "class")) != NULL &&
		    strstr(cls, "LogonErrorText") != NULL)
			f->error_text = node_text(n);
	}
	if (scope == NULL)
		scope = root;
	for (n = scope; n != NULL; n = walk_next(n, scope))
		if (is_elem(n, "input"))
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
