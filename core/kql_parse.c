/*
 * kql_parse.c: the KQL parser and compiler: query text to the immutable
 * tree of kql_int.h.
 *
 * DESIGN
 * A recursive-descent rendering of Kibana's PEG grammar (kbn-es-query
 * grammar.peggy): OrQuery > AndQuery > NotQuery > SubQuery > NestedQuery
 * > Expression, and the same three levels again inside "field:(...)"
 * value lists, so one set of functions serves both (a NULL field means
 * "query level").  Where the PEG would backtrack after a keyword, every
 * alternative fails anyway, so the parser commits and reports the first
 * position where it got stuck.  Nesting is bounded by LH_KQL_MAX_DEPTH,
 * so hostile input cannot exhaust the stack.
 *
 * Each leaf is prepared at compile time with core/field.h: the analysed
 * terms of the value (text), a closed integer interval (long) and a
 * closed interval of microseconds (date), so that evaluating a leaf is a
 * field lookup and comparisons.  A leaf on a named field knows its type;
 * a leaf on a field pattern ("process.*") or on no field at all (a bare
 * value, which Kibana turns into a lenient multi_match) keeps every form
 * and picks one per event field, silently skipping the forms the value
 * does not parse as.  Last, every or of plain words on one text field,
 * and every or of exact values on one keyword field, gets a token map
 * (see struct tokmap).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/kql.h"
#include "core/kql_int.h"
#include "core/name.h"
#include "core/status.h"
#include "core/time.h"

/* The field a value list applies to: a glob pattern, NULL for any. */
struct fld {
	const char *pat;
	int wild;
};

static struct node *p_or(struct parser *, const struct fld *);

/*
 * The needle of a quoted value (leaf.needle): its tokens joined by single
 * spaces when every token is lowercase ASCII letters and digits only, so
 * that the text "Failed password" between blanks is known to hold the
 * phrase without analysing it (kql_eval.c: phrase_literal).  Other values
 * keep no needle.  Returns 0 only when out of memory.
 */
static int
kql_phrase_needle(struct leaf *l)
{
	size_t i, k, n = 0;
	char *p;

	for (i = 0; i < l->ntok; i++) {
		for (k = 0; k < l->tok[i].len; k++) {
			char c = l->tok[i].s[k];

			if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
				return 1;
		}
		n += l->tok[i].len + 1;
	}
	if (n == 0 || (p = l->needle = malloc(n)) == NULL)
		return n == 0;
	for (i = 0; i < l->ntok; i++) {
		memcpy(p, l->tok[i].s, l->tok[i].len);
		p += l->tok[i].len;
		*p++ = ' ';
	}
	p[-1] = '\0';
	l->nlen = n - 1;
	return 1;
}

/* ---- the tree ----------------------------------------------------------- */

static void
leaf_free(struct leaf *l)
{
	if (l == NULL)
		return;
	lh_field_terms_free(l->tok, l->ntok);
	lh_name_free(l->field);
	free(l->val);
	free(l->pat);
	free(l->lpat);
	free(l->needle);
	free(l);
}

/* Frees m and what it owns (not the terms the children own); NULL: no-op. */
static void
tokmap_free(struct tokmap *m)
{
	if (m == NULL)
		return;
	free(m->keys);
	free(m->e);
	free(m->slot);
	free(m);
}

void
kql_node_free(struct node *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->nkid; i++)
		kql_node_free(n->kid[i]);
	free(n->kid);
	free(n->order);
	leaf_free(n->leaf);
	tokmap_free(n->map);
	free(n);
}

static struct node *
node_new(struct parser *p, enum kind k)
{
	struct node *n = calloc(1, sizeof(*n));

	if (n == NULL)
		return kql_fail_oom(p);
	n->kind = k;
	return n;
}

