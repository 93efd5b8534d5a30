/*
 * timeutil.c — clocks, duration strings ("90s", "30m", "2h", "3d") and
 * timestamps for logs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"

/* Clock id's time in microseconds. */
int64_t
clock_us(clockid_t id)
{
	struct timespec	 ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Wall-clock time in milliseconds since the epoch. */
int64_t
now_ms(void)
{
	return clock_us(CLOCK_REALTIME) / 1000;
}

/* Monotonic time in microseconds, for what a job's time went to. */
int64_t
mono_us(void)
{
	return clock_us(CLOCK_MONOTONIC);
}

/* Monotonic time in milliseconds, for intervals and timeouts. */
int64_t
mono_ms(void)
{
	return clock_us(CLOCK_MONOTONIC) / 1000;
}

/*
 * Parse a duration: one or more NUMBER UNIT groups ("90s", "1h30m"), unit
 * one of s m h d; "0" alone is accepted. On error returns -1 and sets errstr.
 */
int
duration_parse(const char *s, int64_t *secs, const char **errstr)
{
	const char	*p = s;
	int64_t		 total = 0, n, mult;
	char		*end;

	if (s == NULL || *s == '\0') {
		*errstr = "empty duration";
		return -1;
	}
	if (strcmp(s, "0") == 0) {
		*secs = 0;
		return 0;
	}
	while (*p != '\0') {
		if (*p < '0' || *p > '9') {
			*errstr = "expected a number such as 90s, 30m, 2h or 3d";
			return -1;
		}
		errno = 0;
		n = strtoll(p, &end, 10);
		if (errno != 0 || n > 100L * 365 * 86400) {
			*errstr = "duration too large";
			return -1;
		}
		switch (*end) {
		case 's': mult = 1; break;
		case 'm': mult = 60; break;
		case 'h': mult = 3600; break;
		case 'd': mult = 86400; break;
		case '\0':
			*errstr = "missing unit (s, m, h or d)";
			return -1;
		default:
			*errstr = "unknown unit (use s, m, h or d)";
			return -1;
		}
		total += n * mult;
		if (total > 100L * 365 * 86400) {
			*errstr = "duration too large";
			return -1;
		}
		p = end + 1;
	}
	*secs = total;
	return 0;
}

/* Format seconds as a short duration ("3d4h", "25m", "0s"). */
char *
duration_format(int64_t secs, char *out, size_t len)
{
	static const struct { int64_t n; char u; } units[] = {
		{ 86400, 'd' }, { 3600, 'h' }, { 60, 'm' }, { 1, 's' }
	};
	size_t	 off = 0, i;
	int	 parts = 0;

	if (len == 0)
		return out;
	out[0] = '\0';
	if (secs < 0) {
		snprintf(out, len, "-");
		off = 1;
		secs = -secs;
	}
	for (i = 0; i < nitems(units) && parts < 2; i++) {
		if (secs >= units[i].n || (i == nitems(units) - 1 && parts == 0)) {
			int w = snprintf(out + off, off < len ? len - off : 0,
			    "%lld%c", (long long)(secs / units[i].n), units[i].u);
			if (w > 0)
				off += (size_t)w;
			secs %= units[i].n;
			parts++;
			if (secs == 0)
				break;
		} else if (parts > 0)
			break;
	}
	return out;
}

/* Format a ms timestamp as 2026-11-25T12:00:00.123Z. */
char *
iso8601_utc(int64_t ms, char *out, size_t len)
{
	struct tm	 tm;
	time_t		 t = (time_t)(ms / 1000);

	gmtime_r(&t, &tm);
	snprintf(out, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (int)(ms % 1000));
	return out;
}
