/*
 * config.c — erpsyncd's INI file (design §7), read with inih into a struct
 * config. Every key has a default; unknown sections and keys and bad values
 * are errors naming the file, the line and the key. Relative paths are taken
 * from the config file's directory.
 */
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "supervisor/supervisor.h"

#define CONF_LINE_MAX	4096

enum ctype { C_STR, C_INT, C_DUR, C_BOOL, C_MODE, C_BYTES, C_LOGFMT, C_LOGLVL,
    C_USER, C_URL, C_SESSIONS };

struct ckey {
	const char	*name;
	enum ctype	 type;
	size_t		 off;
	int64_t		 min, max;	/* C_INT */
	int		 path;		/* C_STR: relative to the file's dir */
};

#define CF(n, t, f)	{ n, t, offsetof(struct config, f), 0, 0, 0 }
#define CI(n, f, lo, hi) { n, C_INT, offsetof(struct config, f), lo, hi, 0 }
#define CP(n, f)	{ n, C_STR, offsetof(struct config, f), 0, 0, 1 }
#define KF(n, t, f)	{ n, t, offsetof(struct kind_conf, f), 0, 0, 0 }

static const struct ckey erp_keys[] = {
	CF("url", C_URL, url),
	CP("credentials", credentials),
	CF("system_user", C_USER, system_user),
	CI("page_size", page_size, 1, 10000),
	{ "sessions_per_job", C_SESSIONS, offsetof(struct config,
	    sessions_per_job), 1, 64, 0 },
	CF("request_timeout", C_DUR, request_timeout),
	CF("tls_verify", C_BOOL, tls_verify),
	CP("ca_file", ca_file),
	CF("user_agent", C_STR, user_agent),
};

static const struct ckey sv_keys[] = {
	CP("state_dir", state_dir),
	CP("data_dir", data_dir),
	CP("socket", socket),
	CF("socket_mode", C_MODE, socket_mode),
	CF("socket_group", C_STR, socket_group),
	CI("max_workers", max_workers, 1, 256),
	CI("max_erp_sessions", max_erp_sessions, 0, 1024),
	CI("max_sessions_per_user", max_sessions_per_user, 0, 1024),
	CF("heartbeat_timeout", C_DUR, heartbeat_timeout),
	CF("job_timeout", C_DUR, job_timeout),
	CP("worker_path", worker_path),
	CF("worker_memory", C_BYTES, worker_memory),
	CI("retry_attempts", retry_attempts, 1, 100),
	CF("retry_backoff", C_DUR, retry_backoff),
	CF("retry_backoff_max", C_DUR, retry_backoff_max),
	CI("poison_crashes", poison_crashes, 0, SV_POISON_MAX),
	CF("poison_window", C_DUR, poison_window),
	CF("check_every", C_DUR, check_every),
	CF("hold_ttl", C_DUR, hold_ttl),
	CF("drain_timeout", C_DUR, drain_timeout),
	CI("history_keep", history_keep, 100, 10000000),
	CF("log_format", C_LOGFMT, log_format),
	CF("log_level", C_LOGLVL, log_level),
	CI("max_clients", max_clients, 1, 4096),
	CF("admin_idle_timeout", C_DUR, admin_idle_timeout),
};

static const struct ckey metrics_keys[] = {
	CF("listen", C_STR, metrics_listen),
};

static const struct ckey kind_keys[] = {
	KF("full_every", C_DUR, full_every),
	KF("delta_every", C_DUR, delta_every),
	KF("login_after", C_DUR, login_after),
	KF("reconnect_after", C_DUR, reconnect_after),
	KF("access_after", C_DUR, access_after),
	KF("stale_after", C_DUR, stale_after),
	KF("enabled", C_BOOL, enabled),
};

#define NSECT	(3 + KIND_COUNT)
#define SECT_METRICS	(2 + KIND_COUNT)

struct cparse {
	struct config	*conf;
	const char	*name;		/* file name for messages */
	struct buf	*errs;
	int		 nerr;
	const char	*p;		/* the text, for the reader */
	int		 line;		/* lines handed to inih so far */
	int		 bad_section;	/* current section unknown (reported) */
	int		 seen[NSECT][32];	/* line each key was set on */
	int		 bad[NSECT][32];	/* its value was refused */
};

/* Defaults of design §5 and §7. */
static const struct kind_conf kind_defaults[KIND_COUNT] = {
	{ 86400, 1800, 7200, 7200, 3600, 3 * 86400, 1 },	/* customers */
	{ 43200, 3600, 7200, 7200, 600, 3 * 86400, 1 },		/* orders */
	{ 86400, 7200, 7200, 7200, 3600, 3 * 86400, 1 },	/* products */
	{ 86400, 10800, 7200, 7200, 3600, 3 * 86400, 1 },	/* prices */
};

