/*
 * pages.c — a run's sessions, from login to logout (design §6 "Full").
 *
 * K sessions ("slots") work at once, all alike, all driven by one pool
 * (erp.c): each logs in, opens the list view, sets the grid state
 * (s->setup[]), then fetches the pages it is given with GB|PN jumps, and
 * logs out as soon as nothing is left for it. Nothing waits for an answer
 * it does not need: the slots log in together (login.c lets the first
 * login go alone, so a wrong password is tried once), the starting probe
 * (sweep.c) takes the place of the sort on the first slot to get there,
 * and the final probe and the logouts go out beside the last pages.
 * Pages come back in any order and are written strictly in order, one
 * transaction each. A slot's life is a state machine (enum slot_state,
 * one slot_set_state() that logs every transition at debug level); what
 * its answers mean is answers.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "worker/worker.h"

static const char *const slot_state_names[] = {
	[SL_OFF] = "off",
	[SL_LOGIN] = "login",
	[SL_VIEW] = "view",
	[SL_SETUP] = "setup",
	[SL_PROBE] = "probe",
	[SL_IDLE] = "idle",
	[SL_FETCH] = "fetch",
	[SL_LOGOUT] = "logout",
};

static int
slot_no(const struct slot *sl)
{
	return (int)(sl - sl->pg->slot);
}

/* The one place a slot changes state; every transition is logged. */
void
slot_set_state(struct slot *sl, enum slot_state to)
{
	if (sl->state == to)
		return;
	if (sl->page >= 0)
		log_debug("session %d: %s -> %s (page %lld)", slot_no(sl),
		    slot_state_names[sl->state], slot_state_names[to],
		    (long long)sl->page + 1);
	else
		log_debug("session %d: %s -> %s", slot_no(sl),
		    slot_state_names[sl->state], slot_state_names[to]);
	sl->state = to;
}

/* Pages may be read: the starting probe, if the run needs one, is in. */
int
pages_open(const struct pages *pg)
{
	return pg->probe != PROBE_START;
}

static void
slot_start_login(struct slot *sl)
{
	slot_set_state(sl, SL_LOGIN);
	erp_start_login(sl->erp);
}

void
slot_logout(struct slot *sl)
{
	slot_set_state(sl, SL_LOGOUT);
	erp_start_logout(sl->erp);
	if (!erp_busy(sl->erp))
		slot_set_state(sl, SL_OFF);	/* was not logged in */
}

void
slot_probe(struct pages *pg, struct slot *sl)
{
	pg->prober = sl;
	slot_set_state(sl, SL_PROBE);
	erp_start_callback(sl->erp, PROBE_SORT, &sl->g, 0);
}

static void
slot_fetch(struct slot *sl, int64_t page)
{
	char	 cmd[64];

	snprintf(cmd, sizeof cmd, "GB|PN%lld", (long long)page);
	sl->page = page;
	slot_set_state(sl, SL_FETCH);
	erp_start_callback(sl->erp, cmd, &sl->g, ERP_RAW);
}

/*
 * Send setup[step]; at the sort, the slot taking a probe sends the
 * probe's sort first (the first slot there takes the starting one).
 */
void
slot_setup(struct pages *pg, struct slot *sl, int step)
{
	struct sync	*s = pg->s;

	sl->step = step;
	if (step == s->sort_step && pg->prober == NULL &&
	    pg->probe == PROBE_START)
		pg->prober = sl;
	if (step == s->sort_step && pg->prober == sl) {
		slot_probe(pg, sl);
		return;
	}
	slot_set_state(sl, SL_SETUP);
	sl->opened = pages_open(pg);
	if (step == 0)
		sl->size = s->page_size;
	/*
	 * Parse only an answer that may be used: the last one, when it can
	 * be the run's page 1 or has to tell how many pages there are (the
	 * starting probe will, when one is wanted). The others only need to
	 * arrive whole. A page size the ERP does not offer is refused: see
	 * pages_smaller.
	 */
	sl->parsed = step + 1 == s->nsetup && ((sl->opened &&
	    pg->next_assign == 0) || (pg->npages < 0 &&
	    pg->probe != PROBE_START));
	erp_start_callback(sl->erp, s->setup[step], &sl->g,
	    (step == 0 ? ERP_NO_RETRY_5XX : 0) | (sl->parsed ? 0 : ERP_RAW));
}

/* A slot lost its page (and its probe, when it goes off): someone else's. */
void
slot_release(struct pages *pg, struct slot *sl, int going_off)
{
	if (sl->page >= 0)
		pg->requeue[pg->nrequeue++] = sl->page;
	sl->page = -1;
	sl->fix = 0;
	if (going_off && pg->prober == sl)
		pg->prober = NULL;
}

/* Slots other than except that still have (or are getting) a session. */
int
pages_alive(const struct pages *pg, const struct slot *except)
{
	int	 k, n = 0;

	for (k = 0; k < pg->nslots; k++)
		if (&pg->slot[k] != except && pg->slot[k].state != SL_OFF)
			n++;
	return n;
}

