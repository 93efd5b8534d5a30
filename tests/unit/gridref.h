/*
 * gridref.h — the tree-walking grid parser the tests compare the worker's
 * SAX parser with (gridref.c).
 */
#ifndef GRIDREF_H
#define GRIDREF_H

#include <stddef.h>

struct grid;

int	 gridref_parse(const char *html, size_t len, struct grid *,
	    char *err, size_t errlen);

#endif
