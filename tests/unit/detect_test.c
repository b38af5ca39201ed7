/*
 * detect_test.c: the stateful rules' driver (core/detect.c) end to end -
 * the workers' verdict, the snapshots, the merger's run and the alerts -
 * and the new_terms history (core/detect_terms.c) on its own; the two
 * runs of core/detect_pair.c against one.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "core/arena.h"
#include "core/detect.h"
#include "core/detect_pair.h"
#include "core/detect_int.h"
#include "core/diag.h"
#include "core/match.h"
#include "core/rules.h"
#include "core/status.h"
#include "core/timeline.h"

#define SEC 1000000LL
#define DAY (86400 * SEC)
#define T0 (1767225600 * SEC)	/* 2026-01-01T00:00:00Z */

/* Rule 0: failures then a success by user within 10s (runs=2). */
static const char seq_rule[] = "{\"rule_id\":\"s1\",\"name\":\"Seq\","
    "\"type\":\"eql\",\"language\":\"eql\",\"severity\":\"low\","
    "\"risk_score\":1,\"description\":\"d\",\"query\":\"sequence by "
    "user.name with maxspan=10s [authentication where event.outcome == "
    "\\\"failure\\\"] with runs=2 [authentication where event.outcome == "
    "\\\"success\\\"]\"}\n";
/* Rule 1: a success from a source.ip not seen in the day before. */
static const char terms_rule[] = "{\"rule_id\":\"n1\",\"name\":\"Terms\","
    "\"type\":\"new_terms\",\"language\":\"kuery\",\"severity\":\"low\","
    "\"risk_score\":1,\"description\":\"d\",\"query\":\"event.category:"
    "authentication and event.outcome:success\",\"new_terms_fields\":"
    "[\"source.ip\"],\"history_window_start\":\"now-1d\"}\n";

/* Rule 1's query on another field: the workers evaluate it once. */
static const char terms_user_rule[] = "{\"rule_id\":\"n2\",\"name\":"
    "\"User\",\"type\":\"new_terms\",\"language\":\"kuery\","
    "\"severity\":\"low\",\"risk_score\":1,\"description\":\"d\","
    "\"query\":\"event.category:authentication and event.outcome:"
    "success\",\"new_terms_fields\":[\"user.name\"],"
    "\"history_window_start\":\"now-1d\"}\n";

struct fixture {
	struct lh_ruleset *rs;
	struct lh_detect_scratch *s;
	struct lh_kql_scratch *kq;
	struct lh_timeline *feeds, *alerts;
	struct lh_arena *arena;	/* where the snapshots live */
	struct lh_detect_stats st;
	unsigned line;
};

/* Loads the n stateful rules of text (rules 0 and 1 when NULL). */
static void
setup_rules(struct fixture *f, const char *rules, size_t n)
{
	char text[2048];
	struct lh_diag d;

	memset(f, 0, sizeof(*f));
	snprintf(text, sizeof(text), "%s%s", seq_rule, terms_rule);
	if (rules != NULL)
		snprintf(text, sizeof(text), "%s", rules);
	lh_diag_init(&d);
	f->rs = lh_ruleset_create();
	cr_assert_not_null(f->rs);
	cr_assert_eq(lh_ruleset_load(f->rs, text, strlen(text), "t", 0, &d),
	    LH_OK, "%s", d.n > 0 ? d.msg[0] : "");
	lh_diag_free(&d);
	cr_assert_eq(lh_detect_count(f->rs), rules != NULL ? n : 2);
	f->s = lh_detect_scratch_create(f->rs);
	f->kq = lh_kql_scratch_create();
	f->feeds = lh_timeline_create();
	f->alerts = lh_timeline_create();
	cr_assert(f->s != NULL && f->kq != NULL && f->feeds != NULL &&
	    f->alerts != NULL);
}

static void
setup(struct fixture *f)
{
	setup_rules(f, NULL, 2);
}

