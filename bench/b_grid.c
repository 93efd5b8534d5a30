/*
 * b_grid.c — figures for the grid parsers, for make bench (never pass or
 * fail on a number): ms per page for grid_parse, grid_parse_sax and a
 * stream fed 16 KB at a time, on a ~450 KB 200-row page like production
 * (tests/unit/gridfix.c) and on erpsim's 200-row golden pages; the heap
 * the stream needs beyond its output for 200 and 2000 rows (it should not
 * grow), against the tree grid_parse builds. The unit tests check what
 * these parsers return; this only times them.
 *   b_grid [RUNS]      (default 20 parses per round, best of 5 rounds)
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/HTMLparser.h>

#include "tests/unit/gridfix.h"
#include "worker/worker.h"

#define SIM	"tests/unit/golden/erpsim/"

typedef int	 parse_fn(const char *, size_t, struct grid *, char *, size_t);

/* Fed as libcurl would: 16 KB at a time. */
static int
stream_16k(const char *html, size_t len, struct grid *g, char *err,
    size_t errlen)
{
	struct grid_stream	*s;
	size_t			 at, n;
	int			 rc;

	s = grid_stream_new();
	for (at = 0; at < len; at += n) {
		n = len - at < 16384 ? len - at : 16384;
		grid_stream_feed(s, html + at, n);
	}
	rc = grid_stream_end(s, g, err, errlen);
	grid_stream_free(s);
	return rc;
}

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
 * Heap in use while a page streams in 16 KB at a time, above what the
 * output grid holds: what the stream itself needs (libxml2's buffers,
 * held bytes, the cell being read).
 */
static size_t
stream_overhead(const char *html, size_t len, size_t *peakp)
{
	struct grid_stream	*s;
	struct grid		 g;
	char			 err[256];
	size_t			 base, at, n, peak = 0, used, out;

	base = mallinfo2().uordblks;
	s = grid_stream_new();
	for (at = 0; at < len; at += n) {
		n = len - at < 16384 ? len - at : 16384;
		grid_stream_feed(s, html + at, n);
		if ((used = mallinfo2().uordblks - base) > peak)
			peak = used;
	}
	if (grid_stream_end(s, &g, err, sizeof(err)) != 0) {
		fprintf(stderr, "b_grid: stream: %s\n", err);
		exit(1);
	}
	grid_stream_free(s);
	out = mallinfo2().uordblks - base;	/* the grid alone */
	grid_free(&g);
	*peakp = peak;
	return peak > out ? peak - out : 0;
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
		SIM "customers_l17_200.html",
	};
	struct buf	 b;
	char		*html;
	size_t		 i, len, peak, over, over2k, peak2k, base, tree;
	int		 runs = argc > 1 ? atoi(argv[1]) : 20;
	void		*doc;

	if (runs < 1)
		runs = 1;
	buf_init(&b);
	big_page(&b, 200);
	printf("grid: %zu-byte page, 200 rows: grid_parse %.2f ms, "
	    "grid_parse_sax %.2f ms, stream of 16 KB chunks %.2f ms\n", b.len,
	    time_parse(grid_parse, "grid_parse", b.data, b.len, runs),
	    time_parse(grid_parse_sax, "grid_parse_sax", b.data, b.len, runs),
	    time_parse(stream_16k, "stream", b.data, b.len, runs));
	for (i = 0; i < nitems(pages); i++) {
		if ((html = slurp(pages[i], &len)) == NULL) {
			printf("grid: %s: not there (tests/unit/golden/README)\n",
			    pages[i]);
			continue;
		}
		printf("grid: %s (%zu bytes): grid_parse %.2f ms, "
		    "stream %.2f ms\n", pages[i], len,
		    time_parse(grid_parse, pages[i], html, len, runs),
		    time_parse(stream_16k, pages[i], html, len, runs));
		free(html);
	}

	over = stream_overhead(b.data, b.len, &peak);
	buf_reset(&b);
	big_page(&b, 2000);
	over2k = stream_overhead(b.data, b.len, &peak2k);
	if (peak == 0)		/* mallinfo2() knows nothing under ASan */
		printf("grid: heap not measured (sanitizer build)\n");
	else
		printf("grid: heap while streaming, beyond the output grid: "
		    "%zu KB for 200 rows (peak %zu KB), %zu KB for 2000 rows "
		    "(peak %zu KB)\n", over / 1024, peak / 1024, over2k / 1024,
		    peak2k / 1024);
	buf_reset(&b);
	big_page(&b, 200);
	base = mallinfo2().uordblks;
	doc = htmlReadMemory(b.data, (int)b.len, NULL, "UTF-8",
	    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	    HTML_PARSE_NONET | HTML_PARSE_COMPACT);
	tree = mallinfo2().uordblks - base;
	xmlFreeDoc(doc);
	if (peak != 0)
		printf("grid: grid_parse's tree of the 200-row page: %zu KB\n",
		    tree / 1024);
	buf_free(&b);
	return 0;
}
