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
 *  - `event {type, user, ...}` answers at once with one result per kind it
 *    concerns: {kind, outcome (queued, merged, attached, follow-up,
 *    skipped), job, why}. Skipped and merged are never reported as done.
 *  - `hold {user, ttl, reason, detach}` answers only when every job in its
 *    scope has paused at a page boundary and logged out (or with an error
 *    when its TTL ends first). A hold is released by `release {id}`, by its
 *    TTL, or when its connection closes (once granted, a detached hold
 *    survives its connection and ends by release or TTL only). Without
 *    ttl, a detached hold gets hold_ttl and one kept by its connection
 *    (`hold -- CMD`) has no TTL: it lasts as long as CMD.
 *
 * Policy (queue.c, users.c, schedule.c, trigger.c, hold.c, backoff.c) is
 * pure: functions of (state, now) with no I/O, driven by tests with a fake
 * clock. The rest (server, worker, pause, tick, control, cmd-*) does I/O.
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
#define SV_POISON_MAX		16	/* crash times kept per (kind, scope) */
#define SV_NOTES		16	/* notable events kept for `status` */
#define SV_HOLD_TTL_MAX		(24 * 3600)
#define SV_SESSIONS_AUTO	4	/* sessions_per_job = auto asks this many */
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
	int			 want_sessions;	/* asked for: sessions_per_job */
	int			 auto_sessions;	/* sessions_per_job = auto: leaves
						   one for each other job that
						   could start (queue_next) */
	int			 sessions;	/* granted when it started: held
						   while active, 0 before */
	int			 resume;	/* requeue at next start */
	int			 resume_run;	/* the worker continues the
						   unfinished run (a retry, a
						   restart, sync --resume);
						   else a new run */
	int			 attempts;	/* runs started */

	int64_t			 created_ms;	/* wall clock */
	int64_t			 started_ms;	/* its first attempt */
	int64_t			 finished_ms;
	int64_t			 not_before_ms;	/* earliest start, 0 = now */

	struct msg_progress	 progress;	/* last progress seen */
	struct msg_done		 result;	/* the worker's done, if any */
	enum err_class		 error_class;
	char			 message[512];
	pid_t			 pid;		/* worker, while active */
	int64_t			 maxrss_kb;	/* the worker's peak RSS */
	int64_t			 cpu_ms;	/* the worker's user+system CPU */

	struct worker		*worker;	/* not owned */
	TAILQ_ENTRY(job)	 entry;
	struct job		*hnext;		/* queue's (kind, scope) index */
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
void		 job_set_error(struct job *, enum err_class,
		    const char *fmt, ...) ATTR_PRINTF(3, 4);
void		 job_append_message(struct job *, const char *fmt, ...)
		    ATTR_PRINTF(2, 3);

/* queue.c: pure policy, no I/O: functions of (queue, limits, now) */
struct users;
struct holds;

struct job_req {
	enum kind		 kind;
	const char		*scope;		/* user, or "*" */
	const char		*erp_user;
	enum job_mode		 mode;
	enum job_trigger	 trigger;
	int			 force;		/* rerun after a running one */
	int			 resume;	/* continue the unfinished run */
	int			 sessions;
	int			 auto_sessions;	/* sessions_per_job = auto */
};

enum queue_outcome {
	QUEUE_NEW = 0,		/* a new queued job */
	QUEUE_MERGED,		/* merged into a queued job */
	QUEUE_ATTACHED,		/* the running job already covers it */
	QUEUE_FOLLOWUP,		/* queued to run after the running one */
	QUEUE_SKIPPED		/* a trigger's rule said no (see why) */
};

struct queue_limits {
	int		 max_workers;
	int		 max_erp_sessions;	/* 0 = no limit */
	int		 max_sessions_per_user;	/* 0 = no limit */
	const struct holds *holds;		/* NULL: nothing held */
	const struct users *users;		/* NULL: no first-sync rule */
};

