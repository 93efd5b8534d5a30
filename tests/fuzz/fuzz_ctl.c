/*
 * fuzz_ctl.c — erpsyncctl's argument parsers (supervisor/ctl-*.c) on
 * arbitrary command lines. The input is split into words on NUL bytes;
 * the first names the command (ctl_cmd_find()), and the command's parse
 * function gets the words as erpsyncctl's main() hands them over, with
 * getopt reset the same way. Only parse functions run: never a command's
 * run function, so nothing connects to a socket or reads stdin.
 *
 * Invariants: parse returns CTL_OK or CTL_USAGE; it only reorders argv
 * (getopt_long permutes) and never changes a word; on CTL_OK the options
 * it set hold what the command needs (a valid kind and user id, a
 * positive job id, a known event, "--" before a held command).
 */
#include <getopt.h>
#include <string.h>

#include "tests/fuzz/fuzz.h"
#include "supervisor/ctl.h"

#define MAX_WORDS	64

/* Does p point into one of the words? */
static int
in_words(const char *p, char **words, int n)
{
	int	 i;

	for (i = 0; i < n; i++)
		if (p >= words[i] && p <= words[i] + strlen(words[i]))
			return 1;
	return 0;
}

static void
check_ok(const struct ctl *c, const char *name, char **words, int n)
{
	FZ_CHECK(memchr(c->kind, '\0', sizeof(c->kind)) != NULL, "kind");
	FZ_CHECK(memchr(c->user, '\0', sizeof(c->user)) != NULL, "user");
	FZ_CHECK(c->user[0] == '\0' || strcmp(c->user, "*") == 0 ||
	    user_id_valid(c->user), "user '%s'", c->user);
	if (strcmp(name, "sync") == 0) {
		FZ_CHECK(kind_valid(c->kind), "sync kind '%s'", c->kind);
		FZ_CHECK(user_id_valid(c->user) == (strcmp(c->kind,
		    "customers") == 0 || strcmp(c->kind, "orders") == 0),
		    "sync %s user '%s'", c->kind, c->user);
		FZ_CHECK(c->mode == NULL || strcmp(c->mode, "full") == 0 ||
		    strcmp(c->mode, "delta") == 0, "mode");
	} else if (strcmp(name, "cancel") == 0 ||
	    strcmp(name, "release") == 0)
		FZ_CHECK(c->job > 0, "%s job %lld", name, (long long)c->job);
	else if (strcmp(name, "event") == 0) {
		FZ_CHECK(c->event != NULL && user_id_valid(c->user), "event");
		FZ_CHECK(strcmp(c->event, "access") != 0 || kind_valid(c->kind),
		    "event access kind");
		FZ_CHECK(!c->password_stdin || strcmp(c->event, "login") == 0,
		    "--password-stdin");
	} else if (strcmp(name, "hold") == 0) {
		FZ_CHECK(c->ttl >= 0, "ttl");
		FZ_CHECK(c->reason == NULL || in_words(c->reason, words, n),
		    "reason");
		if (c->cmd != NULL)
			FZ_CHECK(c->cmd[0] != NULL && c->cmd > words &&
			    c->cmd < words + n && strcmp(c->cmd[-1], "--") == 0,
			    "held command");
	} else if (strcmp(name, "logs") == 0) {
		FZ_CHECK(c->lines >= -1 && c->job >= 0, "logs");
		FZ_CHECK(c->level == NULL || in_words(c->level, words, n),
		    "level");
	} else if (strcmp(name, "jobs") == 0)
		FZ_CHECK(c->limit >= -1, "jobs limit");
	else if (strcmp(name, "watch") == 0)
		FZ_CHECK(c->count >= 0, "watch count");
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	const struct ctl_cmd	*cmd;
	struct ctl		 c;
	char			*buf, *argv[MAX_WORDS + 1], *orig[MAX_WORDS];
	char			*copies[MAX_WORDS];
	size_t			 at, k;
	int			 argc = 0, rc, i, j;

	if (n > 4096)
		return 0;
	/* Words: the input split on NUL bytes (a final NUL ends the last). */
	buf = xmalloc(n + 1);
	memcpy(buf, d, n);
	buf[n] = '\0';
	for (at = 0; at < n || (at == n && argc == 0); at += k + 1) {
		if (argc == MAX_WORDS)
			break;
		k = strlen(buf + at);
		argv[argc++] = buf + at;
		if (at + k >= n)
			break;
	}
	argv[argc] = NULL;
	if ((cmd = ctl_cmd_find(argv[0])) == NULL) {
		free(buf);
		return 0;
	}
	FZ_CHECK(strcmp(cmd->name, argv[0]) == 0, "ctl_cmd_find");
	for (i = 0; i < argc; i++) {
		orig[i] = argv[i];
		copies[i] = xstrdup(argv[i]);
	}

	/* As erpsyncctl's main() calls it. */
	memset(&c, 0, sizeof(c));
	c.fd = -1;
	c.socket = CTL_SOCKET_DEFAULT;
	opterr = 0;
	optind = 0;
	rc = cmd->parse(&c, argc, argv);
	FZ_CHECK(rc == CTL_OK || rc == CTL_USAGE, "%s: rc %d", cmd->name, rc);
	FZ_CHECK(c.fd == -1, "parse opened something");

	/* The same words, perhaps in another order, unchanged. */
	FZ_CHECK(argv[argc] == NULL, "argv not terminated");
	for (i = 0; i < argc; i++) {
		for (j = 0; j < argc; j++)
			if (argv[j] == orig[i])
				break;
		FZ_CHECK(j < argc, "word %d lost", i);
		FZ_CHECK(strcmp(orig[i], copies[i]) == 0, "word %d changed", i);
	}
	if (rc == CTL_OK)
		check_ok(&c, cmd->name, argv, argc);

	for (i = 0; i < argc; i++)
		free(copies[i]);
	free(buf);
	return 0;
}
