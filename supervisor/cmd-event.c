/*
 * cmd-event.c — `event {type, user, password, cache_age, kind}`: what the
 * application tells erpsyncd about its users (design §5 triggers).
 *  - login: keeps a password if one is given (memory only; it clears a
 *    needs-login mark), then syncs the user's customers and orders older
 *    than login_after;
 *  - logout: forgets that password; without credentials left, the user's
 *    queued jobs are cancelled;
 *  - reconnect: like login with reconnect_after, or when the client's cache
 *    is older than that;
 *  - access: one kind, when older than access_after.
 * The answer lists, per kind, what became of the request and why.
 */
#include <stdio.h>
#include <string.h>

#include "supervisor/supervisor.h"

static const char *cmd_event_args[] = {
	"type", "user", "password", "cache_age", "kind", NULL
};

static const struct {
	const char		*name;
	enum job_trigger	 trigger;
} event_types[] = {
	{ "login", TRIG_LOGIN },
	{ "logout", TRIG_LOGIN },
	{ "reconnect", TRIG_RECONNECT },
	{ "access", TRIG_ACCESS },
};

/* Forget a login password; cancel queued jobs left without credentials. */
static int
cmd_event_logout(struct user *u, int64_t *cancelled)
{
	struct job	*j;
	int		 k, n = 0;

	users_set_password(u, NULL);
	if (users_has_creds(u))
		return 0;
	for (k = 0; k < KIND_COUNT; k++) {
		if (!kind_per_user((enum kind)k) || (j = queue_find_scope(
		    &sv.queue, (enum kind)k, u->name, 0)) == NULL)
			continue;
		cancelled[n++] = j->id;
		job_set_error(j, ERR_NONE, "%s logged out and has no credentials in "
		    "the credentials file", u->name);
		job_set_state(j, JOB_CANCELLED, now_ms());
	}
	return n;
}

static void
cmd_event_reply(struct client *c, const struct msg_req *req,
    const char *type, const struct user *u, const struct trig_result *res,
    int nres, const int64_t *cancelled, int ncancelled)
{
	struct frame	 f;
	int		 i;

	msg_resp_begin(&f, req->id, 1);
	msgpack_pack_map(&f.pk, 6);
	pk_kv_str(&f.pk, "event", type);
	pk_kv_str(&f.pk, "user", u->name);
	pk_kv_bool(&f.pk, "credentials", users_has_creds(u));
	pk_kv_bool(&f.pk, "needs_login", u->needs_login);
	pk_key(&f.pk, "results");
	msgpack_pack_array(&f.pk, (size_t)nres);
	for (i = 0; i < nres; i++)
		cmd_pack_result(&f.pk, &res[i]);
	pk_key(&f.pk, "cancelled");
	msgpack_pack_array(&f.pk, (size_t)ncancelled);
	for (i = 0; i < ncancelled; i++)
		msgpack_pack_int64(&f.pk, cancelled[i]);
	(void)client_send(c, &f);
}

static void
cmd_event_exec(struct client *c, const struct msg_req *req)
{
	struct trig_result	 res[KIND_COUNT];
	struct user		*u;
	enum kind		 k = KIND_CUSTOMERS;
	int64_t			 cache_age = 0, cancelled[KIND_COUNT];
	size_t			 t;
	char			 type[16], user[USER_ID_MAX + 2], kind[16];
	char			 pw[256];
	int			 nres = 0, ncancel = 0;
	const struct cmd_arg	 args[] = {
		{ "type", ARG_STR, type, sizeof type, 1 },
		{ "user", ARG_STR, user, sizeof user, 1 },
		{ "kind", ARG_STR, kind, sizeof kind, 0 },
		{ "cache_age", ARG_INT, &cache_age, 0, 0 },
		{ "password", ARG_STR, pw, sizeof pw, 0 },
	};

	pw[0] = '\0';
	if (cmd_args(c, req, args, nitems(args)) == -1) {
		explicit_bzero(pw, sizeof pw);
		return;
	}
	for (t = 0; t < nitems(event_types); t++)
		if (strcmp(type, event_types[t].name) == 0)
			break;
	if (t == nitems(event_types) || !user_id_valid(user) ||
	    (t == 3 && kind_parse(kind, &k) == -1) ||
	    (t != 3 && kind[0] != '\0') || (t != 0 && pw[0] != '\0') ||
	    (t != 2 && cache_age != 0) || cache_age < 0) {
		explicit_bzero(pw, sizeof pw);
		cmd_error(c, req, "event: want login|logout|reconnect|access, "
		    "a valid user id, a kind (customers, orders, products, "
		    "prices) for access only, a password for login only, "
		    "cache_age for reconnect only");
		return;
	}
	if (sv.stopping) {
		explicit_bzero(pw, sizeof pw);
		cmd_error(c, req, "event: erpsyncd is stopping");
		return;
	}
	u = users_get(&sv.users, user);
	if (t == 1)
		ncancel = cmd_event_logout(u, cancelled);
	else {
		if (pw[0] != '\0') {
			users_set_password(u, pw);
			if (u->needs_login) {
				u->needs_login = 0;
				(void)state_user_flush(u);
			}
			log_emit(LOG_INFO, 0, u->name, NULL, "login event "
			    "brought a password (kept in memory only)");
			sv_sched_kick();
		}
		nres = trigger_event(&sv.pol, event_types[t].trigger, user,
		    (int)k, cache_age, now_ms(), res);
	}
	explicit_bzero(pw, sizeof pw);
	log_emit(LOG_INFO, 0, u->name, NULL, "event %s", type);
	cmd_event_reply(c, req, type, u, res, nres, cancelled, ncancel);
}

const struct sv_cmd cmd_event_entry = {
	"event", cmd_event_args, cmd_event_exec, 1
};
