/*
 * reload.c — SIGHUP and `reload`: read the config again, validate, then
 * swap; keep the running one when the new one has errors. Settings only a
 * restart can change are kept (and said so). Users whose credentials
 * changed no longer need a login; poisoned scopes get another chance.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "supervisor/supervisor.h"

/* Keep settings that only a restart can change; say so. */
static void
sv_reload_keep(char **newv, char *oldv, const char *key)
{
	if (strcmp(*newv, oldv) == 0)
		return;
	log_warnx("reload: %s changed; it takes effect after a restart", key);
	free(*newv);
	*newv = xstrdup(oldv);
}

/*
 * socket_mode or socket_group changed: apply them to the socket file now;
 * if that fails, keep the old ones (the file still has them).
 */
static void
sv_reload_access(struct config *nc, const struct config *old)
{
	char	 err[512];

	if (access_apply(nc->socket, nc->socket_mode, nc->socket_gid,
	    nc->socket_group, err, sizeof err) == 0) {
		log_info("reload: admin socket now mode %04o, group %s",
		    nc->socket_mode, nc->socket_group[0] != '\0' ?
		    nc->socket_group : "(erpsyncd's)");
		return;
	}
	log_warnx("reload: %s; keeping socket_mode and socket_group", err);
	(void)access_apply(old->socket, old->socket_mode, old->socket_gid,
	    old->socket_group, err, sizeof err);
	nc->socket_mode = old->socket_mode;
	nc->socket_gid = old->socket_gid;
	free(nc->socket_group);
	nc->socket_group = xstrdup(old->socket_group);
}

/*
 * Read the config again. On errors: -1, each logged, and appended to errs
 * when given; the running configuration stays.
 */
int
sv_reload(struct buf *out)
{
	struct config	*nc, *old = sv.conf;
	struct buf	 errs;
	char		*line, *next;

	buf_init(&errs);
	if (config_load(sv.conf_path, &nc, &errs) == -1) {
		if (out != NULL)
			buf_adds(out, errs.data != NULL ? errs.data : "");
		for (line = errs.data; line != NULL && *line != '\0';
		    line = next) {
			if ((next = strchr(line, '\n')) != NULL)
				*next++ = '\0';
			log_warnx("reload: %s", line);
		}
		log_warnx("reload failed; keeping the running configuration");
		buf_free(&errs);
		return -1;
	}
	buf_free(&errs);
	sv_reload_keep(&nc->socket, old->socket, "[supervisor] socket");
	sv_reload_keep(&nc->state_dir, old->state_dir,
	    "[supervisor] state_dir");
	sv_reload_keep(&nc->data_dir, old->data_dir, "[supervisor] data_dir");
	sv_reload_keep(&nc->metrics_listen, old->metrics_listen,
	    "[metrics] listen");
	if (nc->socket_mode != old->socket_mode ||
	    nc->socket_gid != old->socket_gid)
		sv_reload_access(nc, old);
	users_sync_config(&sv.users, nc, old);
	sv.conf = nc;
	sv.pol.conf = nc;
	config_free(old);
	state_begin();
	(void)state_fresh_flush(&sv.users);
	state_commit();
	log_set_format(nc->log_format);
	log_set_level(sv.verbose ? LOG_DEBUG : nc->log_level);
	sv_worker_path();
	log_info("reloaded %s (%zu users with credentials)", nc->path,
	    nc->ncreds);
	sv_kick();
	sv_sched_kick();
	return 0;
}
