/*
 * check_schedule.c — the schedule and the stale check with a fake clock:
 * one catch-up per (kind, scope) after a 3-day outage, never-synced scopes
 * spread over their first interval, jitter bounds, backoff after failures,
 * intervals turned off, who is scheduled at all.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/testutil.h"
#include "supervisor/supervisor.h"

#define H	(3600 * 1000LL)
#define M	(60 * 1000LL)
#define D	(24 * H)

static struct config		*conf;
static struct queue		 q;
static struct users		 users;
static struct holds		 holds;
static struct policy		 pol;
static struct queue_limits	 lim;
static int64_t			 now;
static int			 requested[KIND_COUNT];

static void
count(struct job *j, const struct job_req *r, enum queue_outcome o, void *a)
{
	(void)r;
	(void)a;
	if (o == QUEUE_NEW)
		requested[j->kind]++;
}

static void
setup(void)
{
	log_init("check", LOG_LOGFMT, LOG_ERROR);
	conf = config_new();
	free(conf->system_user);
	conf->system_user = xstrdup("sys");
	queue_init(&q, 1);
	users_init(&users);
	holds_init(&holds);
	users_get(&users, "alice")->file_creds = 1;
	users_get(&users, "bob")->file_creds = 1;
	users_get(&users, "sys")->file_creds = 1;
	pol.conf = conf;
	pol.queue = &q;
	pol.users = &users;
	pol.holds = &holds;
	pol.requested = count;
	lim.max_workers = 4;
	lim.users = &users;
	lim.holds = &holds;
	now = 1800000000000LL;
	memset(requested, 0, sizeof requested);
}

static void
teardown(void)
{
	queue_clear(&q);
	users_clear(&users);
	holds_clear(&holds);
	config_free(conf);
}

static int
total(void)
{
	int	 k, n = 0;

	for (k = 0; k < KIND_COUNT; k++)
		n += requested[k];
	return n;
}

/* Every scope synced (full and delta) at t. */
static void
all_synced_at(int64_t t)
{
	static const char *agents[] = { "alice", "bob" };
	struct fresh	*f;
	size_t		 i;
	int		 k;

	for (i = 0; i < nitems(agents); i++) {
		for (k = KIND_CUSTOMERS; k <= KIND_ORDERS; k++) {
			f = users_fresh(&users, (enum kind)k, agents[i]);
			f->first_seen = t - 30 * D;
			f->last_full_ok = f->last_delta_ok = t;
		}
	}
	for (k = KIND_PRODUCTS; k <= KIND_PRICES; k++) {
		f = users_fresh(&users, (enum kind)k, "*");
		f->first_seen = t - 30 * D;
		f->last_full_ok = f->last_delta_ok = t;
	}
}

/* Run the queue dry: start what may start, end it done; repeat. */
static int
run_all(void)
{
	struct job	*j;
	int64_t		 wake, at;
	int		 n = 0;

	while ((j = queue_next(&q, &lim, now, &wake)) != NULL) {
		job_set_state(j, JOB_RUNNING, now);
		ck_assert_int_eq(policy_job_ended(&pol, j, JOB_DONE, now, 0,
		    &at), END_DONE);
		job_set_state(j, JOB_DONE, now);
		queue_retire(&q, j);
		queue_reap(&q);
		n++;
	}
	return n;
}

