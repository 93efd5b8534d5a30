/*
 * check_queue.c — the queue's policy with a fake clock: serialization by
 * (kind, scope) and by database, coalescing, attach vs follow-up, limits
 * and priority order (design §5).
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/testutil.h"
#include "tests/unit/polfix.h"

static struct queue		 q;
static struct queue_limits	 lim;
static int64_t			 now;
static int			 want;	/* sessions_per_job of requests */
static int			 autos;	/* ... and whether it is auto */

static void
setup(void)
{
	log_init("check", LOG_LOGFMT, LOG_ERROR);
	queue_init(&q, 1);
	lim.max_workers = 4;
	lim.max_erp_sessions = 0;
	lim.max_sessions_per_user = 0;
	want = 1;
	autos = 0;
	now = 1000000;
}

static void
teardown(void)
{
	queue_clear(&q);
}

static struct job *
req(enum kind k, const char *scope, enum job_mode mode, enum job_trigger t,
    int force, enum queue_outcome *o)
{
	now += 10;
	return polfix_request(&q, k, scope, mode, t, force, want, autos, now,
	    o);
}

/* req() whose outcome must be outcome. */
static struct job *
req_is(enum queue_outcome outcome, enum kind k, const char *scope,
    enum job_mode mode, enum job_trigger t, int force)
{
	enum queue_outcome	 o;
	struct job		*j;

	j = req(k, scope, mode, t, force, &o);
	ck_assert_int_eq(o, outcome);
	return j;
}

/* Start what the queue allows now; returns how many started. */
static int
start_all(void)
{
	return polfix_start_all(&q, &lim, now, JOB_STARTING);
}

static struct job *
start_one(void)
{
	return polfix_start_one(&q, &lim, now);
}

static void
finish(struct job *j)
{
	job_set_state(j, JOB_DONE, now);
	queue_retire(&q, j);
	queue_reap(&q);
}

/* Start jobs one at a time: the ones given, in that order, up to NULL. */
static void __attribute__((__sentinel__))
starts_in_order(struct job *first, ...)
{
	struct job	*j, *w;
	va_list		 ap;
	int		 i;

	va_start(ap, first);
	for (w = first, i = 1; w != NULL; w = va_arg(ap, struct job *), i++) {
		j = start_one();
		ck_assert_msg(j == w, "start %d: job %lld, want job %lld", i,
		    j != NULL ? (long long)j->id : 0LL, (long long)w->id);
		finish(j);
	}
	va_end(ap);
}

/* End the first active job in the queue, if there is one. */
static void
finish_first_active(void)
{
	struct job	*j;

	TAILQ_FOREACH(j, &q.jobs, entry)
		if (job_state_active(j->state)) {
			finish(j);
			return;
		}
}

START_TEST(test_one_job_per_scope)
{
	struct job	*a, *b;

	a = req_is(QUEUE_NEW, KIND_CUSTOMERS, "alice", MODE_FULL, TRIG_MANUAL,
	    0);
	b = req_is(QUEUE_MERGED, KIND_CUSTOMERS, "alice", MODE_FULL,
	    TRIG_MANUAL, 0);
	ck_assert_ptr_eq(a, b);
	ck_assert_int_eq(queue_count(&q, JOB_QUEUED), 1);
	ck_assert_int_eq(start_all(), 1);
	/* a forced follow-up is queued but cannot start beside it */
	b = req_is(QUEUE_FOLLOWUP, KIND_CUSTOMERS, "alice", MODE_FULL,
	    TRIG_MANUAL, 1);
	ck_assert_ptr_ne(a, b);
	ck_assert_int_eq(start_all(), 0);
	finish(a);
	ck_assert_ptr_eq(start_one(), b);
}
END_TEST

