/*
 * fuzz_cut.c — worker/cut.c, which tells a whole answer from one a proxy
 * cut short, on arbitrary bytes. The input is the body, in a heap block of
 * exactly its size so ASan sees any read past it.
 *
 * Invariants: a body that is whole stays whole with more bytes after it
 * (what follows the root's end tag does not matter), so every prefix that
 * is whole implies the whole input is; the empty body is never whole.
 */
#include <string.h>

#include "tests/fuzz/fuzz.h"
#include "worker/worker.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*p = xmalloc(size > 0 ? size : 1);
	size_t	 cuts[4], i;
	int	 whole;

	memcpy(p, data, size);
	whole = body_complete(p, size);
	FZ_CHECK(!body_complete(p, 0), "the empty body is whole");
	cuts[0] = size / 2;
	cuts[1] = size > 0 ? size - 1 : 0;
	cuts[2] = fz_hash(data, size) % (size + 1);
	cuts[3] = size / 3;
	for (i = 0; i < 4; i++)
		FZ_CHECK(!body_complete(p, cuts[i]) || whole,
		    "the first %zu of %zu bytes are whole, the whole is not",
		    cuts[i], size);
	free(p);
	return 0;
}
