/*
 * prefilter.c: case-insensitive multi-word search over raw buffers.
 *
 * DESIGN
 * For each word, 16 bytes at a time, the bytes at the word's first and
 * last position are folded to lower case (OR 0x20, which is exact for
 * letters and harmless for the rest because every candidate is verified)
 * and compared with the word's first and last letters; a position where
 * both agree is verified byte by byte.  This is the "generic SIMD"
 * substring search (W. Mula), with SSE2, which every x86-64 has; other
 * machines use the same loop one byte at a time.  With one or two words
 * (the built-in rules give "segfault" and "executable") the search runs at
 * memory speed.
 */
#include <stdlib.h>
#include <string.h>

#include "core/prefilter.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define MAX_WORDS 64

struct lh_prefilter {
	char *w[MAX_WORDS];	/* lowercase */
	size_t len[MAX_WORDS];
	size_t n, maxlen;
};

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

static int
same_ci(const char *p, const char *w, size_t k)
{
	size_t i;

	for (i = 0; i < k; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c | 0x20);
		if (c != (unsigned char)w[i])
			return 0;
	}
	return 1;
}

/* The first occurrence of w (k bytes) in p[0..n), or n. */
static size_t
find1(const char *p, size_t n, const char *w, size_t k)
{
	size_t i = 0;

	if (k == 0 || k > n)
		return n;
#if defined(__SSE2__)
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
		if (((unsigned char)p[i] | 0x20) == ((unsigned char)w[0] | 0x20) &&
		    same_ci(p + i, w, k))
			return i;
	}
	return n;
}

/*
 * Words are searched for a chunk at a time, each chunk twice the last: a
 * word absent from the buffer costs about the distance to the first hit,
 * not the whole buffer, when another word occurs early (records dense
 * with hits, several words).
 */
#define CHUNK_MIN 256
#define CHUNK_MAX (64 * 1024)

size_t
lh_prefilter_find(const struct lh_prefilter *pf, const char *p, size_t n)
{
	size_t i, best, at, from, end, chunk = CHUNK_MIN;

	for (from = 0; from < n; from += chunk, chunk *= chunk < CHUNK_MAX ?
	    2 : 1) {
		end = n - from > chunk + pf->maxlen ? from + chunk +
		    pf->maxlen : n;
		best = end;
		for (i = 0; i < pf->n; i++) {
			at = from + find1(p + from, best - from, pf->w[i],
			    pf->len[i]);
			if (at < best)
				best = at;
		}
		if (best < end)
			return best;
	}
	return n;
}
