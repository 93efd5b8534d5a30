/*
 * store.c — one SQLite database per job (design.md §4). Each page of rows
 * and the _sync checkpoint are written in one transaction, so a crash loses
 * at most the page in flight and never leaves a half-written page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "worker/worker.h"

/*
 * SQLite's page cache, KiB. The default (2 MB) filled up during a
 * 5,700-customer sync and was the largest part of the worker's heap;
 * every page is one transaction of primary-key lookups and writes, and
 * 256 KiB wrote pages as fast (bench/b_cpu.sh, write per page).
 */
#define STORE_CACHE_KB "256"

/*
 * What to do about SQLite's error code rc, for the errors that are the
 * machine's or the file's rather than erpsync's; "" for the others.
 */
static const char *
store_hint(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
		return " (the mirror is damaged or is no SQLite database: move "
		    "it aside and sync again to rebuild it from the ERP)";
	case SQLITE_CANTOPEN:
		return " (check that data_dir exists and that erpsyncd's user "
		    "can write to it)";
	case SQLITE_READONLY:
	case SQLITE_PERM:
		return " (the mirror or its directory is read-only for "
		    "erpsyncd's user)";
	case SQLITE_FULL:
		return " (the disk holding data_dir is full)";
	case SQLITE_IOERR:
		return " (the disk holding data_dir failed a read or a write)";
	default:
		return "";
	}
}

/* A storage error about s, with SQLite's message. Returns -1. */
int
store_fail(struct store *s, struct wk_error *err, const char *what)
{
	wk_error_set(err, ERR_STORAGE, "%s: %s: %s%s", s->path, what,
	    sqlite3_errmsg(s->db), store_hint(sqlite3_extended_errcode(s->db)));
	return -1;
}

/* Run SQL on s; -1 with err set on failure. */
int
store_exec(struct store *s, const char *sql, struct wk_error *err)
{
	char	*msg = NULL;
	int	 rc;

	if ((rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg)) != SQLITE_OK) {
		wk_error_set(err, ERR_STORAGE, "%s: %s%s", s->path,
		    msg ? msg : "unknown error", store_hint(rc));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* The "WHERE key = ? [AND user_id = ?]" shared by lookups. */
static void
where_key(struct store *s, struct buf *b, int first)
{
	buf_addf(b, " WHERE %s = ?%d", s->v->key, first);
	if (s->v->per_user)
		buf_addf(b, " AND user_id = ?%d", first + 1);
}

static int
store_prepare(struct store *s, struct wk_error *err)
{
	const struct view	*v = s->v;
	struct buf		 b;
	size_t			 i, n = v->ncols;
	int			 rc = 0;

	buf_init(&b);
	buf_adds(&b, "SELECT ");
	for (i = 0; i < n; i++)
		buf_addf(&b, "%s%s", i ? ", " : "", v->cols[i].column);
	buf_addf(&b, " FROM %s", v->table);
	where_key(s, &b, 1);
	if (sqlite3_prepare_v2(s->db, b.data, -1, &s->sel, NULL) != SQLITE_OK)
		rc = -1;

	/* Values are ?1..?n, seen_run ?n+1, synced_at ?n+2, user_id ?n+3. */
	buf_reset(&b);
	buf_addf(&b, "INSERT INTO %s (", v->table);
	for (i = 0; i < n; i++)
		buf_addf(&b, "%s, ", v->cols[i].column);
	buf_addf(&b, "seen_run, synced_at%s) VALUES (",
	    v->per_user ? ", user_id" : "");
	for (i = 0; i < n + 2 + (v->per_user ? 1 : 0); i++)
		buf_addf(&b, "%s?%zu", i ? ", " : "", i + 1);
	buf_adds(&b, ")");
	if (rc == 0 && sqlite3_prepare_v2(s->db, b.data, -1, &s->ins,
	    NULL) != SQLITE_OK)
		rc = -1;

	buf_reset(&b);
	buf_addf(&b, "UPDATE %s SET ", v->table);
	for (i = 0; i < n; i++)
		buf_addf(&b, "%s = ?%zu, ", v->cols[i].column, i + 1);
	buf_addf(&b, "seen_run = MAX(seen_run, ?%zu), synced_at = ?%zu", n + 1,
	    n + 2);
	buf_addf(&b, " WHERE %s = ?%zu", v->key, s->key + 1);
	if (v->per_user)
		buf_addf(&b, " AND user_id = ?%zu", n + 3);
	if (rc == 0 && sqlite3_prepare_v2(s->db, b.data, -1, &s->upd,
	    NULL) != SQLITE_OK)
		rc = -1;

	buf_reset(&b);
	buf_addf(&b, "UPDATE %s SET seen_run = MAX(seen_run, ?3)", v->table);
	where_key(s, &b, 1);
	if (rc == 0 && sqlite3_prepare_v2(s->db, b.data, -1, &s->touch,
	    NULL) != SQLITE_OK)
		rc = -1;

	if (rc == 0 && sqlite3_prepare_v2(s->db, "INSERT INTO temp._page (k)"
	    " VALUES (?1)", -1, &s->pagekey, NULL) != SQLITE_OK)
		rc = -1;
	if (rc == 0 && sqlite3_prepare_v2(s->db,
	    "UPDATE _sync SET next_page = ?1, pages = ?2, rows = rows + ?3,"
	    " inserted = inserted + ?6, updated = updated + ?7,"
	    " unchanged = unchanged + ?8, skipped = skipped + ?9,"
	    " page_size = ?10"
	    " WHERE kind = ?4 AND user = ?5", -1, &s->ckpt, NULL) != SQLITE_OK)
		rc = -1;
	buf_free(&b);
	if (rc == -1)
		return store_fail(s, err, "preparing statements");
	return 0;
}

/* Open (creating) the database for a view and scope user. */
struct store *
store_open(const char *path, const struct view *v, const char *user,
    struct wk_error *err)
{
	struct store	*s;

	s = xcalloc(1, sizeof *s);
	s->v = v;
	s->user = xstrdup(user);
	s->path = xstrdup(path);
	s->key = view_key_index(v);
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		store_fail(s, err, "cannot open the database");
		store_close(s);
		return NULL;
	}
	sqlite3_busy_timeout(s->db, STORE_BUSY_MS);
	if (match_register(s->db) == -1) {
		store_fail(s, err, "registering erp_norm");
		store_close(s);
		return NULL;
	}
	if (store_wal(s, err) == -1 ||
	    store_exec(s, "PRAGMA synchronous = NORMAL", err) == -1 ||
	    store_exec(s, "PRAGMA cache_size = -" STORE_CACHE_KB, err) == -1 ||
	    store_schema(s, err) == -1 || store_prepare(s, err) == -1) {
		store_close(s);
		return NULL;
	}
	return s;
}

