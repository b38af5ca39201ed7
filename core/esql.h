/*
 * esql.h: the subset of ES|QL that Elastic's aggregating Linux rules use,
 * compiled once and evaluated over a stream of events.
 *
 * DESIGN
 * A query is a pipeline: FROM index-patterns [METADATA ...] (the indices
 * are informational offline: every event fed is a document of the index;
 * metadata columns such as _id are null), then any of EVAL name =
 * date_trunc(span, column), MV_EXPAND column, WHERE condition and KEEP
 * columns, then STATS aggregates [BY columns] with count(*), count(col),
 * count_distinct(col) and values(col), then WHERE on the aggregated
 * columns.  Anything else (a command, a function, an operator) is refused
 * at compile time with LH_FAIL and a message naming it, so that a rule
 * using it is refused by rule_id with that reason.
 *
 * Semantics follow the ES|QL reference (cited where implemented, in
 * esql_eval.c and esql_stats.c): keyword and ip columns read like doc
 * values (sorted, duplicates removed); a comparison or IN on a
 * multi-valued value is null (ES|QL's single-value functions return null
 * with a warning), so WHERE drops that row unless MV_EXPAND made the value
 * single; null is three-valued through AND/OR/NOT; STATS groups null keys
 * under a null key and puts a row with a multi-valued key in the group of
 * each value; count(*) counts rows, count(col) values; count_distinct is
 * exact (Elasticsearch's HyperLogLog++ is exact up to its precision
 * threshold, 3000 by default); values() is sorted here for deterministic
 * output (ES|QL leaves its order unspecified).
 *
 * Offline time: Kibana runs the rule every few minutes over a short
 * lookback; loghunt evaluates it as if one run had covered the whole
 * evidence, so STATS groups (e.g. 5-minute date_trunc buckets per
 * source.ip) are formed over all events fed.  A bucket that Kibana would
 * have seen split between two runs is seen whole here.
 *
 * Use: the compiled struct lh_esql is immutable and shared by every
 * thread.  Workers may drop events early with lh_esql_prefilter_match()
 * (each thread with its own struct lh_esql_scratch); one thread feeds the
 * events that pass, in any order, to a struct lh_esql_run, which keeps one
 * group per distinct BY key (memory grows with the number of groups and
 * the distinct values of count_distinct/values, not with the events), and
 * lh_esql_run_finish() yields the rows that pass the final WHERE, each
 * with the ids of (up to LH_ESQL_MAX_IDS of) the events in its group.
 * A caller that feeds in time order may let a run whose groups start with
 * a time bucket yield each bucket's rows as soon as it is complete
 * (lh_esql_run_stream): then memory follows the groups of one bucket.
 */
#ifndef LH_ESQL_H
#define LH_ESQL_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/event.h"
#include "core/ip.h"

#define LH_ESQL_MAX_LEN (1 << 20)	/* longest query accepted, bytes */
#define LH_ESQL_MAX_DEPTH 128		/* deepest expression nesting */
#define LH_ESQL_MAX_IDS 64		/* event ids kept per result row */
#define LH_ESQL_MAX_GROUPS (1 << 20)	/* STATS groups kept per run */

/* The type of a column or value. */
enum lh_esql_type {
	LH_ESQL_NULL = 0,	/* the null literal: no type */
	LH_ESQL_BOOLEAN,
	LH_ESQL_LONG,		/* also integer */
	LH_ESQL_DOUBLE,
	LH_ESQL_DATE,		/* µs since the epoch, UTC */
	LH_ESQL_KEYWORD,	/* also text */
	LH_ESQL_IP,
	LH_ESQL_SPAN		/* a time span literal; never a column */
};

/* One value.  Which member holds it depends on type. */
struct lh_esql_value {
	enum lh_esql_type type;
	int64_t n;		/* LONG, DATE (µs), BOOLEAN (0 or 1) */
	double d;		/* DOUBLE */
	const char *s;		/* KEYWORD: len bytes, not NUL-terminated */
	size_t len;
	struct lh_ip ip;	/* IP */
};

/* One column of a result row: nv values (0: null; > 1: multi-valued). */
struct lh_esql_column {
	const char *name;	/* as the query names it */
	enum lh_esql_type type;
	const struct lh_esql_value *v;	/* sorted ascending */
	size_t nv;
	int key;		/* 1 for a BY column, 0 for an aggregate */
};

/*
 * One row of the STATS output that passed the final WHERE: the columns in
 * ES|QL's order (the aggregates, then the BY keys), the number of events
 * whose rows made up the group and the ids of the first LH_ESQL_MAX_IDS of
 * them, in feeding order.
 */
struct lh_esql_row {
	const struct lh_esql_column *col;
	size_t ncol;
	const uint64_t *ids;
	size_t nids;
	uint64_t nevents;
};

struct lh_esql;
struct lh_esql_scratch;
struct lh_esql_run;

/*
 * Compiles the ES|QL query src (len bytes).  Returns an owned query (free
 * with lh_esql_free), or NULL with err filled: LH_FAIL with the 1-based
 * line and column and what was wrong ("ES|QL command SORT is not
 * supported", "ES|QL function MAX is not supported", "Unknown column
 * [x]"), or LH_FATAL when out of memory.
 */
