/*
 * field_test.c: field types and value comparison (core/field.c), the layer
 * every query language shares.
 */
#include <stdint.h>
#include <string.h>

#include <criterion/criterion.h>

#include "core/event.h"
#include "core/field.h"
#include "core/status.h"
#include "core/time.h"

#define S(x) x, strlen(x)

Test(field, types)
{
	cr_assert_eq(lh_field_type("message"), LH_T_TEXT);
	cr_assert_eq(lh_field_type("process.command_line.text"), LH_T_TEXT);
	cr_assert_eq(lh_field_type(".text"), LH_T_KEYWORD);
	cr_assert_eq(lh_field_type("@timestamp"), LH_T_DATE);
	cr_assert_eq(lh_field_type("event.created"), LH_T_DATE);
	cr_assert_eq(lh_field_type("process.pid"), LH_T_LONG);
	cr_assert_eq(lh_field_type("process.name"), LH_T_KEYWORD);
}

Test(field, span_cmp)
{
	cr_assert_eq(lh_span_cmp(S("abc"), S("abc")), 0);
	cr_assert_lt(lh_span_cmp(S("ab"), S("abc")), 0);
	cr_assert_gt(lh_span_cmp(S("abd"), S("abc")), 0);
	cr_assert_lt(lh_span_cmp("", 0, S("a")), 0);
	cr_assert(lh_cmp_holds(LH_CMP_LE, 0));
	cr_assert(lh_cmp_holds(LH_CMP_LT, -3));
	cr_assert_not(lh_cmp_holds(LH_CMP_GT, 0));
	cr_assert(lh_cmp_holds(LH_CMP_GE, 1));
	cr_assert_not(lh_cmp_holds(LH_CMP_EQ, 1));
}

Test(field, wildcard_case_sensitive)
{
	cr_assert(lh_field_wildcard("ssh*", S("sshd"), 0));
	cr_assert(lh_field_wildcard("*", "", 0, 0));
	cr_assert(lh_field_wildcard("a*b*c", S("aXbYbZc"), 0));
	cr_assert_not(lh_field_wildcard("a*b*c", S("aXbYbZ"), 0));
	cr_assert_not(lh_field_wildcard("SSH*", S("sshd"), 0));
	/* '?' is literal unless asked for, and '\' quotes. */
	cr_assert_not(lh_field_wildcard("ss?d", S("sshd"), 0));
	cr_assert(lh_field_wildcard("ss?d", S("ss?d"), 0));
	cr_assert(lh_field_wildcard("a\\*", S("a*"), 0));
	cr_assert_not(lh_field_wildcard("a\\*", S("ab"), 0));
}

Test(field, wildcard_eql_style)
{
	unsigned f = LH_FIELD_NOCASE | LH_FIELD_QMARK;

	cr_assert(lh_field_wildcard("SS?D*", S("sshd.service"), f));
	cr_assert(lh_field_wildcard("*.EXE", S("cmd.exe"), f));
	/* '?' is one character, not one byte; case folds beyond ASCII. */
	cr_assert(lh_field_wildcard("?rger", S("\xc3\x84rger"), f));
	cr_assert(lh_field_wildcard("\xc3\xa4*", S("\xc3\x84rger"), f));
	cr_assert_not(lh_field_wildcard("??rger", S("\xc3\x84rger"), f));
	cr_assert(lh_field_wildcard("a\\?", S("A?"), f));
	cr_assert_not(lh_field_wildcard("a\\?", S("Ab"), f));
	/* An invalid byte matches only itself. */
	cr_assert(lh_field_wildcard("x\xff", S("X\xff"), f));
	cr_assert_not(lh_field_wildcard("x\xfe", S("X\xff"), f));
}

Test(field, keyword)
{
	char big[LH_FIELD_IGNORE_ABOVE + 2];

	cr_assert(lh_field_cmp_keyword(S("sshd"), LH_CMP_EQ, S("sshd"), 0));
	cr_assert_not(lh_field_cmp_keyword(S("SSHD"), LH_CMP_EQ, S("sshd"),
	    0));
	cr_assert(lh_field_cmp_keyword(S("SSHD"), LH_CMP_EQ, S("sshd"),
	    LH_FIELD_NOCASE));
	cr_assert(lh_field_cmp_keyword(S("b"), LH_CMP_GT, S("abc"), 0));
	cr_assert(lh_field_cmp_keyword(S("B"), LH_CMP_LT, S("abc"), 0));
	cr_assert(lh_field_cmp_keyword(S("B"), LH_CMP_GT, S("abc"),
	    LH_FIELD_NOCASE));
	memset(big, 'a', sizeof(big));
	cr_assert(lh_field_keyword_indexed(big, LH_FIELD_IGNORE_ABOVE));
	cr_assert_not(lh_field_keyword_indexed(big, sizeof(big)));
	cr_assert_not(lh_field_cmp_keyword(big, sizeof(big), LH_CMP_EQ, big,
	    sizeof(big), 0));
}