static void
teardown(struct fixture *f)
{
	lh_timeline_free(f->feeds);
	lh_timeline_free(f->alerts);
	lh_arena_free(f->arena);
	lh_kql_scratch_free(f->kq);
	lh_detect_scratch_free(f->s);
	lh_ruleset_free(f->rs);
}

/*
 * One authentication event at ts through the workers' side: returns
 * lh_detect_feeds()'s verdict; a feeding event is kept as a snapshot,
 * whose per-rule verdict must be want ("10": rule 0 only, its step mask
 * 1; "21": step mask 2 of rule 0 and rule 1).
 */
static int
event(struct fixture *f, int64_t ts, const char *outcome, const char *user,
    const char *ip, const char *want)
{
	struct lh_event ev;
	struct lh_match *m;
	int k;

	lh_event_init(&ev);
	ev.ts = ts;
	ev.ts_prec = 1;
	ev.line = ++f->line;
	cr_assert_eq(lh_event_adds(&ev, "message", "m"), LH_OK);
	cr_assert_eq(lh_event_adds(&ev, "event.category", "authentication"),
	    LH_OK);
	cr_assert_eq(lh_event_adds(&ev, "event.outcome", outcome), LH_OK);
	if (user != NULL)
		cr_assert_eq(lh_event_adds(&ev, "user.name", user), LH_OK);
	if (ip != NULL)
		cr_assert_eq(lh_event_adds(&ev, "source.ip", ip), LH_OK);
	k = lh_detect_feeds(f->rs, &ev, f->s, f->kq);
	cr_assert(k == 0 || k == 1, "%d", k);
	if (k == 1) {
		m = lh_detect_snapshot(f->s, &ev, "auth.log", &f->arena);
		cr_assert_not_null(m);
		cr_assert(m->pooled);
		cr_assert_str_eq(m->matched, want);
		cr_assert_eq(lh_timeline_add(f->feeds, m), LH_OK);
	}
	lh_event_free(&ev);
	return k;
}

/*
 * The merger's run over the snapshots, sorted and folded as the scan's
 * store hands them out (borrowed: the timeline keeps them).
 */
static int
run(struct fixture *f)
{
	struct lh_detect *d;
	struct lh_err err;
	size_t i;
	int rc = LH_OK;

	lh_err_clear(&err);
	cr_assert_eq(lh_timeline_finish(f->feeds), LH_OK);
	d = lh_detect_create(f->rs, LH_DETECT_ALL, f->alerts, NULL, &f->st,
	    &err);
	cr_assert_not_null(d);
	for (i = 0; i < lh_timeline_count(f->feeds) && rc == LH_OK; i++)
		rc = lh_detect_feed(d, lh_timeline_get(f->feeds, i));
	if (rc == LH_OK)
		rc = lh_detect_end(d);
	lh_detect_free(d);
	cr_assert_eq(lh_timeline_finish(f->alerts), LH_OK);
	return rc;
}

/* The number of values of field name in m, and the first in *v. */
static size_t
values(const struct lh_match *m, const char *name, const char **v,
    size_t *len)
{
	size_t i, n = 0;

	for (i = 0; i < m->nf; i++) {
		if (strcmp(m->f[i].name, name) == 0 && n++ == 0) {
			*v = m->f[i].val;
			*len = m->f[i].len;
		}
	}
	return n;
}

/* The alert of rule's k-th, or NULL. */
static const struct lh_match *
alert(struct fixture *f, int rule, size_t k)
{
	size_t i;

	for (i = 0; i < lh_timeline_count(f->alerts); i++) {
		const struct lh_match *m = lh_timeline_get(f->alerts, i);

		if (m->rule == rule && k-- == 0)
			return m;
	}
	return NULL;
}

/*
 * Sequences by key: two failures and a success of one user within the
 * maxspan complete; a success 11 s after the first failure does not; one
 * failure (runs=2) does not; other users' events do not join.
 */
