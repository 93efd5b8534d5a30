/*
 * jsonesc.c — the one JSON string escaper, for msgpack_to_json
 * (proto/json.c) and the log lines (log.c, JSON and quoted logfmt values).
 * '"' and '\' get a backslash, \n \r \t their names, other bytes below
 * 0x20 \u00XX; every other byte is copied as it is: UTF-8, DEL, and bytes
 * that are not UTF-8 (erpsyncctl makes those safe for a terminal).
 */
#include <stdio.h>
#include <string.h>

#include "common/common.h"

/*
 * Escape n bytes of s into dst as the inside of a JSON string (no quotes),
 * like snprintf: as much as fits in dstlen, NUL-terminated when dstlen > 0.
 * Returns the length the whole escape needs, NUL not counted.
 */
size_t
json_escape(char *dst, size_t dstlen, const char *s, size_t n)
{
	const unsigned char	*u = (const unsigned char *)s;
	char			 tmp[8];
	const char		*e;
	size_t			 i, off = 0;

	for (i = 0; i < n; i++) {
		switch (u[i]) {
		case '"': e = "\\\""; break;
		case '\\': e = "\\\\"; break;
		case '\n': e = "\\n"; break;
		case '\r': e = "\\r"; break;
		case '\t': e = "\\t"; break;
		default:
			if (u[i] < 0x20) {
				snprintf(tmp, sizeof tmp, "\\u%04x", u[i]);
				e = tmp;
			} else {
				tmp[0] = (char)u[i];
				tmp[1] = '\0';
				e = tmp;
			}
		}
		for (; *e != '\0'; e++, off++)
			if (off + 1 < dstlen)
				dst[off] = *e;
	}
	if (dstlen > 0)
		dst[off < dstlen ? off : dstlen - 1] = '\0';
	return off;
}

/* Append n bytes of s to b as the inside of a JSON string (no quotes). */
void
buf_add_json(struct buf *b, const char *s, size_t n)
{
	size_t	 need;

	need = json_escape(NULL, 0, s, n);
	buf_reserve(b, need);
	json_escape(b->data + b->len, need + 1, s, n);
	b->len += need;
}
