/*
 * timemap_test.c: core/gate.c (intervals, by host) and core/timemap.c
 * (chunks of a source and the context pass's plan).
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/gate.h"
#include "core/status.h"
#include "core/timemap.h"

Test(gate, union_of_intervals)
{
	int64_t lo[] = { 50, 10, 21, 100 }, hi[] = { 60, 20, 30, 90 };
	struct lh_gate *g = lh_gate_create(lo, hi, 4);

	cr_assert_not_null(g);
	/* [10,20] and [21,30] touch: one interval; [100,90] is empty */
	cr_assert(lh_gate_admits(g, 10) && lh_gate_admits(g, 20));
	cr_assert(lh_gate_admits(g, 21) && lh_gate_admits(g, 30));
	cr_assert(!lh_gate_admits(g, 9) && !lh_gate_admits(g, 31));
	cr_assert(!lh_gate_admits(g, 95) && !lh_gate_admits(g, 100));
	cr_assert(lh_gate_overlaps(g, 31, 50) && lh_gate_overlaps(g, 0, 10));
	cr_assert(!lh_gate_overlaps(g, 31, 49) && !lh_gate_overlaps(g, 61,
	    1000));
	cr_assert(lh_gate_overlaps(g, 0, 1000));
	cr_assert(!lh_gate_overlaps(g, 60, 50));
	lh_gate_free(g);
	g = lh_gate_create(NULL, NULL, 0);
	cr_assert(!lh_gate_admits(g, 0) && !lh_gate_overlaps(g, INT64_MIN,
	    INT64_MAX));
	lh_gate_free(g);
}

Test(gate, by_host)
{
	const char *h[] = { "web01", "db01", "web01", "web0" };
	int64_t lo[] = { 10, 100, 300, 1000 }, hi[] = { 20, 200, 400, 2000 };
	struct lh_gate *g = lh_gate_create_hosts(h, lo, hi, 4);

	cr_assert_not_null(g);
	cr_assert(lh_gate_admits_host(g, "web01", 5, 15));
	cr_assert(lh_gate_admits_host(g, "web01", 5, 350));
	cr_assert(!lh_gate_admits_host(g, "web01", 5, 150));
	cr_assert(lh_gate_admits_host(g, "db01", 4, 150));
	cr_assert(!lh_gate_admits_host(g, "db01", 4, 15));
	/* a prefix is another host; an unknown host has no window */
	cr_assert(!lh_gate_admits_host(g, "web01", 4, 15));
	cr_assert(lh_gate_admits_host(g, "web01", 4, 1500));
	cr_assert(!lh_gate_admits_host(g, "app01", 5, 15));
	/* a record of unknown host: the union */
	cr_assert(lh_gate_admits_host(g, NULL, 0, 150));
	cr_assert(lh_gate_admits(g, 1500));
	cr_assert(lh_gate_overlaps_host(g, "db01", 4, 0, 100));
	cr_assert(!lh_gate_overlaps_host(g, "db01", 4, 201, 999));
	cr_assert(lh_gate_overlaps_host(g, NULL, 0, 201, 1000));
	lh_gate_free(g);
}

/* Lines of 100 bytes, one a second from t0, of host h. */
static void
lines(struct lh_timemap *tm, uint64_t *off, uint64_t *n, int count,
    int64_t t0, const char *h)
{
	int i;

	for (i = 0; i < count; i++, (*off) += 100, (*n)++)
		lh_timemap_line(tm, *off, *n, LH_STAMP_TIME, t0 + i, h,
		    strlen(h));
}

