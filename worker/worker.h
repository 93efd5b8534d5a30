/*
 * worker.h — erpsync-worker: one job, one ERP grid, one SQLite database.
 */
#ifndef WORKER_H
#define WORKER_H

#include <stddef.h>
#include <stdint.h>

#include "common/common.h"

/* value.c: cell values of contract §5 */
enum col_type {
	COL_TEXT = 0,
	COL_INT,
	COL_DECIMAL,
	COL_DATE,
	COL_DATETIME,
	COL_BOOL,
	COL_IMAGE
};

enum value_kind { VAL_NULL = 0, VAL_INT, VAL_REAL, VAL_TEXT };

struct value {
	enum value_kind	 kind;
	int64_t		 i;
	double		 r;
	char		*s;		/* owned, VAL_TEXT only */
};

struct grid_cell;

const char	*col_type_name(enum col_type);
int		 value_parse(enum col_type, const struct grid_cell *,
		    const char *origin, struct value *, char *err, size_t errlen);
void		 value_clear(struct value *);
int		 parse_it_int(const char *, int64_t *);
int		 parse_it_decimal(const char *, double *);
int		 parse_it_date(const char *, char *out, size_t outlen);
int		 parse_it_datetime(const char *, char *out, size_t outlen);
int		 format_it_datetime(const char *iso, char *out, size_t outlen);
struct tm;
int		 iso_datetime_scan(const char *iso, struct tm *);
int		 url_origin(const char *url, char *out, size_t outlen);

/* grid.c: the grid control of contract §4, as the parser reads it */
struct grid_cell {
	char		*text;		/* normalized: entities decoded, <br> and
					   whitespace runs as one space, trimmed */
	int		 checkbox;	/* -1 none, 0 unchecked, 1 checked */
	char		*img_src;	/* first img's src, or NULL */
};

struct grid_column {
	char		*caption;	/* trimmed header text */
	char		*fieldname;
	int		 sort;		/* 0 none, 1 ascending, -1 descending */
	size_t		 index;		/* position among the header row's tds */
};

struct grid_row {
	char			*id;	/* the tr's id */
	struct grid_cell	*cells;	/* one per header td, by position */
	size_t			 ncells;
};

struct grid_texts;
struct grid {
	char			*grid_id;
	char			*filter_key;	/* NULL when the grid has no filter */
	char			*filter_caption;
	int64_t			 page;		/* 1-based, from the pager */
	int64_t			 pages;
	int64_t			 total;		/* elements the pager reports */
	int			 has_pager;
	int			 next_disabled;
	int			 empty;		/* _DXEmptyRow present */
	struct grid_column	*cols;		/* data columns (with fieldname) */
	size_t			 ncols;
	size_t			 nheader;	/* header row's direct tds */
	struct grid_row		*rows;
	size_t			 nrows;
	struct grid_texts	*texts;		/* cell texts, when not NULL */
};

void		 grid_free(struct grid *);
char		*grid_text(struct grid *, const char *, size_t);
const struct grid_column *grid_column(const struct grid *, const char *caption);
char		*utf8_dup(const char *, size_t);
int		 ends_with(const char *, const char *suffix);
int		 parse_summary(const char *, struct grid *);
int		 page_start(const char *html, size_t len, char **err,
		    size_t *errlen, char *dummy);

/* gridsax.c: one SAX pass over a page: its grid, its form, or both */
struct form;
int		 grid_parse(const char *html, size_t len, struct grid *,
		    char *err, size_t errlen);
int		 form_parse(const char *html, size_t len, struct form *,
		    char *err, size_t errlen);
int		 grid_parse_page(const char *html, size_t len, struct grid *,
		    struct form *hidden, char *err, size_t errlen);

/* gridread.c: the grid control read from gridsax.c's events */
struct gread;
struct gread	*gread_new(void);
void		 gread_free(struct gread *);
void		 gread_element(struct gread *, size_t depth, const char *name,
		    const unsigned char **atts);
void		 gread_text(struct gread *, const char *, size_t);
void		 gread_close_to(struct gread *, size_t depth);
int		 gread_result(struct gread *, struct grid *, char *err,
		    size_t errlen);
