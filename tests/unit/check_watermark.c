/*
 * check_watermark.c — where delta syncs start: delta_since (watermark less
 * a margin, as the ERP's dd/mm/yyyy HH:MM:SS) across day, month, year and
 * leap-day boundaries; and the store's rules for watermarks, seen_run and
 * resuming runs (worker/store.c).
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "worker/worker.h"
#include "tests/unit/testutil.h"

/* delta_since */

static const struct {
	const char	*wm;
	int64_t		 margin;
	const char	*want;
} since_cases[] = {
	{ "2024-03-01T00:05:00", 600, "29/02/2024 23:55:00" },	/* leap day */
	{ "2023-03-01T00:05:00", 600, "28/02/2023 23:55:00" },
	{ "2000-03-01T00:00:00", 60, "29/02/2000 23:59:00" },	/* 400 rule */
	{ "2100-03-01T00:00:00", 60, "28/02/2100 23:59:00" },	/* 100 rule */
	{ "2025-06-10T00:00:30", 60, "09/06/2025 23:59:30" },	/* midnight */
	{ "2025-05-01T00:02:00", 300, "30/04/2025 23:57:00" },	/* month */
	{ "2025-01-01T00:00:00", 1, "31/12/2024 23:59:59" },	/* year */
	{ "2026-01-01T00:09:59", 600, "31/12/2025 23:59:59" },
	{ "2025-12-31T18:00:00", 0, "31/12/2025 18:00:00" },	/* no margin */
	{ "2025-07-15T12:34:56", 0, "15/07/2025 12:34:56" },
	{ "2025-07-15T12:34:56", -30, "15/07/2025 12:34:56" },	/* never later */
	{ "2025-03-10T10:00:00", 10 * 86400, "28/02/2025 10:00:00" },
	{ "2025-07-15T12:34:56", 1, "15/07/2025 12:34:55" },
};

START_TEST(test_since_cases)
{
	char	 out[32];
	size_t	 i;

	for (i = 0; i < nitems(since_cases); i++) {
		memset(out, 'Z', sizeof out);
		ck_assert_msg(delta_since(since_cases[i].wm,
		    since_cases[i].margin, out, sizeof out) == 0,
		    "%s less %llds refused", since_cases[i].wm,
		    (long long)since_cases[i].margin);
		ck_assert_msg(strcmp(out, since_cases[i].want) == 0,
		    "%s less %llds gave '%s', want '%s'", since_cases[i].wm,
		    (long long)since_cases[i].margin, out, since_cases[i].want);
	}
}
END_TEST

START_TEST(test_since_tz_independent)
{
	static const char *zones[] = { "UTC", "Europe/Rome",
	    "America/New_York", "Pacific/Chatham" };
	char	 out[32];
	size_t	 i;

	/* The watermark is naive ERP time: the worker's TZ must not matter. */
	for (i = 0; i < nitems(zones); i++) {
		setenv("TZ", zones[i], 1);
		tzset();
		ck_assert_int_eq(delta_since("2025-03-30T02:30:00", 1800, out,
		    sizeof out), 0);
		ck_assert_msg(strcmp(out, "30/03/2025 02:00:00") == 0,
		    "TZ=%s: %s", zones[i], out);
	}
}
END_TEST

static const char *since_bad[] = {
	"", "garbage", "2024-03-01", "2024-03-01T", "2024-03-01 00:05",
	"01/03/2024 00:05:00", "2024-13-01T00:00:00", "2024-03-01T24:00:00",
	"2024-03-01T00:60:00", "T00:05:00", "2024-03-01X00:05:00",
};

/* delta_since must refuse wm. */
static void
since_refused(const char *wm)
{
	char	 out[32];

	out[0] = '\0';
	ck_assert_msg(delta_since(wm, 600, out, sizeof out) == -1,
	    "bad watermark '%s' accepted: '%s'", wm, out);
}

START_TEST(test_since_bad)
{
	size_t	 i;

	for (i = 0; i < nitems(since_bad); i++)
		since_refused(since_bad[i]);
}
END_TEST

