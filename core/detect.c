/*
 * detect.c: the stateful rules' driver (detect.h) in the merger: the
 * engines, the window of events they may still name, and the alerts they
 * make (the per-event test in the workers is detect_feeds.c).
 *
 * DESIGN
 * See detect.h.  The merger's state is one struct engine per stateful
 * rule (a sequence engine, a term history or an ES|QL run) and one
 * scratch event on which each alert is built: the fields of the alert's
 * last event, borrowed from the event being fed or the window, then the
 * loghunt.* fields of detect.h, copied into the scratch event's arena;
 * lh_match_create_pooled() then copies the lot into the alert, in an
 * arena the timeline owns.  Events are named by id, their number in the
 * feed; the window is a ring of copies of the events from the earliest
 * one an engine may still name (needed_from) to the last, so an id maps
 * to its slot by subtraction.  A run belongs to one thread: the
 * merger's, or the second of core/detect_pair.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/detect.h"
#include "core/detect_int.h"
#include "core/eql.h"
#include "core/esql.h"
#include "core/field.h"
#include "core/name.h"
#include "core/seq.h"
#include "core/status.h"
#include "core/time.h"

/* ---- the merger's side --------------------------------------------------- */

#define NO_KEYS SIZE_MAX	/* lh_detect.keys_like: keys of no sequence */

/* The state of one stateful rule, and the context of its callbacks. */
struct engine {
	struct lh_detect *d;
	size_t rule;
	struct lh_seq *seq;
	int64_t maxspan;	/* of seq, µs; 0: none */
	size_t keys_like;	/* the first sequence rule with its join keys */
	struct lh_terms *terms;
	struct lh_esql_run *esql;
};

struct lh_detect {
	const struct lh_ruleset *rs;
	enum lh_detect_part part;	/* the rules it makes engines for */
	struct lh_timeline *tl;
	struct engine *eng;	/* one per rule (unused for the others) */
	size_t n;
	struct lh_event ev;	/* the event being fed (a view) */
	struct lh_event alert;	/* the alert being built */
	struct lh_buf keys, tmp;
	/*
	 * keys holds the join keys of event keys_id for the sequence rules
	 * like rule keys_like (struct engine), or other keys: NO_KEYS
	 */
	uint64_t keys_id;
	size_t keys_like;
	struct lh_detect_stats *st;
	struct lh_err *err;
	int64_t start;		/* time of the first feeding event */
	int started;		/* the engines are made */
	int worst;		/* LH_OK, or LH_WARN: a row left out */
	/* the events the engines may still name, by id: a ring */
	struct lh_match **win;
	size_t wcap, whead, wn;
	uint64_t base;		/* the id of win[whead] */
	uint64_t next;		/* the id of the event being fed */
	const struct lh_match *cur;	/* that event (borrowed), or NULL */
	int64_t maxprec;	/* the coarsest time precision fed */
	struct lh_match_pool *pool;	/* where forgotten events go, or NULL */
	/*
	 * The alerts' blocks: mapped in whole chunks, not a page fault every
	 * few alerts (core/arena.h); the timeline owns it once made.
	 */
	struct lh_arena *alerts;
	/* the alerts' own field names, interned: not copied per alert */
	struct named *names;
	size_t nnames, capnames;
};

/* "PREFIX.NAME", interned (core/name.h), of a prefix and name pointer. */
struct named {
	const char *prefix, *name;
	char *full;
};

static const char P_LOGHUNT[] = "loghunt", P_GROUP[] = "loghunt.group",
    P_BUCKET[] = "loghunt.bucket";

/*
 * The event of id: the one being fed, or one the window kept (every
 * event an engine still names is: see keep()).
 */
static const struct lh_match *
event_of(const struct lh_detect *d, uint64_t id)
{
	if (id == d->next && d->cur != NULL)
		return d->cur;
	return d->win[(d->whead + (size_t)(id - d->base)) % d->wcap];
}

/* Points *ev at the fields of snapshot m (no copy). */
static void
view_of(struct lh_event *ev, const struct lh_match *m)
{
	memset(ev, 0, sizeof(*ev));
	ev->ts = m->ts;
	ev->ts_prec = m->ts_prec;
	ev->ts_flags = m->ts_flags;
	ev->fields = m->f;
	ev->nfield = ev->cap = m->nf;
	ev->canon = m->canon;
	if (m->nsrc > 0) {
		ev->line = m->src[0].line;
		ev->offset = m->src[0].offset;
	}
}

