/*
 * kql_eval.c: evaluation of a compiled KQL query on one event, and the
 * matched terms it reports.
 *
 * DESIGN
 * The tree (kql_int.h) is immutable and shared by every worker; all
 * per-event state lives in the caller's struct lh_kql_scratch.  Field
 * values are compared with core/field.h, which knows what each field type
 * means; this file only decides which event fields a leaf looks at and
 * records which leaves made the query true.  The analysed tokens of each
 * text field value are cached in the scratch (indexed by field position,
 * valid for one generation, i.e. until lh_kql_scratch_reset), each with
 * the small hash table of struct lh_text, so that a long or-list of words
 * on message costs a few probes per word.  Buffers only grow, so a warm
 * scratch allocates nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/kql.h"
#include "core/kql_int.h"
#include "core/status.h"

enum how { H_TOKEN, H_PHRASE, H_PLAIN };

/* The analysed tokens of one field value of the current event. */
struct tcache {
	uint64_t gen;		/* valid while equal to the scratch's gen */
	const char *name, *val;
	size_t len;
	int ftype;		/* lh_field_type() of name, -1 if not yet */
	int ready;		/* text holds this value */
	struct lh_text text;
};

struct hitrec {
	const struct leaf *l;
	const char *name;	/* the event field (or "@timestamp") */
	const char *tok;	/* the token found, for H_TOKEN */
	size_t toklen;
	enum how how;
};

struct lh_kql_scratch {
	uint64_t gen;
	struct tcache *c;
	size_t nc;
	struct hitrec *hit;
	size_t nhit, caphit;
	struct lh_buf out;	/* the matched terms */
	struct lh_buf term;	/* one term being formatted */
	size_t *item;		/* start and length of each term in out */
	size_t nitem, capitem;
	int oom;		/* an allocation failed during this match */
	int plan;		/* evaluate "and"s in their planned order */
};

/* ---- scratch and the token cache ---------------------------------------- */

struct lh_kql_scratch *
lh_kql_scratch_create(void)
{
	struct lh_kql_scratch *s = calloc(1, sizeof(*s));

	if (s != NULL)
		s->gen = 1;
	return s;
}

void
lh_kql_scratch_free(struct lh_kql_scratch *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nc; i++)
		lh_field_text_free(&s->c[i].text);
	free(s->c);
	free(s->hit);
	free(s->item);
	lh_buf_free(&s->out);
	lh_buf_free(&s->term);
	free(s);
}

void
lh_kql_scratch_reset(struct lh_kql_scratch *s)
{
	s->gen++;
}

/*
 * The cache entry of field i of ev, valid for this generation.  Besides
 * the generation, the name and value pointers must match, so a caller that
 * forgets a reset gets fresh tokens rather than stale ones in most cases.
 */
static struct tcache *
cache_entry(struct lh_kql_scratch *s, const struct lh_event *ev, size_t i)
{
	const struct lh_field *f = &ev->fields[i];
	struct tcache *e;
	size_t nc = s->nc;

	if (i >= s->nc) {
		if (lh_grow(&s->c, &s->nc, i + 1, sizeof(*s->c)) != LH_OK)
			return NULL;
		memset(s->c + nc, 0, (s->nc - nc) * sizeof(*s->c));
	}
	e = &s->c[i];
	if (e->gen != s->gen || e->name != f->name || e->val != f->val ||
	    e->len != f->len) {
		e->gen = s->gen;
		e->name = f->name;
		e->val = f->val;
		e->len = f->len;
		e->ftype = -1;
		e->ready = 0;
	}
	return e;
}

static enum lh_ftype
field_type(struct lh_kql_scratch *s, const struct lh_event *ev, size_t i)
{
	struct tcache *e = cache_entry(s, ev, i);

	if (e == NULL)
		return lh_field_type(ev->fields[i].name);
	if (e->ftype < 0)
		e->ftype = (int)lh_field_type(e->name);
	return (enum lh_ftype)e->ftype;
}

/* The analysed tokens of field i, analysing it on first use. */
static struct tcache *
cache_tokens(struct lh_kql_scratch *s, const struct lh_event *ev, size_t i)
{
	struct tcache *e = cache_entry(s, ev, i);

	if (e == NULL) {
		s->oom = 1;
		return NULL;
	}
	if (!e->ready) {
		if (lh_field_text_analyze(&e->text, e->val, e->len) != LH_OK) {
			s->oom = 1;
			return NULL;
		}
		e->ready = 1;
	}
	return e;
}

