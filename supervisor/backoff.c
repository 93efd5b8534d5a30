/*
 * backoff.c — what happens when a run ends (design §5 "Failures"), pure:
 * retry with exponential backoff, jitter and a cap while attempts last;
 * never for auth, contract and protocol failures; and the poison rule:
 * N crashes (or stalls) of one (kind, scope) within T fail it for good,
 * until a manual sync or a reload.
 *
 * A crashed or stalled worker is retried whatever the trigger. ERP trouble
 * (erp, busy, storage) that outlasted the worker's own per-request retries
 * is retried for automatic triggers only: whoever asked for a manual sync
 * is waiting for it and hears of the failure at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "supervisor/supervisor.h"

/*
 * The delay before retry n (1 = the first): retry_backoff doubled n - 1
 * times, capped at retry_backoff_max, then "equal jitter": somewhere in
 * [d/2, d] picked by rnd. Never more than the cap.
 */
int64_t
backoff_ms(const struct config *c, int n, uint64_t rnd)
{
	int64_t	 d = c->retry_backoff * 1000, cap = c->retry_backoff_max * 1000;
	int	 i;

	if (n < 1)
		n = 1;
	for (i = 1; i < n && d < cap; i++)
		d *= 2;
	if (d > cap)
		d = cap;
	if (d <= 1)
		return d;
	return d / 2 + (int64_t)(rnd % (uint64_t)(d - d / 2 + 1));
}

/* Record a crash at now; 1 when poison_crashes fell within the window. */
int
poison_note(struct fresh *f, const struct config *c, int64_t now)
{
	int	 i, n = 0, want = (int)c->poison_crashes;

	if (want <= 0)
		return 0;
	if (want > SV_POISON_MAX)
		want = SV_POISON_MAX;
	if (f->crashes == NULL)
		f->crashes = xcalloc(SV_POISON_MAX, sizeof *f->crashes);
	f->crashes[f->crash_head] = now;
	f->crash_head = (f->crash_head + 1) % SV_POISON_MAX;
	if (f->ncrashes < SV_POISON_MAX)
		f->ncrashes++;
	for (i = 0; i < f->ncrashes; i++)
		if (now - f->crashes[i] < c->poison_window * 1000)
			n++;
	if (n < want)
		return 0;
	f->poisoned = 1;
	return 1;
}

/*
 * A run of j ended in state end (done, failed or cancelled, as the worker
 * and its exit say). Updates the freshness of (kind, scope) and says what
 * to do: END_RETRY with *retry_at, or the final state to set. The job's
 * error_class and message are set by the caller; a retry or poison rewrites
 * the message to say so.
 */
enum end_action
policy_job_ended(struct policy *p, struct job *j, enum job_state end,
    int64_t now, uint64_t rnd, int64_t *retry_at)
{
	const struct config	*c = p->conf;
	struct fresh		*f = users_fresh(p->users, j->kind, j->scope);
	char			 d[32];
	int64_t			 delay;
	int			 crash;

	*retry_at = 0;
	if (end == JOB_CANCELLED)
		return END_CANCELLED;
	users_job_ended(p->users, j, end, now);
	if (end == JOB_DONE)
		return END_DONE;
	crash = err_class_retry(j->error_class) == RETRY_ALWAYS;
	if (crash && poison_note(f, c, now)) {
		job_append_message(j, "; poisoned: %lld crashes within %s, no "
		    "more retries until a manual sync or a reload",
		    (long long)c->poison_crashes,
		    duration_format(c->poison_window, d, sizeof d));
		return END_POISONED;
	}
	switch (err_class_retry(j->error_class)) {
	case RETRY_NEVER:
		return END_FAILED;
	case RETRY_AUTOMATIC:
		if (j->trigger == TRIG_MANUAL)
			return END_FAILED;
		break;
	case RETRY_ALWAYS:
		break;
	}
	if (j->attempts >= c->retry_attempts)
		return END_FAILED;
	delay = backoff_ms(c, j->attempts, rnd);
	*retry_at = now + delay;
	return END_RETRY;
}
