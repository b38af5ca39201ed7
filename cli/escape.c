/*
 * escape.c: safe output of untrusted bytes (see escape.h).
 */
#include <stdio.h>
#include <string.h>

#include "cli/escape.h"
#include "core/status.h"

/*
 * Length of the valid UTF-8 sequence at s (1..4), or 0 when the byte at s
 * does not start one (overlongs, surrogates and > U+10FFFF are invalid).
 */
static size_t
utf8_len(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c = s[0];
	size_t len, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, c &= 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, c &= 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, c &= 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
	    (len == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	*cp = c;
	return len;
}

static int
hexbyte(struct lh_buf *b, unsigned char c, const char *prefix)
{
	return lh_buf_printf(b, "%sx%02x", prefix, c);
}

/* Length of the run at p that JSON and text output copy as it is. */
static size_t
plain_run(const unsigned char *p, size_t n)
{
	size_t i = 0;

	while (i < n && p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' &&
	    p[i] != '\\')
		i++;
	return i;
}

int
lh_esc_text(struct lh_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;
	unsigned cp;

	while (i < n) {
		if ((k = plain_run(p + i, n - i)) > 0 ||
		    (i < n && (p[i] == '"' || p[i] == '\\'))) {
			k += k == 0;
			if (lh_buf_append(b, p + i, k) != LH_OK)
				return LH_FATAL;
			i += k;
			continue;
		}
		k = utf8_len(p + i, n - i, &cp);
		if (k == 0 || cp < 0x20 || cp == 0x7f ||
		    (cp >= 0x80 && cp <= 0x9f)) {
			if (k == 0)
				k = 1;
			for (size_t j = 0; j < k; j++)
				if (hexbyte(b, p[i + j], "\\") != LH_OK)
					return LH_FATAL;
		} else if (lh_buf_append(b, p + i, k) != LH_OK) {
			return LH_FATAL;
		}
		i += k;
	}
	return LH_OK;
}

int
lh_esc_json(struct lh_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;
	unsigned cp;

	if (lh_buf_reserve(b, n + 2) != LH_OK || lh_buf_putc(b, '"') != LH_OK)
		return LH_FATAL;
	while (i < n) {
		if ((k = plain_run(p + i, n - i)) > 0) {
			if (lh_buf_append(b, p + i, k) != LH_OK)
				return LH_FATAL;
			i += k;
			continue;
		}
		k = utf8_len(p + i, n - i, &cp);
		if (k == 0) {
			if (hexbyte(b, p[i], "\\\\") != LH_OK)
				return LH_FATAL;
			i++;
			continue;
		}
		if (cp == '"' || cp == '\\') {
			lh_buf_putc(b, '\\');
			lh_buf_putc(b, (int)cp);
		} else if (cp == '\n') {
			lh_buf_puts(b, "\\n");
		} else if (cp == '\t') {
			lh_buf_puts(b, "\\t");
		} else if (cp == '\r') {
			lh_buf_puts(b, "\\r");
		} else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 &&
		    cp <= 0x9f) || cp == 0x2028 || cp == 0x2029) {
			lh_buf_printf(b, "\\u%04x", cp);
		} else if (lh_buf_append(b, p + i, k) != LH_OK) {
			return LH_FATAL;
		}
		i += k;
	}
	return lh_buf_putc(b, '"');
}

int
lh_esc_csv(struct lh_buf *b, const char *s, size_t n)
{
	struct lh_buf t = { NULL, 0, 0 };
	int quote, rc;
	size_t i;

	/* control characters are escaped as in text output */
	if (lh_esc_text(&t, s, n) != LH_OK)
		return LH_FATAL;
	if (lh_buf_reserve(&t, 1) != LH_OK)	/* t.p: a string, even empty */
		return LH_FATAL;
	quote = strpbrk(t.p, ",\"\n\r") != NULL || (t.len > 0 &&
	    (t.p[0] == ' ' || t.p[t.len - 1] == ' '));
	rc = quote ? lh_buf_putc(b, '"') : LH_OK;
	if (t.len > 0 && strchr("=+-@", t.p[0]) != NULL)
		rc = lh_buf_putc(b, '\'');
	for (i = 0; i < t.len && rc == LH_OK; i++) {
		if (t.p[i] == '"')
			rc = lh_buf_putc(b, '"');
		if (rc == LH_OK)
			rc = lh_buf_putc(b, t.p[i]);
	}
	if (quote && rc == LH_OK)
		rc = lh_buf_putc(b, '"');
	lh_buf_free(&t);
	return rc;
}
