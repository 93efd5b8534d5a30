/*
 * checkpoint.c — the run's row in the _sync table of the mirror (design.md
 * §4): a new run or the one to resume (store_begin_run), its starting
 * probe, and its end with the watermark the next delta starts from. The
 * page writer advances the same row with each page (store_write_page).
 */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "worker/worker.h"

/*
 * Read the kind's _sync row into c: the run to resume (c->resumed), or
 * the unfinished run a new one leaves behind (c->left_*). 1 when there is
 * a row, 0 when not, -1 on error. Inside store_begin_run's transaction.
 */
static int
store_read_run(struct store *s, const char *mode, int resume,
    struct checkpoint *c)
{
	sqlite3_stmt	*st;
	const char	*state, *was;
	int		 found = 0, unfinished;

	if (sqlite3_prepare_v2(s->db, "SELECT run_id, mode, state, next_page,"
	    " pages, total, watermark, probe, rows, inserted, updated,"
	    " unchanged, skipped, page_size FROM _sync"
	    " WHERE kind = ?1 AND user = ?2",
	    -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, s->v->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, s->user, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		found = 1;
		c->run_id = sqlite3_column_int64(st, 0);
		was = (const char *)sqlite3_column_text(st, 1);
		state = (const char *)sqlite3_column_text(st, 2);
		unfinished = state != NULL && strcmp(state, "done") != 0 &&
		    sqlite3_column_int64(st, 3) > 0;
		if (unfinished && (!resume || was == NULL ||
		    strcmp(was, mode) != 0)) {
			c->left_run = c->run_id;
			c->left_page = sqlite3_column_int64(st, 3);
			c->left_pages = sqlite3_column_int64(st, 4);
		} else if (unfinished) {
			c->resumed = 1;
			c->next_page = sqlite3_column_int64(st, 3);
			c->pages = sqlite3_column_int64(st, 4);
			c->total = sqlite3_column_int64(st, 5);
			if (sqlite3_column_text(st, 7) != NULL)
				snprintf(c->probe, sizeof c->probe, "%s",
				    (const char *)sqlite3_column_text(st, 7));
			c->base.seen = sqlite3_column_int64(st, 8);
			c->base.inserted = sqlite3_column_int64(st, 9);
			c->base.updated = sqlite3_column_int64(st, 10);
			c->base.unchanged = sqlite3_column_int64(st, 11);
			c->base.skipped = sqlite3_column_int64(st, 12);
			c->page_size = sqlite3_column_int64(st, 13);
		}
		if (sqlite3_column_text(st, 6) != NULL)
			snprintf(c->watermark, sizeof c->watermark, "%s",
			    (const char *)sqlite3_column_text(st, 6));
	}
	sqlite3_finalize(st);
	return found;
}

/*
 * Start or resume a run. With resume, a run of the same mode that did not
 * finish goes on at its next page with the same run_id; otherwise (or
 * without resume: a new run reads every page) a new run_id, and c->left_*
 * say which unfinished run was left behind.
 */
int
store_begin_run(struct store *s, const char *mode, int resume,
    struct checkpoint *c, struct wk_error *err)
{
	sqlite3_stmt	*st;
	char		 ts[40];
	int		 found;

	memset(c, 0, sizeof c[0]);
	snprintf(c->mode, sizeof c->mode, "%s", mode);
	/* Read and write the checkpoint in one write transaction. */
	if (store_exec(s, "BEGIN IMMEDIATE", err) == -1)
		return -1;
	if ((found = store_read_run(s, mode, resume, c)) == -1)
		goto fail;
	if (c->resumed) {
		if (sqlite3_prepare_v2(s->db, "UPDATE _sync SET state = 'running',"
		    " resumed_from = next_page WHERE kind = ?1 AND user = ?2", -1,
		    &st, NULL) != SQLITE_OK)
			goto fail;
	} else {
		c->run_id++;
		iso8601_utc(now_ms(), ts, sizeof ts);
		if (sqlite3_prepare_v2(s->db, found ?
		    "UPDATE _sync SET run_id = ?3, mode = ?4, state = 'running',"
		    " next_page = 0, pages = NULL, rows = 0, total = NULL,"
		    " probe = NULL, inserted = 0, updated = 0, unchanged = 0,"
		    " skipped = 0, resumed_from = 0, page_size = 0,"
		    " started_at = ?5, finished_at = NULL"
		    " WHERE kind = ?1 AND user = ?2" :
		    "INSERT INTO _sync (kind, user, run_id, mode, state,"
		    " started_at) VALUES (?1, ?2, ?3, ?4, 'running', ?5)",
		    -1, &st, NULL) != SQLITE_OK)
			goto fail;
		sqlite3_bind_int64(st, 3, c->run_id);
		sqlite3_bind_text(st, 4, mode, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, ts, -1, SQLITE_TRANSIENT);
	}
	sqlite3_bind_text(st, 1, s->v->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, s->user, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_finalize(st);
		goto fail;
	}
	sqlite3_finalize(st);
	if (store_exec(s, "COMMIT", err) == -1) {
		(void)sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return s->v->run_sql ? store_exec(s, s->v->run_sql, err) : 0;
fail:
	store_fail(s, err, "writing the checkpoint");
	(void)sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* Remember the run's starting probe, so a resumed run keeps it. */
int
store_set_probe(struct store *s, const char *probe, struct wk_error *err)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (sqlite3_prepare_v2(s->db, "UPDATE _sync SET probe = ?3 WHERE"
	    " kind = ?1 AND user = ?2", -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, err, "saving the probe");
	sqlite3_bind_text(st, 1, s->v->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, s->user, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, probe, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, err, "saving the probe");
}

/* The watermark the last finished run left, or "" (no delta possible yet). */
int
store_last_watermark(struct store *s, char *out, size_t len)
{
	sqlite3_stmt	*st;

	out[0] = '\0';
	if (sqlite3_prepare_v2(s->db, "SELECT watermark FROM _sync WHERE"
	    " kind = ?1 AND user = ?2", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, s->v->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, s->user, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) == SQLITE_TEXT)
		snprintf(out, len, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return 0;
}

/* Close the run: state done or failed, and the new watermark when given. */
int
store_finish(struct store *s, const struct checkpoint *c, const char *state,
    const char *watermark, struct wk_error *err)
{
	sqlite3_stmt	*st;
	char		 ts[40];
	int		 rc;

	(void)c;
	iso8601_utc(now_ms(), ts, sizeof ts);
	if (sqlite3_prepare_v2(s->db, "UPDATE _sync SET state = ?3,"
	    " finished_at = ?4, watermark = COALESCE(?5, watermark)"
	    " WHERE kind = ?1 AND user = ?2", -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, err, "finishing the run");
	sqlite3_bind_text(st, 1, s->v->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, s->user, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, state, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, ts, -1, SQLITE_STATIC);
	if (watermark != NULL && *watermark != '\0')
		sqlite3_bind_text(st, 5, watermark, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, err, "finishing the run");
	return 0;
}
