/*
 * grok.c: grok patterns compiled to a small backtracking regex machine
 * (see grok.h for the semantics reproduced).
 *
 * DESIGN
 * A grok pattern is first expanded to regex text as Grok.toRegex() does:
 * %{NAME:field:type} becomes a named group (here "(?<k>", k the capture
 * number), %{NAME} becomes "(?:...)".  The regex is then compiled straight
 * to code for a backtracking machine in the style of Thompson/Pike's
 * instruction sets: CHAR, SET (a byte bitmap), CLS (\s \w ...), ANY, the
 * assertions, SPLIT (try x, on failure y), JMP, SAVE (capture slot), and
 * SUB for the constructs that run a sub-program to its first end (atomic
 * groups, possessive quantifiers, lookaround).  Jumps are relative, so a
 * piece of code can be moved or copied as it is: that is how alternation
 * and {m,n} are built in one pass.
 *
 * Named captures may not occur inside a SUB (no built-in pattern needs it),
 * so a SUB discards the backtrack entries of its body wholesale.
 *
 * The match state (backtrack stack, capture slots) lives on the caller's
 * stack or the heap for the length of one lh_grok_match(); the compiled
 * program is never written after lh_grok_create().
 *
 * Pattern bank: elastic/elasticsearch libs/grok/src/main/resources/
 * patterns/legacy/grok-patterns and .../legacy/linux-syslog (the pipelines
 * run with ecs_compatibility "disabled", the default, i.e. legacy).  Only
 * the definitions the system pipelines reach are carried.
 */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/num.h"
#include "core/status.h"
#include "core/unicode.h"
#include "core/utf8.h"
#include "formats/grok.h"

/*
 * The watchdog: Elasticsearch interrupts a grok after 1 s
 * (ingest.grok.watchdog.max_execution_time); we stop after this many
 * machine steps, well under that on any hardware and far above what a
 * real log line needs (a few thousand).
 */
#define STEP_BUDGET	(1L << 24)
#define STACK_MAX	((size_t)1 << 22)
#define EXPAND_MAX	(1 << 20)	/* bytes of expanded regex text */

static const struct lh_grok_def bank[] = {
	{ "USERNAME", "[a-zA-Z0-9._-]+" },
	{ "BASE10NUM", "(?<![0-9.+-])(?>[+-]?(?:(?:[0-9]+(?:\\.[0-9]+)?)|"
	    "(?:\\.[0-9]+)))" },
	{ "NUMBER", "(?:%{BASE10NUM})" },
	{ "POSINT", "\\b(?:[1-9][0-9]*)\\b" },
	{ "NONNEGINT", "\\b(?:[0-9]+)\\b" },
	{ "WORD", "\\b\\w+\\b" },
	{ "NOTSPACE", "\\S+" },
	{ "SPACE", "\\s*" },
	{ "DATA", ".*?" },
	{ "GREEDYDATA", ".*" },
	{ "IPV6", "((([0-9A-Fa-f]{1,4}:){7}([0-9A-Fa-f]{1,4}|:))|"
	    "(([0-9A-Fa-f]{1,4}:){6}(:[0-9A-Fa-f]{1,4}|((25[0-5]|2[0-4]\\d|"
	    "1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3})"
	    "|:))|(([0-9A-Fa-f]{1,4}:){5}(((:[0-9A-Fa-f]{1,4}){1,2})|:((25"
	    "[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|"
	    "[1-9]?\\d)){3})|:))|(([0-9A-Fa-f]{1,4}:){4}(((:[0-9A-Fa-f]{1,4})"
	    "{1,3})|((:[0-9A-Fa-f]{1,4})?:((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?"
	    "\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}))|:))|(([0-9A-"
	    "Fa-f]{1,4}:){3}(((:[0-9A-Fa-f]{1,4}){1,4})|((:[0-9A-Fa-f]{1,4})"
	    "{0,2}:((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]"
	    "\\d|1\\d\\d|[1-9]?\\d)){3}))|:))|(([0-9A-Fa-f]{1,4}:){2}(((:[0-9"
	    "A-Fa-f]{1,4}){1,5})|((:[0-9A-Fa-f]{1,4}){0,3}:((25[0-5]|2[0-4]"
	    "\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d))"
	    "{3}))|:))|(([0-9A-Fa-f]{1,4}:){1}(((:[0-9A-Fa-f]{1,4}){1,6})|((:"
	    "[0-9A-Fa-f]{1,4}){0,4}:((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\."
	    "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}))|:))|(:(((:[0-9A-Fa-f]"
	    "{1,4}){1,7})|((:[0-9A-Fa-f]{1,4}){0,5}:((25[0-5]|2[0-4]\\d|1\\d\\d"
	    "|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}))|:)))"
	    "(%.+)?" },
	{ "IPV4", "(?<![0-9])(?:(?:[0-1]?[0-9]{1,2}|2[0-4][0-9]|25[0-5])[.]"
	    "(?:[0-1]?[0-9]{1,2}|2[0-4][0-9]|25[0-5])[.](?:[0-1]?[0-9]{1,2}|"
	    "2[0-4][0-9]|25[0-5])[.](?:[0-1]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]))"
	    "(?![0-9])" },
	{ "IP", "(?:%{IPV6}|%{IPV4})" },
	{ "HOSTNAME", "\\b(?:[0-9A-Za-z][0-9A-Za-z-]{0,62})(?:\\.(?:[0-9A-Za-z]"
	    "[0-9A-Za-z-]{0,62}))*(\\.?|\\b)" },
	{ "IPORHOST", "(?:%{IP}|%{HOSTNAME})" },
	{ "MONTH", "\\b(?:[Jj]an(?:uary|uar)?|[Ff]eb(?:ruary|ruar)?|"
	    "[Mm](?:a|\xc3\xa4)?r(?:ch|z)?|[Aa]pr(?:il)?|[Mm]a(?:y|i)?|"
	    "[Jj]un(?:e|i)?|[Jj]ul(?:y|i)?|[Aa]ug(?:ust)?|[Ss]ep(?:tember)?|"
	    "[Oo](?:c|k)?t(?:ober)?|[Nn]ov(?:ember)?|[Dd]e(?:c|z)(?:ember)?)"
	    "\\b" },
	{ "MONTHNUM", "(?:0?[1-9]|1[0-2])" },
	{ "MONTHDAY", "(?:(?:0[1-9])|(?:[12][0-9])|(?:3[01])|[1-9])" },
	{ "YEAR", "(?>\\d\\d){1,2}" },
	{ "HOUR", "(?:2[0123]|[01]?[0-9])" },
	{ "MINUTE", "(?:[0-5][0-9])" },
	{ "SECOND", "(?:(?:[0-5]?[0-9]|60)(?:[:.,][0-9]+)?)" },
	{ "TIME", "(?!<[0-9])%{HOUR}:%{MINUTE}(?::%{SECOND})(?![0-9])" },
	{ "ISO8601_TIMEZONE", "(?:Z|[+-]%{HOUR}(?::?%{MINUTE}))" },
	{ "ISO8601_SECOND", "(?:%{SECOND}|60)" },
	{ "ISO8601_HOUR", "(?:2[0123]|[01][0-9])" },
	{ "TIMESTAMP_ISO8601", "%{YEAR}-%{MONTHNUM}-%{MONTHDAY}[T ]"
	    "%{ISO8601_HOUR}:?%{MINUTE}(?::?%{SECOND})?%{ISO8601_TIMEZONE}?" },
	{ "SYSLOGTIMESTAMP", "%{MONTH} +%{MONTHDAY} %{TIME}" },
	{ "SYSLOGHOST", "%{IPORHOST}" },
	{ "SYSLOG5424PRINTASCII", "[!-~]+" },
	{ "SYSLOG5424SD", "\\[%{DATA}\\]+" },
	{ NULL, NULL }
};

