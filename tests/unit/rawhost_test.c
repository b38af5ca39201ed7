/*
 * rawhost_test.c: the host of a record as the time map and the gate read
 * it from the raw bytes, against the full parse: JSON documents
 * (json_gate_host.c) crafted to every kind, name and oddity; formats
 * opened with gates of hosts return exactly the admitted events; and a
 * context pass that reads only the planned parts of a source (the time
 * map of its first pass, core/timemap.h) returns exactly the admitted
 * events, with their line numbers, for JSON and journal export sources of
 * several hosts and many chunks, binary export fields among them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "tests/unit/gate_fixture.h"

/* ---- the raw host against the full parse ------------------------------ */

#define E_TS "\"@timestamp\":\"2025-12-22T00:00:39.482Z\""
#define J_HEAD "{" J_RT ":\"1703203200000000\",\"MESSAGE\":\"x\""

/*
 * Documents and the host json_gate_host.c must claim for them ("" a host
 * of no bytes), or NULL where it must claim none; check_line_host compares
 * every claim with the full parse.
 */
static const struct {
	const char *host;
	const char *doc;
} crafted_hosts[] = {
	/* ECS documents: nested, dotted, both, and in what order */
	{ "a", "{" E_TS ",\"host\":{\"hostname\":\"a\"}}" },
	{ "a", "{" E_TS ",\"host.hostname\":\"a\"}" },
	{ "b", "{" E_TS ",\"host\":{\"name\":\"b\"}}" },
	{ "b", "{" E_TS ",\"host.name\":\"b\"}" },
	{ "a", "{" E_TS ",\"host\":{\"name\":\"b\",\"hostname\":\"a\"}}" },
	{ "a", "{\"host.name\":\"b\"," E_TS ",\"host\":{\"hostname\":\"a\"}}" },
	{ "a", "{" E_TS ",\"host\":{\"hostname\":\"a\"},\"host.hostname\":"
	    "\"c\"}" },
	{ "c", "{" E_TS ",\"host.hostname\":\"c\",\"host\":{\"hostname\":"
	    "\"a\"}}" },
	{ "b", "{" E_TS ",\"host\":{\"hostname\":null},\"host.name\":\"b\"}" },
	{ "b", "{" E_TS ",\"host\":{\"hostname\":{\"x\":1},\"name\":\"b\"}}" },
	{ "", "{" E_TS ",\"host\":{\"hostname\":\"\"},\"host.name\":\"b\"}" },
	{ NULL, "{" E_TS ",\"message\":\"x\"}" },
	{ NULL, "{" E_TS ",\"host\":{}}" },
	{ NULL, "{" E_TS ",\"host\":\"a\"}" },
	{ NULL, "{" E_TS ",\"a\":{\"host\":{\"hostname\":\"x\"}}}" },
	{ NULL, "{" E_TS ",\"hostname\":\"x\",\"host\":{\"host\":\"y\"}}" },
	/* what json-c prints, repeats or flattens from arrays: not told */
	{ NULL, "{" E_TS ",\"host\":{\"hostname\":5}}" },
	{ NULL, "{" E_TS ",\"host\":{\"hostname\":-0.50}}" },
	{ NULL, "{" E_TS ",\"host\":{\"hostname\":true}}" },
	{ NULL, "{" E_TS ",\"host\":{\"hostname\":[\"a\",\"b\"]}}" },
	{ NULL, "{" E_TS ",\"host.hostname\":[\"a\"]}" },
	{ NULL, "{" E_TS ",\"host\":[{\"hostname\":\"a\"}]}" },
	{ NULL, "{" E_TS ",\"\":{\"host.hostname\":\"a\"}}" },
	{ NULL, "{" E_TS ",\"\":[{\"host\":{\"name\":\"a\"}}]}" },
	{ NULL, "{" E_TS ",\"host\":{\"hostname\":\"a\",\"hostname\":\"b\"}}" },
	{ NULL, "{" E_TS ",\"host\":{},\"host\":{\"hostname\":\"a\"}}" },
	{ NULL, "{" E_TS ",\"host.name\":\"a\",\"host.name\":\"b\"}" },
	/* odd bytes and escapes */
	{ "h\xc3\xa9t", "{" E_TS ",\"host\":{\"hostname\":\"h\xc3\xa9t\"}}" },
	{ "h\xff\xfe\x7f", "{" E_TS ",\"host\":{\"hostname\":"
	    "\"h\xff\xfe\x7f\"}}" },
	{ "a\"\\/\b\f\n\r\t\xc3\xa9\xe2\x82\xac", "{" E_TS ",\"host.hostname\":"
	    "\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u20ac\"}" },
	{ "a b", "{" E_TS ",\"host\":{\"name\":\"a\\u0020b\"}}" },
	{ NULL, "{" E_TS ",\"host\":{\"name\":\"\\ud83d\\ude00\"}}" },
	/* the _source wrapper: only what it holds */
	{ "b", "{\"_source\":{" E_TS ",\"host\":{\"name\":\"b\"}}}" },
	{ NULL, "{\"_source\":{" E_TS "},\"host\":{\"name\":\"x\"}}" },
	{ "b", "{\"host\":{\"name\":\"x\"},\"_source\":{" E_TS
	    ",\"host.name\":\"b\"}}" },
	/* the journald and syslog inputs: the document's own */
	{ "h", "{\"input\":{\"type\":\"journald\"}," FB_TS ",\"host\":"
	    "{\"hostname\":\"h\"},\"journald\":{\"host\":{\"x\":1}}}" },
	{ "h", "{" INPUT_LOG ",\"fileset\":{\"name\":\"auth\"},\"log\":"
	    "{\"syslog\":{\"appname\":\"sshd\"}}," FB_TS "," FB_MSG
	    ",\"host\":{\"name\":\"h\"}}" },
	/* Filebeat: the grok's host.hostname replaces the document's */
	{ "web02", "{" FB "," FB_MSG ",\"host\":{\"name\":\"fb\"}}" },
	{ "web02", "{" FB "," FB_MSG ",\"host\":{\"hostname\":\"fb\"}}" },
	{ "fb", "{" FB ",\"message\":\"hello, no stamp\",\"host\":"
	    "{\"name\":\"fb\"}}" },
	{ "fb", "{" FB ",\"message\":\"Dec 22 00:00:04 h\\u00e9 a[1]: x\","
	    "\"host\":{\"name\":\"fb\"}}" },
	{ "web", "{" FB ",\"message\":\"Dec 22 00:00:04 w\\u0065b a[1]: x\","
	    "\"host\":{\"name\":\"fb\"}}" },
	{ "web02", "{" FB "," FB_MSG "}" },
	/* journal JSON: _HOSTNAME only */
	{ "app01", J_HEAD ",\"_HOSTNAME\":\"app01\"}" },
	{ "app01", J_HEAD ",\"host.hostname\":\"z\",\"_HOSTNAME\":\"app01\"}" },
	{ "app", J_HEAD ",\"_HOSTNAME\":\"\\u0061pp\"}" },
	{ "", J_HEAD ",\"_HOSTNAME\":\"\"}" },
	{ NULL, J_HEAD ",\"host.hostname\":\"z\",\"host\":{\"name\":\"y\"}}" },
	{ NULL, J_HEAD ",\"_HOSTNAME\":null}" },
	{ NULL, J_HEAD ",\"_HOSTNAME\":{}}" },
	{ NULL, J_HEAD ",\"_HOSTNAME\":5}" },
	{ NULL, J_HEAD ",\"_HOSTNAME\":[\"a\",\"b\"]}" },
	{ NULL, J_HEAD ",\"_HOSTNAME\":[97,98]}" },
	{ NULL, J_HEAD ",\"_HOSTNAME\":\"a\",\"_HOSTNAME\":\"b\"}" },
	{ "w", "{\"_source\":" J_HEAD ",\"_HOSTNAME\":\"w\"}}" },
};

