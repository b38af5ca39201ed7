/*
 * timemap.c: per-source chunk time bounds for the context pass (see
 * timemap.h).
 *
 * DESIGN
 * A map is a growing array of chunks, built by one worker.  The index
 * collects maps under a mutex while the first pass runs, then sorts them
 * by path once (lh_timeindex_seal) so that the context pass's workers find
 * a source's map by binary search without locking.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/gate.h"
#include "core/status.h"
#include "core/timemap.h"

struct chunk {
	uint64_t start, lines_before;
	int64_t min, max;	/* min > max: no timed record */
	int unknown;		/* a record's time was not known */
	int mixed;		/* records of several or unknown hosts */
	char *host;		/* the one host of its timed records, or NULL */
	size_t hlen;
};

struct lh_timemap {
	struct chunk *c;
	size_t n, cap;
	int failed;
};
/*
 * A map without chunks was never told of a line, and one of a single chunk
 * would save little (its source is small): both stay out, so that the
 * index grows with the size of the evidence, not with its number of files.
 */

struct entry {
	char *path;
	struct lh_timemap *tm;
};

struct lh_timeindex {
	pthread_mutex_t mu;
	struct entry *e;
	size_t n, cap;
};

struct lh_timemap *
lh_timemap_create(void)
{
	return calloc(1, sizeof(struct lh_timemap));
}

void
lh_timemap_free(struct lh_timemap *tm)
{
	size_t i;

	if (tm == NULL)
		return;
	for (i = 0; i < tm->n; i++)
		free(tm->c[i].host);
	free(tm->c);
	free(tm);
}

/* Notes the host of a timed record of chunk c. */
static void
chunk_host(struct lh_timemap *tm, struct chunk *c, const char *host,
    size_t hlen)
{
	if (c->mixed)
		return;
	if (host == NULL)
		c->mixed = 1;
	else if (c->host == NULL) {
		if ((c->host = lh_dupn(host, hlen)) == NULL)
			tm->failed = 1;
		c->hlen = hlen;
	} else if (c->hlen != hlen || memcmp(c->host, host, hlen) != 0)
		c->mixed = 1;
}

void
lh_timemap_line(struct lh_timemap *tm, uint64_t off, uint64_t lines_before,
    enum lh_stamp k, int64_t ts, const char *host, size_t hlen)
{
	struct chunk *c;

	if (tm->failed)
		return;
	if (tm->n == 0 || (k != LH_STAMP_CONT &&
	    off - tm->c[tm->n - 1].start >= LH_TIMEMAP_CHUNK)) {
		if (lh_grow(&tm->c, &tm->cap, tm->n + 1, sizeof(*tm->c)) !=
		    LH_OK) {
			tm->failed = 1;
			return;
		}
		c = &tm->c[tm->n++];
		memset(c, 0, sizeof(*c));
		c->start = off;
		c->lines_before = lines_before;
		c->min = INT64_MAX;
		c->max = INT64_MIN;
	}
	c = &tm->c[tm->n - 1];
	if (k == LH_STAMP_TIME) {
		if (ts < c->min)
			c->min = ts;
		if (ts > c->max)
			c->max = ts;
		chunk_host(tm, c, host, hlen);
	} else if (k == LH_STAMP_UNKNOWN || k == LH_STAMP_CONT)
		c->unknown = 1;
}

void
lh_timemap_fail(struct lh_timemap *tm)
{
	tm->failed = 1;
}

struct lh_timeindex *
lh_timeindex_create(void)
{
	struct lh_timeindex *ix = calloc(1, sizeof(*ix));

	if (ix != NULL && pthread_mutex_init(&ix->mu, NULL) != 0) {
		free(ix);
		return NULL;
	}
	return ix;
}

void
lh_timeindex_free(struct lh_timeindex *ix)
{
	size_t i;

	if (ix == NULL)
		return;
	for (i = 0; i < ix->n; i++) {
		free(ix->e[i].path);
		lh_timemap_free(ix->e[i].tm);
	}
	free(ix->e);
	pthread_mutex_destroy(&ix->mu);
	free(ix);
}

int
lh_timeindex_put(struct lh_timeindex *ix, const char *path,
    struct lh_timemap *tm)
{
	char *p;
	int rc = LH_FATAL;

	if (tm->failed || tm->n < 2) {
		lh_timemap_free(tm);
		return LH_OK;	/* the source stays unindexed: read whole */
	}
	if ((p = strdup(path)) == NULL) {
		lh_timemap_free(tm);
		return LH_FATAL;
	}
	pthread_mutex_lock(&ix->mu);
	if (lh_grow(&ix->e, &ix->cap, ix->n + 1, sizeof(*ix->e)) == LH_OK) {
		ix->e[ix->n].path = p;
		ix->e[ix->n++].tm = tm;
		rc = LH_OK;
	}
	pthread_mutex_unlock(&ix->mu);
	if (rc != LH_OK) {
		free(p);
		lh_timemap_free(tm);
	}
	return rc;
}

static int
cmp_entry(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;

	return strcmp(a->path, b->path);
}

void
lh_timeindex_seal(struct lh_timeindex *ix)
{
	size_t i, e, k = 0;

	if (ix->n > 1)
		qsort(ix->e, ix->n, sizeof(*ix->e), cmp_entry);
	/* a path read twice (given twice) is not known for sure: drop it */
	for (i = 0; i < ix->n; i = e) {
		for (e = i + 1; e < ix->n &&
		    strcmp(ix->e[e].path, ix->e[i].path) == 0; e++)
			continue;
		if (e == i + 1) {
			ix->e[k++] = ix->e[i];
			continue;
		}
		for (; i < e; i++) {
			free(ix->e[i].path);
			lh_timemap_free(ix->e[i].tm);
		}
	}
	ix->n = k;
}

static const struct lh_timemap *
find(const struct lh_timeindex *ix, const char *path)
{
	struct entry key;
	const struct entry *e;

	if (ix->n == 0)
		return NULL;	/* bsearch(3) wants an array, even empty */
	key.path = (char *)(uintptr_t)path;
	e = bsearch(&key, ix->e, ix->n, sizeof(*ix->e), cmp_entry);
	return e != NULL ? e->tm : NULL;
}

/* 1 when chunk c must be read for gate g. */
static int
wanted(const struct chunk *c, const struct lh_gate *g)
{
	if (c->unknown)
		return 1;
	if (c->min > c->max)
		return 0;
	if (c->mixed || c->host == NULL)
		return lh_gate_overlaps(g, c->min, c->max);
	return lh_gate_overlaps_host(g, c->host, c->hlen, c->min, c->max);
}

int
lh_timeindex_plan(const struct lh_timeindex *ix, const char *path,
    const struct lh_gate *g, struct lh_range **r, size_t *n)
{
	const struct lh_timemap *tm = find(ix, path);
	struct lh_range *v = NULL;
	size_t i, k = 0, cap = 0;
	uint64_t end;

	*r = NULL;
	*n = 0;
	if (tm == NULL)
		return 0;
	for (i = 0; i < tm->n; i++) {
		if (!wanted(&tm->c[i], g))
			continue;
		end = i + 1 < tm->n ? tm->c[i + 1].start : UINT64_MAX;
		if (k > 0 && v[k - 1].end == tm->c[i].start) {
			v[k - 1].end = end;
			continue;
		}
		if (lh_grow(&v, &cap, k + 1, sizeof(*v)) != LH_OK) {
			free(v);
			return -1;
		}
		v[k].start = tm->c[i].start;
		v[k].end = end;
		v[k++].lines_before = tm->c[i].lines_before;
	}
	*r = v;
	*n = k;
	return 1;
}
