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
#include "tests/unit/syslog_gen.h"

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

/*
 * The map against a straightforward model of it (struct model: the hosts
 * of a chunk in a list, names compared with memcmp): random lines of every
 * kind, of hosts of 1..40 bytes that differ in one byte anywhere (the
 * middle of long ones too) or in length only, each told from a copy of
 * exactly its length (ASan sees a read past it), chunks of more than
 * CHUNK_HOSTS hosts, maps of more than MAP_HOSTS; the plans of both must
 * be the same for gates of random windows of random hosts.
 */
#define M_CHUNKS 300
#define M_POOL 320

struct model_chunk {
	uint64_t start, lines_before;
	int64_t min, max;
	int unknown, mixed, nh, host[8];
};

struct model {
	struct model_chunk c[M_CHUNKS + 1];
	int n, nh, host[255];	/* the map's hosts, as pool indexes */
};

static char pool[M_POOL][41];
static size_t pool_len[M_POOL];

/*
 * Host i: of length 1 + i / 8 % 40 (0 for host 0), in 8 variants that
 * differ in one byte, somewhere in its middle where it can.
 */
static void
make_pool(void)
{
	size_t i, len, v;

	for (i = 0; i < M_POOL; i++) {
		len = i == 0 ? 0 : 1 + (i / 8) % 40;
		v = i % 8;
		memset(pool[i], 'h', len);
		pool[i][len] = '\0';
		if (len > 0 && v > 0)
			pool[i][(len / 2 + v * 5) % len] = (char)('a' + v);
		pool_len[i] = len;
	}
}

/* The pool index of a host equal to host i (the first such). */
static int
canon(int i)
{
	int j;

	for (j = 0; j < i; j++)
		if (pool_len[j] == pool_len[i] &&
		    memcmp(pool[j], pool[i], pool_len[i]) == 0)
			return j;
	return i;
}

static void
model_line(struct model *m, uint64_t off, uint64_t lb, enum lh_stamp k,
    int64_t ts, int host)
{
	struct model_chunk *c;
	int i, in = 0;

	if (m->n == 0 || (k != LH_STAMP_CONT &&
	    off - m->c[m->n - 1].start >= LH_TIMEMAP_CHUNK)) {
		c = &m->c[m->n++];
		memset(c, 0, sizeof(*c));
		c->start = off;
		c->lines_before = lb;
		c->min = INT64_MAX;
		c->max = INT64_MIN;
	}
	c = &m->c[m->n - 1];
	if (k == LH_STAMP_UNKNOWN || k == LH_STAMP_CONT)
		c->unknown = 1;
	if (k != LH_STAMP_TIME)
		return;
	c->min = ts < c->min ? ts : c->min;
	c->max = ts > c->max ? ts : c->max;
	if (c->mixed)
		return;
	if (host < 0) {
		c->mixed = 1;
		return;
	}
	host = canon(host);
	for (i = 0; i < c->nh; i++)
		if (c->host[i] == host)
			return;
	for (i = 0; i < m->nh && !in; i++)
		in = m->host[i] == host;
	if (!in && m->nh == 255) {
		c->mixed = 1;
		return;
	}
	if (!in)
		m->host[m->nh++] = host;
	if (c->nh == 8)
		c->mixed = 1;
	else
		c->host[c->nh++] = host;
}

/* 1 when the model's chunk c is read for g: a window of its hosts. */
static int
model_wanted(const struct model_chunk *c, const struct lh_gate *g)
{
	int i, hit = 0;

	if (c->mixed || c->nh == 0)
		hit = lh_gate_overlaps(g, c->min, c->max);
	for (i = 0; i < c->nh && !c->mixed && !hit; i++)
		hit = lh_gate_overlaps_host(g, pool[c->host[i]],
		    pool_len[c->host[i]], c->min, c->max);
	return c->unknown || (c->min <= c->max && hit);
}

/* The model's plan for g into r (M_CHUNKS + 1 ranges at most): *n. */
static void
model_plan(const struct model *m, const struct lh_gate *g,
    struct lh_range *r, size_t *n)
{
	uint64_t end;
	int i;

	*n = 0;
	for (i = 0; i < m->n; i++) {
		if (!model_wanted(&m->c[i], g))
			continue;
		end = i + 1 < m->n ? m->c[i + 1].start : UINT64_MAX;
		if (*n > 0 && r[*n - 1].end == m->c[i].start) {
			r[*n - 1].end = end;
			continue;
		}
		r[*n].start = m->c[i].start;
		r[*n].end = end;
		r[(*n)++].lines_before = m->c[i].lines_before;
	}
}

/* Tells tm and m of line (off, lb) of kind k, host pool[h] (h < 0: NULL). */
static void
both_line(struct lh_timemap *tm, struct model *m, uint64_t off, uint64_t lb,
    enum lh_stamp k, int64_t ts, int h)
{
	char *copy = NULL;

