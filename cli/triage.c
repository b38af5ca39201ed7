/*
 * triage.c: triage context and crash loops (see triage.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/triage.h"
#include "core/gate.h"
#include "core/kmsg.h"
#include "core/memfind.h"
#include "core/scan.h"
#include "core/status.h"

void
lh_report_free(struct lh_report *rep)
{
	size_t i;

	if (rep->ctx != NULL) {
		for (i = 0; i < lh_timeline_count(rep->tl); i++)
			free(rep->ctx[i].ev);
	}
	free(rep->ctx);
	free(rep->show);
	free(rep->loops);
	free(rep->loop_of);
	rep->ctx = NULL;
	rep->show = NULL;
	rep->loops = NULL;
	rep->loop_of = NULL;
}

int
lh_report_shows(const struct lh_report *rep, size_t i)
{
	return rep->show == NULL || rep->show[i];
}

static int
timed(const struct lh_match *m)
{
	return m->ts != LH_TS_NONE && !(m->ts_flags & LH_TS_BOOT);
}

/* ---- crash loops ---------------------------------------------------------- */

/* 1 when p (n bytes) holds "segfault at ". */
static int
has_segfault(const char *p, size_t n)
{
	return lh_memfind(p, n, "segfault at ", 12, 0) != NULL;
}

static char segfault_word[] = "segfault";
char *lh_triage_segfault_words[] = { segfault_word, NULL };

int
lh_triage_segfault(void *arg, const struct lh_event *ev)
{
	const struct lh_field *f = lh_event_get(ev, LH_F_MESSAGE);
	struct lh_segv sv;

	(void)arg;
	if (f == NULL || !has_segfault(f->val, f->len))
		return 0;
	return lh_kmsg_segfault(f->val, f->len, &sv) == LH_OK;
}

struct crash {
	const char *host;	/* "" when none */
	char comm[64];
	uint64_t addr;
	size_t idx;		/* position in the crash timeline */
};

static int
cmp_crash(const void *pa, const void *pb)
{
	const struct crash *a = pa, *b = pb;
	int c;

	if ((c = strcmp(a->host, b->host)) != 0)
		return c;
	if ((c = strcmp(a->comm, b->comm)) != 0)
		return c;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static int
cmp_u64(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;

	return a < b ? -1 : a > b;
}

static int
cmp_loop(const void *pa, const void *pb)
{
	const struct lh_loop *a = pa, *b = pb;

	return a->order < b->order ? -1 : a->order > b->order;
}

/* Fills loop from the run c[0..n) of one host and command. */
static int
make_loop(struct lh_loop *loop, const struct lh_timeline *crashes,
    const struct crash *c, size_t n)
{
	uint64_t *a = malloc(n * sizeof(*a));
	size_t i, k = 0;

	if (a == NULL)
		return LH_FATAL;
	memset(loop, 0, sizeof(*loop));
	loop->host = c[0].host;
	memcpy(loop->comm, c[0].comm, sizeof(loop->comm));
	loop->count = n;
	for (i = 0; i < n; i++)
		a[i] = c[i].addr;
	qsort(a, n, sizeof(*a), cmp_u64);
	for (i = 0; i < n; i++) {
		if (i > 0 && a[i] == a[i - 1])
			continue;
		if (k < LH_LOOP_ADDRS)
			loop->addr[k++] = a[i];
		loop->ndistinct++;
	}
	loop->naddr = k;
	loop->order = c[0].idx;
	loop->first = lh_timeline_get(crashes, c[0].idx);
	loop->last = lh_timeline_get(crashes, c[n - 1].idx);
	if (loop->host[0] == '\0')
		loop->host = NULL;
	free(a);
	return LH_OK;
}

/* The crashes of the timeline, decoded, sorted by host, command, time. */
static struct crash *
decode_all(const struct lh_timeline *crashes, size_t *np)
{
	size_t i, n = 0, nt = lh_timeline_count(crashes);
	struct crash *c = calloc(nt + 1, sizeof(*c));
	struct lh_segv sv;

	if (c == NULL)
		return NULL;
	for (i = 0; i < nt; i++) {
		const struct lh_match *m = lh_timeline_get(crashes, i);

		if (m->message == NULL || lh_kmsg_segfault(m->message,
		    m->message_len, &sv) != LH_OK)
			continue;
		c[n].host = m->host != NULL ? m->host : "";
		memcpy(c[n].comm, sv.comm, sizeof(c[n].comm));
		c[n].addr = sv.addr;
		c[n++].idx = i;
	}
	qsort(c, n, sizeof(*c), cmp_crash);
	*np = n;
	return c;
}

static int
find_loops(struct lh_report *rep, const struct lh_timeline *crashes,
    struct crash *c, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && strcmp(c[j].host, c[i].host) == 0 &&
		    strcmp(c[j].comm, c[i].comm) == 0; j++)
			;
		if (j - i >= LH_LOOP_MIN && make_loop(&rep->loops[rep->nloops++],
		    crashes, c + i, j - i) != LH_OK)
			return LH_FATAL;
	}
	qsort(rep->loops, rep->nloops, sizeof(*rep->loops), cmp_loop);
	return LH_OK;
}

