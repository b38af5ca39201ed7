/*
 * stream_test.c: stacked streams (core/stream.h): the sniffer replays what
 * it sniffed, decoders read from the stream below and deliver everything
 * before damage; the scheduler never opens an operand; lh_grow.  Skips
 * (lh_stream_skip): a file seeks and keeps its position exact, the sniffer
 * drops its replayed bytes and hands the rest down, a stream that cannot
 * skip (a decoder, a pipe) is read instead; and the context pass's plan
 * (core/lines.h) lands on the same lines, with the same numbers and
 * offsets, whichever way its stream skips.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <criterion/criterion.h>

#include "core/buf.h"
#include "core/decomp.h"
#include "core/lines.h"
#include "core/sched.h"
#include "core/sniff.h"
#include "core/status.h"
#include "core/stream.h"
#include "core/timemap.h"
#include "tests/memstream.h"

static const char text[] = "Jan  1 00:00:00 web01 kernel: one\n"
    "Jan  1 00:00:01 web01 kernel: two\n";

/* gzip of p (n bytes) into out (cap bytes); the compressed size. */
static size_t
gzip_of(const char *p, size_t n, unsigned char *out, size_t cap)
{
	z_stream z;

	memset(&z, 0, sizeof(z));
	cr_assert_eq(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8,
	    Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (unsigned char *)(uintptr_t)p;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	cr_assert_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
	deflateEnd(&z);
	return cap - z.avail_out;
}

/* Reads s to its end into buf; the last status (LH_EOF when clean). */
static int
drain(struct lh_stream *s, char *buf, size_t cap, size_t *n,
    struct lh_err *err)
{
	size_t got;
	int rc;

	*n = 0;
	while ((rc = lh_stream_read(s, buf + *n, cap - *n, &got, err)) ==
	    LH_OK)
		*n += got;
	return rc;
}

/* A sniffer over below, filled: its kind must be want. */
static struct lh_stream *
sniffed(struct lh_stream *below, enum lh_kind want)
{
	struct lh_stream *s = lh_sniff_create(below);
	struct lh_err err;
	enum lh_kind k;

	cr_assert_not_null(s);
	cr_assert_eq(lh_sniff_fill(s, &k, &err), LH_OK);
	cr_assert_eq(k, want);
	return s;
}

Test(stream, sniffer_replays_plain_text)
{
	struct lh_test_mem m = { text, sizeof(text) - 1, 0, 7, 0 };
	struct lh_stream below = { &lh_test_mem_ops, &m, 0 };
	struct lh_stream *s = sniffed(&below, LH_KIND_PLAIN);
	struct lh_err err;
	char buf[256];
	size_t n;

	cr_assert_eq(drain(s, buf, sizeof(buf), &n, &err), LH_EOF);
	cr_assert_eq(n, sizeof(text) - 1);
	cr_assert_eq(memcmp(buf, text, n), 0);
	cr_assert_eq(s->pos, n);
	lh_stream_free(s);
}

Test(stream, damage_while_sniffing_comes_after_the_bytes)
{
	struct lh_test_mem m = { text, 20, 0, 5, 1 };
	struct lh_stream below = { &lh_test_mem_ops, &m, 0 };
	struct lh_stream *s = sniffed(&below, LH_KIND_PLAIN);
	struct lh_err err;
	char buf[256];
	size_t n;

	cr_assert_eq(drain(s, buf, sizeof(buf), &n, &err), LH_FAIL);
	cr_assert_eq(n, 20);
	cr_assert(strstr(err.msg, "damaged") != NULL);
	lh_stream_free(s);
}

Test(stream, gzip_filter_over_the_sniffer)
{
	unsigned char gz[512];
	size_t zn = gzip_of(text, sizeof(text) - 1, gz, sizeof(gz));
	struct lh_test_mem m = { gz, zn, 0, 3, 0 };
	struct lh_stream below = { &lh_test_mem_ops, &m, 0 };
	struct lh_stream *s = sniffed(&below, LH_KIND_GZIP), *d;
	struct lh_err err;
	char buf[256];
	size_t n;

	cr_assert_not_null(d = lh_decomp_create(LH_GZIP, s, "mem", NULL));
	cr_assert_eq(drain(d, buf, sizeof(buf), &n, &err), LH_EOF);
	cr_assert_eq(n, sizeof(text) - 1);
	cr_assert_eq(memcmp(buf, text, n), 0);
	cr_assert_eq(s->pos, zn);	/* every compressed byte went through */
	lh_stream_free(d);
	lh_stream_free(s);
}

Test(stream, truncated_gzip_fails_after_its_content)
{
	unsigned char gz[512];
	size_t zn = gzip_of(text, sizeof(text) - 1, gz, sizeof(gz));
	struct lh_test_mem m = { gz, zn - 6, 0, 0, 0 };
	struct lh_stream below = { &lh_test_mem_ops, &m, 0 };
	struct lh_stream *d = lh_decomp_create(LH_GZIP, &below, "mem", NULL);
	struct lh_err err;
	char buf[256];
	size_t n;

	cr_assert_eq(drain(d, buf, sizeof(buf), &n, &err), LH_FAIL);
	cr_assert_eq(err.status, LH_FAIL);
	cr_assert(strstr(err.msg, "mem: gzip data truncated at offset") !=
	    NULL, "%s", err.msg);
	/* the failure sticks */
	cr_assert_eq(lh_stream_read(d, buf, sizeof(buf), &n, &err), LH_FAIL);
	lh_stream_free(d);
}

Test(stream, magic_bytes)
{
	cr_assert_eq(lh_sniff_kind((const unsigned char *)"\x28\xb5\x2f\xfd",
	    4), LH_KIND_ZSTD);
	cr_assert_eq(lh_sniff_kind((const unsigned char *)"PK\3\4", 4),
	    LH_KIND_ARCHIVE);
	/* a native journal is content: the formats probe it */
	cr_assert_eq(lh_sniff_kind((const unsigned char *)"LPKSHHRH", 8),
	    LH_KIND_PLAIN);
}

Test(sched, a_fifo_is_neither_opened_nor_read)
{
	char path[32] = "/tmp/lh-sched-XXXXXX";
	uint64_t size = 1;

	cr_assert_not_null(mkdtemp(path));
	strcat(path, "/f");	/* room for it: 21 bytes of 32 */
	cr_assert_eq(mkfifo(path, 0600), 0);
	/* no writer: opening it would block this test forever */
	cr_assert_eq(lh_sched_cost(path, &size), LH_SCHED_UNKNOWN_COST);
	cr_assert_eq(size, 0);
	unlink(path);
	*strrchr(path, '/') = '\0';
	rmdir(path);
}

Test(buf, grow_checks_overflow)
{
	int *v = NULL;
	size_t cap = 0;

	cr_assert_eq(lh_grow(&v, &cap, 5, sizeof(*v)), LH_OK);
	cr_assert_geq(cap, 5);
	v[4] = 1;
	cr_assert_eq(lh_grow(&v, &cap, SIZE_MAX / 2, sizeof(*v)), LH_FATAL);
	cr_assert_geq(cap, 5);	/* unchanged, still usable */
	v[4]++;
	free(v);
}

#define SIZE 20000

/* SIZE bytes of lines "%06d\n" (7 bytes each, the last one cut short). */
static char *
pattern(void)
{
	char *p = malloc(SIZE + 8);
	int i;

	cr_assert_not_null(p);
	for (i = 0; i * 7 < SIZE; i++)
		snprintf(p + i * 7, 8, "%06d\n", i);
	return p;
}

/* An unlinked temporary file holding p[0..n), read from its start. */
static int
file_of(const char *p, size_t n)
{
	char path[] = "/tmp/skip_testXXXXXX";
	int fd = mkstemp(path);

	cr_assert(fd >= 0);
	unlink(path);
	cr_assert_eq(write(fd, p, n), (ssize_t)n);
	cr_assert_eq(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

/* Reads exactly n bytes of s; they must be want's. */
static void
expect(struct lh_stream *s, const char *want, size_t n)
{
	struct lh_err err;
	char buf[64];
	size_t got, have = 0;

	cr_assert(n <= sizeof(buf));
	while (have < n) {
		cr_assert_eq(lh_stream_read(s, buf + have, n - have, &got,
		    &err), LH_OK);
		have += got;
	}
	cr_assert_eq(memcmp(buf, want, n), 0);
}

Test(skip, file_seeks_with_exact_position)
{
	char *p = pattern(), scratch[16];
	int fd = file_of(p, SIZE);
	struct lh_stream *s = lh_stream_fd_create(fd, "f");
	struct lh_err err;
	uint64_t done;

	expect(s, p, 10);
	/* cheap only (no scratch): a file skips it all, by seeking */
	cr_assert_eq(lh_stream_skip(s, 1000, NULL, 0, &done, &err), LH_OK);
	cr_assert_eq(done, 1000);
	cr_assert_eq(s->pos, 1010);
	cr_assert_eq(lseek(fd, 0, SEEK_CUR), 1010);
	expect(s, p + 1010, 20);
	/* skipping nothing */
	cr_assert_eq(lh_stream_skip(s, 0, scratch, sizeof(scratch), &done,
	    &err), LH_OK);
	cr_assert_eq(done, 0);
	cr_assert_eq(s->pos, 1030);
	expect(s, p + 1030, 5);
	/* past the end: stops at the size, then the end is told */
	cr_assert_eq(lh_stream_skip(s, SIZE, NULL, 0, &done, &err), LH_OK);
	cr_assert_eq(done, SIZE - 1035);
	cr_assert_eq(s->pos, SIZE);
	cr_assert_eq(lh_stream_skip(s, 5, scratch, sizeof(scratch), &done,
	    &err), LH_EOF);
	cr_assert_eq(done, 0);
	cr_assert_eq(s->pos, SIZE);
	lh_stream_free(s);
	close(fd);
	free(p);
}

Test(skip, sniffer_over_a_file_seeks_past_its_replay)
{
	char *p = pattern();
	int fd = file_of(p, SIZE);
	struct lh_stream *f = lh_stream_fd_create(fd, "f"), *s;
	struct lh_err err;
	enum lh_kind k;
	uint64_t done;

	cr_assert_not_null(s = lh_sniff_create(f));
	cr_assert_eq(lh_sniff_fill(s, &k, &err), LH_OK);
	cr_assert_eq(k, LH_KIND_PLAIN);
	/* inside the replayed bytes */
	cr_assert_eq(lh_stream_skip(s, 100, NULL, 0, &done, &err), LH_OK);
	cr_assert_eq(done, 100);
	expect(s, p + 100, 7);
	/* across their end: the file seeks the rest */
	cr_assert_eq(lh_stream_skip(s, 10000, NULL, 0, &done, &err), LH_OK);
	cr_assert_eq(done, 10000);
	cr_assert_eq(s->pos, 10107);
	cr_assert_eq(f->pos, 10107);
	expect(s, p + 10107, 30);
	cr_assert_eq(lh_stream_skip(s, SIZE, NULL, 0, &done, &err), LH_OK);
	cr_assert_eq(s->pos, SIZE);
	lh_stream_free(s);
	lh_stream_free(f);
	close(fd);
	free(p);
}

/* gzip of p (n bytes) into an owned buffer, *zn bytes. */
static unsigned char *
gzip_owned(const char *p, size_t n, size_t *zn)
{
	unsigned char *out = malloc(n + 1024);

	cr_assert_not_null(out);
	*zn = gzip_of(p, n, out, n + 1024);
	return out;
}

Test(skip, decoder_is_read_instead)
{
	char *p = pattern(), scratch[100];
	size_t zn;
	unsigned char *gz = gzip_owned(p, SIZE, &zn);
	struct lh_test_mem m = { gz, zn, 0, 0, 0 };
	struct lh_stream below = { &lh_test_mem_ops, &m, 0 };
	struct lh_stream *d = lh_decomp_create(LH_GZIP, &below, "mem", NULL);
	struct lh_err err;
	uint64_t done;

	cr_assert_not_null(d);
	expect(d, p, 3);
	/* no skip of its own: nothing cheap, then read through scratch */
	cr_assert_eq(lh_stream_skip(d, 5000, NULL, 0, &done, &err), LH_OK);
	cr_assert_eq(done, 0);
	cr_assert_eq(lh_stream_skip(d, 5000, scratch, sizeof(scratch), &done,
	    &err), LH_OK);
	cr_assert_eq(done, 5000);
	cr_assert_eq(d->pos, 5003);
	expect(d, p + 5003, 40);
	cr_assert_eq(lh_stream_skip(d, SIZE, scratch, sizeof(scratch), &done,
	    &err), LH_EOF);
	cr_assert_eq(done, SIZE - 5043);
	cr_assert_eq(d->pos, SIZE);
	lh_stream_free(d);
	free(gz);
	free(p);
}

Test(skip, pipe_is_read_instead)
{
	char *p = pattern(), scratch[64];
	struct lh_stream *s;
	struct lh_err err;
	uint64_t done;
	int fds[2];

	cr_assert_eq(pipe(fds), 0);
	cr_assert_eq(write(fds[1], p, 4000), 4000);
	close(fds[1]);
	s = lh_stream_fd_create(fds[0], "pipe");
	cr_assert_eq(lh_stream_skip(s, 1000, NULL, 0, &done, &err), LH_OK);
	cr_assert_eq(done, 0);
	cr_assert_eq(lh_stream_skip(s, 1000, scratch, sizeof(scratch), &done,
	    &err), LH_OK);
	cr_assert_eq(done, 1000);
	expect(s, p + 1000, 14);
	lh_stream_free(s);
	close(fds[0]);
	free(p);
}

/*
 * The lines of a plan over s: each line's number and offset must be those
 * of the pattern (line i at offset 7 i, number i + 1).
 */
static size_t
planned_lines(struct lh_stream *s, const struct lh_range *r, size_t nr)
{
	struct lh_lines *l = lh_lines_create(s, "f");
	struct lh_err err;
	const char *line;
	size_t len, n = 0;
	unsigned long i;

	cr_assert_not_null(l);
	lh_lines_plan(l, r, nr);
	while (lh_lines_next(l, &line, &len, &err) == LH_OK) {
		cr_assert(len >= 1 && len <= 6);
		i = strtoul(line, NULL, 10);
		cr_assert_eq(lh_lines_offset(l), i * 7);
		cr_assert_eq(lh_lines_lineno(l), i + 1);
		n++;
	}
	lh_lines_free(l);
	return n;
}

Test(skip, plan_lands_on_the_same_lines)
{
	/* the second range lies far beyond the reader's first buffer */
	static char big[7 * 88000 + 1];
	const struct lh_range r[] = {
		{ 70, 140, 10 },
		{ 7 * 50000, 7 * 50003, 50000 },
		{ 7 * 80000, UINT64_MAX, 80000 }
	};
	size_t n = 7 * 88000, zn, i;
	unsigned char *gz;
	struct lh_test_mem m;
	struct lh_stream below = { &lh_test_mem_ops, &m, 0 }, *f, *s, *d;
	struct lh_err err;
	enum lh_kind k;
	int fd;

	for (i = 0; i * 7 < n; i++)
		snprintf(big + i * 7, 8, "%06zu\n", i);
	/* a file under a sniffer: seeks */
	fd = file_of(big, n);
	f = lh_stream_fd_create(fd, "f");
	s = lh_sniff_create(f);
	cr_assert_eq(lh_sniff_fill(s, &k, &err), LH_OK);
	cr_assert_eq(planned_lines(s, r, 3), 10 + 3 + 8000);
	lh_stream_free(s);
	lh_stream_free(f);
	close(fd);
	/* a gzip stream: read and discarded, the same lines */
	gz = gzip_owned(big, n, &zn);
	m = (struct lh_test_mem){ gz, zn, 0, 0, 0 };
	d = lh_decomp_create(LH_GZIP, &below, "mem", NULL);
	cr_assert_eq(planned_lines(d, r, 3), 10 + 3 + 8000);
	lh_stream_free(d);
	free(gz);
}
