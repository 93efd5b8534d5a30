/*
 * schema.c — a database's tables, made so that any number of workers may
 * open a brand-new file at the same instant (design.md §4): WAL switched on
 * with a wait, every table created in one write transaction of IF NOT
 * EXISTS statements, and columns added to older databases in that same
 * transaction.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sqlite3.h>

#include "worker/worker.h"

static const char *
sql_type(enum col_type t)
{
	switch (t) {
	case COL_INT:
	case COL_BOOL:
		return "INTEGER";
	case COL_DECIMAL:
		return "REAL";
	default:
		return "TEXT";
	}
}

/* CREATE TABLE IF NOT EXISTS for a view's table, and what goes with it. */
static void
store_table_sql(struct buf *sql, const struct view *v)
{
	size_t		 i, key = view_key_index(v);

	buf_addf(sql, "CREATE TABLE IF NOT EXISTS %s (", v->table);
	if (v->per_user)
		buf_adds(sql, "user_id TEXT NOT NULL, ");
	for (i = 0; i < v->ncols; i++)
		buf_addf(sql, "%s %s%s, ", v->cols[i].column,
		    sql_type(v->cols[i].type), i == key ? " NOT NULL" : "");
	if (v->extra_cols != NULL)
		buf_adds(sql, v->extra_cols);
	buf_addf(sql, "seen_run INTEGER NOT NULL DEFAULT 0, synced_at TEXT, "
	    "PRIMARY KEY (%s%s));", v->per_user ? "user_id, " : "", v->key);
	if (v->extra_ddl != NULL)
		buf_adds(sql, v->extra_ddl);
}

/*
 * Columns _sync gained after databases were first made: a run's counts
 * across its attempts (a resumed run reports the whole run), and the page
 * size its pages were read at (0: not known). Added inside the schema
 * transaction, so no two workers add one twice.
 */
static const char *const sync_counts[] = {
	"inserted", "updated", "unchanged", "skipped", "resumed_from",
	"page_size"
};

static int
store_migrate(struct store *s, struct wk_error *err)
{
	sqlite3_stmt	*st;
	struct buf	 sql;
	size_t		 i;
	int		 have[nitems(sync_counts)] = { 0 }, rc = 0;
	const char	*name;

	if (sqlite3_prepare_v2(s->db, "PRAGMA table_info(_sync)", -1, &st,
	    NULL) != SQLITE_OK)
		return store_fail(s, err, "reading the _sync columns");
	while (sqlite3_step(st) == SQLITE_ROW) {
		name = (const char *)sqlite3_column_text(st, 1);
		for (i = 0; name != NULL && i < nitems(sync_counts); i++)
			if (strcmp(name, sync_counts[i]) == 0)
				have[i] = 1;
	}
	sqlite3_finalize(st);
	buf_init(&sql);
	for (i = 0; i < nitems(sync_counts); i++)
		if (!have[i])
			buf_addf(&sql, "ALTER TABLE _sync ADD COLUMN %s INTEGER "
			    "NOT NULL DEFAULT 0;", sync_counts[i]);
	if (sql.len > 0)
		rc = store_exec(s, sql.data, err);
	buf_free(&sql);
	return rc;
}

/*
 * _sync and the tables of every view that lives in this database file, in
 * one write transaction of statements that are all IF NOT EXISTS: any
 * number of workers may create a brand-new database at the same instant,
 * and the first to get the write lock creates everything at once.
 */
int
store_schema(struct store *s, struct wk_error *err)
{
	const struct view	*v;
	struct buf		 sql;
	size_t			 i;
	int			 rc;

	buf_init(&sql);
	buf_adds(&sql, "CREATE TABLE IF NOT EXISTS _sync ("
	    " kind TEXT NOT NULL, user TEXT NOT NULL, run_id INTEGER NOT NULL,"
	    " mode TEXT NOT NULL, state TEXT NOT NULL,"
	    " next_page INTEGER NOT NULL DEFAULT 0, pages INTEGER,"
	    " rows INTEGER NOT NULL DEFAULT 0, total INTEGER,"
	    " started_at TEXT, finished_at TEXT, watermark TEXT, probe TEXT,"
	    " PRIMARY KEY (kind, user));");
	for (i = 0; (v = view_at(i)) != NULL; i++)
		if (strcmp(v->db_name, s->v->db_name) == 0)
			store_table_sql(&sql, v);
	rc = store_exec(s, "BEGIN IMMEDIATE", err) == -1 ||
	    store_exec(s, sql.data, err) == -1 ||
	    store_migrate(s, err) == -1 ||
	    store_exec(s, "COMMIT", err) == -1 ? -1 : 0;
	buf_free(&sql);
	if (rc == -1) {
		(void)sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return store_exec(s, "CREATE TEMP TABLE IF NOT EXISTS _page (k);", err);
}

/*
 * Switch to WAL. Changing the journal mode needs the database to itself,
 * and SQLite may answer SQLITE_BUSY at once rather than through the busy
 * handler when another connection is opening it too: wait and try again,
 * for as long as the busy timeout.
 */
int
store_wal(struct store *s, struct wk_error *err)
{
	sqlite3_stmt	*st;
	struct timespec	 nap;
	const char	*mode;
	int64_t		 deadline = mono_ms() + STORE_BUSY_MS, pause = 5;
	int		 rc;

	for (;;) {
		if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = WAL", -1,
		    &st, NULL) != SQLITE_OK)
			return store_fail(s, err, "switching to WAL");
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			mode = (const char *)sqlite3_column_text(st, 0);
			rc = mode != NULL && strcasecmp(mode, "wal") == 0;
			sqlite3_finalize(st);
			if (rc)
				return 0;
			wk_error_set(err, ERR_STORAGE, "%s: cannot switch to WAL "
			    "(journal mode stays \"%s\"): is it on a network "
			    "file system?", s->path, mode ? mode : "?");
			return -1;
		}
		sqlite3_finalize(st);
		if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
			return store_fail(s, err, "switching to WAL");
		if (mono_ms() >= deadline)
			return store_fail(s, err, "switching to WAL (busy for "
			    "too long)");
		nap.tv_sec = 0;
		nap.tv_nsec = (long)pause * 1000000L;
		(void)nanosleep(&nap, NULL);
		pause = pause * 2 > 200 ? 200 : pause * 2;
	}
}
