/*
 * syslog_stamp.c: the timestamps of syslog headers (see syslog_stamp.h):
 * RFC 3164, ISO 8601 and dmesg -T stamps, and their times.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/event.h"
#include "core/time.h"
#include "formats/syslog_header.h"
#include "formats/syslog_stamp.h"

static const struct lh_tz utc_tz = { 0, 0, "UTC" };

static int
isdig(char c)
{
	return c >= '0' && c <= '9';
}


/*
 * Reads [0-9]+ at s[*i] as the fraction of a second, kept to the
 * microsecond; *prec is the unit of the last digit kept.
 */
static void
read_frac(const char *s, size_t n, size_t *i, int64_t *frac, int64_t *prec)
{
	static const int64_t unit[] = { LH_US, 100000, 10000, 1000, 100, 10,
		1 };
	int64_t f = 0;
	size_t j = *i, k = 0;

	/* the first six digits kept, the others read and dropped */
	for (; j < n && isdig(s[j]); j++)
		if (k < 6)
			f = f * 10 + (s[j] - '0'), k++;
	*i = j;
	*frac = f * unit[k];
	*prec = unit[k];
}

#define KEY3(a, b, c) \
	((uint32_t)(a) << 16 | (uint32_t)(b) << 8 | (uint32_t)(c))

/*
 * The month of a three-letter name (first letter lower-cased, the others
 * as written: the cases below spell them so), or 0: the English names
 * and mrz, mai, okt, dez.
 */
static int
month3(const char *low)
{
	/* a switch, not a loop over the names: once per line, it shows */
	switch (KEY3((unsigned char)low[0], (unsigned char)low[1],
	    (unsigned char)low[2])) {
	case KEY3('j', 'a', 'n'): return 1;
	case KEY3('f', 'e', 'b'): return 2;
	case KEY3('m', 'a', 'r'): case KEY3('m', 'r', 'z'): return 3;
	case KEY3('a', 'p', 'r'): return 4;
	case KEY3('m', 'a', 'y'): case KEY3('m', 'a', 'i'): return 5;
	case KEY3('j', 'u', 'n'): return 6;
	case KEY3('j', 'u', 'l'): return 7;
	case KEY3('a', 'u', 'g'): return 8;
	case KEY3('s', 'e', 'p'): return 9;
	case KEY3('o', 'c', 't'): case KEY3('o', 'k', 't'): return 10;
	case KEY3('n', 'o', 'v'): return 11;
	case KEY3('d', 'e', 'c'): case KEY3('d', 'e', 'z'): return 12;
	default: return 0;
	}
}

/*
 * MONTH \b(?:[Jj]an(?:uary|uar)?|[Ff]eb(?:ruary|ruar)?|[Mm](?:a|ä)?r(?:ch|z)?
 * |[Aa]pr(?:il)?|[Mm]a(?:y|i)?|[Jj]un(?:e|i)?|[Jj]ul(?:y|i)?|[Aa]ug(?:ust)?
 * |[Ss]ep(?:tember)?|[Oo](?:c|k)?t(?:ober)?|[Nn]ov(?:ember)?
 * |[Dd]e(?:c|z)(?:ember)?)\b, which is followed by a space: the words below,
 * first letter in either case.  Returns 1..12 and the length, or 0.
 */
