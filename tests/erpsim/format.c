/*
 * format.c — values between their stored form and how the ERP shows them:
 * Italian numbers ("1.234.567,89"), dates ("dd/mm/yyyy"), and the JSON of
 * /_sim/dump. Calendar arithmetic is done on days, never through time zones.
 */
#include <stdio.h>
#include <string.h>

#include "tests/erpsim/erpsim.h"

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
int64_t
days_from_civil(int y, int m, int d)
{
	int64_t		 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The date of a day number. */
void
civil_from_days(int64_t z, int *yp, int *mp, int *dp)
{
	int64_t		 era, doe, yoe, y, doy, mp0, d, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp0 = (5 * doy + 2) / 153;
	d = doy - (153 * mp0 + 2) / 5 + 1;
	m = mp0 < 10 ? mp0 + 3 : mp0 - 9;
	*yp = (int)(y + (m <= 2));
	*mp = (int)m;
	*dp = (int)d;
}

/* Digits of an unsigned value with "." every three, into out; its length. */
static size_t
group_digits(char *out, uint64_t v)
{
	char	 tmp[32];
	size_t	 n = 0, len = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	for (i = n; i > 0; i--) {
		out[len++] = tmp[i - 1];
		if (i > 1 && (i - 1) % 3 == 0)
			out[len++] = '.';
	}
	out[len] = '\0';
	return len;
}

/* An int as shown: "12.345", "-7". */
size_t
fmt_int(char *out, int64_t v)
{
	size_t	 n = 0;

	if (v < 0) {
		out[n++] = '-';
		return n + group_digits(out + n, (uint64_t)0 - (uint64_t)v);
	}
	return group_digits(out, (uint64_t)v);
}

/*
 * A decimal (hundredths) as shown: "1.234,56", "-12,5", "3". With fixed,
 * always two places ("3,00").
 */
size_t
fmt_dec(char *out, int64_t h, int fixed)
{
	uint64_t	 a;
	size_t		 n = 0;
	int		 frac;

	if (h < 0) {
		out[n++] = '-';
		a = (uint64_t)0 - (uint64_t)h;
	} else
		a = (uint64_t)h;
	n += group_digits(out + n, a / 100);
	frac = (int)(a % 100);
	if (fixed || frac != 0) {
		out[n++] = ',';
		out[n++] = (char)('0' + frac / 10);
		if (fixed || frac % 10 != 0)
			out[n++] = (char)('0' + frac % 10);
	}
	out[n] = '\0';
	return n;
}

/* A date: "dd/mm/yyyy", or "yyyy-mm-dd" when iso. */
size_t
fmt_date(char *out, int64_t days, int iso)
{
	int	 y, m, d;

	civil_from_days(days, &y, &m, &d);
	if (iso)
		return (size_t)snprintf(out, FMT_MAX, "%04d-%02d-%02d", y, m, d);
	return (size_t)snprintf(out, FMT_MAX, "%02d/%02d/%04d", d, m, y);
}

/* A datetime: "dd/mm/yyyy HH:MM:SS", or "yyyy-mm-ddTHH:MM:SS" when iso. */
size_t
fmt_datetime(char *out, int64_t secs, int iso)
{
	int64_t	 days, rem;
	size_t	 n;

	days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
	rem = secs - days * 86400;
	n = fmt_date(out, days, iso);
	n += (size_t)snprintf(out + n, FMT_MAX - n, "%c%02d:%02d:%02d",
	    iso ? 'T' : ' ', (int)(rem / 3600), (int)(rem / 60 % 60),
	    (int)(rem % 60));
	return n;
}

static int
digits(const char *s, int n, int *out)
{
	int	 v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Parse "dd/mm/yyyy HH:MM:SS" strictly into naive seconds; -1 if bad. */
int
parse_it_datetime(const char *s, int64_t *out)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int	 d, m, y, hh, mm, ss, leap;

	if (strlen(s) != 19 || s[2] != '/' || s[5] != '/' || s[10] != ' ' ||
	    s[13] != ':' || s[16] != ':')
		return -1;
	if (digits(s, 2, &d) || digits(s + 3, 2, &m) || digits(s + 6, 4, &y) ||
	    digits(s + 11, 2, &hh) || digits(s + 14, 2, &mm) ||
	    digits(s + 17, 2, &ss))
		return -1;
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1] || y < 1900 ||
	    hh > 23 || mm > 59 || ss > 59)
		return -1;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (m == 2 && d == 29 && !leap)
		return -1;
	*out = days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60 + ss;
	return 0;
}

/* A JSON string literal. */
void
json_str(struct buf *b, const char *s)
{
	const char	*p, *run = s;

	bput(b, '"');
	for (p = s; *p != '\0'; p++) {
		unsigned char	 c = (unsigned char)*p;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_add(b, run, (size_t)(p - run));
		run = p + 1;
		if (c == '"' || c == '\\') {
			bput(b, '\\');
			bput(b, (char)c);
		} else if (c == '\n')
			buf_adds(b, "\\n");
		else if (c == '\t')
			buf_adds(b, "\\t");
		else
			buf_addf(b, "\\u%04x", c);
	}
	buf_add(b, run, (size_t)(p - run));
	bput(b, '"');
}

/* A decimal (hundredths) as a JSON number: 1234.56, -12.5, 3. */
void
json_dec(struct buf *b, int64_t h)
{
	uint64_t	 a;
	int		 frac;

	if (h < 0) {
		bput(b, '-');
		a = (uint64_t)0 - (uint64_t)h;
	} else
		a = (uint64_t)h;
	buf_addf(b, "%llu", (unsigned long long)(a / 100));
	frac = (int)(a % 100);
	if (frac == 0)
		return;
	if (frac % 10 == 0)
		buf_addf(b, ".%d", frac / 10);
	else
		buf_addf(b, ".%02d", frac);
}
