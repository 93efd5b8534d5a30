/*
 * sync.c — one run of a job (design §6): open the store and the
 * checkpoint, plan the grid state the sync needs (page size, filter,
 * sort, column filter), hand the sessions' work to pages.c (login, probes,
 * pages, logout), then the sweep (sweep.c), and say how it ended. The
 * page writer the parts share lives here too.
 */
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "worker/worker.h"

/*
 * The COLFILTER value of a delta: the watermark (ERP local time, ISO) less
 * a safety margin, as dd/mm/yyyy HH:MM:SS.
 */
int
delta_since(const char *watermark, int64_t margin_s, char *out, size_t len)
{
	struct tm	 tm;
	time_t		 t;
	char		 iso[80];	/* room for six ints of any size */

	if (iso_datetime_scan(watermark, &tm) == -1)
		return -1;
	t = timegm(&tm) - (margin_s > 0 ? margin_s : 0);
	if (gmtime_r(&t, &tm) == NULL || tm.tm_year + 1900 < 0 ||
	    tm.tm_year + 1900 > 9999)
		return -1;
	snprintf(iso, sizeof iso, "%04d-%02d-%02dT%02d:%02d:%02d",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec);
	return format_it_datetime(iso, out, len);
}

/*
 * Drive the run's sessions for up to max_ms, or until a flow ends; the
 * run loop's heartbeat goes out on time meanwhile.
 */
void
sync_pump(struct sync *s, int max_ms)
{
	int64_t	 due;

	report_tick();
	due = report_due_ms();
	(void)erp_pool_run(s->pool, due < max_ms ? (int)due : max_ms);
}

/*
 * The grid commands that put a fresh session's grid in the state the sync
 * needs: page size, filter, sort, and for a delta the column filter.
 */
static void
sync_plan(struct sync *s)
{
	s->nsetup = 0;
	snprintf(s->setup[s->nsetup++], sizeof s->setup[0], "GB|PSP%lld",
	    (long long)s->page_size);
	if (s->v->filter_key != NULL)
		snprintf(s->setup[s->nsetup++], sizeof s->setup[0],
		    "GB|FILTER|%s", s->v->filter_key);
	s->sort_step = s->nsetup;
	snprintf(s->setup[s->nsetup++], sizeof s->setup[0], "GB|SORT|%s|%s",
	    s->v->sort_field, s->v->sort_desc ? "DESC" : "ASC");
	if (!s->full)
		snprintf(s->setup[s->nsetup++], sizeof s->setup[0],
		    "GB|COLFILTER|MODIFIEDDATETIME|ge|%s", s->since);
}

/*
 * A grid without the column a sync sorts by breaks the contract: no number
 * of retries will sort it. Records the error (the caller saves the page).
 */
int
sync_need_field(struct sync *s, const struct grid *g, const char *field)
{
	const struct view_col	*c = view_col_by_field(s->v, field);

	if (verify_has_field(g, field))
		return 0;
	wk_error_set(&s->err, ERR_CONTRACT, "the %s grid has no column \"%s\" "
	    "(fieldname %s)", s->v->path, c ? c->caption : field, field);
	return -1;
}

/*
 * Map the view's captions to the grid's cells; -1 if one is missing (the
 * error recorded; the caller saves the page).
 */
int
sync_map_columns(struct sync *s, const struct grid *g)
{
	const struct grid_column	*c;
	size_t				 i;

	for (i = 0; i < s->v->ncols; i++) {
		if ((c = grid_column(g, s->v->cols[i].caption)) == NULL) {
			wk_error_set(&s->err, ERR_CONTRACT, "the %s grid has no "
			    "column \"%s\"", s->v->path, s->v->cols[i].caption);
			return -1;
		}
		s->col[i] = c->index;
	}
	return 0;
}

/*
 * Row r of g is skipped: the watermark must not pass it, or the next delta
 * would not ask for it again once it reads. Keep the oldest modified_at
 * of the skipped rows, or note that one had none readable.
 */
static void
sync_skip_mark(struct sync *s, const struct grid *g, size_t r)
{
	struct value	 mod;
	char		 perr[256];
	size_t		 mi = view_col_index(s->v, "modified_at");

	memset(&mod, 0, sizeof mod);
	if (value_parse(COL_DATETIME, &g->rows[r].cells[s->col[mi]], NULL,
	    &mod, perr, sizeof perr) == -1 || mod.kind != VAL_TEXT)
		s->skip_unknown = 1;
	else if (s->skip_mod[0] == '\0' || strcmp(mod.s, s->skip_mod) < 0)
		snprintf(s->skip_mod, sizeof s->skip_mod, "%s", mod.s);
	value_clear(&mod);
}

