/*
 * erpsim.h — the test ERP of erp-contract.md: a libevent HTTP server that
 * looks like a DevExpress XAF ASP.NET application ("Archibald"), with
 * deterministic Italian data, per-session grid state, injectable faults and
 * a few /_sim/ endpoints that tests use as ground truth.
 */
#ifndef ERPSIM_H
#define ERPSIM_H

#include <sys/queue.h>

#include <stddef.h>
#include <stdint.h>

#include "common/common.h"

struct evhttp;
struct evhttp_request;
struct event;
struct event_base;

#define SIM_MAXCOLS	20	/* known columns of the widest view */
#define SIM_MAXLCOLS	(SIM_MAXCOLS + 6) /* plus extras and a nofield one */
#define SIM_MAXUSERS	64
#define SIM_MAXFORM	256	/* form fields kept per request */
#define VNULL		INT64_MIN /* NULL for every non-text type */
#define SIM_DATA_END	1767204000 /* 2025-12-31 18:00:00: data is older */

enum kind { K_CUSTOMERS, K_ORDERS, K_PRODUCTS, K_PRICES, K_COUNT };

/* Column indexes of each view, in canonical order (schema.c). */
enum { C_ID, C_ACCOUNT, C_NAME, C_VAT, C_PEC, C_SDI, C_FISCAL, C_TERMS,
    C_STREET, C_CAP, C_CITY, C_PHONE, C_MOBILE, C_URL, C_ATTN, C_LASTORDER,
    C_ORDERCOUNT, C_PREVSALES, C_BLOCKED, C_MODIFIED };
enum { O_ID, O_NUMBER, O_ACCOUNT, O_NAME, O_DLVNAME, O_DLVADDR, O_CREATED,
    O_DLVDATE, O_REF, O_STATUS, O_TYPE, O_DOCSTATUS, O_DISC, O_GROSS,
    O_TOTAL, O_MODIFIED };
enum { P_ID, P_NAME, P_DESC, P_GROUP, P_IMAGE, P_PACKAGE, P_SEARCH, P_UNIT,
    P_MINQTY, P_MULTQTY, P_MAXQTY, P_MODIFIED };
enum { R_ID, R_ACCOUNT, R_ACCDESC, R_ITEM, R_ITEMDESC, R_FROM, R_TO,
    R_QTYFROM, R_QTYTO, R_AMOUNT, R_CURRENCY, R_MODIFIED };

/* Column types of contract §5. */
enum ctype { CT_TEXT, CT_INT, CT_DEC, CT_DATE, CT_DATETIME, CT_BOOL, CT_IMAGE };
#define COL_MONEY	0x1	/* decimal shown with 2 places, maybe " €" */

/*
 * A stored value: text and image point at immutable strings (arena or
 * static, NULL = NULL); int and bool in i; decimals in hundredths; dates in
 * days and datetimes in seconds since 1970-01-01 of naive local time.
 */
union val {
	int64_t		 i;
	const char	*s;
};

struct coldef {
	const char	*caption;
	const char	*field;
	const char	*db;
	enum ctype	 type;
	int		 flags;
};

struct filterdef {
	const char	*key;
	const char	*caption;
};

struct viewdef {
	enum kind		 kind;
	const char		*name;		/* customers */
	const char		*path;		/* CUSTTABLE_ListView_Agent */
	const char		*title;		/* Clienti */
	int			 per_user;
	const struct coldef	*cols;
	int			 ncols;
	int			 key;		/* index of the key column */
	const struct filterdef	*filters;
	int			 nfilters;
	int			 deffilter;
};

/* rng.c: splitmix64, deterministic from a seed. */
struct rng {
	uint64_t	 s;
};
void		 rng_seed(struct rng *, uint64_t);
uint64_t	 rng_next(struct rng *);
uint32_t	 rng_below(struct rng *, uint32_t);
int64_t		 rng_range(struct rng *, int64_t, int64_t);
int		 rng_chance(struct rng *, double);
uint64_t	 mix64(uint64_t);
uint64_t	 hash_str(const char *, size_t);

