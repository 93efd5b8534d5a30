/*
 * pages.c — the page phase (design §6 "Full"): K sessions ("slots") at
 * once, each logging in, setting the grid state, then fetching the pages
 * it is given with GB|PN jumps. Pages come back in any order and are
 * written strictly in order, one transaction each, through the one store
 * connection. A slot's life is a state machine (enum slot_state, one
 * slot_set_state() that logs every transition at debug level).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "worker/worker.h"

#define STATE_FIXES	40	/* filter/sort re-applications per job */

static void	 pages_assign(struct pages *);

/* Slot 0 is the session that connected and probed first. */
enum slot_state {
	SL_OFF = 0,	/* not in use (refused by the ERP, paused, done) */
	SL_LOGIN,	/* logging in */
	SL_VIEW,	/* opening the list view */
	SL_SETUP,	/* sending s->setup[step] */
	SL_IDLE,	/* ready for a page */
	SL_FETCH	/* fetching its page */
};

static const char *const slot_state_names[] = {
	[SL_OFF] = "off",
	[SL_LOGIN] = "login",
	[SL_VIEW] = "view",
	[SL_SETUP] = "setup",
	[SL_IDLE] = "idle",
	[SL_FETCH] = "fetch",
};

struct slot {
	struct sync	*s;
	struct pages	*pg;
	struct erp	*erp;
	struct grid	*g;
	struct grid	 own;
	enum slot_state	 state;
	int		 step;
	int64_t		 page;		/* the page it owns, -1 none */
	int		 tries;		/* re-reads of that page */
};

struct pages {
	struct slot	*slot;
	int		 nslots;
	struct grid	*ready;		/* window of fetched pages */
	int		*have;
	int64_t		 window;
	int64_t		 next_write;
	int64_t		 next_assign;
	int64_t		 npages;
	int64_t		*requeue;	/* pages to fetch again */
	int		 nrequeue;
};

/* The one place a slot changes state; every transition is logged. */
static void
slot_set_state(struct slot *sl, enum slot_state to)
{
	if (sl->state == to)
		return;
	if (sl->page >= 0)
		log_debug("session %d: %s -> %s (page %lld)",
		    (int)(sl - sl->pg->slot), slot_state_names[sl->state],
		    slot_state_names[to], (long long)sl->page + 1);
	else
		log_debug("session %d: %s -> %s", (int)(sl - sl->pg->slot),
		    slot_state_names[sl->state], slot_state_names[to]);
	sl->state = to;
}

static void
slot_start_setup(struct sync *s, struct slot *sl, int step)
{
	slot_set_state(sl, SL_SETUP);
	sl->step = step;
	erp_start_callback(sl->erp, s->setup[step], sl->g);
}

static void
slot_start_login(struct slot *sl)
{
	slot_set_state(sl, SL_LOGIN);
	erp_start_login(sl->erp);
}

static void
slot_fetch(struct slot *sl, int64_t page)
{
	char	 cmd[64];

	snprintf(cmd, sizeof cmd, "GB|PN%lld", (long long)page);
	sl->page = page;
	slot_set_state(sl, SL_FETCH);
	erp_start_callback(sl->erp, cmd, sl->g);
}

/* A slot lost its page: someone must fetch it again. */
static void
pages_requeue(struct pages *pg, struct slot *sl)
{
	if (sl->page >= 0)
		pg->requeue[pg->nrequeue++] = sl->page;
	sl->page = -1;
	sl->tries = 0;
}

/* Store a verified page in the window. */
static void
pages_keep(struct pages *pg, struct slot *sl)
{
	int64_t	 i = sl->page % pg->window;

	grid_free(&pg->ready[i]);
	pg->ready[i] = *sl->g;
	memset(sl->g, 0, sizeof *sl->g);
	pg->have[i] = 1;
	sl->page = -1;
	sl->tries = 0;
	slot_set_state(sl, SL_IDLE);
}

/*
 * A slot's flow ended: move it along. -1 when the job must fail (s->err
 * set), 0 otherwise.
 */
