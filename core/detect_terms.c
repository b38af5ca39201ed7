/*
 * detect_terms.c: the history of a new_terms rule over the evidence.
 *
 * DESIGN
 * Kibana's new terms rule (elastic/kibana PR #134526, "New terms security
 * rule type"; multiple fields since PR #143943) raises an alert for each
 * term of the rule interval that does not occur in the rule's events
 * between history_window_start and the interval's start: "If a term is
 * found between the times history_window_start and from then it will not
 * be classified as a new term".  A term is one value of the field, or one
 * combination of values of several fields; a document with an array of
 * values yields one term per value ("multiple alerts will be generated
 * from the same document", elastic/security-docs issue #2257); a document
 * missing a field yields none (the composite aggregation does not bucket
 * missing values).
 *
 * Offline, as if the rule had run continuously over the evidence: the
 * events come in time order and the history is the evidence itself, so
 * a term is new at time ts when the rule's events did not hold it in
 * [ts - window, ts).  Only the last time of each term is kept (one entry
 * per distinct term, not per event).
 *
 * The first days: over the first window of the evidence (from its first
 * event that any stateful rule could use: where its authentication
 * history begins; not from the rule's own first event, or the first
 * login of a rare kind - a system user's - could never be new), Kibana
 * would have had the history
 * loghunt lacks, and every term seen then would look new - on a box with
 * daily logins every user and address of the first day.  So a term first
 * seen less than one window after that start raises no alert (reported
 * as "warm-up" in --stats); from then on, the history is complete and
 * the answer is Kibana's.  A term that comes back after a gap longer than
 * the window is new again, as in Kibana.
 */
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/detect_int.h"
#include "core/field.h"
#include "core/match.h"
#include "core/status.h"

#define KEY_CHUNK 65536	/* bytes of keys allocated at a time */
#define BIG_TABLE (1u << 20)	/* bytes from which a table is mapped */

struct entry {
	char *key;		/* in keys; NULL: empty slot */
	size_t len;
	uint64_t hash;
	int64_t last;		/* last time seen */
};

struct lh_terms {
	const struct lh_rule *rule;
	struct entry *tab;	/* open addressing, power of two */
	size_t cap, n;
	struct lh_arena *keys;	/* the entries' keys: one free for all */
	int64_t start;		/* the evidence's first usable event */
};

/*
 * A zeroed table of cap entries: from the heap while small, else mapped
 * with its pages made at once (lh_map_zeroed): filled at random, a big
 * one would take a page fault per 4 KiB (a tenth of the new_terms
 * thread's time with tens of thousands of terms).
 */
static struct entry *
table_new(size_t cap)
{
	if (cap * sizeof(struct entry) < BIG_TABLE)
		return calloc(cap, sizeof(struct entry));
	return lh_map_zeroed(cap * sizeof(struct entry));
}

static void
table_free(struct entry *tab, size_t cap)
{
	if (cap * sizeof(struct entry) < BIG_TABLE)
		free(tab);
	else
		lh_map_free(tab, cap * sizeof(struct entry));
}

struct lh_terms *
lh_terms_create(const struct lh_rule *r, int64_t start)
{
	struct lh_terms *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	if ((t->keys = lh_arena_create_bytes(KEY_CHUNK)) == NULL) {
		free(t);
		return NULL;
	}
	t->rule = r;
	t->start = start;
	return t;
}

void
lh_terms_free(struct lh_terms *t)
{
	if (t == NULL)
		return;
	lh_arena_free(t->keys);
	table_free(t->tab, t->cap);
	free(t);
}

/* The distinct values of field name in ev: up to max, *n of them. */
static void
values(const struct lh_event *ev, const char *name,
    const struct lh_field **v, size_t max, size_t *n)
{
	size_t i, k;

	*n = 0;
	for (i = lh_field_find(ev, name, 0); i < ev->nfield && *n < max;
	    i = lh_field_find(ev, name, i + 1)) {
		const struct lh_field *f = &ev->fields[i];

		for (k = 0; k < *n; k++)
			if (lh_span_cmp(v[k]->val, v[k]->len, f->val,
			    f->len) == 0)
				break;
		if (k == *n)
			v[(*n)++] = f;
	}
}

