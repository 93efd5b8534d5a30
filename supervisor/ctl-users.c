/*
 * ctl-users.c — `erpsyncctl users [--user U]`: every user with where its
 * credentials come from, whether it needs a login, and per kind its
 * freshness: last success (and how old), last full and delta, failures,
 * when the schedule next wants it, the job queued or running, last error.
 * Fetched page by page; with --json one JSON object per page.
 */
#include <getopt.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "supervisor/ctl.h"

#define USERS_PAGE	500

#define USERS_COLS	11

static const struct ctl_opt ctl_users_opts[] = {
	{ 'u', "user", "U", "only user U (* for products and prices)" },
	{ 0, NULL, NULL, NULL }
};

static int
ctl_users_parse(struct ctl *c, int argc, char **argv)
{
	int	 ch;

	while ((ch = ctl_getopt(argc, argv, ctl_users_opts, "")) != -1) {
		if (ch != 'u')
			return CTL_USAGE;
		if (ctl_parse_user(c, optarg, 1) != CTL_OK)
			return CTL_USAGE;
	}
	if (optind != argc) {
		ctl_err("users takes no arguments (\"%s\"): a user is "
		    "--user U", argv[optind]);
		return CTL_USAGE;
	}
	return CTL_OK;
}

static void
ctl_users_kind(struct ctl_table *t, const msgpack_object *u,
    const msgpack_object *k, int64_t now, int first)
{
	char		 user[USER_ID_MAX + 1], creds[USER_ID_MAX + 16];
	char		 kind[16], ok[32], full[32], delta[32], next[32];
	char		 st[16], job[40], fails[24], err[200];
	const char	*cells[USERS_COLS], *sgr[USERS_COLS];

	ctl_str(k, "job_state", st, sizeof st);
	snprintf(job, sizeof job, "%lld %s", (long long)ctl_int(k, "job"), st);
	snprintf(fails, sizeof fails, "%lld", (long long)ctl_int(k,
	    "failures"));
	cells[0] = first ? ctl_str(u, "user", user, sizeof user) : "";
	cells[1] = first ? ctl_str(u, "credentials", creds, sizeof creds) : "";
	cells[2] = first ? (ctl_bool(u, "needs_login") ? "NEEDS" : "ok") : "";
	cells[3] = ctl_str(k, "kind", kind, sizeof kind);
	cells[4] = ctl_ago(ctl_int(k, "last_ok"), now, ok, sizeof ok);
	cells[5] = ctl_ago(ctl_int(k, "last_full_ok"), now, full, sizeof full);
	cells[6] = ctl_ago(ctl_int(k, "last_delta_ok"), now, delta,
	    sizeof delta);
	cells[7] = fails;
	cells[8] = ctl_int(k, "next_due") < 0 ? "-" :
	    ctl_ago(ctl_int(k, "next_due"), now, next, sizeof next);
	cells[9] = ctl_int(k, "job") != 0 ? job : "-";
	cells[10] = ctl_bool(k, "poisoned") ? "POISONED " :
	    ctl_str(k, "last_error", err, sizeof err);
	memset(sgr, 0, sizeof sgr);
	sgr[2] = first && ctl_bool(u, "needs_login") ? "31" : NULL;
	sgr[9] = ctl_int(k, "job") != 0 ? ctl_state_sgr(st) : NULL;
	sgr[10] = ctl_bool(k, "poisoned") || err[0] != '\0' ? "31" : NULL;
	ctl_table_add(t, USERS_COLS, cells, sgr);
}

static void
ctl_users_page(struct ctl_table *t, const msgpack_object *d)
{
	const msgpack_object	*users = msg_get(d, "users"), *u, *kinds;
	char			 name[USER_ID_MAX + 1];
	char			 creds[USER_ID_MAX + 16];
	const char		*cells[4];
	int64_t			 now = ctl_int(d, "now");
	uint32_t		 i, k;

	for (i = 0; users != NULL && i < users->via.array.size; i++) {
		u = &users->via.array.ptr[i];
		kinds = msg_get(u, "kinds");
		if (kinds == NULL || kinds->via.array.size == 0) {
			cells[0] = ctl_str(u, "user", name, sizeof name);
			cells[1] = ctl_str(u, "credentials", creds,
			    sizeof creds);
			cells[2] = ctl_bool(u, "needs_login") ? "NEEDS" : "ok";
			cells[3] = "(system user: products and prices are "
			    "listed under *)";
			ctl_table_add(t, 4, cells, NULL);
			continue;
		}
		for (k = 0; k < kinds->via.array.size; k++)
			ctl_users_kind(t, u, &kinds->via.array.ptr[k], now,
			    k == 0);
	}
}

static int
ctl_users_run(struct ctl *c)
{
	const msgpack_object	*d;
	struct frame		 f;
	static const char	*head[USERS_COLS] = { "USER", "CREDS",
	    "LOGIN", "KIND", "LAST OK", "LAST FULL", "LAST DELTA", "FAILS",
	    "NEXT DUE", "JOB", "LAST ERROR" };
	struct ctl_table	 t;
	int64_t			 id, offset = 0, total = 0;
	uint32_t		 got;
	int			 rc;

	if ((rc = ctl_connect(c)) != CTL_OK)
		return rc;
	ctl_table_init(&t, USERS_COLS, "lllllllrlll");
	ctl_table_add(&t, USERS_COLS, head, NULL);
	do {
		id = ctl_req_begin(c, &f, "users", 2 + (c->user[0] != '\0'));
		pk_kv_int(&f.pk, "offset", offset);
		pk_kv_int(&f.pk, "limit", USERS_PAGE);
		if (c->user[0] != '\0')
			pk_kv_str(&f.pk, "user", c->user);
		if ((rc = ctl_request(c, &f, id, NULL, &d)) != CTL_OK) {
			ctl_table_free(&t);
			return rc;
		}
		total = ctl_int(d, "total");
		got = msg_get(d, "users") != NULL ?
		    msg_get(d, "users")->via.array.size : 0;
		if (c->json)
			ctl_print_json(d);
		else
			ctl_users_page(&t, d);
		offset += got;
	} while (got > 0 && offset < total);
	if (!c->json)
		ctl_table_print(&t, c->colour);
	ctl_table_free(&t);
	if (total == 0 && c->user[0] != '\0') {
		ctl_err("no user \"%s\": erpsyncd has neither credentials nor "
		    "history for it", c->user);
		return CTL_FAILED;
	}
	return CTL_OK;
}

const struct ctl_cmd ctl_users_entry = {
	"users", "[--user U]",
	"List the users with their credentials and how fresh each kind is.",
	ctl_users_opts, ctl_users_parse, ctl_users_run
};
