/*
 * control.c — the admin socket: listen, accept (root or our own uid only),
 * the hello exchange, sv_dispatch_ctl for requests, and the pushes: `log`
 * frames to `logs -f` clients, `progress` frames and final answers to
 * clients waiting on a job.
 *
 * A local peer must not be able to wear the daemon out: at most
 * max_clients connections (one more gets an error frame and is closed),
 * idle ones are closed after admin_idle_timeout, running out of fds pauses
 * accepting instead of spinning, and warnings about refused peers are
 * rate-limited.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "supervisor/supervisor.h"

#define ACCEPT_PAUSE_MS	1000	/* no fds left: stop accepting this long */
#define WARN_EVERY_MS	10000	/* refusals: one warning per this long */

/*
 * At most one log line per WARN_EVERY_MS; the rest are counted, and the
 * count is logged when the window ends (or with the next line).
 */
struct ratelim {
	const char	*what;		/* "admin clients refused", ... */
	enum log_level	 level;
	int64_t		 last_ms;	/* mono, of the last line logged */
	int64_t		 suppressed;	/* since then */
	struct event	*ev;		/* logs the count at the window's end */
};

static char		*control_path;
static struct event	*resume_ev;	/* re-enables accepting */
static struct ratelim	 refused_rl = { "admin clients refused", LOG_WARN,
    0, 0, NULL };
static struct ratelim	 idle_rl = { "idle admin clients closed", LOG_INFO,
    0, 0, NULL };
static struct ratelim	 pause_rl = { "pauses in accepting admin clients "
    "(no fds left)", LOG_WARN, 0, 0, NULL };

static void	control_accept_cb(evutil_socket_t, short, void *);
static void	control_resume_cb(evutil_socket_t, short, void *);
static void	client_idle_cb(evutil_socket_t, short, void *);
static void	ratelim_cb(evutil_socket_t, short, void *);
static void	client_chan_cb(struct chan *, const msgpack_object *,
		    const char *, void *);

/*
 * Bind the admin socket at path with mode; a stale socket file is removed,
 * but not one another daemon still answers on. Leaves the fd in sv.
 */
int
control_listen(const char *path, int mode, int64_t gid, const char *group,
    char *err, size_t errlen)
{
	struct sockaddr_un	 sun;
	struct stat		 st;
	int			 fd, probe;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sun.sun_path) {
		snprintf(err, errlen, "%s: socket path too long", path);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			snprintf(err, errlen, "%s: exists and is not a socket",
			    path);
			return -1;
		}
		if ((probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) ==
		    -1) {
			snprintf(err, errlen, "socket: %s", strerror(errno));
			return -1;
		}
		if (connect(probe, (struct sockaddr *)&sun, sizeof sun) == 0) {
			close(probe);
			snprintf(err, errlen, "%s: another erpsyncd is "
			    "answering on this socket", path);
			return -1;
		}
		close(probe);
		if (unlink(path) == -1) {
			snprintf(err, errlen, "%s: removing stale socket: %s",
			    path, strerror(errno));
			return -1;
		}
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd == -1) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&sun, sizeof sun) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (access_apply(path, mode, gid, group, err, errlen) == -1 ||
	    listen(fd, 64) == -1) {
		if (err[0] == '\0')
			snprintf(err, errlen, "%s: listen: %s", path,
			    strerror(errno));
		(void)unlink(path);
		close(fd);
		return -1;
	}
	free(control_path);
	control_path = xstrdup(path);
	sv.listen_fd = fd;
	return 0;
}

/* Start accepting clients on the event loop. */
void
control_start(void)
{
	sv.listen_ev = event_new(sv.base, sv.listen_fd, EV_READ | EV_PERSIST,
	    control_accept_cb, NULL);
	resume_ev = evtimer_new(sv.base, control_resume_cb, NULL);
	refused_rl.ev = evtimer_new(sv.base, ratelim_cb, &refused_rl);
	idle_rl.ev = evtimer_new(sv.base, ratelim_cb, &idle_rl);
	pause_rl.ev = evtimer_new(sv.base, ratelim_cb, &pause_rl);
	if (sv.listen_ev == NULL || resume_ev == NULL || refused_rl.ev ==
	    NULL || idle_rl.ev == NULL || pause_rl.ev == NULL)
		fatalx("control_start: event_new");
	event_add(sv.listen_ev, NULL);
}

