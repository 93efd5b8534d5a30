/*
 * parsefloor.c — what parsing the worker's pages costs at least, for
 * bench/b_cpu.sh. Reads page bodies (files named on the command line, as
 * curl saved them from erpsim) into memory, then times, per page, in
 * process CPU time:
 *
 *   floor  one SAX pass of libxml2's pull parser, htmlCtxtReadMemory()
 *          with an empty SAX handler: the floor of design.md §6;
 *   push   libxml2's push parser, htmlParseChunk() fed 16 KB at a time as
 *          libcurl hands bodies over, the same empty handler;
 *   worker grid_parse_page(): the worker's own parser, hidden inputs too
 *          (as it reads the view page);
 *   callback grid_parse(): the same without hidden inputs, as it reads
 *          every grid callback's answer (every page but the first).
 *
 * Each figure is the median of ROUNDS rounds over all pages. Figures
 * only, never pass/fail.
 *
 * parsefloor -1 NAME PAGE... runs one pass of NAME (floor, push, worker or
 * callback) over the pages and prints nothing: for counting its
 * instructions under callgrind (--toggle-collect=run_NAME).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/HTMLparser.h>
#include <libxml/xmlversion.h>

#include "worker/worker.h"

#define ROUNDS	7
#define CHUNK	16384
#define OPTIONS	(HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | \
    HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_COMPACT)

struct page {
	char	*data;
	size_t	 len;
};

static struct page	*pages;
static size_t		 npages;

/* No callbacks at all: libxml2's tokenizer alone. */
static const htmlSAXHandler empty;

static htmlParserCtxtPtr
sax_ctxt(void)
{
	htmlParserCtxtPtr	 ctx;

#if LIBXML_VERSION >= 21100
	ctx = htmlNewSAXParserCtxt(&empty, NULL);
#else
	ctx = htmlCreatePushParserCtxt((htmlSAXHandlerPtr)&empty, NULL, NULL,
	    0, NULL, XML_CHAR_ENCODING_NONE);
#endif
	if (ctx == NULL)
		fatalx("no parser context");
	return ctx;
}

static void
run_floor(const struct page *p)
{
	htmlParserCtxtPtr	 ctx = sax_ctxt();

	(void)htmlCtxtReadMemory(ctx, p->data, (int)p->len, NULL, "UTF-8",
	    OPTIONS);
	htmlFreeParserCtxt(ctx);
}

static void
run_push(const struct page *p)
{
	htmlParserCtxtPtr	 ctx;
	size_t			 at, k;

	ctx = htmlCreatePushParserCtxt((htmlSAXHandlerPtr)&empty, NULL, NULL,
	    0, NULL, XML_CHAR_ENCODING_UTF8);
	if (ctx == NULL)
		fatalx("no push parser context");
	htmlCtxtUseOptions(ctx, OPTIONS);
	for (at = 0; at < p->len; at += k) {
		k = p->len - at < CHUNK ? p->len - at : CHUNK;
		htmlParseChunk(ctx, p->data + at, (int)k, 0);
	}
	htmlParseChunk(ctx, NULL, 0, 1);
	htmlFreeParserCtxt(ctx);
}

static void
run_worker(const struct page *p)
{
	struct grid	 g;
	struct form	 f;
	char		 err[256];

	if (grid_parse_page(p->data, p->len, &g, &f, err, sizeof(err)) == -1)
		fatalx("a page does not parse: %s", err);
	grid_free(&g);
	form_free(&f);
}

static void
run_callback(const struct page *p)
{
	struct grid	 g;
	char		 err[256];

	if (grid_parse(p->data, p->len, &g, err, sizeof(err)) == -1)
		fatalx("a page does not parse: %s", err);
	grid_free(&g);
}

static double
cpu_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median over ROUNDS rounds of the CPU ms per page of fn. */
static double
per_page(void (*fn)(const struct page *))
{
	double	 v[ROUNDS], t0;
	size_t	 i;
	int	 r;

	for (r = 0; r < ROUNDS; r++) {
		t0 = cpu_ms();
		for (i = 0; i < npages; i++)
			fn(&pages[i]);
		v[r] = (cpu_ms() - t0) / (double)npages;
	}
	qsort(v, ROUNDS, sizeof(v[0]), cmp_double);
	return v[ROUNDS / 2];
}

static const struct pass {
	const char	 *name;
	void		(*fn)(const struct page *);
} passes[] = {
	{ "floor", run_floor },
	{ "push", run_push },
	{ "worker", run_worker },
	{ "callback", run_callback },
};

int
main(int argc, char **argv)
{
	FILE			*fp;
	const struct pass	*once = NULL;
	size_t			 total = 0, k;
	int			 i, first = 1;

	log_init("parsefloor", LOG_LOGFMT, LOG_WARN);
	if (argc > 2 && strcmp(argv[1], "-1") == 0) {
		for (k = 0; k < sizeof(passes) / sizeof(passes[0]); k++)
			if (strcmp(argv[2], passes[k].name) == 0)
				once = &passes[k];
		if (once == NULL)
			fatalx("-1 %s: not floor, push, worker or callback",
			    argv[2]);
		first = 3;
	}
	if (argc <= first) {
		fprintf(stderr, "usage: parsefloor [-1 NAME] PAGE...\n");
		return 2;
	}
	xmlInitParser();
	pages = xcalloc((size_t)argc - 1, sizeof(*pages));
	for (i = first; i < argc; i++) {
		struct buf	 b;
		char		 tmp[65536];
		size_t		 n;

		if ((fp = fopen(argv[i], "rb")) == NULL)
			fatal("%s", argv[i]);
		buf_init(&b);
		while ((n = fread(tmp, 1, sizeof(tmp), fp)) > 0)
			buf_add(&b, tmp, n);
		fclose(fp);
		if (b.len == 0 || b.len > INT_MAX)
			fatalx("%s: empty or too large", argv[i]);
		total += b.len;
		pages[npages].len = b.len;
		pages[npages++].data = buf_steal(&b);
	}
	if (once != NULL) {
		for (k = 0; k < npages; k++)
			once->fn(&pages[k]);
		return 0;
	}
	printf("pages %zu avg_bytes %zu floor_ms %.3f push_ms %.3f "
	    "worker_parse_ms %.3f callback_parse_ms %.3f\n", npages,
	    total / npages, per_page(run_floor), per_page(run_push),
	    per_page(run_worker), per_page(run_callback));
	return 0;
}
