/*
 * proto.h — framing and the message catalogue shared by erpsyncd,
 * erpsync-worker and erpsyncctl (design.md §3, stable).
 *
 * A frame is a 4-byte big-endian length N (1 <= N <= FRAME_MAX) and N bytes
 * holding exactly one msgpack map whose key "t" names the message.
 */
#ifndef PROTO_H
#define PROTO_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include <msgpack.h>

#include "common/common.h"

#define PROTO_VERSION	1
#define FRAME_MAX	(1024 * 1024)
#define FRAME_HDR	4
#define PROTO_ERRLEN	256

/*
 * Why a job failed (design §5): one table (errclass.c) says the name on
 * the wire, whether the supervisor retries, and the worker's exit code.
 */
enum err_class {
	ERR_NONE = 0,
	ERR_AUTH,
	ERR_BUSY,
	ERR_ERP,
	ERR_CONTRACT,
	ERR_CONFIG,
	ERR_STORAGE,
	ERR_PROTOCOL,
	ERR_CRASHED,
	ERR_STALLED,
	ERR_CLASSES
};

enum err_retry {
	RETRY_NEVER,		/* retrying cannot help */
	RETRY_AUTOMATIC,	/* for automatic triggers: a manual sync's
				   asker is waiting and hears of it at once */
	RETRY_ALWAYS		/* the supervisor saw the worker die or hang */
};

/* The worker's exit codes. */
#define EXIT_WORKER_OK		0
#define EXIT_WORKER_PERMANENT	100	/* retrying won't help */
#define EXIT_WORKER_TEMPORARY	111	/* retry later */

const char	*err_class_name(enum err_class);
int		 err_class_parse(const char *, enum err_class *);
enum err_retry	 err_class_retry(enum err_class);
int		 err_class_exit(enum err_class);

enum msg_type {
	MSG_HELLO = 0,	/* both ways, first frame */
	MSG_ERROR,	/* either way, before closing */
	MSG_JOB,	/* supervisor -> worker */
	MSG_PAUSE,
	MSG_RESUME,
	MSG_STOP,
	MSG_READY,	/* worker -> supervisor */
	MSG_PROGRESS,	/* worker -> supervisor, supervisor -> subscribers */
	MSG_PAUSED,
	MSG_LOG,	/* worker -> supervisor, supervisor -> subscribers */
	MSG_HEARTBEAT,
	MSG_DONE,
	MSG_REQ,	/* admin client -> supervisor */
	MSG_RESP,	/* supervisor -> admin client */
	MSG_SESSION,	/* worker -> supervisor: an ERP session opened/closed */
	MSG_CRED_REQ,	/* worker -> supervisor: the password, to log in again */
	MSG_CRED,	/* supervisor -> worker: the answer */
	MSG_COUNT
};

/* frame.c: reading */
struct frame_reader {
	struct buf		 in;	/* bytes not yet consumed */
	size_t			 off;	/* start of the next frame in in */
	msgpack_unpacked	 un;	/* the last frame's object */
	int			 failed;
};
void	 frame_reader_init(struct frame_reader *);
void	 frame_reader_free(struct frame_reader *);
void	 frame_reader_wipe(struct frame_reader *);
void	 frame_reader_feed(struct frame_reader *, const void *, size_t);
ssize_t	 frame_reader_read(struct frame_reader *, int fd);
int	 frame_reader_next(struct frame_reader *, const msgpack_object **,
	    char *err, size_t errlen);

/* frame.c: writing */
struct frame {
	msgpack_sbuffer	 sb;
	msgpack_packer	 pk;
};
void	 frame_begin(struct frame *, enum msg_type, size_t nfields);
int	 frame_end(struct frame *, char *err, size_t errlen);
void	 frame_free(struct frame *);
void	 pk_str(msgpack_packer *, const char *);
void	 pk_kv_str(msgpack_packer *, const char *key, const char *val);
void	 pk_kv_int(msgpack_packer *, const char *key, int64_t);
void	 pk_kv_bool(msgpack_packer *, const char *key, int);
void	 pk_kv_double(msgpack_packer *, const char *key, double);
void	 pk_key(msgpack_packer *, const char *key);

