/*
 * eql_test.c: EQL compilation and single-event evaluation (core/eql_*.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "core/buf.h"
#include "core/eql.h"
#include "core/event.h"
#include "core/status.h"

/*
 * The queries of Elastic's Linux EQL rules, verbatim from
 * ../shared/reference/linux-rules/rules.jsonl (cut into C string pieces).
 */
/* Potential SSH Brute Force Detected on Privileged Account */
static const char q_priv_brute[] =
    "sequence by host.id, source.ip with maxspan=10s\n"
    "  [authentication where host.os.type == \"linux\" and event.ac"
    "tion  in (\"ssh_login\", \"user_login\") and\n"
    "   event.outcome == \"failure\" and source.ip != null and sour"
    "ce.ip != \"0.0.0.0\" and\n"
    "   source.ip != \"::\" and  user.name : (\"*root*\" , \"*admin*\")"
    "] with runs=3\n";

/*
 * Potential External / Internal Linux SSH Brute Force Detected: the same
 * query but for the "not" before cidrmatch.
 */
#define BRUTE_HEAD \
    "sequence by host.id, source.ip, user.name with maxspan=30s\n" \
    "  [ authentication where host.os.type == \"linux\" and \n" \
    "   event.action in (\"ssh_login\", \"user_login\") and event.out" \
    "come == \"failure\" and\n" \
    "   "
#define BRUTE_BLOCKS \
    "\"10.0.0.0/8\", \"127.0.0.0/8\", \"169.254.0.0/16\", \"172.16.0.0/1" \
    "2\", \"192.0.0.0/24\",\n" \
    "       \"192.0.0.0/29\", \"192.0.0.8/32\", \"192.0.0.9/32\", \"192." \
    "0.0.10/32\", \"192.0.0.170/32\", \"192.0.0.171/32\",\n" \
    "       \"192.0.2.0/24\", \"192.31.196.0/24\", \"192.52.193.0/24\"," \
    " \"192.168.0.0/16\", \"192.88.99.0/24\", \"224.0.0.0/4\",\n" \
    "       \"100.64.0.0/10\", \"192.175.48.0/24\",\"198.18.0.0/15\", \"" \
    "198.51.100.0/24\", \"203.0.113.0/24\", \"240.0.0.0/4\", \n" \
    "       \"::1\", \"FE80::/10\", \"FF00::/8\") ] with runs = 60\n"
static const char q_ext_brute[] =
    BRUTE_HEAD "not cidrmatch(source.ip, " BRUTE_BLOCKS;
static const char q_int_brute[] =
    BRUTE_HEAD "cidrmatch(source.ip, " BRUTE_BLOCKS;

/* Potential Successful SSH Brute Force Attack */
static const char q_success_brute[] =
    "sequence by host.id, source.ip, user.name with maxspan=15s\n"
    "  [authentication where host.os.type == \"linux\" and event.ac"
    "tion  in (\"ssh_login\", \"user_login\") and\n"
    "   event.outcome == \"failure\" and source.ip != null and sour"
    "ce.ip != \"0.0.0.0\" and source.ip != \"::\" ] with runs=25\n"
    "  [authentication where host.os.type == \"linux\" and event.ac"
    "tion  in (\"ssh_login\", \"user_login\") and\n"
    "   event.outcome == \"success\" and source.ip != null and sour"
    "ce.ip != \"0.0.0.0\" and source.ip != \"::\" ]\n";

/* Linux User or Group Deletion */
static const char q_user_del[] =
    "iam where host.os.type == \"linux\" and event.type in (\"group\""
    ", \"user\") and event.type == \"deletion\" and event.outcome == "
    "\"success\"\n";

/* Linux Group Creation */
static const char q_group_add[] =
    "iam where host.os.type == \"linux\" and event.type == \"group\" "
    "and event.type == \"creation\" and event.outcome == \"success\"\n";

/* Linux User Account Creation */
static const char q_user_add[] =
    "iam where host.os.type == \"linux\" and event.type == \"user\" a"
    "nd event.type == \"creation\" and event.outcome == \"success\"\n";

static struct lh_eql *
compile(const char *q)
{
	struct lh_err err;
	struct lh_eql *e = lh_eql_compile(q, strlen(q), &err);

	cr_assert_not_null(e, "compile \"%s\": %s", q, err.msg);
	return e;
}

