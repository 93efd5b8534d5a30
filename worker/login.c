/*
 * login.c — an ERP session's way in and out (erp-contract.md §2): GET
 * Login.aspx, POST the form with every hidden field, read the answer (a
 * redirect, or LogonErrorText saying why not), GET Logout.aspx. Each
 * session opened or closed is told to the supervisor with its cookies, so
 * that the next worker can log out what a dead one left (design.md §5).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "worker/worker.h"

/*
 * Tell the supervisor this session is open (with its cookies) or closed,
 * so that the sessions of a worker that dies without logging out can be
 * logged out by the next one (design.md §5). Copies are wiped.
 */
void
erp_tell_session(struct erp *e)
{
	struct msg_session	 m;
	struct curl_slist	*cl = NULL, *i;
	size_t			 len = 0, n;

	memset(&m, 0, sizeof m);
	m.slot = e->id;
	snprintf(m.op, sizeof m.op, "%s", e->logged_in ? "open" : "close");
	if (e->logged_in &&
	    curl_easy_getinfo(e->h, CURLINFO_COOKIELIST, &cl) == CURLE_OK) {
		for (i = cl; i != NULL; i = i->next) {
			n = strlen(i->data);
			if (len + n + 2 > sizeof m.cookies) {
				log_warnx("session %d: cookies too long to hand "
				    "over", e->id);
				break;
			}
			memcpy(m.cookies + len, i->data, n);
			len += n;
			m.cookies[len++] = '\n';
			explicit_bzero(i->data, n);
		}
		m.cookies[len] = '\0';
		curl_slist_free_all(cl);
	}
	report_session(&m);
	explicit_bzero(&m, sizeof m);
}

/*
 * Take over a session a dead worker left logged in (its cookie lines), so
 * that erp_start_logout can end it. It counts as ours from now on.
 */
void
erp_adopt(struct erp *e, const char *cookies)
{
	char	*copy, *line, *next;

	copy = xstrdup(cookies);
	for (line = copy; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (*line != '\0')
			curl_easy_setopt(e->h, CURLOPT_COOKIELIST, line);
	}
	explicit_bzero(copy, strlen(cookies));
	free(copy);
	e->logged_in = 1;
	erp_tell_session(e);
}

/* form_parse() of the answer, its time counted as parsing. */
static int
erp_form_parse(struct erp *e, struct form *f, char *perr, size_t len)
{
	int64_t	 t0 = mono_us();
	int	 rc;

	rc = form_parse(e->body.data, e->body.len, f, perr, len);
	e->pool->stats.parse_us += mono_us() - t0;
	return rc;
}

static void	 erp_login_post(struct erp *);

/* Ask for the login page (its hidden fields change on every GET). */
static void
erp_login_page(struct erp *e)
{
	e->flow = FLOW_LOGIN_PAGE;
	erp_request(e, 0, 0, "%s/Login.aspx", e->base);
}

/* Got the login page: post the form with every hidden field. */
void
erp_on_login_page(struct erp *e)
{
	struct form	 f;
	char		 perr[256], pw[256];
	size_t		 i, need;

	if (e->status != 200) {
		erp_fail(e, ERR_ERP, "GET %s answered HTTP %ld, expected the login "
		    "page", e->url, e->status);
		return;
	}
	if (erp_cut(e))
		return;
	if (erp_form_parse(e, &f, perr, sizeof perr) == -1) {
		erp_malformed(e, "login", "the login page at %s: %s", e->url,
		    perr);
		return;
	}
	if (f.user_field == NULL || f.password_field == NULL ||
	    f.submit_field == NULL) {
		form_free(&f);
		erp_malformed(e, "login", "the login page at %s has no user "
		    "name, password or logon button field", e->url);
		return;
	}
	if (report_password(pw, sizeof pw, perr, sizeof perr) == -1) {
		form_free(&f);
		erp_fail(e, ERR_PROTOCOL, "login for %s: %s", e->user, perr);
		return;
	}
	/*
	 * Room for the whole body at once (escaping at most triples a byte),
	 * so no realloc leaves a copy of the password behind.
	 */
	need = strlen(e->user) + strlen(pw) + 256 +
	    strlen(f.user_field) + strlen(f.password_field) +
	    strlen(f.submit_field) +
	    (f.submit_value ? strlen(f.submit_value) : 0);
	for (i = 0; i < f.nfields; i++)
		need += strlen(f.fields[i].name) + strlen(f.fields[i].value) + 2;
	buf_reset(&e->post);
	buf_reserve(&e->post, 3 * need);
	for (i = 0; i < f.nfields; i++)
		form_add(e->h, &e->post, f.fields[i].name, f.fields[i].value);
	form_add(e->h, &e->post, f.user_field, e->user);
	form_add(e->h, &e->post, f.password_field, pw);
	explicit_bzero(pw, sizeof pw);
	form_add(e->h, &e->post, f.submit_field,
	    f.submit_value ? f.submit_value : "");
	form_free(&f);
	e->flow = FLOW_LOGIN_POST;
	if (!e->pool->login_ok && e->pool->login_lead != NULL &&
	    e->pool->login_lead != e) {
		e->parked = 1;	/* posted by erp_login_lead_ended */
		return;
	}
	if (!e->pool->login_ok)
		e->pool->login_lead = e;
	erp_login_post(e);
}

