/*
 * fuzz_frame.c — fuzz proto/ with arbitrary bytes: they go to a frame_reader
 * in chunks of input-derived sizes, and every frame it yields goes through
 * msg_type_of, every unpack function and msgpack_to_json, with invariants
 * checked (a failure always has error text; whatever unpacks packs back to
 * the same thing; JSON holds no raw control bytes).
 *
 * A libFuzzer target. Built with -DFUZZ_STANDALONE it has its own main():
 *   fuzz_frame FILE|DIR...         replay inputs (e.g. a saved crash)
 *   fuzz_frame [-n N] [-t SECS] [-s SEED]
 *                                  mutate built-in valid frames, N times or
 *                                  for SECS seconds, from a fixed seed
 *   fuzz_frame -w DIR              write the seed corpus into DIR
 * See tests/fuzz/README.md and tests/fuzz/run.sh.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "proto/proto.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

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

static const enum msg_type unpackable[] = {
	MSG_HELLO, MSG_ERROR, MSG_JOB, MSG_PROGRESS, MSG_LOG, MSG_DONE, MSG_REQ,
	MSG_SESSION, MSG_CRED
};

#ifdef FUZZ_STANDALONE
static const uint8_t	*cur_data;	/* the input being run, for crash files */
static size_t		 cur_size;
static const char	*crash_dir = ".";
static void	 save_input(void);
#endif

/* An invariant broke: say which, keep the input (standalone), crash. */
static void
fz_fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_frame: invariant broken: %s (%s)\n", what,
	    detail ? detail : "");
#ifdef FUZZ_STANDALONE
	save_input();
#endif
	abort();
}

static uint32_t
fz_rand(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static uint32_t
fz_hash(const uint8_t *d, size_t n)
{
	uint32_t	 h = 2166136261u;
	size_t		 i;

	for (i = 0; i < n; i++)
		h = (h ^ d[i]) * 16777619u;
	return h ? h : 1;
}

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

/* Bytes of the body unpack_as(t) fills (the rest of the union is stale). */
static size_t
body_size(enum msg_type t)
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

static void
pack_as(enum msg_type t, struct frame *f, const union anymsg *m)
{
	const msgpack_object	*a;
	uint32_t		 i;

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
		a = m->req.args;
		msg_req_begin(f, m->req.id, m->req.cmd, a ? a->via.map.size : 0);
		for (i = 0; a != NULL && i < a->via.map.size; i++) {
			msgpack_pack_object(&f->pk, a->via.map.ptr[i].key);
			msgpack_pack_object(&f->pk, a->via.map.ptr[i].val);
		}
		break;
	default:
		msg_empty_pack(f, t);
		break;
	}
}

/* JSON text of o (caller frees). */
static char *
to_json(const msgpack_object *o)
{
	struct buf	 b;
	size_t		 i;

	buf_init(&b);
	msgpack_to_json(&b, o);
	if (b.len == 0)
		fz_fail("msgpack_to_json wrote nothing", NULL);
	for (i = 0; i < b.len; i++)
		if ((unsigned char)b.data[i] < 0x20)
			fz_fail("raw control byte in JSON", NULL);
	return buf_steal(&b);
}

/* An unpacked body must pack into a frame that unpacks to the same body. */
static void
check_repack(enum msg_type t, const union anymsg *m)
{
	static union anymsg	 m2;
	struct frame_reader	 fr;
	struct frame		 f;
	const msgpack_object	*o = NULL;
	char			 err[PROTO_ERRLEN];
	char			*j1, *j2;

	pack_as(t, &f, m);
	if (frame_end(&f, err, sizeof err) == -1)
		fz_fail("repacked frame too large", err);
	frame_reader_init(&fr);
	frame_reader_feed(&fr, f.sb.data, f.sb.size);
	frame_free(&f);
	if (frame_reader_next(&fr, &o, err, sizeof err) != 1)
		fz_fail("repacked frame refused", err);
	if (unpack_as(t, o, &m2, err, sizeof err) != 0)
		fz_fail("repacked message refused", err);
	if (t == MSG_REQ) {
		if (m2.req.id != m->req.id || strcmp(m2.req.cmd, m->req.cmd) != 0)
			fz_fail("req changed in a round trip", NULL);
		if ((m->req.args == NULL) != (m2.req.args == NULL) &&
		    !(m->req.args == NULL && m2.req.args->via.map.size == 0))
			fz_fail("req args changed in a round trip", NULL);
		if (m->req.args != NULL) {
			j1 = to_json(m->req.args);
			j2 = to_json(m2.req.args);
			if (strcmp(j1, j2) != 0)
				fz_fail("req args changed in a round trip", j1);
			free(j1);
			free(j2);
		}
	} else if (memcmp(m, &m2, body_size(t)) != 0)
		fz_fail("message changed in a round trip", msg_name(t));
	frame_reader_free(&fr);
}

