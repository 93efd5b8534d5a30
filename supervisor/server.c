/*
 * server.c — erpsyncd's env and the glue between the pure policy and the
 * world: requests go in through the policy and are saved and logged by its
 * hook, one kick timer starts what the queue allows, every job state change
 * is saved and announced by one hook, a run's end goes through the retry
 * policy, and dead objects are freed by a deferred reap, never in their
 * callbacks.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "supervisor/supervisor.h"

struct sv sv;

static void	sv_kick_cb(evutil_socket_t, short, void *);
static void	sv_reap_cb(evutil_socket_t, short, void *);
static void	sv_job_hook(struct job *, enum job_state, void *);

/* Set up the env on an event base. */
void
sv_init(struct event_base *base)
{
	sv.base = base;
	TAILQ_INIT(&sv.workers);
	TAILQ_INIT(&sv.clients);
	queue_init(&sv.queue, 1);
	users_init(&sv.users);
	holds_init(&sv.holds);
	sv.pol.queue = &sv.queue;
	sv.pol.users = &sv.users;
	sv.pol.holds = &sv.holds;
	sv.pol.conf = sv.conf;
	sv.pol.requested = sv_requested;
	sv.kick_ev = evtimer_new(base, sv_kick_cb, NULL);
	sv.reap_ev = event_new(base, -1, 0, sv_reap_cb, NULL);
	if (sv.kick_ev == NULL || sv.reap_ev == NULL)
		fatalx("sv_init: event_new");
	job_set_hook(sv_job_hook, NULL);
	srandom((unsigned)(now_ms() ^ getpid()));
}

/* Something changed: look at the queue again soon (once per loop turn). */
void
sv_kick(void)
{
	struct timeval	 tv = { 0, 0 };

	if (sv.kick_ev != NULL && !sv.stopping)
		evtimer_add(sv.kick_ev, &tv);
}

/* The queue's limits and gates from the config, holds and users. */
void
sv_limits(struct queue_limits *l)
{
	l->max_workers = (int)sv.conf->max_workers;
	l->max_erp_sessions = (int)sv.conf->max_erp_sessions;
	l->max_sessions_per_user = (int)sv.conf->max_sessions_per_user;
	l->holds = &sv.holds;
	l->users = &sv.users;
}

/* Start every job the queue allows now; re-arm for the next wake-up. */
static void
sv_kick_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct queue_limits	 l;
	struct job		*j;
	struct timeval		 tv;
	int64_t			 now, wake;
	enum err_class		 class;
	char			 err[512];

	(void)fd;
	(void)ev;
	(void)arg;
	if (sv.stopping)
		return;
	sv_limits(&l);
	now = now_ms();
	while ((j = queue_next(&sv.queue, &l, now, &wake)) != NULL) {
		if (worker_start(j, &class, err, sizeof err) == -1) {
			job_set_error(j, class, "%s", err);
			sv_job_finish(j, JOB_FAILED);
		}
	}
	if (wake != -1) {
		tv.tv_sec = (wake - now) / 1000;
		tv.tv_usec = ((wake - now) % 1000) * 1000;
		evtimer_add(sv.kick_ev, &tv);
	}
}

/* Free dead workers, clients and jobs after the current callback. */
void
sv_reap_later(void)
{
	if (sv.reap_ev != NULL)
		event_active(sv.reap_ev, EV_TIMEOUT, 0);
}

static void
sv_reap_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct worker	*w, *w1;
	struct client	*c, *c1;

	(void)fd;
	(void)ev;
	(void)arg;
	TAILQ_FOREACH_SAFE(w, &sv.workers, entry, w1) {
		if (w->dead) {
			TAILQ_REMOVE(&sv.workers, w, entry);
			worker_free(w);
		}
	}
	TAILQ_FOREACH_SAFE(c, &sv.clients, entry, c1) {
		if (c->dead) {
			sv_holds_client_gone(c);
			TAILQ_REMOVE(&sv.clients, c, entry);
			client_free(c);
		}
	}
	queue_reap(&sv.queue);
}

