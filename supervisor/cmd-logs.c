/*
 * cmd-logs.c — `logs {lines, follow, level, user, job, since, progress}`:
 * the last lines of the ring that pass the filters (since: not older than
 * that wall ms; then every such line unless lines is given), as `log`
 * frames, then the answer {lines, follow}; with follow, live `log` frames
 * (and `progress` frames when asked) until the client closes.
 */
#include <string.h>

#include "supervisor/supervisor.h"

#define LOGS_LINES_DEFAULT	50

static const char *cmd_logs_args[] = {
	"lines", "follow", "level", "user", "job", "since", "progress", NULL
};

static void
cmd_logs_exec(struct client *c, const struct msg_req *req)
{
	struct log_event	 ev;
	struct frame		 f;
	char			 level[16];
	int64_t			 lines, since;
	size_t			 i, n, first;
	int			 follow, progress;
	const struct cmd_arg	 args[] = {
		{ "lines", ARG_INT, &lines, 0, 0 },
		{ "follow", ARG_BOOL, &follow, 0, 0 },
		{ "progress", ARG_BOOL, &progress, 0, 0 },
		{ "level", ARG_STR, level, sizeof level, 0 },
		{ "user", ARG_STR, c->user, sizeof c->user, 0 },
		{ "job", ARG_INT, &c->job, 0, 0 },
		{ "since", ARG_INT, &since, 0, 0 },
	};

	if (cmd_args(c, req, args, nitems(args)) == -1)
		return;
	if (msg_get(req->args, "since") == NULL)
		since = 0;
	if (msg_get(req->args, "lines") == NULL)
		lines = since > 0 ? SV_LOGRING_LINES : LOGS_LINES_DEFAULT;
	if (lines < 0 || lines > SV_LOGRING_LINES) {
		cmd_error(c, req, "logs: lines must be 0..%d",
		    SV_LOGRING_LINES);
		return;
	}
	c->level = LOG_DEBUG;
	if (level[0] != '\0' && log_level_parse(level, &c->level) == -1) {
		cmd_error(c, req, "logs: level must be error, warn, info or "
		    "debug");
		return;
	}
	if (c->user[0] != '\0' && strcmp(c->user, "*") != 0 &&
	    !user_id_valid(c->user)) {
		cmd_error(c, req, "logs: invalid user id");
		return;
	}

	/* Find where the last `lines` matching lines start, then send them. */
	n = 0;
	first = sv.ring->count;
	while (first > 0 && n < (size_t)lines) {
		(void)logring_get(sv.ring, first - 1, &ev);
		if (ev.ts_ms < since)
			break;		/* the ring is in time order */
		first--;
		if (client_log_match(c, &ev))
			n++;
	}
	for (i = first; n > 0 && logring_get(sv.ring, i, &ev) == 0; i++) {
		if (!client_log_match(c, &ev))
			continue;
		control_log_pack(&f, &ev);
		if (client_send(c, &f) == -1)
			return;
	}
	c->follow = follow;
	c->progress = progress;
	msg_resp_begin(&f, req->id, 1);
	msgpack_pack_map(&f.pk, 2);
	pk_kv_int(&f.pk, "lines", (int64_t)n);
	pk_kv_bool(&f.pk, "follow", follow);
	(void)client_send(c, &f);
}

const struct sv_cmd cmd_logs_entry = {
	"logs", cmd_logs_args, cmd_logs_exec, 0
};
