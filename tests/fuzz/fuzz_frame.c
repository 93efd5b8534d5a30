/*
 * fuzz_frame.c — fuzz proto/ with arbitrary bytes: they go to a frame_reader
 * in chunks of input-derived sizes, and every frame it yields goes through
 * msg_type_of, every unpack function and msgpack_to_json, with invariants
 * checked (a failure always has error text; whatever unpacks packs back to
 * the same thing; JSON holds no raw control bytes).
 *
 * A libFuzzer target. Built with -DFUZZ_STANDALONE it has its own main():
 *   fuzz_frame FILE|DIR...         replay inputs (e.g. a saved crash)
 *   fuzz_frame [-n N] [-t SECS] [-s SEED]
 *                                  mutate built-in valid frames, N times or
 *                                  for SECS seconds, from a fixed seed
 *   fuzz_frame -w DIR              write the seed corpus into DIR
 * See tests/fuzz/README.md and tests/fuzz/run.sh.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tests/fuzz/fuzz.h"
#include "tests/unit/protofix.h"

#ifdef FUZZ_STANDALONE
static const uint8_t	*cur_data;	/* the input being run, for crash files */
static size_t		 cur_size;
static const char	*crash_dir = ".";
static void	 save_input(void);
#endif

/* An invariant broke: say which, keep the input (standalone), crash. */
static void
fz_fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_frame: invariant broken: %s (%s)\n", what,
	    detail ? detail : "");
#ifdef FUZZ_STANDALONE
	save_input();
#endif
	abort();
}

/* JSON text of o (caller frees). */
static char *
to_json(const msgpack_object *o)
{
	struct buf	 b;
	size_t		 i;

	buf_init(&b);
	msgpack_to_json(&b, o);
	if (b.len == 0)
		fz_fail("msgpack_to_json wrote nothing", NULL);
	for (i = 0; i < b.len; i++)
		if ((unsigned char)b.data[i] < 0x20)
			fz_fail("raw control byte in JSON", NULL);
	return buf_steal(&b);
}

/* An unpacked body must pack into a frame that unpacks to the same body. */
static void
check_repack(enum msg_type t, const union anymsg *m)
{
	static union anymsg	 m2;
	struct frame_reader	 fr;
	struct frame		 f;
	const msgpack_object	*o = NULL;
	char			 err[PROTO_ERRLEN];
	char			*j1, *j2;

	pf_pack_as(t, &f, m);
	if (frame_end(&f, err, sizeof err) == -1)
		fz_fail("repacked frame too large", err);
	frame_reader_init(&fr);
	frame_reader_feed(&fr, f.sb.data, f.sb.size);
	frame_free(&f);
	if (frame_reader_next(&fr, &o, err, sizeof err) != 1)
		fz_fail("repacked frame refused", err);
	if (pf_unpack_as(t, o, &m2, err, sizeof err) != 0)
		fz_fail("repacked message refused", err);
	if (t == MSG_REQ) {
		if (m2.req.id != m->req.id || strcmp(m2.req.cmd, m->req.cmd) != 0)
			fz_fail("req changed in a round trip", NULL);
		if ((m->req.args == NULL) != (m2.req.args == NULL) &&
		    !(m->req.args == NULL && m2.req.args->via.map.size == 0))
			fz_fail("req args changed in a round trip", NULL);
		if (m->req.args != NULL) {
			j1 = to_json(m->req.args);
			j2 = to_json(m2.req.args);
			if (strcmp(j1, j2) != 0)
				fz_fail("req args changed in a round trip", j1);
			free(j1);
			free(j2);
		}
	} else if (memcmp(m, &m2, pf_body_size(t)) != 0)
		fz_fail("message changed in a round trip", msg_name(t));
	frame_reader_free(&fr);
}