/*
 * The name "PREFIX.NAME", made once per pair of pointers (the prefixes
 * above; names of the rules, which outlive d) and interned, so that an
 * alert keeps a pointer to it rather than a copy; NULL when out of
 * memory.
 */
static const char *
full_name(struct lh_detect *d, const char *prefix, const char *name)
{
	size_t i, pl, nl;
	char *full;

	for (i = 0; i < d->nnames; i++)
		if (d->names[i].prefix == prefix && d->names[i].name == name)
			return d->names[i].full;
	pl = strlen(prefix);
	nl = strlen(name);
	if (lh_grow(&d->names, &d->capnames, d->nnames + 1,
	    sizeof(*d->names)) != LH_OK || (full = malloc(pl + nl + 2)) ==
	    NULL)
		return NULL;
	memcpy(full, prefix, pl);
	full[pl] = '.';
	memcpy(full + pl + 1, name, nl + 1);
	full = lh_name_intern(full);
	d->names[d->nnames].prefix = prefix;
	d->names[d->nnames].name = name;
	d->names[d->nnames++].full = full;
	return full;
}

/* Adds to d's alert a field named "PREFIX.NAME" with a copy of v. */
static int
add_named(struct lh_detect *d, const char *prefix, const char *name,
    const char *v, size_t n)
{
	const char *full = full_name(d, prefix, name);

	if (full == NULL)
		return LH_FATAL;
	return lh_event_addcopy(&d->alert, full, v, n);
}

/* Adds loghunt.group.NAME for every value of field name of ev. */
static int
add_group(struct lh_detect *d, const struct lh_event *ev, const char *name)
{
	size_t i;

	for (i = lh_field_find(ev, name, 0); i < ev->nfield;
	    i = lh_field_find(ev, name, i + 1)) {
		const struct lh_field *f = &ev->fields[i];

		if (add_named(d, P_GROUP, name, f->val, f->len) != LH_OK)
			return LH_FATAL;
	}
	return LH_OK;
}

/* Adds loghunt.event and loghunt.event_source for the k-th event m. */
static int
add_event(struct lh_detect *d, size_t k, const struct lh_match *m)
{
	size_t pn = 0, i;
	const char *proc = lh_match_get(m, LH_F_PROC_NAME, &pn);

	lh_buf_reset(&d->tmp);
	if (m->ts < 0)
		lh_buf_printf(&d->tmp, "%lld", (long long)m->ts);
	else
		lh_buf_put_u64(&d->tmp, (uint64_t)m->ts);
	lh_buf_putc(&d->tmp, '\t');
	lh_buf_append(&d->tmp, proc != NULL ? proc : "", pn);
	lh_buf_putc(&d->tmp, '\t');
	lh_buf_append(&d->tmp, m->message != NULL ? m->message : "",
	    m->message_len);
	if (lh_buf_status(&d->tmp) != LH_OK ||
	    add_named(d, P_LOGHUNT, "event", d->tmp.p, d->tmp.len) != LH_OK)
		return LH_FATAL;
	for (i = 0; i < m->nsrc; i++) {
		lh_buf_reset(&d->tmp);
		lh_buf_put_u64(&d->tmp, k);
		lh_buf_putc(&d->tmp, '\t');
		lh_buf_put_u64(&d->tmp, m->src[i].line);
		lh_buf_putc(&d->tmp, '\t');
		lh_buf_puts(&d->tmp, m->src[i].path);
		if (lh_buf_status(&d->tmp) != LH_OK || add_named(d,
		    P_LOGHUNT, "event_source", d->tmp.p, d->tmp.len) != LH_OK)
			return LH_FATAL;
	}
	return LH_OK;
}

/*
 * Starts the alert on the fields of its last event (feeds index last):
 * d->alert holds them, then the events ids[0..n) are listed.
 */
