/*
 * esql_lex.c: the lexical level of the ES|QL subset: white space and
 * comments, punctuation, identifiers, strings and numbers, for the parser
 * in esql_parse.c.
 *
 * DESIGN
 * Tokens follow the ES|QL lexer (EsqlBaseLexer.g4): "//" line and
 * "/" "*" block comments are white space; an unquoted identifier starts
 * with a letter, '_' or '@' and its dotted parts form one qualified name;
 * `backquoted` identifiers double a backquote to contain one; strings are
 * "..." with \t \n \r \" \\ escapes, or """...""" taken raw.  Keywords are
 * identifiers compared case-insensitively by the parser.  The FROM
 * command's index patterns are read raw (esql_lex_pattern), as its own
 * lexer mode does.  Positions are byte offsets; errors report 1-based
 * lines and columns.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/esql_int.h"
#include "core/num.h"
#include "core/status.h"

int
esql_fail(struct parser *p, size_t at, const char *fmt, ...)
{
	char msg[LH_ERR_LEN];
	size_t i, line = 1, col = 1;
	va_list ap;

	if (p->status != LH_OK)
		return p->status;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (i = 0; i < at && i < p->n; i++) {
		if (p->s[i] == '\n') {
			line++;
			col = 1;
		} else if (((unsigned char)p->s[i] & 0xC0) != 0x80)
			col++;
	}
	p->status = LH_FAIL;
	return lh_err_set(p->err, LH_FAIL, 0, "line %zu, column %zu: %s",
	    line, col, msg);
}

int
esql_oom(struct parser *p)
{
	p->status = LH_FATAL;
	return lh_err_set(p->err, LH_FATAL, ENOMEM, "out of memory");
}

static int
id_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	    c == '@';
}

static int
id_char(int c)
{
	return id_start(c) || (c >= '0' && c <= '9');
}

static int
digit(int c)
{
	return c >= '0' && c <= '9';
}

/* The first occurrence of w in the n bytes at s, or NULL. */
static const char *
strstr_n(const char *s, size_t n, const char *w)
{
	size_t k = strlen(w), i;

	for (i = 0; k <= n && i <= n - k; i++)
		if (memcmp(s + i, w, k) == 0)
			return s + i;
	return NULL;
}

/* Skips white space and comments from p->i. */
static void
skip_space(struct parser *p)
{
	const char *s = p->s;

	while (p->i < p->n) {
		if (s[p->i] == ' ' || s[p->i] == '\t' || s[p->i] == '\r' ||
		    s[p->i] == '\n') {
			p->i++;
		} else if (p->i + 1 < p->n && s[p->i] == '/' &&
		    s[p->i + 1] == '/') {
			while (p->i < p->n && s[p->i] != '\n')
				p->i++;
		} else if (p->i + 1 < p->n && s[p->i] == '/' &&
		    s[p->i + 1] == '*') {
			const char *e = NULL;

			if (p->i + 2 < p->n)
				e = strstr_n(s + p->i + 2, p->n - p->i - 2,
				    "*/");
			p->i = e == NULL ? p->n : (size_t)(e - s) + 2;
		} else {
			break;
		}
	}
}

/* A "..." string with escapes, or a """...""" raw string. */
static int
lex_string(struct parser *p, struct tok *t)
{
	const char *s = p->s;
	size_t i = p->i + 1;

	lh_buf_reset(&p->sbuf);
	if (p->n - p->i >= 3 && memcmp(s + p->i, "\"\"\"", 3) == 0) {
		const char *e = strstr_n(s + p->i + 3, p->n - p->i - 3,
		    "\"\"\"");

		if (e == NULL)
			return esql_fail(p, p->i, "unterminated string");
		if (lh_buf_append(&p->sbuf, s + p->i + 3,
		    (size_t)(e - s) - p->i - 3) != LH_OK)
			return esql_oom(p);
		p->i = (size_t)(e - s) + 3;
		return LH_OK;
	}
	for (; i < p->n && s[i] != '"'; i++) {
		int c = s[i];

		if (c == '\n' || c == '\r')
			break;
		if (c == '\\') {
			if (++i == p->n)
				break;
			c = s[i] == 't' ? '\t' : s[i] == 'n' ? '\n' :
			    s[i] == 'r' ? '\r' : s[i];
			if (strchr("tnr\"\\", s[i]) == NULL)
				return esql_fail(p, i - 1,
				    "invalid escape sequence in string");
		}
		if (lh_buf_putc(&p->sbuf, c) != LH_OK)
			return esql_oom(p);
	}
	if (i >= p->n || s[i] != '"')
		return esql_fail(p, p->i, "unterminated string");
	p->i = i + 1;
	(void)t;
	return LH_OK;
}

