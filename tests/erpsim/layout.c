/*
 * layout.c — --layout N: everything contract §4 lets an installation vary,
 * chosen deterministically from N. Layout 0 is canonical: contract column
 * order, no extra columns, one command cell, plain markup. Other layouts
 * shuffle columns, add unknown columns and a header cell without fieldname,
 * change grid ids, login field names, quoting, entities and whitespace.
 */
#include <stdio.h>
#include <string.h>

#include "tests/erpsim/erpsim.h"

enum { X_TEXT, X_BOOL, X_DATE, X_DEC };

static const struct extradef {
	const char	*caption;
	const char	*field;
	int		 type;
} extras[] = {
	{ "ZONA", "SALESZONE", X_TEXT },
	{ "CREATO DA", "CREATEDBY", X_TEXT },
	{ "NOTE INTERNE", "INTERNALNOTE", X_TEXT },
	{ "DIMENSIONE FINANZIARIA", "DIMENSION", X_TEXT },
	{ "ATTIVO", "ACTIVE", X_BOOL },
	{ "DATA CREAZIONE RECORD", "CREATEDDATE", X_DATE },
	{ "PESO NETTO", "NETWEIGHT", X_DEC },
	{ "LINGUA", "LANGUAGEID", X_TEXT },
};

static const char *const brtags[] = { "<br>", "<br/>", "<br />", "<BR>" };
static const char *const nofield_captions[] = { "Azioni", "", "Selezione",
    "Apri" };

static void
grid_id(char *out, size_t len, struct rng *r, int n, int k)
{
	int	 a = 1 + 2 * k + (n > 0 ? (int)rng_below(r, 4) * 8 : 0);

	switch (n > 0 ? rng_below(r, 4) : 0) {
	case 0:
		snprintf(out, len, "Vertical_v%d_LE_v%d", a, a + 1);
		break;
	case 1:
		snprintf(out, len, "Dialog_v%d_LE_v%d", a, a + 2);
		break;
	case 2:
		snprintf(out, len, "Vertical_v%d_MainLayoutView_xaf_l%d_LE_v%d",
		    a, 100 + a, a + 1);
		break;
	default:
		snprintf(out, len, "Split_v%d_LE_v%d", a, a + 3);
		break;
	}
}

static void
vlayout_init(struct vlayout *vl, struct rng *r, int n, int k)
{
	const struct viewdef	*v = &views[k];
	struct lcol		 tmp;
	int			 i, j, nextra, used[nitems(extras)];

	grid_id(vl->grid, sizeof(vl->grid), r, n, k);
	vl->ncols = 0;
	for (i = 0; i < v->ncols; i++) {
		vl->cols[vl->ncols].kind = LC_KNOWN;
		vl->cols[vl->ncols].col = i;
		vl->cols[vl->ncols].caption = v->cols[i].caption;
		vl->cols[vl->ncols].field = v->cols[i].field;
		vl->ncols++;
	}
	vl->ncmd = 1;
	vl->cmd_header = 0;
	if (n == 0)
		return;

	vl->ncmd = (int)rng_below(r, 3);
	vl->cmd_header = rng_chance(r, 0.5);
	memset(used, 0, sizeof(used));
	nextra = 1 + (int)rng_below(r, 3);
	for (j = 0; j < nextra; j++) {
		i = (int)rng_below(r, nitems(extras));
		if (used[i]++)
			continue;
		vl->cols[vl->ncols].kind = LC_EXTRA;
		vl->cols[vl->ncols].col = i;
		vl->cols[vl->ncols].caption = extras[i].caption;
		vl->cols[vl->ncols].field = extras[i].field;
		vl->ncols++;
	}
	if (rng_chance(r, 0.7)) {
		vl->cols[vl->ncols].kind = LC_NOFIELD;
		vl->cols[vl->ncols].col = 0;
		vl->cols[vl->ncols].caption = rng_chance(r, 0.3) ?
		    v->cols[rng_below(r, (uint32_t)v->ncols)].caption :
		    nofield_captions[rng_below(r, nitems(nofield_captions))];
		vl->cols[vl->ncols].field = NULL;
		vl->ncols++;
	}
	for (i = vl->ncols - 1; i > 0; i--) {
		j = (int)rng_below(r, (uint32_t)i + 1);
		tmp = vl->cols[i];
		vl->cols[i] = vl->cols[j];
		vl->cols[j] = tmp;
	}
}

