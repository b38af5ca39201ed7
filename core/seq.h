/*
 * seq.h: the sequence engine of EQL ("sequence by K with maxspan=T
 * [q1] with runs=N [q2]..."), fed one event at a time in time order.
 *
 * DESIGN
 * This is Elasticsearch's SequenceMatcher (x-pack/plugin/eql/.../
 * execution/sequence/) run over a stream instead of over the pages of
 * its tumbling window, which gives the same sequences because the matcher
 * only ever looks back in time:
 *
 *   - The subqueries, each repeated "runs" times (EQL syntax reference,
 *     "runs keyword": "[q] with runs=3" is equivalent to writing [q] three
 *     times in a row; 1 to 100), are the
 *     stages 0..S-1 of a state machine kept per join key value
 *     (KeyToSequences: one group of pending sequences per key and stage).
 *   - An event matching stage 0 starts a sequence in stage 0.  An event
 *     matching stage k > 0 takes the pending sequence of stage k-1 for its
 *     key (OrdinalGroup.trimBefore: the latest one before the event, all
 *     older ones of that stage are dropped with it) and moves it to stage
 *     k, or completes it when k is the last stage.  So each stage holds at
 *     most one pending sequence per key, the most recent one: the EQL
 *     syntax reference says so ("How sequence queries handle matches":
 *     "Only one pending sequence can be in each state at a time ... the
 *     most recent sequence overwrites the older one").  A new stage-0
 *     event therefore replaces the stage-0 sequence, never one that has
 *     advanced further.
 *   - An event matching several stages (runs, or overlapping subqueries)
 *     is applied to the last stage first, so it never extends a sequence
 *     it has just started or moved: the matcher requires strictly earlier
 *     ordinals (trimBefore).  Completed sequences consume only their
 *     pending sequence: their events stay in the other pending sequences,
 *     so 61 events matching "[q] with runs=60" within the maxspan give
 *     two sequences (events 1-60 and 2-61).
 *   - maxspan is checked when a sequence advances, from the time of its
 *     first event to the new event's (exceedsMaxSpan: rejected when the
 *     difference is greater than maxspan, so equal is accepted); a
 *     rejected sequence is dropped.
 *   - A null join key never joins (Elasticsearch PR #79677): the caller
 *     passes no key and the event is ignored.
 *
 * Memory: a pending sequence whose first event is more than maxspan old
 * can never complete; a key whose last event is that old holds only such
 * sequences and is freed as time advances (keys are kept in order of last
 * activity).  Each key holds at most S pending sequences.  The number of
 * keys is bounded by max_keys: beyond it the key idle longest is dropped
 * with its pending sequences and counted in evicted (Elasticsearch would
 * instead fail the whole search on its circuit breaker); without maxspan
 * this bound is the only one.
 *
 * One engine belongs to one thread; events must come in time order (ties
 * in input order), as Elasticsearch sorts by @timestamp then tiebreaker.
 */
#ifndef LH_SEQ_H
#define LH_SEQ_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define LH_SEQ_MAX_STEPS 64		/* steps: bits of the step mask */
#define LH_SEQ_MAX_KEYS (1u << 20)	/* default bound on live keys */

struct lh_seq;

struct lh_seq_config {
	size_t nsteps;		/* subqueries, 1..LH_SEQ_MAX_STEPS */
	const unsigned *runs;	/* borrowed: runs of each step; NULL: 1s */
	int64_t maxspan_us;	/* 0: no maxspan */
	size_t max_keys;	/* 0: LH_SEQ_MAX_KEYS */
};

/*
 * Called for each completed sequence with the ids of its n events in
 * stage order (valid during the call only).  Returns LH_OK, or a status
 * that lh_seq_feed() stops on and returns.
 */
typedef int (*lh_seq_emit_fn)(void *ctx, const uint64_t *ids, size_t n);

struct lh_seq_stats {
	size_t keys;		/* keys with pending sequences now */
	uint64_t completed;	/* sequences reported */
	uint64_t maxspan;	/* pending sequences rejected by maxspan */
	uint64_t evicted;	/* keys dropped beyond max_keys */
};

/*
 * Returns an owned engine (free with lh_seq_free) for the steps of cfg
 * (borrowed, not kept), reporting through emit with ctx (borrowed, must
 * outlive the engine); or NULL with err filled (LH_FAIL for a bad
 * configuration, LH_FATAL when out of memory).  A configuration must have
 * at least two stages once runs are expanded.
 */
struct lh_seq *lh_seq_create(const struct lh_seq_config *cfg,
    lh_seq_emit_fn emit, void *ctx, struct lh_err *err);

/*
 * Feeds one event: its time ts (µs), the steps it matches (bit i for
 * step i, as lh_eql_match_mask() gives), its join key (keylen bytes,
 * borrowed: one of lh_eql_join_keys(); an event with several keys is fed
 * once per key; NULL for a null key, which never joins) and an opaque id
 * reported back in completed sequences.
 * Completed sequences are reported before it returns.  Returns LH_OK,
 * LH_FATAL (out of memory) or what emit returned.
 */
int lh_seq_feed(struct lh_seq *s, int64_t ts, uint64_t steps,
    const void *key, size_t keylen, uint64_t id);

/* Fills *st with the engine's counters. */
void lh_seq_stats(const struct lh_seq *s, struct lh_seq_stats *st);

/* Frees s and its pending sequences; NULL is a no-op. */
void lh_seq_free(struct lh_seq *s);

#endif
