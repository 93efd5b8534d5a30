/*
 * cmd-users.c — `users {user, offset, limit}`: the users erpsyncd knows,
 * by name, with where their credentials come from, whether they need a
 * login, and per kind: last full and delta success, last attempt, failures,
 * last error, when the schedule next wants it and the job queued or running.
 * Shared kinds are listed under the user "*". Paged: 10,000 agents do not
 * fit in one frame.
 */
#include <stdlib.h>
#include <string.h>

#include "supervisor/supervisor.h"

#define USERS_LIMIT_DEFAULT	500
#define USERS_LIMIT_MAX		1000

static const char *cmd_users_args[] = { "user", "offset", "limit", NULL };

static int
cmd_users_cmp(const void *a, const void *b)
{
	const struct user	*ua = *(const struct user * const *)a;
	const struct user	*ub = *(const struct user * const *)b;

	return strcmp(ua->name, ub->name);
}

/* Listed: the "*" pseudo-user, and users with credentials or history. */
static int
cmd_users_listed(const struct user *u)
{
	int	 k;

	if (strcmp(u->name, "*") == 0 || users_has_creds(u) || u->needs_login)
		return 1;
	for (k = 0; k < KIND_COUNT; k++)
		if (u->k[k].last_attempt != 0)
			return 1;
	return 0;
}

static void
cmd_users_kind(msgpack_packer *pk, const struct user *u, enum kind k,
    int64_t now)
{
	const struct fresh	*f = &u->k[k];
	struct job		*j;
	struct due		 d;

	j = queue_find_scope(&sv.queue, k, u->name, 1);
	if (j == NULL)
		j = queue_find_scope(&sv.queue, k, u->name, 0);
	(void)sched_scope_due(&sv.pol, f, k, u->name, now, &d);
	msgpack_pack_map(pk, 13);
	pk_kv_str(pk, "kind", kind_name(k));
	pk_kv_int(pk, "last_full_ok", f->last_full_ok);
	pk_kv_int(pk, "last_delta_ok", f->last_delta_ok);
	pk_kv_int(pk, "last_ok", fresh_last_ok(f));
	pk_kv_int(pk, "age_s", fresh_last_ok(f) != 0 ?
	    (now - fresh_last_ok(f)) / 1000 : -1);
	pk_kv_int(pk, "last_attempt", f->last_attempt);
	pk_kv_int(pk, "failures", f->failures);
	pk_kv_str(pk, "last_error", f->last_error != NULL ? f->last_error : "");
	pk_kv_bool(pk, "poisoned", f->poisoned);
	pk_kv_int(pk, "next_due", f->first_seen != 0 ? d.at : -1);
	pk_kv_str(pk, "next_trigger", job_trigger_name(d.trigger));
	pk_kv_int(pk, "job", j != NULL ? j->id : 0);
	pk_kv_str(pk, "job_state", j != NULL ? job_state_name(j->state) : "");
}

static void
cmd_users_one(msgpack_packer *pk, const struct user *u, int64_t now)
{
	int	 shared = strcmp(u->name, "*") == 0;
	int	 k, n = 0;

	msgpack_pack_map(pk, 5);
	pk_kv_str(pk, "user", u->name);
	pk_kv_str(pk, "credentials", shared ? sv.conf->system_user :
	    u->password != NULL && u->file_creds ? "file+login" :
	    u->password != NULL ? "login" : u->file_creds ? "file" : "none");
	pk_kv_bool(pk, "needs_login", u->needs_login);
	pk_kv_bool(pk, "system_user", strcmp(u->name,
	    sv.conf->system_user) == 0);
	pk_key(pk, "kinds");
	for (k = 0; k < KIND_COUNT; k++)
		n += kind_per_user((enum kind)k) != shared;
	if (strcmp(u->name, sv.conf->system_user) == 0)
		n = 0;
	msgpack_pack_array(pk, (size_t)n);
	for (k = 0; k < KIND_COUNT && n > 0; k++)
		if (kind_per_user((enum kind)k) != shared)
			cmd_users_kind(pk, u, (enum kind)k, now);
}

static void
cmd_users_exec(struct client *c, const struct msg_req *req)
{
	struct user	**list;
	struct frame	 f;
	int64_t		 offset = 0, limit = USERS_LIMIT_DEFAULT, now = now_ms();
	size_t		 i, n = 0, first, count;
	char		 user[USER_ID_MAX + 2];
	const struct cmd_arg args[] = {
		{ "user", ARG_STR, user, sizeof user, 0 },
		{ "offset", ARG_INT, &offset, 0, 0 },
		{ "limit", ARG_INT, &limit, 0, 0 },
	};

	if (cmd_args(c, req, args, nitems(args)) == -1)
		return;
	if (msg_get(req->args, "limit") == NULL)
		limit = USERS_LIMIT_DEFAULT;
	if (offset < 0 || limit < 0 || limit > USERS_LIMIT_MAX) {
		cmd_error(c, req, "users: limit must be 0..%d, offset >= 0",
		    USERS_LIMIT_MAX);
		return;
	}
	list = xreallocarray(NULL, sv.users.count + 1, sizeof *list);
	for (i = 0; i < sv.users.count; i++) {
		if (!cmd_users_listed(sv.users.all[i]))
			continue;
		if (user[0] != '\0' && strcmp(user, sv.users.all[i]->name))
			continue;
		list[n++] = sv.users.all[i];
	}
	qsort(list, n, sizeof *list, cmd_users_cmp);
	first = (size_t)offset < n ? (size_t)offset : n;
	count = n - first < (size_t)limit ? n - first : (size_t)limit;

	msg_resp_begin(&f, req->id, 1);
	msgpack_pack_map(&f.pk, 4);
	pk_kv_int(&f.pk, "total", (int64_t)n);
	pk_kv_int(&f.pk, "offset", (int64_t)first);
	pk_kv_int(&f.pk, "now", now);
	pk_key(&f.pk, "users");
	msgpack_pack_array(&f.pk, count);
	for (i = first; i < first + count; i++)
		cmd_users_one(&f.pk, list[i], now);
	(void)client_send(c, &f);
	free(list);
}

const struct sv_cmd cmd_users_entry = {
	"users", cmd_users_args, cmd_users_exec, 0
};
