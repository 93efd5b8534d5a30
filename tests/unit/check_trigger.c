/*
 * check_trigger.c — the event and manual triggers of design §5 with a fake
 * clock: thresholds per kind, what is skipped and why, coalescing outcomes,
 * a trigger storm, the first-customers dependency and needs-login.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/testutil.h"
#include "tests/unit/polfix.h"

#define H	(3600 * 1000LL)
#define M	(60 * 1000LL)

static struct polfix		 fx;
static int			 nrequests;

static void
count_requests(struct job *j, const struct job_req *r, enum queue_outcome o,
    void *arg)
{
	(void)j;
	(void)r;
	(void)o;
	(void)arg;
	nrequests++;
}

static void
setup(void)
{
	polfix_setup(&fx, count_requests);
	nrequests = 0;
}

static void
teardown(void)
{
	polfix_teardown(&fx);
}

/* Mark (kind, scope) synced ago ms before now (full and delta). */
static void
synced(enum kind k, const char *scope, int64_t full_ago, int64_t delta_ago)
{
	struct fresh	*f = users_fresh(&fx.users, k, scope);

	f->first_seen = fx.now - 30 * 24 * H;
	f->last_full_ok = full_ago >= 0 ? fx.now - full_ago : 0;
	f->last_delta_ok = delta_ago >= 0 ? fx.now - delta_ago : 0;
}

static int
is_queued(enum job_state s)
{
	return s == JOB_QUEUED;
}

/* How many jobs of (kind, scope) are in a state that is ok. */
static int
jobs_of(enum kind k, const char *scope, int (*ok)(enum job_state))
{
	struct job	*j;
	int		 n = 0;

	TAILQ_FOREACH(j, &fx.q.jobs, entry)
		n += j->kind == k && strcmp(j->scope, scope) == 0 &&
		    ok(j->state);
	return n;
}

static struct job *
start_one(void)
{
	struct job	*j;
	int64_t		 wake;

	if ((j = queue_next(&fx.q, &fx.lim, fx.now, &wake)) != NULL)
		job_set_state(j, JOB_RUNNING, fx.now);
	return j;
}

/* End a running job (done or failed with class) through the policy. */
static void
finish(struct job *j, enum err_class class)
{
	enum job_state	 end = class == ERR_NONE ? JOB_DONE : JOB_FAILED;
	int64_t		 at;

	if (class != ERR_NONE)
		job_set_error(j, class, "test failure");
	if (policy_job_ended(&fx.pol, j, end, fx.now, 0, &at) == END_RETRY) {
		j->not_before_ms = at;
		job_set_state(j, JOB_QUEUED, fx.now);
		return;
	}
	job_set_state(j, end, fx.now);
	queue_retire(&fx.q, j);
	queue_reap(&fx.q);
}

START_TEST(test_login_thresholds)
{
	struct trig_result	 r[KIND_COUNT];
	int			 n;

	/* last synced 3h ago > login_after 2h: both kinds queued */
	synced(KIND_CUSTOMERS, "alice", 3 * H, 3 * H);
	synced(KIND_ORDERS, "alice", 3 * H, 3 * H);
	n = trigger_event(&fx.pol, TRIG_LOGIN, "alice", -1, 0, fx.now, r);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(r[0].kind, KIND_CUSTOMERS);
	ck_assert_int_eq(r[0].outcome, QUEUE_NEW);
	ck_assert_int_eq(r[1].outcome, QUEUE_NEW);
	ck_assert_ptr_nonnull(strstr(r[0].why, "3h ago > login_after 2h"));
	/* within full_every: a delta run */
	ck_assert_int_eq(queue_find(&fx.q, r[0].job)->mode, MODE_DELTA);
	ck_assert_int_eq(queue_find(&fx.q, r[0].job)->trigger, TRIG_LOGIN);
	/* customers starts first */
	ck_assert_int_eq(start_one()->kind, KIND_CUSTOMERS);
	ck_assert_int_eq(start_one()->kind, KIND_ORDERS);

	/* synced 1h ago: nothing, and it says why */
	synced(KIND_CUSTOMERS, "bob", 1 * H, 1 * H);
	synced(KIND_ORDERS, "bob", 1 * H, -1);
	n = trigger_event(&fx.pol, TRIG_LOGIN, "bob", -1, 0, fx.now, r);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(r[0].outcome, QUEUE_SKIPPED);
	ck_assert_int_eq(r[1].outcome, QUEUE_SKIPPED);
	ck_assert_int_eq(r[0].job, 0);
	ck_assert_ptr_nonnull(strstr(r[0].why, "fresh"));
	ck_assert_int_eq(queue_count(&fx.q, JOB_QUEUED), 0);
}
END_TEST

