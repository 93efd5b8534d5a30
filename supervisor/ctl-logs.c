/*
 * ctl-logs.c — `erpsyncctl logs [-f] [-n LINES] [--level L] [--user U]
 * [--job N] [--since WHEN]`: the supervisor's recent log lines (those
 * since WHEN: every one the daemon keeps, unless -n), and with -f the
 * live ones.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "supervisor/ctl.h"

static const struct ctl_opt ctl_logs_opts[] = {
	{ 'f', "follow", NULL, "then the new lines as they come" },
	{ 'n', "lines", "LINES", "how many of the last lines (default 50)" },
	{ 'l', "level", "L", "only L and worse: error, warn, info or debug" },
	{ 'u', "user", "U", "only the lines about user U" },
	{ 'j', "job", "N", "only the lines about job N" },
	{ 'S', "since", "WHEN", "only lines since WHEN: a duration ago (10m) "
	    "or a time (2026-12-04T10:00)" },
	{ 0, NULL, NULL, NULL }
};

/*
 * --since: a duration before now ("90s", "10m"), or a local time
 * "YYYY-MM-DD[THH:MM[:SS]]" (a space for the T too); wall ms into *ms.
 */
int
ctl_parse_since(const char *s, int64_t now, int64_t *ms)
{
	static const char *fmts[] = { "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S",
	    "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d" };
	struct tm	 tm;
	const char	*end, *errstr;
	int64_t		 secs;
	time_t		 t;
	size_t		 i;

	if (duration_parse(s, &secs, &errstr) == 0) {
		*ms = now - secs * 1000;
		return 0;
	}
	for (i = 0; i < nitems(fmts); i++) {
		memset(&tm, 0, sizeof tm);
		if ((end = strptime(s, fmts[i], &tm)) == NULL || *end != '\0')
			continue;
		tm.tm_isdst = -1;
		if ((t = mktime(&tm)) == (time_t)-1)
			break;
		*ms = (int64_t)t * 1000;
		return 0;
	}
	return -1;
}

static int
ctl_logs_parse(struct ctl *c, int argc, char **argv)
{
	enum log_level	 level;
	char		*end;
	int		 ch;

	c->lines = -1;
	while ((ch = ctl_getopt(argc, argv, ctl_logs_opts, "")) != -1) {
		switch (ch) {
		case 'f':
			c->follow = 1;
			break;
		case 'n':
			if (ctl_parse_count("-n", optarg, &c->lines) != CTL_OK)
				return CTL_USAGE;
			break;
		case 'l':
			if (log_level_parse(optarg, &level) == -1) {
				ctl_err("--level must be error, warn, info or "
				    "debug, not \"%s\"", optarg);
				return CTL_USAGE;
			}
			c->level = optarg;
			break;
		case 'u':
			if (ctl_parse_user(c, optarg, 1) != CTL_OK)
				return CTL_USAGE;
			break;
		case 'j':
			c->job = strtoll(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || c->job <= 0) {
				ctl_err("--job needs a job id (a positive "
				    "number), not \"%s\"", optarg);
				return CTL_USAGE;
			}
			break;
		case 'S':
			if (ctl_parse_since(optarg, now_ms(), &c->since) ==
			    -1 || c->since <= 0) {
				ctl_err("--since needs a duration (90s, 10m, 2h) "
				    "or a time (2026-12-04T10:00), not \"%s\"",
				    optarg);
				return CTL_USAGE;
			}
			break;
		default:
			return CTL_USAGE;
		}
	}
	return ctl_no_args(argc, argv);
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
	id = ctl_req_begin(c, &f, "logs", 1 + (c->lines >= 0) +
	    (c->level != NULL) + (c->user[0] != '\0') + (c->job > 0) +
	    (c->since > 0));
	pk_kv_bool(&f.pk, "follow", c->follow);
	if (c->lines >= 0)
		pk_kv_int(&f.pk, "lines", c->lines);
	if (c->level != NULL)
		pk_kv_str(&f.pk, "level", c->level);
	if (c->user[0] != '\0')
		pk_kv_str(&f.pk, "user", c->user);
	if (c->job > 0)
		pk_kv_int(&f.pk, "job", c->job);
	if (c->since > 0)
		pk_kv_int(&f.pk, "since", c->since);
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
	"logs", "[-f] [-n LINES] [--level L] [--user U] [--job N] "
	"[--since WHEN]",
	"Print erpsyncd's recent log lines, and with -f the new ones.",
	ctl_logs_opts, ctl_logs_parse, ctl_logs_run
};