/* One row of a table: stable uid, tombstone and a hidden flag. */
struct rowhdr {
	uint32_t	 uid;
	uint8_t		 dead;
	uint8_t		 flag;		/* customers: "cliente libero" */
};

struct table {
	const struct viewdef	*def;
	int			 user;		/* owner, -1 for shared kinds */
	size_t			 n, cap, live;
	struct rowhdr		*hdr;
	union val		*v;		/* n rows of def->ncols values */
	uint64_t		 gen;		/* bumped on every change */
	struct rng		 rng;		/* generation stream */
};
#define CELL(t, row, col) ((t)->v[(size_t)(row) * (size_t)(t)->def->ncols + (size_t)(col)])

/* Layout variation (--layout N): one column as the grid shows it. */
enum lcolkind { LC_KNOWN, LC_EXTRA, LC_NOFIELD };
struct lcol {
	enum lcolkind	 kind;
	int		 col;		/* known column index, or extra index */
	const char	*caption;
	const char	*field;		/* NULL for LC_NOFIELD */
};

struct vlayout {
	char		 grid[128];
	struct lcol	 cols[SIM_MAXLCOLS];
	int		 ncols;
	int		 ncmd;		/* command cells before the data cells */
	int		 cmd_header;	/* command header also has dxgvHeader */
};

struct layout {
	int		 n;
	int		 quote;		/* 0 ", 1 ', 2 bare when possible, 3 mixed */
	int		 rot;		/* attribute order rotation */
	int		 pretty;	/* 0 compact, 1 newlines, 2 indented */
	int		 ent;		/* 0 raw, 1 &#232;, 2 &#xE8;, 3 &egrave;, 4 mixed */
	int		 br;		/* some spaces in text become <br> */
	int		 wrap;		/* some values wrapped in a/span/b */
	int		 nested;	/* header captions in a nested table */
	int		 nbsp;		/* NULL cells as &nbsp; (else empty) */
	int		 tbody;
	int		 noisy;		/* --noisy: heavy markup, see cell.c */
	const char	*brtag;
	char		 login_user[96];
	char		 login_pass[96];
	char		 login_button[96];
	char		 generator[16];
	struct vlayout	 v[K_COUNT];
};

/* Per session and per view grid state, with the cached row order. */
struct gridstate {
	int		 init;
	int		 page;
	int		 size;
	int		 sortcol;	/* index into vlayout cols, -1 = none */
	int		 desc;
	int		 filter;
	int		 cfcol;		/* column filtered with ge, -1 = none */
	int64_t		 cfval;
	int		 dirty;
	uint64_t	 gen;		/* table gen the cache was built on */
	uint32_t	*idx;
	size_t		 nidx, cap;
};

struct session {
	char			 id[32];
	char			 auth[100];
	int			 user;		/* -1 until logged in */
	int64_t			 last_ms;
	unsigned		 nreq;		/* authenticated requests */
	uint64_t		 salt;		/* the ERP's own row order */
	uint64_t		 vs_hash, ev_hash;
	int			 issued;	/* login hidden values issued */
	struct gridstate	 grid[K_COUNT];
	LIST_ENTRY(session)	 hlink;
	TAILQ_ENTRY(session)	 link;
};
LIST_HEAD(sessionbucket, session);
TAILQ_HEAD(sessionlist, session);
#define SESSION_BUCKETS	1024

struct user {
	char		*name;
	char		*pw;
	int		 agent;		/* has customers and orders */
	uint64_t	 grid_requests;
};

/* --noisy: __VIEWSTATE and each grid's CallbackState, unless given. */
#define NOISY_VIEWSTATE	61440

#define SIM_FIELDMAX	64	/* a column's fieldname, NUL included */
#define SIM_BADKEYS	256	/* the bad-values key list, NUL included */

/*
 * Faults of the schedule (fault.c). The numbers are part of the schedule's
 * hash, documented in README.md: do not renumber.
 */
