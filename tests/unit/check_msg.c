/*
 * check_msg.c — unit tests for proto/msg.c: every message packed, framed,
 * read back and unpacked field for field; the catalogue's names; the type
 * field "t"; and the checked getters on missing fields, wrong types,
 * out-of-range integers, over-long strings, NUL bytes and mismatched
 * types. Fixtures: protofix.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "tests/unit/testutil.h"
#include "tests/unit/protofix.h"

/* ---------------------------------------------------------------------- */
/* Round trips: pack -> bytes -> frame_reader -> unpack -> every field equal. */

/*
 * Pack in as type t, read it back through a frame reader as a frame of
 * type t, and unpack it into out (first filled with junk): every byte of
 * the body must come back.
 */
static void
roundtrip(enum msg_type t, const union anymsg *in, union anymsg *out)
{
	struct frame_reader	 fr;
	struct frame		 f;
	const msgpack_object	*o;
	enum msg_type		 got;
	char			 err[PROTO_ERRLEN];

	frame_reader_init(&fr);
	pf_pack_as(t, &f, in);
	o = pf_read_frame(&f, &fr);
	ck_assert_msg(msg_type_of(o, &got, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(got, t);
	memset(out, 0xa5, sizeof *out);
	ck_assert_msg(pf_unpack_as(t, o, out, err, sizeof err) == 0, "%s: %s",
	    msg_name(t), err);
	ck_assert(memcmp(in, out, pf_body_size(t)) == 0);
	frame_reader_free(&fr);
}

START_TEST(test_hello_roundtrip)
{
	union anymsg	 in, out;

	pf_sample_hello(&in.hello);
	roundtrip(MSG_HELLO, &in, &out);
	ck_assert_int_eq(out.hello.v, PROTO_VERSION);
	ck_assert_str_eq(out.hello.role, "supervisor");
	ck_assert_int_eq(out.hello.pid, 4194304);
}
END_TEST

START_TEST(test_error_roundtrip)
{
	union anymsg	 in, out;

	pf_sample_error(&in.error);
	roundtrip(MSG_ERROR, &in, &out);
	ck_assert_str_eq(out.error.message, in.error.message);

	/* The longest message that fits, and the empty one. */
	pf_fill(in.error.message, sizeof in.error.message, "", 'e');
	roundtrip(MSG_ERROR, &in, &out);
	ck_assert_uint_eq(strlen(out.error.message),
	    sizeof out.error.message - 1);
	ck_assert_str_eq(out.error.message, in.error.message);

	memset(&in.error, 0, sizeof in.error);
	roundtrip(MSG_ERROR, &in, &out);
	ck_assert_str_eq(out.error.message, "");
}
END_TEST

START_TEST(test_job_roundtrip)
{
	union anymsg	 in, out;
	struct msg_job	*j = &in.job, *o = &out.job;
	size_t		 i;

	pf_sample_job(j);
	roundtrip(MSG_JOB, &in, &out);
	ck_assert_int_eq(o->id, 9007199254740993LL);
	ck_assert_str_eq(o->kind, "customers");
	ck_assert_str_eq(o->mode, "delta");
	ck_assert_str_eq(o->user, j->user);
	ck_assert_uint_eq(strlen(o->user), USER_ID_MAX);
	ck_assert_str_eq(o->erp_user, "alice@example.com");
	ck_assert_uint_eq(strlen(o->password), 255);
	for (i = 0; i < 255; i++)
		ck_assert_uint_eq((unsigned char)o->password[i], i + 1);
	ck_assert_str_eq(o->url, j->url);
	ck_assert_uint_eq(strlen(o->url), sizeof o->url - 1);
	ck_assert_str_eq(o->db, j->db);
	ck_assert_uint_eq(strlen(o->db), PATH_MAX - 1);
	ck_assert_str_eq(o->debug_dir, j->debug_dir);
	ck_assert_int_eq(o->page_size, 500);
	ck_assert_int_eq(o->sessions, 4);
	ck_assert_int_eq(o->request_timeout_ms, INT64_MAX);
	ck_assert_int_eq(o->heartbeat_ms, 5000);
	ck_assert_int_eq(o->delta_margin_s, -120);
	ck_assert_int_eq(o->tls_verify, 1);
	ck_assert_str_eq(o->ca_file, j->ca_file);
	ck_assert_str_eq(o->user_agent, j->user_agent);

	/* tls_verify false, and empty optional strings, survive too. */
	j->tls_verify = 0;
	memset(j->debug_dir, 0, sizeof j->debug_dir);
	memset(j->ca_file, 0, sizeof j->ca_file);
	memset(j->user_agent, 0, sizeof j->user_agent);
	j->sessions = 0;
	roundtrip(MSG_JOB, &in, &out);
	ck_assert_int_eq(o->tls_verify, 0);
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

	pf_mp_init(&m);
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
	o = pf_read_payload(&fr, m.sb.data, m.sb.size);
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
	pf_mp_free(&m);
}
END_TEST

START_TEST(test_empty_roundtrip)
{
	struct frame_reader	 fr;
	struct frame		 f;
	const msgpack_object	*o;
	enum msg_type		 t, want = pf_empty_types[_i];
	char			 err[PROTO_ERRLEN];

	frame_reader_init(&fr);
	msg_empty_pack(&f, want);
	o = pf_read_frame(&f, &fr);
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
	union anymsg	 in, out;

	pf_sample_progress(&in.progress);
	roundtrip(MSG_PROGRESS, &in, &out);
	ck_assert_int_eq(out.progress.job, 77);
	ck_assert_str_eq(out.progress.user, "bob");
	ck_assert_str_eq(out.progress.kind, "orders");
	ck_assert_int_eq(out.progress.page, 3);
	ck_assert_int_eq(out.progress.pages, 40);
	ck_assert_int_eq(out.progress.seen, 1500);
	ck_assert_int_eq(out.progress.inserted, 10);
	ck_assert_int_eq(out.progress.updated, 20);
	ck_assert_int_eq(out.progress.unchanged, 1465);
	ck_assert_int_eq(out.progress.skipped, 5);
	ck_assert_int_eq(out.progress.total, 20000);
}
END_TEST

START_TEST(test_log_roundtrip)
{
	union anymsg	 in, out;

	pf_sample_log(&in.log);
	roundtrip(MSG_LOG, &in, &out);
	ck_assert_int_eq(out.log.ts_ms, 1700000000123LL);
	ck_assert_str_eq(out.log.level, "warn");
	ck_assert_str_eq(out.log.proc, "worker");
	ck_assert_int_eq(out.log.job, 12);
	ck_assert_str_eq(out.log.user, "*");
	ck_assert_str_eq(out.log.kind, "prices");
	ck_assert_str_eq(out.log.msg, in.log.msg);
	ck_assert_uint_eq(strlen(out.log.msg), sizeof out.log.msg - 1);
}
END_TEST

START_TEST(test_done_roundtrip)
{
	union anymsg	 in, out;
	struct msg_done	*d = &in.done, *o = &out.done;

	pf_sample_done(d);
	roundtrip(MSG_DONE, &in, &out);
	ck_assert_str_eq(o->status, "failed");
	ck_assert_str_eq(o->error_class, "contract");
	ck_assert_str_eq(o->message, d->message);
	ck_assert_int_eq(o->pages, 3);
	ck_assert_int_eq(o->seen, 150);
	ck_assert_int_eq(o->inserted, 1);
	ck_assert_int_eq(o->updated, 2);
	ck_assert_int_eq(o->unchanged, 140);
	ck_assert_int_eq(o->skipped, 7);
	ck_assert_int_eq(o->deleted, 0);
	ck_assert_int_eq(o->total, 300);
	ck_assert_int_eq(o->fetched, 4);
	ck_assert_str_eq(o->watermark, "2024-02-29T23:59:59");
	ck_assert_str_eq(o->sweep, "run was partial");

	/* A successful run: empty class, message and sweep. */
	memset(d, 0, sizeof *d);
	strcpy(d->status, "ok");
	d->deleted = 12;
	d->seen = INT64_MAX;
	roundtrip(MSG_DONE, &in, &out);
	ck_assert_str_eq(o->status, "ok");
	ck_assert_str_eq(o->error_class, "");
	ck_assert_int_eq(o->deleted, 12);
	ck_assert_int_eq(o->seen, INT64_MAX);
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
	o = pf_read_frame(&f, &fr);
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
	o = pf_read_frame(&f, &fr);
	ck_assert_msg(msg_req_unpack(o, &out, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(out.id, 1);
	ck_assert_str_eq(out.cmd, "status");
	ck_assert_ptr_nonnull(out.args);
	ck_assert_uint_eq(out.args->via.map.size, 0);

	/* No args key at all, and args: nil, are both allowed. */
	pf_mp_init(&m);
	msgpack_pack_map(&m.pk, 3);
	pk_kv_str(&m.pk, "t", "req");
	pk_kv_int(&m.pk, "id", 2);
	pk_kv_str(&m.pk, "cmd", "ls");
	o = pf_read_payload(&fr, m.sb.data, m.sb.size);
	ck_assert_msg(msg_req_unpack(o, &out, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(out.id, 2);
	ck_assert_str_eq(out.cmd, "ls");
	ck_assert_ptr_null(out.args);
	pf_mp_free(&m);

	pf_mp_init(&m);
	msgpack_pack_map(&m.pk, 4);
	pk_kv_str(&m.pk, "t", "req");
	pk_kv_int(&m.pk, "id", 3);
	pk_kv_str(&m.pk, "cmd", "ls");
	pk_key(&m.pk, "args");
	msgpack_pack_nil(&m.pk);
	o = pf_read_payload(&fr, m.sb.data, m.sb.size);
	ck_assert_msg(msg_req_unpack(o, &out, err, sizeof err) == 0, "%s", err);
	ck_assert_ptr_null(out.args);
	pf_mp_free(&m);
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
	o = pf_read_frame(&f, &fr);
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
	o = pf_read_frame(&f, &fr);
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
	pf_fill(big, sizeof big, "", 'b');
	msg_resp_error(&f, 1, "%s", big);
	o = pf_read_frame(&f, &fr);
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
	pf_pack_sample((enum msg_type)_i, &f);
	o = pf_read_frame(&f, &fr);
	ck_assert_msg(msg_type_of(o, &t, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(t, _i);
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

	pf_mp_init(&m);
	msgpack_pack_map(&m.pk, v ? 2 : 1);
	if (v != NULL) {
		pf_mp_str(&m, "t");
		pf_pack_val(&m.pk, v);
	}
	pk_kv_int(&m.pk, "x", 1);
	frame_reader_init(&fr);
	o = pf_read_payload(&fr, m.sb.data, m.sb.size);
	err[0] = '\0';
	rc = msg_type_of(o, &t, err, errlen);
	if (rc == -1)
		ck_assert_int_eq(t, MSG_COUNT);
	frame_reader_free(&fr);
	pf_mp_free(&m);
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
	ck_assert(pf_contains(err, "unknown message type"));
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

	pf_fill(a32, sizeof a32, "\"", 'a');
	pf_fill(a33, sizeof a33, "\"", 'a');
	ck_assert_int_eq(type_of_variant(&v, err, sizeof err), -1);
	ck_assert(pf_contains(err, a32));
	ck_assert(!pf_contains(err, a33));
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
	ck_assert(pf_contains(err, "no type"));
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
		ck_assert_msg(pf_contains(err, "no type"), "%zu: %s", i, err);
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
	for (i = 0; i < nitems(pf_unpackable); i++)
		ck_assert_int_eq(pf_unpack_as(pf_unpackable[i], &o, &m, err,
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
		ck_assert_msg(pf_unpack_variant(ks->t, ks->keys[k], NULL, &m, &fr,
		    err, sizeof err) == -1, "%s without %s accepted",
		    msg_name(ks->t), ks->keys[k]);
		ck_assert_msg(pf_contains(err, want), "%s", err);
		if (ks->t != MSG_REQ) {
			snprintf(want, sizeof want, " in %s message",
			    msg_name(ks->t));
			ck_assert_msg(pf_contains(err, want), "%s", err);
		}
		ck_assert_int_eq(pf_unpack_variant(ks->t, ks->keys[k], &nil, &m,
		    &fr, err, sizeof err), -1);
		ck_assert_msg(pf_contains(err, "missing field"), "%s", err);
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
		ck_assert_msg(pf_unpack_variant(ks->t, ks->keys[k], NULL, &m, &fr,
		    err, sizeof err) == 0, "%s", err);
		if (ks->t == MSG_REQ) {
			ck_assert_ptr_null(m.req.args);
			frame_reader_free(&fr);
			continue;
		}
		frame_reader_init(&fr2);
		pf_pack_as(ks->t, &f, &m);
		o = pf_read_frame(&f, &fr2);
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

	for (i = 0; i < nitems(pf_unpackable); i++) {
		frame_reader_init(&fr);
		ck_assert_msg(pf_unpack_variant(pf_unpackable[i], "zz_new_field", &v,
		    &m, &fr, err, sizeof err) == 0, "%s: %s",
		    msg_name(pf_unpackable[i]), err);
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
	ck_assert_msg(pf_unpack_variant(bf->t, bf->key, &bf->v, &m, &fr, err,
	    sizeof err) == -1, "%s.%s accepted", msg_name(bf->t), bf->key);
	ck_assert_msg(pf_contains(err, bf->want), "error \"%s\" lacks \"%s\"", err,
	    bf->want);
	if (bf->t != MSG_REQ) {
		snprintf(want, sizeof want, " in %s message", msg_name(bf->t));
		ck_assert_msg(pf_contains(err, want), "%s", err);
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
	ck_assert_msg(pf_unpack_variant(gf->t, gf->key, &gf->v, &m, &fr, err,
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
		ck_assert_int_eq(pf_unpack_variant(MSG_PROGRESS, "page", &v, &m,
		    &fr, err, sizeof err), 0);
		ck_assert_int_eq(m.progress.page, vals[i]);
		frame_reader_free(&fr);

		frame_reader_init(&fr);
		ck_assert_int_eq(pf_unpack_variant(MSG_JOB, "delta_margin_s", &v,
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
	pf_pack_sample(have, &f);
	o = pf_read_frame(&f, &fr);
	for (i = 0; i < nitems(pf_unpackable); i++) {
		err[0] = '\0';
		rc = pf_unpack_as(pf_unpackable[i], o, &m, err, sizeof err);
		if (pf_unpackable[i] == have) {
			ck_assert_msg(rc == 0, "%s: %s", msg_name(have), err);
			continue;
		}
		ck_assert_msg(rc == -1, "%s unpacked as %s", msg_name(have),
		    msg_name(pf_unpackable[i]));
		snprintf(want, sizeof want, "expected a %s message, got %s",
		    msg_name(pf_unpackable[i]), msg_name(have));
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
	ck_assert_int_eq(pf_unpack_variant(MSG_JOB, "kind", &v, &m, &fr, e.err,
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

	for (i = 0; i < nitems(pf_unpackable); i++) {
		pf_pack_sample(pf_unpackable[i], &f);
		n = f.sb.size - FRAME_HDR;
		p = xmalloc(n);
		memcpy(p, f.sb.data + FRAME_HDR, n);
		frame_free(&f);
		msgpack_unpacked_init(&un);
		off = 0;
		rc = msgpack_unpack_next(&un, p, n, &off);
		ck_assert_int_eq(rc, MSGPACK_UNPACK_SUCCESS);
		ck_assert_uint_eq(off, n);
		ck_assert_msg(pf_unpack_as(pf_unpackable[i], &un.data, &m, err,
		    sizeof err) == 0, "%s", err);
		msgpack_unpacked_destroy(&un);
		free(p);
	}
}
END_TEST

/* ---------------------------------------------------------------------- */

int
main(void)
{
	Suite	*s = suite_create("msg");
	TCase	*tc;

	tc = test_case(s, "roundtrip", test_hello_roundtrip,
	    test_error_roundtrip, test_job_roundtrip, test_job_minimal,
	    test_progress_roundtrip, test_log_roundtrip, test_done_roundtrip,
	    test_req_roundtrip_args, test_req_roundtrip_no_args,
	    test_resp_ok_data, test_resp_error, test_msg_names, NULL);
	tcase_add_loop_test(tc, test_empty_roundtrip, 0, nitems(pf_empty_types));
	tcase_add_loop_test(tc, test_every_type_named, 0, MSG_COUNT);
	test_case(s, "type", test_type_unknown, test_type_unknown_long,
	    test_type_missing, test_type_not_string,
	    test_type_of_non_map_object, NULL);
	tc = test_case(s, "unpack", test_extra_field_ignored, test_int_edges,
	    test_small_errlen, test_unpack_exact_buffer, NULL);
	tcase_add_loop_test(tc, test_missing_required, 0, nitems(required));
	tcase_add_loop_test(tc, test_missing_optional, 0, nitems(optional));
	tcase_add_loop_test(tc, test_bad_field, 0, nitems(badfields));
	tcase_add_loop_test(tc, test_good_field_edges, 0, nitems(goodfields));
	tcase_add_loop_test(tc, test_type_mismatch, 0, MSG_COUNT);
	return test_run(s);
}
