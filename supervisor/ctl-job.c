/*
 * ctl-job.c — how erpsyncctl tells one job: the RESULT words of the `jobs`
 * table ("swept 12", "no sweep: ERP changed", "erp: ..."), its duration,
 * the `jobs JOB` detail view and the last line of `sync --wait` and `wait`.
 * Everything comes from the job map the daemon sends (cmd_pack_job), live
 * or from state.db's history alike.
 */
#include <stdio.h>
#include <string.h>

#include "supervisor/ctl.h"

/* The job's duration in seconds (to now while it runs), -1 if unstarted. */
int64_t
ctl_job_seconds(const msgpack_object *j, int64_t now_ms)
{
	int64_t	 started = ctl_int(j, "started_at");
	int64_t	 finished = ctl_int(j, "finished_at");

	if (started <= 0)
		return -1;
	if (finished < started)
		finished = now_ms;
	return (finished - started + 500) / 1000;
}

/*
 * The sweep verdict's short form: the words before its first ':' ("swept
 * 12", "ERP changed"), as the worker writes them.
 */
static void
ctl_job_verdict(const char *sweep, char *out, size_t len)
{
	size_t	 n = strcspn(sweep, ":");

	snprintf(out, len, "%.*s", (int)n, sweep);
}

/*
 * What a job came to, in a few words: for a live one why it waits (or
 * nothing), for a done one its sweep verdict and whether it resumed, for a
 * failed one its class and message.
 */
char *
ctl_job_result(const msgpack_object *j, char *out, size_t len)
{
	char	 state[16], mode[8], sweep[256], verdict[64], class[16];
	char	 msg[512], resumed[48] = "";
	int64_t	 from = ctl_int(j, "resumed_from");

	ctl_str(j, "state", state, sizeof state);
	ctl_str(j, "mode", mode, sizeof mode);
	ctl_str(j, "error_class", class, sizeof class);
	ctl_str(j, "message", msg, sizeof msg);
	if (from > 0)
		snprintf(resumed, sizeof resumed, ", resumed at page %lld",
		    (long long)from);
	if (strcmp(state, "done") == 0) {
		ctl_str(j, "sweep", sweep, sizeof sweep);
		ctl_job_verdict(sweep, verdict, sizeof verdict);
		if (sweep[0] == '\0')
			snprintf(out, len, "%s%s", strcmp(mode, "delta") == 0 ?
			    "delta, no sweep" : "no sweep", resumed);
		else if (strncmp(sweep, "swept ", 6) == 0)
			snprintf(out, len, "%s%s", verdict, resumed);
		else
			snprintf(out, len, "no sweep: %s%s", verdict, resumed);
	} else if (strcmp(state, "failed") == 0)
		snprintf(out, len, "%s%s%s", class, class[0] != '\0' ? ": " : "",
		    msg);
	else if (strcmp(state, "cancelled") == 0)
		snprintf(out, len, "%s", msg[0] != '\0' ? msg : "cancelled");
	else {
		/* Why it waits, and what ended its last attempt if it did. */
		ctl_str(j, "blocked", sweep, sizeof sweep);
		snprintf(out, len, "%s%s%s%s%s", sweep, sweep[0] != '\0' &&
		    (class[0] != '\0' || msg[0] != '\0') ? "; " : "", class,
		    class[0] != '\0' ? ": " : "", msg);
	}
	return out;
}

/* "4,000 rows (+10 ~2 =3,988, 1 skipped, 5 deleted)". */
static void
ctl_job_rows(const msgpack_object *j, char *out, size_t len)
{
	char	 rows[32], ins[32], upd[32], unch[32], skip[32], del[32];

	snprintf(out, len, "%s rows (+%s ~%s =%s, %s skipped, %s deleted)",
	    ctl_count(ctl_int(j, "rows"), rows, sizeof rows),
	    ctl_count(ctl_int(j, "inserted"), ins, sizeof ins),
	    ctl_count(ctl_int(j, "updated"), upd, sizeof upd),
	    ctl_count(ctl_int(j, "unchanged"), unch, sizeof unch),
	    ctl_count(ctl_int(j, "skipped"), skip, sizeof skip),
	    ctl_count(ctl_int(j, "deleted"), del, sizeof del));
}

/* ms as "840 ms" below 10 s, else "12.3 s". */
static const char *
ctl_secs(int64_t ms, char *out, size_t len)
{
	if (ms < 10000 && ms > -10000)
		snprintf(out, len, "%lld ms", (long long)ms);
	else
		snprintf(out, len, "%lld.%lld s", (long long)(ms / 1000),
		    (long long)(ms < 0 ? -ms : ms) % 1000 / 100);
	return out;
}

/*
 * Where the last attempt's worker time went: "ERP 3.9 s · parse 512 ms ·
 * write 96 ms · paused 0 ms · other 61 ms = 4.6 s; 38 requests (0
 * retried), 5.2 s of request time"; "" when the job has no worker times.
 */
char *
ctl_job_times(const msgpack_object *j, char *out, size_t len)
{
	char	 a[24], b[24], c[24], d[24], e[24], w[24], r[24];

	if (ctl_int(j, "worker_wall_ms") <= 0) {
		out[0] = '\0';
		return out;
	}
	snprintf(out, len, "ERP %s · parse %s · write %s · paused %s · "
	    "other %s = %s; %lld requests (%lld retried), %s of request time",
	    ctl_secs(ctl_int(j, "erp_blocked_ms"), a, sizeof a),
	    ctl_secs(ctl_int(j, "parse_ms"), b, sizeof b),
	    ctl_secs(ctl_int(j, "write_ms"), c, sizeof c),
	    ctl_secs(ctl_int(j, "paused_ms"), d, sizeof d),
	    ctl_secs(ctl_int(j, "other_ms"), e, sizeof e),
	    ctl_secs(ctl_int(j, "worker_wall_ms"), w, sizeof w),
	    (long long)ctl_int(j, "requests"),
	    (long long)ctl_int(j, "request_retries"),
	    ctl_secs(ctl_int(j, "erp_wait_ms"), r, sizeof r));
	return out;
}

