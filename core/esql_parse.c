/*
 * esql_parse.c: the parser and compiler of the ES|QL subset: commands,
 * expressions, name resolution and type checking (lexing is in
 * esql_lex.c).
 *
 * DESIGN
 * Recursive descent over ES|QL's grammar (EsqlBaseParser.g4), restricted
 * to what loghunt evaluates: every other command, function or operator is
 * refused by name at the place it appears, so a rule is refused with a
 * reason instead of being evaluated wrongly.  Names are resolved while
 * parsing against the columns visible at that point of the pipeline: the
 * index's fields until the first KEEP (any name is a field then: offline
 * there is no mapping to check against, and a field the event lacks is
 * null, as an unpopulated mapped field is), the EVAL results and metadata
 * columns, then the KEEP list, then the STATS output.  Types come from
 * lh_field_type() (ECS types) and are checked as ES|QL's verifier does:
 * comparing a keyword with a number is an error, and a string literal
 * compared with a date or ip column is converted to one (ES|QL's implicit
 * casting of string literals).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/esql.h"
#include "core/esql_int.h"
#include "core/name.h"
#include "core/status.h"

static struct expr *p_expr(struct parser *p);

static const char *const type_names[] = {
	"null", "boolean", "long", "double", "datetime", "keyword", "ip",
	"time_duration"
};

/* The reserved words that end an integer (so "10 and" is no time span). */
static const char *const reserved[] = {
	"and", "or", "not", "in", "is", "null", "true", "false", "like",
	"rlike", "by", "asc", "desc", "nulls", "first", "last", "metadata",
	"on", "with", "as", NULL
};

void
esql_expr_free(struct expr *e)
{
	size_t i;

	if (e == NULL)
		return;
	for (i = 0; i < e->nkid; i++)
		esql_expr_free(e->kid[i]);
	free(e->kid);
	free((char *)(uintptr_t)e->lit.s);
	free(e);
}

void
lh_esql_free(struct lh_esql *q)
{
	size_t i;

	if (q == NULL)
		return;
	for (i = 0; i < q->nindex; i++)
		free(q->index[i]);
	free(q->index);
	for (i = 0; i < q->nslot; i++)
		lh_name_free(q->slot[i].name);
	free(q->slot);
	for (i = 0; i < q->ncmd; i++)
		esql_expr_free(q->cmd[i].e);
	free(q->cmd);
	free(q->agg);
	free(q->by);
	for (i = 0; i < q->nout; i++)
		free(q->out[i].name);
	free(q->out);
	for (i = 0; i < q->npost; i++)
		esql_expr_free(q->post[i]);
	free(q->post);
	free(q);
}

const char *const *
lh_esql_indices(const struct lh_esql *q, size_t *n)
{
	*n = q->nindex;
	return (const char *const *)q->index;
}

/* ---- names -------------------------------------------------------------- */

/* Appends an array element; LH_OK or esql_oom. */
static int
push(struct parser *p, void *pp, size_t *n, size_t elsize, const void *x)
{
	size_t cap = 0;
	char **a = pp;

	/* The capacity lh_grow() gave an array only ever grown by push. */
	if (*n > 0)
		for (cap = 16; cap < *n; cap *= 2)
			;

	if (lh_grow(pp, &cap, *n + 1, elsize) != LH_OK)
		return esql_oom(p);
	memcpy(*a + *n * elsize, x, elsize);
	(*n)++;
	return LH_OK;
}

static int
env_add(struct parser *p, const char *name, size_t ref)
{
	struct bind b = { name, ref };

	if (lh_grow(&p->env, &p->envcap, p->nenv + 1, sizeof(b)) != LH_OK)
		return esql_oom(p);
	p->env[p->nenv++] = b;
	return LH_OK;
}

static int
slot_add(struct parser *p, const char *name, size_t n, enum lh_esql_type t,
    enum slot_src src, size_t *ref)
{
	struct slot sl;