enum op {
	O_CHAR, O_ANY, O_SET, O_CLS, O_BOL, O_EOL, O_WB, O_NWB,
	O_SPLIT, O_JMP, O_SAVE, O_SUB, O_END, O_MATCH, O_MARK
};

enum cls { C_SPACE, C_NSPACE, C_WORD, C_NWORD, C_DIGIT, C_NDIGIT };
enum sub { S_ATOM, S_AHEAD, S_NAHEAD, S_BEHIND, S_NBEHIND };

struct ins {
	unsigned char op;
	unsigned char arg;	/* CHAR byte, CLS class, SUB kind */
	int32_t x, y;		/* relative targets; SET index; SAVE slot */
};

struct capdef {
	char *field;
	enum lh_grok_type type;
};

struct lh_grok {
	struct ins *code;
	size_t n, cap;
	unsigned char (*sets)[32];
	size_t nset, setcap;
	struct capdef caps[LH_GROK_MAXCAP];
	int ncap;
	int anyfirst;		/* 1: the prefilter below does not apply */
	int bolfirst;		/* a match may start at any line start */
	unsigned char first[32];	/* bytes a match may start with */
};

/* ---- expansion (Grok.toRegex) ------------------------------------------ */

struct expand {
	const struct lh_grok_def *defs;
	struct lh_grok *g;
	struct lh_buf out;
	struct lh_err *err;
};

static const char *
lookup(const struct expand *x, const char *name, size_t len)
{
	const struct lh_grok_def *d;

	for (d = x->defs; d != NULL && d->name != NULL; d++) {
		if (strlen(d->name) == len && memcmp(d->name, name, len) == 0)
			return d->pattern;
	}
	for (d = bank; d->name != NULL; d++) {
		if (strlen(d->name) == len && memcmp(d->name, name, len) == 0)
			return d->pattern;
	}
	return NULL;
}

/* Records field[:type] (len bytes) as the next capture: its number or -1. */
static int
add_capture(struct expand *x, const char *s, size_t len)
{
	struct capdef *c;
	const char *colon = memchr(s, ':', len);
	size_t flen = colon ? (size_t)(colon - s) : len;

	if (x->g->ncap >= LH_GROK_MAXCAP) {
		lh_err_set(x->err, LH_FAIL, 0, "grok: too many captures");
		return -1;
	}
	c = &x->g->caps[x->g->ncap];
	c->type = LH_GROK_STR;
	if (colon != NULL) {
		size_t tlen = len - flen - 1;

		if (tlen == 3 && memcmp(colon + 1, "int", 3) == 0)
			c->type = LH_GROK_INT;
		else if (tlen == 4 && memcmp(colon + 1, "long", 4) == 0)
			c->type = LH_GROK_LONG;
	}
	if ((c->field = malloc(flen + 1)) == NULL) {
		lh_err_set(x->err, LH_FATAL, 0, "out of memory");
		return -1;
	}
	memcpy(c->field, s, flen);
	c->field[flen] = '\0';
	return x->g->ncap++;
}

