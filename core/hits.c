/*
 * hits.c: the merger's query hits in bounded memory (hits.h).
 *
 * DESIGN
 * A hit is packed into a spill record: the key orders it (group 0 timed
 * by time; group 1 untimed, whose key host is the host then the time, so
 * that the spill's own order, time first, sorts them by host first), the
 * data holds what the printers and the fold read: times, rule, identity
 * hash, host, message, matched terms, the worker's rendering, and the
 * fields when the hit was not rendered (--format bulk).  The message,
 * which only the fold reads of a rendered hit, is not kept twice when the
 * rendering holds it verbatim (text and csv at their end or start, JSON
 * in its "message" when nothing needed escaping): the record says where.
 * The pieces are copied once, into the spill's own record.  Unpacking
 * makes one block laid out as match.c makes its own (the struct, its one
 * source, fields, strings), so lh_match_free() and lh_match_fold() treat
 * it as any match; the sorted stream takes its blocks from the caller's
 * pool (lh_hits_opts.pool), to which the printer gives them back, so that
 * a hit costs no malloc and free.
 *
 * The fold needs the coarsest precision of each identity over the whole
 * stream: the horizon table is filled as hits are added, before the
 * sorted stream begins.
 */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/event.h"
#include "core/evidence.h"
#include "core/hits.h"
#include "core/memfind.h"
#include "core/name.h"
#include "core/spill.h"
#include "core/status.h"
#include "core/timeline.h"

#define NONE32 UINT32_MAX

/* The fixed part of a packed hit (copied out: the data is unaligned). */
struct phdr {
	int64_t ts_prec;
	uint64_t ident;
	int32_t rule, ts_flags;
	uint32_t host_len, msg_len;	/* NONE32: none */
	uint32_t matched_len, render_len;	/* render NONE32: none */
	uint32_t nf;
	uint32_t msg_at;	/* the message in the rendering; NONE32: kept */
};

#define NPARTS 6

struct lh_hits {
	struct lh_spill_opts so;
	struct lh_spill *sp;		/* every hit but the two below */
	struct lh_spill *twins;		/* timed, with a kernel stamp */
	struct lh_timeline *boot;	/* boot-relative hits */
	int64_t horizon[LH_FOLD_BUCKETS];
	struct lh_buf pk, key;		/* packing scratch */
	struct phdr ph;
	struct lh_spill_part part[NPARTS];	/* a packed hit */
	size_t npart;
	struct lh_hits_stats st;
	int give;			/* emit owns the matches */
	struct lh_match_pool *pool;	/* of unpacked matches, or NULL */
};

static int
untimed(const struct lh_match *m)
{
	return (m->ts_flags & LH_TS_BOOT) != 0 || m->ts == LH_TS_NONE;
}

/* The spill key of m into *k (pointing into m and h->key). */
static void
pack_key(struct lh_hits *h, const struct lh_match *m, struct lh_spill_key *k)
{
	uint64_t t;
	int i;

	memset(k, 0, sizeof(*k));
	k->group = untimed(m);
	k->time = m->ts;
	k->path = m->src[0].path;
	k->path_len = strlen(m->src[0].path);
	k->line = m->src[0].line;
	k->offset = m->src[0].offset;
	if (k->group == 0) {
		k->host = m->host;
		k->host_len = m->host != NULL ? m->host_len : 0;
		return;
	}
	/* untimed: host (none first), then time, then the rest */
	lh_buf_reset(&h->key);
	lh_buf_putc(&h->key, m->host != NULL ? 1 : 0);
	if (m->host != NULL) {
		lh_buf_append(&h->key, m->host, m->host_len);
		lh_buf_putc(&h->key, 0);
	}
	t = (uint64_t)m->ts ^ ((uint64_t)1 << 63);
	for (i = 0; i < 8; i++)
		lh_buf_putc(&h->key, (char)(t >> (56 - 8 * i)));
	k->time = 0;
	k->host = h->key.p;
	k->host_len = h->key.len;
}

static void
part(struct lh_hits *h, const void *p, size_t n)
{
	h->part[h->npart].p = p;
	h->part[h->npart++].n = n;
}

/*
 * Where the rendering of m holds its message verbatim, or NONE32: at its
 * end or start (text, csv), else anywhere (a JSON document's "message"
 * when nothing in it needed escaping; any copy of the same bytes will do).
 */
