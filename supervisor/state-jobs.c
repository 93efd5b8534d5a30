/*
 * state-jobs.c — the job history in state.db: one row per job, saved at
 * every state change, read back for `jobs`, `wait` and `status`, pruned to
 * history_keep rows, and the boot-time recovery of interrupted jobs.
 */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "supervisor/supervisor.h"

#define JOB_COLS \
    "id, kind, user, erp_user, mode, \"trigger\", priority, state," \
    " created_at, started_at, finished_at, page, pages, rows, total," \
    " inserted, updated, unchanged, deleted, error_class, message, resume," \
    " attempts, fetched, skipped, sweep, resumed_from, cpu_ms, maxrss_kb," \
    " sessions, requests, request_retries, erp_wait_ms, wall_ms," \
    " erp_blocked_ms, parse_ms, write_ms, paused_ms, other_ms"

/* The next job id: one more than any id state.db has seen. */
int64_t
state_next_job_id(void)
{
	sqlite3_stmt	*st;
	int64_t		 id = 1;

	if ((st = state_prepare("SELECT max(id) FROM jobs")) == NULL)
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

	st = state_prepare("INSERT OR REPLACE INTO jobs (" JOB_COLS ") VALUES "
	    "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
	    "?,?,?,?,?,?,?,?,?)");
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, j->id);
	state_bind_text(st, 2, kind_name(j->kind));
	state_bind_text(st, 3, j->scope);
	state_bind_text(st, 4, j->erp_user);
	state_bind_text(st, 5, job_mode_name(j->mode));
	state_bind_text(st, 6, job_trigger_name(j->trigger));
	sqlite3_bind_int(st, 7, job_priority(j));
	state_bind_text(st, 8, job_state_name(j->state));
	sqlite3_bind_int64(st, 9, j->created_ms);
	state_bind_time(st, 10, j->started_ms);
	state_bind_time(st, 11, j->finished_ms);
	sqlite3_bind_int64(st, 12, j->progress.page);
	sqlite3_bind_int64(st, 13, j->progress.pages);
	sqlite3_bind_int64(st, 14, j->progress.seen);
	sqlite3_bind_int64(st, 15, j->progress.total);
	sqlite3_bind_int64(st, 16, j->progress.inserted);
	sqlite3_bind_int64(st, 17, j->progress.updated);
	sqlite3_bind_int64(st, 18, j->progress.unchanged);
	sqlite3_bind_int64(st, 19, j->result.deleted);
	state_bind_text(st, 20, err_class_name(j->error_class));
	state_bind_text(st, 21, j->message);
	sqlite3_bind_int(st, 22, j->resume);
	sqlite3_bind_int(st, 23, j->attempts);
	sqlite3_bind_int64(st, 24, j->result.fetched);
	sqlite3_bind_int64(st, 25, j->progress.skipped);
	state_bind_text(st, 26, j->result.sweep);
	sqlite3_bind_int64(st, 27, j->result.resumed_from);
	sqlite3_bind_int64(st, 28, j->cpu_ms);
	sqlite3_bind_int64(st, 29, j->maxrss_kb);
	sqlite3_bind_int(st, 30, j->sessions);
	sqlite3_bind_int64(st, 31, j->result.requests);
	sqlite3_bind_int64(st, 32, j->result.request_retries);
	sqlite3_bind_int64(st, 33, j->result.erp_wait_ms);
	sqlite3_bind_int64(st, 34, j->result.wall_ms);
	sqlite3_bind_int64(st, 35, j->result.erp_blocked_ms);
	sqlite3_bind_int64(st, 36, j->result.parse_ms);
	sqlite3_bind_int64(st, 37, j->result.write_ms);
	sqlite3_bind_int64(st, 38, j->result.paused_ms);
	sqlite3_bind_int64(st, 39, j->result.other_ms);
	return state_step(st);
}

