/*
 * esql_test.c: the ES|QL subset (core/esql_*.c): compiling the
 * password-spraying rule, refusals, and STATS evaluation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "core/esql.h"
#include "core/event.h"
#include "core/status.h"

/*
 * Verbatim from ../shared/reference/linux-rules/ (rule 9e81b1fd-e9fb-
 * 49a7-8ebe-0d1a14090142, "Potential Password Spraying Attack via SSH").
 */
static const char spray[] =
    "from logs-system.auth-* metadata _id, _index, _version\n"
    "\n"
    "// Create 5-minute time buckets\n"
    "| eval Esql.time_window_date_trunc = date_trunc(5 minutes, @timestamp)\n"
    "\n"
    "// Ensure event.action values in a list are expanded\n"
    "| mv_expand event.action \n"
    "\n"
    "| where\n"
    "  event.category == \"authentication\" and event.action in (\"ssh_login\", \"user_login\") and event.outcome == \"failure\" and\n"
    "  source.ip is not null \n"
    "\n"
    "// Keep relevant fields\n"
    "| keep\n"
    "   @timestamp,\n"
    "   _id,\n"
    "   _index,\n"
    "   _version,\n"
    "   event.category,\n"
    "   event.action,\n"
    "   event.outcome,\n"
    "   source.ip,\n"
    "   process.name,\n"
    "   user.name,\n"
    "   data_stream.dataset,\n"
    "   data_stream.namespace,\n"
    "   agent.id,\n"
    "   user.id,\n"
    "   Esql.time_window_date_trunc\n"
    "\n"
    "| stats\n"
    "  Esql.event_count = count(*),\n"
    "  Esql.user_name_count_distinct = count_distinct(user.name),\n"
    "  Esql.user_name_values = values(user.name),\n"
    "  Esql.process_name_values = values(process.name),\n"
    "  Esql.data_stream_dataset_values = values(data_stream.dataset),\n"
    "  Esql.data_stream_namespace_values = values(data_stream.namespace)\n"
    "\n"
    "  by Esql.time_window_date_trunc, source.ip\n"
    "\n"
    "| where Esql.user_name_count_distinct > 10 and Esql.event_count >= 30\n";

/* 2026-01-01T00:00:00Z in µs. */
#define T0 1767225600000000LL
#define MIN_US 60000000LL

static struct lh_esql *
compile(const char *src)
{
	struct lh_err err;
	struct lh_esql *q = lh_esql_compile(src, strlen(src), &err);

	cr_assert_not_null(q, "%s", err.msg);
	return q;
}

/* Asserts that src is refused with a message containing want. */
static void
refused(const char *src, const char *want)
{
	struct lh_err err;
	struct lh_esql *q = lh_esql_compile(src, strlen(src), &err);

	cr_assert_null(q, "accepted: %s", src);
	cr_assert_eq(err.status, LH_FAIL);
	cr_assert_not_null(strstr(err.msg, want), "%s: got \"%s\"", src,
	    err.msg);
}

/* An sshd failure as the system integration's auth pipeline makes it. */
static void
failure(struct lh_event *ev, int64_t ts, const char *ip, const char *user)
{
	lh_event_reset(ev);
	ev->ts = ts;
	cr_assert_eq(lh_event_adds(ev, "event.category", "authentication"),
	    LH_OK);
	cr_assert_eq(lh_event_adds(ev, "event.action", "ssh_login"), LH_OK);
	cr_assert_eq(lh_event_adds(ev, "event.outcome", "failure"), LH_OK);
	if (ip != NULL)
		cr_assert_eq(lh_event_adds(ev, "source.ip", ip), LH_OK);
	cr_assert_eq(lh_event_adds(ev, "user.name", user), LH_OK);
	cr_assert_eq(lh_event_adds(ev, "process.name", "sshd"), LH_OK);
	cr_assert_eq(lh_event_adds(ev, "data_stream.dataset", "system.auth"),
	    LH_OK);
}

/* The rows a run yields, rendered as text for easy comparison. */
struct rows {
	char text[8192];
	size_t n;
	uint64_t ids[16];
	size_t nids;
	uint64_t nevents;
};

