/*
 * cmd-hold.c — `hold {user, ttl, reason, detach}`: pause the running jobs
 * of a user (or all jobs) at their next page boundary and start none there
 * until released. The answer (the hold) comes only once every job in scope
 * has paused and logged out of the ERP; pause.c sends it.
 *
 * The TTL: an explicit ttl bounds any hold. Without one, a detached hold
 * gets hold_ttl (nothing else would ever end it if its owner forgets), and
 * a hold kept by its connection gets none: that is `hold -- CMD`, which
 * must last exactly as long as CMD (design §5) and ends by release or by
 * its connection closing, which happens when CMD is gone.
 */
#include <stdio.h>
#include <string.h>

#include "supervisor/supervisor.h"

static const char *cmd_hold_args[] = {
	"user", "ttl", "reason", "detach", NULL
};

static void
cmd_hold_exec(struct client *c, const struct msg_req *req)
{
	struct hold	*h;
	int64_t		 ttl = 0;
	char		 user[USER_ID_MAX + 2], reason[128], d[32];
	int		 detach = 0;
	const struct cmd_arg args[] = {
		{ "user", ARG_STR, user, sizeof user, 0 },
		{ "ttl", ARG_INT, &ttl, 0, 0 },
		{ "reason", ARG_STR, reason, sizeof reason, 0 },
		{ "detach", ARG_BOOL, &detach, 0, 0 },
	};

	if (cmd_args(c, req, args, nitems(args)) == -1)
		return;
	if (strcmp(user, "*") == 0)
		user[0] = '\0';
	if (user[0] != '\0' && !user_id_valid(user)) {
		cmd_error(c, req, "hold: invalid user id");
		return;
	}
	if (ttl == 0 && detach)
		ttl = sv.conf->hold_ttl;
	/* 0 is left only for a hold kept by its connection: no TTL. */
	if (ttl < 0 || ttl > SV_HOLD_TTL_MAX) {
		cmd_error(c, req, "hold: ttl must be 1s..1d");
		return;
	}
	if (sv.stopping) {
		cmd_error(c, req, "hold: erpsyncd is stopping");
		return;
	}
	h = hold_add(&sv.holds, user, reason, ttl * 1000, now_ms());
	h->pid = c->pid;
	h->uid = c->uid;
	h->detach = detach;
	h->owner = c;
	h->req_id = req->id;
	if (ttl == 0)
		snprintf(d, sizeof d, "none");
	else
		duration_format(ttl, d, sizeof d);
	log_info("hold %lld asked by pid %d: user %s, ttl %s%s%s%s",
	    (long long)h->id, (int)c->pid, user[0] != '\0' ? user : "*",
	    d, detach ? ", detached" : " (kept by its connection)",
	    reason[0] != '\0' ? ", reason: " : "", reason);
	sv_holds_kick();
}

const struct sv_cmd cmd_hold_entry = {
	"hold", cmd_hold_args, cmd_hold_exec, 1
};
