/*
 * hits.h: the merger's query hits in bounded memory: sorted through a
 * spill, dated, folded and handed out in timeline order.
 *
 * DESIGN
 * A query may match every record of the evidence, so its hits cannot all
 * be held: the merger packs each hit into an external merge sort
 * (core/spill.h) in position order (timed by time; then the untimed by
 * host and time), and at the end the sorted stream goes through a
 * bounded fold (core/fold.h) to the caller, in the order and with the
 * folding lh_timeline_finish() would give (SPEC section 6).  The spill's
 * replacement selection makes one run of a time-ordered file, so the
 * usual evidence spills little.
 *
 * Boot-relative hits (dmesg) can only be dated once every file is read
 * (lh_evidence_date: anchors and twins come from other files): they are
 * kept apart in memory, and so are, in a spill of their own, the timed
 * hits whose message carries a kernel stamp (their possible twins).  At
 * the end the twins that some boot-relative hit may pair with join those
 * hits, which are dated in an order of their own content and go to the
 * sorted stream with everything else.
 */
#ifndef LH_HITS_H
#define LH_HITS_H

#include <stdint.h>

#include "core/err.h"
#include "core/fold.h"
#include "core/match.h"

struct lh_hits;
struct lh_evidence;

struct lh_hits_opts {
	const char *dir;	/* temporary files (borrowed); NULL: /tmp */
	uint64_t budget;	/* bytes of hits kept in memory */
	int give;		/* lh_hits_finish's emit owns each match */
	uint64_t raw_first;	/* lh_spill_opts.raw_first (0: default) */
	/*
	 * The blocks of the matches lh_hits_finish emits (borrowed; must
	 * outlive the hits; used on the thread of lh_hits_finish), or NULL:
	 * each is its own malloc block.  Whoever ends up with an emitted
	 * match may give its block back with lh_match_pool_put.
	 */
	struct lh_match_pool *pool;
};

struct lh_hits_stats {
	uint64_t hits;		/* added */
	uint64_t spilled;	/* bytes written to temporary files */
	uint64_t runs;		/* sorted runs written */
};

/*
 * Returns an owned, empty set of hits (free with lh_hits_free), or NULL
 * with err (LH_FATAL).  o is borrowed; o->dir must outlive the hits.
 */
struct lh_hits *lh_hits_create(const struct lh_hits_opts *o,
    struct lh_err *err);
/*
 * Adds the hit m (ownership taken, whatever the result).  May write a
 * temporary file.  LH_OK, or LH_FATAL with err ("DIR: No space left on
 * device", out of memory).
 */
int lh_hits_add(struct lh_hits *h, struct lh_match *m, struct lh_err *err);
/*
 * Dates the boot-relative hits with the anchors of e (borrowed), then
 * calls emit(arg, m) on every hit, folded, in timeline order (m borrowed,
 * or owned by emit when the hits were made with o->give).  Call once.
 * LH_OK, what emit returned when not LH_OK, or LH_FATAL with err.
 */
int lh_hits_finish(struct lh_hits *h, struct lh_evidence *e,
    lh_fold_fn emit, void *arg, struct lh_err *err);
void lh_hits_stats(const struct lh_hits *h, struct lh_hits_stats *st);
/* Frees h; NULL is a no-op. */
void lh_hits_free(struct lh_hits *h);

#endif
