/*
 * ctl-args.c — erpsyncctl's command line. Global options (-s, -f, --json,
 * --version) and -h/--help may come anywhere, before or after the command
 * and its options, as with systemctl: `erpsyncctl status --json`. The
 * command's option table says which of its options take a value, so a
 * value is never taken for a global option (`hold --reason --json`), and
 * nothing after "--" is looked at (`hold -- CMD --json`). After a command
 * that has a -f of its own (logs -f, sync -f), -f is the command's; the
 * config is then --config.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "supervisor/ctl.h"

/* The option of opts with short letter ch (ch < CTL_OPT_LONG), or NULL. */
static const struct ctl_opt *
ctl_opt_short(const struct ctl_opt *opts, int ch)
{
	for (; opts != NULL && opts->ch != 0; opts++)
		if (opts->ch == ch && ch < CTL_OPT_LONG)
			return opts;
	return NULL;
}

/* The option "--word" names (exactly, or as getopt a unique prefix). */
static const struct ctl_opt *
ctl_opt_long(const struct ctl_opt *opts, const char *word, size_t len)
{
	const struct ctl_opt	*hit = NULL;
	size_t			 n = 0;

	for (; opts != NULL && opts->ch != 0; opts++) {
		if (opts->name == NULL || strncmp(opts->name, word, len) != 0)
			continue;
		if (strlen(opts->name) == len)
			return opts;
		hit = opts;
		n++;
	}
	return n == 1 ? hit : NULL;
}

/* "-u/--user", "--full" or "-n": option ch of opts, for messages. */
const char *
ctl_opt_name(const struct ctl_opt *opts, int ch, char *buf, size_t len)
{
	for (; opts != NULL && opts->ch != 0; opts++)
		if (opts->ch == ch) {
			if (opts->name != NULL && ch < CTL_OPT_LONG)
				snprintf(buf, len, "-%c/--%s", ch, opts->name);
			else if (opts->name != NULL)
				snprintf(buf, len, "--%s", opts->name);
			else
				snprintf(buf, len, "-%c", ch);
			return buf;
		}
	snprintf(buf, len, "-%c", ch);
	return buf;
}

/*
 * getopt_long over a command's option table (mode "+": stop at the first
 * word). Returns the option's ch, -1 at the end, or '?' once it has said
 * what is wrong (an unknown option, a missing value).
 */
int
ctl_getopt(int argc, char **argv, const struct ctl_opt *opts,
    const char *mode)
{
	const struct ctl_opt	*all = opts;
	struct option	 lo[CTL_OPTS_MAX + 1];
	char		 optstring[3 * CTL_OPTS_MAX + 4], name[64];
	size_t		 n = 0, o;
	int		 ch;

	o = (size_t)snprintf(optstring, sizeof optstring, "%s:", mode);
	for (; opts != NULL && opts->ch != 0 && n < CTL_OPTS_MAX; opts++) {
		if (opts->ch < CTL_OPT_LONG) {
			optstring[o++] = (char)opts->ch;
			if (opts->arg != NULL)
				optstring[o++] = ':';
		}
		if (opts->name != NULL) {
			lo[n].name = opts->name;
			lo[n].has_arg = opts->arg != NULL ? required_argument :
			    no_argument;
			lo[n].flag = NULL;
			lo[n++].val = opts->ch;
		}
	}
	optstring[o] = '\0';
	memset(&lo[n], 0, sizeof lo[n]);
	opterr = 0;
	ch = getopt_long(argc, argv, optstring, lo, NULL);
	if (ch == '?') {
		if (optopt != 0)
			ctl_err("%s: unknown option \"-%c\"", argv[0], optopt);
		else
			ctl_err("%s: unknown option \"%s\"", argv[0],
			    argv[optind - 1]);
	} else if (ch == ':') {
		ctl_err("%s: option %s needs a value", argv[0],
		    ctl_opt_name(all, optopt, name,
		    sizeof name));
		ch = '?';
	}
	return ch;
}

/*
 * If argv[i] is a global option, take it (and its value) into a: the
 * number of words it used, 0 if it is not one, -1 (said why) if its
 * value is missing. Short -s and -f are global unless cmd has its own.
 */
