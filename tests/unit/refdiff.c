/*
 * refdiff.c — where two grids or two forms differ, said in a sentence:
 * what check_gridsax, check_form and the fuzzers (tests/fuzz/fuzz_gridsax.c,
 * fuzz_form.c) compare the worker's SAX readers with the references by.
 * No Check here: the fuzzers link this file too, and each caller fails in
 * its own way with the sentence.
 */
#include <stdio.h>
#include <string.h>

#include "worker/worker.h"
#include "tests/unit/ref.h"

/* Say what differs in why; -1. */
static int
differ(char *why, size_t len, const char *what)
{
	snprintf(why, len, "%s", what);
	return -1;
}

/* 0 when a and b are the same string (or both NULL), else -1 and why. */
int
str_diff(const char *a, const char *b, const char *what, char *why,
    size_t len)
{
	if (a == NULL || b == NULL ? a == b : strcmp(a, b) == 0)
		return 0;
	snprintf(why, len, "%s '%.200s' vs '%.200s'", what, a ? a : "(null)",
	    b ? b : "(null)");
	return -1;
}

/* A count that differs: -1 and why. */
static int
count_diff(const char *what, size_t a, size_t b, char *why, size_t len)
{
	snprintf(why, len, "%s %zu vs %zu", what, a, b);
	return -1;
}

/* str_diff() of one part of item i: "column 3 caption". */
static int
item_diff(const char *a, const char *b, const char *item, size_t i,
    const char *part, char *why, size_t len)
{
	char	 what[64];

	snprintf(what, sizeof what, "%s %zu %s", item, i, part);
	return str_diff(a, b, what, why, len);
}

/* Every column of two grids: caption, fieldname, sort, index. */
static int
cols_diff(const struct grid *a, const struct grid *b, char *why, size_t len)
{
	size_t	 i;

	if (a->ncols != b->ncols)
		return count_diff("ncols", a->ncols, b->ncols, why, len);
	for (i = 0; i < a->ncols; i++) {
		if (item_diff(a->cols[i].caption, b->cols[i].caption, "column",
		    i, "caption", why, len) == -1 ||
		    item_diff(a->cols[i].fieldname, b->cols[i].fieldname,
		    "column", i, "fieldname", why, len) == -1)
			return -1;
		if (a->cols[i].sort != b->cols[i].sort) {
			snprintf(why, len, "column %zu sort", i);
			return -1;
		}
		if (a->cols[i].index != b->cols[i].index) {
			snprintf(why, len, "column %zu index", i);
			return -1;
		}
	}
	return 0;
}

/* Every row of two grids: id, and each cell's text, image and checkbox. */
static int
rows_diff(const struct grid *a, const struct grid *b, char *why, size_t len)
{
	const struct grid_cell	*x, *y;
	char			 what[64];
	size_t			 i, j;

	if (a->nrows != b->nrows)
		return count_diff("nrows", a->nrows, b->nrows, why, len);
	for (i = 0; i < a->nrows; i++) {
		if (item_diff(a->rows[i].id, b->rows[i].id, "row", i, "id", why,
		    len) == -1)
			return -1;
		if (a->rows[i].ncells != b->rows[i].ncells) {
			snprintf(why, len, "row %zu ncells", i);
			return -1;
		}
		for (j = 0; j < a->rows[i].ncells; j++) {
			x = &a->rows[i].cells[j];
			y = &b->rows[i].cells[j];
			snprintf(what, sizeof what, "row %zu cell %zu text", i, j);
			if (str_diff(x->text, y->text, what, why, len) == -1)
				return -1;
			snprintf(what, sizeof what, "row %zu cell %zu img_src",
			    i, j);
			if (str_diff(x->img_src, y->img_src, what, why, len) == -1)
				return -1;
			if (x->checkbox != y->checkbox) {
				snprintf(why, len, "row %zu cell %zu checkbox",
				    i, j);
				return -1;
			}
		}
	}
	return 0;
}

/*
 * 0 when every field, column, row id and cell of two grids is the same;
 * else -1, and the first difference in why.
 */
int
grid_diff(const struct grid *a, const struct grid *b, char *why, size_t len)
{
	if (str_diff(a->grid_id, b->grid_id, "grid_id", why, len) == -1 ||
	    str_diff(a->filter_key, b->filter_key, "filter_key", why,
	    len) == -1 ||
	    str_diff(a->filter_caption, b->filter_caption, "filter_caption",
	    why, len) == -1)
		return -1;
	if (a->page != b->page || a->pages != b->pages ||
	    a->total != b->total) {
		snprintf(why, len, "pager %lld/%lld/%lld vs %lld/%lld/%lld",
		    (long long)a->page, (long long)a->pages,
		    (long long)a->total, (long long)b->page,
		    (long long)b->pages, (long long)b->total);
		return -1;
	}
	if (a->has_pager != b->has_pager)
		return differ(why, len, "has_pager");
	if (a->next_disabled != b->next_disabled)
		return differ(why, len, "next_disabled");
	if (a->empty != b->empty)
		return differ(why, len, "empty");
	if (a->nheader != b->nheader)
		return count_diff("nheader", a->nheader, b->nheader, why, len);
	if (cols_diff(a, b, why, len) == -1)
		return -1;
	return rows_diff(a, b, why, len);
}

/* 0 when two forms have the same hidden inputs (names, values, in order). */
static int
fields_diff(const struct form *a, const struct form *b, char *why,
    size_t len)
{
	size_t	 i;

	if (a->nfields != b->nfields)
		return count_diff("hidden inputs", a->nfields, b->nfields, why,
		    len);
	for (i = 0; i < a->nfields; i++)
		if (item_diff(a->fields[i].name, b->fields[i].name,
		    "hidden input", i, "name", why, len) == -1 ||
		    item_diff(a->fields[i].value, b->fields[i].value,
		    "hidden input", i, "value", why, len) == -1)
			return -1;
	return 0;
}

/*
 * 0 when two forms are the same: hidden inputs, login fields, submit
 * value and error text; else -1, and the first difference in why.
 */
int
form_diff(const struct form *a, const struct form *b, char *why, size_t len)
{
	if (fields_diff(a, b, why, len) == -1 ||
	    str_diff(a->user_field, b->user_field, "user field", why,
	    len) == -1 ||
	    str_diff(a->password_field, b->password_field, "password field",
	    why, len) == -1 ||
	    str_diff(a->submit_field, b->submit_field, "submit field", why,
	    len) == -1 ||
	    str_diff(a->submit_value, b->submit_value, "submit value", why,
	    len) == -1)
		return -1;
	return str_diff(a->error_text, b->error_text, "error text", why, len);
}

/*
 * 0 when f's hidden inputs are those the reference form reader finds on
 * the same page; else -1 and why (also when the reference fails).
 */
int
hidden_diff(const struct form *f, const char *html, size_t len, char *why,
    size_t whylen)
{
	struct form	 ref;
	int		 rc;

	if (formref_parse(html, len, &ref, NULL, 0) == -1)
		return differ(why, whylen, "the grid parses, formref_parse() "
		    "fails");
	rc = fields_diff(f, &ref, why, whylen);
	form_free(&ref);
	return rc;
}
