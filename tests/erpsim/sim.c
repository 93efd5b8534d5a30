/*
 * sim.c — the simulator's one global, its defaults, its clock and its
 * teardown. The clock is naive Europe/Rome local time, as the ERP shows it.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tests/erpsim/erpsim.h"

struct sim sim;

/* Fill sim with the defaults of the command line. */
void
sim_defaults(void)
{
	int	 i;

	memset(&sim, 0, sizeof(sim));
	sim.conf.port = 8181;
	sim.conf.seed = 1;
	sim.conf.ncust = 300;
	sim.conf.nord = 200;
	sim.conf.nprod = 500;
	sim.conf.nprice = 800;
	sim.conf.session_idle = 600;
	sim.conf.viewstate_bytes = 8000;
	sim.sysuser = -1;
	for (i = 0; i < SESSION_BUCKETS; i++)
		LIST_INIT(&sim.buckets[i]);
	TAILQ_INIT(&sim.sessions);
}

/* The wall clock as naive local seconds (what the ERP would display). */
int64_t
sim_wall_local(void)
{
	time_t		 t = time(NULL);
	struct tm	 tm;

	if (localtime_r(&t, &tm) == NULL)
		return (int64_t)t;
	return (int64_t)t + (int64_t)tm.tm_gmtoff;
}

/*
 * The time a change happens at: the wall clock, but never before the
 * generated data nor before an earlier change, so deltas always see it.
 */
int64_t
sim_now(void)
{
	int64_t	 t = sim_wall_local();

	if (t <= SIM_DATA_END)
		t = SIM_DATA_END + 1;
	if (t < sim.last_mtime)
		t = sim.last_mtime;
	sim.last_mtime = t;
	return t;
}

/* Release everything (at exit, so sanitizers see no leak). */
void
sim_free(void)
{
	int	 i;

	session_free_all();
	gzip_free();
	tls_free();
	data_free();
	arena_free();
	for (i = 0; i < sim.nusers; i++) {
		free(sim.users[i].name);
		free(sim.users[i].pw);
	}
	sim.nusers = 0;
	free(sim.conf.bind);
	free(sim.conf.base);
	free(sim.conf.port_file);
	free(sim.conf.tls_cert);
	free(sim.conf.tls_key);
	sim.conf.bind = sim.conf.base = sim.conf.port_file = NULL;
	sim.conf.tls_cert = sim.conf.tls_key = NULL;
}