struct queue {
	struct jobq	 jobs;		/* queued and active */
	struct jobq	 retired;	/* ended, freed by queue_reap */
	int64_t		 next_id;
	struct job	**index;	/* by (kind, scope) */
	size_t		 nindex;
	size_t		 njobs;
};

void		 queue_init(struct queue *, int64_t next_id);
void		 queue_clear(struct queue *);
const char	*queue_outcome_name(enum queue_outcome);
void		 job_req_init(struct job_req *, enum kind, const char *scope,
		    const char *erp_user, enum job_mode, enum job_trigger);
struct job	*queue_request(struct queue *, const struct job_req *,
		    int64_t now, enum queue_outcome *);
struct job	*queue_next(struct queue *, const struct queue_limits *,
		    int64_t now, int64_t *wake);
const char	*queue_blocked(struct queue *, const struct job *,
		    const struct queue_limits *, char *, size_t);
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
	int		 line;
};

struct config {
	char		*path;
	/* [erp] */
	char		*url;
	char		*credentials;
	char		*system_user;
	int64_t		 page_size;
	int64_t		 sessions_per_job;	/* 0: auto */
	int64_t		 request_timeout;	/* seconds */
	int		 tls_verify;
	char		*ca_file;
	char		*user_agent;
	/* [supervisor] */
	char		*state_dir;
	char		*data_dir;
	char		*socket;
	int		 socket_mode;
	char		*socket_group;		/* "" = none */
	int64_t		 socket_gid;		/* resolved, -1 = none */
	/* [metrics] */
	char		*metrics_listen;	/* "host:port", "" = off */
	int64_t		 max_workers;
	int64_t		 max_erp_sessions;
	int64_t		 max_sessions_per_user;
	int64_t		 heartbeat_timeout;	/* seconds */
	int64_t		 job_timeout;		/* seconds, 0 = none */
	char		*worker_path;		/* "" = beside erpsyncd */
	int64_t		 worker_memory;		/* bytes, 0 = no limit */
	int64_t		 retry_attempts;	/* runs per job */
	int64_t		 retry_backoff;		/* seconds, first retry */
	int64_t		 retry_backoff_max;	/* seconds, the cap */
	int64_t		 poison_crashes;	/* 0 = no poison rule */
	int64_t		 poison_window;		/* seconds */
	int64_t		 check_every;		/* seconds: schedule, stale */
	int64_t		 hold_ttl;		/* seconds, default TTL */
	int64_t		 drain_timeout;		/* seconds, SIGTERM drain */
	int64_t		 history_keep;		/* job rows in state.db */
	int64_t		 max_clients;		/* admin connections */
	int64_t		 admin_idle_timeout;	/* seconds */
	enum log_format	 log_format;
	enum log_level	 log_level;
	/* [customers] ... */
	struct kind_conf kinds[KIND_COUNT];
	/* the credentials file */
	struct cred	*creds;
	size_t		 ncreds;
	/* "FILE:LINE: key: message" lines, or NULL: valid, but worth a word */
	char		*warnings;
};

struct config	*config_new(void);
void		 config_free(struct config *);
int		 config_load(const char *path, struct config **,
		    struct buf *errs);
int		 config_parse_string(const char *name, const char *text,
		    struct config **, struct buf *errs);
const char	*config_password(const struct config *, const char *user);
void		 config_log_warnings(const struct config *);
int		 creds_load(struct config *, const char *path,
		    struct buf *errs);
int		 creds_parse(struct config *, const char *name,
		    const char *text, struct buf *errs);
void		 creds_free(struct config *);
/* config-value.c */
int		 parse_bytes(const char *, int64_t *);
const char	*config_url_check(const char *);
int		 group_gid(const char *, int64_t *);

/* users.c: users and freshness per (kind, scope), in memory (pure) */
struct fresh {
	int64_t		 first_seen;	/* ms: anchors a never-synced scope */
	int64_t		 last_full_ok;	/* ms, 0 = never */
	int64_t		 last_delta_ok;
	int64_t		 last_attempt;
	int		 failures;	/* failed runs since the last success */
	int		 poisoned;	/* no retries until manual or reload */
	int		 dirty;		/* to save to state.db */
	char		*last_error;	/* owned, NULL = none */
	int64_t		*crashes;	/* owned ring of SV_POISON_MAX, lazily */
	int		 ncrashes;
	int		 crash_head;
};