Test(detect, sequence_by_key_maxspan_and_runs)
{
	struct fixture f;
	const struct lh_match *m;
	const char *v = "";
	size_t n = 0;

	setup(&f);
	event(&f, T0, "failure", "ann", NULL, "10");
	event(&f, T0 + 1 * SEC, "failure", "bob", NULL, "10");
	event(&f, T0 + 2 * SEC, "failure", "ann", NULL, "10");
	event(&f, T0 + 3 * SEC, "failure", "bob", NULL, "10");
	event(&f, T0 + 4 * SEC, "failure", "cid", NULL, "10");
	event(&f, T0 + 10 * SEC, "success", "ann", NULL, "21");
	event(&f, T0 + 12 * SEC, "success", "bob", NULL, "21");
	event(&f, T0 + 13 * SEC, "success", "cid", NULL, "21");
	cr_assert_eq(run(&f), LH_OK);
	cr_assert_eq(f.st.sequences, 1);
	cr_assert_null(alert(&f, 0, 1));
	cr_assert_not_null(m = alert(&f, 0, 0));
	cr_assert_eq(m->ts, T0 + 10 * SEC);
	cr_assert_eq(values(m, "loghunt.group.user.name", &v, &n), 1);
	cr_assert(n == 3 && memcmp(v, "ann", 3) == 0);
	cr_assert_eq(values(m, "loghunt.event", &v, &n), 3);
	cr_assert_eq(values(m, "loghunt.event_source", &v, &n), 3);
	teardown(&f);
}

/*
 * A sequence rule alone: its snapshots keep event.category, which its
 * steps test through their category ("authentication where") although
 * the query's text never names the field.
 */
Test(detect, sequence_alone_keeps_the_category)
{
	struct fixture f;

	setup_rules(&f, seq_rule, 1);
	event(&f, T0, "failure", "ann", NULL, "1");
	event(&f, T0 + SEC, "failure", "ann", NULL, "1");
	event(&f, T0 + 2 * SEC, "success", "ann", NULL, "2");
	cr_assert_eq(run(&f), LH_OK);
	cr_assert_eq(f.st.sequences, 1);
	teardown(&f);
}

/* Rule 0 without a maxspan: a sequence may span the whole evidence. */
static const char seq_nospan_rule[] = "{\"rule_id\":\"s2\",\"name\":"
    "\"Seq\",\"type\":\"eql\",\"language\":\"eql\",\"severity\":"
    "\"low\",\"risk_score\":1,\"description\":\"d\",\"query\":"
    "\"sequence by user.name [authentication where event.outcome == "
    "\\\"failure\\\"] with runs=2 [authentication where event.outcome == "
    "\\\"success\\\"]\"}\n";

/*
 * The merger keeps only the events an engine may still name: with a 10 s
 * maxspan, 600 failures a minute apart (over ten hours) are held two at
 * a time at most, and the sequence at the end still names its three
 * events, with their sources.  Without a maxspan every event is kept,
 * and a sequence whose failures are hours apart completes.
 */
