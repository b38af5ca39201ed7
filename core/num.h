/*
 * num.h: strict parsing of decimal integers from untrusted text.
 *
 * DESIGN
 * One parser for every number loghunt reads (command-line options, state
 * files, query values): an optional sign, at least one digit, nothing
 * else, and a range the caller states.  No locale, no white space, no
 * overflow (STYLE: strtoll with end and range checks, never atoi).
 */
#ifndef LH_NUM_H
#define LH_NUM_H

#include <stddef.h>
#include <stdint.h>

/*
 * Parses the n bytes at s as [+-]digits into *out when the value lies in
 * [lo, hi].  LH_OK, or LH_FAIL (*out untouched) when s is anything else.
 */
int lh_num_parse(const char *s, size_t n, int64_t lo, int64_t hi,
    int64_t *out);

/* The value of the hexadecimal digit c (0-9, a-f, A-F), or -1. */
int lh_num_hexdigit(int c);

#endif
