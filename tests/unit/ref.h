/*
 * ref.h — the references the tests compare the worker's SAX readers
 * with: walks of libxml2's tree, the way the worker read pages before.
 * gridref.c reads the grid control, formref.c the form, dom.c holds what
 * both walk with; refdiff.c says where two grids or forms differ.
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

/* refdiff.c: 0 when the same, else -1 and the first difference in why. */
int		 str_diff(const char *, const char *, const char *what,
		    char *why, size_t);
int		 grid_diff(const struct grid *, const struct grid *, char *why,
		    size_t);
int		 form_diff(const struct form *, const struct form *, char *why,
		    size_t);
int		 hidden_diff(const struct form *, const char *html, size_t,
		    char *why, size_t);

struct _xmlDoc	*dom_read(const char *html, size_t len);
int		 dom_is(const struct _xmlNode *, const char *name);
const char	*dom_attr(const struct _xmlNode *, const char *name);
struct _xmlNode	*dom_next(struct _xmlNode *, const struct _xmlNode *root,
		    int skip);

#endif /* REF_H */
