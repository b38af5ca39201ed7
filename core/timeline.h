/*
 * timeline.h: the matches of a run, in time order, one per event.
 *
 * DESIGN
 * The timeline is filled by the single merger after the workers are done.
 * lh_timeline_finish() sorts by time (events with boot-relative time after
 * the timed ones, by host) and folds records of the same event seen in
 * several sources (lh_match_ident / lh_match_same_time, SPEC §6) into one
 * match that lists them all; two identical lines of one file stay two
 * events.  The order depends only on content, never on -j.  A timeline
 * belongs to one thread.
 */
#ifndef LH_TIMELINE_H
#define LH_TIMELINE_H

#include <stddef.h>

#include "core/match.h"

struct lh_timeline;
struct lh_arena;

/* Returns an owned, empty timeline (free with lh_timeline_free) or NULL. */
struct lh_timeline *lh_timeline_create(void);
/* Frees tl, its matches and its arenas; NULL is a no-op. */
void lh_timeline_free(struct lh_timeline *tl);
/* Takes ownership of m on LH_OK; on LH_FATAL m stays the caller's. */
int lh_timeline_add(struct lh_timeline *tl, struct lh_match *m);
/*
 * Takes ownership of an arena holding matches added to tl on LH_OK; on
 * LH_FATAL (out of memory) the arena stays the caller's, who must keep it
 * as long as matches of tl point into it.
 */
int lh_timeline_adopt(struct lh_timeline *tl, struct lh_arena *arena);
/* Sorts and folds duplicates (see DESIGN).  Call once, after all adds. */
int lh_timeline_finish(struct lh_timeline *tl);
/*
 * Moves every match of src, and the arenas they live in, to dst; src is
 * left empty.  LH_OK, or LH_FATAL (out of memory; nothing moved).
 */
int lh_timeline_move(struct lh_timeline *dst, struct lh_timeline *src);
/*
 * Sorts tl in timeline order without folding, so that the merger visits
 * the matches (lh_timeline_at) in an order that does not depend on the
 * order they were added in.  Before lh_timeline_finish.  LH_OK or
 * LH_FATAL.
 */
int lh_timeline_sort(struct lh_timeline *tl);
size_t lh_timeline_count(const struct lh_timeline *tl);
/*
 * 0 when no match was boot-relative (LH_TS_BOOT) when added: none is (a
 * match is dated, never made boot-relative, after), so a caller need not
 * look at every match; 1 when some may be.
 */
int lh_timeline_may_have_boot(const struct lh_timeline *tl);
/*
 * Match i in the order added, for the merger to amend before
 * lh_timeline_finish (borrowed; valid until then).
 */
struct lh_match *lh_timeline_at(struct lh_timeline *tl, size_t i);
/* Match i in timeline order (borrowed; valid until tl is freed). */
const struct lh_match *lh_timeline_get(const struct lh_timeline *tl,
    size_t i);

#endif
