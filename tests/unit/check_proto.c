/*
 * check_proto.c — unit tests for proto/: framing (frame.c), the message
 * catalogue and its checked getters (msg.c) and the JSON printer (json.c).
 * Round trips go through the real bytes: pack, frame, feed a reader, unpack.
 * Hostile input must give -1 with an error, never a crash or an overread.
 */
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "proto/proto.h"

/* ---------------------------------------------------------------------- */
/* Helpers. */

/* A bare msgpack writer for hand-built (often hostile) payloads. */
struct mp {
	msgpack_sbuffer	 sb;
	msgpack_packer	 pk;
};

static void
mp_init(struct mp *m)
{
	msgpack_sbuffer_init(&m->sb);
	msgpack_packer_init(&m->pk, &m->sb, msgpack_sbuffer_write);
}

static void
mp_free(struct mp *m)
{
	msgpack_sbuffer_destroy(&m->sb);
}

static void
mp_str(struct mp *m, const char *s)
{
	pk_str(&m->pk, s);
}

/* Append a 4-byte big-endian length header. */
static void
put_hdr(struct buf *b, size_t n)
{
	unsigned char	 h[4];

	h[0] = (unsigned char)(n >> 24);
	h[1] = (unsigned char)(n >> 16);
	h[2] = (unsigned char)(n >> 8);
	h[3] = (unsigned char)n;
	buf_add(b, h, sizeof h);
}

/* Feed payload as one frame (header + bytes). */
static void
feed_payload(struct frame_reader *fr, const void *p, size_t n)
{
	struct buf	 b;

	buf_init(&b);
	put_hdr(&b, n);
	buf_add(&b, p, n);
	frame_reader_feed(fr, b.data, b.len);
	buf_free(&b);
}

/* Feed payload as a frame and return its object (must be accepted). */
static const msgpack_object *
read_payload(struct frame_reader *fr, const void *p, size_t n)
{
	const msgpack_object	*o = NULL;
	char			 err[PROTO_ERRLEN] = "";

	feed_payload(fr, p, n);
	ck_assert_msg(frame_reader_next(fr, &o, err, sizeof err) == 1,
	    "frame refused: %s", err);
	ck_assert_ptr_nonnull(o);
	return o;
}

/* Finish f, feed it to fr, free f, return the one object it held. */
static const msgpack_object *
read_frame(struct frame *f, struct frame_reader *fr)
{
	const msgpack_object	*o = NULL, *o2 = NULL;
	char			 err[PROTO_ERRLEN] = "";

	ck_assert_msg(frame_end(f, err, sizeof err) == 0, "frame_end: %s", err);
	frame_reader_feed(fr, f->sb.data, f->sb.size);
	frame_free(f);
	ck_assert_msg(frame_reader_next(fr, &o, err, sizeof err) == 1,
	    "frame refused: %s", err);
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(o->type, MSGPACK_OBJECT_MAP);
	/* Exactly one frame was fed: nothing more to take, o still valid. */
	ck_assert_int_eq(frame_reader_next(fr, &o2, err, sizeof err), 0);
	ck_assert_ptr_null(o2);
	return o;
}

/* Append a finished frame's bytes to b. */
static void
frame_append(struct frame *f, struct buf *b)
{
	char	 err[PROTO_ERRLEN];

	ck_assert_msg(frame_end(f, err, sizeof err) == 0, "frame_end: %s", err);
	buf_add(b, f->sb.data, f->sb.size);
	frame_free(f);
}

/*
 * Feed bytes to a fresh reader and expect the stream to be refused with an
 * error containing needle; then the reader must keep refusing, even a good
 * frame.
 */
static void
expect_reject(const void *p, size_t n, const char *needle)
{
	struct frame_reader	 fr;
	struct frame		 f;
	const msgpack_object	*o = NULL;
	char			 err[PROTO_ERRLEN];

	frame_reader_init(&fr);
	frame_reader_feed(&fr, p, n);
	memset(err, 0, sizeof err);
	ck_assert_int_eq(frame_reader_next(&fr, &o, err, sizeof err), -1);
	ck_assert_ptr_null(o);
	ck_assert_msg(err[0] != '\0', "no error text");
	ck_assert_msg(strstr(err, needle) != NULL,
	    "error \"%s\" lacks \"%s\"", err, needle);

	msg_empty_pack(&f, MSG_HEARTBEAT);
	ck_assert_int_eq(frame_end(&f, err, sizeof err), 0);
	frame_reader_feed(&fr, f.sb.data, f.sb.size);
	frame_free(&f);
	memset(err, 0, sizeof err);
	ck_assert_int_eq(frame_reader_next(&fr, &o, err, sizeof err), -1);
	ck_assert_ptr_null(o);
	ck_assert_str_eq(err, "stream already failed");
	frame_reader_free(&fr);
}

/* Same, for a payload wrapped in a correct length header. */
static void
expect_reject_payload(const void *p, size_t n, const char *needle)
{
	struct buf	 b;

	buf_init(&b);
	put_hdr(&b, n);
	buf_add(&b, p, n);
	expect_reject(b.data, b.len, needle);
	buf_free(&b);
}

/* Fill dst with size-1 bytes: prefix, then c repeated. */
static void
fill(char *dst, size_t size, const char *prefix, char c)
{
	size_t	 n = strlen(prefix);

	ck_assert_uint_lt(n, size);
	memcpy(dst, prefix, n);
	memset(dst + n, c, size - 1 - n);
	dst[size - 1] = '\0';
}

static int
contains(const char *hay, const char *needle)
{
	return strstr(hay, needle) != NULL;
}

/* Every message body, for table-driven tests. */
union anymsg {
	struct msg_hello	 hello;
	struct msg_error	 error;
	struct msg_job		 job;
	struct msg_progress	 progress;
	struct msg_log		 log;
	struct msg_done		 done;
	struct msg_req		 req;
	struct msg_session	 session;
	struct msg_cred		 cred;
};

/* Unpack o as type t; -2 for types that have no unpack function. */
static int
unpack_as(enum msg_type t, const msgpack_object *o, union anymsg *m,
    char *err, size_t errlen)
{
	switch (t) {
	case MSG_HELLO:
		return msg_hello_unpack(o, &m->hello, err, errlen);
	case MSG_ERROR:
		return msg_error_unpack(o, &m->error, err, errlen);
	case MSG_JOB:
		return msg_job_unpack(o, &m->job, err, errlen);
	case MSG_PROGRESS:
		return msg_progress_unpack(o, &m->progress, err, errlen);
	case MSG_LOG:
		return msg_log_unpack(o, &m->log, err, errlen);
	case MSG_DONE:
		return msg_done_unpack(o, &m->done, err, errlen);
	case MSG_REQ:
		return msg_req_unpack(o, &m->req, err, errlen);
	case MSG_SESSION:
		return msg_session_unpack(o, &m->session, err, errlen);
	case MSG_CRED:
		return msg_cred_unpack(o, &m->cred, err, errlen);
	default:
		return -2;
	}
}

static const enum msg_type unpackable[] = {
	MSG_HELLO, MSG_ERROR, MSG_JOB, MSG_PROGRESS, MSG_LOG, MSG_DONE, MSG_REQ,
	MSG_SESSION, MSG_CRED
};

static const enum msg_type empty_types[] = {
	MSG_PAUSE, MSG_RESUME, MSG_STOP, MSG_READY, MSG_PAUSED, MSG_HEARTBEAT,
	MSG_CRED_REQ
};

static void
sample_hello(struct msg_hello *m)
{
	memset(m, 0, sizeof *m);
	m->v = PROTO_VERSION;
	strcpy(m->role, "supervisor");
	m->pid = 4194304;
}

static void
sample_error(struct msg_error *m)
{
	memset(m, 0, sizeof *m);
	strcpy(m->message, "protocol version 2 not supported: \"want 1\"\n"
	    "tab\there, snow \xe2\x98\x83");
}

/* A job with every field set, odd bytes in the password, paths at full length. */
static void
sample_job(struct msg_job *m)
{
	size_t	 i;

	memset(m, 0, sizeof *m);
	m->id = 9007199254740993LL;	/* not representable as a double */
	strcpy(m->kind, "customers");
	strcpy(m->mode, "delta");
	fill(m->user, sizeof m->user, "agent-", 'u');
	strcpy(m->erp_user, "alice@example.com");
	for (i = 0; i < sizeof m->password - 1; i++)
		m->password[i] = (char)(i + 1);	/* bytes 0x01..0xff */
	m->password[sizeof m->password - 1] = '\0';
	fill(m->url, sizeof m->url, "https://erp.example.com/", 'x');
	fill(m->db, sizeof m->db, "/var/lib/erpsync/", 'd');
	fill(m->debug_dir, sizeof m->debug_dir, "/var/tmp/erpsync debug/", 'g');
	m->page_size = 500;
	m->sessions = 4;
	m->request_timeout_ms = INT64_MAX;
	m->heartbeat_ms = 5000;
	m->delta_margin_s = -120;
	m->tls_verify = 1;
	fill(m->ca_file, sizeof m->ca_file, "/etc/ssl/\"quoted\"\\", 'c');
	strcpy(m->user_agent, "erpsync/1.0 (+\xc3\xa9t\xc3\xa9)");
}

static void
sample_progress(struct msg_progress *m)
{
	memset(m, 0, sizeof *m);
	m->job = 77;
	strcpy(m->user, "bob");
	strcpy(m->kind, "orders");
	m->page = 3;
	m->pages = 40;
	m->seen = 1500;
	m->inserted = 10;
	m->updated = 20;
	m->unchanged = 1465;
	m->skipped = 5;
	m->total = 20000;
}

static void
sample_log(struct msg_log *m)
{
	memset(m, 0, sizeof *m);
	m->ts_ms = 1700000000123LL;
	strcpy(m->level, "warn");
	strcpy(m->proc, "worker");
	m->job = 12;
	strcpy(m->user, "*");
	strcpy(m->kind, "prices");
	fill(m->msg, sizeof m->msg, "page 7: row \"42\" skipped: ", 'm');
}

static void
sample_done(struct msg_done *m)
{
	memset(m, 0, sizeof *m);
	strcpy(m->status, "failed");
	strcpy(m->error_class, "contract");
	strcpy(m->message, "grid column \"Price\" missing on page 3");
	m->pages = 3;
	m->seen = 150;
	m->inserted = 1;
	m->updated = 2;
	m->unchanged = 140;
	m->skipped = 7;
	m->deleted = 0;
	m->total = 300;
	m->fetched = 4;
	strcpy(m->watermark, "2024-02-29T23:59:59");
	strcpy(m->sweep, "run was partial");
}

static void
sample_session(struct msg_session *m)
{
	memset(m, 0, sizeof *m);
	m->slot = 2;
	strcpy(m->op, "open");
	strcpy(m->cookies, "127.0.0.1\tFALSE\t/\tFALSE\t0\t"
	    "ASP.NET_SessionId\tabc\n#HttpOnly_127.0.0.1\tFALSE\t/\t"
	    "FALSE\t0\t.ASPXAUTH\tDEF0");
}

