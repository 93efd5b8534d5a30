/*
 * check_prices.c — prices matched to products through the real store
 * (worker/store.c, views.c, match.c): by item id, exact name, normalized
 * name, never to one of several products sharing a name; amount changes
 * recorded in price_changes; products and prices runs leave each other's
 * table alone. And name_normalize itself.
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

#define NBSP	"\xc2\xa0"

static char	 dir[PATH_MAX];
static char	 db[PATH_MAX + 32];

static void
setup(void)
{
	log_init("check", LOG_LOGFMT, LOG_ERROR);
	test_tmpdir(dir, sizeof dir, "check_prices");
	snprintf(db, sizeof db, "%s/products.db", dir);
}

static void
teardown(void)
{
	test_rmdir(dir);
}

/* Rows of a view: nrows * ncols values, all NULL to start with. */
struct rows {
	const struct view	*v;
	struct value		*val;
	int			*ok;
	size_t			 n, cap;
};

static void
rows_init(struct rows *r, const char *kind)
{
	memset(r, 0, sizeof *r);
	r->v = view_find(kind);
	ck_assert_ptr_nonnull(r->v);
}

static void
rows_free(struct rows *r)
{
	size_t	 i;

	for (i = 0; i < r->n * r->v->ncols; i++)
		value_clear(&r->val[i]);
	free(r->val);
	free(r->ok);
	memset(r, 0, sizeof *r);
}

static size_t
col_of(const struct view *v, const char *column)
{
	size_t	 i;

	for (i = 0; i < v->ncols; i++)
		if (strcmp(v->cols[i].column, column) == 0)
			return i;
	ck_abort_msg("view %s has no column %s", v->kind, column);
	return 0;
}

/* Start a new row; its values are NULL until set. */
static size_t
row_add(struct rows *r)
{
	size_t	 nc = r->v->ncols;

	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 8;
		r->val = xreallocarray(r->val, r->cap * nc, sizeof *r->val);
		r->ok = xreallocarray(r->ok, r->cap, sizeof *r->ok);
	}
	memset(&r->val[r->n * nc], 0, nc * sizeof *r->val);
	r->ok[r->n] = 1;
	return r->n++;
}

static void
set_text(struct rows *r, size_t row, const char *column, const char *s)
{
	struct value	*val = &r->val[row * r->v->ncols + col_of(r->v, column)];

	value_clear(val);
	if (s == NULL)
		return;
	val->kind = VAL_TEXT;
	val->s = xstrdup(s);
}

static void
set_real(struct rows *r, size_t row, const char *column, double d)
{
	struct value	*val = &r->val[row * r->v->ncols + col_of(r->v, column)];

	value_clear(val);
	val->kind = VAL_REAL;
	val->r = d;
}

/* One full run of one page of rows; returns its run_id. */
static int64_t
run_page(struct rows *r, const char *mode)
{
	struct wk_error		 err;
	struct checkpoint	 ck;
	struct page_counts	 pc;
	struct store		*st;
	char			 wm[32];

	memset(&err, 0, sizeof err);
	memset(&pc, 0, sizeof pc);
	st = store_open(db, r->v, "*", &err);
	ck_assert_msg(st != NULL, "store_open: %s", err.msg);
	ck_assert_msg(store_begin_run(st, mode, 1, &ck, &err) == 0,
	    "store_begin_run: %s", err.msg);
	ck.next_page = 1;
	ck.pages = 1;
	ck.total = (int64_t)r->n;
	ck_assert_msg(store_write_page(st, &ck, r->val, r->n, r->ok, &pc,
	    &err) == 0, "store_write_page: %s", err.msg);
	ck_assert_int_eq(pc.seen, (int64_t)r->n);
	ck_assert_int_eq(store_watermark(st, wm, sizeof wm), 0);
	ck_assert_msg(store_finish(st, &ck, "done", wm, &err) == 0,
	    "store_finish: %s", err.msg);
	store_close(st);
	return ck.run_id;
}

static sqlite3 *
db_ro(void)
{
	sqlite3	*h;

	ck_assert_int_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL),
	    SQLITE_OK);
	return h;
}

