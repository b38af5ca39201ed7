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
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/event.h"
#include "core/status.h"
#include "core/time.h"
#include "formats/syslog_header.h"
#include "formats/syslog_host.h"
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

/*
 * Why lh_syslog_again_head is exact: tpre holds the first 17 + h bytes of
 * a line L with h > 0, taken while apre was what it is now (note3164 and
 * note5424 drop tpre when they change it): L[0..7) are apre, L[7..16)
 * have the shape clock_of wants, and lh_syslog_host_token at 16 found a
 * valid host of h bytes and the space after it.  A line s that repeats
 * those bytes but s[13..15), which hold "00".."59", and is at least 32
 * bytes long (> 16 + h) makes lh_syslog_again_stamp read the same 7 bytes
 * and a clock of the same shape, which is tclk + those seconds; and
 * lh_syslog_host_token, whose result (the first space at or after 16, and
 * whether the bytes before it are a valid host) depends on those bytes
 * alone, gives the same end, valid.
 */
int
lh_syslog_again_head(const char *s, size_t n,
    const struct lh_syslog_memo *m, size_t *hostlen)
{
#if defined(__SSE2__)
	const __m128i *a = (const __m128i *)(const void *)s;
	const __m128i *b = (const __m128i *)(const void *)m->tpre;
	uint32_t eq, care;

	if (m->tlen == 0 || n < 32)
		return -1;
	eq = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(a),
	    _mm_loadu_si128(b))) | (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(
	    _mm_loadu_si128(a + 1), _mm_loadu_si128(b + 1))) << 16;
	care = (uint32_t)(((uint64_t)1 << m->tlen) - 1) & ~(UINT32_C(3) << 13);
	if ((~eq & care) != 0 || s[13] < '0' || s[13] > '5' || !isdig(s[14]))
		return -1;
	*hostlen = m->tlen - 17;
	return m->tclk + (s[13] - '0') * 10 + (s[14] - '0');
#else
	(void)s, (void)n, (void)m, (void)hostlen;
	return -1;
#endif
}

void
lh_syslog_again_head_note(struct lh_syslog_memo *m, const char *s,
    size_t hostlen)
{
	memset(m->tpre, 0, sizeof(m->tpre));
	memcpy(m->tpre, s, 17 + hostlen);
	m->tlen = 17 + hostlen;
	m->tclk = clock_of(s + 7) / 60 * 60;
}

/*
 * ISO 8601 stamps at the start of a line (lh_syslog_iso_lead).  A stamp
 * is noted when lh_syslog_stamp_iso read it with this layout: a four-digit
 * year, "YYYY-MM-DDThh:mm:" ('T' or a space) in s[0..17), two digits of
 * seconds 00..59 at 17, then either a separator at 19 and idig digits
 * from 20 (the fraction) or no fraction, then at izone no zone, 'Z' or
 * "+hh:mm" / "-hh:mm", and the space at ilen - 1.  A line s that repeats
 * ipre but for s[17..19), two digits 00..59, and for idig digits from 20
 * (and is longer than ilen - 1) makes lh_syslog_stamp_iso take the same
 * steps over the same bytes: the date and minute read from the same 17
 * bytes, the seconds two digits again (read_second takes two when the
 * first is 0..5), the fraction the same number of digits ended by the
 * same byte (read_frac keeps the first six), and read_zone reads the same
 * bytes from izone to the space (those three zone forms are read at the
 * first try, whose reads stay inside them): only ss and the fraction
 * differ, and they are read here as read_second and read_frac read them.
 */
static int
again_iso(const char *s, size_t n, const struct lh_syslog_memo *m,
    struct lh_syslog_stamp *st)
{
	static const int64_t unit[] = { LH_US, 100000, 10000, 1000, 100, 10,
		1 };
	size_t k;
	int64_t f = 0;

