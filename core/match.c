/*
 * match.c: match snapshots and the de-duplicating timeline.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/kmsg.h"
#include "core/match.h"
#include "core/status.h"

static const char *bare(const struct lh_match *m, size_t *len);

uint64_t
lh_fnv64(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}

/*
 * A hash of what makes two records the same event (rule, host, message
 * without a dmesg stamp), so that sorting by identity compares numbers;
 * equal hashes are still compared in full.
 */
static uint64_t
identity(const struct lh_match *m)
{
	uint64_t h = LH_FNV_SEED;
	const char *msg;
	size_t n;

	h = lh_fnv64(h, &m->rule, sizeof(m->rule));
	if (m->host != NULL)
		h = lh_fnv64(h, m->host, m->host_len + 1);
	msg = bare(m, &n);
	return lh_fnv64(h, msg, n);
}

/* Bytes a copy of s needs in the match's block (0 for a static string). */
static size_t
copy_size(const char *s, size_t n)
{
	return lh_event_is_static(s) ? 0 : n + 1;
}

/* Copies s into *p (advancing it) unless it is static; returns the copy. */
static const char *
copy(char **p, const char *s, size_t n)
{
	char *q = *p;

	if (lh_event_is_static(s))
		return s;
	if (n > 0)
		memcpy(q, s, n);
	q[n] = '\0';
	*p += n + 1;
	return q;
}

struct lh_match *
lh_match_create(const struct lh_event *ev, int rule, const char *matched,
    const char *path)
{
	size_t i, size = sizeof(struct lh_match), mlen = strlen(matched) + 1;
	size_t plen = strlen(path) + 1;
	struct lh_match *m;
	char *p;

	size += sizeof(struct lh_srcref) + ev->nfield * sizeof(struct lh_field);
	size += mlen + plen;
	for (i = 0; i < ev->nfield; i++)
		size += copy_size(ev->fields[i].name,
		    strlen(ev->fields[i].name)) +
		    copy_size(ev->fields[i].val, ev->fields[i].len);
	if ((m = malloc(size)) == NULL)
		return NULL;
	memset(m, 0, sizeof(*m));
	/* one block: the match, its first source, fields, then strings */
	m->src = (struct lh_srcref *)(m + 1);
	m->f = (struct lh_field *)(m->src + 1);
	p = (char *)(m->f + ev->nfield);
	memcpy(p, path, plen);
	m->src[0].path = p;
	m->src[0].line = ev->line;
	p += plen;
	m->nsrc = 1;
	m->rule = rule;
	m->ts = ev->ts;
	m->ts_prec = ev->ts_prec > 0 ? ev->ts_prec : 1;
	m->ts_flags = ev->ts_flags;
	m->nf = ev->nfield;
	memcpy(p, matched, mlen);
	m->matched = p;
	p += mlen;
	for (i = 0; i < ev->nfield; i++) {
		const struct lh_field *f = &ev->fields[i];

		m->f[i].name = copy(&p, f->name, strlen(f->name));
		m->f[i].val = copy(&p, f->val, f->len);
		m->f[i].len = f->len;
	}
	m->message = lh_match_get(m, LH_F_MESSAGE, &m->message_len);
	m->host = lh_match_get(m, LH_F_HOSTNAME, &i);
	if (m->host == NULL)
		m->host = lh_match_get(m, LH_F_HOSTNAME_ALT, &i);
	m->host_len = m->host != NULL ? i : 0;
	m->ident = identity(m);
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
	m->f = NULL;
	m->nf = 0;
	m->src = (struct lh_srcref *)(m + 1);
	p = (char *)(m->src + 1);
	m->src[0].path = p;
	m->src[0].line = view->src[0].line;
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
	m->ident = identity(m);
	return m;
}

/* Whether m's sources are still the one stored in its own block. */
static int
inline_src(const struct lh_match *m)
{
	return m->src == (const struct lh_srcref *)(m + 1);
}

void
lh_match_free(struct lh_match *m)
{
	size_t i;

	if (m == NULL)
		return;
	if (!inline_src(m)) {
		for (i = 0; i < m->nsrc; i++)
			free(m->src[i].path);
		free(m->src);
	}
	if (!m->pooled)
		free(m);
}

const char *
lh_match_get(const struct lh_match *m, const char *name, size_t *len)
{
	size_t i;

	for (i = 0; i < m->nf; i++) {
		if (strcmp(m->f[i].name, name) == 0) {
			*len = m->f[i].len;
			return m->f[i].val;
		}
	}
	*len = 0;
	return NULL;
}

