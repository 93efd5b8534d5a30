/*
 * check_backoff.c — what happens when a run ends, with a fake clock and
 * fixed dice: backoff grows and is capped, attempts run out, which classes
 * are retried for which triggers, and the poison rule.
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
}

static void
teardown(void)
{
	polfix_teardown(&fx);
}

static struct job *
running(enum job_trigger t)
{
	struct job	*j;

	j = polfix_request(&fx.q, KIND_CUSTOMERS, "alice", MODE_FULL, t, 0, 0,
	    0, fx.now, NULL);
	job_set_state(j, JOB_RUNNING, fx.now);
	j->attempts++;
	return j;
}

static enum end_action
fail_with(struct job *j, enum err_class class, int64_t *at)
{
	job_set_error(j, class, "boom");
	return policy_job_ended(&fx.pol, j, JOB_FAILED, fx.now, 12345, at);
}

START_TEST(test_backoff_grows_and_is_capped)
{
	int64_t	 lo, hi, prev_hi = 0, d;
	uint64_t rnd;
	int	 n;

	/* retry_backoff 30s, cap 30m */
	for (n = 1; n <= 12; n++) {
		lo = INT64_MAX, hi = 0;
		for (rnd = 0; rnd < 5000; rnd += 7) {
			d = backoff_ms(fx.conf, n, rnd * 2654435761u);
			if (d < lo)
				lo = d;
			if (d > hi)
				hi = d;
		}
		ck_assert_int_le(hi, fx.conf->retry_backoff_max * 1000);
		ck_assert_int_ge(lo, prev_hi / 2);
		if (n <= 6)	/* 30s, 60s, ..., 16m: doubling */
			ck_assert_int_gt(hi, prev_hi);
		prev_hi = hi;
	}
	ck_assert_int_ge(backoff_ms(fx.conf, 1, 0), 15000);
	ck_assert_int_le(backoff_ms(fx.conf, 1, UINT64_MAX), 30000);
	ck_assert_int_eq(backoff_ms(fx.conf, 2, 0), 30000);
	/* capped, jittered in [cap/2, cap] */
	ck_assert_int_le(backoff_ms(fx.conf, 60, UINT64_MAX), 1800000);
	ck_assert_int_ge(backoff_ms(fx.conf, 60, 0), 900000);
	ck_assert_int_le(backoff_ms(fx.conf, 1000, 99), 1800000);
}
END_TEST

START_TEST(test_retry_until_attempts_run_out)
{
	struct job	*j = running(TRIG_SCHEDULE);
	int64_t		 at, prev = 0;
	int		 i;

	for (i = 1; i < fx.conf->retry_attempts; i++) {
		ck_assert_int_eq(fail_with(j, ERR_ERP, &at), END_RETRY);
		ck_assert_int_gt(at, fx.now);
		ck_assert_int_gt(at - fx.now, prev);
		prev = at - fx.now;
		/* The failure's own message stays (the retry is logged). */
		ck_assert_str_eq(j->message, "boom");
		job_set_state(j, JOB_QUEUED, fx.now);
		job_set_state(j, JOB_RUNNING, fx.now);
		j->attempts++;
	}
	ck_assert_int_eq(fail_with(j, ERR_ERP, &at), END_FAILED);
	ck_assert_int_eq(users_fresh(&fx.users, KIND_CUSTOMERS,
	    "alice")->failures, (int)fx.conf->retry_attempts);
}
END_TEST

/* The one table of error classes: names round-trip, unknown ones fail. */
START_TEST(test_class_table)
{
	enum err_class	 c, back;

	for (c = ERR_NONE; c < ERR_CLASSES; c++) {
		ck_assert_int_eq(err_class_parse(err_class_name(c), &back), 0);
		ck_assert_int_eq(back, c);
		/* Whoever cannot be retried exits "permanent". */
		if (c != ERR_NONE)
			ck_assert_int_eq(err_class_exit(c),
			    err_class_retry(c) == RETRY_NEVER ?
			    EXIT_WORKER_PERMANENT : EXIT_WORKER_TEMPORARY);
	}
	ck_assert_str_eq(err_class_name(ERR_ERP), "erp");
	ck_assert_str_eq(err_class_name(ERR_NONE), "");
	ck_assert_int_eq(err_class_exit(ERR_NONE), EXIT_WORKER_OK);
	ck_assert_int_eq(err_class_parse("ERP", &back), -1);
	ck_assert_int_eq(err_class_parse("timeout", &back), -1);
	ck_assert_str_eq(err_class_name((enum err_class)99), "?");
}
END_TEST