/* Close the database and free the store. */
void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	sqlite3_finalize(s->sel);
	sqlite3_finalize(s->ins);
	sqlite3_finalize(s->upd);
	sqlite3_finalize(s->touch);
	sqlite3_finalize(s->ckpt);
	sqlite3_finalize(s->pagekey);
	sqlite3_close(s->db);
	free(s->user);
	free(s->path);
	free(s);
}

/* Remember the ERP's element count when a run starts, for the sweep rule. */
static int
store_set_total(struct store *s, int64_t total)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (sqlite3_prepare_v2(s->db, "UPDATE _sync SET total = ?3 WHERE"
	    " kind = ?1 AND user = ?2 AND total IS NULL", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, s->v->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, s->user, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, total);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(st);
	return rc;
}

static void
bind_value(sqlite3_stmt *st, int i, const struct value *val)
{
	switch (val->kind) {
	case VAL_NULL:
		sqlite3_bind_null(st, i);
		break;
	case VAL_INT:
		sqlite3_bind_int64(st, i, val->i);
		break;
	case VAL_REAL:
		sqlite3_bind_double(st, i, val->r);
		break;
	case VAL_TEXT:
		sqlite3_bind_text(st, i, val->s, -1, SQLITE_STATIC);
		break;
	}
}

/* Whether a stored column equals a parsed value, type and all. */
static int
same_value(sqlite3_stmt *st, int col, const struct value *val)
{
	int	 t = sqlite3_column_type(st, col);

	switch (val->kind) {
	case VAL_NULL:
		return t == SQLITE_NULL;
	case VAL_INT:
		return t == SQLITE_INTEGER && sqlite3_column_int64(st, col) == val->i;
	case VAL_REAL:
		return t == SQLITE_FLOAT && sqlite3_column_double(st, col) == val->r;
	case VAL_TEXT:
		return t == SQLITE_TEXT &&
		    strcmp((const char *)sqlite3_column_text(st, col), val->s) == 0;
	}
	return 0;
}