/* An integer or decimal literal (digits [. digits] [e [+-] digits]). */
static int
lex_number(struct parser *p, struct tok *t)
{
	const char *s = p->s;
	size_t i = p->i, ip = 0, fd = 0;
	double d = 0, f = 0.1;
	int64_t e = 0;
	int esign = 1;

	for (; i < p->n && digit(s[i]); i++, ip++)
		d = d * 10 + (s[i] - '0');
	if (i < p->n && s[i] == '.' && (ip > 0 || (i + 1 < p->n &&
	    digit(s[i + 1])))) {
		for (i++; i < p->n && digit(s[i]); i++, fd++, f /= 10)
			d += (s[i] - '0') * f;
		t->kind = T_DEC;
	}
	if (i + 1 < p->n && (s[i] == 'e' || s[i] == 'E') &&
	    (digit(s[i + 1]) || ((s[i + 1] == '+' || s[i + 1] == '-') &&
	    i + 2 < p->n && digit(s[i + 2])))) {
		i++;
		if (s[i] == '+' || s[i] == '-')
			esign = s[i++] == '-' ? -1 : 1;
		for (; i < p->n && digit(s[i]); i++)
			if (e < 400)
				e = e * 10 + (s[i] - '0');
		for (; e > 0; e--)
			d = esign > 0 ? d * 10 : d / 10;
		t->kind = T_DEC;
	}
	t->d = d;
	if (t->kind == T_INT && lh_num_parse(s + p->i, i - p->i, 0,
	    INT64_MAX, &t->n) != LH_OK)
		t->kind = T_DEC;	/* beyond long: a double, as ES|QL */
	p->i = i;
	return LH_OK;
}

/* A `quoted` identifier: `` stands for one backquote. */
static int
lex_quoted_id(struct parser *p)
{
	size_t i;

	lh_buf_reset(&p->sbuf);
	for (i = p->i + 1; i < p->n; i++) {
		if (p->s[i] == '`') {
			if (i + 1 < p->n && p->s[i + 1] == '`')
				i++;
			else
				break;
		}
		if (lh_buf_putc(&p->sbuf, p->s[i]) != LH_OK)
			return esql_oom(p);
	}
	if (i >= p->n)
		return esql_fail(p, p->i, "unterminated quoted identifier");
	p->i = i + 1;
	return LH_OK;
}

/* The operator or punctuation at p->i, or T_BAD. */
static void
lex_punct(struct parser *p, struct tok *t)
{
	static const struct {
		const char *s;
		enum tkind k;
		int op;
	} ops[] = {
		{ "==", T_OP, LH_CMP_EQ }, { "!=", T_OP, CMP_NE },
		{ "<=", T_OP, LH_CMP_LE }, { ">=", T_OP, LH_CMP_GE },
		{ "<", T_OP, LH_CMP_LT }, { ">", T_OP, LH_CMP_GT },
		{ "=", T_ASSIGN, 0 }, { "|", T_PIPE, 0 }, { ",", T_COMMA, 0 },
		{ "(", T_LP, 0 }, { ")", T_RP, 0 }, { "*", T_STAR, 0 },
		{ "-", T_MINUS, 0 }
	};
	size_t k, l;

	t->kind = T_BAD;
	for (k = 0; k < sizeof(ops) / sizeof(ops[0]); k++) {
		l = strlen(ops[k].s);
		if (p->n - p->i >= l && memcmp(p->s + p->i, ops[k].s, l) == 0) {
			t->kind = ops[k].k;
			t->op = ops[k].op;
			p->i += l;
			return;
		}
	}
	p->i++;
}

int
esql_next(struct parser *p)
{
	struct tok *t = &p->t;
	int c;

	skip_space(p);
	memset(t, 0, sizeof(*t));
	t->at = p->i;
	if (p->i >= p->n) {
		t->kind = T_EOF;
		return LH_OK;
	}
	c = (unsigned char)p->s[p->i];
	if (id_start(c)) {
		while (p->i < p->n && (id_char(p->s[p->i]) ||
		    (p->s[p->i] == '.' && p->i + 1 < p->n &&
		    id_char(p->s[p->i + 1]))))
			p->i++;
		t->kind = T_IDENT;
	} else if (c == '`') {
		t->kind = T_QID;
		if (lex_quoted_id(p) != LH_OK)
			return p->status;
	} else if (c == '"') {
		t->kind = T_STR;
		if (lex_string(p, t) != LH_OK)
			return p->status;
	} else if (digit(c) || (c == '.' && p->i + 1 < p->n &&
	    digit(p->s[p->i + 1]))) {
		t->kind = T_INT;
		lex_number(p, t);
	} else {
		lex_punct(p, t);
	}
	t->len = p->i - t->at;
	if (t->kind == T_STR || t->kind == T_QID) {
		t->str = p->sbuf.p == NULL ? "" : p->sbuf.p;
		t->slen = p->sbuf.len;
	} else {
		t->str = p->s + t->at;
		t->slen = t->len;
	}
	return LH_OK;
}

/*
 * An index pattern of FROM, read raw up to white space, ',' or '|' (or a
 * "quoted" one).  Sets the token to T_STR with the pattern, or T_EOF.
 */
int
esql_lex_pattern(struct parser *p)
{
	size_t i;

	skip_space(p);
	if (p->i < p->n && p->s[p->i] == '"')
		return esql_next(p);
	memset(&p->t, 0, sizeof(p->t));
	p->t.at = p->i;
	for (i = p->i; i < p->n && strchr(" \t\r\n,|", p->s[i]) == NULL; i++)
		if (p->s[i] == '/' && i + 1 < p->n && (p->s[i + 1] == '/' ||
		    p->s[i + 1] == '*'))
			break;
	p->t.kind = i == p->i ? T_EOF : T_STR;
	p->t.str = p->s + p->i;
	p->t.slen = p->t.len = i - p->i;
	p->i = i;
	return LH_OK;
}

int
esql_is_word(const struct tok *t, const char *w)
{
	size_t k;

	if (t->kind != T_IDENT || t->len != strlen(w))
		return 0;
	for (k = 0; k < t->len; k++) {
		char c = t->str[k];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if (c != w[k])
			return 0;
	}
	return 1;
}