/* ---- the timeline ------------------------------------------------------ */

struct lh_timeline {
	struct lh_match **m;
	size_t n, cap;
	struct lh_arena **arenas;	/* where pooled matches live */
	size_t narenas;
};

struct lh_timeline *
lh_timeline_create(void)
{
	return calloc(1, sizeof(struct lh_timeline));
}

void
lh_timeline_free(struct lh_timeline *tl)
{
	size_t i;

	if (tl == NULL)
		return;
	for (i = 0; i < tl->n; i++)
		lh_match_free(tl->m[i]);
	for (i = 0; i < tl->narenas; i++)
		lh_arena_free(tl->arenas[i]);
	free(tl->arenas);
	free(tl->m);
	free(tl);
}

int
lh_timeline_add(struct lh_timeline *tl, struct lh_match *m)
{
	if (tl->n == tl->cap) {
		size_t cap = tl->cap ? tl->cap * 2 : 64;
		struct lh_match **p = realloc(tl->m, cap * sizeof(*p));

		if (p == NULL)
			return LH_FATAL;
		tl->m = p;
		tl->cap = cap;
	}
	tl->m[tl->n++] = m;
	return LH_OK;
}

int
lh_timeline_adopt(struct lh_timeline *tl, struct lh_arena *arena)
{
	struct lh_arena **a;

	if ((a = realloc(tl->arenas, (tl->narenas + 1) * sizeof(*a))) ==
	    NULL) {
		lh_arena_free(arena);
		return LH_FATAL;
	}
	tl->arenas = a;
	tl->arenas[tl->narenas++] = arena;
	return LH_OK;
}

static int
cmp_str(const char *a, size_t al, const char *b, size_t bl)
{
	int c = memcmp(a, b, al < bl ? al : bl);

	if (c != 0)
		return c;
	return al < bl ? -1 : al > bl;
}

static int
cmp_host(const struct lh_match *a, const struct lh_match *b)
{
	if (a->host == NULL || b->host == NULL)
		return (a->host != NULL) - (b->host != NULL);
	return strcmp(a->host, b->host);
}

/* The message without a leading dmesg stamp. */
static const char *
bare(const struct lh_match *m, size_t *len)
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

static int cmp_src(const void *pa, const void *pb);

/* Identity order: rule, host, bare message, time. */
static int
cmp_ident(const void *pa, const void *pb)
{
	const struct lh_match *a = *(struct lh_match *const *)pa;
	const struct lh_match *b = *(struct lh_match *const *)pb;
	const char *ma, *mb;
	size_t la, lb;
	int c;

	if (a->ident != b->ident)
		return a->ident < b->ident ? -1 : 1;
	if (a->rule != b->rule)
		return a->rule < b->rule ? -1 : 1;
	if ((c = cmp_host(a, b)) != 0)
		return c;
	if ((a->ts_flags & LH_TS_BOOT) != (b->ts_flags & LH_TS_BOOT))
		return (a->ts_flags & LH_TS_BOOT) ? 1 : -1;
	ma = bare(a, &la);
	mb = bare(b, &lb);
	if ((c = cmp_str(ma, la, mb, lb)) != 0)
		return c;
	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	if (a->ts_prec != b->ts_prec)
		return a->ts_prec < b->ts_prec ? -1 : 1;
	/* a total order, so the record that represents an event is fixed */
	return cmp_src(a->src, b->src);
}

static int
cmp_src(const void *pa, const void *pb)
{
	const struct lh_srcref *a = pa, *b = pb;
	int c = strcmp(a->path, b->path);

	if (c != 0)
		return c;
	return a->line < b->line ? -1 : a->line > b->line;
}

/* Timeline order: timed before boot-relative, time, host, rule, message. */
static int
cmp_time(const void *pa, const void *pb)
{
	const struct lh_match *a = *(struct lh_match *const *)pa;
	const struct lh_match *b = *(struct lh_match *const *)pb;
	int ba = (a->ts_flags & LH_TS_BOOT) != 0 || a->ts == LH_TS_NONE;
	int bb = (b->ts_flags & LH_TS_BOOT) != 0 || b->ts == LH_TS_NONE;
	int c;

	if (ba != bb)
		return ba - bb;
	if (ba && (c = cmp_host(a, b)) != 0)
		return c;
	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	if ((c = cmp_host(a, b)) != 0)
		return c;
	if (a->rule != b->rule)
		return a->rule < b->rule ? -1 : 1;
	c = cmp_str(a->message ? a->message : "", a->message_len,
	    b->message ? b->message : "", b->message_len);
	if (c != 0)
		return c;
	return cmp_src(a->src, b->src);
}

