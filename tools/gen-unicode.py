#!/usr/bin/env python3
"""
gen-unicode.py: generates core/unicode_tables.c, the character tables of the
standard analyzer (core/analyzer.c), from the Unicode Character Database as
installed by Debian's unicode-data package.

    python3 tools/gen-unicode.py [UCD-DIR] > core/unicode_tables.c

UCD-DIR defaults to /usr/share/unicode.  The output is deterministic, so a
regenerated file only differs when the input data does.

Which Unicode version, and why
------------------------------
Lucene's StandardTokenizerImpl.jflex is compiled with "%unicode 9", so every
\\p{WB:...}, \\p{Script:...} and \\p{LB:...} class it uses is the Unicode 9.0
one.  We only have a later UCD (15.0), so the word-break, script and
line-break properties are taken from it but restricted to code points
assigned in Unicode <= 9.0 (DerivedAge.txt); anything newer is "Other",
which is what a Unicode 9 scanner sees.  Known property changes between 9.0
and 15.0 for code points that already existed in 9.0:

  * U+1F3FB..U+1F3FF (skin tones) were WB=E_Modifier in 9.0 and became
    WB=Extend in 11.0.  We keep them out of Extend, as in 9.0.
  * WB=WSegSpace (11.0) and the removed E_Base, E_Base_GAZ, Glue_After_Zwj
    classes all behave as "Other" in the grammar, so they need no care.
  * Any other re-classification of a pre-9.0 code point between 9.0 and
    15.0 is NOT undone here (we have no 9.0 data to diff against).

The emoji classes are not Unicode 9 ones: Lucene includes explicit ranges
generated from ICU with Unicode 14.0 emoji data (UnicodeEmojiProperties.jflex
in Lucene 9 and 10, which Elasticsearch 8 and 9 use).  So Emoji,
Emoji_Modifier and Emoji_Modifier_Base come from emoji-data.txt restricted
to code points of age <= 14.0, and Extended_Pictographic is taken whole
(it covers reserved code points on purpose and did not change in 15.0).

The lowercase mapping is not part of the grammar but of Java's
Character.toLowerCase(int) in the JDK that runs Elasticsearch (JDK 21+,
Unicode 15), so it uses the full simple mapping of UnicodeData.txt.
"""

import os
import sys

WB_CLASSES = {
    "Other": 0, "ALetter": 1, "Hebrew_Letter": 2, "Numeric": 3,
    "Katakana": 4, "ExtendNumLet": 5, "MidLetter": 6, "MidNumLet": 7,
    "MidNum": 8, "Single_Quote": 9, "Double_Quote": 10,
    # The grammar only ever uses Extend, Format and ZWJ together (WB4).
    "Extend": 11, "Format": 11, "ZWJ": 11,
    "Regional_Indicator": 12,
}
F_HAN = 0x10
F_HIRAGANA = 0x20
F_SA = 0x40
F_EMOJI = 0x80
F_EMOJI_MB = 0x100
F_EMOJI_MOD = 0x200
MAXCP = 0x110000


