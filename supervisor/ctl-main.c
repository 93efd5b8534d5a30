/*
 * ctl-main.c — erpsyncctl: the command line (ctl-args.c), where the socket
 * is (ctl-socket.c), whether to colour, then the command from the table.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "supervisor/ctl.h"

static int
ctl_main(struct ctl *c, struct ctl_args *a, int argc, char **argv)
{
	const struct ctl_cmd	*cmd;
	int			 rc;

	if (ctl_args_split(argc, argv, a) == -1) {
		ctl_usage_all(stderr);
		return CTL_USAGE;
	}
	if (a->version) {
		printf("erpsyncctl %s\n", ERPSYNC_VERSION);
		return CTL_OK;
	}
	if (a->word == NULL) {
		if (a->help) {
			ctl_usage_all(stdout);
			return CTL_OK;
		}
		ctl_err("no command given");
		ctl_usage_all(stderr);
		return CTL_USAGE;
	}
	if ((cmd = a->cmd) == NULL)
		return ctl_unknown(a->word);
	if (a->help) {
		ctl_help(cmd, stdout);
		return CTL_OK;
	}
	c->json = a->json;
	c->config = a->config;
	optind = 0;	/* glibc: start over for the command's own options */
	if (cmd->parse(c, a->argc, a->argv) != CTL_OK)
		return ctl_usage(cmd);
	if (cmd != &ctl_help_entry &&
	    (rc = ctl_socket_find(c, a->socket)) != CTL_OK)
		return rc;
	c->colour = !c->json && ctl_colour_wanted(isatty(STDOUT_FILENO),
	    getenv("NO_COLOR"), getenv("TERM"));
	return cmd->run(c);
}

int
main(int argc, char **argv)
{
	struct ctl_args	 a;
	struct ctl	 c;
	int		 rc;

	memset(&c, 0, sizeof c);
	c.fd = -1;
	c.tty = isatty(STDERR_FILENO);
	signal(SIGPIPE, SIG_IGN);	/* a closed socket fails the write */
	log_init("erpsyncctl", LOG_LOGFMT, LOG_INFO);

	rc = ctl_main(&c, &a, argc, argv);
	ctl_close(&c);
	ctl_args_free(&a);
	free(c.socket_conf);
	return rc;
}
