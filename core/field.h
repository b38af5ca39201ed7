/*
 * field.h: field types and the comparison of one event field value with
 * one query value, shared by every query language (KQL today; EQL and an
 * ES|QL subset next).
 *
 * DESIGN
 * A query language decides which field and which operator; this module
 * decides what "equal", "less than" or "matches" means for the field's
 * Elasticsearch type, so that every language agrees with the index it
 * imitates:
 *
 *   keyword  exact bytes, optionally case-insensitive; values longer than
 *            ignore_above (1024 characters) are not indexed, so nothing
 *            matches them; wildcards ('*', optionally '?');
 *   text     the standard analyzer (core/analyzer.h): match (any term),
 *            match_phrase (consecutive terms), and term-wise wildcards
 *            and ranges;
 *   long     [+-]digits[.digits], the fraction dropped (Elasticsearch's
 *            coercion), compared with a closed interval;
 *   date     strict_date_optional_time||epoch_millis in UTC, compared
 *            with a closed interval of microseconds; query values may
 *            use date math ("now-1d/d", "2024-01-01||+1M").
 *
 * Offline evidence has no index mapping, so lh_field_type() uses the
 * types ECS and the system integration give these fields (reference: ECS
 * schemas and packages/system/data_stream/syslog/fields): message and
 * error.message are (match_only_)text, so is every "*.text" multi-field;
 * @timestamp and a few event.* fields are dates; pids, ports, offsets and
 * similar are longs; everything else is keyword.
 *
 * Query values are prepared once (intervals, analysed terms) and compared
 * many times; the helpers on the hot path are static inline here.
 * Everything is a pure function of its arguments or of caller-owned
 * buffers: thread-safe.
 */
#ifndef LH_FIELD_H
#define LH_FIELD_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/analyzer.h"
#include "core/event.h"
#include "core/name.h"

/* ECS keyword fields are mapped with ignore_above: 1024 (characters). */
#define LH_FIELD_IGNORE_ABOVE 1024

enum lh_ftype {
	LH_T_KEYWORD = 0,	/* exact, case-sensitive */
	LH_T_TEXT,		/* standard analyzer */
	LH_T_LONG,		/* integer */
	LH_T_DATE,		/* date */
	LH_T_IP			/* ip: 16 bytes, terms take CIDR (core/ip.h) */
};

/* A comparison operator; LH_CMP_EQ is equality (or "matches"). */
enum lh_cmp {
	LH_CMP_EQ = 0,
	LH_CMP_LT,
	LH_CMP_LE,
	LH_CMP_GT,
	LH_CMP_GE
};

/* Flags of lh_field_wildcard() and lh_field_cmp_keyword(). */
#define LH_FIELD_NOCASE	0x1	/* compare simple Unicode lowercase forms */
#define LH_FIELD_QMARK	0x2	/* '?' in a pattern matches one character */

/* The type of the field named name (NUL-terminated; borrowed). */
/*
 * 1 when name is an ECS field that is always an array in Elasticsearch's
 * documents (ECS "normalize: array": event.category, event.type,
 * related.*, process.args, tags, ...), even with one value.  Thread-safe.
 */
int lh_field_is_array(const char *name);

/* Name i of the type table, or NULL past its end (for its tests). */
const char *lh_field_table_name(size_t i);

enum lh_ftype lh_field_type(const char *name);

/*
 * Compares the an bytes at a with the bn bytes at b like strcmp: bytewise,
 * a proper prefix first.  Returns < 0, 0 or > 0.
 */
static inline int
lh_span_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int r = memcmp(a, b, an < bn ? an : bn);

	if (r != 0)
		return r;
	return an < bn ? -1 : an > bn;
}

/* Whether a comparison result c (as from lh_span_cmp) satisfies op. */
static inline int
lh_cmp_holds(enum lh_cmp op, int c)
{
	switch (op) {
	case LH_CMP_LT:
		return c < 0;
	case LH_CMP_LE:
		return c <= 0;
	case LH_CMP_GT:
		return c > 0;
	case LH_CMP_GE:
		return c >= 0;
	default:
		return c == 0;
	}
}

/* ---- the values of a field --------------------------------------------- */

/*
 * Whether the event field name is the field named field.  Formats reuse
 * the LH_F_* strings, so pointer equality settles most cases.  (A test
 * of more bytes inline before strcmp, or an inline loop in its place,
 * measured slower in rule evaluation: the names looked up there share
 * their first bytes, "event.".)
 */
