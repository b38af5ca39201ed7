/*
 * fold.h: folding the records of one event in a sorted stream of matches,
 * in bounded memory.
 *
 * DESIGN
 * The streaming twin of lh_timeline_finish(): given the matches of a run
 * in position order (timed ones by time, then the untimed ones by host and
 * time: the merger's spill sorts them so), it folds the records of one
 * event seen in several sources (SPEC section 6) and hands out the
 * matches in timeline order, exactly as lh_timeline_finish() would order
 * and fold the same matches, while holding only a window of them: the
 * records within the coarsest time precision of the newest (see fold.c).
 * The caller gives the coarsest precision of the records of each identity
 * hash bucket over the whole stream (known once every record has been
 * seen, before the sorted stream begins).  A fold belongs to one thread.
 */
#ifndef LH_FOLD_H
#define LH_FOLD_H

#include <stdint.h>

#include "core/match.h"

#define LH_FOLD_BUCKETS 4096	/* a power of two */

/*
 * Receives each folded match, in timeline order (m borrowed: freed after
 * the call; owned by the callee after lh_fold_give).  LH_OK to go on;
 * anything else stops the fold and is returned by lh_fold_add /
 * lh_fold_end.
 */
typedef int (*lh_fold_fn)(void *arg, const struct lh_match *m);

struct lh_fold;

/*
 * Returns an owned fold (free with lh_fold_free), or NULL when out of
 * memory.  horizon (LH_FOLD_BUCKETS values, borrowed, read as the fold
 * goes) holds, at m->ident & (LH_FOLD_BUCKETS - 1), the coarsest ts_prec
 * of every match of the stream in that bucket.  cap bounds the bytes of
 * the records held (about): past it the earliest are folded and handed
 * out at once, which is exact unless more than cap of records of one time
 * also come from several files.
 */
struct lh_fold *lh_fold_create(const int64_t *horizon, uint64_t cap,
    lh_fold_fn emit, void *arg);
/*
 * From now on emit owns each match it receives (and must free it with
 * lh_match_free) instead of borrowing it.
 */
void lh_fold_give(struct lh_fold *f);
/*
 * Adds m (ownership taken, whatever the result), which must not sort
 * before the previous one in position order; may call emit.  LH_OK,
 * LH_FATAL (out of memory) or what emit returned.
 */
int lh_fold_add(struct lh_fold *f, struct lh_match *m);
/* The end of the stream: folds and emits what is left.  As lh_fold_add. */
int lh_fold_end(struct lh_fold *f);
/* Frees f and the matches it still holds; NULL is a no-op. */
void lh_fold_free(struct lh_fold *f);

#endif
