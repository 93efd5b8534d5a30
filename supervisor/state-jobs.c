/*
 * state-jobs.c — the job history in state.db: one row per job, saved at
 * every state change, read back for `jobs`, `wait` and `status`, pruned to
 * history_keep rows, and the boot-time recovery of interrupted jobs.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "supervisor/supervisor.h"

/*
 * A job's row, as a table: the column, how it is stored, and where it
 * lives in struct job. Saving, loading and the column list all read it:
 * a new column is one line here and one migration in state.c.
 */
enum jtype {
	JT_I64,		/* int64_t */
	JT_INT,		/* int */
	JT_TIME,	/* int64_t ms, 0 stored as NULL */
	JT_TEXT,	/* char[size] */
	JT_KIND, JT_MODE, JT_TRIG, JT_STATE, JT_CLASS,	/* names */
	JT_PRIO		/* job_priority(), saved only */
};

struct jcol {
	const char	*name;
	enum jtype	 type;
	size_t		 off;
	size_t		 size;
};

#define JC(n, t, m)	{ n, t, offsetof(struct job, m), 0 }
#define JS(n, m)	{ n, JT_TEXT, offsetof(struct job, m), \
			  sizeof(((struct job *)0)->m) }

static const struct jcol jcols[] = {
	JC("id", JT_I64, id),
	JC("kind", JT_KIND, kind),
	JS("user", scope),
	JS("erp_user", erp_user),
	JC("mode", JT_MODE, mode),
	JC("\"trigger\"", JT_TRIG, trigger),
	JC("priority", JT_PRIO, id),
	JC("state", JT_STATE, state),
	JC("created_at", JT_I64, created_ms),
	JC("started_at", JT_TIME, started_ms),
	JC("finished_at", JT_TIME, finished_ms),
	JC("page", JT_I64, progress.page),
	JC("pages", JT_I64, progress.pages),
	JC("rows", JT_I64, progress.seen),
	JC("total", JT_I64, progress.total),
	JC("inserted", JT_I64, progress.inserted),
	JC("updated", JT_I64, progress.updated),
	JC("unchanged", JT_I64, progress.unchanged),
	JC("deleted", JT_I64, result.deleted),
	JS("message", message),
	JC("error_class", JT_CLASS, error_class),	/* after message */
	JC("resume", JT_INT, resume),
	JC("attempts", JT_INT, attempts),
	JC("fetched", JT_I64, result.fetched),
	JC("skipped", JT_I64, progress.skipped),
	JS("sweep", result.sweep),
	JC("resumed_from", JT_I64, result.resumed_from),
	JC("cpu_ms", JT_I64, cpu_ms),
	JC("maxrss_kb", JT_I64, maxrss_kb),
	JC("sessions", JT_INT, sessions),
	JC("requests", JT_I64, result.requests),
	JC("request_retries", JT_I64, result.request_retries),
	JC("erp_wait_ms", JT_I64, result.erp_wait_ms),
	JC("wall_ms", JT_I64, result.wall_ms),
	JC("erp_blocked_ms", JT_I64, result.erp_blocked_ms),
	JC("parse_ms", JT_I64, result.parse_ms),
	JC("write_ms", JT_I64, result.write_ms),
	JC("paused_ms", JT_I64, result.paused_ms),
	JC("other_ms", JT_I64, result.other_ms),
};

/* "id, kind, user, ...": the columns, in jcols order. */
static const char *
job_cols(void)
{
	static char	 cols[1024];
	size_t		 i, n = 0;

	if (cols[0] != '\0')
		return cols;
	for (i = 0; i < nitems(jcols); i++)
		n += (size_t)snprintf(cols + n, sizeof cols - n, "%s%s",
		    i > 0 ? ", " : "", jcols[i].name);
	if (n >= sizeof cols)
		fatalx("state-jobs: column list too long");
	return cols;
}

