/*
 * escape_test.c: the output escapers (cli/escape.c) on hostile bytes:
 * terminal controls, C1 in both encodings, invalid UTF-8, NUL, and CSV
 * cells that a spreadsheet would run as formulas; the run finder
 * (core/escape.c lh_escape_span) against a byte loop.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "cli/escape.h"
#include "core/buf.h"
#include "core/escape.h"
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

/* What lh_escape_span must return: the plain loop, a byte at a time. */
static size_t
span_ref(const unsigned char *p, size_t n, int quote)
{
	size_t i = 0;

	while (i < n && p[i] >= 0x20 && p[i] < 0x7f &&
	    (!quote || (p[i] != '"' && p[i] != '\\')))
		i++;
	return i;
}

static const unsigned char stops[] = {
	0x00, 0x09, 0x1f, 0x7f, 0x80, 0x9b, 0xc3, 0xff, '"', '\\'
};

/*
 * Every length 0..70, every position of a byte that may end the run (and
 * a second one after it), both modes: the string is the end of an
 * allocation of its exact size, so that a read past it shows under ASan.
 */
Test(escape, span_every_length)
{
	size_t n, at, k, q;
	unsigned char *p;

	for (n = 0; n <= 70; n++) {
		p = malloc(n > 0 ? n : 1);
		cr_assert_not_null(p);
		for (at = 0; at <= n; at++) {
			for (k = 0; k < sizeof(stops); k++) {
				for (q = 0; q < n; q++)
					p[q] = (unsigned char)(0x20 + q % 95);
				if (at < n)
					p[at] = stops[k];
				if (at + 3 < n)
					p[at + 3] = stops[(k + 1) %
					    sizeof(stops)];
				for (q = 0; q < 2; q++)
					cr_assert_eq(lh_escape_span(
					    (const char *)p, n, (int)q),
					    span_ref(p, n, (int)q),
					    "n %zu at %zu byte %#x quote %zu",
					    n, at, stops[k], q);
			}
		}
		free(p);
	}
}

/*
 * lh_esc_json copies a plain string without a reservation when there is
 * room: the same bytes as through the growing path, for every length and
 * room around the edge, with the NUL after them.
 */
Test(escape, json_room)
{
	char s[80], want[128];
	size_t n, room, fill;
	struct lh_buf b = { 0 };

	for (n = 0; n < sizeof(s); n++) {
		s[n] = (char)(n % 3 == 0 ? 'x' : '0' + n % 10);
		want[0] = '"';
		memcpy(want + 1, s, n);
		want[n + 1] = '"';
		for (room = n; room < n + 5; room++) {
			lh_buf_free(&b);
			cr_assert_eq(lh_buf_reserve(&b, room), LH_OK);
			b.len = fill = b.cap - room - 1; /* room and NUL */
			memset(b.p, '.', b.len);
			cr_assert_eq(lh_esc_json(&b, s, n), LH_OK);
			cr_assert_eq(b.len, fill + n + 2);
			cr_assert_eq(memcmp(b.p + b.len - n - 2, want,
			    n + 2), 0);
			cr_assert_eq(b.p[b.len], '\0');
		}
	}
	/* an escape in a string that would fit goes the long way */
	lh_buf_reset(&b);
	cr_assert_eq(lh_esc_json(&b, "a\nb\"c", 5), LH_OK);
	cr_assert_str_eq(b.p, "\"a\\nb\\\"c\"");
	lh_buf_free(&b);
}
