/*
 * memfind.h: the first copy of a literal in bytes that hold no NUL
 * guarantee (memmem(3) is not POSIX, and costs about a thousand
 * instructions on a message of a JSON document).
 *
 * DESIGN
 * memchr finds the candidates by one byte of the literal, the anchor, and
 * memcmp checks each.  The caller chooses the anchor: a byte that is rare
 * in the text searched (a space is common in messages; " segfault at "
 * anchored on its 's' meets few candidates) makes the fewest calls.
 * Inline: it runs per record in the parsers and per hit in the merger.
 * Nothing is allocated; the result points into s.
 */
#ifndef LH_MEMFIND_H
#define LH_MEMFIND_H

#include <stddef.h>
#include <string.h>

/*
 * The first copy of lit (k bytes, borrowed) in the n bytes at s, found by
 * its byte lit[a] (a < k when k > 0), or NULL.  An empty lit is at s.
 */
static inline const char *
lh_memfind(const char *s, size_t n, const char *lit, size_t k, size_t a)
{
	const char *p, *last;

	if (k == 0)
		return s;
	if (k > n)
		return NULL;
	last = s + (n - k) + a;	/* the anchor of the last candidate */
	for (p = s + a; p <= last && (p = memchr(p, lit[a],
	    (size_t)(last - p) + 1)) != NULL; p++) {
		if (memcmp(p - a, lit, k) == 0)
			return p - a;
	}
	return NULL;
}

#endif
