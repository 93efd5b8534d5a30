/*
 * common.h — helpers shared by erpsyncd, erpsync-worker, erpsyncctl and erpsim:
 * logging, allocation, byte buffers, durations, times, user ids, config.
 */
#ifndef COMMON_H
#define COMMON_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define ERPSYNC_VERSION "0.1.0"

#define ATTR_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define ATTR_NORETURN __attribute__((noreturn))
#define nitems(a) (sizeof(a) / sizeof((a)[0]))

/* log.c */
enum log_level { LOG_ERROR = 0, LOG_WARN, LOG_INFO, LOG_DEBUG };
enum log_format { LOG_LOGFMT = 0, LOG_JSON };

/* One structured event, as handed to a sink and printed on stderr. */
struct log_event {
	int64_t		 ts_ms;		/* wall clock, ms since the epoch */
	enum log_level	 level;
	const char	*proc;		/* erpsyncd, worker, erpsim, ... */
	int64_t		 job;		/* 0 when not about a job */
	const char	*user;		/* NULL when not about a user */
	const char	*kind;		/* NULL when not about a kind */
	const char	*msg;
};

/* A sink sees every event at or above the level; returns nonzero to also print it. */
typedef int (*log_sink_fn)(const struct log_event *, void *);

void		 log_init(const char *proc, enum log_format, enum log_level);
void		 log_set_level(enum log_level);
enum log_level	 log_get_level(void);
void		 log_set_format(enum log_format);
void		 log_set_sink(log_sink_fn, void *);
void		 log_set_context(int64_t job, const char *user, const char *kind);
const char	*log_level_name(enum log_level);
int		 log_level_parse(const char *, enum log_level *);
int		 log_format_parse(const char *, enum log_format *);
void		 log_emit(enum log_level, int64_t job, const char *user,
		     const char *kind, const char *fmt, ...) ATTR_PRINTF(5, 6);
void		 log_event_print(const struct log_event *);
void		 log_event_emit(const struct log_event *);
size_t		 log_event_format(const struct log_event *, enum log_format,
		     char *, size_t);
void		 log_warn(const char *, ...) ATTR_PRINTF(1, 2);
void		 log_warnx(const char *, ...) ATTR_PRINTF(1, 2);
void		 log_info(const char *, ...) ATTR_PRINTF(1, 2);
void		 log_debug(const char *, ...) ATTR_PRINTF(1, 2);
void		 fatal(const char *, ...) ATTR_PRINTF(1, 2) ATTR_NORETURN;
void		 fatalx(const char *, ...) ATTR_PRINTF(1, 2) ATTR_NORETURN;

/* xmalloc.c: allocation that aborts on OOM. */
void		*xmalloc(size_t);
void		*xcalloc(size_t, size_t);
void		*xreallocarray(void *, size_t, size_t);
char		*xstrdup(const char *);
char		*xstrndup(const char *, size_t);
int		 xasprintf(char **, const char *, ...) ATTR_PRINTF(2, 3);
int		 xvasprintf(char **, const char *, va_list) ATTR_PRINTF(2, 0);

/* buf.c: a growable byte buffer, always NUL-terminated. */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};
void		 buf_init(struct buf *);
void		 buf_free(struct buf *);
void		 buf_reset(struct buf *);
void		 buf_reserve(struct buf *, size_t);
void		 buf_add(struct buf *, const void *, size_t);
void		 buf_adds(struct buf *, const char *);
void		 buf_addc(struct buf *, char);
void		 buf_addf(struct buf *, const char *, ...) ATTR_PRINTF(2, 3);
void		 buf_consume(struct buf *, size_t);
char		*buf_steal(struct buf *);

/* jsonesc.c: the JSON string escaper. */
size_t		 json_escape(char *, size_t, const char *, size_t);

/* utf8.c: the UTF-8 decoder. */
size_t		 utf8_char(const unsigned char *, size_t, uint32_t *);
void		 buf_add_json(struct buf *, const char *, size_t);

/* timeutil.c */
int64_t		 clock_us(clockid_t);	/* any clock in µs */
int64_t		 now_ms(void);		/* CLOCK_REALTIME in ms */
int64_t		 mono_ms(void);		/* CLOCK_MONOTONIC in ms */
int64_t		 mono_us(void);		/* and in µs */
int		 duration_parse(const char *, int64_t *secs, const char **errstr);
char		*duration_format(int64_t secs, char *, size_t);
char		*iso8601_utc(int64_t ms, char *, size_t);

/* util.c */
#define USER_ID_MAX 64
int		 user_id_valid(const char *);
int		 kind_valid(const char *);
int		 set_nonblock(int);
int		 set_cloexec(int);
int		 write_all(int, const void *, size_t);

#endif /* COMMON_H */