/*
 * May a rate-limited line be logged now? When it may, *suppressed is how
 * many were held back since the last one; when not, this one is counted
 * and the window's end will say how many.
 */
static int
ratelim_ok(struct ratelim *r, int64_t *suppressed)
{
	struct timeval	 tv;
	int64_t		 now = mono_ms(), left;

	if (r->last_ms != 0 && now - r->last_ms < WARN_EVERY_MS) {
		r->suppressed++;
		if (r->ev != NULL && !evtimer_pending(r->ev, NULL)) {
			left = WARN_EVERY_MS - (now - r->last_ms);
			tv.tv_sec = left / 1000;
			tv.tv_usec = (left % 1000) * 1000;
			evtimer_add(r->ev, &tv);
		}
		return 0;
	}
	r->last_ms = now;
	*suppressed = r->suppressed;
	r->suppressed = 0;
	return 1;
}

/* " (12 more in the last 10s)", or "" when none were held back. */
static const char *
ratelim_more(int64_t n, char *buf, size_t len)
{
	buf[0] = '\0';
	if (n > 0)
		snprintf(buf, len, " (%lld more in the last %ds)", (long long)n,
		    WARN_EVERY_MS / 1000);
	return buf;
}

/* A window ended with lines held back: say how many, as one line. */
static void
ratelim_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct ratelim	*r = arg;

	(void)fd;
	(void)ev;
	if (r->suppressed == 0)
		return;
	log_emit(r->level, 0, NULL, NULL, "control: %lld more %s in the last "
	    "%ds (rate-limited)", (long long)r->suppressed, r->what,
	    WARN_EVERY_MS / 1000);
	r->last_ms = mono_ms();
	r->suppressed = 0;
}

/* Free a rate limiter's timer (its count is dropped). */
static void
ratelim_free(struct ratelim *r)
{
	if (r->ev != NULL)
		event_free(r->ev);
	r->ev = NULL;
	r->last_ms = r->suppressed = 0;
}

/* Stop listening and remove the socket file; drop every client. */
void
control_close(void)
{
	struct client	*c;

	if (sv.listen_ev != NULL) {
		event_free(sv.listen_ev);
		sv.listen_ev = NULL;
	}
	if (resume_ev != NULL) {
		event_free(resume_ev);
		resume_ev = NULL;
	}
	ratelim_free(&refused_rl);
	ratelim_free(&idle_rl);
	ratelim_free(&pause_rl);
	if (sv.listen_fd != -1) {
		close(sv.listen_fd);
		sv.listen_fd = -1;
	}
	if (control_path != NULL) {
		(void)unlink(control_path);
		free(control_path);
		control_path = NULL;
	}
	while ((c = TAILQ_FIRST(&sv.clients)) != NULL) {
		TAILQ_REMOVE(&sv.clients, c, entry);
		client_free(c);
	}
}

/* Send one error frame on a fresh socket (best effort), and close it. */
static void
control_refuse(int fd, const char *fmt, ...)
{
	struct msg_error	 e;
	struct frame		 f;
	va_list			 ap;
	char			 err[PROTO_ERRLEN];

	va_start(ap, fmt);
	vsnprintf(e.message, sizeof e.message, fmt, ap);
	va_end(ap);
	msg_error_pack(&f, &e);
	/* The socket is new and non-blocking: the frame fits its buffer. */
	if (frame_end(&f, err, sizeof err) == 0)
		(void)write(fd, f.sb.data, f.sb.size);
	frame_free(&f);
	close(fd);
}

/* Live admin connections. */
static int
control_nclients(void)
{
	struct client	*c;
	int		 n = 0;

	TAILQ_FOREACH(c, &sv.clients, entry)
		n += !c->dead;
	return n;
}

/*
 * accept() failed for want of fds (EMFILE, ENFILE) or memory: stop
 * accepting for ACCEPT_PAUSE_MS instead of spinning on a listener that
 * stays readable. No reserve fd is kept to refuse the waiting peers:
 * they stay in the listen backlog and are served as soon as fds come
 * back (an idle client closed, a worker gone), which is what `status`
 * wants; refusing them would turn a short shortage into errors.
 */
static void
control_pause(int err)
{
	struct timeval	 tv = { ACCEPT_PAUSE_MS / 1000,
	    (ACCEPT_PAUSE_MS % 1000) * 1000 };
	int64_t		 more;
	char		 m[64];

	event_del(sv.listen_ev);
	evtimer_add(resume_ev, &tv);
	if (ratelim_ok(&pause_rl, &more))
		log_warnx("control: accept: %s; not accepting admin "
		    "connections for %dms (%d open; raise the open-files "
		    "limit or lower max_clients)%s", strerror(err),
		    ACCEPT_PAUSE_MS, control_nclients(),
		    ratelim_more(more, m, sizeof m));
}

