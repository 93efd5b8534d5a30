/*
 * ctl-print.c — erpsyncctl's output: field getters tolerant of missing
 * keys, counts with thousands separators, times, JSON, log lines, the live
 * progress line and a job's result.
 */
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

/* A string field copied (truncated) into buf; "" when missing. */
const char *
ctl_str(const msgpack_object *o, const char *key, char *buf, size_t len)
{
	const msgpack_object	*v = msg_get(o, key);
	size_t			 n;

	buf[0] = '\0';
	if (v == NULL || v->type != MSGPACK_OBJECT_STR)
		return buf;
	n = v->via.str.size < len - 1 ? v->via.str.size : len - 1;
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

/* One line about a hold: id, scope, who, state, jobs paused, time left. */
void
ctl_print_hold(const msgpack_object *h)
{
	char	 user[USER_ID_MAX + 1], state[16], reason[160], d[32];

	printf("hold %lld on %s by pid %lld: %s, %lld of %lld jobs paused, "
	    "%s left%s%s%s\n", (long long)ctl_int(h, "id"),
	    ctl_str(h, "user", user, sizeof user), (long long)ctl_int(h, "pid"),
	    ctl_str(h, "state", state, sizeof state),
	    (long long)ctl_int(h, "paused"), (long long)ctl_int(h, "jobs"),
	    duration_format(ctl_int(h, "ttl_left_s"), d, sizeof d),
	    ctl_bool(h, "detached") ? ", detached" : "",
	    ctl_str(h, "reason", reason, sizeof reason)[0] != '\0' ?
	    ": " : "", reason);
}

/* Print an object as one JSON line on stdout. */
void
ctl_print_json(const msgpack_object *o)
{
	struct buf	 b;

	buf_init(&b);
	msgpack_to_json(&b, o);
	buf_addc(&b, '\n');
	fwrite(b.data, 1, b.len, stdout);
	fflush(stdout);
	buf_free(&b);
}

/* Print a pushed log frame: logfmt line, or JSON. */
void
ctl_print_log(struct ctl *c, const msgpack_object *o)
{
	struct log_event	 ev;
	enum log_level		 level = LOG_INFO;
	char			 lv[16], proc[16], user[USER_ID_MAX + 1];
	char			 kind[16], msg[2048], line[4096];

	if (c->json) {
		ctl_print_json(o);
		return;
	}
	(void)log_level_parse(ctl_str(o, "level", lv, sizeof lv), &level);
	ev.ts_ms = ctl_int(o, "ts_ms");
	ev.level = level;
	ev.proc = ctl_str(o, "proc", proc, sizeof proc);
	ev.job = ctl_int(o, "job");
	ev.user = ctl_str(o, "user", user, sizeof user);
	ev.kind = ctl_str(o, "kind", kind, sizeof kind);
	ev.msg = ctl_str(o, "msg", msg, sizeof msg);
	log_event_format(&ev, LOG_LOGFMT, line, sizeof line);
	printf("%s\n", line);
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

/* One line about an ended (or current) job. */
void
ctl_print_result(const msgpack_object *j)
{
	char	 kind[16], user[USER_ID_MAX + 1], state[16], class[16];
	char	 msg[1024], d[32], rows[32], ins[32], upd[32], unch[32];
	char	 del[32];
	int64_t	 started = ctl_int(j, "started_at");
	int64_t	 finished = ctl_int(j, "finished_at");

	ctl_str(j, "state", state, sizeof state);
	ctl_str(j, "error_class", class, sizeof class);
	ctl_str(j, "message", msg, sizeof msg);
	duration_format(started != 0 && finished >= started ?
	    (finished - started + 500) / 1000 : 0, d, sizeof d);
	printf("job %lld %s %s: %s", (long long)ctl_int(j, "id"),
	    ctl_str(j, "kind", kind, sizeof kind),
	    ctl_str(j, "user", user, sizeof user), state);
	if (started != 0 && finished != 0)
		printf(" in %s", d);
	printf(": %s rows (+%s ~%s =%s, %s deleted)",
	    ctl_count(ctl_int(j, "rows"), rows, sizeof rows),
	    ctl_count(ctl_int(j, "inserted"), ins, sizeof ins),
	    ctl_count(ctl_int(j, "updated"), upd, sizeof upd),
	    ctl_count(ctl_int(j, "unchanged"), unch, sizeof unch),
	    ctl_count(ctl_int(j, "deleted"), del, sizeof del));
	if (class[0] != '\0')
		printf("; error %s: %s", class, msg);
	else if (msg[0] != '\0')
		printf("; %s", msg);
	printf("\n");
	fflush(stdout);
}
