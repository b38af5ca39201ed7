/*
 * evrun.h: what the tests of the context pass keep of a format's events
 * (the unit fixture tests/unit/gate_fixture.h and the fuzz check
 * tests/fuzz/fuzz_plan.h): line, time, precision, flags, number of fields
 * and host.hostname (else host.name), the host the context pass reads
 * (cli/triage.c); and the source in memory they read them from.  No test
 * framework: a failure is returned (or sets run->oom) and the caller
 * decides.  Header-only: include it once per program file.
 */
#ifndef LH_TEST_EVRUN_H
#define LH_TEST_EVRUN_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/event.h"
#include "core/format.h"
#include "core/lines.h"
#include "core/status.h"
#include "core/time.h"
#include "core/timemap.h"

#include "tests/memstream.h"

/* What the tests keep of an event. */
struct rec {
	uint64_t line;
	int64_t ts, prec;
	int flags;
	size_t nfield;
	char *host;		/* NUL-terminated copy (owned), or NULL */
	size_t hlen;
};

/* The events of a read, in order. */
struct run {
	struct rec *r;
	size_t n, cap;
	uint64_t gated;		/* the source's records the gate skipped */
	int oom;		/* an event could not be kept */
};

static inline void
run_free(struct run *run)
{
	size_t i;

	for (i = 0; i < run->n; i++)
		free(run->r[i].host);
	free(run->r);
	memset(run, 0, sizeof(*run));
}

/* Appends what is kept of ev to run (sets run->oom when out of memory). */
static inline void
run_keep(struct run *run, const struct lh_event *ev)
{
	const struct lh_field *f;
	struct rec *x, *r;

	if (run->n == run->cap) {
		run->cap = run->cap ? run->cap * 2 : 64;
		if ((x = realloc(run->r, run->cap * sizeof(*x))) == NULL) {
			run->oom = 1;
			return;
		}
		run->r = x;
	}
	r = &run->r[run->n];
	memset(r, 0, sizeof(*r));
	r->line = ev->line;
	r->ts = ev->ts;
	r->prec = ev->ts_prec;
	r->flags = ev->ts_flags;
	r->nfield = ev->nfield;
	if ((f = lh_event_get(ev, LH_F_HOSTNAME)) != NULL ||
	    (f = lh_event_get(ev, LH_F_HOSTNAME_ALT)) != NULL) {
		if ((r->host = malloc(f->len + 1)) == NULL) {
			run->oom = 1;
			return;
		}
		memcpy(r->host, f->val, f->len);
		r->host[f->len] = '\0';
		r->hlen = f->len;
	}
	run->n++;
}

/* Whether a and b are the same event as kept. */
static inline int
rec_same(const struct rec *a, const struct rec *b)
{
	return a->line == b->line && a->ts == b->ts && a->prec == b->prec &&
	    a->flags == b->flags && a->nfield == b->nfield &&
	    (a->host == NULL) == (b->host == NULL) && a->hlen == b->hlen &&
	    (a->host == NULL || memcmp(a->host, b->host, a->hlen) == 0);
}

/*
 * Sets src up to read the n bytes at p (borrowed) through *st and *m (the
 * caller's: they must outlive src) at most 4093 bytes at a time, as the
 * file "mem" of 2026-01-05, its lines planned on the nr ranges r when r is
 * not NULL (lh_lines_plan) and told to tm when tm is not NULL.  LH_OK, or
 * LH_FATAL (no line reader).  The caller frees src->lines.
 */
static inline int
run_mem_source(struct lh_source *src, struct lh_stream *st,
    struct lh_test_mem *m, const char *p, size_t n, const struct lh_range *r,
    size_t nr, struct lh_timemap *tm)
{
	memset(m, 0, sizeof(*m));
	m->p = p;
	m->n = n;
	m->chunk = 4093;
	memset(st, 0, sizeof(*st));
	st->ops = &lh_test_mem_ops;
	st->state = m;
	memset(src, 0, sizeof(*src));
	src->path = "mem";
	src->mtime = INT64_C(1767571200) * LH_US;	/* 2026-01-05 */
	src->timemap = tm;
	if ((src->lines = lh_lines_create(st, "mem")) == NULL)
		return LH_FATAL;
	if (r != NULL)
		lh_lines_plan(src->lines, r, nr);
	return LH_OK;
}

/*
 * Every event of fmt's open state into run (emptied first), until the
 * source ends: LH_EOF or LH_FAIL, as it ended; LH_FATAL with err filled,
 * or with run->oom set.
 */
static inline int
run_events(const struct lh_format *fmt, void *state, struct run *run,
    struct lh_err *err)
{
	struct lh_event ev;
	int rc;

	memset(run, 0, sizeof(*run));
	lh_event_init(&ev);
	do {
		lh_err_clear(err);
		if ((rc = fmt->next(state, &ev, err)) == LH_OK)
			run_keep(run, &ev);
	} while (!run->oom && (rc == LH_OK || rc == LH_WARN));
	lh_event_free(&ev);
	return run->oom ? LH_FATAL : rc;
}

#endif
