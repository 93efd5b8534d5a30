/*
 * fuzz_value.c — the cell value parsers of worker/value.c on arbitrary
 * strings. The input up to its first NUL byte is the string (a cell's text
 * and its image source); what follows the NUL, if any, is the origin that
 * value_parse() resolves relative image sources against (else a fixed
 * one). Every parser gets the string with output buffers of exactly the
 * size it is given (a size derived from the input, so too small ones are
 * tried too), allocated on their own so ASan sees any write past them.
 *
 * Invariants: outputs are NUL-terminated inside their buffer; a parser
 * that fails leaves its output as it was; parse_it_datetime() and
 * format_it_datetime() are each other's inverse (the module promises it);
 * a date gives back its input when formatted back; an Italian integer is
 * also an Italian decimal of the same value and reads back from its plain
 * and grouped forms; url_origin() of an origin is itself; value_parse()
 * fails only with error text, gives the value kind its column type
 * allows, and agrees with the parser it calls on the trimmed text.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tests/fuzz/fuzz.h"
#include "worker/worker.h"

#define SENTINEL	0x5a

/* A heap buffer of exactly n bytes, filled with SENTINEL. */
static char *
out_new(size_t n)
{
	char	*p = xmalloc(n > 0 ? n : 1);

	memset(p, SENTINEL, n > 0 ? n : 1);
	return p;
}

/* On success: a string inside the buffer. On failure: untouched. */
static void
out_check(int rc, const char *out, size_t n, const char *fn, const char *in)
{
	size_t	 i;

	FZ_CHECK(rc == 0 || rc == -1, "%s: rc %d", fn, rc);
	if (rc == 0) {
		FZ_CHECK(n > 0 && memchr(out, '\0', n) != NULL,
		    "%s('%s'): output not NUL-terminated in %zu bytes", fn,
		    in, n);
		return;
	}
	for (i = 0; i < n; i++)
		FZ_CHECK((unsigned char)out[i] == SENTINEL,
		    "%s('%s'): output written on failure", fn, in);
}

/* An integer in Italian form: "-1.234.567". */
static void
it_grouped(int64_t v, char *out, size_t outlen)
{
	char		 plain[32];
	const char	*d;
	size_t		 n, o = 0, i;

	snprintf(plain, sizeof(plain), "%lld", (long long)v);
	d = plain;
	if (*d == '-')
		out[o++] = *d++;
	n = strlen(d);
	for (i = 0; i < n && o + 2 < outlen; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			out[o++] = '.';
		out[o++] = d[i];
	}
	out[o] = '\0';
}

static void
check_int(const char *s)
{
	char		 buf[40];
	int64_t		 v = 42, w;
	double		 x;
	int		 rc;

	rc = parse_it_int(s, &v);
	FZ_CHECK(rc == 0 || rc == -1, "rc");
	if (rc == -1) {
		FZ_CHECK(v == 42, "parse_it_int('%s') wrote on failure", s);
		return;
	}
	snprintf(buf, sizeof(buf), "%lld", (long long)v);
	FZ_CHECK(parse_it_int(buf, &w) == 0 && w == v,
	    "'%s' gave %lld, which does not read back", s, (long long)v);
	it_grouped(v, buf, sizeof(buf));
	FZ_CHECK(parse_it_int(buf, &w) == 0 && w == v,
	    "'%s' gave %lld, whose grouped form '%s' does not read back", s,
	    (long long)v, buf);
	FZ_CHECK(parse_it_decimal(s, &x) == 0 && x == (double)v,
	    "integer '%s' (%lld) is not the same decimal", s, (long long)v);
}

static void
check_decimal(const char *s)
{
	double	 x = 42;
	int	 rc;

	rc = parse_it_decimal(s, &x);
	FZ_CHECK(rc == 0 || rc == -1, "rc");
	if (rc == -1) {
		FZ_CHECK(x == 42, "parse_it_decimal('%s') wrote on failure", s);
		return;
	}
	FZ_CHECK(isfinite(x), "'%s' gave %g", s, x);
	FZ_CHECK(x != 0 || !signbit(x), "'%s' gave -0", s);
}

