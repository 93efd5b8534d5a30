/*
 * erp.c — ERP sessions over libcurl (erp-contract.md §1-§3): log in through
 * the XAF login form, open a list view, send grid callbacks, log out.
 *
 * Every session is a small state machine driven by a pool (one libcurl
 * multi handle), so one job can keep K sessions busy at once. A flow
 * (login, view, callback, logout) is started with erp_start_* and ends
 * with e->result set; erp_pool_run drives them all and tells each owner
 * when its flow ended. Nothing here blocks on one session.
 * Transport trouble (5xx, drops, timeouts, cut responses) is retried here
 * with backoff; a redirect to Login.aspx ends the flow as ERP_EXPIRED and
 * the caller logs in again and restores the grid state.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "worker/worker.h"

static size_t
erp_write_cb(char *p, size_t size, size_t n, void *arg)
{
	struct erp	*e = arg;

	buf_add(&e->body, p, size * n);
	return size * n;
}

/* Where a 3xx answer sends us (libcurl resolves Location), or "". */
static void
erp_redirect(struct erp *e)
{
	char	*url = NULL;

	e->location[0] = '\0';
	if (curl_easy_getinfo(e->h, CURLINFO_REDIRECT_URL, &url) == CURLE_OK &&
	    url != NULL)
		snprintf(e->location, sizeof e->location, "%s", url);
}

/* A pool of sessions sharing one libcurl multi handle. */
struct erp_pool *
erp_pool_new(void)
{
	static int	 curl_ready;
	struct erp_pool	*p;

	if (!curl_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
			fatalx("curl_global_init failed");
		curl_ready = 1;
	}
	p = xcalloc(1, sizeof *p);
	if ((p->m = curl_multi_init()) == NULL)
		fatalx("curl_multi_init failed");
	return p;
}

/* Free the pool (its sessions are freed by erp_free first). */
void
erp_pool_free(struct erp_pool *p)
{
	if (p == NULL)
		return;
	curl_multi_cleanup(p->m);
	free(p->sess);
	free(p);
}

