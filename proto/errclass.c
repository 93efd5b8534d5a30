/*
 * errclass.c — the error classes of design §5 as one table: the name on
 * the wire and in state.db, whether the supervisor retries, the worker's
 * exit code, and what the class means. The worker and the supervisor both
 * read it; nothing compares class names as strings.
 */
#include <string.h>

#include "proto/proto.h"

static const struct {
	const char	*name;
	enum err_retry	 retry;
	int		 exit_code;	/* the worker's, when it fails so */
} classes[ERR_CLASSES] = {
	[ERR_NONE] =	 { "", RETRY_NEVER, EXIT_WORKER_OK },
	/* A wrong password: the user needs a login. */
	[ERR_AUTH] =	 { "auth", RETRY_NEVER, EXIT_WORKER_PERMANENT },
	/* The ERP refused a session: too many. */
	[ERR_BUSY] =	 { "busy", RETRY_AUTOMATIC, EXIT_WORKER_TEMPORARY },
	/* 5xx, timeouts, drops, cut answers past the request budget. */
	[ERR_ERP] =	 { "erp", RETRY_AUTOMATIC, EXIT_WORKER_TEMPORARY },
	/* Markup not as the contract says, twice for the same request. */
	[ERR_CONTRACT] = { "contract", RETRY_NEVER, EXIT_WORKER_PERMANENT },
	/* What only the operator can fix (a TLS trust, a URL). */
	[ERR_CONFIG] =	 { "config", RETRY_NEVER, EXIT_WORKER_PERMANENT },
	/* SQLite could not write (disk full, locked past the timeout). */
	[ERR_STORAGE] =	 { "storage", RETRY_AUTOMATIC, EXIT_WORKER_TEMPORARY },
	/* A bad frame between the supervisor and a worker. */
	[ERR_PROTOCOL] = { "protocol", RETRY_NEVER, EXIT_WORKER_PERMANENT },
	/* The worker died (a signal, an exit without done). */
	[ERR_CRASHED] =	 { "crashed", RETRY_ALWAYS, EXIT_WORKER_TEMPORARY },
	/* The worker sent nothing for heartbeat_timeout, or ran too long. */
	[ERR_STALLED] =	 { "stalled", RETRY_ALWAYS, EXIT_WORKER_TEMPORARY },
};

/* The class's name: "erp", "auth", ...; "" for ERR_NONE. */
const char *
err_class_name(enum err_class c)
{
	if ((unsigned)c >= ERR_CLASSES)
		return "?";
	return classes[c].name;
}

/* The class called name ("" is ERR_NONE); -1 for an unknown name. */
int
err_class_parse(const char *name, enum err_class *c)
{
	int	 i;

	for (i = 0; i < ERR_CLASSES; i++)
		if (strcmp(classes[i].name, name) == 0) {
			*c = (enum err_class)i;
			return 0;
		}
	return -1;
}

/* Whether the supervisor retries a job that failed so. */
enum err_retry
err_class_retry(enum err_class c)
{
	if ((unsigned)c >= ERR_CLASSES)
		return RETRY_NEVER;
	return classes[c].retry;
}

/* The worker's exit code when it fails so. */
int
err_class_exit(enum err_class c)
{
	if ((unsigned)c >= ERR_CLASSES)
		return EXIT_WORKER_PERMANENT;
	return classes[c].exit_code;
}
