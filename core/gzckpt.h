/*
 * gzckpt.h: places where a gzip stream can be resumed, learned by the
 * first pass so that the context pass does not inflate from the start.
 *
 * DESIGN
 * While the first pass of a text run inflates a gzip file (a file, which
 * seeks, or an archive's member, whose compressed bytes before a
 * checkpoint are then read and dropped: far cheaper than inflating
 * them), its decoder (core/decomp.c) records
 * every LH_GZCKPT_EVERY bytes of output a checkpoint: the uncompressed
 * offset, the compressed offset of the stream below, and the decoder's
 * state there (opaque bytes: what decomp.c needs to resume).  A list of
 * checkpoints read to the end of its source without damage is put into
 * the index under the source's path, the key of the time index
 * (core/timemap.h); the context pass asks the sealed index for the list
 * of a path, and its decoder, told to skip, resumes at the last
 * checkpoint before the target instead of inflating up to it.
 *
 * Memory is bounded by design: the index has a budget for the bytes of
 * all its checkpoints (the CLI gives it 1/16 of --max-memory, at most
 * LH_GZCKPT_BUDGET); a checkpoint that would exceed it is not kept, and
 * the context pass then inflates from the last one kept (or the start),
 * as without checkpoints.  A path put twice (given twice) is dropped
 * when the index is sealed.
 */
#ifndef LH_GZCKPT_H
#define LH_GZCKPT_H

#include <stddef.h>
#include <stdint.h>

/*
 * A checkpoint every 2 MiB of output: about 54 KB each (a 32 KiB window
 * and 21 KB of decoder state and tables), 2.6% of the output; a skip then
 * inflates 1 MiB on average instead of everything before it.  Measured
 * on a 1 GB corpus's text run: 1 MiB skips 7% more content for twice the
 * memory (113 MB for 14.8 MB of checkpoints), 3.9 MiB 13% less (91 MB for
 * 3.6 MB); 2 MiB: 105 MB for 7.9 MB.
 */
#ifndef LH_GZCKPT_EVERY		/* a build may choose (measurements) */
#define LH_GZCKPT_EVERY ((uint64_t)2 << 20)
#endif
/* The most an index keeps, whatever the memory budget: 64 MiB. */
#define LH_GZCKPT_BUDGET ((uint64_t)64 << 20)

/* One checkpoint (read-only to its users; owned by its list). */
struct lh_gzckpt {
	uint64_t out;		/* uncompressed offset */
	uint64_t in;		/* compressed offset in the stream below */
	const unsigned char *state;	/* the decoder's state, len bytes */
	size_t len;
};

struct lh_gzckpts;		/* the checkpoints of one source */
struct lh_gzckpt_index;
struct lh_timeindex;		/* core/timemap.h */

/*
 * Returns an owned, empty index (free with lh_gzckpt_index_free) keeping
 * at most budget bytes of checkpoints, or NULL when out of memory.
 */
struct lh_gzckpt_index *lh_gzckpt_index_create(uint64_t budget);
void lh_gzckpt_index_free(struct lh_gzckpt_index *ix);

/*
 * Returns an owned, empty list (free with lh_gzckpts_free, or hand it to
 * lh_gzckpt_put) charging its checkpoints to ix (borrowed: it must
 * outlive the list), or NULL when out of memory.
 */
struct lh_gzckpts *lh_gzckpts_create(struct lh_gzckpt_index *ix);

/* Frees l and gives its bytes back to the budget; NULL is a no-op. */
void lh_gzckpts_free(struct lh_gzckpts *l);

/*
 * Appends a checkpoint at uncompressed offset out (greater than the last
 * one's) and compressed offset in, whose state is the n1 bytes at p1
 * followed by the n2 bytes at p2 (copied).  Thread-safe for distinct
 * lists of one index.  LH_OK when kept, LH_WARN when the budget is spent
 * (not kept; the list stays usable), LH_FATAL when out of memory.
 */
int lh_gzckpts_add(struct lh_gzckpts *l, uint64_t out, uint64_t in,
    const void *p1, size_t n1, const void *p2, size_t n2);

/*
 * Takes l (owned by the index from now on, even on failure) as the
 * checkpoints of the source path (copied), read to its end.  An empty list
 * is dropped.  Thread-safe.  LH_OK or LH_FATAL (out of memory: dropped).
 */
int lh_gzckpt_put(struct lh_gzckpt_index *ix, const char *path,
    struct lh_gzckpts *l);

/*
 * Sorts the index by path for lh_gzckpt_get and drops the paths put more
 * than once, and those without a map in the sealed time index tx
 * (borrowed; NULL: keep them): the context pass jumps only in a source it
 * reads by a plan, and a name read more than once (another reading under
 * it, say an archive member, may have other bytes) has none
 * (lh_timeindex_mapped).  Call once, after the last put.
 */
void lh_gzckpt_seal(struct lh_gzckpt_index *ix,
    const struct lh_timeindex *tx);

/*
 * The checkpoints of path in the sealed ix (borrowed from ix), or NULL.
 * Thread-safe (read-only).
 */
const struct lh_gzckpts *lh_gzckpt_get(const struct lh_gzckpt_index *ix,
    const char *path);

/*
 * The last checkpoint of l whose uncompressed offset is at most out
 * (borrowed from l), or NULL when none is.
 */
const struct lh_gzckpt *lh_gzckpt_find(const struct lh_gzckpts *l,
    uint64_t out);

/* The bytes of checkpoints ix keeps (for --stats and tests). */
uint64_t lh_gzckpt_bytes(const struct lh_gzckpt_index *ix);

#endif
