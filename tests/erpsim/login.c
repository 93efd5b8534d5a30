/*
 * login.c — Login.aspx, Logout.aspx, Default.aspx and the authentication
 * check every other ERP page goes through (contract §2): wrong password,
 * too many sessions, stale hidden fields, idle and forced expiry.
 */
#include <stdio.h>
#include <string.h>

#include <event2/http.h>

#include "tests/erpsim/erpsim.h"

static void
set_session_cookie(struct ctx *c, struct session *s)
{
	char	 v[128];

	snprintf(v, sizeof(v), "ASP.NET_SessionId=%s; path=/; HttpOnly; "
	    "SameSite=Lax", s->id);
	reply_header(c->rep, "Set-Cookie", v);
}

static void
to_login(struct ctx *c)
{
	struct buf	 loc, full;

	buf_init(&loc);
	buf_init(&full);
	buf_addf(&full, "%s%s", sim.conf.base, c->path);
	buf_addf(&loc, "%s/Login.aspx?ReturnUrl=", sim.conf.base);
	url_encode(&loc, full.data);
	sim.stats.redirects++;
	reply_redirect(c, loc.data);
	buf_free(&loc);
	buf_free(&full);
}

/*
 * The logged-in session of the request, or NULL after answering with a 302
 * to Login.aspx (unknown, anonymous, idle, or dropped by --expire-every).
 */
struct session *
erp_auth(struct ctx *c)
{
	struct session	*s = session_from_request(c->req, 1);
	char		 auth[128];

	if (s == NULL || s->user < 0 ||
	    cookie_get(c->req, ".ASPXAUTH", auth, sizeof(auth)) == -1 ||
	    strcmp(auth, s->auth) != 0) {
		to_login(c);
		return NULL;
	}
	s->nreq++;
	if (sim.faults.expire_every > 0 && s->nreq > sim.faults.expire_every) {
		sim.stats.f_expire++;
		session_drop(s);
		to_login(c);
		return NULL;
	}
	return s;
}

static int
stale(struct ctx *c, struct session *s)
{
	const char	*vs = form_get(&c->body, "__VIEWSTATE");
	const char	*ev = form_get(&c->body, "__EVENTVALIDATION");
	const char	*gen = form_get(&c->body, "__VIEWSTATEGENERATOR");

	return s == NULL || !s->issued || vs == NULL || ev == NULL ||
	    gen == NULL || hash_str(vs, strlen(vs)) != s->vs_hash ||
	    hash_str(ev, strlen(ev)) != s->ev_hash ||
	    strcmp(gen, sim.layout.generator) != 0;
}

static void
login_post(struct ctx *c, struct session *s, const char *returnurl)
{
	const struct layout	*L = &sim.layout;
	const char		*name, *pw;
	char			 cookie[200];
	int			 u, i;

	if (stale(c, s)) {
		sim.stats.logins_stale++;
		reply_error(c, 500, "Convalida dello stato di visualizzazione "
		    "non riuscita.");
		return;
	}
	name = form_get(&c->body, L->login_user);
	pw = form_get(&c->body, L->login_pass);
	if (name == NULL || pw == NULL ||
	    form_get(&c->body, L->login_button) == NULL) {
		/* No click on the button: the page again, nothing said. */
		page_login(reply_body(c->rep), s, NULL, returnurl);
		reply_send(c->rep, 200, c->fault);
		return;
	}
	if ((u = user_by_name(name)) < 0 || strcmp(pw, sim.users[u].pw) != 0) {
		sim.stats.logins_failed++;
		page_login(reply_body(c->rep), s,
		    "Nome utente o password non validi.", returnurl);
		reply_send(c->rep, 200, c->fault);
		return;
	}
	if (fault_password_expired(sim.users[u].name)) {
		sim.stats.logins_expired++;
		page_password_change(reply_body(c->rep), s);
		reply_send(c->rep, 200, c->fault);
		return;
	}
	if (sim.faults.max_sessions > 0 &&
	    session_count_user(u, s) >= (int)sim.faults.max_sessions) {
		sim.stats.logins_busy++;
		page_login(reply_body(c->rep), s,
		    "Numero massimo di sessioni raggiunto.", returnurl);
		reply_send(c->rep, 200, c->fault);
		return;
	}
	if (c->apply) {
		s->user = u;
		for (i = 0; i < 96; i++)
			s->auth[i] = "0123456789ABCDEF"[rng_below(&sim.rt, 16)];
		s->auth[96] = '\0';
		session_reset_grids(s);
		sim.stats.logins_ok++;
	}
	snprintf(cookie, sizeof(cookie), ".ASPXAUTH=%s; path=/; HttpOnly",
	    s->auth);
	reply_header(c->rep, "Set-Cookie", cookie);
	snprintf(cookie, sizeof(cookie), "%s/Default.aspx", sim.conf.base);
	reply_redirect(c, cookie);
}

/* GET shows the form (new hidden values); POST logs in. */
void
erp_login(struct ctx *c)
{
	struct session	*s = session_from_request(c->req, 1);
	const char	*returnurl = form_get(&c->query, "ReturnUrl");

	if (c->post) {
		login_post(c, s, returnurl);
		return;
	}
	if (s == NULL) {
		s = session_new();
		set_session_cookie(c, s);
	}
	page_login(reply_body(c->rep), s, NULL, returnurl);
	reply_send(c->rep, 200, c->fault);
}

/* End the session and go back to the login page. */
void
erp_logout(struct ctx *c)
{
	struct session	*s = session_from_request(c->req, 0);
	char		 loc[160];

	if (s != NULL && c->apply) {
		if (s->user >= 0)
			sim.stats.logouts++;
		session_drop(s);
	}
	reply_header(c->rep, "Set-Cookie", ".ASPXAUTH=; expires=Mon, "
	    "11-Oct-1999 22:00:00 GMT; path=/; HttpOnly");
	snprintf(loc, sizeof(loc), "%s/Login.aspx", sim.conf.base);
	reply_redirect(c, loc);
}

/* The start page, for logged-in sessions. */
void
erp_default(struct ctx *c)
{
	struct session	*s;

	if ((s = erp_auth(c)) == NULL)
		return;
	page_default(reply_body(c->rep), s);
	reply_send(c->rep, 200, c->fault);
}