static void
check_dates(const char *s, size_t outlen)
{
	char	*out, *back, *again;
	char	 want[32];
	int	 rc;

	out = out_new(outlen);
	rc = parse_it_date(s, out, outlen);
	out_check(rc, out, outlen, "parse_it_date", s);
	if (rc == 0) {
		FZ_CHECK(strlen(out) == 10, "date '%s' gave '%s'", s, out);
		/* yyyy-mm-dd back to dd/mm/yyyy is the input. */
		snprintf(want, sizeof(want), "%.2s/%.2s/%.4s", out + 8,
		    out + 5, out);
		FZ_CHECK(strcmp(want, s) == 0, "date '%s' gave '%s'", s, out);
	}
	free(out);

	out = out_new(outlen);
	rc = parse_it_datetime(s, out, outlen);
	out_check(rc, out, outlen, "parse_it_datetime", s);
	if (rc == 0) {
		FZ_CHECK(strlen(out) == 19 && out[10] == 'T',
		    "date-time '%s' gave '%s'", s, out);
		back = out_new(20);
		FZ_CHECK(format_it_datetime(out, back, 20) == 0 &&
		    strcmp(back, s) == 0, "date-time '%s' gave '%s', which "
		    "formats back as '%s'", s, out, back);
		free(back);
	}
	free(out);

	out = out_new(outlen);
	rc = format_it_datetime(s, out, outlen);
	out_check(rc, out, outlen, "format_it_datetime", s);
	if (rc == 0) {
		FZ_CHECK(strlen(out) == 19, "'%s' formatted as '%s'", s, out);
		again = out_new(20);
		FZ_CHECK(parse_it_datetime(out, again, 20) == 0,
		    "'%s' formatted as '%s', which does not parse", s, out);
		snprintf(want, sizeof(want), "%s", s);
		want[10] = 'T';
		FZ_CHECK(strcmp(again, want) == 0, "'%s' formatted as '%s', "
		    "which parses as '%s'", s, out, again);
		free(again);
	}
	free(out);
}

static void
check_origin(const char *s, size_t outlen)
{
	char	*out, *again;
	int	 rc;

	out = out_new(outlen);
	rc = url_origin(s, out, outlen);
	FZ_CHECK(rc == 0 || rc == -1, "rc");
	if (rc == 0) {
		FZ_CHECK(memchr(out, '\0', outlen) != NULL, "url_origin('%s')"
		    " not NUL-terminated", s);
		FZ_CHECK(strncmp(out, "http://", 7) == 0 ||
		    strncmp(out, "https://", 8) == 0, "origin '%s'", out);
		FZ_CHECK(strncasecmp(out, s, strlen(out)) == 0,
		    "origin '%s' of '%s' is not its start", out, s);
		again = out_new(outlen);
		FZ_CHECK(url_origin(out, again, outlen) == 0 &&
		    strcmp(again, out) == 0, "origin '%s' of '%s' is not its "
		    "own origin", out, s);
		free(again);
	}
	free(out);
}

/* Does the parser for this column type take s as it is? */
static int
parser_takes(int type, const char *s)
{
	char	 iso[32];
	int64_t	 i;
	double	 x;

	switch (type) {
	case COL_INT:
		return parse_it_int(s, &i) == 0;
	case COL_DECIMAL:
		return parse_it_decimal(s, &x) == 0;
	case COL_DATE:
		return parse_it_date(s, iso, sizeof(iso)) == 0;
	case COL_DATETIME:
		return parse_it_datetime(s, iso, sizeof(iso)) == 0;
	default:
		return 0;
	}
}

