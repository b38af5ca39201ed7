/*
 * detect_pair.h: the merger's run of the stateful rules, on two threads
 * when there is work for two.
 *
 * DESIGN
 * The stateful rules run once every file is read, over the feeding
 * events in timeline order (core/detect.h), while the workers' cores sit
 * idle.  A new_terms history and the sequence and ES|QL engines share
 * nothing but that stream, so when the rules hold both kinds (and -j
 * allows more than one thread) a second run (LH_DETECT_TERMS) takes the
 * new_terms rules on a thread of its own, fed in batches through a
 * bounded queue, and the merger's run (LH_DETECT_OTHERS) keeps the rest;
 * each sees only the events that feed its rules.  The second run's
 * alerts go to a timeline of its own, moved into the caller's at the
 * end: lh_timeline_finish orders them by content, so the output is the
 * same as one run's, whatever -j.
 */
#ifndef LH_DETECT_PAIR_H
#define LH_DETECT_PAIR_H

#include "core/detect.h"
#include "core/err.h"
#include "core/match.h"
#include "core/rules.h"
#include "core/timeline.h"

struct lh_detect_pair;

/*
 * Returns an owned run of the stateful rules of rs (borrowed; must
 * outlive it), on two threads when threads (-j) is more than 1 and the
 * rules hold both kinds, adding their alerts to tl (borrowed) and
 * counting in *st (borrowed; zeroed here), or NULL when out of memory or
 * no thread could be started.  The events the merger's run forgets go
 * back to pool (borrowed, or NULL: freed; see lh_detect_create).  err
 * (borrowed) receives what lh_detect_pair_end reports.  Free with
 * lh_detect_pair_free.
 */
struct lh_detect_pair *lh_detect_pair_create(const struct lh_ruleset *rs,
    int threads, struct lh_timeline *tl, struct lh_match_pool *pool,
    struct lh_detect_stats *st, struct lh_err *err);
/*
 * Feeds the next feeding event m (ownership taken, whatever the result),
 * in timeline order, as lh_detect_feed_owned.  LH_OK or LH_FATAL.
 */
int lh_detect_pair_feed(struct lh_detect_pair *p, struct lh_match *m);
/*
 * Ends the run (call once, from the creating thread): waits for the
 * second thread and moves its alerts into tl.  As lh_detect_end: LH_OK,
 * LH_WARN (err says what) or LH_FATAL (err filled).
 */
int lh_detect_pair_end(struct lh_detect_pair *p);
/* Frees p, stopping its thread if it runs; NULL is a no-op. */
void lh_detect_pair_free(struct lh_detect_pair *p);

#endif