/* Everything proto/ offers for one object. */
static void
check_object(const msgpack_object *o)
{
	static union anymsg	 m;
	enum msg_type		 t = MSG_COUNT;
	char			 err[PROTO_ERRLEN];
	char			*js;
	size_t			 i;
	int			 trc, rc;

	js = to_json(o);
	free(js);

	err[0] = '\0';
	trc = msg_type_of(o, &t, err, sizeof err);
	if (trc == -1 && err[0] == '\0')
		fz_fail("msg_type_of failed without a reason", NULL);
	if (trc == 0 && (unsigned)t >= MSG_COUNT)
		fz_fail("msg_type_of gave a bad type", NULL);
	if (trc == 0 && strcmp(msg_name(t), "unknown") == 0)
		fz_fail("msg_type_of gave an unnamed type", NULL);

	for (i = 0; i < nitems(pf_unpackable); i++) {
		err[0] = '\0';
		rc = pf_unpack_as(pf_unpackable[i], o, &m, err, sizeof err);
		if (rc == -1) {
			if (err[0] == '\0')
				fz_fail("unpack failed without a reason",
				    msg_name(pf_unpackable[i]));
			if (strlen(err) >= sizeof err)
				fz_fail("unpack error not terminated", NULL);
			continue;
		}
		if (rc != 0)
			fz_fail("unpack returned neither 0 nor -1",
			    msg_name(pf_unpackable[i]));
		if (trc != 0 || t != pf_unpackable[i])
			fz_fail("unpacked a message of another type",
			    msg_name(pf_unpackable[i]));
		if (t == MSG_REQ && m.req.args != NULL &&
		    m.req.args->type != MSGPACK_OBJECT_MAP)
			fz_fail("req args is not a map", NULL);
		check_repack(t, &m);
	}
}

/*
 * The same payload parsed from a heap block of exactly its size, so an
 * overread in the getters runs off the allocation and ASan sees it.
 */
