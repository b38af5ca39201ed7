/*
 * utf8.h: UTF-8 decoding and encoding, one implementation for the whole
 * tree (the analyzer, the query languages, the output escapers).
 *
 * DESIGN
 * Strict decoding as RFC 3629 defines it: overlong forms, surrogates and
 * values past U+10FFFF are invalid.  Callers choose what an invalid byte
 * becomes (U+FFFD for the analyzer, as Lucene's reader does; "\xNN" for
 * the output escapers).  Pure functions, thread-safe.
 */
#ifndef LH_UTF8_H
#define LH_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decodes the sequence at s (n > 0 bytes available) into *cp and returns
 * its length (1..4), or 0 when the byte at s does not start a valid
 * sequence that fits in n bytes (*cp is then left unchanged).
 */
size_t lh_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/*
 * Writes the UTF-8 form of cp (at most U+10FFFF; not a surrogate) to p,
 * which has room for 4 bytes, and returns its length.
 */
size_t lh_utf8_encode(uint32_t cp, char *p);

/* The number of code points in s (n bytes; continuation bytes skipped). */
size_t lh_utf8_count(const char *s, size_t n);

/* 1 when s (n bytes) is entirely valid UTF-8, else 0. */
int lh_utf8_valid(const char *s, size_t n);

#endif
