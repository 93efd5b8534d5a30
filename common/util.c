/*
 * util.c — small checks and fd helpers shared by every program.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "common/common.h"

/* A user id is [A-Za-z0-9._-]{1,64}, not starting with '.'. */
int
user_id_valid(const char *s)
{
	size_t	 i;

	if (s == NULL || s[0] == '\0' || s[0] == '.')
		return 0;
	for (i = 0; s[i] != '\0'; i++) {
		char c = s[i];
		if (i >= USER_ID_MAX)
			return 0;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

/* One of the four kinds of data erpsync mirrors. */
int
kind_valid(const char *s)
{
	return s != NULL && (strcmp(s, "customers") == 0 ||
	    strcmp(s, "orders") == 0 || strcmp(s, "products") == 0 ||
	    strcmp(s, "prices") == 0);
}

/* Add flag to what fcntl's get command reads of fd, through its set command. */
static int
fd_add_flag(int fd, int get, int set, int flag)
{
	int	 fl;

	if ((fl = fcntl(fd, get)) == -1)
		return -1;
	return fcntl(fd, set, fl | flag);
}

/* Put fd in non-blocking mode (a status flag). */
int
set_nonblock(int fd)
{
	return fd_add_flag(fd, F_GETFL, F_SETFL, O_NONBLOCK);
}

/* Set close-on-exec on fd (a descriptor flag). */
int
set_cloexec(int fd)
{
	return fd_add_flag(fd, F_GETFD, F_SETFD, FD_CLOEXEC);
}

/* Write all of p to a blocking fd, retrying on EINTR. */
int
write_all(int fd, const void *p, size_t len)
{
	const char	*c = p;
	ssize_t		 n;

	while (len > 0) {
		n = write(fd, c, len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += n;
		len -= (size_t)n;
	}
	return 0;
}
