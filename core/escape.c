/*
 * escape.c: control characters and invalid UTF-8 as \xNN (see escape.h).
 *
 * DESIGN
 * Runs of printable ASCII are copied at once (found 16 bytes at a time
 * with SSE2, a string shorter than 16 in one step of overlapping loads, or
 * eight bytes at a time elsewhere: lh_escape_span, which the JSON and CSV
 * escapers of cli/escape.c share: most text is such a run, and most values
 * are short); anything else is decoded
 * with lh_utf8_decode (strict) and kept unless it is invalid or a control
 * character.  Used by core/diag.c for messages and by cli/escape.c for
 * text and CSV output.
 */
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/escape.h"
#include "core/status.h"
#include "core/utf8.h"

#if defined(__SSE2__)
/*
 * A bit (the lowest 16) for each byte of x that ends the run: 16 bytes
 * with SSE2, which every x86-64 has.  As signed bytes, 0x20-0x7f are the
 * ones greater than 0x1f; 0x7f (and with quote '"' and '\\') are taken out.
 */
static inline unsigned
bad16(__m128i x, int quote)
{
	__m128i ok = _mm_cmpgt_epi8(x, _mm_set1_epi8(0x1f));
	__m128i bad = _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7f));

	if (quote)
		bad = _mm_or_si128(bad, _mm_or_si128(
		    _mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
		    _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))));
	return ~(unsigned)_mm_movemask_epi8(_mm_andnot_si128(bad, ok)) &
	    0xffff;
}

/* The bytes at p as a number (x86: byte 0 is the lowest). */
static inline uint64_t
load64(const unsigned char *p)
{
	uint64_t x;

	memcpy(&x, p, sizeof(x));
	return x;
}

static inline uint32_t
load32(const unsigned char *p)
{
	uint32_t x;

	memcpy(&x, p, sizeof(x));
	return x;
}

/*
 * lh_escape_span of n < 16 bytes: the first and the last 8 (or 4) bytes,
 * which overlap, in one vector; when the first half is in the run, so are
 * the bytes the second shares with it, and its first bit is the end.
 */
static size_t
span_short(const unsigned char *p, size_t n, int quote)
{
	unsigned m;
	size_t i;

	if (n >= 8) {
		m = bad16(_mm_set_epi64x((long long)load64(p + n - 8),
		    (long long)load64(p)), quote);
		if (m == 0)
			return n;
		i = (size_t)__builtin_ctz(m);
		return i < 8 ? i : n - 8 + (i - 8);
	}
	if (n >= 4) {
		m = bad16(_mm_set_epi32(0x20202020, 0x20202020,
		    (int)load32(p + n - 4), (int)load32(p)), quote);
		if (m == 0)
			return n;
		i = (size_t)__builtin_ctz(m);
		return i < 4 ? i : n - 4 + (i - 4);
	}
	for (i = 0; i < n && p[i] >= 0x20 && p[i] < 0x7f &&
	    (!quote || (p[i] != '"' && p[i] != '\\')); i++)
		;
	return i;
}

size_t
lh_escape_span(const char *s, size_t n, int quote)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;
	unsigned m;

	if (n < 16)
		return span_short(p, n, quote);
	for (i = 0; i + 16 <= n; i += 16) {
		m = bad16(_mm_loadu_si128((const __m128i *)(const void *)
		    (p + i)), quote);
		if (m != 0)
			return i + (size_t)__builtin_ctz(m);
	}
	if (i == n)
		return n;
	/* the last 16 bytes: those before i are in the run */
	m = bad16(_mm_loadu_si128((const __m128i *)(const void *)
	    (p + n - 16)), quote);
	return m == 0 ? n : n - 16 + (size_t)__builtin_ctz(m);
}
#else
#define ONES UINT64_C(0x0101010101010101)
#define HIGH UINT64_C(0x8080808080808080)

/* A high bit in each byte of x that is 0 (at least one, when any is). */
static uint64_t
zero_bytes(uint64_t x)
{
	return (x - ONES) & ~x & HIGH;
}

/* Whether the 8 bytes of x are all in the run (see lh_escape_span). */
static int
word_plain(uint64_t x, int quote)
{
	uint64_t bad = x & HIGH;	/* not ASCII */

	bad |= (x - ONES * 0x20) & ~x & HIGH;	/* below 0x20 (when ASCII) */
	bad |= zero_bytes(x ^ ONES * 0x7f);
	if (quote)
		bad |= zero_bytes(x ^ ONES * '"') | zero_bytes(x ^ ONES * '\\');
	return bad == 0;
}

size_t
lh_escape_span(const char *s, size_t n, int quote)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	uint64_t x;

	for (; i + 8 <= n; i += 8) {
		memcpy(&x, p + i, sizeof(x));
		if (!word_plain(x, quote))
			break;
	}
	while (i < n && p[i] >= 0x20 && p[i] < 0x7f &&
	    (!quote || (p[i] != '"' && p[i] != '\\')))
		i++;
	return i;
}
#endif

static int
is_ctl(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f);
}

int
lh_escape_ctl(struct lh_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k, j;
	uint32_t cp = 0;

	while (i < n) {
		if ((k = lh_escape_span(s + i, n - i, 0)) > 0) {
			if (lh_buf_append(b, p + i, k) != LH_OK)
				return LH_FATAL;
			i += k;
			continue;
		}
		k = lh_utf8_decode(p + i, n - i, &cp);
		if (k == 0 || is_ctl(cp)) {
			for (j = 0; j < (k ? k : 1); j++)
				if (lh_buf_printf(b, "\\x%02x", p[i + j]) !=
				    LH_OK)
					return LH_FATAL;
			k += k == 0;
		} else if (lh_buf_append(b, p + i, k) != LH_OK) {
			return LH_FATAL;
		}
		i += k;
	}
	return LH_OK;
}