/* The error message of a query that must not compile. */
static const char *
refused(const char *q)
{
	static struct lh_err err;
	struct lh_eql *e = lh_eql_compile(q, strlen(q), &err);

	cr_assert_null(e, "\"%s\" compiled", q);
	cr_assert_eq(err.status, LH_FAIL, "%s: %s", q, err.msg);
	return err.msg;
}

static void
assert_refused(const char *q, const char *feature)
{
	const char *msg = refused(q);

	cr_assert(strstr(msg, "unsupported EQL feature") != NULL &&
	    strstr(msg, feature) != NULL, "%s: \"%s\", wanted %s", q, msg,
	    feature);
}

/* An event from "name=value" pairs (static strings), NULL-terminated. */
static struct lh_event *
event(const char *kv, ...)
{
	static struct lh_event ev;
	static char store[64][128];
	const char *s;
	va_list ap;
	int i = 0;

	lh_event_free(&ev);
	lh_event_init(&ev);
	va_start(ap, kv);
	for (s = kv; s != NULL; s = va_arg(ap, const char *), i++) {
		const char *eq = strchr(s, '=');

		cr_assert(eq != NULL && i < 64);
		memcpy(store[i], s, (size_t)(eq - s));
		store[i][eq - s] = '\0';
		cr_assert_eq(lh_event_adds(&ev, store[i], eq + 1), LH_OK);
	}
	va_end(ap);
	return &ev;
}

/* Whether the single-event query q matches ev. */
static int
match(const char *q, const struct lh_event *ev)
{
	struct lh_eql *e = compile(q);
	int r = lh_eql_step_match(e, 0, ev);

	lh_eql_free(e);
	return r;
}

Test(eql, rules_compile)
{
	const char *seqs[] = { q_priv_brute, q_ext_brute, q_int_brute,
		q_success_brute };
	const char *single[] = { q_user_del, q_group_add, q_user_add };
	struct lh_eql *e;
	size_t i;

	for (i = 0; i < 4; i++) {
		e = compile(seqs[i]);
		cr_assert(lh_eql_is_sequence(e));
		lh_eql_free(e);
	}
	for (i = 0; i < 3; i++) {
		e = compile(single[i]);
		cr_assert(!lh_eql_is_sequence(e));
		cr_assert_eq(lh_eql_nsteps(e), 1);
		lh_eql_free(e);
	}
}

Test(eql, sequence_header)
{
	struct lh_eql *e = compile(q_success_brute);
	const char *const *k;
	size_t n;

	cr_assert_eq(lh_eql_nsteps(e), 2);
	cr_assert_eq(lh_eql_runs(e, 0), 25);
	cr_assert_eq(lh_eql_runs(e, 1), 1);
	cr_assert_eq(lh_eql_maxspan_us(e), 15000000);
	k = lh_eql_keys(e, &n);
	cr_assert_eq(n, 3);
	cr_assert_str_eq(k[0], "host.id");
	cr_assert_str_eq(k[1], "source.ip");
	cr_assert_str_eq(k[2], "user.name");
	lh_eql_free(e);

	e = compile(q_ext_brute);
	cr_assert_eq(lh_eql_nsteps(e), 1);
	cr_assert_eq(lh_eql_runs(e, 0), 60);	/* "with runs = 60" */
	cr_assert_eq(lh_eql_maxspan_us(e), 30000000);
	lh_eql_free(e);

	e = compile("sequence with maxspan=2m by a [x where true] "
	    "[y where true]");
	cr_assert_eq(lh_eql_maxspan_us(e), 120000000);
	k = lh_eql_keys(e, &n);
	cr_assert_eq(n, 1);
	lh_eql_free(e);
	e = compile("sequence [x where true] [y where true]");
	cr_assert_eq(lh_eql_maxspan_us(e), 0);
	lh_eql_keys(e, &n);
	cr_assert_eq(n, 0);
	lh_eql_free(e);
	e = compile("sequence with maxspan=500ms [x where true] with runs=2");
	cr_assert_eq(lh_eql_maxspan_us(e), 500000);
	lh_eql_free(e);
}