static int
step_done(sqlite3_stmt *st)
{
	int	 rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Upsert one row; counts it as inserted, updated or unchanged. */
static int
store_upsert(struct store *s, const struct checkpoint *c,
    const struct value *row, const char *ts, struct page_counts *pc)
{
	size_t		 i, n = s->v->ncols;
	int		 found, same = 1, full = strcmp(c->mode, "full") == 0;
	int		 rc;
	sqlite3_stmt	*st;

	bind_value(s->sel, 1, &row[s->key]);
	if (s->v->per_user)
		sqlite3_bind_text(s->sel, 2, s->user, -1, SQLITE_STATIC);
	rc = sqlite3_step(s->sel);
	found = rc == SQLITE_ROW;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		sqlite3_reset(s->sel);
		return -1;
	}
	for (i = 0; found && same && i < n; i++)
		same = same_value(s->sel, (int)i, &row[i]);
	sqlite3_reset(s->sel);
	sqlite3_clear_bindings(s->sel);

	if (found && same) {
		pc->unchanged++;
		if (!full)
			return 0;
		bind_value(s->touch, 1, &row[s->key]);
		if (s->v->per_user)
			sqlite3_bind_text(s->touch, 2, s->user, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s->touch, 3, c->run_id);
		return step_done(s->touch);
	}
	st = found ? s->upd : s->ins;
	for (i = 0; i < n; i++)
		bind_value(st, (int)i + 1, &row[i]);
	/* A delta run does not count as a full run that saw the row (0). */
	sqlite3_bind_int64(st, (int)n + 1, full ? c->run_id : 0);
	sqlite3_bind_text(st, (int)n + 2, ts, -1, SQLITE_STATIC);
	if (s->v->per_user)
		sqlite3_bind_text(st, (int)n + 3, s->user, -1, SQLITE_STATIC);
	if (found)
		pc->updated++;
	else
		pc->inserted++;
	return step_done(st);
}

/* Mark a row the ERP showed but that could not be parsed as seen. */
static int
store_touch(struct store *s, const struct checkpoint *c, const struct value *key)
{
	if (key->kind != VAL_TEXT && key->kind != VAL_INT)
		return 0;
	bind_value(s->touch, 1, key);
	if (s->v->per_user)
		sqlite3_bind_text(s->touch, 2, s->user, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s->touch, 3, strcmp(c->mode, "full") == 0 ?
	    c->run_id : 0);
	return step_done(s->touch);
}

/*
 * Write one page and advance the checkpoint to c->next_page, in one
 * transaction. rows holds nrows * ncols values; row_ok[i] is 0 for rows
 * that did not parse (only their key, when present, is marked seen).
 */
int
store_write_page(struct store *s, const struct checkpoint *c,
    struct value *rows, size_t nrows, const int *row_ok,
    struct page_counts *pc, struct wk_error *err)
{
	struct page_counts	 add;
	char			 ts[40];
	size_t			 i, n = s->v->ncols;