START_TEST(test_reconnect_and_access)
{
	struct trig_result	 r[KIND_COUNT];

	synced(KIND_CUSTOMERS, "alice", 1 * H, 1 * H);
	synced(KIND_ORDERS, "alice", 1 * H, 20 * M);
	/* fresh, but the client's cache is 3h old */
	trigger_event(&fx.pol, TRIG_RECONNECT, "alice", -1, 3 * 3600, fx.now,
	    r);
	ck_assert_int_eq(r[0].outcome, QUEUE_NEW);
	ck_assert_ptr_nonnull(strstr(r[0].why, "cache age 3h"));
	queue_clear(&fx.q);
	queue_init(&fx.q, 100);
	trigger_event(&fx.pol, TRIG_RECONNECT, "alice", -1, 60, fx.now, r);
	ck_assert_int_eq(r[0].outcome, QUEUE_SKIPPED);
	/* orders: access_after is 10m; customers 1h */
	trigger_event(&fx.pol, TRIG_ACCESS, "alice", KIND_ORDERS, 0, fx.now, r);
	ck_assert_int_eq(r[0].outcome, QUEUE_NEW);
	trigger_event(&fx.pol, TRIG_ACCESS, "alice", KIND_CUSTOMERS, 0, fx.now,
	    r);
	ck_assert_int_eq(r[0].outcome, QUEUE_SKIPPED);
	/* shared kinds run as system_user, scope "*" */
	trigger_event(&fx.pol, TRIG_ACCESS, "alice", KIND_PRODUCTS, 0, fx.now,
	    r);
	ck_assert_int_eq(r[0].outcome, QUEUE_NEW);
	ck_assert_str_eq(queue_find(&fx.q, r[0].job)->scope, "*");
	ck_assert_str_eq(queue_find(&fx.q, r[0].job)->erp_user, "sys");
	ck_assert_int_eq(queue_find(&fx.q, r[0].job)->mode, MODE_FULL);
}
END_TEST

START_TEST(test_skips_say_why)
{
	struct trig_result	 r[KIND_COUNT];

	trigger_event(&fx.pol, TRIG_LOGIN, "carol", -1, 0, fx.now, r);
	ck_assert_int_eq(r[0].outcome, QUEUE_SKIPPED);
	ck_assert_ptr_nonnull(strstr(r[0].why, "no credentials"));
	/* a password from the login event is enough */
	users_set_password(users_get(&fx.users, "carol"), "pw");
	trigger_event(&fx.pol, TRIG_LOGIN, "carol", -1, 0, fx.now, r);
	ck_assert_int_eq(r[0].outcome, QUEUE_NEW);
	ck_assert_ptr_nonnull(strstr(r[0].why, "never synced"));

	users_get(&fx.users, "bob")->needs_login = 1;
	trigger_event(&fx.pol, TRIG_LOGIN, "bob", -1, 0, fx.now, r);
	ck_assert_int_eq(r[0].outcome, QUEUE_SKIPPED);
	ck_assert_ptr_nonnull(strstr(r[0].why, "needs a login"));

	fx.conf->kinds[KIND_ORDERS].enabled = 0;
	trigger_event(&fx.pol, TRIG_LOGIN, "alice", -1, 0, fx.now, r);
	ck_assert_int_eq(r[1].outcome, QUEUE_SKIPPED);
	ck_assert_ptr_nonnull(strstr(r[1].why, "disabled"));
}
END_TEST

/*
 * Login, reconnect, the stale check, a forced manual sync and the schedule
 * for one agent within a second: one running job per (kind, scope) and at
 * most one follow-up.
 */
