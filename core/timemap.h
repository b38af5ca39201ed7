/*
 * timemap.h: where in each source the records of a time lie, learned by
 * the first pass so that the context pass reads only the parts it needs.
 *
 * DESIGN
 * While the first pass reads a line-oriented source, its format tells the
 * map the kind and time of every line (lh_timemap_line): the map cuts the
 * source into chunks of about LH_TIMEMAP_CHUNK bytes, each starting at a
 * record, and keeps per chunk its offset, the number of lines before it,
 * the least and greatest record times in it, and the hosts its records
 * name (a few: a chunk of more hosts, or of a record whose host is not
 * known, is "mixed") -- or that a record's time could not be read cheaply
 * and exactly (then the chunk is always read).  Untimed and boot-relative
 * records never belong to a context and leave the bounds alone.  Only a
 * source read to its end without damage is put into the index
 * (lh_timeindex_put), keyed by its display path; the context pass asks
 * the sealed index for a plan: the byte ranges whose chunks overlap the
 * alert windows (core/gate.h).  A source not in the index is read whole:
 * the map can only make a pass skip what it proved useless.
 */
#ifndef LH_TIMEMAP_H
#define LH_TIMEMAP_H

#include <stddef.h>
#include <stdint.h>

/*
 * Chunks of 64 KiB: the context pass reads about half the records that
 * chunks of 256 KiB make it read (a gzip file is still decompressed up to
 * them), for about 50 bytes of map a chunk.
 */
#ifndef LH_TIMEMAP_CHUNK	/* the fuzz build makes it small (Makefile) */
#define LH_TIMEMAP_CHUNK (64 * 1024)
#endif

/* What a format says of one line (lh_timemap_line). */
enum lh_stamp {
	LH_STAMP_TIME,		/* a record starts here, at the time given */
	LH_STAMP_NONE,		/* a record starts here: untimed or boot time */
	LH_STAMP_CONT,		/* continues the record above, time unknown */
	LH_STAMP_UNKNOWN	/* a record whose time is not known cheaply */
};

/* A byte range [start, end) of a source, lines_before lines into it. */
struct lh_range {
	uint64_t start, end, lines_before;
};

struct lh_timemap;
struct lh_timeindex;

/* Returns an owned, empty map (free with lh_timemap_free) or NULL. */
struct lh_timemap *lh_timemap_create(void);
void lh_timemap_free(struct lh_timemap *tm);

/*
 * Records a line at stream offset off with lines_before lines before it,
 * of kind k (time ts for LH_STAMP_TIME) and host (hlen bytes, borrowed;
 * NULL when the record's host is not known exactly as its event will have
 * it).  Lines come in stream order.  A map that ran out of memory is
 * marked failed and never put.
 */
void lh_timemap_line(struct lh_timemap *tm, uint64_t off,
    uint64_t lines_before, enum lh_stamp k, int64_t ts, const char *host,
    size_t hlen);

/* Marks tm as unusable: its source will not be put in the index. */
void lh_timemap_fail(struct lh_timemap *tm);

/* Returns an owned, empty index (free with lh_timeindex_free) or NULL. */
struct lh_timeindex *lh_timeindex_create(void);
void lh_timeindex_free(struct lh_timeindex *ix);

/*
 * Takes tm (owned by the index from now on, even on failure) as the map of
 * the source path (copied), read to its end.  A map that was told of no
 * line (its format does not map) or holds a single chunk (a small source:
 * reading it again costs little, and a tree of many small files must not
 * make the index grow) is dropped: the source stays unindexed.
 * Thread-safe.  LH_OK or LH_FATAL (out of memory: unindexed too).
 */
int lh_timeindex_put(struct lh_timeindex *ix, const char *path,
    struct lh_timemap *tm);

/*
 * Notes that the first pass read a source of path (borrowed) whose map
 * was not put (lh_timeindex_put notes its own): the seal drops a path read
 * more than once, mapped or not, since two readings under one name (the
 * same file given twice, two members of an archive with one name) may
 * differ.  8 bytes a source.  Thread-safe.  LH_OK or LH_FATAL (out of
 * memory).
 */
int lh_timeindex_note(struct lh_timeindex *ix, const char *path);

/*
 * 1 when the sealed ix holds a map of path (borrowed): a source read
 * exactly once, whose plan the context pass follows; else 0.
 * Thread-safe once sealed.
 */
int lh_timeindex_mapped(const struct lh_timeindex *ix, const char *path);

/* Ends the puts: the index is read-only (and thread-safe) from now on. */
void lh_timeindex_seal(struct lh_timeindex *ix);

struct lh_gate;

/*
 * The plan of source path against gate g (a chunk is read when a window
 * of one of its hosts overlaps its times; a mixed chunk when any window
 * does): 0 when the source is not in the
 * index (read it all); else 1 with *r (owned by the caller, free(3); NULL
 * when *n is 0) the ranges to read, in order and disjoint, the last one
 * open-ended (end UINT64_MAX) when it reaches the last chunk; *n 0 means
 * nothing of the source is needed.  -1 when out of memory.
 */
int lh_timeindex_plan(const struct lh_timeindex *ix, const char *path,
    const struct lh_gate *g, struct lh_range **r, size_t *n);

#endif
