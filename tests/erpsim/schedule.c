/*
 * schedule.c — which ERP requests suffer a fault. Not dice: a schedule that
 * a test can know in advance. Each fault keeps, per kind of answer, a
 * counter i of the requests it was offered, and takes request i iff
 * floor((i+1)*rate + phase) > floor(i*rate + phase), phase in [0,1) from a
 * hash of (seed, fault, kind). So among the first n requests offered,
 * exactly floor(n*rate + phase) are faulted, evenly spread, whatever the
 * other kinds and sessions do and however requests interleave.
 *
 * Precedence: a request is offered to drop, then fail, then truncate, then
 * cut, and stops at the first that takes it; so a fault's counter counts
 * the requests of its kind that no earlier fault took. Resets have their own
 * counter of page navigations that can reset, stale answers theirs of
 * navigations that none of the four took, and error pages theirs of those
 * that were not stale either (see listview.c).
 *
 * Rates and phases are fixed point, multiples of 2^-32, so the arithmetic
 * is exact and a test can redo it (README.md, tests/e2e/t_erpsim_faults.sh).
 */
#include "tests/erpsim/erpsim.h"

#define GOLDEN	0x9e3779b97f4a7c15ULL
#define ONE32	4294967296ULL		/* 1.0 in 32.32 fixed point */

static const char *const akind_names[A_COUNT] = {
	"login_page", "login_post", "logout", "default", "page", "callback",
	"other"
};

/* The key of (seed, fault, kind); its top 32 bits are the phase. */
static uint64_t
sched_key(enum fault f, enum akind k)
{
	return mix64(mix64(sim.conf.seed) +
	    GOLDEN * (uint64_t)(16 * (int)f + (int)k + 1));
}

static uint64_t
fixed_rate(double rate)
{
	if (!(rate > 0))
		return 0;
	if (rate >= 1)
		return ONE32;
	return (uint64_t)(rate * (double)ONE32 + 0.5);
}

/*
 * Is request i (0-based) of the stream (f, k) faulted at rate? With R and
 * P the rate and phase times 2^32: floor((i+1)R + P) and floor(iR + P)
 * differ (in units of 2^32) iff the low 32 bits of iR + P, plus R, carry.
 */
static int
sched_hit(double rate, enum fault f, enum akind k, uint64_t i)
{
	uint64_t	 r = fixed_rate(rate), p = sched_key(f, k) >> 32;

	return ((i * r + p) & (ONE32 - 1)) + r >= ONE32;
}

/* The hash of (seed, fault, kind, i): what else a fault decides. */
static uint64_t
sched_draw(enum fault f, enum akind k, uint64_t i)
{
	return mix64(sched_key(f, k) + GOLDEN * (i + 1));
}

static double
rate_of(enum fault f)
{
	return f > F_NONE && f < F_COUNT ? sim.faults.rate[f] : 0;
}

/*
 * The fault this ERP request of kind k suffers, by the schedule; *draw
 * gets the fault's hash of this request (whether the effect happened
 * before a drop or a fail, where a cut or a truncation falls).
 */
enum fault
fault_roll(enum akind k, uint64_t *draw)
{
	static const enum fault	 order[] = { F_DROP, F_FAIL, F_TRUNC, F_CUT };
	size_t			 j;
	uint64_t		 i;

	*draw = 0;
	for (j = 0; j < nitems(order); j++) {
		i = sim.fsched[order[j]][k]++;
		if (sched_hit(rate_of(order[j]), order[j], k, i)) {
			*draw = sched_draw(order[j], k, i);
			return order[j];
		}
	}
	return F_NONE;
}

/*
 * Does fault f (F_RESET, F_STALE, F_ERRORPAGE) take this page navigation?
 * Each keeps its own counter of the navigations offered to it (listview.c
 * says which): a reset those that can reset, a stale answer those no
 * fault took, an error page those neither faulted nor stale.
 */
int
fault_callback_roll(enum fault f)
{
	uint64_t	 i = sim.fsched[f][A_CALLBACK]++;

	return sched_hit(rate_of(f), f, A_CALLBACK, i);
}

/* Start the schedule of fault f over, for every kind (its rate was set). */
void
fault_restart(enum fault f)
{
	int	 k;

	for (k = 0; k < A_COUNT; k++)
		sim.fsched[f][k] = 0;
}

/* Name of a fault for logs and stats. */
const char *
fault_name(enum fault f)
{
	switch (f) {
	case F_FAIL:
		return "fail";
	case F_DROP:
		return "drop";
	case F_TRUNC:
		return "truncate";
	case F_CUT:
		return "cut";
	case F_RESET:
		return "reset";
	case F_STALE:
		return "stale";
	case F_ERRORPAGE:
		return "errorpage";
	default:
		return "none";
	}
}

/* Name of a kind of answer for stats (faults.cut.login_page, ...). */
const char *
akind_name(enum akind k)
{
	return (int)k >= 0 && k < A_COUNT ? akind_names[k] : "?";
}