START_TEST(test_trigger_storm)
{
	struct trig_result	 r[KIND_COUNT];
	enum queue_outcome	 o;
	int64_t			 next;
	struct job		*run, *f;

	synced(KIND_CUSTOMERS, "alice", 4 * 24 * H, 4 * 24 * H);
	synced(KIND_ORDERS, "alice", 4 * 24 * H, 4 * 24 * H);
	trigger_event(&fx.pol, TRIG_LOGIN, "alice", -1, 0, fx.now, r);
	ck_assert_ptr_nonnull(run = start_one());
	fx.now += 100;
	trigger_event(&fx.pol, TRIG_RECONNECT, "alice", -1, 0, fx.now, r);
	ck_assert_int_eq(r[0].outcome, QUEUE_ATTACHED);
	fx.now += 100;
	/* stale too */
	ck_assert_int_eq(sched_tick(&fx.pol, fx.now, &next), 0);
	fx.now += 100;
	f = trigger_manual(&fx.pol, KIND_CUSTOMERS, "alice", "alice", MODE_FULL,
	    1, 0, fx.now, &o);
	ck_assert_int_eq(o, QUEUE_FOLLOWUP);
	fx.now += 100;
	trigger_manual(&fx.pol, KIND_CUSTOMERS, "alice", "alice", MODE_FULL, 1,
	    0, fx.now, &o);
	ck_assert_int_eq(o, QUEUE_MERGED);
	trigger_event(&fx.pol, TRIG_ACCESS, "alice", KIND_CUSTOMERS, 0, fx.now,
	    r);
	ck_assert_int_eq(r[0].outcome, QUEUE_MERGED);
	ck_assert_int_eq(sched_tick(&fx.pol, fx.now, &next), 0);
	start_one();	/* orders starts; customers' follow-up may not */
	ck_assert_int_eq(jobs_of(KIND_CUSTOMERS, "alice", job_state_active), 1);
	ck_assert_int_le(jobs_of(KIND_CUSTOMERS, "alice", is_queued), 1);
	ck_assert_int_eq(jobs_of(KIND_ORDERS, "alice", job_state_active), 1);
	ck_assert_int_eq(jobs_of(KIND_ORDERS, "alice", is_queued), 0);
	ck_assert_int_eq(f->trigger, TRIG_MANUAL);
	/* the follow-up runs only after the running one ends */
	ck_assert_ptr_null(start_one());
	finish(run, ERR_NONE);
	ck_assert_ptr_eq(start_one(), f);
	ck_assert_int_eq(jobs_of(KIND_CUSTOMERS, "alice", job_state_active), 1);
	ck_assert_int_eq(jobs_of(KIND_CUSTOMERS, "alice", is_queued), 0);
}
END_TEST

START_TEST(test_orders_wait_first_customers)
{
	struct trig_result	 r[KIND_COUNT];
	enum queue_outcome	 out;
	struct job		*c, *o;

	trigger_event(&fx.pol, TRIG_LOGIN, "alice", -1, 0, fx.now, r);
	c = queue_find(&fx.q, r[0].job);
	o = queue_find(&fx.q, r[1].job);
	ck_assert_int_eq(c->mode, MODE_FULL);
	ck_assert_ptr_eq(start_one(), c);
	/* room to run, but orders waits for the first customers sync */
	ck_assert_ptr_null(start_one());
	finish(c, ERR_NONE);
	ck_assert_ptr_eq(start_one(), o);

	/* once customers succeeded, the two run together */
	finish(o, ERR_NONE);
	synced(KIND_CUSTOMERS, "bob", 1, 1);
	trigger_manual(&fx.pol, KIND_CUSTOMERS, "bob", "bob", MODE_FULL, 0, 0,
	    fx.now, &out);
	trigger_manual(&fx.pol, KIND_ORDERS, "bob", "bob", MODE_FULL, 0, 0,
	    fx.now, &out);
	ck_assert_ptr_nonnull(start_one());
	ck_assert_ptr_nonnull(start_one());
}
END_TEST

START_TEST(test_delta_upgraded_when_never_full)
{
	enum queue_outcome	 o;
	struct job		*j;

	j = trigger_manual(&fx.pol, KIND_CUSTOMERS, "alice", "alice",
	    MODE_DELTA, 0, 0, fx.now, &o);
	ck_assert_int_eq(j->mode, MODE_FULL);
	finish(start_one(), ERR_NONE);
	j = trigger_manual(&fx.pol, KIND_CUSTOMERS, "alice", "alice",
	    MODE_DELTA, 0, 0, fx.now, &o);
	ck_assert_int_eq(j->mode, MODE_DELTA);
	ck_assert_int_eq(nrequests, 2);
}
END_TEST