START_TEST(test_products_prices_never_together)
{
	struct job	*p, *pr;

	p = req(KIND_PRODUCTS, "*", MODE_FULL, TRIG_SCHEDULE, 0, NULL);
	pr = req(KIND_PRICES, "*", MODE_FULL, TRIG_MANUAL, 0, NULL);
	ck_assert_int_eq(queue_conflict(p, pr), 1);
	/* prices waits for a queued products, whatever its trigger */
	ck_assert_ptr_eq(start_one(), p);
	ck_assert_ptr_null(start_one());
	ck_assert_int_eq(queue_active(&q), 1);
	finish(p);
	ck_assert_ptr_eq(start_one(), pr);
	ck_assert_ptr_null(start_one());
	/* products asked while prices runs: never together either */
	p = req(KIND_PRODUCTS, "*", MODE_FULL, TRIG_MANUAL, 0, NULL);
	ck_assert_ptr_null(start_one());
	finish(pr);
	ck_assert_ptr_eq(start_one(), p);
}
END_TEST

START_TEST(test_agents_in_parallel)
{
	req(KIND_CUSTOMERS, "alice", MODE_FULL, TRIG_MANUAL, 0, NULL);
	req(KIND_CUSTOMERS, "bob", MODE_FULL, TRIG_MANUAL, 0, NULL);
	req(KIND_ORDERS, "alice", MODE_FULL, TRIG_MANUAL, 0, NULL);
	req(KIND_ORDERS, "bob", MODE_DELTA, TRIG_MANUAL, 0, NULL);
	ck_assert_int_eq(start_all(), 4);
	ck_assert_int_eq(queue_active(&q), 4);
}
END_TEST

START_TEST(test_coalesce_queued)
{
	struct job		*a, *b;
	enum queue_outcome	 o;

	a = req_is(QUEUE_NEW, KIND_ORDERS, "alice", MODE_DELTA, TRIG_SCHEDULE,
	    0);
	/* higher priority wins */
	b = req(KIND_ORDERS, "alice", MODE_DELTA, TRIG_LOGIN, 0, &o);
	ck_assert_ptr_eq(a, b);
	ck_assert_int_eq(o, QUEUE_MERGED);
	ck_assert_int_eq(a->trigger, TRIG_LOGIN);
	ck_assert_int_eq(a->mode, MODE_DELTA);
	/* a lower one does not lower it; full beats delta */
	req_is(QUEUE_MERGED, KIND_ORDERS, "alice", MODE_FULL, TRIG_STALE, 0);
	ck_assert_int_eq(a->trigger, TRIG_LOGIN);
	ck_assert_int_eq(a->mode, MODE_FULL);
	/* and a later delta does not turn it back */
	req(KIND_ORDERS, "alice", MODE_DELTA, TRIG_MANUAL, 0, &o);
	ck_assert_int_eq(a->mode, MODE_FULL);
	ck_assert_int_eq(a->trigger, TRIG_MANUAL);
	ck_assert_int_eq(queue_count(&q, JOB_QUEUED), 1);
}
END_TEST

/* Whether the worker continues the unfinished run (design §5 "Runs"). */
START_TEST(test_resume_rules)
{
	struct job_req		 r;
	struct job		*a;
	enum queue_outcome	 o;

	/* A restart recovery or `sync --resume` continues the run. */
	job_req_init(&r, KIND_CUSTOMERS, "alice", "alice", MODE_FULL,
	    TRIG_SCHEDULE);
	r.resume = 1;
	a = queue_request(&q, &r, now, &o);
	ck_assert_int_eq(o, QUEUE_NEW);
	ck_assert_int_eq(a->resume_run, 1);
	/* Another automatic request merged into it changes nothing. */
	req_is(QUEUE_MERGED, KIND_CUSTOMERS, "alice", MODE_FULL, TRIG_STALE, 0);
	ck_assert_int_eq(a->resume_run, 1);
	/* A manual delta neither. */
	req(KIND_CUSTOMERS, "alice", MODE_DELTA, TRIG_MANUAL, 0, &o);
	ck_assert_int_eq(a->resume_run, 1);
	/* A manual full sync asks for a new run: every page. */
	req_is(QUEUE_MERGED, KIND_CUSTOMERS, "alice", MODE_FULL, TRIG_MANUAL,
	    0);
	ck_assert_int_eq(a->resume_run, 0);
	/* Then --resume again. */
	r.trigger = TRIG_MANUAL;
	a = queue_request(&q, &r, now, &o);
	ck_assert_int_eq(o, QUEUE_MERGED);
	ck_assert_int_eq(a->resume_run, 1);
	/* A plain request is a new run. */
	ck_assert_int_eq(req(KIND_ORDERS, "bob", MODE_FULL, TRIG_SCHEDULE, 0,
	    &o)->resume_run, 0);
}
END_TEST

