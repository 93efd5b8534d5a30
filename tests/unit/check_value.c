/*
 * check_value.c — the cell value parsers of worker/value.c on good,
 * borderline and hostile inputs.
 */
#include <check.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/testutil.h"
#include "worker/worker.h"

#define NBSP	"\xc2\xa0"
#define NNBSP	"\xe2\x80\xaf"
#define EURO	"\xe2\x82\xac"

/* parse_it_int */

static const struct {
	const char	*in;
	int64_t		 want;
} int_good[] = {
	{ "0", 0 },
	{ "-0", 0 },
	{ "7", 7 },
	{ "-12", -12 },
	{ "999", 999 },
	{ "1.234", 1234 },
	{ "-1.234", -1234 },
	{ "12.345.678", 12345678 },
	{ "1234", 1234 },		/* ungrouped is accepted */
	{ "007", 7 },
	{ "9.223.372.036.854.775.807", INT64_MAX },
	{ "9223372036854775807", INT64_MAX },
	{ "-9.223.372.036.854.775.808", INT64_MIN },
};

static const char *int_bad[] = {
	"", "-", "--1", "+1", "+1,0", "1,5", "1.23", "1.2345", "1..234",
	"1.234.", ".234", "1.234.56", "1234.567", "0.123", "abc", "12a",
	"a12", " 12", "12 ", "1 234", "1" NBSP "234", "0x10", "1e3",
	"9.223.372.036.854.775.808", "9223372036854775808",
	"-9223372036854775809", "18446744073709551616",
	"99999999999999999999999999999999999999999999999999999999999999999999",
	"1,", "-1.234,5", "1-", "\xef\xbc\x91",	/* fullwidth 1 */
};

START_TEST(test_int_good)
{
	int64_t	 v = 42;
	size_t	 i;

	for (i = 0; i < nitems(int_good); i++) {
		ck_assert_msg(parse_it_int(int_good[i].in, &v) == 0,
		    "'%s' refused", int_good[i].in);
		ck_assert_msg(v == int_good[i].want, "'%s' gave %jd",
		    int_good[i].in, (intmax_t)v);
	}
}
END_TEST

START_TEST(test_int_bad)
{
	int64_t	 v = 42;
	size_t	 i;

	for (i = 0; i < nitems(int_bad); i++) {
		ck_assert_msg(parse_it_int(int_bad[i], &v) == -1,
		    "'%s' accepted as %jd", int_bad[i], (intmax_t)v);
		ck_assert_msg(v == 42, "'%s' wrote the output on failure",
		    int_bad[i]);
	}
}
END_TEST

/* parse_it_decimal */

static const struct {
	const char	*in;
	double		 want;
} dec_good[] = {
	{ "0", 0.0 },
	{ "12", 12.0 },
	{ "0,5", 0.5 },
	{ "-0,01", -0.01 },
	{ "-12,5", -12.5 },
	{ "1.234,56", 1234.56 },
	{ "1.234.567,89", 1234567.89 },
	{ "1234,56", 1234.56 },
	{ "234,59 " EURO, 234.59 },
	{ "234,59" NBSP EURO, 234.59 },
	{ "234,59" NNBSP EURO, 234.59 },
	{ "234,59" EURO, 234.59 },
	{ EURO " 234,59", 234.59 },
	{ EURO NBSP "234,59", 234.59 },
	{ EURO "234,59", 234.59 },
	{ "-1.234,50 " EURO, -1234.5 },
	{ EURO " -0,5", -0.5 },
	{ "0,1", 0.1 },
	{ "0,3", 0.3 },
	{ "1,000000000000000000001", 1.000000000000000000001 },
	{ "123.456.789.012.345.678,9", 123456789012345678.9 },
	{ "0,000000000000000000000000000001", 1e-30 },
	{ "-0", 0.0 },
};

