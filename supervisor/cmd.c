/*
 * cmd.c — the admin command table (tmux's cmd_table), the dispatcher that
 * walks it, and helpers shared by the cmd-*.c files.
 */
#include <stdio.h>
#include <string.h>

#include "supervisor/supervisor.h"

static const struct sv_cmd *cmd_table[] = {
	&cmd_status_entry,
	&cmd_jobs_entry,
	&cmd_sync_entry,
	&cmd_wait_entry,
	&cmd_cancel_entry,
	&cmd_logs_entry,
	&cmd_users_entry,
	&cmd_event_entry,
	&cmd_hold_entry,
	&cmd_release_entry,
	&cmd_reload_entry,
	&cmd_shutdown_entry,
	&cmd_metrics_entry,
};

/* Is every key of the request's args one the command knows? */
static int
cmd_args_known(const struct sv_cmd *cmd, const struct msg_req *req,
    char *bad, size_t badlen)
{
	const msgpack_object	*k;
	uint32_t		 i;
	size_t			 a;

	if (req->args == NULL)
		return 1;
	for (i = 0; i < req->args->via.map.size; i++) {
		k = &req->args->via.map.ptr[i].key;
		for (a = 0; cmd->args[a] != NULL; a++)
			if (msg_str_eq(k, cmd->args[a]))
				break;
		if (cmd->args[a] == NULL) {
			if (k->type == MSGPACK_OBJECT_STR)
				snprintf(bad, badlen, "%.*s",
				    (int)(k->via.str.size > 32 ? 32 :
				    k->via.str.size), k->via.str.ptr);
			else
				snprintf(bad, badlen, "(not a string)");
			return 0;
		}
	}
	return 1;
}

/* Run a request: find its command, check its args, let it answer. */
void
cmd_dispatch(struct client *c, const struct msg_req *req)
{
	const struct sv_cmd	*cmd = NULL;
	size_t			 i;
	char			 bad[64];

	for (i = 0; i < nitems(cmd_table); i++) {
		if (strcmp(cmd_table[i]->name, req->cmd) == 0) {
			cmd = cmd_table[i];
			break;
		}
	}
	if (cmd == NULL) {
		cmd_error(c, req, "unknown command \"%s\"", req->cmd);
		return;
	}
	if (!cmd_args_known(cmd, req, bad, sizeof bad)) {
		cmd_error(c, req, "%s: unknown argument \"%s\"", cmd->name,
		    bad);
		return;
	}
	/* Who asked for what: every request at debug, changes at info. */
	if (cmd->mutates)
		log_info("control: uid %d (pid %d) asks %s", (int)c->uid,
		    (int)c->pid, cmd->name);
	else
		log_debug("control: uid %d (pid %d) asks %s (request %lld)",
		    (int)c->uid, (int)c->pid, cmd->name, (long long)req->id);
	cmd->exec(c, req);
}

/* Answer a request with ok = false and a message. */
void
cmd_error(struct client *c, const struct msg_req *req, const char *fmt, ...)
{
	struct frame	 f;
	va_list		 ap;
	char		 msg[1024];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	msg_resp_error(&f, req->id, "%s", msg);
	(void)client_send(c, &f);
}

/*
 * Read the request's args into the places the table names, in its order
 * (an absent optional one reads as "", 0 or false); the first missing or
 * mistyped one is answered ("CMD: why") and gives -1.
 */
int
cmd_args(struct client *c, const struct msg_req *req,
    const struct cmd_arg *a, size_t n)
{
	char	 err[PROTO_ERRLEN];
	size_t	 i;
	int	 rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		switch (a[i].type) {
		case ARG_STR:
			rc = msg_get_str(req->args, a[i].key, a[i].dst,
			    a[i].size, a[i].required, err, sizeof err);
			break;
		case ARG_INT:
			rc = msg_get_int(req->args, a[i].key, a[i].dst,
			    a[i].required, err, sizeof err);
			break;
		case ARG_BOOL:
			rc = msg_get_bool(req->args, a[i].key, a[i].dst,
			    a[i].required, err, sizeof err);
			break;
		}
	}
	if (rc == -1) {
		cmd_error(c, req, "%s: %s", req->cmd, err);
		return -1;
	}
	return 0;
}

#define JOB_FIELDS	42

