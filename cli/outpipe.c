/*
 * outpipe.c: a query's hits rendered and written by a thread of their own
 * (outpipe.h, which has the DESIGN).
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "cli/outpipe.h"
#include "core/pool.h"
#include "core/queue.h"
#include "core/status.h"

#define FLUSH_AT 65536		/* bytes rendered before a write */
#define SLOTS 4			/* batches queued for the printer */
/*
 * Batches in use at once: queued, being printed, being filled; one more
 * is allocated only when none has come back, so the printed ones coming
 * back never fill the queue of returns.
 */
#define BATCHES (SLOTS + 2)

struct batch {
	size_t n;
	struct lh_match *m[LH_OUTPIPE_BATCH];
};

struct lh_outpipe {
	FILE *fp;
	lh_outpipe_fn fn;
	void *arg;
	struct lh_buf b;	/* the printer's rendering */
	struct batch *cur;	/* the caller's, being filled */
	struct lh_pool *pool;	/* the printer, or NULL: the caller prints */
	struct lh_queue *back;	/* batches printed, their matches to free */
	struct lh_match_pool *mpool;	/* where they go, or NULL */
	void *self[1];		/* the pool's worker: this pipe */
	atomic_int rc;		/* LH_OK until the first failure */
	int err;		/* errno of a failed write (the printer's) */
};

/* Keeps the first failure. */
static void
fail(struct lh_outpipe *op, int rc)
{
	int ok = LH_OK;

	atomic_compare_exchange_strong(&op->rc, &ok, rc);
}

static int
failed(struct lh_outpipe *op)
{
	return atomic_load_explicit(&op->rc, memory_order_relaxed) != LH_OK;
}

/* Writes the rendered bytes (the printer). */
static void
flush(struct lh_outpipe *op)
{
	if (lh_buf_status(&op->b) != LH_OK) {
		fail(op, LH_FATAL);
	} else if (op->b.len > 0 && !failed(op) &&
	    fwrite(op->b.p, 1, op->b.len, op->fp) != op->b.len) {
		op->err = errno;
		fail(op, LH_FAIL);
	}
	lh_buf_reset(&op->b);
}

/* Renders m (the printer, or the caller without one). */
static void
print_one(struct lh_outpipe *op, const struct lh_match *m)
{
	if (!failed(op)) {
		op->fn(&op->b, op->arg, m);
		if (op->b.len >= FLUSH_AT)
			flush(op);
	}
}

/* Frees the matches of bt into mp (NULL: lh_match_free); bt stays. */
static void
drop(struct batch *bt, struct lh_match_pool *mp)
{
	size_t i;

	for (i = 0; i < bt->n; i++)
		lh_match_pool_put(mp, bt->m[i]);
	bt->n = 0;
}

/*
 * Prints a batch and hands it back to the caller, who frees its matches:
 * freeing them here, away from the thread that allocated them, made the
 * two threads fight over malloc's lock.
 */
static void
print_batch(void *worker, void *job)
{
	struct lh_outpipe *op = worker;
	struct batch *bt = job;
	size_t i;

	for (i = 0; i < bt->n; i++)
		print_one(op, bt->m[i]);
	if (lh_queue_push(op->back, bt) != LH_OK) {	/* never: see BATCHES */
		drop(bt, NULL);	/* the pool is the caller's */
		free(bt);
	}
}

/* A batch to fill: one printed (its matches freed), or a new one. */
static struct batch *
empty_batch(struct lh_outpipe *op)
{
	void *item;
	int got = 0;

	if (lh_queue_timedpop(op->back, &item, 0, &got) == LH_OK && got) {
		drop(item, op->mpool);
		return item;
	}
	if ((item = malloc(sizeof(struct batch))) != NULL)
		((struct batch *)item)->n = 0;
	return item;
}

struct lh_outpipe *
lh_outpipe_create(FILE *fp, lh_outpipe_fn fn, void *arg, const char *head,
    size_t len)
{
	struct lh_outpipe *op = calloc(1, sizeof(*op));

	if (op == NULL)
		return NULL;
	op->fp = fp;
	op->fn = fn;
	op->arg = arg;
	atomic_init(&op->rc, LH_OK);
	op->self[0] = op;
	if (len > 0)
		lh_buf_append(&op->b, head, len);
	if (lh_buf_status(&op->b) != LH_OK) {
		lh_outpipe_free(op);
		return NULL;
	}
	if ((op->back = lh_queue_create(BATCHES)) == NULL) {
		lh_outpipe_free(op);
		return NULL;
	}
	/* no thread: the caller prints (the same output) */
	op->pool = lh_pool_create(1, SLOTS, print_batch, op->self);
	return op;
}

void
lh_outpipe_recycle(struct lh_outpipe *op, struct lh_match_pool *pool)
{
	op->mpool = pool;
}

/* Hands the batch being filled to the printer. */
static int
hand(struct lh_outpipe *op)
{
	struct batch *bt = op->cur;

	op->cur = NULL;
	if (lh_pool_submit(op->pool, bt) == LH_OK)
		return LH_OK;
	drop(bt, op->mpool);
	free(bt);
	fail(op, LH_FATAL);
	return LH_EOF;
}

int
lh_outpipe_put(struct lh_outpipe *op, struct lh_match *m)
{
	if (failed(op)) {
		lh_match_pool_put(op->mpool, m);
		return LH_EOF;
	}
	if (op->pool == NULL) {
		print_one(op, m);
		lh_match_pool_put(op->mpool, m);
		return failed(op) ? LH_EOF : LH_OK;
	}
	if (op->cur == NULL && (op->cur = empty_batch(op)) == NULL) {
		lh_match_free(m);
		fail(op, LH_FATAL);
		return LH_EOF;
	}
	op->cur->m[op->cur->n++] = m;
	return op->cur->n == LH_OUTPIPE_BATCH ? hand(op) : LH_OK;
}

int
lh_outpipe_end(struct lh_outpipe *op)
{
	int rc;

	if (op->cur != NULL && op->cur->n > 0)
		(void)hand(op);
	if (op->pool != NULL)
		lh_pool_join(op->pool);	/* the printer is done */
	flush(op);
	rc = atomic_load(&op->rc);
	if (rc == LH_FAIL)
		errno = op->err;
	return rc;
}

void
lh_outpipe_free(struct lh_outpipe *op)
{
	void *item;
	int got;

	if (op == NULL)
		return;
	if (op->cur != NULL) {
		drop(op->cur, op->mpool);
		free(op->cur);
	}
	fail(op, LH_EOF);	/* the printer skips what is queued */
	lh_pool_free(op->pool);
	while (op->back != NULL && lh_queue_timedpop(op->back, &item, 0,
	    &got) == LH_OK && got) {
		drop(item, op->mpool);
		free(item);
	}
	lh_queue_free(op->back);
	lh_buf_free(&op->b);
	free(op);
}