static int
month_name(const char *s, size_t n, size_t *len)
{
	static const struct {
		char name[10];
		unsigned char len, mon;
	} tab[] = { { "jan", 3, 1 }, { "feb", 3, 2 }, { "mar", 3, 3 },
		{ "apr", 3, 4 }, { "may", 3, 5 }, { "jun", 3, 6 },
		{ "jul", 3, 7 }, { "aug", 3, 8 }, { "sep", 3, 9 },
		{ "oct", 3, 10 }, { "nov", 3, 11 }, { "dec", 3, 12 },
		{ "january", 7, 1 }, { "januar", 6, 1 }, { "february", 8, 2 },
		{ "februar", 7, 2 }, { "mr", 2, 3 }, { "mrch", 4, 3 },
		{ "mrz", 3, 3 }, { "march", 5, 3 }, { "marz", 4, 3 },
		{ "m\xc3\xa4r", 4, 3 }, { "m\xc3\xa4rch", 6, 3 },
		{ "m\xc3\xa4rz", 5, 3 }, { "april", 5, 4 }, { "ma", 2, 5 },
		{ "mai", 3, 5 }, { "june", 4, 6 }, { "juni", 4, 6 },
		{ "july", 4, 7 }, { "juli", 4, 7 }, { "august", 6, 8 },
		{ "september", 9, 9 }, { "ot", 2, 10 }, { "okt", 3, 10 },
		{ "otober", 6, 10 }, { "october", 7, 10 }, { "oktober", 7, 10 },
		{ "november", 8, 11 }, { "dez", 3, 12 }, { "december", 8, 12 },
		{ "dezember", 8, 12 } };
	char low[10];
	size_t k, e;

	/* every name starts with a letter: most lines are rejected here */
	if (n == 0 || !((s[0] >= 'a' && s[0] <= 'z') ||
	    (s[0] >= 'A' && s[0] <= 'Z')))
		return 0;
	for (k = 0; k < n && k < sizeof(low) && s[k] != ' '; k++)
		low[k] = s[k];
	if (k < 2 || k >= n || s[k] != ' ')
		return 0;
	if (low[0] >= 'A' && low[0] <= 'Z')
		low[0] += 'a' - 'A';
	if (k == 3 && (e = month3(low)) != 0) {
		*len = 3;
		return (int)e;	/* the usual case, once per line */
	}
	for (e = 0; e < sizeof(tab) / sizeof(tab[0]); e++) {
		/* the first two bytes before memcmp: once per line, it shows */
		if (tab[e].len == k && tab[e].name[0] == low[0] &&
		    tab[e].name[1] == low[1] &&
		    memcmp(tab[e].name, low, k) == 0) {
			*len = k;
			return tab[e].mon;
		}
	}
	return 0;
}

/*
 * MONTHDAY (?:(?:0[1-9])|(?:[12][0-9])|(?:3[01])|[1-9]).  What follows it
 * is never a digit, so two digits are a day or nothing.
 */
static int
read_monthday(const char *s, size_t n, size_t *i, int *day)
{
	size_t j = *i;

	if (j >= n || !isdig(s[j]))
		return 0;
	if (j + 1 < n && isdig(s[j + 1])) {
		*day = (s[j] - '0') * 10 + (s[j + 1] - '0');
		if (*day < 1 || *day > 31)
			return 0;
		*i = j + 2;
		return 1;
	}
	*day = s[j] - '0';
	*i = j + 1;
	return *day != 0;
}

/* MONTHNUM (?:0?[1-9]|1[0-2]), followed by '-'. */
static int
read_monthnum(const char *s, size_t n, size_t *i, int *mon)
{
	size_t j = *i;

	if (j >= n || !isdig(s[j]))
		return 0;
	if (j + 1 < n && isdig(s[j + 1])) {
		*mon = (s[j] - '0') * 10 + (s[j + 1] - '0');
		*i = j + 2;
	} else {
		*mon = s[j] - '0';
		*i = j + 1;
	}
	return *mon >= 1 && *mon <= 12;
}

/*
 * HOUR (?:2[0123]|[01]?[0-9]) when k is 2 or 1 digits; the callers try two
 * digits first, as the regex does.
 */
static int
read_hour_k(const char *s, size_t n, size_t j, size_t k, int *hh)
{
	if (j + k > n || !isdig(s[j]) || (k == 2 && !isdig(s[j + 1])))
		return 0;
	*hh = k == 2 ? (s[j] - '0') * 10 + (s[j + 1] - '0') : s[j] - '0';
	return *hh <= 23;
}

/* MINUTE (?:[0-5][0-9]) */
static int
read_minute(const char *s, size_t n, size_t j, int *mi)
{
	if (j + 2 > n || s[j] < '0' || s[j] > '5' || !isdig(s[j + 1]))
		return 0;
	*mi = (s[j] - '0') * 10 + (s[j + 1] - '0');
	return 1;
}

/*
 * SECOND (?:(?:[0-5]?[0-9]|60)(?:[:.,][0-9]+)?).  Two digits are taken when
 * they form a second: one digit followed by a digit never leads to a match,
 * since a SECOND is followed by (?![0-9]), a zone or a space.
 */
