/*
 * arena.c — where record strings live. Records are never freed one by one:
 * a changed value simply points at a new string, and everything goes at
 * exit. Chunks never move, so pointers stay valid.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/erpsim/erpsim.h"

#define ARENA_CHUNK	(1024 * 1024)

struct arena_chunk {
	struct arena_chunk	*next;
	size_t			 used, cap;
	char			 data[];
};

static char *
arena_alloc(size_t n)
{
	struct arena_chunk	*c = sim.arena;
	size_t			 cap;

	if (c == NULL || c->cap - c->used < n) {
		cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;
		c = xmalloc(sizeof(*c) + cap);
		c->next = sim.arena;
		c->used = 0;
		c->cap = cap;
		sim.arena = c;
	}
	c->used += n;
	return c->data + c->used - n;
}

/* Copy n bytes of s into the arena, NUL-terminated. */
const char *
arena_strndup(const char *s, size_t n)
{
	char	*p = arena_alloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* Copy a string into the arena. */
const char *
arena_strdup(const char *s)
{
	return arena_strndup(s, strlen(s));
}

/* printf into the arena. */
const char *
arena_printf(const char *fmt, ...)
{
	char	 tmp[1024], *p;
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		fatalx("arena_printf: bad format");
	if ((size_t)n < sizeof(tmp))
		return arena_strndup(tmp, (size_t)n);
	p = arena_alloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

/* Free every chunk (at exit). */
void
arena_free(void)
{
	struct arena_chunk	*c, *next;

	for (c = sim.arena; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	sim.arena = NULL;
}
