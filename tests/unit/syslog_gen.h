/*
 * syslog_gen.h: generated syslog stamps, lines and header contexts for the
 * tests that compare the quick paths of the syslog header and stamp code
 * with its general code (quick_header_test.c, quick_stamp_test.c).  Every
 * function is static; a test includes this once.  Deterministic: the
 * generator is seeded by the caller.
 */
#ifndef LH_TEST_SYSLOG_GEN_H
#define LH_TEST_SYSLOG_GEN_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/time.h"
#include "core/tz.h"
#include "formats/syslog_header.h"

#define GEN_MAX 512

static uint64_t gen_state;

static inline void
gen_seed(uint64_t seed)
{
	gen_state = seed * 2654435761u + 1;
}

/* xorshift64: a number in [0, n). */
static inline unsigned
gen_pick(unsigned n)
{
	gen_state ^= gen_state << 13;
	gen_state ^= gen_state >> 7;
	gen_state ^= gen_state << 17;
	return (unsigned)(gen_state % n);
}

#define GEN_ONE(a) ((a)[gen_pick(sizeof(a) / sizeof((a)[0]))])

/* An RFC 3164 stamp, mostly well formed, sometimes not. */
static inline void
gen_3164(char *out, size_t cap)
{
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May",
		"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "jan", "feb",
		"dec", "JAN", "Mai", "Okt", "Dez", "January", "Sept", "Fe",
		"1an", "J n" };
	static const char *const frac[] = { "", "", "", "", ".123", ",5",
		":7", ".1234567", "." };
	int day = gen_pick(5) == 0 ? (int)gen_pick(34) : 1 + (int)gen_pick(31);
	int hh = gen_pick(6) == 0 ? (int)gen_pick(30) : (int)gen_pick(24);
	int mi = gen_pick(6) == 0 ? (int)gen_pick(70) : (int)gen_pick(60);
	int ss = gen_pick(6) == 0 ? (int)gen_pick(70) : (int)gen_pick(60);
	const char *m = gen_pick(3) == 0 ? GEN_ONE(mon) : mon[gen_pick(12)];

	switch (gen_pick(5)) {
	case 0:
		snprintf(out, cap, "%s %d %02d:%02d:%02d%s", m, day, hh, mi,
		    ss, GEN_ONE(frac));
		break;
	case 1:
		snprintf(out, cap, "%s %02d %d:%02d:%d%s", m, day, hh, mi, ss,
		    GEN_ONE(frac));
		break;
	default:
		snprintf(out, cap, "%s %2d %02d:%02d:%02d%s", m, day, hh, mi,
		    ss, GEN_ONE(frac));
		break;
	}
}

/* An ISO 8601 stamp, mostly well formed, sometimes not. */
static inline void
gen_iso(char *out, size_t cap)
{
	static const char *const year[] = { "2024", "2025", "2026", "2023",
		"1999", "2100", "25" };
	static const char *const sep[] = { "T", "T", " ", "t" };
	static const char *const sec[] = { ":", ":", "", NULL };
	const char *sp;
	static const char *const frac[] = { "", ".048", ".123456", ".1",
		".123456789", ",5", "." };
	static const char *const zone[] = { "Z", "Z", "", "z", "+01:00",
		"-0530", "+1", "+25:00", "-05", "+0100x" };
	int mo = gen_pick(8) == 0 ? (int)gen_pick(14) : 1 + (int)gen_pick(12);
	int d = gen_pick(5) == 0 ? (int)gen_pick(33) : 1 + (int)gen_pick(31);
	int hh = gen_pick(8) == 0 ? (int)gen_pick(30) : (int)gen_pick(24);
	int mi = gen_pick(8) == 0 ? (int)gen_pick(70) : (int)gen_pick(60);
	int ss = gen_pick(8) == 0 ? (int)gen_pick(70) : (int)gen_pick(60);
	char s[16];
	size_t k;

	s[0] = '\0';
	if ((sp = GEN_ONE(sec)) != NULL)
		snprintf(s, sizeof(s), "%s%02d", sp, ss);
	k = (size_t)snprintf(out, cap, "%s-%02d-%02d%s%02d%s%02d%s",
	    GEN_ONE(year), mo, d, GEN_ONE(sep), hh, gen_pick(6) ? ":" : "",
	    mi, s);
	if (k < cap && s[0] != '\0')
		k += (size_t)snprintf(out + k, cap - k, "%s", GEN_ONE(frac));
	if (k < cap)
		snprintf(out + k, cap - k, "%s", GEN_ONE(zone));
}

