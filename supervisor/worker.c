/*
 * worker.c — one running job's worker: start it with its job spec, read its
 * channel (sv_dispatch_worker), and turn its exit and its `done` into the
 * job's end. Watching it is watchdog.c's.
 */
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "supervisor/supervisor.h"

static void	worker_chan_cb(struct chan *, const msgpack_object *,
		    const char *, void *);

/* Workers alive (not yet reaped). */
int
worker_count(void)
{
	struct worker	*w;
	int		 n = 0;

	TAILQ_FOREACH(w, &sv.workers, entry)
		n += !w->exited;
	return n;
}

/* Send a frame without a body (pause, resume, stop) to a worker. */
void
worker_send(struct worker *w, enum msg_type t)
{
	struct frame	 f;

	if (w->exited || w->chan == NULL)
		return;
	msg_empty_pack(&f, t);
	(void)chan_send(w->chan, &f);
}

/*
 * A worker logs in again (another session, or one the ERP expired) and
 * asks for the password: it keeps none between logins. An ERP user with
 * no password any more gets an empty one, and the worker says so.
 */
static void
worker_send_cred(struct worker *w)
{
	const char	*password = sv_password(w->job->erp_user);
	struct msg_cred	 m;
	struct frame	 f;

	memset(&m, 0, sizeof m);
	if (password != NULL)
		snprintf(m.password, sizeof m.password, "%s", password);
	msg_cred_pack(&f, &m);
	explicit_bzero(&m, sizeof m);
	(void)chan_send_secret(w->chan, &f);
}

/* Time the worker has spent paused, up to mono. */
int64_t
worker_paused_ms(const struct worker *w, int64_t mono)
{
	return w->paused_total_ms + (w->paused_mono != 0 ?
	    mono - w->paused_mono : 0);
}

/* Pack hello and the job spec and write them before anything else. */
static int
worker_send_job(struct worker *w, int fd, const char *password, char *err,
    size_t errlen)
{
	const struct config	*c = sv.conf;
	const struct job	*j = w->job;
	struct msg_hello	 h;
	struct msg_job		 m;
	struct frame		 f;
	size_t			 n;
	int			 rc;

	memset(&h, 0, sizeof h);
	h.v = PROTO_VERSION;
	snprintf(h.role, sizeof h.role, "supervisor");
	h.pid = sv.pid;
	msg_hello_pack(&f, &h);
	rc = frame_end(&f, err, errlen);
	if (rc == 0 && (rc = write_all(fd, f.sb.data, f.sb.size)) == -1)
		snprintf(err, errlen, "writing hello: %s", strerror(errno));
	frame_free(&f);
	if (rc == -1)
		return -1;

	memset(&m, 0, sizeof m);
	m.id = j->id;
	snprintf(m.kind, sizeof m.kind, "%s", kind_name(j->kind));
	snprintf(m.mode, sizeof m.mode, "%s", job_mode_name(j->mode));
	snprintf(m.user, sizeof m.user, "%s", j->scope);
	snprintf(m.erp_user, sizeof m.erp_user, "%s", j->erp_user);
	snprintf(m.password, sizeof m.password, "%s", password);
	snprintf(m.url, sizeof m.url, "%s", c->url);
	kind_db_path(j->kind, j->scope, c->data_dir, m.db, sizeof m.db);
	snprintf(m.debug_dir, sizeof m.debug_dir, "%s/debug", c->state_dir);
	m.page_size = c->page_size;
	m.sessions = j->sessions;
	m.request_timeout_ms = c->request_timeout * 1000;
	m.heartbeat_ms = c->heartbeat_timeout * 1000 / 3;
	m.delta_margin_s = SV_DELTA_MARGIN_S;
	m.tls_verify = c->tls_verify;
	m.resume = j->resume_run;
	snprintf(m.log_level, sizeof m.log_level, "%s",
	    log_level_name(c->log_level));
	snprintf(m.ca_file, sizeof m.ca_file, "%s", c->ca_file);
	snprintf(m.user_agent, sizeof m.user_agent, "%s", c->user_agent);
	if ((n = sessions_take(j->erp_user, m.stale, sizeof m.stale)) > 0)
		log_emit(LOG_INFO, j->id, j->scope, kind_name(j->kind),
		    "handing %zu ERP session%s of %s left by a dead worker to "
		    "pid %d to log out", n, n == 1 ? "" : "s", j->erp_user,
		    (int)w->pid);
	msg_job_pack(&f, &m);
	explicit_bzero(m.password, sizeof m.password);
	explicit_bzero(m.stale, sizeof m.stale);
	rc = frame_end(&f, err, errlen);
	/* Written directly, so no copy of the password sits in a buffer. */
	if (rc == 0 && (rc = write_all(fd, f.sb.data, f.sb.size)) == -1)
		snprintf(err, errlen, "writing the job: %s", strerror(errno));
	explicit_bzero(f.sb.data, f.sb.size);
	frame_free(&f);
	return rc;
}

