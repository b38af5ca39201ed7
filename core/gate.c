/*
 * gate.c: time intervals for skipping records (see gate.h).
 *
 * DESIGN
 * The intervals are sorted by start and merged when they overlap or touch,
 * so that a binary search on the starts answers both questions.
 */
#include <stdlib.h>

#include "core/gate.h"

struct span {
	int64_t lo, hi;
};

struct lh_gate {
	struct span *s;
	size_t n;
};

static int
cmp_span(const void *pa, const void *pb)
{
	const struct span *a = pa, *b = pb;

	return a->lo < b->lo ? -1 : a->lo > b->lo;
}

struct lh_gate *
lh_gate_create(const int64_t *lo, const int64_t *hi, size_t n)
{
	struct lh_gate *g = calloc(1, sizeof(*g));
	size_t i, k = 0;

	if (g == NULL || (g->s = calloc(n + 1, sizeof(*g->s))) == NULL) {
		free(g);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if (lo[i] > hi[i])
			continue;
		g->s[k].lo = lo[i];
		g->s[k++].hi = hi[i];
	}
	if (k > 1)
		qsort(g->s, k, sizeof(*g->s), cmp_span);
	for (i = 0, n = 0; i < k; i++) {
		if (n > 0 && (g->s[i].lo <= g->s[n - 1].hi ||
		    g->s[i].lo - 1 == g->s[n - 1].hi)) {
			if (g->s[i].hi > g->s[n - 1].hi)
				g->s[n - 1].hi = g->s[i].hi;
		} else
			g->s[n++] = g->s[i];
	}
	g->n = n;
	return g;
}

void
lh_gate_free(struct lh_gate *g)
{
	if (g == NULL)
		return;
	free(g->s);
	free(g);
}

/* The number of intervals that start at or before t. */
static size_t
starting_by(const struct lh_gate *g, int64_t t)
{
	size_t lo = 0, hi = g->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (g->s[mid].lo <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int
lh_gate_admits(const struct lh_gate *g, int64_t ts)
{
	size_t k = starting_by(g, ts);

	return k > 0 && ts <= g->s[k - 1].hi;
}

int
lh_gate_overlaps(const struct lh_gate *g, int64_t lo, int64_t hi)
{
	size_t k = starting_by(g, hi);

	/* the last interval starting by hi is the only candidate */
	return lo <= hi && k > 0 && lo <= g->s[k - 1].hi;
}