Test(detect, window_follows_maxspan)
{
	struct fixture f;
	const struct lh_match *m;
	const char *v = "";
	char user[16];
	size_t n = 0;
	int i;

	setup_rules(&f, seq_rule, 1);
	for (i = 0; i < 600; i++) {
		snprintf(user, sizeof(user), "u%d", i);
		event(&f, T0 + i * 60 * SEC, "failure", user, NULL, "1");
	}
	event(&f, T0 + 36000 * SEC, "failure", "ann", NULL, "1");
	event(&f, T0 + 36004 * SEC, "failure", "ann", NULL, "1");
	event(&f, T0 + 36009 * SEC, "success", "ann", NULL, "2");
	cr_assert_eq(run(&f), LH_OK);
	cr_assert_eq(f.st.fed, 603);
	cr_assert_eq(f.st.sequences, 1);
	cr_assert(f.st.held >= 1 && f.st.held <= 3, "%llu",
	    (unsigned long long)f.st.held);
	cr_assert_not_null(m = alert(&f, 0, 0));
	cr_assert_eq(values(m, "loghunt.event", &v, &n), 3);
	cr_assert(n > 11 && memcmp(v, "1767261600000000\t", 17) == 0,
	    "%.*s", (int)n, v);
	cr_assert_eq(values(m, "loghunt.event_source", &v, &n), 3);
	teardown(&f);

	setup_rules(&f, seq_nospan_rule, 1);
	event(&f, T0, "failure", "ann", NULL, "1");
	for (i = 0; i < 100; i++) {
		snprintf(user, sizeof(user), "u%d", i);
		event(&f, T0 + (i + 1) * 60 * SEC, "failure", user, NULL,
		    "1");
	}
	event(&f, T0 + 7200 * SEC, "failure", "ann", NULL, "1");
	event(&f, T0 + 7300 * SEC, "success", "ann", NULL, "2");
	cr_assert_eq(run(&f), LH_OK);
	cr_assert_eq(f.st.sequences, 1);
	cr_assert_eq(f.st.held, f.st.fed);
	teardown(&f);
}

/* An event that feeds no rule is not kept (and a missing key never joins). */
Test(detect, only_feeding_events_are_kept)
{
	struct fixture f;

	setup(&f);
	cr_assert_eq(event(&f, T0, "unknown", "ann", "1.2.3.4", ""), 0);
	cr_assert_eq(event(&f, T0 + SEC, "failure", NULL, NULL, "10"), 1);
	cr_assert_eq(event(&f, T0 + 2 * SEC, "failure", NULL, NULL, "10"), 1);
	cr_assert_eq(event(&f, T0 + 3 * SEC, "success", NULL, NULL, "21"), 1);
	cr_assert_eq(run(&f), LH_OK);
	cr_assert_eq(f.st.fed, 3);
	cr_assert_eq(f.st.sequences, 0);
	cr_assert_eq(f.st.new_terms, 0);
	teardown(&f);
}

/*
 * new_terms through the driver: terms first seen in the first window of
 * the evidence raise nothing (warm-up); after it, a term unseen in the
 * window before raises one alert carrying the term.
 */
Test(detect, new_terms_first_window)
{
	struct fixture f;
	const struct lh_match *m;
	const char *v = "";
	size_t n = 0;

	setup(&f);
	event(&f, T0, "failure", "ann", "10.0.0.1", "10");
	event(&f, T0 + DAY / 2, "success", "ann", "10.0.0.2", "21");
	event(&f, T0 + DAY + SEC, "success", "ann", "10.0.0.2", "21");
	event(&f, T0 + DAY + 2 * SEC, "success", "ann", "10.0.0.3", "21");
	cr_assert_eq(run(&f), LH_OK);
	cr_assert_eq(f.st.warmup, 1);
	cr_assert_eq(f.st.new_terms, 1);
	cr_assert_not_null(m = alert(&f, 1, 0));
	cr_assert_null(alert(&f, 1, 1));
	cr_assert_eq(m->ts, T0 + DAY + 2 * SEC);
	cr_assert_eq(values(m, "loghunt.new_terms", &v, &n), 1);
	cr_assert(n == 8 && memcmp(v, "10.0.0.3", 8) == 0);
	cr_assert_eq(values(m, "loghunt.group.source.ip", &v, &n), 1);
	teardown(&f);
}

/* A history of window w over evidence starting at 0, for one field. */
static struct lh_terms *
history(struct lh_rule *r, char **fields, size_t nf, int64_t w)
{
	struct lh_terms *t;

	memset(r, 0, sizeof(*r));
	r->kind = LH_RULE_NEW_TERMS;
	r->terms = fields;
	r->nterms = nf;
	r->history_us = w;
	t = lh_terms_create(r, 0);
	cr_assert_not_null(t);
	return t;
}

