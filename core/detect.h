/*
 * detect.h: the stateful rules - EQL sequences, new_terms and ES|QL -
 * run over the events that can feed them, after the workers.
 *
 * DESIGN
 * A stateful rule needs more than one event (a sequence, a bucket) or a
 * history (new terms), so it cannot decide in a worker.  The work is
 * split in two, as core/eql.h, core/esql.h and SPEC section 12 intend:
 *
 *   - per event, in the workers: lh_detect_feeds() evaluates the part of
 *     each stateful rule that needs one event only (the step mask of a
 *     sequence, the KQL query of new_terms, the ES|QL prefilter).  An
 *     event that feeds some rule is kept by the scan as a snapshot (a
 *     match of rule -1); every other event is forgotten at once, so
 *     memory grows with the feeding events only (authentication records,
 *     not the whole evidence).
 *   - in the single merger: the snapshots go, as the workers hand them
 *     over, into a sorted store of their own (core/hits.h: an external
 *     merge sort within the --max-memory budget), which sorts them by
 *     time and folds the records of one event seen in several files (SPEC
 *     section 6: an auth line in auth.log and in a bundle copy counts
 *     once, with both sources).  After the workers, lh_detect_feed()
 *     takes them one at a time, in that order, to the engines: core/seq.h
 *     per sequence rule, a history of terms per new_terms rule,
 *     core/esql.h's run per ES|QL rule (two runs, on two threads, when
 *     the rules hold new_terms and others: core/detect_pair.h).  A run
 *     keeps only the events an engine may still name in an alert (a
 *     window of ids: see lh_detect_feed), so memory follows the
 *     sequences' maxspan and the ES|QL buckets, not the evidence.  The
 *     workers' verdict travels in the snapshot (which rules it feeds), so
 *     each event goes only to the rules it feeds and a new_terms query is
 *     not evaluated twice; a sequence's step mask and ES|QL's pipeline are
 *     computed there, on the snapshot's few fields.  The order depends
 *     only on the events, never on -j.
 *     (The history of a new_terms rule grows with its distinct terms.)
 *
 * Each completed sequence, new term and qualifying bucket becomes ONE
 * alert (a match of its rule) made from its last event, with these
 * fields added to that event's (output reads them, cli/output.c):
 *   loghunt.group.FIELD   the grouping values: the sequence's join keys,
 *                         the new_terms fields, the ES|QL BY columns;
 *   loghunt.new_terms     the new value (or combination, in field order);
 *   loghunt.bucket.NAME   the ES|QL row's aggregates (counts, values);
 *   loghunt.event         one per event of the alert, in order:
 *                         "TS<TAB>PROCESS<TAB>MESSAGE" (TS in µs);
 *   loghunt.event_source  one per source of those events:
 *                         "INDEX<TAB>LINE<TAB>PATH".
 *
 * Offline time (documented in the man page):
 *   - sequences complete within maxspan as Elasticsearch's EQL would over
 *     the whole evidence; @timestamp stands in for event.ingested;
 *   - new_terms: a term is new when the rule's events did not hold it in
 *     the history window before the event (see detect_terms.c for
 *     Kibana's semantics and the treatment of the first days);
 *   - ES|QL: one run over the whole evidence (core/esql.h).
 */
#ifndef LH_DETECT_H
#define LH_DETECT_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/event.h"
#include "core/kql.h"
#include "core/rules.h"
#include "core/timeline.h"

struct lh_detect_scratch;

/* The number of stateful rules in rs (lh_rule_stateful). */
size_t lh_detect_count(const struct lh_ruleset *rs);

/*
 * Returns an owned per-worker scratch for the stateful rules of rs (free
 * with lh_detect_scratch_free), or NULL when out of memory.  rs is
 * borrowed and must outlive it.
 */
struct lh_detect_scratch *lh_detect_scratch_create(
    const struct lh_ruleset *rs);
/* Frees s; NULL is a no-op. */
void lh_detect_scratch_free(struct lh_detect_scratch *s);

/*
 * The view of ev on which every rule of rs can be evaluated as on ev
 * itself: only the fields some rule's query reads, named by their
 * interned names (core/name.h), so that looking them up compares
 * pointers; ev itself when a rule may read any field.  Valid until ev
 * changes or s is used for another event; NULL when out of memory.
 * lh_detect_feeds() on the same ev then uses it.  Uses s.
 */
const struct lh_event *lh_detect_view(struct lh_detect_scratch *s,
    const struct lh_event *ev);

/*
 * Whether ev can feed a stateful rule of rs: 1 yes, 0 no, LH_FATAL when
 * out of memory.  Only events with a wall-clock time can.  kq is the
 * worker's KQL scratch (reset here).  Borrows everything; thread-safe
 * with one scratch per thread.
 */
