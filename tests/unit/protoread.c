/*
 * protoread.c — Check helpers for the proto/ suites: feed frames and
 * payloads through a frame_reader and fail the test when a frame that must
 * be accepted is not, or one that must be refused is not.
 */
#include <string.h>

#include <check.h>

#include "tests/unit/protofix.h"

/* Feed payload as one frame (header + bytes). */
void
pf_feed_payload(struct frame_reader *fr, const void *p, size_t n)
{
	struct buf	 b;

	buf_init(&b);
	pf_put_hdr(&b, n);
	buf_add(&b, p, n);
	frame_reader_feed(fr, b.data, b.len);
	buf_free(&b);
}

/* Feed payload as a frame and return its object (must be accepted). */
const msgpack_object *
pf_read_payload(struct frame_reader *fr, const void *p, size_t n)
{
	const msgpack_object	*o = NULL;
	char			 err[PROTO_ERRLEN] = "";

	pf_feed_payload(fr, p, n);
	ck_assert_msg(frame_reader_next(fr, &o, err, sizeof err) == 1,
	    "frame refused: %s", err);
	ck_assert_ptr_nonnull(o);
	return o;
}

/* Finish f, feed it to fr, free f, return the one object it held. */
const msgpack_object *
pf_read_frame(struct frame *f, struct frame_reader *fr)
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
void
pf_frame_append(struct frame *f, struct buf *b)
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
void
pf_expect_reject(const void *p, size_t n, const char *needle)
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
void
pf_expect_reject_payload(const void *p, size_t n, const char *needle)
{
	struct buf	 b;

	buf_init(&b);
	pf_put_hdr(&b, n);
	buf_add(&b, p, n);
	pf_expect_reject(b.data, b.len, needle);
	buf_free(&b);
}

/*
 * Take the sample of type t, change one field (or drop it when v is NULL),
 * and unpack the result as t. Returns what unpack returned; m holds the body.
 */
int
pf_unpack_variant(enum msg_type t, const char *key, const struct val *v,
    union anymsg *m, struct frame_reader *fr2, char *err, size_t errlen)
{
	struct frame_reader	 fr;
	struct frame		 f;
	struct mp		 out;
	const msgpack_object	*o;
	int			 rc;

	frame_reader_init(&fr);
	pf_pack_sample(t, &f);
	o = pf_read_frame(&f, &fr);
	pf_mp_init(&out);
	pf_repack(o, key, v, &out);
	frame_reader_free(&fr);

	o = pf_read_payload(fr2, out.sb.data, out.sb.size);
	pf_mp_free(&out);
	err[0] = '\0';
	rc = pf_unpack_as(t, o, m, err, errlen);
	return rc;
}