Test(eql, refused_features)
{
	assert_refused("process where true | head 5", "pipe");
	assert_refused("sequence [a where true] [b where true] "
	    "until [c where true]", "until");
	assert_refused("join [a where true] [b where true]", "join");
	assert_refused("sample by x [a where true] [b where true]", "sample");
	assert_refused("process where startsWith(x, \"a\")",
	    "function startsWith()");
	assert_refused("process where endsWith~(x, \"a\")", "~");
	assert_refused("process where x like \"a*\"", "like");
	assert_refused("process where x regex \"a.*\"", "regex");
	assert_refused("process where x in~ (\"a\")", "in~");
	assert_refused("process where x + 1 == 2", "arithmetic");
	assert_refused("process where x == y", "field to a field");
	assert_refused("process where a < 1 < 2", "chained comparison");
	assert_refused("sequence [a where true] by x [b where true] by y",
	    "per-subquery by");
	assert_refused("sequence [a where true] ![b where true] "
	    "[c where true]", "missing events");
	assert_refused("process where x == 'a'", "single-quoted");
	assert_refused("sequence [a where true] with runs=2 [b where true] "
	    "with foo=3", "with option");
}

Test(eql, syntax_errors)
{
	cr_assert(strstr(refused("process where"), "column 14") != NULL);
	refused("process x == 1");
	refused("process where x == \"a");
	refused("process where x == \"\\q\"");
	refused("process where (x == 1");
	refused("sequence [a where true]");	/* one stage */
	refused("sequence [a where true] with runs=101");
	refused("sequence with maxspan=10 [a where true] [b where true]");
	refused("process where cidrmatch(source.ip, \"10.0.0.0/33\")");
	refused("");
}

Test(eql, multi_valued_fields)
{
	struct lh_event *ev = event("event.category=iam",
	    "host.os.type=linux", "event.type=user", "event.type=creation",
	    "event.outcome=success", NULL);

	cr_assert(match(q_user_add, ev));
	cr_assert(!match(q_group_add, ev));
	cr_assert(!match(q_user_del, ev));
	ev = event("event.category=iam", "host.os.type=linux",
	    "event.type=group", "event.type=deletion",
	    "event.outcome=success", NULL);
	cr_assert(match(q_user_del, ev));
	cr_assert(!match(q_user_add, ev));
	/* the category is a term on event.category */
	ev = event("event.category=authentication", "host.os.type=linux",
	    "event.type=user", "event.type=creation",
	    "event.outcome=success", NULL);
	cr_assert(!match(q_user_add, ev));
	cr_assert(match("any where event.type == \"creation\"", ev));
}

Test(eql, case_sensitivity)
{
	struct lh_event *ev = event("host.os.type=Linux",
	    "user.name=Administrator", NULL);

	cr_assert(!match("any where host.os.type == \"linux\"", ev));
	cr_assert(match("any where host.os.type : \"linux\"", ev));
	cr_assert(match("any where user.name : (\"*root*\", \"*admin*\")",
	    ev));
	cr_assert(match("any where user.name : \"ADMIN?STRATOR\"", ev));
	cr_assert(!match("any where user.name : \"admin\"", ev));
	cr_assert(!match("any where user.name in (\"administrator\")", ev));
	cr_assert(match("any where user.name in (\"x\", \"Administrator\")",
	    ev));
	cr_assert(match("any where user.name not in (\"administrator\")",
	    ev));
	/* == does not expand wildcards */
	cr_assert(!match("any where user.name == \"Admin*\"", ev));
}