Test(timemap, plan)
{
	struct lh_timeindex *ix = lh_timeindex_create();
	struct lh_timemap *tm = lh_timemap_create();
	const char *h[] = { "a", "b" };
	uint64_t off = 0, n = 0, per = LH_TIMEMAP_CHUNK / 100 + 1;
	int64_t lo[] = { 10000 + (int64_t)per / 2, 2000 },
	    hi[] = { 10010 + (int64_t)per / 2, 2010 };
	struct lh_gate *g = lh_gate_create_hosts(h, lo, hi, 2);
	struct lh_range *r;
	size_t k;

	/* chunks of host a at 0.., 10000.., 20000..; then b at 30000.. */
	lines(tm, &off, &n, (int)per, 0, "a");
	lines(tm, &off, &n, (int)per, 10000, "a");
	lines(tm, &off, &n, (int)per, 20000, "a");
	lines(tm, &off, &n, (int)per, 30000, "b");
	cr_assert_eq(lh_timeindex_put(ix, "f", tm), LH_OK);
	cr_assert_eq(lh_timeindex_put(ix, "empty", lh_timemap_create()),
	    LH_OK);
	tm = lh_timemap_create();
	lh_timemap_line(tm, 0, 0, LH_STAMP_TIME, 1, "a", 1);
	lh_timemap_fail(tm);
	cr_assert_eq(lh_timeindex_put(ix, "failed", tm), LH_OK);
	lh_timeindex_seal(ix);
	cr_assert_eq(lh_timeindex_plan(ix, "nope", g, &r, &k), 0);
	cr_assert_eq(lh_timeindex_plan(ix, "empty", g, &r, &k), 0);
	cr_assert_eq(lh_timeindex_plan(ix, "failed", g, &r, &k), 0);
	cr_assert_eq(lh_timeindex_plan(ix, "f", g, &r, &k), 1);
	/* a's window lies in the second chunk (10000..10000+per) */
	cr_assert_eq(k, 1);
	cr_assert_eq(r[0].start, per * 100);
	cr_assert_eq(r[0].end, 2 * per * 100);
	cr_assert_eq(r[0].lines_before, per);
	free(r);
	lh_gate_free(g);
	/* b's window only: b's chunk is the last one, read to the end */
	{
		const char *hb[] = { "b" };
		int64_t l2[] = { 30001 }, h2[] = { 30002 };

		g = lh_gate_create_hosts(hb, l2, h2, 1);
	}
	cr_assert_eq(lh_timeindex_plan(ix, "f", g, &r, &k), 1);
	cr_assert_eq(k, 1);
	cr_assert_eq(r[0].start, 3 * per * 100);
	cr_assert_eq(r[0].end, UINT64_MAX);
	free(r);
	lh_gate_free(g);
	/* no window near: nothing of f is read */
	lo[0] = lo[1] = 50000;
	hi[0] = hi[1] = 50010;
	g = lh_gate_create_hosts(h, lo, hi, 2);
	cr_assert_eq(lh_timeindex_plan(ix, "f", g, &r, &k), 1);
	cr_assert_eq(k, 0);
	cr_assert_null(r);
	lh_gate_free(g);
	lh_timeindex_free(ix);
}

Test(timemap, unknown_mixed_and_continuations)
{
	struct lh_timeindex *ix = lh_timeindex_create();
	struct lh_timemap *tm = lh_timemap_create();
	const char *h[] = { "a" };
	int64_t lo[] = { 500 }, hi[] = { 600 };
	struct lh_gate *g = lh_gate_create_hosts(h, lo, hi, 1);
	struct lh_range *r;
	uint64_t c = LH_TIMEMAP_CHUNK;
	size_t k;

	/* chunk 1: times far away, but a record of unknown time */
	lh_timemap_line(tm, 0, 0, LH_STAMP_TIME, 10, "a", 1);
	lh_timemap_line(tm, 100, 1, LH_STAMP_UNKNOWN, 0, NULL, 0);
	/* chunk 2: host b near a's window: b has none, not read */
	lh_timemap_line(tm, c, 2, LH_STAMP_TIME, 550, "b", 1);
	/* chunk 3: b and an unknown host near: the union, read */
	lh_timemap_line(tm, 2 * c, 3, LH_STAMP_TIME, 550, "b", 1);
	lh_timemap_line(tm, 2 * c + 10, 4, LH_STAMP_TIME, 551, NULL, 0);
	/* a continuation past the chunk size does not start a chunk */
	lh_timemap_line(tm, 4 * c, 5, LH_STAMP_CONT, 0, NULL, 0);
	/* chunk 4: untimed records only: not read */
	lh_timemap_line(tm, 5 * c, 6, LH_STAMP_NONE, 0, NULL, 0);
	cr_assert_eq(lh_timeindex_put(ix, "f", tm), LH_OK);
	lh_timeindex_seal(ix);
	cr_assert_eq(lh_timeindex_plan(ix, "f", g, &r, &k), 1);
	cr_assert_eq(k, 2);
	cr_assert_eq(r[0].start, 0);
	cr_assert_eq(r[0].end, c);
	cr_assert_eq(r[1].start, 2 * c);
	cr_assert_eq(r[1].end, 5 * c);
	cr_assert_eq(r[1].lines_before, 3);
	free(r);
	lh_gate_free(g);
	lh_timeindex_free(ix);
}

