/*
 * eql_parse.c: the EQL parser: a single-event query or a sequence, into
 * the immutable query of eql_int.h (lh_eql_compile).
 *
 * DESIGN
 * Recursive descent over the tokens of eql_lex.c, after Elasticsearch's
 * EqlBase.g4:
 *
 *   query     = sequence | event
 *   sequence  = "sequence" [header] subquery subquery...
 *   header    = "by" keys ["with" "maxspan" "=" span]
 *             | "with" "maxspan" "=" span ["by" keys]
 *   subquery  = "[" event "]" ["with" "runs" "=" N]
 *   event     = category "where" expr
 *   expr      = and {"or" and};  and = unary {"and" unary}
 *   unary     = "not" unary | "(" expr ")" | "true" | "false"
 *             | "cidrmatch" "(" field {"," string} ")" | comparison
 *
 * so "not" binds tighter than "and", which binds tighter than "or".  A
 * "sequence" needs at least two stages once runs are expanded, as
 * Elasticsearch requires.  Every construct of the language outside this
 * subset is recognized where it starts and refused by name (see eql.h).
 * Nesting is limited to LH_EQL_MAX_DEPTH; and/or chains are flat lists,
 * so evaluation recursion is bounded by the nesting too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/eql.h"
#include "core/eql_int.h"
#include "core/num.h"
#include "core/name.h"
#include "core/status.h"

static struct eql_node *expr(struct eql_parser *p);

void
eql_node_free(struct eql_node *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->nkid; i++)
		eql_node_free(n->kid[i]);
	free(n->kid);
	for (i = 0; i < n->nlit; i++) {
		free(n->lit[i].s);
		free(n->lit[i].pat);
	}
	free(n->lit);
	lh_name_free(n->field);
	free(n);
}

static struct eql_node *
node_new(struct eql_parser *p, enum eql_kind kind)
{
	struct eql_node *n = calloc(1, sizeof(*n));

	if (n == NULL)
		return eql_oom(p);
	n->kind = kind;
	return n;
}

/* Appends kid to n's children (taking ownership; freed on failure). */
static int
add_kid(struct eql_parser *p, struct eql_node *n, struct eql_node *kid)
{
	struct eql_node **k;

	if (kid == NULL)
		return -1;
	k = realloc(n->kid, (n->nkid + 1) * sizeof(*k));
	if (k == NULL) {
		eql_node_free(kid);
		return eql_oom(p), -1;
	}
	n->kid = k;
	n->kid[n->nkid++] = kid;
	return 0;
}

static struct eql_node *
wrap_not(struct eql_parser *p, struct eql_node *kid)
{
	struct eql_node *n;

	if (kid == NULL)
		return NULL;
	if ((n = node_new(p, EN_NOT)) == NULL) {
		eql_node_free(kid);
		return NULL;
	}
	if (add_kid(p, n, kid) != 0) {
		eql_node_free(n);
		return NULL;
	}
	return n;
}

/* Refuses the keyword forms of the language this subset leaves out. */
static int
refused_keyword(struct eql_parser *p)
{
	static const char *const kw[] = {
		"like", "regex", "join", "sample", "until", "descendant",
		"child", "event", "of"
	};
	size_t i;

	for (i = 0; i < sizeof(kw) / sizeof(kw[0]); i++)
		if (eql_is_kw(p, kw[i]))
			return eql_unsupported(p, kw[i]), 1;
	return 0;
}

