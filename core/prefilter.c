/*
 * prefilter.c: case-insensitive multi-word search over raw buffers.
 *
 * DESIGN
 * The filters compare the input folded with OR 0x20, which is exact for
 * letters and harmless for the rest because every candidate is verified
 * byte by byte (same_ci: the raw byte, lowercased if an ASCII capital,
 * equals the word's byte).  Two ways to search:
 *
 * Word by word (WORDS): for each word, 16 bytes at a time, the bytes at
 * the word's first and last position are compared with the word's first
 * and last letters; a position where both agree is verified.  This is the
 * "generic SIMD" substring search (W. Mula), with SSE2, which every
 * x86-64 has; other machines use the same loop one byte at a time.  It
 * scans once per word, in chunks that double, so an absent word costs
 * about the distance to another word's hit.
 *
 * All words in one pass (PORTABLE, SSSE3, AVX2): a fingerprint filter
 * after Teddy (Hyperscan; the "packed" searcher of the Rust aho-corasick
 * crate).  The fingerprint of a word is its first three bytes (a shorter
 * word takes any byte at the missing positions).  The distinct
 * fingerprints are merged into at most 8 buckets, greedily, the pair
 * whose union admits the fewest extra byte triples first (`--rule all`
 * gives 11 fingerprints for 15 words: "groupadd", "groupdel" and
 * "groupmod" share one).  For each of the three positions, two 16-entry
 * tables give the buckets that admit a low and a high nibble (the high
 * one folds); PSHUFB looks 16 (SSSE3) or 32 (AVX2) bytes up at once, and
 * the AND of the six lookups, each position's input loaded at its offset,
 * leaves the buckets whose fingerprint may start at each byte.  A
 * position with a bucket left is checked exactly: three 256-entry tables
 * of 64-bit word sets (a word's bit is set for the bytes that lowercase
 * to its byte at that position) give the words whose first three bytes
 * agree, and each of those is verified past the third byte.  Positions
 * are taken in order, so the first hit is the first occurrence of any
 * word.  The SIMD code is compiled for its instruction set with a target
 * attribute and chosen at run time (__builtin_cpu_supports); the portable
 * search, and the last two positions of a buffer, use the exact tables one
 * position at a time.
 *
 * Which one runs is measured (best() below): the one-pass search with
 * AVX2 even for one word, with SSSE3 from two; without either, word by
 * word up to 12 words.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/prefilter.h"
#include "core/status.h"

/* -DLH_PF_NO_SIMD builds what other machines run, to test it here */
#if defined(__SSE2__) && !defined(LH_PF_NO_SIMD)
#define LH_PF_SSE2 1
#include <emmintrin.h>
#endif
#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__) && \
    !defined(LH_PF_NO_SIMD)
#define LH_PF_X86 1
#include <immintrin.h>
#endif

#define MAX_WORDS 64	/* one bit of a uint64_t each */
#define BUCKETS 8	/* one bit of a byte each */
#define FP 3		/* bytes of a fingerprint */

struct lh_prefilter {
	char *w[MAX_WORDS];	/* as given: lowercase */
	size_t len[MAX_WORDS];
	size_t n, maxlen;
	size_t (*find)(const struct lh_prefilter *, const unsigned char *,
	    size_t);
	/* the words whose byte k is b in some ASCII case, or shorter */
	uint64_t at[FP][256];
	uint64_t upto[FP];	/* the words of at most k bytes */
	/* the buckets admitting each nibble of the byte at k (folded) */
	unsigned char lo[FP][16], hi[FP][16];
};

static size_t find_words(const struct lh_prefilter *, const unsigned char *,
    size_t);
static size_t find_portable(const struct lh_prefilter *,
    const unsigned char *, size_t);
static void build_tables(struct lh_prefilter *);

static int
has_word(const struct lh_prefilter *pf, const char *w)
{
	size_t i;

	for (i = 0; i < pf->n; i++) {
		if (strcmp(pf->w[i], w) == 0)
			return 1;
	}
	return 0;
}

