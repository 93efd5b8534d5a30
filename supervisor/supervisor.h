/*
 * supervisor.h — erpsyncd: config, jobs and their queue, workers, the admin
 * socket, state.db and the log ring (design.md §1, §5).
 *
 * Push design of the admin socket (stable, see erpsyncctl(8)):
 *  - Every request gets exactly one `resp` with the same id.
 *  - `logs` sends the backlog as `log` frames, then its `resp`
 *    ({lines, follow}); with follow the client keeps receiving live `log`
 *    frames (and `progress` frames when it asked for them) until it closes.
 *  - `wait {job}` (and `sync {..., wait: true}`) pushes `progress` frames for
 *    that job and answers when the job has ended: the `resp` data is the
 *    final job object (state, error_class, message, counts). A job that has
 *    already ended is answered at once from memory or state.db.
 *  - `sync` without wait answers at once: the job object plus `outcome`
 *    (queued, merged, attached, follow-up).
 */
#ifndef SUPERVISOR_H
#define SUPERVISOR_H

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/queue.h>

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "common/common.h"
#include "proto/proto.h"

#ifndef TAILQ_FOREACH_SAFE	/* glibc's sys/queue.h lacks it */
#define TAILQ_FOREACH_SAFE(var, head, field, tvar)			\
	for ((var) = TAILQ_FIRST(head);					\
	    (var) != NULL && ((tvar) = TAILQ_NEXT(var, field), 1);	\
	    (var) = (tvar))
#endif

#define SV_SOCKET_DEFAULT	"/run/erpsync/erpsyncd.sock"
#define SV_LOGRING_LINES	2000
#define SV_JOBS_KEEP		10000	/* rows of job history in state.db */
#define SV_STOP_WAIT_MS		10000	/* drain on SIGTERM, then SIGKILL */
#define SV_CANCEL_GRACE_MS	10000	/* stop, then SIGTERM */
#define SV_KILL_GRACE_MS	3000	/* SIGTERM, then SIGKILL */
#define SV_EXIT_GRACE_MS	10000	/* done, then we expect an exit */
#define SV_DELTA_MARGIN_S	600

struct event;
struct event_base;
struct chan;
struct client;
struct worker;

/* job.c: kinds, modes, triggers and the job state machine */
enum kind {
	KIND_CUSTOMERS = 0,
	KIND_ORDERS,
	KIND_PRODUCTS,
	KIND_PRICES,
	KIND_COUNT
};

enum job_mode { MODE_FULL = 0, MODE_DELTA };

/* Higher is more urgent (design §5: manual > login > ... > schedule). */
enum job_trigger {
	TRIG_SCHEDULE = 0,
	TRIG_STALE,
	TRIG_ACCESS,
	TRIG_RECONNECT,
	TRIG_LOGIN,
	TRIG_MANUAL,
	TRIG_COUNT
};

enum job_state {
	JOB_QUEUED = 0,
	JOB_STARTING,		/* spawned, waiting for ready */
	JOB_RUNNING,
	JOB_PAUSED,
	JOB_DONE,
	JOB_FAILED,
	JOB_CANCELLED,
	JOB_NSTATES
};

struct job {
	int64_t			 id;
	enum kind		 kind;
	char			 scope[USER_ID_MAX + 1];	/* user, "*" */
	char			 erp_user[USER_ID_MAX + 1];	/* logs in */
	enum job_mode		 mode;
	enum job_trigger	 trigger;
	enum job_state		 state;
	int			 sessions;	/* ERP sessions it holds */
	int			 resume;	/* requeue at next start */

	int64_t			 created_ms;	/* wall clock */
	int64_t			 started_ms;
	int64_t			 finished_ms;
	int64_t			 not_before_ms;	/* earliest start, 0 = now */

	struct msg_progress	 progress;	/* last progress seen */
	struct msg_done		 result;	/* the worker's done, if any */
	char			 error_class[16];
	char			 message[512];
	pid_t			 pid;		/* worker, while active */
	int64_t			 maxrss_kb;	/* the worker's peak RSS */
	int64_t			 cpu_ms;	/* the worker's user+system CPU */