static int
slot_advance(struct sync *s, struct pages *pg, struct slot *sl)
{
	struct wk_error	 err;
	const char	*problem;
	char		 why[256];
	int		 rc;

	memset(&err, 0, sizeof err);
	rc = erp_result(sl->erp, &err);
	if (rc == ERP_EXPIRED) {
		if (++s->relogins > s->max_relogins) {
			wk_error_set(&s->err, ERR_ERP, "the ERP ended the session "
			    "%lld times; giving up", (long long)s->relogins - 1);
			return -1;
		}
		log_info("session %d expired; logging in again",
		    (int)(sl - pg->slot));
		pages_requeue(pg, sl);
		slot_start_login(sl);
		return 0;
	}
	if (rc == ERP_FAIL) {
		if (sl->state == SL_LOGIN && sl != pg->slot &&
		    err.class == ERR_BUSY) {
			log_warnx("session %d: %s; going on with fewer sessions",
			    (int)(sl - pg->slot), err.msg);
			slot_set_state(sl, SL_OFF);
			return 0;
		}
		wk_error_set(&s->err, err.class, "%s", err.msg);
		return -1;
	}
	switch (sl->state) {
	case SL_LOGIN:
		slot_set_state(sl, SL_VIEW);
		erp_start_view(sl->erp, s->v->path, sl->g);
		break;
	case SL_VIEW:
		slot_start_setup(s, sl, 0);
		break;
	case SL_SETUP:
		if (sl->step + 1 < s->nsetup)
			slot_start_setup(s, sl, sl->step + 1);
		else if (sl->page >= 0)
			slot_fetch(sl, sl->page);	/* after a fix */
		else
			slot_set_state(sl, SL_IDLE);
		break;
	case SL_FETCH:
		if (sl->g->pages > 0 && sl->page >= sl->g->pages &&
		    verify_page(s->v, s->page_size, sl->g, sl->g->pages - 1, why,
		    sizeof why) == NULL) {
			/* The ERP has fewer pages than when we started. */
			s->total_changed = 1;
			if (sl->g->pages < pg->npages)
				pg->npages = sl->g->pages;
			sl->page = -1;
			slot_set_state(sl, SL_IDLE);
			break;
		}
		if (sync_need_field(s, sl->erp, sl->g, s->v->sort_field) == -1)
			return -1;
		if ((problem = verify_page(s->v, s->page_size, sl->g,
		    sl->page, why, sizeof why)) != NULL) {
			if (++sl->tries > SYNC_PAGE_RETRIES ||
			    ++s->state_fixes > STATE_FIXES) {
				erp_save_debug(sl->erp, s->v->kind);
				wk_error_set(&s->err, ERR_ERP, "page %lld of %s could "
				    "not be verified: %s", (long long)sl->page + 1,
				    s->v->path, problem);
				return -1;
			}
			log_warnx("page %lld: %s; setting the grid state again",
			    (long long)sl->page + 1, problem);
			slot_start_setup(s, sl, 0);
			break;
		}
		if (sl->g->pages > pg->npages)
			pg->npages = sl->g->pages;	/* the ERP grew */
		pages_keep(pg, sl);
		break;
	case SL_IDLE:
	case SL_OFF:
		break;
	}
	return 0;
}

/* A slot's flow ended inside the pool: move it along at once. */
static void
slot_on_done(struct erp *e, void *arg)
{
	struct slot	*sl = arg;

	(void)e;
	if (sl->state == SL_OFF || sl->state == SL_IDLE)
		return;
	if (slot_advance(sl->s, sl->pg, sl) == -1)
		slot_set_state(sl, SL_OFF);	/* the error is in s->err */
	else if (sl->state == SL_IDLE)
		pages_assign(sl->pg);	/* keep the pipe full */
}

