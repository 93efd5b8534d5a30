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
#include "tests/unit/polfix.h"

#define H	(3600 * 1000LL)
#define M	(60 * 1000LL)
#define D	(24 * H)

static struct polfix		 fx;
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
	polfix_setup(&fx, count);
	memset(requested, 0, sizeof requested);
}

static void
teardown(void)
{
	polfix_teardown(&fx);
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
			f = users_fresh(&fx.users, (enum kind)k, agents[i]);
			f->first_seen = t - 30 * D;
			f->last_full_ok = f->last_delta_ok = t;
		}
	}
	for (k = KIND_PRODUCTS; k <= KIND_PRICES; k++) {
		f = users_fresh(&fx.users, (enum kind)k, "*");
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

	while ((j = queue_next(&fx.q, &fx.lim, fx.now, &wake)) != NULL) {
		job_set_state(j, JOB_RUNNING, fx.now);
		ck_assert_int_eq(policy_job_ended(&fx.pol, j, JOB_DONE, fx.now,
		    0, &at), END_DONE);
		job_set_state(j, JOB_DONE, fx.now);
		queue_retire(&fx.q, j);
		queue_reap(&fx.q);
		n++;
	}
	return n;
}

START_TEST(test_outage_one_catch_up)
{
	int64_t	 next, t0 = fx.now;
	int	 i;

	all_synced_at(t0);
	/* the supervisor was down for 3 days, then restarts */
	fx.now = t0 + 3 * D + 5 * M;
	ck_assert_int_eq(sched_tick(&fx.pol, fx.now, &next), 6);
	ck_assert_int_eq(requested[KIND_CUSTOMERS], 2);
	ck_assert_int_eq(requested[KIND_ORDERS], 2);
	ck_assert_int_eq(requested[KIND_PRODUCTS], 1);
	ck_assert_int_eq(requested[KIND_PRICES], 1);
	/* one catch-up each, full, by the stale rule (3d >= stale_after) */
	ck_assert_int_eq(queue_find_scope(&fx.q, KIND_ORDERS, "bob", 0)->mode,
	    MODE_FULL);
	ck_assert_int_eq(queue_find_scope(&fx.q, KIND_ORDERS, "bob",
	    0)->trigger, TRIG_STALE);
	/* more passes while they wait change nothing */
	for (i = 0; i < 10; i++) {
		fx.now += 10 * 1000;
		ck_assert_int_eq(sched_tick(&fx.pol, fx.now, &next), 0);
	}
	ck_assert_int_eq(run_all(), 6);
	ck_assert_int_eq(sched_tick(&fx.pol, fx.now, &next), 0);
	ck_assert_int_eq(total(), 6);
	/* the next one is a delta, one interval later (plus jitter) */
	ck_assert_int_ge(next, fx.now + 30 * M);
	ck_assert_int_le(next, fx.now + 33 * M);
	fx.now += 34 * M;
	/* customers */
	ck_assert_int_eq(sched_tick(&fx.pol, fx.now, &next), 2);
	ck_assert_int_eq(queue_find_scope(&fx.q, KIND_CUSTOMERS, "alice",
	    0)->mode, MODE_DELTA);
	ck_assert_int_eq(queue_find_scope(&fx.q, KIND_CUSTOMERS, "alice",
	    0)->trigger, TRIG_SCHEDULE);
}
END_TEST

START_TEST(test_restart_without_outage)
{
	int64_t	 next;

	all_synced_at(fx.now);
	fx.now += 10 * M;
	ck_assert_int_eq(sched_tick(&fx.pol, fx.now, &next), 0);
	/* a day later: the full runs come back, once each */
	fx.now += D + 20 * M;
	ck_assert_int_eq(sched_tick(&fx.pol, fx.now, &next), 6);
	ck_assert_int_eq(queue_find_scope(&fx.q, KIND_PRICES, "*", 0)->mode,
	    MODE_FULL);
	fx.now += H;
	ck_assert_int_eq(sched_tick(&fx.pol, fx.now, &next), 0);
}
END_TEST

START_TEST(test_never_synced_spread)
{
	int64_t	 next, t0 = fx.now;
	int	 n = 0, ticks = 0;

	/* first seen now: nothing at once, everything within one interval */
	ck_assert_int_eq(sched_tick(&fx.pol, fx.now, &next), 0);
	ck_assert_int_ge(next, t0);
	while (fx.now < t0 + 3 * H) {
		n += sched_tick(&fx.pol, fx.now, &next);
		ticks++;
		fx.now += M;
	}
	ck_assert_int_eq(n, 6);
	ck_assert_int_eq(requested[KIND_CUSTOMERS], 2);
	/* the first run is full */
	ck_assert_int_eq(queue_find_scope(&fx.q, KIND_ORDERS, "alice", 0)->mode,
	    MODE_FULL);
	ck_assert_int_eq(users_fresh(&fx.users, KIND_ORDERS,
	    "alice")->first_seen, t0);
}
END_TEST

