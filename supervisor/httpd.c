/*
 * httpd.c — [metrics] listen (design §11): libevent's evhttp serves
 * /metrics (metrics.c, Prometheus text format 0.0.4) and /healthz (200
 * while the loop runs and state.db takes a write, 503 with why when not).
 * Anything else is a 404. Loopback by default: the config names the
 * address.
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>

#include "supervisor/supervisor.h"

static struct evhttp	*httpd;
static char		 httpd_where[300];	/* http://host:port, as bound */

/* Where /metrics is served ("" when off), with the port really bound. */
const char *
httpd_url(void)
{
	return httpd_where;
}

/*
 * Split "host:port" ("[::1]:9464" for IPv6; port 0: any free one, see
 * httpd_url) into host and port; -1 if it is not one. host may be NULL
 * to only check.
 */
int
metrics_addr(const char *addr, char *host, size_t hostlen, int *port)
{
	const char	*colon, *h = addr;
	size_t		 n;
	char		*end;
	long		 p;

	if ((colon = strrchr(addr, ':')) == NULL || colon == addr)
		return -1;
	n = (size_t)(colon - addr);
	if (addr[0] == '[') {
		if (n < 3 || addr[n - 1] != ']')
			return -1;
		h = addr + 1;
		n -= 2;
	}
	p = strtol(colon + 1, &end, 10);
	if (colon[1] == '\0' || *end != '\0' || p < 0 || p > 65535)
		return -1;
	if (host != NULL) {
		if (n >= hostlen)
			return -1;
		memcpy(host, h, n);
		host[n] = '\0';
	}
	if (port != NULL)
		*port = (int)p;
	return 0;
}

static void
httpd_reply(struct evhttp_request *req, int code, const char *reason,
    const char *type, struct buf *body)
{
	struct evbuffer	*out = evbuffer_new();

	if (out == NULL) {
		evhttp_send_error(req, 500, NULL);
		return;
	}
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", type);
	evbuffer_add(out, body->data != NULL ? body->data : "", body->len);
	evhttp_send_reply(req, code, reason, out);
	evbuffer_free(out);
}

static void
httpd_metrics(struct evhttp_request *req, void *arg)
{
	struct buf	 b;

	(void)arg;
	buf_init(&b);
	metrics_render(&b);
	httpd_reply(req, 200, "OK", "text/plain; version=0.0.4; charset=utf-8",
	    &b);
	buf_free(&b);
}

static void
httpd_healthz(struct evhttp_request *req, void *arg)
{
	struct buf	 b;
	char		 why[256];

	(void)arg;
	buf_init(&b);
	if (state_writable(why, sizeof why) == 0) {
		buf_adds(&b, "ok\n");
		httpd_reply(req, 200, "OK", "text/plain", &b);
	} else {
		buf_addf(&b, "state.db is not writable: %s\n", why);
		httpd_reply(req, 503, "Service Unavailable", "text/plain", &b);
	}
	buf_free(&b);
}

static void
httpd_other(struct evhttp_request *req, void *arg)
{
	(void)arg;
	evhttp_send_error(req, 404, "only /metrics and /healthz here");
}

/* Listen on conf's [metrics] listen, if set; -1 with err. */
int
httpd_start(const struct config *conf, char *err, size_t errlen)
{
	struct evhttp_bound_socket	*bound;
	struct sockaddr_storage		 ss;
	socklen_t			 len;
	char				 host[256];
	int				 port;

	if (conf->metrics_listen[0] == '\0')
		return 0;
	if (metrics_addr(conf->metrics_listen, host, sizeof host,
	    &port) == -1) {
		snprintf(err, errlen, "[metrics] listen %s: not host:port",
		    conf->metrics_listen);
		return -1;
	}
	if ((httpd = evhttp_new(sv.base)) == NULL)
		fatalx("evhttp_new");
	evhttp_set_allowed_methods(httpd, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD);
	evhttp_set_timeout(httpd, 10);
	evhttp_set_cb(httpd, "/metrics", httpd_metrics, NULL);
	evhttp_set_cb(httpd, "/healthz", httpd_healthz, NULL);
	evhttp_set_gencb(httpd, httpd_other, NULL);
	if ((bound = evhttp_bind_socket_with_handle(httpd, host,
	    (ev_uint16_t)port)) == NULL) {
		snprintf(err, errlen, "[metrics] listen %s: cannot bind (in "
		    "use, or not an address of this machine)",
		    conf->metrics_listen);
		evhttp_free(httpd);
		httpd = NULL;
		return -1;
	}
	len = sizeof ss;
	if (getsockname(evhttp_bound_socket_get_fd(bound),
	    (struct sockaddr *)&ss, &len) == 0)
		port = ntohs(ss.ss_family == AF_INET6 ?
		    ((struct sockaddr_in6 *)&ss)->sin6_port :
		    ((struct sockaddr_in *)&ss)->sin_port);
	snprintf(httpd_where, sizeof httpd_where, strchr(host, ':') != NULL ?
	    "http://[%s]:%d" : "http://%s:%d", host, port);
	log_info("metrics on %s/metrics, health on %s/healthz", httpd_where,
	    httpd_where);
	return 0;
}

/* Stop serving. */
void
httpd_stop(void)
{
	if (httpd != NULL)
		evhttp_free(httpd);
	httpd = NULL;
	httpd_where[0] = '\0';
}
