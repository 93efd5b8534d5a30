/*
 * state.c — state.db, the supervisor's own SQLite database (design §4):
 * users, freshness per (user, kind), the job history (state-jobs.c,
 * state-fresh.c) and a few meta values. Never a password. This file opens
 * it, migrates older schemas and holds the helpers the others share.
 */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "supervisor/supervisor.h"

static sqlite3	*db;
static int	 in_tx;

static const char *schema =
    "CREATE TABLE IF NOT EXISTS users ("
    " user TEXT PRIMARY KEY,"
    " needs_login INTEGER NOT NULL DEFAULT 0,"
    " last_ok_at INTEGER,"
    " updated_at INTEGER);"
    "CREATE TABLE IF NOT EXISTS freshness ("
    " user TEXT NOT NULL,"
    " kind TEXT NOT NULL,"
    " last_full_ok INTEGER,"
    " last_delta_ok INTEGER,"
    " last_attempt INTEGER,"
    " failures INTEGER NOT NULL DEFAULT 0,"
    " last_error TEXT,"
    " PRIMARY KEY (user, kind));"
    "CREATE TABLE IF NOT EXISTS jobs ("
    " id INTEGER PRIMARY KEY,"
    " kind TEXT NOT NULL,"
    " user TEXT NOT NULL,"
    " erp_user TEXT,"
    " mode TEXT NOT NULL,"
    " \"trigger\" TEXT NOT NULL,"
    " priority INTEGER NOT NULL,"
    " state TEXT NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " started_at INTEGER,"
    " finished_at INTEGER,"
    " page INTEGER, pages INTEGER, rows INTEGER, total INTEGER,"
    " inserted INTEGER, updated INTEGER, unchanged INTEGER,"
    " deleted INTEGER,"
    " error_class TEXT,"
    " message TEXT,"
    " resume INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS jobs_state ON jobs (state);"
    "CREATE TABLE IF NOT EXISTS meta ("
    " key TEXT PRIMARY KEY,"
    " value INTEGER);";

/* Columns added since the first schema: (table, column, declaration). */
static const char *migrations[][3] = {
	{ "freshness", "first_seen", "INTEGER" },
	{ "jobs", "attempts", "INTEGER NOT NULL DEFAULT 0" },
	{ "jobs", "fetched", "INTEGER" },
	{ "jobs", "skipped", "INTEGER" },
	{ "jobs", "sweep", "TEXT" },
	{ "jobs", "resumed_from", "INTEGER" },
	{ "jobs", "cpu_ms", "INTEGER" },
	{ "jobs", "maxrss_kb", "INTEGER" },
	{ "jobs", "sessions", "INTEGER" },
	{ "jobs", "requests", "INTEGER" },
	{ "jobs", "request_retries", "INTEGER" },
	{ "jobs", "erp_wait_ms", "INTEGER" },
	{ "jobs", "wall_ms", "INTEGER" },
	{ "jobs", "erp_blocked_ms", "INTEGER" },
	{ "jobs", "parse_ms", "INTEGER" },
	{ "jobs", "write_ms", "INTEGER" },
	{ "jobs", "paused_ms", "INTEGER" },
	{ "jobs", "other_ms", "INTEGER" },
};

static int
state_has_column(const char *table, const char *col)
{
	sqlite3_stmt	*st;
	char		 sql[128], name[64];
	int		 found = 0;

	snprintf(sql, sizeof sql, "PRAGMA table_info(%s)", table);
	if ((st = state_prepare(sql)) == NULL)
		return 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		state_col_text(st, 1, name, sizeof name);
		found |= strcmp(name, col) == 0;
	}
	sqlite3_finalize(st);
	return found;
}

static int
state_migrate(char *err, size_t errlen)
{
	char	 sql[256], *msg = NULL;
	size_t	 i;

	for (i = 0; i < nitems(migrations); i++) {
		if (state_has_column(migrations[i][0], migrations[i][1]))
			continue;
		snprintf(sql, sizeof sql, "ALTER TABLE %s ADD COLUMN %s %s",
		    migrations[i][0], migrations[i][1], migrations[i][2]);
		if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
			snprintf(err, errlen, "%s: %s", sql, msg);
			sqlite3_free(msg);
			return -1;
		}
	}
	return 0;
}

