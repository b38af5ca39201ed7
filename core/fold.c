/*
 * fold.c: folding a sorted stream of matches with a bounded window
 * (fold.h).
 *
 * DESIGN
 * lh_timeline_finish() folds a whole timeline: it sorts by identity, folds
 * each run of records of one event (lh_tl_fold_run) and sorts by time.
 * Here the matches come already in position order (timed first by time;
 * then the untimed by host, then time), from the merger's spill, and the
 * result must be the same, match for match.  A run of one event begins at
 * the first pending record of its identity (key: rule, host, boot flag,
 * bare message) and holds the records that follow it in identity order
 * while their time equals its own at the coarser precision; no record
 * later than start + P can join, where P is the coarsest precision of
 * that identity's records (the caller's horizon table, by identity hash,
 * covers the whole stream).  So a record is closed, with its run, once
 * the stream has passed start + P (or left its lane: the timed stream, or
 * one host's untimed records): every record of its run is then here, in
 * the pending set, kept per identity hash in identity order.
 *
 * A folded match takes the time of its most precise record, which is no
 * earlier than its run's start, so a folded match may be emitted once it
 * sorts before the earliest record still pending: every match still to
 * come is at or after that record.  Folded matches wait in a heap in
 * timeline order.  Memory holds the records within the horizon of the
 * newest one (a second of records for syslog stamps) plus the folded
 * matches waiting for them, whatever the stream's length, up to a cap:
 * beyond it (more records of one second than the cap holds: a file of
 * one stamp repeated) the earliest runs are closed at once (see shed()).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/event.h"
#include "core/fold.h"
#include "core/status.h"
#include "core/timeline_int.h"

/*
 * A pending record; done once it has gone into a run.  Entries are kept
 * for reuse once done (a free list through next): one per hit went
 * through calloc and free.
 */
struct ent {
	struct lh_match *m;
	size_t bytes;		/* about what m holds */
	int done;
	struct ent *next;	/* on the free list */
};

/*
 * The arrays of the lists that empty (most hold one record) are kept for
 * the next lists, up to SPAREV of them: a list used to cost a malloc and
 * a free per hit.
 */
#define KCAP 16
#define SPAREV 64

/* The pending records of one identity hash, in identity order. */
struct klist {
	uint64_t ident;
	struct ent **v;
	size_t n, cap;
	int used;
};

struct lh_fold {
	const int64_t *horizon;		/* LH_FOLD_BUCKETS, borrowed */
	lh_fold_fn emit;
	int give;		/* emit owns the matches (lh_fold_give) */
	void *arg;
	struct ent **fifo;		/* pending, in arrival order (ring;
				   cap a power of two) */
	size_t head, n, cap;
	struct klist *tab;		/* open addressing by ident */
	size_t tabcap, tabn;
	struct lh_match **heap;		/* folded, in timeline order */
	size_t nh, caph;
	struct lh_match **run;		/* scratch for lh_tl_fold_run */
	size_t caprun;
	struct ent *spare;		/* done entries, for reuse */
	struct ent **sparev[SPAREV];	/* lists' arrays of KCAP, for reuse */
	size_t nsparev;
	uint64_t wcap, bytes;		/* the window's cap, its bytes */
	int force;			/* over the cap: closing early */
	int have_front;
	int untimed_f;			/* front's lane */
	char *front_host;		/* owned copy, or NULL */
	int64_t front_ts;
};

static int
untimed(const struct lh_match *m)
{
	return (m->ts_flags & LH_TS_BOOT) != 0 || m->ts == LH_TS_NONE;
}

