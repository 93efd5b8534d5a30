/*
 * metrics.c — what erpsyncd counts (design §11), as Prometheus text format
 * 0.0.4: counters kept as jobs end, gauges read from the live state when
 * asked. No per-user labels. Served over HTTP by httpd.c and over the
 * admin socket by `metrics`.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "supervisor/supervisor.h"

#define OUTCOMES	3	/* done failed cancelled */

static const char *const outcome_names[OUTCOMES] = {
	"done", "failed", "cancelled"
};

/* Histogram buckets, seconds; +Inf is the count. */
#define HISTO_MAX	10
static const double dur_bounds[] = {
	1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600
};
static const double part_bounds[] = {
	0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 1800
};

struct histo {
	int64_t		 bucket[HISTO_MAX];	/* not cumulative */
	int64_t		 count;
	double		 sum;
};

/* Where a run's worker time went (msg_done), and the part's name. */
#define PARTS		5
static const char *const part_names[PARTS] = {
	"erp", "parse", "write", "paused", "other"
};

static struct {
	int64_t		 jobs[KIND_COUNT][TRIG_COUNT][OUTCOMES];
	struct histo	 duration[KIND_COUNT];
	int64_t		 pages[KIND_COUNT];
	int64_t		 rows[KIND_COUNT][3];	/* inserted updated deleted */
	int64_t		 requests[KIND_COUNT];
	int64_t		 request_retries[KIND_COUNT];
	int64_t		 req_hist[MSG_REQ_BUCKETS];	/* not cumulative */
	int64_t		 req_count;
	double		 req_sum_s;
	int64_t		 retries[ERR_CLASSES];
	int64_t		 failures[ERR_CLASSES];
	int64_t		 rss_kb[KIND_COUNT];	/* of the last worker */
	struct histo	 parts[PARTS];
} m;

/* Count v in h, whose bucket bounds are bounds[0..n). */
static void
histo_add(struct histo *h, const double *bounds, size_t n, double v)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (v <= bounds[i])
			break;
	if (i < n)
		h->bucket[i]++;
	h->count++;
	h->sum += v;
}

/* One histogram's samples; labels is "" or `kind="x",` and the like. */
static void
histo_render(struct buf *b, const char *name, const char *labels,
    const double *bounds, size_t n, const struct histo *h)
{
	int64_t	 cum = 0;
	size_t	 i;
	int	 nl = (int)strlen(labels) - 1;	/* without the last comma */

	for (i = 0; i < n; i++) {
		cum += h->bucket[i];
		buf_addf(b, "erpsync_%s_bucket{%sle=\"%g\"} %lld\n", name, labels,
		    bounds[i], (long long)cum);
	}
	buf_addf(b, "erpsync_%s_bucket{%sle=\"+Inf\"} %lld\n", name, labels,
	    (long long)h->count);
	if (nl > 0) {
		buf_addf(b, "erpsync_%s_sum{%.*s} %.3f\n", name, nl, labels,
		    h->sum);
		buf_addf(b, "erpsync_%s_count{%.*s} %lld\n", name, nl, labels,
		    (long long)h->count);
	} else {
		buf_addf(b, "erpsync_%s_sum %.3f\n", name, h->sum);
		buf_addf(b, "erpsync_%s_count %lld\n", name, (long long)h->count);
	}
}

/* A job ended for good (done, failed, cancelled): count it. */
void
metrics_job_ended(const struct job *j)
{
	int			 o;

	o = j->state == JOB_DONE ? 0 : j->state == JOB_FAILED ? 1 : 2;
	m.jobs[j->kind][j->trigger][o]++;
	if (j->state == JOB_FAILED)
		m.failures[j->error_class]++;
	if (j->started_ms > 0 && j->finished_ms >= j->started_ms)
		histo_add(&m.duration[j->kind], dur_bounds, nitems(dur_bounds),
		    (double)(j->finished_ms - j->started_ms) / 1000);
	if (j->maxrss_kb > 0)
		m.rss_kb[j->kind] = j->maxrss_kb;
}

