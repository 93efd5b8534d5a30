/*
 * spawn.c — the one place erpsyncd starts a worker (git's run-command
 * style): a socketpair whose child end becomes fd 3, signals blocked around
 * fork, only async-signal-safe calls in the child, every other fd closed,
 * exec; an exec failure comes back through a close-on-exec pipe.
 */
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "supervisor/supervisor.h"

#define WORKER_FD	3

/* Close fds from lo up to hi (inclusive) in the child. */
static void
child_close_range(int lo, int hi, int maxfd)
{
	int	 fd;

	if (lo > hi)
		return;
#ifdef SYS_close_range
	if (syscall(SYS_close_range, (unsigned)lo, (unsigned)hi, 0) == 0)
		return;
#endif
	for (fd = lo; fd <= hi && fd < maxfd; fd++)
		(void)close(fd);
}

/* Report errno to the parent and exit; async-signal-safe. */
static void __attribute__((noreturn))
child_fail(int errfd)
{
	int	 e = errno;
	ssize_t	 n;

	do {
		n = write(errfd, &e, sizeof e);
	} while (n == -1 && errno == EINTR);
	_exit(127);
}

/* After fork: only async-signal-safe calls until execv. */
static void __attribute__((noreturn))
child(const char *path, int chanfd, int errfd, pid_t parent,
    const sigset_t *oldmask, int64_t memlimit, int maxfd)
{
	char		*argv[] = { (char *)"erpsync-worker", NULL };
	struct sigaction sa;
	struct rlimit	 rl;
	int		 sig;

	(void)setpgid(0, 0);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1)
		child_fail(errfd);
	if (getppid() != parent)
		_exit(127);	/* the supervisor died before prctl */

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (sig = 1; sig < NSIG; sig++)
		(void)sigaction(sig, &sa, NULL);
	if (sigprocmask(SIG_SETMASK, oldmask, NULL) == -1)
		child_fail(errfd);

	if (memlimit > 0) {
		rl.rlim_cur = rl.rlim_max = (rlim_t)memlimit;
		if (setrlimit(RLIMIT_AS, &rl) == -1)
			child_fail(errfd);
	}

	/* Move errfd out of the way of fd 3, then put the channel there. */
	if (errfd <= WORKER_FD) {
		errfd = fcntl(errfd, F_DUPFD_CLOEXEC, WORKER_FD + 1);
		if (errfd == -1)
			_exit(127);
	}
	if (chanfd == WORKER_FD) {
		if (fcntl(chanfd, F_SETFD, 0) == -1)
			child_fail(errfd);
	} else if (dup2(chanfd, WORKER_FD) == -1)
		child_fail(errfd);
	child_close_range(WORKER_FD + 1, errfd - 1, maxfd);
	child_close_range(errfd + 1, INT_MAX, maxfd);

	execv(path, argv);
	child_fail(errfd);
}

/*
 * Start the worker at path with its channel on fd 3 and an address-space
 * ceiling of memlimit bytes (0 = none). On success records the pid and the
 * supervisor's end of the channel (blocking, close-on-exec; the caller owns
 * it). On failure returns -1 with err ("cannot run worker PATH: ...").
 */
int
spawn_worker(const char *path, int64_t memlimit, pid_t *pidp, int *fdp,
    char *err, size_t errlen)
{
	sigset_t	 all, old;
	int		 sv_pair[2], errpipe[2], child_errno = 0, maxfd, status;
	pid_t		 pid, parent = getpid();
	ssize_t		 n;

	maxfd = (int)sysconf(_SC_OPEN_MAX);
	if (maxfd <= 0 || maxfd > 65536)
		maxfd = 65536;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv_pair) == -1) {
		snprintf(err, errlen, "socketpair: %s", strerror(errno));
		return -1;
	}
	if (pipe2(errpipe, O_CLOEXEC) == -1) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		close(sv_pair[0]);
		close(sv_pair[1]);
		return -1;
	}

	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	pid = fork();
	if (pid == 0)
		child(path, sv_pair[1], errpipe[1], parent, &old, memlimit,
		    maxfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(sv_pair[1]);
	close(errpipe[1]);
	if (pid == -1) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(sv_pair[0]);
		close(errpipe[0]);
		return -1;
	}
	(void)setpgid(pid, pid);	/* also in the child: no race */

	do {
		n = read(errpipe[0], &child_errno, sizeof child_errno);
	} while (n == -1 && errno == EINTR);
	close(errpipe[0]);
	if (n > 0) {
		while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
			;
		snprintf(err, errlen, "cannot run worker %s: %s", path,
		    strerror(child_errno));
		close(sv_pair[0]);
		return -1;
	}
	*pidp = pid;
	*fdp = sv_pair[0];	/* the caller owns it */
	return 0;
}
