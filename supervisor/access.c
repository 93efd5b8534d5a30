/*
 * access.c — who may talk to erpsyncd (design §8). The socket file's mode
 * and group are the first gate (the kernel's); SO_PEERCRED is the second:
 * root, erpsyncd's own uid, and members of socket_group (by primary or
 * supplementary group, as the kernel saw the peer at connect time, so a
 * client in another container needs only the gid, not a group entry).
 */
#include <sys/socket.h>
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "supervisor/supervisor.h"

/* Give the socket file its mode and group; -1 with err set. */
int
access_apply(const char *path, int mode, int64_t gid, const char *group,
    char *err, size_t errlen)
{
	if (chmod(path, (mode_t)mode) == -1) {
		snprintf(err, errlen, "%s: chmod %04o: %s", path, mode,
		    strerror(errno));
		return -1;
	}
	if (gid >= 0 && chown(path, (uid_t)-1, (gid_t)gid) == -1) {
		snprintf(err, errlen, "%s: chown to socket_group %s (gid %lld): "
		    "%s; erpsyncd must run as root or be a member of that "
		    "group", path, group, (long long)gid, strerror(errno));
		return -1;
	}
	return 0;
}

/* Is the peer on fd in group gid (primary, or supplementary)? */
static int
access_in_group(int fd, const struct ucred *cred, gid_t gid)
{
	gid_t		 groups[256];
	socklen_t	 len = sizeof groups;
	size_t		 i;

	if (cred->gid == gid)
		return 1;
	/* The peer's supplementary groups when it connected (Linux 4.13). */
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) == -1)
		return 0;	/* ERANGE: more than 256 groups; refused */
	for (i = 0; i < len / sizeof groups[0]; i++)
		if (groups[i] == gid)
			return 1;
	return 0;
}

/*
 * May the peer on fd talk to us? 1 if so; else 0 and why says who was
 * refused and what would admit them.
 */
int
access_admit(int fd, const struct ucred *cred, char *why, size_t len)
{
	const struct config	*c = sv.conf;

	if (cred->uid == 0 || cred->uid == geteuid())
		return 1;
	if (c->socket_gid >= 0 && access_in_group(fd, cred,
	    (gid_t)c->socket_gid))
		return 1;
	if (c->socket_gid >= 0)
		snprintf(why, len, "uid %d (gid %d) is not root, not erpsyncd's "
		    "uid %d and not in socket_group %s (gid %lld)",
		    (int)cred->uid, (int)cred->gid, (int)geteuid(),
		    c->socket_group, (long long)c->socket_gid);
	else
		snprintf(why, len, "uid %d is neither root nor erpsyncd's uid "
		    "%d (no socket_group is set to admit others)",
		    (int)cred->uid, (int)geteuid());
	return 0;
}