static void
render(char *o, size_t cap, const struct lh_esql_value *v)
{
	char ip[64];

	switch (v->type) {
	case LH_ESQL_KEYWORD:
		snprintf(o, cap, "%.*s", (int)v->len, v->s);
		break;
	case LH_ESQL_IP:
		snprintf(ip, sizeof(ip), "%u.%u.%u.%u", v->ip.b[12],
		    v->ip.b[13], v->ip.b[14], v->ip.b[15]);
		snprintf(o, cap, "%s", ip);
		break;
	default:
		snprintf(o, cap, "%lld", (long long)v->n);
		break;
	}
}

static int
collect(void *arg, const struct lh_esql_row *row)
{
	struct rows *r = arg;
	size_t k, i, len;
	char one[256];

	for (k = 0; k < row->ncol; k++) {
		len = strlen(r->text);
		snprintf(r->text + len, sizeof(r->text) - len, "%s%s=",
		    k ? " " : "", row->col[k].name);
		for (i = 0; i < row->col[k].nv; i++) {
			render(one, sizeof(one), &row->col[k].v[i]);
			len = strlen(r->text);
			snprintf(r->text + len, sizeof(r->text) - len, "%s%s",
			    i ? "," : "", one);
		}
		if (row->col[k].nv == 0) {
			len = strlen(r->text);
			snprintf(r->text + len, sizeof(r->text) - len, "null");
		}
	}
	len = strlen(r->text);
	snprintf(r->text + len, sizeof(r->text) - len, "\n");
	r->nevents = row->nevents;
	r->nids = row->nids;
	for (i = 0; i < row->nids && i < 16; i++)
		r->ids[i] = row->ids[i];
	r->n++;
	return LH_OK;
}

static void
finish(struct lh_esql_run *run, struct rows *r)
{
	struct lh_err err;

	memset(r, 0, sizeof(*r));
	cr_assert_eq(lh_esql_run_finish(run, collect, r, &err), LH_OK);
}

/*
 * Feeds nevents failures from ip, one a second from ts, against nusers
 * users in turn (or, with a negative nusers, in consecutive blocks).
 */
static void
spray_from(struct lh_esql_run *run, struct lh_event *ev, int64_t ts,
    const char *ip, int nusers, int nevents, uint64_t *id)
{
	struct lh_err err;
	char user[32];
	int i;

	for (i = 0; i < nevents; i++) {
		snprintf(user, sizeof(user), "user%02d", nusers > 0 ?
		    i % nusers : i * -nusers / nevents);
		failure(ev, ts + i * 1000000LL, ip, user);
		cr_assert_eq(lh_esql_run_feed(run, ev, (*id)++, &err), LH_OK);
	}
}

/* A compiled query, a run of it and an event to fill. */
struct fx {
	struct lh_esql *q;
	struct lh_esql_run *run;
	struct lh_event ev;
	struct rows r;
	uint64_t id;
};

static void
fx_open(struct fx *f, const char *src)
{
	f->q = compile(src);
	cr_assert_not_null(f->run = lh_esql_run_create(f->q));
	lh_event_init(&f->ev);
	f->id = 1;
}

/* Finishes the run and starts a new one. */
static void
fx_finish(struct fx *f)
{
	finish(f->run, &f->r);
	lh_esql_run_free(f->run);
	cr_assert_not_null(f->run = lh_esql_run_create(f->q));
}

static void
fx_close(struct fx *f)
{
	lh_esql_run_free(f->run);
	lh_event_free(&f->ev);
	lh_esql_free(f->q);
}

Test(esql, rule_compiles)
{
	struct lh_esql *q = compile(spray);
	size_t n;
	const char *const *ix = lh_esql_indices(q, &n);

	cr_assert_eq(n, 1);
	cr_assert_str_eq(ix[0], "logs-system.auth-*");
	lh_esql_free(q);
}

