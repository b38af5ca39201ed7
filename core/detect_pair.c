/*
 * detect_pair.c: the stateful rules on two threads (detect_pair.h).
 *
 * DESIGN
 * See detect_pair.h.  The merger sorts out each feeding event by the
 * verdict its snapshot carries (one character per rule, '0': does not
 * feed it): the merger's run is fed what feeds its rules and frees the
 * rest; what feeds a new_terms rule goes to the second run in a batch,
 * and an event that feeds both kinds is fed to the merger's run as a
 * loan (it copies what it keeps) before the batch takes it.  The second
 * run starts at the time of the first feeding event of all, as one run
 * would (a new_terms history begins there): the merger notes it before
 * it hands over the first batch, and the queue orders the two.  The
 * queue holds DEPTH batches: the merger waits when the
 * second thread falls behind, so memory stays bounded.  The second thread
 * never stops early: after a failure it drains the queue, freeing, and
 * lh_detect_pair_end reports it.
 * The blocks of the events the second run is done with go back to the
 * merger, which makes the feeding events in them (the pool of the
 * merger's spill, core/hits.h): the second run keeps them in a pool of
 * its own, and after each batch hands them over in the emptied batch
 * through a queue the other way (without waiting: when it is full they
 * are freed), which the merger drains into its pool when it starts a
 * batch.  Otherwise every feeding event is malloc'd on one thread and
 * freed on the other, and both contend for malloc's arena.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/detect_pair.h"
#include "core/queue.h"
#include "core/status.h"

#define BATCH 512		/* events a batch hands over */
#define DEPTH 8			/* batches in the queue at most */
/*
 * The blocks given back are bounded, as they are not counted against
 * --max-memory: the second run keeps at most POOL2_BYTES of them, and
 * the way back holds BACK_DEPTH batches of them.  POOL2_BYTES holds a
 * batch's blocks (some hundreds of bytes to 2 KiB each): with a quarter
 * of that, half of each batch was freed on this thread, into the
 * merger's malloc arena (its lock, about 20 ms of this thread's 0.45 s
 * on a 1 GB evidence set), and made again by the merger.
 */
#define POOL2_BYTES (1024u << 10)
#define BACK_DEPTH 2

struct batch {
	size_t n;
	struct lh_match *m[BATCH];
};

struct lh_detect_pair {
	struct lh_timeline *tl;
	struct lh_detect_stats *st;	/* the caller's: both runs' sum */
	struct lh_err *err;
	struct lh_detect *d;	/* the merger's run: all, or the others */
	struct lh_detect_stats dst;
	char *terms;		/* per rule: a stateful new_terms rule */
	size_t n;
	uint64_t fed;
	int64_t first;		/* set before the first batch is handed over */
	/* the second run (d2 NULL: none), its thread and its own things */
	struct lh_detect *d2;
	struct lh_timeline *tl2;
	struct lh_detect_stats st2;
	struct lh_err err2;
	struct lh_queue *q;
	struct lh_queue *back;	/* batches of blocks given back */
	struct lh_match_pool *pool;	/* the merger's, or NULL */
	struct lh_match_pool *pool2;	/* the second run's */
	struct batch *b;	/* being filled by the merger */
	pthread_t thread;
	int running;
	int rc2;		/* the second run's result */
};

/* Frees batch b and the events it holds; NULL is a no-op. */
static void
batch_free(struct batch *b)
{
	size_t i;

	for (i = 0; b != NULL && i < b->n; i++)
		lh_match_free(b->m[i]);
	free(b);
}

/*
 * Fills the emptied batch b with the blocks of the second run's pool and
 * hands it back to the merger, or frees both when the way back is full.
 */
static void
give_back(struct lh_detect_pair *p, struct batch *b)
{
	int pushed = 0;

	for (b->n = 0; b->n < BATCH &&
	    (b->m[b->n] = lh_match_pool_take(p->pool2)) != NULL; b->n++)
		;
	if (lh_queue_trypush(p->back, b, &pushed) != LH_OK || !pushed)
		batch_free(b);
}