/* One byte of s changed now and then to one that stamps are made of. */
static inline void
gen_mutate(char *s)
{
	static const char set[] = "0123456789 :.-TZ+a<>[]";
	size_t n = strlen(s);

	if (n > 0 && gen_pick(4) == 0)
		s[gen_pick((unsigned)n)] = set[gen_pick(sizeof(set) - 1)];
}

/* A stamp of either kind. */
static inline void
gen_stamp(char *out, size_t cap)
{
	if (gen_pick(2) == 0)
		gen_3164(out, cap);
	else
		gen_iso(out, cap);
	gen_mutate(out);
}

/* A syslog-family line: prefix, stamp, host and tag, message. */
static inline size_t
gen_line(char *out, size_t cap)
{
	static const char *const pre[] = { "", "", "", "", "<13>", "<13>1 ",
		"<38>1 ", "<999>", "\xef\xbb\xbf", "x ", "<6>" };
	static const char *const tail[] = { " web01 sshd[123]: Accepted",
		" 10.0.0.1 CRON[39730]: (root) CMD (x)",
		" web01 kernel: [712423.802528] EXT4-fs",
		"  sshd[1]: empty host", " h sshd[99999999999999999999]: big",
		" h sshd[9223372036854775807]: max", " host plain message",
		" host proc:no space", " bad_host x: y", " fe80::1%eth0 p: m",
		" ::1 p[0]: m", " h p: m Jan  5 00:00:07 h2 t: later", "",
		" ", " h t: m\n  continuation", " h t:", " h t:\tx",
		" edge01 dhclient 51669 - - DHCPREQUEST",
		" edge01 sshd - ID47 [x@1 a=\"]\"] msg", " - - - - - m",
		" h\xc3\xa9 p: m", " h p[12]:  two spaces", " 2026-01-01 t: x",
		" h 2026-01-05T00:00:07Z t: iso later" };
	static const char *const dm[] = { "[  12.345678] x", "[Sat Oct  9 "
		"12:17:39 2021] x", "[0.000000]" };
	char st[96];
	size_t k;

	if (gen_pick(12) == 0) {
		k = (size_t)snprintf(out, cap, "%s%s", gen_pick(2) ? "" :
		    "<6>", GEN_ONE(dm));
		return k < cap ? k : cap - 1;
	}
	gen_stamp(st, sizeof(st));
	k = (size_t)snprintf(out, cap, "%s%s%s", gen_pick(2) ? "" :
	    GEN_ONE(pre), st, gen_pick(2) ? tail[gen_pick(3)] : GEN_ONE(tail));
	return k < cap ? k : cap - 1;
}

/*
 * The date and minute "Mmm dd hh:mm" (12 bytes and a NUL) of the stamps of
 * gen_run: mostly the hard ones of gen_ctx's contexts (a day after each
 * reference time in every zone's offsets, where the year steps back
 * within the minute; New Year, Feb 29, the DST changes), else any.
 */
static inline void
gen_minute(char *out, size_t cap)
{
	static const int64_t ref[] = { INT64_C(1767227400),
		INT64_C(1767222000), INT64_C(1709294400), INT64_C(1740830400),
		INT64_C(1768003200), INT64_C(1743298200), INT64_C(1761440400),
		INT64_C(1709251199) };
	static const long off[] = { 0, 3600, 7200, -19800, -18000, -14400 };
	static const char *const hard[] = { "Dec 31 23:59", "Jan  1 00:00",
		"Feb 29 12:00", "Feb 28 23:59", "Mar  1 00:00", "Mar 30 02:30",
		"Mar 30 01:59", "Oct 26 02:30", "Mar  9 02:30", "Nov  2 01:30",
		"Feb 30 12:00", "Jan 10 23:59" };
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int64_t t, y;
	int m, d;

	if (gen_pick(3) == 0) {
		snprintf(out, cap, "%s", GEN_ONE(hard));
		return;
	}
	if (gen_pick(4) == 0) {
		m = 1 + (int)gen_pick(12);
		snprintf(out, cap, "%.3s %2d %02d:%02d", months + 3 * (m - 1),
		    1 + (int)gen_pick(31), (int)gen_pick(24),
		    (int)gen_pick(60));
		return;
	}
	t = GEN_ONE(ref) + 86400 + GEN_ONE(off);
	lh_civil_from_days(t / 86400, &y, &m, &d);
	snprintf(out, cap, "%.3s %2d %02d:%02d", months + 3 * (m - 1), d,
	    (int)(t % 86400 / 3600), (int)(t % 3600 / 60));
}

