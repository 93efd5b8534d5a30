/*
 * trigger.c — the triggers of design §5 that come from outside: login,
 * reconnect and access events and manual syncs, turned into queue
 * requests by their rules (per-kind thresholds from the config). Pure:
 * every request says what became of it (queued, merged, attached,
 * follow-up, or skipped and why); nothing skipped is reported as done.
 */
#include <stdio.h>
#include <string.h>

#include "supervisor/supervisor.h"

/*
 * Who a job of kind k asked for user runs as: the agent for customers and
 * orders (scope = the agent), system_user for products and prices (scope
 * "*", user ignored). -1 with why when the kind is disabled, the user is
 * missing or invalid, or nobody can log in for it.
 */
int
policy_scope(const struct policy *p, enum kind k, const char *user,
    const char **scope, const char **erp_user, char *why, size_t len)
{
	const struct config	*c = p->conf;
	const struct user	*u;

	if (!c->kinds[k].enabled) {
		snprintf(why, len, "%s is disabled in %s", kind_name(k),
		    c->path != NULL ? c->path : "the config");
		return -1;
	}
	if (!kind_per_user(k)) {
		if (c->system_user[0] == '\0') {
			snprintf(why, len, "%s need [erp] system_user",
			    kind_name(k));
			return -1;
		}
		user = c->system_user;
	} else if (user == NULL || *user == '\0') {
		snprintf(why, len, "%s needs a user", kind_name(k));
		return -1;
	} else if (!user_id_valid(user)) {
		snprintf(why, len, "invalid user id \"%.64s\"", user);
		return -1;
	}
	if (!users_has_creds(u = users_find(p->users, user))) {
		snprintf(why, len, "no credentials for user %s (neither in "
		    "the credentials file nor from a login event)", user);
		return -1;
	}
	*erp_user = u->name;
	*scope = kind_per_user(k) ? u->name : "*";
	return 0;
}

/*
 * Queue a request (coalescing as the queue decides). A delta for a scope
 * never fully synced becomes a full run. The policy's hook hears of it.
 */
struct job *
policy_request(struct policy *p, const struct job_req *r, int64_t now,
    enum queue_outcome *outcome)
{
	struct job_req	 rr = *r;
	struct job	*j;

	if (rr.mode == MODE_DELTA &&
	    !users_first_done(p->users, rr.kind, rr.scope))
		rr.mode = MODE_FULL;
	if (rr.sessions <= 0) {
		rr.sessions = p->conf->sessions_per_job > 0 ?
		    (int)p->conf->sessions_per_job : SV_SESSIONS_AUTO;
		rr.auto_sessions = p->conf->sessions_per_job == 0;
	}
	j = queue_request(p->queue, &rr, now, outcome);
	if (p->requested != NULL)
		p->requested(j, &rr, *outcome, p->arg);
	return j;
}

/* A manual sync: no threshold, no needs-login or poison gate; clears poison. */
struct job *
trigger_manual(struct policy *p, enum kind k, const char *scope,
    const char *erp_user, enum job_mode mode, int force, int resume,
    int64_t now, enum queue_outcome *outcome)
{
	struct job_req	 r;

	users_fresh(p->users, k, scope)->poisoned = 0;
	job_req_init(&r, k, scope, erp_user, mode, TRIG_MANUAL);
	r.force = force;
	r.resume = resume;
	return policy_request(p, &r, now, outcome);
}

static int64_t
trigger_threshold(const struct kind_conf *kc, enum job_trigger t)
{
	switch (t) {
	case TRIG_LOGIN:
		return kc->login_after;
	case TRIG_RECONNECT:
		return kc->reconnect_after;
	default:
		return kc->access_after;
	}
}

static const char *
trigger_key(enum job_trigger t)
{
	switch (t) {
	case TRIG_LOGIN:
		return "login_after";
	case TRIG_RECONNECT:
		return "reconnect_after";
	default:
		return "access_after";
	}
}

/* One kind of an event: the rule, then the request. */
static void
trigger_one(struct policy *p, enum job_trigger t, const char *user,
    enum kind k, int64_t cache_age_s, int64_t now, struct trig_result *res)
{
	const struct kind_conf	*kc = &p->conf->kinds[k];
	const struct fresh	*f;
	const char		*scope, *erp_user;
	struct job_req		 r;
	struct job		*j;
	int64_t			 th = trigger_threshold(kc, t), last, age;
	char			 a[32], b[32], c[32];

	memset(res, 0, sizeof *res);
	res->kind = k;
	res->outcome = QUEUE_SKIPPED;
	if (policy_scope(p, k, user, &scope, &erp_user, res->why,
	    sizeof res->why) == -1)
		return;
	if (users_find(p->users, erp_user)->needs_login) {
		snprintf(res->why, sizeof res->why, "%s needs a login: the ERP "
		    "refused its password (send a login event with a new "
		    "password, or fix the credentials and reload)", erp_user);
		return;
	}
	f = users_fresh_find(p->users, k, scope);
	if (f != NULL && f->poisoned) {
		snprintf(res->why, sizeof res->why, "poisoned after repeated "
		    "crashes: only a manual sync or a reload runs it");
		return;
	}
	last = fresh_last_ok(f);
	age = (now - last) / 1000;
	duration_format(age, a, sizeof a);
	duration_format(th, b, sizeof b);
	if (last == 0)
		snprintf(res->why, sizeof res->why, "never synced");
	else if (age > th)
		snprintf(res->why, sizeof res->why, "last success %s ago > "
		    "%s %s", a, trigger_key(t), b);
	else if (t == TRIG_RECONNECT && cache_age_s > th)
		snprintf(res->why, sizeof res->why, "client cache age %s > "
		    "%s %s", duration_format(cache_age_s, c, sizeof c),
		    trigger_key(t), b);
	else {
		snprintf(res->why, sizeof res->why, "fresh: last success %s "
		    "ago, within %s %s", a, trigger_key(t), b);
		return;
	}
	job_req_init(&r, k, scope, erp_user, MODE_DELTA, t);
	if (f == NULL || f->last_full_ok == 0 || (kc->full_every > 0 &&
	    now - f->last_full_ok >= kc->full_every * 1000))
		r.mode = MODE_FULL;
	j = policy_request(p, &r, now, &res->outcome);
	res->job = j->id;
}

/*
 * An event for user: login and reconnect concern the user's customers and
 * orders, access the one kind given. Fills out (KIND_COUNT entries at most)
 * and returns how many results it holds.
 */
int
trigger_event(struct policy *p, enum job_trigger t, const char *user,
    int kind, int64_t cache_age_s, int64_t now, struct trig_result *out)
{
	int	 n = 0;

	if (t == TRIG_ACCESS) {
		if (kind < 0 || kind >= KIND_COUNT)
			return 0;
		trigger_one(p, t, user, (enum kind)kind, cache_age_s, now,
		    &out[n++]);
		return n;
	}
	trigger_one(p, t, user, KIND_CUSTOMERS, cache_age_s, now, &out[n++]);
	trigger_one(p, t, user, KIND_ORDERS, cache_age_s, now, &out[n++]);
	return n;
}