/*
 * The merger: puts the blocks given back into its pool, and returns an
 * emptied batch to fill (the first given back, else a new one), or NULL
 * when out of memory.
 */
static struct batch *
take_back(struct lh_detect_pair *p)
{
	struct batch *b, *keep = NULL;
	void *item;
	int got;

	while (lh_queue_timedpop(p->back, &item, 0, &got) == LH_OK && got) {
		b = item;
		while (b->n > 0)
			lh_match_pool_put(p->pool, b->m[--b->n]);
		if (keep == NULL)
			keep = b;
		else
			free(b);
	}
	return keep != NULL ? keep : malloc(sizeof(*keep));
}

/* The second thread: feeds the batches to the second run, then ends it. */
static void *
second(void *arg)
{
	struct lh_detect_pair *p = arg;
	struct batch *b;
	size_t i;

	while (lh_queue_pop(p->q, (void **)&b) == LH_OK) {
		/* once: lh_detect_start does nothing the next times */
		if (p->rc2 == LH_OK && lh_detect_start(p->d2, p->first) !=
		    LH_OK)
			p->rc2 = LH_FATAL;
		for (i = 0; i < b->n; i++) {
			if (p->rc2 != LH_OK)
				lh_match_free(b->m[i]);
			else if (lh_detect_feed_owned(p->d2, b->m[i]) != LH_OK)
				p->rc2 = LH_FATAL;
		}
		give_back(p, b);
	}
	if (p->rc2 == LH_OK)
		p->rc2 = lh_detect_end(p->d2);
	return NULL;
}

struct lh_detect_pair *
lh_detect_pair_create(const struct lh_ruleset *rs, int threads,
    struct lh_timeline *tl, struct lh_match_pool *pool,
    struct lh_detect_stats *st, struct lh_err *err)
{
	struct lh_detect_pair *p = calloc(1, sizeof(*p));
	size_t i, nterms = 0, nothers = 0;
	int two;

	memset(st, 0, sizeof(*st));
	if (p == NULL)
		return NULL;
	p->tl = tl;
	p->st = st;
	p->err = err;
	p->n = lh_ruleset_count(rs);
	if ((p->terms = calloc(p->n + 1, 1)) == NULL)
		goto fail;
	for (i = 0; i < p->n; i++) {
		const struct lh_rule *r = lh_ruleset_get(rs, i);

		p->terms[i] = (char)lh_detect_in_part(r, LH_DETECT_TERMS);
		nterms += p->terms[i] != 0;
		nothers += lh_detect_in_part(r, LH_DETECT_OTHERS) != 0;
	}
	two = threads > 1 && nterms > 0 && nothers > 0;
	if ((p->d = lh_detect_create(rs, two ? LH_DETECT_OTHERS :
	    LH_DETECT_ALL, tl, pool, &p->dst, err)) == NULL)
		goto fail;
	p->pool = pool;
	if (!two)
		return p;
	lh_err_clear(&p->err2);
	if ((p->tl2 = lh_timeline_create()) == NULL ||
	    (p->pool2 = lh_match_pool_create(BATCH, POOL2_BYTES)) == NULL ||
	    (p->d2 = lh_detect_create(rs, LH_DETECT_TERMS, p->tl2, p->pool2,
	    &p->st2, &p->err2)) == NULL ||
	    (p->q = lh_queue_create(DEPTH)) == NULL ||
	    (p->back = lh_queue_create(BACK_DEPTH)) == NULL)
		goto fail;
	if (pthread_create(&p->thread, NULL, second, p) != 0)
		goto fail;
	p->running = 1;
	return p;
fail:
	lh_detect_pair_free(p);
	return NULL;
}