/* A literal value: string, number, -number; into l (owned). */
static int
literal(struct eql_parser *p, struct eql_lit *l)
{
	int neg = 0;

	memset(l, 0, sizeof(*l));
	if (p->tok.t == ET_MATH && p->tok.s[0] == '-') {
		neg = 1;
		if (eql_next(p) != 0)
			return -1;
		if (p->tok.t != ET_NUMBER)
			return eql_fail(p, "a number after '-'"), -1;
	}
	if (!neg && (eql_is_kw(p, "true") || eql_is_kw(p, "false")))
		p->tok.t = ET_STRING;	/* a term query on "true"/"false" */
	if (p->tok.t == ET_IDENT && !refused_keyword(p))
		return eql_unsupported(p, "comparing a field to a field"), -1;
	if (p->tok.t != ET_STRING && p->tok.t != ET_NUMBER)
		return eql_fail(p, "a string or a number"), -1;
	l->n = p->tok.n + (size_t)neg;
	if ((l->s = malloc(l->n + 1)) == NULL)
		return eql_oom(p), -1;
	if (neg)
		l->s[0] = '-';
	memcpy(l->s + neg, p->tok.s, p->tok.n + 1);
	return eql_next(p);
}

/* Adds one literal to leaf n, prepared for its kind and type. */
static int
add_lit(struct eql_parser *p, struct eql_node *n)
{
	struct eql_lit *v, l;

	if (literal(p, &l) != 0) {
		free(l.s);
		return -1;
	}
	v = realloc(n->lit, (n->nlit + 1) * sizeof(*v));
	if (v == NULL) {
		free(l.s);
		return eql_oom(p), -1;
	}
	n->lit = v;
	n->lit[n->nlit++] = l;
	return eql_prepare(p, &n->lit[n->nlit - 1], n->kind, n->op, n->type);
}

/* "(" literal {"," literal} ")" into n. */
static int
lit_list(struct eql_parser *p, struct eql_node *n)
{
	if (p->tok.t != ET_LPAREN)
		return eql_fail(p, "'('"), -1;
	do {
		if (eql_next(p) != 0 || add_lit(p, n) != 0)
			return -1;
	} while (p->tok.t == ET_COMMA);
	if (p->tok.t != ET_RPAREN)
		return eql_fail(p, "',' or ')'"), -1;
	return eql_next(p);
}

/* A leaf on field (taken: owned by the leaf, freed on failure). */
static struct eql_node *
leaf(struct eql_parser *p, enum eql_kind kind, char *field)
{
	struct eql_node *n = node_new(p, kind);

	if (n == NULL) {
		free(field);
		return NULL;
	}
	n->field = lh_name_intern(field);
	n->type = lh_field_type(n->field);
	return n;
}

/* "f == null" / "f != null": exists, negated for ==. */
static struct eql_node *
null_test(struct eql_parser *p, enum eql_tok op, char *field)
{
	struct eql_node *n;

	if (op != ET_EQ && op != ET_NE) {
		free(field);
		return eql_fail(p, "== or != with null");
	}
	if ((n = leaf(p, EN_EXISTS, field)) == NULL)
		return NULL;
	if (eql_next(p) != 0) {
		eql_node_free(n);
		return NULL;
	}
	return op == ET_EQ ? wrap_not(p, n) : n;
}

static enum lh_cmp
cmp_of(enum eql_tok t)
{
	switch (t) {
	case ET_LT:
		return LH_CMP_LT;
	case ET_LE:
		return LH_CMP_LE;
	case ET_GT:
		return LH_CMP_GT;
	case ET_GE:
		return LH_CMP_GE;
	default:
		return LH_CMP_EQ;
	}
}

/* field OP literal, after the field; OP is the current token. */
static struct eql_node *
binary(struct eql_parser *p, char *field)
{
	enum eql_tok op = p->tok.t;
	struct eql_node *n;

	if (op == ET_COLON) {
		if ((n = leaf(p, EN_LIKE, field)) == NULL)
			return NULL;
		if (eql_next(p) != 0) {
			eql_node_free(n);
			return NULL;
		}
		if ((p->tok.t == ET_LPAREN ? lit_list(p, n) :
		    add_lit(p, n)) != 0) {
			eql_node_free(n);
			return NULL;
		}
		return n;
	}
	if (eql_next(p) != 0) {
		free(field);
		return NULL;
	}
	if (eql_is_kw(p, "null"))
		return null_test(p, op, field);
	if ((n = leaf(p, EN_CMP, field)) == NULL)
		return NULL;
	n->op = cmp_of(op);
	if (add_lit(p, n) != 0) {
		eql_node_free(n);
		return NULL;
	}
	return op == ET_NE ? wrap_not(p, n) : n;
}

