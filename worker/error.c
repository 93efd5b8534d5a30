/*
 * error.c — job failures as data: an error class (design.md §5, the table
 * in proto/errclass.c) and a sentence a human can act on.
 */
#include <stdio.h>
#include <string.h>

#include "worker/worker.h"

/* Record the first error of a job; later ones do not overwrite it. */
void
wk_error_set(struct wk_error *e, enum err_class class, const char *fmt, ...)
{
	va_list	 ap;

	if (e->class != ERR_NONE)
		return;
	e->class = class;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
}
