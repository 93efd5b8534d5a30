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

static struct polfix	 fx;

static void
setup(void)
{
	polfix_setup(&fx, NULL);
	fx.lim.max_workers = 8;
	fx.lim.users = NULL;	/* orders need no first customers run here */
}

static void
teardown(void)
{
	polfix_teardown(&fx);
}

static struct job *
req(enum kind k, const char *scope)
{
	return polfix_request(&fx.q, k, scope, MODE_FULL, TRIG_MANUAL, 0, 0, 0,
	    fx.now, NULL);
}

static int
start_all(void)
{
	return polfix_start_all(&fx.q, &fx.lim, fx.now, JOB_RUNNING);
}

START_TEST(test_covers)
{
	struct hold	*all, *alice, *sys;
	struct job	*ca, *cb, *p;

	ca = req(KIND_CUSTOMERS, "alice");
	cb = req(KIND_CUSTOMERS, "bob");
	p = req(KIND_PRODUCTS, "*");
	all = hold_add(&fx.holds, NULL, "", 1000, fx.now);
	alice = hold_add(&fx.holds, "alice", "order", 1000, fx.now);
	sys = hold_add(&fx.holds, "sys", "", 1000, fx.now);
	ck_assert(hold_covers(all, ca) && hold_covers(all, cb) &&
	    hold_covers(all, p));
	ck_assert(hold_covers(alice, ca) && !hold_covers(alice, cb) &&
	    !hold_covers(alice, p));
	/* a hold on the system user covers what logs in as it */
	ck_assert(hold_covers(sys, p) && !hold_covers(sys, ca));
	ck_assert_int_eq(holds_count(&fx.holds, ca), 2);
	ck_assert_int_eq(holds_count(&fx.holds, p), 2);
	ck_assert_ptr_eq(hold_find(&fx.holds, alice->id), alice);
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
	h = hold_add(&fx.holds, "alice", NULL, 1000, fx.now);
	ck_assert_int_eq(start_all(), 1);
	ck_assert_int_eq(cb->state, JOB_RUNNING);
	ck_assert_int_eq(ca->state, JOB_QUEUED);
	ck_assert_ptr_nonnull(queue_blocked(&fx.q, ca, &fx.lim, why,
	    sizeof why));
	ck_assert_ptr_nonnull(strstr(why, "held by hold"));
	/* nothing of alice's runs: granted at once */
	ck_assert_int_eq(hold_ready(h, &fx.q), 1);
	hold_remove(&fx.holds, h);
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
	h = hold_add(&fx.holds, "alice", NULL, 1000, fx.now);
	ck_assert_ptr_eq(holds_block(&fx.holds, ca), h);
	ck_assert_ptr_null(holds_block(&fx.holds, cb));
	ck_assert_int_eq(hold_ready(h, &fx.q), 0);
	job_set_state(ca, JOB_PAUSED, fx.now);
	ck_assert_int_eq(hold_ready(h, &fx.q), 0);
	/* a job that ends instead of pausing is fine too */
	job_set_state(oa, JOB_DONE, fx.now);
	queue_retire(&fx.q, oa);
	ck_assert_int_eq(hold_ready(h, &fx.q), 1);
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
	h1 = hold_add(&fx.holds, "alice", NULL, 1000, fx.now);
	h2 = hold_add(&fx.holds, "alice", NULL, 5000, fx.now);
	g = hold_add(&fx.holds, NULL, NULL, 9000, fx.now);
	job_set_state(ca, JOB_PAUSED, fx.now);
	ck_assert_int_eq(holds_count(&fx.holds, ca), 3);
	hold_remove(&fx.holds, h1);
	ck_assert_ptr_nonnull(holds_block(&fx.holds, ca));
	hold_remove(&fx.holds, g);
	ck_assert_ptr_eq(holds_block(&fx.holds, ca), h2);
	hold_remove(&fx.holds, h2);
	/* the last one gone: the job may run again */
	ck_assert_ptr_null(holds_block(&fx.holds, ca));
}
END_TEST

/* Nothing has expired at time at; the next wake is wake (-1: none). */
static void
none_expired(int64_t at, int64_t wake)
{
	int64_t	 w;

	ck_assert_ptr_null(holds_expired(&fx.holds, at, &w));
	ck_assert_int_eq(w, wake);
}

START_TEST(test_expiry)
{
	struct hold	*a, *b, *x;
	int64_t		 wake;

	a = hold_add(&fx.holds, "alice", NULL, 2000, fx.now);
	b = hold_add(&fx.holds, "bob", NULL, 5000, fx.now);
	none_expired(fx.now + 1000, fx.now + 2000);
	x = holds_expired(&fx.holds, fx.now + 2000, &wake);
	ck_assert_ptr_eq(x, a);
	hold_remove(&fx.holds, x);
	none_expired(fx.now + 2000, fx.now + 5000);
	ck_assert_ptr_eq(holds_expired(&fx.holds, fx.now + 9000, &wake), b);
	hold_remove(&fx.holds, b);
	none_expired(fx.now + 9000, -1);
	ck_assert_int_eq(hold_add(&fx.holds, NULL, NULL, 1, fx.now)->id, 3);
}
END_TEST

START_TEST(test_no_ttl_never_expires)
{
	struct hold	*cmd, *a, *x;
	int64_t		 wake;

	cmd = hold_add(&fx.holds, "alice", "order", 0, fx.now);
	ck_assert_int_eq(cmd->expires_ms, 0);
	/* alone, it wakes nobody and never comes back as expired */
	none_expired(fx.now, -1);
	none_expired(fx.now + 400LL * 86400000, -1);
	/* beside one with a TTL: only that one expires, then no wake */
	a = hold_add(&fx.holds, "alice", NULL, 2000, fx.now);
	none_expired(fx.now + 1000, fx.now + 2000);
	x = holds_expired(&fx.holds, fx.now + 2000, &wake);
	ck_assert_ptr_eq(x, a);
	hold_remove(&fx.holds, x);
	none_expired(fx.now + 9000, -1);
	/* and it still blocks alice's jobs */
	ck_assert_ptr_eq(holds_block(&fx.holds, req(KIND_CUSTOMERS, "alice")),
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
