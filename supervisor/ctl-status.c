/*
 * ctl-status.c — `erpsyncctl status`.
 */
#include <stdio.h>

#include "supervisor/ctl.h"

static int
ctl_status_run(struct ctl *c)
{
	const msgpack_object	*d, *jobs;
	struct frame		 f;
	char			 s[1024], up[32];
	int64_t			 id;
	int			 rc;

	if ((rc = ctl_connect(c)) != CTL_OK)
		return rc;
	id = ctl_new_id(c);
	msg_req_begin(&f, id, "status", 0);
	if ((rc = ctl_request(c, &f, id, NULL, &d)) != CTL_OK)
		return rc;
	if (c->json) {
		ctl_print_json(d);
		return CTL_OK;
	}
	jobs = msg_get(d, "jobs");
	printf("erpsyncd %s, pid %lld, up %s%s\n", ctl_str(d, "version", s,
	    sizeof s), (long long)ctl_int(d, "pid"),
	    duration_format(ctl_int(d, "uptime_s"), up, sizeof up),
	    ctl_int(d, "stopping") ? " (stopping)" : "");
	printf("workers:   %lld running of %lld; %lld queued\n",
	    (long long)ctl_int(d, "workers"), (long long)ctl_int(d,
	    "max_workers"), (long long)ctl_int(d, "queued"));
	printf("jobs:      %lld done, %lld failed, %lld cancelled, "
	    "%lld running, %lld queued\n", (long long)ctl_int(jobs, "done"),
	    (long long)ctl_int(jobs, "failed"),
	    (long long)ctl_int(jobs, "cancelled"),
	    (long long)(ctl_int(jobs, "running") + ctl_int(jobs, "starting") +
	    ctl_int(jobs, "paused")), (long long)ctl_int(jobs, "queued"));
	printf("data_dir:  %s\n", ctl_str(d, "data_dir", s, sizeof s));
	printf("state_dir: %s\n", ctl_str(d, "state_dir", s, sizeof s));
	printf("config:    %s\n", ctl_str(d, "config", s, sizeof s));
	return CTL_OK;
}

const struct ctl_cmd ctl_status_entry = {
	"status", "", ctl_parse_none, ctl_status_run
};
