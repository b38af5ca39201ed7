/*
 * outpipe.h: prints the hits of a query on a thread of its own while the
 * caller's thread merges and folds the next ones.
 *
 * DESIGN
 * A query's hits come out of the final merge (core/hits.h) one at a time
 * on the caller's thread, after the workers are done: merging, folding
 * and rendering them on that one thread left the other core idle for a
 * third of the run.  The caller hands each folded match (owned) to
 * lh_outpipe_put(); matches travel in batches of LH_OUTPIPE_BATCH through
 * a pool of one thread (core/pool.h: a bounded queue of a few batches,
 * which blocks the caller when the printer falls behind), which renders
 * each with the caller's function into a buffer, writes the buffer to the
 * stream past 64 KiB and frees the match, in the order they were put.
 * When writing fails, the printer keeps the status and drops what comes
 * next, and lh_outpipe_put() returns LH_EOF so that the merge stops.
 * The printed batches come back to the caller's thread, which frees their
 * matches, into a pool of match blocks when it has one (the merger's:
 * lh_outpipe_recycle), as it fills the next batch.
 * Without a thread (none could start) lh_outpipe_put() renders on the
 * caller's thread: the output is the same.
 */
#ifndef LH_OUTPIPE_H
#define LH_OUTPIPE_H

#include <stdio.h>

#include "core/buf.h"
#include "core/match.h"

#define LH_OUTPIPE_BATCH 256	/* matches per hand-over */

/* Appends the rendering of m (borrowed) to b; arg is the caller's. */
typedef void (*lh_outpipe_fn)(struct lh_buf *b, void *arg,
    const struct lh_match *m);

struct lh_outpipe;

/*
 * Returns an owned pipe (free with lh_outpipe_free) that renders with
 * fn(b, arg, m) and writes to fp (borrowed; both must outlive the pipe),
 * starting with the len bytes of head (copied; may be 0), or NULL when
 * out of memory.
 */
struct lh_outpipe *lh_outpipe_create(FILE *fp, lh_outpipe_fn fn, void *arg,
    const char *head, size_t len);
/*
 * From now on the printed matches are freed into pool (borrowed: it must
 * outlive op, and belong to the thread that calls lh_outpipe_put) rather
 * than with lh_match_free.
 */
void lh_outpipe_recycle(struct lh_outpipe *op, struct lh_match_pool *pool);
/*
 * Queues m (ownership taken, whatever the result) to be printed after the
 * matches put before it.  LH_OK, or LH_EOF when writing has failed (the
 * merge should stop; lh_outpipe_end says why).  Call from one thread.
 */
int lh_outpipe_put(struct lh_outpipe *op, struct lh_match *m);
/*
 * Prints what is queued, waits for the printer and flushes fp.  LH_OK,
 * LH_FAIL with errno set (a write failed), or LH_FATAL (out of memory).
 * Call once, before lh_outpipe_free.
 */
int lh_outpipe_end(struct lh_outpipe *op);
/* Stops the printer (dropping what is queued) and frees op; NULL: no-op. */
void lh_outpipe_free(struct lh_outpipe *op);

#endif
