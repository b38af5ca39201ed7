/*
 * prefilter.h: finding the records that could match, in raw bytes.
 *
 * DESIGN
 * lh_kql_required_words() gives, for each rule, words one of which must be
 * a token of the event for the rule to match (e.g. "segfault").  A token of
 * the analysed message is the lowercased text, so the word must occur in
 * the raw record in some ASCII case (the KQL compiler leaves out words
 * with letters that other characters lowercase to, such as i and k).  The
 * prefilter is the union of those words over all rules: a record that
 * contains none of them cannot match any rule and need not be parsed.  It
 * is exact only where the raw bytes are the text the analyzer sees; formats
 * that escape text (JSON \u, binary journal fields) must not use it on such
 * records.  Immutable once built: shared by all workers.
 */
#ifndef LH_PREFILTER_H
#define LH_PREFILTER_H

#include <stddef.h>

struct lh_prefilter;

/*
 * Builds a prefilter for the union of the NULL-terminated word lists
 * sets[0..n) (each from lh_kql_required_words).  Returns NULL when any set
 * is NULL (that query may match without a literal: no prefilter) or when
 * out of memory; the caller then parses everything.  Borrows the words.
 */
struct lh_prefilter *lh_prefilter_create(char **const *sets, size_t n);
void lh_prefilter_free(struct lh_prefilter *pf);

/*
 * The offset of the first occurrence in p[0..n) of any word, in any ASCII
 * case, or n when there is none.  Thread-safe.
 */
size_t lh_prefilter_find(const struct lh_prefilter *pf, const char *p,
    size_t n);

/* The length of the longest word (a hit never spans more bytes). */
size_t lh_prefilter_maxlen(const struct lh_prefilter *pf);

/*
 * The searches lh_prefilter_find() can use (core/prefilter.c, DESIGN).
 * All give the same result; they differ in speed only.  Compiling
 * core/prefilter.c with -DLH_PF_NO_SIMD leaves only the code that machines
 * without SSE2 run (WORDS one byte at a time, PORTABLE), to test it.
 */
enum lh_pf_search {
	LH_PF_AUTO,	/* the default: the fastest for this CPU and words */
	LH_PF_WORDS,	/* one pass per word (SSE2 where built with it) */
	LH_PF_PORTABLE,	/* one pass for all words, one byte at a time */
	LH_PF_SSSE3,	/* one pass for all words, 16 bytes at a time */
	LH_PF_AVX2	/* one pass for all words, 32 bytes at a time */
};

/*
 * For tests and benchmarks: makes pf search with s from now on.  Returns
 * LH_OK, or LH_FAIL (pf unchanged) when this build or CPU lacks s.  Not
 * thread-safe: call it before pf is shared.
 */
int lh_prefilter_use(struct lh_prefilter *pf, enum lh_pf_search s);

#endif
