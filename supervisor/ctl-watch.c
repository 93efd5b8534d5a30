/*
 * ctl-watch.c — `erpsyncctl watch [-n COUNT]`: a live progress bar per
 * running job. One connection subscribes to progress frames (`logs` with
 * follow and progress) and asks for `jobs` every second; progress frames
 * in between move the bars. On a terminal the screen is redrawn; otherwise
 * one block per second. With --json, every snapshot and progress frame is
 * printed as a JSON line.
 */
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "supervisor/ctl.h"

#define WATCH_JOBS	256
#define WATCH_BAR	24
#define WATCH_EVERY_MS	1000

struct wjob {
	int64_t		 id;
	char		 kind[16], user[USER_ID_MAX + 1], mode[8], state[16];
	char		 blocked[128];
	int64_t		 page, pages, rows, total, ins, upd, unch;
};

static struct wjob	 wjobs[WATCH_JOBS];
static size_t		 nwjobs;
static int64_t		 wqueued, wdrawn;

static int
ctl_watch_parse(struct ctl *c, int argc, char **argv)
{
	char	*end;
	int	 ch;

	while ((ch = getopt(argc, argv, "n:")) != -1) {
		if (ch != 'n')
			return CTL_USAGE;
		c->count = strtoll(optarg, &end, 10);
		if (*optarg == '\0' || *end != '\0' || c->count < 0)
			return CTL_USAGE;
	}
	return optind == argc ? CTL_OK : CTL_USAGE;
}

static void
ctl_watch_progress(const msgpack_object *o)
{
	size_t	 i;

	for (i = 0; i < nwjobs; i++) {
		if (wjobs[i].id != ctl_int(o, "job"))
			continue;
		wjobs[i].page = ctl_int(o, "page");
		wjobs[i].pages = ctl_int(o, "pages");
		wjobs[i].rows = ctl_int(o, "seen");
		wjobs[i].total = ctl_int(o, "total");
		wjobs[i].ins = ctl_int(o, "inserted");
		wjobs[i].upd = ctl_int(o, "updated");
		wjobs[i].unch = ctl_int(o, "unchanged");
	}
}

/* Take the active jobs of a `jobs` answer. */
static void
ctl_watch_snapshot(const msgpack_object *d)
{
	const msgpack_object	*jobs = msg_get(d, "jobs"), *j;
	struct wjob		*w;
	uint32_t		 i;

	nwjobs = 0;
	wqueued = ctl_int(d, "queued_total");
	for (i = 0; jobs != NULL && i < jobs->via.array.size &&
	    nwjobs < WATCH_JOBS; i++) {
		j = &jobs->via.array.ptr[i];
		w = &wjobs[nwjobs];
		ctl_str(j, "state", w->state, sizeof w->state);
		if (strcmp(w->state, "queued") == 0)
			continue;
		w->id = ctl_int(j, "id");
		ctl_str(j, "kind", w->kind, sizeof w->kind);
		ctl_str(j, "user", w->user, sizeof w->user);
		ctl_str(j, "mode", w->mode, sizeof w->mode);
		ctl_str(j, "blocked", w->blocked, sizeof w->blocked);
		w->page = ctl_int(j, "page");
		w->pages = ctl_int(j, "pages");
		w->rows = ctl_int(j, "rows");
		w->total = ctl_int(j, "total");
		w->ins = ctl_int(j, "inserted");
		w->upd = ctl_int(j, "updated");
		w->unch = ctl_int(j, "unchanged");
		nwjobs++;
	}
}

static void
ctl_watch_draw(struct ctl *c)
{
	char		 bar[WATCH_BAR + 1], rows[32], total[32], t[32];
	const struct wjob *w;
	size_t		 i;
	int		 fill, pct;

	if (c->tty)
		printf("\033[H\033[J");
	printf("%s  %zu running, %lld queued\n", ctl_time(now_ms(), t,
	    sizeof t), nwjobs, (long long)wqueued);
	for (i = 0; i < nwjobs; i++) {
		w = &wjobs[i];
		pct = w->pages > 0 ? (int)(w->page * 100 / w->pages) : 0;
		fill = pct * WATCH_BAR / 100;
		memset(bar, '#', (size_t)fill);
		memset(bar + fill, '-', (size_t)(WATCH_BAR - fill));
		bar[WATCH_BAR] = '\0';
		printf("%6lld %-9s %-12s %-5s [%s] %3d%% page %lld/%lld "
		    "%s/%s rows %s%s%s\n", (long long)w->id, w->kind, w->user,
		    w->mode, bar, pct, (long long)w->page, (long long)w->pages,
		    ctl_count(w->rows, rows, sizeof rows),
		    ctl_count(w->total, total, sizeof total), w->state,
		    w->blocked[0] != '\0' ? ", " : "", w->blocked);
	}
	fflush(stdout);
	wdrawn = mono_ms();
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
	if (c->tty && mono_ms() - wdrawn >= 200)
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
	id = ctl_new_id(c);
	msg_req_begin(&f, id, "logs", 4);
	pk_kv_bool(&f.pk, "follow", 1);
	pk_kv_bool(&f.pk, "progress", 1);
	pk_kv_int(&f.pk, "lines", 0);
	pk_kv_str(&f.pk, "level", "error");
	if ((rc = ctl_request(c, &f, id, ctl_watch_push, &d)) != CTL_OK)
		return rc;
	for (n = 0; c->count == 0 || n < c->count; n++) {
		id = ctl_new_id(c);
		msg_req_begin(&f, id, "jobs", 2);
		pk_kv_int(&f.pk, "limit", 0);
		pk_kv_int(&f.pk, "queued", 0);
		if ((rc = ctl_request(c, &f, id, ctl_watch_push, &d)) != CTL_OK)
			return rc;
		if (c->json)
			ctl_print_json(d);
		else {
			ctl_watch_snapshot(d);
			ctl_watch_draw(c);
		}
		if (c->count != 0 && n + 1 >= c->count)
			break;
		if ((rc = ctl_watch_wait(c, WATCH_EVERY_MS)) != CTL_OK)
			return rc;
	}
	return CTL_OK;
}

const struct ctl_cmd ctl_watch_entry = {
	"watch", "[-n COUNT]", ctl_watch_parse, ctl_watch_run
};