static uint32_t
msg_in_render(const struct lh_match *m)
{
	size_t n = m->message_len, r = m->render_len;
	const char *at;

	if (m->render == NULL || m->message == NULL || n == 0 || n > r)
		return NONE32;
	if (memcmp(m->render + r - n, m->message, n) == 0)
		return (uint32_t)(r - n);
	if (memcmp(m->render, m->message, n) == 0)
		return 0;
	if (n < r && memcmp(m->render + 1, m->message, n) == 0)
		return 1;
	if ((at = lh_memfind(m->render, r, m->message, n, 0)) != NULL)
		return (uint32_t)(at - m->render);
	return NONE32;
}

/*
 * A packed name length with this bit is an interned name's offset in the
 * pool (core/name.h): the spill is read back by the process that wrote
 * it, so the name is not copied and comes back as the same pointer (a
 * canon snapshot stays canon on the merger).
 */
#define NAME_REF 0x80000000u

/*
 * Appends field f to b: the lengths of its name and value (32 bits each),
 * then their bytes (an interned name: its reference and no bytes).  One
 * copy of each, with room made once: every field of every hit goes
 * through here.  LH_OK or LH_FATAL (b's flag set).
 */
static int
pack_field(struct lh_buf *b, const struct lh_field *f)
{
	int ref = lh_name_interned(f->name);
	size_t nb = ref ? 0 : strlen(f->name);	/* name bytes written */
	uint32_t len[2];
	char *o;

	len[0] = ref ? NAME_REF | lh_name_offset(f->name) : (uint32_t)nb;
	len[1] = (uint32_t)f->len;
	if (lh_buf_reserve(b, sizeof(len) + nb + f->len) != LH_OK)
		return LH_FATAL;
	o = b->p + b->len;
	memcpy(o, len, sizeof(len));
	if (nb > 0)
		memcpy(o + sizeof(len), f->name, nb);
	if (f->len > 0)
		memcpy(o + sizeof(len) + nb, f->val, f->len);
	b->len += sizeof(len) + nb + f->len;
	b->p[b->len] = '\0';
	return LH_OK;
}

/*
 * Packs m into the parts h->part (pointing into m and h) and its key into
 * *k (pointing into m and h).
 */
static int
pack(struct lh_hits *h, const struct lh_match *m, struct lh_spill_key *k)
{
	struct phdr *p = &h->ph;
	size_t i;

	memset(p, 0, sizeof(*p));
	p->ts_prec = m->ts_prec;
	p->ident = m->ident;
	p->rule = m->rule;
	p->ts_flags = m->ts_flags;
	p->host_len = m->host != NULL ? (uint32_t)m->host_len : NONE32;
	p->msg_len = m->message != NULL ? (uint32_t)m->message_len : NONE32;
	p->matched_len = (uint32_t)strlen(m->matched);
	p->render_len = m->render != NULL ? (uint32_t)m->render_len : NONE32;
	p->nf = (uint32_t)m->nf;
	p->msg_at = msg_in_render(m);
	h->npart = 0;
	part(h, p, sizeof(*p));
	if (m->host != NULL)
		part(h, m->host, m->host_len);
	if (m->message != NULL && p->msg_at == NONE32)
		part(h, m->message, m->message_len);
	part(h, m->matched, p->matched_len);
	if (m->render != NULL)
		part(h, m->render, m->render_len);
	lh_buf_reset(&h->pk);
	for (i = 0; i < m->nf && pack_field(&h->pk, &m->f[i]) == LH_OK; i++)
		;
	if (h->pk.len > 0)
		part(h, h->pk.p, h->pk.len);
	pack_key(h, m, k);
	return lh_buf_status(&h->pk) == LH_OK ? lh_buf_status(&h->key) :
	    LH_FATAL;
}

/* Reads n bytes of p into *q (advancing both); NUL-terminates the copy. */
static char *
take(const char **p, char **q, size_t n)
{
	char *s = *q;

	memcpy(s, *p, n);
	s[n] = '\0';
	*p += n;
	*q += n + 1;
	return s;
}

static uint32_t
get32(const char **p)
{
	uint32_t v;

	memcpy(&v, *p, sizeof(v));
	*p += sizeof(v);
	return v;
}