/* Start the slots not started yet. */
void
pages_grow(struct pages *pg)
{
	for (; pg->started < pg->nslots; pg->started++)
		slot_start_login(&pg->slot[pg->started]);
}

/* The ERP ended a slot's session: log in again, up to max_relogins. */
static int
slot_expired(struct pages *pg, struct slot *sl)
{
	struct sync	*s = pg->s;

	if (++s->relogins > s->max_relogins) {
		wk_error_set(&s->err, ERR_ERP, "the ERP ended the session %lld "
		    "times (it redirected to the login page); giving "
		    "up: check the ERP's session timeout, and that no one else "
		    "logs in as %s", (long long)s->relogins - 1, s->job->erp_user);
		return -1;
	}
	log_info("session %d expired; logging in again", slot_no(sl));
	slot_release(pg, sl, 0);
	slot_start_login(sl);
	return 0;
}

/*
 * A slot's flow failed (err). Three failures do not fail the job: the
 * final probe's (the sweep then deletes nothing), the page size's being
 * refused (a smaller one is tried), and a busy ERP refusing one more
 * session while others work (the run goes on with fewer).
 */
static int
slot_failed(struct pages *pg, struct slot *sl, const struct wk_error *err)
{
	struct sync	*s = pg->s;

	if (sl->state == SL_PROBE && pg->probe == PROBE_END) {
		snprintf(s->probe_error, sizeof s->probe_error, "%s", err->msg);
		s->probe_taken = -1;
		pg->probe = PROBE_NONE;
		pg->prober = NULL;
		slot_logout(sl);
		return 0;
	}
	if (sl->state == SL_SETUP && sl->step == 0 &&
	    erp_status(sl->erp) >= 500)
		return pages_smaller(pg, sl);
	if (sl->state == SL_LOGIN && err->class == ERR_BUSY &&
	    pages_alive(pg, sl) > 0) {
		log_warnx("session %d: %s; going on with fewer sessions",
		    slot_no(sl), err->msg);
		slot_release(pg, sl, 1);
		slot_set_state(sl, SL_OFF);
		return 0;
	}
	wk_error_set(&s->err, err->class, "%s", err->msg);
	return -1;
}

/*
 * A slot's flow ended: move it along. -1 when the job must fail (s->err
 * set), 0 otherwise.
 */