/* A config holding every default. */
struct config *
config_new(void)
{
	struct config	*c;

	c = xcalloc(1, sizeof *c);
	c->url = xstrdup("");
	c->credentials = xstrdup("");
	c->system_user = xstrdup("");
	c->page_size = 200;
	c->sessions_per_job = 1;
	c->request_timeout = 60;
	c->tls_verify = 1;
	c->ca_file = xstrdup("");
	c->user_agent = xstrdup("erpsync/" ERPSYNC_VERSION);
	c->state_dir = xstrdup("/var/lib/erpsync");
	c->data_dir = xstrdup("/var/lib/erpsync/data");
	c->socket = xstrdup(SV_SOCKET_DEFAULT);
	c->socket_mode = 0660;
	c->socket_group = xstrdup("");
	c->metrics_listen = xstrdup("");
	c->socket_gid = -1;
	c->max_workers = 4;
	c->max_erp_sessions = 8;
	c->max_sessions_per_user = 2;
	c->heartbeat_timeout = 60;
	c->job_timeout = 4 * 3600;
	c->worker_path = xstrdup("");
	c->worker_memory = 2LL << 30;
	c->retry_attempts = 5;
	c->retry_backoff = 30;
	c->retry_backoff_max = 30 * 60;
	c->poison_crashes = 3;
	c->poison_window = 3600;
	c->check_every = 60;
	c->hold_ttl = 5 * 60;
	c->drain_timeout = 10;
	c->history_keep = 10000;
	c->max_clients = 64;
	c->admin_idle_timeout = 60;
	c->log_format = LOG_LOGFMT;
	c->log_level = LOG_INFO;
	memcpy(c->kinds, kind_defaults, sizeof c->kinds);
	return c;
}

/* Free a config, zeroing the passwords it holds. */
void
config_free(struct config *c)
{
	if (c == NULL)
		return;
	creds_free(c);
	free(c->path);
	free(c->url);
	free(c->credentials);
	free(c->system_user);
	free(c->ca_file);
	free(c->user_agent);
	free(c->state_dir);
	free(c->data_dir);
	free(c->socket);
	free(c->socket_group);
	free(c->metrics_listen);
	free(c->worker_path);
	free(c->warnings);
	free(c);
}

static int
cred_key_cmp(const void *key, const void *elt)
{
	return strcmp(key, ((const struct cred *)elt)->user);
}

/* The password of an ERP user, or NULL (the credentials are sorted). */
const char *
config_password(const struct config *c, const char *user)
{
	const struct cred	*cr;

	if (c->ncreds == 0)
		return NULL;
	cr = bsearch(user, c->creds, c->ncreds, sizeof *c->creds,
	    cred_key_cmp);
	return cr != NULL ? cr->password : NULL;
}

static void ATTR_PRINTF(4, 5)
cerror(struct cparse *cp, int line, const char *key, const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (line > 0)
		buf_addf(cp->errs, "%s:%d: ", cp->name, line);
	else
		buf_addf(cp->errs, "%s: ", cp->name);
	if (key != NULL)
		buf_addf(cp->errs, "%s: ", key);
	buf_addf(cp->errs, "%s\n", msg);
	cp->nerr++;
}

static int
section_index(const char *s)
{
	enum kind	 k;

	if (strcmp(s, "erp") == 0)
		return 0;
	if (strcmp(s, "supervisor") == 0)
		return 1;
	if (kind_parse(s, &k) == 0)
		return 2 + (int)k;
	if (strcmp(s, "metrics") == 0)
		return SECT_METRICS;
	return -1;
}