static size_t
len_or0(uint32_t n)
{
	return n == NONE32 ? 0 : n;
}

/* The bytes of the strings of the fields packed at p (nf of them). */
static size_t
fields_size(const char *p, uint32_t nf)
{
	size_t size = 0, a, b;
	uint32_t i;

	for (i = 0; i < nf; i++) {
		a = get32(&p);
		b = get32(&p);
		if (a & NAME_REF) {	/* no copy of the name */
			size += b + 1;
			p += b;
			continue;
		}
		size += a + b + 2;
		p += a + b;
	}
	return size;
}

/* The size of the match unpacked from r, whose header is h. */
static size_t
unpacked_size(const struct lh_spill_rec *r, const struct phdr *h)
{
	const char *p = (const char *)r->data + sizeof(*h);
	size_t kept = h->msg_at == NONE32 ? len_or0(h->msg_len) : 0;
	size_t size = sizeof(struct lh_match) + sizeof(struct lh_srcref) +
	    h->nf * sizeof(struct lh_field) + r->key.path_len + 1 +
	    len_or0(h->host_len) + 1 + len_or0(h->msg_len) + 1 +
	    h->matched_len + 1 + len_or0(h->render_len) + 1;

	return size + fields_size(p + len_or0(h->host_len) + kept +
	    h->matched_len + len_or0(h->render_len), h->nf);
}

/* A match from the spill record r (one block of pool), or NULL. */
static struct lh_match *
unpack(struct lh_match_pool *pool, const struct lh_spill_rec *r)
{
	const char *p = (const char *)r->data + sizeof(struct phdr);
	const char *path = r->key.path;
	struct lh_match *m;
	struct phdr h;
	uint32_t i;
	char *q;

	memcpy(&h, r->data, sizeof(h));
	if ((m = lh_match_pool_get(pool, unpacked_size(r, &h))) == NULL)
		return NULL;
	m->src = (struct lh_srcref *)(m + 1);
	m->f = (struct lh_field *)(m->src + 1);
	q = (char *)(m->f + h.nf);
	m->src[0].path = take(&path, &q, r->key.path_len);
	m->src[0].line = r->key.line;
	m->src[0].offset = r->key.offset;
	m->nsrc = 1;
	m->rule = h.rule;
	m->ts = r->key.group == 0 ? r->key.time : 0;
	m->ts_prec = h.ts_prec;
	m->ts_flags = h.ts_flags;
	m->ident = h.ident;
	if (h.host_len != NONE32) {
		m->host = take(&p, &q, h.host_len);
		m->host_len = h.host_len;
	}
	if (h.msg_len != NONE32 && h.msg_at == NONE32) {
		m->message = take(&p, &q, h.msg_len);
		m->message_len = h.msg_len;
	}
	m->matched = take(&p, &q, h.matched_len);
	if (h.render_len != NONE32) {
		m->render = take(&p, &q, h.render_len);
		m->render_len = h.render_len;
	}
	if (h.msg_len != NONE32 && h.msg_at != NONE32) {
		const char *in = m->render + h.msg_at;

		m->message = take(&in, &q, h.msg_len);
		m->message_len = h.msg_len;
	}
	m->nf = h.nf;
	m->canon = 1;
	for (i = 0; i < h.nf; i++) {
		uint32_t a = get32(&p), b = get32(&p);

		if (a & NAME_REF)
			m->f[i].name = lh_name_pool + (a & ~NAME_REF);
		else {
			m->f[i].name = take(&p, &q, a);
			m->canon = 0;
		}
		m->f[i].val = take(&p, &q, b);
		m->f[i].len = b;
	}
	return m;
}

/* The time of an untimed record, from its key (see pack). */
static int64_t
untimed_ts(const struct lh_spill_rec *r)
{
	const unsigned char *t = (const unsigned char *)r->key.host +
	    r->key.host_len - 8;
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | t[i];
	return (int64_t)(v ^ ((uint64_t)1 << 63));
}

