/*
 * ctl-release.c — `erpsyncctl release ID`: end a hold.
 */
#include <getopt.h>
#include <stdlib.h>

#include "supervisor/ctl.h"

static int
ctl_release_parse(struct ctl *c, int argc, char **argv)
{
	char	*end;

	if (ctl_getopt(argc, argv, NULL, "") != -1)
		return CTL_USAGE;
	if (argc - optind != 1) {
		ctl_err("release needs one ID (a hold's, see erpsyncctl jobs)");
		return CTL_USAGE;
	}
	c->job = strtoll(argv[optind], &end, 10);
	if (*argv[optind] == '\0' || *end != '\0' || c->job <= 0) {
		ctl_err("a hold id is a positive number, not \"%s\"",
		    argv[optind]);
		return CTL_USAGE;
	}
	return CTL_OK;
}

static int
ctl_release_run(struct ctl *c)
{
	const msgpack_object	*d;
	int			 rc;

	if ((rc = ctl_connect(c)) != CTL_OK ||
	    (rc = ctl_ask_int(c, "release", "id", c->job, NULL, &d)) != CTL_OK)
		return rc;
	ctl_answerf(c, d, "hold %lld released\n", (long long)ctl_int(d, "id"));
	return CTL_OK;
}

const struct ctl_cmd ctl_release_entry = {
	"release", "ID", "End a hold.", NULL, ctl_release_parse, ctl_release_run
};