/* ---- evaluation --------------------------------------------------------- */

/* Records a true leaf; always returns 1 (a lost record sets s->oom). */
static int
hit(struct lh_kql_scratch *s, const struct leaf *l, const char *name,
    const char *tok, size_t toklen, enum how how)
{
	struct hitrec *h;

	if (lh_grow(&s->hit, &s->caphit, s->nhit + 1, sizeof(*h)) != LH_OK) {
		s->oom = 1;
		return 1;
	}
	h = &s->hit[s->nhit++];
	h->l = l;
	h->name = name;
	h->tok = tok;
	h->toklen = toklen;
	h->how = how;
	return 1;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	    c == '\f';
}

/*
 * Whether the text v (n bytes) holds l's needle in any ASCII case with a
 * blank or an end on both sides: then the standard analyzer makes of it
 * the phrase's tokens at consecutive positions (UAX#29 breaks at blanks,
 * and letters and digits between them stay one token), so match_phrase
 * holds without analysing v.  0 says nothing: the tokens decide.
 */
static int
phrase_literal(const struct leaf *l, const char *v, size_t n)
{
	const char *nd = l->needle;
	size_t i, k, m = l->nlen;

	for (i = 0; nd != NULL && i + m <= n; i++) {
		if (i > 0 && !is_blank(v[i - 1]))
			continue;
		for (k = 0; k < m; k++) {
			char c = v[i + k];

			if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != nd[k])
				break;
		}
		if (k == m && (i + m == n || is_blank(v[i + m])))
			return 1;
	}
	return 0;
}

/* A text field: match, match_phrase, or a test of each token. */
static int
text_match(const struct leaf *l, const struct lh_event *ev, size_t fi,
    struct lh_kql_scratch *s)
{
	const char *name = ev->fields[fi].name;
	struct tcache *e;
	const struct lh_tokens *t;
	size_t which;
	long k;

	if (l->quoted && !l->wild && l->op == OP_IS && phrase_literal(l,
	    ev->fields[fi].val, ev->fields[fi].len))
		return hit(s, l, name, NULL, 0, H_PHRASE);
	if ((e = cache_tokens(s, ev, fi)) == NULL)
		return 0;
	t = &e->text.t;
	if (l->wild || l->op != OP_IS) {
		k = l->wild ? lh_field_text_wildcard(&e->text, l->lpat, 0) :
		    lh_field_text_cmp(&e->text, (enum lh_cmp)l->op, l->val,
		    l->vlen);
		return k >= 0 && hit(s, l, name, lh_token(t, (size_t)k),
		    t->len[k], H_TOKEN);
	}
	if (l->quoted)
		return lh_field_text_phrase(&e->text, l->tok, l->ntok) &&
		    hit(s, l, name, NULL, 0, H_PHRASE);
	k = lh_field_text_match(&e->text, l->tok, l->ntok, &which);
	return k >= 0 && hit(s, l, name, lh_token(t, (size_t)k),
	    l->tok[which].len, H_TOKEN);
}

static int
keyword_match(const struct leaf *l, const struct lh_field *f)
{
	if (l->wild)
		return lh_field_keyword_indexed(f->val, f->len) &&
		    lh_field_wildcard(l->pat, f->val, f->len, 0);
	return lh_field_cmp_keyword(f->val, f->len, (enum lh_cmp)l->op,
	    l->val, l->vlen, 0);
}

/*
 * An ip field: a term matches the addresses of its block (Elasticsearch's
 * ip field type turns "a.b.c.d/n" into a range); a range compares the
 * 16-byte forms.  A value that is not an address matches nothing.
 */
static int
ip_match(const struct leaf *l, const struct lh_field *f)
{
	struct lh_ip ip;

	if (!l->ip_ok || lh_ip_parse(f->val, f->len, &ip) != LH_OK)
		return 0;
	if (l->op == OP_IS)
		return lh_ip_in(&ip, &l->ip, l->ipbits);
	return lh_cmp_holds((enum lh_cmp)l->op, lh_ip_cmp(&ip, &l->ip));
}

