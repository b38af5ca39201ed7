/*
 * escape.c: control characters and invalid UTF-8 as \xNN (see escape.h).
 *
 * DESIGN
 * Runs of printable ASCII are copied at once (found eight bytes at a time,
 * lh_escape_span, which the JSON and CSV escapers of cli/escape.c share:
 * most text is such a run); anything else is decoded
 * with lh_utf8_decode (strict) and kept unless it is invalid or a control
 * character.  Used by core/diag.c for messages and by cli/escape.c for
 * text and CSV output.
 */
#include <stdint.h>
#include <string.h>

#include "core/escape.h"
#include "core/status.h"
#include "core/utf8.h"

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
