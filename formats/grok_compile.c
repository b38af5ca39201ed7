/*
 * grok_compile.c: lh_grok_create() and lh_grok_free(), and the second
 * stage of lh_grok_create(): the regex text of grok_expand.c compiled in
 * one pass, by recursive descent, to the program of grok_int.h.
 */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/num.h"
#include "core/status.h"
#include "formats/grok_int.h"

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

	if (g->n + extra <= g->cap)
		return 0;
	if (g->n + extra > 1000000)
		return perr(ps, "program too big");
	if (lh_grow(&g->code, &g->cap, g->n + extra, sizeof(*g->code)) !=
	    LH_OK) {
		ps->status = lh_err_set(ps->err, LH_FATAL, 0, "out of memory");
		return -1;
	}
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

/* Inserts one instruction at at, moving the code after it (grok_int.h). */
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

	if (lh_grow(&g->sets, &g->setcap, g->nset + 1, sizeof(*g->sets)) !=
	    LH_OK) {
		ps->status = lh_err_set(ps->err, LH_FATAL, 0, "out of memory");
		return -1;
	}
	*set = g->sets[g->nset];
	memset(*set, 0, 32);
	return (int)g->nset++;
}

/* One member of a [...] class, escapes resolved; -1 on error. */
static int
class_char(struct parser *ps)
{
	int c = (unsigned char)*ps->p++, h, l;

	if (c != '\\')
		return c;
	c = (unsigned char)*ps->p++;
	if (c == 'x' && (h = lh_num_hexdigit(ps->p[0])) >= 0 &&
	    (l = lh_num_hexdigit(ps->p[1])) >= 0) {
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

/* (?%k), the marker lh_grok_expand() puts before pattern k. */
static int
parse_marker(struct parser *ps)
{
	int k;

	ps->p += 2;
	k = (int)digits(&ps->p);
	if (*ps->p++ != ')' || k < 0)
		return perr(ps, "bad marker");
	return emit(ps, O_MARK, k, 0, 0);
}

/*
 * The opening of a group, ps->p after "(": sets *kind to the SUB kind or
 * -1 and *k to the capture number or -1, and moves ps->p to the body.
 */
static int
group_head(struct parser *ps, int *kind, int *k)
{
	const char *q = ps->p;

	*kind = -1;
	*k = -1;
	if (q[0] != '?')
		return 0;
	if (q[1] == ':')
		ps->p += 2;
	else if (q[1] == '>')
		*kind = S_ATOM;
	else if (q[1] == '=')
		*kind = S_AHEAD;
	else if (q[1] == '!')
		*kind = S_NAHEAD;
	else if (q[1] == '<' && q[2] == '=')
		*kind = S_BEHIND;
	else if (q[1] == '<' && q[2] == '!')
		*kind = S_NBEHIND;
	else if (q[1] == '<') {
		ps->p += 2;
		*k = (int)digits(&ps->p);
		if (*ps->p++ != '>' || *k < 0 || *k >= ps->g->ncap)
			return perr(ps, "bad named group");
		if (ps->in_sub)
			return perr(ps, "capture inside a SUB");
	} else
		return perr(ps, "unsupported group");
	if (*kind >= 0)
		ps->p += (*kind >= S_BEHIND) ? 3 : 2;
	return 0;
}

/* Ends the SUB opened at at: its O_END, and its length in the O_SUB. */
static int
end_sub(struct parser *ps, size_t at)
{
	if (emit(ps, O_END, 0, 0, 0) < 0)
		return -1;
	ps->g->code[at].x = (int32_t)(ps->g->n - at);
	return 0;
}

/* (?<k>...) or a SUB construct or a plain group; ps->p is after "(". */
static int
parse_group(struct parser *ps)
{
	size_t at = ps->g->n;
	int kind, k;

	if (ps->p[0] == '?' && ps->p[1] == '%')
		return parse_marker(ps);
	if (group_head(ps, &kind, &k) < 0)
		return -1;
	if (kind >= 0) {
		ps->in_sub++;
		if (emit(ps, O_SUB, kind, 0, 0) < 0)
			return -1;
	} else if (k >= 0 && emit(ps, O_SAVE, 0, 2 * k, 0) < 0)
		return -1;
	if (parse_alt(ps) < 0)
		return -1;
	if (*ps->p++ != ')')
		return perr(ps, "missing )");
	if (kind < 0)
		return (k >= 0) ? emit(ps, O_SAVE, 0, 2 * k + 1, 0) : 0;
	ps->in_sub--;
	if (end_sub(ps, at) < 0)
		return -1;
	if (kind >= S_BEHIND && (ps->g->n - at != 3 ||
	    ps->g->code[at + 1].op > O_CLS))
		return perr(ps, "lookbehind wider than a character");
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

/* Makes the fragment [s, n) optional or repeated (see grok_int.h). */
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

		if (emit(ps, O_SPLIT, 0, greedy ? 1 : to,
		    greedy ? to : 1) < 0 || reserve(ps, len) < 0)
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
	if (insert(ps, s, O_SUB, S_ATOM, 0, 0) < 0)
		return -1;
	return end_sub(ps, s);
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

/* The bytes a match of a can start with, when the program says so simply. */
static void
first_set(const struct lh_grok *g, struct alt *a, size_t pc, int depth)
{
	const struct ins *i;

	for (; pc < g->n && depth < 64 && !a->anyfirst; pc++) {
		i = &g->code[pc];
		switch (i->op) {
		case O_CHAR:
			a->first[i->arg >> 3] |=
			    (unsigned char)(1u << (i->arg & 7));
			return;
		case O_SET:
			for (int b = 0; b < 32; b++)
				a->first[b] |= g->sets[i->x][b];
			return;
		case O_BOL:
			a->bolfirst = 1;
			return;
		case O_SAVE: case O_MARK:
			break;
		case O_SUB:
			if (i->arg == S_ATOM) {
				a->anyfirst = 1;
				return;
			}
			pc += (size_t)i->x - 1;	/* zero-width */
			break;
		case O_JMP:
			pc += (size_t)i->x - 1;
			depth++;
			break;
		case O_SPLIT: case O_LAZYANY:
			first_set(g, a, pc + (size_t)i->x, depth + 1);
			pc += (size_t)i->y - 1;
			depth++;
			break;
		default:
			a->anyfirst = 1;
			return;
		}
	}
	if (depth >= 64 || pc >= g->n)
		a->anyfirst = 1;
}

/*
 * What every match of a begins with: a line start if the code reaches ^
 * before consuming anything, then the literal of the O_CHARs that follow
 * (saves and lookarounds, being zero-width, are stepped over).
 */
static void
start_of(const struct lh_grok *g, struct alt *a)
{
	const struct ins *i;
	size_t pc;

	for (pc = a->pc + 1; pc < g->n; pc++) {
		i = &g->code[pc];
		if (i->op == O_SAVE)
			continue;
		if (i->op == O_SUB && i->arg != S_ATOM)
			pc += (size_t)i->x - 1;
		else if (i->op == O_BOL && a->npre == 0)
			a->linestart = 1;
		else if (i->op == O_CHAR && a->npre < sizeof(a->pre))
			a->pre[a->npre++] = (char)i->arg;
		else
			break;
	}
	if (a->npre > 0)
		a->prerare = lh_grok_rare(a->pre, a->npre);
	first_set(g, a, a->pc, 0);
}

/* Marks the lazy ".*?" loops that O_LAZYANY can run (grok_int.h). */
static void
lazy_any(struct lh_grok *g)
{
	size_t pc, c;

	for (pc = 0; pc + 3 < g->n; pc++) {
		if (g->code[pc].op != O_SPLIT || g->code[pc].x != 3 ||
		    g->code[pc].y != 1 || g->code[pc + 1].op != O_ANY ||
		    g->code[pc + 2].op != O_JMP || g->code[pc + 2].x != -2)
			continue;
		for (c = pc + 3; c < g->n && g->code[c].op == O_SAVE; c++)
			;
		if (c < g->n && g->code[c].op == O_CHAR &&
		    g->code[c].arg < 0x80 && g->code[c].arg != '\n') {
			g->code[pc].op = O_LAZYANY;
			g->code[pc].arg = g->code[c].arg;
		}
	}
}

/* Finds the entry of each pattern (its O_MARK) and where it can start. */
static int
alts(struct lh_grok *g)
{
	size_t pc, k;

	for (k = 0; k < g->nalt; k++)
		g->alts[k].pc = (size_t)-1;
	for (pc = 0; pc < g->n; pc++) {
		k = g->code[pc].arg;
		if (g->code[pc].op == O_MARK && k >= 1 && k <= g->nalt)
			g->alts[k - 1].pc = pc;
	}
	for (k = 0; k < g->nalt; k++) {
		if (g->alts[k].pc == (size_t)-1)
			return LH_FAIL;
		start_of(g, &g->alts[k]);
	}
	return LH_OK;
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
	lazy_any(g);
	if (alts(g) != LH_OK) {
		perr(&ps, "pattern markers");
		return ps.status;
	}
	return LH_OK;
}

struct lh_grok *
lh_grok_create(const char *const *patterns, size_t n,
    const struct lh_grok_def *defs, struct lh_err *err)
{
	struct lh_buf re = { 0 };
	struct lh_grok *g;
	int rc;

	if (n > LH_GROK_MAXALT) {
		lh_err_set(err, LH_FAIL, 0, "grok: too many patterns");
		return NULL;
	}
	if ((g = calloc(1, sizeof(*g))) == NULL) {
		lh_err_set(err, LH_FATAL, 0, "out of memory");
		return NULL;
	}
	rc = lh_grok_expand(g, patterns, n, defs, &re, err);
	if (rc == LH_OK)
		rc = (re.p == NULL) ? LH_FAIL : compile(g, re.p, err);
	lh_buf_free(&re);
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
	size_t k;
	int i;

	if (g == NULL)
		return;
	for (i = 0; i < g->ncap; i++)
		free(g->caps[i].field);
	for (k = 0; g->alts != NULL && k < g->nalt; k++) {
		for (i = 0; i < g->alts[k].nlit; i++)
			free(g->alts[k].lit[i]);
	}
	free(g->alts);
	free(g->code);
	free(g->sets);
	free(g);
}
