/*
 * gen_people.c — customers and orders: how a new one looks and how an
 * existing one changes (for /_sim/mutate and --churn). Keys come from
 * global counters so they stay unique across agents and grow for new rows.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "tests/erpsim/erpsim.h"

/* Lower-case ASCII letters and digits of s (for e-mail and web names). */
char *
gen_slug(const char *s, char *out, size_t len)
{
	size_t	 n = 0;

	for (; *s != '\0' && n + 1 < len && n < 20; s++)
		if (isalnum((unsigned char)*s) && !((unsigned char)*s & 0x80))
			out[n++] = (char)tolower((unsigned char)*s);
	if (n == 0)
		out[n++] = 'x';
	out[n] = '\0';
	return out;
}

static int
is_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s & 0x80)
			return 0;
	return 1;
}

static const char *
customer_name(struct rng *r, int person, const char *sur, const char *first,
    int female)
{
	char	 tmp[256];
	size_t	 i;

	if (person) {
		switch (rng_below(r, 4)) {
		case 0:
			return arena_printf("%s %s %s", female ? "Dott.ssa" :
			    "Dott.", first, sur);
		case 1:
			return arena_printf("%s %s", sur, first);
		case 2:
			return arena_printf("Dott.ssa %s %s",
			    pick(r, &w_female), sur);
		default:
			return arena_printf("Studio %s %s %s", female ?
			    "Dott.ssa" : "Dott.", first, sur);
		}
	}
	switch (rng_below(r, 6)) {
	case 0:
	case 1:
		snprintf(tmp, sizeof(tmp), "%s %s %s", pick(r, &w_business),
		    sur, pick(r, &w_legal));
		break;
	case 2:
		snprintf(tmp, sizeof(tmp), "%s %s", pick(r, &w_business),
		    pick(r, &w_fancy));
		break;
	case 3:
		snprintf(tmp, sizeof(tmp), "%s %s", pick(r, &w_fancy),
		    pick(r, &w_legal));
		break;
	case 4:
		snprintf(tmp, sizeof(tmp), "%s & %s %s", sur,
		    pick(r, &w_surnames), pick(r, &w_legal));
		break;
	default:
		snprintf(tmp, sizeof(tmp), "%s di %s %s %s",
		    pick(r, &w_business), first, sur, pick(r, &w_legal));
		break;
	}
	if (rng_chance(r, 0.15) && is_ascii(tmp))
		for (i = 0; tmp[i] != '\0'; i++)
			tmp[i] = (char)toupper((unsigned char)tmp[i]);
	return arena_strdup(tmp);
}

static const char *
digits_str(struct rng *r, const char *prefix, int n)
{
	char	 tmp[64];
	int	 i, len;

	len = snprintf(tmp, sizeof(tmp), "%s", prefix);
	for (i = 0; i < n && len < (int)sizeof(tmp) - 1; i++)
		tmp[len++] = (char)('0' + rng_below(r, 10));
	tmp[len] = '\0';
	return arena_strdup(tmp);
}

static const char *
fiscal_person(struct rng *r, const char *sur, const char *first)
{
	static const char months[] = "ABCDEHLMPRST";
	char	 tmp[20];
	int	 n = 0, i;
	const char *parts[2] = { sur, first };

	for (i = 0; i < 2; i++) {
		const char	*p = parts[i];
		int		 got = 0;

		for (; *p != '\0' && got < 3; p++)
			if (isalpha((unsigned char)*p) &&
			    !((unsigned char)*p & 0x80)) {
				tmp[n++] = (char)toupper((unsigned char)*p);
				got++;
			}
		for (; got < 3; got++)
			tmp[n++] = 'X';
	}
	n += snprintf(tmp + n, sizeof(tmp) - (size_t)n, "%02u%c%02u%c%03u%c",
	    50 + rng_below(r, 50), months[rng_below(r, 12)],
	    1 + rng_below(r, 28) + (rng_chance(r, 0.4) ? 40 : 0),
	    'A' + (char)rng_below(r, 26), rng_below(r, 1000),
	    'A' + (char)rng_below(r, 26));
	return arena_strndup(tmp, (size_t)n);
}

