/*
 * ctl-hold-cmd.c — `erpsyncctl hold ... -- CMD`: run CMD under a granted
 * hold the way flock(1) runs its command under a lock. The hold has no TTL
 * and must outlast CMD whatever happens to erpsyncctl (design §5):
 *  - CMD inherits a duplicate of the admin connection (at fd 100 or above,
 *    ERPSYNC_HOLD_FD, not close-on-exec): should erpsyncctl die first,
 *    erpsyncd sees the connection close, and releases the hold, only once
 *    CMD and whatever CMD left running with that fd are gone too.
 *  - CMD gets SIGTERM when erpsyncctl dies (PR_SET_PDEATHSIG): a SIGKILLed
 *    erpsyncctl stops CMD, and the hold lasts until CMD has exited.
 *  - SIGINT, SIGTERM and SIGHUP to erpsyncctl are passed to CMD, and
 *    erpsyncctl keeps waiting for it. One from the terminal already went to
 *    CMD (same foreground process group) and is not passed twice; one that
 *    was ignored when erpsyncctl started (nohup, `&` in sh) stays ignored,
 *    for CMD too. SIGQUIT and the rest keep their default: erpsyncctl
 *    dies, and the two rules above still keep CMD protected until it ends.
 *    CMD gets SIGPIPE back at its default (erpsyncctl ignores it).
 *  - While CMD runs the connection is watched: if erpsyncd closes it
 *    (stopped or restarted), the hold has ended, and erpsyncctl says so at
 *    once rather than after CMD.
 * Then the hold is released and erpsyncctl exits with CMD's status; if the
 * hold had ended first, it says CMD may have run unprotected and exits 1
 * (CMD's status if CMD failed).
 */
#include <sys/prctl.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "supervisor/ctl.h"

#define HC_FD_MIN	100	/* CMD's copy of the connection: out of the way */
#define HC_FROM_TTY	0x80	/* in the pipe: sent by the kernel (terminal) */

static const int hc_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGCHLD };
#define HC_NSIGNALS	(sizeof hc_signals / sizeof hc_signals[0])

static int		 hc_pipe[2] = { -1, -1 };	/* signals to poll */
static struct sigaction	 hc_old[HC_NSIGNALS];	/* as erpsyncctl found them */

/* Handlers do no work: the signal goes down the pipe to the loop. */
static void
hc_signal(int sig, siginfo_t *si, void *uc)
{
	unsigned char	 b = (unsigned char)sig;
	int		 saved = errno;

	(void)uc;
	if (si != NULL && si->si_code == SI_KERNEL)
		b |= HC_FROM_TTY;
	(void)write(hc_pipe[1], &b, 1);
	errno = saved;
}

/*
 * Was signal i ignored when erpsyncctl started (nohup, a background job
 * of sh)? Then it stays ignored, for CMD too: it was not meant for us.
 */
static int
hc_ignored(size_t i)
{
	return hc_signals[i] != SIGCHLD && !(hc_old[i].sa_flags &
	    SA_SIGINFO) && hc_old[i].sa_handler == SIG_IGN;
}

/* Catch the signals CMD's life depends on. */
static void
hc_catch(void)
{
	struct sigaction	 sa;
	size_t			 i;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_sigaction = hc_signal;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	for (i = 0; i < HC_NSIGNALS; i++) {
		(void)sigaction(hc_signals[i], NULL, &hc_old[i]);
		if (!hc_ignored(i))
			(void)sigaction(hc_signals[i], &sa, NULL);
	}
}

/* Put back what hc_catch found. */
static void
hc_uncatch(void)
{
	size_t	 i;

	for (i = 0; i < HC_NSIGNALS; i++)
		(void)sigaction(hc_signals[i], &hc_old[i], NULL);
}

/*
 * In the child, before exec: default signals (SIGPIPE too, which
 * erpsyncctl ignores for its socket), death with the parent, and the
 * connection's copy kept open. erpsyncctl is single-threaded, so the
 * stdio of the error paths is safe here.
 */
