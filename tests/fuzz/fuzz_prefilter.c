/*
 * fuzz_prefilter.c: libFuzzer target for the prefilter's searches
 * (core/prefilter.c) against a naive search.  The input's lines up to the
 * first empty one are the words (at most 64, the prefilter's limit); the
 * rest is the buffer searched.  Every search this CPU runs must give the
 * naive search's every hit, one after another; abort() otherwise.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/prefilter.h"
#include "core/status.h"
#include "tests/unit/prefilter_naive.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXW LH_NAIVE_MAXW

static const enum lh_pf_search searches[] = {
	LH_PF_AUTO, LH_PF_WORDS, LH_PF_PORTABLE, LH_PF_SSSE3, LH_PF_AVX2
};

static void
check(struct lh_prefilter *pf, char **w, size_t nw, const char *p,
    size_t n)
{
	size_t s, from, want;

	for (from = 0; from <= n; from = want + 1) {
		want = from + lh_naive_find(w, nw, p + from, n - from);
		for (s = 0; s < sizeof(searches) / sizeof(searches[0]); s++) {
			if (lh_prefilter_use(pf, searches[s]) == LH_OK &&
			    from + lh_prefilter_find(pf, p + from, n - from) !=
			    want)
				abort();
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size, *nl;
	char *w[MAXW + 1], *buf;
	char **const sets[1] = { w };
	struct lh_prefilter *pf;
	size_t nw = 0, i, n;

	while (p < end && *p != '\n' && nw < MAXW &&
	    (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		if ((w[nw] = strndup(p, (size_t)(nl - p))) == NULL)
			goto out;
		nw++;
		p = nl + 1;
	}
	if (p < end && *p == '\n')
		p++;
	w[nw] = NULL;
	n = (size_t)(end - p);
	/* a copy of exactly n bytes: ASan sees a read past the end */
	if (nw > 0 && (buf = malloc(n ? n : 1)) != NULL) {
		memcpy(buf, p, n);
		if ((pf = lh_prefilter_create(sets, 1)) != NULL) {
			check(pf, w, nw, buf, n);
			lh_prefilter_free(pf);
		}
		free(buf);
	}
out:
	for (i = 0; i < nw; i++)
		free(w[i]);
	return 0;
}