	memset(&sl, 0, sizeof(sl));
	if ((sl.name = lh_name_intern(lh_dupn(name, n))) == NULL)
		return esql_oom(p);
	sl.type = t;
	sl.src = src;
	if (src == SRC_FIELD) {
		enum lh_ftype ft = lh_field_type(sl.name);

		sl.text = ft == LH_T_TEXT;
		sl.type = ft == LH_T_LONG ? LH_ESQL_LONG : ft == LH_T_DATE ?
		    LH_ESQL_DATE : ft == LH_T_IP ? LH_ESQL_IP : LH_ESQL_KEYWORD;
	}
	if (push(p, &p->q->slot, &p->q->nslot, sizeof(sl), &sl) != LH_OK) {
		lh_name_free(sl.name);
		return p->status;
	}
	*ref = p->q->nslot - 1;
	return LH_OK;
}

/* Resolves the column named by the current token into *ref. */
static int
resolve(struct parser *p, size_t *ref)
{
	const struct tok *t = &p->t;
	size_t k;

	if (t->kind != T_IDENT && t->kind != T_QID)
		return esql_fail(p, t->at, "expected a column name");
	for (k = p->nenv; k-- > 0;) {
		const char *nm = p->env[k].name;

		if (strlen(nm) == t->slen && memcmp(nm, t->str, t->slen) == 0) {
			*ref = p->env[k].ref;
			return LH_OK;
		}
	}
	if (!p->implicit)
		return esql_fail(p, t->at, "Unknown column [%.*s]",
		    (int)t->slen, t->str);
	if (t->slen == 10 && memcmp(t->str, "@timestamp", 10) == 0) {
		if (slot_add(p, t->str, t->slen, LH_ESQL_DATE, SRC_TS,
		    ref) != LH_OK)
			return p->status;
	} else if (slot_add(p, t->str, t->slen, LH_ESQL_KEYWORD, SRC_FIELD,
	    ref) != LH_OK)
		return p->status;
	return env_add(p, p->q->slot[*ref].name, *ref);
}

/* ---- expressions -------------------------------------------------------- */

static struct expr *
node(struct parser *p, enum ekind k, enum lh_esql_type type)
{
	struct expr *e = calloc(1, sizeof(*e));

	if (e == NULL) {
		esql_oom(p);
		return NULL;
	}
	e->kind = k;
	e->type = type;
	return e;
}

/* Adds kid to e; on failure frees kid and returns the status. */
static int
add_kid(struct parser *p, struct expr *e, struct expr *kid)
{
	if (kid == NULL)
		return p->status;
	if (push(p, &e->kid, &e->nkid, sizeof(kid), &kid) != LH_OK) {
		esql_expr_free(kid);
		return p->status;
	}
	return LH_OK;
}

static int
numeric(enum lh_esql_type t)
{
	return t == LH_ESQL_LONG || t == LH_ESQL_DOUBLE;
}

/*
 * Makes a and b comparable: a string literal against a date or ip is
 * converted (ES|QL's implicit cast); otherwise the types must agree.
 */
