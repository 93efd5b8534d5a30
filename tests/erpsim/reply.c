/*
 * reply.c — sending answers, and where faults happen: --latency holds a
 * reply back, a fail turns it into a 500, a drop closes the connection
 * without a word, a truncation sends part of it (Content-Length larger than
 * what comes, or a chunked reply abandoned) and closes, a cut sends part of
 * it as if it were all (Content-Length = the bytes sent), as a proxy that
 * gives up does; an error page (built by listview.c) goes out as it is.
 * Faults and latency apply to ERP endpoints only, never to /_sim/. Which
 * request suffers what is decided by schedule.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>

#include "tests/erpsim/erpsim.h"

struct reply {
	struct evhttp_request	*req;
	int			 erp;
	int			 code;
	enum fault		 fault;
	enum akind		 akind;
	uint64_t		 draw;		/* the schedule's hash */
	int			 gzip;
	struct buf		 body;
	struct event		*ev;
	int64_t			 t0;
	char			 what[200];
	TAILQ_ENTRY(reply)	 link;
};
static TAILQ_HEAD(, reply) pending = TAILQ_HEAD_INITIALIZER(pending);

static const char *
reason(int code)
{
	switch (code) {
	case 200:
		return "OK";
	case 302:
		return "Found";
	case 400:
		return "Bad Request";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	default:
		return "Internal Server Error";
	}
}

static void
std_headers(struct reply *r)
{
	struct evkeyvalq	*h = evhttp_request_get_output_headers(r->req);

	if (r->erp) {
		evhttp_add_header(h, "Cache-Control", "private");
		evhttp_add_header(h, "Content-Type", "text/html; charset=utf-8");
		evhttp_add_header(h, "Server", "Microsoft-IIS/10.0");
		evhttp_add_header(h, "X-AspNet-Version", "4.0.30319");
		evhttp_add_header(h, "X-Powered-By", "ASP.NET");
	} else {
		evhttp_add_header(h, "Content-Type",
		    "application/json; charset=utf-8");
		evhttp_add_header(h, "Server", "erpsim");
	}
}

/* Start the answer to req; erp says whether faults and latency apply. */
struct reply *
reply_new(struct evhttp_request *req, int erp)
{
	struct reply	*r = xcalloc(1, sizeof(*r));
	const char	*ae;

	r->req = req;
	r->erp = erp;
	r->t0 = mono_ms();
	buf_init(&r->body);
	ae = evhttp_find_header(evhttp_request_get_input_headers(req),
	    "Accept-Encoding");
	r->gzip = ae != NULL && strstr(ae, "gzip") != NULL;
	snprintf(r->what, sizeof(r->what), "%s %s",
	    evhttp_request_get_command(req) == EVHTTP_REQ_POST ? "POST" :
	    "GET", evhttp_request_get_uri(req));
	std_headers(r);
	return r;
}

/* The kind of answer and the schedule's hash of this request's fault. */
void
reply_fault(struct reply *r, enum akind k, uint64_t draw)
{
	r->akind = k;
	r->draw = draw;
}

/* Set header k (replacing an earlier one of the same name). */
void
reply_header(struct reply *r, const char *k, const char *v)
{
	struct evkeyvalq	*h = evhttp_request_get_output_headers(r->req);

	if (strcasecmp(k, "Set-Cookie") != 0)
		evhttp_remove_header(h, k);
	evhttp_add_header(h, k, v);
}

/* The body being built. */
struct buf *
reply_body(struct reply *r)
{
	return &r->body;
}

static void
reply_free(struct reply *r)
{
	if (r->ev != NULL) {
		event_free(r->ev);
		TAILQ_REMOVE(&pending, r, link);
	}
	buf_free(&r->body);
	free(r);
}

static void
logline(struct reply *r, size_t len)
{
	if (!sim.conf.verbose)
		return;
	log_info("%s -> %d %zu bytes%s%s %lldms", r->what, r->code, len,
	    r->fault != F_NONE ? " fault=" : "",
	    r->fault != F_NONE ? fault_name(r->fault) : "",
	    (long long)(mono_ms() - r->t0));
}

/* Close the connection under a request, however far the reply got. */
static void
drop_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct reply			*r = arg;
	struct evhttp_connection	*evcon;

	(void)fd;
	(void)ev;
	evcon = evhttp_request_get_connection(r->req);
	if (evcon != NULL)
		evhttp_connection_free(evcon);	/* frees r->req too */
	else
		evhttp_request_free(r->req);	/* detached: ours */
	reply_free(r);
}

static void
later(struct reply *r, int64_t ms, event_callback_fn cb)
{
	struct timeval	 tv;

	if (r->ev != NULL) {
		event_free(r->ev);
		TAILQ_REMOVE(&pending, r, link);
	}
	r->ev = evtimer_new(sim.base, cb, r);
	TAILQ_INSERT_TAIL(&pending, r, link);
	tv.tv_sec = (time_t)(ms / 1000);
	tv.tv_usec = (suseconds_t)(ms % 1000) * 1000;
	evtimer_add(r->ev, &tv);
}