	if (n < m->ilen || !same(s, m->ipre, 16) || s[16] != ':' ||
	    s[17] < '0' || s[17] > '5' || !isdig(s[18]) ||
	    (m->idig > 0 && s[19] != m->ipre[19]))
		return 0;
	for (k = 0; k < m->idig; k++) {
		if (!isdig(s[20 + k]))
			return 0;
		if (k < 6)
			f = f * 10 + (s[20 + k] - '0');
	}
	if (memcmp(s + m->izone, m->ipre + m->izone, m->ilen - m->izone) != 0)
		return 0;
	k = m->idig < 6 ? m->idig : 6;
	st->year = m->iyear;
	st->mon = m->imon;
	st->day = m->iday;
	st->hh = m->ihh;
	st->mi = m->imi;
	st->ss = (s[17] - '0') * 10 + (s[18] - '0');
	st->frac = f * unit[k];
	st->prec = unit[k];
	st->zone = m->izoned;
	st->off = m->ioff;
	st->end = m->ilen - 1;
	return 1;
}

/* Notes the stamp st that lh_syslog_stamp_iso read at s[0], if it can. */
static void
note_iso(const char *s, struct lh_syslog_memo *m,
    const struct lh_syslog_stamp *st)
{
	size_t z = 19, d = 0, zl;

	m->ilen = 0;
	/* the layout: two-digit month and day, colons, two-digit seconds */
	if (st->year < 1000 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' &&
	    s[10] != ' ') || s[13] != ':' || s[16] != ':' || s[17] < '0' ||
	    s[17] > '5' || !isdig(s[18]) ||
	    st->end + 1 > sizeof(m->ipre))
		return;
	if ((s[19] == '.' || s[19] == ',' || s[19] == ':') && isdig(s[20])) {
		for (d = 0; isdig(s[20 + d]); d++)
			continue;
		z = 20 + d;
	}
	zl = st->end - z;
	if (!(zl == 0 || (zl == 1 && s[z] == 'Z') || (zl == 6 &&
	    (s[z] == '+' || s[z] == '-') && s[z + 3] == ':')))
		return;
	memcpy(m->ipre, s, st->end + 1);
	m->idig = d;
	m->izone = z;
	m->iyear = st->year;
	m->imon = st->mon;
	m->iday = st->day;
	m->ihh = st->hh;
	m->imi = st->mi;
	m->izoned = st->zone;
	m->ioff = st->off;
	m->ilen = st->end + 1;
}

int
lh_syslog_iso_lead(const char *s, size_t n, struct lh_syslog_memo *m,
    struct lh_syslog_stamp *st)
{
	if (m != NULL && m->ilen > 0 && again_iso(s, n, m, st))
		return 1;
	if (!lh_syslog_stamp_iso(s, n, 0, st))
		return 0;
	if (m != NULL)
		note_iso(s, m, st);
	return 1;
}

/*
 * ISO 8601 heads (lh_syslog_iso_head).  A line L is noted when ipre holds
 * the layout of its stamp (L repeats ipre as again_iso wants, its varying
 * bytes, s[17..19) and the idig digits from 20, being digits with s[17]
 * 0..5), a valid host (lh_syslog_host_valid) of hostlen bytes and a
 * space follow the stamp's space, the head is at most 48 bytes and holds
 * no hour colon, and the stamp has a zone or ctx's zone is a fixed
 * offset.  A line s that repeats the head but for the varying bytes
 * (digits again, s[17] 0..5) then goes through quick() (syslog_time.c)
 * as L did up to the tag: lh_syslog_stamp_lead fails on the digit at 0,
 * lh_syslog_iso_lead reads the stamp as again_iso says (the date, minute,
 * zone and end of L; the seconds and fraction of s), and
 * lh_syslog_host_token at the same index finds the same bytes up to the
 * same space, valid.  Whether s[c] is an hour colon depends on s[c],
 * s[c - 2] and s[c - 3] alone, and no varying byte is a ':' or a space:
 * the head of s holds none either.  The time is time_iso's, (days *
 * 86400 + hh * 3600 + mi * 60 + ss - off) s + frac with the stamp's
 * offset or ctx's fixed one, which is jbase + ss s + frac; a date that
 * time_iso gives no time gives none again.  The caller still reads the
 * tag after the head and the hour colons after it (syslog_time.c).
 */
