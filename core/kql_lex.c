/*
 * kql_lex.c: the lexical level of KQL: spaces, keywords, and literals
 * with their escapes, for the parser in kql_parse.c.
 *
 * DESIGN
 * The grammar is Kibana's (kbn-es-query grammar.peggy).  Unquoted
 * literals run on until a special character or a keyword and are trimmed
 * as JavaScript's String.prototype.trim() does, which is what makes
 * "message:quick brown fox" one value.  Every literal is scanned into two
 * forms at once: the decoded value, and the same as a glob pattern in
 * which the '*' and '\' the user quoted are escaped, so that "a\*" and
 * "a*" stay apart.  Positions are byte offsets; errors report 1-based
 * columns in characters.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/kql.h"
#include "core/kql_int.h"
#include "core/num.h"
#include "core/status.h"
#include "core/utf8.h"

/* Whitespace as JavaScript's String.prototype.trim() sees it. */
static int
js_space(uint32_t cp)
{
	return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0xA0 ||
	    cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
	    cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000 ||
	    cp == 0xFEFF;
}

/*
 * Bytes of JS whitespace at the start (back = 0) or end of s.  Invalid
 * UTF-8 is not whitespace.
 */
static size_t
trim_len(const char *s, size_t n, int back)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t t = 0, used = 0, k;
	uint32_t cp = 0;

	while (t < n) {
		if (!back) {
			used = lh_utf8_decode(u + t, n - t, &cp);
		} else {
			/* The last sequence: the one that ends exactly at n. */
			for (k = 1, used = 0; used == 0 && k <= 3 &&
			    k <= n - t; k++)
				if (lh_utf8_decode(u + n - t - k, k, &cp) == k)
					used = k;
		}
		if (used == 0 || !js_space(cp))
			break;
		t += used;
	}
	return t;
}

/* ---- lexical level ------------------------------------------------------ */

/* Bytes of the grammar's Space ([ \t\r\n\u00A0]) at i, or 0. */
static size_t
space_at(const struct parser *p, size_t i)
{
	const unsigned char *s = (const unsigned char *)p->s;

	if (i < p->n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' ||
	    s[i] == '\n'))
		return 1;
	if (i + 1 < p->n && s[i] == 0xC2 && s[i + 1] == 0xA0)
		return 2;
	return 0;
}

size_t
kql_skip_spaces(const struct parser *p, size_t i)
{
	size_t k;

	while ((k = space_at(p, i)) != 0)
		i += k;
	return i;
}

/* The length of the ASCII word w at i, case-insensitively, or 0. */
static size_t
word_at(const struct parser *p, size_t i, const char *w)
{
	size_t k, n = strlen(w);

	if (i > p->n || n > p->n - i)
		return 0;
	for (k = 0; k < n; k++) {
		char c = p->s[i + k];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if (c != w[k])
			return 0;
	}
	return n;
}

/* Or / And: Space+ kw Space+ at i; the position after it, or 0. */
size_t
kql_conj_at(const struct parser *p, size_t i, const char *kw)
{
	size_t j = kql_skip_spaces(p, i), k;

	if (j == i || (k = word_at(p, j, kw)) == 0 || !space_at(p, j + k))
		return 0;
	return kql_skip_spaces(p, j + k);
}

/* Not: 'not' Space+ at i; the position after it, or 0. */
size_t
kql_not_at(const struct parser *p, size_t i)
{
	size_t k = word_at(p, i, "not");

	if (k == 0 || !space_at(p, i + k))
		return 0;
	return kql_skip_spaces(p, i + k);
}

/* The grammar's Keyword lookahead, which ends an unquoted literal. */
static int
keyword_at(const struct parser *p, size_t i)
{
	size_t k = space_at(p, i), w;

	if (k != 0) {
		if ((w = word_at(p, i + k, "or")) != 0 &&
		    space_at(p, i + k + w))
			return 1;
		if ((w = word_at(p, i + k, "and")) != 0 &&
		    space_at(p, i + k + w))
			return 1;
	}
	return kql_not_at(p, i) != 0;
}

static int
is_special(char c)
{
	return c != '\0' && strchr("\\():<>\"*{}", c) != NULL;
}

size_t
kql_column(const struct parser *p, size_t at)
{
	return lh_utf8_count(p->s, at) + 1;
}

struct node *
kql_fail(struct parser *p, size_t at, const char *what)
{
	char found[16];

	if (p->failed)
		return NULL;
	p->failed = 1;
	if (at >= p->n)
		snprintf(found, sizeof(found), "end of query");
	else if ((unsigned char)p->s[at] < 0x20 ||
	    (unsigned char)p->s[at] >= 0x7F)
		snprintf(found, sizeof(found), "byte 0x%02x",
		    (unsigned char)p->s[at]);
	else
		snprintf(found, sizeof(found), "'%c'", p->s[at]);
	lh_err_set(p->err, LH_FAIL, 0, "column %zu: expected %s but %s found",
	    kql_column(p, at), what, found);
	return NULL;
}

struct node *
kql_fail_oom(struct parser *p)
{
	if (!p->failed) {
		p->failed = 1;
		lh_err_set(p->err, LH_FATAL, ENOMEM, "compiling query");
	}
	return NULL;
}

/* ---- literals ----------------------------------------------------------- */

/*
 * Appends n bytes to the literal; quote makes '*' and '\' literal in the
 * pattern form.
 */
