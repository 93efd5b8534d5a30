/*
 * report.c — the worker's side of the channel to erpsyncd on fd 3: hello and
 * the job in, then ready/progress/log/heartbeat/paused/done out, and
 * pause/resume/stop in. Writes block (the supervisor reads promptly); if the
 * supervisor is gone the worker is killed by PR_SET_PDEATHSIG anyway.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "worker/worker.h"

static struct {
	int			 fd;
	int			 broken;
	int64_t			 heartbeat_ms;
	int64_t			 last_sent;
	struct frame_reader	 rd;
	enum ctl_event		 pending;
	char			 password[256];	/* the job's, until first used */
} rp = { .fd = -1, .heartbeat_ms = 5000 };

/* Send one frame (consumed); a broken channel is remembered, not fatal. */
void
report_send(struct frame *f)
{
	char	 err[PROTO_ERRLEN];

	if (frame_end(f, err, sizeof err) == -1) {
		frame_free(f);
		return;
	}
	if (rp.fd != -1 && !rp.broken) {
		if (write_all(rp.fd, f->sb.data, f->sb.size) == -1)
			rp.broken = 1;
		rp.last_sent = mono_ms();
	}
	frame_free(f);
}

/* Log events go to the supervisor as frames while the channel works. */
static int
report_log_sink(const struct log_event *ev, void *arg)
{
	struct msg_log	 m;
	struct frame	 f;

	(void)arg;
	if (rp.fd == -1 || rp.broken)
		return 1;
	memset(&m, 0, sizeof m);
	m.ts_ms = ev->ts_ms;
	snprintf(m.level, sizeof m.level, "%s", log_level_name(ev->level));
	snprintf(m.proc, sizeof m.proc, "%s", ev->proc);
	snprintf(m.msg, sizeof m.msg, "%s", ev->msg);
	msg_log_pack(&f, &m);
	report_send(&f);
	return 0;
}

/* Wait for one frame, up to timeout_ms (-1: forever). 1 frame, 0 timeout, -1 error. */
static int
report_wait_frame(const msgpack_object **obj, int timeout_ms, char *err,
    size_t errlen)
{
	struct pollfd	 pfd;
	ssize_t		 n;
	int		 rc;

	for (;;) {
		if ((rc = frame_reader_next(&rp.rd, obj, err, errlen)) != 0)
			return rc;
		pfd.fd = rp.fd;
		pfd.events = POLLIN;
		rc = poll(&pfd, 1, timeout_ms);
		if (rc == -1 && errno == EINTR)
			continue;
		if (rc == -1) {
			snprintf(err, errlen, "poll: %s", strerror(errno));
			return -1;
		}
		if (rc == 0)
			return 0;
		n = frame_reader_read(&rp.rd, rp.fd);
		if (n == 0) {
			snprintf(err, errlen, "supervisor closed the channel");
			return -1;
		}
		if (n == -1) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			snprintf(err, errlen, "read: %s", strerror(errno));
			return -1;
		}
	}
}

/* Exchange hellos and read the job; installs the log sink. */
int
report_init(int fd, struct msg_job *job, char *err, size_t errlen)
{
	const msgpack_object	*o;
	struct msg_hello	 h;
	struct frame		 f;
	int			 rc;

	rp.fd = fd;
	frame_reader_init(&rp.rd);
	h.v = PROTO_VERSION;
	snprintf(h.role, sizeof h.role, "worker");
	h.pid = getpid();
	msg_hello_pack(&f, &h);
	report_send(&f);
	if (rp.broken) {
		snprintf(err, errlen, "cannot write to fd %d: %s", fd,
		    strerror(errno));
		return -1;
	}
	if ((rc = report_wait_frame(&o, 30000, err, errlen)) != 1) {
		if (rc == 0)
			snprintf(err, errlen, "no hello from the supervisor");
		return -1;
	}
	if (msg_hello_unpack(o, &h, err, errlen) == -1)
		return -1;
	if (h.v != PROTO_VERSION) {
		snprintf(err, errlen, "protocol version %lld, want %d",
		    (long long)h.v, PROTO_VERSION);
		return -1;
	}
	if ((rc = report_wait_frame(&o, 30000, err, errlen)) != 1) {
		if (rc == 0)
			snprintf(err, errlen, "no job from the supervisor");
		return -1;
	}
	rc = msg_job_unpack(o, job, err, errlen);
	frame_reader_wipe(&rp.rd);	/* the frame's copy of the password */
	/* Only report_password hands it out, once; the job keeps none. */
	memcpy(rp.password, job->password, sizeof rp.password);
	explicit_bzero(job->password, sizeof job->password);
	if (rc == -1)
		return -1;
	if (job->heartbeat_ms > 0)
		rp.heartbeat_ms = job->heartbeat_ms;
	log_set_sink(report_log_sink, NULL);
	return 0;
}

/* Send a heartbeat if nothing went out for a while. */
void
report_tick(void)
{
	struct frame	 f;

	if (mono_ms() - rp.last_sent < rp.heartbeat_ms)
		return;
	msg_empty_pack(&f, MSG_HEARTBEAT);
	report_send(&f);
}

