/*
 * prefilter_test.c: every search of core/prefilter.c against a naive
 * reference, on random words (1..64 of them, 1..40 bytes, sharing
 * prefixes, with bytes that OR 0x20 confuses) and random buffers (0..5000
 * bytes, the words planted in random case, at the start, the end and
 * overlapping, at every alignment), hit after hit.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "core/prefilter.h"
#include "core/status.h"
#include "tests/unit/prefilter_naive.h"

#define MAXW LH_NAIVE_MAXW

static const enum lh_pf_search searches[] = {
	LH_PF_AUTO, LH_PF_WORDS, LH_PF_PORTABLE, LH_PF_SSSE3, LH_PF_AVX2
};
#define NSEARCH (sizeof(searches) / sizeof(searches[0]))

static uint64_t rng = 88172645463325252ull;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* Bytes that match only with a fold, or that OR 0x20 maps onto others. */
static const char tricky[] = "@`[{]}_\x7f^~.-:/ 0123\xc3\xa9\x80\xff";

static char
word_byte(void)
{
	unsigned r = rnd(20);

	if (r < 15)	/* few letters: shared prefixes */
		return (char)('a' + rnd(6));
	if (r < 19)
		return tricky[rnd(sizeof(tricky) - 1)];
	return (char)('A' + rnd(26));	/* a capital never matches */
}

/* Random words; some share another's first bytes. */
static size_t
make_words(char **w, size_t nw, size_t maxlen)
{
	size_t i, k, len;

	for (i = 0; i < nw; i++) {
		len = 1 + rnd((unsigned)maxlen);
		w[i] = malloc(len + 1);
		cr_assert_not_null(w[i]);
		for (k = 0; k < len; k++)
			w[i][k] = word_byte();
		if (i > 0 && rnd(3) == 0) {	/* a shared prefix */
			size_t o = rnd((unsigned)i), l = strlen(w[o]);

			memcpy(w[i], w[o], l < len ? l : len);
		}
		w[i][len] = '\0';
	}
	w[nw] = NULL;
	return nw;
}

/* Copies word w into p in random case, if it fits. */
static void
plant(char *p, size_t n, size_t at, const char *w)
{
	size_t k, len = strlen(w);

	for (k = 0; k < len && at + k < n; k++) {
		char c = w[k];

		if (c >= 'a' && c <= 'z' && rnd(2))
			c = (char)(c - 32);
		p[at + k] = c;
	}
}

static void
fill(char *p, size_t n, char **w, size_t nw)
{
	size_t i, hits = n == 0 ? 0 : rnd(8);

	for (i = 0; i < n; i++) {
		unsigned r = rnd(10);

		p[i] = r < 4 ? (char)rnd(256) : r < 8 ? word_byte() :
		    (char)(word_byte() & ~0x20);
	}
	for (i = 0; i < hits; i++)
		plant(p, n, rnd((unsigned)n), w[rnd((unsigned)nw)]);
	if (n > 0 && rnd(3) == 0)
		plant(p, n, 0, w[rnd((unsigned)nw)]);
	if (n > 0 && rnd(3) == 0) {	/* at the very end */
		const char *e = w[rnd((unsigned)nw)];
		size_t l = strlen(e);

		if (l <= n)
			plant(p, n, n - l, e);
	}
}

/* Every hit of every search in p[0..n), one after another. */
static void
compare(struct lh_prefilter *pf, char **w, size_t nw, const char *p,
    size_t n)
{
	size_t s, from, want, got;

	for (from = 0; from <= n; from = want + 1) {
		want = from + lh_naive_find(w, nw, p + from, n - from);
		for (s = 0; s < NSEARCH; s++) {
			if (lh_prefilter_use(pf, searches[s]) != LH_OK)
				continue;
			got = from + lh_prefilter_find(pf, p + from, n - from);
			cr_assert_eq(got, want, "search %zu, %zu words, "
			    "n %zu, from %zu: %zu, want %zu", s, nw, n, from,
			    got, want);
		}
	}
}

static void
one_case(size_t nw, size_t maxlen, size_t n)
{
	char *w[MAXW + 1], *buf, *p;
	char **const sets[1] = { w };
	struct lh_prefilter *pf;
	size_t i, align = rnd(64);

	make_words(w, nw, maxlen);
	pf = lh_prefilter_create(sets, 1);
	cr_assert_not_null(pf);
	/* exactly n bytes after the alignment: ASan sees any overread */
	buf = malloc(align + n > 0 ? align + n : 1);
	cr_assert_not_null(buf);
	p = buf + align;
	fill(p, n, w, nw);
	compare(pf, w, nw, p, n);
	lh_prefilter_free(pf);
	free(buf);
	for (i = 0; i < nw; i++)
		free(w[i]);
}

