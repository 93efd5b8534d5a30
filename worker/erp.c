/*
 * erp.c — one ERP session over libcurl (erp-contract.md §1-§3): log in
 * through the XAF login form, open a list view, send grid callbacks, log
 * out. Transport trouble (5xx, drops, timeouts, cut responses) is retried
 * here with backoff; a redirect to Login.aspx is reported to the caller,
 * which logs in again and restores the grid state.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "worker/worker.h"

#define ERP_TRIES		8	/* attempts per request */
#define ERP_BACKOFF_MS		100
#define ERP_BACKOFF_MAX_MS	3000
#define ERP_LOGIN_TRIES		4

#define HTTP_NO_RETRY_5XX	0x1

struct erp {
	CURL		*h;
	char		*base;		/* ERP base URL, no trailing slash */
	char		 origin[512];
	char		*user;
	const char	*password;	/* borrowed from the job; never logged */
	char		*debug_dir;
	struct buf	 body;		/* last response body */
	long		 status;
	char		 location[1024];
	struct buf	 hidden;	/* view page's hidden inputs, urlencoded */
	char		*view;
	char		*grid_id;
	int		 logged_in;
	int64_t		 fetched;	/* grid pages received */
	int64_t		 relogins;
	int64_t		 requests;
};

static size_t
erp_write_cb(char *p, size_t size, size_t n, void *arg)
{
	struct erp	*e = arg;

	buf_add(&e->body, p, size * n);
	return size * n;
}

static size_t
erp_header_cb(char *p, size_t size, size_t n, void *arg)
{
	struct erp	*e = arg;
	size_t		 len = size * n, vlen;
	const char	*v;

	if (len > 9 && strncasecmp(p, "Location:", 9) == 0) {
		v = p + 9;
		vlen = len - 9;
		while (vlen > 0 && (*v == ' ' || *v == '\t')) {
			v++;
			vlen--;
		}
		while (vlen > 0 && (v[vlen - 1] == '\r' || v[vlen - 1] == '\n'))
			vlen--;
		if (vlen >= sizeof e->location)
			vlen = sizeof e->location - 1;
		memcpy(e->location, v, vlen);
		e->location[vlen] = '\0';
	}
	return len;
}

/* Heartbeats keep flowing while a slow request is in flight. */
static int
erp_progress_cb(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut,
    curl_off_t un)
{
	(void)arg; (void)dt; (void)dn; (void)ut; (void)un;
	report_tick();
	return 0;
}

