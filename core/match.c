/*
 * match.c: match snapshots and the identity of an event (match.h).
 *
 * DESIGN
 * A match is one malloc block: the struct, its first source, its fields
 * and their strings; a rendered match lives in an arena instead (pooled).
 * Folding moves sources onto a heap array owned by the match, so a match
 * frees its sources unless they are still the one in its block.  A pool
 * (lh_match_pool) keeps the blocks of freed matches, each with its size in
 * the match's cap, in a stack: the last kept, still in the cache, goes out
 * first; one too small for the match asked for is freed and replaced by
 * one an eighth bigger than asked, so that the blocks of a stream of
 * matches of varying sizes soon all fit.  The
 * identity of an event (SPEC §6) is defined here once; the timeline and the
 * --state file both use it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/kmsg.h"
#include "core/match.h"
#include "core/status.h"


uint64_t
lh_fnv64(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}

uint64_t
lh_match_ident(const struct lh_match *m, const void *key, size_t keylen)
{
	uint64_t h = LH_FNV_SEED;
	const char *msg;
	size_t n;

	h = lh_fnv64(h, key, keylen);
	h = lh_fnv64(h, m->host != NULL ? m->host : "", m->host != NULL ?
	    m->host_len + 1 : 1);
	msg = lh_match_bare_message(m, &n);
	return lh_fnv64(h, msg, n);
}

/*
 * One word of the in-memory hash: multiply and fold the high half down
 * (the low bits of a product depend only on the low bits of its factors).
 */
static inline uint64_t
wmix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 29);
}

/* The n bytes at p mixed into h, a word at a time. */
static uint64_t
whash(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t w;

	for (; n >= 8; b += 8, n -= 8) {
		memcpy(&w, b, 8);
		h = wmix(h, w);
	}
	w = (uint64_t)n << 56;	/* the length of the tail, kept apart */
	if (n > 0) {
		uint64_t t = 0;

		memcpy(&t, b, n);
		w ^= t;
	}
	return wmix(h, w);
}

uint64_t
lh_match_identity(const struct lh_match *m)
{
	uint64_t h = (uint64_t)(int64_t)m->rule * 0xbf58476d1ce4e5b9ULL;
	const char *msg;
	size_t n;

	h = whash(h, m->host != NULL ? m->host : "", m->host != NULL ?
	    m->host_len + 1 : 0);
	msg = lh_match_bare_message(m, &n);
	h = whash(h, msg, n);
	/* a finalizer (MurmurHash3's): every bit of h reaches the low ones */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 33);
}


static int64_t
trunc_to(int64_t t, int64_t p)
{
	int64_t q = t / p;

	if (t < 0 && q * p != t)
		q--;
	return q * p;
}

int
lh_match_same_time(int64_t a, int64_t ap, int64_t b, int64_t bp)
{
	int64_t p = ap > bp ? ap : bp;

	if (a == LH_TS_NONE || b == LH_TS_NONE)
		return a == b;
	return trunc_to(a, p) == trunc_to(b, p);
}

/*
 * What lh_event_is_static() says of a field's name (bit 0) and value (bit
 * 1); block_size() notes it for the first NSTAT fields, and fill() uses
 * the notes rather than asking again.
 */
#define NSTAT 64

static unsigned
statics(const struct lh_field *f)
{
	return (unsigned)lh_event_is_static(f->name) |
	    (unsigned)lh_event_is_static(f->val) << 1;
}

/* Copies s into *p (advancing it); returns the copy. */
static const char *
copy(char **p, const char *s, size_t n)
{
	char *q = *p;

	if (n > 0)
		memcpy(q, s, n);
	q[n] = '\0';
	*p += n + 1;
	return q;
}

/*
 * The bytes of the one block of a match of ev (see fill()); st[i] notes
 * the static strings of field i < NSTAT.
 */
