/*
 * cmd-shutdown.c — `shutdown`: like SIGTERM. Answered at once; the daemon
 * then drains (workers stop at a page boundary) and exits 0.
 */
#include "supervisor/supervisor.h"

static const char *cmd_shutdown_args[] = { NULL };

static void
cmd_shutdown_exec(struct client *c, const struct msg_req *req)
{
	struct frame	 f;

	log_info("shutdown asked by pid %d", (int)c->pid);
	msg_resp_begin(&f, req->id, 1);
	msgpack_pack_map(&f.pk, 2);
	pk_kv_int(&f.pk, "workers", worker_count());
	pk_kv_int(&f.pk, "drain_timeout_s", sv.conf->drain_timeout);
	(void)client_send(c, &f);
	sv_stop();
}

const struct sv_cmd cmd_shutdown_entry = {
	"shutdown", cmd_shutdown_args, cmd_shutdown_exec, 1
};