/* A SELECT of every column, then sql after FROM jobs. */
static sqlite3_stmt *
job_select(const char *where)
{
	char	 sql[2048];

	snprintf(sql, sizeof sql, "SELECT %s FROM jobs %s", job_cols(), where);
	return state_prepare(sql);
}

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
	const char	*base = (const char *)j;
	sqlite3_stmt	*st;
	char		 sql[2048];
	size_t		 i, n;
	int		 c;

	n = (size_t)snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO jobs "
	    "(%s) VALUES (", job_cols());
	for (i = 0; i < nitems(jcols) && n < sizeof sql; i++)
		n += (size_t)snprintf(sql + n, sizeof sql - n, "%s?%s",
		    i > 0 ? "," : "", i + 1 == nitems(jcols) ? ")" : "");
	if (n >= sizeof sql)
		fatalx("state-jobs: insert too long");
	if ((st = state_prepare(sql)) == NULL)
		return -1;
	for (i = 0; i < nitems(jcols); i++) {
		const void *p = base + jcols[i].off;

		c = (int)i + 1;
		switch (jcols[i].type) {
		case JT_I64:
			sqlite3_bind_int64(st, c, *(const int64_t *)p);
			break;
		case JT_INT:
			sqlite3_bind_int(st, c, *(const int *)p);
			break;
		case JT_TIME:
			state_bind_time(st, c, *(const int64_t *)p);
			break;
		case JT_TEXT:
			state_bind_text(st, c, p);
			break;
		case JT_KIND:
			state_bind_text(st, c, kind_name(j->kind));
			break;
		case JT_MODE:
			state_bind_text(st, c, job_mode_name(j->mode));
			break;
		case JT_TRIG:
			state_bind_text(st, c, job_trigger_name(j->trigger));
			break;
		case JT_STATE:
			state_bind_text(st, c, job_state_name(j->state));
			break;
		case JT_CLASS:
			state_bind_text(st, c, err_class_name(j->error_class));
			break;
		case JT_PRIO:
			sqlite3_bind_int(st, c, job_priority(j));
			break;
		}
	}
	return state_step(st);
}

/* Fill a job from a row selected with job_select(). */
static void
job_from_row(sqlite3_stmt *st, struct job *j)
{
	char	*base = (char *)j, s[64];
	size_t	 i;
	int	 c;

	memset(j, 0, sizeof *j);
	for (i = 0; i < nitems(jcols); i++) {
		void *p = base + jcols[i].off;

		c = (int)i;
		switch (jcols[i].type) {
		case JT_I64:
		case JT_TIME:
			*(int64_t *)p = sqlite3_column_int64(st, c);
			break;
		case JT_INT:
			*(int *)p = sqlite3_column_int(st, c);
			break;
		case JT_TEXT:
			state_col_text(st, c, p, jcols[i].size);
			break;
		case JT_PRIO:
			break;
		default:
			state_col_text(st, c, s, sizeof s);
			if (jcols[i].type == JT_KIND)
				(void)kind_parse(s, &j->kind);
			else if (jcols[i].type == JT_MODE)
				(void)job_mode_parse(s, &j->mode);
			else if (jcols[i].type == JT_TRIG)
				(void)job_trigger_parse(s, &j->trigger);
			else if (jcols[i].type == JT_STATE)
				(void)job_state_parse(s, &j->state);
			else if (err_class_parse(s, &j->error_class) == -1)
				/* Not ours: keep it (message is read). */
				job_append_message(j, " (error class \"%s\")", s);
			break;
		}
	}
	j->progress.job = j->id;
}

/* Call fn for each job st selects (with job_select()), then finalize st. */
static void
job_each(sqlite3_stmt *st, state_job_fn fn, void *arg)
{
	struct job	 j;

	while (sqlite3_step(st) == SQLITE_ROW) {
		job_from_row(st, &j);
		fn(&j, arg);
	}
	sqlite3_finalize(st);
}

/* Load job id; -1 when there is no such row. */
int
state_job_get(int64_t id, struct job *j)
{
	sqlite3_stmt	*st;
	int		 rc = -1;

	if ((st = job_select("WHERE id = ?")) == NULL)
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

	st = job_select("WHERE state IN ('done', 'failed', 'cancelled') AND "
	    "(?2 IS NULL OR kind = ?2) AND (?3 IS NULL OR user = ?3) AND "
	    "(?4 IS NULL OR state = ?4) ORDER BY id DESC LIMIT ?1");
	if (st == NULL)
		return -1;
	sqlite3_bind_int(st, 1, limit);
	state_bind_text(st, 2, kind);
	state_bind_text(st, 3, user);
	state_bind_text(st, 4, state);
	job_each(st, fn, arg);
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
	if ((st = job_select("WHERE resume = 1 ORDER BY id")) == NULL)
		return -1;
	job_each(st, fn, arg);
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