/* Appends kid to n (growing by powers of two); frees kid on failure. */
static int
node_add(struct parser *p, struct node *n, struct node *kid)
{
	struct node **k;

	if (n->nkid >= 2 && (n->nkid & (n->nkid - 1)) != 0)
		goto store;
	if ((k = realloc(n->kid, (n->nkid ? n->nkid * 2 : 2) *
	    sizeof(*k))) == NULL) {
		kql_node_free(kid);
		kql_fail_oom(p);
		return 0;
	}
	n->kid = k;
store:
	n->kid[n->nkid++] = kid;
	return 1;
}

/* Wraps kid in a new node of kind k (for not). */
static struct node *
node_wrap(struct parser *p, enum kind k, struct node *kid)
{
	struct node *n;

	if (kid == NULL)
		return NULL;
	if ((n = node_new(p, k)) == NULL) {
		kql_node_free(kid);
		return NULL;
	}
	if (!node_add(p, n, kid)) {
		kql_node_free(n);
		return NULL;
	}
	return n;
}

/* ---- leaves ------------------------------------------------------------- */

static char *
unescape(const char *pat)
{
	char *o = malloc(strlen(pat) + 1), *w = o;

	if (o == NULL)
		return NULL;
	for (; *pat != '\0'; pat++) {
		if (*pat == '\\' && pat[1] != '\0')
			pat++;
		*w++ = *pat;
	}
	*w = '\0';
	return o;
}

/* Sets the field of l from f; 0 when out of memory. */
static int
leaf_field(struct leaf *l, const struct fld *f)
{
	if (f->pat == NULL) {
		l->scope = SC_ANY;
		return 1;
	}
	if (f->wild) {
		l->scope = SC_GLOB;
		return (l->field = lh_dupn(f->pat, strlen(f->pat))) != NULL;
	}
	l->scope = SC_FIELD;
	if ((l->field = lh_name_intern(unescape(f->pat))) == NULL)
		return 0;
	l->is_ts = strcmp(l->field, LH_F_TIMESTAMP) == 0;
	l->type = l->is_ts ? LH_T_DATE : lh_field_type(l->field);
	return 1;
}

static struct node *
fail_value(struct parser *p, size_t at, const struct leaf *l,
    const char *what)
{
	if (!p->failed) {
		p->failed = 1;
		lh_err_set(p->err, LH_FAIL, 0,
		    "column %zu: expected %s for %s but \"%.64s\" found",
		    kql_column(p, at), what, l->field, l->val);
	}
	return NULL;
}

/*
 * Prepares the forms of the value the leaf's field types need; takes the
 * strings of v.  A named long or date field whose value does not parse is
 * an error (Elasticsearch would fail the query); a field pattern or a bare
 * value is lenient, like multi_match with lenient: true.
 */
static int
leaf_values(struct parser *p, struct leaf *l, struct lit *v)
{
	int any = l->scope != SC_FIELD;
	size_t i;

	l->val = v->val;
	l->vlen = v->vlen;
	v->val = NULL;
	if (l->wild) {
		l->pat = v->pat;
		v->pat = NULL;
		if ((l->lpat = lh_dupn(l->pat, strlen(l->pat))) == NULL)
			return 0;
		for (i = 0; l->lpat[i] != '\0'; i++)
			if (l->lpat[i] >= 'A' && l->lpat[i] <= 'Z')
				l->lpat[i] = (char)(l->lpat[i] + 32);
		return 1;
	}
	if (l->op == OP_EXISTS)
		return 1;
	if (l->op == OP_IS && (any || l->type == LH_T_TEXT) &&
	    lh_field_terms(l->val, l->vlen, &p->toks, &l->tok, &l->ntok) !=
	    LH_OK)
		return 0;
	if (l->quoted && l->op == OP_IS && !kql_phrase_needle(l))
		return 0;
	if (any || l->type == LH_T_LONG) {
		l->num_ok = lh_field_long_range((enum lh_cmp)l->op, l->val,
		    l->vlen, &l->nlo, &l->nhi) == LH_OK;
		if (!l->num_ok && !any)
			return fail_value(p, v->at, l, "a number") != NULL;
	}
	if (!any && l->type == LH_T_IP) {
		/* A term is an address or a CIDR block; a range, an address. */
		l->ip_ok = l->op == OP_IS ? lh_ip_parse_cidr(l->val, l->vlen,
		    &l->ip, &l->ipbits) == LH_OK : lh_ip_parse(l->val, l->vlen,
		    &l->ip) == LH_OK;
		if (!l->ip_ok)
			return fail_value(p, v->at, l, "an IP address") != NULL;
	}
	if (any || l->type == LH_T_DATE) {
		l->date_ok = lh_field_date_range((enum lh_cmp)l->op, l->val,
		    l->vlen, p->now, &l->dlo, &l->dhi) == LH_OK;
		if (!l->date_ok && !any)
			return fail_value(p, v->at, l, "a date") != NULL;
	}
	return 1;
}

