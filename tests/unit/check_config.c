/*
 * check_config.c — erpsyncd's config: defaults, every key's parser, errors
 * naming file, line and key, and the credentials file's rules.
 */
#include <sys/stat.h>

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/unit/testutil.h"
#include "supervisor/supervisor.h"

static char	 dir[] = "/tmp/check_config.XXXXXX";
static char	 creds[PATH_MAX];
static char	 name[PATH_MAX];

static void
write_file(const char *path, const char *text, mode_t mode)
{
	int	 fd;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(write_all(fd, text, strlen(text)), 0);
	close(fd);
	ck_assert_int_eq(chmod(path, mode), 0);
}

static void
setup(void)
{
	log_init("check", LOG_LOGFMT, LOG_ERROR);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(creds, sizeof creds, "%s/creds", dir);
	snprintf(name, sizeof name, "%s/erpsync.conf", dir);
	write_file(creds, "# agents\nalice:pa:ss\n\nbob:secret\r\n  # x\n"
	    "sys:syspw\n", 0600);
}

static void
teardown(void)
{
	char	 cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
	memcpy(dir + strlen(dir) - 6, "XXXXXX", 6);
}

/* Parse text with the credentials line prepended; returns rc. */
static int
parse(const char *text, struct config **c, struct buf *errs)
{
	char	*full;
	int	 rc;

	xasprintf(&full, "[erp]\nurl = http://erp.example/\ncredentials = %s\n"
	    "%s", creds, text);
	buf_init(errs);
	rc = config_parse_string(name, full, c, errs);
	free(full);
	return rc;
}

/* The config must fail with an error containing every string of want. */
static void
expect_error(const char *text, const char *want1, const char *want2)
{
	struct config	*c;
	struct buf	 errs;

	ck_assert_int_eq(parse(text, &c, &errs), -1);
	ck_assert_ptr_null(c);
	ck_assert_msg(strstr(errs.data, want1) != NULL, "want \"%s\" in \"%s\"",
	    want1, errs.data);
	if (want2 != NULL)
		ck_assert_msg(strstr(errs.data, want2) != NULL,
		    "want \"%s\" in \"%s\"", want2, errs.data);
	buf_free(&errs);
}

/* Parse text, which must be valid; the config. */
static struct config *
parse_ok(const char *text)
{
	struct config	*c;
	struct buf	 errs;

	ck_assert_int_eq(parse(text, &c, &errs), 0);
	buf_free(&errs);
	return c;
}

static char *
at(int line)
{
	static char	 s[PATH_MAX + 32];

	snprintf(s, sizeof s, "%s:%d: ", name, line);
	return s;
}

START_TEST(test_defaults)
{
	struct config	*c;

	c = parse_ok("");
	ck_assert_str_eq(c->url, "http://erp.example/");
	ck_assert_int_eq(c->page_size, 200);
	ck_assert_int_eq(c->sessions_per_job, 1);
	ck_assert_int_eq(c->tls_verify, 1);
	ck_assert_str_eq(c->socket, "/run/erpsync/erpsyncd.sock");
	ck_assert_int_eq(c->socket_mode, 0660);
	ck_assert_int_eq(c->max_workers, 4);
	ck_assert_int_eq(c->heartbeat_timeout, 60);
	ck_assert_int_eq(c->worker_memory, 2LL << 30);
	ck_assert_str_eq(c->worker_path, "");
	ck_assert_int_eq(c->log_format, LOG_LOGFMT);
	ck_assert_int_eq(c->log_level, LOG_INFO);
	ck_assert_int_eq(c->kinds[KIND_CUSTOMERS].full_every, 86400);
	ck_assert_int_eq(c->kinds[KIND_CUSTOMERS].delta_every, 1800);
	ck_assert_int_eq(c->kinds[KIND_ORDERS].full_every, 43200);
	ck_assert_int_eq(c->kinds[KIND_ORDERS].delta_every, 3600);
	ck_assert_int_eq(c->kinds[KIND_ORDERS].access_after, 600);
	ck_assert_int_eq(c->kinds[KIND_PRODUCTS].delta_every, 7200);
	ck_assert_int_eq(c->kinds[KIND_PRODUCTS].access_after, 3600);
	ck_assert_int_eq(c->kinds[KIND_PRICES].delta_every, 10800);
	ck_assert_int_eq(c->kinds[KIND_PRICES].login_after, 7200);
	ck_assert_int_eq(c->kinds[KIND_PRICES].reconnect_after, 7200);
	ck_assert_int_eq(c->kinds[KIND_PRICES].stale_after, 3 * 86400);
	ck_assert_int_eq(c->kinds[KIND_PRICES].enabled, 1);
	ck_assert_uint_eq(c->ncreds, 3);
	ck_assert_str_eq(config_password(c, "alice"), "pa:ss");
	ck_assert_str_eq(config_password(c, "bob"), "secret");
	ck_assert_ptr_null(config_password(c, "carol"));
	config_free(c);
}
END_TEST

