/*
 * ctl-help.c — `erpsyncctl help [COMMAND]`: every command with what it
 * does in one line, or one command's help (the same as `COMMAND --help`);
 * and what erpsyncctl says about a command it does not know.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "supervisor/ctl.h"

static const char	*ctl_help_topic;	/* help's COMMAND, or NULL */

/* An unknown command: say so, and what was meant if it is near one. */
int
ctl_unknown(const char *word)
{
	char	 near[128], safe[4 * 64];

	ctl_sanitize(word, strnlen(word, 64), safe, sizeof safe);
	if (ctl_cmd_suggest(word, near, sizeof near) > 0)
		ctl_err("unknown command \"%s\"; did you mean %s?", safe, near);
	else
		ctl_err("unknown command \"%s\"; \"erpsyncctl help\" lists "
		    "the commands", safe);
	return CTL_USAGE;
}

static int
ctl_help_parse(struct ctl *c, int argc, char **argv)
{
	(void)c;
	if (ctl_getopt(argc, argv, NULL, "") != -1)
		return CTL_USAGE;
	if (argc - optind > 1) {
		ctl_err("help takes one command at most");
		return CTL_USAGE;
	}
	ctl_help_topic = optind < argc ? argv[optind] : NULL;
	return CTL_OK;
}

static int
ctl_help_run(struct ctl *c)
{
	const struct ctl_cmd	*cmd;
	size_t			 i;

	(void)c;
	if (ctl_help_topic != NULL) {
		if ((cmd = ctl_cmd_find(ctl_help_topic)) == NULL)
			return ctl_unknown(ctl_help_topic);
		ctl_help(cmd, stdout);
		return CTL_OK;
	}
	printf("usage: erpsyncctl [-s SOCKET] [-f CONF] [--json] COMMAND "
	    "[ARGS]\ncommands:\n");
	for (i = 0; (cmd = ctl_cmd_at(i)) != NULL; i++)
		printf("  %-9s %s\n", cmd->name, cmd->desc);
	printf("\"erpsyncctl COMMAND --help\" (or \"erpsyncctl help COMMAND\") "
	    "tells a command's options.\n");
	return CTL_OK;
}

const struct ctl_cmd ctl_help_entry = {
	"help", "[COMMAND]",
	"List the commands, or tell one command's arguments and options.",
	NULL, ctl_help_parse, ctl_help_run
};
