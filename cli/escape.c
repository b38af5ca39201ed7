/*
 * escape.c: safe output of untrusted bytes (see escape.h).
 *
 * Text escaping is core's lh_escape_ctl (also used for messages); JSON and
 * CSV build on it and on the one UTF-8 decoder, lh_utf8_decode.
 */
#include <stdint.h>
#include <string.h>

#include "cli/escape.h"
#include "core/escape.h"
#include "core/status.h"
#include "core/utf8.h"

int
lh_esc_text(struct lh_buf *b, const char *s, size_t n)
{
	return lh_escape_ctl(b, s, n);
}

/*
 * One decoded code point cp (k bytes at p) as JSON string content, at o,
 * which has room for 6 bytes per byte of p: returns the end.
 */
static const char hex[] = "0123456789abcdef";

static char *
json_char(char *o, const unsigned char *p, size_t k, uint32_t cp)
{
	if (cp == '"' || cp == '\\') {
		*o++ = '\\';
		*o++ = (char)cp;
	} else if (cp == '\n' || cp == '\t' || cp == '\r') {
		*o++ = '\\';
		*o++ = cp == '\n' ? 'n' : cp == '\t' ? 't' : 'r';
	} else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
	    cp == 0x2028 || cp == 0x2029) {
		memcpy(o, "\\u", 2);
		o[2] = hex[cp >> 12 & 15];
		o[3] = hex[cp >> 8 & 15];
		o[4] = hex[cp >> 4 & 15];
		o[5] = hex[cp & 15];
		o += 6;
	} else {
		memcpy(o, p, k);
		o += k;
	}
	return o;
}

/* At most this many bytes are escaped per reservation of 6 bytes each. */
#define JSON_STEP 4096

/*
 * lh_esc_json of a string whose first k bytes are a run (lh_escape_span):
 * the rest is escaped in steps of JSON_STEP bytes.  Not inlined, so that
 * lh_esc_json's path for plain strings saves no registers.
 */
static __attribute__((noinline)) int
json_escaped(struct lh_buf *b, const char *s, size_t n, size_t k)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, stop;
	uint32_t cp = 0;
	char *o;

	if (lh_buf_reserve(b, n + 2) != LH_OK)
		return LH_FATAL;
	b->p[b->len++] = '"';
	for (;;) {
		memcpy(b->p + b->len, p + i, k);	/* (room: n + 2) */
		b->len += k;
		if ((i += k) == n)
			break;
		/* the rest (6 bytes at most per byte, 3 past stop) in steps */
		stop = n - i > JSON_STEP ? i + JSON_STEP : n;
		if (lh_buf_reserve(b, (stop - i + 3) * 6 + (n - stop) + 1) !=
		    LH_OK)
			return LH_FATAL;
		for (o = b->p + b->len; i < stop; i += k) {
			if ((k = lh_escape_span(s + i, stop - i, 1)) > 0) {
				memcpy(o, p + i, k);
				o += k;
			} else if ((k = lh_utf8_decode(p + i, n - i, &cp)) ==
			    0) {
				memcpy(o, "\\\\x", 3);	/* an invalid byte */
				o[3] = hex[p[i] >> 4];
				o[4] = hex[p[i] & 15];
				o += 5;
				k = 1;
			} else {
				o = json_char(o, p + i, k, cp);
			}
		}
		b->len = (size_t)(o - b->p);
		if (i == n)
			break;
		k = lh_escape_span(s + i, n - i, 1);
	}
	b->p[b->len++] = '"';
	b->p[b->len] = '\0';
	return LH_OK;
}

int
lh_esc_json(struct lh_buf *b, const char *s, size_t n)
{
	size_t k = lh_escape_span(s, n, 1);
	char *o;

	/* most strings: nothing to escape, and room for them, "" and NUL */
	if (k < n || n + 2 >= b->cap - b->len)
		return json_escaped(b, s, n, k);
	o = b->p + b->len;
	o[0] = '"';
	memcpy(o + 1, s, n);
	o[n + 1] = '"';
	o[n + 2] = '\0';
	b->len += n + 2;
	return LH_OK;
}

/* Appends the n bytes at c as a CSV cell (c holds no control character). */
static int
csv_quoted(struct lh_buf *b, const char *c, size_t n)
{
	size_t i, k;
	int quote, rc;

	/* (no control character: no line break to quote either) */
	quote = n > 0 && (memchr(c, ',', n) != NULL ||
	    memchr(c, '"', n) != NULL || c[0] == ' ' || c[n - 1] == ' ');
	rc = quote ? lh_buf_putc(b, '"') : LH_OK;
	if (rc == LH_OK && n > 0 && strchr("=+-@", c[0]) != NULL)
		rc = lh_buf_putc(b, '\'');
	for (i = 0; i < n && rc == LH_OK; i += k) {
		const char *q = memchr(c + i, '"', n - i);

		/* up to and with the next '"', which is doubled */
		k = q != NULL ? (size_t)(q - (c + i)) + 1 : n - i;
		rc = lh_buf_append(b, c + i, k);
		if (rc == LH_OK && q != NULL)
			rc = lh_buf_putc(b, '"');
	}
	if (quote && rc == LH_OK)
		rc = lh_buf_putc(b, '"');
	return rc;
}

int
lh_esc_csv(struct lh_buf *b, const char *s, size_t n)
{
	struct lh_buf t = { 0 };
	int rc = LH_OK;

	/* control characters are escaped as in text output */
	if (lh_escape_span(s, n, 0) < n) {
		rc = lh_esc_text(&t, s, n);
		s = t.p;
		n = t.len;
	}
	if (rc == LH_OK)
		rc = csv_quoted(b, s, n);
	lh_buf_free(&t);
	if (rc != LH_OK)
		b->err = 1;	/* sticky, as if b's append had failed */
	return rc == LH_OK ? LH_OK : LH_FATAL;
}