struct lh_prefilter *
lh_prefilter_create(char **const *sets, size_t n)
{
	struct lh_prefilter *pf;
	size_t i, j;

	for (i = 0; i < n; i++) {
		if (sets[i] == NULL || sets[i][0] == NULL)
			return NULL;
	}
	if (n == 0 || (pf = calloc(1, sizeof(*pf))) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		for (j = 0; sets[i][j] != NULL; j++) {
			if (has_word(pf, sets[i][j]) || sets[i][j][0] == '\0')
				continue;
			if (pf->n == MAX_WORDS ||
			    (pf->w[pf->n] = strdup(sets[i][j])) == NULL) {
				lh_prefilter_free(pf);
				return NULL;
			}
			pf->len[pf->n] = strlen(pf->w[pf->n]);
			if (pf->len[pf->n] > pf->maxlen)
				pf->maxlen = pf->len[pf->n];
			pf->n++;
		}
	}
	build_tables(pf);
	(void)lh_prefilter_use(pf, LH_PF_AUTO);
	return pf;
}

void
lh_prefilter_free(struct lh_prefilter *pf)
{
	size_t i;

	if (pf == NULL)
		return;
	for (i = 0; i < pf->n; i++)
		free(pf->w[i]);
	free(pf);
}

size_t
lh_prefilter_maxlen(const struct lh_prefilter *pf)
{
	return pf->maxlen;
}

size_t
lh_prefilter_find(const struct lh_prefilter *pf, const char *p, size_t n)
{
	return pf->find(pf, (const unsigned char *)p, n);
}

static int
same_ci(const unsigned char *p, const char *w, size_t k)
{
	size_t i;

	for (i = 0; i < k; i++) {
		unsigned char c = p[i];

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c | 0x20);
		if (c != (unsigned char)w[i])
			return 0;
	}
	return 1;
}

/* ---- one word at a time ---------------------------------------------- */

/* The first occurrence of w (k bytes) in p[0..n), or n. */
static size_t
find1(const unsigned char *p, size_t n, const char *w, size_t k)
{
	size_t i = 0;

	if (k == 0 || k > n)
		return n;
#if defined(LH_PF_SSE2)
	{
		const __m128i fold = _mm_set1_epi8(0x20);
		const __m128i first = _mm_set1_epi8((char)(w[0] | 0x20));
		const __m128i last = _mm_set1_epi8((char)(w[k - 1] | 0x20));

		for (; i + k - 1 + 16 <= n; i += 16) {
			__m128i a = _mm_or_si128(fold, _mm_loadu_si128(
			    (const __m128i *)(const void *)(p + i)));
			__m128i b = _mm_or_si128(fold, _mm_loadu_si128(
			    (const __m128i *)(const void *)(p + i + k - 1)));
			unsigned m = (unsigned)_mm_movemask_epi8(_mm_and_si128(
			    _mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, last)));

			while (m != 0) {
				unsigned bit = (unsigned)__builtin_ctz(m);

				if (same_ci(p + i + bit, w, k))
					return i + bit;
				m &= m - 1;
			}
		}
	}
#endif
	for (; i + k <= n; i++) {
		if ((p[i] | 0x20) == ((unsigned char)w[0] | 0x20) &&
		    same_ci(p + i, w, k))
			return i;
	}
	return n;
}

/*
 * Words are searched for a chunk at a time, each chunk twice the last: a
 * word absent from the buffer costs about the distance to the first hit,
 * not the whole buffer, when another word occurs early (records dense
 * with hits, several words).  Once a word is found at best, the next ones
 * are searched for up to best only, but a word that starts before best
 * may end after it.
 */
#define CHUNK_MIN 256
#define CHUNK_MAX (64 * 1024)

static size_t
find_words(const struct lh_prefilter *pf, const unsigned char *p, size_t n)
{
	size_t i, best, at, lim, from, end, chunk = CHUNK_MIN;

	for (from = 0; from < n; from += chunk, chunk *= chunk < CHUNK_MAX ?
	    2 : 1) {
		end = n - from > chunk + pf->maxlen ? from + chunk +
		    pf->maxlen : n;
		best = end;
		for (i = 0; i < pf->n; i++) {
			lim = end - best >= pf->len[i] ? best + pf->len[i] -
			    1 : end;
			at = from + find1(p + from, lim - from, pf->w[i],
			    pf->len[i]);
			if (at < best)
				best = at;
		}
		if (best < end)
			return best;
	}
	return n;
}

/* ---- all words in one pass --------------------------------------------- */

/*
 * Whether a word starts at p[i], given m, the words whose first bytes
 * agree with p[i..] (each word's length is checked against n here).
 */
