/*
 * main.c — erpsim's command line, start-up and shutdown. The flags are an
 * interface: e2e scripts and the demo depend on them (see README.md here).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "tests/erpsim/erpsim.h"

enum {
	O_BIND = 256, O_BASE, O_SEED, O_USERS, O_SYSTEM, O_CUSTOMERS,
	O_ORDERS, O_PRODUCTS, O_PRICES, O_LAYOUT, O_LATENCY, O_FAIL, O_DROP,
	O_TRUNC, O_EXPIRE, O_RESET, O_MAXSESS, O_IDLE, O_CHURN, O_VSBYTES,
	O_PORTFILE, O_DROPCOL, O_CUT, O_TLSCERT, O_TLSKEY, O_NOISY, O_VERSION,
	O_MAXPAGE, O_STALE, O_ERRORPAGE
};

static const struct option longopts[] = {
	{ "port", required_argument, NULL, 'p' },
	{ "bind", required_argument, NULL, O_BIND },
	{ "base", required_argument, NULL, O_BASE },
	{ "seed", required_argument, NULL, O_SEED },
	{ "users", required_argument, NULL, O_USERS },
	{ "system", required_argument, NULL, O_SYSTEM },
	{ "customers", required_argument, NULL, O_CUSTOMERS },
	{ "orders", required_argument, NULL, O_ORDERS },
	{ "products", required_argument, NULL, O_PRODUCTS },
	{ "prices", required_argument, NULL, O_PRICES },
	{ "layout", required_argument, NULL, O_LAYOUT },
	{ "noisy", no_argument, NULL, O_NOISY },
	{ "latency", required_argument, NULL, O_LATENCY },
	{ "fail-rate", required_argument, NULL, O_FAIL },
	{ "drop-rate", required_argument, NULL, O_DROP },
	{ "truncate-rate", required_argument, NULL, O_TRUNC },
	{ "cut-rate", required_argument, NULL, O_CUT },
	{ "expire-every", required_argument, NULL, O_EXPIRE },
	{ "reset-rate", required_argument, NULL, O_RESET },
	{ "stale-rate", required_argument, NULL, O_STALE },
	{ "errorpage-rate", required_argument, NULL, O_ERRORPAGE },
	{ "max-sessions", required_argument, NULL, O_MAXSESS },
	{ "max-page-size", required_argument, NULL, O_MAXPAGE },
	{ "session-idle", required_argument, NULL, O_IDLE },
	{ "churn", required_argument, NULL, O_CHURN },
	{ "viewstate-bytes", required_argument, NULL, O_VSBYTES },
	{ "port-file", required_argument, NULL, O_PORTFILE },
	{ "drop-column", required_argument, NULL, O_DROPCOL },
	{ "tls-cert", required_argument, NULL, O_TLSCERT },
	{ "tls-key", required_argument, NULL, O_TLSKEY },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, O_VERSION },
	{ NULL, 0, NULL, 0 }
};

static void __attribute__((noreturn))
usage(const char *why)
{
	FILE	*fp = why != NULL && why[0] == '\0' ? stdout : stderr;

	if (why != NULL && why[0] != '\0')
		fprintf(stderr, "erpsim: %s\n", why);
	fprintf(fp,
	    "usage: erpsim [-p PORT] [--bind ADDR] [--base /Archibald] "
	    "[--seed N]\n"
	    "              [--users u:pw,...] [--system user:pw]\n"
	    "              [--customers N] [--orders N] [--products N] "
	    "[--prices N]\n"
	    "              [--layout N] [--noisy] [--latency MS] "
	    "[--fail-rate P] "
	    "[--drop-rate P]\n"
	    "              [--truncate-rate P] [--cut-rate P] "
	    "[--expire-every N] [--reset-rate P]\n"
	    "              [--stale-rate P] "
	    "[--max-sessions N] [--session-idle SECONDS] "
	    "[--churn N]\n"
	    "              [--errorpage-rate P] [--max-page-size N]\n"
	    "              [--viewstate-bytes N] [--port-file FILE] "
	    "[--drop-column FIELD]\n"
	    "              [--tls-cert FILE --tls-key FILE] [-v]\n"
	    "       erpsim --version\n");
	exit(fp == stdout ? 0 : 2);
}

static long
num_arg(const char *opt, const char *s, long min, long max)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < min || v > max) {
		fprintf(stderr, "erpsim: %s: bad number '%s' (%ld..%ld)\n",
		    opt, s, min, max);
		exit(2);
	}
	return v;
}

static double
rate_arg(const char *opt, const char *s)
{
	char	*end;
	double	 d;

	errno = 0;
	d = strtod(s, &end);
	if (*s == '\0' || *end != '\0' || errno != 0 || !(d >= 0 && d <= 1)) {
		fprintf(stderr, "erpsim: %s: bad probability '%s' (0..1)\n",
		    opt, s);
		exit(2);
	}
	return d;
}

static void
add_user(const char *spec, int agent)
{
	const char	*colon = strchr(spec, ':');
	struct user	*u;
	char		*name;

	if (colon == NULL || colon == spec)
		usage("users are NAME:PASSWORD");
	name = xstrndup(spec, (size_t)(colon - spec));
	if (!user_id_valid(name)) {
		fprintf(stderr, "erpsim: bad user name '%s'\n", name);
		exit(2);
	}
	if (user_by_name(name) >= 0) {
		fprintf(stderr, "erpsim: user '%s' given twice\n", name);
		exit(2);
	}
	if (sim.nusers >= SIM_MAXUSERS)
		usage("too many users");
	u = &sim.users[sim.nusers++];
	u->name = name;
	u->pw = xstrdup(colon + 1);
	u->agent = agent;
}

static void
add_users(const char *list)
{
	char	*copy = xstrdup(list), *p, *tok, *save = NULL;

	for (p = copy; (tok = strtok_r(p, ",", &save)) != NULL; p = NULL)
		add_user(tok, 1);
	free(copy);
}

static void
write_port_file(const char *path)
{
	char	 tmp[4096];
	FILE	*f;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path,
	    (long)getpid()) >= sizeof(tmp))
		fatalx("port file name too long");
	if ((f = fopen(tmp, "w")) == NULL)
		fatal("%s", tmp);
	fprintf(f, "%d\n", sim.bound_port);
	if (fclose(f) != 0 || rename(tmp, path) == -1)
		fatal("%s", path);
}

static void
on_signal(evutil_socket_t sig, short ev, void *arg)
{
	(void)ev;
	(void)arg;
	log_info("signal %d: shutting down", (int)sig);
	event_base_loopbreak(sim.base);
}

static void
on_sweep(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	(void)arg;
	session_sweep();
}

/* An option that sets one field of sim: a number, a probability, a string. */
enum arg_type { ARG_INT, ARG_UINT, ARG_I64, ARG_U64, ARG_SIZE, ARG_RATE,
    ARG_STR };
