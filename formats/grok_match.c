/*
 * grok_match.c: lh_grok_match(), the backtracking machine that runs the
 * program of grok_int.h, and the captures it yields.
 *
 * The match state (backtrack stack, capture slots) lives on the heap for
 * the length of one lh_grok_match(); the program is only read.
 */
#include <stdlib.h>
#include <string.h>

#include "core/memfind.h"
#include "core/num.h"
#include "core/status.h"
#include "core/unicode.h"
#include "core/utf8.h"
#include "formats/grok_int.h"

/*
 * The watchdog: Elasticsearch interrupts a grok after 1 s
 * (ingest.grok.watchdog.max_execution_time); we stop after this many
 * machine steps, well under that on any hardware and far above what a
 * real log line needs (a few thousand).
 */
#define STEP_BUDGET	(1L << 24)
#define STACK_MAX	((size_t)1 << 22)

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

/* SAVE: sets slot to sp, keeping the old value for backtracking. */
static int
save(struct vm *vm, int32_t slot, size_t sp)
{
	if (push(vm, -1, slot, vm->slot[slot]) < 0)
		return -1;
	vm->slot[slot] = sp;
	return 0;
}

/*
 * Pops the backtrack stack down to the newest choice above base, undoing
 * the captures on the way, and resumes there: 0, or -1 when none is left.
 */
static int
backtrack(struct vm *vm, size_t base, size_t *pc, size_t *sp)
{
	struct bt e;

	while (vm->nstack > base) {
		e = vm->stack[--vm->nstack];
		if (e.pc >= 0) {
			*pc = (size_t)e.pc;
			*sp = e.v;
			return 0;
		}
		vm->slot[e.slot] = e.v;
	}
	return -1;
}

/* Drops the entries above base, undoing their captures. */
static void
unwind(struct vm *vm, size_t base)
{
	struct bt e;

	while (vm->nstack > base) {
		e = vm->stack[--vm->nstack];
		if (e.pc < 0)
			vm->slot[e.slot] = e.v;
	}
}

/*
 * For O_LAZYANY: the first position from sp on holding c or a newline, or
 * the end.  Before it, the continuation fails at once and "." succeeds
 * (c is ASCII, so it is never inside a multi-byte character "." takes
 * whole): the loop would only step over these positions.
 */