/* field [not] in (...), after the field. */
static struct eql_node *
in_list(struct eql_parser *p, char *field)
{
	int neg = eql_is_kw(p, "not");
	struct eql_node *n;

	if (neg && (eql_next(p) != 0 || !eql_is_kw(p, "in"))) {
		free(field);
		return eql_fail(p, "'in' after 'not'");
	}
	if (eql_next(p) != 0) {
		free(field);
		return NULL;
	}
	if (p->tok.t == ET_TILDE) {
		free(field);
		return eql_unsupported(p, "in~");
	}
	if ((n = leaf(p, EN_IN, field)) == NULL)
		return NULL;
	if (lit_list(p, n) != 0) {
		eql_node_free(n);
		return NULL;
	}
	return neg ? wrap_not(p, n) : n;
}

/* cidrmatch(field, "block", ...), after the name and at "(". */
static struct eql_node *
cidrmatch(struct eql_parser *p)
{
	struct eql_node *n;
	char *field;

	if (eql_next(p) != 0)
		return NULL;
	if (p->tok.t != ET_IDENT || (!p->tok.quoted && refused_keyword(p)))
		return eql_fail(p, "a field name in cidrmatch()");
	field = p->tok.s;
	p->tok.s = NULL;
	if ((n = leaf(p, EN_CIDR, field)) == NULL || eql_next(p) != 0)
		goto bad;
	if (p->tok.t != ET_COMMA) {
		eql_fail(p, "',' and a CIDR block");
		goto bad;
	}
	while (p->tok.t == ET_COMMA)
		if (eql_next(p) != 0 || add_lit(p, n) != 0)
			goto bad;
	if (p->tok.t != ET_RPAREN) {
		eql_fail(p, "',' or ')'");
		goto bad;
	}
	if (eql_next(p) == 0)
		return n;
bad:
	eql_node_free(n);
	return NULL;
}

/* What follows a name: a function call or a comparison. */
static struct eql_node *
after_name(struct eql_parser *p, char *name, int quoted)
{
	if (!quoted && p->tok.t == ET_TILDE) {
		free(name);
		return eql_unsupported(p, "case-insensitive function (~)");
	}
	if (!quoted && p->tok.t == ET_LPAREN) {
		if (strcasecmp(name, "cidrmatch") == 0) {
			free(name);
			return cidrmatch(p);
		}
		char what[64];

		snprintf(what, sizeof(what), "function %.40s()", name);
		free(name);
		return eql_unsupported(p, what);
	}
	switch (p->tok.t) {
	case ET_EQ: case ET_NE: case ET_LT: case ET_LE: case ET_GT:
	case ET_GE: case ET_COLON:
		return binary(p, name);
	case ET_MATH:
		free(name);
		return eql_unsupported(p, "arithmetic");
	default:
		break;
	}
	if (eql_is_kw(p, "in") || eql_is_kw(p, "not"))
		return in_list(p, name);
	free(name);
	if (refused_keyword(p))
		return NULL;
	return eql_fail(p, "a comparison operator, 'in' or ':'");
}