/* A worker's run ended (any attempt): its pages, rows and requests. */
void
metrics_run_ended(const struct job *j)
{
	const struct msg_done	*d = &j->result;
	int64_t			 part[PARTS];
	size_t			 i;

	m.pages[j->kind] += j->progress.page;
	m.rows[j->kind][0] += j->progress.inserted;
	m.rows[j->kind][1] += j->progress.updated;
	m.rows[j->kind][2] += d->deleted;
	m.requests[j->kind] += d->requests;
	m.request_retries[j->kind] += d->request_retries;
	for (i = 0; i < MSG_REQ_BUCKETS; i++) {
		m.req_hist[i] += d->request_hist[i];
		m.req_count += d->request_hist[i];
	}
	m.req_sum_s += (double)d->erp_wait_ms / 1000;
	if (d->wall_ms <= 0)
		return;		/* no worker ran, or an old one */
	part[0] = d->erp_blocked_ms;
	part[1] = d->parse_ms;
	part[2] = d->write_ms;
	part[3] = d->paused_ms;
	part[4] = d->other_ms;
	for (i = 0; i < PARTS; i++)
		histo_add(&m.parts[i], part_bounds, nitems(part_bounds),
		    (double)part[i] / 1000);
}

/* A failed run will be retried. */
void
metrics_retry(enum err_class c)
{
	if ((unsigned)c < ERR_CLASSES)
		m.retries[c]++;
}

static void
head(struct buf *b, const char *name, const char *type, const char *help)
{
	buf_addf(b, "# HELP erpsync_%s %s\n# TYPE erpsync_%s %s\n", name, help,
	    name, type);
}

static void
render_jobs(struct buf *b)
{
	char	 labels[64];
	int	 k, t, o, p;

	head(b, "jobs_total", "counter", "Jobs ended, by kind, trigger and "
	    "outcome.");
	for (k = 0; k < KIND_COUNT; k++)
		for (t = 0; t < TRIG_COUNT; t++)
			for (o = 0; o < OUTCOMES; o++)
				buf_addf(b, "erpsync_jobs_total{kind=\"%s\","
				    "trigger=\"%s\",outcome=\"%s\"} %lld\n",
				    kind_name(k), job_trigger_name(t),
				    outcome_names[o],
				    (long long)m.jobs[k][t][o]);
	head(b, "job_duration_seconds", "histogram", "Wall time of ended jobs, "
	    "from their first attempt, by kind.");
	for (k = 0; k < KIND_COUNT; k++) {
		snprintf(labels, sizeof labels, "kind=\"%s\",", kind_name(k));
		histo_render(b, "job_duration_seconds", labels, dur_bounds,
		    nitems(dur_bounds), &m.duration[k]);
	}
	head(b, "run_part_seconds", "histogram", "Where each worker run's wall "
	    "time went: waiting on the ERP (erp), parsing, writing, paused, "
	    "the rest (other).");
	for (p = 0; p < PARTS; p++) {
		snprintf(labels, sizeof labels, "part=\"%s\",", part_names[p]);
		histo_render(b, "run_part_seconds", labels, part_bounds,
		    nitems(part_bounds), &m.parts[p]);
	}
}

static void
render_rows(struct buf *b)
{
	static const char *const changes[] = { "inserted", "updated",
	    "deleted" };
	int	 k, c;

	head(b, "pages_total", "counter", "Grid pages written, by kind.");
	for (k = 0; k < KIND_COUNT; k++)
		buf_addf(b, "erpsync_pages_total{kind=\"%s\"} %lld\n",
		    kind_name(k), (long long)m.pages[k]);
	head(b, "rows_total", "counter", "Rows inserted, updated and deleted "
	    "in the mirrors, by kind.");
	for (k = 0; k < KIND_COUNT; k++)
		for (c = 0; c < 3; c++)
			buf_addf(b, "erpsync_rows_total{kind=\"%s\","
			    "change=\"%s\"} %lld\n", kind_name(k), changes[c],
			    (long long)m.rows[k][c]);
}

/* Counter erpsync_NAME by error class, from v[class]. */
static void
by_class(struct buf *b, const char *name, const char *help,
    const int64_t *v)
{
	int	 i;

	head(b, name, "counter", help);
	for (i = 1; i < ERR_CLASSES; i++)
		buf_addf(b, "erpsync_%s{class=\"%s\"} %lld\n", name,
		    err_class_name(i), (long long)v[i]);
}

