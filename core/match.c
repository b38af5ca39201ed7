/*
 * match.c: match snapshots and the de-duplicating timeline.
 */
#include <stdlib.h>
#include <string.h>

#include "core/match.h"
#include "core/pipeline.h"
#include "core/status.h"

struct lh_match *
lh_match_create(const struct lh_event *ev, int rule, const char *matched,
    const char *path)
{
	size_t i, size = sizeof(struct lh_match), mlen = strlen(matched) + 1;
	struct lh_match *m;
	char *p;

	size += ev->nfield * sizeof(struct lh_field) + mlen;
	for (i = 0; i < ev->nfield; i++)
		size += strlen(ev->fields[i].name) + 1 + ev->fields[i].len + 1;
	if ((m = calloc(1, size)) == NULL)
		return NULL;
	if ((m->src = malloc(sizeof(*m->src))) == NULL ||
	    (m->src[0].path = strdup(path)) == NULL) {
		free(m->src);
		free(m);
		return NULL;
	}
	m->src[0].line = ev->line;
	m->nsrc = 1;
	m->rule = rule;
	m->ts = ev->ts;
	m->ts_prec = ev->ts_prec > 0 ? ev->ts_prec : 1;
	m->ts_flags = ev->ts_flags;
	m->f = (struct lh_field *)(m + 1);
	m->nf = ev->nfield;
	p = (char *)(m->f + ev->nfield);
	memcpy(p, matched, mlen);
	m->matched = p;
	p += mlen;
	for (i = 0; i < ev->nfield; i++) {
		const struct lh_field *f = &ev->fields[i];
		size_t nl = strlen(f->name) + 1;

		memcpy(p, f->name, nl);
		m->f[i].name = p;
		p += nl;
		if (f->len > 0)
			memcpy(p, f->val, f->len);
		p[f->len] = '\0';
		m->f[i].val = p;
		m->f[i].len = f->len;
		p += f->len + 1;
	}
	m->message = lh_match_get(m, LH_F_MESSAGE, &m->message_len);
	m->host = lh_match_get(m, LH_F_HOSTNAME, &i);
	if (m->host == NULL)
		m->host = lh_match_get(m, LH_F_HOSTNAME_ALT, &i);
	return m;
}

void
lh_match_free(struct lh_match *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->nsrc; i++)
		free(m->src[i].path);
	free(m->src);
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
	k = lh_dmesg_stamp_len(m->message, m->message_len);
	*len = m->message_len - k;
	return m->message + k;
}

/* Identity order: rule, host, bare message, time. */
static int
cmp_ident(const void *pa, const void *pb)
{
	const struct lh_match *a = *(struct lh_match *const *)pa;
	const struct lh_match *b = *(struct lh_match *const *)pb;
	const char *ma, *mb;
	size_t la, lb;
	int c;

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
	return a->ts_prec < b->ts_prec ? -1 : a->ts_prec > b->ts_prec;
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

	if (a->rule != b->rule || cmp_host(a, b) != 0 ||
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

/* Moves b's sources into a; b is freed. */
static int
fold(struct lh_match *a, struct lh_match *b)
{
	struct lh_srcref *s = realloc(a->src, (a->nsrc + b->nsrc) *
	    sizeof(*s));

	if (s == NULL)
		return LH_FATAL;
	memcpy(s + a->nsrc, b->src, b->nsrc * sizeof(*s));
	a->src = s;
	a->nsrc += b->nsrc;
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

int
lh_timeline_finish(struct lh_timeline *tl)
{
	size_t i, j, k = 0;

	if (tl->n == 0)
		return LH_OK;	/* qsort(NULL, 0) is undefined */
	qsort(tl->m, tl->n, sizeof(*tl->m), cmp_ident);
	for (i = 0; i < tl->n; i = j) {
		for (j = i + 1; j < tl->n && same_event(tl->m[i], tl->m[j]); j++)
			;
		if (fold_run(tl, i, j, &k) != LH_OK)
			return LH_FATAL;
	}
	tl->n = k;
	for (i = 0; i < tl->n; i++)
		qsort(tl->m[i]->src, tl->m[i]->nsrc, sizeof(struct lh_srcref),
		    cmp_src);
	qsort(tl->m, tl->n, sizeof(*tl->m), cmp_time);
	return LH_OK;
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