static int
alert_begin(struct lh_detect *d, const uint64_t *ids, size_t n, uint64_t last)
{
	const struct lh_match *m = event_of(d, last);
	size_t i;

	lh_event_reset(&d->alert);
	view_of(&d->ev, m);
	d->alert.ts = m->ts;
	d->alert.ts_prec = m->ts_prec;
	d->alert.ts_flags = m->ts_flags;
	d->alert.line = d->ev.line;
	d->alert.offset = d->ev.offset;
	for (i = 0; i < m->nf; i++) {
		if (lh_detect_alert_field(m->f[i].name) &&
		    lh_event_add(&d->alert, m->f[i].name, m->f[i].val,
		    m->f[i].len) != LH_OK)
			return LH_FATAL;
	}
	for (i = 0; i < n; i++) {
		if (add_event(d, i, event_of(d, ids[i])) != LH_OK)
			return LH_FATAL;
	}
	return LH_OK;
}

/*
 * Adds the other sources of src to m (after its first), folding in a
 * match of no field per source (lh_match_fold owns the source arrays).
 */
static int
more_sources(struct lh_match *m, const struct lh_match *src)
{
	struct lh_match *b;
	struct lh_event e;
	size_t i;

	for (i = 1; i < src->nsrc; i++) {
		lh_event_init(&e);
		e.ts = m->ts;
		e.ts_prec = m->ts_prec;
		e.ts_flags = m->ts_flags;
		e.line = src->src[i].line;
		e.offset = src->src[i].offset;
		if ((b = lh_match_create(&e, m->rule, "", src->src[i].path)) ==
		    NULL || lh_match_fold(m, b) != LH_OK)
			return LH_FATAL;
	}
	return LH_OK;
}

/* Makes the alert of rule from d->alert and adds it to the timeline. */
static int
alert_end(struct lh_detect *d, size_t rule, uint64_t last)
{
	const struct lh_match *lm = event_of(d, last);
	struct lh_match *m;

	if (d->alerts == NULL) {
		if ((d->alerts = lh_arena_create()) == NULL)
			return LH_FATAL;
		if (lh_timeline_adopt(d->tl, d->alerts) != LH_OK) {
			lh_arena_free(d->alerts);
			d->alerts = NULL;
			return LH_FATAL;
		}
	}
	m = lh_match_create_pooled(&d->alert, (int)rule, "", lm->nsrc > 0 ?
	    lm->src[0].path : "", d->alerts);
	if (m == NULL)
		return LH_FATAL;
	if (more_sources(m, lm) != LH_OK || lh_timeline_add(d->tl, m) !=
	    LH_OK) {
		lh_match_free(m);
		return LH_FATAL;
	}
	return LH_OK;
}

/* core/seq.h's callback: one completed sequence, one alert. */
static int
on_sequence(void *ctx, const uint64_t *ids, size_t n)
{
	struct engine *e = ctx;
	struct lh_detect *d = e->d;
	const struct lh_rule *r = lh_ruleset_get(d->rs, e->rule);
	const char *const *keys;
	size_t i, nk;

	if (alert_begin(d, ids, n, ids[n - 1]) != LH_OK)
		return LH_FATAL;
	keys = lh_eql_keys(r->eql, &nk);
	for (i = 0; i < nk; i++) {
		if (add_group(d, &d->ev, keys[i]) != LH_OK)
			return LH_FATAL;
	}
	d->st->sequences++;
	return alert_end(d, e->rule, ids[n - 1]);
}

/* Adds loghunt.group.F and loghunt.new_terms for the term key. */
static int
add_terms(struct lh_detect *d, const struct lh_rule *r, const char *key,
    size_t len)
{
	const char *p = key, *end = key + len;
	size_t i;

	for (i = 0; i < r->nterms && p < end; i++) {
		size_t n = 0;

		while (p < end && *p != ':')
			n = n * 10 + (size_t)(*p++ - '0');
		p++;
		if (n > (size_t)(end - p))
			break;
		if (add_named(d, P_LOGHUNT, "new_terms", p, n) != LH_OK ||
		    add_named(d, P_GROUP, r->terms[i], p, n) != LH_OK)
			return LH_FATAL;
		p += n;
	}
	return LH_OK;
}

