/*
 * queue.c — the job queue's policy (design §5), pure: no I/O, no clock of
 * its own, so tests drive it with a fake one. Coalescing of requests,
 * serialization by (kind, scope) and by database file, dependencies, holds,
 * worker and session limits, and the priority order. A hash on (kind,
 * scope) keeps lookups constant with tens of thousands of queued jobs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "supervisor/supervisor.h"

#define ACTIVE_MAX	1024	/* active jobs looked at per decision */

static const char *outcome_names[] = {
	"queued", "merged", "attached", "follow-up", "skipped"
};

static size_t
queue_hash(enum kind k, const char *scope, size_t n)
{
	uint64_t	 h = 1469598103934665603ULL ^ (uint64_t)k;

	while (*scope != '\0') {
		h ^= (unsigned char)*scope++;
		h *= 1099511628211ULL;
	}
	return (size_t)(h % n);
}

static void
queue_index_add(struct queue *q, struct job *j)
{
	struct job	**b, *e, *next;
	size_t		 i, n, h;

	if (q->njobs + 1 > q->nindex * 2) {
		n = q->nindex == 0 ? 256 : q->nindex * 4;
		b = xcalloc(n, sizeof *b);
		for (i = 0; i < q->nindex; i++) {
			for (e = q->index[i]; e != NULL; e = next) {
				next = e->hnext;
				h = queue_hash(e->kind, e->scope, n);
				e->hnext = b[h];
				b[h] = e;
			}
		}
		free(q->index);
		q->index = b;
		q->nindex = n;
	}
	h = queue_hash(j->kind, j->scope, q->nindex);
	j->hnext = q->index[h];
	q->index[h] = j;
	q->njobs++;
}

static void
queue_index_remove(struct queue *q, struct job *j)
{
	struct job	**p;

	if (q->nindex == 0)
		return;
	for (p = &q->index[queue_hash(j->kind, j->scope, q->nindex)];
	    *p != NULL; p = &(*p)->hnext) {
		if (*p == j) {
			*p = j->hnext;
			j->hnext = NULL;
			q->njobs--;
			return;
		}
	}
}

/* Start an empty queue whose next job id is next_id. */
void
queue_init(struct queue *q, int64_t next_id)
{
	TAILQ_INIT(&q->jobs);
	TAILQ_INIT(&q->retired);
	q->next_id = next_id > 0 ? next_id : 1;
	q->index = NULL;
	q->nindex = q->njobs = 0;
}