enum fault { F_NONE, F_DROP, F_FAIL, F_TRUNC, F_CUT, F_RESET, F_STALE,
    F_ERRORPAGE, F_COUNT };

struct faultconf {
	int64_t		 latency_ms;
	double		 rate[F_COUNT];	/* of each fault of the schedule */
	unsigned	 expire_every;
	unsigned	 max_sessions;
	char		 drop_col[SIM_FIELDMAX]; /* fieldname grids omit, "" = none */
	char		 bad_keys[SIM_BADKEYS];	/* "K1,K2": records shown with
						   unreadable numbers, "" = none */
	char		 expired[SIM_BADKEYS];	/* "u1,u2": users whose password
						   must be changed, "" = none */
};

/* Kinds of ERP answer, each with its own fault counters (numbers hashed). */
enum akind { A_LOGIN_PAGE, A_LOGIN_POST, A_LOGOUT, A_DEFAULT, A_PAGE,
    A_CALLBACK, A_OTHER, A_COUNT };

struct stats {
	uint64_t	 requests, erp_requests, sim_requests;
	uint64_t	 logins_ok, logins_failed, logins_busy, logins_stale;
	uint64_t	 logins_expired;
	uint64_t	 logouts, redirects, bad_commands, not_found;
	uint64_t	 pages, callbacks;
	uint64_t	 f_fail, f_drop, f_trunc, f_cut, f_reset, f_stale;
	uint64_t	 f_errorpage;
	uint64_t	 f_expire, f_idle;
	uint64_t	 f_delayed;
	uint64_t	 f_kind[F_COUNT][A_COUNT];	/* faults suffered */
	uint64_t	 churns, m_insert, m_update, m_delete;
};

struct simconf {
	int		 port;
	char		*bind;
	char		*base;		/* "" or "/Archibald" */
	uint64_t	 seed;
	int		 ncust, nord, nprod, nprice;
	int		 layout;
	int		 noisy;		/* --noisy */
	int		 session_idle;
	int		 max_page_size;	/* larger GB|PSP refused; 0: 200 */
	unsigned	 churn;
	size_t		 viewstate_bytes;
	char		*port_file;
	char		*tls_cert;	/* both set: serve HTTPS */
	char		*tls_key;
	int		 verbose;
};

struct arena_chunk;

/* The one mutable global: everything the server knows. */
struct sim {
	struct simconf		 conf;
	struct faultconf	 faults;
	struct user		 users[SIM_MAXUSERS];
	int			 nusers;
	int			 sysuser;
	struct table		*tables[K_COUNT][SIM_MAXUSERS];
	struct layout		 layout;
	struct rng		 rt;		/* session ids, salts */
	uint64_t		 fsched[F_COUNT][A_COUNT]; /* schedule counters */
	struct rng		 mut;		/* mutations */
	struct stats		 stats;
	int64_t			 next_custid, next_account, next_order;
	int64_t			 next_item, next_recid, next_salesid;
	uint32_t		 next_uid;
	int64_t			 last_mtime;
	uint64_t		 grid_served;
	struct arena_chunk	*arena;
	struct sessionbucket	 buckets[SESSION_BUCKETS];
	struct sessionlist	 sessions;
	size_t			 nsessions;
	struct event_base	*base;
	struct evhttp		*http;
	int			 bound_port;
};
extern struct sim sim;

/* A parsed x-www-form-urlencoded body or query string. */
struct form {
	int	 n;
	char	*k[SIM_MAXFORM];
	char	*v[SIM_MAXFORM];
};

/* One HTTP request being answered (see reply.c). */
struct reply;
struct ctx {
	struct evhttp_request	*req;
	struct reply		*rep;
	int			 post;
	const char		*path;		/* below the base */
	struct form		 query;
	struct form		 body;
	enum fault		 fault;
	enum akind		 akind;
	uint64_t		 draw;		/* the fault's per-request hash */
	int			 apply;		/* carry out the request's effect */
	struct session		*sess;
};