/* A session for one ERP user; nothing is sent until erp_login. */
struct erp *
erp_new(const struct erp_config *c)
{
	static int	 curl_ready;
	struct erp	*e;
	size_t		 n;

	if (!curl_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
			fatalx("curl_global_init failed");
		curl_ready = 1;
	}
	e = xcalloc(1, sizeof *e);
	e->base = xstrdup(c->url);
	n = strlen(e->base);
	while (n > 0 && e->base[n - 1] == '/')
		e->base[--n] = '\0';
	if (url_origin(e->base, e->origin, sizeof e->origin) == -1)
		snprintf(e->origin, sizeof e->origin, "%s", e->base);
	e->user = xstrdup(c->user);
	e->password = c->password;
	e->debug_dir = c->debug_dir && *c->debug_dir ? xstrdup(c->debug_dir) : NULL;
	buf_init(&e->body);
	buf_init(&e->hidden);
	if ((e->h = curl_easy_init()) == NULL)
		fatalx("curl_easy_init failed");
	curl_easy_setopt(e->h, CURLOPT_COOKIEFILE, "");	/* cookies in memory */
	curl_easy_setopt(e->h, CURLOPT_WRITEFUNCTION, erp_write_cb);
	curl_easy_setopt(e->h, CURLOPT_WRITEDATA, e);
	curl_easy_setopt(e->h, CURLOPT_HEADERFUNCTION, erp_header_cb);
	curl_easy_setopt(e->h, CURLOPT_HEADERDATA, e);
	curl_easy_setopt(e->h, CURLOPT_XFERINFOFUNCTION, erp_progress_cb);
	curl_easy_setopt(e->h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(e->h, CURLOPT_FOLLOWLOCATION, 0L);
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

/* Free the session (without logging out: see erp_logout). */
void
erp_free(struct erp *e)
{
	if (e == NULL)
		return;
	curl_easy_cleanup(e->h);
	buf_free(&e->body);
	buf_free(&e->hidden);
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

/* Times the session had to log in again. */
int64_t
erp_relogins(const struct erp *e)
{
	return e->relogins;
}

/* Save the last response under debug_dir for a human to inspect. */
void
erp_save_debug(struct erp *e, const char *what)
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
	if (write_all(fd, e->body.data ? e->body.data : "", e->body.len) == -1)
		log_warn("writing %s", path);
	close(fd);
	log_warnx("the page is saved in %s", path);
}

static void
sleep_ms(int64_t ms)
{
	int64_t		 end = mono_ms() + ms;
	struct timespec	 ts;

	while (mono_ms() < end) {
		report_tick();
		ts.tv_sec = 0;
		ts.tv_nsec = 50 * 1000000L;
		nanosleep(&ts, NULL);
	}
}

/*
 * One HTTP request with retries. On success e->status, e->body and
 * e->location hold the answer (2xx or 3xx). post NULL means GET.
 */
static int
erp_http(struct erp *e, const char *url, const char *post, size_t postlen,
    int flags, struct wk_error *err)
{
	CURLcode	 rc;
	char		 why[CURL_ERROR_SIZE + 64];
	char		 ebuf[CURL_ERROR_SIZE];
	int		 attempt;
	int64_t		 backoff = ERP_BACKOFF_MS;

	curl_easy_setopt(e->h, CURLOPT_URL, url);
	curl_easy_setopt(e->h, CURLOPT_ERRORBUFFER, ebuf);
	if (post != NULL) {
		curl_easy_setopt(e->h, CURLOPT_POST, 1L);
		curl_easy_setopt(e->h, CURLOPT_POSTFIELDS, post);
		curl_easy_setopt(e->h, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)postlen);
	} else
		curl_easy_setopt(e->h, CURLOPT_HTTPGET, 1L);

	for (attempt = 1; attempt <= ERP_TRIES; attempt++) {
		buf_reset(&e->body);
		e->location[0] = '\0';
		e->status = 0;
		ebuf[0] = '\0';
		e->requests++;
		rc = curl_easy_perform(e->h);
		if (rc == CURLE_OK) {
			curl_easy_getinfo(e->h, CURLINFO_RESPONSE_CODE, &e->status);
			if (e->status < 500)
				return 0;
			if (flags & HTTP_NO_RETRY_5XX)
				return 0;
			snprintf(why, sizeof why, "HTTP %ld", e->status);
		} else
			snprintf(why, sizeof why, "%s", ebuf[0] ? ebuf :
			    curl_easy_strerror(rc));
		if (attempt == ERP_TRIES)
			break;
		log_debug("%s %s: %s; retry %d in %lld ms", post ? "POST" : "GET",
		    url, why, attempt, (long long)backoff);
		sleep_ms(backoff + random() % (backoff / 2 + 1));
		backoff = backoff * 2 > ERP_BACKOFF_MAX_MS ?
		    ERP_BACKOFF_MAX_MS : backoff * 2;
	}
	wk_error_set(err, "erp", "the ERP at %s failed %d times (%s %s): %s",
	    e->base, ERP_TRIES, post ? "POST" : "GET", url, why);
	return -1;
}

/* A 302 to the login page: the session expired or was dropped. */
static int
erp_is_login_redirect(const struct erp *e)
{
	return e->status >= 300 && e->status < 400 &&
	    strstr(e->location, "Login.aspx") != NULL;
}

/* Append name=value, urlencoded, to b. */
static void
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

static int
erp_login_once(struct erp *e, struct wk_error *err, int *retry)
{
	struct form	 f;
	struct buf	 post;
	char		 url[2048], perr[256];
	size_t		 i;
	int		 rc = -1;

	*retry = 0;
	snprintf(url, sizeof url, "%s/Login.aspx", e->base);
	if (erp_http(e, url, NULL, 0, 0, err) == -1)
		return -1;
	if (e->status != 200) {
		wk_error_set(err, "erp", "GET %s answered HTTP %ld, expected the "
		    "login page", url, e->status);
		return -1;
	}
	if (form_parse(e->body.data, e->body.len, &f, perr, sizeof perr) == -1 ||
	    f.user_field == NULL || f.password_field == NULL ||
	    f.submit_field == NULL) {
		erp_save_debug(e, "login");
		wk_error_set(err, "contract", "the login page at %s has no "
		    "usable login form%s%s", url, f.fields ? "" : ": ",
		    f.fields ? "" : perr);
		form_free(&f);
		return -1;
	}
	buf_init(&post);
	for (i = 0; i < f.nfields; i++)
		form_add(e->h, &post, f.fields[i].name, f.fields[i].value);
	form_add(e->h, &post, f.user_field, e->user);
	form_add(e->h, &post, f.password_field, e->password);
	form_add(e->h, &post, f.submit_field,
	    f.submit_value ? f.submit_value : "");
	form_free(&f);

	rc = erp_http(e, url, post.data, post.len, HTTP_NO_RETRY_5XX, err);
	explicit_bzero(post.data, post.len);
	buf_free(&post);
	if (rc == -1)
		return -1;
	rc = -1;
	if (e->status >= 500) {
		*retry = 1;
		wk_error_set(err, "erp", "login for %s: the ERP answered HTTP "
		    "%ld", e->user, e->status);
	} else if (e->status >= 300 && e->status < 400) {
		if (strstr(e->location, "Login.aspx") != NULL)
			wk_error_set(err, "erp", "login for %s bounced back to "
			    "the login page", e->user);
		else
			rc = 0;
	} else if (e->status == 200) {
		if (form_parse(e->body.data, e->body.len, &f, perr,
		    sizeof perr) == 0 && f.error_text != NULL) {
			if (strstr(f.error_text, "sessioni") != NULL)
				wk_error_set(err, "busy", "login refused for "
				    "%s: too many ERP sessions (\"%s\"); try "
				    "again later", e->user, f.error_text);
			else if (strstr(f.error_text, "non validi") != NULL)
				wk_error_set(err, "auth", "login refused for "
				    "%s: wrong user name or password (\"%s\")",
				    e->user, f.error_text);
			else
				wk_error_set(err, "auth", "login refused for "
				    "%s: \"%s\"", e->user, f.error_text);
		} else {
			erp_save_debug(e, "login-answer");
			wk_error_set(err, "contract", "login for %s: HTTP 200 "
			    "without an error message or a redirect", e->user);
		}
		form_free(&f);
	} else
		wk_error_set(err, "erp", "login for %s: unexpected HTTP %ld",
		    e->user, e->status);
	return rc;
}

/* Log in (again): a fresh session, cookies and all. */
int
erp_login(struct erp *e, struct wk_error *err)
{
	struct wk_error	 last;
	int		 i, retry;

	if (e->logged_in)
		e->relogins++;
	e->logged_in = 0;
	curl_easy_setopt(e->h, CURLOPT_COOKIELIST, "ALL");
	for (i = 0; i < ERP_LOGIN_TRIES; i++) {
		memset(&last, 0, sizeof last);
		if (erp_login_once(e, &last, &retry) == 0) {
			e->logged_in = 1;
			log_debug("logged in to %s as %s", e->base, e->user);
			return 0;
		}
		if (!retry)
			break;
		/* Stale hidden fields or a passing 5xx: start over from GET. */
		sleep_ms(ERP_BACKOFF_MS << i);
	}
	wk_error_set(err, last.class, "%s", last.msg);
	return -1;
}

/* End the session: the ERP limits sessions per user. Errors are ignored. */
void
erp_logout(struct erp *e)
{
	struct wk_error	 err;
	char		 url[2048];

	if (!e->logged_in)
		return;
	memset(&err, 0, sizeof err);
	snprintf(url, sizeof url, "%s/Logout.aspx", e->base);
	if (erp_http(e, url, NULL, 0, HTTP_NO_RETRY_5XX, &err) == -1)
		log_debug("logout: %s", err.msg);
	e->logged_in = 0;
	curl_easy_setopt(e->h, CURLOPT_COOKIELIST, "ALL");
}

static int
erp_parse_grid(struct erp *e, struct grid *g, const char *what,
    struct wk_error *err)
{
	char	 perr[256];

	if (grid_parse(e->body.data, e->body.len, g, perr, sizeof perr) == -1) {
		wk_error_set(err, "contract", "%s of %s: %s", what, e->view, perr);
		return -1;
	}
	e->fetched++;
	return 0;
}

/*
 * GET a list view: keeps its hidden inputs for callbacks and parses its
 * grid. 0 ok, 1 session expired (log in and call again), -1 error.
 */
int
erp_open_view(struct erp *e, const char *view, struct grid *g,
    struct wk_error *err)
{
	struct form	 f;
	char		 url[2048], perr[256];
	size_t		 i;

	free(e->view);
	e->view = xstrdup(view);
	snprintf(url, sizeof url, "%s/%s/", e->base, view);
	if (erp_http(e, url, NULL, 0, 0, err) == -1)
		return -1;
	if (erp_is_login_redirect(e))
		return 1;
	if (e->status != 200) {
		wk_error_set(err, "erp", "GET %s answered HTTP %ld", url, e->status);
		return -1;
	}
	if (form_parse(e->body.data, e->body.len, &f, perr, sizeof perr) == -1) {
		erp_save_debug(e, view);
		wk_error_set(err, "contract", "page %s: %s", url, perr);
		return -1;
	}
	buf_reset(&e->hidden);
	for (i = 0; i < f.nfields; i++) {
		if (strcmp(f.fields[i].name, "__CALLBACKID") == 0 ||
		    strcmp(f.fields[i].name, "__CALLBACKPARAM") == 0)
			continue;
		form_add(e->h, &e->hidden, f.fields[i].name, f.fields[i].value);
	}
	form_free(&f);
	if (erp_parse_grid(e, g, "page", err) == -1) {
		erp_save_debug(e, view);
		return -1;
	}
	free(e->grid_id);
	e->grid_id = xstrdup(g->grid_id);
	return 0;
}

/*
 * Send a grid command (GB|PN3, GB|FILTER|key...) and parse the grid it
 * returns. 0 ok, 1 session expired, -1 error (a contract error leaves the
 * page in e->body for erp_save_debug).
 */
int
erp_callback(struct erp *e, const char *cmd, struct grid *g,
    struct wk_error *err)
{
	struct buf	 post;
	char		 url[2048], what[96];
	int		 rc;

	if (e->grid_id == NULL)
		fatalx("erp_callback before erp_open_view");
	snprintf(url, sizeof url, "%s/%s/", e->base, e->view);
	buf_init(&post);
	form_add(e->h, &post, "__CALLBACKID", e->grid_id);
	form_add(e->h, &post, "__CALLBACKPARAM", cmd);
	if (e->hidden.len > 0) {
		buf_addc(&post, '&');
		buf_add(&post, e->hidden.data, e->hidden.len);
	}
	rc = erp_http(e, url, post.data, post.len, 0, err);
	buf_free(&post);
	if (rc == -1)
		return -1;
	if (erp_is_login_redirect(e))
		return 1;
	if (e->status != 200) {
		wk_error_set(err, "erp", "callback %s on %s answered HTTP %ld",
		    cmd, e->view, e->status);
		return -1;
	}
	snprintf(what, sizeof what, "answer to %s", cmd);
	return erp_parse_grid(e, g, what, err);
}
