/*
 * detect_feeds.c: the stateful rules' per-event side (detect.h), in the
 * workers: which rules an event feeds, and the snapshot kept of it.
 *
 * DESIGN
 * See detect.h.  A worker's struct lh_detect_scratch knows the field
 * names the stateful rules and their alerts read, and those every rule's
 * query reads (collect_names); each event is first reduced to those
 * fields (reduce), every rule is evaluated on the smaller view of the
 * fields the queries read (lh_detect_view: the scan's rules too), and a
 * feeding event's snapshot is made of the first, with the verdict per
 * rule as its matched text for the merger (detect.c).  Reads the rules
 * only: thread-safe with one scratch per thread.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/detect.h"
#include "core/detect_int.h"
#include "core/eql.h"
#include "core/esql.h"
#include "core/field.h"
#include "core/name.h"
#include "core/status.h"

/*
 * The names a snapshot keeps are found in an open-addressed table by a
 * hash of the name's length and first and last bytes: a name no rule
 * reads (most of an event's) usually meets an empty slot without any
 * string comparison.  NAME_SLOTS is a power of two and at least twice the
 * names (collect_names checks).
 */
#define NAME_SLOTS 512

struct lh_detect_scratch {
	struct lh_esql_scratch **esql;	/* per rule; NULL if not ES|QL */
	size_t n;
	char *feeds;		/* per rule: the verdict (lh_detect_snapshot) */
	size_t *same;		/* per rule: an earlier one of equal query */
	char *stateful;		/* per rule: lh_rule_stateful() */
	char *needcat;		/* per rule: r->needs_category */
	char **names;		/* fields a snapshot keeps, distinct */
	size_t nnames, capnames;
	uint32_t hash[NAME_SLOTS];	/* name_hash() of names[idx - 1] */
	uint16_t idx[NAME_SLOTS];	/* 1 + index in names, 0: empty */
	unsigned char rd[NAME_SLOTS];	/* a query reads names[idx - 1] */
	unsigned char kp[NAME_SLOTS];	/* a snapshot keeps names[idx - 1] */
	int all;		/* a stateful rule reads any field: keep all */
	int readall;		/* another rule may read any field */
	int primed;		/* view and rview are of viewof already */
	int canon;		/* every name of names is interned */
	char *catname;		/* "event.category", interned if it could */
	struct lh_field *keep;	/* the snapshot's fields */
	struct lh_field *read;	/* the fields the queries read */
	size_t capkeep, capread;
	struct lh_event view;	/* an event with only keep (reduce) */
	struct lh_event rview;	/* one with only read: the rules see it */
	const struct lh_event *viewof;	/* the event of view, or NULL */
	struct lh_eql_memo *memo;	/* the EQL rules' shared leaves */
};

/*
 * Fields every snapshot keeps: what the alerts print and join on.  The
 * alerts of the stateful rules keep only these of their last event's
 * fields (lh_detect_alert_field).
 */
static const char *const always[] = { "message", "host.hostname",
	"host.name", "process.name", "event.dataset", "data_stream.dataset",
	"host.id", "loghunt.host_id_from", "log.file.path" };

#define NALWAYS (sizeof(always) / sizeof(always[0]))

/* always[], interned (core/name.h): the names of snapshots are. */
static const char *always_in[NALWAYS];
static pthread_once_t always_once = PTHREAD_ONCE_INIT;

static void
intern_always(void)
{
	size_t i;

	for (i = 0; i < NALWAYS; i++) {
		char *p = lh_name_intern(strdup(always[i]));

		/* (a full pool or no memory: lookups compare strings) */
		if (p != NULL && lh_name_interned(p))
			always_in[i] = p;
		else
			free(p);
	}
}

int
lh_detect_alert_field(const char *name)
{
	size_t i;

	(void)pthread_once(&always_once, intern_always);
	for (i = 0; i < NALWAYS; i++) {
		if (name == always_in[i])
			return 1;
		if (always_in[i] == NULL || !lh_name_interned(name))
			if (lh_field_same_name(name, always[i]))
				return 1;
	}
	return 0;
}

