/*
 * testrun.c — every Check suite's main(): its test cases, each a list of
 * tests; run the suite, exit 0 only when no test failed.
 */
#include <check.h>
#include <stdarg.h>
#include <stdlib.h>

#include "tests/unit/testutil.h"

/* Run s (freed here) with Check's default output; an exit status. */
int
test_run(Suite *s)
{
	SRunner	*sr = srunner_create(s);
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/*
 * Add a test case called name to s, with the tests that follow up to a
 * NULL; it is returned for its fixture, timeout and loop tests.
 */
TCase *
test_case(Suite *s, const char *name, ...)
{
	TCase		*tc = tcase_create(name);
	const TTest	*t;
	va_list		 ap;

	va_start(ap, name);
	while ((t = va_arg(ap, const TTest *)) != NULL)
		tcase_add_test(tc, t);
	va_end(ap);
	suite_add_tcase(s, tc);
	return tc;
}
