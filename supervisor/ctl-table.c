/*
 * ctl-table.c — erpsyncctl's tables (jobs, users): rows are collected
 * first, then each column is as wide as its widest cell, so a 64-character
 * user id widens its column instead of pushing the rest out of line.
 * Nothing is cut. Cells are text made safe already (ctl_str); colour is
 * added around a cell's text, never counted in its width.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "supervisor/ctl.h"

/* Terminal columns of UTF-8 text: one per character. */
size_t
ctl_width(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* A table of ncols columns, align[i] 'l' or 'r'. */
void
ctl_table_init(struct ctl_table *t, size_t ncols, const char *align)
{
	memset(t, 0, sizeof *t);
	t->ncols = ncols;
	t->align = align;
}

/*
 * Add a row of n cells (copied), with a colour per cell (sgr NULL: none).
 * A row of fewer cells than columns ends in a cell that spans the rest.
 */
void
ctl_table_add(struct ctl_table *t, size_t n, const char *const *cells,
    const char *const *sgr)
{
	struct ctl_row	*r;
	size_t		 i;

	if (n > t->ncols)
		n = t->ncols;
	t->rows = xreallocarray(t->rows, t->nrows + 1, sizeof *t->rows);
	r = &t->rows[t->nrows++];
	r->n = n;
	r->cells = xcalloc(n, sizeof *r->cells);
	r->sgr = xcalloc(n, sizeof *r->sgr);
	for (i = 0; i < n; i++) {
		r->cells[i] = xstrdup(cells[i] != NULL ? cells[i] : "");
		r->sgr[i] = sgr != NULL ? sgr[i] : NULL;
	}
}

/* The table as text into b: two spaces between columns. */
void
ctl_table_render(const struct ctl_table *t, int colour, struct buf *b)
{
	size_t		*w = xcalloc(t->ncols, sizeof *w);
	size_t		 i, k, cw, pad;
	const struct ctl_row *r;

	for (i = 0; i < t->nrows; i++) {
		r = &t->rows[i];
		/* A spanning cell, and the last column, set no width. */
		for (k = 0; k + 1 < r->n; k++)
			if ((cw = ctl_width(r->cells[k])) > w[k])
				w[k] = cw;
	}
	for (i = 0; i < t->nrows; i++) {
		r = &t->rows[i];
		for (k = 0; k < r->n; k++) {
			cw = ctl_width(r->cells[k]);
			pad = k + 1 < r->n && w[k] > cw ? w[k] - cw : 0;
			if (k + 1 == r->n)
				pad = 0;
			if (t->align[k] == 'r')
				for (; pad > 0; pad--)
					buf_addc(b, ' ');
			ctl_paint(b, colour ? r->sgr[k] : NULL, r->cells[k],
			    strlen(r->cells[k]));
			if (k + 1 < r->n) {
				for (; pad > 0; pad--)
					buf_addc(b, ' ');
				buf_adds(b, "  ");
			}
		}
		while (b->len > 0 && b->data[b->len - 1] == ' ')
			b->len--;	/* an empty last cell */
		buf_addc(b, '\n');
	}
	free(w);
}

/* Print the table on stdout. */
void
ctl_table_print(const struct ctl_table *t, int colour)
{
	struct buf	 b;

	buf_init(&b);
	ctl_table_render(t, colour, &b);
	fwrite(b.data, 1, b.len, stdout);
	fflush(stdout);
	buf_free(&b);
}

/* Free the rows. */
void
ctl_table_free(struct ctl_table *t)
{
	size_t	 i, k;

	for (i = 0; i < t->nrows; i++) {
		for (k = 0; k < t->rows[i].n; k++)
			free(t->rows[i].cells[k]);
		free(t->rows[i].cells);
		free(t->rows[i].sgr);
	}
	free(t->rows);
	memset(t, 0, sizeof *t);
}
