/*
 * gzip.c — Content-Encoding: gzip for clients that ask (contract §1).
 * One deflate state is kept and reset between replies, and a fast level is
 * used: the simulator must serve thousands of pages a second.
 */
#include <string.h>
#include <zlib.h>

#include "tests/erpsim/erpsim.h"

static z_stream	 zs;
static int	 zs_ready;

/* Compress n bytes of p as one gzip member into out; 0 or -1. */
int
gzip_buf(const void *p, size_t n, struct buf *out)
{
	uLong	 bound;
	int	 rc;

	if (!zs_ready) {
		memset(&zs, 0, sizeof(zs));
		if (deflateInit2(&zs, 1, Z_DEFLATED, 15 + 16, 8,
		    Z_DEFAULT_STRATEGY) != Z_OK)
			return -1;
		zs_ready = 1;
	} else if (deflateReset(&zs) != Z_OK)
		return -1;
	bound = deflateBound(&zs, (uLong)n) + 32;
	buf_reset(out);
	buf_reserve(out, bound);
	zs.next_in = (Bytef *)(uintptr_t)p;
	zs.avail_in = (uInt)n;
	zs.next_out = (Bytef *)out->data;
	zs.avail_out = (uInt)bound;
	rc = deflate(&zs, Z_FINISH);
	if (rc != Z_STREAM_END)
		return -1;
	out->len = zs.total_out;
	out->data[out->len] = '\0';
	return 0;
}

/* Release the deflate state (at exit). */
void
gzip_free(void)
{
	if (zs_ready)
		deflateEnd(&zs);
	zs_ready = 0;
}
