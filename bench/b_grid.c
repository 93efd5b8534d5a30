/*
 * b_grid.c — figures for the grid parsers, for make bench (never pass or
 * fail on a number): ms per page for the worker's grid_parse (one SAX
 * pass) and the tests' tree-walking reference (tests/unit/gridref.c), on
 * a ~450 KB 200-row page like production (tests/unit/gridfix.c) and on
 * erpsim's 200-row golden pages (plain and --noisy); the peak heap of a
 * grid_parse of 200 and 2000 rows beyond its output grid, against the tree
 * the reference builds. The unit tests check what these parsers return;
 * this only times them.
 *   b_grid [RUNS]      (default 20 parses per round, best of 5 rounds)
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/HTMLparser.h>

#include "tests/unit/gridfix.h"
#include "tests/unit/ref.h"
#include "worker/worker.h"

#define SIM	"tests/unit/golden/erpsim/"

typedef int	 parse_fn(const char *, size_t, struct grid *, char *, size_t);

static double
elapsed_ms(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) * 1e3 +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

/* The best of 5 rounds of runs parses, in ms per parse. */
static double
time_parse(parse_fn *fn, const char *what, const char *html, size_t len,
    int runs)
{
	struct timespec	 t0, t1;
	struct grid	 g;
	char		 err[256];
	double		 ms, best = 1e9;
	int		 round, i;

	for (round = 0; round < 5; round++) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (i = 0; i < runs; i++) {
			if (fn(html, len, &g, err, sizeof(err)) != 0) {
				fprintf(stderr, "b_grid: %s: %s\n", what, err);
				exit(1);
			}
			grid_free(&g);
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if ((ms = elapsed_ms(&t0, &t1) / runs) < best)
			best = ms;
	}
	return best;
}

/*
 * Heap held after a grid_parse beyond the output grid (libxml2's context
 * is freed by then: this is what leaks or lingers), and the output's own
 * size.
 */
static size_t
parse_heap(const char *html, size_t len, size_t *outp)
{
	struct grid	 g;
	char		 err[256];
	size_t		 base, out;

	base = mallinfo2().uordblks;
	if (grid_parse(html, len, &g, err, sizeof(err)) != 0) {
		fprintf(stderr, "b_grid: grid_parse: %s\n", err);
		exit(1);
	}
	out = mallinfo2().uordblks - base;
	grid_free(&g);
	*outp = out;
	return mallinfo2().uordblks > base ? mallinfo2().uordblks - base : 0;
}

/* A whole file, or NULL. */
static char *
slurp(const char *path, size_t *lenp)
{
	FILE	*fp;
	char	*data;
	long	 len;

	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	if (fseek(fp, 0, SEEK_END) != 0 || (len = ftell(fp)) < 0) {
		fclose(fp);
		return NULL;
	}
	rewind(fp);
	data = xmalloc((size_t)len + 1);
	if (fread(data, 1, (size_t)len, fp) != (size_t)len) {
		fclose(fp);
		free(data);
		return NULL;
	}
	data[len] = '\0';
	fclose(fp);
	*lenp = (size_t)len;
	return data;
}

int
main(int argc, char *argv[])
{
	static const char *pages[] = {
		SIM "customers_l7_200.html", SIM "customers_l11_200.html",
		SIM "customers_l17_200.html", SIM "customers_noisy_200.html",
		SIM "customers_noisy_200_cb.html",
	};
	struct buf	 b;
	char		*html;
	size_t		 i, len, out, out2k, left, left2k, base, tree;
	int		 runs = argc > 1 ? atoi(argv[1]) : 20;
	void		*doc;

	if (runs < 1)
		runs = 1;
	buf_init(&b);
	big_page(&b, 200);
	printf("grid: %zu-byte page, 200 rows: grid_parse %.2f ms, "
	    "reference %.2f ms\n", b.len,
	    time_parse(grid_parse, "grid_parse", b.data, b.len, runs),
	    time_parse(gridref_parse, "reference", b.data, b.len, runs));
	for (i = 0; i < nitems(pages); i++) {
		if ((html = slurp(pages[i], &len)) == NULL) {
			printf("grid: %s: not there (tests/unit/golden/README)\n",
			    pages[i]);
			continue;
		}
		printf("grid: %s (%zu bytes): grid_parse %.2f ms, reference "
		    "%.2f ms\n", pages[i], len,
		    time_parse(grid_parse, pages[i], html, len, runs),
		    time_parse(gridref_parse, pages[i], html, len, runs));
		free(html);
	}

	left = parse_heap(b.data, b.len, &out);
	buf_reset(&b);
	big_page(&b, 2000);
	left2k = parse_heap(b.data, b.len, &out2k);
	buf_reset(&b);
	big_page(&b, 200);
	base = mallinfo2().uordblks;
	doc = htmlReadMemory(b.data, (int)b.len, NULL, "UTF-8",
	    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	    HTML_PARSE_NONET | HTML_PARSE_COMPACT);
	tree = mallinfo2().uordblks - base;
	xmlFreeDoc(doc);
	if (out == 0)		/* mallinfo2() knows nothing under ASan */
		printf("grid: heap not measured (sanitizer build)\n");
	else
		printf("grid: grid_parse's output: %zu KB for 200 rows, %zu KB "
		    "for 2000 rows; left over after freeing it: %zu and %zu "
		    "bytes; the reference's tree of the 200-row page: %zu KB\n",
		    out / 1024, out2k / 1024, left, left2k, tree / 1024);
	buf_free(&b);
	return 0;
}
