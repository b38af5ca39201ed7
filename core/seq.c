/*
 * seq.c: the EQL sequence engine (see seq.h for the semantics and where
 * they come from).
 *
 * DESIGN
 * A hash table (chained, FNV-1a) maps each join key to its state: one
 * slot per stage holding that stage's pending sequence or NULL.  The
 * states also form a list in order of last activity, oldest first, so
 * that expiry (by maxspan) and eviction (beyond max_keys) take the head
 * in O(1).  A pending sequence is an array of event ids with the time of
 * its first event; it moves from slot to slot as it advances, and is
 * freed when it completes, is rejected or is replaced.  A key whose slots
 * are all empty is freed at once.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/field.h"
#include "core/seq.h"
#include "core/status.h"

struct partial {
	int64_t start;		/* time of the first event */
	size_t n, cap;
	uint64_t ids[];
};

struct kstate {
	struct kstate *next;		/* hash chain */
	struct kstate *older, *newer;	/* activity list */
	uint32_t hash;
	int64_t last;			/* time of the last event */
	size_t keylen;
	const char *key;		/* after the slots, in this block */
	struct partial *slot[];		/* one per stage */
};

struct lh_seq {
	size_t nstage;
	uint8_t *step;			/* the step of each stage */
	int64_t maxspan;
	size_t max_keys;
	lh_seq_emit_fn emit;
	void *ctx;
	struct kstate **bucket;
	size_t nbucket;
	struct kstate *oldest, *newest;
	struct lh_seq_stats st;
};

static void
unlink_lru(struct lh_seq *s, struct kstate *k)
{
	if (k->older != NULL)
		k->older->newer = k->newer;
	else
		s->oldest = k->newer;
	if (k->newer != NULL)
		k->newer->older = k->older;
	else
		s->newest = k->older;
	k->older = k->newer = NULL;
}

static void
append_lru(struct lh_seq *s, struct kstate *k)
{
	k->older = s->newest;
	k->newer = NULL;
	if (s->newest != NULL)
		s->newest->newer = k;
	else
		s->oldest = k;
	s->newest = k;
}

/* Removes k from the table and the list, and frees it. */
static void
drop_key(struct lh_seq *s, struct kstate *k)
{
	struct kstate **pp = &s->bucket[k->hash & (s->nbucket - 1)];
	size_t i;

	while (*pp != k)
		pp = &(*pp)->next;
	*pp = k->next;
	unlink_lru(s, k);
	for (i = 0; i < s->nstage; i++)	/* most are empty: no call */
		if (k->slot[i] != NULL)
			free(k->slot[i]);
	free(k);
	s->st.keys--;
}

static struct kstate *
find_key(const struct lh_seq *s, const char *key, size_t n, uint32_t h)
{
	struct kstate *k;

	for (k = s->bucket[h & (s->nbucket - 1)]; k != NULL; k = k->next)
		if (k->hash == h && k->keylen == n &&
		    (n == 0 || memcmp(k->key, key, n) == 0))
			return k;
	return NULL;
}

/* Doubles the table.  LH_OK or LH_FATAL. */
static int
grow_table(struct lh_seq *s)
{
	size_t nb = s->nbucket * 2, i;
	struct kstate **b = calloc(nb, sizeof(*b)), *k, *next;

	if (b == NULL)
		return LH_FATAL;
	for (i = 0; i < s->nbucket; i++)
		for (k = s->bucket[i]; k != NULL; k = next) {
			next = k->next;
			k->next = b[k->hash & (nb - 1)];
			b[k->hash & (nb - 1)] = k;
		}
	free(s->bucket);
	s->bucket = b;
	s->nbucket = nb;
	return LH_OK;
}

/* A new, empty state for key (made room for by evicting).  NULL: OOM. */
static struct kstate *
add_key(struct lh_seq *s, const char *key, size_t n, uint32_t h)
{
	size_t slots = s->nstage * sizeof(struct partial *);
	struct kstate *k;

	if (s->st.keys >= s->max_keys && s->oldest != NULL) {
		drop_key(s, s->oldest);
		s->st.evicted++;
	}
	if (s->st.keys >= s->nbucket && grow_table(s) != LH_OK)
		return NULL;
	/* malloc, not calloc: glibc's calloc bypasses its per-thread cache */
	if ((k = malloc(sizeof(*k) + slots + n + 1)) == NULL)
		return NULL;
	memset(k, 0, sizeof(*k) + slots);
	k->hash = h;
	k->keylen = n;
	k->key = (const char *)k->slot + slots;
	if (n > 0)
		memcpy((char *)k->slot + slots, key, n);
	((char *)k->slot)[slots + n] = '\0';
	k->next = s->bucket[h & (s->nbucket - 1)];
	s->bucket[h & (s->nbucket - 1)] = k;
	append_lru(s, k);
	s->st.keys++;
	return k;
}

/* Frees the keys whose every pending sequence is older than maxspan. */
static void
expire(struct lh_seq *s, int64_t now)
{
	if (s->maxspan <= 0)
		return;
	while (s->oldest != NULL && now - s->oldest->last > s->maxspan)
		drop_key(s, s->oldest);
}