static struct eql_node *
primary(struct eql_parser *p)
{
	struct eql_node *n;
	char *name;
	int quoted;

	if (p->tok.t == ET_LPAREN) {
		if (eql_next(p) != 0 || (n = expr(p)) == NULL)
			return NULL;
		if (p->tok.t != ET_RPAREN) {
			eql_node_free(n);
			return eql_fail(p, "')'");
		}
		if (eql_next(p) != 0) {
			eql_node_free(n);
			return NULL;
		}
		return n;
	}
	if (eql_is_kw(p, "true") || eql_is_kw(p, "false")) {
		n = node_new(p, eql_is_kw(p, "true") ? EN_TRUE : EN_FALSE);
		if (n != NULL && eql_next(p) != 0) {
			eql_node_free(n);
			return NULL;
		}
		return n;
	}
	if (p->tok.t != ET_IDENT || refused_keyword(p))
		return eql_fail(p, "a condition");
	name = p->tok.s;
	quoted = p->tok.quoted;
	p->tok.s = NULL;
	if (eql_next(p) != 0) {
		free(name);
		return NULL;
	}
	return after_name(p, name, quoted);
}

static struct eql_node *
unary(struct eql_parser *p)
{
	struct eql_node *n;

	if (++p->depth > LH_EQL_MAX_DEPTH)
		return eql_unsupported(p, "nesting deeper than 256");
	if (eql_is_kw(p, "not")) {
		n = eql_next(p) == 0 ? wrap_not(p, unary(p)) : NULL;
	} else {
		n = primary(p);
	}
	if (n != NULL) {
		switch (p->tok.t) {
		case ET_EQ: case ET_NE: case ET_LT: case ET_LE: case ET_GT:
		case ET_GE: case ET_COLON:
			eql_node_free(n);
			n = eql_unsupported(p, "chained comparison");
			break;
		default:
			break;
		}
	}
	p->depth--;
	return n;
}

/* kid {kw kid} as one flat node of kind (or kid itself when alone). */
static struct eql_node *
chain(struct eql_parser *p, const char *kw, enum eql_kind kind,
    struct eql_node *(*sub)(struct eql_parser *))
{
	struct eql_node *first = sub(p), *n;

	if (first == NULL || !eql_is_kw(p, kw))
		return first;
	if ((n = node_new(p, kind)) == NULL) {
		eql_node_free(first);
		return NULL;
	}
	add_kid(p, n, first);
	while (!p->failed && eql_is_kw(p, kw))
		if (eql_next(p) != 0 || add_kid(p, n, sub(p)) != 0)
			break;
	if (p->failed) {
		eql_node_free(n);
		return NULL;
	}
	return n;
}

static struct eql_node *
and_expr(struct eql_parser *p)
{
	return chain(p, "and", EN_AND, unary);
}

static struct eql_node *
expr(struct eql_parser *p)
{
	return chain(p, "or", EN_OR, and_expr);
}

/* category "where" expr, into st. */
static int
event_query(struct eql_parser *p, struct eql_step *st)
{
	st->runs = 1;
	if (refused_keyword(p))
		return -1;
	if (p->tok.t != ET_IDENT && p->tok.t != ET_STRING)
		return eql_fail(p, "an event category"), -1;
	if (p->tok.t == ET_STRING || p->tok.quoted ||
	    strcmp(p->tok.s, "any") != 0) {
		st->category = p->tok.s;
		p->tok.s = NULL;
	}
	if (eql_next(p) != 0)
		return -1;
	if (!eql_is_kw(p, "where"))
		return eql_fail(p, "'where'"), -1;
	if (eql_next(p) != 0 || (st->cond = expr(p)) == NULL)
		return -1;
	return 0;
}

/* "with KEY = N": the current token is "with"; *v gets N. */
static int
with_param(struct eql_parser *p, const char *key, int64_t lo, int64_t hi,
    int64_t *v)
{
	if (eql_next(p) != 0)
		return -1;
	if (!eql_is_kw(p, key)) {
		if (eql_is_kw(p, "runs") || eql_is_kw(p, "maxspan"))
			eql_fail(p, key);
		else
			eql_unsupported(p, "with option");
		return -1;
	}
	if (eql_next(p) != 0)
		return -1;
	if (p->tok.t != ET_ASSIGN)
		return eql_fail(p, "'='"), -1;
	if (eql_next(p) != 0)
		return -1;
	if (p->tok.t != ET_NUMBER ||
	    lh_num_parse(p->tok.s, p->tok.n, lo, hi, v) != LH_OK)
		return eql_fail(p, "a whole number in range"), -1;
	return eql_next(p);
}

