/*
 * error.c — job failures as data: an error class (design.md §5) and a
 * sentence a human can act on.
 */
#include <stdio.h>
#include <string.h>

#include "worker/worker.h"

/* Record the first error of a job; later ones do not overwrite it. */
void
wk_error_set(struct wk_error *e, const char *class, const char *fmt, ...)
{
	va_list	 ap;

	if (e->class != NULL)
		return;
	e->class = class;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
}

/* Whether retrying the job cannot help (exit code 100 rather than 111). */
int
wk_error_permanent(const struct wk_error *e)
{
	static const char *permanent[] = { "auth", "config", "contract",
	    "protocol" };
	size_t	 i;

	if (e->class == NULL)
		return 0;
	for (i = 0; i < nitems(permanent); i++)
		if (strcmp(e->class, permanent[i]) == 0)
			return 1;
	return 0;
}
