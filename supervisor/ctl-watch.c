/*
 * ctl-watch.c — `erpsyncctl watch [-n COUNT]`: the running jobs with a
 * progress bar, the paused ones with the hold that pauses them, the queued
 * ones with why they wait (ctl-watch-draw.c draws them). One connection
 * subscribes to progress frames (`logs` with follow and progress) and asks
 * for `status` and `jobs` every second; progress frames in between move the
 * bars and the rates. On a terminal the screen is redrawn; otherwise one
 * block per second. With --json, every `jobs` answer and progress frame is
 * printed as a JSON line.
 */
#include <sys/ioctl.h>

#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "supervisor/ctl.h"

#define WATCH_JOBS	256
#define WATCH_HOLDS	64
#define WATCH_QUEUED	100	/* queued jobs asked for: more than a screen */
#define WATCH_EVERY_MS	1000
#define WATCH_REDRAW_MS	200	/* on a terminal, between progress frames */

/* This process's watch: the last snapshot, and a rate per job in it. */
static struct {
	struct watch_job	 jobs[WATCH_JOBS];
	struct watch_rate	 rates[WATCH_JOBS];	/* jobs[i]'s */
	struct watch_hold	 holds[WATCH_HOLDS];
	struct watch_snap	 snap;
	int64_t			 drawn;		/* mono ms, 0 = never */
} w;

static const struct ctl_opt ctl_watch_opts[] = {
	{ 'n', NULL, "COUNT", "stop after COUNT refreshes (default: never)" },
	{ 0, NULL, NULL, NULL }
};

static int
ctl_watch_parse(struct ctl *c, int argc, char **argv)
{
	int	 ch;

	while ((ch = ctl_getopt(argc, argv, ctl_watch_opts, "")) != -1) {
		if (ch != 'n' ||
		    ctl_parse_count("-n", optarg, &c->count) != CTL_OK)
			return CTL_USAGE;
	}
	return ctl_no_args(argc, argv);
}

/* Job i has rows now: sample its rate. */
static void
ctl_watch_rate(size_t i, int64_t mono)
{
	struct watch_job	*j = &w.jobs[i];
	int			 running;

	running = strcmp(j->state, "running") == 0;
	watch_rate_sample(&w.rates[i], j->id, mono, j->rows, running);
	j->rate = watch_rate_get(&w.rates[i]);
}

static void
ctl_watch_progress(const msgpack_object *o)
{
	struct watch_job	*j;
	size_t			 i;

	for (i = 0; i < w.snap.njobs; i++) {
		j = &w.jobs[i];
		if (j->id != ctl_int(o, "job"))
			continue;
		j->page = ctl_int(o, "page");
		j->pages = ctl_int(o, "pages");
		j->rows = ctl_int(o, "seen");
		j->total = ctl_int(o, "total");
		ctl_watch_rate(i, mono_ms());
	}
}

/* The daemon's part of the header, from a `status` answer. */
static void
ctl_watch_status(const msgpack_object *d)
{
	w.snap.have_status = 1;
	w.snap.uptime_s = ctl_int(d, "uptime_s");
	w.snap.workers = ctl_int(d, "workers");
	w.snap.max_workers = ctl_int(d, "max_workers");
	w.snap.stopping = ctl_bool(d, "stopping");
}

static void
ctl_watch_job(struct watch_job *j, const msgpack_object *o)
{
	memset(j, 0, sizeof *j);
	j->id = ctl_int(o, "id");
	ctl_str(o, "kind", j->kind, sizeof j->kind);
	ctl_str(o, "user", j->user, sizeof j->user);
	ctl_str(o, "mode", j->mode, sizeof j->mode);
	ctl_str(o, "state", j->state, sizeof j->state);
	ctl_str(o, "trigger", j->trigger, sizeof j->trigger);
	ctl_str(o, "blocked", j->blocked, sizeof j->blocked);
	j->hold = ctl_int(o, "hold");
	j->page = ctl_int(o, "page");
	j->pages = ctl_int(o, "pages");
	j->rows = ctl_int(o, "rows");
	j->total = ctl_int(o, "total");
	j->created_at = ctl_int(o, "created_at");
	j->started_at = ctl_int(o, "started_at");
	j->not_before = ctl_int(o, "not_before");
	j->attempts = ctl_int(o, "attempts");
}

static void
ctl_watch_holds(const msgpack_object *holds)
{
	struct watch_hold	*h;
	uint32_t		 i;

	w.snap.nholds = 0;
	for (i = 0; holds != NULL && holds->type == MSGPACK_OBJECT_ARRAY &&
	    i < holds->via.array.size && w.snap.nholds < WATCH_HOLDS; i++) {
		h = &w.holds[w.snap.nholds++];
		h->id = ctl_int(&holds->via.array.ptr[i], "id");
		h->pid = ctl_int(&holds->via.array.ptr[i], "pid");
		ctl_str(&holds->via.array.ptr[i], "user", h->user,
		    sizeof h->user);
		ctl_str(&holds->via.array.ptr[i], "reason", h->reason,
		    sizeof h->reason);
	}
}

