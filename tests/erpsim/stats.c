/*
 * stats.c — GET /_sim/stats (what the simulator saw: requests, logins,
 * sessions and pages per user, faults injected in total and per kind of
 * answer, mutations) and POST /_sim/stats/reset.
 */
#include <stdio.h>
#include <string.h>

#include "tests/erpsim/erpsim.h"

static void
num(struct buf *b, const char *k, uint64_t v)
{
	buf_addf(b, "\"%s\":%llu,", k, (unsigned long long)v);
}

static void
close_obj(struct buf *b)
{
	if (b->len > 0 && b->data[b->len - 1] == ',')
		b->data[--b->len] = '\0';
	buf_addc(b, '}');
}

static void
per_user(struct buf *b, const char *name, int which)
{
	struct session	*s;
	uint64_t	 n;
	int		 u;

	buf_addf(b, "\"%s\":{", name);
	for (u = 0; u < sim.nusers; u++) {
		n = 0;
		if (which == 0) {
			TAILQ_FOREACH(s, &sim.sessions, link)
				if (s->user == u)
					n++;
		} else if (which == 1)
			n = sim.users[u].grid_requests;
		else if (sim.users[u].agent)
			n = which == 2 ?
			    sim.tables[K_CUSTOMERS][u]->live :
			    sim.tables[K_ORDERS][u]->live;
		else
			continue;
		json_str(b, sim.users[u].name);
		buf_addf(b, ":%llu,", (unsigned long long)n);
	}
	close_obj(b);
	buf_addc(b, ',');
}

/*
 * Scheduled faults by kind of answer, as flat keys beside the totals:
 * "cut.login_page", "fail.callback", ... (resets, stale answers and error
 * pages happen on callbacks only).
 */
static void
per_kind(struct buf *b, const struct stats *st)
{
	static const enum fault	 fs[] = { F_DROP, F_FAIL, F_TRUNC, F_CUT };
	char			 k[64];
	size_t			 j;
	int			 a;

	for (j = 0; j < nitems(fs); j++)
		for (a = 0; a < A_COUNT; a++) {
			snprintf(k, sizeof(k), "%s.%s", fault_name(fs[j]),
			    akind_name((enum akind)a));
			num(b, k, st->f_kind[fs[j]][a]);
		}
	snprintf(k, sizeof(k), "%s.%s", fault_name(F_RESET),
	    akind_name(A_CALLBACK));
	num(b, k, st->f_kind[F_RESET][A_CALLBACK]);
	snprintf(k, sizeof(k), "%s.%s", fault_name(F_STALE),
	    akind_name(A_CALLBACK));
	num(b, k, st->f_kind[F_STALE][A_CALLBACK]);
	snprintf(k, sizeof(k), "%s.%s", fault_name(F_ERRORPAGE),
	    akind_name(A_CALLBACK));
	num(b, k, st->f_kind[F_ERRORPAGE][A_CALLBACK]);
}

/* One JSON object with every counter. */
void
sim_stats(struct ctx *c)
{
	struct buf		*b = reply_body(c->rep);
	const struct stats	*st = &sim.stats;

	session_sweep();
	buf_addc(b, '{');
	num(b, "requests", st->requests);
	num(b, "erp_requests", st->erp_requests);
	num(b, "sim_requests", st->sim_requests);
	num(b, "logins_ok", st->logins_ok);
	num(b, "logins_failed", st->logins_failed);
	num(b, "logins_busy", st->logins_busy);
	num(b, "logins_stale", st->logins_stale);
	num(b, "logins_expired", st->logins_expired);
	num(b, "logouts", st->logouts);
	num(b, "redirects", st->redirects);
	num(b, "bad_commands", st->bad_commands);
	num(b, "not_found", st->not_found);
	num(b, "pages", st->pages);
	num(b, "callbacks", st->callbacks);
	num(b, "grid_requests_total", st->pages + st->callbacks);
	num(b, "sessions_total", sim.nsessions);
	per_user(b, "sessions", 0);
	per_user(b, "grid_requests", 1);
	buf_adds(b, "\"faults\":{");
	num(b, "fail", st->f_fail);
	num(b, "drop", st->f_drop);
	num(b, "truncate", st->f_trunc);
	num(b, "cut", st->f_cut);
	num(b, "reset", st->f_reset);
	num(b, "stale", st->f_stale);
	num(b, "errorpage", st->f_errorpage);
	num(b, "expire", st->f_expire);
	num(b, "idle", st->f_idle);
	num(b, "delayed", st->f_delayed);
	per_kind(b, st);
	close_obj(b);
	buf_adds(b, ",\"mutations\":{");
	num(b, "churns", st->churns);
	num(b, "inserted", st->m_insert);
	num(b, "updated", st->m_update);
	num(b, "deleted", st->m_delete);
	close_obj(b);
	buf_adds(b, ",\"rows\":{");
	per_user(b, "customers", 2);
	per_user(b, "orders", 3);
	num(b, "products", sim.tables[K_PRODUCTS][0]->live);
	num(b, "prices", sim.tables[K_PRICES][0]->live);
	close_obj(b);
	buf_adds(b, ",\"faults_config\":");
	faults_json(b);
	if (b->data[b->len - 1] == '\n')
		b->data[--b->len] = '\0';
	buf_adds(b, "}\n");
	reply_json(c, 200);
}

/* Zero every counter (sessions and data stay). */
void
sim_stats_reset(struct ctx *c)
{
	int	 u;

	memset(&sim.stats, 0, sizeof(sim.stats));
	for (u = 0; u < sim.nusers; u++)
		sim.users[u].grid_requests = 0;
	buf_adds(reply_body(c->rep), "{\"ok\":true}\n");
	reply_json(c, 200);
}