static int64_t
trunc_to(int64_t t, int64_t p)
{
	int64_t q = t / p;

	if (t < 0 && q * p != t)
		q--;
	return q * p;
}

/* Same event: equal identity and times equal at the coarser precision. */
static int
same_event(const struct lh_match *a, const struct lh_match *b)
{
	const char *ma, *mb;
	size_t la, lb;
	int64_t p = a->ts_prec > b->ts_prec ? a->ts_prec : b->ts_prec;

	if (a->ident != b->ident || a->rule != b->rule || cmp_host(a, b) != 0 ||
	    (a->ts_flags & LH_TS_BOOT) != (b->ts_flags & LH_TS_BOOT))
		return 0;
	ma = bare(a, &la);
	mb = bare(b, &lb);
	if (cmp_str(ma, la, mb, lb) != 0)
		return 0;
	if (a->ts == LH_TS_NONE || b->ts == LH_TS_NONE)
		return a->ts == b->ts;
	return trunc_to(a->ts, p) == trunc_to(b->ts, p);
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
	} else if ((s = realloc(m->src, (m->nsrc + extra) * sizeof(*s))) ==
	    NULL) {
		return LH_FATAL;
	}
	m->src = s;
	for (i = m->nsrc; i < m->nsrc + extra; i++)
		s[i].path = NULL;
	return LH_OK;
}

