/*
 * gzckpt.c: the index of gzip checkpoints by source path (see gzckpt.h).
 *
 * DESIGN
 * A list is a growing array of checkpoints, built by the one decoder that
 * inflates its source; each checkpoint's state is one malloc'd copy.  The
 * bytes of all lists are counted against the index's budget with an atomic
 * counter, so that the workers of the first pass need no lock to add; the
 * index collects the finished lists under a mutex, then sorts them by
 * path once (lh_gzckpt_seal), and the context pass's workers find a list
 * by binary search without locking.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/gzckpt.h"
#include "core/status.h"
#include "core/timemap.h"

struct lh_gzckpts {
	struct lh_gzckpt_index *ix;	/* borrowed: charged for the bytes */
	struct lh_gzckpt *c;
	size_t n, cap;
	uint64_t bytes;		/* charged to ix */
};

struct slot {
	char *path;
	struct lh_gzckpts *l;
};

struct lh_gzckpt_index {
	uint64_t budget;
	atomic_uint_least64_t used;
	pthread_mutex_t mu;
	struct slot *s;
	size_t n, cap;
};

struct lh_gzckpt_index *
lh_gzckpt_index_create(uint64_t budget)
{
	struct lh_gzckpt_index *ix = calloc(1, sizeof(*ix));

	if (ix == NULL)
		return NULL;
	if (pthread_mutex_init(&ix->mu, NULL) != 0) {
		free(ix);
		return NULL;
	}
	ix->budget = budget;
	atomic_init(&ix->used, 0);
	return ix;
}

void
lh_gzckpt_index_free(struct lh_gzckpt_index *ix)
{
	size_t i;

	if (ix == NULL)
		return;
	for (i = 0; i < ix->n; i++) {
		free(ix->s[i].path);
		lh_gzckpts_free(ix->s[i].l);
	}
	free(ix->s);
	pthread_mutex_destroy(&ix->mu);
	free(ix);
}

struct lh_gzckpts *
lh_gzckpts_create(struct lh_gzckpt_index *ix)
{
	struct lh_gzckpts *l = calloc(1, sizeof(*l));

	if (l != NULL)
		l->ix = ix;
	return l;
}

void
lh_gzckpts_free(struct lh_gzckpts *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		free((void *)(uintptr_t)l->c[i].state);
	free(l->c);
	atomic_fetch_sub(&l->ix->used, l->bytes);
	free(l);
}

int
lh_gzckpts_add(struct lh_gzckpts *l, uint64_t out, uint64_t in,
    const void *p1, size_t n1, const void *p2, size_t n2)
{
	struct lh_gzckpt_index *ix = l->ix;
	uint64_t cost = n1 + n2 + sizeof(*l->c);
	unsigned char *st;

	if (atomic_fetch_add(&ix->used, cost) + cost > ix->budget) {
		atomic_fetch_sub(&ix->used, cost);
		return LH_WARN;
	}
	if (lh_grow(&l->c, &l->cap, l->n + 1, sizeof(*l->c)) != LH_OK ||
	    (st = malloc(n1 + n2 > 0 ? n1 + n2 : 1)) == NULL) {
		atomic_fetch_sub(&ix->used, cost);
		return LH_FATAL;
	}
	memcpy(st, p1, n1);
	if (n2 > 0)
		memcpy(st + n1, p2, n2);
	l->c[l->n].out = out;
	l->c[l->n].in = in;
	l->c[l->n].state = st;
	l->c[l->n++].len = n1 + n2;
	l->bytes += cost;
	return LH_OK;
}

int
lh_gzckpt_put(struct lh_gzckpt_index *ix, const char *path,
    struct lh_gzckpts *l)
{
	char *p;
	int rc = LH_FATAL;

	if (l->n == 0) {
		lh_gzckpts_free(l);
		return LH_OK;
	}
	if ((p = strdup(path)) == NULL) {
		lh_gzckpts_free(l);
		return LH_FATAL;
	}
	pthread_mutex_lock(&ix->mu);
	if (lh_grow(&ix->s, &ix->cap, ix->n + 1, sizeof(*ix->s)) == LH_OK) {
		ix->s[ix->n].path = p;
		ix->s[ix->n++].l = l;
		rc = LH_OK;
	}
	pthread_mutex_unlock(&ix->mu);
	if (rc != LH_OK) {
		free(p);
		lh_gzckpts_free(l);
	}
	return rc;
}

static int
cmp_slot(const void *pa, const void *pb)
{
	const struct slot *a = pa, *b = pb;

	return strcmp(a->path, b->path);
}

void
lh_gzckpt_seal(struct lh_gzckpt_index *ix, const struct lh_timeindex *tx)
{
	size_t i, e, k = 0;

	if (ix->n > 1)
		qsort(ix->s, ix->n, sizeof(*ix->s), cmp_slot);
	for (i = 0; i < ix->n; i = e) {
		for (e = i + 1; e < ix->n &&
		    strcmp(ix->s[e].path, ix->s[i].path) == 0; e++)
			continue;
		if (e == i + 1 && (tx == NULL ||
		    lh_timeindex_mapped(tx, ix->s[i].path))) {
			ix->s[k++] = ix->s[i];
			continue;
		}
		for (; i < e; i++) {	/* given twice: not known for sure */
			free(ix->s[i].path);
			lh_gzckpts_free(ix->s[i].l);
		}
	}
	ix->n = k;
}

const struct lh_gzckpts *
lh_gzckpt_get(const struct lh_gzckpt_index *ix, const char *path)
{
	struct slot key, *hit;

	if (ix == NULL || ix->n == 0)
		return NULL;
	key.path = (char *)(uintptr_t)path;
	hit = bsearch(&key, ix->s, ix->n, sizeof(*ix->s), cmp_slot);
	return hit != NULL ? hit->l : NULL;
}

const struct lh_gzckpt *
lh_gzckpt_find(const struct lh_gzckpts *l, uint64_t out)
{
	size_t lo = 0, hi = l->n, mid;

	/* the first checkpoint past out is at lo when the loop ends */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (l->c[mid].out <= out)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 ? &l->c[lo - 1] : NULL;
}

uint64_t
lh_gzckpt_bytes(const struct lh_gzckpt_index *ix)
{
	return atomic_load(&((struct lh_gzckpt_index *)(uintptr_t)ix)->used);
}