static const char *
street(struct rng *r)
{
	const char	*type = pick(r, &w_streettype), *name;

	name = pick(r, &w_streetname);
	switch (rng_below(r, 8)) {
	case 0:
		return arena_printf("%s %s snc", type, name);
	case 1:
		return arena_printf("%s %s %u/%c", type, name,
		    1 + rng_below(r, 200), 'A' + (char)rng_below(r, 4));
	case 2:
		return arena_printf("%s %s, km %u,%03u", type, name,
		    1 + rng_below(r, 90), rng_below(r, 1000));
	case 3:
		return arena_printf("%s %s n. %u", type, name,
		    1 + rng_below(r, 300));
	default:
		return arena_printf("%s %s, %u", type, name,
		    1 + rng_below(r, 300));
	}
}

static const char *
phone(struct rng *r, const struct city *c)
{
	switch (rng_below(r, 3)) {
	case 0:
		return arena_printf("+39 %s %u", c->phone,
		    1000000 + rng_below(r, 8999999));
	case 1:
		return arena_printf("%s/%u", c->phone,
		    100000 + rng_below(r, 899999));
	default:
		return arena_printf("%s %u %u", c->phone,
		    100 + rng_below(r, 899), 1000 + rng_below(r, 8999));
	}
}

static const char *
mobile(struct rng *r)
{
	if (rng_chance(r, 0.5))
		return arena_printf("+39 3%02u %u", rng_below(r, 100),
		    1000000 + rng_below(r, 8999999));
	return arena_printf("3%02u%07u", rng_below(r, 100),
	    rng_below(r, 10000000));
}

static const char *
attention(struct rng *r)
{
	uint32_t	 x = rng_below(r, 20);

	if (x == 0)
		return gen_long_text(r, 300);
	if (x < 8)
		return arena_printf("%s %s %s",
		    rng_chance(r, 0.5) ? "Sig." : "Dott.ssa",
		    pick(r, &w_female), pick(r, &w_surnames));
	if (x < 12)
		return arena_printf("Dott. %s %s", pick(r, &w_firstnames),
		    pick(r, &w_surnames));
	return pick(r, &w_notes);
}

/* Fill row of a customers table: a new customer (mtime 0 = in the past). */
void
gen_customer(struct table *t, size_t row, struct rng *r, int64_t mtime)
{
	const struct city *c = &w_cities[rng_below(r, (uint32_t)w_ncities)];
	const char	*sur = pick(r, &w_surnames), *first, *name, *vat = NULL;
	char		 slug[32];
	int		 person = rng_chance(r, 0.25), female;
	int64_t		 orders;

	female = rng_chance(r, 0.3);
	first = female ? pick(r, &w_female) : pick(r, &w_firstnames);
	sim.next_custid += 1 + rng_below(r, 9);
	sim.next_account += 1 + rng_below(r, 3);
	CELL(t, row, C_ID).i = sim.next_custid;
	CELL(t, row, C_ACCOUNT).s = arena_printf("C%05lld",
	    (long long)sim.next_account);
	name = customer_name(r, person, sur, first, female);
	CELL(t, row, C_NAME).s = name;
	gen_slug(person ? sur : name, slug,
	    sizeof(slug));
	if (rng_chance(r, person ? 0.3 : 0.95)) {
		vat = digits_str(r, "", 11);
		CELL(t, row, C_VAT).s = rng_chance(r, 0.5) ?
		    arena_printf("IT%s", vat) : vat;
	}
	if (person || vat == NULL)
		CELL(t, row, C_FISCAL).s = fiscal_person(r, sur, first);
	else
		CELL(t, row, C_FISCAL).s = vat;
	if (rng_chance(r, 0.7))
		CELL(t, row, C_PEC).s = arena_printf("%s@%s", slug,
		    rng_chance(r, 0.5) ? "pec.it" : rng_chance(r, 0.5) ?
		    "legalmail.it" : "arubapec.it");
	if (rng_chance(r, 0.6))
		CELL(t, row, C_SDI).s = rng_chance(r, 0.15) ? "0000000" :
		    arena_printf("%c%c%u%c%c%c%u", 'A' + (char)rng_below(r, 26),
		    'A' + (char)rng_below(r, 26), rng_below(r, 10),
		    'A' + (char)rng_below(r, 26), 'A' + (char)rng_below(r, 26),
		    'A' + (char)rng_below(r, 26), rng_below(r, 10));
	if (rng_chance(r, 0.85))
		CELL(t, row, C_TERMS).s = pick(r, &w_terms);
	CELL(t, row, C_STREET).s = street(r);
	CELL(t, row, C_CAP).s = c->cap;
	CELL(t, row, C_CITY).s = c->name;
	if (rng_chance(r, 0.9))
		CELL(t, row, C_PHONE).s = phone(r, c);
	if (rng_chance(r, 0.6))
		CELL(t, row, C_MOBILE).s = mobile(r);
	if (rng_chance(r, 0.35))
		CELL(t, row, C_URL).s = rng_chance(r, 0.6) ?
		    arena_printf("www.%s.it", slug) :
		    arena_printf("https://www.%s.com/", slug);
	if (rng_chance(r, 0.4))
		CELL(t, row, C_ATTN).s = attention(r);
	orders = rng_chance(r, 0.1) ? 0 : rng_chance(r, 0.85) ?
	    rng_range(r, 1, 60) : rng_range(r, 61, 2500);
	CELL(t, row, C_ORDERCOUNT).i = orders;
	if (orders > 0)
		CELL(t, row, C_LASTORDER).i = SIM_DATA_END / 86400 -
		    rng_range(r, 0, 1500);
	CELL(t, row, C_PREVSALES).i = orders == 0 ? 0 : gen_money(r, 7);
	if (rng_chance(r, 0.08))
		CELL(t, row, C_PREVSALES).i = -gen_money(r, 5);
	CELL(t, row, C_BLOCKED).i = rng_chance(r, 0.06);
	CELL(t, row, C_MODIFIED).i = mtime ? mtime : gen_past(r);
	t->hdr[row].flag = rng_below(r, 3) == 0;
	if (mtime) {
		CELL(t, row, C_ORDERCOUNT).i = 0;
		CELL(t, row, C_LASTORDER).i = VNULL;
		CELL(t, row, C_PREVSALES).i = 0;
	}
}