/* Moves b's sources into a; b is freed. */
static int
fold(struct lh_match *a, struct lh_match *b)
{
	size_t i;

	if (own_sources(a, b->nsrc) != LH_OK)
		return LH_FATAL;
	for (i = 0; i < b->nsrc; i++) {
		a->src[a->nsrc + i].line = b->src[i].line;
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

/*
 * 1 when m has a source in the file of s at another line: s is then a
 * different event of that file.  The same path and line again is the same
 * record read twice (an archive that holds a member twice).
 */
static int
other_line(const struct lh_match *m, const struct lh_srcref *s)
{
	size_t i;

	for (i = 0; i < m->nsrc; i++) {
		if (strcmp(m->src[i].path, s->path) == 0 &&
		    m->src[i].line != s->line)
			return 1;
	}
	return 0;
}

static int
same_src(const struct lh_match *m, const struct lh_srcref *s)
{
	size_t i;

	for (i = 0; i < m->nsrc; i++) {
		if (strcmp(m->src[i].path, s->path) == 0 &&
		    m->src[i].line == s->line)
			return 1;
	}
	return 0;
}

/*
 * Folds the run tl->m[i..j) of records of one event into as few matches as
 * possible, keeping apart records from the same file: two identical lines
 * in one file are two events (ten failed logins in one second), the same
 * line in kern.log and syslog is one.  Each record joins the first match
 * that has no other line of its file.  Survivors go to tl->m[*k].
 */
static int
fold_run(struct lh_timeline *tl, size_t i, size_t j, size_t *k)
{
	size_t first = *k, c;

	for (; i < j; i++) {
		struct lh_match *m = tl->m[i];

		for (c = first; c < *k; c++) {
			if (!other_line(tl->m[c], &m->src[0]))
				break;
		}
		if (c < *k && same_src(tl->m[c], &m->src[0])) {
			lh_match_free(m);
		} else if (c < *k) {
			if (fold(tl->m[c], m) != LH_OK)
				return LH_FATAL;
		} else {
			tl->m[(*k)++] = m;
		}
	}
	return LH_OK;
}

/*
 * Sorting keys: two numbers and the match.  Sorting these small records
 * instead of the matches themselves keeps the comparisons in cache; the
 * full comparison runs only on ties.
 */
struct key {
	uint64_t a;
	int64_t b;
	struct lh_match *m;
};

static int
key_ident(const void *pa, const void *pb)
{
	const struct key *a = pa, *b = pb;

	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	if (a->b != b->b)
		return a->b < b->b ? -1 : 1;
	return cmp_ident(&a->m, &b->m);
}

static int
key_time(const void *pa, const void *pb)
{
	const struct key *a = pa, *b = pb;

	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	if (a->b != b->b)
		return a->b < b->b ? -1 : 1;
	return cmp_time(&a->m, &b->m);
}

static int
key_less(const struct key *x, const struct key *y,
    int (*cmp)(const void *, const void *))
{
	if (x->a != y->a)
		return x->a < y->a;
	if (x->b != y->b)
		return x->b < y->b;
	return cmp(x, y) < 0;
}

/*
 * Sorts keys: a quicksort with the two numbers compared inline (qsort's
 * callback and byte-wise swaps cost more than the comparisons here),
 * insertion sort for short ranges, recursion only into the smaller part.
 */
static void
sort_keys(struct key *k, size_t n, int (*cmp)(const void *, const void *))
{
	while (n > 16) {
		size_t i = 0, j = n - 1, mid = n / 2;
		struct key t, p;

		/* median of three as the pivot */
		if (key_less(&k[mid], &k[0], cmp))
			t = k[0], k[0] = k[mid], k[mid] = t;
		if (key_less(&k[n - 1], &k[0], cmp))
			t = k[0], k[0] = k[n - 1], k[n - 1] = t;
		if (key_less(&k[n - 1], &k[mid], cmp))
			t = k[mid], k[mid] = k[n - 1], k[n - 1] = t;
		p = k[mid];
		for (;;) {
			while (key_less(&k[i], &p, cmp))
				i++;
			while (key_less(&p, &k[j], cmp))
				j--;
			if (i >= j)
				break;
			t = k[i], k[i] = k[j], k[j] = t;
			i++;
			j--;
		}
		if (j + 1 < n - j - 1) {
			sort_keys(k, j + 1, cmp);
			k += j + 1;
			n -= j + 1;
		} else {
			sort_keys(k + j + 1, n - j - 1, cmp);
			n = j + 1;
		}
	}
	for (size_t i = 1; i < n; i++) {
		struct key t = k[i];
		size_t j = i;

		while (j > 0 && key_less(&t, &k[j - 1], cmp)) {
			k[j] = k[j - 1];
			j--;
		}
		k[j] = t;
	}
}

/* Sorts tl->m by cmp_ident (by_time 0) or cmp_time (1) through keys. */
static struct key *
sort_by(struct lh_timeline *tl, int by_time)
{
	struct key *k = malloc(tl->n * sizeof(*k));
	size_t i;

	if (k == NULL)
		return NULL;
	for (i = 0; i < tl->n; i++) {
		struct lh_match *m = tl->m[i];
		int untimed = (m->ts_flags & LH_TS_BOOT) || m->ts == LH_TS_NONE;

		k[i].m = m;
		k[i].a = by_time ? (uint64_t)untimed : m->ident;
		k[i].b = by_time && untimed ? 0 : m->ts;
	}
	sort_keys(k, tl->n, by_time ? key_time : key_ident);
	for (i = 0; i < tl->n; i++)
		tl->m[i] = k[i].m;
	return k;
}

int
lh_timeline_finish(struct lh_timeline *tl)
{
	struct key *k;
	size_t i, j, n = 0;

	if (tl->n == 0)
		return LH_OK;	/* qsort(NULL, 0) is undefined */
	if ((k = sort_by(tl, 0)) == NULL)
		return LH_FATAL;
	/* runs of one event; different hashes need no look at the matches */
	for (i = 0; i < tl->n; i = j) {
		for (j = i + 1; j < tl->n && k[j].a == k[i].a &&
		    same_event(tl->m[i], tl->m[j]); j++)
			;
		if (j == i + 1)
			tl->m[n++] = tl->m[i];
		else if (fold_run(tl, i, j, &n) != LH_OK) {
			free(k);
			return LH_FATAL;
		}
	}
	free(k);
	tl->n = n;
	for (i = 0; i < tl->n; i++) {
		if (tl->m[i]->nsrc > 1)
			qsort(tl->m[i]->src, tl->m[i]->nsrc,
			    sizeof(struct lh_srcref), cmp_src);
	}
	if ((k = sort_by(tl, 1)) == NULL)
		return LH_FATAL;
	free(k);
	return LH_OK;
}

const char *
lh_match_bare_message(const struct lh_match *m, size_t *len)
{
	return bare(m, len);
}

size_t
lh_timeline_count(const struct lh_timeline *tl)
{
	return tl->n;
}

const struct lh_match *
lh_timeline_get(const struct lh_timeline *tl, size_t i)
{
	return tl->m[i];
}
