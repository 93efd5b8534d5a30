/*
 * grid.c — struct grid (contract §4) as the parsers fill it: freeing it,
 * finding a column, the pager summary, and the UTF-8 checks every string
 * taken from a page goes through. No parser here: worker/gridsax.c is it.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "worker/worker.h"

/* Cell texts, one block after another (grid_text()). */
#define GRID_TEXTS_BLOCK	(64 * 1024 - 64)
struct grid_texts {
	struct grid_texts	*next;
	size_t			 used;
	size_t			 cap;
	char			 data[];
};

/*
 * What every page parser does first: *err made writable (dummy, one byte,
 * when the caller wants no sentence) and emptied; then -1 with a sentence
 * for a page that is empty or too large for libxml2, else 0.
 */
int
page_start(const char *html, size_t len, char **err, size_t *errlen,
    char *dummy)
{
	if (*err == NULL || *errlen == 0) {
		*err = dummy;
		*errlen = 1;
	}
	(*err)[0] = '\0';
	if (html == NULL || len == 0) {
		snprintf(*err, *errlen, "empty page");
		return -1;
	}
	if (len > INT_MAX) {
		snprintf(*err, *errlen, "page too large (%zu bytes)", len);
		return -1;
	}
	return 0;
}

/* Whether s ends with suffix. */
int
ends_with(const char *s, const char *suffix)
{
	size_t	 n = strlen(s), m = strlen(suffix);

	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/*
 * A copy of n bytes of page text. libxml2 passes bytes that are not UTF-8
 * through untouched; they become U+FFFD so the database only ever holds
 * valid UTF-8.
 */
char *
utf8_dup(const char *s, size_t n)
{
	const unsigned char	*u = (const unsigned char *)s;
	struct buf		 b;
	size_t			 i, k;

	for (i = 0; i < n && (k = utf8_char(u + i, n - i, NULL)) > 0; i += k)
		;
	if (i == n)
		return xstrndup(s, n);
	buf_init(&b);
	buf_add(&b, s, i);
	while (i < n) {
		if ((k = utf8_char(u + i, n - i, NULL)) > 0) {
			buf_add(&b, s + i, k);
			i += k;
		} else {
			buf_adds(&b, "\xef\xbf\xbd");
			i++;
		}
	}
	return buf_steal(&b);
}

/* Parse a pager number: plain digits or Italian thousands ("5.712"). */
static const char *
summary_num(const char *s, int64_t *out)
{
	char		 tok[32];
	size_t		 n;

	n = strcspn(s, " ");
	if (n == 0 || n >= sizeof(tok))
		return NULL;
	memcpy(tok, s, n);
	tok[n] = '\0';
	if (parse_it_int(tok, out) == -1 || *out < 0)
		return NULL;
	return s + n;
}

/* "Pagina {p} di {P} ({N} elementi)" into page, pages, total. */
int
parse_summary(const char *s, struct grid *g)
{
	if (strncmp(s, "Pagina ", 7) != 0 ||
	    (s = summary_num(s + 7, &g->page)) == NULL ||
	    strncmp(s, " di ", 4) != 0 ||
	    (s = summary_num(s + 4, &g->pages)) == NULL ||
	    strncmp(s, " (", 2) != 0 ||
	    (s = summary_num(s + 2, &g->total)) == NULL ||
	    (strcmp(s, " elementi)") != 0 && strcmp(s, " elemento)") != 0))
		return -1;
	if (g->total > 0 && (g->page < 1 || g->page > g->pages))
		return -1;
	return 0;
}

/* Free everything grid_parse allocated; g may be parsed into again. */
void
grid_free(struct grid *g)
{
	struct grid_texts	*t;
	size_t			 i, j;

	free(g->grid_id);
	free(g->filter_key);
	free(g->filter_caption);
	for (i = 0; i < g->ncols; i++) {
		free(g->cols[i].caption);
		free(g->cols[i].fieldname);
	}
	free(g->cols);
	for (i = 0; i < g->nrows; i++) {
		for (j = 0; j < g->rows[i].ncells; j++) {
			if (g->texts == NULL)
				free(g->rows[i].cells[j].text);
			free(g->rows[i].cells[j].img_src);
		}
		free(g->rows[i].cells);
		free(g->rows[i].id);
	}
	free(g->rows);
	while ((t = g->texts) != NULL) {
		g->texts = t->next;
		free(t);
	}
	memset(g, 0, sizeof(*g));
}

/*
 * A copy of s[0..n) made valid UTF-8 as utf8_dup() makes it, kept in g's
 * text blocks: a page's 4,000 cell texts cost a few mallocs, not 4,000
 * (bench/b_cpu.sh). Freed with g by grid_free(), never on its own.
 */
char *
grid_text(struct grid *g, const char *s, size_t n)
{
	const unsigned char	*u = (const unsigned char *)s;
	struct grid_texts	*t = g->texts;
	char			*fixed = NULL, *out;
	size_t			 i, k, cap;

	for (i = 0; i < n && (k = utf8_char(u + i, n - i, NULL)) > 0; i += k)
		;
	if (i < n) {
		fixed = utf8_dup(s, n);
		s = fixed;
		n = strlen(fixed);
	}
	if (t == NULL || t->cap - t->used < n + 1) {
		cap = n + 1 > GRID_TEXTS_BLOCK ? n + 1 : GRID_TEXTS_BLOCK;
		t = xmalloc(sizeof(*t) + cap);
		t->next = g->texts;
		t->used = 0;
		t->cap = cap;
		g->texts = t;
	}
	out = t->data + t->used;
	memcpy(out, s, n);
	out[n] = '\0';
	t->used += n + 1;
	free(fixed);
	return out;
}

/* The data column with exactly this caption (the first), or NULL. */
const struct grid_column *
grid_column(const struct grid *g, const char *caption)
{
	size_t	 i;

	for (i = 0; i < g->ncols; i++)
		if (strcmp(g->cols[i].caption, caption) == 0)
			return &g->cols[i];
	return NULL;
}
