/*
 * fuzz_config.c — erpsyncd's config loader (supervisor/config.c) and the
 * credentials file parser (supervisor/creds.c) on arbitrary files.
 *
 * The input up to its first NUL byte is erpsync.conf, what follows it the
 * credentials file. Both are written to a private temporary directory
 * (the credentials with mode 0600) and read with config_load(), as erpsyncd
 * does; a config naming "credentials = credentials" reads the second part.
 * The credentials text also goes to creds_parse() on its own.
 *
 * Invariants: config_load() gives either a config and no error, or no
 * config and error lines, each naming the file it is about (the config
 * or the credentials file) and, when it names a line, a line the file
 * has; a password of the credentials file never appears in a message;
 * every parsed credential is found again by config_password(); nothing
 * leaks (LeakSanitizer). Inputs whose credentials line names a path with
 * a '/' are skipped: the target reads only its own files (a FIFO
 * elsewhere would block it); so are names with a ':', which would make
 * "file:line:" in messages ambiguous.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "tests/fuzz/fuzz.h"
#include "supervisor/supervisor.h"

static char	 dir[64];
static char	 conf_path[128];
static char	 creds_path[128];

static void
cleanup(void)
{
	unlink(conf_path);
	unlink(creds_path);
	rmdir(dir);
}

static void
setup(void)
{
	if (dir[0] != '\0')
		return;
	snprintf(dir, sizeof(dir), "/tmp/fuzz_config.XXXXXX");
	if (mkdtemp(dir) == NULL)
		fatal("mkdtemp");
	snprintf(conf_path, sizeof(conf_path), "%s/erpsync.conf", dir);
	snprintf(creds_path, sizeof(creds_path), "%s/credentials", dir);
	atexit(cleanup);
	log_init("fuzz_config", LOG_LOGFMT, LOG_ERROR);
}

static void
write_file(const char *path, const char *p, size_t n, mode_t mode)
{
	int	 fd;

	unlink(path);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode)) == -1)
		fatal("open %s", path);
	if (fchmod(fd, mode) == -1 || write_all(fd, p, n) == -1)
		fatal("write %s", path);
	close(fd);
}

/* Lines of a text as an editor counts them. */
static int
count_lines(const char *p, size_t n)
{
	int	 lines = 0;
	size_t	 i;

	for (i = 0; i < n; i++)
		if (p[i] == '\n')
			lines++;
	return n > 0 && p[n - 1] != '\n' ? lines + 1 : lines;
}

/* Does any line mentioning "credentials" hold a '/'? */
static int
creds_elsewhere(const char *conf)
{
	const char	*p = conf, *nl, *c;
	size_t		 len, sep;

	while ((c = strstr(p, "credentials")) != NULL) {
		/* The whole line around it. */
		while (c > conf && c[-1] != '\n')
			c--;
		nl = strchr(c, '\n');
		len = nl != NULL ? (size_t)(nl - c) : strlen(c);
		/* A '/', or a ':' in the value (the name shows in messages). */
		sep = strcspn(c, "=:\n");
		if (memchr(c, '/', len) != NULL || (sep + 1 < len &&
		    memchr(c + sep + 1, ':', len - sep - 1) != NULL))
			return 1;
		p = c + len;
		if (*p == '\0')
			break;
		p++;
	}
	return 0;
}

/*
 * The credentials text with every password (what follows a line's first
 * colon, less a final CR) overwritten by as many 'Z's: it parses the same
 * way and gives the same messages, unless a message shows a password.
 */
static char *
redacted(const char *creds)
{
	char	*copy, *line, *end, *colon;

	copy = xstrdup(creds);
	for (line = copy; *line != '\0'; line = *end ? end + 1 : end) {
		end = line + strcspn(line, "\n");
		if ((colon = memchr(line, ':', (size_t)(end - line))) == NULL)
			continue;
		if (end > colon + 1 && end[-1] == '\r')
			end--;
		memset(colon + 1, 'Z', (size_t)(end - colon - 1));
		if (*end == '\r')
			end++;
	}
	return copy;
}

