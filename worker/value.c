/*
 * value.c — cell values of contract §5: Italian numbers, dates and
 * date-times, checkboxes and image URLs, turned into what the database
 * stores. The parsers are strict (no surrounding blanks, no locale): a
 * value the ERP would never show is refused rather than guessed at.
 * value_parse() is the lenient front: it trims the cell and maps blank
 * cells to NULL before calling them.
 */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "worker/worker.h"

/* Longest normalized number handed to strtod; longer is junk. */
#define NUM_MAX		96

/* How much of a bad value an error message quotes. */
#define ERR_QUOTE	"%.80s"

static const char *col_type_names[] = {
	"text", "int", "decimal", "date", "datetime", "bool", "image"
};

/* The name of a column type, for logs and errors. */
const char *
col_type_name(enum col_type t)
{
	if ((size_t)t >= nitems(col_type_names))
		return "unknown";
	return col_type_names[t];
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Length of a blank at s: an ASCII space or tab, NBSP (U+00A0) or narrow
 * NBSP (U+202F), the separators the ERP puts around a currency sign.
 */
static size_t
blank_len(const char *s)
{
	const unsigned char	*u = (const unsigned char *)s;

	if (u[0] == ' ' || u[0] == '\t' || u[0] == '\r' || u[0] == '\n')
		return 1;
	if (u[0] == 0xc2 && u[1] == 0xa0)
		return 2;
	if (u[0] == 0xe2 && u[1] == 0x80 && u[2] == 0xaf)
		return 3;
	return 0;
}

/* Length of a blank that ends just before s + end, or 0. */
static size_t
blank_len_before(const char *s, size_t end)
{
	if (end >= 1 && blank_len(s + end - 1) == 1)
		return 1;
	if (end >= 2 && blank_len(s + end - 2) == 2)
		return 2;
	if (end >= 3 && blank_len(s + end - 3) == 3)
		return 3;
	return 0;
}

/*
 * Scan the integer part of an Italian number at s[0..len): either plain
 * digits, or 1-3 digits followed by groups of '.' and exactly 3 digits.
 * Copies the digits (dots dropped) to out, NUL-terminated. Returns how
 * many bytes of s were used, or 0 on a malformed or too long part.
 */
static size_t
scan_grouped(const char *s, size_t len, char *out, size_t outlen)
{
	size_t	 i = 0, n = 0, first;

	while (i < len && is_digit(s[i])) {
		if (n + 1 >= outlen)
			return 0;
		out[n++] = s[i++];
	}
	first = i;
	if (first == 0)
		return 0;
	if (i < len && s[i] == '.') {
		/* Grouped: "1.234", never "1234.567" nor "0.123". */
		if (first > 3 || s[0] == '0')
			return 0;
		while (i < len && s[i] == '.') {
			if (i + 4 > len || !is_digit(s[i + 1]) ||
			    !is_digit(s[i + 2]) || !is_digit(s[i + 3]))
				return 0;
			if (n + 3 >= outlen)
				return 0;
			memcpy(out + n, s + i + 1, 3);
			n += 3;
			i += 4;
		}
		/* A fourth digit after a group means bad grouping. */
		if (i < len && is_digit(s[i]))
			return 0;
	}
	out[n] = '\0';
	return i;
}

/* Parse an Italian integer ("1.234", "-12", "0"): 0, or -1 if not one. */
int
parse_it_int(const char *s, int64_t *out)
{
	char		 digits[NUM_MAX];
	size_t		 len, used;
	uint64_t	 v = 0, limit;
	int		 neg = 0;
	const char	*p;

	len = strlen(s);
	if (len > 0 && s[0] == '-') {
		neg = 1;
		s++;
		len--;
	}
	if ((used = scan_grouped(s, len, digits, sizeof(digits))) == 0 ||
	    used != len)
		return -1;
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (p = digits; *p != '\0'; p++) {
		if (v > (limit - (uint64_t)(*p - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (neg)
		*out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	else
		*out = (int64_t)v;
	return 0;
}

/*
 * Parse an Italian decimal: "1.234,56", "-12,5", "234,59 €", "€ 234,59".
 * The digits are rewritten as a C-locale number and read with strtod_l in
 * the C locale, so the result is the double nearest to the decimal
 * whatever the process locale. 0 on success, -1 if not one.
 */
int
parse_it_decimal(const char *s, double *out)
{
	static const char	 euro[] = "\xe2\x82\xac";
	char			 num[NUM_MAX + 8], digits[NUM_MAX];
	size_t			 start = 0, end, used, n = 0, k;
	locale_t		 c;
	char			*ep;
	double			 d;
	int			 saved;

	end = strlen(s);
	if (end >= 3 && memcmp(s, euro, 3) == 0) {
		start = 3;
		while ((k = blank_len(s + start)) > 0)
			start += k;
	} else if (end >= 3 && memcmp(s + end - 3, euro, 3) == 0) {
		end -= 3;
		while ((k = blank_len_before(s, end)) > 0)
			end -= k;
	}
	if (start < end && s[start] == '-') {
		num[n++] = '-';
		start++;
	}
	if ((used = scan_grouped(s + start, end - start, digits,
	    sizeof(digits))) == 0)
		return -1;
	memcpy(num + n, digits, strlen(digits));
	n += strlen(digits);
	start += used;
	if (start < end && s[start] == ',') {
		start++;
		num[n++] = '.';
		if (start == end || !is_digit(s[start]))
			return -1;
		while (start < end && is_digit(s[start])) {
			if (n + 1 >= NUM_MAX)
				return -1;
			num[n++] = s[start++];
		}
	}
	if (start != end)
		return -1;
	num[n] = '\0';

	/* Only [-]digits[.digits] reach here: no inf, nan or hex possible. */
	if ((c = newlocale(LC_ALL_MASK, "C", (locale_t)0)) == (locale_t)0)
		fatal("parse_it_decimal: newlocale");
	saved = errno;
	errno = 0;
	d = strtod_l(num, &ep, c);
	if (errno == ERANGE || *ep != '\0') {
		freelocale(c);
		errno = saved;
		return -1;
	}
	freelocale(c);
	errno = saved;
	*out = d == 0 ? 0.0 : d;	/* no -0 in the database */
	return 0;
}

/* Read exactly n digits at s as a number, or -1. */
static int
fixed_digits(const char *s, size_t n)
{
	int	 v = 0;
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int
days_in_month(int y, int m)
{
	static const int	 mdays[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return mdays[m - 1];
}

static int
valid_date(int y, int m, int d)
{
	return y >= 1 && m >= 1 && m <= 12 && d >= 1 &&
	    d <= days_in_month(y, m);
}

static int
valid_time(int hh, int mm, int ss)
{
	return hh >= 0 && hh <= 23 && mm >= 0 && mm <= 59 && ss >= 0 &&
	    ss <= 59;
}

/*
 * Read "aa?bb?c" at s, where ? is sep: two fields of 2 digits and one of w
 * digits (exactly 6 + w bytes used). 0, or -1 when one is not all digits.
 */
static int
scan_fields(const char *s, int sep, size_t w, int *a, int *b, int *c)
{
	if (s[0] == '\0' || s[1] == '\0' || s[2] != sep ||
	    s[3] == '\0' || s[4] == '\0' || s[5] != sep)
		return -1;
	*a = fixed_digits(s, 2);
	*b = fixed_digits(s + 3, 2);
	*c = fixed_digits(s + 6, w);
	return *a < 0 || *b < 0 || *c < 0 ? -1 : 0;
}

/* Read "dd/mm/yyyy" at s (exactly 10 bytes used). */
static int
scan_it_date(const char *s, int *y, int *m, int *d)
{
	if (scan_fields(s, '/', 4, d, m, y) == -1 || !valid_date(*y, *m, *d))
		return -1;
	return 0;
}

/* Read "HH:MM:SS" at s (exactly 8 bytes used). */
static int
scan_time(const char *s, int *hh, int *mm, int *ss)
{
	if (scan_fields(s, ':', 2, hh, mm, ss) == -1 ||
	    !valid_time(*hh, *mm, *ss))
		return -1;
	return 0;
}

/*
 * The 10 bytes of "yyyy-mm-dd" from a checked "dd/mm/yyyy": the same
 * digits in another order, so they are copied, not printed.
 */
static void
iso_date(const char *it, char *out)
{
	memcpy(out, it + 6, 4);
	out[4] = '-';
	memcpy(out + 5, it + 3, 2);
	out[7] = '-';
	memcpy(out + 8, it, 2);
}

/* "dd/mm/yyyy" to "yyyy-mm-dd" (outlen >= 11): 0, or -1 if not a date. */
int
parse_it_date(const char *s, char *out, size_t outlen)
{
	int	 y, m, d;

	if (strlen(s) != 10 || scan_it_date(s, &y, &m, &d) == -1)
		return -1;
	if (outlen < 11)
		return -1;
	iso_date(s, out);
	out[10] = '\0';
	return 0;
}

/*
 * "dd/mm/yyyy HH:MM:SS" to "yyyy-mm-ddTHH:MM:SS" (outlen >= 20); ERP local
 * time is kept as is. 0 on success, -1 if not a date-time.
 */
int
parse_it_datetime(const char *s, char *out, size_t outlen)
{
	int	 y, m, d, hh, mm, ss;

	if (strlen(s) != 19 || scan_it_date(s, &y, &m, &d) == -1 ||
	    s[10] != ' ' || scan_time(s + 11, &hh, &mm, &ss) == -1)
		return -1;
	if (outlen < 20)
		return -1;
	iso_date(s, out);
	out[10] = 'T';
	memcpy(out + 11, s + 11, 8);
	out[19] = '\0';
	return 0;
}

/*
 * "yyyy-mm-ddTHH:MM:SS" (or with a space for the T) into tm (year, month,
 * day, hours, minutes, seconds; the rest zero): 0, or -1 if it is not
 * one (30 February is not).
 */
int
iso_datetime_scan(const char *iso, struct tm *tm)
{
	int	 y, m, d, hh, mm, ss;

	if (strlen(iso) != 19 || iso[4] != '-' || iso[7] != '-' ||
	    (iso[10] != 'T' && iso[10] != ' '))
		return -1;
	y = fixed_digits(iso, 4);
	m = fixed_digits(iso + 5, 2);
	d = fixed_digits(iso + 8, 2);
	if (y < 0 || m < 0 || d < 0 || !valid_date(y, m, d) ||
	    scan_time(iso + 11, &hh, &mm, &ss) == -1)
		return -1;
	memset(tm, 0, sizeof *tm);
	tm->tm_year = y - 1900;
	tm->tm_mon = m - 1;
	tm->tm_mday = d;
	tm->tm_hour = hh;
	tm->tm_min = mm;
	tm->tm_sec = ss;
	return 0;
}

/*
 * "yyyy-mm-ddTHH:MM:SS" (or with a space for the T) back to the ERP's
 * "dd/mm/yyyy HH:MM:SS", for COLFILTER values (outlen >= 20).
 */
int
format_it_datetime(const char *iso, char *out, size_t outlen)
{
	struct tm	 tm;

	if (iso_datetime_scan(iso, &tm) == -1 || outlen < 20)
		return -1;
	/* Not strftime: its %Y writes the year 998 as "998". */
	snprintf(out, outlen, "%02d/%02d/%04d %02d:%02d:%02d", tm.tm_mday,
	    tm.tm_mon + 1, tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
	    tm.tm_sec);
	return 0;
}

/*
 * The origin of an http(s) URL: "http://127.0.0.1:8181/Archibald" gives
 * "http://127.0.0.1:8181", as libcurl's URL parser reads it. The scheme
 * is lowercased; user info is refused, and so is a URL that does not
 * start with its origin: libcurl reads "http:///x" and "http:/x" as host
 * x, which is not what anyone who wrote them meant.
 */
int
url_origin(const char *url, char *out, size_t outlen)
{
	CURLU	*u;
	char	*scheme = NULL, *host = NULL, *port = NULL, *user = NULL;
	int	 rc = -1;

	if ((u = curl_url()) == NULL)
		return -1;
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
		goto out;
	if ((strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) ||
	    curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK)
		goto out;
	if (curl_url_get(u, CURLUPART_PORT, &port, 0) != CURLUE_OK)
		port = NULL;	/* none given */
	if ((size_t)snprintf(out, outlen, "%s://%s%s%s", scheme, host,
	    port != NULL ? ":" : "", port != NULL ? port : "") < outlen &&
	    strncasecmp(url, out, strlen(out)) == 0)
		rc = 0;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(user);
	curl_url_cleanup(u);
	return rc;
}

/*
 * Trim blanks (ASCII whitespace, NBSP) at both ends: into buf (size
 * bufsize) when it fits, as nearly every cell does, else into a new string
 * left in *heap for the caller to free. No malloc per cell.
 */
static char *
trim_blanks(const char *s, char *buf, size_t bufsize, char **heap)
{
	size_t	 start = 0, end = strlen(s), k;
	char	*t;

	while ((k = blank_len(s + start)) > 0)
		start += k;
	while (end > start && (k = blank_len_before(s, end)) > 0)
		end -= k;
	*heap = NULL;
	if (end - start < bufsize) {
		memcpy(buf, s + start, end - start);
		buf[end - start] = '\0';
		return buf;
	}
	t = *heap = xstrndup(s + start, end - start);
	return t;
}

/* Does src start with a URL scheme ("http:", "data:")? */
static int
has_scheme(const char *src)
{
	const char	*p = src;

	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		return 0;
	for (p++; *p != '\0' && *p != ':'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    is_digit(*p) || *p == '+' || *p == '-' || *p == '.'))
			return 0;
	return *p == ':';
}

/*
 * An image cell's src as an absolute http(s) URL: resolved against the
 * origin (contract §5: relative to the base URL's origin) by libcurl's
 * URL parser, which also normalizes it.
 */
static int
value_image(const char *src, const char *origin, struct value *v,
    char *err, size_t errlen)
{
	CURLU	*u = NULL;
	char	*t, *heap, *base = NULL, *abs = NULL, *scheme = NULL;
	char	 trimmed[256];
	int	 rc = -1;

	t = trim_blanks(src, trimmed, sizeof(trimmed), &heap);
	if (*t == '\0') {
		free(heap);
		return 0;
	}
	if ((u = curl_url()) == NULL)
		fatalx("curl_url: out of memory");
	if (origin != NULL && *origin != '\0') {
		xasprintf(&base, "%s/", origin);
		if (curl_url_set(u, CURLUPART_URL, base, 0) != CURLUE_OK) {
			snprintf(err, errlen, "bad base URL '" ERR_QUOTE "'",
			    origin);
			goto out;
		}
	} else if (!has_scheme(t)) {
		snprintf(err, errlen, "relative image source without a base "
		    "URL: '" ERR_QUOTE "'", t);
		goto out;
	}
	if (curl_url_set(u, CURLUPART_URL, t, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) ||
	    curl_url_get(u, CURLUPART_URL, &abs, 0) != CURLUE_OK) {
		snprintf(err, errlen, "image source is not an http(s) URL: '"
		    ERR_QUOTE "'", t);
		goto out;
	}
	v->s = xstrdup(abs);
	v->kind = VAL_TEXT;
	rc = 0;
out:
	curl_free(abs);
	curl_free(scheme);
	curl_url_cleanup(u);
	free(base);
	free(heap);
	return rc;
}

/*
 * Turn a normalized grid cell into a stored value of the given type.
 * origin ("http://host:port") resolves relative image sources. out is
 * overwritten (not freed); on failure it is NULL and err says which value
 * did not parse. Returns 0 or -1.
 */
int
value_parse(enum col_type type, const struct grid_cell *cell,
    const char *origin, struct value *out, char *err, size_t errlen)
{
	char		 iso[32], dummy[1], trimmed[256];
	char		*t, *heap;
	const char	*bad = NULL;	/* what t is not */
	int		 rc = 0;

	memset(out, 0, sizeof(*out));
	out->kind = VAL_NULL;
	if (err == NULL || errlen == 0) {
		err = dummy;
		errlen = sizeof(dummy);
	}
	err[0] = '\0';
	if (cell == NULL)
		return 0;

	if (type == COL_BOOL) {
		if (cell->checkbox == -1) {
			snprintf(err, errlen, "no checkbox in a bool cell: '"
			    ERR_QUOTE "'",
			    cell->text != NULL ? cell->text : "");
			return -1;
		}
		out->kind = VAL_INT;
		out->i = cell->checkbox ? 1 : 0;
		return 0;
	}
	if (type == COL_IMAGE) {
		if (cell->img_src == NULL)
			return 0;
		return value_image(cell->img_src, origin, out, err, errlen);
	}

	t = trim_blanks(cell->text != NULL ? cell->text : "", trimmed,
	    sizeof(trimmed), &heap);
	if (*t == '\0') {
		free(heap);
		return 0;
	}
	switch (type) {
	case COL_TEXT:
		/* Keep the text as shown; only an all-blank cell is NULL. */
		free(heap);
		out->s = xstrdup(cell->text);
		out->kind = VAL_TEXT;
		return 0;
	case COL_INT:
		if (parse_it_int(t, &out->i) == -1)
			bad = "an Italian integer";
		else
			out->kind = VAL_INT;
		break;
	case COL_DECIMAL:
		if (parse_it_decimal(t, &out->r) == -1)
			bad = "an Italian number";
		else
			out->kind = VAL_REAL;
		break;
	case COL_DATE:
	case COL_DATETIME:
		if ((type == COL_DATE ? parse_it_date(t, iso, sizeof(iso)) :
		    parse_it_datetime(t, iso, sizeof(iso))) == -1)
			bad = type == COL_DATE ? "a dd/mm/yyyy date" :
			    "a dd/mm/yyyy HH:MM:SS date-time";
		else {
			out->s = xstrdup(iso);
			out->kind = VAL_TEXT;
		}
		break;
	default:
		snprintf(err, errlen, "unknown column type %d", (int)type);
		rc = -1;
		break;
	}
	if (bad != NULL) {
		snprintf(err, errlen, "not %s: '" ERR_QUOTE "'", bad, t);
		rc = -1;
	}
	free(heap);
	return rc;
}

/* Free a value's text and make it NULL again. */
void
value_clear(struct value *v)
{
	free(v->s);
	memset(v, 0, sizeof(*v));
	v->kind = VAL_NULL;
}
