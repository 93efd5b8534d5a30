/*
 * rng.c — small deterministic randomness: splitmix64 streams seeded from
 * --seed, and the mixing functions used for per-cell and per-session hashes.
 */
#include "tests/erpsim/erpsim.h"

/* Finalise a 64-bit value into a well-mixed one (splitmix64's mixer). */
uint64_t
mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* FNV-1a over n bytes, mixed: used to remember issued hidden values. */
uint64_t
hash_str(const char *s, size_t n)
{
	uint64_t	 h = 0xcbf29ce484222325ULL;
	size_t		 i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return mix64(h);
}

/* Start a stream at seed. */
void
rng_seed(struct rng *r, uint64_t seed)
{
	r->s = mix64(mix64(seed) + 0x5deece66dULL);
}

/* Next 64 random bits. */
uint64_t
rng_next(struct rng *r)
{
	r->s += 0x9e3779b97f4a7c15ULL;
	return mix64(r->s);
}

/* Uniform in [0, n); 0 when n is 0. */
uint32_t
rng_below(struct rng *r, uint32_t n)
{
	if (n == 0)
		return 0;
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* Uniform in [lo, hi], both included. */
int64_t
rng_range(struct rng *r, int64_t lo, int64_t hi)
{
	uint64_t	 span;

	if (hi <= lo)
		return lo;
	span = (uint64_t)(hi - lo) + 1;
	return lo + (int64_t)(rng_next(r) % span);
}

/* True with probability p (0..1). */
int
rng_chance(struct rng *r, double p)
{
	if (p <= 0)
		return 0;
	if (p >= 1)
		return 1;
	return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0) < p;
}
