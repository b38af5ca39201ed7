/*
 * seq_test.c: the EQL sequence engine (core/seq.c), on the brute-force
 * rules' shapes and on cases of Elasticsearch's own sequence tests
 * (x-pack/plugin/eql/src/test/resources/sequences.series-spec).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "core/seq.h"
#include "core/status.h"

#define SEC 1000000LL

/* The completed sequences, as text: "1 2 3;4 5 6;". */
static char got[8192];

static int
collect(void *ctx, const uint64_t *ids, size_t n)
{
	size_t i, l;

	(void)ctx;
	for (i = 0; i < n; i++) {
		l = strlen(got);
		snprintf(got + l, sizeof(got) - l, "%s%llu", i ? " " : "",
		    (unsigned long long)ids[i]);
	}
	l = strlen(got);
	snprintf(got + l, sizeof(got) - l, ";");
	return LH_OK;
}

static struct lh_seq *
engine(size_t nsteps, const unsigned *runs, int64_t maxspan)
{
	struct lh_seq_config cfg = { nsteps, runs, maxspan, 0 };
	struct lh_err err;
	struct lh_seq *s = lh_seq_create(&cfg, collect, NULL, &err);

	cr_assert_not_null(s, "%s", err.msg);
	got[0] = '\0';
	return s;
}

static void
feed(struct lh_seq *s, int64_t ts, uint64_t steps, const char *key,
    uint64_t id)
{
	cr_assert_eq(lh_seq_feed(s, ts, steps, key,
	    key != NULL ? strlen(key) : 0, id), LH_OK);
}

/* n failures (step 0 of "[fail] with runs=R"), every gap µs from t0. */
static void
failures(struct lh_seq *s, int n, int64_t t0, int64_t gap, const char *key,
    uint64_t id0)
{
	int i;

	for (i = 0; i < n; i++)
		feed(s, t0 + i * gap, 1, key, id0 + (uint64_t)i);
}

/* The ids first..last as "first first+1 ... last;". */
static const char *
range(int first, int last)
{
	static char buf[4096];
	size_t l = 0;
	int i;

	for (i = first; i <= last; i++)
		l += (size_t)snprintf(buf + l, sizeof(buf) - l, "%s%d",
		    i > first ? " " : "", i);
	snprintf(buf + l, sizeof(buf) - l, ";");
	return buf;
}

Test(seq, runs60_needs_60_within_30s)
{
	unsigned runs = 60;
	struct lh_seq *s = engine(1, &runs, 30 * SEC);

	failures(s, 59, 0, SEC / 2, "k", 1);
	cr_assert_str_eq(got, "");
	lh_seq_free(s);

	s = engine(1, &runs, 30 * SEC);
	failures(s, 60, 0, SEC / 2, "k", 1);
	cr_assert_str_eq(got, range(1, 60));
	lh_seq_free(s);

	/* the 61st overlaps: events 2..61 form a second sequence */
	s = engine(1, &runs, 30 * SEC);
	failures(s, 61, 0, SEC / 2, "k", 1);
	cr_assert_eq(strlen(got), strlen(range(1, 60)) + strlen(range(2, 61)));
	cr_assert(strstr(got, range(2, 61)) != NULL);
	lh_seq_free(s);
}

Test(seq, runs60_spread_over_10_minutes)
{
	unsigned runs = 60;
	struct lh_seq *s = engine(1, &runs, 30 * SEC);
	struct lh_seq_stats st;

	failures(s, 61, 0, 10 * SEC, "k", 1);
	cr_assert_str_eq(got, "");
	lh_seq_stats(s, &st);
	cr_assert_eq(st.completed, 0);
	cr_assert(st.keys <= 1);
	lh_seq_free(s);
}