/* A sequence of one event.  NULL when out of memory. */
static struct partial *
partial_new(const struct lh_seq *s, int64_t ts, uint64_t id)
{
	size_t cap = s->nstage < 8 ? s->nstage : 8;
	struct partial *p = malloc(sizeof(*p) + cap * sizeof(p->ids[0]));

	if (p == NULL)
		return NULL;
	p->start = ts;
	p->n = 1;
	p->cap = cap;
	p->ids[0] = id;
	return p;
}

/* Appends id to *pp (which may move).  LH_OK or LH_FATAL. */
static int
partial_add(const struct lh_seq *s, struct partial **pp, uint64_t id)
{
	struct partial *p = *pp;

	if (p->n == p->cap) {
		size_t cap = p->cap * 2 < s->nstage ? p->cap * 2 : s->nstage;

		p = realloc(p, sizeof(*p) + cap * sizeof(p->ids[0]));
		if (p == NULL)
			return LH_FATAL;
		p->cap = cap;
		*pp = p;
	}
	p->ids[p->n++] = id;
	return LH_OK;
}

/*
 * Applies the event to stage k of key state ks (SequenceMatcher.match).
 * LH_OK, LH_FATAL or what emit returned.
 */
static int
stage(struct lh_seq *s, struct kstate *ks, size_t k, int64_t ts,
    uint64_t id)
{
	struct partial *p;
	int rc;

	if (k == 0) {
		if ((p = partial_new(s, ts, id)) == NULL)
			return LH_FATAL;
		free(ks->slot[0]);
		ks->slot[0] = p;
		return LH_OK;
	}
	if ((p = ks->slot[k - 1]) == NULL)
		return LH_OK;
	ks->slot[k - 1] = NULL;
	if (s->maxspan > 0 && ts - p->start > s->maxspan) {
		s->st.maxspan++;
		free(p);
		return LH_OK;
	}
	if (partial_add(s, &p, id) != LH_OK) {
		free(p);
		return LH_FATAL;
	}
	if (k + 1 < s->nstage) {
		free(ks->slot[k]);
		ks->slot[k] = p;
		return LH_OK;
	}
	s->st.completed++;
	rc = s->emit(s->ctx, p->ids, p->n);
	free(p);
	return rc;
}

/* Whether ks holds no pending sequence. */
static int
key_empty(const struct lh_seq *s, const struct kstate *ks)
{
	size_t i;

	for (i = 0; i < s->nstage; i++)
		if (ks->slot[i] != NULL)
			return 0;
	return 1;
}

int
lh_seq_feed(struct lh_seq *s, int64_t ts, uint64_t steps, const void *key,
    size_t keylen, uint64_t id)
{
	uint32_t h;
	struct kstate *ks;
	size_t k;
	int rc = LH_OK;

	if (key == NULL || steps == 0)
		return LH_OK;
	expire(s, ts);
	h = lh_field_hash(key, keylen);
	if ((ks = find_key(s, key, keylen, h)) == NULL) {
		if (!(steps >> s->step[0] & 1))
			return LH_OK;	/* nothing pending to advance */
		if ((ks = add_key(s, key, keylen, h)) == NULL)
			return LH_FATAL;
	}
	/* Last stage first: never extend what this event just moved. */
	for (k = s->nstage; k-- > 0 && rc == LH_OK;)
		if (steps >> s->step[k] & 1)
			rc = stage(s, ks, k, ts, id);
	if (key_empty(s, ks)) {
		drop_key(s, ks);
	} else {
		ks->last = ts;
		unlink_lru(s, ks);
		append_lru(s, ks);
	}
	return rc;
}

struct lh_seq *
lh_seq_create(const struct lh_seq_config *cfg, lh_seq_emit_fn emit,
    void *ctx, struct lh_err *err)
{
	struct lh_seq *s;
	size_t i, r, n = 0;

	if (cfg->nsteps == 0 || cfg->nsteps > LH_SEQ_MAX_STEPS) {
		lh_err_set(err, LH_FAIL, 0, "sequence of %zu steps",
		    cfg->nsteps);
		return NULL;
	}
	for (i = 0; i < cfg->nsteps; i++)
		n += cfg->runs != NULL ? cfg->runs[i] : 1;
	if (n < 2 || n > LH_SEQ_MAX_STEPS * 1000) {
		lh_err_set(err, LH_FAIL, 0, "sequence of %zu stages", n);
		return NULL;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->step = malloc(n)) == NULL ||
	    (s->bucket = calloc(64, sizeof(*s->bucket))) == NULL) {
		lh_seq_free(s);
		lh_err_set(err, LH_FATAL, ENOMEM, "sequence engine");
		return NULL;
	}
	for (i = 0, n = 0; i < cfg->nsteps; i++)
		for (r = cfg->runs != NULL ? cfg->runs[i] : 1; r > 0; r--)
			s->step[n++] = (uint8_t)i;
	s->nstage = n;
	s->nbucket = 64;
	s->maxspan = cfg->maxspan_us;
	s->max_keys = cfg->max_keys > 0 ? cfg->max_keys : LH_SEQ_MAX_KEYS;
	s->emit = emit;
	s->ctx = ctx;
	return s;
}

void
lh_seq_stats(const struct lh_seq *s, struct lh_seq_stats *st)
{
	*st = s->st;
}

void
lh_seq_free(struct lh_seq *s)
{
	if (s == NULL)
		return;
	while (s->oldest != NULL)
		drop_key(s, s->oldest);
	free(s->bucket);
	free(s->step);
	free(s);
}
