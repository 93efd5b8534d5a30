/*
 * job.c — kinds, modes, triggers and the job state machine. Every change of
 * a job's state goes through job_set_state(), which logs it and tells the
 * one hook (the server: state.db, waiters, the queue).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "supervisor/supervisor.h"

static const char *kind_names[KIND_COUNT] = {
	"customers", "orders", "products", "prices"
};
static const char *mode_names[] = { "full", "delta" };
static const char *trigger_names[TRIG_COUNT] = {
	"schedule", "stale", "access", "reconnect", "login", "manual"
};
static const char *state_names[JOB_NSTATES] = {
	"queued", "starting", "running", "paused", "done", "failed",
	"cancelled"
};

static job_hook_fn	 job_hook;
static void		*job_hook_arg;

static int
name_parse(const char **names, size_t n, const char *s)
{
	size_t	 i;

	for (i = 0; s != NULL && i < n; i++)
		if (strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}

static const char *
name_of(const char **names, size_t n, unsigned i)
{
	return i < n ? names[i] : "?";
}

/* The kind's name in config sections, commands and database files. */
const char *
kind_name(enum kind k)
{
	return name_of(kind_names, nitems(kind_names), k);
}

/* Parse a kind name. */
int
kind_parse(const char *s, enum kind *k)
{
	int	 i;

	if ((i = name_parse(kind_names, nitems(kind_names), s)) == -1)
		return -1;
	*k = (enum kind)i;
	return 0;
}

/* Customers and orders are per agent; products and prices are global ("*"). */
int
kind_per_user(enum kind k)
{
	return k == KIND_CUSTOMERS || k == KIND_ORDERS;
}

/* Kinds that write the same database file share a group. */
const char *
kind_db_group(enum kind k)
{
	switch (k) {
	case KIND_CUSTOMERS:
		return "customers";
	case KIND_ORDERS:
		return "orders";
	default:
		return "products";
	}
}

/* The database a job of kind k for scope writes, under dir. */
void
kind_db_path(enum kind k, const char *scope, const char *dir, char *out,
    size_t len)
{
	if (k == KIND_CUSTOMERS)
		snprintf(out, len, "%s/customers-%s.db", dir, scope);
	else
		snprintf(out, len, "%s/%s.db", dir, kind_db_group(k));
}

/* "full" or "delta". */
const char *
job_mode_name(enum job_mode m)
{
	return name_of(mode_names, nitems(mode_names), m);
}

/* Parse "full" or "delta". */
int
job_mode_parse(const char *s, enum job_mode *m)
{
	int	 i;

	if ((i = name_parse(mode_names, nitems(mode_names), s)) == -1)
		return -1;
	*m = (enum job_mode)i;
	return 0;
}

/* The trigger's name (manual, login, ...). */
const char *
job_trigger_name(enum job_trigger t)
{
	return name_of(trigger_names, nitems(trigger_names), t);
}

/* Parse a trigger name. */
int
job_trigger_parse(const char *s, enum job_trigger *t)
{
	int	 i;

	if ((i = name_parse(trigger_names, nitems(trigger_names), s)) == -1)
		return -1;
	*t = (enum job_trigger)i;
	return 0;
}

/* The state's name, as in logs, state.db and admin replies. */
const char *
job_state_name(enum job_state s)
{
	return name_of(state_names, nitems(state_names), s);
}

/* Parse a state name. */
int
job_state_parse(const char *s, enum job_state *st)
{
	int	 i;

	if ((i = name_parse(state_names, nitems(state_names), s)) == -1)
		return -1;
	*st = (enum job_state)i;
	return 0;
}

/* Done, failed and cancelled are final. */
int
job_state_final(enum job_state s)
{
	return s == JOB_DONE || s == JOB_FAILED || s == JOB_CANCELLED;
}

/* Starting, running and paused jobs hold a worker and their locks. */
int
job_state_active(enum job_state s)
{
	return s == JOB_STARTING || s == JOB_RUNNING || s == JOB_PAUSED;
}

/* One number for trigger then kind: higher runs first (ties go by age). */
int
job_priority(const struct job *j)
{
	return (int)j->trigger * 10 + (KIND_COUNT - 1 - (int)j->kind);
}

/* A queued job; strings are copied. */
struct job *
job_new(int64_t id, enum kind k, const char *scope, const char *erp_user,
    enum job_mode mode, enum job_trigger trigger, int64_t now)
{
	struct job	*j;

	j = xcalloc(1, sizeof *j);
	j->id = id;
	j->kind = k;
	snprintf(j->scope, sizeof j->scope, "%s", scope);
	snprintf(j->erp_user, sizeof j->erp_user, "%s",
	    erp_user != NULL ? erp_user : "");
	j->mode = mode;
	j->trigger = trigger;
	j->state = JOB_QUEUED;
	j->sessions = 1;
	j->created_ms = now;
	j->progress.job = id;
	snprintf(j->progress.user, sizeof j->progress.user, "%s", j->scope);
	snprintf(j->progress.kind, sizeof j->progress.kind, "%s", kind_name(k));
	return j;
}

/* Free a job (it must not be on a list any more). */
void
job_free(struct job *j)
{
	free(j);
}

/* Set the function told about every state change (the server's). */
void
job_set_hook(job_hook_fn fn, void *arg)
{
	job_hook = fn;
	job_hook_arg = arg;
}

/* Record why a job failed; job_set_state() follows. */
void
job_set_error(struct job *j, enum err_class class, const char *fmt, ...)
{
	va_list	 ap;

	j->error_class = class;
	va_start(ap, fmt);
	vsnprintf(j->message, sizeof j->message, fmt, ap);
	va_end(ap);
}

/* Append to the job's message (truncated to fit). */
void
job_append_message(struct job *j, const char *fmt, ...)
{
	va_list	 ap;
	size_t	 len = strlen(j->message);

	va_start(ap, fmt);
	vsnprintf(j->message + len, sizeof j->message - len, fmt, ap);
	va_end(ap);
}

/* The one place a job changes state: logs the transition, then the hook. */
void
job_set_state(struct job *j, enum job_state to, int64_t now)
{
	enum job_state	 from = j->state;
	enum log_level	 level = LOG_INFO;

	if (from == to)
		return;
	if (job_state_final(from))
		fatalx("job %lld: %s -> %s: job already ended",
		    (long long)j->id, job_state_name(from), job_state_name(to));
	j->state = to;
	if (to == JOB_STARTING && j->started_ms == 0)
		j->started_ms = now;	/* the first attempt: the job's wall time */
	if (job_state_final(to))
		j->finished_ms = now;
	if (to == JOB_FAILED)
		level = LOG_WARN;
	if (to == JOB_FAILED || (to == JOB_CANCELLED && j->message[0] != '\0'))
		log_emit(level, j->id, j->scope, kind_name(j->kind),
		    "job %s -> %s: %s%s%s", job_state_name(from),
		    job_state_name(to), err_class_name(j->error_class),
		    j->error_class != ERR_NONE ? ": " : "", j->message);
	else
		log_emit(level, j->id, j->scope, kind_name(j->kind),
		    "job %s -> %s (%s %s)", job_state_name(from),
		    job_state_name(to), job_mode_name(j->mode),
		    job_trigger_name(j->trigger));
	if (job_hook != NULL)
		job_hook(j, from, job_hook_arg);
}