/* Spawn a worker for a queued job and hand it the job; -1 with err. */
int
worker_start(struct job *j, enum err_class *class, char *err, size_t errlen)
{
	struct worker	*w;
	const char	*password;
	int64_t		 memlimit = sv.conf->worker_memory;
	int		 fd;
	pid_t		 pid;

	*class = ERR_CRASHED;	/* it could not even start */
	if ((password = sv_password(j->erp_user)) == NULL) {
		*class = ERR_AUTH;
		snprintf(err, errlen, "no credentials for user %s",
		    j->erp_user);
		return -1;
	}
#if defined(__SANITIZE_ADDRESS__)
	memlimit = 0;	/* ASan reserves terabytes of address space */
#endif
	j->attempts++;	/* a run that cannot even start counts too */
	if (spawn_worker(sv.worker_path, memlimit, &pid, &fd, err,
	    errlen) == -1)
		return -1;

	w = xcalloc(1, sizeof *w);
	TAILQ_INIT(&w->sessions);
	w->pid = pid;
	w->job = j;
	j->error_class = ERR_NONE;
	j->message[0] = '\0';
	memset(&j->result, 0, sizeof j->result);
	memset(&j->progress, 0, sizeof j->progress);
	j->progress.job = j->id;
	snprintf(j->progress.user, sizeof j->progress.user, "%s", j->scope);
	snprintf(j->progress.kind, sizeof j->progress.kind, "%s",
	    kind_name(j->kind));
	w->started_mono = w->last_frame_mono = mono_ms();
	TAILQ_INSERT_TAIL(&sv.workers, w, entry);
	j->worker = w;
	j->pid = pid;
	log_emit(LOG_INFO, j->id, j->scope, kind_name(j->kind),
	    "worker pid %d started (%s, attempt %d)", (int)pid,
	    sv.worker_path, j->attempts);

	/* A failed write means the worker died: its exit will tell why. */
	if (worker_send_job(w, fd, password, err, errlen) == -1)
		log_emit(LOG_WARN, j->id, j->scope, kind_name(j->kind),
		    "worker pid %d: %s", (int)pid, err);
	w->chan = chan_new(sv.base, fd, worker_chan_cb, w);	/* owns fd */
	worker_watch(w);
	job_set_state(j, JOB_STARTING, now_ms());
	return 0;
}

/* Free a reaped worker. */
void
worker_free(struct worker *w)
{
	chan_free(w->chan);
	sessions_clear(&w->sessions);
	if (w->timer != NULL)
		event_free(w->timer);
	free(w);
}

static void
worker_chan_cb(struct chan *ch, const msgpack_object *obj, const char *why,
    void *arg)
{
	struct worker	*w = arg;
	struct job	*j = w->job;

	if (obj != NULL) {
		w->last_frame_mono = mono_ms();
		sv_dispatch_worker(w, obj);
		return;
	}
	if (chan_bad_frame(ch)) {
		worker_abort(w, ERR_PROTOCOL, "bad frame from worker: %s", why);
		worker_kill_now(w);
	} else
		log_emit(LOG_DEBUG, j->id, j->scope, kind_name(j->kind),
		    "worker pid %d channel: %s", (int)w->pid, why);
}

static void ATTR_PRINTF(2, 3)
worker_protocol(struct worker *w, const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	worker_abort(w, ERR_PROTOCOL, "%s", msg);
	worker_kill_now(w);
}

