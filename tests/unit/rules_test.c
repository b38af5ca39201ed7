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