/* Whether the value of field fi, of type t, satisfies l. */
static int
value_match(const struct leaf *l, enum lh_ftype t, const struct lh_event *ev,
    size_t fi, struct lh_kql_scratch *s)
{
	const struct lh_field *f = &ev->fields[fi];

	if (l->op == OP_EXISTS)
		return hit(s, l, f->name, NULL, 0, H_PLAIN);
	if (t == LH_T_TEXT)
		return text_match(l, ev, fi, s);
	if (t == LH_T_KEYWORD || l->wild) {
		/* A wildcard on a long or date field globs its text. */
		return keyword_match(l, f) && hit(s, l, f->name, NULL, 0,
		    H_PLAIN);
	}
	if (t == LH_T_LONG)
		return l->num_ok && lh_field_cmp_long(f->val, f->len, l->nlo,
		    l->nhi) && hit(s, l, f->name, NULL, 0, H_PLAIN);
	if (t == LH_T_IP)
		return ip_match(l, f) && hit(s, l, f->name, NULL, 0, H_PLAIN);
	return l->date_ok && lh_field_cmp_date(f->val, f->len, l->dlo,
	    l->dhi) && hit(s, l, f->name, NULL, 0, H_PLAIN);
}

/* @timestamp, which is ev->ts rather than a field. */
static int
ts_match(const struct leaf *l, const struct lh_event *ev,
    struct lh_kql_scratch *s)
{
	int64_t t;

	if (!lh_field_timestamp(ev, &t))
		return 0;
	if (l->op != OP_EXISTS && (l->wild || !l->date_ok ||
	    t < l->dlo || t > l->dhi))
		return 0;
	return hit(s, l, LH_F_TIMESTAMP, NULL, 0, H_PLAIN);
}

/* Whether the field name glob of l matches name. */
static int
glob_name(const struct leaf *l, const char *name)
{
	return lh_field_wildcard(l->field, name, strlen(name), 0);
}

static int
leaf_match(const struct leaf *l, const struct lh_event *ev,
    struct lh_kql_scratch *s)
{
	size_t i;

	if (l->scope == SC_FIELD && l->is_ts)
		return ts_match(l, ev, s);
	if (l->scope == SC_FIELD) {
		for (i = lh_field_find(ev, l->field, 0); i < ev->nfield;
		    i = lh_field_find(ev, l->field, i + 1))
			if (value_match(l, l->type, ev, i, s))
				return 1;
		return 0;
	}
	for (i = 0; i < ev->nfield; i++) {
		if ((l->scope == SC_ANY || glob_name(l, ev->fields[i].name)) &&
		    value_match(l, field_type(s, ev, i), ev, i, s))
			return 1;
	}
	if (l->scope == SC_ANY || glob_name(l, LH_F_TIMESTAMP))
		return ts_match(l, ev, s);
	return 0;
}

static const struct tokent *
tokmap_find(const struct tokmap *m, const char *t, size_t len, uint32_t hash)
{
	size_t h = hash & (m->nslot - 1);
	uint32_t k;

	while ((k = m->slot[h]) != 0) {
		if (m->e[k - 1].t->len == len &&
		    memcmp(m->e[k - 1].t->s, t, len) == 0)
			return &m->e[k - 1];
		h = (h + 1) & (m->nslot - 1);
	}
	return NULL;
}

/*
 * An or with a token map: the hit is the one the children in order would
 * give, the first child with a token in the field and its first such
 * token.
 */
static int
or_map(const struct node *n, const struct lh_event *ev,
    struct lh_kql_scratch *s)
{
	const struct tokmap *m = n->map;
	const struct tokent *best = NULL, *e;
	const struct lh_tokens *t;
	const char *tok = NULL, *name = NULL;
	struct tcache *c;
	size_t i, j;

	for (i = lh_field_find(ev, m->field, 0); i < ev->nfield;
	    i = lh_field_find(ev, m->field, i + 1)) {
		if ((c = cache_tokens(s, ev, i)) == NULL)
			continue;
		t = &c->text.t;
		for (j = 0; j < t->n; j++) {
			e = tokmap_find(m, lh_token(t, j), t->len[j],
			    c->text.thash[j]);
			if (e != NULL && (best == NULL || e->kid < best->kid ||
			    (e->kid == best->kid && e->pos < best->pos))) {
				best = e;
				tok = lh_token(t, j);
				name = ev->fields[i].name;
			}
		}
	}
	if (best == NULL)
		return 0;
	return hit(s, n->kid[best->kid]->leaf, name, tok, best->t->len,
	    H_TOKEN);
}