static const char *dec_bad[] = {
	"", "-", EURO, EURO " ", " " EURO, NBSP EURO, "1.234,", ",5", "-,5",
	"1 234,56", "--1", "+1,0", "1.234.56", "1.23", "1.23,4", "1,2,3",
	"1,2.3", "1.234,56.7", "abc", "1,5a", "a1,5", " 1,5", "1,5 ",
	"1,5" NBSP, "inf", "-inf", "nan", "NAN", "infinity", "0x1p3", "0x10",
	"1e3", "1,5e3", "1,5 " EURO " " EURO, EURO " 1,5 " EURO,
	"-" EURO " 1,5",
	"1,5 EUR", "$ 1,5", "1,5 $", "1;5", "1'234,5", "1" NBSP "234,56",
	"12345678901234567890123456789012345678901234567890123456789012345678"
	"90123456789012345678901234567890",
	"0,00000000000000000000000000000000000000000000000000000000000000000"
	"000000000000000000000000000000000001",
};

START_TEST(test_dec_good)
{
	double	 d = 42;
	size_t	 i;

	for (i = 0; i < nitems(dec_good); i++) {
		ck_assert_msg(parse_it_decimal(dec_good[i].in, &d) == 0,
		    "'%s' refused", dec_good[i].in);
		ck_assert_msg(d == dec_good[i].want, "'%s' gave %.17g, want "
		    "%.17g", dec_good[i].in, d, dec_good[i].want);
		ck_assert_msg(!signbit(d) || d != 0, "'%s' gave -0",
		    dec_good[i].in);
	}
}
END_TEST

START_TEST(test_dec_bad)
{
	double	 d = 42;
	size_t	 i;

	for (i = 0; i < nitems(dec_bad); i++) {
		ck_assert_msg(parse_it_decimal(dec_bad[i], &d) == -1,
		    "'%s' accepted as %.17g", dec_bad[i], d);
		ck_assert_msg(d == 42, "'%s' wrote the output on failure",
		    dec_bad[i]);
	}
}
END_TEST

/* The nearest double, not an accumulated one: 0,1 + ... drift would show. */
START_TEST(test_dec_nearest)
{
	double	 d;

	ck_assert_int_eq(parse_it_decimal("9.007.199.254.740.993", &d), 0);
	ck_assert_double_eq(d, 9007199254740992.0);	/* ties to even */
	ck_assert_int_eq(parse_it_decimal("0,30000000000000004", &d), 0);
	ck_assert_double_eq(d, 0.30000000000000004);
	ck_assert_int_eq(parse_it_decimal("2,675", &d), 0);
	ck_assert_double_eq(d, 2.675);
	ck_assert_int_eq(parse_it_decimal("1.234,56", &d), 0);
	ck_assert(d != 1.234);
}
END_TEST

/* A process locale with a decimal comma must not change anything. */
START_TEST(test_dec_locale)
{
	static const char	*names[] = {
		"it_IT.UTF-8", "it_IT.utf8", "de_DE.UTF-8", "fr_FR.UTF-8"
	};
	size_t			 i;
	double			 d;
	int64_t			 v;

	for (i = 0; i < nitems(names); i++)
		if (setlocale(LC_ALL, names[i]) != NULL)
			break;
	ck_assert_int_eq(parse_it_decimal("1.234,56", &d), 0);
	ck_assert_double_eq(d, 1234.56);
	ck_assert_int_eq(parse_it_decimal("-0,5 " EURO, &d), 0);
	ck_assert_double_eq(d, -0.5);
	ck_assert_int_eq(parse_it_int("1.234", &v), 0);
	ck_assert_int_eq(v, 1234);
	setlocale(LC_ALL, "C");
}
END_TEST

/* parse_it_date and parse_it_datetime */

typedef int (*text_parser)(const char *, char *, size_t);

struct text_case {
	const char	*in;
	const char	*want;
};

/* Every case parses to what it wants. */
static void
check_good(text_parser parse, const struct text_case *c, size_t n)
{
	char	 out[32];
	size_t	 i;

	for (i = 0; i < n; i++) {
		ck_assert_msg(parse(c[i].in, out, sizeof(out)) == 0,
		    "'%s' refused", c[i].in);
		ck_assert_str_eq(out, c[i].want);
	}
}

