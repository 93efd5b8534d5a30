/*
 * gen_items.c — products and prices, and the small generators every kind
 * shares (past times, money, long text). Products come in families that
 * share a NAME (packaging variants); prices point at a product by item id,
 * or only by a name that may differ in case, dots, spaces and dashes.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "tests/erpsim/erpsim.h"

static const char *const item_prefixes[] = { "801", "H1SE", "6801", "H48L",
    "KP", "9004", "ZR", "CA", "S6", "4ZR", "H375R", "8863" };

/* A modification time in the three years before SIM_DATA_END. */
int64_t
gen_past(struct rng *r)
{
	return SIM_DATA_END - rng_range(r, 0, 3 * 365 * 86400);
}

/* An amount in hundredths with up to digits integer digits, skewed low. */
int64_t
gen_money(struct rng *r, int digits)
{
	int64_t		 lo = 1, units;
	uint32_t	 e = rng_below(r, (uint32_t)(digits > 0 ? digits : 1));
	int		 cents;

	while (e-- > 0)
		lo *= 10;
	units = rng_range(r, lo, lo * 10 - 1);
	switch (rng_below(r, 5)) {
	case 0:
		cents = 0;
		break;
	case 1:
		cents = (int)rng_below(r, 10) * 10;
		break;
	default:
		cents = (int)rng_below(r, 100);
		break;
	}
	return units * 100 + cents;
}

/* At least min bytes of notes made of whole sentences. */
const char *
gen_long_text(struct rng *r, size_t min)
{
	struct buf	 b;
	const char	*s;

	buf_init(&b);
	while (b.len < min) {
		if (b.len > 0)
			buf_addc(&b, ' ');
		buf_adds(&b, pick(r, &w_sentences));
	}
	s = arena_strndup(b.data, b.len);
	buf_free(&b);
	return s;
}

static void
collapse(char *s)
{
	char	*o = s, *p;

	for (p = s; *p != '\0'; p++) {
		if (*p == ' ' && (o == s || o[-1] == ' '))
			continue;
		*o++ = *p;
	}
	while (o > s && o[-1] == ' ')
		o--;
	*o = '\0';
}

/* name, differing in case, dots, spaces or dashes (never empty). */
static const char *
vary_name(struct rng *r, const char *name)
{
	char		 tmp[512];
	uint32_t	 mode = rng_below(r, 6);
	size_t		 i, n = 0;

	for (i = 0; name[i] != '\0' && n + 1 < sizeof(tmp); i++) {
		char	 c = name[i];

		switch (mode) {
		case 0:
			break;
		case 1:
			c = (char)tolower((unsigned char)c);
			break;
		case 2:
			if (c == '.')
				continue;
			break;
		case 3:
			if (c == '-')
				c = ' ';
			break;
		case 4:
			if (c == ' ')
				continue;
			c = (char)tolower((unsigned char)c);
			break;
		default:
			if (c == '.' || c == '-')
				c = ' ';
			break;
		}
		tmp[n++] = c;
	}
	tmp[n] = '\0';
	collapse(tmp);
	if (tmp[0] == '\0')
		return name;
	return arena_strdup(tmp);
}

static const char *
product_name(struct rng *r)
{
	uint32_t	 a = 100 + rng_below(r, 900), b = rng_below(r, 1000);
	const char	*type = pick(r, &w_ptypes), *attr = pick(r, &w_pattrs);

	switch (rng_below(r, 4)) {
	case 0:
		return arena_printf("%s %s %u-%03u.%03u", type, attr,
		    1 + rng_below(r, 9), a, b);
	case 1:
		return arena_printf("%s %s.%u.%03u", type,
		    item_prefixes[rng_below(r, nitems(item_prefixes))], a, b);
	case 2:
		return arena_printf("%s - %s %u", type, attr, a);
	default:
		return arena_printf("%s %s %u.%03u", type, attr, a, b);
	}
}

static const char *
search_name(const char *name)
{
	char	 tmp[24];
	size_t	 n = 0;

	for (; *name != '\0' && n < 20; name++)
		if (isalnum((unsigned char)*name) &&
		    !((unsigned char)*name & 0x80))
			tmp[n++] = (char)toupper((unsigned char)*name);
	return n > 0 ? arena_strndup(tmp, n) : NULL;
}

