/*
 * cmd-cancel.c — `cancel {job}`: a queued job is cancelled at once; a
 * running one is asked to stop, then SIGTERM after a grace period.
 */
#include <string.h>

#include "supervisor/supervisor.h"

static const char *cmd_cancel_args[] = { "job", NULL };

static void
cmd_cancel_reply(struct client *c, const struct msg_req *req, int64_t id,
    const char *state)
{
	struct frame	 f;

	msg_resp_begin(&f, req->id, 1);
	msgpack_pack_map(&f.pk, 2);
	pk_kv_int(&f.pk, "job", id);
	pk_kv_str(&f.pk, "state", state);
	(void)client_send(c, &f);
}

static void
cmd_cancel_exec(struct client *c, const struct msg_req *req)
{
	struct job	*j, old;

	if ((j = cmd_job_arg(c, req, &old)) == NULL)
		return;
	if (j == &old) {
		cmd_error(c, req, "cancel: job %lld already ended (%s)",
		    (long long)old.id, job_state_name(old.state));
		return;
	}
	if (j->state == JOB_QUEUED) {
		job_set_error(j, ERR_NONE, "cancelled by admin");
		job_set_state(j, JOB_CANCELLED, now_ms());
		cmd_cancel_reply(c, req, j->id, "cancelled");
		return;
	}
	if (j->worker != NULL) {
		j->worker->cancel = 1;
		worker_stop(j->worker, SV_CANCEL_GRACE_MS);
	}
	log_emit(LOG_INFO, j->id, j->scope, kind_name(j->kind),
	    "cancel asked by admin: stopping the worker");
	cmd_cancel_reply(c, req, j->id, "stopping");
}

const struct sv_cmd cmd_cancel_entry = {
	"cancel", cmd_cancel_args, cmd_cancel_exec, 1
};