Test(eql, null_and_negation)
{
	struct lh_event *ev = event("user.name=root", NULL);

	cr_assert(!match("any where source.ip != null", ev));
	cr_assert(match("any where source.ip == null", ev));
	cr_assert(match("any where user.name != null", ev));
	/* must_not: a missing field satisfies != and not */
	cr_assert(match("any where source.ip != \"0.0.0.0\"", ev));
	cr_assert(match("any where not source.ip == \"0.0.0.0\"", ev));
	cr_assert(match("any where not cidrmatch(source.ip, \"10.0.0.0/8\")",
	    ev));
	cr_assert(!match("any where cidrmatch(source.ip, \"10.0.0.0/8\")",
	    ev));
	cr_assert(!match("any where source.ip == \"0.0.0.0\"", ev));
	ev = event("source.ip=0.0.0.0", NULL);
	cr_assert(!match("any where source.ip != \"0.0.0.0\"", ev));
	cr_assert(match("any where source.ip != \"::\"", ev));
	ev = event("source.ip=::", NULL);
	cr_assert(!match("any where source.ip != \"::\"", ev));
	cr_assert(match("any where source.ip != \"0.0.0.0\"", ev));
	ev = event("source.ip=10.1.2.3", NULL);
	cr_assert(match("any where source.ip == \"10.0.0.0/8\"", ev));
	cr_assert(match("any where source.ip in (\"::1\", \"10.1.2.3\")",
	    ev));
	cr_assert(match("any where source.ip > \"10.1.2.2\"", ev));
	cr_assert(!match("any where source.ip > \"10.0.0.0/8\"", ev));
}

Test(eql, cidrmatch)
{
	static const char *const in[] = { "10.1.2.3", "127.0.0.1",
		"192.168.7.7", "fe80::1", "FE80::abcd", "::1", "ff02::1",
		"100.64.0.1", "febf::1" };
	static const char *const out[] = { "8.8.8.8", "2001:db8::1", "::2",
		"fec0::1", "11.0.0.1", "not-an-ip" };
	char field[64];
	size_t i;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		snprintf(field, sizeof(field), "source.ip=%s", in[i]);
		struct lh_event *ev = event("event.category=authentication",
		    "host.os.type=linux", "event.action=ssh_login",
		    "event.outcome=failure", field, NULL);
		struct lh_eql *e = compile(q_int_brute);

		cr_assert(lh_eql_step_match(e, 0, ev), "%s", in[i]);
		lh_eql_free(e);
		e = compile(q_ext_brute);
		cr_assert(!lh_eql_step_match(e, 0, ev), "%s", in[i]);
		lh_eql_free(e);
	}
	for (i = 0; i < sizeof(out) / sizeof(out[0]); i++) {
		snprintf(field, sizeof(field), "source.ip=%s", out[i]);
		struct lh_event *ev = event("event.category=authentication",
		    "host.os.type=linux", "event.action=user_login",
		    "event.outcome=failure", field, NULL);
		struct lh_eql *e = compile(q_int_brute);

		cr_assert(!lh_eql_step_match(e, 0, ev), "%s", out[i]);
		lh_eql_free(e);
		e = compile(q_ext_brute);
		cr_assert(lh_eql_step_match(e, 0, ev), "%s", out[i]);
		lh_eql_free(e);
	}
}

Test(eql, rule_steps)
{
	struct lh_eql *e = compile(q_success_brute);
	struct lh_event *ev = event("event.category=authentication",
	    "host.os.type=linux", "event.action=ssh_login",
	    "event.outcome=failure", "source.ip=203.0.113.9", NULL);

	cr_assert_eq(lh_eql_match_mask(e, ev), 1);
	ev = event("event.category=authentication", "host.os.type=linux",
	    "event.action=ssh_login", "event.outcome=success",
	    "source.ip=203.0.113.9", NULL);
	cr_assert_eq(lh_eql_match_mask(e, ev), 2);
	ev = event("event.category=authentication", "host.os.type=linux",
	    "event.action=ssh_login", "event.outcome=success", NULL);
	cr_assert_eq(lh_eql_match_mask(e, ev), 0);
	lh_eql_free(e);
	e = compile(q_priv_brute);
	ev = event("event.category=authentication", "host.os.type=linux",
	    "event.action=ssh_login", "event.outcome=failure",
	    "source.ip=203.0.113.9", "user.name=SuperRoot", NULL);
	cr_assert_eq(lh_eql_match_mask(e, ev), 1);
	lh_eql_free(e);
}

