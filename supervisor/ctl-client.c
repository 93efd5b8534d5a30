/*
 * ctl-client.c — erpsyncctl's side of the admin socket: connect, hello,
 * send a request and read frames (pushes first, then the answer) on a
 * blocking socket.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "supervisor/ctl.h"

/* An error message on stderr, prefixed with the program name. */
void
ctl_err(const char *fmt, ...)
{
	va_list	 ap;

	fputs("erpsyncctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/*
 * Start a request for cmd with a fresh id in f; the caller packs nargs
 * key/value pairs of args, then hands f and the id to ctl_request().
 */
int64_t
ctl_req_begin(struct ctl *c, struct frame *f, const char *cmd, size_t nargs)
{
	int64_t	 id = ++c->next_id;

	msg_req_begin(f, id, cmd, nargs);
	return id;
}

static int
ctl_write(struct ctl *c, struct frame *f)
{
	char	 err[PROTO_ERRLEN];
	int	 rc = 0;

	if (frame_end(f, err, sizeof err) == -1) {
		ctl_err("%s", err);
		rc = CTL_FAILED;
	} else if (write_all(c->fd, f->sb.data, f->sb.size) == -1) {
		ctl_err("writing to %s: %s", c->socket, strerror(errno));
		rc = CTL_UNREACHABLE;
	}
	frame_free(f);
	return rc;
}

/*
 * Read the next frame (blocking); CTL_UNREACHABLE on EOF or a bad frame,
 * CTL_DETACHED when SIGINT set ctl_interrupted (ctl-wait.c).
 */
int
ctl_read(struct ctl *c, const msgpack_object **obj, enum msg_type *t)
{
	struct pollfd	 pfd = { c->fd, POLLIN, 0 };
	char		 err[PROTO_ERRLEN];
	ssize_t		 n;
	int		 rc;

	for (;;) {
		rc = frame_reader_next(&c->rd, obj, err, sizeof err);
		if (rc == -1) {
			ctl_err("bad frame from erpsyncd: %s", err);
			return CTL_UNREACHABLE;
		}
		if (rc == 1)
			break;
		/* poll, unlike read, returns on a signal: Ctrl-C detaches. */
		if (poll(&pfd, 1, -1) == -1) {
			if (errno != EINTR) {
				ctl_err("poll: %s", strerror(errno));
				return CTL_UNREACHABLE;
			}
			if (ctl_interrupted)
				return CTL_DETACHED;
			continue;
		}
		if ((n = frame_reader_read(&c->rd, c->fd)) == 0) {
			ctl_err("erpsyncd closed the connection (%s)",
			    c->socket);
			return CTL_UNREACHABLE;
		}
		if (n == -1) {
			ctl_err("reading from %s: %s", c->socket,
			    strerror(errno));
			return CTL_UNREACHABLE;
		}
	}
	if (msg_type_of(*obj, t, err, sizeof err) == -1) {
		ctl_err("bad frame from erpsyncd: %s", err);
		return CTL_UNREACHABLE;
	}
	return CTL_OK;
}

/* Connect to the socket and exchange hellos. */
int
ctl_connect(struct ctl *c)
{
	struct sockaddr_un	 sun;
	struct msg_hello	 h;
	struct msg_error	 e;
	struct frame		 f;
	const msgpack_object	*obj;
	enum msg_type		 t;
	char			 err[PROTO_ERRLEN], safe[4 * sizeof e.message];
	int			 rc;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(c->socket) >= sizeof sun.sun_path) {
		ctl_err("%s: socket path too long", c->socket);
		return CTL_UNREACHABLE;
	}
	memcpy(sun.sun_path, c->socket, strlen(c->socket) + 1);
	if ((c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		ctl_err("socket: %s", strerror(errno));
		return CTL_UNREACHABLE;
	}
	if (connect(c->fd, (struct sockaddr *)&sun, sizeof sun) == -1) {
		ctl_connect_hint(c, errno);
		close(c->fd);
		c->fd = -1;
		return CTL_UNREACHABLE;
	}
	frame_reader_init(&c->rd);

	memset(&h, 0, sizeof h);
	h.v = PROTO_VERSION;
	snprintf(h.role, sizeof h.role, "ctl");
	h.pid = getpid();
	msg_hello_pack(&f, &h);
	/* If the write fails, an error frame may still explain why. */
	rc = CTL_OK;
	if (frame_end(&f, err, sizeof err) == -1 ||
	    write_all(c->fd, f.sb.data, f.sb.size) == -1) {
		snprintf(err, sizeof err, "%s", strerror(errno));
		rc = CTL_UNREACHABLE;
	}
	frame_free(&f);
	if (ctl_read(c, &obj, &t) != CTL_OK)
		return CTL_UNREACHABLE;
	if (t == MSG_ERROR && msg_error_unpack(obj, &e, err, sizeof err) == 0) {
		ctl_err("erpsyncd at %s refused us: %s", c->socket,
		    ctl_sanitize(e.message, strlen(e.message), safe,
		    sizeof safe));
		return CTL_UNREACHABLE;
	}
	if (rc != CTL_OK) {
		ctl_err("writing to %s: %s", c->socket, err);
		return rc;
	}
	if (msg_hello_unpack(obj, &h, err, sizeof err) == -1 ||
	    strcmp(h.role, "supervisor") != 0 || h.v != PROTO_VERSION) {
		ctl_err("%s: not an erpsyncd speaking protocol %d", c->socket,
		    PROTO_VERSION);
		return CTL_UNREACHABLE;
	}
	return CTL_OK;
}

/* Close the connection. */
void
ctl_close(struct ctl *c)
{
	if (c->fd != -1) {
		close(c->fd);
		frame_reader_free(&c->rd);
	}
	c->fd = -1;
}

/*
 * Send a request (built with ctl_req_begin and its id) and read until its
 * answer; pushed frames before it go to push. On success *data is the
 * answer's data (valid until the next read). A failed answer prints its
 * error and returns CTL_FAILED.
 */
int
ctl_request(struct ctl *c, struct frame *f, int64_t id, ctl_push_fn push,
    const msgpack_object **data)
{
	const msgpack_object	*obj;
	enum msg_type		 t;
	char			 msg[1024];
	int64_t			 rid;
	int			 rc, ok;

	if ((rc = ctl_write(c, f)) != CTL_OK)
		return rc;
	for (;;) {
		if ((rc = ctl_read(c, &obj, &t)) != CTL_OK)
			return rc;
		if (t == MSG_LOG || t == MSG_PROGRESS) {
			if (push != NULL)
				push(c, t, obj);
			continue;
		}
		if (t != MSG_RESP) {
			ctl_err("unexpected %s frame from erpsyncd",
			    msg_name(t));
			return CTL_UNREACHABLE;
		}
		if (msg_get_int(obj, "id", &rid, 1, msg, sizeof msg) == -1 ||
		    msg_get_bool(obj, "ok", &ok, 1, msg, sizeof msg) == -1) {
			ctl_err("bad answer from erpsyncd: %s", msg);
			return CTL_UNREACHABLE;
		}
		if (rid == id)
			break;
	}
	if (!ok) {
		ctl_progress_end(c);
		if (c->json) {
			ctl_print_json(obj);
		}
		ctl_err("%s", ctl_str(obj, "error", msg, sizeof msg));
		return CTL_FAILED;
	}
	*data = msg_get(obj, "data");
	return CTL_OK;
}