/* msg.c: catalogue and checked getters */
const char	*msg_name(enum msg_type);
int		 msg_type_of(const msgpack_object *, enum msg_type *,
		    char *err, size_t errlen);
const msgpack_object *msg_get(const msgpack_object *map, const char *key);
int	 msg_get_str(const msgpack_object *, const char *key, char *dst,
	    size_t dstlen, int required, char *err, size_t errlen);
int	 msg_get_int(const msgpack_object *, const char *key, int64_t *,
	    int required, char *err, size_t errlen);
int	 msg_get_ints(const msgpack_object *, const char *key, int64_t *,
	    size_t n, int required, char *, size_t);
int	 msg_get_bool(const msgpack_object *, const char *key, int *,
	    int required, char *err, size_t errlen);
int	 msg_get_map(const msgpack_object *, const char *key,
	    const msgpack_object **, int required, char *err, size_t errlen);
int	 msg_str_eq(const msgpack_object *, const char *);

/* Message bodies. Strings are copied into fixed buffers: no lifetimes. */
struct msg_hello {
	int64_t		 v;
	char		 role[16];	/* supervisor, worker, ctl */
	int64_t		 pid;
};

struct msg_error {
	char		 message[512];
};

struct msg_job {
	int64_t		 id;
	char		 kind[16];		/* customers orders products prices */
	char		 mode[8];		/* full delta */
	char		 user[USER_ID_MAX + 1];	/* scope: agent, or "*" */
	char		 erp_user[USER_ID_MAX + 1];	/* who logs in */
	char		 password[256];		/* never logged */
	char		 url[1024];		/* ERP base URL */
	char		 db[PATH_MAX];		/* database file */
	char		 debug_dir[PATH_MAX];	/* bad pages saved here */
	int64_t		 page_size;
	int64_t		 sessions;
	int64_t		 request_timeout_ms;
	int64_t		 heartbeat_ms;		/* send something this often */
	int64_t		 delta_margin_s;
	int		 tls_verify;
	char		 ca_file[PATH_MAX];
	char		 user_agent[256];
	char		 log_level[8];	/* the supervisor's: debug info ... */
	int		 resume;	/* continue an unfinished run (a retry,
					   a restart, `sync --resume`); else a
					   new run reads every page */
	char		 stale[16384];	/* sessions a dead worker left: cookie
					   lines, sessions separated by an
					   empty line; never logged */
};

struct msg_progress {
	int64_t		 job;		/* set by the supervisor when relaying */
	char		 user[USER_ID_MAX + 1];
	char		 kind[16];
	int64_t		 page;		/* pages done in this run */
	int64_t		 pages;		/* pages the ERP reports */
	int64_t		 seen;
	int64_t		 inserted;
	int64_t		 updated;
	int64_t		 unchanged;
	int64_t		 skipped;
	int64_t		 total;		/* rows the ERP reports */
};

struct msg_log {
	int64_t		 ts_ms;		/* set by the supervisor when relaying */
	char		 level[8];
	char		 proc[16];
	int64_t		 job;
	char		 user[USER_ID_MAX + 1];
	char		 kind[16];
	char		 msg[1024];
};

/* Request time buckets (ms) of msg_done.request_hist; the last is +Inf. */
#define MSG_REQ_BUCKETS	9
extern const int64_t msg_req_bucket_ms[MSG_REQ_BUCKETS - 1];