Test(field, long)
{
	int64_t v = 0, lo, hi;

	cr_assert_eq(lh_field_parse_long(S("-42.9"), &v), LH_OK);
	cr_assert_eq(v, -42);
	cr_assert_eq(lh_field_parse_long(S("+7."), &v), LH_OK);
	cr_assert_eq(v, 7);
	cr_assert_eq(lh_field_parse_long(S("-9223372036854775808"), &v),
	    LH_OK);
	cr_assert_eq(v, INT64_MIN);
	cr_assert_eq(lh_field_parse_long(S("9223372036854775808"), &v),
	    LH_FAIL);
	cr_assert_eq(lh_field_parse_long(S(".5"), &v), LH_FAIL);
	cr_assert_eq(lh_field_parse_long(S("1e3"), &v), LH_FAIL);
	cr_assert_eq(lh_field_long_range(LH_CMP_EQ, S("3.5"), &lo, &hi),
	    LH_OK);
	cr_assert_gt(lo, hi);
	lh_field_long_range(LH_CMP_GT, S("3.5"), &lo, &hi);
	cr_assert_eq(lo, 4);
	lh_field_long_range(LH_CMP_GT, S("3"), &lo, &hi);
	cr_assert_eq(lo, 4);
	lh_field_long_range(LH_CMP_LE, S("-3.5"), &lo, &hi);
	cr_assert_eq(hi, -4);
	lh_field_long_range(LH_CMP_LT, S("-9223372036854775808"), &lo, &hi);
	cr_assert_gt(lo, hi);
	cr_assert(lh_field_cmp_long(S("22"), 22, 22));
	cr_assert_not(lh_field_cmp_long(S("x"), INT64_MIN, INT64_MAX));
}

Test(field, date)
{
	int64_t t, lo, hi, day = 86400 * LH_US;
	int64_t jan1 = lh_days_from_civil(2024, 1, 1) * day;

	cr_assert_eq(lh_field_parse_date(S("2024-01-01T00:00:00Z"), &t),
	    LH_OK);
	cr_assert_eq(t, jan1);
	cr_assert_eq(lh_field_parse_date(S("1704067200000"), &t), LH_OK);
	cr_assert_eq(t, jan1);
	cr_assert_eq(lh_field_date_range(LH_CMP_EQ, S("2024-01"), 0, &lo,
	    &hi), LH_OK);
	cr_assert_eq(lo, jan1);
	cr_assert_eq(hi, jan1 + 31 * day - 1);
	cr_assert_eq(lh_field_date_range(LH_CMP_GE, S("now-1d/d"),
	    jan1 + day / 2, &lo, &hi), LH_OK);
	cr_assert_eq(lo, jan1 - day);
	cr_assert_eq(lh_field_date_range(LH_CMP_LT, S("2024||+1M"), 0, &lo,
	    &hi), LH_OK);
	cr_assert_eq(hi, jan1 + 31 * day - 1);
	cr_assert_eq(lh_field_date_range(LH_CMP_EQ, S("yesterday"), 0, &lo,
	    &hi), LH_FAIL);
	cr_assert(lh_field_cmp_date(S("2024-01-15"), jan1, jan1 + 31 * day));
}

Test(field, text)
{
	struct lh_tokens tmp;
	struct lh_text e;
	struct lh_term *q;
	size_t nq, which = 9;
	long k;

	lh_tokens_init(&tmp);
	lh_field_text_init(&e);
	cr_assert_eq(lh_field_text_analyze(&e,
	    S("Failed password for root from 10.0.0.1")), LH_OK);
	cr_assert_eq(lh_field_terms(S("FAILED Password"), &tmp, &q, &nq),
	    LH_OK);
	cr_assert_eq(nq, 2);
	cr_assert(lh_field_text_phrase(&e, q, nq));
	k = lh_field_text_match(&e, q + 1, 1, &which);
	cr_assert_eq(k, 1);
	cr_assert_eq(which, 0);
	lh_field_terms_free(q, nq);
	cr_assert_eq(lh_field_terms(S("password failed"), &tmp, &q, &nq),
	    LH_OK);
	cr_assert_not(lh_field_text_phrase(&e, q, nq));
	lh_field_terms_free(q, nq);
	cr_assert_eq(lh_field_terms(S("..."), &tmp, &q, &nq), LH_OK);
	cr_assert_null(q);
	cr_assert_not(lh_field_text_phrase(&e, q, nq));
	cr_assert_eq(lh_field_text_wildcard(&e, "pass*", 0), 1);
	cr_assert_eq(lh_field_text_wildcard(&e, "PASS*", 0), -1);
	cr_assert_eq(lh_field_text_wildcard(&e, "PASS*", LH_FIELD_NOCASE), 1);
	cr_assert_eq(lh_field_text_cmp(&e, LH_CMP_GE, S("root")), 3);
	lh_field_text_free(&e);
	lh_tokens_free(&tmp);
}

