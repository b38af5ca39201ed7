/*
 * escape.c: control characters and invalid UTF-8 as \xNN (see escape.h).
 *
 * DESIGN
 * Runs of printable ASCII are copied at once; anything else is decoded
 * with lh_utf8_decode (strict) and kept unless it is invalid or a control
 * character.  Used by core/diag.c for messages and by cli/escape.c for
 * text and CSV output.
 */
#include <stdint.h>

#include "core/escape.h"
#include "core/status.h"
#include "core/utf8.h"

/* Length of the run at p that is copied as it is: printable ASCII. */
static size_t
plain_run(const unsigned char *p, size_t n)
{
	size_t i = 0;

	while (i < n && p[i] >= 0x20 && p[i] < 0x7f)
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
		if ((k = plain_run(p + i, n - i)) > 0) {
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
