/*
 * evrun.h: what the tests of the context pass keep of a format's events
 * (the unit fixture tests/unit/gate_fixture.h and the fuzz check
 * tests/fuzz/fuzz_plan.h): line, time, precision, flags, number of fields
 * and host.hostname (else host.name), the host the context pass reads
 * (cli/triage.c).  No test framework: a failed allocation sets run->oom
 * and the caller decides.  Header-only: include it once per program file.
 */
#ifndef LH_TEST_EVRUN_H
#define LH_TEST_EVRUN_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/event.h"

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

#endif