struct lh_hits *
lh_hits_create(const struct lh_hits_opts *o, struct lh_err *err)
{
	struct lh_hits *h = calloc(1, sizeof(*h));

	if (h == NULL) {
		lh_err_set(err, LH_FATAL, 0, "out of memory");
		return NULL;
	}
	h->so.dir = o->dir;
	h->so.budget = o->budget;
	h->so.raw_first = o->raw_first;
	h->give = o->give;
	h->pool = o->pool;
	if ((h->sp = lh_spill_create(&h->so, err)) == NULL ||
	    (h->boot = lh_timeline_create()) == NULL) {
		lh_hits_free(h);
		lh_err_set(err, LH_FATAL, 0, "out of memory");
		return NULL;
	}
	return h;
}

static void
note_horizon(struct lh_hits *h, const struct lh_match *m)
{
	int64_t *p = &h->horizon[m->ident & (LH_FOLD_BUCKETS - 1)];

	if (m->ts_prec > *p)
		*p = m->ts_prec;
}

/* Packs m into sp.  m stays the caller's. */
static int
spill_one(struct lh_hits *h, struct lh_spill *sp, const struct lh_match *m,
    struct lh_err *err)
{
	struct lh_spill_key k;

	if (pack(h, m, &k) != LH_OK)
		return lh_err_set(err, LH_FATAL, 0, "out of memory");
	note_horizon(h, m);
	return lh_spill_addv(sp, &k, h->part, h->npart, err);
}

/*
 * A hit's one source is its record: the record's own time is the hit's
 * (loghunt.sources[].time_us), as lh_match_create sets it.
 */
static void
own_time(struct lh_match *m)
{
	m->src[0].ts = m->ts;
	m->src[0].ts_prec = m->ts_prec > 0 ? m->ts_prec : 1;
}

/*
 * An owned copy of m in one block (the worker's may live in its batch's
 * arena), as it will come out of the spill.  NULL when out of memory.
 */
static struct lh_match *
copy_hit(struct lh_hits *h, const struct lh_match *m)
{
	struct lh_spill_rec r;
	struct lh_buf flat = { 0 };
	struct lh_match *c = NULL;
	size_t i;

	if (pack(h, m, &r.key) != LH_OK)
		return NULL;
	for (i = 0; i < h->npart; i++)
		lh_buf_append(&flat, h->part[i].p, h->part[i].n);
	r.data = flat.p;
	r.len = flat.len;
	if (lh_buf_status(&flat) == LH_OK && (c = unpack(NULL, &r)) != NULL) {
		c->ts = m->ts;
		own_time(c);
	}
	lh_buf_free(&flat);
	return c;
}

int
lh_hits_add(struct lh_hits *h, struct lh_match *m, struct lh_err *err)
{
	struct lh_spill_opts o;
	struct lh_match *c;
	int rc;

	h->st.hits++;
	if (m->ts_flags & LH_TS_BOOT) {
		c = copy_hit(h, m);
		lh_match_free(m);
		if (c != NULL && lh_timeline_add(h->boot, c) == LH_OK)
			return LH_OK;
		lh_match_free(c);
		return lh_err_set(err, LH_FATAL, 0, "out of memory");
	}
	if (m->ts != LH_TS_NONE && lh_evidence_twin_key(m) != 0) {
		o = h->so;
		o.budget /= 8;
		if (h->twins == NULL &&
		    (h->twins = lh_spill_create(&o, err)) == NULL) {
			lh_match_free(m);
			return LH_FATAL;
		}
		rc = spill_one(h, h->twins, m, err);
	} else {
		rc = spill_one(h, h->sp, m, err);
	}
	lh_match_free(m);
	return rc;
}

/* ---- the end ---------------------------------------------------------- */

struct twins {
	struct lh_hits *h;
	uint64_t *keys;		/* of the boot-relative hits, sorted */
	size_t nkeys;
	struct lh_err *err;
};

static int
cmp_u64(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;

	return a < b ? -1 : a > b;
}

/* A twin: to the boot hits when one may pair with it, else sorted on. */
static int
on_twin(void *arg, const struct lh_spill_rec *r)
{
	struct twins *t = arg;
	struct lh_match *m;
	uint64_t key;

	if (t->nkeys > 0) {
		if ((m = unpack(t->h->pool, r)) == NULL)
			return lh_err_set(t->err, LH_FATAL, 0,
			    "out of memory");
		key = lh_evidence_twin_key(m);
		if (bsearch(&key, t->keys, t->nkeys, sizeof(key),
		    cmp_u64) != NULL) {
			if (lh_timeline_add(t->h->boot, m) == LH_OK)
				return LH_OK;
			lh_match_free(m);
			return lh_err_set(t->err, LH_FATAL, 0,
			    "out of memory");
		}
		lh_match_pool_put(t->h->pool, m);
	}
	return lh_spill_add(t->h->sp, &r->key, r->data, r->len, t->err);
}

