/*
 * kql_int.h: the compiled KQL tree and the parser state, shared by the
 * KQL stages (kql_lex.c, kql_parse.c, kql_eval.c, kql_words.c) and by
 * nothing else.
 *
 * DESIGN
 * lh_kql_compile() (kql_parse.c) drives the lexer (kql_lex.c) over the
 * query and builds a tree of struct node; each "is", "exists" and "range"
 * becomes a struct leaf holding every form of its value that the field
 * types need, prepared with core/field.h.  The tree is immutable after
 * compilation; kql_eval.c evaluates it per event and kql_words.c derives
 * the prefilter's required words from it.
 */
#ifndef LH_KQL_INT_H
#define LH_KQL_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core/analyzer.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/field.h"
#include "core/ip.h"

/*
 * The operator of a leaf: the comparisons are core/field.h's, so a leaf's
 * op converts to enum lh_cmp unless it is OP_EXISTS.
 */
enum op {
	OP_IS = LH_CMP_EQ,
	OP_LT = LH_CMP_LT,
	OP_LE = LH_CMP_LE,
	OP_GT = LH_CMP_GT,
	OP_GE = LH_CMP_GE,
	OP_EXISTS
};
enum scope { SC_FIELD, SC_GLOB, SC_ANY };
enum kind { K_OR, K_AND, K_NOT, K_LEAF, K_ALL };

struct leaf {
	enum op op;
	enum scope scope;
	enum lh_ftype type;	/* SC_FIELD only */
	int quoted, wild, is_ts;
	char *field;		/* name (SC_FIELD), glob (SC_GLOB) or NULL */
	char *val;		/* decoded value, vlen bytes */
	size_t vlen;
	char *pat;		/* glob pattern of a wildcard value */
	char *lpat;		/* the same, lowercased, for text tokens */
	struct lh_term *tok;	/* analysed value */
	size_t ntok;
	char *needle;		/* a quoted value's ASCII tokens joined by */
	size_t nlen;		/* single spaces (kql_phrase_needle), or NULL */
	int num_ok, date_ok;	/* the value as a long / a date */
	int ip_ok, ipbits;	/* the value as an ip block (or address) */
	struct lh_ip ip;
	int64_t nlo, nhi, dlo, dhi;	/* closed intervals, empty if lo > hi */
};

/*
 * An or of plain words on one text field ("message:(a or b or ...)") gets
 * a table from each word's tokens to the first child that has it, so the
 * field's tokens are looked up once instead of every child scanning them;
 * an or of exact values on one keyword field ("user.name:(bin or sys or
 * ...)") gets one from each value (keys: terms of its own, borrowing the
 * leaves' values), so each value of the field is looked up once.
 */
struct tokent {
	const struct lh_term *t;
	uint32_t kid, pos;	/* the first child with t, t's index in it */
};

struct tokmap {
	const char *field;	/* borrowed from the children */
	struct lh_term *keys;	/* keyword values, or NULL: text tokens */
	struct tokent *e;
	size_t ne;
	uint32_t *slot;		/* open addressing: entry index + 1, or 0 */
	size_t nslot;
};

struct node {
	enum kind kind;
	struct node **kid;
	size_t nkid;
	struct leaf *leaf;
	struct tokmap *map;	/* K_OR only, may be NULL */
	uint16_t *order;	/* K_AND: kids cheapest first (lh_kql_plan) */
	int planned;		/* the root: some order differs from kid's */
};

struct lh_kql {
	struct node *root;
};

struct parser {
	const char *s;
	size_t n, pos;
	int depth;
	int failed, oom;
	struct lh_err *err;
	int64_t now;		/* µs, for date math */
	struct lh_buf val, pat;	/* the literal being scanned */
	struct lh_buf prefix;	/* nested path, as a glob pattern */
	int prefix_wild;
	struct lh_tokens toks;
};

/* A scanned literal: the value, and the same as a glob pattern. */
struct lit {
	char *val, *pat;
	size_t vlen;
	int quoted, wild;
	size_t at;
};

/* ---- kql_lex.c ---------------------------------------------------------- */


/* The position after the grammar's Space* at i. */
size_t kql_skip_spaces(const struct parser *p, size_t i);
/* Or / And: Space+ kw Space+ at i; the position after it, or 0. */
size_t kql_conj_at(const struct parser *p, size_t i, const char *kw);
/* Not: 'not' Space+ at i; the position after it, or 0. */
size_t kql_not_at(const struct parser *p, size_t i);
/* The 1-based column (in characters) of byte offset at. */
size_t kql_column(const struct parser *p, size_t at);

/*
 * Records a syntax error at at ("expected what") unless one is recorded
 * already; kql_fail_oom() records running out of memory.  Both return
 * NULL, for "return kql_fail(...)" in the parser.
 */
struct node *kql_fail(struct parser *p, size_t at, const char *what);
struct node *kql_fail_oom(struct parser *p);

/*
 * Scans a Literal at p->pos into l (owned strings: free with
 * kql_lit_free).  Returns 1, or 0 when there is none here or on error
 * (p->failed).
 */
int kql_literal(struct parser *p, struct lit *l);
void kql_lit_free(struct lit *l);

/* ---- kql_parse.c -------------------------------------------------------- */

/* Frees n and its subtree; NULL is a no-op. */
void kql_node_free(struct node *n);

#endif
