/*
 * syslog_memo.c: the minute a line of a file repeats (see syslog_memo.h),
 * so that lh_syslog_header_time reads the time of such a line from its
 * clock.  Why the results are those of the full code:
 *
 * RFC 3164.  A line is noted when lh_syslog_stamp_rfc3164 reads a stamp
 * at its start that ends at byte 15, bytes 7..15 being "hh:mm:ss " with
 * hh 00..23, mm and ss 00..59 (clock_of): apre keeps bytes 0..6 ("Mmm dd ")
 * and amon, aday what they read as.  A later line s with those 7 bytes and
 * a clock of that shape gets from the full code's quick() (syslog_header.c:
 * s[0] is a month's letter, so no '<' and no ISO stamp) the stamp that
 * lh_syslog_stamp_lead reads: its memo branch and its fast3164 take the
 * 16 bytes of that shape as the general scan does (quick_stamp_test.c),
 * which reads bytes 0..6 as it did on the noted line, then the clock, and
 * nothing past the space at 15.  The caller still runs tag_tail(s, n, 15)
 * as quick() does; only then is the time taken, which is
 * lh_syslog_stamp_time of that stamp: once the day check (mon, day and
 * ctx->year alone) passed, lh_time_syslog_memo(mon, day, hh, mm, ss, 0,
 * ...), where the day number and year depend on the day alone, then t =
 * lh_tz_to_utc(tz, local) with local = day + x, x = hh:mm:ss in seconds
 * (0..86399), stepped back a year when t > ref + 1 day.  With a fixed
 * offset (no named zone) lh_tz_to_utc is local - offset, so t(x) = t(0) +
 * x s in either year; the step back, t(x) > bound, is monotone in x, so
 * when 00:00:00 and 23:59:59 get the same year every clock between does:
 * then the time is abase + x s (affine).  Otherwise (a named zone, whose
 * offset may change anywhere, or a bound inside the day)
 * lh_syslog_stamp_time itself is called with the noted day and the clock.
 *
 * RFC 5424, outside the auth data stream.  A line is noted when it starts
 * with <PRI>VERSION SP as rfc5424() reads them and a stamp
 * "YYYY-MM-DDThh:mm:ss[.f...]Z" (hh 00..23, mm 00..59; the form core/
 * time.c's iso_utc reads, mirrored by zform below) and a space, which
 * lh_time_parse_iso_memo reads to the 'Z': apre keeps "YYYY-MM-DDT", abase
 * the time of 00:00:00 that day.  A later line s with a head of that shape
 * (its own PRI and VERSION, checked as rfc5424() checks them), those 11
 * bytes and a zform tail goes the same way through the full code: quick()
 * gives up at the '<'; classify() tries rfc5424() first, which reads the
 * PRI and VERSION, then lh_time_parse_iso_memo reads the stamp (iso_utc,
 * or the general code when iso_utc's minute check failed; both read the
 * date from the 11 bytes and take day + hh:mm:ss in seconds + the first
 * six digits of the fraction, 'Z' and no zone) and wants the space, then
 * lh_syslog_rest5424, which the caller runs here too: the time is abase +
 * hh:mm:ss s + frac, the host the HOSTNAME.
 *
 * Each note is keyed by the context it was worked out in (the zone and
 * what it was, reference time, forced year, auth): a memo used with
 * another context is not taken.  tests/unit/syslog_again_test.c and
 * tests/fuzz/fuzz_syslog.c compare with the code without the memo.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/event.h"
#include "core/status.h"
#include "core/time.h"
#include "formats/syslog_header.h"
#include "formats/syslog_memo.h"
#include "formats/syslog_scan.h"
#include "formats/syslog_stamp.h"

static const struct lh_tz utc_tz = { 0, 0, "UTC" };

static inline int
isdig(char c)
{
	return c >= '0' && c <= '9';
}

static void
set_key(struct lh_syslog_memo *m, const struct lh_syslog_header_ctx *ctx)
{
	m->atz = ctx->tz;
	m->azone = ctx->tz != NULL ? ctx->tz->zone : NULL;
	m->aoff = ctx->tz != NULL ? ctx->tz->offset : 0;
	m->aref = ctx->ref;
	m->ayear = ctx->year;
	m->aref_year = ctx->ref_year;
	m->aauth = ctx->auth;
}

/* "hh:mm:ss " at s (9 bytes): hh 00..23, mm and ss 00..59; else -1. */
static inline int
clock_of(const char *s)
{
	if (!isdig(s[0]) || !isdig(s[1]) || s[2] != ':' || s[3] < '0' ||
	    s[3] > '5' || !isdig(s[4]) || s[5] != ':' || s[6] < '0' ||
	    s[6] > '5' || !isdig(s[7]) || s[8] != ' ' ||
	    (s[0] - '0') * 10 + (s[1] - '0') > 23)
		return -1;
	return (((s[0] - '0') * 10 + (s[1] - '0')) * 60 +
	    (s[3] - '0') * 10 + (s[4] - '0')) * 60 + (s[6] - '0') * 10 +
	    (s[7] - '0');
}