/* Pack a job as a map of JOB_FIELDS + extra pairs (the caller adds extra). */
void
cmd_pack_job(msgpack_packer *pk, const struct job *j, size_t extra)
{
	const char	*blocked;
	char		 why[256];
	int64_t		 hold = 0;

	/* Only live jobs are not final (history rows are). */
	blocked = !job_state_final(j->state) ?
	    sv_job_blocked(j, why, sizeof why, &hold) : NULL;
	msgpack_pack_map(pk, JOB_FIELDS + extra);
	pk_kv_int(pk, "id", j->id);
	pk_kv_str(pk, "kind", kind_name(j->kind));
	pk_kv_str(pk, "user", j->scope);
	pk_kv_str(pk, "erp_user", j->erp_user);
	pk_kv_str(pk, "mode", job_mode_name(j->mode));
	pk_kv_str(pk, "state", job_state_name(j->state));
	pk_kv_str(pk, "trigger", job_trigger_name(j->trigger));
	pk_kv_int(pk, "priority", job_priority(j));
	pk_kv_int(pk, "created_at", j->created_ms);
	pk_kv_int(pk, "started_at", j->started_ms);
	pk_kv_int(pk, "finished_at", j->finished_ms);
	pk_kv_int(pk, "pid", j->pid);
	pk_kv_int(pk, "page", j->progress.page);
	pk_kv_int(pk, "pages", j->progress.pages);
	pk_kv_int(pk, "rows", j->progress.seen);
	pk_kv_int(pk, "total", j->progress.total);
	pk_kv_int(pk, "inserted", j->progress.inserted);
	pk_kv_int(pk, "updated", j->progress.updated);
	pk_kv_int(pk, "unchanged", j->progress.unchanged);
	pk_kv_int(pk, "skipped", j->progress.skipped);
	pk_kv_int(pk, "deleted", j->result.deleted);
	pk_kv_str(pk, "error_class", err_class_name(j->error_class));
	pk_kv_str(pk, "message", j->message);
	pk_kv_int(pk, "fetched", j->result.fetched);
	pk_kv_str(pk, "sweep", j->result.sweep);
	pk_kv_int(pk, "worker_maxrss_kb", j->maxrss_kb);
	pk_kv_int(pk, "worker_cpu_ms", j->cpu_ms);
	pk_kv_int(pk, "attempts", j->attempts);
	pk_kv_int(pk, "not_before", j->not_before_ms);
	pk_kv_str(pk, "blocked", blocked != NULL ? blocked : "");
	pk_kv_int(pk, "hold", hold);
	pk_kv_int(pk, "sessions", j->sessions);
	pk_kv_int(pk, "resumed_from", j->result.resumed_from);
	/* Where the last attempt's worker time went (msg_done). */
	pk_kv_int(pk, "requests", j->result.requests);
	pk_kv_int(pk, "request_retries", j->result.request_retries);
	pk_kv_int(pk, "erp_wait_ms", j->result.erp_wait_ms);
	pk_kv_int(pk, "worker_wall_ms", j->result.wall_ms);
	pk_kv_int(pk, "erp_blocked_ms", j->result.erp_blocked_ms);
	pk_kv_int(pk, "parse_ms", j->result.parse_ms);
	pk_kv_int(pk, "write_ms", j->result.write_ms);
	pk_kv_int(pk, "paused_ms", j->result.paused_ms);
	pk_kv_int(pk, "other_ms", j->result.other_ms);
}

/* Answer req_id with a job (and the request's outcome when >= 0). */
void
cmd_reply_job(struct client *c, int64_t req_id, const struct job *j,
    int outcome)
{
	struct frame	 f;

	msg_resp_begin(&f, req_id, 1);
	cmd_pack_job(&f.pk, j, outcome >= 0);
	if (outcome >= 0)
		pk_kv_str(&f.pk, "outcome",
		    queue_outcome_name((enum queue_outcome)outcome));
	(void)client_send(c, &f);
}

/*
 * The job id: the live one, or else its row of the history, read into old.
 * NULL, the request answered with an error, when there is neither.
 */
struct job *
cmd_find_job(struct client *c, const struct msg_req *req, int64_t id,
    struct job *old)
{
	struct job	*j;

	if ((j = queue_find(&sv.queue, id)) != NULL)
		return j;
	if (state_job_get(id, old) == 0)
		return old;
	cmd_error(c, req, "%s: no job %lld (not live and not in the history, "
	    "which keeps the last history_keep jobs)", req->cmd,
	    (long long)id);
	return NULL;
}

/* The job the request's "job" argument names, as cmd_find_job() finds it. */
struct job *
cmd_job_arg(struct client *c, const struct msg_req *req, struct job *old)
{
	int64_t	 id;
	char	 err[PROTO_ERRLEN];

	if (msg_get_int(req->args, "job", &id, 1, err, sizeof err) == -1) {
		cmd_error(c, req, "%s: %s", req->cmd, err);
		return NULL;
	}
	return cmd_find_job(c, req, id, old);
}

/* Answer a request with ok and no data (an empty map). */
void
cmd_reply_ok(struct client *c, const struct msg_req *req)
{
	struct frame	 f;

	msg_resp_begin(&f, req->id, 1);
	msgpack_pack_map(&f.pk, 0);
	(void)client_send(c, &f);
}

/*
 * Pack a hold as a map: who holds it, on what, since and until when. A hold
 * without a TTL has expires_at 0 and ttl_left_s -1.
 */
void
cmd_pack_hold(msgpack_packer *pk, const struct hold *h, int64_t now)
{
	const struct job	*j;
	int			 paused = 0, covered = 0;

	TAILQ_FOREACH(j, &sv.queue.jobs, entry) {
		if (!job_state_active(j->state) || !hold_covers(h, j))
			continue;
		covered++;
		paused += j->state == JOB_PAUSED;
	}
	msgpack_pack_map(pk, 13);
	pk_kv_int(pk, "id", h->id);
	pk_kv_str(pk, "user", h->user[0] != '\0' ? h->user : "*");
	pk_kv_str(pk, "reason", h->reason);
	pk_kv_str(pk, "state", h->granted_ms != 0 ? "granted" : "pending");
	pk_kv_int(pk, "pid", h->pid);
	pk_kv_int(pk, "uid", h->uid);
	pk_kv_bool(pk, "detached", h->detach);
	pk_kv_int(pk, "created_at", h->created_ms);
	pk_kv_int(pk, "granted_at", h->granted_ms);
	pk_kv_int(pk, "expires_at", h->expires_ms);
	pk_kv_int(pk, "ttl_left_s", h->expires_ms == 0 ? -1 :
	    (h->expires_ms - now + 999) / 1000);
	pk_kv_int(pk, "jobs", covered);
	pk_kv_int(pk, "paused", paused);
}

/* Pack one result of a trigger: kind, outcome, job and why. */
void
cmd_pack_result(msgpack_packer *pk, const struct trig_result *r)
{
	msgpack_pack_map(pk, 4);
	pk_kv_str(pk, "kind", kind_name(r->kind));
	pk_kv_str(pk, "outcome", queue_outcome_name(r->outcome));
	pk_kv_int(pk, "job", r->job);
	pk_kv_str(pk, "why", r->why);
}
