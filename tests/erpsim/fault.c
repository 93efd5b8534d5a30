/*
 * fault.c — the contract-breaking --drop-column, and POST /_sim/faults,
 * which changes any fault setting while the server runs (the schedule of
 * the rates is in schedule.c).
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tests/erpsim/erpsim.h"

/*
 * Set the fieldname every grid leaves out ("" = none), as an ERP upgrade
 * that removed a column would. Fieldnames are letters, digits and '_'.
 */
int
fault_set_drop_col(struct faultconf *f, const char *field)
{
	size_t	 i, n = strlen(field);

	if (n >= sizeof f->drop_col)
		return -1;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)field[i]) && field[i] != '_')
			return -1;
	memcpy(f->drop_col, field, n + 1);
	return 0;
}

/* Does the grid leave this column out (header cell and row cells)? */
int
fault_col_dropped(const struct lcol *lc)
{
	return sim.faults.drop_col[0] != '\0' && lc->field != NULL &&
	    strcmp(lc->field, sim.faults.drop_col) == 0;
}

/*
 * Set dst to a list of names separated by commas, each letters, digits,
 * '-', '_' or '.'; "" = none.
 */
static int
set_names(char *dst, size_t size, const char *names)
{
	size_t	 i, n = strlen(names);

	if (n >= size)
		return -1;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)names[i]) && names[i] != ',' &&
		    names[i] != '-' && names[i] != '_' && names[i] != '.')
			return -1;
	memcpy(dst, names, n + 1);
	return 0;
}

/* Is name one of the names in list (set_names)? */
static int
names_have(const char *list, const char *name)
{
	const char	*p;
	size_t		 n = strlen(name);

	if (list[0] == '\0' || n == 0)
		return 0;
	for (p = list; (p = strstr(p, name)) != NULL; p += n)
		if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
			return 1;
	return 0;
}

/*
 * Does row's cell of column cd show "n.d."? Numbers and dates of the
 * records bad-values names (a cell the contract's formats do not allow,
 * as a computed column of a real ERP shows when its formula fails); never
 * the key, nor a date and time (the probes and the watermark read those).
 */
int
fault_bad_value(const struct table *t, size_t row, const struct coldef *cd)
{
	const char	*key;

	if (sim.faults.bad_keys[0] == '\0' ||
	    cd == &t->def->cols[t->def->key] ||
	    (cd->type != CT_INT && cd->type != CT_DEC && cd->type != CT_DATE))
		return 0;
	key = CELL(t, row, t->def->key).s;
	return key != NULL && names_have(sim.faults.bad_keys, key);
}

/*
 * Must user change an expired password before logging in? Then the login
 * answers with the password change page (expired-users).
 */
int
fault_password_expired(const char *user)
{
	return names_have(sim.faults.expired, user);
}

/* The name of each fault's rate, in /_sim/faults and its flag. */
static const char *const rate_names[F_COUNT] = {
	[F_DROP] = "drop-rate", [F_FAIL] = "fail-rate",
	[F_TRUNC] = "truncate-rate", [F_CUT] = "cut-rate",
	[F_RESET] = "reset-rate", [F_STALE] = "stale-rate",
	[F_ERRORPAGE] = "errorpage-rate",
};

/* The current fault settings as one JSON object. */
void
faults_json(struct buf *b)
{
	int	 j;

	buf_addf(b, "{\"latency\":%lld", (long long)sim.faults.latency_ms);
	for (j = F_NONE + 1; j < F_COUNT; j++)
		buf_addf(b, ",\"%s\":%g", rate_names[j], sim.faults.rate[j]);
	buf_addf(b, ",\"expire-every\":%u,\"max-sessions\":%u,"
	    "\"session-idle\":%d,\"churn\":%u,\"drop-column\":",
	    sim.faults.expire_every, sim.faults.max_sessions,
	    sim.conf.session_idle, sim.conf.churn);
	json_str(b, sim.faults.drop_col);
	buf_adds(b, ",\"bad-values\":");
	json_str(b, sim.faults.bad_keys);
	buf_adds(b, ",\"expired-users\":");
	json_str(b, sim.faults.expired);
	buf_adds(b, "}\n");
}