/* Feeds event id to a new_terms rule: an alert per new term. */
static int
feed_terms(struct lh_detect *d, struct engine *e, uint64_t id)
{
	const struct lh_rule *r = lh_ruleset_get(d->rs, e->rule);
	const char *key;
	size_t n, off = 0, klen;
	int isnew;

	d->keys_like = NO_KEYS;
	if (lh_terms_of(e->terms, &d->ev, &d->keys, &n) != LH_OK)
		return LH_FATAL;
	while (lh_terms_next(&d->keys, &off, &key, &klen)) {
		if (lh_terms_see(e->terms, key, klen, d->ev.ts, &isnew) !=
		    LH_OK)
			return LH_FATAL;
		if (isnew < 0)
			d->st->warmup++;
		if (isnew <= 0)
			continue;
		if (alert_begin(d, &id, 1, id) != LH_OK ||
		    add_terms(d, r, key, klen) != LH_OK ||
		    alert_end(d, e->rule, id) != LH_OK)
			return LH_FATAL;
		view_of(&d->ev, event_of(d, id));
		d->st->new_terms++;
	}
	return LH_OK;
}

/*
 * Feeds event id to a sequence rule, once per join key.  The keys of an
 * event are made once for the rules that join on the same fields (the
 * brute force rules all join on host.id, source.ip and user.name).
 */
static int
feed_sequence(struct lh_detect *d, struct engine *e, uint64_t id,
    char verdict)
{
	const struct lh_rule *r = lh_ruleset_get(d->rs, e->rule);
	static const char hex[] = LH_DETECT_HEX;
	const char *h = verdict != 'x' ? strchr(hex + 1, verdict) : NULL;
	uint64_t mask = h != NULL ? (uint64_t)(h - hex) :
	    lh_eql_match_mask(r->eql, &d->ev);
	const char *key;
	size_t n, off = 0, klen;
	int rc;

	if (mask == 0)
		return LH_OK;
	if (d->keys_id != id || d->keys_like != e->keys_like) {
		d->keys_like = NO_KEYS;
		if (lh_eql_join_keys(r->eql, &d->ev, &d->keys, &n) != LH_OK)
			return LH_FATAL;
		d->keys_id = id;
		d->keys_like = e->keys_like;
	}
	/* the callback of a completed sequence leaves d->keys alone */
	rc = LH_OK;
	while (rc == LH_OK && lh_eql_key_next(&d->keys, &off, &key, &klen))
		rc = lh_seq_feed(e->seq, d->ev.ts, mask, key, klen, id);
	return rc;
}