/* Whether the k <= 16 bytes at s are those at p (k >= 4). */
static inline int
same(const char *s, const char *p, size_t k)
{
	uint64_t a, b, c, d;

	if (k < 8) {
		uint32_t x, y, z, w;

		memcpy(&x, s, 4);
		memcpy(&y, p, 4);
		memcpy(&z, s + k - 4, 4);
		memcpy(&w, p + k - 4, 4);
		return ((x ^ y) | (z ^ w)) == 0;
	}
	memcpy(&a, s, 8);
	memcpy(&b, p, 8);
	memcpy(&c, s + k - 8, 8);
	memcpy(&d, p + k - 8, 8);
	return ((a ^ b) | (c ^ d)) == 0;
}

int
lh_syslog_again_stamp(const char *s, size_t n, const struct lh_syslog_memo *m)
{
	return n > 16 && same(s, m->apre, 7) ? clock_of(s + 7) : -1;
}

/* The stamp of the noted day at the clock of s (see clock) into st. */
static void
stamp_of(const struct lh_syslog_memo *m, const char *s,
    struct lh_syslog_stamp *st)
{
	st->year = 0;
	st->mon = m->amon;
	st->day = m->aday;
	st->hh = (s[0] - '0') * 10 + (s[1] - '0');
	st->mi = (s[3] - '0') * 10 + (s[4] - '0');
	st->ss = (s[6] - '0') * 10 + (s[7] - '0');
	st->frac = 0;
	st->prec = LH_US;
	st->zone = 0;
	st->off = 0;
	st->end = 15;
}

void
lh_syslog_again_time(const char *s, int clk,
    struct lh_syslog_header_ctx *ctx, int64_t *ts, int *flags)
{
	const struct lh_syslog_memo *m = ctx->memo;
	struct lh_syslog_stamp st;
	int64_t prec;

	if (m->affine) {
		*ts = m->abase + clk * LH_US;
		*flags = m->aflags;
		ctx->last_year = m->alast;
		return;
	}
	*ts = LH_TS_NONE;
	*flags = 0;
	stamp_of(m, s + 7, &st);
	lh_syslog_stamp_time(&st, ctx, ts, &prec, flags);
}

/* Notes the RFC 3164 day of s, if it has the shape (see the top). */
static int
note3164(const char *s, size_t n, struct lh_syslog_header_ctx *ctx)
{
	struct lh_syslog_memo *m = ctx->memo;
	struct lh_syslog_header_ctx c0 = *ctx, c1 = *ctx;
	struct lh_syslog_stamp st;
	int64_t t0 = LH_TS_NONE, t1 = LH_TS_NONE, prec;
	int f0 = 0, f1 = 0;

	if (n <= 16 || clock_of(s + 7) < 0)
		return 0;
	if (m->again == LH_AGAIN_3164 && lh_syslog_again_for(m, ctx) &&
	    same(s, m->apre, 7))
		return 1;
	if (!lh_syslog_stamp_rfc3164(s, n, 0, &st) || st.end != 15)
		return 0;
	st.hh = st.mi = st.ss = 0;
	lh_syslog_stamp_time(&st, &c0, &t0, &prec, &f0);
	st.hh = 23;
	st.mi = st.ss = 59;
	lh_syslog_stamp_time(&st, &c1, &t1, &prec, &f1);
	if (t0 == LH_TS_NONE)
		return 0;
	m->again = LH_AGAIN_NONE;
	memcpy(m->apre, s, 7);
	m->alen = 7;
	m->amon = st.mon;
	m->aday = st.day;
	m->affine = (ctx->tz == NULL || ctx->tz->zone == NULL) &&
	    t1 - t0 == 86399 * LH_US && c0.last_year == c1.last_year &&
	    f0 == f1;
	m->abase = t0;
	m->aflags = f0;
	m->alast = c0.last_year;
	set_key(m, ctx);
	m->again = LH_AGAIN_3164;
	return 1;
}

/*
 * iso_utc's tail at s[k]: "ss", an optional '.' and digits (the first six
 * kept as microseconds), 'Z', and then the space rfc5424() wants.  1 with
 * *ss, *frac and *e (the index of the space), else 0.
 */
