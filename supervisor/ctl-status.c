/*
 * ctl-status.c — `erpsyncctl status`: the daemon, workers, queue, holds and
 * who holds them, users, counters of what went wrong, and the last notable
 * events (a restart after a crash, workers killed, retries, poison).
 */
#include <stdio.h>

#include "supervisor/ctl.h"

static void
ctl_status_counters(const msgpack_object *k)
{
	const msgpack_object	*cpu = msg_get(k, "schedule_cpu_us");

	printf("problems:  %lld crashed, %lld stalled (killed), %lld retries, "
	    "%lld poisoned, %lld auth failures, %lld orphans reaped\n",
	    (long long)ctl_int(k, "crashed"), (long long)ctl_int(k, "stalled"),
	    (long long)ctl_int(k, "retries"), (long long)ctl_int(k, "poisoned"),
	    (long long)ctl_int(k, "auth_failures"),
	    (long long)ctl_int(k, "orphans_reaped"));
	if (ctl_int(k, "unclean_previous_pid") != 0 ||
	    ctl_int(k, "requeued_at_boot") != 0)
		printf("boot:      previous erpsyncd %s; %lld interrupted jobs "
		    "requeued\n", ctl_int(k, "unclean_previous_pid") != 0 ?
		    "did not stop cleanly" : "stopped cleanly",
		    (long long)ctl_int(k, "requeued_at_boot"));
	printf("schedule:  %lld passes, %lld jobs asked for, CPU per pass "
	    "%lld us (max %lld)\n", (long long)ctl_int(k, "schedule_passes"),
	    (long long)ctl_int(k, "schedule_requests"),
	    (long long)ctl_int(cpu, "mean"), (long long)ctl_int(cpu, "max"));
}

static void
ctl_status_text(const msgpack_object *d)
{
	const msgpack_object	*jobs = msg_get(d, "jobs");
	const msgpack_object	*users = msg_get(d, "users");
	const msgpack_object	*holds = msg_get(d, "holds");
	const msgpack_object	*ev = msg_get(d, "events");
	char			 s[1024], up[32], t[32];
	uint32_t		 i;

	printf("erpsyncd %s, pid %lld, up %s%s\n", ctl_str(d, "version", s,
	    sizeof s), (long long)ctl_int(d, "pid"),
	    duration_format(ctl_int(d, "uptime_s"), up, sizeof up),
	    ctl_bool(d, "stopping") ? " (stopping)" : "");
	printf("workers:   %lld of %lld: %lld running, %lld paused; %lld "
	    "queued\n", (long long)ctl_int(d, "workers"),
	    (long long)ctl_int(d, "max_workers"),
	    (long long)ctl_int(d, "running"), (long long)ctl_int(d, "paused"),
	    (long long)ctl_int(d, "queued"));
	printf("jobs:      %lld done, %lld failed, %lld cancelled, "
	    "%lld running, %lld queued\n", (long long)ctl_int(jobs, "done"),
	    (long long)ctl_int(jobs, "failed"),
	    (long long)ctl_int(jobs, "cancelled"),
	    (long long)(ctl_int(jobs, "running") + ctl_int(jobs, "starting") +
	    ctl_int(jobs, "paused")), (long long)ctl_int(jobs, "queued"));
	printf("users:     %lld known, %lld with credentials, %lld logged in, "
	    "%lld need a login\n", (long long)ctl_int(users, "known"),
	    (long long)ctl_int(users, "with_credentials"),
	    (long long)ctl_int(users, "logged_in"),
	    (long long)ctl_int(users, "needs_login"));
	if (holds != NULL && holds->type == MSGPACK_OBJECT_ARRAY) {
		printf("holds:     %u\n", holds->via.array.size);
		for (i = 0; i < holds->via.array.size; i++) {
			printf("  ");
			ctl_print_hold(&holds->via.array.ptr[i]);
		}
	}
	ctl_status_counters(msg_get(d, "counters"));
	if (ev != NULL && ev->type == MSGPACK_OBJECT_ARRAY &&
	    ev->via.array.size > 0) {
		printf("events:\n");
		for (i = 0; i < ev->via.array.size; i++)
			printf("  %s  %s\n", ctl_time(ctl_int(
			    &ev->via.array.ptr[i], "ts"), t, sizeof t),
			    ctl_str(&ev->via.array.ptr[i], "msg", s, sizeof s));
	}
	printf("data_dir:  %s\n", ctl_str(d, "data_dir", s, sizeof s));
	printf("state_dir: %s\n", ctl_str(d, "state_dir", s, sizeof s));
	printf("config:    %s\n", ctl_str(d, "config", s, sizeof s));
}

static int
ctl_status_run(struct ctl *c)
{
	const msgpack_object	*d;
	int			 rc;

	if ((rc = ctl_simple(c, "status", &d)) != CTL_OK)
		return rc;
	ctl_answer(c, d, ctl_status_text);
	return CTL_OK;
}

const struct ctl_cmd ctl_status_entry = {
	"status", "",
	"Show the daemon, its workers, queue, holds, users and problems.",
	NULL, ctl_parse_none, ctl_status_run
};