/* Store one value; returns an error message or NULL. */
static const char *
cset(void *base, const struct ckey *k, const char *v)
{
	char		**sp = (char **)((char *)base + k->off);
	int64_t		 *ip = (int64_t *)((char *)base + k->off);
	int		 *bp = (int *)((char *)base + k->off);
	const char	 *errstr;
	char		 *end;
	long long	  n;

	switch (k->type) {
	case C_URL:
		/* "" is left to the check for a missing url. */
		if (*v != '\0' && (errstr = config_url_check(v)) != NULL)
			return errstr;
		free(*sp);
		*sp = xstrdup(v);
		return NULL;
	case C_USER:
		if (*v != '\0' && !user_id_valid(v))
			return "not a valid user id ([A-Za-z0-9._-], 1-64)";
		/* FALLTHROUGH */
	case C_STR:
		free(*sp);
		*sp = xstrdup(v);
		return NULL;
	case C_SESSIONS:
		/* "auto" (0): as many as the session limits leave, up to 4. */
		if (strcmp(v, "auto") == 0) {
			*ip = 0;
			return NULL;
		}
		if (*v == '\0' || strspn(v, "0123456789") != strlen(v))
			return "not a number of sessions (1-64) nor auto";
		/* FALLTHROUGH */
	case C_INT:
		errno = 0;
		n = strtoll(v, &end, 10);
		if (*v == '\0' || *end != '\0' || errno != 0)
			return "not a number";
		if (n < k->min || n > k->max)
			return "out of range";
		*ip = n;
		return NULL;
	case C_DUR:
		if (duration_parse(v, ip, &errstr) == -1)
			return errstr;
		return NULL;
	case C_BYTES:
		if (parse_bytes(v, ip) == -1)
			return "not a size (bytes, or a number with K, M or G)";
		return NULL;
	case C_BOOL:
		if (!strcmp(v, "yes") || !strcmp(v, "true") ||
		    !strcmp(v, "on") || !strcmp(v, "1"))
			*bp = 1;
		else if (!strcmp(v, "no") || !strcmp(v, "false") ||
		    !strcmp(v, "off") || !strcmp(v, "0"))
			*bp = 0;
		else
			return "not a boolean (yes or no)";
		return NULL;
	case C_MODE:
		if (*v == '\0' || strspn(v, "01234567") != strlen(v) ||
		    strlen(v) > 4)
			return "not an octal mode such as 0660";
		n = strtoll(v, NULL, 8);
		if (n > 0777)
			return "not an octal mode such as 0660";
		*bp = (int)n;
		return NULL;
	case C_LOGFMT:
		if (log_format_parse(v, (enum log_format *)bp) == -1)
			return "not a log format (logfmt or json)";
		return NULL;
	case C_LOGLVL:
		if (log_level_parse(v, (enum log_level *)bp) == -1)
			return "not a log level (error, warn, info or debug)";
		return NULL;
	}
	return "unknown key type";
}

static int
chandler(void *arg, const char *section, const char *name, const char *value)
{
	struct cparse		*cp = arg;
	const struct ckey	*keys;
	size_t			 nkeys, i;
	void			*base;
	const char		*err;
	char			 key[128];
	int			 s;

	snprintf(key, sizeof key, "[%s] %s", section, name);
	if (cp->bad_section)
		return 1;
	if ((s = section_index(section)) == -1) {
		cerror(cp, cp->line, key, "key outside any known section");
		return 1;
	}
	if (s == 0) {
		keys = erp_keys, nkeys = nitems(erp_keys), base = cp->conf;
	} else if (s == 1) {
		keys = sv_keys, nkeys = nitems(sv_keys), base = cp->conf;
	} else if (s == SECT_METRICS) {
		keys = metrics_keys, nkeys = nitems(metrics_keys);
		base = cp->conf;
	} else {
		keys = kind_keys, nkeys = nitems(kind_keys);
		base = &cp->conf->kinds[s - 2];
	}
	for (i = 0; i < nkeys; i++)
		if (strcmp(keys[i].name, name) == 0)
			break;
	if (i == nkeys) {
		cerror(cp, cp->line, key, "unknown key");
		return 1;
	}
	if (cp->seen[s][i] != 0) {
		cerror(cp, cp->line, key, "set twice (first on line %d)",
		    cp->seen[s][i]);
		return 1;
	}
	cp->seen[s][i] = cp->line;
	if ((err = cset(base, &keys[i], value)) != NULL) {
		cerror(cp, cp->line, key, "bad value \"%s\": %s", value, err);
		cp->bad[s][i] = 1;
	}
	return 1;
}

/* inih's reader: one line per call, counted, section names checked here. */
static char *
creader(char *str, int num, void *arg)
{
	struct cparse	*cp = arg;
	const char	*nl, *s;
	size_t		 len, n;
	char		 sect[128];

	if (*cp->p == '\0')
		return NULL;
	cp->line++;
	nl = strchr(cp->p, '\n');
	len = nl != NULL ? (size_t)(nl - cp->p) + 1 : strlen(cp->p);
	if (len >= (size_t)num) {
		cerror(cp, cp->line, NULL, "line too long (max %d bytes)",
		    num - 2);
		snprintf(str, (size_t)num, "\n");
	} else {
		memcpy(str, cp->p, len);
		str[len] = '\0';
	}
	cp->p += len;
	s = str + strspn(str, " \t");
	if (*s == '[' && (n = strcspn(s + 1, "]")) < sizeof sect &&
	    s[1 + n] == ']') {
		memcpy(sect, s + 1, n);
		sect[n] = '\0';
		cp->bad_section = section_index(sect) == -1;
		if (cp->bad_section)
			cerror(cp, cp->line, NULL, "unknown section [%s]",
			    sect);
	}
	return str;
}