def parse_ranges(path):
    """Yields (lo, hi, value) from a UCD "X..Y ; value # ..." file."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            fields = [x.strip() for x in line.split(";")]
            cps = fields[0].split("..")
            lo = int(cps[0], 16)
            hi = int(cps[-1], 16)
            yield lo, hi, fields[1]


def version(s):
    return tuple(int(x) for x in s.split("."))


def ages(ucd):
    age = bytearray(MAXCP)   # 0 = unassigned, else major*10 + minor
    for lo, hi, v in parse_ranges(os.path.join(ucd, "DerivedAge.txt")):
        maj, mino = version(v)
        for cp in range(lo, hi + 1):
            age[cp] = maj * 10 + mino
    return age


def build_props(ucd, age):
    props = [0] * MAXCP

    def old(cp):
        return 0 < age[cp] <= 90

    wbp = os.path.join(ucd, "auxiliary", "WordBreakProperty.txt")
    for lo, hi, v in parse_ranges(wbp):
        c = WB_CLASSES.get(v, 0)
        for cp in range(lo, hi + 1):
            if old(cp):
                props[cp] = c
    # Unicode 9.0 had these as E_Modifier, not Extend (see above).
    for cp in range(0x1F3FB, 0x1F400):
        props[cp] = 0
    for lo, hi, v in parse_ranges(os.path.join(ucd, "Scripts.txt")):
        flag = {"Han": F_HAN, "Hiragana": F_HIRAGANA}.get(v, 0)
        for cp in range(lo, hi + 1):
            if flag and old(cp):
                props[cp] |= flag
    for lo, hi, v in parse_ranges(os.path.join(ucd, "LineBreak.txt")):
        for cp in range(lo, hi + 1):
            if v == "SA" and old(cp):
                props[cp] |= F_SA
    add_emoji(ucd, age, props)
    return props


def add_emoji(ucd, age, props):
    sets = {"Emoji": set(), "Emoji_Modifier": set(),
            "Emoji_Modifier_Base": set(), "Extended_Pictographic": set()}
    path = os.path.join(ucd, "emoji", "emoji-data.txt")
    for lo, hi, v in parse_ranges(path):
        if v not in sets:
            continue
        for cp in range(lo, hi + 1):
            if v == "Extended_Pictographic" or 0 < age[cp] <= 140:
                sets[v].add(cp)
    # The grammar's EmojiChar: Extended_Pictographic, or Emoji but not a
    # regional indicator, keycap base, "accidental" emoji or modifier.
    rkam = set(range(0x1F1E6, 0x1F200)) | set(b"0123456789#*")
    rkam |= {0xA9, 0xAE, 0x2122, 0x3030, 0x303D}
    rkam |= sets["Emoji_Modifier"]
    for cp in sets["Extended_Pictographic"] | (sets["Emoji"] - rkam):
        props[cp] |= F_EMOJI
    for cp in sets["Emoji_Modifier_Base"]:
        props[cp] |= F_EMOJI_MB
    for cp in sets["Emoji_Modifier"]:
        props[cp] |= F_EMOJI_MOD


def build_lower(ucd):
    """Returns runs (lo, hi, delta, stride) of the simple lowercase map."""
    pairs = []
    with open(os.path.join(ucd, "UnicodeData.txt"), encoding="utf-8") as f:
        for line in f:
            fields = line.split(";")
            if fields[13]:
                pairs.append((int(fields[0], 16), int(fields[13], 16)))
    runs = []
    for cp, lc in pairs:
        d = lc - cp
        if runs:
            lo, hi, delta, stride = runs[-1]
            step = cp - hi
            if delta == d and step in (1, 2) and (lo == hi or
                                                  step == stride):
                runs[-1] = (lo, cp, d, step)
                continue
        runs.append((cp, cp, d, 1))
    return runs


def emit(props, runs, out):
    w = out.write
    w("/*\n * unicode_tables.c: GENERATED by tools/gen-unicode.py from the "
      "Unicode\n * Character Database; do not edit.  See that script for "
      "which Unicode\n * version each table follows and why.\n */\n")
    w("/* clang-format off */\n")
    w('#include <stddef.h>\n#include <stdint.h>\n\n#include "core/unicode.h"'
      '\n\n')
    w("const uint16_t lh_uc_ascii[128] = {\n")
    for i in range(0, 128, 8):
        w("\t" + ", ".join("0x%03x" % props[c] for c in range(i, i + 8)) +
          ",\n")
    w("};\n\n")
    starts = [0] + [cp for cp in range(1, MAXCP)
                    if props[cp] != props[cp - 1]]
    w("/* Code points from lo up to the next entry's lo have props. */\n")
    w("static const struct lh_uc_range ranges[] = {\n")
    for cp in starts:
        w("\t{ 0x%05x, 0x%03x },\n" % (cp, props[cp]))
    w("};\n\nconst struct lh_uc_range *const lh_uc_ranges = ranges;\n")
    w("const size_t lh_uc_nranges = sizeof(ranges) / sizeof(ranges[0]);\n\n")
    w("/* lo..hi, every stride-th code point maps to cp + delta. */\n")
    w("static const struct lh_uc_case lower[] = {\n")
    for lo, hi, d, s in runs:
        w("\t{ 0x%05x, 0x%05x, %d, %d },\n" % (lo, hi, d, s))
    w("};\n\nconst struct lh_uc_case *const lh_uc_lower = lower;\n")
    w("const size_t lh_uc_nlower = sizeof(lower) / sizeof(lower[0]);\n")
    w(TOLOWER)


TOLOWER = """
uint32_t
lh_uc_tolower(uint32_t cp)
{
	size_t lo = 0, hi = sizeof(lower) / sizeof(lower[0]), mid;

	if (cp < 128)
		return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
	/* Find the run containing cp, if any. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cp < lower[mid].lo)
			hi = mid;
		else if (cp > lower[mid].hi)
			lo = mid + 1;
		else if ((cp - lower[mid].lo) % lower[mid].stride == 0)
			return (uint32_t)((int32_t)cp + lower[mid].delta);
		else
			return cp;
	}
	return cp;
}
"""


def main():
    ucd = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/unicode"
    age = ages(ucd)
    emit(build_props(ucd, age), build_lower(ucd), sys.stdout)


if __name__ == "__main__":
    main()
