/*
 * protofix.c — fixtures for proto/ shared by the Check suites and the
 * fuzzer (tests/fuzz/fuzz_frame.c): sample messages of every type, a bare
 * msgpack writer for hostile payloads, and helpers over every message body.
 * No Check here: the fuzzer links this file too.
 */
#include <stdlib.h>
#include <string.h>

#include "tests/unit/protofix.h"

/* Start a bare msgpack writer. */
void
pf_mp_init(struct mp *m)
{
	msgpack_sbuffer_init(&m->sb);
	msgpack_packer_init(&m->pk, &m->sb, msgpack_sbuffer_write);
}

/* Free its buffer. */
void
pf_mp_free(struct mp *m)
{
	msgpack_sbuffer_destroy(&m->sb);
}

/* Pack a string. */
void
pf_mp_str(struct mp *m, const char *s)
{
	pk_str(&m->pk, s);
}

/* Append a 4-byte big-endian length header. */
void
pf_put_hdr(struct buf *b, size_t n)
{
	unsigned char	 h[4];

	h[0] = (unsigned char)(n >> 24);
	h[1] = (unsigned char)(n >> 16);
	h[2] = (unsigned char)(n >> 8);
	h[3] = (unsigned char)n;
	buf_add(b, h, sizeof h);
}

/* Fill dst with size-1 bytes: prefix, then c repeated. */
void
pf_fill(char *dst, size_t size, const char *prefix, char c)
{
	size_t	 n = strlen(prefix);

	if (n >= size)
		abort();	/* a fixture misused: crash the test */
	memcpy(dst, prefix, n);
	memset(dst + n, c, size - 1 - n);
	dst[size - 1] = '\0';
}

/* Whether needle occurs in hay. */
int
pf_contains(const char *hay, const char *needle)
{
	return strstr(hay, needle) != NULL;
}

