/*
 * check_hold.c — holds with a fake clock: what a hold covers, when it may
 * be granted, reference counting, that nothing in scope starts while held,
 * and expiry by TTL; a hold without a TTL (`hold -- CMD`) never expires.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/testutil.h"
#include "tests/unit/polfix.h"

static struct queue		 q;
static struct holds		 holds;
static struct queue_limits	 lim;
static int64_t			 now;

static void
setup(void)
{
	log_init("check", LOG_LOGFMT, LOG_ERROR);
	queue_init(&q, 1);
	holds_init(&holds);
	memset(&lim, 0, sizeof lim);
	lim.max_workers = 8;
	lim.holds = &holds;
	now = 1800000000000LL;
}

static void
teardown(void)
{
	queue_clear(&q);
	holds_clear(&holds);
}

static struct job *
req(enum kind k, const char *scope)
{
	return polfix_request(&q, k, scope, MODE_FULL, TRIG_MANUAL, 0, 0, 0, now,
	    NULL);
}

static int
start_all(void)
{
	return polfix_start_all(&q, &lim, now, JOB_RUNNING);
}

START_TEST(test_covers)
{
	struct hold	*all, *alice, *sys;
	struct job	*ca, *cb, *p;

	ca = req(KIND_CUSTOMERS, "alice");
	cb = req(KIND_CUSTOMERS, "bob");
	p = req(KIND_PRODUCTS, "*");
	all = hold_add(&holds, NULL, "", 1000, now);
	alice = hold_add(&holds, "alice", "order", 1000, now);
	sys = hold_add(&holds, "sys", "", 1000, now);
	ck_assert(hold_covers(all, ca) && hold_covers(all, cb) &&
	    hold_covers(all, p));
	ck_assert(hold_covers(alice, ca) && !hold_covers(alice, cb) &&
	    !hold_covers(alice, p));
	/* a hold on the system user covers what logs in as it */
	ck_assert(hold_covers(sys, p) && !hold_covers(sys, ca));
	ck_assert_int_eq(holds_count(&holds, ca), 2);
	ck_assert_int_eq(holds_count(&holds, p), 2);
	ck_assert_ptr_eq(hold_find(&holds, alice->id), alice);
	ck_assert_str_eq(alice->reason, "order");
}
END_TEST

START_TEST(test_nothing_starts_while_held)
{
	struct hold	*h;
	struct job	*ca, *cb;
	char		 why[128];

	ca = req(KIND_CUSTOMERS, "alice");
	cb = req(KIND_CUSTOMERS, "bob");
	h = hold_add(&holds, "alice", NULL, 1000, now);
	ck_assert_int_eq(start_all(), 1);
	ck_assert_int_eq(cb->state, JOB_RUNNING);
	ck_assert_int_eq(ca->state, JOB_QUEUED);
	ck_assert_ptr_nonnull(queue_blocked(&q, ca, &lim, why, sizeof why));
	ck_assert_ptr_nonnull(strstr(why, "held by hold"));
	/* nothing of alice's runs: granted at once */
	ck_assert_int_eq(hold_ready(h, &q), 1);
	hold_remove(&holds, h);
	ck_assert_int_eq(start_all(), 1);
	ck_assert_int_eq(ca->state, JOB_RUNNING);
}
END_TEST

START_TEST(test_granted_when_all_paused)
{
	struct hold	*h;
	struct job	*ca, *oa, *cb;

	ca = req(KIND_CUSTOMERS, "alice");
	oa = req(KIND_ORDERS, "alice");
	cb = req(KIND_CUSTOMERS, "bob");
	ck_assert_int_eq(start_all(), 3);
	h = hold_add(&holds, "alice", NULL, 1000, now);
	ck_assert_ptr_eq(holds_block(&holds, ca), h);
	ck_assert_ptr_null(holds_block(&holds, cb));
	ck_assert_int_eq(hold_ready(h, &q), 0);
	job_set_state(ca, JOB_PAUSED, now);
	ck_assert_int_eq(hold_ready(h, &q), 0);
	/* a job that ends instead of pausing is fine too */
	job_set_state(oa, JOB_DONE, now);
	queue_retire(&q, oa);
	ck_assert_int_eq(hold_ready(h, &q), 1);
	/* bob runs on */
	ck_assert_int_eq(cb->state, JOB_RUNNING);
}
END_TEST

START_TEST(test_reference_counted)
{
	struct hold	*h1, *h2, *g;
	struct job	*ca;

	ca = req(KIND_CUSTOMERS, "alice");
	start_all();
	h1 = hold_add(&holds, "alice", NULL, 1000, now);
	h2 = hold_add(&holds, "alice", NULL, 5000, now);
	g = hold_add(&holds, NULL, NULL, 9000, now);
	job_set_state(ca, JOB_PAUSED, now);
	ck_assert_int_eq(holds_count(&holds, ca), 3);
	hold_remove(&holds, h1);
	ck_assert_ptr_nonnull(holds_block(&holds, ca));
	hold_remove(&holds, g);
	ck_assert_ptr_eq(holds_block(&holds, ca), h2);
	hold_remove(&holds, h2);
	/* the last one gone: the job may run again */
	ck_assert_ptr_null(holds_block(&holds, ca));
}
END_TEST

/* Nothing has expired at time at; the next wake is wake (-1: none). */
static void
none_expired(int64_t at, int64_t wake)
{
	int64_t	 w;

	ck_assert_ptr_null(holds_expired(&holds, at, &w));
	ck_assert_int_eq(w, wake);
}

START_TEST(test_expiry)
{
	struct hold	*a, *b, *x;
	int64_t		 wake;

	a = hold_add(&holds, "alice", NULL, 2000, now);
	b = hold_add(&holds, "bob", NULL, 5000, now);
	none_expired(now + 1000, now + 2000);
	x = holds_expired(&holds, now + 2000, &wake);
	ck_assert_ptr_eq(x, a);
	hold_remove(&holds, x);
	none_expired(now + 2000, now + 5000);
	ck_assert_ptr_eq(holds_expired(&holds, now + 9000, &wake), b);
	hold_remove(&holds, b);
	none_expired(now + 9000, -1);
	ck_assert_int_eq(hold_add(&holds, NULL, NULL, 1, now)->id, 3);
}
END_TEST

START_TEST(test_no_ttl_never_expires)
{
	struct hold	*cmd, *a, *x;
	int64_t		 wake;

	cmd = hold_add(&holds, "alice", "order", 0, now);
	ck_assert_int_eq(cmd->expires_ms, 0);
	/* alone, it wakes nobody and never comes back as expired */
	none_expired(now, -1);
	none_expired(now + 400LL * 86400000, -1);
	/* beside one with a TTL: only that one expires, then no wake */
	a = hold_add(&holds, "alice", NULL, 2000, now);
	none_expired(now + 1000, now + 2000);
	x = holds_expired(&holds, now + 2000, &wake);
	ck_assert_ptr_eq(x, a);
	hold_remove(&holds, x);
	none_expired(now + 9000, -1);
	/* and it still blocks alice's jobs */
	ck_assert_ptr_eq(holds_block(&holds, req(KIND_CUSTOMERS, "alice")),
	    cmd);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("hold");

	tcase_add_checked_fixture(test_case(s, "holds", test_covers,
	    test_nothing_starts_while_held, test_granted_when_all_paused,
	    test_reference_counted, test_expiry, test_no_ttl_never_expires, NULL),
	    setup, teardown);
	return test_run(s);
}