/*
 * The watermark a finished run leaves: the newest modified_at stored, but
 * not past a row the run skipped (sync_skip_mark): then the oldest such
 * row's, or the watermark the run started with when that is not known
 * (a row with no readable time, or rows skipped by an earlier attempt of
 * the run, whose times are gone).
 */
static void
sync_watermark(struct sync *s, char *out, size_t len)
{
	(void)store_watermark(s->st, out, len);
	if (s->pc.skipped == 0)
		return;
	if (s->skip_unknown || s->ck.base.skipped > 0) {
		log_info("%lld rows skipped, not all with a modification time "
		    "this attempt read: the watermark stays at %s",
		    (long long)s->pc.skipped, s->ck.watermark[0] != '\0' ?
		    s->ck.watermark : "none (the next delta runs full)");
		snprintf(out, len, "%s", s->ck.watermark);
	} else if (strcmp(s->skip_mod, out) < 0) {
		log_info("%lld rows skipped: the watermark stops at %s, the "
		    "oldest one's modification, not %s",
		    (long long)s->pc.skipped, s->skip_mod, out);
		snprintf(out, len, "%s", s->skip_mod);
	}
}

/*
 * Read row r of page (0-based) into vals, the view's columns: 1 when it
 * can be written, 0 when it is skipped (logged, named by its key when the
 * key could be read: the key is read first).
 */
static int
sync_read_row(struct sync *s, const struct erp *e, const struct grid *g,
    int64_t page, size_t r, struct value *vals)
{
	size_t		 n = s->v->ncols, i, c, key = view_key_index(s->v);
	char		 perr[256];

	for (i = 0; i < n; i++) {
		c = i == 0 ? key : (i == key ? 0 : i);
		if (value_parse(s->v->cols[c].type, &g->rows[r].cells[s->col[c]],
		    erp_origin(e), &vals[c], perr, sizeof perr) == -1) {
			log_warnx("%s page %lld row %zu (key %s): column %s: %s; "
			    "row skipped", s->v->path, (long long)page + 1,
			    r + 1, vals[key].kind == VAL_TEXT ? vals[key].s : "?",
			    s->v->cols[c].column, perr);
			sync_skip_mark(s, g, r);
			return 0;
		}
	}
	if (vals[key].kind == VAL_NULL) {
		log_warnx("%s page %lld row %zu: empty key %s; row skipped",
		    s->v->path, (long long)page + 1, r + 1, s->v->key);
		sync_skip_mark(s, g, r);
		return 0;
	}
	return 1;
}

/* Tell the supervisor that page (0-based) of grid g is written. */
static void
sync_report_page(const struct sync *s, const struct grid *g, int64_t page)
{
	struct msg_progress	 p;

	memset(&p, 0, sizeof p);
	p.page = page + 1;
	p.pages = g->pages;
	p.seen = s->pc.seen;
	p.inserted = s->pc.inserted;
	p.updated = s->pc.updated;
	p.unchanged = s->pc.unchanged;
	p.skipped = s->pc.skipped;
	p.total = g->total;
	report_progress(&p);
}

/*
 * Parse, write and report page (0-based) of grid g, fetched by session e:
 * its rows and the checkpoint in one transaction (store_write_page).
 */
int
sync_write_page(struct sync *s, const struct erp *e, const struct grid *g,
    int64_t page)
{
	size_t		 n = s->v->ncols, r;
	struct value	*vals;
	int		*ok;
	int64_t		 t0 = mono_us(), t1;
	int		 rc;

	if (sync_map_columns(s, g) == -1)
		return -1;
	vals = xcalloc(g->nrows ? g->nrows * n : 1, sizeof *vals);
	ok = xcalloc(g->nrows ? g->nrows : 1, sizeof *ok);
	for (r = 0; r < g->nrows; r++)
		ok[r] = sync_read_row(s, e, g, page, r, &vals[r * n]);
	s->ck.next_page = page + 1;
	s->ck.pages = g->pages;
	s->ck.page_size = s->page_size;
	t1 = mono_us();
	s->values_us += t1 - t0;
	rc = store_write_page(s->st, &s->ck, vals, g->nrows, ok, &s->pc,
	    &s->err);
	s->write_us += mono_us() - t1;
	for (r = 0; r < g->nrows * n; r++)
		value_clear(&vals[r]);
	free(vals);
	free(ok);
	if (rc == -1)
		return -1;
	sync_report_page(s, g, page);
	return 0;
}