/* Change an existing customer as an agent or the back office would. */
void
upd_customer(struct table *t, size_t row, struct rng *r, int64_t mtime)
{
	const struct city *c = &w_cities[rng_below(r, (uint32_t)w_ncities)];

	switch (rng_below(r, 5)) {
	case 0:
		CELL(t, row, C_PHONE).s = phone(r, c);
		break;
	case 1:
		CELL(t, row, C_STREET).s = street(r);
		CELL(t, row, C_CAP).s = c->cap;
		CELL(t, row, C_CITY).s = c->name;
		break;
	case 2:
		CELL(t, row, C_ATTN).s = rng_chance(r, 0.3) ? NULL :
		    attention(r);
		break;
	case 3:
		CELL(t, row, C_BLOCKED).i = !CELL(t, row, C_BLOCKED).i;
		break;
	default:
		CELL(t, row, C_NAME).s = arena_printf("%s %s",
		    pick(r, &w_business), pick(r, &w_fancy));
		break;
	}
	CELL(t, row, C_ORDERCOUNT).i++;
	CELL(t, row, C_LASTORDER).i = mtime / 86400;
	CELL(t, row, C_PREVSALES).i += gen_money(r, 4);
	if (rng_chance(r, 0.2))
		t->hdr[row].flag = !t->hdr[row].flag;
	CELL(t, row, C_MODIFIED).i = mtime;
	table_touch(t);
}

static const char *
order_status(struct rng *r)
{
	uint32_t	 x = rng_below(r, 100);

	if (x < 30)
		return "Ordine aperto";
	if (x < 36)
		return "Ordine in sospeso";
	if (x < 60)
		return "Consegnato";
	if (x < 94)
		return "Fatturato";
	return "Annullato";
}

static const char *
doc_status(struct rng *r, const char *status)
{
	if (strcmp(status, "Fatturato") == 0)
		return "Fattura";
	if (strcmp(status, "Consegnato") == 0)
		return "Documento di trasporto";
	if (strcmp(status, "Annullato") == 0)
		return "Nessuno";
	return rng_chance(r, 0.5) ? "Conferma" : rng_chance(r, 0.5) ?
	    "Picking list" : "Nessuno";
}

static void
order_amounts(struct table *t, size_t row, struct rng *r, int negative)
{
	static const int64_t discs[] = { 0, 0, 0, 500, 1000, 1250, 1500,
	    2000, 3333, 750, 250 };
	int64_t		 disc, gross;

	disc = discs[rng_below(r, nitems(discs))];
	gross = gen_money(r, rng_chance(r, 0.1) ? 6 : 4) + 1000;
	if (negative)
		gross = -gross;
	CELL(t, row, O_DISC).i = disc;
	CELL(t, row, O_GROSS).i = gross;
	CELL(t, row, O_TOTAL).i = (gross * (10000 - disc) +
	    (gross < 0 ? -5000 : 5000)) / 10000;
}

