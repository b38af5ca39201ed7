/*
 * eql_lex.c: the lexical level of EQL: identifiers, strings with their
 * escapes, numbers and operators, one token at a time for eql_parse.c.
 *
 * DESIGN
 * The tokens are those of Elasticsearch's EqlBase.g4 as the EQL syntax
 * reference describes them: identifiers are letters, digits, '_', '@' and
 * the dots of a qualified name, or any text in backticks (a doubled
 * backtick for one), "?name" marks an optional field; strings are double-
 * quoted with the escapes \n \r \t \\ \" and \u{XXXXXXXX} (2 to 8 hex
 * digits), or raw: """...""" and ?"..." (no escapes).  Keywords are
 * identifiers the parser recognizes (lowercase, as the grammar spells
 * them).  Errors report 1-based columns in characters.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/eql_int.h"
#include "core/status.h"
#include "core/utf8.h"

static void *
fail_at(struct eql_parser *p, size_t at, const char *what)
{
	if (p->failed)
		return NULL;
	p->failed = 1;
	lh_err_set(p->err, LH_FAIL, 0, "column %zu: expected %s",
	    lh_utf8_count(p->src, at > p->n ? p->n : at) + 1, what);
	return NULL;
}

void *
eql_fail(struct eql_parser *p, const char *what)
{
	return fail_at(p, p->tok.at, what);
}

void *
eql_unsupported(struct eql_parser *p, const char *name)
{
	if (!p->failed) {
		p->failed = 1;
		lh_err_set(p->err, LH_FAIL, 0,
		    "unsupported EQL feature: %s (column %zu)", name,
		    lh_utf8_count(p->src, p->tok.at) + 1);
	}
	return NULL;
}

void *
eql_oom(struct eql_parser *p)
{
	if (!p->failed) {
		p->failed = 1;
		lh_err_set(p->err, LH_FATAL, ENOMEM, "compiling EQL query");
	}
	return NULL;
}

int
eql_is_kw(const struct eql_parser *p, const char *kw)
{
	return p->tok.t == ET_IDENT && !p->tok.quoted &&
	    strcmp(p->tok.s, kw) == 0;
}

static int
ident_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	    c == '@';
}

static int
ident_char(int c)
{
	return ident_start(c) || (c >= '0' && c <= '9') || c == '.';
}

static int
digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Sets the token's text to a copy of n bytes at s. */
static int
set_text(struct eql_parser *p, enum eql_tok t, const char *s, size_t n)
{
	struct lh_buf b = { 0 };

	if (lh_buf_append(&b, s, n) != LH_OK) {
		lh_buf_free(&b);
		return eql_oom(p), -1;
	}
	p->tok.t = t;
	p->tok.s = lh_buf_take(&b);
	p->tok.n = n;
	return 0;
}

/* \u{X...}: 2 to 8 hex digits after "\u{" at i; the end or 0. */
static size_t
unicode_escape(const struct eql_parser *p, size_t i, char *out, size_t *len)
{
	char hex[9];
	uint32_t cp;
	size_t k;

	if (i >= p->n || p->src[i] != '{')
		return 0;
	for (k = 0, i++; i < p->n && k < 9 &&
	    isxdigit((unsigned char)p->src[i]); i++)
		hex[k++] = p->src[i];
	if (k < 2 || k > 8 || i >= p->n || p->src[i] != '}')
		return 0;
	hex[k] = '\0';
	cp = (uint32_t)strtoul(hex, NULL, 16);
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	*len = lh_utf8_encode(cp, out);
	return i + 1;
}

/* The escape after the backslash at i: its bytes into out; the end or 0. */
static size_t
escape(const struct eql_parser *p, size_t i, char *out, size_t *len)
{
	static const char from[] = "nrt\\\"", to[] = "\n\r\t\\\"";
	const char *c;

	if (++i >= p->n)
		return 0;
	if (p->src[i] == 'u')
		return unicode_escape(p, i + 1, out, len);
	if ((c = strchr(from, p->src[i])) == NULL || *c == '\0')
		return 0;
	out[0] = to[c - from];
	*len = 1;
	return i + 1;
}

/* A double-quoted string starting at the quote at p->pos. */
static int
quoted_string(struct eql_parser *p)
{
	size_t i = p->pos + 1, o = 0, k;
	char *s = malloc(p->n - p->pos + 1);

	if (s == NULL)
		return eql_oom(p), -1;
	while (i < p->n && p->src[i] != '"' && p->src[i] != '\n') {
		if (p->src[i] != '\\') {
			s[o++] = p->src[i++];
			continue;
		}
		if ((i = escape(p, i, s + o, &k)) == 0) {
			free(s);
			return fail_at(p, p->pos, "a valid escape in the string"),
			    -1;
		}
		o += k;
	}
	if (i >= p->n || p->src[i] != '"') {
		free(s);
		return fail_at(p, p->pos, "a closing '\"'"), -1;
	}
	s[o] = '\0';
	p->tok.t = ET_STRING;
	p->tok.s = s;
	p->tok.n = o;
	p->pos = i + 1;
	return 0;
}

/* A raw string: body from i up to the closing delimiter close. */
static int
raw_string(struct eql_parser *p, size_t i, const char *close)
{
	size_t cl = strlen(close), e;

	for (e = i; e + cl <= p->n; e++)
		if (memcmp(p->src + e, close, cl) == 0)
			break;
	if (e + cl > p->n)
		return fail_at(p, p->pos, "the end of the raw string"), -1;
	if (set_text(p, ET_STRING, p->src + i, e - i) != 0)
		return -1;
	p->pos = e + cl;
	return 0;
}

