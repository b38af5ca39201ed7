/*
 * quick_stamp_test.c: the quick paths of the stamp and time code (the
 * "Mmm dd hh:mm:ss " shape in formats/syslog_stamp.c, the
 * "YYYY-MM-DDThh:mm:ss.fffZ" form of lh_time_parse_iso in core/time.c)
 * against the general code.  This file builds both sources a second time
 * with LH_SYSLOG_GENERAL_ONLY and LH_TIME_GENERAL_ONLY, their functions
 * renamed ref_*, and compares both builds over generated stamps
 * (syslog_gen.h) in many contexts (zones with DST, year inference near New
 * Year and Feb 29, the year forced), and the library's build with a memo
 * (struct lh_syslog_memo, kept across stamps) against the general code
 * without one.
 */
#define LH_SYSLOG_GENERAL_ONLY 1
#define LH_TIME_GENERAL_ONLY 1
#define lh_days_from_civil ref_days_from_civil
#define lh_civil_from_days ref_civil_from_days
#define lh_days_in_month ref_days_in_month
#define lh_tz_parse ref_tz_parse
#define lh_tz_named ref_tz_named
#define lh_tz_utc ref_tz_utc
#define lh_tz_to_utc ref_tz_to_utc
#define lh_time_format ref_time_format
#define lh_time_parse_iso ref_time_parse_iso
#define lh_time_parse_iso_memo ref_time_parse_iso_memo
#define lh_time_syslog_memo ref_time_syslog_memo
#define lh_syslog_stamp_lead ref_syslog_stamp_lead
#define lh_month3 ref_month3
#define lh_time_year_of ref_time_year_of
#define lh_time_syslog ref_time_syslog
#define lh_syslog_stamp_rfc3164 ref_syslog_stamp_rfc3164
#define lh_syslog_stamp_iso ref_syslog_stamp_iso
#define lh_syslog_stamp_time ref_syslog_stamp_time
#define lh_syslog_stamp_ctime ref_syslog_stamp_ctime
#include "core/time.c"
#include "formats/syslog_stamp.c"

#include <criterion/criterion.h>

#include "tests/unit/syslog_gen.h"

#undef lh_time_parse_iso
#undef lh_time_parse_iso_memo
#undef lh_time_syslog
#undef lh_time_syslog_memo
#undef lh_syslog_stamp_rfc3164
#undef lh_syslog_stamp_lead
#undef lh_syslog_stamp_time

/* The library's own (hidden above by the renames). */
int lh_time_parse_iso(const char *s, size_t n, const struct lh_tz *tz,
    int allow_date, int64_t *us, int64_t *prec, size_t *used);
int64_t lh_time_syslog(int mon, int day, int hh, int mm, int ss,
    int64_t frac_us, const struct lh_tz *tz, int64_t ref, int ref_year,
    int year, int *year_used);
int lh_syslog_stamp_rfc3164(const char *s, size_t n, size_t i,
    struct lh_syslog_stamp *st);
int lh_time_parse_iso_memo(const char *s, size_t n, const struct lh_tz *tz,
    int allow_date, int64_t *us, int64_t *prec, size_t *used,
    struct lh_time_memo *m);
int lh_syslog_stamp_lead(const char *s, size_t n, struct lh_syslog_memo *m,
    struct lh_syslog_stamp *st);
void lh_syslog_stamp_time(const struct lh_syslog_stamp *st,
    struct lh_syslog_header_ctx *ctx, int64_t *ts, int64_t *prec,
    int *flags);

#define STAMPS_PER_CTX 300

static void
same_stamp(const struct lh_syslog_stamp *a, const struct lh_syslog_stamp *b,
    const char *s)
{
	cr_assert(a->year == b->year && a->mon == b->mon && a->day == b->day &&
	    a->hh == b->hh && a->mi == b->mi && a->ss == b->ss &&
	    a->frac == b->frac && a->prec == b->prec && a->zone == b->zone &&
	    a->end == b->end, "stamp '%s'", s);
}