/*
 * The next line of a run of ISO 8601 lines (rsyslog's high-precision
 * stamps and others): the head of the line before, stamp to the minute
 * and host, mostly kept, the seconds and fraction new; tails with and
 * without a tag, with an RFC 3164 stamp or only an hour's colon in the
 * message, short lines.
 */
static inline size_t
gen_iso_run(char *out, size_t cap)
{
	static const char *const minute[] = { "2026-01-05T00:00",
		"2026-01-05T00:01", "2026-01-05 00:01", "2024-02-29T23:59",
		"2025-02-29T12:00", "2025-03-30T02:30", "26-01-05T00:00",
		"2026-01-05T0000" };
	static const char *const sec[] = { "08", "59", "60", "6x", "5",
		"00" };
	static const char *const frac[] = { ".288947", ".288947", ".048",
		".1234567", "", ",5", ":123456", ".12a456" };
	static const char *const zone[] = { "+00:00", "+00:00", "Z",
		"+05:30", "-08:00", "", "+0100", "+00:0" };
	static const char *const host[] = { "web04", "web04", "web04",
		"web05", "10.0.0.1", "bad_host", "", "fe80::1%eth0",
		"h23456789012345678901234567890.1234" };
	static const char *const tail[] = {
		"sshd[30702]: Failed password for root from 1.2.3.4",
		"kernel: [UFW BLOCK] IN=eth0 MAC=52:54:00:12:34:56",
		"nginx[7]: 2025/12/30 10:00:00 [error] 1#1: x",
		"t: relayed Jan  5 00:00:07 h t: y", "t: at 10:00 x",
		"no tag in this line at all, none",
		"p[99999999999999999999]: x",
		"s[1]: x", "CRON[1]: (root) CMD (   cd / && run-parts)" };
	static int k = -1;
	size_t len;

	if (k < 0 || gen_pick(16) == 0)
		k = (int)gen_pick(sizeof(minute) / sizeof(minute[0]));
	len = (size_t)snprintf(out, cap, "%s:%s%s%s %s %s", minute[k],
	    gen_pick(4) ? GEN_ONE(sec) : "08", gen_pick(3) ? ".288947" :
	    GEN_ONE(frac), gen_pick(3) ? "+00:00" : GEN_ONE(zone),
	    gen_pick(3) ? "web04" : GEN_ONE(host), GEN_ONE(tail));
	return len < cap ? len : cap - 1;
}

/*
 * The next line of a file whose lines are alike, as the memos of the
 * header code (struct lh_syslog_memo) see them: the minute of the line
 * before (*minute, 32 bytes) mostly kept, sometimes a new one; a second
 * that may not be one; hosts that repeat, differ or only begin alike;
 * runs of RFC 5424 lines whose stamps share their minute and whose
 * fields end anywhere in the 64 bytes after the seconds (minute[30] and
 * minute[31], zero at first, say which minute and whether the line before
 * was one); now and then any line.
 */