static int
unify(struct parser *p, struct expr *a, struct expr *b, size_t at)
{
	struct expr *lit = a, *col = b;

	if (a->type == LH_ESQL_SPAN || b->type == LH_ESQL_SPAN)
		return esql_fail(p, at, "a time span cannot be compared");
	if (b->kind == E_LIT && b->type == LH_ESQL_KEYWORD) {
		lit = b;
		col = a;
	}
	if (lit->kind == E_LIT && lit->type == LH_ESQL_KEYWORD &&
	    col->type == LH_ESQL_DATE) {
		if (lh_field_parse_date(lit->lit.s, lit->lit.len,
		    &lit->lit.n) != LH_OK)
			return esql_fail(p, at, "cannot convert string [%.*s] "
			    "to [datetime]", (int)lit->lit.len, lit->lit.s);
		lit->type = lit->lit.type = LH_ESQL_DATE;
	} else if (lit->kind == E_LIT && lit->type == LH_ESQL_KEYWORD &&
	    col->type == LH_ESQL_IP) {
		if (lh_ip_parse(lit->lit.s, lit->lit.len, &lit->lit.ip) !=
		    LH_OK)
			return esql_fail(p, at, "cannot convert string [%.*s] "
			    "to [ip]", (int)lit->lit.len, lit->lit.s);
		lit->type = lit->lit.type = LH_ESQL_IP;
	}
	if (a->type == b->type || a->type == LH_ESQL_NULL ||
	    b->type == LH_ESQL_NULL || (numeric(a->type) && numeric(b->type)))
		return LH_OK;
	return esql_fail(p, at, "cannot compare [%s] with [%s]",
	    type_names[a->type], type_names[b->type]);
}

static struct expr *
binary(struct parser *p, enum ekind k, int op, struct expr *l,
    struct expr *r, size_t at)
{
	struct expr *e;

	if (l == NULL || r == NULL)
		goto fail;
	if (k == E_CMP && unify(p, l, r, at) != LH_OK)
		goto fail;
	if (k != E_CMP && ((l->type != LH_ESQL_BOOLEAN &&
	    l->type != LH_ESQL_NULL) || (r->type != LH_ESQL_BOOLEAN &&
	    r->type != LH_ESQL_NULL))) {
		esql_fail(p, at, "the operands of AND and OR must be boolean");
		goto fail;
	}
	if ((e = node(p, k, LH_ESQL_BOOLEAN)) == NULL)
		goto fail;
	e->op = op;
	if (add_kid(p, e, l) != LH_OK) {
		esql_expr_free(e);
		esql_expr_free(r);
		return NULL;
	}
	if (add_kid(p, e, r) != LH_OK) {
		esql_expr_free(e);
		return NULL;
	}
	return e;
fail:
	esql_expr_free(l);
	esql_expr_free(r);
	return NULL;
}

/* Wraps kid in a one-child node of kind k (NOT, IS NULL). */
static struct expr *
unary(struct parser *p, enum ekind k, int op, struct expr *kid)
{
	struct expr *e;

	if (kid == NULL)
		return NULL;
	if (k == E_NOT && kid->type != LH_ESQL_BOOLEAN &&
	    kid->type != LH_ESQL_NULL) {
		esql_fail(p, p->t.at, "the operand of NOT must be boolean");
		esql_expr_free(kid);
		return NULL;
	}
	if ((e = node(p, k, LH_ESQL_BOOLEAN)) == NULL) {
		esql_expr_free(kid);
		return NULL;
	}
	e->op = op;
	if (add_kid(p, e, kid) != LH_OK) {
		esql_expr_free(e);
		return NULL;
	}
	return e;
}

/* The time unit of a span literal (EsqlDataTypeConverter.INTERVALS). */
static int
span_unit(const struct tok *t, int64_t *us, int *cal)
{
	static const struct {
		const char *w;
		int64_t us;
		int cal;	/* days, months, years: a Period */
	} u[] = {
		{ "millisecond", 1000, 0 }, { "milliseconds", 1000, 0 },
		{ "ms", 1000, 0 }, { "second", 1000000, 0 },
		{ "seconds", 1000000, 0 }, { "sec", 1000000, 0 },
		{ "s", 1000000, 0 }, { "minute", 60000000, 0 },
		{ "minutes", 60000000, 0 }, { "min", 60000000, 0 },
		{ "hour", 3600000000, 0 }, { "hours", 3600000000, 0 },
		{ "h", 3600000000, 0 }, { "day", 1, 'd' }, { "days", 1, 'd' },
		{ "d", 1, 'd' }, { "week", 7, 'd' }, { "weeks", 7, 'd' },
		{ "w", 7, 'd' }, { "month", 1, 'm' }, { "months", 1, 'm' },
		{ "mo", 1, 'm' }, { "quarter", 3, 'm' }, { "quarters", 3, 'm' },
		{ "q", 3, 'm' }, { "year", 1, 'y' }, { "years", 1, 'y' },
		{ "yr", 1, 'y' }, { "y", 1, 'y' }
	};
	size_t k;

	for (k = 0; k < sizeof(u) / sizeof(u[0]); k++)
		if (esql_is_word(t, u[k].w)) {
			*us = u[k].us;
			*cal = u[k].cal;
			return 1;
		}
	return 0;
}