/* Unpack o as type t; -2 for types that have no unpack function. */
int
pf_unpack_as(enum msg_type t, const msgpack_object *o, union anymsg *m,
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

/* Bytes of the body pf_unpack_as(t) fills (the rest of the union is stale). */
size_t
pf_body_size(enum msg_type t)
{
	switch (t) {
	case MSG_HELLO:
		return sizeof(struct msg_hello);
	case MSG_ERROR:
		return sizeof(struct msg_error);
	case MSG_JOB:
		return sizeof(struct msg_job);
	case MSG_PROGRESS:
		return sizeof(struct msg_progress);
	case MSG_LOG:
		return sizeof(struct msg_log);
	case MSG_DONE:
		return sizeof(struct msg_done);
	case MSG_REQ:
		return sizeof(struct msg_req);
	case MSG_SESSION:
		return sizeof(struct msg_session);
	case MSG_CRED:
		return sizeof(struct msg_cred);
	default:
		return 0;
	}
}

/* The types that have an unpack function, and those without a body. */
const enum msg_type pf_unpackable[PF_NUNPACKABLE] = {
	MSG_HELLO, MSG_ERROR, MSG_JOB, MSG_PROGRESS, MSG_LOG, MSG_DONE, MSG_REQ,
	MSG_SESSION, MSG_CRED
};

const enum msg_type pf_empty_types[PF_NEMPTY] = {
	MSG_PAUSE, MSG_RESUME, MSG_STOP, MSG_READY, MSG_PAUSED, MSG_HEARTBEAT,
	MSG_CRED_REQ
};

/* A hello from the supervisor. */
void
pf_sample_hello(struct msg_hello *m)
{
	memset(m, 0, sizeof *m);
	m->v = PROTO_VERSION;
	strcpy(m->role, "supervisor");
	m->pid = 4194304;
}

/* An error message with quotes, a newline, a tab and UTF-8. */
void
pf_sample_error(struct msg_error *m)
{
	memset(m, 0, sizeof *m);
	strcpy(m->message, "protocol version 2 not supported: \"want 1\"\n"
	    "tab\there, snow \xe2\x98\x83");
}

/* A job with every field set, odd bytes in the password, paths at full length. */
void
pf_sample_job(struct msg_job *m)
{
	size_t	 i;

	memset(m, 0, sizeof *m);
	m->id = 9007199254740993LL;	/* not representable as a double */
	strcpy(m->kind, "customers");
	strcpy(m->mode, "delta");
	pf_fill(m->user, sizeof m->user, "agent-", 'u');
	strcpy(m->erp_user, "alice@example.com");
	for (i = 0; i < sizeof m->password - 1; i++)
		m->password[i] = (char)(i + 1);	/* bytes 0x01..0xff */
	m->password[sizeof m->password - 1] = '\0';
	pf_fill(m->url, sizeof m->url, "https://erp.example.com/", 'x');
	pf_fill(m->db, sizeof m->db, "/var/lib/erpsync/", 'd');
	pf_fill(m->debug_dir, sizeof m->debug_dir, "/var/tmp/erpsync debug/", 'g');
	m->page_size = 500;
	m->sessions = 4;
	m->request_timeout_ms = INT64_MAX;
	m->heartbeat_ms = 5000;
	m->delta_margin_s = -120;
	m->tls_verify = 1;
	pf_fill(m->ca_file, sizeof m->ca_file, "/etc/ssl/\"quoted\"\\", 'c');
	strcpy(m->user_agent, "erpsync/1.0 (+\xc3\xa9t\xc3\xa9)");
}

/* Progress with every counter set. */
void
pf_sample_progress(struct msg_progress *m)
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

/* A warning with the longest message. */
void
pf_sample_log(struct msg_log *m)
{
	memset(m, 0, sizeof *m);
	m->ts_ms = 1700000000123LL;
	strcpy(m->level, "warn");
	strcpy(m->proc, "worker");
	m->job = 12;
	strcpy(m->user, "*");
	strcpy(m->kind, "prices");
	pf_fill(m->msg, sizeof m->msg, "page 7: row \"42\" skipped: ", 'm');
}

/* A failed run with every field set. */
void
pf_sample_done(struct msg_done *m)
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

/* An open session with two cookie lines. */
void
pf_sample_session(struct msg_session *m)
{
	memset(m, 0, sizeof *m);
	m->slot = 2;
	strcpy(m->op, "open");
	strcpy(m->cookies, "127.0.0.1\tFALSE\t/\tFALSE\t0\t"
	    "ASP.NET_SessionId\tabc\n#HttpOnly_127.0.0.1\tFALSE\t/\t"
	    "FALSE\t0\t.ASPXAUTH\tDEF0");
}

/*
 * Pack a valid frame of any type: a type with a body packs its sample as
 * pf_pack_as() packs any body; a request and a response are built here.
 */
void
pf_pack_sample(enum msg_type t, struct frame *f)
{
	union anymsg	 m;

	memset(&m, 0, sizeof m);
	switch (t) {
	case MSG_HELLO:
		pf_sample_hello(&m.hello);
		break;
	case MSG_ERROR:
		pf_sample_error(&m.error);
		break;
	case MSG_JOB:
		pf_sample_job(&m.job);
		break;
	case MSG_PROGRESS:
		pf_sample_progress(&m.progress);
		break;
	case MSG_LOG:
		pf_sample_log(&m.log);
		break;
	case MSG_DONE:
		pf_sample_done(&m.done);
		break;
	case MSG_SESSION:
		pf_sample_session(&m.session);
		break;
	case MSG_CRED:
		strcpy(m.cred.password, "p\xc3\xa0ss:w\x01rd");
		break;
	case MSG_REQ:
		msg_req_begin(f, 9, "status", 2);
		pk_kv_str(&f->pk, "user", "alice");
		pk_kv_int(&f->pk, "limit", 10);
		return;
	case MSG_RESP:
		msg_resp_begin(f, 9, 1);
		pk_str(&f->pk, "ok");
		return;
	default:
		break;		/* no body: pf_pack_as packs it empty */
	}
	pf_pack_as(t, f, &m);
}

/*
 * Sample frames beyond one of each type (k < PF_NEXTRA): a request whose
 * args nest a map, an array, a float, nil and binary; an error response.
 * Returns the frame's name, for seed files.
 */
const char *
pf_pack_extra(size_t k, struct frame *f)
{
	switch (k) {
	case 0:
		msg_req_begin(f, 5, "hold", 3);
		pk_kv_str(&f->pk, "user", "bob");
		pk_kv_int(&f->pk, "ttl", -1);
		pk_key(&f->pk, "opts");
		msgpack_pack_map(&f->pk, 2);
		pk_kv_bool(&f->pk, "force", 1);
		pk_key(&f->pk, "list");
		msgpack_pack_array(&f->pk, 3);
		msgpack_pack_double(&f->pk, 0.5);
		msgpack_pack_nil(&f->pk);
		msgpack_pack_bin(&f->pk, 1);
		msgpack_pack_bin_body(&f->pk, "z", 1);
		return "req-nested";
	default:
		msg_resp_error(f, 6, "no such user \"%s\"", "carol");
		return "resp-error";
	}
}

/*
 * Pack an unpacked body back (req: id, cmd and args as they were); a type
 * without a body packs as an empty message.
 */
void
pf_pack_as(enum msg_type t, struct frame *f, const union anymsg *m)
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
		msg_empty_pack(f, t);	/* a type without a body */
		break;
	}
}

/* Pack v as a msgpack value. */
void
pf_pack_val(msgpack_packer *pk, const struct val *v)
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
void
pf_repack(const msgpack_object *map, const char *key, const struct val *v,
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
				pf_mp_str(out, key);
				pf_pack_val(&out->pk, v);
			}
			continue;
		}
		msgpack_pack_object(&out->pk, kv->key);
		msgpack_pack_object(&out->pk, kv->val);
	}
	if (v != NULL && !present) {
		pf_mp_str(out, key);
		pf_pack_val(&out->pk, v);
	}
}