/* Every job state change: save it; an ended job answers its waiters. */
static void
sv_job_hook(struct job *j, enum job_state from, void *arg)
{
	(void)from;
	(void)arg;
	(void)state_job_save(j);
	sv_holds_kick();
	sv_kick();
	if (!job_state_final(j->state))
		return;
	metrics_job_ended(j);
	control_job_ended(j);
	queue_retire(&sv.queue, j);
	sv_reap_later();
}

/* The policy took a request: log it, save the job, start what can start. */
void
sv_requested(struct job *j, const struct job_req *r, enum queue_outcome o,
    void *arg)
{
	(void)arg;
	if (o == QUEUE_ATTACHED) {
		log_emit(LOG_INFO, j->id, j->scope, kind_name(j->kind),
		    "%s request attached to running job", job_trigger_name(
		    r->trigger));
		return;
	}
	(void)state_job_save(j);
	log_emit(r->trigger == TRIG_SCHEDULE ? LOG_DEBUG : LOG_INFO, j->id,
	    j->scope, kind_name(j->kind), "%s %s request %s (job now %s %s)",
	    job_trigger_name(r->trigger), job_mode_name(r->mode),
	    queue_outcome_name(o), job_mode_name(j->mode),
	    job_trigger_name(j->trigger));
	sv_kick();
}

/* Queue a request through the policy. */
struct job *
sv_request(const struct job_req *r, enum queue_outcome *outcome)
{
	return policy_request(&sv.pol, r, now_ms(), outcome);
}

/*
 * A run ended (the worker's done and exit, or a failure to start it): the
 * retry policy decides between a retry after a backoff and the end state;
 * freshness goes to state.db.
 */
void
sv_job_finish(struct job *j, enum job_state end)
{
	enum end_action	 a;
	int64_t		 now = now_ms(), at;
	char		 d[32];
	uint64_t	 rnd = ((uint64_t)random() << 31) ^ (uint64_t)random();

	if (j->error_class == ERR_CRASHED && end == JOB_FAILED)
		sv.stats.crashed++;
	if (j->error_class == ERR_STALLED && end == JOB_FAILED)
		sv.stats.stalled++;
	metrics_run_ended(j);
	a = policy_job_ended(&sv.pol, j, end, now, rnd, &at);
	state_begin();
	(void)state_fresh_flush(&sv.users);
	state_commit();
	switch (a) {
	case END_RETRY:
		sv.stats.retries++;
		j->resume_run = 1;	/* a retry continues the run */
		metrics_retry(j->error_class);
		j->not_before_ms = at;
		sv_note(LOG_WARN, j, "attempt %d of %lld in %s: %s: %s",
		    j->attempts + 1, (long long)sv.conf->retry_attempts,
		    duration_format((at - now + 999) / 1000, d, sizeof d),
		    err_class_name(j->error_class), j->message);
		if (j->state == JOB_QUEUED) {	/* it never started */
			(void)state_job_save(j);
			sv_kick();
		} else
			job_set_state(j, JOB_QUEUED, now);
		break;
	case END_POISONED:
		sv.stats.poisoned++;
		sv_note(LOG_WARN, j, "%s", j->message);
		job_set_state(j, JOB_FAILED, now);
		break;
	case END_FAILED:
		if (j->error_class == ERR_AUTH) {
			sv.stats.auth_failures++;
			sv_note(LOG_WARN, j, "%s needs a login: %s",
			    j->erp_user, j->message);
		}
		job_set_state(j, JOB_FAILED, now);
		break;
	case END_DONE:
		job_set_state(j, JOB_DONE, now);
		break;
	case END_CANCELLED:
		job_set_state(j, JOB_CANCELLED, now);
		break;
	}
}