	struct worker		*worker;	/* not owned */
	TAILQ_ENTRY(job)	 entry;
};
TAILQ_HEAD(jobq, job);

typedef void (*job_hook_fn)(struct job *, enum job_state, void *);

const char	*kind_name(enum kind);
int		 kind_parse(const char *, enum kind *);
int		 kind_per_user(enum kind);
const char	*kind_db_group(enum kind);
void		 kind_db_path(enum kind, const char *scope, const char *dir,
		    char *, size_t);
const char	*job_mode_name(enum job_mode);
int		 job_mode_parse(const char *, enum job_mode *);
const char	*job_trigger_name(enum job_trigger);
int		 job_trigger_parse(const char *, enum job_trigger *);
const char	*job_state_name(enum job_state);
int		 job_state_parse(const char *, enum job_state *);
int		 job_state_final(enum job_state);
int		 job_state_active(enum job_state);
int		 job_priority(const struct job *);
struct job	*job_new(int64_t id, enum kind, const char *scope,
		    const char *erp_user, enum job_mode, enum job_trigger,
		    int64_t now);
void		 job_free(struct job *);
void		 job_set_hook(job_hook_fn, void *);
void		 job_set_state(struct job *, enum job_state, int64_t now);
void		 job_set_error(struct job *, const char *class,
		    const char *fmt, ...) ATTR_PRINTF(3, 4);

/* queue.c: pure policy, no I/O: functions of (queue, limits, now) */
struct job_req {
	enum kind		 kind;
	const char		*scope;		/* user, or "*" */
	const char		*erp_user;
	enum job_mode		 mode;
	enum job_trigger	 trigger;
	int			 force;		/* rerun after a running one */
	int			 sessions;
};

enum queue_outcome {
	QUEUE_NEW = 0,		/* a new queued job */
	QUEUE_MERGED,		/* merged into a queued job */
	QUEUE_ATTACHED,		/* the running job already covers it */
	QUEUE_FOLLOWUP		/* queued to run after the running one */
};

struct queue_limits {
	int	 max_workers;
	int	 max_erp_sessions;	/* 0 = no limit */
	int	 max_sessions_per_user;	/* 0 = no limit */
};

struct queue {
	struct jobq	 jobs;		/* queued and active */
	struct jobq	 retired;	/* ended, freed by queue_reap */
	int64_t		 next_id;
};

void		 queue_init(struct queue *, int64_t next_id);
void		 queue_clear(struct queue *);
const char	*queue_outcome_name(enum queue_outcome);
struct job	*queue_request(struct queue *, const struct job_req *,
		    int64_t now, enum queue_outcome *);
struct job	*queue_next(struct queue *, const struct queue_limits *,
		    int64_t now, int64_t *wake);
int		 queue_conflict(const struct job *, const struct job *);
int		 queue_before(const struct job *, const struct job *);
struct job	*queue_find(struct queue *, int64_t id);
struct job	*queue_find_scope(struct queue *, enum kind, const char *,
		    int active);
int		 queue_count(struct queue *, enum job_state);
int		 queue_active(struct queue *);
void		 queue_retire(struct queue *, struct job *);
void		 queue_reap(struct queue *);

/* config.c, creds.c */
struct kind_conf {
	int64_t		 full_every;	/* seconds */
	int64_t		 delta_every;
	int64_t		 login_after;
	int64_t		 reconnect_after;
	int64_t		 access_after;
	int64_t		 stale_after;
	int		 enabled;
};

struct cred {
	char		 user[USER_ID_MAX + 1];
	char		*password;	/* owned, zeroed when freed */
};

struct config {
	char		*path;
	/* [erp] */
	char		*url;
	char		*credentials;
	char		*system_user;
	int64_t		 page_size;
	int64_t		 sessions_per_job;
	int64_t		 request_timeout;	/* seconds */
	int		 tls_verify;
	char		*ca_file;
	char		*user_agent;
	/* [supervisor] */
	char		*state_dir;
	char		*data_dir;
	char		*socket;
	int		 socket_mode;
	int64_t		 max_workers;
	int64_t		 max_erp_sessions;
	int64_t		 max_sessions_per_user;
	int64_t		 heartbeat_timeout;	/* seconds */
	int64_t		 job_timeout;		/* seconds, 0 = none */
	char		*worker_path;		/* "" = beside erpsyncd */
	int64_t		 worker_memory;		/* bytes, 0 = no limit */
	enum log_format	 log_format;
	enum log_level	 log_level;
	/* [customers] ... */
	struct kind_conf kinds[KIND_COUNT];
	/* the credentials file */
	struct cred	*creds;
	size_t		 ncreds;
};