START_TEST(test_attach_or_follow_up)
{
	struct job	*run, *j, *f;

	run = req(KIND_CUSTOMERS, "alice", MODE_FULL, TRIG_SCHEDULE, 0, NULL);
	ck_assert_ptr_eq(start_one(), run);
	/* a running full covers delta and full requests */
	j = req_is(QUEUE_ATTACHED, KIND_CUSTOMERS, "alice", MODE_DELTA,
	    TRIG_MANUAL, 0);
	ck_assert_ptr_eq(j, run);
	j = req_is(QUEUE_ATTACHED, KIND_CUSTOMERS, "alice", MODE_FULL,
	    TRIG_MANUAL, 0);
	/* force queues one follow-up; a second force merges into it */
	f = req_is(QUEUE_FOLLOWUP, KIND_CUSTOMERS, "alice", MODE_FULL,
	    TRIG_MANUAL, 1);
	ck_assert_int_eq(f->state, JOB_QUEUED);
	j = req_is(QUEUE_MERGED, KIND_CUSTOMERS, "alice", MODE_FULL,
	    TRIG_MANUAL, 1);
	ck_assert_ptr_eq(j, f);
	ck_assert_int_eq(queue_count(&q, JOB_QUEUED), 1);
}
END_TEST

START_TEST(test_running_delta_does_not_cover_full)
{
	struct job	*run, *j;

	run = req(KIND_ORDERS, "bob", MODE_DELTA, TRIG_SCHEDULE, 0, NULL);
	ck_assert_ptr_eq(start_one(), run);
	j = req_is(QUEUE_ATTACHED, KIND_ORDERS, "bob", MODE_DELTA, TRIG_ACCESS,
	    0);
	j = req_is(QUEUE_FOLLOWUP, KIND_ORDERS, "bob", MODE_FULL, TRIG_MANUAL,
	    0);
	ck_assert_ptr_ne(j, run);
	ck_assert_int_eq(j->mode, MODE_FULL);
}
END_TEST

START_TEST(test_max_workers)
{
	const char	*users[] = { "a", "b", "c", "d", "e", "f" };
	size_t		 i;

	lim.max_workers = 2;
	for (i = 0; i < nitems(users); i++)
		req(KIND_CUSTOMERS, users[i], MODE_FULL, TRIG_MANUAL, 0, NULL);
	ck_assert_int_eq(start_all(), 2);
	ck_assert_int_eq(start_all(), 0);
	ck_assert_int_eq(queue_active(&q), 2);
	ck_assert_int_eq(queue_count(&q, JOB_QUEUED), 4);
}
END_TEST

START_TEST(test_session_limits)
{
	struct job	*a;

	lim.max_sessions_per_user = 1;
	a = req(KIND_CUSTOMERS, "alice", MODE_FULL, TRIG_MANUAL, 0, NULL);
	req(KIND_ORDERS, "alice", MODE_FULL, TRIG_MANUAL, 0, NULL);
	req(KIND_CUSTOMERS, "bob", MODE_FULL, TRIG_MANUAL, 0, NULL);
	/* alice's orders wait for alice's session; bob runs */
	ck_assert_int_eq(start_all(), 2);
	finish(a);
	ck_assert_int_eq(start_all(), 1);

	queue_clear(&q);
	queue_init(&q, 100);
	lim.max_sessions_per_user = 0;
	lim.max_erp_sessions = 2;
	req(KIND_CUSTOMERS, "a", MODE_FULL, TRIG_MANUAL, 0, NULL);
	req(KIND_CUSTOMERS, "b", MODE_FULL, TRIG_MANUAL, 0, NULL);
	req(KIND_CUSTOMERS, "c", MODE_FULL, TRIG_MANUAL, 0, NULL);
	ck_assert_int_eq(start_all(), 2);
}
END_TEST

