/*
 * queue.h: a bounded, blocking multi-producer multi-consumer queue.
 *
 * DESIGN
 * A ring of cap pointers under one mutex with two condition variables (the
 * shape of zstd's POOL queue).  push blocks while the ring is full, which
 * is the back-pressure that keeps the walker from running ahead of the
 * workers; pop blocks while it is empty and returns LH_EOF once the queue
 * is closed and drained.  Pushing transfers ownership of the item.
 */
#ifndef LH_QUEUE_H
#define LH_QUEUE_H

#include <stddef.h>

struct lh_queue;

/* Returns an owned queue of cap slots (free with lh_queue_free) or NULL. */
struct lh_queue *lh_queue_create(size_t cap);
/* Frees q (which must be empty of owned items); NULL is a no-op. */
void lh_queue_free(struct lh_queue *q);
/*
 * Adds item, blocking while full; q takes ownership of it on LH_OK.
 * LH_OK, or LH_FAIL if q is closed.  Thread-safe.
 */
int lh_queue_push(struct lh_queue *q, void *item);
/*
 * Adds item if there is room now, without blocking.  Returns LH_OK with
 * *pushed 1 (q took ownership of item) or 0 (q was full: item stays the
 * caller's; try again later), or LH_FAIL if q is closed.  A full queue is
 * not a problem, so it is not a status.
 */
int lh_queue_trypush(struct lh_queue *q, void *item, int *pushed);
/*
 * Takes the oldest item (the caller owns it), blocking while empty.  LH_OK,
 * or LH_EOF once q is closed and drained.  Thread-safe.
 */
int lh_queue_pop(struct lh_queue *q, void **item);
/*
 * lh_queue_pop() that waits at most ms milliseconds: LH_OK with *got 1 (the
 * caller owns *item) or 0 (nothing came in time), or LH_EOF once q is
 * closed and drained.  Thread-safe.
 */
int lh_queue_timedpop(struct lh_queue *q, void **item, long ms, int *got);
/* No more pushes; wakes every waiter.  Thread-safe. */
void lh_queue_close(struct lh_queue *q);

#endif