/* Give idle slots the next pages, inside the window. */
static void
pages_assign(struct pages *pg)
{
	struct slot	*sl;
	int		 i;
	int64_t		 page;

	for (i = 0; i < pg->nslots; i++) {
		sl = &pg->slot[i];
		if (sl->state != SL_IDLE)
			continue;
		if (pg->nrequeue > 0)
			page = pg->requeue[--pg->nrequeue];
		else if (pg->next_assign < pg->npages &&
		    pg->next_assign < pg->next_write + pg->window)
			page = pg->next_assign++;
		else
			return;
		slot_fetch(sl, page);
	}
}

/* Write every page that is next in order; -1 on failure. */
static int
pages_flush(struct sync *s, struct pages *pg, int *written)
{
	int64_t		 i;
	struct grid	*g;

	*written = 0;
	while (pg->next_write < pg->npages &&
	    pg->have[i = pg->next_write % pg->window]) {
		g = &pg->ready[i];
		if (s->ck.total == 0)
			s->ck.total = g->total;
		if (g->total != s->ck.total)
			s->total_changed = 1;
		s->total_last = g->total;
		if (sync_write_page(s, pg->slot[0].erp, g, pg->next_write) == -1)
			return -1;
		grid_free(g);
		memset(g, 0, sizeof *g);
		pg->have[i] = 0;
		pg->next_write++;
		(*written)++;
	}
	return 0;
}

/* Log sessions first.. out, all at once. */
static void
pages_logout(struct pages *pg, int first)
{
	int	 k, busy;

	for (k = first; k < pg->nslots; k++)
		erp_start_logout(pg->slot[k].erp);
	do {
		busy = 0;
		for (k = first; k < pg->nslots; k++)
			busy += erp_busy(pg->slot[k].erp);
		if (busy > 0)
			(void)erp_pool_run(pg->slot[0].s->pool, 1000);
	} while (busy > 0);
}

/* Cancel every slot's work and log it out; fetched pages are dropped. */
static void
pages_halt(struct pages *pg)
{
	int64_t	 i;
	int	 k;

	for (k = 0; k < pg->nslots; k++) {
		slot_set_state(&pg->slot[k], SL_OFF);
		pg->slot[k].page = -1;
		pg->slot[k].tries = 0;
	}
	pages_logout(pg, 0);
	for (i = 0; i < pg->window; i++) {
		grid_free(&pg->ready[i]);
		memset(&pg->ready[i], 0, sizeof pg->ready[i]);
		pg->have[i] = 0;
	}
	pg->nrequeue = 0;
	pg->next_assign = pg->next_write;
}

/*
 * Paused at a page boundary: checkpointed and logged out. 0 to go on
 * (logged in again), 1 when told to stop, -1 on failure.
 */
static int
pages_pause(struct sync *s, struct pages *pg)
{
	enum ctl_event	 ev;
	int64_t		 t0;
	int		 k;

	pages_halt(pg);
	report_paused();
	log_info("paused at page %lld", (long long)pg->next_write + 1);
	t0 = mono_us();
	for (;;) {
		report_tick();
		ev = report_poll(1000);
		if (ev == CTL_STOP || ev == CTL_RESUME)
			break;
	}
	s->paused_us += mono_us() - t0;
	if (ev == CTL_STOP)
		return 1;
	log_info("resuming at page %lld", (long long)pg->next_write + 1);
	for (k = 1; k < pg->nslots; k++)
		slot_start_login(&pg->slot[k]);
	erp_set_done(s->erp, NULL, NULL);
	if (sync_connect(s) == -1)
		return -1;
	erp_set_done(s->erp, slot_on_done, &pg->slot[0]);
	slot_set_state(&pg->slot[0], SL_IDLE);
	return 0;
}

void
pages_free(struct sync *s, struct pages *pg)
{
	int64_t	 i;
	int	 k;

	if (pg == NULL)
		return;
	for (k = 0; k < pg->nslots; k++)
		slot_set_state(&pg->slot[k], SL_OFF);
	pages_logout(pg, 1);
	for (k = 1; k < pg->nslots; k++) {
		s->fetched += erp_fetched(pg->slot[k].erp);
		grid_free(&pg->slot[k].own);
		erp_free(pg->slot[k].erp);
	}
	for (i = 0; i < pg->window; i++)
		grid_free(&pg->ready[i]);
	free(pg->ready);
	free(pg->have);
	free(pg->requeue);
	free(pg->slot);
	free(pg);
}

