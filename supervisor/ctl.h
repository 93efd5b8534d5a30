/*
 * ctl.h — erpsyncctl, the admin client of erpsyncd (design §8): a table of
 * commands, each with its usage, an argument parser and a run function that
 * sends the request and prints the answer (text, or JSON with --json).
 */
#ifndef CTL_H
#define CTL_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "common/common.h"
#include "proto/proto.h"

#define CTL_SOCKET_DEFAULT	"/run/erpsync/erpsyncd.sock"
#define CTL_CONF_DEFAULT	"/etc/erpsync/erpsync.conf"
#define CTL_HOLD_TTL_MAX	(24 * 3600)	/* erpsyncd's SV_HOLD_TTL_MAX */

/* Exit codes (stable). */
#define CTL_OK		0
#define CTL_FAILED	1	/* the command ran and failed */
#define CTL_USAGE	2
#define CTL_UNREACHABLE	3	/* cannot reach erpsyncd */
#define CTL_DETACHED	130	/* Ctrl-C while waiting: the job goes on */

struct ctl {
	const char		*socket;
	const char		*socket_from;	/* where c->socket came from */
	char			*socket_conf;	/* read from a config: owned */
	const char		*config;	/* -f CONF */
	int			 json;
	int			 colour;	/* SGR escapes on stdout */
	int			 fd;
	struct frame_reader	 rd;
	int64_t			 next_id;
	int			 tty;		/* stderr is a terminal */
	int64_t			 last_progress_ms;
	int			 progress_shown;	/* a \r line is open */

	/* command options */
	char			 kind[16];
	char			 user[USER_ID_MAX + 1];
	const char		*mode;
	int			 force;
	int			 resume;
	int			 wait;
	int			 follow;
	const char		*level;
	const char		*state;		/* jobs --state */
	int64_t			 since;		/* logs --since, wall ms, 0 */
	int64_t			 job;
	int64_t			 lines;
	int64_t			 limit;
	int64_t			 count;		/* watch: refreshes, 0 = forever */
	int64_t			 ttl;		/* hold, seconds */
	const char		*reason;
	char			**cmd;		/* hold -- CMD ... */
	int			 password_stdin;
	int64_t			 cache_age;	/* seconds, -1 = none */
	const char		*event;		/* login, logout, ... */
};

typedef void (*ctl_push_fn)(struct ctl *, enum msg_type,
    const msgpack_object *);

/*
 * One option of a command: getopt's optstring and longopts, the text of
 * `CMD --help` and the scan for global options after the command are all
 * made from this table. ch is the short letter, or CTL_OPT_LONG + n for
 * an option with a long name only.
 */
struct ctl_opt {
	int		 ch;
	const char	*name;		/* long name, or NULL */
	const char	*arg;		/* its argument, NULL for a flag */
	const char	*help;		/* one line */
};
#define CTL_OPT_LONG	256
#define CTL_OPTS_MAX	16

struct ctl_cmd {
	const char		*name;
	const char		*usage;		/* arguments, after the name */
	const char		*desc;		/* one line, for `help` */
	const struct ctl_opt	*opts;		/* ends with { 0 } */
	int			(*parse)(struct ctl *, int, char **);
	int			(*run)(struct ctl *);	/* the exit code */
};

/* Global options, wherever they are on the line (ctl-args.c). */
struct ctl_args {
	const char		*socket;	/* -s, --socket */
	const char		*config;	/* -f, --config */
	int			 json;
	int			 help;		/* -h, --help */
	int			 version;
	const struct ctl_cmd	*cmd;		/* NULL: none given */
	const char		*word;		/* the command word as given */
	int			 argc;		/* the command's own: argv[0] */
	char			**argv;		/* is its name; owned */
};

