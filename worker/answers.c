/*
 * answers.c — what a run's sessions make of their answers (pages.c runs
 * the sessions): a page answer read after the next request went out, a
 * page kept in the window or asked for again, the probe's answer, page 1
 * in the last setup answer, and a page size the ERP refuses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "worker/worker.h"

/* Store verified page g in the window (g is taken). */
void
pages_keep(struct pages *pg, int64_t page, struct grid *g)
{
	int64_t	 i = page % pg->window;

	grid_free(&pg->ready[i]);
	pg->ready[i] = *g;
	memset(g, 0, sizeof *g);
	pg->have[i] = 1;
	pg->tries[i] = 0;
	pg->bad[i] = 0;
}

/*
 * An answer told how many pages the grid has: the first sets the run's
 * count (and the relogin budget). A delta's extra sessions start only now,
 * and only when the pages left outnumber the round trips a new session
 * needs before its first page.
 */
void
pages_count(struct pages *pg, const struct grid *g)
{
	struct sync	*s = pg->s;

	if (pg->npages >= 0)
		return;
	pg->npages = g->nrows == 0 && g->total == 0 ? 0 : g->pages;
	s->max_relogins = 20 + (pg->npages > 0 ? pg->npages : 1) * 2;
	if (pg->npages - pg->next_assign > 3 + s->nsetup)
		pages_grow(pg);
}

/* The last setup answer is in: the slot is ready for pages. */
void
slot_ready(struct pages *pg, struct slot *sl)
{
	struct sync	*s = pg->s;
	char		 why[256];

	if (!sl->parsed) {	/* of no use: see slot_setup */
		slot_set_state(sl, SL_IDLE);
		return;
	}
	pages_count(pg, &sl->g);
	/*
	 * The answer shows page 0: it is the run's page 0 when the run
	 * starts there, nobody has it yet, and it was asked for after the
	 * starting probe was read.
	 */
	if (sl->opened && pg->next_assign == 0 && pg->npages > 0 &&
	    verify_page(s->v, s->page_size, &sl->g, 0, why, sizeof why) ==
	    NULL) {
		pg->next_assign = 1;
		pages_keep(pg, 0, &sl->g);
	}
	slot_set_state(sl, SL_IDLE);
}

/* The answer to PROBE_SORT is in. -1 when the job must fail. */
int
slot_probed(struct pages *pg, struct slot *sl)
{
	struct sync	*s = pg->s;
	char		 out[sizeof s->ck.probe], why[256] = "";
	int64_t		 total = 0;
	int		 rc, start = pg->probe == PROBE_START;

	rc = sweep_probe_read(s, sl->erp, &sl->g, out, sizeof out, &total, why,
	    sizeof why);
	if (rc == -1) {
		if (start)
			return -1;
		snprintf(s->probe_error, sizeof s->probe_error, "%s", s->err.msg);
		memset(&s->err, 0, sizeof s->err);
		s->probe_taken = -1;
	} else if (rc != PROBE_READ && ++pg->probe_tries > SYNC_PAGE_RETRIES) {
		if (start) {
			wk_error_set(&s->err, ERR_ERP, "the %s grid could not be "
			    "sorted by MODIFIEDDATETIME: %s", s->v->path, why);
			return -1;
		}
		snprintf(s->probe_error, sizeof s->probe_error, "the %s grid "
		    "could not be sorted by MODIFIEDDATETIME: %s", s->v->path,
		    why);
		s->probe_taken = -1;
	} else if (rc == PROBE_REFILTER) {
		log_warnx("probe: %s; setting the grid state again", why);
		slot_setup(pg, sl, 0);
		return 0;
	} else if (rc == PROBE_RESORT) {
		slot_probe(pg, sl);
		return 0;
	} else if (start) {
		if (sweep_probe_started(s, out, total) == -1)
			return -1;
		pages_count(pg, &sl->g);
	} else {
		snprintf(s->probe_end, sizeof s->probe_end, "%s", out);
		s->total_end = total;
		s->probe_taken = 1;
	}
	pg->prober = NULL;
	pg->probe = start ? PROBE_END : PROBE_NONE;	/* only a full run probes */
	pg->probe_tries = 0;
	if (start)
		slot_setup(pg, sl, s->sort_step);	/* back to the run's sort */
	else
		slot_logout(sl);
	return 0;
}

/*
 * A page needs reading again after the grid state is set again: by the
 * slot itself now, or after the page it is already fetching.
 */
static int
slot_refix(struct pages *pg, struct slot *sl, int64_t page, const char *problem)
{
	struct sync	*s = pg->s;

	if (++pg->tries[page % pg->window] > SYNC_PAGE_RETRIES ||
	    ++s->state_fixes > STATE_FIXES) {
		erp_save_page(sl->erp, s->v->kind, &sl->answer);
		wk_error_set(&s->err, ERR_ERP, "page %lld of %s could not be "
		    "verified: %s", (long long)page + 1, s->v->path, problem);
		return -1;
	}
	log_warnx("page %lld: %s; setting the grid state again",
	    (long long)page + 1, problem);
	pg->requeue[pg->nrequeue++] = page;
	if (sl->state == SL_FETCH)
		sl->fix = 1;
	else if (sl->state == SL_IDLE)
		slot_setup(pg, sl, 0);
	return 0;
}