/* maxspan=N unit, into q->maxspan_us. */
static int
maxspan(struct eql_parser *p, struct lh_eql *q)
{
	static const struct {
		const char *u;
		int64_t us;
	} unit[] = {
		{ "ms", 1000 }, { "s", 1000000 }, { "m", 60000000 },
		{ "h", 3600000000LL }, { "d", 86400000000LL }
	};
	int64_t v;
	size_t i;

	if (with_param(p, "maxspan", 0, INT64_MAX / 86400000000LL, &v) != 0)
		return -1;
	for (i = 0; i < sizeof(unit) / sizeof(unit[0]); i++)
		if (eql_is_kw(p, unit[i].u)) {
			q->maxspan_us = v * unit[i].us;
			return eql_next(p);
		}
	return eql_fail(p, "a time unit (ms, s, m, h, d)"), -1;
}

/* "by" k {"," k}: the current token is "by". */
static int
join_keys(struct eql_parser *p, struct lh_eql *q)
{
	char **k;

	do {
		if (eql_next(p) != 0)
			return -1;
		if (p->tok.t != ET_IDENT || refused_keyword(p))
			return eql_fail(p, "a join key field"), -1;
		if (q->nkey == LH_EQL_MAX_JOIN_KEYS)
			return eql_unsupported(p, "more than 16 join keys"),
			    -1;
		k = realloc(q->key, (q->nkey + 1) * sizeof(*k));
		if (k == NULL)
			return eql_oom(p), -1;
		q->key = k;
		q->key[q->nkey++] = lh_name_intern(p->tok.s);
		p->tok.s = NULL;
		if (eql_next(p) != 0)
			return -1;
	} while (p->tok.t == ET_COMMA);
	return 0;
}

static int
seq_header(struct eql_parser *p, struct lh_eql *q)
{
	int by = 0, with = 0;

	while (!p->failed) {
		if (!by && eql_is_kw(p, "by")) {
			by = 1;
			if (join_keys(p, q) != 0)
				return -1;
		} else if (!with && eql_is_kw(p, "with")) {
			with = 1;
			if (maxspan(p, q) != 0)
				return -1;
		} else {
			return 0;
		}
	}
	return -1;
}

/* "[" event "]" ["with" "runs" "=" N], appended to q. */
static int
subquery(struct eql_parser *p, struct lh_eql *q)
{
	struct eql_step *st;
	int64_t runs;

	if (q->nstep == LH_EQL_MAX_STEPS)
		return eql_unsupported(p, "more than 64 subqueries"), -1;
	st = realloc(q->step, (q->nstep + 1) * sizeof(*st));
	if (st == NULL)
		return eql_oom(p), -1;
	q->step = st;
	st = &q->step[q->nstep++];
	memset(st, 0, sizeof(*st));
	if (eql_next(p) != 0 || event_query(p, st) != 0)
		return -1;
	if (p->tok.t != ET_RBRACK)
		return eql_fail(p, "']'"), -1;
	if (eql_next(p) != 0)
		return -1;
	if (eql_is_kw(p, "by"))
		return eql_unsupported(p, "per-subquery by"), -1;
	if (eql_is_kw(p, "with")) {
		if (with_param(p, "runs", 1, LH_EQL_MAX_RUNS, &runs) != 0)
			return -1;
		st->runs = (unsigned)runs;
	}
	return 0;
}