static void
product_desc(struct table *t, size_t row, struct rng *r)
{
	uint32_t	 x = rng_below(r, 20);

	if (x < 2)
		CELL(t, row, P_DESC).s = NULL;
	else if (x < 7)
		CELL(t, row, P_DESC).s = gen_long_text(r, 300);
	else
		CELL(t, row, P_DESC).s = pick(r, &w_sentences);
}

static void
product_qty(struct table *t, size_t row, struct rng *r)
{
	static const int64_t mins[] = { 100, 100, 100, 500, 1000, 50, 250 };
	static const int64_t mults[] = { 100, 100, 500, 1000, 50 };
	static const int64_t maxs[] = { 100000, 150000, 250050, 99900, 5000,
	    1000000 };

	CELL(t, row, P_MINQTY).i = mins[rng_below(r, nitems(mins))];
	CELL(t, row, P_MULTQTY).i = mults[rng_below(r, nitems(mults))];
	CELL(t, row, P_MAXQTY).i = rng_chance(r, 0.5) ? VNULL :
	    maxs[rng_below(r, nitems(maxs))];
}

/* Fill row of the products table; often a packaging variant of the last. */
void
gen_product(struct table *t, size_t row, struct rng *r, int64_t mtime)
{
	const char	*id;
	int		 variant;

	variant = row > 0 && !t->hdr[row - 1].dead && rng_chance(r, 0.35);
	sim.next_item += 1 + rng_below(r, 7);
	id = arena_printf("%s.%lld.%03lld",
	    item_prefixes[rng_below(r, nitems(item_prefixes))],
	    (long long)(sim.next_item / 1000), (long long)(sim.next_item % 1000));
	CELL(t, row, P_ID).s = id;
	if (variant) {
		CELL(t, row, P_NAME).s = CELL(t, row - 1, P_NAME).s;
		CELL(t, row, P_GROUP).s = CELL(t, row - 1, P_GROUP).s;
		CELL(t, row, P_DESC).s = CELL(t, row - 1, P_DESC).s;
		if (rng_chance(r, 0.3))
			product_desc(t, row, r);
	} else {
		CELL(t, row, P_NAME).s = product_name(r);
		CELL(t, row, P_GROUP).s = pick(r, &w_groups);
		product_desc(t, row, r);
	}
	if (rng_chance(r, 0.75))
		CELL(t, row, P_IMAGE).s = arena_printf("%s/img/%s.jpg",
		    sim.conf.base, id);
	CELL(t, row, P_PACKAGE).s = pick(r, &w_packages);
	CELL(t, row, P_SEARCH).s = search_name(CELL(t, row, P_NAME).s);
	CELL(t, row, P_UNIT).s = pick(r, &w_units);
	product_qty(t, row, r);
	CELL(t, row, P_MODIFIED).i = mtime ? mtime : gen_past(r);
}

/* Change a product: description, package, quantities or image. */
void
upd_product(struct table *t, size_t row, struct rng *r, int64_t mtime)
{
	switch (rng_below(r, 4)) {
	case 0:
		product_desc(t, row, r);
		break;
	case 1:
		CELL(t, row, P_PACKAGE).s = pick(r, &w_packages);
		break;
	case 2:
		product_qty(t, row, r);
		break;
	default:
		CELL(t, row, P_IMAGE).s = CELL(t, row, P_IMAGE).s != NULL ?
		    NULL : arena_printf("%s/img/%s.jpg", sim.conf.base,
		    CELL(t, row, P_ID).s);
		break;
	}
	CELL(t, row, P_MODIFIED).i = mtime;
	table_touch(t);
}

