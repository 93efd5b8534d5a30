/*
 * check_ctl_cli.c — erpsyncctl's command line and tables: what a typo was
 * meant to be, global options anywhere (but never a value or what follows
 * "--"), each command's option table against its usage, --since, column
 * widths from the data, and when colour is used.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/testutil.h"
#include "supervisor/ctl.h"

START_TEST(test_edit_distance)
{
	ck_assert_uint_eq(ctl_edit_distance("status", "status"), 0);
	ck_assert_uint_eq(ctl_edit_distance("statsu", "status"), 1);
	ck_assert_uint_eq(ctl_edit_distance("sycn", "sync"), 1);
	ck_assert_uint_eq(ctl_edit_distance("staus", "status"), 1);
	ck_assert_uint_eq(ctl_edit_distance("", "jobs"), 4);
	ck_assert_uint_eq(ctl_edit_distance("kitten", "sitting"), 3);
}
END_TEST

START_TEST(test_suggest)
{
	char	 out[128];

	ck_assert_uint_eq(ctl_cmd_suggest("statsu", out, sizeof out), 1);
	ck_assert_str_eq(out, "\"status\"");
	ck_assert_uint_eq(ctl_cmd_suggest("stat", out, sizeof out), 1);
	ck_assert_str_eq(out, "\"status\"");		/* a unique prefix */
	ck_assert_uint_eq(ctl_cmd_suggest("relaod", out, sizeof out), 1);
	ck_assert_str_eq(out, "\"reload\"");
	ck_assert_uint_eq(ctl_cmd_suggest("jogs", out, sizeof out), 2);
	ck_assert_str_eq(out, "\"jobs\" or \"logs\"");
	ck_assert_uint_eq(ctl_cmd_suggest("frobnicate", out, sizeof out), 0);
	ck_assert_str_eq(out, "");
	ck_assert_uint_eq(ctl_cmd_suggest("s", out, sizeof out), 0);
}
END_TEST

/* Split argv (NULL-terminated words after "erpsyncctl"). */
static int
split(struct ctl_args *a, const char **words)
{
	static char	*argv[32];
	int		 argc = 0;

	argv[argc++] = (char *)"erpsyncctl";
	while (*words != NULL)
		argv[argc++] = (char *)*words++;
	argv[argc] = NULL;
	return ctl_args_split(argc, argv, a);
}

static void
words_are(const struct ctl_args *a, const char *want)
{
	char	 got[512] = "";
	int	 i;

	for (i = 0; i < a->argc; i++) {
		if (i > 0)
			strcat(got, " ");
		strcat(got, a->argv[i]);
	}
	ck_assert_str_eq(got, want);
}

START_TEST(test_globals_anywhere)
{
	struct ctl_args	 a;

	ck_assert_int_eq(split(&a, (const char *[]){ "status", "--json",
	    NULL }), 0);
	ck_assert_ptr_eq(a.cmd, &ctl_status_entry);
	ck_assert_int_eq(a.json, 1);
	words_are(&a, "status");
	ctl_args_free(&a);

	ck_assert_int_eq(split(&a, (const char *[]){ "jobs", "-n", "5", "-s",
	    "/x.sock", "--kind", "customers", "--json", NULL }), 0);
	ck_assert_str_eq(a.socket, "/x.sock");
	ck_assert_int_eq(a.json, 1);
	words_are(&a, "jobs -n 5 --kind customers");
	ctl_args_free(&a);

	/* before the command, -f is the config; after logs, its follow */
	ck_assert_int_eq(split(&a, (const char *[]){ "-f", "a.conf", "logs",
	    "-f", "--config=b.conf", NULL }), 0);
	ck_assert_str_eq(a.config, "b.conf");
	words_are(&a, "logs -f");
	ctl_args_free(&a);
	ck_assert_int_eq(split(&a, (const char *[]){ "status", "-fc.conf",
	    "--socket=/s", NULL }), 0);
	ck_assert_str_eq(a.config, "c.conf");
	ck_assert_str_eq(a.socket, "/s");
	ctl_args_free(&a);

	/* a value is never a global option, nor what follows "--" */
	ck_assert_int_eq(split(&a, (const char *[]){ "hold", "--reason",
	    "--json", "-u", "-s", "--", "sh", "--json", "-h", NULL }), 0);
	ck_assert_int_eq(a.json, 0);
	ck_assert_int_eq(a.help, 0);
	ck_assert_ptr_null(a.socket);
	words_are(&a, "hold --reason --json -u -s -- sh --json -h");
	ctl_args_free(&a);
	ck_assert_int_eq(split(&a, (const char *[]){ "logs", "-fn", "--json",
	    "--us", "--help", NULL }), 0);
	ck_assert_int_eq(a.json, 0);
	ck_assert_int_eq(a.help, 0);
	words_are(&a, "logs -fn --json --us --help");
	ctl_args_free(&a);

	/* help and version anywhere; an unknown command */
	ck_assert_int_eq(split(&a, (const char *[]){ "sync", "customers",
	    "--help", NULL }), 0);
	ck_assert_int_eq(a.help, 1);
	ctl_args_free(&a);
	ck_assert_int_eq(split(&a, (const char *[]){ "--json", "statsu", NULL }),
	    0);
	ck_assert_ptr_null(a.cmd);
	ck_assert_str_eq(a.word, "statsu");
	ctl_args_free(&a);

	/* a global option without its value, or an unknown one first */
	ck_assert_int_eq(split(&a, (const char *[]){ "status", "-s", NULL }),
	    -1);
	ctl_args_free(&a);
	ck_assert_int_eq(split(&a, (const char *[]){ "--bogus", "status",
	    NULL }), -1);
	ctl_args_free(&a);
}
END_TEST