/* Every row and column of a query, quoted, as one string (to compare). */
static char *
dump(const char *sql)
{
	sqlite3		*h = db_ro();
	sqlite3_stmt	*st;
	struct buf	 b;
	int		 i, rc;

	buf_init(&b);
	ck_assert_msg(sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK,
	    "%s: %s", sql, sqlite3_errmsg(h));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < sqlite3_column_count(st); i++) {
			switch (sqlite3_column_type(st, i)) {
			case SQLITE_NULL:
				buf_adds(&b, "NULL");
				break;
			case SQLITE_INTEGER:
				buf_addf(&b, "i%lld", (long long)
				    sqlite3_column_int64(st, i));
				break;
			case SQLITE_FLOAT:
				buf_addf(&b, "r%.17g", sqlite3_column_double(st,
				    i));
				break;
			default:
				buf_addf(&b, "'%s'",
				    (const char *)sqlite3_column_text(st, i));
			}
			buf_addc(&b, '|');
		}
		buf_addc(&b, '\n');
	}
	ck_assert_int_eq(rc, SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return buf_steal(&b);
}

/* One text (or "NULL") from the first row of a query with one text arg. */
static char *
query1(const char *sql, const char *arg)
{
	sqlite3		*h = db_ro();
	sqlite3_stmt	*st;
	char		*out;

	ck_assert_msg(sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK,
	    "%s: %s", sql, sqlite3_errmsg(h));
	if (arg != NULL)
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW)
		out = xstrdup("<no row>");
	else if (sqlite3_column_type(st, 0) == SQLITE_NULL)
		out = xstrdup("NULL");
	else
		out = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(h);
	return out;
}

static int64_t
count(const char *sql)
{
	char	*s = query1(sql, NULL);
	int64_t	 n = strtoll(s, NULL, 10);

	free(s);
	return n;
}

/* product_id and match of a price, as "A200/name" (NULL shown as NULL). */
static char *
match_of(const char *price_id)
{
	char	*pid, *m, *out;

	pid = query1("SELECT product_id FROM prices WHERE price_id = ?1",
	    price_id);
	m = query1("SELECT match FROM prices WHERE price_id = ?1", price_id);
	xasprintf(&out, "%s/%s", pid, m);
	free(pid);
	free(m);
	return out;
}

/* The row of rows whose key is key. */
static size_t
row_of(const struct rows *r, const char *key)
{
	size_t	 i, k = view_key_index(r->v);

	for (i = 0; i < r->n; i++)
		if (r->val[i * r->v->ncols + k].kind == VAL_TEXT &&
		    strcmp(r->val[i * r->v->ncols + k].s, key) == 0)
			return i;
	ck_abort_msg("no row %s", key);
	return 0;
}

#define ck_match(id, want) do {						\
	char	*got_ = match_of(id);					\
	ck_assert_msg(strcmp(got_, (want)) == 0, "price %s: %s, want %s",\
	    (id), got_, (want));					\
	free(got_);							\
} while (0)

static char	 long_name[2200];
static char	 long_name_other[3 * sizeof long_name];

/* A name over 2000 bytes and the same name with other case and spacing. */
static void
long_names(void)
{
	size_t	 i, o = 0;

	for (i = 0; i + 12 < sizeof long_name; i += 11)
		memcpy(long_name + i, "Lungo NOME ", 11);
	long_name[i] = '\0';
	for (i = 0; long_name[i] != '\0'; i++) {
		if (long_name[i] == ' ') {
			memcpy(long_name_other + o, " - ", 3);
			o += 3;
		} else
			long_name_other[o++] = long_name[i] >= 'A' &&
			    long_name[i] <= 'Z' ? long_name[i] + 32 :
			    long_name[i] >= 'a' && long_name[i] <= 'z' ?
			    long_name[i] - 32 : long_name[i];
	}
	long_name_other[o] = '\0';
	ck_assert_uint_gt(strlen(long_name), 2000);
}

static void
product(struct rows *r, const char *id, const char *name, const char *desc)
{
	size_t	 i = row_add(r);

	set_text(r, i, "item_id", id);
	set_text(r, i, "name", name);
	set_text(r, i, "description", desc);
	set_text(r, i, "group_code", "G1");
	set_text(r, i, "image_url", "http://erp.example/Archibald/img/1.jpg");
	set_real(r, i, "min_qty", 1);
	set_real(r, i, "multiple_qty", 1);
	set_real(r, i, "max_qty", 1000);
	set_text(r, i, "modified_at", "2025-03-04T10:11:12");
}