static int
slot_advance(struct pages *pg, struct slot *sl)
{
	struct sync	*s = pg->s;
	struct wk_error	 err;
	int		 rc;

	memset(&err, 0, sizeof err);
	rc = erp_result(sl->erp, &err);
	if (sl->state == SL_LOGOUT) {
		slot_set_state(sl, SL_OFF);	/* errors do not matter now */
		return 0;
	}
	if (rc == ERP_EXPIRED)
		return slot_expired(pg, sl);
	if (rc == ERP_FAIL)
		return slot_failed(pg, sl, &err);
	switch (sl->state) {
	case SL_LOGIN:
		slot_set_state(sl, SL_VIEW);
		erp_start_view(sl->erp, s->v->path, &sl->g);
		return 0;
	case SL_VIEW:
		slot_setup(pg, sl, 0);
		return 0;
	case SL_SETUP:
		if (sl->step == 0 && sl->size == s->page_size)
			pg->refusals = 0;
		if (sl->step + 1 < s->nsetup)
			slot_setup(pg, sl, sl->step + 1);
		else
			slot_ready(pg, sl);
		return 0;
	case SL_PROBE:
		return slot_probed(pg, sl);
	case SL_FETCH:
		return slot_answered(pg, sl);
	case SL_IDLE:
	case SL_OFF:
	case SL_LOGOUT:
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
	if (slot_advance(sl->pg, sl) == -1)
		slot_set_state(sl, SL_OFF);	/* the error is in s->err */
	else if (sl->state == SL_IDLE)
		pages_assign(sl->pg);	/* keep the pipe full */
}

/*
 * Give idle slots work: a page to read again, the next page inside the
 * window, or once every page is asked for, the final probe; a slot with
 * nothing left logs out at once.
 */
void
pages_assign(struct pages *pg)
{
	struct slot	*sl;
	int		 i;

	for (i = 0; i < pg->nslots; i++) {
		sl = &pg->slot[i];
		if (sl->state != SL_IDLE)
			continue;
		if (pg->probe == PROBE_START && pg->prober == NULL) {
			slot_probe(pg, sl);	/* its prober went away */
			continue;
		}
		if (!pages_open(pg) || pg->npages < 0)
			return;
		if (pg->nrequeue > 0)
			slot_fetch(sl, pg->requeue[--pg->nrequeue]);
		else if (pg->next_assign < pg->npages) {
			if (pg->next_assign >= pg->next_write + pg->window)
				return;
			slot_fetch(sl, pg->next_assign++);
		} else if (pg->reading)
			return;		/* wait: the page read may fail */
		else if (pg->probe == PROBE_END && pg->prober == NULL)
			slot_probe(pg, sl);
		else
			slot_logout(sl);
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

/*
 * Cancel every slot's work and log them all out; fetched pages are
 * dropped, a probe in flight is asked for again later.
 */
static void
pages_halt(struct pages *pg)
{
	int64_t	 i;
	int	 k;

	for (k = 0; k < pg->nslots; k++) {
		slot_release(pg, &pg->slot[k], 1);
		slot_set_state(&pg->slot[k], SL_OFF);
	}
	for (k = 0; k < pg->nslots; k++) {
		erp_start_logout(pg->slot[k].erp);
		if (erp_busy(pg->slot[k].erp))
			slot_set_state(&pg->slot[k], SL_LOGOUT);
	}
	while (pages_alive(pg, NULL) > 0)
		sync_pump(pg->s, 1000);
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
 * (logging in again), 1 when told to stop.
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
		ev = report_poll((int)report_due_ms());
		if (ev == CTL_STOP || ev == CTL_RESUME)
			break;
	}
	s->paused_us += mono_us() - t0;
	if (ev == CTL_STOP)
		return 1;
	log_info("resuming at page %lld", (long long)pg->next_write + 1);
	for (k = 0; k < pg->started; k++)
		slot_start_login(&pg->slot[k]);
	return 0;
}

void
pages_free(struct sync *s, struct pages *pg)
{
	int64_t	 i;
	int	 k;

	if (pg == NULL)
		return;
	for (k = 0; k < pg->nslots; k++) {
		s->fetched += erp_fetched(pg->slot[k].erp);
		grid_free(&pg->slot[k].g);
		buf_free(&pg->slot[k].answer);
		erp_free(pg->slot[k].erp);
	}
	for (i = 0; i < pg->window; i++)
		grid_free(&pg->ready[i]);
	free(pg->ready);
	free(pg->have);
	free(pg->requeue);
	free(pg->tries);
	free(pg->bad);
	free(pg->slot);
	free(pg);
}

/* The run's K sessions; none talks to the ERP before pages_run. */
struct pages *
pages_new(struct sync *s)
{
	struct pages	*pg;
	struct slot	*sl;
	int		 k;

	pg = xcalloc(1, sizeof *pg);
	pg->s = s;
	pg->nslots = s->nsessions;
	pg->window = 2 * (int64_t)s->nsessions;
	pg->slot = xcalloc(pg->nslots, sizeof *pg->slot);
	pg->ready = xcalloc(pg->window, sizeof *pg->ready);
	pg->have = xcalloc(pg->window, sizeof *pg->have);
	pg->requeue = xcalloc(pg->window + 1, sizeof *pg->requeue);
	pg->tries = xcalloc(pg->window, sizeof *pg->tries);
	pg->bad = xcalloc(pg->window, sizeof *pg->bad);
	for (k = 0; k < pg->nslots; k++) {
		sl = &pg->slot[k];
		sl->pg = pg;
		sl->page = -1;
		buf_init(&sl->answer);
		sl->erp = erp_new(s->pool, &s->ec);
		erp_set_done(sl->erp, slot_on_done, sl);
	}
	return pg;
}

/*
 * The run: from the checkpoint to the last page, then the final probe,
 * until every session has logged out. 0 done, 1 stopped early, -1 failed
 * (s->err set).
 */
int
pages_run(struct sync *s)
{
	struct pages	*pg = s->pg;
	int		 rc = 0, written = 1;
	enum ctl_event	 ev;

	pg->first_page = pg->next_write = pg->next_assign = s->ck.next_page;
	pg->npages = -1;
	pg->probe = !s->full ? PROBE_NONE : s->ck.resumed &&
	    s->ck.probe[0] != '\0' ? PROBE_END : PROBE_START;
	/* A delta starts with one session: most fit on one page. */
	pg->started = 0;
	if (s->full)
		pages_grow(pg);
	else
		slot_start_login(&pg->slot[pg->started++]);
	for (;;) {
		if (s->err.class != ERR_NONE) {
			rc = -1;
			break;
		}
		if (pg->npages >= 0 && pg->next_write >= pg->npages &&
		    pages_alive(pg, NULL) == 0)
			break;		/* read, probed, logged out */
		if (pages_open(pg) && pg->npages >= 0 && !pg->ready_told) {
			report_ready();
			pg->ready_told = 1;
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
		if (pages_alive(pg, NULL) == 0) {
			wk_error_set(&s->err, ERR_ERP, "no ERP session left to "
			    "read page %lld", (long long)pg->next_write + 1);
			rc = -1;
			break;
		}
		sync_pump(s, 1000);
		if (s->err.class != ERR_NONE ||
		    pages_flush(s, pg, &written) == -1) {
			rc = -1;
			break;
		}
	}
	if (rc == 0 && pg->npages == 0)
		s->ck.pages = 0;
	if (rc != 0)
		pages_halt(pg);
	return rc;
}