static void
render_erp(struct buf *b)
{
	int64_t	 cum = 0;
	int	 k, i;

	head(b, "erp_requests_total", "counter", "HTTP requests to the ERP, "
	    "by kind and outcome (retried: answered with a fault and sent "
	    "again).");
	for (k = 0; k < KIND_COUNT; k++) {
		buf_addf(b, "erpsync_erp_requests_total{kind=\"%s\","
		    "outcome=\"answered\"} %lld\n", kind_name(k),
		    (long long)(m.requests[k] - m.request_retries[k]));
		buf_addf(b, "erpsync_erp_requests_total{kind=\"%s\","
		    "outcome=\"retried\"} %lld\n", kind_name(k),
		    (long long)m.request_retries[k]);
	}
	head(b, "erp_request_seconds", "histogram", "Time of each HTTP request "
	    "to the ERP, as libcurl measured it.");
	for (i = 0; i < MSG_REQ_BUCKETS - 1; i++) {
		cum += m.req_hist[i];
		buf_addf(b, "erpsync_erp_request_seconds_bucket{le=\"%g\"} %lld\n",
		    (double)msg_req_bucket_ms[i] / 1000, (long long)cum);
	}
	buf_addf(b, "erpsync_erp_request_seconds_bucket{le=\"+Inf\"} %lld\n",
	    (long long)m.req_count);
	buf_addf(b, "erpsync_erp_request_seconds_sum %.3f\n", m.req_sum_s);
	buf_addf(b, "erpsync_erp_request_seconds_count %lld\n",
	    (long long)m.req_count);
	by_class(b, "retries_total", "Failed runs retried, by error class.",
	    m.retries);
	by_class(b, "failures_total", "Jobs failed for good, by error class.",
	    m.failures);
}

/* The gauges: read from the queue, the holds and freshness now. */
static void
render_now(struct buf *b, int64_t now)
{
	const struct job	*j;
	const struct hold	*h;
	int64_t			 queued = 0, running = 0, paused = 0, holds = 0;
	int64_t			 sessions = 0, best, age;
	size_t			 u;
	int			 k;

	TAILQ_FOREACH(j, &sv.queue.jobs, entry) {
		queued += j->state == JOB_QUEUED;
		running += j->state == JOB_STARTING || j->state == JOB_RUNNING;
		paused += j->state == JOB_PAUSED;
		if (job_state_active(j->state))
			sessions += j->sessions;
	}
	TAILQ_FOREACH(h, &sv.holds.list, entry)
		holds++;
	head(b, "queue_depth", "gauge", "Jobs queued.");
	buf_addf(b, "erpsync_queue_depth %lld\n", (long long)queued);
	head(b, "workers", "gauge", "Workers, by state.");
	buf_addf(b, "erpsync_workers{state=\"running\"} %lld\n",
	    (long long)running);
	buf_addf(b, "erpsync_workers{state=\"paused\"} %lld\n",
	    (long long)paused);
	head(b, "holds", "gauge", "Holds taken (granted or pending).");
	buf_addf(b, "erpsync_holds %lld\n", (long long)holds);
	head(b, "erp_sessions", "gauge", "ERP sessions granted to running and "
	    "paused jobs.");
	buf_addf(b, "erpsync_erp_sessions %lld\n", (long long)sessions);
	head(b, "worker_peak_rss_bytes", "gauge", "Peak RSS of the last worker "
	    "that ended, by kind.");
	for (k = 0; k < KIND_COUNT; k++)
		buf_addf(b, "erpsync_worker_peak_rss_bytes{kind=\"%s\"} %lld\n",
		    kind_name(k), (long long)m.rss_kb[k] * 1024);
	head(b, "freshest_sync_age_seconds", "gauge", "Age of the newest "
	    "successful sync, by kind, the largest over its scopes (the "
	    "stalest user); +Inf while a scope never had one; no sample for "
	    "a kind without scopes.");
	for (k = 0; k < KIND_COUNT; k++) {
		age = -1;	/* no scope */
		for (u = 0; u < sv.users.count && age != INT64_MAX; u++) {
			const struct fresh *f = &sv.users.all[u]->k[k];

			if (f->first_seen == 0 && f->last_full_ok == 0)
				continue;	/* not a scope of this kind */
			best = f->last_full_ok > f->last_delta_ok ?
			    f->last_full_ok : f->last_delta_ok;
			if (best == 0)
				age = INT64_MAX;	/* never */
			else if ((now - best) / 1000 > age)
				age = (now - best) / 1000;
		}
		if (age == INT64_MAX)
			buf_addf(b, "erpsync_freshest_sync_age_seconds{kind="
			    "\"%s\"} +Inf\n", kind_name(k));
		else if (age >= 0)
			buf_addf(b, "erpsync_freshest_sync_age_seconds{kind="
			    "\"%s\"} %lld\n", kind_name(k), (long long)age);
	}
	head(b, "up_seconds", "gauge", "Time since erpsyncd started.");
	buf_addf(b, "erpsync_up_seconds %lld\n",
	    (long long)((now - sv.started_ms) / 1000));
}

/* Everything, in the Prometheus text format 0.0.4. */
void
metrics_render(struct buf *b)
{
	render_jobs(b);
	render_rows(b);
	render_erp(b);
	render_now(b, now_ms());
}