struct user {
	char		 name[USER_ID_MAX + 1];	/* "*" holds shared kinds */
	char		*password;	/* from `event login`: owned, zeroed */
	int		 file_creds;	/* listed in the credentials file */
	int		 needs_login;	/* auth failed: no automatic runs */
	int		 dirty;
	struct fresh	 k[KIND_COUNT];
	struct user	*hnext;
};

struct users {
	struct user	**buckets;
	size_t		 nbuckets;
	struct user	**all;		/* in creation order */
	size_t		 count;
	size_t		 cap;
};

void		 users_init(struct users *);
void		 users_clear(struct users *);
struct user	*users_find(const struct users *, const char *);
struct user	*users_get(struct users *, const char *);
struct fresh	*users_fresh(struct users *, enum kind, const char *scope);
const struct fresh *users_fresh_find(const struct users *, enum kind,
		    const char *scope);
int64_t		 fresh_last_ok(const struct fresh *);
void		 fresh_set_error(struct fresh *, const char *);
int		 users_first_done(const struct users *, enum kind,
		    const char *scope);
void		 users_set_password(struct user *, const char *);
int		 users_has_creds(const struct user *);
int		 users_sync_config(struct users *, const struct config *,
		    const struct config *old);
void		 users_job_ended(struct users *, const struct job *,
		    enum job_state, int64_t now);

/* hold.c: holds on running work, reference-counted (pure) */
struct client;

struct hold {
	int64_t		 id;
	char		 user[USER_ID_MAX + 1];	/* "" = everything */
	char		 reason[128];
	int64_t		 created_ms;
	int64_t		 expires_ms;	/* 0: no TTL, never expires */
	int64_t		 granted_ms;	/* 0 while pending */
	pid_t		 pid;		/* who holds it */
	uid_t		 uid;
	int		 detach;	/* survives its connection once granted */
	struct client	*owner;		/* not owned; NULL once detached */
	int64_t		 req_id;	/* the request answered at grant */
	TAILQ_ENTRY(hold) entry;
};
TAILQ_HEAD(holdq, hold);

struct holds {
	struct holdq	 list;
	int64_t		 next_id;
};

void		 holds_init(struct holds *);
void		 holds_clear(struct holds *);
struct hold	*hold_add(struct holds *, const char *user, const char *reason,
		    int64_t ttl_ms, int64_t now);
struct hold	*hold_find(const struct holds *, int64_t id);
void		 hold_remove(struct holds *, struct hold *);
int		 hold_covers(const struct hold *, const struct job *);
const struct hold *holds_block(const struct holds *, const struct job *);
int		 holds_count(const struct holds *, const struct job *);
int		 hold_ready(const struct hold *, struct queue *);
struct hold	*holds_expired(struct holds *, int64_t now, int64_t *wake);

/* policy: the pure layer's context (trigger.c, schedule.c, backoff.c) */
typedef void (*policy_req_fn)(struct job *, const struct job_req *,
    enum queue_outcome, void *);

struct policy {
	const struct config	*conf;
	struct queue		*queue;
	struct users		*users;
	struct holds		*holds;
	policy_req_fn		 requested;	/* told of every request */
	void			*arg;
};

/* trigger.c: events and manual requests -> requests, with outcomes */
struct trig_result {
	enum kind		 kind;
	enum queue_outcome	 outcome;
	int64_t			 job;		/* 0 when skipped */
	char			 why[192];
};

int		 policy_scope(const struct policy *, enum kind, const char *user,
		    const char **scope, const char **erp_user, char *, size_t);
struct job	*policy_request(struct policy *, const struct job_req *,
		    int64_t now, enum queue_outcome *);