static void
sync_free(struct sync *s)
{
	pages_free(s, s->pg);
	free(s->col);
	store_close(s->st);
	erp_pool_free(s->pool);
}

/*
 * Log out the sessions a dead worker of this ERP user left behind (the
 * supervisor hands over their cookies), all at once, before logging in:
 * on an ERP with a session limit they would otherwise lock us out.
 */
static void
sync_logout_stale(struct sync *s)
{
	struct erp	*e[16];
	char		*copy, *block, *next;
	size_t		 n = 0, i;
	int		 busy;

	if (s->job->stale[0] == '\0')
		return;
	copy = xstrdup(s->job->stale);
	for (block = copy; block != NULL && *block != '\0' && n < nitems(e);
	    block = next) {
		if ((next = strstr(block, "\n\n")) != NULL) {
			*next = '\0';
			next += 2;
		}
		e[n] = erp_new(s->pool, &s->ec);
		erp_adopt(e[n], block);
		erp_start_logout(e[n]);
		n++;
	}
	explicit_bzero(copy, strlen(s->job->stale));
	free(copy);
	log_info("logging out %zu ERP session%s a dead worker left", n,
	    n == 1 ? "" : "s");
	do {
		for (i = 0, busy = 0; i < n; i++)
			busy += erp_busy(e[i]);
		if (busy > 0)
			sync_pump(s, 1000);
	} while (busy > 0);
	for (i = 0; i < n; i++)
		erp_free(e[i]);
}

/*
 * What the requests cost, and where the run's wall time went: waiting on
 * the ERP with nothing else to do (time in the pool less the parsing done
 * in it), parsing, writing, paused, and the rest. One thread: the parts
 * do not overlap, so they add up to the wall time.
 */
static void
sync_times(const struct sync *s, struct msg_done *d)
{
	const struct erp_stats	*st = s->pool != NULL ? &s->pool->stats : NULL;
	int64_t			 wall = mono_us() - s->start_us;
	int64_t			 blocked = 0, parse = s->values_us;

	if (st != NULL) {
		d->requests = st->requests;
		d->request_retries = st->retries;
		d->erp_wait_ms = st->wait_us / 1000;
		memcpy(d->request_hist, st->hist, sizeof d->request_hist);
		blocked = st->run_us - st->parse_us;
		parse += st->parse_us;
	}
	d->wall_ms = wall / 1000;
	d->erp_blocked_ms = blocked / 1000;
	d->parse_ms = parse / 1000;
	d->write_ms = s->write_us / 1000;
	d->paused_ms = s->paused_us / 1000;
	d->other_ms = d->wall_ms - d->erp_blocked_ms - d->parse_ms -
	    d->write_ms - d->paused_ms;
}

/*
 * A delta needs a watermark: with none yet, the run is a full one; else
 * it reads the records modified since the watermark less the margin.
 */
static int
sync_choose_mode(struct sync *s)
{
	char	 wm[32];

	if (s->full)
		return 0;
	(void)store_last_watermark(s->st, wm, sizeof wm);
	if (wm[0] == '\0') {
		log_info("no watermark yet: running a full sync instead of a "
		    "delta");
		s->full = 1;
		return 0;
	}
	if (delta_since(wm, s->job->delta_margin_s, s->since,
	    sizeof s->since) == -1) {
		wk_error_set(&s->err, ERR_STORAGE, "bad watermark \"%s\" in %s",
		    wm, s->job->db);
		return -1;
	}
	log_info("delta: records modified since %s (watermark %s less %llds)",
	    s->since, wm, (long long)s->job->delta_margin_s);
	return 0;
}

/*
 * Begin the run in the store: a new one, or the one the checkpoint says
 * to resume, which goes on at the page size it was read at.
 */