/* How long until report_tick has to send a heartbeat (ms, at least 1). */
int64_t
report_due_ms(void)
{
	int64_t	 left = rp.last_sent + rp.heartbeat_ms - mono_ms();

	return left > 0 ? left : 1;
}

/* Poll for pause/resume/stop; a bad frame or a closed channel means stop. */
enum ctl_event
report_poll(int timeout_ms)
{
	const msgpack_object	*o;
	enum msg_type		 t;
	enum ctl_event		 ev;
	char			 err[PROTO_ERRLEN];
	int			 rc;

	if (rp.pending != CTL_NONE) {
		ev = rp.pending;
		rp.pending = CTL_NONE;
		return ev;
	}
	if (rp.fd == -1)
		return CTL_NONE;
	rc = report_wait_frame(&o, timeout_ms, err, sizeof err);
	if (rc == 0)
		return CTL_NONE;
	if (rc == -1 || msg_type_of(o, &t, err, sizeof err) == -1) {
		log_warnx("channel: %s; stopping", err);
		rp.broken = 1;
		return CTL_STOP;
	}
	switch (t) {
	case MSG_PAUSE:
		return CTL_PAUSE;
	case MSG_RESUME:
		return CTL_RESUME;
	case MSG_STOP:
		return CTL_STOP;
	default:
		log_warnx("channel: unexpected %s message; stopping",
		    msg_name(t));
		return CTL_STOP;
	}
}

/* Report progress after a committed page. */
void
report_progress(const struct msg_progress *p)
{
	struct frame	 f;

	msg_progress_pack(&f, p);
	report_send(&f);
}

/* Tell the supervisor the worker is logged in and working. */
void
report_ready(void)
{
	struct frame	 f;

	msg_empty_pack(&f, MSG_READY);
	report_send(&f);
}

/* Tell the supervisor the worker checkpointed and logged out. */
void
report_paused(void)
{
	struct frame	 f;

	msg_empty_pack(&f, MSG_PAUSED);
	report_send(&f);
}

/* The job's result; the last frame a worker sends. */
void
report_done(const struct msg_done *d)
{
	struct frame	 f;

	msg_done_pack(&f, d);
	report_send(&f);
	log_set_sink(NULL, NULL);
	explicit_bzero(rp.password, sizeof rp.password);	/* never used */
}

/* An ERP session opened or closed (its cookies: a secret, wiped here). */
void
report_session(const struct msg_session *m)
{
	struct frame	 f;

	msg_session_pack(&f, m);
	if (frame_end(&f, NULL, 0) == 0 && rp.fd != -1 && !rp.broken) {
		if (write_all(rp.fd, f.sb.data, f.sb.size) == -1)
			rp.broken = 1;
		rp.last_sent = mono_ms();
	}
	explicit_bzero(f.sb.data, f.sb.size);
	frame_free(&f);
}

/* A control frame that arrived while waiting for something else. */
static void
report_defer(enum msg_type t)
{
	enum ctl_event	 ev = t == MSG_STOP ? CTL_STOP : t == MSG_PAUSE ?
	    CTL_PAUSE : CTL_RESUME;

	if (rp.pending == CTL_PAUSE && ev == CTL_RESUME)
		rp.pending = CTL_NONE;	/* they cancel out */
	else if (rp.pending != CTL_STOP)
		rp.pending = ev;
}

/*
 * The ERP password, for one login: into out (len bytes), to be wiped by
 * the caller as soon as the form is built. The job's copy serves the
 * first login and is wiped; later logins (another session, a session the
 * ERP expired) ask the supervisor again, so no password stays in the
 * worker's memory between logins. 0, or -1 with err set.
 */
int
report_password(char *out, size_t len, char *err, size_t errlen)
{
	const msgpack_object	*o;
	struct msg_cred		 c;
	struct frame		 f;
	enum msg_type		 t;
	int			 rc;

	if (rp.password[0] != '\0') {
		snprintf(out, len, "%s", rp.password);
		explicit_bzero(rp.password, sizeof rp.password);
		return 0;
	}
	msg_empty_pack(&f, MSG_CRED_REQ);
	report_send(&f);
	for (;;) {
		if ((rc = report_wait_frame(&o, 10000, err, errlen)) != 1) {
			if (rc == 0)
				snprintf(err, errlen, "the supervisor did not "
				    "send the password within 10 s");
			return -1;
		}
		if (msg_type_of(o, &t, err, errlen) == -1)
			return -1;
		if (t == MSG_PAUSE || t == MSG_RESUME || t == MSG_STOP) {
			report_defer(t);
			continue;
		}
		if (t != MSG_CRED) {
			snprintf(err, errlen, "expected the password, got %s",
			    msg_name(t));
			return -1;
		}
		rc = msg_cred_unpack(o, &c, err, errlen);
		frame_reader_wipe(&rp.rd);
		if (rc == 0 && c.password[0] == '\0') {
			snprintf(err, errlen, "the supervisor has no password "
			    "any more");
			rc = -1;
		}
		if (rc == 0)
			snprintf(out, len, "%s", c.password);
		explicit_bzero(&c, sizeof c);
		return rc;
	}
}