	if (h >= 0) {
		/* exactly its bytes: ASan sees a read past them */
		copy = malloc(pool_len[h] > 0 ? pool_len[h] : 1);
		cr_assert_not_null(copy);
		memcpy(copy, pool[h], pool_len[h]);
	}
	lh_timemap_line(tm, off, lb, k, ts, copy, h >= 0 ? pool_len[h] : 0);
	free(copy);
	model_line(m, off, lb, k, ts, h);
}

/*
 * A map of chunks each of up to nsub hosts of span neighbours in the pool
 * (of alike names), of the first npool.
 */
static void
random_map(struct lh_timemap *tm, struct model *m, int npool, int nsub,
    int span)
{
	static const enum lh_stamp kinds[] = { LH_STAMP_TIME, LH_STAMP_TIME,
		LH_STAMP_TIME, LH_STAMP_TIME, LH_STAMP_NONE, LH_STAMP_CONT,
		LH_STAMP_UNKNOWN };
	uint64_t off = 0, lb = 0;
	int ci, sub[12], ns, h, base;
	enum lh_stamp k;

	for (ci = 0; ci < M_CHUNKS - 10; ci++) {
		ns = 1 + (int)gen_pick((unsigned)nsub);
		base = (int)gen_pick((unsigned)(npool - span + 1));
		for (h = 0; h < ns; h++)
			sub[h] = base + (int)gen_pick((unsigned)span);
		while (off < (uint64_t)(ci + 1) * LH_TIMEMAP_CHUNK) {
			k = gen_pick(20) == 0 ? GEN_ONE(kinds) : LH_STAMP_TIME;
			h = gen_pick(300) == 0 ? -1 : sub[gen_pick(
			    (unsigned)ns)];
			both_line(tm, m, off, lb++, k, ci * 100 +
			    (int64_t)gen_pick(50), h);
			off += 1 + gen_pick(3000);
		}
	}
}

/* Checks the plan of ix's "f" for g against the model's. */
static void
check_model(const struct lh_timeindex *ix, const struct model *m,
    const struct lh_gate *g, int gate)
{
	static struct lh_range want[M_CHUNKS + 1];
	struct lh_range *r;
	size_t i, k, nw;

	model_plan(m, g, want, &nw);
	cr_assert_eq(lh_timeindex_plan(ix, "f", g, &r, &k), 1);
	cr_assert_eq(k, nw, "gate %d: %zu ranges, not %zu", gate, k, nw);
	for (i = 0; i < k; i++)
		cr_assert(r[i].start == want[i].start &&
		    r[i].end == want[i].end &&
		    r[i].lines_before == want[i].lines_before,
		    "gate %d, range %zu", gate, i);
	free(r);
}

/*
 * Gates of one host each, of all time (the chunks that name it, are mixed
 * or of unknown times), then of random windows of random hosts.
 */
static void
compare_plans(int npool, int nsub, int span, uint64_t seed)
{
	static struct model m;
	struct lh_timemap *tm = lh_timemap_create();
	struct lh_timeindex *ix = lh_timeindex_create();
	const char *gh[20];
	int64_t lo[20], hi[20];
	struct lh_gate *g;
	int t, j;

	cr_assert(tm != NULL && ix != NULL);
	memset(&m, 0, sizeof(m));
	gen_seed(seed);
	random_map(tm, &m, npool, nsub, span);
	cr_assert_eq(lh_timeindex_put(ix, "f", tm), LH_OK);
	lh_timeindex_seal(ix);
	for (t = 0; t < npool; t++) {
		gh[0] = pool[t];
		lo[0] = INT64_MIN;
		hi[0] = INT64_MAX;
		cr_assert_not_null(g = lh_gate_create_hosts(gh, lo, hi, 1));
		check_model(ix, &m, g, t);
		lh_gate_free(g);
	}
	for (t = 0; t < 40; t++) {
		for (j = 0; j < 20; j++) {
			gh[j] = pool[gen_pick((unsigned)npool)];
			lo[j] = (int64_t)gen_pick(M_CHUNKS * 100);
			hi[j] = lo[j] + (int64_t)gen_pick(200);
		}
		g = lh_gate_create_hosts(gh, lo, hi, 1 + gen_pick(20));
		cr_assert_not_null(g);
		check_model(ix, &m, g, npool + t);
		lh_gate_free(g);
	}
	lh_timeindex_free(ix);
}

Test(timemap, same_plans_as_a_model)
{
	make_pool();
	compare_plans(M_POOL, 10, 16, 1);	/* 10 of 2 lengths' 16 */
	compare_plans(M_POOL, 6, 8, 2);		/* of one length */
	compare_plans(M_POOL, 12, 24, 3);
	compare_plans(M_POOL, 4, M_POOL, 4);	/* past the map's 255 */
}
