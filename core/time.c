/*
 * time.c: civil time arithmetic, zones and ISO 8601 parsing.
 *
 * The civil-date conversions are the classic era-based algorithms for the
 * proleptic Gregorian calendar (as described by H. Hinnant, "chrono-
 * Compatible Low-Level Date Algorithms"); they are exact for any year.
 *
 * DESIGN
 * Pure functions of their arguments: no TZ variable, no C library zone,
 * no locale, so workers call them freely.  Named zones are looked up in
 * core/tz.c.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/status.h"
#include "core/time.h"
#include "core/tz.h"

int64_t
lh_days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
lh_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

void
lh_tz_utc(struct lh_tz *tz)
{
	memset(tz, 0, sizeof(*tz));
	strcpy(tz->name, "UTC");
}

static int
parse_offset(const char *s, long *off)
{
	int sign, hh, mm = 0;
	size_t n = strlen(s);

	if (n < 2 || (s[0] != '+' && s[0] != '-'))
		return -1;
	sign = s[0] == '-' ? -1 : 1;
	s++;
	n--;
	if (!isdigit((unsigned char)s[0]))
		return -1;
	if (n == 1 || (n == 2 && isdigit((unsigned char)s[1]))) {
		hh = atoi(s);
	} else if (n == 4 && strspn(s, "0123456789") == 4) {
		hh = (s[0] - '0') * 10 + (s[1] - '0');
		mm = (s[2] - '0') * 10 + (s[3] - '0');
	} else if (n == 5 && s[2] == ':' && isdigit((unsigned char)s[1]) &&
	    isdigit((unsigned char)s[3]) && isdigit((unsigned char)s[4])) {
		hh = (s[0] - '0') * 10 + (s[1] - '0');
		mm = (s[3] - '0') * 10 + (s[4] - '0');
	} else {
		return -1;
	}
	if (hh > 18 || mm > 59)
		return -1;
	*off = sign * (hh * 3600L + mm * 60L);
	return 0;
}

int
lh_tz_parse(const char *s, struct lh_tz *tz, struct lh_err *err)
{
	lh_tz_utc(tz);
	snprintf(tz->name, sizeof(tz->name), "%s", s);
	if (strcmp(s, "UTC") == 0 || strcmp(s, "Z") == 0 ||
	    strcmp(s, "GMT") == 0 || strcmp(s, "Etc/UTC") == 0)
		return LH_OK;
	if (parse_offset(s, &tz->offset) == 0)
		return LH_OK;
	lh_tz_utc(tz);
	return lh_err_set(err, LH_FAIL, 0, "unknown time zone '%s'", s);
}

void
lh_tz_named(struct lh_tz *tz, const char *name, const struct lh_zone *zone)
{
	lh_tz_utc(tz);
	snprintf(tz->name, sizeof(tz->name), "%s", name);
	tz->zone = zone;
}

int64_t
lh_tz_to_utc(const struct lh_tz *tz, int64_t local)
{
	long off;

	if (tz->zone == NULL)
		return local - tz->offset;
	/*
	 * Guess with the offset at local-as-UTC, then correct once with the
	 * offset at the guess; this settles every case but the skipped hour
	 * of a spring-forward change, which keeps the earlier offset.
	 */
	off = lh_zone_offset(tz->zone, local);
	return local - lh_zone_offset(tz->zone, local - off);
}

/* v (0-99) as two digits at p: returns the end. */
static char *
put2(char *p, int64_t v)
{
	memcpy(p, lh_digits2 + 2 * v, 2);
	return p + 2;
}

/*
 * The date ("YYYY-MM-DDT") of the last day lh_time_format wrote on this
 * thread: output prints stamps of the same day over and over, and the
 * civil date of a day costs more than the rest of the stamp.
 */
static _Thread_local struct {
	int ok;
	int64_t days;
	char date[11];
} last_day;

