/*
 * time_test.c: named zones (core/tz.c) against glibc.  For each zone the
 * offset at many UTC times and the wall time -> UTC conversion at many
 * local times (1970-2040, densely around every transition, so DST gaps
 * and overlaps are covered) must equal what TZ + localtime_r(3) gives, as
 * the former code computed it; lh_time_format against gmtime_r(3).  Tests
 * may set TZ: each runs in its own process.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>

#include "core/status.h"
#include "core/time.h"
#include "core/tz.h"

#define T1970 INT64_C(0)
#define T2040 INT64_C(2208988800)

static long
glibc_off(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	cr_assert_not_null(localtime_r(&tt, &tm));
	return tm.tm_gmtoff;
}

/* The former lh_tz_to_utc: two localtime_r calls. */
static int64_t
glibc_to_utc(int64_t local)
{
	long off = glibc_off(local);

	return local - glibc_off(local - off);
}

static struct lh_zone *
load(const char *name)
{
	char path[256];
	unsigned char *p;
	size_t n;
	FILE *fp;
	struct lh_zone *z;
	struct lh_err err;

	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", name);
	fp = fopen(path, "rb");
	cr_assert_not_null(fp, "%s", path);
	p = malloc(1 << 20);
	n = fread(p, 1, 1 << 20, fp);
	fclose(fp);
	z = lh_zone_parse(p, n, &err);
	free(p);
	cr_assert_not_null(z, "%s: %s", name, err.msg);
	return z;
}

static void
check_at(const struct lh_tz *tz, int64_t t, unsigned long *count)
{
	cr_assert_eq(lh_zone_offset(tz->zone, t), glibc_off(t),
	    "%s: offset at %lld", tz->name, (long long)t);
	cr_assert_eq(lh_tz_to_utc(tz, t), glibc_to_utc(t),
	    "%s: local %lld", tz->name, (long long)t);
	(*count)++;
}

/* Compares z with glibc for TZ=tzval over 1970-2040. */
static void
compare(const char *name, struct lh_zone *z, const char *tzval, int step)
{
	struct lh_tz tz;
	unsigned long count = 0;
	int64_t t, prev, k;

	setenv("TZ", tzval, 1);
	tzset();
	lh_tz_named(&tz, name, z);
	/* every step minutes (odd: all phases of the quarter hours) */
	for (t = T1970 - 86400; t < T2040; t += step * 60)
		check_at(&tz, t, &count);
	/* every minute for 3 hours either side of each change */
	prev = glibc_off(T1970 - 86400);
	for (t = T1970; t < T2040; t += 900) {
		if (glibc_off(t) == prev)
			continue;
		prev = glibc_off(t);
		for (k = -3 * 3600 - 1800; k <= 3 * 3600 + 1800; k += 60)
			check_at(&tz, t + k, &count);
	}
	cr_assert_gt(count, 100000);
}

static void
compare_file(const char *name)
{
	struct lh_zone *z = load(name);

	compare(name, z, name, 37);
	lh_zone_free(z);
}

Test(tz, berlin) { compare_file("Europe/Berlin"); }
Test(tz, new_york) { compare_file("America/New_York"); }
Test(tz, lord_howe) { compare_file("Australia/Lord_Howe"); }
Test(tz, kolkata) { compare_file("Asia/Kolkata"); }
Test(tz, sao_paulo) { compare_file("America/Sao_Paulo"); }
Test(tz, dublin_negative_dst) { compare_file("Europe/Dublin"); }
Test(tz, nuuk_v3_negative_times) { compare_file("America/Nuuk"); }
Test(tz, utc_file) { compare_file("Etc/UTC"); }

/* The footer rules alone: Jn, n, Mm.w.d, default and v3 times. */
Test(tz, posix_rules)
{
	static const char *const rules[] = {
		"CET-1CEST,M3.5.0,M10.5.0/3",
		"EST5EDT,M3.2.0,M11.1.0",
		"IST-1GMT0,M10.5.0,M3.5.0/1",
		"<+1030>-10:30<+11>-11,M10.1.0,M4.1.0",
		"<-03>3<-02>,M3.5.0/-2,M10.5.0/-1",
		"AAA3BBB,J60/1:30,J300/25",
		"AAA-10BBB,0/0,300/167",
		"XXX-5:30",
		"NZST-12NZDT,M9.5.0,M4.1.0/3",
		"EET-2EEST,M3.5.4/24,M10.5.5/1",
		"AAA4BBB3:30:15,M4.1.6/-167,M10.2.1/2:30:45",
	};
	size_t i;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		struct lh_err err;
		struct lh_zone *z = lh_zone_posix(rules[i], &err);

		cr_assert_not_null(z, "%s: %s", rules[i], err.msg);
		compare(rules[i], z, rules[i], 187);
		lh_zone_free(z);
	}
}

Test(tz, refuses_bad_data)
{
	static const unsigned char junk[] =
	    "TZif2\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
	struct lh_err err;

	cr_assert_null(lh_zone_parse(junk, sizeof(junk), &err));
	cr_assert_eq(err.status, LH_FAIL);
	cr_assert_null(lh_zone_parse((const unsigned char *)"", 0, &err));
	cr_assert_null(lh_zone_posix("CET", &err));
	cr_assert_null(lh_zone_posix("CET-1CEST,M13.5.0,M10.5.0", &err));
}

Test(tz, fixed_offsets)
{
	struct lh_tz tz;
	struct lh_err err;

	cr_assert_eq(lh_tz_parse("+02:00", &tz, &err), LH_OK);
	cr_assert_eq(lh_tz_to_utc(&tz, 7200), 0);
	cr_assert_eq(lh_tz_parse("UTC", &tz, &err), LH_OK);
	cr_assert_eq(lh_tz_to_utc(&tz, 7200), 7200);
	cr_assert_eq(lh_tz_parse("Europe/Berlin", &tz, &err), LH_FAIL);
	cr_assert_str_eq(err.msg, "unknown time zone 'Europe/Berlin'");
}

/* lh_time_format against gmtime_r(3) and printf, years 0 to 9999. */
Test(time, format)
{
	static const int64_t fixed[] = {
		0, 1, -1, 999999, 1000000, -1000000, 1766361615623000,
		INT64_C(253402300799999999),	/* 9999-12-31T23:59:59.999999 */
		INT64_C(-62167219200000000),	/* 0000-01-01T00:00:00 */
	};
	uint64_t x = 88172645463325252u;
	char got[32], want[48];
	struct tm tm;
	time_t t;
	int64_t us, s;
	size_t i, n;

	for (i = 0; i < 20000; i++) {
		if (i < sizeof(fixed) / sizeof(fixed[0])) {
			us = fixed[i];
		} else {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			us = (int64_t)(x % UINT64_C(315537897600000000)) +
			    INT64_C(-62167219200000000);
		}
		s = us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
		t = (time_t)s;
		cr_assert_not_null(gmtime_r(&t, &tm));
		snprintf(want, sizeof(want), "%04d-%02d-%02dT%02d:%02d:%02d."
		    "%06lldZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		    tm.tm_hour, tm.tm_min, tm.tm_sec,
		    (long long)(us - s * 1000000));
		n = lh_time_format(us, got);
		cr_assert_str_eq(got, want, "%lld", (long long)us);
		cr_assert_eq(n, strlen(want));
	}
}