/* Unpack hello; -1 with err unless it is a worker's, of our version, pid. */
static int
worker_hello(struct worker *w, const msgpack_object *obj, char *err,
    size_t errlen)
{
	struct msg_hello	 h;

	if (msg_hello_unpack(obj, &h, err, errlen) == -1)
		return -1;
	if (h.v != PROTO_VERSION || strcmp(h.role, "worker") != 0 ||
	    h.pid != w->pid) {
		snprintf(err, errlen, "hello does not match: v=%lld role=%s "
		    "pid=%lld (want v=%d role=worker pid=%d)", (long long)h.v,
		    h.role, (long long)h.pid, PROTO_VERSION, (int)w->pid);
		return -1;
	}
	return 0;
}

/* Record the worker's result; the job ends when the worker exits. */
static void
worker_done(struct worker *w)
{
	struct job	*j = w->job;

	w->got_done = 1;
	w->done_mono = mono_ms();
	j->progress.page = j->result.pages;
	j->progress.seen = j->result.seen;
	j->progress.inserted = j->result.inserted;
	j->progress.updated = j->result.updated;
	j->progress.unchanged = j->result.unchanged;
	j->progress.skipped = j->result.skipped;
	j->progress.total = j->result.total;
	worker_arm(w);
}

/* One frame from a worker: a switch whose default kills the worker. */
void
sv_dispatch_worker(struct worker *w, const msgpack_object *obj)
{
	struct job		*j = w->job;
	struct msg_progress	 p;
	struct msg_log		 l;
	struct msg_session	 sess;
	enum msg_type		 t;
	char			 err[PROTO_ERRLEN];

	if (w->kill == WK_KILL || w->fail_class != ERR_NONE)
		return;
	if (msg_type_of(obj, &t, err, sizeof err) == -1) {
		worker_protocol(w, "bad frame from worker: %s", err);
		return;
	}
	if (!w->hello && t != MSG_HELLO) {
		worker_protocol(w, "expected hello from worker, got %s",
		    msg_name(t));
		return;
	}
	if (w->got_done && t != MSG_LOG && t != MSG_HEARTBEAT) {
		worker_protocol(w, "%s message after done", msg_name(t));
		return;
	}

	switch (t) {
	case MSG_HELLO:
		if (w->hello)
			worker_protocol(w, "second hello from worker");
		else if (worker_hello(w, obj, err, sizeof err) == -1)
			worker_protocol(w, "bad hello: %s", err);
		else
			w->hello = 1;
		break;
	case MSG_READY:
		if (j->state == JOB_STARTING || (j->state == JOB_PAUSED &&
		    !w->want_pause))
			job_set_state(j, JOB_RUNNING, now_ms());
		break;
	case MSG_PROGRESS:
		if (msg_progress_unpack(obj, &p, err, sizeof err) == -1) {
			worker_protocol(w, "bad progress: %s", err);
			break;
		}
		p.job = j->id;
		snprintf(p.user, sizeof p.user, "%s", j->scope);
		snprintf(p.kind, sizeof p.kind, "%s", kind_name(j->kind));
		j->progress = p;
		if (j->state == JOB_STARTING)
			job_set_state(j, JOB_RUNNING, now_ms());
		control_push_progress(j);
		break;
	case MSG_PAUSED:
		/* A pause answered after a resume was sent is stale. */
		if (w->want_pause && (j->state == JOB_RUNNING ||
		    j->state == JOB_STARTING)) {
			w->paused_mono = mono_ms();
			job_set_state(j, JOB_PAUSED, now_ms());
			log_emit(LOG_INFO, j->id, j->scope, kind_name(j->kind),
			    "paused at page %lld and logged out of the ERP",
			    (long long)j->progress.page);
		}
		break;
	case MSG_LOG:
		if (msg_log_unpack(obj, &l, err, sizeof err) == -1)
			worker_protocol(w, "bad log: %s", err);
		else
			sv_log_relay(j, &l);
		break;
	case MSG_HEARTBEAT:
		break;
	case MSG_CRED_REQ:
		worker_send_cred(w);
		break;
	case MSG_SESSION:
		if (msg_session_unpack(obj, &sess, err, sizeof err) == -1 ||
		    sessions_update(w, &sess, err, sizeof err) == -1)
			worker_protocol(w, "bad session: %s", err);
		explicit_bzero(&sess, sizeof sess);
		break;
	case MSG_DONE:
		if (msg_done_unpack(obj, &j->result, err, sizeof err) == -1)
			worker_protocol(w, "bad done: %s", err);
		else if (err_class_parse(j->result.error_class,
		    &w->done_class) == -1)
			worker_protocol(w, "done with an unknown error class "
			    "\"%s\"", j->result.error_class);
		else
			worker_done(w);
		break;
	default:
		worker_protocol(w, "unexpected %s message from worker",
		    msg_name(t));
		break;
	}
}

