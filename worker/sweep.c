/*
 * sweep.c — deletions (design §6 "Sweep"): the probe that takes the ERP's
 * pulse at the start and the end of a full run (element count and the
 * newest records), and the verdict over the run's facts — delete the rows
 * the run did not see only when it proves it saw everything, or say why
 * nothing was deleted. sweep_verdict() is pure (tests/unit/check_sweep.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "worker/worker.h"

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

/*
 * Sign the newest records on the probe's first page g: their modified_at,
 * how many share it, and a hash (FNV-1a) of their sorted keys.
 */
static void
probe_sign(struct sync *s, const struct grid *g, size_t ki, size_t mi,
    char *out, size_t len)
{
	struct value	 key, mod;
	char		 perr[256], top[32] = "", **keys;
	size_t		 r, n = 0, i;
	uint64_t	 h = 1469598103934665603ULL;
	const char	*p;

	keys = xcalloc(g->nrows ? g->nrows : 1, sizeof *keys);
	for (r = 0; r < g->nrows; r++) {
		memset(&key, 0, sizeof key);
		memset(&mod, 0, sizeof mod);
		if (value_parse(COL_DATETIME, &g->rows[r].cells[s->col[mi]],
		    NULL, &mod, perr, sizeof perr) == -1 || mod.kind != VAL_TEXT ||
		    value_parse(s->v->cols[ki].type, &g->rows[r].cells[s->col[ki]],
		    NULL, &key, perr, sizeof perr) == -1 || key.kind == VAL_NULL) {
			value_clear(&mod);
			value_clear(&key);
			n = 0;
			break;		/* unreadable: no signature */
		}
		if (r == 0)
			snprintf(top, sizeof top, "%s", mod.s);
		if (strcmp(mod.s, top) != 0) {
			value_clear(&mod);
			value_clear(&key);
			break;
		}
		if (key.kind == VAL_TEXT)
			keys[n++] = xstrdup(key.s);
		else
			xasprintf(&keys[n++], "%lld", (long long)key.i);
		value_clear(&mod);
		value_clear(&key);
	}
	qsort(keys, n, sizeof *keys, cmp_str);
	for (i = 0; i < n; i++) {
		for (p = keys[i]; *p != '\0'; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211ULL;
		h = (h ^ 0xff) * 1099511628211ULL;
		free(keys[i]);
	}
	free(keys);
	/* Ties filling the whole page may go on past it: no signature. */
	if (n == 0 || (n == g->nrows && g->pages > 1))
		snprintf(out, len, "?");
	else
		snprintf(out, len, "%s\t%zu\t%016llx", top, n,
		    (unsigned long long)h);
}

/*
 * The probe: sorted by MODIFICATO IL, newest first (PROBE_SORT), the
 * grid's first page holds the newest records and its pager the element
 * count. Taken at the start of a full run, before any page is read, and
 * at its end: an insert or update in between shows as a newer record, a
 * delete not offset by an insert as a smaller count.
 *
 * The final probe goes out once every page has been asked for, beside the
 * last pages (pages.c). A change it misses because it came after it
 * cannot cost a row either: a page read after the change reports the new
 * count (total_changed), a row read after it is newer than the start
 * (newer), and a row it pushed off the pages leaves the run with fewer
 * distinct rows than the ERP reports (seen): each stops the sweep.
 *
 * sweep_probe_read() reads the answer to PROBE_SORT in g: PROBE_READ and
 * out set to the signature of probe_sign ("-" for an empty grid),
 * PROBE_REFILTER when the grid lost its filter (set the grid state again),
 * PROBE_RESORT when it is not sorted so (ask again), why saying so; -1
 * when the grid breaks the contract (s->err set).
 */
int
sweep_probe_read(struct sync *s, struct erp *e, const struct grid *g,
    char *out, size_t len, int64_t *total, char *why, size_t whylen)
{
	size_t		 ki = view_key_index(s->v);
	size_t		 mi = view_col_index(s->v, "modified_at");

	if (sync_need_field(s, g, "MODIFIEDDATETIME") == -1) {
		erp_save_debug(e, s->v->kind);
		return -1;
	}
	if (verify_filter(s->v, g, why, whylen) != NULL)
		return PROBE_REFILTER;
	if (verify_sort(g, "MODIFIEDDATETIME", 1, why, whylen) != NULL)
		return PROBE_RESORT;
	*total = g->nrows > 0 ? g->total : 0;
	if (g->nrows == 0) {
		snprintf(out, len, "-");
		return PROBE_READ;
	}
	if (sync_map_columns(s, g) == -1) {
		erp_save_debug(e, s->v->kind);
		return -1;
	}
	probe_sign(s, g, ki, mi, out, len);
	return PROBE_READ;
}

/* The starting probe of a full run was read: keep it (across resumes). */
int
sweep_probe_started(struct sync *s, const char *probe, int64_t total)
{
	snprintf(s->ck.probe, sizeof s->ck.probe, "%s", probe);
	s->ck.total = total;
	return store_set_probe(s->st, s->ck.probe, &s->err);
}

/*
 * "ERP changed": the element count and the newest modification time at
 * the start and at the end (a probe is "time\tcount\thash"; the same time
 * with another hash means other records at that time).
 */
static void
verdict_changed(const struct sweep_facts *f, char *why, size_t len)
{
	int	 n0 = (int)strcspn(f->probe_start, "\t");
	int	 n1 = (int)strcspn(f->probe_end, "\t");
	int	 others = n0 == n1 && strncmp(f->probe_start, f->probe_end,
		    n0) == 0 && strcmp(f->probe_start, f->probe_end) != 0;

	snprintf(why, len, "ERP changed: %lld elements, newest modified %.*s "
	    "at the start; %lld, newest modified %.*s at the end%s; nothing "
	    "deleted", (long long)f->total_start, n0, f->probe_start,
	    (long long)f->total_end, n1, f->probe_end, others ?
	    " (other records)" : "");
}

/*
 * May a full run that read every page delete the rows it did not see?
 * Only when it proves it saw everything: the final probe worked and shows
 * the element count and the newest records of the start, no row it read
 * is newer than the start, every page reported the same count, and it
 * saw as many distinct rows as the ERP reports. A row that could not be
 * read counts as seen only when its key named a row of the mirror (which
 * the sweep then keeps); one that did not leaves the run short, and the
 * verdict says the unreadable rows are why. So one record the ERP shows
 * badly for months keeps its row without stopping deletions meanwhile.
 * 1 when it may; else 0 and why says, as "VERDICT: details; nothing
 * deleted", the verdict short enough for a table column.
 */
int
sweep_verdict(const struct sweep_facts *f, char *why, size_t len)
{
	if (f->probe_end == NULL)
		snprintf(why, len, "final check failed: %.180s; nothing "
		    "deleted", f->probe_error != NULL ? f->probe_error : "?");
	else if (f->total_end != f->total_start ||
	    strcmp(f->probe_end, f->probe_start) != 0 ||
	    strcmp(f->probe_end, "?") == 0)
		verdict_changed(f, why, len);
	else if (f->newer != 0)
		snprintf(why, len, "rows changed: %lld rows were modified in "
		    "the ERP during the run; nothing deleted",
		    (long long)f->newer);
	else if (f->total_changed)
		snprintf(why, len, "count changed: the ERP reported %lld "
		    "elements, then %lld; nothing deleted",
		    (long long)f->total_start, (long long)f->total_last);
	else if (f->seen != f->total_last && f->skipped > 0)
		snprintf(why, len, "rows unreadable: %lld rows could not be "
		    "read, and the run saw %lld distinct rows of the %lld the "
		    "ERP reports; nothing deleted", (long long)f->skipped,
		    (long long)f->seen, (long long)f->total_last);
	else if (f->seen != f->total_last)
		snprintf(why, len, "rows missing: the run saw %lld distinct rows "
		    "but the ERP reports %lld; nothing deleted",
		    (long long)f->seen, (long long)f->total_last);
	else
		return 1;
	return 0;
}

/*
 * After a full run that read every page: gather the facts, the final
 * probe's among them, and delete or say why not (d->sweep, logged). A
 * failed final probe fails nothing: the run's pages are written, only the
 * sweep is off.
 */
void
sweep_run(struct sync *s, struct msg_done *d)
{
	struct sweep_facts	 f;
	char			 start[32];

	if (!s->full)
		return;
	memset(&f, 0, sizeof f);
	f.probe_start = s->ck.probe;
	f.total_start = s->ck.total;
	f.total_last = s->total_last;
	f.total_changed = s->total_changed;
	f.skipped = s->pc.skipped;
	if (s->probe_taken == 1) {
		f.probe_end = s->probe_end;
		f.total_end = s->total_end;
	} else
		f.probe_error = s->probe_error[0] != '\0' ? s->probe_error :
		    "the run ended before it";
	/* The newest modification time at the start: rows newer than it. */
	if (strchr(s->ck.probe, '\t') != NULL) {
		snprintf(start, sizeof start, "%.*s",
		    (int)strcspn(s->ck.probe, "\t"), s->ck.probe);
		f.newer = store_count_newer(s->st, s->ck.run_id, start);
	}
	f.seen = store_seen_count(s->st, s->ck.run_id);
	if (!sweep_verdict(&f, d->sweep, sizeof d->sweep)) {
		log_warnx("%s", d->sweep);
		return;
	}
	if (store_sweep(s->st, s->ck.run_id, &d->deleted, &s->err) == -1)
		return;
	snprintf(d->sweep, sizeof d->sweep, "swept %lld: %s",
	    (long long)d->deleted, d->deleted > 0 ? "rows that left the ERP "
	    "(not seen by this run) deleted" : "every row of the mirror was "
	    "seen by this run");
	log_info("%s", d->sweep);
}