static int
see(struct lh_terms *t, const char *key, int64_t ts)
{
	int isnew = 99;

	cr_assert_eq(lh_terms_see(t, key, strlen(key), ts, &isnew), LH_OK);
	return isnew;
}

/*
 * The window's edges: a term first seen before one window from the start
 * is warm-up (-1), at exactly one window it is new; seen again exactly a
 * window later it is not new, a microsecond more and it is new again.
 */
Test(terms, window_edges)
{
	char f0[] = "source.ip", *fields[] = { f0 };
	struct lh_rule r;
	struct lh_terms *t = history(&r, fields, 1, DAY);

	cr_assert_eq(see(t, "a", DAY - 1), -1);
	cr_assert_eq(see(t, "a", DAY), 0);
	cr_assert_eq(see(t, "b", DAY), 1);
	cr_assert_eq(see(t, "b", 2 * DAY), 0);
	cr_assert_eq(see(t, "b", 3 * DAY + 1), 1);
	cr_assert_eq(see(t, "a", 3 * DAY + 1), 1);
	lh_terms_free(t);
}

/* Terms of an event: combinations of multi-values; none when missing. */
Test(terms, combinations_and_missing_fields)
{
	char f0[] = "user.name", f1[] = "host.id", *fields[] = { f0, f1 };
	struct lh_rule r;
	struct lh_terms *t = history(&r, fields, 2, DAY);
	struct lh_event ev;
	struct lh_buf b;
	const char *key;
	size_t n, off = 0, len;

	memset(&b, 0, sizeof(b));
	lh_event_init(&ev);
	cr_assert_eq(lh_event_adds(&ev, "user.name", "ann"), LH_OK);
	cr_assert_eq(lh_terms_of(t, &ev, &b, &n), LH_OK);
	cr_assert_eq(n, 0);
	cr_assert_eq(lh_event_adds(&ev, "host.id", "h1"), LH_OK);
	cr_assert_eq(lh_event_adds(&ev, "host.id", "h2"), LH_OK);
	cr_assert_eq(lh_event_adds(&ev, "host.id", "h1"), LH_OK);
	cr_assert_eq(lh_terms_of(t, &ev, &b, &n), LH_OK);
	cr_assert_eq(n, 2);
	cr_assert(lh_terms_next(&b, &off, &key, &len));
	cr_assert(len == 9 && memcmp(key, "3:ann2:h1", 9) == 0, "%.*s",
	    (int)len, key);
	cr_assert(lh_terms_next(&b, &off, &key, &len));
	cr_assert(len == 9 && memcmp(key, "3:ann2:h2", 9) == 0, "%.*s",
	    (int)len, key);
	cr_assert(lh_terms_next(&b, &off, &key, &len) == 0);
	lh_event_free(&ev);
	lh_buf_free(&b);
	lh_terms_free(t);
}

/* Two new_terms rules of one query share the verdict, not the terms. */
Test(detect, new_terms_same_query)
{
	char text[2048];
	struct fixture f;

	snprintf(text, sizeof(text), "%s%s", terms_rule, terms_user_rule);
	setup_rules(&f, text, 2);
	event(&f, T0, "success", "ann", "10.0.0.1", "11");
	event(&f, T0 + DAY, "success", "ann", "10.0.0.2", "11");
	event(&f, T0 + DAY + SEC, "success", "bob", "10.0.0.2", "11");
	event(&f, T0 + DAY + 2 * SEC, "failure", "cid", "10.0.0.9", "");
	cr_assert_eq(run(&f), LH_OK);
	cr_assert_eq(f.st.fed, 3);
	cr_assert_eq(f.st.new_terms, 2);	/* 10.0.0.2, then bob */
	cr_assert_not_null(alert(&f, 0, 0));
	cr_assert_not_null(alert(&f, 1, 0));
	teardown(&f);
}