/* Which failures end a job and which are retried, by who asked. */
START_TEST(test_classes)
{
	static const struct {
		enum job_trigger	 trigger;
		enum err_class		 class;
		enum end_action		 want;
	} cases[] = {
		{ TRIG_LOGIN, ERR_AUTH, END_FAILED },
		{ TRIG_LOGIN, ERR_CONTRACT, END_FAILED },
		{ TRIG_LOGIN, ERR_PROTOCOL, END_FAILED },
		{ TRIG_LOGIN, ERR_BUSY, END_RETRY },
		/* a manual sync's caller hears of ERP trouble at once */
		{ TRIG_MANUAL, ERR_ERP, END_FAILED },
		/* but a worker that died is retried whoever asked */
		{ TRIG_MANUAL, ERR_CRASHED, END_RETRY },
	};
	int64_t	 at;
	size_t	 i;

	for (i = 0; i < nitems(cases); i++) {
		/* a fresh queue: the job ends alone */
		queue_clear(&fx.q), queue_init(&fx.q, 10 * (int64_t)i + 1);
		ck_assert_int_eq(fail_with(running(cases[i].trigger),
		    cases[i].class, &at), cases[i].want);
	}
	ck_assert_int_eq(err_class_retry(ERR_STALLED), RETRY_ALWAYS);
	ck_assert_int_eq(err_class_retry(ERR_STORAGE), RETRY_AUTOMATIC);
	ck_assert_int_eq(err_class_retry(ERR_AUTH), RETRY_NEVER);
	ck_assert_int_eq(err_class_retry(ERR_CONFIG), RETRY_NEVER);
}
END_TEST

START_TEST(test_success_and_cancel)
{
	struct job	*j = running(TRIG_SCHEDULE);
	struct fresh	*f = users_fresh(&fx.users, KIND_CUSTOMERS, "alice");
	int64_t		 at;

	f->failures = 3;
	fresh_set_error(f, "old");
	ck_assert_int_eq(policy_job_ended(&fx.pol, j, JOB_CANCELLED, fx.now, 0,
	    &at), END_CANCELLED);
	ck_assert_int_eq(f->failures, 3);
	ck_assert_int_eq(policy_job_ended(&fx.pol, j, JOB_DONE, fx.now, 0, &at),
	    END_DONE);
	ck_assert_int_eq(f->failures, 0);
	ck_assert_ptr_null(f->last_error);
	ck_assert_int_eq(f->last_full_ok, fx.now);
	ck_assert_int_eq(f->last_delta_ok, 0);
	ck_assert_int_eq(f->dirty, 1);
}
END_TEST

START_TEST(test_poison)
{
	struct fresh	*f = users_fresh(&fx.users, KIND_CUSTOMERS, "alice");
	struct job	*j;
	int64_t		 at;

	/* 3 crashes within 1h: the third fails it for good */
	j = running(TRIG_SCHEDULE);
	ck_assert_int_eq(fail_with(j, ERR_CRASHED, &at), END_RETRY);
	fx.now += 10 * 60 * 1000;
	job_set_state(j, JOB_QUEUED, fx.now);
	job_set_state(j, JOB_RUNNING, fx.now);
	j->attempts++;
	ck_assert_int_eq(fail_with(j, ERR_STALLED, &at), END_RETRY);
	fx.now += 10 * 60 * 1000;
	job_set_state(j, JOB_QUEUED, fx.now);
	job_set_state(j, JOB_RUNNING, fx.now);
	j->attempts++;
	ck_assert_int_eq(fail_with(j, ERR_CRASHED, &at), END_POISONED);
	ck_assert_int_eq(f->poisoned, 1);
	ck_assert_ptr_nonnull(strstr(j->message, "poisoned"));

	/* crashes further apart than the window do not add up */
	f->poisoned = 0;
	free(f->crashes);
	f->crashes = NULL;
	f->ncrashes = f->crash_head = 0;
	ck_assert_int_eq(poison_note(f, fx.conf, fx.now), 0);
	ck_assert_int_eq(poison_note(f, fx.conf, fx.now + 40 * 60 * 1000), 0);
	ck_assert_int_eq(poison_note(f, fx.conf, fx.now + 80 * 60 * 1000), 0);
	ck_assert_int_eq(poison_note(f, fx.conf, fx.now + 90 * 60 * 1000), 1);
	/* off when poison_crashes is 0 */
	fx.conf->poison_crashes = 0;
	f->poisoned = 0;
	ck_assert_int_eq(poison_note(f, fx.conf, fx.now + 91 * 60 * 1000), 0);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("backoff");

	tcase_add_checked_fixture(test_case(s, "retries",
	    test_backoff_grows_and_is_capped, test_retry_until_attempts_run_out,
	    test_classes, test_class_table, test_success_and_cancel,
	    test_poison, NULL),
	    setup, teardown);
	return test_run(s);
}