START_TEST(test_outage_one_catch_up)
{
	int64_t	 next, t0 = now;
	int	 i;

	all_synced_at(t0);
	/* the supervisor was down for 3 days, then restarts */
	now = t0 + 3 * D + 5 * M;
	ck_assert_int_eq(sched_tick(&pol, now, &next), 6);
	ck_assert_int_eq(requested[KIND_CUSTOMERS], 2);
	ck_assert_int_eq(requested[KIND_ORDERS], 2);
	ck_assert_int_eq(requested[KIND_PRODUCTS], 1);
	ck_assert_int_eq(requested[KIND_PRICES], 1);
	/* one catch-up each, full, by the stale rule (3d >= stale_after) */
	ck_assert_int_eq(queue_find_scope(&q, KIND_ORDERS, "bob", 0)->mode,
	    MODE_FULL);
	ck_assert_int_eq(queue_find_scope(&q, KIND_ORDERS, "bob", 0)->trigger,
	    TRIG_STALE);
	/* more passes while they wait change nothing */
	for (i = 0; i < 10; i++) {
		now += 10 * 1000;
		ck_assert_int_eq(sched_tick(&pol, now, &next), 0);
	}
	ck_assert_int_eq(run_all(), 6);
	ck_assert_int_eq(sched_tick(&pol, now, &next), 0);
	ck_assert_int_eq(total(), 6);
	/* the next one is a delta, one interval later (plus jitter) */
	ck_assert_int_ge(next, now + 30 * M);
	ck_assert_int_le(next, now + 33 * M);
	now += 34 * M;
	ck_assert_int_eq(sched_tick(&pol, now, &next), 2);	/* customers */
	ck_assert_int_eq(queue_find_scope(&q, KIND_CUSTOMERS, "alice", 0)->mode,
	    MODE_DELTA);
	ck_assert_int_eq(queue_find_scope(&q, KIND_CUSTOMERS, "alice",
	    0)->trigger, TRIG_SCHEDULE);
}
END_TEST

START_TEST(test_restart_without_outage)
{
	int64_t	 next;

	all_synced_at(now);
	now += 10 * M;
	ck_assert_int_eq(sched_tick(&pol, now, &next), 0);
	/* a day later: the full runs come back, once each */
	now += D + 20 * M;
	ck_assert_int_eq(sched_tick(&pol, now, &next), 6);
	ck_assert_int_eq(queue_find_scope(&q, KIND_PRICES, "*", 0)->mode,
	    MODE_FULL);
	now += H;
	ck_assert_int_eq(sched_tick(&pol, now, &next), 0);
}
END_TEST

START_TEST(test_never_synced_spread)
{
	int64_t	 next, t0 = now;
	int	 n = 0, ticks = 0;

	/* first seen now: nothing at once, everything within one interval */
	ck_assert_int_eq(sched_tick(&pol, now, &next), 0);
	ck_assert_int_ge(next, t0);
	while (now < t0 + 3 * H) {
		n += sched_tick(&pol, now, &next);
		ticks++;
		now += M;
	}
	ck_assert_int_eq(n, 6);
	ck_assert_int_eq(requested[KIND_CUSTOMERS], 2);
	/* the first run is full */
	ck_assert_int_eq(queue_find_scope(&q, KIND_ORDERS, "alice", 0)->mode,
	    MODE_FULL);
	ck_assert_int_eq(users_fresh(&users, KIND_ORDERS, "alice")->first_seen,
	    t0);
}
END_TEST

START_TEST(test_who_is_scheduled)
{
	int64_t	 next;

	all_synced_at(now - 4 * D);
	users_find(&users, "bob")->needs_login = 1;
	users_get(&users, "carol");		/* no credentials */
	users_fresh(&users, KIND_CUSTOMERS, "carol")->last_full_ok = 1;
	ck_assert_int_eq(sched_tick(&pol, now, &next), 4);
	ck_assert_ptr_null(queue_find_scope(&q, KIND_CUSTOMERS, "bob", -1));
	ck_assert_ptr_null(queue_find_scope(&q, KIND_CUSTOMERS, "carol", -1));
	/* the system user has no customers of its own */
	ck_assert_ptr_null(queue_find_scope(&q, KIND_CUSTOMERS, "sys", -1));
	ck_assert_str_eq(queue_find_scope(&q, KIND_PRODUCTS, "*", 0)->erp_user,
	    "sys");
	/* poisoned scopes wait for a manual sync */
	queue_clear(&q);
	queue_init(&q, 100);
	users_fresh(&users, KIND_ORDERS, "alice")->poisoned = 1;
	conf->kinds[KIND_PRICES].enabled = 0;
	ck_assert_int_eq(sched_tick(&pol, now, &next), 2);
}
END_TEST

