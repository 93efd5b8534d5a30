/*
 * state-fresh.c — freshness per (user, kind) and the users' needs-login
 * flag in state.db: loaded into the users table at boot, and the rows the
 * policy marked dirty written back.
 */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "supervisor/supervisor.h"

/*
 * Load freshness and login flags into u. A needs-login flag set before the
 * credentials file was last changed (creds_mtime_ms) is dropped: the file
 * may hold the new password.
 */
int
state_fresh_load(struct users *u, int64_t creds_mtime_ms)
{
	sqlite3_stmt	*st;
	struct fresh	*f;
	struct user	*e;
	enum kind	 k;
	char		 user[USER_ID_MAX + 1], kind[16], err[600];

	if ((st = state_prepare("SELECT user, kind, first_seen, last_full_ok, "
	    "last_delta_ok, last_attempt, failures, last_error FROM "
	    "freshness")) == NULL)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		state_col_text(st, 0, user, sizeof user);
		state_col_text(st, 1, kind, sizeof kind);
		if (kind_parse(kind, &k) == -1 || (strcmp(user, "*") != 0 &&
		    !user_id_valid(user)))
			continue;
		f = users_fresh(u, k, user);
		f->first_seen = sqlite3_column_int64(st, 2);
		f->last_full_ok = sqlite3_column_int64(st, 3);
		f->last_delta_ok = sqlite3_column_int64(st, 4);
		f->last_attempt = sqlite3_column_int64(st, 5);
		f->failures = sqlite3_column_int(st, 6);
		state_col_text(st, 7, err, sizeof err);
		fresh_set_error(f, err);
	}
	sqlite3_finalize(st);
	if ((st = state_prepare("SELECT user, needs_login, updated_at FROM "
	    "users WHERE needs_login != 0")) == NULL)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		state_col_text(st, 0, user, sizeof user);
		if (!user_id_valid(user))
			continue;
		e = users_get(u, user);
		e->needs_login = sqlite3_column_int64(st, 2) >= creds_mtime_ms;
		e->dirty = !e->needs_login;
	}
	sqlite3_finalize(st);
	return 0;
}

static int
state_fresh_save(const char *user, enum kind k, const struct fresh *f)
{
	sqlite3_stmt	*st;

	if ((st = state_prepare("INSERT OR REPLACE INTO freshness (user, kind, "
	    "first_seen, last_full_ok, last_delta_ok, last_attempt, failures, "
	    "last_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) == NULL)
		return -1;
	state_bind_text(st, 1, user);
	state_bind_text(st, 2, kind_name(k));
	state_bind_time(st, 3, f->first_seen);
	state_bind_time(st, 4, f->last_full_ok);
	state_bind_time(st, 5, f->last_delta_ok);
	state_bind_time(st, 6, f->last_attempt);
	sqlite3_bind_int(st, 7, f->failures);
	state_bind_text(st, 8, f->last_error);
	return state_step(st);
}

/* Save a user's login flag (never its password). */
int
state_user_flush(struct user *e)
{
	sqlite3_stmt	*st;

	if ((st = state_prepare("INSERT INTO users (user, needs_login, "
	    "updated_at) VALUES (?1, ?2, ?3) ON CONFLICT (user) DO UPDATE "
	    "SET needs_login = ?2, updated_at = ?3")) == NULL)
		return -1;
	state_bind_text(st, 1, e->name);
	sqlite3_bind_int(st, 2, e->needs_login);
	sqlite3_bind_int64(st, 3, now_ms());
	e->dirty = 0;
	return state_step(st);
}

/* Write every dirty freshness row and user flag; wrap in state_begin(). */
int
state_fresh_flush(struct users *u)
{
	struct user	*e;
	size_t		 i;
	int		 k, rc = 0;

	for (i = 0; i < u->count; i++) {
		e = u->all[i];
		if (e->dirty && strcmp(e->name, "*") != 0 &&
		    state_user_flush(e) == -1)
			rc = -1;
		for (k = 0; k < KIND_COUNT; k++) {
			if (!e->k[k].dirty)
				continue;
			e->k[k].dirty = 0;
			if (state_fresh_save(e->name, (enum kind)k,
			    &e->k[k]) == -1)
				rc = -1;
		}
	}
	return rc;
}