int lh_detect_feeds(const struct lh_ruleset *rs, const struct lh_event *ev,
    struct lh_detect_scratch *s, struct lh_kql_scratch *kq);

/*
 * A snapshot of ev for the merger (lh_match_free frees what folding
 * gave it; NULL when out of memory): a match of rule -1 with the source
 * path (borrowed) and only the fields the stateful rules and their
 * alerts can read, so that the feeding events cost little memory until
 * the merger runs.  Its matched text says which rules ev feeds, one
 * character per rule of the set ('0' for a rule it does not feed; a
 * sequence's step mask, see detect.c): the verdict of the last
 * lh_detect_feeds() on s, which must have been called on ev.  Uses s.
 * The snapshot is pooled in *arena, which is created when NULL
 * (lh_arena_create); the caller owns the arena and must keep it until
 * the snapshot is freed.
 */
struct lh_arena;
struct lh_match *lh_detect_snapshot(struct lh_detect_scratch *s,
    const struct lh_event *ev, const char *path, struct lh_arena **arena);

/* What the merger's run did, for --stats. */
struct lh_detect_stats {
	uint64_t fed;		/* distinct feeding events */
	uint64_t held;		/* most of them held at once (the window) */
	uint64_t sequences;	/* sequence alerts */
	uint64_t new_terms;	/* new_terms alerts */
	uint64_t warmup;	/* new terms not raised: first history span */
	uint64_t buckets;	/* ES|QL alerts */
	uint64_t evicted;	/* sequence keys dropped beyond the bound */
	uint64_t dropped;	/* ES|QL rows beyond the group bound */
};

/*
 * The stateful rules a run makes engines for: a new_terms history and
 * the sequences and ES|QL runs share nothing, so two runs on two threads
 * may divide them (core/detect_pair.h).
 */
enum lh_detect_part {
	LH_DETECT_ALL,		/* every stateful rule */
	LH_DETECT_TERMS,	/* the new_terms rules */
	LH_DETECT_OTHERS	/* the sequences and ES|QL queries */
};

/* Whether r is a stateful rule of part p. */
int lh_detect_in_part(const struct lh_rule *r, enum lh_detect_part p);

/*
 * The merger's run of the stateful rules of rs in part p (rs borrowed;
 * must outlive it), adding their alerts to tl (borrowed; before
 * lh_timeline_finish(tl)) and counting in *st (borrowed; zeroed here):
 * owned, free with lh_detect_free.  The events it owns and forgets
 * (lh_detect_feed_owned) go back to pool (borrowed; it must outlive the
 * run; NULL: they are freed): the pool the sorted store takes their
 * blocks from (lh_hits_opts.pool).  err (borrowed) receives what
 * lh_detect_end reports.  NULL when out of memory.
 */
struct lh_detect;
struct lh_match_pool;
struct lh_detect *lh_detect_create(const struct lh_ruleset *rs,
    enum lh_detect_part p, struct lh_timeline *tl,
    struct lh_match_pool *pool, struct lh_detect_stats *st,
    struct lh_err *err);
/*
 * Starts the run at time first, the evidence's first feeding event,
 * where a new_terms history begins (detect_terms.c), when the run is not
 * fed that event itself; else the first feed starts it.  Call before
 * the first feed.  LH_OK or LH_FATAL.
 */
int lh_detect_start(struct lh_detect *d, int64_t first);
/*
 * Feeds the next feeding event's snapshot m (borrowed: the run copies
 * what its engines may still name), in timeline order: sorted and folded
 * as lh_timeline_finish() or core/hits.h hand them out.  The run keeps
 * only the events a sequence's maxspan or an ES|QL time bucket may still
 * join (all of them for a sequence without maxspan or an ES|QL query
 * not bucketed by time).  LH_OK, or LH_FATAL when out of memory.
 */
int lh_detect_feed(struct lh_detect *d, const struct lh_match *m);
/*
 * lh_detect_feed() of a match m the run takes (ownership taken, whatever
 * the result: kept while an engine may name it, else freed), which spares
 * a copy.
 */
int lh_detect_feed_owned(struct lh_detect *d, struct lh_match *m);
/*
 * Ends the run (call once): the rows of the ES|QL runs.  LH_OK, LH_WARN
 * when a bound left something out (err says what; the alerts made are
 * kept), or LH_FATAL (err filled).
 */
int lh_detect_end(struct lh_detect *d);
/* Frees d; NULL is a no-op. */
void lh_detect_free(struct lh_detect *d);

#endif