/* Every input is refused. */
static void
check_bad(text_parser parse, const char *const *in, size_t n)
{
	char	 out[32];
	size_t	 i;

	for (i = 0; i < n; i++)
		ck_assert_msg(parse(in[i], out, sizeof(out)) == -1,
		    "'%s' accepted", in[i]);
}

static const struct text_case date_good[] = {
	{ "29/02/2024", "2024-02-29" },
	{ "29/02/2000", "2000-02-29" },
	{ "28/02/2023", "2023-02-28" },
	{ "31/12/1999", "1999-12-31" },
	{ "01/01/0001", "0001-01-01" },
	{ "30/04/2024", "2024-04-30" },
	{ "31/01/2024", "2024-01-31" },
	{ "31/12/9999", "9999-12-31" },
};

static const char *const date_bad[] = {
	"", "29/02/2023", "29/02/1900", "31/04/2024", "31/06/2024",
	"31/09/2024", "31/11/2024", "32/01/2024", "00/01/2020", "01/00/2020",
	"01/13/2020", "01/01/0000", "1/1/2020", "01/1/2020", "01/01/20",
	"01/01/02020", "01-01-2020", "2020-01-01", "01/01/2020 ", " 01/01/2020",
	"01/01/2020 00:00:00", "aa/bb/cccc", "0a/01/2020", "01/01/-020",
	"01/01/+020", "1 /01/2020", "01/01", "01/01/",
};

START_TEST(test_date_good)
{
	check_good(parse_it_date, date_good, nitems(date_good));
}
END_TEST

START_TEST(test_date_bad)
{
	check_bad(parse_it_date, date_bad, nitems(date_bad));
}
END_TEST

static const struct text_case dt_good[] = {
	{ "31/12/1999 23:59:59", "1999-12-31T23:59:59" },
	{ "01/01/2024 00:00:00", "2024-01-01T00:00:00" },
	{ "29/02/2024 12:34:56", "2024-02-29T12:34:56" },
	{ "15/06/2023 08:05:09", "2023-06-15T08:05:09" },
};

static const char *const dt_bad[] = {
	"", "31/12/1999", "31/12/1999 24:00:00", "31/12/1999 23:60:00",
	"31/12/1999 23:59:60", "29/02/2023 10:00:00", "31/12/1999T23:59:59",
	"31/12/1999  23:59:59", "31/12/1999 23:59", "31/12/1999 23:59:59 ",
	"31/12/1999 23:59:59.123", "31/12/1999 9:00:00", "31/12/1999 09:0:00",
	"31/12/1999 -1:00:00", "31/12/1999 23:59:5a", "00/01/2020 00:00:00",
	"31/12/1999" NBSP "23:59:59", "31/12/1999 23.59.59",
};

START_TEST(test_dt_good)
{
	char	 back[32];
	size_t	 i;

	check_good(parse_it_datetime, dt_good, nitems(dt_good));
	/* format_it_datetime is the inverse. */
	for (i = 0; i < nitems(dt_good); i++) {
		ck_assert_int_eq(format_it_datetime(dt_good[i].want, back,
		    sizeof(back)), 0);
		ck_assert_str_eq(back, dt_good[i].in);
	}
}
END_TEST

START_TEST(test_dt_bad)
{
	check_bad(parse_it_datetime, dt_bad, nitems(dt_bad));
}
END_TEST

START_TEST(test_dt_buffers)
{
	char	 out[32];

	ck_assert_int_eq(parse_it_datetime("31/12/1999 23:59:59", out, 19), -1);
	ck_assert_int_eq(parse_it_datetime("31/12/1999 23:59:59", out, 20), 0);
	ck_assert_str_eq(out, "1999-12-31T23:59:59");
	ck_assert_int_eq(parse_it_date("31/12/1999", out, 10), -1);
	ck_assert_int_eq(parse_it_date("31/12/1999", out, 11), 0);
	ck_assert_int_eq(format_it_datetime("1999-12-31T23:59:59", out, 19),
	    -1);
}
END_TEST