Test(rawhost, matches_parse_on_crafted_documents)
{
	struct lh_json_rawtime *r = lh_json_rawtime_create();
	size_t nc = sizeof(crafted_hosts) / sizeof(crafted_hosts[0]), i, c;
	const char *want, *doc;
	char *host;
	size_t hl;
	int v;

	cr_assert_not_null(r);
	/* a scanner each, then one for all, forwards and backwards */
	for (v = 0; v < 2; v++) {
		for (i = 0; i < 3 * nc; i++) {
			c = i < nc ? i : i < 2 * nc ? i - nc : 3 * nc - 1 - i;
			if (i < nc) {
				lh_json_rawtime_free(r);
				r = lh_json_rawtime_create();
				cr_assert_not_null(r);
			}
			want = crafted_hosts[c].host;
			doc = crafted_hosts[c].doc;
			cr_expect_eq(check_line_host(r, doc, strlen(doc), v,
			    NULL, &host, &hl), 1, "%s", doc);
			if (want == NULL)
				cr_expect_null(host, "%s: %s", doc, host);
			else
				cr_expect(host != NULL && hl == strlen(want) &&
				    memcmp(host, want, hl) == 0, "%s: %s", doc,
				    host != NULL ? host : "(none)");
			free(host);
		}
	}
	lh_json_rawtime_free(r);
}

/*
 * A host after more values than json.c keeps fields of (JSON_MAX_FIELDS)
 * is dropped by the parse: the raw host must not be claimed then.
 */