#if defined(__SSE2__)
/* The bytes of the 48 at s equal to those at p, and the digits of s. */
static inline uint64_t
eq48(const char *s, const char *p, uint64_t *dig)
{
	const __m128i lo = _mm_set1_epi8('0' - 1), hi = _mm_set1_epi8('9' + 1);
	const __m128i *a = (const __m128i *)(const void *)s;
	const __m128i *b = (const __m128i *)(const void *)p;
	const __m128i x0 = _mm_loadu_si128(a), x1 = _mm_loadu_si128(a + 1);
	const __m128i x2 = _mm_loadu_si128(a + 2);

	/* written out: the loop over the three vectors was not unrolled */
	*dig = (uint64_t)(unsigned)_mm_movemask_epi8(_mm_and_si128(
	    _mm_cmpgt_epi8(x0, lo), _mm_cmplt_epi8(x0, hi))) |
	    (uint64_t)(unsigned)_mm_movemask_epi8(_mm_and_si128(
	    _mm_cmpgt_epi8(x1, lo), _mm_cmplt_epi8(x1, hi))) << 16 |
	    (uint64_t)(unsigned)_mm_movemask_epi8(_mm_and_si128(
	    _mm_cmpgt_epi8(x2, lo), _mm_cmplt_epi8(x2, hi))) << 32;
	return (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x0,
	    _mm_loadu_si128(b))) |
	    (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x1,
	    _mm_loadu_si128(b + 1))) << 16 |
	    (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x2,
	    _mm_loadu_si128(b + 2))) << 32;
}
#endif

size_t
lh_syslog_iso_head(const char *s, size_t n,
    const struct lh_syslog_header_ctx *ctx, int64_t *ts, size_t *hostlen)
{
#if defined(__SSE2__)
	static const int64_t unit[] = { LH_US, 100000, 10000, 1000, 100, 10,
		1 };
	const struct lh_syslog_memo *m = ctx->memo;
	uint64_t eq, dig, care;
	int64_t f = 0;
	size_t k, d;

	if (n < sizeof(m->jpre) || m->jlen == 0 || m->jtz != ctx->tz ||
	    (ctx->tz != NULL && (ctx->tz->zone != m->jzone ||
	    ctx->tz->offset != m->joff)))
		return 0;
	eq = eq48(s, m->jpre, &dig);
	care = (((uint64_t)1 << m->jlen) - 1) & ~m->jvary;
	if ((~eq & care) != 0 || (~dig & m->jvary) != 0 || s[17] > '5')
		return 0;
	d = m->jdig < 6 ? m->jdig : 6;
	if (d == 6)	/* the usual fraction, in microseconds */
		f = (((((s[20] - '0') * 10 + (s[21] - '0')) * 10 +
		    (s[22] - '0')) * 10 + (s[23] - '0')) * 10 +
		    (s[24] - '0')) * 10 + (s[25] - '0');
	else
		for (k = 0; k < d; k++)
			f = f * 10 + (s[20 + k] - '0');
	*ts = !m->jtime ? LH_TS_NONE : m->jbase + f * unit[d] +
	    ((s[17] - '0') * 10 + (s[18] - '0')) * LH_US;
	*hostlen = m->jhost;
	return m->jlen;
#else
	(void)s, (void)n, (void)ctx, (void)ts, (void)hostlen;
	return 0;
#endif
}

/* Whether s (at least ilen bytes) repeats ipre as again_iso wants. */
static int
iso_layout(const char *s, const struct lh_syslog_memo *m)
{
	size_t k;

	if (memcmp(s, m->ipre, 17) != 0 || s[17] < '0' || s[17] > '5' ||
	    !isdig(s[18]) || (m->idig > 0 && s[19] != m->ipre[19]) ||
	    memcmp(s + m->izone, m->ipre + m->izone, m->ilen - m->izone) != 0)
		return 0;
	for (k = 0; k < m->idig; k++)
		if (!isdig(s[20 + k]))
			return 0;
	return 1;
}

void
lh_syslog_iso_head_note(const char *s, size_t n,
    struct lh_syslog_header_ctx *ctx, size_t hs, size_t hostlen)
{
	struct lh_syslog_memo *m = ctx->memo;
	struct lh_syslog_header_ctx c = *ctx;
	struct lh_syslog_stamp st;
	size_t len = hs + hostlen + 1;
	int64_t t = LH_TS_NONE, prec;
	int flags = 0;

