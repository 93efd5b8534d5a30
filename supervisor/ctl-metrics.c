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
	/* Label values carry user ids: made safe like every string. */
	ctl_print_lines(t->via.str.ptr, t->via.str.size);
	return CTL_OK;
}

const struct ctl_cmd ctl_metrics_entry = {
	"metrics", "",
	"Print what /metrics serves (Prometheus text format).",
	NULL, ctl_parse_none, ctl_metrics_run
};
