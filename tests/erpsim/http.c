/*
 * http.c — the evhttp server: binding (HTTPS with --tls-cert, see tls.c),
 * and routing each request either to the ERP pages under --base or to the
 * /_sim/ test endpoints. ERP requests get their kind of answer and their
 * fault from the schedule here, before any handler decides what to do.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>

#include "tests/erpsim/erpsim.h"

/* Index of the user called name, or -1. */
int
user_by_name(const char *name)
{
	int	 u;

	for (u = 0; u < sim.nusers; u++)
		if (strcmp(sim.users[u].name, name) == 0)
			return u;
	return -1;
}

static void
route_sim(struct ctx *c, const char *p)
{
	sim.stats.sim_requests++;
	if (strncmp(p, "dump/", 5) == 0 && !c->post)
		sim_dump(c, p + 5);
	else if (strcmp(p, "mutate") == 0)
		sim_mutate(c);
	else if (strcmp(p, "stats") == 0 && !c->post)
		sim_stats(c);
	else if (strcmp(p, "stats/reset") == 0 && c->post)
		sim_stats_reset(c);
	else if (strcmp(p, "faults") == 0)
		sim_faults(c);
	else if (strcmp(p, "gate") == 0)
		sim_gate(c, "");
	else if (strncmp(p, "gate/", 5) == 0)
		sim_gate(c, p + 5);
	else {
		sim.stats.not_found++;
		reply_error(c, 404, "no such test endpoint");
	}
}

/* The kind of answer a request under the base gets; *view for list views. */
static enum akind
answer_kind(struct ctx *c, int *view)
{
	char	 seg[128];
	size_t	 n;

	*view = -1;
	if (strcasecmp(c->path, "/Login.aspx") == 0)
		return c->post ? A_LOGIN_POST : A_LOGIN_PAGE;
	if (strcasecmp(c->path, "/Logout.aspx") == 0)
		return A_LOGOUT;
	if (strcasecmp(c->path, "/Default.aspx") == 0 ||
	    strcmp(c->path, "/") == 0 || c->path[0] == '\0')
		return A_DEFAULT;
	n = strlen(c->path + 1);
	if (n > 0 && c->path[n] == '/')
		n--;
	if (n > 0 && n < sizeof(seg) && c->path[0] == '/') {
		memcpy(seg, c->path + 1, n);
		seg[n] = '\0';
		if (strchr(seg, '/') == NULL && (*view = view_by_path(seg)) >= 0)
			return c->post ? A_CALLBACK : A_PAGE;
	}
	return A_OTHER;
}

static void
route_erp(struct ctx *c)
{
	int	 view;

	sim.stats.erp_requests++;
	c->akind = answer_kind(c, &view);
	c->fault = fault_roll(c->akind, &c->draw);
	reply_fault(c->rep, c->akind, c->draw);
	/*
	 * A truncated or cut reply shows the new state, so it happened; a
	 * drop or a fail happened or not as the schedule's hash says.
	 */
	c->apply = c->fault == F_NONE || c->fault == F_TRUNC ||
	    c->fault == F_CUT || (c->draw >> 63) != 0;
	switch (c->akind) {
	case A_LOGIN_PAGE:
	case A_LOGIN_POST:
		erp_login(c);
		break;
	case A_LOGOUT:
		erp_logout(c);
		break;
	case A_DEFAULT:
		erp_default(c);
		break;
	case A_PAGE:
	case A_CALLBACK:
		erp_listview(c, (enum kind)view);
		break;
	default:
		sim.stats.not_found++;
		reply_error(c, 404, "Impossibile trovare la risorsa.");
		break;
	}
}

/*
 * Replies go out in one piece: no Nagle (a page is written in several
 * pieces, and the peer's delayed ACK would hold each one back 40 ms).
 */
static void
tune_connection(struct evhttp_request *req)
{
	struct evhttp_connection	*evcon;
	struct bufferevent		*bev;
	int				 one = 1;

	if ((evcon = evhttp_request_get_connection(req)) == NULL ||
	    (bev = evhttp_connection_get_bufferevent(evcon)) == NULL)
		return;
	(void)setsockopt(bufferevent_getfd(bev), IPPROTO_TCP, TCP_NODELAY,
	    &one, sizeof(one));
	bufferevent_set_max_single_write(bev, 4 * 1024 * 1024);
}

static void
handle(struct evhttp_request *req, void *arg)
{
	struct ctx	 c;
	const char	*uri = evhttp_request_get_uri(req), *q;
	char		*path;
	struct evbuffer	*in;
	size_t		 blen, plen = strlen(sim.conf.base);

	(void)arg;
	memset(&c, 0, sizeof(c));
	c.req = req;
	c.post = evhttp_request_get_command(req) == EVHTTP_REQ_POST;
	sim.stats.requests++;
	tune_connection(req);
	q = strchr(uri, '?');
	path = q != NULL ? xstrndup(uri, (size_t)(q - uri)) : xstrdup(uri);
	if (q != NULL)
		form_parse(&c.query, q + 1, strlen(q + 1));
	in = evhttp_request_get_input_buffer(req);
	if (c.post && (blen = evbuffer_get_length(in)) > 0)
		form_parse(&c.body, (const char *)evbuffer_pullup(in, -1), blen);

	if (strncmp(path, "/_sim/", 6) == 0) {
		c.rep = reply_new(req, 0);
		c.path = path + 6;
		route_sim(&c, path + 6);
	} else if (strncasecmp(path, sim.conf.base, plen) == 0 &&
	    (path[plen] == '/' || path[plen] == '\0')) {
		c.rep = reply_new(req, 1);
		c.path = path + plen;
		route_erp(&c);
	} else {
		c.rep = reply_new(req, 1);
		c.path = path;
		sim.stats.not_found++;
		reply_error(&c, 404, "Impossibile trovare la risorsa.");
	}
	form_free(&c.query);
	form_free(&c.body);
	free(path);
}

/* Listen on --bind and -p (0 = any free port, see sim.bound_port). */
int
http_start(void)
{
	struct evhttp_bound_socket	*bs;
	struct sockaddr_storage		 ss;
	socklen_t			 len = sizeof(ss);
	evutil_socket_t			 fd;

	if ((sim.http = evhttp_new(sim.base)) == NULL)
		return -1;
	evhttp_set_allowed_methods(sim.http, EVHTTP_REQ_GET | EVHTTP_REQ_POST |
	    EVHTTP_REQ_HEAD);
	evhttp_set_max_body_size(sim.http, 16 * 1024 * 1024);
	evhttp_set_timeout(sim.http, 120);
	evhttp_set_gencb(sim.http, handle, NULL);
	tls_attach(sim.http);
	bs = evhttp_bind_socket_with_handle(sim.http, sim.conf.bind,
	    (ev_uint16_t)sim.conf.port);
	if (bs == NULL)
		return -1;
	fd = evhttp_bound_socket_get_fd(bs);
	if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1)
		return -1;
	if (ss.ss_family == AF_INET6)
		sim.bound_port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	else
		sim.bound_port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return 0;
}

/* Close the listener and every connection. */
void
http_stop(void)
{
	if (sim.http != NULL)
		evhttp_free(sim.http);
	sim.http = NULL;
}
