/*
 * frame.c — length-prefixed msgpack frames: a reader that buffers partial
 * input and yields one checked map at a time, and a writer.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "proto/proto.h"

/* Start an empty reader. */
void
frame_reader_init(struct frame_reader *fr)
{
	buf_init(&fr->in);
	fr->off = 0;
	msgpack_unpacked_init(&fr->un);
	fr->failed = 0;
}

/* Release a reader's memory. */
void
frame_reader_free(struct frame_reader *fr)
{
	buf_free(&fr->in);
	msgpack_unpacked_destroy(&fr->un);
}

/*
 * Overwrite the frames taken so far (one held a secret) before any later
 * read can compact them away and leave copies behind.
 */
void
frame_reader_wipe(struct frame_reader *fr)
{
	if (fr->off > 0)
		explicit_bzero(fr->in.data, fr->off);
	msgpack_unpacked_destroy(&fr->un);
	msgpack_unpacked_init(&fr->un);
}

/* Compact consumed bytes away, keeping at most one partial frame. */
static void
frame_reader_compact(struct frame_reader *fr)
{
	if (fr->off == 0)
		return;
	buf_consume(&fr->in, fr->off);
	fr->off = 0;
}

/* Append received bytes. */
void
frame_reader_feed(struct frame_reader *fr, const void *p, size_t len)
{
	frame_reader_compact(fr);
	buf_add(&fr->in, p, len);
}

/* Read what fd has into the reader: bytes read, 0 on EOF, -1 on error (errno). */
ssize_t
frame_reader_read(struct frame_reader *fr, int fd)
{
	ssize_t	 n;

	frame_reader_compact(fr);
	buf_reserve(&fr->in, 65536);
	for (;;) {
		n = read(fd, fr->in.data + fr->in.len, fr->in.cap - fr->in.len - 1);
		if (n == -1 && errno == EINTR)
			continue;
		break;
	}
	if (n > 0) {
		fr->in.len += (size_t)n;
		fr->in.data[fr->in.len] = '\0';
	}
	return n;
}

/* Big-endian unsigned integer of n bytes (n <= 8). */
static uint64_t
frame_be(const unsigned char *p, size_t n)
{
	uint64_t	 v = 0;

	while (n-- > 0)
		v = v << 8 | *p++;
	return v;
}

/*
 * msgpack-c allocates a container's elements from its declared count before
 * reading any of them, so a 5-byte frame could ask for gigabytes. Walk the
 * encoding first: each element takes at least one byte, so the objects still
 * expected can never outnumber the bytes left. -1 when they do, or when the
 * encoding is bad in a way msgpack would refuse anyway.
 */
static int
frame_counts_fit(const unsigned char *p, size_t len)
{
	enum { F_FIX, F_VAR, F_ARR, F_MAP, F_BAD };
	static const struct {
		unsigned char	 hdr;	/* length or count bytes */
		unsigned char	 extra;	/* fixed body bytes */
		unsigned char	 kind;
	} tab[32] = {
		{ 0, 0, F_FIX }, { 0, 0, F_BAD }, { 0, 0, F_FIX }, { 0, 0, F_FIX },
		{ 1, 0, F_VAR }, { 2, 0, F_VAR }, { 4, 0, F_VAR },	/* bin */
		{ 1, 1, F_VAR }, { 2, 1, F_VAR }, { 4, 1, F_VAR },	/* ext */
		{ 0, 4, F_FIX }, { 0, 8, F_FIX },			/* float */
		{ 0, 1, F_FIX }, { 0, 2, F_FIX }, { 0, 4, F_FIX }, { 0, 8, F_FIX },
		{ 0, 1, F_FIX }, { 0, 2, F_FIX }, { 0, 4, F_FIX }, { 0, 8, F_FIX },
		{ 0, 2, F_FIX }, { 0, 3, F_FIX }, { 0, 5, F_FIX }, { 0, 9, F_FIX },
		{ 0, 17, F_FIX },					/* fixext */
		{ 1, 0, F_VAR }, { 2, 0, F_VAR }, { 4, 0, F_VAR },	/* str */
		{ 2, 0, F_ARR }, { 4, 0, F_ARR }, { 2, 0, F_MAP }, { 4, 0, F_MAP },
	};
	size_t		 i = 0, pending = 1;	/* objects still expected */
	uint64_t	 v, skip, n;
	unsigned char	 c;

	while (pending > 0) {
		if (i >= len)
			return -1;
		c = p[i++];
		pending--;
		skip = n = 0;
		if (c <= 0x7f || c >= 0xe0)
			;				/* fixint */
		else if (c <= 0x8f)
			n = 2 * (uint64_t)(c & 0x0f);	/* fixmap */
		else if (c <= 0x9f)
			n = c & 0x0f;			/* fixarray */
		else if (c <= 0xbf)
			skip = c & 0x1f;		/* fixstr */
		else {
			c -= 0xc0;
			if (tab[c].kind == F_BAD || tab[c].hdr > len - i)
				return -1;
			v = frame_be(p + i, tab[c].hdr);
			i += tab[c].hdr;
			switch (tab[c].kind) {
			case F_FIX:
				skip = tab[c].extra;
				break;
			case F_VAR:
				skip = v + tab[c].extra;
				break;
			case F_ARR:
				n = v;
				break;
			case F_MAP:
				n = 2 * v;
				break;
			}
		}
		if (skip > len - i)
			return -1;
		i += skip;
		if (pending > len - i || n > len - i - pending)
			return -1;
		pending += n;
	}
	return 0;
}

