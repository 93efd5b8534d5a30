/*
 * ctl-reload.c — `erpsyncctl reload`: re-read the configuration; its errors
 * are printed and the running one stays.
 */
#include "supervisor/ctl.h"

static int
ctl_reload_run(struct ctl *c)
{
	const msgpack_object	*d;
	char			 path[1024];
	int			 rc;

	if ((rc = ctl_simple(c, "reload", &d)) != CTL_OK)
		return rc;
	ctl_answerf(c, d, "reloaded %s (%lld users with credentials)\n",
	    ctl_str(d, "config", path, sizeof path),
	    (long long)ctl_int(d, "users"));
	return CTL_OK;
}

const struct ctl_cmd ctl_reload_entry = {
	"reload", "",
	"Read the configuration again; on errors keep the running one.",
	NULL, ctl_parse_none, ctl_reload_run
};