/* Everything proto/ offers for one object. */
static void
check_object(const msgpack_object *o)
{
	static union anymsg	 m;
	enum msg_type		 t = MSG_COUNT;
	char			 err[PROTO_ERRLEN];
	char			*js;
	size_t			 i;
	int			 trc, rc;

	js = to_json(o);
	free(js);

	err[0] = '\0';
	trc = msg_type_of(o, &t, err, sizeof err);
	if (trc == -1 && err[0] == '\0')
		fz_fail("msg_type_of failed without a reason", NULL);
	if (trc == 0 && (unsigned)t >= MSG_COUNT)
		fz_fail("msg_type_of gave a bad type", NULL);
	if (trc == 0 && strcmp(msg_name(t), "unknown") == 0)
		fz_fail("msg_type_of gave an unnamed type", NULL);

	for (i = 0; i < sizeof unpackable / sizeof unpackable[0]; i++) {
		err[0] = '\0';
		rc = unpack_as(unpackable[i], o, &m, err, sizeof err);
		if (rc == -1) {
			if (err[0] == '\0')
				fz_fail("unpack failed without a reason",
				    msg_name(unpackable[i]));
			if (strlen(err) >= sizeof err)
				fz_fail("unpack error not terminated", NULL);
			continue;
		}
		if (rc != 0)
			fz_fail("unpack returned neither 0 nor -1",
			    msg_name(unpackable[i]));
		if (trc != 0 || t != unpackable[i])
			fz_fail("unpacked a message of another type",
			    msg_name(unpackable[i]));
		if (t == MSG_REQ && m.req.args != NULL &&
		    m.req.args->type != MSGPACK_OBJECT_MAP)
			fz_fail("req args is not a map", NULL);
		check_repack(t, &m);
	}
}

/*
 * The same payload parsed from a heap block of exactly its size, so an
 * overread in the getters runs off the allocation and ASan sees it.
 */
