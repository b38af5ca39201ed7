/*
 * gate_fixture.h: what the unit tests of the gate and the time map in the
 * JSON and journal formats share (gate_formats_test.c, rawhost_test.c):
 * the events of a format over bytes in memory, the raw time and host of
 * a JSON document against its full parse, gates made for a run's events,
 * and the check that a gated run returns the admitted events.
 * Header-only: include it once per test file.
 */
#ifndef LH_GATE_FIXTURE_H
#define LH_GATE_FIXTURE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <json-c/json.h>

#include "core/buf.h"
#include "core/event.h"
#include "core/format.h"
#include "core/gate.h"
#include "core/lines.h"
#include "core/status.h"
#include "core/stream.h"
#include "core/time.h"
#include "core/timemap.h"
#include "formats/json_int.h"

#include "tests/evrun.h"
#include "tests/memstream.h"

extern const struct lh_format lh_format_json;
extern const struct lh_format lh_format_journal_export;
extern const struct lh_format lh_format_journal_file;

#define SAMPLES "testdata/samples/"

static struct lh_tz utc, plus2;

/* Options: 0 UTC, 1 a fixed +02:00 and a forced year. */
static inline void
options(struct lh_parse_opts *o, int variant, const struct lh_gate *gate)
{
	struct lh_err err;

	memset(o, 0, sizeof(*o));
	lh_tz_utc(&utc);
	cr_assert_eq(lh_tz_parse("+02:00", &plus2, &err), LH_OK);
	o->tz = variant ? &plus2 : &utc;
	o->year = variant ? 2024 : 0;
	o->gate = gate;
}

/* Every event of fmt over src (its lines or fd set), kept in run. */
static inline void
drain(const struct lh_format *fmt, struct lh_source *src,
    const struct lh_parse_opts *o, struct run *run)
{
	struct lh_err err;
	void *state = NULL;
	int rc;

	memset(run, 0, sizeof(*run));
	lh_err_clear(&err);
	rc = fmt->open(&state, src, o, &err);
	cr_assert_eq(rc, LH_OK, "%s: %s", src->path, err.msg);
	rc = run_events(fmt, state, run, &err);
	cr_assert(!run->oom, "out of memory");
	cr_assert_neq(rc, LH_FATAL, "%s", err.msg);
	fmt->close(state);
	run->gated = src->gated;
}

/*
 * fmt over the n bytes at p, reading only the nr ranges r when r is not
 * NULL (lh_lines_plan), telling tm of its lines when tm is not NULL.
 */
static inline void
run_mem_plan(const struct lh_format *fmt, const char *p, size_t n,
    const struct lh_parse_opts *o, const struct lh_range *r, size_t nr,
    struct lh_timemap *tm, struct run *run)
{
	struct lh_test_mem m;
	struct lh_stream st;
	struct lh_source src;

	cr_assert_eq(run_mem_source(&src, &st, &m, p, n, r, nr, tm), LH_OK);
	drain(fmt, &src, o, run);
	lh_lines_free(src.lines);
}

/* fmt over the n bytes at p. */
static inline void
run_mem(const struct lh_format *fmt, const char *p, size_t n,
    const struct lh_parse_opts *o, struct run *run)
{
	run_mem_plan(fmt, p, n, o, NULL, 0, NULL, run);
}

/* The whole file at path (owned, NUL-terminated). */
static inline char *
slurp(const char *path, size_t *n)
{
	char *p = lh_test_slurp(path, n);

	cr_assert_not_null(p, "cannot read %s", path);
	return p;
}

/* ---- the raw time against the full parse, document by document ------- */

struct tally {
	size_t docs, known;
};

/*
 * The line p[0..n) as a document, read by the scanner r (which may have
 * read others before): when json_gate.c claims a time, the full parse must
 * return one event with exactly that time, and when json_gate_host.c then
 * claims a host, the event's host.hostname (else host.name) must be that
 * one, byte for byte.  Returns whether a time was claimed; *host (owned,
 * or NULL when none was claimed) and *hlen the host claimed, when host is
 * not NULL.
 */
