/*
 * mutate.c — records inserted, changed and deleted while syncs run:
 * POST /_sim/mutate on demand, and --churn every N grid pages served.
 * Changes are stamped with the simulator's clock (sim_now), which is
 * always later than every generated modification time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/erpsim/erpsim.h"

typedef void (*genfn)(struct table *, size_t, struct rng *, int64_t);

static const genfn gens[K_COUNT] = { gen_customer, gen_order, gen_product,
    gen_price };
static const genfn upds[K_COUNT] = { upd_customer, upd_order, upd_product,
    upd_price };

static void
key_json(struct buf *b, const struct table *t, size_t row, int *first)
{
	if (b == NULL)
		return;
	if (!*first)
		buf_addc(b, ',');
	*first = 0;
	json_str(b, CELL(t, row, t->def->key).s);
}

/*
 * Insert, update and delete records of kind k (user's for per-agent kinds)
 * and, when json is not NULL, append the affected keys as JSON members.
 */
void
mutate_kind(enum kind k, int user, int nins, int nupd, int ndel,
    struct buf *json)
{
	struct table	*t = data_table(k, user);
	int64_t		 now = sim_now();
	size_t		 row;
	int		 i, first;

	if (json != NULL)
		buf_adds(json, "\"inserted\":[");
	for (i = 0, first = 1; i < nins; i++) {
		row = table_add(t);
		gens[k](t, row, &sim.mut, now);
		sim.stats.m_insert++;
		key_json(json, t, row, &first);
	}
	if (json != NULL)
		buf_adds(json, "],\"updated\":[");
	for (i = 0, first = 1; i < nupd; i++) {
		if ((row = table_pick_live(t, &sim.mut)) == SIZE_MAX)
			break;
		upds[k](t, row, &sim.mut, now);
		sim.stats.m_update++;
		key_json(json, t, row, &first);
	}
	if (json != NULL)
		buf_adds(json, "],\"deleted\":[");
	for (i = 0, first = 1; i < ndel; i++) {
		if ((row = table_pick_live(t, &sim.mut)) == SIZE_MAX)
			break;
		key_json(json, t, row, &first);
		table_kill(t, row);
		sim.stats.m_delete++;
	}
	if (json != NULL)
		buf_adds(json, "]");
}

static int
random_agent(void)
{
	int	 agents[SIM_MAXUSERS], n = 0, u;

	for (u = 0; u < sim.nusers; u++)
		if (sim.users[u].agent)
			agents[n++] = u;
	return n == 0 ? -1 : agents[rng_below(&sim.mut, (uint32_t)n)];
}

static int
count(const struct form *f, const char *k, int *out)
{
	const char	*v = form_get(f, k);
	char		*end;
	long		 n;

	*out = 0;
	if (v == NULL)
		return 0;
	n = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || n < 0 || n > 100000)
		return -1;
	*out = (int)n;
	return 0;
}

/* POST /_sim/mutate?kind=K[&user=U]&insert=N&update=N&delete=N. */
void
sim_mutate(struct ctx *c)
{
	const char	*kind = form_get(&c->query, "kind");
	const char	*user = form_get(&c->query, "user");
	struct buf	*b = reply_body(c->rep);
	char		 at[FMT_MAX];
	int		 k, u = -1, nins, nupd, ndel;

	if (!c->post) {
		reply_error(c, 405, "use POST");
		return;
	}
	if (kind == NULL || (k = view_by_name(kind)) < 0) {
		reply_error(c, 400, "kind= must be customers, orders, products "
		    "or prices");
		return;
	}
	if (count(&c->query, "insert", &nins) == -1 ||
	    count(&c->query, "update", &nupd) == -1 ||
	    count(&c->query, "delete", &ndel) == -1) {
		reply_error(c, 400, "insert=, update=, delete= take a count");
		return;
	}
	if (views[k].per_user) {
		u = user != NULL ? user_by_name(user) : random_agent();
		if (u < 0) {
			reply_error(c, 400, "unknown user");
			return;
		}
	}
	buf_adds(b, "{\"kind\":");
	json_str(b, views[k].name);
	if (u >= 0) {
		buf_adds(b, ",\"user\":");
		json_str(b, sim.users[u].name);
	}
	buf_adds(b, ",");
	mutate_kind((enum kind)k, u, nins, nupd, ndel, b);
	fmt_datetime(at, sim.last_mtime, 1);
	buf_addf(b, ",\"at\":\"%s\"}\n", at);
	if (sim.conf.verbose)
		log_info("mutate %s%s%s: +%d ~%d -%d", views[k].name,
		    u >= 0 ? " of " : "", u >= 0 ? sim.users[u].name : "",
		    nins, nupd, ndel);
	reply_json(c, 200);
}

/* One round of --churn: insert, update and delete one record somewhere. */
void
mutate_churn(void)
{
	enum kind	 k = (enum kind)(sim.stats.churns % K_COUNT);
	int		 u = -1;

	sim.stats.churns++;
	if (views[k].per_user && (u = random_agent()) < 0)
		return;
	mutate_kind(k, u, 1, 1, 1, NULL);
	if (sim.conf.verbose)
		log_info("churn %s%s%s", views[k].name, u >= 0 ? " of " : "",
		    u >= 0 ? sim.users[u].name : "");
}