/* Decide how the job ended from the worker's done and its exit. */
static enum job_state
worker_outcome(struct worker *w)
{
	struct job	*j = w->job;
	const char	*st = j->result.status;
	char		 how[64];

	if (w->signo != 0)
		snprintf(how, sizeof how, "signal %d", w->signo);
	else
		snprintf(how, sizeof how, "code %d", w->status);

	if (w->fail_class != ERR_NONE) {
		job_set_error(j, w->fail_class, "%s", w->fail_msg);
		return JOB_FAILED;
	}
	if (w->got_done && strcmp(st, "ok") == 0) {
		if (w->status == 0 || w->kill == WK_KILL)
			return JOB_DONE;
		job_set_error(j, ERR_CRASHED, "worker reported success but "
		    "exited with %s", how);
		return JOB_FAILED;
	}
	if (w->got_done && strcmp(st, "failed") == 0) {
		job_set_error(j, w->done_class != ERR_NONE ? w->done_class :
		    ERR_ERP, "%s", j->result.message);
		return JOB_FAILED;
	}
	if (sv.stopping) {
		j->resume = 1;
		job_set_error(j, ERR_NONE, "supervisor stopping; requeued at next "
		    "start");
		return JOB_CANCELLED;
	}
	if (w->cancel) {
		job_set_error(j, ERR_NONE, "cancelled by admin");
		return JOB_CANCELLED;
	}
	if (!w->got_done) {
		job_set_error(j, ERR_CRASHED, "worker exited with %s before "
		    "finishing", how);
		return JOB_FAILED;
	}
	if (strcmp(st, "cancelled") == 0) {
		job_set_error(j, w->done_class, "%s", j->result.message);
		return JOB_CANCELLED;
	}
	job_set_error(j, ERR_PROTOCOL, "done with unknown status \"%s\"", st);
	return JOB_FAILED;
}

/* A child was reaped: if it is a worker, end its job. 0 if not ours. */
int
worker_exited(pid_t pid, int status, const struct rusage *ru)
{
	struct worker	*w;
	struct job	*j;
	enum job_state	 end;

	TAILQ_FOREACH(w, &sv.workers, entry)
		if (w->pid == pid && !w->exited)
			break;
	if (w == NULL)
		return 0;
	j = w->job;
	w->exited = 1;		/* no more signals: the pid may be reused */
	j->maxrss_kb = ru->ru_maxrss;
	j->cpu_ms = (int64_t)(ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) * 1000 +
	    (ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) / 1000;
	/* Frames it wrote before exiting (its done) are still buffered. */
	chan_drain(w->chan);
	if (WIFSIGNALED(status)) {
		w->signo = WTERMSIG(status);
		w->status = 128 + w->signo;
	} else
		w->status = WEXITSTATUS(status);
	log_emit(w->status == 0 ? LOG_INFO : LOG_WARN, j->id, j->scope,
	    kind_name(j->kind), "worker pid %d exited with %s %d", (int)pid,
	    w->signo != 0 ? "signal" : "code", w->signo != 0 ? w->signo :
	    w->status);
	end = worker_outcome(w);
	sessions_orphan(w);
	chan_close(w->chan);
	evtimer_del(w->timer);
	w->dead = 1;
	j->worker = NULL;
	j->pid = 0;
	sv_reap_later();
	sv_job_finish(j, end);
	return 1;
}