static int
expand(struct expand *x, const char *p, int depth)
{
	const char *q, *end, *def;
	size_t nlen;
	int k;

	if (depth > 16)
		return lh_err_set(x->err, LH_FAIL, 0, "grok: nesting too deep");
	while ((q = strstr(p, "%{")) != NULL) {
		if (lh_buf_append(&x->out, p, (size_t)(q - p)) != LH_OK)
			goto oom;
		if ((end = strchr(q, '}')) == NULL)
			return lh_err_set(x->err, LH_FAIL, 0, "grok: no }");
		q += 2;
		nlen = strcspn(q, ":}");
		if ((def = lookup(x, q, nlen)) == NULL)
			return lh_err_set(x->err, LH_FAIL, 0,
			    "grok: unknown pattern %.*s", (int)nlen, q);
		if (q[nlen] == ':') {
			if ((k = add_capture(x, q + nlen + 1,
			    (size_t)(end - q - nlen - 1))) < 0)
				return x->err ? x->err->status : LH_FAIL;
			if (lh_buf_printf(&x->out, "(?<%d>", k) != LH_OK)
				goto oom;
		} else if (lh_buf_puts(&x->out, "(?:") != LH_OK)
			goto oom;
		if ((k = expand(x, def, depth + 1)) != LH_OK)
			return k;
		if (lh_buf_putc(&x->out, ')') != LH_OK)
			goto oom;
		if (x->out.len > EXPAND_MAX)
			return lh_err_set(x->err, LH_FAIL, 0, "grok: too big");
		p = end + 1;
	}
	if (lh_buf_puts(&x->out, p) != LH_OK)
		goto oom;
	return LH_OK;
oom:
	return lh_err_set(x->err, LH_FATAL, 0, "out of memory");
}

/* ---- compilation --------------------------------------------------------- */

struct parser {
	const char *p;
	struct lh_grok *g;
	struct lh_err *err;
	int in_sub;
	int status;		/* first error, LH_OK while none */
};

static int perr(struct parser *ps, const char *what);
static long digits(const char **q);
static int parse_alt(struct parser *ps);

static int
perr(struct parser *ps, const char *what)
{
	if (ps->status == LH_OK)
		ps->status = lh_err_set(ps->err, LH_FAIL, 0,
		    "grok: %s near \"%.20s\"", what, ps->p);
	return -1;
}

static int
reserve(struct parser *ps, size_t extra)
{
	struct lh_grok *g = ps->g;
	struct ins *c;
	size_t cap;

	if (g->n + extra <= g->cap)
		return 0;
	if (g->n + extra > 1000000)
		return perr(ps, "program too big");
	cap = g->cap ? g->cap * 2 : 256;
	while (cap < g->n + extra)
		cap *= 2;
	if ((c = realloc(g->code, cap * sizeof(*c))) == NULL) {
		ps->status = lh_err_set(ps->err, LH_FATAL, 0, "out of memory");
		return -1;
	}
	g->code = c;
	g->cap = cap;
	return 0;
}

static int
emit(struct parser *ps, int op, int arg, int32_t x, int32_t y)
{
	struct ins *i;

	if (reserve(ps, 1) < 0)
		return -1;
	i = &ps->g->code[ps->g->n++];
	i->op = (unsigned char)op;
	i->arg = (unsigned char)arg;
	i->x = x;
	i->y = y;
	return 0;
}

/* Inserts one instruction at at, moving the code after it (see DESIGN). */
static int
insert(struct parser *ps, size_t at, int op, int arg, int32_t x, int32_t y)
{
	struct lh_grok *g = ps->g;

	if (reserve(ps, 1) < 0)
		return -1;
	memmove(&g->code[at + 1], &g->code[at], (g->n - at) * sizeof(*g->code));
	g->n++;
	g->code[at].op = (unsigned char)op;
	g->code[at].arg = (unsigned char)arg;
	g->code[at].x = x;
	g->code[at].y = y;
	return 0;
}