Test(prefilter, random_small)
{
	int t;

	for (t = 0; t < 1500; t++)
		one_case(1 + rnd(64), 1 + rnd(6), rnd(200));
}

Test(prefilter, random_large)
{
	int t;

	for (t = 0; t < 400; t++)
		one_case(1 + rnd(64), 1 + rnd(40), rnd(5001));
}

Test(prefilter, few_words)
{
	int t;

	for (t = 0; t < 1000; t++)
		one_case(1 + rnd(4), 1 + rnd(12), rnd(1000));
}

/* Copies the NULL-terminated list src into w (-Wwrite-strings). */
static size_t
words(char **w, const char *const *src)
{
	size_t i;

	for (i = 0; src[i] != NULL; i++)
		cr_assert_not_null(w[i] = strdup(src[i]));
	w[i] = NULL;
	return i;
}

static void
free_words(char **w)
{
	size_t i;

	for (i = 0; w[i] != NULL; i++)
		free(w[i]);
}

/* Every alignment and length around the SIMD block sizes. */
Test(prefilter, edges)
{
	static const char *const src[] = { "load", "rc.local", "gnature",
		"bpf_probe_wr", "segfault", "executable", "a", "zq", NULL };
	char *w[9];
	char **const sets[1] = { w };
	struct lh_prefilter *pf;
	char buf[200];
	size_t n, at, k, nw = words(w, src);

	cr_assert_not_null(pf = lh_prefilter_create(sets, 1));
	for (n = 0; n < 80; n++) {
		for (at = 0; at <= n; at++) {
			for (k = 0; k < nw; k++) {
				memset(buf, 'x', sizeof(buf));
				plant(buf, n, at, w[k]);
				compare(pf, w, nw, buf, n);
			}
		}
	}
	lh_prefilter_free(pf);
	free_words(w);
}

Test(prefilter, sets)
{
	static const char *const sa[] = { "groupadd", "groupdel", "groupmod",
		NULL };
	static const char *const sb[] = { "groupdel", "useradd", "", NULL };
	static const char *const se[] = { "", NULL };
	char *a[4], *b[4], *none[1] = { NULL }, *e[2];
	char **const ab[2] = { a, b }, **const bad[2] = { a, none };
	char **const ee[1] = { e };
	struct lh_prefilter *pf;

	words(a, sa);
	words(b, sb);
	words(e, se);
	cr_assert_null(lh_prefilter_create(bad, 2));
	cr_assert_null(lh_prefilter_create(ab, 0));
	cr_assert_not_null(pf = lh_prefilter_create(ab, 2));
	cr_assert_eq(lh_prefilter_maxlen(pf), 8);
	cr_assert_eq(lh_prefilter_find(pf, "x GroupMod y", 12), 2);
	cr_assert_eq(lh_prefilter_find(pf, "x UserAd", 8), 8);
	cr_assert_eq(lh_prefilter_use(pf, LH_PF_PORTABLE), LH_OK);
	cr_assert_eq(lh_prefilter_find(pf, "USERADD", 7), 0);
	lh_prefilter_free(pf);
	/* no word at all: never a hit */
	cr_assert_not_null(pf = lh_prefilter_create(ee, 1));
	cr_assert_eq(lh_prefilter_find(pf, "abc", 3), 3);
	lh_prefilter_free(pf);
	free_words(a);
	free_words(b);
	free_words(e);
}

/* The SIMD searches are not skipped where the CPU has them. */
Test(prefilter, simd_used)
{
#if (defined(__x86_64__) || defined(__i386__)) && !defined(LH_PF_NO_SIMD)
	static const char *const src[] = { "auth", NULL };
	char *w[2];
	char **const sets[1] = { w };
	struct lh_prefilter *pf;

	words(w, src);
	cr_assert_not_null(pf = lh_prefilter_create(sets, 1));
	if (__builtin_cpu_supports("ssse3"))
		cr_assert_eq(lh_prefilter_use(pf, LH_PF_SSSE3), LH_OK);
	if (__builtin_cpu_supports("avx2"))
		cr_assert_eq(lh_prefilter_use(pf, LH_PF_AVX2), LH_OK);
	lh_prefilter_free(pf);
	free_words(w);
#endif
}
