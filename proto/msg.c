/*
 * msg.c — the message catalogue: names, checked getters, and pack/unpack of
 * every message. Each message is a table of fields; pack and unpack walk the
 * same table, so they cannot drift apart.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "proto/proto.h"

static const char *msg_names[MSG_COUNT] = {
	[MSG_HELLO] = "hello",
	[MSG_ERROR] = "error",
	[MSG_JOB] = "job",
	[MSG_PAUSE] = "pause",
	[MSG_RESUME] = "resume",
	[MSG_STOP] = "stop",
	[MSG_READY] = "ready",
	[MSG_PROGRESS] = "progress",
	[MSG_PAUSED] = "paused",
	[MSG_LOG] = "log",
	[MSG_HEARTBEAT] = "heartbeat",
	[MSG_DONE] = "done",
	[MSG_REQ] = "req",
	[MSG_RESP] = "resp",
	[MSG_SESSION] = "session",
	[MSG_CRED_REQ] = "cred_req",
	[MSG_CRED] = "cred",
};

/* The wire name of a message type. */
const char *
msg_name(enum msg_type t)
{
	if ((unsigned)t >= MSG_COUNT)
		return "unknown";
	return msg_names[t];
}

/* Compare a msgpack string with a C string. */
int
msg_str_eq(const msgpack_object *o, const char *s)
{
	size_t	 n = strlen(s);

	return o->type == MSGPACK_OBJECT_STR && o->via.str.size == n &&
	    memcmp(o->via.str.ptr, s, n) == 0;
}

/* The value under key in a map, or NULL. */
const msgpack_object *
msg_get(const msgpack_object *map, const char *key)
{
	uint32_t	 i;

	if (map == NULL || map->type != MSGPACK_OBJECT_MAP)
		return NULL;
	for (i = 0; i < map->via.map.size; i++)
		if (msg_str_eq(&map->via.map.ptr[i].key, key))
			return &map->via.map.ptr[i].val;
	return NULL;
}

/* The type named by a frame's "t"; -1 with err when missing or unknown. */
int
msg_type_of(const msgpack_object *map, enum msg_type *t, char *err,
    size_t errlen)
{
	const msgpack_object	*o;
	unsigned		 i;

	if (map->type != MSGPACK_OBJECT_MAP) {
		snprintf(err, errlen, "message is not a map");
		return -1;
	}
	if ((o = msg_get(map, "t")) == NULL || o->type != MSGPACK_OBJECT_STR) {
		snprintf(err, errlen, "message has no type (key \"t\")");
		return -1;
	}
	for (i = 0; i < MSG_COUNT; i++) {
		if (msg_str_eq(o, msg_names[i])) {
			*t = (enum msg_type)i;
			return 0;
		}
	}
	snprintf(err, errlen, "unknown message type \"%.*s\"",
	    (int)(o->via.str.size > 32 ? 32 : o->via.str.size), o->via.str.ptr);
	return -1;
}

static int
missing(const char *key, int required, char *err, size_t errlen)
{
	if (!required)
		return 0;
	snprintf(err, errlen, "missing field \"%s\"", key);
	return -1;
}

/* Copy a string field; it must fit and hold no NUL byte. */
int
msg_get_str(const msgpack_object *map, const char *key, char *dst,
    size_t dstlen, int required, char *err, size_t errlen)
{
	const msgpack_object	*o = msg_get(map, key);

	if (o == NULL || o->type == MSGPACK_OBJECT_NIL) {
		if (dstlen > 0)
			dst[0] = '\0';
		return missing(key, required, err, errlen);
	}
	if (o->type != MSGPACK_OBJECT_STR) {
		snprintf(err, errlen, "field \"%s\" is not a string", key);
		return -1;
	}
	if (o->via.str.size >= dstlen) {
		snprintf(err, errlen, "field \"%s\" is too long (%u bytes, max %zu)",
		    key, o->via.str.size, dstlen - 1);
		return -1;
	}
	if (memchr(o->via.str.ptr, '\0', o->via.str.size) != NULL) {
		snprintf(err, errlen, "field \"%s\" holds a NUL byte", key);
		return -1;
	}
	memcpy(dst, o->via.str.ptr, o->via.str.size);
	dst[o->via.str.size] = '\0';
	return 0;
}