/*
 * An or of exact values on one keyword field, with its map: the hit is
 * the one the children in order would give, the first child equal to a
 * value of the field (an unindexed value equals none: core/field.h).
 */
static int
or_keys(const struct node *n, const struct lh_event *ev,
    struct lh_kql_scratch *s)
{
	const struct tokmap *m = n->map;
	const struct tokent *best = NULL, *e;
	const struct lh_field *f;
	const char *name = NULL;
	size_t i;

	for (i = lh_field_find(ev, m->field, 0); i < ev->nfield;
	    i = lh_field_find(ev, m->field, i + 1)) {
		f = &ev->fields[i];
		if (!lh_field_keyword_indexed(f->val, f->len))
			continue;
		e = tokmap_find(m, f->val, f->len, lh_field_hash(f->val,
		    f->len));
		if (e != NULL && (best == NULL || e->kid < best->kid)) {
			best = e;
			name = f->name;
		}
	}
	return best != NULL && hit(s, n->kid[best->kid]->leaf, name, NULL, 0,
	    H_PLAIN);
}

/*
 * Evaluates n, keeping in s->hit the leaves of the satisfied path: a
 * failed subtree, and anything under a not, leaves no record.
 */
static int
eval(const struct node *n, const struct lh_event *ev,
    struct lh_kql_scratch *s)
{
	size_t mark = s->nhit, i;
	int r;

	switch (n->kind) {
	case K_ALL:
		return 1;
	case K_LEAF:
		return leaf_match(n->leaf, ev, s);
	case K_NOT:
		r = !eval(n->kid[0], ev, s);
		s->nhit = mark;
		return r;
	case K_AND:
		for (i = 0; i < n->nkid; i++) {
			if (!eval(n->kid[s->plan && n->order != NULL ?
			    n->order[i] : i], ev, s)) {
				s->nhit = mark;
				return 0;
			}
		}
		return 1;
	case K_OR:
		if (n->map != NULL)
			return n->map->keys != NULL ? or_keys(n, ev, s) :
			    or_map(n, ev, s);
		for (i = 0; i < n->nkid; i++) {
			if (eval(n->kid[i], ev, s))
				return 1;
			s->nhit = mark;
		}
		return 0;
	}
	return 0;
}

/* ---- matched terms ------------------------------------------------------ */

static const char *
op_text(enum op op)
{
	switch (op) {
	case OP_LT:
		return "<";
	case OP_LE:
		return "<=";
	case OP_GT:
		return ">";
	case OP_GE:
		return ">=";
	case OP_EXISTS:
		return ":*";
	default:
		return ":";
	}
}

/*
 * One term into s->term: the token found on a text field (bare on
 * message), with the query value when it differs; field:value otherwise.
 */
static int
format_hit(struct lh_kql_scratch *s, const struct hitrec *h)
{
	struct lh_buf *b = &s->term;
	const struct leaf *l = h->l;
	int msg = strcmp(h->name, LH_F_MESSAGE) == 0, rc = LH_OK;

	lh_buf_reset(b);
	if (h->how == H_TOKEN) {
		if (!msg) {
			rc |= lh_buf_puts(b, h->name);
			rc |= lh_buf_putc(b, ':');
		}
		rc |= lh_buf_append(b, h->tok, h->toklen);
		if (l->vlen != h->toklen || memcmp(l->val, h->tok,
		    h->toklen) != 0) {
			rc |= lh_buf_puts(b, " (");
			rc |= lh_buf_append(b, l->val, l->vlen);
			rc |= lh_buf_putc(b, ')');
		}
	} else if (h->how == H_PHRASE && msg) {
		rc |= lh_buf_append(b, l->val, l->vlen);
	} else {
		rc |= lh_buf_puts(b, h->name);
		rc |= lh_buf_puts(b, op_text(l->op));
		if (l->op != OP_EXISTS)
			rc |= lh_buf_append(b, l->val, l->vlen);
	}
	return rc == LH_OK;
}

