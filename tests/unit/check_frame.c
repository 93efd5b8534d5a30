/*
 * check_frame.c — unit tests for proto/frame.c: the frame reader on partial
 * input, many frames, file descriptors, and the streams it must refuse
 * (bad lengths, trailing bytes, invalid msgpack, huge counts). Frames are
 * real bytes: pack, frame, feed a reader. Hostile input must give -1 with
 * an error, never a crash or an overread. Fixtures: protofix.c.
 */
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "tests/unit/testutil.h"
#include "tests/unit/protofix.h"

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
/* Reader: partial input, many frames, file descriptors. */

/* A stream of one frame of each type; ends[k] is where frame k ends. */
static size_t
build_mixed(struct buf *b, size_t *ends)
{
	struct frame	 f;
	int		 i;

	for (i = 0; i < MSG_COUNT; i++) {
		pf_pack_sample((enum msg_type)i, &f);
		pf_frame_append(&f, b);
		ends[i] = b->len;
	}
	return MSG_COUNT;
}

/* Append n log frames to b: the sample log (longest message), jobs 0 to n-1. */
static void
append_logs(struct buf *b, int n)
{
	struct frame	 f;
	struct msg_log	 lg;
	int		 i;

	pf_sample_log(&lg);
	for (i = 0; i < n; i++) {
		lg.job = i;
		msg_log_pack(&f, &lg);
		pf_frame_append(&f, b);
	}
}

/*
 * Take every whole frame fr holds: each must be append_logs()'s next log,
 * job *got (then counted); the stream must not fail.
 */