const char	*sax_attr(const unsigned char **atts, const char *name);
int		 class_has(const char *cls, const char *tok);

/* cut.c: whether an answer arrived whole */
int		 body_complete(const char *, size_t);

/* form.c: the login form and a page's hidden inputs */
struct form_field {
	char	*name;
	char	*value;
};

struct form {
	struct form_field	*fields;	/* hidden inputs, in page order */
	size_t			 nfields;
	char			*user_field;	/* name ending in UserName_Edit */
	char			*password_field; /* name ending in Password_Edit */
	char			*submit_field;	/* name ending in LogonButton */
	char			*submit_value;
	char			*error_text;	/* LogonErrorText, or NULL */
};

void		 form_free(struct form *);
const char	*form_get(const struct form *, const char *name);
void		 form_input(struct form *, size_t *cap, const char *name,
		    const char *type, const char *value);
struct formread;
struct formread	*formread_new(void);
void		 formread_free(struct formread *);
void		 formread_element(struct formread *, size_t depth,
		    const char *name, const unsigned char **atts);
void		 formread_text(struct formread *, const char *, size_t);
void		 formread_close_to(struct formread *, size_t depth);
void		 formread_result(struct formread *, struct form *);

/* Everything below is the worker's own machinery (lead's sections). */
#include "proto/proto.h"

/* views.c: the four list views as data (contract §3, §6) */
struct view_col {
	const char	*caption;
	const char	*fieldname;
	const char	*column;
	enum col_type	 type;
};

struct view {
	const char		*kind;
	const char		*path;		/* list view, e.g. CUSTTABLE_ListView_Agent */
	const char		*filter_key;	/* predefined filter needed, or NULL */
	const char		*filter_caption;
	const char		*sort_field;	/* fieldname to sort by */
	int			 sort_desc;
	const char		*table;
	const char		*key;		/* key column */
	int			 per_user;	/* rows carry user_id (shared db) */
	const char		*db_name;	/* "customers-%s.db", "orders.db" */
	const struct view_col	*cols;
	size_t			 ncols;
	const char		*extra_cols;	/* more columns, or NULL */
	const char		*extra_ddl;	/* more tables, triggers, or NULL */
	const char		*run_sql;	/* at the start of every run */
	const char		*page_sql;	/* in each page's transaction, after
						   its rows; temp._page holds its keys */
};

const struct view	*view_find(const char *kind);
const struct view	*view_at(size_t);
const struct view_col	*view_col_by_field(const struct view *, const char *);
size_t			 view_key_index(const struct view *);
size_t			 view_col_index(const struct view *, const char *);

/* match.c: names as prices are matched to products */
struct sqlite3;
size_t		 name_normalize(const char *, char *, size_t);
int		 match_register(struct sqlite3 *);

/* Why a job failed: an error class of design.md §5 and a sentence. */
struct wk_error {
	enum err_class	 class;		/* ERR_NONE when no error */
	char		 msg[768];
};
void	 wk_error_set(struct wk_error *, enum err_class, const char *fmt, ...)
	    ATTR_PRINTF(3, 4);

/* report.c: frames to and from the supervisor on fd 3 */
enum ctl_event { CTL_NONE = 0, CTL_PAUSE, CTL_RESUME, CTL_STOP };
int		 report_init(int fd, struct msg_job *, char *err, size_t errlen);
void		 report_send(struct frame *);
void		 report_progress(const struct msg_progress *);
void		 report_tick(void);
int64_t		 report_due_ms(void);
enum ctl_event	 report_poll(int timeout_ms);
void		 report_done(const struct msg_done *);
void		 report_paused(void);
void		 report_ready(void);
void		 report_session(const struct msg_session *);
int		 report_password(char *, size_t, char *err, size_t errlen);