/* The hash of a field name for the table of kept names (see NAME_SLOTS). */
static inline uint32_t
name_hash(const char *name)
{
	size_t n = strlen(name);
	uint64_t a = 0, b = 0, h;

	if (n >= 8) {
		memcpy(&a, name, 8);
		memcpy(&b, name + n - 8, 8);
	} else
		memcpy(&a, name, n);
	h = a * UINT64_C(0x9e3779b97f4a7c15) ^
	    (b + n) * UINT64_C(0xc2b2ae3d27d4eb4f);
	h ^= h >> 31;
	h *= UINT64_C(0xbf58476d1ce4e5b9);
	return (uint32_t)(h ^ h >> 32);
}

/*
 * The slot of name in s's table: the one holding it, or the empty one
 * where it would go.
 */
static inline size_t
name_slot(const struct lh_detect_scratch *s, const char *name, uint32_t h)
{
	size_t i = h & (NAME_SLOTS - 1);

	while (s->idx[i] != 0 && (s->hash[i] != h ||
	    strcmp(s->names[s->idx[i] - 1], name) != 0))
		i = (i + 1) & (NAME_SLOTS - 1);
	return i;
}

/*
 * Adds name (borrowed) to the names of the table, once; reads: a rule's
 * query reads it (the rules are evaluated on those: reduce); keeps: a
 * snapshot keeps it (a stateful rule or its alerts read it).  Past
 * NAME_SLOTS / 2 distinct names every field is kept.  LH_OK or LH_FATAL.
 */
static int
add_name(struct lh_detect_scratch *s, const char *name, int reads,
    int keeps)
{
	uint32_t h = name_hash(name);
	size_t i = name_slot(s, name, h);

	if (s->idx[i] == 0) {
		if (s->nnames >= NAME_SLOTS / 2) {
			s->all = 1;	/* (never with the rules shipped) */
			return LH_OK;
		}
		if (lh_grow(&s->names, &s->capnames, s->nnames + 1,
		    sizeof(*s->names)) != LH_OK ||
		    (s->names[s->nnames] = lh_name_intern(strdup(name))) ==
		    NULL)
			return LH_FATAL;
		s->canon &= lh_name_interned(s->names[s->nnames]);
		s->hash[i] = h;
		s->idx[i] = (uint16_t)++s->nnames;
	}
	s->rd[i] |= reads != 0;
	s->kp[i] |= keeps != 0;
	return LH_OK;
}

/* A field name, as a stateful rule's query reports them (*_fields()). */
static int
on_field(void *arg, const char *name)
{
	struct lh_detect_scratch *s = arg;

	if (name == NULL) {
		s->all = 1;	/* a term on any field: keep them all */
		return 0;
	}
	return add_name(s, name, 1, 1) == LH_OK;
}

/* The same for another rule's query: read, not kept. */
static int
on_read(void *arg, const char *name)
{
	struct lh_detect_scratch *s = arg;

	if (name == NULL) {
		s->readall = 1;	/* evaluated on the event itself */
		return 0;
	}
	return add_name(s, name, 1, 0) == LH_OK;
}

/*
 * The names a snapshot keeps: the fields the stateful rules read (walked
 * in their compiled queries), their new_terms fields and the fields of
 * "always".  LH_OK or LH_FATAL.
 */
static int
collect_names(struct lh_detect_scratch *s, const struct lh_ruleset *rs)
{
	size_t i, k;
	int rc = LH_OK;

	for (i = 0; i < sizeof(always) / sizeof(always[0]); i++)
		if (add_name(s, always[i], 0, 1) != LH_OK)
			return LH_FATAL;
	for (i = 0; i < lh_ruleset_count(rs) && rc == LH_OK; i++) {
		const struct lh_rule *r = lh_ruleset_get(rs, i);

		if (!lh_rule_stateful(r)) {	/* KQL or one-event EQL */
			int ok = r->kind == LH_RULE_QUERY ?
			    lh_kql_fields(r->kql, on_read, s) :
			    r->kind == LH_RULE_EQL ?
			    lh_eql_fields(r->eql, on_read, s) : 1;

			if (!ok && !s->readall)
				rc = LH_FATAL;
			continue;
		}
		for (k = 0; k < r->nterms; k++)
			if (add_name(s, r->terms[k], 0, 1) != LH_OK)
				return LH_FATAL;
		if ((r->kind == LH_RULE_EQL ? lh_eql_fields(r->eql, on_field,
		    s) : r->kind == LH_RULE_ESQL ? lh_esql_fields(r->esql,
		    on_field, s) : lh_kql_fields(r->kql, on_field, s)) == 0 &&
		    !s->all)
			rc = LH_FATAL;
	}
	return rc;
}