static const struct sim_arg {
	int		 ch;
	const char	*name;		/* for messages */
	enum arg_type	 type;
	void		*field;		/* in sim */
	long		 max;		/* numbers: 0..max */
} sim_args[] = {
	{ 'p', "-p", ARG_INT, &sim.conf.port, 65535 },
	{ O_BIND, "--bind", ARG_STR, &sim.conf.bind, 0 },
	{ O_BASE, "--base", ARG_STR, &sim.conf.base, 0 },
	{ O_SEED, "--seed", ARG_U64, &sim.conf.seed, 0x7fffffffffffffffL },
	{ O_CUSTOMERS, "--customers", ARG_INT, &sim.conf.ncust, 1000000 },
	{ O_ORDERS, "--orders", ARG_INT, &sim.conf.nord, 1000000 },
	{ O_PRODUCTS, "--products", ARG_INT, &sim.conf.nprod, 2000000 },
	{ O_PRICES, "--prices", ARG_INT, &sim.conf.nprice, 2000000 },
	{ O_LAYOUT, "--layout", ARG_INT, &sim.conf.layout, 1000000 },
	{ O_LATENCY, "--latency", ARG_I64, &sim.faults.latency_ms, 3600000 },
	{ O_FAIL, "--fail-rate", ARG_RATE, &sim.faults.rate[F_FAIL], 0 },
	{ O_DROP, "--drop-rate", ARG_RATE, &sim.faults.rate[F_DROP], 0 },
	{ O_TRUNC, "--truncate-rate", ARG_RATE, &sim.faults.rate[F_TRUNC], 0 },
	{ O_CUT, "--cut-rate", ARG_RATE, &sim.faults.rate[F_CUT], 0 },
	{ O_RESET, "--reset-rate", ARG_RATE, &sim.faults.rate[F_RESET], 0 },
	{ O_STALE, "--stale-rate", ARG_RATE, &sim.faults.rate[F_STALE], 0 },
	{ O_ERRORPAGE, "--errorpage-rate", ARG_RATE,
	    &sim.faults.rate[F_ERRORPAGE], 0 },
	{ O_EXPIRE, "--expire-every", ARG_UINT, &sim.faults.expire_every,
	    100000000 },
	{ O_MAXSESS, "--max-sessions", ARG_UINT, &sim.faults.max_sessions,
	    100000 },
	{ O_MAXPAGE, "--max-page-size", ARG_INT, &sim.conf.max_page_size,
	    200 },
	{ O_IDLE, "--session-idle", ARG_INT, &sim.conf.session_idle,
	    100000000 },
	{ O_CHURN, "--churn", ARG_UINT, &sim.conf.churn, 100000000 },
	{ O_VSBYTES, "--viewstate-bytes", ARG_SIZE, &sim.conf.viewstate_bytes,
	    16 * 1024 * 1024 },
	{ O_PORTFILE, "--port-file", ARG_STR, &sim.conf.port_file, 0 },
	{ O_TLSCERT, "--tls-cert", ARG_STR, &sim.conf.tls_cert, 0 },
	{ O_TLSKEY, "--tls-key", ARG_STR, &sim.conf.tls_key, 0 },
};