/* Free every job, queued, active or retired: all retired, then reaped. */
void
queue_clear(struct queue *q)
{
	TAILQ_CONCAT(&q->retired, &q->jobs, entry);
	queue_reap(q);
	free(q->index);
	q->index = NULL;
	q->nindex = q->njobs = 0;
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

/*
 * The queued (active = 0) or active (1) job for (kind, scope), or NULL;
 * active = -1 finds either.
 */
struct job *
queue_find_scope(struct queue *q, enum kind k, const char *scope, int active)
{
	struct job	*j;

	if (q->nindex == 0)
		return NULL;
	for (j = q->index[queue_hash(k, scope, q->nindex)]; j != NULL;
	    j = j->hnext) {
		if (j->kind != k || strcmp(j->scope, scope) != 0)
			continue;
		if (active == -1 && (j->state == JOB_QUEUED ||
		    job_state_active(j->state)))
			return j;
		if (active ? job_state_active(j->state) :
		    j->state == JOB_QUEUED)
			return j;
	}
	return NULL;
}

/*
 * A request of kind k over scope, signed in as erp_user; not forced, not
 * resumed, its sessions as the configuration says.
 */
void
job_req_init(struct job_req *r, enum kind k, const char *scope,
    const char *erp_user, enum job_mode mode, enum job_trigger t)
{
	memset(r, 0, sizeof *r);
	r->kind = k;
	r->scope = scope;
	r->erp_user = erp_user;
	r->mode = mode;
	r->trigger = t;
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
		/* `sync --resume` continues the run; a manual full sync asks
		 * for every page, whatever the queued job would have done. */
		if (r->resume)
			j->resume_run = 1;
		else if (r->trigger == TRIG_MANUAL && r->mode == MODE_FULL)
			j->resume_run = 0;
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
	j->want_sessions = r->sessions > 0 ? r->sessions : 1;
	j->auto_sessions = r->auto_sessions;
	j->resume_run = r->resume;
	j->sessions = 0;	/* granted when it starts (queue_next) */
	TAILQ_INSERT_TAIL(&q->jobs, j, entry);
	queue_index_add(q, j);
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

/* The active jobs, into a (at most ACTIVE_MAX); returns how many. */
static size_t
queue_actives(struct queue *q, const struct job **a)
{
	const struct job	*j;
	size_t			 n = 0;

	TAILQ_FOREACH(j, &q->jobs, entry)
		if (job_state_active(j->state) && n < ACTIVE_MAX)
			a[n++] = j;
	return n;
}

/* Append " (jobs 3, 4)": the active jobs among a[n] that match. */
static void
queue_why_jobs(char *why, size_t len, const struct job **a, size_t n,
    const char *erp_user)
{
	size_t	 i, off = strlen(why), shown = 0, more = 0;
	int	 w;

	for (i = 0; i < n; i++) {
		if (a[i]->sessions <= 0 || (erp_user != NULL &&
		    strcmp(a[i]->erp_user, erp_user) != 0))
			continue;
		if (shown == 4) {
			more++;
			continue;
		}
		w = snprintf(why + off, off < len ? len - off : 0, "%s%lld",
		    shown == 0 ? " (job " : ", ", (long long)a[i]->id);
		if (w < 0 || off + (size_t)w >= len)
			return;
		off += (size_t)w;
		shown++;
	}
	if (shown == 0)
		return;
	if (more > 0)
		snprintf(why + off, len - off, " and %zu more)", more);
	else
		snprintf(why + off, len - off, ")");
}

/*
 * Why j may not start beside the active jobs a[n]; NULL when it may, with
 * *grant the ERP sessions it gets: min(what it asks for, what
 * max_erp_sessions and max_sessions_per_user leave free). Session limits
 * block it only when they leave it none (design §5).
 */
static const char *
queue_why(struct queue *q, const struct job *j, const struct queue_limits *l,
    const struct job **a, size_t n, int *grant, char *why, size_t len)
{
	const struct hold	*h;
	const struct job	*d;
	size_t			 i;
	int			 total = 0, mine = 0, g;

	*grant = 0;
	if (l->holds != NULL && (h = holds_block(l->holds, j)) != NULL) {
		snprintf(why, len, "held by hold %lld", (long long)h->id);
		return why;
	}
	if (j->kind == KIND_ORDERS && l->users != NULL &&
	    !users_first_done(l->users, KIND_CUSTOMERS, j->scope) &&
	    (d = queue_find_scope(q, KIND_CUSTOMERS, j->scope, -1)) != NULL) {
		snprintf(why, len, "waits for the first customers sync "
		    "(job %lld)", (long long)d->id);
		return why;
	}
	if (j->kind == KIND_PRICES &&
	    (d = queue_find_scope(q, KIND_PRODUCTS, "*", -1)) != NULL) {
		snprintf(why, len, "waits for products (job %lld)",
		    (long long)d->id);
		return why;
	}
	if ((int)n >= l->max_workers) {
		snprintf(why, len, "max_workers (%d) all busy", l->max_workers);
		return why;
	}
	for (i = 0; i < n; i++) {
		if (queue_conflict(a[i], j)) {
			snprintf(why, len, "job %lld writes the same database",
			    (long long)a[i]->id);
			return why;
		}
		total += a[i]->sessions;
		if (strcmp(a[i]->erp_user, j->erp_user) == 0)
			mine += a[i]->sessions;
	}
	g = j->want_sessions > 0 ? j->want_sessions : 1;
	if (l->max_erp_sessions > 0) {
		if (total >= l->max_erp_sessions) {
			snprintf(why, len, "max_erp_sessions (%d) all in use",
			    l->max_erp_sessions);
			queue_why_jobs(why, len, a, n, NULL);
			return why;
		}
		if (g > l->max_erp_sessions - total)
			g = l->max_erp_sessions - total;
	}
	if (l->max_sessions_per_user > 0) {
		if (mine >= l->max_sessions_per_user) {
			snprintf(why, len, "max_sessions_per_user (%d) all in "
			    "use by %s", l->max_sessions_per_user, j->erp_user);
			queue_why_jobs(why, len, a, n, j->erp_user);
			return why;
		}
		if (g > l->max_sessions_per_user - mine)
			g = l->max_sessions_per_user - mine;
	}
	*grant = g;
	return NULL;
}

/*
 * sessions_per_job = auto beside other jobs: j, about to start with grant
 * sessions, leaves one session for each other queued job that could start
 * now (as many as there are workers left for them), so that its extra
 * sessions never keep another job waiting. In a login storm (80 jobs, 8
 * sessions) every job then runs with 1 session, 8 at a time, rather than
 * 4 jobs with 2 each: a small job is hardly faster with more sessions,
 * but holds them all the same. As the queue drains, the last jobs get
 * more. At least 1; unchanged when nothing else could start.
 */
static int
queue_share(struct queue *q, const struct job *best,
    const struct queue_limits *l, const struct job **a, size_t n,
    int64_t now, int grant)
{
	const struct job	*j;
	size_t			 i;
	int			 total = 0, mine = 0, others = 0, same = 0;
	int			 room = l->max_workers - (int)n - 1, g = grant, x;
	char			 why[128];

	if (grant <= 1 || room <= 0)
		return grant;
	for (i = 0; i < n; i++) {
		total += a[i]->sessions;
		if (strcmp(a[i]->erp_user, best->erp_user) == 0)
			mine += a[i]->sessions;
	}
	TAILQ_FOREACH(j, &q->jobs, entry) {
		if (j == best || j->state != JOB_QUEUED ||
		    j->not_before_ms > now ||
		    queue_why(q, j, l, a, n, &x, why, sizeof why) != NULL)
			continue;
		others++;
		same += strcmp(j->erp_user, best->erp_user) == 0;
		if (l->max_erp_sessions > 0 &&
		    l->max_erp_sessions - total - others < g)
			g = l->max_erp_sessions - total - others;
		if (l->max_sessions_per_user > 0 &&
		    l->max_sessions_per_user - mine - same < g)
			g = l->max_sessions_per_user - mine - same;
		if (g <= 1 || others >= room)
			break;
	}
	return g < 1 ? 1 : g;
}

/* Why a queued job cannot start now (for `jobs`), or NULL. */
const char *
queue_blocked(struct queue *q, const struct job *j,
    const struct queue_limits *l, char *why, size_t len)
{
	const struct job	*a[ACTIVE_MAX];
	int			 grant;

	if (j->state != JOB_QUEUED)
		return NULL;
	return queue_why(q, j, l, a, queue_actives(q, a), &grant, why, len);
}

/*
 * The best queued job that may start now, or NULL; its sessions are set to
 * the number it is granted, so the caller starts it with those. *wake is
 * set to the earliest time a job held back by not_before becomes
 * eligible, or -1. A job of sessions_per_job = auto shares (queue_share).
 */
struct job *
queue_next(struct queue *q, const struct queue_limits *l, int64_t now,
    int64_t *wake)
{
	const struct job	*a[ACTIVE_MAX];
	struct job		*j, *best = NULL;
	size_t			 n;
	int			 grant, best_grant = 0;
	char			 why[128];

	*wake = -1;
	n = queue_actives(q, a);
	if ((int)n >= l->max_workers)
		return NULL;
	TAILQ_FOREACH(j, &q->jobs, entry) {
		if (j->state != JOB_QUEUED)
			continue;
		if (j->not_before_ms > now) {
			if (*wake == -1 || j->not_before_ms < *wake)
				*wake = j->not_before_ms;
			continue;
		}
		if (best != NULL && !queue_before(j, best))
			continue;
		if (queue_why(q, j, l, a, n, &grant, why,
		    sizeof why) == NULL) {
			best = j;
			best_grant = grant;
		}
	}
	if (best != NULL && best->auto_sessions)
		best_grant = queue_share(q, best, l, a, n, now, best_grant);
	if (best != NULL)
		best->sessions = best_grant;
	return best;
}

/* Move an ended job off the queue; it is freed by queue_reap(). */
void
queue_retire(struct queue *q, struct job *j)
{
	queue_index_remove(q, j);
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