/* A session for one ERP user in pool p; nothing is sent until a flow starts. */
struct erp *
erp_new(struct erp_pool *p, const struct erp_config *c)
{
	struct erp	*e;
	size_t		 n;

	e = xcalloc(1, sizeof *e);
	e->pool = p;
	e->id = p->next_id++;
	p->sess = xreallocarray(p->sess, p->n + 1, sizeof *p->sess);
	p->sess[p->n++] = e;
	e->result = ERP_OK;
	e->base = xstrdup(c->url);
	n = strlen(e->base);
	while (n > 0 && e->base[n - 1] == '/')
		e->base[--n] = '\0';
	if (url_origin(e->base, e->origin, sizeof e->origin) == -1)
		snprintf(e->origin, sizeof e->origin, "%s", e->base);
	e->user = xstrdup(c->user);
	e->debug_dir = c->debug_dir && *c->debug_dir ? xstrdup(c->debug_dir) : NULL;
	buf_init(&e->body);
	buf_init(&e->hidden);
	buf_init(&e->post);
	if ((e->h = curl_easy_init()) == NULL)
		fatalx("curl_easy_init failed");
	curl_easy_setopt(e->h, CURLOPT_PRIVATE, e);
	curl_easy_setopt(e->h, CURLOPT_COOKIEFILE, "");	/* cookies in memory */
	curl_easy_setopt(e->h, CURLOPT_WRITEFUNCTION, erp_write_cb);
	curl_easy_setopt(e->h, CURLOPT_WRITEDATA, e);
	curl_easy_setopt(e->h, CURLOPT_ERRORBUFFER, e->ebuf);
	curl_easy_setopt(e->h, CURLOPT_FOLLOWLOCATION, 0L);
	/* Only the ERP's web server: never file://, ftp:// and the like. */
	curl_easy_setopt(e->h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e->h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e->h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e->h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e->h, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(e->h, CURLOPT_TIMEOUT_MS,
	    c->timeout_ms > 0 ? c->timeout_ms : 30000L);
	curl_easy_setopt(e->h, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
	curl_easy_setopt(e->h, CURLOPT_USERAGENT,
	    c->user_agent && *c->user_agent ? c->user_agent : "erpsync/1");
	if (!c->tls_verify) {
		curl_easy_setopt(e->h, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(e->h, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (c->ca_file && *c->ca_file)
		curl_easy_setopt(e->h, CURLOPT_CAINFO, c->ca_file);
	return e;
}

/* Free a session (without logging out: see erp_logout). */
void
erp_free(struct erp *e)
{
	size_t	 i;

	if (e == NULL)
		return;
	if (e->in_multi)
		curl_multi_remove_handle(e->pool->m, e->h);
	for (i = 0; i < e->pool->n; i++)
		if (e->pool->sess[i] == e) {
			e->pool->sess[i] = e->pool->sess[--e->pool->n];
			break;
		}
	curl_easy_cleanup(e->h);
	buf_free(&e->body);
	buf_free(&e->hidden);
	if (e->post.data != NULL)
		explicit_bzero(e->post.data, e->post.cap);
	buf_free(&e->post);
	free(e->base);
	free(e->user);
	free(e->debug_dir);
	free(e->view);
	free(e->grid_id);
	free(e);
}

/* The scheme://host:port images are relative to. */
const char *
erp_origin(const struct erp *e)
{
	return e->origin;
}

/* Grid pages received so far (a resumed sync fetches fewer). */
int64_t
erp_fetched(const struct erp *e)
{
	return e->fetched;
}

/* Have fn called whenever a flow of e ends (NULL: nobody is told). */
void
erp_set_done(struct erp *e, erp_done_fn fn, void *arg)
{
	e->on_done = fn;
	e->on_done_arg = arg;
}

/* Whether a flow is still running. */
int
erp_busy(const struct erp *e)
{
	return e->result == ERP_PENDING;
}

/* The HTTP status of the last answer (0: none). */
long
erp_status(const struct erp *e)
{
	return e->status;
}

/* How the last flow ended, and why when it failed. */
int
erp_result(const struct erp *e, struct wk_error *err)
{
	if (e->result == ERP_FAIL && err != NULL)
		wk_error_set(err, e->err.class, "%s", e->err.msg);
	return e->result;
}


/* Save an answer (b) under debug_dir for a human to inspect. */
void
erp_save_page(struct erp *e, const char *what, const struct buf *b)
{
	char	 path[PATH_MAX];
	int	 fd;

	if (e->debug_dir == NULL)
		return;
	(void)mkdir(e->debug_dir, 0750);
	snprintf(path, sizeof path, "%s/%s-%s-%lld-%d.html", e->debug_dir,
	    what, e->user, (long long)now_ms(), (int)getpid());
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640)) == -1) {
		log_warn("cannot save the page to %s", path);
		return;
	}
	if (write_all(fd, b->data ? b->data : "", b->len) == -1)
		log_warn("writing %s", path);
	close(fd);
	log_warnx("the page is saved in %s", path);
}

/* Save the last response under debug_dir for a human to inspect. */
void
erp_save_debug(struct erp *e, const char *what)
{
	erp_save_page(e, what, &e->body);
}

/*
 * Take the answer of a flow started with ERP_RAW, so that the session can
 * send its next request before the answer is parsed: b gets the body, the
 * session keeps b's old buffer (emptied).
 */
void
erp_take_answer(struct erp *e, struct buf *b)
{
	struct buf	 tmp = *b;

	*b = e->body;
	e->body = tmp;
	buf_reset(&e->body);
}

/* Parse a grid answer taken with erp_take_answer; its time is parsing. */
int
erp_parse_answer(struct erp *e, const struct buf *b, struct grid *g,
    char *perr, size_t len)
{
	int64_t	 t0 = mono_us();
	int	 rc;

	rc = grid_parse_page(b->data, b->len, g, NULL, perr, len);
	e->pool->stats.parse_us += mono_us() - t0;
	return rc;
}

/* Hand the current request to the multi handle. */
static void
erp_send(struct erp *e)
{
	int	 running;

	buf_reset(&e->body);
	e->location[0] = '\0';
	e->status = 0;
	e->ebuf[0] = '\0';
	e->retry_at = 0;
	e->requests++;
	curl_easy_setopt(e->h, CURLOPT_URL, e->url);
	if (e->is_post) {
		curl_easy_setopt(e->h, CURLOPT_POST, 1L);
		curl_easy_setopt(e->h, CURLOPT_POSTFIELDS, e->post.data);
		curl_easy_setopt(e->h, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)e->post.len);
	} else
		curl_easy_setopt(e->h, CURLOPT_HTTPGET, 1L);
	if (curl_multi_add_handle(e->pool->m, e->h) != CURLM_OK)
		fatalx("curl_multi_add_handle failed");
	e->in_multi = 1;
	/* Put it on the wire now, not after the rest of this round. */
	(void)curl_multi_perform(e->pool->m, &running);
}

/* Start a request of the current flow (the body, if any, is in e->post). */
void
erp_request(struct erp *e, int is_post, int flags, const char *fmt, ...)
    ATTR_PRINTF(4, 5);

void
erp_request(struct erp *e, int is_post, int flags, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(e->url, sizeof e->url, fmt, ap);
	va_end(ap);
	e->is_post = is_post;
	e->flags = flags;
	e->attempt = 1;
	e->backoff = ERP_BACKOFF_MS;
	e->result = ERP_PENDING;
	e->tell = 0;
	erp_send(e);
}

void
erp_end(struct erp *e, int result)
{
	enum erp_flow	 flow = e->flow;

	if (flow == FLOW_LOGIN_POST)
		explicit_bzero(e->post.data, e->post.len);
	buf_reset(&e->post);
	e->flow = FLOW_NONE;
	e->parked = 0;
	e->result = result;
	e->tell = 1;
	if (e == e->pool->login_lead)
		erp_login_lead_ended(e);
}

void
erp_fail(struct erp *e, enum err_class class, const char *fmt, ...)
    ATTR_PRINTF(3, 4);

void
erp_fail(struct erp *e, enum err_class class, const char *fmt, ...)
{
	va_list	 ap;

	e->err.class = class;
	va_start(ap, fmt);
	vsnprintf(e->err.msg, sizeof e->err.msg, fmt, ap);
	va_end(ap);
	erp_end(e, ERP_FAIL);
}

/* Append name=value, urlencoded, to b. */
void
form_add(CURL *h, struct buf *b, const char *name, const char *value)
{
	char	*n, *v;

	n = curl_easy_escape(h, name, 0);
	v = curl_easy_escape(h, value, 0);
	if (n == NULL || v == NULL)
		fatalx("curl_easy_escape failed");
	if (b->len > 0)
		buf_addc(b, '&');
	buf_adds(b, n);
	buf_addc(b, '=');
	buf_adds(b, v);
	curl_free(n);
	explicit_bzero(v, strlen(v));
	curl_free(v);
}

/*
 * The request failed the way a network does (5xx, drop, timeout, cut
 * answer): send it again after a backoff, within the request's budget.
 */
static void
erp_retry(struct erp *e, const char *why)
{
	if (e->attempt >= ERP_TRIES) {
		erp_fail(e, ERR_ERP, "the ERP at %s failed %d times (%s %s): %s",
		    e->base, ERP_TRIES, e->is_post ? "POST" : "GET", e->url, why);
		return;
	}
	log_debug("%s %s: %s; retry %d in %lld ms", e->is_post ? "POST" : "GET",
	    e->url, why, e->attempt, (long long)e->backoff);
	e->attempt++;
	e->pool->stats.retries++;
	e->retry_at = mono_ms() + e->backoff + random() % (e->backoff / 2 + 1);
	e->backoff = e->backoff * 2 > ERP_BACKOFF_MAX_MS ? ERP_BACKOFF_MAX_MS :
	    e->backoff * 2;
}

/* A cut answer is a transport fault (design.md §5): retry the request. */
int
erp_cut(struct erp *e)
{
	char	 why[128];

	if (body_complete(e->body.data, e->body.len))
		return 0;
	snprintf(why, sizeof why, "the answer ended early (%zu bytes)",
	    e->body.len);
	e->bad[0] = '\0';
	erp_retry(e, why);
	return 1;
}

/*
 * A whole answer that is not what the contract says. Retried once like
 * any fault; the markup changed only when the same request fails the same
 * way twice in a row: then class contract, and the page is saved.
 */
void
erp_malformed(struct erp *e, const char *what, const char *fmt, ...)
    ATTR_PRINTF(3, 4);

void
erp_malformed(struct erp *e, const char *what, const char *fmt, ...)
{
	char	 msg[sizeof e->bad];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (strcmp(msg, e->bad) == 0) {
		erp_save_debug(e, what);
		erp_fail(e, ERR_CONTRACT, "%s", msg);
		return;
	}
	log_warnx("%s; asking again", msg);
	snprintf(e->bad, sizeof e->bad, "%s", msg);
	erp_retry(e, msg);
}

/* A 302 to the login page: the session expired or was dropped. */
static int
erp_is_login_redirect(const struct erp *e)
{
	return e->status >= 300 && e->status < 400 &&
	    strstr(e->location, "Login.aspx") != NULL;
}

/*
 * Parse the grid that arrived, in one pass over the whole body (design.md
 * §6), with the page's hidden inputs when hidden is not NULL; -1 when it is
 * malformed (being retried).
 */
static int
erp_parse_grid(struct erp *e, const char *what, struct form *hidden)
{
	char	 perr[256];
	int64_t	 t0 = mono_us();
	int	 rc;

	rc = grid_parse_page(e->body.data, e->body.len, e->grid, hidden, perr,
	    sizeof perr);
	e->pool->stats.parse_us += mono_us() - t0;
	if (rc == -1) {
		erp_malformed(e, e->view, "%s of %s: %s", what, e->view, perr);
		return -1;
	}
	e->fetched++;
	return 0;
}

/* Got the list view page: its grid and hidden inputs, in one pass. */
static void
erp_on_view(struct erp *e)
{
	struct form	 f;
	size_t		 i;

	if (erp_is_login_redirect(e)) {
		erp_end(e, ERP_EXPIRED);
		return;
	}
	if (e->status != 200) {
		erp_fail(e, ERR_ERP, "GET %s answered HTTP %ld", e->url, e->status);
		return;
	}
	if (erp_cut(e))
		return;
	if (erp_parse_grid(e, "page", &f) == -1)
		return;
	buf_reset(&e->hidden);
	for (i = 0; i < f.nfields; i++) {
		if (strcmp(f.fields[i].name, "__CALLBACKID") == 0 ||
		    strcmp(f.fields[i].name, "__CALLBACKPARAM") == 0)
			continue;
		form_add(e->h, &e->hidden, f.fields[i].name, f.fields[i].value);
	}
	form_free(&f);
	free(e->grid_id);
	e->grid_id = xstrdup(e->grid->grid_id);
	erp_end(e, ERP_OK);
}

/* Got the answer to a grid command. */
static void
erp_on_callback(struct erp *e)
{
	char	 what[300];

	if (erp_is_login_redirect(e)) {
		erp_end(e, ERP_EXPIRED);
		return;
	}
	if (e->status != 200) {
		erp_fail(e, ERR_ERP, "callback %s on %s answered HTTP %ld", e->cmd,
		    e->view, e->status);
		return;
	}
	if (erp_cut(e))
		return;
	if (e->raw) {		/* the owner parses it: erp_take_answer */
		e->fetched++;
		erp_end(e, ERP_OK);
		return;
	}
	snprintf(what, sizeof what, "answer to %s", e->cmd);
	if (erp_parse_grid(e, what, NULL) == 0)
		erp_end(e, ERP_OK);
}

/*
 * Failures only the operator can fix: retrying cannot help, so the job
 * fails at once with class config and the key to change (design.md §5).
 */
static int
erp_config_error(struct erp *e, CURLcode rc, const char *why)
{
	switch (rc) {
	case CURLE_PEER_FAILED_VERIFICATION:
		erp_fail(e, ERR_CONFIG, "the TLS certificate of %s is not trusted "
		    "(%s): set ca_file to the certificate (or its CA) in [erp], "
		    "or tls_verify = no", e->origin, why);
		return 1;
	case CURLE_SSL_CACERT_BADFILE:
		erp_fail(e, ERR_CONFIG, "ca_file cannot be used to check %s (%s): "
		    "fix ca_file in [erp]", e->origin, why);
		return 1;
	case CURLE_UNSUPPORTED_PROTOCOL:
		erp_fail(e, ERR_CONFIG, "url %s: %s; the ERP's url in [erp] must "
		    "be http:// or https://", e->base, why);
		return 1;
	default:
		return 0;
	}
}

/* Count a finished request and its time (libcurl's, queueing excluded). */
static void
erp_count(struct erp *e)
{
	struct erp_stats	*st = &e->pool->stats;
	curl_off_t		 us = 0;
	int			 i;

	(void)curl_easy_getinfo(e->h, CURLINFO_TOTAL_TIME_T, &us);
	st->requests++;
	st->wait_us += us;
	for (i = 0; i < MSG_REQ_BUCKETS - 1; i++)
		if (us <= msg_req_bucket_ms[i] * 1000)
			break;
	st->hist[i]++;
}

/* A request finished at the transport level: retry, or hand to the flow. */
static void
erp_done(struct erp *e, CURLcode rc)
{
	char	 why[CURL_ERROR_SIZE + 64];

	curl_multi_remove_handle(e->pool->m, e->h);
	e->in_multi = 0;
	erp_count(e);
	if (rc == CURLE_OK) {
		curl_easy_getinfo(e->h, CURLINFO_RESPONSE_CODE, &e->status);
		erp_redirect(e);
		if (e->status < 500 || (e->flags & ERP_NO_RETRY_5XX))
			goto answer;
		snprintf(why, sizeof why, "HTTP %ld", e->status);
	} else
		snprintf(why, sizeof why, "%s", e->ebuf[0] ? e->ebuf :
		    curl_easy_strerror(rc));
	if (erp_config_error(e, rc, why))
		return;
	if (e->flow == FLOW_LOGOUT) {
		log_debug("logout: %s", why);
		e->logged_in = 0;
		erp_tell_session(e);
		erp_end(e, ERP_OK);
		return;
	}
	erp_retry(e, why);
	return;
answer:
	switch (e->flow) {
	case FLOW_LOGIN_PAGE:
		erp_on_login_page(e);
		break;
	case FLOW_LOGIN_POST:
		erp_on_login_post(e);
		break;
	case FLOW_LOGOUT:
		e->logged_in = 0;
		erp_tell_session(e);
		curl_easy_setopt(e->h, CURLOPT_COOKIELIST, "ALL");
		erp_end(e, ERP_OK);
		break;
	case FLOW_VIEW:
		erp_on_view(e);
		break;
	case FLOW_CALLBACK:
		erp_on_callback(e);
		break;
	case FLOW_NONE:
		fatalx("erp_done: a request without a flow");
	}
}

/*
 * Drive the pool for up to timeout_ms, or until some flow ends; each
 * owner is told (on_done) as soon as its flow ends, so it can send its
 * next request at once. Returns the number of flows that ended.
 */
int
erp_pool_run(struct erp_pool *p, int timeout_ms)
{
	struct erp	*e;
	CURLMsg		*msg;
	int		 running, left, ended = 0, wait, told;
	int64_t		 now, next, deadline = mono_ms() + timeout_ms;
	int64_t		 t0 = mono_us();
	size_t		 i;

	for (;;) {
		now = mono_ms();
		next = deadline;
		for (i = 0; i < p->n; i++) {
			e = p->sess[i];
			if (e->retry_at == 0)
				continue;
			if (e->retry_at <= now)
				erp_send(e);
			else if (e->retry_at < next)
				next = e->retry_at;
		}
		curl_multi_perform(p->m, &running);
		while ((msg = curl_multi_info_read(p->m, &left)) != NULL) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
			    (char **)&e);
			erp_done(e, msg->data.result);
		}
		/*
		 * Tell the owners of every flow that ended, also those ended
		 * by another session's (a parked login when the lead failed).
		 * An owner may start flows and end others: go round again.
		 */
		do {
			told = 0;
			for (i = 0; i < p->n; i++) {
				e = p->sess[i];
				if (!e->tell)
					continue;
				e->tell = 0;
				ended++;
				told++;
				if (e->on_done != NULL)
					e->on_done(e, e->on_done_arg);
			}
		} while (told > 0);
		if (ended > 0 || mono_ms() >= deadline) {
			p->stats.run_us += mono_us() - t0;
			return ended;
		}
		wait = (int)(next - mono_ms());
		if (wait > 0)
			curl_multi_poll(p->m, NULL, 0, wait, NULL);
	}
}