START_TEST(test_format_datetime)
{
	char	 out[32];

	ck_assert_int_eq(format_it_datetime("2024-02-29 07:08:09", out,
	    sizeof(out)), 0);
	ck_assert_str_eq(out, "29/02/2024 07:08:09");
	/* Found by fuzz_value: four digits for a year before 1000. */
	ck_assert_int_eq(format_it_datetime("0998-12-31T23:59:59", out,
	    sizeof(out)), 0);
	ck_assert_str_eq(out, "31/12/0998 23:59:59");
	ck_assert_int_eq(format_it_datetime("2023-02-29T07:08:09", out,
	    sizeof(out)), -1);
	ck_assert_int_eq(format_it_datetime("2024-02-29T24:00:00", out,
	    sizeof(out)), -1);
	ck_assert_int_eq(format_it_datetime("2024-02-29", out, sizeof(out)),
	    -1);
	ck_assert_int_eq(format_it_datetime("2024-02-29T07:08:09Z", out,
	    sizeof(out)), -1);
	ck_assert_int_eq(format_it_datetime("2024/02/29T07:08:09", out,
	    sizeof(out)), -1);
	ck_assert_int_eq(format_it_datetime("29/02/2024 07:08:09", out,
	    sizeof(out)), -1);
	ck_assert_int_eq(format_it_datetime("", out, sizeof(out)), -1);
}
END_TEST

/* A delta's COLFILTER value: the watermark less the margin (sync.c). */
START_TEST(test_delta_since)
{
	char	 out[32];

	ck_assert_int_eq(delta_since("2024-03-01T00:02:00", 300, out,
	    sizeof(out)), 0);
	ck_assert_str_eq(out, "29/02/2024 23:57:00");	/* a leap day back */
	ck_assert_int_eq(delta_since("2025-01-01T00:00:00", 1, out,
	    sizeof(out)), 0);
	ck_assert_str_eq(out, "31/12/2024 23:59:59");
	ck_assert_int_eq(delta_since("2025-06-15T12:00:00", 0, out,
	    sizeof(out)), 0);
	ck_assert_str_eq(out, "15/06/2025 12:00:00");
	ck_assert_int_eq(delta_since("2025-06-15T12:00:00", -5, out,
	    sizeof(out)), 0);
	ck_assert_str_eq(out, "15/06/2025 12:00:00");	/* no negative margin */
	/* Not a watermark: refused, never rolled into another day. */
	ck_assert_int_eq(delta_since("2023-02-30T10:00:00", 60, out,
	    sizeof(out)), -1);
	ck_assert_int_eq(delta_since("2023-02-28", 60, out, sizeof(out)), -1);
	ck_assert_int_eq(delta_since("28/02/2023 10:00:00", 60, out,
	    sizeof(out)), -1);
	ck_assert_int_eq(delta_since("2023-02-28T10:00:00", 60, out, 19), -1);
}
END_TEST

/* url_origin */

START_TEST(test_url_origin)
{
	static const struct {
		const char	*in;
		const char	*want;	/* NULL: refused */
	} cases[] = {
		{ "http://127.0.0.1:8181/Archibald", "http://127.0.0.1:8181" },
		{ "http://127.0.0.1:8181/Archibald/", "http://127.0.0.1:8181" },
		{ "https://erp.example.it/Archibald",
		  "https://erp.example.it" },
		{ "HTTPS://erp.example.it:443", "https://erp.example.it:443" },
		{ "http://erp", "http://erp" },
		{ "http://erp?x=1", "http://erp" },
		{ "http://erp#frag", "http://erp" },
		{ "http://[::1]:8181/A", "http://[::1]:8181" },
		{ "http://[fe80::1]/", "http://[fe80::1]" },
		{ "ftp://erp/x", NULL },
		{ "erp.example.it/Archibald", NULL },
		{ "http://", NULL },
		{ "http:///Archibald", NULL },
		{ "http://:8181/", NULL },
		/* An empty port is the default one (RFC 3986 3.2.3). */
		{ "http://erp:/", "http://erp" },
		{ "http://erp:80a/", NULL },
		{ "http://erp:123456/", NULL },
		{ "http://user:pw@erp/", NULL },
		{ "http://erp example/", NULL },
		{ "http://[::1/", NULL },
		{ "http://[]/", NULL },
		{ "http://erp:1:2/", NULL },
		{ "https:/Q//::im443/x?y#x", NULL },	/* found by fuzz_value */
		{ "http:/erp/x", NULL },
		{ "", NULL },
		{ "junk", NULL },
	};
	char	 out[64];
	size_t	 i;

	for (i = 0; i < nitems(cases); i++) {
		int rc = url_origin(cases[i].in, out, sizeof(out));

		if (cases[i].want == NULL) {
			ck_assert_msg(rc == -1, "'%s' accepted as '%s'",
			    cases[i].in, out);
			continue;
		}
		ck_assert_msg(rc == 0, "'%s' refused", cases[i].in);
		ck_assert_str_eq(out, cases[i].want);
	}
	ck_assert_int_eq(url_origin("http://127.0.0.1:8181/A", out, 21), -1);
	ck_assert_int_eq(url_origin("http://127.0.0.1:8181/A", out, 22), 0);
}
END_TEST

