/*
 * analyzer.h: Elasticsearch's standard analyzer (Lucene StandardTokenizer,
 * UAX#29 word boundaries with Unicode 9 tables, max token length 255, then
 * LowerCaseFilter; no stop words).
 *
 * DESIGN
 * Tokens are written, lowercased, into a caller-owned struct lh_tokens that
 * is reused from record to record, so analysing a message allocates nothing
 * once the buffers have grown.  Token i is at position i (the standard
 * analyzer leaves no gaps), which is what match_phrase compares.
 * Input is UTF-8; invalid sequences are treated as U+FFFD (which is not a
 * word character) and never read past len.  Thread-safe: no global state.
 */
#ifndef LH_ANALYZER_H
#define LH_ANALYZER_H

#include <stddef.h>
#include <stdint.h>

#define LH_MAX_TOKEN_LEN 255	/* in UTF-16 code units, as Lucene counts */

struct lh_tokens {
	char *text;		/* the lowercased tokens, each NUL-terminated */
	size_t text_len, text_cap;
	uint32_t *off;		/* token i starts at text + off[i] */
	uint32_t *len;		/* and is len[i] bytes long */
	size_t n, cap;
};

/* Initializes an empty token list. */
void lh_tokens_init(struct lh_tokens *t);
/* Releases the memory of t. */
void lh_tokens_free(struct lh_tokens *t);

/*
 * Replaces the content of out with the tokens of the UTF-8 text s (len
 * bytes).  Returns LH_OK or LH_FATAL (out of memory).
 */
int lh_analyze(const char *s, size_t len, struct lh_tokens *out);

/* Token i as a NUL-terminated string (valid until t changes). */
static inline const char *
lh_token(const struct lh_tokens *t, size_t i)
{
	return t->text + t->off[i];
}

#endif
