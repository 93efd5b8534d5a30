/*
 * pause.c — holds applied to the world (the rules are hold.c's): after any
 * change (a hold taken or released, a job paused, started or ended) one
 * deferred pass sends `pause` to workers whose job a hold now covers and
 * `resume` to those no hold covers any more, grants the pending holds whose
 * jobs have all paused (answering their client), and re-arms the TTL timer.
 */
#include <stdio.h>
#include <string.h>

#include <event2/event.h>

#include "supervisor/supervisor.h"

static void	sv_holds_cb(evutil_socket_t, short, void *);
static void	sv_ttl_cb(evutil_socket_t, short, void *);

/* Create the deferred pass and the TTL timer. */
void
sv_holds_start(void)
{
	sv.holds_ev = event_new(sv.base, -1, 0, sv_holds_cb, NULL);
	sv.ttl_ev = evtimer_new(sv.base, sv_ttl_cb, NULL);
	if (sv.holds_ev == NULL || sv.ttl_ev == NULL)
		fatalx("sv_holds_start: event_new");
}

/* Something a hold depends on changed: run a pass after this callback. */
void
sv_holds_kick(void)
{
	if (sv.holds_ev != NULL)
		event_active(sv.holds_ev, EV_TIMEOUT, 0);
}

/* Answer the client waiting for h with the hold and the jobs it paused. */
static void
sv_hold_grant(struct hold *h, int64_t now)
{
	struct frame	 f;
	struct job	*j;
	int		 n = 0;

	h->granted_ms = now;
	TAILQ_FOREACH(j, &sv.queue.jobs, entry)
		n += j->state == JOB_PAUSED && hold_covers(h, j);
	log_info("hold %lld granted after %lld ms (user %s, pid %d%s%s): "
	    "%d jobs paused", (long long)h->id, (long long)(now -
	    h->created_ms), h->user[0] != '\0' ? h->user : "*", (int)h->pid,
	    h->reason[0] != '\0' ? ", reason: " : "", h->reason, n);
	if (h->owner == NULL)
		return;
	msg_resp_begin(&f, h->req_id, 1);
	cmd_pack_hold(&f.pk, h, now);
	(void)client_send(h->owner, &f);
	if (h->detach)
		h->owner = NULL;
}

/* Pause what holds cover, resume what they no longer do. */
static void
sv_holds_apply(int64_t mono)
{
	struct worker	*w;
	struct job	*j;
	int		 want;

	TAILQ_FOREACH(w, &sv.workers, entry) {
		j = w->job;
		if (w->exited || w->kill != WK_NONE || w->got_done ||
		    !job_state_active(j->state))
			continue;
		want = holds_block(&sv.holds, j) != NULL;
		if (want && !w->want_pause) {
			w->want_pause = 1;
			worker_send(w, MSG_PAUSE);
			log_emit(LOG_INFO, j->id, j->scope, kind_name(j->kind),
			    "pausing at the next page boundary (hold %lld)",
			    (long long)holds_block(&sv.holds, j)->id);
		} else if (!want && w->want_pause) {
			w->want_pause = 0;
			worker_send(w, MSG_RESUME);
			if (w->paused_mono != 0) {
				w->paused_total_ms += mono - w->paused_mono;
				w->paused_mono = 0;
			}
			if (j->state == JOB_PAUSED)
				job_set_state(j, JOB_RUNNING, now_ms());
			log_emit(LOG_INFO, j->id, j->scope, kind_name(j->kind),
			    "no hold left: resuming from the checkpoint");
		}
	}
}

static void
sv_holds_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct hold	*h;
	struct timeval	 tv;
	int64_t		 now = now_ms(), wake;

	(void)fd;
	(void)ev;
	(void)arg;
	while ((h = holds_expired(&sv.holds, now, &wake)) != NULL)
		sv_hold_release(h, "its TTL ran out");
	sv_holds_apply(mono_ms());
	TAILQ_FOREACH(h, &sv.holds.list, entry)
		if (h->granted_ms == 0 && hold_ready(h, &sv.queue))
			sv_hold_grant(h, now);
	if (wake != -1) {
		wake -= now;
		tv.tv_sec = wake / 1000;
		tv.tv_usec = (wake % 1000) * 1000 + 1000;
		evtimer_add(sv.ttl_ev, &tv);
	} else
		evtimer_del(sv.ttl_ev);
}

static void
sv_ttl_cb(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	(void)arg;
	sv_holds_kick();
}

/* Release a hold (answering a client still waiting for it) and resume. */
void
sv_hold_release(struct hold *h, const char *why)
{
	struct frame	 f;

	log_info("hold %lld released: %s (user %s, pid %d, held %s)",
	    (long long)h->id, why, h->user[0] != '\0' ? h->user : "*",
	    (int)h->pid, h->granted_ms != 0 ? "granted" : "never granted");
	if (h->granted_ms == 0 && h->owner != NULL && !h->owner->dead) {
		msg_resp_error(&f, h->req_id, "hold %lld released before it "
		    "was granted: %s", (long long)h->id, why);
		(void)client_send(h->owner, &f);
	}
	hold_remove(&sv.holds, h);
	sv_holds_kick();
	sv_kick();
}

/* A client went away: release the holds its connection keeps. */
void
sv_holds_client_gone(struct client *c)
{
	struct hold	*h, *h1;

	TAILQ_FOREACH_SAFE(h, &sv.holds.list, entry, h1)
		if (h->owner == c)
			sv_hold_release(h, "its client's connection closed");
}

/* Free the events. */
void
sv_holds_free(void)
{
	if (sv.holds_ev != NULL)
		event_free(sv.holds_ev);
	if (sv.ttl_ev != NULL)
		event_free(sv.ttl_ev);
	sv.holds_ev = sv.ttl_ev = NULL;
}
