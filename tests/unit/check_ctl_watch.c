/*
 * check_ctl_watch.c — what `erpsyncctl watch` draws from a snapshot (issue
 * 8, item 4: it said "2 running" while both jobs were paused by a hold and
 * did not list queued jobs): counts that match the sections, the hold that
 * pauses a job, why a queued job waits, rates and ETAs, and lines that stay
 * within 80 columns when user ids and reasons are long.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/testutil.h"
#include "supervisor/ctl.h"

#define NOW	1750000000000LL		/* wall ms */

static struct watch_job		 jobs[64];
static struct watch_hold	 holds[4];
static struct watch_snap	 snap;
static struct buf		 out;

static void
setup(void)
{
	memset(jobs, 0, sizeof jobs);
	memset(holds, 0, sizeof holds);
	memset(&snap, 0, sizeof snap);
	snap.now = NOW;
	snap.cols = WATCH_COLS;
	snap.jobs = jobs;
	snap.holds = holds;
	buf_init(&out);
}

static void
teardown(void)
{
	buf_free(&out);
}

static struct watch_job *
add_job(int64_t id, const char *kind, const char *user, const char *state)
{
	struct watch_job	*j = &jobs[snap.njobs++];

	j->id = id;
	snprintf(j->kind, sizeof j->kind, "%s", kind);
	snprintf(j->user, sizeof j->user, "%s", user);
	snprintf(j->mode, sizeof j->mode, "full");
	snprintf(j->state, sizeof j->state, "%s", state);
	snprintf(j->trigger, sizeof j->trigger, "manual");
	j->created_at = NOW - 5000;
	j->rate = -1;
	if (strcmp(state, "queued") != 0) {
		j->started_at = NOW - 65000;
		j->page = 20;
		j->pages = 60;
		j->rows = 1000;
		j->total = 3000;
	} else
		snap.queued_total++;
	return j;
}

static struct watch_hold *
add_hold(int64_t id, const char *user, int64_t pid, const char *reason)
{
	struct watch_hold	*h = &holds[snap.nholds++];

	h->id = id;
	h->pid = pid;
	snprintf(h->user, sizeof h->user, "%s", user);
	snprintf(h->reason, sizeof h->reason, "%s", reason);
	return h;
}

static const char *
draw(void)
{
	buf_reset(&out);
	watch_draw(&snap, &out);
	ck_assert_ptr_nonnull(out.data);
	return out.data;
}

/* The screen s shows text want; prints the screen if it does not. */
static void
shows(const char *s, const char *want)
{
	ck_assert_msg(strstr(s, want) != NULL, "no \"%s\" in:\n%s", want, s);
}

