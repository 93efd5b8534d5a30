/*
 * ctl-watch-draw.c — what `erpsyncctl watch` shows, as a function of a
 * snapshot (the jobs, holds and status answers taken together, the clock)
 * so unit tests can drive it: a header with the counts, then the running
 * jobs, the paused ones with the hold that pauses them and the queued ones
 * with why they wait. The counts are taken from the same jobs the sections
 * list, so they cannot disagree. Every line fits in the snapshot's width:
 * long user ids and reasons are cut at a whole character and end in "…".
 * Rates come with the jobs (ctl-watch-rate.c measures them).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "supervisor/ctl.h"

#define WATCH_BAR		20	/* progress bar cells */
#define WATCH_USER		20	/* user column, in columns */
#define WATCH_HOLD_USER		24	/* a holder's user id, at most */
#define WATCH_INDENT		"          "	/* details, under the kind */

enum watch_section {
	WS_RUNNING,
	WS_PAUSED,
	WS_QUEUED,
	WS_OTHER
};

struct wdraw {
	const struct watch_snap	*s;
	struct buf		*out;
	size_t			 lines;		/* drawn so far */
};

/* Columns of UTF-8 text made safe by ctl_sanitize: one per character. */
static size_t
watch_cols(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/*
 * Append s to b, at most width columns: a longer s is cut at a whole
 * character and ends in "…". With pad, spaces fill it to width.
 */
static void
watch_fit(struct buf *b, const char *s, size_t width, int pad)
{
	size_t	 n = watch_cols(s), i, c = 0;

	if (n <= width) {
		buf_adds(b, s);
		for (; pad && n < width; n++)
			buf_addc(b, ' ');
		return;
	}
	if (width == 0)
		return;
	for (i = 0; s[i] != '\0'; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80 && c++ == width - 1)
			break;
		buf_addc(b, s[i]);
	}
	buf_adds(b, "…");
}

/* s cut to width columns, into out. */
static const char *
watch_cut(const char *s, size_t width, char *out, size_t len)
{
	struct buf	 b;

	buf_init(&b);
	watch_fit(&b, s, width, 0);
	snprintf(out, len, "%s", b.data != NULL ? b.data : "");
	buf_free(&b);
	return out;
}

/* Emit one line, cut to the snapshot's width. */
static void
watch_emit(struct wdraw *d, const struct buf *line)
{
	watch_fit(d->out, line->data != NULL ? line->data : "", d->s->cols, 0);
	buf_addc(d->out, '\n');
	d->lines++;
}

static void ATTR_PRINTF(2, 3)
watch_linef(struct wdraw *d, const char *fmt, ...)
{
	struct buf	 b;
	char		*s;
	va_list		 ap;

	va_start(ap, fmt);
	(void)xvasprintf(&s, fmt, ap);
	va_end(ap);
	buf_init(&b);
	buf_adds(&b, s);
	watch_emit(d, &b);
	buf_free(&b);
	free(s);
}

static enum watch_section
watch_section_of(const struct watch_job *j)
{
	if (strcmp(j->state, "running") == 0 ||
	    strcmp(j->state, "starting") == 0)
		return WS_RUNNING;
	if (strcmp(j->state, "paused") == 0)
		return WS_PAUSED;
	if (strcmp(j->state, "queued") == 0)
		return WS_QUEUED;
	return WS_OTHER;
}

static size_t
watch_count(const struct watch_snap *s, enum watch_section which)
{
	size_t	 i, n = 0;

	for (i = 0; i < s->njobs; i++)
		n += watch_section_of(&s->jobs[i]) == which;
	return n;
}

/* The queued count: all of them, also those the answer did not list. */
static int64_t
watch_queued(const struct watch_snap *s)
{
	int64_t	 listed = (int64_t)watch_count(s, WS_QUEUED);

	return s->queued_total > listed ? s->queued_total : listed;
}

/* A wall-clock ms time as HH:MM:SS. */
static const char *
watch_clock(int64_t ms, char *out, size_t len)
{
	struct tm	 tm;
	time_t		 t = (time_t)(ms / 1000);

	localtime_r(&t, &tm);
	strftime(out, len, "%H:%M:%S", &tm);
	return out;
}

static void
watch_header(struct wdraw *d)
{
	const struct watch_snap	*s = d->s;
	char			 t[16], up[32], daemon[96] = "";

	if (s->have_status)
		snprintf(daemon, sizeof daemon, " · %lld/%lld workers, %s%s",
		    (long long)s->workers, (long long)s->max_workers,
		    s->stopping ? "stopping" : "up ", s->stopping ? "" :
		    duration_format(s->uptime_s, up, sizeof up));
	watch_linef(d, "%s  %zu running · %zu paused · %lld queued · %zu "
	    "hold%s%s", watch_clock(s->now, t, sizeof t),
	    watch_count(s, WS_RUNNING), watch_count(s, WS_PAUSED),
	    (long long)watch_queued(s), s->nholds, s->nholds == 1 ? "" : "s",
	    daemon);
}

