/*
 * session.c — ASP.NET sessions: an id in the ASP.NET_SessionId cookie, the
 * login hidden values last issued to it, the logged-in user with the
 * .ASPXAUTH token, idle expiry, and the grid state of every view.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "tests/erpsim/erpsim.h"

static struct sessionbucket *
bucket(const char *id)
{
	return &sim.buckets[hash_str(id, strlen(id)) % SESSION_BUCKETS];
}

static struct session *
lookup(const char *id)
{
	struct session	*s;

	LIST_FOREACH(s, bucket(id), hlink)
		if (strcmp(s->id, id) == 0)
			return s;
	return NULL;
}

static int
idle(const struct session *s, int64_t now)
{
	return sim.conf.session_idle > 0 &&
	    now - s->last_ms > (int64_t)sim.conf.session_idle * 1000;
}

/* Forget a session and its grid states. */
void
session_drop(struct session *s)
{
	int	 k;

	LIST_REMOVE(s, hlink);
	TAILQ_REMOVE(&sim.sessions, s, link);
	for (k = 0; k < K_COUNT; k++)
		view_free(&s->grid[k]);
	free(s);
	sim.nsessions--;
}

/* A new anonymous session with a fresh 24-letter id (ASP.NET style). */
struct session *
session_new(void)
{
	static const char	 alpha[] = "abcdefghijklmnopqrstuvwxyz012345";
	struct session		*s = xcalloc(1, sizeof(*s));
	int			 i;

	do {
		for (i = 0; i < 24; i++)
			s->id[i] = alpha[rng_below(&sim.rt, 32)];
		s->id[24] = '\0';
	} while (lookup(s->id) != NULL);
	s->user = -1;
	s->last_ms = mono_ms();
	s->salt = rng_next(&sim.rt);
	LIST_INSERT_HEAD(bucket(s->id), s, hlink);
	TAILQ_INSERT_TAIL(&sim.sessions, s, link);
	sim.nsessions++;
	return s;
}

/* The live session with that id; an idle one is dropped and not found. */
struct session *
session_find(const char *id)
{
	struct session	*s = lookup(id);

	if (s != NULL && idle(s, mono_ms())) {
		if (s->user >= 0)
			sim.stats.f_idle++;
		session_drop(s);
		return NULL;
	}
	return s;
}

/* Copy the value of cookie name from the request's Cookie headers. */
int
cookie_get(struct evhttp_request *req, const char *name, char *out,
    size_t len)
{
	struct evkeyvalq	*h = evhttp_request_get_input_headers(req);
	struct evkeyval		*kv;
	const char		*p, *eq, *end;
	size_t			 nlen = strlen(name);

	TAILQ_FOREACH(kv, h, next) {
		if (strcasecmp(kv->key, "Cookie") != 0)
			continue;
		for (p = kv->value; *p != '\0'; p = *end ? end + 1 : end) {
			while (*p == ' ' || *p == '\t')
				p++;
			if ((end = strchr(p, ';')) == NULL)
				end = p + strlen(p);
			eq = memchr(p, '=', (size_t)(end - p));
			if (eq == NULL || (size_t)(eq - p) != nlen ||
			    strncmp(p, name, nlen) != 0)
				continue;
			if ((size_t)(end - eq - 1) >= len)
				return -1;
			memcpy(out, eq + 1, (size_t)(end - eq - 1));
			out[end - eq - 1] = '\0';
			return 0;
		}
	}
	return -1;
}

/* The session named by the request's cookie; touch marks it used now. */
struct session *
session_from_request(struct evhttp_request *req, int touch)
{
	struct session	*s;
	char		 id[64];

	if (cookie_get(req, "ASP.NET_SessionId", id, sizeof(id)) == -1)
		return NULL;
	if ((s = session_find(id)) != NULL && touch)
		s->last_ms = mono_ms();
	return s;
}

/* Drop every idle session (run from a timer). */
void
session_sweep(void)
{
	struct session	*s, *next;
	int64_t		 now = mono_ms();

	for (s = TAILQ_FIRST(&sim.sessions); s != NULL; s = next) {
		next = TAILQ_NEXT(s, link);
		if (idle(s, now)) {
			if (s->user >= 0)
				sim.stats.f_idle++;
			session_drop(s);
		}
	}
}

/* Logged-in sessions of user, not counting except. */
int
session_count_user(int user, const struct session *except)
{
	struct session	*s;
	int		 n = 0;

	session_sweep();
	TAILQ_FOREACH(s, &sim.sessions, link)
		if (s->user == user && s != except)
			n++;
	return n;
}

/* A (re)login starts every view afresh, in a new "own order". */
void
session_reset_grids(struct session *s)
{
	int	 k;

	for (k = 0; k < K_COUNT; k++)
		view_free(&s->grid[k]);
	s->salt = rng_next(&sim.rt);
	s->nreq = 0;
}

/* Drop every session (at exit). */
void
session_free_all(void)
{
	struct session	*s;

	while ((s = TAILQ_FIRST(&sim.sessions)) != NULL)
		session_drop(s);
}
