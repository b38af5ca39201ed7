/*
 * analyzer.c: Elasticsearch's standard analyzer, that is Lucene's
 * StandardTokenizer followed by LowerCaseFilter.
 *
 * DESIGN
 * StandardTokenizer is a JFlex scanner (StandardTokenizerImpl.jflex), so it
 * is a longest-match choice among a few regular expressions, not the
 * pairwise UAX#29 break algorithm.  At each position we run every rule that
 * can start with the character there and take the longest match:
 *
 *   word    ExtendNumLet* seg (ExtendNumLet+ seg)* ExtendNumLet*, a seg
 *           being a Katakana run or abutting letter and digit runs whose
 *           characters may be joined by single mid characters (a
 *           hand-built DFA over word-break classes, below);
 *   emoji   emoji, presentation, modifier, ZWJ, tag, keycap and flag
 *           sequences (a small NFA simulated with a bit set, below);
 *   SE Asian  one token for a run of Line_Break=Complex_Context;
 *   Han, Hiragana  one token per character.
 *
 * A position where no rule matches loses one code point.  Every rule folds
 * Extend, Format and ZWJ characters into the preceding one (WB4).
 *
 * Lucene's scanner buffer is maxTokenLength (255) UTF-16 units and may not
 * grow, so a match cannot see past 255 units from its start: longer words
 * are split, not dropped.  The cursor below enforces that window, including
 * JFlex's rule of not splitting a surrogate pair at the buffer's end.
 *
 * All state lives on the stack or in the caller's struct lh_tokens:
 * thread-safe, and allocation-free once the token buffers are big enough.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/analyzer.h"
#include "core/buf.h"
#include "core/status.h"
#include "core/unicode.h"
#include "core/utf8.h"

#define WINDOW LH_MAX_TOKEN_LEN
#define CP_ZWJ 0x200d
#define CP_VS15 0xfe0e
#define CP_VS16 0xfe0f
#define CP_KEYCAP 0x20e3
#define CP_TAG_LO 0xe0020
#define CP_TAG_HI 0xe007e
#define CP_TAG_TERM 0xe007f

/* A position in the input, limited to the window of one match. */
struct cursor {
	const unsigned char *s;
	size_t len;
	size_t pos;     /* byte offset of the next code point */
	unsigned units; /* UTF-16 units consumed since the match start */
};

/*
 * Decodes the UTF-8 sequence at s (len > 0 bytes available).  Returns its
 * length; an invalid or truncated sequence yields U+FFFD for one byte, as
 * Lucene's UTF-8 reader does.
 */
static inline size_t
utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t n;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((n = lh_utf8_decode(s, len, cp)) == 0) {
		*cp = 0xfffd;
		return 1;
	}
	return n;
}

/*
 * Reads the code point at the cursor without moving it.  Returns its byte
 * length, or 0 at the end of the input or when it does not fit the window.
 */
static inline size_t
peek(const struct cursor *c, uint32_t *cp, unsigned *props)
{
	size_t n;

	if (c->pos >= c->len)
		return 0;
	if (c->s[c->pos] < 0x80) {
		if (c->units >= WINDOW)
			return 0;
		*cp = c->s[c->pos];
		*props = lh_uc_ascii[*cp];
		return 1;
	}
	n = utf8_decode(c->s + c->pos, c->len - c->pos, cp);
	if (c->units + (*cp >= 0x10000 ? 2u : 1u) > WINDOW)
		return 0;
	*props = lh_uc_props(*cp);
	return n;
}

static inline void
advance(struct cursor *c, uint32_t cp, size_t n)
{
	c->pos += n;
	c->units += cp >= 0x10000 ? 2 : 1;
}

/*
 * The word rule as a DFA.  The grammar's nondeterminism collapses into few
 * states because letter and digit runs may abut ("a1") and ExtendNumLet
 * may separate any runs ("x_y"); only these need context:
 *   W_A    after a letter: MidLetter, MidNumLet or ' may join a letter;
 *   W_HF   after a Hebrew letter that is free to take a trailing ' (WB7a)
 *          or a " joining another Hebrew letter (WB7b/c);
 *   W_N    after a digit: MidNum, MidNumLet or ' may join a digit;
 *   W_K    after Katakana: only Katakana or ExtendNumLet may follow (the
 *          grammar does not let a Katakana run abut a letter or digit);
 *   W_E    after an ExtendNumLet that follows a run;
 *   W_HX   after a Hebrew H' or H"H element: no mid character may follow;
 *   W_PA, W_PN, W_PH  after a mid character, waiting for its right side.
 * A Hebrew letter reached through a mid character cannot take a trailing
 * quote, so it goes to W_A rather than W_HF.
 */