START_TEST(test_values)
{
	struct config	*c;

	c = parse_ok("system_user = sys\npage_size = 50\ntls_verify = no\n"
	    "request_timeout = 90s\n"
	    "[supervisor]\nstate_dir = state\nsocket = /tmp/x.sock\n"
	    "socket_mode = 0600\nmax_workers = 8\nheartbeat_timeout = 1m30s\n"
	    "job_timeout = 0\nworker_memory = 512M\nlog_format = json\n"
	    "log_level = debug\n"
	    "[orders]\naccess_after = 5m\nenabled = false\n"
	    "[prices]\nstale_after = 2d\n");
	ck_assert_str_eq(c->system_user, "sys");
	ck_assert_int_eq(c->page_size, 50);
	ck_assert_int_eq(c->tls_verify, 0);
	ck_assert_int_eq(c->request_timeout, 90);
	ck_assert_int_eq(c->socket_mode, 0600);
	ck_assert_int_eq(c->max_workers, 8);
	ck_assert_int_eq(c->heartbeat_timeout, 90);
	ck_assert_int_eq(c->job_timeout, 0);
	ck_assert_int_eq(c->worker_memory, 512LL << 20);
	ck_assert_int_eq(c->log_format, LOG_JSON);
	ck_assert_int_eq(c->log_level, LOG_DEBUG);
	ck_assert_int_eq(c->kinds[KIND_ORDERS].access_after, 300);
	ck_assert_int_eq(c->kinds[KIND_ORDERS].enabled, 0);
	ck_assert_int_eq(c->kinds[KIND_PRICES].stale_after, 2 * 86400);
	ck_assert_str_eq(c->socket, "/tmp/x.sock");
	/* relative paths are taken from the config file's directory */
	ck_assert_int_eq(strncmp(c->state_dir, dir, strlen(dir)), 0);
	ck_assert_str_eq(c->state_dir + strlen(dir), "/state");
	config_free(c);
}
END_TEST

START_TEST(test_scheduler_keys)
{
	struct config	*c;

	c = parse_ok("[supervisor]\nretry_attempts = 3\n"
	    "retry_backoff = 5s\nretry_backoff_max = 1m\npoison_crashes = 0\n"
	    "poison_window = 2h\ncheck_every = 10s\nhold_ttl = 90s\n"
	    "drain_timeout = 20s\nhistory_keep = 500\n"
	    "[customers]\nfull_every = 0\ndelta_every = 0\n");
	ck_assert_int_eq(c->retry_attempts, 3);
	ck_assert_int_eq(c->retry_backoff, 5);
	ck_assert_int_eq(c->retry_backoff_max, 60);
	ck_assert_int_eq(c->poison_crashes, 0);
	ck_assert_int_eq(c->poison_window, 7200);
	ck_assert_int_eq(c->check_every, 10);
	ck_assert_int_eq(c->hold_ttl, 90);
	ck_assert_int_eq(c->drain_timeout, 20);
	ck_assert_int_eq(c->history_keep, 500);
	ck_assert_int_eq(c->kinds[KIND_CUSTOMERS].full_every, 0);
	config_free(c);
	/* defaults */
	c = config_new();
	ck_assert_int_eq(c->retry_attempts, 5);
	ck_assert_int_eq(c->retry_backoff, 30);
	ck_assert_int_eq(c->retry_backoff_max, 1800);
	ck_assert_int_eq(c->poison_crashes, 3);
	ck_assert_int_eq(c->check_every, 60);
	ck_assert_int_eq(c->hold_ttl, 300);
	ck_assert_int_eq(c->history_keep, 10000);
	config_free(c);
}
END_TEST