	memset(&add, 0, sizeof add);
	iso8601_utc(now_ms(), ts, sizeof ts);
	if (store_exec(s, "BEGIN IMMEDIATE", err) == -1)
		return -1;
	if (s->v->page_sql != NULL &&
	    sqlite3_exec(s->db, "DELETE FROM temp._page", NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	for (i = 0; i < nrows; i++) {
		add.seen++;
		if (!row_ok[i]) {
			add.skipped++;
			if (store_touch(s, c, &rows[i * n + s->key]) == -1)
				goto fail;
			continue;
		}
		if (store_upsert(s, c, &rows[i * n], ts, &add) == -1)
			goto fail;
		if (s->v->page_sql != NULL) {
			bind_value(s->pagekey, 1, &rows[i * n + s->key]);
			if (step_done(s->pagekey) == -1)
				goto fail;
		}
	}
	if (s->v->page_sql != NULL && store_exec(s, s->v->page_sql, err) == -1)
		goto rollback;
	if (c->total > 0 && store_set_total(s, c->total) == -1)
		goto fail;
	sqlite3_bind_int64(s->ckpt, 1, c->next_page);
	sqlite3_bind_int64(s->ckpt, 2, c->pages);
	sqlite3_bind_int64(s->ckpt, 3, (int64_t)nrows);
	sqlite3_bind_text(s->ckpt, 4, s->v->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(s->ckpt, 5, s->user, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s->ckpt, 6, add.inserted);
	sqlite3_bind_int64(s->ckpt, 7, add.updated);
	sqlite3_bind_int64(s->ckpt, 8, add.unchanged);
	sqlite3_bind_int64(s->ckpt, 9, add.skipped);
	sqlite3_bind_int64(s->ckpt, 10, c->page_size);
	if (step_done(s->ckpt) == -1)
		goto fail;
	if (store_exec(s, "COMMIT", err) == -1)
		goto rollback;
	pc->seen += add.seen;
	pc->inserted += add.inserted;
	pc->updated += add.updated;
	pc->unchanged += add.unchanged;
	pc->skipped += add.skipped;
	return 0;
fail:
	store_fail(s, err, "writing a page");
rollback:
	(void)sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/*
 * Rows (of this scope) the run run_id has seen, only those modified after
 * modified when it is not NULL; -1 when SQLite fails.
 */
static int64_t
store_count_seen(struct store *s, int64_t run_id, const char *modified)
{
	sqlite3_stmt	*st;
	struct buf	 b;
	int64_t		 n = -1;

	buf_init(&b);
	buf_addf(&b, "SELECT count(*) FROM %s WHERE seen_run = ?1%s%s",
	    s->v->table, modified != NULL ? " AND modified_at > ?2" : "",
	    s->v->per_user ? " AND user_id = ?3" : "");
	if (sqlite3_prepare_v2(s->db, b.data, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, run_id);
		if (modified != NULL)
			sqlite3_bind_text(st, 2, modified, -1, SQLITE_STATIC);
		if (s->v->per_user)
			sqlite3_bind_text(st, 3, s->user, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	buf_free(&b);
	return n;
}

/* Distinct rows (of this scope) the run has seen. */
int64_t
store_seen_count(struct store *s, int64_t run_id)
{
	return store_count_seen(s, run_id, NULL);
}

/* Delete rows (of this scope) the full run run_id did not see. */
int
store_sweep(struct store *s, int64_t run_id, int64_t *deleted,
    struct wk_error *err)
{
	sqlite3_stmt	*st;
	struct buf	 b;
	int		 rc;

	*deleted = 0;
	buf_init(&b);
	buf_addf(&b, "DELETE FROM %s WHERE seen_run < ?1%s", s->v->table,
	    s->v->per_user ? " AND user_id = ?2" : "");
	rc = sqlite3_prepare_v2(s->db, b.data, -1, &st, NULL);
	buf_free(&b);
	if (rc != SQLITE_OK)
		return store_fail(s, err, "preparing the sweep");
	sqlite3_bind_int64(st, 1, run_id);
	if (s->v->per_user)
		sqlite3_bind_text(st, 2, s->user, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, err, "deleting vanished rows");
	*deleted = sqlite3_changes(s->db);
	return 0;
}

/*
 * Rows the run saw that are newer than the newest record at its start:
 * proof that the ERP changed while the run paged.
 */
int64_t
store_count_newer(struct store *s, int64_t run_id, const char *modified)
{
	return store_count_seen(s, run_id, modified);
}

/* The newest modified_at stored for this scope: the next delta starts there. */
int
store_watermark(struct store *s, char *out, size_t len)
{
	sqlite3_stmt	*st;
	struct buf	 b;
	int		 rc = -1;

	out[0] = '\0';
	buf_init(&b);
	buf_addf(&b, "SELECT max(modified_at) FROM %s%s", s->v->table,
	    s->v->per_user ? " WHERE user_id = ?1" : "");
	if (sqlite3_prepare_v2(s->db, b.data, -1, &st, NULL) == SQLITE_OK) {
		if (s->v->per_user)
			sqlite3_bind_text(st, 1, s->user, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			if (sqlite3_column_type(st, 0) == SQLITE_TEXT)
				snprintf(out, len, "%s",
				    (const char *)sqlite3_column_text(st, 0));
			rc = 0;
		}
		sqlite3_finalize(st);
	}
	buf_free(&b);
	return rc;
}
