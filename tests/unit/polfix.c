/*
 * polfix.c — the policy fixture of polfix.h: alice, bob and the system
 * user sys with credentials, the default config, four workers, and a clock
 * that starts in 2027.
 */
#include <stdlib.h>
#include <string.h>

#include "tests/unit/polfix.h"

/* Set f up with requested told of every request the policy makes. */
void
polfix_setup(struct polfix *f, policy_req_fn requested)
{
	memset(f, 0, sizeof *f);
	log_init("check", LOG_LOGFMT, LOG_ERROR);
	f->conf = config_new();
	free(f->conf->system_user);
	f->conf->system_user = xstrdup("sys");
	queue_init(&f->q, 1);
	users_init(&f->users);
	holds_init(&f->holds);
	users_get(&f->users, "alice")->file_creds = 1;
	users_get(&f->users, "bob")->file_creds = 1;
	users_get(&f->users, "sys")->file_creds = 1;
	f->pol.conf = f->conf;
	f->pol.queue = &f->q;
	f->pol.users = &f->users;
	f->pol.holds = &f->holds;
	f->pol.requested = requested;
	f->lim.max_workers = 4;
	f->lim.users = &f->users;
	f->lim.holds = &f->holds;
	f->now = 1800000000000LL;
}

/* Free what polfix_setup made. */
void
polfix_teardown(struct polfix *f)
{
	queue_clear(&f->q);
	users_clear(&f->users);
	holds_clear(&f->holds);
	config_free(f->conf);
}

/* Ask q at now for a job of kind k over scope (sys's for shared kinds). */
struct job *
polfix_request(struct queue *q, enum kind k, const char *scope,
    enum job_mode mode, enum job_trigger t, int force, int sessions,
    int auto_sessions, int64_t now, enum queue_outcome *o)
{
	struct job_req		 r;
	enum queue_outcome	 dummy;

	job_req_init(&r, k, scope, kind_per_user(k) ? scope : "sys", mode, t);
	r.force = force;
	r.sessions = sessions;
	r.auto_sessions = auto_sessions;
	return queue_request(q, &r, now, o != NULL ? o : &dummy);
}

/* Start the job q would start next at now, running; NULL when none. */
struct job *
polfix_start_one(struct queue *q, const struct queue_limits *lim,
    int64_t now)
{
	struct job	*j;
	int64_t		 wake;

	if ((j = queue_next(q, lim, now, &wake)) != NULL)
		job_set_state(j, JOB_RUNNING, now);
	return j;
}

/* Move every job q may start at now to state; how many. */
int
polfix_start_all(struct queue *q, const struct queue_limits *lim,
    int64_t now, enum job_state state)
{
	struct job	*j;
	int64_t		 wake;
	int		 n = 0;

	while ((j = queue_next(q, lim, now, &wake)) != NULL) {
		job_set_state(j, state, now);
		n++;
	}
	return n;
}
