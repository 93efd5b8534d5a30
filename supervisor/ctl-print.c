/*
 * ctl-print.c — erpsyncctl's output: field getters tolerant of missing
 * keys, counts with thousands separators, times, JSON, log lines, the live
 * progress line and a job's result.
 *
 * Strings from the supervisor carry text from the ERP and from peers (job
 * messages, log lines, user ids): every one is made safe for a terminal
 * here, in ctl_str(), ctl_print_log() and ctl_print_json(), so no command
 * prints a control sequence it did not write itself.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "supervisor/ctl.h"

#define PROGRESS_EVERY_MS	500	/* plain lines when not on a tty */

/* An integer field, 0 when missing or not an integer. */
int64_t
ctl_int(const msgpack_object *o, const char *key)
{
	char	 err[PROTO_ERRLEN];
	int64_t	 v;

	if (msg_get_int(o, key, &v, 0, err, sizeof err) == -1)
		return 0;
	return v;
}

/* A boolean field, 0 when missing or not a boolean. */
int
ctl_bool(const msgpack_object *o, const char *key)
{
	const msgpack_object	*v = msg_get(o, key);

	return v != NULL && v->type == MSGPACK_OBJECT_BOOLEAN && v->via.boolean;
}

/*
 * Copy n bytes of s into out (len > 0) for a terminal: C0 controls and
 * DEL become \xNN, C1 controls (U+0080..U+009F) \u00NN, bytes that are not
 * UTF-8 \xNN; the rest of UTF-8 is kept. Truncated at a whole character
 * or escape. A backslash stays as it is. Returns out.
 */
char *
ctl_sanitize(const char *s, size_t n, char *out, size_t len)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i = 0, o = 0, cl;
	uint32_t		 cp;
	char			 esc[8];
	const char		*add;
	size_t			 addlen;

	while (i < n) {
		cl = utf8_char(u + i, n - i, &cp);
		if (cl == 0 || cp < 0x20 || cp == 0x7f) {
			snprintf(esc, sizeof esc, "\\x%02x", u[i]);
			add = esc, addlen = 4, cl = 1;
		} else if (cp >= 0x80 && cp <= 0x9f) {
			snprintf(esc, sizeof esc, "\\u%04x", (unsigned)cp);
			add = esc, addlen = 6;
		} else
			add = s + i, addlen = cl;
		if (o + addlen > len - 1)
			break;
		memcpy(out + o, add, addlen);
		o += addlen;
		i += cl;
	}
	out[o] = '\0';
	return out;
}

/*
 * Append n bytes of JSON text (msgpack_to_json's, whose C0 controls are
 * escaped already) to b with DEL and C1 controls escaped as \u00NN and
 * bytes that are not UTF-8 replaced by \ufffd: still valid JSON, and safe
 * on a terminal. Outside strings JSON text is ASCII, so this only ever
 * rewrites the inside of strings.
 */
void
ctl_json_sanitize(const char *s, size_t n, struct buf *b)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i = 0, cl;
	uint32_t		 cp;

	while (i < n) {
		cl = utf8_char(u + i, n - i, &cp);
		if (cl == 0) {
			buf_adds(b, "\\ufffd");
			cl = 1;
		} else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f))
			buf_addf(b, "\\u%04x", (unsigned)cp);
		else
			buf_add(b, s + i, cl);
		i += cl;
	}
}

/* A string field, made safe for a terminal, into buf; "" when missing. */
const char *
ctl_str(const msgpack_object *o, const char *key, char *buf, size_t len)
{
	const msgpack_object	*v = msg_get(o, key);

	buf[0] = '\0';
	if (v == NULL || v->type != MSGPACK_OBJECT_STR)
		return buf;
	return ctl_sanitize(v->via.str.ptr, v->via.str.size, buf, len);
}

/* A string field as sent (up to a NUL), for formatters that escape. */
static const char *
ctl_str_raw(const msgpack_object *o, const char *key, char *buf, size_t len)
{
	const msgpack_object	*v = msg_get(o, key);
	const char		*nul;
	size_t			 n;

	buf[0] = '\0';
	if (v == NULL || v->type != MSGPACK_OBJECT_STR)
		return buf;
	n = v->via.str.size < len - 1 ? v->via.str.size : len - 1;
	if ((nul = memchr(v->via.str.ptr, '\0', n)) != NULL)
		n = (size_t)(nul - v->via.str.ptr);
	memcpy(buf, v->via.str.ptr, n);
	buf[n] = '\0';
	return buf;
}

