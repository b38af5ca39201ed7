/*
 * timeline.c: sorting matches by time and folding duplicates (timeline.h).
 *
 * DESIGN
 * Matches are sorted twice through small keys (two numbers and the match):
 * by identity, to find the runs of records of one event and fold them,
 * then by time.  Both comparisons are total orders on content (ending with
 * the source path and line), so the result never depends on the order the
 * merger added the matches in, nor on -j.  Pooled matches live in arenas
 * the timeline adopts and frees last.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/status.h"
#include "core/field.h"
#include "core/timeline.h"
#include "core/timeline_int.h"

struct lh_timeline {
	struct lh_match **m;
	size_t n, cap;
	struct lh_arena **arenas;	/* where pooled matches live */
	size_t narenas, capa;
	size_t nboot;		/* boot-relative when added (none since?) */
};

struct lh_timeline *
lh_timeline_create(void)
{
	return calloc(1, sizeof(struct lh_timeline));
}

void
lh_timeline_free(struct lh_timeline *tl)
{
	size_t i;

	if (tl == NULL)
		return;
	for (i = 0; i < tl->n; i++)
		lh_match_free(tl->m[i]);
	for (i = 0; i < tl->narenas; i++)
		lh_arena_free(tl->arenas[i]);
	free(tl->arenas);
	free(tl->m);
	free(tl);
}

int
lh_timeline_add(struct lh_timeline *tl, struct lh_match *m)
{
	if (lh_grow(&tl->m, &tl->cap, tl->n + 1, sizeof(*tl->m)) != LH_OK)
		return LH_FATAL;
	tl->m[tl->n++] = m;
	tl->nboot += (m->ts_flags & LH_TS_BOOT) != 0;
	return LH_OK;
}

int
lh_timeline_adopt(struct lh_timeline *tl, struct lh_arena *arena)
{
	if (lh_grow(&tl->arenas, &tl->capa, tl->narenas + 1,
	    sizeof(*tl->arenas)) != LH_OK)
		return LH_FATAL;
	tl->arenas[tl->narenas++] = arena;
	return LH_OK;
}

int
lh_timeline_move(struct lh_timeline *dst, struct lh_timeline *src)
{
	if (lh_grow(&dst->m, &dst->cap, dst->n + src->n, sizeof(*dst->m)) !=
	    LH_OK || lh_grow(&dst->arenas, &dst->capa, dst->narenas +
	    src->narenas, sizeof(*dst->arenas)) != LH_OK)
		return LH_FATAL;
	if (src->n > 0)
		memcpy(dst->m + dst->n, src->m, src->n * sizeof(*src->m));
	if (src->narenas > 0)
		memcpy(dst->arenas + dst->narenas, src->arenas,
		    src->narenas * sizeof(*src->arenas));
	dst->n += src->n;
	dst->narenas += src->narenas;
	dst->nboot += src->nboot;
	src->n = src->narenas = src->nboot = 0;
	return LH_OK;
}

static int
cmp_host(const struct lh_match *a, const struct lh_match *b)
{
	if (a->host == NULL || b->host == NULL)
		return (a->host != NULL) - (b->host != NULL);
	return strcmp(a->host, b->host);
}

#define cmp_src lh_tl_cmp_src
#define cmp_ident lh_tl_cmp_ident
#define cmp_time lh_tl_cmp_time
#define same_event lh_tl_same_event

/* Identity order: rule, host, bare message, time. */
int
cmp_ident(const void *pa, const void *pb)
{
	const struct lh_match *a = *(struct lh_match *const *)pa;
	const struct lh_match *b = *(struct lh_match *const *)pb;
	const char *ma, *mb;
	size_t la, lb;
	int c;

	if (a->ident != b->ident)
		return a->ident < b->ident ? -1 : 1;
	if (a->rule != b->rule)
		return a->rule < b->rule ? -1 : 1;
	if ((c = cmp_host(a, b)) != 0)
		return c;
	if ((a->ts_flags & LH_TS_BOOT) != (b->ts_flags & LH_TS_BOOT))
		return (a->ts_flags & LH_TS_BOOT) ? 1 : -1;
	ma = lh_match_bare_message(a, &la);
	mb = lh_match_bare_message(b, &lb);
	if ((c = lh_span_cmp(ma, la, mb, lb)) != 0)
		return c;
	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	if (a->ts_prec != b->ts_prec)
		return a->ts_prec < b->ts_prec ? -1 : 1;
	/* a total order, so the record that represents an event is fixed */
	return cmp_src(a->src, b->src);
}

int
cmp_src(const void *pa, const void *pb)
{
	const struct lh_srcref *a = pa, *b = pb;
	int c = strcmp(a->path, b->path);

	if (c != 0)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return a->offset < b->offset ? -1 : a->offset > b->offset;
}

/*
 * Timeline order (SPEC section 6): timed before boot-relative, time, host,
 * then the first source's path and position, so that equal times keep
 * their input order; then rule (two rules on one record) and message.
 */