/* value_parse */

static struct grid_cell
cell(const char *text)
{
	struct grid_cell	 c;

	c.text = (char *)(uintptr_t)text;
	c.checkbox = -1;
	c.img_src = NULL;
	return c;
}

/*
 * value_parse() of one cell (its text, and its checkbox for bool columns)
 * as a column type: 0 and the value, or -1, no value and the error (whole,
 * or a part of it).
 */
static const struct {
	enum col_type	 type;
	const char	*text;
	int		 checkbox;	/* -1: none */
	int		 rc;
	enum value_kind	 kind;
	const char	*s;		/* VAL_TEXT */
	int64_t		 i;		/* VAL_INT */
	double		 r;		/* VAL_REAL */
	const char	*err;		/* rc -1: the error */
	const char	*err_part;	/* rc -1: in the error */
} value_cases[] = {
	{ COL_TEXT, "Bar & Caff\xc3\xa8", -1, 0, VAL_TEXT,
	  .s = "Bar & Caff\xc3\xa8" },
	/* Inner NBSP is text, kept as shown. */
	{ COL_TEXT, "a" NBSP "b", -1, 0, VAL_TEXT, .s = "a" NBSP "b" },
	{ COL_TEXT, "", -1, 0, .kind = VAL_NULL },
	{ COL_TEXT, NBSP, -1, 0, .kind = VAL_NULL },
	{ COL_TEXT, NBSP " " NBSP, -1, 0, .kind = VAL_NULL },
	{ COL_TEXT, NULL, -1, 0, .kind = VAL_NULL },
	{ COL_INT, "1.234", -1, 0, VAL_INT, .i = 1234 },
	{ COL_DECIMAL, "234,59" NBSP EURO, -1, 0, VAL_REAL, .r = 234.59 },
	/* Blanks around the value (NBSP is not trimmed by the grid) go. */
	{ COL_DECIMAL, NBSP "12,5" NBSP, -1, 0, VAL_REAL, .r = 12.5 },
	{ COL_INT, "", -1, 0, .kind = VAL_NULL },
	{ COL_DECIMAL, NBSP, -1, 0, .kind = VAL_NULL },
	{ COL_DECIMAL, "1,2,3", -1, -1, VAL_NULL,
	  .err = "not an Italian number: '1,2,3'" },
	{ COL_INT, "1,5", -1, -1, VAL_NULL,
	  .err = "not an Italian integer: '1,5'" },
	{ COL_DATE, "29/02/2024", -1, 0, VAL_TEXT, .s = "2024-02-29" },
	{ COL_DATETIME, "31/12/1999 23:59:59", -1, 0, VAL_TEXT,
	  .s = "1999-12-31T23:59:59" },
	{ COL_DATE, "29/02/2023", -1, -1, VAL_NULL,
	  .err = "not a dd/mm/yyyy date: '29/02/2023'" },
	{ COL_DATETIME, "31/12/1999 24:00:00", -1, -1, VAL_NULL,
	  .err_part = "'31/12/1999 24:00:00'" },
	{ COL_DATETIME, NBSP, -1, 0, .kind = VAL_NULL },
	{ COL_BOOL, "", 1, 0, VAL_INT, .i = 1 },
	{ COL_BOOL, "", 0, 0, VAL_INT, .i = 0 },
	{ COL_BOOL, "S\xc3\xac", -1, -1, VAL_NULL, .err_part = "checkbox" },
};