/* Every error line names a file, and a line it has. */
static void
errs_sane(const char *errs, int conf_lines, int creds_lines)
{
	const char	*p, *nl, *rest;
	char		*end;
	long		 line;
	int		 max;
	size_t		 k;

	for (p = errs; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		FZ_CHECK(nl != NULL, "error without a newline: '%s'", p);
		if (strncmp(p, conf_path, (k = strlen(conf_path))) == 0 &&
		    p[k] == ':')
			max = conf_lines;
		else if (strncmp(p, creds_path, (k = strlen(creds_path))) == 0 &&
		    p[k] == ':')
			max = creds_lines;
		else {
			/* Another file of the directory, named as credentials. */
			k = strlen(dir);
			FZ_CHECK(strncmp(p, dir, k) == 0 && p[k] == '/',
			    "error names no file: '%.*s'", (int)(nl - p), p);
			continue;	/* its name may hold anything */
		}
		rest = p + k;
		FZ_CHECK(*rest == ':', "error: '%.*s'", (int)(nl - p), p);
		if (rest[1] >= '0' && rest[1] <= '9') {
			line = strtol(rest + 1, &end, 10);
			FZ_CHECK(*end == ':' && line >= 1 && line <= max,
			    "error names line %ld of %d: '%.*s'", line, max,
			    (int)(nl - p), p);
		}
		FZ_CHECK(nl > rest + 2, "error says nothing: '%.*s'",
		    (int)(nl - p), p);
	}
}

static void
check_creds_parse(const char *creds)
{
	struct config	*c;
	struct buf	 errs, errs2;
	char		*red;
	size_t		 i;
	int		 rc;

	c = config_new();
	buf_init(&errs);
	rc = creds_parse(c, "credentials", creds, &errs);
	FZ_CHECK(rc == 0 || rc == -1, "rc");
	FZ_CHECK((rc == -1) == (errs.len > 0), "rc %d with errors '%s'", rc,
	    errs.len > 0 ? errs.data : "");
	for (i = 0; i < c->ncreds; i++) {
		FZ_CHECK(user_id_valid(c->creds[i].user), "user");
		FZ_CHECK(c->creds[i].password[0] != '\0', "empty password");
		FZ_CHECK(i == 0 || strcmp(c->creds[i - 1].user,
		    c->creds[i].user) <= 0, "not sorted");
		if (rc == 0)
			FZ_CHECK(config_password(c, c->creds[i].user) ==
			    c->creds[i].password, "config_password(%s)",
			    c->creds[i].user);
	}
	config_free(c);

	red = redacted(creds);
	c = config_new();
	buf_init(&errs2);
	FZ_CHECK(creds_parse(c, "credentials", red, &errs2) == rc,
	    "a password changed the result");
	FZ_CHECK(errs.len == errs2.len && (errs.len == 0 ||
	    strcmp(errs.data, errs2.data) == 0), "a password shows in a "
	    "message:\n%s", errs.data);
	buf_free(&errs2);
	buf_free(&errs);
	config_free(c);
	free(red);
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct config	*c;
	struct buf	 errs;
	char		*conf, *creds;
	size_t		 k, i;
	int		 rc;

	if (n > 65536)
		return 0;
	setup();
	k = strnlen((const char *)d, n);
	conf = xstrndup((const char *)d, k);
	creds = k < n ? xstrndup((const char *)d + k + 1, n - k - 1) :
	    xstrdup("");
	check_creds_parse(creds);
	if (creds_elsewhere(conf))
		goto out;

	write_file(conf_path, conf, strlen(conf), 0644);
	write_file(creds_path, creds, strlen(creds), 0600);
	buf_init(&errs);
	buf_addc(&errs, '\0');
	errs.len = 0;
	rc = config_load(conf_path, &c, &errs);
	FZ_CHECK(rc == 0 || rc == -1, "rc");
	if (rc == 0) {
		FZ_CHECK(c != NULL && errs.len == 0, "a config and errors "
		    "'%s'", errs.data);
		FZ_CHECK(c->url[0] != '\0' && c->credentials[0] != '\0',
		    "required keys");
		for (i = 0; i < c->ncreds; i++)
			FZ_CHECK(config_password(c, c->creds[i].user) ==
			    c->creds[i].password, "config_password");
		config_free(c);
	} else {
		FZ_CHECK(c == NULL && errs.len > 0, "a failure without errors");
		errs_sane(errs.data, count_lines(conf, strlen(conf)),
		    count_lines(creds, strlen(creds)));
	}
	buf_free(&errs);
out:
	free(conf);
	free(creds);
	return 0;
}