static size_t
block_size(const struct lh_event *ev, const char *matched, const char *path,
    unsigned char *st)
{
	size_t i, size = sizeof(struct lh_match) + sizeof(struct lh_srcref);
	unsigned k;

	size += ev->nfield * sizeof(struct lh_field);
	size += strlen(matched) + 1 + strlen(path) + 1;
	for (i = 0; i < ev->nfield; i++) {
		k = statics(&ev->fields[i]);
		if (i < NSTAT)
			st[i] = (unsigned char)k;
		if (!(k & 1))
			size += strlen(ev->fields[i].name) + 1;
		if (!(k & 2))
			size += ev->fields[i].len + 1;
	}
	return size;
}

/* Builds the match of ev in block m (block_size() bytes); returns m. */
static struct lh_match *
fill(struct lh_match *m, const struct lh_event *ev, int rule,
    const char *matched, const char *path, const unsigned char *st)
{
	unsigned k;
	size_t i, mlen = strlen(matched) + 1, plen = strlen(path) + 1;
	char *p;

	memset(m, 0, sizeof(*m));
	/* one block: the match, its first source, fields, then strings */
	m->src = (struct lh_srcref *)(m + 1);
	m->f = (struct lh_field *)(m->src + 1);
	p = (char *)(m->f + ev->nfield);
	memcpy(p, path, plen);
	m->src[0].path = p;
	m->src[0].line = ev->line;
	m->src[0].offset = ev->offset;
	m->src[0].ts = ev->ts;
	m->src[0].ts_prec = ev->ts_prec > 0 ? ev->ts_prec : 1;
	p += plen;
	m->nsrc = 1;
	m->rule = rule;
	m->ts = ev->ts;
	m->ts_prec = ev->ts_prec > 0 ? ev->ts_prec : 1;
	m->ts_flags = ev->ts_flags;
	m->nf = ev->nfield;
	m->canon = ev->canon;	/* interned names are kept (statics) */
	memcpy(p, matched, mlen);
	m->matched = p;
	p += mlen;
	for (i = 0; i < ev->nfield; i++) {
		const struct lh_field *f = &ev->fields[i];

		k = i < NSTAT ? st[i] : statics(f);
		m->f[i].name = k & 1 ? f->name : copy(&p, f->name,
		    strlen(f->name));
		m->f[i].val = k & 2 ? f->val : copy(&p, f->val, f->len);
		m->f[i].len = f->len;
	}
	m->message = lh_match_get(m, LH_F_MESSAGE, &m->message_len);
	m->host = lh_match_get(m, LH_F_HOSTNAME, &i);
	if (m->host == NULL)
		m->host = lh_match_get(m, LH_F_HOSTNAME_ALT, &i);
	m->host_len = m->host != NULL ? i : 0;
	m->ident = lh_match_identity(m);
	return m;
}

struct lh_match *
lh_match_create(const struct lh_event *ev, int rule, const char *matched,
    const char *path)
{
	unsigned char st[NSTAT];
	struct lh_match *m = malloc(block_size(ev, matched, path, st));

	return m != NULL ? fill(m, ev, rule, matched, path, st) : NULL;
}

struct lh_match *
lh_match_create_pooled(const struct lh_event *ev, int rule,
    const char *matched, const char *path, struct lh_arena *arena)
{
	unsigned char st[NSTAT];
	struct lh_match *m = lh_arena_alloc(arena, block_size(ev, matched,
	    path, st));

	if (m == NULL)
		return NULL;
	fill(m, ev, rule, matched, path, st);
	m->pooled = 1;
	return m;
}

void
lh_match_view(struct lh_match *view, struct lh_srcref *src,
    const struct lh_event *ev, int rule, const char *matched,
    const char *path)
{
	const struct lh_field *f;

	memset(view, 0, sizeof(*view));
	src->path = (char *)(uintptr_t)path;
	src->line = ev->line;
	src->offset = ev->offset;
	src->ts = ev->ts;
	src->ts_prec = ev->ts_prec > 0 ? ev->ts_prec : 1;
	view->src = src;
	view->nsrc = 1;
	view->rule = rule;
	view->ts = ev->ts;
	view->ts_prec = ev->ts_prec > 0 ? ev->ts_prec : 1;
	view->ts_flags = ev->ts_flags;
	view->matched = matched;
	view->f = ev->fields;
	view->nf = ev->nfield;
	if ((f = lh_event_get(ev, LH_F_MESSAGE)) != NULL) {
		view->message = f->val;
		view->message_len = f->len;
	}
	if ((f = lh_event_get(ev, LH_F_HOSTNAME)) == NULL)
		f = lh_event_get(ev, LH_F_HOSTNAME_ALT);
	view->host = f != NULL ? f->val : NULL;
	view->host_len = f != NULL ? f->len : 0;
}

