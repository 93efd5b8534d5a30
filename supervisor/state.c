/*
 * state.c — state.db, the supervisor's own SQLite database (design §4):
 * users, freshness per (user, kind) and the job history. Never a password.
 */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "supervisor/supervisor.h"

static sqlite3	*db;

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
    "CREATE INDEX IF NOT EXISTS jobs_state ON jobs (state);";

#define JOB_COLS \
    "id, kind, user, erp_user, mode, \"trigger\", priority, state," \
    " created_at, started_at, finished_at, page, pages, rows, total," \
    " inserted, updated, unchanged, deleted, error_class, message, resume"

/* Open (creating) state.db in WAL mode. */
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
	return 0;
}

/* Close state.db. */
void
state_close(void)
{
	if (db != NULL)
		sqlite3_close(db);
	db = NULL;
}

static sqlite3_stmt *
prepare(const char *sql)
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

static int
step_done(sqlite3_stmt *st)
{
	int	 rc;

	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		log_warnx("state.db: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

static void
bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL || *s == '\0')
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

static void
bind_time(sqlite3_stmt *st, int i, int64_t ms)
{
	if (ms == 0)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, ms);
}

/* The next job id: one more than any id state.db has seen. */
int64_t
state_next_job_id(void)
{
	sqlite3_stmt	*st;
	int64_t		 id = 1;

	if ((st = prepare("SELECT max(id) FROM jobs")) == NULL)
		return 1;
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0) + 1;
	sqlite3_finalize(st);
	return id;
}