/* Fill a job from a row selected with JOB_COLS. */
static void
job_from_row(sqlite3_stmt *st, struct job *j)
{
	char	 s[32];

	memset(j, 0, sizeof *j);
	j->id = sqlite3_column_int64(st, 0);
	state_col_text(st, 1, s, sizeof s);
	(void)kind_parse(s, &j->kind);
	state_col_text(st, 2, j->scope, sizeof j->scope);
	state_col_text(st, 3, j->erp_user, sizeof j->erp_user);
	state_col_text(st, 4, s, sizeof s);
	(void)job_mode_parse(s, &j->mode);
	state_col_text(st, 5, s, sizeof s);
	(void)job_trigger_parse(s, &j->trigger);
	state_col_text(st, 7, s, sizeof s);
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
	state_col_text(st, 20, j->message, sizeof j->message);
	state_col_text(st, 19, s, sizeof s);
	if (err_class_parse(s, &j->error_class) == -1)	/* not ours: keep it */
		job_append_message(j, " (error class \"%s\")", s);
	j->resume = sqlite3_column_int(st, 21);
	j->attempts = sqlite3_column_int(st, 22);
	j->result.fetched = sqlite3_column_int64(st, 23);
	j->progress.skipped = sqlite3_column_int64(st, 24);
	state_col_text(st, 25, j->result.sweep, sizeof j->result.sweep);
	j->result.resumed_from = sqlite3_column_int64(st, 26);
	j->cpu_ms = sqlite3_column_int64(st, 27);
	j->maxrss_kb = sqlite3_column_int64(st, 28);
	j->sessions = sqlite3_column_int(st, 29);
	j->result.requests = sqlite3_column_int64(st, 30);
	j->result.request_retries = sqlite3_column_int64(st, 31);
	j->result.erp_wait_ms = sqlite3_column_int64(st, 32);
	j->result.wall_ms = sqlite3_column_int64(st, 33);
	j->result.erp_blocked_ms = sqlite3_column_int64(st, 34);
	j->result.parse_ms = sqlite3_column_int64(st, 35);
	j->result.write_ms = sqlite3_column_int64(st, 36);
	j->result.paused_ms = sqlite3_column_int64(st, 37);
	j->result.other_ms = sqlite3_column_int64(st, 38);
}

/* Load job id; -1 when there is no such row. */
int
state_job_get(int64_t id, struct job *j)
{
	sqlite3_stmt	*st;
	int		 rc = -1;

	if ((st = state_prepare("SELECT " JOB_COLS " FROM jobs WHERE id = ?")) ==
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
	return state_jobs_recent_match(limit, "", "", "", fn, arg);
}

/*
 * The same, of those with that kind, user (scope) and state; "" (bound
 * as NULL) matches any. limit counts the matching jobs.
 */
int
state_jobs_recent_match(int limit, const char *kind, const char *user,
    const char *state, state_job_fn fn, void *arg)
{
	sqlite3_stmt	*st;
	struct job	 j;

	st = state_prepare("SELECT " JOB_COLS " FROM jobs WHERE state IN "
	    "('done', 'failed', 'cancelled') AND (?2 IS NULL OR kind = ?2) AND "
	    "(?3 IS NULL OR user = ?3) AND (?4 IS NULL OR state = ?4) "
	    "ORDER BY id DESC LIMIT ?1");
	if (st == NULL)
		return -1;
	sqlite3_bind_int(st, 1, limit);
	state_bind_text(st, 2, kind);
	state_bind_text(st, 3, user);
	state_bind_text(st, 4, state);
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
	if ((st = state_prepare("SELECT state, count(*) FROM jobs GROUP BY state")) ==
	    NULL)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		state_col_text(st, 0, name, sizeof name);
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

	if ((st = state_prepare("UPDATE jobs SET state = 'failed', error_class = "
	    "'crashed', message = 'supervisor restarted', finished_at = ?, "
	    "resume = 1 WHERE state IN ('starting', 'running', 'paused')")) ==
	    NULL)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	if (state_step(st) == -1)
		return -1;
	if ((st = state_prepare("UPDATE jobs SET state = 'cancelled', message = "
	    "'supervisor restarted; requeued', finished_at = ?, resume = 1 "
	    "WHERE state = 'queued'")) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	if (state_step(st) == -1)
		return -1;
	if ((st = state_prepare("SELECT " JOB_COLS " FROM jobs WHERE resume = 1 "
	    "ORDER BY id")) == NULL)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		job_from_row(st, &j);
		fn(&j, arg);
	}
	sqlite3_finalize(st);
	if ((st = state_prepare("UPDATE jobs SET resume = 0 WHERE resume = 1")) ==
	    NULL)
		return -1;
	return state_step(st);
}

/* Keep only the last keep jobs of the history. */
int
state_prune(int64_t keep)
{
	sqlite3_stmt	*st;

	if ((st = state_prepare("DELETE FROM jobs WHERE id <= (SELECT id FROM jobs "
	    "ORDER BY id DESC LIMIT 1 OFFSET ?)")) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, keep);
	return state_step(st);
}
