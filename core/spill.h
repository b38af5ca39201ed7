/*
 * spill.h: an external merge sort of records in bounded memory.
 *
 * DESIGN
 * What sort(1) does, for the merger's records (query hits rendered by the
 * workers): records are kept in memory up to a budget; beyond it the
 * smallest are written, in order, to runs in temporary files, and the end
 * merges the runs and what is still in memory into one sorted stream
 * handed to a callback.  Memory stays within the budget whatever the
 * input size, and at most about fanin run files are open at once (runs
 * of one level are merged into one of the next when fanin of them
 * exist).
 *
 * Records come out in runs by replacement selection: a record not smaller
 * than the last one written joins the run being written, so an input that
 * is already sorted (a log file) makes one run, and one that is nearly
 * sorted (several files of the same days, lines a little out of order)
 * makes runs far longer than the budget.  An input that fits in the
 * budget writes nothing.
 *
 * Temporary files are made with mkstemp(3) in the directory the caller
 * names and unlinked at once: they are read back through the descriptor
 * kept open, so none outlives the process, even one killed.  Runs are
 * written in blocks by a thread of the spill's own: the first raw_first
 * bytes of blocks as they are, the rest compressed with zstd (when the
 * budget has room for its contexts: from about 1 MB), and a merge gives
 * back the space of its inputs as it reads them (core/spill_run.h).
 *
 * Order: by default group, time, host (none first), path, line, offset,
 * then the bytes - a total order, so the output does not depend on the
 * order of the adds (nor on -j).  The records of one event seen in
 * several files (SPEC section 6) have times within the coarser precision
 * of their stamps, so they come out within that window of each other: a
 * consumer folds them with a window of the records of the last second or
 * so, never the whole stream.  A caller with another order (the
 * timeline's: boot-relative records by host first) passes its compare.
 *
 * A spill belongs to one thread (its writer thread is its own business).
 */
#ifndef LH_SPILL_H
#define LH_SPILL_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define LH_SPILL_FANIN 64		/* default runs merged at once */
#define LH_SPILL_MIN_BUDGET (256 * 1024)

/* The sort key of a record; host may be NULL (no host). */
struct lh_spill_key {
	int32_t group;		/* sorts first (e.g. 0 timed, 1 not) */
	int64_t time;		/* µs */
	const char *host;	/* host_len bytes, or NULL */
	size_t host_len;
	const char *path;	/* path_len bytes (never NULL) */
	size_t path_len;
	uint64_t line, offset;	/* position in path */
};

/* A record as handed back: every pointer valid until the callback returns. */
struct lh_spill_rec {
	struct lh_spill_key key;
	const void *data;	/* the opaque bytes given to lh_spill_add */
	size_t len;
};

/*
 * A total order on records: < 0, 0 or > 0.  Must be consistent for the
 * whole life of the spill; called from the spill's thread only.
 */
typedef int (*lh_spill_cmp)(const struct lh_spill_rec *a,
    const struct lh_spill_rec *b, void *arg);
/* Receives each record in order: LH_OK to go on, anything else to stop. */
typedef int (*lh_spill_fn)(void *arg, const struct lh_spill_rec *r);

/*
 * A spill of up to 512 MiB costs the page cache less than zstd costs the
 * CPU (level 1 packs about 0.5 GB/s: a query of a million hits spent more
 * time compressing than reading): that much is written as it is, and only
 * a longer spill is compressed, to stay about a tenth of its size on disk.
 */
#define LH_SPILL_RAW_FIRST ((uint64_t)512 << 20)

struct lh_spill_opts {
	const char *dir;	/* for temporary files (borrowed); NULL: /tmp */
	uint64_t budget;	/* bytes; raised to LH_SPILL_MIN_BUDGET */
	unsigned fanin;		/* 0: LH_SPILL_FANIN; at least 2 */
	lh_spill_cmp cmp;	/* NULL: lh_spill_key_cmp */
	void *cmp_arg;
	/*
	 * Bytes of blocks written as they are before compression starts
	 * (0: LH_SPILL_RAW_FIRST; 1: compress every block).
	 */
	uint64_t raw_first;
};

struct lh_spill_stats {
	uint64_t records;	/* added */
	uint64_t bytes;		/* added: keys and data */
	uint64_t spilled;	/* bytes written to temporary files */
	uint64_t peak_disk;	/* the most in temporary files at once */
	uint64_t runs;		/* runs written by replacement selection */
	uint64_t passes;	/* merges of runs into a longer run */
	uint64_t peak_memory;	/* the most accounted at once */
	unsigned max_open;	/* the most temporary files open at once */
};

/*
 * Returns an owned, empty spill (free with lh_spill_free) with the options
 * of o (borrowed; o->dir must outlive the spill), or NULL with err
 * (LH_FATAL, ENOMEM).  Creates no file nor thread until one is needed.
 */
struct lh_spill *lh_spill_create(const struct lh_spill_opts *o,
    struct lh_err *err);
/*
 * Adds a copy of the record (key and len bytes of data, borrowed).  May
 * write to a temporary file (blocks).  LH_OK, or LH_FATAL with err (out of
 * memory, a temporary file that cannot be made or written: "DIR: No
 * space left on device").  Not after lh_spill_finish().
 */
int lh_spill_add(struct lh_spill *sp, const struct lh_spill_key *key,
    const void *data, size_t len, struct lh_err *err);

/* A piece of a record's data, borrowed. */
struct lh_spill_part {
	const void *p;
	size_t n;
};

/*
 * lh_spill_add() of the data made of the n parts (borrowed) one after the
 * other, copied once.
 */
int lh_spill_addv(struct lh_spill *sp, const struct lh_spill_key *key,
    const struct lh_spill_part *part, size_t n, struct lh_err *err);
/*
 * Calls fn(arg, r) on every record, in order, once; the spill is spent
 * afterwards (only lh_spill_stats and lh_spill_free are left).  Returns
 * LH_OK, what fn returned when it stopped the stream, or LH_FATAL with
 * err (a temporary file unreadable or unwritable, out of memory).
 */
int lh_spill_finish(struct lh_spill *sp, lh_spill_fn fn, void *arg,
    struct lh_err *err);
/* The counters so far. */
void lh_spill_stats(const struct lh_spill *sp, struct lh_spill_stats *st);
/* Frees sp and closes its temporary files (gone already); NULL is a no-op. */
void lh_spill_free(struct lh_spill *sp);

/* The default order (see DESIGN); arg is unused. */
int lh_spill_key_cmp(const struct lh_spill_rec *a,
    const struct lh_spill_rec *b, void *arg);

#endif
