/*
 * check_sweep.c — worker/sweep.c's verdict: a full run deletes the rows it
 * did not see only when its facts prove it saw everything; every other
 * case says, as "VERDICT: details; nothing deleted", why nothing was.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "worker/worker.h"
#include "tests/unit/testutil.h"

#define START	"2026-03-01T10:00:00\t2\t00000000deadbeef"

/* A run that saw everything: 450 elements, all read, nothing moved. */
static struct sweep_facts
clean(void)
{
	struct sweep_facts	 f;

	memset(&f, 0, sizeof f);
	f.probe_start = START;
	f.probe_end = START;
	f.total_start = f.total_end = f.total_last = 450;
	f.seen = 450;
	return f;
}

/* The verdict must refuse with why starting with prefix. */
static void
refuses(const struct sweep_facts *f, const char *prefix)
{
	char	 why[256];

	memset(why, 'x', sizeof why);
	ck_assert_int_eq(sweep_verdict(f, why, sizeof why), 0);
	ck_assert_msg(strncmp(why, prefix, strlen(prefix)) == 0,
	    "why \"%s\" does not start with \"%s\"", why, prefix);
	ck_assert_msg(strstr(why, "; nothing deleted") != NULL,
	    "why \"%s\" does not say nothing was deleted", why);
}

START_TEST(test_clean_run_sweeps)
{
	struct sweep_facts	 f = clean();
	char			 why[256] = "";

	ck_assert_int_eq(sweep_verdict(&f, why, sizeof why), 1);
	/* An empty grid at both ends is clean too. */
	f.probe_start = f.probe_end = "-";
	f.total_start = f.total_end = f.total_last = f.seen = 0;
	ck_assert_int_eq(sweep_verdict(&f, why, sizeof why), 1);
}
END_TEST

START_TEST(test_final_probe_failed)
{
	struct sweep_facts	 f = clean();

	f.probe_end = NULL;
	f.probe_error = "erp: the ERP answered 503 eight times";
	refuses(&f, "final check failed: erp: the ERP answered 503");
	f.probe_error = NULL;
	refuses(&f, "final check failed: ?");
}
END_TEST

START_TEST(test_erp_changed)
{
	struct sweep_facts	 f = clean();
	char			 why[256];

	/* One more element at the end. */
	f.total_end = 451;
	refuses(&f, "ERP changed: 450 elements, newest modified "
	    "2026-03-01T10:00:00 at the start; 451, newest modified "
	    "2026-03-01T10:00:00 at the end; nothing deleted");
	/* A newer record, same count (an insert and a delete). */
	f = clean();
	f.probe_end = "2026-03-02T08:00:00\t1\t0000000000000001";
	refuses(&f, "ERP changed: 450 elements, newest modified "
	    "2026-03-01T10:00:00 at the start; 450, newest modified "
	    "2026-03-02T08:00:00 at the end; nothing deleted");
	/* Other records at the same time: the hash moved. */
	f.probe_end = "2026-03-01T10:00:00\t2\t0000000000000002";
	refuses(&f, "ERP changed: ");
	ck_assert_int_eq(sweep_verdict(&f, why, sizeof why), 0);
	ck_assert_ptr_nonnull(strstr(why, "(other records)"));
	/* No signature (ties filled the page) proves nothing. */
	f = clean();
	f.probe_start = f.probe_end = "?";
	refuses(&f, "ERP changed: ");
}
END_TEST

/*
 * One count of an otherwise clean run gone wrong (the others as clean()
 * has them), and the refusal it gives.
 */
static const struct refusal {
	int64_t		 newer, total_last, skipped, seen;
	int		 total_changed;
	const char	*why;
} refusals[] = {
	{ 3, 450, 0, 450, 0, "rows changed: 3 rows were modified in the ERP" },
	{ 0, 449, 0, 450, 1,
	    "count changed: the ERP reported 450 elements, then 449" },
	/* two rows unreadable, one with no row in the mirror to keep */
	{ 0, 450, 2, 449, 0, "rows unreadable: 2 rows could not be read, and "
	    "the run saw 449 distinct rows of the 450 the ERP reports" },
	/* a key read twice: two rows never seen */
	{ 0, 450, 0, 448, 0, "rows missing: the run saw 448 distinct rows but "
	    "the ERP reports 450" },
};

START_TEST(test_refusals)
{
	const struct refusal	*r = &refusals[_i];
	struct sweep_facts	 f = clean();

	f.newer = r->newer;
	f.total_last = r->total_last;
	f.skipped = r->skipped;
	f.seen = r->seen;
	f.total_changed = r->total_changed;
	refuses(&f, r->why);
}
END_TEST

/*
 * Rows that could not be read but whose keys named rows of the mirror
 * (seen, kept) do not stop the sweep: a record the ERP shows badly for
 * good must not stop deletions for good.
 */
START_TEST(test_unreadable_but_seen)
{
	struct sweep_facts	 f = clean();
	char			 why[256];

	f.skipped = 3;
	ck_assert_int_eq(sweep_verdict(&f, why, sizeof why), 1);
}
END_TEST

/* When several facts are wrong, the first in the order above is told. */
START_TEST(test_order)
{
	struct sweep_facts	 f = clean();

	f.newer = 1;
	f.skipped = 1;
	f.seen = 1;
	f.total_changed = 1;
	refuses(&f, "rows changed: ");
	f.total_end = 1;
	refuses(&f, "ERP changed: ");
	f.probe_end = NULL;
	refuses(&f, "final check failed: ");
}
END_TEST

/* A long probe error is cut, and the verdict still ends as it should. */
START_TEST(test_long_error)
{
	struct sweep_facts	 f = clean();
	char			 err[600], why[256];

	memset(err, 'e', sizeof err - 1);
	err[sizeof err - 1] = '\0';
	f.probe_end = NULL;
	f.probe_error = err;
	ck_assert_int_eq(sweep_verdict(&f, why, sizeof why), 0);
	ck_assert_msg(strlen(why) < sizeof why - 1, "why was cut short");
	ck_assert_ptr_nonnull(strstr(why, "; nothing deleted"));
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("sweep");
	TCase	*tc;

	tc = test_case(s, "verdict", test_clean_run_sweeps,
	    test_final_probe_failed, test_erp_changed, test_order,
	    test_long_error, test_unreadable_but_seen, NULL);
	tcase_add_loop_test(tc, test_refusals, 0, nitems(refusals));
	return test_run(s);
}