/*
 * The end of a job: where its worker's time went, then one line about it
 * (`sync --wait`, `wait`; scripts read the last line).
 */
void
ctl_print_result(const msgpack_object *j)
{
	char	 kind[16], user[USER_ID_MAX + 1], state[16], d[32], rows[160];
	char	 result[512], times[256];
	int64_t	 secs = ctl_job_seconds(j, now_ms());

	ctl_job_rows(j, rows, sizeof rows);
	if (ctl_job_times(j, times, sizeof times)[0] != '\0')
		printf("time: %s\n", times);
	printf("job %lld %s %s: %s", (long long)ctl_int(j, "id"),
	    ctl_str(j, "kind", kind, sizeof kind),
	    ctl_str(j, "user", user, sizeof user),
	    ctl_str(j, "state", state, sizeof state));
	if (secs >= 0 && ctl_int(j, "finished_at") != 0)
		printf(" in %s", duration_format(secs, d, sizeof d));
	printf(": %s", rows);
	if (ctl_int(j, "attempts") > 1)
		printf(", %lld attempts", (long long)ctl_int(j, "attempts"));
	ctl_job_result(j, result, sizeof result);
	if (strcmp(state, "failed") == 0)
		printf("; error %s", result);
	else if (result[0] != '\0')
		printf("; %s", result);
	printf("\n");
	fflush(stdout);
}

/* `jobs JOB`: every fact the daemon keeps about one job. */
void
ctl_print_job(const msgpack_object *j)
{
	char	 kind[16], user[USER_ID_MAX + 1], erp_user[USER_ID_MAX + 1];
	char	 mode[8], state[16], trig[16], t1[32], t2[32], t3[32], d[32];
	char	 rows[160], s[512], rss[32];
	int64_t	 secs = ctl_job_seconds(j, now_ms()), from, nb;

	printf("job %lld  %s %s  %s  %s\n", (long long)ctl_int(j, "id"),
	    ctl_str(j, "kind", kind, sizeof kind),
	    ctl_str(j, "user", user, sizeof user),
	    ctl_str(j, "mode", mode, sizeof mode),
	    ctl_str(j, "state", state, sizeof state));
	printf("  trigger    %s, priority %lld, %lld attempt%s\n",
	    ctl_str(j, "trigger", trig, sizeof trig),
	    (long long)ctl_int(j, "priority"), (long long)ctl_int(j,
	    "attempts"), ctl_int(j, "attempts") == 1 ? "" : "s");
	printf("  times      created %s, started %s, finished %s\n",
	    ctl_time(ctl_int(j, "created_at"), t1, sizeof t1),
	    ctl_time(ctl_int(j, "started_at"), t2, sizeof t2),
	    ctl_time(ctl_int(j, "finished_at"), t3, sizeof t3));
	if (secs >= 0)
		printf("  duration   %s%s\n", duration_format(secs, d, sizeof d),
		    ctl_int(j, "finished_at") == 0 ? " so far" : "");
	if ((nb = ctl_int(j, "not_before")) > 0 && nb > now_ms())
		printf("  next try   %s\n", ctl_ago(nb, now_ms(), t1, sizeof t1));
	from = ctl_int(j, "resumed_from");
	printf("  pages      %lld/%lld, %lld fetched from the ERP; %s\n",
	    (long long)ctl_int(j, "page"), (long long)ctl_int(j, "pages"),
	    (long long)ctl_int(j, "fetched"), from > 0 ? "" :
	    "a run from the first page");
	if (from > 0)
		printf("  resumed    the unfinished run at page %lld\n",
		    (long long)from);
	ctl_job_rows(j, rows, sizeof rows);
	printf("  rows       %s of %s the ERP reported\n", rows,
	    ctl_count(ctl_int(j, "total"), t1, sizeof t1));
	ctl_str(j, "sweep", s, sizeof s);
	printf("  sweep      %s\n", s[0] != '\0' ? s :
	    strcmp(mode, "delta") == 0 ? "none: a delta deletes nothing" :
	    strcmp(state, "done") == 0 ? "none" : "none: the run did not end");
	if (ctl_job_times(j, s, sizeof s)[0] != '\0')
		printf("  time       %s (the last attempt's worker)\n", s);
	if (ctl_int(j, "worker_cpu_ms") > 0 || ctl_int(j, "worker_maxrss_kb") > 0)
		printf("  worker     %lld ms CPU, peak RSS %s kB, %lld ERP "
		    "session%s\n", (long long)ctl_int(j, "worker_cpu_ms"),
		    ctl_count(ctl_int(j, "worker_maxrss_kb"), rss, sizeof rss),
		    (long long)ctl_int(j, "sessions"),
		    ctl_int(j, "sessions") == 1 ? "" : "s");
	ctl_str(j, "erp_user", erp_user, sizeof erp_user);
	if (strcmp(erp_user, user) != 0)
		printf("  logs in as %s\n", erp_user);
	ctl_str(j, "error_class", t1, sizeof t1);
	ctl_str(j, "message", s, sizeof s);
	if (t1[0] != '\0')
		printf("  error      %s: %s\n", t1, s);
	else if (s[0] != '\0')
		printf("  message    %s\n", s);
	ctl_str(j, "blocked", s, sizeof s);
	if (s[0] != '\0')
		printf("  waiting    %s\n", s);
	fflush(stdout);
}