struct msg_done {
	char		 status[16];	/* ok failed cancelled */
	char		 error_class[16];	/* auth busy erp contract storage ... */
	char		 message[1024];
	int64_t		 pages;
	int64_t		 seen;
	int64_t		 inserted;
	int64_t		 updated;
	int64_t		 unchanged;
	int64_t		 skipped;
	int64_t		 deleted;
	int64_t		 total;
	int64_t		 fetched;	/* grid pages fetched from the ERP */
	char		 watermark[32];	/* yyyy-mm-ddTHH:MM:SS or "" */
	char		 sweep[256];	/* "swept N: ..." or why nothing was
					   deleted; "" for a delta */
	int64_t		 resumed_from;	/* 1-based page the run resumed at, 0 */
	int64_t		 requests;	/* HTTP requests sent, retries too */
	int64_t		 request_retries;
	int64_t		 erp_wait_ms;	/* sum of the requests' times */
	int64_t		 request_hist[MSG_REQ_BUCKETS];	/* requests per
					   msg_req_bucket_ms bound */
	/* Where the worker's wall time went (ms); the parts add up to
	 * wall_ms, other_ms being the rest (start, schema, logouts' CPU). */
	int64_t		 wall_ms;
	int64_t		 erp_blocked_ms;	/* waiting on the ERP, nothing
						   else to do: the critical path */
	int64_t		 parse_ms;	/* HTML and cell values */
	int64_t		 write_ms;	/* SQLite */
	int64_t		 paused_ms;	/* held */
	int64_t		 other_ms;
};

/*
 * An ERP session of a worker: open (logged in; cookies as libcurl's
 * cookie lines) or closed. The supervisor keeps them in memory only, to
 * hand them to the next worker of that ERP user if this one dies.
 */
struct msg_session {
	int64_t		 slot;		/* the worker's session number */
	char		 op[8];		/* open close */
	char		 cookies[4096];	/* open only; never logged */
};

/* The ERP password, sent again for each later login (never logged). */
struct msg_cred {
	char		 password[256];
};

struct msg_req {
	int64_t			 id;
	char			 cmd[32];
	const msgpack_object	*args;	/* a map, valid with the frame */
};

/* msg.c: pack and unpack, side by side. */
void	 msg_hello_pack(struct frame *, const struct msg_hello *);
int	 msg_hello_unpack(const msgpack_object *, struct msg_hello *, char *, size_t);
void	 msg_error_pack(struct frame *, const struct msg_error *);
int	 msg_error_unpack(const msgpack_object *, struct msg_error *, char *, size_t);
void	 msg_job_pack(struct frame *, const struct msg_job *);
int	 msg_job_unpack(const msgpack_object *, struct msg_job *, char *, size_t);
void	 msg_empty_pack(struct frame *, enum msg_type);
void	 msg_progress_pack(struct frame *, const struct msg_progress *);
int	 msg_progress_unpack(const msgpack_object *, struct msg_progress *, char *, size_t);
void	 msg_log_pack(struct frame *, const struct msg_log *);
int	 msg_log_unpack(const msgpack_object *, struct msg_log *, char *, size_t);
void	 msg_done_pack(struct frame *, const struct msg_done *);
int	 msg_done_unpack(const msgpack_object *, struct msg_done *, char *, size_t);
void	 msg_session_pack(struct frame *, const struct msg_session *);
int	 msg_session_unpack(const msgpack_object *, struct msg_session *, char *, size_t);
void	 msg_cred_pack(struct frame *, const struct msg_cred *);
int	 msg_cred_unpack(const msgpack_object *, struct msg_cred *, char *, size_t);
void	 msg_req_begin(struct frame *, int64_t id, const char *cmd, size_t nargs);
int	 msg_req_unpack(const msgpack_object *, struct msg_req *, char *, size_t);
void	 msg_resp_begin(struct frame *, int64_t id, int ok);
void	 msg_resp_error(struct frame *, int64_t id, const char *fmt, ...)
	    ATTR_PRINTF(3, 4);

/* json.c: print any msgpack object as JSON (erpsyncctl --json, logs). */
void	 msgpack_to_json(struct buf *, const msgpack_object *);

#endif /* PROTO_H */
