/*
 * eql_eval.c: evaluation of a compiled EQL query on one event, the
 * preparation of its literals, its accessors and the join key.
 *
 * DESIGN
 * The query (eql_int.h) is immutable and evaluation keeps no state, so it
 * is thread-safe without a scratch.  Each leaf is the Query DSL query
 * Elasticsearch builds for it (see eql.h) and is true when some value of
 * its field satisfies it; "not" is must_not, so a missing field makes a
 * leaf false and its negation true.  What "equal" or "less" means for the
 * field's type (keyword bytes, long, date, ip) is core/field.h's and
 * core/ip.h's; literals are converted once at compile time
 * (eql_prepare).
 */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/eql.h"
#include "core/eql_int.h"
#include "core/name.h"
#include "core/status.h"

/* Whether s holds an EQL wildcard ('*' or '?'). */
static int
has_wildcard(const char *s, size_t n)
{
	return memchr(s, '*', n) != NULL || memchr(s, '?', n) != NULL;
}

/*
 * The wildcard query of ":" takes the value as a pattern in which only
 * '*' and '?' are special: a backslash is a literal one (test
 * "equalsAndInFilter": "*\\red_ttp" becomes the wildcard "*\\\\red_ttp"),
 * so it is quoted for lh_field_wildcard().
 */
static char *
like_pattern(const char *s, size_t n)
{
	char *pat = malloc(2 * n + 1), *o = pat;
	size_t i;

	if (pat == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (s[i] == '\\')
			*o++ = '\\';
		*o++ = s[i];
	}
	*o = '\0';
	return pat;
}

int
eql_prepare(struct eql_parser *p, struct eql_lit *l, enum eql_kind kind,
    enum lh_cmp op, enum lh_ftype t)
{
	if (kind == EN_LIKE) {
		if (has_wildcard(l->s, l->n) &&
		    (l->pat = like_pattern(l->s, l->n)) == NULL)
			return eql_oom(p), -1;
		return 0;
	}
	if (kind == EN_IN)
		op = LH_CMP_EQ;
	switch (t) {
	case LH_T_LONG:
		l->ok = lh_field_long_range(op, l->s, l->n, &l->lo, &l->hi) ==
		    LH_OK;
		break;
	case LH_T_DATE:
		l->ok = lh_field_date_range(op, l->s, l->n, 0, &l->lo,
		    &l->hi) == LH_OK;
		break;
	case LH_T_IP:
		/* a term query on an ip field takes a block too */
		l->ok = lh_ip_parse_cidr(l->s, l->n, &l->ip, &l->bits) ==
		    LH_OK && (op == LH_CMP_EQ || l->bits == 128);
		if (!l->ok && kind == EN_CIDR)
			return eql_fail(p, "a CIDR block"), -1;
		break;
	default:
		l->ok = 1;
		break;
	}
	return 0;
}

/*
 * What one event's evaluation remembers: the answer of numbered leaf k
 * while stamp[k] == gen, and the last ip value parsed (its bytes' address
 * in the event and length: the same value of the same event) while
 * ipgen == gen.
 */
struct lh_eql_memo {
	size_t n;
	uint32_t gen;
	uint32_t *stamp;
	unsigned char *val;
	const char *ipv;
	size_t ipn;
	uint32_t ipgen;
	int ipok;
	struct lh_ip ip;
};

/* Parses the ip value v (vn bytes) into *ip, once per event with memo. */
static int
ip_of(const char *v, size_t vn, struct lh_ip *ip, struct lh_eql_memo *memo)
{
	if (memo == NULL)
		return lh_ip_parse(v, vn, ip) == LH_OK;
	if (memo->ipgen != memo->gen || memo->ipv != v || memo->ipn != vn) {
		memo->ipok = lh_ip_parse(v, vn, &memo->ip) == LH_OK;
		memo->ipv = v;
		memo->ipn = vn;
		memo->ipgen = memo->gen;
	}
	*ip = memo->ip;
	return memo->ipok;
}

/*
 * Whether the ip value v (vn bytes) satisfies some literal of leaf n: it
 * is parsed once for all of them (cidrmatch lists many blocks).
 */
static int
ip_values(const struct eql_node *n, const char *v, size_t vn,
    struct lh_eql_memo *memo)
{
	struct lh_ip ip;
	size_t k;

