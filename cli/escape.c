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

/* Length of the run at p that JSON output copies as it is. */
static size_t
plain_run(const unsigned char *p, size_t n)
{
	size_t i = 0;

	while (i < n && p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' &&
	    p[i] != '\\')
		i++;
	return i;
}

/* One decoded code point cp (k bytes at p) as JSON string content. */
static int
json_char(struct lh_buf *b, const unsigned char *p, size_t k, uint32_t cp)
{
	if (cp == '"' || cp == '\\') {
		if (lh_buf_putc(b, '\\') != LH_OK)
			return LH_FATAL;
		return lh_buf_putc(b, (int)cp);
	}
	if (cp == '\n')
		return lh_buf_puts(b, "\\n");
	if (cp == '\t')
		return lh_buf_puts(b, "\\t");
	if (cp == '\r')
		return lh_buf_puts(b, "\\r");
	if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
	    cp == 0x2028 || cp == 0x2029)
		return lh_buf_printf(b, "\\u%04x", (unsigned)cp);
	return lh_buf_append(b, p, k);
}

int
lh_esc_json(struct lh_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;
	uint32_t cp = 0;
	int rc;

	if (lh_buf_reserve(b, n + 2) != LH_OK || lh_buf_putc(b, '"') != LH_OK)
		return LH_FATAL;
	while (i < n) {
		if ((k = plain_run(p + i, n - i)) > 0) {
			rc = lh_buf_append(b, p + i, k);
		} else if ((k = lh_utf8_decode(p + i, n - i, &cp)) == 0) {
			rc = lh_buf_printf(b, "\\\\x%02x", p[i]);
			k = 1;
		} else {
			rc = json_char(b, p + i, k, cp);
		}
		if (rc != LH_OK)
			return LH_FATAL;
		i += k;
	}
	return lh_buf_putc(b, '"');
}

int
lh_esc_csv(struct lh_buf *b, const char *s, size_t n)
{
	struct lh_buf t = { 0 };
	int quote, rc;
	size_t i;

	/* control characters are escaped as in text output */
	if ((rc = lh_esc_text(&t, s, n)) != LH_OK ||
	    (rc = lh_buf_reserve(&t, 1)) != LH_OK)	/* t.p: a string */
		goto out;
	quote = strpbrk(t.p, ",\"\n\r") != NULL || (t.len > 0 &&
	    (t.p[0] == ' ' || t.p[t.len - 1] == ' '));
	rc = quote ? lh_buf_putc(b, '"') : LH_OK;
	if (rc == LH_OK && t.len > 0 && strchr("=+-@", t.p[0]) != NULL)
		rc = lh_buf_putc(b, '\'');
	for (i = 0; i < t.len && rc == LH_OK; i++) {
		if (t.p[i] == '"')
			rc = lh_buf_putc(b, '"');
		if (rc == LH_OK)
			rc = lh_buf_putc(b, t.p[i]);
	}
	if (quote && rc == LH_OK)
		rc = lh_buf_putc(b, '"');
out:
	lh_buf_free(&t);
	if (rc != LH_OK)
		b->err = 1;	/* sticky, as if b's append had failed */
	return rc == LH_OK ? LH_OK : LH_FATAL;
}