/* Columns of a line of UTF-8: one per character. */
static size_t
cols(const char *s, size_t n)
{
	size_t	 i, c = 0;

	for (i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

/* The widest line of s, and how many lines it has. */
static size_t
widest(const char *s, size_t *nlines)
{
	const char	*nl;
	size_t		 w = 0, c;

	*nlines = 0;
	for (; *s != '\0'; s = nl + 1) {
		nl = strchr(s, '\n');
		ck_assert_msg(nl != NULL, "a line without its newline");
		c = cols(s, (size_t)(nl - s));
		if (c > w)
			w = c;
		(*nlines)++;
	}
	return w;
}

/* The job lines (indent, then an id) between title and the next title. */
static int
section_jobs(const char *s, const char *title)
{
	const char	*p = strstr(s, title), *nl;
	int		 n = 0;

	if (p == NULL)
		return 0;
	/* "  %6lld  kind ...": an id ends in column 8; details start at 11 */
	for (p = strchr(p, '\n') + 1; *p == ' '; p = nl + 1) {
		nl = strchr(p, '\n');
		n += nl - p > 8 && p[7] >= '0' && p[7] <= '9';
	}
	return n;
}

/* The bug: two jobs paused by a hold were counted as running. */
START_TEST(test_paused_are_not_running)
{
	const char	*s;

	add_hold(3, "agent1", 4567, "new order");
	add_job(1, "customers", "agent1", "paused")->hold = 3;
	add_job(2, "orders", "agent1", "paused")->hold = 3;
	s = draw();
	shows(s, "  0 running · 2 paused · 0 queued · 1 hold\n");
	ck_assert_ptr_null(strstr(s, "running ("));
	ck_assert_int_eq(section_jobs(s, "paused (2)\n"), 2);
}
END_TEST

START_TEST(test_counts_match_sections)
{
	const char	*s;

	add_job(10, "customers", "agent1", "running");
	add_job(11, "products", "*", "starting");
	add_job(12, "customers", "agent2", "paused");
	add_job(13, "orders", "agent1", "queued");
	add_job(14, "orders", "agent2", "queued");
	add_job(15, "prices", "*", "queued");
	snap.queued_total = 5;		/* two of them not listed */
	snap.have_status = 1;
	snap.workers = 3;
	snap.max_workers = 4;
	snap.uptime_s = 200;
	s = draw();
	shows(s, "  2 running · 1 paused · 5 queued · 0 holds · "
	    "3/4 workers, up 3m20s\n");
	ck_assert_int_eq(section_jobs(s, "running (2)\n"), 2);
	ck_assert_int_eq(section_jobs(s, "paused (1)\n"), 1);
	ck_assert_int_eq(section_jobs(s, "queued (5)\n"), 3);
	shows(s, "  … and 2 more queued\n");
}
END_TEST

START_TEST(test_paused_shows_hold)
{
	const char	*s;

	add_hold(2, "agent2", 1111, "other");
	add_hold(3, "agent1", 4567, "new order");
	add_job(1, "customers", "agent1", "paused")->hold = 3;
	s = draw();
	shows(s, "\n          paused by hold 3 (agent1, pid "
	    "4567): new order\n");
	/* a hold on every user, without a reason */
	snap.nholds = 0;
	add_hold(3, "*", 99, "");
	s = draw();
	shows(s, "paused by hold 3 (all users, pid 99)\n");
	/* released since: the supervisor's words */
	snap.nholds = 0;
	snprintf(jobs[0].blocked, sizeof jobs[0].blocked,
	    "paused, no hold left: resuming");
	s = draw();
	shows(s, "\n          paused, no hold left: resuming\n");
}
END_TEST

START_TEST(test_running_pausing)
{
	const char	*s;

	add_hold(4, "agent1", 4567, "new order");
	add_job(1, "customers", "agent1", "running")->hold = 4;
	s = draw();
	shows(s, "pausing by hold 4 (agent1, pid 4567): new "
	    "order\n");
}
END_TEST

START_TEST(test_queued_reasons)
{
	struct watch_job	*j;
	const char		*s;

	add_hold(3, "agent1", 4567, "new order");
	j = add_job(5, "orders", "agent1", "queued");
	j->hold = 3;
	snprintf(j->blocked, sizeof j->blocked, "held by hold 3");
	j = add_job(6, "orders", "agent2", "queued");
	snprintf(j->blocked, sizeof j->blocked, "max_workers (4) all busy");
	j = add_job(7, "customers", "agent3", "queued");
	j->not_before = NOW + 25000;
	j->attempts = 2;
	snprintf(j->blocked, sizeof j->blocked, "retry in 25s");
	add_job(8, "customers", "agent4", "queued");
	s = draw();
	shows(s, "\n          held by hold 3 (agent1, pid 4567): "
	    "new order\n");
	shows(s, "\n          max_workers (4) all busy\n");
	shows(s, "\n          backoff: retry in 25s (at ");
	shows(s, "), after 2 attempts\n");
	shows(s, "\n          ready: starts at the next pass\n");
	shows(s, "manual, queued 5s ago\n");
	ck_assert_int_eq(section_jobs(s, "queued (4)\n"), 4);
}
END_TEST

/*
 * A running job 1m5s in, at page 20 of 60: its rows, total and rate, and
 * what its line shows then (and its bar, where given).
 */
static const struct {
	int64_t		 rows, total;
	double		 rate;
	const char	*want;
	const char	*bar;
} rates[] = {
	/* 2,000 rows left at 10 rows/s */
	{ 1000, 3000, 10, "\n          page 20/60  1,000/3,000 rows  "
	    "elapsed 1m5s  10 rows/s  ETA 3m20s\n",
	    "[######--------------]  33%\n" },
	/* slow: a decimal, and the ETA rounds up */
	{ 1000, 3000, 3.0, "  3.0 rows/s  ETA 11m7s\n", NULL },
	/* no total yet: a rate but no ETA */
	{ 1000, 0, 1234.4, "  1,000 rows  elapsed 1m5s  1,234 rows/s  ETA "
	    "—\n", NULL },
	/* no rate yet */
	{ 1000, 3000, -1, "  — rows/s  ETA —\n", NULL },
	/* nothing read in a while: no ETA either */
	{ 1000, 3000, 0, "  0.0 rows/s  ETA —\n", NULL },
	/* all read: nothing left */
	{ 3000, 3000, 50, "  50 rows/s  ETA 0s\n", NULL },
};

START_TEST(test_rate_and_eta)
{
	struct watch_job	*j;
	const char		*s;

	j = add_job(1, "customers", "agent1", "running");
	j->rows = rates[_i].rows;
	j->total = rates[_i].total;
	j->rate = rates[_i].rate;
	s = draw();
	shows(s, rates[_i].want);
	if (rates[_i].bar != NULL)
		shows(s, rates[_i].bar);
}
END_TEST

START_TEST(test_rate_samples)
{
	static const struct {
		int64_t	 job, ms, rows;
		int	 running;
		double	 rate;		/* rows a second; -1: none */
	} steps[] = {
		{ 7, 1000, 100, 1, -1 },	/* one sample */
		{ 7, 1500, 150, 1, -1 },	/* under a second */
		{ 7, 3000, 300, 1, 100.0 },
		/* paused for a minute: no rate, and the pause does not count */
		{ 7, 4000, 400, 0, -1 },
		{ 7, 64000, 400, 0, -1 },
		{ 7, 65000, 400, 1, -1 },
		{ 7, 67000, 420, 1, 10.0 },
		/* rows went down: another run, measured afresh */
		{ 7, 68000, 50, 1, -1 },
		/* another job in the slot: its own baseline */
		{ 8, 69000, 5000, 1, -1 },
		{ 8, 71000, 5100, 1, 50.0 },
	};
	struct watch_rate	 r;
	size_t			 i;

	memset(&r, 0, sizeof r);
	for (i = 0; i < nitems(steps); i++) {
		watch_rate_sample(&r, steps[i].job, steps[i].ms, steps[i].rows,
		    steps[i].running);
		if (steps[i].rate < 0)
			ck_assert_msg(watch_rate_get(&r) < 0, "step %zu: a rate",
			    i);
		else
			ck_assert_double_eq_tol(watch_rate_get(&r),
			    steps[i].rate, 1e-9);
	}
}
END_TEST

/* A user id as long as they come (64), and a long reason, in 80 columns. */
START_TEST(test_long_user_fits)
{
	char		 user[USER_ID_MAX + 1], reason[200];
	const char	*s, *l1, *l2;
	size_t		 w, n;
	struct watch_job *j;

	ck_assert_int_eq(USER_ID_MAX, 64);
	memset(user, 'u', USER_ID_MAX);
	memcpy(user, "agent.with.a.long.name", 22);
	user[USER_ID_MAX] = '\0';
	memset(reason, 'r', sizeof reason - 1);
	reason[sizeof reason - 1] = '\0';
	add_hold(9, user, 4567, reason);
	add_job(1, "customers", user, "paused")->hold = 9;
	add_job(2, "customers", "agent1", "running");
	j = add_job(3, "orders", user, "queued");
	j->hold = 9;
	j = add_job(4, "orders", "agent2", "queued");
	snprintf(j->blocked, sizeof j->blocked, "max_sessions_per_user (2) all "
	    "in use by %s (job 1, 2)", user);
	s = draw();
	w = widest(s, &n);
	ck_assert_msg(w <= 80, "a line of %zu columns:\n%s", w, s);
	/* the user column is cut at 20 columns, and marked */
	shows(s, "customers agent.with.a.long.n… full ");
	/* the bars of a long and a short user start in the same column */
	l1 = strstr(s, "      1  customers");
	l2 = strstr(s, "      2  customers");
	ck_assert_ptr_nonnull(l1);
	ck_assert_ptr_nonnull(l2);
	ck_assert_uint_eq(cols(l1, (size_t)(strchr(l1, '[') - l1)),
	    cols(l2, (size_t)(strchr(l2, '[') - l2)));
	/* the holder's user is cut too, so the reason starts on the line */
	shows(s, "paused by hold 9 (agent.with.a.long.nameu…, pid "
	    "4567): rrr");
	shows(s, "rrr…\n");
	/* narrower terminals get narrower lines */
	snap.cols = 40;
	s = draw();
	w = widest(s, &n);
	ck_assert_msg(w <= 40, "a line of %zu columns:\n%s", w, s);
}
END_TEST

/* Multi-byte characters are cut whole, never in the middle. */
START_TEST(test_cut_utf8)
{
	const char	*s, *p;
	char		 user[64] = "";	/* 30 × "è", 2 bytes each */
	size_t		 w, n;
	int		 i;

	for (i = 0; i < 30; i++)
		strcat(user, "\xc3\xa8");
	add_job(1, "customers", user, "running");
	s = draw();
	w = widest(s, &n);
	ck_assert_uint_le(w, 80);
	p = strstr(s, "customers \xc3\xa8");
	ck_assert_ptr_nonnull(p);
	/* 19 whole characters, then the mark */
	ck_assert(strncmp(p + 10 + 19 * 2, "…", strlen("…")) == 0);
}
END_TEST

/* On a screen, the queued list is cut to fit and says how many are left. */
START_TEST(test_queued_fits_screen)
{
	const char	*s;
	size_t		 w, n;
	int		 i;

	add_job(1, "customers", "agent1", "running");
	for (i = 0; i < 20; i++)
		add_job(100 + i, "orders", "agent1", "queued");
	snap.lines = 12;
	s = draw();
	w = widest(s, &n);
	ck_assert_uint_le(n, 12);
	ck_assert_uint_le(w, 80);
	/* header, running title, 2 lines of job 1, queued title: 7 left */
	shows(s, "queued (20)\n");
	ck_assert_int_eq(section_jobs(s, "queued (20)\n"), 3);
	shows(s, "  … and 17 more queued\n");
	/* when they all fit, no "more" line */
	snap.njobs = 4;
	snap.queued_total = 3;
	s = draw();
	w = widest(s, &n);
	ck_assert_uint_eq(n, 11);
	ck_assert_ptr_null(strstr(s, "more queued"));
}
END_TEST

START_TEST(test_nothing)
{
	const char	*s = draw();

	shows(s, "  0 running · 0 paused · 0 queued · 0 holds\n"
	    "  nothing running, paused or queued\n");
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("ctl_watch");
	TCase	*tc;

	tc = test_case(s, "draw", test_paused_are_not_running,
	    test_counts_match_sections, test_paused_shows_hold,
	    test_running_pausing, test_queued_reasons, test_rate_samples,
	    test_long_user_fits, test_cut_utf8, test_queued_fits_screen,
	    test_nothing, NULL);
	tcase_add_loop_test(tc, test_rate_and_eta, 0, nitems(rates));
	tcase_add_checked_fixture(tc, setup, teardown);
	return test_run(s);
}
