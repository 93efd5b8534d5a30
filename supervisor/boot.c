/*
 * boot.c — what erpsyncd does once at start: load users and freshness from
 * state.db, requeue the jobs a previous instance left unfinished (and tell
 * whether it stopped cleanly), find the worker, create directories; and the
 * log sink that feeds the ring and `logs -f`.
 */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "supervisor/supervisor.h"

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

static void
sv_recover_job(const struct job *old, void *arg)
{
	struct job_req		 r;
	struct job		*j;
	enum queue_outcome	 o;
	const char		*scope, *erp_user;
	char			 err[256];

	(void)arg;
	if (policy_scope(&sv.pol, old->kind, old->scope, &scope, &erp_user,
	    err, sizeof err) == -1) {
		log_emit(LOG_WARN, old->id, old->scope, kind_name(old->kind),
		    "not requeued after restart: %s", err);
		return;
	}
	job_req_init(&r, old->kind, scope, erp_user, old->mode, old->trigger);
	r.resume = 1;
	j = sv_request(&r, &o);
	sv.stats.requeued++;
	log_emit(LOG_INFO, old->id, old->scope, kind_name(old->kind),
	    "interrupted (%s); requeued as job %lld, it resumes from its "
	    "checkpoint", old->state == JOB_FAILED ? "its supervisor died" :
	    "supervisor stopped", (long long)j->id);
}

/*
 * At boot: requeue what the last supervisor left unfinished, and note
 * whether it stopped cleanly (state.db's meta "running_pid" is cleared by a
 * clean stop).
 */
void
sv_recover(void)
{
	int64_t	 prev = state_meta_get("running_pid");

	if (state_recover(sv_recover_job, NULL) == -1)
		log_warnx("state.db: cannot recover interrupted jobs");
	if (prev > 0) {
		sv.stats.prev_pid = prev;
		sv_note(LOG_WARN, NULL, "the previous erpsyncd (pid %lld) did "
		    "not stop cleanly; %lld interrupted jobs requeued",
		    (long long)prev, (long long)sv.stats.requeued);
	} else if (sv.stats.requeued > 0)
		sv_note(LOG_INFO, NULL, "%lld jobs interrupted by the last "
		    "stop requeued", (long long)sv.stats.requeued);
	(void)state_meta_set("running_pid", sv.pid);
}

/*
 * Users and freshness from state.db, then who has credentials. A user who
 * needed a login gets another chance when the credentials file changed
 * since.
 */
void
sv_load_users(void)
{
	struct stat	 st;
	int64_t		 mtime = 0;

	if (stat(sv.conf->credentials, &st) == 0)
		mtime = (int64_t)st.st_mtim.tv_sec * 1000 +
		    st.st_mtim.tv_nsec / 1000000;
	if (state_fresh_load(&sv.users, mtime) == -1)
		log_warnx("state.db: cannot load freshness");
	users_sync_config(&sv.users, sv.conf, NULL);
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