static int
verify(const struct lh_prefilter *pf, const unsigned char *p, size_t i,
    size_t n, uint64_t m)
{
	while (m != 0) {
		unsigned w = (unsigned)__builtin_ctzll(m);
		size_t k = pf->len[w];

		if (k <= n - i && (k <= FP ||
		    same_ci(p + i + FP, pf->w[w] + FP, k - FP)))
			return 1;
		m &= m - 1;
	}
	return 0;
}

/* The words whose first FP bytes agree with p[i..] (i + FP <= n). */
static inline uint64_t
agree(const struct lh_prefilter *pf, const unsigned char *p, size_t i)
{
	return pf->at[0][p[i]] & pf->at[1][p[i + 1]] & pf->at[2][p[i + 2]];
}

/* The same near the end, where fewer than FP bytes are left. */
static uint64_t
agree_end(const struct lh_prefilter *pf, const unsigned char *p, size_t i,
    size_t n)
{
	uint64_t m = pf->at[0][p[i]];
	size_t k;

	for (k = 1; k < FP; k++)
		m &= i + k < n ? pf->at[k][p[i + k]] : pf->upto[k];
	return m;
}

static size_t
find_portable(const struct lh_prefilter *pf, const unsigned char *p,
    size_t n)
{
	size_t i;
	uint64_t m;

	for (i = 0; i + FP <= n; i++) {
		if ((m = agree(pf, p, i)) != 0 && verify(pf, p, i, n, m))
			return i;
	}
	for (; i < n; i++) {
		if ((m = agree_end(pf, p, i, n)) != 0 && verify(pf, p, i, n, m))
			return i;
	}
	return n;
}

#if defined(LH_PF_X86)

#define TARGET_SSSE3 __attribute__((target("ssse3")))
#define TARGET_AVX2 __attribute__((target("avx2")))

/*
 * The candidates of one SIMD block at p[i..]: bit j of mask is set where
 * a bucket admits p[i + j..].  Returns the first hit, or n.
 */
static size_t
check_block(const struct lh_prefilter *pf, const unsigned char *p,
    size_t i, size_t n, uint32_t mask)
{
	uint64_t m;

	while (mask != 0) {
		size_t at = i + (unsigned)__builtin_ctz(mask);

		if ((m = agree(pf, p, at)) != 0 && verify(pf, p, at, n, m))
			return at;
		mask &= mask - 1;
	}
	return n;
}

/* The rest of a buffer after the SIMD blocks: p[i..n). */
static size_t
find_rest(const struct lh_prefilter *pf, const unsigned char *p, size_t i,
    size_t n)
{
	return i + find_portable(pf, p + i, n - i);
}

/*
 * The buckets admitting each byte of v: the AND of the lookups of its low
 * nibble in lo and of its high nibble in hi (which folds: it admits a
 * nibble as it admits the nibble with bit 1 set, as by OR 0x20).
 */
TARGET_SSSE3 static inline __m128i
buckets16(__m128i lo, __m128i hi, __m128i v)
{
	const __m128i nib = _mm_set1_epi8(0x0f);
	__m128i h = _mm_and_si128(_mm_srli_epi16(v, 4), nib);

	return _mm_and_si128(_mm_shuffle_epi8(lo, _mm_and_si128(v, nib)),
	    _mm_shuffle_epi8(hi, h));
}

#define LOAD16(q) _mm_loadu_si128((const __m128i *)(const void *)(q))

/* Bit j set where a bucket admits q[j..j+FP), j < 16; t: 2 * FP tables. */
TARGET_SSSE3 static inline uint32_t
cands16(const void *tv, const unsigned char *q)
{
	const __m128i *t = tv;
	__m128i c = _mm_and_si128(_mm_and_si128(
	    buckets16(t[0], t[1], LOAD16(q)),
	    buckets16(t[2], t[3], LOAD16(q + 1))),
	    buckets16(t[4], t[5], LOAD16(q + 2)));

	return (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(c,
	    _mm_setzero_si128())) ^ 0xffffu;
}

/*
 * The walk of the SIMD searches, step positions a block: cands(t, q) gives
 * the candidates of q[0..step) (bit j for q[j]).  The last block ends FP - 1
 * bytes before the end, overlapping the one before (the positions seen
 * are masked off), and the last FP - 1 positions are taken one at a
 * time.  Inlined into each search, with its cands inlined in turn.
 */
