/*
 * ctl-wait.c — `erpsyncctl wait JOB`, and the waiting `sync --wait` does:
 * the job's progress on one line, each retry, pause and resume as the
 * daemon tells them, then its verdict; exit 0 only when the job succeeded.
 * Ctrl-C detaches: the job goes on, and the message says how to come back
 * to it.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "supervisor/ctl.h"

volatile sig_atomic_t	 ctl_interrupted;

/*
 * A pushed frame while waiting: progress moves the line; of the job's log
 * lines, warnings (a retry, a failure) and what its worker says (resuming,
 * paused, the sweep) are shown. The daemon's "job A -> B" lines are not:
 * the final one is the verdict printed at the end.
 */
static void
ctl_wait_push(struct ctl *c, enum msg_type t, const msgpack_object *o)
{
	char	 level[8], proc[16], msg[1024];

	if (t == MSG_PROGRESS) {
		ctl_print_progress(c, o);
		return;
	}
	if (t != MSG_LOG)
		return;
	if (c->json) {
		ctl_print_json(o);
		return;
	}
	ctl_str(o, "level", level, sizeof level);
	ctl_str(o, "proc", proc, sizeof proc);
	ctl_str(o, "msg", msg, sizeof msg);
	if (strcmp(level, "debug") == 0 || (strcmp(proc, "worker") != 0 &&
	    (strcmp(level, "info") == 0 || (strncmp(msg, "job ", 4) == 0 &&
	    strstr(msg, " -> ") != NULL))))
		return;
	ctl_progress_end(c);
	fprintf(stderr, "job %lld: %s%s%s\n", (long long)ctl_int(o, "job"),
	    strcmp(level, "info") != 0 ? level : "",
	    strcmp(level, "info") != 0 ? ": " : "", msg);
}

static void
ctl_wait_sigint(int sig)
{
	(void)sig;
	ctl_interrupted = 1;
}

/* Say where the job stands when we attach to it. */
static int
ctl_wait_announce(struct ctl *c, int64_t job)
{
	const msgpack_object	*d;
	char			 kind[16], user[USER_ID_MAX + 1], state[16];
	char			 result[512];
	int			 rc;

	if ((rc = ctl_ask_int(c, "jobs", "job", job, NULL, &d)) != CTL_OK)
		return rc;
	if (c->json) {
		ctl_print_json(d);
		return CTL_OK;
	}
	ctl_job_result(d, result, sizeof result);
	printf("job %lld %s %s: %s%s%s\n", (long long)job,
	    ctl_str(d, "kind", kind, sizeof kind),
	    ctl_str(d, "user", user, sizeof user),
	    ctl_str(d, "state", state, sizeof state),
	    result[0] != '\0' ? "; " : "", result);
	fflush(stdout);
	return CTL_OK;
}

/*
 * Wait for job to end, showing what happens to it (first where it stands,
 * with announce); an exit code.
 */
int
ctl_wait_job(struct ctl *c, int64_t job, int announce)
{
	const msgpack_object	*d;
	struct sigaction	 sa, old;
	char			 state[16];
	int			 rc;

	/* No SA_RESTART: Ctrl-C interrupts the blocking read. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = ctl_wait_sigint;
	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGINT, &sa, &old);
	if (announce && (rc = ctl_wait_announce(c, job)) != CTL_OK) {
		(void)sigaction(SIGINT, &old, NULL);
		return rc;
	}
	rc = ctl_ask_int(c, "wait", "job", job, ctl_wait_push, &d);
	(void)sigaction(SIGINT, &old, NULL);
	ctl_progress_end(c);
	if (rc == CTL_DETACHED) {
		fprintf(stderr, "erpsyncctl: detached; job %lld goes on "
		    "(erpsyncctl wait %lld)\n", (long long)job, (long long)job);
		return rc;
	}
	if (rc != CTL_OK)
		return rc;
	ctl_answer(c, d, ctl_print_result);
	ctl_str(d, "state", state, sizeof state);
	return strcmp(state, "done") == 0 ? CTL_OK : CTL_FAILED;
}

static int
ctl_wait_run(struct ctl *c)
{
	int	 rc;

	if ((rc = ctl_connect(c)) != CTL_OK)
		return rc;
	return ctl_wait_job(c, c->job, 1);
}

const struct ctl_cmd ctl_wait_entry = {
	"wait", "JOB",
	"Follow a job to its end; exit 0 only if it succeeded.",
	NULL, ctl_parse_one_job, ctl_wait_run
};
