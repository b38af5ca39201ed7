/*
 * syslog_grok.h: what the parse of a syslog header (syslog_header.c) and
 * its time-only paths (syslog_time.c) share, part of the shared
 * syslog_header module (only that module's files include this).
 *
 * DESIGN
 * syslog_header.c holds the grok patterns, RFC 5424, dmesg and the auth
 * header grok, scanned by hand; syslog_time.c holds what runs on every
 * line of a text run's first pass: the quick path of the common shape
 * (lh_syslog_quick, which the parse takes too) and the lines that repeat
 * the minute of a line before (syslog_memo.c).  Both fill the same
 * struct lh_syslog_hit, the pieces of a line before they go into an
 * event; values point into the line (borrowed, no copy).
 */
#ifndef LH_SYSLOG_GROK_H
#define LH_SYSLOG_GROK_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "formats/syslog_header.h"
#include "formats/syslog_scan.h"
#include "formats/syslog_stamp.h"

/* What a line yielded, before it goes into an event. */
struct lh_syslog_hit {
	const char *host, *proc, *pid, *msg;
	size_t hostlen, proclen, pidlen, msglen;
	/* the auth grok's <PRI>, VERSION and RFC 5424 MSGID, or NULL */
	const char *pri, *ver, *code;
	size_t prilen, verlen, codelen;
	int64_t ts, prec;
	int flags;
};

/* The lazy DATA scan, remembered across candidate positions. */
struct lh_syslog_term {
	int valid, found;
	size_t from, stop;	/* no terminator in [from, stop) */
	size_t pidlen;		/* digits of "[pid]: " at stop, or 0 */
	int bare;		/* ':' alone ends the tag (the auth grok) */
};

/* Whether c is an ASCII digit. */
static inline int
lh_syslog_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Sets h (caller-owned) to the empty hit: no fields, no time. */
void lh_syslog_hit_init(struct lh_syslog_hit *h);

/* The time of the stamp st into h (see lh_syslog_stamp_time). */
void lh_syslog_hit_time(const struct lh_syslog_stamp *st,
    struct lh_syslog_header_ctx *ctx, struct lh_syslog_hit *h);

/*
 * DATA .*? then (?:\[%{POSINT}\])?: (with one space) in s (n bytes,
 * borrowed): the first place at or after d where "[pid]: " or ": "
 * starts, before any newline (DATA's '.' stops at one).  POSINT is
 * \b(?:[1-9][0-9]*)\b.  1 when there is one, with tc->stop at it and
 * tc->pidlen the digits of a pid (or 0), else 0.  Candidates come in
 * increasing order of d, so one scan serves them all: tc (caller-owned,
 * zeroed before the first call of a line) remembers it.  With tc->bare
 * the space is not wanted (the auth grok's ":%{SPACE}").  Inline: it runs
 * on every line of a text run's first pass.
 */
static inline int
lh_syslog_find_term(const char *s, size_t n, size_t d,
    struct lh_syslog_term *tc)
{
	size_t i, j;

	if (tc->valid && d >= tc->from && d <= tc->stop)
		return tc->found;
	tc->valid = 1;
	tc->from = d;
	tc->found = 0;
	tc->pidlen = 0;
	for (i = d; (i = lh_syslog_tag_stop(s, i, n)) < n && s[i] != '\n';
	    i++) {
		if (s[i] == ':' && (tc->bare || (i + 1 < n &&
		    s[i + 1] == ' '))) {
			tc->found = 1;
			break;
		}
		if (s[i] != '[' || i + 1 >= n || s[i + 1] < '1' ||
		    s[i + 1] > '9')
			continue;
		for (j = i + 2; j < n && lh_syslog_digit(s[j]); j++)
			continue;
		if (j + 1 < n && s[j] == ']' && s[j + 1] == ':' &&
		    (tc->bare || (j + 2 < n && s[j + 2] == ' '))) {
			tc->found = 1;
			tc->pidlen = j - i - 1;
			break;
		}
	}
	tc->stop = i;
	return tc->found;
}

/* Whether digits p[0..n) (borrowed) fit a Java long (POSINT:...:long). */
static inline int
lh_syslog_fits_long(const char *p, size_t n)
{
	return n < 19 || (n == 19 && memcmp(p, "9223372036854775807", 19) <= 0);
}

/*
 * The host and tag after the stamp that ends at the space s[e]: 1 with h
 * filled (pointing into s, borrowed), 0 (no fit), -1 (a pid no long
 * holds).  m (borrowed, may be NULL): see lh_syslog_host_token.
 */
int lh_syslog_tag_tail(const char *s, size_t n, size_t e,
    struct lh_syslog_term *tc, struct lh_syslog_hit *h,
    struct lh_syslog_memo *m);

/*
 * Patterns 1 and 2 of the grok at every RFC 3164 stamp of s, leftmost
 * first: 1 (h filled), 0 (no stamp in s) or -1 (see tag_tail).  Borrows
 * s and ctx.
 */
int lh_syslog_grok3164(const char *s, size_t n,
    struct lh_syslog_header_ctx *ctx, struct lh_syslog_hit *h);

/*
 * Whether grok3164 would find an RFC 3164 stamp in s (n bytes, borrowed)
 * hanging on an hour colon (lh_syslog_hour_colon) at or after from, when
 * none starts at 0 and no hour colon lies before from: grok3164 returns
 * 0 iff not.  Pure.
 */
int lh_syslog_any3164(const char *s, size_t n, size_t from);

/*
 * The general code of the parse, without the quick paths: 1 when a
 * pattern fit (h filled), else 0.  only_grok: the grok patterns alone.
 */
int lh_syslog_fit_general(const char *line, size_t len,
    struct lh_syslog_header_ctx *ctx, struct lh_syslog_hit *h,
    int only_grok);

/*
 * The common shape of a line (syslog_time.c): 1 with h filled as
 * lh_syslog_fit_general fills it, else 0 (h undefined).
 */
int lh_syslog_quick(const char *s, size_t n,
    struct lh_syslog_header_ctx *ctx, struct lh_syslog_hit *h);

#endif
