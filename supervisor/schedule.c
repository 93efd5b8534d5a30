/*
 * schedule.c — the triggers that come from the clock (design §5): full runs
 * every full_every, delta runs every delta_every, and the stale check (any
 * (kind, scope) whose last success is older than stale_after). Pure.
 *
 * Due times are computed from the last success, never counted from a fixed
 * grid, so after any downtime a (kind, scope) is due once — one catch-up,
 * not one per missed interval. A deterministic jitter (a hash of the scope,
 * the kind and the last success) spreads agents apart. A scope never synced
 * is anchored at the time it was first seen and spread over its first
 * interval, so 10,000 new agents do not all start at boot (a login still
 * syncs an agent at once). Failed scopes wait out their backoff.
 */
#include <stdio.h>
#include <string.h>

#include "supervisor/supervisor.h"

#define JITTER_FULL_MAX_MS	(15 * 60 * 1000)
#define JITTER_DELTA_MAX_MS	(5 * 60 * 1000)

/* A deterministic offset in [0, span_ms) for (scope, kind, base). */
int64_t
sched_jitter(const char *scope, enum kind k, int64_t base, int64_t span_ms)
{
	uint64_t	 h = 1469598103934665603ULL;
	int		 i;

	if (span_ms <= 0)
		return 0;
	while (*scope != '\0') {
		h ^= (unsigned char)*scope++;
		h *= 1099511628211ULL;
	}
	for (i = 0; i < 9; i++) {
		h ^= i == 0 ? (uint64_t)k : (uint64_t)(base >> (8 * (i - 1))) &
		    0xff;
		h *= 1099511628211ULL;
	}
	h ^= h >> 29;
	return (int64_t)(h % (uint64_t)span_ms);
}

static int64_t
min_pos(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

/* Offer a candidate due time t (ms, -1 = none) with its trigger and mode. */
static void
sched_offer(struct due *d, int64_t t, enum job_trigger trig,
    enum job_mode mode, int64_t now)
{
	int	 due_t, due_d;

	if (t < 0)
		return;
	if (d->at < 0) {
		d->at = t, d->trigger = trig, d->mode = mode;
		return;
	}
	due_t = t <= now;
	due_d = d->at <= now;
	/* Both due: the higher trigger, then full over delta. */
	if (due_t && due_d) {
		if (trig > d->trigger || (trig == d->trigger &&
		    mode == MODE_FULL))
			d->trigger = trig, d->mode = mode;
		if (t < d->at)
			d->at = t;
		return;
	}
	if (t < d->at)
		d->at = t, d->trigger = trig, d->mode = mode;
}

/*
 * When (kind, scope) with freshness f is next due, by which trigger and in
 * which mode; 1 if that is now or past. d->at is -1 when nothing ever
 * makes it due (kind disabled, intervals off).
 */
int
sched_scope_due(const struct policy *p, const struct fresh *f, enum kind k,
    const char *scope, int64_t now, struct due *d)
{
	const struct kind_conf	*kc = &p->conf->kinds[k];
	int64_t			 full = kc->full_every * 1000;
	int64_t			 delta = kc->delta_every * 1000;
	int64_t			 last = fresh_last_ok(f), anchor, span, t;

	d->at = -1;
	d->trigger = TRIG_SCHEDULE;
	d->mode = MODE_FULL;
	if (!kc->enabled)
		return 0;
	anchor = last != 0 ? last : f->first_seen;
	if (kc->stale_after > 0)
		sched_offer(d, anchor + kc->stale_after * 1000, TRIG_STALE,
		    MODE_FULL, now);
	if (f->last_full_ok == 0) {
		/* The first run: spread over the first interval. */
		span = delta > 0 ? delta : full;
		if (span > 0)
			sched_offer(d, f->first_seen + sched_jitter(scope, k,
			    0, span), TRIG_SCHEDULE, MODE_FULL, now);
	} else {
		if (full > 0)
			sched_offer(d, f->last_full_ok + full +
			    sched_jitter(scope, k, f->last_full_ok,
			    min_pos(full / 10, JITTER_FULL_MAX_MS)),
			    TRIG_SCHEDULE, MODE_FULL, now);
		if (delta > 0)
			sched_offer(d, last + delta + sched_jitter(scope, k,
			    last, min_pos(delta / 10, JITTER_DELTA_MAX_MS)),
			    TRIG_SCHEDULE, MODE_DELTA, now);
	}
	if (d->at >= 0 && f->failures > 0) {
		t = f->last_attempt + backoff_ms(p->conf, f->failures,
		    (uint64_t)sched_jitter(scope, k, f->last_attempt,
		    INT32_MAX));
		if (t > d->at)
			d->at = t;
	}
	return d->at >= 0 && d->at <= now;
}

/* Look at one (kind, scope); 1 if it was requested. */
static int
sched_one(struct policy *p, struct fresh *f, enum kind k, const char *scope,
    const char *erp_user, int64_t now, int64_t *next)
{
	struct job_req		 r;
	struct due		 d;
	enum queue_outcome	 o;

	if (f->poisoned || !p->conf->kinds[k].enabled)
		return 0;
	if (queue_find_scope(p->queue, k, scope, -1) != NULL)
		return 0;	/* queued or running: coalesced already */
	if (f->first_seen == 0) {
		f->first_seen = now;
		f->dirty = 1;
	}
	if (!sched_scope_due(p, f, k, scope, now, &d)) {
		if (d.at >= 0 && (*next == -1 || d.at < *next))
			*next = d.at;
		return 0;
	}
	job_req_init(&r, k, scope, erp_user, d.mode, d.trigger);
	(void)policy_request(p, &r, now, &o);
	return 1;
}

/*
 * One pass over every (kind, scope) that can run: per-agent kinds for each
 * agent with credentials that needs no login (system_user excluded), the
 * shared kinds for system_user. Requests what is due; *next is the
 * earliest future due time (-1: none). Returns how many were requested.
 */
int
sched_tick(struct policy *p, int64_t now, int64_t *next)
{
	const char	*sys = p->conf->system_user;
	struct user	*u, *su;
	size_t		 i;
	int		 n = 0;

	*next = -1;
	for (i = 0; i < p->users->count; i++) {
		u = p->users->all[i];
		if (strcmp(u->name, "*") == 0 || strcmp(u->name, sys) == 0 ||
		    u->needs_login || !users_has_creds(u))
			continue;
		n += sched_one(p, &u->k[KIND_CUSTOMERS], KIND_CUSTOMERS,
		    u->name, u->name, now, next);
		n += sched_one(p, &u->k[KIND_ORDERS], KIND_ORDERS, u->name,
		    u->name, now, next);
	}
	su = sys[0] != '\0' ? users_find(p->users, sys) : NULL;
	if (su != NULL && users_has_creds(su) && !su->needs_login) {
		n += sched_one(p, users_fresh(p->users, KIND_PRODUCTS, "*"),
		    KIND_PRODUCTS, "*", su->name, now, next);
		n += sched_one(p, users_fresh(p->users, KIND_PRICES, "*"),
		    KIND_PRICES, "*", su->name, now, next);
	}
	return n;
}