int		 trigger_event(struct policy *, enum job_trigger,
		    const char *user, int kind /* -1 = the event's own */,
		    int64_t cache_age_s, int64_t now, struct trig_result *);
struct job	*trigger_manual(struct policy *, enum kind, const char *scope,
		    const char *erp_user, enum job_mode, int force,
		    int resume, int64_t now, enum queue_outcome *);

/* schedule.c: the schedule and the stale check (pure) */
struct due {
	int64_t		 at;		/* ms; -1 = never */
	enum job_trigger trigger;
	enum job_mode	 mode;
};

int64_t		 sched_jitter(const char *scope, enum kind, int64_t base,
		    int64_t span_ms);
int		 sched_scope_due(const struct policy *, const struct fresh *,
		    enum kind, const char *scope, int64_t now, struct due *);
int		 sched_tick(struct policy *, int64_t now, int64_t *next);

/* backoff.c: retries, backoff with jitter and a cap, the poison rule */
enum end_action { END_DONE = 0, END_RETRY, END_FAILED, END_POISONED,
    END_CANCELLED };

int64_t		 backoff_ms(const struct config *, int n, uint64_t rnd);
int		 poison_note(struct fresh *, const struct config *, int64_t now);
enum end_action	 policy_job_ended(struct policy *, struct job *,
		    enum job_state, int64_t now, uint64_t rnd,
		    int64_t *retry_at);

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
int		 logring_get(const struct logring *, size_t,
		    struct log_event *);

/* chan.c: a framed, non-blocking socket on the event loop */
typedef void (*chan_cb)(struct chan *, const msgpack_object *, const char *,
    void *);

struct chan	*chan_new(struct event_base *, int fd, chan_cb, void *);
void		 chan_free(struct chan *);
int		 chan_send(struct chan *, struct frame *);
int		 chan_send_secret(struct chan *, struct frame *);
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

/* sessions.c: the ERP sessions workers hold (cookies in memory only) */
struct erp_sess {
	int64_t			 slot;
	char			 erp_user[USER_ID_MAX + 1];
	char			*cookies;	/* owned; a secret */
	TAILQ_ENTRY(erp_sess)	 entry;
};
TAILQ_HEAD(erp_sessq, erp_sess);

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
	int			 want_pause;	/* a hold covers its job */
	enum worker_kill	 kill;
	int64_t			 paused_mono;	/* when it last paused, or 0 */
	int64_t			 paused_total_ms;	/* time spent paused */
	int64_t			 started_mono;
	int64_t			 last_frame_mono;
	int64_t			 done_mono;
	int64_t			 next_step_mono;	/* stop->TERM->KILL */
	enum err_class		 fail_class;	/* we killed it */
	enum err_class		 done_class;	/* its done's class */
	char			 fail_msg[512];
	struct erp_sessq	 sessions;	/* logged in, not yet out */
	TAILQ_ENTRY(worker)	 entry;
};
TAILQ_HEAD(workerq, worker);

int		 sessions_update(struct worker *, const struct msg_session *,
		    char *err, size_t errlen);
void		 sessions_orphan(struct worker *);
size_t		 sessions_take(const char *erp_user, char *, size_t);
void		 sessions_clear(struct erp_sessq *);

int		 worker_start(struct job *, enum err_class *, char *err,
		    size_t errlen);
void		 worker_free(struct worker *);
void		 sv_dispatch_worker(struct worker *, const msgpack_object *);
int		 worker_exited(pid_t, int status, const struct rusage *);
int		 worker_count(void);
void		 worker_send(struct worker *, enum msg_type);
int64_t		 worker_paused_ms(const struct worker *, int64_t mono);

/* watchdog.c: heartbeats, job timeout, stop -> SIGTERM -> SIGKILL */
void		 worker_watch(struct worker *);
void		 worker_arm(struct worker *);
void		 worker_stop(struct worker *, int64_t grace_ms);
void		 worker_abort(struct worker *, enum err_class,
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
	int64_t			 last_mono;	/* last frame in or answer out */
	struct event		*idle_ev;	/* admin_idle_timeout */
	TAILQ_ENTRY(client)	 entry;
};
TAILQ_HEAD(clientq, client);