/* The line a key was set on, or 0. */
static int
cline(struct cparse *cp, int s, const struct ckey *keys, size_t n,
    const char *name)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(keys[i].name, name) == 0)
			return cp->seen[s][i];
	return 0;
}

#define ERP_LINE(cp, k)	cline(cp, 0, erp_keys, nitems(erp_keys), k)
#define SV_LINE(cp, k)	cline(cp, 1, sv_keys, nitems(sv_keys), k)

/* A [supervisor] duration key of value v must be at least min seconds. */
static void
csv_least(struct cparse *cp, const char *key, int64_t v, int64_t min)
{
	char	 name[64];

	if (v >= min)
		return;
	snprintf(name, sizeof name, "[supervisor] %s", key);
	cerror(cp, SV_LINE(cp, key), name, "must be at least %llds",
	    (long long)min);
}

/* A warning: the config is used, but the operator should know. */
static void ATTR_PRINTF(4, 5)
cwarn(struct cparse *cp, int line, const char *key, const char *fmt, ...)
{
	struct buf	 b;
	va_list		 ap;
	char		 msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	buf_init(&b);
	if (cp->conf->warnings != NULL)
		buf_adds(&b, cp->conf->warnings);
	if (line > 0)
		buf_addf(&b, "%s:%d: ", cp->name, line);
	else
		buf_addf(&b, "%s: ", cp->name);
	buf_addf(&b, "%s: %s\n", key, msg);
	free(cp->conf->warnings);
	cp->conf->warnings = buf_steal(&b);
}

/* sessions_per_job above a session limit: jobs get fewer (design §5). */
static void
csessions(struct cparse *cp)
{
	struct config	*c = cp->conf;
	int		 line = ERP_LINE(cp, "sessions_per_job");
	const struct {
		const char	*key;
		int64_t		 max;		/* 0 = no limit */
	} lims[] = {
		{ "max_sessions_per_user", c->max_sessions_per_user },
		{ "max_erp_sessions", c->max_erp_sessions },
	};
	size_t	 i;

	if (c->sessions_per_job == 0)
		return;		/* auto takes what the limits leave */
	for (i = 0; i < nitems(lims); i++)
		if (lims[i].max > 0 && c->sessions_per_job > lims[i].max)
			cwarn(cp, line, "[erp] sessions_per_job", "%lld is more "
			    "than [supervisor] %s (%lld): jobs will run with at "
			    "most %lld sessions; raise %s or lower "
			    "sessions_per_job", (long long)c->sessions_per_job,
			    lims[i].key, (long long)lims[i].max,
			    (long long)lims[i].max, lims[i].key);
}

/* Make a relative path absolute, against dir. */
static void
cresolve(char **p, const char *dir)
{
	char	*abs;

	if (**p == '\0' || **p == '/')
		return;
	xasprintf(&abs, "%s/%s", dir, *p);
	free(*p);
	*p = abs;
}