/* Points each segfault alert at the loop of its host and command. */
static void
mark_alerts(struct lh_report *rep)
{
	size_t i, k;
	struct lh_segv sv;

	for (i = 0; i < lh_timeline_count(rep->tl); i++) {
		const struct lh_match *m = lh_timeline_get(rep->tl, i);
		const char *h = m->host != NULL ? m->host : "";

		rep->loop_of[i] = -1;
		if (rep->nloops == 0)	/* (the usual case: no loop) */
			continue;
		if (m->message == NULL || lh_kmsg_segfault(m->message,
		    m->message_len, &sv) != LH_OK)
			continue;
		for (k = 0; k < rep->nloops; k++) {
			const char *lh = rep->loops[k].host;

			if (strcmp(lh != NULL ? lh : "", h) == 0 &&
			    strcmp(rep->loops[k].comm, sv.comm) == 0) {
				rep->loop_of[i] = (int)k;
				break;
			}
		}
	}
}

int
lh_triage_loops(struct lh_report *rep, const struct lh_timeline *crashes)
{
	struct crash *c;
	size_t n;
	int rc;

	if ((c = decode_all(crashes, &n)) == NULL)
		return LH_FATAL;
	rep->loops = calloc(n / LH_LOOP_MIN + 1, sizeof(*rep->loops));
	rep->loop_of = calloc(lh_timeline_count(rep->tl) + 1, sizeof(int));
	if (rep->loops == NULL || rep->loop_of == NULL) {
		free(rep->loops);
		free(rep->loop_of);
		rep->loops = NULL;
		rep->loop_of = NULL;
		free(c);
		return LH_FATAL;
	}
	rc = find_loops(rep, crashes, c, n);
	if (rc == LH_OK) {
		mark_alerts(rep);
	} else {
		rep->nloops = 0;	/* the last one may be half made */
		free(rep->loop_of);
		rep->loop_of = NULL;
	}
	free(c);
	return rc;
}

/* ---- context -------------------------------------------------------------- */

/* The windows of the printed alerts, by host (core/gate.h). */
struct lh_windows {
	struct lh_gate *g;
};

struct lh_windows *
lh_windows_create(const struct lh_report *rep, size_t *np)
{
	struct lh_windows *ws = calloc(1, sizeof(*ws));
	size_t i, n = 0, nt = lh_timeline_count(rep->tl);
	const char **host = calloc(nt + 1, sizeof(*host));
	int64_t *lo = calloc(nt + 1, sizeof(*lo));
	int64_t *hi = calloc(nt + 1, sizeof(*hi));

	*np = 0;
	for (i = 0; host != NULL && lo != NULL && hi != NULL && i < nt &&
	    rep->context > 0; i++) {
		const struct lh_match *m = lh_timeline_get(rep->tl, i);

		if (!lh_report_shows(rep, i) || m->host == NULL || !timed(m))
			continue;
		host[n] = m->host;
		lo[n] = m->ts - rep->context;
		hi[n++] = m->ts + m->ts_prec - 1 + rep->context;
	}
	if (ws != NULL && host != NULL && lo != NULL && hi != NULL)
		ws->g = lh_gate_create_hosts(host, lo, hi, n);
	free(host);
	free(lo);
	free(hi);
	if (ws == NULL || ws->g == NULL) {
		free(ws);
		return NULL;
	}
	*np = n;
	return ws;
}

void
lh_windows_free(struct lh_windows *ws)
{
	if (ws == NULL)
		return;
	lh_gate_free(ws->g);
	free(ws);
}