START_TEST(test_intervals_off_and_stale)
{
	struct fresh	*f = users_fresh(&users, KIND_CUSTOMERS, "alice");
	struct due	 d;
	int		 k;

	for (k = 0; k < KIND_COUNT; k++) {
		conf->kinds[k].full_every = 0;
		conf->kinds[k].delta_every = 0;
		conf->kinds[k].stale_after = 0;
	}
	f->first_seen = now - 10 * D;
	f->last_full_ok = now - 9 * D;
	ck_assert_int_eq(sched_scope_due(&pol, f, KIND_CUSTOMERS, "alice", now,
	    &d), 0);
	ck_assert_int_eq(d.at, -1);
	conf->kinds[KIND_CUSTOMERS].stale_after = 3 * 86400;
	ck_assert_int_eq(sched_scope_due(&pol, f, KIND_CUSTOMERS, "alice", now,
	    &d), 1);
	ck_assert_int_eq(d.trigger, TRIG_STALE);
	ck_assert_int_eq(d.mode, MODE_FULL);
	ck_assert_int_eq(d.at, now - 6 * D);
	f->last_delta_ok = now - 1 * D;
	ck_assert_int_eq(sched_scope_due(&pol, f, KIND_CUSTOMERS, "alice", now,
	    &d), 0);
	ck_assert_int_eq(d.at, now + 2 * D);
}
END_TEST

START_TEST(test_failures_back_off)
{
	struct fresh	*f = users_fresh(&users, KIND_ORDERS, "alice");
	struct due	 d;

	f->first_seen = now - 10 * D;
	f->last_full_ok = f->last_delta_ok = now - 2 * H;
	f->failures = 3;
	f->last_attempt = now;
	/* due by the clock, but backoff(3) = 60..120s after the attempt */
	ck_assert_int_eq(sched_scope_due(&pol, f, KIND_ORDERS, "alice", now,
	    &d), 0);
	ck_assert_int_ge(d.at, now + 60 * 1000);
	ck_assert_int_le(d.at, now + 120 * 1000);
	ck_assert_int_eq(sched_scope_due(&pol, f, KIND_ORDERS, "alice",
	    now + 120 * 1000, &d), 1);
	/* many failures: capped at retry_backoff_max */
	f->failures = 40;
	sched_scope_due(&pol, f, KIND_ORDERS, "alice", now, &d);
	ck_assert_int_le(d.at, now + conf->retry_backoff_max * 1000);
}
END_TEST

START_TEST(test_jitter)
{
	int64_t	 j, min = -1, max = -1, i;
	char	 user[16];

	for (i = 0; i < 2000; i++) {
		snprintf(user, sizeof user, "a%lld", (long long)i);
		j = sched_jitter(user, KIND_CUSTOMERS, now, 1000);
		ck_assert_int_ge(j, 0);
		ck_assert_int_lt(j, 1000);
		if (min == -1 || j < min)
			min = j;
		if (j > max)
			max = j;
	}
	/* spread, and stable */
	ck_assert_int_lt(min, 100);
	ck_assert_int_gt(max, 900);
	ck_assert_int_eq(sched_jitter("x", KIND_ORDERS, 5, 777),
	    sched_jitter("x", KIND_ORDERS, 5, 777));
	ck_assert_int_eq(sched_jitter("x", KIND_ORDERS, 5, 0), 0);
}
END_TEST

START_TEST(test_many_agents)
{
	char	 name[32];
	int64_t	 next;
	int	 i, n;

	for (i = 0; i < 10000; i++) {
		snprintf(name, sizeof name, "agent%05d", i);
		users_get(&users, name)->file_creds = 1;
	}
	/* all first seen now: spread, none at once */
	ck_assert_int_eq(sched_tick(&pol, now, &next), 0);
	now += 40 * M;
	n = sched_tick(&pol, now, &next);
	/* customers (30m) and orders (1h) */
	ck_assert_int_ge(n, 10002);
	ck_assert_int_eq(requested[KIND_CUSTOMERS], 10002);
	ck_assert_int_eq(sched_tick(&pol, now, &next), 0);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("schedule");

	tcase_add_checked_fixture(test_case(s, "clock",
	    test_outage_one_catch_up, test_restart_without_outage,
	    test_never_synced_spread, test_who_is_scheduled,
	    test_intervals_off_and_stale, test_failures_back_off, test_jitter,
	    test_many_agents, NULL),
	    setup, teardown);
	return test_run(s);
}