Test(seq, maxspan_is_inclusive)
{
	unsigned runs = 3;
	struct lh_seq *s = engine(1, &runs, 10 * SEC);

	feed(s, 0, 1, "k", 1);
	feed(s, 5 * SEC, 1, "k", 2);
	feed(s, 10 * SEC, 1, "k", 3);	/* exactly maxspan: accepted */
	cr_assert_str_eq(got, "1 2 3;");
	lh_seq_free(s);
	s = engine(1, &runs, 10 * SEC);
	feed(s, 0, 1, "k", 1);
	feed(s, 5 * SEC, 1, "k", 2);
	feed(s, 10 * SEC + 1, 1, "k", 3);
	cr_assert_str_eq(got, "");
	lh_seq_free(s);
}

/* "[failure] with runs=25 [success]", maxspan 15s. */
Test(seq, failures_then_success)
{
	unsigned runs[2] = { 25, 1 };
	struct lh_seq *s = engine(2, runs, 15 * SEC);

	failures(s, 24, 0, SEC / 10, "k", 1);
	feed(s, 3 * SEC, 2, "k", 100);
	cr_assert_str_eq(got, "");
	lh_seq_free(s);

	s = engine(2, runs, 15 * SEC);
	failures(s, 26, 0, SEC / 10, "k", 1);
	feed(s, 3 * SEC, 2, "k", 100);
	/* the most recent 25 failures, then the success */
	cr_assert_str_eq(got, "2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 "
	    "19 20 21 22 23 24 25 26 100;");
	feed(s, 4 * SEC, 2, "k", 101);	/* consumed: nothing pending */
	cr_assert_str_eq(got, "2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 "
	    "19 20 21 22 23 24 25 26 100;");
	lh_seq_free(s);

	/* too late: the 25 failures span 2.4s, the success 20s after */
	s = engine(2, runs, 15 * SEC);
	failures(s, 25, 0, SEC / 10, "k", 1);
	feed(s, 20 * SEC, 2, "k", 100);
	cr_assert_str_eq(got, "");
	lh_seq_free(s);
}

Test(seq, keys_are_separate)
{
	unsigned runs = 3;
	struct lh_seq *s = engine(1, &runs, 10 * SEC);

	feed(s, 1, 1, "a", 1);
	feed(s, 2, 1, "b", 2);
	feed(s, 3, 1, "a", 3);
	feed(s, 4, 1, "b", 4);
	feed(s, 5, 1, "c", 5);
	cr_assert_str_eq(got, "");
	feed(s, 6, 1, "b", 6);
	cr_assert_str_eq(got, "2 4 6;");
	feed(s, 7, 1, "a", 7);
	cr_assert_str_eq(got, "2 4 6;1 3 7;");
	lh_seq_free(s);
}

Test(seq, null_key_never_joins)
{
	unsigned runs = 2;
	struct lh_seq *s = engine(1, &runs, 0);
	struct lh_seq_stats st;

	feed(s, 1, 1, NULL, 1);
	feed(s, 2, 1, NULL, 2);
	feed(s, 3, 1, NULL, 3);
	cr_assert_str_eq(got, "");
	lh_seq_stats(s, &st);
	cr_assert_eq(st.keys, 0);
	feed(s, 4, 1, "", 4);	/* no join keys at all: one empty key */
	feed(s, 5, 1, "", 5);
	cr_assert_str_eq(got, "4 5;");
	lh_seq_free(s);
}

Test(seq, expiry_and_eviction)
{
	unsigned runs = 2;
	struct lh_seq_config cfg = { 1, &runs, 10 * SEC, 2 };
	struct lh_seq_stats st;
	struct lh_err err;
	struct lh_seq *s = lh_seq_create(&cfg, collect, NULL, &err);

	got[0] = '\0';
	feed(s, 0, 1, "a", 1);
	feed(s, 1, 1, "b", 2);
	lh_seq_stats(s, &st);
	cr_assert_eq(st.keys, 2);
	feed(s, 2, 1, "c", 3);	/* beyond max_keys: "a" goes */
	lh_seq_stats(s, &st);
	cr_assert_eq(st.keys, 2);
	cr_assert_eq(st.evicted, 1);
	feed(s, 3, 1, "a", 4);
	cr_assert_str_eq(got, "");
	feed(s, 20 * SEC, 1, "z", 5);	/* the others expire */
	lh_seq_stats(s, &st);
	cr_assert_eq(st.keys, 1);
	lh_seq_free(s);
}