/* Post the login form that is ready in e->post. */
static void
erp_login_post(struct erp *e)
{
	e->parked = 0;
	erp_request(e, 1, ERP_NO_RETRY_5XX, "%s/Login.aspx", e->base);
}

/*
 * The first login ended. If it worked, the parked sessions post their
 * forms now; if not (refused, failed, or cancelled by erp_start_logout),
 * they end the same way without asking: a wrong password is tried once.
 */
void
erp_login_lead_ended(struct erp *lead)
{
	struct erp_pool	*p = lead->pool;
	struct erp	*e;
	size_t		 i;

	p->login_lead = NULL;
	if (lead->result == ERP_OK && lead->logged_in)
		p->login_ok = 1;
	for (i = 0; i < p->n; i++) {
		e = p->sess[i];
		if (!e->parked)
			continue;
		if (p->login_ok)
			erp_login_post(e);
		else {
			e->err = lead->err;
			erp_end(e, ERP_FAIL);
		}
	}
}

/*
 * The login answer was no use (a 5xx for stale hidden fields, or cut):
 * start over from GET, which brings fresh hidden fields, a few times.
 */
static void
erp_login_again(struct erp *e, const char *why)
{
	if (++e->login_tries < ERP_LOGIN_TRIES) {
		log_debug("login for %s: %s; starting over", e->user, why);
		erp_login_page(e);
		return;
	}
	erp_fail(e, ERR_ERP, "login for %s failed %d times: %s", e->user,
	    ERP_LOGIN_TRIES, why);
}

/* The LogonErrorText of a login answer: why the ERP refused. */
static void
erp_login_refused(struct erp *e, const char *text)
{
	if (strstr(text, "sessioni") != NULL)
		erp_fail(e, ERR_BUSY, "login refused for %s: too many ERP "
		    "sessions (\"%s\"); try again later", e->user, text);
	else if (strstr(text, "non validi") != NULL)
		erp_fail(e, ERR_AUTH, "login refused for %s: wrong user name or "
		    "password (\"%s\")", e->user, text);
	else
		erp_fail(e, ERR_AUTH, "login refused for %s: \"%s\"", e->user,
		    text);
}

/* The answer to the login form. */
void
erp_on_login_post(struct erp *e)
{
	struct form	 f;
	char		 perr[256], why[300];

	explicit_bzero(e->post.data, e->post.len);
	if (e->status >= 500) {
		snprintf(why, sizeof why, "the ERP answered HTTP %ld",
		    e->status);
		erp_login_again(e, why);
	} else if (e->status >= 300 && e->status < 400) {
		if (strstr(e->location, "Login.aspx") != NULL)
			erp_fail(e, ERR_ERP, "login for %s bounced back to the "
			    "login page", e->user);
		else {
			e->logged_in = 1;
			log_debug("logged in to %s as %s", e->base, e->user);
			erp_tell_session(e);
			erp_end(e, ERP_OK);
		}
	} else if (e->status != 200) {
		erp_fail(e, ERR_ERP, "login for %s: unexpected HTTP %ld", e->user,
		    e->status);
	} else if (!body_complete(e->body.data, e->body.len)) {
		snprintf(why, sizeof why, "the answer ended early (%zu bytes)",
		    e->body.len);
		erp_login_again(e, why);
	} else if (erp_form_parse(e, &f, perr, sizeof perr) == -1 ||
	    f.error_text == NULL) {
		if (perr[0] == '\0')
			snprintf(perr, sizeof perr, "HTTP 200 with a page that is "
			    "neither the application nor a login error");
		form_free(&f);
		snprintf(why, sizeof why, "login for %s: %s", e->user, perr);
		if (strcmp(why, e->bad) == 0) {
			erp_save_debug(e, "login-answer");
			/* What a human can do about it: look. */
			erp_fail(e, ERR_CONTRACT, "%s, twice (a password to "
			    "change? terms to accept?): log in to the ERP in a "
			    "browser as %s%s%s", why, e->user, e->debug_dir ?
			    "; the page is saved in " : "",
			    e->debug_dir ? e->debug_dir : "");
			return;
		}
		snprintf(e->bad, sizeof e->bad, "%s", why);
		erp_login_again(e, why);
	} else {
		erp_login_refused(e, f.error_text);
		form_free(&f);
	}
}


/* Start logging in (again): a fresh session, cookies and all. */
void
erp_start_login(struct erp *e)
{
	if (e->logged_in)
		e->relogins++;
	e->logged_in = 0;
	e->login_tries = 0;
	e->bad[0] = '\0';
	memset(&e->err, 0, sizeof e->err);
	curl_easy_setopt(e->h, CURLOPT_COOKIELIST, "ALL");
	erp_login_page(e);
}


/*
 * Start ending the session (the ERP limits sessions per user), cancelling
 * whatever the session was doing. Errors are ignored.
 */
void
erp_start_logout(struct erp *e)
{
	if (erp_busy(e)) {
		if (e->in_multi)
			curl_multi_remove_handle(e->pool->m, e->h);
		e->in_multi = 0;
		e->retry_at = 0;
		erp_end(e, ERP_FAIL);
	}
	if (!e->logged_in)
		return;
	e->flow = FLOW_LOGOUT;
	erp_request(e, 0, ERP_NO_RETRY_5XX, "%s/Logout.aspx", e->base);
}