extern const struct ctl_cmd ctl_status_entry;
extern const struct ctl_cmd ctl_jobs_entry;
extern const struct ctl_cmd ctl_sync_entry;
extern const struct ctl_cmd ctl_cancel_entry;
extern const struct ctl_cmd ctl_logs_entry;
extern const struct ctl_cmd ctl_users_entry;
extern const struct ctl_cmd ctl_event_entry;
extern const struct ctl_cmd ctl_hold_entry;
extern const struct ctl_cmd ctl_release_entry;
extern const struct ctl_cmd ctl_watch_entry;
extern const struct ctl_cmd ctl_reload_entry;
extern const struct ctl_cmd ctl_shutdown_entry;
extern const struct ctl_cmd ctl_wait_entry;
extern const struct ctl_cmd ctl_metrics_entry;
extern const struct ctl_cmd ctl_help_entry;

/* ctl-cmd.c */
const struct ctl_cmd	*ctl_cmd_find(const char *);
const struct ctl_cmd	*ctl_cmd_at(size_t);
size_t			 ctl_edit_distance(const char *, const char *);
size_t			 ctl_cmd_suggest(const char *, char *, size_t);
void			 ctl_usage_all(FILE *);
int			 ctl_usage(const struct ctl_cmd *);
void			 ctl_help(const struct ctl_cmd *, FILE *);
int			 ctl_parse_none(struct ctl *, int, char **);
int			 ctl_no_args(int, char **);
int			 ctl_parse_duration(const char *, int64_t *);
int			 ctl_parse_job(struct ctl *, const char *);
int			 ctl_parse_kind(struct ctl *, const char *);
int			 ctl_parse_one_job(struct ctl *, int, char **);
int			 ctl_parse_user(struct ctl *, const char *, int);
int			 ctl_parse_count(const char *opt, const char *,
			    int64_t *);
int			 ctl_ask_int(struct ctl *, const char *cmd,
			    const char *key, int64_t, ctl_push_fn,
			    const msgpack_object **);

/* ctl-help.c */
int		 ctl_unknown(const char *);

/* ctl-args.c */
int		 ctl_args_split(int, char **, struct ctl_args *);
void		 ctl_args_free(struct ctl_args *);
int		 ctl_getopt(int, char **, const struct ctl_opt *,
		    const char *mode);
const char	*ctl_opt_name(const struct ctl_opt *, int ch, char *,
		    size_t);

/* ctl-socket.c */
int		 ctl_socket_find(struct ctl *, const char *arg);
void		 ctl_connect_hint(const struct ctl *, int err);

/* ctl-table.c: columns as wide as their widest cell */
struct ctl_row {
	char		**cells;
	const char	**sgr;		/* a colour per cell, or NULL */
	size_t		  n;		/* fewer than the columns: the last */
};					/* cell spans the rest */

struct ctl_table {
	size_t		  ncols;
	const char	 *align;	/* 'l' or 'r' per column */
	struct ctl_row	 *rows;
	size_t		  nrows;
};

size_t		 ctl_width(const char *);
void		 ctl_table_init(struct ctl_table *, size_t, const char *);
void		 ctl_table_add(struct ctl_table *, size_t,
		    const char *const *, const char *const *sgr);
void		 ctl_table_render(const struct ctl_table *, int colour,
		    struct buf *);
void		 ctl_table_print(const struct ctl_table *, int colour);
void		 ctl_table_free(struct ctl_table *);

/* ctl-colour.c */
int		 ctl_colour_wanted(int tty, const char *no_color,
		    const char *term);
const char	*ctl_state_sgr(const char *state);
const char	*ctl_level_sgr(const char *level);
void		 ctl_paint(struct buf *, const char *sgr, const char *,
		    size_t);
int			 ctl_simple(struct ctl *, const char *cmd,
			    const msgpack_object **);

/* ctl-logs.c */
int		 ctl_parse_since(const char *, int64_t now, int64_t *ms);

/* ctl-hold-cmd.c */
int		 ctl_hold_cmd(struct ctl *, int64_t hold);

/* ctl-client.c */
int		 ctl_connect(struct ctl *);
void		 ctl_close(struct ctl *);
int		 ctl_request(struct ctl *, struct frame *, int64_t id,
		    ctl_push_fn, const msgpack_object **data);
