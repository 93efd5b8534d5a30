/*
 * view.c — the grid state a session keeps per list view (contract §3) and
 * the callback commands that change it. The filtered and sorted row order
 * is cached and rebuilt only when the filter, the sort or the table
 * changes; paging just slices it.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tests/erpsim/erpsim.h"

struct sortctx {
	const struct table	*t;
	const struct lcol	*lc;
	int			 desc;
	uint64_t		 salt;
};

struct hrow {
	uint64_t	 h;
	uint32_t	 row;
};

/* The state of view k in session s, initialised on first use. */
struct gridstate *
view_state(struct session *s, enum kind k)
{
	struct gridstate	*g = &s->grid[k];

	if (!g->init) {
		g->init = 1;
		g->page = 0;
		g->size = 20;
		g->sortcol = -1;
		g->desc = 0;
		g->filter = views[k].deffilter;
		g->cfcol = -1;
		g->cfval = 0;
		g->dirty = 1;
	}
	return g;
}

/* Free the cached order. */
void
view_free(struct gridstate *g)
{
	free(g->idx);
	memset(g, 0, sizeof(*g));
}

/* Number of pages: at least one, even when empty. */
int
view_pages(const struct gridstate *g)
{
	size_t	 p = (g->nidx + (size_t)g->size - 1) / (size_t)g->size;

	return p == 0 ? 1 : (int)p;
}

