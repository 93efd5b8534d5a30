/*
 * ctl-hold.c — `erpsyncctl hold [--user U] [--ttl D] [--reason R]
 * [-- CMD ...]`: returns only once every running job in scope has paused
 * at a page boundary and logged out of the ERP.
 *  - Without CMD the hold is detached: it outlives this command and ends by
 *    `release ID` or its TTL (--ttl, default hold_ttl). The id is printed.
 *  - With CMD the hold has no TTL: it lasts exactly as long as CMD, which
 *    ctl-hold-cmd.c runs; --ttl is ignored, with a note. Exits with CMD's
 *    status.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "supervisor/ctl.h"

static const struct ctl_opt ctl_hold_opts[] = {
	{ 'u', "user", "U", "pause only user U's jobs (default: everybody's)" },
	{ CTL_OPT_LONG + 't', "ttl", "D", "without CMD: end after D (1s..1d, "
	    "default hold_ttl)" },
	{ CTL_OPT_LONG + 'r', "reason", "R", "why, shown by status, jobs and "
	    "watch" },
	{ 0, NULL, NULL, NULL }
};

static int
ctl_hold_parse(struct ctl *c, int argc, char **argv)
{
	int	 ch;

	/* "+": stop at "--" or the first word, which starts CMD. */
	while ((ch = ctl_getopt(argc, argv, ctl_hold_opts, "+")) != -1) {
		switch (ch) {
		case 'u':
			if (ctl_parse_user(c, optarg, 0) != CTL_OK)
				return CTL_USAGE;
			break;
		case CTL_OPT_LONG + 't':
			if (ctl_parse_duration(optarg, &c->ttl) == -1)
				return CTL_USAGE;
			if (c->ttl <= 0 || c->ttl > CTL_HOLD_TTL_MAX) {
				ctl_err("--ttl %s is out of range: a hold lasts "
				    "1s to 1d", optarg);
				return CTL_USAGE;
			}
			break;
		case CTL_OPT_LONG + 'r':
			c->reason = optarg;
			break;
		default:
			return CTL_USAGE;
		}
	}
	if (optind < argc && strcmp(argv[optind - 1], "--") != 0) {
		ctl_err("hold: the command goes after \"--\": hold -- %s ...",
		    argv[optind]);
		return CTL_USAGE;
	}
	if (optind < argc)
		c->cmd = &argv[optind];
	return CTL_OK;
}

static int
ctl_hold_run(struct ctl *c)
{
	const msgpack_object	*d;
	struct frame		 f;
	int64_t			 id, hold;
	int			 rc;

	if (c->cmd != NULL && c->ttl > 0) {
		ctl_err("--ttl ignored: a hold with a command lasts as long as "
		    "the command");
		c->ttl = 0;
	}
	if ((rc = ctl_connect(c)) != CTL_OK)
		return rc;
	id = ctl_req_begin(c, &f, "hold", 1 + (c->user[0] != '\0') +
	    (c->ttl > 0) + (c->reason != NULL));
	pk_kv_bool(&f.pk, "detach", c->cmd == NULL);
	if (c->user[0] != '\0')
		pk_kv_str(&f.pk, "user", c->user);
	if (c->ttl > 0)
		pk_kv_int(&f.pk, "ttl", c->ttl);
	if (c->reason != NULL)
		pk_kv_str(&f.pk, "reason", c->reason);
	if ((rc = ctl_request(c, &f, id, NULL, &d)) != CTL_OK)
		return rc;
	hold = ctl_int(d, "id");
	if (c->json)
		ctl_print_json(d);
	else if (c->cmd == NULL)
		ctl_print_hold(d);
	else
		fprintf(stderr, "erpsyncctl: hold %lld granted (%lld of %lld "
		    "jobs paused); running %s\n", (long long)hold,
		    (long long)ctl_int(d, "paused"), (long long)ctl_int(d,
		    "jobs"), c->cmd[0]);
	fflush(stdout);
	if (c->cmd == NULL)
		return CTL_OK;
	return ctl_hold_cmd(c, hold);
}

const struct ctl_cmd ctl_hold_entry = {
	"hold", "[--user U] [--ttl D] [--reason R] [-- CMD ...]",
	"Pause running jobs at a page boundary until released, or CMD ends.",
	ctl_hold_opts, ctl_hold_parse, ctl_hold_run
};