static int
sequence(struct eql_parser *p, struct lh_eql *q)
{
	size_t i, stages = 0;

	q->seq = 1;
	if (eql_next(p) != 0 || seq_header(p, q) != 0)
		return -1;
	for (;;) {
		if (p->tok.t == ET_BANG)
			return eql_unsupported(p, "missing events (![...])"),
			    -1;
		if (p->tok.t != ET_LBRACK)
			break;
		if (subquery(p, q) != 0)
			return -1;
	}
	for (i = 0; i < q->nstep; i++)
		stages += q->step[i].runs;
	if (eql_is_kw(p, "until"))
		return eql_unsupported(p, "until"), -1;
	if (q->nstep == 0)
		return eql_fail(p, "'['"), -1;
	if (stages < 2)
		return eql_fail(p, "a second subquery (a sequence needs two)"),
		    -1;
	return 0;
}

static int
query(struct eql_parser *p, struct lh_eql *q)
{
	if (eql_next(p) != 0)
		return -1;
	if (eql_is_kw(p, "sequence")) {
		if (sequence(p, q) != 0)
			return -1;
	} else {
		if ((q->step = calloc(1, sizeof(*q->step))) == NULL)
			return eql_oom(p), -1;
		q->nstep = 1;
		if (event_query(p, q->step) != 0)
			return -1;
	}
	if (p->tok.t == ET_PIPE)
		return eql_unsupported(p, "pipe (|)"), -1;
	if (p->tok.t != ET_EOF)
		return refused_keyword(p) ? -1 :
		    (eql_fail(p, "the end of the query"), -1);
	return 0;
}

/*
 * The rank of a condition in the order its "and" tests it (lower first):
 * a term on a field that tells events apart, then a test of an address
 * (parsed) or a nested condition, then a term on a field every document
 * of a data stream carries (lh_event_constant_name), seldom false.
 */
static int
rank(const struct eql_node *n)
{
	switch (n->kind) {
	case EN_TRUE:
	case EN_FALSE:
		return 0;
	case EN_AND:
	case EN_OR:
	case EN_NOT:
	case EN_CIDR:
		return 1;
	default:
		if (lh_event_constant_name(n->field))
			return 2;
		return n->type == LH_T_IP ? 1 : 0;
	}
}

/*
 * Orders the operands of every "and" under n by rank, keeping the order
 * of equal ranks: evaluation keeps no state and an "and" of pure tests
 * has one value in any order, so an event most conditions refuse is
 * refused by its cheapest, most telling test.
 */
static void
order_ands(struct eql_node *n)
{
	struct eql_node *t;
	size_t i, k;

	for (i = 0; i < n->nkid; i++)
		order_ands(n->kid[i]);
	if (n->kind != EN_AND)
		return;
	for (i = 1; i < n->nkid; i++) {	/* insertion sort: stable */
		t = n->kid[i];
		for (k = i; k > 0 && rank(n->kid[k - 1]) > rank(t); k--)
			n->kid[k] = n->kid[k - 1];
		n->kid[k] = t;
	}
}

struct lh_eql *
lh_eql_compile(const char *text, size_t n, struct lh_err *err)
{
	struct eql_parser p;
	struct lh_eql *q;
	size_t i;

	lh_err_clear(err);
	if (n > LH_EQL_MAX_LEN) {
		lh_err_set(err, LH_FAIL, 0, "EQL query longer than %d bytes",
		    LH_EQL_MAX_LEN);
		return NULL;
	}
	memset(&p, 0, sizeof(p));
	p.src = text;
	p.n = n;
	p.err = err;
	if ((q = calloc(1, sizeof(*q))) == NULL ||
	    (q->catname = lh_name_intern(strdup("event.category"))) == NULL) {
		free(q);
		eql_oom(&p);
		return NULL;
	}
	if (query(&p, q) != 0 || p.failed) {
		if (!p.failed)
			lh_err_set(err, LH_FAIL, 0, "invalid EQL query");
		lh_eql_free(q);
		q = NULL;
	}
	for (i = 0; q != NULL && i < q->nstep; i++)
		order_ands(q->step[i].cond);
	free(p.tok.s);
	return q;
}
