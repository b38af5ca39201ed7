/*
 * match_pool_test.c: the pool of match blocks (core/match.h) keeps and
 * hands out blocks within its bounds, and the merger's hits (core/hits.h)
 * come out the same whether their blocks come from a pool or not.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/evidence.h"
#include "core/hits.h"
#include "core/match.h"
#include "core/status.h"
#include "tests/unit/match_fixture.h"

/* A block of pool laid out as a match of one source in path. */
static struct lh_match *
block(struct lh_match_pool *p, size_t size, const char *path)
{
	struct lh_match *m = lh_match_pool_get(p, size);

	cr_assert_not_null(m);
	cr_assert_eq(m->nsrc, 0);
	cr_assert_null(m->src);
	m->src = (struct lh_srcref *)(m + 1);
	m->src[0].path = (char *)(m + 1) + sizeof(struct lh_srcref);
	strcpy(m->src[0].path, path);
	m->nsrc = 1;
	m->matched = "";
	return m;
}

Test(match_pool, no_pool_is_malloc)
{
	struct lh_match *m = block(NULL, 256, "a");

	cr_assert_eq(m->cap, 0);
	lh_match_pool_put(NULL, m);
	lh_match_pool_free(NULL);
}

Test(match_pool, reuses_the_last_block_that_fits)
{
	struct lh_match_pool *p = lh_match_pool_create(4, 1 << 20);
	struct lh_match *a, *b;

	cr_assert_not_null(p);
	a = block(p, 400, "a");
	cr_assert_geq(a->cap, 400);
	lh_match_pool_put(p, a);
	b = block(p, 380, "b");
	cr_assert_eq(b, a, "a block that fits is reused");
	cr_assert_str_eq(b->src[0].path, "b");
	lh_match_pool_put(p, b);
	a = block(p, 4000, "c");	/* too small: replaced */
	cr_assert_geq(a->cap, 4000);
	lh_match_pool_put(p, a);
	lh_match_pool_free(p);
}

Test(match_pool, bounded_by_count_and_bytes)
{
	struct lh_match_pool *p = lh_match_pool_create(2, 1 << 20);
	struct lh_match_pool *q = lh_match_pool_create(8, 1000);
	struct lh_match *m[3];
	int i;

	for (i = 0; i < 3; i++)
		m[i] = block(p, 300, "x");
	for (i = 0; i < 3; i++)	/* the third is freed */
		lh_match_pool_put(p, m[i]);
	cr_assert_eq(block(p, 300, "y"), m[1]);
	lh_match_pool_put(p, m[1]);
	for (i = 0; i < 3; i++)
		m[i] = block(q, 600, "x");
	for (i = 0; i < 3; i++)	/* one fits in 1000 bytes */
		lh_match_pool_put(q, m[i]);
	cr_assert_eq(block(q, 600, "y"), m[0]);
	lh_match_pool_put(q, m[0]);
	lh_match_pool_free(p);
	lh_match_pool_free(q);
}

Test(match_pool, folded_sources_are_freed)
{
	struct lh_match_pool *p = lh_match_pool_create(4, 1 << 20);
	struct lh_match *a = block(p, 300, "a");
	struct lh_match *b = fixture_match(0, NULL, "m", 0, 1, 0, "b", 2);

	cr_assert_eq(lh_match_fold(a, b), LH_OK);
	cr_assert_eq(a->nsrc, 2);
	lh_match_pool_put(p, a);	/* its array of sources goes */
	a = block(p, 200, "c");
	cr_assert_eq(a->nsrc, 1);
	lh_match_free(a);
	lh_match_pool_free(p);
}

/*
 * Blocks taken out of one pool (the second thread's) go into another
 * (the merger's) and are handed out again from there; a block whose
 * folded sources were freed when it was kept is taken without them.
 */