/* The leaf "f op v"; field * with value * matches everything. */
static struct node *
leaf_node(struct parser *p, const struct fld *f, struct lit *v, enum op op)
{
	struct node *n;
	struct leaf *l;
	int lone = op == OP_IS && !v->quoted && strcmp(v->pat, "*") == 0;

	if (lone && (f->pat == NULL || (f->wild && strcmp(f->pat, "*") == 0)))
		return node_new(p, K_ALL);
	if ((n = node_new(p, K_LEAF)) == NULL)
		return NULL;
	if ((l = n->leaf = calloc(1, sizeof(*l))) == NULL) {
		kql_node_free(n);
		return kql_fail_oom(p);
	}
	l->op = lone ? OP_EXISTS : op;
	l->quoted = v->quoted;
	l->wild = op == OP_IS && !lone && v->wild;
	if (!leaf_field(l, f) || !leaf_values(p, l, v)) {
		kql_node_free(n);
		return p->failed ? NULL : kql_fail_oom(p);
	}
	return n;
}

/* ---- grammar ------------------------------------------------------------ */

static int
enter(struct parser *p)
{
	if (++p->depth <= LH_KQL_MAX_DEPTH)
		return 1;
	if (!p->failed) {
		p->failed = 1;
		lh_err_set(p->err, LH_FAIL, 0,
		    "column %zu: nesting deeper than %d levels",
		    kql_column(p, p->pos), LH_KQL_MAX_DEPTH);
	}
	return 0;
}

/* '(' Space* OrQuery Space* ')' and its '{' '}' and value-list twins. */
static struct node *
p_group(struct parser *p, const struct fld *f, char close)
{
	struct node *n;
	char what[4] = { '\'', close, '\'', '\0' };

	if (!enter(p))
		return NULL;
	p->pos = kql_skip_spaces(p, p->pos + 1);
	if ((n = p_or(p, f)) != NULL) {
		p->pos = kql_skip_spaces(p, p->pos);
		if (p->pos < p->n && p->s[p->pos] == close) {
			p->pos++;
		} else {
			kql_node_free(n);
			n = kql_fail(p, p->pos, what);
		}
	}
	p->depth--;
	return n;
}

/* ListOfValues: a parenthesised value list or one value. */
static struct node *
p_values(struct parser *p, const struct fld *f)
{
	struct node *n;
	struct lit v;

	if (p->pos < p->n && p->s[p->pos] == '(')
		return p_group(p, f, ')');
	if (!kql_literal(p, &v))
		return kql_fail(p, p->pos, "a value");
	n = leaf_node(p, f, &v, OP_IS);
	kql_lit_free(&v);
	return n;
}

/* The field l under the nested path, as a glob pattern (owned). */
static char *
field_pat(struct parser *p, const struct lit *l, int *wild)
{
	struct lh_buf b = { 0 };

	*wild = p->prefix_wild || (!l->quoted && l->wild);
	if (p->prefix.len > 0 && (lh_buf_append(&b, p->prefix.p,
	    p->prefix.len) != LH_OK || lh_buf_putc(&b, '.') != LH_OK))
		goto oom;
	if (lh_buf_puts(&b, l->pat) != LH_OK)
		goto oom;
	return lh_buf_take(&b);
oom:
	lh_buf_free(&b);
	kql_fail_oom(p);
	return NULL;
}

