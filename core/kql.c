/*
 * kql.c: Kibana Query Language, parsed once, evaluated per event.
 *
 * DESIGN
 * The parser is a recursive-descent rendering of Kibana's PEG grammar
 * (kbn-es-query grammar.peggy): OrQuery > AndQuery > NotQuery > SubQuery
 * > NestedQuery > Expression, and the same three levels again inside
 * "field:(...)" value lists, so one set of functions serves both (a NULL
 * field means "query level").  Unquoted literals run on until a special
 * character or a keyword and are trimmed, exactly as the grammar's
 * UnquotedLiteral does, which is what makes "message:quick brown fox" one
 * value.  Where the PEG would backtrack after a keyword, every alternative
 * fails anyway, so the parser commits and reports the first position where
 * it got stuck.  Nesting is bounded by LH_KQL_MAX_DEPTH, so hostile input
 * cannot exhaust the stack.
 *
 * Each "is", "exists" and "range" becomes a leaf that holds everything
 * the field types need, prepared at compile time: the analysed tokens of
 * the value (text), a closed integer interval (long) and a closed interval
 * of microseconds (date), so that evaluating a leaf is a field lookup and
 * comparisons.  A leaf on a named field knows its type; a leaf on a field
 * pattern ("process.*") or on no field at all (a bare value, which Kibana
 * turns into a lenient multi_match) keeps every form and picks one per
 * event field, silently skipping the forms the value does not parse as.
 *
 * The tree is immutable after compilation.  All per-event state lives in
 * the scratch: the analysed tokens of each field value (indexed by field
 * position, valid for one generation, i.e. until lh_kql_scratch_reset),
 * each with a small hash table so that a long or-list of words on message
 * costs a few probes per word, and the hits of the current evaluation.
 * Buffers only grow, so a warm scratch allocates nothing.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/analyzer.h"
#include "core/buf.h"
#include "core/kql.h"
#include "core/schema.h"
#include "core/status.h"
#include "core/time.h"

/* ECS keyword fields are mapped with ignore_above: 1024 (characters). */
#define IGNORE_ABOVE 1024
/* Date math results beyond this (µs, ~126000 years) are refused. */
#define DATE_LIMIT 4000000000000000000LL

enum op { OP_IS, OP_EXISTS, OP_LT, OP_LE, OP_GT, OP_GE };
enum scope { SC_FIELD, SC_GLOB, SC_ANY };
enum kind { K_OR, K_AND, K_NOT, K_LEAF, K_ALL };
enum how { H_TOKEN, H_PHRASE, H_PLAIN };

struct qtok {
	char *s;
	uint32_t len, hash;
};

struct leaf {
	enum op op;
	enum scope scope;
	enum lh_ftype type;	/* SC_FIELD only */
	int quoted, wild, is_ts;
	char *field;		/* name (SC_FIELD), glob (SC_GLOB) or NULL */
	char *val;		/* decoded value, vlen bytes */
	size_t vlen;
	char *pat;		/* glob pattern of a wildcard value */
	char *lpat;		/* the same, lowercased, for text tokens */
	struct qtok *tok;	/* analysed value */
	size_t ntok;
	int num_ok, date_ok;	/* the value as a long / a date */
	int64_t nlo, nhi, dlo, dhi;	/* closed intervals, empty if lo > hi */
};

/*
 * An or of plain words on one text field ("message:(a or b or ...)") gets
 * a table from each word's tokens to the first child that has it, so the
 * field's tokens are looked up once instead of every child scanning them.
 */
struct tokent {
	const struct qtok *t;
	uint32_t kid, pos;	/* the first child with t, t's index in it */
};

struct tokmap {
	const char *field;	/* borrowed from the children */
	struct tokent *e;
	size_t ne;
	uint32_t *slot;		/* open addressing: entry index + 1, or 0 */
	size_t nslot;
};

struct node {
	enum kind kind;
	struct node **kid;
	size_t nkid;
	struct leaf *leaf;
	struct tokmap *map;	/* K_OR only, may be NULL */
};

struct lh_kql {
	struct node *root;
};

/* The analysed tokens of one field value of the current event. */
struct tcache {
	uint64_t gen;		/* valid while equal to the scratch's gen */
	const char *name, *val;
	size_t len;
	int ftype;		/* lh_schema_type() of name, -1 if not yet */
	int ready;		/* tokens and slots hold this value */
	struct lh_tokens t;
	uint32_t *slot;		/* open addressing: token index + 1, or 0 */
	size_t nslot, slotcap;
	uint32_t *thash;	/* hash of each token */
	size_t thcap;
};

struct hitrec {
	const struct leaf *l;
	const char *name;	/* the event field (or "@timestamp") */
	const char *tok;	/* the token found, for H_TOKEN */
	size_t toklen;
	enum how how;
};

struct lh_kql_scratch {
	uint64_t gen;
	struct tcache *c;
	size_t nc;
	struct hitrec *hit;
	size_t nhit, caphit;
	struct lh_buf out;	/* the matched terms */
	struct lh_buf term;	/* one term being formatted */
	size_t *item;		/* start and length of each term in out */
	size_t nitem, capitem;
};

struct parser {
	const char *s;
	size_t n, pos;
	int depth;
	int failed, oom;
	struct lh_err *err;
	int64_t now;		/* µs, for date math */
	struct lh_buf val, pat;	/* the literal being scanned */
	struct lh_buf prefix;	/* nested path, as a glob pattern */
	int prefix_wild;
	struct lh_tokens toks;
};

/* A scanned literal: the value, and the same as a glob pattern. */
struct lit {
	char *val, *pat;
	size_t vlen;
	int quoted, wild;
	size_t at;
};

/* The field a value list applies to: a glob pattern, NULL for any. */
struct fld {
	const char *pat;
	int wild;
};

static struct node *p_or(struct parser *, const struct fld *);
static void node_free(struct node *);

/* ---- small helpers ------------------------------------------------------ */