Test(timemap, twice_given_path_is_dropped)
{
	struct lh_timeindex *ix = lh_timeindex_create();
	struct lh_timemap *a = lh_timemap_create(), *b = lh_timemap_create();
	int64_t lo[] = { 0 }, hi[] = { 1 };
	struct lh_gate *g = lh_gate_create(lo, hi, 1);
	struct lh_range *r;
	size_t k;

	lh_timemap_line(a, 0, 0, LH_STAMP_TIME, 100, "x", 1);
	lh_timemap_line(a, LH_TIMEMAP_CHUNK, 1, LH_STAMP_TIME, 100, "x", 1);
	lh_timemap_line(b, 0, 0, LH_STAMP_TIME, 100, "x", 1);
	lh_timemap_line(b, LH_TIMEMAP_CHUNK, 1, LH_STAMP_TIME, 100, "x", 1);
	cr_assert_eq(lh_timeindex_put(ix, "same", a), LH_OK);
	cr_assert_eq(lh_timeindex_put(ix, "same", b), LH_OK);
	lh_timeindex_seal(ix);
	cr_assert_eq(lh_timeindex_plan(ix, "same", g, &r, &k), 0);
	lh_gate_free(g);
	lh_timeindex_free(ix);
}

Test(timemap, single_chunk_is_not_kept)
{
	struct lh_timeindex *ix = lh_timeindex_create();
	struct lh_timemap *a = lh_timemap_create();
	int64_t lo[] = { 0 }, hi[] = { 1 };
	struct lh_gate *g = lh_gate_create(lo, hi, 1);
	struct lh_range *r;
	size_t k;

	lh_timemap_line(a, 0, 0, LH_STAMP_TIME, 100, "x", 1);
	lh_timemap_line(a, 100, 1, LH_STAMP_TIME, 200, "x", 1);
	cr_assert_eq(lh_timeindex_put(ix, "small", a), LH_OK);
	lh_timeindex_seal(ix);
	/* not in the index: read whole */
	cr_assert_eq(lh_timeindex_plan(ix, "small", g, &r, &k), 0);
	lh_gate_free(g);
	lh_timeindex_free(ix);
}

/*
 * Puts tm (taken) into a fresh index as "f" and checks its plan against g:
 * the n ranges of want.
 */
static void
check_plan(struct lh_timemap *tm, const struct lh_gate *g,
    const struct lh_range *want, size_t n)
{
	struct lh_timeindex *ix = lh_timeindex_create();
	struct lh_range *r;
	size_t i, k;

	cr_assert_eq(lh_timeindex_put(ix, "f", tm), LH_OK);
	lh_timeindex_seal(ix);
	cr_assert_eq(lh_timeindex_plan(ix, "f", g, &r, &k), 1);
	cr_assert_eq(k, n);
	for (i = 0; i < n; i++) {
		cr_assert_eq(r[i].start, want[i].start, "range %zu", i);
		cr_assert_eq(r[i].end, want[i].end, "range %zu", i);
		cr_assert_eq(r[i].lines_before, want[i].lines_before,
		    "range %zu", i);
	}
	free(r);
	lh_timeindex_free(ix);
}