int		 control_listen(const char *path, int mode, int64_t gid,
		    const char *group, char *, size_t);

/* metrics.c, httpd.c: design §11 */
void		 metrics_job_ended(const struct job *);
void		 metrics_run_ended(const struct job *);
void		 metrics_retry(enum err_class);
void		 metrics_render(struct buf *);
int		 metrics_addr(const char *, char *host, size_t, int *port);
int		 httpd_start(const struct config *, char *, size_t);
void		 httpd_stop(void);
const char	*httpd_url(void);

/* access.c */
struct ucred;
int		 access_apply(const char *path, int mode, int64_t gid,
		    const char *group, char *, size_t);
int		 access_admit(int fd, const struct ucred *, char *, size_t);
void		 control_start(void);
void		 control_close(void);
void		 client_free(struct client *);
int		 client_send(struct client *, struct frame *);
void		 client_drop(struct client *, const char *fmt, ...)
		    ATTR_PRINTF(2, 3);
void		 sv_dispatch_ctl(struct client *, const msgpack_object *);
int		 client_log_match(const struct client *,
		    const struct log_event *);
void		 control_log_pack(struct frame *, const struct log_event *);
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
	int		  mutates;	/* changes something: logged at info */
};

/* One argument of a request, and where cmd_args() puts it. */
struct cmd_arg {
	const char	*key;
	enum { ARG_STR, ARG_INT, ARG_BOOL } type;
	void		*dst;		/* char[size], int64_t or int */
	size_t		 size;
	int		 required;
};

extern const struct sv_cmd cmd_status_entry;
extern const struct sv_cmd cmd_jobs_entry;
extern const struct sv_cmd cmd_sync_entry;
extern const struct sv_cmd cmd_wait_entry;
extern const struct sv_cmd cmd_cancel_entry;
extern const struct sv_cmd cmd_logs_entry;
extern const struct sv_cmd cmd_users_entry;
extern const struct sv_cmd cmd_event_entry;
extern const struct sv_cmd cmd_hold_entry;
extern const struct sv_cmd cmd_release_entry;
extern const struct sv_cmd cmd_reload_entry;
extern const struct sv_cmd cmd_shutdown_entry;
extern const struct sv_cmd cmd_metrics_entry;

void		 cmd_dispatch(struct client *, const struct msg_req *);
void		 cmd_error(struct client *, const struct msg_req *,
		    const char *, ...) ATTR_PRINTF(3, 4);
int		 cmd_args(struct client *, const struct msg_req *,
		    const struct cmd_arg *, size_t);
void		 cmd_pack_job(msgpack_packer *, const struct job *,
		    size_t extra);
void		 cmd_reply_job(struct client *, int64_t req_id,
		    const struct job *, int outcome);
void		 cmd_reply_ok(struct client *, const struct msg_req *);
struct job	*cmd_find_job(struct client *, const struct msg_req *,
		    int64_t, struct job *);
struct job	*cmd_job_arg(struct client *, const struct msg_req *,
		    struct job *);
void		 cmd_pack_hold(msgpack_packer *, const struct hold *,
		    int64_t now);
void		 cmd_pack_result(msgpack_packer *, const struct trig_result *);

/* state.c, state-jobs.c, state-fresh.c: state.db (users, freshness, jobs) */
typedef void (*state_job_fn)(const struct job *, void *);
struct sqlite3_stmt;

int		 state_open(const char *path, char *err, size_t errlen);
void		 state_close(void);
struct sqlite3_stmt *state_prepare(const char *sql);
int		 state_step(struct sqlite3_stmt *);
void		 state_bind_text(struct sqlite3_stmt *, int, const char *);
void		 state_bind_time(struct sqlite3_stmt *, int, int64_t);
void		 state_col_text(struct sqlite3_stmt *, int, char *, size_t);
int		 state_writable(char *, size_t);
void		 state_begin(void);
void		 state_commit(void);
int64_t		 state_meta_get(const char *key);
int		 state_meta_set(const char *key, int64_t);
int64_t		 state_next_job_id(void);
int		 state_job_save(const struct job *);
int		 state_job_get(int64_t id, struct job *);
int		 state_jobs_recent(int limit, state_job_fn, void *);
int		 state_jobs_recent_match(int limit, const char *kind,
		    const char *user, const char *state, state_job_fn, void *);