START_TEST(test_priority_order)
{
	struct job	*sched, *stale, *access, *recon, *login, *manual;
	struct job	*c, *o, *p, *pr, *old, *young;

	lim.max_workers = 1;
	sched = req(KIND_CUSTOMERS, "u1", MODE_DELTA, TRIG_SCHEDULE, 0, NULL);
	stale = req(KIND_CUSTOMERS, "u2", MODE_DELTA, TRIG_STALE, 0, NULL);
	access = req(KIND_CUSTOMERS, "u3", MODE_DELTA, TRIG_ACCESS, 0, NULL);
	recon = req(KIND_CUSTOMERS, "u4", MODE_DELTA, TRIG_RECONNECT, 0, NULL);
	login = req(KIND_CUSTOMERS, "u5", MODE_DELTA, TRIG_LOGIN, 0, NULL);
	manual = req(KIND_CUSTOMERS, "u6", MODE_DELTA, TRIG_MANUAL, 0, NULL);
	starts_in_order(manual, login, recon, access, stale, sched, NULL);
	ck_assert_ptr_null(start_one());

	/* same trigger: customers > orders > products > prices */
	pr = req(KIND_PRICES, "*", MODE_DELTA, TRIG_SCHEDULE, 0, NULL);
	p = req(KIND_PRODUCTS, "*", MODE_DELTA, TRIG_SCHEDULE, 0, NULL);
	o = req(KIND_ORDERS, "u1", MODE_DELTA, TRIG_SCHEDULE, 0, NULL);
	c = req(KIND_CUSTOMERS, "u1", MODE_DELTA, TRIG_SCHEDULE, 0, NULL);
	starts_in_order(c, o, p, pr, NULL);

	/* same trigger and kind: the older first */
	old = req(KIND_ORDERS, "x", MODE_DELTA, TRIG_ACCESS, 0, NULL);
	young = req(KIND_ORDERS, "y", MODE_DELTA, TRIG_ACCESS, 0, NULL);
	ck_assert_int_eq(queue_before(old, young), 1);
	ck_assert_int_eq(queue_before(young, old), 0);
	ck_assert_ptr_eq(start_one(), old);
}
END_TEST

START_TEST(test_not_before_wake)
{
	struct job	*j;
	int64_t		 wake;

	j = req(KIND_CUSTOMERS, "alice", MODE_DELTA, TRIG_SCHEDULE, 0, NULL);
	j->not_before_ms = now + 5000;
	ck_assert_ptr_null(queue_next(&q, &lim, now, &wake));
	ck_assert_int_eq(wake, now + 5000);
	ck_assert_ptr_eq(queue_next(&q, &lim, now + 5000, &wake), j);
	/* a manual request merged into it starts it now */
	req_is(QUEUE_MERGED, KIND_CUSTOMERS, "alice", MODE_DELTA, TRIG_MANUAL,
	    0);
	ck_assert_ptr_eq(queue_next(&q, &lim, now, &wake), j);
}
END_TEST

START_TEST(test_names)
{
	enum kind	 k;
	enum job_state	 s;
	char		 path[256];

	ck_assert_int_eq(kind_parse("prices", &k), 0);
	ck_assert_int_eq(k, KIND_PRICES);
	ck_assert_int_eq(kind_parse("widgets", &k), -1);
	ck_assert_int_eq(job_state_parse("cancelled", &s), 0);
	ck_assert_str_eq(job_state_name(s), "cancelled");
	ck_assert_str_eq(queue_outcome_name(QUEUE_FOLLOWUP), "follow-up");
	kind_db_path(KIND_CUSTOMERS, "alice", "/d", path, sizeof path);
	ck_assert_str_eq(path, "/d/customers-alice.db");
	kind_db_path(KIND_PRICES, "*", "/d", path, sizeof path);
	ck_assert_str_eq(path, "/d/products.db");
	kind_db_path(KIND_ORDERS, "bob", "/d", path, sizeof path);
	ck_assert_str_eq(path, "/d/orders.db");
}
END_TEST