static uint32_t
hash_bytes(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/*
 * Matches the glob pat ('*' any run, '\' quotes the next byte) against the
 * n bytes at s.  Greedy with one backtrack point: O(len(pat) * n).
 */
static int
glob(const char *pat, const char *s, size_t n)
{
	const char *star = NULL, *np;
	size_t si = 0, mark = 0;
	char c;

	while (si < n) {
		if (*pat == '*') {
			star = ++pat;
			mark = si;
			continue;
		}
		c = *pat;
		np = pat + 1;
		if (c == '\\' && pat[1] != '\0') {
			c = pat[1];
			np = pat + 2;
		}
		if (c != '\0' && c == s[si]) {
			pat = np;
			si++;
			continue;
		}
		if (star == NULL)
			return 0;
		pat = star;
		si = ++mark;
	}
	while (*pat == '*')
		pat++;
	return *pat == '\0';
}

static char *
dupn(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p == NULL)
		return NULL;
	if (n > 0)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* Compares the n bytes at a with the m bytes at b, like strcmp. */
static int
spancmp(const char *a, size_t n, const char *b, size_t m)
{
	int r = memcmp(a, b, n < m ? n : m);

	if (r != 0)
		return r;
	return n < m ? -1 : n > m;
}

static int
cmp_op(enum op op, int c)
{
	switch (op) {
	case OP_LT:
		return c < 0;
	case OP_LE:
		return c <= 0;
	case OP_GT:
		return c > 0;
	case OP_GE:
		return c >= 0;
	default:
		return c == 0;
	}
}

static size_t
utf8_count(const char *s, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

static size_t
utf8_put(unsigned long cp, char *o)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Whitespace as JavaScript's String.prototype.trim() sees it. */
static int
js_space(unsigned long cp)
{
	return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0xA0 ||
	    cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
	    cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000 ||
	    cp == 0xFEFF;
}

/* The code point of the 1-3 byte UTF-8 sequence at s (n bytes), or -1. */
static long
utf8_get(const unsigned char *s, size_t n, size_t *used)
{
	if (n >= 1 && s[0] < 0x80) {
		*used = 1;
		return s[0];
	}
	if (n >= 2 && (s[0] & 0xE0) == 0xC0 && (s[1] & 0xC0) == 0x80) {
		*used = 2;
		return ((long)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
	}
	if (n >= 3 && (s[0] & 0xF0) == 0xE0 && (s[1] & 0xC0) == 0x80 &&
	    (s[2] & 0xC0) == 0x80) {
		*used = 3;
		return ((long)(s[0] & 0x0F) << 12) |
		    ((long)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
	}
	return -1;
}

/* Bytes of JS whitespace at the start (back = 0) or end of s. */
static size_t
trim_len(const char *s, size_t n, int back)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t t = 0, used, k;
	long cp;

	while (t < n) {
		cp = -1;
		if (!back) {
			cp = utf8_get(u + t, n - t, &used);
		} else {
			for (k = 1; k <= 3 && k <= n - t; k++) {
				cp = utf8_get(u + n - t - k, k, &used);
				if (cp >= 0 && used == k)
					break;
				cp = -1;
			}
			used = k;
		}
		if (cp < 0 || !js_space((unsigned long)cp))
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

static size_t
skip_spaces(const struct parser *p, size_t i)
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
static size_t
conj_at(const struct parser *p, size_t i, const char *kw)
{
	size_t j = skip_spaces(p, i), k;

	if (j == i || (k = word_at(p, j, kw)) == 0 || !space_at(p, j + k))
		return 0;
	return skip_spaces(p, j + k);
}

/* Not: 'not' Space+ at i; the position after it, or 0. */
static size_t
not_at(const struct parser *p, size_t i)
{
	size_t k = word_at(p, i, "not");

	if (k == 0 || !space_at(p, i + k))
		return 0;
	return skip_spaces(p, i + k);
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
	return not_at(p, i) != 0;
}

static int
is_special(char c)
{
	return c != '\0' && strchr("\\():<>\"*{}", c) != NULL;
}

static size_t
column(const struct parser *p, size_t at)
{
	return utf8_count(p->s, at) + 1;
}

static struct node *
fail(struct parser *p, size_t at, const char *what)
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
	    column(p, at), what, found);
	return NULL;
}

static struct node *
fail_oom(struct parser *p)
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
		char c = p->s[i + k];

		if (c >= '0' && c <= '9')
			v = v * 16 + (c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v = v * 16 + (c - 'A' + 10);
		else
			return -1;
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
	put(p, o, utf8_put((unsigned long)u, o), 1);
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
		fail(p, i, "'\"'");
		return 0;
	}
	p->pos = i + 1;
	return 1;
}

static void
lit_free(struct lit *l)
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
static int
literal(struct parser *p, struct lit *l)
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
		return fail_oom(p) != NULL;
	/* Whitespace is never quoted in pat, so both forms trim alike. */
	/* An empty literal ("") leaves both buffers unallocated (NULL). */
	l->vlen = p->val.len - lead - trail;
	l->val = dupn(p->val.p != NULL ? p->val.p + lead : "", l->vlen);
	l->pat = dupn(p->pat.p != NULL ? p->pat.p + lead : "",
	    p->pat.len - lead - trail);
	if (l->val == NULL || l->pat == NULL) {
		lit_free(l);
		return fail_oom(p) != NULL;
	}
	return 1;
}

/* ---- dates and numbers -------------------------------------------------- */

static int
month_days(int64_t y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

static int64_t
floordiv(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Adds n months (or years, as 12n months) to t, clamping the day. */
static int64_t
add_months(int64_t t, int64_t n)
{
	int64_t days = floordiv(t, 86400 * LH_US), y, mm;
	int64_t tod = t - days * 86400 * LH_US;
	int m, d;

	lh_civil_from_days(days, &y, &m, &d);
	mm = y * 12 + (m - 1) + n;
	y = floordiv(mm, 12);
	m = (int)(mm - y * 12) + 1;
	if (d > month_days(y, m))
		d = month_days(y, m);
	return lh_days_from_civil(y, m, d) * 86400 * LH_US + tod;
}

static int64_t
unit_len(char u)
{
	switch (u) {
	case 'w':
		return 7 * 86400 * LH_US;
	case 'd':
		return 86400 * LH_US;
	case 'h':
	case 'H':
		return 3600 * LH_US;
	case 'm':
		return 60 * LH_US;
	case 's':
		return LH_US;
	default:
		return 0;
	}
}

/* Rounds t down to the start of unit u, or up to its last µs. */
static int
round_unit(int64_t *t, char u, int up)
{
	int64_t day = 86400 * LH_US, days = floordiv(*t, day), y, start, len;
	int m, d;

	lh_civil_from_days(days, &y, &m, &d);
	if (u == 'y' || u == 'M') {
		start = lh_days_from_civil(y, u == 'y' ? 1 : m, 1) * day;
		len = add_months(start, u == 'y' ? 12 : 1) - start;
	} else if (u == 'w') {
		/* Weeks start on Monday; 1970-01-01 was a Thursday. */
		start = (floordiv(days + 3, 7) * 7 - 3) * day;
		len = 7 * day;
	} else if ((len = unit_len(u)) != 0) {
		start = floordiv(*t, len) * len;
	} else {
		return 0;
	}
	*t = up ? start + len - 1 : start;
	return 1;
}

/* Elasticsearch date math after the anchor: (+|-)[N]unit and /unit. */
static int
date_math(const char *s, size_t n, int up, int64_t *t)
{
	size_t i = 0, d0;
	int64_t num;
	char op, u;

	while (i < n) {
		op = s[i++];
		if (op != '+' && op != '-' && op != '/')
			return 0;
		for (num = 0, d0 = i; op != '/' && i < n && s[i] >= '0' &&
		    s[i] <= '9'; i++) {
			if ((num = num * 10 + (s[i] - '0')) > 1000000)
				return 0;
		}
		if (i == d0)
			num = 1;	/* "now-d" means "now-1d" */
		if (i >= n)
			return 0;
		u = s[i++];
		if (op == '/') {
			if (!round_unit(t, u, up))
				return 0;
		} else if (u == 'y' || u == 'M') {
			*t = add_months(*t, (op == '-' ? -num : num) *
			    (u == 'y' ? 12 : 1));
		} else if (unit_len(u) != 0) {
			*t += (op == '-' ? -num : num) * unit_len(u);
		} else {
			return 0;
		}
		if (*t > DATE_LIMIT || *t < -DATE_LIMIT)
			return 0;
	}
	return 1;
}

/*
 * A date as Elasticsearch's strict_date_optional_time||epoch_millis reads
 * it, in UTC (the detection engine's dateFormatTZ is Zulu): yyyy, yyyy-MM,
 * the ISO forms of lh_time_parse_iso(), or epoch milliseconds.  up fills
 * the missing fields with their maximum, as ES does for gt and lte.
 */
static int
date_anchor(const char *s, size_t n, int up, int64_t *t)
{
	struct lh_tz utc;
	int64_t us, prec, v = 0, start;
	size_t used, i;
	int m = 1;

	/* s is a span, not a string: no strtoll. */
	for (i = 0; i < n && i < 15 && s[i] >= '0' && s[i] <= '9'; i++)
		v = v * 10 + (s[i] - '0');
	if (i == n && n > 0 && n != 4) {
		*t = v * 1000 + (up ? 999 : 0);
		return 1;
	} else if (i == 4 && n == 7 && s[4] == '-' && s[5] >= '0' &&
	    s[5] <= '1' && s[6] >= '0' && s[6] <= '9') {
		if ((m = (s[5] - '0') * 10 + (s[6] - '0')) < 1 || m > 12)
			return 0;
	} else if (i != n || n != 4) {
		lh_tz_utc(&utc);
		if (lh_time_parse_iso(s, n, &utc, 1, &us, &prec, &used) !=
		    LH_OK || used != n)
			return 0;
		*t = up ? us + prec - 1 : us;
		return 1;
	}
	start = lh_days_from_civil(v, m, 1) * 86400 * LH_US;
	*t = up ? add_months(start, n == 4 ? 12 : 1) - 1 : start;
	return 1;
}

/* A KQL date value: now, an anchor, either followed by date math. */
static int
date_value(const char *s, size_t n, int64_t now, int up, int64_t *t)
{
	const char *bar;
	size_t an;

	if (n >= 3 && memcmp(s, "now", 3) == 0) {
		*t = now;
		return date_math(s + 3, n - 3, up, t);
	}
	for (bar = s; bar + 1 < s + n; bar++)
		if (bar[0] == '|' && bar[1] == '|')
			break;
	if (bar + 1 >= s + n)
		return date_anchor(s, n, up, t);
	an = (size_t)(bar - s);
	/* ES fills missing fields only when no math follows the anchor. */
	if (!date_anchor(s, an, 0, t))
		return 0;
	return date_math(bar + 2, n - an - 2, up, t);
}

/* The closed interval of µs that op value selects. */
static int
date_interval(enum op op, const char *s, size_t n, int64_t now,
    int64_t *lo, int64_t *hi)
{
	int64_t t;

	*lo = INT64_MIN;
	*hi = INT64_MAX;
	if (op == OP_IS)
		return date_value(s, n, now, 0, lo) &&
		    date_value(s, n, now, 1, hi);
	if (!date_value(s, n, now, op == OP_GT || op == OP_LE, &t))
		return 0;
	if (op == OP_GE)
		*lo = t;
	else if (op == OP_GT)
		*lo = t + 1;
	else if (op == OP_LE)
		*hi = t;
	else
		*hi = t - 1;
	return 1;
}

/* A long field's value: [+-]digits[.digits], the fraction dropped. */
static int
parse_long(const char *s, size_t n, int64_t *v)
{
	size_t i = 0, d0;
	int neg = 0;
	uint64_t u = 0;

	if (i < n && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	for (d0 = i; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
		if (u > (UINT64_MAX - 9) / 10)
			return 0;
		u = u * 10 + (uint64_t)(s[i] - '0');
	}
	if (i == d0 || u > (uint64_t)INT64_MAX + neg)
		return 0;
	if (i < n && s[i] == '.')
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
	if (i != n)
		return 0;
	*v = neg ? (int64_t)(0 - u) : (int64_t)u;
	return 1;
}

/*
 * The closed integer interval op value selects on a long field.  A value
 * with a fraction selects nothing for equality and is rounded inwards for
 * ranges, as a range on a long field does.
 */
static int
num_interval(enum op op, const char *s, size_t n, int64_t *lo,
    int64_t *hi)
{
	int64_t v;
	int frac = 0;
	size_t i;

	*lo = INT64_MIN;
	*hi = INT64_MAX;
	if (!parse_long(s, n, &v))
		return 0;
	for (i = 0; i < n && s[i] != '.'; i++)
		;
	for (i++; i < n; i++)
		frac |= s[i] != '0';
	if (op == OP_IS && frac) {
		*lo = 1;
		*hi = 0;
	} else if (op == OP_IS) {
		*lo = *hi = v;
	} else if (op == OP_GE || op == OP_GT) {
		/* v is truncated toward zero; ceil for the bound. */
		if (op == OP_GT && !frac) {
			*lo = v == INT64_MAX ? 1 : v + 1;
			*hi = v == INT64_MAX ? 0 : INT64_MAX;
		} else if (frac && s[0] != '-' && v == INT64_MAX) {
			*lo = 1;
			*hi = 0;
		} else {
			*lo = v + (frac && s[0] != '-');
		}
	} else {
		if (op == OP_LT && !frac) {
			*hi = v == INT64_MIN ? 0 : v - 1;
			*lo = v == INT64_MIN ? 1 : INT64_MIN;
		} else if (frac && s[0] == '-' && v == INT64_MIN) {
			*lo = 1;
			*hi = 0;
		} else {
			*hi = v - (frac && s[0] == '-');
		}
	}
	return 1;
}

/* ---- the tree ----------------------------------------------------------- */

static void
leaf_free(struct leaf *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->ntok; i++)
		free(l->tok[i].s);
	free(l->tok);
	free(l->field);
	free(l->val);
	free(l->pat);
	free(l->lpat);
	free(l);
}

static void
node_free(struct node *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->nkid; i++)
		node_free(n->kid[i]);
	free(n->kid);
	leaf_free(n->leaf);
	if (n->map != NULL) {
		free(n->map->e);
		free(n->map->slot);
		free(n->map);
	}
	free(n);
}

static struct node *
node_new(struct parser *p, enum kind k)
{
	struct node *n = calloc(1, sizeof(*n));

	if (n == NULL)
		return fail_oom(p);
	n->kind = k;
	return n;
}

/* Appends kid to n (growing by powers of two); frees kid on failure. */
static int
node_add(struct parser *p, struct node *n, struct node *kid)
{
	struct node **k;

	if (n->nkid >= 2 && (n->nkid & (n->nkid - 1)) != 0)
		goto store;
	if ((k = realloc(n->kid, (n->nkid ? n->nkid * 2 : 2) *
	    sizeof(*k))) == NULL) {
		node_free(kid);
		fail_oom(p);
		return 0;
	}
	n->kid = k;
store:
	n->kid[n->nkid++] = kid;
	return 1;
}

/* Wraps kid in a new node of kind k (for not). */
static struct node *
node_wrap(struct parser *p, enum kind k, struct node *kid)
{
	struct node *n;

	if (kid == NULL)
		return NULL;
	if ((n = node_new(p, k)) == NULL) {
		node_free(kid);
		return NULL;
	}
	if (!node_add(p, n, kid)) {
		node_free(n);
		return NULL;
	}
	return n;
}

/* ---- leaves ------------------------------------------------------------- */

static char *
unescape(const char *pat)
{
	char *o = malloc(strlen(pat) + 1), *w = o;

	if (o == NULL)
		return NULL;
	for (; *pat != '\0'; pat++) {
		if (*pat == '\\' && pat[1] != '\0')
			pat++;
		*w++ = *pat;
	}
	*w = '\0';
	return o;
}

/* Sets the field of l from f; 0 when out of memory. */
static int
leaf_field(struct leaf *l, const struct fld *f)
{
	if (f->pat == NULL) {
		l->scope = SC_ANY;
		return 1;
	}
	if (f->wild) {
		l->scope = SC_GLOB;
		return (l->field = dupn(f->pat, strlen(f->pat))) != NULL;
	}
	l->scope = SC_FIELD;
	if ((l->field = unescape(f->pat)) == NULL)
		return 0;
	l->is_ts = strcmp(l->field, LH_F_TIMESTAMP) == 0;
	l->type = l->is_ts ? LH_T_DATE : lh_schema_type(l->field);
	return 1;
}

/* Copies the analysed tokens of l's value into l. */
static int
analyse(struct parser *p, struct leaf *l)
{
	struct lh_tokens *t = &p->toks;
	size_t i;

	if (lh_analyze(l->val, l->vlen, t) != LH_OK)
		return 0;
	if (t->n == 0)
		return 1;
	if ((l->tok = calloc(t->n, sizeof(*l->tok))) == NULL)
		return 0;
	l->ntok = t->n;
	for (i = 0; i < t->n; i++) {
		if ((l->tok[i].s = dupn(lh_token(t, i), t->len[i])) == NULL)
			return 0;
		l->tok[i].len = t->len[i];
		l->tok[i].hash = hash_bytes(l->tok[i].s, t->len[i]);
	}
	return 1;
}

static struct node *
fail_value(struct parser *p, size_t at, const struct leaf *l,
    const char *what)
{
	if (!p->failed) {
		p->failed = 1;
		lh_err_set(p->err, LH_FAIL, 0,
		    "column %zu: expected %s for %s but \"%.64s\" found",
		    column(p, at), what, l->field, l->val);
	}
	return NULL;
}

/*
 * Prepares the forms of the value the leaf's field types need; takes the
 * strings of v.  A named long or date field whose value does not parse is
 * an error (Elasticsearch would fail the query); a field pattern or a bare
 * value is lenient, like multi_match with lenient: true.
 */
static int
leaf_values(struct parser *p, struct leaf *l, struct lit *v)
{
	int any = l->scope != SC_FIELD;
	size_t i;

	l->val = v->val;
	l->vlen = v->vlen;
	v->val = NULL;
	if (l->wild) {
		l->pat = v->pat;
		v->pat = NULL;
		if ((l->lpat = dupn(l->pat, strlen(l->pat))) == NULL)
			return 0;
		for (i = 0; l->lpat[i] != '\0'; i++)
			if (l->lpat[i] >= 'A' && l->lpat[i] <= 'Z')
				l->lpat[i] = (char)(l->lpat[i] + 32);
		return 1;
	}
	if (l->op == OP_EXISTS)
		return 1;
	if (l->op == OP_IS && (any || l->type == LH_T_TEXT) && !analyse(p, l))
		return 0;
	if (any || l->type == LH_T_LONG) {
		l->num_ok = num_interval(l->op, l->val, l->vlen, &l->nlo,
		    &l->nhi);
		if (!l->num_ok && !any)
			return fail_value(p, v->at, l, "a number") != NULL;
	}
	if (any || l->type == LH_T_DATE) {
		l->date_ok = date_interval(l->op, l->val, l->vlen, p->now,
		    &l->dlo, &l->dhi);
		if (!l->date_ok && !any)
			return fail_value(p, v->at, l, "a date") != NULL;
	}
	return 1;
}

/* The leaf "f op v"; field * with value * matches everything. */
static struct node *
leaf_node(struct parser *p, const struct fld *f, struct lit *v, enum op op)
{
	struct node *n;
	struct leaf *l;
	int lone = op == OP_IS && !v->quoted && strcmp(v->pat, "*") == 0;

	if (lone && (f->pat == NULL || (f->wild && strcmp(f->pat, "*") == 0)))
		return node_new(p, K_ALL);
	if ((n = node_new(p, K_LEAF)) == NULL)
		return NULL;
	if ((l = n->leaf = calloc(1, sizeof(*l))) == NULL) {
		node_free(n);
		return fail_oom(p);
	}
	l->op = lone ? OP_EXISTS : op;
	l->quoted = v->quoted;
	l->wild = op == OP_IS && !lone && v->wild;
	if (!leaf_field(l, f) || !leaf_values(p, l, v)) {
		node_free(n);
		return p->failed ? NULL : fail_oom(p);
	}
	return n;
}

/* ---- grammar ------------------------------------------------------------ */

static int
enter(struct parser *p)
{
	if (++p->depth <= LH_KQL_MAX_DEPTH)
		return 1;
	if (!p->failed) {
		p->failed = 1;
		lh_err_set(p->err, LH_FAIL, 0,
		    "column %zu: nesting deeper than %d levels",
		    column(p, p->pos), LH_KQL_MAX_DEPTH);
	}
	return 0;
}

/* '(' Space* OrQuery Space* ')' and its '{' '}' and value-list twins. */
static struct node *
p_group(struct parser *p, const struct fld *f, char close)
{
	struct node *n;
	char what[4] = { '\'', close, '\'', '\0' };

	if (!enter(p))
		return NULL;
	p->pos = skip_spaces(p, p->pos + 1);
	if ((n = p_or(p, f)) != NULL) {
		p->pos = skip_spaces(p, p->pos);
		if (p->pos < p->n && p->s[p->pos] == close) {
			p->pos++;
		} else {
			node_free(n);
			n = fail(p, p->pos, what);
		}
	}
	p->depth--;
	return n;
}

/* ListOfValues: a parenthesised value list or one value. */
static struct node *
p_values(struct parser *p, const struct fld *f)
{
	struct node *n;
	struct lit v;

	if (p->pos < p->n && p->s[p->pos] == '(')
		return p_group(p, f, ')');
	if (!literal(p, &v))
		return fail(p, p->pos, "a value");
	n = leaf_node(p, f, &v, OP_IS);
	lit_free(&v);
	return n;
}

/* The field l under the nested path, as a glob pattern (owned). */
static char *
field_pat(struct parser *p, const struct lit *l, int *wild)
{
	struct lh_buf b = { NULL, 0, 0 };

	*wild = p->prefix_wild || (!l->quoted && l->wild);
	if (p->prefix.len > 0 && (lh_buf_append(&b, p->prefix.p,
	    p->prefix.len) != LH_OK || lh_buf_putc(&b, '.') != LH_OK))
		goto oom;
	if (lh_buf_puts(&b, l->pat) != LH_OK)
		goto oom;
	return lh_buf_take(&b);
oom:
	lh_buf_free(&b);
	fail_oom(p);
	return NULL;
}

/* After "field:": a nested query "{...}" or a list of values. */
static struct node *
p_field(struct parser *p, const struct lit *l)
{
	struct fld f;
	struct node *n;
	char *pat;
	size_t old = p->prefix.len;
	int wild, oldwild = p->prefix_wild;

	if ((pat = field_pat(p, l, &wild)) == NULL)
		return NULL;
	f.pat = pat;
	f.wild = wild;
	if (p->pos >= p->n || p->s[p->pos] != '{') {
		n = p_values(p, &f);
		free(pat);
		return n;
	}
	lh_buf_reset(&p->prefix);
	if (lh_buf_puts(&p->prefix, pat) != LH_OK) {
		free(pat);
		return fail_oom(p);
	}
	free(pat);
	p->prefix_wild = wild;
	n = p_group(p, NULL, '}');
	/* The new path extends the old one, so cutting it restores it. */
	p->prefix.len = old;
	p->prefix.p[old] = '\0';
	p->prefix_wild = oldwild;
	return n;
}

/* FieldRangeExpression, at the operator. */
static struct node *
p_range(struct parser *p, const struct lit *l)
{
	struct fld f;
	struct lit v;
	struct node *n = NULL;
	enum op op = p->s[p->pos] == '<' ? OP_LT : OP_GT;
	char *pat;
	int wild;

	p->pos++;
	if (p->pos < p->n && p->s[p->pos] == '=') {
		op = op == OP_LT ? OP_LE : OP_GE;
		p->pos++;
	}
	p->pos = skip_spaces(p, p->pos);
	if (!literal(p, &v))
		return fail(p, p->pos, "a value");
	if ((pat = field_pat(p, l, &wild)) != NULL) {
		f.pat = pat;
		f.wild = wild;
		n = leaf_node(p, &f, &v, op);
		free(pat);
	}
	lit_free(&v);
	return n;
}

/* ValueExpression: a value for any field (under a nested path: its own). */
static struct node *
p_bare(struct parser *p, struct lit *l)
{
	struct fld f = { NULL, 0 };
	struct node *n;
	char *pat = NULL;

	if (p->prefix.len > 0) {
		if ((pat = malloc(p->prefix.len + 3)) == NULL)
			return fail_oom(p);
		memcpy(pat, p->prefix.p, p->prefix.len);
		memcpy(pat + p->prefix.len, ".*", 3);
		f.pat = pat;
		f.wild = 1;
	}
	n = leaf_node(p, &f, l, OP_IS);
	free(pat);
	return n;
}

/*
 * NestedQuery / Expression: Field and Value are both Literal, so scan one
 * and let the character after it decide.
 */
static struct node *
p_expr(struct parser *p)
{
	struct lit l;
	struct node *n;
	size_t after, i;

	if (!literal(p, &l))
		return fail(p, p->pos, "a field name, a value or '('");
	after = p->pos;
	i = skip_spaces(p, after);
	if (i < p->n && p->s[i] == ':') {
		p->pos = skip_spaces(p, i + 1);
		n = p_field(p, &l);
	} else if (i < p->n && (p->s[i] == '<' || p->s[i] == '>')) {
		p->pos = i;
		n = p_range(p, &l);
	} else {
		p->pos = after;
		n = p_bare(p, &l);
	}
	lit_free(&l);
	return n;
}

/* SubQuery: a parenthesised query or an expression. */
static struct node *
p_sub(struct parser *p)
{
	if (p->pos < p->n && p->s[p->pos] == '(')
		return p_group(p, NULL, ')');
	return p_expr(p);
}

/* NotQuery / NotListOfValues (the grammar allows no "not not"). */
static struct node *
p_not(struct parser *p, const struct fld *f)
{
	size_t e = not_at(p, p->pos);
	struct node *k;

	if (e == 0)
		return f != NULL ? p_values(p, f) : p_sub(p);
	if (!enter(p))
		return NULL;
	p->pos = e;
	k = f != NULL ? p_values(p, f) : p_sub(p);
	p->depth--;
	return node_wrap(p, K_NOT, k);
}

/* head (Space+ kw Space+ next)*, flattened into one n-ary node. */
static struct node *
p_seq(struct parser *p, const struct fld *f, const char *kw, enum kind kind,
    struct node *(*next)(struct parser *, const struct fld *))
{
	struct node *n = NULL, *k;
	size_t e;

	if ((k = next(p, f)) == NULL)
		return NULL;
	while ((e = conj_at(p, p->pos, kw)) != 0) {
		if (n == NULL && (n = node_wrap(p, kind, k)) == NULL)
			return NULL;
		p->pos = e;
		if ((k = next(p, f)) == NULL || !node_add(p, n, k)) {
			node_free(n);
			return NULL;
		}
	}
	return n != NULL ? n : k;
}

static struct node *
p_and(struct parser *p, const struct fld *f)
{
	return p_seq(p, f, "and", K_AND, p_not);
}

static struct node *
p_or(struct parser *p, const struct fld *f)
{
	return p_seq(p, f, "or", K_OR, p_and);
}

/* Whether k is a plain word on the text field field (any when NULL). */
static int
plain_word(const struct node *k, const char *field)
{
	const struct leaf *l = k->leaf;

	return k->kind == K_LEAF && l->scope == SC_FIELD &&
	    l->type == LH_T_TEXT && l->op == OP_IS && !l->wild && !l->quoted &&
	    (field == NULL || strcmp(l->field, field) == 0);
}

/* Adds t unless an earlier child has it already. */
static void
tokmap_put(struct tokmap *m, const struct qtok *t, uint32_t kid, uint32_t pos)
{
	size_t h = t->hash & (m->nslot - 1);
	uint32_t k;

	while ((k = m->slot[h]) != 0) {
		if (m->e[k - 1].t->len == t->len &&
		    memcmp(m->e[k - 1].t->s, t->s, t->len) == 0)
			return;
		h = (h + 1) & (m->nslot - 1);
	}
	m->e[m->ne].t = t;
	m->e[m->ne].kid = kid;
	m->e[m->ne].pos = pos;
	m->slot[h] = (uint32_t)++m->ne;
}

/*
 * Gives every or of plain words on one text field its token map.  Only an
 * optimisation: out of memory leaves the node to be evaluated child by
 * child.
 */
static void
tokmap_build(struct node *n)
{
	struct tokmap *m;
	const struct leaf *l;
	size_t i, k, ntok = 0, want = 16;

	for (i = 0; i < n->nkid; i++)
		tokmap_build(n->kid[i]);
	if (n->kind != K_OR || n->nkid < 2 || !plain_word(n->kid[0], NULL))
		return;
	for (i = 0; i < n->nkid; i++) {
		if (!plain_word(n->kid[i], n->kid[0]->leaf->field))
			return;
		ntok += n->kid[i]->leaf->ntok;
	}
	while (want < ntok * 2)
		want *= 2;
	if ((m = calloc(1, sizeof(*m))) == NULL ||
	    (m->e = calloc(ntok + 1, sizeof(*m->e))) == NULL ||
	    (m->slot = calloc(want, sizeof(*m->slot))) == NULL) {
		if (m != NULL)
			free(m->e);
		free(m);
		return;
	}
	m->field = n->kid[0]->leaf->field;
	m->nslot = want;
	for (i = 0; i < n->nkid; i++) {
		l = n->kid[i]->leaf;
		for (k = 0; k < l->ntok; k++)
			tokmap_put(m, &l->tok[k], (uint32_t)i, (uint32_t)k);
	}
	n->map = m;
}

static int64_t
now_us(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return 0;
	return (int64_t)ts.tv_sec * LH_US + ts.tv_nsec / 1000;
}

/* start: Space* OrQuery? Space*; an empty query matches everything. */
static struct node *
p_start(struct parser *p)
{
	struct node *root;
	const char *nul;

	if (p->n > 0 && (nul = memchr(p->s, '\0', p->n)) != NULL)
		return fail(p, (size_t)(nul - p->s), "a character");
	p->pos = skip_spaces(p, 0);
	if (p->pos == p->n)
		return node_new(p, K_ALL);
	if ((root = p_or(p, NULL)) == NULL)
		return NULL;
	p->pos = skip_spaces(p, p->pos);
	if (p->pos != p->n) {
		node_free(root);
		return fail(p, p->pos, "'and', 'or' or the end of the query");
	}
	return root;
}

struct lh_kql *
lh_kql_compile(const char *src, size_t len, struct lh_err *err)
{
	struct parser p;
	struct lh_kql *q = NULL;
	struct node *root;

	lh_err_clear(err);
	if (len > LH_KQL_MAX_LEN) {
		lh_err_set(err, LH_FAIL, 0,
		    "column %d: expected at most %d bytes of query, not %zu",
		    LH_KQL_MAX_LEN + 1, LH_KQL_MAX_LEN, len);
		return NULL;
	}
	memset(&p, 0, sizeof(p));
	p.s = src;
	p.n = len;
	p.err = err;
	p.now = now_us();
	lh_tokens_init(&p.toks);
	if ((root = p_start(&p)) != NULL) {
		if ((q = malloc(sizeof(*q))) == NULL) {
			node_free(root);
			lh_err_set(err, LH_FATAL, ENOMEM, "compiling query");
		} else {
			tokmap_build(root);
			q->root = root;
		}
	}
	lh_buf_free(&p.val);
	lh_buf_free(&p.pat);
	lh_buf_free(&p.prefix);
	lh_tokens_free(&p.toks);
	return q;
}

void
lh_kql_free(struct lh_kql *q)
{
	if (q == NULL)
		return;
	node_free(q->root);
	free(q);
}

/* ---- scratch and the token cache ---------------------------------------- */

struct lh_kql_scratch *
lh_kql_scratch_create(void)
{
	struct lh_kql_scratch *s = calloc(1, sizeof(*s));

	if (s != NULL)
		s->gen = 1;
	return s;
}

void
lh_kql_scratch_free(struct lh_kql_scratch *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nc; i++) {
		lh_tokens_free(&s->c[i].t);
		free(s->c[i].slot);
		free(s->c[i].thash);
	}
	free(s->c);
	free(s->hit);
	free(s->item);
	lh_buf_free(&s->out);
	lh_buf_free(&s->term);
	free(s);
}

void
lh_kql_scratch_reset(struct lh_kql_scratch *s)
{
	s->gen++;
}

/*
 * The cache entry of field i of ev, valid for this generation.  Besides
 * the generation, the name and value pointers must match, so a caller that
 * forgets a reset gets fresh tokens rather than stale ones in most cases.
 */
static struct tcache *
cache_entry(struct lh_kql_scratch *s, const struct lh_event *ev, size_t i)
{
	const struct lh_field *f = &ev->fields[i];
	struct tcache *e;
	size_t nc;

	if (i >= s->nc) {
		nc = s->nc * 2 > i + 1 ? s->nc * 2 : i + 16;
		if ((e = realloc(s->c, nc * sizeof(*e))) == NULL)
			return NULL;
		memset(e + s->nc, 0, (nc - s->nc) * sizeof(*e));
		s->c = e;
		s->nc = nc;
	}
	e = &s->c[i];
	if (e->gen != s->gen || e->name != f->name || e->val != f->val ||
	    e->len != f->len) {
		e->gen = s->gen;
		e->name = f->name;
		e->val = f->val;
		e->len = f->len;
		e->ftype = -1;
		e->ready = 0;
	}
	return e;
}

static enum lh_ftype
field_type(struct lh_kql_scratch *s, const struct lh_event *ev, size_t i)
{
	struct tcache *e = cache_entry(s, ev, i);

	if (e == NULL)
		return lh_schema_type(ev->fields[i].name);
	if (e->ftype < 0)
		e->ftype = (int)lh_schema_type(e->name);
	return (enum lh_ftype)e->ftype;
}

/* Fills the hash table of e's tokens. */
static int
cache_hash(struct tcache *e)
{
	size_t want = 16, i, h;
	uint32_t *slot;

	while (want < e->t.n * 2)
		want *= 2;
	if (e->t.n > e->thcap) {
		if ((slot = realloc(e->thash, e->t.n * 2 *
		    sizeof(*slot))) == NULL)
			return 0;
		e->thash = slot;
		e->thcap = e->t.n * 2;
	}
	if (want > e->slotcap) {
		if ((slot = realloc(e->slot, want * sizeof(*slot))) == NULL)
			return 0;
		e->slot = slot;
		e->slotcap = want;
	}
	e->nslot = want;
	memset(e->slot, 0, want * sizeof(*e->slot));
	for (i = 0; i < e->t.n; i++) {
		e->thash[i] = hash_bytes(lh_token(&e->t, i), e->t.len[i]);
		h = e->thash[i] & (want - 1);
		while (e->slot[h] != 0)
			h = (h + 1) & (want - 1);
		e->slot[h] = (uint32_t)i + 1;
	}
	return 1;
}

/* The analysed tokens of field i, analysing it on first use. */
static struct tcache *
cache_tokens(struct lh_kql_scratch *s, const struct lh_event *ev, size_t i)
{
	struct tcache *e = cache_entry(s, ev, i);

	if (e == NULL)
		return NULL;
	if (!e->ready) {
		if (lh_analyze(e->val, e->len, &e->t) != LH_OK ||
		    !cache_hash(e))
			return NULL;
		e->ready = 1;
	}
	return e;
}

/* The index of the first token equal to q, or -1. */
static long
cache_find(const struct tcache *e, const struct qtok *q)
{
	size_t h = q->hash & (e->nslot - 1);
	uint32_t k;

	while ((k = e->slot[h]) != 0) {
		if (e->t.len[k - 1] == q->len &&
		    memcmp(lh_token(&e->t, k - 1), q->s, q->len) == 0)
			return (long)k - 1;
		h = (h + 1) & (e->nslot - 1);
	}
	return -1;
}

/* ---- evaluation --------------------------------------------------------- */

/* Records a true leaf; always returns 1 (a lost record only shortens the
 * matched terms). */
static int
hit(struct lh_kql_scratch *s, const struct leaf *l, const char *name,
    const char *tok, size_t toklen, enum how how)
{
	struct hitrec *h;
	size_t cap;

	if (s->nhit == s->caphit) {
		cap = s->caphit ? s->caphit * 2 : 16;
		if ((h = realloc(s->hit, cap * sizeof(*h))) == NULL)
			return 1;
		s->hit = h;
		s->caphit = cap;
	}
	h = &s->hit[s->nhit++];
	h->l = l;
	h->name = name;
	h->tok = tok;
	h->toklen = toklen;
	h->how = how;
	return 1;
}

/* match_phrase: the value's tokens at consecutive positions. */
static int
phrase(const struct leaf *l, const struct tcache *e)
{
	size_t i, k;

	if (l->ntok == 0 || l->ntok > e->t.n)
		return 0;
	for (k = 0; k < l->ntok; k++)
		if (cache_find(e, &l->tok[k]) < 0)
			return 0;
	for (i = 0; i + l->ntok <= e->t.n; i++) {
		for (k = 0; k < l->ntok; k++) {
			if (e->t.len[i + k] != l->tok[k].len ||
			    memcmp(lh_token(&e->t, i + k), l->tok[k].s,
			    l->tok[k].len) != 0)
				break;
		}
		if (k == l->ntok)
			return 1;
	}
	return 0;
}

static int
text_match(const struct leaf *l, const struct lh_event *ev, size_t fi,
    struct lh_kql_scratch *s)
{
	const char *name = ev->fields[fi].name;
	struct tcache *e = cache_tokens(s, ev, fi);
	size_t i;
	long k;

	if (e == NULL)
		return 0;
	if (l->wild || l->op != OP_IS) {
		for (i = 0; i < e->t.n; i++) {
			const char *t = lh_token(&e->t, i);

			if (l->wild ? glob(l->lpat, t, e->t.len[i]) :
			    cmp_op(l->op, spancmp(t, e->t.len[i], l->val,
			    l->vlen)))
				return hit(s, l, name, t, e->t.len[i],
				    H_TOKEN);
		}
		return 0;
	}
	if (l->quoted)
		return phrase(l, e) && hit(s, l, name, NULL, 0, H_PHRASE);
	for (i = 0; i < l->ntok; i++) {
		if ((k = cache_find(e, &l->tok[i])) >= 0)
			return hit(s, l, name, lh_token(&e->t, (size_t)k),
			    l->tok[i].len, H_TOKEN);
	}
	return 0;
}

static int
keyword_match(const struct leaf *l, const struct lh_field *f)
{
	/* A longer value is not indexed, so no query can find it. */
	if (f->len > IGNORE_ABOVE && utf8_count(f->val, f->len) > IGNORE_ABOVE)
		return 0;
	if (l->wild)
		return glob(l->pat, f->val, f->len);
	if (l->op == OP_IS)
		return f->len == l->vlen && memcmp(f->val, l->val, f->len) == 0;
	return cmp_op(l->op, spancmp(f->val, f->len, l->val, l->vlen));
}

/* Whether the value of field fi, of type t, satisfies l. */
static int
value_match(const struct leaf *l, enum lh_ftype t, const struct lh_event *ev,
    size_t fi, struct lh_kql_scratch *s)
{
	const struct lh_field *f = &ev->fields[fi];
	int64_t v;

	if (l->op == OP_EXISTS)
		return hit(s, l, f->name, NULL, 0, H_PLAIN);
	if (t == LH_T_TEXT)
		return text_match(l, ev, fi, s);
	if (t == LH_T_KEYWORD || l->wild) {
		/* A wildcard on a long or date field globs its text. */
		return keyword_match(l, f) && hit(s, l, f->name, NULL, 0,
		    H_PLAIN);
	}
	if (t == LH_T_LONG)
		return l->num_ok && parse_long(f->val, f->len, &v) &&
		    v >= l->nlo && v <= l->nhi &&
		    hit(s, l, f->name, NULL, 0, H_PLAIN);
	return l->date_ok && date_anchor(f->val, f->len, 0, &v) &&
	    v >= l->dlo && v <= l->dhi && hit(s, l, f->name, NULL, 0, H_PLAIN);
}

/* @timestamp, which is ev->ts rather than a field. */
static int
ts_match(const struct leaf *l, const struct lh_event *ev,
    struct lh_kql_scratch *s)
{
	if (ev->ts == LH_TS_NONE || (ev->ts_flags & LH_TS_BOOT))
		return 0;
	if (l->op != OP_EXISTS && (l->wild || !l->date_ok ||
	    ev->ts < l->dlo || ev->ts > l->dhi))
		return 0;
	return hit(s, l, LH_F_TIMESTAMP, NULL, 0, H_PLAIN);
}

static int
same_name(const char *name, const char *field)
{
	return name == field || (name[0] == field[0] &&
	    strcmp(name, field) == 0);
}

static int
leaf_match(const struct leaf *l, const struct lh_event *ev,
    struct lh_kql_scratch *s)
{
	const char *name;
	size_t i;

	if (l->scope == SC_FIELD && l->is_ts)
		return ts_match(l, ev, s);
	for (i = 0; i < ev->nfield; i++) {
		name = ev->fields[i].name;
		if (l->scope == SC_FIELD) {
			if (!same_name(name, l->field))
				continue;
			if (value_match(l, l->type, ev, i, s))
				return 1;
		} else if (l->scope == SC_ANY ||
		    glob(l->field, name, strlen(name))) {
			if (value_match(l, field_type(s, ev, i), ev, i, s))
				return 1;
		}
	}
	if (l->scope == SC_ANY || (l->scope == SC_GLOB &&
	    glob(l->field, LH_F_TIMESTAMP, strlen(LH_F_TIMESTAMP))))
		return ts_match(l, ev, s);
	return 0;
}

static const struct tokent *
tokmap_find(const struct tokmap *m, const char *t, size_t len, uint32_t hash)
{
	size_t h = hash & (m->nslot - 1);
	uint32_t k;

	while ((k = m->slot[h]) != 0) {
		if (m->e[k - 1].t->len == len &&
		    memcmp(m->e[k - 1].t->s, t, len) == 0)
			return &m->e[k - 1];
		h = (h + 1) & (m->nslot - 1);
	}
	return NULL;
}

/*
 * An or with a token map: the hit is the one the children in order would
 * give, the first child with a token in the field and its first such
 * token.
 */
static int
or_map(const struct node *n, const struct lh_event *ev,
    struct lh_kql_scratch *s)
{
	const struct tokmap *m = n->map;
	const struct tokent *best = NULL, *e;
	const char *tok = NULL, *name = NULL;
	struct tcache *c;
	size_t i, j;

	for (i = 0; i < ev->nfield; i++) {
		if (!same_name(ev->fields[i].name, m->field) ||
		    (c = cache_tokens(s, ev, i)) == NULL)
			continue;
		for (j = 0; j < c->t.n; j++) {
			e = tokmap_find(m, lh_token(&c->t, j), c->t.len[j],
			    c->thash[j]);
			if (e != NULL && (best == NULL || e->kid < best->kid ||
			    (e->kid == best->kid && e->pos < best->pos))) {
				best = e;
				tok = lh_token(&c->t, j);
				name = ev->fields[i].name;
			}
		}
	}
	if (best == NULL)
		return 0;
	return hit(s, n->kid[best->kid]->leaf, name, tok, best->t->len,
	    H_TOKEN);
}

/*
 * Evaluates n, keeping in s->hit the leaves of the satisfied path: a
 * failed subtree, and anything under a not, leaves no record.
 */
static int
eval(const struct node *n, const struct lh_event *ev,
    struct lh_kql_scratch *s)
{
	size_t mark = s->nhit, i;
	int r;

	switch (n->kind) {
	case K_ALL:
		return 1;
	case K_LEAF:
		return leaf_match(n->leaf, ev, s);
	case K_NOT:
		r = !eval(n->kid[0], ev, s);
		s->nhit = mark;
		return r;
	case K_AND:
		for (i = 0; i < n->nkid; i++) {
			if (!eval(n->kid[i], ev, s)) {
				s->nhit = mark;
				return 0;
			}
		}
		return 1;
	case K_OR:
		if (n->map != NULL)
			return or_map(n, ev, s);
		for (i = 0; i < n->nkid; i++) {
			if (eval(n->kid[i], ev, s))
				return 1;
			s->nhit = mark;
		}
		return 0;
	}
	return 0;
}

/* ---- matched terms ------------------------------------------------------ */

static const char *
op_text(enum op op)
{
	switch (op) {
	case OP_LT:
		return "<";
	case OP_LE:
		return "<=";
	case OP_GT:
		return ">";
	case OP_GE:
		return ">=";
	case OP_EXISTS:
		return ":*";
	default:
		return ":";
	}
}

/*
 * One term into s->term: the token found on a text field (bare on
 * message), with the query value when it differs; field:value otherwise.
 */
static int
format_hit(struct lh_kql_scratch *s, const struct hitrec *h)
{
	struct lh_buf *b = &s->term;
	const struct leaf *l = h->l;
	int msg = strcmp(h->name, LH_F_MESSAGE) == 0, rc = LH_OK;

	lh_buf_reset(b);
	if (h->how == H_TOKEN) {
		if (!msg) {
			rc |= lh_buf_puts(b, h->name);
			rc |= lh_buf_putc(b, ':');
		}
		rc |= lh_buf_append(b, h->tok, h->toklen);
		if (l->vlen != h->toklen || memcmp(l->val, h->tok,
		    h->toklen) != 0) {
			rc |= lh_buf_puts(b, " (");
			rc |= lh_buf_append(b, l->val, l->vlen);
			rc |= lh_buf_putc(b, ')');
		}
	} else if (h->how == H_PHRASE && msg) {
		rc |= lh_buf_append(b, l->val, l->vlen);
	} else {
		rc |= lh_buf_puts(b, h->name);
		rc |= lh_buf_puts(b, op_text(l->op));
		if (l->op != OP_EXISTS)
			rc |= lh_buf_append(b, l->val, l->vlen);
	}
	return rc == LH_OK;
}

/* Appends s->term to s->out unless it is there already. */
static void
add_term(struct lh_kql_scratch *s)
{
	size_t i, *it;

	for (i = 0; i < s->nitem; i++) {
		if (s->item[2 * i + 1] == s->term.len &&
		    memcmp(s->out.p + s->item[2 * i], s->term.p,
		    s->term.len) == 0)
			return;
	}
	if (s->nitem == s->capitem) {
		size_t cap = s->capitem ? s->capitem * 2 : 16;

		if ((it = realloc(s->item, 2 * cap * sizeof(*it))) == NULL)
			return;
		s->item = it;
		s->capitem = cap;
	}
	if (s->nitem > 0 && lh_buf_puts(&s->out, ", ") != LH_OK)
		return;
	s->item[2 * s->nitem] = s->out.len;
	if (lh_buf_append(&s->out, s->term.p, s->term.len) != LH_OK)
		return;
	s->item[2 * s->nitem + 1] = s->term.len;
	s->nitem++;
}

/* The terms of the hits: those on text fields first, the most telling. */
static void
format_matched(struct lh_kql_scratch *s)
{
	size_t i;
	int pass;

	lh_buf_reset(&s->out);
	s->nitem = 0;
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < s->nhit; i++) {
			if ((s->hit[i].how == H_PLAIN) != pass)
				continue;
			if (format_hit(s, &s->hit[i]))
				add_term(s);
		}
	}
}