size_t
lh_time_format(int64_t us, char *out)
{
	int64_t secs, days, y, rem;
	int m, d;
	char *p = out;

	secs = us >= 0 ? us / LH_US : -((-us + LH_US - 1) / LH_US);
	rem = us - secs * LH_US;
	days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
	secs -= days * 86400;
	if (last_day.ok && days == last_day.days) {
		memcpy(p, last_day.date, sizeof(last_day.date));
		p += sizeof(last_day.date);
	} else {
		lh_civil_from_days(days, &y, &m, &d);
		if (y < 0 || y > 9999) {
			int n = snprintf(out, 32,
			    "%lld-%02d-%02dT%02d:%02d:%02d.%06lldZ",
			    (long long)y, m, d, (int)(secs / 3600),
			    (int)(secs / 60 % 60), (int)(secs % 60),
			    (long long)rem);

			return n > 0 ? (size_t)n : 0;
		}
		/* the hot path of every output line: no printf */
		p = put2(put2(p, y / 100), y % 100);
		*p++ = '-';
		p = put2(p, m);
		*p++ = '-';
		p = put2(p, d);
		*p++ = 'T';
		memcpy(last_day.date, out, sizeof(last_day.date));
		last_day.days = days;
		last_day.ok = 1;
	}
	p = put2(p, secs / 3600);
	*p++ = ':';
	p = put2(p, secs / 60 % 60);
	*p++ = ':';
	p = put2(p, secs % 60);
	*p++ = '.';
	p = put2(put2(put2(p, rem / 10000), rem / 100 % 100), rem % 100);
	*p++ = 'Z';
	*p = '\0';
	return (size_t)(p - out);
}

static int
digits(const char *s, size_t n, size_t at, size_t count, int *val)
{
	size_t i;
	int v = 0;

	if (at + count > n)
		return -1;
	for (i = 0; i < count; i++) {
		if (s[at + i] < '0' || s[at + i] > '9')
			return -1;
		v = v * 10 + (s[at + i] - '0');
	}
	*val = v;
	return 0;
}

