/*
 * watchdog.c — a worker's timer: heartbeats, the job timeout, and the
 * escalation stop -> SIGTERM -> SIGKILL (of its process group) for cancel,
 * shutdown and failures the supervisor decides (protocol, stalled).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <event2/event.h>

#include "supervisor/supervisor.h"

static void	worker_timer_cb(evutil_socket_t, short, void *);

/* Signal the worker's process group, unless it has been reaped. */
static void
worker_signal(struct worker *w, int sig)
{
	if (w->exited)
		return;
	if (kill(-w->pid, sig) == -1 && errno == ESRCH)
		(void)kill(w->pid, sig);
}

/* Give a new worker its watchdog timer. */
void
worker_watch(struct worker *w)
{
	if ((w->timer = evtimer_new(sv.base, worker_timer_cb, w)) == NULL)
		fatalx("worker_watch: evtimer_new");
	worker_arm(w);
}

/* Kill the worker for a reason that becomes its job's failure. */
void
worker_abort(struct worker *w, enum err_class class, const char *fmt, ...)
{
	struct job	*j = w->job;
	va_list		 ap;

	if (w->fail_class != ERR_NONE)
		return;
	w->fail_class = class;
	va_start(ap, fmt);
	vsnprintf(w->fail_msg, sizeof w->fail_msg, fmt, ap);
	va_end(ap);
	log_emit(LOG_WARN, j->id, j->scope, kind_name(j->kind),
	    "worker pid %d: %s: %s; terminating it", (int)w->pid,
	    err_class_name(class), w->fail_msg);
	worker_signal(w, SIGTERM);
	worker_signal(w, SIGCONT);	/* a stopped worker must see it */
	w->kill = WK_TERM;
	w->next_step_mono = mono_ms() + SV_KILL_GRACE_MS;
	worker_arm(w);
}

/* SIGKILL the worker's process group now. */
void
worker_kill_now(struct worker *w)
{
	worker_signal(w, SIGKILL);
	w->kill = WK_KILL;
	chan_close(w->chan);
	worker_arm(w);
}

/*
 * Ask the worker to stop at its next page boundary; SIGTERM after grace_ms
 * (never when grace_ms < 0).
 */
void
worker_stop(struct worker *w, int64_t grace_ms)
{
	if (w->exited || w->kill != WK_NONE)
		return;
	worker_send(w, MSG_STOP);
	w->kill = WK_STOPPING;
	w->next_step_mono = grace_ms < 0 ? 0 : mono_ms() + grace_ms;
	worker_arm(w);
}

/* When job_timeout runs out: time spent paused by holds does not count. */
static int64_t
worker_job_deadline(const struct worker *w)
{
	return w->started_mono + sv.conf->job_timeout * 1000 +
	    worker_paused_ms(w, mono_ms());
}

/* The next moment the watchdog must look, or -1. */
static int64_t
worker_deadline(const struct worker *w)
{
	const struct config	*c = sv.conf;
	int64_t			 d = -1, t;

	if (w->exited)
		return -1;
	switch (w->kill) {
	case WK_STOPPING:
	case WK_TERM:
		d = w->next_step_mono != 0 ? w->next_step_mono : -1;
		break;
	case WK_KILL:
		return -1;
	case WK_NONE:
		break;
	}
	if (w->kill == WK_TERM)
		return d;
	if (w->got_done)
		t = w->done_mono + SV_EXIT_GRACE_MS;
	else {
		t = w->last_frame_mono + c->heartbeat_timeout * 1000;
		if (c->job_timeout > 0 && worker_job_deadline(w) < t)
			t = worker_job_deadline(w);
	}
	return d == -1 || t < d ? t : d;
}

/* Re-arm the watchdog for the next deadline. */
void
worker_arm(struct worker *w)
{
	struct timeval	 tv;
	int64_t		 d, now = mono_ms();

	if (w->timer == NULL)
		return;
	if ((d = worker_deadline(w)) == -1) {
		evtimer_del(w->timer);
		return;
	}
	d = d > now ? d - now : 0;
	tv.tv_sec = d / 1000;
	tv.tv_usec = (d % 1000) * 1000 + 1000;
	evtimer_add(w->timer, &tv);
}

/* The watchdog: heartbeats, job timeout, and stop -> TERM -> KILL steps. */
static void
worker_timer_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct worker		*w = arg;
	const struct config	*c = sv.conf;
	struct job		*j = w->job;
	int64_t			 now = mono_ms();
	char			 d[32];

	(void)fd;
	(void)ev;
	if (w->exited)
		return;
	if ((w->kill == WK_STOPPING || w->kill == WK_TERM) &&
	    w->next_step_mono != 0 && now >= w->next_step_mono) {
		if (w->kill == WK_STOPPING) {
			log_emit(LOG_WARN, j->id, j->scope, kind_name(j->kind),
			    "worker pid %d did not stop; SIGTERM", (int)w->pid);
			worker_signal(w, SIGTERM);
			w->kill = WK_TERM;
			w->next_step_mono = now + SV_KILL_GRACE_MS;
		} else {
			log_emit(LOG_WARN, j->id, j->scope, kind_name(j->kind),
			    "worker pid %d still alive; SIGKILL", (int)w->pid);
			worker_kill_now(w);
		}
	} else if (w->kill != WK_TERM && w->kill != WK_KILL) {
		if (w->got_done && now >= w->done_mono + SV_EXIT_GRACE_MS) {
			log_emit(LOG_WARN, j->id, j->scope, kind_name(j->kind),
			    "worker pid %d did not exit after done; SIGKILL",
			    (int)w->pid);
			worker_kill_now(w);
		} else if (!w->got_done && now >= w->last_frame_mono +
		    c->heartbeat_timeout * 1000) {
			worker_abort(w, ERR_STALLED, "worker sent nothing for %s",
			    duration_format(c->heartbeat_timeout, d, sizeof d));
		} else if (!w->got_done && c->job_timeout > 0 &&
		    now >= worker_job_deadline(w)) {
			worker_abort(w, ERR_STALLED, "job exceeded job_timeout "
			    "(%s)", duration_format(c->job_timeout, d,
			    sizeof d));
		}
	}
	worker_arm(w);
}
