/*
 * kql.h: Kibana Query Language, compiled once and evaluated per event.
 *
 * DESIGN
 * lh_kql_compile() parses Kibana's KQL grammar (kbn-es-query grammar.peggy)
 * into an immutable tree; after compilation the tree is only read, so one
 * compiled query is shared by every worker thread.  Evaluation follows what
 * Elasticsearch does with the DSL Kibana generates (is.ts): a value on a
 * text field is analysed with the standard analyzer and becomes match (any
 * token) when unquoted or match_phrase (consecutive tokens) when quoted; on
 * a keyword field it is an exact, case-sensitive comparison; long and date
 * fields compare as numbers and dates, with the range operators.  The field
 * type comes from lh_field_type() (core/field.h).
 *
 * Per-thread state lives in a struct lh_kql_scratch (analysed tokens of the
 * event's text fields, cached per event; the matched terms).
 */
#ifndef LH_KQL_H
#define LH_KQL_H

#include <stddef.h>

#include "core/err.h"
#include "core/event.h"

#define LH_KQL_MAX_LEN (1 << 20)	/* longest query accepted, bytes */
#define LH_KQL_MAX_DEPTH 256		/* deepest nesting accepted */

struct lh_kql;
struct lh_kql_scratch;

/*
 * Compiles the KQL query src (len bytes).  Returns an owned query (free with
 * lh_kql_free), or NULL with err filled: the message gives the 1-based
 * column and what was expected there.
 */
struct lh_kql *lh_kql_compile(const char *src, size_t len,
    struct lh_err *err);
/* Frees q; NULL is a no-op. */
void lh_kql_free(struct lh_kql *q);
/*
 * Plans q for many events of which few match (a rule's query): the
 * operands of each "and" are tested cheapest and most telling first
 * (terms on constant fields, long or-lists last), which lh_kql_test()
 * uses and lh_kql_match() tries before the written order, which alone
 * gives the matched terms.  The verdict is the same.  LH_OK, or LH_FATAL
 * when out of memory (q is then unplanned, still valid).
 */
int lh_kql_plan(struct lh_kql *q);

/* Returns an owned scratch (free with lh_kql_scratch_free) or NULL. */
struct lh_kql_scratch *lh_kql_scratch_create(void);
void lh_kql_scratch_free(struct lh_kql_scratch *s);

/*
 * Tells the scratch that ev now holds a different record, so cached tokens
 * are dropped.  Call once per record before evaluating any query on it.
 */
void lh_kql_scratch_reset(struct lh_kql_scratch *s);

/*
 * Evaluates q on ev.  Returns 1 when the event matches, 0 otherwise, or
 * LH_FATAL when out of memory (then the answer is unknown).
 * Borrows everything; thread-safe as long as each thread has its scratch.
 * After a match, lh_kql_matched() lists the terms that made it match.
 */
int lh_kql_match(const struct lh_kql *q, const struct lh_event *ev,
    struct lh_kql_scratch *s);
/*
 * lh_kql_match() without the matched terms (lh_kql_matched() is then
 * empty): for callers that only need the verdict.
 */
int lh_kql_test(const struct lh_kql *q, const struct lh_event *ev,
    struct lh_kql_scratch *s);

/*
 * The terms of the last successful lh_kql_match() on s, as one string
 * "segfault, node (op-node), process.name:kernel": for a text field the
 * token found (and the query value it came from when different); for other
 * fields field:value.  Valid until the next call on s.
 */
const char *lh_kql_matched(const struct lh_kql_scratch *s, size_t *count);

/*
 * The literal words an event must contain for q to match, for a raw-text
 * prefilter: fills *words with an owned NULL-terminated array of lowercase
 * ASCII strings (free each and the array with free(3)), any one of which
 * must occur (case-insensitively) in the raw record for q to possibly
 * match.  Returns 0 and sets *words = NULL when no such set exists (the
 * query can match without any literal).
 */
int lh_kql_required_words(const struct lh_kql *q, char ***words);
/*
 * The same for records whose raw text holds their process.name as it is
 * (syslog-family lines: the tag; JSON documents: a value): a term
 * process.name:VALUE also requires VALUE (lowercased), unless VALUE is
 * "kernel" (dmesg records get it without the word) or has characters
 * other than ASCII letters, digits, '.', '-' and '_'.
 */
int lh_kql_required_tags(const struct lh_kql *q, char ***words);

/*
 * Calls fn(arg, name) for the field of every term of q, in query order,
 * with name NULL for a term on any field or a field pattern ("*:x",
 * "user.*:x"); stops when fn returns 0.  Returns 0 when stopped, else 1.
 * Borrows q; thread-safe.
 */
int lh_kql_fields(const struct lh_kql *q, int (*fn)(void *arg,
    const char *name), void *arg);

/*
 * 1 when q matches only events whose keyword field holds one of some
 * values (the terms field:VALUE, without wildcards, that every match
 * needs); then fn(arg, value, len), when fn is not NULL, is called for
 * each of them (borrowed from q), and a 0 from fn makes the answer 0.
 * Else 0, and fn is not called.  Borrows q; thread-safe.
 */
int lh_kql_required_values(const struct lh_kql *q, const char *field,
    int (*fn)(void *arg, const char *v, size_t len), void *arg);

/*
 * When every match of q needs process.name to be one value that is a word
 * of a syslog-family or JSON record's raw text (the rule of
 * lh_kql_required_tags), that value lowercased (owned: free(3)); else, or
 * when out of memory, NULL.
 */
char *lh_kql_required_tag(const struct lh_kql *q);

#endif