/*
 * Dates the boot-relative hits with their twins (lh_evidence_date, in an
 * order of their content) and sorts all of them on.
 */
static int
date_boot(struct lh_hits *h, struct lh_evidence *e, struct lh_err *err)
{
	struct twins t = { h, NULL, 0, err };
	size_t i, n = lh_timeline_count(h->boot);
	int rc = LH_OK;

	if (n > 0 && (t.keys = malloc(n * sizeof(*t.keys))) == NULL)
		return lh_err_set(err, LH_FATAL, 0, "out of memory");
	for (i = 0; i < n; i++) {
		uint64_t k = lh_evidence_twin_key(lh_timeline_at(h->boot, i));

		if (k != 0)
			t.keys[t.nkeys++] = k;
	}
	if (t.nkeys > 0)	/* qsort(NULL, 0) is undefined */
		qsort(t.keys, t.nkeys, sizeof(*t.keys), cmp_u64);
	if (h->twins != NULL)
		rc = lh_spill_finish(h->twins, on_twin, &t, err);
	free(t.keys);
	if (rc != LH_OK)
		return rc;
	if (n > 0 && (lh_timeline_sort(h->boot) != LH_OK ||
	    lh_evidence_date(e, h->boot) != LH_OK))
		return lh_err_set(err, LH_FATAL, 0, "out of memory");
	n = lh_timeline_count(h->boot);
	for (i = 0; i < n && rc == LH_OK; i++)
		rc = spill_one(h, h->sp, lh_timeline_at(h->boot, i), err);
	lh_timeline_free(h->boot);
	h->boot = NULL;
	return rc;
}

struct out {
	struct lh_match_pool *pool;
	struct lh_fold *fold;
	struct lh_err *err;
	int rc;			/* what the fold returned */
};

static int
on_hit(void *arg, const struct lh_spill_rec *r)
{
	struct out *o = arg;
	struct lh_match *m;

	if ((m = unpack(o->pool, r)) == NULL)
		return lh_err_set(o->err, LH_FATAL, 0, "out of memory");
	if (r->key.group != 0)
		m->ts = untimed_ts(r);
	own_time(m);
	if ((o->rc = lh_fold_add(o->fold, m)) == LH_FATAL)
		lh_err_set(o->err, LH_FATAL, 0, "out of memory");
	return o->rc;
}

int
lh_hits_finish(struct lh_hits *h, struct lh_evidence *e, lh_fold_fn emit,
    void *arg, struct lh_err *err)
{
	struct out o = { h->pool, NULL, err, LH_OK };
	struct lh_spill_stats ss;
	int rc;

	if ((rc = date_boot(h, e, err)) != LH_OK)
		return rc;
	o.fold = lh_fold_create(h->horizon, h->so.budget, emit, arg);
	if (o.fold == NULL)
		return lh_err_set(err, LH_FATAL, 0, "out of memory");
	if (h->give)
		lh_fold_give(o.fold);
	rc = lh_spill_finish(h->sp, on_hit, &o, err);
	if (rc == LH_OK && (rc = lh_fold_end(o.fold)) == LH_FATAL)
		lh_err_set(err, LH_FATAL, 0, "out of memory");
	lh_fold_free(o.fold);
	lh_spill_stats(h->sp, &ss);
	h->st.spilled += ss.spilled;
	h->st.runs += ss.runs;
	return rc;
}

void
lh_hits_stats(const struct lh_hits *h, struct lh_hits_stats *st)
{
	*st = h->st;
}

void
lh_hits_free(struct lh_hits *h)
{
	if (h == NULL)
		return;
	lh_spill_free(h->sp);
	lh_spill_free(h->twins);
	lh_timeline_free(h->boot);
	lh_buf_free(&h->pk);
	lh_buf_free(&h->key);
	free(h);
}