	if (!ip_of(v, vn, &ip, memo))
		return 0;
	for (k = 0; k < n->nlit; k++) {
		const struct eql_lit *l = &n->lit[k];

		if (!l->ok)
			continue;
		if (n->kind != EN_CMP || n->op == LH_CMP_EQ ?
		    lh_ip_in(&ip, &l->ip, l->bits) :
		    lh_cmp_holds(n->op, lh_ip_cmp(&ip, &l->ip)))
			return 1;
	}
	return 0;
}

/* Whether the field value v (vn bytes) satisfies literal l of leaf n. */
static int
lit_value(const struct eql_node *n, const struct eql_lit *l, const char *v,
    size_t vn)
{
	if (n->kind == EN_LIKE) {
		if (l->pat != NULL)
			return lh_field_keyword_indexed(v, vn) &&
			    lh_field_wildcard(l->pat, v, vn,
			    LH_FIELD_NOCASE | LH_FIELD_QMARK);
		return lh_field_cmp_keyword(v, vn, LH_CMP_EQ, l->s, l->n,
		    LH_FIELD_NOCASE);
	}
	switch (n->type) {
	case LH_T_LONG:
		return l->ok && lh_field_cmp_long(v, vn, l->lo, l->hi);
	case LH_T_DATE:
		return l->ok && lh_field_cmp_date(v, vn, l->lo, l->hi);
	default:
		return lh_field_cmp_keyword(v, vn,
		    n->kind == EN_CMP ? n->op : LH_CMP_EQ, l->s, l->n, 0);
	}
}

/* @timestamp is ev->ts, not a field: exists and date comparisons. */
static int
timestamp_leaf(const struct eql_node *n, const struct lh_event *ev)
{
	int64_t t;
	size_t i;

	if (!lh_field_timestamp(ev, &t))
		return 0;
	if (n->kind == EN_EXISTS)
		return 1;
	if (n->kind != EN_CMP && n->kind != EN_IN)
		return 0;
	for (i = 0; i < n->nlit; i++)
		if (n->lit[i].ok && t >= n->lit[i].lo && t <= n->lit[i].hi)
			return 1;
	return 0;
}

/* A leaf: true when some value of the field satisfies some literal. */
static int
leaf_match(const struct eql_node *n, const struct lh_event *ev,
    struct lh_eql_memo *memo)
{
	const struct lh_field *f;
	size_t i, k;

	if (n->type == LH_T_DATE && strcmp(n->field, LH_F_TIMESTAMP) == 0)
		return timestamp_leaf(n, ev);
	for (i = lh_field_find(ev, n->field, 0); i < ev->nfield;
	    i = lh_field_find(ev, n->field, i + 1)) {
		f = &ev->fields[i];
		if (n->kind == EN_EXISTS)
			return 1;
		if (n->type == LH_T_IP && n->kind != EN_LIKE) {
			if (ip_values(n, f->val, f->len, memo))
				return 1;
			continue;
		}
		for (k = 0; k < n->nlit; k++)
			if (lit_value(n, &n->lit[k], f->val, f->len))
				return 1;
	}
	return 0;
}

static int
node_match(const struct eql_node *n, const struct lh_event *ev,
    struct lh_eql_memo *memo)
{
	size_t i, k;
	int v;

	switch (n->kind) {
	case EN_TRUE:
		return 1;
	case EN_FALSE:
		return 0;
	case EN_AND:
		for (i = 0; i < n->nkid; i++)
			if (!node_match(n->kid[i], ev, memo))
				return 0;
		return 1;
	case EN_OR:
		for (i = 0; i < n->nkid; i++)
			if (node_match(n->kid[i], ev, memo))
				return 1;
		return 0;
	case EN_NOT:
		return !node_match(n->kid[0], ev, memo);
	default:
		if (memo == NULL || n->share == 0 || n->share > memo->n)
			return leaf_match(n, ev, memo);
		k = n->share - 1;
		if (memo->stamp[k] == memo->gen)
			return memo->val[k];
		v = leaf_match(n, ev, memo);
		memo->stamp[k] = memo->gen;
		memo->val[k] = (unsigned char)v;
		return v;
	}
}