static void
load_products(struct rows *r)
{
	rows_init(r, "products");
	product(r, "A100", "Vite autofilettante 3,5x20", "viti");
	product(r, "A200", "Dado M8", "dadi");
	product(r, "A300", "CAFFÈ ESPRESSO-BAR 1.KG", "caffè");
	/* Packaging variants: one name, two products. */
	product(r, "A400", "Olio extravergine", "latta 1 l");
	product(r, "A401", "Olio extravergine", "latta 5 l");
	product(r, "A500", long_name, "lungo");
}

static void
price(struct rows *r, const char *id, const char *item, const char *desc,
    double amount)
{
	size_t	 i = row_add(r);

	set_text(r, i, "price_id", id);
	set_text(r, i, "account_code", "1");
	set_text(r, i, "item_id", item);
	set_text(r, i, "item_description", desc);
	set_text(r, i, "valid_from", "2025-01-01");
	set_real(r, i, "qty_from", 1);
	set_real(r, i, "amount", amount);
	set_text(r, i, "currency", "EUR");
	set_text(r, i, "modified_at", "2025-03-05T08:00:00");
}

static void
load_prices(struct rows *r)
{
	rows_init(r, "prices");
	price(r, "P1", "A100", "Altro nome", 10.5);
	price(r, "P2", NULL, "Dado M8", 0.12);
	price(r, "P3", NULL, "Caffè Espresso Bar 1 Kg", 18.9);
	price(r, "P4", NULL, "Olio extravergine", 7);
	price(r, "P5", "Z999", "Nessun prodotto così", 3);
	price(r, "P6", "Z998", "Dado M8", 0.13);
	price(r, "P7", NULL, "DADO" NBSP "M-8", 0.14);
	price(r, "P8", NULL, "olio extra-vergine", 7.5);
	price(r, "P9", NULL, long_name_other, 99);
	price(r, "P10", "A401", "Olio extravergine", 30);
	price(r, "P11", NULL, NULL, 1);
}

/*
 * The products, then the prices that name them, each synced in full;
 * returns the prices run's id.
 */
static int64_t
sync_products_prices(struct rows *p, struct rows *r)
{
	long_names();
	load_products(p);
	run_page(p, "full");
	load_prices(r);
	return run_page(r, "full");
}

START_TEST(test_match_rules)
{
	struct rows	 p, r;

	sync_products_prices(&p, &r);

	ck_assert_int_eq(count("SELECT count(*) FROM prices"), 11);
	ck_match("P1", "A100/id");		/* item id wins over the name */
	ck_match("P2", "A200/name");
	ck_match("P3", "A300/normalized");	/* case, È/è, dots, dash, space */
	ck_match("P4", "NULL/ambiguous");	/* shared by A400 and A401 */
	ck_match("P5", "NULL/NULL");		/* missing item, unknown name */
	ck_match("P6", "A200/name");		/* missing item, known name */
	ck_match("P7", "A200/normalized");	/* NBSP and a dash */
	ck_match("P8", "NULL/ambiguous");	/* normalizes to a shared name */
	ck_match("P9", "A500/normalized");	/* longer than erp_norm's stack */
	ck_match("P10", "A401/id");		/* a variant named by its id */
	ck_match("P11", "NULL/NULL");		/* nothing to go by */
	ck_assert_int_eq(count("SELECT count(*) FROM price_changes"), 0);
	rows_free(&p);
	rows_free(&r);
}
END_TEST

START_TEST(test_match_follows_products)
{
	struct rows	 p, r;

	sync_products_prices(&p, &r);
	ck_match("P2", "A200/name");

	/* Dado M8 is renamed: the next prices run no longer matches it. */
	set_text(&p, row_of(&p, "A200"), "name", "Dado M8 zincato");
	run_page(&p, "full");
	run_page(&r, "full");
	ck_match("P2", "NULL/NULL");
	ck_match("P6", "NULL/NULL");
	ck_match("P1", "A100/id");
	ck_match("P4", "NULL/ambiguous");

	/* A401 is renamed: P4's name now fits A400 alone. */
	set_text(&p, row_of(&p, "A401"), "name", "Variante unica");
	run_page(&p, "full");
	run_page(&r, "full");
	ck_match("P4", "A400/name");
	rows_free(&p);
	rows_free(&r);
}
END_TEST