static inline int
lh_field_same_name(const char *name, const char *field)
{
	return name == field || (name[0] == field[0] &&
	    strcmp(name, field) == 0);
}

/*
 * The index of the first field of ev named name at or after index from,
 * or ev->nfield when there is none.  In a canon event, an interned name
 * is found by pointer (core/name.h).  A multi-valued field appears once
 * per value, so every value is visited by
 *	for (i = lh_field_find(ev, name, 0); i < ev->nfield;
 *	    i = lh_field_find(ev, name, i + 1))
 * Borrows ev and name.
 */
static inline size_t
lh_field_find(const struct lh_event *ev, const char *name, size_t from)
{
	if (ev->canon && lh_name_interned(name)) {
		for (; from < ev->nfield; from++)
			if (ev->fields[from].name == name)
				break;
		return from;
	}
	for (; from < ev->nfield; from++)
		if (lh_field_same_name(ev->fields[from].name, name))
			break;
	return from;
}

/*
 * The first field of ev named name (not empty), or NULL: lh_event_get(),
 * which calls it, inline.  Many of an event's names share a first byte
 * with the one looked up (the journal's "_" names, system.* and
 * source.*), so the first two bytes are compared before strcmp.
 * Borrows ev and name.
 */
static inline const struct lh_field *
lh_field_get(const struct lh_event *ev, const char *name)
{
	const char *n;
	size_t i;

	if (ev->canon && lh_name_interned(name)) {
		i = lh_field_find(ev, name, 0);
		return i < ev->nfield ? &ev->fields[i] : NULL;
	}
	for (i = 0; i < ev->nfield; i++) {
		n = ev->fields[i].name;
		if (n == name || (n[0] == name[0] && n[1] == name[1] &&
		    strcmp(n, name) == 0))
			return &ev->fields[i];
	}
	return NULL;
}

/*
 * @timestamp, which is ev->ts rather than a field: 1 with *t set when ev
 * has a wall-clock time (not a boot-relative one), else 0.
 */
static inline int
lh_field_timestamp(const struct lh_event *ev, int64_t *t)
{
	if (ev->ts == LH_TS_NONE || (ev->ts_flags & LH_TS_BOOT))
		return 0;
	*t = ev->ts;
	return 1;
}

/* ---- keyword ------------------------------------------------------------ */

/*
 * Matches the NUL-terminated pattern pat against the n bytes at s: '*'
 * matches any run, '?' one character when flags has LH_FIELD_QMARK, '\'
 * quotes the next character; LH_FIELD_NOCASE compares lowercase forms.
 * Without flags the comparison is bytewise.  Returns 1 or 0; borrows
 * everything.  O(len(pat) * n).
 */
int lh_field_wildcard(const char *pat, const char *s, size_t n,
    unsigned flags);

/* Whether a keyword value of n bytes is indexed (within ignore_above). */
int lh_field_keyword_indexed(const char *v, size_t n);

/*
 * Whether the keyword value v (vn bytes) compares to the query value q
 * (qn bytes) as op says; flags may hold LH_FIELD_NOCASE.  An unindexed
 * value (see above) matches nothing.  Borrows everything.
 * lh_field_cmp_keyword_full() does it all; the exact test of a value
 * short enough to be indexed, the rules' usual one, is inline.
 */
int lh_field_cmp_keyword_full(const char *v, size_t vn, enum lh_cmp op,
    const char *q, size_t qn, unsigned flags);

static inline int
lh_field_cmp_keyword(const char *v, size_t vn, enum lh_cmp op,
    const char *q, size_t qn, unsigned flags)
{
	/* (a value of at most ignore_above bytes has as few characters) */
	if (op == LH_CMP_EQ && !(flags & LH_FIELD_NOCASE) &&
	    vn <= LH_FIELD_IGNORE_ABOVE)
		return vn == qn && memcmp(v, q, vn) == 0;
	return lh_field_cmp_keyword_full(v, vn, op, q, qn, flags);
}

/* ---- long --------------------------------------------------------------- */

/*
 * Parses a long field's value, [+-]digits[.digits], into *v with the
 * fraction dropped.  LH_OK, or LH_FAIL (*v untouched).
 */
int lh_field_parse_long(const char *s, size_t n, int64_t *v);

/*
 * The closed interval [*lo, *hi] that "field op q" selects on a long
 * field.  A value with a fraction selects nothing for equality and is
 * rounded inwards for ranges, as a range on a long field does; an empty
 * interval has *lo > *hi.  LH_OK, or LH_FAIL when q is not a number.
 */
