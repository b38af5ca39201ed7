/*
 * output_int.h: what the printing files share (not public): cli/output.c
 * (alerts, which defines the functions below), cli/output_hits.c (query
 * hits) and cli/output_misc.c (rule list, counters).  All of them append
 * to a caller-owned lh_buf and borrow what they print.
 */
#ifndef LH_OUTPUT_INT_H
#define LH_OUTPUT_INT_H

#include <stdint.h>
#include <stdio.h>

#include "cli/escape.h"
#include "core/buf.h"
#include "core/match.h"

/*
 * Writes b to fp and empties it.  LH_FATAL when building b ran out of
 * memory (core/buf.h: appends are sticky on failure, so the builders
 * check once, here), LH_FAIL when fp has a write error (errno tells
 * which: ENOSPC, EPIPE...); nothing more is written to fp after one.
 */
int lh_out_put(FILE *fp, struct lh_buf *b);
/*
 * The time of m as a person reads it into out (40 bytes): its wall time,
 * "+S.US after boot" or "(no time)".
 */
void lh_out_time_text(const struct lh_match *m, char *out);
/*
 * "sources" (path, line; full: with the record's offset and own time that
 * loghunt merge needs) and "matched" of m, as members of the loghunt
 * object; lh_out_json_sources(b, m) is lh_out_json_sources_of(b, m, 1).
 */
void lh_out_json_sources_of(struct lh_buf *b, const struct lh_match *m,
    int full);
void lh_out_json_sources(struct lh_buf *b, const struct lh_match *m);
/* Opens the document with @timestamp (null when there is no wall time). */
void lh_out_json_timestamp(struct lh_buf *b, const struct lh_match *m);
/* In the loghunt object: the boot-relative time or "time_from_boot". */
void lh_out_json_boot(struct lh_buf *b, const struct lh_match *m);
/* The "sources" cell of m ("path:line path:line"), ending the row if last. */
void lh_out_csv_sources(struct lh_buf *b, const struct lh_match *m,
    int last);

/* Appends the string literal s (its length known at compile time). */
#define PUTS(b, s) lh_buf_append((b), (s), sizeof(s) - 1)

/* Appends a decimal number (no printf on the per-line path). */
static inline void
put_u64(struct lh_buf *b, uint64_t v)
{
	lh_buf_put_u64(b, v);
}

/* Appends the csv cell s (n bytes, escaped), then ',' or '\n' if last. */
static inline void
csv_cell(struct lh_buf *b, const char *s, size_t n, int last)
{
	lh_esc_csv(b, s, n);
	lh_buf_putc(b, last ? '\n' : ',');
}

#endif