int		 state_job_counts(int64_t counts[JOB_NSTATES]);
int		 state_recover(state_job_fn, void *);
int		 state_prune(int64_t keep);
int		 state_fresh_load(struct users *, int64_t creds_mtime_ms);
int		 state_fresh_flush(struct users *);
int		 state_user_flush(struct user *);

/* server.c: the env, the kick timer, job requests and endings */
struct sv_stats {
	int64_t		 ticks;		/* schedule passes */
	int64_t		 tick_us_last;	/* CPU time of the last pass */
	int64_t		 tick_us_max;
	int64_t		 tick_us_total;
	int64_t		 tick_requests;	/* jobs the schedule asked for */
	int64_t		 crashed;	/* workers that died before done */
	int64_t		 stalled;	/* workers killed by the watchdog */
	int64_t		 retries;
	int64_t		 poisoned;
	int64_t		 auth_failures;
	int64_t		 orphans;	/* children reaped that were not ours */
	int64_t		 requeued;	/* jobs requeued at boot */
	int64_t		 prev_pid;	/* an erpsyncd that did not stop */
	int64_t		 last_prune_ms;
};

struct sv_note {
	int64_t		 ts_ms;
	char		 msg[256];
};

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
	struct users		 users;
	struct holds		 holds;
	struct policy		 pol;
	struct logring		*ring;
	struct workerq		 workers;
	struct clientq		 clients;
	int			 listen_fd;
	struct event		*listen_ev;
	struct event		*kick_ev;
	struct event		*reap_ev;
	struct event		*stop_ev;
	struct event		*sched_ev;	/* tick.c */
	struct event		*holds_ev;	/* pause.c */
	struct event		*ttl_ev;	/* pause.c */
	int			 stopping;
	int			 exit_code;
	struct sv_stats		 stats;
	struct sv_note		 notes[SV_NOTES];
	size_t			 nnotes;
};
extern struct sv sv;

void		 sv_init(struct event_base *);
void		 sv_kick(void);
void		 sv_reap_later(void);
void		 sv_limits(struct queue_limits *);
struct job	*sv_request(const struct job_req *, enum queue_outcome *);
void		 sv_requested(struct job *, const struct job_req *,
		    enum queue_outcome, void *);
void		 sv_job_finish(struct job *, enum job_state);
const char	*sv_password(const char *erp_user);
const char	*sv_job_blocked(const struct job *, char *, size_t,
		    int64_t *hold);
void		 sv_note(enum log_level, const struct job *, const char *, ...)
		    ATTR_PRINTF(3, 4);
void		 sv_free(void);

/* boot.c: start-up helpers */
int		 sv_log_sink(const struct log_event *, void *);
void		 sv_log_relay(struct job *, const struct msg_log *);
void		 sv_recover(void);
void		 sv_load_users(void);
void		 sv_worker_path(void);
int		 sv_mkdirs(const char *, mode_t);

/* tick.c: the schedule timer */
void		 sv_sched_start(void);
void		 sv_sched_kick(void);
void		 sv_sched_free(void);

/* pause.c: holds applied to workers and clients */
void		 sv_holds_start(void);
void		 sv_holds_kick(void);
void		 sv_hold_release(struct hold *, const char *why);
void		 sv_holds_client_gone(struct client *);
void		 sv_holds_free(void);

/* signal.c, reload.c */
void		 sv_signals(void);
void		 sv_stop(void);
int		 sv_reload(struct buf *errs);
void		 sv_signals_free(void);

#endif /* SUPERVISOR_H */
