/*
 * timeline_int.h: what timeline.c and fold.c share (not public): the one
 * definition of the timeline's orders and of folding (SPEC section 6).
 */
#ifndef LH_TIMELINE_INT_H
#define LH_TIMELINE_INT_H

#include <stddef.h>

#include "core/match.h"

/* Orders on pointers to matches (qsort's shape; a and b: lh_match **). */
int lh_tl_cmp_ident(const void *a, const void *b);	/* identity, time */
int lh_tl_cmp_time(const void *a, const void *b);	/* timeline order */
/* Order of sources (a and b: struct lh_srcref *). */
int lh_tl_cmp_src(const void *a, const void *b);
/* 1 when a and b are records of the same event, else 0. */
int lh_tl_same_event(const struct lh_match *a, const struct lh_match *b);
/*
 * Folds v[i..j), records of one event in lh_tl_cmp_ident order, into as
 * few matches as the rules of SPEC section 6 allow; the survivors go to
 * v[*k], v[*k + 1], ... (*k <= i).  Takes ownership of the folded ones.
 * LH_OK or LH_FATAL (the rest kept unfolded, each once).
 */
int lh_tl_fold_run(struct lh_match **v, size_t i, size_t j, size_t *k);

#endif
