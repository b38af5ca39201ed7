/*
 * syslog_memo.h: the minute a line of a file repeats, part of the shared
 * syslog_header module (only that module's files include this).
 *
 * DESIGN
 * lh_syslog_header_time runs on every line of a text run's first pass.
 * Most lines of a file repeat the bytes of the line before up to the
 * minute of their stamp; for the two common shapes the time of such a
 * line is worked out from its seconds alone, and only what the full code
 * would still look at (the host and tag of an RFC 3164 line, the fields of
 * an RFC 5424 header) is checked; a line that repeats the whole head of
 * the line before (up to the host, or to the structured data) but for the
 * seconds is checked with a few vector compares.  An ISO 8601 stamp that
 * repeats the one before but for its seconds and fraction is taken from
 * the memo too (lh_syslog_iso_lead), and a line that repeats its stamp and
 * host (lh_syslog_iso_head) its time as well.  syslog_memo.c says why the
 * results are those of the full code.  The state lives in struct lh_syslog_memo
 * (syslog_header.h): borrowed, one per file and thread.
 */
#ifndef LH_SYSLOG_MEMO_H
#define LH_SYSLOG_MEMO_H

#include <stddef.h>
#include <stdint.h>

#include "core/time.h"
#include "formats/syslog_header.h"

enum { LH_AGAIN_NONE, LH_AGAIN_3164, LH_AGAIN_5424 };

/* Whether m (borrowed) holds a day worked out in the context ctx. */
static inline int
lh_syslog_again_for(const struct lh_syslog_memo *m,
    const struct lh_syslog_header_ctx *ctx)
{
	/* the plain fields or'ed together: one branch, not five */
	if (m->again == LH_AGAIN_NONE || ((uint64_t)(m->aref ^ ctx->ref) |
	    (uint64_t)((uintptr_t)m->atz ^ (uintptr_t)ctx->tz) |
	    (unsigned)(m->ayear ^ ctx->year) |
	    (unsigned)(m->aref_year ^ ctx->ref_year) |
	    (unsigned)(m->aauth ^ ctx->auth)) != 0)
		return 0;
	return ctx->tz == NULL || (ctx->tz->zone == m->azone &&
	    ctx->tz->offset == m->aoff);
}

/*
 * RFC 3164: when s (n bytes, borrowed; a line longer than 16 bytes)
 * starts with the 7 bytes of m's day ("Mmm dd ") and "hh:mm:ss " (hh
 * 00..23, mm and ss 00..59), the clock in seconds; else -1.
 */
int lh_syslog_again_stamp(const char *s, size_t n,
    const struct lh_syslog_memo *m);

/*
 * RFC 3164: when s (n bytes, borrowed) repeats the tlen bytes that
 * lh_syslog_again_head_note kept but for the seconds ("Mmm dd hh:mm:"
 * and " HOST "; the seconds 00..59), the clock in seconds, with *hostlen
 * the length of HOST (at s + 16); else -1.  Then lh_syslog_again_stamp
 * would give that clock, and lh_syslog_host_token at 16 the end 16 +
 * *hostlen of a valid host (syslog_memo.c says why).
 */
int lh_syslog_again_head(const char *s, size_t n,
    const struct lh_syslog_memo *m, size_t *hostlen);

/*
 * RFC 3164: keeps the first 17 + hostlen bytes of s (hostlen 1..15), a
 * line taken with m's day (lh_syslog_again_stamp gave its clock) whose
 * valid host lh_syslog_host_token found at 16, for lh_syslog_again_head.
 */
void lh_syslog_again_head_note(struct lh_syslog_memo *m, const char *s,
    size_t hostlen);

struct lh_syslog_stamp;

/*
 * lh_syslog_stamp_iso(s, n, 0, st), with m (borrowed, may be NULL): a
 * line that repeats the stamp of the line m noted but for its seconds and
 * fraction digits takes the rest from m; the others are read, and m notes
 * them.  Borrows s.
 */
int lh_syslog_iso_lead(const char *s, size_t n, struct lh_syslog_memo *m,
    struct lh_syslog_stamp *st);

/*
 * ISO 8601, outside the auth data stream: when s (n bytes, borrowed)
 * repeats the head that lh_syslog_iso_head_note kept in ctx->memo (not
 * NULL) but for the seconds and fraction digits of its stamp, the length
 * of that head (up to and with the space after the host), with *ts the
 * time lh_syslog_stamp_time gives the stamp (LH_TS_NONE: none) and
 * *hostlen the host's length (it ends at the head's last byte); else 0.
 * Then lh_syslog_stamp_iso at 0 reads that stamp, no hour colon
 * (lh_syslog_hour_colon) lies in the head, and lh_syslog_host_token after
 * the stamp finds that valid host (syslog_memo.c says why).  Borrows ctx.
 */
size_t lh_syslog_iso_head(const char *s, size_t n,
    const struct lh_syslog_header_ctx *ctx, int64_t *ts, size_t *hostlen);

/*
 * After a line s (n bytes) starting with an ISO 8601 stamp was worked out
 * in ctx (ctx->memo not NULL, not the auth stream) with the host at
 * s + hs (hostlen bytes): keeps its head for lh_syslog_iso_head when it
 * has the shape that wants.  Borrows s and ctx.
 */
void lh_syslog_iso_head_note(const char *s, size_t n,
    struct lh_syslog_header_ctx *ctx, size_t hs, size_t hostlen);

/*
 * lh_syslog_again_time when the memo's day is not affine: calls
 * lh_syslog_stamp_time itself.  Borrows s and ctx.
 */
void lh_syslog_again_time_zone(const char *s,
    struct lh_syslog_header_ctx *ctx, int64_t *ts, int *flags);

/*
 * RFC 3164: the time lh_syslog_stamp_time gives the stamp of s, a line
 * whose clock lh_syslog_again_stamp gave, into *ts and *flags;
 * ctx->last_year is set as that call sets it.  Borrows s and ctx.
 * Inline: the affine day (syslog_memo.c) is the case of every line.
 */
static inline void
lh_syslog_again_time(const char *s, int clk,
    struct lh_syslog_header_ctx *ctx, int64_t *ts, int *flags)
{
	const struct lh_syslog_memo *m = ctx->memo;

	if (m->affine) {
		*ts = m->abase + clk * LH_US;
		*flags = m->aflags;
		ctx->last_year = m->alast;
		return;
	}
	lh_syslog_again_time_zone(s, ctx, ts, flags);
}

/*
 * RFC 5424: 1 when s (n bytes) repeats the header of m's line up to the
 * minute and the full code would fit it as RFC 5424, with *ts and *host
 * (*hostlen bytes, pointing into s; NULL for "-") as it gives them; else
 * 0 (the outputs undefined).  Borrows s and ctx.
 */
int lh_syslog_again5424(const char *s, size_t n,
    const struct lh_syslog_header_ctx *ctx, int64_t *ts, const char **host,
    size_t *hostlen);

/*
 * After lh_syslog_header_time worked out the line s (n bytes) in ctx
 * (whose memo is not NULL): keeps its minute in the memo when the line has
 * one of the two shapes.  Borrows s and ctx.
 */
void lh_syslog_again_note(const char *s, size_t n,
    struct lh_syslog_header_ctx *ctx);

#endif
