/*
 * ctl-metrics.c — `erpsyncctl metrics`: what /metrics serves (Prometheus
 * text format 0.0.4), printed as is; with --json, as {"text": ...}.
 */
#include <stdio.h>

#include "supervisor/ctl.h"

static int
ctl_metrics_run(struct ctl *c)
{
	const msgpack_object	*d, *t;
	int			 rc;

	if ((rc = ctl_simple(c, "metrics", &d)) != CTL_OK)
		return rc;
	if (c->json) {
		ctl_print_json(d);
		return CTL_OK;
	}
	if ((t = msg_get(d, "text")) == NULL || t->type != MSGPACK_OBJECT_STR) {
		ctl_err("metrics: answer without text");
		return CTL_FAILED;
	}
	/* Our own ASCII text: printed as the daemon wrote it. */
	fwrite(t->via.str.ptr, 1, t->via.str.size, stdout);
	return CTL_OK;
}

const struct ctl_cmd ctl_metrics_entry = {
	"metrics", "", ctl_parse_none, ctl_metrics_run
};
