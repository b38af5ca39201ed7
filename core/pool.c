/*
 * pool.c: worker threads fed by a bounded queue (pool.h).
 *
 * DESIGN
 * The pool holds the queue and the thread ids; nothing in it is written
 * after lh_pool_create() but by the caller's thread (joined), so it needs
 * no lock of its own: the queue has one.  The signal mask is set around
 * pthread_create, since a thread inherits its creator's mask.
 */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>

#include "core/pool.h"
#include "core/queue.h"
#include "core/status.h"

struct lh_pool {
	struct lh_queue *q;
	lh_pool_fn fn;
	struct thread {
		pthread_t tid;
		struct lh_pool *pool;
		void *worker;		/* borrowed */
	} *t;
	int n;			/* threads started */
	int joined;
};

/* Asynchronous signals: for the caller's thread, never a worker. */
static const int async_signals[] = {
	SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2,
	SIGALRM, SIGCHLD, SIGTSTP, SIGTTIN, SIGTTOU, SIGWINCH, SIGCONT,
	SIGURG, SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ
};

static void *
run(void *arg)
{
	struct thread *t = arg;
	void *job;

	while (lh_queue_pop(t->pool->q, &job) == LH_OK)
		t->pool->fn(t->worker, job);
	return NULL;
}

static void
start(struct lh_pool *p, int n, void *const *workers)
{
	sigset_t set, old;
	size_t i;
	int k;

	sigemptyset(&set);
	for (i = 0; i < sizeof(async_signals) / sizeof(async_signals[0]); i++)
		sigaddset(&set, async_signals[i]);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	for (k = 0; k < n; k++) {
		p->t[k].pool = p;
		p->t[k].worker = workers[k];
		if (pthread_create(&p->t[k].tid, NULL, run, &p->t[k]) != 0)
			break;
		p->n++;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

struct lh_pool *
lh_pool_create(int n, size_t slots, lh_pool_fn fn, void *const *workers)
{
	struct lh_pool *p = calloc(1, sizeof(*p));

	if (p == NULL || n < 1 ||
	    (p->t = calloc((size_t)n, sizeof(*p->t))) == NULL ||
	    (p->q = lh_queue_create(slots)) == NULL)
		goto fail;
	p->fn = fn;
	start(p, n, workers);
	if (p->n == 0)
		goto fail;
	return p;
fail:
	if (p != NULL) {
		lh_queue_free(p->q);
		free(p->t);
	}
	free(p);
	return NULL;
}

int
lh_pool_threads(const struct lh_pool *p)
{
	return p->n;
}

int
lh_pool_submit(struct lh_pool *p, void *job)
{
	return lh_queue_push(p->q, job);
}

int
lh_pool_trysubmit(struct lh_pool *p, void *job, int *queued)
{
	return lh_queue_trypush(p->q, job, queued);
}

void
lh_pool_join(struct lh_pool *p)
{
	int k;

	if (p->joined)
		return;
	lh_queue_close(p->q);
	for (k = 0; k < p->n; k++)
		pthread_join(p->t[k].tid, NULL);
	p->joined = 1;
}

void
lh_pool_free(struct lh_pool *p)
{
	if (p == NULL)
		return;
	lh_pool_join(p);
	lh_queue_free(p->q);
	free(p->t);
	free(p);
}