Test(eql, literals_and_types)
{
	struct lh_event *ev = event("process.pid=4242", "file.path=C:\\red\\x",
	    "message=a\"b", "@x=1", NULL);

	cr_assert(match("any where process.pid > 100", ev));
	cr_assert(match("any where process.pid >= 4242", ev));
	cr_assert(!match("any where process.pid < -1", ev));
	cr_assert(match("any where process.pid in (1, 4242)", ev));
	cr_assert(match("any where process.pid == 4242", ev));
	cr_assert(match("any where file.path : \"*\\\\red\\\\*\"", ev));
	cr_assert(match("any where file.path == ?\"C:\\red\\x\"", ev));
	cr_assert(match("any where file.path == \"\"\"C:\\red\\x\"\"\"", ev));
	cr_assert(match("any where message == \"a\\\"b\"", ev));
	cr_assert(match("any where message == \"\\u{61}\\u{0022}b\"", ev));
	cr_assert(match("any where `file.path` != null and ?@x == \"1\"", ev));
	cr_assert(match("any where true", ev));
	cr_assert(!match("any where false or not true", ev));
	cr_assert(match("any where (false or true) and not (false)", ev));
	cr_assert(match("any where not false and true // comment", ev));
}

/* The join keys of ev under q, as "v1/v2/v3;" for each key. */
static const char *
keys_of(const struct lh_eql *q, const struct lh_event *ev)
{
	static char out[1024];
	struct lh_buf b = { 0 };
	size_t n, off = 0, len, i, l, o = 0;
	const char *k;

	cr_assert_eq(lh_eql_join_keys(q, ev, &b, &n), LH_OK);
	out[0] = '\0';
	while (lh_eql_key_next(&b, &off, &k, &len)) {
		for (i = 0; i < len; i += 4 + l) {
			const unsigned char *u = (const unsigned char *)k + i;

			l = (size_t)u[2] << 8 | u[3];
			o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%.*s",
			    i ? "/" : "", (int)l, k + i + 4);
		}
		o += (size_t)snprintf(out + o, sizeof(out) - o, ";");
		n--;
	}
	cr_assert_eq(n, 0);
	lh_buf_free(&b);
	return out;
}

Test(eql, join_keys)
{
	struct lh_eql *e = compile(q_ext_brute);
	struct lh_event *ev = event("host.id=h1", "source.ip=1.2.3.4",
	    "user.name=root", NULL);

	cr_assert_str_eq(keys_of(e, ev), "h1/1.2.3.4/root;");
	/* multi-valued: one key per value, the cartesian product */
	ev = event("host.id=h1", "source.ip=1.2.3.4", "user.name=root",
	    "user.name=admin", "host.id=h2", "user.name=root", NULL);
	cr_assert_str_eq(keys_of(e, ev), "h1/1.2.3.4/root;h1/1.2.3.4/admin;"
	    "h2/1.2.3.4/root;h2/1.2.3.4/admin;");
	ev = event("source.ip=1.2.3.4", "user.name=root", NULL);
	cr_assert_str_eq(keys_of(e, ev), "");	/* no host.id: null key */
	lh_eql_free(e);
	e = compile("sequence [a where true] [b where true]");
	cr_assert_str_eq(keys_of(e, ev), ";");	/* one empty key */
	lh_eql_free(e);
}

/* Which fields a query reads, and whether it needs event.category. */
static int
list_field(void *arg, const char *name)
{
	char *out = arg;

	strcat(out, name);
	strcat(out, ",");
	return 1;
}

Test(eql, fields_and_category)
{
	struct lh_eql *q;
	char got[512] = "";

	q = compile("sequence by user.name [authentication where a == \"x\" "
	    "and not cidrmatch(source.ip, \"10.0.0.0/8\")] [any where b > 1]");
	cr_assert_eq(lh_eql_fields(q, list_field, got), 1);
	cr_assert_str_eq(got, "user.name,event.category,a,source.ip,b,");
	cr_assert_eq(lh_eql_needs_category(q), 0);
	lh_eql_free(q);
	q = compile(q_ext_brute);
	cr_assert_eq(lh_eql_needs_category(q), 1);
	lh_eql_free(q);
	q = compile("any where event.category == \"iam\"");
	cr_assert_eq(lh_eql_needs_category(q), 0);	/* not proven */
	lh_eql_free(q);
}

/*
 * An "and" is evaluated in the order of its operands' cost (terms on
 * constant fields last): the verdict is the written order's, with a
 * missing field, a negation and a nested or among the operands.
 */
