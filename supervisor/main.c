/*
 * main.c — erpsyncd: read the config, bind the admin socket, daemonize
 * unless -d, open state.db, load users, requeue interrupted jobs, start the
 * schedule, run the loop.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "supervisor/supervisor.h"

/* The usage; on stdout and exit 0 when asked for with --help. */
static void __attribute__((noreturn))
usage(int asked)
{
	fprintf(asked ? stdout : stderr, "usage: erpsyncd -f CONF [-dnv]\n"
	    "       erpsyncd --version\n"
	    "  -f CONF    configuration file (erpsync.conf(5))\n"
	    "  -d         stay in the foreground, log to stderr\n"
	    "  -n         check the configuration and credentials, then exit\n"
	    "  -v         log debug messages\n"
	    "  -h, --help this help\n"
	    "  --version  print \"erpsyncd VERSION\" and exit\n");
	exit(asked ? 0 : 1);
}

/* Make sure fds 0-2 are open, so no socket or database lands there. */
static void
stdio_guard(void)
{
	int	 fd;

	while ((fd = open("/dev/null", O_RDWR)) != -1 && fd <= 2)
		;
	if (fd > 2)
		close(fd);
}

/* Print config errors, one per line, as they are: for humans (-n). */
static void
print_errors(const struct buf *errs)
{
	fputs(errs->data != NULL ? errs->data : "", stderr);
}

/* Fork into the background; stderr goes to state_dir/erpsyncd.log. */
static void
daemonize(const char *state_dir)
{
	char	 path[PATH_MAX];
	int	 fd, logfd;
	pid_t	 pid;

	snprintf(path, sizeof path, "%s/erpsyncd.log", state_dir);
	if ((logfd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    0640)) == -1)
		fatal("%s", path);
	if ((pid = fork()) == -1)
		fatal("fork");
	if (pid > 0)
		_exit(0);
	if (setsid() == -1)
		fatal("setsid");
	if ((pid = fork()) == -1)
		fatal("fork");
	if (pid > 0)
		_exit(0);
	if (chdir("/") == -1)
		fatal("chdir /");
	if ((fd = open("/dev/null", O_RDWR)) == -1)
		fatal("/dev/null");
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	dup2(logfd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
	close(logfd);
}

/* Create the directories the daemon writes to. */
static void
make_dirs(const struct config *c)
{
	char	 debug[PATH_MAX], sockdir[PATH_MAX], *slash;

	snprintf(debug, sizeof debug, "%s/debug", c->state_dir);
	snprintf(sockdir, sizeof sockdir, "%s", c->socket);
	if ((slash = strrchr(sockdir, '/')) != NULL && slash != sockdir)
		*slash = '\0';
	if (sv_mkdirs(c->state_dir, 0750) == -1)
		fatal("state_dir %s", c->state_dir);
	if (sv_mkdirs(debug, 0750) == -1)
		fatal("%s", debug);
	if (sv_mkdirs(c->data_dir, 0750) == -1)
		fatal("data_dir %s", c->data_dir);
	if (slash != NULL && slash != sockdir && sv_mkdirs(sockdir, 0755) == -1)
		fatal("socket directory %s", sockdir);
}

int
main(int argc, char **argv)
{
	struct event_base	*base;
	struct config		*conf;
	struct buf		 errs;
	char			 path[PATH_MAX], err[512];
	const char		*conf_path = NULL;
	int			 ch, foreground = 0, check = 0, verbose = 0;

	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};

	while ((ch = getopt_long(argc, argv, "df:nvh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd': foreground = 1; break;
		case 'f': conf_path = optarg; break;
		case 'n': check = 1; break;
		case 'v': verbose = 1; break;
		case 'h': usage(1);
		case 'V':
			printf("erpsyncd %s\n", ERPSYNC_VERSION);
			return 0;
		default: usage(0);
		}
	}
	if (conf_path == NULL || optind != argc)
		usage(0);

	stdio_guard();
	umask(027);
	sv.listen_fd = -1;
	log_init("erpsyncd", LOG_LOGFMT, verbose ? LOG_DEBUG : LOG_INFO);

	buf_init(&errs);
	if (config_load(conf_path, &conf, &errs) == -1) {
		print_errors(&errs);
		if (!check)
			log_warnx("cannot start: %s has errors", conf_path);
		exit(1);
	}
	buf_free(&errs);
	if (check) {
		fprintf(stderr, "%s: configuration OK (%zu users with "
		    "credentials)\n", conf_path, conf->ncreds);
		config_free(conf);
		exit(0);
	}
	sv.conf = conf;
	sv.conf_path = xstrdup(conf->path);
	sv.foreground = foreground;
	sv.verbose = verbose;
	log_set_format(conf->log_format);
	log_set_level(verbose ? LOG_DEBUG : conf->log_level);

	make_dirs(conf);
	err[0] = '\0';
	if (control_listen(conf->socket, conf->socket_mode, conf->socket_gid,
	    conf->socket_group, err, sizeof err) == -1)
		fatalx("admin socket: %s", err);
	if (!foreground)
		daemonize(conf->state_dir);

	sv.pid = getpid();
	sv.started_ms = now_ms();
	sv.started_mono = mono_ms();
	if ((base = event_base_new()) == NULL)
		fatalx("event_base_new");
	sv_init(base);
	sv.ring = logring_new(SV_LOGRING_LINES);
	log_set_sink(sv_log_sink, NULL);

	snprintf(path, sizeof path, "%s/state.db", conf->state_dir);
	if (state_open(path, err, sizeof err) == -1)
		fatalx("state.db: %s", err);
	queue_init(&sv.queue, state_next_job_id());
	(void)state_prune(conf->history_keep);
	sv.stats.last_prune_ms = now_ms();
	sv_load_users();
	sv_worker_path();
	if (access(sv.worker_path, X_OK) == -1)
		log_warn("worker %s: jobs will fail until it can be run",
		    sv.worker_path);

	control_start();
	if (httpd_start(conf, err, sizeof err) == -1)
		fatalx("%s", err);
	sv_signals();
	sv_holds_start();
	log_info("erpsyncd %s started: pid %d, socket %s, %zu users with "
	    "credentials, worker %s", ERPSYNC_VERSION, (int)sv.pid,
	    conf->socket, conf->ncreds, sv.worker_path);
	sv_recover();
	sv_sched_start();
	sv_kick();

	event_base_dispatch(base);

	httpd_stop();
	control_close();
	sv_signals_free();
	sv_free();
	state_close();
	event_base_free(base);
	return sv.exit_code;
}