/* Random requests, starts and ends: the invariants never break. */
START_TEST(test_invariants_random)
{
	static const char *scopes[] = { "a", "b", "c" };
	struct job	*j, *k;
	unsigned	 seed = 7;
	int		 i, kind;

	lim.max_workers = 5;
	for (i = 0; i < 20000; i++) {
		seed = seed * 1103515245 + 12345;
		switch ((seed >> 16) % 4) {
		case 0:
		case 1:
			kind = (int)((seed >> 8) % KIND_COUNT);
			req((enum kind)kind, kind_per_user((enum kind)kind) ?
			    scopes[(seed >> 4) % 3] : "*",
			    (seed >> 3) & 1 ? MODE_FULL : MODE_DELTA,
			    (enum job_trigger)((seed >> 5) % TRIG_COUNT),
			    (seed >> 2) & 1, NULL);
			break;
		case 2:
			start_all();
			break;
		default:
			finish_first_active();
			break;
		}
		TAILQ_FOREACH(j, &q.jobs, entry) {
			if (!job_state_active(j->state))
				continue;
			TAILQ_FOREACH(k, &q.jobs, entry) {
				if (k == j || !job_state_active(k->state))
					continue;
				/* products and prices never overlap */
				ck_assert(!queue_conflict(j, k));
			}
			ck_assert_ptr_eq(queue_find_scope(&q, j->kind,
			    j->scope, 1), j);
		}
		ck_assert_int_le(queue_active(&q), 5);
		/* at most one queued per (kind, scope) */
		TAILQ_FOREACH(j, &q.jobs, entry)
			if (j->state == JOB_QUEUED)
				ck_assert_ptr_eq(queue_find_scope(&q, j->kind,
				    j->scope, 0), j);
	}
}
END_TEST

START_TEST(test_index_many_jobs)
{
	char		 name[32];
	struct job	*j;
	int		 i;

	for (i = 0; i < 20000; i++) {
		snprintf(name, sizeof name, "agent%d", i);
		req(KIND_CUSTOMERS, name, MODE_DELTA, TRIG_SCHEDULE, 0, NULL);
	}
	for (i = 0; i < 20000; i += 2) {
		snprintf(name, sizeof name, "agent%d", i);
		j = queue_find_scope(&q, KIND_CUSTOMERS, name, 0);
		ck_assert_ptr_nonnull(j);
		ck_assert_str_eq(j->scope, name);
		ck_assert_ptr_null(queue_find_scope(&q, KIND_ORDERS, name, -1));
		job_set_state(j, JOB_CANCELLED, now);
		queue_retire(&q, j);
	}
	queue_reap(&q);
	ck_assert_int_eq(queue_count(&q, JOB_QUEUED), 10000);
	ck_assert_ptr_null(queue_find_scope(&q, KIND_CUSTOMERS, "agent0", -1));
	ck_assert_ptr_nonnull(queue_find_scope(&q, KIND_CUSTOMERS, "agent1",
	    -1));
	/* the oldest schedule job goes first, among thousands */
	lim.max_workers = 1;
	ck_assert_str_eq(start_one()->scope, "agent1");
}
END_TEST

/* The queue's answer for a queued job, "" when it may start. */
static const char *
blocked(const struct job *j)
{
	static char	 why[256];
	const char	*w;

	w = queue_blocked(&q, j, &lim, why, sizeof why);
	return w != NULL ? w : "";
}