Test(esql, refusals_name_themselves)
{
	refused("from x | sort a", "command sort is not supported");
	refused("FROM x | LIMIT 10 | STATS count(*)", "LIMIT");
	refused("from x | stats m = max(a)", "function max is not supported");
	refused("from x | where to_lower(a) == \"b\" | stats count(*)",
	    "function to_lower is not supported");
	refused("from x | where a like \"b*\" | stats count(*)", "like");
	refused("row a = 1", "source command row");
	refused("from x | where a == \"b\"", "without STATS");
	refused("from x | keep a | stats count(b)", "Unknown column [b]");
	refused("from x | stats c = count(*) by a | where b > 1",
	    "Unknown column [b]");
	refused("from x | stats c = count(*) | eval d = 1",
	    "command eval after STATS");
	refused("from x | keep user.* | stats count(*)", "wildcard");
	refused("from x | where process.pid == \"a\" | stats count(*)",
	    "cannot compare [long] with [keyword]");
	refused("from x | eval t = date_trunc(5 lightyears, @timestamp) "
	    "| stats count(*)", "temporal unit");
	refused("from x | eval t = date_trunc(2 months, @timestamp) "
	    "| stats count(*)", "several months");
	refused("from x | where source.ip == \"nope\" | stats count(*)",
	    "to [ip]");
	refused("from x | where (a == \"b\" | stats count(*)", "line 1,");
	refused("from x | stats count(*)\n| where \"unterminated",
	    "line 2, column 9: unterminated string");
}

/* 11 users sprayed inside one bucket fire; 10 do not. */
Test(esql, spray_threshold)
{
	struct fx f;

	fx_open(&f, spray);
	spray_from(f.run, &f.ev, T0, "203.0.113.7", 10, 40, &f.id);
	fx_finish(&f);
	cr_assert_eq(f.r.n, 0, "%s", f.r.text);
	spray_from(f.run, &f.ev, T0, "203.0.113.7", 11, 30, &f.id);
	fx_finish(&f);
	cr_assert_eq(f.r.n, 1);
	cr_assert_str_eq(f.r.text, "Esql.event_count=30 "
	    "Esql.user_name_count_distinct=11 Esql.user_name_values="
	    "user00,user01,user02,user03,user04,user05,user06,user07,"
	    "user08,user09,user10 Esql.process_name_values=sshd "
	    "Esql.data_stream_dataset_values=system.auth "
	    "Esql.data_stream_namespace_values=null "
	    "Esql.time_window_date_trunc=1767225600000000 "
	    "source.ip=203.0.113.7\n");
	cr_assert_eq(f.r.nevents, 30);
	cr_assert_eq(f.r.nids, 30);
	cr_assert_eq(f.r.ids[0], 41);
	/* 29 failures from 11 users are not enough either. */
	spray_from(f.run, &f.ev, T0, "203.0.113.7", 11, 29, &f.id);
	fx_finish(&f);
	cr_assert_eq(f.r.n, 0);
	fx_close(&f);
}

/* The same 11 users straddling a 5-minute edge are two buckets. */
Test(esql, spray_straddles_bucket_edge)
{
	struct fx f;

	fx_open(&f, spray);
	/*
	 * 40 failures against 11 users in blocks, a second apart, 20 s each
	 * side of the edge at T0 + 5 min: users 0-5 before, 5-10 after.
	 */
	spray_from(f.run, &f.ev, T0 + 5 * MIN_US - 20000000, "203.0.113.7",
	    -11, 40, &f.id);
	fx_finish(&f);
	cr_assert_eq(f.r.n, 0, "%s", f.r.text);
	/* The same inside one bucket fires. */
	spray_from(f.run, &f.ev, T0 + 5 * MIN_US, "203.0.113.7", -11, 40,
	    &f.id);
	fx_finish(&f);
	cr_assert_eq(f.r.n, 1);
	cr_assert_eq(f.r.nevents, 40);
	fx_close(&f);
}

/* A failure without source.ip is dropped by "source.ip is not null". */
Test(esql, null_source_ip_excluded)
{
	struct fx f;
	struct lh_esql_scratch *s;

	fx_open(&f, spray);
	s = lh_esql_scratch_create(f.q);
	failure(&f.ev, T0, NULL, "root");
	cr_assert_eq(lh_esql_prefilter_match(f.q, &f.ev, s), 0);
	failure(&f.ev, T0, "198.51.100.1", "root");
	cr_assert_eq(lh_esql_prefilter_match(f.q, &f.ev, s), 1);
	spray_from(f.run, &f.ev, T0, NULL, 11, 40, &f.id);
	fx_finish(&f);
	cr_assert_eq(f.r.n, 0);
	lh_esql_scratch_free(s);
	fx_close(&f);
}

