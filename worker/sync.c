/*
 * sync.c — the sync algorithms of design.md §6: set the grid state (page
 * size, filter, sort, column filter), page through with GB|PN jumps,
 * verify every page before writing it, survive resets and expired sessions,
 * sweep deletions only when the run proves it saw everything.
 */
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "worker/worker.h"

#define PAGE_RETRIES	8	/* re-reads of one page before giving up */
#define STATE_FIXES	40	/* filter/sort re-applications per job */

struct pages;

struct sync {
	const struct msg_job	*job;
	const struct view	*v;
	struct erp		*erp;
	struct store		*st;
	struct checkpoint	 ck;
	struct page_counts	 pc;
	struct wk_error		 err;
	int64_t			 page_size;
	int			 full;
	char			 since[32];	/* delta: Italian datetime */
	int			 total_changed;
	int64_t			 total_last;
	int64_t			 state_fixes;
	int64_t			 relogins;
	int64_t			 max_relogins;
	size_t			*col;		/* view column -> header td */
	char			 setup[4][256];	/* see sync_plan */
	int			 nsetup;
	struct erp_pool		*pool;
	struct erp_config	 ec;
	int64_t			 fetched;	/* by sessions other than 0 */
	struct pages		*pg;		/* the page phase's sessions */
	int			 nsessions;	/* K */
	struct grid		 g;		/* session 0's grid */
};

static void
sync_grid_reset(struct sync *s)
{
	grid_free(&s->g);
	memset(&s->g, 0, sizeof s->g);
}

/*
 * The COLFILTER value of a delta: the watermark (ERP local time, ISO) less
 * a safety margin, as dd/mm/yyyy HH:MM:SS.
 */
int
delta_since(const char *watermark, int64_t margin_s, char *out, size_t len)
{
	struct tm	 tm;
	time_t		 t;
	char		 iso[32];
	const char	*end;

	memset(&tm, 0, sizeof tm);
	end = strptime(watermark, "%Y-%m-%dT%H:%M:%S", &tm);
	if (end == NULL || *end != '\0')
		return -1;
	/* timegm would quietly turn 30 February into 1 March: refuse it. */
	t = timegm(&tm);
	if (gmtime_r(&t, &tm) == NULL)
		return -1;
	strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%S", &tm);
	if (strcmp(iso, watermark) != 0)
		return -1;
	t -= margin_s > 0 ? margin_s : 0;
	if (gmtime_r(&t, &tm) == NULL)
		return -1;
	strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%S", &tm);
	return format_it_datetime(iso, out, len);
}

/* Send one grid command; 1 means the session expired. */
static int
sync_cmd(struct sync *s, const char *fmt, ...) ATTR_PRINTF(2, 3);

static int
sync_cmd(struct sync *s, const char *fmt, ...)
{
	char	 cmd[256];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	sync_grid_reset(s);
	return erp_callback(s->erp, cmd, &s->g, &s->err);
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
	snprintf(s->setup[s->nsetup++], sizeof s->setup[0], "GB|SORT|%s|%s",
	    s->v->sort_field, s->v->sort_desc ? "DESC" : "ASC");
	if (!s->full)
		snprintf(s->setup[s->nsetup++], sizeof s->setup[0],
		    "GB|COLFILTER|MODIFIEDDATETIME|ge|%s", s->since);
}

/* Put the grid in the state the sync needs; 1 means the session expired. */
static int
sync_apply_state(struct sync *s)
{
	int	 i, rc;

	for (i = 0; i < s->nsetup; i++)
		if ((rc = sync_cmd(s, "%s", s->setup[i])) != 0)
			return rc;
	return 0;
}

static struct pages	*pages_new(struct sync *, int);