enum wstate {
	W_START,
	W_LEAD,
	W_A,
	W_HF,
	W_N,
	W_K,
	W_E,
	W_HX,
	W_PA,
	W_PN,
	W_PH,
	W_FAIL
};
#define W_ACCEPTS                                                              \
	(1u << W_A | 1u << W_HF | 1u << W_N | 1u << W_K | 1u << W_E |          \
	    1u << W_HX)

/* clang-format off */
#define F W_FAIL
static const uint8_t word_next[W_FAIL][LH_WB_RI + 1] = {
	/* Other ALet Hebr Num Kata ENL MidL MNL MidN ' " Ext RI */
	{ F, W_A, W_HF, W_N, W_K, W_LEAD, F, F, F, F, F, F, F }, /* START */
	{ F, W_A, W_HF, W_N, W_K, W_LEAD, F, F, F, F, F, W_LEAD, F }, /* LEAD */
	{ F, W_A, W_HF, W_N, F, W_E, W_PA, W_PA, F, W_PA, F, W_A, F }, /* A */
	{ F, W_A, W_HF, W_N, F, W_E, W_PA, W_PA, F, W_HX, W_PH, W_HF, F },
	{ F, W_A, W_HF, W_N, F, W_E, F, W_PN, W_PN, W_PN, F, W_N, F }, /* N */
	{ F, F, F, F, W_K, W_E, F, F, F, F, F, W_K, F },	/* K */
	{ F, W_A, W_HF, W_N, W_K, W_E, F, F, F, F, F, W_E, F },	/* E */
	{ F, W_A, W_HF, W_N, F, W_E, F, F, F, F, F, W_HX, F },	/* HX */
	{ F, W_A, W_A, F, F, F, F, F, F, F, F, W_PA, F },	/* PA */
	{ F, F, F, W_N, F, F, F, F, F, F, F, W_PN, F },		/* PN */
	{ F, F, W_HX, F, F, F, F, F, F, F, F, W_PH, F },	/* PH */
};
#undef F
/* clang-format on */

/* Returns the end of the longest word-rule match at start (start if none). */
static size_t
match_word(const unsigned char *s, size_t len, size_t start)
{
	struct cursor c = { s, len, start, 0 };
	size_t best = start, n;
	unsigned st = W_START, props;
	uint32_t cp;

	while ((n = peek(&c, &cp, &props)) != 0) {
		st = word_next[st][props & LH_UC_WB_MASK];
		if (st == W_FAIL)
			break;
		advance(&c, cp, n);
		if (W_ACCEPTS & 1u << st)
			best = c.pos;
	}
	return best;
}

/*
 * The emoji rule as an NFA whose active states are bits.  An "ECP" is the
 * grammar's EmojiCharOrPresSeqOrModSeq; the first one of a sequence (block
 * 0) may be followed by a tag sequence, later ones (block 1, after a ZWJ)
 * may not.  Within a block: S start, Z after leading ZWJs, C after an
 * EmojiChar, V after its U+FE0F, B after a modifier base, M after a
 * modifier; C, V and M end an ECP.
 */
enum {
	E_S = 1,
	E_Z = 2,
	E_C = 4,
	E_V = 8,
	E_B = 16,
	E_M = 32,
	E_END = E_C | E_V | E_M,
	T_SPEC = 1 << 12,
	T_DONE = 1 << 13,
	K_S = 1 << 14,
	K_BASE = 1 << 15,
	K_V = 1 << 16,
	K_DONE = 1 << 17,
	R_S = 1 << 18,
	R_1 = 1 << 19,
	R_2 = 1 << 20,
	E_ACCEPTS = E_END | E_END << 6 | T_DONE | K_DONE | R_2
};