/* Whether the finished timelines a and b hold the same alerts. */
static void
same_alerts(const struct lh_timeline *a, const struct lh_timeline *b)
{
	size_t i, k;

	cr_assert_eq(lh_timeline_count(a), lh_timeline_count(b));
	for (i = 0; i < lh_timeline_count(a); i++) {
		const struct lh_match *x = lh_timeline_get(a, i);
		const struct lh_match *y = lh_timeline_get(b, i);

		cr_assert(x->rule == y->rule && x->ts == y->ts &&
		    x->nf == y->nf, "alert %zu", i);
		for (k = 0; k < x->nf; k++)
			cr_assert(strcmp(x->f[k].name, y->f[k].name) == 0 &&
			    x->f[k].len == y->f[k].len && memcmp(x->f[k].val,
			    y->f[k].val, x->f[k].len) == 0, "alert %zu field %zu",
			    i, k);
	}
}

/*
 * The new_terms rule on a thread of its own (core/detect_pair.h) beside
 * the sequence: the same alerts and counts as one run, over three days
 * of failures and logins - more than a batch of them, the first event a
 * failure (the new_terms history starts there, not at the first login).
 */
Test(detect, pair_same_as_one_run)
{
	struct lh_detect_stats st;
	struct lh_timeline *tl;
	struct lh_detect_pair *p;
	struct fixture f;
	struct lh_err err;
	char user[16], ip[32];
	size_t i;
	int rc = LH_OK;

	setup(&f);
	/* one window after this failure, not after the first login: new */
	event(&f, T0 - 200 * SEC, "failure", "ann", "10.9.9.9", "10");
	event(&f, T0 + DAY - 100 * SEC, "success", "zed", "192.0.2.77", "21");
	for (i = 0; i < 1500; i++) {
		int64_t t = T0 + (int64_t)i * 150 * SEC;

		snprintf(user, sizeof(user), "u%zu", i % 13);
		snprintf(ip, sizeof(ip), "10.%zu.%zu.1", i % 7, i / 300);
		if (i % 5 == 0) {
			event(&f, t + SEC, "failure", user, ip, "10");
			event(&f, t + 2 * SEC, "failure", user, ip, "10");
		}
		event(&f, t + 3 * SEC, "success", user, ip, "21");
	}
	cr_assert_eq(run(&f), LH_OK);
	cr_assert(f.st.sequences > 0 && f.st.new_terms > 0 &&
	    f.st.warmup > 0);
	lh_err_clear(&err);
	tl = lh_timeline_create();
	cr_assert_not_null(tl);
	p = lh_detect_pair_create(f.rs, 2, tl, NULL, &st, &err);
	cr_assert_not_null(p);
	/* pooled snapshots: the run's "ownership" frees nothing of them */
	for (i = 0; i < lh_timeline_count(f.feeds) && rc == LH_OK; i++)
		rc = lh_detect_pair_feed(p, (struct lh_match *)(uintptr_t)
		    lh_timeline_get(f.feeds, i));
	cr_assert_eq(rc, LH_OK);
	cr_assert_eq(lh_detect_pair_end(p), LH_OK);
	lh_detect_pair_free(p);
	cr_assert_eq(lh_timeline_finish(tl), LH_OK);
	same_alerts(f.alerts, tl);
	cr_assert(st.fed == f.st.fed && st.sequences == f.st.sequences &&
	    st.new_terms == f.st.new_terms && st.warmup == f.st.warmup,
	    "fed %llu/%llu seq %llu/%llu new %llu/%llu warm %llu/%llu",
	    (unsigned long long)st.fed, (unsigned long long)f.st.fed,
	    (unsigned long long)st.sequences,
	    (unsigned long long)f.st.sequences,
	    (unsigned long long)st.new_terms,
	    (unsigned long long)f.st.new_terms,
	    (unsigned long long)st.warmup, (unsigned long long)f.st.warmup);
	lh_timeline_free(tl);
	teardown(&f);
}