/* erp.c: ERP sessions (libcurl), K of them driven by one pool */
struct erp;
struct erp_pool;
enum { ERP_OK = 0, ERP_PENDING, ERP_EXPIRED, ERP_FAIL };
typedef void (*erp_done_fn)(struct erp *, void *);
struct erp_config {
	const char	*url;
	const char	*user;
	long		 timeout_ms;
	int		 tls_verify;
	const char	*ca_file;
	const char	*user_agent;
	const char	*debug_dir;
};
struct erp_pool	*erp_pool_new(void);
void		 erp_pool_free(struct erp_pool *);
int		 erp_pool_run(struct erp_pool *, int timeout_ms);
struct erp	*erp_new(struct erp_pool *, const struct erp_config *);
void		 erp_free(struct erp *);
void		 erp_adopt(struct erp *, const char *cookies);
void		 erp_set_done(struct erp *, erp_done_fn, void *);
int		 erp_busy(const struct erp *);
int		 erp_result(const struct erp *, struct wk_error *);
void		 erp_start_login(struct erp *);
void		 erp_start_view(struct erp *, const char *view, struct grid *);
void		 erp_start_callback(struct erp *, const char *cmd, struct grid *,
		    int flags);
#define ERP_NO_RETRY_5XX	0x1	/* a 5xx answer ends the flow (refused) */
#define ERP_RAW			0x2	/* leave the answer to erp_take_answer */
long		 erp_status(const struct erp *);
void		 erp_start_logout(struct erp *);
const char	*erp_origin(const struct erp *);
int64_t		 erp_fetched(const struct erp *);
void		 erp_save_debug(struct erp *, const char *what);
void		 erp_save_page(struct erp *, const char *what,
		    const struct buf *);
void		 erp_take_answer(struct erp *, struct buf *);
int		 erp_parse_answer(struct erp *, const struct buf *,
		    struct grid *, char *perr, size_t);

/*
 * erp.c and login.c: a session's insides, for these two files only (the
 * rest of the worker goes through the erp_* functions above).
 */
#include <curl/curl.h>

#define ERP_TRIES		8	/* attempts per request */
#define ERP_BACKOFF_MS		100
#define ERP_BACKOFF_MAX_MS	3000
#define ERP_LOGIN_TRIES		4

/* What a session is doing; each flow is one or more HTTP requests. */
enum erp_flow {
	FLOW_NONE = 0,
	FLOW_LOGIN_PAGE,	/* GET Login.aspx */
	FLOW_LOGIN_POST,	/* POST the form */
	FLOW_LOGOUT,
	FLOW_VIEW,		/* GET the list view */
	FLOW_CALLBACK		/* POST a grid command */
};

/* What the pool's requests cost, for the job's done (and /metrics). */
struct erp_stats {
	int64_t		 requests;	/* sent, retries included */
	int64_t		 retries;
	int64_t		 wait_us;	/* sum of libcurl's total times */
	int64_t		 run_us;	/* wall time inside erp_pool_run */
	int64_t		 parse_us;	/* of it, parsing the answers */
	int64_t		 hist[MSG_REQ_BUCKETS];	/* per msg_req_bucket_ms */
};

struct erp_pool {
	CURLM		*m;
	struct erp	**sess;
	size_t		 n;
	int		 next_id;
	struct erp_stats stats;
	/*
	 * The first login of a worker goes alone: the others get their
	 * login page meanwhile and post their form only once it worked, so
	 * a wrong password costs one failed login, not K (login.c).
	 */
	struct erp	*login_lead;	/* posting the first login, or NULL */
	int		 login_ok;	/* a login of this worker worked */
};

struct erp {
	CURL		*h;
	struct erp_pool	*pool;
	int		 id;		/* the session's number in this worker */
	erp_done_fn	 on_done;	/* called when a flow ends, or NULL */
	void		*on_done_arg;
	enum erp_flow	 flow;
	int		 result;	/* ERP_PENDING, ERP_OK, ERP_EXPIRED, ERP_FAIL */
	int		 tell;		/* a flow ended; on_done not called yet */
	int		 parked;	/* login form ready, waiting for the lead */
	int		 raw;		/* ERP_RAW: the answer is not parsed here */
	struct wk_error	 err;		/* why ERP_FAIL */
	struct grid	*grid;		/* where FLOW_VIEW/CALLBACK parse to */
	char		 cmd[256];	/* the grid command in flight */
	int		 login_tries;