int
cmp_time(const void *pa, const void *pb)
{
	const struct lh_match *a = *(struct lh_match *const *)pa;
	const struct lh_match *b = *(struct lh_match *const *)pb;
	int ba = (a->ts_flags & LH_TS_BOOT) != 0 || a->ts == LH_TS_NONE;
	int bb = (b->ts_flags & LH_TS_BOOT) != 0 || b->ts == LH_TS_NONE;
	int c;

	if (ba != bb)
		return ba - bb;
	if (ba && (c = cmp_host(a, b)) != 0)
		return c;
	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	if ((c = cmp_host(a, b)) != 0)
		return c;
	if ((c = cmp_src(a->src, b->src)) != 0)
		return c;
	if (a->rule != b->rule)
		return a->rule < b->rule ? -1 : 1;
	return lh_span_cmp(a->message ? a->message : "", a->message_len,
	    b->message ? b->message : "", b->message_len);
}

/* Same event: equal identity and times equal at the coarser precision. */
int
same_event(const struct lh_match *a, const struct lh_match *b)
{
	const char *ma, *mb;
	size_t la, lb;

	if (a->ident != b->ident || a->rule != b->rule || cmp_host(a, b) != 0 ||
	    (a->ts_flags & LH_TS_BOOT) != (b->ts_flags & LH_TS_BOOT))
		return 0;
	ma = lh_match_bare_message(a, &la);
	mb = lh_match_bare_message(b, &lb);
	if (lh_span_cmp(ma, la, mb, lb) != 0)
		return 0;
	return lh_match_same_time(a->ts, a->ts_prec, b->ts, b->ts_prec);
}

/*
 * Per file of a run: how many distinct records of it the run has had.
 * Kept in a small array: a run holds the records of one event, which
 * come from a few files.
 */
struct perfile {
	const char *path;
	size_t count;
};

/*
 * Folds the run tl->m[i..j) of records of one event into as few matches as
 * possible, keeping apart records from the same file: two identical lines
 * in one file are two events (ten failed logins in one second), the same
 * line in kern.log and syslog is one.  Each record joins the first match
 * that has no record of its file yet: the k-th record of a file joins the
 * k-th match, so the run folds in linear time.  The same path and position
 * again (an archive that holds a member twice) is the same record read
 * twice: the cmp_ident order puts it right after the first, and it goes.
 * Survivors go to v[*k].
 */
int
lh_tl_fold_run(struct lh_match **v, size_t i, size_t j, size_t *k)
{
	struct perfile *pf = NULL;
	size_t first = *k, npf = 0, cap = 0, f, t, x;
	unsigned char *dup;
	int rc = LH_OK;

	/* marked before anything moves: v[*k] overwrites what it passed */
	if ((dup = calloc(j - i, 1)) == NULL) {
		for (x = i; x < j; x++)
			v[(*k)++] = v[x];	/* each once */
		return LH_FATAL;
	}
	for (x = i + 1; x < j; x++)
		dup[x - i] = cmp_src(&v[x - 1]->src[0], &v[x]->src[0]) ==
		    0;
	for (x = i; x < j; x++) {
		struct lh_match *m = v[x];

		if (rc != LH_OK) {
			v[(*k)++] = m;	/* keep the rest, each once */
			continue;
		}
		if (dup[x - i]) {
			lh_match_free(m);	/* the same record read twice */
			continue;
		}
		for (f = 0; f < npf && strcmp(pf[f].path, m->src[0].path); f++)
			;
		if (f == npf) {
			if (lh_grow(&pf, &cap, npf + 1, sizeof(*pf)) != LH_OK) {
				rc = LH_FATAL;
				v[(*k)++] = m;
				continue;
			}
			pf[npf++] = (struct perfile){ m->src[0].path, 0 };
		}
		t = first + pf[f].count++;
		if (t < *k) {
			rc = lh_match_fold(v[t], m);	/* frees m */
			m = v[t];
			/* the path now lives in the match folded into */
			if (rc == LH_OK)
				pf[f].path = m->src[m->nsrc - 1].path;
		} else
			v[(*k)++] = m;
	}
	free(pf);
	free(dup);
	return rc;
}

/*
 * Sorting keys: two numbers and the match.  Sorting these small records
 * instead of the matches themselves keeps the comparisons in cache; the
 * full comparison runs only on ties.
 */
struct key {
	uint64_t a;
	int64_t b;
	struct lh_match *m;
};

static int
key_ident(const void *pa, const void *pb)
{
	const struct key *a = pa, *b = pb;

	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	if (a->b != b->b)
		return a->b < b->b ? -1 : 1;
	return cmp_ident(&a->m, &b->m);
}

static int
key_time(const void *pa, const void *pb)
{
	const struct key *a = pa, *b = pb;

	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	if (a->b != b->b)
		return a->b < b->b ? -1 : 1;
	return cmp_time(&a->m, &b->m);
}

