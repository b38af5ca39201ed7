/*
 * analyzer_test.c: the standard analyzer against the word-break rules of
 * SPEC section 5 and against Lucene's own output (testdata/
 * analyzer-cases.jsonl, produced by StandardTokenizer + LowerCaseFilter).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <json-c/json.h>

#include "core/analyzer.h"
#include "core/status.h"

#define CASES_PATH "testdata/analyzer-cases.jsonl"

/* Analyzes in[0..len) and asserts that the tokens are exactly want[]. */
static void
check_len(const char *in, size_t len, const char *const *want)
{
	struct lh_tokens t;
	size_t i, n;

	for (n = 0; want[n] != NULL; n++)
		continue;
	lh_tokens_init(&t);
	cr_assert_eq(lh_analyze(in, len, &t), LH_OK);
	for (i = 0; i < t.n && i < n; i++) {
		cr_expect_str_eq(lh_token(&t, i), want[i],
		    "input \"%.60s\": token %zu", in, i);
		cr_expect_eq(strlen(lh_token(&t, i)), t.len[i]);
	}
	cr_expect_eq(
	    t.n, n, "input \"%.60s\": %zu tokens, want %zu", in, t.n, n);
	lh_tokens_free(&t);
}

static void
check(const char *in, const char *const *want)
{
	check_len(in, strlen(in), want);
}

#define TOKS(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define NOTOKS ((const char *const[]){ NULL })

Test(analyzer, letters_and_digits_join)
{
	check("krb5_child web3signer 00007f3a 3abc abc3 PM2",
	    TOKS(
	        "krb5_child", "web3signer", "00007f3a", "3abc", "abc3", "pm2"));
}

Test(analyzer, underscore_joins_anything)
{
	check("foo_bar _foo foo_ __x__ a_1 1_a _1_ __ _",
	    TOKS("foo_bar", "_foo", "foo_", "__x__", "a_1", "1_a", "_1_"));
	check("___", NOTOKS);
}

Test(analyzer, dot_joins_letter_letter_and_digit_digit)
{
	check("a.b libc.so 1.2.3 10.0.0.1 a.1 1.a v1.2b",
	    TOKS("a.b", "libc.so", "1.2.3", "10.0.0.1", "a", "1", "1", "a",
	        "v1.2b"));
}

Test(analyzer, colon_joins_letter_letter_only)
{
	check("a:b kernel:segfault 12:34 a:1 1:a sshd:",
	    TOKS("a:b", "kernel:segfault", "12", "34", "a", "1", "1", "a",
	        "sshd"));
}

Test(analyzer, comma_semicolon_join_digit_digit_only)
{
	check("1,234 1;2 a,b a;b 1,a",
	    TOKS("1,234", "1;2", "a", "b", "a", "b", "1", "a"));
}

Test(analyzer, apostrophe_joins_letters_or_digits)
{
	check("don't dog's 1'2 1'a a'1 'quoted' x'",
	    TOKS("don't", "dog's", "1'2", "1", "a", "a", "1", "quoted", "x"));
}

Test(analyzer, only_one_mid_character)
{
	check("a..b a::b a.:b 1..2 1,,2 a''b a_.b",
	    TOKS("a", "b", "a", "b", "a", "b", "1", "2", "1", "2", "a", "b",
	        "a_", "b"));
}

Test(analyzer, everything_else_breaks)
{
	check("a-b a/b a\\b a+b a=b a@b a#b a$b a%b a&b a*b a!b a?b a\"b "
	      "a|b a~b a^b a`b a(b)c[d]e{f}g<h>i a\tb a\nb a b",
	    TOKS("a", "b", "a", "b", "a", "b", "a", "b", "a", "b", "a", "b",
	        "a", "b", "a", "b", "a", "b", "a", "b", "a", "b", "a", "b", "a",
	        "b", "a", "b", "a", "b", "a", "b", "a", "b", "a", "b", "a", "b",
	        "c", "d", "e", "f", "g", "h", "i", "a", "b", "a", "b", "a",
	        "b"));
}

Test(analyzer, non_ascii_letters_are_word_characters)
{
	check("café naïve x·y it’s 12’s résumé-ok",
	    TOKS("café", "naïve", "x·y", "it’s", "12", "s", "résumé", "ok"));
	/* A combining mark belongs to the letter before it (WB4). */
	check("e\xcc\x81t\xc3\xa9", TOKS("e\xcc\x81t\xc3\xa9"));
	check(" \xcc\x81x", TOKS("x"));
}

Test(analyzer, lowercase_is_per_code_point)
{
	check("ÉCOLE İstanbul STRASSE ΣΑΣ ǅ \xf0\x90\x90\x80",
	    TOKS("école", "istanbul", "strasse", "σασ", "ǆ",
	        "\xf0\x90\x90\xa8"));
}

Test(analyzer, cjk_and_southeast_asian)
{
	check("日本語テキスト ひらがな 한국어 ภาษาไทย",
	    TOKS("日", "本", "語", "テキスト", "ひ", "ら", "が", "な", "한국어",
	        "ภาษาไทย"));
}

