/*
 * log.c — one structured line per event on stderr (logfmt or JSON), and an
 * optional sink (the supervisor's ring buffer, the worker's channel).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/common.h"

static struct {
	const char	*proc;
	enum log_format	 format;
	enum log_level	 level;
	log_sink_fn	 sink;
	void		*sink_arg;
	int64_t		 job;
	char		 user[USER_ID_MAX + 1];
	char		 kind[16];
} lg = { "erpsync", LOG_LOGFMT, LOG_INFO, NULL, NULL, 0, "", "" };

static const char *level_names[] = { "error", "warn", "info", "debug" };

/* Set the process name, output format and level. */
void
log_init(const char *proc, enum log_format format, enum log_level level)
{
	lg.proc = proc;
	lg.format = format;
	lg.level = level;
}

/* Change the level at run time (reload, -v). */
void
log_set_level(enum log_level level)
{
	lg.level = level;
}

/* The current level. */
enum log_level
log_get_level(void)
{
	return lg.level;
}

/* Change the output format. */
void
log_set_format(enum log_format format)
{
	lg.format = format;
}

/* Send every event to fn as well; fn's return decides whether it is printed. */
void
log_set_sink(log_sink_fn fn, void *arg)
{
	lg.sink = fn;
	lg.sink_arg = arg;
}

/* Fields added to events that do not name their own (the worker's job). */
void
log_set_context(int64_t job, const char *user, const char *kind)
{
	lg.job = job;
	snprintf(lg.user, sizeof lg.user, "%s", user ? user : "");
	snprintf(lg.kind, sizeof lg.kind, "%s", kind ? kind : "");
}

/* "error", "warn", "info" or "debug". */
const char *
log_level_name(enum log_level l)
{
	if ((size_t)l >= nitems(level_names))
		return "?";
	return level_names[l];
}