Test(eql, and_order_keeps_verdicts)
{
	const char *q = "any where host.os.type == \"linux\" and "
	    "not cidrmatch(source.ip, \"10.0.0.0/8\") and "
	    "(user.name == \"a\" or user.name == \"root\") and "
	    "event.outcome == \"failure\"";
	struct lh_event *ev;

	ev = event("host.os.type=linux", "source.ip=192.0.2.1",
	    "user.name=root", "event.outcome=failure", NULL);
	cr_assert_eq(match(q, ev), 1);
	ev = event("host.os.type=linux", "source.ip=10.1.2.3",
	    "user.name=root", "event.outcome=failure", NULL);
	cr_assert_eq(match(q, ev), 0);
	ev = event("host.os.type=windows", "user.name=root",
	    "event.outcome=failure", NULL);
	cr_assert_eq(match(q, ev), 0);
	ev = event("host.os.type=linux", "user.name=root", NULL);
	cr_assert_eq(match(q, ev), 0);
	ev = event("host.os.type=linux", "user.name=root",
	    "event.outcome=failure", NULL);
	cr_assert_eq(match(q, ev), 1);	/* no address: not must_not */
}

/*
 * lh_eql_share: the three SSH brute-force sequences test eight distinct
 * things (host.os.type, event.action, each event.outcome, cidrmatch,
 * source.ip present, not "0.0.0.0", not "::"), whatever rule or step
 * they appear in.
 */
Test(eql, shared_leaves_numbered)
{
	struct lh_eql *q[3];
	size_t i;

	q[0] = compile(q_ext_brute);
	q[1] = compile(q_int_brute);
	q[2] = compile(q_success_brute);
	cr_assert_eq(lh_eql_share(q, 3), 8);
	cr_assert_eq(lh_eql_share(q, 1), 4, "numbers start again");
	for (i = 0; i < 3; i++)
		lh_eql_free(q[i]);
}

/*
 * With a memo, each event's answers are those without one: the memo
 * forgets the last event's when told (lh_eql_memo_next), though the
 * events share their addresses here (event() reuses one event).
 */
Test(eql, memo_answers_per_event)
{
	static const char *const ip[] = {
		"8.8.8.8", "10.1.2.3", "8.8.8.8", "0.0.0.0", "10.1.2.3",
		"::", "8.8.4.4"
	};
	static const char *const outcome[] = {
		"failure", "failure", "success", "failure", "success",
		"failure", "failure"
	};
	struct lh_eql *q[3];
	struct lh_eql_memo *memo;
	const struct lh_event *ev;
	size_t i, k, n;

	q[0] = compile(q_ext_brute);
	q[1] = compile(q_int_brute);
	q[2] = compile(q_success_brute);
	n = lh_eql_share(q, 3);
	cr_assert_not_null(memo = lh_eql_memo_create(n));
	for (i = 0; i < sizeof(ip) / sizeof(ip[0]); i++) {
		char sip[64], sout[64];

		snprintf(sip, sizeof(sip), "source.ip=%s", ip[i]);
		snprintf(sout, sizeof(sout), "event.outcome=%s", outcome[i]);
		ev = event("event.category=authentication",
		    "host.os.type=linux", "event.action=ssh_login", sout, sip,
		    "user.name=root", NULL);
		lh_eql_memo_next(memo);
		for (k = 0; k < 3; k++)
			cr_assert_eq(lh_eql_match_mask_memo(q[k], ev, memo),
			    lh_eql_match_mask(q[k], ev),
			    "event %zu (%s %s), query %zu", i, ip[i],
			    outcome[i], k);
	}
	/* the answers above are not all alike: the test can tell */
	for (i = 0; i < 2; i++) {
		ev = event("event.category=authentication",
		    "host.os.type=linux", "event.action=ssh_login",
		    "event.outcome=failure", i == 0 ? "source.ip=10.1.2.3" :
		    "source.ip=8.8.8.8", NULL);
		lh_eql_memo_next(memo);
		cr_assert_eq(lh_eql_match_mask_memo(q[0], ev, memo), i);
		cr_assert_eq(lh_eql_match_mask_memo(q[1], ev, memo), 1 - i);
	}
	lh_eql_memo_free(memo);
	for (k = 0; k < 3; k++)
		lh_eql_free(q[k]);
}