static int
is_reserved(const struct tok *t)
{
	size_t k;

	for (k = 0; reserved[k] != NULL; k++)
		if (esql_is_word(t, reserved[k]))
			return 1;
	return 0;
}

/*
 * An integer literal, or "N unit" (a time span: e->span holds the count of
 * units and e->unit/e->op their kind).  The current token is the integer.
 */
static struct expr *
p_integer(struct parser *p, int neg)
{
	struct expr *e;
	int64_t n = neg ? -p->t.n : p->t.n, us;
	int cal;

	if ((e = node(p, E_LIT, LH_ESQL_LONG)) == NULL)
		return NULL;
	e->lit.type = LH_ESQL_LONG;
	e->lit.n = n;
	e->lit.d = (double)n;
	if (esql_next(p) != LH_OK)
		goto fail;
	if (p->t.kind != T_IDENT || is_reserved(&p->t))
		return e;
	if (!span_unit(&p->t, &us, &cal)) {
		esql_fail(p, p->t.at, "Unexpected temporal unit: '%.*s'",
		    (int)p->t.slen, p->t.str);
		goto fail;
	}
	e->type = e->lit.type = LH_ESQL_SPAN;
	e->op = cal;
	e->span = us;
	if (esql_next(p) == LH_OK)
		return e;
fail:
	esql_expr_free(e);
	return NULL;
}

/* A literal at the current token (string, number, null, true, false). */
static struct expr *
p_literal(struct parser *p)
{
	struct expr *e;
	int neg = 0;

	if (p->t.kind == T_MINUS) {
		if (esql_next(p) != LH_OK)
			return NULL;
		if (p->t.kind != T_INT && p->t.kind != T_DEC) {
			esql_fail(p, p->t.at, "expected a number after '-'");
			return NULL;
		}
		neg = 1;
	}
	if (p->t.kind == T_INT)
		return p_integer(p, neg);
	if ((e = node(p, E_LIT, LH_ESQL_NULL)) == NULL)
		return NULL;
	if (p->t.kind == T_DEC) {
		e->type = e->lit.type = LH_ESQL_DOUBLE;
		e->lit.d = neg ? -p->t.d : p->t.d;
	} else if (p->t.kind == T_STR) {
		e->type = e->lit.type = LH_ESQL_KEYWORD;
		e->lit.len = p->t.slen;
		if ((e->lit.s = lh_dupn(p->t.str, p->t.slen)) == NULL) {
			esql_oom(p);
			goto fail;
		}
	} else if (esql_is_word(&p->t, "true") ||
	    esql_is_word(&p->t, "false")) {
		e->type = e->lit.type = LH_ESQL_BOOLEAN;
		e->lit.n = esql_is_word(&p->t, "true");
	} else if (!esql_is_word(&p->t, "null")) {
		esql_fail(p, p->t.at, "expected an expression");
		goto fail;
	}
	if (esql_next(p) == LH_OK)
		return e;
fail:
	esql_expr_free(e);
	return NULL;
}