Test(analyzer, hebrew_quotes)
{
	/* WB7a: a Hebrew letter keeps a trailing '; WB7b/c: H"H joins. */
	check("\xd7\xa9' \xd7\xa6\xd7\x94\"\xd7\x9c",
	    TOKS("\xd7\xa9'", "\xd7\xa6\xd7\x94\"\xd7\x9c"));
}

/* clang-format miscounts the width of emoji sequences. */
/* clang-format off */
Test(analyzer, emoji_sequences)
{
	check("a🙂b 👍🏽 👨‍👩‍👧 🇩🇪🇫🇷 #️⃣ 1️⃣ ❤️ x",
	    TOKS("a", "🙂", "b", "👍🏽", "👨‍👩‍👧", "🇩🇪", "🇫🇷", "#️⃣",
	        "1️⃣", "❤️", "x"));
	/* Lone keycap bases are not emoji; a lone skin tone modifier is. */
	check("# * 🏻", TOKS("🏻"));
}
/* clang-format on */

Test(analyzer, long_tokens_split_at_255)
{
	char in[400], want[256];

	memset(in, 'a', 300);
	in[300] = '\0';
	memset(want, 'a', 255);
	want[255] = '\0';
	check(in, TOKS(want, want + 255 - 45));
	memset(in, 'C', 256);
	in[256] = '\0';
	memset(want, 'c', 255);
	check(in, TOKS(want, "c"));
}

Test(analyzer, split_window_is_utf16_units)
{
	char in[300], a254[255];

	/* A supplementary letter needs 2 units: it no longer fits at 254. */
	memset(a254, 'a', 254);
	a254[254] = '\0';
	snprintf(in, sizeof(in), "%s\xf0\x9d\x90\x80z", a254);
	check(in, TOKS(a254, "\xf0\x9d\x90\x80z"));
	/* The scanner cannot look past the window for the mid's right side. */
	snprintf(in, sizeof(in), "%s.b", a254);
	check(in, TOKS(a254, "b"));
}

Test(analyzer, invalid_utf8_and_nul_bytes)
{
	check("ab\xff"
	      "cd \xc0\xaf x\xed\xa0\x80y \xf5z",
	    TOKS("ab", "cd", "x", "y", "z"));
	check_len("ab\0cd", 5, TOKS("ab", "cd"));
	/* Truncated sequences at the very end: never read past len. */
	check_len("ab\xe2\x82", 4, TOKS("ab"));
	check_len("\xf0\x9f\x99", 3, NOTOKS);
	check_len("\xc3", 1, NOTOKS);
	check_len("", 0, NOTOKS);
}

Test(analyzer, buffers_are_reused)
{
	struct lh_tokens t;

	lh_tokens_init(&t);
	cr_assert_eq(lh_analyze("one two three", 13, &t), LH_OK);
	cr_assert_eq(t.n, 3);
	cr_assert_eq(lh_analyze("four", 4, &t), LH_OK);
	cr_assert_eq(t.n, 1);
	cr_assert_str_eq(lh_token(&t, 0), "four");
	cr_assert_eq(t.text_len, 5);
	lh_tokens_free(&t);
	lh_tokens_free(&t);
}

/* Checks one JSON case line; returns 1 if it passed. */
static int
check_case(const char *line, size_t lineno)
{
	struct json_object *root, *in, *want;
	struct lh_tokens t;
	const char *s;
	size_t i, n;
	int ok;

	root = json_tokener_parse(line);
	cr_assert_not_null(root, "%s:%zu: bad JSON", CASES_PATH, lineno);
	cr_assert(json_object_object_get_ex(root, "input", &in));
	cr_assert(json_object_object_get_ex(root, "tokens", &want));
	s = json_object_get_string(in);
	lh_tokens_init(&t);
	cr_assert_eq(
	    lh_analyze(s, (size_t)json_object_get_string_len(in), &t), LH_OK);
	n = json_object_array_length(want);
	ok = t.n == n;
	for (i = 0; ok && i < n; i++)
		ok = strcmp(lh_token(&t, i),
		         json_object_get_string(
		             json_object_array_get_idx(want, i))) == 0;
	cr_expect(ok, "%s:%zu: wrong tokens for \"%s\" (%zu, want %zu)",
	    CASES_PATH, lineno, s, t.n, n);
	lh_tokens_free(&t);
	json_object_put(root);
	return ok;
}

Test(analyzer, lucene_reference_cases)
{
	FILE *fp;
	char *line = NULL;
	size_t cap = 0, lineno = 0, passed = 0;

	fp = fopen(CASES_PATH, "r");
	cr_assert_not_null(
	    fp, "cannot open %s (run from the repo root)", CASES_PATH);
	while (getline(&line, &cap, fp) > 0) {
		lineno++;
		passed += (size_t)check_case(line, lineno);
	}
	free(line);
	fclose(fp);
	cr_expect_eq(lineno, 41, "%zu cases", lineno);
	cr_expect_eq(passed, lineno, "%zu of %zu cases pass", passed, lineno);
}