	/* The request in flight, retried here on transport trouble. */
	char		 url[2048];
	struct buf	 post;
	int		 is_post;
	int		 flags;
	int		 attempt;
	int64_t		 backoff;
	int64_t		 retry_at;	/* mono ms; 0 = not waiting */
	int		 in_multi;
	char		 ebuf[CURL_ERROR_SIZE];
	char		 bad[320];	/* how the last whole answer was malformed */

	char		*base;		/* ERP base URL, no trailing slash */
	char		 origin[512];
	char		*user;
	char		*debug_dir;
	struct buf	 body;		/* last response body */
	long		 status;
	char		 location[1024];	/* of a 3xx: CURLINFO_REDIRECT_URL */
	struct buf	 hidden;	/* view page's hidden inputs, urlencoded */
	char		*view;
	char		*grid_id;
	int		 logged_in;
	int64_t		 fetched;	/* grid pages received */
	int64_t		 relogins;
	int64_t		 requests;
};

void		 erp_request(struct erp *, int is_post, int flags,
		    const char *fmt, ...) ATTR_PRINTF(4, 5);
void		 erp_end(struct erp *, int result);
void		 erp_fail(struct erp *, enum err_class, const char *fmt, ...)
		    ATTR_PRINTF(3, 4);
void		 erp_malformed(struct erp *, const char *what,
		    const char *fmt, ...) ATTR_PRINTF(3, 4);
int		 erp_cut(struct erp *);
void		 form_add(CURL *, struct buf *, const char *name,
		    const char *value);
void		 erp_on_login_page(struct erp *);
void		 erp_on_login_post(struct erp *);
void		 erp_tell_session(struct erp *);
void		 erp_login_lead_ended(struct erp *);

/* store.c: one SQLite database, one page per transaction */
struct store;
struct page_counts {
	int64_t		 seen;
	int64_t		 inserted;
	int64_t		 updated;
	int64_t		 unchanged;
	int64_t		 skipped;
};
struct checkpoint {
	int64_t		 run_id;
	char		 mode[8];
	int64_t		 next_page;
	int64_t		 pages;
	int64_t		 total;		/* elements the ERP reported at run start */
	int		 resumed;
	int64_t		 left_run;	/* an unfinished run not resumed, 0 */
	int64_t		 left_page;	/* its next page (0-based) and pages */
	int64_t		 left_pages;
	char		 watermark[32];	/* of the last successful delta or full */
	char		 probe[80];	/* newest records at run start (sync.c) */
	struct page_counts base;	/* the run's counts before this attempt */
	int64_t		 page_size;	/* its pages were read at (0: unknown) */
};
struct store	*store_open(const char *path, const struct view *,
		    const char *user, struct wk_error *);
void		 store_close(struct store *);
int		 store_write_page(struct store *, const struct checkpoint *,
		    struct value *rows, size_t nrows, const int *row_ok,
		    struct page_counts *, struct wk_error *);
int64_t		 store_seen_count(struct store *, int64_t run_id);
int		 store_watermark(struct store *, char *, size_t);
int64_t		 store_count_newer(struct store *, int64_t run_id,
		    const char *modified);
int		 store_sweep(struct store *, int64_t run_id, int64_t *deleted,
		    struct wk_error *);

/* checkpoint.c: the run's row in _sync */
int		 store_begin_run(struct store *, const char *mode, int resume,
		    struct checkpoint *, struct wk_error *);
int		 store_last_watermark(struct store *, char *, size_t);
int		 store_set_probe(struct store *, const char *, struct wk_error *);
int		 store_finish(struct store *, const struct checkpoint *,
		    const char *state, const char *watermark, struct wk_error *);