int
lh_kql_match(const struct lh_kql *q, const struct lh_event *ev,
    struct lh_kql_scratch *s)
{
	s->nhit = 0;
	if (!eval(q->root, ev, s))
		return 0;
	format_matched(s);
	return 1;
}

const char *
lh_kql_matched(const struct lh_kql_scratch *s, size_t *count)
{
	if (count != NULL)
		*count = s->nitem;
	return s->out.p != NULL && s->nitem > 0 ? s->out.p : "";
}

/* ---- required words ----------------------------------------------------- */

/* A set of words, owned; none marks "no requirement". */
struct wset {
	char **w;
	size_t n;
	int none;
};

static void
wset_free(struct wset *ws)
{
	size_t i;

	for (i = 0; i < ws->n; i++)
		free(ws->w[i]);
	free(ws->w);
	ws->w = NULL;
	ws->n = 0;
}

/*
 * A token that must appear literally (ASCII case-insensitively) in the raw
 * text of a field it was found in.  Lucene lowercases U+0130 to 'i' and
 * U+212A (Kelvin) to 'k', so a token with those letters may come from a
 * raw text without them; such tokens are not used.
 */
static int
literal_token(const struct qtok *t)
{
	uint32_t i;

	for (i = 0; i < t->len; i++) {
		char c = t->s[i];

		if (c == 'i' || c == 'k' || !((c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '_'))
			return 0;
	}
	return t->len > 0;
}

static int
wset_add(struct wset *ws, const char *w, size_t len)
{
	char **nw;
	size_t i;

	for (i = 0; i < ws->n; i++)
		if (strlen(ws->w[i]) == len && memcmp(ws->w[i], w, len) == 0)
			return 1;
	if ((nw = realloc(ws->w, (ws->n + 2) * sizeof(*nw))) == NULL)
		return 0;
	ws->w = nw;
	if ((ws->w[ws->n] = dupn(w, len)) == NULL)
		return 0;
	ws->n++;
	return 1;
}

/*
 * The words of a leaf: on a named text field, an unquoted value needs one
 * of its tokens (all must be literal), a phrase needs all of them (the
 * longest literal one will do).  A value with no tokens matches nothing:
 * the empty set.
 */
static int
leaf_words(const struct leaf *l, struct wset *ws)
{
	const struct qtok *best = NULL;
	size_t i;

	ws->none = 1;
	if (l->scope != SC_FIELD || l->type != LH_T_TEXT || l->op != OP_IS ||
	    l->wild)
		return 1;
	for (i = 0; i < l->ntok; i++) {
		if (literal_token(&l->tok[i])) {
			if (best == NULL || l->tok[i].len > best->len)
				best = &l->tok[i];
		} else if (!l->quoted) {
			return 1;
		}
	}
	if (l->ntok > 0 && best == NULL)
		return 1;
	ws->none = 0;
	if (l->quoted)
		return best == NULL || wset_add(ws, best->s, best->len);
	for (i = 0; i < l->ntok; i++)
		if (!wset_add(ws, l->tok[i].s, l->tok[i].len))
			return 0;
	return 1;
}

/* Whether the set a is a better prefilter than b: fewer, longer words. */
static int
wset_better(const struct wset *a, const struct wset *b)
{
	size_t i, amin = SIZE_MAX, bmin = SIZE_MAX;

	if (b->none || a->n != b->n)
		return b->none || a->n < b->n;
	for (i = 0; i < a->n; i++)
		if (strlen(a->w[i]) < amin)
			amin = strlen(a->w[i]);
	for (i = 0; i < b->n; i++)
		if (strlen(b->w[i]) < bmin)
			bmin = strlen(b->w[i]);
	return amin > bmin;
}

/* The requirement of n into ws; 0 when out of memory. */
static int
node_words(const struct node *n, struct wset *ws)
{
	struct wset k;
	size_t i, j;

	memset(ws, 0, sizeof(*ws));
	ws->none = 1;
	if (n->kind == K_LEAF)
		return leaf_words(n->leaf, ws);
	if (n->kind != K_AND && n->kind != K_OR)
		return 1;
	ws->none = n->kind == K_AND;
	for (i = 0; i < n->nkid; i++) {
		if (!node_words(n->kid[i], &k)) {
			wset_free(&k);
			return 0;
		}
		if (n->kind == K_AND && !k.none && wset_better(&k, ws)) {
			wset_free(ws);
			*ws = k;
			continue;
		}
		if (n->kind == K_OR && k.none) {
			wset_free(&k);
			wset_free(ws);
			ws->none = 1;
			return 1;
		}
		for (j = 0; n->kind == K_OR && j < k.n; j++) {
			if (!wset_add(ws, k.w[j], strlen(k.w[j]))) {
				wset_free(&k);
				return 0;
			}
		}
		wset_free(&k);
	}
	return 1;
}

int
lh_kql_required_words(const struct lh_kql *q, char ***words)
{
	struct wset ws;

	*words = NULL;
	if (!node_words(q->root, &ws) || ws.none || ws.n == 0) {
		wset_free(&ws);
		return 0;
	}
	ws.w[ws.n] = NULL;	/* wset_add keeps room for it */
	*words = ws.w;
	return 1;
}
