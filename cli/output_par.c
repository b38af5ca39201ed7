/*
 * output_par.c: many alerts (a new_terms rule over a large evidence makes
 * tens of thousands) rendered on two threads and written in order
 * (output_par.h).
 *
 * The items are cut in blocks of BLOCK consecutive ones.  The caller's
 * thread renders the even blocks and writes every block; a helper thread
 * renders the odd ones into one of two buffers of its own, so that it can
 * render the next while the caller writes the last.  Block 2j+1 goes to
 * buffer j % 2; a buffer is the helper's while not full, the writer's
 * while full.  The bytes written are those of one thread rendering and
 * writing item after item: the blocks are written in their order.
 */
#include <pthread.h>
#include <stdio.h>

#include "cli/output_int.h"
#include "cli/output_par.h"
#include "core/pool.h"
#include "core/status.h"

#define BLOCK 256	/* items per block */

struct par {
	size_t n;
	lh_out_render_fn *fn;
	void *arg;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct lh_buf buf[2];	/* the helper's renderings */
	int full[2];		/* buf[k] holds a block to write */
	int stop;		/* the writer gave up: the helper ends */
};

/* Renders the items of block k into b. */
static void
render_block(const struct par *p, struct lh_buf *b, size_t k)
{
	size_t i, end = (k + 1) * BLOCK < p->n ? (k + 1) * BLOCK : p->n;

	for (i = k * BLOCK; i < end; i++)
		p->fn(p->arg, b, i);
}

/*
 * Waits until buffer j % 2 is full (full) or free (!full), or, for the
 * helper (stoppable), until the writer gave up; returns p->stop.
 */
static int
await_slot(struct par *p, size_t j, int full, int stoppable)
{
	int stop;

	pthread_mutex_lock(&p->mu);
	while (p->full[j % 2] != full && !(stoppable && p->stop))
		pthread_cond_wait(&p->cv, &p->mu);
	stop = p->stop;
	pthread_mutex_unlock(&p->mu);
	return stop;
}

/* Marks buffer j % 2 full or free and wakes the other thread. */
static void
mark_slot(struct par *p, size_t j, int full)
{
	pthread_mutex_lock(&p->mu);
	p->full[j % 2] = full;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

/*
 * The helper (the one job of a pool of one thread, core/pool.h, which
 * leaves the signals to the caller's thread): the odd blocks, each into
 * the buffer the writer freed.
 */
static void
helper(void *worker, void *job)
{
	struct par *p = worker;
	size_t j;

	(void)job;
	for (j = 0; (2 * j + 1) * BLOCK < p->n; j++) {
		if (await_slot(p, j, 0, 1))
			break;
		render_block(p, &p->buf[j % 2], 2 * j + 1);
		mark_slot(p, j, 1);
	}
}

/*
 * Writes the helper's block 2j+1 once rendered and hands its buffer back.
 * As lh_out_put().
 */
static int
write_odd(FILE *fp, struct par *p, size_t j)
{
	int rc;

	(void)await_slot(p, j, 1, 0);
	rc = lh_out_put(fp, &p->buf[j % 2]);
	mark_slot(p, j, 0);
	return rc;
}

/* Both threads, the helper's running pool; as lh_out_par(). */
static int
run_two(FILE *fp, struct par *p, struct lh_pool *pool)
{
	struct lh_buf b = { 0 };
	size_t j;
	int rc = LH_OK;

	if (lh_pool_submit(pool, p) != LH_OK)
		return LH_FATAL;
	for (j = 0; 2 * j * BLOCK < p->n && rc == LH_OK; j++) {
		render_block(p, &b, 2 * j);
		rc = lh_out_put(fp, &b);
		if (rc == LH_OK && (2 * j + 1) * BLOCK < p->n)
			rc = write_odd(fp, p, j);
	}
	pthread_mutex_lock(&p->mu);
	p->stop = 1;	/* (the helper may wait for a buffer no one frees) */
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	lh_pool_join(pool);
	lh_buf_free(&b);
	return rc;
}

/* One thread: each item rendered and written in turn. */
static int
run_one(FILE *fp, size_t n, lh_out_render_fn *fn, void *arg)
{
	struct lh_buf b = { 0 };
	size_t i;
	int rc = LH_OK;

	for (i = 0; i < n && rc == LH_OK; i++) {
		fn(arg, &b, i);
		rc = lh_out_put(fp, &b);
	}
	lh_buf_free(&b);
	return rc;
}

int
lh_out_par(FILE *fp, size_t n, lh_out_render_fn *fn, void *arg,
    int threads)
{
	struct par p = { 0 };
	struct lh_pool *pool;
	void *self[1];
	int rc;

	if (threads <= 1 || n < 4 * BLOCK)
		return run_one(fp, n, fn, arg);
	p.n = n;
	p.fn = fn;
	p.arg = arg;
	self[0] = &p;
	if (pthread_mutex_init(&p.mu, NULL) != 0)
		return run_one(fp, n, fn, arg);
	if (pthread_cond_init(&p.cv, NULL) != 0) {
		pthread_mutex_destroy(&p.mu);
		return run_one(fp, n, fn, arg);
	}
	/* no thread to be had: the same bytes from this one */
	if ((pool = lh_pool_create(1, 1, helper, self)) == NULL)
		rc = run_one(fp, n, fn, arg);
	else
		rc = run_two(fp, &p, pool);
	lh_pool_free(pool);
	pthread_cond_destroy(&p.cv);
	pthread_mutex_destroy(&p.mu);
	lh_buf_free(&p.buf[0]);
	lh_buf_free(&p.buf[1]);
	return rc;
}