/* store.c, checkpoint.c and schema.c: a store's insides, for them only */
#define STORE_BUSY_MS	30000	/* how long a writer waits for another */
struct store {
	struct sqlite3		*db;
	const struct view	*v;
	char			*user;		/* "*" for shared kinds */
	char			*path;
	size_t			 key;		/* index of the key column */
	struct sqlite3_stmt	*sel;		/* current values by key */
	struct sqlite3_stmt	*ins;
	struct sqlite3_stmt	*upd;		/* new values, seen_run, synced_at */
	struct sqlite3_stmt	*touch;		/* seen_run only */
	struct sqlite3_stmt	*ckpt;		/* advance _sync */
	struct sqlite3_stmt	*pagekey;	/* remember a key of this page */
};
int		 store_fail(struct store *, struct wk_error *, const char *what);
int		 store_exec(struct store *, const char *sql, struct wk_error *);
int		 store_schema(struct store *, struct wk_error *);
int		 store_wal(struct store *, struct wk_error *);

/* verify.c: is this grid the page asked for? (pure) */
int		 verify_has_field(const struct grid *, const char *field);
const char	*verify_filter(const struct view *, const struct grid *, char *,
		    size_t);
const char	*verify_sort(const struct grid *, const char *field, int desc,
		    char *, size_t);
const char	*verify_page(const struct view *, int64_t page_size,
		    const struct grid *, int64_t page, char *, size_t);

/* sweep.c: what a full run saw, for the pure verdict */
struct sweep_facts {
	const char	*probe_start;	/* "time\tcount\thash", "-" or "?" */
	const char	*probe_end;	/* the same at the end; NULL: failed */
	const char	*probe_error;	/* why the final probe failed */
	int64_t		 total_start;	/* elements at the start */
	int64_t		 total_end;	/* at the end (the final probe) */
	int64_t		 total_last;	/* on the last page read */
	int		 total_changed;	/* a page reported another count */
	int64_t		 newer;		/* rows read newer than the start */
	int64_t		 skipped;	/* rows that could not be read */
	int64_t		 seen;		/* distinct mirror rows the run saw
					   (read, or unreadable but keyed) */
};
int		 sweep_verdict(const struct sweep_facts *, char *, size_t);

/* sync.c: one run of a job, design.md §6 */
int		 sync_run(const struct msg_job *, struct msg_done *);
int		 delta_since(const char *watermark, int64_t margin_s, char *,
		    size_t);

/*
 * A run's insides, for its parts only: sync.c (the run, the grid commands,
 * the page writer), pages.c (the page phase), sweep.c (probe and sweep).
 */
#define SYNC_PAGE_RETRIES	8	/* re-reads of one page before giving up */

struct pages;
struct sync {
	const struct msg_job	*job;
	const struct view	*v;
	struct store		*st;
	struct checkpoint	 ck;
	struct page_counts	 pc;
	struct wk_error		 err;
	int64_t			 page_size;
	int			 full;
	char			 since[32];	/* delta: Italian datetime */
	/*
	 * The oldest modified_at of the rows this attempt skipped, or
	 * skip_unknown when one had none readable: the watermark stops
	 * there (sync_watermark).
	 */
	char			 skip_mod[32];
	int			 skip_unknown;
	int			 total_changed;
	int64_t			 total_last;
	int64_t			 state_fixes;
	int64_t			 relogins;
	int64_t			 max_relogins;
	size_t			*col;		/* view column -> header td */
	char			 setup[4][256];	/* see sync_plan */
	int			 nsetup;
	int			 sort_step;	/* setup[] index of the sort */
	struct erp_pool		*pool;
	struct erp_config	 ec;
	int64_t			 fetched;	/* grid pages received */
	struct pages		*pg;		/* the run's sessions */
	int			 nsessions;	/* K */
	/* The final probe (sweep.c), taken while the last pages are read. */
	int			 probe_taken;	/* 1 taken, -1 failed, 0 not */
	char			 probe_end[80];
	int64_t			 total_end;
	char			 probe_error[sizeof ((struct wk_error *)0)->msg];
	/* Where the time went (µs): see msg_done's wall_ms and parts. */
	int64_t			 start_us;
	int64_t			 values_us;	/* cell values of written pages */
	int64_t			 write_us;	/* store_write_page */
	int64_t			 paused_us;	/* held, logged out */
};
void		 sync_pump(struct sync *, int max_ms);
int		 sync_need_field(struct sync *, const struct grid *,
		    const char *field);