/* Log in (again) and restore the grid state; -1 on failure. */
static int
sync_connect(struct sync *s)
{
	int	 rc, tries;

	for (tries = 0;; tries++) {
		if (tries > 0) {
			if (++s->relogins > s->max_relogins) {
				wk_error_set(&s->err, "erp", "the ERP ended the "
				    "session %lld times; giving up",
				    (long long)s->relogins - 1);
				return -1;
			}
			log_info("session expired; logging in again");
		}
		if (erp_login(s->erp, &s->err) == -1)
			return -1;
		/*
		 * The other sessions log in only now, so that a limit on
		 * sessions per user never locks session 0 out.
		 */
		if (s->pg == NULL)
			s->pg = pages_new(s, s->nsessions);
		sync_grid_reset(s);
		rc = erp_open_view(s->erp, s->v->path, &s->g, &s->err);
		if (rc == 0)
			rc = sync_apply_state(s);
		if (rc == -1)
			return -1;
		if (rc == 0)
			return 0;
	}
}

/* Why the grid does not show the view's predefined filter, or NULL. */
static const char *
sync_check_filter(struct sync *s, const struct grid *g, char *why, size_t len)
{
	if (s->v->filter_key != NULL) {
		if (g->filter_key == NULL) {
			snprintf(why, len, "the grid shows no predefined filter");
			return why;
		}
		if (strcmp(g->filter_key, s->v->filter_key) != 0) {
			snprintf(why, len, "the filter is \"%s\", not \"%s\"",
			    g->filter_caption ? g->filter_caption : g->filter_key,
			    s->v->filter_caption);
			return why;
		}
	}
	return NULL;
}

/*
 * A grid without the column a sync sorts by breaks the contract: no number
 * of retries will sort it. Records the error and saves the page.
 */
static int
sync_need_field(struct sync *s, struct erp *e, const struct grid *g,
    const char *field)
{
	const struct view_col	*c = view_col_by_field(s->v, field);
	size_t			 i;

	for (i = 0; i < g->ncols; i++)
		if (strcmp(g->cols[i].fieldname, field) == 0)
			return 0;
	erp_save_debug(e, s->v->kind);
	wk_error_set(&s->err, "contract", "the %s grid has no column \"%s\" "
	    "(fieldname %s)", s->v->path, c ? c->caption : field, field);
	return -1;
}

/* Why the grid is not sorted by field in that direction, or NULL. */
static const char *
sync_check_sort(const struct grid *g, const char *field, int desc, char *why,
    size_t len)
{
	size_t			 i;

	for (i = 0; i < g->ncols; i++)
		if (strcmp(g->cols[i].fieldname, field) == 0)
			break;
	if (i == g->ncols || g->cols[i].sort != (desc ? -1 : 1)) {
		snprintf(why, len, "the grid is not sorted by %s %s", field,
		    desc ? "descending" : "ascending");
		return why;
	}
	return NULL;
}

/* Why the grid is not the page we asked for, or NULL when it is. */
static const char *
sync_check(struct sync *s, const struct grid *g, int64_t page, char *why,
    size_t len)
{
	int64_t			 want_pages, want_rows;

	if (sync_check_filter(s, g, why, len) != NULL ||
	    sync_check_sort(g, s->v->sort_field, s->v->sort_desc, why, len) != NULL)
		return why;
	if (g->empty && g->nrows == 0)
		return NULL;
	if (!g->has_pager) {
		snprintf(why, len, "the grid has no pager");
		return why;
	}
	want_pages = (g->total + s->page_size - 1) / s->page_size;
	if (g->pages != want_pages) {
		snprintf(why, len, "%lld pages for %lld elements: the page size "
		    "is not %lld", (long long)g->pages, (long long)g->total,
		    (long long)s->page_size);
		return why;
	}
	if (page < g->pages && g->page != page + 1) {
		snprintf(why, len, "the grid is on page %lld, not %lld",
		    (long long)g->page, (long long)page + 1);
		return why;
	}
	if (page < g->pages) {
		want_rows = g->total - page * s->page_size;
		if (want_rows > s->page_size)
			want_rows = s->page_size;
		if ((int64_t)g->nrows != want_rows) {
			snprintf(why, len, "page %lld has %zu rows, expected %lld",
			    (long long)page + 1, g->nrows, (long long)want_rows);
			return why;
		}
	}
	return NULL;
}

