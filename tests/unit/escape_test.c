/*
 * escape_test.c: the output escapers (cli/escape.c) on hostile bytes:
 * terminal controls, C1 in both encodings, invalid UTF-8, NUL, and CSV
 * cells that a spreadsheet would run as formulas.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "cli/escape.h"
#include "core/buf.h"
#include "core/status.h"

typedef int (*esc_fn)(struct lh_buf *, const char *, size_t);

static char out[4096];

static const char *
esc(esc_fn fn, const char *s, size_t n)
{
	struct lh_buf b = { 0 };

	cr_assert_eq(fn(&b, s, n), LH_OK);
	cr_assert_lt(b.len, sizeof(out));
	memcpy(out, b.p != NULL ? b.p : "", b.len);
	out[b.len] = '\0';
	lh_buf_free(&b);
	return out;
}

#define TEXT(s) esc(lh_esc_text, s, sizeof(s) - 1)
#define JSON(s) esc(lh_esc_json, s, sizeof(s) - 1)
#define CSV(s) esc(lh_esc_csv, s, sizeof(s) - 1)

Test(escape, text_controls)
{
	cr_assert_str_eq(TEXT("a\033[31mb"), "a\\x1b[31mb");
	cr_assert_str_eq(TEXT("\033]0;t\007"), "\\x1b]0;t\\x07");
	cr_assert_str_eq(TEXT("x\b\b\x7f"), "x\\x08\\x08\\x7f");
	cr_assert_str_eq(TEXT("n\0l"), "n\\x00l");
	cr_assert_str_eq(TEXT("tab\there\r\n"), "tab\\x09here\\x0d\\x0a");
	/* C1 CSI as UTF-8 (U+009B) and as a raw byte */
	cr_assert_str_eq(TEXT("\302\233"), "\\xc2\\x9b");
	cr_assert_str_eq(TEXT("\233"), "\\x9b");
}

Test(escape, text_utf8)
{
	cr_assert_str_eq(TEXT("caf\303\251 \342\202\254"), "caf\303\251 \342\202\254");
	cr_assert_str_eq(TEXT("\377\300\200"), "\\xff\\xc0\\x80");	/* overlong */
	cr_assert_str_eq(TEXT("\355\240\200"), "\\xed\\xa0\\x80");	/* surrogate */
	cr_assert_str_eq(TEXT("cut \342\202"), "cut \\xe2\\x82");
	cr_assert_str_eq(TEXT("back\\slash \"q\""), "back\\slash \"q\"");
}

Test(escape, json)
{
	cr_assert_str_eq(JSON("a\033b"), "\"a\\u001bb\"");
	cr_assert_str_eq(JSON("\302\233"), "\"\\u009b\"");
	cr_assert_str_eq(JSON("q\"\\"), "\"q\\\"\\\\\"");
	cr_assert_str_eq(JSON("n\0\n\t"), "\"n\\u0000\\n\\t\"");
	cr_assert_str_eq(JSON("\377"), "\"\\\\xff\"");
	cr_assert_str_eq(JSON("\342\200\250"), "\"\\u2028\"");
	cr_assert_str_eq(JSON(""), "\"\"");
}

Test(escape, csv_formulas)
{
	cr_assert_str_eq(CSV("=1+1"), "'=1+1");
	cr_assert_str_eq(CSV("+cmd"), "'+cmd");
	cr_assert_str_eq(CSV("-2"), "'-2");
	cr_assert_str_eq(CSV("@SUM(A1)"), "'@SUM(A1)");
	cr_assert_str_eq(CSV("=HYPERLINK(\"x\",\"y\")"),
	    "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
	cr_assert_str_eq(CSV("a,b"), "\"a,b\"");
	cr_assert_str_eq(CSV("ok"), "ok");
	cr_assert_str_eq(CSV(""), "");
	/* a tab or CR in front is escaped, so it cannot start a formula */
	cr_assert_str_eq(CSV("\t=1"), "\\x09=1");
	cr_assert_str_eq(CSV("\r=1"), "\\x0d=1");
	cr_assert_str_eq(CSV("\033[2J"), "\\x1b[2J");
}