/* The bytes to send: gzip'd when the client asked and it is worth it. */
static const struct buf *
payload(struct reply *r, struct buf *z)
{
	if (!r->gzip || r->body.len < 200 || gzip_buf(r->body.data,
	    r->body.len, z) == -1)
		return &r->body;
	reply_header(r, "Content-Encoding", "gzip");
	reply_header(r, "Vary", "Accept-Encoding");
	return z;
}

/*
 * Only the first bytes of what would have gone on the wire (compressed, if
 * it is). truncate: a server that dies, promising everything, sending a
 * part and closing, or a chunked answer that never ends. Otherwise a proxy
 * that gives up: the part, announced as the whole answer.
 */
static void
partial_reply(struct reply *r, int truncate)
{
	struct evbuffer	*evb = evbuffer_new();
	const struct buf *p;
	struct buf	 z;
	size_t		 cut;
	char		 len[32];

	buf_init(&z);
	p = payload(r, &z);
	if (truncate)
		cut = p->len > 2 ? p->len / 3 + (size_t)((r->draw &
		    0xffffffffU) % (p->len / 3)) : 0;
	else
		cut = p->len > 0 ? (size_t)(r->draw % p->len) : 0;
	if (cut > 0)
		evbuffer_add(evb, p->data, cut);
	logline(r, cut);
	if (truncate && (r->draw >> 62 & 1) != 0 &&
	    evhttp_request_get_connection(r->req) != NULL) {
		evhttp_send_reply_start(r->req, r->code, reason(r->code));
		evhttp_send_reply_chunk(r->req, evb);
		later(r, 30, drop_cb);
	} else {
		snprintf(len, sizeof(len), "%zu", truncate ? p->len : cut);
		reply_header(r, "Content-Length", len);
		if (truncate)
			reply_header(r, "Connection", "close");
		evhttp_send_reply(r->req, r->code, reason(r->code), evb);
		reply_free(r);
	}
	evbuffer_free(evb);
	buf_free(&z);
}

static void
finish(struct reply *r)
{
	struct evbuffer	*evb;
	const struct buf *p;
	struct buf	 z;

	if (r->fault > F_NONE && r->fault < F_COUNT)
		sim.stats.f_kind[r->fault][r->akind]++;
	switch (r->fault) {
	case F_DROP:
		sim.stats.f_drop++;
		logline(r, 0);
		later(r, 0, drop_cb);
		return;
	case F_TRUNC:
		sim.stats.f_trunc++;
		partial_reply(r, 1);
		return;
	case F_CUT:
		sim.stats.f_cut++;
		partial_reply(r, 0);
		return;
	case F_FAIL:
		sim.stats.f_fail++;
		evhttp_clear_headers(evhttp_request_get_output_headers(r->req));
		std_headers(r);
		buf_reset(&r->body);
		page_error(&r->body, 500, "Timeout scaduto. Il periodo di "
		    "timeout è scaduto prima del completamento dell'operazione.");
		r->code = 500;
		break;
	case F_ERRORPAGE:
		sim.stats.f_errorpage++;
		break;
	default:
		break;
	}
	buf_init(&z);
	p = payload(r, &z);
	evb = evbuffer_new();
	if (p->len > 0)
		evbuffer_add(evb, p->data, p->len);
	logline(r, p->len);
	evhttp_send_reply(r->req, r->code, reason(r->code), evb);
	evbuffer_free(evb);
	buf_free(&z);
	reply_free(r);
}

static void
latency_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct reply	*r = arg;

	(void)fd;
	(void)ev;
	event_free(r->ev);
	TAILQ_REMOVE(&pending, r, link);
	r->ev = NULL;
	finish(r);
}

/* Send the reply with status code, after latency, suffering fault. */
void
reply_send(struct reply *r, int code, enum fault fault)
{
	r->code = code;
	r->fault = r->erp ? fault : F_NONE;
	if (r->erp && sim.faults.latency_ms > 0) {
		sim.stats.f_delayed++;
		later(r, sim.faults.latency_ms, latency_cb);
		return;
	}
	finish(r);
}

/* 302 to location, with ASP.NET's "Object moved" body. */
void
reply_redirect(struct ctx *c, const char *location)
{
	reply_header(c->rep, "Location", location);
	page_moved(reply_body(c->rep), location);
	reply_send(c->rep, 302, c->fault);
}

/* Send the JSON built in the body with status code. */
void
reply_json(struct ctx *c, int code)
{
	reply_send(c->rep, code, c->fault);
}

/* An error page (ERP) or {"error": msg} (/_sim/) with status code. */
void
reply_error(struct ctx *c, int code, const char *msg)
{
	struct buf	*b = reply_body(c->rep);

	buf_reset(b);
	if (c->rep->erp)
		page_error(b, code, msg);
	else {
		buf_adds(b, "{\"error\":");
		json_str(b, msg);
		buf_adds(b, "}\n");
	}
	reply_send(c->rep, code, c->fault);
}

/* Forget replies still waiting (at exit, before the server is freed). */
void
reply_cancel_all(void)
{
	struct reply	*r;

	while ((r = TAILQ_FIRST(&pending)) != NULL) {
		if (evhttp_request_get_connection(r->req) == NULL)
			evhttp_request_free(r->req);
		reply_free(r);
	}
}
