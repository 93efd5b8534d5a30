/*
 * ctl-jobs.c — `erpsyncctl jobs [-n LIMIT] [JOB]`: running, queued and
 * recent jobs, one line each with its duration and what it came to; with
 * JOB, everything about that one job (ctl-job.c), live or ended.
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
			if (*optarg == '\0' || *end != '\0' || c->limit < 0) {
				ctl_err("-n needs a count, not \"%s\"", optarg);
				return CTL_USAGE;
			}
			break;
		default:
			return CTL_USAGE;
		}
	}
	if (optind == argc)
		return CTL_OK;
	if (optind != argc - 1)
		return CTL_USAGE;
	return ctl_parse_job(c, argv[optind]);
}

static void
ctl_jobs_line(const msgpack_object *j, int64_t now)
{
	char	 kind[16], user[USER_ID_MAX + 1], mode[8], state[16], trig[16];
	char	 when[32], rows[32], prog[32], d[32], result[512];
	int64_t	 secs = ctl_job_seconds(j, now), at;

	snprintf(prog, sizeof prog, "%lld/%lld", (long long)ctl_int(j, "page"),
	    (long long)ctl_int(j, "pages"));
	if ((at = ctl_int(j, "started_at")) == 0)
		at = ctl_int(j, "created_at");
	if (secs >= 0)
		duration_format(secs, d, sizeof d);
	else
		snprintf(d, sizeof d, "-");
	printf("%6lld  %-9s  %-12s  %-5s  %-9s  %-9s  %-19s  %8s  %9s  %9s  "
	    "%s\n", (long long)ctl_int(j, "id"),
	    ctl_str(j, "kind", kind, sizeof kind),
	    ctl_str(j, "user", user, sizeof user),
	    ctl_str(j, "mode", mode, sizeof mode),
	    ctl_str(j, "state", state, sizeof state),
	    ctl_str(j, "trigger", trig, sizeof trig),
	    ctl_time(at, when, sizeof when), d, prog,
	    ctl_count(ctl_int(j, "rows"), rows, sizeof rows),
	    ctl_job_result(j, result, sizeof result));
}

static int
ctl_jobs_one(struct ctl *c)
{
	const msgpack_object	*d;
	struct frame		 f;
	int64_t			 id;
	int			 rc;

	id = ctl_new_id(c);
	msg_req_begin(&f, id, "jobs", 1);
	pk_kv_int(&f.pk, "job", c->job);
	if ((rc = ctl_request(c, &f, id, NULL, &d)) != CTL_OK)
		return rc;
	if (c->json)
		ctl_print_json(d);
	else
		ctl_print_job(d);
	return CTL_OK;
}

static int
ctl_jobs_run(struct ctl *c)
{
	const msgpack_object	*d, *jobs, *holds;
	struct frame		 f;
	uint32_t		 i;
	int64_t			 id, now = now_ms();
	int			 rc;

	if ((rc = ctl_connect(c)) != CTL_OK)
		return rc;
	if (c->job > 0)
		return ctl_jobs_one(c);
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
	printf("%6s  %-9s  %-12s  %-5s  %-9s  %-9s  %-19s  %8s  %9s  %9s  %s\n",
	    "ID", "KIND", "USER", "MODE", "STATE", "TRIGGER", "STARTED",
	    "DURATION", "PAGE", "ROWS", "RESULT");
	for (i = 0; i < jobs->via.array.size; i++)
		ctl_jobs_line(&jobs->via.array.ptr[i], now);
	if (ctl_int(d, "queued_total") > 0)
		printf("(%lld queued in all)\n",
		    (long long)ctl_int(d, "queued_total"));
	holds = msg_get(d, "holds");
	for (i = 0; holds != NULL && i < holds->via.array.size; i++)
		ctl_print_hold(&holds->via.array.ptr[i]);
	return CTL_OK;
}

const struct ctl_cmd ctl_jobs_entry = {
	"jobs", "[-n LIMIT] [JOB]", ctl_jobs_parse, ctl_jobs_run
};