/* The first line of a job: id, kind, user and mode, then tail. */
static void
watch_ident(struct wdraw *d, const struct watch_job *j, const char *tail)
{
	struct buf	 b;

	buf_init(&b);
	buf_addf(&b, "  %6lld  %-9s ", (long long)j->id, j->kind);
	watch_fit(&b, j->user, WATCH_USER, 1);
	buf_addf(&b, " %-5s  %s", j->mode, tail);
	watch_emit(d, &b);
	buf_free(&b);
}

/* "[#####---------------]  25%": pages done of the pages the ERP has. */
static const char *
watch_bar(const struct watch_job *j, char *out, size_t len)
{
	char	 cells[WATCH_BAR + 1];
	int64_t	 pct = 0;
	int	 fill;

	if (j->pages > 0)
		pct = j->page * 100 / j->pages;
	if (pct < 0)
		pct = 0;
	if (pct > 100)
		pct = 100;
	fill = (int)(pct * WATCH_BAR / 100);
	memset(cells, '#', (size_t)fill);
	memset(cells + fill, '-', (size_t)(WATCH_BAR - fill));
	cells[WATCH_BAR] = '\0';
	snprintf(out, len, "[%s] %3lld%%", cells, (long long)pct);
	return out;
}

/* "1,000/3,000 rows", or "1,000 rows" while the total is unknown. */
static const char *
watch_rows(const struct watch_job *j, char *out, size_t len)
{
	char	 rows[32], total[32];

	if (j->total > 0)
		snprintf(out, len, "%s/%s rows", ctl_count(j->rows, rows,
		    sizeof rows), ctl_count(j->total, total, sizeof total));
	else
		snprintf(out, len, "%s rows", ctl_count(j->rows, rows,
		    sizeof rows));
	return out;
}

/* Time since the run started (the attempt, pauses included), or "—". */
static const char *
watch_elapsed(const struct watch_snap *s, const struct watch_job *j,
    char *out, size_t len)
{
	if (j->started_at <= 0 || s->now < j->started_at)
		snprintf(out, len, "—");
	else
		duration_format((s->now - j->started_at) / 1000, out, len);
	return out;
}

/* "16.4 rows/s  ETA 2m2s"; "—" for what is not known. */
static const char *
watch_speed(const struct watch_job *j, char *out, size_t len)
{
	char	 rate[32], eta[32];
	int64_t	 left, secs;

	if (j->rate < 0)
		snprintf(rate, sizeof rate, "—");
	else if (j->rate < 10)
		snprintf(rate, sizeof rate, "%.1f", j->rate);
	else
		ctl_count((int64_t)(j->rate + 0.5), rate, sizeof rate);
	if (j->total > 0 && j->rate > 0) {
		left = j->total > j->rows ? j->total - j->rows : 0;
		secs = (int64_t)((double)left / j->rate + 0.999);
		duration_format(secs, eta, sizeof eta);
	} else
		snprintf(eta, sizeof eta, "—");
	snprintf(out, len, "%s rows/s  ETA %s", rate, eta);
	return out;
}

/* Page, rows, elapsed time and, for a running job, rate and ETA. */
static void
watch_progress(struct wdraw *d, const struct watch_job *j, int speed)
{
	char	 rows[80], el[32], sp[80] = "";

	if (speed)
		watch_speed(j, sp, sizeof sp);
	watch_linef(d, "%spage %lld/%lld  %s  elapsed %s%s%s", WATCH_INDENT,
	    (long long)j->page, (long long)j->pages,
	    watch_rows(j, rows, sizeof rows),
	    watch_elapsed(d->s, j, el, sizeof el), speed ? "  " : "", sp);
}

static const struct watch_hold *
watch_hold_find(const struct watch_snap *s, int64_t id)
{
	size_t	 i;

	for (i = 0; id != 0 && i < s->nholds; i++)
		if (s->holds[i].id == id)
			return &s->holds[i];
	return NULL;
}

/*
 * "paused by hold 3 (agent1, pid 4567): new order": the hold the
 * supervisor names for j, with its holder; the supervisor's own words
 * when that hold is not in the snapshot (released in between).
 */
static void
watch_hold_line(struct wdraw *d, const struct watch_job *j, const char *verb)
{
	const struct watch_hold	*h = watch_hold_find(d->s, j->hold);
	char			 user[4 * WATCH_HOLD_USER + 8];

	if (h == NULL) {
		watch_linef(d, "%s%s", WATCH_INDENT, j->blocked[0] != '\0' ?
		    j->blocked : verb);
		return;
	}
	if (strcmp(h->user, "*") == 0)
		snprintf(user, sizeof user, "all users");
	else
		watch_cut(h->user, WATCH_HOLD_USER, user, sizeof user);
	watch_linef(d, "%s%s by hold %lld (%s, pid %lld)%s%s", WATCH_INDENT,
	    verb, (long long)h->id, user, (long long)h->pid,
	    h->reason[0] != '\0' ? ": " : "", h->reason);
}