/* Insert or update a job's row. */
int
state_job_save(const struct job *j)
{
	sqlite3_stmt	*st;

	st = prepare("INSERT OR REPLACE INTO jobs (" JOB_COLS ") VALUES "
	    "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, j->id);
	bind_text(st, 2, kind_name(j->kind));
	bind_text(st, 3, j->scope);
	bind_text(st, 4, j->erp_user);
	bind_text(st, 5, job_mode_name(j->mode));
	bind_text(st, 6, job_trigger_name(j->trigger));
	sqlite3_bind_int(st, 7, job_priority(j));
	bind_text(st, 8, job_state_name(j->state));
	sqlite3_bind_int64(st, 9, j->created_ms);
	bind_time(st, 10, j->started_ms);
	bind_time(st, 11, j->finished_ms);
	sqlite3_bind_int64(st, 12, j->progress.page);
	sqlite3_bind_int64(st, 13, j->progress.pages);
	sqlite3_bind_int64(st, 14, j->progress.seen);
	sqlite3_bind_int64(st, 15, j->progress.total);
	sqlite3_bind_int64(st, 16, j->progress.inserted);
	sqlite3_bind_int64(st, 17, j->progress.updated);
	sqlite3_bind_int64(st, 18, j->progress.unchanged);
	sqlite3_bind_int64(st, 19, j->result.deleted);
	bind_text(st, 20, j->error_class);
	bind_text(st, 21, j->message);
	sqlite3_bind_int(st, 22, j->resume);
	return step_done(st);
}

static void
col_text(sqlite3_stmt *st, int i, char *dst, size_t len)
{
	const unsigned char	*s = sqlite3_column_text(st, i);

	snprintf(dst, len, "%s", s != NULL ? (const char *)s : "");
}

/* Fill a job from a row selected with JOB_COLS. */
static void
job_from_row(sqlite3_stmt *st, struct job *j)
{
	char	 s[32];

	memset(j, 0, sizeof *j);
	j->id = sqlite3_column_int64(st, 0);
	col_text(st, 1, s, sizeof s);
	(void)kind_parse(s, &j->kind);
	col_text(st, 2, j->scope, sizeof j->scope);
	col_text(st, 3, j->erp_user, sizeof j->erp_user);
	col_text(st, 4, s, sizeof s);
	(void)job_mode_parse(s, &j->mode);
	col_text(st, 5, s, sizeof s);
	(void)job_trigger_parse(s, &j->trigger);
	col_text(st, 7, s, sizeof s);
	(void)job_state_parse(s, &j->state);
	j->created_ms = sqlite3_column_int64(st, 8);
	j->started_ms = sqlite3_column_int64(st, 9);
	j->finished_ms = sqlite3_column_int64(st, 10);
	j->progress.job = j->id;
	j->progress.page = sqlite3_column_int64(st, 11);
	j->progress.pages = sqlite3_column_int64(st, 12);
	j->progress.seen = sqlite3_column_int64(st, 13);
	j->progress.total = sqlite3_column_int64(st, 14);
	j->progress.inserted = sqlite3_column_int64(st, 15);
	j->progress.updated = sqlite3_column_int64(st, 16);
	j->progress.unchanged = sqlite3_column_int64(st, 17);
	j->result.deleted = sqlite3_column_int64(st, 18);
	col_text(st, 19, j->error_class, sizeof j->error_class);
	col_text(st, 20, j->message, sizeof j->message);
	j->resume = sqlite3_column_int(st, 21);
}

/* Load job id; -1 when there is no such row. */
int
state_job_get(int64_t id, struct job *j)
{
	sqlite3_stmt	*st;
	int		 rc = -1;

	if ((st = prepare("SELECT " JOB_COLS " FROM jobs WHERE id = ?")) ==
	    NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		job_from_row(st, j);
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

/* Call fn for the last limit ended jobs, newest first. */
int
state_jobs_recent(int limit, state_job_fn fn, void *arg)
{
	sqlite3_stmt	*st;
	struct job	 j;

	st = prepare("SELECT " JOB_COLS " FROM jobs WHERE state IN "
	    "('done', 'failed', 'cancelled') ORDER BY id DESC LIMIT ?");
	if (st == NULL)
		return -1;
	sqlite3_bind_int(st, 1, limit);
	while (sqlite3_step(st) == SQLITE_ROW) {
		job_from_row(st, &j);
		fn(&j, arg);
	}
	sqlite3_finalize(st);
	return 0;
}

/* How many jobs of the history are in each state. */
int
state_job_counts(int64_t counts[JOB_NSTATES])
{
	sqlite3_stmt	*st;
	enum job_state	 s;
	char		 name[32];

	memset(counts, 0, sizeof(int64_t) * JOB_NSTATES);
	if ((st = prepare("SELECT state, count(*) FROM jobs GROUP BY state")) ==
	    NULL)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		col_text(st, 0, name, sizeof name);
		if (job_state_parse(name, &s) == 0)
			counts[s] = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return 0;
}

/*
 * At boot: jobs left starting, running or paused failed with the old
 * supervisor (class crashed); those and the ones left queued are marked to
 * resume. fn is called for each job to resume, then the marks are cleared.
 */
int
state_recover(state_job_fn fn, void *arg)
{
	sqlite3_stmt	*st;
	struct job	 j;
	int64_t		 now = now_ms();

	if ((st = prepare("UPDATE jobs SET state = 'failed', error_class = "
	    "'crashed', message = 'supervisor restarted', finished_at = ?, "
	    "resume = 1 WHERE state IN ('starting', 'running', 'paused')")) ==
	    NULL)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	if (step_done(st) == -1)
		return -1;
	if ((st = prepare("UPDATE jobs SET state = 'cancelled', message = "
	    "'supervisor restarted; requeued', finished_at = ?, resume = 1 "
	    "WHERE state = 'queued'")) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	if (step_done(st) == -1)
		return -1;
	if ((st = prepare("SELECT " JOB_COLS " FROM jobs WHERE resume = 1 "
	    "ORDER BY id")) == NULL)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		job_from_row(st, &j);
		fn(&j, arg);
	}
	sqlite3_finalize(st);
	if ((st = prepare("UPDATE jobs SET resume = 0 WHERE resume = 1")) ==
	    NULL)
		return -1;
	return step_done(st);
}

/* After a job ended: freshness of (user, kind), and the user's login flag. */
int
state_freshness_update(const struct job *j)
{
	sqlite3_stmt	*st;
	char		 err[600];
	int		 ok = j->state == JOB_DONE;

	if (j->state == JOB_CANCELLED)
		return 0;
	st = prepare("INSERT INTO freshness (user, kind, last_full_ok, "
	    "last_delta_ok, last_attempt, failures, last_error) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
	    "ON CONFLICT (user, kind) DO UPDATE SET "
	    "last_full_ok = coalesce(?3, last_full_ok), "
	    "last_delta_ok = coalesce(?4, last_delta_ok), "
	    "last_attempt = ?5, "
	    "failures = CASE WHEN ?6 = 0 THEN 0 ELSE failures + 1 END, "
	    "last_error = ?7");
	if (st == NULL)
		return -1;
	snprintf(err, sizeof err, "%s: %s", j->error_class, j->message);
	bind_text(st, 1, j->scope);
	bind_text(st, 2, kind_name(j->kind));
	bind_time(st, 3, ok && j->mode == MODE_FULL ? j->finished_ms : 0);
	bind_time(st, 4, ok ? j->finished_ms : 0);
	sqlite3_bind_int64(st, 5, j->finished_ms);
	sqlite3_bind_int(st, 6, ok ? 0 : 1);
	bind_text(st, 7, ok ? NULL : err);
	if (step_done(st) == -1)
		return -1;
	if (!ok && strcmp(j->error_class, "auth") != 0)
		return 0;
	st = prepare("INSERT INTO users (user, needs_login, last_ok_at, "
	    "updated_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (user) DO UPDATE "
	    "SET needs_login = ?2, last_ok_at = coalesce(?3, last_ok_at), "
	    "updated_at = ?4");
	if (st == NULL)
		return -1;
	bind_text(st, 1, j->erp_user[0] != '\0' ? j->erp_user : j->scope);
	sqlite3_bind_int(st, 2, ok ? 0 : 1);
	bind_time(st, 3, ok ? j->finished_ms : 0);
	sqlite3_bind_int64(st, 4, j->finished_ms);
	return step_done(st);
}

/* Keep only the last keep jobs of the history. */
int
state_prune(int keep)
{
	sqlite3_stmt	*st;

	if ((st = prepare("DELETE FROM jobs WHERE id <= (SELECT id FROM jobs "
	    "ORDER BY id DESC LIMIT 1 OFFSET ?)")) == NULL)
		return -1;
	sqlite3_bind_int(st, 1, keep);
	return step_done(st);
}
