/*
 * rules_test.c: the rule NDJSON loader (core/rules.c) on text that is not
 * NUL-terminated, as its contract allows (len bytes).
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "core/diag.h"
#include "core/rules.h"

/* Loads s (without its NUL) from a buffer of exactly strlen(s) bytes. */
static int
load_exact(const char *s, struct lh_diag *d)
{
	size_t n = strlen(s);
	char *p = malloc(n ? n : 1);
	struct lh_ruleset *rs = lh_ruleset_create();
	int k;

	cr_assert_not_null(p);
	cr_assert_not_null(rs);
	memcpy(p, s, n);
	k = lh_ruleset_load(rs, p, n, "t", 0, d);
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