/*
 * Configs that must fail, the line the error names and what it must say.
 * The text follows line 1 [erp], 2 url and 3 credentials.
 */
static const struct {
	const char	*text;
	int		 line;
	const char	*want;
} bad_configs[] = {
	/* scheduler keys */
	{ "[supervisor]\nretry_backoff = 1m\nretry_backoff_max = 30s\n", 6,
	    "retry_backoff_max: must not be less than retry_backoff" },
	{ "[supervisor]\nretry_attempts = 0\n", 5,
	    "retry_attempts: bad value \"0\": out of range" },
	{ "[supervisor]\ncheck_every = 0\n", 5,
	    "check_every: must be at least 1s" },
	{ "[supervisor]\nhold_ttl = 2d\n", 5,
	    "hold_ttl: must be between 1s and 1d" },
	{ "[supervisor]\npoison_crashes = 17\n", 5,
	    "poison_crashes: bad value \"17\": out of range" },
	/* unknown keys and sections */
	{ "page_sise = 10\n", 4, "[erp] page_sise: unknown key" },
	{ "[supervisor]\n\nmax_worker = 3\n", 6,
	    "[supervisor] max_worker: unknown key" },
	{ "[supervisor]\nmax_workers = 2\n[schedule]\nx = 1\n", 6,
	    "unknown section [schedule]" },
	/* durations */
	{ "[customers]\nfull_every = 5x\n", 5,
	    "[customers] full_every: bad value \"5x\": unknown unit" },
	{ "[supervisor]\nheartbeat_timeout = 30\n", 5,
	    "[supervisor] heartbeat_timeout: bad value \"30\": missing unit" },
	/* numbers and sizes */
	{ "[supervisor]\nmax_workers = four\n", 5,
	    "[supervisor] max_workers: bad value \"four\": not a number" },
	{ "[supervisor]\nmax_workers = 0\n", 5,
	    "max_workers: bad value \"0\": out of range" },
	{ "page_size = 12abc\n", 4, "[erp] page_size" },
	{ "[supervisor]\nworker_memory = 2T\n", 5,
	    "[supervisor] worker_memory: bad value \"2T\"" },
	/* socket mode */
	{ "[supervisor]\nsocket_mode = 0989\n", 5,
	    "[supervisor] socket_mode: bad value \"0989\": not an octal mode" },
	{ "[supervisor]\nsocket_mode = rw\n", 5, "socket_mode" },
	/* log format and level, booleans */
	{ "[supervisor]\nlog_format = xml\n", 5,
	    "[supervisor] log_format: bad value \"xml\": not a log format" },
	{ "[supervisor]\nlog_level = loud\n", 5,
	    "[supervisor] log_level: bad value \"loud\"" },
	{ "[customers]\nenabled = maybe\n", 5,
	    "[customers] enabled: bad value \"maybe\": not a boolean" },
	/* set twice, not ini, system_user */
	{ "page_size = 10\npage_size = 20\n", 5,
	    "[erp] page_size: set twice (first on line 4)" },
	{ "this is not ini\n", 4, "syntax error" },
	{ "system_user = ../x\n", 4,
	    "[erp] system_user: bad value \"../x\": not a valid user id" },
	{ "system_user = carol\n", 4,
	    "[erp] system_user: no credentials for carol" },
	/* sessions_per_job */
	{ "sessions_per_job = 0\n", 4,
	    "[erp] sessions_per_job: bad value \"0\": out of range" },
	{ "sessions_per_job = automatic\n", 4,
	    "[erp] sessions_per_job: bad value \"automatic\": not a number "
	    "of sessions (1-64) nor auto" },
	/* the admin socket */
	{ "[supervisor]\nmax_clients = 0\n", 5,
	    "[supervisor] max_clients: bad value \"0\": out of range" },
	{ "[supervisor]\nadmin_idle_timeout = 0s\n", 5,
	    "[supervisor] admin_idle_timeout: must be at least 1s" },
	{ "[supervisor]\nadmin_idle_timeout = 60\n", 5,
	    "[supervisor] admin_idle_timeout: bad value \"60\"" },
};

START_TEST(test_bad_config)
{
	expect_error(bad_configs[_i].text, at(bad_configs[_i].line),
	    bad_configs[_i].want);
}
END_TEST

