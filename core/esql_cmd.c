/*
 * esql_cmd.c: the command level of the ES|QL subset (FROM, EVAL,
 * MV_EXPAND, WHERE, KEEP, STATS) and lh_esql_compile().
 *
 * DESIGN
 * Each command updates the set of visible columns as ES|QL defines it
 * (ES|QL reference, "Processing commands"): EVAL appends (or shadows) a
 * column, KEEP leaves exactly the columns it lists, STATS leaves its
 * aggregates followed by its BY keys.  Commands ES|QL has but loghunt
 * does not evaluate are refused by name; a query must end in STATS and
 * optional WHEREs over its output, as aggregating rules do.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/esql.h"
#include "core/esql_int.h"
#include "core/status.h"

/* Reads the next token; on an error returns the status from the caller. */
#define NEXT(p)                                                            \
	do {                                                               \
		if (esql_next(p) != LH_OK)                                 \
			return (p)->status;                                \
	} while (0)

static int
add_cmd(struct parser *p, enum ckind k, size_t slot, struct expr *e)
{
	struct cmd c = { k, slot, e };

	if (esql_push(p, &p->q->cmd, &p->q->ncmd, sizeof(c), &c) != LH_OK) {
		esql_expr_free(e);
		return p->status;
	}
	return LH_OK;
}

/* FROM pattern, ... [METADATA name, ...] */
static int
c_from(struct parser *p)
{
	char *s;
	size_t ref;

	do {
		if (esql_lex_pattern(p) != LH_OK)
			return p->status;
		if (p->t.kind == T_EOF)
			return esql_fail(p, p->t.at, "expected an index pattern");
		if ((s = malloc(p->t.slen + 1)) == NULL)
			return esql_oom(p);
		memcpy(s, p->t.str, p->t.slen);
		s[p->t.slen] = '\0';
		if (esql_push(p, &p->q->index, &p->q->nindex, sizeof(s),
		    &s) != LH_OK) {
			free(s);
			return p->status;
		}
		NEXT(p);
	} while (p->t.kind == T_COMMA);
	if (!esql_is_word(&p->t, "metadata"))
		return LH_OK;
	do {
		NEXT(p);
		if ((s = esql_name(p)) == NULL)
			return p->status;
		/* Offline there is no _id, _index or _version: null. */
		if (esql_slot_add(p, s, strcmp(s, "_version") == 0 ?
		    LH_ESQL_LONG : strcmp(s, "_score") == 0 ? LH_ESQL_DOUBLE :
		    LH_ESQL_KEYWORD, SRC_NULL, &ref) != LH_OK) {
			free(s);
			return p->status;
		}
		free(s);
		if (esql_env_add(p, p->q->slot[ref].name, ref) != LH_OK)
			return p->status;
		NEXT(p);
	} while (p->t.kind == T_COMMA);
	return LH_OK;
}

/* One "name = expression" of EVAL; the current token is the name. */
static int
c_eval1(struct parser *p)
{
	struct expr *e;
	size_t at, ref;
	char *name;

	if ((name = esql_name(p)) == NULL)
		return p->status;
	at = p->t.at;
	if (esql_next(p) != LH_OK || p->t.kind != T_ASSIGN) {
		free(name);
		return esql_fail(p, at, "EVAL without a column name is not "
		    "supported");
	}
	if (esql_next(p) != LH_OK || (e = esql_expr(p)) == NULL) {
		free(name);
		return p->status;
	}
	if (e->kind != E_TRUNC && e->kind != E_COL && e->kind != E_LIT) {
		free(name);
		esql_expr_free(e);
		return esql_fail(p, at, "EVAL supports DATE_TRUNC, columns "
		    "and literals only");
	}
	if (e->type == LH_ESQL_SPAN) {
		free(name);
		esql_expr_free(e);
		return esql_fail(p, at, "a time span cannot be a column");
	}
	if (esql_slot_add(p, name, e->type, SRC_EVAL, &ref) != LH_OK) {
		free(name);
		esql_expr_free(e);
		return p->status;
	}
	free(name);
	if (add_cmd(p, C_EVAL, ref, e) != LH_OK)
		return p->status;
	return esql_env_add(p, p->q->slot[ref].name, ref);
}