/* Start opening a list view; its grid is parsed into g. */
void
erp_start_view(struct erp *e, const char *view, struct grid *g)
{
	free(e->view);
	e->view = xstrdup(view);
	e->bad[0] = '\0';
	memset(&e->err, 0, sizeof e->err);
	grid_free(g);
	memset(g, 0, sizeof *g);
	e->grid = g;
	e->flow = FLOW_VIEW;
	erp_request(e, 0, 0, "%s/%s/", e->base, view);
}

/*
 * Start a grid command (GB|PN3, GB|FILTER|key, ...); parsed into g. With
 * ERP_NO_RETRY_5XX a 5xx answer is the command's refusal, not a fault;
 * with ERP_RAW the whole answer is left for erp_take_answer, unparsed.
 */
void
erp_start_callback(struct erp *e, const char *cmd, struct grid *g, int flags)
{
	if (e->grid_id == NULL)
		fatalx("erp_start_callback before the view was opened");
	snprintf(e->cmd, sizeof e->cmd, "%s", cmd);
	e->bad[0] = '\0';
	memset(&e->err, 0, sizeof e->err);
	grid_free(g);
	memset(g, 0, sizeof *g);
	e->grid = g;
	buf_reset(&e->post);
	form_add(e->h, &e->post, "__CALLBACKID", e->grid_id);
	form_add(e->h, &e->post, "__CALLBACKPARAM", cmd);
	if (e->hidden.len > 0) {
		buf_addc(&e->post, '&');
		buf_add(&e->post, e->hidden.data, e->hidden.len);
	}
	e->flow = FLOW_CALLBACK;
	e->raw = (flags & ERP_RAW) != 0;
	erp_request(e, 1, flags & ERP_NO_RETRY_5XX, "%s/%s/", e->base, e->view);
}
