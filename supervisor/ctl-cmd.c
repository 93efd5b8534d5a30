/*
 * ctl-cmd.c — erpsyncctl's command table and usage messages.
 */
#include <stdio.h>
#include <string.h>

#include "supervisor/ctl.h"

static const struct ctl_cmd *ctl_table[] = {
	&ctl_status_entry,
	&ctl_jobs_entry,
	&ctl_sync_entry,
	&ctl_cancel_entry,
	&ctl_logs_entry,
	&ctl_users_entry,
	&ctl_event_entry,
	&ctl_hold_entry,
	&ctl_release_entry,
	&ctl_watch_entry,
	&ctl_reload_entry,
	&ctl_shutdown_entry,
	&ctl_wait_entry,
	&ctl_metrics_entry,
};

/* The command called name, or NULL. */
const struct ctl_cmd *
ctl_cmd_find(const char *name)
{
	size_t	 i;

	for (i = 0; i < nitems(ctl_table); i++)
		if (strcmp(ctl_table[i]->name, name) == 0)
			return ctl_table[i];
	return NULL;
}

/* Print the usage of every command. */
void
ctl_usage_all(void)
{
	size_t	 i;

	fprintf(stderr, "usage: erpsyncctl [-s SOCKET] [--json] COMMAND "
	    "[ARGS]\ncommands:\n");
	for (i = 0; i < nitems(ctl_table); i++)
		fprintf(stderr, "  %s %s\n", ctl_table[i]->name,
		    ctl_table[i]->usage);
}

/* Print one command's usage; returns CTL_USAGE. */
int
ctl_usage(const struct ctl_cmd *cmd)
{
	fprintf(stderr, "usage: erpsyncctl [-s SOCKET] [--json] %s %s\n",
	    cmd->name, cmd->usage);
	return CTL_USAGE;
}

/* A duration argument ("90s", "5m", "2h") in seconds; -1 if bad. */
int
ctl_parse_duration(const char *s, int64_t *secs)
{
	const char	*errstr;

	if (duration_parse(s, secs, &errstr) == -1) {
		ctl_err("bad duration \"%s\": %s", s, errstr);
		return -1;
	}
	return 0;
}

/*
 * Connect and send a request without arguments; on success *data is the
 * answer's data. Returns an exit code.
 */
int
ctl_simple(struct ctl *c, const char *cmd, const msgpack_object **data)
{
	struct frame	 f;
	int64_t		 id;
	int		 rc;

	if ((rc = ctl_connect(c)) != CTL_OK)
		return rc;
	id = ctl_new_id(c);
	msg_req_begin(&f, id, cmd, 0);
	return ctl_request(c, &f, id, NULL, data);
}

/* For commands without arguments. */
int
ctl_parse_none(struct ctl *c, int argc, char **argv)
{
	(void)c;
	(void)argv;
	return argc == 1 ? CTL_OK : CTL_USAGE;
}

/* A JOB argument into c->job; CTL_USAGE (said why) if it is not one. */
int
ctl_parse_job(struct ctl *c, const char *arg)
{
	char	*end;

	c->job = strtoll(arg, &end, 10);
	if (*arg == '\0' || *end != '\0' || c->job <= 0) {
		ctl_err("a job id is a positive number, not \"%s\"", arg);
		return CTL_USAGE;
	}
	return CTL_OK;
}