/* sim.c */
void		 sim_defaults(void);
int64_t		 sim_now(void);
int64_t		 sim_wall_local(void);
void		 sim_free(void);

/* schema.c */
extern const struct viewdef views[K_COUNT];
int		 view_by_path(const char *);
int		 view_by_name(const char *);
int		 col_by_field(const struct viewdef *, const char *);
int		 filter_by_key(const struct viewdef *, const char *);
int		 filter_match(const struct table *, int, size_t);

/* words.c */
struct wlist {
	const char *const	*w;
	size_t			 n;
};
struct city {
	const char	*name, *cap, *prov, *phone;
};
extern const struct wlist w_surnames, w_firstnames, w_female, w_business,
		 w_legal, w_fancy, w_streettype, w_streetname, w_terms,
		 w_notes, w_sentences, w_ptypes, w_pattrs, w_groups,
		 w_packages, w_units, w_pricelists, w_refs, w_extra_text;
extern const struct city w_cities[];
extern const size_t w_ncities;
const char	*pick(struct rng *, const struct wlist *);

/* arena.c */
const char	*arena_strdup(const char *);
const char	*arena_strndup(const char *, size_t);
const char	*arena_printf(const char *, ...) ATTR_PRINTF(1, 2);
void		 arena_free(void);

/* data.c */
struct table	*data_table(enum kind, int);
size_t		 table_add(struct table *);
void		 table_kill(struct table *, size_t);
void		 table_touch(struct table *);
size_t		 table_pick_live(struct table *, struct rng *);
void		 data_init(void);
void		 data_free(void);

/* gen_people.c */
void		 gen_customer(struct table *, size_t, struct rng *, int64_t);
void		 gen_order(struct table *, size_t, struct rng *, int64_t);
void		 upd_customer(struct table *, size_t, struct rng *, int64_t);
void		 upd_order(struct table *, size_t, struct rng *, int64_t);
char		*gen_slug(const char *, char *, size_t);

/* gen_items.c */
void		 gen_product(struct table *, size_t, struct rng *, int64_t);
void		 gen_price(struct table *, size_t, struct rng *, int64_t);
void		 upd_product(struct table *, size_t, struct rng *, int64_t);
void		 upd_price(struct table *, size_t, struct rng *, int64_t);
int64_t		 gen_past(struct rng *);
int64_t		 gen_money(struct rng *, int);
const char	*gen_long_text(struct rng *, size_t);

/* format.c */
#define FMT_MAX	48
size_t		 fmt_int(char *, int64_t);
size_t		 fmt_dec(char *, int64_t, int);
size_t		 fmt_date(char *, int64_t, int);
size_t		 fmt_datetime(char *, int64_t, int);
int64_t		 days_from_civil(int, int, int);
void		 civil_from_days(int64_t, int *, int *, int *);
int		 parse_it_datetime(const char *, int64_t *);
void		 json_str(struct buf *, const char *);
void		 json_dec(struct buf *, int64_t);

/* One byte into a buffer, without a call when there is room (hot path). */
static inline void
bput(struct buf *b, char c)
{
	if (b->len + 1 < b->cap) {
		b->data[b->len++] = c;
		b->data[b->len] = '\0';
	} else
		buf_addc(b, c);
}

/* html.c */
struct hattr {
	const char	*k;
	const char	*v;
};
void		 html_text(struct buf *, const char *, size_t, int, uint64_t);
void		 html_open(struct buf *, const char *, const struct hattr *,
		     int, unsigned);
void		 html_nl(struct buf *, int);
const char	*html_br(void);

/* layout.c */
void		 layout_init(int);
int		 layout_find_field(const struct vlayout *, const char *);
void		 extra_value(struct buf *, const struct lcol *, uint32_t,
		     int *);
int		 extra_cmp(const struct lcol *, uint32_t, uint32_t);

/* rng for per-process random strings (page.c) */
void		 random_b64(struct buf *, size_t, uint64_t *);