static void
watch_active(struct wdraw *d, const struct watch_job *j)
{
	char	 bar[WATCH_BAR + 16];
	int	 paused = watch_section_of(j) == WS_PAUSED;

	watch_ident(d, j, watch_bar(j, bar, sizeof bar));
	watch_progress(d, j, !paused);
	if (paused)
		watch_hold_line(d, j, "paused");
	else if (j->hold != 0)
		watch_hold_line(d, j, "pausing");	/* at its next page */
}

/* Why a queued job waits: its backoff, its hold, or the queue's reason. */
static void
watch_why(struct wdraw *d, const struct watch_job *j)
{
	char	 in[32], at[16];

	if (j->not_before > d->s->now)
		watch_linef(d, "%sbackoff: retry in %s (at %s), after %lld "
		    "attempt%s", WATCH_INDENT, duration_format((j->not_before -
		    d->s->now + 999) / 1000, in, sizeof in),
		    watch_clock(j->not_before, at, sizeof at),
		    (long long)j->attempts, j->attempts == 1 ? "" : "s");
	else if (j->hold != 0)
		watch_hold_line(d, j, "held");
	else
		watch_linef(d, "%s%s", WATCH_INDENT, j->blocked[0] != '\0' ?
		    j->blocked : "ready: starts at the next pass");
}

static void
watch_queued_job(struct wdraw *d, const struct watch_job *j)
{
	char	 tail[64], ago[32];

	snprintf(tail, sizeof tail, "%s, queued %s ago", j->trigger,
	    duration_format(j->created_at > 0 && d->s->now > j->created_at ?
	    (d->s->now - j->created_at) / 1000 : 0, ago, sizeof ago));
	watch_ident(d, j, tail);
	watch_why(d, j);
}

static void
watch_actives(struct wdraw *d, enum watch_section which, const char *title)
{
	const struct watch_snap	*s = d->s;
	size_t			 i, n = watch_count(s, which);

	if (n == 0)
		return;
	watch_linef(d, "%s (%zu)", title, n);
	for (i = 0; i < s->njobs; i++)
		if (watch_section_of(&s->jobs[i]) == which)
			watch_active(d, &s->jobs[i]);
}

/*
 * How many listed queued jobs to show: all that the screen has room for
 * (two lines each), keeping a line to say how many more there are when
 * not all are shown.
 */
static size_t
watch_queued_room(const struct wdraw *d, size_t listed, int64_t all)
{
	size_t	 avail;

	if (d->s->lines == 0)
		return listed;
	avail = d->s->lines > d->lines ? d->s->lines - d->lines : 0;
	if ((int64_t)listed == all && 2 * listed <= avail)
		return listed;
	avail = avail > 0 ? avail - 1 : 0;
	return avail / 2 < listed ? avail / 2 : listed;
}

static void
watch_queue(struct wdraw *d)
{
	const struct watch_snap	*s = d->s;
	int64_t			 all = watch_queued(s);
	size_t			 i, shown = 0, room;

	if (all == 0 || (s->lines != 0 && d->lines >= s->lines))
		return;
	watch_linef(d, "queued (%lld)", (long long)all);
	room = watch_queued_room(d, watch_count(s, WS_QUEUED), all);
	for (i = 0; i < s->njobs && shown < room; i++) {
		if (watch_section_of(&s->jobs[i]) != WS_QUEUED)
			continue;
		watch_queued_job(d, &s->jobs[i]);
		shown++;
	}
	if ((int64_t)shown < all && (s->lines == 0 || d->lines < s->lines))
		watch_linef(d, "  … and %lld more queued",
		    (long long)(all - (int64_t)shown));
}

/*
 * Draw a snapshot into out: the header (time, counts, holds and the
 * daemon), then a section per state that has jobs, each job on two lines
 * (three when a hold pauses it), no line wider than s->cols and, with
 * s->lines set, the queued list cut to fit the screen.
 */
void
watch_draw(const struct watch_snap *s, struct buf *out)
{
	struct wdraw	 d = { s, out, 0 };

	watch_header(&d);
	watch_actives(&d, WS_RUNNING, "running");
	watch_actives(&d, WS_PAUSED, "paused");
	watch_queue(&d);
	if (watch_count(s, WS_RUNNING) + watch_count(s, WS_PAUSED) == 0 &&
	    watch_queued(s) == 0)
		watch_linef(&d, "  nothing running, paused or queued");
}