/* Read an integer field. */
int
msg_get_int(const msgpack_object *map, const char *key, int64_t *v,
    int required, char *err, size_t errlen)
{
	const msgpack_object	*o = msg_get(map, key);

	if (o == NULL || o->type == MSGPACK_OBJECT_NIL) {
		*v = 0;
		return missing(key, required, err, errlen);
	}
	if (o->type == MSGPACK_OBJECT_POSITIVE_INTEGER) {
		if (o->via.u64 > INT64_MAX) {
			snprintf(err, errlen, "field \"%s\" is out of range", key);
			return -1;
		}
		*v = (int64_t)o->via.u64;
		return 0;
	}
	if (o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER) {
		*v = o->via.i64;
		return 0;
	}
	snprintf(err, errlen, "field \"%s\" is not an integer", key);
	return -1;
}

/*
 * Read an array of exactly n integers (absent and not required: zeros).
 */
int
msg_get_ints(const msgpack_object *map, const char *key, int64_t *v,
    size_t n, int required, char *err, size_t errlen)
{
	const msgpack_object	*o = msg_get(map, key), *e;
	size_t			 i;

	memset(v, 0, n * sizeof *v);
	if (o == NULL || o->type == MSGPACK_OBJECT_NIL)
		return missing(key, required, err, errlen);
	if (o->type != MSGPACK_OBJECT_ARRAY || o->via.array.size != n) {
		snprintf(err, errlen, "field \"%s\" is not an array of %zu "
		    "integers", key, n);
		return -1;
	}
	for (i = 0; i < n; i++) {
		e = &o->via.array.ptr[i];
		if (e->type == MSGPACK_OBJECT_POSITIVE_INTEGER &&
		    e->via.u64 <= INT64_MAX)
			v[i] = (int64_t)e->via.u64;
		else if (e->type == MSGPACK_OBJECT_NEGATIVE_INTEGER)
			v[i] = e->via.i64;
		else {
			snprintf(err, errlen, "field \"%s\" item %zu is not an "
			    "integer", key, i);
			return -1;
		}
	}
	return 0;
}

/* Read a boolean field. */
int
msg_get_bool(const msgpack_object *map, const char *key, int *v,
    int required, char *err, size_t errlen)
{
	const msgpack_object	*o = msg_get(map, key);

	if (o == NULL || o->type == MSGPACK_OBJECT_NIL) {
		*v = 0;
		return missing(key, required, err, errlen);
	}
	if (o->type != MSGPACK_OBJECT_BOOLEAN) {
		snprintf(err, errlen, "field \"%s\" is not a boolean", key);
		return -1;
	}
	*v = o->via.boolean;
	return 0;
}

/* Find a map field. */
int
msg_get_map(const msgpack_object *map, const char *key,
    const msgpack_object **out, int required, char *err, size_t errlen)
{
	const msgpack_object	*o = msg_get(map, key);

	*out = NULL;
	if (o == NULL || o->type == MSGPACK_OBJECT_NIL)
		return missing(key, required, err, errlen);
	if (o->type != MSGPACK_OBJECT_MAP) {
		snprintf(err, errlen, "field \"%s\" is not a map", key);
		return -1;
	}
	*out = o;
	return 0;
}

enum ftype { F_STR, F_INT, F_BOOL, F_INTS };

struct field {
	const char	*key;
	enum ftype	 type;
	size_t		 off;
	size_t		 size;
	int		 required;
};

#define FSTR(s, m, req)  { #m, F_STR, offsetof(s, m), sizeof(((s *)0)->m), req }
#define FINT(s, m, req)  { #m, F_INT, offsetof(s, m), 0, req }
#define FBOOL(s, m, req) { #m, F_BOOL, offsetof(s, m), 0, req }
#define FINTS(s, m, req) { #m, F_INTS, offsetof(s, m), \
			   nitems(((s *)0)->m), req }

static void
pack_fields(struct frame *f, enum msg_type t, const struct field *fl,
    size_t n, const void *msg)
{
	const char	*base = msg;
	size_t		 i, j;

	frame_begin(f, t, n);
	for (i = 0; i < n; i++) {
		const void *p = base + fl[i].off;
		switch (fl[i].type) {
		case F_STR:
			pk_kv_str(&f->pk, fl[i].key, p);
			break;
		case F_INT:
			pk_kv_int(&f->pk, fl[i].key, *(const int64_t *)p);
			break;
		case F_BOOL:
			pk_kv_bool(&f->pk, fl[i].key, *(const int *)p);
			break;
		case F_INTS:
			pk_str(&f->pk, fl[i].key);
			msgpack_pack_array(&f->pk, fl[i].size);
			for (j = 0; j < fl[i].size; j++)
				msgpack_pack_int64(&f->pk,
				    ((const int64_t *)p)[j]);
			break;
		}
	}
}