Test(rawhost, gives_up_on_documents_of_many_fields)
{
	struct lh_json_rawtime *r = lh_json_rawtime_create();
	struct lh_buf b;
	char *host;
	size_t hl, i;

	cr_assert_not_null(r);
	memset(&b, 0, sizeof(b));
	lh_buf_puts(&b, "{" E_TS ",\"a\":[");
	for (i = 0; i < JSON_MAX_FIELDS; i++)
		lh_buf_puts(&b, i > 0 ? ",1" : "1");
	lh_buf_puts(&b, "],\"host\":{\"name\":\"late\"}}");
	cr_assert_eq(lh_buf_status(&b), LH_OK);
	cr_expect_eq(check_line_host(r, b.p, b.len, 0, NULL, &host, &hl), 1);
	cr_expect_null(host);
	free(host);
	lh_buf_free(&b);
	lh_json_rawtime_free(r);
}

Test(rawhost, json_gated_by_host_events_are_the_admitted_ones)
{
	struct lh_buf all;
	size_t i;

	memset(&all, 0, sizeof(all));
	for (i = 0; i < sizeof(crafted_hosts) / sizeof(crafted_hosts[0]); i++) {
		lh_buf_puts(&all, crafted_hosts[i].doc);
		lh_buf_putc(&all, '\n');
	}
	cr_assert_eq(lh_buf_status(&all), LH_OK);
	cr_expect_geq(check_gated(&lh_format_json, all.p, all.len,
	    "crafted hosts"), 10);
	lh_buf_free(&all);
}

Test(rawhost, export_gated_by_host_events_are_the_admitted_ones)
{
	static const char ex[] =
	    "__CURSOR=a\n__REALTIME_TIMESTAMP=1703203200000000\n"
	    "_HOSTNAME=a\nMESSAGE=1\n\n"
	    "__CURSOR=b\n_HOSTNAME=b\n__REALTIME_TIMESTAMP=1703203200000002\n"
	    "MESSAGE=2\n\n"
	    "_HOSTNAME=c\n__REALTIME_TIMESTAMP=1703203200000004\n"
	    "_HOSTNAME=d\nMESSAGE=3\n\n"
	    "__CURSOR=d\n__REALTIME_TIMESTAMP=1703203200000006\n_HOSTNAME\n"
	    "\x01\0\0\0\0\0\0\0b\nMESSAGE=4\n\n"
	    "__CURSOR=e\n__REALTIME_TIMESTAMP=1703203200000008\nMESSAGE=5\n\n"
	    "__CURSOR=f\n__REALTIME_TIMESTAMP=1703203200000010\n_HOSTNAME=\n"
	    "MESSAGE=6\n\n"
	    "__REALTIME_TIMESTAMP=1703203200000012\n_HOSTNAME=a\n\n"
	    "__CURSOR=g\n_HOSTNAME=b\n__REALTIME_TIMESTAMP=1703203200000014\n"
	    "__CURSOR=h\n_HOSTNAME=a\n__REALTIME_TIMESTAMP=1703203200000016\n"
	    "\n";

	cr_expect_geq(check_gated(&lh_format_journal_export, ex,
	    sizeof(ex) - 1, "crafted export hosts"), 3);
}

/* ---- the context pass reads the planned parts only ------------------- */

/*
 * The host of record i of export_entry and json_doc: blocks of 2500
 * ("hA", "hB", "hC" in turn), each longer than a chunk of the map; in the
 * first one, every 50th has none and every 61st is of host hB.
 */
static const char *
host_of(int i)
{
	static const char *const hosts[] = { "hA", "hB", "hC" };

	if (i < 2500 && i % 50 == 0)
		return NULL;
	return hosts[(i / 2500 + (i < 2500 && i % 61 == 0)) % 3];
}

#define T_START 1766361600LL	/* 2025-12-22T00:00:00Z */

/*
 * Entry i of a journal export, second i, of the host of host_of: a
 * binary MESSAGE with newlines in every 9th, stray lines before every
 * 89th and in every 97th, a _SOURCE_REALTIME_TIMESTAMP only in every
 * 101st.
 */
static void
export_entry(struct lh_buf *b, int i)
{
	long long us = (T_START + i) * 1000000;

	if (i % 89 == 0)	/* stray lines before the entry */
		lh_buf_puts(b, "Dec 22 x: stray = 1\nno equals sign\n");
	lh_buf_printf(b, "__CURSOR=s=1;i=%x\n%s=%lld\n"
	    "__MONOTONIC_TIMESTAMP=%d\n", i, i % 101 == 0 ?
	    "_SOURCE_REALTIME_TIMESTAMP" : "__REALTIME_TIMESTAMP", us,
	    i * 1000);
	if (host_of(i) != NULL)
		lh_buf_printf(b, "_HOSTNAME=%s\n", host_of(i));
	lh_buf_puts(b, "_TRANSPORT=syslog\nSYSLOG_IDENTIFIER=sshd\n"
	    "_PID=4242\n");
	if (i % 97 == 0)
		lh_buf_puts(b, "a stray line\n");
	if (i % 9 == 0) {
		lh_buf_puts(b, "MESSAGE\n");
		/* 10 bytes (the size has a newline too), "\n" */
		lh_buf_append(b, "\n\0\0\0\0\0\0\0two\nlines\n\n", 19);
	} else
		lh_buf_printf(b, "MESSAGE=Failed password for user%d from "
		    "10.0.0.%d port %d ssh2\n", i, i % 250, 1000 + i);
	lh_buf_putc(b, '\n');
}