static int
read_second(const char *s, size_t n, size_t *i, struct lh_syslog_stamp *st)
{
	size_t j = *i;

	if (j >= n || !isdig(s[j]))
		return 0;
	if (j + 1 < n && isdig(s[j + 1]) &&
	    (s[j] <= '5' || (s[j] == '6' && s[j + 1] == '0'))) {
		st->ss = (s[j] - '0') * 10 + (s[j + 1] - '0');
		j += 2;
	} else {
		st->ss = s[j++] - '0';
	}
	st->frac = 0;
	st->prec = LH_US;
	if (j + 1 < n && (s[j] == ':' || s[j] == '.' || s[j] == ',') &&
	    isdig(s[j + 1])) {
		j++;
		read_frac(s, n, &j, &st->frac, &st->prec);
	}
	*i = j;
	return 1;
}

#ifndef LH_SYSLOG_GENERAL_ONLY	/* defined by tests/unit/quick_stamp_test.c */
/* Two digits at p as a number, or -1. */
static int
two(const char *p)
{
	return isdig(p[0]) && isdig(p[1]) ? (p[0] - '0') * 10 + (p[1] - '0') :
	    -1;
}

/*
 * The common shape "Mmm dd hh:mm:ss " (or "Mmm  d") at p, 16 bytes: 1 with
 * *st filled when p has it and the general scan below would read it so,
 * else 0 (the general scan decides).  A three-letter month followed by a
 * space is a whole MONTH word; "dd" is a day or, " d" with d > 0; an hour
 * over 23, or a second not [0-5][0-9], leaves it to the general scan.
 */
static int
fast3164(const char *p, struct lh_syslog_stamp *st)
{
	char low[3];

	if (p[3] != ' ' || p[6] != ' ' || p[9] != ':' || p[12] != ':' ||
	    p[15] != ' ' || p[10] > '5' || p[13] > '5')
		return 0;
	low[0] = p[0] >= 'A' && p[0] <= 'Z' ? (char)(p[0] + 'a' - 'A') : p[0];
	low[1] = p[1];
	low[2] = p[2];
	if ((st->mon = month3(low)) == 0)
		return 0;
	st->day = p[4] == ' ' ? (isdig(p[5]) ? p[5] - '0' : -1) : two(p + 4);
	st->hh = two(p + 7);
	st->mi = two(p + 10);
	st->ss = two(p + 13);
	if (st->day < 1 || st->day > 31 || st->hh < 0 || st->hh > 23 ||
	    st->mi < 0 || st->ss < 0)
		return 0;
	st->frac = 0;
	st->prec = LH_US;
	st->year = 0;
	st->zone = 0;
	return 1;
}
#endif

/*
 * SYSLOGTIMESTAMP %{MONTH} +%{MONTHDAY} %{TIME} at s[i], followed by the
 * space every pattern wants next.  TIME is (?!<[0-9])%{HOUR}:%{MINUTE}
 * (?::%{SECOND})(?![0-9]) (the lookahead typo "(?!<" always holds).
 */
int
lh_syslog_stamp_rfc3164(const char *s, size_t n, size_t i,
    struct lh_syslog_stamp *st)
{
	size_t len;

#ifndef LH_SYSLOG_GENERAL_ONLY
	if (n > i + 15 && fast3164(s + i, st)) {
		st->end = i + 15;
		return 1;
	}
#endif
	if ((st->mon = month_name(s + i, n - i, &len)) == 0)
		return 0;
	for (i += len; i < n && s[i] == ' '; i++)
		continue;
	if (!read_monthday(s, n, &i, &st->day) || i >= n || s[i] != ' ')
		return 0;
	i++;
	if (i + 1 < n && isdig(s[i + 1]) && read_hour_k(s, n, i, 2, &st->hh))
		i += 2;
	else if (read_hour_k(s, n, i, 1, &st->hh))
		i++;
	else
		return 0;
	if (i >= n || s[i] != ':' || !read_minute(s, n, i + 1, &st->mi))
		return 0;
	i += 3;
	if (i >= n || s[i] != ':')
		return 0;
	i++;
	if (!read_second(s, n, &i, st) || i >= n || s[i] != ' ')
		return 0;
	st->year = 0;
	st->zone = 0;
	st->end = i;
	return 1;
}

