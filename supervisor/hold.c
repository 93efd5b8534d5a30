/*
 * hold.c — holds for priority operations (design §5), pure: which jobs a
 * hold covers, whether it can be granted (every covered job paused), which
 * hold blocks a job, and expiry. Holds are reference-counted by nature: a
 * job stays paused while any hold covers it. A hold may have no TTL
 * (expires_ms 0): `hold -- CMD` lasts exactly as long as CMD, however long
 * that is, and ends by release or its connection closing. Pausing and
 * resuming workers and answering clients is pause.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "supervisor/supervisor.h"

/* No holds. */
void
holds_init(struct holds *hs)
{
	TAILQ_INIT(&hs->list);
	hs->next_id = 1;
}

/* Free every hold. */
void
holds_clear(struct holds *hs)
{
	struct hold	*h;

	while ((h = TAILQ_FIRST(&hs->list)) != NULL) {
		TAILQ_REMOVE(&hs->list, h, entry);
		free(h);
	}
}

/*
 * A new pending hold on user ("" or NULL: everything) for ttl_ms; ttl_ms 0
 * means no TTL: it never expires.
 */
struct hold *
hold_add(struct holds *hs, const char *user, const char *reason,
    int64_t ttl_ms, int64_t now)
{
	struct hold	*h;

	h = xcalloc(1, sizeof *h);
	h->id = hs->next_id++;
	snprintf(h->user, sizeof h->user, "%s", user != NULL ? user : "");
	snprintf(h->reason, sizeof h->reason, "%s",
	    reason != NULL ? reason : "");
	h->created_ms = now;
	h->expires_ms = ttl_ms > 0 ? now + ttl_ms : 0;
	TAILQ_INSERT_TAIL(&hs->list, h, entry);
	return h;
}

/* The hold with this id, or NULL. */
struct hold *
hold_find(const struct holds *hs, int64_t id)
{
	struct hold	*h;

	TAILQ_FOREACH(h, &hs->list, entry)
		if (h->id == id)
			return h;
	return NULL;
}

/* Remove and free a hold. */
void
hold_remove(struct holds *hs, struct hold *h)
{
	TAILQ_REMOVE(&hs->list, h, entry);
	free(h);
}

/*
 * Does h cover j? A hold without a user covers every job; one on user U
 * covers the jobs of scope U and the jobs that log in as U.
 */
int
hold_covers(const struct hold *h, const struct job *j)
{
	if (h->user[0] == '\0')
		return 1;
	return strcmp(h->user, j->scope) == 0 ||
	    strcmp(h->user, j->erp_user) == 0;
}

/* The first hold covering j, or NULL: j may not start or run. */
const struct hold *
holds_block(const struct holds *hs, const struct job *j)
{
	const struct hold	*h;

	if (hs == NULL)
		return NULL;
	TAILQ_FOREACH(h, &hs->list, entry)
		if (hold_covers(h, j))
			return h;
	return NULL;
}

/* How many holds cover j (its reference count). */
int
holds_count(const struct holds *hs, const struct job *j)
{
	const struct hold	*h;
	int			 n = 0;

	TAILQ_FOREACH(h, &hs->list, entry)
		n += hold_covers(h, j);
	return n;
}

/* May h be granted: has every active job it covers paused? */
int
hold_ready(const struct hold *h, struct queue *q)
{
	const struct job	*j;

	TAILQ_FOREACH(j, &q->jobs, entry) {
		if (!job_state_active(j->state) || j->state == JOB_PAUSED)
			continue;
		if (hold_covers(h, j))
			return 0;
	}
	return 1;
}

/*
 * The first hold whose TTL has run out at now (the caller removes it and
 * asks again), or NULL; *wake is then the next expiry, or -1. Holds
 * without a TTL never expire.
 */
struct hold *
holds_expired(struct holds *hs, int64_t now, int64_t *wake)
{
	struct hold	*h;

	*wake = -1;
	TAILQ_FOREACH(h, &hs->list, entry) {
		if (h->expires_ms == 0)
			continue;
		if (h->expires_ms <= now)
			return h;
		if (*wake == -1 || h->expires_ms < *wake)
			*wake = h->expires_ms;
	}
	return NULL;
}
