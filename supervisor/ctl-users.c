/*
 * ctl-users.c — `erpsyncctl users [--user U]`: every user with where its
 * credentials come from, whether it needs a login, and per kind its
 * freshness: last success (and how old), last full and delta, failures,
 * when the schedule next wants it, the job queued or running, last error.
 * Fetched page by page; with --json one JSON object per page.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "supervisor/ctl.h"

#define USERS_PAGE	500

static int
ctl_users_parse(struct ctl *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "user", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 }
	};
	int	 ch;

	while ((ch = getopt_long(argc, argv, "u:", longopts, NULL)) != -1) {
		if (ch != 'u' || (strcmp(optarg, "*") != 0 &&
		    !user_id_valid(optarg)))
			return CTL_USAGE;
		snprintf(c->user, sizeof c->user, "%s", optarg);
	}
	return optind == argc ? CTL_OK : CTL_USAGE;
}

static void
ctl_users_kind(const msgpack_object *u, const msgpack_object *k,
    int64_t now, int first)
{
	char	 user[USER_ID_MAX + 1], creds[USER_ID_MAX + 16], kind[16];
	char	 ok[32], full[32], delta[32], next[32], st[16], job[40];
	char	 err[200];

	ctl_str(k, "job_state", st, sizeof st);
	snprintf(job, sizeof job, "%lld %s", (long long)ctl_int(k, "job"), st);
	printf("%-14s %-10s %-5s %-9s %-13s %-13s %-13s %5lld %-14s %-14s %s\n",
	    first ? ctl_str(u, "user", user, sizeof user) : "",
	    first ? ctl_str(u, "credentials", creds, sizeof creds) : "",
	    first ? (ctl_bool(u, "needs_login") ? "NEEDS" : "ok") : "",
	    ctl_str(k, "kind", kind, sizeof kind),
	    ctl_ago(ctl_int(k, "last_ok"), now, ok, sizeof ok),
	    ctl_ago(ctl_int(k, "last_full_ok"), now, full, sizeof full),
	    ctl_ago(ctl_int(k, "last_delta_ok"), now, delta, sizeof delta),
	    (long long)ctl_int(k, "failures"),
	    ctl_int(k, "next_due") < 0 ? "-" :
	    ctl_ago(ctl_int(k, "next_due"), now, next, sizeof next),
	    ctl_int(k, "job") != 0 ? job : "-",
	    ctl_bool(k, "poisoned") ? "POISONED " :
	    ctl_str(k, "last_error", err, sizeof err));
}

static void
ctl_users_page(const msgpack_object *d)
{
	const msgpack_object	*users = msg_get(d, "users"), *u, *kinds;
	int64_t			 now = ctl_int(d, "now");
	uint32_t		 i, k;

	for (i = 0; users != NULL && i < users->via.array.size; i++) {
		u = &users->via.array.ptr[i];
		kinds = msg_get(u, "kinds");
		if (kinds == NULL || kinds->via.array.size == 0) {
			char name[USER_ID_MAX + 1], creds[USER_ID_MAX + 16];

			printf("%-14s %-10s %-5s (system user: products and "
			    "prices are listed under *)\n",
			    ctl_str(u, "user", name, sizeof name),
			    ctl_str(u, "credentials", creds, sizeof creds),
			    ctl_bool(u, "needs_login") ? "NEEDS" : "ok");
			continue;
		}
		for (k = 0; k < kinds->via.array.size; k++)
			ctl_users_kind(u, &kinds->via.array.ptr[k], now, k == 0);
	}
}

static int
ctl_users_run(struct ctl *c)
{
	const msgpack_object	*d;
	struct frame		 f;
	int64_t			 id, offset = 0, total;
	uint32_t		 got;
	int			 rc;

	if ((rc = ctl_connect(c)) != CTL_OK)
		return rc;
	if (!c->json)
		printf("%-14s %-10s %-5s %-9s %-13s %-13s %-13s %5s %-14s "
		    "%-14s %s\n", "USER", "CREDS", "LOGIN", "KIND", "LAST OK",
		    "LAST FULL", "LAST DELTA", "FAILS", "NEXT DUE", "JOB",
		    "LAST ERROR");
	do {
		id = ctl_new_id(c);
		msg_req_begin(&f, id, "users", 2 + (c->user[0] != '\0'));
		pk_kv_int(&f.pk, "offset", offset);
		pk_kv_int(&f.pk, "limit", USERS_PAGE);
		if (c->user[0] != '\0')
			pk_kv_str(&f.pk, "user", c->user);
		if ((rc = ctl_request(c, &f, id, NULL, &d)) != CTL_OK)
			return rc;
		total = ctl_int(d, "total");
		got = msg_get(d, "users") != NULL ?
		    msg_get(d, "users")->via.array.size : 0;
		if (c->json)
			ctl_print_json(d);
		else
			ctl_users_page(d);
		offset += got;
	} while (got > 0 && offset < total);
	return CTL_OK;
}

const struct ctl_cmd ctl_users_entry = {
	"users", "[--user U]", ctl_users_parse, ctl_users_run
};