/*
 * Take the next whole frame: 1 and *obj (valid until the next call on this
 * reader: next, feed, read or free) when one
 * is ready, 0 when more bytes are needed, -1 with err set when the stream is
 * bad (after which the reader refuses everything: close the peer).
 */
int
frame_reader_next(struct frame_reader *fr, const msgpack_object **obj,
    char *err, size_t errlen)
{
	const unsigned char	*p;
	size_t			 avail, len, used = 0;
	msgpack_unpack_return	 rc;

	if (fr->failed) {
		snprintf(err, errlen, "stream already failed");
		return -1;
	}
	avail = fr->in.len - fr->off;
	if (avail < FRAME_HDR)
		return 0;
	p = (const unsigned char *)fr->in.data + fr->off;
	len = ((size_t)p[0] << 24) | ((size_t)p[1] << 16) |
	    ((size_t)p[2] << 8) | (size_t)p[3];
	if (len == 0 || len > FRAME_MAX) {
		snprintf(err, errlen, "frame length %zu out of range 1..%d",
		    len, FRAME_MAX);
		fr->failed = 1;
		return -1;
	}
	if (avail - FRAME_HDR < len)
		return 0;
	if (frame_counts_fit(p + FRAME_HDR, len) == -1)
		rc = MSGPACK_UNPACK_PARSE_ERROR;
	else
		rc = msgpack_unpack_next(&fr->un, (const char *)p + FRAME_HDR,
		    len, &used);
	if (rc != MSGPACK_UNPACK_SUCCESS && rc != MSGPACK_UNPACK_EXTRA_BYTES) {
		snprintf(err, errlen, "frame of %zu bytes is not valid msgpack", len);
		fr->failed = 1;
		return -1;
	}
	if (used != len) {
		snprintf(err, errlen, "frame has %zu trailing bytes", len - used);
		fr->failed = 1;
		return -1;
	}
	if (fr->un.data.type != MSGPACK_OBJECT_MAP) {
		snprintf(err, errlen, "frame is not a map");
		fr->failed = 1;
		return -1;
	}
	fr->off += FRAME_HDR + len;
	*obj = &fr->un.data;
	return 1;
}

/* Start a frame: the length placeholder and a map of nfields plus "t". */
void
frame_begin(struct frame *f, enum msg_type type, size_t nfields)
{
	static const char zero[FRAME_HDR];

	msgpack_sbuffer_init(&f->sb);
	msgpack_packer_init(&f->pk, &f->sb, msgpack_sbuffer_write);
	msgpack_sbuffer_write(&f->sb, zero, FRAME_HDR);
	msgpack_pack_map(&f->pk, nfields + 1);
	pk_kv_str(&f->pk, "t", msg_name(type));
}

/* Patch the length in; -1 with err when the frame is too large to send. */
int
frame_end(struct frame *f, char *err, size_t errlen)
{
	size_t		 len = f->sb.size - FRAME_HDR;
	unsigned char	*p = (unsigned char *)f->sb.data;

	if (len > FRAME_MAX) {
		snprintf(err, errlen, "frame of %zu bytes exceeds %d", len,
		    FRAME_MAX);
		return -1;
	}
	p[0] = (unsigned char)(len >> 24);
	p[1] = (unsigned char)(len >> 16);
	p[2] = (unsigned char)(len >> 8);
	p[3] = (unsigned char)len;
	return 0;
}

/* Release a frame's buffer. */
void
frame_free(struct frame *f)
{
	msgpack_sbuffer_destroy(&f->sb);
}

/* Pack a string (NULL packs as nil). */
void
pk_str(msgpack_packer *pk, const char *s)
{
	size_t	 n;

	if (s == NULL) {
		msgpack_pack_nil(pk);
		return;
	}
	n = strlen(s);
	msgpack_pack_str(pk, n);
	msgpack_pack_str_body(pk, s, n);
}

/* Pack a map key. */
void
pk_key(msgpack_packer *pk, const char *key)
{
	pk_str(pk, key);
}

/* Pack key and string value. */
void
pk_kv_str(msgpack_packer *pk, const char *key, const char *val)
{
	pk_str(pk, key);
	pk_str(pk, val);
}

/* Pack key and integer value. */
void
pk_kv_int(msgpack_packer *pk, const char *key, int64_t v)
{
	pk_str(pk, key);
	msgpack_pack_int64(pk, v);
}

/* Pack key and boolean value. */
void
pk_kv_bool(msgpack_packer *pk, const char *key, int v)
{
	pk_str(pk, key);
	if (v)
		msgpack_pack_true(pk);
	else
		msgpack_pack_false(pk);
}

/* Pack key and floating value. */
void
pk_kv_double(msgpack_packer *pk, const char *key, double v)
{
	pk_str(pk, key);
	msgpack_pack_double(pk, v);
}
