/*
 * queue.c: the bounded blocking queue (queue.h).
 *
 * DESIGN
 * The ring holds len items from head, modulo cap.  A push signals
 * not_empty and a pop signals not_full, one waiter each; close broadcasts
 * both so that every waiter sees closed.
 * Locking: every field below is protected by mu.
 */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "core/queue.h"
#include "core/status.h"

struct lh_queue {
	pthread_mutex_t mu;
	pthread_cond_t not_full;	/* signalled after a pop */
	pthread_cond_t not_empty;	/* signalled after a push or close */
	void **ring;
	size_t cap, head, len;
	int closed;
};

struct lh_queue *
lh_queue_create(size_t cap)
{
	struct lh_queue *q = calloc(1, sizeof(*q));

	if (q == NULL || cap == 0)
		goto fail;
	if ((q->ring = calloc(cap, sizeof(*q->ring))) == NULL)
		goto fail;
	q->cap = cap;
	if (pthread_mutex_init(&q->mu, NULL) != 0)
		goto fail;
	pthread_cond_init(&q->not_full, NULL);
	pthread_cond_init(&q->not_empty, NULL);
	return q;
fail:
	if (q != NULL)
		free(q->ring);
	free(q);
	return NULL;
}

void
lh_queue_free(struct lh_queue *q)
{
	if (q == NULL)
		return;
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->not_full);
	pthread_cond_destroy(&q->not_empty);
	free(q->ring);
	free(q);
}

static int
push_locked(struct lh_queue *q, void *item)
{
	q->ring[(q->head + q->len) % q->cap] = item;
	q->len++;
	pthread_cond_signal(&q->not_empty);
	return LH_OK;
}

int
lh_queue_push(struct lh_queue *q, void *item)
{
	int rc;

	pthread_mutex_lock(&q->mu);
	while (q->len == q->cap && !q->closed)
		pthread_cond_wait(&q->not_full, &q->mu);
	rc = q->closed ? LH_FAIL : push_locked(q, item);
	pthread_mutex_unlock(&q->mu);
	return rc;
}

int
lh_queue_trypush(struct lh_queue *q, void *item, int *pushed)
{
	int rc = LH_OK;

	*pushed = 0;
	pthread_mutex_lock(&q->mu);
	if (q->closed)
		rc = LH_FAIL;
	else if (q->len < q->cap) {
		rc = push_locked(q, item);
		*pushed = 1;
	}
	pthread_mutex_unlock(&q->mu);
	return rc;
}

/* Takes the oldest item, under q->mu: LH_OK, or LH_EOF when empty. */
static int
take_locked(struct lh_queue *q, void **item)
{
	int rc = LH_EOF;

	if (q->len > 0) {
		*item = q->ring[q->head];
		q->head = (q->head + 1) % q->cap;
		q->len--;
		pthread_cond_signal(&q->not_full);
		rc = LH_OK;
	}
	return rc;
}

int
lh_queue_pop(struct lh_queue *q, void **item)
{
	int rc;

	pthread_mutex_lock(&q->mu);
	while (q->len == 0 && !q->closed)
		pthread_cond_wait(&q->not_empty, &q->mu);
	rc = take_locked(q, item);
	pthread_mutex_unlock(&q->mu);
	return rc;
}

int
lh_queue_timedpop(struct lh_queue *q, void **item, long ms, int *got)
{
	struct timespec until;
	int rc = LH_OK;

	*got = 0;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&q->mu);
	while (ms > 0 && q->len == 0 && !q->closed &&
	    pthread_cond_timedwait(&q->not_empty, &q->mu, &until) == 0)
		;
	if (take_locked(q, item) == LH_OK)
		*got = 1;
	else if (q->closed)
		rc = LH_EOF;
	pthread_mutex_unlock(&q->mu);
	return rc;
}

void
lh_queue_close(struct lh_queue *q)
{
	pthread_mutex_lock(&q->mu);
	q->closed = 1;
	pthread_cond_broadcast(&q->not_empty);
	pthread_cond_broadcast(&q->not_full);
	pthread_mutex_unlock(&q->mu);
}
