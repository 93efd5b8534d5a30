/*
 * ctl-colour.c — when erpsyncctl colours its output, and how: only on a
 * terminal, never with --json or when piped, never with NO_COLOR set
 * (no-color.org) or a dumb or unknown TERM; job states (done green,
 * failed red, paused and queued yellow) and log levels.
 */
#include <string.h>

#include "supervisor/ctl.h"

/* Whether to colour stdout, from isatty(1) and the environment. */
int
ctl_colour_wanted(int tty, const char *no_color, const char *term)
{
	if (!tty)
		return 0;
	if (no_color != NULL && no_color[0] != '\0')
		return 0;
	return term != NULL && term[0] != '\0' && strcmp(term, "dumb") != 0;
}

/* The SGR parameters for a job state, NULL for none. */
const char *
ctl_state_sgr(const char *state)
{
	if (strcmp(state, "done") == 0)
		return "32";
	if (strcmp(state, "failed") == 0)
		return "31";
	if (strcmp(state, "paused") == 0 || strcmp(state, "queued") == 0)
		return "33";
	if (strcmp(state, "running") == 0)
		return "1";
	return NULL;
}

/* The SGR parameters for a log level, NULL for none. */
const char *
ctl_level_sgr(const char *level)
{
	if (strcmp(level, "error") == 0)
		return "1;31";
	if (strcmp(level, "warn") == 0)
		return "33";
	if (strcmp(level, "debug") == 0)
		return "2";
	return NULL;
}

/* Append n bytes of s to b, in colour sgr unless it is NULL. */
void
ctl_paint(struct buf *b, const char *sgr, const char *s, size_t n)
{
	if (sgr != NULL)
		buf_addf(b, "\033[%sm", sgr);
	buf_add(b, s, n);
	if (sgr != NULL)
		buf_adds(b, "\033[0m");
}
