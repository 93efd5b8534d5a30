/*
 * main.c — erpsync-worker: started by erpsyncd with a socket on fd 3, reads
 * one job, runs it, reports, exits 0 (ok or cancelled), 100 (permanent
 * failure: auth, contract, protocol) or 111 (temporary: erp, busy, storage).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/lsan_interface.h>
#endif
#ifdef COVERAGE
#include <gcov.h>
#endif

#include "worker/worker.h"

#define CHANNEL_FD 3

/*
 * Exit without the libraries' destructors: the pages and the done frame are
 * written, and what exit(3) would add is the fini functions of the 40
 * libraries libcurl and libxml2 load (LD_DEBUG=files lists them), which
 * fault in 0.3 MB of pages the run never touched to free what the kernel
 * frees anyway (peak RSS in bench/b_cpu.sh). Under AddressSanitizer the
 * leak check runs first, as it would at exit(3).
 */
static void __attribute__((noreturn))
worker_exit(int code)
{
	fflush(NULL);
#ifdef __SANITIZE_ADDRESS__
	__lsan_do_leak_check();
#endif
#ifdef COVERAGE
	__gcov_dump();		/* make coverage: what exit(3) would write */
#endif
	_exit(code);
}

/* The usage; on stdout and exit 0 when asked for with --help. */
static void
usage(int asked)
{
	fprintf(asked ? stdout : stderr,
	    "usage: erpsync-worker\n"
	    "       erpsync-worker --version | --help\n"
	    "erpsync-worker is started by erpsyncd: it reads its job from the\n"
	    "socket on fd 3 and exits 0 (done or cancelled), 100 (permanent\n"
	    "failure) or 111 (temporary failure).\n");
	exit(asked ? 0 : 2);
}

/*
 * The job frame brings the ERP password: no core dump, and no ptrace or
 * /proc/PID/mem by other processes of our uid, may ever see it.
 */
static void
no_core_dumps(void)
{
	struct rlimit	 rl = { 0, 0 };

	if (setrlimit(RLIMIT_CORE, &rl) == -1)
		fatal("setrlimit RLIMIT_CORE");
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1)
		fatal("prctl PR_SET_DUMPABLE");
}

/*
 * Retries wait a jittered backoff (erp.c): each worker draws its own, so
 * workers that failed together do not all come back at the same instant.
 */
static void
seed_jitter(void)
{
	unsigned int	 seed;

	if (getrandom(&seed, sizeof seed, GRND_NONBLOCK) != sizeof seed)
		seed = (unsigned int)(mono_ms() ^ ((int64_t)getpid() << 16));
	srandom(seed);
}

int
main(int argc, char **argv)
{
	struct msg_job	 job;
	struct msg_done	 done;
	enum log_level	 level;
	struct stat	 sb;
	char		 err[PROTO_ERRLEN];
	int		 code;

	log_init("worker", LOG_LOGFMT, LOG_INFO);
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("erpsync-worker %s\n", ERPSYNC_VERSION);
		return 0;
	}
	if (argc == 2 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0))
		usage(1);
	if (argc != 1)
		usage(0);
	if (fstat(CHANNEL_FD, &sb) == -1 || !S_ISSOCK(sb.st_mode)) {
		log_warnx("fd %d is not a socket: erpsync-worker is started "
		    "by erpsyncd", CHANNEL_FD);
		usage(0);
	}
	signal(SIGPIPE, SIG_IGN);
	no_core_dumps();
	seed_jitter();
	if (report_init(CHANNEL_FD, &job, err, sizeof err) == -1) {
		log_warnx("cannot read the job: %s", err);
		return EXIT_WORKER_PERMANENT;
	}
	log_set_context(job.id, strcmp(job.user, "*") ? job.user : NULL,
	    job.kind);
	/* Log at the supervisor's level (debug: every slot transition). */
	if (job.log_level[0] != '\0' &&
	    log_level_parse(job.log_level, &level) == 0)
		log_set_level(level);
	xmlInitParser();
	log_info("%s sync of %s for %s: %s", job.mode, job.kind, job.user,
	    job.db);
	code = sync_run(&job, &done);
	if (strcmp(done.status, "ok") == 0)
		log_info("done: %lld pages, %lld rows (+%lld ~%lld =%lld, "
		    "%lld skipped, %lld deleted), %lld grid requests",
		    (long long)done.pages, (long long)done.seen,
		    (long long)done.inserted, (long long)done.updated,
		    (long long)done.unchanged, (long long)done.skipped,
		    (long long)done.deleted, (long long)done.fetched);
	else
		log_warnx("%s: %s%s%s", done.status, done.error_class,
		    done.message[0] ? ": " : "", done.message);
	report_done(&done);
	xmlCleanupParser();
	worker_exit(code);
}