static void
control_resume_cb(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	(void)arg;
	if (sv.listen_ev != NULL)
		event_add(sv.listen_ev, NULL);
}

/* (Re-)arm a client's idle timer for ms. */
static void
client_idle_arm(struct client *c, int64_t ms)
{
	struct timeval	 tv;

	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(c->idle_ev, &tv);
}

static void
control_accept_cb(evutil_socket_t lfd, short ev, void *arg)
{
	struct client	*c;
	struct ucred	 cred;
	socklen_t	 len;
	int64_t		 more;
	int		 fd, max;
	char		 m[64], why[256];

	(void)ev;
	(void)arg;
	for (;;) {
		fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd == -1) {
			switch (errno) {
			case EAGAIN:
#if EAGAIN != EWOULDBLOCK
			case EWOULDBLOCK:
#endif
				return;
			case EINTR:
			case ECONNABORTED:
				continue;
			default:
				/* EMFILE, ENFILE, ENOBUFS, ENOMEM, ... */
				control_pause(errno);
				return;
			}
		}
		len = sizeof cred;
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred,
		    &len) == -1) {
			if (ratelim_ok(&refused_rl, &more))
				log_warn("control: SO_PEERCRED%s",
				    ratelim_more(more, m, sizeof m));
			close(fd);
			continue;
		}
		if (!access_admit(fd, &cred, why, sizeof why)) {
			if (ratelim_ok(&refused_rl, &more))
				log_warnx("control: refused client pid %d: %s%s",
				    (int)cred.pid, why,
				    ratelim_more(more, m, sizeof m));
			control_refuse(fd, "permission denied: %s", why);
			continue;
		}
		max = (int)sv.conf->max_clients;
		if (control_nclients() >= max) {
			if (ratelim_ok(&refused_rl, &more))
				log_warnx("control: refused client pid %d: "
				    "%d admin clients already connected "
				    "(max_clients)%s", (int)cred.pid, max,
				    ratelim_more(more, m, sizeof m));
			control_refuse(fd, "too many admin clients "
			    "(max_clients = %d); try again later", max);
			continue;
		}
		c = xcalloc(1, sizeof *c);
		c->uid = cred.uid;
		c->pid = cred.pid;
		c->level = LOG_INFO;
		c->last_mono = mono_ms();
		TAILQ_INIT(&c->waits);
		/* The channel takes ownership of fd. */
		c->chan = chan_new(sv.base, fd, client_chan_cb, c);
		if ((c->idle_ev = evtimer_new(sv.base, client_idle_cb,
		    c)) == NULL)
			fatalx("control: evtimer_new");
		client_idle_arm(c, sv.conf->admin_idle_timeout * 1000);
		TAILQ_INSERT_TAIL(&sv.clients, c, entry);
		log_debug("control: client pid %d connected", (int)c->pid);
	}
}

/*
 * Is the client busy? A request in flight (a wait, a hold not yet
 * granted), a subscription (logs -f, watch, sync --wait) or a hold it
 * owns (`hold -- CMD` keeps its connection for as long as CMD runs) keep
 * a connection however quiet it is.
 */
static int
client_busy(const struct client *c)
{
	const struct hold	*h;

	if (c->follow || !TAILQ_EMPTY(&c->waits))
		return 1;
	TAILQ_FOREACH(h, &sv.holds.list, entry)
		if (h->owner == c)
			return 1;
	return 0;
}

/* The idle timer: close a client quiet for admin_idle_timeout. */
static void
client_idle_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct client	*c = arg;
	struct msg_error e;
	struct frame	 f;
	int64_t		 timeout, idle, more;
	char		 m[64], d[32];

	(void)fd;
	(void)ev;
	if (c->dead)
		return;
	timeout = sv.conf->admin_idle_timeout * 1000;
	idle = mono_ms() - c->last_mono;
	if (client_busy(c)) {
		client_idle_arm(c, timeout);
		return;
	}
	if (idle < timeout) {
		client_idle_arm(c, timeout - idle);
		return;
	}
	duration_format(sv.conf->admin_idle_timeout, d, sizeof d);
	if (ratelim_ok(&idle_rl, &more))
		log_info("control: client pid %d idle for %s (no request, "
		    "wait, subscription or hold): closing it "
		    "(admin_idle_timeout)%s", (int)c->pid, d,
		    ratelim_more(more, m, sizeof m));
	snprintf(e.message, sizeof e.message, "closing an idle connection: "
	    "no request for %s (admin_idle_timeout)", d);
	msg_error_pack(&f, &e);
	/* Best effort: written now unless earlier answers lie unread. */
	(void)client_send(c, &f);
	c->dead = 1;
	chan_close(c->chan);
	sv_reap_later();
}