/* Regression: sessions_per_job 4 with 2 per user left every job queued. */
START_TEST(test_sessions_more_than_user_limit)
{
	struct job	*a;

	want = 4;
	lim.max_sessions_per_user = 2;
	lim.max_erp_sessions = 8;
	a = req(KIND_CUSTOMERS, "alice", MODE_FULL, TRIG_MANUAL, 0, NULL);
	ck_assert_str_eq(blocked(a), "");
	ck_assert_ptr_eq(start_one(), a);
	ck_assert_int_eq(a->want_sessions, 4);
	ck_assert_int_eq(a->sessions, 2);
}
END_TEST

/* A second job of the same user waits, for a true reason, then gets 2. */
START_TEST(test_sessions_same_user_waits)
{
	struct job	*a, *b;

	want = 4;
	lim.max_sessions_per_user = 2;
	a = req(KIND_CUSTOMERS, "alice", MODE_FULL, TRIG_MANUAL, 0, NULL);
	b = req(KIND_ORDERS, "alice", MODE_FULL, TRIG_MANUAL, 0, NULL);
	ck_assert_int_eq(start_all(), 1);
	ck_assert_int_eq(a->sessions, 2);
	ck_assert_int_eq(b->state, JOB_QUEUED);
	ck_assert_str_eq(blocked(b), "max_sessions_per_user (2) all in use "
	    "by alice (job 1)");
	/* bob is not alice: he runs beside her */
	ck_assert_ptr_nonnull(req(KIND_CUSTOMERS, "bob", MODE_FULL,
	    TRIG_MANUAL, 0, NULL));
	ck_assert_int_eq(start_all(), 1);
	finish(a);
	ck_assert_str_eq(blocked(b), "");
	ck_assert_ptr_eq(start_one(), b);
	ck_assert_int_eq(b->sessions, 2);
}
END_TEST

/* max_erp_sessions is shared across users; each job gets what is left. */
START_TEST(test_sessions_shared_total)
{
	struct job	*a, *b, *c, *d;

	want = 4;
	lim.max_erp_sessions = 5;
	a = req(KIND_CUSTOMERS, "alice", MODE_FULL, TRIG_MANUAL, 0, NULL);
	b = req(KIND_CUSTOMERS, "bob", MODE_FULL, TRIG_MANUAL, 0, NULL);
	c = req(KIND_CUSTOMERS, "carol", MODE_FULL, TRIG_MANUAL, 0, NULL);
	ck_assert_int_eq(start_all(), 2);
	ck_assert_int_eq(a->sessions, 4);
	ck_assert_int_eq(b->sessions, 1);
	ck_assert_int_eq(c->state, JOB_QUEUED);
	ck_assert_str_eq(blocked(c), "max_erp_sessions (5) all in use "
	    "(job 1, 2)");
	/* bob's one session coming back lets carol start with one */
	finish(b);
	ck_assert_ptr_eq(start_one(), c);
	ck_assert_int_eq(c->sessions, 1);
	/* both limits at once: the smaller share wins */
	finish(a);
	lim.max_sessions_per_user = 3;
	d = req(KIND_ORDERS, "carol", MODE_FULL, TRIG_MANUAL, 0, NULL);
	ck_assert_ptr_eq(start_one(), d);
	ck_assert_int_eq(d->sessions, 2);	/* carol has 1 of her 3 */
}
END_TEST

/* A limit of 0 is no limit: every job gets all it asks for. */
START_TEST(test_sessions_unlimited)
{
	struct job	*j;
	const char	*users[] = { "a", "b", "c" };
	size_t		 i;

	want = 6;
	for (i = 0; i < nitems(users); i++)
		req(KIND_CUSTOMERS, users[i], MODE_FULL, TRIG_MANUAL, 0, NULL);
	req(KIND_ORDERS, "a", MODE_FULL, TRIG_MANUAL, 0, NULL);
	ck_assert_int_eq(start_all(), 4);
	TAILQ_FOREACH(j, &q.jobs, entry)
		ck_assert_int_eq(j->sessions, 6);
}
END_TEST

