/*
 * gzip.c — Content-Encoding: gzip for clients that ask (contract §1).
 * A fast level: the simulator must serve thousands of pages a second.
 */
#include <string.h>
#include <zlib.h>

#include "tests/erpsim/erpsim.h"

/* Compress n bytes of p as one gzip member into out; 0 or -1. */
int
gzip_buf(const void *p, size_t n, struct buf *out)
{
	z_stream	 zs;
	uLong		 bound;
	int		 rc;

	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, 1, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	bound = deflateBound(&zs, (uLong)n) + 32;
	buf_reset(out);
	buf_reserve(out, bound);
	zs.next_in = (Bytef *)(uintptr_t)p;
	zs.avail_in = (uInt)n;
	zs.next_out = (Bytef *)out->data;
	zs.avail_out = (uInt)bound;
	rc = deflate(&zs, Z_FINISH);
	if (rc != Z_STREAM_END) {
		deflateEnd(&zs);
		return -1;
	}
	out->len = zs.total_out;
	out->data[out->len] = '\0';
	deflateEnd(&zs);
	return 0;
}
