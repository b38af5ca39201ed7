/*
 * scan_job.h: what the workers (scan.c) and the merger (scan_run.c) of a
 * run share (not public): a job, the batches of hits it hands over, and
 * the worker's entry point.
 */
#ifndef LH_SCAN_JOB_H
#define LH_SCAN_JOB_H

#include <stdint.h>

#include "core/diag.h"
#include "core/evidence.h"
#include "core/queue.h"
#include "core/scan_int.h"

/*
 * Hits handed from a worker to the merger while a job runs, so that a
 * file with millions of hits is never held whole; done marks a job's
 * last message (then the merger owns the job again).  Owned by whoever
 * holds it: the worker until it pushes it, then the merger.
 */
struct lh_batch {
	struct lh_job *job;
	int done;
	struct lh_arena *arena;	/* where rendered hits live, or NULL */
	struct lh_match **m;
	size_t n, cap;
	size_t bytes;		/* about what the hits hold */
};

struct lh_job {
	char *path;
	uint64_t seq;		/* walk order */
	uint64_t cost;		/* estimated work, for scheduling */
	uint64_t size;		/* bytes on disk, for progress */
	size_t walk_mark;	/* walk problems met before it */
	struct lh_arena *arena;	/* the job's rendered hits, or NULL */
	struct lh_diag diag;
	struct lh_match **m;	/* matches (not streamed) */
	size_t nm, capm;
	struct lh_match **x;	/* events kept by cfg->select */
	size_t nx, capx;
	struct lh_scan_stats st;
	int status;
	int named;		/* named on the command line, not walked to */
	int done;		/* its last batch came back */
	struct lh_boots *boots;	/* kernel records with both clocks */
	struct lh_batch fin;	/* the last message: never fails to exist */
};

/* cfg->stop is set: one relaxed load, cheap enough per record. */
static inline int
lh_scan_stopping(const struct lh_scan_config *cfg)
{
	return cfg->stop != NULL &&
	    atomic_load_explicit(cfg->stop, memory_order_relaxed) != 0;
}

/* What a worker needs of the run besides cfg. */
struct lh_worker_env {
	const struct lh_scan_config *cfg;
	const struct lh_scan_pf *pf;
	struct lh_evidence *tree;
	struct lh_queue *results;	/* batches to the merger */
	int stream;			/* hits go out in batches */
};

/*
 * Makes the state of up to n workers into *ws (an owned array, free with
 * lh_workers_free) and their addresses into wp (n slots); returns how many
 * were made (0 when out of memory).
 */
int lh_workers_make(const struct lh_worker_env *env, void **ws, void **wp,
    int n);
void lh_workers_free(void *ws, int n);
/* The pool's function: reads the file of job (a struct lh_job). */
void lh_scan_work(void *worker, void *job);

#endif