/* Open (creating or migrating) state.db in WAL mode. */
int
state_open(const char *path, char *err, size_t errlen)
{
	char	*msg = NULL;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, db != NULL ?
		    sqlite3_errmsg(db) : "cannot open");
		state_close();
		return -1;
	}
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_exec(db, "PRAGMA journal_mode = WAL;"
	    "PRAGMA synchronous = NORMAL;", NULL, NULL, &msg) != SQLITE_OK ||
	    sqlite3_exec(db, schema, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, msg != NULL ? msg : "?");
		sqlite3_free(msg);
		state_close();
		return -1;
	}
	if (state_migrate(err, errlen) == -1) {
		state_close();
		return -1;
	}
	return 0;
}

/* Close state.db. */
void
state_close(void)
{
	if (db != NULL)
		sqlite3_close(db);
	db = NULL;
	in_tx = 0;
}

/* A prepared statement, or NULL (logged). */
sqlite3_stmt *
state_prepare(const char *sql)
{
	sqlite3_stmt	*st;

	if (db == NULL)
		return NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		log_warnx("state.db: %s", sqlite3_errmsg(db));
		return NULL;
	}
	return st;
}

/* Step a statement once and finalize it; -1 on error (logged). */
int
state_step(sqlite3_stmt *st)
{
	int	 rc;

	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		log_warnx("state.db: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

/* Bind a string; "" and NULL become NULL. */
void
state_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL || *s == '\0')
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

/* Bind a time in ms; 0 becomes NULL. */
void
state_bind_time(sqlite3_stmt *st, int i, int64_t ms)
{
	if (ms == 0)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, ms);
}

/* Copy a text column ("" for NULL). */
void
state_col_text(sqlite3_stmt *st, int i, char *dst, size_t len)
{
	const unsigned char	*s = sqlite3_column_text(st, i);

	snprintf(dst, len, "%s", s != NULL ? (const char *)s : "");
}

/*
 * Does state.db take a write now (for /healthz)? A write transaction that
 * touches a row, rolled back; waits at most 200 ms for another writer.
 * 0, or -1 with why.
 */
int
state_writable(char *why, size_t len)
{
	int	 rc;

	if (db == NULL) {
		snprintf(why, len, "not open");
		return -1;
	}
	if (in_tx)
		return 0;	/* in the middle of our own write */
	sqlite3_busy_timeout(db, 200);
	rc = sqlite3_exec(db, "BEGIN IMMEDIATE;"
	    "INSERT OR REPLACE INTO meta (key, value) VALUES ('healthz', 1)",
	    NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		snprintf(why, len, "%s", sqlite3_errmsg(db));
	(void)sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_busy_timeout(db, 5000);
	return rc == SQLITE_OK ? 0 : -1;
}

/* Group the writes that follow in one transaction (not nested). */
void
state_begin(void)
{
	if (db == NULL || in_tx)
		return;
	if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK)
		in_tx = 1;
}

/* Commit what state_begin() opened. */
void
state_commit(void)
{
	if (db == NULL || !in_tx)
		return;
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		log_warnx("state.db: commit: %s", sqlite3_errmsg(db));
	in_tx = 0;
}

/* A meta value, 0 when unset. */
int64_t
state_meta_get(const char *key)
{
	sqlite3_stmt	*st;
	int64_t		 v = 0;

	if ((st = state_prepare("SELECT value FROM meta WHERE key = ?")) ==
	    NULL)
		return 0;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Set a meta value. */
int
state_meta_set(const char *key, int64_t v)
{
	sqlite3_stmt	*st;

	if ((st = state_prepare("INSERT OR REPLACE INTO meta (key, value) "
	    "VALUES (?, ?)")) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, v);
	return state_step(st);
}