/* What the emoji NFA needs to know about one code point. */
struct echar {
	uint32_t cp;
	unsigned props;
	int ext; /* WB Extend, Format or ZWJ */
	int xs;  /* the same without U+FE0E and U+FE0F */
};

static unsigned
ecp_step(unsigned b, const struct echar *e)
{
	unsigned nb = 0;

	if (b & (E_S | E_Z)) {
		if (e->cp == CP_ZWJ)
			nb |= E_Z;
		if (e->props & LH_UC_EMOJI)
			nb |= E_C;
		if (e->props & LH_UC_EMOJI_MB)
			nb |= E_B;
	}
	if ((b & (E_S | E_B)) && (e->props & LH_UC_EMOJI_MOD))
		nb |= E_M;
	if (e->xs)
		nb |= b & (E_C | E_B | E_M);
	if ((b & E_C) && e->cp == CP_VS16)
		nb |= E_V;
	return nb;
}

static unsigned
emoji_step(unsigned set, const struct echar *e)
{
	unsigned nset, first = set & 0x3f, later = set >> 6 & 0x3f;
	int tag = e->cp >= CP_TAG_LO && e->cp <= CP_TAG_HI;

	nset = ecp_step(first, e) | ecp_step(later, e) << 6;
	if (((first | later) & E_END) && e->cp == CP_ZWJ)
		nset |= E_S << 6;
	if (((first & E_END) || (set & T_SPEC)) && tag)
		nset |= T_SPEC;
	if ((set & T_SPEC) && e->cp == CP_TAG_TERM)
		nset |= T_DONE;
	if ((set & K_S) &&
	    (e->cp == '#' || e->cp == '*' || (e->cp >= '0' && e->cp <= '9')))
		nset |= K_BASE;
	if ((set & K_BASE) && e->cp == CP_VS16)
		nset |= K_V;
	if ((set & (K_BASE | K_V)) && e->cp == CP_KEYCAP)
		nset |= K_DONE;
	if (e->xs)
		nset |= set & (K_BASE | K_DONE);
	if ((e->props & LH_UC_WB_MASK) == LH_WB_RI) {
		if (set & R_S)
			nset |= R_1;
		if (set & R_1)
			nset |= R_2;
	}
	if (e->ext)
		nset |= set & (R_1 | R_2);
	return nset;
}

/* Returns the end of the longest emoji-rule match at start. */
static size_t
match_emoji(const unsigned char *s, size_t len, size_t start)
{
	struct cursor c = { s, len, start, 0 };
	struct echar e;
	unsigned set = E_S | K_S | R_S;
	size_t best = start, n;

	while (set != 0 && (n = peek(&c, &e.cp, &e.props)) != 0) {
		e.ext = (e.props & LH_UC_WB_MASK) == LH_WB_EXTEND;
		e.xs = e.ext && e.cp != CP_VS15 && e.cp != CP_VS16;
		set = emoji_step(set, &e);
		advance(&c, e.cp, n);
		if (set & E_ACCEPTS)
			best = c.pos;
	}
	return best;
}

/*
 * The SE Asian rule ((Complex_Context Ext*)+) when first is LH_UC_SA, or
 * the Han / Hiragana rule (one character and its Ext*) otherwise.
 */
static size_t
match_run(const unsigned char *s, size_t len, size_t start, unsigned first)
{
	struct cursor c = { s, len, start, 0 };
	size_t n;
	unsigned props;
	uint32_t cp;

	if ((n = peek(&c, &cp, &props)) == 0)
		return start;
	advance(&c, cp, n);
	while ((n = peek(&c, &cp, &props)) != 0) {
		if ((props & LH_UC_WB_MASK) != LH_WB_EXTEND &&
		    !(first == LH_UC_SA && (props & LH_UC_SA)))
			break;
		advance(&c, cp, n);
	}
	return c.pos;
}

#define EMOJI_START (LH_UC_EMOJI | LH_UC_EMOJI_MB | LH_UC_EMOJI_MOD)

/*
 * Returns the end of the longest match of any token rule at pos, or pos.
 * Digits skip the emoji rule: a keycap sequence is all Extend after the
 * digit, which the word rule takes as well.
 */