static int
host_cmp(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

/*
 * Position order of m against the front (< 0, 0, > 0): the lane (timed,
 * then untimed by host), then time.
 */
static int
pos_cmp_front(const struct lh_fold *f, const struct lh_match *m)
{
	int u = untimed(m), c;

	if (u != f->untimed_f)
		return u - f->untimed_f;
	if (u && (c = host_cmp(m->host, f->front_host)) != 0)
		return c;
	return m->ts < f->front_ts ? -1 : m->ts > f->front_ts;
}

static int
pos_cmp(const struct lh_match *a, const struct lh_match *b)
{
	int ua = untimed(a), ub = untimed(b), c;

	if (ua != ub)
		return ua - ub;
	if (ua && (c = host_cmp(a->host, b->host)) != 0)
		return c;
	return a->ts < b->ts ? -1 : a->ts > b->ts;
}

/* 1 when no record still to come can join a run that starts at m. */
static int
closable(const struct lh_fold *f, const struct lh_match *m)
{
	int64_t p = f->horizon[m->ident & (LH_FOLD_BUCKETS - 1)];

	if (!f->have_front || f->force)
		return 1;	/* the end, or over the cap */
	if (untimed(m) != f->untimed_f ||
	    (f->untimed_f && host_cmp(m->host, f->front_host) != 0))
		return 1;	/* the stream has left m's lane */
	if (m->ts == LH_TS_NONE)
		return f->front_ts != LH_TS_NONE;
	if (p < 1)
		p = 1;
	return f->front_ts - m->ts >= p;
}

struct lh_fold *
lh_fold_create(const int64_t *horizon, uint64_t cap, lh_fold_fn emit,
    void *arg)
{
	struct lh_fold *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return NULL;
	f->wcap = cap;
	f->horizon = horizon;
	f->emit = emit;
	f->arg = arg;
	f->tabcap = 64;
	if ((f->tab = calloc(f->tabcap, sizeof(*f->tab))) == NULL) {
		free(f);
		return NULL;
	}
	return f;
}

void
lh_fold_give(struct lh_fold *f)
{
	f->give = 1;
}

/* ---- the table of pending records by identity hash ------------------- */

static struct klist *
tab_find(struct lh_fold *f, uint64_t ident)
{
	size_t i = (size_t)(ident * 0x9e3779b97f4a7c15ULL) & (f->tabcap - 1);

	while (f->tab[i].used && f->tab[i].ident != ident)
		i = (i + 1) & (f->tabcap - 1);
	return &f->tab[i];
}

static int
tab_grow(struct lh_fold *f)
{
	struct klist *old = f->tab, *k;
	size_t i, n = f->tabcap;

	if ((f->tab = calloc(n * 2, sizeof(*f->tab))) == NULL) {
		f->tab = old;
		return LH_FATAL;
	}
	f->tabcap = n * 2;
	for (i = 0; i < n; i++) {
		if (!old[i].used)
			continue;
		k = tab_find(f, old[i].ident);
		*k = old[i];
	}
	free(old);
	return LH_OK;
}

/* Removes the empty list k (backward-shift deletion keeps probes short). */
static void
tab_remove(struct lh_fold *f, struct klist *k)
{
	size_t i = (size_t)(k - f->tab), j = i, h;

	if (k->cap == KCAP && f->nsparev < SPAREV)
		f->sparev[f->nsparev++] = k->v;
	else
		free(k->v);
	memset(k, 0, sizeof(*k));
	f->tabn--;
	for (;;) {
		j = (j + 1) & (f->tabcap - 1);
		if (!f->tab[j].used)
			return;
		h = (size_t)(f->tab[j].ident * 0x9e3779b97f4a7c15ULL) &
		    (f->tabcap - 1);
		/* move j back to i when its home is not in (i, j] */
		if ((i <= j) ? (h > i && h <= j) : (h > i || h <= j))
			continue;
		f->tab[i] = f->tab[j];
		memset(&f->tab[j], 0, sizeof(f->tab[j]));
		i = j;
	}
}

/* Inserts e into its list, in identity order (mostly at the end). */
static int
tab_add(struct lh_fold *f, struct ent *e)
{
	struct klist *k;
	size_t i;

	if ((f->tabn + 1) * 2 > f->tabcap && tab_grow(f) != LH_OK)
		return LH_FATAL;
	k = tab_find(f, e->m->ident);
	if (!k->used) {
		k->used = 1;
		k->ident = e->m->ident;
		f->tabn++;
		if (f->nsparev > 0) {
			k->v = f->sparev[--f->nsparev];
			k->cap = KCAP;
		}
	}
	if (k->n == k->cap &&
	    lh_grow(&k->v, &k->cap, k->n + 1, sizeof(*k->v)) != LH_OK)
		return LH_FATAL;
	for (i = k->n; i > 0 && lh_tl_cmp_ident(&k->v[i - 1]->m, &e->m) > 0;
	    i--)
		k->v[i] = k->v[i - 1];
	k->v[i] = e;
	k->n++;
	return LH_OK;
}

/* ---- the heap of folded matches ------------------------------------- */

static int
heap_push(struct lh_fold *f, struct lh_match *m)
{
	size_t i, p;

	if (f->nh == f->caph && lh_grow(&f->heap, &f->caph, f->nh + 1,
	    sizeof(*f->heap)) != LH_OK)
		return LH_FATAL;
	for (i = f->nh++; i > 0; i = p) {
		p = (i - 1) / 2;
		if (lh_tl_cmp_time(&f->heap[p], &m) <= 0)
			break;
		f->heap[i] = f->heap[p];
	}
	f->heap[i] = m;
	return LH_OK;
}

static struct lh_match *
heap_pop(struct lh_fold *f)
{
	struct lh_match *top = f->heap[0], *last = f->heap[--f->nh];
	size_t i = 0, c;

	for (;;) {
		c = 2 * i + 1;
		if (c >= f->nh)
			break;
		if (c + 1 < f->nh &&
		    lh_tl_cmp_time(&f->heap[c + 1], &f->heap[c]) < 0)
			c++;
		if (lh_tl_cmp_time(&last, &f->heap[c]) <= 0)
			break;
		f->heap[i] = f->heap[c];
		i = c;
	}
	if (f->nh > 0)
		f->heap[i] = last;
	return top;
}

/* ---- closing runs ---------------------------------------------------- */

/* Same identity (not time): the key a run of one event shares. */
static int
same_key(const struct lh_match *a, const struct lh_match *b)
{
	size_t la, lb;
	const char *ma = lh_match_bare_message(a, &la);
	const char *mb = lh_match_bare_message(b, &lb);

	return a->ident == b->ident && a->rule == b->rule &&
	    host_cmp(a->host, b->host) == 0 &&
	    (a->ts_flags & LH_TS_BOOT) == (b->ts_flags & LH_TS_BOOT) &&
	    la == lb && memcmp(ma, mb, la) == 0;
}

/* Folds k->v[s..j) (one run) and moves the survivors to the heap. */
static int
close_run(struct lh_fold *f, struct klist *k, size_t s, size_t j)
{
	size_t i, n = 0;
	int rc;

	if (j - s > f->caprun &&
	    lh_grow(&f->run, &f->caprun, j - s, sizeof(*f->run)) != LH_OK)
		return LH_FATAL;
	for (i = s; i < j; i++) {
		f->run[i - s] = k->v[i]->m;
		f->bytes -= k->v[i]->bytes;
		k->v[i]->done = 1;
		k->v[i]->m = NULL;
	}
	memmove(k->v + s, k->v + j, (k->n - j) * sizeof(*k->v));
	k->n -= j - s;
	rc = j - s > 1 ? lh_tl_fold_run(f->run, 0, j - s, &n) : LH_OK;
	if (j - s == 1)
		n = 1;
	for (i = 0; i < n; i++) {
		struct lh_match *m = f->run[i];

		if (m->nsrc > 1)
			qsort(m->src, m->nsrc, sizeof(*m->src),
			    lh_tl_cmp_src);
		if (heap_push(f, m) != LH_OK) {
			lh_match_free(m);
			rc = LH_FATAL;
		}
	}
	return rc;
}

/*
 * Closes the runs of e's identity that are closable, the first holding e
 * (e is the earliest record pending: the first of its identity begins at
 * its time).  Identities are contiguous in identity order.
 */
static int
close_key(struct lh_fold *f, const struct ent *e)
{
	struct klist *k = tab_find(f, e->m->ident);
	struct lh_match *start;
	size_t s, j;
	int rc = LH_OK, more;

	for (s = 0; s < k->n && k->v[s] != e && !same_key(k->v[s]->m, e->m);
	    s++)
		;
	while (s < k->n && closable(f, (start = k->v[s]->m))) {
		for (j = s + 1; j < k->n &&
		    lh_tl_same_event(start, k->v[j]->m); j++)
			;
		more = j < k->n && same_key(k->v[j]->m, start) && !f->force;
		if ((rc = close_run(f, k, s, j)) != LH_OK || !more)
			break;
	}
	if (k->n == 0)
		tab_remove(f, k);
	return rc;
}

/* Frees the records gone into runs from the head of the fifo. */
static void
pop_done(struct lh_fold *f)
{
	struct ent *e;

	while (f->n > 0 && (e = f->fifo[f->head])->done) {
		e->next = f->spare;
		f->spare = e;
		f->head = (f->head + 1) & (f->cap - 1);
		f->n--;
	}
}

/* Emits the folded matches that sort before every record still to come. */
static int
emit_ready(struct lh_fold *f)
{
	struct lh_match *m;
	int rc;

	pop_done(f);
	while (f->nh > 0) {
		if (f->n > 0 && pos_cmp(f->heap[0], f->fifo[f->head]->m) >=
		    f->force)
			break;
		if (f->n == 0 && f->have_front &&
		    pos_cmp_front(f, f->heap[0]) >= f->force)
			break;
		m = heap_pop(f);
		rc = f->emit(f->arg, m);
		if (!f->give)
			lh_match_free(m);
		if (rc != LH_OK)
			return rc;
	}
	return LH_OK;
}

/* Closes what the front has passed, then emits what is ready. */
static int
advance(struct lh_fold *f)
{
	struct ent *e;
	int rc;

	for (pop_done(f); f->n > 0; pop_done(f)) {
		e = f->fifo[f->head];
		if (!closable(f, e->m))
			break;
		if ((rc = close_key(f, e)) != LH_OK)
			return rc;
		if (!e->done)
			return LH_FATAL;	/* never: e began a run */
		if (f->force)
			break;
	}
	return emit_ready(f);
}

/*
 * Over the cap (records of one time, more than the cap holds): closes the
 * earliest runs now, and emits up to the records still pending.  Exact
 * when the records of one time and host come from one file, as in a long
 * file of identical stamps; otherwise a record still to come that would
 * have joined an event closed early stays an event of its own.
 */
static int
shed(struct lh_fold *f)
{
	int rc = LH_OK;

	while (rc == LH_OK && f->bytes > f->wcap && f->n > 0) {
		f->force = 1;
		rc = advance(f);
		f->force = 0;
	}
	return rc;
}

static int
fifo_push(struct lh_fold *f, struct ent *e)
{
	struct ent **v;
	size_t i, cap;

	if (f->n == f->cap) {
		cap = f->cap ? f->cap * 2 : 256;
		if ((v = malloc(cap * sizeof(*v))) == NULL)
			return LH_FATAL;
		for (i = 0; i < f->n; i++)
			v[i] = f->fifo[(f->head + i) & (f->cap - 1)];
		free(f->fifo);
		f->fifo = v;
		f->cap = cap;
		f->head = 0;
	}
	f->fifo[(f->head + f->n++) & (f->cap - 1)] = e;
	return LH_OK;
}

static int
set_front(struct lh_fold *f, const struct lh_match *m)
{
	int u = untimed(m);

	if (!f->have_front || u != f->untimed_f || (u &&
	    host_cmp(m->host, f->front_host) != 0)) {
		free(f->front_host);
		f->front_host = NULL;
		if (u && m->host != NULL &&
		    (f->front_host = strdup(m->host)) == NULL)
			return LH_FATAL;
	}
	f->have_front = 1;
	f->untimed_f = u;
	f->front_ts = m->ts;
	return LH_OK;
}

int
lh_fold_add(struct lh_fold *f, struct lh_match *m)
{
	struct ent *e;
	int rc;

	/* a new lane: what is pending of the last is complete */
	if (f->have_front && (untimed(m) != f->untimed_f || (f->untimed_f &&
	    host_cmp(m->host, f->front_host) != 0))) {
		f->have_front = 0;
		if ((rc = advance(f)) != LH_OK) {
			lh_match_free(m);
			return rc;
		}
	}
	if ((e = f->spare) != NULL)
		f->spare = e->next;
	else if ((e = malloc(sizeof(*e))) == NULL) {
		lh_match_free(m);
		return LH_FATAL;
	}
	e->m = m;
	e->done = 0;
	e->next = NULL;
	e->bytes = sizeof(*m) + m->render_len + m->message_len +
	    m->host_len + strlen(m->src[0].path) + 48 * m->nf + 64;
	if (fifo_push(f, e) != LH_OK) {
		free(e);
		lh_match_free(m);
		return LH_FATAL;
	}
	if (tab_add(f, e) != LH_OK || set_front(f, m) != LH_OK) {
		e->done = 1;	/* the fifo frees e */
		e->m = NULL;
		lh_match_free(m);
		return LH_FATAL;
	}
	f->bytes += e->bytes;
	if ((rc = advance(f)) != LH_OK)
		return rc;
	return f->bytes > f->wcap ? shed(f) : LH_OK;
}

int
lh_fold_end(struct lh_fold *f)
{
	f->have_front = 0;
	return advance(f);
}

void
lh_fold_free(struct lh_fold *f)
{
	struct ent *e;
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->n; i++) {
		e = f->fifo[(f->head + i) & (f->cap - 1)];
		lh_match_free(e->m);
		free(e);
	}
	while ((e = f->spare) != NULL) {
		f->spare = e->next;
		free(e);
	}
	for (i = 0; i < f->tabcap; i++)
		free(f->tab[i].v);
	while (f->nsparev > 0)
		free(f->sparev[--f->nsparev]);
	for (i = 0; i < f->nh; i++)
		lh_match_free(f->heap[i]);
	free(f->tab);
	free(f->fifo);
	free(f->heap);
	free(f->run);
	free(f->front_host);
	free(f);
}
