/*
 * sessions.c — ERP sessions are a shared, limited resource (design.md §5).
 * Each worker tells us the sessions it has logged in (their cookies) and
 * out. When a worker dies without logging out, its sessions would stay
 * taken on the ERP for its idle timeout (20 minutes on real ones) and lock
 * the user out; instead they wait here, in memory only, and the next job of
 * that ERP user gets their cookies and logs them out before logging in.
 * Cookies are secrets: never logged, never on disk, wiped when freed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "supervisor/supervisor.h"

#define ORPHANS_PER_USER	16	/* keep the newest ones */

static struct erp_sessq	 orphans = TAILQ_HEAD_INITIALIZER(orphans);

static void
sess_free(struct erp_sess *es)
{
	explicit_bzero(es->cookies, strlen(es->cookies));
	free(es->cookies);
	free(es);
}

/* An open or close from worker w; -1 with err when the frame is bad. */
int
sessions_update(struct worker *w, const struct msg_session *m, char *err,
    size_t errlen)
{
	struct erp_sess	*es;
	int		 open = strcmp(m->op, "open") == 0;

	if (!open && strcmp(m->op, "close") != 0) {
		snprintf(err, errlen, "session op \"%s\" is not open or close",
		    m->op);
		return -1;
	}
	if (m->slot < 0 || m->slot > 1023) {
		snprintf(err, errlen, "session slot %lld out of range",
		    (long long)m->slot);
		return -1;
	}
	TAILQ_FOREACH(es, &w->sessions, entry)
		if (es->slot == m->slot)
			break;
	if (es != NULL) {
		TAILQ_REMOVE(&w->sessions, es, entry);
		sess_free(es);
	}
	if (open && m->cookies[0] != '\0') {
		es = xcalloc(1, sizeof *es);
		es->slot = m->slot;
		snprintf(es->erp_user, sizeof es->erp_user, "%s",
		    w->job->erp_user);
		es->cookies = xstrdup(m->cookies);
		TAILQ_INSERT_TAIL(&w->sessions, es, entry);
	}
	return 0;
}

/* How many orphans of erp_user there are. */
static size_t
orphans_of(const char *erp_user)
{
	struct erp_sess	*es;
	size_t		 n = 0;

	TAILQ_FOREACH(es, &orphans, entry)
		n += strcmp(es->erp_user, erp_user) == 0;
	return n;
}

/* Worker w is gone: the sessions it did not log out wait for the next job. */
void
sessions_orphan(struct worker *w)
{
	struct erp_sess	*es, *old;
	const struct job *j = w->job;
	size_t		 n = 0;

	while ((es = TAILQ_FIRST(&w->sessions)) != NULL) {
		TAILQ_REMOVE(&w->sessions, es, entry);
		if (orphans_of(es->erp_user) >= ORPHANS_PER_USER) {
			TAILQ_FOREACH(old, &orphans, entry)
				if (strcmp(old->erp_user, es->erp_user) == 0)
					break;
			TAILQ_REMOVE(&orphans, old, entry);
			sess_free(old);
		}
		TAILQ_INSERT_TAIL(&orphans, es, entry);
		n++;
	}
	if (n > 0)
		log_emit(LOG_INFO, j->id, j->scope, kind_name(j->kind),
		    "worker pid %d left %zu ERP session%s of %s open; the next "
		    "job of %s logs %s out", (int)w->pid, n, n == 1 ? "" : "s",
		    j->erp_user, j->erp_user, n == 1 ? "it" : "them");
}

/*
 * Hand erp_user's orphans to a job about to start: their cookie lines,
 * sessions separated by an empty line, into out. Returns how many; those
 * that do not fit stay for the next job.
 */
size_t
sessions_take(const char *erp_user, char *out, size_t len)
{
	struct erp_sess	*es, *next;
	size_t		 used = 0, n = 0, need;

	if (len > 0)
		out[0] = '\0';
	TAILQ_FOREACH_SAFE(es, &orphans, entry, next) {
		if (strcmp(es->erp_user, erp_user) != 0)
			continue;
		need = strlen(es->cookies) + 2;
		if (used + need + 1 > len)
			break;
		used += (size_t)snprintf(out + used, len - used, "%s%s\n",
		    es->cookies, es->cookies[strlen(es->cookies) - 1] == '\n' ?
		    "" : "\n");
		TAILQ_REMOVE(&orphans, es, entry);
		sess_free(es);
		n++;
	}
	return n;
}

/* Forget a worker's sessions (it logged them out, or we exit). */
void
sessions_clear(struct erp_sessq *q)
{
	struct erp_sess	*es;

	while ((es = TAILQ_FIRST(q)) != NULL) {
		TAILQ_REMOVE(q, es, entry);
		sess_free(es);
	}
}
