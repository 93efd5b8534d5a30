/*
 * utf8.c — the one UTF-8 decoder: the worker keeps only valid UTF-8 in the
 * mirrors (grid.c), erpsyncctl makes text safe for a terminal
 * (supervisor/ctl-print.c), erpsim writes characters as references.
 */
#include <stddef.h>
#include <stdint.h>

#include "common/common.h"

/*
 * The length of the well-formed UTF-8 character at p (n > 0 bytes left),
 * with its code point in *cp when cp is not NULL; 0 when p does not start
 * one (a stray, overlong, surrogate or out-of-range sequence, or one cut
 * by the end).
 */
size_t
utf8_char(const unsigned char *p, size_t n, uint32_t *cp)
{
	size_t		 len, i;
	uint32_t	 c;
	unsigned char	 lo = 0x80, hi = 0xbf;

	if (p[0] < 0x80) {
		if (cp != NULL)
			*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		len = 2;
		c = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		len = 3;
		c = p[0] & 0x0f;
		if (p[0] == 0xe0)
			lo = 0xa0;	/* overlong */
		if (p[0] == 0xed)
			hi = 0x9f;	/* surrogates */
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		len = 4;
		c = p[0] & 0x07;
		if (p[0] == 0xf0)
			lo = 0x90;	/* overlong */
		if (p[0] == 0xf4)
			hi = 0x8f;	/* above U+10FFFF */
	} else
		return 0;
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (cp != NULL)
		*cp = c;
	return len;
}