static void
check_exact_copy(const char *payload, size_t len)
{
	msgpack_unpacked	 un;
	char			*p;
	size_t			 off = 0;

	p = xmalloc(len);
	memcpy(p, payload, len);
	msgpack_unpacked_init(&un);
	if (msgpack_unpack_next(&un, p, len, &off) != MSGPACK_UNPACK_SUCCESS ||
	    off != len)
		fz_fail("a frame the reader took does not parse alone", NULL);
	check_object(&un.data);
	msgpack_unpacked_destroy(&un);
	free(p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct frame_reader	 fr;
	const msgpack_object	*o;
	const unsigned char	*h;
	char			 err[PROTO_ERRLEN];
	uint32_t		 seed = fz_hash(data, size);
	size_t			 fed = 0, chunk, start, len;
	int			 mode = (int)(seed % 4), rc = 0;

	frame_reader_init(&fr);
	while (fed < size && rc != -1) {
		/* Chunking: byte by byte, all at once, or random sizes. */
		if (mode == 0)
			chunk = 1;
		else if (mode == 1)
			chunk = size;
		else
			chunk = 1 + fz_rand(&seed) % (mode == 2 ? 16 : 4096);
		if (chunk > size - fed)
			chunk = size - fed;
		frame_reader_feed(&fr, data + fed, chunk);
		fed += chunk;
		for (;;) {
			start = fr.off;
			o = NULL;
			err[0] = '\0';
			rc = frame_reader_next(&fr, &o, err, sizeof err);
			if (rc != 1)
				break;
			if (o == NULL || o->type != MSGPACK_OBJECT_MAP)
				fz_fail("reader yielded a non-map", NULL);
			h = (const unsigned char *)fr.in.data + start;
			len = ((size_t)h[0] << 24) | ((size_t)h[1] << 16) |
			    ((size_t)h[2] << 8) | h[3];
			if (len == 0 || len > FRAME_MAX ||
			    fr.off != start + FRAME_HDR + len)
				fz_fail("reader consumed the wrong length", NULL);
			check_object(o);
			check_exact_copy((const char *)h + FRAME_HDR, len);
		}
		if (rc == 0 && o != NULL)
			fz_fail("reader set a frame while needing more", NULL);
		if (rc == -1) {
			if (err[0] == '\0')
				fz_fail("reader failed without a reason", NULL);
			if (o != NULL)
				fz_fail("reader set a frame on failure", NULL);
			err[0] = '\0';
			if (frame_reader_next(&fr, &o, err, sizeof err) != -1 ||
			    err[0] == '\0')
				fz_fail("reader recovered after failing", NULL);
		} else if (rc != 0)
			fz_fail("frame_reader_next returned junk", NULL);
	}
	frame_reader_free(&fr);
	return 0;
}

#ifdef FUZZ_STANDALONE
/* ---------------------------------------------------------------------- */
/* Standalone driver: replay files, or mutate built-in frames. */

static void
save_input(void)
{
	char	 path[1024];
	FILE	*fp;

	if (cur_data == NULL)
		return;
	snprintf(path, sizeof path, "%s/crash-%08x", crash_dir,
	    fz_hash(cur_data, cur_size));
	if ((fp = fopen(path, "wb")) == NULL)
		return;
	fwrite(cur_data, 1, cur_size, fp);
	fclose(fp);
	fprintf(stderr, "fuzz_frame: input saved as %s (%zu bytes)\n", path,
	    cur_size);
}

/* Called by ASan/UBSan before they end the process. */
extern void __sanitizer_set_death_callback(void (*)(void)) __attribute__((weak));

static void
run_one(const uint8_t *d, size_t n)
{
	uint8_t	*copy;

	/* An exact-size copy, so reads past the end are caught. */
	copy = xmalloc(n ? n : 1);
	if (n > 0)
		memcpy(copy, d, n);
	cur_data = copy;
	cur_size = n;
	LLVMFuzzerTestOneInput(copy, n);
	cur_data = NULL;
	free(copy);
}

static size_t
run_path(const char *path)
{
	struct stat	 st;
	DIR		*dir;
	struct dirent	*de;
	char		 sub[4096];
	FILE		*fp;
	uint8_t		*d;
	size_t		 n = 0, runs = 0;

	if (stat(path, &st) == -1) {
		fprintf(stderr, "fuzz_frame: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	if (S_ISDIR(st.st_mode)) {
		if ((dir = opendir(path)) == NULL)
			return 0;
		while ((de = readdir(dir)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
			runs += run_path(sub);
		}
		closedir(dir);
		return runs;
	}
	if ((fp = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "fuzz_frame: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	d = xmalloc((size_t)st.st_size + 1);
	n = fread(d, 1, (size_t)st.st_size, fp);
	fclose(fp);
	run_one(d, n);
	free(d);
	return 1;
}

/* The seed frames: one valid frame of every type, some with odd content. */
static void
seed_frames(struct buf *out, size_t *ends, size_t *count)
{
	struct frame		 f;
	union anymsg		 m;
	char			 err[PROTO_ERRLEN];
	size_t			 i, n = 0;
	int			 t;

	for (t = 0; t < MSG_COUNT; t++) {
		memset(&m, 0, sizeof m);
		switch (t) {
		case MSG_HELLO:
			m.hello.v = PROTO_VERSION;
			strcpy(m.hello.role, "worker");
			m.hello.pid = 1234;
			break;
		case MSG_ERROR:
			strcpy(m.error.message, "bad \"thing\"\n\x01");
			break;
		case MSG_JOB:
			m.job.id = 7;
			strcpy(m.job.kind, "orders");
			strcpy(m.job.mode, "delta");
			strcpy(m.job.user, "alice");
			strcpy(m.job.erp_user, "alice");
			for (i = 0; i < 40; i++)
				m.job.password[i] = (char)(0x80 + i);
			strcpy(m.job.url, "https://erp.example/");
			strcpy(m.job.db, "/var/lib/erpsync/alice.db");
			m.job.page_size = 500;
			m.job.sessions = 2;
			m.job.request_timeout_ms = 30000;
			m.job.heartbeat_ms = 5000;
			m.job.delta_margin_s = -60;
			m.job.tls_verify = 1;
			strcpy(m.job.user_agent, "erpsync");
			break;
		case MSG_PROGRESS:
			m.progress.job = 7;
			strcpy(m.progress.kind, "orders");
			m.progress.page = 2;
			m.progress.pages = 9;
			m.progress.seen = 1000;
			m.progress.total = INT64_MAX;
			break;
		case MSG_LOG:
			strcpy(m.log.level, "info");
			strcpy(m.log.msg, "page 2 of 9");
			m.log.ts_ms = 1700000000000LL;
			break;
		case MSG_DONE:
			strcpy(m.done.status, "ok");
			m.done.pages = 9;
			m.done.deleted = 3;
			strcpy(m.done.watermark, "2024-01-01T00:00:00");
			break;
		case MSG_SESSION:
			m.session.slot = 1;
			strcpy(m.session.op, "open");
			strcpy(m.session.cookies, "127.0.0.1\tFALSE\t/\tFALSE\t0\t"
			    "ASP.NET_SessionId\tx1\n");
			break;
		case MSG_CRED:
			strcpy(m.cred.password, "pw");
			break;
		default:
			break;
		}
		if (t == MSG_REQ) {
			msg_req_begin(&f, 5, "hold", 3);
			pk_kv_str(&f.pk, "user", "bob");
			pk_kv_int(&f.pk, "ttl", -1);
			pk_key(&f.pk, "opts");
			msgpack_pack_map(&f.pk, 2);
			pk_kv_bool(&f.pk, "force", 1);
			pk_key(&f.pk, "list");
			msgpack_pack_array(&f.pk, 3);
			msgpack_pack_double(&f.pk, 0.5);
			msgpack_pack_nil(&f.pk);
			msgpack_pack_bin(&f.pk, 1);
			msgpack_pack_bin_body(&f.pk, "z", 1);
		} else if (t == MSG_RESP) {
			msg_resp_begin(&f, 5, 1);
			msgpack_pack_map(&f.pk, 1);
			pk_kv_str(&f.pk, "state", "held");
		} else
			pack_as((enum msg_type)t, &f, &m);
		if (frame_end(&f, err, sizeof err) == -1)
			fz_fail("seed frame too large", err);
		buf_add(out, f.sb.data, f.sb.size);
		ends[n++] = out->len;
		frame_free(&f);
	}
	msg_resp_error(&f, 6, "no such user \"%s\"", "carol");
	if (frame_end(&f, err, sizeof err) == -1)
		fz_fail("seed frame too large", err);
	buf_add(out, f.sb.data, f.sb.size);
	ends[n++] = out->len;
	frame_free(&f);
	*count = n;
}

static void
write_file(const char *dir, const char *name, const void *p, size_t n)
{
	char	 path[4096];
	FILE	*fp;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if ((fp = fopen(path, "wb")) == NULL ||
	    fwrite(p, 1, n, fp) != n || fclose(fp) != 0) {
		fprintf(stderr, "fuzz_frame: %s: %s\n", path, strerror(errno));
		exit(2);
	}
}

static void
write_seeds(const char *dir)
{
	struct buf	 all;
	size_t		 ends[MSG_COUNT + 1], n, i, start = 0;
	char		 name[64];

	buf_init(&all);
	seed_frames(&all, ends, &n);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof name, "seed-%02zu-%s", i,
		    i < MSG_COUNT ? msg_name((enum msg_type)i) : "resp-error");
		write_file(dir, name, all.data + start, ends[i] - start);
		start = ends[i];
	}
	write_file(dir, "seed-stream", all.data, all.len);
	buf_free(&all);
}

/* Change d in place (within cap); returns the new length. */
static size_t
mutate(uint8_t *d, size_t n, size_t cap, uint32_t *s)
{
	static const uint8_t	 bytes[] = { 0x00, 0x01, 0x7f, 0x80, 0xff,
	    0xc0, 0xc1, 0xc2, 0xc3, 0xa0, 0xa1, 0x90, 0x91, 0xd9, 0xdb, 0xdc,
	    0xdd, 0xde, 0xdf, 0xcf, 0xd3, 0xca, 0xcb, 0xc4, 0xc7, 0xd4 };
	static const uint32_t	 words[] = { 0, 1, 2, 0x7f, 0x80, 0xffff,
	    FRAME_MAX, FRAME_MAX + 1, 0x7fffffff, 0x80000000u, 0xffffffffu };
	uint32_t		 w, r;
	size_t			 pos, len, k, rounds = 1 + fz_rand(s) % 6;

	for (k = 0; k < rounds; k++) {
		r = fz_rand(s);
		pos = n ? fz_rand(s) % n : 0;
		switch (r % 10) {
		case 0:
			if (n)
				d[pos] ^= (uint8_t)(1u << (r >> 8) % 8);
			break;
		case 1:
			if (n)
				d[pos] = bytes[(r >> 8) % sizeof bytes];
			break;
		case 2:
			if (n)
				d[pos] = (uint8_t)(r >> 8);
			break;
		case 3:
			if (n)
				n = pos;	/* truncate */
			break;
		case 4:
			if (n < cap) {	/* insert a byte */
				memmove(d + pos + 1, d + pos, n - pos);
				d[pos] = (uint8_t)(r >> 8);
				n++;
			}
			break;
		case 5:
			len = 1 + (r >> 8) % 16;	/* delete a range */
			if (len > n - pos)
				len = n - pos;
			memmove(d + pos, d + pos + len, n - pos - len);
			n -= len;
			break;
		case 6:
		case 7:
			/* A 32-bit big-endian value: a length or a count. */
			if (n >= 4) {
				w = words[(r >> 8) % (sizeof words / sizeof words[0])];
				if ((r >> 16) & 1)
					w = fz_rand(s) % 64;
				pos = fz_rand(s) % (n - 3);
				d[pos] = (uint8_t)(w >> 24);
				d[pos + 1] = (uint8_t)(w >> 16);
				d[pos + 2] = (uint8_t)(w >> 8);
				d[pos + 3] = (uint8_t)w;
			}
			break;
		case 8:
			/* Copy a range over another place. */
			if (n >= 2) {
				size_t from = fz_rand(s) % n;

				len = 1 + (r >> 8) % 32;
				if (len > n - from)
					len = n - from;
				if (len > n - pos)
					len = n - pos;
				memmove(d + pos, d + from, len);
			}
			break;
		case 9:
			/* Shrink or grow the first frame's length header. */
			if (n >= 4)
				d[3] = (uint8_t)(d[3] + (int)((r >> 8) % 5) - 2);
			break;
		}
	}
	return n;
}

static double
now_s(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
usage(void)
{
	fprintf(stderr, "usage: fuzz_frame [-n count] [-t seconds] [-s seed] "
	    "[-c crashdir] [-w seeddir] [file|dir ...]\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	struct buf	 pool;
	size_t		 ends[MSG_COUNT + 1], npool, runs = 0, cap, n, i, k, a, b;
	uint8_t		*d;
	uint32_t	 s, seed = 1;
	long		 count = -1;
	double		 secs = 0, t0;
	int		 ch;

	while ((ch = getopt(argc, argv, "c:n:s:t:w:")) != -1) {
		switch (ch) {
		case 'c':
			crash_dir = optarg;
			break;
		case 'n':
			count = strtol(optarg, NULL, 10);
			break;
		case 's':
			seed = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case 't':
			secs = strtod(optarg, NULL);
			break;
		case 'w':
			write_seeds(optarg);
			return 0;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (__sanitizer_set_death_callback != NULL)
		__sanitizer_set_death_callback(save_input);

	if (argc > 0) {
		for (i = 0; i < (size_t)argc; i++)
			runs += run_path(argv[i]);
		printf("fuzz_frame: replayed %zu inputs, no crash\n", runs);
		return 0;
	}

	if (count < 0 && secs <= 0)
		count = 100000;
	buf_init(&pool);
	seed_frames(&pool, ends, &npool);
	cap = pool.len + 256;
	d = xmalloc(cap);
	s = seed ? seed : 1;
	t0 = now_s();
	for (;;) {
		if (count >= 0 && runs >= (size_t)count)
			break;
		if (secs > 0 && (runs & 255) == 0 && now_s() - t0 >= secs)
			break;
		if (fz_rand(&s) % 16 == 0) {
			/* Pure noise, short. */
			n = fz_rand(&s) % 64;
			for (i = 0; i < n; i++)
				d[i] = (uint8_t)fz_rand(&s);
		} else {
			/* One to three seed frames in a row, then mutated. */
			n = 0;
			for (k = 1 + fz_rand(&s) % 3; k > 0; k--) {
				i = fz_rand(&s) % npool;
				a = i ? ends[i - 1] : 0;
				b = ends[i];
				if (n + (b - a) > cap - 64)
					break;
				memcpy(d + n, pool.data + a, b - a);
				n += b - a;
			}
			n = mutate(d, n, cap, &s);
		}
		run_one(d, n);
		runs++;
	}
	printf("fuzz_frame: %zu inputs in %.1f s (seed %u), no crash\n", runs,
	    now_s() - t0, seed);
	free(d);
	buf_free(&pool);
	return 0;
}
#endif /* FUZZ_STANDALONE */
