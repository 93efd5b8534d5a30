/*
 * cmd-metrics.c — `metrics`: the text /metrics serves (metrics.c), over
 * the admin socket, for `erpsyncctl metrics` and hosts without [metrics].
 */
#include "supervisor/supervisor.h"

static const char *cmd_metrics_args[] = { NULL };

static void
cmd_metrics_exec(struct client *c, const struct msg_req *req)
{
	struct frame	 f;
	struct buf	 b;

	buf_init(&b);
	metrics_render(&b);
	msg_resp_begin(&f, req->id, 1);
	msgpack_pack_map(&f.pk, 1);
	pk_key(&f.pk, "text");
	msgpack_pack_str(&f.pk, b.len);
	msgpack_pack_str_body(&f.pk, b.data, b.len);
	(void)client_send(c, &f);
	buf_free(&b);
}

const struct sv_cmd cmd_metrics_entry = {
	"metrics", cmd_metrics_args, cmd_metrics_exec, 0
};