static int
key_less(const struct key *x, const struct key *y,
    int (*cmp)(const void *, const void *))
{
	if (x->a != y->a)
		return x->a < y->a;
	if (x->b != y->b)
		return x->b < y->b;
	return cmp(x, y) < 0;
}

/*
 * Sorts keys: a quicksort with the two numbers compared inline (qsort's
 * callback and byte-wise swaps cost more than the comparisons here),
 * insertion sort for short ranges, recursion only into the smaller part.
 */
static void
sort_keys(struct key *k, size_t n, int (*cmp)(const void *, const void *))
{
	while (n > 16) {
		size_t i = 0, j = n - 1, mid = n / 2;
		struct key t, p;

		/* median of three as the pivot */
		if (key_less(&k[mid], &k[0], cmp))
			t = k[0], k[0] = k[mid], k[mid] = t;
		if (key_less(&k[n - 1], &k[0], cmp))
			t = k[0], k[0] = k[n - 1], k[n - 1] = t;
		if (key_less(&k[n - 1], &k[mid], cmp))
			t = k[mid], k[mid] = k[n - 1], k[n - 1] = t;
		p = k[mid];
		for (;;) {
			while (key_less(&k[i], &p, cmp))
				i++;
			while (key_less(&p, &k[j], cmp))
				j--;
			if (i >= j)
				break;
			t = k[i], k[i] = k[j], k[j] = t;
			i++;
			j--;
		}
		if (j + 1 < n - j - 1) {
			sort_keys(k, j + 1, cmp);
			k += j + 1;
			n -= j + 1;
		} else {
			sort_keys(k + j + 1, n - j - 1, cmp);
			n = j + 1;
		}
	}
	for (size_t i = 1; i < n; i++) {
		struct key t = k[i];
		size_t j = i;

		while (j > 0 && key_less(&t, &k[j - 1], cmp)) {
			k[j] = k[j - 1];
			j--;
		}
		k[j] = t;
	}
}

/* Sorts tl->m by cmp_ident (by_time 0) or cmp_time (1) through keys. */
static struct key *
sort_by(struct lh_timeline *tl, int by_time)
{
	struct key *k = malloc(tl->n * sizeof(*k));
	size_t i;

	if (k == NULL)
		return NULL;
	for (i = 0; i < tl->n; i++) {
		struct lh_match *m = tl->m[i];
		int untimed = (m->ts_flags & LH_TS_BOOT) || m->ts == LH_TS_NONE;

		k[i].m = m;
		k[i].a = by_time ? (uint64_t)untimed : m->ident;
		k[i].b = by_time && untimed ? 0 : m->ts;
	}
	sort_keys(k, tl->n, by_time ? key_time : key_ident);
	for (i = 0; i < tl->n; i++)
		tl->m[i] = k[i].m;
	return k;
}

int
lh_timeline_finish(struct lh_timeline *tl)
{
	struct key *k;
	size_t i, j, n = 0;

	if (tl->n == 0)
		return LH_OK;	/* qsort(NULL, 0) is undefined */
	if ((k = sort_by(tl, 0)) == NULL)
		return LH_FATAL;
	/* runs of one event; different hashes need no look at the matches */
	for (i = 0; i < tl->n; i = j) {
		for (j = i + 1; j < tl->n && k[j].a == k[i].a &&
		    same_event(tl->m[i], tl->m[j]); j++)
			;
		if (j == i + 1)
			tl->m[n++] = tl->m[i];
		else if (lh_tl_fold_run(tl->m, i, j, &n) != LH_OK) {
			while (j < tl->n)
				tl->m[n++] = tl->m[j++];
			tl->n = n;
			free(k);
			return LH_FATAL;
		}
	}
	free(k);
	tl->n = n;
	for (i = 0; i < tl->n; i++) {
		if (tl->m[i]->nsrc > 1)
			qsort(tl->m[i]->src, tl->m[i]->nsrc,
			    sizeof(struct lh_srcref), cmp_src);
	}
	if ((k = sort_by(tl, 1)) == NULL)
		return LH_FATAL;
	free(k);
	return LH_OK;
}

int
lh_timeline_sort(struct lh_timeline *tl)
{
	struct key *k;

	if (tl->n == 0)
		return LH_OK;
	if ((k = sort_by(tl, 1)) == NULL)
		return LH_FATAL;
	free(k);
	return LH_OK;
}

struct lh_match *
lh_timeline_at(struct lh_timeline *tl, size_t i)
{
	return tl->m[i];
}

int
lh_timeline_may_have_boot(const struct lh_timeline *tl)
{
	return tl->nboot > 0;
}

size_t
lh_timeline_count(const struct lh_timeline *tl)
{
	return tl->n;
}

const struct lh_match *
lh_timeline_get(const struct lh_timeline *tl, size_t i)
{
	return tl->m[i];
}
