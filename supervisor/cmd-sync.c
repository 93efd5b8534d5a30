/*
 * cmd-sync.c — `sync {kind, user, mode, force, resume, wait}`: a manual
 * request. It bypasses every threshold, needs-login and poison gate (never
 * the serialization rules). It is a new run that reads every page unless
 * resume asks to continue the unfinished one. Answers at once with the job and the outcome
 * (queued, merged, attached, follow-up); with wait, answers when the run
 * that satisfies it has ended (see supervisor.h).
 */
#include <string.h>

#include "supervisor/supervisor.h"

static const char *cmd_sync_args[] = {
	"kind", "user", "mode", "force", "resume", "wait", NULL
};

static void
cmd_sync_exec(struct client *c, const struct msg_req *req)
{
	struct job_req		 r;
	struct job		*j;
	enum queue_outcome	 outcome;
	enum kind		 k;
	const char		*erp_user, *scope;
	char			 kind[16], user[USER_ID_MAX + 2], mode[8];
	char			 err[PROTO_ERRLEN];
	int			 force, resume, wait;
	const struct cmd_arg	 args[] = {
		{ "kind", ARG_STR, kind, sizeof kind, 1 },
		{ "user", ARG_STR, user, sizeof user, 0 },
		{ "mode", ARG_STR, mode, sizeof mode, 0 },
		{ "force", ARG_BOOL, &force, 0, 0 },
		{ "resume", ARG_BOOL, &resume, 0, 0 },
		{ "wait", ARG_BOOL, &wait, 0, 0 },
	};

	if (cmd_args(c, req, args, nitems(args)) == -1)
		return;
	if (!kind_valid(kind) || kind_parse(kind, &k) == -1) {
		cmd_error(c, req, "sync: unknown kind \"%s\" (customers, "
		    "orders, products or prices)", kind);
		return;
	}
	memset(&r, 0, sizeof r);
	r.kind = k;
	r.mode = MODE_FULL;
	if (mode[0] != '\0' && job_mode_parse(mode, &r.mode) == -1) {
		cmd_error(c, req, "sync: mode must be full or delta");
		return;
	}
	if (sv.stopping) {
		cmd_error(c, req, "sync: erpsyncd is stopping");
		return;
	}
	if (!kind_per_user(k) && user[0] != '\0' && strcmp(user, "*") != 0) {
		cmd_error(c, req, "sync: %s are not per user", kind);
		return;
	}
	if (policy_scope(&sv.pol, k, user, &scope, &erp_user, err,
	    sizeof err) == -1) {
		cmd_error(c, req, "sync: %s", err);
		return;
	}
	j = trigger_manual(&sv.pol, k, scope, erp_user, r.mode, force, resume,
	    now_ms(), &outcome);
	if (wait)
		control_wait(c, req->id, j->id, (int)outcome);
	else
		cmd_reply_job(c, req->id, j, (int)outcome);
}

const struct sv_cmd cmd_sync_entry = {
	"sync", cmd_sync_args, cmd_sync_exec, 1
};
