/*
 * gridfix.h — page fixtures for the grid parsers' tests and bench.
 */
#ifndef GRIDFIX_H
#define GRIDFIX_H

#include <stddef.h>

#include "common/common.h"

/* gridfix.c */
void	 big_page(struct buf *, size_t rows);

#endif /* GRIDFIX_H */
