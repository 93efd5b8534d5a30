/*
 * data.c — the record tables: one per view, and per agent for customers and
 * orders. Rows are compact arrays of typed values in stored form; deleted
 * rows stay as tombstones so row numbers never move. Every change bumps the
 * table's generation, which invalidates the sessions' cached row orders.
 */
#include <stdlib.h>
#include <string.h>

#include "tests/erpsim/erpsim.h"

static struct table *
table_new(enum kind k, int user)
{
	struct table	*t = xcalloc(1, sizeof(*t));

	t->def = &views[k];
	t->user = user;
	t->gen = 1;
	rng_seed(&t->rng, sim.conf.seed * 1000003ULL + (uint64_t)k * 7919 +
	    (uint64_t)(user + 1) * 104729);
	return t;
}

static void
table_free(struct table *t)
{
	if (t == NULL)
		return;
	free(t->hdr);
	free(t->v);
	free(t);
}

/* The table of kind k as user sees it (shared kinds ignore user). */
struct table *
data_table(enum kind k, int user)
{
	if (!views[k].per_user)
		return sim.tables[k][0];
	if (user < 0 || user >= sim.nusers)
		return NULL;
	return sim.tables[k][user];
}

/* Append an empty row (every value NULL) with a fresh uid; its index. */
size_t
table_add(struct table *t)
{
	size_t	 nc = (size_t)t->def->ncols, row, i;

	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->hdr = xreallocarray(t->hdr, t->cap, sizeof(*t->hdr));
		t->v = xreallocarray(t->v, t->cap * nc, sizeof(*t->v));
	}
	row = t->n++;
	t->hdr[row].uid = ++sim.next_uid;
	t->hdr[row].dead = 0;
	t->hdr[row].flag = 0;
	for (i = 0; i < nc; i++) {
		if (t->def->cols[i].type == CT_TEXT ||
		    t->def->cols[i].type == CT_IMAGE)
			CELL(t, row, i).s = NULL;
		else
			CELL(t, row, i).i = VNULL;
	}
	t->live++;
	t->gen++;
	return row;
}

/* Delete a row: it disappears from grids and dumps. */
void
table_kill(struct table *t, size_t row)
{
	if (t->hdr[row].dead)
		return;
	t->hdr[row].dead = 1;
	t->live--;
	t->gen++;
}

/* Note that some value of the table changed. */
void
table_touch(struct table *t)
{
	t->gen++;
}

/* A random live row, or SIZE_MAX when there is none. */
size_t
table_pick_live(struct table *t, struct rng *r)
{
	size_t	 row, i;
	int	 tries;

	if (t->live == 0)
		return SIZE_MAX;
	for (tries = 0; tries < 64; tries++) {
		row = rng_below(r, (uint32_t)t->n);
		if (!t->hdr[row].dead)
			return row;
	}
	row = rng_below(r, (uint32_t)t->n);
	for (i = 0; i < t->n; i++)
		if (!t->hdr[(row + i) % t->n].dead)
			return (row + i) % t->n;
	return SIZE_MAX;
}

/*
 * Generate every table from the seed. Customers are made agent by agent in
 * turns so internal ids interleave; orders follow their agent's customers,
 * prices follow the products.
 */
void
data_init(void)
{
	struct table	*t;
	struct rng	 r;
	int		 u, j;
	size_t		 row;

	rng_seed(&r, sim.conf.seed);
	sim.next_custid = 10000 + rng_range(&r, 0, 2500);
	sim.next_account = 100 + rng_range(&r, 0, 50);
	sim.next_order = 50000 + rng_range(&r, 0, 9000);
	sim.next_salesid = 26000000 + rng_range(&r, 0, 400);
	sim.next_item = 100000 + rng_range(&r, 0, 5000);
	sim.next_recid = 5637144576LL + rng_range(&r, 0, 100000);
	rng_seed(&sim.mut, sim.conf.seed ^ 0x6d757461746531ULL);
	rng_seed(&sim.rt, sim.conf.seed ^ 0x72756e74696d65ULL);

	for (u = 0; u < sim.nusers; u++) {
		sim.tables[K_CUSTOMERS][u] = table_new(K_CUSTOMERS, u);
		sim.tables[K_ORDERS][u] = table_new(K_ORDERS, u);
	}
	sim.tables[K_PRODUCTS][0] = table_new(K_PRODUCTS, -1);
	sim.tables[K_PRICES][0] = table_new(K_PRICES, -1);

	for (j = 0; j < sim.conf.ncust; j++)
		for (u = 0; u < sim.nusers; u++) {
			if (!sim.users[u].agent)
				continue;
			t = sim.tables[K_CUSTOMERS][u];
			row = table_add(t);
			gen_customer(t, row, &t->rng, 0);
		}
	for (u = 0; u < sim.nusers; u++) {
		if (!sim.users[u].agent)
			continue;
		t = sim.tables[K_ORDERS][u];
		for (j = 0; j < sim.conf.nord; j++) {
			row = table_add(t);
			gen_order(t, row, &t->rng, 0);
		}
	}
	t = sim.tables[K_PRODUCTS][0];
	for (j = 0; j < sim.conf.nprod; j++) {
		row = table_add(t);
		gen_product(t, row, &t->rng, 0);
	}
	t = sim.tables[K_PRICES][0];
	for (j = 0; j < sim.conf.nprice; j++) {
		row = table_add(t);
		gen_price(t, row, &t->rng, 0);
	}
}

/* Free every table. */
void
data_free(void)
{
	int	 k, u;

	for (k = 0; k < K_COUNT; k++)
		for (u = 0; u < SIM_MAXUSERS; u++) {
			table_free(sim.tables[k][u]);
			sim.tables[k][u] = NULL;
		}
}