/* Parse a level name; -1 if unknown. */
int
log_level_parse(const char *s, enum log_level *l)
{
	size_t	 i;

	for (i = 0; i < nitems(level_names); i++) {
		if (strcmp(s, level_names[i]) == 0) {
			*l = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

/* Parse "logfmt" or "json"; -1 if unknown. */
int
log_format_parse(const char *s, enum log_format *f)
{
	if (strcmp(s, "logfmt") == 0)
		*f = LOG_LOGFMT;
	else if (strcmp(s, "json") == 0)
		*f = LOG_JSON;
	else
		return -1;
	return 0;
}

struct out {
	char	*p;
	size_t	 len;
	size_t	 off;
};

static void
out_c(struct out *o, char c)
{
	if (o->off + 1 < o->len)
		o->p[o->off] = c;
	o->off++;
}

static void
out_s(struct out *o, const char *s)
{
	while (*s != '\0')
		out_c(o, *s++);
}

/*
 * Quote a value: logfmt quotes only when needed, JSON always; either way
 * escaped as a JSON string (jsonesc.c).
 */
static void
out_value(struct out *o, const char *s, int json)
{
	const unsigned char	*u;
	int			 quote = json;
	size_t			 n = strlen(s);

	if (!json) {
		if (*s == '\0')
			quote = 1;
		for (u = (const unsigned char *)s; *u != '\0'; u++)
			if (*u <= ' ' || *u == '"' || *u == '=' || *u == '\\')
				quote = 1;
	}
	if (quote)
		out_c(o, '"');
	/* As out_c would: bytes past the end are counted, not written. */
	if (o->off < o->len)
		o->off += json_escape(o->p + o->off, o->len - o->off, s, n);
	else
		o->off += json_escape(NULL, 0, s, n);
	if (quote)
		out_c(o, '"');
}

static void
out_field(struct out *o, const char *key, const char *val, int json, int first)
{
	if (json) {
		out_s(o, first ? "{\"" : ",\"");
		out_s(o, key);
		out_s(o, "\":");
	} else {
		if (!first)
			out_c(o, ' ');
		out_s(o, key);
		out_c(o, '=');
	}
	out_value(o, val, json);
}

/* Format an event as one line (no newline); returns the length it needs. */
size_t
log_event_format(const struct log_event *ev, enum log_format fmt, char *p,
    size_t len)
{
	struct out	 o = { p, len, 0 };
	char		 ts[40], job[24];
	int		 json = fmt == LOG_JSON;

	iso8601_utc(ev->ts_ms, ts, sizeof ts);
	out_field(&o, "ts", ts, json, 1);
	out_field(&o, "level", log_level_name(ev->level), json, 0);
	out_field(&o, "proc", ev->proc ? ev->proc : "?", json, 0);
	if (ev->job != 0) {
		snprintf(job, sizeof job, "%lld", (long long)ev->job);
		if (json) {
			out_s(&o, ",\"job\":");
			out_s(&o, job);
		} else
			out_field(&o, "job", job, 0, 0);
	}
	if (ev->user != NULL && ev->user[0] != '\0')
		out_field(&o, "user", ev->user, json, 0);
	if (ev->kind != NULL && ev->kind[0] != '\0')
		out_field(&o, "kind", ev->kind, json, 0);
	out_field(&o, "msg", ev->msg, json, 0);
	if (json)
		out_c(&o, '}');
	if (len > 0)
		p[o.off < len ? o.off : len - 1] = '\0';
	return o.off;
}

/* Print an event on stderr as one line. */
void
log_event_print(const struct log_event *ev)
{
	char	 line[8192];
	size_t	 n;

	n = log_event_format(ev, lg.format, line, sizeof line - 1);
	if (n > sizeof line - 2)
		n = sizeof line - 2;
	line[n] = '\n';
	(void)write_all(STDERR_FILENO, line, n + 1);
}

/* Emit a prepared event (relayed from another process): level, sink, print. */
void
log_event_emit(const struct log_event *ev)
{
	if (ev->level > lg.level)
		return;
	if (lg.sink == NULL || lg.sink(ev, lg.sink_arg))
		log_event_print(ev);
}

static void
vlog(enum log_level level, int64_t job, const char *user, const char *kind,
    const char *fmt, va_list ap, const char *suffix)
{
	struct log_event	 ev;
	char			 msg[4096];
	int			 saved = errno;

	if (level > lg.level)
		return;
	vsnprintf(msg, sizeof msg, fmt, ap);
	if (suffix != NULL) {
		size_t n = strlen(msg);
		snprintf(msg + n, sizeof msg - n, ": %s", suffix);
	}
	ev.ts_ms = now_ms();
	ev.level = level;
	ev.proc = lg.proc;
	ev.job = job;
	ev.user = user;
	ev.kind = kind;
	ev.msg = msg;
	if (lg.sink == NULL || lg.sink(&ev, lg.sink_arg))
		log_event_print(&ev);
	errno = saved;
}

#define CTX lg.job, lg.user, lg.kind

/* Log with explicit job, user and kind fields. */
void
log_emit(enum log_level level, int64_t job, const char *user,
    const char *kind, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(level, job, user, kind, fmt, ap, NULL);
	va_end(ap);
}

/* A warning with strerror(errno) appended; errno is kept. */
void
log_warn(const char *fmt, ...)
{
	va_list	 ap;
	char	 err[256];
	int	 saved = errno;

	snprintf(err, sizeof err, "%s", strerror(saved));
	va_start(ap, fmt);
	vlog(LOG_WARN, CTX, fmt, ap, err);
	va_end(ap);
	errno = saved;
}

/* A warning. */
void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_WARN, CTX, fmt, ap, NULL);
	va_end(ap);
}

/* An informational event. */
void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, CTX, fmt, ap, NULL);
	va_end(ap);
}

/* A debugging event (shown with -v or log_level = debug). */
void
log_debug(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_DEBUG, CTX, fmt, ap, NULL);
	va_end(ap);
}

/* Log an error with strerror(errno) and exit 1. */
void
fatal(const char *fmt, ...)
{
	va_list	 ap;
	char	 err[256];

	snprintf(err, sizeof err, "%s", strerror(errno));
	va_start(ap, fmt);
	vlog(LOG_ERROR, CTX, fmt, ap, err);
	va_end(ap);
	exit(1);
}

/* Log an error and exit 1. */
void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_ERROR, CTX, fmt, ap, NULL);
	va_end(ap);
	exit(1);
}