START_TEST(test_who_is_scheduled)
{
	int64_t	 next;

	all_synced_at(fx.now - 4 * D);
	users_find(&fx.users, "bob")->needs_login = 1;
	users_get(&fx.users, "carol");		/* no credentials */
	users_fresh(&fx.users, KIND_CUSTOMERS, "carol")->last_full_ok = 1;
	ck_assert_int_eq(sched_tick(&fx.pol, fx.now, &next), 4);
	ck_assert_ptr_null(queue_find_scope(&fx.q, KIND_CUSTOMERS, "bob", -1));
	ck_assert_ptr_null(queue_find_scope(&fx.q, KIND_CUSTOMERS, "carol",
	    -1));
	/* the system user has no customers of its own */
	ck_assert_ptr_null(queue_find_scope(&fx.q, KIND_CUSTOMERS, "sys", -1));
	ck_assert_str_eq(queue_find_scope(&fx.q, KIND_PRODUCTS, "*",
	    0)->erp_user, "sys");
	/* poisoned scopes wait for a manual sync */
	queue_clear(&fx.q);
	queue_init(&fx.q, 100);
	users_fresh(&fx.users, KIND_ORDERS, "alice")->poisoned = 1;
	fx.conf->kinds[KIND_PRICES].enabled = 0;
	ck_assert_int_eq(sched_tick(&fx.pol, fx.now, &next), 2);
}
END_TEST

START_TEST(test_intervals_off_and_stale)
{
	struct fresh	*f;
	struct due	 d;
	int		 k;

	f = users_fresh(&fx.users, KIND_CUSTOMERS, "alice");
	for (k = 0; k < KIND_COUNT; k++) {
		fx.conf->kinds[k].full_every = 0;
		fx.conf->kinds[k].delta_every = 0;
		fx.conf->kinds[k].stale_after = 0;
	}
	f->first_seen = fx.now - 10 * D;
	f->last_full_ok = fx.now - 9 * D;
	ck_assert_int_eq(sched_scope_due(&fx.pol, f, KIND_CUSTOMERS, "alice",
	    fx.now, &d), 0);
	ck_assert_int_eq(d.at, -1);
	fx.conf->kinds[KIND_CUSTOMERS].stale_after = 3 * 86400;
	ck_assert_int_eq(sched_scope_due(&fx.pol, f, KIND_CUSTOMERS, "alice",
	    fx.now, &d), 1);
	ck_assert_int_eq(d.trigger, TRIG_STALE);
	ck_assert_int_eq(d.mode, MODE_FULL);
	ck_assert_int_eq(d.at, fx.now - 6 * D);
	f->last_delta_ok = fx.now - 1 * D;
	ck_assert_int_eq(sched_scope_due(&fx.pol, f, KIND_CUSTOMERS, "alice",
	    fx.now, &d), 0);
	ck_assert_int_eq(d.at, fx.now + 2 * D);
}
END_TEST

START_TEST(test_failures_back_off)
{
	struct fresh	*f = users_fresh(&fx.users, KIND_ORDERS, "alice");
	struct due	 d;

	f->first_seen = fx.now - 10 * D;
	f->last_full_ok = f->last_delta_ok = fx.now - 2 * H;
	f->failures = 3;
	f->last_attempt = fx.now;
	/* due by the clock, but backoff(3) = 60..120s after the attempt */
	ck_assert_int_eq(sched_scope_due(&fx.pol, f, KIND_ORDERS, "alice",
	    fx.now, &d), 0);
	ck_assert_int_ge(d.at, fx.now + 60 * 1000);
	ck_assert_int_le(d.at, fx.now + 120 * 1000);
	ck_assert_int_eq(sched_scope_due(&fx.pol, f, KIND_ORDERS, "alice",
	    fx.now + 120 * 1000, &d), 1);
	/* many failures: capped at retry_backoff_max */
	f->failures = 40;
	sched_scope_due(&fx.pol, f, KIND_ORDERS, "alice", fx.now, &d);
	ck_assert_int_le(d.at, fx.now + fx.conf->retry_backoff_max * 1000);
}
END_TEST

START_TEST(test_jitter)
{
	int64_t	 j, min = -1, max = -1, i;
	char	 user[16];

	for (i = 0; i < 2000; i++) {
		snprintf(user, sizeof user, "a%lld", (long long)i);
		j = sched_jitter(user, KIND_CUSTOMERS, fx.now, 1000);
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
		users_get(&fx.users, name)->file_creds = 1;
	}
	/* all first seen now: spread, none at once */
	ck_assert_int_eq(sched_tick(&fx.pol, fx.now, &next), 0);
	fx.now += 40 * M;
	n = sched_tick(&fx.pol, fx.now, &next);
	/* customers (30m) and orders (1h) */
	ck_assert_int_ge(n, 10002);
	ck_assert_int_eq(requested[KIND_CUSTOMERS], 10002);
	ck_assert_int_eq(sched_tick(&fx.pol, fx.now, &next), 0);
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
