/*
 * cmd-release.c — `release {id}`: end a hold; the jobs it alone kept
 * paused resume from their checkpoints.
 */
#include <stdio.h>

#include "supervisor/supervisor.h"

static const char *cmd_release_args[] = { "id", NULL };

static void
cmd_release_exec(struct client *c, const struct msg_req *req)
{
	struct hold	*h;
	struct frame	 f;
	int64_t		 id;
	char		 err[PROTO_ERRLEN], why[64];

	if (msg_get_int(req->args, "id", &id, 1, err, sizeof err) == -1) {
		cmd_error(c, req, "release: %s", err);
		return;
	}
	if ((h = hold_find(&sv.holds, id)) == NULL) {
		cmd_error(c, req, "release: no hold %lld", (long long)id);
		return;
	}
	snprintf(why, sizeof why, "released by pid %d", (int)c->pid);
	sv_hold_release(h, why);
	msg_resp_begin(&f, req->id, 1);
	msgpack_pack_map(&f.pk, 2);
	pk_kv_int(&f.pk, "id", id);
	pk_kv_str(&f.pk, "state", "released");
	(void)client_send(c, &f);
}

const struct sv_cmd cmd_release_entry = {
	"release", cmd_release_args, cmd_release_exec, 1
};