int
lh_days_in_month(int64_t y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
	    31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

#ifndef LH_TIME_GENERAL_ONLY	/* defined by tests/unit/quick_stamp_test.c */
/* The two digits at p as a number, or -1. */
static int
dig2(const char *p)
{
	unsigned a = (unsigned)(p[0] - '0'), b = (unsigned)(p[1] - '0');

	return a > 9 || b > 9 ? -1 : (int)(a * 10 + b);
}

/*
 * The seconds since the epoch of the "YYYY-MM-DDThh:mm" at s (the caller
 * has checked the separators) into *secs: 1, or 0 when a part is not
 * digits or out of range.  m (may be NULL) keeps the last one read.
 */
static int
iso_minute(const char *s, int64_t *secs, struct lh_time_memo *m)
{
	int y, y2, mo, d, hh, mi;

	if (m != NULL && m->have_iso && memcmp(s, m->iso, 16) == 0) {
		*secs = m->iso_secs;
		return 1;
	}
	y = dig2(s);
	y2 = dig2(s + 2);
	mo = dig2(s + 5);
	d = dig2(s + 8);
	hh = dig2(s + 11);
	mi = dig2(s + 14);
	if ((y | y2 | mo | d | hh | mi) < 0)
		return 0;
	y = y * 100 + y2;
	if (mo < 1 || mo > 12 || d < 1 || d > lh_days_in_month(y, mo) ||
	    hh > 23 || mi > 59)
		return 0;
	*secs = lh_days_from_civil(y, mo, d) * 86400 + hh * 3600 + mi * 60;
	if (m != NULL) {
		memcpy(m->iso, s, 16);
		m->iso_secs = *secs;
		m->have_iso = 1;
	}
	return 1;
}

/*
 * The common form "YYYY-MM-DDThh:mm:ss[.fff...]Z" of lh_time_parse_iso,
 * read at fixed places: 1 with *us, *prec and *used as the general code
 * below gives them, or 0 when s has another form or a value out of range
 * (the general code decides).
 */
static int
iso_utc(const char *s, size_t n, int64_t *us, int64_t *prec, size_t *used,
    struct lh_time_memo *m)
{
	static const int64_t pow10[] = { 1, 10, 100, 1000, 10000, 100000,
		1000000 };
	int ss, k;
	int64_t frac = 0, p = LH_US, secs;
	size_t i;

	if (n < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':' || (ss = dig2(s + 17)) < 0 ||
	    ss > 60 || !iso_minute(s, &secs, m))
		return 0;
	i = 19;
	if (s[i] == '.' && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9') {
		/* the digits past the sixth are read and dropped */
		for (k = 0, i++; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
			if (k < 6)
				frac = frac * 10 + (s[i] - '0'), k++;
		}
		p = pow10[6 - k];
		frac *= p;
	}
	if (i >= n || s[i] != 'Z')
		return 0;
	*us = (secs + ss) * LH_US + frac;
	*prec = p;
	*used = i + 1;
	return 1;
}
#endif

int
lh_time_parse_iso(const char *s, size_t n, const struct lh_tz *tz,
    int allow_date, int64_t *us, int64_t *prec, size_t *used)
{
	return lh_time_parse_iso_memo(s, n, tz, allow_date, us, prec, used,
	    NULL);
}

int
lh_time_parse_iso_memo(const char *s, size_t n, const struct lh_tz *tz,
    int allow_date, int64_t *us, int64_t *prec, size_t *used,
    struct lh_time_memo *m)
{
	int y, mo, d, hh = 0, mi = 0, ss = 0, zh, zm = 0;
	int64_t frac = 0, p = 60 * LH_US, secs;
	size_t i;
	int have_zone = 0;
	long off = 0;

#ifndef LH_TIME_GENERAL_ONLY
	if (iso_utc(s, n, us, prec, used, m))
		return LH_OK;
#else
	(void)m;
#endif
	if (digits(s, n, 0, 4, &y) || n < 10 || s[4] != '-' ||
	    digits(s, n, 5, 2, &mo) || s[7] != '-' || digits(s, n, 8, 2, &d))
		return LH_WARN;
	if (mo < 1 || mo > 12 || d < 1 || d > lh_days_in_month(y, mo))
		return LH_WARN;
	i = 10;
	if (i < n && (s[i] == 'T' || s[i] == 't' || s[i] == ' ') &&
	    i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9') {
		if (digits(s, n, i + 1, 2, &hh))
			return LH_WARN;
		i += 3;
		if (i < n && s[i] == ':')
			i++;
		if (digits(s, n, i, 2, &mi))
			return LH_WARN;
		i += 2;
		if (i + 2 < n + 1 && i < n && s[i] == ':' &&
		    !digits(s, n, i + 1, 2, &ss)) {
			i += 3;
			p = LH_US;
			if (i < n && (s[i] == '.' || s[i] == ',') && i + 1 < n &&
			    s[i + 1] >= '0' && s[i + 1] <= '9') {
				int64_t scale = LH_US;

				i++;
				while (i < n && s[i] >= '0' && s[i] <= '9') {
					if (scale > 1) {
						scale /= 10;
						frac += (s[i] - '0') * scale;
						p = scale;
					}
					i++;
				}
			}
		}
		if (hh > 23 || mi > 59 || ss > 60)
			return LH_WARN;
		if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
			have_zone = 1;
			i++;
		} else if (i < n && (s[i] == '+' || s[i] == '-') &&
		    !digits(s, n, i + 1, 2, &zh)) {
			int sign = s[i] == '-' ? -1 : 1;

			i += 3;
			if (i < n && s[i] == ':' && !digits(s, n, i + 1, 2, &zm))
				i += 3;
			else if (!digits(s, n, i, 2, &zm))
				i += 2;
			else
				zm = 0;
			if (zh > 18 || zm > 59)
				return LH_WARN;
			off = sign * (zh * 3600L + zm * 60L);
			have_zone = 1;
		}
	} else if (!allow_date) {
		return LH_WARN;
	} else {
		p = 86400 * LH_US;
	}
	secs = lh_days_from_civil(y, mo, d) * 86400 + hh * 3600 + mi * 60 + ss;
	secs = have_zone ? secs - off : lh_tz_to_utc(tz, secs);
	*us = secs * LH_US + frac;
	*prec = p;
	*used = i;
	return LH_OK;
}