/* KEEP name, ...: only the listed columns stay visible. */
static int
c_keep(struct parser *p)
{
	struct bind *keep = NULL, b;
	size_t nkeep = 0, ref;

	do {
		if (esql_next(p) != LH_OK) {
			free(keep);
			return p->status;
		}
		if (p->t.kind == T_IDENT && p->i < p->n &&
		    (p->s[p->i] == '*' || p->s[p->i] == '.'))
			p->t.kind = T_STAR;
		if (p->t.kind == T_STAR) {
			free(keep);
			return esql_fail(p, p->t.at, "KEEP with a wildcard "
			    "pattern is not supported");
		}
		if (esql_resolve(p, &ref) != LH_OK) {
			free(keep);
			return p->status;
		}
		b.name = p->q->slot[ref].name;
		b.ref = ref;
		if (esql_push(p, &keep, &nkeep, sizeof(b), &b) != LH_OK) {
			free(keep);
			return p->status;
		}
		if (esql_next(p) != LH_OK) {
			free(keep);
			return p->status;
		}
	} while (p->t.kind == T_COMMA);
	free(p->env);
	p->env = keep;
	p->nenv = p->envcap = nkeep;
	p->implicit = 0;
	return LH_OK;
}

/* Adds an output column of STATS; a repeated name is refused. */
static int
add_out(struct parser *p, char *name, enum lh_esql_type t, int key,
    size_t ref, size_t at)
{
	struct ocol o = { name, t, key, ref };
	size_t k;

	for (k = 0; k < p->q->nout; k++)
		if (strcmp(p->q->out[k].name, name) == 0) {
			free(name);
			return esql_fail(p, at, "column [%s] named twice in "
			    "STATS is not supported", p->q->out[k].name);
		}
	if (esql_push(p, &p->q->out, &p->q->nout, sizeof(o), &o) != LH_OK) {
		free(name);
		return p->status;
	}
	return LH_OK;
}

/* The argument of an aggregate: a column, or * for COUNT. */
static int
agg_arg(struct parser *p, struct agg *a)
{
	NEXT(p);
	if (a->kind == A_COUNT && (p->t.kind == T_STAR || p->t.kind == T_RP)) {
		a->kind = A_COUNT_ALL;
		if (p->t.kind == T_STAR)
			NEXT(p);
	} else {
		if (esql_resolve(p, &a->slot) != LH_OK)
			return p->status;
		NEXT(p);
		if (p->t.kind != T_COMMA && p->t.kind != T_RP)
			return esql_fail(p, p->t.at, "the argument of an "
			    "aggregate must be a column");
	}
	/* COUNT_DISTINCT(col, precision): exact here at any precision. */
	if (a->kind == A_COUNT_DISTINCT && p->t.kind == T_COMMA) {
		NEXT(p);
		if (p->t.kind != T_INT)
			return esql_fail(p, p->t.at, "the precision of "
			    "COUNT_DISTINCT must be an integer");
		NEXT(p);
	}
	if (p->t.kind != T_RP)
		return esql_fail(p, p->t.at, "expected ')'");
	NEXT(p);
	return LH_OK;
}

/* One "[name =] agg(arg)" of STATS; the current token starts it. */
static int
c_agg(struct parser *p)
{
	struct agg a = { A_COUNT, 0 };
	size_t at = p->t.at, start = p->t.at;
	char *name = NULL;
	struct tok fn;

	if ((p->t.kind == T_IDENT || p->t.kind == T_QID) &&
	    (name = esql_name(p)) != NULL) {
		if (esql_next(p) == LH_OK && p->t.kind == T_ASSIGN &&
		    esql_next(p) == LH_OK) {
			start = p->t.at;
		} else {	/* no name: the call's text names the column */
			free(name);
			name = NULL;
			if (p->status != LH_OK)
				return p->status;
			p->i = start;
			NEXT(p);
		}
	}
	fn = p->t;
	if (esql_is_word(&fn, "count_distinct"))
		a.kind = A_COUNT_DISTINCT;
	else if (esql_is_word(&fn, "values"))
		a.kind = A_VALUES;
	else if (!esql_is_word(&fn, "count")) {
		free(name);
		if (fn.kind != T_IDENT)
			return esql_fail(p, fn.at, "expected an aggregate");
		return esql_fail(p, fn.at, "ES|QL function %.*s is not "
		    "supported", (int)fn.slen, fn.str);
	}
	if (esql_next(p) != LH_OK || p->t.kind != T_LP ||
	    agg_arg(p, &a) != LH_OK) {
		free(name);
		return p->status != LH_OK ? p->status : esql_fail(p, p->t.at,
		    "expected '('");
	}
	if (name == NULL) {
		size_t end = p->t.at;

		while (end > start && strchr(" \t\r\n", p->s[end - 1]))
			end--;
		if ((name = malloc(end - start + 1)) == NULL)
			return esql_oom(p);
		memcpy(name, p->s + start, end - start);
		name[end - start] = '\0';
	}
	if (esql_push(p, &p->q->agg, &p->q->nagg, sizeof(a), &a) != LH_OK) {
		free(name);
		return p->status;
	}
	return add_out(p, name, a.kind == A_VALUES ? p->q->slot[a.slot].type :
	    LH_ESQL_LONG, 0, p->q->nagg - 1, at);
}

