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

struct ctl_sgr {
	const char	*name;
	const char	*sgr;
};

/* Job states: done green, failed red, paused and queued yellow. */
static const struct ctl_sgr ctl_state_sgrs[] = {
	{ "done", "32" },
	{ "failed", "31" },
	{ "paused", "33" },
	{ "queued", "33" },
	{ "running", "1" },
};

/* Log levels: error bold red, warn yellow, debug faint. */
static const struct ctl_sgr ctl_level_sgrs[] = {
	{ "error", "1;31" },
	{ "warn", "33" },
	{ "debug", "2" },
};

static const char *
ctl_sgr_find(const struct ctl_sgr *t, size_t n, const char *name)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(t[i].name, name) == 0)
			return t[i].sgr;
	return NULL;
}

/* The SGR parameters for a job state, NULL for none. */
const char *
ctl_state_sgr(const char *state)
{
	return ctl_sgr_find(ctl_state_sgrs, nitems(ctl_state_sgrs), state);
}

/* The SGR parameters for a log level, NULL for none. */
const char *
ctl_level_sgr(const char *level)
{
	return ctl_sgr_find(ctl_level_sgrs, nitems(ctl_level_sgrs), level);
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