/* Hands the batch being filled to the second thread.  LH_OK or LH_FATAL. */
static int
hand_over(struct lh_detect_pair *p)
{
	struct batch *b = p->b;

	p->b = NULL;
	if (b == NULL || lh_queue_push(p->q, b) == LH_OK)
		return LH_OK;
	batch_free(b);
	return LH_FATAL;
}

int
lh_detect_pair_feed(struct lh_detect_pair *p, struct lh_match *m)
{
	int mine = 0, theirs = 0;
	size_t i;

	if (p->fed++ == 0)
		p->first = m->ts;
	if (p->d2 == NULL)
		return lh_detect_feed_owned(p->d, m);
	for (i = 0; i < p->n && m->matched[i] != '\0'; i++) {
		if (m->matched[i] == '0')
			continue;
		if (p->terms[i])
			theirs = 1;
		else
			mine = 1;
	}
	if (!theirs) {
		if (mine)
			return lh_detect_feed_owned(p->d, m);
		lh_match_free(m);
		return LH_OK;
	}
	if (mine && lh_detect_feed(p->d, m) != LH_OK) {
		lh_match_free(m);
		return LH_FATAL;
	}
	if (p->b == NULL) {
		if ((p->b = take_back(p)) == NULL) {
			lh_match_free(m);
			return LH_FATAL;
		}
		p->b->n = 0;
	}
	p->b->m[p->b->n++] = m;
	return p->b->n == BATCH ? hand_over(p) : LH_OK;
}

/* Adds the counts of a to *s; the window is the sum of both at most. */
static void
add_stats(struct lh_detect_stats *s, const struct lh_detect_stats *a)
{
	s->held += a->held;
	s->sequences += a->sequences;
	s->new_terms += a->new_terms;
	s->warmup += a->warmup;
	s->buckets += a->buckets;
	s->evicted += a->evicted;
	s->dropped += a->dropped;
}

int
lh_detect_pair_end(struct lh_detect_pair *p)
{
	int rc, rc2 = LH_OK;

	if (p->fed == 0 || p->d2 == NULL || lh_detect_start(p->d,
	    p->first) == LH_OK)
		rc = lh_detect_end(p->d);
	else
		rc = LH_FATAL;
	if (p->d2 != NULL) {
		if (hand_over(p) != LH_OK)
			rc2 = LH_FATAL;
		lh_queue_close(p->q);
		pthread_join(p->thread, NULL);
		p->running = 0;
		rc2 = rc2 != LH_OK ? rc2 : p->rc2;
		if (rc2 != LH_FATAL && lh_timeline_move(p->tl, p->tl2) !=
		    LH_OK)
			rc2 = LH_FATAL;
	}
	add_stats(p->st, &p->dst);
	add_stats(p->st, &p->st2);
	p->st->fed = p->fed;
	if (rc2 == LH_FATAL || (rc2 == LH_WARN && rc == LH_OK)) {
		if (rc2 == LH_FATAL && p->err2.status == LH_OK)
			lh_err_set(&p->err2, LH_FATAL, ENOMEM,
			    "out of memory");
		if (rc != LH_FATAL)
			*p->err = p->err2;
		rc = rc2;
	}
	return rc;
}

void
lh_detect_pair_free(struct lh_detect_pair *p)
{
	struct batch *b;

	if (p == NULL)
		return;
	if (p->q != NULL)
		lh_queue_close(p->q);	/* the thread drains it and ends */
	if (p->running)
		pthread_join(p->thread, NULL);
	while (p->q != NULL && lh_queue_pop(p->q, (void **)&b) == LH_OK)
		batch_free(b);
	if (p->back != NULL)
		lh_queue_close(p->back);
	while (p->back != NULL && lh_queue_pop(p->back, (void **)&b) ==
	    LH_OK)
		batch_free(b);
	batch_free(p->b);
	lh_detect_free(p->d);
	lh_detect_free(p->d2);
	lh_match_pool_free(p->pool2);
	lh_timeline_free(p->tl2);
	lh_queue_free(p->q);
	lh_queue_free(p->back);
	free(p->terms);
	free(p);
}
