/*
 * check_store.c — worker/store.c under concurrency: many workers opening a
 * brand-new database at the same instant (regression: two first orders
 * syncs racing on a new orders.db failed with "database is locked" or
 * "table orders already exists"), and writers that never deadlock.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "worker/worker.h"
#include "tests/unit/testutil.h"

#define ROUNDS		12
#define WRITERS		8
#define PAGES		4
#define ROWS		5

static char	 dir[512];

static void
setup(void)
{
	test_tmpdir(dir, sizeof dir, "store");
}

static void
teardown(void)
{
	test_rmdir(dir);
}

/* One page of ROWS rows of view v: only the key and modified_at are set. */
static int
write_page(struct store *st, const struct view *v, struct checkpoint *ck,
    const char *tag, int64_t page, struct wk_error *err)
{
	struct value		 val[ROWS * 32];
	struct page_counts	 pc;
	int			 ok[ROWS], rc;
	size_t			 r, c, nc = v->ncols, key = view_key_index(v);

	ck_assert_uint_le(nc, 32);
	memset(val, 0, sizeof val);
	memset(&pc, 0, sizeof pc);
	for (r = 0; r < ROWS; r++) {
		ok[r] = 1;
		for (c = 0; c < nc; c++) {
			if (c == key) {
				val[r * nc + c].kind = VAL_TEXT;
				xasprintf(&val[r * nc + c].s, "%s-%lld-%zu", tag,
				    (long long)page, r);
			} else if (strcmp(v->cols[c].column, "modified_at") == 0) {
				val[r * nc + c].kind = VAL_TEXT;
				val[r * nc + c].s = xstrdup("2025-01-02T03:04:05");
			}
		}
	}
	ck->next_page = page + 1;
	ck->pages = PAGES;
	rc = store_write_page(st, ck, val, ROWS, ok, &pc, err);
	for (r = 0; r < ROWS * nc; r++)
		value_clear(&val[r]);
	return rc;
}

/*
 * A child: wait for the start signal on fd, then open the database,
 * begin a run, write its pages and finish. Exits 0, or 1 after printing
 * why.
 */
static void
writer(int fd, const char *path, const char *kind, const char *user)
{
	const struct view	*v = view_find(kind);
	struct store		*st;
	struct checkpoint	 ck;
	struct wk_error		 err;
	char			 c;
	int64_t			 p;

	memset(&err, 0, sizeof err);
	(void)read(fd, &c, 1);		/* EOF: everybody starts now */
	if ((st = store_open(path, v, user, &err)) == NULL)
		goto fail;
	if (store_begin_run(st, "full", 1, &ck, &err) == -1)
		goto fail;
	for (p = 0; p < PAGES; p++)
		if (write_page(st, v, &ck, user, p, &err) == -1)
			goto fail;
	if (store_finish(st, &ck, "done", NULL, &err) == -1)
		goto fail;
	store_close(st);
	_exit(0);
fail:
	fprintf(stderr, "writer %s/%s: %s: %s\n", kind, user,
	    err_class_name(err.class), err.msg);
	_exit(1);
}

static int64_t
count(const char *path, const char *sql)
{
	sqlite3		*db;
	sqlite3_stmt	*st;
	int64_t		 n = -1;

	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/*
 * Writers of every kind start at the same instant on brand-new files:
 * WRITERS orders writers (different agents) on orders.db, and a products
 * and a prices writer on products.db. Every one must succeed, every round.
 */
START_TEST(test_store_new_db_race_bug)
{
	char	 orders[600], products[600], user[32];
	int	 round, i, n, pfd[2], status, failed = 0;
	pid_t	 pid;

	for (round = 0; round < ROUNDS; round++) {
		snprintf(orders, sizeof orders, "%s/orders-%d.db", dir, round);
		snprintf(products, sizeof products, "%s/products-%d.db", dir,
		    round);
		ck_assert_int_eq(pipe(pfd), 0);
		for (i = 0, n = 0; i < WRITERS + 2; i++, n++) {
			snprintf(user, sizeof user, "agent%d", i);
			if ((pid = fork()) == -1)
				ck_abort_msg("fork: %s", strerror(errno));
			if (pid != 0)
				continue;
			close(pfd[1]);
			if (i < WRITERS)
				writer(pfd[0], orders, "orders", user);
			writer(pfd[0], products, i == WRITERS ? "products" :
			    "prices", "*");
		}
		close(pfd[0]);
		close(pfd[1]);		/* go */
		while (n-- > 0) {
			ck_assert_int_ne(wait(&status), -1);
			if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
				failed++;
		}
		ck_assert_msg(failed == 0, "round %d: %d of %d writers failed",
		    round, failed, WRITERS + 2);
		ck_assert_int_eq(count(orders, "SELECT count(*) FROM orders"),
		    WRITERS * PAGES * ROWS);
		ck_assert_int_eq(count(orders, "SELECT count(*) FROM _sync "
		    "WHERE state = 'done' AND next_page = 4"), WRITERS);
		ck_assert_int_eq(count(products, "SELECT count(*) FROM products"),
		    PAGES * ROWS);
		ck_assert_int_eq(count(products, "SELECT count(*) FROM prices"),
		    PAGES * ROWS);
	}
}
END_TEST

/* A database opened again keeps its schema and is in WAL mode. */
START_TEST(test_store_reopen_idempotent)
{
	char		 path[600];
	struct store	*st;
	struct wk_error	 err;
	sqlite3		*db;
	sqlite3_stmt	*q;
	int		 i;

	snprintf(path, sizeof path, "%s/products.db", dir);
	for (i = 0; i < 3; i++) {
		memset(&err, 0, sizeof err);
		st = store_open(path, view_find(i % 2 ? "prices" : "products"),
		    "*", &err);
		ck_assert_msg(st != NULL, "store_open: %s", err.msg);
		store_close(st);
	}
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &q,
	    NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(q), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(q, 0), "wal");
	sqlite3_finalize(q);
	sqlite3_close(db);
	ck_assert_int_eq(count(path, "SELECT count(*) FROM sqlite_master WHERE "
	    "type = 'trigger' AND name = 'prices_amount_changed'"), 1);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("store");
	TCase	*tc;

	tc = test_case(s, "concurrency", test_store_new_db_race_bug,
	    test_store_reopen_idempotent, NULL);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	return test_run(s);
}