START_TEST(test_value_cases)
{
	struct grid_cell	 c = cell(value_cases[_i].text);
	struct value		 v;
	char			 err[128];

	c.checkbox = value_cases[_i].checkbox;
	ck_assert_int_eq(value_parse(value_cases[_i].type, &c, NULL, &v, err,
	    sizeof(err)), value_cases[_i].rc);
	ck_assert_int_eq(v.kind, value_cases[_i].kind);
	if (v.kind == VAL_TEXT)
		ck_assert_str_eq(v.s, value_cases[_i].s);
	else
		ck_assert_ptr_null(v.s);
	if (v.kind == VAL_INT)
		ck_assert_int_eq(v.i, value_cases[_i].i);
	if (v.kind == VAL_REAL)
		ck_assert_double_eq(v.r, value_cases[_i].r);
	if (value_cases[_i].err != NULL)
		ck_assert_str_eq(err, value_cases[_i].err);
	if (value_cases[_i].err_part != NULL)
		ck_assert_ptr_nonnull(strstr(err, value_cases[_i].err_part));
	value_clear(&v);
}
END_TEST

START_TEST(test_value_clear)
{
	struct grid_cell	 c = cell("Bar & Caff\xc3\xa8");
	struct value		 v;
	char			 err[128];

	ck_assert_int_eq(value_parse(COL_TEXT, &c, NULL, &v, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(v.kind, VAL_TEXT);
	value_clear(&v);
	ck_assert_int_eq(v.kind, VAL_NULL);
	ck_assert_ptr_null(v.s);

	/* No cell at all is NULL too. */
	ck_assert_int_eq(value_parse(COL_TEXT, NULL, NULL, &v, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(v.kind, VAL_NULL);
}
END_TEST

/* A long bad value is quoted, cut, and the buffer never overflows. */
START_TEST(test_value_long_error)
{
	char			 big[1000], err[128], small[16];
	struct grid_cell	 c;
	struct value		 v;

	memset(big, '9', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	c = cell(big);
	ck_assert_int_eq(value_parse(COL_INT, &c, NULL, &v, err,
	    sizeof(err)), -1);
	ck_assert(strlen(err) < 120);
	ck_assert_int_eq(value_parse(COL_INT, &c, NULL, &v, small,
	    sizeof(small)), -1);
	ck_assert_uint_eq(strlen(small), sizeof(small) - 1);
	ck_assert_int_eq(value_parse(COL_INT, &c, NULL, &v, NULL, 0), -1);
}
END_TEST

START_TEST(test_value_image)
{
	static const struct {
		const char	*src;
		const char	*want;	/* NULL: stored NULL */
	} cases[] = {
		{ "/Archibald/Images/A-001.jpg",
		  "http://127.0.0.1:8181/Archibald/Images/A-001.jpg" },
		{ "Images/A-002.jpg?w=64&h=64",
		  "http://127.0.0.1:8181/Images/A-002.jpg?w=64&h=64" },
		{ "https://cdn.example.com/A-003.png",
		  "https://cdn.example.com/A-003.png" },
		/* The scheme is case-insensitive: stored normalized. */
		{ "HTTP://cdn.example.com/x.png",
		  "http://cdn.example.com/x.png" },
		{ "x y.png", "http://127.0.0.1:8181/x%20y.png" },
		{ "../../a.png", "http://127.0.0.1:8181/a.png" },
		{ "//cdn.example.com/x.png", "http://cdn.example.com/x.png" },
		{ "  /x.png ", "http://127.0.0.1:8181/x.png" },
		{ "", NULL },
		{ " ", NULL },
	};
	struct grid_cell	 c;
	struct value		 v;
	char			 err[128];
	size_t			 i;

	for (i = 0; i < nitems(cases); i++) {
		c = cell("");
		c.img_src = (char *)(uintptr_t)cases[i].src;
		ck_assert_int_eq(value_parse(COL_IMAGE, &c,
		    "http://127.0.0.1:8181", &v, err, sizeof(err)), 0);
		if (cases[i].want == NULL) {
			ck_assert_int_eq(v.kind, VAL_NULL);
			continue;
		}
		ck_assert_int_eq(v.kind, VAL_TEXT);
		ck_assert_str_eq(v.s, cases[i].want);
		value_clear(&v);
	}

	c = cell("text but no image");
	ck_assert_int_eq(value_parse(COL_IMAGE, &c, "http://h", &v, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(v.kind, VAL_NULL);

	c.img_src = (char *)(uintptr_t)"javascript:alert(1)";
	ck_assert_int_eq(value_parse(COL_IMAGE, &c, "http://h", &v, err,
	    sizeof(err)), -1);
	ck_assert_int_eq(v.kind, VAL_NULL);
	ck_assert_ptr_nonnull(strstr(err, "javascript:alert(1)"));

	c.img_src = (char *)(uintptr_t)"data:image/png;base64,AAAA";
	ck_assert_int_eq(value_parse(COL_IMAGE, &c, "http://h", &v, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "not an http(s) URL"));

	c.img_src = (char *)(uintptr_t)"x.png";
	ck_assert_int_eq(value_parse(COL_IMAGE, &c, NULL, &v, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "x.png"));

	/*
	 * Blanks are trimmed into a 256-byte buffer, longer sources into a
	 * string of their own: both sides of the edge read the same.
	 */
	{
		char	 src[600], want[600];
		size_t	 n;

		for (n = 250; n <= 260; n++) {
			snprintf(src, sizeof(src), " " NBSP "/%0*d.png ",
			    (int)n - 5, 7);
			snprintf(want, sizeof(want), "http://h/%0*d.png",
			    (int)n - 5, 7);
			c.img_src = src;
			ck_assert_int_eq(value_parse(COL_IMAGE, &c, "http://h",
			    &v, err, sizeof(err)), 0);
			ck_assert_str_eq(v.s, want);
			value_clear(&v);
		}
	}
}
END_TEST

START_TEST(test_value_bad_type)
{
	struct grid_cell	 c = cell("x");
	struct value		 v;
	char			 err[128];

	ck_assert_int_eq(value_parse((enum col_type)99, &c, NULL, &v, err,
	    sizeof(err)), -1);
	ck_assert_int_eq(v.kind, VAL_NULL);
	ck_assert_str_eq(col_type_name(COL_TEXT), "text");
	ck_assert_str_eq(col_type_name(COL_INT), "int");
	ck_assert_str_eq(col_type_name(COL_DECIMAL), "decimal");
	ck_assert_str_eq(col_type_name(COL_DATE), "date");
	ck_assert_str_eq(col_type_name(COL_DATETIME), "datetime");
	ck_assert_str_eq(col_type_name(COL_BOOL), "bool");
	ck_assert_str_eq(col_type_name(COL_IMAGE), "image");
	ck_assert_str_eq(col_type_name((enum col_type)99), "unknown");
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("value");
	TCase	*tc;

	test_case(s, "int", test_int_good, test_int_bad, NULL);
	test_case(s, "decimal", test_dec_good, test_dec_bad, test_dec_nearest,
	    test_dec_locale, NULL);
	test_case(s, "date", test_date_good, test_date_bad, test_dt_good,
	    test_dt_bad, test_dt_buffers, test_format_datetime,
	    test_delta_since, NULL);
	test_case(s, "url", test_url_origin, NULL);
	tc = test_case(s, "value_parse", test_value_clear,
	    test_value_long_error, test_value_image, test_value_bad_type, NULL);
	tcase_add_loop_test(tc, test_value_cases, 0, nitems(value_cases));
	return test_run(s);
}