/* value_parse() on a cell made of the input, for every column type. */
static void
check_value_parse(const char *s, const char *origin, int checkbox,
    size_t errlen)
{
	struct grid_cell	 cell;
	struct value		 v;
	char			*err;
	int			 rc, type;
	int64_t			 i;
	double			 x;
	char			 iso[32];

	cell.text = (char *)s;
	cell.checkbox = checkbox;
	cell.img_src = (char *)s;
	for (type = COL_TEXT; type <= COL_IMAGE + 1; type++) {
		err = out_new(errlen);
		rc = value_parse(type, &cell, origin, &v, err, errlen);
		FZ_CHECK(rc == 0 || rc == -1, "rc");
		if (errlen > 0)
			FZ_CHECK(memchr(err, '\0', errlen) != NULL,
			    "err not NUL-terminated");
		if (rc == -1) {
			FZ_CHECK(!parser_takes(type, s), "%s: '%s' refused",
			    col_type_name(type), s);
			FZ_CHECK(v.kind == VAL_NULL && v.s == NULL,
			    "a %s failure left a value", col_type_name(type));
			FZ_CHECK(errlen < 2 || err[0] != '\0',
			    "a %s failure without error text",
			    col_type_name(type));
			free(err);
			continue;
		}
		free(err);
		/* An unknown type only gets past a blank cell (NULL). */
		FZ_CHECK(type <= COL_IMAGE || v.kind == VAL_NULL,
		    "unknown type %d accepted", type);
		switch (v.kind) {
		case VAL_NULL:
			FZ_CHECK(type != COL_BOOL, "bool cell is NULL");
			break;
		case VAL_INT:
			FZ_CHECK(type == COL_INT || type == COL_BOOL,
			    "%s gave an int", col_type_name(type));
			if (type == COL_BOOL)
				FZ_CHECK(v.i == (checkbox ? 1 : 0), "bool");
			break;
		case VAL_REAL:
			FZ_CHECK(type == COL_DECIMAL, "%s gave a real",
			    col_type_name(type));
			break;
		case VAL_TEXT:
			FZ_CHECK(type == COL_TEXT || type == COL_DATE ||
			    type == COL_DATETIME || type == COL_IMAGE,
			    "%s gave text", col_type_name(type));
			FZ_CHECK(v.s != NULL, "text value without text");
			break;
		}
		/* A string its parser takes is a cell value_parse() takes. */
		if (type == COL_INT && parse_it_int(s, &i) == 0)
			FZ_CHECK(v.kind == VAL_INT && i == v.i,
			    "int cell '%s'", s);
		if (type == COL_DECIMAL && parse_it_decimal(s, &x) == 0)
			FZ_CHECK(v.kind == VAL_REAL && x == v.r,
			    "decimal cell '%s'", s);
		if (type == COL_DATE && parse_it_date(s, iso, sizeof(iso)) == 0)
			FZ_CHECK(v.kind == VAL_TEXT && strcmp(iso, v.s) == 0,
			    "date cell '%s'", s);
		if (type == COL_DATETIME &&
		    parse_it_datetime(s, iso, sizeof(iso)) == 0)
			FZ_CHECK(v.kind == VAL_TEXT && strcmp(iso, v.s) == 0,
			    "date-time cell '%s'", s);
		if (type == COL_TEXT && v.kind == VAL_TEXT)
			FZ_CHECK(strcmp(v.s, s) == 0, "text cell changed");
		value_clear(&v);
		FZ_CHECK(v.kind == VAL_NULL && v.s == NULL, "value_clear");
	}
	/* No cell at all is NULL. */
	FZ_CHECK(value_parse(COL_INT, NULL, origin, &v, NULL, 0) == 0 &&
	    v.kind == VAL_NULL, "NULL cell");
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char		*s, *origin;
	const char	*o;
	uint32_t	 h;
	size_t		 k, outlen;

	if (n > 4096)
		return 0;
	/* The string, and the origin after its NUL if any. */
	k = strnlen((const char *)d, n);
	s = xstrndup((const char *)d, k);
	origin = k < n ? xstrndup((const char *)d + k + 1, n - k - 1) : NULL;
	o = origin != NULL ? origin : "http://127.0.0.1:8181";

	h = fz_hash(d, n);
	/* Mostly roomy buffers, sometimes exactly too small ones. */
	outlen = h % 4 == 0 ? h / 4 % 24 : 32;

	check_int(s);
	check_decimal(s);
	check_dates(s, outlen);
	check_origin(s, h % 4 == 1 ? h / 4 % 48 : 256);
	check_value_parse(s, o, (int)(h % 3) - 1, h % 5 == 0 ? h / 5 % 8 :
	    256);
	free(s);
	free(origin);
	return 0;
}
