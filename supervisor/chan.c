/*
 * chan.c — a framed socket on the event loop, for workers and admin
 * clients: frames in go to the owner's callback one by one; frames out are
 * queued and written as the socket allows. Any failure closes the channel
 * and calls the callback once with no object and a reason; the owner marks
 * itself dead and is freed later, never inside the callback.
 */
#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "supervisor/supervisor.h"

#define CHAN_OUT_MAX	(32 * FRAME_MAX)	/* a slower peer is dropped */

struct chan {
	int			 fd;
	struct event		*rev;
	struct event		*wev;
	struct evbuffer		*out;
	struct frame_reader	 rd;
	chan_cb			 cb;
	void			*arg;
	int			 closed;
	int			 flush_close;
};

static void	chan_read_cb(evutil_socket_t, short, void *);
static void	chan_write_cb(evutil_socket_t, short, void *);

/* A channel on fd (takes ownership of fd, made non-blocking). */
struct chan *
chan_new(struct event_base *base, int fd, chan_cb cb, void *arg)
{
	struct chan	*c;

	c = xcalloc(1, sizeof *c);
	c->fd = fd;
	c->cb = cb;
	c->arg = arg;
	if (set_nonblock(fd) == -1)
		fatal("chan_new: set_nonblock");
	frame_reader_init(&c->rd);
	if ((c->out = evbuffer_new()) == NULL)
		fatalx("chan_new: evbuffer_new");
	c->rev = event_new(base, fd, EV_READ | EV_PERSIST, chan_read_cb, c);
	c->wev = event_new(base, fd, EV_WRITE | EV_PERSIST, chan_write_cb, c);
	if (c->rev == NULL || c->wev == NULL)
		fatalx("chan_new: event_new");
	event_add(c->rev, NULL);
	return c;
}

/* Close the socket and stop its events; idempotent. */
void
chan_close(struct chan *c)
{
	if (c == NULL || c->closed)
		return;
	c->closed = 1;
	event_del(c->rev);
	event_del(c->wev);
	close(c->fd);
	c->fd = -1;
}

/* Free a channel (closing it first). */
void
chan_free(struct chan *c)
{
	if (c == NULL)
		return;
	chan_close(c);
	event_free(c->rev);
	event_free(c->wev);
	evbuffer_free(c->out);
	frame_reader_free(&c->rd);
	free(c);
}

/* Did the channel fail on a malformed frame (not EOF or an I/O error)? */
int
chan_bad_frame(const struct chan *c)
{
	return c->rd.failed;
}

/* Close, then tell the owner why (once). */
static void
chan_fail(struct chan *c, const char *why)
{
	if (c->closed)
		return;
	chan_close(c);
	c->cb(c, NULL, why, c->arg);
}

/* Hand every whole frame buffered to the owner. */
static void
chan_frames(struct chan *c)
{
	const msgpack_object	*obj;
	char			 err[PROTO_ERRLEN];
	int			 rc;

	while (!c->closed && !c->flush_close) {
		rc = frame_reader_next(&c->rd, &obj, err, sizeof err);
		if (rc == 0)
			break;
		if (rc == -1) {
			chan_fail(c, err);
			break;
		}
		c->cb(c, obj, NULL, c->arg);
	}
}

/* Read once: 1 if bytes came, 0 if none are waiting, -1 when closed. */
static int
chan_read(struct chan *c)
{
	char	 err[PROTO_ERRLEN];
	ssize_t	 n;

	if (c->closed)
		return -1;
	n = frame_reader_read(&c->rd, c->fd);
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	if (n == -1) {
		snprintf(err, sizeof err, "read: %s", strerror(errno));
		chan_fail(c, err);
		return -1;
	}
	if (n == 0) {
		chan_fail(c, "connection closed");
		return -1;
	}
	chan_frames(c);
	return c->closed ? -1 : 1;
}

static void
chan_read_cb(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	(void)chan_read(arg);
}

/* Read and dispatch everything the peer has written (it has exited). */
void
chan_drain(struct chan *c)
{
	while (chan_read(c) == 1)
		;
}

/* Write what the socket takes; arm the write event for the rest. */
static void
chan_flush(struct chan *c)
{
	char	 err[PROTO_ERRLEN];
	int	 n;

	while (!c->closed && evbuffer_get_length(c->out) > 0) {
		n = evbuffer_write(c->out, c->fd);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			snprintf(err, sizeof err, "write: %s",
			    n == 0 ? "connection closed" : strerror(errno));
			chan_fail(c, err);
			return;
		}
	}
	if (c->closed)
		return;
	if (evbuffer_get_length(c->out) > 0) {
		event_add(c->wev, NULL);
		return;
	}
	event_del(c->wev);
	if (c->flush_close)
		chan_fail(c, "closed after the last frame");
}

static void
chan_write_cb(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	chan_flush(arg);
}

/* Queue bytes (whole frames) for the peer; -1 when the channel failed. */
int
chan_write(struct chan *c, const void *p, size_t len)
{
	char	 err[PROTO_ERRLEN];

	if (c->closed || c->flush_close)
		return -1;
	if (evbuffer_get_length(c->out) + len > CHAN_OUT_MAX) {
		snprintf(err, sizeof err, "peer too slow: %zu bytes pending",
		    evbuffer_get_length(c->out));
		chan_fail(c, err);
		return -1;
	}
	if (evbuffer_add(c->out, p, len) == -1)
		fatalx("chan_write: evbuffer_add");
	chan_flush(c);
	return c->closed ? -1 : 0;
}

/* Finish a frame and queue it; the frame is freed either way. */
int
chan_send(struct chan *c, struct frame *f)
{
	char	 err[PROTO_ERRLEN];
	int	 rc = -1;

	if (frame_end(f, err, sizeof err) == -1)
		log_warnx("chan_send: %s", err);
	else
		rc = chan_write(c, f->sb.data, f->sb.size);
	frame_free(f);
	return rc;
}

static void
chan_secret_done(const void *data, size_t len, void *arg)
{
	(void)arg;
	explicit_bzero((void *)(uintptr_t)data, len);
	free((void *)(uintptr_t)data);
}

/*
 * Like chan_send for a frame that holds a secret: its bytes are queued by
 * reference, not copied into libevent's buffers, and wiped once written
 * (or dropped). The frame is wiped and freed either way.
 */
int
chan_send_secret(struct chan *c, struct frame *f)
{
	char	 err[PROTO_ERRLEN];
	char	*copy;
	int	 rc = -1;

	if (frame_end(f, err, sizeof err) == -1)
		log_warnx("chan_send_secret: %s", err);
	else if (!c->closed && !c->flush_close) {
		copy = xmalloc(f->sb.size);
		memcpy(copy, f->sb.data, f->sb.size);
		if (evbuffer_add_reference(c->out, copy, f->sb.size,
		    chan_secret_done, NULL) == -1)
			fatalx("chan_send_secret: evbuffer_add_reference");
		chan_flush(c);
		rc = c->closed ? -1 : 0;
	}
	explicit_bzero(f->sb.data, f->sb.size);
	frame_free(f);
	return rc;
}

/* Stop reading; close once the frames queued so far are written. */
void
chan_close_after_flush(struct chan *c)
{
	if (c->closed || c->flush_close)
		return;
	c->flush_close = 1;
	event_del(c->rev);
	chan_flush(c);
}