static inline int
check_line_host(struct lh_json_rawtime *r, const char *p, size_t n,
    int variant, struct tally *t, char **host, size_t *hlen)
{
	const char *h = NULL;
	char *hc = NULL;
	size_t hl = 0;
	struct lh_parse_opts o;
	struct lh_source src;
	struct lh_json_doc d;
	struct run run;
	int64_t ts = 0, prec = 0;
	int flags = 0, known;

	options(&o, variant, NULL);
	memset(&src, 0, sizeof(src));
	src.path = "mem";
	src.mtime = INT64_C(1767571200) * LH_US;
	memset(&d, 0, sizeof(d));
	d.src = &src;
	d.opts = &o;
	known = lh_json_rawtime(r, &d, p, n, &ts, &prec, &flags);
	if (known && lh_json_rawhost(r, &h, &hl)) {
		cr_assert_not_null(hc = malloc(hl + 1));
		memcpy(hc, h, hl);
		hc[hl] = '\0';
	}
	run_mem(&lh_format_json, p, n, &o, &run);
	if (hc != NULL) {
		cr_assert_eq(run.n, 1, "%.*s", (int)n, p);
		cr_assert_not_null(run.r[0].host, "%.*s: host %s, parse none",
		    (int)n, p, hc);
		cr_assert(run.r[0].hlen == hl && memcmp(run.r[0].host, hc,
		    hl) == 0, "%.*s: host %s, parse %.*s", (int)n, p, hc,
		    (int)run.r[0].hlen, run.r[0].host);
	}
	if (host != NULL) {
		*host = hc;
		*hlen = hl;
	} else
		free(hc);
	if (known) {
		cr_assert_eq(run.n, 1, "%.*s", (int)n, p);
		cr_assert_eq(run.r[0].ts, ts, "%.*s: %lld, parse %lld",
		    (int)n, p, (long long)ts, (long long)run.r[0].ts);
		cr_assert_eq(run.r[0].prec, prec, "%.*s", (int)n, p);
		cr_assert_eq(run.r[0].flags, flags, "%.*s", (int)n, p);
		cr_assert_neq(ts, LH_TS_NONE);
	}
	if (t != NULL) {
		t->docs++;
		t->known += known != 0;
	}
	run_free(&run);
	return known;
}

/* check_line_host without the host. */
static inline int
check_line_with(struct lh_json_rawtime *r, const char *p, size_t n,
    int variant, struct tally *t)
{
	return check_line_host(r, p, n, variant, t, NULL, NULL);
}

/* ---- end to end: the gated events are the admitted ones ----------------- */

/*
 * The events of the gated run g are those of the ungated run u in order,
 * less some whose time the gate does not admit (for their host), as many
 * as g counted when counted is set (a run that read only the planned
 * parts of its source counts only what it read).  Returns that number.
 */
static inline uint64_t
compare_runs_counted(const struct run *u, const struct run *g,
    const struct lh_gate *gate, const char *what, int counted)
{
	uint64_t missing = 0;
	size_t i, j = 0;

	for (i = 0; i < u->n; i++) {
		if (j < g->n && rec_same(&u->r[i], &g->r[j])) {
			j++;
			continue;
		}
		cr_assert(u->r[i].ts != LH_TS_NONE &&
		    !(u->r[i].flags & LH_TS_BOOT) &&
		    !lh_gate_admits_host(gate, u->r[i].host, u->r[i].hlen,
		    u->r[i].ts),
		    "%s: event at line %llu (%lld) was skipped", what,
		    (unsigned long long)u->r[i].line, (long long)u->r[i].ts);
		missing++;
	}
	cr_assert_eq(j, g->n, "%s: gated events that the parse has not",
	    what);
	cr_assert(!counted || missing == g->gated, "%s: %llu skipped, %llu "
	    "counted", what, (unsigned long long)missing,
	    (unsigned long long)g->gated);
	return missing;
}

/* compare_runs_counted, counted. */
static inline uint64_t
compare_runs(const struct run *u, const struct run *g,
    const struct lh_gate *gate, const char *what)
{
	return compare_runs_counted(u, g, gate, what, 1);
}

