/*
 * cmd-status.c — `status`: the daemon, its workers, queue and job history.
 */
#include <string.h>

#include "supervisor/supervisor.h"

static const char *cmd_status_args[] = { NULL };

static void
cmd_status_exec(struct client *c, const struct msg_req *req)
{
	struct frame	 f;
	int64_t		 counts[JOB_NSTATES];
	int		 s;

	(void)state_job_counts(counts);
	msg_resp_begin(&f, req->id, 1);
	msgpack_pack_map(&f.pk, 13);
	pk_kv_str(&f.pk, "version", ERPSYNC_VERSION);
	pk_kv_int(&f.pk, "pid", sv.pid);
	pk_kv_int(&f.pk, "started_at", sv.started_ms);
	pk_kv_int(&f.pk, "uptime_s", (mono_ms() - sv.started_mono) / 1000);
	pk_kv_int(&f.pk, "workers", worker_count());
	pk_kv_int(&f.pk, "max_workers", sv.conf->max_workers);
	pk_kv_int(&f.pk, "queued", queue_count(&sv.queue, JOB_QUEUED));
	pk_key(&f.pk, "jobs");
	msgpack_pack_map(&f.pk, JOB_NSTATES);
	for (s = 0; s < JOB_NSTATES; s++)
		pk_kv_int(&f.pk, job_state_name((enum job_state)s), counts[s]);
	pk_kv_str(&f.pk, "data_dir", sv.conf->data_dir);
	pk_kv_str(&f.pk, "state_dir", sv.conf->state_dir);
	pk_kv_str(&f.pk, "socket", sv.conf->socket);
	pk_kv_str(&f.pk, "config", sv.conf->path);
	pk_kv_bool(&f.pk, "stopping", sv.stopping);
	(void)client_send(c, &f);
}

const struct sv_cmd cmd_status_entry = {
	"status", cmd_status_args, cmd_status_exec
};