/* Map the view's captions to the grid's cells; -1 if one is missing. */
static int
sync_map_columns(struct sync *s, struct erp *e, const struct grid *g)
{
	const struct grid_column	*c;
	size_t				 i;

	for (i = 0; i < s->v->ncols; i++) {
		if ((c = grid_column(g, s->v->cols[i].caption)) == NULL) {
			erp_save_debug(e, s->v->kind);
			wk_error_set(&s->err, "contract", "the %s grid has no "
			    "column \"%s\"", s->v->path, s->v->cols[i].caption);
			return -1;
		}
		s->col[i] = c->index;
	}
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

/*
 * Sign the newest records on the probe's first page: their modified_at,
 * how many share it, and a hash (FNV-1a) of their sorted keys.
 */
static void
sync_probe_sign(struct sync *s, size_t ki, size_t mi, char *out, size_t len)
{
	struct value	 key, mod;
	char		 perr[256], top[32] = "", **keys;
	size_t		 r, n = 0, i;
	uint64_t	 h = 1469598103934665603ULL;
	const char	*p;

	keys = xcalloc(s->g.nrows, sizeof *keys);
	for (r = 0; r < s->g.nrows; r++) {
		memset(&key, 0, sizeof key);
		memset(&mod, 0, sizeof mod);
		if (value_parse(COL_DATETIME, &s->g.rows[r].cells[s->col[mi]],
		    NULL, &mod, perr, sizeof perr) == -1 || mod.kind != VAL_TEXT ||
		    value_parse(s->v->cols[ki].type, &s->g.rows[r].cells[s->col[ki]],
		    NULL, &key, perr, sizeof perr) == -1 || key.kind == VAL_NULL) {
			value_clear(&mod);
			value_clear(&key);
			n = 0;
			break;		/* unreadable: no signature */
		}
		if (r == 0)
			snprintf(top, sizeof top, "%s", mod.s);
		if (strcmp(mod.s, top) != 0) {
			value_clear(&mod);
			value_clear(&key);
			break;
		}
		if (key.kind == VAL_TEXT)
			keys[n++] = xstrdup(key.s);
		else
			xasprintf(&keys[n++], "%lld", (long long)key.i);
		value_clear(&mod);
		value_clear(&key);
	}
	qsort(keys, n, sizeof *keys, cmp_str);
	for (i = 0; i < n; i++) {
		for (p = keys[i]; *p != '\0'; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211ULL;
		h = (h ^ 0xff) * 1099511628211ULL;
		free(keys[i]);
	}
	free(keys);
	/* Ties filling the whole page may go on past it: no signature. */
	if (n == 0 || (n == s->g.nrows && s->g.pages > 1))
		snprintf(out, len, "?");
	else
		snprintf(out, len, "%s\t%zu\t%016llx", top, n,
		    (unsigned long long)h);
}

/*
 * The probe: sorted by MODIFICATO IL, newest first, the grid's first page
 * holds the newest records and its pager the element count. Taken at the
 * start and the end of a full run: an insert or update in between shows as
 * a newer record, a delete not offset by an insert as a smaller count.
 * Leaves the grid sorted by MODIFIEDDATETIME. out gets the signature of
 * sync_probe_sign, "-" for an empty grid.
 */
static int
sync_probe(struct sync *s, char *out, size_t len, int64_t *total)
{
	size_t		 i, ki = view_key_index(s->v), mi = s->v->ncols;
	char		 why[256] = "";
	int		 rc, tries;

	for (i = 0; i < s->v->ncols; i++)
		if (strcmp(s->v->cols[i].column, "modified_at") == 0)
			mi = i;
	if (mi == s->v->ncols)
		fatalx("view %s has no modified_at column", s->v->kind);
	for (tries = 0;; tries++) {
		if (tries > PAGE_RETRIES) {
			wk_error_set(&s->err, "erp", "the %s grid could not be "
			    "sorted by MODIFIEDDATETIME: %s", s->v->path, why);
			return -1;
		}
		rc = sync_cmd(s, "GB|SORT|MODIFIEDDATETIME|DESC");
		if (rc == 1) {
			if (sync_connect(s) == -1)
				return -1;
			continue;
		}
		if (rc == -1)
			return -1;	/* cut answers were retried in erp.c */
		if (sync_need_field(s, s->erp, &s->g, "MODIFIEDDATETIME") == -1)
			return -1;
		if (sync_check_filter(s, &s->g, why, sizeof why) != NULL) {
			if ((rc = sync_apply_state(s)) == 1)
				rc = sync_connect(s);
			if (rc == -1)
				return -1;
			continue;
		}
		if (sync_check_sort(&s->g, "MODIFIEDDATETIME", 1, why,
		    sizeof why) == NULL)
			break;
	}
	*total = s->g.nrows > 0 ? s->g.total : 0;
	if (s->g.nrows == 0) {
		snprintf(out, len, "-");
		return 0;
	}
	if (sync_map_columns(s, s->erp, &s->g) == -1)
		return -1;
	sync_probe_sign(s, ki, mi, out, len);
	return 0;
}

/* Take the starting probe of a full run (kept across resumes). */
static int
sync_probe_start(struct sync *s)
{
	int64_t	 total;
	int	 rc;

	if (s->ck.resumed && s->ck.probe[0] != '\0')
		return 0;
	if (sync_probe(s, s->ck.probe, sizeof s->ck.probe, &total) == -1)
		return -1;
	s->ck.total = total;
	if (store_set_probe(s->st, s->ck.probe, &s->err) == -1)
		return -1;
	/* Back to the sync's own order, on page 0. */
	rc = sync_cmd(s, "GB|SORT|%s|%s", s->v->sort_field,
	    s->v->sort_desc ? "DESC" : "ASC");
	if (rc == 1)
		rc = sync_connect(s);
	return rc;
}

/* Parse, write and report page (0-based) of grid g, fetched by session e. */
static int
sync_write_page(struct sync *s, struct erp *e, const struct grid *g,
    int64_t page)
{
	size_t			 n = s->v->ncols, r, i, key = view_key_index(s->v);
	struct value		*vals;
	int			*ok;
	char			 perr[256];
	struct msg_progress	 p;
	int			 rc;

	if (sync_map_columns(s, e, g) == -1)
		return -1;
	vals = xcalloc(g->nrows ? g->nrows * n : 1, sizeof *vals);
	ok = xcalloc(g->nrows ? g->nrows : 1, sizeof *ok);
	for (r = 0; r < g->nrows; r++) {
		ok[r] = 1;
		/* Parse the key first, so a bad row can still be named. */
		for (i = 0; i < n; i++) {
			size_t c = i == 0 ? key : (i == key ? 0 : i);
			if (value_parse(s->v->cols[c].type, &g->rows[r].cells[s->col[c]],
			    erp_origin(e), &vals[r * n + c], perr,
			    sizeof perr) == -1) {
				ok[r] = 0;
				log_warnx("%s page %lld row %zu (key %s): column "
				    "%s: %s; row skipped", s->v->path,
				    (long long)page + 1, r + 1,
				    vals[r * n + key].kind == VAL_TEXT ?
				    vals[r * n + key].s : "?",
				    s->v->cols[c].column, perr);
				break;
			}
		}
		if (ok[r] && vals[r * n + key].kind == VAL_NULL) {
			ok[r] = 0;
			log_warnx("%s page %lld row %zu: empty key %s; row "
			    "skipped", s->v->path, (long long)page + 1, r + 1,
			    s->v->key);
		}
	}
	s->ck.next_page = page + 1;
	s->ck.pages = g->pages;
	rc = store_write_page(s->st, &s->ck, vals, g->nrows, ok, &s->pc,
	    &s->err);
	for (r = 0; r < g->nrows * n; r++)
		value_clear(&vals[r]);
	free(vals);
	free(ok);
	if (rc == -1)
		return -1;

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
	return 0;
}

/*
 * The page phase runs K sessions ("slots") at once: each logs in, sets the
 * grid state, then fetches the pages it is given with GB|PN jumps. Pages
 * come back in any order and are written strictly in order, one
 * transaction each, through the one store connection. Slot 0 is the
 * session that connected and probed first.
 */
enum slot_state {
	SL_OFF = 0,	/* not in use (refused by the ERP, or paused) */
	SL_LOGIN,
	SL_VIEW,
	SL_SETUP,	/* sending s->setup[step] */
	SL_IDLE,	/* ready for a page */
	SL_FETCH	/* fetching page */
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

static void
slot_start_setup(struct sync *s, struct slot *sl, int step)
{
	sl->state = SL_SETUP;
	sl->step = step;
	erp_start_callback(sl->erp, s->setup[step], sl->g);
}

static void
slot_start_login(struct slot *sl)
{
	sl->state = SL_LOGIN;
	erp_start_login(sl->erp);
}

static void
slot_fetch(struct slot *sl, int64_t page)
{
	char	 cmd[64];

	snprintf(cmd, sizeof cmd, "GB|PN%lld", (long long)page);
	sl->page = page;
	sl->state = SL_FETCH;
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
	sl->state = SL_IDLE;
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
			wk_error_set(&s->err, "erp", "the ERP ended the session "
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
		    strcmp(err.class, "busy") == 0) {
			log_warnx("session %d: %s; going on with fewer sessions",
			    (int)(sl - pg->slot), err.msg);
			sl->state = SL_OFF;
			return 0;
		}
		wk_error_set(&s->err, err.class, "%s", err.msg);
		return -1;
	}
	switch (sl->state) {
	case SL_LOGIN:
		sl->state = SL_VIEW;
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
			sl->state = SL_IDLE;
		break;
	case SL_FETCH:
		if (sl->g->pages > 0 && sl->page >= sl->g->pages &&
		    sync_check(s, sl->g, sl->g->pages - 1, why, sizeof why) == NULL) {
			/* The ERP has fewer pages than when we started. */
			s->total_changed = 1;
			if (sl->g->pages < pg->npages)
				pg->npages = sl->g->pages;
			sl->page = -1;
			sl->state = SL_IDLE;
			break;
		}
		if (sync_need_field(s, sl->erp, sl->g, s->v->sort_field) == -1)
			return -1;
		if ((problem = sync_check(s, sl->g, sl->page, why,
		    sizeof why)) != NULL) {
			if (++sl->tries > PAGE_RETRIES ||
			    ++s->state_fixes > STATE_FIXES) {
				erp_save_debug(sl->erp, s->v->kind);
				wk_error_set(&s->err, "erp", "page %lld of %s could "
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

static void	 pages_assign(struct pages *);

/* A slot's flow ended inside the pool: move it along at once. */
static void
slot_on_done(struct erp *e, void *arg)
{
	struct slot	*sl = arg;

	(void)e;
	if (sl->state == SL_OFF || sl->state == SL_IDLE)
		return;
	if (slot_advance(sl->s, sl->pg, sl) == -1)
		sl->state = SL_OFF;	/* the error is in s->err */
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
		pg->slot[k].state = SL_OFF;
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
	int		 k;

	pages_halt(pg);
	report_paused();
	log_info("paused at page %lld", (long long)pg->next_write + 1);
	for (;;) {
		report_tick();
		ev = report_poll(1000);
		if (ev == CTL_STOP)
			return 1;
		if (ev == CTL_RESUME)
			break;
	}
	log_info("resuming at page %lld", (long long)pg->next_write + 1);
	for (k = 1; k < pg->nslots; k++)
		slot_start_login(&pg->slot[k]);
	erp_set_done(s->erp, NULL, NULL);
	if (sync_connect(s) == -1)
		return -1;
	erp_set_done(s->erp, slot_on_done, &pg->slot[0]);
	pg->slot[0].state = SL_IDLE;
	return 0;
}

static void
pages_free(struct sync *s, struct pages *pg)
{
	int64_t	 i;
	int	 k;

	if (pg == NULL)
		return;
	for (k = 0; k < pg->nslots; k++)
		pg->slot[k].state = SL_OFF;
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
static struct pages *
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
			sl->state = SL_OFF;	/* driven by hand until the pages */
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
static int
sync_pages(struct sync *s)
{
	struct pages	*pg = s->pg;
	int		 k, rc = 0, written = 1, busy;
	enum ctl_event	 ev;
	char		 why[256];

	pg->next_write = pg->next_assign = s->ck.next_page;
	pg->npages = s->g.nrows == 0 && s->g.total == 0 ? 0 : s->g.pages;
	pg->slot[0].state = SL_IDLE;
	erp_set_done(s->erp, slot_on_done, &pg->slot[0]);
	/* Session 0 already shows page 0 when the run starts from there. */
	if (pg->next_write == 0 && pg->npages > 0 &&
	    sync_check(s, &s->g, 0, why, sizeof why) == NULL) {
		pg->slot[0].page = 0;
		pages_keep(pg, &pg->slot[0]);
		pg->next_assign = 1;
	}
	while (pg->next_write < pg->npages) {
		if (s->err.class != NULL) {
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
			wk_error_set(&s->err, "erp", "no ERP session left to "
			    "read page %lld", (long long)pg->next_write + 1);
			rc = -1;
			break;
		}
		if (busy > 0)
			(void)erp_pool_run(s->pool, 1000);
		if (s->err.class != NULL ||
		    (rc = pages_flush(s, pg, &written)) != 0) {
			rc = -1;
			break;
		}
	}
	if (rc == 0 && pg->npages == 0)
		s->ck.pages = 0;
	/* Session 0 goes on alone (the final probe). */
	for (k = 0; k < pg->nslots; k++)
		pg->slot[k].state = SL_OFF;
	erp_set_done(s->erp, NULL, NULL);
	if (erp_busy(s->erp))
		erp_logout(s->erp);
	return rc;
}

/*
 * Delete vanished rows only when the run proves it saw everything: every
 * page verified, the element count and the newest record the same at the
 * start and the end, no row newer than the start, as many distinct rows
 * seen as the ERP reports. d->sweep says what happened as "VERDICT:
 * details", the verdict short enough for a table column: "swept N" or why
 * nothing was deleted.
 */
/*
 * "ERP changed": the element count and the newest modification time at
 * the start and at the end (a probe is "time\tcount\thash"; the same time
 * with another hash means other records at that time).
 */
static void
sync_sweep_changed(struct sync *s, const char *probe, int64_t total_end,
    struct msg_done *d)
{
	int	 n0 = (int)strcspn(s->ck.probe, "\t");
	int	 n1 = (int)strcspn(probe, "\t");
	int	 same_time = n0 == n1 && strncmp(s->ck.probe, probe, n0) == 0;

	snprintf(d->sweep, sizeof d->sweep, "ERP changed: %lld elements, "
	    "newest modified %.*s at the start; %lld, newest modified %.*s at "
	    "the end%s; nothing deleted", (long long)s->ck.total, n0,
	    s->ck.probe, (long long)total_end, n1, probe, same_time ?
	    " (other records)" : "");
}

static void
sync_sweep(struct sync *s, struct msg_done *d)
{
	char	 probe[sizeof s->ck.probe], *tab;
	int64_t	 seen, total_end = -1, newer = 0;

	if (!s->full)
		return;
	if (sync_probe(s, probe, sizeof probe, &total_end) == -1) {
		snprintf(d->sweep, sizeof d->sweep, "final check failed: "
		    "%.180s; nothing deleted", s->err.msg);
		log_warnx("%s", d->sweep);
		memset(&s->err, 0, sizeof s->err);
		return;
	}
	if ((tab = strchr(s->ck.probe, '\t')) != NULL) {
		*tab = '\0';
		newer = store_count_newer(s->st, s->ck.run_id, s->ck.probe);
		*tab = '\t';
	}
	seen = store_seen_count(s->st, s->ck.run_id);
	if (total_end != s->ck.total || strcmp(probe, s->ck.probe) != 0 ||
	    strcmp(probe, "?") == 0)
		sync_sweep_changed(s, probe, total_end, d);
	else if (newer != 0)
		snprintf(d->sweep, sizeof d->sweep, "rows changed: %lld rows "
		    "were modified in the ERP during the run; nothing deleted",
		    (long long)newer);
	else if (s->total_changed)
		snprintf(d->sweep, sizeof d->sweep, "count changed: the ERP "
		    "reported %lld elements, then %lld; nothing deleted",
		    (long long)s->ck.total, (long long)s->total_last);
	else if (s->pc.skipped > 0)
		snprintf(d->sweep, sizeof d->sweep, "rows unreadable: %lld "
		    "rows could not be read; nothing deleted",
		    (long long)s->pc.skipped);
	else if (seen != s->total_last)
		snprintf(d->sweep, sizeof d->sweep, "rows missing: the run saw "
		    "%lld distinct rows but the ERP reports %lld; nothing "
		    "deleted", (long long)seen, (long long)s->total_last);
	else {
		if (store_sweep(s->st, s->ck.run_id, &d->deleted, &s->err) == -1)
			return;
		snprintf(d->sweep, sizeof d->sweep, "swept %lld: %s",
		    (long long)d->deleted, d->deleted > 0 ? "rows that left "
		    "the ERP (not seen by this run) deleted" : "every row of "
		    "the mirror was seen by this run");
		log_info("%s", d->sweep);
		return;
	}
	log_warnx("%s", d->sweep);
}

static void
sync_free(struct sync *s)
{
	pages_free(s, s->pg);
	sync_grid_reset(s);
	free(s->col);
	store_close(s->st);
	erp_free(s->erp);
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
			(void)erp_pool_run(s->pool, 1000);
	} while (busy > 0);
	for (i = 0; i < n; i++)
		erp_free(e[i]);
}

/* Run the job; fills d. Returns the worker's exit code. */
int
sync_run(const struct msg_job *job, struct msg_done *d)
{
	struct sync		 s;
	int			 rc = -1;

	memset(&s, 0, sizeof s);
	memset(d, 0, sizeof *d);
	s.job = job;
	s.full = strcmp(job->mode, "delta") != 0;
	s.page_size = job->page_size > 0 ? job->page_size : 200;
	if ((s.v = view_find(job->kind)) == NULL) {
		wk_error_set(&s.err, "protocol", "unknown kind \"%s\"", job->kind);
		goto out;
	}
	s.col = xcalloc(s.v->ncols, sizeof *s.col);
	if ((s.st = store_open(job->db, s.v, job->user, &s.err)) == NULL)
		goto out;
	if (!s.full) {
		char wm[32];
		(void)store_last_watermark(s.st, wm, sizeof wm);
		if (wm[0] == '\0') {
			log_info("no watermark yet: running a full sync instead "
			    "of a delta");
			s.full = 1;
		} else if (delta_since(wm, job->delta_margin_s, s.since,
		    sizeof s.since) == -1) {
			wk_error_set(&s.err, "storage", "bad watermark \"%s\" in "
			    "%s", wm, job->db);
			goto out;
		} else
			log_info("delta: records modified since %s (watermark "
			    "%s less %llds)", s.since, wm,
			    (long long)job->delta_margin_s);
	}
	if (store_begin_run(s.st, s.full ? "full" : "delta", job->resume,
	    &s.ck, &s.err) == -1)
		goto out;
	if (s.ck.left_run != 0)
		log_info("not resuming run %lld (stopped after page %lld of "
		    "%lld): %s; run %lld reads every page",
		    (long long)s.ck.left_run, (long long)s.ck.left_page,
		    (long long)s.ck.left_pages,
		    job->resume ? "it was a run of the other mode" :
		    "a new run was asked for", (long long)s.ck.run_id);
	else if (job->resume && !s.ck.resumed)
		log_info("nothing to resume: run %lld reads every page",
		    (long long)s.ck.run_id);
	sync_plan(&s);
	s.pc = s.ck.base;	/* counts are the whole run's, across attempts */
	if (s.ck.resumed) {
		d->resumed_from = s.ck.next_page + 1;
		log_info("resuming run %lld at page %lld of %lld (%lld rows "
		    "read before)", (long long)s.ck.run_id,
		    (long long)s.ck.next_page + 1, (long long)s.ck.pages,
		    (long long)s.ck.base.seen);
	}

	s.ec.url = job->url;
	s.ec.user = job->erp_user;
	s.ec.timeout_ms = job->request_timeout_ms;
	s.ec.tls_verify = job->tls_verify;
	s.ec.ca_file = job->ca_file;
	s.ec.user_agent = job->user_agent;
	s.ec.debug_dir = job->debug_dir;
	s.pool = erp_pool_new();
	s.erp = erp_new(s.pool, &s.ec);
	s.max_relogins = 20;
	s.nsessions = job->sessions > 1 ? (int)job->sessions : 1;
	sync_logout_stale(&s);
	if (sync_connect(&s) == -1)
		goto out;
	if (s.full && sync_probe_start(&s) == -1)
		goto out;
	if (s.err.class != NULL)
		goto out;	/* another session failed meanwhile */
	report_ready();
	s.max_relogins = 20 + (s.g.pages > 0 ? s.g.pages : 1) * 2;
	rc = sync_pages(&s);
	pages_free(&s, s.pg);		/* the other sessions log out */
	s.pg = NULL;
	if (rc == 0)
		sync_sweep(&s, d);
	erp_logout(s.erp);
out:
	if (s.err.class == NULL && rc == 1)
		snprintf(d->status, sizeof d->status, "cancelled");
	else if (s.err.class == NULL && rc == 0)
		snprintf(d->status, sizeof d->status, "ok");
	else {
		if (s.err.class == NULL)
			wk_error_set(&s.err, "crashed", "internal error");
		snprintf(d->status, sizeof d->status, "failed");
		snprintf(d->error_class, sizeof d->error_class, "%s", s.err.class);
		snprintf(d->message, sizeof d->message, "%s", s.err.msg);
	}
	if (s.st != NULL && s.err.class == NULL && rc == 0) {
		/* Only a finished run moves the watermark. */
		(void)store_watermark(s.st, d->watermark, sizeof d->watermark);
		if (store_finish(s.st, &s.ck, "done", d->watermark, &s.err) == -1) {
			snprintf(d->status, sizeof d->status, "failed");
			snprintf(d->error_class, sizeof d->error_class, "storage");
			snprintf(d->message, sizeof d->message, "%s", s.err.msg);
		}
	} else if (s.st != NULL && s.ck.run_id > 0) {
		struct wk_error ignore;
		memset(&ignore, 0, sizeof ignore);
		(void)store_finish(s.st, &s.ck, rc == 1 ? "paused" : "failed",
		    NULL, &ignore);
	}
	d->pages = s.ck.next_page;
	d->seen = s.pc.seen;
	d->inserted = s.pc.inserted;
	d->updated = s.pc.updated;
	d->unchanged = s.pc.unchanged;
	d->skipped = s.pc.skipped;
	d->total = s.total_last;
	d->fetched = s.fetched + (s.erp ? erp_fetched(s.erp) : 0);
	sync_free(&s);
	if (strcmp(d->status, "ok") == 0 || strcmp(d->status, "cancelled") == 0)
		return WK_EXIT_OK;
	return wk_error_permanent(&s.err) ? WK_EXIT_PERMANENT : WK_EXIT_TEMPORARY;
}