struct lh_esql *lh_esql_compile(const char *src, size_t len,
    struct lh_err *err);
/* Frees q; NULL is a no-op.  No run or scratch of q may outlive it. */
void lh_esql_free(struct lh_esql *q);

/*
 * Calls fn(arg, name) for every event field q reads (its columns that come
 * from the event, not from EVAL, @timestamp or metadata), in the order they
 * are first named; stops when fn returns 0.  Returns 0 when stopped, else
 * 1.  Borrows q; thread-safe.
 */
int lh_esql_fields(const struct lh_esql *q, int (*fn)(void *arg,
    const char *name), void *arg);

/*
 * 1 when q can only keep an event that has the field name: a WHERE before
 * STATS is a conjunction one of whose terms is "name == value" or "name IN
 * (...)" on the event's field (null, so false, when the field is
 * missing); else 0.  Borrows q.
 */
int lh_esql_requires(const struct lh_esql *q, const char *name);

/*
 * 1 when a WHERE before STATS is a conjunction with a term "name ==
 * VALUE" or "name IN (VALUE, ...)" of keyword literals on the event's
 * field: q keeps only events whose field holds one of them.  Then
 * fn(arg, value, len) is called for each (borrowed from q), and a 0 from
 * fn makes the answer 0.  Else 0, and fn is not called.  Borrows q.
 */
int lh_esql_required_values(const struct lh_esql *q, const char *name,
    int (*fn)(void *arg, const char *v, size_t len), void *arg);

/*
 * The FROM index patterns of q: *n of them, NUL-terminated, valid until
 * lh_esql_free(q).  Informational: offline, every event fed is searched.
 */
const char *const *lh_esql_indices(const struct lh_esql *q, size_t *n);

/*
 * Returns an owned per-thread scratch for q (free with
 * lh_esql_scratch_free), or NULL when out of memory.
 */
struct lh_esql_scratch *lh_esql_scratch_create(const struct lh_esql *q);
/* Frees s; NULL is a no-op. */
void lh_esql_scratch_free(struct lh_esql_scratch *s);

/*
 * Whether ev yields at least one row into STATS (EVAL, MV_EXPAND, WHERE
 * and KEEP applied): 1 yes, 0 no, LH_FATAL out of memory.  Events for
 * which it returns 0 can never contribute and need not be fed.  Borrows
 * everything; thread-safe as long as each thread uses its own scratch.
 */
int lh_esql_prefilter_match(const struct lh_esql *q,
    const struct lh_event *ev, struct lh_esql_scratch *s);

/*
 * Returns an owned run of q (free with lh_esql_run_free), or NULL when
 * out of memory.  A run belongs to one thread at a time.
 */
struct lh_esql_run *lh_esql_run_create(const struct lh_esql *q);
/* Frees run; NULL is a no-op. */
void lh_esql_run_free(struct lh_esql_run *run);

/*
 * Applies the pipeline to ev and adds its rows to their STATS groups,
 * remembering event_id (any number the caller can map back to the event,
 * e.g. its position in the timeline).  Borrows ev (values are copied).
 * Returns LH_OK; LH_WARN when a row needed a new group beyond
 * LH_ESQL_MAX_GROUPS and was left out (err says so); LH_FATAL when out of
 * memory.
 */
int lh_esql_run_feed(struct lh_esql_run *run, const struct lh_event *ev,
    uint64_t event_id, struct lh_err *err);

/*
 * Called by lh_esql_run_finish() for each result row; row and everything
 * it points to are valid until the callback returns.  A negative return
 * (an lh_status) stops the iteration and is returned by finish.
 */
typedef int (*lh_esql_row_fn)(void *arg, const struct lh_esql_row *row);

/*
 * Lets run pass rows to fn (with arg; borrowed, must outlive run) while it
 * is fed, when the query's first BY key is DATE_TRUNC(span, @timestamp)
 * and the caller feeds the events in time order (it promises so by
 * calling this): a row's group is complete once an event of a later time
 * bucket comes, so it is finished then - rows as lh_esql_run_finish()
 * gives them, bucket after bucket - and forgotten.  Memory then follows
 * the groups of one bucket, not of the whole evidence.  A failure of fn
 * is returned by lh_esql_run_feed().  Returns 1 when streaming, 0 when the
 * query does not allow it (then rows come only from finish).
 */
int lh_esql_run_stream(struct lh_esql_run *run, lh_esql_row_fn fn,
    void *arg);
/*
 * The earliest time of an event that a row of run may still name: of a
 * streaming run, the earliest event in its open groups (INT64_MAX when
 * none is open: the rows to come name only events fed later); of any
 * other run, INT64_MIN (the rows come at the end and may name any event
 * fed).  The caller may forget the events fed before that time.
 */
int64_t lh_esql_run_since(const struct lh_esql_run *run);

/*
 * Computes the aggregates of every group, applies the final WHERE and
 * calls fn(arg, row) for each row that passes, in a deterministic order:
 * ascending by the BY keys in order, nulls last.  Call once; the run can
 * then only be freed.  Returns LH_OK, fn's negative status, or LH_FATAL
 * (err filled) when out of memory.
 */
int lh_esql_run_finish(struct lh_esql_run *run, lh_esql_row_fn fn,
    void *arg, struct lh_err *err);

#endif