/*
 * event.category is compared as a single value: ["authentication",
 * "session"] (an accepted login) is null, so the row goes; a repeated
 * keyword value is one value (doc values), so it stays.
 */
Test(esql, multivalued_comparison_is_null)
{
	struct lh_esql *q = compile(spray);
	struct lh_esql_scratch *s = lh_esql_scratch_create(q);
	struct lh_event ev;

	lh_event_init(&ev);
	failure(&ev, T0, "198.51.100.1", "root");
	cr_assert_eq(lh_event_adds(&ev, "event.category", "session"), LH_OK);
	cr_assert_eq(lh_esql_prefilter_match(q, &ev, s), 0);
	failure(&ev, T0, "198.51.100.1", "root");
	cr_assert_eq(lh_event_adds(&ev, "event.category", "authentication"),
	    LH_OK);
	cr_assert_eq(lh_esql_prefilter_match(q, &ev, s), 1);
	lh_esql_scratch_free(s);
	lh_event_free(&ev);
	lh_esql_free(q);
}

/* MV_EXPAND makes one row per value of event.action. */
Test(esql, mv_expand)
{
	struct lh_esql *q = compile("from x | mv_expand event.action\n"
	    "| where event.action in (\"ssh_login\", \"user_login\")\n"
	    "| stats n = count(*), a = values(event.action), "
	    "e = count(event.action) by user.name");
	struct lh_esql_run *run = lh_esql_run_create(q);
	struct lh_event ev;
	struct lh_err err;
	struct rows r;

	lh_event_init(&ev);
	ev.ts = T0;
	lh_event_adds(&ev, "event.action", "user_login");
	lh_event_adds(&ev, "event.action", "ssh_login");
	lh_event_adds(&ev, "event.action", "other");
	lh_event_adds(&ev, "user.name", "bob");
	cr_assert_eq(lh_esql_run_feed(run, &ev, 7, &err), LH_OK);
	finish(run, &r);
	cr_assert_str_eq(r.text, "n=2 a=ssh_login,user_login e=2 "
	    "user.name=bob\n");
	cr_assert_eq(r.nevents, 1);
	cr_assert_eq(r.nids, 1);
	cr_assert_eq(r.ids[0], 7);
	lh_esql_run_free(run);
	lh_event_free(&ev);
	lh_esql_free(q);
}

/*
 * count(*) counts rows, count(col) values (a multi-valued cell counts
 * each); count_distinct and values ignore nulls; a null key is a group,
 * listed last; rows come out sorted by key.
 */
Test(esql, aggregates_and_order)
{
	struct lh_esql *q = compile("FROM x\n"
	    "| STATS all = COUNT(*), n = COUNT(user.name), "
	    "d = COUNT_DISTINCT(user.name, 100), VALUES(user.name) "
	    "BY host.name");
	static const char *const host[] = { "b", "a", NULL, "b", "a" };
	static const char *const user[] = { "x", NULL, "y", "x", "z" };
	struct lh_esql_run *run = lh_esql_run_create(q);
	struct lh_event ev;
	struct lh_err err;
	struct rows r;
	size_t i;

	lh_event_init(&ev);
	for (i = 0; i < 5; i++) {
		lh_event_reset(&ev);
		ev.ts = T0;
		if (host[i] != NULL)
			lh_event_adds(&ev, "host.name", host[i]);
		if (user[i] != NULL)
			lh_event_adds(&ev, "user.name", user[i]);
		if (i == 4)
			lh_event_adds(&ev, "user.name", "w");
		cr_assert_eq(lh_esql_run_feed(run, &ev, i, &err), LH_OK);
	}
	finish(run, &r);
	cr_assert_str_eq(r.text,
	    "all=2 n=2 d=2 VALUES(user.name)=w,z host.name=a\n"
	    "all=2 n=2 d=1 VALUES(user.name)=x host.name=b\n"
	    "all=1 n=1 d=1 VALUES(user.name)=y host.name=null\n");
	lh_esql_run_free(run);
	lh_event_free(&ev);
	lh_esql_free(q);
}