START_TEST(test_price_changes)
{
	struct rows	 p, r;
	int64_t		 run1, run2, run3;
	char		*s;

	run1 = sync_products_prices(&p, &r);
	ck_assert_int_eq(count("SELECT count(*) FROM price_changes"), 0);

	/* P1's amount changes; P2's currency changes but not its amount. */
	set_real(&r, row_of(&r, "P1"), "amount", 11.25);
	set_text(&r, row_of(&r, "P2"), "currency", "USD");
	run2 = run_page(&r, "full");
	ck_assert_int_gt(run2, run1);
	ck_assert_int_eq(count("SELECT count(*) FROM price_changes"), 1);
	s = dump("SELECT price_id, old_amount, new_amount, run_id FROM "
	    "price_changes");
	ck_assert_msg(strcmp(s, "'P1'|r10.5|r11.25|i2|\n") == 0 && run2 == 2,
	    "price_changes: %s (run %lld)", s, (long long)run2);
	free(s);
	s = query1("SELECT changed_at FROM price_changes", NULL);
	ck_assert_msg(strlen(s) >= 19 && s[4] == '-' && s[10] == 'T',
	    "changed_at: %s", s);
	free(s);
	s = query1("SELECT currency FROM prices WHERE price_id = ?1", "P2");
	ck_assert_str_eq(s, "USD");
	free(s);

	/* The same amounts again: no new rows. */
	run3 = run_page(&r, "full");
	ck_assert_int_eq(run3, run2 + 1);
	ck_assert_int_eq(count("SELECT count(*) FROM price_changes"), 1);

	/* A delta run that changes an amount is recorded with its run_id. */
	set_real(&r, row_of(&r, "P5"), "amount", 3.5);
	run_page(&r, "delta");
	s = dump("SELECT price_id, old_amount, new_amount, run_id FROM "
	    "price_changes ORDER BY rowid");
	ck_assert_msg(strcmp(s, "'P1'|r10.5|r11.25|i2|\n'P5'|r3|r3.5|i4|\n")
	    == 0, "price_changes: %s", s);
	free(s);
	/* An amount that becomes NULL is a change too. */
	set_text(&r, row_of(&r, "P5"), "amount", NULL);
	run_page(&r, "full");
	ck_assert_int_eq(count("SELECT count(*) FROM price_changes WHERE "
	    "price_id = 'P5' AND old_amount = 3.5 AND new_amount IS NULL"), 1);
	rows_free(&p);
	rows_free(&r);
}
END_TEST

START_TEST(test_runs_keep_to_their_table)
{
	struct rows	 p, r;
	char		*before, *after;

	long_names();
	load_products(&p);
	run_page(&p, "full");
	before = dump("SELECT * FROM products ORDER BY item_id");
	load_prices(&r);
	run_page(&r, "full");
	set_real(&r, row_of(&r, "P1"), "amount", 12);
	run_page(&r, "full");
	run_page(&r, "delta");
	after = dump("SELECT * FROM products ORDER BY item_id");
	ck_assert_msg(strcmp(before, after) == 0, "a prices run changed "
	    "products:\n%.600s\nthen:\n%.600s", before, after);
	free(before);
	free(after);

	/* A products run, with a renamed product, leaves prices alone. */
	before = dump("SELECT * FROM prices ORDER BY price_id");
	set_text(&p, row_of(&p, "A100"), "name", "Vite nuova");
	run_page(&p, "full");
	run_page(&p, "delta");
	after = dump("SELECT * FROM prices ORDER BY price_id");
	ck_assert_msg(strcmp(before, after) == 0, "a products run changed "
	    "prices:\n%.600s\nthen:\n%.600s", before, after);
	ck_assert_int_eq(count("SELECT count(*) FROM products WHERE name = "
	    "'Vite nuova'"), 1);
	free(before);
	free(after);
	rows_free(&p);
	rows_free(&r);
}
END_TEST

/* name_normalize */