/*
 * Watermarks that are not a real date and time, exactly as the store
 * writes them (yyyy-mm-ddTHH:MM:SS): refused, not normalized or guessed.
 */
static const char *since_not_strict[] = {
	"2024-02-30T00:00:00", "2023-02-29T12:00:00", "2024-04-31T00:00:00",
	"2024-03-01T00:05:61", "2024-03-01T00:05:00junk",
	"2024-03-01T00:05:00Z", "2024-3-1T0:5:0", " 2024-03-01T00:05:00",
};

START_TEST(test_since_strict)
{
	size_t	 i;

	for (i = 0; i < nitems(since_not_strict); i++)
		since_refused(since_not_strict[i]);
}
END_TEST

START_TEST(test_since_small_buffer)
{
	char	 out[32];

	/* dd/mm/yyyy HH:MM:SS needs 20 bytes. */
	ck_assert_int_eq(delta_since("2024-03-01T00:05:00", 600, out, 19), -1);
	ck_assert_int_eq(delta_since("2024-03-01T00:05:00", 600, out, 20), 0);
	ck_assert_str_eq(out, "29/02/2024 23:55:00");
}
END_TEST

/* The store's watermark, seen_run and resume rules */

static char	 dir[PATH_MAX];

static void
setup(void)
{
	log_init("check", LOG_LOGFMT, LOG_ERROR);
	test_tmpdir(dir, sizeof dir, "check_watermark");
}

static void
teardown(void)
{
	test_rmdir(dir);
}

static char *
db_path(const char *name)
{
	static char	 path[PATH_MAX + 64];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	return path;
}

static struct store *
open_store(const char *file, const char *kind, const char *user)
{
	struct wk_error	 err;
	struct store	*st;

	memset(&err, 0, sizeof err);
	st = store_open(db_path(file), view_find(kind), user, &err);
	ck_assert_msg(st != NULL, "store_open: %s", err.msg);
	return st;
}

static void
begin(struct store *st, const char *mode, struct checkpoint *ck)
{
	struct wk_error	 err;

	memset(&err, 0, sizeof err);
	ck_assert_msg(store_begin_run(st, mode, 1, ck, &err) == 0,
	    "store_begin_run: %s", err.msg);
}

static void
finish(struct store *st, struct checkpoint *ck, const char *state,
    const char *wm)
{
	struct wk_error	 err;

	memset(&err, 0, sizeof err);
	ck_assert_msg(store_finish(st, ck, state, wm, &err) == 0,
	    "store_finish: %s", err.msg);
}

/*
 * Write one page of rows given as "key=modified_at" (a third field, when
 * present, is the name or customer name): page index page of pages.
 */
static void
write_rows(struct store *st, const char *kind, struct checkpoint *ck,
    int64_t page, int64_t pages, const char *const *rows, size_t n)
{
	const struct view	*v = view_find(kind);
	struct value		*val;
	struct page_counts	 pc;
	struct wk_error		 err;
	size_t			 i, c, nc = v->ncols, key = view_key_index(v);
	size_t			 mod = nc, name = nc;
	int			*ok;
	char			*spec, *eq, *bar;

	for (c = 0; c < nc; c++) {
		if (strcmp(v->cols[c].column, "modified_at") == 0)
			mod = c;
		if (strcmp(v->cols[c].column, "name") == 0 ||
		    strcmp(v->cols[c].column, "customer_name") == 0)
			name = c;
	}
	ck_assert_uint_lt(mod, nc);
	ck_assert_uint_lt(name, nc);
	val = xcalloc(n ? n * nc : 1, sizeof *val);
	ok = xcalloc(n ? n : 1, sizeof *ok);
	for (i = 0; i < n; i++) {
		spec = xstrdup(rows[i]);
		eq = strchr(spec, '=');
		ck_assert_ptr_nonnull(eq);
		*eq++ = '\0';
		if ((bar = strchr(eq, '|')) != NULL)
			*bar++ = '\0';
		if (v->cols[key].type == COL_INT) {
			val[i * nc + key].kind = VAL_INT;
			val[i * nc + key].i = strtoll(spec, NULL, 10);
		} else {
			val[i * nc + key].kind = VAL_TEXT;
			val[i * nc + key].s = xstrdup(spec);
		}
		val[i * nc + mod].kind = VAL_TEXT;
		val[i * nc + mod].s = xstrdup(eq);
		val[i * nc + name].kind = VAL_TEXT;
		val[i * nc + name].s = xstrdup(bar ? bar : "nome");
		ok[i] = 1;
		free(spec);
	}
	memset(&pc, 0, sizeof pc);
	memset(&err, 0, sizeof err);
	ck->next_page = page + 1;
	ck->pages = pages;
	ck_assert_msg(store_write_page(st, ck, val, n, ok, &pc, &err) == 0,
	    "store_write_page: %s", err.msg);
	ck_assert_int_eq(pc.seen, (int64_t)n);
	for (i = 0; i < n * nc; i++)
		value_clear(&val[i]);
	free(val);
	free(ok);
}

