/*
 * grok.h: Elasticsearch's grok processor, for the patterns of the system
 * integration's ingest pipelines.
 *
 * DESIGN
 * Elasticsearch expands a grok pattern into an Oniguruma regex (Joni, Ruby
 * syntax, no options: libs/grok Grok.java) and joins a list of patterns
 * into one alternation "(?:p1)|(?:p2)|..." (GrokProcessor.combinePatterns)
 * that it searches for: the leftmost position where any pattern matches
 * wins, and at that position the first pattern in list order.  This module
 * reproduces that for the regex subset those pipelines use: literals,
 * ".", "[...]", \s \S \w \W \d \b \B, "^" and "$" (line anchors, as in
 * Ruby syntax), groups, (?:), (?>), lookahead, one-character lookbehind,
 * alternation, and the greedy, lazy and possessive quantifiers ? * + {m,n}.
 * The pattern text is kept exactly as the YAML writes it so a reviewer can
 * compare the two.
 *
 * Matching is backtracking, like Joni's, with a step budget in place of
 * Elasticsearch's matcher watchdog: a search that exceeds it fails the way
 * a timed-out grok does (nothing captured), so hostile lines cost bounded
 * time.  A compiled handle is immutable: any number of threads may match
 * with it at once.
 */
#ifndef LH_GROK_H
#define LH_GROK_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define LH_GROK_MAXCAP 32	/* named captures per grok */
#define LH_GROK_MAXALT 32	/* patterns per grok */

/* The type suffix of %{NAME:field:type}. */
enum lh_grok_type {
	LH_GROK_STR = 0,
	LH_GROK_INT,		/* :int, a Java int */
	LH_GROK_LONG		/* :long, a Java long */
};

/* A custom pattern (the processor's pattern_definitions). */
struct lh_grok_def {
	const char *name;
	const char *pattern;
};

struct lh_grok_cap {
	int id;			/* the capture number (lh_grok_field) */
	const char *field;	/* valid until lh_grok_free() */
	enum lh_grok_type type;
	const char *p;		/* into the subject, len bytes */
	size_t len;
	int64_t num;		/* the value of an :int or :long capture */
};

/* The captures of one match, in pattern order; only those that took part. */
struct lh_grok_result {
	struct lh_grok_cap cap[LH_GROK_MAXCAP];
	size_t ncap;
	int alt;		/* 1-based: which of the patterns matched */
};

struct lh_grok;

/*
 * Compiles the n patterns (n <= LH_GROK_MAXALT; tried as Elasticsearch
 * tries them, see DESIGN)
 * with the built-in legacy pattern bank plus defs (NULL-terminated by a
 * NULL name, or NULL).  Borrows its arguments.  Returns an owned handle
 * (free with lh_grok_free), or NULL with err filled: LH_FATAL when out of
 * memory, LH_FAIL for a pattern outside the supported subset.
 */
struct lh_grok *lh_grok_create(const char *const *patterns, size_t n,
    const struct lh_grok_def *defs, struct lh_err *err);

/* Releases g; NULL is a no-op. */
void lh_grok_free(struct lh_grok *g);

/*
 * The number of named captures of g, numbered from 0 in pattern order,
 * and the field of capture id (valid until lh_grok_free), or NULL: a
 * caller may resolve once what it does with each lh_grok_cap.id.
 */
int lh_grok_ncap(const struct lh_grok *g);
const char *lh_grok_field(const struct lh_grok *g, int id);

/*
 * Searches s (n bytes, need not be NUL-terminated) and fills r with the
 * captures of the first match; the spans point into s.  Returns LH_OK on a
 * match, LH_EOF when nothing matched, LH_WARN when the grok failed the way
 * Elasticsearch's would (step budget exhausted, or a typed capture that
 * Java's parseInt/parseLong refuses): r then holds nothing.  LH_FATAL when
 * out of memory.  Thread-safe.
 */
int lh_grok_match(const struct lh_grok *g, const char *s, size_t n,
    struct lh_grok_result *r);

/*
 * The first occurrence of lit (k bytes) in s (n bytes), or NULL; k == 0
 * finds s.  Borrows its arguments; the result points into s.
 */
const char *lh_grok_find(const char *s, size_t n, const char *lit, size_t k);

/* The capture of r for field, or NULL. */
const struct lh_grok_cap *lh_grok_get(const struct lh_grok_result *r,
    const char *field);

#endif
