/*
 * gzckpt_test.c: gzip checkpoints (core/gzckpt.h, core/decomp.c).  A
 * decoder that jumps to checkpoints recorded by a first reading delivers,
 * at random offsets, the same bytes as a straight inflate, reaches the end
 * of a two-member file without a false CRC mismatch, and reports damage
 * or truncation after a checkpoint as a read error; the budget bounds
 * what an index keeps.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include <criterion/criterion.h>

#include "core/decomp.h"
#include "core/gzckpt.h"
#include "core/status.h"
#include "core/stream.h"
#include "tests/unit/syslog_gen.h"	/* gen_pick */

#define TEXT_LEN ((size_t)13 << 20)
#define SPLIT ((size_t)5 << 20)		/* where the second member starts */

static char *text;
static char gzpath[] = "/tmp/lh_gzckpt_XXXXXX";

/* Log-like text: compressible, never the same line twice. */
static void
make_text(void)
{
	static const char *const words[] = { "sshd", "accepted", "failed",
		"password", "for", "root", "from", "port", "session",
		"opened", "closed", "kernel", "cron", "user" };
	size_t n = 0, i;
	int k;

	gen_seed(11);
	text = malloc(TEXT_LEN + 256);
	cr_assert_not_null(text);
	for (i = 0; n < TEXT_LEN; i++) {
		n += (size_t)snprintf(text + n, 256, "Jan  1 00:%02u:%02u "
		    "web01 line %zu:", (unsigned)(i / 60 % 60),
		    (unsigned)(i % 60), i);
		for (k = 0; k < 6; k++)
			n += (size_t)snprintf(text + n, 64, " %s%u",
			    GEN_ONE(words),
			    gen_pick(100));
		text[n++] = '\n';
	}
}

/* Writes text as two gzip members (zlib's gzip writer) into path. */
static void
write_gzip(const char *path)
{
	gzFile g = gzopen(path, "wb6");

	cr_assert_not_null(g);
	cr_assert_eq(gzwrite(g, text, (unsigned)SPLIT), (int)SPLIT);
	cr_assert_eq(gzclose(g), Z_OK);
	g = gzopen(path, "ab6");
	cr_assert_not_null(g);
	cr_assert_eq(gzwrite(g, text + SPLIT, (unsigned)(TEXT_LEN - SPLIT)),
	    (int)(TEXT_LEN - SPLIT));
	cr_assert_eq(gzclose(g), Z_OK);
}

struct reader {
	int fd;
	struct lh_stream *file, *gz;
};

/* A decoder of the file at file, named (keyed) path. */
static void
open_named(struct reader *r, const char *file, const char *path)
{
	r->fd = open(file, O_RDONLY);
	cr_assert_geq(r->fd, 0);
	r->file = lh_stream_fd_create(r->fd, path);
	cr_assert_not_null(r->file);
	r->gz = lh_decomp_create(LH_GZIP, r->file, path, NULL);
	cr_assert_not_null(r->gz);
}

static void
open_reader(struct reader *r, const char *path)
{
	open_named(r, path, path);
}

static void
close_reader(struct reader *r)
{
	lh_stream_free(r->gz);
	lh_stream_free(r->file);
	close(r->fd);
}

/* Reads to the end in reads of random sizes; the last status. */
static int
read_rest(struct lh_stream *s, uint64_t at, struct lh_err *err)
{
	static char buf[300000];
	size_t got;
	int rc;

	while ((rc = lh_stream_read(s, buf,
	    1 + gen_pick((unsigned)sizeof(buf)), &got, err)) == LH_OK) {
		cr_assert_leq(at + got, TEXT_LEN);
		cr_assert(memcmp(buf, text + at, got) == 0,
		    "content differs at %llu", (unsigned long long)at);
		at += got;
	}
	if (rc == LH_EOF)
		cr_assert_eq(at, TEXT_LEN);
	return rc;
}

