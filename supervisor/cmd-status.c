/*
 * cmd-status.c — `status`: the daemon, its workers, queue, holds (and who
 * holds them), job history by state, users, the schedule's cost, counters
 * of what went wrong (crashes, stalls, retries, poison, orphans) and the
 * last notable events, so an operator can tell what happened.
 */
#include <string.h>

#include "supervisor/supervisor.h"

static const char *cmd_status_args[] = { NULL };

static void
cmd_status_stats(msgpack_packer *pk)
{
	const struct sv_stats	*s = &sv.stats;

	msgpack_pack_map(pk, 11);
	pk_kv_int(pk, "crashed", s->crashed);
	pk_kv_int(pk, "stalled", s->stalled);
	pk_kv_int(pk, "retries", s->retries);
	pk_kv_int(pk, "poisoned", s->poisoned);
	pk_kv_int(pk, "auth_failures", s->auth_failures);
	pk_kv_int(pk, "orphans_reaped", s->orphans);
	pk_kv_int(pk, "requeued_at_boot", s->requeued);
	pk_kv_int(pk, "unclean_previous_pid", s->prev_pid);
	pk_kv_int(pk, "schedule_passes", s->ticks);
	pk_kv_int(pk, "schedule_requests", s->tick_requests);
	pk_key(pk, "schedule_cpu_us");
	msgpack_pack_map(pk, 3);
	pk_kv_int(pk, "last", s->tick_us_last);
	pk_kv_int(pk, "max", s->tick_us_max);
	pk_kv_int(pk, "mean", s->ticks > 0 ? s->tick_us_total / s->ticks : 0);
}

static void
cmd_status_users(msgpack_packer *pk)
{
	size_t	 i, agents = 0, creds = 0, login = 0, need = 0;

	for (i = 0; i < sv.users.count; i++) {
		const struct user *u = sv.users.all[i];

		if (strcmp(u->name, "*") == 0)
			continue;
		agents++;
		creds += users_has_creds(u);
		login += u->password != NULL;
		need += u->needs_login;
	}
	msgpack_pack_map(pk, 4);
	pk_kv_int(pk, "known", (int64_t)agents);
	pk_kv_int(pk, "with_credentials", (int64_t)creds);
	pk_kv_int(pk, "logged_in", (int64_t)login);
	pk_kv_int(pk, "needs_login", (int64_t)need);
}

static void
cmd_status_exec(struct client *c, const struct msg_req *req)
{
	struct frame		 f;
	const struct hold	*h;
	int64_t			 counts[JOB_NSTATES], now = now_ms();
	size_t			 i, nholds = 0;
	int			 s;

	(void)state_job_counts(counts);
	TAILQ_FOREACH(h, &sv.holds.list, entry)
		nholds++;
	msg_resp_begin(&f, req->id, 1);
	msgpack_pack_map(&f.pk, 20);
	pk_kv_str(&f.pk, "version", ERPSYNC_VERSION);
	pk_kv_int(&f.pk, "pid", sv.pid);
	pk_kv_int(&f.pk, "started_at", sv.started_ms);
	pk_kv_int(&f.pk, "uptime_s", (mono_ms() - sv.started_mono) / 1000);
	pk_kv_int(&f.pk, "workers", worker_count());
	pk_kv_int(&f.pk, "max_workers", sv.conf->max_workers);
	pk_kv_int(&f.pk, "queued", queue_count(&sv.queue, JOB_QUEUED));
	pk_kv_int(&f.pk, "running", queue_count(&sv.queue, JOB_RUNNING) +
	    queue_count(&sv.queue, JOB_STARTING));
	pk_kv_int(&f.pk, "paused", queue_count(&sv.queue, JOB_PAUSED));
	pk_key(&f.pk, "jobs");
	msgpack_pack_map(&f.pk, JOB_NSTATES);
	for (s = 0; s < JOB_NSTATES; s++)
		pk_kv_int(&f.pk, job_state_name((enum job_state)s), counts[s]);
	pk_key(&f.pk, "holds");
	msgpack_pack_array(&f.pk, nholds);
	TAILQ_FOREACH(h, &sv.holds.list, entry)
		cmd_pack_hold(&f.pk, h, now);
	pk_key(&f.pk, "users");
	cmd_status_users(&f.pk);
	pk_key(&f.pk, "counters");
	cmd_status_stats(&f.pk);
	pk_key(&f.pk, "events");
	msgpack_pack_array(&f.pk, sv.nnotes);
	for (i = 0; i < sv.nnotes; i++) {
		msgpack_pack_map(&f.pk, 2);
		pk_kv_int(&f.pk, "ts", sv.notes[i].ts_ms);
		pk_kv_str(&f.pk, "msg", sv.notes[i].msg);
	}
	pk_kv_str(&f.pk, "data_dir", sv.conf->data_dir);
	pk_kv_str(&f.pk, "state_dir", sv.conf->state_dir);
	pk_kv_str(&f.pk, "socket", sv.conf->socket);
	pk_kv_str(&f.pk, "metrics", httpd_url());
	pk_kv_str(&f.pk, "config", sv.conf->path);
	pk_kv_bool(&f.pk, "stopping", sv.stopping);
	(void)client_send(c, &f);
}

const struct sv_cmd cmd_status_entry = {
	"status", cmd_status_args, cmd_status_exec, 0
};