/* Lines of hosts edge00.. (n of them), at off, all at time ts. */
static void
edges(struct lh_timemap *tm, uint64_t off, uint64_t *line, int n,
    int64_t ts)
{
	char name[16];
	int i;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "edge%02d", i);
		lh_timemap_line(tm, off + (uint64_t)i, (*line)++,
		    LH_STAMP_TIME, ts, name, strlen(name));
	}
}

Test(timemap, chunks_of_several_hosts)
{
	struct lh_timemap *tm = lh_timemap_create();
	const char *h[] = { "db01", "web01" };
	int64_t lo[] = { 1000, 5000 }, hi[] = { 1010, 5010 };
	struct lh_gate *g = lh_gate_create_hosts(h, lo, hi, 2);
	uint64_t c = LH_TIMEMAP_CHUNK, line = 0;
	const struct lh_range want[] = {
		{ 0, c, 0 }, { 2 * c, 3 * c, 5 }, { 4 * c, 5 * c, 21 }
	};

	/* chunk 0: app01 and db01 around 1000: db01's window, read */
	lh_timemap_line(tm, 0, line++, LH_STAMP_TIME, 990, "app01", 5);
	lh_timemap_line(tm, 10, line++, LH_STAMP_TIME, 1005, "db01", 4);
	lh_timemap_line(tm, 20, line++, LH_STAMP_TIME, 1020, "app01", 5);
	/* chunk 1: app01 and mail01 around 1000: none of theirs, skipped */
	lh_timemap_line(tm, c, line++, LH_STAMP_TIME, 990, "app01", 5);
	lh_timemap_line(tm, c + 10, line++, LH_STAMP_TIME, 1005, "mail01", 6);
	/* chunk 2: 8 hosts, web01 the last of them, near 5000: read */
	edges(tm, 2 * c, &line, 7, 5000);
	lh_timemap_line(tm, 2 * c + 7, line++, LH_STAMP_TIME, 5001, "web01",
	    5);
	/* chunk 3: the same 8 hosts near 1000 (db01's time): skipped */
	edges(tm, 3 * c, &line, 7, 1000);
	lh_timemap_line(tm, 3 * c + 7, line++, LH_STAMP_TIME, 1000, "web01",
	    5);
	/* chunk 4: 9 hosts near 1000: mixed, any window: read */
	edges(tm, 4 * c, &line, 9, 1000);
	/* chunk 5: app01 only near 5000: skipped */
	lh_timemap_line(tm, 5 * c, line++, LH_STAMP_TIME, 5000, "app01", 5);
	check_plan(tm, g, want, 3);
	lh_gate_free(g);
}

Test(timemap, hosts_of_a_map_are_bounded)
{
	struct lh_timemap *tm = lh_timemap_create();
	const char *h[] = { "h300" };
	int64_t lo[] = { 0 }, hi[] = { 10 };
	struct lh_gate *g = lh_gate_create_hosts(h, lo, hi, 1);
	uint64_t c = LH_TIMEMAP_CHUNK;
	const struct lh_range want[] = { { c * 299, UINT64_MAX, 299 } };
	char name[16];
	int i;

	/* 300 hosts, one chunk of one host each, far from the window */
	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "h%d", i);
		lh_timemap_line(tm, c * (uint64_t)i, (uint64_t)i,
		    LH_STAMP_TIME, i == 299 ? 5 : 1000, name, strlen(name));
	}
	/* past the map's 255 hosts a chunk is mixed: h299's is read */
	lh_timemap_line(tm, c * 300, 300, LH_STAMP_TIME, 5, "h300", 4);
	check_plan(tm, g, want, 1);
	lh_gate_free(g);
}
