/*
 * users.c — the users erpsyncd knows and the freshness of each (kind, scope)
 * (design §4, §5), in memory: a hash by name plus a list in creation order.
 * Pure: no I/O. The user "*" holds the shared kinds (products, prices).
 * Changes set `dirty`; the server saves dirty rows to state.db.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "supervisor/supervisor.h"

static uint64_t
users_hash(const char *s)
{
	uint64_t	 h = 1469598103934665603ULL;

	while (*s != '\0') {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return h;
}

/* An empty table. */
void
users_init(struct users *u)
{
	memset(u, 0, sizeof *u);
}

static void
fresh_free(struct fresh *f)
{
	free(f->last_error);
	free(f->crashes);
	memset(f, 0, sizeof *f);
}

/* Free every user, zeroing the passwords they hold. */
void
users_clear(struct users *u)
{
	size_t	 i;
	int	 k;

	for (i = 0; i < u->count; i++) {
		users_set_password(u->all[i], NULL);
		for (k = 0; k < KIND_COUNT; k++)
			fresh_free(&u->all[i]->k[k]);
		free(u->all[i]);
	}
	free(u->all);
	free(u->buckets);
	memset(u, 0, sizeof *u);
}

/* The user called name, or NULL. */
struct user *
users_find(const struct users *u, const char *name)
{
	struct user	*e;

	if (u->nbuckets == 0)
		return NULL;
	for (e = u->buckets[users_hash(name) % u->nbuckets]; e != NULL;
	    e = e->hnext)
		if (strcmp(e->name, name) == 0)
			return e;
	return NULL;
}

static void
users_grow(struct users *u)
{
	size_t	 i, n = u->nbuckets == 0 ? 64 : u->nbuckets * 2;
	struct user **b, *e;

	b = xcalloc(n, sizeof *b);
	for (i = 0; i < u->count; i++) {
		e = u->all[i];
		e->hnext = b[users_hash(e->name) % n];
		b[users_hash(e->name) % n] = e;
	}
	free(u->buckets);
	u->buckets = b;
	u->nbuckets = n;
}

/* The user called name, created (knowing nothing) when missing. */
struct user *
users_get(struct users *u, const char *name)
{
	struct user	*e;
	size_t		 h;

	if ((e = users_find(u, name)) != NULL)
		return e;
	if (u->count + 1 > u->nbuckets)
		users_grow(u);
	if (u->count == u->cap) {
		u->cap = u->cap == 0 ? 64 : u->cap * 2;
		u->all = xreallocarray(u->all, u->cap, sizeof *u->all);
	}
	e = xcalloc(1, sizeof *e);
	snprintf(e->name, sizeof e->name, "%s", name);
	h = users_hash(name) % u->nbuckets;
	e->hnext = u->buckets[h];
	u->buckets[h] = e;
	u->all[u->count++] = e;
	return e;
}

/* The freshness of (kind, scope), created when missing. */
struct fresh *
users_fresh(struct users *u, enum kind k, const char *scope)
{
	return &users_get(u, scope)->k[k];
}

/* The freshness of (kind, scope), or NULL when nothing is known. */
const struct fresh *
users_fresh_find(const struct users *u, enum kind k, const char *scope)
{
	const struct user	*e;

	if ((e = users_find(u, scope)) == NULL)
		return NULL;
	return &e->k[k];
}

/* The last success of any mode, 0 for never. */
int64_t
fresh_last_ok(const struct fresh *f)
{
	if (f == NULL)
		return 0;
	return f->last_full_ok > f->last_delta_ok ? f->last_full_ok :
	    f->last_delta_ok;
}

/* Set (or clear, with NULL) the last error. */
void
fresh_set_error(struct fresh *f, const char *msg)
{
	free(f->last_error);
	f->last_error = msg != NULL && *msg != '\0' ? xstrdup(msg) : NULL;
}

/* Has (kind, scope) ever had a full run succeed? */
int
users_first_done(const struct users *u, enum kind k, const char *scope)
{
	const struct fresh	*f = users_fresh_find(u, k, scope);

	return f != NULL && f->last_full_ok != 0;
}

/* Keep a password given at login (copied), or forget it (NULL). */
void
users_set_password(struct user *e, const char *pw)
{
	if (e->password != NULL) {
		explicit_bzero(e->password, strlen(e->password));
		free(e->password);
	}
	e->password = pw != NULL ? xstrdup(pw) : NULL;
}

/* Can the user log in to the ERP (a password from login or the file)? */
int
users_has_creds(const struct user *e)
{
	return e != NULL && (e->password != NULL || e->file_creds);
}

/*
 * Mark who is in the credentials file of c. A user whose password changed
 * since old (or who is new) no longer needs a login, and every poisoned
 * scope gets another chance. Returns how many users the file lists.
 */
int
users_sync_config(struct users *u, const struct config *c,
    const struct config *old)
{
	struct user	*e;
	const char	*was;
	size_t		 i;
	int		 k;

	for (i = 0; i < u->count; i++) {
		u->all[i]->file_creds = 0;
		for (k = 0; k < KIND_COUNT; k++)
			u->all[i]->k[k].poisoned = 0;
	}
	for (i = 0; i < c->ncreds; i++) {
		e = users_get(u, c->creds[i].user);
		e->file_creds = 1;
		was = old != NULL ? config_password(old, e->name) : NULL;
		if (e->needs_login && old != NULL && (was == NULL ||
		    strcmp(was, c->creds[i].password) != 0)) {
			e->needs_login = 0;
			e->dirty = 1;
		}
	}
	return (int)c->ncreds;
}

/* A run ended (done, or failed): freshness and the user's login flag. */
void
users_job_ended(struct users *u, const struct job *j, enum job_state end,
    int64_t now)
{
	struct fresh	*f = users_fresh(u, j->kind, j->scope);
	struct user	*e;
	char		 err[600];

	if (end == JOB_CANCELLED)
		return;
	f->dirty = 1;
	f->last_attempt = now;
	if (end == JOB_DONE) {
		if (j->mode == MODE_FULL)
			f->last_full_ok = now;
		else
			f->last_delta_ok = now;
		f->failures = 0;
		f->poisoned = 0;
		fresh_set_error(f, NULL);
		if ((e = users_find(u, j->erp_user)) != NULL &&
		    e->needs_login) {
			e->needs_login = 0;
			e->dirty = 1;
		}
		return;
	}
	f->failures++;
	snprintf(err, sizeof err, "%s: %s", err_class_name(j->error_class),
	    j->message);
	fresh_set_error(f, err);
	if (j->error_class == ERR_AUTH && j->erp_user[0] != '\0') {
		e = users_get(u, j->erp_user);
		e->needs_login = 1;
		e->dirty = 1;
	}
}