/* STATS aggs [BY cols]: what follows sees only the output columns. */
static int
c_stats(struct parser *p)
{
	size_t k, ref;

	NEXT(p);
	while (p->t.kind != T_EOF && p->t.kind != T_PIPE &&
	    !esql_is_word(&p->t, "by")) {
		if (c_agg(p) != LH_OK)
			return p->status;
		if (p->t.kind != T_COMMA)
			break;
		NEXT(p);
	}
	if (esql_is_word(&p->t, "by")) {
		do {
			char *name;

			NEXT(p);
			if (esql_resolve(p, &ref) != LH_OK)
				return p->status;
			if (esql_push(p, &p->q->by, &p->q->nby, sizeof(ref),
			    &ref) != LH_OK ||
			    (name = esql_name(p)) == NULL ||
			    add_out(p, name, p->q->slot[ref].type, 1, ref,
			    p->t.at) != LH_OK)
				return p->status;
			NEXT(p);
			if (p->t.kind == T_ASSIGN)
				return esql_fail(p, p->t.at, "BY with an "
				    "expression is not supported");
		} while (p->t.kind == T_COMMA);
	}
	p->post = 1;
	p->implicit = 0;
	p->nenv = 0;
	for (k = 0; k < p->q->nout; k++)
		if (esql_env_add(p, p->q->out[k].name, k) != LH_OK)
			return p->status;
	return LH_OK;
}

/* One processing command after a '|'. */
static int
command(struct parser *p)
{
	struct tok w = p->t;
	struct expr *e;
	size_t ref;

	if (esql_is_word(&w, "where")) {
		NEXT(p);
		if ((e = esql_condition(p)) == NULL)
			return p->status;
		if (!p->post)
			return add_cmd(p, C_WHERE, 0, e);
		if (esql_push(p, &p->q->post, &p->q->npost, sizeof(e),
		    &e) != LH_OK)
			esql_expr_free(e);
		return p->status;
	}
	if (p->post)
		return esql_fail(p, w.at, "ES|QL command %.*s after STATS is "
		    "not supported", (int)w.slen, w.str);
	if (esql_is_word(&w, "eval")) {
		do {
			NEXT(p);
			if (c_eval1(p) != LH_OK)
				return p->status;
		} while (p->t.kind == T_COMMA);
		return LH_OK;
	}
	if (esql_is_word(&w, "mv_expand")) {
		NEXT(p);
		if (esql_resolve(p, &ref) != LH_OK)
			return p->status;
		NEXT(p);
		return add_cmd(p, C_EXPAND, ref, NULL);
	}
	if (esql_is_word(&w, "keep"))
		return c_keep(p);
	if (esql_is_word(&w, "stats"))
		return c_stats(p);
	if (w.kind != T_IDENT)
		return esql_fail(p, w.at, "expected a command");
	return esql_fail(p, w.at, "ES|QL command %.*s is not supported",
	    (int)w.slen, w.str);
}