static void
hc_child(struct ctl *c, pid_t parent, int hold_fd, const sigset_t *mask)
{
	struct sigaction	 sa;
	size_t			 i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	for (i = 0; i < HC_NSIGNALS; i++)
		if (!hc_ignored(i))
			(void)sigaction(hc_signals[i], &sa, NULL);
	(void)sigaction(SIGPIPE, &sa, NULL);
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) == -1) {
		ctl_err("prctl(PR_SET_PDEATHSIG): %s; not running %s",
		    strerror(errno), c->cmd[0]);
		_exit(127);
	}
	/* erpsyncctl died before prctl: its hold is going, CMD must not run. */
	if (getppid() != parent)
		_exit(128 + SIGTERM);
	if (fcntl(hold_fd, F_SETFD, 0) == -1) {
		ctl_err("fcntl: %s; not running %s", strerror(errno),
		    c->cmd[0]);
		_exit(127);
	}
	(void)sigprocmask(SIG_SETMASK, mask, NULL);
	execvp(c->cmd[0], c->cmd);
	ctl_err("%s: %s", c->cmd[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);	/* as sh(1) */
}

/* Start CMD with ERPSYNC_HOLD and ERPSYNC_HOLD_FD; its pid, or -1. */
static pid_t
hc_start(struct ctl *c, int64_t hold)
{
	sigset_t	 block, old;
	pid_t		 pid, parent = getpid();
	char		 id[32], fdnum[16];
	int		 hold_fd;
	size_t		 i;

	if ((hold_fd = fcntl(c->fd, F_DUPFD_CLOEXEC, HC_FD_MIN)) == -1) {
		ctl_err("cannot pass the hold's connection to %s: %s",
		    c->cmd[0], strerror(errno));
		return -1;
	}
	snprintf(id, sizeof id, "%lld", (long long)hold);
	snprintf(fdnum, sizeof fdnum, "%d", hold_fd);
	setenv("ERPSYNC_HOLD", id, 1);
	setenv("ERPSYNC_HOLD_FD", fdnum, 1);
	sigemptyset(&block);
	for (i = 0; i < HC_NSIGNALS; i++)
		sigaddset(&block, hc_signals[i]);
	/* Blocked around fork: no handler of ours runs in the child. */
	(void)sigprocmask(SIG_BLOCK, &block, &old);
	if ((pid = fork()) == 0)
		hc_child(c, parent, hold_fd, &old);
	if (pid == -1)
		ctl_err("fork: %s", strerror(errno));
	(void)sigprocmask(SIG_SETMASK, &old, NULL);
	close(hold_fd);
	return pid;
}

/* A signal from the pipe: pass it on to CMD unless CMD has it already. */
static void
hc_forward(pid_t pid, unsigned char b)
{
	int	 sig = b & ~HC_FROM_TTY;

	if (sig == SIGCHLD)
		return;
	/* The terminal signals its whole foreground group, CMD included. */
	if ((b & HC_FROM_TTY) && getpgid(pid) == getpgrp())
		return;
	(void)kill(pid, sig);
}

/*
 * The connection is readable while CMD runs: erpsyncd closed it (stopped
 * or restarted), or sent an error before closing it. Either way the hold
 * is gone: say so now, not after CMD. Returns 1 once the connection is
 * lost (a bad frame counts: nothing more can be read or released on it).
 */