/* Free a client, its channel and its waits. */
void
client_free(struct client *c)
{
	struct waiter	*w;

	while ((w = TAILQ_FIRST(&c->waits)) != NULL) {
		TAILQ_REMOVE(&c->waits, w, entry);
		free(w);
	}
	if (c->idle_ev != NULL)
		event_free(c->idle_ev);
	chan_free(c->chan);
	free(c);
}

/* Send a frame to a client (the frame is freed); -1 if it is gone. */
int
client_send(struct client *c, struct frame *f)
{
	if (c->dead) {
		frame_free(f);
		return -1;
	}
	c->last_mono = mono_ms();	/* an answer: not idle */
	return chan_send(c->chan, f);
}

/* Close a misbehaving client; it is freed later. */
void
client_drop(struct client *c, const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[512];

	if (c->dead)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	log_warnx("control: client pid %d: %s; closing it", (int)c->pid, msg);
	c->dead = 1;
	chan_close(c->chan);
	sv_reap_later();
}

static void
client_chan_cb(struct chan *ch, const msgpack_object *obj, const char *why,
    void *arg)
{
	struct client	*c = arg;

	if (obj != NULL) {
		sv_dispatch_ctl(c, obj);
		return;
	}
	if (chan_bad_frame(ch))
		log_warnx("control: client pid %d: bad frame: %s; closed it",
		    (int)c->pid, why);
	else
		log_debug("control: client pid %d: %s", (int)c->pid, why);
	c->dead = 1;
	sv_reap_later();
}

/* Answer a hello, or refuse it with an error frame and close. */
static void
control_hello(struct client *c, const msgpack_object *obj)
{
	struct msg_hello	 h;
	struct msg_error	 e;
	struct frame		 f;
	char			 err[PROTO_ERRLEN];

	if (msg_hello_unpack(obj, &h, err, sizeof err) == -1) {
		client_drop(c, "bad hello: %s", err);
		return;
	}
	if (h.v != PROTO_VERSION || strcmp(h.role, "ctl") != 0) {
		snprintf(e.message, sizeof e.message, "hello refused: "
		    "erpsyncd speaks protocol %d with role ctl, got v=%lld "
		    "role=%s", PROTO_VERSION, (long long)h.v, h.role);
		log_warnx("control: client pid %d: %s", (int)c->pid, e.message);
		msg_error_pack(&f, &e);
		(void)client_send(c, &f);
		chan_close_after_flush(c->chan);
		return;
	}
	memset(&h, 0, sizeof h);
	h.v = PROTO_VERSION;
	snprintf(h.role, sizeof h.role, "supervisor");
	h.pid = sv.pid;
	msg_hello_pack(&f, &h);
	if (client_send(c, &f) == 0)
		c->hello = 1;
}

/* One frame from an admin client: hello first, then requests only. */
void
sv_dispatch_ctl(struct client *c, const msgpack_object *obj)
{
	struct msg_req	 req;
	enum msg_type	 t;
	char		 err[PROTO_ERRLEN];

	if (c->dead)
		return;
	c->last_mono = mono_ms();
	if (msg_type_of(obj, &t, err, sizeof err) == -1) {
		client_drop(c, "bad frame: %s", err);
		return;
	}
	if (!c->hello) {
		if (t == MSG_HELLO)
			control_hello(c, obj);
		else
			client_drop(c, "expected hello, got %s", msg_name(t));
		return;
	}
	switch (t) {
	case MSG_REQ:
		if (msg_req_unpack(obj, &req, err, sizeof err) == -1) {
			client_drop(c, "bad request: %s", err);
			break;
		}
		cmd_dispatch(c, &req);
		break;
	default:
		client_drop(c, "unexpected %s message", msg_name(t));
		break;
	}
}

static int	client_waits_on(const struct client *, int64_t);