/* The first reading: records the checkpoints of gzpath into ix. */
static void
record(struct lh_gzckpt_index *ix)
{
	struct reader r;
	struct lh_err err;

	open_reader(&r, gzpath);
	lh_decomp_checkpoints(r.gz, ix, NULL, NULL);
	cr_assert_eq(read_rest(r.gz, 0, &err), LH_EOF);
	close_reader(&r);
	lh_gzckpt_seal(ix, NULL);
}

static void
setup(void)
{
	int fd = mkstemp(gzpath);

	cr_assert_geq(fd, 0);
	close(fd);
	make_text();
	write_gzip(gzpath);
}

static void
teardown(void)
{
	unlink(gzpath);
	free(text);
}

TestSuite(gzckpt, .init = setup, .fini = teardown, .timeout = 120);

Test(gzckpt, resume_matches_straight_inflate)
{
	struct lh_gzckpt_index *ix = lh_gzckpt_index_create(LH_GZCKPT_BUDGET);
	static char buf[65536], scratch[65536];
	struct lh_err err;
	struct reader r;
	uint64_t at, skipped, done, n;
	int round, k;

	cr_assert_not_null(ix);
	record(ix);
#if defined(LH_HAVE_ISAL)
	cr_assert_not_null(lh_gzckpt_get(ix, gzpath));
	cr_assert_not_null(lh_gzckpt_find(lh_gzckpt_get(ix, gzpath),
	    TEXT_LEN));
	cr_assert_gt(lh_gzckpt_bytes(ix), 0);
#endif
	for (round = 0; round < 12; round++) {
		open_reader(&r, gzpath);
		skipped = 0;
		lh_decomp_checkpoints(r.gz, NULL, ix, &skipped);
		for (at = 0, k = 0; k < 4; k++) {
			/* a skip to a random offset ahead, then a read */
			n = gen_pick((unsigned)((TEXT_LEN - at) / 3 + 1));
			cr_assert_eq(lh_stream_skip(r.gz, n, scratch,
			    sizeof(scratch), &done, &err), LH_OK);
			cr_assert_eq(done, n);
			at += n;
			cr_assert_eq(r.gz->pos, at);
			n = 1 + gen_pick((unsigned)sizeof(buf));
			if (n > TEXT_LEN - at)
				n = TEXT_LEN - at;
			cr_assert_eq(lh_stream_skip(r.gz, 0, NULL, 0, &done,
			    &err), LH_OK);
			cr_assert_eq(lh_stream_read(r.gz, buf, (size_t)n,
			    &done, &err), LH_OK);
			cr_assert(memcmp(buf, text + at, (size_t)done) == 0,
			    "round %d: content differs at %llu", round,
			    (unsigned long long)at);
			at += done;
		}
		/* the trailers' CRCs still check out after the jumps */
		cr_assert_eq(read_rest(r.gz, at, &err), LH_EOF, "%s", err.msg);
#if defined(LH_HAVE_ISAL)
		cr_assert_leq(skipped, at);
#endif
		close_reader(&r);
	}
#if defined(LH_HAVE_ISAL)
	/* a jump into the second member, from the start */
	open_reader(&r, gzpath);
	skipped = 0;
	lh_decomp_checkpoints(r.gz, NULL, ix, &skipped);
	cr_assert_eq(lh_stream_skip(r.gz, TEXT_LEN - 1000, scratch,
	    sizeof(scratch), &done, &err), LH_OK);
	cr_assert_gt(skipped, SPLIT);
	cr_assert_eq(read_rest(r.gz, TEXT_LEN - 1000, &err), LH_EOF);
	close_reader(&r);
#endif
	lh_gzckpt_index_free(ix);
}

