/*
 * fold_test.c: the bounded fold of a sorted stream (core/fold.h) gives
 * exactly what lh_timeline_finish() gives for the same matches.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/event.h"
#include "core/fold.h"
#include "core/match.h"
#include "core/time.h"
#include "core/timeline.h"
#include "tests/unit/match_fixture.h"

static struct lh_match *
mk(int rule, const char *host, const char *msg, int64_t ts, int64_t prec,
    int boot, const char *path, uint64_t line)
{
	return fixture_match(rule, host, msg, ts, prec, boot, path, line);
}

static int
untimed(const struct lh_match *m)
{
	return (m->ts_flags & LH_TS_BOOT) || m->ts == LH_TS_NONE;
}

static int
hcmp(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

/* The merger's spill order (core/hits.c): the position, then the source. */
static int
pos_order(const void *pa, const void *pb)
{
	const struct lh_match *a = *(struct lh_match *const *)pa;
	const struct lh_match *b = *(struct lh_match *const *)pb;
	int c;

	if (untimed(a) != untimed(b))
		return untimed(a) - untimed(b);
	if (untimed(a) && (c = hcmp(a->host, b->host)) != 0)
		return c;
	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	if ((c = hcmp(a->host, b->host)) != 0)
		return c;
	if ((c = strcmp(a->src[0].path, b->src[0].path)) != 0)
		return c;
	if (a->src[0].line != b->src[0].line)
		return a->src[0].line < b->src[0].line ? -1 : 1;
	return a->rule - b->rule;
}

struct out {
	char **line;
	size_t n;
};

/* A match as a line: what the printers read of it. */
static char *
show(const struct lh_match *m)
{
	char *s, buf[64];
	size_t i, n = 256;

	for (i = 0; i < m->nsrc; i++)
		n += strlen(m->src[i].path) + 32;
	s = calloc(1, n + (m->message ? m->message_len : 0));
	snprintf(s, n, "%d %lld %lld %d %s %s |", m->rule, (long long)m->ts,
	    (long long)m->ts_prec, m->ts_flags, m->host ? m->host : "-",
	    m->message ? m->message : "");
	for (i = 0; i < m->nsrc; i++) {
		strcat(s, m->src[i].path);
		snprintf(buf, sizeof(buf), ":%llu ",
		    (unsigned long long)m->src[i].line);
		strcat(s, buf);
	}
	return s;
}

static int
collect(void *arg, const struct lh_match *m)
{
	struct out *o = arg;

	o->line[o->n++] = show(m);
	return 0;
}

/* n random matches over a few hosts, messages, files, times, precisions. */
static void
random_matches(unsigned seed, struct lh_match **a, struct lh_match **b,
    size_t n, int64_t *horizon)
{
	static const char *hosts[] = { "web01", "web02", NULL };
	static const char *msgs[] = { "Failed password for root",
	    "[ 12.5] usb 1-1: new device", "usb 1-1: new device",
	    "Accepted publickey for bob" };
	static const char *paths[] = { "auth.log", "syslog", "bundle!syslog",
	    "kern.log" };
	static const int64_t precs[] = { 1, 1000, LH_US, LH_US, LH_US,
	    60 * LH_US };
	int64_t t0 = 1767225600LL * LH_US;
	size_t i, k;

	srand(seed);
	for (i = 0; i < n; i++) {
		int64_t p = precs[rand() % 6];
		int64_t ts = t0 + (rand() % 40) * (LH_US / 2);
		int boot = rand() % 10 == 0, rule = rand() % 3 == 0 ? 1 : -1;
		const char *host = hosts[rand() % 3], *msg = msgs[rand() % 4];
		const char *path = paths[rand() % 4];

		ts -= ts % p;
		if (boot)
			ts = (rand() % 4) * LH_US;
		else if (rand() % 30 == 0)
			ts = LH_TS_NONE;
		/* a record read twice (an archive holding a member twice) */
		if (i > 0 && rand() % 20 == 0)
			a[i] = mk(a[i - 1]->rule, a[i - 1]->host,
			    a[i - 1]->message, a[i - 1]->ts,
			    a[i - 1]->ts_prec,
			    (a[i - 1]->ts_flags & LH_TS_BOOT) != 0,
			    a[i - 1]->src[0].path, a[i - 1]->src[0].line);
		else
			a[i] = mk(rule, host, msg, ts, p, boot, path,
			    (uint64_t)i);
		b[i] = mk(a[i]->rule, a[i]->host, a[i]->message, a[i]->ts,
		    a[i]->ts_prec, (a[i]->ts_flags & LH_TS_BOOT) != 0,
		    a[i]->src[0].path, a[i]->src[0].line);
		k = a[i]->ident & (LH_FOLD_BUCKETS - 1);
		if (a[i]->ts_prec > horizon[k])
			horizon[k] = a[i]->ts_prec;
	}
}