static int
unpack_fields(const msgpack_object *map, enum msg_type t,
    const struct field *fl, size_t n, void *msg, size_t msgsize,
    char *err, size_t errlen)
{
	char		*base = msg;
	enum msg_type	 got;
	size_t		 i;
	int		 rc = 0;

	memset(msg, 0, msgsize);
	if (msg_type_of(map, &got, err, errlen) == -1)
		return -1;
	if (got != t) {
		snprintf(err, errlen, "expected a %s message, got %s",
		    msg_name(t), msg_name(got));
		return -1;
	}
	for (i = 0; i < n && rc == 0; i++) {
		void *p = base + fl[i].off;
		switch (fl[i].type) {
		case F_STR:
			rc = msg_get_str(map, fl[i].key, p, fl[i].size,
			    fl[i].required, err, errlen);
			break;
		case F_INT:
			rc = msg_get_int(map, fl[i].key, p, fl[i].required,
			    err, errlen);
			break;
		case F_BOOL:
			rc = msg_get_bool(map, fl[i].key, p, fl[i].required,
			    err, errlen);
			break;
		case F_INTS:
			rc = msg_get_ints(map, fl[i].key, p, fl[i].size,
			    fl[i].required, err, errlen);
			break;
		}
	}
	if (rc == -1 && errlen > 0) {
		size_t len = strlen(err);
		snprintf(err + len, errlen - len, " in %s message", msg_name(t));
	}
	return rc;
}

#define MSG_CODEC(name, type, s, table)					\
void									\
msg_##name##_pack(struct frame *f, const s *m)				\
{									\
	pack_fields(f, type, table, nitems(table), m);			\
}									\
int									\
msg_##name##_unpack(const msgpack_object *o, s *m, char *err,		\
    size_t errlen)							\
{									\
	return unpack_fields(o, type, table, nitems(table), m,		\
	    sizeof *m, err, errlen);					\
}

static const struct field hello_fields[] = {
	FINT(struct msg_hello, v, 1),
	FSTR(struct msg_hello, role, 1),
	FINT(struct msg_hello, pid, 1),
};
MSG_CODEC(hello, MSG_HELLO, struct msg_hello, hello_fields)

static const struct field error_fields[] = {
	FSTR(struct msg_error, message, 1),
};
MSG_CODEC(error, MSG_ERROR, struct msg_error, error_fields)

static const struct field job_fields[] = {
	FINT(struct msg_job, id, 1),
	FSTR(struct msg_job, kind, 1),
	FSTR(struct msg_job, mode, 1),
	FSTR(struct msg_job, user, 1),
	FSTR(struct msg_job, erp_user, 1),
	FSTR(struct msg_job, password, 1),
	FSTR(struct msg_job, url, 1),
	FSTR(struct msg_job, db, 1),
	FSTR(struct msg_job, debug_dir, 0),
	FINT(struct msg_job, page_size, 1),
	FINT(struct msg_job, sessions, 0),
	FINT(struct msg_job, request_timeout_ms, 0),
	FINT(struct msg_job, heartbeat_ms, 0),
	FINT(struct msg_job, delta_margin_s, 0),
	FBOOL(struct msg_job, tls_verify, 0),
	FBOOL(struct msg_job, resume, 0),
	FSTR(struct msg_job, log_level, 0),
	FSTR(struct msg_job, ca_file, 0),
	FSTR(struct msg_job, user_agent, 0),
	FSTR(struct msg_job, stale, 0),
};
MSG_CODEC(job, MSG_JOB, struct msg_job, job_fields)

static const struct field progress_fields[] = {
	FINT(struct msg_progress, job, 0),
	FSTR(struct msg_progress, user, 0),
	FSTR(struct msg_progress, kind, 0),
	FINT(struct msg_progress, page, 1),
	FINT(struct msg_progress, pages, 1),
	FINT(struct msg_progress, seen, 1),
	FINT(struct msg_progress, inserted, 1),
	FINT(struct msg_progress, updated, 1),
	FINT(struct msg_progress, unchanged, 1),
	FINT(struct msg_progress, skipped, 1),
	FINT(struct msg_progress, total, 1),
};
MSG_CODEC(progress, MSG_PROGRESS, struct msg_progress, progress_fields)

static const struct field log_fields[] = {
	FINT(struct msg_log, ts_ms, 0),
	FSTR(struct msg_log, level, 1),
	FSTR(struct msg_log, proc, 0),
	FINT(struct msg_log, job, 0),
	FSTR(struct msg_log, user, 0),
	FSTR(struct msg_log, kind, 0),
	FSTR(struct msg_log, msg, 1),
};
MSG_CODEC(log, MSG_LOG, struct msg_log, log_fields)