static int
hc_conn(struct ctl *c, int64_t hold)
{
	const msgpack_object	*obj;
	struct msg_error	 e;
	enum msg_type		 t;
	char			 err[PROTO_ERRLEN], why[PROTO_ERRLEN + 32];
	char			 safe[4 * sizeof e.message];
	ssize_t			 n;
	int			 rc = 0;

	if ((n = frame_reader_read(&c->rd, c->fd)) == 0)
		snprintf(why, sizeof why, "erpsyncd closed it: stopped or "
		    "restarted");
	else if (n == -1)
		snprintf(why, sizeof why, "%s", strerror(errno));
	while (n > 0 && (rc = frame_reader_next(&c->rd, &obj, err,
	    sizeof err)) == 1) {
		if (msg_type_of(obj, &t, err, sizeof err) == 0 &&
		    t == MSG_ERROR && msg_error_unpack(obj, &e, err,
		    sizeof err) == 0)
			ctl_err("erpsyncd: %s", ctl_sanitize(e.message,
			    strlen(e.message), safe, sizeof safe));
	}
	if (n > 0 && rc == 0)
		return 0;	/* only whole frames, or part of one */
	if (rc == -1)
		snprintf(why, sizeof why, "bad frame from erpsyncd: %s", err);
	ctl_err("lost the connection to erpsyncd at %s while %s runs (%s): "
	    "hold %lld is gone, and syncs may run alongside %s", c->socket,
	    c->cmd[0], why, (long long)hold, c->cmd[0]);
	return 1;
}

/*
 * Wait for CMD, passing signals on and watching the connection; CMD's
 * wait status. *lost is set once erpsyncd has closed the connection.
 */
static int
hc_wait(struct ctl *c, pid_t pid, int64_t hold, int *lost)
{
	struct pollfd	 pfd[2];
	unsigned char	 buf[64];
	ssize_t		 n, i;
	int		 status;

	for (;;) {
		pfd[0].fd = hc_pipe[0];
		pfd[0].events = POLLIN;
		pfd[1].fd = c->fd;
		pfd[1].events = POLLIN;
		pfd[0].revents = pfd[1].revents = 0;
		if (poll(pfd, *lost ? 1 : 2, -1) == -1 && errno != EINTR) {
			ctl_err("poll: %s; waiting for %s without watching "
			    "the connection", strerror(errno), c->cmd[0]);
			break;
		}
		if (pfd[0].revents & POLLIN) {
			while ((n = read(hc_pipe[0], buf, sizeof buf)) > 0)
				for (i = 0; i < n; i++)
					hc_forward(pid, buf[i]);
		}
		if (waitpid(pid, &status, WNOHANG) == pid)
			return status;
		if (!*lost && pfd[1].revents != 0)
			*lost = hc_conn(c, hold);
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return W_EXITCODE(127, 0);
	return status;
}

/* Release the hold after CMD; 0, or -1 if it had already ended. */
static int
hc_release(struct ctl *c, int64_t hold)
{
	const msgpack_object	*d;

	return ctl_ask_int(c, "release", "id", hold, NULL, &d) == CTL_OK ? 0 :
	    -1;
}

/*
 * Run CMD under the granted hold, then release it. CMD's exit status
 * (128 + signal if it was killed); CTL_FAILED if the hold ended before
 * CMD did and CMD itself succeeded.
 */
int
ctl_hold_cmd(struct ctl *c, int64_t hold)
{
	pid_t	 pid;
	int	 status, rc, lost = 0;

	if (pipe2(hc_pipe, O_CLOEXEC | O_NONBLOCK) == -1) {
		ctl_err("pipe: %s", strerror(errno));
		return CTL_FAILED;
	}
	hc_catch();
	if ((pid = hc_start(c, hold)) == -1) {
		hc_uncatch();
		return CTL_FAILED;
	}
	status = hc_wait(c, pid, hold, &lost);
	hc_uncatch();
	close(hc_pipe[0]);
	close(hc_pipe[1]);
	hc_pipe[0] = hc_pipe[1] = -1;
	rc = WIFSIGNALED(status) ? 128 + WTERMSIG(status) :
	    WEXITSTATUS(status);
	/* Never release over a lost connection: ids start again at 1. */
	if (!lost && hc_release(c, hold) == 0)
		return rc;
	ctl_err("hold %lld ended before %s did: %s may have run unprotected "
	    "(syncs in the hold's scope may have run alongside it)",
	    (long long)hold, c->cmd[0], c->cmd[0]);
	return rc != 0 ? rc : CTL_FAILED;
}
