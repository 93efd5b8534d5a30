/*
 * match.c — the name normalization prices are matched to products with:
 * case, dots, spaces and dashes do not count. Registered as the SQL
 * function erp_norm() on the worker's connections (views.c uses it).
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "worker/worker.h"

/*
 * Normalize a UTF-8 name into out (at most len - 1 bytes): drop '.', ' ',
 * '-' and NBSP, fold A-Z and the Latin-1 capitals (À..Þ) to lower case.
 * Other bytes are kept as they are. Returns the length written.
 */
size_t
name_normalize(const char *in, char *out, size_t len)
{
	const unsigned char	*p = (const unsigned char *)in;
	size_t			 o = 0;

	if (len == 0)
		return 0;
	while (*p != '\0' && o + 2 < len) {
		if (*p == '.' || *p == ' ' || *p == '-') {
			p++;
			continue;
		}
		if (p[0] == 0xc2 && p[1] == 0xa0) {		/* NBSP */
			p += 2;
			continue;
		}
		if (*p >= 'A' && *p <= 'Z') {
			out[o++] = (char)(*p++ + 32);
			continue;
		}
		if (p[0] == 0xc3 && p[1] >= 0x80 && p[1] <= 0x9e && p[1] != 0x97) {
			out[o++] = (char)0xc3;
			out[o++] = (char)(p[1] + 0x20);
			p += 2;
			continue;
		}
		out[o++] = (char)*p++;
	}
	out[o] = '\0';
	return o;
}

static void
sql_erp_norm(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char	*in;
	char		 stack[512], *out = stack;
	size_t		 n, len;

	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	in = (const char *)sqlite3_value_text(argv[0]);
	len = (size_t)sqlite3_value_bytes(argv[0]) + 3;
	if (len > sizeof stack)
		out = xmalloc(len);
	n = name_normalize(in, out, len);
	sqlite3_result_text(ctx, out, (int)n, SQLITE_TRANSIENT);
	if (out != stack)
		free(out);
}

/* Make erp_norm() available on a connection. */
int
match_register(sqlite3 *db)
{
	return sqlite3_create_function(db, "erp_norm", 1, SQLITE_UTF8 |
	    SQLITE_DETERMINISTIC, NULL, sql_erp_norm, NULL, NULL) == SQLITE_OK ?
	    0 : -1;
}