/* Whether an integer count of a date_trunc unit is supported. */
static int
trunc_setup(struct parser *p, struct expr *e, const struct expr *span,
    size_t at)
{
	int64_t n = span->lit.n;

	if (n <= 0)
		return esql_fail(p, at, "Zero or negative time interval is "
		    "not supported");
	if (span->op == 0) {	/* Duration: fixed interval from the epoch */
		e->unit = TU_FIXED;
		if (n > INT64_MAX / span->span)
			return esql_fail(p, at, "time interval out of range");
		e->span = n * span->span;
		return LH_OK;
	}
	if (span->op == 'd') {	/* Period.ofDays / ofWeeks */
		if (n > INT64_MAX / 86400000000 / span->span)
			return esql_fail(p, at, "time interval out of range");
		n *= span->span;
		e->unit = n == 1 ? TU_DAY : n == 7 ? TU_WEEK : TU_FIXED;
		e->span = n * 86400000000;
		return LH_OK;
	}
	if (span->op == 'm' && n * span->span <= 3 && n * span->span != 2) {
		e->unit = n * span->span == 1 ? TU_MONTH : TU_QUARTER;
		return LH_OK;
	}
	if (span->op == 'y' && n == 1) {
		e->unit = TU_YEAR;
		return LH_OK;
	}
	return esql_fail(p, at, "DATE_TRUNC by several months or years is "
	    "not supported");
}

/* date_trunc(span, date): the current token is the '('. */
static struct expr *
p_date_trunc(struct parser *p, size_t at)
{
	struct expr *e, *span = NULL, *d = NULL;

	if ((e = node(p, E_TRUNC, LH_ESQL_DATE)) == NULL ||
	    esql_next(p) != LH_OK || (span = p_expr(p)) == NULL)
		goto fail;
	if (span->type != LH_ESQL_SPAN) {
		esql_fail(p, at, "the first argument of DATE_TRUNC must be a "
		    "time span such as 5 minutes");
		goto fail;
	}
	if (trunc_setup(p, e, span, at) != LH_OK)
		goto fail;
	if (p->t.kind != T_COMMA) {
		esql_fail(p, p->t.at, "expected ','");
		goto fail;
	}
	if (esql_next(p) != LH_OK || (d = p_expr(p)) == NULL)
		goto fail;
	if (d->type != LH_ESQL_DATE && d->type != LH_ESQL_NULL) {
		esql_fail(p, at, "the second argument of DATE_TRUNC must be "
		    "a date, not [%s]", type_names[d->type]);
		goto fail;
	}
	if (p->t.kind != T_RP) {
		esql_fail(p, p->t.at, "expected ')'");
		goto fail;
	}
	esql_expr_free(span);
	span = NULL;
	if (add_kid(p, e, d) != LH_OK || esql_next(p) != LH_OK) {
		d = NULL;
		goto fail;
	}
	return e;
fail:
	esql_expr_free(span);
	esql_expr_free(d);
	esql_expr_free(e);
	return NULL;
}

/* A function call; the current token is the '(' after its name. */
static struct expr *
p_call(struct parser *p, const char *name, size_t n, size_t at)
{
	struct tok t = { T_IDENT, at, n, name, n, 0, 0, 0 };

	if (esql_is_word(&t, "date_trunc"))
		return p_date_trunc(p, at);
	if (esql_is_word(&t, "count") || esql_is_word(&t, "count_distinct") ||
	    esql_is_word(&t, "values"))
		esql_fail(p, at, "aggregate function %.*s is only allowed in "
		    "STATS", (int)n, name);
	else
		esql_fail(p, at, "ES|QL function %.*s is not supported",
		    (int)n, name);
	return NULL;
}