static int
new_set(struct parser *ps, unsigned char **set)
{
	struct lh_grok *g = ps->g;
	void *p;

	if (g->nset == g->setcap) {
		g->setcap = g->setcap ? g->setcap * 2 : 16;
		if ((p = realloc(g->sets, g->setcap * 32)) == NULL) {
			ps->status = lh_err_set(ps->err, LH_FATAL, 0,
			    "out of memory");
			return -1;
		}
		g->sets = p;
	}
	*set = g->sets[g->nset];
	memset(*set, 0, 32);
	return (int)g->nset++;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One member of a [...] class, escapes resolved; -1 on error. */
static int
class_char(struct parser *ps)
{
	int c = (unsigned char)*ps->p++, h, l;

	if (c != '\\')
		return c;
	c = (unsigned char)*ps->p++;
	if (c == 'x' && (h = hexval(ps->p[0])) >= 0 &&
	    (l = hexval(ps->p[1])) >= 0) {
		ps->p += 2;
		return h * 16 + l;
	}
	if (c == 'n')
		return '\n';
	if (c == 't')
		return '\t';
	if (c == '\0' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return perr(ps, "unsupported escape in class");
	return c;
}

static int
parse_class(struct parser *ps)
{
	unsigned char *set;
	int idx, neg = 0, lo, hi, c, first = 1;

	if ((idx = new_set(ps, &set)) < 0)
		return -1;
	if (*ps->p == '^') {
		neg = 1;
		ps->p++;
	}
	while (*ps->p != '\0' && (*ps->p != ']' || first)) {
		first = 0;
		if ((lo = class_char(ps)) < 0)
			return -1;
		hi = lo;
		if (ps->p[0] == '-' && ps->p[1] != ']' && ps->p[1] != '\0') {
			ps->p++;
			if ((hi = class_char(ps)) < 0)
				return -1;
		}
		for (c = lo; c <= hi; c++)
			set[c >> 3] |= (unsigned char)(1u << (c & 7));
	}
	if (*ps->p++ != ']')
		return perr(ps, "unterminated class");
	if (neg) {
		for (c = 0; c < 32; c++)
			set[c] = (unsigned char)~set[c];
		set['\n' >> 3] &= (unsigned char)~(1u << ('\n' & 7));
	}
	return emit(ps, O_SET, 0, idx, 0);
}

static int
parse_escape(struct parser *ps)
{
	int c = (unsigned char)*ps->p++;

	switch (c) {
	case 's': return emit(ps, O_CLS, C_SPACE, 0, 0);
	case 'S': return emit(ps, O_CLS, C_NSPACE, 0, 0);
	case 'w': return emit(ps, O_CLS, C_WORD, 0, 0);
	case 'W': return emit(ps, O_CLS, C_NWORD, 0, 0);
	case 'd': return emit(ps, O_CLS, C_DIGIT, 0, 0);
	case 'D': return emit(ps, O_CLS, C_NDIGIT, 0, 0);
	case 'b': return emit(ps, O_WB, 0, 0, 0);
	case 'B': return emit(ps, O_NWB, 0, 0, 0);
	case 'n': return emit(ps, O_CHAR, '\n', 0, 0);
	case 't': return emit(ps, O_CHAR, '\t', 0, 0);
	case '\0':
		ps->p--;
		return perr(ps, "trailing backslash");
	default:
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9'))
			return perr(ps, "unsupported escape");
		return emit(ps, O_CHAR, c, 0, 0);
	}
}

/* (?<k>...) or a SUB construct or a plain group; ps->p is after "(". */
static int
parse_group(struct parser *ps)
{
	size_t at = ps->g->n;
	int kind = -1, k = -1;
	const char *q = ps->p;

	if (q[0] == '?' && q[1] == '%') {	/* our marker, see create */
		ps->p += 2;
		k = (int)digits(&ps->p);
		if (*ps->p++ != ')' || k < 0)
			return perr(ps, "bad marker");
		return emit(ps, O_MARK, k, 0, 0);
	}
	if (q[0] == '?' && q[1] == ':')
		ps->p += 2;
	else if (q[0] == '?' && q[1] == '>')
		kind = S_ATOM;
	else if (q[0] == '?' && q[1] == '=')
		kind = S_AHEAD;
	else if (q[0] == '?' && q[1] == '!')
		kind = S_NAHEAD;
	else if (q[0] == '?' && q[1] == '<' && q[2] == '=')
		kind = S_BEHIND;
	else if (q[0] == '?' && q[1] == '<' && q[2] == '!')
		kind = S_NBEHIND;
	else if (q[0] == '?' && q[1] == '<') {
		ps->p += 2;
		k = (int)digits(&ps->p);
		if (*ps->p++ != '>' || k < 0 || k >= ps->g->ncap)
			return perr(ps, "bad named group");
		if (ps->in_sub)
			return perr(ps, "capture inside a SUB");
	} else if (q[0] == '?')
		return perr(ps, "unsupported group");
	if (kind >= 0) {
		ps->p += (kind >= S_BEHIND) ? 3 : 2;
		ps->in_sub++;
		if (emit(ps, O_SUB, kind, 0, 0) < 0)
			return -1;
	} else if (k >= 0 && emit(ps, O_SAVE, 0, 2 * k, 0) < 0)
		return -1;
	if (parse_alt(ps) < 0)
		return -1;
	if (*ps->p++ != ')')
		return perr(ps, "missing )");
	if (kind >= 0) {
		ps->in_sub--;
		if (emit(ps, O_END, 0, 0, 0) < 0)
			return -1;
		ps->g->code[at].x = (int32_t)(ps->g->n - at);
		if (kind >= S_BEHIND && (ps->g->n - at != 3 ||
		    ps->g->code[at + 1].op > O_CLS))
			return perr(ps, "lookbehind wider than a character");
	} else if (k >= 0 && emit(ps, O_SAVE, 0, 2 * k + 1, 0) < 0)
		return -1;
	return 0;
}

static int
parse_atom(struct parser *ps)
{
	int c = (unsigned char)*ps->p++;

	switch (c) {
	case '(':
		return parse_group(ps);
	case '[':
		return parse_class(ps);
	case '\\':
		return parse_escape(ps);
	case '.':
		return emit(ps, O_ANY, 0, 0, 0);
	case '^':
		return emit(ps, O_BOL, 0, 0, 0);
	case '$':
		return emit(ps, O_EOL, 0, 0, 0);
	case '*': case '+': case '?': case '{':
		ps->p--;
		return perr(ps, "quantifier without operand");
	default:
		return emit(ps, O_CHAR, c, 0, 0);
	}
}

/* Reads decimal digits at *q (at most 3): the value, or -1 if none. */
static long
digits(const char **q)
{
	long v = -1;
	int k;

	for (k = 0; k < 4 && **q >= '0' && **q <= '9'; k++, (*q)++)
		v = (v < 0 ? 0 : v * 10) + (**q - '0');
	return v;
}

/* Reads {m}, {m,} or {m,n} (max -1: unbounded); 0, or 1 if not one. */
static int
parse_braces(struct parser *ps, long *min, long *max)
{
	const char *q = ps->p + 1;

	if ((*min = digits(&q)) < 0)
		return 1;
	*max = *min;
	if (*q == ',') {
		q++;
		*max = digits(&q);
	}
	if (*q != '}' || *min > 100 || *max > 100 ||
	    (*max >= 0 && *max < *min))
		return 1;
	ps->p = q + 1;
	return 0;
}

/* Makes the fragment [s, n) optional or repeated (see DESIGN). */
static int
star(struct parser *ps, size_t s, int greedy)
{
	int32_t len = (int32_t)(ps->g->n - s);

	if (insert(ps, s, O_SPLIT, 0, greedy ? 1 : len + 2,
	    greedy ? len + 2 : 1) < 0)
		return -1;
	return emit(ps, O_JMP, 0, -(len + 1), 0);
}

static int
opt(struct parser *ps, size_t s, int greedy)
{
	int32_t len = (int32_t)(ps->g->n - s);

	return insert(ps, s, O_SPLIT, 0, greedy ? 1 : len + 1,
	    greedy ? len + 1 : 1);
}

static int
plus(struct parser *ps, size_t s, int greedy)
{
	int32_t len = (int32_t)(ps->g->n - s);

	return emit(ps, O_SPLIT, 0, greedy ? -len : 1, greedy ? 1 : -len);
}

/* {min,max} by copying the fragment [s, n). */
static int
counted(struct parser *ps, size_t s, long min, long max, int greedy)
{
	struct lh_grok *g = ps->g;
	size_t len = g->n - s, i, end;
	struct ins *frag;
	int rc = -1;

	if ((frag = malloc(len * sizeof(*frag) + 1)) == NULL) {
		ps->status = lh_err_set(ps->err, LH_FATAL, 0, "out of memory");
		return -1;
	}
	memcpy(frag, &g->code[s], len * sizeof(*frag));
	g->n = s;
	for (i = 0; i < (size_t)min; i++) {
		if (reserve(ps, len) < 0)
			goto out;
		memcpy(&g->code[g->n], frag, len * sizeof(*frag));
		g->n += len;
	}
	if (max < 0) {
		if (reserve(ps, len) < 0)
			goto out;
		memcpy(&g->code[g->n], frag, len * sizeof(*frag));
		g->n += len;
		rc = star(ps, g->n - len, greedy);
		goto out;
	}
	end = g->n + (size_t)(max - min) * (len + 1);
	for (i = (size_t)min; i < (size_t)max; i++) {
		int32_t to = (int32_t)(end - g->n);

		if (emit(ps, O_SPLIT, 0, greedy ? 1 : to, greedy ? to : 1) < 0 ||
		    reserve(ps, len) < 0)
			goto out;
		memcpy(&g->code[g->n], frag, len * sizeof(*frag));
		g->n += len;
	}
	rc = 0;
out:
	free(frag);
	return rc;
}

static int
parse_quant(struct parser *ps, size_t s)
{
	long min = 0, max = 0;
	int c = (unsigned char)*ps->p, greedy = 1, rc;

	if (c == '{' && parse_braces(ps, &min, &max) == 0)
		c = '{';
	else if (c == '*' || c == '+' || c == '?')
		ps->p++;
	else
		return 0;
	if (*ps->p == '?') {
		greedy = 0;
		ps->p++;
	}
	if (c == '*')
		rc = star(ps, s, greedy);
	else if (c == '+')
		rc = plus(ps, s, greedy);
	else if (c == '?')
		rc = opt(ps, s, greedy);
	else
		rc = counted(ps, s, min, max, greedy);
	if (rc < 0 || greedy == 0 || *ps->p != '+')
		return rc;
	/* Possessive: the quantified fragment as an atomic group. */
	ps->p++;
	if (insert(ps, s, O_SUB, S_ATOM, 0, 0) < 0 ||
	    emit(ps, O_END, 0, 0, 0) < 0)
		return -1;
	ps->g->code[s].x = (int32_t)(ps->g->n - s);
	return 0;
}

static int
parse_seq(struct parser *ps)
{
	size_t s;

	while (*ps->p != '\0' && *ps->p != '|' && *ps->p != ')') {
		s = ps->g->n;
		if (parse_atom(ps) < 0 || parse_quant(ps, s) < 0)
			return -1;
	}
	return 0;
}

/* A|B|C as SPLIT A JMP SPLIT B JMP C; the JMPs are chained through y. */
static int
parse_alt(struct parser *ps)
{
	struct lh_grok *g = ps->g;
	size_t s = g->n, j;
	int32_t chain = -1;

	if (parse_seq(ps) < 0)
		return -1;
	while (*ps->p == '|') {
		ps->p++;
		if (insert(ps, s, O_SPLIT, 0, 1, 0) < 0 ||
		    emit(ps, O_JMP, 0, 0, chain) < 0)
			return -1;
		chain = (int32_t)(g->n - 1);
		g->code[s].y = (int32_t)(g->n - s);
		s = g->n;
		if (parse_seq(ps) < 0)
			return -1;
	}
	while (chain >= 0) {
		j = (size_t)chain;
		chain = g->code[j].y;
		g->code[j].x = (int32_t)(g->n - j);
		g->code[j].y = 0;
	}
	return 0;
}

/* The bytes a match can start with, when the program says so simply. */
static void
prefilter(struct lh_grok *g, size_t pc, int depth)
{
	const struct ins *i;

	for (; pc < g->n && depth < 64 && !g->anyfirst; pc++) {
		i = &g->code[pc];
		switch (i->op) {
		case O_CHAR:
			g->first[i->arg >> 3] |= (unsigned char)(1u << (i->arg & 7));
			return;
		case O_SET:
			for (int b = 0; b < 32; b++)
				g->first[b] |= g->sets[i->x][b];
			return;
		case O_BOL:
			g->bolfirst = 1;
			return;
		case O_SAVE: case O_MARK:
			break;
		case O_JMP:
			pc += (size_t)i->x - 1;
			depth++;
			break;
		case O_SPLIT:
			prefilter(g, pc + (size_t)i->x, depth + 1);
			pc += (size_t)i->y - 1;
			depth++;
			break;
		default:
			g->anyfirst = 1;
			return;
		}
	}
	if (depth >= 64 || pc >= g->n)
		g->anyfirst = 1;
}

static int
compile(struct lh_grok *g, const char *re, struct lh_err *err)
{
	struct parser ps = { re, g, err, 0, LH_OK };

	if (parse_alt(&ps) < 0)
		return ps.status;
	if (*ps.p != '\0') {
		perr(&ps, "unbalanced )");
		return ps.status;
	}
	if (emit(&ps, O_MATCH, 0, 0, 0) < 0)
		return ps.status;
	prefilter(g, 0, 0);
	return LH_OK;
}

struct lh_grok *
lh_grok_create(const char *const *patterns, size_t n,
    const struct lh_grok_def *defs, struct lh_err *err)
{
	struct expand x = { defs, NULL, { NULL, 0, 0 }, err };
	struct lh_grok *g;
	size_t i;
	int rc = LH_FATAL;

	if ((g = calloc(1, sizeof(*g))) == NULL) {
		lh_err_set(err, LH_FATAL, 0, "out of memory");
		return NULL;
	}
	x.g = g;
	for (i = 0; i < n; i++) {
		if (i > 0 && lh_buf_putc(&x.out, '|') != LH_OK)
			goto out;
		/* (?%k) records which pattern a match took (lh_grok_result). */
		if (lh_buf_printf(&x.out, "(?:(?%%%zu)", i + 1) != LH_OK)
			goto out;
		if ((rc = expand(&x, patterns[i], 0)) != LH_OK)
			goto out;
		rc = LH_FATAL;
		if (lh_buf_putc(&x.out, ')') != LH_OK)
			goto out;
	}
	rc = (x.out.p == NULL) ? LH_FAIL : compile(g, x.out.p, err);
out:
	lh_buf_free(&x.out);
	if (rc != LH_OK) {
		if (rc == LH_FATAL)
			lh_err_set(err, LH_FATAL, 0, "out of memory");
		lh_grok_free(g);
		return NULL;
	}
	return g;
}

void
lh_grok_free(struct lh_grok *g)
{
	int i;

	if (g == NULL)
		return;
	for (i = 0; i < g->ncap; i++)
		free(g->caps[i].field);
	free(g->code);
	free(g->sets);
	free(g);
}

/* ---- matching -------------------------------------------------------------- */

struct bt {
	int32_t pc;		/* >= 0: resume here at sp; -1: restore slot */
	int32_t slot;
	size_t v;		/* sp, or the slot's old value */
};

struct vm {
	const struct lh_grok *g;
	const unsigned char *s;
	size_t n;
	size_t slot[2 * LH_GROK_MAXCAP];
	struct bt *stack;
	size_t nstack, cap;
	struct bt local[256];
	long steps;
	int alt;		/* the last O_MARK passed */
	int status;		/* LH_OK, LH_WARN (budget) or LH_FATAL */
};

#define NOPOS ((size_t)-1)

static int
push(struct vm *vm, int32_t pc, int32_t slot, size_t v)
{
	struct bt *p;
	size_t cap;

	if (vm->nstack == vm->cap) {
		if (vm->cap >= STACK_MAX) {
			vm->status = LH_WARN;
			return -1;
		}
		cap = vm->cap * 2;
		if (vm->stack == vm->local) {
			if ((p = malloc(cap * sizeof(*p))) != NULL)
				memcpy(p, vm->local, sizeof(vm->local));
		} else
			p = realloc(vm->stack, cap * sizeof(*p));
		if (p == NULL) {
			vm->status = LH_FATAL;
			return -1;
		}
		vm->stack = p;
		vm->cap = cap;
	}
	vm->stack[vm->nstack].pc = pc;
	vm->stack[vm->nstack].slot = slot;
	vm->stack[vm->nstack++].v = v;
	return 0;
}

/* Length of the character at i, and its code point (invalid: 1 byte). */
static size_t
char_at(const struct vm *vm, size_t i, uint32_t *cp)
{
	size_t k;

	if (vm->s[i] < 0x80) {
		*cp = vm->s[i];
		return 1;
	}
	if ((k = lh_utf8_decode(vm->s + i, vm->n - i, cp)) == 0) {
		*cp = 0xfffd;
		return 1;
	}
	return k;
}

/* Oniguruma's \s for UTF-8: White_Space. */
static int
is_space(uint32_t c)
{
	return (c >= 9 && c <= 13) || c == ' ' || c == 0x85 || c == 0xa0 ||
	    c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 ||
	    c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
}

/*
 * \w: letters, marks, digits, connector punctuation.  Beyond ASCII we use
 * the word-break classes of core/unicode.h, which cover the same letters
 * and digits (an approximation of Unicode's Word property).
 */
static int
is_word(uint32_t c)
{
	unsigned p, wb;

	if (c < 128)
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z') || c == '_';
	p = lh_uc_props(c);
	wb = p & LH_UC_WB_MASK;
	return wb == LH_WB_ALETTER || wb == LH_WB_HEBREW ||
	    wb == LH_WB_NUMERIC || wb == LH_WB_KATAKANA ||
	    wb == LH_WB_EXTENDNUMLET || wb == LH_WB_EXTEND ||
	    (p & (LH_UC_HAN | LH_UC_HIRAGANA | LH_UC_SA)) != 0;
}

static size_t char_before(const struct vm *vm, size_t sp);

static int
word_before(const struct vm *vm, size_t sp)
{
	uint32_t cp;

	if (sp == 0)
		return 0;
	(void)char_at(vm, char_before(vm, sp), &cp);
	return is_word(cp);
}

static int
word_after(const struct vm *vm, size_t sp)
{
	uint32_t cp;

	if (sp >= vm->n)
		return 0;
	(void)char_at(vm, sp, &cp);
	return is_word(cp);
}

/* One CLS step: the new position, or NOPOS. */
static size_t
cls_step(const struct vm *vm, int cls, size_t sp)
{
	uint32_t cp;
	size_t k;
	int in;

	if (sp >= vm->n)
		return NOPOS;
	k = char_at(vm, sp, &cp);
	switch (cls) {
	case C_SPACE: case C_NSPACE:
		in = is_space(cp);
		break;
	case C_WORD: case C_NWORD:
		in = is_word(cp);
		break;
	default:
		in = cp >= '0' && cp <= '9';
		break;
	}
	if (cls == C_NSPACE || cls == C_NWORD || cls == C_NDIGIT)
		in = !in;
	return in ? sp + k : NOPOS;
}

static size_t run(struct vm *vm, size_t pc, size_t sp);

/* Start of the character that ends at sp (for one-character lookbehind). */
static size_t
char_before(const struct vm *vm, size_t sp)
{
	size_t i = sp - 1, k = 0;
	uint32_t cp;

	while (i > 0 && k < 3 && (vm->s[i] & 0xc0) == 0x80) {
		i--;
		k++;
	}
	if (char_at(vm, i, &cp) != sp - i)
		i = sp - 1;
	return i;
}

/* A SUB at pc: the position after it, or NOPOS when it fails. */
static size_t
sub(struct vm *vm, size_t pc, size_t sp)
{
	const struct ins *i = &vm->g->code[pc];
	size_t r;

	switch (i->arg) {
	case S_ATOM:
		return run(vm, pc + 1, sp);
	case S_AHEAD: case S_NAHEAD:
		r = run(vm, pc + 1, sp);
		if (vm->status != LH_OK)
			return NOPOS;
		return ((r != NOPOS) == (i->arg == S_AHEAD)) ? sp : NOPOS;
	default:
		r = (sp == 0) ? NOPOS : run(vm, pc + 1, char_before(vm, sp));
		if (vm->status != LH_OK)
			return NOPOS;
		return ((r == sp) == (i->arg == S_BEHIND)) ? sp : NOPOS;
	}
}

/* One consuming or asserting step: the new position, or NOPOS. */
static size_t
step(struct vm *vm, const struct ins *i, size_t sp)
{
	const unsigned char *s = vm->s;
	uint32_t cp;

	switch (i->op) {
	case O_CHAR:
		return (sp < vm->n && s[sp] == i->arg) ? sp + 1 : NOPOS;
	case O_ANY:
		if (sp >= vm->n || s[sp] == '\n')
			return NOPOS;
		return sp + char_at(vm, sp, &cp);
	case O_SET:
		if (sp < vm->n && (vm->g->sets[i->x][s[sp] >> 3] &
		    (1u << (s[sp] & 7))))
			return sp + 1;
		return NOPOS;
	case O_CLS:
		return cls_step(vm, i->arg, sp);
	case O_BOL:
		return (sp == 0 || s[sp - 1] == '\n') ? sp : NOPOS;
	case O_EOL:
		return (sp == vm->n || s[sp] == '\n') ? sp : NOPOS;
	default:
		if ((word_before(vm, sp) != word_after(vm, sp)) ==
		    (i->op == O_WB))
			return sp;
		return NOPOS;
	}
}

/*
 * Runs the code from pc at sp to the first O_MATCH or O_END reached and
 * returns the position there, or NOPOS.  Entries it pushed are gone when
 * it returns (a SUB is atomic; at O_MATCH the slots hold the captures).
 */
static size_t
run(struct vm *vm, size_t pc, size_t sp)
{
	const struct ins *i;
	size_t base = vm->nstack, r;
	struct bt e;

	for (;;) {
		if (++vm->steps > STEP_BUDGET) {
			vm->status = LH_WARN;
			goto out;
		}
		i = &vm->g->code[pc];
		switch (i->op) {
		case O_MATCH: case O_END:
			vm->nstack = base;
			return sp;
		case O_JMP:
			pc += (size_t)(ptrdiff_t)i->x;
			continue;
		case O_SPLIT:
			if (push(vm, (int32_t)(pc + (size_t)(ptrdiff_t)i->y),
			    -1, sp) < 0)
				goto out;
			pc += (size_t)(ptrdiff_t)i->x;
			continue;
		case O_MARK:
			vm->alt = i->arg;
			pc++;
			continue;
		case O_SAVE:
			if (push(vm, -1, i->x, vm->slot[i->x]) < 0)
				goto out;
			vm->slot[i->x] = sp;
			pc++;
			continue;
		case O_SUB:
			r = sub(vm, pc, sp);
			if (vm->status != LH_OK)
				goto out;
			pc += (size_t)i->x;
			break;
		default:
			r = step(vm, i, sp);
			pc++;
			break;
		}
		if (r != NOPOS) {
			sp = r;
			continue;
		}
		/* Backtrack: undo captures down to the newest choice. */
		for (;;) {
			if (vm->nstack == base)
				return NOPOS;
			e = vm->stack[--vm->nstack];
			if (e.pc >= 0)
				break;
			vm->slot[e.slot] = e.v;
		}
		pc = (size_t)e.pc;
		sp = e.v;
	}
out:
	while (vm->nstack > base) {
		e = vm->stack[--vm->nstack];
		if (e.pc < 0)
			vm->slot[e.slot] = e.v;
	}
	return NOPOS;
}

static int
may_start(const struct lh_grok *g, const unsigned char *s, size_t n,
    size_t at)
{
	if (g->anyfirst)
		return 1;
	if (g->bolfirst && (at == 0 || s[at - 1] == '\n'))
		return 1;
	return at < n && (g->first[s[at] >> 3] & (1u << (s[at] & 7)));
}

/* Fills r from the slots of a match; LH_WARN when a typed value fails. */
static int
collect(const struct vm *vm, struct lh_grok_result *r)
{
	const struct lh_grok *g = vm->g;
	struct lh_grok_cap *c;
	int k;

	r->ncap = 0;
	r->alt = vm->alt;
	for (k = 0; k < g->ncap; k++) {
		if (vm->slot[2 * k] == NOPOS || vm->slot[2 * k + 1] == NOPOS ||
		    lh_grok_get(r, g->caps[k].field) != NULL)
			continue;
		c = &r->cap[r->ncap++];
		c->field = g->caps[k].field;
		c->type = g->caps[k].type;
		c->p = (const char *)vm->s + vm->slot[2 * k];
		c->len = vm->slot[2 * k + 1] - vm->slot[2 * k];
		c->num = 0;
		if (c->type != LH_GROK_STR && lh_num_parse(c->p, c->len,
		    c->type == LH_GROK_INT ? INT32_MIN : INT64_MIN,
		    c->type == LH_GROK_INT ? INT32_MAX : INT64_MAX,
		    &c->num) != LH_OK) {
			r->ncap = 0;
			return LH_WARN;
		}
	}
	return LH_OK;
}

int
lh_grok_match(const struct lh_grok *g, const char *s, size_t n,
    struct lh_grok_result *r)
{
	struct vm *vm;
	size_t at, k;
	int rc = LH_EOF;

	r->ncap = 0;
	r->alt = 0;
	if ((vm = malloc(sizeof(*vm))) == NULL)
		return LH_FATAL;
	vm->g = g;
	vm->s = (const unsigned char *)s;
	vm->n = n;
	vm->stack = vm->local;
	vm->nstack = 0;
	vm->cap = sizeof(vm->local) / sizeof(vm->local[0]);
	vm->steps = 0;
	vm->alt = 0;
	vm->status = LH_OK;
	for (k = 0; k < 2 * LH_GROK_MAXCAP; k++)
		vm->slot[k] = NOPOS;
	for (at = 0; at <= n; at++) {
		if (!may_start(g, vm->s, n, at))
			continue;
		if (run(vm, 0, at) != NOPOS) {
			rc = collect(vm, r);
			break;
		}
		if (vm->status != LH_OK) {
			rc = vm->status;
			break;
		}
	}
	if (vm->stack != vm->local)
		free(vm->stack);
	free(vm);
	return rc;
}

const struct lh_grok_cap *
lh_grok_get(const struct lh_grok_result *r, const char *field)
{
	size_t i;

	for (i = 0; i < r->ncap; i++) {
		if (strcmp(r->cap[i].field, field) == 0)
			return &r->cap[i];
	}
	return NULL;
}