START_TEST(test_auth_marks_needs_login)
{
	struct trig_result	 r[KIND_COUNT];
	enum queue_outcome	 out;
	struct config		*c1 = config_new(), *c2 = config_new();
	struct buf		 errs;
	struct job		*j;

	synced(KIND_CUSTOMERS, "alice", 5 * H, 5 * H);
	synced(KIND_ORDERS, "alice", 5 * H, 5 * H);
	trigger_event(&fx.pol, TRIG_LOGIN, "alice", -1, 0, fx.now, r);
	j = start_one();
	finish(j, ERR_AUTH);
	ck_assert_int_eq(users_find(&fx.users, "alice")->needs_login, 1);
	ck_assert_int_eq(users_fresh(&fx.users, KIND_CUSTOMERS,
	    "alice")->failures, 1);
	/* no retry: the job ended */
	ck_assert_int_eq(jobs_of(KIND_CUSTOMERS, "alice", is_queued), 0);
	queue_clear(&fx.q);
	queue_init(&fx.q, 50);
	trigger_event(&fx.pol, TRIG_LOGIN, "alice", -1, 0, fx.now, r);
	ck_assert_int_eq(r[0].outcome, QUEUE_SKIPPED);
	/* a manual sync bypasses it; its success clears it */
	j = trigger_manual(&fx.pol, KIND_CUSTOMERS, "alice", "alice", MODE_FULL,
	    0, 0, fx.now, &out);
	ck_assert_ptr_eq(start_one(), j);
	finish(j, ERR_NONE);
	ck_assert_int_eq(users_find(&fx.users, "alice")->needs_login, 0);
	/* a reload clears it only when the user's password changed */
	buf_init(&errs);
	ck_assert_int_eq(creds_parse(c1, "a", "bob:pw1\ncarol:x\n", &errs), 0);
	ck_assert_int_eq(creds_parse(c2, "b", "bob:pw2\ncarol:x\n", &errs), 0);
	users_find(&fx.users, "bob")->needs_login = 1;
	users_get(&fx.users, "carol")->needs_login = 1;
	users_sync_config(&fx.users, c1, c1);
	ck_assert_int_eq(users_find(&fx.users, "bob")->needs_login, 1);
	users_sync_config(&fx.users, c2, c1);
	ck_assert_int_eq(users_find(&fx.users, "bob")->needs_login, 0);
	ck_assert_int_eq(users_find(&fx.users, "carol")->needs_login, 1);
	ck_assert_int_eq(users_find(&fx.users, "alice")->file_creds, 0);
	buf_free(&errs);
	config_free(c1);
	config_free(c2);
}
END_TEST

/*
 * sessions_per_job = auto (0): a job asks for SV_SESSIONS_AUTO and shares
 * (queue_share); set: that, not shared.
 */
START_TEST(test_sessions_auto)
{
	struct job		*j;
	enum queue_outcome	 o;

	fx.conf->sessions_per_job = 0;
	j = trigger_manual(&fx.pol, KIND_CUSTOMERS, "alice", "alice", MODE_FULL,
	    0, 0, fx.now, &o);
	ck_assert_int_eq(j->want_sessions, SV_SESSIONS_AUTO);
	ck_assert_int_eq(j->auto_sessions, 1);
	fx.conf->sessions_per_job = 3;
	j = trigger_manual(&fx.pol, KIND_CUSTOMERS, "bob", "bob", MODE_FULL, 0,
	    0, fx.now, &o);
	ck_assert_int_eq(j->want_sessions, 3);
	ck_assert_int_eq(j->auto_sessions, 0);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("trigger");

	tcase_add_checked_fixture(test_case(s, "rules", test_login_thresholds,
	    test_reconnect_and_access, test_skips_say_why, test_trigger_storm,
	    test_orders_wait_first_customers,
	    test_delta_upgraded_when_never_full, test_auth_marks_needs_login,
	    test_sessions_auto, NULL),
	    setup, teardown);
	return test_run(s);
}