static inline int
cmp_ts(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * A gate of hosts for the events of u: a second around every third timed
 * event for its host (or a host no event has, when it has none), and the
 * exact time of the next one for a host no event has.
 */
static inline struct lh_gate *
gate_hosts_for(const struct run *u)
{
	const char **host;
	int64_t *lo, *hi;
	struct lh_gate *g;
	size_t i, c = 0, k = 0;

	cr_assert_not_null(host = calloc(u->n + 1, sizeof(*host)));
	cr_assert_not_null(lo = calloc(u->n + 1, sizeof(*lo)));
	cr_assert_not_null(hi = calloc(u->n + 1, sizeof(*hi)));
	for (i = 0; i < u->n; i++) {
		if (u->r[i].ts == LH_TS_NONE || (u->r[i].flags & LH_TS_BOOT))
			continue;
		if (c % 3 == 0) {
			host[k] = u->r[i].host != NULL ? u->r[i].host : "-";
			lo[k] = u->r[i].ts - LH_US;
			hi[k++] = u->r[i].ts + LH_US;
		} else if (c % 3 == 1) {
			host[k] = "elsewhere";
			lo[k] = hi[k] = u->r[i].ts;
			k++;
		}
		c++;
	}
	cr_assert_not_null(g = lh_gate_create_hosts(host, lo, hi, k));
	free(host);
	free(lo);
	free(hi);
	return g;
}

/*
 * Gates for the events of u: 0 none, 1 everything, 2 a second around
 * every seventh time and the fifth tenth of them, 3 only the exact times
 * of every other event, 4 gate_hosts_for.  NULL when u has no time.
 */
static inline struct lh_gate *
gate_for(const struct run *u, int kind)
{
	if (kind == 4)
		return gate_hosts_for(u);

	int64_t *t, *lo, *hi;
	struct lh_gate *g;
	size_t i, n = 0, k = 0;

	cr_assert_not_null(t = calloc(u->n + 1, sizeof(*t)));
	cr_assert_not_null(lo = calloc(u->n + 2, sizeof(*lo)));
	cr_assert_not_null(hi = calloc(u->n + 2, sizeof(*hi)));
	for (i = 0; i < u->n; i++)
		if (u->r[i].ts != LH_TS_NONE && !(u->r[i].flags & LH_TS_BOOT))
			t[n++] = u->r[i].ts;
	qsort(t, n, sizeof(*t), cmp_ts);
	if (kind == 1) {
		lo[k] = INT64_MIN;
		hi[k++] = INT64_MAX;
	}
	for (i = 0; kind >= 2 && i < n; i += kind == 2 ? 7 : 2) {
		lo[k] = t[i] - (kind == 2 ? LH_US : 0);
		hi[k++] = t[i] + (kind == 2 ? LH_US : 0);
	}
	if (kind == 2 && n > 0) {
		lo[k] = t[n * 4 / 10];
		hi[k++] = t[n / 2];
	}
	cr_assert_not_null(g = lh_gate_create(lo, hi, k));
	free(t);
	free(lo);
	free(hi);
	return g;
}

/* fmt over p[0..n) under every gate of gate_for; the most skipped. */
static inline uint64_t
check_gated(const struct lh_format *fmt, const char *p, size_t n,
    const char *what)
{
	struct lh_parse_opts o;
	struct lh_gate *g;
	struct run u, r;
	uint64_t most = 0, k;
	int kind;

	options(&o, 0, NULL);
	run_mem(fmt, p, n, &o, &u);
	for (kind = 0; kind < 5; kind++) {
		g = gate_for(&u, kind);
		options(&o, 0, g);
		run_mem(fmt, p, n, &o, &r);
		k = compare_runs(&u, &r, g, what);
		if (kind == 1)
			cr_assert_eq(k, 0, "%s: the whole time skipped", what);
		most = k > most ? k : most;
		run_free(&r);
		lh_gate_free(g);
	}
	run_free(&u);
	return most;
}


/* Parts of crafted documents. */
#define FB_HEAD "\"@metadata\":{\"beat\":\"filebeat\"}," INPUT_LOG
#define INPUT_LOG "\"input\":{\"type\":\"log\"}"
#define FB_TS "\"@timestamp\":\"2025-12-22T00:00:04.458Z\""
#define FB_MSG "\"message\":\"Dec 22 00:00:04 web02 sshd[5962]: Failed x\""
#define FB FB_HEAD "," FB_TS
#define J_RT "\"__REALTIME_TIMESTAMP\""
#define J_SRT "\"_SOURCE_REALTIME_TIMESTAMP\""

#endif