/* Choose layout n for every view. */
void
layout_init(int n)
{
	struct layout	*L = &sim.layout;
	struct rng	 r;
	int		 k, a, b;

	memset(L, 0, sizeof(*L));
	L->n = n;
	L->noisy = sim.conf.noisy;
	rng_seed(&r, 0x1a9017ULL * (uint64_t)(n + 1));
	if (n == 0) {
		L->pretty = 1;
		L->nbsp = 1;
		L->brtag = "<br>";
		snprintf(L->login_user, sizeof(L->login_user),
		    "Logon$v0_MainLayoutEdit$xaf_l12$xaf_dviUserName_Edit");
		snprintf(L->login_pass, sizeof(L->login_pass),
		    "Logon$v0_MainLayoutEdit$xaf_l17$xaf_dviPassword_Edit");
		snprintf(L->login_button, sizeof(L->login_button),
		    "Logon$PopupActions$Menu$xaf_a0$LogonButton");
		snprintf(L->generator, sizeof(L->generator), "CA0B0334");
	} else {
		L->quote = (int)rng_below(&r, 4);
		L->rot = 1 + (int)rng_below(&r, 5);
		L->pretty = (int)rng_below(&r, 3);
		L->ent = (int)rng_below(&r, 5);
		L->br = rng_chance(&r, 0.7);
		L->wrap = rng_chance(&r, 0.7);
		L->nested = rng_chance(&r, 0.6);
		L->nbsp = rng_chance(&r, 0.5);
		L->tbody = rng_chance(&r, 0.5);
		L->brtag = brtags[rng_below(&r, nitems(brtags))];
		a = (int)rng_below(&r, 9);
		b = 3 + (int)rng_below(&r, 40);
		snprintf(L->login_user, sizeof(L->login_user),
		    "Logon$v%d_MainLayoutEdit$xaf_l%d$xaf_dviUserName_Edit",
		    a, b);
		snprintf(L->login_pass, sizeof(L->login_pass),
		    "Logon$v%d_MainLayoutEdit$xaf_l%d$xaf_dviPassword_Edit",
		    a, b + 5);
		snprintf(L->login_button, sizeof(L->login_button),
		    "Logon$PopupActions$Menu$ITCNT%d$xaf_a%d$LogonButton",
		    (int)rng_below(&r, 3), (int)rng_below(&r, 3));
		snprintf(L->generator, sizeof(L->generator), "%08X",
		    (unsigned)(rng_next(&r) & 0xffffffff));
	}
	for (k = 0; k < K_COUNT; k++)
		vlayout_init(&L->v[k], &r, n, k);
}

/* Index in vl->cols of the data column with that fieldname, or -1. */
int
layout_find_field(const struct vlayout *vl, const char *field)
{
	int	 i;

	for (i = 0; i < vl->ncols; i++)
		if (vl->cols[i].kind != LC_NOFIELD &&
		    strcmp(vl->cols[i].field, field) == 0)
			return i;
	return -1;
}

/*
 * The text of an unknown column for the row with that uid. Booleans come
 * out as "1"/"0" with *isbool set, for a checkbox.
 */
void
extra_value(struct buf *b, const struct lcol *lc, uint32_t uid, int *isbool)
{
	uint64_t	 h = mix64((uint64_t)uid * 31 + (uint64_t)lc->col);
	char		 tmp[FMT_MAX];

	*isbool = 0;
	switch (extras[lc->col].type) {
	case X_BOOL:
		*isbool = 1;
		buf_adds(b, h % 4 ? "1" : "0");
		break;
	case X_DATE:
		fmt_date(tmp, 18000 + (int64_t)(h % 2500), 0);
		buf_adds(b, tmp);
		break;
	case X_DEC:
		fmt_dec(tmp, (int64_t)(h % 100000), 0);
		buf_adds(b, tmp);
		break;
	default:
		buf_adds(b, w_extra_text.w[h % w_extra_text.n]);
		break;
	}
}

/* Order two rows by an unknown column (for GB|SORT on it). */
int
extra_cmp(const struct lcol *lc, uint32_t a, uint32_t b)
{
	struct buf	 x, y;
	int		 isbool, rc;

	buf_init(&x);
	buf_init(&y);
	extra_value(&x, lc, a, &isbool);
	extra_value(&y, lc, b, &isbool);
	rc = strcmp(x.data != NULL ? x.data : "", y.data != NULL ? y.data : "");
	buf_free(&x);
	buf_free(&y);
	return rc;
}