/* After "field:": a nested query "{...}" or a list of values. */
static struct node *
p_field(struct parser *p, const struct lit *l)
{
	struct fld f;
	struct node *n;
	char *pat;
	size_t old = p->prefix.len;
	int wild, oldwild = p->prefix_wild;

	if ((pat = field_pat(p, l, &wild)) == NULL)
		return NULL;
	f.pat = pat;
	f.wild = wild;
	if (p->pos >= p->n || p->s[p->pos] != '{') {
		n = p_values(p, &f);
		free(pat);
		return n;
	}
	lh_buf_reset(&p->prefix);
	if (lh_buf_puts(&p->prefix, pat) != LH_OK) {
		free(pat);
		return kql_fail_oom(p);
	}
	free(pat);
	p->prefix_wild = wild;
	n = p_group(p, NULL, '}');
	/* The new path extends the old one, so cutting it restores it. */
	p->prefix.len = old;
	p->prefix.p[old] = '\0';
	p->prefix_wild = oldwild;
	return n;
}

/* FieldRangeExpression, at the operator. */
static struct node *
p_range(struct parser *p, const struct lit *l)
{
	struct fld f;
	struct lit v;
	struct node *n = NULL;
	enum op op = p->s[p->pos] == '<' ? OP_LT : OP_GT;
	char *pat;
	int wild;

	p->pos++;
	if (p->pos < p->n && p->s[p->pos] == '=') {
		op = op == OP_LT ? OP_LE : OP_GE;
		p->pos++;
	}
	p->pos = kql_skip_spaces(p, p->pos);
	if (!kql_literal(p, &v))
		return kql_fail(p, p->pos, "a value");
	if ((pat = field_pat(p, l, &wild)) != NULL) {
		f.pat = pat;
		f.wild = wild;
		n = leaf_node(p, &f, &v, op);
		free(pat);
	}
	kql_lit_free(&v);
	return n;
}

/* ValueExpression: a value for any field (under a nested path: its own). */
static struct node *
p_bare(struct parser *p, struct lit *l)
{
	struct fld f = { NULL, 0 };
	struct node *n;
	char *pat = NULL;

	if (p->prefix.len > 0) {
		if ((pat = malloc(p->prefix.len + 3)) == NULL)
			return kql_fail_oom(p);
		memcpy(pat, p->prefix.p, p->prefix.len);
		memcpy(pat + p->prefix.len, ".*", 3);
		f.pat = pat;
		f.wild = 1;
	}
	n = leaf_node(p, &f, l, OP_IS);
	free(pat);
	return n;
}

/*
 * NestedQuery / Expression: Field and Value are both Literal, so scan one
 * and let the character after it decide.
 */
static struct node *
p_expr(struct parser *p)
{
	struct lit l;
	struct node *n;
	size_t after, i;

	if (!kql_literal(p, &l))
		return kql_fail(p, p->pos, "a field name, a value or '('");
	after = p->pos;
	i = kql_skip_spaces(p, after);
	if (i < p->n && p->s[i] == ':') {
		p->pos = kql_skip_spaces(p, i + 1);
		n = p_field(p, &l);
	} else if (i < p->n && (p->s[i] == '<' || p->s[i] == '>')) {
		p->pos = i;
		n = p_range(p, &l);
	} else {
		p->pos = after;
		n = p_bare(p, &l);
	}
	kql_lit_free(&l);
	return n;
}

/* SubQuery: a parenthesised query or an expression. */
static struct node *
p_sub(struct parser *p)
{
	if (p->pos < p->n && p->s[p->pos] == '(')
		return p_group(p, NULL, ')');
	return p_expr(p);
}