/* ES|QL's value v as text into b. */
static void
esql_text(struct lh_buf *b, const struct lh_esql_value *v)
{
	char s[64];

	switch (v->type) {
	case LH_ESQL_BOOLEAN:
		lh_buf_puts(b, v->n ? "true" : "false");
		break;
	case LH_ESQL_LONG:
		lh_buf_printf(b, "%lld", (long long)v->n);
		break;
	case LH_ESQL_DOUBLE:
		lh_buf_printf(b, "%.17g", v->d);
		break;
	case LH_ESQL_DATE:
		lh_buf_append(b, s, lh_time_format(v->n, s));
		break;
	case LH_ESQL_IP:
		if (memcmp(v->ip.b, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0)
			inet_ntop(AF_INET, v->ip.b + 12, s, sizeof(s));
		else
			inet_ntop(AF_INET6, v->ip.b, s, sizeof(s));
		lh_buf_puts(b, s);
		break;
	case LH_ESQL_KEYWORD:
		lh_buf_append(b, v->s, v->len);
		break;
	default:
		break;
	}
}

/* Adds the columns of an ES|QL row (keys: group; others: bucket). */
static int
add_row(struct lh_detect *d, const struct lh_esql_row *row)
{
	size_t i, k;

	for (i = 0; i < row->ncol; i++) {
		const struct lh_esql_column *c = &row->col[i];

		for (k = 0; k < c->nv; k++) {
			lh_buf_reset(&d->tmp);
			esql_text(&d->tmp, &c->v[k]);
			if (lh_buf_status(&d->tmp) != LH_OK ||
			    add_named(d, c->key ? P_GROUP : P_BUCKET,
			    c->name, d->tmp.p != NULL ?
			    d->tmp.p : "", d->tmp.len) != LH_OK)
				return LH_FATAL;
		}
	}
	return LH_OK;
}

/* core/esql.h's callback: a row that passed the final WHERE. */
static int
on_row(void *arg, const struct lh_esql_row *row)
{
	struct engine *e = arg;
	struct lh_detect *d = e->d;
	uint64_t last;

	if (row->nids == 0)
		return LH_OK;
	last = row->ids[row->nids - 1];
	if (alert_begin(d, row->ids, row->nids, last) != LH_OK ||
	    add_row(d, row) != LH_OK)
		return LH_FATAL;
	d->st->buckets++;
	return alert_end(d, e->rule, last);
}

/*
 * Feeds event id to an ES|QL rule, on a view of its own: a streaming run
 * may make alerts (on_row) while it reads the event, and they reuse d->ev.
 */
static int
feed_esql(struct lh_detect *d, struct engine *e, uint64_t id)
{
	struct lh_event v;

	view_of(&v, event_of(d, id));
	return lh_esql_run_feed(e->esql, &v, id, d->err);
}

/*
 * The first sequence rule before rule i (made already) that joins on the
 * same fields as rule i, else i.
 */
static size_t
keys_like(const struct lh_detect *d, size_t i)
{
	const char *const *a, *const *b;
	size_t j, k, na, nb;

	a = lh_eql_keys(lh_ruleset_get(d->rs, i)->eql, &na);
	for (j = 0; j < i; j++) {
		if (d->eng[j].seq == NULL)
			continue;
		b = lh_eql_keys(lh_ruleset_get(d->rs, j)->eql, &nb);
		for (k = 0; k < na && na == nb && strcmp(a[k], b[k]) == 0;
		    k++)
			;
		if (na == nb && k == na)
			return d->eng[j].keys_like;
	}
	return i;
}

/* Makes the engine of stateful rule i.  LH_OK or LH_FATAL. */
static int
engine_init(struct lh_detect *d, size_t i)
{
	const struct lh_rule *r = lh_ruleset_get(d->rs, i);
	struct engine *e = &d->eng[i];
	unsigned runs[LH_EQL_MAX_STEPS];
	struct lh_seq_config sc;
	size_t k;

	e->d = d;
	e->rule = i;
	if (r->kind == LH_RULE_NEW_TERMS)
		return (e->terms = lh_terms_create(r, d->start)) == NULL ?
		    LH_FATAL : LH_OK;
	if (r->kind == LH_RULE_ESQL) {
		if ((e->esql = lh_esql_run_create(r->esql)) == NULL)
			return LH_FATAL;
		(void)lh_esql_run_stream(e->esql, on_row, e);	/* time order */
		return LH_OK;
	}
	memset(&sc, 0, sizeof(sc));
	sc.nsteps = lh_eql_nsteps(r->eql);
	for (k = 0; k < sc.nsteps && k < LH_EQL_MAX_STEPS; k++)
		runs[k] = lh_eql_runs(r->eql, k);
	sc.runs = runs;
	sc.maxspan_us = e->maxspan = lh_eql_maxspan_us(r->eql);
	e->keys_like = keys_like(d, i);
	e->seq = lh_seq_create(&sc, on_sequence, e, d->err);
	return e->seq == NULL ? LH_FATAL : LH_OK;
}

static void
engines_free(struct lh_detect *d)
{
	size_t i;

	for (i = 0; d->eng != NULL && i < d->n; i++) {
		lh_seq_free(d->eng[i].seq);
		lh_terms_free(d->eng[i].terms);
		lh_esql_run_free(d->eng[i].esql);
	}
	free(d->eng);
	lh_event_free(&d->alert);
	lh_buf_free(&d->keys);
	lh_buf_free(&d->tmp);
}

/*
 * Feeds event id to every stateful rule it feeds (the workers' verdict,
 * kept in the snapshot: see lh_detect_snapshot).  LH_OK, LH_WARN or
 * LH_FATAL.
 */
static int
feed_all(struct lh_detect *d, uint64_t id)
{
	const struct lh_match *m = event_of(d, id);
	size_t i;
	int rc, worst = LH_OK;

	for (i = 0; i < d->n && m->matched[i] != '\0'; i++) {
		struct engine *e = &d->eng[i];

		if (m->matched[i] == '0' || e->d == NULL)
			continue;	/* not fed, or not of this part */
		view_of(&d->ev, m);
		if (e->seq != NULL)
			rc = feed_sequence(d, e, id, m->matched[i]);
		else if (e->terms != NULL)
			rc = feed_terms(d, e, id);
		else
			rc = feed_esql(d, e, id);
		if (rc == LH_WARN)
			d->st->dropped++;
		if (rc == LH_FATAL)
			return LH_FATAL;
		worst = rc < worst ? rc : worst;
	}
	return worst;
}

/* Ends the runs: ES|QL rows and the sequence counters. */
static int
finish_all(struct lh_detect *d)
{
	struct lh_seq_stats ss;
	size_t i;

	for (i = 0; i < d->n; i++) {
		struct engine *e = &d->eng[i];

		if (e->esql != NULL && lh_esql_run_finish(e->esql, on_row, e,
		    d->err) != LH_OK)
			return LH_FATAL;
		if (e->seq != NULL) {
			lh_seq_stats(e->seq, &ss);
			d->st->evicted += ss.evicted;
		}
	}
	return LH_OK;
}

/* ---- the window of events the engines may still name ------------------ */

/*
 * The time before which no engine will name an event again, once the
 * event at time t was fed: a sequence's pending events lie within its
 * maxspan of t (core/seq.h: a longer one can never complete), an ES|QL
 * run says (lh_esql_run_since), a new_terms alert names only the event
 * being fed.  Without a maxspan, or an ES|QL run that yields its rows
 * at the end, everything is kept (INT64_MIN).  Events come in time
 * order, except that a folded event takes the most precise time of its
 * records, which may lie after the next event's by less than the
 * coarsest precision fed: the maxspan is widened by that much.
 */
static int64_t
needed_from(const struct lh_detect *d, int64_t t)
{
	int64_t from = INT64_MAX, f, span;
	size_t i;

	for (i = 0; i < d->n; i++) {
		const struct engine *e = &d->eng[i];

		if (e->seq != NULL) {
			span = e->maxspan > 0 && e->maxspan < INT64_MAX -
			    d->maxprec ? e->maxspan + d->maxprec : 0;
			f = span > 0 && t > INT64_MIN + span ? t - span :
			    INT64_MIN;
		} else if (e->esql != NULL) {
			f = lh_esql_run_since(e->esql);
		} else {
			continue;
		}
		from = f < from ? f : from;
	}
	return from;
}

/* A copy of m with its sources (free with lh_match_free), or NULL. */
static struct lh_match *
copy_of(const struct lh_match *m)
{
	struct lh_match *c;
	struct lh_event ev;

	view_of(&ev, m);
	c = lh_match_create(&ev, m->rule, m->matched, m->nsrc > 0 ?
	    m->src[0].path : "");
	if (c != NULL && more_sources(c, m) != LH_OK) {
		lh_match_free(c);
		c = NULL;
	}
	return c;
}

/*
 * After the event being fed (d->cur, id d->next): forgets the events no
 * engine can name any more and keeps this one unless it is one of them:
 * own, when the run owns it (lh_detect_feed_owned), else a copy.  The
 * window stays a run of consecutive ids: an event is dropped only from
 * its start, and one is skipped only when the window is empty.  LH_OK
 * or LH_FATAL; an owned event is kept or freed either way.
 */
static int
keep(struct lh_detect *d, struct lh_match *own)
{
	int64_t from = needed_from(d, d->cur->ts);
	struct lh_match **w, *c;
	size_t i;

	while (d->wn > 0 && d->win[d->whead]->ts < from) {
		lh_match_pool_put(d->pool, d->win[d->whead]);
		d->whead = (d->whead + 1) % d->wcap;
		d->wn--;
		d->base++;
	}
	if (d->wn == 0)
		d->base = d->next;
	if (d->cur->ts < from && d->wn == 0) {
		d->base = d->next + 1;
		lh_match_pool_put(d->pool, own);
		return LH_OK;
	}
	if (d->wn == d->wcap) {
		/* unroll the ring into one twice as large */
		if ((w = calloc(d->wcap ? 2 * d->wcap : 64, sizeof(*w))) ==
		    NULL) {
			lh_match_free(own);
			return LH_FATAL;
		}
		for (i = 0; i < d->wn; i++)
			w[i] = d->win[(d->whead + i) % d->wcap];
		free(d->win);
		d->win = w;
		d->wcap = d->wcap ? 2 * d->wcap : 64;
		d->whead = 0;
	}
	if ((c = own != NULL ? own : copy_of(d->cur)) == NULL)
		return LH_FATAL;
	d->win[(d->whead + d->wn) % d->wcap] = c;
	if (++d->wn > d->st->held)
		d->st->held = d->wn;
	return LH_OK;
}

/* ---- the run ------------------------------------------------------------ */

int
lh_detect_in_part(const struct lh_rule *r, enum lh_detect_part p)
{
	if (!lh_rule_stateful(r))
		return 0;
	if (p == LH_DETECT_ALL)
		return 1;
	return (r->kind == LH_RULE_NEW_TERMS) == (p == LH_DETECT_TERMS);
}

struct lh_detect *
lh_detect_create(const struct lh_ruleset *rs, enum lh_detect_part p,
    struct lh_timeline *tl, struct lh_match_pool *pool,
    struct lh_detect_stats *st, struct lh_err *err)
{
	struct lh_detect *d = calloc(1, sizeof(*d));

	memset(st, 0, sizeof(*st));
	if (d == NULL)
		return NULL;
	d->rs = rs;
	d->part = p;
	d->tl = tl;
	d->pool = pool;
	d->st = st;
	d->err = err;
	d->n = lh_ruleset_count(rs);
	d->keys_like = NO_KEYS;
	lh_event_init(&d->alert);
	if ((d->eng = calloc(d->n + 1, sizeof(*d->eng))) == NULL) {
		free(d);
		return NULL;
	}
	return d;
}

/*
 * Makes the engines, once: at the first event (a new_terms history
 * starts with the evidence), or at the end when no event came.
 */
int
lh_detect_start(struct lh_detect *d, int64_t first)
{
	size_t i;

	if (d->started)
		return LH_OK;
	d->started = 1;
	d->start = first;
	for (i = 0; i < d->n; i++)
		if (lh_detect_in_part(lh_ruleset_get(d->rs, i), d->part) &&
		    engine_init(d, i) != LH_OK)
			return LH_FATAL;
	return LH_OK;
}

/* lh_detect_feed(), of an event the run owns (own) or borrows (NULL). */
static int
feed(struct lh_detect *d, const struct lh_match *m, struct lh_match *own)
{
	int rc;

	if (lh_detect_start(d, m->ts) != LH_OK) {
		lh_match_free(own);
		return LH_FATAL;
	}
	d->st->fed++;
	d->cur = m;
	if (m->ts_prec > d->maxprec)
		d->maxprec = m->ts_prec;
	rc = feed_all(d, d->next);
	if (rc == LH_WARN)
		d->worst = LH_WARN;
	if (rc != LH_FATAL)
		rc = keep(d, own);
	else
		lh_match_free(own);
	d->cur = NULL;
	d->next++;
	return rc == LH_FATAL ? LH_FATAL : LH_OK;
}

int
lh_detect_feed(struct lh_detect *d, const struct lh_match *m)
{
	return feed(d, m, NULL);
}

int
lh_detect_feed_owned(struct lh_detect *d, struct lh_match *m)
{
	return feed(d, m, m);
}

int
lh_detect_end(struct lh_detect *d)
{
	int rc = d->worst;

	if (lh_detect_start(d, 0) != LH_OK || finish_all(d) != LH_OK)
		rc = LH_FATAL;
	if (rc == LH_FATAL && d->err->status == LH_OK)
		lh_err_set(d->err, LH_FATAL, ENOMEM, "out of memory");
	if (rc == LH_OK && d->st->evicted > 0) {
		lh_err_set(d->err, LH_WARN, 0, "EQL sequences: %llu join keys "
		    "dropped beyond the bound of live keys", (unsigned long long)
		    d->st->evicted);
		rc = LH_WARN;
	}
	return rc;
}

void
lh_detect_free(struct lh_detect *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->wn; i++)
		lh_match_free(d->win[(d->whead + i) % d->wcap]);
	free(d->win);
	engines_free(d);
	for (i = 0; i < d->nnames; i++)
		lh_name_free(d->names[i].full);
	free(d->names);
	free(d);
}