/* Appends s->term to s->out unless it is there already. */
static void
add_term(struct lh_kql_scratch *s)
{
	size_t i;

	for (i = 0; i < s->nitem; i++) {
		if (s->item[2 * i + 1] == s->term.len &&
		    memcmp(s->out.p + s->item[2 * i], s->term.p,
		    s->term.len) == 0)
			return;
	}
	/* An item is a pair (offset, length): capitem counts pairs. */
	if (lh_grow(&s->item, &s->capitem, s->nitem + 1,
	    2 * sizeof(*s->item)) != LH_OK) {
		s->oom = 1;
		return;
	}
	s->item[2 * s->nitem] = s->out.len + (s->nitem > 0 ? 2 : 0);
	if ((s->nitem > 0 && lh_buf_puts(&s->out, ", ") != LH_OK) ||
	    lh_buf_append(&s->out, s->term.p, s->term.len) != LH_OK) {
		s->oom = 1;
		return;
	}
	s->item[2 * s->nitem + 1] = s->term.len;
	s->nitem++;
}

/* The terms of the hits: those on text fields first, the most telling. */
static void
format_matched(struct lh_kql_scratch *s)
{
	size_t i;
	int pass;

	lh_buf_reset(&s->out);
	s->nitem = 0;
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < s->nhit; i++) {
			if ((s->hit[i].how == H_PLAIN) != pass)
				continue;
			if (format_hit(s, &s->hit[i]))
				add_term(s);
			else
				s->oom = 1;
		}
	}
}

int
lh_kql_match(const struct lh_kql *q, const struct lh_event *ev,
    struct lh_kql_scratch *s)
{
	int k;

	s->oom = 0;
	if (q->root->planned) {
		/* the planned order refuses most events sooner */
		s->nhit = 0;
		s->plan = 1;
		k = eval(q->root, ev, s);
		s->plan = 0;
		if (!k)
			return s->oom ? LH_FATAL : 0;
	}
	s->nhit = 0;
	if (!eval(q->root, ev, s))
		return s->oom ? LH_FATAL : 0;
	format_matched(s);
	return s->oom ? LH_FATAL : 1;
}

int
lh_kql_test(const struct lh_kql *q, const struct lh_event *ev,
    struct lh_kql_scratch *s)
{
	int k;

	s->nhit = 0;
	s->oom = 0;
	s->nitem = 0;
	s->plan = 1;
	k = eval(q->root, ev, s);
	s->plan = 0;
	return s->oom ? LH_FATAL : k != 0;
}

const char *
lh_kql_matched(const struct lh_kql_scratch *s, size_t *count)
{
	if (count != NULL)
		*count = s->nitem;
	return s->out.p != NULL && s->nitem > 0 ? s->out.p : "";
}

/* ---- the plan of a rule's query ---------------------------------------- */

/*
 * The rank of an operand of "and" in the planned order (lower first): a
 * term on a keyword, number or address field; a text field (analysed) or
 * a small nested condition; a field glob or a long or-list; a term on a
 * field every document of a data stream carries (seldom false).
 */
static int
rank(const struct node *n)
{
	const struct leaf *l = n->leaf;

	switch (n->kind) {
	case K_ALL:
		return 0;
	case K_LEAF:
		if (l->scope != SC_FIELD)
			return 2;
		if (!l->is_ts && lh_event_constant_name(l->field))
			return 3;
		return l->type == LH_T_TEXT ? 1 : 0;
	case K_OR:
		return n->map == NULL && n->nkid > 4 ? 2 : 1;
	default:
		return 1;
	}
}

/* Plans the "and"s under n; *moved when some order differs. */
static int
plan_node(struct node *n, int *moved)
{
	size_t i, k;
	uint16_t t;

	for (i = 0; i < n->nkid; i++)
		if (plan_node(n->kid[i], moved) != LH_OK)
			return LH_FATAL;
	if (n->kind != K_AND || n->nkid < 2 || n->nkid > UINT16_MAX ||
	    n->order != NULL)
		return LH_OK;
	if ((n->order = calloc(n->nkid, sizeof(*n->order))) == NULL)
		return LH_FATAL;
	for (i = 0; i < n->nkid; i++) {	/* insertion sort: stable */
		t = (uint16_t)i;
		for (k = i; k > 0 && rank(n->kid[n->order[k - 1]]) >
		    rank(n->kid[t]); k--)
			n->order[k] = n->order[k - 1];
		n->order[k] = t;
	}
	for (i = 0; i < n->nkid; i++)
		*moved |= n->order[i] != i;
	return LH_OK;
}

int
lh_kql_plan(struct lh_kql *q)
{
	int moved = 0;

	if (plan_node(q->root, &moved) != LH_OK)
		return LH_FATAL;
	q->root->planned = moved;
	return LH_OK;
}
