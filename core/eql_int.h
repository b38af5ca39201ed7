/*
 * eql_int.h: the compiled EQL query and the parser state, shared by the
 * EQL stages (eql_lex.c, eql_parse.c, eql_eval.c) and by nothing else.
 *
 * DESIGN
 * eql_lex.c cuts the query into tokens on demand (one token of
 * lookahead); eql_parse.c builds the query from them: the sequence
 * header, and for each (sub)query its category and a tree of struct
 * eql_node whose literals are prepared for the field's type when the
 * comparison is parsed (core/field.h).  The query is immutable after
 * compilation; eql_eval.c evaluates it per event.
 */
#ifndef LH_EQL_INT_H
#define LH_EQL_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/field.h"
#include "core/ip.h"

enum eql_tok {
	ET_EOF, ET_IDENT, ET_STRING, ET_NUMBER, ET_LPAREN, ET_RPAREN,
	ET_LBRACK, ET_RBRACK, ET_COMMA, ET_EQ, ET_NE, ET_LT, ET_LE, ET_GT,
	ET_GE, ET_COLON, ET_ASSIGN, ET_PIPE, ET_TILDE, ET_BANG, ET_MATH,
	ET_ERROR
};

struct eql_token {
	enum eql_tok t;
	size_t at;		/* byte offset in the query */
	char *s;		/* owned: decoded string, identifier, number */
	size_t n;
	int quoted;		/* an identifier in backticks or ?optional */
};

struct eql_parser {
	const char *src;
	size_t n, pos;		/* pos: where the lexer goes on */
	struct eql_token tok;	/* the current token */
	struct lh_err *err;
	int failed, depth;
};

/*
 * The leaves are the Query DSL queries Elasticsearch makes of them (see
 * eql.h): each is true when some value of the field satisfies it, and
 * EN_NOT is must_not.
 */
enum eql_kind {
	EN_TRUE, EN_FALSE,
	EN_AND, EN_OR, EN_NOT,
	EN_CMP,			/* f op v: term or range */
	EN_IN,			/* f in (v...): terms */
	EN_LIKE,		/* f : (v...): case-insensitive term/wildcard */
	EN_EXISTS,		/* f != null */
	EN_CIDR			/* cidrmatch(f, block...) */
};

/* A literal, prepared for the type of the field it is compared with. */
struct eql_lit {
	char *s;		/* owned, NUL-terminated, n bytes */
	size_t n;
	char *pat;		/* EN_LIKE with a wildcard: the pattern */
	int ok;			/* the forms below are valid */
	int64_t lo, hi;		/* long/date: the interval selected */
	struct lh_ip ip;	/* ip: address or block */
	int bits;
};

struct eql_node {
	enum eql_kind kind;
	enum lh_cmp op;		/* EN_CMP */
	char *field;		/* owned; leaves only */
	enum lh_ftype type;
	struct eql_lit *lit;	/* owned array of nlit */
	size_t nlit;
	struct eql_node **kid;	/* owned array of nkid (and, or, not) */
	size_t nkid;
	size_t share;		/* leaves: lh_eql_share's number, 0: none */
};

struct eql_step {
	char *category;		/* owned; NULL for "any" */
	struct eql_node *cond;
	unsigned runs;
};

struct lh_eql {
	int seq;
	struct eql_step *step;	/* owned array of nstep */
	size_t nstep;
	char **key;		/* owned array of nkey names (interned) */
	size_t nkey;
	char *catname;		/* "event.category", interned (core/name.h) */
	int64_t maxspan_us;
};

/* ---- eql_lex.c ---------------------------------------------------------- */

/*
 * Scans the next token into p->tok (freeing the previous one).  Returns 0,
 * or -1 after recording an error in p.
 */
int eql_next(struct eql_parser *p);

/* Whether the current token is the unquoted keyword kw. */
int eql_is_kw(const struct eql_parser *p, const char *kw);

/*
 * Records "column C: expected WHAT" at the current token unless an error
 * is recorded already; returns NULL, for "return eql_fail(...)".
 */
void *eql_fail(struct eql_parser *p, const char *what);
/* Records "unsupported EQL feature: NAME"; returns NULL. */
void *eql_unsupported(struct eql_parser *p, const char *name);
/* Records running out of memory; returns NULL. */
void *eql_oom(struct eql_parser *p);

/* ---- eql_parse.c / eql_eval.c ------------------------------------------- */

/*
 * Prepares the literal l for comparisons of kind with op on a field of
 * type t.  Returns 0, or -1 after recording an error in p.
 */
int eql_prepare(struct eql_parser *p, struct eql_lit *l, enum eql_kind kind,
    enum lh_cmp op, enum lh_ftype t);

/* Frees n and its subtree; NULL is a no-op. */
void eql_node_free(struct eql_node *n);

#endif