int
lh_windows_select(void *arg, const struct lh_event *ev)
{
	const struct lh_windows *ws = arg;
	const struct lh_field *f;

	if (ev->ts == LH_TS_NONE || (ev->ts_flags & LH_TS_BOOT))
		return 0;
	if ((f = lh_event_get(ev, LH_F_HOSTNAME)) == NULL &&
	    (f = lh_event_get(ev, LH_F_HOSTNAME_ALT)) == NULL)
		return 0;
	return lh_gate_admits_host(ws->g, f->val, f->len, ev->ts);
}

void
lh_windows_pass(struct lh_scan_config *sc, struct lh_windows *ws,
    const struct lh_timeindex *ix, struct lh_replay *rp)
{
	sc->select = lh_windows_select;
	sc->select_arg = ws;
	sc->popts.gate = sc->no_prefilter ? NULL : ws->g;
	sc->timemap_in = ix;
	sc->replay = rp;
	sc->no_prefilter = 1;
}

/* 1 when a and b share a source (path and line): the same record. */
static int
same_record(const struct lh_match *a, const struct lh_match *b)
{
	size_t i, k;

	for (i = 0; i < a->nsrc; i++)
		for (k = 0; k < b->nsrc; k++)
			if (a->src[i].line == b->src[k].line &&
			    strcmp(a->src[i].path, b->src[k].path) == 0)
				return 1;
	return 0;
}

struct cand {
	uint64_t dist;
	size_t idx;
};

static int
cmp_cand(const void *pa, const void *pb)
{
	const struct cand *a = pa, *b = pb;

	if (a->dist != b->dist)
		return a->dist < b->dist ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static int
cmp_idx(const void *pa, const void *pb)
{
	const struct cand *a = pa, *b = pb;

	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* The first event of ctx that is untimed or at or after t. */
static size_t
lower_bound(const struct lh_timeline *ctx, int64_t t)
{
	size_t lo = 0, hi = lh_timeline_count(ctx), mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		const struct lh_match *m = lh_timeline_get(ctx, mid);

		if (timed(m) && m->ts < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The context of alert a: candidates, then the nearest LH_CONTEXT_MAX. */
static int
one_context(struct lh_ctx *out, const struct lh_match *a,
    const struct lh_timeline *ctx, int64_t w)
{
	struct cand *c = NULL, *p;
	size_t i, n = 0, cap = 0, nt = lh_timeline_count(ctx);

	for (i = lower_bound(ctx, a->ts - w); i < nt; i++) {
		const struct lh_match *m = lh_timeline_get(ctx, i);

		if (!timed(m) || m->ts > a->ts + a->ts_prec - 1 + w)
			break;
		if (m->host == NULL || strcmp(m->host, a->host) != 0 ||
		    same_record(m, a))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((p = realloc(c, cap * sizeof(*c))) == NULL) {
				free(c);
				return LH_FATAL;
			}
			c = p;
		}
		c[n].dist = (uint64_t)(m->ts > a->ts ? m->ts - a->ts :
		    a->ts - m->ts);
		c[n++].idx = i;
	}
	out->total = n;
	if (n > LH_CONTEXT_MAX) {
		qsort(c, n, sizeof(*c), cmp_cand);
		n = LH_CONTEXT_MAX;
		qsort(c, n, sizeof(*c), cmp_idx);
	}
	if (n > 0 && (out->ev = calloc(n, sizeof(*out->ev))) == NULL) {
		free(c);
		return LH_FATAL;
	}
	for (i = 0; i < n; i++)
		out->ev[i] = lh_timeline_get(ctx, c[i].idx);
	out->n = n;
	free(c);
	return LH_OK;
}

int
lh_triage_context(struct lh_report *rep, const struct lh_timeline *ctx)
{
	size_t i, nt = lh_timeline_count(rep->tl);

	if ((rep->ctx = calloc(nt + 1, sizeof(*rep->ctx))) == NULL)
		return LH_FATAL;
	for (i = 0; i < nt && ctx != NULL; i++) {
		const struct lh_match *a = lh_timeline_get(rep->tl, i);

		if (!lh_report_shows(rep, i) || a->host == NULL || !timed(a))
			continue;
		if (one_context(&rep->ctx[i], a, ctx, rep->context) != LH_OK)
			return LH_FATAL;
	}
	return LH_OK;
}
