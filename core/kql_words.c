/*
 * kql_words.c: the literal words a compiled KQL query requires, for the
 * raw-text prefilter (lh_kql_required_words).
 *
 * DESIGN
 * Walks the immutable tree: a leaf on a named text field requires one of
 * its analysed terms (match) or its most telling term (match_phrase), an
 * and takes the best requirement of its children (fewest, then longest
 * words), an or needs all of its children's sets merged, and anything
 * else (not, keyword, ranges, patterns) requires nothing - but for
 * syslog-family and JSON records (lh_kql_required_tags) a term
 * process.name:VALUE requires VALUE, the record's tag.  Only the parts
 * of terms that must appear literally in the raw record qualify (see
 * literal_part).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/kql.h"
#include "core/kql_int.h"
#include "core/status.h"

/* A set of words, owned; none marks "no requirement". */
struct wset {
	char **w;
	size_t n, cap;
	int none;
};

static void
wset_free(struct wset *ws)
{
	size_t i;

	for (i = 0; i < ws->n; i++)
		free(ws->w[i]);
	free(ws->w);
	ws->w = NULL;
	ws->n = 0;
	ws->cap = 0;
}

/*
 * The part of a token that must appear literally (ASCII case-insensitively)
 * in the raw text of a field it was found in: *off and the length (0 when
 * none).  Lucene lowercases U+0130 to 'i' and U+212A (Kelvin) to 'k', so
 * those letters may come from a raw text without them: the longest run of
 * the token without them is used, when it has 4 characters or more (a
 * token without them is used whole).
 */
static uint32_t
literal_part(const struct lh_term *t, uint32_t *off)
{
	uint32_t i, run = 0, best = 0;

	*off = 0;
	for (i = 0; i < t->len; i++) {
		char c = t->s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '_'))
			return 0;
		run = c == 'i' || c == 'k' ? 0 : run + 1;
		if (run > best) {
			best = run;
			*off = i + 1 - run;
		}
	}
	return best == t->len || best >= 4 ? best : 0;
}

static int
wset_add(struct wset *ws, const char *w, size_t len)
{
	size_t i;

	for (i = 0; i < ws->n; i++)
		if (strlen(ws->w[i]) == len && memcmp(ws->w[i], w, len) == 0)
			return 1;
	/* One more than the words: lh_kql_required_words ends w with NULL. */
	if (lh_grow(&ws->w, &ws->cap, ws->n + 2, sizeof(*ws->w)) != LH_OK)
		return 0;
	if ((ws->w[ws->n] = lh_dupn(w, len)) == NULL)
		return 0;
	ws->n++;
	return 1;
}

/*
 * Whether l is process.name:VALUE (no wildcard) with a VALUE that a
 * syslog-family or JSON record must hold as it is (see
 * lh_kql_required_tags): letters, digits, '.', '-' and '_' only (JSON
 * escapes nothing of those), and not "kernel", which dmesg records get
 * without the word in their text.
 */
static int
tag_value(const char *v, size_t n)
{
	size_t i;

	if (n == 0 || (n == 6 && memcmp(v, "kernel", 6) == 0))
		return 0;
	for (i = 0; i < n; i++) {
		char c = v[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '-' ||
		    c == '_'))
			return 0;
	}
	return 1;
}

static int
tag_word(const struct leaf *l)
{
	return l->scope == SC_FIELD && l->op == OP_IS && !l->wild &&
	    strcmp(l->field, "process.name") == 0 &&
	    tag_value(l->val, l->vlen);
}

/* Lowercases the ASCII letters of w in place; returns 1. */
static int
lower(char *w)
{
	for (; *w != '\0'; w++)
		if (*w >= 'A' && *w <= 'Z')
			*w = (char)(*w + 32);
	return 1;
}

/*
 * The words of a leaf: on a named text field, an unquoted value needs one
 * of its tokens (all must be literal), a phrase needs all of them (the
 * longest literal one will do).  A value with no tokens matches nothing:
 * the empty set.
 */
/*
 * Words every record of some input holds whatever its content: the keys of
 * ECS JSON documents (Filebeat writes "event":{"module":...}) and the
 * kernel's tag of every kern.log line.  Any literal token of a phrase is
 * required, so the choice among them changes speed only: such a word is
 * taken only when the phrase has no other.
 */
static int
common_word(const char *w, uint32_t len)
{
	static const char *const common[] = { "module", "event", "message",
		"host", "hostname", "process", "kernel", "ernel", "name",
		"type", "file", "path", "dataset", "system", "input", "offset",
		"timestamp", "agent", "fileset", "syslog", NULL };
	size_t i;

	for (i = 0; common[i] != NULL; i++)
		if (strlen(common[i]) == len &&
		    strncasecmp(common[i], w, len) == 0)
			return 1;
	return 0;
}

static int
leaf_words(const struct leaf *l, int tag, struct wset *ws)
{
	const struct lh_term *best = NULL;
	uint32_t off, len, boff = 0, blen = 0;
	size_t i;
	int bcommon = 1;

	ws->none = 1;
	if (tag && tag_word(l)) {
		ws->none = 0;
		return wset_add(ws, l->val, l->vlen) &&
		    lower(ws->w[ws->n - 1]);
	}
	if (l->scope != SC_FIELD || l->type != LH_T_TEXT || l->op != OP_IS ||
	    l->wild)
		return 1;
	for (i = 0; i < l->ntok; i++) {
		if ((len = literal_part(&l->tok[i], &off)) > 0) {
			int c = common_word(l->tok[i].s + off, len);

			if (best == NULL || (c == bcommon ? len > blen :
			    bcommon)) {
				bcommon = c;
				best = &l->tok[i];
				boff = off;
				blen = len;
			}
		} else if (!l->quoted) {
			return 1;
		}
	}
	if (l->ntok > 0 && best == NULL)
		return 1;
	ws->none = 0;
	if (l->quoted)
		return best == NULL || wset_add(ws, best->s + boff, blen);
	for (i = 0; i < l->ntok; i++) {
		len = literal_part(&l->tok[i], &off);
		if (!wset_add(ws, l->tok[i].s + off, len))
			return 0;
	}
	return 1;
}

