/*
 * pool.h: worker threads fed by a bounded queue.
 *
 * DESIGN
 * The shape of zstd's POOL: the caller submits jobs to a bounded queue
 * (core/queue.h), which blocks it while full (back-pressure), and each of
 * n threads takes jobs one at a time and runs fn(worker, job) with its own
 * worker state, which the caller made and owns.  The pool knows nothing of
 * what a job is.  Workers block the asynchronous signals (SIGINT, SIGTERM,
 * SIGPIPE, ...) so that the caller's thread handles them; the synchronous
 * ones (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT) stay deliverable, since
 * blocking them would turn a crash into a hang or an undefined state.
 * lh_pool_join() closes the queue, lets the workers drain it and joins
 * every thread (none is detached).
 */
#ifndef LH_POOL_H
#define LH_POOL_H

#include <stddef.h>

struct lh_pool;

/* What a worker runs on each job: worker is its own state, job the item. */
typedef void (*lh_pool_fn)(void *worker, void *job);

/*
 * Starts up to n (>= 1) threads over a queue of slots jobs; thread i runs
 * fn(workers[i], job) for each job it takes.  workers (n pointers) is
 * borrowed and must outlive the pool.  Returns an owned pool (free with
 * lh_pool_free) with at least one thread (lh_pool_threads says how many:
 * workers past that were never used), or NULL when out of memory or no
 * thread could start.
 */
struct lh_pool *lh_pool_create(int n, size_t slots, lh_pool_fn fn,
    void *const *workers);
/* The number of threads running. */
int lh_pool_threads(const struct lh_pool *p);
/*
 * Queues job (the pool owns it until fn has run on it), blocking while the
 * queue is full.  LH_OK, or LH_FAIL after lh_pool_join().  Call from one
 * thread.
 */
int lh_pool_submit(struct lh_pool *p, void *job);
/*
 * Queues job if there is room now, without blocking: LH_OK with *queued 1
 * or 0 (full; job stays the caller's), or LH_FAIL after lh_pool_join().
 */
int lh_pool_trysubmit(struct lh_pool *p, void *job, int *queued);
/*
 * No more jobs: waits until every queued job has run and joins the
 * threads (blocks).  Idempotent.
 */
void lh_pool_join(struct lh_pool *p);
/* Joins (if not done yet) and frees p; NULL is a no-op. */
void lh_pool_free(struct lh_pool *p);

#endif