static int
pipeline(struct parser *p)
{
	NEXT(p);
	if (p->t.kind != T_IDENT)
		return esql_fail(p, p->t.at, "expected FROM");
	if (!esql_is_word(&p->t, "from"))
		return esql_fail(p, p->t.at, "ES|QL source command %.*s is "
		    "not supported", (int)p->t.slen, p->t.str);
	if (c_from(p) != LH_OK)
		return p->status;
	while (p->t.kind == T_PIPE) {
		NEXT(p);
		if (command(p) != LH_OK)
			return p->status;
	}
	if (p->t.kind != T_EOF)
		return esql_fail(p, p->t.at, "expected '|' or the end of the "
		    "query");
	if (!p->post)
		return esql_fail(p, p->i, "ES|QL queries without STATS are "
		    "not supported");
	return LH_OK;
}

struct lh_esql *
lh_esql_compile(const char *src, size_t len, struct lh_err *err)
{
	struct parser p;

	lh_err_clear(err);
	if (len > LH_ESQL_MAX_LEN) {
		lh_err_set(err, LH_FAIL, 0, "query longer than %d bytes",
		    LH_ESQL_MAX_LEN);
		return NULL;
	}
	memset(&p, 0, sizeof(p));
	p.s = src;
	p.n = len;
	p.err = err;
	p.implicit = 1;
	if ((p.q = calloc(1, sizeof(*p.q))) == NULL) {
		lh_err_set(err, LH_FATAL, ENOMEM, "out of memory");
		return NULL;
	}
	if (pipeline(&p) != LH_OK) {
		lh_esql_free(p.q);
		p.q = NULL;
	}
	free(p.env);
	lh_buf_free(&p.sbuf);
	return p.q;
}

/* ---- what a compiled query reads ----------------------------------------- */

int
lh_esql_fields(const struct lh_esql *q, int (*fn)(void *arg,
    const char *name), void *arg)
{
	size_t i;

	for (i = 0; i < q->nslot; i++) {
		if (q->slot[i].src == SRC_FIELD && !fn(arg, q->slot[i].name))
			return 0;
	}
	return 1;
}

/* Whether e is a conjunction with an == or IN term on the field name. */
static int
conjunct_on(const struct lh_esql *q, const struct expr *e, const char *name)
{
	const struct expr *c;
	size_t i;

	if (e->kind == E_AND) {
		for (i = 0; i < e->nkid; i++) {
			if (conjunct_on(q, e->kid[i], name))
				return 1;
		}
		return 0;
	}
	if ((e->kind != E_CMP || e->op != LH_CMP_EQ) && e->kind != E_IN)
		return 0;
	c = e->kid[0];
	return c->kind == E_COL && q->slot[c->col].src == SRC_FIELD &&
	    strcmp(q->slot[c->col].name, name) == 0;
}

/*
 * The literal keyword values of a conjunct "name == v" or "name IN (...)"
 * of e (see conjunct_on); with fn NULL only whether there is one.
 */
static int
conjunct_values(const struct lh_esql *q, const struct expr *e,
    const char *name, int (*fn)(void *, const char *, size_t), void *arg)
{
	size_t i;

	if (e->kind == E_AND) {
		for (i = 0; i < e->nkid; i++) {
			if (conjunct_values(q, e->kid[i], name, NULL, NULL))
				return fn == NULL || conjunct_values(q,
				    e->kid[i], name, fn, arg);
		}
		return 0;
	}
	if (!conjunct_on(q, e, name))
		return 0;
	for (i = 1; i < e->nkid; i++) {
		if (e->kid[i]->kind != E_LIT ||
		    e->kid[i]->lit.type != LH_ESQL_KEYWORD)
			return 0;
	}
	for (i = 1; fn != NULL && i < e->nkid; i++) {
		if (!fn(arg, e->kid[i]->lit.s, e->kid[i]->lit.len))
			return 0;
	}
	return e->nkid > 1;
}

int
lh_esql_required_values(const struct lh_esql *q, const char *name,
    int (*fn)(void *arg, const char *v, size_t len), void *arg)
{
	size_t i;

	for (i = 0; i < q->ncmd; i++) {
		if (q->cmd[i].kind == C_WHERE && conjunct_values(q,
		    q->cmd[i].e, name, NULL, NULL))
			return conjunct_values(q, q->cmd[i].e, name, fn, arg);
	}
	return 0;
}

int
lh_esql_requires(const struct lh_esql *q, const char *name)
{
	size_t i;

	for (i = 0; i < q->ncmd; i++) {
		if (q->cmd[i].kind == C_WHERE &&
		    conjunct_on(q, q->cmd[i].e, name))
			return 1;
	}
	return 0;
}