/* Set the field of option ch from its argument s; 0 if ch is not one. */
static int
sim_arg_set(int ch, const char *s)
{
	const struct sim_arg	*a;
	size_t			 i;

	for (i = 0; i < nitems(sim_args); i++)
		if (sim_args[i].ch == ch)
			break;
	if (i == nitems(sim_args))
		return 0;
	a = &sim_args[i];
	switch (a->type) {
	case ARG_INT:
		*(int *)a->field = (int)num_arg(a->name, s, 0, a->max);
		break;
	case ARG_UINT:
		*(unsigned *)a->field = (unsigned)num_arg(a->name, s, 0,
		    a->max);
		break;
	case ARG_I64:
		*(int64_t *)a->field = num_arg(a->name, s, 0, a->max);
		break;
	case ARG_U64:
		*(uint64_t *)a->field = (uint64_t)num_arg(a->name, s, 0,
		    a->max);
		break;
	case ARG_SIZE:
		*(size_t *)a->field = (size_t)num_arg(a->name, s, 0, a->max);
		break;
	case ARG_RATE:
		*(double *)a->field = rate_arg(a->name, s);
		break;
	case ARG_STR:
		free(*(char **)a->field);
		*(char **)a->field = xstrdup(s);
		break;
	}
	return 1;
}