size_t
lh_detect_count(const struct lh_ruleset *rs)
{
	size_t i, n = 0;

	for (i = 0; rs != NULL && i < lh_ruleset_count(rs); i++)
		n += lh_rule_stateful(lh_ruleset_get(rs, i)) != 0;
	return n;
}

/*
 * The first stateful new_terms rule before rule i with the same query
 * (new_terms rules often differ only in their fields), else i: its
 * verdict on an event is rule i's.
 */
static size_t
same_query(const struct lh_ruleset *rs, size_t i)
{
	const struct lh_rule *r = lh_ruleset_get(rs, i), *o;
	size_t k;

	for (k = 0; k < i && r->kind == LH_RULE_NEW_TERMS; k++) {
		o = lh_ruleset_get(rs, k);
		if (o->kind == LH_RULE_NEW_TERMS &&
		    strcmp(o->query, r->query) == 0)
			return k;
	}
	return i;
}

struct lh_detect_scratch *
lh_detect_scratch_create(const struct lh_ruleset *rs)
{
	struct lh_detect_scratch *s = calloc(1, sizeof(*s));
	size_t i;

	if (s == NULL)
		return NULL;
	s->canon = 1;
	s->n = lh_ruleset_count(rs);
	if ((s->catname = lh_name_intern(strdup("event.category"))) == NULL ||
	    (s->esql = calloc(s->n + 1, sizeof(*s->esql))) == NULL ||
	    (s->feeds = calloc(s->n + 1, 1)) == NULL ||
	    (s->same = calloc(s->n + 1, sizeof(*s->same))) == NULL ||
	    (s->stateful = calloc(s->n + 1, 1)) == NULL ||
	    (s->needcat = calloc(s->n + 1, 1)) == NULL ||
	    (s->memo = lh_eql_memo_create(lh_ruleset_eql_leaves(rs))) ==
	    NULL || collect_names(s, rs) != LH_OK) {
		lh_detect_scratch_free(s);
		return NULL;
	}
	for (i = 0; i < s->n; i++) {
		s->same[i] = same_query(rs, i);
		s->stateful[i] = lh_rule_stateful(lh_ruleset_get(rs, i)) != 0;
		s->needcat[i] = lh_ruleset_get(rs, i)->needs_category != 0;
	}
	for (i = 0; i < s->n; i++) {
		const struct lh_rule *r = lh_ruleset_get(rs, i);

		if (r->kind == LH_RULE_ESQL &&
		    (s->esql[i] = lh_esql_scratch_create(r->esql)) == NULL) {
			lh_detect_scratch_free(s);
			return NULL;
		}
	}
	return s;
}

void
lh_detect_scratch_free(struct lh_detect_scratch *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; s->esql != NULL && i < s->n; i++)
		lh_esql_scratch_free(s->esql[i]);
	for (i = 0; i < s->nnames; i++)
		lh_name_free(s->names[i]);
	lh_name_free(s->catname);
	free(s->names);
	free(s->keep);
	free(s->read);
	free(s->esql);
	free(s->feeds);
	free(s->same);
	free(s->stateful);
	free(s->needcat);
	lh_eql_memo_free(s->memo);
	free(s);
}

/*
 * Points s->view at the fields of ev that a snapshot keeps (s->keep), of
 * which the snapshot is made, and s->rview at those of them that a rule's
 * query reads (s->read, a subset): the rules read no other, so they are
 * evaluated on rview (fewer fields to look names up in).  Both keep ev's
 * order.  LH_OK or LH_FATAL.
 */