static int
get_rate(const char *s, double *out)
{
	char	*end;
	double	 d;

	errno = 0;
	d = strtod(s, &end);
	if (*s == '\0' || *end != '\0' || errno != 0 || !(d >= 0 && d <= 1))
		return -1;
	*out = d;
	return 0;
}

static int
get_uint(const char *s, long max, long *out)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < 0 || v > max)
		return -1;
	*out = v;
	return 0;
}

/* A rate setting: its fault's schedule restarts (bit in *named). */
static int
set_rate(const char *v, double *out, enum fault which, unsigned *named)
{
	*named |= 1U << which;
	return get_rate(v, out);
}

static int
apply_one(struct faultconf *f, struct simconf *sc, const char *k,
    const char *v, unsigned *named)
{
	long	 n;
	int	 j;

	for (j = F_NONE + 1; j < F_COUNT; j++)
		if (strcmp(k, rate_names[j]) == 0)
			return set_rate(v, &f->rate[j], (enum fault)j, named);
	if (strcmp(k, "drop-column") == 0)
		return fault_set_drop_col(f, v);
	if (strcmp(k, "bad-values") == 0)
		return set_names(f->bad_keys, sizeof f->bad_keys, v);
	if (strcmp(k, "expired-users") == 0)
		return set_names(f->expired, sizeof f->expired, v);
	if (get_uint(v, 100000000L, &n) == -1)
		return -1;
	if (strcmp(k, "latency") == 0)
		f->latency_ms = n;
	else if (strcmp(k, "expire-every") == 0)
		f->expire_every = (unsigned)n;
	else if (strcmp(k, "max-sessions") == 0)
		f->max_sessions = (unsigned)n;
	else if (strcmp(k, "session-idle") == 0)
		sc->session_idle = (int)n;
	else if (strcmp(k, "churn") == 0)
		sc->churn = (unsigned)n;
	else
		return -1;
	return 0;
}

/*
 * GET or POST /_sim/faults?fail-rate=..&latency=..: change the named
 * settings (all or none) and answer with the settings now in force. The
 * schedule of every rate named starts over, as if erpsim had just started.
 */
void
sim_faults(struct ctx *c)
{
	struct faultconf	 f = sim.faults;
	struct simconf		 sc = sim.conf;
	const struct form	*forms[] = { &c->query, &c->body };
	struct buf		*b = reply_body(c->rep), said;
	size_t			 i;
	unsigned		 named = 0;
	int			 j;

	for (i = 0; i < nitems(forms); i++)
		for (j = 0; j < forms[i]->n; j++)
			if (apply_one(&f, &sc, forms[i]->k[j],
			    forms[i]->v[j], &named) == -1) {
				reply_error(c, 400, "bad fault setting");
				return;
			}
	sim.faults = f;
	sim.conf.session_idle = sc.session_idle;
	sim.conf.churn = sc.churn;
	for (j = 0; j < F_COUNT; j++)
		if (named & (1U << j))
			fault_restart((enum fault)j);
	if (c->query.n + c->body.n > 0) {
		buf_init(&said);
		buf_addf(&said, "latency=%lld", (long long)f.latency_ms);
		for (j = F_NONE + 1; j < F_COUNT; j++)
			buf_addf(&said, " %s=%g", rate_names[j], f.rate[j]);
		buf_addf(&said, " expire-every=%u max-sessions=%u "
		    "drop-column=%s bad-values=%s expired-users=%s",
		    f.expire_every, f.max_sessions,
		    f.drop_col[0] != '\0' ? f.drop_col : "-",
		    f.bad_keys[0] != '\0' ? f.bad_keys : "-",
		    f.expired[0] != '\0' ? f.expired : "-");
		log_info("faults changed: %s", said.data);
		buf_free(&said);
	}
	faults_json(b);
	reply_json(c, 200);
}
