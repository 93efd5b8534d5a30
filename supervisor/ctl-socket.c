/*
 * ctl-socket.c — where erpsyncd's admin socket is, and what to say when
 * it cannot be reached. The socket is the first of: -s SOCKET, the
 * environment's ERPSYNC_SOCKET, [supervisor] socket in the config given
 * with -f CONF, the same in /etc/erpsync/erpsync.conf when it is
 * readable, and /run/erpsync/erpsyncd.sock.
 */
#include <sys/stat.h>

#include <errno.h>
#include <grp.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "supervisor/ctl.h"

/* inih's handler: keep [supervisor] socket (the last one given). */
static int
ctl_socket_ini(void *arg, const char *section, const char *name,
    const char *value)
{
	char	**sock = arg;

	if (strcmp(section, "supervisor") == 0 && strcmp(name, "socket") == 0) {
		free(*sock);
		*sock = xstrdup(value);
	}
	return 1;	/* the rest is erpsyncd's to check */
}

/*
 * The socket named in config file path into c->socket_conf (relative to
 * the file's folder, as erpsyncd reads it; the default path when the file
 * names none). -1 if the file cannot be read.
 */
static int
ctl_socket_conf(struct ctl *c, const char *path)
{
	char		*sock = NULL, *dir;
	const char	*slash;
	size_t		 n;

	errno = 0;
	if (ini_parse(path, ctl_socket_ini, &sock) < 0) {
		free(sock);
		return -1;
	}
	if (sock == NULL || sock[0] == '\0') {
		free(sock);
		sock = xstrdup(CTL_SOCKET_DEFAULT);
	} else if (sock[0] != '/' && (slash = strrchr(path, '/')) != NULL) {
		n = (size_t)(slash - path) + 1 + strlen(sock) + 1;
		dir = xcalloc(n, 1);
		snprintf(dir, n, "%.*s%s", (int)(slash - path + 1), path, sock);
		free(sock);
		sock = dir;
	}
	free(c->socket_conf);
	c->socket_conf = sock;
	return 0;
}

/* Set c->socket from arg (-s) or what stands in for it; an exit code. */
int
ctl_socket_find(struct ctl *c, const char *arg)
{
	const char	*env = getenv("ERPSYNC_SOCKET");

	if (arg != NULL && arg[0] != '\0') {
		c->socket = arg;
		c->socket_from = "-s";
	} else if (env != NULL && env[0] != '\0') {
		c->socket = env;
		c->socket_from = "ERPSYNC_SOCKET";
	} else if (c->config != NULL) {
		if (ctl_socket_conf(c, c->config) == -1) {
			ctl_err("cannot read %s: %s", c->config,
			    errno != 0 ? strerror(errno) : "out of memory");
			return CTL_UNREACHABLE;
		}
		c->socket = c->socket_conf;
		c->socket_from = c->config;
	} else if (access(CTL_CONF_DEFAULT, R_OK) == 0 &&
	    ctl_socket_conf(c, CTL_CONF_DEFAULT) == 0) {
		c->socket = c->socket_conf;
		c->socket_from = CTL_CONF_DEFAULT;
	} else {
		c->socket = CTL_SOCKET_DEFAULT;
		c->socket_from = "the default";
	}
	return CTL_OK;
}

/* Why connect(2) to c->socket failed with err, and what to do about it. */
void
ctl_connect_hint(const struct ctl *c, int err)
{
	struct stat	 sb;
	struct group	*gr;
	char		 gname[64];
	int		 serr = 0;

	if (stat(c->socket, &sb) == -1)
		serr = errno;
	if (serr == 0 && S_ISDIR(sb.st_mode)) {
		ctl_err("%s is a directory, not a socket; give the socket's "
		    "path with -s", c->socket);
	} else if (serr == 0 && !S_ISSOCK(sb.st_mode)) {
		ctl_err("%s is not a socket; give the socket's path with -s",
		    c->socket);
	} else if (err == ENOENT || serr == ENOENT) {
		ctl_err("no socket at %s (socket path from %s): is erpsyncd "
		    "running? (systemctl status erpsyncd)", c->socket,
		    c->socket_from != NULL ? c->socket_from : "-s");
	} else if (err == ECONNREFUSED) {
		ctl_err("no erpsyncd is listening on %s (connection refused): "
		    "is it running? (systemctl status erpsyncd)", c->socket);
	} else if ((err == EACCES || err == EPERM) && serr == 0) {
		if ((gr = getgrgid(sb.st_gid)) != NULL)
			snprintf(gname, sizeof gname, "%s", gr->gr_name);
		else
			snprintf(gname, sizeof gname, "%lu",
			    (unsigned long)sb.st_gid);
		ctl_err("permission denied on %s: ask for access to "
		    "socket_group %s", c->socket, gname);
	} else if (err == EACCES || err == EPERM) {
		ctl_err("permission denied on %s: its directory cannot be "
		    "searched; ask for access to erpsyncd's socket_group",
		    c->socket);
	} else
		ctl_err("cannot reach erpsyncd at %s: %s", c->socket,
		    strerror(err));
}