/* Every option in a command's usage is in its table, and the other way. */
START_TEST(test_opts_match_usage)
{
	const struct ctl_cmd	*cmd;
	const struct ctl_opt	*o;
	const char		*p;
	char			 tok[64];
	size_t			 i, n;
	int			 found;

	for (i = 0; (cmd = ctl_cmd_at(i)) != NULL; i++) {
		ck_assert_msg(cmd->desc != NULL && strlen(cmd->desc) < 70,
		    "%s: no one-line description", cmd->name);
		for (o = cmd->opts; o != NULL && o->ch != 0; o++) {
			char	 alt[64] = "--";

			if (o->ch < CTL_OPT_LONG)
				snprintf(tok, sizeof tok, "-%c", o->ch);
			else
				snprintf(tok, sizeof tok, "--%s", o->name);
			if (o->name != NULL)
				snprintf(alt, sizeof alt, "--%s", o->name);
			ck_assert_msg(strstr(cmd->usage, tok) != NULL ||
			    strstr(cmd->usage, alt) != NULL,
			    "%s: %s not in its usage", cmd->name, tok);
		}
		for (p = cmd->usage; (p = strchr(p, '-')) != NULL; p += n) {
			n = strspn(p, "-abcdefghijklmnopqrstuvwxyz");
			if (n == 2 && p[1] == '-')
				continue;	/* "--" before CMD */
			snprintf(tok, sizeof tok, "%.*s", (int)n, p);
			found = 0;
			for (o = cmd->opts; o != NULL && o->ch != 0; o++)
				if ((tok[1] == '-' && o->name != NULL &&
				    strcmp(tok + 2, o->name) == 0) ||
				    (tok[1] != '-' && tok[2] == '\0' &&
				    o->ch == tok[1]))
					found = 1;
			ck_assert_msg(found, "%s: %s of its usage is not in its "
			    "option table", cmd->name, tok);
		}
	}
}
END_TEST

START_TEST(test_since)
{
	int64_t	 ms, now = 1800000000000LL;

	ck_assert_int_eq(ctl_parse_since("10m", now, &ms), 0);
	ck_assert_int_eq(ms, now - 600000);
	ck_assert_int_eq(ctl_parse_since("1s", now, &ms), 0);
	ck_assert_int_eq(ms, now - 1000);
	setenv("TZ", "UTC", 1);
	tzset();
	ck_assert_int_eq(ctl_parse_since("2026-12-04T10:00", now, &ms), 0);
	ck_assert_int_eq(ms, 1796378400000LL);
	ck_assert_int_eq(ctl_parse_since("2026-12-04 10:00:30", now, &ms), 0);
	ck_assert_int_eq(ms, 1796378430000LL);
	ck_assert_int_eq(ctl_parse_since("2026-12-04", now, &ms), 0);
	ck_assert_int_eq(ms, 1796342400000LL);
	ck_assert_int_eq(ctl_parse_since("yesterday", now, &ms), -1);
	ck_assert_int_eq(ctl_parse_since("2026-12-04T10:00junk", now, &ms), -1);
	ck_assert_int_eq(ctl_parse_since("10", now, &ms), -1);
}
END_TEST