static int
cmp_hrow(const void *a, const void *b)
{
	const struct hrow	*x = a, *y = b;

	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

static int
cmp_text(const char *a, const char *b)
{
	int	 rc;

	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	if ((rc = strcasecmp(a, b)) != 0)
		return rc;
	return strcmp(a, b);
}

static int
cmp_rows(const void *a, const void *b, void *arg)
{
	const struct sortctx	*c = arg;
	const struct table	*t = c->t;
	uint32_t		 x = *(const uint32_t *)a;
	uint32_t		 y = *(const uint32_t *)b;
	union val		 vx, vy;
	uint64_t		 hx, hy;
	int			 rc;

	if (c->lc->kind == LC_KNOWN) {
		vx = CELL(t, x, c->lc->col);
		vy = CELL(t, y, c->lc->col);
		switch (t->def->cols[c->lc->col].type) {
		case CT_TEXT:
		case CT_IMAGE:
			rc = cmp_text(vx.s, vy.s);
			break;
		default:
			rc = vx.i < vy.i ? -1 : vx.i > vy.i;
			break;
		}
	} else
		rc = extra_cmp(c->lc, t->hdr[x].uid, t->hdr[y].uid);
	if (c->desc)
		rc = -rc;
	if (rc != 0)
		return rc;
	hx = mix64(t->hdr[x].uid ^ c->salt);
	hy = mix64(t->hdr[y].uid ^ c->salt);
	return hx < hy ? -1 : hx > hy;
}

static int
passes(const struct table *t, const struct gridstate *g, size_t row)
{
	int64_t		 v;

	if (t->hdr[row].dead)
		return 0;
	if (t->def->nfilters > 0 && !filter_match(t, g->filter, row))
		return 0;
	if (g->cfcol >= 0) {
		v = CELL(t, row, g->cfcol).i;
		if (v == VNULL)
			return 0;
		if (t->def->cols[g->cfcol].type == CT_DATE)
			v *= 86400;
		if (v < g->cfval)
			return 0;
	}
	return 1;
}

static void
build(struct session *s, enum kind k, struct gridstate *g,
    const struct table *t)
{
	struct sortctx	 c;
	struct hrow	*h;
	size_t		 row, n = 0, i;

	if (g->idx == NULL || g->cap < t->n) {
		g->cap = t->n + 64;
		g->idx = xreallocarray(g->idx, g->cap, sizeof(*g->idx));
	}
	for (row = 0; row < t->n; row++)
		if (passes(t, g, row))
			g->idx[n++] = (uint32_t)row;
	g->nidx = n;
	c.salt = s->salt ^ mix64((uint64_t)k + 1);
	if (g->sortcol < 0) {
		/* The ERP's own order: stable in a session, not across. */
		h = xreallocarray(NULL, n ? n : 1, sizeof(*h));
		for (i = 0; i < n; i++) {
			h[i].h = mix64(t->hdr[g->idx[i]].uid ^ c.salt);
			h[i].row = g->idx[i];
		}
		qsort(h, n, sizeof(*h), cmp_hrow);
		for (i = 0; i < n; i++)
			g->idx[i] = h[i].row;
		free(h);
	} else {
		c.t = t;
		c.lc = &sim.layout.v[k].cols[g->sortcol];
		c.desc = g->desc;
		qsort_r(g->idx, n, sizeof(*g->idx), cmp_rows, &c);
	}
	g->gen = t->gen;
	g->dirty = 0;
}

/* Bring the cached order up to date and clamp the page into range. */
void
view_prepare(struct session *s, enum kind k)
{
	struct gridstate	*g = view_state(s, k);
	const struct table	*t = data_table(k, s->user);
	int			 pages;

	if (t == NULL) {
		g->nidx = 0;
		g->page = 0;
		return;
	}
	if (g->dirty || g->gen != t->gen)
		build(s, k, g, t);
	pages = view_pages(g);
	if (g->page >= pages)
		g->page = pages - 1;
	if (g->page < 0)
		g->page = 0;
}

/* Digits only; values beyond a page index saturate (PN clamps anyway). */
static int
parse_uint(const char *s, long *out)
{
	long	 v = 0;
	int	 n = 0;

	for (; *s != '\0'; s++, n++) {
		if (*s < '0' || *s > '9' || n >= 18)
			return -1;
		if (v < 1000000000L)
			v = v * 10 + (*s - '0');
	}
	if (n == 0)
		return -1;
	*out = v;
	return 0;
}

static int
cmd_sort(struct gridstate *g, enum kind k, const char *arg)
{
	const char	*bar;
	char		 field[64];
	int		 ci;

	if ((bar = strchr(arg, '|')) == NULL || bar == arg ||
	    (size_t)(bar - arg) >= sizeof(field))
		return -1;
	memcpy(field, arg, (size_t)(bar - arg));
	field[bar - arg] = '\0';
	if ((ci = layout_find_field(&sim.layout.v[k], field)) < 0)
		return -1;
	if (strcmp(bar + 1, "ASC") == 0)
		g->desc = 0;
	else if (strcmp(bar + 1, "DESC") == 0)
		g->desc = 1;
	else
		return -1;
	g->sortcol = ci;
	return 0;
}

static int
cmd_colfilter(struct gridstate *g, enum kind k, const char *arg)
{
	const struct viewdef	*v = &views[k];
	const char		*bar;
	char			 field[64];
	int64_t			 val;
	int			 ci;

	if (*arg == '\0') {
		g->cfcol = -1;
		return 0;
	}
	if ((bar = strchr(arg, '|')) == NULL || bar == arg ||
	    (size_t)(bar - arg) >= sizeof(field))
		return -1;
	memcpy(field, arg, (size_t)(bar - arg));
	field[bar - arg] = '\0';
	if ((ci = col_by_field(v, field)) < 0 ||
	    (v->cols[ci].type != CT_DATE && v->cols[ci].type != CT_DATETIME))
		return -1;
	if (strncmp(bar + 1, "ge|", 3) != 0 ||
	    parse_it_datetime(bar + 4, &val) == -1)
		return -1;
	g->cfcol = ci;
	g->cfval = val;
	return 0;
}

/*
 * Carry out one callback command of contract §3 on view k of session s.
 * Sets *nav when it was a page navigation. -1 when the command or its value
 * is unknown (the caller answers 500), and then nothing changed.
 */
int
view_command(struct session *s, enum kind k, const char *param, int *nav)
{
	struct gridstate	*g = view_state(s, k);
	struct gridstate	 saved;
	const struct viewdef	*v = &views[k];
	long			 n;
	int			 f;

	*nav = 0;
	if (strncmp(param, "GB|", 3) != 0)
		return -1;
	param += 3;
	view_prepare(s, k);
	saved = *g;
	if (strncmp(param, "PN", 2) == 0 && parse_uint(param + 2, &n) == 0) {
		g->page = n >= view_pages(g) ? view_pages(g) - 1 : (int)n;
		*nav = 1;
		return 0;
	}
	if (strcmp(param, "PBN") == 0) {
		if (g->page < view_pages(g) - 1)
			g->page++;
		*nav = 1;
		return 0;
	}
	if (strcmp(param, "PBP") == 0) {
		if (g->page > 0)
			g->page--;
		*nav = 1;
		return 0;
	}
	if (strncmp(param, "PSP", 3) == 0 && parse_uint(param + 3, &n) == 0) {
		if (n != 10 && n != 20 && n != 50 && n != 100 && n != 200)
			return -1;
		/* An installation may offer fewer sizes than the contract. */
		if (sim.conf.max_page_size > 0 &&
		    n > (long)sim.conf.max_page_size)
			return -1;
		g->size = (int)n;
		g->page = 0;
		return 0;
	}
	if (strncmp(param, "SORT|", 5) == 0) {
		if (cmd_sort(g, k, param + 5) == -1) {
			*g = saved;
			return -1;
		}
	} else if (strncmp(param, "FILTER|", 7) == 0) {
		if (v->nfilters == 0 || (f = filter_by_key(v, param + 7)) < 0)
			return -1;
		g->filter = f;
	} else if (strncmp(param, "COLFILTER|", 10) == 0) {
		if (cmd_colfilter(g, k, param + 10) == -1) {
			*g = saved;
			return -1;
		}
	} else
		return -1;
	g->page = 0;
	g->dirty = 1;
	return 0;
}