int		 sync_map_columns(struct sync *, const struct grid *);
int		 sync_write_page(struct sync *, const struct erp *,
		    const struct grid *, int64_t page);
struct pages	*pages_new(struct sync *);
void		 pages_free(struct sync *, struct pages *);
int		 pages_run(struct sync *);
#define PROBE_SORT	"GB|SORT|MODIFIEDDATETIME|DESC"
enum probe_read { PROBE_READ = 0, PROBE_REFILTER, PROBE_RESORT };
int		 sweep_probe_read(struct sync *, struct erp *,
		    const struct grid *, char *out, size_t len, int64_t *total,
		    char *why, size_t whylen);
int		 sweep_probe_started(struct sync *, const char *probe,
		    int64_t total);
void		 sweep_run(struct sync *, struct msg_done *);

/*
 * pages.c and answers.c: a run's sessions ("slots") inside — the state
 * machine that drives them (pages.c) and what their answers mean
 * (answers.c).
 */
#define STATE_FIXES	40	/* filter/sort re-applications per job */

enum slot_state {
	SL_OFF = 0,	/* no session: not started, refused, or logged out */
	SL_LOGIN,	/* logging in */
	SL_VIEW,	/* opening the list view */
	SL_SETUP,	/* sending s->setup[step] */
	SL_PROBE,	/* taking the probe, in place of setup[sort_step] */
	SL_IDLE,	/* ready for a page */
	SL_FETCH,	/* fetching its page */
	SL_LOGOUT	/* nothing left for it: logging out */
};

/* The probe the run wants next (sweep.c). */
enum probe_want {
	PROBE_NONE = 0,	/* none (a delta; or the final one is taken) */
	PROBE_START,	/* before any page is read */
	PROBE_END	/* once every page is asked for */
};

struct slot {
	struct pages	*pg;
	struct erp	*erp;
	struct grid	 g;
	enum slot_state	 state;
	int		 step;		/* SL_SETUP: the setup[] index */
	int		 opened;	/* its last setup went out after the
					   start probe was read */
	int64_t		 size;		/* the page size it asked for */
	int		 parsed;	/* its last setup answer is parsed */
	int64_t		 page;		/* the page it fetches, -1 none */
	int		 fix;		/* set the grid state again after it */
	struct buf	 answer;	/* the page answer being read */
};

struct pages {
	struct sync	*s;
	struct slot	*slot;
	int		 nslots;
	int		 started;	/* slots started (a delta adds lazily) */
	struct grid	*ready;		/* window of fetched pages */
	int		*have;
	int64_t		 window;
	int64_t		 first_page;	/* this attempt's first page */
	int64_t		 next_write;
	int64_t		 next_assign;
	int64_t		 npages;	/* -1 until an answer says */
	int64_t		*requeue;	/* pages to fetch again */
	int		 nrequeue;
	int		*tries;		/* re-reads of a page (window index) */
	int		*bad;		/* its answers that did not parse */
	int		 reading;	/* a page answer is being read */
	enum probe_want	 probe;
	struct slot	*prober;	/* the slot taking it, or NULL */
	int		 probe_tries;
	int		 ready_told;	/* report_ready() sent */
	int		 refusals;	/* of s->page_size, in a row */
};

int		 pages_open(const struct pages *);
int		 pages_alive(const struct pages *, const struct slot *except);
void		 pages_grow(struct pages *);
void		 pages_assign(struct pages *);
void		 pages_keep(struct pages *, int64_t page, struct grid *);
void		 pages_count(struct pages *, const struct grid *);
int		 pages_smaller(struct pages *, struct slot *);
void		 slot_set_state(struct slot *, enum slot_state);
void		 slot_setup(struct pages *, struct slot *, int step);
void		 slot_probe(struct pages *, struct slot *);
void		 slot_logout(struct slot *);
void		 slot_release(struct pages *, struct slot *, int going_off);
void		 slot_ready(struct pages *, struct slot *);
int		 slot_probed(struct pages *, struct slot *);
int		 slot_answered(struct pages *, struct slot *);

#endif /* WORKER_H */
