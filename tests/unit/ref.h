/*
 * ref.h — the references the tests compare the worker's SAX readers
 * with: walks of libxml2's tree, the way the worker read pages before.
 * gridref.c reads the grid control, formref.c the form, dom.c holds what
 * both walk with.
 */
#ifndef REF_H
#define REF_H

#include <stddef.h>

struct grid;
struct form;
struct _xmlNode;
struct _xmlDoc;

int		 gridref_parse(const char *html, size_t len, struct grid *,
		    char *err, size_t errlen);
int		 formref_parse(const char *html, size_t len, struct form *,
		    char *err, size_t errlen);

struct _xmlDoc	*dom_read(const char *html, size_t len);
int		 dom_is(const struct _xmlNode *, const char *name);
const char	*dom_attr(const struct _xmlNode *, const char *name);
struct _xmlNode	*dom_next(struct _xmlNode *, const struct _xmlNode *root,
		    int skip);

#endif /* REF_H */
