/*
 * logring.c — the last N log events in memory, oldest overwritten first,
 * served to `logs` clients as their backlog.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "supervisor/supervisor.h"

/* A ring of size lines. */
struct logring *
logring_new(size_t size)
{
	struct logring	*r;

	r = xcalloc(1, sizeof *r);
	r->lines = xcalloc(size, sizeof *r->lines);
	r->size = size;
	return r;
}

/* Free a ring and its lines. */
void
logring_free(struct logring *r)
{
	size_t	 i;

	if (r == NULL)
		return;
	for (i = 0; i < r->size; i++)
		free(r->lines[i].msg);
	free(r->lines);
	free(r);
}

/* Copy an event in, dropping the oldest when full. */
void
logring_add(struct logring *r, const struct log_event *ev)
{
	struct logline	*l = &r->lines[r->head];

	free(l->msg);
	l->ts_ms = ev->ts_ms;
	l->level = ev->level;
	snprintf(l->proc, sizeof l->proc, "%s", ev->proc ? ev->proc : "");
	l->job = ev->job;
	snprintf(l->user, sizeof l->user, "%s", ev->user ? ev->user : "");
	snprintf(l->kind, sizeof l->kind, "%s", ev->kind ? ev->kind : "");
	l->msg = xstrdup(ev->msg);
	r->head = (r->head + 1) % r->size;
	if (r->count < r->size)
		r->count++;
}

/*
 * The i-th line, 0 being the oldest kept, into *ev as the event it was (its
 * strings point into the ring; no user or kind is ""); -1 past the end.
 */
int
logring_get(const struct logring *r, size_t i, struct log_event *ev)
{
	const struct logline	*l;

	if (i >= r->count)
		return -1;
	l = &r->lines[(r->head + r->size - r->count + i) % r->size];
	ev->ts_ms = l->ts_ms;
	ev->level = l->level;
	ev->proc = l->proc;
	ev->job = l->job;
	ev->user = l->user;
	ev->kind = l->kind;
	ev->msg = l->msg;
	return 0;
}