static inline size_t
walk(const struct lh_prefilter *pf, const unsigned char *p, size_t n,
    size_t step, uint32_t (*cands)(const void *, const unsigned char *),
    const void *t)
{
	size_t i, at, last = n - step - (FP - 1);
	uint32_t mask;

	for (i = 0;; i += step) {
		if (i > last) {
			mask = cands(t, p + last) &
			    (~(uint32_t)0 << (i - last));
			i = last;
		} else
			mask = cands(t, p + i);
		if (mask != 0 && (at = check_block(pf, p, i, n, mask)) < n)
			return at;
		if (i == last)
			return find_rest(pf, p, n - (FP - 1), n);
	}
}

TARGET_SSSE3 static size_t
find_ssse3(const struct lh_prefilter *pf, const unsigned char *p, size_t n)
{
	__m128i t[2 * FP];
	int k;

	if (n < 16 + FP - 1)
		return find_portable(pf, p, n);
	for (k = 0; k < FP; k++) {
		t[2 * k] = LOAD16(pf->lo[k]);
		t[2 * k + 1] = LOAD16(pf->hi[k]);
	}
	return walk(pf, p, n, 16, cands16, t);
}

TARGET_AVX2 static inline __m256i
buckets32(__m256i lo, __m256i hi, __m256i v)
{
	const __m256i nib = _mm256_set1_epi8(0x0f);
	__m256i h = _mm256_and_si256(_mm256_srli_epi16(v, 4), nib);

	return _mm256_and_si256(_mm256_shuffle_epi8(lo,
	    _mm256_and_si256(v, nib)), _mm256_shuffle_epi8(hi, h));
}

#define LOAD32(q) _mm256_loadu_si256((const __m256i *)(const void *)(q))

/* Bit j set where a bucket admits q[j..j+FP), j < 32. */
TARGET_AVX2 static inline uint32_t
cands32(const void *tv, const unsigned char *q)
{
	const __m256i *t = tv;
	__m256i c = _mm256_and_si256(_mm256_and_si256(
	    buckets32(t[0], t[1], LOAD32(q)),
	    buckets32(t[2], t[3], LOAD32(q + 1))),
	    buckets32(t[4], t[5], LOAD32(q + 2)));

	return ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(c,
	    _mm256_setzero_si256()));
}

/* find_ssse3() 32 positions at a time (the same tables in both lanes). */
TARGET_AVX2 static size_t
find_avx2(const struct lh_prefilter *pf, const unsigned char *p, size_t n)
{
	__m256i t[2 * FP];
	int k;

	if (n < 32 + FP - 1)
		return find_ssse3(pf, p, n);
	for (k = 0; k < FP; k++) {
		t[2 * k] = _mm256_broadcastsi128_si256(LOAD16(pf->lo[k]));
		t[2 * k + 1] = _mm256_broadcastsi128_si256(LOAD16(pf->hi[k]));
	}
	return walk(pf, p, n, 32, cands32, t);
}

#endif /* LH_PF_X86 */

/*
 * The search for n words, measured on syslog files in the CPU's cache
 * (bench/prefilter_bench.c): the AVX2 filter is faster than the others
 * from 1 word, the SSSE3 one from 2, and the portable one only from
 * about 12 (against SSE2 word by word).
 */
static enum lh_pf_search
best(size_t n)
{
#if defined(LH_PF_X86)
	if (__builtin_cpu_supports("avx2"))
		return LH_PF_AVX2;
	if (n >= 2 && __builtin_cpu_supports("ssse3"))
		return LH_PF_SSSE3;
#endif
	return n <= 12 ? LH_PF_WORDS : LH_PF_PORTABLE;
}

int
lh_prefilter_use(struct lh_prefilter *pf, enum lh_pf_search s)
{
	if (s == LH_PF_AUTO)
		s = best(pf->n);
	switch (s) {
#if defined(LH_PF_X86)
	case LH_PF_AVX2:
		if (!__builtin_cpu_supports("avx2"))
			return LH_FAIL;
		pf->find = find_avx2;
		return LH_OK;
	case LH_PF_SSSE3:
		if (!__builtin_cpu_supports("ssse3"))
			return LH_FAIL;
		pf->find = find_ssse3;
		return LH_OK;
#endif
	case LH_PF_WORDS:
		pf->find = find_words;
		return LH_OK;
	case LH_PF_PORTABLE:
		pf->find = find_portable;
		return LH_OK;
	default:
		return LH_FAIL;
	}
}