/* Pack a valid frame of any type. */
static void
pack_sample(enum msg_type t, struct frame *f)
{
	union anymsg	 m;

	switch (t) {
	case MSG_HELLO:
		sample_hello(&m.hello);
		msg_hello_pack(f, &m.hello);
		break;
	case MSG_ERROR:
		sample_error(&m.error);
		msg_error_pack(f, &m.error);
		break;
	case MSG_JOB:
		sample_job(&m.job);
		msg_job_pack(f, &m.job);
		break;
	case MSG_PROGRESS:
		sample_progress(&m.progress);
		msg_progress_pack(f, &m.progress);
		break;
	case MSG_LOG:
		sample_log(&m.log);
		msg_log_pack(f, &m.log);
		break;
	case MSG_DONE:
		sample_done(&m.done);
		msg_done_pack(f, &m.done);
		break;
	case MSG_SESSION:
		sample_session(&m.session);
		msg_session_pack(f, &m.session);
		break;
	case MSG_CRED:
		memset(&m.cred, 0, sizeof m.cred);
		strcpy(m.cred.password, "p\xc3\xa0ss:w\x01rd");
		msg_cred_pack(f, &m.cred);
		break;
	case MSG_REQ:
		msg_req_begin(f, 9, "status", 2);
		pk_kv_str(&f->pk, "user", "alice");
		pk_kv_int(&f->pk, "limit", 10);
		break;
	case MSG_RESP:
		msg_resp_begin(f, 9, 1);
		pk_str(&f->pk, "ok");
		break;
	default:
		msg_empty_pack(f, t);
		break;
	}
}

/* Pack an unpacked body back (req: id, cmd and args as they were). */
static void
pack_as(enum msg_type t, struct frame *f, const union anymsg *m)
{
	uint32_t	 i;

	switch (t) {
	case MSG_HELLO:
		msg_hello_pack(f, &m->hello);
		break;
	case MSG_ERROR:
		msg_error_pack(f, &m->error);
		break;
	case MSG_JOB:
		msg_job_pack(f, &m->job);
		break;
	case MSG_PROGRESS:
		msg_progress_pack(f, &m->progress);
		break;
	case MSG_LOG:
		msg_log_pack(f, &m->log);
		break;
	case MSG_DONE:
		msg_done_pack(f, &m->done);
		break;
	case MSG_SESSION:
		msg_session_pack(f, &m->session);
		break;
	case MSG_CRED:
		msg_cred_pack(f, &m->cred);
		break;
	case MSG_REQ:
		msg_req_begin(f, m->req.id, m->req.cmd,
		    m->req.args ? m->req.args->via.map.size : 0);
		for (i = 0; m->req.args && i < m->req.args->via.map.size; i++) {
			msgpack_pack_object(&f->pk, m->req.args->via.map.ptr[i].key);
			msgpack_pack_object(&f->pk, m->req.args->via.map.ptr[i].val);
		}
		break;
	default:
		ck_abort_msg("pack_as: no body for %s", msg_name(t));
	}
}

/* A replacement value for one field of a map. */
enum vkind {
	V_NIL, V_INT, V_UINT, V_STR, V_RAW, V_FILL, V_BOOL, V_FLOAT, V_ARRAY,
	V_MAP, V_BIN
};
struct val {
	enum vkind	 kind;
	int64_t		 i;
	uint64_t	 u;
	const char	*s;
	size_t		 n;	/* V_RAW: bytes of s; V_FILL: count of 'a' */
};

static void
pack_val(msgpack_packer *pk, const struct val *v)
{
	char	*tmp;

	switch (v->kind) {
	case V_NIL:
		msgpack_pack_nil(pk);
		break;
	case V_INT:
		msgpack_pack_int64(pk, v->i);
		break;
	case V_UINT:
		msgpack_pack_uint64(pk, v->u);
		break;
	case V_STR:
		pk_str(pk, v->s);
		break;
	case V_RAW:
		msgpack_pack_str(pk, v->n);
		msgpack_pack_str_body(pk, v->s, v->n);
		break;
	case V_FILL:
		tmp = xmalloc(v->n + 1);
		memset(tmp, 'a', v->n);
		tmp[v->n] = '\0';
		pk_str(pk, tmp);
		free(tmp);
		break;
	case V_BOOL:
		if (v->i)
			msgpack_pack_true(pk);
		else
			msgpack_pack_false(pk);
		break;
	case V_FLOAT:
		msgpack_pack_double(pk, 1.0);
		break;
	case V_ARRAY:
		msgpack_pack_array(pk, 1);
		pk_str(pk, "x");
		break;
	case V_MAP:
		msgpack_pack_map(pk, 1);
		pk_kv_int(pk, "x", 1);
		break;
	case V_BIN:
		msgpack_pack_bin(pk, 2);
		msgpack_pack_bin_body(pk, "ab", 2);
		break;
	}
}

/* Pack map with key replaced by v (added if absent), or removed if v is NULL. */
static void
repack(const msgpack_object *map, const char *key, const struct val *v,
    struct mp *out)
{
	uint32_t	 i, n = map->via.map.size;
	int		 present = msg_get(map, key) != NULL;

	if (v == NULL && present)
		n--;
	else if (v != NULL && !present)
		n++;
	msgpack_pack_map(&out->pk, n);
	for (i = 0; i < map->via.map.size; i++) {
		const msgpack_object_kv *kv = &map->via.map.ptr[i];

		if (msg_str_eq(&kv->key, key)) {
			if (v != NULL) {
				mp_str(out, key);
				pack_val(&out->pk, v);
			}
			continue;
		}
		msgpack_pack_object(&out->pk, kv->key);
		msgpack_pack_object(&out->pk, kv->val);
	}
	if (v != NULL && !present) {
		mp_str(out, key);
		pack_val(&out->pk, v);
	}
}

/*
 * Take the sample of type t, change one field (or drop it when v is NULL),
 * and unpack the result as t. Returns what unpack returned; m holds the body.
 */
static int
unpack_variant(enum msg_type t, const char *key, const struct val *v,
    union anymsg *m, struct frame_reader *fr2, char *err, size_t errlen)
{
	struct frame_reader	 fr;
	struct frame		 f;
	struct mp		 out;
	const msgpack_object	*o;
	int			 rc;

	frame_reader_init(&fr);
	pack_sample(t, &f);
	o = read_frame(&f, &fr);
	mp_init(&out);
	repack(o, key, v, &out);
	frame_reader_free(&fr);

	o = read_payload(fr2, out.sb.data, out.sb.size);
	mp_free(&out);
	err[0] = '\0';
	rc = unpack_as(t, o, m, err, errlen);
	return rc;
}

/* VmPeak of this process in kB, from /proc. */
static long
vm_peak_kb(void)
{
	FILE	*fp;
	char	 line[256];
	long	 kb = -1;

	if ((fp = fopen("/proc/self/status", "r")) == NULL)
		return -1;
	while (fgets(line, sizeof line, fp) != NULL)
		if (strncmp(line, "VmPeak:", 7) == 0)
			kb = strtol(line + 7, NULL, 10);
	fclose(fp);
	return kb;
}