int		 ctl_read(struct ctl *, const msgpack_object **,
		    enum msg_type *);
int64_t		 ctl_req_begin(struct ctl *, struct frame *, const char *cmd,
		    size_t nargs);
void		 ctl_err(const char *, ...) ATTR_PRINTF(1, 2);

/* ctl-print.c */
int64_t		 ctl_int(const msgpack_object *, const char *);
int		 ctl_bool(const msgpack_object *, const char *);
const char	*ctl_str(const msgpack_object *, const char *, char *, size_t);
char		*ctl_sanitize(const char *, size_t, char *, size_t);
void		 ctl_json_sanitize(const char *, size_t, struct buf *);
char		*ctl_count(int64_t, char *, size_t);
char		*ctl_time(int64_t ms, char *, size_t);
char		*ctl_ago(int64_t ms, int64_t now, char *, size_t);
void		 ctl_print_hold(const msgpack_object *);
void		 ctl_print_json(const msgpack_object *);
void		 ctl_answer(const struct ctl *, const msgpack_object *,
		    void (*)(const msgpack_object *));
void		 ctl_answerf(const struct ctl *, const msgpack_object *,
		    const char *, ...) ATTR_PRINTF(3, 4);
void		 ctl_print_log(struct ctl *, const msgpack_object *);
void		 ctl_print_lines(const char *, size_t);
void		 ctl_print_progress(struct ctl *, const msgpack_object *);
void		 ctl_progress_end(struct ctl *);

/* ctl-job.c */
int64_t		 ctl_job_seconds(const msgpack_object *, int64_t now_ms);
char		*ctl_job_result(const msgpack_object *, char *, size_t);
void		 ctl_print_result(const msgpack_object *job);
void		 ctl_print_job(const msgpack_object *job);
char		*ctl_job_times(const msgpack_object *, char *, size_t);

/* ctl-wait.c */
extern volatile sig_atomic_t ctl_interrupted;	/* SIGINT while waiting */
int		 ctl_wait_job(struct ctl *, int64_t job, int announce);

/* ctl-watch-draw.c: what `watch` shows, from a snapshot (no I/O) */
#define WATCH_COLS	80	/* the widest a line gets */

struct watch_hold {
	int64_t		 id;
	int64_t		 pid;		/* who holds it */
	char		 user[USER_ID_MAX + 1];	/* "*": every user */
	char		 reason[512];	/* made safe: may grow */
};

struct watch_job {
	int64_t		 id;
	char		 kind[16], user[USER_ID_MAX + 1], mode[8];
	char		 state[16], trigger[16];
	char		 blocked[256];	/* the supervisor's reason */
	int64_t		 hold;		/* the hold blocked names, 0 */
	int64_t		 page, pages, rows, total;
	int64_t		 created_at, started_at, not_before;	/* wall ms */
	int64_t		 attempts;
	double		 rate;		/* rows/s seen by watch, < 0 unknown */
};

struct watch_snap {
	int64_t			 now;		/* wall ms */
	size_t			 cols;		/* at most WATCH_COLS */
	size_t			 lines;		/* screen height, 0 = no limit */
	int			 have_status;
	int64_t			 uptime_s, workers, max_workers;
	int			 stopping;
	int64_t			 queued_total;	/* listed or not */
	const struct watch_job	*jobs;
	size_t			 njobs;
	const struct watch_hold	*holds;
	size_t			 nholds;
};

void		 watch_draw(const struct watch_snap *, struct buf *);

/* ctl-watch-rate.c: rows per second of one job, across snapshots */
struct watch_rate {
	int64_t		 job;
	int64_t		 t0, rows0;	/* mono ms and rows at the baseline */
	int64_t		 t, rows;	/* the last sample */
	int		 running;	/* at the last sample */
};

void		 watch_rate_sample(struct watch_rate *, int64_t job,
		    int64_t mono, int64_t rows, int running);
double		 watch_rate_get(const struct watch_rate *);

#endif /* CTL_H */