struct config	*config_new(void);
void		 config_free(struct config *);
int		 config_load(const char *path, struct config **,
		    struct buf *errs);
int		 config_parse_string(const char *name, const char *text,
		    struct config **, struct buf *errs);
const char	*config_password(const struct config *, const char *user);
int		 creds_load(struct config *, const char *path,
		    struct buf *errs);
int		 creds_parse(struct config *, const char *name,
		    const char *text, struct buf *errs);
void		 creds_free(struct config *);
int		 parse_bytes(const char *, int64_t *);

/* logring.c: the last N log events, for `logs` */
struct logline {
	int64_t		 ts_ms;
	enum log_level	 level;
	char		 proc[16];
	int64_t		 job;
	char		 user[USER_ID_MAX + 1];
	char		 kind[16];
	char		*msg;		/* owned */
};

struct logring {
	struct logline	*lines;
	size_t		 size;
	size_t		 head;		/* next slot to write */
	size_t		 count;
};

struct logring	*logring_new(size_t);
void		 logring_free(struct logring *);
void		 logring_add(struct logring *, const struct log_event *);
const struct logline *logring_get(const struct logring *, size_t);

/* chan.c: a framed, non-blocking socket on the event loop */
typedef void (*chan_cb)(struct chan *, const msgpack_object *, const char *,
    void *);

struct chan	*chan_new(struct event_base *, int fd, chan_cb, void *);
void		 chan_free(struct chan *);
int		 chan_send(struct chan *, struct frame *);
int		 chan_write(struct chan *, const void *, size_t);
void		 chan_close(struct chan *);
void		 chan_close_after_flush(struct chan *);
int		 chan_bad_frame(const struct chan *);
void		 chan_drain(struct chan *);

/* spawn.c: fork and exec one worker */
int		 spawn_worker(const char *path, int64_t memlimit, pid_t *,
		    int *fd, char *err, size_t errlen);

/* worker.c: one running job's process and channel */
enum worker_kill { WK_NONE = 0, WK_STOPPING, WK_TERM, WK_KILL };

struct worker {
	pid_t			 pid;
	struct job		*job;		/* not owned */
	struct chan		*chan;		/* owned */
	struct event		*timer;		/* watchdog */
	int			 hello;
	int			 got_done;
	int			 exited;
	int			 status;	/* code or 128+signal */
	int			 signo;
	int			 dead;
	int			 cancel;	/* cancel was asked */
	enum worker_kill	 kill;
	int64_t			 started_mono;
	int64_t			 last_frame_mono;
	int64_t			 done_mono;
	int64_t			 next_step_mono;	/* stop->TERM->KILL */
	char			 fail_class[16];	/* we killed it */
	char			 fail_msg[512];
	TAILQ_ENTRY(worker)	 entry;
};
TAILQ_HEAD(workerq, worker);

int		 worker_start(struct job *, char *err, size_t errlen);
void		 worker_free(struct worker *);
void		 sv_dispatch_worker(struct worker *, const msgpack_object *);
int		 worker_exited(pid_t, int status, const struct rusage *);
int		 worker_count(void);

/* watchdog.c: heartbeats, job timeout, stop -> SIGTERM -> SIGKILL */
void		 worker_watch(struct worker *);
void		 worker_arm(struct worker *);
void		 worker_stop(struct worker *, int64_t grace_ms);
void		 worker_abort(struct worker *, const char *class,
		    const char *fmt, ...) ATTR_PRINTF(3, 4);
void		 worker_kill_now(struct worker *);

/* control.c: the admin socket */
struct waiter {
	int64_t			 req_id;
	int64_t			 job_id;
	int			 outcome;	/* -1 = plain wait */
	TAILQ_ENTRY(waiter)	 entry;
};
TAILQ_HEAD(waiterq, waiter);