/* Whether the set a is a better prefilter than b: fewer, longer words. */
static int
wset_better(const struct wset *a, const struct wset *b)
{
	size_t i, amin = SIZE_MAX, bmin = SIZE_MAX;

	if (b->none || a->n != b->n)
		return b->none || a->n < b->n;
	for (i = 0; i < a->n; i++)
		if (strlen(a->w[i]) < amin)
			amin = strlen(a->w[i]);
	for (i = 0; i < b->n; i++)
		if (strlen(b->w[i]) < bmin)
			bmin = strlen(b->w[i]);
	return amin > bmin;
}

/* The requirement of n into ws; 0 when out of memory. */
static int
node_words(const struct node *n, int tag, struct wset *ws)
{
	struct wset k;
	size_t i, j;

	memset(ws, 0, sizeof(*ws));
	ws->none = 1;
	if (n->kind == K_LEAF)
		return leaf_words(n->leaf, tag, ws);
	if (n->kind != K_AND && n->kind != K_OR)
		return 1;
	ws->none = n->kind == K_AND;
	for (i = 0; i < n->nkid; i++) {
		if (!node_words(n->kid[i], tag, &k)) {
			wset_free(&k);
			return 0;
		}
		if (n->kind == K_AND && !k.none && wset_better(&k, ws)) {
			wset_free(ws);
			*ws = k;
			continue;
		}
		if (n->kind == K_OR && k.none) {
			wset_free(&k);
			wset_free(ws);
			ws->none = 1;
			return 1;
		}
		for (j = 0; n->kind == K_OR && j < k.n; j++) {
			if (!wset_add(ws, k.w[j], strlen(k.w[j]))) {
				wset_free(&k);
				return 0;
			}
		}
		wset_free(&k);
	}
	return 1;
}

static int
required(const struct lh_kql *q, int tag, char ***words)
{
	struct wset ws;

	*words = NULL;
	if (!node_words(q->root, tag, &ws) || ws.none || ws.n == 0) {
		wset_free(&ws);
		return 0;
	}
	ws.w[ws.n] = NULL;	/* wset_add keeps room for it */
	*words = ws.w;
	return 1;
}

int
lh_kql_required_words(const struct lh_kql *q, char ***words)
{
	return required(q, 0, words);
}

int
lh_kql_required_tags(const struct lh_kql *q, char ***words)
{
	return required(q, 1, words);
}

/* Calls fn for the field of every leaf below n; 0 as soon as fn does. */
static int
node_fields(const struct node *n, int (*fn)(void *, const char *), void *arg)
{
	size_t i;

	if (n->kind == K_LEAF)
		return fn(arg, n->leaf->scope == SC_FIELD ? n->leaf->field :
		    NULL);
	for (i = 0; i < n->nkid; i++) {
		if (!node_fields(n->kid[i], fn, arg))
			return 0;
	}
	return 1;
}

int
lh_kql_fields(const struct lh_kql *q, int (*fn)(void *arg, const char *name),
    void *arg)
{
	return node_fields(q->root, fn, arg);
}

/*
 * Whether n matches only events whose keyword field holds a value of a
 * term "field:VALUE" under it; with fn set, reports those values (call
 * it without fn first: a partial walk reports values of a failed branch).
 */
static int
required_values(const struct node *n, const char *field,
    int (*fn)(void *, const char *, size_t), void *arg)
{
	const struct leaf *l = n->leaf;
	size_t i;

	switch (n->kind) {
	case K_AND:
		for (i = 0; i < n->nkid; i++) {
			if (required_values(n->kid[i], field, NULL, NULL))
				return fn == NULL || required_values(n->kid[i],
				    field, fn, arg);
		}
		return 0;
	case K_OR:
		for (i = 0; i < n->nkid; i++) {
			if (!required_values(n->kid[i], field, fn, arg))
				return 0;
		}
		return n->nkid > 0;
	case K_LEAF:
		if (l->op != OP_IS || l->scope != SC_FIELD || l->wild ||
		    l->type != LH_T_KEYWORD || strcmp(l->field, field) != 0)
			return 0;
		return fn == NULL || fn(arg, l->val, l->vlen);
	default:
		return 0;
	}
}

int
lh_kql_required_values(const struct lh_kql *q, const char *field,
    int (*fn)(void *arg, const char *v, size_t len), void *arg)
{
	return required_values(q->root, field, NULL, NULL) &&
	    required_values(q->root, field, fn, arg);
}

/* The one value of lh_kql_required_tag (take_one's state). */
struct one_value {
	const char *v;
	size_t len;
	int n;
};

static int
take_one(void *arg, const char *v, size_t len)
{
	struct one_value *o = arg;

	o->v = v;
	o->len = len;
	return ++o->n == 1;
}

char *
lh_kql_required_tag(const struct lh_kql *q)
{
	struct one_value o = { NULL, 0, 0 };
	char *w;

	if (!lh_kql_required_values(q, "process.name", take_one, &o) ||
	    o.n != 1 || !tag_value(o.v, o.len) ||
	    (w = lh_dupn(o.v, o.len)) == NULL)
		return NULL;
	lower(w);
	return w;
}
