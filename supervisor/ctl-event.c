/*
 * ctl-event.c — `erpsyncctl event login|logout U [--password-stdin]`,
 * `event reconnect U [--cache-age D]`, `event access U KIND`: tell erpsyncd
 * what the application saw; print what became of each kind (queued,
 * merged, attached, follow-up, skipped) and why. The password is read from
 * standard input, sent on the admin socket and never printed.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "supervisor/ctl.h"

static const struct ctl_opt ctl_event_opts[] = {
	{ CTL_OPT_LONG + 'p', "password-stdin", NULL, "login: the user's ERP "
	    "password is the first line of stdin" },
	{ CTL_OPT_LONG + 'a', "cache-age", "D", "reconnect: how old the "
	    "client's cache is" },
	{ 0, NULL, NULL, NULL }
};

static int
ctl_event_parse(struct ctl *c, int argc, char **argv)
{
	static const char *types[] = { "login", "logout", "reconnect",
	    "access" };
	size_t	 i;
	int	 ch, want;

	c->cache_age = -1;
	while ((ch = ctl_getopt(argc, argv, ctl_event_opts, "")) != -1) {
		switch (ch) {
		case CTL_OPT_LONG + 'p':
			c->password_stdin = 1;
			break;
		case CTL_OPT_LONG + 'a':
			if (ctl_parse_duration(optarg, &c->cache_age) == -1)
				return CTL_USAGE;
			break;
		default:
			return CTL_USAGE;
		}
	}
	if (optind >= argc) {
		ctl_err("event needs a type: login, logout, reconnect or access");
		return CTL_USAGE;
	}
	for (i = 0; i < nitems(types); i++)
		if (strcmp(argv[optind], types[i]) == 0)
			c->event = types[i];
	if (c->event == NULL) {
		ctl_err("unknown event \"%s\" (login, logout, reconnect or "
		    "access)", argv[optind]);
		return CTL_USAGE;
	}
	want = strcmp(c->event, "access") == 0 ? 3 : 2;
	if (argc - optind != want) {
		ctl_err("event %s needs %s", c->event, want == 3 ?
		    "USER and KIND" : "one USER");
		return CTL_USAGE;
	}
	if (ctl_parse_user(c, argv[optind + 1], 0) != CTL_OK)
		return CTL_USAGE;
	if (want == 3) {
		if (!kind_valid(argv[optind + 2])) {
			ctl_err("unknown kind \"%s\"", argv[optind + 2]);
			return CTL_USAGE;
		}
		snprintf(c->kind, sizeof c->kind, "%s", argv[optind + 2]);
	}
	if (c->password_stdin && strcmp(c->event, "login") != 0) {
		ctl_err("--password-stdin is for event login only");
		return CTL_USAGE;
	}
	if (c->cache_age >= 0 && strcmp(c->event, "reconnect") != 0) {
		ctl_err("--cache-age is for event reconnect only");
		return CTL_USAGE;
	}
	return CTL_OK;
}

/* Read the password: the first line of standard input. */
static int
ctl_event_password(char *pw, size_t len)
{
	size_t	 n = 0;
	ssize_t	 r;
	char	 ch;

	while (n + 1 < len && (r = read(STDIN_FILENO, &ch, 1)) == 1 &&
	    ch != '\n')
		pw[n++] = ch;
	if (n > 0 && pw[n - 1] == '\r')
		n--;
	pw[n] = '\0';
	if (n == 0) {
		ctl_err("--password-stdin: no password on standard input");
		return -1;
	}
	return 0;
}

static void
ctl_event_text(const msgpack_object *d)
{
	const msgpack_object	*res = msg_get(d, "results");
	const msgpack_object	*can = msg_get(d, "cancelled");
	const msgpack_object	*r;
	char			 ev[16], user[USER_ID_MAX + 1], kind[16];
	char			 out[16], why[256], job[32];
	uint32_t		 i;

	printf("%s %s: %s%s\n", ctl_str(d, "event", ev, sizeof ev),
	    ctl_str(d, "user", user, sizeof user),
	    ctl_bool(d, "credentials") ? "has credentials" : "no credentials",
	    ctl_bool(d, "needs_login") ? ", needs a login" : "");
	for (i = 0; res != NULL && i < res->via.array.size; i++) {
		r = &res->via.array.ptr[i];
		snprintf(job, sizeof job, "job %lld",
		    (long long)ctl_int(r, "job"));
		printf("  %-9s  %-9s  %-9s  %s\n", ctl_str(r, "kind", kind,
		    sizeof kind), ctl_str(r, "outcome", out, sizeof out),
		    ctl_int(r, "job") != 0 ? job : "-",
		    ctl_str(r, "why", why, sizeof why));
	}
	for (i = 0; can != NULL && i < can->via.array.size; i++)
		printf("  cancelled queued job %lld\n",
		    (long long)can->via.array.ptr[i].via.i64);
}

static int
ctl_event_run(struct ctl *c)
{
	const msgpack_object	*d;
	struct frame		 f;
	char			 pw[256];
	int64_t			 id;
	int			 rc;

	pw[0] = '\0';
	if (c->password_stdin && ctl_event_password(pw, sizeof pw) == -1)
		return CTL_USAGE;
	if ((rc = ctl_connect(c)) != CTL_OK) {
		explicit_bzero(pw, sizeof pw);
		return rc;
	}
	id = ctl_req_begin(c, &f, "event", 2 + (pw[0] != '\0') +
	    (c->kind[0] != '\0') + (c->cache_age >= 0));
	pk_kv_str(&f.pk, "type", c->event);
	pk_kv_str(&f.pk, "user", c->user);
	if (pw[0] != '\0')
		pk_kv_str(&f.pk, "password", pw);
	if (c->kind[0] != '\0')
		pk_kv_str(&f.pk, "kind", c->kind);
	if (c->cache_age >= 0)
		pk_kv_int(&f.pk, "cache_age", c->cache_age);
	explicit_bzero(pw, sizeof pw);
	if ((rc = ctl_request(c, &f, id, NULL, &d)) != CTL_OK)
		return rc;
	ctl_answer(c, d, ctl_event_text);
	return CTL_OK;
}

const struct ctl_cmd ctl_event_entry = {
	"event", "login|logout USER [--password-stdin] | reconnect USER "
	"[--cache-age D] | access USER KIND",
	"Tell erpsyncd what the application saw; it syncs what is stale.",
	ctl_event_opts, ctl_event_parse, ctl_event_run
};