/* A small deterministic generator, so failures reproduce. */
static uint32_t
lcg(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

/* ---------------------------------------------------------------------- */
/* Round trips: pack -> bytes -> frame_reader -> unpack -> every field equal. */

START_TEST(test_hello_roundtrip)
{
	struct frame_reader	 fr;
	struct frame		 f;
	struct msg_hello	 in, out;
	const msgpack_object	*o;
	enum msg_type		 t;
	char			 err[PROTO_ERRLEN];

	sample_hello(&in);
	frame_reader_init(&fr);
	msg_hello_pack(&f, &in);
	o = read_frame(&f, &fr);
	ck_assert_int_eq(msg_type_of(o, &t, err, sizeof err), 0);
	ck_assert_int_eq(t, MSG_HELLO);
	memset(&out, 0xa5, sizeof out);
	ck_assert_msg(msg_hello_unpack(o, &out, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(out.v, PROTO_VERSION);
	ck_assert_str_eq(out.role, "supervisor");
	ck_assert_int_eq(out.pid, 4194304);
	ck_assert(memcmp(&in, &out, sizeof in) == 0);
	frame_reader_free(&fr);
}
END_TEST

START_TEST(test_error_roundtrip)
{
	struct frame_reader	 fr;
	struct frame		 f;
	struct msg_error	 in, out;
	const msgpack_object	*o;
	char			 err[PROTO_ERRLEN];

	frame_reader_init(&fr);
	sample_error(&in);
	msg_error_pack(&f, &in);
	o = read_frame(&f, &fr);
	ck_assert_msg(msg_error_unpack(o, &out, err, sizeof err) == 0, "%s", err);
	ck_assert_str_eq(out.message, in.message);
	ck_assert(memcmp(&in, &out, sizeof in) == 0);

	/* The longest message that fits, and the empty one. */
	fill(in.message, sizeof in.message, "", 'e');
	msg_error_pack(&f, &in);
	o = read_frame(&f, &fr);
	ck_assert_msg(msg_error_unpack(o, &out, err, sizeof err) == 0, "%s", err);
	ck_assert_uint_eq(strlen(out.message), sizeof out.message - 1);
	ck_assert_str_eq(out.message, in.message);

	memset(&in, 0, sizeof in);
	msg_error_pack(&f, &in);
	o = read_frame(&f, &fr);
	ck_assert_msg(msg_error_unpack(o, &out, err, sizeof err) == 0, "%s", err);
	ck_assert_str_eq(out.message, "");
	frame_reader_free(&fr);
}
END_TEST

START_TEST(test_job_roundtrip)
{
	struct frame_reader	 fr;
	struct frame		 f;
	struct msg_job		 in, out;
	const msgpack_object	*o;
	char			 err[PROTO_ERRLEN];
	size_t			 i;

	frame_reader_init(&fr);
	sample_job(&in);
	msg_job_pack(&f, &in);
	o = read_frame(&f, &fr);
	memset(&out, 0x5a, sizeof out);
	ck_assert_msg(msg_job_unpack(o, &out, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(out.id, 9007199254740993LL);
	ck_assert_str_eq(out.kind, "customers");
	ck_assert_str_eq(out.mode, "delta");
	ck_assert_str_eq(out.user, in.user);
	ck_assert_uint_eq(strlen(out.user), USER_ID_MAX);
	ck_assert_str_eq(out.erp_user, "alice@example.com");
	ck_assert_uint_eq(strlen(out.password), 255);
	for (i = 0; i < 255; i++)
		ck_assert_uint_eq((unsigned char)out.password[i], i + 1);
	ck_assert_str_eq(out.url, in.url);
	ck_assert_uint_eq(strlen(out.url), sizeof out.url - 1);
	ck_assert_str_eq(out.db, in.db);
	ck_assert_uint_eq(strlen(out.db), PATH_MAX - 1);
	ck_assert_str_eq(out.debug_dir, in.debug_dir);
	ck_assert_int_eq(out.page_size, 500);
	ck_assert_int_eq(out.sessions, 4);
	ck_assert_int_eq(out.request_timeout_ms, INT64_MAX);
	ck_assert_int_eq(out.heartbeat_ms, 5000);
	ck_assert_int_eq(out.delta_margin_s, -120);
	ck_assert_int_eq(out.tls_verify, 1);
	ck_assert_str_eq(out.ca_file, in.ca_file);
	ck_assert_str_eq(out.user_agent, in.user_agent);
	ck_assert(memcmp(&in, &out, sizeof in) == 0);

	/* tls_verify false, and empty optional strings, survive too. */
	in.tls_verify = 0;
	memset(in.debug_dir, 0, sizeof in.debug_dir);
	memset(in.ca_file, 0, sizeof in.ca_file);
	memset(in.user_agent, 0, sizeof in.user_agent);
	in.sessions = 0;
	msg_job_pack(&f, &in);
	o = read_frame(&f, &fr);
	ck_assert_msg(msg_job_unpack(o, &out, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(out.tls_verify, 0);
	ck_assert(memcmp(&in, &out, sizeof in) == 0);
	frame_reader_free(&fr);
}
END_TEST

/* Only the required fields on the wire: the optional ones come back zero. */
START_TEST(test_job_minimal)
{
	struct frame_reader	 fr;
	struct mp		 m;
	struct msg_job		 out;
	const msgpack_object	*o;
	char			 err[PROTO_ERRLEN];

	mp_init(&m);
	msgpack_pack_map(&m.pk, 10);
	pk_kv_str(&m.pk, "t", "job");
	pk_kv_int(&m.pk, "id", 1);
	pk_kv_str(&m.pk, "kind", "orders");
	pk_kv_str(&m.pk, "mode", "full");
	pk_kv_str(&m.pk, "user", "*");
	pk_kv_str(&m.pk, "erp_user", "svc");
	pk_kv_str(&m.pk, "password", "");
	pk_kv_str(&m.pk, "url", "http://127.0.0.1:8080");
	pk_kv_str(&m.pk, "db", "/tmp/x.db");
	pk_kv_int(&m.pk, "page_size", 100);
	frame_reader_init(&fr);
	o = read_payload(&fr, m.sb.data, m.sb.size);
	memset(&out, 0x77, sizeof out);
	ck_assert_msg(msg_job_unpack(o, &out, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(out.id, 1);
	ck_assert_str_eq(out.mode, "full");
	ck_assert_str_eq(out.password, "");
	ck_assert_str_eq(out.debug_dir, "");
	ck_assert_int_eq(out.sessions, 0);
	ck_assert_int_eq(out.request_timeout_ms, 0);
	ck_assert_int_eq(out.heartbeat_ms, 0);
	ck_assert_int_eq(out.delta_margin_s, 0);
	ck_assert_int_eq(out.tls_verify, 0);
	ck_assert_str_eq(out.ca_file, "");
	ck_assert_str_eq(out.user_agent, "");
	frame_reader_free(&fr);
	mp_free(&m);
}
END_TEST

START_TEST(test_empty_roundtrip)
{
	struct frame_reader	 fr;
	struct frame		 f;
	const msgpack_object	*o;
	enum msg_type		 t, want = empty_types[_i];
	char			 err[PROTO_ERRLEN];

	frame_reader_init(&fr);
	msg_empty_pack(&f, want);
	o = read_frame(&f, &fr);
	ck_assert_uint_eq(o->via.map.size, 1);
	ck_assert(msg_str_eq(msg_get(o, "t"), msg_name(want)));
	t = MSG_COUNT;
	ck_assert_msg(msg_type_of(o, &t, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(t, want);
	frame_reader_free(&fr);
}
END_TEST

START_TEST(test_progress_roundtrip)
{
	struct frame_reader	 fr;
	struct frame		 f;
	struct msg_progress	 in, out;
	const msgpack_object	*o;
	char			 err[PROTO_ERRLEN];

	frame_reader_init(&fr);
	sample_progress(&in);
	msg_progress_pack(&f, &in);
	o = read_frame(&f, &fr);
	ck_assert_msg(msg_progress_unpack(o, &out, err, sizeof err) == 0, "%s",
	    err);
	ck_assert_int_eq(out.job, 77);
	ck_assert_str_eq(out.user, "bob");
	ck_assert_str_eq(out.kind, "orders");
	ck_assert_int_eq(out.page, 3);
	ck_assert_int_eq(out.pages, 40);
	ck_assert_int_eq(out.seen, 1500);
	ck_assert_int_eq(out.inserted, 10);
	ck_assert_int_eq(out.updated, 20);
	ck_assert_int_eq(out.unchanged, 1465);
	ck_assert_int_eq(out.skipped, 5);
	ck_assert_int_eq(out.total, 20000);
	ck_assert(memcmp(&in, &out, sizeof in) == 0);
	frame_reader_free(&fr);
}
END_TEST

START_TEST(test_log_roundtrip)
{
	struct frame_reader	 fr;
	struct frame		 f;
	struct msg_log		 in, out;
	const msgpack_object	*o;
	char			 err[PROTO_ERRLEN];

	frame_reader_init(&fr);
	sample_log(&in);
	msg_log_pack(&f, &in);
	o = read_frame(&f, &fr);
	ck_assert_msg(msg_log_unpack(o, &out, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(out.ts_ms, 1700000000123LL);
	ck_assert_str_eq(out.level, "warn");
	ck_assert_str_eq(out.proc, "worker");
	ck_assert_int_eq(out.job, 12);
	ck_assert_str_eq(out.user, "*");
	ck_assert_str_eq(out.kind, "prices");
	ck_assert_str_eq(out.msg, in.msg);
	ck_assert_uint_eq(strlen(out.msg), sizeof out.msg - 1);
	ck_assert(memcmp(&in, &out, sizeof in) == 0);
	frame_reader_free(&fr);
}
END_TEST

START_TEST(test_done_roundtrip)
{
	struct frame_reader	 fr;
	struct frame		 f;
	struct msg_done		 in, out;
	const msgpack_object	*o;
	char			 err[PROTO_ERRLEN];

	frame_reader_init(&fr);
	sample_done(&in);
	msg_done_pack(&f, &in);
	o = read_frame(&f, &fr);
	ck_assert_msg(msg_done_unpack(o, &out, err, sizeof err) == 0, "%s", err);
	ck_assert_str_eq(out.status, "failed");
	ck_assert_str_eq(out.error_class, "contract");
	ck_assert_str_eq(out.message, in.message);
	ck_assert_int_eq(out.pages, 3);
	ck_assert_int_eq(out.seen, 150);
	ck_assert_int_eq(out.inserted, 1);
	ck_assert_int_eq(out.updated, 2);
	ck_assert_int_eq(out.unchanged, 140);
	ck_assert_int_eq(out.skipped, 7);
	ck_assert_int_eq(out.deleted, 0);
	ck_assert_int_eq(out.total, 300);
	ck_assert_int_eq(out.fetched, 4);
	ck_assert_str_eq(out.watermark, "2024-02-29T23:59:59");
	ck_assert_str_eq(out.sweep, "run was partial");
	ck_assert(memcmp(&in, &out, sizeof in) == 0);

	/* A successful run: empty class, message and sweep. */
	memset(&in, 0, sizeof in);
	strcpy(in.status, "ok");
	in.deleted = 12;
	in.seen = INT64_MAX;
	msg_done_pack(&f, &in);
	o = read_frame(&f, &fr);
	ck_assert_msg(msg_done_unpack(o, &out, err, sizeof err) == 0, "%s", err);
	ck_assert_str_eq(out.status, "ok");
	ck_assert_str_eq(out.error_class, "");
	ck_assert_int_eq(out.deleted, 12);
	ck_assert_int_eq(out.seen, INT64_MAX);
	ck_assert(memcmp(&in, &out, sizeof in) == 0);
	frame_reader_free(&fr);
}
END_TEST

START_TEST(test_req_roundtrip_args)
{
	struct frame_reader	 fr;
	struct frame		 f;
	struct msg_req		 out;
	const msgpack_object	*o, *a, *nested;
	char			 err[PROTO_ERRLEN], user[USER_ID_MAX + 1];
	int64_t			 limit;
	int			 force;

	frame_reader_init(&fr);
	msg_req_begin(&f, 123456789012LL, "hold", 4);
	pk_kv_str(&f.pk, "user", "alice");
	pk_kv_int(&f.pk, "limit", -5);
	pk_kv_bool(&f.pk, "force", 1);
	pk_key(&f.pk, "filter");
	msgpack_pack_map(&f.pk, 1);
	pk_kv_str(&f.pk, "kind", "orders");
	o = read_frame(&f, &fr);
	ck_assert_msg(msg_req_unpack(o, &out, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(out.id, 123456789012LL);
	ck_assert_str_eq(out.cmd, "hold");
	a = out.args;
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(a->type, MSGPACK_OBJECT_MAP);
	ck_assert_uint_eq(a->via.map.size, 4);
	ck_assert_int_eq(msg_get_str(a, "user", user, sizeof user, 1, err,
	    sizeof err), 0);
	ck_assert_str_eq(user, "alice");
	ck_assert_int_eq(msg_get_int(a, "limit", &limit, 1, err, sizeof err), 0);
	ck_assert_int_eq(limit, -5);
	ck_assert_int_eq(msg_get_bool(a, "force", &force, 1, err, sizeof err), 0);
	ck_assert_int_eq(force, 1);
	ck_assert_int_eq(msg_get_map(a, "filter", &nested, 1, err, sizeof err),
	    0);
	ck_assert(msg_str_eq(msg_get(nested, "kind"), "orders"));
	/* Getters on args: absent optional, absent required. */
	ck_assert_int_eq(msg_get_int(a, "nope", &limit, 0, err, sizeof err), 0);
	ck_assert_int_eq(limit, 0);
	ck_assert_int_eq(msg_get_int(a, "nope", &limit, 1, err, sizeof err), -1);
	ck_assert_str_eq(err, "missing field \"nope\"");
	frame_reader_free(&fr);
}
END_TEST

START_TEST(test_req_roundtrip_no_args)
{
	struct frame_reader	 fr;
	struct frame		 f;
	struct mp		 m;
	struct msg_req		 out;
	const msgpack_object	*o;
	char			 err[PROTO_ERRLEN];

	/* An empty args map. */
	frame_reader_init(&fr);
	msg_req_begin(&f, 1, "status", 0);
	o = read_frame(&f, &fr);
	ck_assert_msg(msg_req_unpack(o, &out, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(out.id, 1);
	ck_assert_str_eq(out.cmd, "status");
	ck_assert_ptr_nonnull(out.args);
	ck_assert_uint_eq(out.args->via.map.size, 0);

	/* No args key at all, and args: nil, are both allowed. */
	mp_init(&m);
	msgpack_pack_map(&m.pk, 3);
	pk_kv_str(&m.pk, "t", "req");
	pk_kv_int(&m.pk, "id", 2);
	pk_kv_str(&m.pk, "cmd", "ls");
	o = read_payload(&fr, m.sb.data, m.sb.size);
	ck_assert_msg(msg_req_unpack(o, &out, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(out.id, 2);
	ck_assert_str_eq(out.cmd, "ls");
	ck_assert_ptr_null(out.args);
	mp_free(&m);

	mp_init(&m);
	msgpack_pack_map(&m.pk, 4);
	pk_kv_str(&m.pk, "t", "req");
	pk_kv_int(&m.pk, "id", 3);
	pk_kv_str(&m.pk, "cmd", "ls");
	pk_key(&m.pk, "args");
	msgpack_pack_nil(&m.pk);
	o = read_payload(&fr, m.sb.data, m.sb.size);
	ck_assert_msg(msg_req_unpack(o, &out, err, sizeof err) == 0, "%s", err);
	ck_assert_ptr_null(out.args);
	mp_free(&m);
	frame_reader_free(&fr);
}
END_TEST

START_TEST(test_resp_ok_data)
{
	struct frame_reader	 fr;
	struct frame		 f;
	const msgpack_object	*o, *data;
	enum msg_type		 t;
	char			 err[PROTO_ERRLEN];
	int64_t			 id;
	int			 ok;
	struct buf		 js;

	frame_reader_init(&fr);
	msg_resp_begin(&f, 42, 1);
	msgpack_pack_map(&f.pk, 2);
	pk_kv_int(&f.pk, "queued", 3);
	pk_key(&f.pk, "jobs");
	msgpack_pack_array(&f.pk, 2);
	msgpack_pack_int64(&f.pk, 7);
	msgpack_pack_int64(&f.pk, 8);
	o = read_frame(&f, &fr);
	ck_assert_int_eq(msg_type_of(o, &t, err, sizeof err), 0);
	ck_assert_int_eq(t, MSG_RESP);
	ck_assert_uint_eq(o->via.map.size, 4);
	ck_assert_int_eq(msg_get_int(o, "id", &id, 1, err, sizeof err), 0);
	ck_assert_int_eq(id, 42);
	ck_assert_int_eq(msg_get_bool(o, "ok", &ok, 1, err, sizeof err), 0);
	ck_assert_int_eq(ok, 1);
	ck_assert_ptr_null(msg_get(o, "error"));
	ck_assert_ptr_nonnull(data = msg_get(o, "data"));
	buf_init(&js);
	msgpack_to_json(&js, data);
	ck_assert_str_eq(js.data, "{\"queued\":3,\"jobs\":[7,8]}");
	buf_free(&js);
	frame_reader_free(&fr);
}
END_TEST

START_TEST(test_resp_error)
{
	struct frame_reader	 fr;
	struct frame		 f;
	const msgpack_object	*o;
	enum msg_type		 t;
	char			 err[PROTO_ERRLEN], msg[1024], big[2000];
	int64_t			 id;
	int			 ok;

	frame_reader_init(&fr);
	msg_resp_error(&f, -3, "no such job %d (\"%s\")", 42, "x");
	o = read_frame(&f, &fr);
	ck_assert_int_eq(msg_type_of(o, &t, err, sizeof err), 0);
	ck_assert_int_eq(t, MSG_RESP);
	ck_assert_int_eq(msg_get_int(o, "id", &id, 1, err, sizeof err), 0);
	ck_assert_int_eq(id, -3);
	ck_assert_int_eq(msg_get_bool(o, "ok", &ok, 1, err, sizeof err), 0);
	ck_assert_int_eq(ok, 0);
	ck_assert_int_eq(msg_get_str(o, "error", msg, sizeof msg, 1, err,
	    sizeof err), 0);
	ck_assert_str_eq(msg, "no such job 42 (\"x\")");
	ck_assert_ptr_null(msg_get(o, "data"));

	/* A message longer than its buffer is cut, not overflowed. */
	fill(big, sizeof big, "", 'b');
	msg_resp_error(&f, 1, "%s", big);
	o = read_frame(&f, &fr);
	ck_assert_int_eq(msg_get_str(o, "error", msg, sizeof msg, 1, err,
	    sizeof err), 0);
	ck_assert_uint_eq(strlen(msg), sizeof msg - 1);
	frame_reader_free(&fr);
}
END_TEST

START_TEST(test_msg_names)
{
	int	 i, j;

	for (i = 0; i < MSG_COUNT; i++) {
		ck_assert_ptr_nonnull(msg_name((enum msg_type)i));
		ck_assert_str_ne(msg_name((enum msg_type)i), "unknown");
		for (j = 0; j < i; j++)
			ck_assert_str_ne(msg_name((enum msg_type)i),
			    msg_name((enum msg_type)j));
	}
	ck_assert_str_eq(msg_name(MSG_HELLO), "hello");
	ck_assert_str_eq(msg_name(MSG_HEARTBEAT), "heartbeat");
	ck_assert_str_eq(msg_name(MSG_COUNT), "unknown");
	ck_assert_str_eq(msg_name((enum msg_type)-1), "unknown");
}
END_TEST

/* Every frame type packs to something msg_type_of names back. */
START_TEST(test_every_type_named)
{
	struct frame_reader	 fr;
	struct frame		 f;
	const msgpack_object	*o;
	enum msg_type		 t;
	char			 err[PROTO_ERRLEN];

	frame_reader_init(&fr);
	pack_sample((enum msg_type)_i, &f);
	o = read_frame(&f, &fr);
	ck_assert_msg(msg_type_of(o, &t, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(t, _i);
	frame_reader_free(&fr);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Reader: partial input, many frames, file descriptors. */

/* A stream of one frame of each type; ends[k] is where frame k ends. */
static size_t
build_mixed(struct buf *b, size_t *ends)
{
	struct frame	 f;
	int		 i;

	for (i = 0; i < MSG_COUNT; i++) {
		pack_sample((enum msg_type)i, &f);
		frame_append(&f, b);
		ends[i] = b->len;
	}
	return MSG_COUNT;
}

START_TEST(test_one_byte_at_a_time)
{
	struct frame_reader	 fr;
	struct buf		 b;
	const msgpack_object	*o;
	size_t			 ends[MSG_COUNT], n, i, got = 0;
	enum msg_type		 t;
	union anymsg		 m;
	char			 err[PROTO_ERRLEN];
	int			 rc;

	buf_init(&b);
	n = build_mixed(&b, ends);
	frame_reader_init(&fr);
	for (i = 0; i < b.len; i++) {
		frame_reader_feed(&fr, b.data + i, 1);
		o = NULL;
		rc = frame_reader_next(&fr, &o, err, sizeof err);
		ck_assert_msg(rc >= 0, "byte %zu: %s", i, err);
		if (rc == 0) {
			ck_assert_ptr_null(o);
			continue;
		}
		/* A frame appears exactly when its last byte arrives. */
		ck_assert_uint_lt(got, n);
		ck_assert_uint_eq(i + 1, ends[got]);
		ck_assert_int_eq(msg_type_of(o, &t, err, sizeof err), 0);
		ck_assert_int_eq(t, got);
		if (unpack_as(t, o, &m, err, sizeof err) == -1)
			ck_abort_msg("unpack %s: %s", msg_name(t), err);
		got++;
		ck_assert_int_eq(frame_reader_next(&fr, &o, err, sizeof err), 0);
	}
	ck_assert_uint_eq(got, n);
	frame_reader_free(&fr);
	buf_free(&b);
}
END_TEST

START_TEST(test_many_frames_one_feed)
{
	struct frame_reader	 fr;
	struct frame		 f;
	struct msg_progress	 p, out;
	struct buf		 b;
	const msgpack_object	*o;
	char			 err[PROTO_ERRLEN];
	int			 i, rc;

	buf_init(&b);
	sample_progress(&p);
	for (i = 0; i < 1000; i++) {
		p.page = i;
		msg_progress_pack(&f, &p);
		frame_append(&f, &b);
	}
	frame_reader_init(&fr);
	frame_reader_feed(&fr, b.data, b.len);
	for (i = 0; (rc = frame_reader_next(&fr, &o, err, sizeof err)) == 1; i++) {
		ck_assert_msg(msg_progress_unpack(o, &out, err, sizeof err) == 0,
		    "%s", err);
		ck_assert_int_eq(out.page, i);
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(i, 1000);
	ck_assert_uint_eq(fr.off, fr.in.len);

	/* The reader is reusable after draining. */
	p.page = 5000;
	msg_progress_pack(&f, &p);
	o = read_frame(&f, &fr);
	ck_assert_int_eq(msg_progress_unpack(o, &out, err, sizeof err), 0);
	ck_assert_int_eq(out.page, 5000);
	frame_reader_free(&fr);
	buf_free(&b);
}
END_TEST

/* Random chunk sizes, frames of every type plus big ones, in order. */
START_TEST(test_random_chunks)
{
	struct frame_reader	 fr;
	struct frame		 f;
	struct buf		 b;
	struct msg_log		 lg;
	const msgpack_object	*o;
	enum msg_type		 t;
	char			 err[PROTO_ERRLEN];
	uint32_t		 seed = 20240229;
	size_t			 off = 0, chunk, nframes = 0, got = 0;
	int			 i, rc;
	enum msg_type		 want[400];

	buf_init(&b);
	for (i = 0; i < 400; i++) {
		want[i] = (enum msg_type)(lcg(&seed) % MSG_COUNT);
		pack_sample(want[i], &f);
		frame_append(&f, &b);
		nframes++;
	}
	frame_reader_init(&fr);
	while (off < b.len) {
		chunk = 1 + lcg(&seed) % 9000;
		if (chunk > b.len - off)
			chunk = b.len - off;
		frame_reader_feed(&fr, b.data + off, chunk);
		off += chunk;
		while ((rc = frame_reader_next(&fr, &o, err, sizeof err)) == 1) {
			ck_assert_int_eq(msg_type_of(o, &t, err, sizeof err), 0);
			ck_assert_uint_lt(got, nframes);
			ck_assert_int_eq(t, want[got]);
			got++;
		}
		ck_assert_msg(rc == 0, "%s", err);
	}
	ck_assert_uint_eq(got, nframes);

	/* Log frames with the longest message, in 3-byte steps. */
	buf_reset(&b);
	sample_log(&lg);
	for (i = 0; i < 20; i++) {
		lg.job = i;
		msg_log_pack(&f, &lg);
		frame_append(&f, &b);
	}
	got = 0;
	for (off = 0; off < b.len; off += 3) {
		frame_reader_feed(&fr, b.data + off,
		    b.len - off < 3 ? b.len - off : 3);
		while (frame_reader_next(&fr, &o, err, sizeof err) == 1) {
			struct msg_log out;

			ck_assert_int_eq(msg_log_unpack(o, &out, err, sizeof err),
			    0);
			ck_assert_int_eq(out.job, (int64_t)got);
			ck_assert_str_eq(out.msg, lg.msg);
			got++;
		}
	}
	ck_assert_uint_eq(got, 20);
	frame_reader_free(&fr);
	buf_free(&b);
}
END_TEST

/* A payload of exactly FRAME_MAX bytes passes both writer and reader; one more fails. */
START_TEST(test_frame_max_boundary)
{
	struct frame_reader	 fr;
	struct frame		 f;
	const msgpack_object	*o;
	const msgpack_object	*pad;
	char			 err[PROTO_ERRLEN];
	size_t			 head, padlen;
	char			*s;

	/* frame_begin(LOG, 1): fixmap, "t", "log"; then "pad" and a str32 header. */
	head = 1 + 2 + 4 + 4 + 5;
	padlen = FRAME_MAX - head;
	s = xmalloc(padlen + 2);
	memset(s, 'p', padlen + 1);
	s[padlen] = '\0';

	frame_begin(&f, MSG_LOG, 1);
	pk_kv_str(&f.pk, "pad", s);
	ck_assert_uint_eq(f.sb.size, FRAME_HDR + (size_t)FRAME_MAX);
	frame_reader_init(&fr);
	o = read_frame(&f, &fr);
	pad = msg_get(o, "pad");
	ck_assert_ptr_nonnull(pad);
	ck_assert_uint_eq(pad->via.str.size, padlen);
	frame_reader_free(&fr);

	s[padlen] = 'p';
	s[padlen + 1] = '\0';
	frame_begin(&f, MSG_LOG, 1);
	pk_kv_str(&f.pk, "pad", s);
	err[0] = '\0';
	ck_assert_int_eq(frame_end(&f, err, sizeof err), -1);
	ck_assert_msg(contains(err, "exceeds"), "%s", err);
	frame_free(&f);
	free(s);
}
END_TEST

/* A writer child sends frames over a socketpair; the parent reads them all. */
START_TEST(test_read_socketpair)
{
	struct frame_reader	 fr;
	struct frame		 f;
	struct msg_log		 lg, out;
	struct buf		 b;
	const msgpack_object	*o;
	char			 err[PROTO_ERRLEN];
	int			 sv[2], i, rc, status, got = 0, reads = 0;
	ssize_t			 n;
	pid_t			 pid;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	/* About 350 KB: more than one read's worth, so frames straddle reads. */
	buf_init(&b);
	sample_log(&lg);
	for (i = 0; i < 300; i++) {
		lg.job = i;
		msg_log_pack(&f, &lg);
		frame_append(&f, &b);
	}
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		close(sv[0]);
		_exit(write_all(sv[1], b.data, b.len) == 0 ? 0 : 1);
	}
	close(sv[1]);
	frame_reader_init(&fr);
	while ((n = frame_reader_read(&fr, sv[0])) > 0) {
		reads++;
		while ((rc = frame_reader_next(&fr, &o, err, sizeof err)) == 1) {
			ck_assert_int_eq(msg_log_unpack(o, &out, err, sizeof err),
			    0);
			ck_assert_int_eq(out.job, got);
			got++;
		}
		ck_assert_msg(rc == 0, "%s", err);
	}
	ck_assert_int_eq(n, 0);		/* EOF */
	ck_assert_int_eq(got, 300);
	ck_assert_int_gt(reads, 1);
	ck_assert_uint_eq(fr.off, fr.in.len);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	/* Nothing to read on a non-blocking socket: -1 and EAGAIN, not EOF. */
	close(sv[0]);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(set_nonblock(sv[0]), 0);
	errno = 0;
	ck_assert_int_eq(frame_reader_read(&fr, sv[0]), -1);
	ck_assert(errno == EAGAIN || errno == EWOULDBLOCK);
	close(sv[0]);
	close(sv[1]);
	frame_reader_free(&fr);
	buf_free(&b);
}
END_TEST

/* A pipe that closes mid-frame: bytes, then EOF, and no frame. */
START_TEST(test_read_pipe_truncated)
{
	struct frame_reader	 fr;
	struct frame		 f;
	const msgpack_object	*o = NULL;
	char			 err[PROTO_ERRLEN];
	int			 p[2];
	size_t			 half;

	ck_assert_int_eq(pipe(p), 0);
	pack_sample(MSG_HELLO, &f);
	ck_assert_int_eq(frame_end(&f, err, sizeof err), 0);
	half = f.sb.size / 2;
	ck_assert_int_eq(write_all(p[1], f.sb.data, half), 0);
	close(p[1]);
	frame_free(&f);

	frame_reader_init(&fr);
	ck_assert_int_eq(frame_reader_read(&fr, p[0]), (ssize_t)half);
	ck_assert_int_eq(frame_reader_next(&fr, &o, err, sizeof err), 0);
	ck_assert_ptr_null(o);
	ck_assert_int_eq(frame_reader_read(&fr, p[0]), 0);
	ck_assert_int_eq(frame_reader_next(&fr, &o, err, sizeof err), 0);
	ck_assert_ptr_null(o);
	close(p[0]);

	/* A closed descriptor is an error with errno, not EOF. */
	errno = 0;
	ck_assert_int_eq(frame_reader_read(&fr, p[0]), -1);
	ck_assert_int_eq(errno, EBADF);
	frame_reader_free(&fr);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Reader: refused streams. */

START_TEST(test_reject_length_zero)
{
	static const unsigned char zero[] = { 0, 0, 0, 0 };
	static const unsigned char zero_then[] = { 0, 0, 0, 0, 0x80 };
	struct frame_reader	 fr;
	struct frame		 f;
	struct buf		 b;
	const msgpack_object	*o;
	char			 err[PROTO_ERRLEN];

	expect_reject(zero, sizeof zero, "out of range");
	expect_reject(zero_then, sizeof zero_then, "out of range");

	/* After a good frame in the same feed. */
	buf_init(&b);
	pack_sample(MSG_STOP, &f);
	frame_append(&f, &b);
	buf_add(&b, zero, sizeof zero);
	frame_reader_init(&fr);
	frame_reader_feed(&fr, b.data, b.len);
	ck_assert_int_eq(frame_reader_next(&fr, &o, err, sizeof err), 1);
	err[0] = '\0';
	ck_assert_int_eq(frame_reader_next(&fr, &o, err, sizeof err), -1);
	ck_assert_msg(contains(err, "length 0"), "%s", err);
	frame_reader_free(&fr);
	buf_free(&b);
}
END_TEST

START_TEST(test_reject_length_too_big)
{
	static const unsigned char max1[] = { 0x00, 0x10, 0x00, 0x01 };
	static const unsigned char ones[] = { 0xff, 0xff, 0xff, 0xff, 0x80 };
	static const unsigned char top[] = { 0x80, 0x00, 0x00, 0x00 };

	/* Refused from the header alone: no need to wait for the body. */
	expect_reject(max1, sizeof max1, "length 1048577 out of range");
	expect_reject(ones, sizeof ones, "out of range");
	expect_reject(top, sizeof top, "out of range");
}
END_TEST

START_TEST(test_truncated_needs_more)
{
	struct frame_reader	 fr;
	struct frame		 f;
	const msgpack_object	*o = NULL;
	char			 err[PROTO_ERRLEN];
	size_t			 i, n;
	char			*bytes;

	pack_sample(MSG_PROGRESS, &f);
	ck_assert_int_eq(frame_end(&f, err, sizeof err), 0);
	n = f.sb.size;
	bytes = xmalloc(n);
	memcpy(bytes, f.sb.data, n);
	frame_free(&f);

	/* Every proper prefix (even an empty feed) is "need more", no frame. */
	for (i = 0; i < n; i++) {
		frame_reader_init(&fr);
		frame_reader_feed(&fr, bytes, i);
		o = NULL;
		ck_assert_int_eq(frame_reader_next(&fr, &o, err, sizeof err), 0);
		ck_assert_ptr_null(o);
		ck_assert_int_eq(frame_reader_next(&fr, &o, err, sizeof err), 0);
		frame_reader_feed(&fr, bytes + i, n - i);
		ck_assert_int_eq(frame_reader_next(&fr, &o, err, sizeof err), 1);
		ck_assert_ptr_nonnull(o);
		frame_reader_free(&fr);
	}
	free(bytes);
}
END_TEST

START_TEST(test_reject_not_map)
{
	static const unsigned char arr[] = { 0x92, 0x01, 0x02 };
	static const unsigned char num[] = { 0x2a };
	static const unsigned char neg[] = { 0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0 };
	static const unsigned char str[] = { 0xa5, 'h', 'e', 'l', 'l', 'o' };
	static const unsigned char nil[] = { 0xc0 };
	static const unsigned char tru[] = { 0xc3 };
	static const unsigned char bin[] = { 0xc4, 0x01, 0x00 };
	static const unsigned char arrmap[] = { 0x91, 0x81, 0xa1, 't', 0xa4,
	    's', 't', 'o', 'p' };

	expect_reject_payload(arr, sizeof arr, "not a map");
	expect_reject_payload(num, sizeof num, "not a map");
	expect_reject_payload(neg, sizeof neg, "not a map");
	expect_reject_payload(str, sizeof str, "not a map");
	expect_reject_payload(nil, sizeof nil, "not a map");
	expect_reject_payload(tru, sizeof tru, "not a map");
	expect_reject_payload(bin, sizeof bin, "not a map");
	expect_reject_payload(arrmap, sizeof arrmap, "not a map");
}
END_TEST

START_TEST(test_reject_trailing_bytes)
{
	static const unsigned char two[] = { 0x80, 0x00 };
	static const unsigned char stop_junk[] = { 0x81, 0xa1, 't', 0xa4,
	    's', 't', 'o', 'p', 0xc0, 0xc0, 0xc0 };
	static const unsigned char maps[] = { 0x80, 0x80 };

	expect_reject_payload(two, sizeof two, "1 trailing bytes");
	expect_reject_payload(stop_junk, sizeof stop_junk, "3 trailing bytes");
	expect_reject_payload(maps, sizeof maps, "trailing");
}
END_TEST

START_TEST(test_reject_invalid_msgpack)
{
	static const unsigned char c1[] = { 0xc1 };
	static const unsigned char map_short[] = { 0x82, 0xa1, 't', 0xa4,
	    's', 't', 'o', 'p' };
	static const unsigned char str_short[] = { 0x81, 0xa1, 't', 0xa9,
	    's', 't' };
	static const unsigned char hdr_short[] = { 0xdd, 0x00, 0x00 };
	static const unsigned char key_only[] = { 0x81, 0xa1, 't' };
	static const unsigned char str32[] = { 0x81, 0xa1, 't', 0xdb,
	    0xff, 0xff, 0xff, 0xff, 'x' };
	unsigned char		 deep[64];
	size_t			 i;

	expect_reject_payload(c1, sizeof c1, "not valid msgpack");
	expect_reject_payload(map_short, sizeof map_short, "not valid msgpack");
	expect_reject_payload(str_short, sizeof str_short, "not valid msgpack");
	expect_reject_payload(hdr_short, sizeof hdr_short, "not valid msgpack");
	expect_reject_payload(key_only, sizeof key_only, "not valid msgpack");
	expect_reject_payload(str32, sizeof str32, "not valid msgpack");

	/* Nesting deeper than the unpacker's stack: refused, not recursed into. */
	for (i = 0; i < 40; i++)
		deep[i] = 0x91;
	deep[i++] = 0xc0;
	expect_reject_payload(deep, i, "not valid msgpack");
}
END_TEST

/*
 * Regression: msgpack-c allocates a container's element array from its
 * declared count before reading any element, so a 5-byte frame claiming
 * 2^24 elements made the reader ask for 400-800 MB (2^32 elements: ~200 GB,
 * which aborts under ASan). The count of a container in a frame cannot
 * exceed the bytes left in that frame; the reader should refuse it first.
 */
START_TEST(test_small_frame_huge_count_no_alloc)
{
	static const unsigned char arr[] = { 0xdd, 0x01, 0x00, 0x00, 0x00 };
	static const unsigned char map[] = { 0xdf, 0x00, 0x80, 0x00, 0x00 };
	static const unsigned char nested[] = { 0x81, 0xa1, 't',
	    0xdd, 0x01, 0x00, 0x00, 0x00 };
	long	 before, after;

	before = vm_peak_kb();
	ck_assert_int_gt(before, 0);
	expect_reject_payload(arr, sizeof arr, "");
	expect_reject_payload(map, sizeof map, "");
	expect_reject_payload(nested, sizeof nested, "");
	after = vm_peak_kb();
	ck_assert_msg(after - before < 64 * 1024,
	    "a 5-byte frame grew peak virtual memory by %ld MB",
	    (after - before) / 1024);
}
END_TEST

/* Nesting within the limit is fine and prints as JSON. */
START_TEST(test_nesting_ok)
{
	struct frame_reader	 fr;
	struct mp		 m;
	struct buf		 js, want;
	const msgpack_object	*o;
	int			 i, depth = 30;

	mp_init(&m);
	for (i = 0; i < depth; i++) {
		msgpack_pack_map(&m.pk, 1);
		mp_str(&m, "a");
	}
	msgpack_pack_nil(&m.pk);
	frame_reader_init(&fr);
	o = read_payload(&fr, m.sb.data, m.sb.size);
	buf_init(&js);
	buf_init(&want);
	msgpack_to_json(&js, o);
	for (i = 0; i < depth; i++)
		buf_adds(&want, "{\"a\":");
	buf_adds(&want, "null");
	for (i = 0; i < depth; i++)
		buf_addc(&want, '}');
	ck_assert_str_eq(js.data, want.data);
	buf_free(&js);
	buf_free(&want);
	frame_reader_free(&fr);
	mp_free(&m);
}
END_TEST

START_TEST(test_failure_is_sticky)
{
	static const unsigned char bad[] = { 0, 0, 0, 1, 0xc1 };
	struct frame_reader	 fr;
	struct frame		 f;
	const msgpack_object	*o = NULL;
	char			 err[PROTO_ERRLEN];
	int			 i, p[2];

	frame_reader_init(&fr);
	frame_reader_feed(&fr, bad, sizeof bad);
	ck_assert_int_eq(frame_reader_next(&fr, &o, err, sizeof err), -1);
	for (i = 0; i < 3; i++) {
		pack_sample(MSG_HELLO, &f);
		ck_assert_int_eq(frame_end(&f, err, sizeof err), 0);
		frame_reader_feed(&fr, f.sb.data, f.sb.size);
		frame_free(&f);
		err[0] = '\0';
		ck_assert_int_eq(frame_reader_next(&fr, &o, err, sizeof err), -1);
		ck_assert_ptr_null(o);
		ck_assert_str_eq(err, "stream already failed");
	}
	/* Also when the good frame arrives through frame_reader_read. */
	ck_assert_int_eq(pipe(p), 0);
	pack_sample(MSG_READY, &f);
	ck_assert_int_eq(frame_end(&f, err, sizeof err), 0);
	ck_assert_int_eq(write_all(p[1], f.sb.data, f.sb.size), 0);
	frame_free(&f);
	ck_assert_int_gt(frame_reader_read(&fr, p[0]), 0);
	ck_assert_int_eq(frame_reader_next(&fr, &o, err, sizeof err), -1);
	ck_assert_ptr_null(o);
	close(p[0]);
	close(p[1]);
	frame_reader_free(&fr);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Message type: "t". */

/* Build {t: <v>, x: 1} (or {x: 1} when v is NULL) and ask msg_type_of. */
static int
type_of_variant(const struct val *v, char *err, size_t errlen)
{
	struct frame_reader	 fr;
	struct mp		 m;
	const msgpack_object	*o;
	enum msg_type		 t = MSG_COUNT;
	int			 rc;

	mp_init(&m);
	msgpack_pack_map(&m.pk, v ? 2 : 1);
	if (v != NULL) {
		mp_str(&m, "t");
		pack_val(&m.pk, v);
	}
	pk_kv_int(&m.pk, "x", 1);
	frame_reader_init(&fr);
	o = read_payload(&fr, m.sb.data, m.sb.size);
	err[0] = '\0';
	rc = msg_type_of(o, &t, err, errlen);
	if (rc == -1)
		ck_assert_int_eq(t, MSG_COUNT);
	frame_reader_free(&fr);
	mp_free(&m);
	return rc;
}

START_TEST(test_type_unknown)
{
	static const char *names[] = { "bogus", "", "hellox", "hell", "HELLO",
	    "hello ", "req\n", "unknown" };
	struct val	 v = { .kind = V_STR };
	char		 err[PROTO_ERRLEN], want[64];
	size_t		 i;

	for (i = 0; i < nitems(names); i++) {
		v.s = names[i];
		ck_assert_int_eq(type_of_variant(&v, err, sizeof err), -1);
		snprintf(want, sizeof want, "unknown message type \"%s\"",
		    names[i]);
		ck_assert_str_eq(err, want);
	}
	/* A NUL inside the name does not match the prefix before it. */
	v.kind = V_RAW;
	v.s = "job\0x";
	v.n = 5;
	ck_assert_int_eq(type_of_variant(&v, err, sizeof err), -1);
	ck_assert(contains(err, "unknown message type"));
	v.s = "job";
	v.n = 3;
	ck_assert_int_eq(type_of_variant(&v, err, sizeof err), 0);
}
END_TEST

/* A long unknown name is quoted only in part, and err never overflows. */
START_TEST(test_type_unknown_long)
{
	struct val	 v = { .kind = V_FILL, .n = 5000 };
	char		 err[PROTO_ERRLEN], small[16];
	char		 a32[34], a33[35];	/* quote and 32 or 33 bytes */

	fill(a32, sizeof a32, "\"", 'a');
	fill(a33, sizeof a33, "\"", 'a');
	ck_assert_int_eq(type_of_variant(&v, err, sizeof err), -1);
	ck_assert(contains(err, a32));
	ck_assert(!contains(err, a33));
	memset(small, 'Z', sizeof small);
	ck_assert_int_eq(type_of_variant(&v, small, 8), -1);
	ck_assert_uint_eq(strlen(small), 7);
	ck_assert_int_eq(small[8], 'Z');
}
END_TEST

START_TEST(test_type_missing)
{
	char	 err[PROTO_ERRLEN];

	ck_assert_int_eq(type_of_variant(NULL, err, sizeof err), -1);
	ck_assert(contains(err, "no type"));
}
END_TEST

START_TEST(test_type_not_string)
{
	static const struct val vals[] = {
		{ .kind = V_INT, .i = 0 },
		{ .kind = V_INT, .i = MSG_HELLO },
		{ .kind = V_NIL },
		{ .kind = V_BOOL, .i = 1 },
		{ .kind = V_ARRAY },
		{ .kind = V_MAP },
		{ .kind = V_FLOAT },
		{ .kind = V_BIN },
	};
	char	 err[PROTO_ERRLEN];
	size_t	 i;

	for (i = 0; i < nitems(vals); i++) {
		ck_assert_int_eq(type_of_variant(&vals[i], err, sizeof err), -1);
		ck_assert_msg(contains(err, "no type"), "%zu: %s", i, err);
	}
}
END_TEST

/* msg_type_of and the unpackers on objects that are not maps at all. */
START_TEST(test_type_of_non_map_object)
{
	msgpack_object		 o;
	union anymsg		 m;
	enum msg_type		 t;
	char			 err[PROTO_ERRLEN];
	size_t			 i;

	memset(&o, 0, sizeof o);
	o.type = MSGPACK_OBJECT_ARRAY;
	ck_assert_int_eq(msg_type_of(&o, &t, err, sizeof err), -1);
	ck_assert_str_eq(err, "message is not a map");
	o.type = MSGPACK_OBJECT_STR;
	o.via.str.ptr = "hello";
	o.via.str.size = 5;
	ck_assert_int_eq(msg_type_of(&o, &t, err, sizeof err), -1);
	for (i = 0; i < nitems(unpackable); i++)
		ck_assert_int_eq(unpack_as(unpackable[i], &o, &m, err,
		    sizeof err), -1);
	ck_assert_ptr_null(msg_get(&o, "t"));
	ck_assert_ptr_null(msg_get(NULL, "t"));
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Unpack: required fields, types, sizes, mismatches. */

struct keyset {
	enum msg_type	 t;
	const char	*keys[16];
};

static const struct keyset required[] = {
	{ MSG_HELLO, { "v", "role", "pid" } },
	{ MSG_ERROR, { "message" } },
	{ MSG_JOB, { "id", "kind", "mode", "user", "erp_user", "password",
	    "url", "db", "page_size" } },
	{ MSG_PROGRESS, { "page", "pages", "seen", "inserted", "updated",
	    "unchanged", "skipped", "total" } },
	{ MSG_LOG, { "level", "msg" } },
	{ MSG_DONE, { "status", "pages", "seen", "inserted", "updated",
	    "unchanged", "skipped", "deleted", "total" } },
	{ MSG_REQ, { "id", "cmd" } },
};

static const struct keyset optional[] = {
	{ MSG_HELLO, { NULL } },
	{ MSG_ERROR, { NULL } },
	{ MSG_JOB, { "debug_dir", "sessions", "request_timeout_ms",
	    "heartbeat_ms", "delta_margin_s", "tls_verify", "ca_file",
	    "user_agent" } },
	{ MSG_PROGRESS, { "job", "user", "kind" } },
	{ MSG_LOG, { "ts_ms", "proc", "job", "user", "kind" } },
	{ MSG_DONE, { "error_class", "message", "fetched", "watermark",
	    "sweep" } },
	{ MSG_REQ, { "args" } },
};

/* Dropping any required field, or setting it to nil, is refused by name. */
START_TEST(test_missing_required)
{
	const struct keyset	*ks = &required[_i];
	struct frame_reader	 fr;
	union anymsg		 m;
	struct val		 nil = { .kind = V_NIL };
	char			 err[PROTO_ERRLEN], want[128];
	size_t			 k;

	frame_reader_init(&fr);
	for (k = 0; k < nitems(ks->keys) && ks->keys[k] != NULL; k++) {
		snprintf(want, sizeof want, "missing field \"%s\"", ks->keys[k]);
		ck_assert_msg(unpack_variant(ks->t, ks->keys[k], NULL, &m, &fr,
		    err, sizeof err) == -1, "%s without %s accepted",
		    msg_name(ks->t), ks->keys[k]);
		ck_assert_msg(contains(err, want), "%s", err);
		if (ks->t != MSG_REQ) {
			snprintf(want, sizeof want, " in %s message",
			    msg_name(ks->t));
			ck_assert_msg(contains(err, want), "%s", err);
		}
		ck_assert_int_eq(unpack_variant(ks->t, ks->keys[k], &nil, &m,
		    &fr, err, sizeof err), -1);
		ck_assert_msg(contains(err, "missing field"), "%s", err);
	}
	frame_reader_free(&fr);
}
END_TEST

/* Dropping any optional field is fine, and it reads back empty or zero. */
START_TEST(test_missing_optional)
{
	const struct keyset	*ks = &optional[_i];
	struct frame_reader	 fr, fr2;
	struct frame		 f;
	union anymsg		 m;
	const msgpack_object	*o, *v;
	char			 err[PROTO_ERRLEN];
	size_t			 k;

	for (k = 0; k < nitems(ks->keys) && ks->keys[k] != NULL; k++) {
		frame_reader_init(&fr);
		ck_assert_msg(unpack_variant(ks->t, ks->keys[k], NULL, &m, &fr,
		    err, sizeof err) == 0, "%s", err);
		if (ks->t == MSG_REQ) {
			ck_assert_ptr_null(m.req.args);
			frame_reader_free(&fr);
			continue;
		}
		frame_reader_init(&fr2);
		pack_as(ks->t, &f, &m);
		o = read_frame(&f, &fr2);
		ck_assert_ptr_nonnull(v = msg_get(o, ks->keys[k]));
		switch (v->type) {
		case MSGPACK_OBJECT_STR:
			ck_assert_uint_eq(v->via.str.size, 0);
			break;
		case MSGPACK_OBJECT_POSITIVE_INTEGER:
			ck_assert_uint_eq(v->via.u64, 0);
			break;
		case MSGPACK_OBJECT_BOOLEAN:
			ck_assert(!v->via.boolean);
			break;
		default:
			ck_abort_msg("%s: unexpected type %d", ks->keys[k],
			    v->type);
		}
		frame_reader_free(&fr2);
		frame_reader_free(&fr);
	}
}
END_TEST

/* Unknown extra fields are ignored (newer peers may add some). */
START_TEST(test_extra_field_ignored)
{
	struct frame_reader	 fr;
	union anymsg		 m;
	struct val		 v = { .kind = V_MAP };
	char			 err[PROTO_ERRLEN];
	size_t			 i;

	for (i = 0; i < nitems(unpackable); i++) {
		frame_reader_init(&fr);
		ck_assert_msg(unpack_variant(unpackable[i], "zz_new_field", &v,
		    &m, &fr, err, sizeof err) == 0, "%s: %s",
		    msg_name(unpackable[i]), err);
		frame_reader_free(&fr);
	}
}
END_TEST

struct badfield {
	enum msg_type	 t;
	const char	*key;
	struct val	 v;
	const char	*want;	/* in the error */
};

static const struct badfield badfields[] = {
	/* Integer where a string is expected, and other non-strings. */
	{ MSG_HELLO, "role", { .kind = V_INT, .i = 5 }, "\"role\" is not a string" },
	{ MSG_JOB, "kind", { .kind = V_ARRAY }, "\"kind\" is not a string" },
	{ MSG_JOB, "password", { .kind = V_BIN }, "\"password\" is not a string" },
	{ MSG_JOB, "db", { .kind = V_BOOL, .i = 1 }, "\"db\" is not a string" },
	{ MSG_JOB, "ca_file", { .kind = V_MAP }, "\"ca_file\" is not a string" },
	{ MSG_ERROR, "message", { .kind = V_FLOAT }, "\"message\" is not a string" },
	{ MSG_LOG, "level", { .kind = V_INT, .i = 2 }, "\"level\" is not a string" },
	{ MSG_DONE, "status", { .kind = V_BOOL, .i = 1 }, "\"status\" is not a string" },
	{ MSG_DONE, "watermark", { .kind = V_INT, .i = 0 }, "\"watermark\" is not a string" },
	{ MSG_REQ, "cmd", { .kind = V_INT, .i = 1 }, "\"cmd\" is not a string" },
	/* String where an integer is expected, and other non-integers. */
	{ MSG_HELLO, "v", { .kind = V_STR, .s = "1" }, "\"v\" is not an integer" },
	{ MSG_HELLO, "pid", { .kind = V_BOOL, .i = 1 }, "\"pid\" is not an integer" },
	{ MSG_JOB, "id", { .kind = V_FLOAT }, "\"id\" is not an integer" },
	{ MSG_JOB, "page_size", { .kind = V_STR, .s = "100" }, "\"page_size\" is not an integer" },
	{ MSG_JOB, "sessions", { .kind = V_ARRAY }, "\"sessions\" is not an integer" },
	{ MSG_PROGRESS, "page", { .kind = V_MAP }, "\"page\" is not an integer" },
	{ MSG_PROGRESS, "job", { .kind = V_STR, .s = "" }, "\"job\" is not an integer" },
	{ MSG_DONE, "deleted", { .kind = V_BIN }, "\"deleted\" is not an integer" },
	{ MSG_LOG, "ts_ms", { .kind = V_FLOAT }, "\"ts_ms\" is not an integer" },
	{ MSG_REQ, "id", { .kind = V_STR, .s = "1" }, "\"id\" is not an integer" },
	/* Booleans: an integer or a string is not one. */
	{ MSG_JOB, "tls_verify", { .kind = V_INT, .i = 1 }, "\"tls_verify\" is not a boolean" },
	{ MSG_JOB, "tls_verify", { .kind = V_INT, .i = 0 }, "\"tls_verify\" is not a boolean" },
	{ MSG_JOB, "tls_verify", { .kind = V_STR, .s = "true" }, "\"tls_verify\" is not a boolean" },
	/* args must be a map. */
	{ MSG_REQ, "args", { .kind = V_ARRAY }, "\"args\" is not a map" },
	{ MSG_REQ, "args", { .kind = V_STR, .s = "user=alice" }, "\"args\" is not a map" },
	{ MSG_REQ, "args", { .kind = V_INT, .i = 0 }, "\"args\" is not a map" },
	/* Integers above INT64_MAX. */
	{ MSG_HELLO, "pid", { .kind = V_UINT, .u = (uint64_t)INT64_MAX + 1 }, "\"pid\" is out of range" },
	{ MSG_PROGRESS, "total", { .kind = V_UINT, .u = UINT64_MAX }, "\"total\" is out of range" },
	{ MSG_JOB, "id", { .kind = V_UINT, .u = (uint64_t)1 << 63 }, "\"id\" is out of range" },
	{ MSG_LOG, "job", { .kind = V_UINT, .u = UINT64_MAX - 1 }, "\"job\" is out of range" },
	{ MSG_REQ, "id", { .kind = V_UINT, .u = UINT64_MAX }, "\"id\" is out of range" },
	/* Strings one byte too long for their buffer. */
	{ MSG_HELLO, "role", { .kind = V_FILL, .n = 16 }, "\"role\" is too long (16 bytes, max 15)" },
	{ MSG_JOB, "mode", { .kind = V_FILL, .n = 8 }, "\"mode\" is too long" },
	{ MSG_JOB, "user", { .kind = V_FILL, .n = USER_ID_MAX + 1 }, "\"user\" is too long" },
	{ MSG_JOB, "password", { .kind = V_FILL, .n = 256 }, "\"password\" is too long (256 bytes, max 255)" },
	{ MSG_JOB, "url", { .kind = V_FILL, .n = 1024 }, "\"url\" is too long" },
	{ MSG_JOB, "db", { .kind = V_FILL, .n = PATH_MAX }, "\"db\" is too long" },
	{ MSG_JOB, "user_agent", { .kind = V_FILL, .n = 100000 }, "\"user_agent\" is too long" },
	{ MSG_ERROR, "message", { .kind = V_FILL, .n = 512 }, "\"message\" is too long" },
	{ MSG_LOG, "msg", { .kind = V_FILL, .n = 1024 }, "\"msg\" is too long" },
	{ MSG_DONE, "watermark", { .kind = V_FILL, .n = 32 }, "\"watermark\" is too long" },
	{ MSG_REQ, "cmd", { .kind = V_FILL, .n = 32 }, "\"cmd\" is too long" },
	/* Strings holding a NUL byte: C would silently cut them. */
	{ MSG_HELLO, "role", { .kind = V_RAW, .s = "ctl\0root", .n = 8 }, "\"role\" holds a NUL byte" },
	{ MSG_JOB, "password", { .kind = V_RAW, .s = "\0", .n = 1 }, "\"password\" holds a NUL byte" },
	{ MSG_JOB, "db", { .kind = V_RAW, .s = "/a.db\0/etc/passwd", .n = 17 }, "\"db\" holds a NUL byte" },
	{ MSG_LOG, "msg", { .kind = V_RAW, .s = "end\0", .n = 4 }, "\"msg\" holds a NUL byte" },
	{ MSG_REQ, "cmd", { .kind = V_RAW, .s = "st\0atus", .n = 7 }, "\"cmd\" holds a NUL byte" },
};

START_TEST(test_bad_field)
{
	const struct badfield	*bf = &badfields[_i];
	struct frame_reader	 fr;
	union anymsg		 m;
	char			 err[PROTO_ERRLEN], want[64];

	frame_reader_init(&fr);
	ck_assert_msg(unpack_variant(bf->t, bf->key, &bf->v, &m, &fr, err,
	    sizeof err) == -1, "%s.%s accepted", msg_name(bf->t), bf->key);
	ck_assert_msg(contains(err, bf->want), "error \"%s\" lacks \"%s\"", err,
	    bf->want);
	if (bf->t != MSG_REQ) {
		snprintf(want, sizeof want, " in %s message", msg_name(bf->t));
		ck_assert_msg(contains(err, want), "%s", err);
	}
	frame_reader_free(&fr);
}
END_TEST

struct goodfield {
	enum msg_type	 t;
	const char	*key;
	struct val	 v;
};

/* The edges that must still be accepted. */
static const struct goodfield goodfields[] = {
	{ MSG_HELLO, "role", { .kind = V_FILL, .n = 15 } },
	{ MSG_HELLO, "role", { .kind = V_STR, .s = "" } },
	{ MSG_JOB, "password", { .kind = V_FILL, .n = 255 } },
	{ MSG_JOB, "user", { .kind = V_FILL, .n = USER_ID_MAX } },
	{ MSG_JOB, "db", { .kind = V_FILL, .n = PATH_MAX - 1 } },
	{ MSG_JOB, "tls_verify", { .kind = V_BOOL, .i = 0 } },
	{ MSG_DONE, "watermark", { .kind = V_FILL, .n = 31 } },
	{ MSG_REQ, "cmd", { .kind = V_FILL, .n = 31 } },
	{ MSG_HELLO, "pid", { .kind = V_UINT, .u = INT64_MAX } },
	{ MSG_JOB, "id", { .kind = V_UINT, .u = 0 } },
};

START_TEST(test_good_field_edges)
{
	const struct goodfield	*gf = &goodfields[_i];
	struct frame_reader	 fr;
	union anymsg		 m;
	char			 err[PROTO_ERRLEN];

	frame_reader_init(&fr);
	ck_assert_msg(unpack_variant(gf->t, gf->key, &gf->v, &m, &fr, err,
	    sizeof err) == 0, "%s.%s: %s", msg_name(gf->t), gf->key, err);
	frame_reader_free(&fr);
}
END_TEST

/*
 * Signed integers: negative values are read exactly, down to INT64_MIN
 * (msg_get_int does not judge ranges; callers that need a count >= 0 must).
 * Above INT64_MAX is refused (see badfields).
 */
START_TEST(test_int_edges)
{
	struct frame_reader	 fr;
	union anymsg		 m;
	struct val		 v = { .kind = V_INT };
	char			 err[PROTO_ERRLEN];
	static const int64_t	 vals[] = { INT64_MIN, INT64_MIN + 1, -1, 0,
	    INT64_MAX, -32, -33, 127, 128, 255, 256, 65535, 65536,
	    4294967295LL, 4294967296LL, -2147483648LL, -2147483649LL };
	size_t			 i;

	for (i = 0; i < nitems(vals); i++) {
		v.i = vals[i];
		frame_reader_init(&fr);
		ck_assert_int_eq(unpack_variant(MSG_PROGRESS, "page", &v, &m,
		    &fr, err, sizeof err), 0);
		ck_assert_int_eq(m.progress.page, vals[i]);
		frame_reader_free(&fr);

		frame_reader_init(&fr);
		ck_assert_int_eq(unpack_variant(MSG_JOB, "delta_margin_s", &v,
		    &m, &fr, err, sizeof err), 0);
		ck_assert_int_eq(m.job.delta_margin_s, vals[i]);
		frame_reader_free(&fr);
	}
}
END_TEST

/* Each unpacker refuses every other type's frame, naming both. */
START_TEST(test_type_mismatch)
{
	struct frame_reader	 fr;
	struct frame		 f;
	const msgpack_object	*o;
	union anymsg		 m;
	enum msg_type		 have = (enum msg_type)_i;
	char			 err[PROTO_ERRLEN], want[96];
	size_t			 i;
	int			 rc;

	frame_reader_init(&fr);
	pack_sample(have, &f);
	o = read_frame(&f, &fr);
	for (i = 0; i < nitems(unpackable); i++) {
		err[0] = '\0';
		rc = unpack_as(unpackable[i], o, &m, err, sizeof err);
		if (unpackable[i] == have) {
			ck_assert_msg(rc == 0, "%s: %s", msg_name(have), err);
			continue;
		}
		ck_assert_msg(rc == -1, "%s unpacked as %s", msg_name(have),
		    msg_name(unpackable[i]));
		snprintf(want, sizeof want, "expected a %s message, got %s",
		    msg_name(unpackable[i]), msg_name(have));
		ck_assert_str_eq(err, want);
	}
	frame_reader_free(&fr);
}
END_TEST

/* The error text is cut to errlen, never written past it. */
START_TEST(test_small_errlen)
{
	struct frame_reader	 fr;
	union anymsg		 m;
	struct val		 v = { .kind = V_FILL, .n = 300 };
	struct {
		char	 err[12];
		char	 canary[8];
	} e;
	size_t			 i;

	frame_reader_init(&fr);
	memset(&e, 'C', sizeof e);
	ck_assert_int_eq(unpack_variant(MSG_JOB, "kind", &v, &m, &fr, e.err,
	    sizeof e.err), -1);
	ck_assert_uint_eq(strlen(e.err), sizeof e.err - 1);
	for (i = 0; i < sizeof e.canary; i++)
		ck_assert_int_eq(e.canary[i], 'C');
	frame_reader_free(&fr);
}
END_TEST

/*
 * Unpack straight from a heap block of exactly the payload's size, so the
 * last string ends at the end of the allocation: ASan sees any overread in
 * the getters (NUL scan, copy).
 */
START_TEST(test_unpack_exact_buffer)
{
	struct frame		 f;
	msgpack_unpacked	 un;
	union anymsg		 m;
	char			 err[PROTO_ERRLEN], *p;
	size_t			 n, off, i;
	int			 rc;

	for (i = 0; i < nitems(unpackable); i++) {
		pack_sample(unpackable[i], &f);
		n = f.sb.size - FRAME_HDR;
		p = xmalloc(n);
		memcpy(p, f.sb.data + FRAME_HDR, n);
		frame_free(&f);
		msgpack_unpacked_init(&un);
		off = 0;
		rc = msgpack_unpack_next(&un, p, n, &off);
		ck_assert_int_eq(rc, MSGPACK_UNPACK_SUCCESS);
		ck_assert_uint_eq(off, n);
		ck_assert_msg(unpack_as(unpackable[i], &un.data, &m, err,
		    sizeof err) == 0, "%s", err);
		msgpack_unpacked_destroy(&un);
		free(p);
	}
}
END_TEST

/* ---------------------------------------------------------------------- */
/* JSON. */

START_TEST(test_json_nested)
{
	struct frame_reader	 fr;
	struct frame		 f;
	const msgpack_object	*o;
	struct buf		 js;

	msg_resp_begin(&f, 7, 1);
	msgpack_pack_map(&f.pk, 7);
	pk_kv_str(&f.pk, "q", "say \"hi\" \\ /");
	pk_kv_str(&f.pk, "ctl", "\n\r\t\b\x01\x1f\x7f");
	pk_kv_str(&f.pk, "uni", "h\xc3\xa9llo \xe2\x98\x83 \xf0\x9f\x98\x80");
	pk_key(&f.pk, "list");
	msgpack_pack_array(&f.pk, 7);
	msgpack_pack_int64(&f.pk, 1);
	msgpack_pack_int64(&f.pk, -2);
	msgpack_pack_nil(&f.pk);
	msgpack_pack_false(&f.pk);
	msgpack_pack_double(&f.pk, 1.5);
	msgpack_pack_uint64(&f.pk, UINT64_MAX);
	msgpack_pack_int64(&f.pk, INT64_MIN);
	pk_key(&f.pk, "empty");
	msgpack_pack_map(&f.pk, 0);
	pk_key(&f.pk, "arr");
	msgpack_pack_array(&f.pk, 0);
	pk_key(&f.pk, "deep");
	msgpack_pack_map(&f.pk, 1);
	pk_key(&f.pk, "a");
	msgpack_pack_map(&f.pk, 1);
	pk_key(&f.pk, "b");
	msgpack_pack_array(&f.pk, 1);
	msgpack_pack_map(&f.pk, 1);
	pk_kv_str(&f.pk, "c\"k", "d");

	frame_reader_init(&fr);
	o = read_frame(&f, &fr);
	buf_init(&js);
	msgpack_to_json(&js, o);
	ck_assert_str_eq(js.data,
	    "{\"t\":\"resp\",\"id\":7,\"ok\":true,\"data\":{"
	    "\"q\":\"say \\\"hi\\\" \\\\ /\","
	    "\"ctl\":\"\\n\\r\\t\\u0008\\u0001\\u001f\x7f\","
	    "\"uni\":\"h\xc3\xa9llo \xe2\x98\x83 \xf0\x9f\x98\x80\","
	    "\"list\":[1,-2,null,false,1.5,18446744073709551615,"
	    "-9223372036854775808],"
	    "\"empty\":{},"
	    "\"arr\":[],"
	    "\"deep\":{\"a\":{\"b\":[{\"c\\\"k\":\"d\"}]}}}}");
	ck_assert_uint_eq(js.len, strlen(js.data));
	buf_free(&js);
	frame_reader_free(&fr);
}
END_TEST

/* Values JSON cannot hold: non-finite floats, binary, ext, odd keys, NUL. */
START_TEST(test_json_odd_values)
{
	struct frame_reader	 fr;
	struct mp		 m;
	const msgpack_object	*o;
	struct buf		 js;

	mp_init(&m);
	msgpack_pack_map(&m.pk, 2);
	pk_key(&m.pk, "v");
	msgpack_pack_array(&m.pk, 11);
	msgpack_pack_double(&m.pk, NAN);
	msgpack_pack_double(&m.pk, INFINITY);
	msgpack_pack_double(&m.pk, -INFINITY);
	msgpack_pack_float(&m.pk, 0.5f);
	msgpack_pack_bin(&m.pk, 2);
	msgpack_pack_bin_body(&m.pk, "ab", 2);
	msgpack_pack_ext(&m.pk, 1, 5);
	msgpack_pack_ext_body(&m.pk, "z", 1);
	msgpack_pack_map(&m.pk, 2);
	msgpack_pack_int64(&m.pk, 1);
	pk_str(&m.pk, "x");
	msgpack_pack_nil(&m.pk);
	msgpack_pack_true(&m.pk);
	msgpack_pack_str(&m.pk, 3);
	msgpack_pack_str_body(&m.pk, "a\0b", 3);
	msgpack_pack_int64(&m.pk, -1);
	msgpack_pack_int64(&m.pk, 0);
	msgpack_pack_double(&m.pk, 0.1);
	pk_kv_str(&m.pk, "", "");

	frame_reader_init(&fr);
	o = read_payload(&fr, m.sb.data, m.sb.size);
	buf_init(&js);
	buf_adds(&js, "x=");	/* appends, does not reset */
	msgpack_to_json(&js, o);
	ck_assert_str_eq(js.data,
	    "x={\"v\":[null,null,null,0.5,null,null,{\"?\":\"x\",\"?\":true},"
	    "\"a\\u0000b\",-1,0,0.10000000000000001],\"\":\"\"}");
	buf_free(&js);
	frame_reader_free(&fr);
	mp_free(&m);
}
END_TEST

/* A whole message as it would be printed: key order is pack order. */
START_TEST(test_json_message)
{
	struct frame_reader	 fr;
	struct frame		 f;
	const msgpack_object	*o;
	struct buf		 js;

	frame_reader_init(&fr);
	pack_sample(MSG_PROGRESS, &f);
	o = read_frame(&f, &fr);
	buf_init(&js);
	msgpack_to_json(&js, o);
	ck_assert_str_eq(js.data,
	    "{\"t\":\"progress\",\"job\":77,\"user\":\"bob\",\"kind\":\"orders\","
	    "\"page\":3,\"pages\":40,\"seen\":1500,\"inserted\":10,"
	    "\"updated\":20,\"unchanged\":1465,\"skipped\":5,\"total\":20000}");
	buf_reset(&js);
	msg_empty_pack(&f, MSG_HEARTBEAT);
	o = read_frame(&f, &fr);
	msgpack_to_json(&js, o);
	ck_assert_str_eq(js.data, "{\"t\":\"heartbeat\"}");
	buf_free(&js);
	frame_reader_free(&fr);
}
END_TEST

/* ---------------------------------------------------------------------- */

static Suite *
proto_suite(void)
{
	Suite	*s = suite_create("proto");
	TCase	*tc;

	tc = tcase_create("roundtrip");
	tcase_add_test(tc, test_hello_roundtrip);
	tcase_add_test(tc, test_error_roundtrip);
	tcase_add_test(tc, test_job_roundtrip);
	tcase_add_test(tc, test_job_minimal);
	tcase_add_loop_test(tc, test_empty_roundtrip, 0, nitems(empty_types));
	tcase_add_test(tc, test_progress_roundtrip);
	tcase_add_test(tc, test_log_roundtrip);
	tcase_add_test(tc, test_done_roundtrip);
	tcase_add_test(tc, test_req_roundtrip_args);
	tcase_add_test(tc, test_req_roundtrip_no_args);
	tcase_add_test(tc, test_resp_ok_data);
	tcase_add_test(tc, test_resp_error);
	tcase_add_test(tc, test_msg_names);
	tcase_add_loop_test(tc, test_every_type_named, 0, MSG_COUNT);
	suite_add_tcase(s, tc);

	tc = tcase_create("reader");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_one_byte_at_a_time);
	tcase_add_test(tc, test_many_frames_one_feed);
	tcase_add_test(tc, test_random_chunks);
	tcase_add_test(tc, test_frame_max_boundary);
	tcase_add_test(tc, test_read_socketpair);
	tcase_add_test(tc, test_read_pipe_truncated);
	suite_add_tcase(s, tc);

	tc = tcase_create("reject");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_reject_length_zero);
	tcase_add_test(tc, test_reject_length_too_big);
	tcase_add_test(tc, test_truncated_needs_more);
	tcase_add_test(tc, test_reject_not_map);
	tcase_add_test(tc, test_reject_trailing_bytes);
	tcase_add_test(tc, test_reject_invalid_msgpack);
	tcase_add_test(tc, test_small_frame_huge_count_no_alloc);
	tcase_add_test(tc, test_nesting_ok);
	tcase_add_test(tc, test_failure_is_sticky);
	suite_add_tcase(s, tc);

	tc = tcase_create("type");
	tcase_add_test(tc, test_type_unknown);
	tcase_add_test(tc, test_type_unknown_long);
	tcase_add_test(tc, test_type_missing);
	tcase_add_test(tc, test_type_not_string);
	tcase_add_test(tc, test_type_of_non_map_object);
	suite_add_tcase(s, tc);

	tc = tcase_create("unpack");
	tcase_add_loop_test(tc, test_missing_required, 0, nitems(required));
	tcase_add_loop_test(tc, test_missing_optional, 0, nitems(optional));
	tcase_add_test(tc, test_extra_field_ignored);
	tcase_add_loop_test(tc, test_bad_field, 0, nitems(badfields));
	tcase_add_loop_test(tc, test_good_field_edges, 0, nitems(goodfields));
	tcase_add_test(tc, test_int_edges);
	tcase_add_loop_test(tc, test_type_mismatch, 0, MSG_COUNT);
	tcase_add_test(tc, test_small_errlen);
	tcase_add_test(tc, test_unpack_exact_buffer);
	suite_add_tcase(s, tc);

	tc = tcase_create("json");
	tcase_add_test(tc, test_json_nested);
	tcase_add_test(tc, test_json_odd_values);
	tcase_add_test(tc, test_json_message);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(proto_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