/* NotQuery / NotListOfValues (the grammar allows no "not not"). */
static struct node *
p_not(struct parser *p, const struct fld *f)
{
	size_t e = kql_not_at(p, p->pos);
	struct node *k;

	if (e == 0)
		return f != NULL ? p_values(p, f) : p_sub(p);
	if (!enter(p))
		return NULL;
	p->pos = e;
	k = f != NULL ? p_values(p, f) : p_sub(p);
	p->depth--;
	return node_wrap(p, K_NOT, k);
}

/* head (Space+ kw Space+ next)*, flattened into one n-ary node. */
static struct node *
p_seq(struct parser *p, const struct fld *f, const char *kw, enum kind kind,
    struct node *(*next)(struct parser *, const struct fld *))
{
	struct node *n = NULL, *k;
	size_t e;

	if ((k = next(p, f)) == NULL)
		return NULL;
	while ((e = kql_conj_at(p, p->pos, kw)) != 0) {
		if (n == NULL && (n = node_wrap(p, kind, k)) == NULL)
			return NULL;
		p->pos = e;
		if ((k = next(p, f)) == NULL || !node_add(p, n, k)) {
			kql_node_free(n);
			return NULL;
		}
	}
	return n != NULL ? n : k;
}

static struct node *
p_and(struct parser *p, const struct fld *f)
{
	return p_seq(p, f, "and", K_AND, p_not);
}

static struct node *
p_or(struct parser *p, const struct fld *f)
{
	return p_seq(p, f, "or", K_OR, p_and);
}

/* Whether k is a plain word on the text field field (any when NULL). */
static int
plain_word(const struct node *k, const char *field)
{
	const struct leaf *l = k->leaf;

	return k->kind == K_LEAF && l->scope == SC_FIELD &&
	    l->type == LH_T_TEXT && l->op == OP_IS && !l->wild && !l->quoted &&
	    (field == NULL || strcmp(l->field, field) == 0);
}

/* Whether k is an exact value on the keyword field field (any if NULL). */
static int
exact_value(const struct node *k, const char *field)
{
	const struct leaf *l = k->leaf;

	return k->kind == K_LEAF && l->scope == SC_FIELD && !l->is_ts &&
	    l->type == LH_T_KEYWORD && l->op == OP_IS && !l->wild &&
	    l->vlen <= UINT32_MAX &&
	    (field == NULL || strcmp(l->field, field) == 0);
}

/* Adds t unless an earlier child has it already. */
static void
tokmap_put(struct tokmap *m, const struct lh_term *t, uint32_t kid,
    uint32_t pos)
{
	size_t h = t->hash & (m->nslot - 1);
	uint32_t k;

	while ((k = m->slot[h]) != 0) {
		if (m->e[k - 1].t->len == t->len &&
		    memcmp(m->e[k - 1].t->s, t->s, t->len) == 0)
			return;
		h = (h + 1) & (m->nslot - 1);
	}
	m->e[m->ne].t = t;
	m->e[m->ne].kid = kid;
	m->e[m->ne].pos = pos;
	m->slot[h] = (uint32_t)++m->ne;
}

/* An empty map of the field of n's first child for ntok terms, or NULL. */
static struct tokmap *
tokmap_new(const struct node *n, size_t ntok)
{
	struct tokmap *m;
	size_t want = 16;

	while (want < ntok * 2)
		want *= 2;
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	if ((m->e = calloc(ntok + 1, sizeof(*m->e))) == NULL ||
	    (m->slot = calloc(want, sizeof(*m->slot))) == NULL) {
		tokmap_free(m);
		return NULL;
	}
	m->field = n->kid[0]->leaf->field;
	m->nslot = want;
	return m;
}