/*
 * sessions_per_job = auto in a login storm (issue 11): a job leaves one
 * session for each other job that could start, so 10 jobs on 8 sessions
 * start 8 at once with 1 each, not 2 with 4 each; as the queue drains the
 * last get more. Jobs that have no worker left to start with, and jobs
 * with a set sessions_per_job, are not shared with.
 */
START_TEST(test_sessions_auto_shares)
{
	struct job	*j, *js[10], *a, *b, *c;
	char		 name[16];
	int		 i, n;

	want = 4;
	autos = 1;
	lim.max_workers = 16;
	lim.max_erp_sessions = 8;
	for (i = 0; i < 10; i++) {
		snprintf(name, sizeof name, "agent%d", i);
		js[i] = req(KIND_CUSTOMERS, name, MODE_FULL, TRIG_LOGIN, 0,
		    NULL);
		ck_assert_int_eq(js[i]->auto_sessions, 1);
	}
	ck_assert_int_eq(start_all(), 8);
	for (i = 0; i < 8; i++)
		ck_assert_int_eq(js[i]->sessions, 1);
	ck_assert_str_eq(blocked(js[8]), "max_erp_sessions (8) all in use "
	    "(job 1, 2, 3, 4 and 4 more)");
	/* 4 sessions come back, 2 jobs wait: the first leaves one for the
	 * last, which then takes the one left */
	for (i = 0; i < 4; i++)
		finish(js[i]);
	ck_assert_ptr_eq(start_one(), js[8]);
	ck_assert_int_eq(js[8]->sessions, 3);
	ck_assert_ptr_eq(start_one(), js[9]);
	ck_assert_int_eq(js[9]->sessions, 1);
	/* alone in the queue: all it asks for */
	for (i = 4; i < 10; i++)
		finish(js[i]);
	j = req(KIND_CUSTOMERS, "late", MODE_FULL, TRIG_LOGIN, 0, NULL);
	ck_assert_ptr_eq(start_one(), j);
	ck_assert_int_eq(j->sessions, 4);
	finish(j);

	/* the same user's other job, under max_sessions_per_user: 1 each,
	 * both run, rather than 2 and a wait */
	lim.max_erp_sessions = 0;
	lim.max_sessions_per_user = 2;
	a = req(KIND_CUSTOMERS, "alice", MODE_FULL, TRIG_LOGIN, 0, NULL);
	b = req(KIND_ORDERS, "alice", MODE_FULL, TRIG_LOGIN, 0, NULL);
	ck_assert_int_eq(start_all(), 2);
	ck_assert_int_eq(a->sessions, 1);
	ck_assert_int_eq(b->sessions, 1);
	finish(a);
	finish(b);

	/* a job with no worker left to start is not left a session */
	lim.max_sessions_per_user = 0;
	lim.max_erp_sessions = 8;
	lim.max_workers = 2;
	a = req(KIND_CUSTOMERS, "a", MODE_FULL, TRIG_LOGIN, 0, NULL);
	b = req(KIND_CUSTOMERS, "b", MODE_FULL, TRIG_LOGIN, 0, NULL);
	c = req(KIND_CUSTOMERS, "c", MODE_FULL, TRIG_LOGIN, 0, NULL);
	ck_assert_int_eq(start_all(), 2);
	ck_assert_int_eq(a->sessions, 4);
	ck_assert_int_eq(b->sessions, 4);
	ck_assert_str_eq(blocked(c), "max_workers (2) all busy");
	finish(a);
	finish(b);
	ck_assert_ptr_eq(start_one(), c);
	finish(c);

	/* a set sessions_per_job takes what the limits leave, as before */
	autos = 0;
	lim.max_workers = 16;
	for (i = 0; i < 10; i++) {
		snprintf(name, sizeof name, "set%d", i);
		js[i] = req(KIND_CUSTOMERS, name, MODE_FULL, TRIG_LOGIN, 0,
		    NULL);
	}
	ck_assert_int_eq(start_all(), 2);
	n = 0;
	TAILQ_FOREACH(j, &q.jobs, entry)
		if (job_state_active(j->state)) {
			ck_assert_int_eq(j->sessions, 4);
			n++;
		}
	ck_assert_int_eq(n, 2);
}
END_TEST

