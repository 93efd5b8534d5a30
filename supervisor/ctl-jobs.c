/*
 * ctl-jobs.c — `erpsyncctl jobs [-n LIMIT] [--user U] [--kind K]
 * [--state S] [JOB]`: running, queued and recent jobs (those of a user, a
 * kind, a state: the daemon filters before -n counts), one line each with
 * its duration and what it came to; with JOB, everything about that one
 * job (ctl-job.c), live or ended.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "supervisor/ctl.h"

#define JOBS_COLS	11

static const char *ctl_jobs_states[] = {
	"queued", "starting", "running", "paused", "done", "failed",
	"cancelled"
};

static const struct ctl_opt ctl_jobs_opts[] = {
	{ 'n', "limit", "LIMIT", "ended jobs to list (default 20)" },
	{ 'u', "user", "U", "only the jobs of user U (* for shared kinds)" },
	{ 'k', "kind", "K", "only customers, orders, products or prices" },
	{ 'S', "state", "S", "only jobs in state S (queued, running, done, "
	    "failed, ...)" },
	{ 0, NULL, NULL, NULL }
};

static int
ctl_jobs_state(const char *s)
{
	size_t	 i;

	for (i = 0; i < nitems(ctl_jobs_states); i++)
		if (strcmp(s, ctl_jobs_states[i]) == 0)
			return 1;
	return 0;
}

static int
ctl_jobs_parse(struct ctl *c, int argc, char **argv)
{
	int	 ch;

	c->limit = -1;
	while ((ch = ctl_getopt(argc, argv, ctl_jobs_opts, "")) != -1) {
		switch (ch) {
		case 'n':
			if (ctl_parse_count("-n", optarg, &c->limit) != CTL_OK)
				return CTL_USAGE;
			break;
		case 'u':
			if (ctl_parse_user(c, optarg, 1) != CTL_OK)
				return CTL_USAGE;
			break;
		case 'k':
			if (ctl_parse_kind(c, optarg) != CTL_OK)
				return CTL_USAGE;
			break;
		case 'S':
			if (!ctl_jobs_state(optarg)) {
				ctl_err("unknown state \"%s\" (queued, starting, "
				    "running, paused, done, failed or cancelled)", optarg);
				return CTL_USAGE;
			}
			c->state = optarg;
			break;
		default:
			return CTL_USAGE;
		}
	}
	if (optind == argc)
		return CTL_OK;
	if (optind != argc - 1) {
		ctl_err("jobs takes one JOB at most");
		return CTL_USAGE;
	}
	if (c->limit >= 0 || c->user[0] != '\0' || c->kind[0] != '\0' ||
	    c->state != NULL) {
		ctl_err("with JOB, no -n, --user, --kind or --state");
		return CTL_USAGE;
	}
	return ctl_parse_job(c, argv[optind]);
}

static void
ctl_jobs_line(struct ctl_table *t, const msgpack_object *j, int64_t now)
{
	char		 id[24], kind[16], user[USER_ID_MAX + 1], mode[8];
	char		 state[16], trig[16], when[32], rows[32], prog[48];
	char		 d[32], result[512];
	const char	*cells[JOBS_COLS], *sgr[JOBS_COLS];
	int64_t		 secs = ctl_job_seconds(j, now), at;

	snprintf(id, sizeof id, "%lld", (long long)ctl_int(j, "id"));
	snprintf(prog, sizeof prog, "%lld/%lld", (long long)ctl_int(j, "page"),
	    (long long)ctl_int(j, "pages"));
	if ((at = ctl_int(j, "started_at")) == 0)
		at = ctl_int(j, "created_at");
	if (secs >= 0)
		duration_format(secs, d, sizeof d);
	else
		snprintf(d, sizeof d, "-");
	cells[0] = id;
	cells[1] = ctl_str(j, "kind", kind, sizeof kind);
	cells[2] = ctl_str(j, "user", user, sizeof user);
	cells[3] = ctl_str(j, "mode", mode, sizeof mode);
	cells[4] = ctl_str(j, "state", state, sizeof state);
	cells[5] = ctl_str(j, "trigger", trig, sizeof trig);
	cells[6] = ctl_time(at, when, sizeof when);
	cells[7] = d;
	cells[8] = prog;
	cells[9] = ctl_count(ctl_int(j, "rows"), rows, sizeof rows);
	cells[10] = ctl_job_result(j, result, sizeof result);
	memset(sgr, 0, sizeof sgr);
	sgr[4] = ctl_state_sgr(state);
	ctl_table_add(t, JOBS_COLS, cells, sgr);
}

static int
ctl_jobs_one(struct ctl *c)
{
	const msgpack_object	*d;
	int			 rc;

	if ((rc = ctl_ask_int(c, "jobs", "job", c->job, NULL, &d)) != CTL_OK)
		return rc;
	ctl_answer(c, d, ctl_print_job);
	return CTL_OK;
}

static void
ctl_jobs_text(struct ctl *c, const msgpack_object *d,
    const msgpack_object *jobs)
{
	static const char *head[JOBS_COLS] = { "ID", "KIND", "USER", "MODE",
	    "STATE", "TRIGGER", "STARTED", "DURATION", "PAGE", "ROWS",
	    "RESULT" };
	const msgpack_object	*holds;
	struct ctl_table	 t;
	uint32_t		 i;
	int64_t			 now = now_ms();

	ctl_table_init(&t, JOBS_COLS, "rllllllrrrl");
	ctl_table_add(&t, JOBS_COLS, head, NULL);
	for (i = 0; i < jobs->via.array.size; i++)
		ctl_jobs_line(&t, &jobs->via.array.ptr[i], now);
	ctl_table_print(&t, c->colour);
	ctl_table_free(&t);
	if (ctl_int(d, "queued_total") > 0)
		printf("(%lld queued in all)\n",
		    (long long)ctl_int(d, "queued_total"));
	holds = msg_get(d, "holds");
	for (i = 0; holds != NULL && i < holds->via.array.size; i++)
		ctl_print_hold(&holds->via.array.ptr[i]);
}

static int
ctl_jobs_run(struct ctl *c)
{
	const msgpack_object	*d, *jobs;
	struct frame		 f;
	int64_t			 id;
	int			 rc;

	if ((rc = ctl_connect(c)) != CTL_OK)
		return rc;
	if (c->job > 0)
		return ctl_jobs_one(c);
	id = ctl_req_begin(c, &f, "jobs", (c->limit >= 0) +
	    (c->user[0] != '\0') + (c->kind[0] != '\0') + (c->state != NULL));
	if (c->limit >= 0)
		pk_kv_int(&f.pk, "limit", c->limit);
	if (c->user[0] != '\0')
		pk_kv_str(&f.pk, "user", c->user);
	if (c->kind[0] != '\0')
		pk_kv_str(&f.pk, "kind", c->kind);
	if (c->state != NULL)
		pk_kv_str(&f.pk, "state", c->state);
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
	ctl_jobs_text(c, d, jobs);
	return CTL_OK;
}

const struct ctl_cmd ctl_jobs_entry = {
	"jobs", "[-n LIMIT] [--user U] [--kind K] [--state S] [JOB]",
	"List running, queued and recent jobs, or tell everything about one.",
	ctl_jobs_opts, ctl_jobs_parse, ctl_jobs_run
};