/* ---- building the tables ------------------------------------------------ */

/*
 * A bucket: per fingerprint position k, the set of low and of high
 * nibbles it admits (bit v of lo[k] for a low nibble v of the folded
 * byte).
 */
struct bucket {
	uint16_t lo[FP], hi[FP];
};

/* How many byte triples a bucket admits. */
static int64_t
admits(const struct bucket *b)
{
	int64_t c = 1;
	int k;

	for (k = 0; k < FP; k++)
		c *= __builtin_popcount(b->lo[k]) *
		    __builtin_popcount(b->hi[k]);
	return c;
}

static struct bucket
merged(const struct bucket *a, const struct bucket *b)
{
	struct bucket m;
	int k;

	for (k = 0; k < FP; k++) {
		m.lo[k] = (uint16_t)(a->lo[k] | b->lo[k]);
		m.hi[k] = (uint16_t)(a->hi[k] | b->hi[k]);
	}
	return m;
}

/* One bucket per distinct fingerprint; returns how many. */
static size_t
fingerprints(const struct lh_prefilter *pf, struct bucket *b)
{
	struct bucket f;
	size_t i, j, nb = 0;
	unsigned c;
	int k;

	for (i = 0; i < pf->n; i++) {
		for (k = 0; k < FP; k++) {
			f.lo[k] = f.hi[k] = 0xffff;	/* any byte */
			if ((size_t)k >= pf->len[i])
				continue;
			c = (unsigned char)pf->w[i][k] | 0x20u;
			f.lo[k] = (uint16_t)(1u << (c & 15));
			f.hi[k] = (uint16_t)(1u << (c >> 4));
		}
		for (j = 0; j < nb && memcmp(&b[j], &f, sizeof(f)) != 0; j++)
			continue;
		if (j == nb)
			b[nb++] = f;
	}
	return nb;
}

/*
 * Merges buckets until at most BUCKETS are left, each time the pair whose
 * union adds the fewest byte triples to those admitted (fewer than none
 * when they overlap).
 */
static size_t
merge_buckets(struct bucket *b, size_t nb)
{
	struct bucket m;
	size_t i, j, bi = 0, bj = 1;
	int64_t cost, best;

	while (nb > BUCKETS) {
		best = INT64_MAX;
		for (i = 0; i < nb; i++) {
			for (j = i + 1; j < nb; j++) {
				m = merged(&b[i], &b[j]);
				cost = admits(&m) - admits(&b[i]) -
				    admits(&b[j]);
				if (cost < best) {
					best = cost;
					bi = i;
					bj = j;
				}
			}
		}
		b[bi] = merged(&b[bi], &b[bj]);
		b[bj] = b[--nb];
	}
	return nb;
}

/* The exact tables: at and upto. */
static void
exact_tables(struct lh_prefilter *pf)
{
	uint64_t bit;
	size_t i;
	unsigned c, l;
	int k;

	for (i = 0; i < pf->n; i++) {
		bit = (uint64_t)1 << i;
		for (k = 0; k < FP; k++) {
			if ((size_t)k >= pf->len[i])
				pf->upto[k] |= bit;
			for (c = 0; c < 256; c++) {
				l = c >= 'A' && c <= 'Z' ? c | 0x20 : c;
				if ((size_t)k >= pf->len[i] ||
				    l == (unsigned char)pf->w[i][k])
					pf->at[k][c] |= bit;
			}
		}
	}
}

/*
 * The exact tables and the buckets' nibble tables.  The input is not
 * folded: hi admits a nibble when the bucket admits it with bit 1 set,
 * as OR 0x20 would.
 */
static void
build_tables(struct lh_prefilter *pf)
{
	struct bucket b[MAX_WORDS];
	size_t i, nb;
	unsigned v, bit;
	int k;

	exact_tables(pf);
	nb = merge_buckets(b, fingerprints(pf, b));
	for (i = 0; i < nb; i++) {
		bit = 1u << i;
		for (k = 0; k < FP; k++) {
			for (v = 0; v < 16; v++) {
				if (b[i].lo[k] & (1u << v))
					pf->lo[k][v] |= (unsigned char)bit;
				if (b[i].hi[k] & (1u << (v | 2)))
					pf->hi[k][v] |= (unsigned char)bit;
			}
		}
	}
}