/* 1234567 -> "1,234,567". */
char *
ctl_count(int64_t n, char *out, size_t len)
{
	char	 digits[32], tmp[48];
	size_t	 nd, i, o = 0;
	int	 neg = n < 0;

	snprintf(digits, sizeof digits, "%lld", (long long)(neg ? -n : n));
	nd = strlen(digits);
	if (neg)
		tmp[o++] = '-';
	for (i = 0; i < nd; i++) {
		if (i > 0 && (nd - i) % 3 == 0)
			tmp[o++] = ',';
		tmp[o++] = digits[i];
	}
	tmp[o] = '\0';
	snprintf(out, len, "%s", tmp);
	return out;
}

/* A ms timestamp as local "YYYY-MM-DD HH:MM:SS", or "-" for 0. */
char *
ctl_time(int64_t ms, char *out, size_t len)
{
	struct tm	 tm;
	time_t		 t = (time_t)(ms / 1000);

	if (ms == 0) {
		snprintf(out, len, "-");
		return out;
	}
	localtime_r(&t, &tm);
	strftime(out, len, "%Y-%m-%d %H:%M:%S", &tm);
	return out;
}

/* How long ago ms was, as "3h20m ago", "in 5m", or "never" for 0. */
char *
ctl_ago(int64_t ms, int64_t now, char *out, size_t len)
{
	char	 d[32];

	if (ms <= 0)
		snprintf(out, len, "never");
	else if (ms <= now)
		snprintf(out, len, "%s ago", duration_format((now - ms) / 1000,
		    d, sizeof d));
	else
		snprintf(out, len, "in %s", duration_format((ms - now + 999) /
		    1000, d, sizeof d));
	return out;
}

/*
 * One line about a hold: id, scope, who, state, jobs paused, time left (a
 * hold without a TTL, ttl_left_s -1, is `hold -- CMD`'s or another kept by
 * its connection).
 */
void
ctl_print_hold(const msgpack_object *h)
{
	char	 user[USER_ID_MAX + 1], state[16], reason[160], d[32];
	char	 left[64];
	int64_t	 ttl = ctl_int(h, "ttl_left_s");

	if (ttl < 0)
		snprintf(left, sizeof left, "until its command ends or its "
		    "connection closes");
	else
		snprintf(left, sizeof left, "%s left", duration_format(ttl, d,
		    sizeof d));
	printf("hold %lld on %s by pid %lld: %s, %lld of %lld jobs paused, "
	    "%s%s%s%s\n", (long long)ctl_int(h, "id"),
	    ctl_str(h, "user", user, sizeof user), (long long)ctl_int(h, "pid"),
	    ctl_str(h, "state", state, sizeof state),
	    (long long)ctl_int(h, "paused"), (long long)ctl_int(h, "jobs"),
	    left, ctl_bool(h, "detached") ? ", detached" : "",
	    ctl_str(h, "reason", reason, sizeof reason)[0] != '\0' ?
	    ": " : "", reason);
}

/* Print an object as one JSON line on stdout. */
void
ctl_print_json(const msgpack_object *o)
{
	struct buf	 b, safe;

	buf_init(&b);
	buf_init(&safe);
	msgpack_to_json(&b, o);
	ctl_json_sanitize(b.data, b.len, &safe);
	buf_addc(&safe, '\n');
	fwrite(safe.data, 1, safe.len, stdout);
	fflush(stdout);
	buf_free(&b);
	buf_free(&safe);
}

/* An answer: as JSON with --json, else as text prints it. */
void
ctl_answer(const struct ctl *c, const msgpack_object *d,
    void (*text)(const msgpack_object *))
{
	if (c->json)
		ctl_print_json(d);
	else
		text(d);
}

