/*
 * ctl-sync.c — `erpsyncctl sync KIND [--user U] [--full|--delta] [--force]
 * [--resume] [--wait]`: ask for a manual sync, a new run that reads every
 * page unless --resume continues the unfinished one; with --wait show its
 * progress and exit 0 only when it succeeded.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "supervisor/ctl.h"

static int
ctl_sync_per_user(const char *kind)
{
	return strcmp(kind, "customers") == 0 || strcmp(kind, "orders") == 0;
}

static const struct ctl_opt ctl_sync_opts[] = {
	{ 'u', "user", "U", "whose customers or orders (not for products, "
	    "prices)" },
	{ CTL_OPT_LONG + 'F', "full", NULL, "a full sync: every row, then "
	    "the sweep (the default)" },
	{ CTL_OPT_LONG + 'D', "delta", NULL, "a delta sync: the rows changed "
	    "since the last one" },
	{ 'f', "force", NULL, "also when a running job covers it (a "
	    "follow-up)" },
	{ CTL_OPT_LONG + 'R', "resume", NULL, "continue the unfinished run "
	    "from its checkpoint" },
	{ 'w', "wait", NULL, "show its progress; exit 0 only if it succeeded" },
	{ 0, NULL, NULL, NULL }
};

static int
ctl_sync_parse(struct ctl *c, int argc, char **argv)
{
	int	 ch;

	while ((ch = ctl_getopt(argc, argv, ctl_sync_opts, "")) != -1) {
		switch (ch) {
		case 'u':
			if (ctl_parse_user(c, optarg, 0) != CTL_OK)
				return CTL_USAGE;
			break;
		case CTL_OPT_LONG + 'F':
		case CTL_OPT_LONG + 'D':
			if (c->mode != NULL && strcmp(c->mode, ch ==
			    CTL_OPT_LONG + 'F' ? "full" : "delta") != 0) {
				ctl_err("--full and --delta exclude each other");
				return CTL_USAGE;
			}
			c->mode = ch == CTL_OPT_LONG + 'F' ? "full" : "delta";
			break;
		case 'f':
			c->force = 1;
			break;
		case CTL_OPT_LONG + 'R':
			c->resume = 1;
			break;
		case 'w':
			c->wait = 1;
			break;
		default:
			return CTL_USAGE;
		}
	}
	if (optind == argc) {
		ctl_err("sync needs a KIND (customers, orders, products or "
		    "prices)");
		return CTL_USAGE;
	}
	if (optind != argc - 1) {
		ctl_err("sync takes one KIND, not \"%s\" too", argv[optind + 1]);
		return CTL_USAGE;
	}
	if (ctl_parse_kind(c, argv[optind]) != CTL_OK)
		return CTL_USAGE;
	if (ctl_sync_per_user(c->kind) && c->user[0] == '\0') {
		ctl_err("%s needs --user", c->kind);
		return CTL_USAGE;
	}
	if (!ctl_sync_per_user(c->kind) && c->user[0] != '\0') {
		ctl_err("%s are not per user: no --user", c->kind);
		return CTL_USAGE;
	}
	return CTL_OK;
}

static int
ctl_sync_run(struct ctl *c)
{
	const msgpack_object	*d;
	struct frame		 f;
	char			 kind[16], user[USER_ID_MAX + 1], mode[8];
	char			 outcome[16], state[16];
	int64_t			 id, job;
	int			 rc;

	if ((rc = ctl_connect(c)) != CTL_OK)
		return rc;
	id = ctl_req_begin(c, &f, "sync", 1 + (c->user[0] != '\0') +
	    (c->mode != NULL) + c->force + c->resume);
	pk_kv_str(&f.pk, "kind", c->kind);
	if (c->user[0] != '\0')
		pk_kv_str(&f.pk, "user", c->user);
	if (c->mode != NULL)
		pk_kv_str(&f.pk, "mode", c->mode);
	if (c->force)
		pk_kv_bool(&f.pk, "force", 1);
	if (c->resume)
		pk_kv_bool(&f.pk, "resume", 1);
	if ((rc = ctl_request(c, &f, id, NULL, &d)) != CTL_OK)
		return rc;
	job = ctl_int(d, "id");
	ctl_answerf(c, d, "job %lld %s %s %s: %s (%s)\n", (long long)job,
	    ctl_str(d, "kind", kind, sizeof kind),
	    ctl_str(d, "user", user, sizeof user),
	    ctl_str(d, "mode", mode, sizeof mode),
	    ctl_str(d, "outcome", outcome, sizeof outcome),
	    ctl_str(d, "state", state, sizeof state));
	fflush(stdout);
	if (!c->wait)
		return CTL_OK;
	return ctl_wait_job(c, job, 0);
}

const struct ctl_cmd ctl_sync_entry = {
	"sync", "KIND [--user U] [--full|--delta] [--force] [--resume] [--wait]",
	"Ask for a sync of a kind now; with --wait, follow it to its end.",
	ctl_sync_opts, ctl_sync_parse, ctl_sync_run
};
