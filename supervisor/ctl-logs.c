/*
 * ctl-logs.c — `erpsyncctl logs [-f] [-n LINES] [--level L] [--user U]
 * [--job N]`: the supervisor's recent log lines, and with -f the live ones.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "supervisor/ctl.h"

static int
ctl_logs_parse(struct ctl *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "follow", no_argument, NULL, 'f' },
		{ "lines", required_argument, NULL, 'n' },
		{ "level", required_argument, NULL, 'l' },
		{ "user", required_argument, NULL, 'u' },
		{ "job", required_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	enum log_level	 level;
	char		*end;
	int		 ch;

	c->lines = -1;
	while ((ch = getopt_long(argc, argv, "fn:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			c->follow = 1;
			break;
		case 'n':
			c->lines = strtoll(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || c->lines < 0)
				return CTL_USAGE;
			break;
		case 'l':
			if (log_level_parse(optarg, &level) == -1) {
				ctl_err("level must be error, warn, info or "
				    "debug");
				return CTL_USAGE;
			}
			c->level = optarg;
			break;
		case 'u':
			if (strcmp(optarg, "*") != 0 &&
			    !user_id_valid(optarg)) {
				ctl_err("invalid user id \"%s\"", optarg);
				return CTL_USAGE;
			}
			snprintf(c->user, sizeof c->user, "%s", optarg);
			break;
		case 'j':
			c->job = strtoll(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || c->job <= 0)
				return CTL_USAGE;
			break;
		default:
			return CTL_USAGE;
		}
	}
	return optind == argc ? CTL_OK : CTL_USAGE;
}

static void
ctl_logs_push(struct ctl *c, enum msg_type t, const msgpack_object *o)
{
	if (t == MSG_LOG)
		ctl_print_log(c, o);
	else if (t == MSG_PROGRESS && c->json)
		ctl_print_json(o);
}

static int
ctl_logs_run(struct ctl *c)
{
	const msgpack_object	*d, *o;
	struct frame		 f;
	enum msg_type		 t;
	int64_t			 id;
	int			 rc;

	if ((rc = ctl_connect(c)) != CTL_OK)
		return rc;
	id = ctl_new_id(c);
	msg_req_begin(&f, id, "logs", 1 + (c->lines >= 0) +
	    (c->level != NULL) + (c->user[0] != '\0') + (c->job > 0));
	pk_kv_bool(&f.pk, "follow", c->follow);
	if (c->lines >= 0)
		pk_kv_int(&f.pk, "lines", c->lines);
	if (c->level != NULL)
		pk_kv_str(&f.pk, "level", c->level);
	if (c->user[0] != '\0')
		pk_kv_str(&f.pk, "user", c->user);
	if (c->job > 0)
		pk_kv_int(&f.pk, "job", c->job);
	if ((rc = ctl_request(c, &f, id, ctl_logs_push, &d)) != CTL_OK)
		return rc;
	if (!c->follow)
		return CTL_OK;
	for (;;) {
		if ((rc = ctl_read(c, &o, &t)) != CTL_OK)
			return rc;
		ctl_logs_push(c, t, o);
	}
}

const struct ctl_cmd ctl_logs_entry = {
	"logs", "[-f] [-n LINES] [--level L] [--user U] [--job N]",
	ctl_logs_parse, ctl_logs_run
};
