/*
 * gate.c — a test stops a sync at a page it names, without racing it.
 * POST /_sim/gate?page=N[&user=U] arms the gate: the next grid answer that
 * shows page N (1-based) of any list view (of user U's sessions) is held
 * back. The worker then waits for it, committed up to page N - 1, while
 * the test does what it must (take a hold, cancel, kill); POST
 * /_sim/gate/open sends the held answer (with the usual latency) and
 * disarms. GET /_sim/gate says {"armed": N, "parked": 0|1, "caught": n}.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/erpsim/erpsim.h"

static struct {
	int		 page;		/* armed at this page, 0 = not armed */
	int		 user;		/* -1 = anyone */
	struct reply	*parked;
	int		 code;
	enum fault	 fault;
	uint64_t	 caught;	/* answers held since start */
} gate = { 0, -1, NULL, 0, F_NONE, 0 };

static void
gate_json(struct buf *b)
{
	buf_addf(b, "{\"armed\":%d,\"parked\":%d,\"caught\":%llu}\n", gate.page,
	    gate.parked != NULL, (unsigned long long)gate.caught);
}

/*
 * Hold back this grid answer showing page (0-based) of user, when the gate
 * waits for it; 1 when it did (the caller sends nothing).
 */
int
gate_catch(struct reply *r, int user, int page, int code, enum fault fault)
{
	if (gate.page == 0 || gate.parked != NULL || page + 1 != gate.page ||
	    (gate.user >= 0 && gate.user != user) || fault != F_NONE)
		return 0;
	gate.parked = r;
	gate.code = code;
	gate.fault = fault;
	gate.caught++;
	gate.page = 0;
	log_info("gate: holding back page %d for %s", page + 1,
	    sim.users[user].name);
	return 1;
}

/* GET /_sim/gate, POST /_sim/gate?page=N[&user=U], POST /_sim/gate/open. */
void
sim_gate(struct ctx *c, const char *what)
{
	const char	*page, *user;
	struct reply	*r;
	char		*end;
	long		 n;
	int		 u = -1;

	if (strcmp(what, "open") == 0 && c->post) {
		gate.page = 0;
		gate_json(reply_body(c->rep));
		if ((r = gate.parked) != NULL) {
			gate.parked = NULL;
			log_info("gate: opened");
			reply_send(r, gate.code, gate.fault);
		}
		reply_json(c, 200);
		return;
	}
	if (what[0] != '\0') {
		reply_error(c, 404, "no such test endpoint");
		return;
	}
	if (c->post) {
		page = form_get(&c->query, "page");
		user = form_get(&c->query, "user");
		n = page != NULL ? strtol(page, &end, 10) : 0;
		if (page == NULL || *page == '\0' || *end != '\0' || n < 1 ||
		    n > 1000000) {
			reply_error(c, 400, "gate: page=N (1-based) is needed");
			return;
		}
		if (user != NULL && (u = user_by_name(user)) == -1) {
			reply_error(c, 400, "gate: no such user");
			return;
		}
		if (gate.parked != NULL) {
			reply_error(c, 409, "gate: an answer is held back; "
			    "open the gate first");
			return;
		}
		gate.page = (int)n;
		gate.user = u;
		log_info("gate: armed at page %ld%s%s", n, u >= 0 ? " for " : "",
		    u >= 0 ? user : "");
	}
	gate_json(reply_body(c->rep));
	reply_json(c, 200);
}
