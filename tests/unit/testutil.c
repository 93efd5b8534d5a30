/*
 * testutil.c — helpers shared by the Check suites: golden files (read from
 * the repository root) and scratch directories.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "common/common.h"
#include "tests/unit/testutil.h"

/* A whole file, NUL-terminated; the test fails when it cannot be read. */
char *
test_slurp(const char *path, size_t *lenp)
{
	FILE	*fp;
	char	*data;
	long	 len;

	fp = fopen(path, "rb");
	ck_assert_msg(fp != NULL, "cannot open %s (run from the repo root)",
	    path);
	ck_assert_int_eq(fseek(fp, 0, SEEK_END), 0);
	len = ftell(fp);
	ck_assert(len >= 0);
	rewind(fp);
	data = xmalloc((size_t)len + 1);
	ck_assert_uint_eq(fread(data, 1, (size_t)len, fp), (size_t)len);
	data[len] = '\0';
	fclose(fp);
	*lenp = (size_t)len;
	return data;
}

/* Make a fresh /tmp/NAME.XXXXXX directory into dir. */
void
test_tmpdir(char *dir, size_t len, const char *name)
{
	snprintf(dir, len, "/tmp/%s.XXXXXX", name);
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

/* Remove a scratch directory and the files in it. */
void
test_rmdir(const char *dir)
{
	char		 path[PATH_MAX + 256];
	struct dirent	*de;
	DIR		*d;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.html files of a golden directory, sorted; fails if there are none. */
char **
test_golden_files(const char *dir, size_t *np)
{
	DIR		*d;
	struct dirent	*e;
	char		**v = NULL, *path;
	size_t		 n = 0, len;

	d = opendir(dir);
	ck_assert_msg(d != NULL, "cannot open %s (run from the repo root)",
	    dir);
	while ((e = readdir(d)) != NULL) {
		len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 5, ".html") != 0)
			continue;
		xasprintf(&path, "%s%s", dir, e->d_name);
		v = xreallocarray(v, n + 1, sizeof(*v));
		v[n++] = path;
	}
	closedir(d);
	ck_assert_msg(n > 0, "no golden pages in %s", dir);
	qsort(v, n, sizeof(*v), cmp_names);
	*np = n;
	return v;
}

/* Free test_golden_files()'s list. */
void
test_free_files(char **v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