static inline int
zform(const char *s, size_t n, size_t k, int *ss, int64_t *frac, size_t *e)
{
	static const int64_t pow10[] = { 1, 10, 100, 1000, 10000, 100000,
		1000000 };
	size_t j = k + 2;
	int64_t f = 0;
	int d = 0;

	if (n < k + 4 || !isdig(s[k]) || !isdig(s[k + 1]) ||
	    (*ss = (s[k] - '0') * 10 + (s[k + 1] - '0')) > 60)
		return 0;
	if (s[j] == '.' && j + 1 < n && isdig(s[j + 1])) {
		for (j++; j < n && isdig(s[j]); j++) {
			if (d < 6)
				f = f * 10 + (s[j] - '0'), d++;
		}
	}
	if (j + 1 >= n || s[j] != 'Z' || s[j + 1] != ' ')
		return 0;
	*frac = f * pow10[6 - d];
	*e = j + 1;
	return 1;
}

/*
 * <PRI>VERSION SP as rfc5424() reads them at the start of s, then the
 * shape of a stamp "YYYY-MM-DDThh:mm:" with hh 00..23 and mm 00..59: 1
 * with *i at the stamp and *clk = hh * 60 + mm, else 0.
 */
static inline int
head5424(const char *s, size_t n, size_t *i, int *clk)
{
	size_t e, j;

	if (!lh_syslog_pri(s, n, &j) || j >= n || s[j] < '1' || s[j] > '9')
		return 0;
	for (e = j + 1; e < n && e - j < 3 && isdig(s[e]); e++)
		continue;
	if (e + 18 >= n || s[e] != ' ')
		return 0;
	j = e + 1;
	if (!isdig(s[j + 11]) || !isdig(s[j + 12]) || s[j + 13] != ':' ||
	    s[j + 14] < '0' || s[j + 14] > '5' || !isdig(s[j + 15]) ||
	    s[j + 16] != ':' || (s[j + 11] - '0') * 10 + (s[j + 12] - '0') > 23)
		return 0;
	*clk = ((s[j + 11] - '0') * 10 + (s[j + 12] - '0')) * 60 +
	    (s[j + 14] - '0') * 10 + (s[j + 15] - '0');
	*i = j;
	return 1;
}

/* Notes the RFC 5424 day of s, if it has the shape (see the top). */
static void
note5424(const char *s, size_t n, struct lh_syslog_header_ctx *ctx)
{
	struct lh_syslog_memo *m = ctx->memo;
	const struct lh_tz *tz = ctx->tz != NULL ? ctx->tz : &utc_tz;
	size_t i, e, used;
	int64_t t, prec, frac;
	int ss, clk;

	if (!head5424(s, n, &i, &clk) || s[i + 4] != '-' || s[i + 7] != '-' ||
	    s[i + 10] != 'T' || !zform(s, n, i + 17, &ss, &frac, &e))
		return;
	if (m->again == LH_AGAIN_5424 && lh_syslog_again_for(m, ctx) &&
	    same(s + i, m->apre, 11))
		return;
	if (lh_time_parse_iso_memo(s + i, n - i, tz, 0, &t, &prec, &used,
	    &m->time) != LH_OK || i + used != e)
		return;
	m->again = LH_AGAIN_NONE;
	memcpy(m->apre, s + i, 11);
	m->alen = 11;
	m->abase = t - (clk * 60 + ss) * LH_US - frac;
	set_key(m, ctx);
	m->again = LH_AGAIN_5424;
}

int
lh_syslog_again5424(const char *s, size_t n,
    const struct lh_syslog_header_ctx *ctx, int64_t *ts, const char **host,
    size_t *hostlen)
{
	const struct lh_syslog_memo *m = ctx->memo;
	const char *app, *procid;
	size_t i, e, applen, procidlen;
	int64_t frac;
	int ss, clk;

	if (!head5424(s, n, &i, &clk) || !same(s + i, m->apre, 11) ||
	    !zform(s, n, i + 17, &ss, &frac, &e))
		return 0;
	e++;
	*hostlen = 0;
	if (!lh_syslog_rest5424(s, n, &e, host, hostlen, &app, &applen,
	    &procid, &procidlen))
		return 0;
	*ts = m->abase + (clk * 60 + ss) * LH_US + frac;
	return 1;
}

void
lh_syslog_again_note(const char *s, size_t n,
    struct lh_syslog_header_ctx *ctx)
{
	if (n == 0)
		return;
	if (s[0] != '<')
		(void)note3164(s, n, ctx);
	else if (!ctx->auth)
		note5424(s, n, ctx);
}
