/*
 * polfix.h — the supervisor's scheduling policy under a fake clock, shared
 * by the Check suites of the queue, holds, schedule and triggers: a config,
 * queue, users and holds wired into a policy, and the requests and starts
 * every one of them makes.
 */
#ifndef POLFIX_H
#define POLFIX_H

#include "supervisor/supervisor.h"

/* A policy over its own config, queue, users and holds. */
struct polfix {
	struct config		*conf;
	struct queue		 q;
	struct users		 users;
	struct holds		 holds;
	struct policy		 pol;
	struct queue_limits	 lim;
	int64_t			 now;
};

void		 polfix_setup(struct polfix *, policy_req_fn);
void		 polfix_teardown(struct polfix *);
struct job	*polfix_request(struct queue *, enum kind, const char *,
		    enum job_mode, enum job_trigger, int force, int sessions,
		    int auto_sessions, int64_t, enum queue_outcome *);
struct job	*polfix_start_one(struct queue *, const struct queue_limits *,
		    int64_t);
int		 polfix_start_all(struct queue *, const struct queue_limits *,
		    int64_t, enum job_state);

#endif /* POLFIX_H */