static const struct field done_fields[] = {
	FSTR(struct msg_done, status, 1),
	FSTR(struct msg_done, error_class, 0),
	FSTR(struct msg_done, message, 0),
	FINT(struct msg_done, pages, 1),
	FINT(struct msg_done, seen, 1),
	FINT(struct msg_done, inserted, 1),
	FINT(struct msg_done, updated, 1),
	FINT(struct msg_done, unchanged, 1),
	FINT(struct msg_done, skipped, 1),
	FINT(struct msg_done, deleted, 1),
	FINT(struct msg_done, total, 1),
	FINT(struct msg_done, fetched, 0),
	FSTR(struct msg_done, watermark, 0),
	FSTR(struct msg_done, sweep, 0),
	FINT(struct msg_done, resumed_from, 0),
	FINT(struct msg_done, requests, 0),
	FINT(struct msg_done, request_retries, 0),
	FINT(struct msg_done, erp_wait_ms, 0),
	FINTS(struct msg_done, request_hist, 0),
	FINT(struct msg_done, wall_ms, 0),
	FINT(struct msg_done, erp_blocked_ms, 0),
	FINT(struct msg_done, parse_ms, 0),
	FINT(struct msg_done, write_ms, 0),
	FINT(struct msg_done, paused_ms, 0),
	FINT(struct msg_done, other_ms, 0),
};

/* Upper bounds (ms) of msg_done.request_hist's buckets but the last. */
const int64_t msg_req_bucket_ms[MSG_REQ_BUCKETS - 1] = {
	25, 50, 100, 250, 500, 1000, 2500, 5000
};
MSG_CODEC(done, MSG_DONE, struct msg_done, done_fields)

static const struct field session_fields[] = {
	FINT(struct msg_session, slot, 1),
	FSTR(struct msg_session, op, 1),
	FSTR(struct msg_session, cookies, 0),
};
MSG_CODEC(session, MSG_SESSION, struct msg_session, session_fields)

static const struct field cred_fields[] = {
	FSTR(struct msg_cred, password, 1),
};
MSG_CODEC(cred, MSG_CRED, struct msg_cred, cred_fields)

/* Pack a message with no body: pause, resume, stop, ready, paused, heartbeat. */
void
msg_empty_pack(struct frame *f, enum msg_type t)
{
	frame_begin(f, t, 0);
}

/* Start a request; the caller packs nargs key/value pairs of args. */
void
msg_req_begin(struct frame *f, int64_t id, const char *cmd, size_t nargs)
{
	frame_begin(f, MSG_REQ, 3);
	pk_kv_int(&f->pk, "id", id);
	pk_kv_str(&f->pk, "cmd", cmd);
	pk_key(&f->pk, "args");
	msgpack_pack_map(&f->pk, nargs);
}

/* Unpack a request; args points into the frame (an empty map is allowed). */
int
msg_req_unpack(const msgpack_object *o, struct msg_req *m, char *err,
    size_t errlen)
{
	enum msg_type	 t;

	memset(m, 0, sizeof *m);
	if (msg_type_of(o, &t, err, errlen) == -1)
		return -1;
	if (t != MSG_REQ) {
		snprintf(err, errlen, "expected a req message, got %s",
		    msg_name(t));
		return -1;
	}
	if (msg_get_int(o, "id", &m->id, 1, err, errlen) == -1 ||
	    msg_get_str(o, "cmd", m->cmd, sizeof m->cmd, 1, err, errlen) == -1 ||
	    msg_get_map(o, "args", &m->args, 0, err, errlen) == -1)
		return -1;
	return 0;
}

/* Start a response; the caller packs exactly one value: the data. */
void
msg_resp_begin(struct frame *f, int64_t id, int ok)
{
	frame_begin(f, MSG_RESP, 3);
	pk_kv_int(&f->pk, "id", id);
	pk_kv_bool(&f->pk, "ok", ok);
	pk_key(&f->pk, "data");
}

/* Pack a whole failed response with a message. */
void
msg_resp_error(struct frame *f, int64_t id, const char *fmt, ...)
{
	char	 msg[1024];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	frame_begin(f, MSG_RESP, 3);
	pk_kv_int(&f->pk, "id", id);
	pk_kv_bool(&f->pk, "ok", 0);
	pk_kv_str(&f->pk, "error", msg);
}
