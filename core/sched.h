/*
 * sched.h: in which order the files of a run are handed to the workers.
 *
 * DESIGN
 * Longest processing time first: a big file started last would leave
 * every core but one idle at the end.  A streaming walk knows only the
 * next few files (core/scan_run.c), so it picks the most expensive of
 * those: the order of a whole list is for callers that have one.  The
 * cost of a file is estimated from stat() alone, on the caller's thread,
 * which must never open or read an operand: reading a FIFO or a process
 * substitution would eat bytes the worker needs, and opening a FIFO
 * without a writer would block the whole run.  Only the order changes with the estimate, never the output.
 */
#ifndef LH_SCHED_H
#define LH_SCHED_H

#include <stddef.h>
#include <stdint.h>

/*
 * The cost of anything whose size stat() does not tell (standard input, a
 * FIFO, a device): assumed large, so that a slow stream starts early.
 */
#define LH_SCHED_UNKNOWN_COST ((uint64_t)1 << 30)

struct lh_sched_item {
	uint64_t cost;		/* lh_sched_cost() */
	const char *name;	/* borrowed: breaks ties, for a fixed order */
	void *job;		/* borrowed: the caller's */
};

/*
 * The estimated work of reading path ("-": standard input) and, in *size,
 * its size in bytes (0 when not a regular file).  Calls stat() only.
 */
uint64_t lh_sched_cost(const char *path, uint64_t *size);

/* Sorts the n items most expensive first, then by name (byte-wise). */
void lh_sched_order(struct lh_sched_item *items, size_t n);
/*
 * The index of the item lh_sched_order() would put first (n >= 1): the
 * pick from a streaming walk's look-ahead window.
 */
size_t lh_sched_pick(const struct lh_sched_item *items, size_t n);

#endif