/* The category: a term query on event.category (any value). */
static int
category_match(const struct lh_eql *q, const char *cat,
    const struct lh_event *ev)
{
	size_t i, n = strlen(cat);

	for (i = lh_field_find(ev, q->catname, 0); i < ev->nfield;
	    i = lh_field_find(ev, q->catname, i + 1))
		if (lh_field_cmp_keyword(ev->fields[i].val, ev->fields[i].len,
		    LH_CMP_EQ, cat, n, 0))
			return 1;
	return 0;
}

static int
step_match(const struct lh_eql *q, size_t step, const struct lh_event *ev,
    struct lh_eql_memo *memo)
{
	const struct eql_step *st;

	if (step >= q->nstep)
		return 0;
	st = &q->step[step];
	if (st->category != NULL && !category_match(q, st->category, ev))
		return 0;
	return node_match(st->cond, ev, memo);
}

int
lh_eql_step_match(const struct lh_eql *q, size_t step,
    const struct lh_event *ev)
{
	return step_match(q, step, ev, NULL);
}

uint64_t
lh_eql_match_mask_memo(const struct lh_eql *q, const struct lh_event *ev,
    struct lh_eql_memo *memo)
{
	uint64_t m = 0;
	size_t i;

	for (i = 0; i < q->nstep; i++)
		if (step_match(q, i, ev, memo))
			m |= (uint64_t)1 << i;
	return m;
}

uint64_t
lh_eql_match_mask(const struct lh_eql *q, const struct lh_event *ev)
{
	return lh_eql_match_mask_memo(q, ev, NULL);
}

/* ---- leaves shared between queries -------------------------------------- */

/*
 * Whether leaves a and b are the same test: the prepared forms of a
 * literal (pattern, interval, address) follow from its text, the kind,
 * the operator and the field's type.
 */
static int
same_leaf(const struct eql_node *a, const struct eql_node *b)
{
	size_t k;

	if (a->kind != b->kind || a->op != b->op || a->type != b->type ||
	    a->nlit != b->nlit || strcmp(a->field, b->field) != 0)
		return 0;
	for (k = 0; k < a->nlit; k++)
		if (a->lit[k].n != b->lit[k].n ||
		    memcmp(a->lit[k].s, b->lit[k].s, a->lit[k].n) != 0)
			return 0;
	return 1;
}

/* The leaves under n, appended to *v (grown as needed).  LH_OK or LH_FATAL. */
static int
leaves(struct eql_node *n, struct eql_node ***v, size_t *nv, size_t *cap)
{
	size_t i;

	if (n->kind == EN_AND || n->kind == EN_OR || n->kind == EN_NOT) {
		for (i = 0; i < n->nkid; i++)
			if (leaves(n->kid[i], v, nv, cap) != LH_OK)
				return LH_FATAL;
		return LH_OK;
	}
	if (n->kind == EN_TRUE || n->kind == EN_FALSE)
		return LH_OK;
	if (lh_grow(v, cap, *nv + 1, sizeof(**v)) != LH_OK)
		return LH_FATAL;
	(*v)[(*nv)++] = n;
	return LH_OK;
}

/* Drops the numbers of the leaves under n. */
static void
unshare(struct eql_node *n)
{
	size_t i;

	for (i = 0; i < n->nkid; i++)
		unshare(n->kid[i]);
	n->share = 0;
}

size_t
lh_eql_share(struct lh_eql *const *q, size_t n)
{
	struct eql_node **v = NULL;
	size_t nv = 0, cap = 0, i, j, s, count = 0;

	for (i = 0; i < n; i++)
		for (s = 0; q[i] != NULL && s < q[i]->nstep; s++)
			unshare(q[i]->step[s].cond);
	for (i = 0; i < n; i++)
		for (s = 0; q[i] != NULL && s < q[i]->nstep; s++)
			if (leaves(q[i]->step[s].cond, &v, &nv, &cap) !=
			    LH_OK) {
				free(v);	/* every number is dropped */
				return 0;
			}
	for (i = 0; i < nv; i++) {
		for (j = 0; j < i && v[i]->share == 0; j++)
			if (same_leaf(v[i], v[j]))
				v[i]->share = v[j]->share;
		if (v[i]->share == 0)
			v[i]->share = ++count;
	}
	free(v);
	return count;
}