/* Checks across keys, and loading the credentials file. */
static void
cvalidate(struct cparse *cp, const char *dir)
{
	struct config	*c = cp->conf;
	size_t		 i;

	for (i = 0; i < nitems(erp_keys); i++)
		if (erp_keys[i].path)
			cresolve((char **)((char *)c + erp_keys[i].off), dir);
	for (i = 0; i < nitems(sv_keys); i++)
		if (sv_keys[i].path)
			cresolve((char **)((char *)c + sv_keys[i].off), dir);
	for (i = 0; i < nitems(erp_keys); i++)
		if (strcmp(erp_keys[i].name, "url") == 0)
			break;
	if (c->url[0] == '\0' && !cp->bad[0][i])	/* not said twice */
		cerror(cp, 0, "[erp] url", "missing (required)");
	csv_least(cp, "heartbeat_timeout", c->heartbeat_timeout, 3);
	csv_least(cp, "retry_backoff", c->retry_backoff, 1);
	if (c->retry_backoff_max < c->retry_backoff)
		cerror(cp, SV_LINE(cp, "retry_backoff_max"),
		    "[supervisor] retry_backoff_max",
		    "must not be less than retry_backoff");
	csv_least(cp, "poison_window", c->poison_window, 1);
	csv_least(cp, "check_every", c->check_every, 1);
	if (c->hold_ttl < 1 || c->hold_ttl > SV_HOLD_TTL_MAX)
		cerror(cp, SV_LINE(cp, "hold_ttl"), "[supervisor] hold_ttl",
		    "must be between 1s and 1d");
	csv_least(cp, "drain_timeout", c->drain_timeout, 1);
	csv_least(cp, "admin_idle_timeout", c->admin_idle_timeout, 1);
	csessions(cp);
	if (c->metrics_listen[0] != '\0' && metrics_addr(c->metrics_listen,
	    NULL, 0, NULL) == -1)
		cerror(cp, cline(cp, SECT_METRICS, metrics_keys,
		    nitems(metrics_keys), "listen"), "[metrics] listen",
		    "not an address such as 127.0.0.1:9464");
	if (c->socket_group[0] != '\0' &&
	    group_gid(c->socket_group, &c->socket_gid) == -1)
		cerror(cp, SV_LINE(cp, "socket_group"), "[supervisor] socket_group",
		    "no group \"%s\" on this system (a group name from "
		    "/etc/group, or a numeric gid)", c->socket_group);
	if (strlen(c->socket) >= sizeof(((struct sockaddr_un *)0)->sun_path))
		cerror(cp, SV_LINE(cp, "socket"), "[supervisor] socket",
		    "path too long (max %zu bytes)",
		    sizeof(((struct sockaddr_un *)0)->sun_path) - 1);
	if (c->credentials[0] == '\0') {
		cerror(cp, 0, "[erp] credentials", "missing (required)");
		return;
	}
	if (creds_load(c, c->credentials, cp->errs) == -1) {
		cp->nerr++;
		return;
	}
	if (c->system_user[0] != '\0' &&
	    config_password(c, c->system_user) == NULL)
		cerror(cp, ERP_LINE(cp, "system_user"), "[erp] system_user",
		    "no credentials for %s in %s", c->system_user,
		    c->credentials);
}

/*
 * Parse text (the contents of file name) into a new config; on errors
 * returns -1 and appends one line per error to errs.
 */
int
config_parse_string(const char *name, const char *text, struct config **out,
    struct buf *errs)
{
	struct cparse	 cp;
	char		*dir, *slash, cwd[PATH_MAX];
	int		 rc;

	memset(&cp, 0, sizeof cp);
	cp.conf = config_new();
	cp.name = name;
	cp.errs = errs;
	cp.p = text;

	ini_use_stack = 0;
	ini_allow_realloc = 0;
	ini_max_line = CONF_LINE_MAX;
	ini_initial_alloc = CONF_LINE_MAX;
	ini_allow_multiline = 0;
	ini_stop_on_first_error = 0;
	/* The handler never fails, so inih's error is a syntax error's line. */
	rc = ini_parse_stream(creader, &cp, chandler, &cp);
	if (rc > 0)
		cerror(&cp, rc, NULL, "syntax error (expected [section] or "
		    "key = value)");
	else if (rc < 0)
		cerror(&cp, 0, NULL, "cannot parse (out of memory)");

	if (name[0] == '/')
		dir = xstrdup(name);
	else if (getcwd(cwd, sizeof cwd) != NULL)
		xasprintf(&dir, "%s/%s", cwd, name);
	else
		dir = xstrdup(name);
	free(cp.conf->path);
	cp.conf->path = xstrdup(dir);
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	cvalidate(&cp, dir[0] != '\0' ? dir : "/");
	free(dir);

	if (cp.nerr > 0) {
		config_free(cp.conf);
		*out = NULL;
		return -1;
	}
	*out = cp.conf;
	return 0;
}

/* Log each warning of a config (erpsyncd -n, start-up, reload). */
void
config_log_warnings(const struct config *c)
{
	const char	*p, *nl;

	for (p = c->warnings; p != NULL && *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p) - 1;
		log_warnx("%.*s", (int)(nl - p), p);
	}
}

/* Read and parse the config file at path; its warnings are logged. */
int
config_load(const char *path, struct config **out, struct buf *errs)
{
	struct buf	 text;
	char		 chunk[8192];
	ssize_t		 n;
	int		 fd, rc;

	*out = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		buf_addf(errs, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	buf_init(&text);
	while ((n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 || text.len > 1024 * 1024) {
			buf_addf(errs, "%s: %s\n", path, n == -1 ?
			    strerror(errno) : "file too large");
			close(fd);
			buf_free(&text);
			return -1;
		}
		buf_add(&text, chunk, (size_t)n);
	}
	close(fd);
	buf_addc(&text, '\0');
	rc = config_parse_string(path, text.data, out, errs);
	buf_free(&text);
	if (rc == 0)
		config_log_warnings(*out);
	return rc;
}