int
lh_month3(const char *s)
{
	static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int i;

	for (i = 0; i < 12; i++) {
		if (s[0] == names[i * 3] && s[1] == names[i * 3 + 1] &&
		    s[2] == names[i * 3 + 2])
			return i + 1;
	}
	return 0;
}

int
lh_time_year_of(int64_t ref)
{
	int64_t rs = ref >= 0 ? ref / LH_US : -((-ref + LH_US - 1) / LH_US);
	int64_t y;
	int rm, rd;

	lh_civil_from_days(rs >= 0 ? rs / 86400 : -((-rs + 86399) / 86400),
	    &y, &rm, &rd);
	return (int)y;
}

int64_t
lh_time_syslog(int mon, int day, int hh, int mm, int ss, int64_t frac_us,
    const struct lh_tz *tz, int64_t ref, int ref_year, int year,
    int *year_used)
{
	return lh_time_syslog_memo(mon, day, hh, mm, ss, frac_us, tz, ref,
	    ref_year, year, year_used, NULL);
}

/*
 * The year of a (mon, day) stamp before any step back, and its day number,
 * into *y and *days; m (may be NULL) keeps them for the same arguments.
 */
static void
syslog_day(int mon, int day, int64_t ref, int ref_year, int year, int64_t *y,
    int64_t *days, struct lh_time_memo *m)
{
	if (m != NULL && m->have_day && m->mon == mon && m->day == day &&
	    m->year == year && m->ref_year == ref_year && m->ref == ref) {
		*y = m->y;
		*days = m->days;
		return;
	}
	if (year > 0)
		*y = year;
	else
		*y = ref_year != 0 ? ref_year : lh_time_year_of(ref);
	if (mon == 2 && day == 29 && lh_days_in_month(*y, 2) == 28 &&
	    year <= 0)
		(*y)--;	/* Feb 29 only exists in leap years */
	*days = lh_days_from_civil(*y, mon, day);
	if (m != NULL) {
		m->mon = mon;
		m->day = day;
		m->year = year;
		m->ref_year = ref_year;
		m->ref = ref;
		m->y = (int)*y;
		m->days = *days;
		m->have_day = 1;
		m->have_back = 0;
	}
}

/*
 * The year before y that has (mon, day), and its day number, into *y and
 * *days; m (may be NULL, else holding y for mon and day) keeps them.
 */
static void
syslog_back(int mon, int day, int64_t *y, int64_t *days,
    struct lh_time_memo *m)
{
	if (m != NULL && m->have_back) {
		*y = m->yb;
		*days = m->daysb;
		return;
	}
	(*y)--;
	while (mon == 2 && day == 29 && lh_days_in_month(*y, 2) == 28)
		(*y)--;
	*days = lh_days_from_civil(*y, mon, day);
	if (m != NULL) {
		m->yb = (int)*y;
		m->daysb = *days;
		m->have_back = 1;
	}
}

int64_t
lh_time_syslog_memo(int mon, int day, int hh, int mm, int ss,
    int64_t frac_us, const struct lh_tz *tz, int64_t ref, int ref_year,
    int year, int *year_used, struct lh_time_memo *m)
{
	int64_t y, days, local, t;

	syslog_day(mon, day, ref, ref_year, year, &y, &days, m);
	local = days * 86400 + hh * 3600 + mm * 60 + ss;
	t = lh_tz_to_utc(tz, local) * LH_US + frac_us;
	if (year <= 0 && t > ref + 86400 * LH_US) {
		syslog_back(mon, day, &y, &days, m);
		local = days * 86400 + hh * 3600 + mm * 60 + ss;
		t = lh_tz_to_utc(tz, local) * LH_US + frac_us;
	}
	if (year_used != NULL)
		*year_used = (int)y;
	return t;
}
