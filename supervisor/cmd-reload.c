/*
 * cmd-reload.c — `reload`: like SIGHUP, but the errors come back to the
 * caller; the running configuration stays when the new one is invalid.
 */
#include <string.h>

#include "supervisor/supervisor.h"

static const char *cmd_reload_args[] = { NULL };

static void
cmd_reload_exec(struct client *c, const struct msg_req *req)
{
	struct frame	 f;
	struct buf	 errs;

	buf_init(&errs);
	log_info("reload asked by pid %d", (int)c->pid);
	if (sv_reload(&errs) == -1) {
		cmd_error(c, req, "reload: %s has errors; the running "
		    "configuration is kept:\n%s", sv.conf_path,
		    errs.data != NULL ? errs.data : "");
		buf_free(&errs);
		return;
	}
	buf_free(&errs);
	msg_resp_begin(&f, req->id, 1);
	msgpack_pack_map(&f.pk, 2);
	pk_kv_str(&f.pk, "config", sv.conf->path);
	pk_kv_int(&f.pk, "users", (int64_t)sv.conf->ncreds);
	(void)client_send(c, &f);
}

const struct sv_cmd cmd_reload_entry = {
	"reload", cmd_reload_args, cmd_reload_exec, 1
};
