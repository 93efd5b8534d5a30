/*
 * listview.c — {base}/{VIEW}/: GET answers the full page, a POST callback
 * (__CALLBACKID = the grid id, __CALLBACKPARAM = a command) answers the
 * grid control alone. This is where filter resets, stale answers and error
 * pages happen and where served pages are counted for stats and --churn.
 */
#include <string.h>

#include "tests/erpsim/erpsim.h"

static void
served(struct ctx *c, struct session *s)
{
	if (c->fault != F_NONE)
		return;
	sim.users[s->user].grid_requests++;
	sim.grid_served++;
	if (c->post)
		sim.stats.callbacks++;
	else
		sim.stats.pages++;
	if (sim.conf.churn > 0 && sim.grid_served % sim.conf.churn == 0)
		mutate_churn();
}

/*
 * The page a stale answer to a navigation shows, or -1 when the answer
 * is not stale. Offered, in its own counter, every navigation that no
 * fault of the schedule took, of a grid of two pages or more. A stale
 * answer shows the page the session was on before (the command was
 * carried out all the same), or, when that is the page asked for, the one
 * before it (after it on page 0): always visibly another page.
 */
static int
stale_page(struct ctx *c, struct session *s, enum kind k, int before)
{
	struct gridstate	*g = view_state(s, k);
	int			 pages;

	if (c->fault != F_NONE)
		return -1;
	view_prepare(s, k);	/* a reset may have changed the page count */
	if ((pages = view_pages(g)) < 2 || !fault_callback_roll(F_STALE))
		return -1;
	sim.stats.f_stale++;
	sim.stats.f_kind[F_STALE][A_CALLBACK]++;
	if (before >= pages)
		before = pages - 1;
	if (before != g->page)
		return before;
	return g->page > 0 ? g->page - 1 : 1;
}

/*
 * Does this navigation fail inside the server, before it is carried out?
 * Offered, in its own counter, every navigation that no fault of the
 * schedule took and that is not stale. The grid state goes back to what it
 * was (a reset drawn for the navigation goes with it) and the answer is
 * ASP.NET's error page, whole, with status 200, and no grid in it.
 */
static int
error_page(struct ctx *c, struct gridstate *g, const struct gridstate *saved)
{
	uint32_t	*idx = g->idx;
	size_t		 cap = g->cap;

	if (c->fault != F_NONE || !fault_callback_roll(F_ERRORPAGE))
		return 0;
	*g = *saved;
	g->idx = idx;		/* the cache is still g's: rebuilt when next used */
	g->cap = cap;
	g->dirty = 1;
	c->fault = F_ERRORPAGE;	/* counted when sent (reply.c) */
	buf_reset(reply_body(c->rep));
	page_exception(reply_body(c->rep));
	reply_send(c->rep, 200, c->fault);
	return 1;
}

static void
callback(struct ctx *c, struct session *s, enum kind k)
{
	const char		*id = form_get(&c->body, "__CALLBACKID");
	const char		*param = form_get(&c->body, "__CALLBACKPARAM");
	struct gridstate	*g, saved;
	int			 nav, rc, now, shown = -1, reset = 0;

	if (id == NULL || param == NULL ||
	    strcmp(id, sim.layout.v[k].grid) != 0) {
		sim.stats.bad_commands++;
		reply_error(c, 500, "Callback non valido.");
		return;
	}
	/* Decide validity even when the effect is then thrown away. */
	view_prepare(s, k);
	g = view_state(s, k);
	saved = *g;
	rc = view_command(s, k, param, &nav);
	if (rc == -1) {
		sim.stats.bad_commands++;
		reply_error(c, 500, "Comando della griglia non riconosciuto.");
		return;
	}
	if (!c->apply)
		*g = saved;
	else if (nav && views[k].nfilters > 0 &&
	    g->filter != views[k].deffilter && fault_callback_roll(F_RESET)) {
		/* The production bug: back to the default filter, silently. */
		g->filter = views[k].deffilter;
		g->dirty = 1;
		reset = 1;
	}
	if (nav && c->apply)
		shown = stale_page(c, s, k, saved.page);
	if (nav && shown < 0 && error_page(c, g, &saved))
		return;
	if (reset) {
		sim.stats.f_reset++;
		sim.stats.f_kind[F_RESET][A_CALLBACK]++;
	}
	now = g->page;
	if (shown >= 0)
		g->page = shown;	/* rendered as it was, then moved on */
	render_grid(reply_body(c->rep), s, k);
	shown = g->page;
	g->page = now;
	served(c, s);
	if (nav && c->apply && gate_catch(c->rep, s->user, shown, 200,
	    c->fault))
		return;
	reply_send(c->rep, 200, c->fault);
}

/* Serve list view k: the page (GET) or a grid callback (POST). */
void
erp_listview(struct ctx *c, enum kind k)
{
	struct session	*s;

	if ((s = erp_auth(c)) == NULL)
		return;
	if (c->post) {
		callback(c, s, k);
		return;
	}
	page_view(reply_body(c->rep), s, k);
	served(c, s);
	reply_send(c->rep, 200, c->fault);
}