static int
sync_begin(struct sync *s, struct msg_done *d)
{
	const struct msg_job	*job = s->job;

	if (store_begin_run(s->st, s->full ? "full" : "delta", job->resume,
	    &s->ck, &s->err) == -1)
		return -1;
	if (s->ck.left_run != 0)
		log_info("not resuming run %lld (stopped after page %lld of "
		    "%lld): %s; run %lld reads every page",
		    (long long)s->ck.left_run, (long long)s->ck.left_page,
		    (long long)s->ck.left_pages,
		    job->resume ? "it was a run of the other mode" :
		    "a new run was asked for", (long long)s->ck.run_id);
	else if (job->resume && !s->ck.resumed)
		log_info("nothing to resume: run %lld reads every page",
		    (long long)s->ck.run_id);
	/* Pages line up with the checkpoint only at the size it was read at. */
	if (s->ck.resumed && s->ck.page_size > 0 &&
	    s->ck.page_size != s->page_size) {
		log_info("run %lld was read at page size %lld: it goes on at "
		    "that size (page_size is %lld)", (long long)s->ck.run_id,
		    (long long)s->ck.page_size, (long long)s->page_size);
		s->page_size = s->ck.page_size;
	}
	s->pc = s->ck.base;	/* counts are the whole run's, across attempts */
	if (s->ck.resumed) {
		d->resumed_from = s->ck.next_page + 1;
		log_info("resuming run %lld at page %lld of %lld (%lld rows "
		    "read before)", (long long)s->ck.run_id,
		    (long long)s->ck.next_page + 1, (long long)s->ck.pages,
		    (long long)s->ck.base.seen);
	}
	return 0;
}

/* The ERP sessions' settings, from the job. */
static void
sync_erp_config(struct sync *s)
{
	const struct msg_job	*job = s->job;

	s->ec.url = job->url;
	s->ec.user = job->erp_user;
	s->ec.timeout_ms = job->request_timeout_ms;
	s->ec.tls_verify = job->tls_verify;
	s->ec.ca_file = job->ca_file;
	s->ec.user_agent = job->user_agent;
	s->ec.debug_dir = job->debug_dir;
	s->max_relogins = 20;
	s->nsessions = job->sessions > 1 ? (int)job->sessions : 1;
}

/*
 * End the run in the store (only a finished run moves the watermark) and
 * say how it went in d. rc is pages_run's: 0 done, 1 cancelled, -1 failed.
 */
static void
sync_end(struct sync *s, int rc, struct msg_done *d)
{
	struct wk_error	 ignore;

	if (s->st != NULL && s->err.class == ERR_NONE && rc == 0) {
		sync_watermark(s, d->watermark, sizeof d->watermark);
		(void)store_finish(s->st, &s->ck, "done", d->watermark, &s->err);
	} else if (s->st != NULL && s->ck.run_id > 0) {
		memset(&ignore, 0, sizeof ignore);
		(void)store_finish(s->st, &s->ck, rc == 1 ? "paused" : "failed",
		    NULL, &ignore);
	}
	if (s->err.class == ERR_NONE && rc == 1)
		snprintf(d->status, sizeof d->status, "cancelled");
	else if (s->err.class == ERR_NONE && rc == 0)
		snprintf(d->status, sizeof d->status, "ok");
	else {
		if (s->err.class == ERR_NONE)
			wk_error_set(&s->err, ERR_CRASHED, "internal error");
		snprintf(d->status, sizeof d->status, "failed");
		snprintf(d->error_class, sizeof d->error_class, "%s",
		    err_class_name(s->err.class));
		snprintf(d->message, sizeof d->message, "%s", s->err.msg);
	}
	d->pages = s->ck.next_page;
	d->seen = s->pc.seen;
	d->inserted = s->pc.inserted;
	d->updated = s->pc.updated;
	d->unchanged = s->pc.unchanged;
	d->skipped = s->pc.skipped;
	d->total = s->total_last;
	pages_free(s, s->pg);		/* counts its sessions' pages */
	s->pg = NULL;
	d->fetched = s->fetched;
	sync_times(s, d);
}

/* Run the job; fills d. Returns the worker's exit code. */
int
sync_run(const struct msg_job *job, struct msg_done *d)
{
	struct sync	 s;
	int		 rc = -1;

	memset(&s, 0, sizeof s);
	memset(d, 0, sizeof *d);
	s.job = job;
	s.start_us = mono_us();
	s.full = strcmp(job->mode, "delta") != 0;
	s.page_size = job->page_size > 0 ? job->page_size : 200;
	if ((s.v = view_find(job->kind)) == NULL) {
		wk_error_set(&s.err, ERR_PROTOCOL, "unknown kind \"%s\"",
		    job->kind);
		goto out;
	}
	s.col = xcalloc(s.v->ncols, sizeof *s.col);
	if ((s.st = store_open(job->db, s.v, job->user, &s.err)) == NULL ||
	    sync_choose_mode(&s) == -1 || sync_begin(&s, d) == -1)
		goto out;
	sync_plan(&s);
	sync_erp_config(&s);
	s.pool = erp_pool_new();
	sync_logout_stale(&s);
	s.pg = pages_new(&s);
	if ((rc = pages_run(&s)) == 0)
		sweep_run(&s, d);
out:
	sync_end(&s, rc, d);
	sync_free(&s);
	return err_class_exit(s.err.class);
}
