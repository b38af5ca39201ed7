/*
 * observe_test.c: the line observer of core/lines.c (lh_lines_observe)
 * against the lines worked out byte by byte here: every line of a stream
 * read by lh_lines_next_hit -- the lines the prefilter skips in bulk
 * (observe_all, 64 bytes at a time where the CPU has AVX2, and with
 * lh_lines_portable as elsewhere), the hit lines and a last line without
 * a newline -- is told once, in order, with its
 * offset, its length without "\n" or "\r\n", and the lines before it.
 * Lines of every length around the 64-byte blocks, empty lines, runs of
 * newlines, a carriage return alone, reads of odd sizes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "core/lines.h"
#include "core/prefilter.h"
#include "core/status.h"
#include "core/stream.h"
#include "core/timemap.h"
#include "tests/memstream.h"
#include "tests/unit/syslog_gen.h"

#define TEXT (600 * 1024)
#define MAXL 20000

struct told {
	uint64_t off[MAXL], before[MAXL];
	size_t len[MAXL], n;
};

static void
tell(void *arg, const char *line, size_t len, uint64_t off,
    uint64_t lines_before)
{
	struct told *t = arg;

	(void)line;
	cr_assert_lt(t->n, MAXL);
	t->off[t->n] = off;
	t->len[t->n] = len;
	t->before[t->n] = lines_before;
	t->n++;
}

/*
 * Lines of 0..200 bytes (0..3 when dense: many a block of 64 bytes), some
 * ending "\r\n", a few with the word.
 */
static size_t
make_text(char *p, size_t cap, int last_nl, int dense)
{
	size_t n = 0, k, i;

	while (n + 300 < cap) {
		k = gen_pick(8) == 0 || dense ? gen_pick(dense ? 4 : 3) :
		    gen_pick(201);
		for (i = 0; i < k; i++)
			p[n++] = (char)('a' + gen_pick(26));
		if ((k > 4 && gen_pick(2000) == 0) || (dense && n > 4 &&
		    gen_pick(2000) == 0))
			memcpy(p + n - 4, "HITW", 4);
		if (k > 0 && gen_pick(10) == 0)
			p[n - 1] = '\r';
		p[n++] = '\n';
	}
	if (!last_nl)
		memcpy(p + n, "tail without a newline\r", 23), n += 23;
	return n;
}

/* The lines of p[0..n) as the observer must tell them, checked. */
static void
check(const char *p, size_t n, const struct told *t)
{
	size_t at = 0, i = 0, e, len;

	for (; at < n; at = e + 1, i++) {
		const char *nl = memchr(p + at, '\n', n - at);

		e = nl != NULL ? (size_t)(nl - p) : n;
		len = e - at;
		if (len > 0 && p[e - 1] == '\r')
			len--;
		cr_assert_lt(i, t->n, "line %zu not told", i);
		cr_assert(t->off[i] == at && t->len[i] == len &&
		    t->before[i] == i, "line %zu: told at %llu, %zu bytes, "
		    "%llu before; it is at %zu, %zu bytes", i,
		    (unsigned long long)t->off[i], t->len[i],
		    (unsigned long long)t->before[i], at, len);
	}
	cr_assert_eq(t->n, i);
}

static void
one_stream(size_t chunk, int last_nl, int portable, int dense)
{
	static char text[TEXT];
	static struct told t;
	char w0[] = "hitw", *w[2] = { w0, NULL };
	char **const sets[1] = { w };
	struct lh_prefilter *pf = lh_prefilter_create(sets, 1);
	size_t n, len;
	struct lh_test_mem m = { text, 0, 0, chunk, 0 };
	struct lh_stream s = { &lh_test_mem_ops, &m, 0 };
	struct lh_lines *l = lh_lines_create(&s, "mem");
	struct lh_err err;
	const char *line;
	uint64_t skipped = 0;
	int hits = 0;

	cr_assert_not_null(pf);
	cr_assert_not_null(l);
	t.n = 0;
	gen_seed(chunk + (size_t)last_nl);
	m.n = n = make_text(text, dense ? TEXT / 16 : sizeof(text), last_nl,
	    dense);
	lh_lines_observe(l, tell, &t);
	if (portable)
		lh_lines_portable(l);
	while (lh_lines_next_hit(l, pf, &line, &len, &skipped, &err) ==
	    LH_OK)
		hits++;
	cr_assert_gt(hits, 0);
	check(text, n, &t);
	lh_lines_free(l);
	lh_prefilter_free(pf);
}

Test(observe, every_line_once_in_order)
{
	static const size_t chunks[] = { 0, 1 << 20, 4096, 4093, 64, 65 };
	size_t i;

	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		one_stream(chunks[i], 1, 0, 0);
		one_stream(chunks[i], 0, 0, 0);
	}
}

/* The same without vector code, as on a CPU without AVX2. */
Test(observe, every_line_once_in_order_portable)
{
	static const size_t chunks[] = { 0, 4093, 64, 65 };
	size_t i;

	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		one_stream(chunks[i], 1, 1, 0);
		one_stream(chunks[i], 0, 1, 0);
	}
}

/*
 * Lines of 0..3 bytes: blocks of 64 bytes of many newlines (more than the
 * two whose offsets are listed unconditionally), with and without AVX2.
 */
Test(observe, dense_newlines)
{
	static const size_t chunks[] = { 0, 4093, 65 };
	size_t i;

	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		one_stream(chunks[i], 1, 0, 1);
		one_stream(chunks[i], 0, 0, 1);
		one_stream(chunks[i], 1, 1, 1);
	}
}

/*
 * Without an observer the lines skipped in bulk are only counted (32
 * bytes a step with AVX2, 16 with SSE2): each hit line's number must be
 * its place in the text, sparse or dense, whatever the reads' sizes.
 */
static void
numbered(size_t chunk, int portable, int dense)
{
	static char text[TEXT];
	char w0[] = "hitw", *w[2] = { w0, NULL };
	char **const sets[1] = { w };
	struct lh_prefilter *pf = lh_prefilter_create(sets, 1);
	struct lh_test_mem m = { text, 0, 0, chunk, 0 };
	struct lh_stream s = { &lh_test_mem_ops, &m, 0 };
	struct lh_lines *l = lh_lines_create(&s, "mem");
	struct lh_err err;
	const char *line;
	uint64_t skipped = 0, nl = 0, off, at = 0;
	size_t len;
	int hits = 0;

	cr_assert(pf != NULL && l != NULL);
	gen_seed(chunk + 7);
	m.n = make_text(text, dense ? TEXT / 16 : sizeof(text), 1, dense);
	if (portable)
		lh_lines_portable(l);
	while (lh_lines_next_hit(l, pf, &line, &len, &skipped, &err) ==
	    LH_OK) {
		off = lh_lines_offset(l);
		for (; at < off; at++)
			nl += text[at] == '\n';
		cr_assert_eq(lh_lines_lineno(l), nl + 1, "hit at %llu",
		    (unsigned long long)off);
		hits++;
	}
	cr_assert_gt(hits, 0);
	lh_lines_free(l);
	lh_prefilter_free(pf);
}

Test(observe, hit_line_numbers)
{
	static const size_t chunks[] = { 0, 4093, 65, 1 << 20 };
	size_t i;

	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		numbered(chunks[i], 0, 0);
		numbered(chunks[i], 0, 1);
		numbered(chunks[i], 1, 0);
		numbered(chunks[i], 1, 1);
	}
}