static void
put(struct parser *p, const char *v, size_t n, int quote)
{
	size_t i;

	if (lh_buf_append(&p->val, v, n) != LH_OK)
		p->oom = 1;
	for (i = 0; i < n; i++) {
		if (quote && (v[i] == '*' || v[i] == '\\') &&
		    lh_buf_putc(&p->pat, '\\') != LH_OK)
			p->oom = 1;
		if (lh_buf_putc(&p->pat, v[i]) != LH_OK)
			p->oom = 1;
	}
}

static long
hex4(const struct parser *p, size_t i)
{
	long v = 0;
	size_t k;

	if (i + 4 > p->n)
		return -1;
	for (k = 0; k < 4; k++) {
		int d = lh_num_hexdigit((unsigned char)p->s[i + k]);

		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/*
 * The escapes both kinds of literal share, at i (a backslash): \t \r \n
 * and \uXXXX (a UTF-16 unit; a surrogate pair written as two escapes is
 * joined, a lone surrogate becomes U+FFFD).  Returns the bytes consumed or
 * 0 when the escape is not one of these.
 */
static size_t
common_escape(struct parser *p, size_t i)
{
	char o[4], c = i + 1 < p->n ? p->s[i + 1] : '\0';
	long u, lo;
	size_t used = 6;

	if (c == 't' || c == 'r' || c == 'n') {
		put(p, c == 't' ? "\t" : c == 'r' ? "\r" : "\n", 1, 1);
		return 2;
	}
	if (c != 'u' || (u = hex4(p, i + 2)) < 0)
		return 0;
	if (u >= 0xD800 && u <= 0xDBFF && i + 7 < p->n &&
	    p->s[i + 6] == '\\' && p->s[i + 7] == 'u' &&
	    (lo = hex4(p, i + 8)) >= 0xDC00 && lo <= 0xDFFF) {
		u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
		used = 12;
	} else if (u >= 0xD800 && u <= 0xDFFF) {
		u = 0xFFFD;
	}
	put(p, o, lh_utf8_encode((uint32_t)u, o), 1);
	return used;
}

/* UnquotedCharacter's escapes at i; the bytes consumed or 0. */
static size_t
unquoted_escape(struct parser *p, size_t i)
{
	static const char *const kw[] = { "or", "and", "not" };
	size_t k, w;

	if ((k = common_escape(p, i)) != 0)
		return k;
	if (i + 1 < p->n && is_special(p->s[i + 1])) {
		put(p, p->s + i + 1, 1, 1);
		return 2;
	}
	for (k = 0; k < 3; k++) {
		if ((w = word_at(p, i + 1, kw[k])) != 0) {
			put(p, p->s + i + 1, w, 1);
			return w + 1;
		}
	}
	return 0;
}

/* UnquotedCharacter+; returns 0 when there is not one. */
static int
scan_unquoted(struct parser *p, int *wild)
{
	size_t i = p->pos, k;
	char c;

	while (i < p->n) {
		c = p->s[i];
		if (c == '\\') {
			if ((k = unquoted_escape(p, i)) == 0)
				break;
			i += k;
		} else if (c == '*') {
			put(p, "*", 1, 0);
			*wild = 1;
			i++;
		} else if (is_special(c) || keyword_at(p, i)) {
			break;
		} else {
			put(p, p->s + i, 1, 1);
			i++;
		}
	}
	if (i == p->pos)
		return 0;
	p->pos = i;
	return 1;
}

/* QuotedString at p->pos (a '"'); returns 0 with the error set. */
static int
scan_quoted(struct parser *p)
{
	size_t i = p->pos + 1, k;
	char c;

	while (i < p->n && p->s[i] != '"') {
		c = i + 1 < p->n ? p->s[i + 1] : '\0';
		if (p->s[i] == '\\' && (k = common_escape(p, i)) != 0) {
			i += k;
		} else if (p->s[i] == '\\' && (c == '\\' || c == '"')) {
			put(p, &c, 1, 1);
			i += 2;
		} else {
			put(p, p->s + i, 1, 1);
			i++;
		}
	}
	if (i >= p->n) {
		kql_fail(p, i, "'\"'");
		return 0;
	}
	p->pos = i + 1;
	return 1;
}

void
kql_lit_free(struct lit *l)
{
	free(l->val);
	free(l->pat);
	l->val = l->pat = NULL;
}

/*
 * Literal: a quoted string or an unquoted literal (trimmed, as the grammar
 * does with chars.join('').trim()).  Returns 1, or 0 when there is none
 * here or on error (p->failed).
 */
int
kql_literal(struct parser *p, struct lit *l)
{
	size_t lead = 0, trail = 0;

	memset(l, 0, sizeof(*l));
	l->at = p->pos;
	lh_buf_reset(&p->val);
	lh_buf_reset(&p->pat);
	if (p->pos < p->n && p->s[p->pos] == '"') {
		if (!scan_quoted(p))
			return 0;
		l->quoted = 1;
	} else if (!scan_unquoted(p, &l->wild)) {
		return 0;
	} else {
		lead = trim_len(p->val.p, p->val.len, 0);
		if (lead < p->val.len)
			trail = trim_len(p->val.p + lead, p->val.len - lead, 1);
	}
	if (p->oom)
		return kql_fail_oom(p) != NULL;
	/* Whitespace is never quoted in pat, so both forms trim alike. */
	/* An empty literal ("") leaves both buffers unallocated (NULL). */
	l->vlen = p->val.len - lead - trail;
	l->val = lh_dupn(p->val.p != NULL ? p->val.p + lead : "", l->vlen);
	l->pat = lh_dupn(p->pat.p != NULL ? p->pat.p + lead : "",
	    p->pat.len - lead - trail);
	if (l->val == NULL || l->pat == NULL) {
		kql_lit_free(l);
		return kql_fail_oom(p) != NULL;
	}
	return 1;
}
