/*
 * ctl-watch-rate.c — rows per second of a job, as `erpsyncctl watch` sees
 * them over time. The supervisor gives no rate: its row counts are the
 * run's across attempts (a retry starts from its checkpoint's count) and
 * started_at includes time paused by holds, so rows / (now - started_at)
 * would be wrong after either. Instead the rate is rows read over time
 * spent running, since watch saw the job start running or resume.
 */
#include "supervisor/ctl.h"

#define WATCH_RATE_MIN_MS	1000	/* the shortest span a rate is told from */

/*
 * Take a sample of a job's rows at mono ms. The rate's baseline moves when
 * the job resumes (time paused or queued is not reading time) and when its
 * rows go down (another run), so a rate is rows read over time spent
 * running since watch saw the job start or resume.
 */
void
watch_rate_sample(struct watch_rate *r, int64_t job, int64_t mono,
    int64_t rows, int running)
{
	if (r->job != job || (running && !r->running) || rows < r->rows) {
		r->job = job;
		r->t0 = mono;
		r->rows0 = rows;
	}
	r->t = mono;
	r->rows = rows;
	r->running = running;
}

/* Rows per second, or -1 while not running or watched too briefly. */
double
watch_rate_get(const struct watch_rate *r)
{
	if (!r->running || r->t - r->t0 < WATCH_RATE_MIN_MS)
		return -1;
	return (double)(r->rows - r->rows0) * 1000.0 / (double)(r->t - r->t0);
}
