/*
 * stream_test.c: stacked streams (core/stream.h): the sniffer replays what
 * it sniffed, decoders read from the stream below and deliver everything
 * before damage; the scheduler never opens an operand; lh_grow.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <criterion/criterion.h>

#include "core/buf.h"
#include "core/decomp.h"
#include "core/sched.h"
#include "core/sniff.h"
#include "core/status.h"
#include "core/stream.h"
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
