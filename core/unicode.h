/*
 * unicode.h: the character tables of the standard analyzer.
 *
 * DESIGN
 * Each code point has a 10-bit property word: the low four bits are its
 * word-break class as Lucene's StandardTokenizerImpl.jflex sees it (Unicode
 * 9.0, see tools/gen-unicode.py for the exact choices), the other bits the
 * Lucene-specific classes (Han, Hiragana, Complex_Context, emoji).  The
 * tables are generated into core/unicode_tables.c as sorted range lists
 * searched by bisection; ASCII has a direct 128-entry table because log
 * text is mostly ASCII.  Everything here is constant: thread-safe.
 */
#ifndef LH_UNICODE_H
#define LH_UNICODE_H

#include <stddef.h>
#include <stdint.h>

/* Word-break classes (UAX#29 WordBreakProperty, as used by the grammar). */
enum lh_wb {
	LH_WB_OTHER = 0, /* incl. CR, LF, Newline, WSegSpace */
	LH_WB_ALETTER,
	LH_WB_HEBREW, /* Hebrew_Letter */
	LH_WB_NUMERIC,
	LH_WB_KATAKANA,
	LH_WB_EXTENDNUMLET,
	LH_WB_MIDLETTER,
	LH_WB_MIDNUMLET,
	LH_WB_MIDNUM,
	LH_WB_SQUOTE, /* Single_Quote */
	LH_WB_DQUOTE, /* Double_Quote */
	LH_WB_EXTEND, /* Extend, Format or ZWJ: folded by WB4 */
	LH_WB_RI      /* Regional_Indicator */
};

#define LH_UC_WB_MASK 0x00f   /* the enum lh_wb part of a property word */
#define LH_UC_HAN 0x010       /* Script=Han: one token per character */
#define LH_UC_HIRAGANA 0x020  /* Script=Hiragana: likewise */
#define LH_UC_SA 0x040        /* Line_Break=Complex_Context (SE Asian) */
#define LH_UC_EMOJI 0x080     /* the grammar's EmojiChar */
#define LH_UC_EMOJI_MB 0x100  /* Emoji_Modifier_Base */
#define LH_UC_EMOJI_MOD 0x200 /* Emoji_Modifier */

/* A range of code points that share one property word. */
struct lh_uc_range {
	uint32_t lo; /* up to the next entry's lo, exclusive */
	uint16_t props;
};

/* A run of the simple lowercase mapping. */
struct lh_uc_case {
	uint32_t lo, hi; /* inclusive */
	int32_t delta;   /* lowercase = cp + delta ... */
	uint32_t stride; /* ... for cp = lo, lo + stride, ... <= hi */
};

/* The property words of U+0000..U+007F. */
extern const uint16_t lh_uc_ascii[128];

/* The generated tables; lh_uc_props() and lh_uc_tolower() read them. */
extern const struct lh_uc_range *const lh_uc_ranges;
extern const size_t lh_uc_nranges;
extern const struct lh_uc_case *const lh_uc_lower;
extern const size_t lh_uc_nlower;

/* The property word of code point cp (any value; > U+10FFFF gives 0). */
static inline unsigned
lh_uc_props(uint32_t cp)
{
	size_t lo = 0, hi = lh_uc_nranges, mid;

	if (cp < 128)
		return lh_uc_ascii[cp];
	/* Find the last range starting at or before cp. */
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (lh_uc_ranges[mid].lo <= cp)
			lo = mid;
		else
			hi = mid;
	}
	return lh_uc_ranges[lo].props;
}

/*
 * The simple lowercase mapping of cp (UnicodeData.txt field 13), which is
 * what Java's Character.toLowerCase(int) returns; cp itself if none.
 */
uint32_t lh_uc_tolower(uint32_t cp);

#endif