static void
assert_wm(struct store *st, const char *want)
{
	char	 wm[32];

	memset(wm, 'Z', sizeof wm);
	ck_assert_int_eq(store_watermark(st, wm, sizeof wm), 0);
	ck_assert_msg(strcmp(wm, want) == 0, "store_watermark '%s', want '%s'",
	    wm, want);
}

static void
assert_last(struct store *st, const char *want)
{
	char	 wm[32];

	memset(wm, 'Z', sizeof wm);
	ck_assert_int_eq(store_last_watermark(st, wm, sizeof wm), 0);
	ck_assert_msg(strcmp(wm, want) == 0, "store_last_watermark '%s', "
	    "want '%s'", wm, want);
}

/* One integer from the database, by a query with one text argument. */
static int64_t
q_int(const char *file, const char *sql, const char *arg)
{
	sqlite3		*h;
	sqlite3_stmt	*st;
	int64_t		 v = -999;

	ck_assert_int_eq(sqlite3_open_v2(db_path(file), &h,
	    SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	ck_assert_msg(sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK,
	    "%s: %s", sql, sqlite3_errmsg(h));
	if (arg != NULL)
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return v;
}

/*
 * What store_begin_run() left in ck: whether it resumed, the run, and the
 * page it starts at.
 */
static void
assert_begun(const struct checkpoint *ck, int resumed, int64_t run,
    int64_t next_page)
{
	ck_assert_int_eq(ck->resumed, resumed);
	ck_assert_int_eq(ck->run_id, run);
	ck_assert_int_eq(ck->next_page, next_page);
}

/*
 * A full products run, a new one from page 0, that stopped after page 2
 * of 5 (9 elements), the store closed; its run id.
 */
static int64_t
stopped_run(void)
{
	static const char *page0[] = { "A1=2025-01-01T00:00:00" };
	static const char *page1[] = { "A2=2025-01-02T00:00:00" };
	struct store		*st;
	struct checkpoint	 ck;

	st = open_store("products.db", "products", "*");
	begin(st, "full", &ck);
	ck_assert_int_gt(ck.run_id, 0);
	ck_assert_int_eq(ck.resumed, 0);
	ck_assert_int_eq(ck.next_page, 0);
	ck.total = 9;
	write_rows(st, "products", &ck, 0, 5, page0, 1);
	write_rows(st, "products", &ck, 1, 5, page1, 1);
	store_close(st);
	return ck.run_id;
}

/*
 * Begin a run of mode on customers, a new one after run prev, and write
 * rows as its one page; its run id.
 */
static int64_t
run_page(struct store *st, const char *mode, struct checkpoint *ck,
    int64_t prev, const char *const *rows, size_t n)
{
	begin(st, mode, ck);
	ck_assert_int_gt(ck->run_id, prev);
	write_rows(st, "customers", ck, 0, 1, rows, n);
	return ck->run_id;
}

START_TEST(test_watermark_is_max_of_scope)
{
	static const char *alice[] = {
		"70.001=2025-05-01T10:00:00|Rossi",
		"70.002=2025-05-03T09:00:00|Bianchi",
		"70.003=2025-04-30T23:59:59|Verdi",
	};
	static const char *bob[] = {
		"80.001=2025-06-01T08:00:00|Neri",
		"70.001=2025-07-01T08:00:00|Gialli",	/* same key, other user */
	};
	struct store		*a, *b;
	struct checkpoint	 ck;

	a = open_store("orders.db", "orders", "alice");
	b = open_store("orders.db", "orders", "bob");
	assert_wm(a, "");
	assert_wm(b, "");
	begin(a, "full", &ck);
	write_rows(a, "orders", &ck, 0, 1, alice, nitems(alice));
	assert_wm(a, "2025-05-03T09:00:00");
	assert_wm(b, "");
	begin(b, "full", &ck);
	write_rows(b, "orders", &ck, 0, 1, bob, nitems(bob));
	/* Bob's newer rows do not count for alice, nor hers for him. */
	assert_wm(a, "2025-05-03T09:00:00");
	assert_wm(b, "2025-07-01T08:00:00");
	ck_assert_int_eq(q_int("orders.db", "SELECT count(*) FROM orders",
	    NULL), 5);
	ck_assert_int_eq(q_int("orders.db", "SELECT count(*) FROM orders "
	    "WHERE order_id = ?1", "70.001"), 2);
	store_close(a);
	store_close(b);
}
END_TEST

START_TEST(test_last_watermark)
{
	static const char *p1[] = {
		"A1=2025-01-10T10:00:00", "A2=2025-02-10T10:00:00",
	};
	static const char *p2[] = { "A3=2025-03-10T10:00:00" };
	struct store		*st;
	struct checkpoint	 ck;

	st = open_store("products.db", "products", "*");
	assert_last(st, "");
	begin(st, "full", &ck);
	ck_assert_str_eq(ck.watermark, "");
	write_rows(st, "products", &ck, 0, 2, p1, nitems(p1));
	/* Rows are in, but no run finished: no delta may start yet. */
	assert_last(st, "");
	assert_wm(st, "2025-02-10T10:00:00");
	finish(st, &ck, "done", "2025-02-10T10:00:00");
	assert_last(st, "2025-02-10T10:00:00");

	/* A failed run keeps the previous watermark. */
	begin(st, "delta", &ck);
	ck_assert_str_eq(ck.watermark, "2025-02-10T10:00:00");
	write_rows(st, "products", &ck, 0, 1, p2, nitems(p2));
	assert_wm(st, "2025-03-10T10:00:00");
	finish(st, &ck, "failed", NULL);
	assert_last(st, "2025-02-10T10:00:00");
	/* So does a paused one, and a done one given no watermark. */
	begin(st, "delta", &ck);
	finish(st, &ck, "paused", NULL);
	assert_last(st, "2025-02-10T10:00:00");
	begin(st, "delta", &ck);
	finish(st, &ck, "done", "");
	assert_last(st, "2025-02-10T10:00:00");

	/* A finished run moves it, and a reopened store still knows it. */
	begin(st, "delta", &ck);
	finish(st, &ck, "done", "2025-03-10T10:00:00");
	store_close(st);
	st = open_store("products.db", "products", "*");
	assert_last(st, "2025-03-10T10:00:00");
	begin(st, "full", &ck);
	ck_assert_str_eq(ck.watermark, "2025-03-10T10:00:00");
	store_close(st);

	/* Per scope: another user of a shared file has none yet. */
	st = open_store("orders.db", "orders", "alice");
	begin(st, "full", &ck);
	finish(st, &ck, "done", "2025-04-01T00:00:00");
	store_close(st);
	st = open_store("orders.db", "orders", "bob");
	assert_last(st, "");
	store_close(st);
}
END_TEST

#define SEEN(key) q_int("customers-alice.db", "SELECT seen_run FROM customers" \
	" WHERE account = ?1", (key))

START_TEST(test_seen_run)
{
	static const char *full1[] = {
		"C001=2025-01-01T10:00:00|Uno", "C002=2025-01-02T10:00:00|Due",
		"C003=2025-01-03T10:00:00|Tre",
	};
	static const char *delta[] = {
		"C001=2025-02-01T10:00:00|Uno bis",	/* changed */
		"C002=2025-01-02T10:00:00|Due",		/* unchanged */
		"C004=2025-02-02T10:00:00|Quattro",	/* new */
	};
	static const char *full3[] = {
		"C001=2025-02-01T10:00:00|Uno bis", "C002=2025-01-02T10:00:00|Due",
		"C005=2025-02-03T10:00:00|Cinque",
	};
	struct store		*st;
	struct checkpoint	 ck;
	int64_t			 r1, r2, r3;

	st = open_store("customers-alice.db", "customers", "alice");
	r1 = run_page(st, "full", &ck, 0, full1, nitems(full1));
	ck_assert_int_eq(SEEN("C001"), r1);
	ck_assert_int_eq(SEEN("C003"), r1);
	ck_assert_int_eq(store_seen_count(st, r1), 3);
	finish(st, &ck, "done", "2025-01-03T10:00:00");

	/* A delta run never counts as having seen a row. */
	r2 = run_page(st, "delta", &ck, r1, delta, nitems(delta));
	ck_assert_int_eq(SEEN("C001"), r1);
	ck_assert_int_eq(SEEN("C002"), r1);
	ck_assert_int_lt(SEEN("C004"), r1);
	ck_assert_int_eq(store_seen_count(st, r2), 0);
	ck_assert_int_eq(q_int("customers-alice.db", "SELECT count(*) FROM "
	    "customers WHERE account = ?1 AND name = 'Uno bis' AND modified_at"
	    " = '2025-02-01T10:00:00'", "C001"), 1);
	finish(st, &ck, "done", "2025-02-02T10:00:00");

	/* A full run marks what it sees, changed or not, and nothing else. */
	r3 = run_page(st, "full", &ck, r2, full3, nitems(full3));
	ck_assert_int_eq(SEEN("C001"), r3);
	ck_assert_int_eq(SEEN("C002"), r3);
	ck_assert_int_eq(SEEN("C005"), r3);
	ck_assert_int_eq(SEEN("C003"), r1);
	ck_assert_int_lt(SEEN("C004"), r1);
	ck_assert_int_eq(store_seen_count(st, r3), 3);
	/* Then a delta of a row the full run saw does not lower it. */
	finish(st, &ck, "done", "2025-02-03T10:00:00");
	begin(st, "delta", &ck);
	write_rows(st, "customers", &ck, 0, 1, delta, 1);
	ck_assert_int_eq(SEEN("C001"), r3);
	write_rows(st, "customers", &ck, 0, 1, (const char *const[]){
	    "C001=2025-03-01T10:00:00|Uno ter" }, 1);
	ck_assert_int_eq(SEEN("C001"), r3);
	store_close(st);
}
END_TEST

START_TEST(test_resume)
{
	struct store		*st;
	struct checkpoint	 ck;
	int64_t			 r1;

	/* A full run stopped after page 2 of 5 (a crash: no finish). */
	r1 = stopped_run();
	st = open_store("products.db", "products", "*");
	begin(st, "full", &ck);
	assert_begun(&ck, 1, r1, 2);
	ck_assert_int_eq(ck.pages, 5);
	ck_assert_int_eq(ck.total, 9);
	/* The rows it wrote before count as seen by the same run. */
	ck_assert_int_eq(store_seen_count(st, r1), 2);

	/* Stopped again (a failure this time): still the same run. */
	finish(st, &ck, "failed", NULL);
	store_close(st);
	st = open_store("products.db", "products", "*");
	begin(st, "full", &ck);
	assert_begun(&ck, 1, r1, 2);

	/* Done: the next run is a new one, from page 0. */
	finish(st, &ck, "done", "2025-01-02T00:00:00");
	begin(st, "full", &ck);
	assert_begun(&ck, 0, r1 + 1, 0);
	ck_assert_int_eq(ck.total, 0);
	ck_assert_int_eq(q_int("products.db", "SELECT next_page FROM _sync "
	    "WHERE kind = ?1", "products"), 0);
	ck_assert_int_eq(q_int("products.db", "SELECT run_id FROM _sync "
	    "WHERE kind = ?1", "products"), r1 + 1);
	store_close(st);
}
END_TEST

START_TEST(test_fresh_run)
{
	static const char *page0[] = { "A1=2025-01-01T00:00:00" };
	struct store		*st;
	struct checkpoint	 ck;
	struct wk_error		 err;
	int64_t			 r1;

	/* A full run stopped after page 2 of 5 (cancelled). */
	r1 = stopped_run();

	/* Without resume (a manual full sync): a new run from page 0, whole
	 * counts, and the unfinished run it leaves is named. */
	st = open_store("products.db", "products", "*");
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(store_begin_run(st, "full", 0, &ck, &err), 0);
	assert_begun(&ck, 0, r1 + 1, 0);
	ck_assert_int_eq(ck.base.seen, 0);
	ck_assert_int_eq(ck.left_run, r1);
	ck_assert_int_eq(ck.left_page, 2);
	ck_assert_int_eq(ck.left_pages, 5);
	ck_assert_int_eq(q_int("products.db", "SELECT next_page FROM _sync "
	    "WHERE kind = ?1", "products"), 0);
	ck_assert_int_eq(store_seen_count(st, r1 + 1), 0);
	store_close(st);

	/* A finished run leaves nothing behind. */
	st = open_store("products.db", "products", "*");
	write_rows(st, "products", &ck, 0, 1, page0, 1);
	finish(st, &ck, "done", "2025-01-01T00:00:00");
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(store_begin_run(st, "full", 0, &ck, &err), 0);
	ck_assert_int_eq(ck.left_run, 0);
	ck_assert_int_eq(ck.run_id, r1 + 2);
	store_close(st);
}
END_TEST

START_TEST(test_resume_other_mode)
{
	static const char *page0[] = { "A1=2025-01-01T00:00:00" };
	struct store		*st;
	struct checkpoint	 ck;
	int64_t			 r1;

	/* An unfinished full run is not resumed by a delta, nor the reverse. */
	st = open_store("products.db", "products", "*");
	begin(st, "full", &ck);
	r1 = ck.run_id;
	write_rows(st, "products", &ck, 0, 3, page0, 1);
	store_close(st);
	st = open_store("products.db", "products", "*");
	begin(st, "delta", &ck);
	assert_begun(&ck, 0, r1 + 1, 0);
	ck_assert_str_eq(ck.mode, "delta");
	write_rows(st, "products", &ck, 0, 3, page0, 1);
	store_close(st);
	st = open_store("products.db", "products", "*");
	begin(st, "full", &ck);
	assert_begun(&ck, 0, r1 + 2, 0);
	store_close(st);

	/* Runs of another scope in the same file are their own. */
	st = open_store("orders.db", "orders", "alice");
	begin(st, "full", &ck);
	r1 = ck.run_id;
	write_rows(st, "orders", &ck, 0, 3, (const char *const[]){
	    "1=2025-01-01T00:00:00" }, 1);
	store_close(st);
	st = open_store("orders.db", "orders", "bob");
	begin(st, "full", &ck);
	ck_assert_int_eq(ck.resumed, 0);
	ck_assert_int_eq(ck.next_page, 0);
	store_close(st);
	st = open_store("orders.db", "orders", "alice");
	begin(st, "full", &ck);
	assert_begun(&ck, 1, r1, 1);
	store_close(st);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("watermark");
	TCase	*tc;

	test_case(s, "delta_since", test_since_cases, test_since_tz_independent,
	    test_since_bad, test_since_strict, test_since_small_buffer, NULL);
	tc = test_case(s, "store", test_watermark_is_max_of_scope,
	    test_last_watermark, test_seen_run, test_resume, test_fresh_run,
	    test_resume_other_mode, NULL);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	return test_run(s);
}