struct lh_match *
lh_match_create_rendered(const struct lh_match *view, const char *text,
    size_t n, struct lh_arena *arena)
{
	size_t hlen = view->host_len;
	size_t plen = strlen(view->src[0].path) + 1;
	size_t mlen = strlen(view->matched) + 1;
	struct lh_match *m;
	char *p;

	m = lh_arena_alloc(arena, sizeof(*m) + sizeof(struct lh_srcref) +
	    plen + mlen + hlen + 1 + view->message_len + 1 + n + 1);
	if (m == NULL)
		return NULL;
	*m = *view;
	m->pooled = 1;
	m->cap = 0;
	m->f = NULL;
	m->nf = 0;
	m->src = (struct lh_srcref *)(m + 1);
	p = (char *)(m->src + 1);
	m->src[0].path = p;
	m->src[0].line = view->src[0].line;
	m->src[0].offset = view->src[0].offset;
	m->src[0].ts = view->src[0].ts;
	m->src[0].ts_prec = view->src[0].ts_prec;
	p = (char *)memcpy(p, view->src[0].path, plen) + plen;
	m->matched = memcpy(p, view->matched, mlen);
	p += mlen;
	if (view->host != NULL) {
		m->host = p;
		p = (char *)memcpy(p, view->host, hlen) + hlen;
		*p++ = '\0';
	}
	if (view->message != NULL) {
		m->message = p;
		if (view->message_len > 0)
			memcpy(p, view->message, view->message_len);
		p += view->message_len;
		*p++ = '\0';
	}
	m->render = p;
	m->render_len = n;
	if (n > 0)
		memcpy(p, text, n);
	p[n] = '\0';
	m->ident = lh_match_identity(m);
	return m;
}

/* Whether m's sources are still the one stored in its own block. */
static int
inline_src(const struct lh_match *m)
{
	return m->src == (const struct lh_srcref *)(m + 1);
}

/* Frees the sources m owns (not the one in its block). */
static void
free_sources(struct lh_match *m)
{
	size_t i;

	if (!inline_src(m)) {
		for (i = 0; i < m->nsrc; i++)
			free(m->src[i].path);
		free(m->src);
	}
}

void
lh_match_free(struct lh_match *m)
{
	if (m == NULL)
		return;
	free_sources(m);
	if (!m->pooled)
		free(m);
}

struct lh_match_pool {
	struct lh_match **blk;	/* kept blocks, the last kept on top */
	size_t n, max;
	uint64_t bytes, max_bytes;	/* of the kept blocks */
};

struct lh_match_pool *
lh_match_pool_create(size_t max, uint64_t bytes)
{
	struct lh_match_pool *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	if (max > 0 && (p->blk = malloc(max * sizeof(*p->blk))) == NULL) {
		free(p);
		return NULL;
	}
	p->max = max;
	p->max_bytes = bytes;
	return p;
}

struct lh_match *
lh_match_pool_get(struct lh_match_pool *p, size_t size)
{
	struct lh_match *m = NULL;
	size_t cap = size;

	if (p != NULL && p->n > 0) {
		m = p->blk[--p->n];
		p->bytes -= m->cap;
		if (m->cap < size) {	/* too small: a bigger one */
			free(m);
			m = NULL;
		}
	}
	if (m == NULL) {
		/* room to grow: an eighth, in 64 bytes */
		if (p != NULL && size <= UINT32_MAX / 2)
			cap = (size + size / 8 + 63) & ~(size_t)63;
		if ((m = malloc(cap)) == NULL)
			return NULL;
	} else {
		cap = m->cap;
	}
	memset(m, 0, sizeof(*m));
	m->cap = p != NULL && cap <= UINT32_MAX ? (uint32_t)cap : 0;
	return m;
}

