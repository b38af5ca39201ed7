/*
 * syslog_time.c: the paths of the syslog header code that run on every
 * line of a text run's first pass (see syslog_grok.h): the quick path of
 * the common shape, which the parse takes too, and lh_syslog_header_time,
 * which takes a line that repeats the minute of a line before from the
 * memo (syslog_memo.c) and asks the parse's code for the others.
 *
 * DESIGN
 * Every shortcut here gives what the general code (syslog_header.c)
 * gives, and its comment says why: what the full parse reads and what of
 * that the shortcut takes as known.  The unit tests build this file and
 * syslog_header.c with LH_SYSLOG_GENERAL_ONLY to compare both
 * (tests/unit/quick_header_test.c).  Nothing allocates; values point into
 * the line.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/event.h"
#include "core/time.h"
#include "formats/syslog_grok.h"
#include "formats/syslog_header.h"
#include "formats/syslog_memo.h"
#include "formats/syslog_stamp.h"

/*
 * The common shape of a line, without the general search: a stamp at the
 * start (RFC 3164; with ctx->auth either kind; else an ISO one in a line
 * without an RFC 3164 stamp) and the tag tail right after it.  Then the
 * first candidate of the search fits, which settles it (grok3164 and
 * grok_auth try offset 0 first, grok_iso does when grok3164 found no
 * stamp, and a line that does not start with '<' is no RFC 5424 line):
 * 1 with h filled as the general code fills it.  Otherwise 0 and h
 * undefined; the general code decides.
 */
int
lh_syslog_quick(const char *s, size_t n, struct lh_syslog_header_ctx *ctx,
    struct lh_syslog_hit *h)
{
#ifndef LH_SYSLOG_GENERAL_ONLY
	struct lh_syslog_stamp st;
	struct lh_syslog_term tc = { 0 };
	struct lh_syslog_hit x;

	if (n == 0 || s[0] == '<')
		return 0;
	/*
	 * An ISO stamp at the start, outside the auth stream: grok3164 finds
	 * no RFC 3164 stamp, so grok_iso's first candidate is this one (the
	 * first '-' is the stamp's) and decides when its tail fits.
	 */
	if (!((ctx->auth && lh_syslog_iso_lead(s, n, ctx->memo, &st)) ||
	    lh_syslog_stamp_lead(s, n, ctx->memo, &st)) && (ctx->auth ||
	    !lh_syslog_digit(s[0]) ||
	    !lh_syslog_iso_lead(s, n, ctx->memo, &st) ||
	    lh_syslog_grok3164(s, n, ctx, &x) != 0))
		return 0;
	lh_syslog_hit_init(h);
	tc.bare = ctx->auth;
	if (lh_syslog_tag_tail(s, n, st.end, &tc, h, ctx->memo) != 1)
		return 0;
	lh_syslog_hit_time(&st, ctx, h);
	return 1;
#else
	(void)s, (void)n, (void)ctx, (void)h;
	return 0;
#endif
}

#ifndef LH_SYSLOG_GENERAL_ONLY
/*
 * A line that repeats the minute of a line before (syslog_memo.c, which
 * says why the results are the same): 1 with h's time, flags and host as
 * quick() or rfc5424() would give them, else 0.
 */
static int
again(const char *s, size_t n, struct lh_syslog_header_ctx *ctx,
    struct lh_syslog_hit *h)
{
	struct lh_syslog_memo *m = ctx->memo;
	struct lh_syslog_term tc = { 0 };
	size_t hl;
	int clk;

	if (m == NULL || !lh_syslog_again_for(m, ctx))
		return 0;
	if (m->again == LH_AGAIN_5424) {
		h->flags = 0;
		return lh_syslog_again5424(s, n, ctx, &h->ts, &h->host,
		    &h->hostlen);
	}
	tc.bare = ctx->auth;
	if ((clk = lh_syslog_again_head(s, n, m, &hl)) >= 0) {
		/* tag_tail after that host: the tag, and a pid a long holds */
		if (!lh_syslog_find_term(s, n, 17 + hl, &tc) ||
		    (tc.pidlen > 0 &&
		    !lh_syslog_fits_long(s + tc.stop + 1, tc.pidlen)))
			return 0;
		h->host = s + 16;
		h->hostlen = hl;
	} else {
		if ((clk = lh_syslog_again_stamp(s, n, m)) < 0 ||
		    lh_syslog_tag_tail(s, n, 15, &tc, h, m) != 1)
			return 0;
		if (h->hostlen > 0 && h->hostlen < 16)
			lh_syslog_again_head_note(m, s, h->hostlen);
	}
	lh_syslog_again_time(s, clk, ctx, &h->ts, &h->flags);
	return 1;
}