struct client {
	struct chan		*chan;		/* owned */
	uid_t			 uid;
	pid_t			 pid;
	int			 hello;
	int			 dead;
	int			 follow;	/* logs -f */
	int			 progress;	/* also progress frames */
	enum log_level		 level;
	char			 user[USER_ID_MAX + 1];
	int64_t			 job;
	struct waiterq		 waits;
	TAILQ_ENTRY(client)	 entry;
};
TAILQ_HEAD(clientq, client);

int		 control_listen(const char *path, int mode, char *, size_t);
void		 control_start(void);
void		 control_close(void);
void		 client_free(struct client *);
int		 client_send(struct client *, struct frame *);
void		 client_drop(struct client *, const char *fmt, ...)
		    ATTR_PRINTF(2, 3);
void		 sv_dispatch_ctl(struct client *, const msgpack_object *);
void		 control_push_log(const struct log_event *);
void		 control_push_progress(const struct job *);
void		 control_job_ended(const struct job *);
void		 control_wait(struct client *, int64_t req_id, int64_t job,
		    int outcome);

/* cmd.c: the admin command table and helpers for cmd-*.c */
struct sv_cmd {
	const char	 *name;
	const char	**args;		/* keys allowed in args, NULL-ended */
	void		(*exec)(struct client *, const struct msg_req *);
};

extern const struct sv_cmd cmd_status_entry;
extern const struct sv_cmd cmd_jobs_entry;
extern const struct sv_cmd cmd_sync_entry;
extern const struct sv_cmd cmd_wait_entry;
extern const struct sv_cmd cmd_cancel_entry;
extern const struct sv_cmd cmd_logs_entry;

void		 cmd_dispatch(struct client *, const struct msg_req *);
void		 cmd_error(struct client *, const struct msg_req *,
		    const char *, ...) ATTR_PRINTF(3, 4);
void		 cmd_pack_job(msgpack_packer *, const struct job *,
		    size_t extra);
void		 cmd_reply_job(struct client *, int64_t req_id,
		    const struct job *, int outcome);

/* state.c: state.db (users, freshness, job history) */
typedef void (*state_job_fn)(const struct job *, void *);

int		 state_open(const char *path, char *err, size_t errlen);
void		 state_close(void);
int64_t		 state_next_job_id(void);
int		 state_job_save(const struct job *);
int		 state_job_get(int64_t id, struct job *);
int		 state_jobs_recent(int limit, state_job_fn, void *);
int		 state_job_counts(int64_t counts[JOB_NSTATES]);
int		 state_recover(state_job_fn, void *);
int		 state_freshness_update(const struct job *);
int		 state_prune(int keep);

/* server.c: the env, the kick timer, job requests and endings */
struct sv {
	struct event_base	*base;
	struct config		*conf;		/* owned */
	char			*conf_path;	/* absolute, owned */
	int			 foreground;
	int			 verbose;
	pid_t			 pid;
	int64_t			 started_ms;
	int64_t			 started_mono;
	char			 worker_path[PATH_MAX];
	struct queue		 queue;
	struct logring		*ring;
	struct workerq		 workers;
	struct clientq		 clients;
	int			 listen_fd;
	struct event		*listen_ev;
	struct event		*kick_ev;
	struct event		*reap_ev;
	struct event		*stop_ev;
	int			 stopping;
	int			 exit_code;
};
extern struct sv sv;

void		 sv_init(struct event_base *);
void		 sv_kick(void);
void		 sv_reap_later(void);
struct job	*sv_request(const struct job_req *, enum queue_outcome *);
int		 sv_job_erp_user(enum kind, const char *user, const char **,
		    char *err, size_t errlen);
void		 sv_job_ended(struct job *);
int		 sv_log_sink(const struct log_event *, void *);
void		 sv_log_relay(struct job *, const struct msg_log *);
void		 sv_recover(void);
void		 sv_worker_path(void);
int		 sv_mkdirs(const char *, mode_t);
void		 sv_free(void);

/* signal.c */
void		 sv_signals(void);
void		 sv_stop(void);
void		 sv_reload(void);
void		 sv_signals_free(void);

#endif /* SUPERVISOR_H */
