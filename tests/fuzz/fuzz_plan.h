/*
 * fuzz_plan.h: the triage context pass against the full parse, for the
 * libFuzzer targets of the formats that map their sources for it
 * (core/timemap.h: syslog, JSON, journal export).
 *
 * DESIGN
 * The input (the bytes after the control byte) is repeated, a newline
 * between copies when it lacks one, until it spans more than two chunks
 * of the time map, so that the map is kept.  That text is read once
 * without a map (the events), once with one (the same events must come),
 * the map is indexed, and for two gates -- a second around every third
 * timed event for that event's host, and the exact times of every other
 * timed event for any host -- it is read again as the context pass reads
 * it: only the ranges the index plans, under the gate.  The events of
 * such a pass must be those of the full parse, in order, less some that
 * the gate does not admit (core/gate.h) or that have no time (the context
 * holds none: cli/triage.c); abort() otherwise, so that
 * libFuzzer keeps the input.  Out of memory ends the check quietly.
 */
#ifndef LH_FUZZ_PLAN_H
#define LH_FUZZ_PLAN_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/event.h"
#include "core/format.h"
#include "core/gate.h"
#include "core/lines.h"
#include "core/status.h"
#include "core/stream.h"
#include "core/time.h"
#include "core/timemap.h"

#include "tests/evrun.h"
#include "tests/memstream.h"

/*
 * fmt over the n bytes at p: reading only the nr ranges r when r is not
 * NULL, telling tm of the lines when tm is not NULL.  0, or -1 when the
 * read ended in an error (then nothing is checked).
 */
static int
fz_read(const struct lh_format *fmt, const char *p, size_t n,
    const struct lh_parse_opts *o, const struct lh_range *r, size_t nr,
    struct lh_timemap *tm, struct run *run)
{
	struct lh_test_mem m;
	struct lh_stream st;
	struct lh_source src;
	struct lh_err err;
	void *state = NULL;
	int rc = LH_FATAL;

	memset(run, 0, sizeof(*run));
	if (run_mem_source(&src, &st, &m, p, n, r, nr, tm) != LH_OK)
		return -1;
	lh_err_clear(&err);
	if (fmt->open(&state, &src, o, &err) == LH_OK) {
		rc = run_events(fmt, state, run, &err);
		fmt->close(state);
	}
	lh_lines_free(src.lines);
	return rc == LH_EOF ? 0 : -1;
}

/* The events of g are those of u in order, less some g may not admit. */
static void
fz_compare(const struct run *u, const struct run *c,
    const struct lh_gate *g)
{
	size_t i, j = 0;

	for (i = 0; i < u->n; i++) {
		if (j < c->n && rec_same(&u->r[i], &c->r[j])) {
			j++;
			continue;
		}
		if (u->r[i].ts != LH_TS_NONE && !(u->r[i].flags & LH_TS_BOOT) &&
		    lh_gate_admits_host(g, u->r[i].host, u->r[i].hlen,
		    u->r[i].ts))
			abort();	/* an admitted event went missing */
	}
	if (j != c->n)
		abort();		/* an event the parse has not */
}

/* Gate 0: a second around every third timed event, for its host; 1: the
 * exact times of every other timed event.  NULL when out of memory. */
static struct lh_gate *
fz_gate(const struct run *u, int kind)
{
	const char **host = calloc(u->n + 1, sizeof(*host));
	int64_t *lo = calloc(u->n + 1, sizeof(*lo));
	int64_t *hi = calloc(u->n + 1, sizeof(*hi));
	struct lh_gate *g = NULL;
	size_t i, k = 0, c = 0;

	if (host == NULL || lo == NULL || hi == NULL)
		goto out;
	for (i = 0; i < u->n; i++) {
		if (u->r[i].ts == LH_TS_NONE || (u->r[i].flags & LH_TS_BOOT) ||
		    c++ % (kind == 0 ? 3 : 2) != 0)
			continue;
		host[k] = u->r[i].host != NULL ? u->r[i].host : "-";
		lo[k] = u->r[i].ts - (kind == 0 ? LH_US : 0);
		hi[k++] = u->r[i].ts + (kind == 0 ? LH_US : 0);
	}
	g = kind == 0 ? lh_gate_create_hosts(host, lo, hi, k) :
	    lh_gate_create(lo, hi, k);
out:
	free(host);
	free(lo);
	free(hi);
	return g;
}

/* The planned, gated reads of p[0..n) against u (see the top). */
static void
fz_plans(const struct lh_format *fmt, const char *p, size_t n,
    struct lh_parse_opts *o, const struct run *u,
    const struct lh_timeindex *ix)
{
	struct lh_range *r;
	struct lh_gate *g;
	struct run c;
	size_t nr;
	int kind, in;

	for (kind = 0; kind < 2; kind++) {
		if ((g = fz_gate(u, kind)) == NULL)
			return;
		in = lh_timeindex_plan(ix, "mem", g, &r, &nr);
		o->gate = g;
		memset(&c, 0, sizeof(c));
		if (in == 1 && (nr == 0 ||
		    fz_read(fmt, p, n, o, r, nr, NULL, &c) == 0))
			fz_compare(u, &c, g);
		o->gate = NULL;
		run_free(&c);
		if (in == 1)
			free(r);
		lh_gate_free(g);
	}
}

/*
 * The check of the top for fmt over data (its first byte the control
 * byte of fuzz_mem.h: bit 16 forces the year 2025, as there).
 */
static void
fuzz_planned(const struct lh_format *fmt, const uint8_t *data, size_t size)
{
	struct lh_timeindex *ix = NULL;
	struct lh_timemap *tm;
	struct lh_parse_opts o;
	struct run u, m;
	struct lh_tz tz;
	size_t body = size - 1, n = 0, n_, want = 2 * LH_TIMEMAP_CHUNK + 1;
	char *p;

	if (size < 2 || (p = malloc(want + body + 1)) == NULL)
		return;
	while (n < want) {
		memcpy(p + n, data + 1, body);
		n += body;
		if (data[size - 1] != '\n')
			p[n++] = '\n';
	}
	memset(&o, 0, sizeof(o));
	lh_tz_utc(&tz);
	o.tz = &tz;
	o.year = (data[0] & 16) ? 2025 : 0;
	memset(&m, 0, sizeof(m));
	if (fz_read(fmt, p, n, &o, NULL, 0, NULL, &u) != 0 ||
	    (tm = lh_timemap_create()) == NULL)
		goto out;
	if (fz_read(fmt, p, n, &o, NULL, 0, tm, &m) != 0) {
		lh_timemap_free(tm);
		goto out;
	}
	for (n_ = 0; n_ < u.n || n_ < m.n; n_++)
		if (n_ >= u.n || n_ >= m.n || !rec_same(&u.r[n_], &m.r[n_]))
			abort();	/* the map changed the events */
	if ((ix = lh_timeindex_create()) == NULL) {
		lh_timemap_free(tm);
		goto out;
	}
	if (lh_timeindex_put(ix, "mem", tm) == LH_OK) {
		lh_timeindex_seal(ix);
		fz_plans(fmt, p, n, &o, &u, ix);
	}
out:
	lh_timeindex_free(ix);
	run_free(&m);
	run_free(&u);
	free(p);
}

#endif