Test(field, values_of_a_field)
{
	struct lh_event ev;
	size_t i, n = 0;
	int64_t t;

	lh_event_init(&ev);
	lh_event_adds(&ev, "tags", "a");
	lh_event_adds(&ev, LH_F_PROC_NAME, "sshd");
	lh_event_adds(&ev, "tags", "b");
	for (i = lh_field_find(&ev, "tags", 0); i < ev.nfield;
	    i = lh_field_find(&ev, "tags", i + 1))
		n++;
	cr_assert_eq(n, 2);
	cr_assert_eq(lh_field_find(&ev, "process.name", 0), 1);
	cr_assert_eq(lh_field_find(&ev, "nope", 0), ev.nfield);
	ev.ts = LH_TS_NONE;
	cr_assert_not(lh_field_timestamp(&ev, &t));
	ev.ts = 5;
	ev.ts_flags = LH_TS_BOOT;
	cr_assert_not(lh_field_timestamp(&ev, &t));
	ev.ts_flags = 0;
	cr_assert(lh_field_timestamp(&ev, &t));
	cr_assert_eq(t, 5);
	lh_event_free(&ev);
}

Test(field, table_sorted_for_binary_search)
{
	const char *a, *b;
	size_t i;

	for (i = 1; (b = lh_field_table_name(i)) != NULL; i++) {
		a = lh_field_table_name(i - 1);
		cr_assert_lt(strcmp(a, b), 0, "%s before %s", a, b);
	}
	cr_assert_eq(lh_field_type("source.ip"), LH_T_IP);
	cr_assert_eq(lh_field_type("process.pid"), LH_T_LONG);
	cr_assert_eq(lh_field_type("@timestamp"), LH_T_DATE);
	cr_assert_eq(lh_field_type("user.name"), LH_T_KEYWORD);
	cr_assert(lh_field_is_array("related.ip"));
	cr_assert(!lh_field_is_array("source.ip"));
}

/* The static names of core/event.h, and the constant fields among them. */
Test(field, event_statics_and_constant_names)
{
	char copy[] = "message";
	struct lh_event ev;

	cr_assert(lh_event_is_static(LH_F_MESSAGE));
	cr_assert(lh_event_is_static(LH_F_TIMESTAMP));
	cr_assert(lh_event_is_static(LH_F_FILE_PATH));
	cr_assert(!lh_event_is_static(copy));
	cr_assert(!lh_event_is_static("host.os.type"));
	lh_event_init(&ev);
	cr_assert_eq(lh_event_add_constants(&ev, LH_DS_AUTH), LH_OK);
	cr_assert(lh_event_is_static(ev.fields[0].val));
	cr_assert(lh_event_is_static(ev.fields[3].val));
	lh_event_free(&ev);
	cr_assert(lh_event_constant_name("host.os.type"));
	cr_assert(lh_event_constant_name(LH_F_DS_DATASET));
	cr_assert(lh_event_constant_name("event.module"));
	cr_assert(!lh_event_constant_name("event.action"));
	cr_assert(!lh_event_constant_name("host.name"));
}

Test(field, same_name_bytewise)
{
	static const char *const names[] = { "", "e", "ev", "event.action",
		"event.category", "event.actio", "event.actionx", "event.ac",
		"system.auth.ssh.event", "system.auth.ssh.events", "_PID",
		"_COMM" };
	char copy[32];
	size_t i, j;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		strcpy(copy, names[i]);
		cr_expect(lh_field_same_name(names[i], names[i]));
		cr_expect(lh_field_same_name(copy, names[i]), "%s", copy);
		for (j = 0; j < sizeof(names) / sizeof(names[0]); j++)
			cr_expect_eq(lh_field_same_name(names[i], names[j]),
			    strcmp(names[i], names[j]) == 0, "%s %s",
			    names[i], names[j]);
	}
}

Test(field, get_first_of_name)
{
	struct lh_event ev;
	char name[16];

	lh_event_init(&ev);
	strcpy(name, "_PID");
	cr_assert_eq(lh_event_adds(&ev, "__CURSOR", "c"), LH_OK);
	cr_assert_eq(lh_event_adds(&ev, "_PI", "x"), LH_OK);
	cr_assert_eq(lh_event_adds(&ev, "_PID", "1"), LH_OK);
	cr_assert_eq(lh_event_adds(&ev, "_PID", "2"), LH_OK);
	cr_assert_eq(lh_event_adds(&ev, "_", "u"), LH_OK);
	cr_expect_eq(lh_field_get(&ev, name), &ev.fields[2]);
	cr_expect_eq(lh_field_get(&ev, "_"), &ev.fields[4]);
	cr_expect_eq(lh_field_get(&ev, "__CURSOR"), &ev.fields[0]);
	cr_expect_null(lh_field_get(&ev, "_PIDX"));
	cr_expect_null(lh_field_get(&ev, "__"));
	lh_event_free(&ev);
}
