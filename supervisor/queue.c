/*
 * queue.c — the job queue's policy (design §5), pure: no I/O, no clock of
 * its own, so tests drive it with a fake one. Coalescing of requests,
 * serialization by (kind, scope) and by database file, worker and session
 * limits, and the priority order.
 */
#include <string.h>

#include "supervisor/supervisor.h"

static const char *outcome_names[] = {
	"queued", "merged", "attached", "follow-up"
};

/* Start an empty queue whose next job id is next_id. */
void
queue_init(struct queue *q, int64_t next_id)
{
	TAILQ_INIT(&q->jobs);
	TAILQ_INIT(&q->retired);
	q->next_id = next_id > 0 ? next_id : 1;
}

/* Free every job, queued, active or retired. */
void
queue_clear(struct queue *q)
{
	struct job	*j;

	while ((j = TAILQ_FIRST(&q->jobs)) != NULL) {
		TAILQ_REMOVE(&q->jobs, j, entry);
		job_free(j);
	}
	queue_reap(q);
}

/* "queued", "merged", "attached" or "follow-up". */
const char *
queue_outcome_name(enum queue_outcome o)
{
	if ((size_t)o >= nitems(outcome_names))
		return "?";
	return outcome_names[o];
}

/* The job with this id among queued and active ones, or NULL. */
struct job *
queue_find(struct queue *q, int64_t id)
{
	struct job	*j;

	TAILQ_FOREACH(j, &q->jobs, entry)
		if (j->id == id)
			return j;
	return NULL;
}

/* The queued (active = 0) or active (1) job for (kind, scope), or NULL. */
struct job *
queue_find_scope(struct queue *q, enum kind k, const char *scope, int active)
{
	struct job	*j;

	TAILQ_FOREACH(j, &q->jobs, entry) {
		if (j->kind != k || strcmp(j->scope, scope) != 0)
			continue;
		if (active ? job_state_active(j->state) :
		    j->state == JOB_QUEUED)
			return j;
	}
	return NULL;
}

/*
 * Take a request: merge it into the queued job for its (kind, scope) (the
 * higher trigger wins, full beats delta), attach it to the running one when
 * that covers it (same or fuller mode, no force), or queue a new job.
 */
struct job *
queue_request(struct queue *q, const struct job_req *r, int64_t now,
    enum queue_outcome *outcome)
{
	struct job	*j;

	if ((j = queue_find_scope(q, r->kind, r->scope, 0)) != NULL) {
		if (r->trigger > j->trigger)
			j->trigger = r->trigger;
		if (r->mode == MODE_FULL)
			j->mode = MODE_FULL;
		if (r->trigger == TRIG_MANUAL)
			j->not_before_ms = 0;
		*outcome = QUEUE_MERGED;
		return j;
	}
	j = queue_find_scope(q, r->kind, r->scope, 1);
	if (j != NULL && !r->force &&
	    (j->mode == MODE_FULL || r->mode == MODE_DELTA)) {
		*outcome = QUEUE_ATTACHED;
		return j;
	}
	*outcome = j != NULL ? QUEUE_FOLLOWUP : QUEUE_NEW;
	j = job_new(q->next_id++, r->kind, r->scope, r->erp_user, r->mode,
	    r->trigger, now);
	j->sessions = r->sessions > 0 ? r->sessions : 1;
	TAILQ_INSERT_TAIL(&q->jobs, j, entry);
	return j;
}

/*
 * Two jobs may not run together when they write the same database file:
 * same (kind, scope), or products and prices (both "*", one products.db).
 */
int
queue_conflict(const struct job *a, const struct job *b)
{
	return strcmp(kind_db_group(a->kind), kind_db_group(b->kind)) == 0 &&
	    strcmp(a->scope, b->scope) == 0;
}

/* Does a run before b? Trigger, then kind, then age, then id. */
int
queue_before(const struct job *a, const struct job *b)
{
	int	 pa = job_priority(a), pb = job_priority(b);

	if (pa != pb)
		return pa > pb;
	if (a->created_ms != b->created_ms)
		return a->created_ms < b->created_ms;
	return a->id < b->id;
}

/* Jobs in state s. */
int
queue_count(struct queue *q, enum job_state s)
{
	struct job	*j;
	int		 n = 0;

	TAILQ_FOREACH(j, &q->jobs, entry)
		n += j->state == s;
	return n;
}

/* Jobs holding a worker (starting, running, paused). */
int
queue_active(struct queue *q)
{
	struct job	*j;
	int		 n = 0;

	TAILQ_FOREACH(j, &q->jobs, entry)
		n += job_state_active(j->state);
	return n;
}

/* May j start now beside the active jobs, within the session limits? */
static int
queue_may_start(struct queue *q, const struct job *j,
    const struct queue_limits *l)
{
	struct job	*a;
	int		 total = j->sessions, mine = j->sessions;

	TAILQ_FOREACH(a, &q->jobs, entry) {
		if (!job_state_active(a->state))
			continue;
		if (queue_conflict(a, j))
			return 0;
		total += a->sessions;
		if (strcmp(a->erp_user, j->erp_user) == 0)
			mine += a->sessions;
	}
	if (l->max_erp_sessions > 0 && total > l->max_erp_sessions)
		return 0;
	if (l->max_sessions_per_user > 0 && mine > l->max_sessions_per_user)
		return 0;
	return 1;
}

/*
 * The best queued job that may start now, or NULL. *wake is set to the
 * earliest time a job held back by not_before becomes eligible, or -1.
 */
struct job *
queue_next(struct queue *q, const struct queue_limits *l, int64_t now,
    int64_t *wake)
{
	struct job	*j, *best = NULL;

	*wake = -1;
	if (queue_active(q) >= l->max_workers)
		return NULL;
	TAILQ_FOREACH(j, &q->jobs, entry) {
		if (j->state != JOB_QUEUED)
			continue;
		if (j->not_before_ms > now) {
			if (*wake == -1 || j->not_before_ms < *wake)
				*wake = j->not_before_ms;
			continue;
		}
		if (!queue_may_start(q, j, l))
			continue;
		if (best == NULL || queue_before(j, best))
			best = j;
	}
	return best;
}

/* Move an ended job off the queue; it is freed by queue_reap(). */
void
queue_retire(struct queue *q, struct job *j)
{
	TAILQ_REMOVE(&q->jobs, j, entry);
	TAILQ_INSERT_TAIL(&q->retired, j, entry);
}

/* Free retired jobs (outside any callback that may still hold them). */
void
queue_reap(struct queue *q)
{
	struct job	*j;

	while ((j = TAILQ_FIRST(&q->retired)) != NULL) {
		TAILQ_REMOVE(&q->retired, j, entry);
		job_free(j);
	}
}
