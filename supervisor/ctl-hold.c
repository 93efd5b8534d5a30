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

static int
ctl_hold_parse(struct ctl *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "user", required_argument, NULL, 'u' },
		{ "ttl", required_argument, NULL, 't' },
		{ "reason", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	int	 ch;

	/* "+": stop at "--" or the first word, which starts CMD. */
	while ((ch = getopt_long(argc, argv, "+u:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'u':
			if (!user_id_valid(optarg)) {
				ctl_err("invalid user id \"%s\"", optarg);
				return CTL_USAGE;
			}
			snprintf(c->user, sizeof c->user, "%s", optarg);
			break;
		case 't':
			if (ctl_parse_duration(optarg, &c->ttl) == -1 ||
			    c->ttl <= 0)
				return CTL_USAGE;
			break;
		case 'r':
			c->reason = optarg;
			break;
		default:
			return CTL_USAGE;
		}
	}
	if (optind < argc && strcmp(argv[optind - 1], "--") != 0)
		return CTL_USAGE;	/* a command must follow "--" */
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
	id = ctl_new_id(c);
	msg_req_begin(&f, id, "hold", 1 + (c->user[0] != '\0') + (c->ttl > 0) +
	    (c->reason != NULL));
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
	ctl_hold_parse, ctl_hold_run
};
