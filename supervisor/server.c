/*
 * server.c — erpsyncd's env and the glue between the pure queue and the
 * world: requests go in through sv_request(), one kick timer starts what
 * the queue allows, job state changes are saved and announced by one hook,
 * and dead objects are freed by a deferred reap, never in their callbacks.
 */
#include <sys/stat.h>

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
	sv.kick_ev = evtimer_new(base, sv_kick_cb, NULL);
	sv.reap_ev = event_new(base, -1, 0, sv_reap_cb, NULL);
	if (sv.kick_ev == NULL || sv.reap_ev == NULL)
		fatalx("sv_init: event_new");
	job_set_hook(sv_job_hook, NULL);
}

/* Something changed: look at the queue again soon (once per loop turn). */
void
sv_kick(void)
{
	struct timeval	 tv = { 0, 0 };

	if (sv.kick_ev != NULL && !sv.stopping)
		evtimer_add(sv.kick_ev, &tv);
}

/* Start every job the queue allows now; re-arm for the next wake-up. */
static void
sv_kick_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct queue_limits	 l;
	struct job		*j;
	struct timeval		 tv;
	int64_t			 now, wake;
	char			 err[512];

	(void)fd;
	(void)ev;
	(void)arg;
	if (sv.stopping)
		return;
	l.max_workers = (int)sv.conf->max_workers;
	l.max_erp_sessions = (int)sv.conf->max_erp_sessions;
	l.max_sessions_per_user = (int)sv.conf->max_sessions_per_user;
	now = now_ms();
	while ((j = queue_next(&sv.queue, &l, now, &wake)) != NULL) {
		if (worker_start(j, err, sizeof err) == -1) {
			job_set_error(j, "crashed", "%s", err);
			job_set_state(j, JOB_FAILED, now_ms());
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
	if (!job_state_final(j->state))
		return;
	(void)state_freshness_update(j);
	control_job_ended(j);
	queue_retire(&sv.queue, j);
	sv_reap_later();
	sv_kick();
}

/*
 * Who logs in for a job of kind k for user: the agent for customers and
 * orders, system_user for products and prices. -1 with err when the kind is
 * disabled, the user is missing or invalid, or has no credentials.
 */
int
sv_job_erp_user(enum kind k, const char *user, const char **erp_user,
    char *err, size_t errlen)
{
	const struct config	*c = sv.conf;

	if (!c->kinds[k].enabled) {
		snprintf(err, errlen, "%s is disabled in %s", kind_name(k),
		    c->path);
		return -1;
	}
	if (kind_per_user(k)) {
		if (user == NULL || *user == '\0') {
			snprintf(err, errlen, "%s needs a user", kind_name(k));
			return -1;
		}
		if (!user_id_valid(user)) {
			snprintf(err, errlen, "invalid user id \"%.64s\"",
			    user);
			return -1;
		}
		if (config_password(c, user) == NULL) {
			snprintf(err, errlen, "no credentials for user %s "
			    "in %s", user, c->credentials);
			return -1;
		}
		*erp_user = user;
		return 0;
	}
	if (user != NULL && *user != '\0' && strcmp(user, "*") != 0) {
		snprintf(err, errlen, "%s are not per user", kind_name(k));
		return -1;
	}
	if (c->system_user[0] == '\0') {
		snprintf(err, errlen, "%s need [erp] system_user in %s",
		    kind_name(k), c->path);
		return -1;
	}
	*erp_user = c->system_user;
	return 0;
}

/* Queue a request (coalescing as the queue decides); saves and kicks. */
struct job *
sv_request(const struct job_req *r, enum queue_outcome *outcome)
{
	struct job	*j;

	j = queue_request(&sv.queue, r, now_ms(), outcome);
	if (*outcome == QUEUE_ATTACHED) {
		log_emit(LOG_INFO, j->id, j->scope, kind_name(j->kind),
		    "%s request attached to running job", job_trigger_name(
		    r->trigger));
		return j;
	}
	(void)state_job_save(j);
	log_emit(LOG_INFO, j->id, j->scope, kind_name(j->kind),
	    "%s %s request %s (job now %s %s)", job_trigger_name(r->trigger),
	    job_mode_name(r->mode), queue_outcome_name(*outcome),
	    job_mode_name(j->mode), job_trigger_name(j->trigger));
	sv_kick();
	return j;
}

static void
sv_recover_job(const struct job *old, void *arg)
{
	struct job_req		 r;
	struct job		*j;
	enum queue_outcome	 o;
	const char		*erp_user;
	char			 err[256];

	(void)arg;
	if (sv_job_erp_user(old->kind, old->scope, &erp_user, err,
	    sizeof err) == -1) {
		log_emit(LOG_WARN, old->id, old->scope, kind_name(old->kind),
		    "not requeued after restart: %s", err);
		return;
	}
	memset(&r, 0, sizeof r);
	r.kind = old->kind;
	r.scope = old->scope;
	r.erp_user = erp_user;
	r.mode = old->mode;
	r.trigger = old->trigger;
	r.sessions = (int)sv.conf->sessions_per_job;
	j = sv_request(&r, &o);
	log_emit(LOG_INFO, old->id, old->scope, kind_name(old->kind),
	    "interrupted by a restart; requeued as job %lld", (long long)j->id);
}

/* At boot: requeue what the last supervisor left unfinished. */
void
sv_recover(void)
{
	if (state_recover(sv_recover_job, NULL) == -1)
		log_warnx("state.db: cannot recover interrupted jobs");
}

/* Every log event: into the ring and out to `logs -f` clients. */
int
sv_log_sink(const struct log_event *ev, void *arg)
{
	(void)arg;
	if (sv.ring != NULL)
		logring_add(sv.ring, ev);
	control_push_log(ev);
	return 1;
}

/* Re-emit a worker's log line as our own event with proc=worker. */
void
sv_log_relay(struct job *j, const struct msg_log *m)
{
	struct log_event	 ev;
	enum log_level		 level;

	if (log_level_parse(m->level, &level) == -1)
		level = LOG_INFO;
	ev.ts_ms = now_ms();
	ev.level = level;
	ev.proc = "worker";
	ev.job = j->id;
	ev.user = j->scope;
	ev.kind = kind_name(j->kind);
	ev.msg = m->msg;
	log_event_emit(&ev);
}

/* The worker to run: worker_path, or erpsync-worker beside erpsyncd. */
void
sv_worker_path(void)
{
	char	 exe[PATH_MAX - 32], *slash;
	ssize_t	 n;

	if (sv.conf->worker_path[0] != '\0') {
		snprintf(sv.worker_path, sizeof sv.worker_path, "%s",
		    sv.conf->worker_path);
		return;
	}
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0) {
		log_warn("readlink /proc/self/exe");
		snprintf(sv.worker_path, sizeof sv.worker_path,
		    "erpsync-worker");
		return;
	}
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) != NULL)
		*slash = '\0';
	snprintf(sv.worker_path, sizeof sv.worker_path, "%s/erpsync-worker",
	    exe);
}

/* mkdir -p with mode for the directories created; -1 with errno. */
int
sv_mkdirs(const char *path, mode_t mode)
{
	char		 p[PATH_MAX], *s;
	struct stat	 st;
	int		 end;

	if (snprintf(p, sizeof p, "%s", path) >= (int)sizeof p) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		end = *s == '\0';
		*s = '\0';
		if (mkdir(p, mode) == -1 && errno != EEXIST)
			return -1;
		if (end)
			break;
		*s = '/';
	}
	if (stat(p, &st) == -1)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
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
	queue_clear(&sv.queue);
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
