/*
 * rules_test.c: the rule NDJSON loader (core/rules.c) on text that is not
 * NUL-terminated, as its contract allows (len bytes).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "core/diag.h"
#include "core/rules.h"
#include "core/status.h"

/*
 * Loads s (without its NUL) from a buffer of exactly strlen(s) bytes;
 * returns the number of rules loaded, checking the status: LH_OK when d
 * got no message, LH_WARN otherwise.
 */
static size_t
load_exact(const char *s, struct lh_diag *d)
{
	size_t n = strlen(s), before = d->n, k;
	char *p = malloc(n ? n : 1);
	struct lh_ruleset *rs = lh_ruleset_create();
	int rc;

	cr_assert_not_null(p);
	cr_assert_not_null(rs);
	memcpy(p, s, n);
	rc = lh_ruleset_load(rs, p, n, "t", 0, d);
	cr_assert_eq(rc, d->n > before ? LH_WARN : LH_OK);
	k = lh_ruleset_count(rs);
	lh_ruleset_free(rs);
	free(p);
	return k;
}

/*
 * Fuzzer finding: the blank-line check used strspn(), which read past a
 * last line without a newline.
 */
Test(rules, unterminated_last_line)
{
	struct lh_diag d;

	lh_diag_init(&d);
	cr_assert_eq(load_exact("\n \t\r", &d), 0);
	cr_assert_eq(d.n, 0);
	cr_assert_eq(load_exact("\nan error", &d), 0);
	cr_assert_eq(d.n, 1);
	cr_assert(strstr(d.msg[0], "t:2: not a JSON rule") != NULL, "%s",
	    d.msg[0]);
	lh_diag_free(&d);
}

/* A refused rule is reported and the others load: LH_WARN, not a failure. */
Test(rules, refused_rule_is_a_warning)
{
	static const char rule[] = "{\"rule_id\":\"r1\",\"name\":\"R one\","
	    "\"type\":\"query\",\"language\":\"kuery\",\"query\":\"a:b\","
	    "\"severity\":\"low\",\"risk_score\":1,\"description\":\"d\"}";
	char text[1024];
	struct lh_diag d;

	lh_diag_init(&d);
	cr_assert_eq(load_exact(rule, &d), 1);
	cr_assert_eq(d.n, 0);
	snprintf(text, sizeof(text), "%s\n%s\n", rule, rule);
	cr_assert_eq(load_exact(text, &d), 1);
	cr_assert_eq(d.n, 1);
	cr_assert(strstr(d.msg[0], "t:2: rule r1 refused: duplicate rule_id")
	    != NULL, "%s", d.msg[0]);
	lh_diag_free(&d);
}

/* Collects the values lh_rule_required_values() reports, "v1,v2,". */
static int
collect(void *arg, const char *v, size_t len)
{
	strncat(arg, v, len);
	strcat(arg, ",");
	return 1;
}

/* The values a rule of type/language/query needs field to hold, or NULL. */
static const char *
required(const char *type, const char *lang, const char *query,
    const char *field)
{
	static char got[256];
	char text[1024];
	struct lh_ruleset *rs = lh_ruleset_create();
	struct lh_diag d;
	int yes;

	lh_diag_init(&d);
	snprintf(text, sizeof(text), "{\"rule_id\":\"r\",\"name\":\"r\","
	    "\"type\":\"%s\",\"language\":\"%s\",\"query\":\"%s\","
	    "\"new_terms_fields\":[\"user.name\"],"
	    "\"history_window_start\":\"now-5d\"}", type, lang, query);
	cr_assert_eq(lh_ruleset_load(rs, text, strlen(text), "t", 0, &d),
	    LH_OK, "%s", d.n ? d.msg[0] : query);
	got[0] = '\0';
	yes = lh_rule_required_values(lh_ruleset_get(rs, 0), field, collect,
	    got);
	lh_ruleset_free(rs);
	lh_diag_free(&d);
	return yes ? got : NULL;
}

/*
 * The values a rule needs, from its compiled query in each language (the
 * auth-stream prefilter rests on them: core/scan_prefilter.c): a term of
 * a conjunction, an or of such terms, every step of a sequence; never a
 * negation, a wildcard, a case-insensitive match or another field.
 */
Test(rules, required_values)
{
	const char *f = "event.action";

	cr_assert_str_eq(required("new_terms", "kuery", "event.category:"
	    "authentication and event.action:(ssh_login or user_login)", f),
	    "ssh_login,user_login,");
	cr_assert_null(required("new_terms", "kuery",
	    "event.action:ssh_login or user.name:x", f));
	cr_assert_null(required("new_terms", "kuery",
	    "not event.action:ssh_login", f));
	cr_assert_null(required("new_terms", "kuery", "event.action:ssh*", f));
	cr_assert_str_eq(required("eql", "eql", "sequence by user.name "
	    "[authentication where event.action in (\\\"a\\\", \\\"b\\\")] "
	    "[authentication where event.action == \\\"c\\\" and "
	    "event.outcome == \\\"success\\\"]", f), "a,b,c,");
	cr_assert_null(required("eql", "eql", "sequence by user.name "
	    "[authentication where event.action == \\\"a\\\"] "
	    "[authentication where true]", f));
	cr_assert_null(required("eql", "eql", "any where event.action : "
	    "\\\"a\\\"", f));
	cr_assert_str_eq(required("esql", "esql", "from logs-* | where "
	    "event.outcome == \\\"failure\\\" and event.action in "
	    "(\\\"x\\\", \\\"y\\\") | stats c = count(*) by user.name", f),
	    "x,y,");
	cr_assert_null(required("esql", "esql", "from logs-* | where "
	    "event.action == \\\"x\\\" or user.name == \\\"y\\\" | stats c = "
	    "count(*) by user.name", f));
}

/*
 * The EQL rules' leaves are numbered across rules when rules are loaded
 * and again when some are kept (lh_eql_share): two rules testing the same
 * host.os.type and event.type share those numbers.
 */
Test(rules, eql_leaves_shared_across_rules)
{
	static const char text[] =
	    "{\"rule_id\":\"a\",\"name\":\"a\",\"type\":\"eql\","
	    "\"language\":\"eql\",\"query\":\"iam where host.os.type == "
	    "\\\"linux\\\" and event.type == \\\"user\\\"\"}\n"
	    "{\"rule_id\":\"b\",\"name\":\"b\",\"type\":\"eql\","
	    "\"language\":\"eql\",\"query\":\"iam where host.os.type == "
	    "\\\"linux\\\" and event.type == \\\"group\\\" and "
	    "event.outcome == \\\"success\\\"\"}\n";
	struct lh_ruleset *rs = lh_ruleset_create();
	struct lh_diag d;
	int keep[2] = { 1, 0 };

	lh_diag_init(&d);
	cr_assert_eq(lh_ruleset_load(rs, text, strlen(text), "t", 0, &d),
	    LH_OK, "%s", d.n ? d.msg[0] : "");
	cr_assert_eq(lh_ruleset_count(rs), 2);
	cr_assert_eq(lh_ruleset_eql_leaves(rs), 4);
	lh_ruleset_keep(rs, keep);
	cr_assert_eq(lh_ruleset_eql_leaves(rs), 2);
	lh_ruleset_free(rs);
	lh_diag_free(&d);
}
