/*
 * ctl-jobs.c — `erpsyncctl jobs [-n LIMIT]`: running, queued and recent jobs.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "supervisor/ctl.h"

static int
ctl_jobs_parse(struct ctl *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "limit", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	char	*end;
	int	 ch;

	c->limit = -1;
	while ((ch = getopt_long(argc, argv, "n:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			c->limit = strtoll(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || c->limit < 0)
				return CTL_USAGE;
			break;
		default:
			return CTL_USAGE;
		}
	}
	return optind == argc ? CTL_OK : CTL_USAGE;
}

static void
ctl_jobs_line(const msgpack_object *j)
{
	char	 kind[16], user[USER_ID_MAX + 1], mode[8], state[16], trig[16];
	char	 created[32], rows[32], class[16], msg[1024], prog[32];
	char	 blocked[256];

	snprintf(prog, sizeof prog, "%lld/%lld", (long long)ctl_int(j, "page"),
	    (long long)ctl_int(j, "pages"));
	ctl_str(j, "error_class", class, sizeof class);
	ctl_str(j, "message", msg, sizeof msg);
	ctl_str(j, "blocked", blocked, sizeof blocked);
	printf("%6lld  %-9s  %-12s  %-5s  %-9s  %-9s  %-19s  %9s  %9s  "
	    "%s%s%s%s%s\n",
	    (long long)ctl_int(j, "id"), ctl_str(j, "kind", kind, sizeof kind),
	    ctl_str(j, "user", user, sizeof user),
	    ctl_str(j, "mode", mode, sizeof mode),
	    ctl_str(j, "state", state, sizeof state),
	    ctl_str(j, "trigger", trig, sizeof trig),
	    ctl_time(ctl_int(j, "created_at"), created, sizeof created), prog,
	    ctl_count(ctl_int(j, "rows"), rows, sizeof rows), blocked,
	    blocked[0] != '\0' && (class[0] != '\0' || msg[0] != '\0') ?
	    "; " : "", class, class[0] != '\0' ? ": " : "", msg);
}

static int
ctl_jobs_run(struct ctl *c)
{
	const msgpack_object	*d, *jobs, *holds;
	struct frame		 f;
	uint32_t		 i;
	int64_t			 id;
	int			 rc;

	if ((rc = ctl_connect(c)) != CTL_OK)
		return rc;
	id = ctl_new_id(c);
	msg_req_begin(&f, id, "jobs", c->limit >= 0 ? 1 : 0);
	if (c->limit >= 0)
		pk_kv_int(&f.pk, "limit", c->limit);
	if ((rc = ctl_request(c, &f, id, NULL, &d)) != CTL_OK)
		return rc;
	if (c->json) {
		ctl_print_json(d);
		return CTL_OK;
	}
	jobs = msg_get(d, "jobs");
	if (jobs == NULL || jobs->type != MSGPACK_OBJECT_ARRAY) {
		ctl_err("jobs: answer without a jobs list");
		return CTL_FAILED;
	}
	printf("%6s  %-9s  %-12s  %-5s  %-9s  %-9s  %-19s  %9s  %9s  %s\n",
	    "ID", "KIND", "USER", "MODE", "STATE", "TRIGGER", "CREATED", "PAGE",
	    "ROWS", "RESULT");
	for (i = 0; i < jobs->via.array.size; i++)
		ctl_jobs_line(&jobs->via.array.ptr[i]);
	if (ctl_int(d, "queued_total") > 0)
		printf("(%lld queued in all)\n",
		    (long long)ctl_int(d, "queued_total"));
	holds = msg_get(d, "holds");
	for (i = 0; holds != NULL && i < holds->via.array.size; i++)
		ctl_print_hold(&holds->via.array.ptr[i]);
	return CTL_OK;
}

const struct ctl_cmd ctl_jobs_entry = {
	"jobs", "[-n LIMIT]", ctl_jobs_parse, ctl_jobs_run
};