/*
 * Random requests, limits, starts and ends: the sessions of active jobs
 * never exceed a limit, every job starts with 1..its ask, and every reason
 * `jobs` would show is true at that moment; no job that may start is left.
 */
START_TEST(test_sessions_random_reasons)
{
	static const char *scopes[] = { "a", "b", "c", "d" };
	struct job	*j, *k;
	unsigned	 seed = 12345;
	int		 i, kind, total, mine, n;
	const char	*w;
	char		 exp[160];

	lim.max_workers = 6;
	for (i = 0; i < 20000; i++) {
		seed = seed * 1103515245 + 12345;
		switch ((seed >> 16) % 5) {
		case 0:
		case 1:
			want = 1 + (int)((seed >> 9) % 5);
			autos = (int)((seed >> 3) & 1);
			kind = (int)((seed >> 8) % KIND_COUNT);
			req((enum kind)kind, kind_per_user((enum kind)kind) ?
			    scopes[(seed >> 4) % 4] : "*", MODE_FULL,
			    TRIG_MANUAL, 0, NULL);
			break;
		case 2:
			start_all();
			break;
		case 3:
			lim.max_erp_sessions = (int)((seed >> 5) % 9);
			lim.max_sessions_per_user = (int)((seed >> 11) % 4);
			start_all();
			break;
		default:
			finish_first_active();
			break;
		}
		n = 0;
		TAILQ_FOREACH(j, &q.jobs, entry) {
			if (!job_state_active(j->state))
				continue;
			n++;
			ck_assert_int_ge(j->sessions, 1);
			ck_assert_int_le(j->sessions, j->want_sessions);
		}
		TAILQ_FOREACH(j, &q.jobs, entry) {
			if (j->state != JOB_QUEUED)
				continue;
			total = mine = 0;
			TAILQ_FOREACH(k, &q.jobs, entry) {
				if (!job_state_active(k->state))
					continue;
				total += k->sessions;
				if (strcmp(k->erp_user, j->erp_user) == 0)
					mine += k->sessions;
			}
			w = blocked(j);
			/* after start_all, a job nothing blocks is a lie */
			if ((seed >> 16) % 5 >= 2 && (seed >> 16) % 5 <= 3)
				ck_assert_str_ne(w, "");
			snprintf(exp, sizeof exp, "max_erp_sessions (%d) all in "
			    "use", lim.max_erp_sessions);
			if (strncmp(w, exp, strlen(exp)) == 0)
				ck_assert_int_ge(total, lim.max_erp_sessions);
			snprintf(exp, sizeof exp, "max_sessions_per_user (%d) "
			    "all in use by %s", lim.max_sessions_per_user,
			    j->erp_user);
			if (strncmp(w, exp, strlen(exp)) == 0)
				ck_assert_int_ge(mine,
				    lim.max_sessions_per_user);
			if (strncmp(w, "max_workers", 11) == 0)
				ck_assert_int_ge(n, lim.max_workers);
			/* a session reason names a limit that is set */
			if (strstr(w, "sessions") != NULL)
				ck_assert(lim.max_erp_sessions > 0 ||
				    lim.max_sessions_per_user > 0);
		}
	}
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("queue");

	tcase_add_checked_fixture(test_case(s, "policy", test_one_job_per_scope,
	    test_products_prices_never_together, test_agents_in_parallel,
	    test_coalesce_queued, test_resume_rules, test_attach_or_follow_up,
	    test_running_delta_does_not_cover_full, test_max_workers,
	    test_session_limits, test_sessions_more_than_user_limit,
	    test_sessions_same_user_waits, test_sessions_shared_total,
	    test_sessions_unlimited, test_sessions_auto_shares,
	    test_sessions_random_reasons,
	    test_priority_order, test_not_before_wake, test_names,
	    test_invariants_random, test_index_many_jobs, NULL),
	    setup, teardown);
	return test_run(s);
}