/* A column reference, a function call or a literal. */
static struct expr *
p_primary(struct parser *p)
{
	struct expr *e;
	size_t at = p->t.at, ref;
	char *name;

	if (p->t.kind == T_LP) {
		if (esql_next(p) != LH_OK || (e = p_expr(p)) == NULL)
			return NULL;
		if (p->t.kind != T_RP || esql_next(p) != LH_OK) {
			esql_fail(p, p->t.at, "expected ')'");
			esql_expr_free(e);
			return NULL;
		}
		return e;
	}
	if ((p->t.kind != T_IDENT || is_reserved(&p->t)) && p->t.kind != T_QID)
		return p_literal(p);
	if ((name = lh_dupn(p->t.str, p->t.slen)) == NULL) {
		esql_oom(p);
		return NULL;
	}
	ref = p->t.slen;
	if (esql_next(p) != LH_OK)
		e = NULL;
	else if (p->t.kind == T_LP)
		e = p_call(p, name, ref, at);
	else if ((e = node(p, E_COL, LH_ESQL_NULL)) != NULL) {
		struct tok save = p->t;

		p->t = (struct tok){ T_QID, at, ref, name, ref, 0, 0, 0 };
		if (resolve(p, &e->col) != LH_OK) {
			esql_expr_free(e);
			e = NULL;
		} else
			e->type = p->post ? p->q->out[e->col].type :
			    p->q->slot[e->col].type;
		p->t = save;
	}
	free(name);
	return e;
}

/* The list of IN: the current token is the '('. */
static struct expr *
p_in(struct parser *p, struct expr *l, size_t at)
{
	struct expr *e, *v;

	if (l == NULL || (e = node(p, E_IN, LH_ESQL_BOOLEAN)) == NULL) {
		esql_expr_free(l);
		return NULL;
	}
	if (add_kid(p, e, l) != LH_OK || esql_next(p) != LH_OK)
		goto fail;
	for (;;) {
		if ((v = p_expr(p)) == NULL)
			goto fail;
		if (unify(p, l, v, at) != LH_OK || add_kid(p, e, v) != LH_OK) {
			if (p->status == LH_FAIL)
				esql_expr_free(v);
			goto fail;
		}
		if (p->t.kind == T_RP)
			break;
		if (p->t.kind != T_COMMA || esql_next(p) != LH_OK) {
			esql_fail(p, p->t.at, "expected ',' or ')'");
			goto fail;
		}
	}
	if (esql_next(p) == LH_OK)
		return e;
fail:
	esql_expr_free(e);
	return NULL;
}

/* IS [NOT] NULL after l; the current token is IS. */
static struct expr *
p_is(struct parser *p, struct expr *l)
{
	int neg = 0;

	if (esql_next(p) != LH_OK)
		goto fail;
	if (esql_is_word(&p->t, "not")) {
		neg = 1;
		if (esql_next(p) != LH_OK)
			goto fail;
	}
	if (!esql_is_word(&p->t, "null")) {
		esql_fail(p, p->t.at, "expected NULL after IS");
		goto fail;
	}
	if (esql_next(p) != LH_OK)
		goto fail;
	return unary(p, E_ISNULL, neg, l);
fail:
	esql_expr_free(l);
	return NULL;
}

/* A comparison, IN, IS NULL, or a primary. */
static struct expr *
p_pred(struct parser *p)
{
	struct expr *l = p_primary(p);
	size_t at = p->t.at;
	int op;

	if (l == NULL)
		return NULL;
	if (p->t.kind == T_OP) {
		op = p->t.op;
		if (esql_next(p) != LH_OK) {
			esql_expr_free(l);
			return NULL;
		}
		return binary(p, E_CMP, op, l, p_primary(p), at);
	}
	if (esql_is_word(&p->t, "is"))
		return p_is(p, l);
	if (esql_is_word(&p->t, "not")) {
		if (esql_next(p) != LH_OK || !esql_is_word(&p->t, "in")) {
			esql_fail(p, p->t.at, "expected IN after NOT");
			esql_expr_free(l);
			return NULL;
		}
		if (esql_next(p) != LH_OK || p->t.kind != T_LP) {
			esql_fail(p, p->t.at, "expected '(' after IN");
			esql_expr_free(l);
			return NULL;
		}
		return unary(p, E_NOT, 0, p_in(p, l, at));
	}
	if (esql_is_word(&p->t, "in")) {
		if (esql_next(p) != LH_OK || p->t.kind != T_LP) {
			esql_fail(p, p->t.at, "expected '(' after IN");
			esql_expr_free(l);
			return NULL;
		}
		return p_in(p, l, at);
	}
	if (esql_is_word(&p->t, "like") || esql_is_word(&p->t, "rlike")) {
		esql_fail(p, at, "ES|QL operator %.*s is not supported",
		    (int)p->t.slen, p->t.str);
		esql_expr_free(l);
		return NULL;
	}
	return l;
}

