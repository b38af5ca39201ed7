/*
 * eql.h: Event Query Language (Elasticsearch EQL), the subset Elastic's
 * Linux detection rules use, compiled once and evaluated per event.
 *
 * DESIGN
 * lh_eql_compile() parses a query into an immutable description: either
 * one "CATEGORY where COND" (a single-event query, one step) or a
 * "sequence [by K...] [with maxspan=N] [q] [with runs=N] [q]..." whose
 * steps are its subqueries.  After compilation the query is only read, so
 * one compiled query is shared by every worker thread.
 *
 * Evaluation follows what Elasticsearch does, which is not a three-valued
 * logic over the document: the where clause of each (sub)query is
 * translated to Query DSL and run by Lucene (the EQL plugin's
 * QueryTranslator; its expectations are in x-pack/plugin/eql/src/test/
 * resources/querytranslator_tests.txt).  So
 *   - "f == v", "f : v", "f in (...)", "f < v"... and cidrmatch(f, ...)
 *     are term / wildcard / terms / range queries: true when ANY value of
 *     the (possibly multi-valued) field satisfies them, false when the
 *     field is missing;
 *   - "not X" is bool.must_not X (test "notFilter": not (exit_code > -1)
 *     becomes must_not range), and "f != v" is must_not term (tests
 *     "fieldNotEqualsTrue", "functionEqualsFalse"): true when NO value
 *     equals v, hence also true when f is missing;
 *   - "f != null" is an exists query, "f == null" its negation (EQL
 *     syntax reference, "Check if a field exists").
 * "==", "!=" and "in" compare keywords case-sensitively, ":" case-
 * insensitively with the '*' and '?' wildcards, alone or with a list
 * (EQL syntax reference, "Comparison operators" and "Lookup
 * operators"; tests "caseInsensitiveEquals...": term/wildcard queries with
 * case_insensitive: true).  Field types and value comparison come from
 * core/field.h (keyword, long, date, ip); the category is a case-sensitive
 * term on event.category, "any" matches every event.
 *
 * Sequences are run by core/seq.h, fed with what this module computes per
 * event: the steps it matches (lh_eql_match_mask) and its join keys
 * (lh_eql_join_keys).  The intended wiring into a scan:
 *   - compile each eql rule once; a NULL result refuses the rule by its
 *     rule_id with err.msg as the reason;
 *   - single-event query: in the workers, lh_eql_step_match(q, 0, ev)
 *     decides an alert, like lh_kql_match();
 *   - sequence: in the workers, m = lh_eql_match_mask(q, ev); when m != 0
 *     and the event has a wall-clock time (lh_field_timestamp), keep
 *     (ts, m, an id of the event) with each of its lh_eql_join_keys();
 *     one thread then feeds these in (ts, input order) order to an engine
 *     made with nsteps = lh_eql_nsteps(q), runs[i] = lh_eql_runs(q, i),
 *     maxspan_us = lh_eql_maxspan_us(q), which reports each completed
 *     sequence as the ids of its events, in stage order.
 * The rules order by event.ingested (timestamp_override); offline,
 * @timestamp stands in for it.
 *
 * Anything outside the subset (pipes, until, join, sample, missing events,
 * functions other than cidrmatch, like/regex, in~, arithmetic, per-
 * subquery by) is refused at compile time with a message naming the
 * feature.
 */
#ifndef LH_EQL_H
#define LH_EQL_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/event.h"

#define LH_EQL_MAX_LEN (1 << 20)	/* longest query accepted, bytes */
#define LH_EQL_MAX_DEPTH 256		/* deepest nesting accepted */
#define LH_EQL_MAX_STEPS 64		/* subqueries of a sequence */
#define LH_EQL_MAX_RUNS 100		/* largest "with runs=N", as in ES */
#define LH_EQL_MAX_JOIN_KEYS 16		/* fields of "sequence by" */
#define LH_EQL_MAX_KEY_VALUES 64	/* join keys made of one event */

struct lh_eql;

/*
 * Compiles the EQL query text (n bytes; borrowed).  Returns an owned query
 * (free with lh_eql_free), or NULL with err filled: LH_FAIL with "column
 * C: expected ..." for a syntax error, or "unsupported EQL feature: NAME"
 * for a construct outside the subset (so that the rule can be refused with
 * that reason); LH_FATAL when out of memory.
 */
struct lh_eql *lh_eql_compile(const char *text, size_t n,
    struct lh_err *err);
/* Frees q; NULL is a no-op. */
void lh_eql_free(struct lh_eql *q);

/* 1 for a sequence query, 0 for a single-event query. */
int lh_eql_is_sequence(const struct lh_eql *q);

/*
 * The number of steps: 1 for a single-event query, else the number of
 * bracketed subqueries as written (a subquery "with runs=N" is one step
 * that core/seq.h repeats N times).
 */