static int
ctl_args_global(struct ctl_args *a, const struct ctl_cmd *cmd, int argc,
    char **argv, int i)
{
	const char	*w = argv[i], *val = NULL, **dst;
	int		 own_f, own_s, used = 1;

	own_f = cmd != NULL && ctl_opt_short(cmd->opts, 'f') != NULL;
	own_s = cmd != NULL && ctl_opt_short(cmd->opts, 's') != NULL;
	if (strcmp(w, "--json") == 0)
		return a->json = 1;
	if (strcmp(w, "--version") == 0)
		return a->version = 1;
	if (strcmp(w, "-h") == 0 || strcmp(w, "--help") == 0)
		return a->help = 1;
	if (strncmp(w, "--socket", 8) == 0 && (w[8] == '\0' || w[8] == '='))
		dst = &a->socket, val = w[8] == '=' ? w + 9 : NULL;
	else if (strncmp(w, "--config", 8) == 0 && (w[8] == '\0' ||
	    w[8] == '='))
		dst = &a->config, val = w[8] == '=' ? w + 9 : NULL;
	else if (strncmp(w, "-s", 2) == 0 && !own_s)
		dst = &a->socket, val = w[2] != '\0' ? w + 2 : NULL;
	else if (strncmp(w, "-f", 2) == 0 && !own_f)
		dst = &a->config, val = w[2] != '\0' ? w + 2 : NULL;
	else
		return 0;
	if (val == NULL) {
		if (i + 1 >= argc) {
			ctl_err("option %s needs a value", w);
			return -1;
		}
		val = argv[i + 1];
		used = 2;
	}
	*dst = val;
	return used;
}

/* Whether argv word w, an option of cmd, has its value in the next word. */
static int
ctl_args_takes_next(const struct ctl_cmd *cmd, const char *w)
{
	const struct ctl_opt	*o;
	size_t			 p;

	if (w[1] == '-') {
		if (strchr(w, '=') != NULL)
			return 0;
		o = ctl_opt_long(cmd->opts, w + 2, strlen(w + 2));
		return o != NULL && o->arg != NULL;
	}
	for (p = 1; w[p] != '\0'; p++) {
		if ((o = ctl_opt_short(cmd->opts, (unsigned char)w[p])) == NULL)
			return 0;
		if (o->arg != NULL)
			return w[p + 1] == '\0';
	}
	return 0;
}

/*
 * Split the command line into global options, the command and the
 * command's own words (a->argv, argv[0] its name). An unknown command
 * leaves a->cmd NULL and a->word set. -1 (said why) on a bad global
 * option.
 */
int
ctl_args_split(int argc, char **argv, struct ctl_args *a)
{
	int	 i = 1, n;

	memset(a, 0, sizeof *a);
	a->argv = xcalloc((size_t)argc + 1, sizeof *a->argv);
	for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i += n) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if ((n = ctl_args_global(a, NULL, argc, argv, i)) == -1)
			return -1;
		if (n == 0) {
			ctl_err("unknown option \"%s\"", argv[i]);
			return -1;
		}
	}
	if (i >= argc)
		return 0;
	a->word = argv[i];
	if ((a->cmd = ctl_cmd_find(a->word)) == NULL)
		return 0;
	a->argv[a->argc++] = argv[i++];
	while (i < argc) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < argc)
				a->argv[a->argc++] = argv[i++];
			break;
		}
		if (argv[i][0] != '-' || argv[i][1] == '\0') {
			a->argv[a->argc++] = argv[i++];
			continue;
		}
		if ((n = ctl_args_global(a, a->cmd, argc, argv, i)) == -1)
			return -1;
		if (n > 0) {
			i += n;
			continue;
		}
		if (ctl_args_takes_next(a->cmd, argv[i]) && i + 1 < argc)
			a->argv[a->argc++] = argv[i++];
		a->argv[a->argc++] = argv[i++];
	}
	return 0;
}

/* Free what ctl_args_split allocated. */
void
ctl_args_free(struct ctl_args *a)
{
	free(a->argv);
	a->argv = NULL;
}
