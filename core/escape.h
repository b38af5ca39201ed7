/*
 * escape.h: the one escaper of control characters, for every message and
 * every line of text output.
 *
 * DESIGN
 * Text from evidence (paths, member names, log lines, query text) must not
 * drive the responder's terminal: valid UTF-8 is kept except control
 * characters (C0, DEL, C1), which become \xNN for each of their bytes, as
 * does every byte that is not valid UTF-8.  A backslash stays as it is.
 * Pure: thread-safe.
 */
#ifndef LH_ESCAPE_H
#define LH_ESCAPE_H

#include <stddef.h>

#include "core/buf.h"

/*
 * Appends s (n bytes, borrowed) to b with controls escaped.  LH_OK, or
 * LH_FATAL when out of memory (b keeps what was appended).
 */
int lh_escape_ctl(struct lh_buf *b, const char *s, size_t n);
/*
 * The length of the run of printable ASCII (0x20-0x7e) at s (n bytes,
 * borrowed) that every escaper copies as it is; with quote set, '"' and
 * '\\' end the run too (JSON strings).  16 bytes at a time with SSE2.
 */
size_t lh_escape_span(const char *s, size_t n, int quote);

#endif
