/*
 * fuzz.h — what the libFuzzer targets of tests/fuzz/ share: how a broken
 * invariant crashes, and a hash and generator that derive chunk sizes and
 * buffer sizes from the input, so that a saved input replays exactly.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* An invariant broke: say which, and crash so libFuzzer keeps the input. */
#define FZ_CHECK(cond, ...) do {					\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: invariant broken: %s: ",	\
		    __FILE__, __LINE__, #cond);				\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
		abort();						\
	}								\
} while (0)

static inline uint32_t
fz_hash(const uint8_t *d, size_t n)
{
	uint32_t	 h = 2166136261u;
	size_t		 i;

	for (i = 0; i < n; i++)
		h = (h ^ d[i]) * 16777619u;
	return h ? h : 1;
}

static inline uint32_t
fz_rand(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

#endif /* FUZZ_H */