/* The stamp at the start of s, and after a prefix, in both builds. */
static void
compare_3164(const char *s, size_t n, struct lh_syslog_header_ctx *c)
{
	struct lh_syslog_stamp a, b;
	struct lh_syslog_header_ctx ca = *c, cb = *c;
	int64_t ta = LH_TS_NONE, tb = LH_TS_NONE, pa = 1, pb = 1;
	int fa = 0, fb = 0, ra, i;

	for (i = 0; i < 2; i++) {
		ra = lh_syslog_stamp_rfc3164(s, n, (size_t)i, &a);
		cr_assert_eq(ra, ref_syslog_stamp_rfc3164(s, n, (size_t)i, &b),
		    "'%s' at %d", s, i);
		if (!ra)
			continue;
		same_stamp(&a, &b, s);
		lh_syslog_stamp_time(&a, &ca, &ta, &pa, &fa);
		ref_syslog_stamp_time(&b, &cb, &tb, &pb, &fb);
		cr_assert(ta == tb && pa == pb && fa == fb &&
		    ca.last_year == cb.last_year, "time of '%s'", s);
	}
}

static void
compare_iso(const char *s, size_t n, const struct lh_tz *tz)
{
	int64_t ua = 0, ub = 0, pa = 0, pb = 0;
	size_t usa = 0, usb = 0;
	int allow;

	for (allow = 0; allow < 2; allow++) {
		cr_assert_eq(lh_time_parse_iso(s, n, tz, allow, &ua, &pa, &usa),
		    ref_time_parse_iso(s, n, tz, allow, &ub, &pb, &usb),
		    "'%s'", s);
		cr_assert(ua == ub && pa == pb && usa == usb, "'%s': %lld "
		    "%lld %zu, general %lld %lld %zu", s, (long long)ua,
		    (long long)pa, usa, (long long)ub, (long long)pb, usb);
	}
}

Test(quick_stamp, same_as_general_code)
{
	struct gen_ctxs g;
	struct lh_syslog_header_ctx c;
	char s[GEN_MAX];
	unsigned i, k;
	size_t n;

	gen_ctxs_init(&g);
	for (i = 0; i < GEN_NCTX; i++) {
		gen_ctx(&g, i, &c);
		gen_seed(i + 1000);
		for (k = 0; k < STAMPS_PER_CTX; k++) {
			gen_stamp(s, sizeof(s) - 8);
			n = strlen(s);
			/* as a header stamp: a space follows */
			if (gen_pick(2))
				memcpy(s + n, " h", 3);
			else
				memcpy(s + n, " ", 2);
			compare_3164(s, strlen(s), &c);
			compare_iso(s, n, c.tz);
			compare_iso(s, strlen(s), c.tz);
		}
	}
	gen_ctxs_free(&g);
}

/* Year inference and zones over every day of a leap and a common year. */
Test(quick_stamp, every_day)
{
	struct gen_ctxs g;
	struct lh_syslog_header_ctx c;
	char s[64];
	unsigned i;
	int mon, day, hh;

	gen_ctxs_init(&g);
	for (i = 0; i < GEN_NCTX; i++) {
		gen_ctx(&g, i, &c);
		for (mon = 1; mon <= 12; mon++) {
			for (day = 1; day <= 31; day++) {
				hh = (mon * 31 + day) % 24;
				snprintf(s, sizeof(s), "%.3s %2d %02d:30:59 h",
				    "JanFebMarAprMayJunJulAugSepOctNovDec" +
				    3 * (mon - 1), day, hh);
				compare_3164(s, strlen(s), &c);
				snprintf(s, sizeof(s), "2024-%02d-%02dT%02d:30:"
				    "59.%03dZ", mon, day, hh, day * 7);
				compare_iso(s, strlen(s), c.tz);
				cr_assert_eq(lh_time_syslog(mon, day, hh, 30,
				    59, 0, c.tz, c.ref, c.ref_year, c.year,
				    NULL), ref_time_syslog(mon, day, hh, 30,
				    59, 0, c.tz, c.ref, c.ref_year, c.year,
				    NULL));
			}
		}
	}
	gen_ctxs_free(&g);
}