static size_t
match_at(const unsigned char *s, size_t len, size_t pos)
{
	size_t end, e;
	uint32_t cp;
	unsigned props;

	utf8_decode(s + pos, len - pos, &cp);
	props = lh_uc_props(cp);
	end = match_word(s, len, pos);
	if ((props & EMOJI_START) || cp == CP_ZWJ || cp == '#' || cp == '*' ||
	    (props & LH_UC_WB_MASK) == LH_WB_RI) {
		if ((e = match_emoji(s, len, pos)) > end)
			end = e;
	}
	if (props & LH_UC_SA) {
		if ((e = match_run(s, len, pos, LH_UC_SA)) > end)
			end = e;
	} else if (props & (LH_UC_HAN | LH_UC_HIRAGANA)) {
		if ((e = match_run(s, len, pos, 0)) > end)
			end = e;
	}
	return end;
}

/*
 * Grows out so that one more token of up to need bytes fits.  off and len
 * share out->cap: both grow from the same capacity to the same need, so
 * lh_grow gives both the same new capacity, and out->cap only takes it
 * once both have it (an array that grew alone is merely larger).
 */
static int
reserve(struct lh_tokens *out, size_t need)
{
	size_t offcap = out->cap, lencap = out->cap, n = out->n + 1;

	if (lh_grow(&out->off, &offcap, n, sizeof(*out->off)) != LH_OK ||
	    lh_grow(&out->len, &lencap, n, sizeof(*out->len)) != LH_OK)
		return LH_FATAL;
	out->cap = offcap;
	if (need > UINT32_MAX - out->text_len)
		return LH_FATAL; /* offsets are 32-bit */
	return lh_grow(&out->text, &out->text_cap, out->text_len + need, 1);
}

/*
 * Appends the lowercased token s[0..n).  Lowercasing grows a character by
 * at most one byte (e.g. U+023A, 2 bytes, to U+2C65, 3), hence 2n + 1.
 */
static int
emit(struct lh_tokens *out, const unsigned char *s, size_t n)
{
	char *p;
	size_t i, k;
	uint32_t cp;

	if (reserve(out, 2 * n + 1) != LH_OK)
		return LH_FATAL;
	p = out->text + out->text_len;
	for (i = 0; i < n; i += k) {
		if (s[i] < 0x80) {
			cp = s[i];
			*p++ = (char)(cp >= 'A' && cp <= 'Z' ? cp | 0x20 : cp);
			k = 1;
			continue;
		}
		k = utf8_decode(s + i, n - i, &cp);
		p += lh_utf8_encode(lh_uc_tolower(cp), p);
	}
	*p++ = '\0';
	out->off[out->n] = (uint32_t)out->text_len;
	out->len[out->n] = (uint32_t)(p - 1 - (out->text + out->text_len));
	out->n++;
	out->text_len = (size_t)(p - out->text);
	return LH_OK;
}

void
lh_tokens_init(struct lh_tokens *t)
{
	memset(t, 0, sizeof(*t));
}

void
lh_tokens_free(struct lh_tokens *t)
{
	free(t->text);
	free(t->off);
	free(t->len);
	memset(t, 0, sizeof(*t));
}

/*
 * ASCII characters that can start no token are skipped without running
 * the matchers; '#' and '*' only start a keycap emoji before a non-ASCII
 * byte.
 */
static inline int
ascii_skip(const unsigned char *s, size_t len, size_t pos)
{
	unsigned char c = s[pos];

	if (lh_uc_ascii[c] != LH_WB_OTHER)
		return (lh_uc_ascii[c] & LH_UC_WB_MASK) >= LH_WB_MIDLETTER;
	if (c == '#' || c == '*')
		return pos + 1 >= len || s[pos + 1] < 0x80;
	return 1;
}

int
lh_analyze(const char *str, size_t len, struct lh_tokens *out)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t pos = 0, end;
	uint32_t cp;

	out->n = 0;
	out->text_len = 0;
	while (pos < len) {
		if (s[pos] < 0x80 && ascii_skip(s, len, pos)) {
			pos++;
			continue;
		}
		end = match_at(s, len, pos);
		if (end == pos) {
			pos += utf8_decode(s + pos, len - pos, &cp);
			continue;
		}
		if (emit(out, s + pos, end - pos) != LH_OK)
			return LH_FATAL;
		pos = end;
	}
	return LH_OK;
}
