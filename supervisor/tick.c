/*
 * tick.c — the schedule's one timer: each pass runs the pure sched_tick()
 * (schedule and stale check), saves the freshness rows it touched and the
 * jobs it queued in one transaction, prunes the job history now and then,
 * records the pass's CPU time for `status`, and re-arms itself for the
 * next due time, or check_every at the latest.
 */
#include <time.h>

#include <event2/event.h>

#include "supervisor/supervisor.h"

#define PRUNE_EVERY_MS	(3600 * 1000)

static void	sv_sched_cb(evutil_socket_t, short, void *);

/* Create the timer and run a first pass at once. */
void
sv_sched_start(void)
{
	if ((sv.sched_ev = evtimer_new(sv.base, sv_sched_cb, NULL)) == NULL)
		fatalx("sv_sched_start: evtimer_new");
	sv_sched_kick();
}

/* Run a pass soon (after boot, a reload, a login). */
void
sv_sched_kick(void)
{
	struct timeval	 tv = { 0, 0 };

	if (sv.sched_ev != NULL && !sv.stopping)
		evtimer_add(sv.sched_ev, &tv);
}

static void
sv_sched_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct timeval	 tv;
	int64_t		 now = now_ms(), next, cpu, wait;
	int		 n;

	(void)fd;
	(void)ev;
	(void)arg;
	if (sv.stopping)
		return;
	cpu = clock_us(CLOCK_THREAD_CPUTIME_ID);
	state_begin();
	n = sched_tick(&sv.pol, now, &next);
	(void)state_fresh_flush(&sv.users);
	if (now - sv.stats.last_prune_ms >= PRUNE_EVERY_MS) {
		(void)state_prune(sv.conf->history_keep);
		sv.stats.last_prune_ms = now;
	}
	state_commit();
	cpu = clock_us(CLOCK_THREAD_CPUTIME_ID) - cpu;
	sv.stats.ticks++;
	sv.stats.tick_us_last = cpu;
	sv.stats.tick_us_total += cpu;
	if (cpu > sv.stats.tick_us_max)
		sv.stats.tick_us_max = cpu;
	sv.stats.tick_requests += n;
	if (n > 0)
		log_info("schedule: %d jobs due (pass took %lld us of CPU)", n,
		    (long long)cpu);

	wait = sv.conf->check_every * 1000;
	if (next >= 0 && next - now < wait)
		wait = next - now;
	if (wait < 100)
		wait = 100;
	tv.tv_sec = wait / 1000;
	tv.tv_usec = (wait % 1000) * 1000;
	evtimer_add(sv.sched_ev, &tv);
}

/* Free the timer. */
void
sv_sched_free(void)
{
	if (sv.sched_ev != NULL)
		event_free(sv.sched_ev);
	sv.sched_ev = NULL;
}