/*
 * The stamps of runs of alike lines (syslog_gen.h's gen_run), read by the
 * library with one memo kept across stamps and contexts, against the
 * general code without one: the stamp, its time, and the ISO stamps of
 * the RFC 5424 lines.
 */
Test(quick_stamp, memo_same_as_general_code)
{
	struct gen_ctxs g;
	struct lh_syslog_header_ctx c, ca, cb;
	struct lh_syslog_memo memo;
	struct lh_syslog_stamp a, b;
	char line[GEN_MAX], minute[32] = "";
	int64_t ta, tb, pa, pb, ua, ub;
	size_t n, usa, usb;
	unsigned i, k, used[3] = { 0, 0, 0 };
	int fa, fb, ra;

	memset(&memo, 0, sizeof(memo));
	gen_ctxs_init(&g);
	for (i = 0; i < GEN_NCTX; i++) {
		gen_ctx(&g, i, &c);
		gen_seed(i + 3000);
		for (k = 0; k < STAMPS_PER_CTX; k++) {
			n = gen_run(line, sizeof(line), minute);
			ra = lh_syslog_stamp_lead(line, n, &memo, &a);
			cr_assert_eq(ra, ref_syslog_stamp_rfc3164(line, n, 0,
			    &b), "'%s'", line);
			if (ra) {
				same_stamp(&a, &b, line);
				ca = cb = c;
				ca.memo = &memo;
				ta = tb = LH_TS_NONE;
				pa = pb = 1;
				fa = fb = 0;
				lh_syslog_stamp_time(&a, &ca, &ta, &pa, &fa);
				ref_syslog_stamp_time(&b, &cb, &tb, &pb, &fb);
				cr_assert(ta == tb && pa == pb && fa == fb &&
				    ca.last_year == cb.last_year,
				    "time of '%s'", line);
			}
			if (n < 6 || memcmp(line, "<38>1 ", 6) != 0)
				continue;
			ua = ub = pa = pb = 0;
			usa = usb = 0;
			cr_assert_eq(lh_time_parse_iso_memo(line + 6, n - 6,
			    c.tz, 0, &ua, &pa, &usa, &memo.time),
			    ref_time_parse_iso(line + 6, n - 6, c.tz, 0, &ub,
			    &pb, &usb), "'%s'", line);
			cr_assert(ua == ub && pa == pb && usa == usb, "'%s'",
			    line);
			used[0] += memo.have_stamp;
			used[1] += memo.time.have_back;
			used[2] += memo.time.have_iso;
		}
	}
	/* every part of the memo was used */
	cr_assert(used[0] && used[1] && used[2]);
	gen_ctxs_free(&g);
}

/* The fraction of a second of both stamp kinds, against digit sums. */
Test(quick_stamp, fractions)
{
	static const char *const head[] = { "2024-01-02T03:04:05",
		"Jan  2 03:04:05" };
	struct lh_syslog_stamp st;
	char s[64], digits[16];
	int64_t want, prec, scale;
	unsigned r, k, d, i;
	int ok;

	gen_seed(11);
	for (r = 0; r < 2000; r++) {
		k = 1 + gen_pick(10);
		for (d = 0; d < k; d++)
			digits[d] = (char)('0' + gen_pick(10));
		digits[k] = '\0';
		want = 0;
		prec = scale = LH_US;
		for (d = 0; d < k && scale > 1; d++) {
			scale /= 10;
			want += (digits[d] - '0') * scale;
			prec = scale;
		}
		for (i = 0; i < 2; i++) {
			snprintf(s, sizeof(s), "%s%c%s h", head[i],
			    ".,:"[gen_pick(3)], digits);
			if (i == 0)
				ok = lh_syslog_stamp_iso(s, strlen(s), 0, &st);
			else
				ok = lh_syslog_stamp_rfc3164(s, strlen(s), 0,
				    &st);
			cr_assert(ok && st.frac == want && st.prec == prec,
			    "'%s': %lld %lld", s, (long long)st.frac,
			    (long long)st.prec);
		}
	}
}