/*
 * An ISO 8601 line outside the auth data stream that repeats the head of
 * a line before (lh_syslog_iso_head, which says what quick() then reads
 * as it read on that line): 1 with h's time, flags and host as quick()
 * gives them, else 0.  What is left of quick() is checked here: the tag
 * after the host (tag_tail's lh_syslog_find_term from the head's end, and
 * a pid a long holds), and that grok3164 finds no RFC 3164 stamp, which
 * none starts at 0 (a digit) nor hangs on an hour colon of the head.
 */
static int
iso_again(const char *s, size_t n, struct lh_syslog_header_ctx *ctx,
    struct lh_syslog_hit *h)
{
	struct lh_syslog_term tc = { 0 };
	size_t e, hl;
	int64_t ts;

	if (ctx->memo == NULL || ctx->auth ||
	    (e = lh_syslog_iso_head(s, n, ctx, &ts, &hl)) == 0 ||
	    !lh_syslog_find_term(s, n, e, &tc) || (tc.pidlen > 0 &&
	    !lh_syslog_fits_long(s + tc.stop + 1, tc.pidlen)) ||
	    lh_syslog_any3164(s, n, e))
		return 0;
	h->ts = ts;
	h->flags = 0;
	h->host = s + e - 1 - hl;
	h->hostlen = hl;
	return 1;
}
#endif

/*
 * A line that starts with a digit is no RFC 3164 or RFC 5424 line that
 * again() takes (their memos hold a month's letter or a '<' at 0); the
 * others are no ISO 8601 line.  Only the shortcut that may take the line
 * is tried.
 */
static int
memo_hit(const char *s, size_t n, struct lh_syslog_header_ctx *ctx,
    struct lh_syslog_hit *h)
{
#ifndef LH_SYSLOG_GENERAL_ONLY
	if (n > 0 && lh_syslog_digit(s[0]))
		return iso_again(s, n, ctx, h);
	return again(s, n, ctx, h);
#else
	(void)s, (void)n, (void)ctx, (void)h;
	return 0;
#endif
}

/* Keeps what the memo keeps of the line s, worked out into h. */
static void
memo_note(const char *s, size_t n, struct lh_syslog_header_ctx *ctx,
    const struct lh_syslog_hit *h)
{
	if (ctx->memo == NULL)
		return;
	if (h->ts != LH_TS_NONE)
		lh_syslog_again_note(s, n, ctx);
	if (!ctx->auth && n > 0 && lh_syslog_digit(s[0]) && h->host != NULL)
		lh_syslog_iso_head_note(s, n, ctx, (size_t)(h->host - s),
		    h->hostlen);
}

int
lh_syslog_header_time(const char *line, size_t len,
    struct lh_syslog_header_ctx *ctx, int64_t *ts, int *flags,
    const char **host, size_t *hostlen)
{
	struct lh_syslog_hit h;

	/* the outputs are written once, at the end: this runs on every line */
	if (line != NULL && !memo_hit(line, len, ctx, &h)) {
		if (lh_syslog_quick(line, len, ctx, &h) ||
		    lh_syslog_fit_general(line, len, ctx, &h, 0))
			memo_note(line, len, ctx, &h);
		else
			line = NULL;
	}
	if (line == NULL) {
		*ts = LH_TS_NONE;
		*flags = 0;
		*host = NULL;
		*hostlen = 0;
		return 0;
	}
	*ts = h.ts;
	*flags = h.flags;
	*host = h.host;
	*hostlen = h.hostlen;
	return h.ts != LH_TS_NONE;
}