/* Read the answer to GB|PN of page, in sl->answer. -1: the job fails. */
static int
slot_read(struct pages *pg, struct slot *sl, int64_t page)
{
	struct sync	*s = pg->s;
	struct grid	 g;
	const char	*problem;
	char		 why[256];
	int		 rc = 0, *bad = &pg->bad[page % pg->window];

	memset(&g, 0, sizeof g);
	if (erp_parse_answer(sl->erp, &sl->answer, &g, why, sizeof why) == -1) {
		/* Whole (cut answers were retried) yet not a grid. */
		if (++*bad >= 2) {
			erp_save_page(sl->erp, s->v->kind, &sl->answer);
			wk_error_set(&s->err, ERR_CONTRACT, "page %lld of %s: %s",
			    (long long)page + 1, s->v->path, why);
			rc = -1;
		} else {
			log_warnx("page %lld of %s: %s; asking again",
			    (long long)page + 1, s->v->path, why);
			pg->requeue[pg->nrequeue++] = page;
		}
		goto out;
	}
	pages_count(pg, &g);
	if (g.pages > 0 && page >= g.pages &&
	    verify_page(s->v, s->page_size, &g, g.pages - 1, why,
	    sizeof why) == NULL) {
		/* The ERP has fewer pages than when we started. */
		s->total_changed = 1;
		if (g.pages < pg->npages) {
			log_warnx("page %lld of %s: the ERP has %lld pages now "
			    "(%lld elements): the run ends at page %lld",
			    (long long)page + 1, s->v->path, (long long)g.pages,
			    (long long)g.total, (long long)g.pages);
			pg->npages = g.pages;
		}
		goto out;
	}
	if (sync_need_field(s, &g, s->v->sort_field) == -1 ||
	    sync_map_columns(s, &g) == -1) {
		erp_save_page(sl->erp, s->v->kind, &sl->answer);
		rc = -1;
		goto out;
	}
	if ((problem = verify_page(s->v, s->page_size, &g, page, why,
	    sizeof why)) != NULL) {
		rc = slot_refix(pg, sl, page, problem);
		goto out;
	}
	if (g.pages > pg->npages)
		pg->npages = g.pages;	/* the ERP grew */
	pages_keep(pg, page, &g);
out:
	grid_free(&g);
	buf_free(&sl->answer);	/* the next page brings its own */
	return rc;
}

/*
 * The answer to GB|PN is in, whole: the slot's next request goes out
 * first (pages_assign), then the answer is read. A slot that must set
 * the grid state again does that instead, and its page is read again.
 */
int
slot_answered(struct pages *pg, struct slot *sl)
{
	int64_t	 page = sl->page;
	int	 rc;

	erp_take_answer(sl->erp, &sl->answer);
	sl->page = -1;
	if (sl->fix) {
		sl->fix = 0;
		buf_free(&sl->answer);	/* read under the old grid state */
		pg->requeue[pg->nrequeue++] = page;
		slot_setup(pg, sl, 0);
		return 0;
	}
	slot_set_state(sl, SL_IDLE);
	pg->reading = 1;	/* nobody logs out: the page may come back */
	pages_assign(pg);
	pg->reading = 0;
	rc = slot_read(pg, sl, page);
	if (rc == 0)
		pages_assign(pg);
	return rc;
}

/*
 * The ERP answered the page size command with a 5xx. Asked once more (it
 * may have been a fault), the same refusal means the ERP does not offer
 * that size: go on with the next smaller one of the contract's. A slot
 * that asked for a size already given up just asks for the current one.
 * The run's checkpoint counts pages of the old size: a run resumed
 * before any page of this attempt reads every page again; one with pages
 * of both sizes fails, and its next attempt reads every page. -1 when the
 * job must fail.
 */
int
pages_smaller(struct pages *pg, struct slot *sl)
{
	static const int64_t	 sizes[] = { 200, 100, 50, 20, 10 };
	struct sync		*s = pg->s;
	int64_t			 was = s->page_size, next = 0;
	size_t			 i;

	if (sl->size == was && ++pg->refusals >= 2) {
		for (i = 0; i < nitems(sizes) && next == 0; i++)
			if (sizes[i] < was)
				next = sizes[i];
		if (next == 0) {
			wk_error_set(&s->err, ERR_CONTRACT, "the ERP refused every "
			    "page size down to %lld (GB|PSP answered HTTP %ld)",
			    (long long)was, erp_status(sl->erp));
			return -1;
		}
		if (s->ck.next_page > 0 && pg->next_write > pg->first_page) {
			wk_error_set(&s->err, ERR_ERP, "the ERP stopped offering "
			    "page size %lld after page %lld of run %lld; the next "
			    "attempt reads every page at a size it offers",
			    (long long)was, (long long)pg->next_write,
			    (long long)s->ck.run_id);
			return -1;
		}
		log_warnx("the ERP refused page size %lld twice (HTTP %ld); "
		    "asking for %lld: set page_size = %lld in [erp] to skip "
		    "this", (long long)was, erp_status(sl->erp),
		    (long long)next, (long long)next);
		if (s->ck.next_page > 0) {
			log_info("run %lld read %lld pages at page size %lld: it "
			    "reads every page again at %lld",
			    (long long)s->ck.run_id, (long long)s->ck.next_page,
			    (long long)was, (long long)next);
			s->ck.next_page = 0;
			pg->first_page = pg->next_write = pg->next_assign = 0;
		}
		s->page_size = next;
		snprintf(s->setup[0], sizeof s->setup[0], "GB|PSP%lld",
		    (long long)next);
		pg->refusals = 0;
	}
	slot_setup(pg, sl, 0);
	return 0;
}