START_TEST(test_missing_credentials)
{
	struct config	*c;
	struct buf	 errs;

	buf_init(&errs);
	ck_assert_int_eq(config_parse_string(name, "[erp]\nurl = http://x/\n",
	    &c, &errs), -1);
	ck_assert_ptr_nonnull(strstr(errs.data, "[erp] credentials: missing"));
	buf_free(&errs);

	buf_init(&errs);
	ck_assert_int_eq(config_parse_string(name, "[erp]\nurl =\n", &c,
	    &errs), -1);
	ck_assert_ptr_nonnull(strstr(errs.data, "[erp] url: missing"));
	buf_free(&errs);
}
END_TEST

START_TEST(test_credentials_mode)
{
	struct config	*c;

	write_file(creds, "alice:pw\n", 0644);
	expect_error("", "must not be readable by group or others",
	    "chmod 600");
	write_file(creds, "alice:pw\n", 0640);
	expect_error("", "mode 0640", NULL);
	write_file(creds, "alice:pw\n", 0600);
	c = parse_ok("");
	ck_assert_str_eq(config_password(c, "alice"), "pw");
	config_free(c);
}
END_TEST

START_TEST(test_credentials_bad_lines)
{
	struct buf	 errs;
	char		 want[PATH_MAX + 32];

	write_file(creds, "alice:pw\n.hidden:topsecret\n", 0600);
	snprintf(want, sizeof want, "%s:2: ", creds);
	expect_error("", want, "not a valid user id");
	write_file(creds, "alice:pw\nbad/user:topsecret\n", 0600);
	expect_error("", "not a valid user id", NULL);
	write_file(creds, "no colon here topsecret\n", 0600);
	expect_error("", "expected user:password", NULL);
	write_file(creds, "alice:pw\nalice:other\n", 0600);
	expect_error("", "listed twice", NULL);
	write_file(creds, "alice:\n", 0600);
	expect_error("", "password empty", NULL);

	/* no message ever shows a password */
	buf_init(&errs);
	{
		struct config	*c;

		write_file(creds, "no colon topsecret\nbad/u:topsecret\n",
		    0600);
		ck_assert_int_eq(parse("", &c, &errs), -1);
		ck_assert_ptr_null(strstr(errs.data, "topsecret"));
	}
	buf_free(&errs);
}
END_TEST

START_TEST(test_parse_bytes)
{
	int64_t	 n;

	ck_assert_int_eq(parse_bytes("0", &n), 0);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(parse_bytes("2G", &n), 0);
	ck_assert_int_eq(n, 2LL << 30);
	ck_assert_int_eq(parse_bytes("64k", &n), 0);
	ck_assert_int_eq(n, 65536);
	ck_assert_int_eq(parse_bytes("1048576", &n), 0);
	ck_assert_int_eq(parse_bytes("-1", &n), -1);
	ck_assert_int_eq(parse_bytes("1GB", &n), -1);
	ck_assert_int_eq(parse_bytes("", &n), -1);
	ck_assert_int_eq(parse_bytes("99999999999999999999G", &n), -1);
}
END_TEST

/* Parse a config whose [erp] url is url; rc, with errs filled. */
static int
parse_url(const char *url, struct config **c, struct buf *errs)
{
	char	*full;
	int	 rc;

	xasprintf(&full, "[erp]\ncredentials = %s\nurl = %s\n", creds, url);
	buf_init(errs);
	rc = config_parse_string(name, full, c, errs);
	free(full);
	return rc;
}

