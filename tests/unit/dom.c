/*
 * dom.c — libxml2's tree of a page, for the reference parsers the tests
 * compare the worker's SAX readers with (gridref.c, formref.c): read with
 * the worker's options, and walked depth first.
 */
#include <stdio.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "tests/unit/ref.h"

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