static struct expr *
p_not(struct parser *p)
{
	struct expr *e;

	if (!esql_is_word(&p->t, "not"))
		return p_pred(p);
	if (++p->depth > LH_ESQL_MAX_DEPTH) {
		esql_fail(p, p->t.at, "expression nested too deeply");
		return NULL;
	}
	if (esql_next(p) != LH_OK)
		return NULL;
	e = unary(p, E_NOT, 0, p_not(p));
	p->depth--;
	return e;
}

static struct expr *
p_and(struct parser *p)
{
	struct expr *e = p_not(p);
	size_t at;

	while (e != NULL && esql_is_word(&p->t, "and")) {
		at = p->t.at;
		if (esql_next(p) != LH_OK) {
			esql_expr_free(e);
			return NULL;
		}
		e = binary(p, E_AND, 0, e, p_not(p), at);
	}
	return e;
}

static struct expr *
p_expr(struct parser *p)
{
	struct expr *e;
	size_t at;

	if (++p->depth > LH_ESQL_MAX_DEPTH) {
		esql_fail(p, p->t.at, "expression nested too deeply");
		return NULL;
	}
	e = p_and(p);
	while (e != NULL && esql_is_word(&p->t, "or")) {
		at = p->t.at;
		if (esql_next(p) != LH_OK) {
			esql_expr_free(e);
			return NULL;
		}
		e = binary(p, E_OR, 0, e, p_and(p), at);
	}
	p->depth--;
	return e;
}

/* A boolean condition (WHERE). */
struct expr *
esql_condition(struct parser *p)
{
	size_t at = p->t.at;
	struct expr *e = p_expr(p);

	if (e != NULL && e->type != LH_ESQL_BOOLEAN && e->type != LH_ESQL_NULL) {
		esql_fail(p, at, "WHERE condition must be boolean, not [%s]",
		    type_names[e->type]);
		esql_expr_free(e);
		return NULL;
	}
	return e;
}

/* A column name for EVAL, STATS or KEEP; an owned copy, or NULL. */
char *
esql_name(struct parser *p)
{
	char *s;

	if (p->t.kind != T_QID && (p->t.kind != T_IDENT ||
	    is_reserved(&p->t))) {
		esql_fail(p, p->t.at, "expected a column name");
		return NULL;
	}
	if ((s = lh_dupn(p->t.str, p->t.slen)) == NULL)
		esql_oom(p);
	return s;
}

/* Resolves the column named by the current token (for esql_cmd.c). */
int
esql_resolve(struct parser *p, size_t *ref)
{
	return resolve(p, ref);
}

int
esql_env_add(struct parser *p, const char *name, size_t ref)
{
	return env_add(p, name, ref);
}

int
esql_slot_add(struct parser *p, const char *name, enum lh_esql_type t,
    enum slot_src src, size_t *ref)
{
	return slot_add(p, name, strlen(name), t, src, ref);
}

int
esql_push(struct parser *p, void *pp, size_t *n, size_t elsize,
    const void *x)
{
	return push(p, pp, n, elsize, x);
}

const char *
esql_type_name(enum lh_esql_type t)
{
	return type_names[t];
}

struct expr *
esql_expr(struct parser *p)
{
	return p_expr(p);
}
