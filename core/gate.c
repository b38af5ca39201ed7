/*
 * gate.c: time intervals for skipping records (see gate.h).
 *
 * DESIGN
 * The intervals are sorted by start and merged when they overlap or touch,
 * so that a binary search on the starts answers both questions.  A gate
 * with hosts also holds one such gate per host, sorted by name.
 */
#include <stdlib.h>
#include <string.h>

#include "core/gate.h"

struct span {
	int64_t lo, hi;
};

struct lh_gate {
	struct span *s;
	size_t n;
	struct host *h;		/* by name; NULL: no hosts */
	size_t nh;
};

/* One host's intervals (a gate without hosts of its own). */
struct host {
	char *name;
	size_t len;
	struct lh_gate *g;
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
	size_t i;

	if (g == NULL)
		return;
	for (i = 0; i < g->nh; i++) {
		free(g->h[i].name);
		lh_gate_free(g->h[i].g);
	}
	free(g->h);
	free(g->s);
	free(g);
}

struct named {
	const char *host;
	int64_t lo, hi;
};

static int
cmp_named(const void *pa, const void *pb)
{
	const struct named *a = pa, *b = pb;

	return strcmp(a->host, b->host);
}

/* Host gates for the runs of equal hosts in v[0..n), sorted by host. */
static int
add_hosts(struct lh_gate *g, struct named *v, size_t n)
{
	int64_t *lo = calloc(n + 1, sizeof(*lo)), *hi = calloc(n + 1,
	    sizeof(*hi));
	size_t i, k, e;
	int rc = -1;

	if (lo == NULL || hi == NULL ||
	    (g->h = calloc(n + 1, sizeof(*g->h))) == NULL)
		goto out;
	for (i = 0; i < n; i = e) {
		for (e = i, k = 0; e < n && strcmp(v[e].host, v[i].host) == 0;
		    e++, k++) {
			lo[k] = v[e].lo;
			hi[k] = v[e].hi;
		}
		g->h[g->nh].len = strlen(v[i].host);
		if ((g->h[g->nh].name = strdup(v[i].host)) == NULL ||
		    (g->h[g->nh++].g = lh_gate_create(lo, hi, k)) == NULL)
			goto out;
	}
	rc = 0;
out:
	free(lo);
	free(hi);
	return rc;
}

struct lh_gate *
lh_gate_create_hosts(const char *const *host, const int64_t *lo,
    const int64_t *hi, size_t n)
{
	struct lh_gate *g = lh_gate_create(lo, hi, n);
	struct named *v = calloc(n + 1, sizeof(*v));
	size_t i;

	if (g == NULL || v == NULL) {
		lh_gate_free(g);
		free(v);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		v[i].host = host[i];
		v[i].lo = lo[i];
		v[i].hi = hi[i];
	}
	qsort(v, n, sizeof(*v), cmp_named);
	if (add_hosts(g, v, n) != 0) {
		lh_gate_free(g);
		g = NULL;
	}
	free(v);
	return g;
}

/* The gate of host (hlen bytes): g itself without hosts, else NULL. */
static const struct lh_gate *
host_gate(const struct lh_gate *g, const char *host, size_t hlen)
{
	size_t lo = 0, hi = g->nh, mid, m;
	int c;

	if (g->h == NULL || host == NULL)
		return g;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		m = g->h[mid].len < hlen ? g->h[mid].len : hlen;
		if ((c = memcmp(g->h[mid].name, host, m)) == 0)
			c = g->h[mid].len < hlen ? -1 : g->h[mid].len > hlen;
		if (c == 0)
			return g->h[mid].g;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
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

int
lh_gate_admits_host(const struct lh_gate *g, const char *host, size_t hlen,
    int64_t ts)
{
	const struct lh_gate *h = host_gate(g, host, hlen);

	return h != NULL && lh_gate_admits(h, ts);
}

int
lh_gate_overlaps_host(const struct lh_gate *g, const char *host,
    size_t hlen, int64_t lo, int64_t hi)
{
	const struct lh_gate *h = host_gate(g, host, hlen);

	return h != NULL && lh_gate_overlaps(h, lo, hi);
}
