/*
 * ctl-main.c — erpsyncctl: global options, then the command from the table.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "supervisor/ctl.h"

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct ctl_cmd	*cmd;
	struct ctl		 c;
	int			 ch, rc;

	memset(&c, 0, sizeof c);
	c.fd = -1;
	c.socket = getenv("ERPSYNC_SOCKET");
	if (c.socket == NULL || *c.socket == '\0')
		c.socket = CTL_SOCKET_DEFAULT;
	c.tty = isatty(STDERR_FILENO);
	signal(SIGPIPE, SIG_IGN);	/* a closed socket fails the write */
	log_init("erpsyncctl", LOG_LOGFMT, LOG_INFO);

	while ((ch = getopt_long(argc, argv, "+s:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			c.socket = optarg;
			break;
		case 'j':
			c.json = 1;
			break;
		case 'h':
			ctl_usage_all();
			return CTL_OK;
		default:
			ctl_usage_all();
			return CTL_USAGE;
		}
	}
	if (optind >= argc) {
		ctl_usage_all();
		return CTL_USAGE;
	}
	if ((cmd = ctl_cmd_find(argv[optind])) == NULL) {
		ctl_err("unknown command \"%s\"", argv[optind]);
		ctl_usage_all();
		return CTL_USAGE;
	}
	argc -= optind;
	argv += optind;
	optind = 0;	/* glibc: start over for the command's own options */
	if (cmd->parse(&c, argc, argv) != CTL_OK)
		return ctl_usage(cmd);
	rc = cmd->run(&c);
	ctl_close(&c);
	return rc;
}
