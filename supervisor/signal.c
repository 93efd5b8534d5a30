/*
 * signal.c — signals as libevent events (handlers do no work): SIGCHLD
 * reaps every child in a loop (we may be PID 1 and inherit orphans),
 * SIGTERM/SIGINT drain and stop, SIGHUP reloads the config (reload.c).
 */
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "supervisor/supervisor.h"

static struct event	*sig_ev[4];

/* If stopping and no worker is left, leave the loop. */
static void
sv_stop_check(void)
{
	if (sv.stopping && worker_count() == 0) {
		log_info("stopped");
		(void)state_meta_set("running_pid", 0);
		event_base_loopexit(sv.base, NULL);
	}
}

static void
sv_sigchld(evutil_socket_t sig, short ev, void *arg)
{
	struct rusage	 ru;
	pid_t		 pid;
	int		 status;

	(void)sig;
	(void)ev;
	(void)arg;
	for (;;) {
		pid = wait4(-1, &status, WNOHANG, &ru);
		if (pid == -1 && errno == EINTR)
			continue;
		if (pid <= 0)
			break;
		if (!worker_exited(pid, status, &ru)) {
			sv.stats.orphans++;
			log_info("reaped pid %d, not a worker (an orphan we "
			    "inherited as PID 1 or subreaper), status %d",
			    (int)pid, WIFSIGNALED(status) ? 128 +
			    WTERMSIG(status) : WEXITSTATUS(status));
		}
	}
	sv_stop_check();
}

/* The drain took too long: SIGKILL what is left, reap it, record it. */
static void
sv_stop_timeout(evutil_socket_t fd, short ev, void *arg)
{
	struct worker	*w;
	struct rusage	 ru;
	int64_t		 deadline = mono_ms() + 2000;
	pid_t		 pid;
	int		 status;

	(void)fd;
	(void)ev;
	(void)arg;
	TAILQ_FOREACH(w, &sv.workers, entry) {
		if (w->exited)
			continue;
		log_emit(LOG_WARN, w->job->id, w->job->scope,
		    kind_name(w->job->kind), "worker pid %d did not stop in "
		    "time; SIGKILL", (int)w->pid);
		worker_kill_now(w);
	}
	while (worker_count() > 0 && mono_ms() < deadline) {
		pid = wait4(-1, &status, WNOHANG, &ru);
		if (pid > 0)
			(void)worker_exited(pid, status, &ru);
		else
			usleep(10000);
	}
	if (worker_count() > 0)
		log_warnx("%d workers did not die; exiting anyway",
		    worker_count());
	log_info("stopped");
	(void)state_meta_set("running_pid", 0);
	event_base_loopexit(sv.base, NULL);
}

/* Drain: cancel the queue, ask workers to stop, exit when they have. */
void
sv_stop(void)
{
	struct worker	*w;
	struct job	*j, *j1;
	struct timeval	 tv;

	if (sv.stopping)
		return;
	sv.stopping = 1;
	log_info("stopping: %d workers running, %d jobs queued",
	    worker_count(), queue_count(&sv.queue, JOB_QUEUED));
	state_begin();
	TAILQ_FOREACH_SAFE(j, &sv.queue.jobs, entry, j1) {
		if (j->state != JOB_QUEUED)
			continue;
		j->resume = 1;
		job_set_error(j, ERR_NONE, "supervisor stopping; requeued at next "
		    "start");
		job_set_state(j, JOB_CANCELLED, now_ms());
	}
	state_commit();
	TAILQ_FOREACH(w, &sv.workers, entry)
		worker_stop(w, -1);
	sv.stop_ev = evtimer_new(sv.base, sv_stop_timeout, NULL);
	tv.tv_sec = sv.conf->drain_timeout;
	tv.tv_usec = 0;
	evtimer_add(sv.stop_ev, &tv);
	sv_stop_check();
}

static void
sv_sigterm(evutil_socket_t sig, short ev, void *arg)
{
	(void)ev;
	(void)arg;
	if (sv.stopping) {
		log_warnx("signal %d again: killing workers now", (int)sig);
		sv_stop_timeout(-1, 0, NULL);
		return;
	}
	log_info("signal %d: stopping", (int)sig);
	sv_stop();
}

static void
sv_sighup(evutil_socket_t sig, short ev, void *arg)
{
	(void)sig;
	(void)ev;
	(void)arg;
	log_info("SIGHUP: reloading %s", sv.conf_path);
	(void)sv_reload(NULL);
}

/* Install the signal events; SIGPIPE is ignored (writes fail with EPIPE). */
void
sv_signals(void)
{
	static const int	 sigs[] = { SIGCHLD, SIGTERM, SIGINT, SIGHUP };
	event_callback_fn	 cbs[] = { sv_sigchld, sv_sigterm, sv_sigterm,
				     sv_sighup };
	size_t			 i;

	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < nitems(sigs); i++) {
		sig_ev[i] = evsignal_new(sv.base, sigs[i], cbs[i], NULL);
		if (sig_ev[i] == NULL || evsignal_add(sig_ev[i], NULL) == -1)
			fatalx("cannot watch signal %d", sigs[i]);
	}
}

/* Remove the signal events. */
void
sv_signals_free(void)
{
	size_t	 i;

	for (i = 0; i < nitems(sig_ev); i++) {
		if (sig_ev[i] != NULL)
			event_free(sig_ev[i]);
		sig_ev[i] = NULL;
	}
	if (sv.stop_ev != NULL)
		event_free(sv.stop_ev);
	sv.stop_ev = NULL;
}