/* Does c's logs filter (level, user, job) take ev, live or from the ring? */
int
client_log_match(const struct client *c, const struct log_event *ev)
{
	if (ev->level > c->level)
		return 0;
	if (c->user[0] != '\0' && (ev->user == NULL ||
	    strcmp(c->user, ev->user) != 0))
		return 0;
	return c->job == 0 || c->job == ev->job;
}

/* Does a following client's filter take ev? */
static int
client_follows(const struct client *c, const struct log_event *ev)
{
	return c->follow && client_log_match(c, ev);
}

/* Pack ev as the log frame a client is sent, live or from the ring. */
void
control_log_pack(struct frame *f, const struct log_event *ev)
{
	struct msg_log	 m;

	memset(&m, 0, sizeof m);
	m.ts_ms = ev->ts_ms;
	snprintf(m.level, sizeof m.level, "%s", log_level_name(ev->level));
	snprintf(m.proc, sizeof m.proc, "%s", ev->proc);
	m.job = ev->job;
	snprintf(m.user, sizeof m.user, "%s", ev->user != NULL ? ev->user : "");
	snprintf(m.kind, sizeof m.kind, "%s", ev->kind != NULL ? ev->kind : "");
	snprintf(m.msg, sizeof m.msg, "%s", ev->msg);
	msg_log_pack(f, &m);
}

/*
 * Push a log event to the clients following logs whose filters match, and
 * (debug excepted) to those waiting on its job: `sync --wait` shows the
 * retries, pauses and resumes of the job it waits for.
 */
void
control_push_log(const struct log_event *ev)
{
	static int	 busy;	/* a push that logs must not push again */
	struct client	*c;
	struct frame	 f;
	char		 err[PROTO_ERRLEN];
	int		 packed = 0;

	if (busy)
		return;
	busy = 1;
	TAILQ_FOREACH(c, &sv.clients, entry) {
		if (c->dead)
			continue;
		if (!client_follows(c, ev) && !(ev->job != 0 &&
		    ev->level <= LOG_INFO && client_waits_on(c, ev->job)))
			continue;
		if (!packed) {
			control_log_pack(&f, ev);
			if (frame_end(&f, err, sizeof err) == -1) {
				frame_free(&f);
				break;
			}
			packed = 1;
		}
		if (chan_write(c->chan, f.sb.data, f.sb.size) == -1)
			c->dead = 1;
	}
	if (packed)
		frame_free(&f);
	busy = 0;
}

static int
client_waits_on(const struct client *c, int64_t job)
{
	const struct waiter	*w;

	TAILQ_FOREACH(w, &c->waits, entry)
		if (w->job_id == job)
			return 1;
	return 0;
}

/* Push a job's progress to its waiters and to followers who asked. */
void
control_push_progress(const struct job *j)
{
	struct client	*c;
	struct frame	 f;
	char		 err[PROTO_ERRLEN];

	msg_progress_pack(&f, &j->progress);
	if (frame_end(&f, err, sizeof err) == -1) {
		frame_free(&f);
		return;
	}
	TAILQ_FOREACH(c, &sv.clients, entry) {
		if (c->dead)
			continue;
		if (!client_waits_on(c, j->id) && !(c->follow && c->progress &&
		    (c->user[0] == '\0' || strcmp(c->user, j->scope) == 0) &&
		    (c->job == 0 || c->job == j->id)))
			continue;
		if (chan_write(c->chan, f.sb.data, f.sb.size) == -1)
			c->dead = 1;
	}
	frame_free(&f);
}

/* Register a wait: req_id is answered when job ends (outcome, or -1). */
void
control_wait(struct client *c, int64_t req_id, int64_t job, int outcome)
{
	struct waiter	*w;

	w = xcalloc(1, sizeof *w);
	w->req_id = req_id;
	w->job_id = job;
	w->outcome = outcome;
	TAILQ_INSERT_TAIL(&c->waits, w, entry);
}

/* A job ended: answer every request waiting on it. */
void
control_job_ended(const struct job *j)
{
	struct client	*c;
	struct waiter	*w, *w1;

	TAILQ_FOREACH(c, &sv.clients, entry) {
		TAILQ_FOREACH_SAFE(w, &c->waits, entry, w1) {
			if (w->job_id != j->id)
				continue;
			TAILQ_REMOVE(&c->waits, w, entry);
			if (!c->dead)
				cmd_reply_job(c, w->req_id, j, w->outcome);
			free(w);
		}
	}
}
