/*
 * ctl-shutdown.c — `erpsyncctl shutdown`: the daemon drains and exits.
 */
#include "supervisor/ctl.h"

static int
ctl_shutdown_run(struct ctl *c)
{
	const msgpack_object	*d;
	int			 rc;

	if ((rc = ctl_simple(c, "shutdown", &d)) != CTL_OK)
		return rc;
	ctl_answerf(c, d, "erpsyncd is stopping: %lld workers asked to stop at "
	    "a page boundary (at most %llds)\n",
	    (long long)ctl_int(d, "workers"),
	    (long long)ctl_int(d, "drain_timeout_s"));
	return CTL_OK;
}

const struct ctl_cmd ctl_shutdown_entry = {
	"shutdown", "",
	"Stop erpsyncd: workers stop at a page boundary, then it exits.",
	NULL, ctl_parse_none, ctl_shutdown_run
};