/* The password for an ERP user: from its login event, else the file. */
const char *
sv_password(const char *erp_user)
{
	const struct user	*u = users_find(&sv.users, erp_user);

	if (u != NULL && u->password != NULL)
		return u->password;
	return config_password(sv.conf, erp_user);
}

/*
 * Why a live job is not moving (queued and blocked, or paused), or NULL;
 * *hold is the id of the hold the reason names, 0 when it names none, so
 * clients need not read it out of the text.
 */
const char *
sv_job_blocked(const struct job *j, char *buf, size_t len, int64_t *hold)
{
	struct queue_limits	 l;
	const struct hold	*h;
	const char		*why;
	char			 d[32];

	*hold = 0;
	if (j->state == JOB_PAUSED || (j->worker != NULL &&
	    j->worker->want_pause)) {
		/* Between the last release and the worker's answer: none. */
		if ((h = holds_block(&sv.holds, j)) == NULL) {
			snprintf(buf, len, "%s, no hold left: resuming",
			    j->state == JOB_PAUSED ? "paused" : "pausing");
			return buf;
		}
		*hold = h->id;
		snprintf(buf, len, "%s by hold %lld (%d holds)",
		    j->state == JOB_PAUSED ? "paused" : "pausing",
		    (long long)h->id, holds_count(&sv.holds, j));
		return buf;
	}
	if (j->state != JOB_QUEUED)
		return NULL;
	if (j->not_before_ms > now_ms()) {
		snprintf(buf, len, "attempt %d of %lld in %s", j->attempts + 1,
		    (long long)sv.conf->retry_attempts, duration_format(
		    (j->not_before_ms - now_ms() + 999) / 1000, d, sizeof d));
		return buf;
	}
	sv_limits(&l);
	why = queue_blocked(&sv.queue, j, &l, buf, len);
	/* The queue names a hold first, before any other reason. */
	if (why != NULL && (h = holds_block(&sv.holds, j)) != NULL)
		*hold = h->id;
	return why;
}

/* A notable event: logged, and kept for `status` (the last SV_NOTES). */
void
sv_note(enum log_level level, const struct job *j, const char *fmt, ...)
{
	struct sv_note	*n;
	va_list		 ap;
	size_t		 len, cp;
	char		 msg[sizeof n->msg];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (j != NULL)
		log_emit(level, j->id, j->scope, kind_name(j->kind), "%s", msg);
	else
		log_emit(level, 0, NULL, NULL, "%s", msg);
	if (sv.nnotes == SV_NOTES) {
		memmove(&sv.notes[0], &sv.notes[1],
		    sizeof sv.notes[0] * (SV_NOTES - 1));
		sv.nnotes--;
	}
	n = &sv.notes[sv.nnotes++];
	n->ts_ms = now_ms();
	n->msg[0] = '\0';
	if (j != NULL)
		snprintf(n->msg, sizeof n->msg, "job %lld %s %s: ",
		    (long long)j->id, kind_name(j->kind), j->scope);
	len = strlen(n->msg);
	cp = strnlen(msg, sizeof n->msg - len - 1);
	memcpy(n->msg + len, msg, cp);
	n->msg[len + cp] = '\0';
}

/* Free the env at exit. */
void
sv_free(void)
{
	struct worker	*w;

	while ((w = TAILQ_FIRST(&sv.workers)) != NULL) {
		TAILQ_REMOVE(&sv.workers, w, entry);
		worker_free(w);
	}
	sv_holds_free();
	sv_sched_free();
	queue_clear(&sv.queue);
	holds_clear(&sv.holds);
	users_clear(&sv.users);
	if (sv.kick_ev != NULL)
		event_free(sv.kick_ev);
	if (sv.reap_ev != NULL)
		event_free(sv.reap_ev);
	sv.kick_ev = sv.reap_ev = NULL;
	log_set_sink(NULL, NULL);
	logring_free(sv.ring);
	sv.ring = NULL;
	config_free(sv.conf);
	sv.conf = NULL;
	free(sv.conf_path);
	sv.conf_path = NULL;
}