size_t lh_eql_nsteps(const struct lh_eql *q);

/*
 * Whether ev matches step (0-based, < lh_eql_nsteps): its category and its
 * condition.  Returns 1 or 0.  Borrows everything; pure, so thread-safe on
 * a compiled query.
 */
int lh_eql_step_match(const struct lh_eql *q, size_t step,
    const struct lh_event *ev);

/*
 * The steps ev matches, as a bitmask (bit i for step i), for
 * lh_seq_feed().  Borrows everything; thread-safe.
 */
uint64_t lh_eql_match_mask(const struct lh_eql *q, const struct lh_event *ev);

/*
 * Numbers the leaves of q[0..n) so that equal ones (the same test of the
 * same field with the same values: one query in Elasticsearch, one answer
 * per event) share a number, 1 .. the count returned, which
 * lh_eql_match_mask_memo() uses to evaluate each once per event: the
 * brute-force sequences repeat their host, action, outcome and
 * cidrmatch() tests.  Numbers given before are dropped.  Returns 0 when
 * out of memory (no leaf has a number: nothing is remembered).  Changes
 * the queries: call it while no thread evaluates them.
 */
size_t lh_eql_share(struct lh_eql *const *q, size_t n);

/*
 * A memo of the answers of the numbered leaves for one event at a time
 * (nleaves: lh_eql_share's count), owned (free with lh_eql_memo_free), or
 * NULL when out of memory.  One per thread.
 */
struct lh_eql_memo;
struct lh_eql_memo *lh_eql_memo_create(size_t nleaves);
void lh_eql_memo_free(struct lh_eql_memo *m);
/* Forgets the answers: call before the first query on each new event. */
void lh_eql_memo_next(struct lh_eql_memo *m);
/*
 * lh_eql_match_mask(), remembering in m (NULL: none) the answer of each
 * numbered leaf for ev until lh_eql_memo_next(m).  Borrows q and ev.
 */
uint64_t lh_eql_match_mask_memo(const struct lh_eql *q,
    const struct lh_event *ev, struct lh_eql_memo *m);

/*
 * The join key field names of "sequence by K1, K2...": *n of them (0 when
 * none), valid until lh_eql_free(q).
 */
const char *const *lh_eql_keys(const struct lh_eql *q, size_t *n);

/*
 * Calls fn(arg, name) for every field q reads - the join keys, then per
 * step event.category (unless the category is "any") and the field of
 * every comparison, in query order -; stops when fn returns 0.  Returns 0
 * when stopped, else 1.  Borrows q; thread-safe.
 */
int lh_eql_fields(const struct lh_eql *q, int (*fn)(void *arg,
    const char *name), void *arg);

/*
 * 1 when every (sub)query of q names an event category other than "any":
 * then q matches only events with event.category.  Borrows q.
 */
int lh_eql_needs_category(const struct lh_eql *q);

/*
 * 1 when every (sub)query of q matches only events whose keyword field
 * holds one of some values (terms field == VALUE or field in (...) that
 * every match needs); then fn(arg, value, len), when fn is not NULL, is
 * called for each of them (borrowed from q), and a 0 from fn makes the
 * answer 0.  Else 0, and fn is not called.  Borrows q; thread-safe.
 */
int lh_eql_required_values(const struct lh_eql *q, const char *field,
    int (*fn)(void *arg, const char *v, size_t len), void *arg);

/* The maxspan of a sequence in microseconds, 0 when it has none. */
int64_t lh_eql_maxspan_us(const struct lh_eql *q);

/* The "with runs=N" of step (1 when absent). */
unsigned lh_eql_runs(const struct lh_eql *q, size_t step);

/*
 * Builds into keys (reset first; caller-owned) the join keys of ev, *n of
 * them, to be read with lh_eql_key_next().  A key holds one value of each
 * "by" field, so that two events join exactly when they share a key.  A
 * multi-valued field gives one key per value, and several of them the
 * cartesian product (elastic/elasticsearch PR #89965, "EQL sequences:
 * support join on multi-values": "each value is considered as a
 * different join key, so the same record will be considered multiple
 * times"); equal values count once, and at most LH_EQL_MAX_KEY_VALUES
 * keys are made.  *n is 0 when a key field is missing: a null key never
 * joins (PR #79677).  A query without keys gives one empty key.  Returns
 * LH_OK or LH_FATAL (out of memory).  Borrows q and ev.
 */
int lh_eql_join_keys(const struct lh_eql *q, const struct lh_event *ev,
    struct lh_buf *keys, size_t *n);

/*
 * Steps through the keys of lh_eql_join_keys(): from *off (start at 0),
 * sets *key (valid until keys changes) and *len to the next key and
 * returns 1, or returns 0 after the last.
 */
int lh_eql_key_next(const struct lh_buf *keys, size_t *off,
    const char **key, size_t *len);

#endif