static size_t
skip_to(const struct vm *vm, size_t sp, int c)
{
	const unsigned char *s = vm->s;

	while (sp < vm->n && s[sp] != c && s[sp] != '\n')
		sp++;
	return sp;
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

	while (++vm->steps <= STEP_BUDGET) {
		i = &vm->g->code[pc];
		switch (i->op) {
		case O_MATCH: case O_END:
			vm->nstack = base;
			return sp;
		case O_LAZYANY:
			sp = skip_to(vm, sp, i->arg);
			/* FALLTHROUGH */
		case O_SPLIT:
			if (push(vm, (int32_t)(pc + (size_t)(ptrdiff_t)i->y),
			    -1, sp) < 0)
				goto out;
			pc += (size_t)(ptrdiff_t)i->x;
			continue;
		case O_JMP:
			pc += (size_t)(ptrdiff_t)i->x;
			continue;
		case O_MARK:
			vm->alt = i->arg;
			pc++;
			continue;
		case O_SAVE:
			if (save(vm, i->x, sp) < 0)
				goto out;
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
		if (r != NOPOS)
			sp = r;
		else if (backtrack(vm, base, &pc, &sp) < 0)
			return NOPOS;
	}
	vm->status = LH_WARN;
out:
	unwind(vm, base);
	return NOPOS;
}

/*
 * How common each byte is in log text, 4 - its rank: space 4 (the most
 * common); the letters of "etaoinsrhldcu" 3; the other lower case letters,
 * digits and ".:/-_" 2; upper case letters 1; any other byte 0 (rarest).
 */
static const unsigned char common[256] = {
	[' '] = 4,
	['-'] = 2, 2, 2,	/* - . / */
	['0'] = 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,	/* 0-9 : */
	['A'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1,
	['_'] = 2,
	['a'] = 3, 2, 3, 3, 3, 2, 2, 3, 3, 2, 2, 3, 2, 3, 3, 2, 2, 3, 3, 3,
	3, 2, 2, 2, 2, 2,
};

size_t
lh_grok_rare(const char *lit, size_t n)
{
	size_t i, best = 0;
	int r, rbest = -1;

	for (i = 0; i < n; i++) {
		if ((r = 4 - common[(unsigned char)lit[i]]) > rbest) {
			rbest = r;
			best = i;
			if (r == 4)
				break;	/* none ranks higher */
		}
	}
	return best;
}

const char *
lh_grok_find(const char *s, size_t n, const char *lit, size_t k)
{
	return k == 0 ? s : lh_memfind(s, n, lit, k, lh_grok_rare(lit, k));
}

/* 1 when the required literals of a occur in s, in order. */
static int
literals_occur(const struct alt *a, const char *s, size_t n)
{
	const char *p = s, *q;
	int i;

	for (i = 0; i < a->nlit; i++) {
		q = lh_memfind(p, n - (size_t)(p - s), a->lit[i],
		    a->litlen[i], a->litrare[i]);
		if (q == NULL)
			return 0;
		p = q + a->litlen[i];
	}
	return 1;
}

static int
line_start(const unsigned char *s, size_t at)
{
	return at == 0 || s[at - 1] == '\n';
}

/* The first position from at on where a match of a may start, or NOPOS. */
static size_t
next_start(const struct alt *a, const unsigned char *s, size_t n, size_t at)
{
	const char *q;

	while (at <= n) {
		if (a->linestart) {
			if (!line_start(s, at)) {
				q = memchr(s + at, '\n', n - at);
				if (q == NULL)
					return NOPOS;
				at = (size_t)((const unsigned char *)q - s) + 1;
			}
			if (n - at < a->npre ||
			    memcmp(s + at, a->pre, a->npre) != 0) {
				at++;
				continue;
			}
		} else if (a->npre > 0) {
			q = lh_memfind((const char *)s + at, n - at, a->pre,
			    a->npre, a->prerare);
			if (q == NULL)
				return NOPOS;
			at = (size_t)((const unsigned char *)q - s);
		}
		if ((!a->linestart || line_start(s, at)) && (a->anyfirst ||
		    (a->bolfirst && line_start(s, at)) || (at < n &&
		    (a->first[s[at] >> 3] & (1u << (s[at] & 7))))))
			return at;
		at++;
	}
	return NOPOS;
}

/* Fills r from the slots of a match; LH_WARN when a typed value fails. */
static int
collect(const struct vm *vm, struct lh_grok_result *r)
{
	const struct lh_grok *g = vm->g;
	struct lh_grok_cap *c;
	uint32_t taken = 0;	/* by capture number of the first field */
	int k;

	r->ncap = 0;
	r->alt = vm->alt;
	for (k = 0; k < g->ncap; k++) {
		if (vm->slot[2 * k] == NOPOS || vm->slot[2 * k + 1] == NOPOS ||
		    (taken & (UINT32_C(1) << g->caps[k].first)) != 0)
			continue;
		taken |= UINT32_C(1) << g->caps[k].first;
		c = &r->cap[r->ncap++];
		c->id = k;
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

/*
 * The search of Elasticsearch's combined pattern "(?:p1)|(?:p2)|...": at
 * the leftmost position where any pattern matches, the first pattern in
 * list order.  Each pattern runs on its own from its entry (at a given
 * position that is what the alternation does), and only at the positions
 * next_start() allows; next[k] is the next such position of pattern k.
 */
static int
search(struct vm *vm, struct lh_grok_result *r)
{
	const struct lh_grok *g = vm->g;
	size_t next[LH_GROK_MAXALT], at, k;

	for (k = 0; k < g->nalt; k++) {
		next[k] = next_start(&g->alts[k], vm->s, vm->n, 0);
		if (next[k] != NOPOS && !literals_occur(&g->alts[k],
		    (const char *)vm->s, vm->n))
			next[k] = NOPOS;
	}
	for (;;) {
		at = NOPOS;
		for (k = 0; k < g->nalt; k++)
			at = next[k] < at ? next[k] : at;
		if (at == NOPOS)
			return LH_EOF;
		for (k = 0; k < g->nalt; k++) {
			if (next[k] != at)
				continue;
			if (run(vm, g->alts[k].pc, at) != NOPOS)
				return collect(vm, r);
			if (vm->status != LH_OK)
				return vm->status;
			next[k] = next_start(&g->alts[k], vm->s, vm->n, at + 1);
		}
	}
}

int
lh_grok_match(const struct lh_grok *g, const char *s, size_t n,
    struct lh_grok_result *r)
{
	struct vm vm;
	size_t k;
	int rc;

	r->ncap = 0;
	r->alt = 0;
	vm.g = g;
	vm.s = (const unsigned char *)s;
	vm.n = n;
	vm.stack = vm.local;
	vm.nstack = 0;
	vm.cap = sizeof(vm.local) / sizeof(vm.local[0]);
	vm.steps = 0;
	vm.alt = 0;
	vm.status = LH_OK;
	for (k = 0; k < 2 * LH_GROK_MAXCAP; k++)
		vm.slot[k] = NOPOS;
	rc = search(&vm, r);
	if (vm.stack != vm.local)
		free(vm.stack);
	return rc;
}

int
lh_grok_ncap(const struct lh_grok *g)
{
	return g->ncap;
}

const char *
lh_grok_field(const struct lh_grok *g, int id)
{
	return (id >= 0 && id < g->ncap) ? g->caps[id].field : NULL;
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
