/*
 * arena.h: bump allocation in chunks, freed all at once.
 *
 * DESIGN
 * One allocator for two uses.  A query can keep hundreds of thousands of
 * hits: allocated one by one from a worker thread's malloc arena, they
 * cost a heap growth (mprotect) and page faults every few kilobytes; from
 * 1 MiB chunks mapped with MAP_POPULATE (lh_arena_create) they cost one
 * system call per chunk.  An event copies the strings of one record at a
 * time (lh_arena_create_bytes): small malloc'd chunks, no alignment, and
 * lh_arena_reset() between records keeps the first chunk and frees the
 * others, so a worker's memory is bounded by its largest record.  Chunks
 * never move: a pointer handed out stays valid until the next reset or the
 * free.  An arena belongs to one thread at a time; a query's arena moves
 * with its job to the merger and then to the timeline, which frees it.
 */
#ifndef LH_ARENA_H
#define LH_ARENA_H

#include <stddef.h>

struct lh_arena;

/*
 * Returns an owned, empty arena of 1 MiB mapped chunks whose allocations
 * are aligned for any type (free with lh_arena_free), or NULL.
 */
struct lh_arena *lh_arena_create(void);
/*
 * Returns an owned, empty arena of malloc'd chunks of at least chunk bytes
 * whose allocations are not aligned (strings), or NULL.
 */
struct lh_arena *lh_arena_create_bytes(size_t chunk);
/*
 * Returns an owned, empty arena of malloc'd chunks of at least chunk bytes
 * whose allocations are aligned for any type, or NULL: for short-lived
 * arenas (a batch of query hits), whose chunks malloc recycles while they
 * are warm, where a fresh mapping would fault its pages in again.
 */
struct lh_arena *lh_arena_create_heap(size_t chunk);
/* Frees every chunk; NULL is a no-op. */
void lh_arena_free(struct lh_arena *a);
/* Forgets every allocation, keeping the first chunk for reuse. */
void lh_arena_reset(struct lh_arena *a);
/* n bytes, valid until lh_arena_reset or lh_arena_free, or NULL. */
void *lh_arena_alloc(struct lh_arena *a, size_t n);

/*
 * n zeroed bytes (n > 0), mapped with all their pages made at once
 * (MAP_POPULATE: one system call, not a page fault per 4 KiB on first
 * touch, which a big table filled at random would take); free with
 * lh_map_free(p, n).  NULL when out of memory.
 */
void *lh_map_zeroed(size_t n);
/* Unmaps n bytes from lh_map_zeroed(); NULL is a no-op. */
void lh_map_free(void *p, size_t n);

#endif