/* Appends one combination (the values idx[] of each field). */
static int
put_combo(struct lh_buf *b, const struct lh_field *const *v, size_t nf,
    const size_t *idx)
{
	size_t i, at = b->len;
	uint32_t len;

	if (lh_buf_append(b, "\0\0\0\0", 4) != LH_OK)
		return LH_FATAL;
	for (i = 0; i < nf; i++) {
		const struct lh_field *f = v[i * LH_TERMS_MAX_COMBOS + idx[i]];

		if (lh_buf_put_u64(b, f->len) != LH_OK ||
		    lh_buf_putc(b, ':') != LH_OK ||
		    lh_buf_append(b, f->val, f->len) != LH_OK)
			return LH_FATAL;
	}
	len = (uint32_t)(b->len - at - 4);
	memcpy(b->p + at, &len, 4);
	return LH_OK;
}

int
lh_terms_of(const struct lh_terms *t, const struct lh_event *ev,
    struct lh_buf *combos, size_t *n)
{
	const struct lh_field *v[LH_RULE_MAX_TERMS * LH_TERMS_MAX_COMBOS];
	size_t cnt[LH_RULE_MAX_TERMS], idx[LH_RULE_MAX_TERMS] = { 0 };
	size_t i, nf = t->rule->nterms;

	lh_buf_reset(combos);
	*n = 0;
	for (i = 0; i < nf; i++) {
		values(ev, t->rule->terms[i], &v[i * LH_TERMS_MAX_COMBOS],
		    LH_TERMS_MAX_COMBOS, &cnt[i]);
		if (cnt[i] == 0)
			return LH_OK;	/* a missing field: no term */
	}
	while (*n < LH_TERMS_MAX_COMBOS) {
		if (put_combo(combos, v, nf, idx) != LH_OK)
			return LH_FATAL;
		(*n)++;
		for (i = nf; i-- > 0;) {
			if (++idx[i] < cnt[i])
				break;
			idx[i] = 0;
		}
		if (i == (size_t)-1)
			break;
	}
	return LH_OK;
}

int
lh_terms_next(const struct lh_buf *combos, size_t *off, const char **key,
    size_t *len)
{
	uint32_t n;

	if (*off + 4 > combos->len)
		return 0;
	memcpy(&n, combos->p + *off, 4);
	*key = combos->p + *off + 4;
	*len = n;
	*off += 4 + (size_t)n;
	return 1;
}

static int
rehash(struct lh_terms *t)
{
	size_t cap = t->cap ? t->cap * 2 : 1024, i, k;
	struct entry *tab = table_new(cap);

	if (tab == NULL)
		return LH_FATAL;
	for (i = 0; i < t->cap; i++) {
		if (t->tab[i].key == NULL)
			continue;
		for (k = t->tab[i].hash & (cap - 1); tab[k].key != NULL;
		    k = (k + 1) & (cap - 1))
			;
		tab[k] = t->tab[i];
	}
	table_free(t->tab, t->cap);
	t->tab = tab;
	t->cap = cap;
	return LH_OK;
}

int
lh_terms_see(struct lh_terms *t, const char *key, size_t len, int64_t ts,
    int *isnew)
{
	uint64_t h = lh_fnv64(LH_FNV_SEED, key, len);
	int64_t window = t->rule->history_us;
	struct entry *e;
	size_t k;

	if ((t->n + 1) * 2 > t->cap && rehash(t) != LH_OK)
		return LH_FATAL;
	for (k = h & (t->cap - 1); t->tab[k].key != NULL;
	    k = (k + 1) & (t->cap - 1)) {
		e = &t->tab[k];
		if (e->hash == h && e->len == len &&
		    memcmp(e->key, key, len) == 0) {
			*isnew = ts - e->last > window;
			e->last = ts;
			return LH_OK;
		}
	}
	e = &t->tab[k];
	if ((e->key = lh_arena_alloc(t->keys, len + 1)) == NULL)
		return LH_FATAL;
	memcpy(e->key, key, len);
	e->key[len] = '\0';
	e->len = len;
	e->hash = h;
	e->last = ts;
	t->n++;
	*isnew = ts - t->start >= window ? 1 : -1;
	return LH_OK;
}
