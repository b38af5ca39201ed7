/*
 * pool_stress.c: the worker pool (core/pool.c) under ThreadSanitizer,
 * outside Criterion (which cannot run under TSan, STYLE.md 3.10).
 *
 * DESIGN
 * W workers, each with its own state (a counter and a signal check), take
 * N jobs submitted half with the blocking submit and half with trysubmit
 * retried, through a queue of 4 slots.  Each job is a heap cell written by
 * the submitter and read and freed by a worker: ownership moves through
 * the pool, so TSan reports a race if the pool fails to order those
 * accesses.  After lh_pool_join() every job must have run exactly once,
 * and every worker must have had the asynchronous signals blocked and the
 * synchronous ones (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT) not.
 */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/pool.h"
#include "core/status.h"

#define WORKERS 6
#define JOBS 100000

struct worker {
	size_t done;
	unsigned long sum;
	int bad_mask;
};

static void
run(void *arg, void *job)
{
	struct worker *w = arg;
	unsigned *cell = job;
	sigset_t cur;

	if (w->done == 0) {
		pthread_sigmask(SIG_BLOCK, NULL, &cur);
		w->bad_mask = !sigismember(&cur, SIGINT) ||
		    !sigismember(&cur, SIGTERM) ||
		    !sigismember(&cur, SIGPIPE) ||
		    sigismember(&cur, SIGSEGV) || sigismember(&cur, SIGBUS) ||
		    sigismember(&cur, SIGFPE) || sigismember(&cur, SIGILL) ||
		    sigismember(&cur, SIGABRT);
	}
	w->sum += *cell;
	w->done++;
	free(cell);
}

int
main(void)
{
	struct worker w[WORKERS] = { { 0, 0, 0 } };
	void *wp[WORKERS];
	struct lh_pool *p;
	unsigned long want = 0, sum = 0;
	size_t total = 0;
	unsigned i, bad = 0;
	unsigned *cell;
	int rc, queued, dummy = 0;

	for (i = 0; i < WORKERS; i++)
		wp[i] = &w[i];
	if ((p = lh_pool_create(WORKERS, 4, run, wp)) == NULL)
		return 2;
	for (i = 0; i < JOBS; i++) {
		if ((cell = malloc(sizeof(*cell))) == NULL)
			abort();
		*cell = i;
		want += i;
		if (i & 1) {
			while ((rc = lh_pool_trysubmit(p, cell, &queued)) ==
			    LH_OK && !queued)
				sched_yield();
		} else
			rc = lh_pool_submit(p, cell);
		if (rc != LH_OK)
			abort();
	}
	lh_pool_join(p);
	for (i = 0; i < (unsigned)lh_pool_threads(p); i++) {
		total += w[i].done;
		sum += w[i].sum;
		bad += w[i].done > 0 && w[i].bad_mask;
	}
	/* a joined pool takes nothing */
	if (lh_pool_submit(p, &dummy) != LH_FAIL ||
	    lh_pool_trysubmit(p, &dummy, &queued) != LH_FAIL || queued)
		bad++;
	lh_pool_free(p);
	printf("pool_stress: %zu jobs, %u wrong\n", total, bad);
	return bad != 0 || total != JOBS || sum != want;
}