/* Copies gzpath to path, keeping len bytes, with byte at flipped. */
static void
damaged_copy(const char *path, size_t len, long at)
{
	size_t n;
	char *p = malloc(len);
	FILE *f = fopen(gzpath, "rb"), *g = fopen(path, "wb");

	cr_assert(p != NULL && f != NULL && g != NULL);
	n = fread(p, 1, len, f);
	if (at >= 0 && (size_t)at < n)
		p[at] ^= 0x55;
	cr_assert_eq(fwrite(p, 1, n, g), n);
	fclose(f);
	fclose(g);
	free(p);
}

/*
 * A copy of gzpath named bad: (at >= 0) with the byte at at flipped, cut
 * at len bytes; read under the name gzpath after a skip to SPLIT / 2, the
 * status and err of the first failure.
 */
static int
read_damaged(struct lh_gzckpt_index *ix, size_t len, long at,
    struct lh_err *err)
{
	static char scratch[65536];
	char bad[] = "/tmp/lh_gzckpt_bad_XXXXXX";
	struct reader r;
	uint64_t done;
	size_t got;
	int fd, rc;

	fd = mkstemp(bad);
	cr_assert_geq(fd, 0);
	close(fd);
	damaged_copy(bad, len, at);
	open_named(&r, bad, gzpath);
	lh_decomp_checkpoints(r.gz, NULL, ix, NULL);
	rc = lh_stream_skip(r.gz, SPLIT / 2, scratch, sizeof(scratch), &done,
	    err);
	/* damaged data may inflate to other bytes before the CRC check */
	while (rc == LH_OK)
		rc = lh_stream_read(r.gz, scratch, sizeof(scratch), &got,
		    err);
	close_reader(&r);
	unlink(bad);
	return rc;
}

Test(gzckpt, damage_after_a_checkpoint_is_reported)
{
	struct lh_gzckpt_index *ix = lh_gzckpt_index_create(LH_GZCKPT_BUDGET);
	const struct lh_gzckpt *c = NULL;
	struct lh_err err;
	size_t size;
	long at;
	int fd;

	cr_assert_not_null(ix);
	record(ix);
	fd = open(gzpath, O_RDONLY);
	cr_assert_geq(fd, 0);
	size = (size_t)lseek(fd, 0, SEEK_END);
	close(fd);
#if defined(LH_HAVE_ISAL)
	c = lh_gzckpt_find(lh_gzckpt_get(ix, gzpath), SPLIT / 2);
	cr_assert_not_null(c);
#endif
	/* bits flipped after the checkpoint the skip resumes at */
	at = c != NULL ? (long)c->in + 70000 : (long)size / 3;
	cr_assert_eq(read_damaged(ix, size, at, &err), LH_FAIL);
	cr_assert(strstr(err.msg, "damaged gzip data at offset") != NULL,
	    "%s", err.msg);
	/* cut before the checkpoint's input: the jump meets the end */
	cr_assert_eq(read_damaged(ix, c != NULL ? (size_t)c->in - 10 :
	    size / 3, -1, &err), LH_FAIL);
	cr_assert(strstr(err.msg, "truncated at offset") != NULL, "%s",
	    err.msg);
	lh_gzckpt_index_free(ix);
}

Test(gzckpt, budget_bounds_the_index)
{
	struct lh_gzckpt_index *ix = lh_gzckpt_index_create(100000);
	const struct lh_gzckpts *l;

	cr_assert_not_null(ix);
	record(ix);
	cr_assert_leq(lh_gzckpt_bytes(ix), 100000);
#if defined(LH_HAVE_ISAL)
	l = lh_gzckpt_get(ix, gzpath);
	cr_assert_not_null(l);	/* one fits, the next ones do not */
	cr_assert_null(lh_gzckpt_find(l, LH_GZCKPT_EVERY - 1));
	cr_assert_eq(lh_gzckpt_find(l, TEXT_LEN),
	    lh_gzckpt_find(l, LH_GZCKPT_EVERY * 2));
#else
	(void)l;
#endif
	lh_gzckpt_index_free(ix);
}