/* cell.c */
void		 cell_td(struct buf *, const struct table *, size_t,
		     const struct lcol *, int);
void		 header_cell(struct buf *, const struct vlayout *, int, int);
void		 command_td(struct buf *, const struct vlayout *, int, long);

/* render.c */
void		 render_grid(struct buf *, struct session *, enum kind);

/* page.c */
void		 page_view(struct buf *, struct session *, enum kind);
void		 page_password_change(struct buf *, struct session *);
void		 page_login(struct buf *, struct session *, const char *,
		     const char *);
void		 page_default(struct buf *, struct session *);
void		 page_error(struct buf *, int, const char *);
void		 page_exception(struct buf *);
void		 page_moved(struct buf *, const char *);
void		 page_scripts(struct buf *, const char *);
void		 page_menu(struct buf *, int);

/* session.c */
struct session	*session_new(void);
struct session	*session_find(const char *);
struct session	*session_from_request(struct evhttp_request *, int);
int		 cookie_get(struct evhttp_request *, const char *, char *,
		     size_t);
void		 session_drop(struct session *);
void		 session_sweep(void);
int		 session_count_user(int, const struct session *);
void		 session_reset_grids(struct session *);
void		 session_free_all(void);

/* view.c */
struct gridstate *view_state(struct session *, enum kind);
int		 view_command(struct session *, enum kind, const char *, int *);
void		 view_prepare(struct session *, enum kind);
int		 view_pages(const struct gridstate *);
void		 view_free(struct gridstate *);

/* form.c */
void		 form_parse(struct form *, const char *, size_t);
const char	*form_get(const struct form *, const char *);
void		 form_free(struct form *);
void		 url_encode(struct buf *, const char *);

/* gzip.c */
int		 gzip_buf(const void *, size_t, struct buf *);
void		 gzip_free(void);

/* reply.c */
struct reply	*reply_new(struct evhttp_request *, int);
void		 reply_header(struct reply *, const char *, const char *);
struct buf	*reply_body(struct reply *);
void		 reply_fault(struct reply *, enum akind, uint64_t);
void		 reply_send(struct reply *, int, enum fault);
void		 reply_redirect(struct ctx *, const char *);
void		 reply_json(struct ctx *, int);
void		 reply_error(struct ctx *, int, const char *);
void		 reply_cancel_all(void);

/* schedule.c */
enum fault	 fault_roll(enum akind, uint64_t *);
int		 fault_callback_roll(enum fault);
void		 fault_restart(enum fault);
const char	*fault_name(enum fault);
const char	*akind_name(enum akind);

/* fault.c */
int		 fault_set_drop_col(struct faultconf *, const char *);
int		 fault_col_dropped(const struct lcol *);
int		 fault_bad_value(const struct table *, size_t,
		    const struct coldef *);
int		 fault_password_expired(const char *);
void		 sim_faults(struct ctx *);
void		 faults_json(struct buf *);

/* gate.c */
int		 gate_catch(struct reply *, int user, int page, int code,
		    enum fault);
void		 sim_gate(struct ctx *, const char *);

/* stats.c */
void		 sim_stats(struct ctx *);
void		 sim_stats_reset(struct ctx *);

/* login.c */
void		 erp_login(struct ctx *);
void		 erp_logout(struct ctx *);
void		 erp_default(struct ctx *);
struct session	*erp_auth(struct ctx *);

/* listview.c */
void		 erp_listview(struct ctx *, enum kind);

/* dump.c */
void		 sim_dump(struct ctx *, const char *);

/* mutate.c */
void		 sim_mutate(struct ctx *);
void		 mutate_churn(void);
void		 mutate_kind(enum kind, int, int, int, int, struct buf *);

/* tls.c */
int		 tls_init(const char *, const char *);
void		 tls_attach(struct evhttp *);
void		 tls_free(void);

/* http.c */
int		 http_start(void);
void		 http_stop(void);
int		 user_by_name(const char *);

#endif /* ERPSIM_H */