int lh_field_long_range(enum lh_cmp op, const char *q, size_t n,
    int64_t *lo, int64_t *hi);

/* Whether the long value v (n bytes) parses and lies in [lo, hi]. */
int lh_field_cmp_long(const char *v, size_t n, int64_t lo, int64_t hi);

/* ---- date --------------------------------------------------------------- */

/*
 * Parses a date field's value (strict_date_optional_time||epoch_millis,
 * UTC) into *t, microseconds since the epoch.  LH_OK or LH_FAIL.
 */
int lh_field_parse_date(const char *s, size_t n, int64_t *t);

/*
 * The closed interval of microseconds that "field op q" selects on a
 * date field: q is a date, "now" or either followed by date math; now is
 * the query's notion of the current time (µs).  A date with missing
 * fields covers all of them for equality, as Elasticsearch does.  LH_OK,
 * or LH_FAIL when q is not a date.
 */
int lh_field_date_range(enum lh_cmp op, const char *q, size_t n,
    int64_t now, int64_t *lo, int64_t *hi);

/* Whether the date value v (n bytes) parses and lies in [lo, hi]. */
int lh_field_cmp_date(const char *v, size_t n, int64_t lo, int64_t hi);

/* ---- text --------------------------------------------------------------- */

/* One analysed term of a query value. */
struct lh_term {
	char *s;		/* owned, NUL-terminated */
	uint32_t len, hash;	/* hash: lh_field_hash(s, len) */
};

/*
 * The analysed form of one text field value: its tokens and a hash table
 * over them, so that looking a term up costs a few probes.  Caller-owned
 * and reused from value to value (the buffers only grow).
 */
struct lh_text {
	struct lh_tokens t;
	uint32_t *slot;		/* open addressing: token index + 1, or 0 */
	size_t nslot, slotcap;
	uint32_t *thash;	/* lh_field_hash() of each token */
	size_t thcap;
};

/* The hash of the n bytes at s that lh_term and lh_text use (FNV-1a). */
static inline uint32_t
lh_field_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/*
 * Analyses the query value q (n bytes) into *terms, an owned array of
 * *nterms terms (free with lh_field_terms_free); *terms is NULL when
 * there are none.  tmp is caller-owned scratch.  LH_OK or LH_FATAL.
 */
int lh_field_terms(const char *q, size_t n, struct lh_tokens *tmp,
    struct lh_term **terms, size_t *nterms);
/* Frees the n terms of lh_field_terms(); NULL is a no-op. */
void lh_field_terms_free(struct lh_term *terms, size_t n);

/* Initializes an empty text (no allocation yet; zeroed memory is one too). */
void lh_field_text_init(struct lh_text *e);
/* Releases the memory of e. */
void lh_field_text_free(struct lh_text *e);

/*
 * Replaces the content of e with the analysed text value v (n bytes;
 * borrowed, not kept).  LH_OK or LH_FATAL (out of memory).
 */
int lh_field_text_analyze(struct lh_text *e, const char *v, size_t n);

/* The index of the first token of e equal to q, or -1. */
static inline long
lh_field_text_find(const struct lh_text *e, const struct lh_term *q)
{
	size_t h = q->hash & (e->nslot - 1);
	uint32_t k;

	while ((k = e->slot[h]) != 0) {
		if (e->t.len[k - 1] == q->len &&
		    memcmp(lh_token(&e->t, k - 1), q->s, q->len) == 0)
			return (long)k - 1;
		h = (h + 1) & (e->nslot - 1);
	}
	return -1;
}

/*
 * match: the index of a token of e equal to one of the n terms q, trying
 * the terms in order (*which is set to the term found), or -1.
 */
long lh_field_text_match(const struct lh_text *e, const struct lh_term *q,
    size_t n, size_t *which);

/* match_phrase: 1 when the n terms q occur in e at consecutive positions. */
int lh_field_text_phrase(const struct lh_text *e, const struct lh_term *q,
    size_t n);

/*
 * The index of the first token of e that compares to q (n bytes) as op
 * says, or -1.
 */
long lh_field_text_cmp(const struct lh_text *e, enum lh_cmp op,
    const char *q, size_t n);

/*
 * The index of the first token of e that pat matches (lh_field_wildcard()
 * with flags), or -1.  Tokens are lowercase: pass a lowercase pattern or
 * LH_FIELD_NOCASE.
 */
long lh_field_text_wildcard(const struct lh_text *e, const char *pat,
    unsigned flags);

#endif