/* Take the live jobs and holds of a `jobs` answer; keep their rates. */
static void
ctl_watch_snapshot(const msgpack_object *d)
{
	static struct watch_rate	 old[WATCH_JOBS];
	const msgpack_object		*jobs = msg_get(d, "jobs");
	size_t				 nold = w.snap.njobs, n = 0, k;
	uint32_t			 i;
	int64_t				 mono = mono_ms();

	memcpy(old, w.rates, nold * sizeof old[0]);
	for (i = 0; jobs != NULL && jobs->type == MSGPACK_OBJECT_ARRAY &&
	    i < jobs->via.array.size && n < WATCH_JOBS; i++) {
		ctl_watch_job(&w.jobs[n], &jobs->via.array.ptr[i]);
		memset(&w.rates[n], 0, sizeof w.rates[n]);
		for (k = 0; k < nold; k++)
			if (old[k].job == w.jobs[n].id)
				w.rates[n] = old[k];
		ctl_watch_rate(n++, mono);
	}
	w.snap.jobs = w.jobs;
	w.snap.njobs = n;
	w.snap.queued_total = ctl_int(d, "queued_total");
	w.snap.holds = w.holds;
	ctl_watch_holds(msg_get(d, "holds"));
}

static void
ctl_watch_draw(struct ctl *c)
{
	struct winsize	 ws;
	struct buf	 b;

	w.snap.now = now_ms();
	w.snap.cols = WATCH_COLS;
	w.snap.lines = 0;
	if (c->tty && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col > 0 && ws.ws_row > 0) {
		if (ws.ws_col < w.snap.cols)
			w.snap.cols = ws.ws_col;
		/* A line less than the screen: the last newline scrolls. */
		w.snap.lines = ws.ws_row > 1 ? ws.ws_row - 1U : 1;
	}
	buf_init(&b);
	if (c->tty)
		buf_adds(&b, "\033[H\033[J");
	else if (w.drawn != 0)
		buf_addc(&b, '\n');	/* between blocks */
	watch_draw(&w.snap, &b);
	fwrite(b.data, 1, b.len, stdout);
	fflush(stdout);
	buf_free(&b);
	w.drawn = mono_ms();
}

static void
ctl_watch_push(struct ctl *c, enum msg_type t, const msgpack_object *o)
{
	if (t != MSG_PROGRESS)
		return;
	if (c->json) {
		ctl_print_json(o);
		return;
	}
	ctl_watch_progress(o);
	if (c->tty && w.drawn != 0 && mono_ms() - w.drawn >= WATCH_REDRAW_MS)
		ctl_watch_draw(c);
}

/* Read pushed frames for up to ms milliseconds. */
static int
ctl_watch_wait(struct ctl *c, int64_t ms)
{
	const msgpack_object	*o;
	struct pollfd		 pfd;
	enum msg_type		 t;
	int64_t			 end = mono_ms() + ms, left;
	int			 rc;

	while ((left = end - mono_ms()) > 0) {
		pfd.fd = c->fd;
		pfd.events = POLLIN;
		if (c->rd.in.len <= c->rd.off && poll(&pfd, 1, (int)left) <= 0)
			continue;
		if ((rc = ctl_read(c, &o, &t)) != CTL_OK)
			return rc;
		ctl_watch_push(c, t, o);
	}
	return CTL_OK;
}

/* One refresh: status (for the header) and jobs, then draw. */
static int
ctl_watch_refresh(struct ctl *c)
{
	const msgpack_object	*d;
	struct frame		 f;
	int64_t			 id;
	int			 rc;

	if (!c->json) {
		id = ctl_req_begin(c, &f, "status", 0);
		if ((rc = ctl_request(c, &f, id, ctl_watch_push, &d)) !=
		    CTL_OK)
			return rc;
		ctl_watch_status(d);
	}
	id = ctl_req_begin(c, &f, "jobs", 2);
	pk_kv_int(&f.pk, "limit", 0);
	pk_kv_int(&f.pk, "queued", WATCH_QUEUED);
	if ((rc = ctl_request(c, &f, id, ctl_watch_push, &d)) != CTL_OK)
		return rc;
	if (c->json)
		ctl_print_json(d);
	else {
		ctl_watch_snapshot(d);
		ctl_watch_draw(c);
	}
	return CTL_OK;
}

static int
ctl_watch_run(struct ctl *c)
{
	const msgpack_object	*d;
	struct frame		 f;
	int64_t			 id, n;
	int			 rc;

	c->tty = isatty(STDOUT_FILENO);
	if ((rc = ctl_connect(c)) != CTL_OK)
		return rc;
	id = ctl_req_begin(c, &f, "logs", 4);
	pk_kv_bool(&f.pk, "follow", 1);
	pk_kv_bool(&f.pk, "progress", 1);
	pk_kv_int(&f.pk, "lines", 0);
	pk_kv_str(&f.pk, "level", "error");
	if ((rc = ctl_request(c, &f, id, ctl_watch_push, &d)) != CTL_OK)
		return rc;
	for (n = 0; c->count == 0 || n < c->count; n++) {
		if ((rc = ctl_watch_refresh(c)) != CTL_OK)
			return rc;
		if (c->count != 0 && n + 1 >= c->count)
			break;
		if ((rc = ctl_watch_wait(c, WATCH_EVERY_MS)) != CTL_OK)
			return rc;
	}
	return CTL_OK;
}

const struct ctl_cmd ctl_watch_entry = {
	"watch", "[-n COUNT]",
	"Show the live jobs with progress bars, refreshed every second.",
	ctl_watch_opts, ctl_watch_parse, ctl_watch_run
};
