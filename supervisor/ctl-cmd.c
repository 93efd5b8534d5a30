/*
 * ctl-cmd.c — erpsyncctl's command table: finding a command (and, for a
 * typo, the one that was meant), usage and help texts, and the argument
 * parsers commands share.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "supervisor/ctl.h"

#define CTL_GLOBAL_USAGE	"[-s SOCKET] [-f CONF] [--json]"

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
	&ctl_help_entry,
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

/* The i-th command of the table, NULL past its end. */
const struct ctl_cmd *
ctl_cmd_at(size_t i)
{
	return i < nitems(ctl_table) ? ctl_table[i] : NULL;
}

/*
 * Edits (insert, delete, replace, swap two neighbours) from a to b; words
 * longer than 32 bytes count as far from everything.
 */
size_t
ctl_edit_distance(const char *a, const char *b)
{
	size_t	 d[34][34], la = strlen(a), lb = strlen(b), i, j, v;

	if (la > 32 || lb > 32)
		return (size_t)-1;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[la][lb];
}

/*
 * The commands word may have meant, as `"a"` or `"a" or "b"` in out: the
 * one it is a unique prefix of, else the nearest within 2 edits. Returns
 * how many were named (0: none near).
 */
size_t
ctl_cmd_suggest(const char *word, char *out, size_t len)
{
	size_t	 i, d, best = 3, n = 0, prefix = 0, wl = strlen(word);
	const char *hit = NULL;

	out[0] = '\0';
	for (i = 0; i < nitems(ctl_table) && wl > 0; i++)
		if (strncmp(ctl_table[i]->name, word, wl) == 0) {
			hit = ctl_table[i]->name;
			prefix++;
		}
	if (prefix == 1) {
		snprintf(out, len, "\"%s\"", hit);
		return 1;
	}
	for (i = 0; i < nitems(ctl_table); i++)
		if ((d = ctl_edit_distance(word, ctl_table[i]->name)) < best)
			best = d;
	for (i = 0; i < nitems(ctl_table) && best <= 2; i++) {
		if (ctl_edit_distance(word, ctl_table[i]->name) != best)
			continue;
		d = strlen(out);
		snprintf(out + d, len - d, "%s\"%s\"", n > 0 ? " or " : "",
		    ctl_table[i]->name);
		n++;
	}
	return n;
}

/* Every command with its arguments (`erpsyncctl --help`). */
void
ctl_usage_all(FILE *fp)
{
	size_t	 i;

	fprintf(fp, "usage: erpsyncctl " CTL_GLOBAL_USAGE " COMMAND [ARGS]\n"
	    "       erpsyncctl --version\ncommands:\n");
	for (i = 0; i < nitems(ctl_table); i++)
		fprintf(fp, "  %s %s\n", ctl_table[i]->name,
		    ctl_table[i]->usage);
	fprintf(fp, "\"erpsyncctl help\" says what each does, "
	    "\"erpsyncctl COMMAND --help\" what its options are.\n");
}

/* One command's usage on stderr, after the error that said why. */
int
ctl_usage(const struct ctl_cmd *cmd)
{
	fprintf(stderr, "usage: erpsyncctl " CTL_GLOBAL_USAGE " %s%s%s\n"
	    "(erpsyncctl %s --help for more)\n", cmd->name,
	    cmd->usage[0] != '\0' ? " " : "", cmd->usage, cmd->name);
	return CTL_USAGE;
}