/* The byte offset where column col starts on each line is the same. */
static void
aligned(const char *text, size_t col, size_t ncols_min)
{
	char		*copy = strdup(text), *line, *save = NULL;
	long		 at = -1;

	for (line = strtok_r(copy, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		const char	*p = line + strspn(line, " ");
		size_t		 k;

		for (k = 0; k < col; k++) {
			p = strstr(p, "  ");
			ck_assert_msg(p != NULL, "line \"%s\": fewer than %zu "
			    "columns", line, ncols_min);
			p += strspn(p, " ");
		}
		if (at == -1)
			at = (long)ctl_width(line) - (long)ctl_width(p);
		ck_assert_msg((long)ctl_width(line) - (long)ctl_width(p) == at,
		    "column %zu out of line in:\n%s", col, text);
	}
	free(copy);
}

START_TEST(test_table_widths)
{
	static const char *long_user =
	    "a234567890b234567890c234567890d234567890e234567890f234567890wxyz";
	struct ctl_table	 t;
	struct buf		 b;
	const char		*head[4] = { "ID", "USER", "STATE", "RESULT" };
	const char		*r1[4] = { "7", "alice", "done", "swept 3" };
	const char		*r2[4] = { "1234", NULL, "failed", "erp: x" };
	const char		*r3[4] = { "12", "Società", "queued", "-" };
	const char		*r4[4] = { "5", "bob", "running", "" };
	const char		*sgr[4] = { NULL, NULL, "32", NULL };

	ck_assert_uint_eq(strlen(long_user), 64);
	ck_assert_uint_eq(ctl_width("Società"), 7);
	ck_assert_uint_eq(ctl_width(""), 0);
	r2[1] = long_user;
	ctl_table_init(&t, 4, "rlll");
	ctl_table_add(&t, 4, head, NULL);
	ctl_table_add(&t, 4, r1, sgr);
	ctl_table_add(&t, 4, r2, NULL);
	ctl_table_add(&t, 4, r3, NULL);
	buf_init(&b);
	ctl_table_render(&t, 0, &b);
	buf_addc(&b, '\0');
	ck_assert_ptr_null(strchr(b.data, '\033'));
	aligned(b.data, 2, 3);
	aligned(b.data, 3, 4);
	ctl_table_add(&t, 4, r4, NULL);
	buf_reset(&b);
	ctl_table_render(&t, 0, &b);
	buf_addc(&b, '\0');
	aligned(b.data, 2, 3);
	/* right-aligned ids, the 64-character user whole */
	ck_assert_ptr_nonnull(strstr(b.data, "   7  alice "));
	ck_assert_ptr_nonnull(strstr(b.data, long_user));
	/* the last column is not padded */
	ck_assert_ptr_nonnull(strstr(b.data, "swept 3\n"));
	ck_assert_ptr_null(strstr(b.data, " \n"));	/* nothing trails */

	/* colour around the text only, never in the padding */
	buf_reset(&b);
	ctl_table_render(&t, 1, &b);
	buf_addc(&b, '\0');
	ck_assert_ptr_nonnull(strstr(b.data, "\033[32mdone\033[0m    "));
	buf_free(&b);

	/* a short row spans the rest and sets no width */
	ctl_table_free(&t);
	ctl_table_init(&t, 3, "lll");
	ctl_table_add(&t, 3, (const char *[]){ "A", "B", "C" }, NULL);
	ctl_table_add(&t, 2, (const char *[]){ "x", "a very long note" },
	    NULL);
	buf_init(&b);
	ctl_table_render(&t, 0, &b);
	buf_addc(&b, '\0');
	ck_assert_str_eq(b.data, "A  B  C\nx  a very long note\n");
	buf_free(&b);
	ctl_table_free(&t);
}
END_TEST

START_TEST(test_colour_decision)
{
	ck_assert_int_eq(ctl_colour_wanted(1, NULL, "xterm"), 1);
	ck_assert_int_eq(ctl_colour_wanted(1, "", "xterm-256color"), 1);
	ck_assert_int_eq(ctl_colour_wanted(0, NULL, "xterm"), 0);
	ck_assert_int_eq(ctl_colour_wanted(1, "1", "xterm"), 0);
	ck_assert_int_eq(ctl_colour_wanted(1, NULL, "dumb"), 0);
	ck_assert_int_eq(ctl_colour_wanted(1, NULL, NULL), 0);
	ck_assert_int_eq(ctl_colour_wanted(1, NULL, ""), 0);
	ck_assert_str_eq(ctl_state_sgr("done"), "32");
	ck_assert_str_eq(ctl_state_sgr("failed"), "31");
	ck_assert_str_eq(ctl_state_sgr("paused"), "33");
	ck_assert_str_eq(ctl_state_sgr("queued"), "33");
	ck_assert_ptr_null(ctl_state_sgr("cancelled"));
	ck_assert_str_eq(ctl_level_sgr("warn"), "33");
	ck_assert_ptr_null(ctl_level_sgr("info"));
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("ctl_cli");

	test_case(s, "cli", test_edit_distance, test_suggest,
	    test_globals_anywhere, test_opts_match_usage, test_since,
	    test_table_widths, test_colour_decision, NULL);
	return test_run(s);
}
