/*
 * testrun.c — every Check suite's main(): run the suite, exit 0 only when
 * no test failed.
 */
#include <check.h>
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