static void
parse_args(int argc, char **argv, const char **users, const char **sys)
{
	int	 ch, vs_given = 0;

	while ((ch = getopt_long(argc, argv, "p:vh", longopts, NULL)) != -1) {
		if (sim_arg_set(ch, optarg)) {
			if (ch == O_VSBYTES)
				vs_given = 1;
			continue;
		}
		switch (ch) {
		case O_USERS:
			*users = optarg;
			break;
		case O_SYSTEM:
			*sys = optarg;
			break;
		case O_NOISY:
			sim.conf.noisy = 1;
			break;
		case O_DROPCOL:
			if (fault_set_drop_col(&sim.faults, optarg) == -1) {
				fprintf(stderr, "erpsim: --drop-column: bad "
				    "fieldname '%s'\n", optarg);
				exit(2);
			}
			break;
		case 'v':
			sim.conf.verbose = 1;
			break;
		case 'h':
			usage("");	/* asked for: stdout, exit 0 */
		case O_VERSION:
			printf("erpsim %s\n", ERPSYNC_VERSION);
			exit(0);
		default:
			usage(NULL);
		}
	}
	if (optind != argc)
		usage("unexpected arguments");
	if (sim.conf.noisy && !vs_given)
		sim.conf.viewstate_bytes = NOISY_VIEWSTATE;
	if ((sim.conf.tls_cert == NULL) != (sim.conf.tls_key == NULL))
		usage("--tls-cert and --tls-key go together");
}

/* Parse flags, generate the data, serve until SIGTERM or SIGINT. */
int
main(int argc, char **argv)
{
	const char	*users = "agent1:agent1pw,agent2:agent2pw";
	const char	*sys = "erpadmin:adminpw";
	struct event	*sigterm, *sigint, *sweep;
	struct timeval	 tv = { 5, 0 };
	size_t		 n;
	int64_t		 t0;

	sim_defaults();
	log_init("erpsim", LOG_LOGFMT, LOG_INFO);
	sim.conf.bind = xstrdup("127.0.0.1");
	sim.conf.base = xstrdup("/Archibald");
	parse_args(argc, argv, &users, &sys);
	n = strlen(sim.conf.base);
	while (n > 0 && sim.conf.base[n - 1] == '/')
		sim.conf.base[--n] = '\0';
	if (n > 0 && sim.conf.base[0] != '/')
		usage("--base must start with /");
	if (strncmp(sim.conf.base, "/_sim", 5) == 0)
		usage("--base cannot be under /_sim");
	add_users(users);
	add_user(sys, 0);
	sim.sysuser = sim.nusers - 1;

	setenv("TZ", "Europe/Rome", 1);
	tzset();
	signal(SIGPIPE, SIG_IGN);

	if (sim.conf.tls_cert != NULL &&
	    tls_init(sim.conf.tls_cert, sim.conf.tls_key) == -1) {
		fprintf(stderr, "erpsim: cannot use --tls-cert %s --tls-key "
		    "%s\n", sim.conf.tls_cert, sim.conf.tls_key);
		exit(2);
	}
	t0 = mono_ms();
	layout_init(sim.conf.layout);
	data_init();
	if ((sim.base = event_base_new()) == NULL)
		fatalx("event_base_new failed");
	/* Signals first: a script may stop us as soon as the port is known. */
	sigterm = evsignal_new(sim.base, SIGTERM, on_signal, NULL);
	sigint = evsignal_new(sim.base, SIGINT, on_signal, NULL);
	sweep = event_new(sim.base, -1, EV_PERSIST, on_sweep, NULL);
	evsignal_add(sigterm, NULL);
	evsignal_add(sigint, NULL);
	evtimer_add(sweep, &tv);
	if (http_start() == -1)
		fatal("cannot listen on %s port %d", sim.conf.bind,
		    sim.conf.port);
	if (sim.conf.port_file != NULL)
		write_port_file(sim.conf.port_file);
	log_info("listening on %s://%s:%d%s/ (layout %d, seed %llu, data "
	    "in %lld ms)", sim.conf.tls_cert != NULL ? "https" : "http",
	    sim.conf.bind, sim.bound_port, sim.conf.base,
	    sim.conf.layout, (unsigned long long)sim.conf.seed,
	    (long long)(mono_ms() - t0));

	event_base_dispatch(sim.base);

	reply_cancel_all();
	http_stop();
	event_free(sigterm);
	event_free(sigint);
	event_free(sweep);
	event_base_free(sim.base);
	sim_free();
	return 0;
}