static void
take_logs(struct frame_reader *fr, size_t *got)
{
	const msgpack_object	*o;
	struct msg_log		 lg, out;
	char			 err[PROTO_ERRLEN];
	int			 rc;

	pf_sample_log(&lg);
	while ((rc = frame_reader_next(fr, &o, err, sizeof err)) == 1) {
		ck_assert_msg(msg_log_unpack(o, &out, err, sizeof err) == 0,
		    "%s", err);
		ck_assert_int_eq(out.job, (int64_t)*got);
		ck_assert_str_eq(out.msg, lg.msg);
		(*got)++;
	}
	ck_assert_msg(rc == 0, "%s", err);
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
		if (pf_unpack_as(t, o, &m, err, sizeof err) == -1)
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
	pf_sample_progress(&p);
	for (i = 0; i < 1000; i++) {
		p.page = i;
		msg_progress_pack(&f, &p);
		pf_frame_append(&f, &b);
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
	o = pf_read_frame(&f, &fr);
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
		pf_pack_sample(want[i], &f);
		pf_frame_append(&f, &b);
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
	append_logs(&b, 20);
	got = 0;
	for (off = 0; off < b.len; off += 3) {
		frame_reader_feed(&fr, b.data + off,
		    b.len - off < 3 ? b.len - off : 3);
		take_logs(&fr, &got);
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
	o = pf_read_frame(&f, &fr);
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
	ck_assert_msg(pf_contains(err, "exceeds"), "%s", err);
	frame_free(&f);
	free(s);
}
END_TEST

/* A writer child sends frames over a socketpair; the parent reads them all. */
START_TEST(test_read_socketpair)
{
	struct frame_reader	 fr;
	struct buf		 b;
	int			 sv[2], status, reads = 0;
	size_t			 got = 0;
	ssize_t			 n;
	pid_t			 pid;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	/* About 350 KB: more than one read's worth, so frames straddle reads. */
	buf_init(&b);
	append_logs(&b, 300);
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
		take_logs(&fr, &got);
	}
	ck_assert_int_eq(n, 0);		/* EOF */
	ck_assert_uint_eq(got, 300);
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
	pf_pack_sample(MSG_HELLO, &f);
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

	pf_expect_reject(zero, sizeof zero, "out of range");
	pf_expect_reject(zero_then, sizeof zero_then, "out of range");

	/* After a good frame in the same feed. */
	buf_init(&b);
	pf_pack_sample(MSG_STOP, &f);
	pf_frame_append(&f, &b);
	buf_add(&b, zero, sizeof zero);
	frame_reader_init(&fr);
	frame_reader_feed(&fr, b.data, b.len);
	ck_assert_int_eq(frame_reader_next(&fr, &o, err, sizeof err), 1);
	err[0] = '\0';
	ck_assert_int_eq(frame_reader_next(&fr, &o, err, sizeof err), -1);
	ck_assert_msg(pf_contains(err, "length 0"), "%s", err);
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
	pf_expect_reject(max1, sizeof max1, "length 1048577 out of range");
	pf_expect_reject(ones, sizeof ones, "out of range");
	pf_expect_reject(top, sizeof top, "out of range");
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

	pf_pack_sample(MSG_PROGRESS, &f);
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

	pf_expect_reject_payload(arr, sizeof arr, "not a map");
	pf_expect_reject_payload(num, sizeof num, "not a map");
	pf_expect_reject_payload(neg, sizeof neg, "not a map");
	pf_expect_reject_payload(str, sizeof str, "not a map");
	pf_expect_reject_payload(nil, sizeof nil, "not a map");
	pf_expect_reject_payload(tru, sizeof tru, "not a map");
	pf_expect_reject_payload(bin, sizeof bin, "not a map");
	pf_expect_reject_payload(arrmap, sizeof arrmap, "not a map");
}
END_TEST

START_TEST(test_reject_trailing_bytes)
{
	static const unsigned char two[] = { 0x80, 0x00 };
	static const unsigned char stop_junk[] = { 0x81, 0xa1, 't', 0xa4,
	    's', 't', 'o', 'p', 0xc0, 0xc0, 0xc0 };
	static const unsigned char maps[] = { 0x80, 0x80 };

	pf_expect_reject_payload(two, sizeof two, "1 trailing bytes");
	pf_expect_reject_payload(stop_junk, sizeof stop_junk, "3 trailing bytes");
	pf_expect_reject_payload(maps, sizeof maps, "trailing");
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

	pf_expect_reject_payload(c1, sizeof c1, "not valid msgpack");
	pf_expect_reject_payload(map_short, sizeof map_short, "not valid msgpack");
	pf_expect_reject_payload(str_short, sizeof str_short, "not valid msgpack");
	pf_expect_reject_payload(hdr_short, sizeof hdr_short, "not valid msgpack");
	pf_expect_reject_payload(key_only, sizeof key_only, "not valid msgpack");
	pf_expect_reject_payload(str32, sizeof str32, "not valid msgpack");

	/* Nesting deeper than the unpacker's stack: refused, not recursed into. */
	for (i = 0; i < 40; i++)
		deep[i] = 0x91;
	deep[i++] = 0xc0;
	pf_expect_reject_payload(deep, i, "not valid msgpack");
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
	pf_expect_reject_payload(arr, sizeof arr, "");
	pf_expect_reject_payload(map, sizeof map, "");
	pf_expect_reject_payload(nested, sizeof nested, "");
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

	pf_mp_init(&m);
	for (i = 0; i < depth; i++) {
		msgpack_pack_map(&m.pk, 1);
		pf_mp_str(&m, "a");
	}
	msgpack_pack_nil(&m.pk);
	frame_reader_init(&fr);
	o = pf_read_payload(&fr, m.sb.data, m.sb.size);
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
	pf_mp_free(&m);
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
		pf_pack_sample(MSG_HELLO, &f);
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
	pf_pack_sample(MSG_READY, &f);
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

int
main(void)
{
	Suite	*s = suite_create("frame");

	tcase_set_timeout(test_case(s, "reader", test_one_byte_at_a_time,
	    test_many_frames_one_feed, test_random_chunks,
	    test_frame_max_boundary, test_read_socketpair,
	    test_read_pipe_truncated, NULL), 30);
	tcase_set_timeout(test_case(s, "reject", test_reject_length_zero,
	    test_reject_length_too_big, test_truncated_needs_more,
	    test_reject_not_map, test_reject_trailing_bytes,
	    test_reject_invalid_msgpack, test_small_frame_huge_count_no_alloc,
	    test_nesting_ok, test_failure_is_sticky, NULL), 30);
	return test_run(s);
}
