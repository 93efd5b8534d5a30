/*
 * ctl-cancel.c — `erpsyncctl cancel JOB`.
 */
#include "supervisor/ctl.h"

static int
ctl_cancel_run(struct ctl *c)
{
	const msgpack_object	*d;
	char			 state[16];
	int			 rc;

	if ((rc = ctl_connect(c)) != CTL_OK ||
	    (rc = ctl_ask_int(c, "cancel", "job", c->job, NULL, &d)) != CTL_OK)
		return rc;
	ctl_answerf(c, d, "job %lld: %s\n", (long long)ctl_int(d, "job"),
	    ctl_str(d, "state", state, sizeof state));
	return CTL_OK;
}

const struct ctl_cmd ctl_cancel_entry = {
	"cancel", "JOB",
	"Cancel a queued job, or stop a running one at a page boundary.",
	NULL, ctl_parse_one_job, ctl_cancel_run
};