static void
price_account(struct table *t, size_t row, struct rng *r)
{
	struct table	*ct;
	size_t		 crow;
	uint32_t	 x = rng_below(r, 100);
	int		 u;

	if (x < 40 && sim.nusers > 0) {
		u = (int)rng_below(r, (uint32_t)sim.nusers);
		ct = sim.tables[K_CUSTOMERS][u];
		if (ct != NULL &&
		    (crow = table_pick_live(ct, r)) != SIZE_MAX) {
			CELL(t, row, R_ACCOUNT).s = CELL(ct, crow, C_ACCOUNT).s;
			CELL(t, row, R_ACCDESC).s = CELL(ct, crow, C_NAME).s;
			return;
		}
	}
	if (x < 90) {
		CELL(t, row, R_ACCOUNT).s = arena_printf("LIST%02u",
		    1 + rng_below(r, 12));
		CELL(t, row, R_ACCDESC).s = pick(r, &w_pricelists);
	} else if (x < 96)
		CELL(t, row, R_ACCDESC).s = "Tutti i clienti";
}

static void
price_amount(struct table *t, size_t row, struct rng *r)
{
	uint32_t	 x = rng_below(r, 100);

	if (x < 4)
		CELL(t, row, R_AMOUNT).i = -gen_money(r, 2);
	else if (x < 8)
		CELL(t, row, R_AMOUNT).i = gen_money(r, 7);
	else
		CELL(t, row, R_AMOUNT).i = gen_money(r, 3);
}

/* Fill row of the prices table. */
void
gen_price(struct table *t, size_t row, struct rng *r, int64_t mtime)
{
	static const int64_t qfrom[] = { 0, 0, 100, 100, 1000, 5000, 10000 };
	static const int64_t qspan[] = { 900, 4900, 9900, 99900, 50 };
	struct table	*pt = sim.tables[K_PRODUCTS][0];
	size_t		 prow;
	uint32_t	 x;
	int64_t		 from;

	sim.next_recid += 1 + rng_below(r, 4);
	CELL(t, row, R_ID).s = arena_printf("%lld", (long long)sim.next_recid);
	price_account(t, row, r);
	prow = pt != NULL ? table_pick_live(pt, r) : SIZE_MAX;
	x = rng_below(r, 100);
	if (prow == SIZE_MAX)
		CELL(t, row, R_ITEMDESC).s = "Articolo generico";
	else if (x < 85) {
		CELL(t, row, R_ITEM).s = CELL(pt, prow, P_ID).s;
		CELL(t, row, R_ITEMDESC).s = CELL(pt, prow, P_NAME).s;
	} else {
		if (x >= 92)
			CELL(t, row, R_ITEM).s = arena_printf("OLD.%u.%03u",
			    100 + rng_below(r, 900), rng_below(r, 1000));
		CELL(t, row, R_ITEMDESC).s = vary_name(r,
		    CELL(pt, prow, P_NAME).s);
	}
	from = (mtime ? mtime : gen_past(r)) / 86400 - rng_range(r, 0, 400);
	CELL(t, row, R_FROM).i = from;
	if (rng_chance(r, 0.5))
		CELL(t, row, R_TO).i = from + rng_range(r, 30, 730);
	CELL(t, row, R_QTYFROM).i = qfrom[rng_below(r, nitems(qfrom))];
	if (rng_chance(r, 0.6))
		CELL(t, row, R_QTYTO).i = CELL(t, row, R_QTYFROM).i +
		    qspan[rng_below(r, nitems(qspan))];
	price_amount(t, row, r);
	x = rng_below(r, 100);
	CELL(t, row, R_CURRENCY).s = x < 90 ? "EUR" : x < 95 ? "CHF" : "USD";
	CELL(t, row, R_MODIFIED).i = mtime ? mtime : gen_past(r);
}

/* Change a price: a new amount, sometimes a new end of validity. */
void
upd_price(struct table *t, size_t row, struct rng *r, int64_t mtime)
{
	int64_t	 a = CELL(t, row, R_AMOUNT).i;

	if (a == VNULL || a == 0 || rng_chance(r, 0.2))
		price_amount(t, row, r);
	else
		CELL(t, row, R_AMOUNT).i = a + a * rng_range(r, -15, 15) / 100 +
		    (rng_chance(r, 0.5) ? 1 : -1);
	if (rng_chance(r, 0.3))
		CELL(t, row, R_TO).i = mtime / 86400 + rng_range(r, 30, 365);
	CELL(t, row, R_MODIFIED).i = mtime;
	table_touch(t);
}