/* Only http(s) URLs with a host reach libcurl (file:// would read files). */
START_TEST(test_url_scheme)
{
	static const char *good[] = {
		"http://erp.example/Archibald", "https://erp.example.com",
		"HTTPS://ERP.example.com:8443/x?y=1#z", "http://127.0.0.1:80/",
		"http://[::1]:8080/Archibald", "http://erp_1.local",
	};
	static const char *bad[] = {
		"file:///etc/passwd", "ftp://erp.example/", "erp.example/x",
		"http://", "http:///x", "https://:443/", "http://erp.example:/",
		"http://erp.example:99999/", "http://erp.example:8x/",
		"http://user:pw@erp.example/", "http://erp example/",
		"http://erp.example/\x1b[31m", "gopher://erp.example",
		"http://[::1/", "http://erp.exa$mple/", "javascript:alert(1)",
	};
	struct config	*c;
	struct buf	 errs;
	char		 want[PATH_MAX + 64];
	size_t		 i;

	for (i = 0; i < nitems(good); i++) {
		ck_assert_msg(parse_url(good[i], &c, &errs) == 0,
		    "%s refused: %s", good[i], errs.data);
		ck_assert_str_eq(c->url, good[i]);
		config_free(c);
		buf_free(&errs);
	}
	snprintf(want, sizeof want, "%s:3: [erp] url: bad value \"", name);
	for (i = 0; i < nitems(bad); i++) {
		ck_assert_msg(parse_url(bad[i], &c, &errs) == -1,
		    "%s accepted", bad[i]);
		ck_assert_ptr_null(c);
		ck_assert_msg(strstr(errs.data, want) != NULL,
		    "%s: want \"%s\" in \"%s\"", bad[i], want, errs.data);
		buf_free(&errs);
	}
	ck_assert_int_eq(parse_url("file:///etc/passwd", &c, &errs), -1);
	ck_assert_ptr_nonnull(strstr(errs.data, "not an http:// or https:// "
	    "URL"));
	/* one error for one mistake: not also "missing" */
	ck_assert_ptr_null(strstr(errs.data, "missing"));
	buf_free(&errs);
}
END_TEST

/*
 * sessions_per_job against the session limits: always valid, with a
 * warning (on its line) only when a limit will cut it.
 */
START_TEST(test_sessions_warning)
{
	static const struct {
		const char	*text;
		int64_t		 sessions;
		const char	*warning;	/* NULL: no warning at all */
		const char	*not;		/* a limit it must not name */
	} cases[] = {
		/* auto: 0, as many as the limits leave */
		{ "sessions_per_job = auto\n", 0, NULL, NULL },
		{ "sessions_per_job = 2\n", 2, NULL, NULL },
		/* the default max_sessions_per_user is 2 */
		{ "sessions_per_job = 4\n", 4, "[erp] sessions_per_job: 4 is "
		    "more than [supervisor] max_sessions_per_user (2): jobs will "
		    "run with at most 2 sessions", "max_erp_sessions" },
		{ "sessions_per_job = 10\n[supervisor]\n"
		    "max_sessions_per_user = 0\nmax_erp_sessions = 6\n", 10,
		    "max_erp_sessions (6): jobs will run with at most 6 sessions",
		    "max_sessions_per_user" },
		/* 0 is no limit: nothing to warn about */
		{ "sessions_per_job = 64\n[supervisor]\n"
		    "max_sessions_per_user = 0\nmax_erp_sessions = 0\n", 64,
		    NULL, NULL },
	};
	struct config	*c;
	size_t		 i;

	for (i = 0; i < nitems(cases); i++) {
		c = parse_ok(cases[i].text);
		ck_assert_int_eq(c->sessions_per_job, cases[i].sessions);
		if (cases[i].warning == NULL) {
			ck_assert_msg(c->warnings == NULL, "%zu: %s", i,
			    c->warnings);
		} else {
			ck_assert_ptr_nonnull(c->warnings);
			ck_assert_ptr_nonnull(strstr(c->warnings, at(4)));
			ck_assert_ptr_nonnull(strstr(c->warnings,
			    cases[i].warning));
			ck_assert_ptr_null(strstr(c->warnings, cases[i].not));
		}
		config_free(c);
	}
}
END_TEST

/* The admin socket's keys: defaults, values, bounds. */
START_TEST(test_admin_keys)
{
	struct config	*c;

	c = parse_ok("");
	ck_assert_int_eq(c->max_clients, 64);
	ck_assert_int_eq(c->admin_idle_timeout, 60);
	config_free(c);
	c = parse_ok("[supervisor]\nmax_clients = 5\n"
	    "admin_idle_timeout = 2m\n");
	ck_assert_int_eq(c->max_clients, 5);
	ck_assert_int_eq(c->admin_idle_timeout, 120);
	config_free(c);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("config");
	TCase	*tc;

	tc = test_case(s, "config", test_defaults, test_values,
	    test_scheduler_keys, test_missing_credentials,
	    test_credentials_mode, test_credentials_bad_lines,
	    test_parse_bytes, test_url_scheme, test_sessions_warning,
	    test_admin_keys, NULL);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_bad_config, 0, nitems(bad_configs));
	return test_run(s);
}