struct lh_eql_memo *
lh_eql_memo_create(size_t nleaves)
{
	struct lh_eql_memo *m = calloc(1, sizeof(*m));

	if (m == NULL)
		return NULL;
	m->n = nleaves;
	m->gen = 1;
	if (nleaves > 0 && ((m->stamp = calloc(nleaves,
	    sizeof(*m->stamp))) == NULL || (m->val = calloc(nleaves,
	    sizeof(*m->val))) == NULL)) {
		lh_eql_memo_free(m);
		return NULL;
	}
	return m;
}

void
lh_eql_memo_free(struct lh_eql_memo *m)
{
	if (m == NULL)
		return;
	free(m->stamp);
	free(m->val);
	free(m);
}

void
lh_eql_memo_next(struct lh_eql_memo *m)
{
	if (m == NULL)
		return;
	if (++m->gen == 0) {	/* wrapped: no stamp may look current */
		if (m->n > 0)
			memset(m->stamp, 0, m->n * sizeof(*m->stamp));
		m->ipgen = 0;
		m->gen = 1;
	}
}

/* Appends the 4-byte big-endian n.  LH_OK or LH_FATAL. */
static int
put_len(struct lh_buf *b, size_t n)
{
	unsigned char l[4];

	l[0] = (unsigned char)(n >> 24);
	l[1] = (unsigned char)(n >> 16);
	l[2] = (unsigned char)(n >> 8);
	l[3] = (unsigned char)n;
	return lh_buf_append(b, l, 4);
}

/*
 * The indexes into ev->fields of the distinct values of name, at most
 * LH_EQL_MAX_KEY_VALUES; their count.  Equal values are one key value:
 * the same event must not join itself.
 */
static size_t
key_values(const struct lh_event *ev, const char *name, size_t *idx)
{
	const struct lh_field *f = ev->fields, *g;
	size_t i, k, n = 0;

	for (i = lh_field_find(ev, name, 0); i < ev->nfield &&
	    n < LH_EQL_MAX_KEY_VALUES; i = lh_field_find(ev, name, i + 1)) {
		for (k = 0; k < n; k++) {
			g = &f[idx[k]];
			if (g->len == f[i].len && memcmp(g->val, f[i].val,
			    g->len) == 0)
				break;
		}
		if (k == n)
			idx[n++] = i;
	}
	return n;
}

/* Appends the key of combination pick (one value index per key field). */
static int
put_key(const struct lh_eql *q, const struct lh_event *ev,
    const size_t *pick, struct lh_buf *keys)
{
	size_t k, len = 0;

	for (k = 0; k < q->nkey; k++)
		len += 4 + ev->fields[pick[k]].len;
	if (put_len(keys, len) != LH_OK)
		return LH_FATAL;
	for (k = 0; k < q->nkey; k++)
		if (put_len(keys, ev->fields[pick[k]].len) != LH_OK ||
		    lh_buf_append(keys, ev->fields[pick[k]].val,
		    ev->fields[pick[k]].len) != LH_OK)
			return LH_FATAL;
	return LH_OK;
}

int
lh_eql_join_keys(const struct lh_eql *q, const struct lh_event *ev,
    struct lh_buf *keys, size_t *n)
{
	size_t idx[LH_EQL_MAX_JOIN_KEYS][LH_EQL_MAX_KEY_VALUES];
	size_t nv[LH_EQL_MAX_JOIN_KEYS], at[LH_EQL_MAX_JOIN_KEYS] = { 0 };
	size_t pick[LH_EQL_MAX_JOIN_KEYS], k;

	lh_buf_reset(keys);
	*n = 0;
	for (k = 0; k < q->nkey; k++)
		if ((nv[k] = key_values(ev, q->key[k], idx[k])) == 0)
			return LH_OK;
	/* The cartesian product, as a mixed-radix counter over at[]. */
	while (*n < LH_EQL_MAX_KEY_VALUES) {
		for (k = 0; k < q->nkey; k++)
			pick[k] = idx[k][at[k]];
		if (put_key(q, ev, pick, keys) != LH_OK)
			return LH_FATAL;
		++*n;
		for (k = q->nkey; k-- > 0;) {
			if (++at[k] < nv[k])
				break;
			at[k] = 0;
		}
		if (k == (size_t)-1)
			break;
	}
	return LH_OK;
}