Test(match_pool, take_moves_blocks_between_pools)
{
	struct lh_match_pool *p = lh_match_pool_create(4, 1 << 20);
	struct lh_match_pool *q = lh_match_pool_create(4, 1 << 20);
	struct lh_match *a = block(p, 300, "a"), *b = block(p, 500, "b");
	struct lh_match *t;

	cr_assert_eq(lh_match_fold(a, fixture_match(0, NULL, "m", 0, 1, 0,
	    "f", 2)), LH_OK);
	cr_assert_null(lh_match_pool_take(p));
	cr_assert_null(lh_match_pool_take(NULL));
	lh_match_pool_put(p, a);
	lh_match_pool_put(p, b);
	t = lh_match_pool_take(p);
	cr_assert_eq(t, b, "the last one kept first");
	cr_assert_eq(t->nsrc, 0);
	cr_assert_null(t->src);
	lh_match_pool_put(q, t);
	t = lh_match_pool_take(p);
	cr_assert_eq(t, a);
	cr_assert_eq(t->nsrc, 0, "its folded sources went when kept");
	lh_match_pool_put(q, t);
	cr_assert_null(lh_match_pool_take(p));
	cr_assert_eq(block(q, 250, "c"), a, "handed out by the other pool");
	lh_match_pool_put(q, a);
	lh_match_pool_free(p);
	lh_match_pool_free(q);
}

/* ---- hits through a pool ------------------------------------------- */

struct seen {
	struct lh_match_pool *pool;
	char out[64 * 1024];
	size_t len;
};

static int
emit(void *arg, const struct lh_match *m)
{
	struct seen *s = arg;
	size_t i;

	s->len += (size_t)snprintf(s->out + s->len, sizeof(s->out) - s->len,
	    "%lld %s %s %zu:", (long long)m->ts, m->host ? m->host : "-",
	    m->message, m->nsrc);
	for (i = 0; i < m->nsrc; i++)
		s->len += (size_t)snprintf(s->out + s->len,
		    sizeof(s->out) - s->len, " %s:%llu", m->src[i].path,
		    (unsigned long long)m->src[i].line);
	s->len += (size_t)snprintf(s->out + s->len, sizeof(s->out) - s->len,
	    "\n");
	lh_match_pool_put(s->pool, (struct lh_match *)(uintptr_t)m);
	return LH_OK;
}

/*
 * Hits of messages of growing and shrinking sizes, each seen in two files
 * (folded into one hit of two sources).
 */
static void
run(struct lh_match_pool *pool, struct seen *s)
{
	struct lh_hits_opts o = { NULL, 1 << 20, 1, 0, pool };
	struct lh_evidence *e = lh_evidence_create();
	struct lh_hits *h;
	struct lh_err err;
	char msg[512];
	int i;

	lh_err_clear(&err);
	cr_assert_not_null(e);
	h = lh_hits_create(&o, &err);
	cr_assert_not_null(h);
	s->pool = pool;
	s->len = 0;
	for (i = 0; i < 200; i++) {
		memset(msg, 'a' + i / 2 % 26, sizeof(msg));
		msg[(i / 2 * 37) % 300 + 1] = '\0';
		cr_assert_eq(lh_hits_add(h, fixture_match(-1, i / 2 % 3 ? "h" :
		    NULL, msg, (int64_t)(i / 2) * 1000000, 1000000, 0,
		    i % 2 ? "f1" : "f2", (uint64_t)i), &err), LH_OK);
	}
	cr_assert_eq(lh_hits_finish(h, e, emit, s, &err), LH_OK);
	lh_hits_free(h);
	lh_evidence_free(e);
}

Test(match_pool, hits_the_same_through_a_pool)
{
	static struct seen a, b;
	struct lh_match_pool *p = lh_match_pool_create(3, 1 << 20);

	run(NULL, &a);
	run(p, &b);
	cr_assert_gt(a.len, 0);
	cr_assert_not_null(strstr(a.out, " f1:1 f2:0\n"), "%s", a.out);
	cr_assert_eq(a.len, b.len);
	cr_assert(memcmp(a.out, b.out, a.len) == 0);
	lh_match_pool_free(p);
}
