/*
 * cmd-wait.c — `wait {job}`: progress frames for the job, then the answer
 * (the final job) when it ends; at once if it already has.
 */
#include <string.h>

#include "supervisor/supervisor.h"

static const char *cmd_wait_args[] = { "job", NULL };

static void
cmd_wait_exec(struct client *c, const struct msg_req *req)
{
	struct job	*j, old;

	if ((j = cmd_job_arg(c, req, &old)) == NULL)
		return;
	if (j == &old) {
		cmd_reply_job(c, req->id, &old, -1);
		return;
	}
	control_wait(c, req->id, j->id, -1);
	if (job_state_active(j->state) && j->progress.pages > 0)
		control_push_progress(j);
}

const struct sv_cmd cmd_wait_entry = {
	"wait", cmd_wait_args, cmd_wait_exec, 0
};
