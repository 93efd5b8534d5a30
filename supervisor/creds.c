/*
 * creds.c — the ERP credentials file: `user:password` lines, # comments and
 * blank lines. It must not be readable by group or others. Passwords stay
 * in memory only, are zeroed when freed and never appear in a message.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "supervisor/supervisor.h"

#define CREDS_MAX_SIZE	(1024 * 1024)
#define PASSWORD_MAX	255	/* struct msg_job's password field */

/* Free the credentials of a config, zeroing every password. */
void
creds_free(struct config *c)
{
	size_t	 i;

	for (i = 0; i < c->ncreds; i++) {
		explicit_bzero(c->creds[i].password,
		    strlen(c->creds[i].password));
		free(c->creds[i].password);
	}
	free(c->creds);
	c->creds = NULL;
	c->ncreds = 0;
}

/* Parse one line; -1 with a message that never holds the password. */
static int
creds_line(struct config *c, const char *name, int lineno, char *line,
    struct buf *errs)
{
	char	*colon, *s = line;
	size_t	 len;

	len = strlen(line);
	if (len > 0 && line[len - 1] == '\r')
		line[--len] = '\0';
	s += strspn(s, " \t");
	if (*s == '\0' || *s == '#')
		return 0;
	if ((colon = strchr(s, ':')) == NULL) {
		buf_addf(errs, "%s:%d: expected user:password\n", name, lineno);
		return -1;
	}
	*colon = '\0';
	if (!user_id_valid(s)) {
		buf_addf(errs, "%s:%d: user \"%.64s\": not a valid user id "
		    "([A-Za-z0-9._-], 1-64, not starting with .)\n", name,
		    lineno, s);
		return -1;
	}
	if (colon[1] == '\0' || strlen(colon + 1) > PASSWORD_MAX) {
		buf_addf(errs, "%s:%d: user %s: password empty or longer than "
		    "%d bytes\n", name, lineno, s, PASSWORD_MAX);
		return -1;
	}
	c->creds = xreallocarray(c->creds, c->ncreds + 1, sizeof *c->creds);
	snprintf(c->creds[c->ncreds].user, sizeof c->creds[0].user, "%s", s);
	c->creds[c->ncreds].password = xstrdup(colon + 1);
	c->creds[c->ncreds].line = lineno;
	c->ncreds++;
	return 0;
}

static int
creds_cmp(const void *a, const void *b)
{
	const struct cred	*ca = a, *cb = b;
	int			 r = strcmp(ca->user, cb->user);

	return r != 0 ? r : ca->line - cb->line;
}

/* Sort by user (config_password searches), refusing a user listed twice. */
static int
creds_sort(struct config *c, const char *name, struct buf *errs)
{
	size_t	 i;
	int	 rc = 0;

	if (c->ncreds < 2)
		return 0;
	qsort(c->creds, c->ncreds, sizeof *c->creds, creds_cmp);
	for (i = 1; i < c->ncreds; i++) {
		if (strcmp(c->creds[i - 1].user, c->creds[i].user) != 0)
			continue;
		buf_addf(errs, "%s:%d: user %s: listed twice (first on line "
		    "%d)\n", name, c->creds[i].line, c->creds[i].user,
		    c->creds[i - 1].line);
		rc = -1;
	}
	return rc;
}

/* Parse the text of a credentials file; -1 when any line is bad. */
int
creds_parse(struct config *c, const char *name, const char *text,
    struct buf *errs)
{
	char	*copy, *line, *next;
	int	 lineno = 0, rc = 0;
	size_t	 len = strlen(text);

	copy = xstrdup(text);
	for (line = copy; line != NULL && *line != '\0'; line = next) {
		lineno++;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (creds_line(c, name, lineno, line, errs) == -1)
			rc = -1;
	}
	explicit_bzero(copy, len);
	free(copy);
	if (creds_sort(c, name, errs) == -1)
		rc = -1;
	return rc;
}

/* Load the credentials file at path into c, refusing a readable one. */
int
creds_load(struct config *c, const char *path, struct buf *errs)
{
	struct stat	 st;
	char		*text;
	ssize_t		 n;
	size_t		 off = 0;
	int		 fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		buf_addf(errs, "%s: credentials file: %s\n", path,
		    strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		buf_addf(errs, "%s: credentials file: %s\n", path,
		    strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		buf_addf(errs, "%s: credentials file: not a regular file\n",
		    path);
		close(fd);
		return -1;
	}
	if ((st.st_mode & 077) != 0) {
		buf_addf(errs, "%s: credentials file has mode %04o: it must "
		    "not be readable by group or others (chmod 600 %s)\n", path,
		    (unsigned)(st.st_mode & 07777), path);
		close(fd);
		return -1;
	}
	if (st.st_size > CREDS_MAX_SIZE) {
		buf_addf(errs, "%s: credentials file too large\n", path);
		close(fd);
		return -1;
	}
	text = xmalloc((size_t)st.st_size + 1);
	while (off < (size_t)st.st_size) {
		n = read(fd, text + off, (size_t)st.st_size - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	close(fd);
	text[off] = '\0';
	creds_free(c);
	rc = creds_parse(c, path, text, errs);
	explicit_bzero(text, off);
	free(text);
	if (rc == -1)
		creds_free(c);
	return rc;
}