int
lh_syslog_stamp_lead(const char *s, size_t n, struct lh_syslog_memo *m,
    struct lh_syslog_stamp *st)
{
#ifndef LH_SYSLOG_GENERAL_ONLY
	/*
	 * fast3164 reads the 12 bytes as it did on the line before; then the
	 * ":ss " it wants after them is all it would look at.
	 */
	if (m != NULL && m->have_stamp && n > 15 &&
	    memcmp(s, m->stamp, 12) == 0 && s[12] == ':' && s[13] >= '0' &&
	    s[13] <= '5' && isdig(s[14]) && s[15] == ' ') {
		st->mon = m->mon;
		st->day = m->day;
		st->hh = m->hh;
		st->mi = m->mi;
		st->ss = (s[13] - '0') * 10 + (s[14] - '0');
		st->frac = st->year = st->zone = 0;
		st->prec = LH_US;
		st->end = 15;
		return 1;
	}
	if (m != NULL && n > 15 && fast3164(s, st)) {
		memcpy(m->stamp, s, 12);
		m->mon = st->mon;
		m->day = st->day;
		m->hh = st->hh;
		m->mi = st->mi;
		m->have_stamp = 1;
		st->end = 15;
		return 1;
	}
#else
	(void)m;
#endif
	return lh_syslog_stamp_rfc3164(s, n, 0, st);
}

/*
 * ISO8601_TIMEZONE (?:Z|[+-]%{HOUR}(?::?%{MINUTE})), optional, at s[*i];
 * the stamp must then end at a space, so both hour widths are tried.
 * Returns 0 when a zone starts but no reading of it fits.
 */
static int
read_zone(const char *s, size_t n, size_t *i, struct lh_syslog_stamp *st)
{
	size_t j = *i, k, q;
	int h, m;

	st->zone = 0;
	if (j < n && s[j] == 'Z') {
		st->zone = 1;
		st->off = 0;
		*i = j + 1;
		return 1;
	}
	if (j >= n || (s[j] != '+' && s[j] != '-'))
		return 1;
	for (k = 2; k >= 1; k--) {
		q = j + 1;
		if (!read_hour_k(s, n, q, k, &h))
			continue;
		q += k;
		if (q < n && s[q] == ':')
			q++;
		if (!read_minute(s, n, q, &m) || q + 2 >= n || s[q + 2] != ' ')
			continue;
		st->zone = 1;
		st->off = (s[j] == '-' ? -1 : 1) * (h * 3600L + m * 60L);
		*i = q + 2;
		return 1;
	}
	return 0;
}

/*
 * TIMESTAMP_ISO8601 %{YEAR}-%{MONTHNUM}-%{MONTHDAY}[T ]%{ISO8601_HOUR}:?
 * %{MINUTE}(?::?%{SECOND})?%{ISO8601_TIMEZONE}? at s[i], followed by a
 * space.  YEAR is (?>\d\d){1,2}: four digits or two.
 */
int
lh_syslog_stamp_iso(const char *s, size_t n, size_t i,
    struct lh_syslog_stamp *st)
{
	size_t j = i;

	if (j + 4 < n && isdig(s[j]) && isdig(s[j + 1]) && isdig(s[j + 2]) &&
	    isdig(s[j + 3]) && s[j + 4] == '-') {
		st->year = (s[j] - '0') * 1000 + (s[j + 1] - '0') * 100 +
		    (s[j + 2] - '0') * 10 + (s[j + 3] - '0');
		j += 5;
	} else if (j + 2 < n && isdig(s[j]) && isdig(s[j + 1]) &&
	    s[j + 2] == '-') {
		st->year = -1;
		j += 3;
	} else {
		return 0;
	}
	if (!read_monthnum(s, n, &j, &st->mon) || j >= n || s[j] != '-')
		return 0;
	j++;
	if (!read_monthday(s, n, &j, &st->day) || j + 1 >= n ||
	    (s[j] != 'T' && s[j] != ' '))
		return 0;
	/* ISO8601_HOUR (?:2[0123]|[01][0-9]) */
	if (!read_hour_k(s, n, j + 1, 2, &st->hh))
		return 0;
	j += 3;
	if (j < n && s[j] == ':')
		j++;
	if (!read_minute(s, n, j, &st->mi))
		return 0;
	j += 2;
	st->ss = 0;
	st->frac = 0;
	st->prec = 60 * LH_US;
	if (j < n && (s[j] == ':' || isdig(s[j]))) {
		if (s[j] == ':')
			j++;
		if (!read_second(s, n, &j, st))
			return 0;
	}
	if (!read_zone(s, n, &j, st) || j >= n || s[j] != ' ')
		return 0;
	st->end = j;
	return 1;
}