/* collect(), owning m (lh_fold_give): frees it, as its owner must. */
static int
collect_owned(void *arg, const struct lh_match *m)
{
	int rc = collect(arg, m);

	lh_match_free((struct lh_match *)(uintptr_t)m);
	return rc;
}

static void
same_as_timeline_give(unsigned seed, size_t n, uint64_t cap, int give)
{
	struct lh_match **a = calloc(n, sizeof(*a));
	struct lh_match **b = calloc(n, sizeof(*b));
	int64_t *horizon = calloc(LH_FOLD_BUCKETS, sizeof(*horizon));
	struct out o = { calloc(n, sizeof(char *)), 0 };
	struct lh_timeline *tl = lh_timeline_create();
	struct lh_fold *f;
	size_t i;

	random_matches(seed, a, b, n, horizon);
	for (i = 0; i < n; i++)
		cr_assert_eq(lh_timeline_add(tl, a[i]), 0);
	cr_assert_eq(lh_timeline_finish(tl), 0);
	qsort(b, n, sizeof(*b), pos_order);
	f = lh_fold_create(horizon, cap, give ? collect_owned : collect, &o);
	if (give)
		lh_fold_give(f);
	for (i = 0; i < n; i++)
		cr_assert_eq(lh_fold_add(f, b[i]), 0);
	cr_assert_eq(lh_fold_end(f), 0);
	cr_assert_eq(o.n, lh_timeline_count(tl), "seed %u: %zu vs %zu", seed,
	    o.n, lh_timeline_count(tl));
	for (i = 0; i < o.n; i++) {
		char *want = show(lh_timeline_get(tl, i));

		cr_assert_str_eq(o.line[i], want, "seed %u, match %zu:\n%s\n%s",
		    seed, i, o.line[i], want);
		free(want);
		free(o.line[i]);
	}
	lh_fold_free(f);
	lh_timeline_free(tl);
	free(o.line);
	free(horizon);
	free(a);
	free(b);
}

static void
same_as_timeline(unsigned seed, size_t n, uint64_t cap)
{
	same_as_timeline_give(seed, n, cap, 0);
}

Test(fold, same_as_the_timeline)
{
	unsigned seed;

	for (seed = 1; seed <= 200; seed++)
		same_as_timeline(seed, 300, (uint64_t)1 << 30);
}

/* The same when the callback owns the matches (ASan: none freed twice). */
Test(fold, emit_owns_the_matches)
{
	unsigned seed;

	for (seed = 1; seed <= 50; seed++)
		same_as_timeline_give(seed, 300, (uint64_t)1 << 30, 1);
}

/*
 * Long streams: the ring of pending records grows past its first sizes,
 * and entries and per-identity lists are reused as runs close.
 */
Test(fold, long_streams_reuse_their_entries)
{
	unsigned seed;

	for (seed = 1; seed <= 4; seed++) {
		same_as_timeline(seed, 5000, (uint64_t)1 << 30);
		same_as_timeline_give(seed + 100, 3000, (uint64_t)1 << 30, 1);
	}
}

Test(fold, one_file_of_one_stamp_past_the_cap)
{
	int64_t *horizon = calloc(LH_FOLD_BUCKETS, sizeof(*horizon));
	int64_t t = 1767225600LL * LH_US;
	struct out o = { calloc(5000, sizeof(char *)), 0 };
	struct lh_fold *f;
	size_t i;

	for (i = 0; i < LH_FOLD_BUCKETS; i++)
		horizon[i] = LH_US;
	/* a window of a few records: still every record, in order */
	f = lh_fold_create(horizon, 4096, collect, &o);
	for (i = 0; i < 5000; i++)
		cr_assert_eq(lh_fold_add(f, mk(-1, "h", "same line", t, LH_US,
		    0, "rep.log", i + 1)), 0);
	cr_assert_eq(lh_fold_end(f), 0);
	cr_assert_eq(o.n, 5000);
	for (i = 0; i < o.n; i++) {
		char want[32];

		snprintf(want, sizeof(want), "rep.log:%zu ", i + 1);
		cr_assert(strstr(o.line[i], want) != NULL, "%s", o.line[i]);
		free(o.line[i]);
	}
	lh_fold_free(f);
	free(o.line);
	free(horizon);
}