/* `CMD --help`: usage, what it does, one line per option. */
void
ctl_help(const struct ctl_cmd *cmd, FILE *fp)
{
	const struct ctl_opt	*o;
	char			 flags[64];
	int			 own_f = 0;

	fprintf(fp, "usage: erpsyncctl " CTL_GLOBAL_USAGE " %s%s%s\n%s\n",
	    cmd->name, cmd->usage[0] != '\0' ? " " : "", cmd->usage,
	    cmd->desc);
	fprintf(fp, "options:\n");
	for (o = cmd->opts; o != NULL && o->ch != 0; o++) {
		own_f |= o->ch == 'f';
		snprintf(flags, sizeof flags, "%s%c%s%s%s%s%s",
		    o->ch < CTL_OPT_LONG ? "-" : "",
		    o->ch < CTL_OPT_LONG ? o->ch : ' ',
		    o->ch < CTL_OPT_LONG && o->name != NULL ? ", " : "",
		    o->name != NULL ? "--" : "", o->name != NULL ? o->name : "",
		    o->arg != NULL ? " " : "", o->arg != NULL ? o->arg : "");
		fprintf(fp, "  %-22s %s\n", flags + (o->ch >= CTL_OPT_LONG),
		    o->help);
	}
	fprintf(fp, "  %-22s %s\n", "-h, --help", "show this help");
	fprintf(fp, "global options (anywhere on the line):\n"
	    "  %-22s %s\n  %-22s %s\n  %-22s %s\n",
	    "-s, --socket SOCKET", "erpsyncd's admin socket",
	    own_f ? "--config CONF" : "-f, --config CONF",
	    "find the socket in erpsyncd's config",
	    "--json", "machine-readable output");
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

/* A count (0 or more) given to option opt; CTL_USAGE (said why) if bad. */
int
ctl_parse_count(const char *opt, const char *arg, int64_t *v)
{
	char	*end;

	*v = strtoll(arg, &end, 10);
	if (*arg == '\0' || *end != '\0' || *v < 0) {
		ctl_err("%s needs a count (0 or more), not \"%s\"", opt, arg);
		return CTL_USAGE;
	}
	return CTL_OK;
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
	id = ctl_req_begin(c, &f, cmd, 0);
	return ctl_request(c, &f, id, NULL, data);
}

/*
 * Send cmd with the one integer argument key = v on c's connection, push
 * told of what comes before the answer; on success *data is the answer's
 * data. Returns an exit code.
 */
int
ctl_ask_int(struct ctl *c, const char *cmd, const char *key, int64_t v,
    ctl_push_fn push, const msgpack_object **data)
{
	struct frame	 f;
	int64_t		 id;

	id = ctl_req_begin(c, &f, cmd, 1);
	pk_kv_int(&f.pk, key, v);
	return ctl_request(c, &f, id, push, data);
}

/* For commands without arguments. */
int
ctl_parse_none(struct ctl *c, int argc, char **argv)
{
	(void)c;
	if (ctl_getopt(argc, argv, NULL, "") != -1)
		return CTL_USAGE;
	return ctl_no_args(argc, argv);
}

/* Once the options are read, nothing may be left of a command's words. */
int
ctl_no_args(int argc, char **argv)
{
	if (optind < argc) {
		ctl_err("%s takes no arguments (\"%s\")", argv[0],
		    argv[optind]);
		return CTL_USAGE;
	}
	return CTL_OK;
}

/* For commands whose one argument is a JOB (cancel, wait). */
int
ctl_parse_one_job(struct ctl *c, int argc, char **argv)
{
	if (ctl_getopt(argc, argv, NULL, "") != -1)
		return CTL_USAGE;
	if (argc - optind != 1) {
		ctl_err("%s needs one JOB (a job id, see erpsyncctl jobs)",
		    argv[0]);
		return CTL_USAGE;
	}
	return ctl_parse_job(c, argv[optind]);
}

/*
 * A USER argument into c->user; "*" (every user) too if star is set.
 * CTL_USAGE (said why) if it is not a user id.
 */
int
ctl_parse_user(struct ctl *c, const char *arg, int star)
{
	if (!(star && strcmp(arg, "*") == 0) && !user_id_valid(arg)) {
		ctl_err("invalid user id \"%s\"", arg);
		return CTL_USAGE;
	}
	snprintf(c->user, sizeof c->user, "%s", arg);
	return CTL_OK;
}

/* A KIND argument into c->kind; CTL_USAGE (said why) if it is not one. */
int
ctl_parse_kind(struct ctl *c, const char *arg)
{
	if (!kind_valid(arg)) {
		ctl_err("unknown kind \"%s\" (customers, orders, products or "
		    "prices)", arg);
		return CTL_USAGE;
	}
	snprintf(c->kind, sizeof c->kind, "%s", arg);
	return CTL_OK;
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