	if (m->ilen == 0 || hs != m->ilen || hostlen == 0 || ctx->auth ||
	    len > sizeof(m->jpre) || n < len || s[len - 1] != ' ' ||
	    !iso_layout(s, m) || memchr(s + hs, ' ', hostlen) != NULL ||
	    !lh_syslog_host_valid(s + hs, hostlen) ||
	    lh_syslog_hour_colon(s, 0, len) < len || !(m->izoned ||
	    ctx->tz == NULL || ctx->tz->zone == NULL))
		return;
	st.year = m->iyear;
	st.mon = m->imon;
	st.day = m->iday;
	st.hh = m->ihh;
	st.mi = m->imi;
	st.ss = 0;
	st.frac = 0;
	st.prec = LH_US;
	st.zone = m->izoned;
	st.off = m->ioff;
	st.end = m->ilen - 1;
	lh_syslog_stamp_time(&st, &c, &t, &prec, &flags);
	memset(m->jpre, 0, sizeof(m->jpre));
	memcpy(m->jpre, s, len);
	m->jlen = len;
	m->jhost = hostlen;
	m->jdig = m->idig;
	m->jvary = UINT64_C(3) << 17 | ((UINT64_C(1) << m->idig) - 1) << 20;
	m->jbase = t;
	m->jtime = t != LH_TS_NONE;
	m->jtz = ctx->tz;
	m->jzone = ctx->tz != NULL ? ctx->tz->zone : NULL;
	m->joff = ctx->tz != NULL ? ctx->tz->offset : 0;
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
lh_syslog_again_time_zone(const char *s, struct lh_syslog_header_ctx *ctx,
    int64_t *ts, int *flags)
{
	const struct lh_syslog_memo *m = ctx->memo;
	struct lh_syslog_stamp st;
	int64_t prec;

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
	struct lh_syslog_header_ctx c0, c1;
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
	c0 = c1 = *ctx;	/* copied only here: most lines end above */
	st.hh = st.mi = st.ss = 0;
	lh_syslog_stamp_time(&st, &c0, &t0, &prec, &f0);
	st.hh = 23;
	st.mi = st.ss = 59;
	lh_syslog_stamp_time(&st, &c1, &t1, &prec, &f1);
	if (t0 == LH_TS_NONE)
		return 0;
	m->again = LH_AGAIN_NONE;
	m->plen = m->tlen = 0;
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
 * <PRI>VERSION SP (lh_syslog_pri_version, as rfc5424() reads them), then
 * the shape of a stamp "YYYY-MM-DDThh:mm:" with hh 00..23 and mm 00..59
 * and more bytes after it: 1 with *i at the stamp and *clk = hh * 60 +
 * mm, else 0.
 */
static inline int
head5424(const char *s, size_t n, size_t *i, int *clk)
{
	size_t j;

	if (!lh_syslog_pri_version(s, n, &j) || j + 17 >= n)
		return 0;
	if (!isdig(s[j + 11]) || !isdig(s[j + 12]) || s[j + 13] != ':' ||
	    s[j + 14] < '0' || s[j + 14] > '5' || !isdig(s[j + 15]) ||
	    s[j + 16] != ':' || (s[j + 11] - '0') * 10 + (s[j + 12] - '0') > 23)
		return 0;
	*clk = ((s[j + 11] - '0') * 10 + (s[j + 12] - '0')) * 60 +
	    (s[j + 14] - '0') * 10 + (s[j + 15] - '0');
	*i = j;
	return 1;
}

/*
 * Keeps the stamp of s up to its minute's ':' (17 bytes at s[i]: head5424
 * gave i and clk, and s[i..i + 11) are apre as it is now) for again_head.
 */
static void
note_head(struct lh_syslog_memo *m, const char *s, size_t i, int clk)
{
	memcpy(m->ppre, s + i, 17);
	m->plen = 17;
	m->pclk = clk;
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
	m->tlen = 0;
	memcpy(m->apre, s + i, 11);
	m->alen = 11;
	m->abase = t - (clk * 60 + ss) * LH_US - frac;
	set_key(m, ctx);
	m->again = LH_AGAIN_5424;
	note_head(m, s, i, clk);
}

#if defined(__SSE2__)
/* Bit j: p[j] is not PRINTUSASCII (33..126), for the 64 bytes at p. */
static inline uint64_t
nonprint64(const char *p)
{
	/* x + 95 takes 33..126 to -128..-35 (signed), every other byte above */
	const __m128i shift = _mm_set1_epi8(0x80 - 33);
	const __m128i top = _mm_set1_epi8(-35);
	const __m128i *q = (const __m128i *)(const void *)p;
	uint32_t lo, hi;

	/* two 32-bit halves, written out: the loop was not unrolled */
	lo = (uint32_t)_mm_movemask_epi8(_mm_cmpgt_epi8(_mm_add_epi8(
	    _mm_loadu_si128(q), shift), top)) |
	    (uint32_t)_mm_movemask_epi8(_mm_cmpgt_epi8(_mm_add_epi8(
	    _mm_loadu_si128(q + 1), shift), top)) << 16;
	hi = (uint32_t)_mm_movemask_epi8(_mm_cmpgt_epi8(_mm_add_epi8(
	    _mm_loadu_si128(q + 2), shift), top)) |
	    (uint32_t)_mm_movemask_epi8(_mm_cmpgt_epi8(_mm_add_epi8(
	    _mm_loadu_si128(q + 3), shift), top)) << 16;
	return (uint64_t)hi << 32 | lo;
}

/*
 * A field of field5424 at p[a] from np (nonprint64): 1 with *e at its
 * space, 0 when field5424 fails, -1 when it ends past the 64 bytes.
 */
static inline int
field64(const char *p, uint64_t np, size_t a, size_t max, size_t *e)
{
	if (a >= 64 || (np >> a) == 0)
		return -1;
	*e = a + (size_t)__builtin_ctzll(np >> a);
	return *e > a && *e - a <= max && p[*e] == ' ';
}

/*
 * zform(s, n, k, ...) and then lh_syslog_rest5424 at the byte after its
 * space, read at p = s + k with the 64 bytes there classified once (the
 * caller has n > k + 64, so no check of n in either can fail before the
 * 64th byte): 1 or 0 as they would return together, with *ss, *frac and
 * the host as they give them; -1 when the answer lies past those bytes,
 * or the structured data is not "-" (then the caller asks them).
 * zform: two digits (at most 60), then '.' and a digit start a run of
 * digits whose first six make the fraction, then "Z ".  Each field of
 * rest5424 (field5424) ends at the first byte that is not PRINTUSASCII,
 * which must be a space after 1..max bytes; then skip_sd takes a '-' and
 * rest5424 wants a space or the end after it.
 */
static int
tail64(const char *p, int *ss, int64_t *frac, const char **host,
    size_t *hostlen)
{
	static const int64_t pow10[] = { 1, 10, 100, 1000, 10000, 100000,
		1000000 };
	size_t j = 2, e0, e1, e2, e3;
	int64_t v = 0;
	uint64_t np;
	int d = 0, r;

	if (!isdig(p[0]) || !isdig(p[1]) ||
	    (*ss = (p[0] - '0') * 10 + (p[1] - '0')) > 60)
		return 0;
	if (p[2] == '.' && isdig(p[3]) && isdig(p[4]) && isdig(p[5]) &&
	    !isdig(p[6])) {
		/* milliseconds, the usual: what the loop below reads */
		v = ((p[3] - '0') * 10 + (p[4] - '0')) * 10 + (p[5] - '0');
		d = 3;
		j = 6;
	} else if (p[2] == '.' && isdig(p[3])) {
		for (j = 3; j < 62 && isdig(p[j]); j++) {
			if (d < 6)
				v = v * 10 + (p[j] - '0'), d++;
		}
		if (j == 62)
			return -1;
	}
	if (p[j] != 'Z' || p[j + 1] != ' ')
		return 0;
	*frac = v * pow10[6 - d];
	np = nonprint64(p);
	if ((r = field64(p, np, j + 2, 255, &e0)) != 1 ||
	    (r = field64(p, np, e0 + 1, 48, &e1)) != 1 ||
	    (r = field64(p, np, e1 + 1, 128, &e2)) != 1 ||
	    (r = field64(p, np, e2 + 1, 32, &e3)) != 1)
		return r;
	if (e0 - j - 2 != 1 || p[j + 2] != '-') {
		*host = p + j + 2;
		*hostlen = e0 - j - 2;
	}
	if (e3 + 2 >= 64 || p[e3 + 1] != '-')
		return -1;
	return p[e3 + 2] == ' ';
}

/*
 * lh_syslog_pri_version(s, n, i), which reads s[0..*i) and checks n only
 * against indices below *i: a line that starts with the bytes of one of
 * the last two heads it took (at most 8 bytes) gets the same *i.
 */
static inline int
pri_known(const char *s, size_t n, struct lh_syslog_memo *m, size_t *i)
{
	uint64_t x, y;
	int k;

	/* 8 bytes (little-endian x86) past the head masked out */
	if (n > 8) {
		memcpy(&x, s, 8);
		for (k = 0; k < 2; k++) {
			memcpy(&y, m->vpre[k], 8);
			if (m->vlen[k] > 0 && ((x ^ y) & (~UINT64_C(0) >>
			    (64 - 8 * m->vlen[k]))) == 0) {
				*i = m->vlen[k];
				return 1;
			}
		}
	}
	for (k = 0; k < 2; k++) {
		if (m->vlen[k] > 0 && n > m->vlen[k] &&
		    memcmp(s, m->vpre[k], m->vlen[k]) == 0) {
			*i = m->vlen[k];
			return 1;
		}
	}
	if (!lh_syslog_pri_version(s, n, i))
		return 0;
	if (*i <= sizeof(m->vpre[0])) {
		memcpy(m->vpre[m->vnext], s, *i);
		m->vlen[m->vnext] = *i;
		m->vnext ^= 1;
	}
	return 1;
}

/*
 * A line s of n bytes: 1, 0 or -1 (not decided: ask the code below) as
 * lh_syslog_again5424.  m->ppre is the stamp of a line L up to its
 * minute's ':', for which head5424 gave clk = pclk, with same(L + i,
 * apre, 11), and apre has not changed since (note3164 and note5424 drop
 * ppre when they change it).  head5424 on s runs lh_syslog_pri_version
 * (pri_known gives what it gives), then reads
 * s[i..i + 17) and wants n > i + 17: when those bytes are L's and n >
 * i + 81, it gives i and pclk, and same() holds.  What is left is zform
 * at i + 17 and rest5424 (tail64, which needs the 64 bytes there).
 */
static int
again_head(const char *s, size_t n, struct lh_syslog_memo *m,
    int64_t *ts, const char **host, size_t *hostlen)
{
	int64_t frac;
	size_t i;
	int ss, r;

	if (!pri_known(s, n, m, &i) || n <= i + 81 ||
	    !same(s + i, m->ppre, 16) || s[i + 16] != ':')
		return -1;
	*host = NULL;
	*hostlen = 0;
	if ((r = tail64(s + i + 17, &ss, &frac, host, hostlen)) == 1)
		*ts = m->abase + (m->pclk * 60 + ss) * LH_US + frac;
	return r;
}
#endif

int
lh_syslog_again5424(const char *s, size_t n,
    const struct lh_syslog_header_ctx *ctx, int64_t *ts, const char **host,
    size_t *hostlen)
{
	struct lh_syslog_memo *m = ctx->memo;
	const char *app, *procid;
	size_t i, e, applen, procidlen;
	int64_t frac;
	int ss, clk;

#if defined(__SSE2__)
	int r;

	if (m->plen > 0 && (r = again_head(s, n, m, ts, host, hostlen)) >= 0)
		return r;
#endif
	if (!head5424(s, n, &i, &clk) || !same(s + i, m->apre, 11) ||
	    !zform(s, n, i + 17, &ss, &frac, &e))
		return 0;
	e++;
	*hostlen = 0;
	if (!lh_syslog_rest5424(s, n, &e, host, hostlen, &app, &applen,
	    &procid, &procidlen))
		return 0;
	*ts = m->abase + (clk * 60 + ss) * LH_US + frac;
	note_head(m, s, i, clk);
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