/*
 * Set up the page phase's sessions. Sessions 1..K-1 start logging in now,
 * so they get ready while session 0 connects and probes.
 */
struct pages *
pages_new(struct sync *s, int nsessions)
{
	struct pages	*pg;
	struct slot	*sl;
	int		 k;

	pg = xcalloc(1, sizeof *pg);
	pg->nslots = nsessions;
	pg->window = 2 * (int64_t)nsessions;
	pg->slot = xcalloc(pg->nslots, sizeof *pg->slot);
	pg->ready = xcalloc(pg->window, sizeof *pg->ready);
	pg->have = xcalloc(pg->window, sizeof *pg->have);
	pg->requeue = xcalloc(pg->nslots + 1, sizeof *pg->requeue);
	for (k = 0; k < pg->nslots; k++) {
		sl = &pg->slot[k];
		sl->s = s;
		sl->pg = pg;
		sl->page = -1;
		if (k == 0) {
			sl->erp = s->erp;
			sl->g = &s->g;
			slot_set_state(sl, SL_OFF);	/* driven by hand until the pages */
			continue;
		}
		sl->erp = erp_new(s->pool, &s->ec);
		sl->g = &sl->own;
		erp_set_done(sl->erp, slot_on_done, sl);
		slot_start_login(sl);
	}
	return pg;
}

/* Page through the grid from the checkpoint; 1 when stopped early. */
int
pages_run(struct sync *s)
{
	struct pages	*pg = s->pg;
	int		 k, rc = 0, written = 1, busy;
	enum ctl_event	 ev;
	char		 why[256];

	pg->next_write = pg->next_assign = s->ck.next_page;
	pg->npages = s->g.nrows == 0 && s->g.total == 0 ? 0 : s->g.pages;
	slot_set_state(&pg->slot[0], SL_IDLE);
	erp_set_done(s->erp, slot_on_done, &pg->slot[0]);
	/* Session 0 already shows page 0 when the run starts from there. */
	if (pg->next_write == 0 && pg->npages > 0 &&
	    verify_page(s->v, s->page_size, &s->g, 0, why, sizeof why) == NULL) {
		pg->slot[0].page = 0;
		pages_keep(pg, &pg->slot[0]);
		pg->next_assign = 1;
	}
	while (pg->next_write < pg->npages) {
		if (s->err.class != ERR_NONE) {
			rc = -1;
			break;
		}
		/* At a page boundary (or before the first page): pause? */
		if (written > 0) {
			ev = report_poll(0);
			if (ev == CTL_PAUSE && (rc = pages_pause(s, pg)) != 0)
				break;
			if (ev == CTL_STOP) {
				rc = 1;
				break;
			}
		}
		pages_assign(pg);
		busy = 0;
		for (k = 0; k < pg->nslots; k++)
			busy += erp_busy(pg->slot[k].erp);
		if (busy == 0 && !pg->have[pg->next_write % pg->window]) {
			wk_error_set(&s->err, ERR_ERP, "no ERP session left to "
			    "read page %lld", (long long)pg->next_write + 1);
			rc = -1;
			break;
		}
		if (busy > 0)
			(void)erp_pool_run(s->pool, 1000);
		if (s->err.class != ERR_NONE ||
		    (rc = pages_flush(s, pg, &written)) != 0) {
			rc = -1;
			break;
		}
	}
	if (rc == 0 && pg->npages == 0)
		s->ck.pages = 0;
	/* Session 0 goes on alone (the final probe). */
	for (k = 0; k < pg->nslots; k++)
		slot_set_state(&pg->slot[k], SL_OFF);
	erp_set_done(s->erp, NULL, NULL);
	if (erp_busy(s->erp))
		erp_logout(s->erp);
	return rc;
}
