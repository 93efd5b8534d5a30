/*
 * testutil.h — helpers shared by the Check suites (linked into each).
 */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <stddef.h>

char	*test_slurp(const char *path, size_t *lenp);
void	 test_tmpdir(char *dir, size_t len, const char *name);
void	 test_rmdir(const char *dir);
char	**test_golden_files(const char *dir, size_t *np);
void	 test_free_files(char **, size_t);

/* testrun.c: a suite's main() */
struct Suite;
struct TCase;
int		 test_run(struct Suite *);
struct TCase	*test_case(struct Suite *, const char *, ...)
		    __attribute__((__sentinel__));

#endif /* TESTUTIL_H */
