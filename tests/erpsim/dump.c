/*
 * dump.c — GET /_sim/dump/{kind}[?user=U]: the ground truth a finished
 * sync must match, as JSON lines in stored form (contract §7), one record
 * per line, keys in contract order, records sorted by key.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>

#include "tests/erpsim/erpsim.h"

static int
cmp_key(const void *a, const void *b, void *arg)
{
	const struct table	*t = arg;
	const char		*x = CELL(t, *(const uint32_t *)a, t->def->key).s;
	const char		*y = CELL(t, *(const uint32_t *)b, t->def->key).s;

	return strcmp(x != NULL ? x : "", y != NULL ? y : "");
}

/* Append one record of t as a JSON object line; host prefixes images. */
static void
record_json(struct buf *b, const struct table *t, size_t row,
    const char *host)
{
	const struct viewdef	*v = t->def;
	union val		 x;
	char			 tmp[FMT_MAX];
	int			 i;

	bput(b, '{');
	for (i = 0; i < v->ncols; i++) {
		if (i > 0)
			bput(b, ',');
		bput(b, '"');
		buf_adds(b, v->cols[i].db);
		buf_adds(b, "\":");
		x = CELL(t, row, i);
		switch (v->cols[i].type) {
		case CT_TEXT:
			if (x.s == NULL)
				buf_adds(b, "null");
			else
				json_str(b, x.s);
			continue;
		case CT_IMAGE:
			if (x.s == NULL)
				buf_adds(b, "null");
			else {
				buf_adds(b, "\"http://");
				buf_adds(b, host);
				buf_adds(b, x.s);
				bput(b, '"');
			}
			continue;
		default:
			break;
		}
		if (x.i == VNULL) {
			buf_adds(b, "null");
			continue;
		}
		switch (v->cols[i].type) {
		case CT_INT:
			buf_addf(b, "%lld", (long long)x.i);
			break;
		case CT_BOOL:
			bput(b, x.i ? '1' : '0');
			break;
		case CT_DEC:
			json_dec(b, x.i);
			break;
		case CT_DATE:
			fmt_date(tmp, x.i, 1);
			buf_addf(b, "\"%s\"", tmp);
			break;
		default:
			fmt_datetime(tmp, x.i, 1);
			buf_addf(b, "\"%s\"", tmp);
			break;
		}
	}
	buf_adds(b, "}\n");
}

/* Answer /_sim/dump/{name}. */
void
sim_dump(struct ctx *c, const char *name)
{
	const struct table	*t;
	const char		*user, *host;
	struct buf		*b = reply_body(c->rep);
	char			 hostbuf[64];
	uint32_t		*rows;
	size_t			 n = 0, i;
	int			 k, u = -1;

	if ((k = view_by_name(name)) < 0) {
		sim.stats.not_found++;
		reply_error(c, 404, "unknown kind");
		return;
	}
	user = form_get(&c->query, "user");
	if (views[k].per_user) {
		if (user == NULL || (u = user_by_name(user)) < 0) {
			reply_error(c, 400, user == NULL ? "user= is required" :
			    "unknown user");
			return;
		}
	}
	t = data_table((enum kind)k, u);
	host = evhttp_find_header(evhttp_request_get_input_headers(c->req),
	    "Host");
	if (host == NULL) {
		snprintf(hostbuf, sizeof(hostbuf), "127.0.0.1:%d",
		    sim.bound_port);
		host = hostbuf;
	}
	rows = xreallocarray(NULL, t->n ? t->n : 1, sizeof(*rows));
	for (i = 0; i < t->n; i++)
		if (!t->hdr[i].dead)
			rows[n++] = (uint32_t)i;
	qsort_r(rows, n, sizeof(*rows), cmp_key, (void *)(uintptr_t)t);
	buf_reserve(b, n * 400);
	for (i = 0; i < n; i++)
		record_json(b, t, rows[i], host);
	free(rows);
	reply_header(c->rep, "Content-Type", "application/x-ndjson; "
	    "charset=utf-8");
	reply_json(c, 200);
}