void
lh_match_pool_put(struct lh_match_pool *p, struct lh_match *m)
{
	if (m == NULL)
		return;
	if (p == NULL || m->pooled || m->cap == 0 || p->n == p->max ||
	    p->bytes + m->cap > p->max_bytes) {
		lh_match_free(m);
		return;
	}
	free_sources(m);
	m->src = NULL;		/* a kept block is an empty match */
	m->nsrc = 0;
	p->blk[p->n++] = m;
	p->bytes += m->cap;
}

struct lh_match *
lh_match_pool_take(struct lh_match_pool *p)
{
	struct lh_match *m;

	if (p == NULL || p->n == 0)
		return NULL;
	m = p->blk[--p->n];
	p->bytes -= m->cap;
	return m;
}

void
lh_match_pool_free(struct lh_match_pool *p)
{
	if (p == NULL)
		return;
	while (p->n > 0)
		free(p->blk[--p->n]);
	free(p->blk);
	free(p);
}

const char *
lh_match_get(const struct lh_match *m, const char *name, size_t *len)
{
	size_t i;

	/* the first byte spares most calls: names seldom share it */
	for (i = 0; i < m->nf; i++) {
		if (m->f[i].name[0] == name[0] &&
		    strcmp(m->f[i].name, name) == 0) {
			*len = m->f[i].len;
			return m->f[i].val;
		}
	}
	*len = 0;
	return NULL;
}

const char *
lh_match_bare_message(const struct lh_match *m, size_t *len)
{
	size_t k;

	if (m->message == NULL) {
		*len = 0;
		return "";
	}
	k = lh_kmsg_stamp_len(m->message, m->message_len);
	*len = m->message_len - k;
	return m->message + k;
}

/*
 * Gives m a heap array of owned sources (instead of the one in its block)
 * with room for extra more.
 */
static int
own_sources(struct lh_match *m, size_t extra)
{
	struct lh_srcref *s;
	size_t i;

	if (inline_src(m)) {
		if ((s = malloc((1 + extra) * sizeof(*s))) == NULL ||
		    (s[0].path = strdup(m->src[0].path)) == NULL) {
			free(s);
			return LH_FATAL;
		}
		s[0].line = m->src[0].line;
		s[0].offset = m->src[0].offset;
		s[0].ts = m->src[0].ts;
		s[0].ts_prec = m->src[0].ts_prec;
	} else if ((s = realloc(m->src, (m->nsrc + extra) * sizeof(*s))) ==
	    NULL) {
		return LH_FATAL;
	}
	m->src = s;
	for (i = m->nsrc; i < m->nsrc + extra; i++)
		s[i].path = NULL;
	return LH_OK;
}

int
lh_match_fold(struct lh_match *a, struct lh_match *b)
{
	size_t i;

	if (own_sources(a, b->nsrc) != LH_OK)
		return LH_FATAL;
	for (i = 0; i < b->nsrc; i++) {
		a->src[a->nsrc + i].line = b->src[i].line;
		a->src[a->nsrc + i].offset = b->src[i].offset;
		a->src[a->nsrc + i].ts = b->src[i].ts;
		a->src[a->nsrc + i].ts_prec = b->src[i].ts_prec;
		if (inline_src(b))
			a->src[a->nsrc + i].path = strdup(b->src[i].path);
		else {
			a->src[a->nsrc + i].path = b->src[i].path;
			b->src[i].path = NULL;
		}
		if (a->src[a->nsrc + i].path == NULL)
			return LH_FATAL;
	}
	a->nsrc += b->nsrc;
	if (!inline_src(b))
		b->nsrc = 0;
	/* keep the most precise time */
	if (b->ts_prec < a->ts_prec) {
		a->ts = b->ts;
		a->ts_prec = b->ts_prec;
	}
	lh_match_free(b);
	return LH_OK;
}

