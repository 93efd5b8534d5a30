/*
 * cmd-jobs.c — `jobs {limit, queued, user, kind, state}`: running and
 * paused jobs, queued jobs in the order they will start (the first
 * `queued` of them, each with why it is waiting), the last `limit` ended
 * jobs from state.db, and the holds. user, kind and state keep only the
 * jobs that have them, before `limit` and `queued` count.
 * `jobs {job}`: that one job, live or from the history.
 */
#include <stdlib.h>
#include <string.h>

#include "supervisor/supervisor.h"

#define JOBS_LIMIT_DEFAULT	20
#define JOBS_LIMIT_MAX		1000
#define JOBS_QUEUED_DEFAULT	200

static const char *cmd_jobs_args[] = {
	"limit", "queued", "job", "user", "kind", "state", NULL
};

/* The filters of a request; "" for none. */
struct jobs_filter {
	char		 user[USER_ID_MAX + 1];
	char		 kind[16];
	char		 state[16];
};

struct recent {
	struct job	*jobs;
	size_t		 n;
};

static void
cmd_jobs_collect(const struct job *j, void *arg)
{
	struct recent	*r = arg;

	if (queue_find(&sv.queue, j->id) != NULL)
		return;		/* ended this instant: listed from memory */
	r->jobs = xreallocarray(r->jobs, r->n + 1, sizeof *r->jobs);
	r->jobs[r->n++] = *j;
}

/* Check the filters; -1 with err set when one is bad. */
static int
cmd_jobs_filter(const struct jobs_filter *jf, char *err, size_t len)
{
	enum kind	 k;
	enum job_state	 s;

	if (jf->user[0] != '\0' && strcmp(jf->user, "*") != 0 &&
	    !user_id_valid(jf->user)) {
		snprintf(err, len, "invalid user id");
		return -1;
	}
	if (jf->kind[0] != '\0' && kind_parse(jf->kind, &k) == -1) {
		snprintf(err, len, "unknown kind \"%s\"", jf->kind);
		return -1;
	}
	if (jf->state[0] != '\0' && job_state_parse(jf->state, &s) == -1) {
		snprintf(err, len, "unknown state \"%s\"", jf->state);
		return -1;
	}
	return 0;
}

static int
cmd_jobs_match(const struct jobs_filter *jf, const struct job *j)
{
	return (jf->user[0] == '\0' || strcmp(jf->user, j->scope) == 0) &&
	    (jf->kind[0] == '\0' || strcmp(jf->kind, kind_name(j->kind)) ==
	    0) && (jf->state[0] == '\0' || strcmp(jf->state,
	    job_state_name(j->state)) == 0);
}

static int
cmd_jobs_cmp(const void *a, const void *b)
{
	const struct job	*ja = *(const struct job * const *)a;
	const struct job	*jb = *(const struct job * const *)b;
	int			 aa = job_state_active(ja->state);
	int			 ab = job_state_active(jb->state);

	if (aa != ab)
		return ab - aa;		/* active first */
	if (aa)
		return ja->id < jb->id ? -1 : 1;
	return queue_before(ja, jb) ? -1 : 1;
}

/* One job: the live one, or its row in state.db's history. */
static void
cmd_jobs_one(struct client *c, const struct msg_req *req, int64_t id)
{
	struct job	*j, old;

	if ((j = cmd_find_job(c, req, id, &old)) != NULL)
		cmd_reply_job(c, req->id, j, -1);
}

static void
cmd_jobs_exec(struct client *c, const struct msg_req *req)
{
	struct frame		 f;
	struct recent		 r = { NULL, 0 };
	struct jobs_filter	 jf;
	struct job		*j, **live;
	const struct hold	*h;
	size_t			 nlive = 0, i, nshow, nholds = 0, nqueued = 0;
	int64_t			 limit, queued, one, now = now_ms();
	char			 err[PROTO_ERRLEN];
	const struct cmd_arg	 args[] = {
		{ "limit", ARG_INT, &limit, 0, 0 },
		{ "queued", ARG_INT, &queued, 0, 0 },
		{ "job", ARG_INT, &one, 0, 0 },
		{ "user", ARG_STR, jf.user, sizeof jf.user, 0 },
		{ "kind", ARG_STR, jf.kind, sizeof jf.kind, 0 },
		{ "state", ARG_STR, jf.state, sizeof jf.state, 0 },
	};

	if (cmd_args(c, req, args, nitems(args)) == -1)
		return;
	if (cmd_jobs_filter(&jf, err, sizeof err) == -1) {
		cmd_error(c, req, "jobs: %s", err);
		return;
	}
	if (msg_get(req->args, "job") != NULL) {
		cmd_jobs_one(c, req, one);
		return;
	}
	if (msg_get(req->args, "limit") == NULL)
		limit = JOBS_LIMIT_DEFAULT;
	if (msg_get(req->args, "queued") == NULL)
		queued = JOBS_QUEUED_DEFAULT;
	if (limit < 0 || limit > JOBS_LIMIT_MAX || queued < 0 ||
	    queued > JOBS_LIMIT_MAX) {
		cmd_error(c, req, "jobs: limit and queued must be 0..%d",
		    JOBS_LIMIT_MAX);
		return;
	}
	TAILQ_FOREACH(j, &sv.queue.jobs, entry)
		nlive++;
	live = xreallocarray(NULL, nlive + 1, sizeof *live);
	nlive = 0;
	TAILQ_FOREACH(j, &sv.queue.jobs, entry)
		if (cmd_jobs_match(&jf, j))
			live[nlive++] = j;
	qsort(live, nlive, sizeof *live, cmd_jobs_cmp);
	if (limit > 0)
		(void)state_jobs_recent_match((int)limit, jf.kind, jf.user,
		    jf.state, cmd_jobs_collect, &r);
	for (i = 0, nshow = 0; i < nlive; i++) {
		if (live[i]->state == JOB_QUEUED && nqueued++ >= (size_t)queued)
			continue;
		live[nshow++] = live[i];
	}
	TAILQ_FOREACH(h, &sv.holds.list, entry)
		nholds++;

	msg_resp_begin(&f, req->id, 1);
	msgpack_pack_map(&f.pk, 3);
	pk_kv_int(&f.pk, "queued_total", (int64_t)nqueued);
	pk_key(&f.pk, "holds");
	msgpack_pack_array(&f.pk, nholds);
	TAILQ_FOREACH(h, &sv.holds.list, entry)
		cmd_pack_hold(&f.pk, h, now);
	pk_key(&f.pk, "jobs");
	msgpack_pack_array(&f.pk, nshow + r.n);
	for (i = 0; i < nshow; i++)
		cmd_pack_job(&f.pk, live[i], 0);
	for (i = 0; i < r.n; i++)
		cmd_pack_job(&f.pk, &r.jobs[i], 0);
	(void)client_send(c, &f);
	free(live);
	free(r.jobs);
}

const struct sv_cmd cmd_jobs_entry = {
	"jobs", cmd_jobs_args, cmd_jobs_exec, 0
};