/* Document i of NDJSON like export_entry's, hosts nested or dotted. */
static void
json_doc(struct lh_buf *b, int i)
{
	lh_buf_printf(b, "{\"@timestamp\":%lld,", (T_START + i) * 1000);
	if (host_of(i) != NULL)
		lh_buf_printf(b, i % 2 == 0 ? "\"host\":{\"name\":\"%s\"}," :
		    "\"host.hostname\":\"%s\",", host_of(i));
	lh_buf_printf(b, "\"event\":{\"dataset\":\"system.auth\"},"
	    "\"message\":\"Failed password for user%d from 10.0.0.%d "
	    "port %d ssh2\"}\n", i, i % 250, 1000 + i);
}

/* n records made by one into *b (owned: lh_buf_free). */
static void
make_records(struct lh_buf *b, int n, void (*one)(struct lh_buf *, int))
{
	int i;

	memset(b, 0, sizeof(*b));
	for (i = 0; i < n; i++)
		one(b, i);
	cr_assert_eq(lh_buf_status(b), LH_OK);
	cr_assert_gt(b->len, 4 * LH_TIMEMAP_CHUNK);
}

/* A gate of all time for host hA only. */
static struct lh_gate *
gate_of_ha(void)
{
	static const char *const host[] = { "hA" };
	int64_t lo = INT64_MIN, hi = INT64_MAX;
	struct lh_gate *g = lh_gate_create_hosts(host, &lo, &hi, 1);

	cr_assert_not_null(g);
	return g;
}

/*
 * fmt over p[0..n): a first pass that maps it, then a context pass under
 * every gate of gate_for and gate_of_ha that reads only the parts the map
 * plans.  Returns how many records the context pass under gate_of_ha
 * never looked at (neither parsed nor skipped by the gate).
 */
static uint64_t
check_planned(const struct lh_format *fmt, const char *p, size_t n,
    const char *what)
{
	struct lh_timeindex *ix;
	struct lh_timemap *tm;
	struct lh_parse_opts o;
	struct lh_range *r;
	struct lh_gate *g;
	struct run u, m, c;
	uint64_t unseen = 0;
	size_t nr;
	int kind;

	options(&o, 0, NULL);
	run_mem(fmt, p, n, &o, &u);
	cr_assert_not_null(tm = lh_timemap_create());
	run_mem_plan(fmt, p, n, &o, NULL, 0, tm, &m);
	cr_assert_eq(m.n, u.n, "%s: the map changed the events", what);
	run_free(&m);
	cr_assert_not_null(ix = lh_timeindex_create());
	cr_assert_eq(lh_timeindex_put(ix, "mem", tm), LH_OK);
	lh_timeindex_seal(ix);
	for (kind = 1; kind < 6; kind++) {
		g = kind < 5 ? gate_for(&u, kind) : gate_of_ha();
		cr_assert_eq(lh_timeindex_plan(ix, "mem", g, &r, &nr), 1,
		    "%s: not in the index", what);
		options(&o, 0, g);
		if (nr > 0)
			run_mem_plan(fmt, p, n, &o, r, nr, NULL, &c);
		else
			memset(&c, 0, sizeof(c));
		compare_runs_counted(&u, &c, g, what, 0);
		if (kind == 5)
			unseen = u.n - c.n - c.gated;
		run_free(&c);
		free(r);
		lh_gate_free(g);
	}
	lh_timeindex_free(ix);
	run_free(&u);
	return unseen;
}

Test(rawhost, export_context_pass_reads_the_planned_parts)
{
	struct lh_buf b;

	make_records(&b, 10000, export_entry);
	/* a chunk holds about 1100 entries: hB's and hC's have some */
	cr_expect_gt(check_planned(&lh_format_journal_export, b.p, b.len,
	    "export"), 1000);
	lh_buf_free(&b);
}

Test(rawhost, json_context_pass_reads_the_planned_parts)
{
	struct lh_buf b;

	make_records(&b, 10000, json_doc);
	cr_expect_gt(check_planned(&lh_format_json, b.p, b.len, "json"),
	    1000);
	lh_buf_free(&b);
}
