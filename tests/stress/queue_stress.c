/*
 * queue_stress.c: the bounded queue (core/queue.c) under ThreadSanitizer,
 * outside Criterion (which cannot run under TSan, STYLE.md 3.10).
 *
 * DESIGN
 * P producers push N items each (half with the blocking push, half with
 * trypush retried), C consumers pop until LH_EOF, through a queue of only
 * 4 slots so that both full and empty waits happen all the time.  Each item
 * is a heap cell written by its producer and read and freed by its
 * consumer: ownership moves through the queue, so TSan reports a race if
 * the queue fails to order those accesses.  Every item must arrive exactly
 * once; the exit status says whether they did.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/queue.h"
#include "core/status.h"

#define PRODUCERS 8
#define CONSUMERS 8
#define PER_PRODUCER 20000

struct item {
	unsigned producer, seq;
};

static struct lh_queue *q;
static unsigned char seen[PRODUCERS][PER_PRODUCER];	/* by the consumers */
static pthread_mutex_t seen_lock = PTHREAD_MUTEX_INITIALIZER;

static void *
produce(void *arg)
{
	unsigned id = (unsigned)(size_t)arg, i;
	struct item *it;
	int rc, pushed;

	for (i = 0; i < PER_PRODUCER; i++) {
		if ((it = malloc(sizeof(*it))) == NULL)
			abort();
		it->producer = id;
		it->seq = i;
		if (i & 1) {
			while ((rc = lh_queue_trypush(q, it, &pushed)) ==
			    LH_OK && !pushed)
				sched_yield();
		} else
			rc = lh_queue_push(q, it);
		if (rc != LH_OK)
			abort();
	}
	return NULL;
}

static void *
consume(void *arg)
{
	size_t *count = arg;
	void *p;
	struct item *it;

	while (lh_queue_pop(q, &p) == LH_OK) {
		it = p;
		pthread_mutex_lock(&seen_lock);
		seen[it->producer][it->seq]++;
		pthread_mutex_unlock(&seen_lock);
		free(it);
		(*count)++;
	}
	return NULL;
}

int
main(void)
{
	pthread_t pt[PRODUCERS], ct[CONSUMERS];
	size_t counts[CONSUMERS] = { 0 }, total = 0;
	unsigned i, k, bad = 0;
	int dummy = 0, pushed;

	if ((q = lh_queue_create(4)) == NULL)
		return 2;
	for (i = 0; i < CONSUMERS; i++)
		if (pthread_create(&ct[i], NULL, consume, &counts[i]) != 0)
			return 2;
	for (i = 0; i < PRODUCERS; i++)
		if (pthread_create(&pt[i], NULL, produce, (void *)(size_t)i))
			return 2;
	for (i = 0; i < PRODUCERS; i++)
		pthread_join(pt[i], NULL);
	lh_queue_close(q);
	for (i = 0; i < CONSUMERS; i++) {
		pthread_join(ct[i], NULL);
		total += counts[i];
	}
	/* a closed queue refuses pushes and pops nothing */
	if (lh_queue_push(q, &dummy) != LH_FAIL ||
	    lh_queue_trypush(q, &dummy, &pushed) != LH_FAIL || pushed)
		bad++;
	for (i = 0; i < PRODUCERS; i++)
		for (k = 0; k < PER_PRODUCER; k++)
			bad += seen[i][k] != 1;
	lh_queue_free(q);
	printf("queue_stress: %zu items, %u wrong\n", total, bad);
	return bad != 0 || total != (size_t)PRODUCERS * PER_PRODUCER;
}