static const struct {
	const char	*in;
	const char	*want;
} norm_cases[] = {
	{ "", "" },
	{ "abc", "abc" },
	{ "Dado M8", "dadom8" },
	{ "D.A.D.O - m 8", "dadom8" },
	{ "CAFFÈ ESPRESSO-BAR 1.KG", "caffèespressobar1kg" },
	{ "Caffè Espresso Bar 1 Kg", "caffèespressobar1kg" },
	{ "ÀÉÌÒÙ ÇÑ Ø", "àéìòùçñø" },
	{ "àéìòù", "àéìòù" },
	{ "2×3", "2×3" },			/* × (U+00D7) is not a capital */
	{ "STRAßE", "straße" },			/* ß has no capital here */
	{ "A" NBSP "B", "ab" },
	{ NBSP NBSP "x" NBSP, "x" },
	{ " .-" NBSP, "" },
	{ "Olio  extra--vergine...", "olioextravergine" },
	{ "Ölfilter ÜBER", "ölfilterüber" },
	{ "€ 5,00 / pz", "€5,00/pz" },		/* other bytes kept */
	{ "l'olio \"buono\" & <co>", "l'olio\"buono\"&<co>" },
	{ "tab\there", "tab\there" },		/* only '.', ' ', '-' and NBSP go */
	{ "\xc2", "\xc2" },			/* a cut sequence, kept as is */
	{ "Á\xc3", "á\xc3" },
};

START_TEST(test_normalize_cases)
{
	char	 out[256];
	size_t	 i, n;

	for (i = 0; i < nitems(norm_cases); i++) {
		memset(out, 'Z', sizeof out);
		n = name_normalize(norm_cases[i].in, out, sizeof out);
		ck_assert_msg(strcmp(out, norm_cases[i].want) == 0,
		    "'%s' gave '%s', want '%s'", norm_cases[i].in, out,
		    norm_cases[i].want);
		ck_assert_uint_eq(n, strlen(norm_cases[i].want));
	}
}
END_TEST

START_TEST(test_normalize_same_key)
{
	static const char *same[] = {
		"Vite  Autofilettante 3,5X20", "vite-autofilettante-3,5x20",
		"VITE.AUTOFILETTANTE.3,5X20", "Vite" NBSP "autofilettante 3,5x20",
	};
	char	 a[128], b[128];
	size_t	 i;

	name_normalize("vite autofilettante 3,5x20", a, sizeof a);
	for (i = 0; i < nitems(same); i++) {
		name_normalize(same[i], b, sizeof b);
		ck_assert_msg(strcmp(a, b) == 0, "'%s' -> '%s', not '%s'",
		    same[i], b, a);
	}
	/* Different letters stay different. */
	name_normalize("vite autofilettante 3,5x25", b, sizeof b);
	ck_assert_str_ne(a, b);
	name_normalize("vité", a, sizeof a);
	name_normalize("vite", b, sizeof b);
	ck_assert_str_ne(a, b);
}
END_TEST

START_TEST(test_normalize_long)
{
	char	*in, out[64], big[40010];
	size_t	 i, n;

	/* 40,000 bytes into 64: cut at the buffer, NUL-terminated. */
	in = xmalloc(40001);
	for (i = 0; i < 40000; i += 2)
		memcpy(in + i, "A.", 2);
	in[40000] = '\0';
	memset(out, 'Z', sizeof out);
	n = name_normalize(in, out, sizeof out);
	ck_assert_uint_le(n, sizeof out - 1);
	ck_assert_uint_ge(n, sizeof out - 3);
	ck_assert_uint_eq(strlen(out), n);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(out[i], 'a');

	/* With room, all of it: 20,000 'a'. */
	n = name_normalize(in, big, sizeof big);
	ck_assert_uint_eq(n, 20000);
	ck_assert_uint_eq(strlen(big), 20000);
	free(in);

	/* A folded two-byte capital is never cut in half. */
	for (i = 1; i <= 9; i++) {
		memset(out, 'Z', sizeof out);
		n = name_normalize("ÈÈÈÈÈÈ", out, i);
		ck_assert_uint_eq(n % 2, 0);
		ck_assert_uint_le(n, i - 1);
		ck_assert_uint_eq(strlen(out), n);
	}
	/* No room at all: nothing written. */
	out[0] = 'Z';
	ck_assert_uint_eq(name_normalize("abc", out, 0), 0);
	ck_assert_int_eq(out[0], 'Z');
	ck_assert_uint_eq(name_normalize("abc", out, 1), 0);
	ck_assert_str_eq(out, "");
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("prices");
	TCase	*tc;

	tc = test_case(s, "match", test_match_rules,
	    test_match_follows_products, test_price_changes,
	    test_runs_keep_to_their_table, NULL);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	test_case(s, "normalize", test_normalize_cases, test_normalize_same_key,
	    test_normalize_long, NULL);
	return test_run(s);
}