static int
reduce(struct lh_detect_scratch *s, const struct lh_event *ev)
{
	size_t i, k, n = 0, m = 0;

	if (lh_grow(&s->keep, &s->capkeep, ev->nfield + 1,
	    sizeof(*s->keep)) != LH_OK || lh_grow(&s->read, &s->capread,
	    ev->nfield + 1, sizeof(*s->read)) != LH_OK)
		return LH_FATAL;
	for (i = 0; i < ev->nfield; i++) {
		const char *name = ev->fields[i].name;

		if (s->all) {
			s->keep[n++] = s->read[m++] = ev->fields[i];
			continue;
		}
		k = name_slot(s, name, name_hash(name));
		if (s->idx[k] == 0)
			continue;
		if (s->kp[k]) {
			s->keep[n] = ev->fields[i];
			s->keep[n++].name = s->names[s->idx[k] - 1];
		}
		if (s->rd[k]) {
			s->read[m] = ev->fields[i];
			s->read[m++].name = s->names[s->idx[k] - 1];
		}
	}
	s->view = s->rview = *ev;
	s->view.fields = s->keep;
	s->view.nfield = s->view.cap = n;
	s->rview.fields = s->read;
	s->rview.nfield = s->rview.cap = m;
	/* the names are the interned ones of s->names (core/name.h) */
	s->view.canon = s->rview.canon = s->canon && !s->all;
	s->viewof = ev;
	return LH_OK;
}

const struct lh_event *
lh_detect_view(struct lh_detect_scratch *s, const struct lh_event *ev)
{
	if (reduce(s, ev) != LH_OK)
		return NULL;
	s->primed = 1;
	return s->readall ? ev : &s->rview;
}

struct lh_match *
lh_detect_snapshot(struct lh_detect_scratch *s, const struct lh_event *ev,
    const char *path, struct lh_arena **arena)
{
	if (s->viewof != ev && reduce(s, ev) != LH_OK)
		return NULL;
	if (*arena == NULL && (*arena = lh_arena_create()) == NULL)
		return NULL;
	return lh_match_create_pooled(&s->view, -1, s->feeds, path, *arena);
}

/* Whether new_terms or ES|QL rule r can use ev: 1, 0 or LH_FATAL. */
static int
rule_feeds(const struct lh_rule *r, const struct lh_event *ev,
    struct lh_esql_scratch *es, struct lh_kql_scratch *kq)
{
	switch (r->kind) {
	case LH_RULE_NEW_TERMS:
		lh_kql_scratch_reset(kq);
		return lh_kql_test(r->kql, ev, kq);
	case LH_RULE_ESQL:
		return lh_esql_prefilter_match(r->esql, ev, es);
	default:
		return 0;
	}
}

int
lh_detect_feeds(const struct lh_ruleset *rs, const struct lh_event *ev,
    struct lh_detect_scratch *s, struct lh_kql_scratch *kq)
{
	size_t i;
	int k, any = 0, cat, some = 0;

	/* the view lh_detect_view() made of this ev, if it did */
	if (!s->primed || s->viewof != ev)
		s->viewof = NULL;
	s->primed = 0;
	if (ev->ts == LH_TS_NONE || (ev->ts_flags & LH_TS_BOOT))
		return 0;
	/*
	 * most events have no category, which most rules need (rules.h);
	 * the view holds it when a rule reads it
	 */
	cat = lh_field_get(s->viewof == ev ? &s->rview : ev, s->catname) !=
	    NULL;
	for (i = 0; i < s->n; i++) {
		s->feeds[i] = s->stateful[i] && (cat || !s->needcat[i]) ?
		    '?' : '0';
		some |= s->feeds[i] == '?';
	}
	if (!some)
		return 0;
	if (s->viewof != ev && reduce(s, ev) != LH_OK)
		return LH_FATAL;
	lh_eql_memo_next(s->memo);	/* the answers were of another event */
	for (i = 0; i < s->n; i++) {
		const struct lh_rule *r = lh_ruleset_get(rs, i);

		if (s->feeds[i] == '0')
			continue;
		s->feeds[i] = '0';
		if (r->kind == LH_RULE_EQL) {
			uint64_t m = lh_eql_match_mask_memo(r->eql, &s->rview,
			    s->memo);

			k = m != 0;
			s->feeds[i] = m < LH_DETECT_MASKS ?
			    LH_DETECT_HEX[m] : 'x';
		} else if (s->same[i] != i) {
			k = s->feeds[s->same[i]] != '0';
		} else if ((k = rule_feeds(r, &s->rview, s->esql[i], kq)) ==
		    LH_FATAL) {
			return LH_FATAL;
		}
		if (k > 0) {
			s->feeds[i] = s->feeds[i] == '0' ? '1' : s->feeds[i];
			any = 1;
		}
	}
	return any;
}