static void
check_exact_copy(const char *payload, size_t len)
{
	msgpack_unpacked	 un;
	char			*p;
	size_t			 off = 0;

	p = xmalloc(len);
	memcpy(p, payload, len);
	msgpack_unpacked_init(&un);
	if (msgpack_unpack_next(&un, p, len, &off) != MSGPACK_UNPACK_SUCCESS ||
	    off != len)
		fz_fail("a frame the reader took does not parse alone", NULL);
	check_object(&un.data);
	msgpack_unpacked_destroy(&un);
	free(p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct frame_reader	 fr;
	const msgpack_object	*o;
	const unsigned char	*h;
	char			 err[PROTO_ERRLEN];
	uint32_t		 seed = fz_hash(data, size);
	size_t			 fed = 0, chunk, start, len;
	int			 mode = (int)(seed % 4), rc = 0;

	frame_reader_init(&fr);
	while (fed < size && rc != -1) {
		/* Chunking: byte by byte, all at once, or random sizes. */
		if (mode == 0)
			chunk = 1;
		else if (mode == 1)
			chunk = size;
		else
			chunk = 1 + fz_rand(&seed) % (mode == 2 ? 16 : 4096);
		if (chunk > size - fed)
			chunk = size - fed;
		frame_reader_feed(&fr, data + fed, chunk);
		fed += chunk;
		for (;;) {
			start = fr.off;
			o = NULL;
			err[0] = '\0';
			rc = frame_reader_next(&fr, &o, err, sizeof err);
			if (rc != 1)
				break;
			if (o == NULL || o->type != MSGPACK_OBJECT_MAP)
				fz_fail("reader yielded a non-map", NULL);
			h = (const unsigned char *)fr.in.data + start;
			len = ((size_t)h[0] << 24) | ((size_t)h[1] << 16) |
			    ((size_t)h[2] << 8) | h[3];
			if (len == 0 || len > FRAME_MAX ||
			    fr.off != start + FRAME_HDR + len)
				fz_fail("reader consumed the wrong length", NULL);
			check_object(o);
			check_exact_copy((const char *)h + FRAME_HDR, len);
		}
		if (rc == 0 && o != NULL)
			fz_fail("reader set a frame while needing more", NULL);
		if (rc == -1) {
			if (err[0] == '\0')
				fz_fail("reader failed without a reason", NULL);
			if (o != NULL)
				fz_fail("reader set a frame on failure", NULL);
			err[0] = '\0';
			if (frame_reader_next(&fr, &o, err, sizeof err) != -1 ||
			    err[0] == '\0')
				fz_fail("reader recovered after failing", NULL);
		} else if (rc != 0)
			fz_fail("frame_reader_next returned junk", NULL);
	}
	frame_reader_free(&fr);
	return 0;
}

#ifdef FUZZ_STANDALONE
/* ---------------------------------------------------------------------- */
/* Standalone driver: replay files, or mutate built-in frames. */

static void
save_input(void)
{
	char	 path[1024];
	FILE	*fp;

	if (cur_data == NULL)
		return;
	snprintf(path, sizeof path, "%s/crash-%08x", crash_dir,
	    fz_hash(cur_data, cur_size));
	if ((fp = fopen(path, "wb")) == NULL)
		return;
	fwrite(cur_data, 1, cur_size, fp);
	fclose(fp);
	fprintf(stderr, "fuzz_frame: input saved as %s (%zu bytes)\n", path,
	    cur_size);
}

/* Called by ASan/UBSan before they end the process. */
extern void __sanitizer_set_death_callback(void (*)(void)) __attribute__((weak));

static void
run_one(const uint8_t *d, size_t n)
{
	uint8_t	*copy;

	/* An exact-size copy, so reads past the end are caught. */
	copy = xmalloc(n ? n : 1);
	if (n > 0)
		memcpy(copy, d, n);
	cur_data = copy;
	cur_size = n;
	LLVMFuzzerTestOneInput(copy, n);
	cur_data = NULL;
	free(copy);
}

static size_t
run_path(const char *path)
{
	struct stat	 st;
	DIR		*dir;
	struct dirent	*de;
	char		 sub[4096];
	FILE		*fp;
	uint8_t		*d;
	size_t		 n = 0, runs = 0;

	if (stat(path, &st) == -1) {
		fprintf(stderr, "fuzz_frame: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	if (S_ISDIR(st.st_mode)) {
		if ((dir = opendir(path)) == NULL)
			return 0;
		while ((de = readdir(dir)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
			runs += run_path(sub);
		}
		closedir(dir);
		return runs;
	}
	if ((fp = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "fuzz_frame: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	d = xmalloc((size_t)st.st_size + 1);
	n = fread(d, 1, (size_t)st.st_size, fp);
	fclose(fp);
	run_one(d, n);
	free(d);
	return 1;
}

/*
 * The seed frames: protofix's sample of every type (odd bytes, quotes,
 * UTF-8, strings at full length), then its extra ones; names[k] says what
 * frame k is.
 */
static void
seed_frames(struct buf *out, size_t *ends, const char **names, size_t *count)
{
	struct frame	 f;
	char		 err[PROTO_ERRLEN];
	size_t		 n = 0, k;
	int		 t;

	for (t = 0; t < MSG_COUNT + PF_NEXTRA; t++) {
		if (t < MSG_COUNT) {
			pf_pack_sample((enum msg_type)t, &f);
			names[n] = msg_name((enum msg_type)t);
		} else {
			k = (size_t)(t - MSG_COUNT);
			names[n] = pf_pack_extra(k, &f);
		}
		if (frame_end(&f, err, sizeof err) == -1)
			fz_fail("seed frame too large", err);
		buf_add(out, f.sb.data, f.sb.size);
		ends[n++] = out->len;
		frame_free(&f);
	}
	*count = n;
}

static void
write_file(const char *dir, const char *name, const void *p, size_t n)
{
	char	 path[4096];
	FILE	*fp;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if ((fp = fopen(path, "wb")) == NULL ||
	    fwrite(p, 1, n, fp) != n || fclose(fp) != 0) {
		fprintf(stderr, "fuzz_frame: %s: %s\n", path, strerror(errno));
		exit(2);
	}
}

static void
write_seeds(const char *dir)
{
	struct buf	 all;
	size_t		 ends[MSG_COUNT + PF_NEXTRA], n, i, start = 0;
	const char	*names[MSG_COUNT + PF_NEXTRA];
	char		 name[64];

	buf_init(&all);
	seed_frames(&all, ends, names, &n);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof name, "seed-%02zu-%s", i, names[i]);
		write_file(dir, name, all.data + start, ends[i] - start);
		start = ends[i];
	}
	write_file(dir, "seed-stream", all.data, all.len);
	buf_free(&all);
}

/* Change d in place (within cap); returns the new length. */
static size_t
mutate(uint8_t *d, size_t n, size_t cap, uint32_t *s)
{
	static const uint8_t	 bytes[] = { 0x00, 0x01, 0x7f, 0x80, 0xff,
	    0xc0, 0xc1, 0xc2, 0xc3, 0xa0, 0xa1, 0x90, 0x91, 0xd9, 0xdb, 0xdc,
	    0xdd, 0xde, 0xdf, 0xcf, 0xd3, 0xca, 0xcb, 0xc4, 0xc7, 0xd4 };
	static const uint32_t	 words[] = { 0, 1, 2, 0x7f, 0x80, 0xffff,
	    FRAME_MAX, FRAME_MAX + 1, 0x7fffffff, 0x80000000u, 0xffffffffu };
	uint32_t		 w, r;
	size_t			 pos, len, k, rounds = 1 + fz_rand(s) % 6;

	for (k = 0; k < rounds; k++) {
		r = fz_rand(s);
		pos = n ? fz_rand(s) % n : 0;
		switch (r % 10) {
		case 0:
			if (n)
				d[pos] ^= (uint8_t)(1u << (r >> 8) % 8);
			break;
		case 1:
			if (n)
				d[pos] = bytes[(r >> 8) % sizeof bytes];
			break;
		case 2:
			if (n)
				d[pos] = (uint8_t)(r >> 8);
			break;
		case 3:
			if (n)
				n = pos;	/* truncate */
			break;
		case 4:
			if (n < cap) {	/* insert a byte */
				memmove(d + pos + 1, d + pos, n - pos);
				d[pos] = (uint8_t)(r >> 8);
				n++;
			}
			break;
		case 5:
			len = 1 + (r >> 8) % 16;	/* delete a range */
			if (len > n - pos)
				len = n - pos;
			memmove(d + pos, d + pos + len, n - pos - len);
			n -= len;
			break;
		case 6:
		case 7:
			/* A 32-bit big-endian value: a length or a count. */
			if (n >= 4) {
				w = words[(r >> 8) % (sizeof words / sizeof words[0])];
				if ((r >> 16) & 1)
					w = fz_rand(s) % 64;
				pos = fz_rand(s) % (n - 3);
				d[pos] = (uint8_t)(w >> 24);
				d[pos + 1] = (uint8_t)(w >> 16);
				d[pos + 2] = (uint8_t)(w >> 8);
				d[pos + 3] = (uint8_t)w;
			}
			break;
		case 8:
			/* Copy a range over another place. */
			if (n >= 2) {
				size_t from = fz_rand(s) % n;

				len = 1 + (r >> 8) % 32;
				if (len > n - from)
					len = n - from;
				if (len > n - pos)
					len = n - pos;
				memmove(d + pos, d + from, len);
			}
			break;
		case 9:
			/* Shrink or grow the first frame's length header. */
			if (n >= 4)
				d[3] = (uint8_t)(d[3] + (int)((r >> 8) % 5) - 2);
			break;
		}
	}
	return n;
}

static double
now_s(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
usage(void)
{
	fprintf(stderr, "usage: fuzz_frame [-n count] [-t seconds] [-s seed] "
	    "[-c crashdir] [-w seeddir] [file|dir ...]\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	struct buf	 pool;
	size_t		 ends[MSG_COUNT + PF_NEXTRA], npool, runs = 0, cap, n, i, k,
			 a, b;
	const char	*names[MSG_COUNT + PF_NEXTRA];
	uint8_t		*d;
	uint32_t	 s, seed = 1;
	long		 count = -1;
	double		 secs = 0, t0;
	int		 ch;

	while ((ch = getopt(argc, argv, "c:n:s:t:w:")) != -1) {
		switch (ch) {
		case 'c':
			crash_dir = optarg;
			break;
		case 'n':
			count = strtol(optarg, NULL, 10);
			break;
		case 's':
			seed = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case 't':
			secs = strtod(optarg, NULL);
			break;
		case 'w':
			write_seeds(optarg);
			return 0;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (__sanitizer_set_death_callback != NULL)
		__sanitizer_set_death_callback(save_input);

	if (argc > 0) {
		for (i = 0; i < (size_t)argc; i++)
			runs += run_path(argv[i]);
		printf("fuzz_frame: replayed %zu inputs, no crash\n", runs);
		return 0;
	}

	if (count < 0 && secs <= 0)
		count = 100000;
	buf_init(&pool);
	seed_frames(&pool, ends, names, &npool);
	cap = pool.len + 256;
	d = xmalloc(cap);
	s = seed ? seed : 1;
	t0 = now_s();
	for (;;) {
		if (count >= 0 && runs >= (size_t)count)
			break;
		if (secs > 0 && (runs & 255) == 0 && now_s() - t0 >= secs)
			break;
		if (fz_rand(&s) % 16 == 0) {
			/* Pure noise, short. */
			n = fz_rand(&s) % 64;
			for (i = 0; i < n; i++)
				d[i] = (uint8_t)fz_rand(&s);
		} else {
			/* One to three seed frames in a row, then mutated. */
			n = 0;
			for (k = 1 + fz_rand(&s) % 3; k > 0; k--) {
				i = fz_rand(&s) % npool;
				a = i ? ends[i - 1] : 0;
				b = ends[i];
				if (n + (b - a) > cap - 64)
					break;
				memcpy(d + n, pool.data + a, b - a);
				n += b - a;
			}
			n = mutate(d, n, cap, &s);
		}
		run_one(d, n);
		runs++;
	}
	printf("fuzz_frame: %zu inputs in %.1f s (seed %u), no crash\n", runs,
	    now_s() - t0, seed);
	free(d);
	buf_free(&pool);
	return 0;
}
#endif /* FUZZ_STANDALONE */
