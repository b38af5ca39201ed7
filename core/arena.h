/*
 * arena.h: bump allocation in large chunks, freed all at once.
 *
 * DESIGN
 * A query can keep hundreds of thousands of hits.  Allocated one by one
 * from a worker thread's malloc arena, they cost a heap growth (mprotect)
 * and page faults every few kilobytes; from 1 MiB chunks mapped with
 * MAP_POPULATE they cost one system call per chunk.  An arena belongs to
 * one thread at a time; it moves with its job to the merger and then to
 * the timeline, which frees it.
 */
#ifndef LH_ARENA_H
#define LH_ARENA_H

#include <stddef.h>

struct lh_arena;

/* Returns an owned, empty arena (free with lh_arena_free) or NULL. */
struct lh_arena *lh_arena_create(void);
/* Frees every chunk; NULL is a no-op. */
void lh_arena_free(struct lh_arena *a);
/* n bytes aligned for any type, valid until lh_arena_free, or NULL. */
void *lh_arena_alloc(struct lh_arena *a, size_t n);

#endif