/* Fill row of an orders table: a new order of one of the agent's customers. */
void
gen_order(struct table *t, size_t row, struct rng *r, int64_t mtime)
{
	struct table	*ct = sim.tables[K_CUSTOMERS][t->user];
	const struct city *c;
	const char	*name, *status, *type;
	size_t		 crow;
	int64_t		 created;
	char		 id[FMT_MAX];
	uint32_t	 x;

	sim.next_order += 1 + rng_below(r, 4);
	fmt_int(id, sim.next_order);
	CELL(t, row, O_ID).s = arena_strdup(id);
	if (rng_chance(r, 0.9))
		CELL(t, row, O_NUMBER).s = arena_printf("ORD/%lld",
		    (long long)++sim.next_salesid);
	crow = ct != NULL ? table_pick_live(ct, r) : SIZE_MAX;
	if (crow != SIZE_MAX) {
		CELL(t, row, O_ACCOUNT).s = CELL(ct, crow, C_ACCOUNT).s;
		name = CELL(ct, crow, C_NAME).s;
		CELL(t, row, O_DLVADDR).s = arena_printf("%s, %s %s",
		    CELL(ct, crow, C_STREET).s, CELL(ct, crow, C_CAP).s,
		    CELL(ct, crow, C_CITY).s);
	} else {
		CELL(t, row, O_ACCOUNT).s = "C00000";
		name = "Cliente occasionale";
	}
	CELL(t, row, O_NAME).s = name;
	x = rng_below(r, 10);
	CELL(t, row, O_DLVNAME).s = x < 7 ? name : x < 9 ?
	    arena_printf("c/o %s %s", pick(r, &w_business),
	    pick(r, &w_surnames)) : pick(r, &w_notes);
	if (crow == SIZE_MAX || rng_chance(r, 0.15)) {
		c = &w_cities[rng_below(r, (uint32_t)w_ncities)];
		CELL(t, row, O_DLVADDR).s = arena_printf("%s, %s %s (%s)",
		    street(r), c->cap, c->name, c->prov);
	}
	created = mtime ? mtime - rng_range(r, 0, 600) :
	    gen_past(r) - rng_range(r, 0, 86400 * 30);
	CELL(t, row, O_CREATED).i = created;
	if (rng_chance(r, 0.85))
		CELL(t, row, O_DLVDATE).i = created / 86400 +
		    rng_range(r, 1, 20);
	if (rng_chance(r, 0.45))
		CELL(t, row, O_REF).s = pick(r, &w_refs);
	status = mtime ? "Ordine aperto" : order_status(r);
	x = rng_below(r, 100);
	type = x < 86 ? "Ordine di vendita" : x < 92 ? "Ordine reso" :
	    x < 96 ? "Giornale" : "Abbonamento";
	CELL(t, row, O_STATUS).s = status;
	CELL(t, row, O_TYPE).s = type;
	CELL(t, row, O_DOCSTATUS).s = doc_status(r, status);
	order_amounts(t, row, r, strcmp(type, "Ordine reso") == 0);
	CELL(t, row, O_MODIFIED).i = mtime ? mtime :
	    created + rng_range(r, 0, 86400 * 40);
	if (CELL(t, row, O_MODIFIED).i > SIM_DATA_END && !mtime)
		CELL(t, row, O_MODIFIED).i = SIM_DATA_END -
		    rng_range(r, 0, 3600);
}

/* Move an order along: status, document, amounts or delivery date. */
void
upd_order(struct table *t, size_t row, struct rng *r, int64_t mtime)
{
	const char	*st = CELL(t, row, O_STATUS).s;

	if (st != NULL && strncmp(st, "Ordine", 6) == 0)
		st = rng_chance(r, 0.8) ? "Consegnato" : "Annullato";
	else if (st != NULL && strcmp(st, "Consegnato") == 0)
		st = "Fatturato";
	else
		st = "Ordine aperto";
	CELL(t, row, O_STATUS).s = st;
	CELL(t, row, O_DOCSTATUS).s = doc_status(r, st);
	if (rng_chance(r, 0.5))
		order_amounts(t, row, r, CELL(t, row, O_GROSS).i < 0);
	CELL(t, row, O_DLVDATE).i = mtime / 86400 + rng_range(r, 0, 10);
	if (CELL(t, row, O_NUMBER).s == NULL)
		CELL(t, row, O_NUMBER).s = arena_printf("ORD/%lld",
		    (long long)++sim.next_salesid);
	CELL(t, row, O_MODIFIED).i = mtime;
	table_touch(t);
}