/*
 * The time of an RFC 3164 stamp: lh_time_syslog infers the year.  A day
 * the month does not have gets no time, as the date processor fails then.
 */
static void
time3164(const struct lh_syslog_stamp *st, struct lh_syslog_header_ctx *ctx,
    int64_t *ts, int64_t *prec, int *flags)
{
	const struct lh_tz *tz = ctx->tz != NULL ? ctx->tz : &utc_tz;

	if (st->day > lh_days_in_month(ctx->year > 0 ? ctx->year : 2000,
	    st->mon))
		return;
	*ts = lh_time_syslog_memo(st->mon, st->day, st->hh, st->mi, st->ss,
	    st->frac, tz, ctx->ref, ctx->ref_year, ctx->year,
	    &ctx->last_year, ctx->memo != NULL ? &ctx->memo->time : NULL);
	*prec = st->prec;
	*flags = ctx->year > 0 ? 0 : LH_TS_YEAR;
}

/*
 * The time of an ISO stamp: its own offset, else ctx->tz.  A two-digit
 * year or an impossible date gets no time (the date processor's ISO8601
 * format would reject them).
 */
static void
time_iso(const struct lh_syslog_stamp *st, struct lh_syslog_header_ctx *ctx,
    int64_t *ts, int64_t *prec)
{
	const struct lh_tz *tz = ctx->tz != NULL ? ctx->tz : &utc_tz;
	int64_t secs;

	if (st->year < 0 || st->day > lh_days_in_month(st->year, st->mon))
		return;
	secs = lh_days_from_civil(st->year, st->mon, st->day) * 86400 +
	    st->hh * 3600 + st->mi * 60 + st->ss;
	secs = st->zone ? secs - st->off : lh_tz_to_utc(tz, secs);
	*ts = secs * LH_US + st->frac;
	*prec = st->prec;
}

void
lh_syslog_stamp_time(const struct lh_syslog_stamp *st,
    struct lh_syslog_header_ctx *ctx, int64_t *ts, int64_t *prec, int *flags)
{
	if (st->year == 0)
		time3164(st, ctx, ts, prec, flags);
	else
		time_iso(st, ctx, ts, prec);
}

/* Reads exactly k digits at s[j]. */
static int
num_k(const char *s, size_t n, size_t j, size_t k, int *v)
{
	size_t e;

	if (j + k > n)
		return 0;
	for (*v = 0, e = j; e < j + k; e++) {
		if (!isdig(s[e]))
			return 0;
		*v = *v * 10 + (s[e] - '0');
	}
	return 1;
}

/*
 * A dmesg -T stamp "[Sat Oct  9 12:17:39 2021]" (ctime(3) layout, as
 * util-linux prints it), local time in tz.  Returns its length to the ']'.
 */
size_t
lh_syslog_stamp_ctime(const char *s, size_t n, const struct lh_tz *tz,
    int64_t *us)
{
	static const char days[] = "SunMonTueWedThuFriSat";
	int mon, day, hh, mi, ss, y, w;
	size_t j = 9;

	if (n < 25 || s[0] != '[' || s[4] != ' ' || s[8] != ' ')
		return 0;
	for (w = 0; w < 7 && memcmp(s + 1, days + w * 3, 3) != 0; w++)
		continue;
	if (w == 7 || (mon = lh_month3(s + 5)) == 0)
		return 0;
	while (j < n && s[j] == ' ')
		j++;
	if (!read_monthday(s, n, &j, &day) ||
	    day > lh_days_in_month(2000, mon) ||
	    !num_k(s, n, j + 1, 2, &hh) || !num_k(s, n, j + 4, 2, &mi) ||
	    !num_k(s, n, j + 7, 2, &ss) || !num_k(s, n, j + 10, 4, &y) ||
	    j + 14 >= n || s[j] != ' ' || s[j + 3] != ':' || s[j + 6] != ':' ||
	    s[j + 9] != ' ' || s[j + 14] != ']' || hh > 23 || mi > 59 ||
	    ss > 60 || day > lh_days_in_month(y, mon))
		return 0;
	*us = lh_tz_to_utc(tz, lh_days_from_civil(y, mon, day) * 86400 +
	    hh * 3600 + mi * 60 + ss) * LH_US;
	return j + 15;
}