int
lh_eql_key_next(const struct lh_buf *keys, size_t *off, const char **key,
    size_t *len)
{
	const unsigned char *u;
	size_t l;

	if (*off + 4 > keys->len)
		return 0;
	u = (const unsigned char *)keys->p + *off;
	l = (size_t)u[0] << 24 | (size_t)u[1] << 16 | (size_t)u[2] << 8 |
	    u[3];
	*key = keys->p + *off + 4;
	*len = l;
	*off += 4 + l;
	return 1;
}

int
lh_eql_is_sequence(const struct lh_eql *q)
{
	return q->seq;
}

size_t
lh_eql_nsteps(const struct lh_eql *q)
{
	return q->nstep;
}

/* lh_eql_fields() over the subtree n. */
static int
node_fields(const struct eql_node *n, int (*fn)(void *, const char *),
    void *arg)
{
	size_t i;

	if (n == NULL)
		return 1;
	if (n->field != NULL && !fn(arg, n->field))
		return 0;
	for (i = 0; i < n->nkid; i++) {
		if (!node_fields(n->kid[i], fn, arg))
			return 0;
	}
	return 1;
}

int
lh_eql_fields(const struct lh_eql *q, int (*fn)(void *arg,
    const char *name), void *arg)
{
	size_t i;

	for (i = 0; i < q->nkey; i++) {
		if (!fn(arg, q->key[i]))
			return 0;
	}
	for (i = 0; i < q->nstep; i++) {
		if ((q->step[i].category != NULL &&
		    !fn(arg, "event.category")) ||
		    !node_fields(q->step[i].cond, fn, arg))
			return 0;
	}
	return 1;
}

int
lh_eql_needs_category(const struct lh_eql *q)
{
	size_t i;

	for (i = 0; i < q->nstep; i++) {
		if (q->step[i].category == NULL)
			return 0;
	}
	return q->nstep > 0;
}

/* lh_eql_required_values() of one condition (see kql_words.c's twin). */
static int
required_values(const struct eql_node *n, const char *field,
    int (*fn)(void *, const char *, size_t), void *arg)
{
	size_t i;

	switch (n->kind) {
	case EN_AND:
		for (i = 0; i < n->nkid; i++) {
			if (required_values(n->kid[i], field, NULL, NULL))
				return fn == NULL || required_values(n->kid[i],
				    field, fn, arg);
		}
		return 0;
	case EN_OR:
		for (i = 0; i < n->nkid; i++) {
			if (!required_values(n->kid[i], field, fn, arg))
				return 0;
		}
		return n->nkid > 0;
	case EN_CMP:
	case EN_IN:
		if ((n->kind == EN_CMP && n->op != LH_CMP_EQ) ||
		    n->type != LH_T_KEYWORD || n->nlit == 0 ||
		    strcmp(n->field, field) != 0)
			return 0;
		for (i = 0; fn != NULL && i < n->nlit; i++) {
			if (!fn(arg, n->lit[i].s, n->lit[i].n))
				return 0;
		}
		return 1;
	default:
		return 0;
	}
}

int
lh_eql_required_values(const struct lh_eql *q, const char *field,
    int (*fn)(void *arg, const char *v, size_t len), void *arg)
{
	size_t i;

	for (i = 0; i < q->nstep; i++) {
		if (!required_values(q->step[i].cond, field, NULL, NULL))
			return 0;
	}
	for (i = 0; i < q->nstep; i++) {
		if (!required_values(q->step[i].cond, field, fn, arg))
			return 0;
	}
	return q->nstep > 0;
}

const char *const *
lh_eql_keys(const struct lh_eql *q, size_t *n)
{
	*n = q->nkey;
	return (const char *const *)q->key;
}

int64_t
lh_eql_maxspan_us(const struct lh_eql *q)
{
	return q->maxspan_us;
}

unsigned
lh_eql_runs(const struct lh_eql *q, size_t step)
{
	return step < q->nstep ? q->step[step].runs : 1;
}

void
lh_eql_free(struct lh_eql *q)
{
	size_t i;

	if (q == NULL)
		return;
	for (i = 0; i < q->nstep; i++) {
		free(q->step[i].category);
		eql_node_free(q->step[i].cond);
	}
	free(q->step);
	for (i = 0; i < q->nkey; i++)
		lh_name_free(q->key[i]);
	free(q->key);
	lh_name_free(q->catname);
	free(q);
}