/* `name`, with `` for a backtick. */
static int
backtick_ident(struct eql_parser *p)
{
	size_t i = p->pos + 1, o = 0;
	char *s = malloc(p->n - p->pos + 1);

	if (s == NULL)
		return eql_oom(p), -1;
	for (;;) {
		if (i >= p->n) {
			free(s);
			return fail_at(p, p->pos, "a closing '`'"), -1;
		}
		if (p->src[i] == '`') {
			if (i + 1 < p->n && p->src[i + 1] == '`') {
				s[o++] = '`';
				i += 2;
				continue;
			}
			break;
		}
		s[o++] = p->src[i++];
	}
	s[o] = '\0';
	p->tok.t = ET_IDENT;
	p->tok.s = s;
	p->tok.n = o;
	p->tok.quoted = 1;
	p->pos = i + 1;
	return 0;
}

static int
number(struct eql_parser *p)
{
	size_t i = p->pos;

	while (i < p->n && digit(p->src[i]))
		i++;
	if (i + 1 < p->n && p->src[i] == '.' && digit(p->src[i + 1]))
		for (i++; i < p->n && digit(p->src[i]); i++)
			;
	if (i < p->n && (p->src[i] == 'e' || p->src[i] == 'E')) {
		size_t j = i + 1;

		if (j < p->n && (p->src[j] == '+' || p->src[j] == '-'))
			j++;
		if (j < p->n && digit(p->src[j]))
			for (i = j; i < p->n && digit(p->src[i]); i++)
				;
	}
	if (set_text(p, ET_NUMBER, p->src + p->pos, i - p->pos) != 0)
		return -1;
	p->pos = i;
	return 0;
}

/* Operators and punctuation; 0, or -1 for a character of no token. */
static int
punct(struct eql_parser *p)
{
	static const struct {
		const char *s;
		enum eql_tok t;
	} ops[] = {
		{ "==", ET_EQ }, { "!=", ET_NE }, { "<=", ET_LE },
		{ ">=", ET_GE }, { "<", ET_LT }, { ">", ET_GT },
		{ "(", ET_LPAREN }, { ")", ET_RPAREN }, { "[", ET_LBRACK },
		{ "]", ET_RBRACK }, { ",", ET_COMMA }, { ":", ET_COLON },
		{ "=", ET_ASSIGN }, { "|", ET_PIPE }, { "~", ET_TILDE },
		{ "!", ET_BANG }, { "+", ET_MATH }, { "-", ET_MATH },
		{ "*", ET_MATH }, { "/", ET_MATH }, { "%", ET_MATH }
	};
	size_t k, l;

	for (k = 0; k < sizeof(ops) / sizeof(ops[0]); k++) {
		l = strlen(ops[k].s);
		if (p->pos + l <= p->n &&
		    memcmp(p->src + p->pos, ops[k].s, l) == 0)
			return set_text(p, ops[k].t, ops[k].s, l) == 0 ?
			    (p->pos += l, 0) : -1;
	}
	return fail_at(p, p->pos, "a token"), -1;
}

/* Skips spaces and comments (// to end of line, slash-star blocks). */
static void
skip_space(struct eql_parser *p)
{
	while (p->pos < p->n) {
		char c = p->src[p->pos];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			p->pos++;
		} else if (c == '/' && p->pos + 1 < p->n &&
		    p->src[p->pos + 1] == '/') {
			while (p->pos < p->n && p->src[p->pos] != '\n')
				p->pos++;
		} else if (c == '/' && p->pos + 1 < p->n &&
		    p->src[p->pos + 1] == '*') {
			const char *e = NULL;
			size_t i;

			for (i = p->pos + 2; i + 1 < p->n && e == NULL; i++)
				if (p->src[i] == '*' && p->src[i + 1] == '/')
					e = p->src + i + 2;
			p->pos = e != NULL ? (size_t)(e - p->src) : p->n;
		} else {
			break;
		}
	}
}

int
eql_next(struct eql_parser *p)
{
	const char *s;
	size_t i;

	free(p->tok.s);
	memset(&p->tok, 0, sizeof(p->tok));
	if (p->failed)
		return -1;
	skip_space(p);
	s = p->src + p->pos;
	p->tok.at = p->pos;
	if (p->pos >= p->n)
		return p->tok.t = ET_EOF, 0;
	if (p->pos + 3 <= p->n && memcmp(s, "\"\"\"", 3) == 0)
		return raw_string(p, p->pos + 3, "\"\"\"");
	if (*s == '"')
		return quoted_string(p);
	if (*s == '?' && p->pos + 1 < p->n && s[1] == '"')
		return raw_string(p, p->pos + 2, "\"");
	if (*s == '\'')
		return eql_unsupported(p, "single-quoted string"), -1;
	if (*s == '`')
		return backtick_ident(p);
	if (digit(*s))
		return number(p);
	i = (*s == '?') ? p->pos + 1 : p->pos;
	if (i < p->n && ident_start((unsigned char)p->src[i])) {
		size_t b = i;

		while (i < p->n && ident_char((unsigned char)p->src[i]))
			i++;
		if (set_text(p, ET_IDENT, p->src + b, i - b) != 0)
			return -1;
		p->tok.quoted = (*s == '?');
		p->pos = i;
		return 0;
	}
	return punct(p);
}