/* Feeding order does not change the output. */
Test(esql, deterministic_output)
{
	struct lh_esql *q = compile(spray);
	struct lh_esql_run *a = lh_esql_run_create(q);
	struct lh_esql_run *b = lh_esql_run_create(q);
	static const char *const ips[] = { "203.0.113.9", "192.0.2.1",
		"203.0.113.7" };
	struct lh_event ev;
	struct rows ra, rb;
	uint64_t id = 1;
	int i;

	lh_event_init(&ev);
	for (i = 0; i < 3; i++)
		spray_from(a, &ev, T0 + i * 5 * MIN_US, ips[i], 12, 30, &id);
	for (i = 2; i >= 0; i--)
		spray_from(b, &ev, T0 + i * 5 * MIN_US, ips[i], 12, 30, &id);
	finish(a, &ra);
	finish(b, &rb);
	cr_assert_eq(ra.n, 3);
	cr_assert_str_eq(ra.text, rb.text);
	cr_assert_not_null(strstr(ra.text, "source.ip=203.0.113.9\n"));
	cr_assert(strstr(ra.text, "203.0.113.9") < strstr(ra.text,
	    "192.0.2.1"), "ordered by the time bucket first");
	lh_esql_run_free(a);
	lh_esql_run_free(b);
	lh_event_free(&ev);
	lh_esql_free(q);
}

/* Three-valued logic and date_trunc units. */
Test(esql, null_logic_and_units)
{
	struct lh_esql *q = compile("from x // comment\n"
	    "| eval d = date_trunc(1 day, @timestamp), "
	    "w = DATE_TRUNC(1 week, @timestamp), "
	    "m = date_trunc(1 quarter, @timestamp)\n"
	    "| where not (a == \"1\") or a is null\n"
	    "| stats c = count(*) by d, w, m");
	struct lh_esql_run *run = lh_esql_run_create(q);
	struct lh_event ev;
	struct lh_err err;
	struct rows r;

	lh_event_init(&ev);
	/* 2026-01-01 is a Thursday: the week starts 2025-12-29. */
	ev.ts = T0 + 13 * 3600 * 1000000LL;
	cr_assert_eq(lh_esql_run_feed(run, &ev, 1, &err), LH_OK);
	lh_event_adds(&ev, "a", "1");
	cr_assert_eq(lh_esql_run_feed(run, &ev, 2, &err), LH_OK);
	finish(run, &r);
	cr_assert_str_eq(r.text, "c=1 d=1767225600000000 "
	    "w=1766966400000000 m=1767225600000000\n");
	lh_esql_run_free(run);
	lh_event_free(&ev);
	lh_esql_free(q);
}

/* A WHERE before STATS that requires a field; the fields a query reads. */
struct seen {
	int category, ip, timestamp;
};

static int
see_field(void *arg, const char *name)
{
	struct seen *s = arg;

	s->category += strcmp(name, "event.category") == 0;
	s->ip += strcmp(name, "source.ip") == 0;
	s->timestamp += strcmp(name, "@timestamp") == 0;
	return 1;
}

Test(esql, requires_and_fields)
{
	struct lh_esql *q;
	struct seen got = { 0, 0, 0 };

	q = compile(spray);
	cr_assert_eq(lh_esql_requires(q, "event.category"), 1);
	cr_assert_eq(lh_esql_requires(q, "user.name"), 0);
	cr_assert_eq(lh_esql_fields(q, see_field, &got), 1);
	cr_assert_eq(got.category, 1);
	cr_assert_eq(got.ip, 1);
	cr_assert_eq(got.timestamp, 0);	/* ev->ts, not a field */
	lh_esql_free(q);
	q = compile("from logs-* | where event.category == \"a\" or x == \"y\" "
	    "| stats c = count(*)");
	cr_assert_eq(lh_esql_requires(q, "event.category"), 0);
	lh_esql_free(q);
	q = compile("from logs-* | eval event.category = \"a\" "
	    "| where event.category == \"a\" | stats c = count(*)");
	cr_assert_eq(lh_esql_requires(q, "event.category"), 0);
	lh_esql_free(q);
	q = compile("from logs-* | where x != \"z\" and event.category in "
	    "(\"a\", \"b\") | stats c = count(*)");
	cr_assert_eq(lh_esql_requires(q, "event.category"), 1);
	lh_esql_free(q);
}