/* An answer: as JSON with --json, else the line fmt makes of it. */
void
ctl_answerf(const struct ctl *c, const msgpack_object *d, const char *fmt,
    ...)
{
	va_list	 ap;

	if (c->json) {
		ctl_print_json(d);
		return;
	}
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

static void	 ctl_print_level(const char *, const char *);

/* Print a pushed log frame: logfmt line, or JSON. */
void
ctl_print_log(struct ctl *c, const msgpack_object *o)
{
	struct log_event	 ev;
	enum log_level		 level = LOG_INFO;
	char			 lv[16], proc[16], user[USER_ID_MAX + 1];
	char			 kind[16], msg[2048], line[4096];
	char			 safe[4 * sizeof line];

	if (c->json) {
		ctl_print_json(o);
		return;
	}
	(void)log_level_parse(ctl_str(o, "level", lv, sizeof lv), &level);
	ev.ts_ms = ctl_int(o, "ts_ms");
	ev.level = level;
	/* logfmt quotes and escapes C0 itself; the line is sanitized after. */
	ev.proc = ctl_str_raw(o, "proc", proc, sizeof proc);
	ev.job = ctl_int(o, "job");
	ev.user = ctl_str_raw(o, "user", user, sizeof user);
	ev.kind = ctl_str_raw(o, "kind", kind, sizeof kind);
	ev.msg = ctl_str_raw(o, "msg", msg, sizeof msg);
	log_event_format(&ev, LOG_LOGFMT, line, sizeof line);
	ctl_sanitize(line, strlen(line), safe, sizeof safe);
	ctl_print_level(c->colour ? ctl_level_sgr(lv) : NULL, safe);
}

/* A log line on stdout, its level=... field in colour sgr (or none). */
static void
ctl_print_level(const char *sgr, const char *line)
{
	struct buf	 b;
	const char	*p = strstr(line, " level=");
	size_t		 n;

	buf_init(&b);
	if (sgr == NULL || p == NULL)
		buf_adds(&b, line);
	else {
		p++;
		n = strcspn(p, " ");
		buf_add(&b, line, (size_t)(p - line));
		ctl_paint(&b, sgr, p, n);
		buf_adds(&b, p + n);
	}
	buf_addc(&b, '\n');
	fwrite(b.data, 1, b.len, stdout);
	fflush(stdout);
	buf_free(&b);
}

/*
 * Text the daemon wrote, line by line (such as the metrics), each made
 * safe for a terminal: one field of it may come from a peer.
 */
void
ctl_print_lines(const char *s, size_t n)
{
	char		 safe[4 * 1024 + 1];
	const char	*nl;
	size_t		 len;

	while (n > 0) {
		nl = memchr(s, '\n', n);
		len = nl != NULL ? (size_t)(nl - s) : n;
		/* Long lines go out in pieces: never cut inside an escape. */
		do {
			size_t	 piece = len > 1024 ? 1024 : len;

			fputs(ctl_sanitize(s, piece, safe, sizeof safe),
			    stdout);
			s += piece, n -= piece, len -= piece;
		} while (len > 0);
		if (nl != NULL) {
			fputc('\n', stdout);
			s++, n--;
		}
	}
	fflush(stdout);
}

/* Show a progress frame: one updating line on a tty, else a few lines. */
void
ctl_print_progress(struct ctl *c, const msgpack_object *o)
{
	char	 kind[16], user[USER_ID_MAX + 1], line[256];
	char	 seen[32], total[32], ins[32], upd[32], unch[32];
	int64_t	 now = mono_ms(), page, pages;

	if (c->json) {
		ctl_print_json(o);
		return;
	}
	page = ctl_int(o, "page");
	pages = ctl_int(o, "pages");
	if (!c->tty && page != pages &&
	    now - c->last_progress_ms < PROGRESS_EVERY_MS)
		return;
	c->last_progress_ms = now;
	snprintf(line, sizeof line, "%s %s: page %lld/%lld  %s/%s rows  "
	    "(+%s ~%s =%s)", ctl_str(o, "kind", kind, sizeof kind),
	    ctl_str(o, "user", user, sizeof user), (long long)page,
	    (long long)pages, ctl_count(ctl_int(o, "seen"), seen, sizeof seen),
	    ctl_count(ctl_int(o, "total"), total, sizeof total),
	    ctl_count(ctl_int(o, "inserted"), ins, sizeof ins),
	    ctl_count(ctl_int(o, "updated"), upd, sizeof upd),
	    ctl_count(ctl_int(o, "unchanged"), unch, sizeof unch));
	if (c->tty) {
		fprintf(stderr, "\r%s\033[K", line);
		c->progress_shown = 1;
	} else
		fprintf(stderr, "%s\n", line);
}

/* End an open progress line. */
void
ctl_progress_end(struct ctl *c)
{
	if (c->progress_shown)
		fputc('\n', stderr);
	c->progress_shown = 0;
}