/* The map of an or of exact values on one keyword field, or NULL. */
static struct tokmap *
keymap(const struct node *n)
{
	struct tokmap *m;
	struct leaf *l;
	size_t i;

	for (i = 0; i < n->nkid; i++)
		if (!exact_value(n->kid[i], n->kid[0]->leaf->field))
			return NULL;
	if ((m = tokmap_new(n, n->nkid)) == NULL)
		return NULL;
	if ((m->keys = calloc(n->nkid, sizeof(*m->keys))) == NULL) {
		tokmap_free(m);
		return NULL;
	}
	for (i = 0; i < n->nkid; i++) {
		l = n->kid[i]->leaf;
		m->keys[i].s = l->val;	/* borrowed: see struct tokmap */
		m->keys[i].len = (uint32_t)l->vlen;
		m->keys[i].hash = lh_field_hash(l->val, l->vlen);
		tokmap_put(m, &m->keys[i], (uint32_t)i, 0);
	}
	return m;
}

/*
 * Gives every or of plain words on one text field, and every or of exact
 * values on one keyword field, its token map.  Only an optimisation: out
 * of memory leaves the node to be evaluated child by child.
 */
static void
tokmap_build(struct node *n)
{
	struct tokmap *m;
	const struct leaf *l;
	size_t i, k, ntok = 0;

	for (i = 0; i < n->nkid; i++)
		tokmap_build(n->kid[i]);
	if (n->kind != K_OR || n->nkid < 2)
		return;
	if (exact_value(n->kid[0], NULL)) {
		n->map = keymap(n);
		return;
	}
	if (!plain_word(n->kid[0], NULL))
		return;
	for (i = 0; i < n->nkid; i++) {
		if (!plain_word(n->kid[i], n->kid[0]->leaf->field))
			return;
		ntok += n->kid[i]->leaf->ntok;
	}
	if ((m = tokmap_new(n, ntok)) == NULL)
		return;
	for (i = 0; i < n->nkid; i++) {
		l = n->kid[i]->leaf;
		for (k = 0; k < l->ntok; k++)
			tokmap_put(m, &l->tok[k], (uint32_t)i, (uint32_t)k);
	}
	n->map = m;
}

static int64_t
now_us(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return 0;
	return (int64_t)ts.tv_sec * LH_US + ts.tv_nsec / 1000;
}

/* start: Space* OrQuery? Space*; an empty query matches everything. */
static struct node *
p_start(struct parser *p)
{
	struct node *root;
	const char *nul;

	if (p->n > 0 && (nul = memchr(p->s, '\0', p->n)) != NULL)
		return kql_fail(p, (size_t)(nul - p->s), "a character");
	p->pos = kql_skip_spaces(p, 0);
	if (p->pos == p->n)
		return node_new(p, K_ALL);
	if ((root = p_or(p, NULL)) == NULL)
		return NULL;
	p->pos = kql_skip_spaces(p, p->pos);
	if (p->pos != p->n) {
		kql_node_free(root);
		return kql_fail(p, p->pos,
		    "'and', 'or' or the end of the query");
	}
	return root;
}

struct lh_kql *
lh_kql_compile(const char *src, size_t len, struct lh_err *err)
{
	struct parser p;
	struct lh_kql *q = NULL;
	struct node *root;

	lh_err_clear(err);
	if (len > LH_KQL_MAX_LEN) {
		lh_err_set(err, LH_FAIL, 0,
		    "column %d: expected at most %d bytes of query, not %zu",
		    LH_KQL_MAX_LEN + 1, LH_KQL_MAX_LEN, len);
		return NULL;
	}
	memset(&p, 0, sizeof(p));
	p.s = src;
	p.n = len;
	p.err = err;
	p.now = now_us();
	lh_tokens_init(&p.toks);
	if ((root = p_start(&p)) != NULL) {
		if ((q = malloc(sizeof(*q))) == NULL) {
			kql_node_free(root);
			lh_err_set(err, LH_FATAL, ENOMEM, "compiling query");
		} else {
			tokmap_build(root);
			q->root = root;
		}
	}
	lh_buf_free(&p.val);
	lh_buf_free(&p.pat);
	lh_buf_free(&p.prefix);
	lh_tokens_free(&p.toks);
	return q;
}

void
lh_kql_free(struct lh_kql *q)
{
	if (q == NULL)
		return;
	kql_node_free(q->root);
	free(q);
}