/*
 * A streaming run (time buckets first in BY, events in time order) yields
 * each bucket's rows as soon as a later bucket begins, the same rows a
 * run finished at the end gives, in the same order; the query without a
 * time bucket first does not stream.
 */
Test(esql, stream_by_time_bucket)
{
	struct fx f, g;
	struct rows streamed;
	struct lh_err err;
	struct lh_esql *nb;
	struct lh_esql_run *run;

	memset(&streamed, 0, sizeof(streamed));
	fx_open(&f, spray);
	fx_open(&g, spray);
	cr_assert_eq(lh_esql_run_stream(f.run, collect, &streamed), 1);
	spray_from(f.run, &f.ev, T0, "203.0.113.7", 11, 30, &f.id);
	spray_from(g.run, &g.ev, T0, "203.0.113.7", 11, 30, &g.id);
	cr_assert_eq(streamed.n, 0);	/* the bucket may still grow */
	spray_from(f.run, &f.ev, T0 + 5 * MIN_US, "198.51.100.9", 12, 31,
	    &f.id);
	spray_from(g.run, &g.ev, T0 + 5 * MIN_US, "198.51.100.9", 12, 31,
	    &g.id);
	cr_assert_eq(streamed.n, 1, "%s", streamed.text);
	cr_assert_eq(lh_esql_run_finish(f.run, collect, &streamed, &err),
	    LH_OK);
	cr_assert_eq(streamed.n, 2);
	finish(g.run, &g.r);
	cr_assert_eq(g.r.n, 2);
	cr_assert_str_eq(streamed.text, g.r.text);
	fx_close(&f);
	fx_close(&g);
	nb = compile("from logs-* | eval b = date_trunc(5 minutes, "
	    "@timestamp) | stats c = count(*) by source.ip, b");
	cr_assert_not_null(run = lh_esql_run_create(nb));
	cr_assert_eq(lh_esql_run_stream(run, collect, &streamed), 0);
	lh_esql_run_free(run);
	lh_esql_free(nb);
}

/*
 * The groups of a streaming run are forgotten at each new bucket and
 * their memory reused for the next bucket's: the rows are still those of
 * a run finished at the end, whether a group's sets were small, larger
 * than the memory kept for reuse (70 users), or made anew.
 */
Test(esql, stream_reuses_groups)
{
	static const char src[] = "from logs-* | eval b = date_trunc("
	    "5 minutes, @timestamp) | stats c = count(*), n = "
	    "count_distinct(user.name), u = values(user.name) by b, "
	    "source.ip";
	static const struct {
		int bucket;
		const char *ip;
		int nusers, nevents;
	} feed[] = {
		{ 0, "203.0.113.1", 3, 5 }, { 0, "203.0.113.2", 70, 70 },
		{ 1, "203.0.113.3", 2, 2 },
		{ 2, "203.0.113.2", 4, 4 }, { 2, "203.0.113.4", 1, 3 },
		{ 2, "203.0.113.5", 2, 2 },
		{ 3, "203.0.113.6", 80, 80 },
	};
	struct fx f, g;
	struct rows streamed;
	struct lh_err err;
	size_t i;

	memset(&streamed, 0, sizeof(streamed));
	fx_open(&f, src);
	fx_open(&g, src);
	cr_assert_eq(lh_esql_run_stream(f.run, collect, &streamed), 1);
	for (i = 0; i < sizeof(feed) / sizeof(feed[0]); i++) {
		int64_t t = T0 + feed[i].bucket * 5 * MIN_US + (int64_t)i;

		spray_from(f.run, &f.ev, t, feed[i].ip, feed[i].nusers,
		    feed[i].nevents, &f.id);
		spray_from(g.run, &g.ev, t, feed[i].ip, feed[i].nusers,
		    feed[i].nevents, &g.id);
	}
	cr_assert_eq(lh_esql_run_finish(f.run, collect, &streamed, &err),
	    LH_OK);
	finish(g.run, &g.r);
	cr_assert_eq(g.r.n, 7);
	cr_assert_eq(streamed.n, 7);
	cr_assert_str_eq(streamed.text, g.r.text);
	fx_close(&f);
	fx_close(&g);
}