/*
 * A case of sequences.series-spec: events "A1 A3 B2" (letter = step,
 * number = time; an optional "key|" prefix), expected sequences as the
 * times of their events, "A1 B2;".
 */
static void
spec(size_t nsteps, const char *events, const char *want)
{
	struct ev { char key[8]; int step, t; } e[64];
	char buf[512], *tok, *save = NULL;
	size_t n = 0, i, j;
	struct lh_seq *s = engine(nsteps, NULL, 0);

	snprintf(buf, sizeof(buf), "%s", events);
	for (tok = strtok_r(buf, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save), n++) {
		char *bar = strchr(tok, '|');

		snprintf(e[n].key, sizeof(e[n].key), "%.*s",
		    bar != NULL ? (int)(bar - tok) : 0, tok);
		tok = bar != NULL ? bar + 1 : tok;
		e[n].step = tok[0] - 'A';
		e[n].t = atoi(tok + 1);
	}
	for (i = 1; i < n; i++)		/* by time */
		for (j = i; j > 0 && e[j - 1].t > e[j].t; j--) {
			struct ev x = e[j];

			e[j] = e[j - 1];
			e[j - 1] = x;
		}
	for (i = 0; i < n; i++)
		if (e[i].step < (int)nsteps)	/* X99 matches nothing */
			feed(s, e[i].t, (uint64_t)1 << e[i].step, e[i].key,
			    (uint64_t)e[i].t);
	cr_assert_str_eq(got, want, "%s", events);
	lh_seq_free(s);
}

Test(seq, elasticsearch_series_spec)
{
	spec(2, "A1 B2", "1 2;");
	spec(2, "A1 A3 B2", "1 2;");
	spec(2, "A2 B1 B3", "2 3;");
	spec(2, "A1 A3 B2 B4", "1 2;3 4;");
	spec(2, "A1 A2 X99 B3", "2 3;");
	spec(2, "A1 B2 B3 B4", "1 2;");
	spec(2, "A1 A2 A4 A5 A6 A8 A9 B3 B7", "2 3;6 7;");
	spec(2, "A3 A5 A6 B1 B2 B4", "3 4;");
	spec(2, "A1 A2 A4 A7 B3 B5 B6", "2 3;4 5;");
	spec(3, "A1 A4 B2 B5 C3 C6", "1 2 3;4 5 6;");
	spec(3, "A1 A3 X99 B2 B4 C5", "3 4 5;");
	spec(3, "A1 B2 B4 C3", "1 2 3;");
	spec(3, "A4 A6 X99 B2 B5 C1 C3 C7", "4 5 7;");
	spec(3, "A1 A4 X99 B3 B5 C2 C6", "4 5 6;");
	spec(3, "A1 A4 A6 X99 B3 B5 B7 B8 C2 C9", "6 7 9;");
	spec(3, "A3 A5 A8 X99 B2 B7 C1 C4 C6 C9", "5 7 9;");
	spec(3, "A1 A3 A5 X99 B2 B4 B6 C7 C8 C9 C10", "5 6 7;");
	spec(4, "A1 A5 B2 B6 C3 C7 D4 D8", "1 2 3 4;5 6 7 8;");
	spec(4, "A1 A5 X99 B2 B6 C3 C7 D8", "5 6 7 8;");
	spec(4, "A1 A4 X99 B2 B5 C3 C7 D6 D8", "1 2 3 6;4 5 7 8;");
	/* exampleWithTwoStagesAndKeyFromTheDocs */
	spec(3, "r|A1 r|A2 u|A6 r|A7 x|X99 u|B3 r|B4 r|B5 u|B8 r|C9 u|C10 "
	    "r|C11", "2 4 9;6 8 10;");
}