static inline size_t
gen_run(char *out, size_t cap, char *minute)
{
	static const char *const sec[] = { "00", "07", "29", "30", "31",
		"59", "60", "61", "6x", "5", "5.5", "00.1", "1x" };
	/*
	 * a 64-byte host is kept by the memo, a 65-byte one is not; a
	 * DEL in the last 16 of the 64 bytes after RFC 5424 seconds
	 */
	static const char *const host[] = { "web01", "web01", "web01",
		"web02", "web01x", "10.0.0.1", "bad_host", "", "fe80::1%eth0",
		"h23456789012345678901234567890.123456789012345678901234567890"
		"123",
		"h23456789012345678901234567890.123456789012345678901234567890"
		"1234", "web01 ",
		"h234567890123456789012345678901234567890\x7f" };
	static const char *const tail[] = { "sshd[1]: Accepted",
		"CRON[39730]: (root) CMD (x)", "kernel: [1.5] x", "p: m",
		"plain message", "t:\tx" };
	static const char *const iso[] = { "2026-01-01T00:00",
		"2026-01-02T00:30", "2026-01-02T00:31", "2026-01-02T01:30",
		"2024-02-29T23:59", "2025-02-29T12:00", "2025-03-30T02:30" };
	static const char *const zone[] = { "Z", "Z", ".048Z", ".1234567Z",
		"+01:00", "" };
	/*
	 * APP-NAME (at most 48), PROCID and MSGID (at most 32) of lengths
	 * that end the fields anywhere in the 64 bytes after the seconds;
	 * a control byte in the last 16 of them
	 */
	static const char *const app[] = { "app", "app", "a23456789012",
		"a2345678901234567890123456789012345678901234567",
		"a23456789012345678901234567890123456789012345678",
		"a234567890123456789012345678901234567890123456789",
		"a234567890123456789012345678901234\x01" };
	static const char *const pid[] = { "1", "1", "12345", "-",
		"1234567890123456789" };
	static const char *const msgid[] = { "-", "-", "ID47",
		"m234567890123456789012345678901",
		"m2345678901234567890123456789012",
		"m23456789012345678901234567890123" };
	size_t k;

	if (gen_pick(20) == 0)
		return gen_line(out, cap);
	/* RFC 5424 lines come in runs, mostly of one minute (minute[30]) */
	if ((minute[31] != 0 && gen_pick(4) != 0) || gen_pick(6) == 0) {
		if (minute[31] == 0 || gen_pick(8) == 0)
			minute[30] = (char)gen_pick(sizeof(iso) /
			    sizeof(iso[0]));
		minute[31] = 1;
		/* a long message: the 64 bytes after the seconds in the line */
		k = (size_t)snprintf(out, cap,
		    "<38>1 %s:%s%s %s %s %s %s - m%s", iso[(int)minute[30]],
		    GEN_ONE(sec), GEN_ONE(zone), GEN_ONE(host),
		    gen_pick(2) ? app[0] : GEN_ONE(app),
		    gen_pick(2) ? pid[0] : GEN_ONE(pid),
		    gen_pick(2) ? msgid[0] : GEN_ONE(msgid), gen_pick(2) ? "" :
		    " 234567890123456789012345678901234567890"
		    "12345678901234567890123456789");
		return k < cap ? k : cap - 1;
	}
	minute[31] = 0;
	if (gen_pick(4) == 0)
		return gen_iso_run(out, cap);
	if (minute[0] == '\0' || gen_pick(8) == 0)
		gen_minute(minute, 32);
	k = (size_t)snprintf(out, cap, "%s:%s %s %s", minute,
	    gen_pick(4) ? sec[gen_pick(6)] : GEN_ONE(sec),
	    gen_pick(3) ? host[0] : GEN_ONE(host), GEN_ONE(tail));
	return k < cap ? k : cap - 1;
}

/* The contexts the lines are read in. */
struct gen_ctxs {
	struct lh_tz tz[5];
	struct lh_zone *zone[2];
};

static inline void
gen_ctxs_init(struct gen_ctxs *g)
{
	struct lh_err err;

	g->zone[0] = lh_zone_posix("CET-1CEST,M3.5.0,M10.5.0/3", &err);
	g->zone[1] = lh_zone_posix("EST5EDT,M3.2.0,M11.1.0", &err);
	lh_tz_utc(&g->tz[0]);
	lh_tz_parse("+02:00", &g->tz[1], &err);
	lh_tz_parse("-0530", &g->tz[2], &err);
	lh_tz_named(&g->tz[3], "Europe/Berlin", g->zone[0]);
	lh_tz_named(&g->tz[4], "America/New_York", g->zone[1]);
}

static inline void
gen_ctxs_free(struct gen_ctxs *g)
{
	lh_zone_free(g->zone[0]);
	lh_zone_free(g->zone[1]);
}

/*
 * Context number i (0 .. GEN_NCTX-1) into c: auth or not, each zone,
 * reference times near New Year, around Feb 29 and the DST changes, the
 * year forced or not, ref_year worked out or not.
 */
#define GEN_NCTX (2 * 5 * 8 * 3 * 2)

static inline void
gen_ctx(const struct gen_ctxs *g, unsigned i, struct lh_syslog_header_ctx *c)
{
	static const int64_t ref[] = {
		INT64_C(1767227400),	/* 2026-01-01 00:30 */
		INT64_C(1767222000),	/* 2025-12-31 23:00 */
		INT64_C(1709294400),	/* 2024-03-01 12:00 */
		INT64_C(1740830400),	/* 2025-03-01 12:00 */
		INT64_C(1768003200),	/* 2026-01-10 00:00 */
		INT64_C(1743298200),	/* 2025-03-30 01:30 */
		INT64_C(1761440400),	/* 2025-10-26 01:00 */
		INT64_C(1709251199) };	/* 2024-02-29 23:59:59 */
	static const int year[] = { 0, 2024, 2023 };

	memset(c, 0, sizeof(*c));
	c->auth = (int)(i % 2);
	i /= 2;
	c->tz = &g->tz[i % 5];
	i /= 5;
	c->ref = ref[i % 8] * LH_US;
	i /= 8;
	c->year = year[i % 3];
	i /= 3;
	c->ref_year = i % 2 ? lh_time_year_of(c->ref) : 0;
}

#endif
