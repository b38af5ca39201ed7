/*
 * prefilter_naive.h: the reference search the prefilter's tests compare
 * with (tests/unit/prefilter_test.c, tests/fuzz/fuzz_prefilter.c): the
 * contract of lh_prefilter_find() (core/prefilter.h) written as plainly
 * as possible.
 */
#ifndef LH_PREFILTER_NAIVE_H
#define LH_PREFILTER_NAIVE_H

#include <stddef.h>
#include <string.h>

#define LH_NAIVE_MAXW 64

/*
 * The first i where one of the nw words w[] (at most LH_NAIVE_MAXW; an
 * empty one never matches) equals p[i..] byte for byte, the bytes of p
 * lowercased if ASCII capitals; n if there is none.  Borrows w and p.
 */
static size_t
lh_naive_find(char **w, size_t nw, const char *p, size_t n)
{
	size_t i, j, k, len[LH_NAIVE_MAXW];

	for (j = 0; j < nw; j++)
		len[j] = strlen(w[j]);
	for (i = 0; i < n; i++) {
		for (j = 0; j < nw; j++) {
			for (k = 0; k < len[j] && i + k < n; k++) {
				unsigned char c = (unsigned char)p[i + k];

				if (c >= 'A' && c <= 'Z')
					c = (unsigned char)(c | 0x20);
				if (c != (unsigned char)w[j][k])
					break;
			}
			if (len[j] > 0 && k == len[j])
				return i;
		}
	}
	return n;
}

#endif
